"""The scoring plan: a checklist compiled into plain data that the form's script interprets.

The plan is made from the same compiled checklist :func:`ketacheck.score` uses (its steps:
maxima, subtotal buckets, care-model phases, weights under each profile, the reason of an
``unknown`` flag), so the page and Python share one truth; the script only adds, compares
and looks up. It is JSON: numbers are the very floats Python computed.

Format (``format = 1``; ``docs/filling.md`` documents every key)::

    {
      "format": 1,
      "checklist": {"id", "version", "title"},
      "scoring": {"unknown": "zero"|"skip", "unanswered": "zero"|"skip",
                  "min_completeness": 0.75, "bands": [{"min", "label"}, ...],
                  "red_flag_band": "weak" | null (null only without bands)},
      "subtotals": {"sections": [ids], "phases": [ids], "tags": [ids]},
      "profiles": [{"id": null | "profile-id", "title", "weights": [w per item]}],
      "renamed": {"old-id": "new-id"},
      "provider_kinds": [...],
      "max_text": 10000,
      "items": [{"id", "kind", "prompt", "section", "buckets", "max", "referenced",
                 "therapy", "when", "good", "red_flag", "caution", "if_unknown",
                 "unknown_reason", "options", "bands", "min", "max_value", "integer",
                 "unit"}, ...]
    }
"""

from __future__ import annotations

from typing import Any, Final

from ketacheck.files._convert import unstructure_condition
from ketacheck.model import Checklist, Item, ItemKind, NumberBand, Option
from ketacheck.response import MAX_TEXT, ProviderKind

# The checklist as score() compiles it: the plan is read from it rather than repeated.
from ketacheck.scoring._plan import Step
from ketacheck.scoring._plan import plan as scoring_plan

__all__ = ["FORMAT", "compile_plan"]

FORMAT: Final = 1
"""The version of the plan's layout; the script refuses a plan of another format."""

NO_PROFILE_TITLE: Final = "Balanced (no profile)"
"""How the page names scoring without a profile."""


def _flags(obj: Item | Option | NumberBand) -> dict[str, str | None]:
    """The two warnings a place may carry: a dealbreaker (``red_flag``) or a ``caution``."""
    return {"red_flag": obj.red_flag, "caution": obj.caution}


def _if_unknown(step: Step) -> dict[str, str | None]:
    """What an ``unknown`` answer raises and why, as the scorer's step holds it.

    ``if_unknown`` is ``"red-flag"``, ``"caution"`` or None; ``unknown_reason`` the flag's text.
    """
    red, caution = step.unknown_flags
    if red:
        return {"if_unknown": "red-flag", "unknown_reason": red[0].reason}
    if caution:
        return {"if_unknown": "caution", "unknown_reason": caution[0].reason}
    return {"if_unknown": None, "unknown_reason": None}


def _kind_keys(item: Item) -> dict[str, Any]:
    """The keys only some kinds have: options, number bands and range, the good answer."""
    kind = item.kind
    out: dict[str, Any] = {}
    if kind is ItemKind.YES_NO:
        out["good"] = item.good_answer
        out.update(_flags(item))
    if kind in (ItemKind.CHOICE, ItemKind.MULTI):
        out["options"] = [
            {"id": o.id, "label": o.label, "points": o.points, **_flags(o)}
            for o in item.options or ()
        ]
    if kind is ItemKind.NUMBER:
        out["bands"] = [
            {"at_least": b.at_least, "points": b.points, **_flags(b)} for b in item.points or ()
        ]
        out["min"] = item.min
        out["max_value"] = item.max
        out["integer"] = bool(item.integer)
        out["unit"] = item.unit
    return out


def compile_plan(checklist: Checklist) -> dict[str, Any]:
    """The plan of *checklist*: everything the form's script needs to score and check answers.

    Weights are computed here for no profile and for each of the checklist's profiles, by
    the scorer's own code, so a multiplier is applied exactly as :func:`ketacheck.score`
    applies it.
    """
    compiled = scoring_plan(checklist)
    scoring = checklist.effective_scoring
    items = []
    for step in compiled.steps:
        item = step.item
        items.append(
            {
                "id": item.id,
                "kind": item.kind.value,
                "prompt": item.prompt,
                "section": compiled.section_ids.index(step.section),
                "buckets": list(step.buckets),
                "max": step.max,
                "referenced": step.referenced,
                "therapy": step.therapy,
                "when": None if item.when is None else unstructure_condition(item.when),
                **_if_unknown(step),
                **_kind_keys(item),
            }
        )
    profiles: list[dict[str, Any]] = [
        {"id": None, "title": NO_PROFILE_TITLE, "weights": _weights(checklist, None)}
    ]
    profiles.extend(
        {"id": p.id, "title": p.title or p.id, "weights": _weights(checklist, p.id)}
        for p in checklist.profiles
    )
    red_flag_band = scoring.red_flag_band
    if red_flag_band is None and scoring.bands:
        red_flag_band = scoring.bands[-1].label  # the default: the last band
    return {
        "format": FORMAT,
        "checklist": {"id": checklist.id, "version": checklist.version, "title": checklist.title},
        "scoring": {
            "unknown": scoring.unknown.value,
            "unanswered": scoring.unanswered.value,
            "min_completeness": scoring.min_completeness,
            "bands": [{"min": b.min, "label": b.label} for b in scoring.bands],
            "red_flag_band": red_flag_band,
        },
        "subtotals": {
            "sections": list(compiled.section_ids),
            "phases": list(compiled.phase_ids),
            "tags": list(compiled.tag_ids),
        },
        "profiles": profiles,
        "renamed": dict(checklist.renamed or {}),
        "provider_kinds": [k.value for k in ProviderKind],
        "max_text": MAX_TEXT,
        "items": items,
    }


def _weights(checklist: Checklist, profile: str | None) -> list[float]:
    """Each item's weight under *profile* (None: no profile), in checklist order."""
    rows, _ = scoring_plan(checklist).weighted(checklist, profile)
    return [row[-1] for row in rows]
