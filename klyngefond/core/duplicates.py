"""The same decision recorded twice: what makes two records one decision. Pure.

A command run twice (a double click, a script re-run) must not record a decision twice.
Two records are the same decision when they say the same thing on the same day, whatever
their ids and notes:

* grants: the same name (case and Danish letters aside) decided on the same date;
* changes: the same kind, grant(s) and amount on the same date;
* carry-overs: the same years, partner and amount;
* payments and refunds: the same invoice, date and amount;
* allocations: the same partner and year;
* spending: the same grant, amount, date and period;
* closings: the same grant on the same date; closeouts and reopenings: the same date.

Annulled records do not count: recording a decision again after annulling it is how a
mistake is corrected. Nor does a closeout a reopening named: the books may be closed again
on the same date.
"""

from __future__ import annotations

from typing import Any

from klyngefond.core.ids import fold
from klyngefond.core.ledger import Ledger, ref
from klyngefond.core.records import (
    Allocation,
    CarryOver,
    Change,
    Closeout,
    Grant,
    GrantClosing,
    Payment,
    Refund,
    Reopening,
    Spending,
)


def fingerprint(record: Any) -> tuple[Any, ...] | None:
    if isinstance(record, Grant):
        return ("grant", fold(record.name), record.date, record.year if record.date is None else None)
    if isinstance(record, Change):
        return ("change", record.kind, record.grant, record.to_grant, record.amount, record.date)
    if isinstance(record, CarryOver):
        return ("carryover", record.from_year, record.to_year, record.partner, record.amount)
    if isinstance(record, Payment):
        return ("payment", record.invoice, record.date, record.amount)
    if isinstance(record, Refund):
        return ("refund", record.invoice, record.date, record.amount)
    if isinstance(record, Allocation):
        return ("allocation", record.partner, record.year)
    if isinstance(record, Spending):
        return ("spending", record.grant, record.amount, record.date, record.period_from, record.period_to)
    if isinstance(record, GrantClosing):
        return ("closing", record.grant, record.date)
    if isinstance(record, Closeout):
        return ("closeout", record.date)
    if isinstance(record, Reopening):
        return ("reopening", record.closeout, record.date)
    return None


_FOLDERS = {"grant": "grants", "change": "changes", "carryover": "carryovers", "payment": "payments", "refund": "refunds",
            "allocation": "allocations", "spending": "spending", "closing": "closings", "closeout": "closeouts",
            "reopening": "reopenings"}


def already_recorded(candidate: Any, ledger: Ledger) -> str | None:
    """The reference (``grants/<id>``) of a record in force that is the same decision, if any."""
    wanted = fingerprint(candidate)
    if wanted is None:
        return None
    annulled = {a.record for a in ledger.annulments}
    annulled |= {ref("closeouts", r.closeout) for r in ledger.reopenings}  # a reopened closeout no longer holds
    folder = _FOLDERS[wanted[0]]
    for record in getattr(ledger, folder):
        if fingerprint(record) == wanted:
            reference = ref(folder, record.id or "")
            if reference not in annulled:
                return reference
    if folder == "allocations":
        for allocation in ledger.cluster.allocations:
            if fingerprint(allocation) == wanted:
                return "cluster.toml"
    return None
