"""Comparing providers (DESIGN §5): the ranking, what cost each most, where they differ most."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ketacheck._display import NotebookDisplay
from ketacheck._words import display_number
from ketacheck.exceptions import MissingDependencyError
from ketacheck.scoring._explain import COSTS_SHOWN, counted, pct
from ketacheck.scoring._plan import ProfileSpec
from ketacheck.scoring._results import Score
from ketacheck.scoring._score import score

if TYPE_CHECKING:
    from ketacheck.response import Response


def rank_key(s: Score) -> tuple[int, bool, float, bool, float]:
    """Fewest red flags first, then percent (None last), then completeness (None last)."""
    return (
        len(s.red_flags),
        s.percent is None,
        -(s.percent or 0),
        s.completeness is None,
        -(s.completeness or 0),
    )


@attrs.frozen
class Difference:
    """One item on which the providers side by side earned different weighted points."""

    item: str
    spread: float
    """The most weighted points any provider earned on it minus the fewest."""
    points: tuple[float | None, ...]
    """Each provider's weighted points, in rank order; None where the item does not apply."""


def _costs_words(s: Score) -> str:
    return "; ".join(
        f"{c.item} (lost {display_number(c.lost)} of {display_number(c.max_points)})"
        for c in s.costs(COSTS_SHOWN)
    )


@attrs.frozen(repr=False)
class Comparison(NotebookDisplay):
    """Several providers' scores, ranked: fewest red flags, then percent, then completeness.

    Ties keep the input order. ``scores`` are in input order, ``rows`` in rank order.
    Cautions inform but do not rank (their points already count).
    """

    scores: tuple[Score, ...]
    rows: tuple[Score, ...] = attrs.field(init=False)

    @rows.default
    def _rank(self) -> tuple[Score, ...]:
        return tuple(sorted(self.scores, key=rank_key))

    def __repr__(self) -> str:
        """The ranking in one line per provider."""
        lines = [f"<Comparison of {counted(len(self.rows), 'provider')}"]
        lines.extend(
            f"  {rank}. {s.provider.name!r}: {pct(s.percent)}"
            f"{f' ({s.band})' if s.band else ''}, {counted(len(s.red_flags), 'red flag')}"
            for rank, s in enumerate(self.rows, start=1)
        )
        return "\n".join(lines) + ">"

    def differences(self, limit: int | None = COSTS_SHOWN) -> tuple[Difference, ...]:
        """The items where the providers differ most, largest weighted difference first.

        Only items that apply to at least two providers count; ties keep checklist order.
        """
        by_item: dict[str, list[float | None]] = {}
        for rank, s in enumerate(self.rows):
            for item_score in s.items:
                earned = by_item.setdefault(item_score.item, [None] * len(self.rows))
                earned[rank] = item_score.points
        found = []
        for item_id, earned in by_item.items():
            values = [v for v in earned if v is not None]
            if len(values) >= 2 and max(values) > min(values):
                found.append(Difference(item_id, max(values) - min(values), tuple(earned)))
        found.sort(key=lambda d: -d.spread)
        return tuple(found if limit is None else found[:limit])

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per provider, in rank order (for pandas or CSV).

        Keys: rank, provider, kind, points, max_points, percent, band, band_capped,
        red_flags and cautions (counts), completeness, care_model, ``phase:<id>`` (the
        phase's percent) for every phase, and cost_most (the answers that cost it the most
        weighted points, biggest first).
        """
        phases = list(dict.fromkeys(p for s in self.rows for p in s.phases))
        records = []
        for rank, s in enumerate(self.rows, start=1):
            record: dict[str, Any] = {
                "rank": rank,
                "provider": s.provider.name,
                "kind": s.provider.kind.value if s.provider.kind else None,
                "points": s.points,
                "max_points": s.max_points,
                "percent": s.percent,
                "band": s.band,
                "band_capped": s.band_capped,
                "red_flags": len(s.red_flags),
                "cautions": len(s.cautions),
                "completeness": s.completeness,
                "care_model": s.care_model.value,
            }
            for phase in phases:
                subtotal = s.phases.get(phase)
                record[f"phase:{phase}"] = subtotal.percent if subtotal else None
            record["cost_most"] = _costs_words(s)
            records.append(record)
        return records

    def difference_records(self, limit: int | None = COSTS_SHOWN) -> list[dict[str, Any]]:
        """:meth:`differences` as flat dicts: item, difference, then each provider's points.

        Provider columns are named ``"<rank>. <name>"`` so that equal names stay apart.
        """
        names = [f"{rank}. {s.provider.name}" for rank, s in enumerate(self.rows, start=1)]
        return [
            {"item": d.item, "difference": d.spread, **dict(zip(names, d.points, strict=True))}
            for d in self.differences(limit)
        ]

    def to_dataframe(self) -> Any:
        """The records as a :class:`pandas.DataFrame` (pandas is optional)."""
        try:
            pd = importlib.import_module("pandas")  # optional and heavy: imported when used
        except ImportError:
            raise MissingDependencyError(
                "Comparison.to_dataframe() needs pandas, which is not installed "
                "(pip install pandas); to_records() gives the same rows without it"
            ) from None
        return pd.DataFrame.from_records(self.to_records())


def compare(responses: Iterable[Response], profile: ProfileSpec = None) -> Comparison:
    """Score each response (with *profile*) and rank them; see :class:`Comparison`."""
    return Comparison(tuple(score(r, profile) for r in responses))
