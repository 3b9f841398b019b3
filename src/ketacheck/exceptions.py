"""Exceptions raised by ketacheck.

Every error the library raises on purpose is a :class:`KetacheckError`. Errors about data
(checklists, responses, answers) also subclass :class:`ValueError` and carry the data that
explains them: the source they came from and a tuple of :class:`Problem`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

__all__ = [
    "AnswerError",
    "ChecklistError",
    "DataError",
    "FhirError",
    "FileChangedError",
    "KetacheckError",
    "LimitError",
    "MissingDependencyError",
    "Problem",
    "ResponseError",
    "TemplateError",
    "UnknownChecklistError",
    "UnknownProfileError",
]


MAX_SHOWN: Final = 20
"""Most problems an error's message lists; every one stays in its ``problems``."""
MAX_SHOWN_CHARS: Final = 400
"""Longest path, message or warning shown whole; a longer one keeps its first 300 and last 80
characters, so a huge value from a file is never printed whole."""

_CONTROLS: Final = [*range(0x20), 0x7F, *range(0x80, 0xA0)]
_BIDI: Final = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
VISIBLE: Final = {
    **{code: f"\\x{code:02x}" for code in _CONTROLS if code not in (0x09, 0x0A)},
    **{code: f"\\u{code:04x}" for code in _BIDI},
}
r"""A :meth:`str.translate` table that writes control characters (but tab and line feed) as
``\x1b`` and bidirectional controls as ``\u202e``: text from a file can never send a terminal
an escape sequence, nor reorder what a message shows."""


def visible(text: str) -> str:
    r"""*text* with its control characters (but tab and line feed) written as ``\xNN``."""
    return text.translate(VISIBLE)


def shorten(text: str) -> str:
    """*text* made :func:`visible`, and cut to its start and end when it is too long.

    A cut text reads ``start ... (N characters left out) ... end``.
    """
    text = visible(text)
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    head, tail = 300, 80
    left_out = len(text) - head - tail
    return f"{text[:head]} ... ({left_out:,} characters left out) ... {text[-tail:]}"


@attrs.frozen
class Problem:
    """One thing wrong with a file: where it is (TOML path, line) and what is wrong."""

    path: str
    """The TOML path of the offending value, e.g. ``sections[1].items[4].weight``; ``""`` for
    the whole document."""
    message: str
    """What is wrong, in one sentence without a trailing full stop."""
    line: int | None = None
    """1-based line in the source text, where known."""
    column: int | None = None
    """1-based column in the source text, where known."""

    def __str__(self) -> str:
        """Render as ``path (line N): message``; huge paths and messages are shortened."""
        where = shorten(self.path) or "document"
        if self.line is not None:
            where += f" (line {self.line}" + (
                f", column {self.column})" if self.column is not None else ")"
            )
        return f"{where}: {shorten(self.message)}"


class KetacheckError(Exception):
    """Base class of every error ketacheck raises on purpose."""


class DataError(KetacheckError, ValueError):
    """Problems found in data read from a source (a file or a bundled name).

    The base class of :class:`ChecklistError`, :class:`ResponseError`, :class:`FhirError` and
    :class:`LimitError`: catch it to handle any of them; each carries ``.source`` and
    ``.problems``.
    """

    kind = "data"

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        """Record where the data came from and every problem found in it."""
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        lines = [f"{self.source}: {len(self.problems)} problems"]
        lines.extend(f"  {p}" for p in self.problems[:MAX_SHOWN])
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"  ... and {len(self.problems) - MAX_SHOWN} more (all in .problems)")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the source and problems."""
        return (type(self), (self.source, self.problems))


class ChecklistError(DataError):
    """A checklist file or object breaks the format's rules."""


class ResponseError(DataError):
    """A response file or object breaks the format's rules or does not fit its checklist."""


class FhirError(DataError):
    """A FHIR resource is not valid JSON, not a Questionnaire, or holds what cannot be imported."""


class LimitError(DataError):
    """Input exceeds one of ketacheck's size limits (file size, depth, length, count)."""


class AnswerError(KetacheckError, ValueError):
    """An answer does not fit its item; the message names the item and what it accepts."""

    def __init__(self, item: str, message: str) -> None:
        """Record the item id and say what is wrong with its answer."""
        self.item = item
        self.message = message
        """What is wrong, without the item id, never shortened."""
        super().__init__(shorten(f"{item}: {message}"))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the item and message."""
        return (type(self), (self.item, self.message))


class UnknownChecklistError(KetacheckError, LookupError):
    """No bundled checklist has the requested id."""


class UnknownProfileError(KetacheckError, LookupError):
    """The checklist has no profile with the requested id."""


class MissingDependencyError(KetacheckError, ImportError):
    """An optional library that a feature needs is not installed; the message says which."""


class FileChangedError(KetacheckError, OSError):
    """A file changed on disk after it was read, so saving over it was refused."""


class TemplateError(KetacheckError):
    """A user template could not be loaded or rendered."""
