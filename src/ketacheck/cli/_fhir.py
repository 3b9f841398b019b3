"""Commands ``export-fhir``, ``import-fhir`` and ``schema``.

Results go to stdout (or atomically to ``-o``); warnings go to stderr. Errors in the input
(bad JSON, not a Questionnaire, a construct refused by ``--strict``) exit 1; unreadable
files exit 2 (both through :func:`ketacheck.cli.main`). ``-o`` replaces an existing file only
when it holds the same kind of output (a FHIR resource of the same type; a checklist) or is
empty; anything else, a response above all, is kept unless ``--force`` is given (exit 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from ketacheck import catalog, response
from ketacheck.cli._core import CHECKLIST_HELP
from ketacheck.exceptions import shorten
from ketacheck.files import checklist as checklist_io
from ketacheck.files._atomic import write_atomic
from ketacheck.files._toml import read_limited, sniff

_USAGE: Final = 2
_FORCE_HELP: Final = "replace OUT even if it is another kind of file"


def register(sub: Any) -> None:
    """Add the commands of this module to the subparsers *sub*."""
    p = sub.add_parser(
        "export-fhir",
        help="write a checklist as a FHIR Questionnaire, or a response as a QuestionnaireResponse",
    )
    p.add_argument("checklist", nargs="?", metavar="CHECKLIST", help=CHECKLIST_HELP)
    p.add_argument(
        "--response",
        metavar="FILE",
        help="export this response file (answers to CHECKLIST, or to the checklist it names)",
    )
    p.add_argument("-o", "--output", metavar="OUT.json", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-fhir", help="turn a FHIR R4/R5 Questionnaire into a checklist")
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE.json", help="the Questionnaire file")
    p.add_argument("-o", "--output", metavar="OUT.toml", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help=_FORCE_HELP)
    p.add_argument(
        "--strict",
        action="store_true",
        help="refuse the file when something cannot be carried over (default: skip and warn)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("schema", help="print the JSON Schema of checklist or response files")
    p.add_argument(
        "which",
        nargs="?",
        choices=("checklist", "response"),
        default="checklist",
        help="which file format (default: checklist)",
    )
    p.set_defaults(func=cmd_schema)


def _existing(path: Path) -> bytes | None:
    """The start of the file at *path* (up to the size limit), or None when there is none."""
    try:
        return read_limited(path)
    except FileNotFoundError:
        return None


def _fhir_refusal(path: Path, resource_type: str) -> str | None:
    """Why *path* must not be replaced by a FHIR *resource_type*, or None when it may be."""
    data = _existing(path)
    if data is None or not data.strip():
        return None
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deeply
        doc = None
    if isinstance(doc, dict) and doc.get("resourceType") == resource_type:
        return None
    return f"{path}: exists and is not a FHIR {resource_type} (JSON); use --force to replace it"


def _checklist_refusal(path: Path) -> str | None:
    """Why *path* must not be replaced by an imported checklist, or None when it may be."""
    data = _existing(path)
    if data is None or not data.strip():
        return None
    doc = sniff(data)
    if doc is not None and "sections" in doc:
        return None
    return f"{path}: exists and is not a checklist; use --force to replace it"


def _refused(output: str | None, force: bool, why: Callable[[Path], str | None]) -> bool:
    """Say on stderr why *output* must not be written (a folder, another kind of file)."""
    if output is None:
        return False
    path = Path(output)
    reason = f"{path}: is a directory, not a file" if path.is_dir() else None
    if reason is None and not force:
        reason = why(path)
    if reason is not None:
        print(f"ketacheck: {reason}", file=sys.stderr)
    return reason is not None


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def _warn(message: str) -> None:
    print(f"ketacheck: warning: {shorten(message)}", file=sys.stderr)


def _json(resource: object) -> str:
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def cmd_export(args: argparse.Namespace) -> int:
    """Write the Questionnaire of a checklist, or the QuestionnaireResponse of a response."""
    from ketacheck import fhir  # noqa: PLC0415 - FHIR loads only for its commands

    wanted = "Questionnaire" if args.response is None else "QuestionnaireResponse"
    if _refused(args.output, args.force, lambda path: _fhir_refusal(path, wanted)):
        return _USAGE
    if args.response is None:
        resource = fhir.to_questionnaire(catalog.resolve(args.checklist))
    else:
        checklist = catalog.resolve(args.checklist) if args.checklist else None
        answers = response.read(args.response, checklist=checklist)
        for line in answers.warnings:
            _warn(f"{args.response}: {line}")
        for line in fhir.left_out(answers):
            _warn(f"{args.response}: {line}")
        resource = fhir.to_questionnaire_response(answers)
    _emit(_json(resource), args.output)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Write the checklist made from a Questionnaire; warn about what was left out."""
    from ketacheck import fhir  # noqa: PLC0415 - FHIR loads only for its commands

    if _refused(args.output, args.force, _checklist_refusal):
        return _USAGE
    result = fhir.read_questionnaire(args.questionnaire, strict=args.strict)
    for line in result.warnings:
        _warn(f"{args.questionnaire}: {line}")
    header = [f"# Imported from the FHIR Questionnaire {args.questionnaire} by ketacheck."]
    renamed = [(i, link) for i, link in result.link_ids.items() if i != link]
    if renamed:
        header.append("# Item ids made from linkIds (id <- linkId):")
        header.extend(f"#   {i} <- {link}" for i, link in renamed)
    _emit("\n".join(header) + "\n\n" + checklist_io.dumps(result.checklist), args.output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print a JSON Schema for editors (Taplo, Even Better TOML)."""
    from ketacheck import schema  # noqa: PLC0415 - the schema builder loads only for schema

    make = schema.checklist_schema if args.which == "checklist" else schema.response_schema
    sys.stdout.write(_json(make()))
    return 0
