"""Commands ``export-fhir``, ``import-fhir`` and ``schema``.

Results go to stdout (or atomically to ``-o``); warnings go to stderr. Errors in the input
(bad JSON, not a Questionnaire, a construct refused by ``--strict``) exit 1; unreadable
files exit 2 (both through :func:`ketacheck.cli.main`).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ketacheck._atomic import write_atomic
from ketacheck._cli_core import CHECKLIST_HELP


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
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import-fhir", help="turn a FHIR R4/R5 Questionnaire into a checklist")
    p.add_argument("questionnaire", metavar="QUESTIONNAIRE.json", help="the Questionnaire file")
    p.add_argument("-o", "--output", metavar="OUT.toml", help="write here instead of stdout")
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


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)


def _warn(message: str) -> None:
    print(f"ketacheck: warning: {message}", file=sys.stderr)


def _json(resource: object) -> str:
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def cmd_export(args: argparse.Namespace) -> int:
    """Write the Questionnaire of a checklist, or the QuestionnaireResponse of a response."""
    from ketacheck import catalog, fhir, response  # noqa: PLC0415 - commands load lazily

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
    from ketacheck import fhir, io  # noqa: PLC0415 - commands load lazily

    result = fhir.read_questionnaire(args.questionnaire, strict=args.strict)
    for line in result.warnings:
        _warn(f"{args.questionnaire}: {line}")
    header = [f"# Imported from the FHIR Questionnaire {args.questionnaire} by ketacheck."]
    renamed = [(i, link) for i, link in result.link_ids.items() if i != link]
    if renamed:
        header.append("# Item ids made from linkIds (id <- linkId):")
        header.extend(f"#   {i} <- {link}" for i, link in renamed)
    _emit("\n".join(header) + "\n\n" + io.dumps(result.checklist), args.output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print a JSON Schema for editors (Taplo, Even Better TOML)."""
    from ketacheck import schema  # noqa: PLC0415 - commands load lazily

    make = schema.checklist_schema if args.which == "checklist" else schema.response_schema
    sys.stdout.write(_json(make()))
    return 0
