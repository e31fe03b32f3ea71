"""Writing a record into a cluster folder: one new file, never a rewrite.

Every record the tool writes (a grant, a change, a carry-over, a payment, …) becomes one
NEW file ``<folder>/<id>.toml`` in its record folder. The table is made from the record
definition (``storage/validate.to_table``), read back through the same validator as any
file a person wrote before it is written, and written with ``atomic.write_new``: a complete
file appears under its name in one step or nothing does, and an existing name is never
overwritten.

Writers of one cluster take turns: :func:`cluster_lock` holds an exclusive lock on
``<cluster>/.klyngefond.lock`` while a command reads the ledger, checks the new record
against the journal's rules and writes it, so two decisions recorded at the same moment
are each checked against everything recorded before them.

A record folder (``grants/``, ``invoices/``, …) that is a symbolic link is never written
through (:class:`LinkedFolder`): the link may lead out of the cluster folder, to another
cluster's folder or to somewhere the person never meant to write. Reading follows it;
``check`` shows it as a warning.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import tomllib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import tomli_w

from klyngefond.core.ids import MAX_ID_LENGTH, check_id
from klyngefond.core.records import RECORD_FOLDERS
from klyngefond.i18n import t
from klyngefond.storage.atomic import TargetExistsError, WriteError, locked, write_new
from klyngefond.storage.validate import build, to_table

LOCK_NAME = ".klyngefond.lock"
MAX_ATTEMPTS = 1000


class RecordInvalid(ValueError):
    """The record the tool built does not read back as valid: a bug, never written."""

    def __init__(self, issues: list[Any]) -> None:
        super().__init__(str(issues))
        self.issues = issues


class LinkedFolder(WriteError):
    """A record folder is a symbolic link (to ``target``); nothing is written through it."""

    def __init__(self, path: Path, target: str) -> None:
        super().__init__(path, "atomic.reason_linked_folder", errno.ELOOP)
        self.target = target


class LockFailed(WriteError):
    """The cluster's lock file could not be created or opened (a read-only folder, say)."""


@contextmanager
def cluster_lock(folder: Path) -> Iterator[None]:
    """Exclusive access for writers of this cluster (readers never wait)."""
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(Path(folder) / LOCK_NAME))
        except WriteError as exc:
            raise LockFailed(exc.path, exc.reason, exc.errno) from None
        yield


def refuse_linked(folder: Path, folder_name: str) -> Path:
    """``folder/folder_name``, unless it is a symbolic link (:class:`LinkedFolder`)."""
    directory = Path(folder) / folder_name
    if directory.is_symlink():
        raise LinkedFolder(directory, os.path.realpath(directory))
    return directory


def free_id(folder: Path, folder_name: str, stem: str, taken: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3``, … : the first id not in ``taken`` and not a file yet."""
    check_id(stem)
    directory = folder / folder_name
    for attempt in range(1, MAX_ATTEMPTS + 1):
        suffix = "" if attempt == 1 else f"-{attempt}"
        candidate = stem[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken and not os.path.lexists(directory / f"{candidate}.toml"):
            return candidate
    raise RecordInvalid([("id", stem)])  # pragma: no cover - a thousand records of one name


def toml_bytes(record: Any, header: str) -> bytes:
    table = to_table(record)
    return (header + tomli_w.dumps(_toml_ready(table))).encode("utf-8")


def _toml_ready(value: Any) -> Any:
    if isinstance(value, dict):
        # Plain keys first, then sub-tables, as people write TOML by hand.
        plain = {k: _toml_ready(v) for k, v in value.items() if not isinstance(v, dict)}
        tables = {k: _toml_ready(v) for k, v in value.items() if isinstance(v, dict)}
        return {**plain, **tables}
    if isinstance(value, list):
        return [_toml_ready(v) for v in value]
    return value


def write_record(folder: Path, folder_name: str, record: Any, header: str) -> Path:
    """Write ``record`` as the new file ``folder/folder_name/<id>.toml``; ``TargetExistsError`` if the name is taken.

    The file is read back through the validator first: what the tool writes obeys the same
    rules as what a person writes.
    """
    cls = RECORD_FOLDERS[folder_name]
    record_id = record.number if folder_name == "invoices" else record.id
    data = toml_bytes(record, header)
    again, issues = build(cls, tomllib.loads(data.decode("utf-8")))
    if issues or again != record:
        raise RecordInvalid(issues)
    directory = refuse_linked(folder, folder_name)
    directory.mkdir(exist_ok=True)
    path = directory / f"{record_id}.toml"
    write_new(path, data)
    return path


def header(command: str, lang: str) -> str:
    """The comment at the top of a file the tool writes: who wrote it, when, and not to edit it."""
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    lines = t("recording.header", lang, command=command, stamp=stamp).splitlines()
    return "".join(f"# {line}\n" for line in lines) + "\n"


__all__ = ["LOCK_NAME", "LinkedFolder", "LockFailed", "RecordInvalid", "TargetExistsError", "cluster_lock", "free_id", "header",
           "refuse_linked", "toml_bytes", "write_record"]
