"""Command ``print``: a printable blank checklist, a filled report, or a comparison.

``ketacheck print [CHECKLIST] [--response FILE ...] [--format F] [--paper P]
[--template-dir DIR] [-o OUT] [--force]``. Without ``--response`` it prints the blank
checklist; with one, the filled report; with several, the providers side by side. The format
comes from ``--format``, else from OUT's suffix, else it is text. Output is written
atomically, and ``-o`` refuses to replace an existing file of another kind (a suffix that does
not belong to the format) unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Final

from ketacheck import catalog, response
from ketacheck.files._atomic import write_atomic

__all__ = ["SUFFIXES", "cmd_print", "register"]

SUFFIXES: Final = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
"""Which format an output file's suffix asks for."""

_USAGE: Final = 2

CHECKLIST_HELP: Final = (
    "a bundled checklist id or a path to a .toml file (default: ketamine-consumer, or the "
    "checklist the responses name)"
)


def register(sub: Any) -> None:
    """Add the ``print`` command to the subparsers *sub*."""
    p = sub.add_parser(
        "print",
        help="print a blank checklist, a filled report or a comparison",
        description=(
            "Print a blank checklist to take to a consultation; with --response, the filled "
            "report; with several --response options, the providers side by side."
        ),
    )
    p.add_argument("checklist", nargs="?", metavar="CHECKLIST", help=CHECKLIST_HELP)
    p.add_argument(
        "--checklist",
        dest="checklist_option",
        metavar="CHECKLIST",
        help="the same as CHECKLIST (as in the score, compare and validate commands)",
    )
    p.add_argument(
        "--response",
        action="append",
        default=[],
        metavar="FILE",
        help="a filled response (repeat to compare providers)",
    )
    p.add_argument(
        "-f",
        "--format",
        choices=("text", "markdown", "html", "pdf"),
        help="output format (default: from OUT's suffix, else text)",
    )
    p.add_argument(
        "--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)"
    )
    p.add_argument(
        "--template-dir",
        metavar="DIR",
        help="a folder of HTML templates that replace the built-in ones (branding)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to OUT instead of stdout")
    p.add_argument(
        "--force", action="store_true", help="replace OUT even if it is another kind of file"
    )
    p.set_defaults(func=cmd_print)


def _fail(message: str) -> int:
    print(f"ketacheck: {message}", file=sys.stderr)
    return _USAGE


def _format(args: argparse.Namespace) -> str | None:
    """The output format: --format, else OUT's suffix, else text; None if OUT's is unknown."""
    if args.format:
        return str(args.format)
    if args.output is None:
        return "text"
    return SUFFIXES.get(Path(args.output).suffix.lower())


def _check_output(path: Path, fmt: str, force: bool) -> str | None:
    """Why writing *fmt* to *path* is refused, or None when it may go ahead."""
    if path.is_dir():
        return f"{path}: is a directory, not a file"
    if force or not path.exists():
        return None
    if SUFFIXES.get(path.suffix.lower()) == fmt:
        return None
    suffixes = ", ".join(s for s, f in SUFFIXES.items() if f == fmt)
    return (
        f"{path}: exists and is not {fmt} output (its name does not end in {suffixes}); "
        "use --force to replace it"
    )


def _subject(args: argparse.Namespace) -> object:
    """What to print: the checklist, one response, or a list of responses."""
    if not args.response:
        return catalog.resolve(args.checklist)
    checklist = catalog.resolve(args.checklist) if args.checklist else None
    loaded = [response.read(name, checklist=checklist) for name in args.response]
    return loaded[0] if len(loaded) == 1 else loaded


def cmd_print(args: argparse.Namespace) -> int:
    """Render the checklist, report or comparison and write it to stdout or OUT."""
    if args.checklist_option is not None:
        if args.checklist is not None:
            return _fail("give the checklist once: as CHECKLIST or with --checklist")
        args.checklist = args.checklist_option
    fmt = _format(args)
    if fmt is None:
        return _fail(
            f"cannot tell the format from {args.output!r}; use --format "
            "(text, markdown, html or pdf) or a .txt, .md, .html or .pdf name"
        )
    if args.template_dir is not None and fmt != "html":
        return _fail(f"--template-dir applies to html output only, not {fmt}")
    out = Path(args.output) if args.output else None
    if out is not None:
        refused = _check_output(out, fmt, args.force)
        if refused:
            return _fail(refused)
    elif fmt == "pdf" and sys.stdout.isatty():
        return _fail("PDF is binary: write it to a file with -o OUT.pdf (or redirect stdout)")
    subject = _subject(args)
    from ketacheck.rendering import render  # noqa: PLC0415 - the renderers load only for print

    data = render(subject, fmt, paper=args.paper, template_dir=args.template_dir)
    if out is not None:
        write_atomic(out, data)
        return 0
    if isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)
    return 0
