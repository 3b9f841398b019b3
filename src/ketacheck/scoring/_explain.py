"""The words of a verdict: why a band is capped or missing, what cost the most, the warnings.

:meth:`Score.explain`, the reports and the comparison all say these things through this
module, so they say them the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketacheck._words import answer_words, display_number

if TYPE_CHECKING:
    from ketacheck.model import Checklist
    from ketacheck.scoring._results import Caution, ItemScore, RedFlag, Score

COSTS_SHOWN = 5
"""How many of the costliest answers a comparison names per provider."""


def hundred(fraction: float | None) -> float | None:
    """A fraction (0-1) as a percentage, keeping None."""
    return None if fraction is None else 100 * fraction


def pct(value: float | None) -> str:
    """A percentage for reading: ``72.9%`` or ``n/a``."""
    return "n/a" if value is None else f"{value:.1f}%"


def counted(n: int, noun: str) -> str:
    """``1 red flag``, ``2 red flags``, ``0 cautions``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def verdict_note(s: Score) -> str | None:
    """Why the band is capped or missing, in one sentence; None when there is nothing to say."""
    scoring = s.checklist.effective_scoring
    if s.band_capped:
        return (
            f'Band capped at "{s.band}": with {counted(len(s.red_flags), "red flag")} the band '
            f'is at best "{s.band}" (the points alone reach "{s.uncapped_band}").'
        )
    if s.band is not None or not scoring.bands:
        return None
    if s.completeness is None:
        return "No band: no question applies."
    if s.completeness < scoring.min_completeness:
        answered = len(s.items) - len(s.unanswered)
        return (
            f"No band yet: {answered} of {len(s.items)} applicable questions are answered "
            f"({pct(hundred(s.completeness))}); a verdict needs "
            f"{pct(hundred(scoring.min_completeness))}, so at least "
            f"{counted(s.answers_needed, 'more answer')}."
        )
    return "No band: no scored question applies."


def flag_line(checklist: Checklist, flag: RedFlag | Caution) -> str:
    """``- item (answer words): reason``."""
    words = answer_words(checklist.item(flag.item), flag.answer, quote_text=True)
    return f"- {flag.item} ({words}): {flag.reason}"


def cost_line(
    checklist: Checklist, s: ItemScore, *, why: bool = True, label: str | None = None
) -> str:
    """``- item (answer words): lost 3 of 3 points. Why.`` for one costly answer.

    *label* names the item instead of its id (a report uses the question's number and prompt).
    """
    item = checklist.item(s.item)
    answer = "not answered" if s.status == "unanswered" else answer_words(item, s.answer)
    if s.status == "answered" and item.option_ids == () and isinstance(s.answer, str):
        answer = answer_words(item, s.answer, quote_text=True)
    reason = f" {item.why}" if why and item.why else ""
    unit = "point" if s.max_points == 1 else "points"
    return (
        f"- {label or s.item} ({answer}): lost {display_number(s.lost)} of "
        f"{display_number(s.max_points)} {unit}.{reason}"
    )


def headline(s: Score) -> str:
    """The first line of an explanation: provider, percent, band, warnings, care model.

    Like ``Name: 72.9% (adequate), 1 red flag, care model X, 100.0% of ... answered.``;
    cautions are counted when there are any.
    """
    name = s.provider.name or "This provider"
    band = f" ({s.band})" if s.band else ""
    cautions = f"{counted(len(s.cautions), 'caution')}, " if s.cautions else ""
    return (
        f"{name}: {pct(s.percent)}{band}, {counted(len(s.red_flags), 'red flag')}, "
        f"{cautions}care model {s.care_model}, "
        f"{pct(hundred(s.completeness))} of the questions answered."
    )


def explain_lines(s: Score) -> list[str]:
    """The lines of :meth:`Score.explain`."""
    checklist = s.checklist
    lines = [headline(s)]
    note = verdict_note(s)
    if note:
        lines.append(note)
    if s.red_flags:
        lines.append(f"Red flags ({len(s.red_flags)}), dealbreakers:")
        lines.extend(flag_line(checklist, f) for f in s.red_flags)
    if s.cautions:
        lines.append(f"Cautions ({len(s.cautions)}), worth raising with the provider:")
        lines.extend(flag_line(checklist, f) for f in s.cautions)
    costs = s.costs()
    if costs:
        lines.append("What cost the most weighted points, biggest first:")
        lines.extend(cost_line(checklist, c) for c in costs)
    if s.unknown:
        lines.append(f"Unknown ({len(s.unknown)}): {', '.join(s.unknown)}")
    if s.unanswered:
        lines.append(f"Not answered ({len(s.unanswered)}): {', '.join(s.unanswered)}")
    return lines
