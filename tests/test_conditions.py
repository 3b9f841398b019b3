"""Every condition form evaluated over answers, and described in words."""

from __future__ import annotations

import pytest

from ketacheck import conditions as c
from ketacheck.files._convert import Invalid, structure_condition, unstructure_condition

ANSWERS: dict[str, c.Answer] = {
    "screening": "yes",
    "therapist": "in-room",
    "routes": ("iv", "im"),
    "minutes": 45,
    "dose": 0.5,
    "evasive": "unknown",
    "notes": "free text",
}


class TestLeaves:
    """Each leaf form holds exactly when its answer matches."""

    @pytest.mark.parametrize(
        ("condition", "expected"),
        [
            (c.Is("screening", "yes"), True),
            (c.Is("screening", "no"), False),
            (c.Is("therapist", "in-room"), True),
            (c.Is("missing", "yes"), False),
            (c.Is("evasive", "unknown"), False),
            (c.Includes("routes", "iv"), True),
            (c.Includes("routes", "oral"), False),
            (c.Includes("screening", "yes"), False),
            (c.AnyOf("routes", ("oral", "im")), True),
            (c.AnyOf("routes", ("oral",)), False),
            (c.AnyOf("therapist", ("in-room", "nearby")), True),
            (c.AnyOf("therapist", ("nearby",)), False),
            (c.AnyOf("missing", ("a",)), False),
            (c.AtLeast("minutes", 45), True),
            (c.AtLeast("minutes", 45.5), False),
            (c.AtLeast("dose", 0.5), True),
            (c.AtLeast("screening", 1), False),
            (c.AtLeast("missing", 0), False),
            (c.Below("minutes", 46), True),
            (c.Below("minutes", 45), False),
            (c.Below("evasive", 100), False),
            (c.Answered("screening"), True),
            (c.Answered("evasive", True), True),
            (c.Answered("missing", True), False),
            (c.Answered("missing", False), True),
            (c.Answered("screening", False), False),
        ],
        ids=repr,
    )
    def test_leaf(self, condition: c.Condition, expected: bool) -> None:
        """The leaf's truth over the sample answers."""
        assert expected == condition.holds(ANSWERS)


class TestCombinators:
    """all, any and not are plain boolean logic."""

    def test_all(self) -> None:
        """all holds when every part holds."""
        assert c.All((c.Is("screening", "yes"), c.AtLeast("minutes", 30))).holds(ANSWERS)
        assert not c.All((c.Is("screening", "yes"), c.AtLeast("minutes", 60))).holds(ANSWERS)

    def test_any(self) -> None:
        """any holds when one part holds."""
        assert c.Any((c.Is("screening", "no"), c.Includes("routes", "im"))).holds(ANSWERS)
        assert not c.Any((c.Is("screening", "no"), c.Includes("routes", "oral"))).holds(ANSWERS)

    def test_not(self) -> None:
        """not inverts; a leaf on an unanswered item is false, so its negation is true."""
        assert c.Not(c.Is("missing", "yes")).holds(ANSWERS)
        assert not c.Not(c.Answered("screening")).holds(ANSWERS)

    def test_referenced_items(self) -> None:
        """Items named anywhere in a condition, each once, in order."""
        cond = c.All((c.Is("a", "x"), c.Not(c.Any((c.Answered("b"), c.Is("a", "y"))))))
        assert ("a", "b") == c.referenced_items(cond)


class TestToml:
    """Conditions come from TOML tables and go back to the same tables."""

    @pytest.mark.parametrize(
        "table",
        [
            {"item": "a", "is": "x"},
            {"item": "a", "includes": "x"},
            {"item": "a", "any-of": ["x", "y"]},
            {"item": "a", "at-least": 3},
            {"item": "a", "below": 2.5},
            {"item": "a", "answered": False},
            {
                "all": [
                    {"item": "a", "is": "x"},
                    {"any": [{"not": {"item": "b", "answered": True}}]},
                ]
            },
        ],
        ids=str,
    )
    def test_round_trip(self, table: dict[str, object]) -> None:
        """structure then unstructure gives the table back."""
        assert table == unstructure_condition(structure_condition(table))

    def test_errors_carry_relative_paths(self) -> None:
        """Problems inside combinators name their place."""
        with pytest.raises(Invalid) as info:
            structure_condition({"any": [{"item": "a", "is": 1}, {"not": "x"}, {"all": "y"}]})
        assert [
            (".any[0].is", "expected a string, got an integer (1)"),
            (".any[1].not", 'expected a table (a condition), got a string ("x")'),
            (".any[2].all", 'expected an array of conditions, got a string ("y")'),
        ] == info.value.problems

    def test_any_of_needs_strings(self) -> None:
        """any-of lists option ids."""
        with pytest.raises(Invalid) as info:
            structure_condition({"item": "a", "any-of": ["x", 2]})
        assert [(".any-of[1]", "expected a string, got an integer (2)")] == info.value.problems
        with pytest.raises(Invalid) as info:
            structure_condition({"item": "a", "any-of": []})
        assert [(".any-of", "expected a non-empty array of option ids")] == info.value.problems

    def test_item_must_be_a_string(self) -> None:
        """The item key names an item id."""
        with pytest.raises(Invalid) as info:
            structure_condition({"item": 3, "is": "x"})
        assert [(".item", "expected a string, got an integer (3)")] == info.value.problems


class TestDescribe:
    """Conditions in words, for printouts."""

    def test_with_labels(self) -> None:
        """Labels replace ids where given."""
        cond = c.All(
            (
                c.Includes("routes", "iv"),
                c.Any((c.AtLeast("minutes", 30), c.Below("minutes", 5.5))),
                c.Not(c.Answered("notes")),
            )
        )
        labels = {"routes": "the route", "routes/iv": "IV infusion"}
        assert (
            'the answer to the route includes "IV infusion" and (the answer to minutes is at '
            "least 30 or the answer to minutes is below 5.5) and not (notes is answered)"
        ) == c.describe(cond, labels)

    def test_other_forms(self) -> None:
        """is, any-of and answered = false read naturally."""
        assert 'the answer to a is "x"' == c.describe(c.Is("a", "x"))
        assert 'the answer to a is "x" or "y"' == c.describe(c.AnyOf("a", ("x", "y")))
        assert "a is not answered" == c.describe(c.Answered("a", False))
