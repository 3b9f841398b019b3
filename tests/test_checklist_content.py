"""The bundled checklists' content: glossary, plain language, severity, routes, quick screen, docs.

These tests hold the content rules of issue 14 (the clinical review): every jargon word is
defined where it first appears, suicide questions carry the crisis line, red flags stand only
on safety or honesty items, the stricter office safeguards apply to a drip, a shot or a spray,
the quick screen carries the phone-call dealbreakers, and docs/checklist.md says what the
checklist and ketacheck.routes say.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest

from ketacheck import catalog, response
from ketacheck.model import Checklist, Item
from ketacheck.routes import Route
from ketacheck.scoring import score

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
CHECKLIST_DOC = ROOT / "docs" / "checklist.md"
PROVIDERS = ROOT / "tests" / "data" / "providers"
OLD_RESPONSE = ROOT / "tests" / "data" / "responses" / "iv-infusion-clinic-1.0.0.toml"

JARGON = (
    "988",
    "ACLS",
    "advanced life support",
    "booster",
    "care team",
    "clinician",
    "compounded",
    "controlled drug",
    "DEA",
    "dissociation",
    "esketamine",
    "IM",
    "integration",
    "IV",
    "KAP",
    "label",
    "lozenge",
    "mania",
    "off-label",
    "prescriber",
    "protocol",
    "psychosis",
    "pulse oximeter",
    "REMS",
    "sitter",
    "troche",
)
"""Words a consumer may not know; each one the checklists use needs a glossary entry."""

ALIASES = {
    "ACLS": "advanced life support",
    "esketamine": "Spravato (esketamine)",
    "troche": "lozenge",
}
"""Jargon explained under another glossary entry."""


def _glossary() -> dict[str, str]:
    rows = re.findall(
        r"^\| \*\*(.+?)\*\* \| (.+?) \|$", GLOSSARY.read_text(encoding="utf-8"), re.MULTILINE
    )
    return dict(rows)


def _texts(item: Item) -> list[str]:
    texts = [item.prompt, item.why or "", item.guidance or ""]
    texts += [option.label for option in item.options or ()]
    return texts


def _uses(text: str, term: str) -> bool:
    flags = 0 if term.isupper() or term[0].isdigit() else re.IGNORECASE
    return re.search(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", text, flags) is not None


def _defines(text: str, term: str) -> bool:
    t = re.escape(term)
    patterns = (
        rf"{t}s? (is|are|means) ",
        rf"{t}s?: ",
        rf"{t}s?,? \(",
        rf"\({t}\b",
        rf"called (an? |the )?{t}",
    )
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def _first_use(checklist: Checklist, term: str) -> Item | None:
    return next((i for i in checklist.items if any(_uses(t, term) for t in _texts(i))), None)


@pytest.fixture(scope="module")
def flagship() -> Checklist:
    """The Ketamine Consumer Checklist."""
    return catalog.load("ketamine-consumer")


@pytest.fixture(scope="module")
def quick() -> Checklist:
    """The Ketamine Quick Screen."""
    return catalog.load("quick-screen")


class TestGlossary:
    """docs/glossary.md and the definitions inside the items."""

    def test_every_jargon_word_used_is_in_the_glossary(self, flagship: Checklist) -> None:
        """Jargon the checklist uses has a glossary entry (or an alias of one)."""
        glossary = _glossary()
        used = [t for t in JARGON if any(_uses(x, t) for i in flagship.items for x in _texts(i))]
        missing = [t for t in used if ALIASES.get(t, t) not in glossary]
        assert [] == missing

    def test_every_glossary_word_is_used(self, flagship: Checklist) -> None:
        """The glossary has no entry the checklist never uses."""
        texts = [x for i in flagship.items for x in _texts(i)]
        unused = [t for t in _glossary() if not any(_uses(x, t.split(" (")[0]) for x in texts)]
        assert [] == unused

    @pytest.mark.parametrize("name", ["ketamine-consumer", "quick-screen"])
    def test_defined_where_first_used(self, name: str) -> None:
        """The first item that uses a jargon word explains it in its own texts."""
        checklist = catalog.load(name)
        undefined = []
        for term in JARGON:
            first = _first_use(checklist, term)
            if first is not None and not any(_defines(t, term) for t in _texts(first)):
                undefined.append((term, first.id))
        assert [] == undefined

    def test_checklist_page_repeats_the_glossary(self) -> None:
        """docs/checklist.md prints the same glossary table as docs/glossary.md."""
        table = re.compile(r"^\| Term \| Meaning \|\n(?:^\|.*\|\n)+", re.MULTILINE)
        glossary = table.search(GLOSSARY.read_text(encoding="utf-8"))
        page = table.search(CHECKLIST_DOC.read_text(encoding="utf-8"))
        assert glossary is not None
        assert page is not None
        assert glossary.group(0) == page.group(0)

    def test_one_name_for_spravato(self, flagship: Checklist) -> None:
        """'esketamine' appears only as 'Spravato (esketamine)'; no 'esketamine label' is left."""
        texts = " ".join(x for i in flagship.items for x in _texts(i))
        loose = re.findall(r"(?<!Spravato \()esketamine", texts, re.IGNORECASE)
        assert [] == loose


class TestPlainUsEnglish:
    """Spelling, scope line, crisis line."""

    BRITISH: ClassVar[tuple[str, ...]] = (
        "programme",
        "licence",
        "labelled",
        "labelling",
        "anaesthe",
        "stabiliser",
        "behaviour",
    )

    @pytest.mark.parametrize("name", ["ketamine-consumer", "quick-screen"])
    def test_us_spelling(self, name: str) -> None:
        """No British spellings in any text a person reads."""
        path = ROOT / "checklists" / f"{name}.toml"
        text = path.read_text(encoding="utf-8")
        found = [w for w in self.BRITISH if w in text.lower()]
        assert [] == found

    @pytest.mark.parametrize("name", ["ketamine-consumer", "quick-screen"])
    def test_scope_line(self, name: str) -> None:
        """The summary says the checklist follows US rules and that rules differ elsewhere."""
        summary = catalog.load(name).summary or ""
        assert "It follows US rules" in summary
        assert "rules differ in other countries" in summary

    @pytest.mark.parametrize("name", ["ketamine-consumer", "quick-screen"])
    def test_crisis_line_where_suicide_is_asked(self, name: str) -> None:
        """Every item that asks about suicide gives the 988 line."""
        asking = [i for i in catalog.load(name).items if "suicide" in i.prompt.lower()]
        assert asking
        assert [] == [i.id for i in asking if "988" not in (i.why or "")]


class TestSeverity:
    """Red flags are dealbreakers on safety, honesty or regulation items."""

    def test_red_flags_only_on_safety_and_consent_items(self, flagship: Checklist) -> None:
        """An item that can raise a red flag is tagged safety, consent or regulation."""
        flagged = [
            i
            for i in flagship.items
            if i.red_flag
            or any(o.red_flag for o in i.options or ())
            or i.red_flag_if_unknown
            or any(b.red_flag for b in i.points or ())
        ]
        assert [] == [
            i.id for i in flagged if not {"safety", "consent", "regulation"} & set(i.tags)
        ]

    def test_therapy_items_never_red_flag(self, flagship: Checklist) -> None:
        """The care model is a description: no therapy item raises a red flag."""
        therapy = [i for i in flagship.items if "therapy" in i.tags]
        assert [] == [
            i.id for i in therapy if i.red_flag or any(o.red_flag for o in i.options or ())
        ]


def _office(routes: list[str]) -> dict[str, object]:
    return {"routes": tuple(routes), "at-home-dosing": "no", "office-dosing": "yes"}


class TestRouteDependentSafeguards:
    """A drip, a shot or a spray gets the strict twin; a lozenge-only office the soft one."""

    STRICT: ClassVar[tuple[str, ...]] = (
        "bp-monitoring",
        "pulse-oximetry",
        "acls-on-site",
        "emergency-equipment",
    )
    SOFT: ClassVar[tuple[str, ...]] = (
        "bp-monitoring-by-mouth",
        "pulse-oximetry-by-mouth",
        "acls-by-mouth",
        "emergency-equipment-by-mouth",
    )

    @pytest.mark.parametrize(
        ("routes", "expected"),
        [
            (["iv"], STRICT),
            (["im", "sublingual"], STRICT),
            (["intranasal"], STRICT),
            (["subcutaneous"], STRICT),
            (["sublingual"], SOFT),
            (["oral", "sublingual"], SOFT),
        ],
    )
    def test_which_twin_applies(
        self, flagship: Checklist, routes: list[str], expected: tuple[str, ...]
    ) -> None:
        """The twin that applies follows the route, never the care model."""
        answers = _office(routes)
        applicable = {i.id for i in flagship.items if i.when is None or i.when.holds(answers)}  # type: ignore[arg-type]
        assert set(expected) == applicable & set(self.STRICT + self.SOFT)

    def test_unknown_route_gets_the_strict_twin(self, flagship: Checklist) -> None:
        """With the route unanswered, the stricter safeguards apply."""
        answers = {"office-dosing": "yes"}
        applicable = {i.id for i in flagship.items if i.when is None or i.when.holds(answers)}
        assert set(self.STRICT) == applicable & set(self.STRICT + self.SOFT)


class TestQuickScreen:
    """The quick screen carries the dealbreaker screens a first phone call can ask."""

    EXPECTED: ClassVar[list[str]] = [
        "intake-evaluation",
        "baseline-bp-check",
        "psychosis-mania-screen",
        "substance-use-screen",
        "suicide-risk-check",
        "off-label-disclosure",
        "prep-therapy",
        "at-home-dosing",
        "office-dosing",
        "home-sober-adult",
        "home-live-clinician",
        "clinician-presence",
        "therapist-during",
        "no-driving",
        "integration-offered",
    ]

    def test_items(self, quick: Checklist) -> None:
        """Exactly these fifteen items, in this order."""
        assert self.EXPECTED == [i.id for i in quick.items]

    def test_scored_count_matches_the_summary(self, quick: Checklist) -> None:
        """The summary's count of scored questions is true."""
        scored = [i for i in quick.items if i.effective_weight > 0]
        assert 13 == len(scored)
        assert "thirteen of them scored" in (quick.summary or "")


class TestVersions:
    """1.1.0, and a 1.0.0 response still loads."""

    @pytest.mark.parametrize("name", ["ketamine-consumer", "quick-screen"])
    def test_version(self, name: str) -> None:
        """Both bundled checklists are 1.1.0."""
        assert "1.1.0" == catalog.load(name).version

    def test_old_response_loads_with_a_warning(self) -> None:
        """A 1.0.0 response loads, warns about the version and carries its renamed answers."""
        r = response.read(OLD_RESPONSE)
        assert "no" == r.answers["suicide-risk-check"]
        assert "yes" == r.answers["iv-starting-dose"]
        assert any("1.0.0" in w and "1.1.0" in w for w in r.warnings)
        assert any('renamed to "suicide-risk-check"' in w for w in r.warnings)
        assert "unknown" == r.orphans["touch-policy"]  # kept, not lost

    @pytest.mark.parametrize(
        "path", sorted((ROOT / "examples").glob("*.toml")), ids=lambda p: p.stem
    )
    def test_examples_are_current(self, path: Path) -> None:
        """The example responses are written for 1.1.0 and load without warnings."""
        r = response.read(path)
        assert ("1.1.0", ()) == (r.checklist_version, r.warnings)


def _readability() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readability", ROOT / "benchmarks" / "readability.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readability"] = module
    spec.loader.exec_module(module)
    return module


class TestReadability:
    """The reading-level targets hold, and docs/checklist.md shows the current figures."""

    def test_targets(self) -> None:
        """Grade 8 or lower overall and no prompt above grade 10, in both checklists."""
        readability = _readability()
        readings = [readability.measure(catalog.load(n)) for n in catalog.names()]
        assert [] == [r.checklist for r in readings if not r.passes]

    def test_docs_block_is_current(self) -> None:
        """The block in docs/checklist.md is what benchmarks/readability.py writes now."""
        readability = _readability()
        readings = [readability.measure(catalog.load(n)) for n in catalog.names()]
        doc = CHECKLIST_DOC.read_text(encoding="utf-8")
        assert readability.block(readings) in doc


class TestDocsAgree:
    """docs/checklist.md says what the checklist and ketacheck.routes say."""

    def test_item_table(self, flagship: Checklist, quick: Checklist) -> None:
        """The sources table lists every item with its weight, quick-screen flag and sources."""
        doc = CHECKLIST_DOC.read_text(encoding="utf-8")
        rows = re.findall(
            r"^\| ([a-z-]+) \| `([a-z0-9-]+)` \| ([\d.]+) \| (yes)? \| (.*) \|$", doc, re.MULTILINE
        )
        expected = [
            (
                section.id,
                item.id,
                f"{item.effective_weight:g}",
                "yes" if quick.has_item(item.id) else "",
                ", ".join(f"`{s}`" for s in item.sources),
            )
            for section in flagship.sections
            for item in section.items
        ]
        assert expected == rows

    def test_route_table(self) -> None:
        """The route table quotes ketacheck.routes: typical value, spread and products."""
        doc = CHECKLIST_DOC.read_text(encoding="utf-8")
        for route in Route:
            typical = route.typical_bioavailability
            spread = route.bioavailability
            cells = (
                f"| {route.label} "
                f"| {'none reliable' if typical is None else f'about {typical:g}%'} "
                f"| {'not reported' if spread is None else f'{spread[0]:g}-{spread[1]:g}%'} |"
            )
            assert cells in doc, route


class TestVerdicts:
    """The realistic providers' verdicts in docs/checklist.md are real scoring output."""

    @pytest.mark.parametrize("path", sorted(PROVIDERS.glob("*.toml")), ids=lambda p: p.stem)
    def test_row(self, path: Path) -> None:
        """Each provider's row shows its percent, band, red flags and cautions as scored."""
        s = score(response.read(path))
        flags = ", ".join(f"`{f.item}`" for f in s.red_flags) or "none"
        cautions = ", ".join(f"`{c.item}`" for c in s.cautions) or "none"
        row = (
            f"| {s.provider.name} | {s.care_model} | {s.percent:.1f} | {s.band} "
            f"| {flags} | {cautions} |"
        )
        assert row in CHECKLIST_DOC.read_text(encoding="utf-8")
