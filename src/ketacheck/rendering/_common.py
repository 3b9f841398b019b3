"""Plumbing shared by every output format: numbering, conditions in words, source notes."""

from __future__ import annotations

from collections.abc import Mapping

from ketacheck.conditions import describe
from ketacheck.model import Checklist, Item, Source

PHASE_TITLES: Mapping[str, str] = {
    "before": "Before treatment",
    "during": "During dosing",
    "after": "After dosing",
    "general": "General",
}
"""Plain headings for the phases."""


def condition_labels(checklist: Checklist) -> dict[str, str]:
    """Labels for :func:`ketacheck.conditions.describe`: prompts and option labels."""
    labels: dict[str, str] = {}
    for item in checklist.items:
        labels[item.id] = f'"{item.prompt}"'
        for option in item.options or ():
            labels[f"{item.id}/{option.id}"] = option.label
    return labels


def when_text(
    checklist: Checklist, item: Item, labels: Mapping[str, str] | None = None
) -> str | None:
    """The item's condition in words (``Only if ...``), or None when it always applies."""
    if item.when is None:
        return None
    return "Only if " + describe(item.when, labels or condition_labels(checklist)) + "."


def source_numbers(checklist: Checklist) -> dict[str, int]:
    """Number the sources 1, 2, ... in order of first citation, then the uncited ones."""
    numbers: dict[str, int] = {}
    for item in checklist.items:
        for source_id in item.sources:
            numbers.setdefault(source_id, len(numbers) + 1)
    for source in checklist.sources:
        numbers.setdefault(source.id, len(numbers) + 1)
    return numbers


def numbered_sources(checklist: Checklist) -> list[tuple[int, Source]]:
    """The checklist's sources with their note numbers, in number order."""
    numbers = source_numbers(checklist)
    return sorted(((numbers[s.id], s) for s in checklist.sources), key=lambda pair: pair[0])


def number_hint(item: Item) -> str:
    """A number item's unit and bounds in words, e.g. ``minutes, 0 to 600``."""
    parts = []
    if item.unit:
        parts.append(item.unit)
    if item.min is not None and item.max is not None:
        parts.append(f"{item.min:g} to {item.max:g}")
    elif item.min is not None:
        parts.append(f"at least {item.min:g}")
    elif item.max is not None:
        parts.append(f"at most {item.max:g}")
    return ", ".join(parts)
