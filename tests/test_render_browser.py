"""A real browser prints the HTML: headless Chromium to PDF, for A4 and Letter.

Locally the tests skip when Chromium is absent; with CI=true they fail instead, so CI always
runs them.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from ketacheck import catalog
from ketacheck.rendering import render

from .render_support import birch, cedar, normalise, prompts, sample

pytestmark = pytest.mark.slow

POINTS = {"a4": (595, 842), "letter": (612, 792)}


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium is not installed (apt-get install -y chromium)")
        pytest.skip("Chromium is not installed")
    return found


def print_to_pdf(markup: str, tmp_path: Path) -> PdfReader:
    """Print *markup* with headless Chromium, networking off, and read the PDF back."""
    page = tmp_path / "page.html"
    page.write_text(markup, encoding="utf-8")
    out = tmp_path / "page.pdf"
    subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={out}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return PdfReader(io.BytesIO(out.read_bytes()))


def _text(reader: PdfReader) -> str:
    """The document's text, whitespace normalised and any ligature (ﬁ) spelt out."""
    return normalise(
        unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    )


class TestChromium:
    """Chromium prints every prompt on the expected number of pages of the right size."""

    @pytest.mark.parametrize(("paper", "pages"), [("a4", (12, 24)), ("letter", (12, 26))])
    def test_blank(self, tmp_path: Path, paper: str, pages: tuple[int, int]) -> None:
        """The bundled checklist: page size, page count within bounds, every prompt."""
        checklist = catalog.load()
        reader = print_to_pdf(render(checklist, "html", paper=paper), tmp_path)
        box = reader.pages[0].mediabox
        assert POINTS[paper] == (round(float(box.width)), round(float(box.height)))
        assert pages[0] <= len(reader.pages) <= pages[1]
        text = _text(reader)
        assert [] == [p for p in prompts(checklist) if p not in text]
        assert f"Page 1 of {len(reader.pages)}" in text

    def test_report(self, tmp_path: Path) -> None:
        """The sample report fits a few pages and keeps every prompt."""
        checklist = sample()
        reader = print_to_pdf(render(cedar(checklist), "html"), tmp_path)
        assert 1 <= len(reader.pages) <= 4
        text = _text(reader)
        assert [] == [p for p in prompts(checklist) if p not in text]

    def test_comparison(self, tmp_path: Path) -> None:
        """The sample comparison on Letter keeps every prompt."""
        checklist = sample()
        markup = render([cedar(checklist), birch(checklist)], "html", paper="letter")
        reader = print_to_pdf(markup, tmp_path)
        assert 1 <= len(reader.pages) <= 4
        text = _text(reader)
        assert [] == [p for p in prompts(checklist) if p not in text]
