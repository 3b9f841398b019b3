"""Atomic file writes: a temporary file beside the target, flushed, fsynced, then renamed.

A crash, a full disk or an exception while writing leaves the previous file as it was. Writers
in the same folder take an advisory lock (where the platform has ``fcntl``), and a writer that
read the file earlier can ask to fail, rather than overwrite, when someone else changed it
since (``expected``): two processes saving one response never corrupt it nor silently drop
each other's answers.

A writer killed mid-write (SIGKILL, power loss) leaves its temporary file,
``.NAME.XXXXXXXX.tmp`` beside the target, and never a damaged target. The next write to the
same target removes such leftovers: it holds the folder's lock, which every live writer holds
for as long as its temporary file exists, so any it finds are stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ketacheck.exceptions import FileChangedError

_HAS_FLOCK = sys.platform != "win32"
if _HAS_FLOCK:
    import fcntl


def digest(data: bytes) -> str:
    """The fingerprint :func:`write_atomic` compares with ``expected``."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str | os.PathLike[str]) -> str | None:
    """The fingerprint of the file at *path*, or None when there is none."""
    try:
        return digest(Path(path).read_bytes())
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on *target*'s folder (no lock file is left behind)."""
    if not _HAS_FLOCK:  # pragma: no cover - Windows: the rename is still atomic
        yield
        return
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def write_atomic(
    path: str | os.PathLike[str], data: str | bytes, *, expected: str | None = None
) -> str:
    """Replace *path* with *data* (text as UTF-8) all at once, or not at all.

    With *expected* (a :func:`digest`, or ``""`` for "the file must not exist"), raise
    :class:`~ketacheck.exceptions.FileChangedError` instead of writing when the file on disk
    is not the one the caller read. Returns the digest of what was written.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with _locked(target):
        if expected is not None and (file_digest(target) or "") != expected:
            raise FileChangedError(
                f"{target}: the file changed on disk since it was read; "
                "nothing was written (load it again, or save to another file)"
            )
        if _HAS_FLOCK:
            _remove_stale(target)
        _replace(target, payload)
    return digest(payload)


def _remove_stale(target: Path) -> None:
    """Remove temporary files that killed writers left beside *target* (under the lock)."""
    stale = re.compile(re.escape(f".{target.name}.") + r"[a-z0-9_]{8}\.tmp")
    try:
        leftovers = [p for p in target.parent.iterdir() if stale.fullmatch(p.name)]
    except OSError:
        return
    for path in leftovers:
        with contextlib.suppress(OSError):
            path.unlink()


def _replace(target: Path, payload: bytes) -> None:
    directory = target.parent
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        try:
            tmp.chmod(target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            tmp.chmod(0o666 & ~umask)
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on directories
        pass
    finally:
        os.close(fd)
