"""What export and import share: extension URLs, code systems, the error, ids and paths."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any, Final

BASE: Final = "https://ketacheck.org/fhir"
"""The root of every ketacheck URL in FHIR resources."""
SD: Final = f"{BASE}/StructureDefinition/"
"""Prefix of ketacheck's own extensions."""
QUESTIONNAIRE_BASE: Final = f"{BASE}/Questionnaire/"
"""A checklist's canonical URL is this prefix followed by its id."""
YES_NO_SYSTEM: Final = f"{BASE}/CodeSystem/yes-no"
"""The code system of the answers of yes-no items (codes ``yes`` and ``no``)."""
OPTION_SYSTEM_BASE: Final = f"{BASE}/CodeSystem/"
"""Options of choice and multi items use ``<this><checklist id>/<item id>`` as system."""

HL7: Final = "http://hl7.org/fhir/StructureDefinition/"
SDC: Final = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
ORDINAL_VALUE: Final = HL7 + "ordinalValue"
ITEM_WEIGHT: Final = HL7 + "itemWeight"
SCORE_EXTENSIONS: Final = (
    ORDINAL_VALUE,
    ITEM_WEIGHT,
    HL7 + "iso21090-CO-value",
    HL7 + "valueset-ordinalValue",
)
"""Extensions that carry an answer's score, in order of preference."""
UNIT: Final = HL7 + "questionnaire-unit"
MIN_VALUE: Final = HL7 + "minValue"
MAX_VALUE: Final = HL7 + "maxValue"
ENTRY_FORMAT: Final = HL7 + "entryFormat"
ITEM_CONTROL: Final = HL7 + "questionnaire-itemControl"
ITEM_CONTROL_SYSTEM: Final = "http://hl7.org/fhir/questionnaire-item-control"
OPTION_EXCLUSIVE: Final = HL7 + "questionnaire-optionExclusive"
HIDDEN: Final = HL7 + "questionnaire-hidden"
DATA_ABSENT_REASON: Final = HL7 + "data-absent-reason"
DATA_ABSENT_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
UNKNOWN_CODE: Final = "asked-unknown"
"""How ketacheck's reserved answer ``unknown`` is written: asked, but the answer is unknown."""
ENABLE_WHEN_EXPRESSION: Final = SDC + "sdc-questionnaire-enableWhenExpression"
UCUM: Final = "http://unitsofmeasure.org"


class K:
    """ketacheck's own extension URLs (``https://ketacheck.org/fhir/StructureDefinition/…``)."""

    WHY: Final = SD + "why"
    WEIGHT: Final = SD + "weight"
    GOOD: Final = SD + "good"
    RED_FLAG: Final = SD + "red-flag"
    RED_FLAG_IF_UNKNOWN: Final = SD + "red-flag-if-unknown"
    CAUTION: Final = SD + "caution"
    CAUTION_IF_UNKNOWN: Final = SD + "caution-if-unknown"
    INTEGER: Final = SD + "integer"
    MAX_POINTS: Final = SD + "max-points"
    BAND: Final = SD + "points-band"
    TAG: Final = SD + "tag"
    SOURCE_REF: Final = SD + "source-ref"
    WHEN: Final = SD + "when"
    PHASE: Final = SD + "phase"
    AUTHOR: Final = SD + "author"
    SCORING: Final = SD + "scoring"
    SOURCE: Final = SD + "source"
    PROFILE: Final = SD + "profile"
    RENAMED: Final = SD + "renamed"


SUMMARY_SUFFIX: Final = ".summary"
"""A section's summary is a display item with linkId ``<section id>.summary``."""
GUIDANCE_SUFFIX: Final = ".guidance"
"""An item's guidance is a child display item (itemControl ``help``), ``<item id>.guidance``."""
SECTION_SUFFIX: Final = ".section"
"""A group's linkId is its section's id, plus this when an item has the same id."""


# -- extensions ---------------------------------------------------------------------------


def ext(url: str, kind: str, value: object) -> dict[str, Any]:
    """An extension ``{"url": url, "value<kind>": value}``."""
    return {"url": url, f"value{kind}": value}


def complex_ext(url: str, parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """An extension made of sub-extensions."""
    return {"url": url, "extension": list(parts)}


def drop_empty(element: dict[str, Any]) -> dict[str, Any]:
    """*element* without the keys whose value is None or an empty list (FHIR forbids both)."""
    return {k: v for k, v in element.items() if v is not None and v != []}


# -- ids ----------------------------------------------------------------------------------


def slug(text: str, fallback: str) -> str:
    """A kebab-case id made from *text* (accents dropped); *fallback* when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return value or fallback


class Ids:
    """Hands out unique kebab-case ids in one namespace, remembering the reserved ones."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.taken = set(reserved)

    def claim(self, text: str, fallback: str) -> str:
        """A fresh id made from *text*: its slug, or the slug with ``-2``, ``-3``… appended."""
        base = slug(text, fallback)
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.taken.add(candidate)
        return candidate


def option_system(checklist_id: str, item_id: str) -> str:
    """The code system of one item's options."""
    return f"{OPTION_SYSTEM_BASE}{checklist_id}/{item_id}"
