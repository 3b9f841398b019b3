"""Crash safety: a killed or failing save never damages the file; two savers never corrupt it.

Writers are real processes killed with SIGKILL at points they announce themselves (no sleeps,
no timing), and two processes saving one response meet at a barrier before they save.
``-o`` refusals of every command are tested beside each command (test_render_cli.py,
test_cli_fhir.py, test_interview.py).
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import IO, Any, Self

import pytest

import ketacheck
from ketacheck import response
from ketacheck.exceptions import FileChangedError
from ketacheck.files._atomic import write_atomic
from ketacheck.response import Response

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock are POSIX")

BUNDLED = ketacheck.bundled()
HANG_GUARD = 60
"""Seconds after which a child that never answers is a failure (not a timing assertion)."""


def large_response(note: str) -> Response:
    """A response answering every item of the bundled checklist, each with a long note."""
    r = Response.new(BUNDLED, "Cedar Health")
    for item in BUNDLED.items:
        r.answer(item.id, "unknown", note=f"{note} {item.id} " + "x" * 4_000)
    return r


def temp_files(folder: Path) -> list[str]:
    """Names of the temporary files write_atomic leaves behind when killed."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    """A Python child running *code* with *args*, its stdin and stdout piped as text."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def read_line(child: subprocess.Popen[str]) -> str:
    """The child's next line (the child flushes each); fails rather than hangs."""
    stdout: IO[str] | None = child.stdout
    assert stdout is not None

    def expired(_signum: int, _frame: object) -> None:
        child.kill()
        raise AssertionError(f"the child said nothing for {HANG_GUARD} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(HANG_GUARD)
    try:
        return stdout.readline().strip()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def kill(child: subprocess.Popen[str]) -> None:
    """SIGKILL the child and reap it."""
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=HANG_GUARD)
    assert -signal.SIGKILL == child.returncode


STUCK_IN_FSYNC = """
    import os, sys, time
    from ketacheck import response

    path = sys.argv[1]
    r = response.read(path)
    for item in r.checklist.items:
        r.answer(item.id, "unknown", note="the new version " + "y" * 4000)
    real_fsync = os.fsync

    def stuck(fd):
        real_fsync(fd)
        print("inside fsync", flush=True)
        time.sleep(3600)

    os.fsync = stuck
    r.save(path)
"""

SAVE_FOREVER = """
    import sys
    from pathlib import Path
    from ketacheck.files._atomic import write_atomic

    path, a, b = sys.argv[1:]
    versions = [Path(a).read_bytes(), Path(b).read_bytes()]
    n = 0
    while True:
        write_atomic(path, versions[n % 2])
        n += 1
        print(f"saved {n}", flush=True)
"""

LOAD_WAIT_SAVE = """
    import sys
    from ketacheck import response
    from ketacheck.exceptions import FileChangedError

    path, provider = sys.argv[1:]
    r = response.read(path)
    print("loaded", flush=True)
    sys.stdin.readline()
    r.answer("medical-history-review", "yes" if provider == "first" else "no", note=provider)
    try:
        r.save(path)
    except FileChangedError as e:
        print(f"changed: {e}", flush=True)
    else:
        print("saved", flush=True)
"""


class TestKilledWriter:
    """A writer killed at any point leaves the previous file or the new one, whole."""

    def test_killed_inside_fsync(self, tmp_path: Path) -> None:
        """Killed after writing the temporary file, before the rename: the old file stays."""
        path = tmp_path / "cedar.toml"
        large_response("the old version").save(path)
        before = path.read_bytes()
        child = spawn(STUCK_IN_FSYNC, str(path))
        assert "inside fsync" == read_line(child)
        kill(child)
        assert before == path.read_bytes()
        assert large_response("the old version").answers == response.read(path).answers
        [leftover] = temp_files(tmp_path)
        assert leftover.startswith(".cedar.toml.")

    def test_next_save_removes_the_leftover(self, tmp_path: Path) -> None:
        """The next save to the same file removes what the killed writer left."""
        path = tmp_path / "cedar.toml"
        large_response("the old version").save(path)
        child = spawn(STUCK_IN_FSYNC, str(path))
        assert "inside fsync" == read_line(child)
        kill(child)
        r = response.read(path)
        r.answer("medical-history-review", "yes")
        r.save(path)
        assert [] == temp_files(tmp_path)
        assert ["cedar.toml"] == [p.name for p in tmp_path.iterdir()]
        assert "yes" == response.read(path).answers["medical-history-review"]

    @pytest.mark.parametrize("saves", [1, 4, 9])
    def test_killed_while_saving_repeatedly(self, tmp_path: Path, saves: int) -> None:
        """Killed mid-way through a stream of saves: the file is one version or the other."""
        a, b = tmp_path / "a.toml", tmp_path / "b.toml"
        a.write_text(response.dumps(large_response("version a")), "utf-8")
        b.write_text(response.dumps(large_response("version b")), "utf-8")
        folder = tmp_path / "target"
        folder.mkdir()
        path = folder / "cedar.toml"
        child = spawn(SAVE_FOREVER, str(path), str(a), str(b))
        while read_line(child) != f"saved {saves}":
            pass
        kill(child)
        assert path.read_bytes() in (a.read_bytes(), b.read_bytes())
        assert response.read(path).answers == large_response("any").answers
        assert len(temp_files(folder)) <= 1
        write_atomic(path, a.read_bytes())
        assert [] == temp_files(folder)


def _fail(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


_FDOPEN = os.fdopen


class _HalfWriter:
    """A file object that writes half of what it is given, then finds the disk full."""

    def __init__(self, fd: int, mode: str) -> None:
        self.real = _FDOPEN(fd, mode)

    def write(self, data: bytes) -> int:
        self.real.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.real.close()


class TestFailingSave:
    """A save that fails at any step raises, keeps the previous file and removes its temp."""

    @pytest.fixture
    def saved(self, tmp_path: Path) -> tuple[Path, bytes]:
        """A response file and its bytes."""
        path = tmp_path / "cedar.toml"
        large_response("the old version").save(path)
        return path, path.read_bytes()

    @pytest.mark.parametrize("step", ["write", "fsync", "replace"])
    def test_failure(
        self, saved: tuple[Path, bytes], monkeypatch: pytest.MonkeyPatch, step: str
    ) -> None:
        """A full disk while writing, a failing fsync, a failing rename."""
        path, before = saved
        if step == "write":
            monkeypatch.setattr(os, "fdopen", _HalfWriter)
        else:
            monkeypatch.setattr(os, step, _fail)
        r = response.read(path)
        r.answer("medical-history-review", "yes")
        with pytest.raises(OSError, match="No space left on device"):
            r.save(path)
        monkeypatch.undo()
        assert before == path.read_bytes()
        assert ["cedar.toml"] == [p.name for p in path.parent.iterdir()]
        r.save(path)  # nothing changed on disk, so the same response saves now
        assert "yes" == response.read(path).answers["medical-history-review"]


class TestTwoProcesses:
    """Two processes that load, change and save one response: one wins, one is refused."""

    def test_one_wins_one_is_refused(self, tmp_path: Path) -> None:
        """Both loaded the same file; the second save raises FileChangedError."""
        path = tmp_path / "cedar.toml"
        large_response("shared").save(path)
        children = [spawn(LOAD_WAIT_SAVE, str(path), name) for name in ("first", "second")]
        assert ["loaded", "loaded"] == [read_line(c) for c in children]
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        said = [read_line(c) for c in children]
        for child in children:
            child.communicate(timeout=HANG_GUARD)
            assert 0 == child.returncode
        assert 1 == said.count("saved")
        loser = said[1 - said.index("saved")]
        assert (
            f"changed: {path}: the file changed on disk since it was read; nothing was written "
            "(load it again, or save to another file)"
        ) == loser
        winner = ("first", "second")[said.index("saved")]
        saved = response.read(path)
        assert ("yes" if winner == "first" else "no", winner) == (
            saved.answers["medical-history-review"],
            saved.notes["medical-history-review"],
        )
        assert [] == temp_files(tmp_path)

    def test_the_refused_answers_are_not_lost(self, tmp_path: Path) -> None:
        """The refused process still holds its answers and can save them elsewhere."""
        path = tmp_path / "cedar.toml"
        large_response("shared").save(path)
        mine, theirs = response.read(path), response.read(path)
        theirs.answer("medical-history-review", "no")
        theirs.save(path)
        mine.answer("medical-history-review", "yes")
        with pytest.raises(FileChangedError):
            mine.save(path)
        mine.save(tmp_path / "mine.toml")
        assert "yes" == response.read(tmp_path / "mine.toml").answers["medical-history-review"]
        assert "no" == response.read(path).answers["medical-history-review"]


class TestOutputNeverReplacesAResponse:
    """Every command that writes with -o refuses to replace a response unless told to."""

    @pytest.mark.parametrize(
        ("command", "message"),
        [
            (
                ["print", "--format", "html"],
                (
                    "exists and is not html output (its name does not end in .html, .htm); "
                    "use --force to replace it"
                ),
            ),
            (
                ["export-fhir"],
                "exists and is not a FHIR Questionnaire (JSON); use --force to replace it",
            ),
            (
                ["export-fhir", "--response", "{response}"],
                "exists and is not a FHIR QuestionnaireResponse (JSON); use --force to replace it",
            ),
            (
                ["import-fhir", "{questionnaire}"],
                "exists and is not a checklist; use --force to replace it",
            ),
            (
                ["interview", "quick-screen", "--provider", "Birch"],
                (
                    'holds the answers for "Cedar Health", not "Birch"; to continue it, leave '
                    "out the provider; otherwise choose another file"
                ),
            ),
        ],
        ids=["print", "export-fhir", "export-fhir-response", "import-fhir", "interview"],
    )
    def test_refused(
        self,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        command: list[str],
        message: str,
    ) -> None:
        """Exit status 2, one line naming the file, and the answers untouched."""
        from ketacheck.cli import main  # noqa: PLC0415

        path = tmp_path / "cedar.toml"
        large_response("mine").save(path)
        before = path.read_bytes()
        questionnaire = tmp_path / "q.json"
        assert 0 == main(["export-fhir", "quick-screen", "-o", str(questionnaire)])
        argv = [part.format(response=path, questionnaire=questionnaire) for part in command]
        assert 2 == main([*argv, "-o", str(path)])
        assert f"ketacheck: {path}: {message}\n" == capsys.readouterr().err
        assert before == path.read_bytes()


class TestStaleTemporaryFiles:
    """Only leftovers of the same target, named the way write_atomic names them, are removed."""

    def test_cleanup(self, tmp_path: Path) -> None:
        """Stale temps of the target go; other files, other targets' temps stay."""
        path = tmp_path / "cedar.toml"
        names = [
            ".cedar.toml.abcd_123.tmp",  # a leftover of this target
            ".cedar.toml.notmine.tmp",  # seven characters: not write_atomic's
            ".birch.toml.abcd_123.tmp",  # another target's
            "cedar.toml.abcd_123.tmp",  # no leading dot
        ]
        for name in names:
            (tmp_path / name).write_text("x", "utf-8")
        write_atomic(path, "schema = 1\n")
        assert sorted([*names[1:], "cedar.toml"]) == sorted(p.name for p in tmp_path.iterdir())
