"""Failures from outside klyngefond (the operating system, the terminal) worded for a person: what, where, what to do."""

from __future__ import annotations

import errno as errnos
from pathlib import Path

from klyngefond.i18n import Message, Verbatim
from klyngefond.storage.atomic import REASONS  # errno -> atomic.reason_*

HINTS = {
    "atomic.reason_permission": "faults.hint_permission",
    "atomic.reason_read_only": "faults.hint_read_only",
    "atomic.reason_disk_full": "faults.hint_disk_full",
    "atomic.reason_no_folder": "faults.hint_no_folder",
    "atomic.reason_link_loop": "faults.hint_link_loop",
    "atomic.reason_no_hardlinks": "faults.hint_no_hardlinks",
}


# For a failure that is not a write (reading a folder, opening a file): words that fit either.
GENERAL_REASONS = {
    **REASONS,
    errnos.EACCES: "faults.reason_no_access",
    errnos.EPERM: "faults.reason_no_access",
    errnos.ENOENT: "faults.reason_missing",
    errnos.ENOTDIR: "faults.reason_not_a_folder",
    errnos.EISDIR: "faults.reason_is_a_folder",
    errnos.EIO: "faults.reason_io",
}
HINTS.update({
    "faults.reason_no_access": "faults.hint_permission",
    "faults.reason_missing": "faults.hint_no_folder",
    "faults.reason_not_a_folder": "faults.hint_no_folder",
})


def reason_key(exc: OSError) -> str | None:
    """The catalogue key of why ``exc`` happened, if klyngefond has words for it."""
    reason = getattr(exc, "reason", None)
    if isinstance(reason, str) and reason.startswith("atomic."):
        return reason
    return REASONS.get(exc.errno or 0)


def hint_for(reason: str | None) -> Message:
    return Message(HINTS.get(reason or "", "faults.hint_other"))


def os_error_words(exc: OSError) -> tuple[Message, tuple[Message, ...]]:
    """The message and what to do for an operating-system failure, naming the path."""
    from klyngefond.render.problems import shown_path
    from klyngefond.storage.atomic import WriteError
    from klyngefond.storage.records import LinkedFolder, LockFailed

    key = reason_key(exc) if isinstance(exc, WriteError) else GENERAL_REASONS.get(exc.errno or 0)
    reason: Message | Verbatim = Message(key) if key else Verbatim(exc.strerror or type(exc).__name__)
    raw_path = getattr(exc, "path", None) or getattr(exc, "filename", None) or ""
    path = Verbatim(shown_path(Path(raw_path)) if raw_path else "")
    if isinstance(exc, LinkedFolder):
        target = Verbatim(shown_path(Path(exc.target)))
        return (Message("faults.linked_folder", path=path, target=target),
                (Message("faults.hint_linked_folder", path=path, target=target),))
    if isinstance(exc, LockFailed):
        return Message("faults.cannot_lock", path=path, reason=reason), (hint_for(key),)
    if isinstance(exc, WriteError):
        return Message("faults.cannot_write", path=path, reason=reason), (hint_for(key),)
    return Message("cli.os_error", path=path, reason=reason), (hint_for(key),)
