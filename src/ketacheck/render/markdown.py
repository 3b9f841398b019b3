"""Markdown (GitHub flavour): task lists for the boxes, ``- [ ] yes`` blank, ``- [x] yes`` filled.

Every string that comes from a file is escaped, so a provider's name or a prompt can never
inject Markdown structure, links or raw HTML.
"""

from __future__ import annotations

import re
from typing import Final

from ketacheck.model import Checklist
from ketacheck.render._view import BlankView, ItemView, SourceView, blank_view

__all__ = ["blank", "blank_markdown", "escape"]

_SPECIAL: Final = re.compile(r"([\\`*_\[\]|~])")
_BLANK: Final = r"\_" * 16


def escape(text: str, *, line_start: bool = False) -> str:
    """Escape *text* so that Markdown shows it literally (no markup, links or raw HTML).

    Whitespace runs (newlines included) become single spaces, so a value stays on its line.
    With *line_start*, the text begins a line, where ``#``, ``-``, ``+``, ``1.`` would
    otherwise start a heading or a list.
    """
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    if line_start:
        text = re.sub(r"^([#+-])", r"\\\1", text)
        text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def link(title: str, url: str | None, safe: str | None) -> str:
    """*title* linked to *url* when *safe* (the vetted URL) is set, else title and URL as text."""
    if safe:
        return f"[{escape(title)}](<{safe.replace('>', '%3E').replace('<', '%3C')}>)"
    return escape(title + (f" {url}" if url else ""))


def sources_markdown(sources: tuple[SourceView, ...]) -> list[str]:
    """The numbered source notes as an ordered list."""
    if not sources:
        return []
    return ["", "## Sources", "", *(f"{s.number}. {link(s.title, s.url, s.link)}" for s in sources)]


def _refs(item: ItemView) -> str:
    return ", ".join(f"\\[{n}\\]" for n in item.sources)


def item_markdown(item: ItemView, *, guidance: bool = True) -> list[str]:
    """One blank item: a heading, its boxes or a blank line, then the small print."""
    lines = [f"### {item.number}. {escape(item.prompt)}", ""]
    if item.when:
        lines += [f"*{escape(item.when)}*", ""]
    if item.choices:
        lines += [f"{item.instruction}:", ""]
        lines += [f"- [{'x' if c.selected else ' '}] {escape(c.label)}" for c in item.choices]
        lines.append("")
    else:
        hint = f" {escape(item.hint)}" if item.hint else ""
        lines += [f"Answer: {_BLANK}{hint}", ""]
    small = []
    if item.why:
        small.append(f"**Why:** {escape(item.why)}")
    if guidance and item.guidance:
        small.append(f"**Tip:** {escape(item.guidance)}")
    if item.sources:
        small.append(f"**Sources:** {_refs(item)}")
    if small:
        lines += ["> " + "\n>\n> ".join(small), ""]
    return lines


def blank_markdown(view: BlankView) -> str:
    """Lay out a :class:`~ketacheck.render._view.BlankView` as Markdown."""
    doc = view.doc
    lines = [f"# {escape(doc.title)}", "", f"`{doc.id}` {escape(doc.version)}", ""]
    if doc.summary:
        lines += [escape(doc.summary, line_start=True), ""]
    lines += ["| Provider details | |", "|---|---|"]
    lines += [f"| {escape(field)} | |" for field in view.provider_fields]
    lines += ["", "Kind of provider:", ""]
    lines += [f"- [ ] {escape(kind)}" for kind in view.provider_kinds]
    for section in view.sections:
        lines += ["", f"## {escape(section.title)}", "", f"*{escape(section.phase_title)}*", ""]
        if section.summary:
            lines += [escape(section.summary, line_start=True), ""]
        for item in section.items:
            lines += item_markdown(item)
    lines += sources_markdown(view.sources)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def blank(checklist: Checklist) -> str:
    """The blank checklist as GitHub-flavoured Markdown with task-list boxes."""
    return blank_markdown(blank_view(checklist))
