"""Commands ``score`` and ``compare``.

Text and Markdown here are compact summaries; JSON is the stable format of
docs/json-output.md; CSV has one row per provider (``Comparison.to_records``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ketacheck import catalog, response
from ketacheck._words import answer_words, display_number
from ketacheck.model import Checklist
from ketacheck.scoring import Caution, Comparison, RedFlag, Score, Subtotal, score
from ketacheck.scoring._explain import COSTS_SHOWN, cost_line, verdict_note

CHECKLIST_HELP = (
    "a bundled checklist id or a path to a .toml file "
    "(default: the bundled checklist the response names)"
)
WIDTH = 80


def register(sub: Any) -> None:
    """Add the commands of this module to the subparsers *sub*."""
    p = sub.add_parser("score", help="score a filled checklist (a response file)")
    p.add_argument("response", metavar="RESPONSE.toml", help="the response file")
    _common_options(p, ("text", "markdown", "json"))
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("compare", help="rank several providers' responses")
    p.add_argument("responses", nargs="+", metavar="RESPONSE.toml", help="response files")
    _common_options(p, ("text", "markdown", "csv", "json"))
    p.set_defaults(func=cmd_compare)


def _common_options(p: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    p.add_argument("--checklist", metavar="CHECKLIST", help=CHECKLIST_HELP)
    p.add_argument("--profile", metavar="ID", help="a profile of the checklist (your priorities)")
    p.add_argument(
        "--format", choices=formats, default="text", help="output format (default: text)"
    )


def _scores(files: list[str], checklist_spec: str | None, profile: str | None) -> list[Score]:
    checklist: Checklist | None = catalog.resolve(checklist_spec) if checklist_spec else None
    return [score(response.read(name, checklist=checklist), profile) for name in files]


def cmd_score(args: argparse.Namespace) -> int:
    """Print the score of one response."""
    (s,) = _scores([args.response], args.checklist, args.profile)
    if args.format == "json":
        out = json.dumps(s.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "markdown":
        out = score_markdown(s)
    else:
        out = score_text(s)
    sys.stdout.write(out)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Print several responses ranked."""
    table = Comparison(tuple(_scores(args.responses, args.checklist, args.profile)))
    if args.format == "json":
        rows = [{"rank": n, **s.to_dict()} for n, s in enumerate(table.rows, start=1)]
        out = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    elif args.format == "csv":
        out = comparison_csv(table)
    elif args.format == "markdown":
        out = comparison_markdown(table)
    else:
        out = comparison_text(table)
    sys.stdout.write(out)
    return 0


# -- text ---------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"


def _heading_line(s: Score) -> str:
    band = f" ({s.band})" if s.band else ""
    points, most = display_number(s.points), display_number(s.max_points)
    return f"{_pct(s.percent)}{band}, {points} of {most} points"


def _completeness(s: Score) -> str:
    if s.completeness is None:
        return "n/a (no item applies)"
    answered = len(s.items) - len(s.unanswered)
    return f"{s.completeness * 100:.0f}% ({answered} of {len(s.items)} applicable items answered)"


def _title(s: Score) -> str:
    name = s.provider.name or "(unnamed provider)"
    return f"{name} ({s.provider.kind})" if s.provider.kind else name


def _subtotal_rows(
    values: Mapping[str, Subtotal], titles: Mapping[str, str] | None = None
) -> list[tuple[str, str, str]]:
    return [
        (
            (titles or {}).get(key, key),
            _pct(v.percent),
            f"{display_number(v.points)} of {display_number(v.max_points)}",
        )
        for key, v in values.items()
    ]


def _section_titles(s: Score) -> dict[str, str]:
    return {section.id: section.title for section in s.checklist.sections}


def _table(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]


def _wrapped(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


def _flag_text(s: Score, f: RedFlag | Caution) -> str:
    words = answer_words(s.checklist.item(f.item), f.answer, quote_text=True)
    return f"{f.item} ({words}): {f.reason}"


def _costs(s: Score) -> list[str]:
    """The costliest answers as explanation lines, without the leading dash."""
    return [cost_line(s.checklist, c, why=False)[2:] for c in s.costs(COSTS_SHOWN)]


def score_text(s: Score) -> str:
    """A compact plain-text summary of one score (80 columns)."""
    profile = f", profile {s.profile}" if s.profile else ""
    lines = [
        _title(s),
        f"Checklist {s.checklist_id} {s.checklist_version}{profile}",
        "",
        f"Score         {_heading_line(s)}",
        f"Red flags     {len(s.red_flags)}",
        f"Cautions      {len(s.cautions)}",
        f"Completeness  {_completeness(s)}",
        f"Care model    {s.care_model}",
    ]
    note = verdict_note(s)
    if note:
        lines += ["", *_wrapped(note, "", "")]
    for label, flags, mark in (("Red flags", s.red_flags, "!"), ("Cautions", s.cautions, "?")):
        if flags:
            lines += ["", label]
            for f in flags:
                lines += _wrapped(_flag_text(s, f), f"  {mark} ", "    ")
    if s.costs():
        lines += ["", "What cost the most points"]
        for text in _costs(s):
            lines += _wrapped(text, "  - ", "    ")
    lines += ["", "Phases", *_table(_subtotal_rows(s.phases))]
    lines += ["", "Sections", *_table(_subtotal_rows(s.sections, _section_titles(s)))]
    for label, ids in (("Unknown", s.unknown), ("Unanswered", s.unanswered)):
        if ids:
            lines += ["", *_wrapped(", ".join(ids), f"{label} ({len(ids)}): ", "  ")]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Escape text for a Markdown table cell or line."""
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return text


def score_markdown(s: Score) -> str:
    """A Markdown summary of one score."""
    profile = f", profile `{s.profile}`" if s.profile else ""
    lines = [
        f"# {_md(_title(s))}",
        "",
        f"Checklist `{s.checklist_id}` {_md(s.checklist_version)}{profile}",
        "",
        f"- **Score:** {_heading_line(s)}",
        f"- **Red flags:** {len(s.red_flags)}",
        f"- **Cautions:** {len(s.cautions)}",
        f"- **Completeness:** {_completeness(s)}",
        f"- **Care model:** {s.care_model}",
    ]
    note = verdict_note(s)
    if note:
        lines += ["", _md(note)]
    for label, flags in (("Red flags", s.red_flags), ("Cautions", s.cautions)):
        if flags:
            lines += ["", f"## {label}", ""]
            lines += [f"- {_md(_flag_text(s, f))}" for f in flags]
    if s.costs():
        lines += ["", "## What cost the most points", ""]
        lines += [f"- {_md(text)}" for text in _costs(s)]
    titles = _section_titles(s)
    for title, values, names in (("Phases", s.phases, None), ("Sections", s.sections, titles)):
        lines += ["", f"## {title}", "", "| | Percent | Points |", "| --- | ---: | ---: |"]
        lines += [f"| {_md(k)} | {p} | {pts} |" for k, p, pts in _subtotal_rows(values, names)]
    for label, ids in (("Unknown", s.unknown), ("Unanswered", s.unanswered)):
        if ids:
            lines += ["", f"## {label}", "", ", ".join(f"`{i}`" for i in ids)]
    return "\n".join(lines) + "\n"


_COMPARE_HEADER = (
    "#",
    "Provider",
    "Red flags",
    "Cautions",
    "Score",
    "Band",
    "Complete",
    "Care model",
)


def _band_cell(s: Score) -> str:
    if s.band is None:
        return "-"
    return f"{s.band} (capped)" if s.band_capped else s.band


def _comparison_rows(table: Comparison) -> list[tuple[str, ...]]:
    return [
        (
            str(rank),
            s.provider.name or "(unnamed provider)",
            str(len(s.red_flags)),
            str(len(s.cautions)),
            _pct(s.percent),
            _band_cell(s),
            "n/a" if s.completeness is None else f"{s.completeness * 100:.0f}%",
            str(s.care_model),
        )
        for rank, s in enumerate(table.rows, start=1)
    ]


def _explained(table: Comparison) -> list[tuple[str, list[str]]]:
    """Headed groups of lines: what cost each provider most, where they differ most."""
    groups = []
    for rank, s in enumerate(table.rows, start=1):
        name = s.provider.name or "(unnamed provider)"
        note = verdict_note(s)
        groups.append(
            (f"{rank}. {name}: what cost it most", [*([note] if note else []), *_costs(s)])
        )
    differences = table.differences()
    if len(table.rows) > 1 and differences:
        lines = []
        for d in differences:
            earned = ", ".join(
                f"{rank}. {'n/a' if p is None else display_number(p)}"
                for rank, p in enumerate(d.points, start=1)
            )
            unit = "point" if d.spread == 1 else "points"
            lines.append(f"{d.item}: {display_number(d.spread)} {unit} apart ({earned})")
        groups.append(("Where they differ most (weighted points by rank)", lines))
    return groups


def comparison_text(table: Comparison) -> str:
    """The ranking as an aligned plain-text table, then what cost each most and differences."""
    lines = _table([_COMPARE_HEADER, *_comparison_rows(table)], indent="")
    for heading, items in _explained(table):
        lines += ["", heading]
        for text in items or ["nothing: every applicable answer earned its points"]:
            lines += _wrapped(text, "  - ", "    ")
    return "\n".join(lines) + "\n"


def comparison_markdown(table: Comparison) -> str:
    """The ranking as a Markdown table, then what cost each most and differences."""
    lines = [
        "| " + " | ".join(_COMPARE_HEADER) + " |",
        "| ---: | --- | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in _comparison_rows(table)]
    for heading, items in _explained(table):
        lines += ["", f"## {_md(heading)}", ""]
        lines += [
            f"- {_md(t)}" for t in items or ["nothing: every applicable answer earned its points"]
        ]
    return "\n".join(lines) + "\n"


def comparison_csv(table: Comparison) -> str:
    """The records of the comparison as CSV with a header row."""
    records = table.to_records()
    buffer = io.StringIO()
    fields = list(records[0]) if records else ["rank"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()
