"""Crash-safe, race-safe file writes.

Every file the tool writes goes through this module. The pattern is always the same:
the bytes go to a temporary dot-file ending in ``.tmp`` in the destination's own
directory, are flushed and ``fsync``-ed, and only then is the finished file given its
real name in one atomic step, after which the directory itself is ``fsync``-ed so the
new name survives a power cut. A crash or ``kill -9`` at any moment therefore leaves
either the complete new file or nothing under the real name; at worst a stray
``.<name>.<random>.tmp`` remains, which the loader ignores.

* :func:`write_new` never replaces anything: the name is claimed with ``os.link``,
  which fails if the name is taken, even when two processes race for it.
* :func:`write_replace` replaces atomically, for files the tool itself owns or when the
  user explicitly asked for it (``--force``).
* :func:`write_new_unique` picks the first free name ``stem``, ``stem-2``, ``stem-3``, …
* :func:`locked` serialises read-modify-write sequences between processes.

Ctrl-C (``SIGINT``), ``SIGTERM`` and ``SIGHUP`` are held back while one file is written and
delivered the moment it is complete (:func:`uninterrupted`), so an interrupted command
stops between files, never inside one, and leaves no temporary file behind. Only a
``kill -9`` or a power cut can leave a stray ``.<name>.<random>.tmp``; ``klyngefond check``
reports such files and ``klyngefond repair`` removes them.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

TMP_SUFFIX = ".tmp"

# Enough for any realistic pile of same-named documents; a bound keeps a bug in
# ``render`` or a full directory from looping forever.
MAX_UNIQUE_ATTEMPTS = 10_000

# errno values meaning "this filesystem cannot make hard links" rather than "name taken".
_NO_HARDLINK_ERRNOS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


class WriteError(OSError):
    """A file could not be written. ``path`` is the destination, ``reason`` a catalogue key
    (``atomic.reason_*``) saying why, for the person to read in their language."""

    def __init__(self, path: Path, reason: str, code: int | None = None) -> None:
        super().__init__(code or 0, reason)
        self.path = Path(path)
        self.filename = str(path)
        self.reason = reason
        self.errno = code

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class TargetExistsError(WriteError, FileExistsError):
    """:func:`write_new` refused because the destination already exists."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "atomic.reason_exists", errno.EEXIST)


def write_new(path: Path, data: bytes) -> Path:
    """Create ``path`` with ``data`` atomically; refuse if ``path`` already exists.

    Raises :class:`TargetExistsError` (a ``FileExistsError``) if the name is taken, even
    if another process claims it a moment before we do; the existing file is not touched.
    Other failures raise :class:`WriteError`. Returns ``path``.
    """
    path = Path(path)
    with uninterrupted():
        tmp = _write_temp(path, data)
        try:
            _link_new(tmp, path)
        finally:
            _unlink_quietly(tmp)
        _fsync_directory(path.parent)
    return path


def write_replace(path: Path, data: bytes) -> Path:
    """Write ``path`` atomically, replacing any existing file of that name.

    Only for files the tool itself owns, or when the user passed ``--force``: readers see
    either the old or the new content, never a mix. Returns ``path``.
    """
    path = Path(path)
    with uninterrupted():
        tmp = _write_temp(path, data)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            _unlink_quietly(tmp)
            raise _failed(path, "write", exc) from exc
        _fsync_directory(path.parent)
    return path


def write_new_unique(
    directory: Path, stem: str, suffix: str, render: Callable[[str], bytes]
) -> tuple[str, Path]:
    """Publish a new file named ``stem+suffix``, or ``stem-2+suffix``, ``stem-3+suffix``, …

    ``render(chosen_stem)`` returns the bytes, because a document records its own id; it
    may be called more than once if another process takes a name first. Two processes
    calling this at the same instant always end up with different names.
    Returns ``(chosen_stem, path)``.
    """
    directory = Path(directory)
    for attempt in range(1, MAX_UNIQUE_ATTEMPTS + 1):
        candidate = stem if attempt == 1 else f"{stem}-{attempt}"
        path = directory / _plain_name(candidate + suffix)
        # Cheap pre-check so we do not render and fsync for names long taken;
        # write_new is what actually guarantees uniqueness.
        if os.path.lexists(path):
            continue
        try:
            return candidate, write_new(path, render(candidate))
        except TargetExistsError:
            continue
    raise WriteError(directory / (stem + suffix), "atomic.reason_no_free_name")


_HELD_BACK = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold back Ctrl-C and termination signals for the body; they arrive as soon as it ends."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_BACK)
    except (AttributeError, OSError, ValueError):  # pragma: no cover - a platform without signal masks
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def locked(lock_path: Path) -> Iterator[Path]:
    """Hold an exclusive ``flock`` on ``lock_path`` (created if missing) for the ``with`` body.

    Use a dedicated lock file that is never itself replaced: a lock taken on a file that
    :func:`write_replace` later swaps out would protect only the old inode, and a second
    process opening the new file would not wait. The lock is released when the body ends
    or the process dies, so a killed command never leaves the ledger locked.
    """
    lock_path = Path(lock_path)
    try:
        # O_NOFOLLOW: a lock file that is a symbolic link is refused, never followed out of the folder.
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o666)
    except OSError as exc:
        raise _failed(lock_path, "open lock file", exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield lock_path
    finally:
        # Closing the descriptor releases the flock.
        os.close(fd)


def is_temp_name(name: str) -> bool:
    """True for the names of this module's temporary files, which readers must skip."""
    return name.startswith(".") and name.endswith(TMP_SUFFIX)


def _write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a fresh temporary file beside ``path`` and fsync it."""
    # os.urandom rather than secrets: secrets loads hmac and random into every command.
    tmp = path.parent / f".{path.name}.{os.urandom(6).hex()}{TMP_SUFFIX}"
    try:
        # O_EXCL: never reuse a temp name another process is writing. Mode 0o666 lets
        # the umask decide permissions, as for any file the user creates.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    except FileNotFoundError as exc:
        raise WriteError(path, "atomic.reason_no_folder", errno.ENOENT) from exc
    except OSError as exc:
        raise _failed(path, "write", exc) from exc
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked (a signal, a pipe-like filesystem)
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException as exc:
        # BaseException too: a KeyboardInterrupt mid-write must not leave the temp file.
        _unlink_quietly(tmp)
        if isinstance(exc, OSError):
            raise _failed(path, "write", exc) from exc
        raise
    return tmp


def _link_new(tmp: Path, path: Path) -> None:
    """Give the finished ``tmp`` the name ``path``; fails atomically if the name is taken."""
    try:
        os.link(tmp, path)
    except FileExistsError as exc:
        raise TargetExistsError(path) from exc
    except OSError as exc:
        if exc.errno in _NO_HARDLINK_ERRNOS:
            raise WriteError(path, "atomic.reason_no_hardlinks", exc.errno) from exc
        raise _failed(path, "create", exc) from exc


def _fsync_directory(directory: Path) -> None:
    """Make a new or renamed directory entry durable."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _failed(directory, "sync directory", exc) from exc


# Why the operating system refused, as a catalogue key (atomic.reason_*); cli/faults.py adds what to do.
REASONS = {
    errno.EACCES: "atomic.reason_permission",
    errno.EPERM: "atomic.reason_permission",
    errno.EROFS: "atomic.reason_read_only",
    errno.ENOSPC: "atomic.reason_disk_full",
    errno.EDQUOT: "atomic.reason_disk_full",
    errno.ENOENT: "atomic.reason_no_folder",
    errno.ENOTDIR: "atomic.reason_no_folder",
    errno.ELOOP: "atomic.reason_link_loop",
}


def _failed(path: Path, action: str, exc: OSError) -> WriteError:
    """A :class:`WriteError` naming the path and why the operating system refused."""
    return WriteError(path, REASONS.get(exc.errno or 0, "atomic.reason_other"), exc.errno)


_REASONS = REASONS  # the name it had


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _plain_name(name: str) -> str:
    """Refuse names that would escape the directory or hide as dot-files."""
    if not name or "/" in name or "\0" in name or name.startswith("."):
        raise ValueError(f"{name!r} is not a plain file name")
    return name
