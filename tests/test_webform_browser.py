"""The offline form in a real browser: filled by keyboard only, saved, opened, restored.

Headless Chromium (the system's) through Playwright; see tests/webform_support.py.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ketacheck import catalog, read_response, score
from ketacheck.conditions import UNKNOWN
from ketacheck.model import Checklist, Item, ItemKind
from ketacheck.response import Provider, ProviderKind, Response

from .webform_support import browser, open_form, page_verdict, write_form

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
    ids = item.option_ids
    if item.kind is ItemKind.CHOICE:
        return [*ids, UNKNOWN][n % (len(ids) + 1)]
    if item.kind is ItemKind.MULTI:
        return (ids[0], ids[-1]) if n % 2 else (ids[0],)
    if item.kind is ItemKind.NUMBER:
        return 45 if item.max is None or item.max >= 45 else item.max
    return "Asked at intake."


def focused(page: Any) -> dict[str, Any]:
    """What has the keyboard focus: tag, type, name, value, data attributes, id."""
    found: dict[str, Any] = page.evaluate(
        """() => { const e = document.activeElement; return {
          tag: e.tagName, type: e.type || null, name: e.getAttribute('name'), value: e.value,
          id: e.id,
          item: e.closest('fieldset.item') ? e.closest('fieldset.item').dataset.item : null,
          note: e.closest('details.note') ? e.closest('fieldset.item').dataset.item : null,
          none: e.hasAttribute('data-none'), unknown: e.hasAttribute('data-unknown'),
          summary: e.tagName === 'SUMMARY', checked: !!e.checked }; }"""
    )
    return found


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


def download(page: Any, folder: Path, press: Callable[[], None]) -> Path:
    """Keep the file that *press* (pressing Save answers) downloads into *folder*."""
    with page.expect_download() as started:
        press()
    path: Path = folder / started.value.suggested_filename
    started.value.save_as(path)
    return path


def save_by_keyboard(page: Any, folder: Path) -> Path:
    """Press Save answers with the keyboard and keep the file it downloads."""
    shift_tab_to(page, "save")
    return download(page, folder, lambda: page.keyboard.press("Enter"))


class TestKeyboard:
    """A person with a keyboard only fills the bundled checklist and saves it."""

    @pytest.mark.slow  # several seconds: hundreds of key presses
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
        assert expected == page_verdict(page)
        assert f"{expected['percent']:.0f}%" == page.text_content("#v-percent")


def library_response(checklist: Checklist) -> Response:
    """A response saved by the library: answers, notes, orphans and an orphan note."""
    r = Response.new(checklist, Provider(name="Birch Clinic", location="Shelbyville"))
    r.answer("routes", ["iv", "im"], note="Both, depending on the day.")
    r.answer("iv-infusion-pump", "yes")
    r.answer("at-home-dosing", "no")
    r.answer("office-dosing", "yes")
    r.answer("observation-minutes", 30)
    r.answer("bp-threshold", "Above 180/110 they stop.")
    r.answer("prescriber-licensed", UNKNOWN)
    r._orphans.update(
        {
            "old-question": "maybe",
            "old-numbers": [1, 2.5],
            "old-table": {"when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)},
            "old-date": dt.date(2025, 5, 6),
        }
    )
    r._orphan_notes["gone-item"] = "A note on a question that was removed."
    return r


def open_by_chooser(page: Any, path: Path) -> None:
    """Open *path* with the page's Open answers button."""
    with page.expect_file_chooser() as chooser:
        page.click("#open")
    chooser.value.set_files(str(path))


def save_by_click(page: Any, folder: Path) -> Path:
    """Press Save answers and keep the download."""
    return download(page, folder, lambda: page.click("#save"))


def warnings_shown(page: Any) -> list[str]:
    """The warning box once it shows: its title, then one entry per line."""
    page.wait_for_selector("#warnings:not([hidden])")
    shown: list[str] = page.eval_on_selector_all(
        "#warnings strong, #warnings li", "es => es.map(e => e.textContent)"
    )
    return shown


class TestOpen:
    """Open answers reads a response file back; what the page does not show is kept."""

    def test_library_file_with_orphans(self, page: Any, tmp_path: Path) -> None:
        checklist = catalog.load()
        original = library_response(checklist)
        original.save(tmp_path / "birch.toml")
        open_by_chooser(page, tmp_path / "birch.toml")
        page.wait_for_selector("#warnings:not([hidden])")
        assert [
            "Opened birch.toml, with these warnings:",
            (
                'answers.old-question: this checklist has no item "old-question"; '
                "the answer is kept in the file but not scored"
            ),
            (
                'answers.old-numbers: this checklist has no item "old-numbers"; '
                "the answer is kept in the file but not scored"
            ),
            (
                'answers.old-table: this checklist has no item "old-table"; '
                "the answer is kept in the file but not scored"
            ),
            (
                'answers.old-date: this checklist has no item "old-date"; '
                "the answer is kept in the file but not scored"
            ),
        ] == warnings_shown(page)
        assert page.is_checked("input[name='a-routes'][value='iv']")
        assert page.is_checked("input[name='a-routes'][value='im']")
        assert "30" == page.input_value("#a-observation-minutes")
        assert "Both, depending on the day." == page.input_value("#n-routes")
        assert page.is_visible("#n-routes")  # a note opens its disclosure
        assert page.is_hidden("#q-home-sober-adult")  # at-home-dosing is "no"
        expected = score(original).to_dict()
        assert expected == page_verdict(page)

        page.check("input[name='a-at-home-dosing'][value='yes']")  # a change, then save
        again = read_response(save_by_click(page, tmp_path))
        assert {**original.answers, "at-home-dosing": "yes"} == dict(again.answers)
        assert dict(original.notes) == dict(again.notes)
        assert dict(original.orphans) == dict(again.orphans)
        assert dict(original.orphan_notes) == dict(again.orphan_notes)
        assert original.provider == again.provider
        assert original.created == again.created
        assert again.updated is not None
        assert original.updated is not None
        assert again.updated >= original.updated

    def test_another_checklist_is_opened_with_a_warning(self, page: Any, tmp_path: Path) -> None:
        quick = catalog.load("quick-screen")
        r = Response.new(quick, "Quick")
        r.answer("no-driving", "yes")
        r.save(tmp_path / "quick.toml")
        open_by_chooser(page, tmp_path / "quick.toml")
        page.wait_for_selector("#warnings:not([hidden])")
        assert [
            "Opened quick.toml, with these warnings:",
            (
                'checklist: the file answers "quick-screen", but this form is "ketamine-consumer"; '
                "answers to items this checklist lacks are kept but not scored"
            ),
        ] == warnings_shown(page)
        assert page.is_checked("input[name='a-no-driving'][value='yes']")

    def test_a_bad_file_changes_nothing(self, page: Any, tmp_path: Path) -> None:
        page.check("input[name='a-no-driving'][value='no']")
        bad = tmp_path / "bad.toml"
        bad.write_text(
            'schema = 1\nchecklist = "ketamine-consumer"\nsurprise = 1\n'
            '[answers]\nno-driving = "maybe"\nroutes = ["iv", "iv"]\nobservation-minutes = 9999\n',
            encoding="utf-8",
        )
        page.on("dialog", lambda d: d.accept())  # "Replace the answers on this page?"
        open_by_chooser(page, bad)
        page.wait_for_selector("#warnings:not([hidden])")
        assert [
            "Could not open bad.toml; nothing was changed:",
            "surprise: unknown key",
            'answers.no-driving: "maybe" is not an option; expected one of: yes, no (or "unknown")',
            (
                'answers.routes: "iv" is listed more than once; expected a list of: iv, im, '
                'sublingual, intranasal, oral, subcutaneous (or "unknown")'
            ),
            (
                "answers.observation-minutes: 9999 is above the maximum 600; expected a number "
                'from 0 to 600 (or "unknown")'
            ),
        ] == warnings_shown(page)
        assert page.is_checked("input[name='a-no-driving'][value='no']")


class TestLive:
    """Conditions and the verdict follow every change; the browser keeps the answers."""

    def test_hidden_answers_are_kept(self, page: Any, tmp_path: Path) -> None:
        assert page.is_hidden("#q-iv-infusion-pump")
        page.check("input[name='a-routes'][value='iv']")
        assert page.is_visible("#q-iv-infusion-pump")
        page.check("input[name='a-iv-infusion-pump'][value='yes']")
        page.uncheck("input[name='a-routes'][value='iv']")
        page.check("input[name='a-routes'][value='im']")
        assert page.is_hidden("#q-iv-infusion-pump")
        saved = read_response(save_by_click(page, tmp_path))
        assert {"routes": ("im",), "iv-infusion-pump": "yes"} == dict(saved.answers)
        expected = score(saved).to_dict()
        assert "iv-infusion-pump" not in expected["unanswered"]
        assert expected == page_verdict(page)

    def test_reload_restores(self, page: Any) -> None:
        page.fill("#p-name", "Cedar")
        page.check("input[name='a-no-driving'][value='no']")
        page.check("input[name='a-routes'][value='intranasal']")
        page.click("#q-no-driving details.note summary")
        page.fill("#n-no-driving", "They said a taxi is fine.")
        page.select_option("#profile", "2")
        before = page_verdict(page)
        page.reload()
        page.wait_for_function("globalThis.ketacheckForm && globalThis.ketacheckForm.page")
        assert "Restored the answers kept in this browser." == page.text_content("#status")
        assert "Cedar" == page.input_value("#p-name")
        assert page.is_checked("input[name='a-no-driving'][value='no']")
        assert page.is_checked("input[name='a-routes'][value='intranasal']")
        assert "They said a taxi is fine." == page.input_value("#n-no-driving")
        assert "2" == page.input_value("#profile")
        assert before == page_verdict(page)

    def test_start_over(self, page: Any) -> None:
        page.check("input[name='a-no-driving'][value='no']")
        page.on("dialog", lambda d: d.accept())
        page.click("#reset")
        assert not page.is_checked("input[name='a-no-driving'][value='no']")
        assert {} == page.evaluate("ketacheckForm.page.state().answers")
        page.reload()
        assert "" == page.text_content("#status")


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core for WCAG 2.x A and AA; its violations, shortened."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag', values:
             ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations
             .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
    )
    return found


class TestAccessible:
    """axe-core finds no WCAG 2.2 A or AA violation, empty or filled, wide or narrow."""

    @pytest.mark.slow  # several seconds: axe-core runs four times
    @pytest.mark.parametrize("width", [1280, 390])
    def test_axe(self, browser: Any, form_path: Path, tmp_path: Path, width: int) -> None:
        ctx, page, errors = open_form(browser, form_path, viewport={"width": width, "height": 800})
        assert [] == axe_violations(page)
        library_response(catalog.load()).save(tmp_path / "birch.toml")
        open_by_chooser(page, tmp_path / "birch.toml")
        page.wait_for_selector("#warnings:not([hidden])")
        page.fill("#a-observation-minutes", "9999")  # an error message shows
        assert page.is_visible("#e-observation-minutes")
        assert [] == axe_violations(page)
        ctx.close()
        assert [] == errors.messages

    def test_language(self, page: Any) -> None:
        assert "en" == page.get_attribute("html", "lang")


class TestOffline:
    """The page reaches no network: the policy forbids it and nothing is requested."""

    def test_no_request(self, browser: Any, form_path: Path, tmp_path: Path) -> None:
        ctx = browser.new_context(accept_downloads=True)
        reached: list[str] = []  # requests the policy let through to the network layer

        def refuse(route: Any) -> None:
            reached.append(route.request.url)
            route.abort()

        ctx.route(lambda url: not url.startswith(("file:", "blob:")), refuse)
        page = ctx.new_page()
        failed: list[tuple[str, str | None]] = []
        page.on("requestfailed", lambda r: failed.append((r.url, r.failure)))
        page.goto(form_path.as_uri())
        page.check("input[name='a-routes'][value='iv']")
        page.fill("#p-website", "https://cedar.example.org")
        save_by_click(page, tmp_path)
        page.evaluate(
            """() => { const i = document.createElement('img');
                       i.src = 'https://example.org/pixel.png'; document.body.append(i);
                       return fetch('https://example.org/').catch(() => null); }"""
        )
        page.wait_for_timeout(300)
        assert [] == reached
        assert [("https://example.org/pixel.png", "csp")] == failed
        ctx.close()


class TestPrint:
    """The filled form prints on A4 and Letter: answers, notes and the verdict."""

    @pytest.mark.parametrize(("paper", "size"), [("A4", (595, 842)), ("Letter", (612, 792))])
    def test_pdf(self, page: Any, tmp_path: Path, paper: str, size: tuple[int, int]) -> None:
        from pypdf import PdfReader  # noqa: PLC0415 - only here

        library_response(catalog.load()).save(tmp_path / "birch.toml")
        open_by_chooser(page, tmp_path / "birch.toml")
        page.wait_for_selector("#warnings:not([hidden])")
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
        box = reader.pages[0].mediabox
        assert size == pytest.approx((float(box.width), float(box.height)), abs=1)
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        verdict = page.inner_text("#verdict .big") + " " + page.inner_text("#v-band-note")
        assert text.startswith("Ketamine Consumer Checklist Questions to ask")
        assert "Verdict " + " ".join(verdict.split()) in text  # equal to score()'s: TestOpen
        assert "Both, depending on the day." in text
        assert "Birch Clinic" in text
        assert "Opened birch.toml" not in text  # messages are for the screen
