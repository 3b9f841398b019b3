"""benchmarks/run.py measures everything and writes its page; no timing is checked here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "benchmarks" / "run.py"

ROWS = [
    "python -c pass (interpreter start-up)",
    "import attrs, cattrs, tomllib (hard dependencies)",
    "import ketacheck",
    "import ketacheck; ketacheck.bundled() (first use)",
    "first HTML printout of the checklist, whole process",
    "first PDF printout of the checklist, whole process",
    "load and validate the bundled checklist (ketacheck.io.loads)",
    "fhir.resources validates the FHIR export (Questionnaire.model_validate)",
    "fhir.resources from JSON text (Questionnaire.model_validate_json)",
    "score one response",
    "score one response with a named profile",
    "score 10,000 distinct responses, one core",
    "response TOML round trip (dumps, then loads)",
    "render the blank checklist: text",
    "render the blank checklist: markdown",
    "render the blank checklist: html",
    "render the blank checklist: pdf",
    "render a filled report: text",
    "render a filled report: markdown",
    "render a filled report: html",
    "render a filled report: pdf",
    "render a comparison of 3 providers: html",
    "render a comparison of 3 providers: pdf",
]


class QuickRun:
    """The outcome of one ``run.py --quick --output PATH``: the process and the page."""

    def __init__(self, done: subprocess.CompletedProcess[str], page: str) -> None:
        self.done = done
        self.page = page


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> QuickRun:
    output = tmp_path_factory.mktemp("benchmarks") / "performance.md"
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    page = output.read_text(encoding="utf-8") if output.exists() else ""
    return QuickRun(done, page)


def _table_rows(page: str) -> list[str]:
    """The first cell of every body row of the page's results table."""
    lines = [line for line in page.splitlines() if line.startswith("| ")]
    return [line.split(" | ")[0].removeprefix("| ") for line in lines[2:]]


@pytest.mark.slow
class TestQuickRun:
    """``benchmarks/run.py --quick --output PATH`` runs every benchmark and writes the page."""

    def test_exits_0(self, quick_run: QuickRun) -> None:
        """It exits 0 and says where it wrote."""
        assert 0 == quick_run.done.returncode, quick_run.done.stderr
        assert "wrote " in quick_run.done.stdout

    def test_table_has_every_row(self, quick_run: QuickRun) -> None:
        """The page's results table has every row, in order."""
        assert ROWS == _table_rows(quick_run.page)

    def test_page_sections(self, quick_run: QuickRun) -> None:
        """The page has its title and sections, and says it was a quick run."""
        headings = [line for line in quick_run.page.splitlines() if line.startswith("#")]
        expected = [
            "# Performance",
            "## Running the benchmarks",
            "## Results",
            "## What remains",
            "## Method",
        ]
        assert expected == headings
        assert "`benchmarks/run.py --quick --write`" in quick_run.page

    def test_printed_table(self, quick_run: QuickRun) -> None:
        """The terminal table names every row too."""
        missing = [row for row in ROWS if row not in quick_run.done.stdout]
        assert [] == missing

    def test_docs_untouched(self, quick_run: QuickRun) -> None:
        """With --output, docs/performance.md is not the file written."""
        assert f"wrote {ROOT / 'docs' / 'performance.md'}" not in quick_run.done.stdout
