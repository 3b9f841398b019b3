"""Fuzzing: mutated copies of every bundled checklist and example response.

The only outcomes allowed are a loaded object or a KetacheckError from the library, and exit
status 0, 1 or 2 with a short message from the command line; never another exception, never a
hang. ``benchmarks/fuzz.py`` runs the same properties with many more examples.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacheck import catalog
from ketacheck.cli import build_parser, main
from ketacheck.exceptions import KetacheckError
from ketacheck.files import checklist as checklist_io

from .strategies import mutated_bytes, mutated_documents

ROOT = Path(__file__).resolve().parents[1]
CHECKLISTS = sorted((ROOT / "checklists").glob("*.toml"))
RESPONSES = sorted((ROOT / "examples").glob("*.toml"))
FUZZ = settings(
    max_examples=int(os.environ.get("KETACHECK_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@contextlib.contextmanager
def time_limit(seconds: int = 20) -> Iterator[None]:
    """Turn a hang into a failure."""

    def _expired(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _read_response(data: bytes) -> object:
    from ketacheck import response  # noqa: PLC0415 - keeps this module importable early

    return response.load(io.BytesIO(data), source="fuzzed.toml")


def _library_outcome(loader: Callable[[bytes], object], data: bytes) -> None:
    message = None
    with time_limit():
        try:
            loader(data)
        except KetacheckError as e:
            message = str(e)
    assert message is None or message.strip()


def _commands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices or ())


def _cli_runs(path: Path, *, is_response: bool) -> list[list[str]]:
    commands = _commands()
    p = str(path)
    runs = [["validate", p]]
    if is_response:
        runs += [["score", p, "--format", f] for f in ("text", "json") if "score" in commands]
        runs += [["compare", p, p, "--format", "csv"]] if "compare" in commands else []
        if "print" in commands:
            runs += [["print", "--response", p, "--format", f] for f in ("text", "html")]
        if "export-fhir" in commands:
            runs += [["export-fhir", "--response", p]]
    else:
        runs += [["show", p]]
        if "print" in commands:
            runs += [["print", p, "--format", f] for f in ("markdown", "html")]
        if "export-fhir" in commands:
            runs += [["export-fhir", p]]
    return runs


def _cli_outcome(path: Path, data: bytes, *, is_response: bool, capsys: Any) -> None:
    path.write_bytes(data)
    for argv in _cli_runs(path, is_response=is_response):
        with time_limit():
            status = main(argv)
        captured = capsys.readouterr()
        assert status in (0, 1, 2), argv
        if status:
            assert captured.err.startswith("ketacheck: "), (argv, captured.err)
            assert "Traceback" not in captured.err
            assert len(captured.err.splitlines()) <= 60


def _documents(path: Path) -> dict[str, Any]:
    with path.open("rb") as fp:
        return tomllib.load(fp)


@pytest.mark.parametrize("path", CHECKLISTS, ids=lambda p: p.stem)
class TestChecklistFuzz:
    """Mutated bundled checklists never crash the loader or the command line."""

    @FUZZ
    @given(data=st.data())
    def test_bytes(self, path: Path, data: st.DataObject) -> None:
        """Flipped, cut, inserted and repeated bytes."""
        mutated = data.draw(mutated_bytes(path.read_bytes()))
        _library_outcome(lambda b: checklist_io.load(io.BytesIO(b)), mutated)

    @FUZZ
    @given(data=st.data())
    def test_structure(self, path: Path, data: st.DataObject) -> None:
        """Deleted keys, swapped types, duplicated tables, huge values, renamed keys."""
        doc = data.draw(mutated_documents(_documents(path)))
        _library_outcome(lambda b: checklist_io.loads(b.decode()), tomli_w.dumps(doc).encode())

    @FUZZ
    @given(data=st.data())
    def test_cli(
        self, path: Path, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory, capsys: Any
    ) -> None:
        """Every command given a mutated checklist exits 0, 1 or 2 with a short message."""
        if data.draw(st.booleans()):
            mutated = data.draw(mutated_bytes(path.read_bytes()))
        else:
            mutated = tomli_w.dumps(data.draw(mutated_documents(_documents(path)))).encode()
        target = tmp_path_factory.mktemp("fuzz") / "checklist.toml"
        _cli_outcome(target, mutated, is_response=False, capsys=capsys)


@pytest.mark.parametrize("path", RESPONSES, ids=lambda p: p.stem)
class TestResponseFuzz:
    """Mutated example responses never crash the loader or the command line."""

    @FUZZ
    @given(data=st.data())
    def test_bytes(self, path: Path, data: st.DataObject) -> None:
        """Flipped, cut, inserted and repeated bytes."""
        _library_outcome(_read_response, data.draw(mutated_bytes(path.read_bytes())))

    @FUZZ
    @given(data=st.data())
    def test_structure(self, path: Path, data: st.DataObject) -> None:
        """Deleted keys, swapped types, duplicated tables, huge values, renamed keys."""
        doc = data.draw(mutated_documents(_documents(path)))
        _library_outcome(_read_response, tomli_w.dumps(doc).encode())

    @FUZZ
    @given(data=st.data())
    def test_cli(
        self, path: Path, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory, capsys: Any
    ) -> None:
        """Every command given a mutated response exits 0, 1 or 2 with a short message."""
        if data.draw(st.booleans()):
            mutated = data.draw(mutated_bytes(path.read_bytes()))
        else:
            mutated = tomli_w.dumps(data.draw(mutated_documents(_documents(path)))).encode()
        target = tmp_path_factory.mktemp("fuzz") / "response.toml"
        _cli_outcome(target, mutated, is_response=True, capsys=capsys)


def test_bundled_checklists_are_fuzzed() -> None:
    """The fuzz targets include every bundled checklist."""
    assert [p.stem for p in CHECKLISTS] == list(catalog.names())
