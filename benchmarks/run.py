"""The ketacheck benchmark suite: start-up, loading, scoring, TOML and rendering, side by side.

Run ``python benchmarks/run.py`` to print every measurement (median, p10-p90 spread, number of
runs) beside its target, PASS or MISS; ``--quick`` for a smoke test with few runs; ``--write``
to rewrite docs/performance.md with the results (``--output PATH`` writes elsewhere).

What is measured:

1. Start-up, as whole processes (``python -c ...``), interleaved: ``import ketacheck`` against
   its hard dependencies ``import attrs, cattrs, tomllib``, and first use (the bundled
   checklist loaded, a first HTML and PDF printout).
2. Loading and validating the bundled checklist from its TOML text (``ketacheck.io.loads``),
   against fhir.resources validating the same checklist's FHIR export (a test-only dependency:
   skipped when missing).
3. Scoring: one response (µs), and 10,000 distinct responses on one core (per second).
4. A response's TOML round trip (``response.dumps`` then ``response.loads``).
5. Rendering the blank checklist and a filled report in every format, and a comparison.

The process is pinned to one CPU (``os.sched_setaffinity``) where the platform allows it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import ketacheck
import ketacheck.fhir
import ketacheck.files.checklist
from ketacheck import response as responses
from ketacheck.files._atomic import write_atomic
from ketacheck.model import Checklist, Item, ItemKind
from ketacheck.rendering import render
from ketacheck.scoring import score

ROOT: Final = Path(__file__).resolve().parents[1]
PERFORMANCE: Final = ROOT / "docs" / "performance.md"
BUNDLED: Final = ROOT / "checklists" / "ketamine-consumer.toml"

BATCH: Final = 10_000
"""How many distinct responses the throughput measurement scores."""
PROCESS_RUNS: Final = 20
"""Runs of each whole-process measurement (interleaved); --quick uses 3."""
REPEAT: Final = 15
"""Runs of each in-process measurement; --quick uses 3."""
RUN_SECONDS: Final = 0.05
"""In-process runs repeat the call until a run lasts at least this long (--quick: 0.005)."""

IMPORT_RATIO: Final = 1.3
LOAD_SPEEDUP: Final = 2.0
PER_SECOND: Final = 20_000
ONE_RESPONSE: Final = 50e-6
HTML_SECONDS: Final = 0.050
PDF_SECONDS: Final = 1.0

TIMES: Final = "\N{MULTIPLICATION SIGN}"
DASH: Final = "\N{EN DASH}"

FORMATS: Final = ("text", "markdown", "html", "pdf")

DEPENDENCIES: Final = "import attrs, cattrs, tomllib (hard dependencies)"
IMPORT: Final = "import ketacheck"
PROCESSES: Final = {
    "python -c pass (interpreter start-up)": "pass",
    DEPENDENCIES: "import attrs, cattrs, tomllib",
    IMPORT: "import ketacheck",
    "import ketacheck; ketacheck.bundled() (first use)": "import ketacheck; ketacheck.bundled()",
    "first HTML printout of the checklist, whole process": (
        "import ketacheck; ketacheck.render(ketacheck.bundled(), 'html')"
    ),
    "first PDF printout of the checklist, whole process": (
        "import ketacheck; ketacheck.render(ketacheck.bundled(), 'pdf')"
    ),
}
"""Row name to the code a fresh interpreter runs."""

LOAD: Final = "load and validate the bundled checklist (ketacheck.io.loads)"
FHIR: Final = "fhir.resources validates the FHIR export (Questionnaire.model_validate)"
FHIR_JSON: Final = "fhir.resources from JSON text (Questionnaire.model_validate_json)"
ONE: Final = "score one response"
ONE_PROFILE: Final = "score one response with a named profile"
THROUGHPUT: Final = "score 10,000 distinct responses, one core"
ROUND_TRIP: Final = "response TOML round trip (dumps, then loads)"


def blank_row(fmt: str) -> str:
    """The row name of the blank checklist rendered as *fmt*."""
    return f"render the blank checklist: {fmt}"


def report_row(fmt: str) -> str:
    """The row name of the filled report rendered as *fmt*."""
    return f"render a filled report: {fmt}"


COMPARISON_HTML: Final = "render a comparison of 3 providers: html"
COMPARISON_PDF: Final = "render a comparison of 3 providers: pdf"

ROWS: Final = (
    *PROCESSES,
    LOAD,
    FHIR,
    FHIR_JSON,
    ONE,
    ONE_PROFILE,
    THROUGHPUT,
    ROUND_TRIP,
    *(blank_row(fmt) for fmt in FORMATS),
    *(report_row(fmt) for fmt in FORMATS),
    COMPARISON_HTML,
    COMPARISON_PDF,
)
"""Every row of the results table, in order."""


# -- statistics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    """Seconds per call over several runs: the median and the 10th and 90th percentiles."""

    median: float
    p10: float
    p90: float
    runs: int
    calls: int = 1
    """Calls timed together in each run (the run's time divided by them)."""

    @classmethod
    def of(cls, seconds: list[float], calls: int = 1) -> Stats:
        """The statistics of *seconds*, one time per run."""
        if len(seconds) > 1:
            deciles = statistics.quantiles(seconds, n=10, method="inclusive")
            p10, p90 = deciles[0], deciles[-1]
        else:
            p10 = p90 = seconds[0]
        return cls(statistics.median(seconds), p10, p90, len(seconds), calls)


def timed(fn: Callable[[], object], calls: int) -> float:
    """The time one call of *fn* takes, averaged over *calls* back-to-back calls."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def calls_per_run(fn: Callable[[], object], run_seconds: float) -> int:
    """How many calls of *fn* make a run of at least *run_seconds*, after a warm-up call."""
    if timed(fn, 1) >= run_seconds:  # the warm-up: slow enough to time one call at a time
        return 1
    calls = 1
    while calls < 1_000_000:
        took = timed(fn, calls) * calls
        if took >= run_seconds:
            break
        calls = max(calls * 2, int(calls * run_seconds / max(took, 1e-9) * 1.1))
    return calls


def interleaved(cases: Mapping[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Run every case once per round, *runs* rounds, rotating the order to cancel drift.

    Each case returns the seconds of one run.
    """
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for n in range(runs):
        shift = n % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(cases[name]())
    return samples


def measure(
    cases: Mapping[str, Callable[[], object]], repeat: int, run_seconds: float
) -> dict[str, Stats]:
    """Medians per call of in-process *cases*, interleaved, after one warm-up call each."""
    counts = {name: calls_per_run(fn, run_seconds) for name, fn in cases.items()}
    runners = {name: functools.partial(timed, fn, counts[name]) for name, fn in cases.items()}
    samples = interleaved(runners, repeat)
    return {name: Stats.of(samples[name], counts[name]) for name in cases}


# -- the machine --------------------------------------------------------------------------


def idle_ticks() -> dict[int, int]:
    """Idle (and I/O wait) clock ticks of each CPU so far, from /proc/stat; empty elsewhere."""
    try:
        lines = Path("/proc/stat").read_text(encoding="ascii").splitlines()
    except OSError:
        return {}
    ticks = {}
    for line in lines:
        name, *fields = line.split()
        if name.startswith("cpu") and name[3:].isdigit() and len(fields) >= 5:
            ticks[int(name[3:])] = int(fields[3]) + int(fields[4])
    return ticks


def pin_to_one_cpu() -> int | None:
    """Pin this process (and the processes it starts) to its idlest CPU; return it, or None.

    The idlest over a quarter of a second, so that two benchmarks started together (or a
    benchmark and a pinned job) do not share one CPU while another idles.
    """
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    before = idle_ticks()
    time.sleep(0.25)
    after = idle_ticks()
    idle = {cpu: after.get(cpu, 0) - before.get(cpu, 0) for cpu in allowed}
    cpu = max(reversed(allowed), key=lambda c: idle[c])
    os.sched_setaffinity(0, {cpu})
    return cpu


class CpuShare:
    """How much of the wall-clock time each group of measurements spent on the CPU.

    This process's and its children's CPU time over the wall time: near 100 % on a quiet
    machine; lower when other processes took turns on the benchmark's CPU, which makes its
    numbers slower than the machine can do.
    """

    def __init__(self) -> None:
        """No groups measured yet."""
        self.shares: dict[str, float] = {}

    @contextlib.contextmanager
    def group(self, name: str) -> Iterator[None]:
        """Measure the CPU share of the block, as group *name*, after freezing the heap."""
        gc.collect()
        gc.freeze()  # what exists now is the benchmark's: full collections need not rescan it
        start, wall = os.times(), time.perf_counter()
        yield
        end, wall = os.times(), time.perf_counter() - wall
        cpu = sum(end[:4]) - sum(start[:4])  # user, system, children's user and system
        self.shares[name] = cpu / wall if wall > 0 else 1.0

    def disturbed(self) -> list[str]:
        """The groups that had less than 90 % of the CPU."""
        return [name for name, share in self.shares.items() if share < 0.9]

    def __str__(self) -> str:
        """The shares in words: ``start-up 99 %, loading 100 %, ...``."""
        return ", ".join(
            f"{name} {share:.0%}".replace("%", " %") for name, share in self.shares.items()
        )


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, else what :mod:`platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def os_name() -> str:
    """The operating system: its release name where /etc/os-release says, and the kernel."""
    kernel = f"{platform.system()} {platform.release()}"
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip(chr(34))}, {kernel}"
    except OSError:
        pass
    return kernel


def machine(cpu: int | None) -> str:
    """One line about the machine, the interpreter, the date and the load."""
    pinned = f", pinned to CPU {cpu}" if cpu is not None else ", not pinned"
    load = ""
    if hasattr(os, "getloadavg"):
        load = f"; load average {os.getloadavg()[0]:.2f} at the start"
    today = dt.datetime.now(dt.UTC).date().isoformat()
    return (
        f"{cpu_model()} ({os.cpu_count()} logical CPUs{pinned}), "
        f"{platform.python_implementation()} {platform.python_version()}, {os_name()}, "
        f"{today}{load}"
    )


# -- test data ----------------------------------------------------------------------------


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


def filled(checklist: Checklist, rng: random.Random, name: str) -> responses.Response:
    """A response answering about 90 % of the items, with a note on every fifth."""
    r = responses.Response.new(checklist, name)
    for n, item in enumerate(checklist.items):
        if rng.random() < 0.9:
            r.answer(
                item.id, _answer(item, rng), note="Asked on the phone." if n % 5 == 0 else None
            )
    return r


def make_responses(checklist: Checklist, count: int, seed: int = 2026) -> list[responses.Response]:
    """*count* different responses to *checklist*, from a fixed seed."""
    rng = random.Random(seed)  # noqa: S311 - test data, not cryptography
    return [filled(checklist, rng, f"Provider {n}") for n in range(count)]


def pdf_pages(data: bytes) -> int:
    """The number of pages of a PDF made by fpdf2 (its page objects)."""
    return len(re.findall(rb"/Type /Page\b", data))


# -- the rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the results: what, how long, the target and whether it was met."""

    name: str
    stats: Stats | None
    per: str = ""
    """What the runs time, when not one call: shown beside the number of runs."""
    target: str = ""
    achieved: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        """PASS, MISS, or empty when the row has no target."""
        if self.passed is None:
            return ""
        return "PASS" if self.passed else "MISS"


def duration(seconds: float, unit: float | None = None) -> str:
    """*seconds* in µs, ms or s (chosen from *unit*, by default from *seconds* itself)."""
    scale = seconds if unit is None else unit
    if scale < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if scale < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def limit(seconds: float) -> str:
    """A target's time in the unit that makes it a round number: 50 µs, 50 ms, 1 s."""
    for scale, unit in ((1, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if seconds >= scale:
            return f"{seconds / scale:g} {unit}"
    return f"{seconds / 1e-9:g} ns"


def cells(row: Row) -> list[str]:
    """The table cells of *row*: what, median, p10-p90, runs, target, achieved, verdict, notes."""
    if row.stats is None:
        return [row.name, "-", "-", "-", row.target, row.achieved, row.verdict, row.note]
    s = row.stats
    spread = f"{duration(s.p10, s.median)} {DASH} {duration(s.p90, s.median)}"
    runs = str(s.runs) if s.calls == 1 else f"{s.runs} {TIMES} {s.calls:,} calls"
    if row.per:
        runs = f"{runs} ({row.per})"
    return [
        row.name,
        duration(s.median),
        spread,
        runs,
        row.target,
        row.achieved,
        row.verdict,
        row.note,
    ]


HEADER: Final = [
    "Measurement",
    "Median",
    f"p10 {DASH} p90",
    "Runs",
    "Target",
    "Achieved",
    "Result",
    "Notes",
]


def processes(runs: int) -> list[Row]:
    """Whole-process start-up rows: each command run *runs* times, interleaved."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(code: str) -> float:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        seconds = time.perf_counter() - start
        if done.returncode:
            raise RuntimeError(f"python -c {code!r} failed:\n{done.stderr.decode()}")
        return seconds

    for code in PROCESSES.values():  # warm-up: bytecode caches written, files in the page cache
        run(code)
    samples = interleaved(
        {name: functools.partial(run, code) for name, code in PROCESSES.items()},
        runs,
    )
    stats = {name: Stats.of(seconds) for name, seconds in samples.items()}
    ratio = stats[IMPORT].median / stats[DEPENDENCIES].median
    rows = []
    for name in PROCESSES:
        if name == IMPORT:
            rows.append(
                Row(
                    name,
                    stats[name],
                    target=f"≤ {IMPORT_RATIO}{TIMES} dependencies",
                    achieved=f"{ratio:.2f}{TIMES}",
                    passed=ratio <= IMPORT_RATIO,
                    note="cattrs and the TOML code load on first use (PEP 562)",
                )
            )
        else:
            rows.append(Row(name, stats[name]))
    return rows


def loading(repeat: int, run_seconds: float) -> list[Row]:
    """Loading the bundled checklist, against fhir.resources validating its FHIR export."""
    text = BUNDLED.read_text(encoding="utf-8")
    checklist = ketacheck.io.loads(text)
    cases: dict[str, Callable[[], object]] = {LOAD: lambda: ketacheck.io.loads(text)}
    try:
        from fhir.resources.R4B.questionnaire import Questionnaire  # noqa: PLC0415
    except ImportError:
        print("fhir.resources is not installed: the comparison with it was skipped")
        skipped = "skipped: fhir.resources is not installed"
        stats = measure(cases, repeat, run_seconds)
        return [
            Row(
                LOAD,
                stats[LOAD],
                target=f"≥ {LOAD_SPEEDUP:g}{TIMES} faster than fhir.resources",
                achieved="not compared",
            ),
            Row(FHIR, None, note=skipped),
            Row(FHIR_JSON, None, note=skipped),
        ]
    resource = ketacheck.fhir.to_questionnaire(checklist)
    data = json.dumps(resource)
    cases[FHIR] = lambda: Questionnaire.model_validate(resource)
    cases[FHIR_JSON] = lambda: Questionnaire.model_validate_json(data)
    stats = measure(cases, repeat, run_seconds)
    speedup = stats[FHIR].median / stats[LOAD].median
    return [
        Row(
            LOAD,
            stats[LOAD],
            target=f"≥ {LOAD_SPEEDUP:g}{TIMES} faster than fhir.resources",
            achieved=f"{speedup:.1f}{TIMES} faster",
            passed=speedup >= LOAD_SPEEDUP,
            note=f"from TOML text: parse, structure, validate ({len(checklist.items)} items)",
        ),
        Row(FHIR, stats[FHIR], note=f"from a dict made once ({len(data) // 1024} KiB as JSON)"),
        Row(
            FHIR_JSON,
            stats[FHIR_JSON],
            note=(
                "from JSON text, as ketacheck reads TOML text: "
                f"{stats[FHIR_JSON].median / stats[LOAD].median:.1f}{TIMES} ketacheck's time"
            ),
        ),
    ]


def scoring(
    checklist: Checklist, batch: list[responses.Response], repeat: int, run_seconds: float
) -> list[Row]:
    """One response scored, with and without a profile; the whole batch on one core."""
    one = batch[0]
    profile = checklist.profiles[0].id

    def score_batch() -> None:
        for r in batch:
            score(r)

    stats = measure(
        {
            ONE: lambda: score(one),
            ONE_PROFILE: lambda: score(one, profile),
            THROUGHPUT: score_batch,
        },
        repeat,
        run_seconds,
    )
    per_second = len(batch) / stats[THROUGHPUT].median
    applicable = len(score(one).items)
    return [
        Row(
            ONE,
            stats[ONE],
            target=f"≤ {limit(ONE_RESPONSE)}",
            achieved=duration(stats[ONE].median),
            passed=stats[ONE].median <= ONE_RESPONSE,
            note=f"{applicable} of {len(checklist.items)} items apply",
        ),
        Row(ONE_PROFILE, stats[ONE_PROFILE], note=f'profile "{profile}"'),
        Row(
            THROUGHPUT,
            stats[THROUGHPUT],
            per=f"each run scores all {len(batch):,}",
            target=f"≥ {PER_SECOND:,} per second",
            achieved=f"{per_second:,.0f} per second",
            passed=per_second >= PER_SECOND,
        ),
    ]


def round_trip(
    checklist: Checklist, response: responses.Response, repeat: int, run_seconds: float
) -> list[Row]:
    """A response written as TOML and read back (validated against its checklist)."""
    text = responses.dumps(response)
    stats = measure(
        {
            ROUND_TRIP: lambda: responses.loads(responses.dumps(response), checklist=checklist),
            "dumps": lambda: responses.dumps(response),
            "loads": lambda: responses.loads(text, checklist=checklist),
        },
        repeat,
        run_seconds,
    )
    note = (
        f"dumps {duration(stats['dumps'].median)}, loads {duration(stats['loads'].median)}; "
        f"{len(text.encode('utf-8')):,} bytes"
    )
    return [Row(ROUND_TRIP, stats[ROUND_TRIP], note=note)]


def _render_target(fmt: str, seconds: float) -> dict[str, Any]:
    """The target fields of a rendering row: HTML and PDF have one."""
    seconds_limit = {"html": HTML_SECONDS, "pdf": PDF_SECONDS}.get(fmt)
    if seconds_limit is None:
        return {}
    return {
        "target": f"≤ {limit(seconds_limit)}",
        "achieved": duration(seconds),
        "passed": seconds <= seconds_limit,
    }


def rendering(
    checklist: Checklist, providers: list[responses.Response], repeat: int, run_seconds: float
) -> list[Row]:
    """The blank checklist and a filled report in every format; a comparison in HTML and PDF."""
    report = providers[0]
    cases: dict[str, Callable[[], object]] = {}
    for fmt in FORMATS:
        cases[blank_row(fmt)] = functools.partial(render, checklist, fmt)
    for fmt in FORMATS:
        cases[report_row(fmt)] = functools.partial(render, report, fmt)
    cases[COMPARISON_HTML] = lambda: render(providers, "html")
    cases[COMPARISON_PDF] = lambda: render(providers, "pdf")
    stats = measure(cases, repeat, run_seconds)
    a4 = pdf_pages(render(checklist, "pdf", paper="a4"))
    letter = pdf_pages(render(checklist, "pdf", paper="letter"))
    notes = {
        blank_row("pdf"): f"{a4} pages A4, {letter} Letter",
        report_row("pdf"): f"{pdf_pages(render(report, 'pdf'))} pages A4",
        COMPARISON_PDF: f"{pdf_pages(render(providers, 'pdf'))} pages A4",
    }
    rows = []
    for name, s in stats.items():
        fmt = name.rsplit(": ", 1)[1]
        target = (
            _render_target(fmt, s.median) if name not in {COMPARISON_HTML, COMPARISON_PDF} else {}
        )
        rows.append(Row(name, s, note=notes.get(name, ""), **target))
    return rows


def run_all(*, quick: bool, repeat: int, process_runs: int, share: CpuShare) -> list[Row]:
    """Measure everything, group by group; return the rows in :data:`ROWS` order."""
    run_seconds = RUN_SECONDS / 10 if quick else RUN_SECONDS
    with share.group("start-up"):
        rows = processes(process_runs)
    print("start-up measured", flush=True)
    checklist = ketacheck.bundled()
    with share.group("loading"):
        rows += loading(repeat, run_seconds)
    print("loading measured", flush=True)
    with share.group("scoring"):
        batch = make_responses(checklist, BATCH)
        rows += scoring(checklist, batch, repeat, run_seconds)
        rows += round_trip(checklist, batch[0], repeat, run_seconds)
    print("scoring measured", flush=True)
    with share.group("rendering"):
        rows += rendering(checklist, batch[:3], repeat, run_seconds)
    print("rendering measured", flush=True)
    if [row.name for row in rows] != list(ROWS):
        raise AssertionError("the rows are out of step with ROWS")
    return rows


# -- output -------------------------------------------------------------------------------


def plain_table(rows: Iterable[Row]) -> str:
    """The rows as aligned plain text, for the terminal."""
    table = [HEADER, *(cells(row) for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


def markdown_table(rows: Iterable[Row]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| " + " | ".join(HEADER) + " |",
        "| --- | ---: | ---: | ---: | --- | ---: | --- | --- |",
    ]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


PAGE: Final = """\
# Performance

How fast ketacheck starts, loads a checklist, scores responses, reads and writes them, and
prints them: every measurement of `benchmarks/run.py`, side by side, beside its target.

Last measured with `benchmarks/run.py{mode} --write`. Machine: {about}. Share of the CPU
the benchmark had (CPU time over wall time): {share}.

## Running the benchmarks

```sh
.venv/bin/python benchmarks/run.py            # measure and print the table (about a minute)
.venv/bin/python benchmarks/run.py --quick    # a smoke test: few runs, rough numbers
.venv/bin/python benchmarks/run.py --write    # measure and rewrite this page
```

`--output PATH` writes the page somewhere else (and implies `--write`); `--repeat N` and
`--process-runs N` change the number of runs. Run it on a quiet machine: other jobs show up
as a wide p10 {dash} p90 spread and as misses that are not ketacheck's.

## Results

{table}

## What remains

{remains}

Where the time goes, from profiles (cProfile and `python -X importtime`):

- **Start-up.** `import ketacheck` loads only the model, the conditions, the exceptions and
  the `render` entry point (and attrs); the feature modules load on first use, through the
  package's module `__getattr__` (PEP 562), and with them cattrs and the TOML code. So
  `import ketacheck` costs less than importing attrs, cattrs and tomllib, and the first use
  pays the rest: `ketacheck.bundled()` imports cattrs, builds the strict converter and reads
  the checklist.
- **The first PDF** in a process: over a third of its time is importing fpdf2 (with its own
  dependencies), which ketacheck does only when a PDF is asked for, and the first layout
  (fonts loaded); later PDFs are fpdf2 laying out text.
- **Scoring** spends its time in one loop over a plan compiled once per checklist (the
  conditions, and each distinct answer's points and red flags, are worked out once), and in
  building the per-section, phase and tag subtotals of the result.

## Method

- **Medians and spread.** Every number is the median over several runs, with the 10th and
  90th percentiles beside it and the number of runs. Fast calls are repeated within a run
  until the run lasts at least {run_time} (`Runs` then reads *runs {times} calls*), and the
  run's time is divided by the calls; each call is made once, untimed, before. The garbage
  collector stays on, as in an application, but before each group of measurements the
  benchmark collects and freezes what exists (`gc.freeze`), so that full collections do not
  rescan the benchmark's own data (the 10,000 responses, fhir.resources' models), which a
  program printing a report would not have: they added up to 30 ms to some PDF runs.
  Targets compare the median.
- **Interleaving.** Measurements of one group (start-up, loading, scoring, the round trip,
  rendering) run in rounds, each round running every one of them once, in an order rotated
  from round to round, so a machine that slows down or speeds up during the run affects
  all of them alike.
- **One core.** The benchmark pins itself, and the processes it starts, to one CPU with
  `os.sched_setaffinity` where the platform has it (Linux); elsewhere it runs unpinned.
  Nothing runs in parallel. It takes the CPU that was idlest over a quarter of a second, so
  that two runs started together do not share one.
- **CPU share.** For each group of measurements the benchmark divides the CPU time it and
  the processes it started used by the wall time that passed (`os.times`). On a quiet
  machine that is close to 100 %; below 90 %, other processes took turns on its CPU, and
  the page says so under "What remains": such numbers are slower than the machine can do.
- **Start-up** is timed as whole processes, from the benchmark:
  `python -c "import ketacheck"` and the other commands of the first rows, {process_runs}
  runs each, each timed from start to exit with `subprocess`, so the interpreter's own
  start-up (the first row) is in every one. Each command runs once first, unmeasured, so
  that the bytecode caches exist, as after `pip install` (`PYTHONDONTWRITEBYTECODE` is
  dropped for them). The target compares `import ketacheck` with importing what it cannot
  do without: attrs, cattrs and tomllib. The first-use rows show what the lazy loading
  defers: the bundled checklist loaded, a first HTML and a first PDF printout of it.
- **Loading** times `ketacheck.io.loads(text)` on the text of
  `checklists/ketamine-consumer.toml`, read once: TOML parsing, structuring with the strict
  converter and validation, with no cache (`ketacheck.bundled()` caches; `loads` does not).
  fhir.resources (a test-only dependency; without it the comparison is skipped) validates
  the same checklist as exported by `ketacheck.fhir.to_questionnaire`, with
  `fhir.resources.R4B.questionnaire.Questionnaire.model_validate` on a dict made once,
  outside the timing: its time has no JSON parsing while ketacheck's has the TOML parsing.
  The row after it parses the JSON text too (`model_validate_json`).
- **Scoring** uses {batch} distinct responses to the bundled checklist, made from a fixed
  seed, each answering about 90 % of the items (about one answer in ten "unknown"). `score
  one response` scores the first of them, repeatedly; the throughput row scores all of them
  in turn, in each run.
- **TOML round trip**: `response.dumps(r)`, then `response.loads(text, checklist=...)`,
  which validates every answer again.
- **Rendering**: `ketacheck.rendering.render(obj, fmt)` of the bundled checklist (a blank
  printout), of the first response (a filled report) and of the first three (a comparison),
  on A4. Jinja2 and fpdf2 are already imported (the first, untimed call imports them); the
  start-up rows show a first printout with every import.
"""
"""docs/performance.md, filled in by :func:`page`."""


def remains(rows: list[Row], share: CpuShare) -> str:
    """The targets missed, if any, and the groups other processes slowed down."""
    missed = [row for row in rows if row.passed is False]
    lines = ["Every target was met on this run."]
    if missed:
        lines = [
            "These targets were missed on this run (see the profiles below):",
            "",
            *(f"- {row.name}: {row.achieved} against {row.target}" for row in missed),
        ]
    if share.disturbed():
        lines += [
            "",
            (
                "Other processes took turns on the benchmark's CPU during: "
                f"{', '.join(share.disturbed())} (see the CPU share above); those numbers are "
                "slower than the machine can do. Run the benchmark again on a quiet machine."
            ),
        ]
    return "\n".join(lines)


def page(rows: list[Row], *, about: str, share: CpuShare, quick: bool, process_runs: int) -> str:
    """docs/performance.md: the machine, how to run, the results, what remains, the method."""
    return PAGE.format(
        mode=" --quick" if quick else "",
        about=about,
        share=share,
        table=markdown_table(rows),
        remains=remains(rows, share),
        run_time=limit(RUN_SECONDS / 10 if quick else RUN_SECONDS),
        process_runs=process_runs,
        batch=f"{BATCH:,}",
        dash=DASH,
        times=TIMES,
    )


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Parse the options, measure, print, and optionally write the page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few runs: a smoke test")
    parser.add_argument(
        "--write", action="store_true", help="rewrite docs/performance.md with the results"
    )
    parser.add_argument(
        "--output", type=Path, metavar="PATH", help="write the page here instead (implies --write)"
    )
    parser.add_argument(
        "--repeat",
        type=positive,
        metavar="N",
        help=f"runs per in-process measurement (default {REPEAT}; --quick: 3)",
    )
    parser.add_argument(
        "--process-runs",
        type=positive,
        metavar="N",
        help=f"runs per whole-process measurement (default {PROCESS_RUNS}; --quick: 3)",
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else REPEAT)
    process_runs = args.process_runs or (3 if args.quick else PROCESS_RUNS)
    cpu = pin_to_one_cpu()
    about = machine(cpu)
    print(about, flush=True)
    share = CpuShare()
    rows = run_all(quick=args.quick, repeat=repeat, process_runs=process_runs, share=share)
    print()
    print(plain_table(rows))
    print()
    print(f"Share of the CPU the benchmark had: {share}.")
    if share.disturbed():
        print("Other processes slowed down: " + ", ".join(share.disturbed()) + ".")
    if args.write or args.output is not None:
        target = args.output or PERFORMANCE
        text = page(rows, about=about, share=share, quick=args.quick, process_runs=process_runs)
        write_atomic(target, text)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
