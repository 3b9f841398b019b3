"""A checklist compiled for scoring: steps in checklist order, weights per profile, memos.

Each checklist is compiled once (it is immutable and hashable, so the plan cannot go stale)
and the plan is dropped with the checklist.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, TypeAlias

import attrs

from ketacheck._words import finite
from ketacheck.conditions import UNKNOWN, Answer, Condition, referenced_items
from ketacheck.exceptions import ChecklistError, Problem
from ketacheck.files._convert import describe_value, key_path
from ketacheck.model import Checklist, Item, ItemKind, Option, Phase, Profile, UnknownPolicy
from ketacheck.response import did_you_mean
from ketacheck.scoring._results import Caution, ItemScore, RedFlag
from ketacheck.validate import amount_problems

if TYPE_CHECKING:
    from ketacheck.model import Scoring

ProfileSpec: TypeAlias = "str | Profile | Mapping[str, float] | None"
"""What :func:`score` takes as a profile: none, a profile id of the checklist, a
:class:`~ketacheck.model.Profile`, or an ad-hoc mapping of section or item id to multiplier."""

MEMO_LIMIT: Final = 256
"""Most distinct answers per item whose scored form is kept for reuse."""

THERAPY: Final = "therapy"
BEFORE_AFTER: Final = 1
DURING: Final = 2
_THERAPY_PHASES: Final = {
    Phase.BEFORE: BEFORE_AFTER,
    Phase.AFTER: BEFORE_AFTER,
    Phase.DURING: DURING,
}
"""Which phases' therapy items count for the care model; 0 (falsy) for the others."""

Flags: TypeAlias = tuple[tuple[RedFlag, ...], tuple[Caution, ...]]
NO_FLAGS: Final[Flags] = ((), ())


@attrs.define(slots=True)
class Step:
    """One item of a plan, with everything scoring needs precomputed."""

    item: Item
    id: str
    when: Condition | None
    referenced: bool
    """Whether a later condition names this item (its answer must be visible)."""
    max: float
    section: str
    buckets: tuple[int, ...]
    """Indexes of its section, phase and tags in the flat subtotal arrays."""
    therapy: int
    memoize: bool
    unknown_flags: Flags
    """The red flag or caution an ``unknown`` answer raises."""
    options: Mapping[str, Option]


Entry: TypeAlias = tuple[ItemScore, float, float, Flags | None, bool, bool, bool]
"""The scored form of one answer: (ItemScore, w·p, w·m, (red flags, cautions) or None,
shows therapy, informative, is unknown)."""

Row: TypeAlias = tuple[
    str, Condition | None, bool, dict[Answer, Entry] | None, tuple[int, ...], int, ItemScore,
    float, Step, float,
]  # fmt: skip
"""A step under one profile, flat for the scoring loop: (id, when, referenced, memo (None for
number items), buckets, therapy, the unanswered ItemScore, its w·m, step, weight)."""


def _unknown_flags(item: Item) -> Flags:
    default = f"The provider could not or would not answer: {item.prompt}"
    red = (RedFlag(item.id, UNKNOWN, item.red_flag or default),) if item.red_flag_if_unknown else ()
    caution = (
        (Caution(item.id, UNKNOWN, item.caution or default),) if item.caution_if_unknown else ()
    )
    return red, caution


class Plan:
    """A checklist compiled for scoring: steps in checklist order, subtotal buckets."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist_id = checklist.id
        self.checklist_version = checklist.version
        self.scoring: Scoring = checklist.effective_scoring
        self.skip_unknown = self.scoring.unknown is UnknownPolicy.SKIP
        self.skip_unanswered = self.scoring.unanswered is UnknownPolicy.SKIP
        self.section_ids = tuple(s.id for s in checklist.sections)
        phases: dict[str, None] = {}
        tags: dict[str, None] = {}
        for section in checklist.sections:
            phases.setdefault(section.effective_phase.value)
            for item in section.items:
                tags.update(dict.fromkeys(item.tags))
        self.phase_ids = tuple(phases)
        self.tag_ids = tuple(tags)
        self.size = len(self.section_ids) + len(self.phase_ids) + len(self.tag_ids)
        self.targets = frozenset(self.section_ids) | frozenset(i.id for i in checklist.items)
        self.profiles = {p.id: p for p in checklist.profiles}
        self.steps = self._steps(checklist)
        self._weighted: dict[str | None, tuple[Row, ...]] = {}

    def _steps(self, checklist: Checklist) -> tuple[Step, ...]:
        named: set[str] = set()
        for item in checklist.items:
            if item.when is not None:
                named.update(referenced_items(item.when))
        ns, nph = len(self.section_ids), len(self.phase_ids)
        steps = []
        for si, section in enumerate(checklist.sections):
            phase = section.effective_phase
            pi = self.phase_ids.index(phase.value)
            for item in section.items:
                buckets = (si, ns + pi, *(ns + nph + self.tag_ids.index(t) for t in item.tags))
                steps.append(
                    Step(
                        item=item,
                        id=item.id,
                        when=item.when,
                        referenced=item.id in named,
                        max=item.max_item_points,
                        section=section.id,
                        buckets=tuple(dict.fromkeys(buckets)),
                        therapy=_THERAPY_PHASES.get(phase, 0) if THERAPY in item.tags else 0,
                        memoize=item.kind is not ItemKind.NUMBER,
                        unknown_flags=_unknown_flags(item),
                        options={o.id: o for o in item.options or ()},
                    )
                )
        return tuple(steps)

    def weighted(
        self, checklist: Checklist, profile: ProfileSpec
    ) -> tuple[tuple[Row, ...], str | None]:
        """Per-step weights under *profile*, cached for the checklist's own profiles."""
        if profile is None or isinstance(profile, str):
            cached = self._weighted.get(profile)
            if cached is not None:
                return cached, profile
            if profile is None:
                weights: Mapping[str, float] = {}
            else:
                weights = checklist.profile(profile).weights  # UnknownProfileError if none
                self._check_weights(weights, f'profile "{profile}"')
            made = self._make_weighted(weights)
            self._weighted[profile] = made
            return made, profile
        if isinstance(profile, Profile):
            if self.profiles.get(profile.id) == profile:
                return self.weighted(checklist, profile.id)
            self._check_weights(profile.weights, f'profile "{profile.id}"')
            return self._make_weighted(profile.weights), profile.id
        self._check_weights(profile, "profile")
        return self._make_weighted(profile), None

    def _check_weights(self, weights: Mapping[str, object], source: str) -> None:
        problems = []
        for key, value in weights.items():
            path = "weights" + key_path(str(key))
            if key not in self.targets:
                hint = did_you_mean(str(key), sorted(self.targets))
                problems.append(Problem(path, f'no section or item has the id "{key}"{hint}'))
            if not isinstance(value, int | float) or isinstance(value, bool):
                problems.append(Problem(path, f"expected a number, got {describe_value(value)}"))
            elif not finite(value):
                problems.append(Problem(path, f"expected a finite number, got {value}"))
            else:
                problems.extend(amount_problems(path, value))
        if problems:
            raise ChecklistError(source, problems)

    def _make_weighted(self, weights: Mapping[str, float]) -> tuple[Row, ...]:
        out: list[Row] = []
        for step in self.steps:
            w = step.item.effective_weight * weights.get(step.id, weights.get(step.section, 1))
            wm = 0 if self.skip_unanswered else w * step.max
            blank = ItemScore(
                item=step.id, answer=None, points=0, max_points=wm, weight=w, status="unanswered"
            )
            memo: dict[Answer, Entry] | None = {} if step.memoize else None
            row = (step.id, step.when, step.referenced, memo, step.buckets, step.therapy)
            out.append((*row, blank, wm, step, w))
        return tuple(out)

    def entry(self, step: Step, w: float, answer: Answer) -> Entry:
        """The scored form of *answer* to *step* under weight *w*."""
        if answer == UNKNOWN:
            wm = 0 if self.skip_unknown else w * step.max
            flags = step.unknown_flags if step.unknown_flags != NO_FLAGS else None
            s = ItemScore(
                item=step.id, answer=UNKNOWN, points=0, max_points=wm, weight=w, status="unknown"
            )
            return (s, 0, wm, flags, False, False, True)
        p, raised = points(step, answer)
        wp, wm = w * p, w * step.max
        s = ItemScore(
            item=step.id, answer=answer, points=wp, max_points=wm, weight=w, status="answered"
        )
        flags_or_none = raised if raised != NO_FLAGS else None
        return (s, wp, wm, flags_or_none, p > 0, step.item.kind is not ItemKind.TEXT, False)


def _warn(item_id: str, answer: str | float, red: str | None, caution: str | None) -> Flags:
    return (
        (RedFlag(item_id, answer, red),) if red else (),
        (Caution(item_id, answer, caution),) if caution else (),
    )


def points(step: Step, answer: Answer) -> tuple[float, Flags]:
    """An answer's points before weights, and the red flags and cautions it raises."""
    item = step.item
    kind = item.kind
    if kind is ItemKind.YES_NO:
        if answer == item.good_answer:
            return 1, NO_FLAGS
        return 0, _warn(step.id, answer, item.red_flag, item.caution)  # type: ignore[arg-type]
    if kind is ItemKind.CHOICE:
        option = step.options[answer]  # type: ignore[index]
        return option.points, _warn(step.id, option.id, option.red_flag, option.caution)
    if kind is ItemKind.MULTI:
        chosen = set(answer)  # type: ignore[arg-type]
        selected = [o for o in step.options.values() if o.id in chosen]
        total = sum(o.points for o in selected)
        red = tuple(RedFlag(step.id, o.id, o.red_flag) for o in selected if o.red_flag)
        cautions = tuple(Caution(step.id, o.id, o.caution) for o in selected if o.caution)
        return min(total, step.max), (red, cautions)
    if kind is ItemKind.NUMBER:
        for band in item.points or ():
            if answer >= band.at_least:  # type: ignore[operator]
                return band.points, _warn(step.id, answer, band.red_flag, band.caution)  # type: ignore[arg-type]
        return 0, NO_FLAGS
    return 0, NO_FLAGS


_PLANS: weakref.WeakKeyDictionary[Checklist, Plan] = weakref.WeakKeyDictionary()
"""Plans by checklist. Checklists are immutable and hashable (the hash is cached), so a plan
is found by value, never by an ``id()`` that a new object could reuse."""


def plan(checklist: Checklist) -> Plan:
    """The plan of *checklist*, compiled once and dropped when the checklist is."""
    found = _PLANS.get(checklist)
    if found is None:
        found = _PLANS[checklist] = Plan(checklist)
    return found


def applicable(checklist: Checklist, answers: Mapping[str, Answer]) -> tuple[Item, ...]:
    """The items of *checklist* that apply given *answers*, in checklist order (DESIGN §5).

    Applicability cascades: a condition sees only the answers of items that apply
    themselves, so a stale answer to an item that no longer applies counts as unanswered.
    """
    visible: dict[str, Answer] = {}
    out = []
    for step in plan(checklist).steps:
        if step.when is None or step.when.holds(visible):
            out.append(step.item)
            answer = answers.get(step.id)
            if answer is not None:
                visible[step.id] = answer
    return tuple(out)
