"""FHIR export and import: exact round trips, validity for third parties, real Questionnaires."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fhirpathpy import evaluate
from hypothesis import given
from hypothesis import strategies as st

from ketacheck import catalog
from ketacheck import conditions as c
from ketacheck.exceptions import LimitError
from ketacheck.fhir import (
    FhirError,
    ImportResult,
    from_questionnaire,
    left_out,
    loads_json,
    read_questionnaire,
    to_questionnaire,
    to_questionnaire_response,
)
from ketacheck.fhir._response import applicable
from ketacheck.files import checklist as checklist_io
from ketacheck.model import Checklist, Item, ItemKind, Option, Section, Status
from ketacheck.response import Provider, ProviderKind, Response
from ketacheck.scoring import score

from .fhir_validation import R4, broken_invariants, validate_questionnaire, validate_response
from .strategies import checklists, mutated_documents
from .strategies_scoring import responses

FIXTURES = Path(__file__).parents[2] / "shared" / "fixtures" / "fhir"
FIXTURE_NAMES = (
    "apgar1min-itemweight-lforms-r4",
    "gad7-researchkitonfhir-r4",
    "phq9-argonaut-containedvs-lforms-r4",
    "phq9-lforms-r4",
)
KSD = "https://ketacheck.org/fhir/StructureDefinition/"
YES_NO = "https://ketacheck.org/fhir/CodeSystem/yes-no"
DAR = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
CALC_WARNING = (
    "has a calculatedExpression (a calculated value, such as a total; ketacheck computes "
    "scores itself)"
)


def fixture(name: str) -> Path:
    """The path of a shared fixture; skips when the folder is absent, except in CI."""
    if not FIXTURES.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the FHIR fixtures are missing in CI: {FIXTURES}")
        pytest.skip(f"no FHIR fixtures at {FIXTURES}")
    return FIXTURES / name


def as_json(value: object) -> Any:
    """*value* after a trip through JSON text, as another program would read it."""
    return json.loads(json.dumps(value))


def questionnaire(*items: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A minimal R4 Questionnaire holding *items*."""
    return {"resourceType": "Questionnaire", "status": "draft", **top, "item": list(items)}


def choice(link_id: str, *codes: str, **extra: Any) -> dict[str, Any]:
    """A choice question whose options are *codes* scoring 0, 1, 2…"""
    options = [
        {"valueCoding": {"code": code}, "extension": [{"url": ORDINAL, "valueDecimal": i}]}
        for i, code in enumerate(codes)
    ]
    return {"linkId": link_id, "type": "choice", "text": link_id, "answerOption": options, **extra}


def imported(*items: dict[str, Any], **top: Any) -> ImportResult:
    """Import a Questionnaire made of *items*."""
    return from_questionnaire(questionnaire(*items, **top), source="q.json")


def failure(data: object) -> str:
    """The message of the FhirError that importing *data* raises."""
    with pytest.raises(FhirError) as info:
        from_questionnaire(data, source="q.json")
    return str(info.value)


DEMO = """schema = 1
id = "demo"
version = "1"
title = "Demo"

[[sections]]
id = "before"
title = "Before"
phase = "before"

[[sections.items]]
id = "screening"
kind = "yes-no"
prompt = "Screened?"
red-flag = "Nobody checks."

[[sections.items]]
id = "minutes"
kind = "number"
prompt = "How long?"
unit = "minutes"
min = 0
when = { item = "screening", is = "yes" }
points = [{ at-least = 60, points = 1 }, { at-least = 0, points = 0, red-flag = "None." }]
"""


def _coding(code: str, display: str) -> dict[str, str]:
    return {"system": YES_NO, "code": code, "display": display}


def _score(points: int) -> list[dict[str, Any]]:
    return [{"url": ORDINAL, "valueDecimal": points}, {"url": ITEM_WEIGHT, "valueDecimal": points}]


def _unknown_option() -> dict[str, Any]:
    display = "Unknown (asked; the provider could not or would not say)"
    return {"valueCoding": {"system": DAR, "code": "asked-unknown", "display": display}}


class TestExport:
    """A checklist becomes a Questionnaire a form tool can show and score."""

    def test_exact_output(self) -> None:
        """Groups, coded yes-no with scores and red flag, decimal with unit, enableWhen."""
        band = "https://ketacheck.org/fhir/StructureDefinition/points-band"
        expected = {
            "resourceType": "Questionnaire",
            "id": "demo",
            "url": "https://ketacheck.org/fhir/Questionnaire/demo",
            "version": "1",
            "name": "Demo",
            "title": "Demo",
            "status": "unknown",
            "subjectType": ["Organization"],
            "item": [
                {
                    "linkId": "before",
                    "extension": [{"url": KSD + "phase", "valueCode": "before"}],
                    "type": "group",
                    "text": "Before",
                    "item": [
                        {
                            "linkId": "screening",
                            "text": "Screened?",
                            "type": "choice",
                            "answerOption": [
                                {"extension": _score(1), "valueCoding": _coding("yes", "Yes")},
                                {
                                    "extension": [
                                        *_score(0),
                                        {"url": KSD + "red-flag", "valueString": "Nobody checks."},
                                    ],
                                    "valueCoding": _coding("no", "No"),
                                },
                                _unknown_option(),
                            ],
                        },
                        {
                            "linkId": "minutes",
                            "extension": [
                                {
                                    "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
                                    "valueCoding": {
                                        "system": "http://unitsofmeasure.org",
                                        "code": "min",
                                        "display": "minutes",
                                    },
                                },
                                {
                                    "url": "http://hl7.org/fhir/StructureDefinition/minValue",
                                    "valueDecimal": 0,
                                },
                                {
                                    "url": band,
                                    "extension": [
                                        {"url": "at-least", "valueDecimal": 60},
                                        {"url": "points", "valueDecimal": 1},
                                    ],
                                },
                                {
                                    "url": band,
                                    "extension": [
                                        {"url": "at-least", "valueDecimal": 0},
                                        {"url": "points", "valueDecimal": 0},
                                        {"url": "red-flag", "valueString": "None."},
                                    ],
                                },
                            ],
                            "text": "How long?",
                            "type": "decimal",
                            "enableWhen": [
                                {
                                    "question": "screening",
                                    "operator": "=",
                                    "answerCoding": _coding("yes", "Yes"),
                                }
                            ],
                        },
                    ],
                },
            ],
        }
        assert expected == to_questionnaire(checklist_io.loads(DEMO))

    def test_metadata_and_ketacheck_extensions(self) -> None:
        """Checklist metadata uses FHIR elements; scoring, sources and profiles extensions."""
        q = to_questionnaire(catalog.load("quick-screen"))
        assert ("active", "2026-12-04", "CC-BY-4.0", "en") == (
            q["status"],
            q["date"],
            q["copyright"],
            q["language"],
        )
        urls = [e["url"].removeprefix(KSD) for e in q["extension"]]
        assert ["author", "scoring"] == urls[:2]
        assert {"author", "scoring", "source", "profile"} == set(urls)

    def test_multi_repeats_and_unknown_is_exclusive(self) -> None:
        """A multi item repeats; its unknown option is exclusive of the others."""
        q = to_questionnaire(catalog.load())
        routes = next(i for g in q["item"] for i in g["item"] if i["linkId"] == "routes")
        assert routes["repeats"] is True
        assert [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive",
                "valueBoolean": True,
            }
        ] == routes["answerOption"][-1]["extension"]

    def test_guidance_is_a_help_item_and_summary_a_display_item(self) -> None:
        """Guidance is a child display item with itemControl help; a summary comes first."""
        q = to_questionnaire(catalog.load("quick-screen"))
        group = q["item"][0]
        assert {"linkId": "evaluation.summary", "type": "display"} == {
            k: group["item"][0][k] for k in ("linkId", "type")
        }
        help_item = group["item"][1]["item"][0]
        assert ("intake-evaluation.guidance", "display", "help") == (
            help_item["linkId"],
            help_item["type"],
            help_item["extension"][0]["valueCodeableConcept"]["coding"][0]["code"],
        )

    def test_section_sharing_an_item_id_gets_a_distinct_link_id(self) -> None:
        """linkIds are unique (que-2) even when a section and an item share an id."""
        item = Item(id="cost", kind=ItemKind.YES_NO, prompt="Cost?")
        checklist = Checklist(
            id="c",
            version="1",
            title="T",
            sections=(Section(id="cost", title="Cost", items=(item,)),),
        )
        q = to_questionnaire(checklist)
        assert ["cost.section", "cost"] == [
            q["item"][0]["linkId"],
            q["item"][0]["item"][0]["linkId"],
        ]
        assert checklist == from_questionnaire(as_json(q)).checklist

    def test_long_id_and_id_without_letter_first(self) -> None:
        """The resource id is left out past 64 characters; name only when que-0 allows it."""
        long_id = "a" * 65
        q = to_questionnaire(
            Checklist(
                id=long_id,
                version="1",
                title="T",
                sections=(
                    Section(
                        id="s", title="S", items=(Item(id="i", kind=ItemKind.TEXT, prompt="?"),)
                    ),
                ),
            )
        )
        assert ("id" not in q, q["url"].endswith(long_id)) == (True, True)
        numeric = Checklist(id="9-lives", version="1", title="T", sections=q_sections())
        assert "name" not in to_questionnaire(numeric)


def q_sections() -> tuple[Section, ...]:
    """One section with one text item."""
    return (Section(id="s", title="S", items=(Item(id="i", kind=ItemKind.TEXT, prompt="?"),)),)


class TestRoundTrip:
    """Checklist -> Questionnaire -> Checklist gives back an equal checklist, without warnings."""

    @pytest.mark.parametrize("name", catalog.names())
    def test_bundled(self, name: str) -> None:
        """Every bundled checklist comes back equal."""
        checklist = catalog.load(name)
        result = from_questionnaire(as_json(to_questionnaire(checklist)))
        assert (checklist, ()) == (result.checklist, result.warnings)
        assert {i.id: i.id for i in checklist.items} == result.link_ids

    @given(checklists())
    def test_generated(self, checklist: Checklist) -> None:
        """Generated checklists exercising every key come back equal, strictly; their
        Questionnaires pass fhir.resources R4B and the que-* invariants (one test, so each
        generated checklist serves both)."""
        assert [] == validate_questionnaire(as_json(to_questionnaire(checklist)))
        result = from_questionnaire(as_json(to_questionnaire(checklist)), strict=True)
        assert checklist == result.checklist


class TestThirdPartyValidity:
    """Exports pass fhir.resources R4B, the que-* invariants and the required bindings."""

    @pytest.mark.parametrize("name", catalog.names())
    def test_bundled_questionnaires(self, name: str) -> None:
        """No problem in the bundled checklists' Questionnaires."""
        assert [] == validate_questionnaire(as_json(to_questionnaire(catalog.load(name))))

    @given(st.data())
    def test_generated_responses(self, data: st.DataObject) -> None:
        """Responses are valid and fit their Questionnaire item for item."""
        checklist = data.draw(checklists())
        response = data.draw(responses(checklist))
        q = as_json(to_questionnaire(checklist))
        qr = as_json(to_questionnaire_response(response))
        assert [] == validate_response(qr, q)

    def test_the_checker_finds_what_it_should(self) -> None:
        """The invariant checker is not vacuous: known breaches are reported."""
        bad = questionnaire(
            {"linkId": "g", "type": "group"},
            {"linkId": "d", "type": "display", "required": True, "code": [{"code": "x"}]},
            {"linkId": "d", "type": "text", "maxLength": 3},
            {
                "linkId": "x",
                "type": "text",
                "enableWhen": [
                    {"question": "d", "operator": "exists", "answerString": "a"},
                    {"question": "d", "operator": "=", "answerString": "a"},
                ],
            },
        )
        assert [
            "que-1: g",
            "que-2: resource",
            "que-3: d",
            "que-6: d",
            "que-7: d",
            "que-12: x",
        ] == broken_invariants(bad)

    def test_the_argonaut_fixture_breaks_que_3_and_que_6(self) -> None:
        """The published PHQ-9 with a required display item is caught, as SOURCES.md says."""
        data = json.loads(fixture("phq9-argonaut-containedvs-lforms-r4.json").read_text("utf-8"))
        assert ["que-3: g1.s", "que-6: g1.d, g1.s"] == broken_invariants(data)


# -- conditions ----------------------------------------------------------------------------


def _two_items(when: c.Condition, first: Item | None = None) -> Checklist:
    first = first or Item(
        id="a",
        kind=ItemKind.MULTI,
        prompt="A?",
        options=(Option(id="x", label="X"), Option(id="y", label="Y")),
    )
    second = Item(id="b", kind=ItemKind.TEXT, prompt="B?", when=when)
    n = Item(id="n", kind=ItemKind.NUMBER, prompt="N?")
    items = (first, n, second) if first.id != "n" else (first, second)
    return Checklist(
        id="c", version="1", title="T", sections=(Section(id="s", title="S", items=items),)
    )


def _exported_when(when: c.Condition) -> dict[str, Any]:
    checklist = _two_items(when)
    q = to_questionnaire(checklist)
    item = q["item"][0]["item"][-1]
    assert checklist == from_questionnaire(as_json(q)).checklist
    return {k: item[k] for k in ("enableWhen", "enableBehavior", "extension") if k in item}


def _coded(code: str) -> dict[str, str]:
    return {
        "system": "https://ketacheck.org/fhir/CodeSystem/c/a",
        "code": code,
        "display": code.upper(),
    }


class TestConditionMapping:
    """``when`` is enableWhen where FHIR says exactly the same, else FHIRPath."""

    def test_includes_is_equals(self) -> None:
        """includes -> one '=' test."""
        assert {
            "enableWhen": [{"question": "a", "operator": "=", "answerCoding": _coded("x")}]
        } == _exported_when(c.Includes("a", "x"))

    def test_any_of_is_several_equals_with_any(self) -> None:
        """any-of -> one '=' test per option, enableBehavior any."""
        assert {
            "enableWhen": [
                {"question": "a", "operator": "=", "answerCoding": _coded("x")},
                {"question": "a", "operator": "=", "answerCoding": _coded("y")},
            ],
            "enableBehavior": "any",
        } == _exported_when(c.AnyOf("a", ("x", "y")))

    def test_not_includes_is_not_equals(self) -> None:
        """not includes -> '!=' (true when no answer equals, so also when unanswered)."""
        assert {
            "enableWhen": [{"question": "a", "operator": "!=", "answerCoding": _coded("x")}]
        } == _exported_when(c.Not(c.Includes("a", "x")))

    def test_all_of_number_tests(self) -> None:
        """all of at-least and below -> '>=' and '<' with enableBehavior all."""
        assert {
            "enableWhen": [
                {"question": "n", "operator": ">=", "answerDecimal": 3},
                {"question": "n", "operator": "<", "answerDecimal": 7.5},
            ],
            "enableBehavior": "all",
        } == _exported_when(c.All((c.AtLeast("n", 3), c.Below("n", 7.5))))

    @pytest.mark.parametrize(
        ("when", "expression"),
        [
            (c.Answered("a"), "%resource.repeat(item).where(linkId = 'a').exists()"),
            (c.Answered("a", False), "%resource.repeat(item).where(linkId = 'a').empty()"),
            (
                c.Not(c.AtLeast("n", 0.00001)),
                (
                    "(%resource.repeat(item).where(linkId = 'n').answer.value.ofType(decimal)"
                    ".where($this >= 0.00001).exists()).not()"
                ),
            ),
            (
                c.All((c.Includes("a", "x"),)),
                (
                    "(%resource.repeat(item).where(linkId = 'a').answer.value.ofType(Coding)"
                    ".where(system = 'https://ketacheck.org/fhir/CodeSystem/c/a' and code = 'x')"
                    ".exists())"
                ),
            ),
            (
                c.Any((c.Includes("a", "x"), c.Includes("a", "y"))),
                (
                    "(%resource.repeat(item).where(linkId = 'a').answer.value.ofType(Coding)"
                    ".where(system = 'https://ketacheck.org/fhir/CodeSystem/c/a' and code = 'x')"
                    ".exists()) or (%resource.repeat(item).where(linkId = 'a').answer.value"
                    ".ofType(Coding).where(system = 'https://ketacheck.org/fhir/CodeSystem/c/a' "
                    "and code = 'y').exists())"
                ),
            ),
        ],
        ids=["answered", "not-answered", "not-at-least", "all-of-one", "any-same-item"],
    )
    def test_the_rest_is_fhirpath(self, when: c.Condition, expression: str) -> None:
        """What enableWhen cannot say exactly becomes an enableWhenExpression + the condition."""
        written = _exported_when(when)
        assert [
            {
                "url": EXPRESSION,
                "valueExpression": {"language": "text/fhirpath", "expression": expression},
            },
            {"url": KSD + "when", "valueString": json.dumps(_unstructure(when))},
        ] == written["extension"]
        assert "enableWhen" not in written

    def test_any_of_in_fhirpath(self) -> None:
        """any-of inside a combinator tests all its codes at once."""
        when = c.Not(c.AnyOf("a", ("x", "y")))
        expression = _exported_when(when)["extension"][0]["valueExpression"]["expression"]
        assert expression.endswith(
            "where(system = 'https://ketacheck.org/fhir/CodeSystem/c/a' and "
            "(code = 'x' or code = 'y')).exists()).not()"
        )

    @given(st.data())
    def test_fhir_evaluation_agrees_with_holds(self, data: st.DataObject) -> None:
        """On a response's QuestionnaireResponse, FHIR reads each condition as ketacheck does."""
        checklist = data.draw(checklists())
        response = data.draw(responses(checklist))
        q = as_json(to_questionnaire(checklist))
        qr = as_json(to_questionnaire_response(response))
        _, visible = applicable(checklist, response.answers)
        for question in _questions(q):
            when = checklist.item(question["linkId"]).when
            if when is None:
                continue
            assert when.holds(visible) == _fhir_enabled(question, qr), (question, qr)


def _unstructure(cond: c.Condition) -> Any:
    from ketacheck.files._convert import unstructure_condition  # noqa: PLC0415 - test helper

    return unstructure_condition(cond)


def _questions(q: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for g in q["item"] for i in g["item"] if i["type"] != "display"]


def _answers_by_link(qr: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {i["linkId"]: i.get("answer", []) for g in qr.get("item", []) for i in g["item"]}


def _fhir_enabled(question: dict[str, Any], qr: dict[str, Any]) -> bool:
    """Whether FHIR enables *question*: enableWhen per the R4 operator definitions, or the
    enableWhenExpression evaluated by fhirpathpy."""
    for e in question.get("extension", []):
        if e["url"] == EXPRESSION:
            result = evaluate(qr, e["valueExpression"]["expression"], {"resource": qr}, R4)
            assert len(result) == 1
            return bool(result[0])
    answers = _answers_by_link(qr)
    results = []
    for test in question["enableWhen"]:
        given_answers = answers.get(test["question"], [])
        (key,) = [k for k in test if k.startswith("answer")]
        wanted = test[key]
        if key == "answerCoding":
            values = [a["valueCoding"] for a in given_answers if "valueCoding" in a]
            same = [v["system"] == wanted["system"] and v["code"] == wanted["code"] for v in values]
            results.append(any(same) if test["operator"] == "=" else not any(same))
        else:
            numbers = [a["valueDecimal"] for a in given_answers if "valueDecimal" in a]
            if test["operator"] == ">=":
                results.append(any(v >= wanted for v in numbers))
            else:
                results.append(any(v < wanted for v in numbers))
    return any(results) if question.get("enableBehavior") == "any" else all(results)


# -- import ----------------------------------------------------------------------------------


def _cases(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(fixture(f"{name}.cases.json").read_text("utf-8"))
    return cases


FIXTURE_WARNINGS = {
    "apgar1min-itemweight-lforms-r4": [f'item[5]: "9272-6" {CALC_WARNING}; the item is skipped'],
    "gad7-researchkitonfhir-r4": [],
    "phq9-argonaut-containedvs-lforms-r4": [
        'item[0].item[10]: hidden display item "g1.s"; it is not carried over'
    ],
    "phq9-lforms-r4": [f'item[9]: "/44261-6" {CALC_WARNING}; the item is skipped'],
}


class TestRealQuestionnaires:
    """The four published scored Questionnaires import and score their published totals."""

    @pytest.mark.parametrize("name", FIXTURE_NAMES)
    def test_totals_match(self, name: str) -> None:
        """Scoring each answer case with ketacheck.scoring.score gives the case's total."""
        result = read_questionnaire(fixture(f"{name}.json"))
        item_of = {link: item for item, link in result.link_ids.items()}
        totals = []
        for case in _cases(name):
            response = Response(result.checklist)
            for link_id, code in case["answers"].items():
                item_id = item_of[link_id]
                option_of = {v: k for k, v in result.option_codes[item_id].items()}
                response.answer(item_id, option_of[code])
            totals.append((score(response).points, case["total"]))
        assert [t for _, t in totals] == [p for p, _ in totals]

    @pytest.mark.parametrize("name", FIXTURE_NAMES)
    def test_warnings_name_what_was_left_out(self, name: str) -> None:
        """Exactly the constructs that cannot be carried over are reported, by path."""
        path = fixture(f"{name}.json")
        assert FIXTURE_WARNINGS[name] == list(read_questionnaire(path).warnings)

    @pytest.mark.parametrize("name", FIXTURE_NAMES)
    def test_strict_refuses_what_default_skips(self, name: str) -> None:
        """strict=True raises FhirError with one problem per warning, or imports the same."""
        path = fixture(f"{name}.json")
        expected = read_questionnaire(path)
        if not expected.warnings:
            assert expected == read_questionnaire(path, strict=True)
            return
        with pytest.raises(FhirError) as info:
            read_questionnaire(path, strict=True)
        assert [
            w.rsplit("; ", 1)[0].replace(": ", ": cannot be carried over: ", 1)
            for w in expected.warnings
        ] == [str(p) for p in info.value.problems]
        assert str(path) == info.value.source

    def test_gad7_structure_and_mappings(self) -> None:
        """UUID linkIds and codes with spaces become kebab ids; the mappings lead back."""
        result = read_questionnaire(fixture("gad7-researchkitonfhir-r4.json"))
        checklist = result.checklist
        assert ("gad-7", "0.0.0", "en-US") == (checklist.id, checklist.version, checklist.language)
        (section,) = checklist.sections
        assert ("a2ae9518-55b5-41cc-928d-00132d1a3c1e", 7) == (section.id, len(section.items))
        first = section.items[0]
        assert "2bab9480-5251-4997-8a2e-937a1701cfe9" == result.link_ids[first.id]
        assert {
            "not-at-all": "Not-at-all",
            "several-days": "Several-days",
            "more-than-half-the-days": "More than half the days",
            "nearly-every-day": "Nearly every day",
        } == result.option_codes[first.id]
        assert [0, 1, 2, 3] == [o.points for o in first.options or ()]

    def test_phq9_argonaut_value_set_by_id_and_by_url(self) -> None:
        """ "#PHQ-9" and the canonical URL resolve to the same contained ValueSet."""
        checklist = read_questionnaire(
            fixture("phq9-argonaut-containedvs-lforms-r4.json")
        ).checklist
        assert ["g1", "g2"] == [s.id for s in checklist.sections]
        assert checklist.item("g1-q1").options == checklist.item("g1-q9").options
        assert [0, 0, 0, 0] == [o.points for o in checklist.item("g2-q1").options or ()]
        assert checklist.sections[0].summary is not None
        assert checklist.sections[0].summary.startswith("Over the last 2 weeks")

    def test_phq9_lforms_top_level_questions_form_one_section(self) -> None:
        """Questions outside any group make one section named after the Questionnaire."""
        checklist = read_questionnaire(fixture("phq9-lforms-r4.json")).checklist
        (section,) = checklist.sections
        assert ("questions", "PHQ-9 quick depression assessment panel", 10) == (
            section.id,
            section.title,
            len(section.items),
        )
        assert "44250-9" == section.items[0].id


class TestImport:
    """Foreign constructs map to the nearest exact ketacheck construct, or are reported."""

    def test_minimal_defaults(self) -> None:
        """Without metadata: id, version and title have defaults; items keep their order."""
        result = imported(choice("/1", "a", "b"), {"linkId": "t", "type": "string", "text": "Say"})
        checklist = result.checklist
        assert ("questionnaire", "0.0.0", "Questionnaire", Status.DRAFT) == (
            checklist.id,
            checklist.version,
            checklist.title,
            checklist.status,
        )
        assert [("1", ItemKind.CHOICE), ("t", ItemKind.TEXT)] == [
            (i.id, i.kind) for i in checklist.items
        ]
        assert {"1": "/1", "t": "t"} == result.link_ids

    def test_ids_are_unique_kebab_slugs(self) -> None:
        """Clashing slugs get -2, -3; the reserved option id unknown is avoided."""
        result = imported(choice("a.b", "Unknown", "x y", "X-Y"), choice("a_b", "z"))
        assert ["a-b", "a-b-2"] == [i.id for i in result.checklist.items]
        assert {"unknown-2": "Unknown", "x-y": "x y", "x-y-2": "X-Y"} == result.option_codes["a-b"]

    def test_boolean_is_an_unscored_yes_no(self) -> None:
        """A boolean question becomes yes-no with weight 0 (FHIR gives it no score)."""
        result = imported({"linkId": "b", "type": "boolean", "text": "B?"})
        item = result.checklist.item("b")
        assert (ItemKind.YES_NO, 0) == (item.kind, item.weight)
        assert {"yes": "true", "no": "false"} == result.option_codes["b"]

    def test_numbers_with_unit_and_limits(self) -> None:
        """integer/decimal become number items with unit, min and max."""
        unit = {
            "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-unit",
            "valueCoding": {"code": "kg"},
        }
        limits = [
            {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 1},
            {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueDecimal": 9.5},
        ]
        item = imported(
            {"linkId": "n", "type": "integer", "extension": [unit, *limits]}
        ).checklist.item("n")
        assert (ItemKind.NUMBER, "kg", 1, 9.5, "n", True) == (
            item.kind,
            item.unit,
            item.min,
            item.max,
            item.prompt,
            item.integer,  # a FHIR integer item takes whole numbers only
        )

    def test_r5_coding_type_and_answer_constraint(self) -> None:
        """R5's coding type is a choice; answers outside the options are reported."""
        result = imported(choice("c", "a", type="coding", answerConstraint="optionsOrString"))
        assert ItemKind.CHOICE == result.checklist.item("c").kind
        assert [
            'item[0]: "c" allows answers outside its options; only the options are imported'
        ] == list(result.warnings)

    def test_answer_options_of_other_types_and_repeats(self) -> None:
        """valueString/valueInteger options become options; repeats makes a multi item."""
        options = [{"valueInteger": 1}, {"valueString": "Two words"}]
        result = imported(
            {"linkId": "m", "type": "integer", "repeats": True, "answerOption": options}
        )
        item = result.checklist.item("m")
        assert (ItemKind.MULTI, ("1", "two-words")) == (item.kind, item.option_ids)
        assert {"1": "1", "two-words": "Two words"} == result.option_codes["m"]

    def test_value_set_compose_and_versioned_canonical(self) -> None:
        """A contained ValueSet's compose concepts, referenced by url|version, with itemWeight."""
        vs = {
            "resourceType": "ValueSet",
            "id": "v",
            "url": "http://x.org/vs",
            "version": "2",
            "compose": {
                "include": [
                    {
                        "system": "http://x.org/cs",
                        "concept": [
                            {"code": "lo", "display": "Low"},
                            {"code": "hi", "extension": [{"url": ITEM_WEIGHT, "valueDecimal": 4}]},
                        ],
                    }
                ]
            },
        }
        item = {"linkId": "v", "type": "choice", "answerValueSet": "http://x.org/vs|2"}
        options = imported(item, contained=[vs]).checklist.item("v").options
        assert (Option(id="lo", label="Low"), Option(id="hi", label="hi", points=4)) == options

    def test_nested_expansion_skips_abstract_entries(self) -> None:
        """Nested expansion.contains entries are read; abstract ones are headings only."""
        vs = {
            "resourceType": "ValueSet",
            "id": "v",
            "expansion": {
                "contains": [
                    {"abstract": True, "code": "head", "contains": [{"code": "a"}, {"code": "b"}]}
                ]
            },
        }
        item = {"linkId": "v", "type": "choice", "answerValueSet": "#v"}
        assert ("a", "b") == imported(item, contained=[vs]).checklist.item("v").option_ids

    def test_groups_nested_and_displays(self) -> None:
        """Nested groups become sections in document order; displays become summaries."""
        result = imported(
            {"linkId": "intro", "type": "display", "text": "Read me."},
            {
                "linkId": "g",
                "type": "group",
                "text": "G",
                "item": [
                    {"linkId": "g.d", "type": "display", "text": "About G."},
                    choice("q1", "a"),
                    {"linkId": "h", "type": "group", "item": [choice("q2", "a")]},
                    choice("q3", "a"),
                ],
            },
            choice("q4", "a"),
            description="Desc.",
        )
        checklist = result.checklist
        assert [
            ("g", "G", ("q1",)),
            ("h", "h", ("q2",)),
            ("g-2", "G", ("q3",)),
            ("questions", "Questions", ("q4",)),
        ] == [(s.id, s.title, tuple(i.id for i in s.items)) for s in checklist.sections]
        assert ("Desc.\n\nRead me.", "About G.") == (
            checklist.summary,
            checklist.sections[0].summary,
        )

    def test_help_display_under_a_question_is_guidance(self) -> None:
        """Display children of a question become its guidance; other children follow it."""
        result = imported(
            choice(
                "q",
                "a",
                item=[
                    {"linkId": "q.help", "type": "display", "text": "Hint."},
                    choice("sub", "b"),
                ],
            )
        )
        assert ("Hint.", ["q", "sub"]) == (
            result.checklist.item("q").guidance,
            [i.id for i in result.checklist.items],
        )
        assert [
            'item[0].item[1]: "sub" is nested under a question; it is imported after that question'
        ] == list(result.warnings)

    def test_group_condition_applies_to_its_items(self) -> None:
        """A group's enableWhen is added to each of its items' conditions."""
        result = imported(
            choice("a", "x", "y"),
            {
                "linkId": "g",
                "type": "group",
                "enableWhen": [{"question": "a", "operator": "=", "answerCoding": {"code": "x"}}],
                "item": [
                    choice(
                        "b",
                        "z",
                        enableWhen=[
                            {"question": "a", "operator": "!=", "answerCoding": {"code": "y"}}
                        ],
                    )
                ],
            },
        )
        assert c.All((c.Is("a", "x"), c.Not(c.Is("a", "y")))) == result.checklist.item("b").when

    @pytest.mark.parametrize(
        ("test", "when"),
        [
            ({"operator": "exists", "answerBoolean": False}, c.Answered("n", False)),
            ({"operator": ">", "answerInteger": 3}, c.AtLeast("n", 4)),
            ({"operator": "<=", "answerInteger": 3}, c.Below("n", 4)),
            ({"operator": "=", "answerInteger": 3}, c.All((c.AtLeast("n", 3), c.Below("n", 4)))),
            (
                {"operator": "!=", "answerInteger": 3},
                c.Not(c.All((c.AtLeast("n", 3), c.Below("n", 4)))),
            ),
        ],
        ids=["exists", "gt", "le", "eq", "ne"],
    )
    def test_integer_comparisons(self, test: dict[str, Any], when: c.Condition) -> None:
        """On integer questions every operator has an exact condition."""
        result = imported(
            {"linkId": "n", "type": "integer"},
            {"linkId": "t", "type": "text", "enableWhen": [{"question": "n", **test}]},
        )
        assert when == result.checklist.item("t").when

    def test_boolean_and_string_option_conditions(self) -> None:
        """answerBoolean on a boolean item and answerString on string options are matched."""
        result = imported(
            {"linkId": "b", "type": "boolean"},
            {"linkId": "s", "type": "string", "answerOption": [{"valueString": "Red"}]},
            {
                "linkId": "t",
                "type": "text",
                "enableBehavior": "any",
                "enableWhen": [
                    {"question": "b", "operator": "=", "answerBoolean": True},
                    {"question": "s", "operator": "=", "answerString": "Red"},
                ],
            },
        )
        assert c.Any((c.Is("b", "yes"), c.Is("s", "red"))) == result.checklist.item("t").when

    @pytest.mark.parametrize(
        ("enable_when", "warning"),
        [
            (
                [{"question": "d", "operator": ">", "answerDecimal": 1.5}],
                (
                    'item[1].enableWhen[0].operator: ">" on a decimal answer has no exact '
                    "ketacheck "
                    "condition (conditions on numbers are at-least and below)"
                ),
            ),
            (
                [{"question": "later", "operator": "exists", "answerBoolean": True}],
                (
                    'item[1].enableWhen[0].question: "later" is not an earlier question that was '
                    "imported (a condition may only name an earlier item)"
                ),
            ),
            (
                [{"question": "d", "operator": "=", "answerString": "x"}],
                (
                    'item[1].enableWhen[0].operator: "=" with answerString on a number item has no '
                    "ketacheck condition"
                ),
            ),
        ],
        ids=["decimal-gt", "later-item", "string-on-number"],
    )
    def test_inexpressible_conditions_are_reported(
        self, enable_when: list[dict[str, Any]], warning: str
    ) -> None:
        """A condition ketacheck cannot say is dropped with a warning: the item is always asked."""
        result = imported(
            {"linkId": "d", "type": "decimal"},
            {"linkId": "t", "type": "text", "enableWhen": enable_when},
            {"linkId": "later", "type": "text"},
        )
        assert result.checklist.item("t").when is None
        assert [f"{warning}; the condition is not carried over (the item is always asked)"] == list(
            result.warnings
        )

    def test_unsupported_constructs_are_reported_by_name(self) -> None:
        """Attachments, FHIRPath, initial values, unknown extensions: each named with its path."""
        expression = {
            "url": EXPRESSION,
            "valueExpression": {"language": "text/fhirpath", "expression": "true"},
        }
        result = imported(
            {"linkId": "file", "type": "attachment"},
            choice("c", "a", extension=[expression], initial=[{"valueString": "a"}], readOnly=True),
            {
                "linkId": "r",
                "type": "text",
                "repeats": True,
                "extension": [{"url": "http://x.org/e", "valueString": "?"}],
            },
            {
                "linkId": "m",
                "type": "text",
                "modifierExtension": [{"url": "http://x.org/m", "valueBoolean": True}],
            },
            {
                "linkId": "h",
                "type": "text",
                "extension": [
                    {
                        "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden",
                        "valueBoolean": True,
                    }
                ],
            },
            {"linkId": "ref", "type": "choice", "answerValueSet": "http://loinc.org/vs/LL358-3"},
            {
                "linkId": "g",
                "type": "group",
                "repeats": True,
                "item": [{"linkId": "g.t", "type": "text"}],
            },
            {"linkId": "empty", "type": "group"},
            {
                "linkId": "only-text",
                "type": "group",
                "text": "Only text",
                "item": [{"linkId": "x", "type": "display", "text": "Hi"}],
            },
            extension=[
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/variable",
                    "valueExpression": {"expression": "1"},
                }
            ],
            language="English",
            status="published",
            date="2020",
        )
        assert [
            (
                "extension[0]: extension http://hl7.org/fhir/StructureDefinition/variable; "
                "it is not carried over"
            ),
            (
                'item[0]: "file" has type attachment, which ketacheck has no kind for; the item is '
                "skipped"
            ),
            'item[1].initial: the initial answers of "c"; it is not carried over',
            'item[1].readOnly: "c" is read-only; it is imported as an ordinary question',
            (
                'item[1]: enableWhenExpression "true" (FHIRPath is not evaluated); the condition '
                "is not "
                "carried over (the item is always asked)"
            ),
            'item[2]: "r" repeats; one answer is imported',
            "item[2].extension[0]: extension http://x.org/e; it is not carried over",
            'item[3]: "m" has modifier extensions; the item is skipped',
            'item[4].extension[0]: "h" is hidden; it is imported as an ordinary question',
            (
                'item[5].answerValueSet: "ref" takes its answers from '
                '"http://loinc.org/vs/LL358-3", '
                "which is not contained in the Questionnaire; the item is skipped"
            ),
            'item[6]: repeating group "g" (one set of answers is imported); it is not carried over',
            'item[7]: group "empty" has no items; it is not carried over',
            (
                'item[8]: the text of group "only-text", which has no importable question; '
                "it is not "
                "carried over"
            ),
            (
                'language: the language "English" is not a language tag ketacheck reads; it is not '
                "carried over"
            ),
            'status: the status "published"; it is not carried over',
            'date: the date "2020" is not a full date; it is not carried over',
        ] == list(result.warnings)

    def test_scores_negative_and_conflicting(self) -> None:
        """Negative scores become 0 and conflicting scores use the first; both reported."""
        options = [
            {"valueCoding": {"code": "a"}, "extension": [{"url": ORDINAL, "valueDecimal": -1}]},
            {
                "valueCoding": {"code": "b"},
                "extension": [
                    {"url": ORDINAL, "valueInteger": 2},
                    {"url": ITEM_WEIGHT, "valueDecimal": 3},
                ],
            },
        ]
        result = imported({"linkId": "s", "type": "choice", "answerOption": options})
        assert [0, 2] == [o.points for o in result.checklist.item("s").options or ()]
        assert [
            (
                'item[0].answerOption[0]: an answer of "s" scores -1; ketacheck points are >= 0; '
                "it scores 0"
            ),
            (
                'item[0].answerOption[1]: an answer of "s" has different scores (ordinalValue 2, '
                "itemWeight 3); the first, 2, is used"
            ),
        ] == list(result.warnings)

    def test_yes_no_scored_the_other_way(self) -> None:
        """Coded yes/no where "no" earns the point is good = "no"; "yes" carries the flag."""
        q = to_questionnaire(checklist_io.loads(DEMO))
        options = q["item"][0]["item"][0]["answerOption"]
        options[0]["extension"] = [*_score(0), {"url": KSD + "red-flag", "valueString": "Odd."}]
        options[1]["extension"] = _score(1)
        result = from_questionnaire(q)
        item = result.checklist.item("screening")
        assert ("no", "Odd.", ()) == (item.good, item.red_flag, result.warnings)

    def test_red_flag_on_the_good_answer_is_reported(self) -> None:
        """A red flag on the answer that earns the point has no place in a yes-no item."""
        q = to_questionnaire(checklist_io.loads(DEMO))
        q["item"][0]["item"][0]["answerOption"][0]["extension"].append(
            {"url": KSD + "red-flag", "valueString": "Odd."}
        )
        result = from_questionnaire(q)
        assert [
            (
                'item[0].item[0]: a red flag on the answer "yes", which earns the point; it is not '
                "carried over"
            )
        ] == list(result.warnings)

    def test_ketacheck_condition_naming_a_missing_item(self) -> None:
        """A ketacheck condition naming an item that was not imported is reported."""
        when = {"url": KSD + "when", "valueString": '{"item": "gone", "answered": true}'}
        result = imported({"linkId": "t", "type": "text", "extension": [when]})
        assert [
            (
                'item[0].extension[0]: the condition names "gone", which is not an earlier '
                "imported "
                "item; the condition is not carried over (the item is always asked)"
            )
        ] == list(result.warnings)


class TestImportErrors:
    """Input that is not a well-formed Questionnaire raises FhirError naming the JSON path."""

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ([], "q.json: document: expected an object, got []"),
            (
                {"resourceType": "Patient"},
                'q.json: resourceType: expected "Questionnaire", got "Patient"',
            ),
            (
                questionnaire(),
                "q.json: item: no question could be imported; a checklist needs at least one item",
            ),
            (
                {"resourceType": "Questionnaire", "item": {}},
                "q.json: item: expected an array, got {}",
            ),
            (questionnaire({"type": "text"}), "q.json: item[0].linkId: required string missing"),
            (
                questionnaire({"linkId": "a", "type": "checkbox"}),
                'q.json: item[0].type: unknown item type "checkbox"',
            ),
            (
                questionnaire({"linkId": "a", "type": "text", "text": 3}),
                "q.json: item[0].text: expected a string, got 3",
            ),
            (
                questionnaire(
                    {
                        "linkId": "a",
                        "type": "choice",
                        "answerOption": [{"valueCoding": {"code": "x"}, "valueString": "x"}],
                    }
                ),
                "q.json: item[0].answerOption[0]: an answerOption needs exactly one value[x]",
            ),
            (
                questionnaire(
                    {
                        "linkId": "a",
                        "type": "choice",
                        "answerOption": [{"valueCoding": {"display": "X"}}],
                    }
                ),
                "q.json: item[0].answerOption[0]: an answer option needs a code",
            ),
            (
                questionnaire(
                    {
                        "linkId": "a",
                        "type": "text",
                        "extension": [{"url": KSD + "weight", "valueString": "3"}],
                    }
                ),
                "q.json: item[0].extension[0]: expected valueDecimal in extension "
                + KSD
                + "weight",
            ),
            (
                questionnaire(
                    {
                        "linkId": "a",
                        "type": "text",
                        "extension": [{"url": KSD + "why", "valueString": 3}],
                    }
                ),
                "q.json: item[0].extension[0].valueString: expected a string, got 3",
            ),
            (
                questionnaire(
                    {
                        "linkId": "a",
                        "type": "text",
                        "extension": [{"url": KSD + "when", "valueString": "{"}],
                    }
                ),
                (
                    "q.json: item[0].extension[0].valueString: not a ketacheck condition: "
                    "Expecting "
                    "property name enclosed in double quotes: line 1 column 2 (char 1)"
                ),
            ),
            (
                questionnaire(
                    {"linkId": "a", "type": "text"},
                    {
                        "linkId": "b",
                        "type": "text",
                        "enableWhen": [{"question": "a", "operator": "~", "answerBoolean": True}],
                    },
                ),
                (
                    "q.json: item[1].enableWhen[0].operator: expected one of: exists, =, !=, >, <, "
                    ">=, <=; got '~'"
                ),
            ),
            (
                questionnaire(
                    {"linkId": "a", "type": "text"},
                    {
                        "linkId": "b",
                        "type": "text",
                        "enableWhen": [
                            {"question": "a", "operator": "exists", "answerBoolean": True},
                            {"question": "a", "operator": "exists", "answerBoolean": True},
                        ],
                    },
                ),
                (
                    "q.json: item[1].enableBehavior: several enableWhen tests need enableBehavior "
                    "all or any"
                ),
            ),
            (
                questionnaire(
                    {
                        "linkId": "g",
                        "type": "group",
                        "extension": [{"url": KSD + "phase", "valueCode": "later"}],
                        "item": [{"linkId": "a", "type": "text"}],
                    }
                ),
                (
                    "q.json: item[0].extension[0].valueCode: expected one of: before, during, "
                    'after, general; got "later"'
                ),
            ),
            (
                questionnaire(
                    {
                        "linkId": "a",
                        "type": "text",
                        "extension": [{"url": KSD + "weight", "valueDecimal": 2}],
                    }
                ),
                (
                    "q.json: sections[0].items[0].weight: the imported checklist breaks a rule: "
                    "text items "
                    "are not scored: weight must be 0, got 2"
                ),
            ),
        ],
        ids=[
            "not-object",
            "not-questionnaire",
            "no-items",
            "item-not-array",
            "no-link-id",
            "bad-type",
            "text-not-string",
            "two-values",
            "no-code",
            "wrong-value-type",
            "value-not-string",
            "bad-condition-json",
            "bad-operator",
            "no-behavior",
            "bad-phase",
            "checklist-rule",
        ],
    )
    def test_message(self, data: object, message: str) -> None:
        """Each kind of malformed input gets its own message."""
        assert message == failure(data)


class TestImportRobustness:
    """Whatever the input, import returns a result or raises FhirError or LimitError."""

    @given(st.data(), st.booleans())
    def test_mutated_questionnaires(self, data: st.DataObject, strict: bool) -> None:
        """Mutations of exported and published Questionnaires never raise anything else."""
        sources = [to_questionnaire(catalog.load(n)) for n in catalog.names()]
        if FIXTURES.is_dir():
            sources += [json.loads(fixture(f"{n}.json").read_text("utf-8")) for n in FIXTURE_NAMES]
        doc = data.draw(mutated_documents(data.draw(st.sampled_from(sources))))
        doc = json.loads(json.dumps(doc, default=str))
        try:
            result = from_questionnaire(doc, strict=strict)
        except FhirError:
            return
        assert result.checklist == result.checklist.validated()

    def test_deep_nesting(self) -> None:
        """Groups nested thousands deep are refused with LimitError, not a RecursionError."""
        item: dict[str, Any] = {"linkId": "q", "type": "text"}
        for depth in range(3000):
            item = {"linkId": f"g{depth}", "type": "group", "item": [item]}
        with pytest.raises(LimitError) as info:
            from_questionnaire(questionnaire(item), source="deep.json")
        assert "deep.json: document: the Questionnaire nests too deeply" == str(info.value)

    def test_huge_value_in_an_error(self) -> None:
        """An error quoting a 20,000-character value keeps its start and end (fuzz-found)."""
        data = questionnaire(choice("a", "x"))
        data["item"][0]["answerOption"][0]["extension"] = "x" * 20_000
        message = f'expected an array, got "{"x" * 20_000}"'
        shown = f"{message[:300]} ... ({len(message) - 380:,} characters left out) ... "
        assert f"q.json: item[0].answerOption[0].extension: {shown}{message[-80:]}" == failure(data)

    def test_huge_value_in_a_warning(self) -> None:
        """A warning quoting a 20,000-character value keeps its start and end (fuzz-found)."""
        status = "x" * 20_000
        result = from_questionnaire(questionnaire(choice("a", "x"), status=status))
        message = f'status: the status "{status}"; it is not carried over'
        left_out = len(message) - 380
        assert (
            f"{message[:300]} ... ({left_out:,} characters left out) ... {message[-80:]}",
        ) == result.warnings

    def test_integer_too_large_for_a_float(self) -> None:
        """A score given as an integer beyond the float range is malformed, not a crash."""
        option = {
            "valueCoding": {"code": "x"},
            "extension": [{"url": ORDINAL, "valueDecimal": 10**400}],
        }
        message = failure(
            questionnaire({"linkId": "a", "type": "choice", "answerOption": [option]})
        )
        shown = "1" + "0" * 59  # the value quoted by its first 60 characters
        assert f"q.json: item[0].answerOption[0].valueDecimal: expected a decimal, got {shown}" == (
            message
        )

    def test_huge_integer_condition_value(self) -> None:
        """So is such an integer in enableWhen."""
        message = failure(
            questionnaire(
                {"linkId": "n", "type": "decimal"},
                {
                    "linkId": "t",
                    "type": "text",
                    "enableWhen": [{"question": "n", "operator": ">=", "answerDecimal": 10**400}],
                },
            )
        )
        assert "q.json: item[1].enableWhen[0].answerDecimal: expected a finite number" == message

    def test_non_finite_condition_value(self) -> None:
        """An infinite comparison value in enableWhen is malformed."""
        message = failure(
            questionnaire(
                {"linkId": "n", "type": "decimal"},
                {
                    "linkId": "t",
                    "type": "text",
                    "enableWhen": [{"question": "n", "operator": ">=", "answerDecimal": math.inf}],
                },
            )
        )
        assert "q.json: item[1].enableWhen[0].answerDecimal: expected a finite number" == message


class TestReadQuestionnaire:
    """Files: UTF-8 JSON with an optional byte-order mark, within the size limit."""

    def test_bom_is_accepted(self, tmp_path: Path) -> None:
        """A leading byte-order mark is dropped."""
        path = tmp_path / "q.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(questionnaire(choice("a", "x"))).encode())
        assert ("a",) == tuple(i.id for i in read_questionnaire(path).checklist.items)

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (
                b'{"a": 1,}',
                (
                    "x.json: document (line 1, column 9): not valid JSON: Expecting property name "
                    "enclosed in double quotes"
                ),
            ),
            (b'{"a": NaN}', "x.json: document: not valid JSON: NaN is not a JSON number"),
            (
                b'{"a": "\xe9"}',
                "x.json: document: the file is not UTF-8 text (byte 0xe9 at offset 7)",
            ),
        ],
        ids=["syntax", "nan", "latin-1"],
    )
    def test_bad_json(self, data: bytes, message: str) -> None:
        """Syntax errors have line and column; non-finite numbers and other encodings fail."""
        with pytest.raises(FhirError) as info:
            loads_json(data, source="x.json")
        assert message == str(info.value)

    def test_size_limit(self) -> None:
        """More than 5 MiB is refused before parsing."""
        with pytest.raises(LimitError, match="the limit is 5,242,880 bytes"):
            loads_json(" " * (5 * 1024 * 1024 + 1))

    def test_big_file_is_not_read_whole(self, tmp_path: Path) -> None:
        """A file far over the limit is refused after reading one byte past it."""
        path = tmp_path / "big.json"
        with path.open("wb") as fp:
            fp.truncate(64 * 1024 * 1024)
        with pytest.raises(LimitError) as info:
            read_questionnaire(path)
        assert (
            f"{path}: document: file is 5,242,881 bytes; the limit is 5,242,880 bytes (5 MiB)"
            == str(info.value)
        )

    def test_depth_limit(self) -> None:
        """Objects and arrays nested more than 64 deep are a LimitError naming the path."""
        with pytest.raises(LimitError) as info:
            loads_json('{"item": ' + "[" * 65 + "]" * 65 + "}", source="q.json")
        path = "item" + "[0]" * 64
        assert (
            f"q.json: {path}: objects and arrays nest more than 64 levels deep (the limit)"
            == str(info.value)
        )

    def test_depth_beyond_the_parser(self) -> None:
        """Nesting too deep for the JSON parser itself is the same LimitError."""
        with pytest.raises(LimitError) as info:
            loads_json("[" * 100_000 + "]" * 100_000, source="q.json")
        assert (
            "q.json: document: objects and arrays nest more than 64 levels deep (the limit)"
            == str(info.value)
        )

    def test_integer_out_of_range(self) -> None:
        """Integers beyond 64 bits are refused, as in TOML files."""
        with pytest.raises(FhirError) as info:
            loads_json('{"resourceType": "Questionnaire", "n": 9223372036854775808}', source="q")
        assert (
            "q: n: integer out of range (integers are 64-bit: from -9,223,372,036,854,775,808 "
            "to 9,223,372,036,854,775,807)" == str(info.value)
        )


class TestQuestionnaireResponse:
    """A response becomes a QuestionnaireResponse that answers the exported Questionnaire."""

    def _response(self) -> Response:
        checklist = checklist_io.loads(DEMO)
        provider = Provider(
            name="Cedar",
            kind=ProviderKind.KAP_PRACTICE,
            website="https://cedar.example.org",
            location="Springfield",
            interviewed=__import__("datetime").date(2026, 11, 20),
            interviewer="me",
        )
        response = Response(checklist, provider)
        response.answer("screening", "yes", note="BP taken")
        response.answer("minutes", "unknown")
        response.updated = __import__("datetime").datetime(
            2026, 11, 23, 10, tzinfo=__import__("datetime").UTC
        )
        return response

    def test_exact_output(self) -> None:
        """Provider, author, answers with notes and the unknown answer, all as FHIR says."""
        assert {
            "resourceType": "QuestionnaireResponse",
            "contained": [
                {
                    "resourceType": "Organization",
                    "id": "provider",
                    "type": [
                        {
                            "coding": [
                                {
                                    "system": "https://ketacheck.org/fhir/CodeSystem/provider-kind",
                                    "code": "kap-practice",
                                }
                            ]
                        }
                    ],
                    "name": "Cedar",
                    "telecom": [{"system": "url", "value": "https://cedar.example.org"}],
                    "address": [{"text": "Springfield"}],
                }
            ],
            "extension": [{"url": KSD + "interviewed", "valueDate": "2026-11-20"}],
            "questionnaire": "https://ketacheck.org/fhir/Questionnaire/demo|1",
            "status": "completed",
            "subject": {"reference": "#provider", "display": "Cedar"},
            "authored": "2026-11-23T10:00:00Z",
            "author": {"display": "me"},
            "item": [
                {
                    "linkId": "before",
                    "text": "Before",
                    "item": [
                        {
                            "linkId": "screening",
                            "extension": [{"url": KSD + "note", "valueString": "BP taken"}],
                            "text": "Screened?",
                            "answer": [{"valueCoding": _coding("yes", "Yes")}],
                        },
                        {
                            "linkId": "minutes",
                            "text": "How long?",
                            "answer": [
                                {
                                    "extension": [
                                        {
                                            "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                            "valueCode": "asked-unknown",
                                        }
                                    ]
                                }
                            ],
                        },
                    ],
                }
            ],
        } == to_questionnaire_response(self._response())

    def test_items_that_do_not_apply_are_left_out_and_listed(self) -> None:
        """Stale answers, notes without answers and orphans are not written; left_out says so."""
        response = self._response()
        response.answer("screening", "no")
        response._orphans["old"] = 1
        response._orphan_notes["old"] = "n"
        qr = to_questionnaire_response(response)
        assert (["screening"], "completed") == (
            [i["linkId"] for i in qr["item"][0]["item"]],
            qr["status"],
        )
        assert (
            "answers.minutes: the item does not apply; the answer is not written",
            "answers.old: no such item; the answer is not written",
            "notes.old: no such item; the note is not written",
        ) == left_out(response)

    def test_huge_orphan_key_is_shortened(self) -> None:
        """A 20,000-character orphan id is named by its start and end only."""
        response = self._response()
        key = "o" * 20_000
        response._orphans[key] = 1
        line = f"answers.{key}: no such item; the answer is not written"
        left = len(line) - 380
        assert (
            f"{line[:300]} ... ({left:,} characters left out) ... {line[-80:]}"
            == (left_out(response)[-1])
        )

    def test_in_progress_and_naive_times(self) -> None:
        """Unanswered items make it in-progress; a time without zone keeps only its date."""
        datetime = __import__("datetime")
        response = Response(checklist_io.loads(DEMO), created=datetime.datetime(2026, 1, 2, 3, 4))
        response.answer("screening", "yes")
        response.updated = None
        qr = to_questionnaire_response(response)
        assert ("in-progress", "2026-01-02", False) == (
            qr["status"],
            qr["authored"],
            "subject" in qr,
        )

    def test_multi_and_text_answers(self) -> None:
        """A multi answer is one Coding per option; empty answers leave the item present."""
        checklist = catalog.load()
        response = Response(checklist)
        response.answer("routes", ["iv", "intranasal"])
        text = next(i.id for i in checklist.items if i.kind is ItemKind.TEXT)
        response.answer(text, "")
        response.answer("outcome-scales", [])
        items = {
            i["linkId"]: i for g in to_questionnaire_response(response)["item"] for i in g["item"]
        }
        assert ["iv", "intranasal"] == [a["valueCoding"]["code"] for a in items["routes"]["answer"]]
        assert ({"linkId", "text"}, {"linkId", "text"}) == (
            set(items[text]),
            set(items["outcome-scales"]),
        )

    def test_blank_text_is_left_out(self) -> None:
        """A blank note, text answer or provider name is written like empty text."""
        checklist = catalog.load()
        text = next(i.id for i in checklist.items if i.kind is ItemKind.TEXT)
        response = Response(checklist, Provider(name="\u00a0", interviewer=" "))
        response.answer(text, "\u3000", note="\u00a0")
        qr = to_questionnaire_response(response)
        (group,) = qr["item"]
        assert [{"linkId": text, "text": checklist.item(text).prompt}] == group["item"]
        assert not {"subject", "contained", "author"} & set(qr)


class TestRuntimeDependencies:
    """The library never imports the test-only FHIR packages."""

    def test_fhir_module_imports_neither_validator(self) -> None:
        """Importing and using ketacheck.fhir loads neither fhir.resources nor fhirpathpy."""
        code = (
            "import sys, ketacheck.fhir as f, ketacheck\n"
            "f.from_questionnaire(f.to_questionnaire(ketacheck.bundled()))\n"
            "print(sorted(m for m in sys.modules if m.startswith(('fhir', 'fhirpathpy'))))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "[]" == done.stdout.strip()
