"""Locating TOML paths on lines, for messages that name the line of a problem.

Every step here is linear in the line it reads (no regular expression can backtrack
quadratically, dotted names are split by a scan) and paths are tuples that share the key
strings of the text: a hostile file cannot make locating its problems slow or huge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from ketacheck.exceptions import Problem
from ketacheck.files._toml import MAX_DEPTH

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
