"""Saving a response after every change: shared by the notebook form and the terminal interview.

Both continue a response file that exists, refuse to replace a file that is not a response
(a checklist, a file that is not TOML), and save atomically after every change. A save that
finds the file changed on disk by someone else since it was read or last written is refused
with :class:`~ketacheck.exceptions.FileChangedError` rather than silently overwriting their
answers.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

from ketacheck import response
from ketacheck.files._atomic import digest
from ketacheck.files._toml import MAX_FILE_BYTES, read_limited, sniff
from ketacheck.model import Checklist

__all__ = ["AutoSave", "open_file", "refusal"]


def refusal(path: Path) -> str | None:
    """Why the file at *path* must not be replaced by a response, or None when it may.

    A missing or empty file may be written; so may a file that looks like a response (it is
    validated when it is read). Anything else is refused.
    """
    if path.is_dir():
        return "is a folder, not a file"
    try:
        data = read_limited(path)
    except FileNotFoundError:
        return None
    if not data.strip():
        return None
    if len(data) > MAX_FILE_BYTES:
        return "is larger than 5 MiB, so not a response; refusing to overwrite it"
    doc = sniff(data)
    if doc is None:
        return "is not a TOML file, so not a response; refusing to overwrite it"
    if "sections" in doc:
        return "is a checklist, not a response; refusing to overwrite it"
    if "checklist" not in doc:
        return "is not a response (it has no checklist key); refusing to overwrite it"
    return None


class AutoSave:
    """Writes one response file atomically, refusing when someone else changed it meanwhile."""

    def __init__(self, path: str | os.PathLike[str], expected: str) -> None:
        """Save to *path*; *expected* is the digest of what it holds now (``""``: no file)."""
        self.path = Path(path)
        self.expected = expected

    def save(self, filled: response.Response) -> None:
        """Write *filled* with :func:`ketacheck.response.save`, expecting what was last seen."""
        self.expected = response.save(filled, self.path, expected=self.expected)


def open_file(
    path: str | os.PathLike[str], checklist: Checklist | None = None
) -> tuple[response.Response | None, AutoSave]:
    """Read the response at *path* (None when there is none yet) and a saver for it.

    *checklist* overrides the checklist the file names. Raises FileExistsError (with the
    reason) for a file that must not be replaced, ResponseError for a response with problems.
    """
    target = Path(path)
    reason = refusal(target)
    if reason is not None:
        raise FileExistsError(errno.EEXIST, reason, os.fspath(target))
    try:
        data = read_limited(target)
    except FileNotFoundError:
        return None, AutoSave(target, "")
    if not data.strip():
        return None, AutoSave(target, digest(data))
    loaded = response.load(io.BytesIO(data), checklist=checklist, source=os.fspath(target))
    return loaded, AutoSave(target, digest(data))
