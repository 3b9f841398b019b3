"""Verdicts you can trust (issue 13): unanswered items, min-completeness, the red-flag cap,
cautions, integer items, read-only checklists, and the comparison's explanations."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ketacheck
from ketacheck import conditions, fhir, response
from ketacheck.exceptions import AnswerError
from ketacheck.files import checklist as checklist_io
from ketacheck.interview import Interview, Outcome
from ketacheck.model import Checklist, FrozenMap, NumberBand, UnknownPolicy
from ketacheck.response import Provider
from ketacheck.scoring import Caution, RedFlag, Score, compare, score
from ketacheck.scoring._explain import verdict_note
from ketacheck.validate import lint_problems

from .strategies import checklists
from .strategies_scoring import answer_sets, answers, profiles, response_with

ROOT = Path(__file__).resolve().parents[1]

VERDICT = checklist_io.loads(
    """\
schema = 1
id = "verdict"
version = "1"
title = "Verdict rules"

[scoring]
min-completeness = 0.5
red-flag-band = "fair"
bands = [{ min = 75, label = "good" }, { min = 40, label = "fair" }, { min = 0, label = "poor" }]

[[profiles]]
id = "nothing"
weights = { screening = 0, follow-up = 0 }

[[sections]]
id = "screening"
title = "Screening"
phase = "before"

  [[sections.items]]
  id = "a"
  kind = "yes-no"
  prompt = "Screened?"
  why = "Screening finds risks."
  weight = 2
  red-flag = "No screening."
  tags = ["safety"]

  [[sections.items]]
  id = "b"
  kind = "yes-no"
  prompt = "Check-in before refills?"
  why = "Refills need a check."
  caution = "Refills without a check-in."

  [[sections.items]]
  id = "c"
  kind = "choice"
  prompt = "Evaluation?"
  options = [
    { id = "full", label = "Full", points = 1 },
    { id = "part", label = "Partial", points = 0.5, caution = "Only a partial evaluation." },
    { id = "none", label = "None", red-flag = "No evaluation." },
  ]

  [[sections.items]]
  id = "d"
  kind = "number"
  prompt = "Minutes watched?"
  unit = "minutes"
  integer = true
  min = 0
  max = 120
  points = [
    { at-least = 60, points = 1 },
    { at-least = 30, points = 0.5, caution = "A short watch." },
    { at-least = 0, points = 0, red-flag = "No watch." },
  ]

[[sections]]
id = "follow-up"
title = "Follow-up"
phase = "after"

  [[sections.items]]
  id = "e"
  kind = "yes-no"
  prompt = "Follow-up call?"
  caution = "No follow-up call."
  caution-if-unknown = true

  [[sections.items]]
  id = "f"
  kind = "yes-no"
  prompt = "Licensed?"
  red-flag = "Evasive about licences."
  red-flag-if-unknown = true
""",
    source="verdict.toml",
)
"""Six items, 7 points; a half must be answered for a verdict; red flags cap at "fair"."""

GOOD = {"a": "yes", "b": "yes", "c": "full", "d": 60, "e": "yes", "f": "yes"}


def verdict(values: dict[str, Any], checklist: Checklist = VERDICT) -> Score:
    """The score of a response to VERDICT (or a variant) holding *values*."""
    return score(response_with(checklist, values, provider="Cedar"))


def with_scoring(**changes: Any) -> Checklist:
    """VERDICT with its ``[scoring]`` table changed."""
    return attrs.evolve(VERDICT, scoring=attrs.evolve(VERDICT.effective_scoring, **changes))


class TestUnanswered:
    """An unanswered applicable item counts 0 of its maximum (default) or nothing (skip)."""

    def test_zero_in_total_and_every_breakdown(self) -> None:
        """Four of six answered: 5 of 7 points; the follow-up section is 0 of 2."""
        s = verdict({"a": "yes", "b": "yes", "c": "full", "d": 60})
        assert (5, 7, 100 * (5 / 7), "fair", ("e", "f")) == (
            s.points,
            s.max_points,
            s.percent,
            s.band,
            s.unanswered,
        )
        assert (0, 2, 0.0) == attrs.astuple(s.sections["follow-up"])
        assert (0, 2, 0.0) == attrs.astuple(s.phases["after"])
        assert (2, 2, 100.0) == attrs.astuple(s.tags["safety"])
        blank = s.items[-1]
        assert ("f", None, 0, 1, "unanswered") == (
            blank.item,
            blank.answer,
            blank.points,
            blank.max_points,
            blank.status,
        )

    def test_skip(self) -> None:
        """With unanswered = "skip" the same answers score 5 of 5."""
        s = verdict(
            {"a": "yes", "b": "yes", "c": "full", "d": 60},
            with_scoring(unanswered=UnknownPolicy.SKIP),
        )
        assert (5, 5, 100.0, "good", 0) == (
            s.points,
            s.max_points,
            s.percent,
            s.band,
            s.items[-1].max_points,
        )
        assert {"points": 0, "max_points": 0, "percent": None} == s.to_dict()["sections"][
            "follow-up"
        ]

    def test_leaving_out_a_bad_answer_does_not_help(self) -> None:
        """Dropping the answer that lost points never raises the percent."""
        full = verdict({**GOOD, "b": "no"})
        dropped = verdict({k: v for k, v in GOOD.items() if k != "b"})
        assert (6, 7) == (full.points, full.max_points)
        assert (6, 7) == (dropped.points, dropped.max_points)


class TestMinCompleteness:
    """No band below min-completeness; the score says how many more answers are needed."""

    def test_below(self) -> None:
        """One of six answered (16.7 %): no band, two more answers needed."""
        s = verdict({"a": "yes"})
        assert (None, False, 2) == (s.band, s.band_capped, s.answers_needed)
        assert (
            "No band yet: 1 of 6 applicable questions are answered (16.7%); a verdict needs "
            "50.0%, so at least 2 more answers."
        ) == verdict_note(s)

    def test_exactly_at(self) -> None:
        """Three of six answered is exactly 0.5: the band is given."""
        s = verdict({"a": "yes", "b": "yes", "c": "full"})
        assert ("fair", 0, None) == (s.band, s.answers_needed, verdict_note(s))

    def test_one_more(self) -> None:
        """Two of six: one more answer."""
        s = verdict({"a": "yes", "b": "yes"})
        assert (None, 1) == (s.band, s.answers_needed)
        assert verdict_note(s) is not None
        assert "at least 1 more answer." in str(verdict_note(s))

    def test_nothing_applies(self) -> None:
        """Completeness None gives no band, whatever min-completeness is."""
        scoring = with_scoring(min_completeness=0).effective_scoring
        assert (None, False) == scoring.verdict(100.0, None, red_flags=False)

    def test_one_is_everything(self) -> None:
        """min-completeness = 1 needs every applicable item answered."""
        checklist = with_scoring(min_completeness=1)
        five = verdict(dict(list(GOOD.items())[:5]), checklist)
        assert (None, 1) == (five.band, five.answers_needed)
        assert "good" == verdict(GOOD, checklist).band

    @pytest.mark.parametrize(
        ("answered", "applicable", "share", "expected"),
        [(0, 3, 0.75, 3), (2, 3, 0.75, 1), (3, 4, 0.75, 0), (0, 10, 0.7, 7), (5, 7, 0, 0)],
    )
    def test_answers_needed(
        self, answered: int, applicable: int, share: float, expected: int
    ) -> None:
        """The fewest further answers that reach the share, counted as the verdict counts."""
        scoring = with_scoring(min_completeness=share).effective_scoring
        assert expected == scoring.answers_needed(answered, applicable)


class TestRedFlagCap:
    """With any red flag the band is at best red-flag-band (the last band by default)."""

    def test_capped(self) -> None:
        """6 of 7 points (85.7 %, good) with one red flag: fair, capped."""
        s = verdict({**GOOD, "c": "none"})
        assert ("fair", True, "good", (RedFlag("c", "none", "No evaluation."),)) == (
            s.band,
            s.band_capped,
            s.uncapped_band,
            s.red_flags,
        )
        assert (
            'Band capped at "fair": with 1 red flag the band is at best "fair" (the points '
            'alone reach "good").'
        ) == verdict_note(s)

    def test_already_at_or_below(self) -> None:
        """A band at or below the cap is kept and not marked capped."""
        s = verdict({**GOOD, "a": "no", "b": "no"})  # 4 of 7: 57.1 %, fair
        assert ("fair", False) == (s.band, s.band_capped)
        low = verdict({"a": "no", "b": "no", "c": "none", "d": 0})  # 0 of 7: poor
        assert ("poor", False) == (low.band, low.band_capped)

    def test_default_is_the_last_band(self) -> None:
        """Without red-flag-band a red flag lowers the band to the last one."""
        s = verdict({**GOOD, "c": "none"}, with_scoring(red_flag_band=None))
        assert ("poor", True) == (s.band, s.band_capped)

    def test_no_bands(self) -> None:
        """Without bands there is nothing to cap."""
        s = verdict({**GOOD, "c": "none"}, with_scoring(bands=(), red_flag_band=None))
        assert (None, False) == (s.band, s.band_capped)

    def test_incomplete_is_not_capped(self) -> None:
        """Below min-completeness the band is none, red flags or not."""
        s = verdict({"a": "no"})
        assert (None, False, 1) == (s.band, s.band_capped, len(s.red_flags))

    def test_no_percent(self) -> None:
        """With every weight 0 there is no percent and no band."""
        s = score(response_with(VERDICT, {**GOOD, "c": "none"}), "nothing")
        assert (None, None, False) == (s.percent, s.band, s.band_capped)

    def test_cautions_do_not_cap(self) -> None:
        """Cautions alone never lower the band."""
        s = verdict({**GOOD, "b": "no", "e": "unknown"})  # 5 of 7: 71.4 %, fair
        assert ("fair", False, 2) == (s.band, s.band_capped, len(s.cautions))


class TestCautions:
    """Cautions: the same places and rules as red flags, in their own list."""

    def test_every_place(self) -> None:
        """yes-no, option, number band and caution-if-unknown, in checklist order."""
        s = verdict({"a": "yes", "b": "no", "c": "part", "d": 45, "e": "unknown", "f": "unknown"})
        assert (
            Caution("b", "no", "Refills without a check-in."),
            Caution("c", "part", "Only a partial evaluation."),
            Caution("d", 45, "A short watch."),
            Caution("e", "unknown", "No follow-up call."),
        ) == s.cautions
        # The reason of an unknown flag is the item's own text.
        assert (RedFlag("f", "unknown", "Evasive about licences."),) == s.red_flags
        assert (2 + 0.5 + 0.5, 7) == (s.points, s.max_points)

    def test_to_dict(self) -> None:
        """band_capped follows band, cautions follow red_flags (docs/json-output.md)."""
        data = verdict({**GOOD, "b": "no", "c": "none"}).to_dict()
        assert ["band", "band_capped"] == list(data)[6:8]
        assert ["red_flags", "cautions"] == list(data)[10:12]
        assert ("fair", False) == (data["band"], data["band_capped"])
        assert [{"item": "b", "answer": "no", "reason": "Refills without a check-in."}] == data[
            "cautions"
        ]

    def test_repr(self) -> None:
        """Counts in words: 1 red flag, 2 red flags, cautions when there are any."""
        assert "<Score for 'Cedar': 85.7% (fair, capped), 1 red flag, 100.0% answered>" == repr(
            verdict({**GOOD, "c": "none"})
        )
        assert "<Score for 'Cedar': 42.9% (fair), 2 red flags, 1 caution, 100.0% answered>" == repr(
            verdict({**GOOD, "a": "no", "b": "no", "c": "none"})
        )

    def test_explain(self) -> None:
        """The verdict note, red flags, then cautions, then costs with each item's why."""
        expected = """\
Cedar: 78.6% (fair), 1 red flag, 1 caution, care model undetermined, 100.0% of the \
questions answered.
Band capped at "fair": with 1 red flag the band is at best "fair" (the points alone reach "good").
Red flags (1), dealbreakers:
- c (None): No evaluation.
Cautions (1), worth raising with the provider:
- d (45 minutes): A short watch.
What cost the most weighted points, biggest first:
- c (None): lost 1 of 1 point.
- d (45 minutes): lost 0.5 of 1 point."""
        assert expected == verdict({**GOOD, "c": "none", "d": 45}).explain()


class TestFhir:
    """Cautions, caution-if-unknown, integer and the [scoring] rules survive FHIR exactly."""

    def test_round_trip(self) -> None:
        """VERDICT exported as a Questionnaire imports back equal."""
        questionnaire = fhir.to_questionnaire(VERDICT)
        assert VERDICT == fhir.from_questionnaire(questionnaire).checklist

    def test_caution_extension(self) -> None:
        """A caution is an extension beside where a red flag would be."""
        questionnaire = fhir.to_questionnaire(VERDICT)
        b = next(i for g in questionnaire["item"] for i in g["item"] if i["linkId"] == "b")
        no = next(o for o in b["answerOption"] if o["valueCoding"].get("code") == "no")
        assert {
            "url": "https://ketacheck.org/fhir/StructureDefinition/caution",
            "valueString": "Refills without a check-in.",
        } in no["extension"]

    def test_fhir_integer_item(self) -> None:
        """A FHIR integer question takes whole numbers only."""
        questionnaire = {
            "resourceType": "Questionnaire",
            "status": "draft",
            "item": [{"linkId": "n", "text": "How many?", "type": "integer"}],
        }
        assert fhir.from_questionnaire(questionnaire).checklist.item("n").integer is True


class TestFrontEnds:
    """The notebook panel and the interview summary list cautions after red flags."""

    def test_notebook_panel(self) -> None:
        """Red flags, then cautions, each with the item and answer."""
        from ketacheck.notebook import form  # noqa: PLC0415 - ipywidgets is an extra

        r = response_with(VERDICT, {**GOOD, "b": "no", "c": "none"}, provider="Cedar")
        assert (
            "<p><b>Score:</b> 71.4% (fair), 1 red flag, 1 caution, completeness 100%, "
            "care model undetermined</p><p><b>Red flags (1):</b></p><ul><li>No evaluation. "
            "<small>(c: none)</small></li></ul><p><b>Cautions (1):</b></p><ul><li>Refills "
            "without a check-in. <small>(b: no)</small></li></ul>"
        ) == form(VERDICT, response=r).panel.value

    def test_interview_summary(self) -> None:
        """The summary after the last question."""
        values = {k: v for k, v in {**GOOD, "b": "no", "c": "none"}.items() if k != "f"}
        r = response_with(VERDICT, values, provider="Cedar")
        out = io.StringIO()
        assert Outcome.FINISHED == Interview(r, stdin=io.StringIO("y\n"), stdout=out).run()
        assert out.getvalue().endswith(
            "That was the last question.\n"
            "Cedar: 71.4% (fair)\n"
            "Red flags (1):\n"
            "  - No evaluation. (c: 3 (None))\n"
            "Cautions (1):\n"
            "  - Refills without a check-in. (b: no)\n"
            "Care model: undetermined\n"
            "Completeness: 100% (6 of 6 questions answered)\n"
        )


class TestInteger:
    """integer = true: whole numbers only; 45 and 45.0 are the same answer."""

    def test_whole_float_is_the_integer(self) -> None:
        """45.0 is stored and scored as 45."""
        r = response_with(VERDICT, {"d": 45.0})
        assert (45, int) == (r.answers["d"], type(r.answers["d"]))

    def test_fraction_is_an_error(self) -> None:
        """4.5 is an error naming the item and what it accepts."""
        with pytest.raises(AnswerError) as e:
            response_with(VERDICT, {"d": 4.5})
        assert (
            'd: 4.5 is not a whole number; expected a whole number from 0 to 120 (or "unknown")'
        ) == str(e.value)


class TestUnreachableBands:
    """validate --strict reports number bands no answer can reach."""

    def _problems(self, **changes: Any) -> list[str]:
        d = attrs.evolve(VERDICT.item("d"), **changes)
        section = attrs.evolve(VERDICT.sections[0], items=(*VERDICT.sections[0].items[:3], d))
        checklist = attrs.evolve(VERDICT, sections=(section, VERDICT.sections[1]))
        return [str(p) for p in lint_problems(checklist) if ".points[" in p.path]

    def test_reachable(self) -> None:
        """VERDICT's bands are all reachable."""
        assert [] == self._problems()

    def test_above_max(self) -> None:
        """A band whose at-least is above max."""
        assert [
            (
                "sections[0].items[3].points[0].at-least: no answer reaches this band: at-least 60 "
                "is above max (50)"
            )
        ] == self._problems(max=50)

    def test_shadowed_by_min(self) -> None:
        """Every answer from min reaches an earlier band."""
        assert [
            (
                "sections[0].items[3].points[2].at-least: no answer reaches this band: every "
                "answer it would take reaches an earlier band first (at-least 30)"
            )
        ] == self._problems(min=30)

    def test_no_whole_number_between(self) -> None:
        """An integer item with no whole number between two bands' at-least."""
        bands = (NumberBand(at_least=30.5, points=1), NumberBand(at_least=30.2, points=0.5))
        assert [
            (
                "sections[0].items[3].points[1].at-least: no answer reaches this band: every "
                "answer it would take reaches an earlier band first (at-least 30.5)"
            )
        ] == self._problems(points=bands)
        assert [] == self._problems(points=bands, integer=None)


class TestImmutability:
    """Checklist objects are deeply immutable, hashable, and scores cannot go stale."""

    def test_mutation_attempts_raise(self) -> None:
        """Profile weights, renamed, the item index and attributes refuse changes."""
        checklist = ketacheck.bundled()
        with pytest.raises(TypeError):
            checklist.profiles[0].weights["screening"] = 0  # type: ignore[index]
        renamed = attrs.evolve(checklist, renamed={"old-id": checklist.items[0].id}).renamed
        assert isinstance(renamed, FrozenMap)
        with pytest.raises(TypeError):
            renamed["x"] = "y"  # type: ignore[index]
        with pytest.raises(TypeError):
            checklist._items["x"] = checklist.items[0]  # type: ignore[index]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            checklist.profiles[0].weights = {}  # type: ignore[misc]

    def test_hashable(self) -> None:
        """Equal checklists hash equal; a checklist is a dict key."""
        checklist = ketacheck.bundled()
        copy = checklist_io.loads(checklist_io.dumps(checklist))
        assert (checklist == copy, hash(checklist) == hash(copy)) == (True, True)
        assert {checklist: 1}[copy] == 1

    def test_pickle(self) -> None:
        """A checklist pickles and loads back equal, with a fresh hash."""
        checklist = ketacheck.bundled()
        hash(checklist.profiles[0].weights)
        copy = pickle.loads(pickle.dumps(checklist))  # noqa: S301 - our own object
        assert None is copy.profiles[0].weights._hash  # the hash is made afresh
        assert (checklist, hash(checklist)) == (copy, hash(copy))

    def test_scores_cannot_go_stale(self) -> None:
        """A profile with every weight 0 scores no percent, after a first score too."""
        r = response.read(ROOT / "examples" / "kap-practice.toml")
        first = score(r, "symptom-relief")
        profile = r.checklist.profile("symptom-relief")
        zero = attrs.evolve(profile, weights=dict.fromkeys((s.id for s in r.checklist.sections), 0))
        assert score(r, zero).percent is None
        assert first == score(r, "symptom-relief")
        changed = attrs.evolve(r.checklist, profiles=(zero,))
        r2 = response_with(changed, dict(r.answers))
        assert score(r2, "symptom-relief").percent is None


class TestCompare:
    """Ranking, what cost each provider most, and where providers differ most."""

    def test_ranking(self) -> None:
        """Fewest red flags, then percent (None last), then completeness; input order ties."""
        cases: list[tuple[str, dict[str, Any]]] = [
            ("flagged", {**GOOD, "c": "none"}),
            ("cautioned", {**GOOD, "b": "no", "e": "unknown"}),
            ("incomplete", {"a": "yes", "b": "yes", "c": "full"}),
            ("full", GOOD),
            ("tie", {"a": "yes", "b": "yes", "c": "full"}),
        ]
        table = compare(response_with(VERDICT, values, provider=name) for name, values in cases)
        assert ["full", "cautioned", "incomplete", "tie", "flagged"] == [
            s.provider.name for s in table.rows
        ]

    def test_percent_none_last(self) -> None:
        """A provider without a percent ranks after one with 0 %."""
        checklist = with_scoring(unanswered=UnknownPolicy.SKIP)
        zero = response_with(checklist, {"b": "no"}, provider="zero")
        none = response_with(checklist, {"a": "yes"}, provider="none")
        rows = compare([none, zero], {"screening": 0, "follow-up": 0, "b": 1}).rows
        assert [("zero", 0.0), ("none", None)] == [(s.provider.name, s.percent) for s in rows]

    def test_costs_and_differences(self) -> None:
        """Records say what cost each provider most; differences, largest first."""
        table = compare(
            [
                response_with(VERDICT, {**GOOD, "a": "no", "d": 45}, provider="A"),
                response_with(VERDICT, {**GOOD, "b": "no"}, provider="B"),
            ]
        )
        records = table.to_records()
        assert ["B", "A"] == [r["provider"] for r in records]
        assert "b (lost 1 of 1)" == records[0]["cost_most"]
        assert "a (lost 2 of 2); d (lost 0.5 of 1)" == records[1]["cost_most"]
        assert [
            {"item": "a", "difference": 2, "1. B": 2, "2. A": 0},
            {"item": "b", "difference": 1, "1. B": 0, "2. A": 1},
            {"item": "d", "difference": 0.5, "1. B": 1, "2. A": 0.5},
        ] == table.difference_records()


class TestDoneWhen:
    """Issue 13's checks on the example providers."""

    def test_six_answers_do_not_outrank_a_full_interview(self) -> None:
        """A copy of the KAP practice with 6 answers ranks below the full interview."""
        full = response.read(ROOT / "examples" / "kap-practice.toml")
        ordered = [s.item for s in score(full).items if s.status == "answered"]
        keep = ordered[:6]
        short = response_with(full.checklist, {k: full.answers[k] for k in keep}, "Six answers")
        full_score, short_score = score(full), score(short)
        assert short_score.band is None
        assert short_score.percent is not None
        assert full_score.percent is not None
        assert short_score.percent < full_score.percent
        assert ["Willow Path Psychotherapy Collective", "Six answers"] == [
            s.provider.name for s in compare([short, full]).rows
        ]

    def test_fda_claim_is_at_the_lowest_band(self) -> None:
        """The clinic that claims generic ketamine is FDA-approved is not above "weak"."""
        s = score(response.read(ROOT / "examples" / "iv-infusion-clinic.toml"))
        assert ("weak", True, "adequate") == (s.band, s.band_capped, s.uncapped_band)
        assert ("off-label-disclosure", "no") in [(f.item, f.answer) for f in s.red_flags]

    def test_bundled_scoring(self) -> None:
        """Both bundled checklists declare zero, 0.75 and their lowest band."""
        for name in ("ketamine-consumer", "quick-screen"):
            scoring = ketacheck.bundled(name).effective_scoring
            assert (UnknownPolicy.ZERO, 0.75, scoring.bands[-1].label) == (
                scoring.unanswered,
                scoring.min_completeness,
                scoring.red_flag_band,
            )


def _free_items(checklist: Checklist) -> list[str]:
    named = {
        i for item in checklist.items if item.when for i in conditions.referenced_items(item.when)
    }
    return [i.id for i in checklist.items if i.id not in named]


class TestProperties:
    """Issue 13's invariants, over random checklists, answers and profiles."""

    @given(st.data())
    def test_answering_never_lowers_the_percent(self, data: st.DataObject) -> None:
        """With unknown and unanswered "zero", answering an unnamed item never lowers it."""
        checklist = data.draw(checklists())
        checklist = attrs.evolve(
            checklist,
            scoring=attrs.evolve(
                checklist.effective_scoring,
                unknown=UnknownPolicy.ZERO,
                unanswered=UnknownPolicy.ZERO,
            ),
        )
        free = _free_items(checklist)
        assume(free)
        item_id = data.draw(st.sampled_from(free))
        values = data.draw(answer_sets(checklist))
        values.pop(item_id, None)
        multipliers = data.draw(st.none() | profiles(checklist))
        before = score(response_with(checklist, values), multipliers)
        answer = data.draw(answers(checklist.item(item_id)))
        after = score(response_with(checklist, {**values, item_id: answer}), multipliers)
        if before.percent is not None:
            assert after.percent is not None
            assert before.percent <= after.percent

    @given(st.data())
    def test_band_respects_the_rules(self, data: st.DataObject) -> None:
        """Red flags: never above red-flag-band; below min-completeness: none."""
        checklist = data.draw(checklists())
        s = score(response_with(checklist, data.draw(answer_sets(checklist))))
        scoring = checklist.effective_scoring
        labels = [b.label for b in scoring.bands]
        if s.completeness is None or s.completeness < scoring.min_completeness:
            assert (None, False) == (s.band, s.band_capped)
        if s.red_flags and s.band is not None:
            cap = scoring.red_flag_band or labels[-1]
            cap_index = len(labels) - 1 - labels[::-1].index(cap)
            assert s.band in labels[cap_index:]

    @given(st.data())
    def test_cautions_never_change_points(self, data: st.DataObject) -> None:
        """The same answers without any caution score the same points and band."""
        checklist = data.draw(checklists())
        values = data.draw(answer_sets(checklist))
        plain = _without_cautions(checklist)
        s, t = score(response_with(checklist, values)), score(response_with(plain, values))
        assert (s.points, s.max_points, s.percent, s.band, s.red_flags) == (
            t.points,
            t.max_points,
            t.percent,
            t.band,
            t.red_flags,
        )
        assert () == t.cautions


def _without_cautions(checklist: Checklist) -> Checklist:
    sections = []
    for section in checklist.sections:
        items = []
        for item in section.items:
            options = item.options and tuple(attrs.evolve(o, caution=None) for o in item.options)
            points = item.points and tuple(attrs.evolve(b, caution=None) for b in item.points)
            items.append(
                attrs.evolve(
                    item, caution=None, caution_if_unknown=None, options=options, points=points
                )
            )
        sections.append(attrs.evolve(section, items=tuple(items)))
    return attrs.evolve(checklist, sections=tuple(sections))


def test_provider_of_scores() -> None:
    """Scores keep the response's provider."""
    assert Provider(name="Cedar") == verdict(GOOD).provider
