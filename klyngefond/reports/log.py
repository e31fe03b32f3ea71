"""The log: every decision, change, carry-over, grant closing, closeout, reopening and annulment in date order. Pure.

Read from the journal (``journal/``): its transactions are already in date order, and
each carries the record it came from and, for grants and changes, the grant's amount
after it applied (``after``). An annulment is listed on its own date with its reason, and
the record it annuls stays listed where it was, marked as annulled: the log shows what
was decided and what was later undone, never a history rewritten.

``as_of`` shows the log as it stood at the end of that day: a later annulment is not
yet there, and the record it annuls is not yet marked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Decision
from klyngefond.journal.model import COMMITTED, FUNDS, HANDED_OVER, Journal, Transaction

ZERO = Decimal("0.00")

LOGGED = ("grant", "change", "carryover", "closing", "closeout", "reopening", "annulment")


@dataclass(frozen=True)
class LogEntry:
    """One decision or correction.

    ``kind`` is grant, top-up, reduction, withdrawal, transfer, carryover, closing (of a
    grant), closeout (of the books), reopening or annulment. ``amount`` is what it granted,
    added, took, freed, moved, carried or handed over (for an annulment: the amount of the
    record it annuls); ``after`` the grant's amount once it applied
    (``to_after`` the receiving grant's, for a transfer). ``annulled_by`` names the
    annulment that undid this record, if any by the log's day.
    """

    date: dt.date
    date_stated: bool
    kind: str
    ref: str
    decision: Decision | None
    amount: Decimal | None = None
    grant: str | None = None
    to_grant: str | None = None
    after: Decimal | None = None
    to_after: Decimal | None = None
    from_period: str | None = None
    to_period: str | None = None
    partner: str | None = None
    reason: str | None = None
    override: str | None = None
    source: str | None = None
    file: Path | None = None
    annuls: str | None = None
    annuls_kind: str | None = None  # grant, top-up, …, carryover, allocation
    annuls_date: dt.date | None = None
    annulled_by: str | None = None
    annulled_on: dt.date | None = None
    annulled_reason: str | None = None

    @property
    def annulled(self) -> bool:
        return self.annulled_by is not None


@dataclass(frozen=True)
class Log:
    ledger: Ledger
    as_of: dt.date | None
    entries: tuple[LogEntry, ...]
    grant_names: dict[str, str]
    not_applied: int = 0  # records the journal could not apply (klyngefond check lists them)

    def grant_name(self, grant_id: str | None) -> str | None:
        return None if grant_id is None else self.grant_names.get(grant_id, grant_id)


def moved(txn: Transaction) -> Decimal | None:
    """What a transaction moved, read from its postings and record."""
    record: Any = txn.record
    if txn.kind == "grant":
        return txn.after.get(txn.grant or "")
    if txn.kind == "change":
        if record.kind == "withdrawal":
            return -sum((p.amount for p in txn.postings if p.account[0] == COMMITTED and p.account[1] == record.grant), ZERO)
        return record.amount  # type: ignore[no-any-return]
    if txn.kind == "carryover":
        return sum((p.amount for p in txn.postings if p.account[0] == FUNDS and p.account[2] == txn.period), ZERO)
    if txn.kind in ("allocation", "closing"):  # received, or freed back to the partners' funds
        return sum((p.amount for p in txn.postings if p.account[0] == FUNDS), ZERO)
    if txn.kind == "closeout":
        return sum((p.amount for p in txn.postings if p.account[0] == HANDED_OVER), ZERO) or None
    if txn.kind == "spending":
        return record.amount  # type: ignore[no-any-return]
    return None


def _entry(txn: Transaction, ledger: Ledger, by_ref: dict[str, Transaction]) -> LogEntry:
    record: Any = txn.record
    common: dict[str, Any] = {"date": txn.date, "date_stated": txn.date_stated, "ref": txn.ref,
                              "decision": getattr(record, "decision", None), "override": getattr(record, "override", None),
                              "source": getattr(record, "source", None), "file": ledger.origins.get(txn.ref)}
    if txn.kind == "grant":
        return LogEntry(kind="grant", amount=moved(txn), grant=txn.grant, after=txn.after.get(txn.grant or ""), **common)
    if txn.kind == "change":
        return LogEntry(kind=record.kind, amount=moved(txn), grant=record.grant, to_grant=record.to_grant,
                        after=txn.after.get(record.grant), to_after=txn.after.get(record.to_grant or ""),
                        reason=record.reason, **common)
    if txn.kind == "carryover":
        return LogEntry(kind="carryover", amount=moved(txn), from_period=str(record.from_year), to_period=str(txn.period),
                        partner=record.partner, reason="; ".join(record.notes) or None, **common)
    if txn.kind == "closing":
        return LogEntry(kind="closing", amount=moved(txn), grant=record.grant, to_period=str(txn.period), reason=record.note,
                        **common)
    if txn.kind == "closeout":
        return LogEntry(kind="closeout", amount=moved(txn), reason=record.note, **common)
    if txn.kind == "reopening":
        return LogEntry(kind="reopening", reason=record.reason, **common)
    original = by_ref.get(txn.reverses or "")
    grant = txn.grant
    annuls_kind = txn.reversed_kind
    if original is not None and original.kind == "change":
        annuls_kind = original.record.kind  # type: ignore[attr-defined]
    return LogEntry(kind="annulment", amount=moved(original) if original is not None else None, grant=grant,
                    after=txn.after.get(grant or ""), reason=record.reason, annuls=txn.reverses, annuls_kind=annuls_kind,
                    annuls_date=original.date if original is not None else None, **common)


def build_log(ledger: Ledger, journal: Journal, as_of: dt.date | None = None) -> Log:
    """Every decision, change, carry-over, closing, closeout, reopening and annulment recorded by ``as_of``, in date order."""
    transactions = journal.until(as_of)
    by_ref = {t.ref: t for t in transactions if t.kind != "annulment"}
    annulled = {t.reverses: t for t in transactions if t.kind == "annulment" and t.reverses}
    entries = []
    for txn in transactions:
        if txn.kind not in LOGGED:
            continue
        entry = _entry(txn, ledger, by_ref)
        undone = annulled.get(txn.ref)
        if undone is not None:
            entry = replace(entry, annulled_by=undone.ref, annulled_on=undone.date,
                            annulled_reason=getattr(undone.record, "reason", None))
        entries.append(entry)
    names = {t.grant: t.record.name for t in journal.transactions  # type: ignore[attr-defined, misc]
             if t.kind == "grant" and t.grant is not None}
    return Log(ledger, as_of, tuple(entries), names, len(journal.problems))
