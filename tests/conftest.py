"""Shared fixtures, test data and hypothesis settings; the order the suite runs in.

The suite runs in parallel (pytest-xdist, ``-n auto``), one test at a time per worker, the
slow tests first so that the longest ones (the wheel, mypy, the benchmarks) are not left for
the end. The tests of a module in :data:`ONE_WORKER` share an expensive fixture, so they all
run in one worker, which builds it once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=150
)
# The quick loop of CONTRIBUTING.md (--hypothesis-profile quick): each property still runs,
# on fewer examples; the whole suite runs the default (or, in CI, the ci) profile.
settings.register_profile(
    "quick", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=10
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")


ONE_WORKER: Final = frozenset({"tests/test_wheel.py", "tests/test_benchmarks.py"})
"""Modules whose tests share a fixture too expensive to build in each worker (the wheel, a
benchmark run)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slow tests first (stable otherwise), so no long one starts last."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Hand out tests one by one, in order, but each :data:`ONE_WORKER` module whole.

    (xdist's own ``--dist loadgroup`` cannot group under pytest 9.2: it renames node ids
    through an attribute pytest no longer reads.)
    """
    from xdist.scheduler import (  # type: ignore[import-untyped] # noqa: PLC0415 - only under xdist
        LoadScopeScheduling,
    )

    class OneWorkerModules(LoadScopeScheduling):  # type: ignore[misc] # xdist ships no types
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER else nodeid

    return OneWorkerModules(config, log)


@pytest.fixture
def data_dir() -> Path:
    """The folder of data-driven test files."""
    return DATA


@pytest.fixture(scope="session")
def wheel_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a new virtual environment with the wheel installed, built once.

    Its tests are in one module of :data:`ONE_WORKER`, so one worker builds it.
    """
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("ketacheck-*.whl")
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", f"{wheel}[pdf]"],
        check=True,
        capture_output=True,
    )
    return bin_dir


# -- a small checklist with every item kind (the interview's and the form's tests) ----------

MINI_TOML = """\
schema = 1
id = "mini"
version = "1.0.0"
title = "Mini"

[scoring]
bands = [{ min = 50, label = "good" }, { min = 0, label = "poor" }]

[[sections]]
id = "before"
title = "Before"
phase = "before"

  [[sections.items]]
  id = "screening"
  kind = "yes-no"
  prompt = "Is there screening?"
  why = "It finds risks."
  red-flag = "No screening."

  [[sections.items]]
  id = "routes"
  kind = "multi"
  prompt = "Which routes?"
  weight = 0
  options = [
    { id = "iv", label = "IV" },
    { id = "oral", label = "Oral" },
  ]

[[sections]]
id = "during"
title = "During"
phase = "during"

  [[sections.items]]
  id = "minutes"
  kind = "number"
  prompt = "Minutes observed?"
  unit = "minutes"
  min = 0
  max = 600
  when = { item = "routes", includes = "iv" }
  points = [
    { at-least = 60, points = 1 },
    { at-least = 0, points = 0, red-flag = "No observation." },
  ]

  [[sections.items]]
  id = "therapist"
  kind = "choice"
  prompt = "Who is with you?"
  tags = ["therapy"]
  options = [
    { id = "therapist", label = "A therapist", points = 1 },
    { id = "nobody", label = "Nobody", points = 0 },
  ]

  [[sections.items]]
  id = "comments"
  kind = "text"
  prompt = "Anything else?"
"""
"""The interview's checklist: five items, one of each kind, one behind a condition."""

MINI_FORM_TOML = (
    MINI_TOML
    + """\
  placeholder = "what you noticed"

  [[sections.items]]
  id = "doses"
  kind = "number"
  prompt = "How many doses?"
  min = 1

[[profiles]]
id = "screening-first"
weights = { screening = 3 }
"""
)
"""The notebook form's checklist: :data:`MINI_TOML` with a placeholder, a number item without
a unit and a profile."""
