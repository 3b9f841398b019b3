"""FHIR interoperability: checklists as Questionnaires, responses as QuestionnaireResponses.

* :func:`to_questionnaire` writes a checklist as a FHIR R4 Questionnaire;
  :func:`from_questionnaire` (and :func:`read_questionnaire` for files) reads R4 and R5
  Questionnaires back, reporting what cannot be carried over.
* :func:`to_questionnaire_response` writes a response as a FHIR R4 QuestionnaireResponse;
  :func:`left_out` says which answers and notes it leaves out (those of items that do not
  apply, orphans).

Resources are plain dicts in and out, for :mod:`json`; no FHIR library is needed at run
time. ``checklist == from_questionnaire(to_questionnaire(checklist)).checklist`` for every
valid checklist. The mapping, construct by construct, is documented in ``docs/interop.md``.

Mapping decisions in short: a yes-no item is a coded ``choice`` with the options ``yes`` and
``no`` (so each answer carries its points in ``ordinalValue``/``itemWeight`` and its red flag),
and every coded item also offers the answer ``asked-unknown`` from HL7's data-absent-reason
code system, which is ketacheck's reserved answer ``unknown``. Numbers are ``decimal``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ketacheck.exceptions import FhirError, LimitError, Problem
from ketacheck.fhir._common import BASE
from ketacheck.fhir._export import to_questionnaire
from ketacheck.fhir._import import ImportResult, from_questionnaire
from ketacheck.fhir._response import left_out, to_questionnaire_response
from ketacheck.files import _toml

__all__ = [
    "BASE",
    "FhirError",
    "ImportResult",
    "from_questionnaire",
    "left_out",
    "loads_json",
    "read_questionnaire",
    "to_questionnaire",
    "to_questionnaire_response",
]


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def loads_json(data: bytes | str, *, source: str = "<json>") -> object:
    """Parse JSON text or UTF-8 bytes (a byte-order mark is dropped) for FHIR import.

    Raises FhirError naming *source*, with line and column, when it is not JSON (``NaN`` and
    ``Infinity`` are refused: FHIR numbers are finite) or holds an integer outside the 64-bit
    range; LimitError past 5 MiB or when objects and arrays nest more than 64 levels deep.
    """
    size = len(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    _toml.check_size(size, source)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as e:
            byte = f"byte 0x{data[e.start]:02x} at offset {e.start}"
            problem = Problem("", f"the file is not UTF-8 text ({byte})")
            raise FhirError(source, [problem]) from None
    try:
        value = json.loads(data.removeprefix("\ufeff"), parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise FhirError(
            source, [Problem("", f"not valid JSON: {e.msg}", e.lineno, e.colno)]
        ) from None
    except RecursionError:
        raise LimitError(source, [_toml.depth_problem("", _CONTAINERS)]) from None
    except ValueError as e:
        raise FhirError(source, [Problem("", f"not valid JSON: {e}")]) from None
    too_deep, out_of_range = _toml.scan(value, _json_key, _CONTAINERS)
    if too_deep is not None:
        raise LimitError(source, [too_deep])
    if out_of_range:
        raise FhirError(source, out_of_range)
    return value


_CONTAINERS = "objects and arrays"


def _json_key(key: str) -> str:
    return f".{key}"


def read_questionnaire(path: str | os.PathLike[str], /, *, strict: bool = False) -> ImportResult:
    """Import the Questionnaire JSON file at *path*; errors and warnings name the file."""
    source = os.fspath(path)
    with Path(path).open("rb") as fp:
        data = fp.read(_toml.MAX_FILE_BYTES + 1)  # no more than the limit is ever read
    return from_questionnaire(loads_json(data, source=source), strict=strict, source=source)
