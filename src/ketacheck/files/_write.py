"""Writing readable TOML: arrays of tables as ``[[...]]`` blocks, small tables inline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import tomli_w


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
