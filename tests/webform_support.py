"""Headless Chromium for the offline form's tests, through Playwright (never a browser
Playwright downloads: the system's, see browser_support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ketacheck import catalog
from ketacheck.model import Checklist
from ketacheck.webform import form_html

from .browser_support import CHROMIUM_ARGS, chromium_path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module's tests."""
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def quick_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One loaded form (the Quick Screen's) whose scripts a module calls for every case."""
    folder = tmp_path_factory.mktemp("page")
    ctx, loaded, errors = open_form(browser, write_form(catalog.load("quick-screen"), folder))
    yield loaded
    ctx.close()
    assert [] == errors.messages


def write_form(checklist: Checklist, folder: Path, name: str = "form.html", **kw: Any) -> Path:
    """Write the form of *checklist* into *folder* and return its path."""
    path = folder / name
    path.write_text(form_html(checklist, **kw), encoding="utf-8")
    return path


class PageErrors:
    """Collects what a page reports: script errors and console errors."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        page.on("pageerror", lambda e: self.messages.append(f"pageerror: {e}"))
        page.on(
            "console",
            lambda m: self.messages.append(f"console: {m.text}") if m.type == "error" else None,
        )


def open_form(browser: Any, path: Path, **context: Any) -> tuple[Any, Any, PageErrors]:
    """A new context and page showing the form at *path*; returns (context, page, errors)."""
    ctx = browser.new_context(accept_downloads=True, **context)
    page = ctx.new_page()
    errors = PageErrors(page)
    page.goto(path.as_uri())
    page.wait_for_function("globalThis.ketacheckForm && globalThis.ketacheckForm.page")
    return ctx, page, errors


def page_verdict(page: Any, profile_index: int | None = None) -> dict[str, Any]:
    """The verdict the page's script computes for its current answers and profile."""
    result: dict[str, Any] = page.evaluate(
        """(index) => {
             const f = ketacheckForm, s = f.page.state();
             const i = index === null ? Number(document.getElementById('profile').value) : index;
             return f.score(f.plan, s.answers, i, s.provider.name || ''); }""",
        profile_index,
    )
    return result
