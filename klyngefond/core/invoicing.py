"""Who invoices whom for what: the split of a grant into invoices, what is left to issue, and balances.

Pure functions over records; nothing here reads files or knows today's date unless told.

Under the solidarity model (and every other model) the project owner keeps the accounts
and invoices each other contributing partner for its share of the grant; the owner's own
share is not invoiced. So, for one grant:

    sum(invoiced shares) + owner's share == granted      (to the øre)

What should have been invoiced per (grant, issuer, recipient) is the recipient's current
share when the issuer is the grant's owner, and nothing otherwise (e.g. after a transfer to
another owner). What has been invoiced is the sum of issued invoices minus credit notes.
A positive difference is an additional invoice; a negative one becomes credit notes, each
crediting one earlier invoice, newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from klyngefond.core.records import Grant, Invoice, InvoiceKind, Payment

ZERO = Decimal("0.00")

Key = tuple[str, str, str]
"""(grant id, issuer id, recipient id)."""


@dataclass(frozen=True)
class InvoiceLine:
    """One invoice the split calls for: ``recipient`` pays ``amount`` to the grant's owner."""

    recipient: str
    amount: Decimal


@dataclass(frozen=True)
class GrantSplit:
    """A grant divided into the invoices its owner sends and the owner's own share.

    ``shares`` is ``None`` when the source does not state the split; ``owner`` is ``None``
    when no project owner is recorded. In both cases there is nothing to invoice yet, but
    ``lines`` still shows (for a missing owner) what each partner's share is.
    """

    grant: Grant
    granted: Decimal
    shares: Mapping[str, Decimal] | None
    owner: str | None
    owner_share: Decimal
    lines: tuple[InvoiceLine, ...]

    @property
    def invoiced(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def reconciles(self) -> bool:
        """The invoices plus the owner's share make the grant, to the øre."""
        if self.shares is None:
            return True
        return self.invoiced + self.owner_share == self.granted

    @property
    def can_invoice(self) -> bool:
        return self.owner is not None and self.shares is not None


def split_grant(grant: Grant, granted: Decimal, shares: Mapping[str, Decimal] | None) -> GrantSplit:
    """The invoices for one grant: every partner with a share above zero except the owner.

    With no owner recorded, every share is listed as a line (nobody can be left out yet).
    """
    owner = grant.owner
    if shares is None:
        return GrantSplit(grant, granted, None, owner, ZERO, ())
    lines = tuple(InvoiceLine(pid, amount) for pid, amount in shares.items() if pid != owner and amount > 0)
    owner_share = shares.get(owner, ZERO) if owner is not None else ZERO
    return GrantSplit(grant, granted, shares, owner, owner_share, lines)


@dataclass(frozen=True)
class PayerTotal:
    """What ``payer`` pays ``payee`` in total over the grants in view.

    ``payee`` is ``None`` for the grants whose project owner is not recorded: the payer's
    share is known, but not yet to whom it goes.
    """

    payer: str
    payee: str | None
    amount: Decimal
    grants: tuple[str, ...]


def payer_totals(splits: Iterable[GrantSplit], order: Iterable[str]) -> tuple[PayerTotal, ...]:
    """Per payer and payee, the sum of the invoices; in the partners' file order."""
    amounts: dict[tuple[str, str | None], Decimal] = {}
    grants: dict[tuple[str, str | None], list[str]] = {}
    for split in splits:
        for line in split.lines:
            key = (line.recipient, split.owner)
            amounts[key] = amounts.get(key, ZERO) + line.amount
            grants.setdefault(key, []).append(split.grant.id)
    rank = {pid: index for index, pid in enumerate(order)}
    last = len(rank)
    keys = sorted(amounts, key=lambda k: (rank.get(k[0], last), k[1] is None, rank.get(k[1] or "", last)))
    return tuple(PayerTotal(payer, payee, amounts[(payer, payee)], tuple(grants[(payer, payee)])) for payer, payee in keys)


# --------------------------------------------------------------------------- what to issue


@dataclass(frozen=True)
class PlannedDocument:
    """An invoice or credit note that issuing would create (it has no number yet)."""

    kind: InvoiceKind
    grant: str
    issuer: str
    recipient: str
    amount: Decimal
    credits: str | None = None


def issued_net(invoices: Iterable[Invoice]) -> dict[Key, Decimal]:
    """Per (grant, issuer, recipient): invoices minus credit notes."""
    net: dict[Key, Decimal] = {}
    for invoice in invoices:
        key = (invoice.grant, invoice.issuer, invoice.recipient)
        sign = -1 if invoice.is_credit_note else 1
        net[key] = net.get(key, ZERO) + sign * invoice.amount
    return net


def credited_amounts(invoices: Iterable[Invoice]) -> dict[str, Decimal]:
    """Per invoice number, the total of the credit notes that credit it."""
    credited: dict[str, Decimal] = {}
    for invoice in invoices:
        if invoice.credits is not None:
            credited[invoice.credits] = credited.get(invoice.credits, ZERO) + invoice.amount
    return credited


def plan_documents(splits: Iterable[GrantSplit], invoices: Iterable[Invoice]) -> tuple[PlannedDocument, ...]:
    """What must be issued so that what is invoiced per grant and partner equals the split.

    Only grants in ``splits`` are considered, and only those that can be invoiced (owner
    and split known). Running this again after issuing its result gives nothing: issuing
    is idempotent because it is always the difference to what is already issued.
    """
    invoices = tuple(invoices)
    splits = [s for s in splits if s.can_invoice]
    wanted: dict[Key, Decimal] = {}
    for split in splits:
        for line in split.lines:
            wanted[(split.grant.id, split.owner, line.recipient)] = line.amount  # type: ignore[index]
    in_scope = {split.grant.id for split in splits}
    net = issued_net(invoices)
    keys = list(wanted) + [key for key in net if key[0] in in_scope and key not in wanted]

    credited = credited_amounts(invoices)
    planned: list[PlannedDocument] = []
    for key in keys:
        grant, issuer, recipient = key
        difference = wanted.get(key, ZERO) - net.get(key, ZERO)
        if difference > 0:
            planned.append(PlannedDocument("invoice", grant, issuer, recipient, difference))
        elif difference < 0:
            to_credit = -difference
            earlier = sorted(
                (i for i in invoices if not i.is_credit_note and (i.grant, i.issuer, i.recipient) == key),
                key=lambda i: (i.issue_date, _sequence(i.number), i.number),
                reverse=True,
            )
            for invoice in earlier:
                open_amount = invoice.amount - credited.get(invoice.number, ZERO)
                if open_amount <= 0:
                    continue
                amount = min(open_amount, to_credit)
                planned.append(PlannedDocument("credit_note", grant, issuer, recipient, amount, invoice.number))
                to_credit -= amount
                if to_credit == 0:
                    break
    return tuple(planned)


def _sequence(number: str) -> int:
    """The running number at the end of an invoice number (``…-0012`` -> 12), for ordering."""
    tail = number.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def invoice_number(cluster_id: str, issuer: str, sequence: int) -> str:
    """The number of an issuer's ``sequence``-th document in a cluster: ``sydvestjylland-esbjerg-0007``.

    The cluster is part of the number because a region (or a municipality) can belong to
    more than one cluster and must never send two documents with the same number.
    """
    return f"{cluster_id}-{issuer}-{sequence:04d}"


# --------------------------------------------------------------------------- payments


@dataclass(frozen=True)
class InvoiceState:
    """An issued document with what has been credited and paid against it."""

    invoice: Invoice
    credited: Decimal
    paid: Decimal

    @property
    def open(self) -> Decimal:
        """What the recipient still owes (negative: to be paid back after a credit note)."""
        if self.invoice.is_credit_note:
            return ZERO
        return self.invoice.amount - self.credited - self.paid

    def is_overdue(self, today: dt.date) -> bool:
        return self.open > 0 and self.invoice.due_date < today

    def state(self, today: dt.date) -> str:
        """credit_note, paid, refund, overdue, partly_paid or open."""
        if self.invoice.is_credit_note:
            return "credit_note"
        if self.open == 0:
            return "paid" if self.paid > 0 else "credited"
        if self.open < 0:
            return "refund"
        if self.is_overdue(today):
            return "overdue"
        return "partly_paid" if self.paid > 0 else "open"


def invoice_states(invoices: Iterable[Invoice], payments: Iterable[Payment]) -> tuple[InvoiceState, ...]:
    invoices = tuple(invoices)
    credited = credited_amounts(invoices)
    paid: dict[str, Decimal] = {}
    for payment in payments:
        paid[payment.invoice] = paid.get(payment.invoice, ZERO) + payment.amount
    return tuple(
        InvoiceState(invoice, credited.get(invoice.number, ZERO), paid.get(invoice.number, ZERO))
        for invoice in invoices
    )


@dataclass(frozen=True)
class PartnerBalance:
    """One partner's invoices, seen from both sides.

    As payer: ``invoiced`` (invoices minus credit notes it received), ``paid``,
    ``outstanding`` and the ``overdue`` part of it, with the overdue invoice numbers.
    As issuer: ``receivable``, what others still owe it.
    """

    partner: str
    invoiced: Decimal
    paid: Decimal
    overdue: Decimal
    overdue_invoices: tuple[str, ...]
    receivable: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.invoiced - self.paid


def partner_balances(
    states: Iterable[InvoiceState], order: Iterable[str], today: dt.date
) -> tuple[PartnerBalance, ...]:
    """Per partner (in ``order``) that issued or received a document, its balance on ``today``."""
    invoiced: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    overdue: dict[str, Decimal] = {}
    overdue_numbers: dict[str, list[str]] = {}
    receivable: dict[str, Decimal] = {}
    involved: set[str] = set()
    for state in states:
        invoice = state.invoice
        involved.update((invoice.issuer, invoice.recipient))
        sign = -1 if invoice.is_credit_note else 1
        invoiced[invoice.recipient] = invoiced.get(invoice.recipient, ZERO) + sign * invoice.amount
        paid[invoice.recipient] = paid.get(invoice.recipient, ZERO) + state.paid
        receivable[invoice.issuer] = receivable.get(invoice.issuer, ZERO) + sign * invoice.amount - state.paid
        if state.is_overdue(today):
            overdue[invoice.recipient] = overdue.get(invoice.recipient, ZERO) + state.open
            overdue_numbers.setdefault(invoice.recipient, []).append(invoice.number)
    return tuple(
        PartnerBalance(
            pid,
            invoiced.get(pid, ZERO),
            paid.get(pid, ZERO),
            overdue.get(pid, ZERO),
            tuple(overdue_numbers.get(pid, ())),
            receivable.get(pid, ZERO),
        )
        for pid in order
        if pid in involved
    )
