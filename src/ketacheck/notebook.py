"""The notebook form: fill a checklist with ipywidgets (extra ``notebook``).

:func:`form` returns a :class:`Form`, an ipywidgets ``VBox`` with one row per item: the right
control for its kind, a notes box beside it and its *why* on demand. Items whose condition
does not hold are hidden and reappear as answers change; a score panel at the top follows
every change. ``form.response`` is always the current :class:`~ketacheck.response.Response`,
and with a *path* every change is saved to that file atomically::

    from ketacheck.notebook import form

    f = form(path="cedar.toml")    # continues cedar.toml when it exists
    f                              # shows the form in Jupyter

Controls can be set from code as a person would set them, which is how the form is used
headless (in tests, or a notebook run by CI)::

    f.controls["baseline-bp-check"].answer.value = "yes"
    f.controls["routes"].options["iv"].value = True
    f.score.percent

Importing this module imports ipywidgets; ``import ketacheck`` does not.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from typing import Any, Final

import attrs

from ketacheck import _autosave, catalog, scoring
from ketacheck.conditions import UNKNOWN, Answer
from ketacheck.exceptions import KetacheckError, MissingDependencyError, Problem, ResponseError
from ketacheck.model import Checklist, Item, ItemKind, Section
from ketacheck.rendering._common import PHASE_TITLES, condition_labels, number_hint, when_text
from ketacheck.response import Response
from ketacheck.scoring._explain import counted, verdict_note

try:
    import ipywidgets as widgets  # type: ignore[import-untyped] # ipywidgets ships no types
except ImportError as e:
    raise MissingDependencyError(
        "ketacheck.notebook needs ipywidgets 8, which is not installed; "
        "install ketacheck[notebook] (pip install 'ketacheck[notebook]')"
    ) from e

if int(widgets.__version__.split(".")[0]) < 8:
    raise MissingDependencyError(
        f"ketacheck.notebook needs ipywidgets 8 or newer, found {widgets.__version__}; "
        "install ketacheck[notebook] (pip install -U 'ketacheck[notebook]')"
    )

__all__ = ["Form", "ItemControls", "form"]

DROPDOWN_AFTER: Final = 8
"""A choice item with more options than this gets a dropdown instead of radio buttons."""

_HIDDEN: Final = "none"


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


def _options(item: Item) -> list[tuple[str, str]]:
    """(label, value) pairs for a yes-no or choice control, ``unknown`` last."""
    if item.kind is ItemKind.YES_NO:
        pairs = [(i, i) for i in item.option_ids]
    else:
        pairs = [(o.label, o.id) for o in item.options or ()]
    return [*pairs, (UNKNOWN, UNKNOWN)]


def _number_start(item: Item, answer: Answer | None) -> float:
    if isinstance(answer, int | float):
        return answer
    return item.min if item.min is not None else 0


class Form(widgets.VBox):  # type: ignore[misc] # ipywidgets ships no types
    """A checklist form for one provider; ``response`` always holds the current answers.

    Make one with :func:`form`. Attributes: ``response``, ``controls`` (item id to
    :class:`ItemControls`), ``provider`` (the provider-name Text), ``panel`` (the score
    panel), ``saved`` (the save status line), ``path`` (None without autosave) and
    ``save_error`` (the last failed save's message, or None).
    """

    def __init__(
        self,
        filled: Response,
        *,
        saver: _autosave.AutoSave | None = None,
        profile: scoring.ProfileSpec = None,
    ) -> None:
        """A form over *filled*, saving through *saver* after every change."""
        self.response = filled
        self.profile = profile
        self.path = None if saver is None else saver.path
        self.save_error: str | None = None
        self._saver = saver
        self._syncing = False
        checklist = filled.checklist
        self._labels = condition_labels(checklist)
        self.controls: dict[str, ItemControls] = {}
        self.provider = widgets.Text(
            value=filled.provider.name,
            description="Provider",
            placeholder="name of the practice",
            continuous_update=False,
        )
        self.provider.observe(self._provider_changed, names="value")
        self.panel = widgets.HTML()
        self.saved = widgets.HTML()
        self._sections: list[tuple[Section, Any]] = []
        number = 0
        for section in checklist.sections:
            rows = []
            for item in section.items:
                number += 1
                controls = self._row(item, number)
                self.controls[item.id] = controls
                rows.append(controls.box)
            phase = PHASE_TITLES[section.effective_phase.value]
            heading = widgets.HTML(
                f"<h3>{html.escape(section.title)}</h3><p><i>{html.escape(phase)}</i></p>"
            )
            box = widgets.VBox([heading, *rows])
            self._sections.append((section, box))
        title = widgets.HTML(
            f"<h2>{html.escape(checklist.title)}</h2>"
            f"<p>{html.escape(checklist.id)} {html.escape(checklist.version)}</p>"
        )
        super().__init__(
            children=[title, self.provider, self.panel, self.saved]
            + [box for _, box in self._sections]
        )
        self.refresh()

    # -- building -------------------------------------------------------------------------

    def _row(self, item: Item, number: int) -> ItemControls:
        answer = self.response.answers.get(item.id)
        kind = item.kind
        extra: dict[str, Any] = {}
        if kind is ItemKind.YES_NO:
            main = widgets.ToggleButtons(options=_options(item), value=answer)
            inputs = [main]
        elif kind is ItemKind.CHOICE:
            cls = (
                widgets.Dropdown if len(item.option_ids) > DROPDOWN_AFTER else widgets.RadioButtons
            )
            main = cls(options=_options(item), value=answer, layout=widgets.Layout(width="auto"))
            inputs = [main]
        elif kind is ItemKind.MULTI:
            chosen = answer if isinstance(answer, tuple) else ()
            boxes = {
                o.id: widgets.Checkbox(value=o.id in chosen, description=o.label, indent=False)
                for o in item.options or ()
            }
            extra["options"] = boxes
            extra["none"] = widgets.Checkbox(
                value=answer == (), description="none of these", indent=False
            )
            extra["unknown"] = widgets.ToggleButton(value=answer == UNKNOWN, description=UNKNOWN)
            main = widgets.VBox([*boxes.values(), extra["none"]])
            inputs = [main, extra["unknown"]]
        elif kind is ItemKind.NUMBER:
            start = _number_start(item, answer)
            if item.min is not None and item.max is not None:
                main = widgets.BoundedFloatText(value=start, min=item.min, max=item.max)
            else:
                main = widgets.FloatText(value=start)
            extra["unknown"] = widgets.ToggleButton(value=answer == UNKNOWN, description=UNKNOWN)
            extra["record"] = widgets.Button(
                description="record", tooltip="Record the number shown as the answer"
            )
            inputs = [main, widgets.Label(number_hint(item)), extra["record"], extra["unknown"]]
        else:
            main = widgets.Textarea(
                value=answer if isinstance(answer, str) else "",
                placeholder=item.placeholder or "",
                continuous_update=False,
            )
            inputs = [main]
        clear = widgets.Button(description="clear", tooltip="Remove the answer")
        note = widgets.Textarea(
            value=self.response.notes.get(item.id, ""),
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
        header = f"<b>{number}.</b> {html.escape(item.prompt)}"
        condition = when_text(self.response.checklist, item, self._labels)
        if condition:
            header += f"<br><small><i>{html.escape(condition)}</i></small>"
        left = widgets.VBox(
            [widgets.HTML(header), widgets.HBox([*inputs, clear]), status]
            + ([why] if why is not None else []),
            layout=widgets.Layout(flex="3 1 0%"),
        )
        box = widgets.HBox([left, note])
        controls = ItemControls(
            item=item, box=box, answer=main, clear=clear, note=note, why=why, status=status, **extra
        )
        self._wire(controls)
        return controls

    def _wire(self, c: ItemControls) -> None:
        kind = c.item.kind
        if kind is ItemKind.MULTI:
            for box in (*c.options.values(), c.none, c.unknown):
                box.observe(lambda change, c=c: self._multi_changed(c, change["owner"]), "value")
        elif kind is ItemKind.NUMBER:
            c.answer.observe(lambda _change, c=c: self._number_changed(c), "value")
            c.record.on_click(lambda _button, c=c: self._number_changed(c))
            c.unknown.observe(lambda _change, c=c: self._number_unknown(c), "value")
        else:
            c.answer.observe(lambda change, c=c: self._value_changed(c, change["new"]), "value")
        c.clear.on_click(lambda _button, c=c: self._clear(c))
        c.note.observe(lambda change, c=c: self._note_changed(c, change["new"]), "value")

    # -- reacting -------------------------------------------------------------------------

    def _set(self, c: ItemControls, value: Answer | None) -> None:
        """Record *value* (None: no answer) for the item, or say why it was refused."""
        try:
            if value is None:
                self.response.clear(c.item.id)
            else:
                self.response.answer(c.item.id, value)
        except KetacheckError as e:
            c.status.value = f'<span style="color:#b00020">{html.escape(str(e))}</span>'
            return
        c.status.value = ""
        self._changed()

    def _value_changed(self, c: ItemControls, new: object) -> None:
        if self._syncing:
            return
        if c.item.kind is ItemKind.TEXT:
            self._set(c, new or None)  # type: ignore[arg-type]
        else:
            self._set(c, new)  # type: ignore[arg-type]

    def _multi_changed(self, c: ItemControls, source: Any) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            if source is c.unknown and c.unknown.value:
                for box in (*c.options.values(), c.none):
                    box.value = False
            elif source is c.none and c.none.value:
                for box in c.options.values():
                    box.value = False
                c.unknown.value = False
            elif source.value:
                c.none.value = False
                c.unknown.value = False
        finally:
            self._syncing = False
        chosen = tuple(option for option, box in c.options.items() if box.value)
        if c.unknown.value:
            self._set(c, UNKNOWN)
        elif c.none.value:
            self._set(c, ())
        else:
            self._set(c, chosen or None)

    def _number_changed(self, c: ItemControls) -> None:
        if self._syncing:
            return
        self._syncing = True
        c.unknown.value = False
        self._syncing = False
        value = float(c.answer.value)
        self._set(c, int(value) if value.is_integer() else value)

    def _number_unknown(self, c: ItemControls) -> None:
        if self._syncing:
            return
        self._set(c, UNKNOWN if c.unknown.value else None)

    def _clear(self, c: ItemControls) -> None:
        self._syncing = True
        try:
            kind = c.item.kind
            if kind is ItemKind.MULTI:
                for box in (*c.options.values(), c.none, c.unknown):
                    box.value = False
            elif kind is ItemKind.NUMBER:
                c.unknown.value = False
                c.answer.value = _number_start(c.item, None)
            elif kind is ItemKind.TEXT:
                c.answer.value = ""
            else:
                c.answer.value = None
        finally:
            self._syncing = False
        self._set(c, None)

    def _note_changed(self, c: ItemControls, new: str) -> None:
        self.response.set_note(c.item.id, new or None)
        self._changed()

    def _provider_changed(self, change: Mapping[str, Any]) -> None:
        self.response.provider = attrs.evolve(self.response.provider, name=change["new"])
        self._changed()

    def _changed(self) -> None:
        if self._saver is not None:
            try:
                self._saver.save(self.response)
            except (KetacheckError, OSError) as e:
                self.save_error = str(e)
                self.saved.value = (
                    f'<p style="color:#b00020">Not saved: {html.escape(self.save_error)}</p>'
                )
            else:
                self.save_error = None
                self.saved.value = f"<p>Saved to {html.escape(os.fspath(self._saver.path))}.</p>"
        self.refresh()

    # -- showing --------------------------------------------------------------------------

    @property
    def score(self) -> scoring.Score:
        """The current answers' score (with the form's profile)."""
        return scoring.score(self.response, self.profile)

    def refresh(self) -> None:
        """Show the items that apply, hide the others, and update the score panel.

        The form calls this after every change it makes; call it after changing
        ``form.response`` from code.
        """
        applicable = {
            i.id for i in scoring.applicable(self.response.checklist, self.response.answers)
        }
        for item_id, c in self.controls.items():
            c.box.layout.display = None if item_id in applicable else _HIDDEN
        for section, box in self._sections:
            shown = any(i.id in applicable for i in section.items)
            box.layout.display = None if shown else _HIDDEN
        self.panel.value = _panel(self.score)

    def __repr__(self) -> str:
        """The checklist, the provider and how far the form is filled."""
        r = self.response
        return f"<Form {r.checklist.id} for {r.provider.name!r}: {_summary(self.score)}>"


def _percent(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}%"


def _summary(s: scoring.Score) -> str:
    band = f" ({s.band}{', capped' if s.band_capped else ''})" if s.band else ""
    completeness = "n/a" if s.completeness is None else _percent(100 * s.completeness, 0)
    cautions = f"{counted(len(s.cautions), 'caution')}, " if s.cautions else ""
    return (
        f"{_percent(s.percent)}{band}, {counted(len(s.red_flags), 'red flag')}, {cautions}"
        f"completeness {completeness}, care model {s.care_model}"
    )


def _panel(s: scoring.Score) -> str:
    """The score panel's HTML: score, why the band is capped or missing, flags, cautions."""
    parts = [f"<p><b>Score:</b> {html.escape(_summary(s))}</p>"]
    note = verdict_note(s)
    if note:
        parts.append(f"<p><i>{html.escape(note)}</i></p>")
    for title, flags in (("Red flags", s.red_flags), ("Cautions", s.cautions)):
        if flags:
            parts.append(f"<p><b>{title} ({len(flags)}):</b></p><ul>")
            parts.extend(
                f"<li>{html.escape(f.reason)} <small>({html.escape(f.item)}: "
                f"{html.escape(str(f.answer))})</small></li>"
                for f in flags
            )
            parts.append("</ul>")
    return "".join(parts)


def form(
    checklist: Checklist | str | os.PathLike[str] | None = None,
    response: Response | None = None,
    path: str | os.PathLike[str] | None = None,
    *,
    profile: scoring.ProfileSpec = None,
) -> Form:
    """A form to fill *checklist* for one provider in a notebook.

    Args:
        checklist: a Checklist, a bundled checklist id or a path (catalog.resolve); None is
            the bundled default, or the checklist of *response* or of the file at *path*.
        response: a response to continue; the controls start from its answers.
        path: a response file to save to, atomically, after every change. When it exists
            and no *response* is given, its answers are continued. A file that is not a
            response is refused (FileExistsError), never overwritten.
        profile: the profile the score panel uses.

    Raises ResponseError when *response* answers another checklist than *checklist*.
    """
    chosen = checklist if isinstance(checklist, Checklist | None) else catalog.resolve(checklist)
    saver = None
    if path is not None:
        existing, saver = _autosave.open_file(path, chosen)
        if response is None:
            response = existing
    if response is None:
        response = Response.new(chosen if chosen is not None else catalog.resolve(None))
    elif chosen is not None and chosen != response.checklist:
        theirs, ours = response.checklist, chosen
        raise ResponseError(
            "<response>",
            [
                Problem(
                    "checklist",
                    f'the response answers "{theirs.id}" {theirs.version}, '
                    f'not "{ours.id}" {ours.version}',
                )
            ],
        )
    return Form(response, saver=saver, profile=profile)
