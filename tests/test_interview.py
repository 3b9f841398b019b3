"""The terminal interview: parsing, every shortcut, bad input, saving, resuming, the command."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO, cast

import pexpect  # type: ignore[import-untyped] # pexpect ships no types
import pytest

from ketacheck import catalog, interview, response
from ketacheck._autosave import AutoSave
from ketacheck.cli import main
from ketacheck.exceptions import AnswerError, FileChangedError, ResponseError
from ketacheck.files.checklist import loads as loads_checklist
from ketacheck.interview import Interview, Outcome, parse_answer, start
from ketacheck.model import Checklist
from ketacheck.response import Response

from .conftest import MINI_TOML

MINI = loads_checklist(MINI_TOML, source="mini.toml")

HEAD = """\
Mini 1.0.0, for Cedar
Shortcuts: y yes, n no, ? unknown, numbers for options, s skip, b back, q quit.
"""
Q_SCREENING = """
-- Before --

[1/4] Is there screening?
  Why: It finds risks.
Answer (y, n, ?, s, b, q): """
Q_ROUTES = """
[2/4] Which routes?
  1  IV
  2  Oral
  0  none of them
  ?  unknown
Answer (one or more of 1-2, 0, ?, s, b, q): """
Q_MINUTES = """
-- During --

[3/5] Minutes observed?
Answer (minutes, 0-600, ?, s, b, q): """
Q_THERAPIST = """
[{n}] Who is with you?
  1  A therapist
  2  Nobody
  ?  unknown
Answer (1-2, ?, s, b, q): """
Q_COMMENTS = """
[{n}] Anything else?
Answer (text, ?, s, b, q): """


def _run(
    lines: str, filled: Response | None = None, **options: object
) -> tuple[Outcome, str, Response]:
    """Interview *filled* (a new response to MINI for Cedar) with *lines* as the input."""
    filled = filled if filled is not None else Response.new(MINI, provider="Cedar")
    out = io.StringIO()
    outcome = Interview(filled, stdin=io.StringIO(lines), stdout=out, **options).run()  # type: ignore[arg-type]
    return outcome, out.getvalue(), filled


class _Input:
    """Lines to read, and a hook run before each read (the signature Interview uses)."""

    def __init__(self, text: str, before: Callable[[], None] | None = None) -> None:
        self._lines = io.StringIO(text)
        self._before = before

    def readline(self) -> str:
        if self._before is not None:
            self._before()
        line = self._lines.readline()
        if not line:
            raise KeyboardInterrupt
        return line

    def isatty(self) -> bool:
        return False


def _interrupting(text: str, before: Callable[[], None] | None = None) -> TextIO:
    """Input that raises KeyboardInterrupt (Ctrl-C) once its lines are used up."""
    return cast("TextIO", _Input(text, before))


class TestParseAnswer:
    """parse_answer turns one typed line into an answer, or says what to type."""

    @pytest.mark.parametrize(
        ("item", "text", "expected"),
        [
            ("screening", "y", "yes"),
            ("screening", " YES ", "yes"),
            ("screening", "n", "no"),
            ("screening", "no", "no"),
            ("screening", "?", "unknown"),
            ("screening", "Unknown", "unknown"),
            ("routes", "1", ("iv",)),
            ("routes", "2 1", ("iv", "oral")),
            ("routes", "2,1,2", ("iv", "oral")),
            ("routes", "oral, iv", ("iv", "oral")),
            ("routes", "0", ()),
            ("routes", "?", "unknown"),
            ("minutes", "45", 45),
            ("minutes", "45.5", 45.5),
            ("minutes", "600", 600),
            ("minutes", "?", "unknown"),
            ("therapist", "1", "therapist"),
            ("therapist", "nobody", "nobody"),
            ("comments", "  Kind staff ", "Kind staff"),
            ("comments", "?", "unknown"),
        ],
    )
    def test_accepted(self, item: str, text: str, expected: object) -> None:
        """Shortcuts, numbers and ids become the stored answer."""
        assert expected == parse_answer(MINI.item(item), text)

    @pytest.mark.parametrize(
        ("item", "text", "message"),
        [
            (
                "screening",
                "maybe",
                '"maybe" is not an answer. Type y (yes), n (no) or ? (unknown).',
            ),
            ("screening", "", "No answer yet. Type y (yes), n (no) or ? (unknown)."),
            (
                "routes",
                "3",
                (
                    '"3" is not an option. Type one or more numbers from 1 to 2, separated by '
                    "spaces or commas; 0 for none of them; or ? (unknown)."
                ),
            ),
            (
                "routes",
                "0 1",
                (
                    "0 (none of them) goes on its own. Type one or more numbers from 1 to 2, "
                    "separated by spaces or commas; 0 for none of them; or ? (unknown)."
                ),
            ),
            (
                "minutes",
                "lots",
                '"lots" is not a number. Type a number from 0 to 600 (minutes), or ? (unknown).',
            ),
            (
                "minutes",
                "nan",
                '"nan" is not a number. Type a number from 0 to 600 (minutes), or ? (unknown).',
            ),
            (
                "minutes",
                "601",
                (
                    "601 is above the maximum, 600. Type a number from 0 to 600 (minutes), "
                    "or ? (unknown)."
                ),
            ),
            (
                "minutes",
                "-0.5",
                (
                    "-0.5 is below the minimum, 0. Type a number from 0 to 600 (minutes), "
                    "or ? (unknown)."
                ),
            ),
            ("therapist", "3", '"3" is not an answer. Type a number from 1 to 2, or ? (unknown).'),
            ("therapist", "0", '"0" is not an answer. Type a number from 1 to 2, or ? (unknown).'),
            ("comments", " ", "No answer yet. Type the answer on one line, or ? (unknown)."),
        ],
    )
    def test_refused(self, item: str, text: str, message: str) -> None:
        """A line that is not an answer raises AnswerError saying what to type."""
        with pytest.raises(AnswerError) as caught:
            parse_answer(MINI.item(item), text)
        assert f"{item}: {message}" == str(caught.value)

    @pytest.mark.parametrize(
        ("bounds", "message"),
        [
            ("min = 1", "Type a number of at least 1, or ? (unknown)."),
            ("max = 2.5", "Type a number of at most 2.5, or ? (unknown)."),
            ("", "Type a number, or ? (unknown)."),
        ],
    )
    def test_number_bounds_in_words(self, bounds: str, message: str) -> None:
        """Half-bounded and unbounded number items say what they take."""
        checklist = loads_checklist(
            'schema = 1\nid = "n"\nversion = "1"\ntitle = "N"\n[[sections]]\nid = "s"\n'
            f'title = "S"\n[[sections.items]]\nid = "x"\nkind = "number"\nprompt = "X?"\n{bounds}\n'
        )
        with pytest.raises(AnswerError) as caught:
            parse_answer(checklist.item("x"), "x")
        assert f'x: "x" is not a number. {message}' == str(caught.value)


class TestHugeInput:
    """Huge numbers, notes and names typed in are explained, never a crash."""

    @pytest.mark.parametrize(
        ("item", "text", "ending"),
        [
            (
                "minutes",
                "1" + "0" * 400,
                '" is not a number. Type a number from 0 to 600 (minutes), or ? (unknown).',
            ),
            (
                "minutes",
                "9" * 5000,
                '" is not a number. Type a number from 0 to 600 (minutes), or ? (unknown).',
            ),
            (
                "therapist",
                "9" * 5000,
                '" is not an answer. Type a number from 1 to 2, or ? (unknown).',
            ),
            ("routes", "9" * 5000, "; 0 for none of them; or ? (unknown)."),
        ],
        ids=["beyond-float", "beyond-int-conversion", "option", "options"],
    )
    def test_huge_numbers(self, item: str, text: str, ending: str) -> None:
        """Digits beyond a float, or beyond what Python converts, are not a number."""
        with pytest.raises(AnswerError) as caught:
            parse_answer(MINI.item(item), text)
        message = str(caught.value)
        assert (f'{item}: "{text[:50]}', ending) == (
            message[: len(item) + 53],
            message[-len(ending) :],
        )
        assert " characters left out) ... " in message

    def test_long_notes_ask_again(self) -> None:
        """A note over 10,000 characters is refused, with or without an answer; nothing changes."""
        long = "n" * 10_001
        lines = f"y # {long}\ny # short\nb\n# {long}\nq\n"
        outcome, out, filled = _run(lines, echo=False)
        assert Outcome.QUIT == outcome
        assert 2 == out.count("the note is 10,001 characters; the limit is 10,000\n")
        assert ({"screening": "yes"}, {"screening": "short"}) == (
            dict(filled.answers),
            dict(filled.notes),
        )

    def test_long_provider_name_asks_again(self) -> None:
        """A provider's name over 10,000 characters is refused and asked again."""
        filled = Response.new(MINI)
        outcome, out, _ = _run("x" * 10_001 + "\nBirch\nq\n", filled, ask_provider=True, echo=False)
        assert Outcome.QUIT == outcome
        assert "Birch" == filled.provider.name
        assert (
            "Provider's name:   The name is 10,001 characters; the limit is 10,000.\n"
            "Provider's name: \n"
        ) in out


class TestInterview:
    """Interview over text streams: the questions in order, shortcuts, saving, the summary."""

    def test_whole_interview(self) -> None:
        """Every kind answered in turn; the transcript echoes piped answers; a summary ends it."""
        outcome, out, filled = _run("n\n1,2\n0\n2\nfine\n")
        assert Outcome.FINISHED == outcome
        assert (
            HEAD
            + Q_SCREENING
            + "n\n"
            + Q_ROUTES
            + "1,2\n"
            + Q_MINUTES
            + "0\n"
            + Q_THERAPIST.format(n="4/5")
            + "2\n"
            + Q_COMMENTS.format(n="5/5")
            + "fine\n"
            + """
That was the last question.
Cedar: 0.0% (poor)
Red flags (2):
  - No screening. (screening: no)
  - No observation. (minutes: 0 minutes)
Care model: medication-only
Completeness: 100% (5 of 5 questions answered)
"""
        ) == out
        assert {
            "screening": "no",
            "routes": ("iv", "oral"),
            "minutes": 0,
            "therapist": "nobody",
            "comments": "fine",
        } == dict(filled.answers)

    def test_conditional_item_not_asked(self) -> None:
        """An item whose condition does not hold is never asked."""
        outcome, out, filled = _run("y\n2\n1\n?\n")
        assert Outcome.FINISHED == outcome
        assert "Minutes observed?" not in out
        assert "[3/4] Who is with you?" in out
        assert {
            "screening": "yes",
            "routes": ("oral",),
            "therapist": "therapist",
            "comments": "unknown",
        } == dict(filled.answers)
        assert out.endswith(
            "That was the last question.\n"
            "Cedar: 100.0% (good)\n"
            "Red flags: none\n"
            "Care model: psychotherapy-integrated\n"
            "Completeness: 100% (4 of 4 questions answered)\n"
        )

    def test_bad_answers_ask_again(self) -> None:
        """A bad line is explained and the same question asked again, once per bad line."""
        outcome, out, filled = _run("maybe\n\ny\n7\n0 2\n2\n")
        assert Outcome.CLOSED == outcome
        assert (
            HEAD
            + Q_SCREENING
            + "maybe\n"
            + '  "maybe" is not an answer. Type y (yes), n (no) or ? (unknown).\n'
            + "Answer (y, n, ?, s, b, q): \n"
            + "  No answer yet. Type y (yes), n (no) or ? (unknown).\n"
            + "Answer (y, n, ?, s, b, q): y\n"
            + Q_ROUTES
            + "7\n"
            + '  "7" is not an option. Type one or more numbers from 1 to 2, separated by\n'
            + "    spaces or commas; 0 for none of them; or ? (unknown).\n"
            + "Answer (one or more of 1-2, 0, ?, s, b, q): 0 2\n"
            + "  0 (none of them) goes on its own. Type one or more numbers from 1 to 2,\n"
            + "    separated by spaces or commas; 0 for none of them; or ? (unknown).\n"
            + "Answer (one or more of 1-2, 0, ?, s, b, q): 2\n"
            + "\n-- During --\n"
            + Q_THERAPIST.format(n="3/4")
            + "\nThe input ended. 2 of 4 questions answered.\n"
        ) == out
        assert {"screening": "yes", "routes": ("oral",)} == dict(filled.answers)

    def test_skip(self) -> None:
        """s moves on without an answer; the summary counts it as unanswered."""
        outcome, out, filled = _run(
            "s\n0\nskip\n\n?\n", where="r.toml", resume="ketacheck interview -o r.toml"
        )
        assert Outcome.FINISHED == outcome
        assert {"routes": (), "comments": "unknown"} == dict(filled.answers)
        assert out.endswith(
            "That was the last question.\n"
            "Cedar: 0.0% (poor)\n"  # the skipped questions count 0 of their points
            "Red flags: none\n"
            "Care model: undetermined\n"
            "Completeness: 50% (2 of 4 questions answered)\n"
            "Saved to r.toml.\n"
            "To answer the skipped questions: ketacheck interview -o r.toml\n"
        )

    def test_back_shows_the_answer_and_enter_keeps_it(self) -> None:
        """b goes to the previous question, showing its answer; Enter keeps it and moves on."""
        outcome, out, filled = _run("b\ny\n1\nb\nb\n\n")
        assert Outcome.CLOSED == outcome
        assert (
            HEAD
            + Q_SCREENING
            + "b\n  This is the first question.\nAnswer (y, n, ?, s, b, q): y\n"
            + Q_ROUTES
            + "1\n"
            + Q_MINUTES
            + "b\n\n-- Before --\n\n[2/5] Which routes?\n  1  IV\n  2  Oral\n"
            + "  0  none of them\n  ?  unknown\n  Now: 1 (IV); press Enter to keep it.\n"
            + "Answer (one or more of 1-2, 0, ?, s, b, q): b\n"
            + "\n[1/5] Is there screening?\n  Why: It finds risks.\n"
            + "  Now: yes; press Enter to keep it.\nAnswer (y, n, ?, s, b, q): \n"
            + Q_MINUTES
            + "\nThe input ended. 2 of 5 questions answered.\n"
        ) == out
        assert {"screening": "yes", "routes": ("iv",)} == dict(filled.answers)

    def test_words_for_the_shortcuts(self) -> None:
        """back, skip and quit work spelled out, in any case."""
        outcome, out, filled = _run("Back\nYES\nSKIP\nQuit\n")
        assert Outcome.QUIT == outcome
        assert {"screening": "yes"} == dict(filled.answers)
        assert "Answer (y, n, ?, s, b, q): Back\n  This is the first question.\n" in out
        assert out.endswith("Answer (1-2, ?, s, b, q): Quit\nStopped. 1 of 4 questions answered.\n")

    def test_back_and_change(self) -> None:
        """A changed answer replaces the old one; the next question is the next unanswered."""
        outcome, _, filled = _run("y\n1\n30\nb\n45 # after the drip\n1\n")
        assert Outcome.CLOSED == outcome
        assert 45 == filled.answers["minutes"]
        assert {"minutes": "after the drip"} == dict(filled.notes)
        assert "therapist" in filled.answers

    def test_notes(self) -> None:
        """ANSWER # NOTE records both; # NOTE alone on an answered item keeps the answer."""
        filled = Response.new(MINI, provider="Cedar")
        filled.answer("screening", "yes")
        outcome, out, _ = _run("b\n# nurse checks\n2 # pills\nq\n", filled, echo=False)
        assert Outcome.QUIT == outcome
        assert {"screening": "yes", "routes": ("oral",)} == dict(filled.answers)
        assert {"screening": "nurse checks", "routes": "pills"} == dict(filled.notes)
        assert "Continuing: 1 of 4 questions answered.\n" in out

    def test_hash_in_text_answer_is_kept(self) -> None:
        """A text answer keeps a # sign: notes are not split from text answers."""
        filled = Response.new(MINI, provider="Cedar")
        for item, value in (("screening", "yes"), ("routes", ("oral",)), ("therapist", "nobody")):
            filled.answer(item, value)
        _, _, filled = _run("room #4 was quiet\n", filled)
        assert "room #4 was quiet" == filled.answers["comments"]
        assert {} == dict(filled.notes)

    def test_quit(self) -> None:
        """q stops at once and says how to continue."""
        outcome, out, filled = _run(
            "y\nq\n", where="r.toml", resume="ketacheck interview -o r.toml"
        )
        assert Outcome.QUIT == outcome
        assert 0 == outcome.exit_status
        assert out.endswith(
            "Answer (one or more of 1-2, 0, ?, s, b, q): q\n"
            "Stopped. 1 of 4 questions answered, saved to r.toml.\n"
            "To continue: ketacheck interview -o r.toml\n"
        )
        assert {"screening": "yes"} == dict(filled.answers)

    def test_ctrl_c(self) -> None:
        """Ctrl-C while waiting for an answer stops with status 130 and keeps the answers."""
        filled = Response.new(MINI, provider="Cedar")
        out = io.StringIO()
        outcome = Interview(
            filled, stdin=_interrupting("y\n"), stdout=out, where="r.toml", resume="again"
        ).run()
        assert Outcome.INTERRUPTED == outcome
        assert 130 == outcome.exit_status
        assert out.getvalue().endswith(
            "Answer (one or more of 1-2, 0, ?, s, b, q): \n"
            "Interrupted. 1 of 4 questions answered, saved to r.toml.\n"
            "To continue: again\n"
        )

    def test_ctrl_c_during_a_save_waits_for_it(self) -> None:
        """Ctrl-C while saving is held until the save is done, then stops the interview."""
        saved: list[dict[str, object]] = []

        def save(filled: Response) -> None:
            os.kill(os.getpid(), signal.SIGINT)
            saved.append(dict(filled.answers))

        outcome, out, _ = _run("y\n1\n", save=save)
        assert Outcome.INTERRUPTED == outcome
        assert [{"screening": "yes"}] == saved
        assert out.endswith(
            "Answer (y, n, ?, s, b, q): y\n\nInterrupted. 1 of 4 questions answered.\n"
        )
        assert signal.default_int_handler is signal.getsignal(signal.SIGINT)

    def test_save_outside_the_main_thread(self) -> None:
        """Outside the main thread signals cannot be held; saving still happens."""
        saved: list[dict[str, object]] = []
        results: list[Outcome] = []

        def target() -> None:
            results.append(_run("y\nq\n", save=lambda r: saved.append(dict(r.answers)))[0])

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        assert [Outcome.QUIT] == results
        assert [{"screening": "yes"}] == saved

    def test_saves_after_every_change(self) -> None:
        """save is called after each answer and each note, with the response as it is then."""
        saved: list[tuple[dict[str, object], dict[str, str]]] = []
        _run(
            "y\n # early\n2 # seen\nb\n# later\n",
            save=lambda r: saved.append((dict(r.answers), dict(r.notes))),
        )
        both = {"screening": "yes", "routes": ("oral",)}
        assert [
            ({"screening": "yes"}, {}),
            (both, {"routes": "seen"}),
            (both, {"routes": "later"}),
        ] == saved

    def test_ask_provider(self) -> None:
        """With ask_provider the name comes first; an empty name is asked again."""
        saved: list[str] = []
        filled = Response.new(MINI)
        outcome, out, _ = _run(
            "\n  Birch Clinic \nq\n",
            filled,
            ask_provider=True,
            save=lambda r: saved.append(r.provider.name),
        )
        assert Outcome.QUIT == outcome
        assert "Birch Clinic" == filled.provider.name
        assert ["Birch Clinic"] == saved
        assert out.startswith(
            "Mini 1.0.0\n"
            "Shortcuts: y yes, n no, ? unknown, numbers for options, s skip, b back, q quit.\n"
            "Provider's name: \n"
            "  Type the name of the practice or clinician, or q to quit.\n"
            "Provider's name:   Birch Clinic \n"
        )

    @pytest.mark.parametrize(
        ("lines", "outcome", "ending"),
        [
            ("q\n", Outcome.QUIT, "Provider's name: q\nStopped. Nothing was saved.\n"),
            ("", Outcome.CLOSED, "Provider's name: \nThe input ended. Nothing was saved.\n"),
        ],
    )
    def test_no_provider_nothing_saved(self, lines: str, outcome: Outcome, ending: str) -> None:
        """Quitting at the name saves nothing."""
        saved: list[Response] = []
        result, out, _ = _run(lines, Response.new(MINI), ask_provider=True, save=saved.append)
        assert (outcome, []) == (result, saved)
        assert out.endswith(ending)

    def test_ctrl_c_at_the_name(self) -> None:
        """Ctrl-C at the name prompt saves nothing."""
        out = io.StringIO()
        result = Interview(
            Response.new(MINI), stdin=_interrupting(""), stdout=out, ask_provider=True
        ).run()
        assert Outcome.INTERRUPTED == result
        assert out.getvalue().endswith("Provider's name: \nInterrupted. Nothing was saved.\n")

    def test_no_echo_for_a_terminal(self) -> None:
        """A terminal echoes what is typed, so the interview does not."""

        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        filled = Response.new(MINI, provider="Cedar")
        out = io.StringIO()
        Interview(filled, stdin=Terminal("y\nq\n"), stdout=out).run()
        assert "Answer (y, n, ?, s, b, q): \n[2/4] Which routes?" in out.getvalue()
        assert "Answer (one or more of 1-2, 0, ?, s, b, q): Stopped." in out.getvalue()

    def test_all_answered(self) -> None:
        """A response with every applicable item answered goes straight to the summary."""
        filled = Response.new(MINI, provider="Cedar")
        for item, value in (("screening", "yes"), ("routes", ()), ("therapist", "therapist")):
            filled.answer(item, value)
        filled.answer("comments", "ok")
        outcome, out, _ = _run("", filled)
        assert Outcome.FINISHED == outcome
        assert (
            "Mini 1.0.0, for Cedar\n"
            "Shortcuts: y yes, n no, ? unknown, numbers for options, s skip, b back, q quit.\n"
            "Continuing: 4 of 4 questions answered.\n"
            "\n"
            "That was the last question.\n"
            "Cedar: 100.0% (good)\n"
            "Red flags: none\n"
            "Care model: psychotherapy-integrated\n"
            "Completeness: 100% (4 of 4 questions answered)\n"
        ) == out

    def test_without_name_or_bands(self) -> None:
        """Without a provider name or bands the summary leaves them out."""
        checklist = loads_checklist(
            'schema = 1\nid = "c"\nversion = "1"\ntitle = "C"\n[[sections]]\nid = "s"\n'
            'title = "S"\n[[sections.items]]\nid = "a"\nkind = "yes-no"\nprompt = "A?"\n'
        )
        _, out, _ = _run("y\n", Response.new(checklist))
        assert out.endswith(
            "That was the last question.\n100.0%\nRed flags: none\n"
            "Care model: undetermined\nCompleteness: 100% (1 of 1 questions answered)\n"
        )

    def test_current_answers_and_number_ranges(self) -> None:
        """Going back shows each kind's current answer; number prompts show their bounds."""
        checklist = loads_checklist(
            'schema = 1\nid = "c"\nversion = "1"\ntitle = "C"\n[[sections]]\nid = "s"\n'
            'title = "S"\n'
            '[[sections.items]]\nid = "t"\nkind = "text"\nprompt = "T?"\n'
            '[[sections.items]]\nid = "u"\nkind = "yes-no"\nprompt = "U?"\n'
            '[[sections.items]]\nid = "m"\nkind = "multi"\nprompt = "M?"\n'
            'options = [{ id = "a", label = "A" }, { id = "b", label = "B" }]\n'
            '[[sections.items]]\nid = "low"\nkind = "number"\nprompt = "Low?"\nmin = 1\n'
            '[[sections.items]]\nid = "high"\nkind = "number"\nprompt = "High?"\nmax = 2.5\n'
            'unit = "doses"\n'
            '[[sections.items]]\nid = "any"\nkind = "number"\nprompt = "Any?"\n'
        )
        filled = Response.new(checklist)
        for item, value in (("t", "hi"), ("u", "unknown"), ("m", ()), ("low", 3), ("high", 2.5)):
            filled.answer(item, value)
        _, out, _ = _run("b\nb\nb\nb\nb\nq\n", filled)
        lines = out.splitlines()
        assert [
            "Answer (a number, ?, s, b, q): b",
            "  Now: 2.5 doses; press Enter to keep it.",
            "Answer (doses, <= 2.5, ?, s, b, q): b",
            "  Now: 3; press Enter to keep it.",
            "Answer (>= 1, ?, s, b, q): b",
            "  Now: 0 (none of them); press Enter to keep it.",
            "Answer (one or more of 1-2, 0, ?, s, b, q): b",
            "  Now: ? (unknown); press Enter to keep it.",
            "Answer (y, n, ?, s, b, q): b",
            '  Now: "hi"; press Enter to keep it.',
            "Answer (text, ?, s, b, q): q",
        ] == [line for line in lines if line.startswith(("Answer", "  Now"))]

    def test_long_lines_wrap(self) -> None:
        """Prompts, reasons and options wrap to the width with hanging indents."""
        filled = Response.new(catalog.load("quick-screen"), provider="Cedar")
        _, out, _ = _run("q\n", filled, width=60)
        assert (
            "[1/12] What kind of evaluation happens before your first\n"
            "       dose?\n"
            "  Why: Every guideline expects a full check of your\n"
            "       diagnosis, past treatments, drug use and physical\n"
            "       health before ketamine. A form on its own cannot do\n"
            "       that.\n"
            "  1  A full mental-health and medical evaluation in person\n"
        ) in out


class TestStart:
    """start(): files are created, continued, refused; the answers are saved atomically."""

    def test_new_file_with_provider(self, tmp_path: Path) -> None:
        """The file exists from the start, and holds every answer when the interview ends."""
        path = tmp_path / "cedar.toml"
        out = io.StringIO()
        outcome = start(
            path, "quick-screen", provider="Cedar", stdin=io.StringIO("2\nn\n"), stdout=out
        )
        assert Outcome.CLOSED == outcome
        saved = response.read(path)
        assert "Cedar" == saved.provider.name
        assert {"intake-evaluation": "live-video", "baseline-bp-check": "no"} == dict(saved.answers)
        assert out.getvalue().endswith(
            f"The input ended. 2 of 12 questions answered, saved to {path}.\n"
            f"To continue: ketacheck interview -o {path}\n"
        )

    def test_new_file_asks_the_name(self, tmp_path: Path) -> None:
        """Without a provider the name is asked first and the default checklist is used."""
        path = tmp_path / "birch.toml"
        start(path, stdin=io.StringIO("Birch\nq\n"), stdout=io.StringIO())
        saved = response.read(path)
        assert ("Birch", "ketamine-consumer", {}) == (
            saved.provider.name,
            saved.checklist.id,
            dict(saved.answers),
        )

    def test_nothing_written_without_a_name(self, tmp_path: Path) -> None:
        """Quitting at the name prompt leaves no file."""
        path = tmp_path / "none.toml"
        assert Outcome.QUIT == start(path, stdin=io.StringIO("q\n"), stdout=io.StringIO())
        assert not path.exists()

    def test_resume(self, tmp_path: Path) -> None:
        """An existing file continues at its first unanswered applicable question."""
        path = tmp_path / "cedar.toml"
        start(
            path,
            "quick-screen",
            provider="Cedar",
            stdin=io.StringIO("2\ns\ny\n"),
            stdout=io.StringIO(),
        )
        out = io.StringIO()
        start(path, stdin=io.StringIO("y\n"), stdout=out)
        text = out.getvalue()
        assert text.startswith(
            "Ketamine Quick Screen 1.1.0, for Cedar\n"
            f"Answers are saved to {path} after each question.\n"
            "Shortcuts: y yes, n no, ? unknown, numbers for options, s skip, b back, q quit.\n"
            "Continuing: 2 of 12 questions answered.\n"
            "\n-- Medical screening and reasons not to treat --\n"
            "\n[2/12] Do they measure your blood pressure"
        )
        assert {
            "intake-evaluation": "live-video",
            "baseline-bp-check": "yes",
            "psychosis-mania-screen": "yes",
        } == dict(response.read(path).answers)

    def test_resume_with_the_same_provider(self, tmp_path: Path) -> None:
        """Giving the file's own provider name again is fine."""
        path = tmp_path / "cedar.toml"
        start(path, "quick-screen", provider="Cedar", stdin=io.StringIO(""), stdout=io.StringIO())
        assert Outcome.CLOSED == start(
            path, provider="Cedar", stdin=io.StringIO(""), stdout=io.StringIO()
        )

    def test_resume_with_another_checklist(self, tmp_path: Path) -> None:
        """A checklist given for an existing file is used; loading notes are shown first."""
        path = tmp_path / "cedar.toml"
        start(
            path, "quick-screen", provider="Cedar", stdin=io.StringIO("2\n"), stdout=io.StringIO()
        )
        spec = tmp_path / "mini.toml"
        spec.write_text(MINI_TOML, encoding="utf-8")
        out = io.StringIO()
        start(path, spec, stdin=io.StringIO("y\nq\n"), stdout=out)
        text = out.getvalue()
        assert text.startswith(
            'Note: checklist: the file answers "quick-screen" but is read with "mini"\n'
            "Note: checklist-version: the answers were recorded against version 1.1.0; "
            "the checklist is version 1.0.0\n"
            'Note: answers.intake-evaluation: mini 1.0.0 has no item "intake-evaluation"; '
            "the answer is kept but not scored\n"
            "Mini 1.0.0, for Cedar\n"
        )
        assert text.endswith(f"To continue: ketacheck interview {spec} -o {path}\n")
        assert 'checklist = "mini"\n' in path.read_text(encoding="utf-8")
        saved = response.read(path, checklist=MINI)
        assert ({"screening": "yes"}, {"intake-evaluation": "live-video"}) == (
            dict(saved.answers),
            dict(saved.orphans),
        )

    def test_empty_file_is_new(self, tmp_path: Path) -> None:
        """An empty file (say, from touch) is started like a new one."""
        path = tmp_path / "empty.toml"
        path.write_bytes(b"\n")
        start(
            path, "quick-screen", provider="Cedar", stdin=io.StringIO("1\n"), stdout=io.StringIO()
        )
        assert {"intake-evaluation": "in-person"} == dict(response.read(path).answers)

    @pytest.mark.parametrize(
        ("content", "reason"),
        [
            (
                (Path(__file__).parents[1] / "checklists" / "quick-screen.toml").read_bytes(),
                "is a checklist, not a response; refusing to overwrite it",
            ),
            (b"x = [\n", "is not a TOML file, so not a response; refusing to overwrite it"),
            (b"\xff\xfe", "is not a TOML file, so not a response; refusing to overwrite it"),
            (
                b'[project]\nname = "x"\n',
                "is not a response (it has no checklist key); refusing to overwrite it",
            ),
            (
                b"x = " + b"[" * 5000 + b"]" * 5000,
                "is not a TOML file, so not a response; refusing to overwrite it",
            ),
            (
                b"# " + b"x" * (5 * 1024 * 1024),
                "is larger than 5 MiB, so not a response; refusing to overwrite it",
            ),
        ],
        ids=["checklist", "not-toml", "not-utf8", "other-toml", "too-deep", "too-big"],
    )
    def test_refuses_what_is_not_a_response(
        self, tmp_path: Path, content: bytes, reason: str
    ) -> None:
        """A file that is not a response is refused and left as it was."""
        path = tmp_path / "other.toml"
        path.write_bytes(content)
        with pytest.raises(FileExistsError) as caught:
            start(path, provider="Cedar", stdin=io.StringIO("y\n"), stdout=io.StringIO())
        assert (reason, str(path)) == (caught.value.strerror, caught.value.filename)
        assert content == path.read_bytes()

    def test_refuses_another_provider(self, tmp_path: Path) -> None:
        """A file with another provider's answers is not continued under a new name."""
        path = tmp_path / "cedar.toml"
        start(path, "quick-screen", provider="Cedar", stdin=io.StringIO(""), stdout=io.StringIO())
        before = path.read_bytes()
        with pytest.raises(FileExistsError) as caught:
            start(path, provider="Birch", stdin=io.StringIO("y\n"), stdout=io.StringIO())
        assert (
            'holds the answers for "Cedar", not "Birch"; to continue it, leave out the '
            "provider; otherwise choose another file"
        ) == caught.value.strerror
        assert before == path.read_bytes()

    def test_invalid_response(self, tmp_path: Path) -> None:
        """A response with problems is reported, not overwritten."""
        path = tmp_path / "bad.toml"
        path.write_text(
            'schema = 1\nchecklist = "quick-screen"\n[answers]\nbaseline-bp-check = "maybe"\n',
            encoding="utf-8",
        )
        with pytest.raises(ResponseError):
            start(path, stdin=io.StringIO("y\n"), stdout=io.StringIO())

    def test_file_changed_by_someone_else(self, tmp_path: Path) -> None:
        """A save after another program changed the file is refused, keeping their version."""
        path = tmp_path / "cedar.toml"
        start(path, "quick-screen", provider="Cedar", stdin=io.StringIO(""), stdout=io.StringIO())

        def meddle() -> None:
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")

        with pytest.raises(FileChangedError):
            start(path, stdin=_interrupting("1\n", meddle), stdout=io.StringIO())
        assert {} == dict(response.read(path).answers)

    def test_defaults_to_sys_streams(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without streams, stdin and stdout are used."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
        out = io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        assert Outcome.QUIT == start(tmp_path / "x.toml", provider="X")
        assert "Stopped." in out.getvalue()


class TestAutoSave:
    """The saver validates before writing, like Response.save."""

    def test_invalid_response_is_not_written(self, tmp_path: Path) -> None:
        """A response whose text would not load back is refused; no file appears."""
        filled = Response.new(MINI, provider="Cedar")
        filled._answers["screening"] = "maybe"  # what answer() would refuse
        saver = AutoSave(tmp_path / "x.toml", "")
        with pytest.raises(ResponseError):
            saver.save(filled)
        assert not (tmp_path / "x.toml").exists()


class TestCommand:
    """``ketacheck interview``: streams, exit statuses and refusals."""

    def test_piped(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Answers piped in; a profile for the summary; exit 0 at the end of input."""
        path = tmp_path / "r.toml"
        spec = tmp_path / "mini.toml"
        spec.write_text(MINI_TOML, encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", io.StringIO("y\n2\n1\nok\n"))
        assert 0 == main(["interview", str(spec), "-o", str(path), "--provider", "Cedar"])
        out = capsys.readouterr().out
        assert out.endswith(
            "Cedar: 100.0% (good)\nRed flags: none\nCare model: psychotherapy-integrated\n"
            f"Completeness: 100% (4 of 4 questions answered)\nSaved to {path}.\n"
        )

    def test_unknown_profile(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown profile is a usage error before any question, and no file is made."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
        path = tmp_path / "r.toml"
        assert 2 == main(
            ["interview", "quick-screen", "-o", str(path), "--provider", "C", "--profile", "nope"]
        )
        captured = capsys.readouterr()
        assert ("", False) == (captured.out, path.exists())
        assert captured.err.startswith("ketacheck: checklist ")
        assert "no profile" in captured.err

    def test_profile(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The summary's score uses the profile."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
        path = tmp_path / "r.toml"
        assert 0 == main(
            [
                "interview",
                "quick-screen",
                "-o",
                str(path),
                "--provider",
                "C",
                "--profile",
                "at-home",
            ]
        )
        assert "Stopped. 0 of 12 questions answered" in capsys.readouterr().out

    def test_refused_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """-o naming a checklist exits 2 with one line on stderr, and the file is kept."""
        path = tmp_path / "list.toml"
        path.write_text(MINI_TOML, encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
        assert 2 == main(["interview", "-o", str(path)])
        captured = capsys.readouterr()
        assert (
            "",
            f"ketacheck: {path}: is a checklist, not a response; refusing to overwrite it\n",
        ) == (captured.out, captured.err)
        assert MINI_TOML == path.read_text(encoding="utf-8")

    def test_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """-o naming a folder exits 2."""
        assert 2 == main(["interview", "-o", str(tmp_path)])
        assert f"ketacheck: {tmp_path}: is a folder, not a file\n" == capsys.readouterr().err

    def test_no_such_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """-o in a folder that does not exist exits 2 before asking anything."""
        assert 2 == main(["interview", "-o", str(tmp_path / "no" / "r.toml")])
        captured = capsys.readouterr()
        assert ("", f"ketacheck: {tmp_path / 'no'}: no such folder\n") == (
            captured.out,
            captured.err,
        )

    def test_unknown_checklist(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown bundled checklist is a usage error."""
        assert 2 == main(["interview", "nope", "-o", str(tmp_path / "r.toml")])
        assert capsys.readouterr().err.startswith('ketacheck: no bundled checklist "nope"')

    def test_output_is_required(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without -o the command is a usage error."""
        assert 2 == main(["interview"])
        assert capsys.readouterr().err.endswith(
            "error: the following arguments are required: -o/--output\n"
        )

    def test_ctrl_c_exit_status(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Ctrl-C exits 130."""
        monkeypatch.setattr(sys, "stdin", _interrupting("1\n"))
        path = tmp_path / "r.toml"
        assert 130 == main(["interview", "quick-screen", "-o", str(path), "--provider", "C"])
        assert "Interrupted. 1 of 12 questions answered" in capsys.readouterr().out


def test_checklist_fixture_is_valid() -> None:
    """The checklist the tests use is a valid checklist."""
    assert isinstance(MINI, Checklist)
    assert ("screening", "routes", "minutes", "therapist", "comments") == tuple(
        i.id for i in MINI.items
    )
    assert interview.EXIT_INTERRUPTED == Outcome.INTERRUPTED.exit_status


def _spawn(*args: str, cwd: Path) -> pexpect.spawn:
    """``python -m ketacheck interview ARGS`` in a pseudo-terminal."""
    env = {**os.environ, "COLUMNS": "100", "LINES": "24"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "ketacheck", "interview", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=60,  # only a safety net against a hung child; nothing here is timed
        dimensions=(24, 100),
    )


class TestTerminal:
    """The interview in a real pseudo-terminal: typing, Ctrl-C, Ctrl-D, resuming."""

    def test_ctrl_c_then_resume(self, tmp_path: Path) -> None:
        """Ctrl-C halfway saves what was answered and exits 130; the next run continues."""
        child = _spawn("quick-screen", "-o", "cedar.toml", "--provider", "Cedar", cwd=tmp_path)
        child.expect_exact("[1/12] What kind of evaluation happens before your first dose?")
        child.expect_exact("Answer (1-4, ?, s, b, q): ")
        child.sendline("2")
        child.expect_exact("Answer (y, n, ?, s, b, q): ")
        child.sendline("maybe")
        child.expect_exact('  "maybe" is not an answer. Type y (yes), n (no) or ? (unknown).')
        child.expect_exact("Answer (y, n, ?, s, b, q): ")
        child.sendline("n")
        child.expect_exact("[3/12] Do they ask whether you have ever had psychosis or mania?")
        child.expect_exact("Answer (y, n, ?, s, b, q): ")
        child.sendintr()
        child.expect_exact("Interrupted. 2 of 12 questions answered, saved to cedar.toml.")
        child.expect_exact("To continue: ketacheck interview -o cedar.toml")
        child.expect(pexpect.EOF)
        child.close()
        assert 130 == child.exitstatus
        assert {"intake-evaluation": "live-video", "baseline-bp-check": "no"} == dict(
            response.read(tmp_path / "cedar.toml").answers
        )

        child = _spawn("-o", "cedar.toml", cwd=tmp_path)
        child.expect_exact("Ketamine Quick Screen 1.1.0, for Cedar")
        child.expect_exact("Continuing: 2 of 12 questions answered.")
        child.expect_exact("[3/12] Do they ask whether you have ever had psychosis or mania?")
        child.expect_exact("Answer (y, n, ?, s, b, q): ")
        child.sendline("y")
        child.expect_exact("[4/12] Do they ask about your alcohol and drug use")
        child.expect_exact("Answer (y, n, ?, s, b, q): ")
        child.sendline("q")
        child.expect_exact("Stopped. 3 of 12 questions answered, saved to cedar.toml.")
        child.expect(pexpect.EOF)
        child.close()
        assert 0 == child.exitstatus
        assert "yes" == response.read(tmp_path / "cedar.toml").answers["psychosis-mania-screen"]

    def test_typed_answers_are_not_echoed_twice(self, tmp_path: Path) -> None:
        """The terminal echoes what is typed; the interview does not repeat it."""
        child = _spawn("quick-screen", "-o", "r.toml", cwd=tmp_path)
        child.expect_exact("Provider's name: ")
        child.sendline("Birch")
        child.expect_exact("Answer (1-4, ?, s, b, q): ")
        child.sendline("1")
        child.expect_exact("Answer (y, n, ?, s, b, q): ")
        assert "1\r\n\r\n-- Medical screening" in child.before
        assert 1 == child.before.count("1\r\n")
        child.sendeof()
        child.expect_exact("The input ended. 1 of 12 questions answered, saved to r.toml.")
        child.expect(pexpect.EOF)
        child.close()
        assert 0 == child.exitstatus
        saved = response.read(tmp_path / "r.toml")
        assert ("Birch", {"intake-evaluation": "in-person"}) == (
            saved.provider.name,
            dict(saved.answers),
        )

    def test_to_the_end(self, tmp_path: Path) -> None:
        """Answering every question ends with the score summary and exit 0."""
        answers = ["1", "y", "y", "y", "y", "y", "1", "n", "y", "1", "y", "y", "1"]
        child = _spawn("quick-screen", "-o", "r.toml", "--provider", "Cedar", cwd=tmp_path)
        for answer in answers:
            child.expect_exact("Answer (")
            child.sendline(answer)
        child.expect_exact("That was the last question.")
        child.expect_exact("Cedar: 100.0% (strong)")
        child.expect_exact("Red flags: none")
        child.expect_exact("Care model: psychotherapy-integrated")
        child.expect_exact("Completeness: 100% (13 of 13 questions answered)")
        child.expect_exact("Saved to r.toml.")
        child.expect(pexpect.EOF)
        child.close()
        assert 0 == child.exitstatus


class TestPiped:
    """Answers piped into the real command: one per line, a readable transcript."""

    def test_piped_transcript(self, tmp_path: Path) -> None:
        """Each answer appears after its prompt, and the file holds them."""
        done = subprocess.run(
            [sys.executable, "-m", "ketacheck", "interview", "quick-screen", "-o", "r.toml"],
            input="Cedar\n2\nn\nq\n",
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert (0, "") == (done.returncode, done.stderr)
        assert [
            "Provider's name: Cedar",
            "Answer (1-4, ?, s, b, q): 2",
            "Answer (y, n, ?, s, b, q): n",
            "Answer (y, n, ?, s, b, q): q",
            "Stopped. 2 of 12 questions answered, saved to r.toml.",
        ] == [
            line
            for line in done.stdout.splitlines()
            if line.startswith(("Provider's", "Answer (", "Stopped"))
        ]
