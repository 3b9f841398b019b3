"""How numbers, ranges and answers are written for people, everywhere in ketacheck.

Error messages, the interview, reports and score explanations all say these things the same
way because they all say them through this module.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, TypeGuard

from ketacheck._format import UNKNOWN

if TYPE_CHECKING:
    from ketacheck.conditions import Answer
    from ketacheck.model import Item


def finite(value: object) -> TypeGuard[float]:
    """Whether *value* is a finite number (not a boolean) that a float can hold.

    ``math.isfinite`` raises OverflowError for an integer too large for a float; this is
    false for it, so huge integers from files are refused, never a crash.
    """
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def number(value: float) -> str:
    """A number exactly as given, without a needless ``.0``: ``45``, ``0.5``, ``1e+20``."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def display_number(value: float) -> str:
    """A number rounded for reading: ``45``, ``0.5``, ``1,200``, ``12.33`` (2 decimals)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def number_range(item: Item) -> str:
    """What a number item accepts: ``a number from 0 to 600``, ``a whole number of at least 1``."""
    what = "a whole number" if item.integer else "a number"
    if item.min is not None and item.max is not None:
        return f"{what} from {number(item.min)} to {number(item.max)}"
    if item.min is not None:
        return f"{what} of at least {number(item.min)}"
    if item.max is not None:
        return f"{what} of at most {number(item.max)}"
    return what


def answer_words(item: Item, answer: Answer | None, *, quote_text: bool = False) -> str:
    """An answer as a person reads it: option labels, a number with its unit, the text.

    ``None`` (no answer) is ``""``; a text answer is quoted when *quote_text* is true.
    """
    if answer is None:
        return ""
    if answer == UNKNOWN:
        return "unknown"
    if isinstance(answer, tuple):
        return "; ".join(answer_words(item, a) for a in answer) or "none of these"
    if isinstance(answer, str):
        option = item.option(answer)
        if option is not None:
            return option.label
        if quote_text and item.option_ids == () and answer:
            return f'"{answer}"'
        return answer
    return display_number(answer) + (f" {item.unit}" if item.unit else "")
