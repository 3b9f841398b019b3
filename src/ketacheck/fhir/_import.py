"""FHIR R4/R5 Questionnaire -> Checklist, reporting by name whatever cannot be carried over.

Groups become sections (nested groups become sections of their own, in document order);
questions become items; answer options and contained ValueSets become options, with their
scores read from ``ordinalValue`` or ``itemWeight``; ``enableWhen`` becomes ``when``.
ketacheck's own extensions (written by :mod:`ketacheck.fhir._export`) restore what FHIR has
no element for, so an exported checklist imports back equal.

Two kinds of trouble are told apart. Input that is not a well-formed Questionnaire (bad
JSON types, an unknown item type, a malformed ketacheck extension) raises
:class:`~ketacheck.fhir.FhirError` naming the JSON path. Valid FHIR that ketacheck cannot
express (a calculated total, an attachment question, a FHIRPath condition) is skipped with a
warning, or raises with ``strict=True``; nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final, NoReturn

import attrs

from ketacheck import conditions as c
from ketacheck._words import finite
from ketacheck.exceptions import FhirError, LimitError, Problem, shorten
from ketacheck.fhir._common import (
    DATA_ABSENT_SYSTEM,
    ENABLE_WHEN_EXPRESSION,
    ENTRY_FORMAT,
    HIDDEN,
    HL7,
    ITEM_CONTROL,
    MAX_VALUE,
    MIN_VALUE,
    OPTION_EXCLUSIVE,
    QUESTIONNAIRE_BASE,
    SCORE_EXTENSIONS,
    SDC,
    SECTION_SUFFIX,
    UNIT,
    YES_NO_SYSTEM,
    Ids,
    K,
    slug,
)
from ketacheck.fhir._when import Target, WhenError, decode
from ketacheck.files._convert import Invalid, structure_condition
from ketacheck.model import (
    Band,
    Checklist,
    Item,
    ItemKind,
    NumberBand,
    Option,
    Phase,
    Profile,
    Scoring,
    Section,
    Source,
    Status,
    UnknownPolicy,
)
from ketacheck.validate import checklist_problems, is_id

IGNORED_EXTENSIONS: Final = frozenset(
    {
        ITEM_CONTROL,
        OPTION_EXCLUSIVE,
        HL7 + "questionnaire-optionPrefix",
        HL7 + "questionnaire-choiceOrientation",
        HL7 + "questionnaire-displayCategory",
        HL7 + "questionnaire-minOccurs",
        HL7 + "questionnaire-maxOccurs",
        HL7 + "questionnaire-sliderStepValue",
        HL7 + "questionnaire-supportLink",
        HL7 + "questionnaire-usageMode",
        HL7 + "rendering-style",
        HL7 + "rendering-xhtml",
        HL7 + "rendering-markdown",
        HL7 + "translation",
        HL7 + "maxDecimalPlaces",
        HL7 + "minLength",
        HL7 + "regex",
        SDC + "sdc-questionnaire-observationLinkPeriod",
        SDC + "sdc-questionnaire-observationExtract",
        SDC + "sdc-questionnaire-width",
        SDC + "sdc-questionnaire-collapsible",
        SDC + "sdc-questionnaire-shortText",
    }
)
"""Extensions about presentation or data capture only; importing ignores them silently."""
CALCULATED: Final = SDC + "sdc-questionnaire-calculatedExpression"
_LANGUAGE: Final = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_UNSUPPORTED_TYPES: Final = frozenset(
    {"date", "dateTime", "time", "attachment", "reference", "quantity", "question"}
)
_CHOICE_TYPES: Final = frozenset({"choice", "open-choice", "coding"})
_KNOWN_TYPES: Final = frozenset(
    {"group", "display", "boolean", "decimal", "integer", "string", "text", "url"}
    | _CHOICE_TYPES
    | _UNSUPPORTED_TYPES
)
_SKIP_ITEM: Final = "the item is skipped"
_NOT_CARRIED: Final = "it is not carried over"


@attrs.frozen(kw_only=True)
class ImportResult:
    """What :func:`ketacheck.fhir.from_questionnaire` returns."""

    checklist: Checklist
    """The imported, validated checklist."""
    warnings: tuple[str, ...] = ()
    """What could not be carried over, each starting with its JSON path (``item[9]: …``)."""
    link_ids: Mapping[str, str] = attrs.field(factory=dict)
    """Each item id to the linkId it was made from (ids are kebab-case, linkIds anything)."""
    option_codes: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    """For items with options: each option id to the code (or value) it was made from;
    ``{"yes": "true", "no": "false"}`` for FHIR boolean items."""


@attrs.define
class _Draft:
    """A section being filled: a group (or a run of top-level questions) in document order."""

    link_id: str | None
    title: str
    phase: Phase | None = None
    condition: c.Condition | None = None
    summary: list[str] = attrs.Factory(list)
    items: list[Item] = attrs.Factory(list)
    path: str = ""


@attrs.frozen
class _Opt:
    code: str
    label: str
    points: float
    red_flag: str | None
    caution: str | None = None


def _both(outer: c.Condition | None, inner: c.Condition | None) -> c.Condition | None:
    if outer is None or inner is None:
        return outer or inner
    return c.All((outer, inner))


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return json.dumps(value)[:60]


class _Importer:
    """One import: walks the Questionnaire once, collecting items, warnings and mappings."""

    def __init__(self, data: object, *, strict: bool, source: str) -> None:
        self.data = data
        self.strict = strict
        self.source = source
        self.skipped: list[tuple[str, str, str]] = []
        self.item_ids = Ids()
        self.section_ids = Ids()
        self.targets: dict[str, Target] = {}
        self.link_ids: dict[str, str] = {}
        self.option_codes: dict[str, dict[str, str]] = {}
        self.drafts: list[_Draft] = []
        self.root_texts: list[str] = []
        self.value_sets: dict[str, Mapping[str, Any]] = {}

    # -- reporting ---------------------------------------------------------------------

    def fail(self, path: str, message: str) -> NoReturn:
        """Raise FhirError for input that is not a well-formed Questionnaire."""
        raise FhirError(self.source, [Problem(path, message)])

    def skip(self, path: str, what: str, consequence: str = _NOT_CARRIED) -> None:
        """Record something valid that ketacheck cannot carry over."""
        self.skipped.append((path, what, consequence))

    # -- typed access ------------------------------------------------------------------

    def obj(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_describe(value)}")
        return value

    def array(self, element: Mapping[str, Any], key: str, path: str) -> list[Any]:
        value = element.get(key, [])
        if not isinstance(value, list):
            self.fail(
                f"{path}.{key}" if path else key, f"expected an array, got {_describe(value)}"
            )
        return value

    def each(
        self, element: Mapping[str, Any], key: str, path: str
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Each object of the array *element[key]*, with its JSON path."""
        prefix = f"{path}.{key}" if path else key
        for i, value in enumerate(self.array(element, key, path)):
            here = f"{prefix}[{i}]"
            obj = self.obj(value, here)
            if key == "extension" and not isinstance(obj.get("url"), str):
                self.fail(f"{here}.url", "an extension needs a url (a string)")
            yield here, obj

    def string(self, element: Mapping[str, Any], key: str, path: str) -> str | None:
        value = element.get(key)
        if value is not None and not isinstance(value, str):
            where = f"{path}.{key}" if path else key
            self.fail(where, f"expected a string, got {_describe(value)}")
        return value

    def value(self, e: Mapping[str, Any], path: str, kind: str) -> Any:
        """The ``value<kind>`` of extension *e*, type-checked (Decimal also takes Integer)."""
        kinds = ("Decimal", "Integer") if kind == "Decimal" else (kind,)
        for k in kinds:
            if f"value{k}" in e:
                v = e[f"value{k}"]
                break
        else:
            self.fail(path, f"expected value{kind} in extension {e.get('url')}")
        ok = {
            "Decimal": finite(v),
            "Boolean": isinstance(v, bool),
            "Coding": isinstance(v, dict),
        }.get(kind, isinstance(v, str))
        if not ok:
            self.fail(f"{path}.value{kind}", f"expected a {kind.lower()}, got {_describe(v)}")
        return v

    def parts(
        self, e: Mapping[str, Any], path: str
    ) -> dict[str, list[tuple[str, Mapping[str, Any]]]]:
        """The sub-extensions of a complex extension, by url, each with its path."""
        out: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
        for spath, sub in self.each(e, "extension", path):
            out.setdefault(str(sub.get("url")), []).append((spath, sub))
        return out

    def part(
        self,
        parts: Mapping[str, list[tuple[str, Mapping[str, Any]]]],
        name: str,
        path: str,
        kind: str,
        *,
        required: bool = True,
    ) -> Any:
        found = parts.get(name, [])
        if not found:
            if required:
                self.fail(path, f'extension needs a "{name}" part')
            return None
        spath, sub = found[0]
        return self.value(sub, spath, kind)

    # -- the walk ----------------------------------------------------------------------

    def run(self) -> ImportResult:
        data = self.obj(self.data, "")
        kind = data.get("resourceType")
        if kind != "Questionnaire":
            self.fail("resourceType", f'expected "Questionnaire", got {_describe(kind)}')
        self.index_value_sets(data)
        meta = self.root_extensions(data)
        if data.get("modifierExtension"):
            self.skip("modifierExtension", "the Questionnaire has modifier extensions")
        current: _Draft | None = None
        for path, child in self.each(data, "item", ""):
            current = self.child(child, path, current, None)
        checklist = self.checklist(data, meta)
        if self.strict and self.skipped:
            problems = [
                Problem(p, f"cannot be carried over: {what}") for p, what, _ in self.skipped
            ]
            raise FhirError(self.source, problems)
        warnings = tuple(shorten(f"{p}: {what}; {then}") for p, what, then in self.skipped)
        return ImportResult(
            checklist=checklist,
            warnings=warnings,
            link_ids=dict(self.link_ids),
            option_codes={k: dict(v) for k, v in self.option_codes.items()},
        )

    def index_value_sets(self, data: Mapping[str, Any]) -> None:
        for _path, res in self.each(data, "contained", ""):
            if res.get("resourceType") != "ValueSet":
                continue
            if isinstance(res.get("id"), str):
                self.value_sets["#" + res["id"]] = res
            if isinstance(res.get("url"), str):
                self.value_sets.setdefault(res["url"], res)
                if isinstance(res.get("version"), str):
                    self.value_sets.setdefault(f"{res['url']}|{res['version']}", res)

    def child(
        self, item: Mapping[str, Any], path: str, draft: _Draft | None, parent: _Draft | None
    ) -> _Draft | None:
        """Import one child of the root (*parent* None) or of a group; return the current draft."""
        link_id = self.string(item, "linkId", path)
        if link_id is None:
            self.fail(f"{path}.linkId", "required string missing")
        kind = self.string(item, "type", path)
        if kind not in _KNOWN_TYPES:
            self.fail(f"{path}.type", f"unknown item type {_describe(kind)}")
        if kind == "group":
            self.group(item, path, parent)
            return None  # questions after a nested group start a new section
        if kind == "display":
            text = self.display_text(item, path)
            if text is not None:
                if parent is None:
                    self.root_texts.append(text)
                else:
                    (draft or parent).summary.append(text)
            return draft
        if draft is None:
            draft = self.new_draft(parent, path)
        self.question(item, path, link_id, draft)
        return draft

    def new_draft(self, parent: _Draft | None, path: str) -> _Draft:
        if parent is None:
            title = self.data.get("title") if isinstance(self.data, dict) else None
            draft = _Draft(
                None, title if isinstance(title, str) and title.strip() else "Questions", path=path
            )
        else:
            draft = _Draft(
                parent.link_id, parent.title, parent.phase, parent.condition, path=parent.path
            )
        self.drafts.append(draft)
        return draft

    def display_text(self, item: Mapping[str, Any], path: str) -> str | None:
        text = self.string(item, "text", path)
        hidden = any(e.get("valueBoolean") is True for e in self.extensions_of(item, path, HIDDEN))
        if text is None or not text.strip():
            return None
        if hidden:
            self.skip(path, f'hidden display item "{item["linkId"]}"')
            return None
        return text

    def extensions_of(
        self, element: Mapping[str, Any], path: str, url: str
    ) -> Iterator[Mapping[str, Any]]:
        for _path, e in self.each(element, "extension", path):
            if e.get("url") == url:
                yield e

    def group(self, item: Mapping[str, Any], path: str, parent: _Draft | None) -> None:
        link_id: str = item["linkId"]
        title = self.string(item, "text", path) or link_id
        phase: Phase | None = None
        outer = parent.condition if parent is not None else None
        condition = _both(outer, self.condition(item, path))
        for epath, e in self.each(item, "extension", path):
            url = e.get("url")
            if url == K.PHASE:
                raw = self.value(e, epath, "Code")
                try:
                    phase = Phase(raw)
                except ValueError:
                    self.fail(
                        f"{epath}.valueCode", f'expected one of: {", ".join(Phase)}; got "{raw}"'
                    )
            elif url not in (K.WHEN, ENABLE_WHEN_EXPRESSION):
                self.other_extension(e, epath)
        if item.get("repeats") is True:
            self.skip(path, f'repeating group "{link_id}" (one set of answers is imported)')
        section_id = (
            link_id.removesuffix(SECTION_SUFFIX)
            if is_id(link_id.removesuffix(SECTION_SUFFIX))
            else link_id
        )
        draft = _Draft(section_id, title, phase, condition, path=path)
        self.drafts.append(draft)
        current: _Draft | None = draft
        if not self.array(item, "item", path):
            self.skip(path, f'group "{link_id}" has no items')
        for cpath, child in self.each(item, "item", path):
            current = self.child(child, cpath, current, draft)

    # -- questions ---------------------------------------------------------------------

    def question(self, item: Mapping[str, Any], path: str, link_id: str, draft: _Draft) -> None:
        built = self.item(item, path, link_id, draft.condition)
        if built is not None:
            draft.items.append(built)
        for cpath, child in self.each(item, "item", path):
            if child.get("type") == "display":
                continue  # read as guidance by self.item
            self.skip(
                cpath,
                f'"{child.get("linkId")}" is nested under a question',
                "it is imported after that question",
            )
            self.child(child, cpath, draft, draft)

    def item(  # noqa: C901, PLR0912 - one pass over an item's elements reads best
        self, item: Mapping[str, Any], path: str, link_id: str, outer: c.Condition | None
    ) -> Item | None:
        fhir_type: str = item["type"]
        name = f'"{link_id}"'
        if item.get("modifierExtension"):
            self.skip(path, f"{name} has modifier extensions", _SKIP_ITEM)
            return None
        if any(True for _ in self.extensions_of(item, path, CALCULATED)):
            self.skip(
                path,
                f"{name} has a calculatedExpression (a calculated value, such as a total; "
                "ketacheck computes scores itself)",
                _SKIP_ITEM,
            )
            return None
        if fhir_type in _UNSUPPORTED_TYPES:
            self.skip(
                path,
                f"{name} has type {fhir_type}, which ketacheck has no kind for",
                _SKIP_ITEM,
            )
            return None
        has_options = "answerOption" in item or "answerValueSet" in item
        options: list[_Opt] | None = None
        if fhir_type in _CHOICE_TYPES or (has_options and fhir_type != "boolean"):
            options = self.options(item, path, name)
            if options is None:
                return None
        repeats = item.get("repeats") is True
        fields: dict[str, Any] = {}
        codes: dict[str, str] = {}
        if options is not None:
            kind = ItemKind.MULTI if repeats else ItemKind.CHOICE
            codes_given = sorted(o.code for o in options)
            if not repeats and codes_given == ["no", "yes"] and self.yes_no_system(item):
                kind = ItemKind.YES_NO
            if fhir_type == "open-choice" or item.get("answerConstraint") not in (
                None,
                "optionsOnly",
            ):
                self.skip(
                    path,
                    f"{name} allows answers outside its options",
                    "only the options are imported",
                )
        elif fhir_type == "boolean":
            kind = ItemKind.YES_NO
            fields["weight"] = 0
            codes = {"true": "yes", "false": "no"}
        elif fhir_type in ("decimal", "integer"):
            kind = ItemKind.NUMBER
        else:
            kind = ItemKind.TEXT
        if repeats and kind is not ItemKind.MULTI:
            self.skip(path, f"{name} repeats", "one answer is imported")
        if item.get("initial"):
            self.skip(f"{path}.initial", f"the initial answers of {name}")
        if item.get("readOnly") is True:
            self.skip(
                f"{path}.readOnly", f"{name} is read-only", "it is imported as an ordinary question"
            )
        item_id = self.item_ids.claim(link_id, "item")
        fields.update(self.item_extensions(item, path, kind, name))
        when = self.own_condition(item, path, fields.pop("_when", None))
        fields["when"] = _both(outer, when)
        guidance = self.guidance(item, path)
        if guidance is not None:
            fields["guidance"] = guidance
        text = self.string(item, "text", path)
        fields["prompt"] = text if text is not None and text.strip() else link_id
        if options is not None:
            ids = Ids(reserved=[c.UNKNOWN])
            made = [(ids.claim(o.code, "option"), o) for o in options]
            codes = {o.code: oid for oid, o in made}
            if kind is ItemKind.YES_NO:
                fields.update(self.yes_no(made, fields, path))
            else:
                fields["options"] = tuple(
                    Option(
                        id=oid,
                        label=o.label,
                        points=o.points,
                        red_flag=o.red_flag,
                        caution=o.caution,
                    )
                    for oid, o in made
                )
            self.option_codes[item_id] = {oid: o.code for oid, o in made}
        elif kind is ItemKind.YES_NO:
            self.option_codes[item_id] = {"yes": "true", "no": "false"}
        self.link_ids[item_id] = link_id
        self.targets[link_id] = Target(item_id, kind, codes, integer=fhir_type == "integer")
        if fhir_type == "integer" and kind is ItemKind.NUMBER:
            fields.setdefault("integer", True)  # FHIR integer items take whole numbers only
        return Item(id=item_id, kind=kind, **fields)

    def yes_no_system(self, item: Mapping[str, Any]) -> bool:
        options = item.get("answerOption")
        if not isinstance(options, list):
            return False
        systems = {
            o["valueCoding"].get("system")
            for o in options
            if isinstance(o, dict)
            and isinstance(o.get("valueCoding"), dict)
            and o["valueCoding"].get("system") != DATA_ABSENT_SYSTEM
        }
        return systems == {YES_NO_SYSTEM}

    def yes_no(
        self, made: list[tuple[str, _Opt]], fields: dict[str, Any], path: str
    ) -> dict[str, Any]:
        by_id = dict(made)
        good = fields.get("good")
        if good is None and by_id["no"].points > by_id["yes"].points:
            good = "no"
        good_answer = good or "yes"
        bad = "no" if good_answer == "yes" else "yes"
        if by_id[good_answer].red_flag is not None:
            self.skip(path, f'a red flag on the answer "{good_answer}", which earns the point')
        if by_id[good_answer].caution is not None:
            self.skip(path, f'a caution on the answer "{good_answer}", which earns the point')
        return {"good": good, "red_flag": by_id[bad].red_flag, "caution": by_id[bad].caution}

    def guidance(self, item: Mapping[str, Any], path: str) -> str | None:
        texts = []
        for cpath, child in self.each(item, "item", path):
            if child.get("type") == "display":
                text = self.display_text(child, cpath)
                if text is not None:
                    texts.append(text)
        return "\n\n".join(texts) if texts else None

    def item_extensions(  # noqa: C901, PLR0912 - one branch per extension
        self, item: Mapping[str, Any], path: str, kind: ItemKind, name: str
    ) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        tags: list[str] = []
        sources: list[str] = []
        bands: list[NumberBand] = []
        for epath, e in self.each(item, "extension", path):
            url = e.get("url")
            if url == K.WHY:
                fields["why"] = self.value(e, epath, "String")
            elif url == K.WEIGHT:
                fields["weight"] = self.value(e, epath, "Decimal")
            elif url == K.GOOD:
                fields["good"] = self.value(e, epath, "Code")
            elif url in (K.RED_FLAG_IF_UNKNOWN, K.CAUTION_IF_UNKNOWN, K.INTEGER):
                key = {K.RED_FLAG_IF_UNKNOWN: "red_flag_if_unknown", K.INTEGER: "integer"}
                fields[key.get(url, "caution_if_unknown")] = self.value(e, epath, "Boolean")
            elif url == K.MAX_POINTS:
                fields["max_points"] = self.value(e, epath, "Decimal")
            elif url == K.TAG:
                tags.append(self.value(e, epath, "Code"))
            elif url == K.SOURCE_REF:
                sources.append(self.value(e, epath, "String"))
            elif url == K.WHEN:
                fields["_when"] = (epath, self.value(e, epath, "String"))
            elif url == ENTRY_FORMAT:
                fields["placeholder"] = self.value(e, epath, "String")
            elif url in (UNIT, MIN_VALUE, MAX_VALUE, K.BAND) and kind is not ItemKind.NUMBER:
                self.skip(epath, f"{url} on {name}, which is not a number question")
            elif url == UNIT:
                coding = self.value(e, epath, "Coding")
                unit = coding.get("display") or coding.get("code")
                if isinstance(unit, str):
                    fields["unit"] = unit
            elif url in (MIN_VALUE, MAX_VALUE):
                fields["min" if url == MIN_VALUE else "max"] = self.value(e, epath, "Decimal")
            elif url == K.BAND:
                parts = self.parts(e, epath)
                bands.append(
                    NumberBand(
                        at_least=self.part(parts, "at-least", epath, "Decimal"),
                        points=self.part(parts, "points", epath, "Decimal"),
                        red_flag=self.part(parts, "red-flag", epath, "String", required=False),
                        caution=self.part(parts, "caution", epath, "String", required=False),
                    )
                )
            elif url == HIDDEN:
                if e.get("valueBoolean") is True:
                    self.skip(epath, f"{name} is hidden", "it is imported as an ordinary question")
            elif url != ENABLE_WHEN_EXPRESSION:
                self.other_extension(e, epath)
        if tags:
            fields["tags"] = tuple(tags)
        if sources:
            fields["sources"] = tuple(sources)
        if bands:
            fields["points"] = tuple(bands)
        return fields

    def other_extension(self, e: Mapping[str, Any], path: str) -> None:
        url = e.get("url")
        if url not in IGNORED_EXTENSIONS:
            self.skip(path, f"extension {url}")

    # -- conditions --------------------------------------------------------------------

    def resolve(self, link_id: str) -> Target | None:
        return self.targets.get(link_id)

    def condition(self, item: Mapping[str, Any], path: str) -> c.Condition | None:
        """The condition of a group or question from K/when, else from enableWhen."""
        for epath, e in self.each(item, "extension", path):
            if e.get("url") == K.WHEN:
                return self.own_condition(item, path, (epath, self.value(e, epath, "String")))
        return self.own_condition(item, path, None)

    def own_condition(
        self, item: Mapping[str, Any], path: str, written: tuple[str, str] | None
    ) -> c.Condition | None:
        expressions = list(self.extensions_of(item, path, ENABLE_WHEN_EXPRESSION))
        if written is not None:
            return self.written_condition(*written)
        cond: c.Condition | None = None
        enable_when = self.array(item, "enableWhen", path)
        if enable_when:
            try:
                cond = decode(enable_when, item.get("enableBehavior"), self.resolve)
            except WhenError as e:
                if e.malformed:
                    self.fail(f"{path}.{e.path}", e.message)
                self.skip(
                    f"{path}.{e.path}",
                    e.message,
                    "the condition is not carried over (the item is always asked)",
                )
                return None
        for expression in expressions:
            value = expression.get("valueExpression")
            text = value.get("expression") if isinstance(value, dict) else None
            self.skip(
                path,
                f"enableWhenExpression {_describe(text)} (FHIRPath is not evaluated)",
                "the condition is not carried over"
                + (" (only enableWhen is)" if cond else " (the item is always asked)"),
            )
        return cond

    def written_condition(self, path: str, text: str) -> c.Condition | None:
        try:
            cond = structure_condition(json.loads(text))
        except (ValueError, Invalid) as e:
            self.fail(f"{path}.valueString", f"not a ketacheck condition: {e}")
        imported = set(self.link_ids)
        missing = [i for i in c.referenced_items(cond) if i not in imported]
        if missing:
            self.skip(
                path,
                f'the condition names "{missing[0]}", which is not an earlier imported item',
                "the condition is not carried over (the item is always asked)",
            )
            return None
        return cond

    # -- options -----------------------------------------------------------------------

    def options(self, item: Mapping[str, Any], path: str, name: str) -> list[_Opt] | None:
        entries: list[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]] = []
        if "answerOption" in item:
            for opath, option in self.each(item, "answerOption", path):
                values = [k for k in option if k.startswith("value")]
                if len(values) != 1:
                    self.fail(opath, "an answerOption needs exactly one value[x]")
                key = values[0]
                if key == "valueCoding":
                    entries.append((opath, option, self.obj(option[key], f"{opath}.{key}")))
                elif key in ("valueString", "valueInteger", "valueDate", "valueTime"):
                    entries.append(
                        (opath, option, {"code": str(option[key]), "display": str(option[key])})
                    )
                else:
                    self.skip(opath, f"an answer option of {name} with {key}", _SKIP_ITEM)
                    return None
                if "initialSelected" in option:
                    self.skip(f"{opath}.initialSelected", f"initial answers of {name}")
        else:
            reference = self.string(item, "answerValueSet", path)
            vs = self.value_sets.get(reference or "")
            if vs is None:
                self.skip(
                    f"{path}.answerValueSet",
                    f"{name} takes its answers from {_describe(reference)}, which is not contained "
                    "in the Questionnaire",
                    _SKIP_ITEM,
                )
                return None
            concepts = list(self.value_set_concepts(vs, f"{path}.answerValueSet"))
            if not concepts:
                self.skip(
                    f"{path}.answerValueSet",
                    f"{name}: the value set {reference} lists no codes",
                    _SKIP_ITEM,
                )
                return None
            entries.extend((p, concept, concept) for p, concept in concepts)
        out = []
        for opath, holder, coding in entries:
            code = coding.get("code") if coding is not None else None
            if coding is not None and coding.get("system") == DATA_ABSENT_SYSTEM:
                continue  # ketacheck's reserved answer "unknown"
            if not isinstance(code, str) or not code.strip():
                self.fail(opath, "an answer option needs a code")
            display = coding.get("display") if coding is not None else None
            label = display if isinstance(display, str) and display.strip() else code
            out.append(
                _Opt(
                    code,
                    label,
                    self.score(holder, opath, name),
                    *self.option_warnings(holder, opath),
                )
            )
        if not out:
            self.skip(path, f"{name} has no answer options", _SKIP_ITEM)
            return None
        return out

    def value_set_concepts(
        self, vs: Mapping[str, Any], path: str
    ) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """The codes of a contained ValueSet: its expansion, else its composed concepts."""
        expansion = vs.get("expansion")
        if isinstance(expansion, dict) and expansion.get("contains"):

            def walk(
                owner: Mapping[str, Any], where: str
            ) -> Iterator[tuple[str, Mapping[str, Any]]]:
                for epath, entry in self.each(owner, "contains", where):
                    if not entry.get("abstract") and "code" in entry:
                        yield epath, entry
                    yield from walk(entry, epath)

            yield from walk(expansion, f"{path}(expansion)")
            return
        compose = vs.get("compose")
        for ipath, include in self.each(
            compose if isinstance(compose, dict) else {}, "include", f"{path}(compose)"
        ):
            system = include.get("system")
            for cpath, concept in self.each(include, "concept", ipath):
                yield cpath, {"system": system, **concept}

    def score(self, holder: Mapping[str, Any], path: str, name: str) -> float:
        found: list[tuple[str, float]] = []
        for url in SCORE_EXTENSIONS:
            found.extend(
                (url, self.value(e, path, "Decimal")) for e in self.extensions_of(holder, path, url)
            )
        if not found:
            return 0
        values = {v for _, v in found}
        if len(values) > 1:
            shown = ", ".join(f"{u.rsplit('/', 1)[-1]} {v:g}" for u, v in found)
            self.skip(
                path,
                f"an answer of {name} has different scores ({shown})",
                f"the first, {found[0][1]:g}, is used",
            )
        points = found[0][1]
        if points < 0:
            self.skip(
                path,
                f"an answer of {name} scores {points:g}; ketacheck points are >= 0",
                "it scores 0",
            )
            return 0
        return points

    def option_warnings(self, holder: Mapping[str, Any], path: str) -> tuple[str | None, ...]:
        """The option's red flag and caution (each None when it has none)."""
        found: dict[str, str] = {}
        for epath, e in self.each(holder, "extension", path):
            url = e.get("url")
            if url in (K.RED_FLAG, K.CAUTION):
                found.setdefault(url, str(self.value(e, epath, "String")))
            elif url not in SCORE_EXTENSIONS:
                self.other_extension(e, epath)
        return found.get(K.RED_FLAG), found.get(K.CAUTION)

    # -- the checklist -----------------------------------------------------------------

    def scoring_rules(
        self, parts: Mapping[str, list[tuple[str, Mapping[str, Any]]]], path: str
    ) -> dict[str, Any]:
        """``unanswered``, ``min-completeness`` and ``red-flag-band`` of the scoring extension."""
        rules: dict[str, Any] = {}
        raw = self.part(parts, "unanswered", path, "Code", required=False)
        if raw is not None:
            try:
                rules["unanswered"] = UnknownPolicy(raw)
            except ValueError:
                self.fail(path, f'expected one of: zero, skip; got "{raw}"')
        share = self.part(parts, "min-completeness", path, "Decimal", required=False)
        if share is not None:
            rules["min_completeness"] = share
        rules["red_flag_band"] = self.part(parts, "red-flag-band", path, "String", required=False)
        return rules

    def root_extensions(self, data: Mapping[str, Any]) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        authors: list[str] = []
        sources: list[Source] = []
        profiles: list[Profile] = []
        renamed: dict[str, str] = {}
        for path, e in self.each(data, "extension", ""):
            url = e.get("url")
            if url == K.AUTHOR:
                authors.append(self.value(e, path, "String"))
            elif url == K.SCORING:
                parts = self.parts(e, path)
                raw = self.part(parts, "unknown", path, "Code")
                try:
                    policy = UnknownPolicy(raw)
                except ValueError:
                    self.fail(path, f'expected one of: zero, skip; got "{raw}"')
                bands = []
                for bpath, band in parts.get("band", []):
                    sub = self.parts(band, bpath)
                    bands.append(
                        Band(
                            min=self.part(sub, "min", bpath, "Decimal"),
                            label=self.part(sub, "label", bpath, "String"),
                        )
                    )
                meta["scoring"] = Scoring(
                    unknown=policy, bands=tuple(bands), **self.scoring_rules(parts, path)
                )
            elif url == K.SOURCE:
                parts = self.parts(e, path)
                sources.append(
                    Source(
                        id=self.part(parts, "id", path, "String"),
                        title=self.part(parts, "title", path, "String"),
                        url=self.part(parts, "url", path, "Uri", required=False),
                    )
                )
            elif url == K.PROFILE:
                parts = self.parts(e, path)
                weights = {}
                for wpath, weight in parts.get("weight", []):
                    sub = self.parts(weight, wpath)
                    weights[self.part(sub, "target", wpath, "String")] = self.part(
                        sub, "multiplier", wpath, "Decimal"
                    )
                profiles.append(
                    Profile(
                        id=self.part(parts, "id", path, "String"),
                        title=self.part(parts, "title", path, "String", required=False),
                        summary=self.part(parts, "summary", path, "String", required=False),
                        weights=weights,
                    )
                )
            elif url == K.RENAMED:
                parts = self.parts(e, path)
                renamed[self.part(parts, "from", path, "String")] = self.part(
                    parts, "to", path, "String"
                )
            else:
                self.other_extension(e, path)
        meta.update(authors=tuple(authors), sources=tuple(sources), profiles=tuple(profiles))
        if renamed:
            meta["renamed"] = renamed
        return meta

    def checklist_id(self, data: Mapping[str, Any]) -> str:
        url = self.string(data, "url", "")
        if (
            url is not None
            and url.startswith(QUESTIONNAIRE_BASE)
            and is_id(url.removeprefix(QUESTIONNAIRE_BASE))
        ):
            return url.removeprefix(QUESTIONNAIRE_BASE)
        candidates = [
            data.get("id"),
            url.rstrip("/").rsplit("/", 1)[-1] if url else None,
            data.get("name"),
            data.get("title"),
        ]
        for candidate in candidates:
            if isinstance(candidate, str) and slug(candidate, ""):
                return slug(candidate, "")
        return "questionnaire"

    def checklist(self, data: Mapping[str, Any], meta: dict[str, Any]) -> Checklist:
        sections = []
        for draft in self.drafts:
            if not draft.items:
                if draft.summary:
                    self.skip(
                        draft.path,
                        f'the text of group "{draft.link_id}", which has no importable question',
                    )
                continue
            section_id = self.section_ids.claim(draft.link_id or "questions", "section")
            summary = "\n\n".join(draft.summary) if draft.summary else None
            sections.append(
                Section(
                    id=section_id,
                    title=draft.title,
                    phase=draft.phase,
                    summary=summary,
                    items=tuple(draft.items),
                )
            )
        if not sections:
            self.fail("item", "no question could be imported; a checklist needs at least one item")
        title = self.string(data, "title", "") or self.string(data, "name", "") or "Questionnaire"
        description = self.string(data, "description", "")
        summary = "\n\n".join([t for t in (description, *self.root_texts) if t]) or None
        language = self.string(data, "language", "")
        if language is not None and not _LANGUAGE.match(language):
            self.skip(
                "language",
                f"the language {_describe(language)} is not a language tag ketacheck reads",
            )
            language = None
        status_code = self.string(data, "status", "")
        status = None
        if status_code not in (None, "unknown"):
            try:
                status = Status(status_code)
            except ValueError:
                self.skip("status", f"the status {_describe(status_code)}")
        updated = None
        date = self.string(data, "date", "")
        if date is not None:
            try:
                updated = dt.date.fromisoformat(date[:10])
            except ValueError:
                self.skip("date", f"the date {_describe(date)} is not a full date")
        checklist = Checklist(
            id=self.checklist_id(data),
            version=self.string(data, "version", "") or "0.0.0",
            title=title,
            summary=summary,
            language=language,
            license=self.string(data, "copyright", ""),
            updated=updated,
            status=status,
            sections=tuple(sections),
            **meta,
        )
        problems = checklist_problems(checklist)
        if problems:
            raise FhirError(
                self.source,
                [
                    Problem(p.path, f"the imported checklist breaks a rule: {p.message}")
                    for p in problems
                ],
            )
        return checklist


def from_questionnaire(
    data: object, *, strict: bool = False, source: str = "<questionnaire>"
) -> ImportResult:
    """Import a FHIR R4 or R5 Questionnaire (a dict from :func:`json.load`) as a checklist.

    Returns an :class:`ImportResult`: the checklist, a warning for each construct that could
    not be carried over, and the mapping of the new kebab-case ids to the original linkIds
    and codes. With *strict*, anything that would be a warning raises
    :class:`~ketacheck.fhir.FhirError` instead (all of them at once). Input that is not a
    well-formed Questionnaire always raises FhirError naming *source* and the JSON path;
    one nested too deeply for Python raises LimitError.
    """
    try:
        return _Importer(data, strict=strict, source=source).run()
    except RecursionError:
        raise LimitError(source, [Problem("", "the Questionnaire nests too deeply")]) from None
