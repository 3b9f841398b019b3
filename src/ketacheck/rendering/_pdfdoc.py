"""A small layout engine on fpdf2: measured blocks that are never split across pages.

fpdf2's own ``multi_cell`` re-measures text character by character, which is too slow for a
70-item checklist, and it cannot tell in advance whether a whole item fits on the page. Here
text is wrapped once with cached word widths, each printout part is built as a
:class:`Block` (a list of drawing operations with its height), and :meth:`Canvas.place`
starts a new page when the block would not fit. Every string is NFC-normalised and any
character the bundled font lacks is replaced by ``?``, so output never silently drops text.

fpdf2 is imported when this module is: import it lazily (``ketacheck.rendering.pdf`` does).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Final

import attrs
from fpdf import FPDF
from fpdf.fonts import TTFFont

from ketacheck._version import __version__
from ketacheck.rendering._view import Paper

__all__ = ["FONTS", "Block", "Canvas", "Style"]

FONTS: Final = Path(__file__).parent / "fonts"
"""The folder of the bundled DejaVu Sans font files and their licence."""

_FAMILY: Final = "DejaVuSans"
_PT: Final = 25.4 / 72
"""Millimetres per typographic point."""
_MARGIN: Final = 15.0
_FOOTER: Final = 12.0


@attrs.frozen
class Style:
    """A text style: size in points, weight, grey level (0 black) and line spacing."""

    size: float = 10
    bold: bool = False
    grey: int = 17
    leading: float = 1.3
    red: bool = False

    @property
    def line_height(self) -> float:
        """The height of one line in millimetres."""
        return self.size * _PT * self.leading


@attrs.frozen
class _Text:
    x: float
    y: float
    text: str
    style: Style
    width: float
    link: str | None


@attrs.frozen
class _Box:
    x: float
    y: float
    size: float
    checked: bool


@attrs.frozen
class _Rule:
    x1: float
    x2: float
    y: float
    width: float
    grey: int


@attrs.frozen
class _Rect:
    x: float
    y: float
    w: float
    h: float
    fill: int | None
    line: float
    red: bool = False


_Op = _Text | _Box | _Rule | _Rect


class _PDF(FPDF):
    """fpdf2's document with a footer: the printout's name and ``Page n of N``."""

    footer_text = ""

    def footer(self) -> None:
        """Draw the footer on the current page."""
        self.set_font(_FAMILY, "", 7.5)
        self.set_text_color(70)
        self.set_xy(self.l_margin, self.h - _FOOTER)
        self.cell(self.epw * 0.7, 4, self.footer_text)
        self.set_xy(self.l_margin, self.h - _FOOTER)
        self.cell(self.epw, 4, f"Page {self.page_no()} of {{nb}}", align="R")


def _glyphs(pdf: FPDF) -> frozenset[int]:
    """The code points both the regular and the bold font can draw."""
    regular, bold = pdf.fonts[_FAMILY.lower()], pdf.fonts[_FAMILY.lower() + "B"]
    if not isinstance(regular, TTFFont) or not isinstance(bold, TTFFont):  # pragma: no cover
        raise TypeError("the bundled fonts did not load as TrueType fonts")
    return frozenset(regular.cmap) & frozenset(bold.cmap)


class Canvas:
    """A PDF being laid out: fonts, text measurement and wrapping, page breaks."""

    def __init__(self, paper: Paper, *, title: str, lang: str, footer: str) -> None:
        """Start a document on *paper* with one empty page."""
        pdf = _PDF(unit="mm", format=(paper.width_mm, paper.height_mm))
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(auto=False)
        pdf.add_font(_FAMILY, "", FONTS / "DejaVuSans.ttf")
        pdf.add_font(_FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        pdf.set_lang(lang)
        pdf.set_title(title)
        pdf.set_creator(f"ketacheck {__version__}")
        pdf.set_producer("ketacheck with fpdf2")
        self.pdf = pdf
        self._glyphs = _glyphs(pdf)
        self._widths: dict[tuple[bool, float, str], float] = {}
        pdf.footer_text = self.clean(footer)
        pdf.add_page()

    @property
    def width(self) -> float:
        """The width between the margins, in millimetres."""
        return float(self.pdf.epw)

    @property
    def bottom(self) -> float:
        """The lowest y a block may reach on a page."""
        return float(self.pdf.h - _MARGIN - _FOOTER + 4)

    @property
    def page_height(self) -> float:
        """The usable height of a page."""
        return self.bottom - _MARGIN

    def clean(self, text: str) -> str:
        """*text* NFC-normalised, control characters and glyphs the font lacks as ``?``."""
        out = []
        for ch in unicodedata.normalize("NFC", text):
            if ch in "\t\n\r":
                out.append(" ")
            elif ord(ch) in self._glyphs and unicodedata.category(ch) != "Cc":
                out.append(ch)
            else:
                out.append("?")
        return "".join(out)

    def measure(self, text: str, style: Style) -> float:
        """The width of *text* in *style*, in millimetres (cached)."""
        key = (style.bold, style.size, text)
        width = self._widths.get(key)
        if width is None:
            self.pdf.set_font(_FAMILY, "B" if style.bold else "", style.size)
            width = self._widths[key] = float(self.pdf.get_string_width(text))
        return width

    def _split_word(self, word: str, width: float, style: Style) -> list[str]:
        """Break a word wider than the line (a long URL) into pieces that fit."""
        pieces: list[str] = []
        current = ""
        for ch in word:
            if current and self.measure(current + ch, style) > width:
                pieces.append(current)
                current = ch
            else:
                current += ch
        pieces.append(current)
        return pieces

    def wrap(
        self, text: str, width: float, style: Style, *, first_width: float | None = None
    ) -> list[str]:
        """*text* broken into lines no wider than *width* at spaces (long words at characters).

        *first_width*, if given, is the width of the first line (after a lead-in).
        """
        space = self.measure(" ", style)
        lines: list[str] = []
        current: list[str] = []
        used = 0.0
        for word in self.clean(text).split():
            w = self.measure(word, style)
            parts = [word] if w <= width else self._split_word(word, width, style)
            for part in parts:
                pw = w if len(parts) == 1 else self.measure(part, style)
                limit = first_width if first_width is not None and not lines else width
                if current and used + space + pw > limit:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                used = pw if not current else used + space + pw
                current.append(part)
        if current or not lines:
            lines.append(" ".join(current))
        return lines

    def block(self) -> Block:
        """A new, empty block to fill."""
        return Block(self)

    def new_page(self) -> None:
        """Start a new page."""
        self.pdf.add_page()
        self.pdf.set_y(_MARGIN)

    def place(
        self, block: Block, *, keep_with: Block | None = None, repeat: Block | None = None
    ) -> None:
        """Draw *block* where the last one ended, on a new page if it would not fit.

        With *keep_with*, the page is also changed when *block* fits but *keep_with* (the
        block that follows it, such as the first item after a heading) would not. *repeat*
        (a table's header row) is drawn first on a new page started for *block*.
        """
        need = block.height + (keep_with.height if keep_with is not None else 0)
        top = float(self.pdf.get_y())
        if top + min(need, self.page_height) > self.bottom and top > _MARGIN + 0.1:
            self.new_page()
            if repeat is not None:
                self.place(repeat)
            top = float(self.pdf.get_y())
        offset = top
        for op in block.ops:
            bottom = op.y + (op.style.line_height if isinstance(op, _Text) else 0)
            if offset + bottom > self.bottom:  # a block taller than a page: continue overleaf
                self.new_page()
                offset = _MARGIN - op.y
            self._draw(op, offset)
        self.pdf.set_y(offset + block.height)

    def _draw(self, op: _Op, offset: float) -> None:
        pdf = self.pdf
        left = pdf.l_margin
        if isinstance(op, _Text):
            style = op.style
            pdf.set_font(_FAMILY, "B" if style.bold else "", style.size)
            if style.red:
                pdf.set_text_color(160, 0, 0)
            else:
                pdf.set_text_color(style.grey)
            top = offset + op.y
            baseline = top + (style.line_height + style.size * _PT * 0.7) / 2
            pdf.text(left + op.x, baseline, op.text)
            if op.link:
                pdf.link(left + op.x, top, op.width, style.line_height, op.link)
        elif isinstance(op, _Box):
            x, y, s = left + op.x, offset + op.y, op.size
            pdf.set_draw_color(17)
            pdf.set_line_width(0.3)
            pdf.rect(x, y, s, s)
            if op.checked:
                pdf.set_line_width(0.5)
                pdf.polyline(
                    [
                        (x + 0.2 * s, y + 0.5 * s),
                        (x + 0.42 * s, y + 0.78 * s),
                        (x + 0.85 * s, y + 0.18 * s),
                    ]
                )
        elif isinstance(op, _Rule):
            pdf.set_draw_color(op.grey)
            pdf.set_line_width(op.width)
            pdf.line(left + op.x1, offset + op.y, left + op.x2, offset + op.y)
        else:
            if op.red:
                pdf.set_draw_color(160, 0, 0)
            else:
                pdf.set_draw_color(17)
            pdf.set_line_width(op.line)
            mode = "D"
            if op.fill is not None:
                pdf.set_fill_color(op.fill)
                mode = "DF" if op.line else "F"
            pdf.rect(left + op.x, offset + op.y, op.w, op.h, style=mode)

    def output(self) -> bytes:
        """The finished document; the font files are closed afterwards."""
        try:
            return bytes(self.pdf.output())
        finally:
            self.close()

    def close(self) -> None:
        """Close the font files fpdf2 keeps open."""
        for font in self.pdf.fonts.values():
            if isinstance(font, TTFFont):
                font.close()


class Block:
    """Drawing operations with positions relative to the block's top-left corner."""

    def __init__(self, canvas: Canvas) -> None:
        """An empty block measured with *canvas*."""
        self.canvas = canvas
        self.ops: list[_Op] = []
        self.height = 0.0

    def space(self, height: float) -> None:
        """Leave *height* millimetres empty."""
        self.height += height

    def text(  # noqa: PLR0913 - a paragraph's position, style, link and lead-in
        self,
        text: str,
        style: Style,
        *,
        x: float = 0.0,
        width: float | None = None,
        link: str | None = None,
        hang: str | None = None,
        hang_x: float = 0.0,
        lead: str | None = None,
        lead_style: Style | None = None,
    ) -> int:
        """Add *text* wrapped between *x* and *x + width*; return the number of lines.

        *hang*, if given, is drawn at *hang_x* on the first line (a number hanging in the
        margin). *lead* starts the first line in *lead_style* (bold by
        default), like ``Why:`` before a paragraph.
        """
        canvas = self.canvas
        avail = width if width is not None else canvas.width - x
        first_x = x
        if lead:
            lead_style = lead_style or attrs.evolve(style, bold=True)
            lead_text = canvas.clean(lead)
            lead_w = canvas.measure(lead_text, lead_style)
            self.ops.append(_Text(x, self.height, lead_text, lead_style, lead_w, None))
            first_x = x + lead_w + canvas.measure(" ", style)
        lines = canvas.wrap(text, avail, style, first_width=avail - (first_x - x))
        if hang is not None:
            self.ops.append(_Text(hang_x, self.height, canvas.clean(hang), style, x, None))
        for n, line in enumerate(lines):
            w = canvas.measure(line, style)
            self.ops.append(_Text(first_x if n == 0 else x, self.height, line, style, w, link))
            self.height += style.line_height
        return len(lines)

    def box(self, x: float, y: float, size: float, *, checked: bool = False) -> None:
        """A checkbox at (*x*, *y*) relative to the block."""
        self.ops.append(_Box(x, y, size, checked))

    def rule(
        self, x1: float, x2: float, *, y: float | None = None, width: float = 0.25, grey: int = 17
    ) -> None:
        """A horizontal line from *x1* to *x2* (at the current height unless *y* is given)."""
        self.ops.append(_Rule(x1, x2, self.height if y is None else y, width, grey))

    def rect(  # noqa: PLR0913 - a rectangle's geometry and its look
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: int | None = None,
        line: float = 0.3,
        red: bool = False,
    ) -> None:
        """A rectangle (outlined, filled with a grey level, or both)."""
        self.ops.append(_Rect(x, y, w, h, fill, line, red))

    def choices(
        self,
        labels: list[tuple[str, bool]],
        style: Style,
        *,
        x: float,
        inline: bool,
        bold_checked: bool = False,
    ) -> None:
        """Checkboxes with labels: side by side (*inline*) or one per line, labels wrapped.

        With *bold_checked*, the labels of ticked boxes are set in bold.
        """
        size = style.size * _PT * 0.95
        gap = 1.6
        if inline:
            cursor = x
            for label, checked in labels:
                look = attrs.evolve(style, bold=True) if checked and bold_checked else style
                w = self.canvas.measure(self.canvas.clean(label), look)
                if cursor > x and cursor + size + gap + w > self.canvas.width:
                    cursor = x
                    self.height += style.line_height
                self.box(
                    cursor, self.height + (style.line_height - size) / 2, size, checked=checked
                )
                self.ops.append(
                    _Text(
                        cursor + size + gap, self.height, self.canvas.clean(label), style, w, None
                    )
                )
                cursor += size + gap + w + 6
            self.height += style.line_height
            return
        for label, checked in labels:
            look = attrs.evolve(style, bold=True) if checked and bold_checked else style
            self.box(x, self.height + (style.line_height - size) / 2, size, checked=checked)
            self.text(label, look, x=x + size + gap)
            self.height += 0.4
