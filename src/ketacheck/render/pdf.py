"""PDF with fpdf2 (the ``pdf`` extra): drawn checkboxes, page numbers, no item split.

Text is set in the bundled DejaVu Sans, which covers Latin (with accents), Greek, Cyrillic,
Armenian and Georgian; characters outside the font print as ``?`` (see docs/printing.md).
fpdf2 is imported when this module is, so import it lazily (``ketacheck.render`` does).
"""

from __future__ import annotations

from typing import Final

from ketacheck.model import Checklist, ItemKind
from ketacheck.render._pdfdoc import Block, Canvas, Style
from ketacheck.render._view import BlankView, DocView, ItemView, SectionView, SourceView, blank_view
from ketacheck.render._view import paper as paper_size

__all__ = ["blank", "blank_pdf"]

TITLE: Final = Style(18, bold=True, leading=1.25)
META: Final = Style(8, grey=70)
BODY: Final = Style(10)
BOLD: Final = Style(10, bold=True)
PROMPT: Final = Style(10.5, bold=True, leading=1.3)
SMALL: Final = Style(8.2, grey=60, leading=1.3)
HEADING: Final = Style(13, bold=True, leading=1.3)
PHASE: Final = Style(7.5, grey=60)
INDENT: Final = 8.0
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


def section_heading(canvas: Canvas, section: SectionView) -> Block:
    """A section's heading block: phase, title, rule and summary."""
    b = canvas.block()
    b.space(4)
    b.text(section.phase_title.upper(), PHASE)
    b.text(section.title, HEADING)
    b.space(0.6)
    b.rule(0, canvas.width, width=0.6)
    b.space(1.5)
    if section.summary:
        b.text(section.summary, BODY)
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


def sources(canvas: Canvas, notes: tuple[SourceView, ...]) -> None:
    """The numbered source notes; only http(s) URLs become links."""
    if not notes:
        return
    heading = canvas.block()
    heading.space(4)
    heading.text("Sources", HEADING)
    heading.space(0.6)
    heading.rule(0, canvas.width, width=0.6)
    heading.space(1.5)
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
    """Lay out a :class:`~ketacheck.render._view.BlankView` as a PDF document."""
    canvas = Canvas(
        paper_size(paper), title=view.doc.title, lang=view.doc.language, footer=view.doc.title
    )
    doc_header(canvas, view.doc)
    _provider_blanks(canvas, view)
    for section in view.sections:
        items = [blank_item(canvas, item) for item in section.items]
        canvas.place(section_heading(canvas, section), keep_with=items[0])
        for block in items:
            canvas.place(block)
    sources(canvas, view.sources)
    return canvas.output()


def blank(checklist: Checklist, *, paper: str = "a4") -> bytes:
    """The blank checklist as a PDF for A4 or Letter paper."""
    return blank_pdf(blank_view(checklist), paper=paper)
