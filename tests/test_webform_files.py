"""Response files through the form's script: what ketacheck writes, the page reads and writes
back unchanged (orphans, notes, provider, times), and what the page writes ketacheck reads.

One loaded page; its reader and writer (``ketacheckForm.readResponse`` / ``writeResponse``,
on the vendored smol-toml) are called with the plan of each checklist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacheck import catalog
from ketacheck.model import Checklist
from ketacheck.response import Provider, Response, dumps, loads
from ketacheck.webform._plan import compile_plan

from .strategies import checklists
from .strategies_scoring import responses
from .webform_support import browser, quick_page

__all__ = ["browser", "quick_page"]

ROUND_TRIP = """([plan, text]) => {
  const f = ketacheckForm, read = f.readResponse(plan, text);
  return [f.writeResponse(plan, read.state), read.warnings];
}"""


@pytest.fixture(scope="module")
def page(quick_page: Any) -> Any:
    """The loaded form whose scripts this module calls."""
    return quick_page


def milliseconds(value: Any) -> Any:
    """*value* with every date-time cut to whole milliseconds (what JavaScript keeps)."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, dict):
        return {k: milliseconds(v) for k, v in value.items()}
    if isinstance(value, list):
        return [milliseconds(v) for v in value]
    return value


def to_milliseconds(r: Response) -> Response:
    """The same response with its times and orphans' date-times cut to milliseconds."""
    r.created, r.updated = milliseconds(r.created), milliseconds(r.updated)
    orphans = milliseconds(dict(r._orphans))
    r._orphans.clear()
    r._orphans.update(orphans)
    return r


def through_page(page: Any, checklist: Checklist, text: str) -> tuple[str, list[str]]:
    """The page reads *text* as a response to *checklist* and writes it back."""
    written, warnings = page.evaluate(ROUND_TRIP, [compile_plan(checklist), text])
    return written, warnings


@st.composite
def cases(draw: st.DrawFn) -> tuple[Checklist, Response]:
    """A bundled or generated checklist and a response to it (orphans, notes, Unicode)."""
    if draw(st.booleans()):
        checklist = catalog.load(draw(st.sampled_from(catalog.names())))
    else:
        checklist = draw(checklists())
    return checklist, to_milliseconds(draw(responses(checklist)))


class TestRoundTrip:
    """loads(page(dumps(r))) == r: nothing the file held is lost or changed."""

    @pytest.mark.slow  # several seconds: hundreds of cases
    @settings(max_examples=120)
    @given(case=cases())
    def test_library_file(self, page: Any, case: tuple[Checklist, Response]) -> None:
        checklist, original = case
        written, _ = through_page(page, checklist, dumps(original))
        assert original == loads(written, checklist=checklist)

    def test_sub_millisecond_times_warn(self, page: Any) -> None:
        checklist = catalog.load("quick-screen")
        r = Response.new(checklist, "Cedar")
        r.created = dt.datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=dt.UTC)
        written, warnings = through_page(page, checklist, dumps(r))
        assert [
            (
                "times in this file are more precise than a millisecond; the form keeps them to "
                "the millisecond"
            )
        ] == warnings
        assert dt.datetime(2026, 11, 23, 10, 0, 0, 123000, tzinfo=dt.UTC) == (
            loads(written, checklist=checklist).created
        )

    def test_layout(self, page: Any) -> None:
        checklist = catalog.load()
        r = Response(checklist, Provider(name="Cedar", interviewed=dt.date(2026, 11, 20)))
        r.answer("routes", ["iv", "im"], note="Both.")
        r.answer("observation-minutes", 45.5)
        r._orphans["old"] = "kept"
        r.created = r.updated = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
        written, warnings = through_page(page, checklist, dumps(r))
        assert [
            (
                'answers.old: this checklist has no item "old"; the answer is kept in the file but '
                "not scored"
            )
        ] == warnings
        assert (
            'schema = 1\nchecklist = "ketamine-consumer"\nchecklist-version = "1.1.0"\n'
            "created = 2026-11-23T10:00:00.000+00:00\nupdated = 2026-11-23T10:00:00.000+00:00\n\n"
            '[provider]\nname = "Cedar"\ninterviewed = 2026-11-20\n\n'
            '[answers]\nroutes = [ "iv", "im" ]\nobservation-minutes = 45.5\nold = "kept"\n\n'
            '[notes]\nroutes = "Both."\n'
        ) == written


READ = """([plan, text]) => {
  try { return ketacheckForm.readResponse(plan, text).warnings; }
  catch (e) { return 'refused: ' + e.message; }
}"""


class TestRead:
    """What the page says about a file it opens, as the library says it."""

    def test_another_version(self, page: Any) -> None:
        plan = compile_plan(catalog.load("quick-screen"))
        text = 'schema = 1\nchecklist = "quick-screen"\nchecklist-version = "0.9"\n'
        assert [
            (
                "checklist-version: the answers were recorded against version 0.9; this form is "
                "version 1.1.0"
            )
        ] == page.evaluate(READ, [plan, text])

    def test_renamed(self, page: Any) -> None:
        checklist = catalog.load("quick-screen")
        renamed = attrs.evolve(checklist, renamed={"old-driving": "no-driving"})
        text = 'schema = 1\nchecklist = "quick-screen"\n[answers]\nold-driving = "no"\n'
        assert [
            'answers.old-driving: renamed to "no-driving"; the answer counts for "no-driving"'
        ] == page.evaluate(READ, [compile_plan(renamed), text])
        assert {"no-driving": "no"} == page.evaluate(
            "([plan, text]) => ketacheckForm.readResponse(plan, text).state.answers",
            [compile_plan(renamed), text],
        )

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ('schema = 1\nid = "x"\nsections = []\n', "this is a checklist, not a response file"),
            ("schema = [", "this is not a TOML file (Invalid TOML document: "),
            ('checklist = "quick-screen"\n', "schema: expected 1"),
            (
                'schema = 1\nchecklist = "quick-screen"\n[provider]\nwebsite = "javascript:x"\n',
                (
                    'provider.website: only http and https links are allowed, got "javascript:x"\n'
                    "provider.name: required"
                ),
            ),
            (
                'schema = 1\nchecklist = "quick-screen"\n[provider]\nname = "A"\nkind = "spa"\n',
                (
                    'provider.kind: "spa" is not one of: infusion-clinic, kap-practice, '
                    "telehealth, esketamine-clinic, other"
                ),
            ),
            (
                'schema = 1\nchecklist = "quick-screen"\n[notes]\nno-driving = 3\n',
                "notes.no-driving: expected a string",
            ),
        ],
    )
    def test_refused(self, page: Any, text: str, message: str) -> None:
        plan = compile_plan(catalog.load("quick-screen"))
        assert page.evaluate(READ, [plan, text]).startswith("refused: " + message)
