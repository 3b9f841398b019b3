"""Conditions (``when``) as FHIR: ``enableWhen`` where it says exactly the same, else FHIRPath.

:func:`encode` writes a condition as ``enableWhen`` + ``enableBehavior`` only when
:func:`decode` reads it back as the same condition, so the mapping is exact both ways. The
rest becomes an SDC ``enableWhenExpression`` (:func:`fhirpath`) that evaluates a
QuestionnaireResponse exactly as :meth:`ketacheck.conditions.Condition.holds` evaluates
answers.

Semantics that make the mapping exact (FHIR R4 ``questionnaire-enable-operator``): ``=`` is
true when at least one answer equals the value, ``!=`` when no answer does (so an unanswered
question satisfies ``!=``, as ketacheck's ``not`` does), ``>=`` and ``<`` when at least one
answer compares so. ``exists`` differs on the edges (an empty multi answer is an answer in
ketacheck but leaves no FHIR answer), so ``answered`` is always written as FHIRPath.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs

from ketacheck import conditions as c
from ketacheck._words import finite
from ketacheck.model import ItemKind

OPERATORS: Final = ("exists", "=", "!=", ">", "<", ">=", "<=")
"""The codes of FHIR's questionnaire-enable-operator value set."""
BEHAVIORS: Final = ("all", "any")
"""The codes of FHIR's questionnaire-enable-behavior value set."""
_CODED: Final = (ItemKind.YES_NO, ItemKind.CHOICE, ItemKind.MULTI)


@attrs.frozen
class Target:
    """What a condition needs to know about the item it names."""

    id: str
    """The item's ketacheck id."""
    kind: ItemKind
    codes: Mapping[str, str] = attrs.field(factory=dict)
    """Each answer value as FHIR writes it (a code, a string, an integer as text) to its
    option id."""
    integer: bool = False
    """Whether FHIR answers the item with integers (so ``> 3`` is ``at-least 4``)."""


class WhenError(Exception):
    """An ``enableWhen`` that is malformed, or that ketacheck's conditions cannot express."""

    def __init__(self, path: str, message: str, *, malformed: bool = False) -> None:
        self.path = path
        self.message = message
        self.malformed = malformed
        super().__init__(f"{path}: {message}")


# -- reading enableWhen -------------------------------------------------------------------


def _answer(ew: Mapping[str, Any], path: str) -> tuple[str, object]:
    keys = [k for k in ew if k.startswith("answer")]
    if len(keys) != 1:
        raise WhenError(path, "needs exactly one answer[x] value", malformed=True)
    return keys[0].removeprefix("answer"), ew[keys[0]]


def _coded_value(kind: str, value: object) -> str | None:
    if kind == "Coding" and isinstance(value, dict):
        code = value.get("code")
        return code if isinstance(code, str) else None
    if kind in ("String", "Date", "DateTime", "Time") and isinstance(value, str):
        return value
    if kind == "Integer" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _leaf(ew: object, path: str, resolve: Callable[[str], Target | None]) -> c.Condition:
    if not isinstance(ew, dict):
        raise WhenError(path, "expected an object", malformed=True)
    question, operator = ew.get("question"), ew.get("operator")
    if not isinstance(question, str):
        raise WhenError(f"{path}.question", "required string missing", malformed=True)
    if operator not in OPERATORS:
        allowed = ", ".join(OPERATORS)
        raise WhenError(
            f"{path}.operator", f"expected one of: {allowed}; got {operator!r}", malformed=True
        )
    kind, value = _answer(ew, path)
    target = resolve(question)
    if target is None:
        raise WhenError(
            f"{path}.question",
            f'"{question}" is not an earlier question that was imported '
            "(a condition may only name an earlier item)",
        )
    if operator == "exists":
        if not isinstance(value, bool):
            raise WhenError(path, "the answer of an exists test must be a boolean", malformed=True)
        return c.Answered(target.id, value)
    if target.kind in _CODED and operator in ("=", "!="):
        coded = _coded_leaf(target, operator, kind, value)
        if coded is None:
            raise WhenError(f"{path}.answer{kind}", f'"{question}" has no such answer option')
        return coded
    if target.kind is ItemKind.NUMBER and kind in ("Decimal", "Integer"):
        if not finite(value):
            raise WhenError(f"{path}.answer{kind}", "expected a finite number", malformed=True)
        leaf = _number_leaf(target, operator, value)
        if leaf is None:
            raise WhenError(
                f"{path}.operator",
                f'"{operator}" on a decimal answer has no exact ketacheck condition '
                "(conditions on numbers are at-least and below)",
            )
        return leaf
    raise WhenError(
        f"{path}.operator",
        f'"{operator}" with answer{kind} on a {target.kind} item has no ketacheck condition',
    )


def _coded_leaf(target: Target, operator: str, kind: str, value: object) -> c.Condition | None:
    """``=``/``!=`` on a coded question as ``is``/``includes`` (or not); None: no such option."""
    option: str | None
    if target.kind is ItemKind.YES_NO and kind == "Boolean" and isinstance(value, bool):
        option = "yes" if value else "no"
    else:
        code = _coded_value(kind, value)
        option = target.codes.get(code) if code is not None else None
    if option is None:
        return None
    leaf: c.Condition = (
        c.Includes(target.id, option) if target.kind is ItemKind.MULTI else c.Is(target.id, option)
    )
    return c.Not(leaf) if operator == "!=" else leaf


def _number_leaf(target: Target, operator: str, value: float) -> c.Condition | None:
    """A comparison with a number as at-least/below; None when no condition says it exactly."""
    tid = target.id
    if operator == ">=":
        return c.AtLeast(tid, value)
    if operator == "<":
        return c.Below(tid, value)
    if not (target.integer and float(value).is_integer()):
        return None
    n = int(value)
    if operator == ">":
        return c.AtLeast(tid, n + 1)
    if operator == "<=":
        return c.Below(tid, n + 1)
    equal = c.All((c.AtLeast(tid, n), c.Below(tid, n + 1)))
    return c.Not(equal) if operator == "!=" else equal


def decode(
    enable_when: Sequence[object],
    behavior: object,
    resolve: Callable[[str], Target | None],
    path: str = "enableWhen",
) -> c.Condition:
    """Read ``enableWhen`` (+ ``enableBehavior``) as a condition; raise WhenError otherwise.

    One test is a leaf; several ``=`` tests on one coded question joined by ``any`` are
    ``any-of``; otherwise ``all``/``any`` of the leaves.
    """
    parts = [_leaf(ew, f"{path}[{i}]", resolve) for i, ew in enumerate(enable_when)]
    if len(parts) == 1:
        return parts[0]
    if behavior not in BEHAVIORS:
        raise WhenError(
            "enableBehavior",
            "several enableWhen tests need enableBehavior all or any",
            malformed=True,
        )
    coded = [p for p in parts if isinstance(p, c.Is | c.Includes)]
    if behavior == "any" and len(coded) == len(parts) and len({p.item for p in coded}) == 1:
        return c.AnyOf(coded[0].item, tuple(p.value for p in coded))
    return c.All(tuple(parts)) if behavior == "all" else c.Any(tuple(parts))


# -- writing enableWhen -------------------------------------------------------------------

Coding = Callable[[str, str], dict[str, Any]]
"""Makes the Coding of an item's option: (item id, option id) -> Coding."""


def _encode_leaf(cond: c.Condition, coding: Coding) -> dict[str, Any] | None:
    if isinstance(cond, c.Is | c.Includes):
        return {
            "question": cond.item,
            "operator": "=",
            "answerCoding": coding(cond.item, cond.value),
        }
    if isinstance(cond, c.Not) and isinstance(cond.condition, c.Is | c.Includes):
        inner = cond.condition
        return {
            "question": inner.item,
            "operator": "!=",
            "answerCoding": coding(inner.item, inner.value),
        }
    if isinstance(cond, c.AtLeast | c.Below):
        operator = ">=" if isinstance(cond, c.AtLeast) else "<"
        return {"question": cond.item, "operator": operator, "answerDecimal": cond.value}
    return None


def encode(
    cond: c.Condition, targets: Mapping[str, Target], coding: Coding
) -> tuple[list[dict[str, Any]], str | None] | None:
    """``(enableWhen, enableBehavior)`` saying exactly *cond*, or None when there is none."""
    behavior: str | None = None
    if isinstance(cond, c.AnyOf):
        tests = [_encode_leaf(c.Is(cond.item, v), coding) for v in cond.values]
        behavior = "any"
    elif isinstance(cond, c.All | c.Any):
        tests = [_encode_leaf(p, coding) for p in cond.conditions]
        behavior = "all" if isinstance(cond, c.All) else "any"
    else:
        tests = [_encode_leaf(cond, coding)]
    if any(t is None for t in tests):
        return None
    written = [t for t in tests if t is not None]
    if len(written) == 1:
        behavior = None
    try:
        back = decode(written, behavior, targets.get)
    except WhenError:
        return None
    return (written, behavior) if back == cond else None


# -- FHIRPath -----------------------------------------------------------------------------


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _number(value: float) -> str:
    """A FHIRPath number literal (FHIRPath has no exponent notation)."""
    if not math.isfinite(value):  # pragma: no cover - the model only holds finite numbers
        raise ValueError(f"not a finite number: {value}")
    text = format(decimal.Decimal(repr(value)), "f")
    return text.removesuffix(".0") if "." in text and text.endswith(".0") else text


def fhirpath(cond: c.Condition, system: Callable[[str], str]) -> str:
    """A FHIRPath boolean over ``%resource`` (the QuestionnaireResponse) equal to *cond*.

    An answered item is one present in the response (ketacheck writes every answered item,
    with ``data-absent-reason`` for ``unknown``); coded answers match by code within the
    item's code system, which ``system(item id)`` gives.
    """

    def item(item_id: str) -> str:
        return f"%resource.repeat(item).where(linkId = {_literal(item_id)})"

    def codes(item_id: str, values: Sequence[str]) -> str:
        test = " or ".join(f"code = {_literal(v)}" for v in values)
        if len(values) > 1:
            test = f"({test})"
        where = f"system = {_literal(system(item_id))} and {test}"
        return f"{item(item_id)}.answer.value.ofType(Coding).where({where}).exists()"

    def say(x: c.Condition) -> str:
        if isinstance(x, c.Is | c.Includes):
            return codes(x.item, [x.value])
        if isinstance(x, c.AnyOf):
            return codes(x.item, x.values)
        if isinstance(x, c.AtLeast | c.Below):
            op = ">=" if isinstance(x, c.AtLeast) else "<"
            test = f"$this {op} {_number(x.value)}"
            return f"{item(x.item)}.answer.value.ofType(decimal).where({test}).exists()"
        if isinstance(x, c.Answered):
            return f"{item(x.item)}.{'exists' if x.value else 'empty'}()"
        if isinstance(x, c.All | c.Any):
            joiner = " and " if isinstance(x, c.All) else " or "
            return joiner.join(f"({say(p)})" for p in x.conditions)
        return f"({say(x.condition)}).not()"

    return say(cond)
