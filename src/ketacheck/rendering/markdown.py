"""Markdown (GitHub flavour): task lists for the boxes, ``- [ ] yes`` blank, ``- [x] yes`` filled.

Every string that comes from a file is escaped, so a provider's name or a prompt can never
inject Markdown structure, links or raw HTML.
"""

from __future__ import annotations

import re
from typing import Final

from ketacheck.model import Checklist
from ketacheck.rendering._report import AnswerView, BarView, ComparisonView, ReportView
from ketacheck.rendering._view import BlankView, ItemView, SourceView, blank_view

__all__ = ["blank", "blank_markdown", "comparison_markdown", "escape", "layout", "report_markdown"]

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
    """Lay out a :class:`~ketacheck.rendering._view.BlankView` as Markdown."""
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
    return _finish(lines)


def blank(checklist: Checklist) -> str:
    """The blank checklist as GitHub-flavoured Markdown with task-list boxes."""
    return blank_markdown(blank_view(checklist))


# -- filled report ------------------------------------------------------------------------


def _cell(text: str) -> str:
    return escape(text) or " "


def _bars(title: str, bars: tuple[BarView, ...]) -> list[str]:
    if not bars:
        return []
    lines = ["", f"## {title}", "", "| | Score | Points |", "|---|---:|---:|"]
    lines += [f"| {_cell(b.label)} | {b.percent_text} | {_cell(b.points_text)} |" for b in bars]
    return lines


def answer_markdown(a: AnswerView) -> list[str]:
    """One item of a filled report: the boxes as ticked, the answer, its note and red flags."""
    item = a.item
    lines = [f"### {item.number}. {escape(item.prompt)}", ""]
    if a.status == "not-applicable":
        when = f" {escape(item.when)}" if item.when else ""
        return [*lines, f"*{a.status_label}.*{when}", ""]
    if item.choices:
        lines += [f"- [{'x' if c.selected else ' '}] {escape(c.label)}" for c in item.choices]
        lines.append("")
    elif a.status in ("answered", "unknown"):
        lines += [f"Answer: **{escape(a.answer)}**", ""]
    if a.status == "unanswered":
        lines += [f"*{a.status_label}.*", ""]
    if a.points_text:
        lines += [f"*{escape(a.points_text)}*", ""]
    lines += [f"> **Red flag:** {escape(flag)}\n" for flag in a.red_flags]
    lines += [f"> *Caution:* {escape(caution)}\n" for caution in a.cautions]
    if a.note:
        lines += [f"Note: {escape(a.note)}", ""]
    return lines


def _listed(title: str, answers: tuple[AnswerView, ...]) -> list[str]:
    if not answers:
        return []
    lines = ["", f"## {title} ({len(answers)})", ""]
    lines += [f"- {a.item.number}. {escape(a.item.prompt)}" for a in answers]
    return lines


def report_markdown(report: ReportView) -> str:
    """Lay out a filled report as Markdown: score, red flags, care model, scores, answers."""
    doc = report.doc
    provider = report.provider
    lines = [
        f"# {escape(doc.title)}: {escape(provider.name)}",
        "",
        f"`{doc.id}` {escape(doc.version)}",
    ]
    if provider.details:
        lines += ["", "| Provider | |", "|---|---|"]
        for label, value in provider.details:
            if label == "Website":
                lines.append(f"| {label} | {link(value, None, provider.website_link)} |")
            else:
                lines.append(f"| {escape(label)} | {_cell(value)} |")
    lines += ["", "## Score", "", f"**{escape(report.score_text)}**", ""]
    lines += [f"Answered: {escape(report.answered_text)}."]
    if report.profile:
        lines += ["", f"Priorities: {escape(report.profile)}."]
    if report.verdict_note:
        lines += ["", escape(report.verdict_note)]
    for title, flags in (("Red flags", report.red_flags), ("Cautions", report.cautions)):
        if flags or title == "Red flags":
            lines += ["", f"## {title} ({len(flags)})", ""]
        if not flags and title == "Red flags":
            lines.append("None.")
        lines += [
            f"- **{f.number}. {escape(f.prompt)}** Answer: {escape(f.answer)}. {escape(f.reason)}"
            for f in flags
        ]
    if report.costs:
        lines += ["", "## What cost the most points", ""]
        lines += [f"- {escape(cost)}" for cost in report.costs]
    lines += [
        "",
        "## Care model",
        "",
        f"**{escape(report.care_model)}:** {escape(report.care_model_text)}",
    ]
    lines += _bars("Scores by phase", report.phases)
    lines += _bars("Scores by section", report.section_bars)
    for section in report.sections:
        score = f", {section.bar.percent_text}" if section.bar else ""
        lines += [
            "",
            f"## {escape(section.title)}",
            "",
            f"*{escape(section.phase_title)}{score}*",
            "",
        ]
        for a in section.answers:
            lines += answer_markdown(a)
    lines += _listed("Unknown", report.unknown)
    lines += _listed("Not answered", report.unanswered)
    lines += sources_markdown(report.sources)
    return _finish(lines)


def _finish(lines: list[str]) -> str:
    """Join *lines*, with never two blank lines in a row and one newline at the end."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


# -- comparison ---------------------------------------------------------------------------


def comparison_markdown(view: ComparisonView) -> str:
    """Lay out a comparison as Markdown tables: a summary, then each section's answers."""
    doc = view.doc
    names = [f"{c.rank}. {escape(c.report.provider.name)}" for c in view.columns]
    header = "| | " + " | ".join(names) + " |"
    rule = "|---|" + "---|" * len(names)
    lines = [f"# {escape(doc.title)}: comparison", "", f"`{doc.id}` {escape(doc.version)}", ""]
    lines += [header, rule]
    lines += [
        f"| {escape(r.label)} | " + " | ".join(_cell(c.display) for c in r.cells) + " |"
        for r in view.summary
    ]
    for c in view.columns:
        if c.report.red_flags:
            lines += ["", f"## Red flags: {escape(c.report.provider.name)}", ""]
            lines += [
                f"- {f.number}. {escape(f.reason)} (answer: {escape(f.answer)})"
                for f in c.report.red_flags
            ]
    for heading, items in view.explained:
        lines += ["", f"## {escape(heading)}", ""]
        lines += [f"- {escape(text)}" for text in items]
    for section in view.sections:
        lines += ["", f"## {escape(section.title)}", "", f"*{escape(section.phase_title)}*", ""]
        lines += [header.replace("| |", "| Question |", 1), rule]
        for row in section.rows:
            cells = " | ".join(
                _cell(c.display) + (" **(red flag)**" if c.red_flag else "") for c in row.cells
            )
            lines.append(f"| {row.number}. {escape(row.label)} | {cells} |")
    lines += sources_markdown(view.sources)
    return _finish(lines)


def layout(view: ReportView | ComparisonView) -> str:
    """Lay out a filled report or a comparison as Markdown."""
    if isinstance(view, ReportView):
        return report_markdown(view)
    return comparison_markdown(view)
