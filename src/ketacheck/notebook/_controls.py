"""The widgets of one item in the notebook form: built here, wired by :class:`Form`."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, Final

import attrs
import ipywidgets as widgets  # type: ignore[import-untyped] # ipywidgets ships no types

from ketacheck.conditions import UNKNOWN, Answer
from ketacheck.model import Item, ItemKind

DROPDOWN_AFTER: Final = 8
"""A choice item with more options than this gets a dropdown instead of radio buttons."""


@attrs.frozen(kw_only=True)
class ItemControls:
    """The widgets of one item. Set their values from code as a person would click them.

    ``answer`` is the item's main control: ToggleButtons (yes, no, unknown) for yes-no
    items; RadioButtons, or a Dropdown for long lists, for choice items (option ids and
    ``"unknown"`` as values); a FloatText (BoundedFloatText when the item has both bounds)
    for numbers; a Textarea for text; for multi items, the box holding the checkboxes in
    ``options``.
    """

    item: Item
    box: Any
    """The whole row; hidden (``layout.display == "none"``) while the item does not apply."""
    answer: Any
    options: Mapping[str, Any] = attrs.field(factory=dict)
    """Multi items: option id to its Checkbox."""
    none: Any = None
    """Multi items: the "none of these" Checkbox (an empty answer)."""
    unknown: Any = None
    """Multi and number items: the "unknown" ToggleButton."""
    record: Any = None
    """Number items: the Button that records the number shown (for a value already shown,
    such as 0, which typing does not change)."""
    clear: Any
    """The Button that removes the answer."""
    note: Any
    """The notes Textarea beside the item."""
    why: Any = None
    """The Accordion that shows why the question matters, when the item says."""
    status: Any
    """An HTML line: why the last change was refused, or empty."""


def options(item: Item) -> list[tuple[str, str]]:
    """(label, value) pairs for a yes-no or choice control, ``unknown`` last."""
    if item.kind is ItemKind.YES_NO:
        pairs = [(i, i) for i in item.option_ids]
    else:
        pairs = [(o.label, o.id) for o in item.options or ()]
    return [*pairs, (UNKNOWN, UNKNOWN)]


def number_start(item: Item, answer: Answer | None) -> float:
    """The number a number control shows for *answer* (the item's minimum, or 0, for none)."""
    if isinstance(answer, int | float):
        return answer
    return item.min if item.min is not None else 0


def inputs(item: Item, answer: Answer | None, hint: str) -> tuple[Any, list[Any], dict[str, Any]]:
    """The main control of *item*, every widget of its input row, and the extra controls."""
    kind = item.kind
    if kind is ItemKind.YES_NO:
        main = widgets.ToggleButtons(options=options(item), value=answer)
        return main, [main], {}
    if kind is ItemKind.CHOICE:
        cls = widgets.Dropdown if len(item.option_ids) > DROPDOWN_AFTER else widgets.RadioButtons
        main = cls(options=options(item), value=answer, layout=widgets.Layout(width="auto"))
        return main, [main], {}
    if kind is ItemKind.MULTI:
        return _multi(item, answer)
    if kind is ItemKind.NUMBER:
        return _number(item, answer, hint)
    main = widgets.Textarea(
        value=answer if isinstance(answer, str) else "",
        placeholder=item.placeholder or "",
        continuous_update=False,
    )
    return main, [main], {}


def _multi(item: Item, answer: Answer | None) -> tuple[Any, list[Any], dict[str, Any]]:
    chosen = answer if isinstance(answer, tuple) else ()
    boxes = {
        o.id: widgets.Checkbox(value=o.id in chosen, description=o.label, indent=False)
        for o in item.options or ()
    }
    extra = {
        "options": boxes,
        "none": widgets.Checkbox(value=answer == (), description="none of these", indent=False),
        "unknown": widgets.ToggleButton(value=answer == UNKNOWN, description=UNKNOWN),
    }
    main = widgets.VBox([*boxes.values(), extra["none"]])
    return main, [main, extra["unknown"]], extra


def _number(item: Item, answer: Answer | None, hint: str) -> tuple[Any, list[Any], dict[str, Any]]:
    start = number_start(item, answer)
    if item.min is not None and item.max is not None:
        main = widgets.BoundedFloatText(value=start, min=item.min, max=item.max)
    else:
        main = widgets.FloatText(value=start)
    extra = {
        "unknown": widgets.ToggleButton(value=answer == UNKNOWN, description=UNKNOWN),
        "record": widgets.Button(
            description="record", tooltip="Record the number shown as the answer"
        ),
    }
    return main, [main, widgets.Label(hint), extra["record"], extra["unknown"]], extra


def item_controls(
    item: Item, answer: Answer | None, note: str, header: str, hint: str
) -> ItemControls:
    """Every widget of one item's row; *header* is its HTML heading (number, prompt, when)."""
    main, row, extra = inputs(item, answer, hint)
    clear = widgets.Button(description="clear", tooltip="Remove the answer")
    notes = widgets.Textarea(
        value=note,
        placeholder="Notes",
        continuous_update=False,
        layout=widgets.Layout(flex="1 1 0%"),
    )
    why = None
    if item.why:
        why = widgets.Accordion(
            children=[widgets.HTML(f"<p>{html.escape(item.why)}</p>")],
            titles=("Why this matters",),
            selected_index=None,
        )
    status = widgets.HTML()
    left = widgets.VBox(
        [widgets.HTML(header), widgets.HBox([*row, clear]), status]
        + ([why] if why is not None else []),
        layout=widgets.Layout(flex="3 1 0%"),
    )
    return ItemControls(
        item=item,
        box=widgets.HBox([left, notes]),
        answer=main,
        clear=clear,
        note=notes,
        why=why,
        status=status,
        **extra,
    )
