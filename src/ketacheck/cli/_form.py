"""Command ``form``: the offline form, one HTML file that asks, scores and saves.

``ketacheck form [CHECKLIST] [--profile ID] -o FILE.html [--force]``. The file is written
atomically; an existing file is replaced only when it is an HTML page (or empty), so a
response above all is never overwritten by mistake, unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Final

from ketacheck.cli._core import CHECKLIST_HELP

_USAGE: Final = 2
_HTML_STARTS: Final = (b"<!doctype html", b"<html")


def register(sub: Any) -> None:
    """Add the ``form`` command to the subparsers *sub*."""
    p = sub.add_parser(
        "form",
        help="write the offline form: one HTML file that asks, scores and saves",
        description=(
            "Write one self-contained HTML file that a person opens in any browser, offline, "
            "to interview a provider: every question with why it matters, the verdict as "
            "answers change, and answers saved to a response file that ketacheck reads."
        ),
    )
    p.add_argument("checklist", nargs="?", metavar="CHECKLIST", help=CHECKLIST_HELP)
    p.add_argument("--profile", metavar="ID", help="the priorities the form starts with")
    p.add_argument("-o", "--output", required=True, metavar="FILE.html", help="the file to write")
    p.add_argument(
        "--force", action="store_true", help="replace FILE.html even if it is not an HTML page"
    )
    p.set_defaults(func=cmd_form)


def _refusal(path: Path) -> str | None:
    """Why *path* must not be replaced by the form, or None when it may be."""
    from ketacheck.files._toml import read_limited  # noqa: PLC0415 - commands load lazily

    if path.is_dir():
        return f"{path}: is a directory, not a file"
    try:
        data = read_limited(path)
    except FileNotFoundError:
        return None
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower()
    if not start or start.startswith(_HTML_STARTS):
        return None
    return f"{path}: exists and is not an HTML page; use --force to replace it"


def cmd_form(args: argparse.Namespace) -> int:
    """Write the form of the checklist to FILE.html and say so on stderr."""
    from ketacheck import catalog  # noqa: PLC0415 - commands load lazily
    from ketacheck.files._atomic import write_atomic  # noqa: PLC0415
    from ketacheck.webform import form_html  # noqa: PLC0415

    out = Path(args.output)
    refused = None if args.force and not out.is_dir() else _refusal(out)
    if refused is not None:
        print(f"ketacheck: {refused}", file=sys.stderr)
        return _USAGE
    checklist = catalog.resolve(args.checklist)
    page = form_html(checklist, profile=args.profile)
    write_atomic(out, page)
    size = len(page.encode("utf-8"))
    print(
        f"ketacheck: wrote {out} (the form of {checklist.id} {checklist.version}, "
        f"{size / 1024:.0f} KB): open it in a browser",
        file=sys.stderr,
    )
    return 0
