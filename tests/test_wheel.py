"""The built wheel works from outside the source tree: data files, console script, rendering."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(bin_dir / args[0]), *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


@pytest.mark.slow
class TestWheel:
    """Installed from the wheel into a new environment and run from an empty folder."""

    def test_list_and_show(self, wheel_bin: Path, tmp_path: Path) -> None:
        """The console script lists the bundled checklists and shows quick-screen."""
        listed = _run(wheel_bin, "ketacheck", "list", cwd=tmp_path)
        assert (0, "") == (listed.returncode, listed.stderr)
        assert "ketamine-consumer" in listed.stdout
        assert "quick-screen" in listed.stdout
        shown = _run(wheel_bin, "ketacheck", "show", "quick-screen", cwd=tmp_path)
        assert (0, "") == (shown.returncode, shown.stderr)
        assert shown.stdout.startswith("Ketamine Quick Screen\n")

    def test_checklists_come_from_the_package(self, wheel_bin: Path, tmp_path: Path) -> None:
        """Bundled checklists are read from site-packages, not from a source tree."""
        code = (
            "import ketacheck, ketacheck.catalog as c; "
            "print(c._root()); print(len(ketacheck.bundled().items))"
        )
        done = _run(wheel_bin, "python", "-c", code, cwd=tmp_path)
        assert 0 == done.returncode, done.stderr
        root, count = done.stdout.splitlines()
        assert "site-packages" in root
        assert str(ROOT) not in root
        assert 45 <= int(count) <= 90

    def test_typed(self, wheel_bin: Path, tmp_path: Path) -> None:
        """The wheel ships py.typed."""
        code = (
            "import importlib.resources as r; "
            "print(r.files('ketacheck').joinpath('py.typed').is_file())"
        )
        done = _run(wheel_bin, "python", "-c", code, cwd=tmp_path)
        assert "True\n" == done.stdout
