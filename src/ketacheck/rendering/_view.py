"""The view model: one plain description of a printout that every output format consumes.

:func:`blank_view` turns a checklist into a :class:`BlankView`; ``ketacheck.rendering._report``
builds the filled report and the comparison on the same pieces. Formats only lay these out:
numbering, conditions in words, answer boxes and source notes are decided here, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

import attrs

from ketacheck._words import display_number as fmt_number
from ketacheck.model import Checklist, Item, ItemKind, Section
from ketacheck.rendering._common import (
    PHASE_TITLES,
    condition_labels,
    number_hint,
    numbered_sources,
    source_numbers,
    when_text,
)

__all__ = [
    "PAPERS",
    "PROVIDER_FIELDS",
    "BlankView",
    "Choice",
    "DocView",
    "ItemView",
    "Paper",
    "SectionView",
    "SourceView",
    "blank_view",
    "fmt_number",
    "paper",
    "safe_link",
]

PROVIDER_FIELDS: Final = ("Provider", "Contact", "Interviewed on", "Interviewed by")
"""The blanks at the top of a printed checklist, in order."""

PROVIDER_KINDS: Final[Mapping[str, str]] = {
    "infusion-clinic": "IV infusion clinic",
    "kap-practice": "Ketamine-assisted psychotherapy practice",
    "telehealth": "At-home telehealth programme",
    "esketamine-clinic": "Esketamine (Spravato) clinic",
    "other": "Other",
}
"""Plain labels for the kinds of provider (``[provider].kind``)."""

_LINK_SCHEMES: Final = frozenset({"http", "https"})


def safe_link(url: str | None) -> str | None:
    """*url* when it may become a link (an absolute http or https URL), else None.

    Anything else (``javascript:``, ``data:``, relative paths, URLs with spaces or control
    characters) is shown as plain text and never becomes an ``href``.
    """
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return url


@attrs.frozen(kw_only=True)
class Choice:
    """One answer box: its label and, in a filled report, whether it was chosen."""

    id: str
    label: str
    selected: bool = False


@attrs.frozen(kw_only=True)
class ItemView:
    """One question as printed: number, prompt, boxes, conditions and source numbers."""

    number: int
    id: str
    kind: str
    prompt: str
    why: str | None
    guidance: str | None
    placeholder: str | None
    when: str | None
    choices: tuple[Choice, ...]
    """The boxes (yes-no, choice, multi; ``unknown`` last); empty for number and text."""
    multiple: bool
    """Whether several boxes may be ticked (multi items)."""
    hint: str
    """For number items, the unit and bounds in words; empty otherwise."""
    sources: tuple[int, ...]

    @property
    def instruction(self) -> str:
        """How to answer, in a few words (``Tick one``, ``Tick all that apply``...)."""
        if self.multiple:
            return "Tick all that apply"
        if self.choices:
            return "Tick one"
        if self.kind == ItemKind.NUMBER:
            return "Write a number" + (f" ({self.hint})" if self.hint else "")
        return "Write the answer"

    @property
    def sources_text(self) -> str:
        """The source note numbers as ``[1], [3]``; empty when there are none."""
        return ", ".join(f"[{n}]" for n in self.sources)


@attrs.frozen(kw_only=True)
class SectionView:
    """A section as printed: heading, phase, summary and items."""

    id: str
    title: str
    phase: str
    phase_title: str
    summary: str | None
    items: tuple[ItemView, ...]


@attrs.frozen(kw_only=True)
class SourceView:
    """A numbered source note; ``link`` is the URL only when it is safe to link."""

    number: int
    title: str
    url: str | None
    link: str | None


@attrs.frozen(kw_only=True)
class DocView:
    """What a printout says about its checklist."""

    id: str
    version: str
    title: str
    summary: str | None
    language: str
    license: str | None
    updated: str | None


@attrs.frozen(kw_only=True)
class BlankView:
    """A blank checklist to take to a consultation."""

    doc: DocView
    provider_fields: tuple[str, ...]
    provider_kinds: tuple[str, ...]
    sections: tuple[SectionView, ...]
    sources: tuple[SourceView, ...]


def doc_view(checklist: Checklist) -> DocView:
    """The checklist's metadata for a printout's title block."""
    return DocView(
        id=checklist.id,
        version=checklist.version,
        title=checklist.title,
        summary=checklist.summary,
        language=checklist.language or "en",
        license=checklist.license,
        updated=checklist.updated.isoformat() if checklist.updated else None,
    )


def source_views(checklist: Checklist) -> tuple[SourceView, ...]:
    """The numbered source notes, in number order."""
    return tuple(
        SourceView(number=n, title=s.title, url=s.url, link=safe_link(s.url))
        for n, s in numbered_sources(checklist)
    )


def choices_of(item: Item, selected: frozenset[str] = frozenset()) -> tuple[Choice, ...]:
    """The boxes of *item* (``unknown`` last), marking the option ids in *selected*."""
    if item.kind is ItemKind.YES_NO:
        pairs = [("yes", "yes"), ("no", "no")]
    elif item.kind in (ItemKind.CHOICE, ItemKind.MULTI):
        pairs = [(o.id, o.label) for o in item.options or ()]
    else:
        return ()
    pairs.append(("unknown", "unknown"))
    return tuple(Choice(id=i, label=label, selected=i in selected) for i, label in pairs)


class Numberer:
    """Builds :class:`ItemView` s with running numbers, sharing the label and source indexes."""

    def __init__(self, checklist: Checklist) -> None:
        """Index *checklist*'s labels and sources once."""
        self.checklist = checklist
        self.labels = condition_labels(checklist)
        self.sources = source_numbers(checklist)
        self.numbers = {item.id: n for n, item in enumerate(checklist.items, start=1)}

    def item(self, item: Item) -> ItemView:
        """The printed form of *item*."""
        return ItemView(
            number=self.numbers[item.id],
            id=item.id,
            kind=str(item.kind),
            prompt=item.prompt,
            why=item.why,
            guidance=item.guidance,
            placeholder=item.placeholder,
            when=when_text(self.checklist, item, self.labels),
            choices=choices_of(item),
            multiple=item.kind is ItemKind.MULTI,
            hint=number_hint(item) if item.kind is ItemKind.NUMBER else "",
            sources=tuple(self.sources[s] for s in item.sources),
        )

    def section(self, section: Section, items: tuple[ItemView, ...] | None = None) -> SectionView:
        """The printed form of *section*, with *items* (default: all its items, blank)."""
        phase = str(section.effective_phase)
        return SectionView(
            id=section.id,
            title=section.title,
            phase=phase,
            phase_title=PHASE_TITLES[phase],
            summary=section.summary,
            items=items if items is not None else tuple(self.item(i) for i in section.items),
        )


def blank_view(checklist: Checklist) -> BlankView:
    """The view of a blank checklist: every section and item in order, sources at the end."""
    numberer = Numberer(checklist)
    return BlankView(
        doc=doc_view(checklist),
        provider_fields=PROVIDER_FIELDS,
        provider_kinds=tuple(PROVIDER_KINDS.values()),
        sections=tuple(numberer.section(s) for s in checklist.sections),
        sources=source_views(checklist),
    )


@attrs.frozen(kw_only=True)
class Paper:
    """A paper size: its name on the command line, in CSS, and its size in millimetres."""

    name: str
    css: str
    width_mm: float
    height_mm: float


PAPERS: Final[Mapping[str, Paper]] = {
    "a4": Paper(name="a4", css="A4", width_mm=210, height_mm=297),
    "letter": Paper(name="letter", css="letter", width_mm=215.9, height_mm=279.4),
}
"""The supported paper sizes by name."""


def paper(name: str) -> Paper:
    """The paper size *name* (``a4`` or ``letter``, any case); ValueError for others."""
    try:
        return PAPERS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown paper size {name!r} (use a4 or letter)") from None
