"""Reading level of the bundled checklists: prompts and whys, against the plain-language targets.

Run ``python benchmarks/readability.py`` to print the table; ``--write`` rewrites the block
between the ``readability`` markers in docs/checklist.md with it. ``--checklist PATH`` (repeatable)
measures other checklist files instead of the bundled ones.

The measure is the Flesch-Kincaid US school grade (textstat, syllables from pyphen), with the
Flesch Reading Ease and Dale-Chall scores beside it. Targets (issue 14): grade 8 or lower for
the prompts and whys read together, and no single prompt above grade 10. Formulas only count
words, sentences and syllables: they do not see jargon or two questions in one, which the
glossary test and the review cover instead. Grades of one short sentence are noisy, so the
per-prompt figure is a ceiling check, not a ranking.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Final

import textstat  # type: ignore[import-untyped]  # ships no type information

from ketacheck import catalog
from ketacheck.files import checklist as checklist_file
from ketacheck.files._atomic import write_atomic
from ketacheck.model import Checklist

ROOT: Final = Path(__file__).resolve().parents[1]
DOC: Final = ROOT / "docs" / "checklist.md"
START: Final = "<!-- readability:start -->"
END: Final = "<!-- readability:end -->"
OVERALL_TARGET: Final = 8.0
"""Highest Flesch-Kincaid grade for the prompts and whys read together."""
PROMPT_TARGET: Final = 10.0
"""Highest Flesch-Kincaid grade for any one prompt."""


@dataclass(frozen=True)
class Reading:
    """The reading-level figures of one checklist.

    Attributes:
        checklist: The checklist's id and version, for the table.
        items: How many items were read.
        prompts: Flesch-Kincaid grade of all prompts read together.
        whys: Flesch-Kincaid grade of all whys read together.
        overall: Flesch-Kincaid grade of prompts and whys read together.
        reading_ease: Flesch Reading Ease of prompts and whys (higher is easier).
        dale_chall: Dale-Chall score of prompts and whys.
        hardest_prompt: The item id and grade of the hardest single prompt.
    """

    checklist: str
    items: int
    prompts: float
    whys: float
    overall: float
    reading_ease: float
    dale_chall: float
    hardest_prompt: tuple[str, float]

    @property
    def passes(self) -> bool:
        """Whether both targets are met."""
        return self.overall <= OVERALL_TARGET and self.hardest_prompt[1] <= PROMPT_TARGET


def _joined(texts: list[str]) -> str:
    return " ".join(" ".join(t.split()) for t in texts if t.strip())


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of *text*, rounded to one decimal."""
    return round(float(textstat.flesch_kincaid_grade(text)), 1)


def measure(checklist: Checklist) -> Reading:
    """Read every prompt and why of *checklist*."""
    prompts = [item.prompt for item in checklist.items]
    whys = [item.why or "" for item in checklist.items]
    both = _joined(prompts + whys)
    per_prompt = [(item.id, grade(item.prompt)) for item in checklist.items]
    hardest = max(per_prompt, key=lambda pair: pair[1])
    return Reading(
        checklist=f"{checklist.id} {checklist.version}",
        items=len(checklist.items),
        prompts=grade(_joined(prompts)),
        whys=grade(_joined(whys)),
        overall=grade(both),
        reading_ease=round(float(textstat.flesch_reading_ease(both)), 1),
        dale_chall=round(float(textstat.dale_chall_readability_score(both)), 1),
        hardest_prompt=hardest,
    )


def table(readings: list[Reading]) -> str:
    """The Markdown table docs/checklist.md shows."""
    lines = [
        (
            "| Checklist | Items | Prompts | Whys | Prompts and whys | Reading ease | Dale-Chall "
            "| Hardest prompt | Targets |"
        ),
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in readings:
        item, worst = r.hardest_prompt
        lines.append(
            f"| `{r.checklist}` | {r.items} | {r.prompts} | {r.whys} | {r.overall} "
            f"| {r.reading_ease} | {r.dale_chall} | `{item}` ({worst}) "
            f"| {'met' if r.passes else 'MISSED'} |"
        )
    return "\n".join(lines)


def block(readings: list[Reading]) -> str:
    """The marked block written into docs/checklist.md."""
    return (
        f"{START}\n{table(readings)}\n\nFlesch-Kincaid US grades; measured with textstat "
        f"{metadata.version('textstat')} by "
        f"`benchmarks/readability.py`.\n{END}"
    )


def rewrite(doc: str, new_block: str) -> str:
    """*doc* with its readability block replaced by *new_block*."""
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(doc):
        msg = f"{DOC}: no {START} ... {END} block to rewrite"
        raise ValueError(msg)
    return pattern.sub(lambda _: new_block, doc, count=1)


def _load(paths: list[str]) -> list[Checklist]:
    if paths:
        return [checklist_file.read(path) for path in paths]
    return [catalog.load(name) for name in catalog.names()]


def main(argv: list[str] | None = None) -> int:
    """Print the table; with --write, put it in docs/checklist.md. Exit 1 on a missed target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checklist", action="append", default=[], metavar="PATH")
    parser.add_argument("--write", action="store_true", help="rewrite docs/checklist.md")
    args = parser.parse_args(argv)
    readings = [measure(c) for c in _load(args.checklist)]
    print(table(readings))
    if args.write:
        write_atomic(DOC, rewrite(DOC.read_text(encoding="utf-8"), block(readings)))
    return 0 if all(r.passes for r in readings) else 1


if __name__ == "__main__":
    sys.exit(main())
