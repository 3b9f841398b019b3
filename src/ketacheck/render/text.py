"""Plain text for an 80-column terminal or a plain printer.

:func:`blank` is the checklist to take to a consultation (``ketacheck show`` and
``ketacheck print --format text``); :func:`report` and :func:`comparison` are the filled
report of one provider and several providers side by side.
"""

from __future__ import annotations

import textwrap

from ketacheck.model import Checklist, ItemKind
from ketacheck.render._view import BlankView, ItemView, SourceView, blank_view

__all__ = ["blank", "blank_text"]


def _wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent.rstrip()]


def _heading(text: str, width: int, rule: str = "=") -> list[str]:
    lines = _wrap(text, width, "")
    return [*lines, rule * min(width, max(len(line) for line in lines))]


def _boxes(item: ItemView, pad: str, width: int) -> list[str]:
    """The answer boxes of a blank item."""
    if item.kind == ItemKind.YES_NO:
        return [pad + "   ".join(f"[ ] {c.label}" for c in item.choices)]
    if item.choices:
        box = "[ ]" if item.multiple else "( )"
        lines: list[str] = []
        for choice in item.choices:
            lines.extend(_wrap(choice.label, width, pad + "    ", first=f"{pad}{box} "))
        return lines
    if item.kind == ItemKind.NUMBER:
        return [f"{pad}__________ {item.hint}".rstrip()]
    return [f"{pad}{'_' * min(60, width - len(pad))}"]


def _provider_header(view: BlankView, width: int, printout: bool) -> list[str]:
    if not printout:
        return ["Provider: ____________________________  Date: ____________"]
    label_width = max(len(f) for f in view.provider_fields) + 2
    lines = [
        f"{field + ':':<{label_width}}{'_' * max(10, width - label_width)}"
        for field in view.provider_fields
    ]
    lines.extend(_pack([f"[ ] {k}" for k in view.provider_kinds], width, "Kind:", label_width))
    return lines


def _pack(units: list[str], width: int, label: str, indent: int) -> list[str]:
    """Lay *units* out side by side, never splitting one, under a hanging *label*."""
    lines: list[str] = []
    line = f"{label:<{indent}}"
    fresh = True
    for unit in units:
        if not fresh and len(line) + 3 + len(unit) > width:
            lines.append(line)
            line, fresh = " " * indent, True
        line += unit if fresh else "   " + unit
        fresh = False
    lines.append(line)
    return lines


def sources_text(sources: tuple[SourceView, ...], width: int) -> list[str]:
    """The numbered source notes as lines."""
    if not sources:
        return []
    lines = ["", *_heading("SOURCES", width)]
    for source in sources:
        mark = f"[{source.number}] "
        text = source.title + (f" {source.url}" if source.url else "")
        lines.extend(_wrap(text, width, " " * len(mark), first=mark))
    return lines


def blank_text(view: BlankView, *, width: int = 80, printout: bool = False) -> str:
    """Lay out a :class:`~ketacheck.render._view.BlankView` as text lines of *width*."""
    doc = view.doc
    lines: list[str] = []
    lines.extend(_wrap(doc.title, width, ""))
    lines.append(f"{doc.id} {doc.version}")
    if doc.summary:
        lines.extend(_wrap(doc.summary, width, ""))
    lines += ["", *_provider_header(view, width, printout), ""]
    for section in view.sections:
        heading = f"{section.title.upper()}  [{section.phase_title}]"
        lines += ["", *_heading(heading, width)]
        if section.summary:
            lines.extend(_wrap(section.summary, width, ""))
        for item in section.items:
            mark = f"{item.number}. "
            pad = " " * len(mark)
            lines.append("")
            lines.extend(_wrap(item.prompt, width, pad, first=mark))
            lines.extend(_boxes(item, pad, width))
            if item.when:
                lines.extend(_wrap(item.when, width, pad))
            if item.why:
                lines.extend(_wrap(f"Why: {item.why}", width, pad))
            if printout and item.guidance:
                lines.extend(_wrap(f"Tip: {item.guidance}", width, pad))
            if item.sources:
                lines.append(f"{pad}Sources: {item.sources_text}")
    lines.extend(sources_text(view.sources, width))
    return "\n".join(lines) + "\n"


def blank(checklist: Checklist, *, width: int = 80, printout: bool = False) -> str:
    """The checklist as text to read or print: every item with boxes, why and conditions.

    Args:
        checklist: The checklist to lay out.
        width: The line width; text wraps at word boundaries.
        printout: Lay out for paper: blanks for every provider detail and each item's
            ``guidance`` (shown on printouts only).
    """
    return blank_text(blank_view(checklist), width=width, printout=printout)
