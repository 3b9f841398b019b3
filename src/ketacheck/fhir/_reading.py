"""Reading a Questionnaire's JSON on import: typed access by JSON path, and what is reported.

:class:`Reader` is what every part of the importer reads through. Input that is not a
well-formed Questionnaire raises :class:`~ketacheck.fhir.FhirError` naming the JSON path
(:meth:`Reader.fail`); valid FHIR that ketacheck cannot express is recorded
(:meth:`Reader.skip`) and reported at the end, as warnings or, with ``strict``, as one error
listing all of it (:meth:`Reader.warnings`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Final, NoReturn

from ketacheck._words import finite
from ketacheck.exceptions import FhirError, Problem, shorten

SKIP_ITEM: Final = "the item is skipped"
"""The consequence of a skip that leaves out a whole question."""
NOT_CARRIED: Final = "it is not carried over"
"""The consequence of a skip that leaves out one element (the default)."""

Parts = Mapping[str, list[tuple[str, Mapping[str, Any]]]]
"""The sub-extensions of a complex extension by url, each with its JSON path."""


def describe(value: object) -> str:
    """*value* as it is quoted in a message: a string in quotes, else JSON (60 characters)."""
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value)[:60]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Reader:
    """Typed access to one Questionnaire's JSON, and the record of what is not carried over."""

    def __init__(self, *, strict: bool, source: str) -> None:
        self.strict = strict
        self.source = source
        self.skipped: list[tuple[str, str, str]] = []

    # -- reporting ---------------------------------------------------------------------

    def fail(self, path: str, message: str) -> NoReturn:
        """Raise FhirError for input that is not a well-formed Questionnaire."""
        raise FhirError(self.source, [Problem(path, message)])

    def skip(self, path: str, what: str, consequence: str = NOT_CARRIED) -> None:
        """Record something valid that ketacheck cannot carry over."""
        self.skipped.append((path, what, consequence))

    def warnings(self) -> tuple[str, ...]:
        """One warning per skip, starting with its JSON path; with ``strict``, raise them."""
        if self.strict and self.skipped:
            problems = [
                Problem(p, f"cannot be carried over: {what}") for p, what, _ in self.skipped
            ]
            raise FhirError(self.source, problems)
        return tuple(shorten(f"{p}: {what}; {then}") for p, what, then in self.skipped)

    # -- typed access ------------------------------------------------------------------

    def obj(self, value: object, path: str) -> Mapping[str, Any]:
        """*value*, which must be a JSON object."""
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {describe(value)}")
        return value

    def array(self, element: Mapping[str, Any], key: str, path: str) -> list[Any]:
        """The array *element[key]* (empty when absent)."""
        value = element.get(key, [])
        if not isinstance(value, list):
            self.fail(_join(path, key), f"expected an array, got {describe(value)}")
        return value

    def each(
        self, element: Mapping[str, Any], key: str, path: str
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Each object of the array *element[key]*, with its JSON path."""
        prefix = _join(path, key)
        for i, value in enumerate(self.array(element, key, path)):
            here = f"{prefix}[{i}]"
            obj = self.obj(value, here)
            if key == "extension" and not isinstance(obj.get("url"), str):
                self.fail(f"{here}.url", "an extension needs a url (a string)")
            yield here, obj

    def string(self, element: Mapping[str, Any], key: str, path: str) -> str | None:
        """The string *element[key]*, or None when absent."""
        value = element.get(key)
        if value is not None and not isinstance(value, str):
            self.fail(_join(path, key), f"expected a string, got {describe(value)}")
        return value

    def value(self, e: Mapping[str, Any], path: str, kind: str) -> Any:
        """The ``value<kind>`` of extension *e*, type-checked (Decimal also takes Integer)."""
        kinds = ("Decimal", "Integer") if kind == "Decimal" else (kind,)
        for k in kinds:
            if f"value{k}" in e:
                v = e[f"value{k}"]
                break
        else:
            self.fail(path, f"expected value{kind} in extension {e.get('url')}")
        ok = {
            "Decimal": finite(v),
            "Boolean": isinstance(v, bool),
            "Coding": isinstance(v, dict),
        }.get(kind, isinstance(v, str))
        if not ok:
            self.fail(f"{path}.value{kind}", f"expected a {kind.lower()}, got {describe(v)}")
        return v

    def extensions_of(
        self, element: Mapping[str, Any], path: str, url: str
    ) -> Iterator[Mapping[str, Any]]:
        """The extensions of *element* with *url*."""
        for _path, e in self.each(element, "extension", path):
            if e.get("url") == url:
                yield e

    def parts(self, e: Mapping[str, Any], path: str) -> Parts:
        """The sub-extensions of a complex extension, by url, each with its path."""
        out: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
        for spath, sub in self.each(e, "extension", path):
            out.setdefault(str(sub.get("url")), []).append((spath, sub))
        return out

    def part(self, parts: Parts, name: str, path: str, kind: str, *, required: bool = True) -> Any:
        """The value of the first sub-extension *name* (None when absent and not required)."""
        found = parts.get(name, [])
        if not found:
            if required:
                self.fail(path, f'extension needs a "{name}" part')
            return None
        spath, sub = found[0]
        return self.value(sub, spath, kind)
