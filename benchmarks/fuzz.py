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
import collections
import contextlib
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import tomllib
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import tomli_w
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from ketacheck import catalog, fhir, response
from ketacheck.cli import main
from ketacheck.exceptions import KetacheckError
from ketacheck.files import checklist as checklist_io

ROOT: Final = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the mutations are the test suite's (tests/strategies.py)
from tests.strategies import mutated_bytes, mutated_documents  # noqa: E402

CHECKLISTS: Final = sorted((ROOT / "checklists").glob("*.toml"))
RESPONSES: Final = sorted((ROOT / "examples").glob("*.toml"))
FHIR_FIXTURES: Final = ROOT.parent / "shared" / "fixtures" / "fhir"
MAX_ERROR_LINES: Final = 60
"""Most lines a failing command may print on stderr (the fast suite's bound, too)."""
MAX_LINE_CHARS: Final = 2_000
"""Longest stderr line a command may print (a message must not echo a huge value)."""
SOURCE: Final = str(ROOT / "src" / "ketacheck")

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


# -- running one case ---------------------------------------------------------------------


class TimeUp(Exception):  # noqa: N818 - reads as "raise TimeUp"
    """The time budget of a target is spent."""


class Timeout(BaseException):
    """A case ran past its time limit (a BaseException, so no ``except Exception`` hides it)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise Timeout in the main thread after *seconds*."""

    def expired(_signum: int, _frame: object) -> None:
        raise Timeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _where(exc: BaseException) -> str:
    """The innermost ketacheck frame of a traceback, as ``module.py:line``."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f.filename.startswith(SOURCE)] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{os.path.relpath(frame.filename, SOURCE)}:{frame.lineno}"


def _signature(exc: BaseException) -> str:
    return f"{type(exc).__name__} at {_where(exc)}"


class OutcomeError(Exception):
    """A disallowed outcome, with a signature that tells failures apart."""

    def __init__(self, signature: str, detail: str) -> None:
        """*signature* groups failures; *detail* explains this one."""
        self.signature = signature
        self.detail = detail
        super().__init__(f"{signature}: {detail}")


def library_case(
    loader: Callable[[bytes], object], check: Callable[[object], None], raw: bytes, limit: float
) -> str:
    """Run *loader* on *raw*; return the outcome, or raise OutcomeError."""
    try:
        with time_limit(limit):
            try:
                loaded = loader(raw)
            except KetacheckError as e:
                return type(e).__name__
            check(loaded)
    except OutcomeError:
        raise
    except BaseException as e:  # anything else is what the fuzzer looks for
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        raise OutcomeError(_signature(e), detail[:500]) from e
    return "ok"


def _round_trip_checklist(loaded: object) -> None:
    text = checklist_io.dumps(loaded)  # type: ignore[arg-type]
    if checklist_io.loads(text) != loaded:
        raise OutcomeError("checklist round trip", "checklist_io.loads(checklist_io.dumps(c)) != c")


def _round_trip_response(loaded: object) -> None:
    assert isinstance(loaded, response.Response)
    back = response.loads(response.dumps(loaded), checklist=loaded.checklist)
    if back != loaded:
        raise OutcomeError("response round trip", "the dumped response loads back different")


def _import_check(loaded: object) -> None:
    result: fhir.ImportResult = loaded  # type: ignore[assignment]
    if result.checklist != result.checklist.validated():
        raise OutcomeError("import", "the imported checklist is not valid")  # pragma: no cover


def _capture() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def run_cli(argv: Sequence[str], stdin: str, limit: float) -> tuple[int, bytes]:
    """Run the command line in this process; return (status, stdout) or raise OutcomeError."""
    out, err = _capture(), _capture()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with time_limit(limit), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(argv))
    except BaseException as e:  # an exception escaping main() is a failure
        detail = "".join(traceback.format_exception_only(type(e), e)).strip()
        raise OutcomeError(f"{argv[0]}: {_signature(e)}", detail[:500]) from e
    finally:
        sys.stdin = old_stdin
    stdout: bytes = out.buffer.getvalue()  # type: ignore[attr-defined]
    stderr = err.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]
    lines = stderr.splitlines()
    problem = None
    if status not in (0, 1, 2, 130):
        problem = f"exit status {status}"
    elif "Traceback" in stderr:
        problem = "a traceback on stderr"
    elif status not in (0, 130) and not stderr.startswith("ketacheck: "):
        problem = "a failure without a message"
    elif status not in (0, 130) and len(lines) > MAX_ERROR_LINES:
        problem = f"more than {MAX_ERROR_LINES} lines on stderr"
    elif any(len(line) > MAX_LINE_CHARS for line in lines):
        problem = f"a stderr line over {MAX_LINE_CHARS:,} characters"
    if problem is not None:
        shown = "\n".join(line[:200] for line in lines[:5])
        raise OutcomeError(f"{argv[0]}: {problem}", f"{' '.join(argv)}\n{shown}")
    if status == 0:
        check_output(argv, stdout)
    return status, stdout


def _strict_json(data: bytes) -> Any:
    """Parse JSON as other programs do: NaN and Infinity are not JSON."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(data, parse_constant=refuse)


def check_output(argv: Sequence[str], stdout: bytes) -> None:
    """What a command printed or wrote is what it promises: strict JSON, a PDF, a score."""
    if argv[0] not in ("print", "export-fhir", "score", "compare", "schema"):
        return  # interview and import-fhir outputs are validated by their cases
    out = argv[argv.index("-o") + 1] if "-o" in argv else None
    data = Path(out).read_bytes() if out is not None else stdout
    problem = None
    try:
        if argv[0] == "export-fhir" or argv[0] == "schema" or "json" in argv:
            value = _strict_json(data)
            if argv[0] == "score":
                percent = value["percent"]
                if percent is not None and not 0 <= percent <= 100:
                    problem = f"percent {percent} outside 0-100"
        elif out is not None and out.endswith(".pdf") and not data.startswith(b"%PDF-"):
            problem = "not a PDF"
    except ValueError as e:
        problem = f"output is not strict JSON ({e})"
    if problem is not None:
        raise OutcomeError(f"{argv[0]}: {problem}", " ".join(argv))


def checklist_commands(path: Path, work: Path) -> list[list[str]]:
    """Every command that takes a checklist, on *path*."""
    p, r1, r2 = str(path), str(RESPONSES[0]), str(RESPONSES[-1])
    return [
        ["validate", p],
        ["validate", "--strict", p],
        ["show", p],
        ["print", p, "--format", "text"],
        ["print", p, "--format", "markdown"],
        ["print", p, "--format", "html", "--paper", "letter"],
        ["print", p, "-o", str(work / "blank.pdf")],
        ["export-fhir", p],
        ["export-fhir", p, "-o", str(work / "q.json")],
        ["score", r1, "--checklist", p, "--format", "json"],
        ["score", r2, "--checklist", p, "--format", "json", "--profile", "therapy-focused"],
        ["compare", r1, r2, "--checklist", p, "--format", "csv"],
        ["print", p, "--response", r1, "--format", "html"],
        ["export-fhir", p, "--response", r1],
        ["interview", p, "-o", str(work / "new.toml"), "--provider", "Fuzz"],
    ]


def response_commands(path: Path, work: Path) -> list[list[str]]:
    """Every command that takes a response, on *path*."""
    p, other = str(path), str(RESPONSES[0])
    return [
        ["validate", p],
        ["validate", "--strict", p],
        ["score", p],
        ["score", p, "--format", "markdown"],
        ["score", p, "--format", "json", "--profile", "therapy-focused"],
        ["compare", p, other],
        ["compare", p, other, "--format", "markdown"],
        ["compare", p, other, "--format", "csv"],
        ["compare", p, other, "--format", "json"],
        ["print", "--response", p, "--format", "text"],
        ["print", "--response", p, "--format", "markdown"],
        ["print", "--response", p, "--format", "html"],
        ["print", "--response", p, "-o", str(work / "report.pdf")],
        ["print", "--response", p, "--response", other, "--format", "html"],
        ["print", "--response", p, "--response", other, "-o", str(work / "comparison.pdf")],
        ["export-fhir", "--response", p],
        ["export-fhir", "--response", p, "-o", str(work / "qr.json")],
        ["interview", "-o", p],
    ]


def questionnaire_commands(path: Path, work: Path) -> list[list[str]]:
    """Every command that takes a Questionnaire, on *path* (then schema and list)."""
    p = str(path)
    return [
        ["import-fhir", p],
        ["import-fhir", p, "--strict"],
        ["import-fhir", p, "-o", str(work / "imported.toml")],
        ["schema", "checklist"],
        ["schema", "response"],
        ["list"],
    ]


INTERVIEW_INPUT: Final = "y\n1\n? # asked twice\ns\nq\n"
TYPED: Final = (
    *("y", "n", "?", "s", "b", "q", "0", "1", "2", "3", "99", "-1", "1.5", "45", "601"),
    *("yes", "unknown", "1,2", "1 2 2", "0 1", "", " ", "# a note", "y # a note"),
    *("1e999", "nan", "inf", "-0", "+7", "\x00", "\u202e", "\t"),
    *("1" + "0" * 400, "9" * 5000, "x" * 10_001, "y # " + "n" * 10_001),
)
"""Lines the fuzzer types into interviews, besides random text: shortcuts, edge numbers,
huge numbers and text past the 10,000-character limit."""
"""What the fuzzer types into an interview: an answer, an option, unknown with a note, skip."""


def cli_case(
    name: str,
    raw: bytes,
    commands: Callable[[Path, Path], list[list[str]]],
    limit: float,
    outcomes: collections.Counter[str],
) -> None:
    """Write *raw* to a fresh folder, run every command on it; OutcomeError if one fails."""
    work = Path(tempfile.mkdtemp(prefix="case-"))
    try:
        path = work / name
        path.write_bytes(raw)
        for argv in commands(path, work):
            status, _ = run_cli(argv, INTERVIEW_INPUT, limit)
            outcomes[f"{argv[0]}: exit {status}"] += 1
            if argv[0] == "import-fhir" and "-o" in argv and status == 0:
                out = argv[argv.index("-o") + 1]
                check, _ = run_cli(["validate", out], "", limit)
                if check != 0:
                    raise OutcomeError("import-fhir: output does not validate", " ".join(argv))
            saved = argv[argv.index("-o") + 1] if argv[0] == "interview" else None
            if saved is not None and status == 0 and Path(saved).exists():
                given = ["--checklist", argv[1]] if argv[1] != "-o" else []
                check, _ = run_cli(["validate", *given, saved], "", limit)
                if check != 0:
                    raise OutcomeError(
                        "interview: the saved file does not validate", " ".join(argv)
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def interview_case(
    name: str, content: bytes, typed: bytes, limit: float, outcomes: collections.Counter[str]
) -> None:
    """Type *typed* into an interview that continues *content* (or starts a new file)."""
    work = Path(tempfile.mkdtemp(prefix="case-"))
    try:
        path = work / "response.toml"
        argv = ["interview", "-o", str(path)]
        if name.startswith("new"):
            argv += ["quick-screen"] if "quick" in name else []
        else:
            path.write_bytes(content)
        status, _ = run_cli(argv, typed.decode("utf-8", "replace"), limit)
        outcomes[f"interview: exit {status}"] += 1
        if status == 0 and path.exists():
            check, _ = run_cli(["validate", str(path)], "", limit)
            if check != 0:
                raise OutcomeError("interview: the saved file does not validate", " ".join(argv))
    finally:
        shutil.rmtree(work, ignore_errors=True)


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

        def checklist_load(name: str, raw: bytes, outcomes: collections.Counter[str]) -> None:
            strict = name.endswith(".strict")
            outcomes[
                library_case(
                    lambda b: checklist_io.load(io.BytesIO(b), source="fuzzed.toml", strict=strict),
                    _round_trip_checklist,
                    raw,
                    lim,
                )
            ] += 1

        def response_load(_name: str, raw: bytes, outcomes: collections.Counter[str]) -> None:
            outcomes[
                library_case(
                    lambda b: response.load(io.BytesIO(b), source="fuzzed.toml"),
                    _round_trip_response,
                    raw,
                    lim,
                )
            ] += 1

        def questionnaire_import(name: str, raw: bytes, outcomes: collections.Counter[str]) -> None:
            strict = name.endswith(".strict")
            outcomes[
                library_case(
                    lambda b: fhir.from_questionnaire(
                        fhir.loads_json(b, source="fuzzed.json"),
                        strict=strict,
                        source="fuzzed.json",
                    ),
                    _import_check,
                    raw,
                    lim,
                )
            ] += 1

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

        # Fast targets first: the slow command-line ones run last and get the time left over.
        return [
            Target("checklist_io.load (checklists)", c, "toml", checklist_load),
            Target("response.load (responses)", r, "toml", response_load),
            Target("fhir.from_questionnaire", q, "json", questionnaire_import),
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
    lines += ["", f"Failures: {fuzzer.failure_count} ({len(saved)} distinct)"]
    for target, failure, path in saved:
        lines.append(f"  {target}: {failure.signature}")
        lines.append(f"    reproducer: {path} (see {path.with_suffix('.txt').name})")
    if not saved:
        lines.append("  none")
    return "\n".join(lines) + "\n"


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
    return p.parse_args(argv)


def run(argv: Sequence[str] | None = None) -> int:
    """Fuzz every target; print the report; exit 1 when something failed."""
    args = parse_args(argv)
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
