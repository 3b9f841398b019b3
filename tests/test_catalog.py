"""Bundled checklists: listed, loaded, valid, round-tripping, rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

import ketacheck
from ketacheck import catalog
from ketacheck.exceptions import UnknownChecklistError
from ketacheck.files import checklist as checklist_io
from ketacheck.rendering import text

NAMES = catalog.names()


class TestCatalog:
    """The catalogue finds the top-level checklists/ folder from a source checkout."""

    def test_names(self) -> None:
        """Both bundled checklists are listed, sorted."""
        assert ("ketamine-consumer", "quick-screen") == NAMES

    def test_default_is_the_consumer_checklist(self) -> None:
        """bundled() with no name is the Ketamine Consumer Checklist."""
        assert "ketamine-consumer" == ketacheck.bundled().id
        assert ketacheck.bundled() is catalog.resolve(None)

    def test_unknown_name(self) -> None:
        """An unknown name lists the bundled ones."""
        with pytest.raises(UnknownChecklistError) as info:
            catalog.load("nope")
        assert (
            'no bundled checklist "nope" (bundled: ketamine-consumer, quick-screen)'
            == info.value.args[0]
        )

    def test_resolve_path(self, tmp_path: Path) -> None:
        """A path (existing, or ending in .toml) is read as a file."""
        path = tmp_path / "mine.toml"
        checklist_io.save(catalog.load("quick-screen"), path)
        assert catalog.load("quick-screen") == catalog.resolve(path)
        assert catalog.load("quick-screen") == catalog.resolve(str(path))
        with pytest.raises(FileNotFoundError):
            catalog.resolve("missing.toml")

    def test_entries(self) -> None:
        """Entries carry id, title, version and item count."""
        entry = next(e for e in catalog.entries() if e.id == "quick-screen")
        assert ("Ketamine Quick Screen", "1.1.0", 15) == (entry.title, entry.version, entry.items)


@pytest.mark.parametrize("name", NAMES)
class TestEveryBundledChecklist:
    """Every bundled checklist loads, validates strictly, round-trips and renders."""

    def test_id_matches_file_name(self, name: str) -> None:
        """Responses find their checklist by id, so the file name is the id."""
        assert name == catalog.load(name).id

    def test_strict(self, name: str) -> None:
        """The content rules hold."""
        path = Path(catalog._root() / f"{name}.toml")  # type: ignore[arg-type]
        assert catalog.load(name) == checklist_io.read(path, strict=True)

    def test_round_trip(self, name: str) -> None:
        """dumps then loads gives an equal checklist."""
        checklist = catalog.load(name)
        assert checklist == checklist_io.loads(checklist_io.dumps(checklist))

    def test_renders_as_text(self, name: str) -> None:
        """Every prompt appears in the text rendering, and no line is over 80 columns."""
        checklist = catalog.load(name)
        rendered = text.blank(checklist)
        flat = " ".join(rendered.split())
        assert [] == [i.id for i in checklist.items if " ".join(i.prompt.split()) not in flat]
        long_lines = [
            line for line in rendered.splitlines() if len(line) > 80 and "://" not in line
        ]
        assert [] == long_lines


class TestContent:
    """The Ketamine Consumer Checklist meets its content brief."""

    def test_size(self) -> None:
        """45 to 90 items (1.1.0 added the clinical review's questions; many are conditional)."""
        assert 45 <= len(catalog.load("ketamine-consumer").items) <= 90

    def test_quick_screen_is_a_consistent_subset(self) -> None:
        """Same ids, prompts, kinds, options, points, weights and red flags as the flagship."""
        full = catalog.load("ketamine-consumer")
        quick = catalog.load("quick-screen")
        assert [] == [i.id for i in quick.items if not full.has_item(i.id) or full.item(i.id) != i]
        assert 12 <= len(quick.items) <= 15

    def test_routes_item_uses_the_route_enum(self) -> None:
        """The routes item's option ids are the Route enum's values."""
        routes = catalog.load("ketamine-consumer").item("routes")
        assert [r.value for r in ketacheck.Route] == [o.id for o in routes.options or ()]

    def test_therapy_in_each_phase(self) -> None:
        """Items tagged therapy stand in sections of phase before, during and after."""
        checklist = catalog.load("ketamine-consumer")
        phases = {
            section.effective_phase.value
            for section in checklist.sections
            for item in section.items
            if "therapy" in item.tags
        }
        assert {"before", "during", "after"} <= phases

    def test_profiles(self) -> None:
        """The three named profiles exist."""
        ids = {p.id for p in catalog.load("ketamine-consumer").profiles}
        assert {"symptom-relief", "therapy-focused", "at-home"} == ids
