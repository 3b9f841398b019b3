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
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from ketacheck import conditions as c
from ketacheck.exceptions import FhirError, LimitError, Problem
from ketacheck.fhir._common import QUESTIONNAIRE_BASE, SECTION_SUFFIX, Ids, slug
from ketacheck.fhir._import_extensions import checklist_extensions, group_phase
from ketacheck.fhir._import_items import KNOWN_TYPES, Questions, display_text
from ketacheck.fhir._import_options import index_value_sets
from ketacheck.fhir._import_when import both
from ketacheck.fhir._reading import Reader, describe
from ketacheck.model import Checklist, Item, Phase, Section, Status
from ketacheck.validate import checklist_problems, is_id

_LANGUAGE: Final = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


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


class _Importer:
    """One import: walks the Questionnaire's items once, in document order, into sections."""

    def __init__(self, data: Mapping[str, Any], r: Reader) -> None:
        self.data = data
        self.r = r
        self.questions = Questions(r, index_value_sets(r, data))
        self.section_ids = Ids()
        self.drafts: list[_Draft] = []
        self.root_texts: list[str] = []

    def run(self) -> ImportResult:
        """Import the Questionnaire."""
        meta = checklist_extensions(self.r, self.data)
        if self.data.get("modifierExtension"):
            self.r.skip("modifierExtension", "the Questionnaire has modifier extensions")
        current: _Draft | None = None
        for path, child in self.r.each(self.data, "item", ""):
            current = self.child(child, path, current, None)
        checklist = _validated(self.checklist(meta), self.r.source)
        return ImportResult(
            checklist=checklist,
            warnings=self.r.warnings(),
            link_ids=dict(self.questions.link_ids),
            option_codes={k: dict(v) for k, v in self.questions.option_codes.items()},
        )

    def child(
        self, item: Mapping[str, Any], path: str, draft: _Draft | None, parent: _Draft | None
    ) -> _Draft | None:
        """Import one child of the root (*parent* None) or of a group; return the current draft."""
        link_id = self.r.string(item, "linkId", path)
        if link_id is None:
            self.r.fail(f"{path}.linkId", "required string missing")
        kind = self.r.string(item, "type", path)
        if kind not in KNOWN_TYPES:
            self.r.fail(f"{path}.type", f"unknown item type {describe(kind)}")
        if kind == "group":
            self.group(item, path, parent)
            return None  # questions after a nested group start a new section
        if kind == "display":
            text = display_text(self.r, item, path)
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
        """A section for questions outside any group, or after a nested group in *parent*."""
        if parent is None:
            title = self.data.get("title")
            draft = _Draft(
                None, title if isinstance(title, str) and title.strip() else "Questions", path=path
            )
        else:
            draft = _Draft(
                parent.link_id, parent.title, parent.phase, parent.condition, path=parent.path
            )
        self.drafts.append(draft)
        return draft

    def group(self, item: Mapping[str, Any], path: str, parent: _Draft | None) -> None:
        """Import a group as a section, and its children in order."""
        link_id: str = item["linkId"]
        title = self.r.string(item, "text", path) or link_id
        outer = parent.condition if parent is not None else None
        condition = both(outer, self.questions.conditions.of_group(item, path))
        phase = group_phase(self.r, item, path)
        if item.get("repeats") is True:
            self.r.skip(path, f'repeating group "{link_id}" (one set of answers is imported)')
        section_id = (
            link_id.removesuffix(SECTION_SUFFIX)
            if is_id(link_id.removesuffix(SECTION_SUFFIX))
            else link_id
        )
        draft = _Draft(section_id, title, phase, condition, path=path)
        self.drafts.append(draft)
        current: _Draft | None = draft
        if not self.r.array(item, "item", path):
            self.r.skip(path, f'group "{link_id}" has no items')
        for cpath, child in self.r.each(item, "item", path):
            current = self.child(child, cpath, current, draft)

    def question(self, item: Mapping[str, Any], path: str, link_id: str, draft: _Draft) -> None:
        """Import a question into *draft*, then the items nested under it."""
        built = self.questions.item(item, path, link_id, draft.condition)
        if built is not None:
            draft.items.append(built)
        for cpath, child in self.r.each(item, "item", path):
            if child.get("type") == "display":
                continue  # read as guidance by Questions.item
            self.r.skip(
                cpath,
                f'"{child.get("linkId")}" is nested under a question',
                "it is imported after that question",
            )
            self.child(child, cpath, draft, draft)

    # -- the checklist -----------------------------------------------------------------

    def sections(self) -> list[Section]:
        """The drafts that hold questions, as sections (the others are reported)."""
        sections = []
        for draft in self.drafts:
            if not draft.items:
                if draft.summary:
                    self.r.skip(
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
            self.r.fail(
                "item", "no question could be imported; a checklist needs at least one item"
            )
        return sections

    def checklist(self, meta: dict[str, Any]) -> Checklist:
        """The checklist: the sections, the Questionnaire's metadata and *meta*."""
        data, r = self.data, self.r
        sections = self.sections()
        title = r.string(data, "title", "") or r.string(data, "name", "") or "Questionnaire"
        description = r.string(data, "description", "")
        summary = "\n\n".join([t for t in (description, *self.root_texts) if t]) or None
        language = _language(r, data)
        status = _status(r, data)
        updated = _updated(r, data)
        return Checklist(
            id=_checklist_id(r, data),
            version=r.string(data, "version", "") or "0.0.0",
            title=title,
            summary=summary,
            language=language,
            license=r.string(data, "copyright", ""),
            updated=updated,
            status=status,
            sections=tuple(sections),
            **meta,
        )


def _checklist_id(r: Reader, data: Mapping[str, Any]) -> str:
    url = r.string(data, "url", "")
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


def _language(r: Reader, data: Mapping[str, Any]) -> str | None:
    language = r.string(data, "language", "")
    if language is not None and not _LANGUAGE.match(language):
        r.skip(
            "language", f"the language {describe(language)} is not a language tag ketacheck reads"
        )
        return None
    return language


def _status(r: Reader, data: Mapping[str, Any]) -> Status | None:
    status_code = r.string(data, "status", "")
    if status_code in (None, "unknown"):
        return None
    try:
        return Status(status_code)
    except ValueError:
        r.skip("status", f"the status {describe(status_code)}")
        return None


def _updated(r: Reader, data: Mapping[str, Any]) -> dt.date | None:
    date = r.string(data, "date", "")
    if date is None:
        return None
    try:
        return dt.date.fromisoformat(date[:10])
    except ValueError:
        r.skip("date", f"the date {describe(date)} is not a full date")
        return None


def _validated(checklist: Checklist, source: str) -> Checklist:
    problems = checklist_problems(checklist)
    if problems:
        raise FhirError(
            source,
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
    r = Reader(strict=strict, source=source)
    try:
        questionnaire = r.obj(data, "")
        kind = questionnaire.get("resourceType")
        if kind != "Questionnaire":
            r.fail("resourceType", f'expected "Questionnaire", got {describe(kind)}')
        return _Importer(questionnaire, r).run()
    except RecursionError:
        raise LimitError(source, [Problem("", "the Questionnaire nests too deeply")]) from None
