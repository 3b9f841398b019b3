"""The format's rules: every valid file loads, every invalid file fails with its exact message."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from ketacheck import catalog
from ketacheck.exceptions import ChecklistError, Problem
from ketacheck.files import checklist as checklist_io
from ketacheck.model import (
    Checklist,
    Item,
    ItemKind,
    NumberBand,
    Option,
    Phase,
    Profile,
    Section,
    Source,
)
from ketacheck.validate import check_checklist, is_id, lint_checklist, lint_problems

DATA = Path(__file__).parent / "data"
INVALID = sorted((DATA / "invalid").glob("*.toml"))
VALID = sorted((DATA / "valid").glob("*.toml"))


class TestDataDriven:
    """Each file under tests/data breaks (or keeps) the rules it is named after."""

    def test_enough_invalid_cases(self) -> None:
        """At least 30 invalid files, each with its expected message."""
        assert len(INVALID) >= 30
        assert [p.with_suffix(".expected").exists() for p in INVALID] == [True] * len(INVALID)

    @pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
    def test_invalid_file_fails_with_exact_message(self, path: Path) -> None:
        """Loading reports exactly the expected problems, with paths and lines."""
        expected = path.with_suffix(".expected").read_text(encoding="utf-8").rstrip("\n")
        with pytest.raises(ChecklistError) as info, path.open("rb") as fp:
            checklist_io.load(fp, source=path.name)
        assert expected == str(info.value)
        assert path.name == info.value.source
        assert all(isinstance(p, Problem) for p in info.value.problems)

    @pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
    def test_valid_file_loads_and_round_trips(self, path: Path) -> None:
        """A valid file loads, and its dump loads back equal."""
        checklist = checklist_io.read(path)
        assert checklist == checklist_io.loads(checklist_io.dumps(checklist))


def _checklist(*items: Item) -> Checklist:
    return Checklist(
        id="c", version="1", title="T", sections=(Section(id="s", title="S", items=items),)
    )


class TestCheckChecklist:
    """Objects built in Python are checked by the same pass as files."""

    def test_collects_every_problem(self) -> None:
        """All problems come together, in document order."""
        checklist = _checklist(
            Item(id="Bad", kind=ItemKind.YES_NO, prompt="?", weight=-1),
            Item(id="Bad", kind=ItemKind.TEXT, prompt=" ", weight=2),
        )
        with pytest.raises(ChecklistError) as info:
            check_checklist(checklist, source="built")
        assert [
            'sections[0].items[0].id: "Bad" is not a kebab-case id (like "medical-screening")',
            "sections[0].items[0].weight: must be >= 0, got -1",
            'sections[0].items[1].id: duplicate item id "Bad"',
            'sections[0].items[1].id: "Bad" is not a kebab-case id (like "medical-screening")',
            "sections[0].items[1].prompt: must not be empty",
            "sections[0].items[1].weight: text items are not scored: weight must be 0, got 2",
        ] == [str(p) for p in info.value.problems]

    def test_validated_returns_self(self) -> None:
        """Checklist.validated() returns the same object when it is valid."""
        checklist = _checklist(Item(id="a", kind=ItemKind.YES_NO, prompt="A?"))
        assert checklist is checklist.validated()

    def test_error_is_a_value_error_with_source(self) -> None:
        """ChecklistError subclasses ValueError and carries the source."""
        checklist = _checklist(Item(id="a", kind=ItemKind.CHOICE, prompt="A?"))
        with pytest.raises(ValueError, match="a choice item needs at least one option") as info:
            checklist.validated(source="mine")
        assert isinstance(info.value, ChecklistError)
        assert "mine" == info.value.source

    def test_string_limit(self) -> None:
        """A string longer than the limit is reported with its length."""
        checklist = _checklist(Item(id="a", kind=ItemKind.YES_NO, prompt="x" * 10_001))
        with pytest.raises(ChecklistError) as info:
            check_checklist(checklist)
        assert "sections[0].items[0].prompt: 10,001 characters; the limit is 10,000" == str(
            info.value.problems[0]
        )

    def test_item_limit(self) -> None:
        """More items than the limit is one clear problem."""
        items = tuple(Item(id=f"i{n}", kind=ItemKind.YES_NO, prompt="?") for n in range(1001))
        with pytest.raises(ChecklistError) as info:
            check_checklist(_checklist(*items))
        assert ["sections: 1001 items; the limit is 1000"] == [str(p) for p in info.value.problems]


class TestLimits:
    """Counts, amounts and echoed values are bounded, each with its own message."""

    def test_option_limit(self) -> None:
        """More options than the limit is one clear problem."""
        options = tuple(Option(id=f"o{n}", label="O") for n in range(101))
        with pytest.raises(ChecklistError) as info:
            check_checklist(
                _checklist(Item(id="a", kind=ItemKind.CHOICE, prompt="?", options=options))
            )
        assert ["sections[0].items[0].options: 101 options; the limit is 100"] == [
            str(p) for p in info.value.problems
        ]

    def test_amount_limits(self) -> None:
        """Weights, points and multipliers above 1,000,000 are refused, so sums stay finite."""
        checklist = attrs.evolve(
            _checklist(
                Item(id="a", kind=ItemKind.YES_NO, prompt="?", weight=1_000_001),
                Item(
                    id="b",
                    kind=ItemKind.CHOICE,
                    prompt="?",
                    options=(Option(id="x", label="X", points=1e308),),
                ),
                Item(
                    id="n",
                    kind=ItemKind.NUMBER,
                    prompt="?",
                    points=(NumberBand(at_least=0, points=2_000_000),),
                ),
            ),
            profiles=(Profile(id="p", weights={"a": 10**7}),),
        )
        with pytest.raises(ChecklistError) as info:
            check_checklist(checklist)
        assert [
            "sections[0].items[0].weight: must be at most 1,000,000, got 1000001",
            "sections[0].items[1].options[0].points: must be at most 1,000,000, got 1e+308",
            "sections[0].items[2].points[0].points: must be at most 1,000,000, got 2000000",
            "profiles[0].weights.a: must be at most 1,000,000, got 10000000",
        ] == [str(p) for p in info.value.problems]

    def test_amount_at_the_limit(self) -> None:
        """1,000,000 itself is allowed."""
        item = Item(id="a", kind=ItemKind.YES_NO, prompt="?", weight=1_000_000)
        assert 1_000_000 == _checklist(item).validated().item("a").weight

    def test_huge_value_is_not_echoed_whole(self) -> None:
        """A message quoting a 20,000-character value keeps its start and end only."""
        minimal = (DATA / "valid" / "minimal.toml").read_text("utf-8")
        text = minimal.replace('title = "Only section"', f'title = "S"\nphase = "{"x" * 20_000}"')
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="c.toml")
        message = 'expected one of: before, during, after, general; got "' + "x" * 20_000 + '"'
        shown = f"{message[:300]} ... (19,675 characters left out) ... {message[-80:]}"
        assert f"c.toml: sections[0].phase (line 9): {shown}" == str(info.value)
        assert message == info.value.problems[0].message


class TestIds:
    """Ids are kebab-case."""

    @pytest.mark.parametrize("value", ["a", "a-b", "iv2", "phq-9"])
    def test_valid(self, value: str) -> None:
        """Lowercase words joined by single hyphens are ids."""
        assert is_id(value)

    @pytest.mark.parametrize("value", ["", "A", "a_b", "a--b", "-a", "a-", "a b", "é"])
    def test_invalid(self, value: str) -> None:
        """Anything else is not."""
        assert not is_id(value)


class TestLint:
    """The content rules of ``validate --strict``."""

    def test_reports_content_problems(self) -> None:
        """Missing why and sources, unused sources, therapy phases and route items."""
        checklist = checklist_io.read(DATA / "valid" / "full.toml")
        assert [
            "sections[1].items[0].why: a scored item needs a why",
            "sections[1].items[0].sources: a scored item needs at least one source",
            "sections[1].items[1].why: a scored item needs a why",
            "sections[1].items[1].sources: a scored item needs at least one source",
            "sections[1].items[2].why: a scored item needs a why",
            "sections[1].items[2].sources: a scored item needs at least one source",
            'sources[1]: source "no-link" is not used by any item',
            (
                "sections: no item tagged therapy in phase before, after (the care model needs "
                "one in each of before, during and after)"
            ),
            'sections[0].items[1].options: route "nasal-compounded" has no route-specific item',
        ] == [str(p) for p in lint_problems(checklist)]

    def test_statements_and_plain_http(self) -> None:
        """A prompt that is not a question and an http link are reported."""
        checklist = Checklist(
            id="c",
            version="1",
            title="T",
            sources=(Source(id="s", title="S", url="http://example.org"),),
            sections=(
                Section(
                    id="s",
                    title="S",
                    phase=Phase.DURING,
                    items=(
                        Item(
                            id="a",
                            kind=ItemKind.YES_NO,
                            prompt="Tell me",
                            why="Because.",
                            sources=("s",),
                            tags=("therapy",),
                        ),
                    ),
                ),
            ),
        )
        with pytest.raises(ChecklistError) as info:
            lint_checklist(checklist, source="mine")
        assert (
            "mine: 3 problems\n"
            "  sections[0].items[0].prompt: a prompt should be a question ending in ?\n"
            '  sources[0].url: links should be https, got "http://example.org"\n'
            "  sections: no item tagged therapy in phase before, after (the care model needs one "
            "in each of before, during and after)"
        ) == str(info.value)

    @pytest.mark.parametrize("name", ["ketamine-consumer", "quick-screen"])
    def test_bundled_checklists_pass(self, name: str) -> None:
        """Both bundled checklists pass the content rules."""
        assert [] == lint_problems(catalog.load(name))


class TestManyProblems:
    """A file with thousands of problems gives a short message; every problem is kept."""

    def test_message_is_capped(self) -> None:
        """The message lists 20 problems and says how many more there are."""
        text = (DATA / "valid" / "minimal.toml").read_text(encoding="utf-8")
        text = text.replace(
            'prompt = "Is', "tags = [" + ", ".join(["1"] * 500) + ']\n  prompt = "Is'
        )
        with pytest.raises(ChecklistError) as info:
            checklist_io.loads(text, source="many.toml")
        lines = str(info.value).splitlines()
        assert 500 == len(info.value.problems)
        assert "many.toml: 500 problems" == lines[0]
        assert "  ... and 480 more (all in .problems)" == lines[-1]
        assert 22 == len(lines)
