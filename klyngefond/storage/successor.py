"""Starting a successor's ledger from a recorded closeout: new files only, in an order a re-run completes.

For each successor a closeout names, the successor's cluster folder under the chosen data
folder (``<dir>/<successor id>/``) gets:

1. ``allocations/<cluster>-<holder>.toml``: one per holder that handed over, its opening
   balance, with the source (cluster, closeout record, date) in ``source``;
2. ``cluster.toml`` last: the successor, with the handing-over partners copied.

Files are only ever created (``atomic.write_new``), never overwritten. A file that is
already there with the same record counts as done, so a handover interrupted half-way is
found (the folder has allocations but no ``cluster.toml``, or lacks some) and completed by
running the same command again, and never duplicated. A file that is there with other
content, or a ``cluster.toml`` written by someone else that lacks a handing-over partner,
stops everything before anything is written.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Allocation, Closeout, Cluster, Group, YearSpan
from klyngefond.i18n import Message, t
from klyngefond.journal import query
from klyngefond.journal.build import successor_id
from klyngefond.journal.model import Journal, Transaction
from klyngefond.storage.atomic import TargetExistsError, write_new
from klyngefond.storage.records import header, toml_bytes
from klyngefond.storage.validate import build

CLUSTER_FILE = "cluster.toml"


@dataclass(frozen=True)
class SuccessorFile:
    """One file of a successor's ledger: where, what, and whether it is there.

    ``state``: ``missing`` (to be written), ``present`` (there, the same record), ``differs``
    (there, with other content) or ``lacks`` (a ``cluster.toml`` that lacks ``needs``).
    """

    successor: str
    successor_id: str
    path: Path
    record: Any
    data: bytes
    state: str
    needs: tuple[str, ...] = ()

    @property
    def blocking(self) -> bool:
        return self.state in ("differs", "lacks")


def opening_date(closeout_date: dt.date) -> dt.date:
    """The day the successor's ledger opens: the day after the books closed."""
    return closeout_date + dt.timedelta(days=1)


def successor_files(ledger: Ledger, journal: Journal, closeout: Transaction, root: Path, lang: str) -> list[SuccessorFile]:
    """Every file the handover of ``closeout`` puts under ``root``, allocations before each ``cluster.toml``."""
    record: Closeout = closeout.record  # type: ignore[assignment]
    cluster = ledger.cluster
    opens = opening_date(record.date)
    by_successor: dict[str, list[tuple[str, Any]]] = {}
    names: dict[str, str] = {}
    for holder in cluster.holder_ids():
        name = record.successors.get(holder, record.successor)
        if name is not None:
            names[successor_id(name)] = name
    for (holder, sid), amount in query.handed_over(journal).items():
        by_successor.setdefault(sid, []).append((holder, amount))
    files: list[SuccessorFile] = []
    source = t("closeout.handover_source", lang, cluster=cluster.name, closeout=closeout.ref, date=record.date)
    for sid, handed in by_successor.items():
        name = names.get(sid, sid)
        folder = root / sid
        for holder, amount in handed:
            allocation = Allocation(partner=holder, year=YearSpan.of(opens.year), received=amount, date=opens,
                                    id=f"{cluster.id}-{holder}", source=source,
                                    note=t("closeout.handover_note", lang, holder=cluster.holder_name(holder), amount=amount,
                                           successor=name))
            path = folder / "allocations" / f"{allocation.id}.toml"
            files.append(_state(SuccessorFile(name, sid, path, allocation, toml_bytes(allocation, header("closeout --successor-data", lang)),
                                              "missing"), Allocation))
        successor = _successor_cluster(ledger, sid, name, [h for h, _ in handed], source, lang)
        files.append(_cluster_state(SuccessorFile(name, sid, folder / CLUSTER_FILE, successor,
                                                  _cluster_bytes(successor, lang), "missing")))
    return files


def _successor_cluster(ledger: Ledger, sid: str, name: str, holders: list[str], source: str, lang: str) -> Cluster:
    cluster = ledger.cluster
    partners = tuple(p for p in cluster.partners if p.id in holders)
    members = {p.id for p in partners}
    groups = tuple(Group(g.id, g.name, tuple(m for m in g.members if m in members), g.note)
                   for g in cluster.groups if g.id in holders)
    return Cluster(id=sid, name=name, region=cluster.region, partners=partners, groups=groups,
                   default_financing=cluster.default_financing, sources=(source,),
                   notes=(t("closeout.successor_note", lang, cluster=cluster.name),))


def _cluster_bytes(cluster: Cluster, lang: str) -> bytes:
    return toml_bytes(cluster, header("closeout --successor-data", lang))


def _read(path: Path, cls: type, defaults: dict[str, Any] | None = None) -> Any:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    record, issues = build(cls, raw, defaults=defaults)
    return None if issues else record


def _state(file: SuccessorFile, cls: type) -> SuccessorFile:
    if not file.path.exists():
        return file
    existing = _read(file.path, cls, {"id": file.path.stem})
    return replace(file, state="present" if existing is not None and _money(existing) == _money(file.record) else "differs")


def _money(allocation: Allocation) -> tuple[Any, ...]:
    """What must agree for an opening balance to be the same (its wording may be in another language)."""
    return allocation.id, allocation.partner, allocation.year, allocation.received, allocation.announced, allocation.date


def _cluster_state(file: SuccessorFile) -> SuccessorFile:
    if not file.path.exists():
        return file
    existing: Cluster | None = _read(file.path, Cluster)
    if existing is None:
        return replace(file, state="differs")
    wanted: Cluster = file.record
    have = set(existing.holder_ids())
    needs = tuple(p.id for p in wanted.partners if p.id not in have) + tuple(g.id for g in wanted.groups if g.id not in have)
    return replace(file, state="lacks" if needs else "present", needs=needs)


def write_missing(files: list[SuccessorFile]) -> list[SuccessorFile]:
    """Write every missing file, in order; ``ValueError`` first if any file blocks the handover."""
    if any(f.blocking for f in files):
        raise ValueError("blocked")
    written = []
    for file in files:
        if file.state != "missing":
            continue
        file.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write_new(file.path, file.data)
        except TargetExistsError:  # someone wrote it a moment ago: judge it like any file already there
            continue
        written.append(file)
    return written


def problem(file: SuccessorFile) -> Message:
    if file.state == "lacks":
        return Message("closeout.successor_lacks", file=str(file.path), partners=list(file.needs))
    return Message("closeout.successor_differs", file=str(file.path))

