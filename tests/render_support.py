"""Shared fixtures of the render tests: the sample checklist and responses, golden files."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

import attrs

from ketacheck import response
from ketacheck.files import checklist as checklist_io
from ketacheck.model import Checklist, Source
from ketacheck.response import Provider, Response

HERE: Final = Path(__file__).resolve().parent
DATA: Final = HERE / "data" / "render"
GOLDEN: Final = HERE / "golden"
HOSTILE_NAME: Final = "<script>alert(1)</script>"
HOSTILE_URL: Final = "javascript:alert(1)"


def sample() -> Checklist:
    """The small checklist every golden file is made from."""
    return checklist_io.read(DATA / "sample.toml")


def cedar(checklist: Checklist | None = None) -> Response:
    """A filled response with a red flag, an unknown, unanswered items and notes."""
    return response.read(DATA / "cedar.toml", checklist=checklist or sample())


def birch(checklist: Checklist | None = None) -> Response:
    """A second response, for comparisons; one item does not apply to it."""
    return response.read(DATA / "birch.toml", checklist=checklist or sample())


def hostile() -> tuple[Checklist, Response]:
    """A checklist and response whose strings try to inject HTML and a javascript: link.

    The checklist is built in Python without validation (files may not hold such a URL);
    the renderers must still never turn it into a link.
    """
    base = sample()
    sources = (
        Source(id="guideline", title=f"Guide {HOSTILE_NAME}", url=HOSTILE_URL),
        *base.sources[1:],
    )
    first = base.sections[0]
    item = attrs.evolve(first.items[0], prompt=f"Is {HOSTILE_NAME} safe?")
    sections = (attrs.evolve(first, items=(item, *first.items[1:])), *base.sections[1:])
    checklist = attrs.evolve(base, sources=sources, sections=sections, title=HOSTILE_NAME)
    filled = Response.new(checklist, provider=Provider(name=HOSTILE_NAME, location=HOSTILE_NAME))
    filled.answer("screening", "no", note=HOSTILE_NAME)
    filled.answer("bp-limit", HOSTILE_NAME)
    return checklist, filled


def prompts(checklist: Checklist) -> list[str]:
    """Every item prompt, whitespace-normalised."""
    return [normalise(item.prompt) for item in checklist.items]


def normalise(text: str) -> str:
    """Whitespace runs as single spaces, so wrapped lines compare equal to one line."""
    return re.sub(r"\s+", " ", text).strip()


def check_golden(name: str, actual: str) -> None:
    """Compare *actual* with tests/golden/*name*; KETACHECK_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("KETACHECK_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.read_text(encoding="utf-8") == actual
