"""The view model of filled reports and comparisons, built from scores (DESIGN §6).

:func:`report_view` describes one provider: the score and band, red flags first, the care
model, per-phase and per-section bars, every answer with its note, unknown and unanswered
items. :func:`comparison_view` puts several providers side by side in rank order. Both reuse
the pieces of :mod:`ketacheck.rendering._view`, so the four formats only lay them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final

import attrs

from ketacheck._words import answer_words
from ketacheck.conditions import Answer
from ketacheck.exceptions import Problem, ResponseError
from ketacheck.model import Checklist, ItemKind
from ketacheck.rendering._common import PHASE_TITLES
from ketacheck.rendering._view import (
    PROVIDER_KINDS,
    DocView,
    ItemView,
    Numberer,
    SourceView,
    choices_of,
    doc_view,
    fmt_number,
    safe_link,
    source_views,
)
from ketacheck.scoring import compare, score
from ketacheck.scoring._explain import COSTS_SHOWN, cost_line, verdict_note

if TYPE_CHECKING:
    from ketacheck.response import Provider, Response
    from ketacheck.scoring import (
        Caution,
        Comparison,
        ItemScore,
        ProfileSpec,
        RedFlag,
        Score,
        Subtotal,
    )

__all__ = [
    "CARE_MODELS",
    "AnswerView",
    "BarView",
    "Cell",
    "ColumnView",
    "ComparisonView",
    "ProviderView",
    "RedFlagView",
    "ReportSection",
    "ReportView",
    "answer_words",
    "comparison_view",
    "fmt_percent",
    "report_view",
]

CARE_MODELS: Final[Mapping[str, tuple[str, str]]] = {
    "psychotherapy-integrated": (
        "Psychotherapy-integrated",
        "A therapist works with you during the dosing session (ketamine-assisted psychotherapy).",
    ),
    "therapy-supported": (
        "Therapy-supported",
        "Therapy before or after the dosing sessions, but not during them.",
    ),
    "medication-only": (
        "Medication only",
        "The medicine is given without psychotherapy in any phase.",
    ),
    "undetermined": (
        "Undetermined",
        "Not enough answers to tell how therapy relates to the medicine.",
    ),
}
"""Each care model's name and a sentence saying what it means."""

STATUS_LABELS: Final[Mapping[str, str]] = {
    "answered": "",
    "unknown": "Unknown",
    "unanswered": "Not answered",
    "not-applicable": "Does not apply",
}
"""How a report labels an item's status."""


def fmt_percent(value: float | None) -> str:
    """A percent rounded to a whole number (``72%``); ``n/a`` for None."""
    return "n/a" if value is None else f"{value:.0f}%"


def _selected(answer: Answer | None) -> frozenset[str]:
    if isinstance(answer, tuple):
        return frozenset(answer)
    if isinstance(answer, str):
        return frozenset({answer})
    return frozenset()


@attrs.frozen(kw_only=True)
class BarView:
    """One bar of a chart: a section's or phase's points of its maximum."""

    id: str
    label: str
    points: float
    max_points: float
    percent: float | None

    @property
    def width(self) -> int:
        """The bar's length in whole percent (0 to 100)."""
        return round(min(100.0, max(0.0, self.percent or 0)))

    @property
    def percent_text(self) -> str:
        """The percent as text (``72%``, ``n/a``)."""
        return fmt_percent(self.percent)

    @property
    def points_text(self) -> str:
        """``12.5 of 20 points``."""
        return f"{fmt_number(self.points)} of {fmt_number(self.max_points)} points"


@attrs.frozen(kw_only=True)
class AnswerView:
    """One item of a filled report: its printed form with the chosen boxes, and the answer."""

    item: ItemView
    status: str
    """``answered``, ``unknown``, ``unanswered`` or ``not-applicable``."""
    answer: str
    """The answer in words; empty without one."""
    note: str | None
    points: float
    max_points: float
    red_flags: tuple[str, ...]
    cautions: tuple[str, ...] = ()
    """Reasons worth raising with the provider (not dealbreakers), shown after red flags."""

    @property
    def status_label(self) -> str:
        """``Unknown``, ``Not answered``, ``Does not apply``; empty for an answer."""
        return STATUS_LABELS[self.status]

    @property
    def scored(self) -> bool:
        """Whether the item counts towards the score (it has a maximum)."""
        return self.max_points > 0

    @property
    def points_text(self) -> str:
        """``3 of 5 points``; empty when the item is not scored."""
        if not self.scored:
            return ""
        return f"{fmt_number(self.points)} of {fmt_number(self.max_points)} points"


@attrs.frozen(kw_only=True)
class RedFlagView:
    """A red flag or a caution as reported: the question's number and prompt, answer, reason."""

    number: int
    prompt: str
    answer: str
    reason: str


@attrs.frozen(kw_only=True)
class ProviderView:
    """The provider's name and the details that were recorded, as (label, value) pairs."""

    name: str
    details: tuple[tuple[str, str], ...]
    website: str | None
    website_link: str | None


@attrs.frozen(kw_only=True)
class ReportSection:
    """A section of a filled report: heading, bar and answers."""

    id: str
    title: str
    phase_title: str
    bar: BarView | None
    answers: tuple[AnswerView, ...]


@attrs.frozen(kw_only=True)
class ReportView:
    """A filled report of one provider."""

    doc: DocView
    provider: ProviderView
    points: float
    max_points: float
    percent: float | None
    band: str | None
    completeness: float | None
    care_model: str
    care_model_text: str
    profile: str | None
    red_flags: tuple[RedFlagView, ...]
    cautions: tuple[RedFlagView, ...]
    """Answers worth raising with the provider, listed after the red flags."""
    band_capped: bool
    """Whether red flags lowered the band."""
    verdict_note: str | None
    """Why the band is capped or missing (and how many more answers a verdict needs)."""
    costs: tuple[str, ...]
    """The answers that cost the most weighted points, biggest first, each with its why."""
    phases: tuple[BarView, ...]
    section_bars: tuple[BarView, ...]
    sections: tuple[ReportSection, ...]
    unknown: tuple[AnswerView, ...]
    unanswered: tuple[AnswerView, ...]
    sources: tuple[SourceView, ...]
    answered_count: int
    """Applicable questions with an answer (``unknown`` included)."""
    applicable_count: int
    """Questions that apply given the answers."""

    @property
    def percent_text(self) -> str:
        """The total percent (``72%``)."""
        return fmt_percent(self.percent)

    @property
    def points_text(self) -> str:
        """``84.5 of 120 points``."""
        return f"{fmt_number(self.points)} of {fmt_number(self.max_points)} points"

    @property
    def completeness_text(self) -> str:
        """The share of applicable questions answered (``90%``)."""
        return fmt_percent(None if self.completeness is None else 100 * self.completeness)

    @property
    def score_text(self) -> str:
        """``72% (adequate), 84.5 of 120 points``."""
        band = f" ({self.band}{', capped' if self.band_capped else ''})" if self.band else ""
        return f"{self.percent_text}{band}, {self.points_text}"

    @property
    def answered_text(self) -> str:
        """``60 of 64 questions that apply (94%)``."""
        return (
            f"{self.answered_count} of {self.applicable_count} questions that apply "
            f"({self.completeness_text})"
        )


def provider_view(provider: Provider) -> ProviderView:
    """The provider's recorded details for a report header."""
    details: list[tuple[str, str]] = []
    if provider.kind:
        details.append(("Kind", PROVIDER_KINDS.get(str(provider.kind), str(provider.kind))))
    if provider.location:
        details.append(("Location", provider.location))
    if provider.website:
        details.append(("Website", provider.website))
    if provider.interviewed:
        details.append(("Interviewed on", provider.interviewed.isoformat()))
    if provider.interviewer:
        details.append(("Interviewed by", provider.interviewer))
    return ProviderView(
        name=provider.name or "Unnamed provider",
        details=tuple(details),
        website=provider.website,
        website_link=safe_link(provider.website),
    )


def _bar(id_: str, label: str, subtotal: Subtotal) -> BarView:
    return BarView(
        id=id_,
        label=label,
        points=subtotal.points,
        max_points=subtotal.max_points,
        percent=subtotal.percent,
    )


def checklist_of(score: Score) -> Checklist:
    """The checklist *score* was computed with."""
    return score.checklist


def _answers(
    checklist: Checklist,
    numberer: Numberer,
    score: Score,
    notes: Mapping[str, str],
) -> dict[str, AnswerView]:
    scored: dict[str, ItemScore] = {s.item: s for s in score.items}
    flags: dict[str, list[str]] = {}
    for flag in score.red_flags:
        flags.setdefault(flag.item, []).append(flag.reason)
    cautions: dict[str, list[str]] = {}
    for caution in score.cautions:
        cautions.setdefault(caution.item, []).append(caution.reason)
    out: dict[str, AnswerView] = {}
    for item in checklist.items:
        s = scored.get(item.id)
        answer = s.answer if s is not None else None
        view = attrs.evolve(numberer.item(item), choices=choices_of(item, _selected(answer)))
        out[item.id] = AnswerView(
            item=view,
            status=s.status if s is not None else "not-applicable",
            answer=answer_words(item, answer),
            note=notes.get(item.id),
            points=s.points if s is not None else 0,
            max_points=s.max_points if s is not None and item.kind is not ItemKind.TEXT else 0,
            red_flags=tuple(flags.get(item.id, ())),
            cautions=tuple(cautions.get(item.id, ())),
        )
    return out


def _warning_views(
    checklist: Checklist, numberer: Numberer, flags: Sequence[RedFlag | Caution]
) -> tuple[RedFlagView, ...]:
    return tuple(
        RedFlagView(
            number=numberer.numbers[f.item],
            prompt=checklist.item(f.item).prompt,
            answer=answer_words(checklist.item(f.item), f.answer),
            reason=f.reason,
        )
        for f in flags
    )


def report_view(score: Score, notes: Mapping[str, str] | None = None) -> ReportView:
    """The filled report of *score* (with the response's *notes*, item id to text)."""
    checklist = checklist_of(score)
    numberer = Numberer(checklist)
    answers = _answers(checklist, numberer, score, notes or {})
    sections = []
    section_bars = []
    for section in checklist.sections:
        subtotal = score.sections.get(section.id)
        bar = (
            _bar(section.id, section.title, subtotal) if subtotal and subtotal.max_points else None
        )
        if bar is not None:
            section_bars.append(bar)
        sections.append(
            ReportSection(
                id=section.id,
                title=section.title,
                phase_title=PHASE_TITLES[str(section.effective_phase)],
                bar=bar,
                answers=tuple(answers[i.id] for i in section.items),
            )
        )
    phases = tuple(
        _bar(phase, PHASE_TITLES.get(phase, phase), subtotal)
        for phase, subtotal in score.phases.items()
        if subtotal.max_points
    )
    name, meaning = CARE_MODELS.get(str(score.care_model), (str(score.care_model), ""))
    profile = None
    if score.profile is not None:
        chosen = checklist.profile(score.profile)
        profile = chosen.title or chosen.id
    return ReportView(
        doc=doc_view(checklist),
        provider=provider_view(score.provider),
        points=score.points,
        max_points=score.max_points,
        percent=score.percent,
        band=score.band,
        completeness=score.completeness,
        care_model=name,
        care_model_text=meaning,
        profile=profile,
        red_flags=_warning_views(checklist, numberer, score.red_flags),
        cautions=_warning_views(checklist, numberer, score.cautions),
        band_capped=score.band_capped,
        verdict_note=verdict_note(score),
        costs=tuple(
            cost_line(
                checklist, c, label=f"{numberer.numbers[c.item]}. {checklist.item(c.item).prompt}"
            )[2:]
            for c in score.costs(COSTS_SHOWN)
        ),
        phases=phases,
        section_bars=tuple(section_bars),
        sections=tuple(sections),
        unknown=tuple(answers[i] for i in score.unknown),
        unanswered=tuple(answers[i] for i in score.unanswered),
        sources=source_views(checklist),
        answered_count=sum(a.status in ("answered", "unknown") for a in answers.values()),
        applicable_count=sum(a.status != "not-applicable" for a in answers.values()),
    )


def response_report(response: Response, profile: ProfileSpec = None) -> ReportView:
    """Score *response* (with *profile*) and describe it as a filled report."""
    return report_view(score(response, profile), response.notes)


# -- comparison ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ColumnView:
    """One provider's column in a comparison, in rank order."""

    rank: int
    report: ReportView


@attrs.frozen(kw_only=True)
class Cell:
    """One provider's answer to one item in a comparison."""

    text: str
    status: str
    red_flag: bool

    @property
    def display(self) -> str:
        """The answer in words, or the status label (``Unknown``, ``Does not apply``...)."""
        if self.status == "answered":
            return self.text
        return STATUS_LABELS[self.status]


@attrs.frozen(kw_only=True)
class CompareRow:
    """A row of a comparison table: a label and one value per provider."""

    number: int | None
    label: str
    cells: tuple[Cell, ...]


@attrs.frozen(kw_only=True)
class CompareSection:
    """A section of the answer-by-answer comparison."""

    title: str
    phase_title: str
    rows: tuple[CompareRow, ...]


@attrs.frozen(kw_only=True)
class ComparisonView:
    """Several providers side by side, in rank order."""

    doc: DocView
    columns: tuple[ColumnView, ...]
    summary: tuple[CompareRow, ...]
    """Score, band, red flags, cautions, completeness, care model, then each phase's percent."""
    explained: tuple[tuple[str, tuple[str, ...]], ...]
    """Headed lists: what cost each provider most (with why its band is capped or missing),
    then where the providers differ most."""
    sections: tuple[CompareSection, ...]
    sources: tuple[SourceView, ...]


def _cell(text: str, status: str = "answered", *, red_flag: bool = False) -> Cell:
    return Cell(text=text, status=status, red_flag=red_flag)


def _summary(reports: Sequence[ReportView]) -> list[CompareRow]:
    rows = [
        CompareRow(number=None, label="Score", cells=tuple(_cell(r.percent_text) for r in reports)),
        CompareRow(
            number=None,
            label="Band",
            cells=tuple(
                _cell(f"{r.band} (capped)" if r.band_capped else r.band or "none") for r in reports
            ),
        ),
        CompareRow(
            number=None,
            label="Red flags",
            cells=tuple(_cell(str(len(r.red_flags)), red_flag=bool(r.red_flags)) for r in reports),
        ),
        CompareRow(
            number=None, label="Cautions", cells=tuple(_cell(str(len(r.cautions))) for r in reports)
        ),
        CompareRow(
            number=None,
            label="Questions answered",
            cells=tuple(_cell(r.completeness_text) for r in reports),
        ),
        CompareRow(
            number=None, label="Care model", cells=tuple(_cell(r.care_model) for r in reports)
        ),
    ]
    phases = list(dict.fromkeys(b.label for r in reports for b in r.phases))
    for label in phases:
        cells = []
        for r in reports:
            bar = next((b for b in r.phases if b.label == label), None)
            cells.append(_cell(bar.percent_text if bar else "n/a"))
        rows.append(CompareRow(number=None, label=label, cells=tuple(cells)))
    return rows


def _explained(
    comparison: Comparison, reports: Sequence[ReportView], numbers: Mapping[str, int]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups = [
        (
            f"What cost {rank}. {r.provider.name} most",
            (*([r.verdict_note] if r.verdict_note else []), *(r.costs or ["Nothing."])),
        )
        for rank, r in enumerate(reports, start=1)
    ]
    differences = comparison.differences()
    if len(reports) > 1 and differences:
        checklist = checklist_of(comparison.scores[0])
        lines = []
        for d in differences:
            earned = ", ".join(
                f"{rank}. {'does not apply' if p is None else fmt_number(p)}"
                for rank, p in enumerate(d.points, start=1)
            )
            prompt = checklist.item(d.item).prompt
            lines.append(
                f"{numbers[d.item]}. {prompt} {fmt_number(d.spread)} "
                f"point{'' if d.spread == 1 else 's'} apart (points by rank: {earned})."
            )
        groups.append(("Where they differ most", tuple(lines)))
    return tuple(groups)


def check_comparable(scores: Sequence[Score]) -> Checklist:
    """The one checklist every score in *scores* answers.

    Raises ValueError for no scores, ResponseError when they answer different checklists.
    """
    if not scores:
        raise ValueError("nothing to compare: give at least one response")
    checklists = list(dict.fromkeys((checklist_of(s).id, checklist_of(s).version) for s in scores))
    if len(checklists) > 1:
        names = ", ".join(f"{i} {v}" for i, v in checklists)
        raise ResponseError(
            "comparison",
            [Problem("checklist", f"the responses answer different checklists ({names})")],
        )
    return checklist_of(scores[0])


def comparison_view(
    comparison: Comparison, notes: Sequence[Mapping[str, str]] = ()
) -> ComparisonView:
    """*comparison* side by side in rank order; *notes* are per score in input order.

    Raises ValueError when there is nothing to compare, ResponseError when the responses
    answer different checklists (or versions).
    """
    checklist = check_comparable(comparison.scores)
    position = {id(s): i for i, s in enumerate(comparison.scores)}
    notes = list(notes)
    reports = [
        report_view(s, notes[position[id(s)]] if position[id(s)] < len(notes) else None)
        for s in comparison.rows
    ]
    sections = []
    for n, section in enumerate(reports[0].sections):
        rows = []
        for i, first in enumerate(section.answers):
            cells = tuple(
                _cell(a.answer, a.status, red_flag=bool(a.red_flags))
                for a in (r.sections[n].answers[i] for r in reports)
            )
            rows.append(CompareRow(number=first.item.number, label=first.item.prompt, cells=cells))
        sections.append(
            CompareSection(title=section.title, phase_title=section.phase_title, rows=tuple(rows))
        )
    return ComparisonView(
        doc=reports[0].doc,
        columns=tuple(ColumnView(rank=i, report=r) for i, r in enumerate(reports, start=1)),
        summary=tuple(_summary(reports)),
        explained=_explained(comparison, reports, Numberer(checklist).numbers),
        sections=tuple(sections),
        sources=source_views(checklist),
    )


def responses_comparison(
    responses: Sequence[Response], profile: ProfileSpec = None
) -> ComparisonView:
    """Compare *responses* (with *profile*) and describe them side by side."""
    return comparison_view(compare(responses, profile), [r.notes for r in responses])
