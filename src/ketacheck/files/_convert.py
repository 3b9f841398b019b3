"""The one strict cattrs converter, shared by checklists and responses.

Built from :func:`cattrs.preconf.tomllib.make_converter` and tightened:

* unknown keys are errors (``forbid_extra_keys``), with a "did you mean" hint;
* no silent coercion: ``weight = "3"``, ``weight = true`` and ``tags = "safety"`` are errors;
* numbers must be finite; kebab-case keys (``red_flag`` is written ``red-flag``);
* nothing is written as null: absent values (None, empty tuples) are left out.

Structuring errors are turned into :class:`~ketacheck.exceptions.Problem` s with TOML paths by
:func:`problems_from`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar, cast, get_args, get_origin

import attrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override
from cattrs.preconf.tomllib import TomllibConverter, make_converter

from ketacheck import conditions as c
from ketacheck.exceptions import KetacheckError

T = TypeVar("T")

MAX_CONDITION_DEPTH: Final = 16
"""How deeply ``all``/``any``/``not`` may nest."""
MAX_HINTS: Final = 20
"""A table with more unknown keys than this gets no "did you mean" hints."""


class Invalid(KetacheckError, ValueError):  # noqa: N818 - internal, reads as "raise Invalid(...)"
    """Problems found while structuring, each as (relative TOML path, message).

    Also raised by model validators for objects built in Python (a provider's website), so
    it is a KetacheckError: the command line reports one that escapes as a short message.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p or '.'}: {m}" for p, m in problems))

    @classmethod
    def here(cls, message: str) -> Invalid:
        """A single problem at the value being structured."""
        return cls([("", message)])


def toml_key(name: str) -> str:
    """The TOML key of an attribute name: ``red_flag`` -> ``red-flag``."""
    return name.replace("_", "-")


def key_path(key: str) -> str:
    """A path segment for a table key, quoted when it is not a bare key."""
    if key and all(ch.isalnum() or ch in "-_" for ch in key) and key.isascii():
        return f".{key}"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'."{escaped}"'


def _join(prefix: str, rel: str) -> str:
    return prefix + rel


def describe_value(value: object) -> str:
    """A short description of a raw TOML value for messages: its type and value."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a float ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'a string ("{shown}")'
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime):
        return f"a date-time ({value.isoformat()})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, dt.time):
        return f"a time ({value.isoformat()})"
    return type(value).__name__  # pragma: no cover - TOML has no other types


def _expected(what: str, value: object) -> Invalid:
    return Invalid.here(f"expected {what}, got {describe_value(value)}")


def problems_from(exc: BaseException, prefix: str = "") -> list[tuple[str, str]]:
    """Flatten a structuring exception into (TOML path, message) pairs, in input order."""
    if isinstance(exc, Invalid):
        return [(_join(prefix, p), m) for p, m in exc.problems]
    if isinstance(exc, ClassValidationError):
        out: list[tuple[str, str]] = []
        for sub in exc.exceptions:
            note = next((n for n in getattr(sub, "__notes__", []) if hasattr(n, "name")), None)
            if isinstance(sub, ForbiddenExtraKeysError):
                known = sorted(toml_key(a.name) for a in attrs.fields(exc.cl) if a.init)
                # Hints help with a few typos; for a table full of unknown keys they cost
                # time (difflib, per key) and say nothing.
                typos = len(sub.extra_fields) <= MAX_HINTS
                for key in sorted(sub.extra_fields):
                    hint = difflib.get_close_matches(key, known, n=1) if typos else []
                    message = "unknown key" + (f' (did you mean "{hint[0]}"?)' if hint else "")
                    out.append((prefix + key_path(key), message))
            elif note is not None:
                here = prefix + key_path(toml_key(note.name))
                if isinstance(sub, KeyError) and not isinstance(sub, Invalid):
                    out.append((here, "required key missing"))
                else:
                    out.extend(problems_from(sub, here))
            else:
                out.extend(problems_from(sub, prefix))
        return out
    if isinstance(exc, IterableValidationError):  # pragma: no cover - our hooks replace these
        return [(prefix, str(exc))]
    if isinstance(exc, RecursionError):
        return [(prefix, "nested too deeply")]
    return [(prefix, str(exc) or type(exc).__name__)]


# -- strict scalar hooks ------------------------------------------------------------------


def _structure_str(value: object, t: object) -> str:
    if t is not str and isinstance(t, type) and issubclass(t, enum.StrEnum):
        # StrEnums reach the str hook through singledispatch: structure them by value.
        return _enum_hook(t)(value, t)
    if not isinstance(value, str):
        raise _expected("a string", value)
    return value


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise _expected("a boolean (true or false)", value)
    return value


def _structure_int(value: object, _: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _expected("an integer", value)
    return value


def _structure_float(value: object, _: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _expected("a number", value)
    if not math.isfinite(value):
        raise Invalid.here(f"expected a finite number, got {value}")
    return value


def _structure_date(value: object, _: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise _expected("a date (like 2026-11-23)", value)
    return value


def _structure_datetime(value: object, _: object) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise _expected("a date-time (like 2026-11-23T10:00:00Z)", value)
    return value


@functools.cache
def _enum_hook(cls: type[enum.StrEnum]) -> Callable[[object, object], enum.StrEnum]:
    allowed = ", ".join(m.value for m in cls)

    def hook(value: object, _: object) -> enum.StrEnum:
        if not isinstance(value, str):
            raise _expected(f"one of: {allowed}", value)
        try:
            return cls(value)
        except ValueError:
            raise Invalid.here(f'expected one of: {allowed}; got "{value}"') from None

    return hook


# -- containers ---------------------------------------------------------------------------


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_mapping(t: Any) -> bool:
    return get_origin(t) in (Mapping, dict, typing.Mapping)


def _is_condition(t: Any) -> bool:
    members = set(get_args(t)) - {types.NoneType}
    return members == set(get_args(c.Condition))


def _is_attrs(t: Any) -> bool:
    return isinstance(t, type) and attrs.has(t)


def _tuple_hook_factory(
    conv: TomllibConverter, t: Any
) -> Callable[[object, object], tuple[Any, ...]]:
    elem = get_args(t)[0]
    handler = conv.get_structure_hook(elem)

    def hook(value: object, _: object) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _expected("an array", value)
        out: list[Any] = []
        problems: list[tuple[str, str]] = []
        for i, v in enumerate(value):
            try:
                out.append(handler(v, elem))
            except Exception as e:  # noqa: BLE001 - every failure becomes a reported problem
                problems.extend(problems_from(e, f"[{i}]"))
        if problems:
            raise Invalid(problems)
        return tuple(out)

    return hook


def _mapping_hook_factory(
    conv: TomllibConverter, t: Any
) -> Callable[[object, object], dict[str, Any]]:
    _key_type, value_type = get_args(t)
    handler = conv.get_structure_hook(value_type)

    def hook(value: object, _: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _expected("a table", value)
        out: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        for k, v in value.items():
            try:
                out[k] = handler(v, value_type)
            except Exception as e:  # noqa: BLE001 - every failure becomes a reported problem
                problems.extend(problems_from(e, key_path(k)))
        if problems:
            raise Invalid(problems)
        return out

    return hook


def _attrs_hook_factory(conv: TomllibConverter, cls: type[T]) -> Callable[[object, object], T]:
    renames: dict[str, Any] = {
        a.name: override(rename=toml_key(a.name))
        for a in attrs.fields(cast("Any", cls))
        if a.init and toml_key(a.name) != a.name
    }
    fn = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **renames)

    def hook(value: object, _: object) -> T:
        if not isinstance(value, dict):
            raise _expected("a table", value)
        return fn(value, cls)

    return hook


def _unstructure_attrs_factory(
    conv: TomllibConverter, cls: type[Any]
) -> Callable[[Any], dict[str, Any]]:
    # Values equal to their default are left out (they load back equal); required fields and
    # ``schema`` (a file's first line) are always written.
    fields = [
        (a.name, toml_key(a.name), a.default if a.name != "schema" else attrs.NOTHING)
        for a in attrs.fields(cls)
        if a.init
    ]
    unstructure = conv.unstructure

    def hook(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key, default in fields:
            value = getattr(obj, name)
            if value is None or value == () or (default is not attrs.NOTHING and value == default):
                continue
            out[key] = unstructure(value)
        return out

    return hook


# -- conditions ---------------------------------------------------------------------------

_LEAF_VALUE_CHECK: Final[Mapping[str, Callable[[object, object], object]]] = {
    "is": _structure_str,
    "includes": _structure_str,
    "at-least": _structure_float,
    "below": _structure_float,
    "answered": _structure_bool,
}


def structure_condition(value: object, depth: int = 0) -> c.Condition:
    """Turn a raw ``when`` table into a condition object, or raise Invalid with paths."""
    if depth > MAX_CONDITION_DEPTH:
        raise Invalid.here(f"conditions nest deeper than {MAX_CONDITION_DEPTH} levels")
    if not isinstance(value, dict):
        raise _expected("a table (a condition)", value)
    combinators = [k for k in value if k in c.COMBINATOR_KEYS]
    if combinators:
        key = combinators[0]
        if len(value) != 1:
            others = ", ".join(f'"{k}"' for k in value if k != key)
            raise Invalid.here(f'"{key}" must be alone in its table (also found {others})')
        raw = value[key]
        if key == "not":
            try:
                return c.Not(structure_condition(raw, depth + 1))
            except Invalid as e:
                raise Invalid([(f".not{p}", m) for p, m in e.problems]) from None
        if not isinstance(raw, list):
            raise Invalid(
                [(f".{key}", f"expected an array of conditions, got {describe_value(raw)}")]
            )
        if not raw:
            raise Invalid([(f".{key}", "must list at least one condition")])
        parts: list[c.Condition] = []
        problems: list[tuple[str, str]] = []
        for i, part in enumerate(raw):
            try:
                parts.append(structure_condition(part, depth + 1))
            except Invalid as e:
                problems.extend((f".{key}[{i}]{p}", m) for p, m in e.problems)
        if problems:
            raise Invalid(problems)
        return (c.All if key == "all" else c.Any)(tuple(parts))
    return _structure_leaf(value)


def _structure_leaf(value: dict[str, Any]) -> c.Condition:
    unknown = [k for k in value if k != "item" and k not in c.LEAF_KEYS]
    if unknown:
        known = ["item", *c.LEAF_KEYS, *c.COMBINATOR_KEYS]
        problems = []
        for k in unknown:
            hint = difflib.get_close_matches(k, known, n=1)
            problems.append(
                (key_path(k), "unknown key" + (f' (did you mean "{hint[0]}"?)' if hint else ""))
            )
        raise Invalid(problems)
    operators = [k for k in value if k in c.LEAF_KEYS]
    if "item" not in value:
        raise Invalid([(".item", "required key missing")])
    item = value["item"]
    if not isinstance(item, str):
        raise Invalid([(".item", f"expected a string, got {describe_value(item)}")])
    if len(operators) != 1:
        listed = ", ".join(c.LEAF_KEYS)
        if not operators:
            raise Invalid.here(f"a condition needs exactly one operator ({listed})")
        found = ", ".join(f'"{k}"' for k in operators)
        raise Invalid.here(f"a condition takes exactly one operator, found {found}")
    op = operators[0]
    raw = value[op]
    if op == "any-of":
        if not isinstance(raw, list) or not raw:
            raise Invalid([(".any-of", "expected a non-empty array of option ids")])
        values = []
        for i, v in enumerate(raw):
            if not isinstance(v, str):
                raise Invalid([(f".any-of[{i}]", f"expected a string, got {describe_value(v)}")])
            values.append(v)
        return c.AnyOf(item, tuple(values))
    try:
        checked = _LEAF_VALUE_CHECK[op](raw, None)
    except Invalid as e:
        raise Invalid([(key_path(op) + p, m) for p, m in e.problems]) from None
    cls = c.LEAF_KEYS[op]
    return cls(item, checked)  # type: ignore[arg-type]


def unstructure_condition(cond: c.Condition) -> dict[str, Any]:
    """Turn a condition object into its TOML table."""
    if isinstance(cond, c.Not):
        return {"not": unstructure_condition(cond.condition)}
    if isinstance(cond, c.All | c.Any):
        key = "all" if isinstance(cond, c.All) else "any"
        return {key: [unstructure_condition(p) for p in cond.conditions]}
    op = next(k for k, cls in c.LEAF_KEYS.items() if isinstance(cond, cls))
    value: Any = list(cond.values) if isinstance(cond, c.AnyOf) else cond.value
    return {"item": cond.item, op: value}


# -- the converter ------------------------------------------------------------------------


def _make() -> TomllibConverter:
    conv = make_converter(forbid_extra_keys=True)
    # Class hooks (singledispatch) replace cattrs' lax defaults for these exact types.
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.StrEnum), lambda _t: str
    )
    conv.register_structure_hook_factory(
        _is_homogeneous_tuple, lambda t: _tuple_hook_factory(conv, t)
    )
    conv.register_structure_hook_factory(_is_mapping, lambda t: _mapping_hook_factory(conv, t))
    conv.register_structure_hook_factory(_is_attrs, lambda t: _attrs_hook_factory(conv, t))
    conv.register_unstructure_hook_factory(_is_attrs, lambda t: _unstructure_attrs_factory(conv, t))
    # Registered after the attrs factories so that they take precedence for condition classes.
    conv.register_structure_hook_func(_is_condition, lambda v, _t: structure_condition(v))
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and t in set(get_args(c.Condition)), unstructure_condition
    )
    return conv


converter: Final = _make()
"""The converter every loader and dumper uses."""
