"""Benchmark rendering the bundled checklist and a filled report in every format.

Run ``python benchmarks/render.py`` to print medians over repeated runs; add ``--write`` to
put them into the "Rendering" section of docs/performance.md (replaced if present, appended
otherwise, other sections kept), together with a line about the machine.

Targets: the bundled checklist to HTML in <= 50 ms, to PDF in <= 1 s (medians, warm: Jinja2
and fpdf2 already imported). The cold first call ("cold"), imports of ketacheck, Jinja2 and
fpdf2 included, is measured in a fresh interpreter and reported beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ketacheck
from ketacheck._atomic import write_atomic
from ketacheck.model import Checklist, ItemKind
from ketacheck.render import render
from ketacheck.response import Response

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = ROOT / "docs" / "performance.md"
HEADING = "## Rendering"


def filled(checklist: Checklist, seed: int = 2026) -> Response:
    """A response answering about 90 % of the items, with a note on every fifth."""
    rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
    r = Response.new(checklist, "Benchmark Clinic")
    for n, item in enumerate(checklist.items):
        if rng.random() > 0.9:
            continue
        answer: object
        if rng.random() < 0.1:
            answer = "unknown"
        elif item.kind is ItemKind.YES_NO:
            answer = rng.choice(["yes", "yes", "no"])
        elif item.kind is ItemKind.CHOICE:
            answer = rng.choice(item.option_ids)
        elif item.kind is ItemKind.MULTI:
            answer = rng.sample(item.option_ids, rng.randint(0, 2))
        elif item.kind is ItemKind.NUMBER:
            answer = rng.randint(int(item.min or 0), int(item.max or 100))
        else:
            answer = "They would wait ten minutes and measure again."
        r.answer(item.id, answer, note="Asked on the phone." if n % 5 == 0 else None)
    return r


def median_seconds(fn: Callable[[], object], *, repeat: int) -> float:
    """The median over *repeat* calls of the time *fn* takes."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_seconds(fmt: str) -> float:
    """The first render of the bundled checklist in a fresh interpreter, imports included."""
    code = (
        "import time; t = time.perf_counter(); import ketacheck; "
        "from ketacheck.render import render; "
        f"render(ketacheck.bundled(), {fmt!r}); print(time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF made by fpdf2 (its page objects)."""
    return len(re.findall(rb"/Type /Page\b", data))


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


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def run(repeat: int) -> list[tuple[str, str]]:
    """Measure; return (what, result) rows."""
    checklist = ketacheck.bundled()
    response = filled(checklist)
    providers = [response, filled(checklist, 1), filled(checklist, 2)]
    blank = f"blank checklist ({len(checklist.items)} items) to"
    rows: list[tuple[str, str]] = []
    for fmt in ("text", "markdown"):
        t = median_seconds(lambda fmt=fmt: render(checklist, fmt), repeat=repeat)  # type: ignore[misc]
        rows.append((f"{blank} {fmt}", f"{_ms(t)} median"))
    html = median_seconds(lambda: render(checklist, "html"), repeat=repeat)
    cold = _ms(cold_seconds("html"))
    rows.append((f"{blank} HTML", f"{_ms(html)} median (target <= 50 ms); cold: {cold}"))
    pdf = median_seconds(lambda: render(checklist, "pdf"), repeat=repeat)
    cold = _ms(cold_seconds("pdf"))
    a4 = pdf_pages(render(checklist, "pdf", paper="a4"))
    letter = pdf_pages(render(checklist, "pdf", paper="letter"))
    result = f"{_ms(pdf)} median (target <= 1 s); cold: {cold}; {a4} pages A4, {letter} Letter"
    rows.append((f"{blank} PDF", result))
    report_html = median_seconds(lambda: render(response, "html"), repeat=repeat)
    rows.append(("filled report to HTML", f"{_ms(report_html)} median"))
    report_pdf = median_seconds(lambda: render(response, "pdf"), repeat=repeat)
    pages = pdf_pages(render(response, "pdf"))
    rows.append(("filled report to PDF", f"{_ms(report_pdf)} median, {pages} pages A4"))
    compared_html = median_seconds(lambda: render(providers, "html"), repeat=repeat)
    rows.append(("comparison of 3 providers to HTML", f"{_ms(compared_html)} median"))
    compared_pdf = median_seconds(lambda: render(providers, "pdf"), repeat=repeat)
    pages = pdf_pages(render(providers, "pdf"))
    rows.append(
        ("comparison of 3 providers to PDF", f"{_ms(compared_pdf)} median, {pages} pages A4")
    )
    return rows


def section(rows: list[tuple[str, str]], repeat: int) -> str:
    """The Markdown of the Rendering section."""
    today = dt.datetime.now(dt.UTC).date().isoformat()
    lines = [
        HEADING,
        "",
        (
            f"Measured with `python benchmarks/render.py --write` on {today}, medians of "
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
    """Replace the Rendering section of docs/performance.md, or append it."""
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
    write_atomic(PERFORMANCE, new)


def main() -> None:
    """Parse the options, measure, print, and optionally write the docs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    parser.add_argument("--repeat", type=int, default=9, help="runs per measurement (default 9)")
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
