"""Reading TOML safely: regular files only, the size limit, UTF-8, the shape guard, parsing.

:func:`read_limited` is the one function every loader reads a path with: it reads regular
files only (a named pipe, a device or a folder is an error, never a hang) and never more than
one byte past the size limit. :func:`decode` accepts and drops a UTF-8 byte-order mark and
reports bytes that are not UTF-8; :func:`parse` refuses, before the parser runs, names that
would cost it too much (:func:`shape_problem`) and reports syntax errors with line and
column. Locating a TOML path on its line is ``_locate``'s job, writing ``_write``'s.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from collections.abc import Callable
from typing import Any, Final

from ketacheck.exceptions import LimitError, Problem

MAX_FILE_BYTES: Final = 5 * 1024 * 1024
"""Largest file ketacheck reads (5 MiB)."""
MAX_DEPTH: Final = 64
"""How deeply tables and arrays may nest in a file (the deepest allowed condition needs 38)."""
INT_MIN: Final = -(2**63)
"""Smallest integer TOML holds (TOML integers are 64-bit)."""
INT_MAX: Final = 2**63 - 1
"""Largest integer TOML holds."""

_BOM: Final = "\ufeff"
_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_POSITION_EOF = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


class TextError(Exception):
    """The bytes or text of a document could not be read as TOML.

    *limit* is true when the text broke one of ketacheck's limits rather than TOML's rules.
    """

    def __init__(self, problem: Problem, *, limit: bool = False) -> None:
        self.problem = problem
        self.limit = limit
        super().__init__(str(problem))


def depth_problem(path: str, containers: str = "tables and arrays") -> Problem:
    """The problem of a document whose *containers* nest deeper than :data:`MAX_DEPTH`."""
    return Problem(path, f"{containers} nest more than {MAX_DEPTH} levels deep (the limit)")


def _in_range(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX


def scan(
    doc: object, key_path: Callable[[str], str], containers: str = "tables and arrays"
) -> tuple[Problem | None, list[Problem]]:
    """Walk a parsed document without recursion: (too deep, integers out of range).

    The first is the problem at the first table or array nested deeper than
    :data:`MAX_DEPTH` (None when there is none); the second lists every integer outside
    TOML's 64-bit range (JSON has no range of its own, so FHIR files are held to it too).
    *key_path* writes a table key as a path segment (``.key`` or ``."a key"``); *containers*
    names them in the message (``objects and arrays`` for JSON). Paths are written only for
    the values reported, so a huge key cannot make the walk itself large.
    """
    out_of_range: list[Problem] = []
    # Each entry: the value, its depth, and its trail (parent trail, key or index).
    stack: list[tuple[object, int, tuple[Any, str | int] | None]] = [(doc, 0, None)]
    while stack:
        value, depth, trail = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                return depth_problem(_trail_path(trail, key_path), containers), out_of_range
            children = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((v, depth + 1, (trail, k)) for k, v in reversed(list(children)))
        elif isinstance(value, int) and not isinstance(value, bool) and not _in_range(value):
            out_of_range.append(
                Problem(
                    _trail_path(trail, key_path),
                    f"integer out of range (integers are 64-bit: from {INT_MIN:,} to {INT_MAX:,})",
                )
            )
    return None, out_of_range


def _trail_path(trail: tuple[Any, str | int] | None, key_path: Callable[[str], str]) -> str:
    parts: list[str] = []
    while trail is not None:
        trail, key = trail
        parts.append(f"[{key}]" if isinstance(key, int) else key_path(key))
    return "".join(reversed(parts)).lstrip(".")


def check_size(size: int, source: str) -> None:
    """Raise LimitError when *size* bytes exceed the file-size limit."""
    if size > MAX_FILE_BYTES:
        raise LimitError(
            source,
            [
                Problem(
                    "",
                    f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (5 MiB)",
                )
            ],
        )


def decode(data: bytes, source: str) -> str:
    """Bytes to text: size limit, UTF-8 only, a leading byte-order mark dropped."""
    check_size(len(data), source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise TextError(
            Problem(
                "",
                f"the file is not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); "
                "save it as UTF-8",
                line,
                column,
            )
        ) from None
    return text.removeprefix(_BOM)


# -- the shape guard: what tomllib would do too slowly is refused before it runs -------------
#
# tomllib keeps, for every dotted key, a tuple for each of its parts, each as long as the
# table name plus the key (a key of r parts under a table of m parts costs about r * (m + r)
# steps and pointers), and holds them until the next table header. A file under 5 MiB of
# long dotted keys under long table names took minutes and gigabytes. The guard counts that
# cost line by line, before parsing, with regular expressions that cannot backtrack (atomic
# groups), and refuses a name that nests deeper than MAX_DEPTH (no such file is accepted
# anyway) and a file whose keys add up to more than MAX_DOTTED_WORK.

MAX_DOTTED_WORK: Final = 500_000
"""Most steps the dotted keys of one file may cost the parser (see :func:`shape_problem`)."""
MAX_PARSE_COST: Final = 800_000
"""Most the parser may be asked to do for one file, in characters, before it runs: each
character outside strings and comments counts two, each inside a double-quoted string one,
the rest (comments, single-quoted strings) nothing; about a second of CPU at the most."""

# A string or a comment; one that does not end runs to the end of its line (of the text, for
# multi-line strings), so no attempt ever fails and scanning stays linear. Groups b1 and b2
# hold the text of double-quoted strings, which the parser reads one character at a time.
_SKIPPED = re.compile(
    r'''"""(?P<b1>(?>(?:[^"\\]+|\\[\s\S]|"(?!""))*))(?:"{3,5}|\Z)'''
    r"|'''(?>(?:[^']+|'(?!''))*)(?:'{3,5}|\Z)"
    r"""|"(?P<b2>(?>(?:[^"\\\n]+|\\.)*))(?:"|$)"""
    r"|'[^'\n]*(?:'|$)"
    r"|#[^\n]*",
    re.MULTILINE,
)


def parse_cost(text: str) -> int:
    """What parsing *text* would cost, in the units of :data:`MAX_PARSE_COST`.

    One split at C speed: every third piece is text outside strings and comments, the two
    after it the text of a double-quoted string (or None); each string or comment counts 4.
    """
    pieces = _SKIPPED.split(text)
    outside = sum(map(len, pieces[0::3]))
    quoted = sum(map(len, filter(None, pieces[1::3]))) + sum(map(len, filter(None, pieces[2::3])))
    return 2 * outside + 4 * (len(pieces) // 3) + quoted


# A dotted name, its quoted parts already "" (atomic: a failed match never backtracks).
_TABLE_NAME = re.compile(
    r'[ \t]*\[\[?[ \t]*((?>(?:[A-Za-z0-9_-]+|"")(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|""))*))[ \t]*\]'
)
_LINE_KEY = re.compile(
    r'[ \t]*((?>(?:[A-Za-z0-9_-]+|"")(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|""))*))[ \t]*='
)
_INLINE_KEY = re.compile(
    r'[{,][ \t]*((?>(?:[A-Za-z0-9_-]+|"")(?:[ \t]*\.[ \t]*(?:[A-Za-z0-9_-]+|""))*))[ \t]*='
)


def _parts(name: str) -> int:
    """How many parts a dotted name has (its quoted parts are ``""`` by now)."""
    return name.count(".") + 1


def shape_problem(text: str) -> Problem | None:
    """Why parsing *text* would cost too much, before it is parsed; None when it would not.

    First the whole text is weighed (:func:`parse_cost`, at most :data:`MAX_PARSE_COST`).
    Then table names and dotted keys (at the start of a line or inside an inline table) are
    counted line by line: a name nesting more than :data:`MAX_DEPTH` levels is refused, and
    so is a file whose dotted keys cost more than :data:`MAX_DOTTED_WORK` steps, a key of
    *r* parts counting *r* times (*r* plus the parts of the longest table name so far).
    """
    cost = parse_cost(text)
    if cost > MAX_PARSE_COST:
        return Problem(
            "",
            f"the file would take too long to read: it costs {cost:,} (the limit is "
            f"{MAX_PARSE_COST:,}; a character outside strings counts 2, one inside "
            "double-quoted strings 1, comments and single-quoted strings nothing)",
        )
    # Strings and comments become "" (keeping their line breaks): only names are left.
    skeleton = _SKIPPED.sub(lambda m: '""' + "\n" * m[0].count("\n"), text)
    table = widest = work = 0
    for number, line in enumerate(skeleton.split("\n"), start=1):
        if "." not in line and "[" not in line:
            continue
        match = _TABLE_NAME.match(line)
        if match:
            table = _parts(match[1])
            widest = max(widest, table)
            if table > MAX_DEPTH:
                return _too_deep(number)
            continue
        first = _LINE_KEY.match(line)
        keys = [] if first is None else [(first, table, widest)]
        if "{" in line:  # an inline table's keys are parsed on their own
            keys += [(m, 0, 0) for m in _INLINE_KEY.finditer(line)]
        for key, under, counted in keys:
            parts = _parts(key[1])
            if under + parts - 1 > MAX_DEPTH:
                return _too_deep(number)
            if parts > 1:
                work += parts * (parts + counted)
        if work > MAX_DOTTED_WORK:
            return Problem(
                "",
                f"the dotted keys up to here would cost the parser more than "
                f"{MAX_DOTTED_WORK:,} steps (the limit): write shorter names",
                number,
            )
    return None


def _too_deep(line: int) -> Problem:
    return Problem(
        "",
        f"a dotted key or table name nests more than {MAX_DEPTH} levels deep (the limit)",
        line,
    )


def parse(text: str) -> dict[str, Any]:
    """Text to a TOML document; syntax errors become a TextError with line and column."""
    text = text.removeprefix(_BOM)
    problem = shape_problem(text)
    if problem is not None:
        raise TextError(problem, limit=True)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message = str(e)
        match = _POSITION.match(message)
        if match:
            raise TextError(
                Problem(
                    "",
                    f"invalid TOML: {match['msg']}",
                    int(match["line"]),
                    int(match["col"]),
                )
            ) from None
        match = _POSITION_EOF.match(message)
        line = text.count("\n") + 1
        raise TextError(
            Problem("", f"invalid TOML: {match['msg'] if match else message}", line)
        ) from None
    except RecursionError:
        raise TextError(depth_problem(""), limit=True) from None
    except ValueError:  # an integer with more digits than Python converts (4,300)
        raise TextError(
            Problem("", "invalid TOML: an integer is too long (TOML integers are 64-bit)")
        ) from None


_KINDS: Final = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def not_a_file(path: str | os.PathLike[str], mode: int) -> OSError | None:
    """The error for reading or replacing *path*, whose ``st_mode`` is *mode*, if not a file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, "is a directory, not a file", os.fspath(path))
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return OSError(errno.EINVAL, f"is {kind}, not a regular file", os.fspath(path))


def read_limited(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the regular file at *path*, never more than one byte past the size limit.

    Opening does not wait for a writer (``O_NONBLOCK``), so a named pipe, a device, a socket
    or a folder raises OSError at once (IsADirectoryError for a folder), naming *path*.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:  # Windows; elsewhere a folder opens and fstat tells
        raise IsADirectoryError(
            errno.EISDIR, "is a directory, not a file", os.fspath(path)
        ) from None
    try:
        error = not_a_file(path, os.fstat(fd).st_mode)
    except BaseException:
        os.close(fd)
        raise
    if error is not None:
        os.close(fd)
        raise error
    with open(fd, "rb") as fp:  # noqa: PTH123 - a descriptor, not a path
        return fp.read(MAX_FILE_BYTES + 1)


def sniff(data: bytes) -> dict[str, Any] | None:
    """The TOML document in *data*, or None when it is too large, not UTF-8 or not TOML.

    For telling kinds of files apart (a checklist, a response, something else) with the same
    guards as loading, never for loading: loaders report what is wrong, this only says no.
    """
    if len(data) > MAX_FILE_BYTES:
        return None
    try:
        return parse(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, TextError):
        return None
