"""The offline form as a file: its plan, escaping, policy, size, vendored code and command.

What the page does in a browser is tested in test_webform_browser.py, test_webform_files.py
and test_webform_differential.py.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pytest

import ketacheck
from ketacheck import catalog
from ketacheck.cli import main
from ketacheck.conditions import AnyOf, Includes, Not
from ketacheck.exceptions import UnknownProfileError
from ketacheck.model import (
    Band,
    Checklist,
    Item,
    ItemKind,
    NumberBand,
    Option,
    Phase,
    Profile,
    Scoring,
    Section,
    Source,
)
from ketacheck.response import Response
from ketacheck.webform import SCRIPTS, form_html
from ketacheck.webform._plan import compile_plan

ASSETS = Path(ketacheck.webform.__file__).parent / "assets"

HOSTILE = '</script><script>alert(1)</script><img src=x onerror="alert(2)">&amp;'


def small() -> Checklist:
    """A checklist with one item of each scored kind, a condition, a profile and bands."""
    return Checklist(
        id="small",
        version="2",
        title="Small",
        sources=(Source(id="s1", title="A study", url="https://example.org/s1"),),
        profiles=(Profile(id="care", title="Care first", weights={"during": 2.0, "dose": 0.5}),),
        scoring=Scoring(bands=(Band(min=50, label="good"), Band(min=0, label="poor"))),
        sections=(
            Section(
                id="before",
                title="Before",
                phase=Phase.BEFORE,
                items=(
                    Item(
                        id="screen",
                        kind=ItemKind.YES_NO,
                        prompt="Screened?",
                        red_flag="No screening.",
                        red_flag_if_unknown=True,
                        tags=("safety",),
                        sources=("s1",),
                    ),
                    Item(
                        id="routes",
                        kind=ItemKind.MULTI,
                        prompt="Routes?",
                        weight=0,
                        options=(
                            Option(id="iv", label="IV"),
                            Option(id="im", label="IM", points=1, red_flag="Hm."),
                        ),
                    ),
                ),
            ),
            Section(
                id="during",
                title="During",
                phase=Phase.DURING,
                items=(
                    Item(
                        id="dose",
                        kind=ItemKind.NUMBER,
                        prompt="Minutes?",
                        unit="minutes",
                        min=0,
                        max=600,
                        weight=2,
                        when=Not(Includes("routes", "im")),
                        points=(
                            NumberBand(at_least=60, points=1),
                            NumberBand(at_least=0, points=0, red_flag="Too short."),
                        ),
                        tags=("therapy",),
                    ),
                    Item(
                        id="who",
                        kind=ItemKind.CHOICE,
                        prompt="Who?",
                        when=AnyOf("screen", ("yes",)),
                        options=(
                            Option(id="doctor", label="A doctor", points=2),
                            Option(id="nobody", label="Nobody"),
                        ),
                    ),
                    Item(id="notes", kind=ItemKind.TEXT, prompt="Anything else?"),
                ),
            ),
        ),
    ).validated()


class TestPlan:
    """The plan carries what the script needs, computed by the scorer's own code."""

    def test_small(self) -> None:
        flags = {"red_flag": None, "caution": None}
        common = {
            "referenced": False,
            "therapy": 0,
            "when": None,
            "if_unknown": None,
            "unknown_reason": None,
        }
        assert {
            "format": 1,
            "checklist": {"id": "small", "version": "2", "title": "Small"},
            "scoring": {
                "unknown": "zero",
                "unanswered": "zero",
                "min_completeness": 0,
                "bands": [{"min": 50, "label": "good"}, {"min": 0, "label": "poor"}],
                "red_flag_band": "poor",
            },
            "subtotals": {
                "sections": ["before", "during"],
                "phases": ["before", "during"],
                "tags": ["safety", "therapy"],
            },
            "profiles": [
                {"id": None, "title": "Balanced (no profile)", "weights": [1, 0, 2, 1, 0]},
                {"id": "care", "title": "Care first", "weights": [1, 0, 1.0, 2.0, 0.0]},
            ],
            "renamed": {},
            "provider_kinds": [
                "infusion-clinic",
                "kap-practice",
                "telehealth",
                "esketamine-clinic",
                "other",
            ],
            "max_text": 10_000,
            "items": [
                {
                    **common,
                    "id": "screen",
                    "kind": "yes-no",
                    "prompt": "Screened?",
                    "section": 0,
                    "buckets": [0, 2, 4],
                    "max": 1,
                    "referenced": True,
                    "if_unknown": "red-flag",
                    "unknown_reason": "No screening.",
                    "good": "yes",
                    "red_flag": "No screening.",
                    "caution": None,
                },
                {
                    **common,
                    "id": "routes",
                    "kind": "multi",
                    "prompt": "Routes?",
                    "section": 0,
                    "buckets": [0, 2],
                    "max": 1,
                    "referenced": True,
                    "options": [
                        {"id": "iv", "label": "IV", "points": 0, **flags},
                        {
                            "id": "im",
                            "label": "IM",
                            "points": 1,
                            "red_flag": "Hm.",
                            "caution": None,
                        },
                    ],
                },
                {
                    **common,
                    "id": "dose",
                    "kind": "number",
                    "prompt": "Minutes?",
                    "section": 1,
                    "buckets": [1, 3, 5],
                    "max": 1,
                    "therapy": 2,
                    "when": {"not": {"item": "routes", "includes": "im"}},
                    "bands": [
                        {"at_least": 60, "points": 1, **flags},
                        {"at_least": 0, "points": 0, "red_flag": "Too short.", "caution": None},
                    ],
                    "min": 0,
                    "max_value": 600,
                    "integer": False,
                    "unit": "minutes",
                },
                {
                    **common,
                    "id": "who",
                    "kind": "choice",
                    "prompt": "Who?",
                    "section": 1,
                    "buckets": [1, 3],
                    "max": 2,
                    "when": {"item": "screen", "any-of": ["yes"]},
                    "options": [
                        {"id": "doctor", "label": "A doctor", "points": 2, **flags},
                        {"id": "nobody", "label": "Nobody", "points": 0, **flags},
                    ],
                },
                {
                    **common,
                    "id": "notes",
                    "kind": "text",
                    "prompt": "Anything else?",
                    "section": 1,
                    "buckets": [1, 3],
                    "max": 0,
                },
            ],
        } == compile_plan(small())

    def test_json(self) -> None:
        """The plan survives JSON unchanged: the page gets the very floats Python computed."""
        for name in catalog.names():
            plan = compile_plan(catalog.load(name))
            assert plan == json.loads(json.dumps(plan, allow_nan=False))


def _between(page: str, start: str, end: str) -> list[str]:
    return re.findall(re.escape(start) + "(.*?)" + re.escape(end), page, re.DOTALL)


class TestPage:
    """One self-contained, escaped page whose policy allows only its own code."""

    def test_escaped(self) -> None:
        hostile = small()
        section = hostile.sections[0]
        item = section.items[0]
        hostile = Checklist(
            id="small",
            version="2",
            title=HOSTILE,
            summary=HOSTILE,
            sections=(
                Section(
                    id="before",
                    title=HOSTILE,
                    items=(
                        Item(
                            id=item.id,
                            kind=item.kind,
                            prompt=HOSTILE,
                            why=HOSTILE,
                            red_flag=HOSTILE,
                        ),
                    ),
                ),
            ),
        )
        page = form_html(hostile)
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page
        # <title>, <h1>, footer, summary, section, prompt, why: each escaped.
        assert 7 == page.count("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img")
        plan = _between(page, '<script type="application/json" id="plan">', "</script>")
        assert 1 == len(plan)
        assert compile_plan(hostile) == json.loads(plan[0])

    def test_policy(self) -> None:
        page = form_html(catalog.load())
        scripts = _between(page, "<script>", "</script>")
        styles = _between(page, "<style>", "</style>")
        assert len(SCRIPTS) == len(scripts)
        assert 1 == len(styles)

        def digest(text: str) -> str:
            value = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            return f"'sha256-{value}'"

        policy = (
            "default-src 'none'; "
            f"script-src {' '.join(digest(s) for s in scripts)}; "
            f"style-src {digest(styles[0])}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        meta = _between(page, '<meta http-equiv="Content-Security-Policy" content="', '">')
        assert [policy] == [html.unescape(m) for m in meta]
        markup = re.sub(r"<script>.*?</script>", "", page, flags=re.DOTALL)
        assert [] == re.findall(r"<[^>]*\s(?:style|on[a-z]+)=", markup)  # no inline code

    def test_no_code_from_data(self) -> None:
        for name in ("score.js", "responses.js", "page.js"):
            source = (ASSETS / name).read_text(encoding="utf-8")
            for banned in ("eval(", "Function(", "innerHTML", "outerHTML", "insertAdjacentHTML"):
                assert banned not in source, (name, banned)

    def test_size_and_language(self) -> None:
        page = form_html(catalog.load())
        assert len(page.encode("utf-8")) < 300 * 1024
        assert page.startswith('<!DOCTYPE html>\n<html lang="en">')

    def test_profile(self) -> None:
        page = form_html(catalog.load(), profile="at-home")
        assert (
            '<option value="3" selected>I am considering doses at home (telehealth)</option>'
            in page
        )
        with pytest.raises(
            UnknownProfileError,
            match=r"^checklist 'ketamine-consumer' has no profile 'nope' \(known: "
            r"symptom-relief, therapy-focused, at-home\)$",
        ):
            form_html(catalog.load(), profile="nope")

    def test_public(self) -> None:
        assert ketacheck.form_html is form_html
        assert "form_html" in ketacheck.__all__


class TestVendored:
    """smol-toml is the pinned release, unchanged, with its licence."""

    def test_checksum(self) -> None:
        data = (ASSETS / "smol-toml.cjs").read_bytes()
        expected = "f9029370259e9a43a2f3e64fa1d39e72f3598188380ace83a0abb8261fa33555"
        assert expected == hashlib.sha256(data).hexdigest()
        notes = (ASSETS / "VENDORED.md").read_text(encoding="utf-8")
        assert "## smol-toml 1.9.1" in notes
        assert expected in notes
        assert (
            (ASSETS / "smol-toml.LICENSE")
            .read_text(encoding="utf-8")
            .startswith("Copyright (c) Squirrel Chat et al., All rights reserved.")
        )


class TestCommand:
    """``ketacheck form`` writes the page and says so; it never replaces another file."""

    def test_writes(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out = tmp_path / "form.html"
        assert 0 == main(["form", "quick-screen", "--profile", "at-home", "-o", str(out)])
        page = out.read_text(encoding="utf-8")
        assert form_html(catalog.load("quick-screen"), profile="at-home") == page
        size = round(len(page.encode()) / 1024)
        assert (
            "",
            (
                f"ketacheck: wrote {out} (the form of quick-screen 1.1.0, {size} KB): "
                "open it in a browser\n"
            ),
        ) == capsys.readouterr()

    def test_replaces_a_page(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out = tmp_path / "form.html"
        out.write_text("<!doctype html><p>old", encoding="utf-8")
        assert 0 == main(["form", "-o", str(out)])
        assert form_html(catalog.load()) == out.read_text(encoding="utf-8")
        capsys.readouterr()

    def test_keeps_a_response(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out = tmp_path / "cedar.html"
        Response.new(catalog.load(), "Cedar").save(out)
        before = out.read_bytes()
        assert 2 == main(["form", "-o", str(out)])
        assert before == out.read_bytes()
        assert (
            "",
            f"ketacheck: {out}: exists and is not an HTML page; use --force to replace it\n",
        ) == capsys.readouterr()
        assert 0 == main(["form", "-o", str(out), "--force"])
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    def test_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert 2 == main(["form", "-o", str(tmp_path), "--force"])
        assert ("", f"ketacheck: {tmp_path}: is a directory, not a file\n") == (capsys.readouterr())

    def test_unknown_profile(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert 2 == main(["form", "--profile", "nope", "-o", str(tmp_path / "f.html")])
        assert not (tmp_path / "f.html").exists()
        assert (
            "ketacheck: checklist 'ketamine-consumer' has no profile 'nope' "
            "(known: symptom-relief, therapy-focused, at-home)\n"
        ) == capsys.readouterr().err
