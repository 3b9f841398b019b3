"""Constants of the file formats, shared by every layer: the lowest layer of ketacheck.

The schema version, the reserved answer ``unknown`` and the enumerations that checklist and
response files use. Nothing here imports from the rest of the package.
"""

from __future__ import annotations

import enum
from typing import Final

__all__ = ["SCHEMA", "UNKNOWN", "ItemKind", "Phase", "Status", "UnknownPolicy"]

UNKNOWN: Final = "unknown"
"""The reserved answer: asked, but the provider could not or would not say."""

SCHEMA: Final = 1
"""The one file-format version this release reads and writes."""


class Phase(enum.StrEnum):
    """When in treatment a section's questions apply."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"
    GENERAL = "general"


class ItemKind(enum.StrEnum):
    """The kind of answer an item takes."""

    YES_NO = "yes-no"
    CHOICE = "choice"
    MULTI = "multi"
    NUMBER = "number"
    TEXT = "text"


class Status(enum.StrEnum):
    """Life-cycle status of a checklist."""

    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class UnknownPolicy(enum.StrEnum):
    """How an ``unknown`` answer (or, for ``unanswered``, a missing one) scores.

    ``zero``: 0 of its maximum; ``skip``: not at all.
    """

    ZERO = "zero"
    SKIP = "skip"
