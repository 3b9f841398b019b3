"""Hypothesis strategies for ketacheck objects: every one generated here is valid."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from typing import Any

from hypothesis import strategies as st

from ketacheck import conditions as c
from ketacheck.model import (
    Band,
    Checklist,
    Item,
    ItemKind,
    NumberBand,
    Option,
    Phase,
    Profile,
    Scoring,
    Section,
    Source,
    Status,
    UnknownPolicy,
)

__all__ = ["checklists", "ids", "texts"]

# Text as people write it, minus surrogates (not encodable) and NUL-like controls TOML forbids.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")
# The alphabet spares hypothesis building the table of every UTF-8 character (seconds, in
# each test process) for a pattern that is ASCII anyway.
ids = st.from_regex(
    r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}\Z", alphabet="abcdefghijklmnopqrstuvwxyz0123456789-"
).filter(lambda s: s != "unknown")
numbers = st.one_of(
    st.integers(min_value=0, max_value=100),
    st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False),
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def _warning(draw: st.DrawFn) -> dict[str, str]:
    """At most one of red-flag and caution, as keyword arguments."""
    key = draw(st.sampled_from(["red_flag", "caution", None]))
    return {} if key is None else {key: draw(texts)}


@st.composite
def _options(draw: st.DrawFn) -> tuple[Option, ...]:
    option_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    return tuple(
        Option(id=o, label=draw(texts), points=draw(numbers), **draw(_warning()))
        for o in option_ids
    )


@st.composite
def _number_bands(draw: st.DrawFn) -> tuple[NumberBand, ...]:
    thresholds = sorted(
        draw(st.lists(st.integers(0, 500), min_size=1, max_size=3, unique=True)), reverse=True
    )
    return tuple(
        NumberBand(at_least=t, points=draw(numbers), **draw(_warning())) for t in thresholds
    )


@st.composite
def _condition(draw: st.DrawFn, earlier: list[Item], depth: int = 0) -> c.Condition:
    if depth < 2 and draw(st.booleans()) and draw(st.booleans()):
        form = draw(st.sampled_from(["all", "any", "not"]))
        if form == "not":
            return c.Not(draw(_condition(earlier, depth + 1)))
        parts = tuple(draw(_condition(earlier, depth + 1)) for _ in range(draw(st.integers(1, 3))))
        return c.All(parts) if form == "all" else c.Any(parts)
    target = draw(st.sampled_from(earlier))
    choices: list[str] = ["answered"]
    if target.kind in (ItemKind.YES_NO, ItemKind.CHOICE):
        choices += ["is", "any-of"]
    if target.kind is ItemKind.MULTI:
        choices += ["includes", "any-of"]
    if target.kind is ItemKind.NUMBER:
        choices += ["at-least", "below"]
    op = draw(st.sampled_from(choices))
    options = list(target.option_ids)
    if op == "is":
        return c.Is(target.id, draw(st.sampled_from(options)))
    if op == "includes":
        return c.Includes(target.id, draw(st.sampled_from(options)))
    if op == "any-of":
        return c.AnyOf(
            target.id, tuple(draw(st.lists(st.sampled_from(options), min_size=1, max_size=3)))
        )
    if op == "at-least":
        return c.AtLeast(target.id, draw(st.integers(0, 500)))
    if op == "below":
        return c.Below(target.id, draw(st.integers(0, 500)))
    return c.Answered(target.id, draw(st.booleans()))


@st.composite
def _item(draw: st.DrawFn, item_id: str, earlier: list[Item], source_ids: list[str]) -> Item:
    kind = draw(st.sampled_from(list(ItemKind)))
    fields: dict[str, Any] = {
        "id": item_id,
        "kind": kind,
        "prompt": draw(texts),
        "why": draw(_maybe(texts)),
        "guidance": draw(_maybe(texts)),
        "tags": tuple(draw(st.lists(ids, max_size=2, unique=True))),
    }
    if_unknown = draw(st.sampled_from(["red_flag_if_unknown", "caution_if_unknown", None]))
    if if_unknown is not None:
        fields[if_unknown] = draw(st.booleans())
    if source_ids:
        fields["sources"] = tuple(
            draw(st.lists(st.sampled_from(source_ids), max_size=2, unique=True))
        )
    if kind is ItemKind.TEXT:
        fields["weight"] = draw(st.sampled_from([None, 0]))
        fields["placeholder"] = draw(_maybe(texts))
    else:
        fields["weight"] = draw(_maybe(numbers))
    if kind is ItemKind.YES_NO:
        fields["good"] = draw(st.sampled_from([None, "yes", "no"]))
        fields.update(draw(_warning()))
    if kind in (ItemKind.CHOICE, ItemKind.MULTI):
        fields["options"] = draw(_options())
    if kind is ItemKind.MULTI and draw(st.booleans()):
        positive = sum(o.points for o in fields["options"] if o.points > 0)
        fields["max_points"] = draw(st.floats(min_value=0, max_value=positive)) if positive else 0
    if kind is ItemKind.NUMBER:
        low = draw(_maybe(st.integers(0, 100)))
        fields["min"] = low
        fields["max"] = draw(_maybe(st.integers(low or 0, 1000)))
        fields["unit"] = draw(_maybe(texts))
        fields["points"] = draw(_maybe(_number_bands()))
        fields["integer"] = draw(_maybe(st.booleans()))
    conditional = draw(st.booleans())
    if earlier and conditional:
        fields["when"] = draw(_condition(earlier))
    return Item(**fields)


@st.composite
def checklists(draw: st.DrawFn, max_sections: int = 3, max_items: int = 4) -> Checklist:
    """A valid checklist exercising every key of the format."""
    source_ids = draw(st.lists(ids, max_size=3, unique=True))
    sources = tuple(
        Source(
            id=s,
            title=draw(texts),
            url=draw(
                _maybe(st.sampled_from(["https://example.org/a", "http://example.org/b?x=1"]))
            ),
        )
        for s in source_ids
    )
    n_sections = draw(st.integers(1, max_sections))
    all_ids = draw(
        st.lists(
            ids,
            min_size=n_sections * (max_items + 1),
            max_size=n_sections * (max_items + 1),
            unique=True,
        )
    )
    section_ids, item_pool = all_ids[:n_sections], all_ids[n_sections:]
    earlier: list[Item] = []
    sections = []
    for section_id in section_ids:
        items = []
        for _ in range(draw(st.integers(1, max_items))):
            item = draw(_item(item_pool.pop(), earlier, source_ids))
            items.append(item)
            earlier.append(item)
        sections.append(
            Section(
                id=section_id,
                title=draw(texts),
                phase=draw(_maybe(st.sampled_from(list(Phase)))),
                summary=draw(_maybe(texts)),
                items=tuple(items),
            )
        )
    targets = [s.id for s in sections] + [i.id for i in earlier]
    profiles = tuple(
        Profile(
            id=p,
            title=draw(_maybe(texts)),
            weights=draw(
                st.dictionaries(st.sampled_from(targets), numbers, min_size=1, max_size=3)
            ),
        )
        for p in draw(st.lists(ids, max_size=2, unique=True))
    )
    bands: tuple[Band, ...] = ()
    if draw(st.booleans()):
        mins = sorted(draw(st.lists(st.integers(1, 100), max_size=3, unique=True)), reverse=True)
        bands = tuple(Band(min=m, label=draw(texts)) for m in [*mins, 0])
    policies = st.sampled_from(list(UnknownPolicy))
    scoring = draw(
        _maybe(
            st.builds(
                Scoring,
                unknown=policies,
                unanswered=policies,
                min_completeness=st.sampled_from([0, 0.5, 0.75, 1]) | st.floats(0, 1),
                red_flag_band=st.sampled_from([None, *(b.label for b in bands)]),
                bands=st.just(bands),
            )
        )
    )
    taken = set(all_ids)
    # Filtered here, not with ids.filter(): a new filter of a regex strategy rebuilds it.
    olds = [i for i in draw(st.lists(ids, max_size=2, unique=True)) if i not in taken]
    renamed = {old: draw(st.sampled_from([i.id for i in earlier])) for old in olds} or None
    return Checklist(
        id=draw(ids),
        renamed=renamed,
        version=draw(st.sampled_from(["1.0.0", "2", "0.1.0-beta"])),
        title=draw(texts),
        summary=draw(_maybe(texts)),
        language=draw(_maybe(st.sampled_from(["en", "de", "pt-BR"]))),
        authors=tuple(draw(st.lists(texts, max_size=2))),
        license=draw(_maybe(st.sampled_from(["CC-BY-4.0", "MIT"]))),
        updated=draw(
            _maybe(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
        ),
        status=draw(_maybe(st.sampled_from(list(Status)))),
        scoring=scoring,
        sources=sources,
        profiles=profiles,
        sections=tuple(sections),
    )


# -- mutations of real files, for fuzzing (also used by benchmarks/fuzz.py) ----------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a TOML document (dict keys and list indices)."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _nested(depth: int, *, table: bool) -> Any:
    """A value *depth* arrays or tables deep."""
    value: Any = {} if table else []
    for _ in range(depth):
        value = {"k": value} if table else [value]
    return value


_SWAPS: list[Any] = [
    "3",
    3,
    -1,
    2.5,
    True,
    [],
    ["x"],
    {},
    {"x": 1},
    dt.date(2026, 1, 1),
    float("inf"),
    "unknown",
    "",
    "\u202e\u0000",
]
_HUGE: list[Any] = [
    "x" * 20_000,
    10**30,
    -(10**30),
    1e308,
    list(range(5000)),
    {f"k{i}": i for i in range(2000)},
    _nested(100, table=False),
    _nested(300, table=True),
]
BYTE_KINDS = ("flip", "truncate", "insert", "repeat")
"""The byte-level mutations."""
DOC_KINDS = ("delete", "swap", "duplicate", "huge", "rename")
"""The structural mutations."""


@st.composite
def mutated_documents(
    draw: st.DrawFn, doc: dict[str, Any], kinds: Counter[str] | None = None
) -> dict[str, Any]:
    """A deep copy of a parsed TOML document with 1 to 3 structural mutations.

    Deleted keys, swapped types, duplicated array elements (tables: renamed keys), huge or
    deeply nested values; each kind applied is counted in *kinds* when given.
    """
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        key = path[-1]
        kind = draw(st.sampled_from(DOC_KINDS))
        if kind == "duplicate" and not isinstance(parent, list):
            kind = "rename"  # tables cannot hold a key twice: rename it instead
        elif kind == "rename" and not isinstance(parent, dict):
            kind = "duplicate"
        if kinds is not None:
            kinds[f"structure: {kind}"] += 1
        if kind == "delete":
            del parent[key]
        elif kind == "swap":
            parent[key] = copy.deepcopy(draw(st.sampled_from(_SWAPS)))
        elif kind == "huge":
            parent[key] = copy.deepcopy(draw(st.sampled_from(_HUGE)))
        elif kind == "duplicate":
            parent.insert(key, copy.deepcopy(parent[key]))
        else:
            parent[f"{key}-typo"] = parent.pop(key)
    return doc


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes, kinds: Counter[str] | None = None) -> bytes:
    """A copy of *data* with 1 to 4 bytes flipped, cut, inserted or repeated (counted)."""
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not buffer:
            break
        at = draw(st.integers(0, len(buffer) - 1))
        kind = draw(st.sampled_from(BYTE_KINDS))
        if kinds is not None:
            kinds[f"bytes: {kind}"] += 1
        if kind == "flip":
            buffer[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            end = min(len(buffer), at + draw(st.integers(1, 200)))
            buffer[at:at] = buffer[at:end] * draw(st.integers(1, 5))
    return bytes(buffer)
