"""Response -> FHIR R4 QuestionnaireResponse (a plain dict for :mod:`json`).

The response answers the Questionnaire that :func:`ketacheck.fhir.to_questionnaire` makes
of its checklist (``questionnaire`` is its canonical URL and version), item for item:

* only items that apply (their ``when`` holds, in checklist order) and have an answer are
  written, in groups as in the Questionnaire; FHIR leaves disabled items out;
* an answered item is always present, even when its answer has no FHIR value (an empty multi
  answer, empty or blank text); ``unknown`` is the ``asked-unknown`` Coding for coded items and an
  answer carrying only a ``data-absent-reason`` extension for numbers and text;
* the provider is a contained Organization and the ``subject``; the interviewer is the
  ``author``; notes on written items are ketacheck ``note`` extensions.

What is left out (answers and notes of items that do not apply or are not answered, orphan
answers) is listed by :func:`left_out`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from ketacheck.conditions import UNKNOWN, Answer
from ketacheck.exceptions import shorten
from ketacheck.fhir._common import (
    BASE,
    DATA_ABSENT_REASON,
    DATA_ABSENT_SYSTEM,
    QUESTIONNAIRE_BASE,
    SD,
    UNKNOWN_CODE,
    drop_empty,
    ext,
)
from ketacheck.fhir._export import UNKNOWN_DISPLAY, group_link_id, option_coding
from ketacheck.files._convert import key_path
from ketacheck.model import Checklist, Item, ItemKind
from ketacheck.scoring import applicable as applicable_items

if TYPE_CHECKING:
    from ketacheck.response import Provider, Response

NOTE: Final = SD + "note"
"""Extension on a QuestionnaireResponse item: the note taken with the answer."""
INTERVIEWED: Final = SD + "interviewed"
"""Extension on the QuestionnaireResponse: the date the provider was interviewed."""
PROVIDER_KIND_SYSTEM: Final = f"{BASE}/CodeSystem/provider-kind"
"""The code system of ``Organization.type`` for the provider's kind."""


def applicable(
    checklist: Checklist, answers: Mapping[str, Answer]
) -> tuple[tuple[Item, ...], dict[str, Answer]]:
    """The items that apply (in checklist order, DESIGN §5) and their answers."""
    items = applicable_items(checklist, answers)
    return items, {i.id: answers[i.id] for i in items if i.id in answers}


def _text(value: object) -> str | None:
    """*value* if it is text with something other than whitespace in it, else None.

    FHIR strings should hold non-whitespace; blank text carries nothing and is left out.
    """
    return value if isinstance(value, str) and value.strip() else None


def _unknown(item: Item) -> dict[str, Any]:
    if item.kind in (ItemKind.YES_NO, ItemKind.CHOICE, ItemKind.MULTI):
        coding = {"system": DATA_ABSENT_SYSTEM, "code": UNKNOWN_CODE, "display": UNKNOWN_DISPLAY}
        return {"valueCoding": coding}
    return {"extension": [ext(DATA_ABSENT_REASON, "Code", UNKNOWN_CODE)]}


def answer_values(checklist: Checklist, item: Item, answer: Answer) -> list[dict[str, Any]]:
    """The ``answer`` list of a QuestionnaireResponse item for *answer* (may be empty)."""
    if answer == UNKNOWN:
        return [_unknown(item)]
    if isinstance(answer, tuple):
        return [{"valueCoding": option_coding(checklist, item, a)} for a in answer]
    if item.kind is ItemKind.NUMBER:
        return [{"valueDecimal": answer}]
    if item.kind is ItemKind.TEXT:
        return [{"valueString": answer}] if _text(answer) else []
    return [{"valueCoding": option_coding(checklist, item, str(answer))}]


def _when(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # FHIR needs a time zone with a time; keep the date only
        return value.date().isoformat()
    return value.isoformat().replace("+00:00", "Z")


def _organization(provider: Provider) -> dict[str, Any]:
    kind = provider.kind
    return drop_empty(
        {
            "resourceType": "Organization",
            "id": "provider",
            "type": [{"coding": [{"system": PROVIDER_KIND_SYSTEM, "code": kind.value}]}]
            if kind is not None
            else None,
            "name": provider.name,
            "telecom": [{"system": "url", "value": provider.website}] if provider.website else None,
            "address": [{"text": provider.location}] if _text(provider.location) else None,
        }
    )


def to_questionnaire_response(response: Response) -> dict[str, Any]:
    """The response as a FHIR R4 QuestionnaireResponse (a dict ready for :func:`json.dumps`).

    ``status`` is ``completed`` when every item that applies is answered, else
    ``in-progress``.
    """
    checklist = response.checklist
    applicable_items, answers = applicable(checklist, response.answers)
    groups = []
    for section in checklist.sections:
        items = []
        for item in section.items:
            if item.id not in answers:
                continue
            note = _text(response.notes.get(item.id))
            items.append(
                drop_empty(
                    {
                        "linkId": item.id,
                        "extension": [ext(NOTE, "String", note)] if note else None,
                        "text": item.prompt,
                        "answer": answer_values(checklist, item, answers[item.id]),
                    }
                )
            )
        if items:
            groups.append(
                {"linkId": group_link_id(checklist, section), "text": section.title, "item": items}
            )
    provider = response.provider
    named = _text(provider.name) is not None
    interviewed = provider.interviewed
    complete = all(i.id in answers for i in applicable_items)
    return drop_empty(
        {
            "resourceType": "QuestionnaireResponse",
            "contained": [_organization(provider)] if named else None,
            "extension": [ext(INTERVIEWED, "Date", interviewed.isoformat())]
            if interviewed is not None
            else None,
            "questionnaire": f"{QUESTIONNAIRE_BASE}{checklist.id}|{checklist.version}",
            "status": "completed" if complete else "in-progress",
            "subject": {"reference": "#provider", "display": provider.name} if named else None,
            "authored": _when(response.updated or response.created),
            "author": {"display": provider.interviewer} if _text(provider.interviewer) else None,
            "item": groups,
        }
    )


def left_out(response: Response) -> tuple[str, ...]:
    """What :func:`to_questionnaire_response` does not write, one line per answer or note."""
    checklist = response.checklist
    _, answers = applicable(checklist, response.answers)
    out = [
        f"answers{key_path(key)}: the item does not apply; the answer is not written"
        for key in response.answers
        if key not in answers
    ]
    out.extend(
        f"notes{key_path(key)}: the item is not answered or does not apply; the note is not written"
        for key in response.notes
        if key not in answers
    )
    out.extend(
        f"answers{key_path(key)}: no such item; the answer is not written"
        for key in response.orphans
    )
    out.extend(
        f"notes{key_path(key)}: no such item; the note is not written"
        for key in response.orphan_notes
    )
    return tuple(shorten(line) for line in out)
