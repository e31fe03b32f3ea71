"""Persistent, never-reused number sequences (e.g. invoice numbers per issuer).

Danish bookkeeping rules require invoice numbers to be unique and unbroken per
issuer, so a number must never be handed out twice, not even by two commands running
at once or after a crash. The last number used per key lives in a small TOML file that
only the tool writes::

    # klyngefond sequence counters: the last number handed out per key.
    [last]
    "region-sjaelland" = 41

:func:`next_number` reads, increments and atomically rewrites that file while holding
an exclusive lock, and only returns once the new value is on disk. A crash after the
write but before the number is used can leave a gap; it can never cause a reuse.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from klyngefond.storage.atomic import locked, write_replace

_HEADER = (
    "# klyngefond sequence counters: the last number handed out per key.\n"
    "# Written by klyngefond. Never lower a value: numbers must not be reused.\n"
)


class SequenceClaimed(ValueError):
    """``name`` is already claimed by another owner (``holder``) in the counter file."""

    def __init__(self, path: Path, name: str, holder: str) -> None:
        super().__init__(f"{name} is claimed by {holder} in {path}")
        self.path = Path(path)
        self.name = name
        self.holder = holder


class SequenceError(ValueError):
    """The counter file or a key is unusable. ``path`` is the counter file."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.message = message


def next_number(counter_file: Path, key: str, *, at_least: int = 1, claim: tuple[str, str] | None = None) -> int:
    """Hand out the next number for ``key`` (1 for a new key, never below ``at_least``) and record it durably.

    ``claim`` is ``(name, owner)``: the number is only handed out when ``name`` is unclaimed
    (it is then recorded as ``owner``'s, in the file's ``[owners]`` table) or already
    ``owner``'s; otherwise :class:`SequenceClaimed` is raised and nothing changes. Safe
    against concurrent callers (an exclusive lock spans read, increment and write) and
    against crashes (the counter is on disk before the number is returned).
    """
    counter_file = Path(counter_file)
    _check_key(counter_file, key)
    with locked(lock_file_for(counter_file)):
        counters, owners = _read_all(counter_file)
        if claim is not None:
            name, owner = claim
            holder = owners.setdefault(name, owner)
            if holder != owner:
                raise SequenceClaimed(counter_file, name, holder)
        number = max(counters.get(key, 0) + 1, at_least)
        counters[key] = number
        write_replace(counter_file, _render(counters, owners))
    return number


def peek(counter_file: Path, key: str) -> int:
    """The last number handed out for ``key``, or 0 if none has been.

    No lock needed: the file is only ever replaced atomically, so a reader sees either
    the old or the new complete version.
    """
    counter_file = Path(counter_file)
    _check_key(counter_file, key)
    return _read(counter_file).get(key, 0)


def lock_file_for(counter_file: Path) -> Path:
    """The lock file guarding ``counter_file``.

    A separate file, because the counter file itself is replaced on every write and a
    lock on a replaced inode would not exclude the next process.
    """
    return counter_file.with_name(f".{counter_file.name}.lock")


def read_counters(counter_file: Path) -> dict[str, int]:
    """Every key's last number, read once (for a reader that looks at many keys); see :func:`peek`."""
    return _read(Path(counter_file))


def _read(counter_file: Path) -> dict[str, int]:
    """Parse the counter file; a missing file means no numbers used yet."""
    return _read_all(counter_file)[0]


def _read_all(counter_file: Path) -> tuple[dict[str, int], dict[str, str]]:
    """The counters (``[last]``) and the claimed names (``[owners]``); a missing file has neither."""
    try:
        text = counter_file.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return {}, {}
    except UnicodeDecodeError as exc:
        raise _corrupt(counter_file, "is not UTF-8 text") from exc
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _corrupt(counter_file, f"is not valid TOML ({exc})") from exc
    last = document.get("last", {})
    if not isinstance(last, dict):
        raise _corrupt(counter_file, "has a [last] entry that is not a table")
    for key, value in last.items():
        # bool is an int subclass; true/false would silently count as 1/0.
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _corrupt(counter_file, f"has {key!r} = {value!r}, not a whole number >= 0")
    owners = document.get("owners", {})
    if not isinstance(owners, dict) or not all(isinstance(v, str) for v in owners.values()):
        raise _corrupt(counter_file, "has an [owners] entry that is not a table of text")
    return dict(last), dict(owners)


def _corrupt(counter_file: Path, problem: str) -> SequenceError:
    # Never fall back to an empty counter: that would hand out used numbers again.
    return SequenceError(
        counter_file,
        f"counter file {counter_file} {problem}; it records which numbers are already "
        "used, so repair it by hand instead of deleting it",
    )


def _render(counters: dict[str, int], owners: dict[str, str] | None = None) -> bytes:
    """TOML text for ``counters`` (and ``owners``, if any), keys sorted so the file diffs cleanly."""
    lines = [_HEADER, "[last]\n"]
    lines += [f"{_toml_string(key)} = {counters[key]}\n" for key in sorted(counters)]
    if owners:
        lines.append("\n[owners]\n")
        lines += [f"{_toml_string(key)} = {_toml_string(owners[key])}\n" for key in sorted(owners)]
    return "".join(lines).encode("utf-8")


def _toml_string(text: str) -> str:
    """``text`` as a TOML basic string (quoted key)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            # TOML forbids raw control characters in strings.
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _check_key(counter_file: Path, key: str) -> None:
    if not isinstance(key, str) or not key:
        raise SequenceError(counter_file, f"sequence key {key!r} must be a non-empty string")
    try:
        key.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SequenceError(counter_file, f"sequence key {key!r} is not valid text") from exc


def raise_to(counter_file: Path, key: str, value: int) -> int:
    """Raise the counter of ``key`` to ``value`` if it is lower (never lowers it); the value it had.

    For putting right a counter file that is behind the numbers already on file (lowered
    by hand, or restored from an old copy): raising it can never cause a number to be
    used twice. Same lock and atomic write as :func:`next_number`.
    """
    counter_file = Path(counter_file)
    _check_key(counter_file, key)
    with locked(lock_file_for(counter_file)):
        counters = _read(counter_file)
        before = counters.get(key, 0)
        if value > before:
            counters[key] = value
            write_replace(counter_file, _render(counters))
    return before
