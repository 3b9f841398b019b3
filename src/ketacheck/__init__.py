"""ketacheck: vet ketamine-treatment providers with an evidence-backed checklist.

Load a checklist, fill it for a provider, score and compare providers, print checklists and
reports, and exchange them as FHIR or TOML::

    import ketacheck

    checklist = ketacheck.bundled()
    print(len(checklist.items))
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

from ketacheck import catalog, io
from ketacheck.conditions import UNKNOWN
from ketacheck.exceptions import (
    AnswerError,
    ChecklistError,
    KetacheckError,
    LimitError,
    Problem,
    ResponseError,
    UnknownChecklistError,
    UnknownProfileError,
)
from ketacheck.model import (
    Band,
    Checklist,
    Item,
    ItemKind,
    NumberBand,
    Option,
    Phase,
    Profile,
    Scoring,
    Section,
    Source,
)
from ketacheck.routes import Route

try:
    __version__ = version("ketacheck")
except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "UNKNOWN",
    "AnswerError",
    "Band",
    "Checklist",
    "ChecklistError",
    "Item",
    "ItemKind",
    "KetacheckError",
    "LimitError",
    "NumberBand",
    "Option",
    "Phase",
    "Problem",
    "Profile",
    "ResponseError",
    "Route",
    "Scoring",
    "Section",
    "Source",
    "UnknownChecklistError",
    "UnknownProfileError",
    "__version__",
    "bundled",
    "load_checklist",
]


def bundled(name: str = catalog.DEFAULT) -> Checklist:
    """The bundled checklist *name*; by default the Ketamine Consumer Checklist."""
    return catalog.load(name)


def load_checklist(path: str | os.PathLike[str], /, *, strict: bool = False) -> Checklist:
    """Load and validate the checklist file at *path*; errors name the file, path and line."""
    return io.read(path, strict=strict)
