"""The quality bar as tests: ruff and mypy --strict are clean on src and tests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.slow
class TestQuality:
    """Lint, format and type checks pass, as in CI."""

    def test_ruff_check(self) -> None:
        """ruff check finds nothing."""
        done = _run("ruff", "check", "src", "tests", "benchmarks")
        assert (0, "") == (done.returncode, done.stderr), done.stdout

    def test_ruff_format(self) -> None:
        """ruff format --check would change nothing."""
        done = _run("ruff", "format", "--check", "src", "tests", "benchmarks")
        assert 0 == done.returncode, done.stdout

    def test_mypy_strict(self) -> None:
        """mypy --strict is clean on src and tests."""
        done = _run("mypy", "--strict", "src", "tests")
        assert 0 == done.returncode, done.stdout


class TestReadme:
    """The README's first lines are the two commands, and CI runs the second one verbatim."""

    def test_first_lines_are_the_commands(self) -> None:
        """Line 1 is the title; then a shell block with the two commands."""
        lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# ketacheck")
        block = lines[lines.index("```sh") + 1 : lines.index("```")]
        assert 2 == len([line for line in block if line and not line.startswith("#")])
        assert lines.index("```sh") < 8

    def test_ci_runs_the_readme_test_command(self) -> None:
        """.ci/run contains the README's test command verbatim."""
        lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        block = lines[lines.index("```sh") + 1 : lines.index("```")]
        test_command = [line for line in block if line and not line.startswith("#")][1]
        assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _sh_blocks(page: str) -> list[list[str]]:
    """The command lines of each ``sh`` block of the Markdown file *page* at the root."""
    blocks = re.findall(
        r"^```sh\n(.*?)^```$", (ROOT / page).read_text("utf-8"), re.MULTILINE | re.DOTALL
    )
    return [[line for line in b.splitlines() if line and not line.startswith("#")] for b in blocks]


class TestContributing:
    """CONTRIBUTING.md's commands are the ones that work: CI's set-up, a quick loop."""

    def test_set_up_is_the_readme_install(self) -> None:
        """The set-up command is the README test command's install part, which CI runs.

        It upgrades pip first: a new Python 3.11 venv has pip 23, which has no --group.
        """
        (set_up,) = _sh_blocks("CONTRIBUTING.md")[0]
        test_command = _sh_blocks("README.md")[0][1]
        assert test_command.startswith(f"{set_up} && ")
        assert "pip install -q -U pip && " in set_up

    def test_quick_loop(self) -> None:
        """The quick loop leaves out the slow tests and runs a registered hypothesis profile."""
        (quick,) = _sh_blocks("CONTRIBUTING.md")[1]
        expected = '.venv/bin/python -m pytest -m "not slow" --hypothesis-profile quick -x -q'
        assert expected == quick
        assert 10 == settings.get_profile("quick").max_examples


class TestArchitecture:
    """The layers of docs/architecture.md hold, with function-level imports counted."""

    def test_layers_contract(self) -> None:
        """import-linter keeps every contract in pyproject.toml."""
        done = subprocess.run(
            [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert 0 == done.returncode, done.stdout + done.stderr
        assert "0 broken" in done.stdout

    def test_no_import_cycle(self) -> None:
        """No module of the package imports, directly or not, a module that imports it."""
        import grimp  # noqa: PLC0415 - a test-only dependency of import-linter

        graph = grimp.build_graph("ketacheck", cache_dir=None, exclude_type_checking_imports=True)
        cycles = sorted(
            (module, other)
            for module in graph.modules
            for other in graph.find_modules_that_directly_import(module)
            if module != other and graph.chain_exists(importer=module, imported=other)
        )
        assert [] == cycles
