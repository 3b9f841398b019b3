"""The format's rules for scoring and warnings (DESIGN §3).

``[scoring]``, ``red-flag`` and ``caution``, ``integer``, and the number bands that
``validate --strict`` finds unreachable.

:mod:`ketacheck.validate` runs these with the rest of the format's rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ketacheck._format import ItemKind
from ketacheck._words import number
from ketacheck.exceptions import Problem

if TYPE_CHECKING:
    from ketacheck.model import Checklist, Item

__all__ = ["item_warning_problems", "scoring_problems", "unreachable_band_problems"]

_BOTH = "one answer carries at most one warning: red-flag or caution, not both"


def scoring_problems(checklist: Checklist) -> Iterator[Problem]:
    """The ``[scoring]`` table: bands, ``min-completeness``, ``red-flag-band``."""
    if checklist.scoring is None:
        return
    scoring = checklist.scoring
    bands = scoring.bands
    for i, band in enumerate(bands):
        if not 0 <= band.min <= 100:
            yield Problem(f"scoring.bands[{i}].min", f"must be from 0 to 100, got {band.min:g}")
        if i and band.min >= bands[i - 1].min:
            yield Problem(
                f"scoring.bands[{i}].min",
                f"bands must be listed with strictly descending min ({band.min:g} follows "
                f"{bands[i - 1].min:g})",
            )
    if bands and bands[-1].min != 0:
        yield Problem(
            f"scoring.bands[{len(bands) - 1}].min",
            f"the last band must have min = 0, got {bands[-1].min:g}",
        )
    if not 0 <= scoring.min_completeness <= 1:
        yield Problem(
            "scoring.min-completeness",
            f"must be from 0 to 1 (a share of the applicable items), "
            f"got {number(scoring.min_completeness)}",
        )
    cap = scoring.red_flag_band
    if cap is not None:
        labels = [b.label for b in bands]
        if not labels:
            yield Problem(
                "scoring.red-flag-band",
                f'"{cap}" names a band, but the checklist has no bands (add scoring.bands)',
            )
        elif cap not in labels:
            yield Problem(
                "scoring.red-flag-band",
                f'no band has the label "{cap}" (the bands are: {", ".join(labels)})',
            )


def item_warning_problems(item: Item, path: str) -> Iterator[Problem]:
    """Warnings (one place carries at most one of ``red-flag`` and ``caution``), ``integer``."""
    if item.kind is not ItemKind.YES_NO and item.caution is not None:
        yield Problem(
            f"{path}.caution",
            f"unknown key for a {item.kind} item (an item-level caution belongs to yes-no "
            "items; put it on an option or a number band)",
        )
    elif item.red_flag is not None and item.caution is not None:
        yield Problem(f"{path}.caution", _BOTH)
    if item.red_flag_if_unknown is not None and item.caution_if_unknown is not None:
        yield Problem(
            f"{path}.caution-if-unknown",
            "an item has at most one of red-flag-if-unknown and caution-if-unknown",
        )
    for i, option in enumerate(item.options or ()):
        if option.red_flag is not None and option.caution is not None:
            yield Problem(f"{path}.options[{i}].caution", _BOTH)
    for i, band in enumerate(item.points or ()):
        if band.red_flag is not None and band.caution is not None:
            yield Problem(f"{path}.points[{i}].caution", _BOTH)
    if item.integer is not None and item.kind is not ItemKind.NUMBER:
        yield Problem(
            f"{path}.integer",
            f"unknown key for a {item.kind} item (integer belongs to number items)",
        )


def _answers_reach(item: Item, low: float, high: float | None) -> bool:
    """Whether some allowed answer is at least *low* and below *high* (None: no bound)."""
    top = item.max if high is None else (high if item.max is None else min(high, item.max))
    bottom = low if item.min is None else max(low, item.min)
    inclusive = high is None or (item.max is not None and item.max < high)
    if item.integer:
        first = math.ceil(bottom)
        if top is None:
            return True
        return first <= top if inclusive else first < top
    if top is None:
        return True
    return bottom <= top if inclusive else bottom < top


def unreachable_band_problems(checklist: Checklist) -> Iterator[Problem]:
    """Number bands that no answer can reach: above ``max``, or shadowed by an earlier band."""
    for si, section in enumerate(checklist.sections):
        for ii, item in enumerate(section.items):
            bands = item.points or ()
            for bi, band in enumerate(bands):
                path = f"sections[{si}].items[{ii}].points[{bi}].at-least"
                higher = bands[bi - 1].at_least if bi else None
                if higher is not None and band.at_least >= higher:
                    continue  # not descending: a format error, reported on load
                if item.max is not None and band.at_least > item.max:
                    yield Problem(
                        path,
                        f"no answer reaches this band: at-least {number(band.at_least)} is "
                        f"above max ({number(item.max)})",
                    )
                elif not _answers_reach(item, band.at_least, higher):
                    yield Problem(
                        path,
                        f"no answer reaches this band: every answer it would take reaches an "
                        f"earlier band first (at-least {number(higher or 0)})",
                    )
