"""PDF with fpdf2 (the ``pdf`` extra): drawn checkboxes, page numbers, no item split.

Text is set in the bundled DejaVu Sans, which covers Latin (with accents), Greek, Cyrillic,
Armenian and Georgian; characters outside the font print as ``?`` (see docs/printing.md).
fpdf2 is imported when this module is, so import it lazily (``ketacheck.rendering`` does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs

from ketacheck.model import Checklist, ItemKind
from ketacheck.rendering._pdfdoc import Block, Canvas, Style
from ketacheck.rendering._report import (
    AnswerView,
    BarView,
    ComparisonView,
    RedFlagView,
    ReportView,
)
from ketacheck.rendering._view import (
    BlankView,
    DocView,
    ItemView,
    SourceView,
    blank_view,
    fmt_number,
)
from ketacheck.rendering._view import paper as paper_size

__all__ = ["blank", "blank_pdf", "comparison_pdf", "layout", "report_pdf"]

TITLE: Final = Style(18, bold=True, leading=1.25)
META: Final = Style(8, grey=70)
BODY: Final = Style(10)
BOLD: Final = Style(10, bold=True)
PROMPT: Final = Style(10.5, bold=True, leading=1.3)
SMALL: Final = Style(8.2, grey=60, leading=1.3)
HEADING: Final = Style(13, bold=True, leading=1.3)
PHASE: Final = Style(7.5, grey=60)
INDENT: Final = 9.0
HOW_TO: Final = (
    "Tick a box for each answer. Tick \u201cunknown\u201d when you asked but the provider "
    "could not or would not say. Questions marked \u201cOnly if\u201d apply only after "
    "certain answers; skip them otherwise."
)


def doc_header(canvas: Canvas, doc: DocView, subtitle: str | None = None) -> None:
    """The title block: title, checklist id and version, summary."""
    b = canvas.block()
    b.text(doc.title + (f": {subtitle}" if subtitle else ""), TITLE)
    b.space(1)
    meta = f"Checklist {doc.id}, version {doc.version}"
    if doc.updated:
        meta += f", updated {doc.updated}"
    if doc.license:
        meta += f". Licence: {doc.license}"
    b.text(meta + ".", META)
    if doc.summary:
        b.space(1.5)
        b.text(doc.summary, BODY)
    b.space(3)
    canvas.place(b)


def _provider_blanks(canvas: Canvas, view: BlankView) -> None:
    b = canvas.block()
    top = b.height
    b.space(2.5)
    b.text("Provider", HEADING, x=3)
    b.space(1)
    label_w = max(canvas.measure(f, BOLD) for f in view.provider_fields) + 3
    for field in view.provider_fields:
        b.space(2.5)
        b.text(field, BOLD, x=3)
        b.rule(3 + label_w, canvas.width - 3, y=b.height - 0.8)
    b.space(3)
    b.text("Kind of provider", BOLD, x=3)
    b.space(0.8)
    b.choices([(k, False) for k in view.provider_kinds], BODY, x=3, inline=True)
    b.space(2.5)
    b.rect(0, top, canvas.width, b.height - top, line=0.4)
    b.space(3)
    b.text(HOW_TO, SMALL)
    b.space(2)
    canvas.place(b)


def section_heading(
    canvas: Canvas, title: str, phase_title: str, summary: str | None = None
) -> Block:
    """A section's heading block: phase, title, rule and summary."""
    b = canvas.block()
    b.space(4)
    b.text(phase_title.upper(), PHASE)
    b.text(title, HEADING)
    b.space(0.6)
    b.rule(0, canvas.width, width=0.6)
    b.space(1.5)
    if summary:
        b.text(summary, BODY)
        b.space(1)
    return b


def small_print(b: Block, item: ItemView, *, guidance: bool = True) -> None:
    """An item's condition, why, tip and source numbers in small print."""
    if item.when:
        b.text(item.when, SMALL, x=INDENT)
    if item.why:
        b.text(item.why, SMALL, x=INDENT, lead="Why:")
    if guidance and item.guidance:
        b.text(item.guidance, SMALL, x=INDENT, lead="Tip:")
    if item.sources:
        b.text(item.sources_text, SMALL, x=INDENT, lead="Sources:", lead_style=SMALL)


def blank_item(canvas: Canvas, item: ItemView) -> Block:
    """One blank item: number and prompt, boxes or answer lines, small print, a notes line."""
    b = canvas.block()
    b.space(2.2)
    b.text(item.prompt, PROMPT, x=INDENT, hang=f"{item.number}.")
    b.space(1)
    if item.choices:
        if item.multiple:
            b.text("Tick all that apply.", SMALL, x=INDENT)
        b.choices(
            [(c.label, False) for c in item.choices],
            BODY,
            x=INDENT,
            inline=item.kind == ItemKind.YES_NO,
        )
    elif item.kind == ItemKind.NUMBER:
        b.space(4)
        b.rule(INDENT, INDENT + 35, y=b.height + BODY.line_height - 0.8)
        if item.hint:
            b.text(item.hint, BODY, x=INDENT + 37)
        else:
            b.space(BODY.line_height)
    else:
        for _ in range(2):
            b.space(6.5)
            b.rule(INDENT, canvas.width)
        b.space(1)
    b.space(0.8)
    small_print(b, item)
    b.space(2.5)
    b.text("Notes", SMALL, x=INDENT)
    b.rule(INDENT + 10, canvas.width, y=b.height - 0.8)
    b.space(2)
    b.rule(0, canvas.width, width=0.15, grey=150)
    return b


def _heading_block(canvas: Canvas, title: str, above: float = 4) -> Block:
    """A block starting with a heading and its rule."""
    b = canvas.block()
    b.space(above)
    b.text(title, HEADING)
    b.space(0.6)
    b.rule(0, canvas.width, width=0.6)
    b.space(1.5)
    return b


def _bullets(canvas: Canvas, title: str, items: tuple[str, ...]) -> None:
    """A heading and a list of dashed lines, kept together."""
    b = _heading_block(canvas, title, above=3)
    for text in items:
        b.text(text, BODY, x=INDENT, hang="-", hang_x=1)
    canvas.place(b)


def sources(canvas: Canvas, notes: tuple[SourceView, ...]) -> None:
    """The numbered source notes; only http(s) URLs become links."""
    if not notes:
        return
    heading = _heading_block(canvas, "Sources")
    blocks = []
    for s in notes:
        b = canvas.block()
        b.text(s.title, SMALL, x=INDENT, hang=f"[{s.number}]")
        if s.url:
            b.text(s.url, SMALL, x=INDENT, link=s.link)
        b.space(1.2)
        blocks.append(b)
    canvas.place(heading, keep_with=blocks[0])
    for b in blocks:
        canvas.place(b)


def blank_pdf(view: BlankView, *, paper: str = "a4") -> bytes:
    """Lay out a :class:`~ketacheck.rendering._view.BlankView` as a PDF document."""
    canvas = Canvas(
        paper_size(paper), title=view.doc.title, lang=view.doc.language, footer=view.doc.title
    )
    doc_header(canvas, view.doc)
    _provider_blanks(canvas, view)
    for section in view.sections:
        items = [blank_item(canvas, item) for item in section.items]
        heading = section_heading(canvas, section.title, section.phase_title, section.summary)
        canvas.place(heading, keep_with=items[0])
        for block in items:
            canvas.place(block)
    sources(canvas, view.sources)
    return canvas.output()


def blank(checklist: Checklist, *, paper: str = "a4") -> bytes:
    """The blank checklist as a PDF for A4 or Letter paper."""
    return blank_pdf(blank_view(checklist), paper=paper)


# -- filled report ------------------------------------------------------------------------

RED: Final = Style(10, bold=True, red=True)
RED_HEADING: Final = Style(13, bold=True, red=True)
BIG: Final = Style(26, bold=True, leading=1.1)
BAND: Final = Style(15, bold=True, leading=1.1)


def _boxed(canvas: Canvas, build: Callable[[Block], None], *, red: bool = False) -> None:
    """A block drawn by *build* inside a frame."""
    b = canvas.block()
    b.space(2.5)
    build(b)
    b.space(2)
    b.rect(0, 0, canvas.width, b.height, line=0.6 if red else 0.4, red=red)
    b.space(3)
    canvas.place(b)


def _details(b: Block, details: tuple[tuple[str, str], ...], x: float) -> None:
    if not details:
        return
    label_w = max(b.canvas.measure(label, BOLD) for label, _ in details) + 4
    for label, value in details:
        top = b.height
        b.text(label, BOLD, x=x, width=label_w)
        b.height = top
        b.text(value, BODY, x=x + label_w, width=b.canvas.width - x - label_w - 3)


def _score_card(canvas: Canvas, view: ReportView) -> None:
    def build(b: Block) -> None:
        top = b.height
        b.text(view.percent_text, BIG, x=3, width=40)
        if view.band:
            b.text(view.band, BAND, x=3, width=40)
        left = b.height
        b.height = top
        rows = [
            ("Points", view.points_text),
            ("Answered", view.answered_text),
            ("Red flags", str(len(view.red_flags))),
            ("Cautions", str(len(view.cautions))),
            ("Care model", view.care_model),
        ]
        if view.profile:
            rows.append(("Priorities", view.profile))
        _details(b, tuple(rows), 48)
        b.height = max(b.height, left)
        if view.verdict_note:
            b.space(1.5)
            b.text(view.verdict_note, BOLD, x=3, width=canvas.width - 6)

    _boxed(canvas, build)


def _red_flags(canvas: Canvas, view: ReportView) -> None:
    """Red flags in a red frame, "None." in a plain one (no alarm colours for good news)."""
    alarm = bool(view.red_flags)
    _warning_box(canvas, "Red flags", view.red_flags, RED_HEADING if alarm else HEADING, red=alarm)
    if view.cautions:
        _warning_box(canvas, "Cautions (worth raising, not dealbreakers)", view.cautions, HEADING)


def _warning_box(
    canvas: Canvas, title: str, flags: tuple[RedFlagView, ...], style: Style, *, red: bool = False
) -> None:
    def build(b: Block) -> None:
        b.text(f"{title} ({len(flags)})", style, x=3)
        b.space(1.5)
        if not flags:
            b.text("None.", BODY, x=3)
        for flag in flags:
            width = canvas.width - 6 - INDENT
            b.text(flag.prompt, BOLD, x=3 + INDENT, width=width, hang=f"{flag.number}.", hang_x=3)
            b.text(f"Answer: {flag.answer}. {flag.reason}", BODY, x=3 + INDENT, width=width)
            b.space(1.5)

    _boxed(canvas, build, red=red)


def bar_rows(canvas: Canvas, title: str, bars: tuple[BarView, ...]) -> None:
    """A heading and one row per bar: label, a drawn bar, the percent and points."""
    if not bars:
        return
    heading = canvas.block()
    heading.space(4)
    heading.text(title, HEADING)
    heading.space(0.6)
    heading.rule(0, canvas.width, width=0.6)
    heading.space(1)
    rows = []
    label_w = canvas.width * 0.42
    bar_x, bar_w = label_w + 3, canvas.width * 0.36
    for bar in bars:
        r = canvas.block()
        r.space(1)
        top = r.height
        r.text(bar.label, BODY, width=label_w)
        bottom = r.height
        r.rect(bar_x, top + 0.8, bar_w, 3.2, fill=255, line=0.25)
        if bar.width:
            r.rect(bar_x, top + 0.8, bar_w * bar.width / 100, 3.2, fill=60, line=0)
        r.height = top
        r.text(
            f"{bar.percent_text} ({fmt_number(bar.points)}/{fmt_number(bar.max_points)})",
            BODY,
            x=bar_x + bar_w + 3,
        )
        r.height = max(bottom, r.height) + 1
        r.rule(0, canvas.width, width=0.15, grey=170)
        rows.append(r)
    canvas.place(heading, keep_with=rows[0])
    for r in rows:
        canvas.place(r)


def report_item(canvas: Canvas, a: AnswerView) -> Block:
    """One answered item: prompt, boxes as ticked (or the answer), flags, note, points."""
    item = a.item
    b = canvas.block()
    b.space(2)
    muted = a.status == "not-applicable"
    b.text(item.prompt, BODY if muted else PROMPT, x=INDENT, hang=f"{item.number}.")
    b.space(0.8)
    if muted:
        b.text(f"{a.status_label}. {item.when or ''}".strip(), SMALL, x=INDENT)
    else:
        if item.choices:
            b.choices(
                [(c.label, c.selected) for c in item.choices],
                BODY,
                x=INDENT,
                inline=item.kind == ItemKind.YES_NO,
                bold_checked=True,
            )
        elif a.status != "unanswered":
            b.text(a.answer, BOLD, x=INDENT, lead="Answer:", lead_style=BODY)
        if a.status == "unanswered":
            b.text(f"{a.status_label}.", BOLD, x=INDENT)
        elif a.status == "unknown":
            b.text(
                "The provider could not or would not say.",
                BODY,
                x=INDENT,
                lead=f"{a.status_label}.",
            )
        for flag in a.red_flags:
            b.text(flag, Style(10, red=True), x=INDENT, lead="Red flag:", lead_style=RED)
        for caution in a.cautions:
            b.text(caution, BODY, x=INDENT, lead="Caution:", lead_style=BOLD)
        if a.note:
            b.text(a.note, BODY, x=INDENT, lead="Note:")
        if a.points_text:
            b.text(a.points_text, SMALL, x=INDENT)
    b.space(2)
    b.rule(0, canvas.width, width=0.15, grey=150)
    return b


def _listed(canvas: Canvas, title: str, answers: tuple[AnswerView, ...]) -> None:
    if not answers:
        return
    heading = canvas.block()
    heading.space(4)
    heading.text(f"{title} ({len(answers)})", HEADING)
    heading.space(0.6)
    heading.rule(0, canvas.width, width=0.6)
    heading.space(1.5)
    rows = []
    for a in answers:
        r = canvas.block()
        r.text(a.item.prompt, BODY, x=INDENT + 2, hang=f"{a.item.number}.")
        r.space(0.8)
        rows.append(r)
    canvas.place(heading, keep_with=rows[0])
    for r in rows:
        canvas.place(r)


def report_pdf(view: ReportView, *, paper: str = "a4") -> bytes:
    """Lay out a filled report as a PDF document."""
    footer = f"{view.provider.name}: {view.doc.title}"
    canvas = Canvas(paper_size(paper), title=footer, lang=view.doc.language, footer=footer)
    doc_header(canvas, view.doc, view.provider.name)

    def provider(b: Block) -> None:
        b.text("Provider", HEADING, x=3)
        b.space(1)
        b.text(view.provider.name, BOLD, x=3)
        _details(b, view.provider.details, 3)

    _boxed(canvas, provider)
    _score_card(canvas, view)
    _red_flags(canvas, view)
    care = canvas.block()
    care.text("Care model", HEADING)
    care.space(0.6)
    care.rule(0, canvas.width, width=0.6)
    care.space(1.5)
    care.text(view.care_model_text, BODY, lead=f"{view.care_model}:")
    canvas.place(care)
    if view.costs:
        _bullets(canvas, "What cost the most points", view.costs)
    bar_rows(canvas, "Scores by phase", view.phases)
    bar_rows(canvas, "Scores by section", view.section_bars)
    for section in view.sections:
        items = [report_item(canvas, a) for a in section.answers]
        score = f" ({section.bar.percent_text})" if section.bar else ""
        heading = section_heading(canvas, section.title + score, section.phase_title)
        canvas.place(heading, keep_with=items[0])
        for block in items:
            canvas.place(block)
    _listed(canvas, "Unknown", view.unknown)
    _listed(canvas, "Not answered", view.unanswered)
    sources(canvas, view.sources)
    return canvas.output()


# -- comparison ---------------------------------------------------------------------------

TABLE: Final = Style(8.6, leading=1.25)
TABLE_BOLD: Final = Style(8.6, bold=True, leading=1.25)
TABLE_RED: Final = Style(8.6, bold=True, red=True, leading=1.25)
TABLE_MUTED: Final = Style(8.6, grey=90, leading=1.25)


def _row(
    canvas: Canvas, cells: list[tuple[str, Style]], widths: list[float], *, rule: float = 0.15
) -> Block:
    """A table row: each cell wrapped in its column; the row is never split across pages."""
    b = canvas.block()
    b.space(1)
    top = b.height
    bottom = top
    x = 0.0
    for (text, style), width in zip(cells, widths, strict=True):
        b.height = top
        if text:
            b.text(text, style, x=x, width=width - 2.5)
        bottom = max(bottom, b.height)
        x += width
    b.height = bottom + 1
    b.rule(0, canvas.width, width=rule, grey=17 if rule > 0.3 else 160)
    return b


def _table(
    canvas: Canvas,
    header: list[str],
    rows: list[list[tuple[str, Style]]],
    widths: list[float],
    *,
    before: Block | None = None,
) -> None:
    head = _row(canvas, [(h, TABLE_BOLD) for h in header], widths, rule=0.5)
    blocks = [_row(canvas, row, widths) for row in rows]
    if before is not None:
        canvas.place(before, keep_with=head)
    canvas.place(head, keep_with=blocks[0] if blocks else None)
    for block in blocks:
        canvas.place(block, repeat=head)


def _cell_style(status: str, red_flag: bool) -> Style:
    if red_flag:
        return TABLE_RED
    return TABLE if status == "answered" else TABLE_MUTED


def comparison_pdf(view: ComparisonView, *, paper: str = "a4") -> bytes:
    """Lay out a comparison as a PDF: a summary table, red flags, then each section's answers.

    With more than four providers the pages turn to landscape.
    """
    size = paper_size(paper)
    if len(view.columns) > 4:
        size = attrs.evolve(size, width_mm=size.height_mm, height_mm=size.width_mm)
    footer = f"Comparison: {view.doc.title}"
    canvas = Canvas(size, title=footer, lang=view.doc.language, footer=footer)
    doc_header(canvas, view.doc, "comparison")
    n = len(view.columns)
    first = canvas.width * (0.22 if n <= 4 else 0.18)
    widths = [first] + [(canvas.width - first) / n] * n
    names = [f"{c.rank}. {c.report.provider.name}" for c in view.columns]
    rows = [
        [(r.label, TABLE_BOLD)]
        + [(c.display, _cell_style("answered", c.red_flag)) for c in r.cells]
        for r in view.summary
    ]
    _table(canvas, ["", *names], rows, widths)
    for c in view.columns:
        if c.report.red_flags:
            canvas.pdf.set_y(canvas.pdf.get_y() + 3)

            def build(b: Block, report: ReportView = c.report) -> None:
                b.text(f"Red flags: {report.provider.name}", RED_HEADING, x=3)
                b.space(1.5)
                width = canvas.width - 6 - INDENT
                for flag in report.red_flags:
                    b.text(
                        flag.prompt,
                        BOLD,
                        x=3 + INDENT,
                        width=width,
                        hang=f"{flag.number}.",
                        hang_x=3,
                    )
                    b.text(f"Answer: {flag.answer}. {flag.reason}", BODY, x=3 + INDENT, width=width)
                    b.space(1.5)

            _boxed(canvas, build, red=True)
    for title, items in view.explained:
        _bullets(canvas, title, items)
    prompt_w = canvas.width * (0.34 if n <= 4 else 0.26)
    widths = [prompt_w] + [(canvas.width - prompt_w) / n] * n
    for section in view.sections:
        heading = section_heading(canvas, section.title, section.phase_title)
        rows = [
            [(f"{r.number}. {r.label}", TABLE)]
            + [
                (
                    c.display + (" (red flag)" if c.red_flag else ""),
                    _cell_style(c.status, c.red_flag),
                )
                for c in r.cells
            ]
            for r in section.rows
        ]
        _table(
            canvas,
            ["Question", *(c.report.provider.name for c in view.columns)],
            rows,
            widths,
            before=heading,
        )
    sources(canvas, view.sources)
    return canvas.output()


def layout(view: ReportView | ComparisonView, *, paper: str = "a4") -> bytes:
    """Lay out a filled report or a comparison as a PDF document."""
    if isinstance(view, ReportView):
        return report_pdf(view, paper=paper)
    return comparison_pdf(view, paper=paper)
