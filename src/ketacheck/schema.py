"""JSON Schemas (draft 2020-12) for checklist and response files, generated from the model.

The schemas are built from the attrs classes themselves: every field becomes a property
under its TOML key, with its type, and classes become ``$defs``; a small table adds what the
types do not say (id patterns, minimums, non-empty lists, the keys that belong to each item
kind). So a field added to the model appears in the schema without anyone remembering to.

What a schema cannot check (that a condition names an earlier item, that ids are unique,
that bands descend, …) is listed in ``docs/interop.md``; ``ketacheck validate`` checks all.

Editors use these schemas through Taplo (Even Better TOML in VS Code)::

    ketacheck schema checklist > checklist.schema.json

and a first line ``#:schema ./checklist.schema.json`` in the TOML file.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import functools
import re
import types
import typing
from collections.abc import Mapping
from typing import Any, Final, get_args, get_origin

import attrs

from ketacheck import conditions as c
from ketacheck.files._convert import toml_key
from ketacheck.model import (
    Band,
    Checklist,
    Item,
    ItemKind,
    NumberBand,
    Option,
    Profile,
    Scoring,
    Section,
    Source,
)
from ketacheck.response import MAX_TEXT, Provider, _Document
from ketacheck.validate import ID_PATTERN, MAX_NUMBER, MAX_OPTIONS, MAX_STRING

__all__ = ["DIALECT", "checklist_schema", "response_schema"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect of both schemas."""
SCHEMA_BASE: Final = "https://ketacheck.org/schema/"

# ``$`` also matches before a final newline in Python's re, which jsonschema uses: the "not"
# keeps "id\n" out there too.
_ID: Final = {"type": "string", "pattern": ID_PATTERN.pattern, "not": {"pattern": r"\s"}}
_NOT_BLANK: Final = {"type": "string", "pattern": r"\S"}
_CONTROL: Final = r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f]"
"""Control characters but tab and line feed, which no text may hold (as validate checks)."""
_TEXT: Final = {**_NOT_BLANK, "maxLength": MAX_STRING, "not": {"pattern": _CONTROL}}
_LINK: Final = {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?:"}
_AT_LEAST_0: Final = {"minimum": 0}
_AMOUNT: Final = {"minimum": 0, "maximum": MAX_NUMBER}

# What the types do not say, by (class, attribute): merged into the generated property.
_CONSTRAINTS: Final[Mapping[tuple[type, str], Mapping[str, Any]]] = {
    (Checklist, "schema"): {"enum": [1], "description": "The file format's version: 1."},
    (Checklist, "id"): _ID,
    (Checklist, "version"): _NOT_BLANK,
    (Checklist, "title"): _TEXT,
    (Checklist, "summary"): _TEXT,
    (Checklist, "license"): _TEXT,
    (Checklist, "authors"): {"items": _TEXT},
    (Checklist, "language"): {"pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"},
    (Checklist, "sections"): {"minItems": 1},
    (Checklist, "renamed"): {"propertyNames": _ID},
    (Band, "min"): {"minimum": 0, "maximum": 100},
    (Scoring, "min_completeness"): {"minimum": 0, "maximum": 1},
    (Scoring, "red_flag_band"): _TEXT,
    (Band, "label"): _TEXT,
    (Source, "id"): _ID,
    (Source, "title"): _TEXT,
    (Source, "url"): _LINK,
    (Profile, "id"): _ID,
    (Profile, "title"): _TEXT,
    (Profile, "summary"): _TEXT,
    (Profile, "weights"): {"additionalProperties": {"type": "number", **_AMOUNT}},
    (Section, "id"): _ID,
    (Section, "title"): _TEXT,
    (Section, "summary"): _TEXT,
    (Section, "items"): {"minItems": 1},
    (Item, "id"): _ID,
    (Item, "prompt"): _TEXT,
    (Item, "why"): _TEXT,
    (Item, "guidance"): _TEXT,
    (Item, "placeholder"): _TEXT,
    (Item, "red_flag"): _TEXT,
    (Item, "caution"): _TEXT,
    (Item, "unit"): _TEXT,
    (Item, "weight"): _AMOUNT,
    (Item, "good"): {"enum": ["yes", "no"]},
    (Item, "options"): {"minItems": 1, "maxItems": MAX_OPTIONS},
    (Item, "max_points"): _AT_LEAST_0,
    (Item, "tags"): {"items": _ID},
    (Item, "sources"): {"items": _ID},
    (Option, "id"): {**_ID, "not": {"enum": [c.UNKNOWN]}},
    (Option, "label"): _TEXT,
    (Option, "points"): _AMOUNT,
    (Option, "red_flag"): _TEXT,
    (Option, "caution"): _TEXT,
    (NumberBand, "points"): _AMOUNT,
    (NumberBand, "red_flag"): _TEXT,
    (NumberBand, "caution"): _TEXT,
}

# Keys that belong to some item kinds only (DESIGN §3); on any other kind they are unknown.
_KIND_KEYS: Final[Mapping[str, frozenset[ItemKind]]] = {
    "good": frozenset({ItemKind.YES_NO}),
    "red-flag": frozenset({ItemKind.YES_NO}),
    "caution": frozenset({ItemKind.YES_NO}),
    "integer": frozenset({ItemKind.NUMBER}),
    "options": frozenset({ItemKind.CHOICE, ItemKind.MULTI}),
    "max-points": frozenset({ItemKind.MULTI}),
    "unit": frozenset({ItemKind.NUMBER}),
    "min": frozenset({ItemKind.NUMBER}),
    "max": frozenset({ItemKind.NUMBER}),
    "points": frozenset({ItemKind.NUMBER}),
}

_LEAF_VALUES: Final[Mapping[str, Mapping[str, Any]]] = {
    "is": {"type": "string"},
    "includes": {"type": "string"},
    "any-of": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "at-least": {"type": "number"},
    "below": {"type": "number"},
    "answered": {"type": "boolean"},
}


def _first_line(doc: str | None) -> str | None:
    return doc.strip().splitlines()[0].replace("``", "`") if doc else None


class _Builder:
    """Turns attrs classes into ``$defs``, following field types."""

    def __init__(self, constraints: Mapping[tuple[type, str], Mapping[str, Any]]) -> None:
        self.constraints = constraints
        self.defs: dict[str, Any] = {}

    def ref(self, cls: type) -> dict[str, Any]:
        name = re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__.lstrip("_")).lower()
        if name not in self.defs:
            self.defs[name] = {}  # claimed first: classes may refer to themselves
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required = []
        for a in attrs.fields(cls):
            if not a.init:
                continue
            key = toml_key(a.name)
            schema = {**self.type(hints[a.name]), **self.constraints.get((cls, a.name), {})}
            properties[key] = schema
            if a.default is attrs.NOTHING or (cls is Checklist and a.name == "schema"):
                required.append(key)
        out: dict[str, Any] = {"type": "object"}
        description = _first_line(cls.__doc__)
        if description:
            out["description"] = description
        out.update(properties=properties, required=required, additionalProperties=False)
        return out

    def type(self, t: Any) -> dict[str, Any]:
        origin = get_origin(t)
        args = get_args(t)
        if set(args) - {types.NoneType} == set(get_args(c.Condition)):
            return {"$ref": "#/$defs/condition"}
        if origin in (types.UnionType, typing.Union):
            (inner,) = [a for a in args if a is not types.NoneType]
            return self.type(inner)
        if origin is tuple:
            return {"type": "array", "items": self.type(args[0])}
        if origin in (Mapping, dict):
            return {"type": "object", "additionalProperties": self.type(args[1])}
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return {"enum": [m.value for m in t]}
        if isinstance(t, type) and attrs.has(t):
            return self.ref(t)
        simple = {
            str: {"type": "string"},
            bool: {"type": "boolean"},
            int: {"type": "integer"},
            float: {"type": "number"},
            dt.datetime: {"type": "string", "format": "date-time"},
            dt.date: {"type": "string", "format": "date"},
        }
        return dict(simple.get(t, {}))  # Any: anything


def _condition_defs() -> dict[str, Any]:
    leaves = [
        {
            "type": "object",
            "properties": {"item": {"type": "string"}, key: value},
            "required": ["item", key],
            "additionalProperties": False,
        }
        for key, value in _LEAF_VALUES.items()
    ]
    combinators = [
        {
            "type": "object",
            "properties": {
                key: {"$ref": "#/$defs/condition"}
                if key == "not"
                else {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1}
            },
            "required": [key],
            "additionalProperties": False,
        }
        for key in c.COMBINATOR_KEYS
    ]
    assert set(_LEAF_VALUES) == set(c.LEAF_KEYS)  # noqa: S101 - the table follows the language
    return {
        "description": "When the item applies: one test on an earlier item, or all/any/not.",
        "oneOf": leaves + combinators,
    }


def _kind_rules() -> list[dict[str, Any]]:
    rules = []
    for kind in ItemKind:
        forbidden: dict[str, Any] = {
            key: False for key, kinds in _KIND_KEYS.items() if kind not in kinds
        }
        then: dict[str, Any] = {"properties": forbidden}
        if kind in (ItemKind.CHOICE, ItemKind.MULTI):
            then["required"] = ["options"]
        if kind is ItemKind.TEXT:
            forbidden["weight"] = {"enum": [0]}
        test = {"properties": {"kind": {"const": kind.value}}, "required": ["kind"]}
        rules.append({"if": test, "then": then})
    return rules


def _document(builder: _Builder, cls: type, name: str, description: str) -> dict[str, Any]:
    root = builder.object(cls)
    return {
        "$schema": DIALECT,
        "$id": f"{SCHEMA_BASE}{name}.schema.json",
        "title": f"ketacheck {name} file (schema 1)",
        **root,
        "description": description,
        "$defs": dict(sorted(builder.defs.items())),
    }


@functools.cache
def _checklist_schema() -> dict[str, Any]:
    builder = _Builder(_CONSTRAINTS)
    builder.defs["condition"] = _condition_defs()
    description = "A ketacheck checklist: questions to ask a provider, with their scoring."
    schema = _document(builder, Checklist, "checklist", description)
    defs = schema["$defs"]
    # One place carries at most one warning (DESIGN §3).
    one_warning = {"not": {"required": ["red-flag", "caution"]}}
    defs["item"]["allOf"] = [
        *_kind_rules(),
        one_warning,
        {"not": {"required": ["red-flag-if-unknown", "caution-if-unknown"]}},
    ]
    defs["option"]["allOf"] = [one_warning]
    defs["number-band"]["allOf"] = [one_warning]
    return schema


@functools.cache
def _response_schema() -> dict[str, Any]:
    text = {"type": "string", "maxLength": MAX_TEXT}
    answer = {
        "description": "An option id, a number, a list of option ids (multi) or text; or unknown.",
        "oneOf": [
            text,
            {"type": "number"},
            {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        ],
    }
    constraints: dict[tuple[type, str], Mapping[str, Any]] = {
        (_Document, "schema"): {"enum": [1], "description": "The file format's version: 1."},
        (_Document, "checklist"): {"description": "The id of the checklist answered."},
        (_Document, "answers"): {"additionalProperties": answer},
        (_Document, "notes"): {"additionalProperties": text},
        (Provider, "name"): text,
        (Provider, "website"): {**_LINK, "maxLength": MAX_TEXT},
        (Provider, "location"): text,
        (Provider, "interviewer"): text,
    }
    builder = _Builder(constraints)
    description = "One provider's answers to a ketacheck checklist."
    return _document(builder, _Document, "response", description)


def checklist_schema() -> dict[str, Any]:
    """The JSON Schema of checklist files (a fresh dict; dump it with :func:`json.dumps`)."""
    return copy.deepcopy(_checklist_schema())


def response_schema() -> dict[str, Any]:
    """The JSON Schema of response files (a fresh dict; dump it with :func:`json.dumps`)."""
    return copy.deepcopy(_response_schema())
