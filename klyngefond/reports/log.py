"""The log: every decision and change in date order, with who decided. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from klyngefond.core.changes import apply_changes, change_order
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Decision
from klyngefond.reports.status import yearbook

ZERO = Decimal("0.00")
_KIND_ORDER = {"grant": 0, "top-up": 1, "reduction": 1, "withdrawal": 1, "transfer": 1, "carry-over": 2}


@dataclass(frozen=True)
class LogEntry:
    """One decision. ``amount`` is what it granted, changed, freed, moved or carried;
    ``after`` the grant's amount once it applied (for grants and changes)."""

    date: dt.date | None
    kind: str
    record_id: str
    decision: Decision | None
    amount: Decimal | None
    grant: str | None = None
    grant_name: str | None = None
    to_grant: str | None = None
    to_name: str | None = None
    after: Decimal | None = None
    to_after: Decimal | None = None
    applied: Decimal | None = None
    from_year: str | None = None
    to_year: int | None = None
    partner: str | None = None
    reason: str | None = None
    override: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class Log:
    cluster_id: str
    cluster_name: str
    entries: tuple[LogEntry, ...]


def build_log(ledger: Ledger) -> Log:
    names = {g.id: g.name for g in ledger.grants}
    entries: list[LogEntry] = []
    for grant in ledger.grants:
        entries.append(LogEntry(
            date=grant.decision.date if grant.decision else None, kind="grant", record_id=grant.id,
            decision=grant.decision, amount=grant.granted, grant=grant.id, grant_name=grant.name,
            after=grant.granted, applied=grant.applied, override=grant.override_shortfall,
            file=_file(ledger.grant_files.get(grant.id), ledger.folder),
        ))
    states, _ = apply_changes(ledger.grants, ledger.changes)
    steps = {(step.change.id, grant_id): step for grant_id, state in states.items() for step in state.steps}
    for change in sorted(ledger.changes, key=change_order):
        step = steps.get((change.id, change.grant))
        target = steps.get((change.id, change.to_grant)) if change.to_grant else None
        amount = change.amount if change.amount is not None else (step.before if step else None)
        entries.append(LogEntry(
            date=change.date, kind=change.kind, record_id=change.id, decision=change.decision, amount=amount,
            grant=change.grant, grant_name=names.get(change.grant), to_grant=change.to_grant,
            to_name=names.get(change.to_grant) if change.to_grant else None,
            after=step.after if step else None, to_after=target.after if target else None,
            reason=change.reason, override=change.override_shortfall,
            file=_file(ledger.change_files.get(change.id), ledger.folder),
        ))
    carried = yearbook(ledger).carried
    for carryover in ledger.carryovers:
        moved = [c.amount for c in carried if c.carryover.id == carryover.id]
        entries.append(LogEntry(
            date=carryover.date, kind="carry-over", record_id=carryover.id, decision=carryover.decision,
            amount=sum(moved, ZERO) if moved else None, from_year=str(carryover.from_year), to_year=carryover.to_year,
            partner=carryover.partner, reason="; ".join(carryover.notes) or None,
            file=_file(ledger.carryover_files.get(carryover.id), ledger.folder),
        ))
    entries.sort(key=lambda e: (e.date is None, e.date or dt.date.min, _KIND_ORDER[e.kind], e.record_id))
    return Log(ledger.cluster.id, ledger.cluster.name, tuple(entries))


def _file(path: Path | None, folder: Path) -> str | None:
    if path is None:
        return None
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)
