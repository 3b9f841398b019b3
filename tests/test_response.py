"""Tests for ketacheck.response: providers, filling, validation, TOML in and out, saving."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ketacheck
from ketacheck import response
from ketacheck.exceptions import AnswerError, FileChangedError, LimitError, ResponseError
from ketacheck.files import checklist as checklist_io
from ketacheck.model import Checklist
from ketacheck.response import Provider, ProviderKind, Response

from .strategies_scoring import responses

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BUNDLED = ketacheck.bundled()
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)

MINI_TOML = """\
schema = 1
id = "mini"
version = "2.0.0"
title = "Mini"
renamed = { old-screening = "screening", old-kind = "kind-of-care", old-minutes = "minutes" }

[[sections]]
id = "only"
title = "Only"

  [[sections.items]]
  id = "screening"
  kind = "yes-no"
  prompt = "Screened?"

  [[sections.items]]
  id = "kind-of-care"
  kind = "choice"
  prompt = "Which kind?"
  options = [{ id = "medical", label = "Medical" }, { id = "therapy", label = "Therapy" }]

  [[sections.items]]
  id = "routes"
  kind = "multi"
  prompt = "Which routes?"
  options = [
    { id = "iv", label = "IV" },
    { id = "im", label = "IM" },
    { id = "oral", label = "Oral" },
  ]

  [[sections.items]]
  id = "minutes"
  kind = "number"
  prompt = "How long?"
  min = 0
  max = 600

  [[sections.items]]
  id = "open-min"
  kind = "number"
  prompt = "At least?"
  min = 1

  [[sections.items]]
  id = "open-max"
  kind = "number"
  prompt = "At most?"
  max = 5.5

  [[sections.items]]
  id = "any-number"
  kind = "number"
  prompt = "Any number?"

  [[sections.items]]
  id = "comment"
  kind = "text"
  prompt = "Anything else?"
"""
MINI = checklist_io.loads(MINI_TOML, source="mini.toml")


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    """Make response._now() return NOW."""
    monkeypatch.setattr(response, "_now", lambda: NOW)
    return NOW


def mini_doc(answers: str = "", notes: str = "", head: str = "") -> str:
    """A response file to the mini checklist."""
    text = f'schema = 1\nchecklist = "mini"\n{head}\n[answers]\n{answers}\n'
    return text + (f"[notes]\n{notes}\n" if notes else "")


class TestProvider:
    """Provider and ProviderKind."""

    def test_kinds(self) -> None:
        """The kinds are the format's values, in order."""
        expected = ["infusion-clinic", "kap-practice", "telehealth", "esketamine-clinic", "other"]
        assert expected == [k.value for k in ProviderKind]

    def test_defaults(self) -> None:
        """Only the name is required."""
        p = Provider(name="Cedar")
        assert (None, None, None, None, None) == (
            p.kind,
            p.website,
            p.location,
            p.interviewed,
            p.interviewer,
        )

    @pytest.mark.parametrize("url", ["https://example.org", "http://example.org/x", "HTTPS://a.b"])
    def test_http_links_accepted(self, url: str) -> None:
        """http and https websites are accepted."""
        assert url == Provider(name="x", website=url).website

    @pytest.mark.parametrize("url", ["ftp://example.org", "javascript:alert(1)", "example.org", ""])
    def test_other_links_refused(self, url: str) -> None:
        """Any other scheme is a ValueError naming the website."""
        with pytest.raises(ValueError, match="website") as e:
            Provider(name="x", website=url)
        expected = f'.website: only http and https links are allowed, got "{url}"'
        assert expected == str(e.value)


class TestNew:
    """Response.new and the constructor."""

    def test_new(self, frozen_now: dt.datetime) -> None:
        """new() sets both times to now, the checklist's version and the provider."""
        r = Response.new(BUNDLED, Provider(name="Cedar"))
        expected: tuple[object, ...] = (
            frozen_now,
            frozen_now,
            "1.1.0",
            Provider(name="Cedar"),
            {},
            {},
        )
        assert expected == (
            r.created,
            r.updated,
            r.checklist_version,
            r.provider,
            dict(r.answers),
            dict(r.notes),
        )
        assert () == r.warnings

    def test_provider_by_name(self) -> None:
        """A string is the provider's name."""
        assert Provider(name="Cedar") == Response.new(BUNDLED, "Cedar").provider

    def test_no_provider(self) -> None:
        """Without a provider the name is empty."""
        assert Provider(name="") == Response.new(BUNDLED).provider

    def test_now_is_utc_whole_seconds(self) -> None:
        """Times are aware, UTC and without microseconds."""
        r = Response.new(BUNDLED)
        assert r.created is not None
        assert (dt.UTC, 0) == (r.created.tzinfo, r.created.microsecond)

    def test_repr(self) -> None:
        """The repr names the checklist, provider and counts."""
        r = Response.new(MINI, "Cedar")
        r.answer("screening", "yes", note="BP taken")
        r._orphans["gone"] = 1
        expected = "<Response to mini 2.0.0 for 'Cedar': 1 of 8 answered, 1 notes, 1 orphans>"
        assert expected == repr(r)
        assert "<Response to mini 2.0.0 for '': 0 of 8 answered>" == repr(Response(MINI))

    def test_unhashable(self) -> None:
        """A mutable response is not hashable."""
        with pytest.raises(TypeError):
            hash(Response(MINI))

    def test_equality(self) -> None:
        """Responses are equal by value, never to other types."""
        a, b = Response(MINI, created=NOW), Response(MINI, created=NOW)
        assert a == b
        b.answer("screening", "yes")
        assert a != b
        assert Response(MINI) != "response"


class TestAnswer:
    """Response.answer accepts what each kind takes and refuses the rest."""

    @pytest.mark.parametrize(
        ("item", "value", "stored"),
        [
            ("screening", "yes", "yes"),
            ("screening", "no", "no"),
            ("screening", True, "yes"),
            ("screening", False, "no"),
            ("kind-of-care", "therapy", "therapy"),
            ("routes", ["oral", "iv"], ("oral", "iv")),
            ("routes", ("im",), ("im",)),
            ("routes", [], ()),
            ("minutes", 45, 45),
            ("minutes", 45.5, 45.5),
            ("minutes", 0, 0),
            ("minutes", 600.0, 600.0),
            ("open-min", 10**9, 10**9),
            ("open-max", -3, -3),
            ("any-number", -1e300, -1e300),
            ("comment", "Kind staff. ✓", "Kind staff. ✓"),
            ("comment", "", ""),
        ],
    )
    def test_accepted(self, item: str, value: object, stored: object) -> None:
        """Valid answers are stored (multi as a tuple in the order given)."""
        r = Response(MINI)
        r.answer(item, value)
        assert stored == r.answers[item]
        assert type(stored) is type(r.answers[item])

    @pytest.mark.parametrize("item", [i.id for i in MINI.items])
    def test_unknown_always_accepted(self, item: str) -> None:
        """ "unknown" is an answer to every item."""
        r = Response(MINI)
        r.answer(item, "unknown")
        assert "unknown" == r.answers[item]

    @pytest.mark.parametrize(
        ("item", "value", "message"),
        [
            ("screening", "Yes", '"Yes" is not an option; expected one of: yes, no (or "unknown")'),
            ("screening", 1, 'expected one of: yes, no (or "unknown"), got an integer (1)'),
            ("screening", None, 'expected one of: yes, no (or "unknown"), got None'),
            (
                "kind-of-care",
                ["medical"],
                'expected one of: medical, therapy (or "unknown"), got an array',
            ),
            (
                "kind-of-care",
                True,
                'expected one of: medical, therapy (or "unknown"), got a boolean (true)',
            ),
            (
                "routes",
                "iv",
                'expected a list of: iv, im, oral (or "unknown"), got a string ("iv")',
            ),
            (
                "routes",
                ["intravenous"],
                '"intravenous" is not an option; expected a list of: iv, im, oral (or "unknown")',
            ),
            (
                "routes",
                ["iv", "im", "iv"],
                '"iv" is listed more than once; expected a list of: iv, im, oral (or "unknown")',
            ),
            (
                "routes",
                [1],
                'an integer (1) is not an option; expected a list of: iv, im, oral (or "unknown")',
            ),
            (
                "routes",
                ["unknown"],
                (
                    '"unknown" is an answer on its own, not in a list; '
                    'expected a list of: iv, im, oral (or "unknown")'
                ),
            ),
            (
                "minutes",
                601,
                '601 is above the maximum 600; expected a number from 0 to 600 (or "unknown")',
            ),
            (
                "minutes",
                700.0,
                '700 is above the maximum 600; expected a number from 0 to 600 (or "unknown")',
            ),
            (
                "minutes",
                -0.5,
                '-0.5 is below the minimum 0; expected a number from 0 to 600 (or "unknown")',
            ),
            (
                "minutes",
                float("inf"),
                'inf is not a finite number; expected a number from 0 to 600 (or "unknown")',
            ),
            (
                "minutes",
                float("nan"),
                'nan is not a finite number; expected a number from 0 to 600 (or "unknown")',
            ),
            (
                "minutes",
                True,
                'expected a number from 0 to 600 (or "unknown"), got a boolean (true)',
            ),
            (
                "minutes",
                "45",
                'expected a number from 0 to 600 (or "unknown"), got a string ("45")',
            ),
            (
                "open-min",
                0.5,
                '0.5 is below the minimum 1; expected a number of at least 1 (or "unknown")',
            ),
            (
                "open-max",
                6,
                '6 is above the maximum 5.5; expected a number of at most 5.5 (or "unknown")',
            ),
            ("any-number", "x", 'expected a number (or "unknown"), got a string ("x")'),
            ("comment", 3, "expected a string, got an integer (3)"),
            ("comment", ("a",), "expected a string, got an array"),
        ],
    )
    def test_refused(self, item: str, value: object, message: str) -> None:
        """A value that does not fit raises AnswerError saying what the item accepts."""
        r = Response(MINI)
        with pytest.raises(AnswerError) as e:
            r.answer(item, value)
        assert f"{item}: {message}" == str(e.value)
        assert item == e.value.item
        assert {} == dict(r.answers)

    def test_bundled_routes_message(self) -> None:
        """The bundled routes item lists all six routes."""
        with pytest.raises(AnswerError) as e:
            Response.new(BUNDLED).answer("routes", ["intravenous"])
        expected = (
            'routes: "intravenous" is not an option; expected a list of: '
            'iv, im, sublingual, intranasal, oral, subcutaneous (or "unknown")'
        )
        assert expected == str(e.value)

    def test_unknown_item(self) -> None:
        """An id the checklist lacks is an AnswerError with a did-you-mean."""
        with pytest.raises(AnswerError) as e:
            Response(MINI).answer("screenin", "yes")
        assert 'screenin: no such item in checklist "mini" (did you mean "screening"?)' == str(
            e.value
        )

    def test_unknown_item_without_hint(self) -> None:
        """Without a close id there is no hint; a non-string id is named as given."""
        with pytest.raises(AnswerError) as e:
            Response(MINI).answer("zzz", "yes")
        assert 'zzz: no such item in checklist "mini"' == str(e.value)
        with pytest.raises(AnswerError) as e:
            Response(MINI).answer(3, "yes")  # type: ignore[arg-type]
        assert '3: no such item in checklist "mini"' == str(e.value)

    def test_updates_time_and_version(self, frozen_now: dt.datetime) -> None:
        """Answering moves updated to now and records the checklist's version."""
        r = Response(MINI, checklist_version="1.0.0")
        r.answer("screening", "yes")
        assert (None, frozen_now, "2.0.0") == (r.created, r.updated, r.checklist_version)

    def test_note_with_answer(self) -> None:
        """A note can be given with the answer."""
        r = Response(MINI)
        r.answer("screening", "yes", note="Nurse takes BP.")
        assert {"screening": "Nurse takes BP."} == dict(r.notes)

    def test_bad_note_changes_nothing(self) -> None:
        """A note that is not a string is refused before the answer is stored."""
        r = Response(MINI)
        with pytest.raises(AnswerError) as e:
            r.answer("screening", "yes", note=3)  # type: ignore[arg-type]
        assert "screening: a note must be a string, got an integer (3)" == str(e.value)
        assert ({}, {}) == (dict(r.answers), dict(r.notes))

    def test_replaces(self) -> None:
        """A second answer replaces the first."""
        r = Response(MINI)
        r.answer("screening", "yes")
        r.answer("screening", "unknown")
        assert {"screening": "unknown"} == dict(r.answers)

    def test_views_are_read_only(self) -> None:
        """answers, notes, orphans and orphan_notes cannot be changed through the views."""
        r = Response(MINI)
        for view in (r.answers, r.notes, r.orphans, r.orphan_notes):
            with pytest.raises(TypeError):
                view["screening"] = "yes"  # type: ignore[index]


class TestClearAndNotes:
    """clear() and set_note()."""

    def test_clear(self, frozen_now: dt.datetime) -> None:
        """clear removes the answer and moves updated."""
        r = Response(MINI)
        r.answer("screening", "yes", note="kept")
        r.updated = None
        r.clear("screening")
        expected: tuple[object, ...] = ({}, {"screening": "kept"}, frozen_now)
        assert expected == (
            dict(r.answers),
            dict(r.notes),
            r.updated,
        )

    def test_clear_unanswered_is_a_no_op(self) -> None:
        """Clearing an item without an answer changes nothing, not even updated."""
        r = Response(MINI)
        r.clear("screening")
        assert r.updated is None

    def test_clear_orphan(self) -> None:
        """clear also removes an orphan answer."""
        r = Response(MINI)
        r._orphans["gone"] = 1
        r.clear("gone")
        assert {} == dict(r.orphans)

    def test_clear_unknown_item(self) -> None:
        """Clearing an id that is neither an item nor an orphan is an AnswerError."""
        with pytest.raises(AnswerError, match='no such item in checklist "mini"'):
            Response(MINI).clear("nothing")

    def test_set_and_remove_note(self, frozen_now: dt.datetime) -> None:
        """set_note sets; None and "" remove."""
        r = Response(MINI)
        r.set_note("comment", "first")
        r.set_note("routes", "second")
        assert {"comment": "first", "routes": "second"} == dict(r.notes)
        r.set_note("comment", None)
        r.set_note("routes", "")
        assert ({}, frozen_now) == (dict(r.notes), r.updated)

    def test_orphan_note(self) -> None:
        """Notes on orphans go to orphan_notes."""
        r = Response(MINI)
        r._orphans["gone"] = 1
        r.set_note("gone", "about the old item")
        assert ({}, {"gone": "about the old item"}) == (dict(r.notes), dict(r.orphan_notes))
        r.set_note("gone", None)
        assert {} == dict(r.orphan_notes)

    def test_note_on_unknown_item(self) -> None:
        """A note on an unknown id is an AnswerError."""
        with pytest.raises(AnswerError, match="did you mean"):
            Response(MINI).set_note("coment", "x")

    def test_note_must_be_text(self) -> None:
        """A note that is not a string is refused."""
        with pytest.raises(AnswerError) as e:
            Response(MINI).set_note("comment", ["x"])  # type: ignore[arg-type]
        assert "comment: a note must be a string, got an array" == str(e.value)


GOOD_FILE = """\
schema = 1
checklist = "ketamine-consumer"
checklist-version = "1.1.0"
created = 2026-11-23T10:00:00Z
updated = 2026-11-23T10:40:00Z

[provider]
name = "Cedar Health and Wellness"
kind = "infusion-clinic"
website = "https://example.org"
location = "Springfield"
interviewed = 2026-11-20
interviewer = "me"

[answers]
medical-history-review = "yes"
routes = ["iv"]
observation-minutes = 45.0
integration-offered = "unknown"

[notes]
medical-history-review = "Nurse takes blood pressure at every visit."
"""


class TestLoads:
    """Reading a response file."""

    def test_good_file(self) -> None:
        """Every key of the format is read into its Python type."""
        r = response.loads(GOOD_FILE)
        expected_provider = Provider(
            name="Cedar Health and Wellness",
            kind=ProviderKind.INFUSION_CLINIC,
            website="https://example.org",
            location="Springfield",
            interviewed=dt.date(2026, 11, 20),
            interviewer="me",
        )
        assert BUNDLED is r.checklist
        assert expected_provider == r.provider
        assert (NOW, NOW + dt.timedelta(minutes=40), "1.1.0") == (
            r.created,
            r.updated,
            r.checklist_version,
        )
        expected_answers = {
            "medical-history-review": "yes",
            "routes": ("iv",),
            "observation-minutes": 45,
            "integration-offered": "unknown",
        }
        assert expected_answers == dict(r.answers)
        assert {"medical-history-review": "Nurse takes blood pressure at every visit."} == dict(
            r.notes
        )
        assert ((), {}, {}) == (r.warnings, dict(r.orphans), dict(r.orphan_notes))

    def test_minimal(self) -> None:
        """schema and checklist are all a file needs."""
        r = response.loads('schema = 1\nchecklist = "quick-screen"\n')
        assert ("quick-screen", Provider(name=""), {}, None, None, None) == (
            r.checklist.id,
            r.provider,
            dict(r.answers),
            r.created,
            r.updated,
            r.checklist_version,
        )

    def test_byte_order_mark(self) -> None:
        """A leading byte-order mark is ignored."""
        assert response.loads("\ufeff" + GOOD_FILE) == response.loads(GOOD_FILE)

    def test_explicit_checklist(self) -> None:
        """An explicit checklist is used instead of the bundled one."""
        r = response.loads(mini_doc('screening = "yes"'), checklist=MINI)
        assert (MINI, {"screening": "yes"}, ()) == (r.checklist, dict(r.answers), r.warnings)

    def test_every_problem_at_once(self) -> None:
        """All problems are reported together, in line order, with paths and lines."""
        text = """\
schema = 1
checklist = "ketamine-consumer"
checklist-verson = "1.0.0"
created = 2026-11-23

[provider]
name = "X"
kind = "clinic"

[answers]
routes = "iv"
medical-history-review = true
observation-minutes = 700
"odd key" = "no"

[notes]
routes = 5
"""
        with pytest.raises(ResponseError) as e:
            response.loads(text, source="cedar.toml")
        expected = """\
cedar.toml: 7 problems
  checklist-verson (line 3): unknown key (did you mean "checklist-version"?)
  created (line 4): expected a date-time (like 2026-11-23T10:00:00Z), got a date (2026-11-23)
  provider.kind (line 8): expected one of: infusion-clinic, kap-practice, telehealth, \
esketamine-clinic, other; got "clinic"
  answers.routes (line 11): expected a list of: iv, im, sublingual, intranasal, oral, \
subcutaneous (or "unknown"), got a string ("iv")
  answers.medical-history-review (line 12): expected one of: yes, no (or "unknown"), \
got a boolean (true)
  answers.observation-minutes (line 13): 700 is above the maximum 600; \
expected a number from 0 to 600 (or "unknown")
  notes.routes (line 17): expected a string, got an integer (5)"""
        assert expected == str(e.value)
        assert "cedar.toml" == e.value.source

    def test_bad_website(self) -> None:
        """A provider's website must be http or https."""
        text = 'schema = 1\nchecklist = "mini"\n\n[provider]\nname = "X"\nwebsite = "file:///etc"\n'
        with pytest.raises(ResponseError) as e:
            response.loads(text, checklist=MINI)
        expected = (
            "<string>: provider.website (line 6): only http and https links are allowed, "
            'got "file:///etc"'
        )
        assert expected == str(e.value)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("schema = 1\n", "<string>: checklist: required key missing"),
            (
                'checklist = "mini"\n',
                "<string>: schema: required key missing (add schema = 1 at the top)",
            ),
            (
                'schema = 2\nchecklist = "mini"\n',
                (
                    "<string>: schema (line 1): unsupported schema 2; "
                    "this version of ketacheck reads schema 1"
                ),
            ),
            (
                'schema = 1\nchecklist = "mini"\nanswers = 3\n',
                "<string>: answers (line 3): expected a table, got an integer (3)",
            ),
            (
                'schema = 1\nchecklist = "mini"\nnotes = []\n',
                "<string>: notes (line 3): expected a table, got an array",
            ),
            (
                'schema = 1\nchecklist = "mini"\n[provider]\nkind = "other"\n',
                "<string>: provider.name (line 3): required key missing",
            ),
            (
                'schema = 1\nchecklist = "mini\n',
                "<string>: document (line 2, column 18): invalid TOML: Illegal character '\\n'",
            ),
        ],
    )
    def test_structure_problems(self, text: str, message: str) -> None:
        """Missing, mistyped and malformed parts are ResponseErrors naming path and line."""
        with pytest.raises(ResponseError) as e:
            response.loads(text, checklist=MINI)
        assert message == str(e.value)

    def test_unknown_bundled_checklist(self) -> None:
        """A checklist that is not bundled is a problem at the checklist key."""
        with pytest.raises(ResponseError) as e:
            response.loads('schema = 1\nchecklist = "nope"\n[answers]\nx = 1\n')
        expected = (
            '<string>: checklist (line 2): no bundled checklist "nope" '
            "(bundled: ketamine-consumer, quick-screen); "
            "give the checklist explicitly (--checklist)"
        )
        assert expected == str(e.value)

    def test_checklist_key_of_wrong_type(self) -> None:
        """A checklist key that is not a string is reported by the converter."""
        with pytest.raises(ResponseError) as e:
            response.loads("schema = 1\nchecklist = 3\n")
        assert "<string>: checklist (line 2): expected a string, got an integer (3)" == str(e.value)

    def test_numbers_equal(self) -> None:
        """45 and 45.0 are the same answer."""
        a = response.loads(mini_doc("minutes = 45"), checklist=MINI)
        b = response.loads(mini_doc("minutes = 45.0"), checklist=MINI)
        assert a == b

    def test_quoted_key_problem(self) -> None:
        """A quoted key is the same key; its problem is found on its line."""
        with pytest.raises(ResponseError) as e:
            response.loads(mini_doc('"screening" = "maybe"'), checklist=MINI)
        expected = (
            '<string>: answers.screening (line 5): "maybe" is not an option; '
            'expected one of: yes, no (or "unknown")'
        )
        assert expected == str(e.value)


class TestOrphansAndVersions:
    """What loading keeps and warns about rather than refusing."""

    def test_orphans_kept_verbatim(self) -> None:
        """Answers to unknown ids are kept as read, even nonsense, with a warning each."""
        text = mini_doc(
            'screening = "yes"\nscreenin = "no"\nold-table = { a = [1, 2.5] }\nweird = 1979-05-27',
            notes='screenin = "typo"\nnever-was = "a note on nothing"',
        )
        r = response.loads(text, checklist=MINI)
        assert {"screening": "yes"} == dict(r.answers)
        assert {
            "screenin": "no",
            "old-table": {"a": [1, 2.5]},
            "weird": dt.date(1979, 5, 27),
        } == dict(r.orphans)
        assert {"screenin": "typo", "never-was": "a note on nothing"} == dict(r.orphan_notes)
        expected = (
            (
                'answers.screenin: mini 2.0.0 has no item "screenin" (did you mean "screening"?); '
                "the answer is kept but not scored"
            ),
            (
                'answers.old-table: mini 2.0.0 has no item "old-table"; '
                "the answer is kept but not scored"
            ),
            'answers.weird: mini 2.0.0 has no item "weird"; the answer is kept but not scored',
            'notes.never-was: mini 2.0.0 has no item "never-was"; the note is kept but not scored',
        )
        assert expected == r.warnings

    def test_orphans_written_back(self) -> None:
        """Orphans and their notes are written after the checklist's answers."""
        text = mini_doc(
            'gone = "x"\ncomment = "hi"\nscreening = "no"', notes='gone = "n"\nscreening = "s"'
        )
        r = response.loads(text, checklist=MINI)
        expected = """\
schema = 1
checklist = "mini"

[answers]
screening = "no"
comment = "hi"
gone = "x"

[notes]
screening = "s"
gone = "n"
"""
        assert expected == response.dumps(r)

    def test_other_version(self) -> None:
        """Another checklist-version is a warning, not an error."""
        r = response.loads(mini_doc(head='checklist-version = "1.0.0"'), checklist=MINI)
        expected = (
            (
                "checklist-version: the answers were recorded against version 1.0.0; "
                "the checklist is version 2.0.0"
            ),
        )
        assert expected == r.warnings
        assert "1.0.0" == r.checklist_version

    def test_other_checklist(self) -> None:
        """A file naming another checklist than the one given loads with a warning."""
        r = response.loads('schema = 1\nchecklist = "quick-screen"\n', checklist=MINI)
        assert ('checklist: the file answers "quick-screen" but is read with "mini"',) == r.warnings

    def test_renamed(self) -> None:
        """An answer under an old id counts for the new id; its note moves too."""
        text = mini_doc('old-screening = "yes"', notes='old-screening = "moved"')
        r = response.loads(text, checklist=MINI)
        assert ({"screening": "yes"}, {"screening": "moved"}, {}) == (
            dict(r.answers),
            dict(r.notes),
            dict(r.orphans),
        )
        expected = (
            'answers.old-screening: renamed to "screening"; the answer counts for "screening"',
            'notes.old-screening: renamed to "screening"; the note belongs to "screening"',
        )
        assert expected == r.warnings
        assert 'screening = "yes"' in response.dumps(r)

    def test_renamed_when_new_is_answered(self) -> None:
        """The new id's own answer wins; the old one is kept as an orphan."""
        text = mini_doc(
            'old-screening = "yes"\nscreening = "no"',
            notes='old-screening = "old"\nscreening = "new"',
        )
        r = response.loads(text, checklist=MINI)
        assert ({"screening": "no"}, {"old-screening": "yes"}) == (dict(r.answers), dict(r.orphans))
        assert ({"screening": "new"}, {"old-screening": "old"}) == (
            dict(r.notes),
            dict(r.orphan_notes),
        )
        expected = (
            (
                'answers.old-screening: renamed to "screening", which has its own answer; '
                "the old answer is kept but not scored"
            ),
        )
        assert expected == r.warnings

    def test_renamed_answer_that_does_not_fit(self) -> None:
        """An old answer the new item does not accept is kept as an orphan."""
        r = response.loads(mini_doc('old-kind = "surgical"\nold-minutes = 30'), checklist=MINI)
        assert ({"minutes": 30}, {"old-kind": "surgical"}) == (dict(r.answers), dict(r.orphans))
        expected = (
            (
                'answers.old-kind: renamed to "kind-of-care", but the answer does not fit it '
                '("surgical" is not an option; expected one of: medical, therapy (or "unknown")); '
                "it is kept but not scored"
            ),
            'answers.old-minutes: renamed to "minutes"; the answer counts for "minutes"',
        )
        assert expected == r.warnings


class TestFiles:
    """load(), read(), dump() and save()."""

    def test_load_binary(self) -> None:
        """load reads a binary file object; its name is the source."""
        fp = io.BytesIO(GOOD_FILE.encode())
        assert response.loads(GOOD_FILE) == response.load(fp)

    def test_load_text_file_is_a_type_error(self) -> None:
        """A text-mode file is a TypeError telling to open with 'rb'."""
        with pytest.raises(TypeError, match="'rb'"):
            response.load(io.StringIO(GOOD_FILE))  # type: ignore[arg-type]

    def test_not_utf8(self) -> None:
        """Bytes that are not UTF-8 are a ResponseError naming the source."""
        with pytest.raises(ResponseError) as e:
            response.load(io.BytesIO(b'schema = 1\nchecklist = "\xff"\n'), source="x.toml")
        assert str(e.value).startswith(
            "x.toml: document (line 2, column 14): the file is not UTF-8"
        )

    def test_too_big(self) -> None:
        """Files over the size limit are refused before parsing."""
        with pytest.raises(LimitError):
            response.load(io.BytesIO(b"#" * (5 * 1024 * 1024 + 1)))

    def test_read_names_the_path(self, tmp_path: Path) -> None:
        """Problems from read() name the file."""
        path = tmp_path / "r.toml"
        path.write_text(mini_doc('screening = "maybe"'), encoding="utf-8")
        with pytest.raises(ResponseError) as e:
            response.read(path, checklist=MINI)
        assert e.value.source == os.fspath(path)

    def test_dump(self) -> None:
        """dump writes UTF-8 bytes."""
        r = Response(MINI, Provider(name="Zoë"))
        fp = io.BytesIO()
        response.dump(r, fp)
        assert response.dumps(r).encode() == fp.getvalue()

    def test_dumps_layout(self) -> None:
        """Top-level keys, then [provider], [answers] in checklist order, [notes]."""
        r = Response(
            MINI,
            Provider(name="Cedar", kind=ProviderKind.KAP_PRACTICE, interviewed=dt.date(2026, 1, 2)),
            created=NOW,
            updated=NOW,
            checklist_version="2.0.0",
        )
        r._answers.update(
            {"comment": "Line one\nline two", "routes": ("oral", "iv"), "minutes": 45}
        )
        r._notes["routes"] = "Lozenges first."
        expected = """\
schema = 1
checklist = "mini"
checklist-version = "2.0.0"
created = 2026-11-23 10:00:00+00:00
updated = 2026-11-23 10:00:00+00:00

[provider]
name = "Cedar"
kind = "kap-practice"
interviewed = 2026-01-02

[answers]
routes = ["oral", "iv"]
minutes = 45
comment = "Line one\\nline two"

[notes]
routes = "Lozenges first."
"""
        assert expected == response.dumps(r)
        assert r == response.loads(expected, checklist=MINI)

    def test_save_and_read(self, tmp_path: Path) -> None:
        """A saved response reads back equal."""
        r = Response.new(BUNDLED, "Cedar")
        r.answer("routes", ["iv"], note="IV only")
        path = tmp_path / "cedar.toml"
        r.save(path)
        assert r == response.read(path)

    def test_save_again_after_saving(self, tmp_path: Path) -> None:
        """A response can be saved to its own file again and again."""
        path = tmp_path / "cedar.toml"
        r = Response.new(BUNDLED, "Cedar")
        r.save(path)
        r.answer("routes", ["iv"])
        r.save(path)
        assert ("iv",) == response.read(path).answers["routes"]

    def test_save_refuses_to_overwrite_changes(self, tmp_path: Path) -> None:
        """Saving over a file that changed since it was read raises FileChangedError."""
        path = tmp_path / "cedar.toml"
        Response.new(BUNDLED, "Cedar").save(path)
        mine, theirs = response.read(path), response.read(path)
        theirs.answer("routes", ["iv"])
        theirs.save(path)
        mine.answer("routes", ["im"])
        with pytest.raises(FileChangedError) as e:
            mine.save(path)
        expected = (
            f"{path}: the file changed on disk since it was read; "
            "nothing was written (load it again, or save to another file)"
        )
        assert expected == str(e.value)
        assert ("iv",) == response.read(path).answers["routes"]
        mine.save(tmp_path / "mine.toml")
        assert ("im",) == response.read(tmp_path / "mine.toml").answers["routes"]

    def test_interrupted_save_keeps_the_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the final rename fails, the previous file is intact and no temp file is left."""
        path = tmp_path / "cedar.toml"
        r = Response.new(BUNDLED, "Cedar")
        r.save(path)
        before = path.read_bytes()
        r.answer("routes", ["iv"])

        def fail(*_args: Any) -> None:
            raise OSError("disk on fire")

        monkeypatch.setattr(os, "replace", fail)
        with pytest.raises(OSError, match="disk on fire"):
            r.save(path)
        assert before == path.read_bytes()
        assert ["cedar.toml"] == [p.name for p in tmp_path.iterdir()]

    def test_invalid_response_is_never_written(self, tmp_path: Path) -> None:
        """A response that would not load back raises ResponseError; the file is untouched."""
        path = tmp_path / "cedar.toml"
        path.write_text("previous", encoding="utf-8")
        r = Response(MINI)
        r._answers["screening"] = "maybe"
        with pytest.raises(ResponseError) as e:
            response.save(r, path)
        expected = (
            f'{path}: answers.screening (line 5): "maybe" is not an option; '
            'expected one of: yes, no (or "unknown")'
        )
        assert expected == str(e.value)
        assert "previous" == path.read_text(encoding="utf-8")
        assert ["cedar.toml"] == [p.name for p in tmp_path.iterdir()]


class TestLimits:
    """Text, notes, provider details and orphans are bounded, each with its own message."""

    LONG = "x" * 10_001

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (mini_doc(f'comment = "{LONG}"'), "answers.comment (line 5)"),
            (mini_doc(notes=f'screening = "{LONG}"'), "notes.screening (line 7)"),
            (mini_doc(f'gone = "{LONG}"'), "answers.gone (line 5)"),
            (mini_doc(head=f'[provider]\nname = "{LONG}"'), "provider.name (line 4)"),
            (
                mini_doc(head=f'[provider]\nname = "A"\nlocation = "{LONG}"'),
                "provider.location (line 5)",
            ),
            (
                mini_doc(head=f'[provider]\nname = "A"\ninterviewer = "{LONG}"'),
                "provider.interviewer (line 5)",
            ),
        ],
        ids=["text-answer", "note", "orphan-answer", "name", "location", "interviewer"],
    )
    def test_strings_in_files(self, text: str, message: str) -> None:
        """Every string a response holds is at most 10,000 characters."""
        with pytest.raises(ResponseError) as info:
            response.loads(text, checklist=MINI, source="r.toml")
        assert f"r.toml: {message}: 10,001 characters; the limit is 10,000" == str(info.value)

    def test_strings_at_the_limit(self) -> None:
        """10,000 characters are fine."""
        text = mini_doc(f'comment = "{"x" * 10_000}"', notes=f'comment = "{"n" * 10_000}"')
        loaded = response.loads(text, checklist=MINI)
        assert (10_000, 10_000) == (
            len(str(loaded.answers["comment"])),
            len(loaded.notes["comment"]),
        )

    @pytest.mark.parametrize("section", ["answers", "notes"])
    def test_orphan_count(self, section: str) -> None:
        """At most 1,000 answers and 1,000 notes to items the checklist does not have."""
        lines = "\n".join(f'old-{n} = "a"' for n in range(1001))
        text = mini_doc(lines) if section == "answers" else mini_doc(notes=lines)
        with pytest.raises(ResponseError) as info:
            response.loads(text, checklist=MINI, source="r.toml")
        line = 4 if section == "answers" else 6
        assert (
            f"r.toml: {section} (line {line}): 1,001 {section} to items the checklist does not "
            "have; the limit is 1,000"
        ) == str(info.value)

    def test_orphans_at_the_limit(self) -> None:
        """1,000 orphans load, each with its warning."""
        lines = "\n".join(f"old-{n} = 1" for n in range(1000))
        assert 1000 == len(response.loads(mini_doc(lines), checklist=MINI).orphans)

    def test_in_python(self) -> None:
        """answer(), set_note() and Provider() apply the same limits."""
        r = Response(MINI)
        with pytest.raises(AnswerError) as text:
            r.answer("comment", self.LONG)
        with pytest.raises(AnswerError) as note:
            r.answer("screening", "yes", note=self.LONG)
        with pytest.raises(AnswerError) as later:
            r.set_note("screening", self.LONG)
        with pytest.raises(ValueError, match=r"^\.name: 10,001 characters; the limit is 10,000$"):
            Provider(name=self.LONG)
        assert [
            "comment: 10,001 characters; the limit is 10,000",
            "screening: the note is 10,001 characters; the limit is 10,000",
            "screening: the note is 10,001 characters; the limit is 10,000",
        ] == [str(text.value), str(note.value), str(later.value)]
        assert ({}, {}) == (dict(r.answers), dict(r.notes))

    @pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**400])
    def test_whole_numbers_beyond_64_bits(self, value: int) -> None:
        """Integers TOML cannot hold are refused, never an OverflowError."""
        with pytest.raises(AnswerError) as info:
            Response(MINI).answer("any-number", value)
        assert (
            "any-number: the whole number is too large (at most 64 bits); "
            'expected a number (or "unknown")'
        ) == str(info.value)

    def test_huge_integer_in_a_file(self) -> None:
        """In a file, such an integer is a TOML range error naming the answer."""
        with pytest.raises(ResponseError) as info:
            response.loads(mini_doc(f"any-number = {10**30}"), checklist=MINI, source="r.toml")
        assert (
            "r.toml: answers.any-number (line 5): integer out of range (integers are 64-bit: "
            "from -9,223,372,036,854,775,808 to 9,223,372,036,854,775,807)"
        ) == str(info.value)

    def test_deeply_nested_orphan(self) -> None:
        """An orphan nested 65 deep is refused: it could not be written back."""
        text = mini_doc("old = " + "[" * 64 + "]" * 64)
        with pytest.raises(LimitError) as info:
            response.loads(text, checklist=MINI, source="r.toml")
        path = "answers.old" + "[0]" * 63
        assert (
            f"r.toml: {path} (line 5): tables and arrays nest more than 64 levels deep (the limit)"
        ) == str(info.value)

    def test_nested_orphan_within_the_limit_is_kept(self) -> None:
        """One level less loads, and saving writes it back."""
        text = mini_doc("old = " + "[" * 63 + "]" * 63)
        loaded = response.loads(text, checklist=MINI)
        assert loaded == response.loads(response.dumps(loaded), checklist=MINI)

    def test_long_answer_is_not_echoed_whole(self) -> None:
        """A refused 20,000-character answer is quoted by its start and end only."""
        with pytest.raises(ResponseError) as info:
            response.loads(mini_doc(f'screening = "{"y" * 20_000}"'), checklist=MINI, source="r")
        message = f'"{"y" * 20_000}" is not an option; expected one of: yes, no (or "unknown")'
        left_out = len(message) - 380
        shown = f"{message[:300]} ... ({left_out:,} characters left out) ... {message[-80:]}"
        assert f"r: answers.screening (line 5): {shown}" == str(info.value)


class TestRoundTrip:
    """loads(dumps(r)) == r."""

    @given(responses(BUNDLED))
    def test_bundled(self, r: Response) -> None:
        """Any response to the bundled checklist, with notes, orphans and Unicode."""
        assert r == response.loads(response.dumps(r))

    @given(responses(MINI))
    def test_explicit_checklist(self, r: Response) -> None:
        """Any response to a checklist given explicitly."""
        assert r == response.loads(response.dumps(r), checklist=MINI)

    @given(st.permutations([("screening", "yes"), ("routes", ("im", "iv")), ("comment", "é")]))
    def test_answer_order_does_not_matter(self, pairs: list[tuple[str, Any]]) -> None:
        """The text is the same whatever order answers were given in."""
        r = Response(MINI)
        r._answers.update(pairs)
        expected = 'screening = "yes"\nroutes = ["im", "iv"]\ncomment = "é"\n'
        assert response.dumps(r).endswith(expected)


class TestExamples:
    """Every example response loads and validates without warnings."""

    @pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
    def test_loads_cleanly(self, path: Path) -> None:
        """The example is valid, has no warnings, and round-trips."""
        r = response.read(path)
        assert () == r.warnings
        assert r == response.loads(response.dumps(r))
        assert isinstance(r.checklist, Checklist)
        assert r.provider.website is not None
        assert r.provider.website.endswith(".example.org")

    def test_there_are_three(self) -> None:
        """The three examples the docs describe exist."""
        names = sorted(p.name for p in EXAMPLES.glob("*.toml"))
        assert ["iv-infusion-clinic.toml", "kap-practice.toml", "telehealth-at-home.toml"] == names
