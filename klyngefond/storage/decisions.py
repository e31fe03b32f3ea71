"""Writing decisions into a cluster folder: new grants, changes to grants, carry-overs.

Every decision is one NEW file (``grants/<id>.toml``, ``changes/<id>.toml``,
``carryovers/<id>.toml``); no existing file is ever rewritten. The file is validated
against ``storage.schema`` before it is written, written with ``atomic.write_new`` (a
complete file appears under its name in one step, or nothing does, and an existing name
is never overwritten), and the caller re-loads the ledger afterwards to confirm.

Writers of one cluster take turns: :func:`cluster_lock` holds an exclusive lock on
``<cluster>/.klyngefond.lock`` while a command re-reads the ledger, checks affordability
and writes, so two decisions recorded at the same moment are both checked against
everything recorded before them. Ids are chosen under the same lock, and ``write_new``
guarantees distinct file names even without it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from klyngefond.core.ids import MAX_ID_LENGTH, check_id
from klyngefond.core.money import json_amount
from klyngefond.core.records import (
    Decision,
    ExplicitAmounts,
    Financing,
    FixedPlusProRata,
    ParticipantsOnly,
    Solidarity,
)
from klyngefond.storage.atomic import TargetExistsError, WriteError, locked, write_new

LOCK_NAME = ".klyngefond.lock"
MAX_ATTEMPTS = 1000


class RecordError(ValueError):
    """A decision that cannot be written; ``message`` says why and ``hint`` what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@contextmanager
def cluster_lock(folder: Path) -> Iterator[None]:
    """Exclusive access for writers of this cluster (readers never wait)."""
    with locked(Path(folder) / LOCK_NAME):
        yield


def write_record(
    folder: Path,
    subdir: str,
    stem: str,
    taken: set[str],
    build: Callable[[str], dict[str, Any]],
    model: type,
    header: str,
) -> tuple[str, Path]:
    """Write ``build(id)`` as a new TOML file ``folder/subdir/<id>.toml``; return ``(id, path)``.

    The id is ``stem``, or ``stem-2``, ``stem-3``, … when the name or id is taken.
    ``model`` is the ``storage.schema`` model the document must satisfy.
    """
    check_id(stem)
    directory = Path(folder) / subdir
    try:
        directory.mkdir(exist_ok=True)
    except OSError as exc:
        raise RecordError(f"cannot create {directory}: {exc.strerror}") from exc
    for attempt in range(1, MAX_ATTEMPTS + 1):
        suffix = "" if attempt == 1 else f"-{attempt}"
        candidate = stem[: MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
        path = directory / f"{candidate}.toml"
        if candidate in taken or os.path.lexists(path):
            continue
        document = _plain(build(candidate))
        _validate(model, document, path)
        try:
            write_new(path, header.encode("utf-8") + _dumps(document))
        except TargetExistsError:
            continue  # another writer took this name a moment ago
        except WriteError as exc:
            raise RecordError(str(exc)) from exc
        return candidate, path
    raise RecordError(f"no free id for {stem!r} in {directory} after {MAX_ATTEMPTS} tries", "give one with --id")


def _validate(model: type, document: dict[str, Any], path: Path) -> None:
    from pydantic import ValidationError

    try:
        model.model_validate(document)  # type: ignore[attr-defined]
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        key = ".".join(str(part) for part in first["loc"])
        raise RecordError(f"the new file {path.name} would be invalid: {key}: {first['msg']}") from exc


def _dumps(document: dict[str, Any]) -> bytes:
    import tomli_w

    return tomli_w.dumps(document).encode("utf-8")


def _plain(value: Any) -> Any:
    """TOML-ready values: amounts as exact two-decimal strings, no ``None`` keys."""
    if isinstance(value, Decimal):
        return json_amount(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if item is not None and item != ()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def header(command: str) -> str:
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    return (
        f"# Written by `klyngefond {command}` on {stamp}.\n"
        "# A recorded decision: do not edit it. Record later changes as their own files\n"
        "# (klyngefond topup / reduce / withdraw / transfer), so that the history is kept.\n\n"
    )


def decision_table(decision: Decision) -> dict[str, Any]:
    return {
        "level": decision.level,
        "date": decision.date,
        "body": decision.body,
        "reference": decision.reference,
        "note": decision.note,
    }


def financing_table(financing: Financing) -> dict[str, Any]:
    match financing:
        case Solidarity(weights=basis):
            return {"model": "solidarity", "weights": basis}
        case ParticipantsOnly(participants=ids, weights=basis):
            return {"model": "participants", "participants": list(ids), "weights": basis}
        case FixedPlusProRata(fixed=fixed, rest_among=rest, weights=basis):
            return {"model": "fixed-plus-pro-rata", "fixed": dict(fixed),
                    "rest_among": list(rest) if rest is not None else None, "weights": basis}
        case ExplicitAmounts(amounts=amounts):
            return {"model": "explicit", "amounts": dict(amounts)}
    raise RecordError(f"cannot record the financing model {financing.model!r} for a new grant")
