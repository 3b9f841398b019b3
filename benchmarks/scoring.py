"""Benchmark scoring and response TOML round trips against the bundled checklist.

Run ``python benchmarks/scoring.py`` to print medians over repeated runs; add ``--write`` to
put them into the "Scoring" section of docs/performance.md (replaced if present, appended
otherwise), together with a line about the machine.

Targets: one response scored in <= 50 µs (median); 10,000 responses in <= 1 s on one core
(>= 20,000 per second).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import ketacheck
from ketacheck import response as responses
from ketacheck.model import Checklist, Item, ItemKind
from ketacheck.scoring import score

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = ROOT / "docs" / "performance.md"
HEADING = "## Scoring"


def _answer(item: Item, rng: random.Random) -> object:
    """A plausible answer: mostly real, sometimes unknown."""
    if rng.random() < 0.1:
        return "unknown"
    if item.kind is ItemKind.YES_NO:
        return rng.choice(["yes", "yes", "no"])
    if item.kind is ItemKind.CHOICE:
        return rng.choice(item.option_ids)
    if item.kind is ItemKind.MULTI:
        return rng.sample(item.option_ids, rng.randint(0, 2))
    if item.kind is ItemKind.NUMBER:
        return rng.randint(int(item.min or 0), int(item.max or 100))
    return rng.choice(["", "160/100", "They would wait and measure again after ten minutes."])


def make_responses(checklist: Checklist, count: int, seed: int = 2026) -> list[responses.Response]:
    """*count* different responses, each answering about 90 % of the items."""
    rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
    out = []
    for n in range(count):
        r = responses.Response.new(checklist, f"Provider {n}")
        for item in checklist.items:
            if rng.random() < 0.9:
                r.answer(item.id, _answer(item, rng))
        out.append(r)
    return out


def median_seconds(fn: Callable[[], object], *, number: int, repeat: int) -> float:
    """The median over *repeat* runs of the time *fn* takes, per call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def machine() -> str:
    """One line about the machine and interpreter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )


def run(repeat: int) -> list[tuple[str, str]]:
    """Measure; return (what, result) rows."""
    checklist = ketacheck.bundled()
    batch = make_responses(checklist, 10_000)
    one = batch[0]

    cold_start = time.perf_counter()
    for r in batch:
        score(r)
    cold = time.perf_counter() - cold_start

    per_one = median_seconds(lambda: score(one), number=2_000, repeat=repeat)
    per_one_profile = median_seconds(
        lambda: score(one, "therapy-focused"), number=2_000, repeat=repeat
    )

    def score_batch() -> None:
        for r in batch:
            score(r)

    per_batch = median_seconds(score_batch, number=1, repeat=repeat)
    text = responses.dumps(one)
    per_dumps = median_seconds(lambda: responses.dumps(one), number=200, repeat=repeat)
    per_loads = median_seconds(
        lambda: responses.loads(text, checklist=checklist), number=200, repeat=repeat
    )
    applicable = sum(1 for s in score(one).items)
    return [
        (
            f"one response scored ({applicable} applicable of {len(checklist.items)} items)",
            f"{per_one * 1e6:.1f} µs median (target <= 50 µs)",
        ),
        ("one response scored with a named profile", f"{per_one_profile * 1e6:.1f} µs median"),
        (
            "10,000 different responses scored, one core",
            (
                f"{per_batch:.3f} s median, {10_000 / per_batch:,.0f} per second "
                f"(targets <= 1 s, >= 20,000/s); first, cold run {cold:.3f} s"
            ),
        ),
        ("response to TOML text (dumps)", f"{per_dumps * 1e6:.0f} µs median"),
        ("TOML text to validated response (loads)", f"{per_loads * 1e6:.0f} µs median"),
    ]


def section(rows: list[tuple[str, str]], repeat: int) -> str:
    """The Markdown of the Scoring section."""
    today = dt.datetime.now(dt.UTC).date().isoformat()
    lines = [
        HEADING,
        "",
        (
            f"Measured with `python benchmarks/scoring.py --write` on {today}, medians of "
            f"{repeat} runs."
        ),
        f"Machine: {machine()}.",
        "",
        "| What | Result |",
        "| --- | --- |",
        *(f"| {what} | {result} |" for what, result in rows),
        "",
    ]
    return "\n".join(lines)


def write(text: str) -> None:
    """Replace the Scoring section of docs/performance.md, or append it."""
    if PERFORMANCE.exists():
        current = PERFORMANCE.read_text(encoding="utf-8")
    else:
        current = "# Performance\n\nWhat the scripts in `benchmarks/` measured, and where.\n"
    lines = current.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == HEADING), None)
    if start is None:
        new = current.rstrip("\n") + "\n\n" + text
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        after = "".join(lines[end:])
        new = "".join(lines[:start]) + text + ("\n" + after if after else "")
    PERFORMANCE.parent.mkdir(exist_ok=True)
    PERFORMANCE.write_text(new, encoding="utf-8")


def main() -> None:
    """Parse the options, measure, print, and optionally write the docs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--repeat", type=int, default=7, help="runs per measurement (default 7)")
    args = parser.parse_args()
    rows = run(args.repeat)
    width = max(len(what) for what, _ in rows)
    print(machine())
    for what, result in rows:
        print(f"{what:<{width}}  {result}")
    if args.write:
        write(section(rows, args.repeat))
        print(f"wrote {PERFORMANCE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
