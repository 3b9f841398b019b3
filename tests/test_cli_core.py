"""The command line: list, show, validate; exit codes and error messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ketacheck import __version__
from ketacheck.cli import main

DATA = Path(__file__).parent / "data"


class TestList:
    """``ketacheck list`` prints one line per bundled checklist."""

    def test_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Id, version, item count and title, aligned."""
        assert 0 == main(["list"])
        out = capsys.readouterr().out
        assert [
            "ketamine-consumer  1.1.0     88 items  Ketamine Consumer Checklist",
            "quick-screen       1.1.0     15 items  Ketamine Quick Screen",
        ] == out.splitlines()


class TestShow:
    """``ketacheck show`` prints a checklist for an 80-column terminal."""

    def test_default_is_the_consumer_checklist(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without an argument the Ketamine Consumer Checklist is shown."""
        assert 0 == main(["show"])
        out = capsys.readouterr().out
        assert out.startswith("Ketamine Consumer Checklist\nketamine-consumer 1.1.0\n")

    def test_path(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A path is read as a checklist file."""
        assert 0 == main(["show", str(DATA / "valid" / "minimal.toml")])
        assert (
            "1. Is this the only question?\n   [ ] yes   [ ] no   [ ] unknown\n"
            in capsys.readouterr().out
        )

    def test_unknown_name(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown bundled name is a usage error."""
        assert 2 == main(["show", "nope"])
        assert (
            'ketacheck: no bundled checklist "nope" (bundled: ketamine-consumer, quick-screen)\n'
            == capsys.readouterr().err
        )

    def test_invalid_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A checklist with problems exits 1 with the problems on stderr."""
        path = DATA / "invalid" / "weight-string.toml"
        assert 1 == main(["show", str(path)])
        assert (
            f"ketacheck: {path}: sections[0].items[0].weight (line 49): expected a number, "
            'got a string ("3")\n'
        ) == capsys.readouterr().err


class TestValidate:
    """``ketacheck validate`` checks every file and exits 0, 1 or 2."""

    def test_all_valid(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each valid file gets a line on stdout; exit 0."""
        paths = [str(DATA / "valid" / "minimal.toml"), str(DATA / "valid" / "full.toml")]
        assert 0 == main(["validate", *paths])
        assert [
            f"{paths[0]}: valid checklist minimal 1, 1 item",
            f"{paths[1]}: valid checklist full-example 2.1.0, 6 items",
        ] == capsys.readouterr().out.splitlines()

    def test_problems_exit_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Problems go to stderr and the other files are still checked."""
        bad = DATA / "invalid" / "unknown-top-level-key.toml"
        good = DATA / "valid" / "minimal.toml"
        assert 1 == main(["validate", str(bad), str(good)])
        captured = capsys.readouterr()
        assert f"ketacheck: {bad}: colour (line 4): unknown key\n" == captured.err
        assert f"{good}: valid checklist minimal 1, 1 item\n" == captured.out

    def test_missing_file_exit_2(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An unreadable file is exit 2, after checking the rest."""
        missing = tmp_path / "missing.toml"
        assert 2 == main(["validate", str(missing), str(DATA / "valid" / "minimal.toml")])
        assert f"ketacheck: {missing}: no such file\n" == capsys.readouterr().err

    def test_directory_exit_2(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A directory is not a file."""
        assert 2 == main(["validate", str(tmp_path)])
        assert "ketacheck: " in capsys.readouterr().err

    def test_strict(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--strict adds the content rules."""
        path = DATA / "valid" / "minimal.toml"
        assert 0 == main(["validate", str(path)])
        capsys.readouterr()
        assert 1 == main(["validate", "--strict", str(path)])
        assert (
            f"ketacheck: {path}: 3 problems\n"
            "  sections[0].items[0].why (line 10): a scored item needs a why\n"
            "  sections[0].items[0].sources (line 10): a scored item needs at least one source\n"
            "  sections: no item tagged therapy in phase before, during, after (the care model "
            "needs one in each of before, during and after)\n"
        ) == capsys.readouterr().err

    def test_bundled_checklists_are_strictly_valid(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The bundled checklist files pass validate --strict."""
        root = Path(__file__).parents[1] / "checklists"
        assert 0 == main(["validate", "--strict", *map(str, sorted(root.glob("*.toml")))])
        capsys.readouterr()


class TestUsage:
    """Usage errors exit 2 with argparse's short message; --version prints the version."""

    def test_no_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A command is required."""
        assert 2 == main([])
        assert (
            "ketacheck: error: the following arguments are required: COMMAND"
            in capsys.readouterr().err
        )

    def test_unknown_option(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown option is a usage error."""
        assert 2 == main(["list", "--bogus"])
        assert "unrecognized arguments: --bogus" in capsys.readouterr().err

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the package version."""
        assert 0 == main(["--version"])
        assert f"ketacheck {__version__}\n" == capsys.readouterr().out


class TestConsoleScript:
    """``python -m ketacheck`` runs the same command line, never with a traceback."""

    def test_module(self) -> None:
        """python -m ketacheck list works and exits 0."""
        done = subprocess.run(
            [sys.executable, "-m", "ketacheck", "list"], capture_output=True, text=True, check=False
        )
        assert (0, "") == (done.returncode, done.stderr)
        assert "quick-screen" in done.stdout

    def test_bad_file_has_no_traceback(self) -> None:
        """An invalid file gives a short message and exit 1."""
        path = DATA / "invalid" / "syntax-error.toml"
        done = subprocess.run(
            [sys.executable, "-m", "ketacheck", "validate", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert 1 == done.returncode
        assert "Traceback" not in done.stderr
        assert "(line 4, column 22): invalid TOML" in done.stderr


class TestValidateResponses:
    """``ketacheck validate`` on response files reports warnings, and --strict fails on them."""

    TEXT = 'schema = 1\nchecklist = "ketamine-consumer"\n\n[answers]\nbaseline-bp-chek = "yes"\n'
    WARNING = (
        'warning: answers.baseline-bp-chek: ketamine-consumer 1.1.0 has no item "baseline-bp-chek"'
        ' (did you mean "baseline-bp-check"?); the answer is kept but not scored'
    )

    def test_warning_is_printed(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A mistyped answer id is kept as an orphan and reported; the file is still valid."""
        path = tmp_path / "r.toml"
        path.write_text(self.TEXT, encoding="utf-8")
        assert 0 == main(["validate", str(path)])
        captured = capsys.readouterr()
        assert f"{path}: valid response to ketamine-consumer 1.1.0\n" == captured.out
        assert f"ketacheck: {path}: {self.WARNING}\n" == captured.err

    def test_strict_fails_on_warnings(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With --strict a warning is a problem: exit 1."""
        path = tmp_path / "r.toml"
        path.write_text(self.TEXT, encoding="utf-8")
        assert 1 == main(["validate", "--strict", str(path)])
        captured = capsys.readouterr()
        assert "" == captured.out
        assert (
            f"ketacheck: {path}: {self.WARNING}\nketacheck: {path}: 1 warning (--strict)\n"
        ) == captured.err

    def test_examples_are_valid(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The example responses validate strictly."""
        root = Path(__file__).parents[1] / "examples"
        assert 0 == main(["validate", "--strict", *map(str, sorted(root.glob("*.toml")))])
        assert 3 == capsys.readouterr().out.count("valid response to ketamine-consumer")


class TestValidateHostileInput:
    """Telling responses from checklists applies the loaders' guards, and names the file once."""

    def test_long_dotted_name(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A dotted key of 5,000 parts is refused before parsing, with one clear line."""
        path = tmp_path / "dotted.toml"
        path.write_text("schema = 1\n" + ".".join(["a"] * 5000) + " = 1\n", encoding="utf-8")
        assert 1 == main(["validate", str(path)])
        assert (
            f"ketacheck: {path}: document (line 2): a dotted key or table name nests more than 64 "
            "levels deep (the limit)\n"
        ) == capsys.readouterr().err
