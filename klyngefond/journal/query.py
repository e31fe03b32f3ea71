"""Questions every view asks, answered from the journal's postings and nowhere else. Pure.

Each query takes the journal, an optional ``as_of`` date (the ledger as it stood at the end
of that day) and, for the funds, an optional span of budget years; it returns plain
immutable results that reports arrange and renderers word.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from klyngefond.core.records import Invoice, YearSpan
from klyngefond.journal.model import (
    COMMITTED,
    FUNDS,
    HANDED_OVER,
    RECEIVABLE,
    SPENT,
    UNATTRIBUTED,
    Journal,
    Transaction,
)

ZERO = Decimal("0.00")

_COMMITTING = {"grant", "change", "closing"}


@dataclass(frozen=True)
class FundsLine:
    """One holder's funds in a view: ``closing = opening + allocated - committed - carried_out - handed_over``.

    ``opening`` is what was carried in from outside the view's periods, ``carried_out`` what
    was carried on out of them; over all years both are zero, since carry-overs only move
    money between a holder's own periods. ``committed`` is net of what closed grants freed;
    ``handed_over`` is what a closeout handed over to the holder's successor.
    """

    holder: str
    opening: Decimal = ZERO
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    carried_out: Decimal = ZERO
    handed_over: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.allocated - self.committed - self.carried_out - self.handed_over

    def __add__(self, other: FundsLine) -> FundsLine:
        return FundsLine(self.holder, self.opening + other.opening, self.allocated + other.allocated,
                         self.committed + other.committed, self.carried_out + other.carried_out,
                         self.handed_over + other.handed_over)


def in_view(period: YearSpan, span: YearSpan | None) -> bool:
    return span is None or period.overlaps(span)


def funds(journal: Journal, *, as_of: dt.date | None = None, span: YearSpan | None = None) -> dict[str, FundsLine]:
    """Per holder (partners, groups and ``unattributed``), the funds of the periods in view.

    The view is every period that overlaps ``span`` (all periods when ``None``).
    """
    rows: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO, ZERO])
    for txn in journal.until(as_of):
        kind = txn.effective_kind
        for posting in txn.postings:
            account = posting.account
            if account[0] != FUNDS:
                continue
            if kind == "carryover":
                # Counted from the side the money leaves: what leaves a period in view for one
                # outside it is carried out; what leaves a period outside for one inside is
                # carried in. Movements inside the view (or over all years) net out.
                if span is None or account[2] == txn.period:
                    continue
                moved = -posting.amount  # negative again when the carry-over is annulled
                source_in, target_in = in_view(account[2], span), in_view(txn.period, span)  # type: ignore[arg-type]
                if source_in and not target_in:
                    rows[account[1]][3] += moved
                elif target_in and not source_in:
                    rows[account[1]][0] += moved
                continue
            if not in_view(account[2], span):  # type: ignore[arg-type]
                continue
            row = rows[account[1]]
            if kind == "allocation":
                row[1] += posting.amount
            elif kind == "closeout":
                row[4] -= posting.amount
            else:
                row[2] -= posting.amount
    return {holder: FundsLine(holder, *values) for holder, values in rows.items()}


def balance(journal: Journal, holder: str, period: YearSpan, as_of: dt.date | None = None) -> Decimal:
    """What ``holder`` has left in ``period`` at the end of ``as_of``."""
    account = (FUNDS, holder, period)
    return sum((p.amount for t in journal.until(as_of) for p in t.postings if p.account == account), ZERO)


def grant_shares(journal: Journal, *, as_of: dt.date | None = None) -> dict[str, dict[str, Decimal]]:
    """Per grant, each holder's share as it stands (committed plus spent), in posting order.

    A grant whose split is unknown has one share, on ``unattributed``.
    """
    shares: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for txn in journal.until(as_of):
        for posting in txn.postings:
            account = posting.account
            if account[0] in (COMMITTED, SPENT):
                grant = shares[account[1]]
                grant[account[2]] = grant.get(account[2], ZERO) + posting.amount
    return dict(shares)


def grant_amounts(journal: Journal, *, as_of: dt.date | None = None) -> dict[str, Decimal]:
    """Per grant, its amount as it stands on ``as_of`` (the sum of its shares)."""
    return {grant: sum(shares.values(), ZERO) for grant, shares in grant_shares(journal, as_of=as_of).items()}


def decided_grants(journal: Journal, *, as_of: dt.date | None = None, span: YearSpan | None = None) -> list[str]:
    """The grants decided by ``as_of`` (and not annulled by then), drawing on a period in view, in date order."""
    grants: dict[str, None] = {}
    for txn in journal.until(as_of):
        if txn.kind == "grant" and in_view(txn.period, span):  # type: ignore[arg-type]
            grants[txn.grant] = None  # type: ignore[index]
        elif txn.kind == "annulment" and txn.reversed_kind == "grant":
            grants.pop(txn.grant, None)  # type: ignore[arg-type]
    return list(grants)


def unattributed(line: FundsLine | None) -> bool:
    return line is not None and line.holder == UNATTRIBUTED


# --------------------------------------------------------------------------- invoices


@dataclass(frozen=True)
class InvoiceBalance:
    """An issued invoice on a date: its amount, what was credited, paid and refunded, and what is open.

    ``open`` is what the recipient still owes; negative when a credit note came after the
    payment and the issuer owes money back (until a refund is recorded).
    """

    invoice: Invoice
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    refunded: Decimal = ZERO

    @property
    def open(self) -> Decimal:
        return self.invoice.amount - self.credited - self.paid + self.refunded

    @property
    def net(self) -> Decimal:
        """What the invoice bills once its credit notes count: what a further credit note may still credit."""
        return self.invoice.amount - self.credited

    def is_overdue(self, on: dt.date) -> bool:
        due = self.invoice.due_date
        return self.open > 0 and due is not None and due < on

    def state(self, on: dt.date) -> str:
        """paid, credited, settled (credited after payment and the difference refunded), refund (money
        to pay back), overdue, partly_paid or open."""
        if self.open == 0:
            if self.refunded > 0:
                return "settled"
            return "paid" if self.paid > 0 else "credited"
        if self.open < 0:
            return "refund"
        if self.is_overdue(on):
            return "overdue"
        return "partly_paid" if self.paid > 0 else "open"


def invoice_balances(journal: Journal, *, as_of: dt.date | None = None, grant: str | None = None) -> dict[str, InvoiceBalance]:
    """Per invoice number (invoices only; credit notes count on the invoice they credit), of one ``grant`` or all."""
    rows: dict[str, list[Decimal]] = {}
    records: dict[str, Invoice] = {}
    for txn in journal.until(as_of):
        if txn.kind not in ("invoice", "credit_note", "payment", "refund") or (grant is not None and txn.grant != grant):
            continue
        for posting in txn.postings:
            if posting.account[0] != RECEIVABLE:
                continue
            number = posting.account[2]
            if txn.kind == "invoice":
                records[number] = txn.record  # type: ignore[assignment]
                rows[number] = [ZERO, ZERO, ZERO]
            elif number in rows:
                index = {"credit_note": 0, "payment": 1, "refund": 2}[txn.kind]
                rows[number][index] += abs(posting.amount)
    return {number: InvoiceBalance(records[number], *values) for number, values in rows.items()}


def credit_notes(journal: Journal, *, as_of: dt.date | None = None) -> list[Invoice]:
    """Credit notes issued by ``as_of``, in date order."""
    return [t.record for t in journal.until(as_of) if t.kind == "credit_note"]  # type: ignore[misc]


@dataclass(frozen=True)
class PartnerInvoicing:
    """One partner's invoices on a date, as payer and as issuer.

    As payer: ``invoiced`` (invoices less credit notes received), ``paid`` (less refunds
    received), ``outstanding``, its ``overdue`` part (with the invoice numbers) and
    ``to_be_refunded``, what issuers owe it back after credit notes on paid invoices.
    As issuer: ``receivable``, what others still owe it, and ``to_refund``, what it owes back.
    """

    partner: str
    invoiced: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    overdue: Decimal = ZERO
    overdue_invoices: tuple[str, ...] = ()
    to_be_refunded: Decimal = ZERO
    receivable: Decimal = ZERO
    to_refund: Decimal = ZERO


def partner_invoicing(journal: Journal, *, as_of: dt.date | None = None, on: dt.date,
                      grant: str | None = None) -> dict[str, PartnerInvoicing]:
    """Per partner that issued or received a document by ``as_of`` (of one ``grant`` or all), its balance;
    overdue judged on ``on``."""
    acc: dict[str, dict[str, object]] = {}

    def row(pid: str) -> dict[str, object]:
        return acc.setdefault(pid, {"invoiced": ZERO, "paid": ZERO, "outstanding": ZERO, "overdue": ZERO,
                                    "overdue_invoices": [], "to_be_refunded": ZERO, "receivable": ZERO, "to_refund": ZERO})

    for number, state in invoice_balances(journal, as_of=as_of, grant=grant).items():
        invoice = state.invoice
        payer, issuer = row(invoice.recipient), row(invoice.issuer)
        payer["invoiced"] += invoice.amount - state.credited  # type: ignore[operator]
        payer["paid"] += state.paid - state.refunded  # type: ignore[operator]
        if state.open > 0:
            payer["outstanding"] += state.open  # type: ignore[operator]
            issuer["receivable"] += state.open  # type: ignore[operator]
            if state.is_overdue(on):
                payer["overdue"] += state.open  # type: ignore[operator]
                payer["overdue_invoices"].append(number)  # type: ignore[attr-defined]
        elif state.open < 0:
            payer["to_be_refunded"] -= state.open  # type: ignore[operator]
            issuer["to_refund"] -= state.open  # type: ignore[operator]
    return {pid: PartnerInvoicing(pid, **{**values, "overdue_invoices": tuple(values["overdue_invoices"])})  # type: ignore[arg-type]
            for pid, values in acc.items()}


def invoiced_net(journal: Journal, *, as_of: dt.date | None = None) -> dict[tuple[str, str, str], Decimal]:
    """Per (grant, issuer, recipient): what is invoiced, less credit notes."""
    net: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
    for txn in journal.until(as_of):
        if txn.kind in ("invoice", "credit_note"):
            invoice: Invoice = txn.record  # type: ignore[assignment]
            sign = -1 if txn.kind == "credit_note" else 1
            net[(invoice.grant, invoice.issuer, invoice.recipient)] += sign * invoice.amount
    return dict(net)


# --------------------------------------------------------------------------- spending, closing and handover


@dataclass(frozen=True)
class GrantSpending:
    """A grant's money on a date: ``granted`` (its amount before any closing), what is
    ``spent``, what is still committed (``unspent``), and what closing it ``freed``.

    ``granted = spent + unspent + freed``; ``closed`` is the closing in force, if any.
    """

    grant: str
    spent: Decimal = ZERO
    unspent: Decimal = ZERO
    freed: Decimal = ZERO
    closed: str | None = None
    closed_on: dt.date | None = None

    @property
    def granted(self) -> Decimal:
        return self.spent + self.unspent + self.freed

    @property
    def overspent(self) -> Decimal:
        """What is spent beyond the grant (what is committed has gone below zero)."""
        return max(-self.unspent, ZERO)

    @property
    def share_spent(self) -> Decimal | None:
        """What is spent as a fraction of what was granted (``None`` for a grant of nothing)."""
        return None if not self.granted else self.spent / self.granted


def grant_spending(journal: Journal, *, as_of: dt.date | None = None) -> dict[str, GrantSpending]:
    """Per grant with money on it, what is spent, unspent and freed at the end of ``as_of``."""
    rows: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    closed: dict[str, Transaction] = {}
    for txn in journal.until(as_of):
        freeing = txn.effective_kind == "closing"
        if txn.kind == "closing":
            closed[txn.grant] = txn  # type: ignore[index]
        elif txn.kind == "annulment" and txn.reversed_kind == "closing":
            closed.pop(txn.grant, None)  # type: ignore[arg-type]
        for posting in txn.postings:
            account = posting.account
            if account[0] == SPENT:
                rows[account[1]][0] += posting.amount
            elif account[0] == COMMITTED:
                rows[account[1]][1] += posting.amount
                if freeing:
                    rows[account[1]][2] -= posting.amount
    return {gid: GrantSpending(gid, *values, closed=closed[gid].ref if gid in closed else None,
                               closed_on=closed[gid].date if gid in closed else None)
            for gid, values in rows.items()}


@dataclass(frozen=True)
class HolderTotals:
    """One holder's money over all years: ``received = committed + spent + handed_over + remaining``.

    ``freed`` is what closed grants gave back (it is part of ``remaining`` or was handed over).
    """

    holder: str
    received: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO
    freed: Decimal = ZERO
    handed_over: Decimal = ZERO
    remaining: Decimal = ZERO


def holder_totals(journal: Journal, *, as_of: dt.date | None = None) -> dict[str, HolderTotals]:
    """Per holder (partners, groups and ``unattributed``), its money at the end of ``as_of``, in first-posting order."""
    rows: dict[str, dict[str, Decimal]] = {}

    def row(holder: str) -> dict[str, Decimal]:
        return rows.setdefault(holder, {"received": ZERO, "committed": ZERO, "spent": ZERO, "freed": ZERO,
                                        "handed_over": ZERO, "remaining": ZERO})

    for txn in journal.until(as_of):
        kind = txn.effective_kind
        for posting in txn.postings:
            account, amount = posting.account, posting.amount
            if account[0] == FUNDS:
                line = row(account[1])  # type: ignore[arg-type]
                line["remaining"] += amount
                if kind == "allocation":
                    line["received"] += amount
                elif kind == "closing":
                    line["freed"] += amount
            elif account[0] in (COMMITTED, SPENT):
                row(account[2])["committed" if account[0] == COMMITTED else "spent"] += amount  # type: ignore[arg-type]
            elif account[0] == HANDED_OVER:
                row(account[1])["handed_over"] += amount  # type: ignore[arg-type]
    return {holder: HolderTotals(holder, **values) for holder, values in rows.items()}


def handed_over(journal: Journal, *, as_of: dt.date | None = None) -> dict[tuple[str, str], Decimal]:
    """Per (holder, successor id), what was handed over by the end of ``as_of``."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for txn in journal.until(as_of):
        for posting in txn.postings:
            if posting.account[0] == HANDED_OVER:
                totals[(posting.account[1], posting.account[2])] += posting.amount  # type: ignore[index]
    return {key: value for key, value in totals.items() if value}


def closeout_in_force(journal: Journal) -> Transaction | None:
    """The closeout that keeps the books closed: recorded, not annulled, and named by no reopening."""
    closeouts: dict[str, Transaction] = {}
    reopened: set[str] = set()
    for txn in journal.transactions:
        if txn.kind == "closeout":
            closeouts[txn.ref] = txn
        elif txn.kind == "annulment" and txn.reversed_kind == "closeout":
            closeouts.pop(txn.reverses, None)  # type: ignore[arg-type]
        elif txn.kind == "reopening":
            reopened.add(f"closeouts/{txn.record.closeout}")  # type: ignore[attr-defined]
    in_force = [txn for ref_, txn in closeouts.items() if ref_ not in reopened]
    return in_force[-1] if in_force else None


def grant_parts(journal: Journal, grant: str, *, as_of: dt.date | None = None) -> dict[str, tuple[Decimal, Decimal]]:
    """Per holder of a grant's shares, what is (still committed, spent) at the end of ``as_of``, in posting order."""
    parts: dict[str, list[Decimal]] = {}
    for txn in journal.until(as_of):
        for posting in txn.postings:
            account = posting.account
            if account[0] in (COMMITTED, SPENT) and account[1] == grant:
                row = parts.setdefault(account[2], [ZERO, ZERO])  # type: ignore[arg-type]
                row[0 if account[0] == COMMITTED else 1] += posting.amount
    return {holder: (values[0], values[1]) for holder, values in parts.items()}
