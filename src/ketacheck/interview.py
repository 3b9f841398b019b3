"""The terminal interview: a checklist's questions one by one, saved after every answer.

``ketacheck interview`` is a thin shell around :func:`start`. :class:`Interview` reads lines
from one text stream and writes to another, so it behaves the same in a terminal, with answers
piped in (one answer per line) and in tests.

Shortcuts, on every question: ``y``, ``n`` and ``?`` for yes, no and unknown; numbers for
options (several, separated by spaces or commas, for items that take several; ``0`` for none
of them); ``s`` skips, ``b`` goes back, ``q`` quits; an empty line keeps the current answer;
``ANSWER # NOTE`` also records a note. Ctrl-C and the end of input stop the interview like
``q``: everything answered so far is already saved.
"""

from __future__ import annotations

import contextlib
import enum
import errno
import math
import os
import re
import shlex
import signal
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Final, TextIO

from ketacheck import _autosave, catalog, scoring
from ketacheck._words import finite, number, number_range
from ketacheck.conditions import UNKNOWN, Answer
from ketacheck.exceptions import AnswerError
from ketacheck.model import Item, ItemKind
from ketacheck.response import MAX_TEXT, Provider, Response
from ketacheck.scoring._explain import verdict_note

__all__ = ["EXIT_INTERRUPTED", "Interview", "Outcome", "parse_answer", "start"]

EXIT_INTERRUPTED: Final = 130
"""The exit status after Ctrl-C (128 + SIGINT, as shells report it)."""

_SKIP: Final = frozenset({"s", "skip"})
_BACK: Final = frozenset({"b", "back"})
_QUIT: Final = frozenset({"q", "quit"})
_UNKNOWN: Final = frozenset({"?", UNKNOWN})
_YES_NO: Final = {"y": "yes", "yes": "yes", "n": "no", "no": "no"}
_INT: Final = re.compile(r"[+-]?[0-9]+")
_INDENT: Final = "  "


class Outcome(enum.StrEnum):
    """How an interview ended."""

    FINISHED = "finished"
    """Every applicable question without an answer was asked."""
    QUIT = "quit"
    """The person typed ``q``."""
    CLOSED = "closed"
    """The input ended (end of file, or Ctrl-D in a terminal)."""
    INTERRUPTED = "interrupted"
    """Ctrl-C."""

    @property
    def exit_status(self) -> int:
        """0, except :data:`EXIT_INTERRUPTED` after Ctrl-C."""
        return EXIT_INTERRUPTED if self is Outcome.INTERRUPTED else 0


# -- parsing ------------------------------------------------------------------------------


def _range(item: Item) -> str:
    if item.min is not None and item.max is not None:
        return f"{number(item.min)}-{number(item.max)}"
    if item.min is not None:
        return f">= {number(item.min)}"
    if item.max is not None:
        return f"<= {number(item.max)}"
    return "a number"


def _accepts(item: Item) -> str:
    """What an item accepts, as advice on what to type."""
    kind = item.kind
    if kind is ItemKind.YES_NO:
        return "Type y (yes), n (no) or ? (unknown)."
    n = len(item.option_ids)
    if kind is ItemKind.CHOICE:
        return f"Type a number from 1 to {n}, or ? (unknown)."
    if kind is ItemKind.MULTI:
        return (
            f"Type one or more numbers from 1 to {n}, separated by spaces or commas; "
            "0 for none of them; or ? (unknown)."
        )
    if kind is ItemKind.NUMBER:
        what = number_range(item)
        unit = f" ({item.unit})" if item.unit else ""
        return f"Type {what}{unit}, or ? (unknown)."
    return "Type the answer on one line, or ? (unknown)."


def _bad(item: Item, problem: str) -> AnswerError:
    return AnswerError(item.id, f"{problem} {_accepts(item)}")


def _option(item: Item, token: str) -> str | None:
    ids = item.option_ids
    # An option number has at most 3 digits (100 options); longer runs are not converted.
    if _INT.fullmatch(token) and len(token) <= 4 and 1 <= int(token) <= len(ids):
        return ids[int(token) - 1]
    return token if token in ids else None


def _number(item: Item, text: str) -> float:
    try:
        value: float = int(text) if _INT.fullmatch(text) else float(text)
    except ValueError:
        value = math.nan
    if not finite(value):
        raise _bad(item, f'"{text}" is not a number.')
    if item.min is not None and value < item.min:
        raise _bad(item, f"{number(value)} is below the minimum, {number(item.min)}.")
    if item.max is not None and value > item.max:
        raise _bad(item, f"{number(value)} is above the maximum, {number(item.max)}.")
    return value


def parse_answer(item: Item, text: str) -> Answer:
    """One typed line as an answer to *item*, or AnswerError saying what to type instead.

    ``?`` (or ``unknown``) is unknown for every kind; ``y``/``n`` (or ``yes``/``no``) answer
    yes-no items; options are chosen by number (from 1) or id; multi items take several,
    separated by spaces or commas, or ``0`` for none of them; numbers must be within the
    item's bounds; text items take the line as it is. The skip, back and quit shortcuts are
    not answers: :class:`Interview` handles them before calling this.
    """
    line = text.strip()
    if not line:
        raise _bad(item, "No answer yet.")
    if line.lower() in _UNKNOWN:
        return UNKNOWN
    kind = item.kind
    if kind is ItemKind.TEXT:
        return line
    if kind is ItemKind.NUMBER:
        return _number(item, line)
    if kind is ItemKind.YES_NO:
        value = _YES_NO.get(line.lower())
    elif kind is ItemKind.CHOICE:
        value = _option(item, line.lower())
    else:
        tokens = [t for t in re.split(r"[\s,]+", line.lower()) if t]
        if tokens == ["0"]:
            return ()
        if "0" in tokens:
            raise _bad(item, "0 (none of them) goes on its own.")
        chosen = set()
        for token in tokens:
            option = _option(item, token)
            if option is None:
                raise _bad(item, f'"{token}" is not an option.')
            chosen.add(option)
        return tuple(i for i in item.option_ids if i in chosen)
    if value is None:
        raise _bad(item, f'"{line}" is not an answer.')
    return value


def _shown(item: Item, answer: Answer) -> str:
    """An answer as the interview shows it, with the number to type for it."""
    if answer == UNKNOWN:
        return "? (unknown)"
    kind = item.kind
    if kind is ItemKind.NUMBER:
        return f"{number(answer)} {item.unit or ''}".rstrip()  # type: ignore[arg-type]
    if kind is ItemKind.TEXT:
        return f'"{answer}"'
    if kind is ItemKind.YES_NO:
        return str(answer)
    chosen = answer if isinstance(answer, tuple) else (answer,)
    if not chosen:
        return "0 (none of them)"
    numbers = " ".join(str(item.option_ids.index(a) + 1) for a in chosen)
    labels = "; ".join(o.label for o in item.options or () if o.id in chosen)
    return f"{numbers} ({labels})"


def _choices(item: Item) -> str:
    """The short list of what may be typed, for the answer prompt."""
    kind = item.kind
    n = len(item.option_ids)
    if kind is ItemKind.YES_NO:
        what = "y, n"
    elif kind is ItemKind.CHOICE:
        what = f"1-{n}"
    elif kind is ItemKind.MULTI:
        what = f"one or more of 1-{n}, 0"
    elif kind is ItemKind.NUMBER:
        what = ", ".join(p for p in (item.unit, _range(item)) if p)
    else:
        what = "text"
    return f"{what}, ?, s, b, q"


# -- Ctrl-C during a save -------------------------------------------------------------------


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, so that a save is never cut short (main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


# -- the interview ------------------------------------------------------------------------


class _Action(enum.Enum):
    NEXT = enum.auto()
    BACK = enum.auto()
    QUIT = enum.auto()
    CLOSED = enum.auto()


class Interview:
    """Asks a response's applicable questions in checklist order over two text streams.

    It starts at the first applicable question without an answer and moves on to the next
    one without an answer; ``b`` steps back through every applicable question, answered or
    not. *save* is called with the response after every change (see :func:`start`, which
    saves to a file atomically). With *echo* (the default when *stdin* is not a terminal)
    each line read is written back after its prompt, so a transcript of piped answers reads
    like a terminal session.
    """

    def __init__(  # noqa: PLR0913 - every option is a keyword with a sensible default
        self,
        filled: Response,
        *,
        stdin: TextIO,
        stdout: TextIO,
        save: Callable[[Response], object] | None = None,
        where: str | None = None,
        resume: str | None = None,
        ask_provider: bool = False,
        profile: scoring.ProfileSpec = None,
        echo: bool | None = None,
        width: int = 80,
    ) -> None:
        """Interview into *filled*.

        Args:
            filled: the response to fill; it is changed in place.
            stdin: where answers are read, one per line.
            stdout: where questions and messages are written.
            save: called with the response after every change.
            where: the file the answers are saved to, for messages.
            resume: the command that continues the interview, shown when it stops early.
            ask_provider: ask the provider's name before the first question.
            profile: the profile the final score uses.
            echo: write each line read back (default: when *stdin* is not a terminal).
            width: the line width text is wrapped to.
        """
        self.response = filled
        self.stdin = stdin
        self.stdout = stdout
        self._save = save
        self.where = where
        self.resume = resume
        self.ask_provider = ask_provider
        self.profile = profile
        self.echo = not stdin.isatty() if echo is None else echo
        self.width = max(40, width)
        self._saved = not ask_provider

    # -- output ---------------------------------------------------------------------------

    def _line(self, text: str = "", indent: str = "", hang: int = 2, *, wrap: bool = True) -> None:
        """Write *text* wrapped to the width; continuation lines *hang* further in.

        Lines that name files or commands are not wrapped (*wrap* false), so they can be
        copied whole.
        """
        if not wrap:
            text = indent + text
        elif text:
            text = textwrap.fill(
                text,
                self.width,
                initial_indent=indent,
                subsequent_indent=indent + " " * hang,
                break_on_hyphens=False,
            )
        self.stdout.write(text + "\n")

    def _readline(self, prompt: str) -> str | None:
        """Show *prompt* and read one line; None when the input has ended."""
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            return None
        line = line.rstrip("\r\n")
        if self.echo:
            self.stdout.write(line + "\n")
        return line

    @contextlib.contextmanager
    def _storing(self) -> Iterator[None]:
        """Change the response in the block, then save: one step that Ctrl-C cannot split."""
        with _interrupts_held():
            yield
            if self._save is not None:
                self._save(self.response)
            self._saved = True

    # -- running --------------------------------------------------------------------------

    def run(self) -> Outcome:
        """Ask the questions; return how it ended. Ctrl-C is caught and reported."""
        try:
            return self._run()
        except KeyboardInterrupt:
            self.stdout.write("\n")
            self._stopped("Interrupted.")
            return Outcome.INTERRUPTED

    def _run(self) -> Outcome:
        self._header()
        if self.ask_provider:
            action = self._ask_provider()
            if action is not _Action.NEXT:
                return self._stop(action)
        items = self._applicable()
        pos = self._next_unanswered(items, -1)
        section = None
        while pos is not None:
            item = items[pos]
            current = self.response.checklist.section_of(item.id)
            if current is not section:
                section = current
                self._line()
                self._line(f"-- {section.title} --")
            self._question(item, pos + 1, len(items))
            action = self._answer(item, first=pos == 0)
            if action in (_Action.QUIT, _Action.CLOSED):
                return self._stop(action)
            items = self._applicable()
            pos = [i.id for i in items].index(item.id)
            pos = pos - 1 if action is _Action.BACK else self._next_unanswered(items, pos)
        self._summary()
        return Outcome.FINISHED

    def _applicable(self) -> tuple[Item, ...]:
        return scoring.applicable(self.response.checklist, self.response.answers)

    def _next_unanswered(self, items: Sequence[Item], after: int) -> int | None:
        answers = self.response.answers
        for pos in range(after + 1, len(items)):
            if items[pos].id not in answers:
                return pos
        return None

    def _counts(self) -> tuple[int, int]:
        items = self._applicable()
        answers = self.response.answers
        return sum(1 for i in items if i.id in answers), len(items)

    def _header(self) -> None:
        c = self.response.checklist
        name = self.response.provider.name
        self._line(f"{c.title} {c.version}" + (f", for {name}" if name else ""))
        if self.where:
            self._line(f"Answers are saved to {self.where} after each question.", wrap=False)
        self._line(
            "Shortcuts: y yes, n no, ? unknown, numbers for options, s skip, b back, q quit."
        )
        answered, total = self._counts()
        if answered:
            self._line(f"Continuing: {answered} of {total} questions answered.")

    def _ask_provider(self) -> _Action:
        while True:
            line = self._readline("Provider's name: ")
            if line is None:
                return _Action.CLOSED
            name = line.strip()
            if name.lower() in _QUIT:
                return _Action.QUIT
            if len(name) > MAX_TEXT:
                self._line(
                    f"The name is {len(name):,} characters; the limit is {MAX_TEXT:,}.", _INDENT
                )
                continue
            if name:
                with self._storing():
                    self.response.provider = Provider(name=name)
                return _Action.NEXT
            self._line("Type the name of the practice or clinician, or q to quit.", _INDENT)

    def _question(self, item: Item, number: int, total: int) -> None:
        self._line()
        tag = f"[{number}/{total}] "
        self.stdout.write(
            textwrap.fill(
                item.prompt,
                self.width,
                initial_indent=tag,
                subsequent_indent=" " * len(tag),
                break_on_hyphens=False,
            )
            + "\n"
        )
        if item.why:
            self._line(f"Why: {item.why}", _INDENT, hang=5)
        for n, option in enumerate(item.options or (), start=1):
            self._line(f"{n}  {option.label}", _INDENT, hang=len(str(n)) + 2)
        if item.kind is ItemKind.MULTI:
            self._line("0  none of them", _INDENT)
        if item.kind in (ItemKind.CHOICE, ItemKind.MULTI):
            self._line("?  unknown", _INDENT)
        answer = self.response.answers.get(item.id)
        if answer is not None:
            self._line(f"Now: {_shown(item, answer)}; press Enter to keep it.", _INDENT)

    def _answer(self, item: Item, *, first: bool) -> _Action:
        prompt = f"Answer ({_choices(item)}): "
        while True:
            line = self._readline(prompt)
            if line is None:
                return _Action.CLOSED
            text, note = line, None
            if item.kind is not ItemKind.TEXT:
                text, _, rest = line.partition("#")
                note = rest.strip() or None
            word = text.strip().lower()
            if word in _QUIT:
                return _Action.QUIT
            if word in _SKIP:
                return _Action.NEXT
            if word in _BACK:
                if not first:
                    return _Action.BACK
                self._line("This is the first question.", _INDENT)
                continue
            try:  # answer() and set_note() refuse before they change anything
                if not word and item.id in self.response.answers:
                    if note is not None:
                        with self._storing():
                            self.response.set_note(item.id, note)
                    return _Action.NEXT
                value = parse_answer(item, text)
                with self._storing():
                    self.response.answer(item.id, value, note=note)
            except AnswerError as e:
                self._line(str(e).removeprefix(f"{e.item}: "), _INDENT)
                continue
            return _Action.NEXT

    # -- endings --------------------------------------------------------------------------

    def _stop(self, action: _Action) -> Outcome:
        if action is _Action.QUIT:
            self._stopped("Stopped.")
            return Outcome.QUIT
        self._stopped("The input ended.")
        return Outcome.CLOSED

    def _stopped(self, why: str) -> None:
        if not self._saved:
            self._line(f"{why} Nothing was saved.")
            return
        answered, total = self._counts()
        where = f", saved to {self.where}" if self.where else ""
        self._line(f"{why} {answered} of {total} questions answered{where}.", wrap=False)
        if self.resume:
            self._line(f"To continue: {self.resume}", wrap=False)

    def _summary(self) -> None:
        s = scoring.score(self.response, self.profile)
        self._line()
        self._line("That was the last question.")
        percent = "n/a (nothing scored)" if s.percent is None else f"{s.percent:.1f}%"
        band = f" ({s.band})" if s.band else ""
        name = self.response.provider.name
        self._line(f"{name + ': ' if name else ''}{percent}{band}")
        note = verdict_note(s)
        if note:
            self._line(note)
        if not s.red_flags:
            self._line("Red flags: none")
        for title, flags in (("Red flags", s.red_flags), ("Cautions", s.cautions)):
            if flags:
                self._line(f"{title} ({len(flags)}):")
            for flag in flags:
                item = self.response.checklist.item(flag.item)
                answer = _shown(item, flag.answer)
                self._line(f"- {flag.reason} ({flag.item}: {answer})", _INDENT)
        self._line(f"Care model: {s.care_model}")
        answered, total = self._counts()
        self._line(
            f"Completeness: {100 * (s.completeness or 0):.0f}% "
            f"({answered} of {total} questions answered)"
        )
        if self.where:
            self._line(f"Saved to {self.where}.", wrap=False)
        if answered < total and self.resume:
            self._line(f"To answer the skipped questions: {self.resume}", wrap=False)


# -- the whole command ----------------------------------------------------------------------


def _resume_command(path: str, spec: str | os.PathLike[str] | None, checklist_id: str) -> str:
    words = ["ketacheck", "interview"]
    if spec is not None and os.fspath(spec) != checklist_id:
        words.append(os.fspath(spec))
    return shlex.join([*words, "-o", path])


def start(  # noqa: PLR0913 - the command's options, each a keyword
    path: str | os.PathLike[str],
    checklist: str | os.PathLike[str] | None = None,
    *,
    provider: str | None = None,
    profile: scoring.ProfileSpec = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    width: int = 80,
) -> Outcome:
    """Interview into the response file at *path*, as ``ketacheck interview`` does.

    An existing response is continued at its first unanswered applicable question, with the
    checklist it names unless *checklist* (a bundled id or a path) is given. A new file
    answers *checklist* (default: the bundled default); without *provider* the provider's
    name is asked first. The file is saved atomically after every answer.

    Raises FileExistsError for a file that is not a response (a checklist, a file that is not
    TOML), which is never overwritten, or that holds another provider's answers;
    ResponseError for a response with problems; FileChangedError when someone else changes
    the file during the interview.
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    target = os.fspath(path)
    chosen = catalog.resolve(checklist) if checklist is not None else None
    existing, saver = _autosave.open_file(target, chosen)
    if existing is None:
        filled = Response.new(chosen or catalog.resolve(None), provider=provider)
    else:
        old = existing.provider.name
        if provider is not None and provider != old:
            raise FileExistsError(
                errno.EEXIST,
                f'holds the answers for "{old}", not "{provider}"; to continue it, leave out '
                "the provider; otherwise choose another file",
                target,
            )
        filled = existing
    if profile is not None:
        scoring.score(filled, profile)  # an unknown profile is an error before any question
    if existing is None and provider is not None:
        saver.save(filled)
    for warning in filled.warnings:
        stdout.write(f"Note: {warning}\n")
    return Interview(
        filled,
        stdin=stdin,
        stdout=stdout,
        save=saver.save,
        where=target,
        resume=_resume_command(target, checklist, filled.checklist.id),
        ask_provider=existing is None and provider is None,
        profile=profile,
        width=width,
    ).run()
