"""The mutation fuzzer: mutated copies of real files through every target (see fuzz.py).

Needs hypothesis (the ``dev`` group); ``fuzz.py --help`` does not import this module.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import tomli_w
from fuzz_attacks import budgeted, largest, run_attack
from fuzz_attacks import draw as draw_attack
from fuzz_cases import (
    CHECKLISTS,
    RESPONSES,
    ROOT,
    TYPED,
    OutcomeError,
    TimeUp,
    _import_check,
    _round_trip_checklist,
    _round_trip_response,
    checklist_commands,
    cli_case,
    interview_case,
    library_case,
    questionnaire_commands,
    response_commands,
)
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from ketacheck import catalog, fhir, response
from ketacheck.files import checklist as checklist_io

sys.path.insert(0, str(ROOT))  # the mutations are the test suite's (tests/strategies.py)
from tests.strategies import mutated_bytes, mutated_documents

FHIR_FIXTURES: Final = ROOT.parent / "shared" / "fixtures" / "fhir"
ATTACKS_TARGET: Final = "attacks (hostile shapes, budgeted)"


# -- mutations: tests/strategies.py's, counted --------------------------------------------


class Mutator:
    """Applies the test suite's mutation strategies, counting each kind it applies."""

    def __init__(self) -> None:
        """Start with no mutation counted."""
        self.kinds: collections.Counter[str] = collections.Counter()

    def bytes(self, data: st.DataObject, raw: bytes) -> bytes:
        """A copy of *raw* with 1 to 4 byte mutations."""
        return data.draw(mutated_bytes(raw, self.kinds))

    def document(self, data: st.DataObject, doc: dict[str, Any]) -> dict[str, Any]:
        """A deep copy of *doc* with 1 to 3 structural mutations."""
        return data.draw(mutated_documents(doc, self.kinds))


# -- inputs -------------------------------------------------------------------------------


class Corpus:
    """The files that get mutated: raw bytes and parsed documents of each kind."""

    def __init__(self) -> None:
        """Read the bundled checklists, the example responses and the Questionnaires."""
        self.checklists = {p.name: p.read_bytes() for p in CHECKLISTS}
        self.responses = {p.name: p.read_bytes() for p in RESPONSES}
        self.questionnaires = {
            f"{name}.json": _json(fhir.to_questionnaire(catalog.load(name))).encode()
            for name in catalog.names()
        }
        if FHIR_FIXTURES.is_dir():
            for path in sorted(FHIR_FIXTURES.glob("*.json")):
                if not path.name.endswith(".cases.json"):
                    self.questionnaires[path.name] = path.read_bytes()
        self.docs: dict[str, dict[str, Any]] = {}
        for name, raw in [*self.checklists.items(), *self.responses.items()]:
            self.docs[name] = tomllib.loads(raw.decode("utf-8"))
        for name, raw in self.questionnaires.items():
            self.docs[name] = json.loads(raw)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"


def _serialise(doc: dict[str, Any], as_json: bool) -> bytes | None:
    """The mutated document as file bytes, or None when TOML cannot hold it."""
    if as_json:
        return _json(doc).encode()
    try:
        return tomli_w.dumps(doc).encode()
    except (TypeError, ValueError, RecursionError):
        return None


# -- targets ------------------------------------------------------------------------------


class Target:
    """One thing to fuzz: which files, how they are mutated, and what runs on them."""

    def __init__(
        self,
        name: str,
        files: dict[str, bytes],
        structure: str | None,
        run: Callable[[str, bytes, collections.Counter[str]], None],
    ) -> None:
        """*structure* is ``toml`` or ``json`` for structural mutations, None for bytes only."""
        self.name = name
        self.files = files
        self.structure = structure
        self.run = run


Runner = Callable[[str, bytes, collections.Counter[str]], None]


def _load_checklist(name: str, raw: bytes) -> object:
    source, strict = "fuzzed.toml", name.endswith(".strict")
    return checklist_io.load(io.BytesIO(raw), source=source, strict=strict)


def _load_response(_name: str, raw: bytes) -> object:
    return response.load(io.BytesIO(raw), source="fuzzed.toml")


def _import_questionnaire(name: str, raw: bytes) -> object:
    loaded = fhir.loads_json(raw, source="fuzzed.json")
    return fhir.from_questionnaire(loaded, strict=name.endswith(".strict"), source="fuzzed.json")


def library_runner(
    load: Callable[[str, bytes], object], check: Callable[[object], None], limit: float
) -> Runner:
    """A target's runner: *load* the case's bytes, then *check* what loaded."""

    def run(name: str, raw: bytes, outcomes: collections.Counter[str]) -> None:
        outcomes[library_case(lambda b: load(name, b), check, raw, limit)] += 1

    return run


class Fuzzer:
    """Runs every target and keeps the counts."""

    def __init__(self, args: argparse.Namespace) -> None:
        """Set up counters, the corpus and the output folder."""
        self.args = args
        self.corpus = Corpus()
        self.mutator = Mutator()
        self.cases: collections.Counter[str] = collections.Counter()
        self.outcomes: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        self.failures: dict[
            tuple[str, str], tuple[OutcomeError, str, bytes, Callable[[bytes], None]]
        ]
        self.failures = {}
        self.failure_count = 0
        self.out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="ketacheck-fuzz-"))
        self.out.mkdir(parents=True, exist_ok=True)

    # the targets ------------------------------------------------------------------------

    def targets(self) -> list[Target]:
        """The library and command-line targets, in the order they run."""
        c, r, q = self.corpus.checklists, self.corpus.responses, self.corpus.questionnaires
        lim = self.args.timeout

        def cli_runner(
            commands: Callable[[Path, Path], list[list[str]]], filename: str
        ) -> Callable[[str, bytes, collections.Counter[str]], None]:
            def run(_name: str, raw: bytes, outcomes: collections.Counter[str]) -> None:
                cli_case(filename, raw, commands, lim, outcomes)

            return run

        def interview_runner(name: str, typed: bytes, outcomes: collections.Counter[str]) -> None:
            files = {"new (ketamine-consumer)": b"", "new (quick-screen)": b"", **r}
            interview_case(
                name.removesuffix(".strict"),
                files[name.removesuffix(".strict")],
                typed,
                lim,
                outcomes,
            )

        def attack(_name: str, raw: bytes, outcomes: collections.Counter[str]) -> None:
            args = self.args
            outcomes[
                budgeted(lambda: run_attack(raw, lim), args.budget_seconds, args.budget_mb)
            ] += 1

        # Fast targets first: the slow command-line ones run last and get the time left over.
        return [
            Target(ATTACKS_TARGET, {"attack": b""}, "attack", attack),
            Target(
                "checklist_io.load (checklists)",
                c,
                "toml",
                library_runner(_load_checklist, _round_trip_checklist, lim),
            ),
            Target(
                "response.load (responses)",
                r,
                "toml",
                library_runner(_load_response, _round_trip_response, lim),
            ),
            Target(
                "fhir.from_questionnaire",
                q,
                "json",
                library_runner(_import_questionnaire, _import_check, lim),
            ),
            Target(
                "cli (questionnaires)",
                q,
                "json",
                cli_runner(questionnaire_commands, "questionnaire.json"),
            ),
            Target(
                "cli interview (typed lines)",
                {"new (ketamine-consumer)": b"", "new (quick-screen)": b"", **r},
                "lines",
                interview_runner,
            ),
            Target("cli (responses)", r, "toml", cli_runner(response_commands, "response.toml")),
            Target("cli (checklists)", c, "toml", cli_runner(checklist_commands, "checklist.toml")),
        ]

    # running --------------------------------------------------------------------------

    def run_target(self, target: Target, examples: int, deadline: float) -> None:
        """Run *target* for *examples* cases or until *deadline* (time.monotonic)."""

        def one(data: st.DataObject) -> None:
            name = data.draw(st.sampled_from(sorted(target.files)), label="file")
            raw: bytes | None
            if target.structure == "lines":
                raw = self.typed_lines(data)
            elif target.structure == "attack":
                raw = draw_attack(data)
            elif target.structure is not None and data.draw(st.booleans(), label="structural"):
                doc = self.mutator.document(data, self.corpus.docs[name])
                raw = _serialise(doc, target.structure == "json")
                if raw is None:
                    data.draw(st.booleans(), label="strict")  # draw as every case does
                    if time.monotonic() > deadline:
                        raise TimeUp
                    self.outcomes[target.name]["not serialisable"] += 1
                    return
            else:
                raw = self.mutator.bytes(data, target.files[name])
            variant = name + (".strict" if data.draw(st.booleans(), label="strict") else "")
            if time.monotonic() > deadline:  # after every draw, so replays draw the same
                raise TimeUp  # ends the run: hypothesis re-raises it from test()
            self.cases[target.name] += 1
            try:
                target.run(variant, raw, self.outcomes[target.name])
            except OutcomeError as failure:
                self.record(target, variant, raw, failure)

        test = settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(data=st.data())(one))
        if self.args.seed is not None:
            test = seed(self.args.seed)(test)
        with contextlib.suppress(TimeUp):
            test()

    def typed_lines(self, data: st.DataObject) -> bytes:
        """1 to 20 lines to type, from :data:`TYPED` and random text, counted as mutations."""
        line = st.one_of(
            st.sampled_from(TYPED),
            st.text(max_size=40).map(lambda t: t.replace("\n", " ")),
        )
        lines = data.draw(st.lists(line, min_size=1, max_size=20), label="typed")
        self.mutator.kinds["typed lines"] += len(lines)
        return "".join(f"{x}\n" for x in lines).encode("utf-8", "surrogatepass")

    def record(self, target: Target, variant: str, raw: bytes, failure: OutcomeError) -> None:
        """Count a failure; keep the first input of each kind for shrinking."""
        self.failure_count += 1
        self.outcomes[target.name][f"FAILURE {failure.signature}"] += 1
        key = (target.name, failure.signature)
        if key not in self.failures:

            def replay(data: bytes) -> None:
                target.run(variant, data, collections.Counter())  # replays are not counted

            self.failures[key] = (failure, variant, raw, replay)
            print(f"  failure: {target.name}: {failure}", file=sys.stderr)

    def shrink(self) -> list[tuple[str, OutcomeError, Path]]:
        """Shrink each distinct failure and save it; return (target, failure, file) triples."""
        saved = []
        for n, ((target, signature), (failure, variant, raw, replay)) in enumerate(
            sorted(self.failures.items()), start=1
        ):

            def same(data: bytes, replay: Callable[[bytes], None] = replay) -> bool:
                try:
                    replay(data)
                except OutcomeError as again:
                    return again.signature == signature  # noqa: B023 - read in this iteration
                return False

            small = reduce(raw, same, budget=self.args.shrink_seconds)
            suffix = ".json" if variant.split(".strict")[0].endswith(".json") else ".toml"
            path = self.out / f"failure-{n}{suffix}"
            path.write_bytes(small)
            path.with_suffix(".txt").write_text(
                f"target: {target}\ninput: {variant}\n{failure}\n", encoding="utf-8"
            )
            saved.append((target, failure, path))
        return saved


def reduce(data: bytes, still_fails: Callable[[bytes], bool], *, budget: float) -> bytes:
    """A smaller input that still fails the same way: drop runs of lines, then of bytes."""
    end = time.monotonic() + budget
    for unit in ("lines", "bytes"):
        parts: list[bytes] = (
            data.splitlines(keepends=True)
            if unit == "lines"
            else [data[i : i + 1] for i in range(len(data))]
        )
        smallest = max(1, len(parts) // 512)  # big inputs: runs of bytes, not single bytes
        size = max(1, len(parts) // 2)
        while size >= smallest and time.monotonic() < end:
            i, changed = 0, False
            while i < len(parts) and time.monotonic() < end:
                candidate = parts[:i] + parts[i + size :]
                if candidate and still_fails(b"".join(candidate)):
                    parts, changed = candidate, True
                else:
                    i += size
            if not changed:
                size //= 2
        data = b"".join(parts)
    return data


# -- the report ---------------------------------------------------------------------------


def report(fuzzer: Fuzzer, saved: list[tuple[str, OutcomeError, Path]], seconds: float) -> str:
    """The counts as plain text."""
    lines = [f"ketacheck fuzz: {sum(fuzzer.cases.values()):,} cases in {seconds:.0f} s", ""]
    lines.append("Cases tried per target")
    lines += [f"  {name:<28} {n:>7,}" for name, n in fuzzer.cases.items()]
    lines += ["", "Mutations applied, by kind"]
    lines += [f"  {kind:<28} {n:>7,}" for kind, n in sorted(fuzzer.mutator.kinds.items())]
    lines += [f"  {'total':<28} {sum(fuzzer.mutator.kinds.values()):>7,}"]
    lines += ["", "Outcomes"]
    for target, counts in fuzzer.outcomes.items():
        lines.append(f"  {target}")
        lines += [f"    {what:<40} {n:>7,}" for what, n in sorted(counts.items())]
    if fuzzer.cases.get(ATTACKS_TARGET):
        lines += ["", "Largest cost of one attack case (budget: CPU time and RSS growth)"]
        lines += largest()
    lines += ["", f"Failures: {fuzzer.failure_count} ({len(saved)} distinct)"]
    for target, failure, path in saved:
        lines.append(f"  {target}: {failure.signature}")
        lines.append(f"    reproducer: {path} (see {path.with_suffix('.txt').name})")
    if not saved:
        lines.append("  none")
    return "\n".join(lines) + "\n"
