"""ketacheck.render: what render() takes and gives, its errors, and lazy imports."""

from __future__ import annotations

import subprocess
import sys

import attrs
import pytest

from ketacheck import catalog
from ketacheck.exceptions import ResponseError
from ketacheck.rendering import FORMATS, notebook_markdown, render
from ketacheck.rendering._common import number_hint
from ketacheck.rendering._report import answer_words, comparison_view, fmt_percent, report_view
from ketacheck.rendering._view import fmt_number, paper, safe_link
from ketacheck.response import Response
from ketacheck.scoring import compare, score

from .render_support import birch, cedar, sample


class TestRender:
    """render() dispatches on what it is given."""

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_types(self, fmt: str) -> None:
        """PDF is bytes; the other formats are text."""
        out = render(sample(), fmt)
        assert (bytes if fmt == "pdf" else str) is type(out)

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
    def test_same_report(self, fmt: str) -> None:
        """A Response and its Score give the same report but for the notes."""
        r = cedar()
        r.set_note("screening", None)
        r.set_note("watchers", None)
        assert render(r, fmt) == render(score(r), fmt)

    @pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
    def test_same_comparison(self, fmt: str) -> None:
        """A list, a tuple and a Comparison of notes-free responses print alike."""
        c = sample()
        a, b = birch(c), birch(c)
        assert render([a, b], fmt) == render((a, b), fmt) == render(compare([a, b]), fmt)

    def test_unknown_format(self) -> None:
        """An unknown format names the known ones."""
        with pytest.raises(
            ValueError, match=r"^unknown format 'rtf' \(use text, markdown, html, pdf\)$"
        ):
            render(sample(), "rtf")

    def test_unknown_paper(self) -> None:
        """An unknown paper size is an error."""
        with pytest.raises(ValueError, match=r"^unknown paper size 'a5' \(use a4 or letter\)$"):
            render(sample(), "html", paper="a5")

    def test_template_dir_html_only(self) -> None:
        """template_dir with another format than HTML is an error."""
        with pytest.raises(
            ValueError, match=r"^template_dir applies to the html format only, not pdf$"
        ):
            render(sample(), "pdf", template_dir=".")

    def test_wrong_type(self) -> None:
        """Anything else is a TypeError saying what is accepted."""
        with pytest.raises(TypeError, match=r"not int$"):
            render(3, "text")

    def test_letter_case(self) -> None:
        """Paper sizes are case-insensitive."""
        assert "size: letter;" in render(sample(), "html", paper="LETTER")

    def test_nothing_to_compare(self) -> None:
        """An empty list is a ValueError."""
        with pytest.raises(ValueError, match=r"^nothing to compare: give at least one response$"):
            render([], "text")

    def test_different_checklists(self) -> None:
        """Responses to different checklists cannot be compared."""
        other = Response.new(catalog.load("quick-screen"), "Other")
        with pytest.raises(ResponseError) as e:
            render([cedar(), other], "text")
        assert (
            "comparison: checklist: the responses answer different checklists "
            "(render-sample 2.1.0, quick-screen 1.1.0)"
        ) == str(e.value)

    def test_notebook_markdown(self) -> None:
        """The notebook Markdown is the Markdown printout."""
        assert render(sample(), "markdown") == notebook_markdown(sample())


class TestView:
    """The pieces the view model is made of."""

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("https://example.org/a?b=c", "https://example.org/a?b=c"),
            ("HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"),
            ("javascript:alert(1)", None),
            ("JaVaScRiPt:alert(1)", None),
            ("data:text/html,<b>", None),
            ("//example.org", None),
            ("https:///nohost", None),
            ("https://exa mple.org", None),
            ("https://example.org/\x00", None),
            ("https://[::1", None),
            ("", None),
            (None, None),
        ],
    )
    def test_safe_link(self, url: str | None, expected: str | None) -> None:
        """Only absolute http(s) URLs without spaces or controls may become links."""
        assert expected == safe_link(url)

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(45, "45"), (45.0, "45"), (0.5, "0.5"), (1200, "1,200"), (2.125, "2.12")],
    )
    def test_fmt_number(self, value: float, expected: str) -> None:
        """Numbers as people write them."""
        assert expected == fmt_number(value)

    def test_fmt_percent(self) -> None:
        """Whole percents; n/a for none."""
        assert ("73%", "n/a") == (fmt_percent(72.6), fmt_percent(None))

    def test_number_hint(self) -> None:
        """A number item's unit and bounds in words."""
        item = sample().item("observation")
        assert "minutes, 0 to 600" == number_hint(item)
        assert "at least 5" == number_hint(attrs.evolve(item, unit=None, min=5, max=None))
        assert "at most 9" == number_hint(attrs.evolve(item, unit=None, min=None, max=9))
        assert "" == number_hint(attrs.evolve(item, unit=None, min=None, max=None))

    def test_paper(self) -> None:
        """Paper sizes in millimetres."""
        assert (215.9, 279.4) == (paper("letter").width_mm, paper("letter").height_mm)

    def test_answer_words(self) -> None:
        """Answers in words: labels, numbers with units, unknown, empty multi."""
        c = sample()
        assert "A drip into a vein" == answer_words(c.item("route"), "drip")
        assert "A nurse; Nobody" == answer_words(c.item("watchers"), ("nurse", "nobody"))
        assert "none of these" == answer_words(c.item("watchers"), ())
        assert "90 minutes" == answer_words(c.item("observation"), 90)
        assert "unknown" == answer_words(c.item("observation"), "unknown")
        assert "" == answer_words(c.item("observation"), None)
        assert "160/100" == answer_words(c.item("bp-limit"), "160/100")

    def test_report_view(self) -> None:
        """Statuses, counts and red flags of the sample report."""
        view = report_view(score(cedar()), cedar().notes)
        statuses = [a.status for s in view.sections for a in s.answers]
        assert [
            "answered",
            "answered",
            "unanswered",
            "answered",
            "unknown",
            "unanswered",
        ] == statuses
        assert (4, 6) == (view.answered_count, view.applicable_count)
        assert [4, 5] == [f.number for f in view.red_flags]
        assert "Nobody" == view.red_flags[0].answer

    def test_not_applicable(self) -> None:
        """An item whose condition fails is reported as not applying, not unanswered."""
        view = report_view(score(birch()))
        answer = view.sections[0].answers[2]
        assert ("not-applicable", "Does not apply", "") == (
            answer.status,
            answer.status_label,
            answer.points_text,
        )

    def test_profile(self) -> None:
        """A report names the profile the score used."""
        view = report_view(score(cedar(), "safety-first"))
        assert "Safety first" == view.profile

    def test_comparison_notes(self) -> None:
        """Notes given per response in input order reach the right column."""
        c = sample()
        a, b = cedar(c), birch(c)
        view = comparison_view(compare([a, b]), [a.notes, b.notes])
        assert ["Birch Wellness", "Cedar Clinic"] == [
            col.report.provider.name for col in view.columns
        ]
        assert a.notes["screening"] == view.columns[1].report.sections[0].answers[0].note


class TestLazyImports:
    """Importing ketacheck (and ketacheck.render) loads neither Jinja2 nor fpdf2."""

    def test_import(self) -> None:
        """A fresh interpreter imports ketacheck and ketacheck.render without them."""
        code = (
            "import sys, ketacheck, ketacheck.rendering, ketacheck.rendering.text, "
            "ketacheck.rendering.markdown; "
            "print(sorted(m for m in ('jinja2', 'fpdf', 'markupsafe') if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "[]\n" == done.stdout
