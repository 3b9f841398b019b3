"""The checklist model: frozen attrs classes that mirror the TOML format (schema 1).

A :class:`Checklist` has :class:`Section` s of :class:`Item` s; items of kind ``choice`` and
``multi`` list :class:`Option` s, ``number`` items may list :class:`NumberBand` s. Keys that
are absent in TOML are ``None`` (or an empty tuple) here, so that what was written is what is
kept: ``loads(dumps(c)) == c``. Derived values (an item's effective weight, its maximum) are
properties.

Objects are validated as a whole by :func:`ketacheck.validate.check_checklist`, which every
loader calls; build them in Python and call it yourself, or use
:meth:`Checklist.validated`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping
from typing import Final, TypeVar

import attrs

from ketacheck._display import NotebookDisplay
from ketacheck._format import SCHEMA, ItemKind, Phase, Status, UnknownPolicy
from ketacheck.conditions import Condition
from ketacheck.exceptions import UnknownProfileError
from ketacheck.validate import check_checklist

__all__ = [
    "SCHEMA",
    "Band",
    "Checklist",
    "FrozenMap",
    "Item",
    "ItemKind",
    "NumberBand",
    "Option",
    "Phase",
    "Profile",
    "Scoring",
    "Section",
    "Source",
    "Status",
    "UnknownPolicy",
]


K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping (the checklist's ``renamed`` and profile ``weights``).

    It keeps its items' order, compares equal to any mapping with the same items, and has no
    method that changes it, so a checklist built from it stays what it was when validated.
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        """A frozen copy of *data*."""
        self._data: dict[K, V] = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        """The value of *key*."""
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        """The keys, in order."""
        return iter(self._data)

    def __len__(self) -> int:
        """How many items it holds."""
        return len(self._data)

    def __hash__(self) -> int:
        """The hash of its items (order does not matter, as for equality)."""
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        """Equal to any mapping with the same items."""
        if isinstance(other, FrozenMap):
            return self._data == other._data
        return self._data == other if isinstance(other, Mapping) else NotImplemented

    def __repr__(self) -> str:
        """Like a dict's."""
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        """Pickle the items only: a cached hash is not valid in another process."""
        return (type(self), (self._data,))


def _frozen_weights(value: Mapping[str, float]) -> Mapping[str, float]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _frozen_renamed(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    if value is None or isinstance(value, FrozenMap):
        return value
    return FrozenMap(value)


@attrs.frozen(kw_only=True)
class Option:
    """One answer option of a ``choice`` or ``multi`` item."""

    id: str
    label: str
    points: float = 0
    red_flag: str | None = None
    """Why choosing this option is a dealbreaker, if it is one."""
    caution: str | None = None
    """Why choosing this option is worth raising with the provider (not a dealbreaker)."""


@attrs.frozen(kw_only=True)
class NumberBand:
    """Points for a number answer that reaches ``at_least``."""

    at_least: float
    points: float
    red_flag: str | None = None
    caution: str | None = None


@attrs.frozen(kw_only=True)
class Band:
    """A scoring band: the label of a percent that reaches ``min``."""

    min: float
    label: str


@attrs.frozen(kw_only=True)
class Scoring:
    """How a checklist is scored beyond its items' points."""

    unknown: UnknownPolicy = UnknownPolicy.ZERO
    unanswered: UnknownPolicy = UnknownPolicy.ZERO
    min_completeness: float = 0
    """Below this share of applicable items answered there is no band (0 to 1)."""
    red_flag_band: str | None = None
    """With any red flag the band is at best this one; None means the last band."""
    bands: tuple[Band, ...] = ()

    def band_for(self, percent: float | None) -> str | None:
        """The label of the first band whose ``min`` *percent* reaches, or None."""
        if percent is None:
            return None
        for band in self.bands:
            if percent >= band.min:
                return band.label
        return None

    def verdict(
        self, percent: float | None, completeness: float | None, *, red_flags: bool
    ) -> tuple[str | None, bool]:
        """The band and whether red flags lowered it, in DESIGN §5.5's order of decisions.

        None without bands, when *completeness* is None or below ``min_completeness``, or
        when *percent* is None; else the first band *percent* reaches, lowered to
        ``red_flag_band`` (the last band by default) when there are *red_flags*.
        """
        if not self.bands or completeness is None or completeness < self.min_completeness:
            return None, False
        last = len(self.bands) - 1
        if percent is None:
            return None, False
        reached = next(i for i, b in enumerate(self.bands) if percent >= b.min or i == last)
        if red_flags:
            # The cap is the last band with that label (the lowest, should labels repeat).
            cap = max(
                (i for i, b in enumerate(self.bands) if b.label == self.red_flag_band),
                default=last,
            )
            if reached < cap:
                return self.bands[cap].label, True
        return self.bands[reached].label, False

    def answers_needed(self, answered: int, applicable: int) -> int:
        """How many more answers reach ``min_completeness`` (0 when already reached).

        Counted with the same comparison as :meth:`verdict`, so that exactly this many more
        answers give a band (as long as no answer changes which items apply).
        """
        if not applicable:
            return 0
        more = max(0, math.ceil(self.min_completeness * applicable) - answered - 1)
        while (answered + more) / applicable < self.min_completeness:
            more += 1
        return more


@attrs.frozen(kw_only=True)
class Source:
    """A publication or official page that an item relies on."""

    id: str
    title: str
    url: str | None = None


@attrs.frozen(kw_only=True)
class Profile:
    """Named priorities: multipliers on section or item weights."""

    id: str
    weights: Mapping[str, float] = attrs.field(converter=_frozen_weights)
    """Section or item id to multiplier (read-only)."""
    title: str | None = None
    summary: str | None = None


@attrs.frozen(kw_only=True)
class Item:
    """One question. ``kind`` decides which other keys it may have and what it accepts."""

    id: str
    kind: ItemKind
    prompt: str
    why: str | None = None
    guidance: str | None = None
    placeholder: str | None = None
    weight: float | None = None
    good: str | None = None
    red_flag: str | None = None
    caution: str | None = None
    red_flag_if_unknown: bool | None = None
    caution_if_unknown: bool | None = None
    options: tuple[Option, ...] | None = None
    max_points: float | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    integer: bool | None = None
    """Number items only: whole numbers only (45 and 45.0 are the same answer)."""
    points: tuple[NumberBand, ...] | None = None
    when: Condition | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def effective_weight(self) -> float:
        """The weight used for scoring: ``weight`` or its default (1; 0 for text)."""
        if self.weight is not None:
            return self.weight
        return 0 if self.kind is ItemKind.TEXT else 1

    @property
    def good_answer(self) -> str:
        """For yes-no items, the answer that earns the point (``"yes"`` by default)."""
        return self.good or "yes"

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The ids an answer may use: ``yes``/``no`` for yes-no, the options' ids otherwise."""
        if self.kind is ItemKind.YES_NO:
            return ("yes", "no")
        return tuple(o.id for o in self.options or ())

    @property
    def max_item_points(self) -> float:
        """The most points an answer can earn, before weights (DESIGN §5)."""
        kind = self.kind
        if kind is ItemKind.YES_NO:
            return 1
        if kind is ItemKind.CHOICE:
            return max((o.points for o in self.options or ()), default=0)
        if kind is ItemKind.MULTI:
            if self.max_points is not None:
                return self.max_points
            return sum(o.points for o in self.options or () if o.points > 0)
        if kind is ItemKind.NUMBER:
            return max((b.points for b in self.points or ()), default=0)
        return 0

    def option(self, option_id: str) -> Option | None:
        """The option with *option_id*, or None."""
        for o in self.options or ():
            if o.id == option_id:
                return o
        return None


@attrs.frozen(kw_only=True)
class Section:
    """A group of items, usually one phase of treatment."""

    id: str
    title: str
    items: tuple[Item, ...]
    phase: Phase | None = None
    summary: str | None = None

    @property
    def effective_phase(self) -> Phase:
        """The section's phase; a section without one is ``general``."""
        return self.phase or Phase.GENERAL


def _index_items(checklist: Checklist) -> Mapping[str, Item]:
    index: dict[str, Item] = {}
    for section in checklist.sections:
        for item in section.items:
            index.setdefault(item.id, item)
    return FrozenMap(index)


def _index_sections(checklist: Checklist) -> Mapping[str, Section]:
    index: dict[str, Section] = {}
    for section in checklist.sections:
        for item in section.items:
            index.setdefault(item.id, section)
    return FrozenMap(index)


@attrs.frozen(kw_only=True, cache_hash=True)
class Checklist(NotebookDisplay):
    """A checklist: metadata, scoring rules, sources, profiles and sections of items.

    Deeply immutable and hashable (its mappings are :class:`FrozenMap` s), so it is safe to
    use as a cache key: scoring compiles each checklist once.
    """

    schema: int = SCHEMA
    id: str
    version: str
    title: str
    sections: tuple[Section, ...]
    summary: str | None = None
    language: str | None = None
    authors: tuple[str, ...] = ()
    license: str | None = None
    updated: dt.date | None = None
    status: Status | None = None
    renamed: Mapping[str, str] | None = attrs.field(default=None, converter=_frozen_renamed)
    """Old item id to new item id (read-only)."""
    scoring: Scoring | None = None
    sources: tuple[Source, ...] = ()
    profiles: tuple[Profile, ...] = ()

    _items: Mapping[str, Item] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_index_items, takes_self=True)
    )
    _sections_by_item: Mapping[str, Section] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_index_sections, takes_self=True)
    )

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item in checklist order."""
        return tuple(self._items.values())

    @property
    def effective_scoring(self) -> Scoring:
        """The ``[scoring]`` table, or the defaults (unknown scores zero, no bands)."""
        return self.scoring or _DEFAULT_SCORING

    def item(self, item_id: str) -> Item:
        """The item with *item_id*; raises KeyError naming it when there is none."""
        try:
            return self._items[item_id]
        except KeyError:
            raise KeyError(f"checklist {self.id!r} has no item {item_id!r}") from None

    def has_item(self, item_id: str) -> bool:
        """Whether the checklist has an item with *item_id*."""
        return item_id in self._items

    def section_of(self, item_id: str) -> Section:
        """The section holding the item *item_id*."""
        try:
            return self._sections_by_item[item_id]
        except KeyError:
            raise KeyError(f"checklist {self.id!r} has no item {item_id!r}") from None

    def source(self, source_id: str) -> Source:
        """The source with *source_id*."""
        for s in self.sources:
            if s.id == source_id:
                return s
        raise KeyError(f"checklist {self.id!r} has no source {source_id!r}")

    def profile(self, profile_id: str) -> Profile:
        """The profile with *profile_id*; raises UnknownProfileError listing the known ones."""
        for p in self.profiles:
            if p.id == profile_id:
                return p
        known = ", ".join(p.id for p in self.profiles) or "none"
        raise UnknownProfileError(
            f"checklist {self.id!r} has no profile {profile_id!r} (known: {known})"
        )

    def validated(self, *, source: str = "<checklist>") -> Checklist:
        """Return self after checking every rule; raises ChecklistError listing all problems."""
        check_checklist(self, source=source)
        return self


_DEFAULT_SCORING: Final = Scoring()
