"""JSON Schemas: valid 2020-12, generated from the model, and in agreement with ketacheck."""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import assume, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

from ketacheck import catalog, model
from ketacheck import response as responses_module
from ketacheck.exceptions import ChecklistError, LimitError, ResponseError
from ketacheck.files import checklist as checklist_io
from ketacheck.files._convert import toml_key
from ketacheck.model import Checklist
from ketacheck.schema import DIALECT, checklist_schema, response_schema

from .strategies import checklists, mutated_documents
from .strategies_scoring import responses

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]

# Problems a JSON Schema cannot see, by a phrase of ketacheck's message (docs/interop.md
# lists them): references between values, order and uniqueness, and TOML types that JSON
# does not have (a date and a string of the same text look alike; JSON has no NaN or inf).
OUT_OF_REACH = (
    "duplicate ",
    "no earlier item has the id",
    "a condition cannot name the item it belongs to",
    '" works on ',
    '" has no option "',
    "no source has the id",
    "no section or item has the id",
    "but no item has that id",
    "is still an item id",
    "strictly descending",
    "the last band must have min = 0",
    ") is above max (",
    "is above the sum of the options' points",
    "expected a date",
    "expected a string, got a date",
    "finite number",
    "nest deeper than",
    "items; the limit is",
    "integer out of range",
    "holds the control character",
    "no band has the label",
    "names a band, but the checklist has no bands",
)


def to_json(value: Any) -> Any:
    """A parsed TOML value as an editor's schema check sees it: dates and times as text."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def schema_errors(schema: dict[str, Any], text: str) -> list[ValidationError]:
    """The schema's errors for TOML *text*."""
    validator = Draft202012Validator(schema)
    return list(validator.iter_errors(to_json(tomllib.loads(text))))


def toml_path(error: ValidationError) -> str:
    """A jsonschema error's location written as ketacheck writes TOML paths."""
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def in_reach(message: str) -> bool:
    """Whether a JSON Schema can express the rule behind a ketacheck problem message."""
    return not any(phrase in message for phrase in OUT_OF_REACH)


def _defs_and_root(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "(root)", schema
    yield from schema["$defs"].items()


class TestSchemaDocuments:
    """Both schemas are draft 2020-12 documents that follow the model."""

    @pytest.mark.parametrize("make", [checklist_schema, response_schema])
    def test_valid_under_the_metaschema(self, make: Any) -> None:
        """The 2020-12 metaschema accepts them; the dialect is declared."""
        schema = make()
        Draft202012Validator.check_schema(schema)
        assert DIALECT == schema["$schema"]

    def test_every_model_field_is_a_property_under_its_toml_key(self) -> None:
        """Generated from the attrs classes: nothing missing, nothing extra, kebab keys."""
        schema = checklist_schema()
        defs = schema["$defs"]
        pairs = [
            (schema, Checklist),
            (defs["section"], model.Section),
            (defs["item"], model.Item),
            (defs["option"], model.Option),
            (defs["number-band"], model.NumberBand),
            (defs["band"], model.Band),
            (defs["scoring"], model.Scoring),
            (defs["source"], model.Source),
            (defs["profile"], model.Profile),
        ]
        for part, cls in pairs:
            fields = [toml_key(a.name) for a in attrs.fields(cls) if a.init]
            assert fields == list(part["properties"])

    def test_objects_are_closed(self) -> None:
        """Every object schema forbids unknown keys (typos must not pass)."""
        for schema in (checklist_schema(), response_schema()):
            for name, part in _defs_and_root(schema):
                if part.get("type") == "object":
                    assert part["additionalProperties"] is False, name

    def test_required_keys(self) -> None:
        """Required keys are those DESIGN §3 and §4 list."""
        schema = checklist_schema()
        defs = schema["$defs"]
        assert ["schema", "id", "version", "title", "sections"] == schema["required"]
        assert ["id", "title", "items"] == defs["section"]["required"]
        assert ["id", "kind", "prompt"] == defs["item"]["required"]
        assert ["schema", "checklist"] == response_schema()["required"]

    def test_conditions_are_one_of_leaf_and_combinator_shapes(self) -> None:
        """Six leaf shapes (item + one operator) and three combinators."""
        shapes = checklist_schema()["$defs"]["condition"]["oneOf"]
        assert [
            ["item", "is"],
            ["item", "includes"],
            ["item", "any-of"],
            ["item", "at-least"],
            ["item", "below"],
            ["item", "answered"],
            ["all"],
            ["any"],
            ["not"],
        ] == [s["required"] for s in shapes]

    def test_fresh_copies(self) -> None:
        """Callers may change the dict they get without changing the next one."""
        schema = checklist_schema()
        schema["$defs"].clear()
        assert "item" in checklist_schema()["$defs"]


VALID = sorted((DATA / "valid").glob("*.toml"))
INVALID = sorted((DATA / "invalid").glob("*.toml"))


def _is_response(doc: dict[str, Any]) -> bool:
    return "answers" in doc or ("checklist" in doc and "sections" not in doc)


def _parse(path: Path) -> tuple[str, dict[str, Any]] | None:
    try:
        text = path.read_bytes().decode("utf-8")
        return text, tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # not a document: the schema has nothing to say


INVALID_DOCUMENTS = [p for p in INVALID if _parse(p) is not None]
"""Invalid files that are TOML documents (bad bytes and bad syntax give a schema nothing)."""


class TestDataFiles:
    """On tests/data the schema agrees with ketacheck on every rule a schema can express."""

    @pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
    def test_valid_files_pass(self, path: Path) -> None:
        """Every valid file is valid under its schema."""
        text = path.read_text("utf-8")
        schema = response_schema() if _is_response(tomllib.loads(text)) else checklist_schema()
        assert [] == [e.message for e in schema_errors(schema, text)]

    @pytest.mark.parametrize("path", INVALID_DOCUMENTS, ids=[p.stem for p in INVALID_DOCUMENTS])
    def test_invalid_files(self, path: Path) -> None:
        """A problem the schema can express is an error at (or above) the same path; a file
        whose problems are all out of its reach passes the schema."""
        parsed = _parse(path)
        assert parsed is not None
        text, doc = parsed
        load = responses_module.loads if _is_response(doc) else checklist_io.loads
        with pytest.raises((ChecklistError, ResponseError)) as info:
            load(text, source=path.name)
        schema = response_schema() if _is_response(doc) else checklist_schema()
        errors = [toml_path(e) for e in schema_errors(schema, text)]
        expressible = [p for p in info.value.problems if in_reach(p.message)]
        if not expressible:
            assert [] == errors
        for problem in expressible:
            assert any(problem.path.startswith(e) for e in errors), (problem, errors)

    def test_the_boundary_is_exercised(self) -> None:
        """Both kinds of invalid file exist, so the test above shows both sides."""
        kinds = set()
        for path in INVALID:
            expected = path.with_suffix(".expected").read_text("utf-8")
            kinds.add(in_reach(expected))
        assert {True, False} == kinds


class TestGeneratedDocuments:
    """Bundled, generated and fuzzed documents: the schema and ketacheck agree."""

    @pytest.mark.parametrize("name", catalog.names())
    def test_bundled_checklists(self, name: str) -> None:
        """The bundled checklist files pass."""
        text = (ROOT / "checklists" / f"{name}.toml").read_text("utf-8")
        assert [] == schema_errors(checklist_schema(), text)

    @given(checklists())
    def test_generated_checklists(self, checklist: Checklist) -> None:
        """Every checklist ketacheck writes passes."""
        assert [] == schema_errors(checklist_schema(), checklist_io.dumps(checklist))

    @given(st.data())
    def test_generated_responses(self, data: st.DataObject) -> None:
        """Every response ketacheck writes passes (orphan answers of text, numbers, lists)."""
        checklist = data.draw(checklists())
        response = data.draw(responses(checklist))
        for key, value in list(response.orphans.items()):
            if not _answer_shaped(value):
                del response._orphans[key]
        assert [] == schema_errors(response_schema(), responses_module.dumps(response))

    def test_orphan_answers_of_other_types_are_flagged(self) -> None:
        """The one deliberate difference: ketacheck keeps such an orphan with a warning."""
        text = 'schema = 1\nchecklist = "quick-screen"\n[answers]\nold-item = true\n'
        assert 1 == len(responses_module.loads(text).warnings)
        assert ["answers.old-item"] == [
            toml_path(e) for e in schema_errors(response_schema(), text)
        ]

    @given(st.data())
    def test_fuzzed_checklists_agree(self, data: st.DataObject) -> None:
        """Mutate a valid file: if ketacheck accepts it, so does the schema; if ketacheck finds
        a problem the schema can express, the schema rejects it too."""
        name = data.draw(st.sampled_from([*catalog.names(), "full"]))
        path = (
            DATA / "valid" / "full.toml" if name == "full" else ROOT / "checklists" / f"{name}.toml"
        )
        doc = data.draw(mutated_documents(tomllib.loads(path.read_text("utf-8"))))
        try:
            text = tomli_w.dumps(doc)
        except (TypeError, ValueError):
            assume(False)
        errors = schema_errors(checklist_schema(), text) if _finite(doc) else None
        try:
            checklist_io.loads(text)
        except LimitError:
            return
        except ChecklistError as e:
            if errors is not None and any(in_reach(p.message) for p in e.problems):
                assert errors != []
            return
        assert errors in ([], None)


def _answer_shaped(value: object) -> bool:
    """Whether *value* has the shape of an answer: text, a number, or distinct texts."""
    if isinstance(value, list):
        return all(isinstance(v, str) for v in value) and len(set(value)) == len(value)
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _finite(value: Any) -> bool:
    """Whether *value* holds no NaN or infinity (JSON has neither)."""
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


class TestSchemaFile:
    """The schema written to a file is what editors load."""

    def test_json_text_round_trip(self, tmp_path: Path) -> None:
        """json.dumps writes it; loading it back gives the same schema."""
        path = tmp_path / "checklist.schema.json"
        path.write_text(json.dumps(checklist_schema(), indent=2), "utf-8")
        assert checklist_schema() == json.loads(path.read_text("utf-8"))
