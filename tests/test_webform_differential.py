"""The form's script scores exactly as Python does: its verdict equals ``score().to_dict()``.

Hypothesis draws responses to the bundled checklists and to generated checklists (every item
kind and condition form, both unknown policies, profiles); one loaded page interprets each
response's plan (``ketacheckForm.score``), and every key of the result must equal Python's,
numbers within 1e-9.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacheck import catalog
from ketacheck.model import Checklist, Profile
from ketacheck.scoring import score
from ketacheck.webform._plan import compile_plan

from .strategies import checklists
from .strategies_scoring import answer_sets, profiles, response_with
from .webform_support import browser, quick_page

__all__ = ["browser", "quick_page"]

CASES: dict[str, int] = {}
"""How many responses were compared, per bundled checklist and generated (printed with -s)."""


@pytest.fixture(scope="module")
def page(quick_page: Any) -> Any:
    """The loaded form whose scripts this module calls."""
    return quick_page


def close(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Where *actual* differs from *expected* (numbers within 1e-9), as paths."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]
    if isinstance(expected, int | float):
        same = isinstance(actual, int | float) and not isinstance(actual, bool)
        if same and math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-9):
            return []
        return [f"{path}: {expected!r} != {actual!r}"]
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            return [f"{path}: keys {sorted(expected)} != {actual!r}"]
        return [d for k in expected for d in close(expected[k], actual[k], f"{path}.{k}")]
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return [f"{path}: {expected!r} != {actual!r}"]
        return [d for i, e in enumerate(expected) for d in close(e, actual[i], f"{path}[{i}]")]
    return [f"{path}: cannot compare {expected!r}"]


def _js_answers(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def check(page: Any, checklist: Checklist, values: dict[str, Any], profile: str | None) -> None:
    """The page's verdict for *values* equals Python's on every key."""
    response = response_with(checklist, values, provider="Cedar")
    expected = score(response, profile).to_dict()
    plan = compile_plan(checklist)
    index = [p["id"] for p in plan["profiles"]].index(profile)
    actual = page.evaluate(
        "([plan, answers, index]) => ketacheckForm.score(plan, answers, index, 'Cedar')",
        [plan, _js_answers(values), index],
    )
    kind = checklist.id if checklist.id in catalog.names() else "generated"
    CASES[kind] = CASES.get(kind, 0) + 1
    assert [] == close(expected, actual)


@st.composite
def bundled_cases(draw: st.DrawFn) -> tuple[str, dict[str, Any], str | None]:
    """A bundled checklist's name, answers to it and one of its profiles (or none)."""
    name = draw(st.sampled_from(catalog.names()))
    checklist = catalog.load(name)
    ids = [None, *(p.id for p in checklist.profiles)]
    return name, draw(answer_sets(checklist)), draw(st.sampled_from(ids))


@st.composite
def generated_cases(draw: st.DrawFn) -> tuple[Checklist, dict[str, Any], str | None]:
    """A generated checklist with an extra ad-hoc profile, answers, and a profile."""
    checklist = draw(checklists())
    taken = {p.id for p in checklist.profiles}
    adhoc = draw(profiles(checklist))
    if adhoc and "zz-adhoc" not in taken:
        extra = Profile(id="zz-adhoc", weights=adhoc)
        checklist = attrs.evolve(checklist, profiles=(*checklist.profiles, extra))
    ids = [None, *(p.id for p in checklist.profiles)]
    return checklist, draw(answer_sets(checklist)), draw(st.sampled_from(ids))


class TestDifferential:
    """ketacheckForm.score(plan, ...) equals score(...).to_dict() on every key."""

    @pytest.mark.slow  # several seconds: hundreds of cases
    @settings(max_examples=150)
    @given(case=bundled_cases())
    def test_bundled(self, page: Any, case: tuple[str, dict[str, Any], str | None]) -> None:
        name, values, profile = case
        check(page, catalog.load(name), values, profile)

    @pytest.mark.slow  # several seconds: hundreds of cases
    @settings(max_examples=250)
    @given(case=generated_cases())
    def test_generated(self, page: Any, case: tuple[Checklist, dict[str, Any], str | None]) -> None:
        check(page, *case)
        print(f"differential cases so far: {CASES}")  # noqa: T201 - shown with -s
