"""The closing statement of a cluster: per partner what was received, committed, spent, freed,
handed over and what remains; its invoices; and the settlement that squares up. Pure.

:func:`closing_statement` is the one model every output of the closeout is made from: the
terminal, ``--json``, Markdown, and (when the document engine lands) a Danish PDF per
partner. Every figure is a query over the journal as it stands at the end of the closing
date (``journal/query.py``); the settlement is :func:`core.settlement.settle` over the
partners' positions, and what invoicing still calls for is
:func:`core.invoicing.invoicing_differences`, the invoice planner's own question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from klyngefond.core.invoicing import invoicing_differences, wanted_amounts
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Closeout, Cluster
from klyngefond.core.settlement import Payment, settle
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal import query
from klyngefond.journal.model import UNATTRIBUTED, Journal
from klyngefond.reports.invoices import grant_splits

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PartnerStatement:
    """One holder at the close.

    Money: ``received = committed + spent + handed_over + remaining`` (``freed`` is what closed
    grants gave back; it is part of what was handed over or remains). Invoices, as payer:
    ``invoiced`` (less credit notes), ``paid`` (less refunds), ``outstanding``, ``to_be_refunded``;
    as issuer: ``receivable`` and ``to_refund``. ``to_invoice`` is what invoicing still calls for
    that is not issued (negative: to be credited), as payer. ``position`` is what the holder
    is owed (positive) or owes (negative) once all of it is squared up.
    """

    holder: str
    name: str
    kind: str
    received: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    freed: Decimal = ZERO
    handed_over: Decimal = ZERO
    remaining: Decimal = ZERO
    successor: str | None = None
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    to_be_refunded: Decimal = ZERO
    receivable: Decimal = ZERO
    to_refund: Decimal = ZERO
    to_invoice: Decimal = ZERO
    position: Decimal = ZERO
    label: str = ""  # the short name, for narrow tables


@dataclass(frozen=True)
class PendingDocument:
    """What invoicing still calls for on one grant: ``amount`` positive is an invoice ``issuer`` sends
    ``recipient``, negative a credit note."""

    grant: str
    grant_name: str
    issuer: str
    recipient: str
    amount: Decimal


@dataclass(frozen=True)
class Handover:
    holder: str
    name: str
    successor: str
    successor_id: str
    amount: Decimal


@dataclass(frozen=True)
class ClosingStatement:
    cluster: Cluster
    date: dt.date
    partners: tuple[PartnerStatement, ...]
    totals: PartnerStatement
    transfers: tuple[Payment, ...]
    pending: tuple[PendingDocument, ...]
    handover: tuple[Handover, ...]
    notes: tuple[Message, ...] = ()
    closeout: str | None = None  # the reference of the recorded closeout, once recorded
    recorded: bool = False
    file: str | None = None

    def name(self, holder: str) -> str:
        return self.cluster.holder_name(holder) if holder != UNATTRIBUTED else ""


def pending_documents(ledger: Ledger, journal: Journal, *, as_of: dt.date | None = None) -> tuple[PendingDocument, ...]:
    """What invoicing still calls for by ``as_of``: every grant's shares against what its owner invoiced."""
    wanted = wanted_amounts(grant_splits(ledger, journal, as_of=as_of))
    differences = invoicing_differences(wanted, query.invoiced_net(journal, as_of=as_of))
    names = {g.id: g.name for g in ledger.grants}
    return tuple(PendingDocument(key[0], names.get(key[0], key[0]), key[1], key[2], amount) for key, amount in differences.items())


def positions(journal: Journal, pending: tuple[PendingDocument, ...], *, as_of: dt.date | None = None) -> dict[str, Decimal]:
    """Per partner, what it is owed (positive) or owes (negative) over open documents and what is still to issue."""
    found: dict[str, Decimal] = {}

    def move(issuer: str, recipient: str, amount: Decimal) -> None:
        found[issuer] = found.get(issuer, ZERO) + amount
        found[recipient] = found.get(recipient, ZERO) - amount

    for balance in query.invoice_balances(journal, as_of=as_of).values():
        if balance.open:
            move(balance.invoice.issuer, balance.invoice.recipient, balance.open)
    for document in pending:
        move(document.issuer, document.recipient, document.amount)
    return found


def closing_statement(ledger: Ledger, journal: Journal, date: dt.date, closeout: Closeout | None = None) -> ClosingStatement:
    """The closing statement at the end of ``date``. ``journal`` holds ``closeout`` (recorded or proposed), if any."""
    cluster = ledger.cluster
    money = query.holder_totals(journal, as_of=date)
    invoicing = query.partner_invoicing(journal, as_of=date, on=date)
    pending = pending_documents(ledger, journal, as_of=date)
    owed = positions(journal, pending, as_of=date)
    to_invoice: dict[str, Decimal] = {}
    for document in pending:
        to_invoice[document.recipient] = to_invoice.get(document.recipient, ZERO) + document.amount
    successors = _successors(closeout, cluster)
    order = [p.id for p in cluster.partners] + [g.id for g in cluster.groups] + [UNATTRIBUTED]
    holders = [h for h in order if h in money or h in invoicing or h in owed]
    rows = []
    for holder in holders:
        line = money.get(holder, query.HolderTotals(holder))
        bill = invoicing.get(holder, query.PartnerInvoicing(holder))
        partner = cluster.partner(holder)
        kind = partner.kind if partner else ("group" if cluster.group(holder) else UNATTRIBUTED)
        rows.append(PartnerStatement(
            holder, cluster.holder_name(holder) if holder != UNATTRIBUTED else "", kind,
            line.received, line.committed, line.spent, line.freed, line.handed_over, line.remaining,
            successors.get(holder), bill.invoiced, bill.paid, bill.outstanding, bill.to_be_refunded, bill.receivable,
            bill.to_refund, to_invoice.get(holder, ZERO), owed.get(holder, ZERO), partner.label if partner else ""))
    totals = PartnerStatement("total", "", "total", *[sum((getattr(r, f) for r in rows), ZERO) for f in (
        "received", "committed", "spent", "freed", "handed_over", "remaining")], None,  # type: ignore[arg-type]
        *[sum((getattr(r, f) for r in rows), ZERO) for f in (
            "invoiced", "paid", "outstanding", "to_be_refunded", "receivable", "to_refund", "to_invoice", "position")])
    transfers = settle({h: v for h, v in owed.items() if v}, order)
    handover = tuple(Handover(holder, cluster.holder_name(holder), successors.get(holder, successor_id), successor_id, amount)
                     for (holder, successor_id), amount in query.handed_over(journal, as_of=date).items())
    notes = _notes(ledger, journal, date, rows, pending, closeout)
    return ClosingStatement(cluster, date, tuple(rows), totals, transfers, pending, handover, tuple(notes))


def _successors(closeout: Closeout | None, cluster: Cluster) -> dict[str, str]:
    if closeout is None:
        return {}
    named = {h: closeout.successors.get(h, closeout.successor) for h in cluster.holder_ids()}
    return {h: s for h, s in named.items() if s is not None}


def _notes(ledger: Ledger, journal: Journal, date: dt.date, rows: list[PartnerStatement], pending: tuple[PendingDocument, ...],
           closeout: Closeout | None) -> list[Message]:
    notes: list[Message] = []
    for gid, state in query.grant_spending(journal, as_of=date).items():
        grant = ledger.grant(gid)
        if grant is None or state.closed or not state.unspent:
            continue
        notes.append(Message("closeout.note_open_grant", grant=Verbatim(grant.name), unspent=state.unspent,
                             spent=state.spent, granted=state.granted))
    if pending:
        credits = sum((-d.amount for d in pending if d.amount < 0), ZERO)
        invoices = sum((d.amount for d in pending if d.amount > 0), ZERO)
        notes.append(Message("closeout.note_pending", count=len(pending), invoices=invoices, credits=credits))
    shares = query.grant_shares(journal, as_of=date)
    for grant in ledger.grants:
        split = {h: v for h, v in shares.get(grant.id, {}).items() if v}
        if not split:
            continue
        if UNATTRIBUTED in split:
            notes.append(Message("closeout.note_unsplit", grant=Verbatim(grant.name), amount=split[UNATTRIBUTED]))
        elif grant.owner is None:
            notes.append(Message("closeout.note_no_owner", grant=Verbatim(grant.name)))
    for period in journal.periods:
        unknown = query.balance(journal, UNATTRIBUTED, period, date)
        if unknown < 0:
            notes.append(Message("closeout.note_unattributed_period", period=str(period), amount=-unknown,
                                 total=sum((query.balance(journal, h, period, date) for h in ledger.cluster.holder_ids()), unknown)))
    for row in rows:
        if row.kind == UNATTRIBUTED:
            continue
        if row.remaining < 0:
            notes.append(Message("closeout.note_negative", holder=Verbatim(row.name), amount=-row.remaining))
        elif row.remaining > 0 and closeout is not None and row.successor is None and (closeout.successor or closeout.successors):
            notes.append(Message("closeout.note_no_successor", holder=Verbatim(row.name), amount=row.remaining))
    if closeout is not None and closeout.settlement:
        recorded = tuple((t.payer, t.payee, t.amount) for t in closeout.settlement)
        owed = positions(journal, pending, as_of=date)
        order = [p.id for p in ledger.cluster.partners]
        now = tuple((t.payer, t.payee, t.amount) for t in settle({h: v for h, v in owed.items() if v}, order))
        if recorded != now:
            notes.append(Message("closeout.note_settlement_differs"))
    return notes


def with_closeout(statement: ClosingStatement, reference: str, file: str | None = None) -> ClosingStatement:
    return replace(statement, closeout=reference, recorded=True, file=file)

