"""Fuzz ketacheck's loaders and command line with thousands of mutated files.

Run ``python benchmarks/fuzz.py`` (defaults: ``--examples 2000 --seconds 600``). Every bundled
checklist, every example response (``examples/*.toml``) and the FHIR Questionnaire exported
from each bundled checklist (plus the published Questionnaires in ``../shared/fixtures/fhir``
when that folder exists) are mutated the way ``tests/strategies.py`` mutates them (the copy
here counts each kind it applies):

* bytes: flipped bits, truncation, inserted random bytes, repeated runs;
* structure (the parsed document, written back as TOML or JSON): deleted keys, values swapped
  for another type, duplicated array elements, huge values (20,000-character strings, 10^30,
  5,000-element arrays, 2,000-key tables, arrays 100 deep, tables 300 deep), renamed keys;
* typed lines, for the interview: shortcuts, edge and huge numbers, text past the limits and
  random text.

Each mutated file goes through the loaders (``checklist_io.load``, ``response.load``,
``fhir.loads_json`` + ``fhir.from_questionnaire``, each also with ``strict``) and through every
command of the command line via ``ketacheck.cli.main([...])``: validate (and ``--strict``),
show, score, compare, print in every format (PDF to a file), export-fhir, import-fhir,
interview, schema and list.

Allowed outcomes, and nothing else:

* library: a result, or a :class:`~ketacheck.exceptions.KetacheckError`; what loads must dump
  and load back equal (no answer is lost on save); an import must pass the checklist rules;
* command line: exit status 0, 1 or 2 (130 for an interrupted interview); a failure says why
  on stderr in at most ``MAX_ERROR_LINES`` lines starting with ``ketacheck:``, never a
  traceback, no line longer than ``MAX_LINE_CHARS``; JSON output is strict JSON (no NaN) and a
  score's percent lies from 0 to 100; a PDF is a PDF; what import-fhir and interview wrote
  validates;
* every case finishes within ``--timeout`` seconds (a SIGALRM timer, so POSIX only).

The script prints cases tried per target, mutations by kind, outcomes and failures. Each
distinct failure is shrunk (lines, then runs of bytes, keeping the same failure) and saved,
with a note of the target and the failure, under ``--out`` (default: a new temporary folder).
The exit status is 1 when a failure was found, else 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # fuzz_engine, fuzz_cases, fuzz_attacks


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--examples", type=int, default=2000, help="cases per target (default 2000)")
    p.add_argument(
        "--seconds", type=float, default=600, help="time budget for all targets (default 600)"
    )
    p.add_argument("--timeout", type=float, default=20, help="limit per case in s (default 20)")
    p.add_argument("--seed", type=int, help="hypothesis seed, to repeat a run")
    p.add_argument("--out", help="folder for reproducers (default: a new temporary folder)")
    p.add_argument(
        "--shrink-seconds", type=float, default=60, help="time to shrink each failure (default 60)"
    )
    p.add_argument("--only", action="append", help="run only targets whose name contains this")
    p.add_argument(
        "--budget-seconds",
        type=float,
        default=2,
        help="CPU time an attack case may take (default 2)",
    )
    p.add_argument(
        "--budget-mb", type=float, default=200, help="RSS an attack case may add (default 200)"
    )
    return p.parse_args(argv)


def run(argv: Sequence[str] | None = None) -> int:
    """Fuzz every target; print the report; exit 1 when something failed."""
    args = parse_args(argv)
    from fuzz_engine import Fuzzer, report  # noqa: PLC0415 - hypothesis only when fuzzing

    fuzzer = Fuzzer(args)
    targets = [t for t in fuzzer.targets() if not args.only or any(o in t.name for o in args.only)]
    start = time.monotonic()
    for n, target in enumerate(targets):
        remaining = args.seconds - (time.monotonic() - start)
        deadline = time.monotonic() + remaining / (len(targets) - n)
        print(f"fuzzing {target.name} ...", file=sys.stderr)
        fuzzer.run_target(target, args.examples, deadline)
    elapsed = time.monotonic() - start
    saved = fuzzer.shrink()
    print(report(fuzzer, saved, elapsed), end="")
    return 1 if saved else 0


if __name__ == "__main__":
    sys.exit(run())
