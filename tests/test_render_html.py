"""HTML printouts: self-contained, accessible, escaped; user templates in a sandbox."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ketacheck import catalog, response
from ketacheck.exceptions import TemplateError
from ketacheck.model import Checklist
from ketacheck.rendering import html, notebook_html, render

from .render_support import (
    HOSTILE_NAME,
    HOSTILE_URL,
    birch,
    cedar,
    hostile,
    normalise,
    prompts,
    sample,
)

VOID = {"input", "br", "meta", "link", "img", "hr", "source", "area", "base", "col", "wbr"}


class Page(HTMLParser):
    """What the tests look at in a page: tags, references, text, styles, labels."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[tuple[dict[str, str], bool]] = []
        self._stack: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag == "label" and "for" in values:
            self.label_for.add(values["for"])
        if tag in ("input", "textarea"):
            self.fields.append((values, "label" in self._stack))
        if "style" in values:
            self.styles.append(values["style"])
        if tag not in VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "style":
            self.styles.append(data)
        else:
            self.text.append(data)

    @property
    def all_text(self) -> str:
        return normalise(" ".join(self.text))

    def refs(self) -> list[str]:
        return [v[a] for _, v in self.tags for a in ("href", "src", "action", "data") if a in v]

    def named(self, tag: str) -> list[dict[str, str]]:
        return [v for t, v in self.tags if t == tag]


def _links(checklist: Checklist) -> set[str]:
    return {s.url for s in checklist.sources if s.url}


def _check_self_contained(page: Page, allowed: set[str]) -> None:
    external = [r for r in page.refs() if re.match(r"(?i)\s*https?:", r) and r not in allowed]
    assert [] == external
    assert [] == [r for r in page.refs() if not re.match(r"(?i)(https?:|#)", r)]
    assert [] == page.named("script") + page.named("link") + page.named("img")
    css = "\n".join(page.styles).lower()
    assert "@import" not in css
    assert "url(" not in css


class TestBlank:
    """The blank checklist as one self-contained page."""

    @pytest.mark.parametrize("name", catalog.names())
    def test_every_prompt(self, name: str) -> None:
        """Every prompt of each bundled checklist is on the page."""
        checklist = catalog.load(name)
        page = Page(render(checklist, "html"))
        assert [] == [p for p in prompts(checklist) if p not in page.all_text]

    @pytest.mark.parametrize("name", catalog.names())
    def test_self_contained(self, name: str) -> None:
        """No scripts, images, fonts or style sheets are fetched; only sources are links."""
        checklist = catalog.load(name)
        _check_self_contained(Page(render(checklist, "html")), _links(checklist))

    def test_lang(self) -> None:
        """The html element carries the checklist's language."""
        page = Page(render(sample(), "html"))
        assert [{"lang": "en"}] == page.named("html")

    def test_labels(self) -> None:
        """Every input has a label: one that names it, or one around it."""
        checklist = catalog.load()
        page = Page(render(checklist, "html"))
        unlabelled = [
            f for f, wrapped in page.fields if not wrapped and f.get("id") not in page.label_for
        ]
        assert [] == unlabelled
        boxes = sum(len(i.option_ids) + 1 for i in checklist.items if i.option_ids)
        free = sum(1 for i in checklist.items if not i.option_ids)
        notes = len(checklist.items)
        assert 4 + 5 + boxes + free + notes == len(page.fields)  # provider blanks and kinds

    def test_headings(self) -> None:
        """One h1 (the title), an h2 per section plus the provider and sources."""
        checklist = catalog.load()
        page = Page(render(checklist, "html"))
        assert 1 == len(page.named("h1"))
        assert len(checklist.sections) + 2 == len(page.named("h2"))

    @pytest.mark.parametrize(("paper", "size"), [("a4", "size: A4;"), ("letter", "size: letter;")])
    def test_paper(self, paper: str, size: str) -> None:
        """The @page rule names the paper size; items never break across pages."""
        page = Page(render(sample(), "html", paper=paper))
        css = "\n".join(page.styles)
        assert size in css
        assert ".kc .item { break-inside: avoid; page-break-inside: avoid;" in css
        assert 'counter(page) " of " counter(pages)' in css

    def test_when_and_guidance(self) -> None:
        """Conditions are in words; guidance is shown as a tip."""
        text = Page(render(sample(), "html")).all_text
        assert 'Only if the answer to "How is the medicine given?" is "A drip into a vein".' in text
        assert "Tip: Ask who does it: médecin, γιατρός or врач." in text


class TestReport:
    """The filled report and the comparison as HTML."""

    def test_report(self) -> None:
        """Score, red flags, bars and answers are there; the website is a link."""
        checklist = sample()
        page = Page(render(cedar(checklist), "html"))
        text = page.all_text
        assert "45% weak" in text
        assert "Red flags (2)" in text
        assert ["flags"] == [
            v["class"] for v in page.named("section") if "flags" in v.get("class", "")
        ]
        assert text.index("Red flags (2)") < text.index("Care model Undetermined:")
        assert text.index("Care model Undetermined:") < text.index("What cost the most points")
        assert text.index("What cost the most points") < text.index("Safety checks 60%")
        assert [] == [p for p in prompts(checklist) if p not in text]
        assert ["width: 60%", "width: 33%", "width: 60%", "width: 33%"] == page.styles[-4:]
        _check_self_contained(page, _links(checklist) | {"https://cedar.example.org"})

    def test_no_red_flags_no_alarm(self) -> None:
        """ "Red flags (0)" sits in a plain frame (class "flags none"), not the red one."""
        good = response.read(Path(__file__).parents[1] / "examples" / "kap-practice.toml")
        page = Page(render(good, "html"))
        assert ["flags none"] == [
            v["class"] for v in page.named("section") if "flags" in v.get("class", "")
        ]
        assert "Red flags (0) None." in page.all_text
        assert ".kc .flags.none { border-color: #bbb; }" in "".join(page.styles)

    def test_comparison(self) -> None:
        """Both providers appear, in rank order, with every prompt."""
        checklist = sample()
        page = Page(render([cedar(checklist), birch(checklist)], "html"))
        text = page.all_text
        assert text.index("1. Birch Wellness") < text.index("2. Cedar Clinic")
        assert [] == [p for p in prompts(checklist) if p not in text]
        _check_self_contained(page, _links(checklist))


class TestEscaping:
    """Strings from files are escaped; only http(s) URLs become links."""

    @pytest.mark.parametrize("kind", ["blank", "report", "comparison"])
    def test_hostile(self, kind: str) -> None:
        """A provider named <script> and a javascript: source stay text."""
        checklist, filled = hostile()
        subject: object = {"blank": checklist, "report": filled, "comparison": [filled]}[kind]
        markup = render(subject, "html")
        page = Page(markup)
        assert [] == page.named("script")
        assert "<script>" not in markup
        assert HOSTILE_NAME in page.all_text
        assert [] == [r for r in page.refs() if "javascript" in r.lower()]
        assert f"Guide {HOSTILE_NAME} {HOSTILE_URL}" in page.all_text

    def test_css_string(self) -> None:
        """The footer title is a CSS string whose special characters are all escaped."""
        assert r'"a\22  b\3c \2f style\3e \5c "' == html.css_string('a" b</style>\\')

    def test_footer(self) -> None:
        """The hostile title reaches the page footer only escaped."""
        checklist, _ = hostile()
        css = "\n".join(Page(render(checklist, "html")).styles)
        assert r"@bottom-left { content: " + html.css_string(HOSTILE_NAME) in css


class TestTemplates:
    """A user template folder brands printouts and runs in a sandbox."""

    def test_branding(self, tmp_path: Path) -> None:
        """brand.html.j2 and brand.css from the folder replace the empty built-in ones."""
        (tmp_path / "brand.html.j2").write_text(
            '<p class="brand">Acme Peer Support, {{ view.doc.title }}</p>', encoding="utf-8"
        )
        (tmp_path / "brand.css").write_text(".kc .brand { color: #036; }", encoding="utf-8")
        checklist, _ = hostile()
        markup = render(checklist, "html", template_dir=tmp_path)
        assert (
            '<p class="brand">Acme Peer Support, &lt;script&gt;alert(1)&lt;/script&gt;</p>'
            in markup
        )
        assert ".kc .brand { color: #036; }" in markup

    def test_syntax_error(self, tmp_path: Path) -> None:
        """A syntax error names the file and the line."""
        path = tmp_path / "brand.html.j2"
        path.write_text("<p>\n{% if %}\n</p>\n", encoding="utf-8")
        with pytest.raises(TemplateError) as e:
            render(sample(), "html", template_dir=tmp_path)
        assert f"{path}, line 2: Expected an expression, got 'end of statement block'" == str(
            e.value
        )

    def test_undefined(self, tmp_path: Path) -> None:
        """A name the context lacks is an error naming the file and the line."""
        path = tmp_path / "brand.html.j2"
        path.write_text("<p>\n\n{{ nothing.here }}</p>\n", encoding="utf-8")
        with pytest.raises(TemplateError) as e:
            render(sample(), "html", template_dir=tmp_path)
        assert f"{path}, line 3: 'nothing' is undefined" == str(e.value)

    def test_sandbox(self, tmp_path: Path) -> None:
        """Reaching into Python internals is refused."""
        path = tmp_path / "brand.html.j2"
        path.write_text("{{ view.__class__.__mro__ }}", encoding="utf-8")
        with pytest.raises(TemplateError) as e:
            render(sample(), "html", template_dir=tmp_path)
        assert str(e.value).startswith(f"{path}, line 1: ")
        assert "unsafe" in str(e.value)

    def test_sandbox_no_mutation(self, tmp_path: Path) -> None:
        """Templates cannot change lists they are given."""
        path = tmp_path / "brand.html.j2"
        path.write_text("{{ [1].append(2) }}", encoding="utf-8")
        with pytest.raises(TemplateError) as e:
            render(sample(), "html", template_dir=tmp_path)
        assert "unsafe" in str(e.value)

    def test_missing_include(self, tmp_path: Path) -> None:
        """A template that includes a missing one names it."""
        (tmp_path / "brand.html.j2").write_text('{% include "nope.j2" %}', encoding="utf-8")
        with pytest.raises(TemplateError) as e:
            render(sample(), "html", template_dir=tmp_path)
        assert "blank.html.j2: template 'nope.j2' not found" == str(e.value)

    def test_not_a_folder(self, tmp_path: Path) -> None:
        """A template folder that is not a folder is an error."""
        missing = tmp_path / "missing"
        with pytest.raises(TemplateError) as e:
            render(sample(), "html", template_dir=missing)
        assert f"{missing}: not a folder of templates" == str(e.value)

    def test_built_in_error(self) -> None:
        """An error inside a built-in template is reported the same way."""
        with pytest.raises(TemplateError) as e:
            html.render_page("blank.html.j2", {})
        assert str(e.value).endswith("base.html.j2, line 3: 'fragment' is undefined")


class TestNotebook:
    """The HTML fragment for notebook cells."""

    def test_fragment(self) -> None:
        """A div with a scoped style sheet: no html element, no @page rule."""
        out = notebook_html(sample())
        assert out.startswith('<div class="kc" lang="en">\n<style>')
        assert "<html" not in out
        assert "@page" not in out

    def test_report_and_comparison(self) -> None:
        """Responses, scores and comparisons show themselves too."""
        from ketacheck.scoring import compare, score  # noqa: PLC0415

        r, b = cedar(), birch()
        for obj in (r, score(r), compare([r, b]), [r, b]):
            out = notebook_html(obj)
            assert out.startswith('<div class="kc" lang="en">')
            assert "Cedar Clinic" in out
