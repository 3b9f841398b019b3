"""PDF printouts (fpdf2): every prompt, drawn boxes, page numbers, Unicode, no item split."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import attrs
import pytest
from pypdf import PdfReader

from ketacheck import catalog
from ketacheck.model import Checklist
from ketacheck.rendering import pdf, render
from ketacheck.rendering._pdfdoc import Canvas, Style
from ketacheck.rendering._view import PAPERS

from .render_support import HOSTILE_NAME, birch, cedar, hostile, normalise, prompts, sample


def _read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _pages(data: bytes) -> list[str]:
    return [normalise(page.extract_text()) for page in _read(data).pages]


def _uris(data: bytes) -> list[str]:
    uris = []
    for page in _read(data).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


class TestBlank:
    """The blank checklist as PDF."""

    @pytest.mark.parametrize("name", catalog.names())
    def test_every_prompt(self, name: str) -> None:
        """Every prompt of each bundled checklist is in the extracted text."""
        checklist = catalog.load(name)
        text = " ".join(_pages(render(checklist, "pdf")))
        assert [] == [p for p in prompts(checklist) if p not in text]

    def test_page_numbers(self) -> None:
        """Every page says which page of how many it is."""
        pages = _pages(render(catalog.load(), "pdf"))
        assert 8 <= len(pages) <= 24
        assert [f"Page {n} of {len(pages)}" for n in range(1, len(pages) + 1)] == [
            re.findall(r"Page \d+ of \d+", p)[-1] for p in pages
        ]

    def test_items_not_split(self) -> None:
        """Each item's prompt and its last line ("Why" text) are on the same page."""
        checklist = catalog.load()
        pages = _pages(render(checklist, "pdf"))
        for n, item in enumerate(checklist.items, start=1):
            start = next(i for i, p in enumerate(pages) if f"{n}. {normalise(item.prompt)}" in p)
            assert normalise(item.why or "")[-30:] in pages[start], item.id

    def test_boxes_drawn(self) -> None:
        """A rectangle is drawn for every answer box and provider kind."""
        checklist = sample()
        reader = _read(render(checklist, "pdf"))
        ops = 0
        for page in reader.pages:
            contents = page.get_contents()
            assert contents is not None
            ops += len(re.findall(rb" re\b", contents.get_data()))
        boxes = sum(len(i.option_ids) + 1 for i in checklist.items if i.option_ids)
        assert boxes + 5 + 1 <= ops  # and the provider frame

    @pytest.mark.parametrize("paper", sorted(PAPERS))
    def test_paper(self, paper: str) -> None:
        """The page size is A4 or Letter, in points."""
        size = PAPERS[paper]
        box = _read(render(sample(), "pdf", paper=paper)).pages[0].mediabox
        assert (round(size.width_mm / 25.4 * 72), round(size.height_mm / 25.4 * 72)) == (
            round(float(box.width)),
            round(float(box.height)),
        )

    def test_unicode(self) -> None:
        """Latin with accents, Greek and Cyrillic come out as written."""
        text = " ".join(_pages(render(sample(), "pdf")))
        assert "Tip: Ask who does it: médecin, γιατρός or врач." in text
        assert "café, Ελληνικά, Русский." in text

    def test_missing_glyphs(self) -> None:
        """Characters the font lacks print as ?, never vanish silently."""
        checklist = attrs.evolve(sample(), title="Checklist 中文 e\u0301")
        text = _pages(render(checklist, "pdf"))[0]
        assert "Checklist ?? é" in text

    def test_links(self) -> None:
        """Sources with http(s) URLs are links; nothing else is."""
        assert ["https://example.org/guideline"] == _uris(render(sample(), "pdf"))


class TestReport:
    """The filled report and the comparison as PDF."""

    def test_report(self) -> None:
        """Score, red flags first, every prompt, notes."""
        checklist = sample()
        text = " ".join(_pages(render(cedar(checklist), "pdf")))
        assert "45% weak" in text
        assert text.index("Red flags (2)") < text.index("Care model Undetermined:")
        assert text.index("Care model Undetermined:") < text.index("What cost the most points")
        assert "Note: Nurse takes blood pressure at every visit; Zoë asked." in text
        assert "Unknown. The provider could not or would not say." in text
        assert [] == [p for p in prompts(checklist) if p not in text]

    def test_comparison(self) -> None:
        """Providers in rank order, every prompt, red flags marked."""
        checklist = sample()
        text = " ".join(_pages(render([cedar(checklist), birch(checklist)], "pdf")))
        assert text.index("1. Birch Wellness") < text.index("2. Cedar Clinic")
        assert "no (red flag)" in text
        assert [] == [p for p in prompts(checklist) if p not in text]

    def test_landscape(self) -> None:
        """More than four providers turn the pages to landscape."""
        c = sample()
        data = render([cedar(c), birch(c), cedar(c), birch(c), cedar(c)], "pdf")
        box = _read(data).pages[0].mediabox
        assert float(box.width) > float(box.height)

    @pytest.mark.parametrize("kind", ["blank", "report", "comparison"])
    def test_hostile(self, kind: str) -> None:
        """Hostile strings are text; a javascript: URL never becomes a link."""
        checklist, filled = hostile()
        subject: object = {"blank": checklist, "report": filled, "comparison": [filled]}[kind]
        data = render(subject, "pdf")
        assert HOSTILE_NAME in " ".join(_pages(data))
        assert [] == [u for u in _uris(data) if not u.startswith("https://")]


class TestCanvas:
    """The layout engine: wrapping, cleaning, page breaks."""

    @pytest.fixture
    def canvas(self) -> Iterator[Canvas]:
        canvas = Canvas(PAPERS["a4"], title="t", lang="en", footer="f")
        yield canvas
        canvas.close()

    def test_wrap(self, canvas: Canvas) -> None:
        """Lines break at spaces and never exceed the width."""
        style = Style(10)
        lines = canvas.wrap("one two three four five six seven eight nine ten " * 4, 60, style)
        assert 1 < len(lines)
        assert all(canvas.measure(line, style) <= 60 for line in lines)
        assert ("one two three four five six seven eight nine ten " * 4).split() == " ".join(
            lines
        ).split()

    def test_long_word(self, canvas: Canvas) -> None:
        """A word wider than the line (a URL) is cut into pieces that fit."""
        lines = canvas.wrap("see " + "x" * 200, 50, Style(10))
        assert ["see"] == lines[:1]
        assert "x" * 200 == "".join(lines[1:])

    def test_empty(self, canvas: Canvas) -> None:
        """Empty text is one empty line."""
        assert [""] == canvas.wrap("", 50, Style(10))

    def test_clean(self, canvas: Canvas) -> None:
        """Control characters become ?, tabs and newlines spaces, text NFC."""
        assert "a b?c é" == canvas.clean("a\tb\x07c e\u0301")

    def test_new_page(self, canvas: Canvas) -> None:
        """A block that does not fit starts a new page; a taller one continues overleaf."""
        style = Style(10)
        filler = canvas.block()
        for _ in range(int((canvas.page_height - 10) / style.line_height)):
            filler.text("line", style)
        canvas.place(filler)
        assert 1 == canvas.pdf.page_no()
        small = canvas.block()
        for _ in range(5):
            small.text("kept together", style)
        canvas.place(small)
        assert 2 == canvas.pdf.page_no()
        huge = canvas.block()
        for _ in range(150):
            huge.text("too long for one page", style)
        canvas.place(huge)
        assert 5 == canvas.pdf.page_no()


def test_module_blank() -> None:
    """pdf.blank renders a checklist directly."""
    checklist: Checklist = sample()
    assert pdf.blank(checklist, paper="letter").startswith(b"%PDF-")
