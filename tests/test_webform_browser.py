"""The offline form in a real browser: filled by keyboard only, saved, opened, restored.

Headless Chromium (the system's) through Playwright; see tests/webform_support.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ketacheck import catalog, read_response, score
from ketacheck.conditions import UNKNOWN
from ketacheck.model import Checklist, Item, ItemKind
from ketacheck.response import Provider, ProviderKind, Response

from .webform_support import browser, open_form, write_form

__all__ = ["browser"]

NOTES = {"baseline-bp-check": "Nurse takes blood pressure at every visit.", "routes": "IV only."}


@pytest.fixture(scope="module")
def form_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled checklist's form."""
    return write_form(catalog.load(), tmp_path_factory.mktemp("form"))


@pytest.fixture
def page(browser: Any, form_path: Path) -> Iterator[Any]:
    """A fresh browser context (empty storage) showing the form; no script errors allowed."""
    ctx, loaded, errors = open_form(browser, form_path)
    yield loaded
    ctx.close()
    assert [] == errors.messages


def intended(item: Item, n: int) -> Any:
    """The answer the keyboard test gives the *n*-th item: a spread over kinds and options."""
    if item.kind is ItemKind.YES_NO:
        return ("yes", "no", UNKNOWN)[n % 3]
    if item.kind is ItemKind.CHOICE:
        ids = [*item.option_ids, UNKNOWN]
        return ids[n % len(ids)]
    if item.kind is ItemKind.MULTI:
        ids = item.option_ids
        return (ids[0], ids[-1]) if n % 2 else (ids[0],)
    if item.kind is ItemKind.NUMBER:
        return 45 if item.max is None or item.max >= 45 else item.max
    return "Asked at intake."


def focused(page: Any) -> dict[str, Any]:
    """What has the keyboard focus: tag, type, name, value, data attributes, id."""
    return page.evaluate(
        """() => { const e = document.activeElement; return {
          tag: e.tagName, type: e.type || null, name: e.getAttribute('name'), value: e.value,
          id: e.id, note: e.closest('details.note') ? e.closest('fieldset.item').dataset.item : null,
          item: e.closest('fieldset.item') ? e.closest('fieldset.item').dataset.item : null,
          none: e.hasAttribute('data-none'), unknown: e.hasAttribute('data-unknown'),
          summary: e.tagName === 'SUMMARY', checked: !!e.checked }; }"""
    )


def keyboard_provider(page: Any) -> None:
    """Fill the provider's details with the keyboard (the focus is on the name field)."""
    kb = page.keyboard
    kb.type("Cedar Health & <Wellness>")
    kb.press("Tab")
    kb.press("ArrowDown")  # kind: infusion clinic
    kb.press("Tab")
    kb.type("https://cedar.example.org")
    kb.press("Tab")
    kb.type("Springfield")
    kb.press("Tab")
    kb.type("11202026")  # mm/dd/yyyy in the en-US locale
    while page.evaluate("document.activeElement.id") != "p-interviewer":
        kb.press("Tab")  # Tab also steps through the date's month, day and year
    kb.type("me")


def keyboard_fill(page: Any, checklist: Checklist) -> tuple[dict[str, Any], dict[str, str]]:
    """Answer every question that shows, by keyboard only; returns (answers, notes) given."""
    kb = page.keyboard
    given: dict[str, Any] = {}
    notes: dict[str, str] = {}
    numbers = {item.id: n for n, item in enumerate(checklist.items)}
    done: set[str] = set()
    for _ in range(3000):
        kb.press("Tab")
        f = focused(page)
        item_id = f["item"]
        if f["tag"] == "BODY" or (item_id is None and given):
            break  # past the last question
        if item_id is None:
            continue
        item = checklist.item(item_id)
        want = intended(item, numbers[item_id])
        if f["summary"] and f["note"] in NOTES and f["note"] not in notes:
            kb.press("Enter")
            kb.press("Tab")
            kb.type(NOTES[f["note"]])
            notes[f["note"]] = NOTES[f["note"]]
        elif f["type"] == "radio" and item_id not in done:
            ids = [*item.option_ids, UNKNOWN]
            for _ in range(ids.index(want)):
                kb.press("ArrowDown")
            if ids.index(want) == 0:
                kb.press("Space")
            done.add(item_id)
            given[item_id] = want
        elif f["type"] == "checkbox" and item.kind is ItemKind.MULTI:
            if f["value"] in want:
                kb.press("Space")
                given[item_id] = want
        elif f["tag"] in ("INPUT", "TEXTAREA") and f["name"] == f"a-{item_id}":
            kb.type(str(want))
            given[item_id] = want
    return given, notes


def shift_tab_to(page: Any, element_id: str) -> None:
    """Move the focus back to *element_id* with Shift+Tab only."""
    for _ in range(3000):
        if page.evaluate("document.activeElement.id") == element_id:
            return
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"#{element_id} never took the focus")


def save_by_keyboard(page: Any, folder: Path) -> Path:
    """Press Save answers with the keyboard and keep the file it downloads."""
    shift_tab_to(page, "save")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def page_verdict(page: Any, profile_index: int = 0) -> dict[str, Any]:
    """The verdict the page's script computes for its current answers."""
    result: dict[str, Any] = page.evaluate(
        """(i) => { const f = ketacheckForm, s = f.page.state();
                   return f.score(f.plan, s.answers, i, s.provider.name || ''); }""",
        profile_index,
    )
    return result


class TestKeyboard:
    """A person with a keyboard only fills the bundled checklist and saves it."""

    def test_fill_and_save(self, page: Any, tmp_path: Path) -> None:
        checklist = catalog.load()
        page.keyboard.press("Tab")  # the skip link
        for _ in range(5):  # save, open, print, start over; then the name field
            page.keyboard.press("Tab")
        assert "p-name" == page.evaluate("document.activeElement.id")
        keyboard_provider(page)
        given, notes = keyboard_fill(page, checklist)
        saved = save_by_keyboard(page, tmp_path)

        assert "cedar-health-wellness.toml" == saved.name
        loaded = read_response(saved)
        assert given == dict(loaded.answers)
        assert NOTES == notes == dict(loaded.notes)
        assert (
            Provider(
                name="Cedar Health & <Wellness>",
                kind=ProviderKind.INFUSION_CLINIC,
                website="https://cedar.example.org",
                location="Springfield",
                interviewed=dt.date(2026, 11, 20),
                interviewer="me",
            )
            == loaded.provider
        )
        assert () == loaded.warnings
        assert checklist.version == loaded.checklist_version
        assert loaded.created is not None
        assert loaded.updated is not None
        assert loaded.created <= loaded.updated
        # Every applicable question was answered, so the verdict is complete.
        expected = score(loaded).to_dict()
        assert [] == expected["unanswered"]
        assert expected["percent"] == pytest.approx(page_verdict(page)["percent"], rel=1e-12)
        shown = page.text_content("#v-percent")
        assert f"{expected['percent']:.0f}%" == shown
