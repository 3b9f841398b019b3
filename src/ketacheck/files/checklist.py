"""Reading and writing checklists as TOML, in the stdlib's vocabulary.

``loads(text)`` / ``load(fp)`` return a validated :class:`~ketacheck.model.Checklist`;
``dumps(checklist)`` / ``dump(checklist, fp)`` write readable TOML that loads back equal;
``save(checklist, path)`` writes atomically. :func:`read_document` is the shared first step
of every loader (size limit, UTF-8, syntax, schema), so checklists and responses report bad
input the same way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Final

from ketacheck.exceptions import ChecklistError, LimitError, Problem
from ketacheck.files import _toml
from ketacheck.files._atomic import write_atomic
from ketacheck.files._convert import converter, describe_value, key_path, problems_from
from ketacheck.model import SCHEMA, Checklist
from ketacheck.validate import checklist_problems, lint_problems

__all__ = ["dump", "dumps", "load", "loads", "read", "save"]

_LAYOUT: Final[Mapping[str, Any]] = {"sources": {}, "profiles": {}, "sections": {"items": {}}}


def source_name(fp: IO[bytes]) -> str:
    """The name to report for a file object: its path, else ``<stream>``."""
    name = getattr(fp, "name", None)
    return str(name) if isinstance(name, str | os.PathLike) else "<stream>"


def read_bytes(fp: IO[bytes], source: str) -> bytes:
    """Read at most one byte past the size limit, so huge inputs fail fast."""
    data: object = fp.read(_toml.MAX_FILE_BYTES + 1)
    if not isinstance(data, bytes):
        raise TypeError("load() needs a binary file: open it with 'rb'")
    _toml.check_size(len(data), source)
    return data


def read_document(
    text: str, source: str, error: type[ChecklistError] | Any = ChecklistError
) -> dict[str, Any]:
    """Parse *text* and check its ``schema``; raise *error* (naming *source*) on failure.

    Raises LimitError for text over 5 MiB and for tables and arrays nested more than 64
    levels deep; *error* for text that is not TOML, integers outside TOML's 64-bit range and
    a missing or unsupported ``schema``.
    """
    _toml.check_size(len(text.encode("utf-8", "surrogatepass")), source)
    try:
        doc = _toml.parse(text)
    except _toml.TextError as e:
        raise (LimitError if e.limit else error)(source, [e.problem]) from None
    too_deep, out_of_range = _toml.scan(doc, key_path)
    if too_deep is not None:
        raise LimitError(source, _toml.locate([too_deep], text))
    if out_of_range:
        raise error(source, _toml.locate(out_of_range, text))
    schema = doc.get("schema")
    problem = None
    if "schema" not in doc:
        problem = Problem("schema", "required key missing (add schema = 1 at the top)")
    elif not isinstance(schema, int) or isinstance(schema, bool):
        problem = Problem("schema", f"expected an integer, got {describe_value(schema)}")
    elif schema != SCHEMA:
        problem = Problem(
            "schema",
            f"unsupported schema {schema}; this version of ketacheck reads schema {SCHEMA}",
        )
    if problem is not None:
        raise error(source, _toml.locate([problem], text))
    return doc


def structure(doc: dict[str, Any], cls: type[Any], text: str, source: str, error: Any) -> Any:
    """Structure *doc* into *cls* with the strict converter, raising *error* with every problem."""
    try:
        return converter.structure(doc, cls)
    except RecursionError:
        raise LimitError(source, [Problem("", "the document nests too deeply")]) from None
    except Exception as e:  # noqa: BLE001 - every structuring failure becomes a reported problem
        problems = [Problem(path.lstrip("."), message) for path, message in problems_from(e)]
        raise error(source, _toml.locate(problems, text)) from None


def loads(text: str, /, *, source: str = "<string>", strict: bool = False) -> Checklist:
    """Load a checklist from TOML *text*; with *strict*, also apply the content rules.

    Raises ChecklistError (a ValueError) listing every problem with its TOML path and line.
    """
    doc = read_document(text, source)
    checklist: Checklist = structure(doc, Checklist, text, source, ChecklistError)
    problems = checklist_problems(checklist)
    if strict:
        problems += lint_problems(checklist)
    if problems:
        raise ChecklistError(source, _toml.locate(problems, text))
    return checklist


def load(fp: IO[bytes], /, *, source: str | None = None, strict: bool = False) -> Checklist:
    """Load a checklist from a binary file object (like :func:`tomllib.load`)."""
    name = source or source_name(fp)
    data = read_bytes(fp, name)
    try:
        text = _toml.decode(data, name)
    except _toml.TextError as e:
        raise ChecklistError(name, [e.problem]) from None
    return loads(text, source=name, strict=strict)


def read(path: str | os.PathLike[str], /, *, strict: bool = False) -> Checklist:
    """Load the checklist file at *path*; problems name the path."""
    with Path(path).open("rb") as fp:
        return load(fp, source=os.fspath(path), strict=strict)


def dumps(checklist: Checklist, /) -> str:
    """The checklist as TOML text; ``loads(dumps(c)) == c``."""
    return _toml.write_document(converter.unstructure(checklist), _LAYOUT)


def dump(checklist: Checklist, fp: IO[bytes], /) -> None:
    """Write the checklist as UTF-8 TOML to a binary file object."""
    fp.write(dumps(checklist).encode("utf-8"))


def save(checklist: Checklist, path: str | os.PathLike[str], /) -> None:
    """Write the checklist to *path* atomically."""
    write_atomic(path, dumps(checklist))
