"""TOML text: reading bytes safely, locating TOML paths on lines, writing readable documents.

Reading enforces the size limit, accepts and drops a UTF-8 byte-order mark, reports bytes
that are not UTF-8 and syntax errors with line and column. Writing keeps the layout people
expect: arrays of tables as ``[[...]]`` blocks, small tables inline.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import tomli_w

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


MAX_PARTS: Final = 2 * MAX_DEPTH
"""Parts of a dotted name refused before parsing; up to this, the depth limit decides."""
_BARE: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _closing(text: str, start: int, quote: str, stop: int) -> int:
    """The index just past the string that *quote* ends, searching *start* to *stop*."""
    escapes = quote[0] == '"'
    end = start
    while True:
        end = text.find(quote, end, stop)
        if end < 0:
            return stop
        backslashes = 0
        while escapes and text[end - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return end + len(quote)
        end += 1


def long_dotted_name(text: str) -> int | None:
    """The line of the first dotted key or table name of more than :data:`MAX_PARTS` parts.

    tomllib takes quadratic time over such names (a 64 kB one takes seconds), and no file
    with one is accepted anyway (it nests too deeply), so :func:`parse` looks first. A linear
    scan that skips strings and comments; only needed for text with a line of that many dots.
    """
    line, run, after_dot, i, n = 1, 0, False, 0, len(text)
    while i < n:
        ch = text[i]
        segment = False
        if ch in _BARE:
            while i < n and text[i] in _BARE:
                i += 1
            segment = True
        elif ch in "\"'":
            triple = text.startswith(ch * 3, i)
            quote = ch * 3 if triple else ch
            eol = text.find("\n", i)
            stop = n if triple or eol < 0 else eol  # a one-line string ends with its line
            end = _closing(text, i + len(quote), quote, stop)
            line += text.count("\n", i, end)
            i, segment = end, not triple
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            run, after_dot = 0, False
            continue
        else:
            if ch == "\n":
                line += 1
            if ch == "." and run and not after_dot:
                after_dot = True
            elif ch not in " \t":
                run, after_dot = 0, False
            i += 1
            continue
        run = run + 1 if after_dot else 1
        after_dot = False
        if segment and run > MAX_PARTS:
            return line
    return None


def parse(text: str) -> dict[str, Any]:
    """Text to a TOML document; syntax errors become a TextError with line and column."""
    text = text.removeprefix(_BOM)
    if any(line.count(".") >= MAX_PARTS for line in text.splitlines()):
        line = long_dotted_name(text)
        if line is not None:
            raise TextError(
                Problem(
                    "",
                    f"a dotted key or table name has more than {MAX_PARTS} parts; tables and "
                    f"arrays nest at most {MAX_DEPTH} levels deep (the limit)",
                    line,
                ),
                limit=True,
            )
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


def read_limited(path: str | os.PathLike[str]) -> bytes:
    """The bytes of the file at *path*, but never more than one byte past the size limit."""
    with Path(path).open("rb") as fp:
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


# -- locating TOML paths on lines ---------------------------------------------------------
#
# Every step here is linear in the line it reads (no regular expression can backtrack
# quadratically, dotted names are split by a scan) and paths are tuples that share the key
# strings of the text: a hostile file cannot make locating its problems slow or huge.

_HEADER = re.compile(r"^\s*(\[\[?)([^\]]*)\]\]?\s*(#.*)?$")
_KEY = re.compile(r'^\s*((?:[A-Za-z0-9_-]+|"[^"]*")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"))*)\s*=')
_SEGMENT = re.compile(r'\.?("(?:[^"\\]|\\.)*"|[^.\[\]"]+)|\[(\d+)\]')

_Path = tuple[str | int, ...]


def _split_dotted(key: str) -> list[str]:
    """``a."b.c".d`` -> ``["a", "b.c", "d"]``: split at dots outside quotes, in one pass."""
    parts, start, quote = [], 0, None
    for i, ch in enumerate(key):
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(key[start:i])
            start = i + 1
    parts.append(key[start:])
    return [part.strip().strip("\"'") for part in parts]


def _path_str(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


class LineIndex(Mapping[str, int]):
    """TOML paths to the 1-based line defining them (see :func:`line_index`)."""

    def __init__(self, lines: dict[_Path, int]) -> None:
        self._lines = lines

    def line(self, parts: _Path) -> int | None:
        """The line of the path given as parts, or None."""
        return self._lines.get(parts)

    def __getitem__(self, path: str) -> int:
        line = self._lines.get(tuple(_parts(path)))
        if line is None:
            raise KeyError(path)
        return line

    def __iter__(self) -> Iterator[str]:
        return (_path_str(parts) for parts in self._lines)

    def __len__(self) -> int:
        return len(self._lines)


def line_index(text: str) -> LineIndex:  # noqa: C901 - one pass over the lines
    """Map TOML paths (``sections[0].items[2].weight``) to the 1-based line defining them.

    A light scan, not a parser: it follows table headers, arrays of tables, ``key =`` lines
    and inline tables that start their own line inside a multi-line array. Paths it cannot
    see resolve to their nearest recorded ancestor through :func:`find_line`. Names dotted
    more than :data:`MAX_DEPTH` times are not followed (no file that deep is accepted).
    """
    index: dict[_Path, int] = {}
    counters: dict[_Path, int] = {}
    table: _Path = ()
    in_string: str | None = None
    array_key: _Path | None = None
    array_depth = 0
    array_count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        if array_key is not None:
            stripped = line.lstrip()
            if stripped.startswith("{") and array_depth == 1:
                index.setdefault((*array_key, array_count), number)
                array_count += 1
            array_depth += _bracket_balance(line)
            if array_depth <= 0:
                array_key = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = _split_dotted(header[2].strip())
            if len(names) > MAX_DEPTH:
                continue
            base = (*_resolve(names[:-1], counters), names[-1])
            if header[1] == "[[":
                k = counters.get(base, -1) + 1
                counters[base] = k
                table = (*base, k)
            else:
                table = base
            index.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            names = _split_dotted(key[1])
            if len(names) > MAX_DEPTH:
                continue
            path = (*table, *names)
            index.setdefault(path, number)
            rest = line[key.end() :]
            for quote in ('"""', "'''"):
                if rest.count(quote) % 2 == 1:
                    in_string = quote
            balance = _bracket_balance(rest)
            if balance > 0 and rest.lstrip().startswith("["):
                array_key, array_depth, array_count = path, balance, 0
                if rest.lstrip()[1:].lstrip().startswith("{"):
                    index.setdefault((*path, 0), number)
                    array_count = 1
    return LineIndex(index)


def _parts(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for m in _SEGMENT.finditer(path):
        if m[2] is not None:
            parts.append(int(m[2]))
        elif m[1]:
            parts.append(m[1].strip('"'))
    return parts


def _resolve(names: list[str], counters: Mapping[_Path, int]) -> _Path:
    """Resolve a header's parent names through arrays of tables seen so far."""
    out: _Path = ()
    for name in names:
        out = (*out, name)
        current = counters.get(out)
        if current is not None:
            out = (*out, current)
    return out


def _bracket_balance(line: str) -> int:
    balance = 0
    in_str: str | None = None
    for ch in line:
        if in_str:
            if ch == in_str:
                in_str = None
        elif ch in "\"'":
            in_str = ch
        elif ch == "#":
            break
        elif ch == "[":
            balance += 1
        elif ch == "]":
            balance -= 1
    return balance


def find_line(index: LineIndex, path: str) -> int | None:
    """The line of *path*, or of its nearest ancestor the index knows."""
    parts = tuple(_parts(path))
    while parts:
        line = index.line(parts)
        if line is not None:
            return line
        parts = parts[:-1]
    return None


def locate(problems: Iterable[Problem], text: str | None) -> tuple[Problem, ...]:
    """Fill in the line of each problem that has none, using *text* when given."""
    problems = tuple(problems)
    if text is None:
        return problems
    index = line_index(text)
    located = [
        p
        if p.line is not None or not p.path
        else Problem(p.path, p.message, find_line(index, p.path))
        for p in problems
    ]
    # Document order: by line where known (stable), the rest after.
    return tuple(sorted(located, key=lambda p: (p.line is None, p.line or 0)))


# -- writing ------------------------------------------------------------------------------


def _literal(value: Any) -> str:
    """One TOML value as text; tables become inline tables."""
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_literal(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    rendered = tomli_w.dumps({"v": value}, multiline_strings=False)
    return rendered[len("v = ") :].rstrip("\n")


def _key(key: str) -> str:
    rendered = tomli_w.dumps({key: 0})
    return rendered[: rendered.rindex(" = ")]


def _table_body(table: Mapping[str, Any], arrays: Iterable[str] = ()) -> list[str]:
    lines = []
    for k, v in table.items():
        if k in arrays:
            continue
        if isinstance(v, list) and v and all(isinstance(x, Mapping) for x in v):
            lines.append(f"{_key(k)} = [")
            lines.extend(f"  {_literal(x)}," for x in v)
            lines.append("]")
        else:
            lines.append(f"{_key(k)} = {_literal(v)}")
    return lines


def write_document(doc: Mapping[str, Any], layout: Mapping[str, Any]) -> str:
    """Write *doc* with the arrays named in *layout* as ``[[...]]`` blocks.

    *layout* maps a top-level key to a nested layout for its elements (``{}`` when the
    elements have no arrays of their own to break out), e.g. ``{"sections": {"items": {}}}``.
    Other tables are written as ``[table]`` sections; everything below is inline.
    """
    out: list[str] = []
    out.extend(_table_body({k: v for k, v in doc.items() if not isinstance(v, Mapping)}, layout))
    for k, v in doc.items():
        if isinstance(v, Mapping):
            out.extend(["", f"[{_key(k)}]", *_table_body(v)])
    for k, sub in layout.items():
        for element in doc.get(k, ()):
            _write_aot(out, _key(k), element, sub)
    return "\n".join(out).lstrip("\n") + "\n"


def _write_aot(
    out: list[str], name: str, element: Mapping[str, Any], layout: Mapping[str, Any]
) -> None:
    out.extend(["", f"[[{name}]]", *_table_body(element, layout)])
    for k, sub in layout.items():
        for child in element.get(k, ()):
            _write_aot(out, f"{name}.{_key(k)}", child, sub)
