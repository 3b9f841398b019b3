"""The documentation site builds with MkDocs, every warning an error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
class TestSite:
    """``mkdocs build --strict`` succeeds and renders the API reference from docstrings."""

    def test_build(self, tmp_path: Path) -> None:
        """The site builds offline; the API page documents the public classes."""
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        assert 0 == done.returncode, done.stderr
        api = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
        anchors = (
            "ketacheck.bundled",
            "ketacheck.model.Checklist",
            "ketacheck.response.Response",
            "ketacheck.scoring.score",
            "ketacheck.rendering.render",
            "ketacheck.fhir.to_questionnaire",
        )
        assert [] == [a for a in anchors if f'id="{a}"' not in api]

    def test_every_page_is_in_the_nav(self) -> None:
        """No page in docs/ is left out of the navigation."""
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        pages = sorted(
            p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")
        )
        assert [] == [p for p in pages if p not in config]
