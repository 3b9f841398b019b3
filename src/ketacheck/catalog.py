"""The checklists bundled with ketacheck, read through :mod:`importlib.resources`.

In a wheel they live in the package (``ketacheck/checklists``); in an editable install or a
source checkout, in the top-level ``checklists/`` folder beside ``src/``. Either way
:func:`names`, :func:`load` and :func:`resolve` behave the same.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

import attrs

from ketacheck.exceptions import UnknownChecklistError
from ketacheck.files import checklist as checklist_io
from ketacheck.model import Checklist

__all__ = ["DEFAULT", "Entry", "entries", "load", "names", "resolve"]

DEFAULT: Final = "ketamine-consumer"
"""The id of the checklist every command uses by default."""


@functools.cache
def _root() -> Traversable:
    packaged = resources.files("ketacheck") / "checklists"
    if packaged.is_dir():
        return packaged
    # Editable install or source checkout: src/ketacheck/catalog.py -> ../../checklists
    return Path(__file__).resolve().parents[2] / "checklists"


def names() -> tuple[str, ...]:
    """The ids of the bundled checklists, sorted."""
    root = _root()
    if not root.is_dir():  # pragma: no cover - a broken install
        return ()
    return tuple(
        sorted(p.name.removesuffix(".toml") for p in root.iterdir() if p.name.endswith(".toml"))
    )


@functools.cache
def load(name: str = DEFAULT) -> Checklist:
    """Load the bundled checklist *name* (cached: checklists are immutable)."""
    if name not in names():
        available = ", ".join(names()) or "none"
        raise UnknownChecklistError(f'no bundled checklist "{name}" (bundled: {available})')
    resource = _root() / f"{name}.toml"
    with resource.open("rb") as fp:
        return checklist_io.load(fp, source=f"bundled:{name}")


@attrs.frozen
class Entry:
    """A line of the catalogue: a bundled checklist's id, title, version and item count."""

    id: str
    title: str
    version: str
    items: int


def entries() -> tuple[Entry, ...]:
    """Every bundled checklist as an :class:`Entry`."""
    out = []
    for name in names():
        checklist = load(name)
        out.append(Entry(checklist.id, checklist.title, checklist.version, len(checklist.items)))
    return tuple(out)


def resolve(spec: str | os.PathLike[str] | None = None) -> Checklist:
    """A checklist from a bundled id or a file path; None means the default checklist.

    A spec that names an existing file, or ends in ``.toml``, is read as a path; anything
    else is looked up among the bundled checklists.
    """
    if spec is None:
        return load(DEFAULT)
    path = Path(spec)
    if isinstance(spec, os.PathLike) or path.suffix == ".toml" or path.exists():
        return checklist_io.read(path)
    return load(str(spec))
