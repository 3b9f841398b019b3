"""Plain text for an 80-column terminal or a plain printer.

:func:`blank` is the checklist to take to a consultation (``ketacheck show`` and
``ketacheck print --format text``); :func:`report` and :func:`comparison` are the filled
report of one provider and several providers side by side.
"""

from __future__ import annotations

import textwrap
from typing import Final

from ketacheck.model import Checklist, ItemKind
from ketacheck.rendering._report import (
    AnswerView,
    BarView,
    ComparisonView,
    RedFlagView,
    ReportView,
)
from ketacheck.rendering._view import BlankView, ItemView, SourceView, blank_view

__all__ = ["blank", "blank_text", "comparison_text", "layout", "report_text"]


_NBSP: Final = "\u00a0"
"""Joins words that must stay on one line (``4 of 5 points``) while wrapping."""


def _wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent.rstrip()]
    return [line.replace(_NBSP, " ") for line in lines]


def _keep(text: str) -> str:
    """*text* with its spaces made unbreakable, so wrapping keeps it on one line."""
    return text.replace(" ", _NBSP)


def _heading(text: str, width: int, rule: str = "=") -> list[str]:
    lines = _wrap(text, width, "")
    return [*lines, rule * min(width, max(len(line) for line in lines))]


def _boxes(item: ItemView, pad: str, width: int) -> list[str]:
    """The answer boxes of a blank item."""
    if item.kind == ItemKind.YES_NO:
        return [pad + "   ".join(f"[ ] {c.label}" for c in item.choices)]
    if item.choices:
        box = "[ ]" if item.multiple else "( )"
        lines: list[str] = []
        for choice in item.choices:
            lines.extend(_wrap(choice.label, width, pad + "    ", first=f"{pad}{box} "))
        return lines
    if item.kind == ItemKind.NUMBER:
        return [f"{pad}__________ {item.hint}".rstrip()]
    return [f"{pad}{'_' * min(60, width - len(pad))}"]


def _provider_header(view: BlankView, width: int, printout: bool) -> list[str]:
    if not printout:
        return ["Provider: ____________________________  Date: ____________"]
    label_width = max(len(f) for f in view.provider_fields) + 2
    lines = [
        f"{field + ':':<{label_width}}{'_' * max(10, width - label_width)}"
        for field in view.provider_fields
    ]
    lines.extend(_pack([f"[ ] {k}" for k in view.provider_kinds], width, "Kind:", label_width))
    return lines


def _pack(units: list[str], width: int, label: str, indent: int) -> list[str]:
    """Lay *units* out side by side under a hanging *label*; a unit too wide wraps alone."""
    lines: list[str] = []
    pad = " " * indent
    line = f"{label:<{indent}}"
    fresh = True
    for unit in units:
        if not fresh and len(line) + 3 + len(unit) > width:
            lines.append(line)
            line, fresh = pad, True
        if fresh and len(line) + len(unit) > width:
            wrapped = _wrap(unit, width, pad + "    ", first=line)
            lines.extend(wrapped[:-1])
            line = wrapped[-1]
        else:
            line += unit if fresh else "   " + unit
        fresh = False
    lines.append(line)
    return lines


def sources_text(sources: tuple[SourceView, ...], width: int) -> list[str]:
    """The numbered source notes as lines."""
    if not sources:
        return []
    lines = ["", *_heading("SOURCES", width)]
    for source in sources:
        mark = f"[{source.number}] "
        text = source.title + (f" {source.url}" if source.url else "")
        lines.extend(_wrap(text, width, " " * len(mark), first=mark))
    return lines


def blank_text(view: BlankView, *, width: int = 80, printout: bool = False) -> str:
    """Lay out a :class:`~ketacheck.rendering._view.BlankView` as text lines of *width*."""
    doc = view.doc
    lines: list[str] = []
    lines.extend(_wrap(doc.title, width, ""))
    lines.append(f"{doc.id} {doc.version}")
    if doc.summary:
        lines.extend(_wrap(doc.summary, width, ""))
    lines += ["", *_provider_header(view, width, printout), ""]
    for section in view.sections:
        heading = f"{section.title.upper()}  [{section.phase_title}]"
        lines += ["", *_heading(heading, width)]
        if section.summary:
            lines.extend(_wrap(section.summary, width, ""))
        for item in section.items:
            mark = f"{item.number}. "
            pad = " " * len(mark)
            lines.append("")
            lines.extend(_wrap(item.prompt, width, pad, first=mark))
            lines.extend(_boxes(item, pad, width))
            if item.when:
                lines.extend(_wrap(item.when, width, pad))
            if item.why:
                lines.extend(_wrap(f"Why: {item.why}", width, pad))
            if printout and item.guidance:
                lines.extend(_wrap(f"Tip: {item.guidance}", width, pad))
            if item.sources:
                lines.append(f"{pad}Sources: {item.sources_text}")
    lines.extend(sources_text(view.sources, width))
    return "\n".join(lines) + "\n"


def blank(checklist: Checklist, *, width: int = 80, printout: bool = False) -> str:
    """The checklist as text to read or print: every item with boxes, why and conditions.

    Args:
        checklist: The checklist to lay out.
        width: The line width; text wraps at word boundaries.
        printout: Lay out for paper: blanks for every provider detail and each item's
            ``guidance`` (shown on printouts only).
    """
    return blank_text(blank_view(checklist), width=width, printout=printout)


# -- filled report ------------------------------------------------------------------------

_BAR: Final = 20


def _bar(percent: float | None) -> str:
    filled = round(_BAR * min(100.0, max(0.0, percent or 0)) / 100)
    return "#" * filled + "." * (_BAR - filled)


def _bars(bars: tuple[BarView, ...], width: int) -> list[str]:
    label_width = min(max((len(b.label) for b in bars), default=0), width - _BAR - 8)
    lines = []
    for b in bars:
        label = b.label if len(b.label) <= label_width else b.label[: label_width - 3] + "..."
        lines.append(f"{label:<{label_width}}  {_bar(b.percent)} {b.percent_text:>4}".rstrip())
    return lines


def _provider(report: ReportView, width: int) -> list[str]:
    lines = _wrap(report.provider.name, width, "")
    label_width = max((len(label) for label, _ in report.provider.details), default=0) + 2
    for label, value in report.provider.details:
        lines.extend(_wrap(value, width, " " * label_width, first=f"{label + ':':<{label_width}}"))
    return lines


def _answer(a: AnswerView, width: int) -> list[str]:
    item = a.item
    mark = f"{item.number}. "
    pad = " " * len(mark)
    lines = _wrap(item.prompt, width, pad, first=mark)
    if a.status == "not-applicable":
        lines.extend(_wrap(f"{a.status_label}. {item.when or ''}".strip(), width, pad))
        return lines
    if a.status == "unanswered":
        lines.append(f"{pad}{a.status_label}.")
    else:
        points = f" {_keep(f'({a.points_text})')}" if a.points_text else ""
        lines.extend(_wrap(f"Answer: {a.answer}{points}", width, pad + "  ", first=pad))
    lines.extend(
        line
        for flag in a.red_flags
        for line in _wrap(f"RED FLAG: {flag}", width, pad + "  ", first=pad)
    )
    lines.extend(
        line
        for caution in a.cautions
        for line in _wrap(f"Caution: {caution}", width, pad + "  ", first=pad)
    )
    if a.note:
        lines.extend(_wrap(f"Note: {a.note}", width, pad + "  ", first=pad))
    return lines


def _listed(title: str, answers: tuple[AnswerView, ...], width: int) -> list[str]:
    if not answers:
        return []
    lines = ["", *_heading(f"{title} ({len(answers)})", width)]
    for a in answers:
        mark = f"{a.item.number}. "
        lines.extend(_wrap(a.item.prompt, width, " " * len(mark), first=mark))
    return lines


def _warnings(
    title: str, flags: tuple[RedFlagView, ...], width: int, *, always: bool = False
) -> list[str]:
    """Red flags (always listed, "None." when there are none) or cautions (when any)."""
    if not flags and not always:
        return []
    lines = ["", *_heading(f"{title} ({len(flags)})", width)]
    if not flags:
        lines.append("None.")
    elif not always:
        lines += ["Worth raising with the provider; not dealbreakers.", ""]
    for n, flag in enumerate(flags):
        if n:
            lines.append("")
        mark = f"{flag.number}. "
        pad = " " * len(mark)
        lines.extend(_wrap(flag.prompt, width, pad, first=mark))
        lines.extend(_wrap(f"Answer: {flag.answer}", width, pad))
        lines.extend(_wrap(flag.reason, width, pad))
    return lines


def report_text(report: ReportView, *, width: int = 80) -> str:
    """Lay out a filled report: score, red flags, care model, bars, answers, open questions."""
    doc = report.doc
    lines = [*_wrap(f"{doc.title}: report", width, ""), f"{doc.id} {doc.version}", ""]
    lines += [*_heading("PROVIDER", width), *_provider(report, width)]
    lines += ["", *_heading("SCORE", width)]
    lines.extend(_wrap(f"{report.score_text}.", width, ""))
    lines.extend(_wrap(f"Answered: {report.answered_text}.", width, ""))
    if report.profile:
        lines.extend(_wrap(f"Priorities: {report.profile}.", width, ""))
    if report.verdict_note:
        lines.extend(_wrap(report.verdict_note, width, ""))
    lines += _warnings("RED FLAGS", report.red_flags, width, always=True)
    lines += _warnings("CAUTIONS", report.cautions, width)
    lines += ["", *_heading("CARE MODEL", width)]
    lines.extend(_wrap(f"{report.care_model}: {report.care_model_text}", width, ""))
    if report.costs:
        lines += ["", *_heading("WHAT COST THE MOST POINTS", width)]
        for cost in report.costs:
            lines.extend(_wrap(cost, width, "  ", first="- "))
    if report.phases:
        lines += ["", *_heading("SCORES BY PHASE", width), *_bars(report.phases, width)]
    if report.section_bars:
        lines += ["", *_heading("SCORES BY SECTION", width), *_bars(report.section_bars, width)]
    lines += ["", *_heading("ANSWERS", width)]
    for section in report.sections:
        score = f", {section.bar.percent_text}" if section.bar else ""
        lines += [
            "",
            *_heading(f"{section.title.upper()}  [{section.phase_title}{score}]", width, "-"),
        ]
        for a in section.answers:
            lines += ["", *_answer(a, width)]
    lines += _listed("UNKNOWN", report.unknown, width)
    lines += _listed("NOT ANSWERED", report.unanswered, width)
    lines.extend(sources_text(report.sources, width))
    return "\n".join(lines) + "\n"


# -- comparison ---------------------------------------------------------------------------


def _table(header: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    """A plain table: each cell wrapped within its column, columns two spaces apart."""
    lines = []
    for n, row in enumerate([header, *rows]):
        cells = [textwrap.wrap(text, w) or [""] for text, w in zip(row, widths, strict=True)]
        for k in range(max(len(c) for c in cells)):
            parts = [(c[k] if k < len(c) else "") for c in cells]
            lines.append(
                "  ".join(f"{p:<{w}}" for p, w in zip(parts, widths, strict=True)).rstrip()
            )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def comparison_text(view: ComparisonView, *, width: int = 80) -> str:
    """Lay out a comparison: a summary table, red flags, then every answer by provider."""
    doc = view.doc
    names = [f"{c.rank}. {c.report.provider.name}" for c in view.columns]
    lines = [*_wrap(f"{doc.title}: comparison", width, ""), f"{doc.id} {doc.version}", ""]
    label_width = min(20, max(len(r.label) for r in view.summary))
    n = len(view.columns)
    column = max(8, (width - label_width - 2 * n) // n)
    rows = [[r.label, *(c.display for c in r.cells)] for r in view.summary]
    lines += _table(["", *names], rows, [label_width] + [column] * n)
    for c in view.columns:
        if c.report.red_flags:
            lines += ["", *_heading(f"RED FLAGS: {c.report.provider.name}", width)]
            for flag in c.report.red_flags:
                lines.extend(
                    _wrap(
                        f"{flag.number}. {flag.reason} (answer: {flag.answer})",
                        width,
                        "   ",
                        first=" - ",
                    )
                )
    for heading, items in view.explained:
        lines += ["", *_heading(heading.upper(), width)]
        for text in items:
            lines.extend(_wrap(text, width, "   ", first=" - "))
    lines += ["", *_heading("ANSWERS", width)]
    name_width = max(len(c.report.provider.name) for c in view.columns) + 2
    for section in view.sections:
        lines += ["", *_heading(f"{section.title.upper()}  [{section.phase_title}]", width, "-")]
        for row in section.rows:
            mark = f"{row.number}. "
            lines += ["", *_wrap(row.label, width, " " * len(mark), first=mark)]
            for col, cell in zip(view.columns, row.cells, strict=True):
                label = f"{col.report.provider.name}:"
                text = cell.display + (" (RED FLAG)" if cell.red_flag else "")
                indent = " " * len(mark)
                if len(indent) + name_width + 10 > width:
                    lines.extend(_wrap(f"{label} {text}", width, indent + "  ", first=indent))
                else:
                    lines.extend(
                        _wrap(
                            text,
                            width,
                            indent + " " * name_width,
                            first=f"{indent}{label:<{name_width}}",
                        )
                    )
    lines.extend(sources_text(view.sources, width))
    return "\n".join(lines) + "\n"


def layout(view: ReportView | ComparisonView, *, width: int = 80) -> str:
    """Lay out a filled report or a comparison as text."""
    if isinstance(view, ReportView):
        return report_text(view, width=width)
    return comparison_text(view, width=width)
