"""One question on import: its kind, options, extensions, condition and guidance.

:class:`Questions` turns each FHIR question item into an :class:`~ketacheck.model.Item`,
giving it a kebab-case id, and keeps what the result maps back (ids to linkIds, option ids
to codes) and what later conditions need to know about it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ketacheck import conditions as c
from ketacheck.fhir._common import HIDDEN, Ids
from ketacheck.fhir._import_extensions import CALCULATED, item_extensions
from ketacheck.fhir._import_options import Opt, options, yes_no, yes_no_system
from ketacheck.fhir._import_when import Conditions, both
from ketacheck.fhir._reading import SKIP_ITEM, Reader
from ketacheck.fhir._when import Target
from ketacheck.model import Item, ItemKind, Option

UNSUPPORTED_TYPES: Final = frozenset(
    {"date", "dateTime", "time", "attachment", "reference", "quantity", "question"}
)
"""FHIR item types that ketacheck has no kind for: such questions are skipped."""
CHOICE_TYPES: Final = frozenset({"choice", "open-choice", "coding"})
KNOWN_TYPES: Final = frozenset(
    {"group", "display", "boolean", "decimal", "integer", "string", "text", "url"}
    | CHOICE_TYPES
    | UNSUPPORTED_TYPES
)
"""Every FHIR R4 and R5 item type; any other is an error."""
_BOOLEAN_CODES: Final = {"true": "yes", "false": "no"}


def display_text(r: Reader, item: Mapping[str, Any], path: str) -> str | None:
    """The text of a display item (None when empty; reported when hidden)."""
    text = r.string(item, "text", path)
    hidden = any(e.get("valueBoolean") is True for e in r.extensions_of(item, path, HIDDEN))
    if text is None or not text.strip():
        return None
    if hidden:
        r.skip(path, f'hidden display item "{item["linkId"]}"')
        return None
    return text


class Questions:
    """The questions imported so far, and how each was mapped."""

    def __init__(self, r: Reader, value_sets: Mapping[str, Mapping[str, Any]]) -> None:
        self.r = r
        self.value_sets = value_sets
        self.ids = Ids()
        self.targets: dict[str, Target] = {}
        """Each imported linkId to what a condition needs to know about its item."""
        self.link_ids: dict[str, str] = {}
        """Each item id to the linkId it was made from."""
        self.option_codes: dict[str, dict[str, str]] = {}
        """For items with options, each option id to the code it was made from."""
        self.conditions = Conditions(r, self.targets, self.link_ids)

    def item(
        self, item: Mapping[str, Any], path: str, link_id: str, outer: c.Condition | None
    ) -> Item | None:
        """The question *item* under condition *outer*; None (reported) when it is skipped."""
        fhir_type: str = item["type"]
        name = f'"{link_id}"'
        if self._left_out(item, path, name, fhir_type):
            return None
        has_options = "answerOption" in item or "answerValueSet" in item
        opts: list[Opt] | None = None
        if fhir_type in CHOICE_TYPES or (has_options and fhir_type != "boolean"):
            opts = options(self.r, item, path, name, self.value_sets)
            if opts is None:
                return None
        kind = self._kind(item, path, name, fhir_type, opts)
        self._note_unsupported(item, path, name, kind)
        item_id = self.ids.claim(link_id, "item")
        fields: dict[str, Any] = {"weight": 0} if opts is None and kind is ItemKind.YES_NO else {}
        extensions = item_extensions(self.r, item, path, kind, name)
        fields.update(extensions.fields)
        fields["when"] = both(outer, self.conditions.of_item(item, path, extensions.when))
        guidance = self._guidance(item, path)
        if guidance is not None:
            fields["guidance"] = guidance
        text = self.r.string(item, "text", path)
        fields["prompt"] = text if text is not None and text.strip() else link_id
        codes: dict[str, str] = {}
        if opts is not None:
            codes = self._options(item_id, kind, opts, fields, path)
        elif kind is ItemKind.YES_NO:
            codes = dict(_BOOLEAN_CODES)
            self.option_codes[item_id] = {"yes": "true", "no": "false"}
        self.link_ids[item_id] = link_id
        self.targets[link_id] = Target(item_id, kind, codes, integer=fhir_type == "integer")
        if fhir_type == "integer" and kind is ItemKind.NUMBER:
            fields.setdefault("integer", True)  # FHIR integer items take whole numbers only
        return Item(id=item_id, kind=kind, **fields)

    def _left_out(self, item: Mapping[str, Any], path: str, name: str, fhir_type: str) -> bool:
        """Whether the question cannot be imported at all (and is reported)."""
        if item.get("modifierExtension"):
            self.r.skip(path, f"{name} has modifier extensions", SKIP_ITEM)
            return True
        if any(True for _ in self.r.extensions_of(item, path, CALCULATED)):
            self.r.skip(
                path,
                f"{name} has a calculatedExpression (a calculated value, such as a total; "
                "ketacheck computes scores itself)",
                SKIP_ITEM,
            )
            return True
        if fhir_type in UNSUPPORTED_TYPES:
            self.r.skip(
                path, f"{name} has type {fhir_type}, which ketacheck has no kind for", SKIP_ITEM
            )
            return True
        return False

    def _kind(
        self,
        item: Mapping[str, Any],
        path: str,
        name: str,
        fhir_type: str,
        opts: list[Opt] | None,
    ) -> ItemKind:
        if opts is None:
            if fhir_type == "boolean":
                return ItemKind.YES_NO
            return ItemKind.NUMBER if fhir_type in ("decimal", "integer") else ItemKind.TEXT
        repeats = item.get("repeats") is True
        kind = ItemKind.MULTI if repeats else ItemKind.CHOICE
        if not repeats and sorted(o.code for o in opts) == ["no", "yes"] and yes_no_system(item):
            kind = ItemKind.YES_NO
        if fhir_type == "open-choice" or item.get("answerConstraint") not in (None, "optionsOnly"):
            self.r.skip(
                path, f"{name} allows answers outside its options", "only the options are imported"
            )
        return kind

    def _note_unsupported(
        self, item: Mapping[str, Any], path: str, name: str, kind: ItemKind
    ) -> None:
        """Report what the question has that is not carried over: repeats, initial answers..."""
        if item.get("repeats") is True and kind is not ItemKind.MULTI:
            self.r.skip(path, f"{name} repeats", "one answer is imported")
        if item.get("initial"):
            self.r.skip(f"{path}.initial", f"the initial answers of {name}")
        if item.get("readOnly") is True:
            self.r.skip(
                f"{path}.readOnly", f"{name} is read-only", "it is imported as an ordinary question"
            )

    def _guidance(self, item: Mapping[str, Any], path: str) -> str | None:
        texts = []
        for cpath, child in self.r.each(item, "item", path):
            if child.get("type") == "display":
                text = display_text(self.r, child, cpath)
                if text is not None:
                    texts.append(text)
        return "\n\n".join(texts) if texts else None

    def _options(
        self, item_id: str, kind: ItemKind, opts: list[Opt], fields: dict[str, Any], path: str
    ) -> dict[str, str]:
        """Set the item's option fields; return each option's code to its new id."""
        ids = Ids(reserved=[c.UNKNOWN])
        made = [(ids.claim(o.code, "option"), o) for o in opts]
        if kind is ItemKind.YES_NO:
            fields.update(yes_no(self.r, made, fields.get("good"), path))
        else:
            fields["options"] = tuple(
                Option(
                    id=oid, label=o.label, points=o.points, red_flag=o.red_flag, caution=o.caution
                )
                for oid, o in made
            )
        self.option_codes[item_id] = {oid: o.code for oid, o in made}
        return {o.code: oid for oid, o in made}
