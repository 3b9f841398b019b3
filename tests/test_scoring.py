"""Tests for ketacheck.scoring: the rules of DESIGN §5, hand-computed and as properties."""

from __future__ import annotations

import gc
import math
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ketacheck
from ketacheck import conditions, response
from ketacheck.exceptions import (
    ChecklistError,
    KetacheckError,
    MissingDependencyError,
    UnknownProfileError,
)
from ketacheck.files import checklist as checklist_io
from ketacheck.model import Checklist, Profile, UnknownPolicy
from ketacheck.response import Provider, ProviderKind, Response
from ketacheck.scoring import (
    CareModel,
    Comparison,
    ItemScore,
    RedFlag,
    Score,
    Subtotal,
    applicable,
    compare,
    score,
)
from ketacheck.scoring._plan import _PLANS

from .strategies import checklists
from .strategies_scoring import answer_sets, answers, profiles, real_answers, response_with

ROOT = Path(__file__).resolve().parents[1]
PHQ9 = checklist_io.read(ROOT / "tests" / "data" / "phq9.toml")

KINDS = checklist_io.loads(
    """\
schema = 1
id = "kinds"
version = "1"
title = "One item of each kind"

[scoring]
# These tests score one item kind at a time: unanswered items are left out of the totals, and
# red flags lower the band no further than "fair" (tests/test_verdict.py tests the defaults).
unanswered = "skip"
red-flag-band = "fair"
bands = [{ min = 75, label = "good" }, { min = 40, label = "fair" }, { min = 0, label = "poor" }]

[[profiles]]
id = "care"
weights = { before = 2, mu = 0.5 }

[[sections]]
id = "before"
title = "Before"
phase = "before"

  [[sections.items]]
  id = "yn"
  kind = "yes-no"
  prompt = "Screened?"
  why = "Screening finds risks."
  weight = 2
  red-flag = "Not screened."
  tags = ["safety"]

  [[sections.items]]
  id = "pay"
  kind = "yes-no"
  prompt = "Pay up front?"
  why = "Paying first creates pressure."
  good = "no"
  red-flag = "Pays up front."
  tags = ["cost"]

  [[sections.items]]
  id = "ch"
  kind = "choice"
  prompt = "Evaluation?"
  why = "A full evaluation is the standard."
  weight = 3
  tags = ["safety"]
  options = [
    { id = "full", label = "Full", points = 1 },
    { id = "part", label = "Partial", points = 0.5 },
    { id = "none", label = "None", red-flag = "No evaluation." },
  ]

[[sections]]
id = "during"
title = "During"
phase = "during"

  [[sections.items]]
  id = "mu"
  kind = "multi"
  prompt = "Safeguards?"
  weight = 2
  max-points = 1.5
  tags = ["safety", "dose"]
  options = [
    { id = "x", label = "X", points = 1 },
    { id = "y", label = "Y", points = 1 },
    { id = "z", label = "Z", points = 0.5 },
    { id = "bad", label = "Bad", red-flag = "Bad route." },
    { id = "worse", label = "Worse", red-flag = "Worse route." },
  ]

  [[sections.items]]
  id = "mu2"
  kind = "multi"
  prompt = "Extras?"
  weight = 4
  tags = ["dose"]
  options = [{ id = "p", label = "P", points = 0.5 }, { id = "q", label = "Q", points = 0.25 }]

  [[sections.items]]
  id = "num"
  kind = "number"
  prompt = "Minutes watched?"
  why = "Watching catches problems."
  unit = "minutes"
  min = 0
  max = 300
  weight = 2
  tags = ["dose"]
  points = [
    { at-least = 60, points = 1 },
    { at-least = 30, points = 0.5 },
    { at-least = 10, points = 0.25, red-flag = "Too short." },
  ]

[[sections]]
id = "general"
title = "General"

  [[sections.items]]
  id = "txt"
  kind = "text"
  prompt = "Anything else?"

  [[sections.items]]
  id = "info"
  kind = "choice"
  prompt = "Insurance?"
  weight = 0
  options = [{ id = "a", label = "A" }, { id = "b", label = "B" }]

  [[sections.items]]
  id = "rfu"
  kind = "yes-no"
  prompt = "Licensed?"
  why = "Licences are checked."
  red-flag-if-unknown = true
""",
    source="kinds.toml",
)
KINDS_SKIP = attrs.evolve(
    KINDS, scoring=attrs.evolve(KINDS.effective_scoring, unknown=UnknownPolicy.SKIP)
)

# Every item answered; hand-computed below.
CASE_A: dict[str, Any] = {
    "yn": "yes",  # 1 x 2 = 2 of 2
    "pay": "yes",  # 0 of 1, red flag
    "ch": "part",  # 0.5 x 3 = 1.5 of 3
    "mu": ["x", "y", "bad"],  # 2 capped at 1.5, x 2 = 3 of 3, red flag "bad"
    "mu2": ["q"],  # 0.25 x 4 = 1 of 3
    "num": 45,  # 0.5 x 2 = 1 of 2
    "txt": "hi",  # 0 of 0
    "info": "a",  # 0 of 0
    "rfu": "unknown",  # 0 of 1, red flag
}
CASE_A_FLAGS = (
    RedFlag("pay", "yes", "Pays up front."),
    RedFlag("mu", "bad", "Bad route."),
    RedFlag("rfu", "unknown", "The provider could not or would not answer: Licensed?"),
)


def kinds(values: dict[str, Any], checklist: Checklist = KINDS, name: str = "Cedar") -> Response:
    """A response to KINDS (or a variant) holding *values*."""
    return response_with(checklist, values, provider=name)


class TestKinds:
    """Points, maxima, weights and red flags of every item kind (case A, by hand)."""

    def test_totals(self) -> None:
        """8.5 of 15 points: 56.7 %, band fair, complete, undetermined care model."""
        s = score(kinds(CASE_A))
        assert (8.5, 15, 100 * (8.5 / 15), "fair", 1.0, CareModel.UNDETERMINED) == (
            s.points,
            s.max_points,
            s.percent,
            s.band,
            s.completeness,
            s.care_model,
        )
        assert (CASE_A_FLAGS, ("rfu",), ()) == (s.red_flags, s.unknown, s.unanswered)
        assert ("kinds", "1", Provider(name="Cedar"), None) == (
            s.checklist_id,
            s.checklist_version,
            s.provider,
            s.profile,
        )

    def test_items(self) -> None:
        """Each applicable item's weighted contribution, in checklist order."""
        expected = (
            ItemScore(item="yn", answer="yes", points=2, max_points=2, weight=2, status="answered"),
            ItemScore(
                item="pay", answer="yes", points=0, max_points=1, weight=1, status="answered"
            ),
            ItemScore(
                item="ch", answer="part", points=1.5, max_points=3, weight=3, status="answered"
            ),
            ItemScore(
                item="mu",
                answer=("x", "y", "bad"),
                points=3,
                max_points=3,
                weight=2,
                status="answered",
            ),
            ItemScore(
                item="mu2", answer=("q",), points=1, max_points=3, weight=4, status="answered"
            ),
            ItemScore(item="num", answer=45, points=1, max_points=2, weight=2, status="answered"),
            ItemScore(item="txt", answer="hi", points=0, max_points=0, weight=0, status="answered"),
            ItemScore(item="info", answer="a", points=0, max_points=0, weight=0, status="answered"),
            ItemScore(
                item="rfu", answer="unknown", points=0, max_points=1, weight=1, status="unknown"
            ),
        )
        assert expected == score(kinds(CASE_A)).items

    def test_breakdown(self) -> None:
        """Sections, phases and tags repeat the sums, in checklist order."""
        s = score(kinds(CASE_A))
        assert {
            "before": Subtotal(3.5, 6, 100 * (3.5 / 6)),
            "during": Subtotal(5, 8, 62.5),
            "general": Subtotal(0, 1, 0.0),
        } == dict(s.sections)
        assert ["before", "during", "general"] == list(s.phases)
        assert dict(s.sections) == dict(s.phases)
        assert {
            "safety": Subtotal(6.5, 8, 81.25),
            "cost": Subtotal(0, 1, 0.0),
            "dose": Subtotal(5, 8, 62.5),
        } == dict(s.tags)

    def test_to_dict(self) -> None:
        """to_dict is exactly the documented JSON object."""
        expected = {
            "checklist": "kinds",
            "checklist_version": "1",
            "provider": "Cedar",
            "points": 8.5,
            "max_points": 15,
            "percent": 100 * (8.5 / 15),
            "band": "fair",
            "band_capped": False,
            "completeness": 1.0,
            "care_model": "undetermined",
            "red_flags": [
                {"item": "pay", "answer": "yes", "reason": "Pays up front."},
                {"item": "mu", "answer": "bad", "reason": "Bad route."},
                {
                    "item": "rfu",
                    "answer": "unknown",
                    "reason": "The provider could not or would not answer: Licensed?",
                },
            ],
            "cautions": [],
            "unknown": ["rfu"],
            "unanswered": [],
            "sections": {
                "before": {"points": 3.5, "max_points": 6, "percent": 100 * (3.5 / 6)},
                "during": {"points": 5, "max_points": 8, "percent": 62.5},
                "general": {"points": 0, "max_points": 1, "percent": 0.0},
            },
            "phases": {
                "before": {"points": 3.5, "max_points": 6, "percent": 100 * (3.5 / 6)},
                "during": {"points": 5, "max_points": 8, "percent": 62.5},
                "general": {"points": 0, "max_points": 1, "percent": 0.0},
            },
            "tags": {
                "safety": {"points": 6.5, "max_points": 8, "percent": 81.25},
                "cost": {"points": 0, "max_points": 1, "percent": 0.0},
                "dose": {"points": 5, "max_points": 8, "percent": 62.5},
            },
        }
        actual = score(kinds(CASE_A)).to_dict()
        assert expected == actual
        assert list(expected) == list(actual)

    @pytest.mark.parametrize(
        ("answer", "points", "flag"),
        [("yes", 1, None), ("no", 0, "Not screened."), ("unknown", 0, None)],
    )
    def test_yes_no(self, answer: str, points: float, flag: str | None) -> None:
        """yes-no: the good answer earns 1; the other raises the item's red flag."""
        s = score(kinds({"yn": answer}))
        assert (points * 2, 2) == (s.points, s.max_points)
        assert (() if flag is None else (RedFlag("yn", answer, flag),)) == s.red_flags

    def test_good_no(self) -> None:
        """With good = "no", "no" earns the point and "yes" is flagged."""
        assert (1, ()) == (
            score(kinds({"pay": "no"})).points,
            score(kinds({"pay": "no"})).red_flags,
        )
        assert (RedFlag("pay", "yes", "Pays up front."),) == score(kinds({"pay": "yes"})).red_flags

    @pytest.mark.parametrize(("answer", "points"), [("full", 3), ("part", 1.5), ("none", 0)])
    def test_choice(self, answer: str, points: float) -> None:
        """choice: the option's points; its maximum is the highest option's."""
        s = score(kinds({"ch": answer}))
        assert (points, 3) == (s.points, s.max_points)

    def test_choice_red_flag(self) -> None:
        """A flagged option raises its red flag."""
        assert (RedFlag("ch", "none", "No evaluation."),) == score(kinds({"ch": "none"})).red_flags

    @pytest.mark.parametrize(
        ("answer", "points"),
        [([], 0), (["z"], 1), (["x"], 2), (["x", "z"], 3), (["x", "y", "z"], 3), (["bad"], 0)],
    )
    def test_multi_capped(self, answer: list[str], points: float) -> None:
        """multi: the sum of the options' points, capped at max-points (1.5 x weight 2)."""
        s = score(kinds({"mu": answer}))
        assert (points, 3) == (s.points, s.max_points)

    def test_multi_maximum_without_cap(self) -> None:
        """Without max-points the maximum is the sum of positive option points."""
        s = score(kinds({"mu2": ["p", "q"]}))
        assert (3, 3) == (s.points, s.max_points)

    def test_multi_flags_each_selected_option(self) -> None:
        """One red flag per selected flagged option, in the options' order."""
        s = score(kinds({"mu": ["worse", "x", "bad"]}))
        expected = (RedFlag("mu", "bad", "Bad route."), RedFlag("mu", "worse", "Worse route."))
        assert expected == s.red_flags

    @pytest.mark.parametrize(
        ("answer", "points", "flagged"),
        [
            (300, 2, False),
            (60, 2, False),
            (59.5, 1, False),
            (30, 1, False),
            (10, 0.5, True),
            (9.99, 0, False),
            (0, 0, False),
        ],
    )
    def test_number_bands(self, answer: float, points: float, flagged: bool) -> None:
        """number: the first band reached; below every band earns 0 and raises nothing."""
        s = score(kinds({"num": answer}))
        assert (points, 2) == (s.points, s.max_points)
        assert ((RedFlag("num", answer, "Too short."),) if flagged else ()) == s.red_flags

    def test_text_and_informational(self) -> None:
        """Text and weight-0 items score nothing but count as answered."""
        s = score(kinds({"txt": "", "info": "b"}))
        assert (0, 0, None, None) == (s.points, s.max_points, s.percent, s.band)
        assert 2 / 9 == s.completeness

    def test_red_flag_if_unknown(self) -> None:
        """An unknown answer raises red-flag-if-unknown; a real one does not."""
        assert CASE_A_FLAGS[2:] == score(kinds({"rfu": "unknown"})).red_flags
        assert () == score(kinds({"rfu": "no"})).red_flags

    def test_unknown_without_flag(self) -> None:
        """An unknown answer scores 0 of its maximum and raises nothing by itself."""
        s = score(kinds({"ch": "unknown", "yn": "yes"}))
        assert (2, 5, (), ("ch",)) == (s.points, s.max_points, s.red_flags, s.unknown)

    def test_red_flags_never_change_points(self) -> None:
        """A flagged answer scores exactly as an unflagged answer with the same points."""
        flagged = score(kinds({"mu": ["x", "bad"]}))
        clean = score(kinds({"mu": ["x"]}))
        assert (flagged.points, flagged.max_points) == (clean.points, clean.max_points)


class TestUnknownSkip:
    """unknown = "skip": unknown answers count for nothing but are still listed and flagged."""

    def test_case_a(self) -> None:
        """Case A loses the unknown item's maximum: 8.5 of 14."""
        s = score(kinds(CASE_A, KINDS_SKIP))
        assert (8.5, 14, 100 * (8.5 / 14), 1.0, ("rfu",), CASE_A_FLAGS) == (
            s.points,
            s.max_points,
            s.percent,
            s.completeness,
            s.unknown,
            s.red_flags,
        )
        assert (
            ItemScore(
                item="rfu", answer="unknown", points=0, max_points=0, weight=1, status="unknown"
            )
            == s.items[-1]
        )

    def test_only_unknowns(self) -> None:
        """Only unknown answers: no maximum, so no percent, yet complete as far as answered."""
        s = score(kinds({"yn": "unknown", "ch": "unknown"}, KINDS_SKIP))
        assert (0, 0, None, None, ("yn", "ch")) == (
            s.points,
            s.max_points,
            s.percent,
            s.band,
            s.unknown,
        )


class TestProfiles:
    """Profile multipliers: item id first, else section id, else 1."""

    def test_named(self) -> None:
        """Profile "care": before x2, mu x0.5 gives 10.5 of 19.5."""
        s = score(kinds(CASE_A), "care")
        assert (10.5, 19.5, "care") == (s.points, s.max_points, s.profile)
        assert [4, 2, 6, 1, 4, 2, 0, 0, 1] == [i.weight for i in s.items]

    def test_profile_object(self) -> None:
        """The checklist's own Profile object works like its id."""
        by_object = score(kinds(CASE_A), KINDS.profiles[0])
        assert score(kinds(CASE_A), "care") == by_object

    def test_ad_hoc_item_beats_section(self) -> None:
        """An item's multiplier replaces its section's: 11 of 22."""
        s = score(kinds(CASE_A), {"ch": 0, "during": 3, "mu": 1})
        assert (11, 22, None) == (s.points, s.max_points, s.profile)
        assert [2, 1, 0, 2, 12, 6, 0, 0, 1] == [i.weight for i in s.items]

    def test_foreign_profile_object(self) -> None:
        """A Profile the checklist does not hold is checked and used; its id is reported."""
        s = score(kinds(CASE_A), Profile(id="mine", weights={"general": 2}))
        assert (8.5, 16, "mine") == (s.points, s.max_points, s.profile)

    def test_unknown_profile_id(self) -> None:
        """An unknown profile id is an UnknownProfileError listing the known ones."""
        with pytest.raises(UnknownProfileError) as e:
            score(kinds(CASE_A), "nope")
        assert "checklist 'kinds' has no profile 'nope' (known: care)" == str(e.value)

    def test_bad_ad_hoc_profile(self) -> None:
        """Unknown ids and bad multipliers are reported together."""
        bad = {"yn": -1, "beforee": 2, "ch": math.inf, "num": True, "mu": "2"}
        with pytest.raises(ChecklistError) as e:
            score(kinds(CASE_A), bad)  # type: ignore[arg-type]
        expected = """\
profile: 5 problems
  weights.yn: must be >= 0, got -1
  weights.beforee: no section or item has the id "beforee" (did you mean "before"?)
  weights.ch: expected a finite number, got inf
  weights.num: expected a number, got a boolean (true)
  weights.mu: expected a number, got a string ("2")"""
        assert expected == str(e.value)

    def test_ad_hoc_profile_limits(self) -> None:
        """Multipliers above 1,000,000, or too large for a float, are refused: no inf, no NaN."""
        with pytest.raises(ChecklistError) as e:
            score(kinds(CASE_A), {"yn": 1e7, "ch": 10**309})
        assert [
            "weights.yn: must be at most 1,000,000, got 10000000",
            f"weights.ch: expected a finite number, got {10**309}",
        ] == [str(p) for p in e.value.problems]

    def test_bad_profile_object(self) -> None:
        """A foreign Profile object is checked too, and named in the error."""
        with pytest.raises(ChecklistError) as e:
            score(kinds(CASE_A), Profile(id="mine", weights={"zzz": 1}))
        assert 'profile "mine": weights.zzz: no section or item has the id "zzz"' == str(e.value)

    def test_bundled_profiles(self) -> None:
        """Every bundled profile scores the examples."""
        r = response.read(ROOT / "examples" / "kap-practice.toml")
        for p in BUNDLED.profiles:
            assert p.id == score(r, p.id).profile


BUNDLED = ketacheck.bundled()


class TestBands:
    """The band is the first whose min the percent reaches."""

    CHECKLIST = checklist_io.loads(
        """\
schema = 1
id = "bands"
version = "1"
title = "Bands"

[scoring]
bands = [{ min = 75, label = "good" }, { min = 40, label = "fair" }, { min = 0, label = "poor" }]

[[sections]]
id = "s"
title = "S"
"""
        + "".join(
            f'\n  [[sections.items]]\n  id = "q{n}"\n  kind = "yes-no"\n  prompt = "Q{n}?"\n'
            for n in range(20)
        )
    )

    @pytest.mark.parametrize(
        ("yes", "asked", "band"),
        [
            (15, 20, "good"),
            (14, 19, "fair"),
            (8, 20, "fair"),
            (7, 18, "poor"),
            (0, 20, "poor"),
            (20, 20, "good"),
        ],
    )
    def test_band(self, yes: int, asked: int, band: str) -> None:
        """75 % is good, 73.7 % fair, 40 % fair, 38.9 % poor, 0 % poor, 100 % good."""
        values = {f"q{n}": "yes" if n < yes else "no" for n in range(asked)}
        assert band == score(response_with(self.CHECKLIST, values)).band

    def test_no_bands(self) -> None:
        """Without bands the band is None."""
        assert score(response_with(PHQ9, {"sleep": "several-days"})).band is None


class TestCompleteness:
    """completeness = answered applicable items / applicable items."""

    def test_partial(self) -> None:
        """Empty multi and empty text are answers; unknown counts as answered."""
        s = score(kinds({"mu": [], "txt": "", "yn": "unknown"}))
        assert (3 / 9, ("pay", "ch", "mu2", "num", "info", "rfu")) == (
            s.completeness,
            s.unanswered,
        )

    def test_empty(self) -> None:
        """Nothing answered: every applicable item is unanswered and contributes nothing."""
        s = score(kinds({}))
        assert (0.0, 0, 0, None, None) == (
            s.completeness,
            s.points,
            s.max_points,
            s.percent,
            s.band,
        )
        assert 9 == len(s.unanswered)
        assert {"unanswered"} == {i.status for i in s.items}


CONDITIONS = checklist_io.loads(
    """\
schema = 1
id = "conditions"
version = "1"
title = "Every condition form"

[[sections]]
id = "gates"
title = "Gates"
phase = "before"

  [[sections.items]]
  id = "g-yn"
  kind = "yes-no"
  prompt = "Gate?"
  weight = 0

  [[sections.items]]
  id = "g-ch"
  kind = "choice"
  prompt = "Choice gate?"
  weight = 0
  options = [{ id = "a", label = "A" }, { id = "b", label = "B" }, { id = "c", label = "C" }]

  [[sections.items]]
  id = "g-mu"
  kind = "multi"
  prompt = "Multi gate?"
  weight = 0
  options = [{ id = "a", label = "A" }, { id = "b", label = "B" }]

  [[sections.items]]
  id = "g-num"
  kind = "number"
  prompt = "Number gate?"
  weight = 0
  min = 0
  max = 10

[[sections]]
id = "dependent"
title = "Dependent"
phase = "during"

  [[sections.items]]
  id = "is-yes"
  kind = "yes-no"
  prompt = "Is?"
  red-flag = "Stale flag."
  when = { item = "g-yn", is = "yes" }

  [[sections.items]]
  id = "includes-a"
  kind = "yes-no"
  prompt = "Includes?"
  when = { item = "g-mu", includes = "a" }

  [[sections.items]]
  id = "any-ab"
  kind = "yes-no"
  prompt = "Any of?"
  when = { item = "g-ch", any-of = ["a", "b"] }

  [[sections.items]]
  id = "any-mu"
  kind = "yes-no"
  prompt = "Any of a multi?"
  when = { item = "g-mu", any-of = ["b"] }

  [[sections.items]]
  id = "at-least-5"
  kind = "yes-no"
  prompt = "At least?"
  when = { item = "g-num", at-least = 5 }

  [[sections.items]]
  id = "below-5"
  kind = "yes-no"
  prompt = "Below?"
  when = { item = "g-num", below = 5 }

  [[sections.items]]
  id = "answered"
  kind = "yes-no"
  prompt = "Answered?"
  when = { item = "g-ch", answered = true }

  [[sections.items]]
  id = "unanswered"
  kind = "yes-no"
  prompt = "Unanswered?"
  when = { item = "g-ch", answered = false }

  [[sections.items]]
  id = "all"
  kind = "yes-no"
  prompt = "All?"
  when = { all = [{ item = "g-yn", is = "yes" }, { item = "g-mu", includes = "b" }] }

  [[sections.items]]
  id = "any"
  kind = "yes-no"
  prompt = "Any?"
  when = { any = [{ item = "g-yn", is = "yes" }, { item = "g-num", at-least = 8 }] }

  [[sections.items]]
  id = "not"
  kind = "yes-no"
  prompt = "Not?"
  when = { not = { item = "g-yn", is = "yes" } }

  [[sections.items]]
  id = "chained"
  kind = "yes-no"
  prompt = "Chained?"
  when = { item = "is-yes", is = "yes" }
""",
    source="conditions.toml",
)
GATES = ("g-yn", "g-ch", "g-mu", "g-num")


class TestApplicability:
    """Every condition form, and the cascade in checklist order."""

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            ({}, ["unanswered", "not"]),
            ({"g-yn": "yes"}, ["is-yes", "unanswered", "any"]),
            ({"g-yn": "unknown"}, ["unanswered", "not"]),
            ({"g-ch": "c"}, ["answered", "not"]),
            ({"g-ch": "a"}, ["any-ab", "answered", "not"]),
            ({"g-ch": "unknown"}, ["answered", "not"]),
            ({"g-mu": ["a"]}, ["includes-a", "unanswered", "not"]),
            ({"g-mu": ["b"], "g-yn": "yes"}, ["is-yes", "any-mu", "unanswered", "all", "any"]),
            ({"g-mu": "unknown"}, ["unanswered", "not"]),
            ({"g-num": 5}, ["at-least-5", "unanswered", "not"]),
            ({"g-num": 4.5}, ["below-5", "unanswered", "not"]),
            ({"g-num": "unknown"}, ["unanswered", "not"]),
            ({"g-num": 9}, ["at-least-5", "unanswered", "any", "not"]),
            ({"g-yn": "yes", "is-yes": "yes"}, ["is-yes", "unanswered", "any", "chained"]),
            ({"g-yn": "no", "is-yes": "yes"}, ["unanswered", "not"]),
        ],
    )
    def test_applicable(self, values: dict[str, Any], expected: list[str]) -> None:
        """The dependent items that apply for each set of answers."""
        r = response_with(CONDITIONS, values)
        items = applicable(CONDITIONS, r.answers)
        assert [*GATES, *expected] == [i.id for i in items]
        assert [*GATES, *expected] == [i.item for i in score(r).items]

    def test_stale_answers_count_for_nothing(self) -> None:
        """Answers to items that no longer apply: no points, flags, or listing anywhere."""
        r = response_with(CONDITIONS, {"g-yn": "no", "is-yes": "no", "chained": "unknown"})
        s = score(r)
        # The unanswered applicable items "unanswered" and "not" (weight 1; the gates weigh 0)
        # count 0 of 1 each; the stale answers count for nothing.
        assert ((), (), 0, 2) == (s.red_flags, s.unknown, s.points, s.max_points)
        assert ("g-ch", "g-mu", "g-num", "unanswered", "not") == s.unanswered
        assert {"is-yes": "no", "chained": "unknown", "g-yn": "no"} == dict(r.answers)

    def test_live_answers_do_count(self) -> None:
        """The same answers count once their item applies."""
        s = score(response_with(CONDITIONS, {"g-yn": "yes", "is-yes": "no", "any": "unknown"}))
        assert ((RedFlag("is-yes", "no", "Stale flag."),), ("any",)) == (
            s.red_flags,
            s.unknown,
        )

    def test_applicable_on_a_plain_mapping(self) -> None:
        """applicable() takes any mapping of answers."""
        assert "is-yes" in [i.id for i in applicable(CONDITIONS, {"g-yn": "yes"})]


CARE = checklist_io.loads(
    """\
schema = 1
id = "care"
version = "1"
title = "Care model"

[[sections]]
id = "prep"
title = "Prep"
phase = "before"

  [[sections.items]]
  id = "prep"
  kind = "choice"
  prompt = "Therapy before?"
  tags = ["therapy"]
  options = [
    { id = "therapist", label = "Therapist", points = 1 },
    { id = "coach", label = "Coach" },
  ]

[[sections]]
id = "dose"
title = "Dose"
phase = "during"

  [[sections.items]]
  id = "with"
  kind = "yes-no"
  prompt = "Therapist during?"
  tags = ["therapy"]

  [[sections.items]]
  id = "notes"
  kind = "text"
  prompt = "What happens during?"
  tags = ["therapy"]

  [[sections.items]]
  id = "gate"
  kind = "yes-no"
  prompt = "Guided sessions offered?"
  weight = 0

  [[sections.items]]
  id = "guided"
  kind = "yes-no"
  prompt = "Guided?"
  weight = 0
  tags = ["therapy"]
  when = { item = "gate", is = "yes" }

[[sections]]
id = "after"
title = "After"
phase = "after"

  [[sections.items]]
  id = "integ"
  kind = "choice"
  prompt = "Integration?"
  tags = ["therapy"]
  options = [{ id = "included", label = "Included", points = 1 }, { id = "none", label = "None" }]

[[sections]]
id = "misc"
title = "Misc"

  [[sections.items]]
  id = "misc-therapy"
  kind = "yes-no"
  prompt = "Therapy in general?"
  tags = ["therapy"]
""",
    source="care.toml",
)


class TestCareModel:
    """The care model from therapy-tagged items in the before, during and after phases."""

    @pytest.mark.parametrize(
        ("values", "model"),
        [
            ({}, CareModel.UNDETERMINED),
            ({"with": "yes"}, CareModel.PSYCHOTHERAPY_INTEGRATED),
            ({"with": "yes", "prep": "therapist"}, CareModel.PSYCHOTHERAPY_INTEGRATED),
            ({"with": "no"}, CareModel.MEDICATION_ONLY),
            ({"with": "no", "prep": "coach", "integ": "none"}, CareModel.MEDICATION_ONLY),
            ({"with": "no", "prep": "unknown"}, CareModel.MEDICATION_ONLY),
            ({"with": "no", "prep": "therapist"}, CareModel.THERAPY_SUPPORTED),
            ({"integ": "included"}, CareModel.THERAPY_SUPPORTED),
            ({"with": "unknown", "integ": "none"}, CareModel.UNDETERMINED),
            ({"notes": "We talk."}, CareModel.UNDETERMINED),
            ({"misc-therapy": "yes"}, CareModel.UNDETERMINED),
            ({"misc-therapy": "yes", "with": "no"}, CareModel.MEDICATION_ONLY),
            ({"gate": "yes", "guided": "yes"}, CareModel.PSYCHOTHERAPY_INTEGRATED),
            ({"gate": "no", "guided": "yes"}, CareModel.UNDETERMINED),
        ],
    )
    def test_model(self, values: dict[str, Any], model: CareModel) -> None:
        """Integrated beats supported beats medication-only; too little is undetermined."""
        assert model == score(response_with(CARE, values)).care_model

    def test_values(self) -> None:
        """The care models' string values."""
        expected = [
            "medication-only",
            "therapy-supported",
            "psychotherapy-integrated",
            "undetermined",
        ]
        assert expected == [m.value for m in CareModel]


class TestPhq9:
    """Integer points and weights reproduce a plain sum: the published PHQ-9 totals."""

    LEVELS = ("not-at-all", "several-days", "more-than-half", "nearly-every-day")
    SYMPTOMS = tuple(i.id for i in PHQ9.items[:9])

    @pytest.mark.parametrize(
        ("levels", "total"),
        [
            ((0,) * 9, 0),
            ((3,) * 9, 27),
            ((0, 1, 2, 3, 0, 1, 2, 3, 0), 12),
            ((3, 2, 1, 0, 3, 2, 1, 0, 3), 15),
        ],
    )
    def test_total(self, levels: tuple[int, ...], total: int) -> None:
        """The total equals the published one, exactly and as an integer, of 27."""
        values: dict[str, Any] = {
            i: self.LEVELS[n] for i, n in zip(self.SYMPTOMS, levels, strict=True)
        }
        values["difficulty"] = "very-difficult"
        s = score(response_with(PHQ9, values))
        assert (total, 27) == (s.points, s.max_points)
        assert (int, int) == (type(s.points), type(s.max_points))

    @given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
    def test_any_answers(self, levels: list[int]) -> None:
        """Any answers sum exactly."""
        values = {i: self.LEVELS[n] for i, n in zip(self.SYMPTOMS, levels, strict=True)}
        assert sum(levels) == score(response_with(PHQ9, values)).points


class TestProperties:
    """The invariants of DESIGN §5, over random checklists, answers and profiles."""

    @given(st.data())
    def test_percent_within_bounds(self, data: st.DataObject) -> None:
        """0 <= points <= max_points and percent within [0, 100], everywhere."""
        checklist = data.draw(checklists())
        values = data.draw(answer_sets(checklist))
        multipliers = data.draw(st.none() | profiles(checklist))
        s = score(response_with(checklist, values), multipliers)
        totals = [Subtotal(s.points, s.max_points, s.percent)]
        for subtotal in [*totals, *s.sections.values(), *s.phases.values(), *s.tags.values()]:
            assert 0 <= subtotal.points <= subtotal.max_points
            if subtotal.max_points == 0:
                assert subtotal.percent is None
            else:
                assert subtotal.percent is not None
                assert 0 <= subtotal.percent <= 100
        if s.completeness is not None:
            assert 0 <= s.completeness <= 1

    @given(st.data())
    def test_more_points_never_lower_the_percent(self, data: st.DataObject) -> None:
        """Raising one answer's points (same maximum) never lowers the percent."""
        checklist = data.draw(checklists())
        named = {
            i
            for item in checklist.items
            if item.when
            for i in conditions.referenced_items(item.when)
        }
        free = [i for i in checklist.items if i.id not in named]
        assume(free)
        item = data.draw(st.sampled_from(free))
        values = data.draw(answer_sets(checklist))
        multipliers = data.draw(st.none() | profiles(checklist))
        first, second = data.draw(answers(item)), data.draw(answers(item))
        scores = [
            score(response_with(checklist, {**values, item.id: v}), multipliers)
            for v in (first, second)
        ]
        mine = [next((i for i in s.items if i.item == item.id), None) for s in scores]
        assume(mine[0] is not None and mine[1] is not None)
        low, high = sorted(zip(mine, scores, strict=True), key=lambda pair: pair[0].points)  # type: ignore[union-attr]
        assume(low[0].max_points == high[0].max_points)  # type: ignore[union-attr]
        if low[1].percent is not None and high[1].percent is not None:
            assert low[1].percent <= high[1].percent

    @given(st.data())
    def test_answer_order_does_not_matter(self, data: st.DataObject) -> None:
        """The same answers given in another order score the same."""
        checklist = data.draw(checklists())
        values = data.draw(answer_sets(checklist))
        shuffled = dict(data.draw(st.permutations(list(values.items()))))
        a = score(response_with(checklist, values))
        b = score(response_with(checklist, shuffled))
        assert a == b
        assert a.to_dict() == b.to_dict()
        assert a.explain() == b.explain()

    @given(st.data())
    def test_unused_profile_keys_do_not_matter(self, data: st.DataObject) -> None:
        """Keys for sections whose items all have their own key, or for items that do not
        apply, change nothing."""
        checklist = data.draw(checklists())
        r = response_with(checklist, data.draw(answer_sets(checklist)))
        multipliers = data.draw(profiles(checklist))
        live = {i.id for i in applicable(checklist, r.answers)}
        unused = [i.id for i in checklist.items if i.id not in live and i.id not in multipliers]
        unused += [
            s.id
            for s in checklist.sections
            if s.id not in multipliers and all(i.id in multipliers for i in s.items)
        ]
        extra = {k: data.draw(st.floats(0, 10)) for k in unused}
        assert score(r, multipliers) == score(r, {**multipliers, **extra})

    @given(st.data())
    def test_pure(self, data: st.DataObject) -> None:
        """Scoring twice gives equal results and leaves the response as it was."""
        checklist = data.draw(checklists())
        r = response_with(checklist, data.draw(answer_sets(checklist)))
        before = response.dumps(r)
        assert score(r) == score(r)
        assert before == response.dumps(r)

    @given(st.data())
    def test_items_add_up(self, data: st.DataObject) -> None:
        """The items' contributions and statuses match the totals and lists."""
        checklist = data.draw(checklists())
        r = response_with(checklist, data.draw(answer_sets(checklist)))
        s = score(r)
        assert math.isclose(s.points, math.fsum(i.points for i in s.items), abs_tol=1e-9)
        assert tuple(i.item for i in s.items if i.status == "unknown") == s.unknown
        assert tuple(i.item for i in s.items if i.status == "unanswered") == s.unanswered

    @given(st.data())
    def test_bundled_checklist(self, data: st.DataObject) -> None:
        """Random answers to the bundled checklist stay within bounds."""
        values = data.draw(answer_sets(BUNDLED))
        s = score(response_with(BUNDLED, values), data.draw(st.sampled_from([None, "at-home"])))
        assert s.percent is None or 0 <= s.percent <= 100

    @given(st.data())
    def test_real_answers_are_answered(self, data: st.DataObject) -> None:
        """Every real answer to an applicable item has status answered."""
        checklist = data.draw(checklists())
        item = data.draw(st.sampled_from([i for i in checklist.items if i.when is None]))
        s = score(response_with(checklist, {item.id: data.draw(real_answers(item))}))
        assert "answered" == next(i.status for i in s.items if i.item == item.id)


class TestExplain:
    """Score.explain: red flags first, then costs biggest first with each item's why."""

    def test_case_a(self) -> None:
        """The exact text for case A."""
        expected = """\
Cedar: 56.7% (fair), 3 red flags, care model undetermined, 100.0% of the questions answered.
Red flags (3), dealbreakers:
- pay (yes): Pays up front.
- mu (Bad): Bad route.
- rfu (unknown): The provider could not or would not answer: Licensed?
What cost the most weighted points, biggest first:
- mu2 (Q): lost 2 of 3 points.
- ch (Partial): lost 1.5 of 3 points. A full evaluation is the standard.
- pay (yes): lost 1 of 1 point. Paying first creates pressure.
- num (45 minutes): lost 1 of 2 points. Watching catches problems.
- rfu (unknown): lost 1 of 1 point. Licences are checked.
Unknown (1): rfu"""
        assert expected == score(kinds(CASE_A)).explain()

    def test_unanswered_and_unnamed(self) -> None:
        """Unanswered items close the text; an unnamed provider is "This provider"."""
        s = score(kinds({"mu": [], "txt": "x"}, name=""))
        expected = """\
This provider: 0.0%, 0 red flags, care model undetermined, 22.2% of the questions answered.
What cost the most weighted points, biggest first:
- mu (none of these): lost 3 of 3 points.
Not answered (7): yn, pay, ch, mu2, num, info, rfu"""
        assert expected == s.explain().replace(" (poor)", "")

    def test_one_red_flag(self) -> None:
        """One red flag is singular."""
        assert "1 red flag," in score(kinds({"yn": "no"})).explain()


class TestScoreObject:
    """repr, the checklist, and the plan cache."""

    def test_repr(self) -> None:
        """The repr shows provider, percent, band, red flag count and completeness."""
        assert "<Score for 'Cedar': 56.7% (fair), 3 red flags, 100.0% answered>" == repr(
            score(kinds(CASE_A))
        )
        assert "<Score for 'Cedar': n/a, 1 red flag, 11.1% answered>" == repr(
            score(kinds({"rfu": "unknown"}, KINDS_SKIP))
        )

    def test_checklist(self) -> None:
        """A score knows its checklist."""
        assert KINDS is score(kinds(CASE_A)).checklist

    def test_plan_dropped_with_its_checklist(self) -> None:
        """The compiled plan goes when its checklist does."""
        checklist = attrs.evolve(KINDS, id="kinds-copy")
        score(response_with(checklist, {"yn": "yes"}))
        assert checklist in _PLANS
        before = len(_PLANS)
        del checklist
        gc.collect()
        assert before - 1 == len(_PLANS)

    def test_many_distinct_answers(self) -> None:
        """Past the reuse limit, answers are still scored afresh."""
        for n in range(300):
            s = score(kinds({"txt": f"note {n}", "yn": "yes"}))
            assert ("note " + str(n), 2) == (s.items[6].answer, s.points)


RANK = checklist_io.loads(
    """\
schema = 1
id = "rank"
version = "1"
title = "Rank"

[[sections]]
id = "before"
title = "Before"
phase = "before"

  [[sections.items]]
  id = "a"
  kind = "yes-no"
  prompt = "A?"
  red-flag = "Flag A."

  [[sections.items]]
  id = "b"
  kind = "yes-no"
  prompt = "B?"

[[sections]]
id = "after"
title = "After"
phase = "after"

  [[sections.items]]
  id = "c"
  kind = "yes-no"
  prompt = "C?"
  weight = 0

  [[sections.items]]
  id = "d"
  kind = "text"
  prompt = "D?"
"""
)
RANKED = {
    "flagged": {"a": "no", "b": "yes"},
    "half": {"a": "yes", "b": "no"},
    "none": {"c": "yes"},
    "half-again": {"a": "yes", "b": "no"},
    "half-complete": {"a": "yes", "b": "no", "c": "yes", "d": "x"},
    "full": {"a": "yes", "b": "yes"},
}


def ranked() -> Comparison:
    """The RANKED responses compared, in that input order."""
    return compare(response_with(RANK, v, provider=name) for name, v in RANKED.items())


class TestCompare:
    """compare(): fewest red flags, then highest percent (None last), then completeness."""

    def test_order(self) -> None:
        """Ranks by the three keys; ties keep the input order."""
        table = ranked()
        expected = ["full", "half-complete", "half", "half-again", "none", "flagged"]
        assert expected == [s.provider.name for s in table.rows]
        assert list(RANKED) == [s.provider.name for s in table.scores]

    def test_completeness_none_last(self) -> None:
        """A score with nothing applicable ranks after one with completeness."""
        empty = attrs.evolve(score(response_with(RANK, {})), completeness=None)
        some = score(response_with(RANK, {}))
        assert [some, empty] == list(Comparison((empty, some)).rows)

    def test_records(self) -> None:
        """Flat records in rank order with per-phase percents."""
        records = ranked().to_records()
        assert {
            "rank": 1,
            "provider": "full",
            "kind": None,
            "points": 2,
            "max_points": 2,
            "percent": 100.0,
            "band": None,
            "band_capped": False,
            "red_flags": 0,
            "cautions": 0,
            "completeness": 0.5,
            "care_model": "undetermined",
            "phase:before": 100.0,
            "phase:after": None,
            "cost_most": "",
        } == records[0]
        assert [1, 2, 3, 4, 5, 6] == [r["rank"] for r in records]
        # "none" answered neither scored item: 0 of 2 points (unanswered items count zero).
        assert (1, 0.0) == (records[-1]["red_flags"], records[4]["percent"])

    def test_records_kind(self) -> None:
        """The provider's kind is its string value."""
        r = response_with(RANK, {})
        r.provider = Provider(name="K", kind=ProviderKind.TELEHEALTH)
        assert "telehealth" == compare([r]).to_records()[0]["kind"]

    def test_profile(self) -> None:
        """The profile applies to every response."""
        table = compare([response_with(RANK, {"a": "yes", "b": "no"})], {"a": 3})
        assert 75.0 == table.rows[0].percent

    def test_dataframe(self) -> None:
        """to_dataframe gives the records as a DataFrame."""
        frame = ranked().to_dataframe()
        assert ranked().to_records() == frame.replace({float("nan"): None}).to_dict("records")

    def test_dataframe_without_pandas(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without pandas, a MissingDependencyError (an ImportError) says what to do."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(MissingDependencyError) as e:
            ranked().to_dataframe()
        assert isinstance(e.value, ImportError)
        assert isinstance(e.value, KetacheckError)
        expected = (
            "Comparison.to_dataframe() needs pandas, which is not installed "
            "(pip install pandas); to_records() gives the same rows without it"
        )
        assert expected == str(e.value)

    def test_repr(self) -> None:
        """The repr lists the ranking."""
        table = compare(
            [kinds(CASE_A, name="A"), kinds({"yn": "yes"}, name="B")],
        )
        expected = """\
<Comparison of 2 providers
  1. 'B': 100.0% (good), 0 red flags
  2. 'A': 56.7% (fair), 3 red flags>"""
        assert expected == repr(table)

    def test_empty(self) -> None:
        """Nothing to compare gives no rows."""
        assert ([], ()) == (compare([]).to_records(), compare([]).rows)


class TestExamples:
    """The example responses score as documented."""

    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            # Two red flags each lower the IV clinic and the telehealth program (78.5 % and
            # 63.3 %, "adequate" on points alone) to the lowest band.
            ("iv-infusion-clinic", (145.25, 185, "weak", "medication-only")),
            ("kap-practice", (196, 200, "strong", "psychotherapy-integrated")),
            ("telehealth-at-home", (114, 180, "weak", "therapy-supported")),
        ],
    )
    def test_example(self, name: str, expected: tuple[float, float, str, str]) -> None:
        """Exact points, maximum, percent, band and care model."""
        s = score(response.read(ROOT / "examples" / f"{name}.toml"))
        points, max_points = expected[:2]
        assert (*expected, 100 * (points / max_points)) == (
            s.points,
            s.max_points,
            s.band,
            s.care_model,
            s.percent,
        )

    def test_red_flags(self) -> None:
        """The IV clinic and the telehealth program each raise two red flags."""
        flags = {
            p.stem: [(f.item, f.answer) for f in score(response.read(p)).red_flags]
            for p in sorted((ROOT / "examples").glob("*.toml"))
        }
        expected = {
            "iv-infusion-clinic": [("suicide-risk-check", "no"), ("off-label-disclosure", "no")],
            "kap-practice": [],
            "telehealth-at-home": [
                ("home-live-clinician", "no"),
                ("home-after-hours-contact", "no"),
            ],
        }
        assert expected == flags

    def test_percents(self) -> None:
        """The rounded percents the docs quote."""
        percents = [
            round(score(response.read(p)).percent or 0, 1)
            for p in sorted((ROOT / "examples").glob("*.toml"))
        ]
        assert [78.5, 98.0, 63.3] == percents

    def test_ranking(self) -> None:
        """Compared, the KAP practice ranks first."""
        paths = sorted((ROOT / "examples").glob("*.toml"))
        table = compare([response.read(p) for p in paths])
        expected = [
            "Willow Path Psychotherapy Collective",
            "Harborview Infusion Center",
            "Nimbus Mind Telehealth",
        ]
        assert expected == [s.provider.name for s in table.rows]


def test_score_is_frozen() -> None:
    """A Score cannot be changed."""
    s = score(kinds(CASE_A))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.points = 3  # type: ignore[misc]
    assert isinstance(s, Score)
