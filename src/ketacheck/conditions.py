"""Applicability conditions: the ``when`` key of an item, as typed objects.

Each TOML form has a class of the same name::

    { item = "x", is = "opt" }          Is("x", "opt")
    { item = "x", includes = "opt" }    Includes("x", "opt")
    { item = "x", any-of = ["a", "b"] } AnyOf("x", ("a", "b"))
    { item = "x", at-least = 3 }        AtLeast("x", 3)
    { item = "x", below = 3 }           Below("x", 3)
    { item = "x", answered = true }     Answered("x", True)
    { all = [...] }                     All((...))
    { any = [...] }                     Any((...))
    { not = {...} }                     Not(...)

Evaluation is plain Python over a mapping of answers; no string is ever evaluated as code.
A leaf that names an unanswered item is false (``answered = false`` is true); the reserved
answer ``"unknown"`` counts as answered and matches no other leaf.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final, TypeAlias

import attrs

from ketacheck._format import UNKNOWN
from ketacheck._words import number

__all__ = [
    "UNKNOWN",
    "All",
    "Answer",
    "Answered",
    "Any",
    "AnyOf",
    "AtLeast",
    "Below",
    "Condition",
    "Includes",
    "Is",
    "Not",
    "describe",
    "referenced_items",
]


Answer: TypeAlias = str | int | float | tuple[str, ...]
"""An answer's Python type: ``str`` (yes-no, choice, text, or ``"unknown"``), a number, or a
tuple of option ids (multi)."""


def _real(answers: Mapping[str, Answer], item: str) -> Answer | None:
    """The item's answer unless it is missing or ``unknown``."""
    value = answers.get(item)
    if value is None or value == UNKNOWN:
        return None
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@attrs.frozen
class Is:
    """True when a yes-no or choice item's answer is the given option."""

    item: str
    value: str

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        return _real(answers, self.item) == self.value


@attrs.frozen
class Includes:
    """True when a multi item's answer includes the given option."""

    item: str
    value: str

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        answer = _real(answers, self.item)
        return isinstance(answer, tuple) and self.value in answer


@attrs.frozen
class AnyOf:
    """True when the answer is one of the options (choice, yes-no) or includes one (multi)."""

    item: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        answer = _real(answers, self.item)
        if isinstance(answer, tuple):
            return any(v in self.values for v in answer)
        return answer in self.values


@attrs.frozen
class AtLeast:
    """True when a number item's answer is at least the value."""

    item: str
    value: float

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        answer = _real(answers, self.item)
        return _is_number(answer) and answer >= self.value  # type: ignore[operator]


@attrs.frozen
class Below:
    """True when a number item's answer is below the value."""

    item: str
    value: float

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        answer = _real(answers, self.item)
        return _is_number(answer) and answer < self.value  # type: ignore[operator]


@attrs.frozen
class Answered:
    """True when the item is answered (``unknown`` included) as *value* says.

    ``Answered("x")`` holds when ``x`` has any answer; ``Answered("x", False)`` when it has none.
    """

    item: str
    value: bool = True

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        return (self.item in answers) == self.value


@attrs.frozen
class All:
    """True when every part holds."""

    conditions: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        return all(c.holds(answers) for c in self.conditions)


@attrs.frozen
class Any:
    """True when at least one part holds."""

    conditions: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        return any(c.holds(answers) for c in self.conditions)


@attrs.frozen
class Not:
    """True when its part does not hold."""

    condition: Condition

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Evaluate over *answers* (item id to answer)."""
        return not self.condition.holds(answers)


Leaf: TypeAlias = Is | Includes | AnyOf | AtLeast | Below | Answered
Condition: TypeAlias = Leaf | All | Any | Not
"""Any condition form."""

LEAF_KEYS: Final[Mapping[str, type[Leaf]]] = {
    "is": Is,
    "includes": Includes,
    "any-of": AnyOf,
    "at-least": AtLeast,
    "below": Below,
    "answered": Answered,
}
"""The TOML operator key of each leaf class."""

COMBINATOR_KEYS: Final[Mapping[str, type[All | Any | Not]]] = {"all": All, "any": Any, "not": Not}
"""The TOML key of each combinator class."""


def iter_leaves(condition: Condition) -> Iterator[Leaf]:
    """Yield every leaf of *condition*, depth first."""
    if isinstance(condition, All | Any):
        for part in condition.conditions:
            yield from iter_leaves(part)
    elif isinstance(condition, Not):
        yield from iter_leaves(condition.condition)
    else:
        yield condition


def referenced_items(condition: Condition) -> tuple[str, ...]:
    """The item ids *condition* names, in first-seen order, each once."""
    return tuple(dict.fromkeys(leaf.item for leaf in iter_leaves(condition)))


def describe(condition: Condition, labels: Mapping[str, str] | None = None) -> str:
    """Say *condition* in words, e.g. ``routes includes "Intravenous infusion"``.

    *labels* maps ``"item"`` ids to prompts and ``"item/option"`` to option labels; ids are
    used where a label is missing.
    """
    names = labels or {}

    def opt(item: str, option: str) -> str:
        return f'"{names.get(f"{item}/{option}", option)}"'

    def item_name(item: str) -> str:
        return names.get(item, item)

    def say(c: Condition) -> str:
        if isinstance(c, Is):
            return f"the answer to {item_name(c.item)} is {opt(c.item, c.value)}"
        if isinstance(c, Includes):
            return f"the answer to {item_name(c.item)} includes {opt(c.item, c.value)}"
        if isinstance(c, AnyOf):
            choices = " or ".join(opt(c.item, v) for v in c.values)
            return f"the answer to {item_name(c.item)} is {choices}"
        if isinstance(c, AtLeast):
            return f"the answer to {item_name(c.item)} is at least {number(c.value)}"
        if isinstance(c, Below):
            return f"the answer to {item_name(c.item)} is below {number(c.value)}"
        if isinstance(c, Answered):
            state = "answered" if c.value else "not answered"
            return f"{item_name(c.item)} is {state}"
        if isinstance(c, All):
            return " and ".join(_group(p) for p in c.conditions)
        if isinstance(c, Any):
            return " or ".join(_group(p) for p in c.conditions)
        return f"not ({say(c.condition)})"

    def _group(c: Condition) -> str:
        text = say(c)
        return f"({text})" if isinstance(c, All | Any) else text

    return say(condition)
