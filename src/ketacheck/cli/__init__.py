"""The ``ketacheck`` command line (also ``python -m ketacheck``).

:func:`main` parses *argv*, runs one command and returns the exit status: 0 on success, 1
when validation finds problems, 2 for usage errors or unreadable input. Errors go to stderr
as a few lines naming the file, the TOML path and the line; :func:`run` (the console script)
additionally guarantees that no traceback ever reaches the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any, Final, TextIO, cast

from ketacheck._version import __version__
from ketacheck.exceptions import (
    VISIBLE,
    AnswerError,
    KetacheckError,
    MissingDependencyError,
    TemplateError,
    UnknownChecklistError,
    UnknownProfileError,
)

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "main", "run"]

EXIT_OK: Final = 0
EXIT_PROBLEMS: Final = 1
EXIT_USAGE: Final = 2

# Each module defines register(subparsers); commands import their heavy parts lazily.
_COMMAND_MODULES: Final = (
    "ketacheck.cli._core",
    "ketacheck.cli._interview",
    "ketacheck.cli._score",
    "ketacheck.cli._print",
    "ketacheck.cli._fhir",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors exit 2 with one short message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Report a usage error the argparse way (exit status 2)."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = _Parser(
        prog="ketacheck",
        description="Vet ketamine-treatment providers with an evidence-backed checklist.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def error(message: str) -> None:
    """Print an error for the user on stderr, prefixed with the program name."""
    print(f"ketacheck: {message}", file=sys.stderr)


class _Terminal:
    r"""A text stream to a terminal that shows control characters as ``\x1b``.

    A file's text (sent through it, not to the terminal) cannot retitle, clear or reprogram
    the terminal.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write *text* with its control characters (but tab and line feed) made visible."""
        return self._stream.write(text.translate(VISIBLE))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)  # flush, isatty, buffer (PDF bytes), encoding...


@contextlib.contextmanager
def _terminal_safe() -> Iterator[None]:
    """Wrap stdout and stderr in :class:`_Terminal` where they are terminals."""
    saved = sys.stdout, sys.stderr
    if sys.stdout.isatty():
        sys.stdout = cast("TextIO", _Terminal(sys.stdout))
    if sys.stderr.isatty():
        sys.stderr = cast("TextIO", _Terminal(sys.stderr))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def main(argv: Sequence[str] | None = None) -> int:
    r"""Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status.

    Where stdout or stderr is a terminal, control characters in what a command prints (from
    a file's text) are shown as ``\x1b`` rather than sent to the terminal.
    """
    with _terminal_safe():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    try:
        status: int = args.func(args)
    except (
        UnknownChecklistError,
        UnknownProfileError,
        TemplateError,
        MissingDependencyError,
    ) as e:
        error(str(e))
        return EXIT_USAGE
    except AnswerError as e:
        error(str(e))
        return EXIT_PROBLEMS
    except KetacheckError as e:
        error(str(e))
        return EXIT_PROBLEMS
    except IsADirectoryError as e:
        error(f"{e.filename}: is a directory, not a file")
        return EXIT_USAGE
    except FileNotFoundError as e:
        error(f"{e.filename}: no such file")
        return EXIT_USAGE
    except PermissionError as e:
        error(f"{e.filename}: permission denied")
        return EXIT_USAGE
    except OSError as e:
        error(f"{e.filename or ''}: {e.strerror or e}".lstrip(": "))
        return EXIT_USAGE
    return status


def run() -> None:
    """Console-script entry point: never shows a traceback."""
    try:
        code = main()
    except KeyboardInterrupt:
        print(file=sys.stderr)
        code = 130
    except BrokenPipeError:
        code = EXIT_OK
    except Exception as e:  # noqa: BLE001 - the last line of defence for the terminal
        error(f"internal error: {type(e).__name__}: {e} (please report this)")
        code = 70
    sys.exit(code)
