"""Responses: one provider's answers to a checklist, filled in Python or read from TOML.

A :class:`Response` holds a :class:`Provider`, the answers (item id to answer) and notes, and
the checklist they answer. Every answer is validated against its item when it is set and when
a file is loaded; answers to items the checklist does not have are kept as *orphans* and
written back, never dropped. Files are read with :func:`loads` / :func:`load` / :func:`read`
and written with :func:`dumps` / :func:`dump` / :func:`save` (atomic)::

    r = Response.new(checklist, provider=Provider(name="Cedar Health"))
    r.answer("routes", ["iv"])
    r.save("cedar.toml")

Answers in Python: ``"yes"``/``"no"`` (or ``True``/``False``) for yes-no items, an option id
for choice items, a tuple of option ids for multi items, an int or float for number items, a
string for text items, and the reserved ``"unknown"`` for any item.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import os
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final

import attrs

from ketacheck import catalog
from ketacheck._display import NotebookDisplay
from ketacheck._words import finite, number, number_range
from ketacheck.conditions import UNKNOWN, Answer
from ketacheck.exceptions import (
    AnswerError,
    Problem,
    ResponseError,
    UnknownChecklistError,
    shorten,
)
from ketacheck.files import _toml
from ketacheck.files._atomic import digest, write_atomic
from ketacheck.files._convert import Invalid, converter, describe_value, key_path
from ketacheck.files.checklist import read_bytes, read_document, source_name, structure
from ketacheck.model import SCHEMA, Checklist, Item, ItemKind
from ketacheck.validate import _url_problem

__all__ = [
    "MAX_ORPHANS",
    "MAX_TEXT",
    "Provider",
    "ProviderKind",
    "Response",
    "accepts",
    "check_answer",
    "dump",
    "dumps",
    "load",
    "loads",
    "read",
    "save",
]


MAX_TEXT: Final = 10_000
"""Longest text answer, note or provider detail (name, website, location, interviewer), in
characters; orphan answers that are strings are held to it too."""
MAX_ORPHANS: Final = 1_000
"""Most answers, and most notes, a response may keep for items its checklist does not have."""


def _too_long(text: str) -> str | None:
    """The problem with *text* when it is longer than :data:`MAX_TEXT`, else None."""
    if len(text) > MAX_TEXT:
        return f"{len(text):,} characters; the limit is {MAX_TEXT:,}"
    return None


class ProviderKind(enum.StrEnum):
    """The kind of practice a provider runs."""

    INFUSION_CLINIC = "infusion-clinic"
    KAP_PRACTICE = "kap-practice"
    TELEHEALTH = "telehealth"
    ESKETAMINE_CLINIC = "esketamine-clinic"
    OTHER = "other"


def _check_length(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    problem = _too_long(value) if isinstance(value, str) else None
    if problem is not None:
        # Invalid carries the TOML path, so a file's problem names provider.<key>.
        raise Invalid([(f".{attribute.name}", problem)])


def _check_website(instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is None:
        return
    _check_length(instance, attribute, value)
    for problem in _url_problem("", value):
        raise Invalid([(".website", problem.message)])


@attrs.frozen(kw_only=True)
class Provider:
    """Who was interviewed: the practice, its kind, where it is and when you spoke to it."""

    name: str = attrs.field(validator=_check_length)
    kind: ProviderKind | None = None
    website: str | None = attrs.field(default=None, validator=_check_website)
    """An http or https link; other schemes are refused."""
    location: str | None = attrs.field(default=None, validator=_check_length)
    interviewed: dt.date | None = None
    interviewer: str | None = attrs.field(default=None, validator=_check_length)


_NO_PROVIDER: Final = Provider(name="")
"""The provider of a response made without one; it is not written to files."""


# -- answers ------------------------------------------------------------------------------


def accepts(item: Item) -> str:
    """What *item* accepts, in words: ``expected one of: yes, no (or "unknown")``."""
    kind = item.kind
    if kind is ItemKind.TEXT:
        return "expected a string"
    if kind is ItemKind.NUMBER:
        what = number_range(item)
    elif kind is ItemKind.MULTI:
        what = "a list of: " + ", ".join(item.option_ids)
    else:
        what = "one of: " + ", ".join(item.option_ids)
    return f'expected {what} (or "{UNKNOWN}")'


def _describe(value: object) -> str:
    if isinstance(value, tuple):
        return "an array"
    if value is None:
        return "None"
    return describe_value(value)


def _not_accepted(item: Item, problem: str) -> AnswerError:
    return AnswerError(item.id, f"{problem}; {accepts(item)}")


def check_answer(item: Item, value: object) -> Answer:  # noqa: C901, PLR0912 - a branch per kind
    """Return *value* as *item* stores it, or raise AnswerError saying what it accepts.

    Multi answers become tuples (in the order given); everything else is returned as is.
    Booleans are refused here: :meth:`Response.answer` turns them into ``"yes"``/``"no"``.
    """
    if isinstance(value, str) and value == UNKNOWN:
        return UNKNOWN
    kind = item.kind
    if kind is ItemKind.TEXT:
        if isinstance(value, str):
            problem = _too_long(value)
            if problem is not None:
                raise AnswerError(item.id, problem)
            return value
    elif kind is ItemKind.MULTI:
        if isinstance(value, list | tuple):
            ids = item.option_ids
            seen: set[str] = set()
            for v in value:
                if not isinstance(v, str):
                    raise _not_accepted(item, f"{_describe(v)} is not an option")
                if v == UNKNOWN:
                    raise _not_accepted(item, f'"{UNKNOWN}" is an answer on its own, not in a list')
                if v not in ids:
                    raise _not_accepted(item, f'"{v}" is not an option')
                if v in seen:
                    raise _not_accepted(item, f'"{v}" is listed more than once')
                seen.add(v)
            return tuple(value)
    elif kind is ItemKind.NUMBER:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, int) and not _toml.INT_MIN <= value <= _toml.INT_MAX:
                raise _not_accepted(item, "the whole number is too large (at most 64 bits)")
            if not finite(value):
                raise _not_accepted(item, f"{value} is not a finite number")
            if item.integer and not float(value).is_integer():
                raise _not_accepted(item, f"{number(value)} is not a whole number")
            if item.min is not None and value < item.min:
                raise _not_accepted(
                    item, f"{number(value)} is below the minimum {number(item.min)}"
                )
            if item.max is not None and value > item.max:
                raise _not_accepted(
                    item, f"{number(value)} is above the maximum {number(item.max)}"
                )
            return int(value) if item.integer else value  # 45.0 is the whole number 45
    elif isinstance(value, str):  # yes-no and choice
        if value in item.option_ids:
            return value
        raise _not_accepted(item, f'"{value}" is not an option')
    raise AnswerError(item.id, f"{accepts(item)}, got {_describe(value)}")


def did_you_mean(key: str, candidates: Sequence[str]) -> str:
    """`` (did you mean "x"?)`` for the candidate closest to *key*, or ``""``."""
    match = difflib.get_close_matches(key, candidates, n=1)
    return f' (did you mean "{match[0]}"?)' if match else ""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# -- the response -------------------------------------------------------------------------


class Response(NotebookDisplay):
    """One provider's answers to a checklist; mutable, validated on every change.

    Make one with :meth:`new` or read one with :func:`read`. ``answers``, ``notes``,
    ``orphans`` and ``orphan_notes`` are read-only views; change them with :meth:`answer`,
    :meth:`clear` and :meth:`set_note`, each of which moves ``updated`` to now.
    """

    __slots__ = (
        "_answers",
        "_notes",
        "_origin",
        "_orphan_notes",
        "_orphans",
        "checklist",
        "checklist_version",
        "created",
        "provider",
        "updated",
        "warnings",
    )
    __hash__ = None  # type: ignore[assignment] # mutable: compared by value, never hashed

    checklist: Checklist
    """The checklist the answers are validated against and scored with."""
    provider: Provider
    """The provider interviewed (a provider named ``""`` when none was given)."""
    created: dt.datetime | None
    """When the response was started."""
    updated: dt.datetime | None
    """When an answer or note last changed."""
    checklist_version: str | None
    """The checklist version the answers were last edited against (as recorded in the file)."""
    warnings: tuple[str, ...]
    """What loading noticed without refusing the file: another checklist version, renamed
    items, orphans. Each starts with the TOML path it is about."""

    def __init__(
        self,
        checklist: Checklist,
        provider: Provider | None = None,
        *,
        created: dt.datetime | None = None,
        updated: dt.datetime | None = None,
        checklist_version: str | None = None,
    ) -> None:
        """An empty response to *checklist*; prefer :meth:`new`, which also sets the times."""
        self.checklist = checklist
        self.provider = provider if provider is not None else _NO_PROVIDER
        self.created = created
        self.updated = updated
        self.checklist_version = checklist_version
        self.warnings = ()
        self._answers: dict[str, Answer] = {}
        self._notes: dict[str, str] = {}
        self._orphans: dict[str, Any] = {}
        self._orphan_notes: dict[str, str] = {}
        self._origin: tuple[str, str] | None = None
        """The absolute path this response was last read from or saved to, and the digest of
        that file's bytes: saving there again refuses to overwrite someone else's change."""

    @classmethod
    def new(cls, checklist: Checklist, provider: Provider | str | None = None) -> Response:
        """A new, empty response to *checklist*, created and updated now (UTC, whole seconds).

        *provider* may be a :class:`Provider` or just its name.
        """
        if isinstance(provider, str):
            provider = Provider(name=provider)
        now = _now()
        return cls(
            checklist, provider, created=now, updated=now, checklist_version=checklist.version
        )

    # -- views ---------------------------------------------------------------------------

    @property
    def answers(self) -> Mapping[str, Answer]:
        """Item id to answer, for items of the checklist (read-only)."""
        return types.MappingProxyType(self._answers)

    @property
    def notes(self) -> Mapping[str, str]:
        """Item id to note, for items of the checklist (read-only)."""
        return types.MappingProxyType(self._notes)

    @property
    def orphans(self) -> Mapping[str, Any]:
        """Answers to ids the checklist lacks, as read from the file (read-only, kept on save)."""
        return types.MappingProxyType(self._orphans)

    @property
    def orphan_notes(self) -> Mapping[str, str]:
        """Notes on ids the checklist lacks (read-only, kept on save)."""
        return types.MappingProxyType(self._orphan_notes)

    # -- changes -------------------------------------------------------------------------

    def _item(self, item_id: object) -> Item:
        if not isinstance(item_id, str) or not self.checklist.has_item(item_id):
            ids = [i.id for i in self.checklist.items]
            hint = did_you_mean(item_id, ids) if isinstance(item_id, str) else ""
            raise AnswerError(
                str(item_id), f'no such item in checklist "{self.checklist.id}"{hint}'
            )
        return self.checklist.item(item_id)

    def _touch(self) -> None:
        self.updated = _now()
        self.checklist_version = self.checklist.version

    def answer(self, item_id: str, value: object, note: str | None = None) -> None:
        """Set the answer to *item_id* (and its note, when given).

        Raises AnswerError naming the item and what it accepts when *value* does not fit.
        """
        item = self._item(item_id)
        if isinstance(value, bool) and item.kind is ItemKind.YES_NO:
            value = "yes" if value else "no"
        stored = check_answer(item, value)
        if note is not None:
            self._check_note(item_id, note)
        self._answers[item_id] = stored
        if note is not None:
            self._set_note(item_id, note)
        self._touch()

    def clear(self, item_id: str) -> None:
        """Remove the answer to *item_id*; also removes an orphan answer with that id."""
        if item_id in self._orphans:
            del self._orphans[item_id]
        else:
            self._item(item_id)
            if self._answers.pop(item_id, None) is None:
                return
        self._touch()

    def set_note(self, item_id: str, text: str | None) -> None:
        """Set the note on *item_id*; None (or ``""``) removes it."""
        if item_id not in self._orphans and item_id not in self._orphan_notes:
            self._item(item_id)
        if text is not None:
            self._check_note(item_id, text)
        self._set_note(item_id, text)
        self._touch()

    @staticmethod
    def _check_note(item_id: str, text: object) -> None:
        if not isinstance(text, str):
            raise AnswerError(item_id, f"a note must be a string, got {_describe(text)}")
        problem = _too_long(text)
        if problem is not None:
            raise AnswerError(item_id, f"the note is {problem}")

    def _set_note(self, item_id: str, text: str | None) -> None:
        notes = self._notes if self.checklist.has_item(item_id) else self._orphan_notes
        if text:
            notes[item_id] = text
        else:
            notes.pop(item_id, None)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the response to *path* atomically; see :func:`save`."""
        save(self, path)

    # -- comparison and display ----------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Equal when checklist, provider, times, answers, notes and orphans are equal."""
        if not isinstance(other, Response):
            return NotImplemented
        return (
            (self.checklist is other.checklist or self.checklist == other.checklist)
            and self.provider == other.provider
            and self.created == other.created
            and self.updated == other.updated
            and self.checklist_version == other.checklist_version
            and self._answers == other._answers
            and self._notes == other._notes
            and self._orphans == other._orphans
            and self._orphan_notes == other._orphan_notes
        )

    def __repr__(self) -> str:
        """A short summary: checklist, provider, how many answers and notes."""
        parts = [f"{len(self._answers)} of {len(self.checklist.items)} answered"]
        if self._notes:
            parts.append(f"{len(self._notes)} notes")
        if self._orphans:
            parts.append(f"{len(self._orphans)} orphans")
        return (
            f"<Response to {self.checklist.id} {self.checklist.version} for "
            f"{self.provider.name!r}: {', '.join(parts)}>"
        )


# -- reading ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Document:
    """The top level of a response file, as the strict converter checks it."""

    schema: int
    checklist: str
    checklist_version: str | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    provider: Provider | None = None
    answers: Mapping[str, Any] = attrs.Factory(dict)
    notes: Mapping[str, str] = attrs.Factory(dict)


def _resolve_checklist(doc: Mapping[str, Any], problems: list[Problem]) -> Checklist | None:
    name = doc.get("checklist")
    if not isinstance(name, str):
        return None  # the converter reports it
    try:
        return catalog.load(name)
    except UnknownChecklistError:
        bundled = ", ".join(catalog.names())
        problems.append(
            Problem(
                "checklist",
                f'no bundled checklist "{name}" (bundled: {bundled}); '
                "give the checklist explicitly (--checklist)",
            )
        )
        return None


class _Reader:
    """Sorts a file's answers and notes into a response: valid, renamed, orphaned."""

    def __init__(self, checklist: Checklist, response: Response) -> None:
        self.checklist = checklist
        self.response = response
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.ids = [i.id for i in checklist.items]

    def _orphan_warning(self, path: str, key: str, what: str) -> None:
        if len(self.warnings) >= MAX_ORPHANS * 2:
            return  # past the limit loading fails anyway: no hints (difflib) for thousands
        c = self.checklist
        self.warnings.append(
            f'{path}: {c.id} {c.version} has no item "{key}"{did_you_mean(key, self.ids)}; '
            f"the {what} is kept but not scored"
        )

    def answers(self, raw: Mapping[str, Any]) -> None:
        c = self.checklist
        renamed = c.renamed or {}
        answers = self.response._answers  # noqa: SLF001 - the reader fills its own response
        orphans = self.response._orphans  # noqa: SLF001
        moved: list[tuple[str, str, Any]] = []
        for key, value in raw.items():
            path = "answers" + key_path(key)
            if c.has_item(key):
                try:
                    answers[key] = check_answer(c.item(key), value)
                except AnswerError as e:
                    self.problems.append(Problem(path, e.message))
            elif key in renamed:
                moved.append((key, renamed[key], value))
            elif isinstance(value, str) and _too_long(value):
                self.problems.append(Problem(path, str(_too_long(value))))
            else:
                orphans[key] = value
                self._orphan_warning(path, key, "answer")
        for old, new, value in moved:
            path = "answers" + key_path(old)
            if new in answers or new in raw:
                orphans[old] = value
                self.warnings.append(
                    f'{path}: renamed to "{new}", which has its own answer; '
                    "the old answer is kept but not scored"
                )
                continue
            try:
                answers[new] = check_answer(c.item(new), value)
            except AnswerError as e:
                orphans[old] = value
                reason = e.message
                self.warnings.append(
                    f'{path}: renamed to "{new}", but the answer does not fit it ({reason}); '
                    "it is kept but not scored"
                )
            else:
                self.warnings.append(f'{path}: renamed to "{new}"; the answer counts for "{new}"')

    def count_orphans(self) -> None:
        """A problem for each kind of orphan (answers, notes) past :data:`MAX_ORPHANS`."""
        response = self.response
        for key, kept, what in (
            ("answers", response._orphans, "answers"),  # noqa: SLF001
            ("notes", response._orphan_notes, "notes"),  # noqa: SLF001
        ):
            if len(kept) > MAX_ORPHANS:
                self.problems.append(
                    Problem(
                        key,
                        f"{len(kept):,} {what} to items the checklist does not have; "
                        f"the limit is {MAX_ORPHANS:,}",
                    )
                )

    def notes(self, raw: Mapping[str, Any]) -> None:
        c = self.checklist
        renamed = c.renamed or {}
        notes = self.response._notes  # noqa: SLF001 - the reader fills its own response
        orphan_notes = self.response._orphan_notes  # noqa: SLF001
        for key, text in raw.items():
            if not isinstance(text, str):
                continue  # the converter reports it
            problem = _too_long(text)
            if problem is not None:
                self.problems.append(Problem("notes" + key_path(key), problem))
                continue
            if c.has_item(key):
                notes[key] = text
            elif key in renamed and renamed[key] not in raw and renamed[key] not in notes:
                notes[renamed[key]] = text
                self.warnings.append(
                    f'notes{key_path(key)}: renamed to "{renamed[key]}"; '
                    f'the note belongs to "{renamed[key]}"'
                )
            else:
                orphan_notes[key] = text
                if key not in self.response._orphans:  # noqa: SLF001
                    self._orphan_warning("notes" + key_path(key), key, "note")


def loads(
    text: str, /, *, checklist: Checklist | None = None, source: str = "<string>"
) -> Response:
    """Load a response from TOML *text*, validating every answer against its checklist.

    The checklist is *checklist* when given, else the bundled checklist the file's
    ``checklist`` key names. Raises ResponseError listing every problem with its TOML path and
    line; what is only worth a warning ends up in :attr:`Response.warnings`.
    """
    doc = read_document(text, source, ResponseError)
    problems: list[Problem] = []
    parsed: _Document | None = None
    try:
        parsed = structure(doc, _Document, text, source, ResponseError)
    except ResponseError as e:
        problems.extend(e.problems)
    target = checklist if checklist is not None else _resolve_checklist(doc, problems)
    if target is None:
        raise ResponseError(source, _toml.locate(problems, text))

    response = Response(target)
    reader = _Reader(target, response)
    named = doc.get("checklist")
    if isinstance(named, str) and named != target.id:
        reader.warnings.append(
            f'checklist: the file answers "{named}" but is read with "{target.id}"'
        )
    version = doc.get("checklist-version")
    if isinstance(version, str) and version != target.version:
        reader.warnings.append(
            f"checklist-version: the answers were recorded against version {version}; "
            f"the checklist is version {target.version}"
        )
    if isinstance(doc.get("answers"), dict):
        reader.answers(doc["answers"])
    if isinstance(doc.get("notes"), dict):
        reader.notes(doc["notes"])
    reader.count_orphans()
    problems.extend(reader.problems)
    if problems or parsed is None:
        raise ResponseError(source, _toml.locate(problems, text))

    response.provider = parsed.provider if parsed.provider is not None else _NO_PROVIDER
    response.created = parsed.created
    response.updated = parsed.updated
    response.checklist_version = parsed.checklist_version
    response.warnings = tuple(shorten(w) for w in reader.warnings)
    return response


def load(
    fp: IO[bytes], /, *, checklist: Checklist | None = None, source: str | None = None
) -> Response:
    """Load a response from a binary file object (like :func:`tomllib.load`)."""
    name = source or source_name(fp)
    return _from_bytes(read_bytes(fp, name), name, checklist)


def _from_bytes(data: bytes, name: str, checklist: Checklist | None) -> Response:
    try:
        text = _toml.decode(data, name)
    except _toml.TextError as e:
        raise ResponseError(name, [e.problem]) from None
    return loads(text, checklist=checklist, source=name)


def read(path: str | os.PathLike[str], /, *, checklist: Checklist | None = None) -> Response:
    """Load the response file at *path*; problems name the path.

    The response remembers the file: :func:`save` to the same path later raises
    FileChangedError rather than overwrite changes someone else made in the meantime.
    """
    name = os.fspath(path)
    with Path(path).open("rb") as fp:
        data = read_bytes(fp, name)
    loaded = _from_bytes(data, name, checklist)
    loaded._origin = (_absolute(name), digest(data))  # noqa: SLF001 - kept by this module
    return loaded


# -- writing ------------------------------------------------------------------------------


def _absolute(name: str) -> str:
    return str(Path(name).absolute())


def _ordered(
    checklist: Checklist, values: Mapping[str, Any], extra: Mapping[str, Any]
) -> dict[str, Any]:
    out = {item.id: values[item.id] for item in checklist.items if item.id in values}
    out.update(extra)
    return out


def _document(response: Response) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema": SCHEMA, "checklist": response.checklist.id}
    optional = {
        "checklist-version": response.checklist_version,
        "created": response.created,
        "updated": response.updated,
    }
    doc.update((k, v) for k, v in optional.items() if v is not None)
    if response.provider != _NO_PROVIDER:
        doc["provider"] = converter.unstructure(response.provider)
    answers = _ordered(response.checklist, response.answers, response.orphans)
    doc["answers"] = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
    notes = _ordered(response.checklist, response.notes, response.orphan_notes)
    if notes:
        doc["notes"] = notes
    return doc


def dumps(response: Response, /) -> str:
    """The response as TOML text: answers in checklist order, orphans after them.

    ``loads(dumps(r), checklist=r.checklist) == r``.
    """
    return _toml.write_document(_document(response), {})


def dump(response: Response, fp: IO[bytes], /) -> None:
    """Write the response as UTF-8 TOML to a binary file object."""
    fp.write(dumps(response).encode("utf-8"))


def save(
    response: Response, path: str | os.PathLike[str], /, *, expected: str | None = None
) -> str:
    """Write the response to *path* atomically, after checking that the text loads back.

    When it would not (an answer that does not fit its item, say), ResponseError is raised
    and the file is not touched; a crash while writing leaves the previous file whole. When
    *path* is the file the response was read from or last saved to, and that file has changed
    on disk since, FileChangedError is raised and nothing is written. *expected* (the
    fingerprint of what the caller knows to be on disk, ``""`` for no file) overrides that
    check. Returns the fingerprint of what was written.
    """
    name = os.fspath(path)
    text = dumps(response)
    loads(text, checklist=response.checklist, source=name)
    where = _absolute(name)
    if expected is None:
        origin = response._origin  # noqa: SLF001 - kept by this module
        expected = origin[1] if origin is not None and origin[0] == where else None
    written = write_atomic(path, text, expected=expected)
    response._origin = (where, written)  # noqa: SLF001
    return written
