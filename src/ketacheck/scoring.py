"""Scoring a response (DESIGN §5): weighted points, red flags, completeness, care model.

:func:`score` is a pure function of a :class:`~ketacheck.response.Response` and an optional
profile; :func:`compare` ranks several providers. Each checklist is compiled once into a plan
(kept while the checklist lives), so scoring a response does no repeated lookups.
"""

from __future__ import annotations

import enum
import importlib
import types
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs

from ketacheck._display import NotebookDisplay
from ketacheck._words import answer_words, finite
from ketacheck.conditions import UNKNOWN, Answer, Condition, referenced_items
from ketacheck.exceptions import ChecklistError, MissingDependencyError, Problem
from ketacheck.files._convert import describe_value, key_path
from ketacheck.model import Checklist, Item, ItemKind, Option, Phase, Profile, UnknownPolicy
from ketacheck.response import did_you_mean
from ketacheck.validate import amount_problems

if TYPE_CHECKING:
    from ketacheck.response import Provider, Response

__all__ = [
    "CareModel",
    "Comparison",
    "ItemScore",
    "ProfileSpec",
    "RedFlag",
    "Score",
    "Subtotal",
    "applicable",
    "compare",
    "score",
]

ProfileSpec: TypeAlias = "str | Profile | Mapping[str, float] | None"
"""What :func:`score` takes as a profile: none, a profile id of the checklist, a
:class:`~ketacheck.model.Profile`, or an ad-hoc mapping of section or item id to multiplier."""

Status: TypeAlias = Literal["answered", "unknown", "unanswered"]

_MEMO_LIMIT: Final = 256
"""Most distinct answers per item whose scored form is kept for reuse."""


class CareModel(enum.StrEnum):
    """How therapy relates to the medicine, as the answers reveal it (DESIGN §5.9)."""

    MEDICATION_ONLY = "medication-only"
    """No therapy in any phase."""
    THERAPY_SUPPORTED = "therapy-supported"
    """Therapy before and/or after the dosing session, but not during it."""
    PSYCHOTHERAPY_INTEGRATED = "psychotherapy-integrated"
    """Therapy during the dosing session."""
    UNDETERMINED = "undetermined"
    """Not enough answers to tell."""


@attrs.frozen
class RedFlag:
    """An answer that is a dealbreaker, and why."""

    item: str
    answer: str | float
    """The option id, ``yes``/``no``, the number, or ``unknown``."""
    reason: str


@attrs.frozen
class Subtotal:
    """Points of a section, phase or tag (weighted, like the total)."""

    points: float
    max_points: float
    percent: float | None
    """``100 * points / max_points``; None when ``max_points`` is 0."""


@attrs.frozen(kw_only=True)
class ItemScore:
    """What one applicable item contributed to the total."""

    item: str
    answer: Answer | None
    points: float
    """Weighted points earned (``weight * item points``)."""
    max_points: float
    """Weighted points it could earn; 0 when unanswered, or unknown under ``unknown = "skip"``."""
    weight: float
    """The item's weight times the profile's multiplier."""
    status: Status


def _hundred(fraction: float | None) -> float | None:
    """A fraction (0-1) as a percentage, keeping None."""
    return None if fraction is None else 100 * fraction


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


@attrs.frozen(kw_only=True, repr=False)
class Score(NotebookDisplay):
    """The score of one response: totals, band, red flags, completeness, care model, breakdown."""

    checklist_id: str
    checklist_version: str
    provider: Provider
    points: float
    max_points: float
    percent: float | None
    band: str | None
    red_flags: tuple[RedFlag, ...]
    completeness: float | None
    """Answered applicable items / applicable items; None when nothing applies."""
    care_model: CareModel
    sections: Mapping[str, Subtotal]
    phases: Mapping[str, Subtotal]
    tags: Mapping[str, Subtotal]
    unknown: tuple[str, ...]
    """Applicable items answered ``unknown``, in checklist order."""
    unanswered: tuple[str, ...]
    """Applicable items without an answer, in checklist order."""
    items: tuple[ItemScore, ...]
    """Every applicable item, in checklist order."""
    profile: str | None
    """The id of the profile used; None for none or an ad-hoc mapping."""
    _checklist: Checklist = attrs.field(eq=False)

    @property
    def checklist(self) -> Checklist:
        """The checklist the response was scored with."""
        return self._checklist

    def __repr__(self) -> str:
        """Provider, percent, band and red flag count."""
        band = f" ({self.band})" if self.band else ""
        flags = len(self.red_flags)
        return (
            f"<Score for {self.provider.name!r}: {_pct(self.percent)}{band}, "
            f"{flags} red flag{'' if flags == 1 else 's'}, "
            f"{_pct(_hundred(self.completeness))} answered>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON object of ``ketacheck score --format json`` (docs/json-output.md)."""

        def subtotals(values: Mapping[str, Subtotal]) -> dict[str, dict[str, Any]]:
            return {
                k: {"points": s.points, "max_points": s.max_points, "percent": s.percent}
                for k, s in values.items()
            }

        return {
            "checklist": self.checklist_id,
            "checklist_version": self.checklist_version,
            "provider": self.provider.name,
            "points": self.points,
            "max_points": self.max_points,
            "percent": self.percent,
            "band": self.band,
            "completeness": self.completeness,
            "care_model": self.care_model.value,
            "red_flags": [
                {"item": f.item, "answer": f.answer, "reason": f.reason} for f in self.red_flags
            ],
            "unknown": list(self.unknown),
            "unanswered": list(self.unanswered),
            "sections": subtotals(self.sections),
            "phases": subtotals(self.phases),
            "tags": subtotals(self.tags),
        }

    def explain(self) -> str:
        """Plain-language lines: red flags first, then where points were lost and why.

        Losses are listed biggest first, each with the item's ``why``; unknown and unanswered
        items close the text.
        """
        checklist = self._checklist
        name = self.provider.name or "This provider"
        band = f" ({self.band})" if self.band else ""
        flags = len(self.red_flags)
        lines = [
            (
                f"{name}: {_pct(self.percent)}{band}, "
                f"{flags} red flag{'' if flags == 1 else 's'}, care model {self.care_model}, "
                f"{_pct(_hundred(self.completeness))} of the questions answered."
            )
        ]
        if self.red_flags:
            lines.append("Red flags:")
            for f in self.red_flags:
                words = answer_words(checklist.item(f.item), f.answer, quote_text=True)
                lines.append(f"- {f.item} ({words}): {f.reason}")
        losses = sorted(
            (s for s in self.items if s.max_points > s.points),
            key=lambda s: s.points - s.max_points,
        )
        if losses:
            lines.append("Where points were lost, biggest first:")
            for s in losses:
                item = checklist.item(s.item)
                lost = s.max_points - s.points
                why = f" {item.why}" if item.why else ""
                lines.append(
                    f"- {s.item} ({answer_words(item, s.answer, quote_text=True)}): "
                    f"lost {lost:g} of "
                    f"{s.max_points:g} points.{why}"
                )
        if self.unknown:
            lines.append(f"Unknown ({len(self.unknown)}): {', '.join(self.unknown)}")
        if self.unanswered:
            lines.append(f"Not answered ({len(self.unanswered)}): {', '.join(self.unanswered)}")
        return "\n".join(lines)


# -- the plan -----------------------------------------------------------------------------

_THERAPY: Final = "therapy"
_BEFORE_AFTER: Final = 1
_DURING: Final = 2
_THERAPY_PHASES: Final = {
    Phase.BEFORE: _BEFORE_AFTER,
    Phase.AFTER: _BEFORE_AFTER,
    Phase.DURING: _DURING,
}
"""Which phases' therapy items count for the care model; 0 (falsy) for the others."""


@attrs.define(slots=True)
class _Step:
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
    unknown_reason: str
    options: Mapping[str, Option]


_Entry: TypeAlias = tuple[ItemScore, float, float, tuple[RedFlag, ...], bool, bool, bool]
"""The scored form of one answer: (ItemScore, w·p, w·m, red flags, shows therapy,
informative, is unknown)."""

_Row: TypeAlias = tuple[
    str,
    Condition | None,
    bool,
    dict[Answer, _Entry] | None,
    tuple[int, ...],
    int,
    ItemScore,
    _Step,
    float,
]
"""A step under one profile, flat for the scoring loop: (id, when, referenced, memo (None
for number items), buckets, therapy, the unanswered ItemScore, step, weight)."""


class _Plan:
    """A checklist compiled for scoring: steps in checklist order, subtotal buckets."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist_id = checklist.id
        self.checklist_version = checklist.version
        scoring = checklist.effective_scoring
        self.skip_unknown = scoring.unknown is UnknownPolicy.SKIP
        self.band_for = scoring.band_for
        self.section_ids = tuple(s.id for s in checklist.sections)
        phases: dict[str, None] = {}
        tags: dict[str, None] = {}
        for section in checklist.sections:
            phases.setdefault(section.effective_phase.value)
            for item in section.items:
                tags.update(dict.fromkeys(item.tags))
        self.phase_ids = tuple(phases)
        self.tag_ids = tuple(tags)
        ns, nph = len(self.section_ids), len(self.phase_ids)
        self.size = ns + nph + len(self.tag_ids)
        named: set[str] = set()
        for item in checklist.items:
            if item.when is not None:
                named.update(referenced_items(item.when))
        self.targets = frozenset(self.section_ids) | frozenset(i.id for i in checklist.items)
        self.profiles = {p.id: p for p in checklist.profiles}
        steps = []
        for si, section in enumerate(checklist.sections):
            phase = section.effective_phase
            pi = self.phase_ids.index(phase.value)
            therapy_phase = _THERAPY_PHASES.get(phase, 0)
            for item in section.items:
                buckets = (si, ns + pi, *(ns + nph + self.tag_ids.index(t) for t in item.tags))
                steps.append(
                    _Step(
                        item=item,
                        id=item.id,
                        when=item.when,
                        referenced=item.id in named,
                        max=item.max_item_points,
                        section=section.id,
                        buckets=tuple(dict.fromkeys(buckets)),
                        therapy=therapy_phase if _THERAPY in item.tags else 0,
                        memoize=item.kind is not ItemKind.NUMBER,
                        unknown_reason=f"The provider could not or would not answer: {item.prompt}",
                        options={o.id: o for o in item.options or ()},
                    )
                )
        self.steps = tuple(steps)
        self._weighted: dict[str | None, tuple[_Row, ...]] = {}

    def weighted(
        self, checklist: Checklist, profile: ProfileSpec
    ) -> tuple[tuple[_Row, ...], str | None]:
        """Per-step weights under *profile*, cached for the checklist's own profiles."""
        if profile is None or isinstance(profile, str):
            key = profile
            cached = self._weighted.get(key)
            if cached is not None:
                return cached, key
            if key is None:
                weights: Mapping[str, float] = {}
            else:
                weights = checklist.profile(key).weights  # UnknownProfileError if none
                self._check_weights(weights, f'profile "{key}"')
            made = self._make_weighted(weights)
            self._weighted[key] = made
            return made, key
        if isinstance(profile, Profile):
            if self.profiles.get(profile.id) is profile:
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

    def _make_weighted(self, weights: Mapping[str, float]) -> tuple[_Row, ...]:
        out = []
        for step in self.steps:
            multiplier = weights.get(step.id, weights.get(step.section, 1))
            w = step.item.effective_weight * multiplier
            unanswered = ItemScore(
                item=step.id, answer=None, points=0, max_points=0, weight=w, status="unanswered"
            )
            memo: dict[Answer, _Entry] | None = {} if step.memoize else None
            out.append(
                (
                    step.id,
                    step.when,
                    step.referenced,
                    memo,
                    step.buckets,
                    step.therapy,
                    unanswered,
                    step,
                    w,
                )
            )
        return tuple(out)

    def entry(self, step: _Step, w: float, answer: Answer) -> _Entry:
        """The scored form of *answer* to *step* under weight *w*."""
        item = step.item
        if answer == UNKNOWN:
            wm = 0 if self.skip_unknown else w * step.max
            flags: tuple[RedFlag, ...] = ()
            if item.red_flag_if_unknown:
                flags = (RedFlag(step.id, UNKNOWN, step.unknown_reason),)
            s = ItemScore(
                item=step.id, answer=UNKNOWN, points=0, max_points=wm, weight=w, status="unknown"
            )
            return (s, 0, wm, flags, False, False, True)
        p, flags = _points(step, answer)
        wp, wm = w * p, w * step.max
        s = ItemScore(
            item=step.id, answer=answer, points=wp, max_points=wm, weight=w, status="answered"
        )
        return (s, wp, wm, flags, p > 0, item.kind is not ItemKind.TEXT, False)


def _points(step: _Step, answer: Answer) -> tuple[float, tuple[RedFlag, ...]]:
    """An answer's points before weights, and the red flags it raises."""
    item = step.item
    kind = item.kind
    if kind is ItemKind.YES_NO:
        if answer == item.good_answer:
            return 1, ()
        return 0, ((RedFlag(step.id, answer, item.red_flag),) if item.red_flag else ())  # type: ignore[arg-type]
    if kind is ItemKind.CHOICE:
        option = step.options[answer]  # type: ignore[index]
        return option.points, (
            (RedFlag(step.id, option.id, option.red_flag),) if option.red_flag else ()
        )
    if kind is ItemKind.MULTI:
        chosen = set(answer)  # type: ignore[arg-type]
        selected = [o for o in step.options.values() if o.id in chosen]
        total = sum(o.points for o in selected)
        flags = tuple(RedFlag(step.id, o.id, o.red_flag) for o in selected if o.red_flag)
        return min(total, step.max), flags
    if kind is ItemKind.NUMBER:
        for band in item.points or ():
            if answer >= band.at_least:  # type: ignore[operator]
                flags = (RedFlag(step.id, answer, band.red_flag),) if band.red_flag else ()  # type: ignore[arg-type]
                return band.points, flags
        return 0, ()
    return 0, ()


_PLANS: dict[int, tuple[weakref.ref[Checklist], _Plan]] = {}


def _plan(checklist: Checklist) -> _Plan:
    """The plan of *checklist*, compiled once and dropped when the checklist is."""
    key = id(checklist)
    plans = _PLANS  # the callback keeps the dict itself: module globals vanish at exit
    hit = plans.get(key)
    if hit is not None and hit[0]() is checklist:
        return hit[1]
    plan = _Plan(checklist)

    def forget(ref: weakref.ref[Checklist]) -> None:
        if plans.get(key, (None,))[0] is ref:
            del plans[key]

    plans[key] = (weakref.ref(checklist, forget), plan)
    return plan


# -- scoring ------------------------------------------------------------------------------


def applicable(checklist: Checklist, answers: Mapping[str, Answer]) -> tuple[Item, ...]:
    """The items of *checklist* that apply given *answers*, in checklist order (DESIGN §5).

    Applicability cascades: a condition sees only the answers of items that apply
    themselves, so a stale answer to an item that no longer applies counts as unanswered.
    """
    visible: dict[str, Answer] = {}
    out = []
    for step in _plan(checklist).steps:
        if step.when is None or step.when.holds(visible):
            out.append(step.item)
            answer = answers.get(step.id)
            if answer is not None:
                visible[step.id] = answer
    return tuple(out)


def score(response: Response, profile: ProfileSpec = None) -> Score:  # noqa: C901, PLR0912 - the hot loop stays in one piece for speed
    """Score *response*, optionally with a profile's priorities (DESIGN §5).

    *profile* is None, the id of one of the checklist's profiles (UnknownProfileError if it
    has none such), a :class:`~ketacheck.model.Profile`, or a mapping of section or item id
    to multiplier (ChecklistError naming unknown ids and negative or non-finite values).
    """
    checklist = response.checklist
    plan = _plan(checklist)
    rows, profile_id = plan.weighted(checklist, profile)
    answers = response._answers  # noqa: SLF001 - the scorer reads the response's own store
    entry = plan.entry
    visible: dict[str, Answer] = {}
    bucket_points: list[float] = [0] * plan.size
    bucket_max: list[float] = [0] * plan.size
    points: float = 0
    max_points: float = 0
    red_flags: list[RedFlag] = []
    unknown: list[str] = []
    unanswered: list[str] = []
    items: list[ItemScore] = []
    n_applicable = n_answered = 0
    during_shows = before_after_shows = during_informative = False
    for item_id, when, referenced, memo, buckets, therapy, blank, step, w in rows:
        if when is not None and not when.holds(visible):
            continue
        n_applicable += 1
        answer = answers.get(item_id)
        if answer is None:
            unanswered.append(item_id)
            items.append(blank)
            continue
        n_answered += 1
        if referenced:
            visible[item_id] = answer
        e = memo.get(answer) if memo is not None else None
        if e is None:
            e = entry(step, w, answer)
            if memo is not None and len(memo) < _MEMO_LIMIT:
                memo[answer] = e
        item_score, wp, wm, flags, shows, informative, is_unknown = e
        items.append(item_score)
        if wm:
            points += wp
            max_points += wm
            for b in buckets:
                bucket_points[b] += wp
                bucket_max[b] += wm
        if flags:
            red_flags.extend(flags)
        if is_unknown:
            unknown.append(item_id)
        if therapy:
            if therapy == _DURING:
                during_shows = during_shows or shows
                during_informative = during_informative or informative
            else:
                before_after_shows = before_after_shows or shows

    if during_shows:
        care_model = CareModel.PSYCHOTHERAPY_INTEGRATED
    elif before_after_shows:
        care_model = CareModel.THERAPY_SUPPORTED
    elif during_informative:
        care_model = CareModel.MEDICATION_ONLY
    else:
        care_model = CareModel.UNDETERMINED
    subtotals = [
        Subtotal(p, m, 100 * (p / m) if m else None)
        for p, m in zip(bucket_points, bucket_max, strict=True)
    ]
    ns, nph = len(plan.section_ids), len(plan.phase_ids)
    percent = 100 * (points / max_points) if max_points else None
    return Score(
        checklist_id=plan.checklist_id,
        checklist_version=plan.checklist_version,
        provider=response.provider,
        points=points,
        max_points=max_points,
        percent=percent,
        band=plan.band_for(percent),
        red_flags=tuple(red_flags),
        completeness=n_answered / n_applicable if n_applicable else None,
        care_model=care_model,
        sections=types.MappingProxyType(dict(zip(plan.section_ids, subtotals[:ns], strict=True))),
        phases=types.MappingProxyType(
            dict(zip(plan.phase_ids, subtotals[ns : ns + nph], strict=True))
        ),
        tags=types.MappingProxyType(dict(zip(plan.tag_ids, subtotals[ns + nph :], strict=True))),
        unknown=tuple(unknown),
        unanswered=tuple(unanswered),
        items=tuple(items),
        profile=profile_id,
        checklist=checklist,
    )


# -- comparing ----------------------------------------------------------------------------


def _rank_key(s: Score) -> tuple[int, bool, float, bool, float]:
    return (
        len(s.red_flags),
        s.percent is None,
        -(s.percent or 0),
        s.completeness is None,
        -(s.completeness or 0),
    )


@attrs.frozen(repr=False)
class Comparison(NotebookDisplay):
    """Several providers' scores, ranked: fewest red flags, then percent, then completeness.

    Ties keep the input order. ``scores`` are in input order, ``rows`` in rank order.
    """

    scores: tuple[Score, ...]
    rows: tuple[Score, ...] = attrs.field(init=False)

    @rows.default
    def _rank(self) -> tuple[Score, ...]:
        return tuple(sorted(self.scores, key=_rank_key))

    def __repr__(self) -> str:
        """The ranking in one line per provider."""
        lines = [f"<Comparison of {len(self.rows)} providers"]
        lines.extend(
            f"  {rank}. {s.provider.name!r}: {_pct(s.percent)}"
            f"{f' ({s.band})' if s.band else ''}, {len(s.red_flags)} red flags"
            for rank, s in enumerate(self.rows, start=1)
        )
        return "\n".join(lines) + ">"

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per provider, in rank order (for pandas or CSV).

        Keys: rank, provider, kind, points, max_points, percent, band, red_flags (a count),
        completeness, care_model, and ``phase:<id>`` (the phase's percent) for every phase.
        """
        phases = list(dict.fromkeys(p for s in self.rows for p in s.phases))
        records = []
        for rank, s in enumerate(self.rows, start=1):
            record: dict[str, Any] = {
                "rank": rank,
                "provider": s.provider.name,
                "kind": s.provider.kind.value if s.provider.kind else None,
                "points": s.points,
                "max_points": s.max_points,
                "percent": s.percent,
                "band": s.band,
                "red_flags": len(s.red_flags),
                "completeness": s.completeness,
                "care_model": s.care_model.value,
            }
            for phase in phases:
                subtotal = s.phases.get(phase)
                record[f"phase:{phase}"] = subtotal.percent if subtotal else None
            records.append(record)
        return records

    def to_dataframe(self) -> Any:
        """The records as a :class:`pandas.DataFrame` (pandas is optional)."""
        try:
            pd = importlib.import_module("pandas")  # optional and heavy: imported when used
        except ImportError:
            raise MissingDependencyError(
                "Comparison.to_dataframe() needs pandas, which is not installed "
                "(pip install pandas); to_records() gives the same rows without it"
            ) from None
        return pd.DataFrame.from_records(self.to_records())


def compare(responses: Iterable[Response], profile: ProfileSpec = None) -> Comparison:
    """Score each response (with *profile*) and rank them; see :class:`Comparison`."""
    return Comparison(tuple(score(r, profile) for r in responses))
