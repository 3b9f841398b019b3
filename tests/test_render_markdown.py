"""Markdown printouts: GitHub task lists, escaping, goldens for blank, report and comparison."""

from __future__ import annotations

import pytest

from ketacheck import catalog
from ketacheck.rendering import markdown, render

from .render_support import HOSTILE_NAME, birch, cedar, check_golden, hostile, normalise, sample


class TestBlank:
    """The blank checklist as Markdown."""

    def test_golden(self) -> None:
        """The sample checklist matches its golden file."""
        check_golden("blank.md", render(sample(), "markdown"))

    def test_task_lists(self) -> None:
        """Yes-no boxes are empty GitHub task-list items."""
        out = render(sample(), "markdown")
        assert "- [ ] yes\n- [ ] no\n- [ ] unknown\n" in out

    def test_every_prompt(self) -> None:
        """Every prompt of the bundled checklist is a heading, unescaped where plain."""
        out = render(catalog.load(), "markdown")
        headings = [line for line in out.splitlines() if line.startswith("### ")]
        assert len(catalog.load().items) == len(headings)
        assert "### 1. What kind of evaluation happens before your first dose?" == headings[0]

    def test_links(self) -> None:
        """A source with an http(s) URL is a link; one without is plain text."""
        out = render(sample(), "markdown")
        assert (
            "1. [A guideline on safe practice. J Example 2020](<https://example.org/guideline>)"
            in out
        )
        assert "2. The clinic handbook (no web address)" in out


class TestReport:
    """The filled report as Markdown."""

    def test_golden(self) -> None:
        """The sample report matches its golden file."""
        check_golden("report.md", render(cedar(), "markdown"))

    def test_ticked(self) -> None:
        """The chosen options are ticked, the others not."""
        out = render(cedar(), "markdown")
        assert "- [x] A nurse\n- [ ] A therapist\n- [x] Nobody\n- [ ] unknown\n" in out
        assert "- [x] yes\n- [ ] no\n- [ ] unknown\n" in out


class TestComparison:
    """Providers side by side as Markdown tables."""

    def test_golden(self) -> None:
        """The sample comparison matches its golden file."""
        check_golden("comparison.md", render([cedar(), birch()], "markdown"))


class TestEscape:
    """Strings from files never become Markdown structure or raw HTML."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
            ("a_b*c*", r"a\_b\*c\*"),
            ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
            ("a | b", r"a \| b"),
            ("two\nlines", "two lines"),
            ("&amp;", "&amp;amp;"),
            ("`code` ~~gone~~", r"\`code\` \~\~gone\~\~"),
        ],
    )
    def test_inline(self, raw: str, expected: str) -> None:
        """Markup characters are backslash-escaped; <, > and & become entities."""
        assert expected == markdown.escape(raw)

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [("# title", r"\# title"), ("- item", r"\- item"), ("1. one", r"1\. one"), ("+1", r"\+1")],
    )
    def test_line_start(self, raw: str, expected: str) -> None:
        """At the start of a line, heading and list markers are escaped."""
        assert expected == markdown.escape(raw, line_start=True)

    def test_hostile(self) -> None:
        """A provider named <script> and a javascript: source stay inert text."""
        checklist, filled = hostile()
        out = render(filled, "markdown") + render(checklist, "markdown")
        assert HOSTILE_NAME not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in normalise(out)
        assert "](<javascript" not in out
        assert "Guide &lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)" in out
