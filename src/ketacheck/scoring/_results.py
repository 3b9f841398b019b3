"""What scoring returns: :class:`Score` with its parts, and the JSON object it writes."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from ketacheck._display import NotebookDisplay
from ketacheck.conditions import Answer
from ketacheck.model import Checklist
from ketacheck.scoring._explain import counted, explain_lines, hundred, pct

if TYPE_CHECKING:
    from ketacheck.response import Provider

Status: TypeAlias = Literal["answered", "unknown", "unanswered"]


class CareModel(enum.StrEnum):
    """How therapy relates to the medicine, as the answers reveal it (DESIGN §5.9)."""

    MEDICATION_ONLY = "medication-only"
    """No therapy in any phase."""
    THERAPY_SUPPORTED = "therapy-supported"
    """Therapy before and/or after the dosing session, but not during it."""
    PSYCHOTHERAPY_INTEGRATED = "psychotherapy-integrated"
    """Therapy during the dosing session."""
    UNDETERMINED = "undetermined"
    """Not enough answers to tell."""


@attrs.frozen
class RedFlag:
    """An answer that is a dealbreaker, and why."""

    item: str
    answer: str | float
    """The option id, ``yes``/``no``, the number, or ``unknown``."""
    reason: str


@attrs.frozen
class Caution:
    """An answer worth raising with the provider that is not a dealbreaker, and why."""

    item: str
    answer: str | float
    """The option id, ``yes``/``no``, the number, or ``unknown``."""
    reason: str


@attrs.frozen
class Subtotal:
    """Points of a section, phase or tag (weighted, like the total)."""

    points: float
    max_points: float
    percent: float | None
    """``100 * points / max_points``; None when ``max_points`` is 0."""


@attrs.frozen(kw_only=True)
class ItemScore:
    """What one applicable item contributed to the total."""

    item: str
    answer: Answer | None
    points: float
    """Weighted points earned (``weight * item points``)."""
    max_points: float
    """Weighted points it could earn; 0 when skipped (``unknown`` or ``unanswered = "skip"``)."""
    weight: float
    """The item's weight times the profile's multiplier."""
    status: Status

    @property
    def lost(self) -> float:
        """Weighted points it could have earned but did not."""
        return self.max_points - self.points


def _flags(values: tuple[RedFlag, ...] | tuple[Caution, ...]) -> list[dict[str, Any]]:
    return [{"item": f.item, "answer": f.answer, "reason": f.reason} for f in values]


def _subtotals(values: Mapping[str, Subtotal]) -> dict[str, dict[str, Any]]:
    return {
        k: {"points": s.points, "max_points": s.max_points, "percent": s.percent}
        for k, s in values.items()
    }


@attrs.frozen(kw_only=True, repr=False)
class Score(NotebookDisplay):
    """The score of one response: totals, band, warnings, completeness, care model, breakdown."""

    checklist_id: str
    checklist_version: str
    provider: Provider
    points: float
    max_points: float
    percent: float | None
    band: str | None
    """None without bands, below ``min-completeness``, or without a percent (DESIGN §5.5)."""
    band_capped: bool = False
    """Whether red flags lowered the band to the checklist's ``red-flag-band``."""
    red_flags: tuple[RedFlag, ...]
    cautions: tuple[Caution, ...] = ()
    completeness: float | None
    """Answered applicable items / applicable items; None when nothing applies."""
    care_model: CareModel
    sections: Mapping[str, Subtotal]
    phases: Mapping[str, Subtotal]
    tags: Mapping[str, Subtotal]
    unknown: tuple[str, ...]
    """Applicable items answered ``unknown``, in checklist order."""
    unanswered: tuple[str, ...]
    """Applicable items without an answer, in checklist order."""
    items: tuple[ItemScore, ...]
    """Every applicable item, in checklist order."""
    profile: str | None
    """The id of the profile used; None for none or an ad-hoc mapping."""
    _checklist: Checklist = attrs.field(eq=False)

    @property
    def checklist(self) -> Checklist:
        """The checklist the response was scored with."""
        return self._checklist

    @property
    def answers_needed(self) -> int:
        """How many more answers a verdict (a band) needs under ``min-completeness``.

        0 when completeness already reaches it. Answers can make more items apply, so this
        is the least number of further answers, counted on the items that apply now.
        """
        answered = len(self.items) - len(self.unanswered)
        return self._checklist.effective_scoring.answers_needed(answered, len(self.items))

    @property
    def uncapped_band(self) -> str | None:
        """The band the percent reaches before red flags lower it (None where ``band`` is)."""
        if not self.band_capped:
            return self.band
        return self._checklist.effective_scoring.band_for(self.percent)

    def __repr__(self) -> str:
        """Provider, percent, band, red flag and caution counts, completeness."""
        band = f" ({self.band}{', capped' if self.band_capped else ''})" if self.band else ""
        cautions = f", {counted(len(self.cautions), 'caution')}" if self.cautions else ""
        return (
            f"<Score for {self.provider.name!r}: {pct(self.percent)}{band}, "
            f"{counted(len(self.red_flags), 'red flag')}{cautions}, "
            f"{pct(hundred(self.completeness))} answered>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON object of ``ketacheck score --format json`` (docs/json-output.md)."""
        return {
            "checklist": self.checklist_id,
            "checklist_version": self.checklist_version,
            "provider": self.provider.name,
            "points": self.points,
            "max_points": self.max_points,
            "percent": self.percent,
            "band": self.band,
            "band_capped": self.band_capped,
            "completeness": self.completeness,
            "care_model": self.care_model.value,
            "red_flags": _flags(self.red_flags),
            "cautions": _flags(self.cautions),
            "unknown": list(self.unknown),
            "unanswered": list(self.unanswered),
            "sections": _subtotals(self.sections),
            "phases": _subtotals(self.phases),
            "tags": _subtotals(self.tags),
        }

    def costs(self, limit: int | None = None) -> tuple[ItemScore, ...]:
        """The items that lost weighted points, biggest loss first (ties in checklist order)."""
        losses = sorted((s for s in self.items if s.lost > 0), key=lambda s: -s.lost)
        return tuple(losses if limit is None else losses[:limit])

    def explain(self) -> str:
        """Plain-language lines that help a decision (docs/scoring.md).

        The verdict, why the band is capped or missing, red flags, then cautions, then the
        answers that cost the most weighted points (biggest first, each with the item's
        ``why``); unknown and unanswered items close the text.
        """
        return "\n".join(explain_lines(self))
