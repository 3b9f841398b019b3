"""FHIR validation as a third party sees it: R4B models, que-0…que-15 invariants, bindings.

fhir.resources checks structure and types but neither evaluates FHIRPath invariants nor
enforces required code bindings, and it accepts empty arrays; these helpers do the rest.
Test-only: the library itself never imports fhir.resources or fhirpathpy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhirpathpy import evaluate
from fhirpathpy.models import models

R4: Final = models["r4"]

# (id, severity, FHIRPath selecting the elements that break it), from the FHIR R4 (4.0.1)
# Questionnaire definition: each rule is written as "<context>.where((<expression>).not())".
# que-14 and que-15 come from R5 (answerConstraint, which R4 lacks, and the length of
# linkIds). que-1 drops R4's trace() calls, which only log their input.
QUESTIONNAIRE_INVARIANTS: Final = (
    (
        "que-0",
        "warning",
        "where((name.exists() implies name.matches('[A-Z]([A-Za-z0-9_]){0,254}')).not())",
    ),
    (
        "que-1",
        "error",
        (
            "repeat(item).where(((type='group' implies item.empty().not()) and "
            "(type='display' implies item.empty())).not())"
        ),
    ),
    ("que-2", "error", "where((descendants().linkId.isDistinct()).not())"),
    ("que-3", "error", "repeat(item).where((type!='display' or code.empty()).not())"),
    (
        "que-4",
        "error",
        "repeat(item).where((answerOption.empty() or answerValueSet.empty()).not())",
    ),
    (
        "que-5",
        "error",
        (
            "repeat(item).where(((type ='choice' or type = 'open-choice' or type = 'decimal' or "
            "type = 'integer' or type = 'date' or type = 'dateTime' or type = 'time' or "
            "type = 'string' or type = 'quantity') or "
            "(answerValueSet.empty() and answerOption.empty())).not())"
        ),
    ),
    (
        "que-6",
        "error",
        "repeat(item).where((type!='display' or (required.empty() and repeats.empty())).not())",
    ),
    (
        "que-7",
        "error",
        "repeat(item).enableWhen.where((operator = 'exists' implies (answer is boolean)).not())",
    ),
    (
        "que-8",
        "error",
        "repeat(item).where(((type!='group' and type!='display') or initial.empty()).not())",
    ),
    ("que-9", "error", "repeat(item).where((type!='display' or readOnly.empty()).not())"),
    (
        "que-10",
        "error",
        (
            "repeat(item).where(((type in ('boolean' | 'decimal' | 'integer' | 'string' | 'text' | "
            "'url' | 'open-choice')) or maxLength.empty()).not())"
        ),
    ),
    ("que-11", "error", "repeat(item).where((answerOption.empty() or initial.empty()).not())"),
    (
        "que-12",
        "error",
        "repeat(item).where((enableWhen.count() > 1 implies enableBehavior.exists()).not())",
    ),
    ("que-13", "error", "repeat(item).where((repeats=true or initial.count() <= 1).not())"),
    (
        "que-14",
        "warning",
        (
            "repeat(item).where((answerConstraint.exists() implies "
            "answerOption.exists() or answerValueSet.exists()).not())"
        ),
    ),
    ("que-15", "warning", "repeat(item).where((linkId.length() <= 255).not())"),
)

# QuestionnaireResponse (R4): an item holds answers or items, never both; one item per linkId
# among answered siblings.
RESPONSE_INVARIANTS: Final = (
    ("qrs-1", "error", "repeat(item).where(((answer.exists() and item.exists()).not()).not())"),
    (
        "qrs-2",
        "error",
        (
            "where((repeat(answer|item).select(item.where(answer.value.exists()).linkId"
            ".isDistinct()).allTrue()).not())"
        ),
    ),
)

# Required bindings (R4 value sets), which fhir.resources does not enforce.
ITEM_TYPES: Final = frozenset(
    [
        "group",
        "display",
        "boolean",
        "decimal",
        "integer",
        "date",
        "dateTime",
        "time",
        "string",
        "text",
        "url",
        "choice",
        "open-choice",
        "attachment",
        "reference",
        "quantity",
    ]
)
OPERATORS: Final = frozenset({"exists", "=", "!=", ">", "<", ">=", "<="})
BEHAVIORS: Final = frozenset({"all", "any"})
PUBLICATION_STATUS: Final = frozenset({"draft", "active", "retired", "unknown"})
RESPONSE_STATUS: Final = frozenset(
    {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
)
DATA_ABSENT_REASONS: Final = frozenset(
    [
        "unknown",
        "asked-unknown",
        "temp-unknown",
        "not-asked",
        "asked-declined",
        "masked",
        "not-applicable",
        "unsupported",
        "as-text",
        "error",
        "not-a-number",
        "negative-infinity",
        "positive-infinity",
        "not-performed",
        "not-permitted",
    ]
)


def broken_invariants(resource: Mapping[str, Any]) -> list[str]:
    """``"<id>: <linkIds or values that break it>"`` for each invariant *resource* breaks."""
    rules = (
        QUESTIONNAIRE_INVARIANTS
        if resource.get("resourceType") == "Questionnaire"
        else RESPONSE_INVARIANTS
    )
    out = []
    for key, _severity, expression in rules:
        found = evaluate(dict(resource), expression, {}, R4)
        if found:
            out.append(f"{key}: {', '.join(_name(f) for f in found)}")
    return out


def _name(found: object) -> str:
    if isinstance(found, dict) and "resourceType" not in found:
        return str(found.get("linkId", found.get("question")))
    return "resource"


def _walk(value: object, path: str = "") -> Iterator[tuple[str, object]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")


def binding_problems(resource: Mapping[str, Any]) -> list[str]:
    """Codes outside their required value sets, and values FHIR JSON forbids.

    FHIR JSON has no empty arrays, objects or strings and no nulls.
    """
    out = []
    kind = resource.get("resourceType")
    statuses = PUBLICATION_STATUS if kind == "Questionnaire" else RESPONSE_STATUS
    if resource.get("status") not in statuses:
        out.append(f"status: {resource.get('status')!r}")
    for path, value in _walk(resource):
        if value is None or value in ([], {}, ""):
            out.append(f"{path}: empty value {value!r}")
        if not isinstance(value, dict):
            continue
        if kind == "Questionnaire" and "linkId" in value and value.get("type") not in ITEM_TYPES:
            out.append(f"{path}.type: {value.get('type')!r}")
        if "operator" in value and value["operator"] not in OPERATORS:
            out.append(f"{path}.operator: {value['operator']!r}")
        if "enableBehavior" in value and value["enableBehavior"] not in BEHAVIORS:
            out.append(f"{path}.enableBehavior: {value['enableBehavior']!r}")
        absent = value.get("url") == "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
        if absent and value.get("valueCode") not in DATA_ABSENT_REASONS:
            out.append(f"{path}.valueCode: {value.get('valueCode')!r}")
    return out


def validate_questionnaire(resource: Mapping[str, Any]) -> list[str]:
    """Every problem a third party would find in a Questionnaire; ``[]`` when valid.

    Parses with fhir.resources' R4B model (raising its ValidationError), then adds invariant
    and binding problems.
    """
    Questionnaire.model_validate(resource)
    return broken_invariants(resource) + binding_problems(resource)


def validate_response(
    resource: Mapping[str, Any], questionnaire: Mapping[str, Any] | None = None
) -> list[str]:
    """Every problem in a QuestionnaireResponse, checked against its Questionnaire if given.

    Against the Questionnaire: every linkId exists there with the same nesting, and every
    coded answer is one of the item's answerOptions.
    """
    QuestionnaireResponse.model_validate(resource)
    out = broken_invariants(resource) + binding_problems(resource)
    if questionnaire is not None:
        out.extend(_against(resource.get("item", []), questionnaire.get("item", []), "item"))
    return out


def _against(answers: list[Any], questions: list[Any], path: str) -> list[str]:
    by_link = {q["linkId"]: q for q in questions}
    out = []
    for i, a in enumerate(answers):
        q = by_link.get(a["linkId"])
        where = f"{path}[{i}]"
        if q is None:
            out.append(f"{where}: no item {a['linkId']!r} here in the Questionnaire")
            continue
        options = [o.get("valueCoding") for o in q.get("answerOption", [])]
        for j, value in enumerate(a.get("answer", [])):
            coding = value.get("valueCoding")
            if coding is not None and coding not in options:
                out.append(f"{where}.answer[{j}]: {coding.get('code')!r} is not an answerOption")
            if q["type"] == "decimal" and "valueCoding" in value:
                out.append(f"{where}.answer[{j}]: a Coding answers a decimal item")
        if len(a.get("answer", [])) > 1 and not q.get("repeats"):
            out.append(f"{where}: several answers to an item that does not repeat")
        out.extend(_against(a.get("item", []), q.get("item", []), f"{where}.item"))
    return out
