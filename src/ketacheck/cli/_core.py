"""Commands ``list``, ``show`` and ``validate``."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from ketacheck import catalog, response
from ketacheck.exceptions import ChecklistError, KetacheckError, LimitError, ResponseError
from ketacheck.files import _toml
from ketacheck.files import checklist as checklist_io

CHECKLIST_HELP = "a bundled checklist id or a path to a .toml file (default: ketamine-consumer)"


def register(sub: Any) -> None:
    """Add the commands of this module to the subparsers *sub*."""
    p = sub.add_parser("list", help="list the bundled checklists")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="show a checklist in the terminal")
    p.add_argument("checklist", nargs="?", metavar="CHECKLIST", help=CHECKLIST_HELP)
    p.add_argument("--width", type=int, default=80, help="line width (default: 80)")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("validate", help="check checklist or response files")
    p.add_argument("files", nargs="+", metavar="FILE", help="checklist or response files")
    p.add_argument("--checklist", metavar="CHECKLIST", help="the checklist responses answer")
    p.add_argument(
        "--strict",
        action="store_true",
        help="also apply the content rules of bundled checklists (why, sources, questions); "
        "for responses, fail on warnings (orphan answers, renamed ids, another version)",
    )
    p.set_defaults(func=cmd_validate)


def cmd_list(_args: argparse.Namespace) -> int:
    """Print one line per bundled checklist: id, version, item count, title."""
    entries = catalog.entries()
    width = max((len(e.id) for e in entries), default=0)
    for e in entries:
        print(f"{e.id:<{width}}  {e.version:<8} {e.items:>3} items  {e.title}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the checklist as text."""
    from ketacheck.rendering import text  # noqa: PLC0415 - the renderers load only for show

    checklist = catalog.resolve(args.checklist)
    sys.stdout.write(text.blank(checklist, width=max(40, args.width)))
    return 0


def _is_response(doc: dict[str, Any] | None) -> bool:
    """Tell a response from a checklist by its top-level keys, without validating."""
    return doc is not None and ("answers" in doc or ("checklist" in doc and "sections" not in doc))


def _validate_response(
    data: bytes, name: str, checklist: str | None
) -> tuple[str, tuple[str, ...]]:
    """Load a response; return its summary line and its warnings."""
    loaded = response.load(
        io.BytesIO(data),
        source=name,
        checklist=catalog.resolve(checklist) if checklist else None,
    )
    return f"valid response to {loaded.checklist.id} {loaded.checklist.version}", loaded.warnings


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate each file; report every problem; exit 1 if any file has problems."""
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            warnings: tuple[str, ...] = ()
            data = _toml.read_limited(path)  # read once: told apart, then loaded
            if _is_response(_toml.sniff(data)):
                summary, warnings = _validate_response(data, name, args.checklist)
            else:
                checklist = checklist_io.load(io.BytesIO(data), source=name, strict=args.strict)
                n = len(checklist.items)
                plural = "" if n == 1 else "s"
                summary = f"valid checklist {checklist.id} {checklist.version}, {n} item{plural}"
        except (ChecklistError, ResponseError, LimitError) as e:  # they name their source
            print(f"ketacheck: {e}", file=sys.stderr)
            status = max(status, 1)
            continue
        except KetacheckError as e:
            print(f"ketacheck: {name}: {e}", file=sys.stderr)
            status = max(status, 1)
            continue
        except OSError as e:
            reason = "no such file" if isinstance(e, FileNotFoundError) else (e.strerror or str(e))
            print(f"ketacheck: {name}: {reason}", file=sys.stderr)
            status = 2
            continue
        for warning in warnings:
            print(f"ketacheck: {name}: warning: {warning}", file=sys.stderr)
        if warnings and args.strict:
            status = max(status, 1)
            n = len(warnings)
            print(
                f"ketacheck: {name}: {n} warning{'' if n == 1 else 's'} (--strict)", file=sys.stderr
            )
            continue
        print(f"{name}: {summary}")
    return status
