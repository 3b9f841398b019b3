"""Checklist -> FHIR R4 Questionnaire (a plain dict for :mod:`json`).

Everything a checklist holds is written: what FHIR has an element or a published extension
for goes there (so third-party form tools show and score it), the rest goes into
ketacheck's own extensions, so that :func:`ketacheck.fhir.from_questionnaire` gives back an
equal checklist. The mapping table is in ``docs/interop.md``.
"""

from __future__ import annotations

import json
from typing import Any, Final

from ketacheck.fhir._common import (
    DATA_ABSENT_SYSTEM,
    ENABLE_WHEN_EXPRESSION,
    ENTRY_FORMAT,
    GUIDANCE_SUFFIX,
    ITEM_CONTROL,
    ITEM_CONTROL_SYSTEM,
    ITEM_WEIGHT,
    MAX_VALUE,
    MIN_VALUE,
    OPTION_EXCLUSIVE,
    ORDINAL_VALUE,
    QUESTIONNAIRE_BASE,
    SECTION_SUFFIX,
    SUMMARY_SUFFIX,
    UCUM,
    UNIT,
    UNKNOWN_CODE,
    YES_NO_SYSTEM,
    K,
    complex_ext,
    drop_empty,
    ext,
    option_system,
)
from ketacheck.fhir._when import Target, encode, fhirpath
from ketacheck.files._convert import unstructure_condition
from ketacheck.model import Checklist, Item, ItemKind, Section
from ketacheck.validate import _url_problem

UNKNOWN_DISPLAY: Final = "Unknown (asked; the provider could not or would not say)"
"""The label of the answer option that stands for ketacheck's reserved answer ``unknown``."""
YES_NO_DISPLAY: Final = {"yes": "Yes", "no": "No"}

_UCUM_CODES: Final = {
    "second": "s",
    "seconds": "s",
    "minute": "min",
    "minutes": "min",
    "hour": "h",
    "hours": "h",
    "day": "d",
    "days": "d",
    "week": "wk",
    "weeks": "wk",
    "month": "mo",
    "months": "mo",
    "year": "a",
    "years": "a",
    "mg": "mg",
    "milligrams": "mg",
    "mg/kg": "mg/kg",
    "ml": "mL",
    "mmhg": "mm[Hg]",
}
"""Units that have a UCUM code; others are written as display text only."""


def _name(checklist_id: str) -> str | None:
    """A computable name (que-0: ``[A-Z][A-Za-z0-9_]*``) made from the id, if there is one."""
    name = "".join(part.capitalize() for part in checklist_id.split("-"))
    return name if name[:1].isalpha() else None


def unit_coding(unit: str) -> dict[str, str]:
    """The questionnaire-unit Coding of a unit: UCUM where ketacheck knows the code."""
    code = _UCUM_CODES.get(unit.strip().lower())
    if code is None:
        return {"display": unit}
    return {"system": UCUM, "code": code, "display": unit}


def item_system(checklist: Checklist, item: Item) -> str:
    """The code system of an item's answer options."""
    if item.kind is ItemKind.YES_NO:
        return YES_NO_SYSTEM
    return option_system(checklist.id, item.id)


def option_coding(checklist: Checklist, item: Item, option_id: str) -> dict[str, Any]:
    """The Coding of one answer option of a yes-no, choice or multi item."""
    if item.kind is ItemKind.YES_NO:
        display = YES_NO_DISPLAY[option_id]
    else:
        option = item.option(option_id)
        display = option.label if option is not None else option_id
    return {"system": item_system(checklist, item), "code": option_id, "display": display}


def group_link_id(checklist: Checklist, section: Section) -> str:
    """The linkId of a section's group: its id, unless an item has that id too."""
    clash = checklist.has_item(section.id)
    return section.id + (SECTION_SUFFIX if clash else "")


def _checklist_extensions(checklist: Checklist) -> list[dict[str, Any]]:
    out = [ext(K.AUTHOR, "String", a) for a in checklist.authors]
    if checklist.scoring is not None:
        scoring = checklist.scoring
        bands = [
            complex_ext("band", [ext("min", "Decimal", b.min), ext("label", "String", b.label)])
            for b in scoring.bands
        ]
        policies = [
            ext("unknown", "Code", scoring.unknown.value),
            ext("unanswered", "Code", scoring.unanswered.value),
            ext("min-completeness", "Decimal", scoring.min_completeness),
        ]
        if scoring.red_flag_band is not None:
            policies.append(ext("red-flag-band", "String", scoring.red_flag_band))
        out.append(complex_ext(K.SCORING, [*policies, *bands]))
    for s in checklist.sources:
        parts = [ext("id", "String", s.id), ext("title", "String", s.title)]
        # Files hold http(s) links only; a checklist built in Python may hold another scheme
        # (javascript:, data:), which is never written where a FHIR viewer would link it.
        if s.url is not None and not any(_url_problem("", s.url)):
            parts.append(ext("url", "Uri", s.url))
        out.append(complex_ext(K.SOURCE, parts))
    for p in checklist.profiles:
        parts = [ext("id", "String", p.id)]
        if p.title is not None:
            parts.append(ext("title", "String", p.title))
        if p.summary is not None:
            parts.append(ext("summary", "String", p.summary))
        parts.extend(
            complex_ext("weight", [ext("target", "String", k), ext("multiplier", "Decimal", v)])
            for k, v in p.weights.items()
        )
        out.append(complex_ext(K.PROFILE, parts))
    for old, new in (checklist.renamed or {}).items():
        out.append(complex_ext(K.RENAMED, [ext("from", "String", old), ext("to", "String", new)]))
    return out


class _Writer:
    """Writes one checklist; knows its items so conditions can name their options."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        self.targets = {
            i.id: Target(i.id, i.kind, {o: o for o in i.option_ids}) for i in checklist.items
        }

    def coding(self, item_id: str, option_id: str) -> dict[str, Any]:
        """The Coding of one option of one item."""
        item = self.checklist.item(item_id)
        if item.kind is ItemKind.YES_NO:
            return {
                "system": YES_NO_SYSTEM,
                "code": option_id,
                "display": YES_NO_DISPLAY[option_id],
            }
        option = item.option(option_id)
        label = option.label if option is not None else option_id
        return {
            "system": option_system(self.checklist.id, item_id),
            "code": option_id,
            "display": label,
        }

    def system(self, item_id: str) -> str:
        """The code system of the options of the item *item_id*."""
        return item_system(self.checklist, self.checklist.item(item_id))

    def questionnaire(self) -> dict[str, Any]:
        c = self.checklist
        return drop_empty(
            {
                "resourceType": "Questionnaire",
                "id": c.id if len(c.id) <= 64 else None,
                "language": c.language,
                "extension": _checklist_extensions(c),
                "url": QUESTIONNAIRE_BASE + c.id,
                "version": c.version,
                "name": _name(c.id),
                "title": c.title,
                "status": c.status.value if c.status is not None else "unknown",
                "subjectType": ["Organization"],
                "date": c.updated.isoformat() if c.updated is not None else None,
                "description": c.summary,
                "copyright": c.license,
                "item": [self.group(s) for s in c.sections],
            }
        )

    def group(self, section: Section) -> dict[str, Any]:
        link_id = group_link_id(self.checklist, section)
        children = []
        if section.summary is not None:
            children.append(
                {"linkId": section.id + SUMMARY_SUFFIX, "type": "display", "text": section.summary}
            )
        children.extend(self.question(i) for i in section.items)
        phase = [ext(K.PHASE, "Code", section.phase.value)] if section.phase is not None else []
        return drop_empty(
            {
                "linkId": link_id,
                "extension": phase,
                "type": "group",
                "text": section.title,
                "item": children,
            }
        )

    def question(self, item: Item) -> dict[str, Any]:
        kind = item.kind
        extensions = self.item_extensions(item)
        enable_when: list[dict[str, Any]] = []
        behavior: str | None = None
        if item.when is not None:
            encoded = encode(item.when, self.targets, self.coding)
            if encoded is not None:
                enable_when, behavior = encoded
            else:
                text = fhirpath(item.when, self.system)
                expression = {"language": "text/fhirpath", "expression": text}
                extensions.append(ext(ENABLE_WHEN_EXPRESSION, "Expression", expression))
                text = json.dumps(unstructure_condition(item.when), ensure_ascii=False)
                extensions.append(ext(K.WHEN, "String", text))
        help_items = []
        if item.guidance is not None:
            control = {
                "coding": [
                    {"system": ITEM_CONTROL_SYSTEM, "code": "help", "display": "Help-Button"}
                ]
            }
            help_items.append(
                {
                    "linkId": item.id + GUIDANCE_SUFFIX,
                    "extension": [ext(ITEM_CONTROL, "CodeableConcept", control)],
                    "type": "display",
                    "text": item.guidance,
                }
            )
        fhir_type = {ItemKind.NUMBER: "decimal", ItemKind.TEXT: "text"}.get(kind, "choice")
        return drop_empty(
            {
                "linkId": item.id,
                "extension": extensions,
                "text": item.prompt,
                "type": fhir_type,
                "enableWhen": enable_when,
                "enableBehavior": behavior,
                "repeats": True if kind is ItemKind.MULTI else None,
                "answerOption": self.options(item),
                "item": help_items,
            }
        )

    def item_extensions(self, item: Item) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if item.why is not None:
            out.append(ext(K.WHY, "String", item.why))
        if item.weight is not None:
            out.append(ext(K.WEIGHT, "Decimal", item.weight))
        if item.good is not None:
            out.append(ext(K.GOOD, "Code", item.good))
        if item.red_flag_if_unknown is not None:
            out.append(ext(K.RED_FLAG_IF_UNKNOWN, "Boolean", item.red_flag_if_unknown))
        if item.caution_if_unknown is not None:
            out.append(ext(K.CAUTION_IF_UNKNOWN, "Boolean", item.caution_if_unknown))
        if item.integer is not None:
            out.append(ext(K.INTEGER, "Boolean", item.integer))
        if item.max_points is not None:
            out.append(ext(K.MAX_POINTS, "Decimal", item.max_points))
        if item.unit is not None:
            out.append(ext(UNIT, "Coding", unit_coding(item.unit)))
        if item.min is not None:
            out.append(ext(MIN_VALUE, "Decimal", item.min))
        if item.max is not None:
            out.append(ext(MAX_VALUE, "Decimal", item.max))
        for band in item.points or ():
            parts = [
                ext("at-least", "Decimal", band.at_least),
                ext("points", "Decimal", band.points),
            ]
            if band.red_flag is not None:
                parts.append(ext("red-flag", "String", band.red_flag))
            if band.caution is not None:
                parts.append(ext("caution", "String", band.caution))
            out.append(complex_ext(K.BAND, parts))
        if item.placeholder is not None:
            out.append(ext(ENTRY_FORMAT, "String", item.placeholder))
        out.extend(ext(K.TAG, "Code", t) for t in item.tags)
        out.extend(ext(K.SOURCE_REF, "String", s) for s in item.sources)
        return out

    def options(self, item: Item) -> list[dict[str, Any]]:
        kind = item.kind
        if kind not in (ItemKind.YES_NO, ItemKind.CHOICE, ItemKind.MULTI):
            return []
        out = []
        for option_id in item.option_ids:
            if kind is ItemKind.YES_NO:
                good = option_id == item.good_answer
                points: float = 1 if good else 0
                red_flag = None if good else item.red_flag
                caution = None if good else item.caution
            else:
                option = item.option(option_id)
                assert option is not None  # noqa: S101 - option_ids come from the options
                points, red_flag, caution = option.points, option.red_flag, option.caution
            extensions = [
                ext(ORDINAL_VALUE, "Decimal", points),
                ext(ITEM_WEIGHT, "Decimal", points),
            ]
            if red_flag is not None:
                extensions.append(ext(K.RED_FLAG, "String", red_flag))
            if caution is not None:
                extensions.append(ext(K.CAUTION, "String", caution))
            out.append({"extension": extensions, "valueCoding": self.coding(item.id, option_id)})
        unknown = {"system": DATA_ABSENT_SYSTEM, "code": UNKNOWN_CODE, "display": UNKNOWN_DISPLAY}
        exclusive = [ext(OPTION_EXCLUSIVE, "Boolean", True)] if kind is ItemKind.MULTI else []  # noqa: FBT003 - a FHIR value
        out.append(drop_empty({"extension": exclusive, "valueCoding": unknown}))
        return out


def to_questionnaire(checklist: Checklist) -> dict[str, Any]:
    """The checklist as a FHIR R4 Questionnaire (a dict ready for :func:`json.dumps`)."""
    return _Writer(checklist).questionnaire()
