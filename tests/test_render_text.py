"""Text printouts: the blank checklist, the filled report and the comparison, at 80 columns."""

from __future__ import annotations

import pytest

from ketacheck import catalog
from ketacheck.rendering import render, text
from ketacheck.rendering._report import response_report, responses_comparison

from .render_support import birch, cedar, check_golden, normalise, prompts, sample


def _lines_fit(output: str, width: int = 80) -> list[str]:
    """Lines longer than *width* that are not a single unbreakable word (a URL)."""
    return [line for line in output.splitlines() if len(line) > width and " " in line.strip()]


class TestBlank:
    """The blank checklist as text."""

    def test_golden(self) -> None:
        """The printout of the sample checklist matches its golden file."""
        check_golden("blank.txt", render(sample(), "text"))

    def test_every_prompt(self) -> None:
        """Every prompt of the bundled checklist is printed."""
        out = normalise(render(catalog.load(), "text"))
        assert [] == [p for p in prompts(catalog.load()) if p not in out]

    @pytest.mark.parametrize("name", catalog.names())
    def test_80_columns(self, name: str) -> None:
        """No line is longer than 80 characters, except a lone URL."""
        assert [] == _lines_fit(render(catalog.load(name), "text"))

    def test_show_layout(self) -> None:
        """Without printout, guidance and the long provider header are left out."""
        out = text.blank(sample())
        assert "Provider: ____________________________  Date: ____________" in out
        assert "Tip:" not in out
        assert "Interviewed by:" not in out

    def test_printout_layout(self) -> None:
        """With printout, guidance is shown as a tip and every provider field has a blank."""
        out = text.blank(sample(), printout=True)
        assert "   Tip: Ask who does it: médecin, γιατρός or врач." in out
        assert "Interviewed by: " + "_" * 64 in out.splitlines()

    def test_narrow(self) -> None:
        """A narrow width wraps every line but single long words."""
        assert [] == _lines_fit(text.blank(catalog.load(), width=50, printout=True), 50)


class TestReport:
    """The filled report as text."""

    def test_golden(self) -> None:
        """The report of the sample response matches its golden file."""
        check_golden("report.txt", render(cedar(), "text"))

    def test_red_flags_first(self) -> None:
        """Red flags come before the care model and the answers."""
        out = render(cedar(), "text")
        assert out.index("RED FLAGS (2)") < out.index("CARE MODEL") < out.index("ANSWERS")

    def test_no_red_flags(self) -> None:
        """A report without red flags says so."""
        r = cedar()
        r.answer("watchers", ["nurse"])
        r.answer("observation", 60)
        out = render(r, "text")
        assert "RED FLAGS (0)\n=============\nNone.\n" in out

    def test_bundled_fits(self) -> None:
        """A report on the bundled checklist keeps to 80 columns."""
        r = cedar()
        view = response_report(r)
        assert [] == _lines_fit(text.report_text(view))


class TestComparison:
    """Several providers side by side as text."""

    def test_golden(self) -> None:
        """The comparison of the two sample responses matches its golden file."""
        check_golden("comparison.txt", render([cedar(), birch()], "text"))

    def test_rank_order(self) -> None:
        """Columns are in rank order: fewest red flags first."""
        out = render([cedar(), birch()], "text")
        assert "1. Birch Wellness" in out.splitlines()[3]
        assert "2. Cedar Clinic" in out.splitlines()[3]

    def test_many_providers_fit(self) -> None:
        """Five providers still fit 80 columns; long names go on their own line."""
        c = sample()
        many = [cedar(c), birch(c), cedar(c), birch(c), cedar(c)]
        assert [] == _lines_fit(text.comparison_text(responses_comparison(many)))
