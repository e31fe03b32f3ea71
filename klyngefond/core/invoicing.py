"""Who invoices whom for what: the split of a grant into invoices, and what is left to issue. Pure.

Under every co-financing model the project owner keeps the accounts and invoices each
other contributing partner for its share of the grant; the owner's own share is not
invoiced. So, for one grant:

    sum(invoiced shares) + owner's share == granted      (to the øre)

What should be invoiced per (grant, issuer, recipient) is the recipient's share when the
issuer is the grant's owner, and nothing otherwise (e.g. after the owner changed). What
*is* invoiced comes from the journal (``journal.query.invoiced_net``: invoices less credit
notes). A positive difference is an additional invoice; a negative one becomes credit
notes, each crediting one earlier invoice, newest first. Nothing here adds up balances of
its own: the shares and what is invoiced are both queries over the journal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from klyngefond.core.records import Grant, Invoice, InvoiceKind

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
    when no project owner is recorded. In both cases nothing can be invoiced yet, but
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
    """Per payer and payee, the sum of the invoice lines; in the partners' file order."""
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
    """An invoice or credit note that issuing would create (it has no number yet).

    ``cause`` is the record that made a credit note necessary (``changes/<id>`` or
    ``annulments/<id>``), when the journal shows one (``reports.invoices.credit_cause``).
    """

    kind: InvoiceKind
    grant: str
    issuer: str
    recipient: str
    amount: Decimal
    credits: str | None = None
    cause: str | None = None


def wanted_amounts(splits: Iterable[GrantSplit]) -> dict[Key, Decimal]:
    """Per (grant, owner, recipient), what the split calls for, for the grants that can be invoiced."""
    wanted: dict[Key, Decimal] = {}
    for split in splits:
        if not split.can_invoice:
            continue
        for line in split.lines:
            wanted[(split.grant.id, split.owner, line.recipient)] = line.amount  # type: ignore[index]
    return wanted


def invoicing_differences(wanted: Mapping[Key, Decimal], invoiced: Mapping[Key, Decimal],
                          grants: Iterable[str] | None = None) -> dict[Key, Decimal]:
    """Per (grant, issuer, recipient), what is still to be invoiced (positive) or credited (negative).

    ``wanted - invoiced``, for the ``grants`` named (all when ``None``); a key invoiced but
    no longer wanted (the owner changed, or the partner's share went to zero) is credited in
    full. The planner below, close-grant and the closeout all ask this one question.
    """
    scope = None if grants is None else set(grants)
    differences: dict[Key, Decimal] = {}
    for key in dict.fromkeys([*wanted, *invoiced]):
        if scope is not None and key[0] not in scope:
            continue
        difference = wanted.get(key, ZERO) - invoiced.get(key, ZERO)
        if difference:
            differences[key] = difference
    return differences


def plan_documents(
    wanted: Mapping[Key, Decimal],
    in_scope: Iterable[str],
    invoiced: Mapping[Key, Decimal],
    creditable: Iterable[tuple[Invoice, Decimal]],
) -> tuple[PlannedDocument, ...]:
    """What must be issued so that what is invoiced per grant and partner equals ``wanted``.

    ``in_scope`` are the grants considered (what is invoiced on other grants is left
    alone); ``invoiced`` is what is invoiced net of credit notes per key, and
    ``creditable`` each issued invoice with what it still bills after its credit notes
    (both from the journal). Planning again after issuing the result gives nothing:
    issuing is idempotent because it is always the difference to what is issued.
    """
    # Each key's invoices, gathered once: a key looks at its own invoices, not at all of them.
    by_key: dict[Key, list[tuple[Invoice, Decimal]]] = {}
    for invoice, left in creditable:
        if not invoice.is_credit_note and left > 0:
            by_key.setdefault((invoice.grant, invoice.issuer, invoice.recipient), []).append((invoice, left))
    planned: list[PlannedDocument] = []
    for key, difference in invoicing_differences(wanted, invoiced, in_scope).items():
        grant, issuer, recipient = key
        if difference > 0:
            planned.append(PlannedDocument("invoice", grant, issuer, recipient, difference))
        elif difference < 0:
            to_credit = -difference
            earlier = sorted(
                by_key.get(key, ()),
                key=lambda pair: (pair[0].issue_date, _sequence(pair[0].number), pair[0].number),
                reverse=True,
            )
            for invoice, left in earlier:
                amount = min(left, to_credit)
                planned.append(PlannedDocument("credit_note", grant, issuer, recipient, amount, invoice.number))
                to_credit -= amount
                if to_credit == 0:
                    break
    return tuple(planned)


def _sequence(number: str) -> int:
    """The running number at the end of an invoice number (``…-0012`` -> 12), for ordering."""
    tail = number.rsplit("-", 1)[-1]
    return int(tail) if tail.isascii() and tail.isdigit() else 0


def invoice_number(cluster_id: str, issuer: str, sequence: int) -> str:
    """The number an issuer's ``sequence``-th document in a cluster had before short numbers
    (``storage/numbering.py``): ``sydvestjylland-esbjerg-0007``. Such numbers stay valid."""
    return f"{cluster_id}-{issuer}-{sequence:04d}"
