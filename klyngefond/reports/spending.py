"""Spending on grants and closing them: what a recorded spending or a closing does, partner by partner. Pure.

Every figure is a query over the journal (``journal/query.py``): the grant's shares and
what each partner has spent and still has committed (``grant_parts``), and the grant's
totals (``grant_spending``). The journal is built with the new record added, the same
way recording checks it, so what is shown is what the ledger will hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from klyngefond.core.invoicing import wanted_amounts
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Grant, GrantClosing, Spending, YearSpan
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal import query
from klyngefond.journal.model import FUNDS, UNATTRIBUTED, Journal
from klyngefond.reports.invoices import grant_splits

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PartLine:
    """One partner's part of a grant: its ``share``, what this record moved (``moved``: spent by a
    spending, freed by a closing), and what it has ``spent`` and still ``unspent`` afterwards."""

    holder: str
    name: str
    share: Decimal
    moved: Decimal
    spent: Decimal
    unspent: Decimal


@dataclass(frozen=True)
class InvoicingLine:
    """After a change to a grant's shares: what ``recipient`` was invoiced (net of credit notes) by
    the owner, its share now, and the difference (negative: to be credited)."""

    recipient: str
    name: str
    invoiced: Decimal
    share: Decimal

    @property
    def difference(self) -> Decimal:
        return self.share - self.invoiced


@dataclass(frozen=True)
class GrantEffect:
    """What a spending (``kind == "spending"``) or a closing (``"closing"``) does to one grant."""

    kind: str
    cluster_id: str
    cluster_name: str
    grant: Grant
    date: dt.date
    amount: Decimal  # spent by this record, or freed by the closing
    lines: tuple[PartLine, ...]
    totals: query.GrantSpending
    period: YearSpan | None = None  # where freed money returns
    covers: tuple[dt.date, dt.date] | None = None
    note: str | None = None
    recorded: bool = False
    file: str | None = None
    warnings: tuple[Message, ...] = field(default_factory=tuple)
    invoicing: tuple[InvoicingLine, ...] = ()


def _holder_name(ledger: Ledger, holder: str) -> str:
    return "" if holder == UNATTRIBUTED else ledger.cluster.holder_name(holder)


def grant_effect(ledger: Ledger, journal: Journal, record: Spending | GrantClosing) -> GrantEffect:
    """The effect of ``record`` on its grant in ``journal``, which already holds it."""
    kind = "spending" if isinstance(record, Spending) else "closing"
    txn = next(t for t in reversed(journal.transactions) if t.record is record)
    moved: dict[str, Decimal] = {}
    for posting in txn.postings:
        account = posting.account
        if kind == "spending" and account[0] == "spent":
            moved[account[2]] = moved.get(account[2], ZERO) + posting.amount  # type: ignore[index]
        elif kind == "closing" and account[0] == FUNDS:
            moved[account[1]] = moved.get(account[1], ZERO) + posting.amount  # type: ignore[index]
    parts = query.grant_parts(journal, record.grant)
    lines = []
    for holder, (committed, spent) in parts.items():
        share = committed + spent + (moved.get(holder, ZERO) if kind == "closing" else ZERO)
        if not share and not spent:
            continue
        lines.append(PartLine(holder, _holder_name(ledger, holder), share, moved.get(holder, ZERO), spent, committed))
    grant = ledger.grant(record.grant)
    assert grant is not None  # the loader and the command checked the grant
    totals = query.grant_spending(journal).get(record.grant, query.GrantSpending(record.grant))
    covers = (record.period_from, record.period_to) if isinstance(record, Spending) and record.period_from else None
    return GrantEffect(kind, ledger.cluster.id, ledger.cluster.name, grant, record.date,  # type: ignore[arg-type]
                       sum(moved.values(), ZERO), tuple(lines), totals, txn.period if kind == "closing" else None,
                       covers, record.note,  # type: ignore[arg-type]
                       invoicing=invoicing_after(ledger, journal, record.grant) if kind == "closing" else ())


def warnings_for(effect: GrantEffect) -> tuple[Message, ...]:
    """What the ledger should say about the grant after the record: spending beyond the grant."""
    found: list[Message] = []
    if effect.totals.overspent:
        found.append(Message("spending.note_overspent", grant=Verbatim(effect.grant.name), spent=effect.totals.spent,
                             granted=effect.totals.granted, over=effect.totals.overspent))
    return tuple(found)


def invoicing_after(ledger: Ledger, journal: Journal, grant_id: str) -> tuple[InvoicingLine, ...]:
    """Per partner the grant's owner invoiced, what invoicing now calls for (the invoice planner's split)."""
    grant = ledger.grant(grant_id)
    if grant is None or grant.owner is None:
        return ()
    invoiced = {key: amount for key, amount in query.invoiced_net(journal).items() if key[0] == grant_id}
    if not invoiced:
        return ()
    wanted = wanted_amounts(grant_splits(ledger, journal, grant=grant_id))
    lines = []
    for key in dict.fromkeys([*wanted, *invoiced]):
        if key[1] != grant.owner:
            continue
        lines.append(InvoicingLine(key[2], _holder_name(ledger, key[2]), invoiced.get(key, ZERO), wanted.get(key, ZERO)))
    return tuple(lines)
