"""Plain text for an 80-column terminal: the blank checklist (``ketacheck show``)."""

from __future__ import annotations

import textwrap

from ketacheck.model import Checklist, ItemKind
from ketacheck.render._common import (
    PHASE_TITLES,
    answer_choices,
    condition_labels,
    number_hint,
    numbered_sources,
    source_numbers,
    when_text,
)

__all__ = ["blank"]


def _wrap(text: str, width: int, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent.rstrip()]


def blank(checklist: Checklist, *, width: int = 80) -> str:
    """The checklist as text to read or print: every item with boxes, why and conditions."""
    lines: list[str] = []
    lines.extend(_wrap(checklist.title, width, ""))
    lines.append(f"{checklist.id} {checklist.version}")
    if checklist.summary:
        lines.extend(_wrap(checklist.summary, width, ""))
    lines += ["", "Provider: ____________________________  Date: ____________", ""]
    labels = condition_labels(checklist)
    numbers = source_numbers(checklist)
    n = 0
    for section in checklist.sections:
        heading = f"{section.title.upper()}  [{PHASE_TITLES[section.effective_phase]}]"
        lines += ["", *_wrap(heading, width, ""), "=" * min(width, len(heading))]
        if section.summary:
            lines.extend(_wrap(section.summary, width, ""))
        for item in section.items:
            n += 1
            mark = f"{n}. "
            pad = " " * len(mark)
            lines.append("")
            lines.extend(_wrap(item.prompt, width, pad, first=mark))
            choices = answer_choices(item)
            if item.kind is ItemKind.YES_NO:
                lines.append(pad + "   ".join(f"[ ] {c}" for c in choices))
            elif choices:
                box = "( )" if item.kind is ItemKind.CHOICE else "[ ]"
                for choice in choices:
                    lines.extend(_wrap(choice, width, pad + "    ", first=f"{pad}{box} "))
            elif item.kind is ItemKind.NUMBER:
                hint = number_hint(item)
                lines.append(f"{pad}__________ {hint}".rstrip())
            else:
                lines.append(f"{pad}{'_' * min(60, width - len(pad))}")
            condition = when_text(checklist, item, labels)
            if condition:
                lines.extend(_wrap(condition, width, pad))
            if item.why:
                lines.extend(_wrap(f"Why: {item.why}", width, pad))
            if item.sources:
                refs = ", ".join(f"[{numbers[s]}]" for s in item.sources)
                lines.append(f"{pad}Sources: {refs}")
    sources = numbered_sources(checklist)
    if sources:
        lines += ["", "SOURCES", "======="]
        for number, source in sources:
            mark = f"[{number}] "
            text = source.title + (f" {source.url}" if source.url else "")
            lines.extend(_wrap(text, width, " " * len(mark), first=mark))
    return "\n".join(lines) + "\n"
