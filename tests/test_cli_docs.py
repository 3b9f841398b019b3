"""docs/cli.md documents every command and every option of the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ketacheck.cli import build_parser

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_command_is_documented(name: str) -> None:
    """Each command has its own section, which names each of its options."""
    assert f"## `ketacheck {name}" in PAGE
    section = PAGE.split(f"## `ketacheck {name}", 1)[1].split("\n## ", 1)[0]
    options = [
        option
        for action in _commands()[name]._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]
    # --output is described once, for every command, above the sections.
    assert [] == [o for o in options if o not in section and o != "--output"]
