"""Hypothesis strategies for responses and scoring: answers, profiles, responses, TOML values.

Random checklists come from :func:`tests.strategies.checklists`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import strategies as st

from ketacheck.model import Checklist, Item, ItemKind
from ketacheck.response import Provider, ProviderKind, Response

MULTIPLIERS = st.one_of(st.sampled_from([0, 0.5, 1, 2, 3]), st.floats(0, 10))
"""Profile multipliers: round values and arbitrary finite floats >= 0."""


def real_answers(item: Item) -> st.SearchStrategy[Any]:
    """Answers other than ``unknown`` that *item* accepts."""
    kind = item.kind
    if kind is ItemKind.YES_NO:
        return st.sampled_from(["yes", "no"])
    if kind is ItemKind.CHOICE:
        return st.sampled_from(item.option_ids)
    if kind is ItemKind.MULTI:
        return st.lists(st.sampled_from(item.option_ids), unique=True).map(tuple)
    if kind is ItemKind.NUMBER:
        low = item.min if item.min is not None else -1e6
        high = item.max if item.max is not None else 1e6
        whole = (
            st.integers(math.ceil(low), math.floor(high))
            if low <= math.floor(high)
            else st.nothing()
        )
        return whole if item.integer else st.one_of(whole, st.floats(low, high))
    return st.text(max_size=20)


def answers(item: Item) -> st.SearchStrategy[Any]:
    """Any answer *item* accepts, ``unknown`` included."""
    return st.one_of(st.just("unknown"), real_answers(item))


@st.composite
def answer_sets(draw: st.DrawFn, checklist: Checklist) -> dict[str, Any]:
    """Answers to a random subset of the checklist's items (stale ones included)."""
    out = {}
    for item in checklist.items:
        if draw(st.booleans()):
            out[item.id] = draw(answers(item))
    return out


def response_with(checklist: Checklist, values: dict[str, Any], provider: str = "P") -> Response:
    """A response to *checklist* holding *values*, set in their iteration order."""
    r = Response(checklist, Provider(name=provider))
    for item_id, value in values.items():
        r.answer(item_id, value)
    return r


@st.composite
def profiles(draw: st.DrawFn, checklist: Checklist) -> dict[str, float]:
    """An ad-hoc profile: multipliers for some sections and items."""
    ids = [s.id for s in checklist.sections] + [i.id for i in checklist.items]
    keys = draw(st.lists(st.sampled_from(ids), unique=True))
    return {k: draw(MULTIPLIERS) for k in keys}


# -- TOML values for orphans and round trips ----------------------------------------------

_TIMEZONES = st.sampled_from([None, dt.UTC, dt.timezone(dt.timedelta(hours=-5, minutes=-30))])

TOML_SCALARS = st.one_of(
    st.text(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=_TIMEZONES),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
"""Any value a TOML document can hold (no NaN: it is never equal to itself)."""

PROVIDERS = st.builds(
    Provider,
    name=st.text(),
    kind=st.none() | st.sampled_from(list(ProviderKind)),
    website=st.sampled_from([None, "https://clinic.example.org", "http://example.org/a?b=c"]),
    location=st.none() | st.text(),
    interviewed=st.none() | st.dates(),
    interviewer=st.none() | st.text(),
)


@st.composite
def responses(draw: st.DrawFn, checklist: Checklist) -> Response:
    """A response to *checklist* with answers, notes, orphans, orphan notes and Unicode."""
    r = Response(
        checklist,
        draw(PROVIDERS),
        created=draw(st.none() | st.datetimes(timezones=_TIMEZONES)),
        updated=draw(st.none() | st.datetimes(timezones=_TIMEZONES)),
        checklist_version=draw(st.none() | st.text()),
    )
    for item in checklist.items:
        if draw(st.booleans()):
            r._answers[item.id] = draw(answers(item))
        if draw(st.integers(0, 3)) == 0:
            r._notes[item.id] = draw(st.text(min_size=1))
    keys = st.text(min_size=1).filter(lambda k: not checklist.has_item(k))
    r._orphans.update(draw(st.dictionaries(keys, TOML_VALUES, max_size=3)))
    r._orphan_notes.update(draw(st.dictionaries(keys, st.text(min_size=1), max_size=2)))
    return r
