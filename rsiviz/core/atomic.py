"""Atomic file writes: a save either completes or leaves the previous file untouched.

Every file rsiviz writes for the user goes through :func:`atomic_path` (or the helpers
:func:`atomic_write_text` / :func:`atomic_write_bytes`): the data goes to a temporary file
in the target's folder (same file system, so the rename is atomic), which is flushed and
fsynced, then renamed over the target with :func:`os.replace`; the folder is fsynced too
where the platform allows it. A failure removes the temporary. A write killed half-way
(SIGKILL, power loss) can only leave a temporary behind, named ``.NAME.rsiviz-tmp-XXXXXXXX``
plus the target's suffix (so tools that look at the suffix, e.g. ffmpeg, still work);
writing to that folder again removes temporaries older than :data:`STALE_SECONDS` (younger
ones may belong to a save still running in another process).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TMP_MARK = ".rsiviz-tmp-"
STALE_SECONDS = 60.0


def is_temporary(name: str) -> bool:
    """Whether a file name is one of our temporaries."""
    return name.startswith(".") and TMP_MARK in name


def clean_stale(folder: str | Path, max_age: float = STALE_SECONDS) -> int:
    """Remove our temporaries in ``folder`` older than ``max_age`` seconds; returns how many."""
    removed = 0
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not is_temporary(entry.name):
            continue
        with suppress(OSError):  # gone already, or not ours to remove
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > max_age:
                os.unlink(entry.path)
                removed += 1
    return removed


def _new_temporary(target: Path) -> Path:
    """Create (exclusively) an empty temporary beside ``target``, with its permissions."""
    mode = 0o666  # less the umask, as for any new file
    with suppress(OSError):
        mode = stat.S_IMODE(os.stat(target).st_mode)  # keep an existing file's permissions
    for _ in range(100):
        tmp = target.with_name(f".{target.name}{TMP_MARK}{os.urandom(4).hex()}{target.suffix}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"cannot create a temporary file beside {target}")


def _fsync_path(path: Path, directory: bool = False) -> None:
    flags = os.O_RDONLY if directory else os.O_RDWR
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:  # e.g. Windows cannot open a folder: the rename is what matters there
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``target`` atomically.

    The caller writes the whole file to the yielded path (by any means: Python, Qt, an
    encoder process). If the block raises, the temporary is removed and ``target`` is left
    as it was. A symlink as ``target`` is kept: the file it points to is replaced.
    """
    target = Path(os.path.realpath(target))
    with suppress(FileNotFoundError):
        if not stat.S_ISREG(os.stat(target).st_mode):  # never replace a device or a folder
            raise OSError(errno.EEXIST, "not a regular file (a folder or a device)", str(target))
    clean_stale(target.parent)
    tmp = _new_temporary(target)
    try:
        yield tmp
        _fsync_path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_path(target.parent, directory=True)


class _WriteRefusedError(Exception):
    """The writer reported failure by returning False (e.g. ``QImage.save``)."""


def atomic_save(
    target: str | Path,
    write: Callable[[Path], object],
    error: type[Exception] = OSError,
    what: str = "the file",
) -> None:
    """``write(tmp)`` then replace ``target`` atomically; for writers that take a path.

    A ``False`` result or an OSError raises ``error("could not write WHAT to TARGET: why")``
    and leaves ``target`` untouched.
    """
    try:
        with atomic_path(target) as tmp:
            if write(tmp) is False:
                raise _WriteRefusedError
    except (OSError, _WriteRefusedError) as exc:
        why = f": {exc.strerror or exc}" if isinstance(exc, OSError) else ""
        raise error(f"could not write {what} to {target}{why}") from None


def atomic_write_bytes(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_path`)."""
    with atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()


def atomic_write_text(target: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``target`` atomically, newlines as given (no translation)."""
    atomic_write_bytes(target, text.encode(encoding))


__all__ = [
    "STALE_SECONDS",
    "TMP_MARK",
    "atomic_path",
    "atomic_save",
    "atomic_write_bytes",
    "atomic_write_text",
    "clean_stale",
    "is_temporary",
]
