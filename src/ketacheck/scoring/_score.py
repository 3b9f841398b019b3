"""Scoring one response (DESIGN §5): a pure function over the checklist's compiled plan."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING

from ketacheck.scoring._plan import DURING, MEMO_LIMIT, Plan, ProfileSpec, Row, plan
from ketacheck.scoring._results import CareModel, Caution, ItemScore, RedFlag, Score, Subtotal

if TYPE_CHECKING:
    from ketacheck.conditions import Answer
    from ketacheck.response import Response


class _Tally:
    """What one walk over the plan adds up: totals, subtotals, warnings, the care model."""

    __slots__ = (
        "bucket_max",
        "bucket_points",
        "cautions",
        "during_informative",
        "during_shows",
        "items",
        "max_points",
        "n_answered",
        "points",
        "red_flags",
        "shows",
        "unanswered",
        "unknown",
    )

    def __init__(self, size: int) -> None:
        self.bucket_points: list[float] = [0] * size
        self.bucket_max: list[float] = [0] * size
        self.points: float = 0
        self.max_points: float = 0
        self.red_flags: list[RedFlag] = []
        self.cautions: list[Caution] = []
        self.unknown: list[str] = []
        self.unanswered: list[str] = []
        self.items: list[ItemScore] = []
        self.n_answered = 0
        self.during_shows = self.shows = self.during_informative = False

    def care_model(self) -> CareModel:
        """The care model from the therapy items seen (DESIGN §5.9)."""
        if self.during_shows:
            return CareModel.PSYCHOTHERAPY_INTEGRATED
        if self.shows:
            return CareModel.THERAPY_SUPPORTED
        if self.during_informative:
            return CareModel.MEDICATION_ONLY
        return CareModel.UNDETERMINED


def _walk(p: Plan, rows: tuple[Row, ...], answers: dict[str, Answer]) -> _Tally:
    """Score every applicable item in checklist order (the hot loop: flat, on locals)."""
    t = _Tally(p.size)
    entry = p.entry
    visible: dict[str, Answer] = {}
    items, bp, bm = t.items, t.bucket_points, t.bucket_max
    red_flags, cautions, unknown, unanswered = t.red_flags, t.cautions, t.unknown, t.unanswered
    points: float = 0
    max_points: float = 0
    during_shows = shows_any = during_informative = False
    for item_id, when, referenced, memo, buckets, therapy, blank, blank_wm, step, w in rows:
        if when is not None and not when.holds(visible):
            continue
        answer = answers.get(item_id)
        if answer is None:
            unanswered.append(item_id)
            items.append(blank)
            if blank_wm:
                max_points += blank_wm
                for b in buckets:
                    bm[b] += blank_wm
            continue
        if referenced:
            visible[item_id] = answer
        e = memo.get(answer) if memo is not None else None
        if e is None:
            e = entry(step, w, answer)
            if memo is not None and len(memo) < MEMO_LIMIT:
                memo[answer] = e
        item_score, wp, wm, flags, shows, informative, is_unknown = e
        items.append(item_score)
        if wm:
            points += wp
            max_points += wm
            for b in buckets:
                bp[b] += wp
                bm[b] += wm
        if flags is not None:
            red_flags.extend(flags[0])
            cautions.extend(flags[1])
        if is_unknown:
            unknown.append(item_id)
        if therapy:
            if therapy == DURING:
                during_shows = during_shows or shows
                during_informative = during_informative or informative
            else:
                shows_any = shows_any or shows
    t.points, t.max_points, t.n_answered = points, max_points, len(items) - len(unanswered)
    t.during_shows, t.shows, t.during_informative = during_shows, shows_any, during_informative
    return t


def _breakdown(p: Plan, t: _Tally) -> tuple[dict[str, Subtotal], ...]:
    subtotals = [
        Subtotal(pts, m, 100 * (pts / m) if m else None)
        for pts, m in zip(t.bucket_points, t.bucket_max, strict=True)
    ]
    ns, nph = len(p.section_ids), len(p.phase_ids)
    return (
        dict(zip(p.section_ids, subtotals[:ns], strict=True)),
        dict(zip(p.phase_ids, subtotals[ns : ns + nph], strict=True)),
        dict(zip(p.tag_ids, subtotals[ns + nph :], strict=True)),
    )


def score(response: Response, profile: ProfileSpec = None) -> Score:
    """Score *response*, optionally with a profile's priorities (DESIGN §5).

    *profile* is None, the id of one of the checklist's profiles (UnknownProfileError if it
    has none such), a :class:`~ketacheck.model.Profile`, or a mapping of section or item id
    to multiplier (ChecklistError naming unknown ids and negative or non-finite values).
    """
    checklist = response.checklist
    p = plan(checklist)
    rows, profile_id = p.weighted(checklist, profile)
    t = _walk(p, rows, response._answers)  # noqa: SLF001 - the scorer reads the response's own store
    n_applicable = len(t.items)
    completeness = t.n_answered / n_applicable if n_applicable else None
    percent = 100 * (t.points / t.max_points) if t.max_points else None
    band, capped = p.scoring.verdict(percent, completeness, red_flags=bool(t.red_flags))
    sections, phases, tags = _breakdown(p, t)
    return Score(
        checklist_id=p.checklist_id,
        checklist_version=p.checklist_version,
        provider=response.provider,
        points=t.points,
        max_points=t.max_points,
        percent=percent,
        band=band,
        band_capped=capped,
        red_flags=tuple(t.red_flags),
        cautions=tuple(t.cautions),
        completeness=completeness,
        care_model=t.care_model(),
        sections=types.MappingProxyType(sections),
        phases=types.MappingProxyType(phases),
        tags=types.MappingProxyType(tags),
        unknown=tuple(t.unknown),
        unanswered=tuple(t.unanswered),
        items=tuple(t.items),
        profile=profile_id,
        checklist=checklist,
    )
