"""Running one fuzz case: the library and the command line, and what outcomes are allowed.

Used by ``fuzz_engine`` (mutated files) and ``fuzz_attacks`` (hostile shapes); see fuzz.py.
"""

from __future__ import annotations

import collections
import contextlib
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

from ketacheck import fhir, response
from ketacheck.cli import main
from ketacheck.exceptions import KetacheckError
from ketacheck.files import checklist as checklist_io

ROOT: Final = Path(__file__).resolve().parents[1]
CHECKLISTS: Final = sorted((ROOT / "checklists").glob("*.toml"))
RESPONSES: Final = sorted((ROOT / "examples").glob("*.toml"))
MAX_ERROR_LINES: Final = 60
"""Most lines a failing command may print on stderr (the fast suite's bound, too)."""
MAX_LINE_CHARS: Final = 2_000
"""Longest stderr line a command may print (a message must not echo a huge value)."""
SOURCE: Final = str(ROOT / "src" / "ketacheck")


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
