"""Command ``interview``: ask a checklist's questions in the terminal, saving after each answer."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from ketacheck.cli._core import CHECKLIST_HELP


def register(sub: Any) -> None:
    """Add the ``interview`` command to the subparsers *sub*."""
    p = sub.add_parser(
        "interview",
        help="ask each question in the terminal; saves after each answer; resumes",
        description=(
            "Ask each applicable question of a checklist, with why it matters, and save the "
            "answers to RESPONSE.toml after each one. Run it again on the same file to "
            "continue where you stopped. Shortcuts: y, n, ? (yes, no, unknown); numbers for "
            "options; s skip, b back, q quit. Exit status 0, or 130 after Ctrl-C."
        ),
    )
    p.add_argument(
        "checklist",
        nargs="?",
        metavar="CHECKLIST",
        help=CHECKLIST_HELP + "; for an existing file, the checklist the file names",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="RESPONSE.toml",
        help="the response file to write, or to continue when it exists",
    )
    p.add_argument("--provider", metavar="NAME", help="the provider's name, for a new file")
    p.add_argument("--profile", metavar="ID", help="score the summary with this profile")
    p.set_defaults(func=cmd_interview)


def cmd_interview(args: argparse.Namespace) -> int:
    """Run the interview on stdin and stdout; return its exit status."""
    from ketacheck import interview  # noqa: PLC0415 - the interview loads only for its command

    folder = Path(args.output).parent
    if not folder.is_dir():
        print(f"ketacheck: {folder}: no such folder", file=sys.stderr)
        return 2
    width = min(100, shutil.get_terminal_size((80, 24)).columns)
    try:
        outcome = interview.start(
            args.output,
            args.checklist,
            provider=args.provider,
            profile=args.profile,
            stdin=sys.stdin,
            stdout=sys.stdout,
            width=width,
        )
    except FileExistsError as e:
        print(f"ketacheck: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    return outcome.exit_status
