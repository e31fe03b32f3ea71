"""Squaring up between partners: what invoicing still calls for, and the fewest transfers that settle it. Pure.

**What invoicing still calls for.** The project owner of a grant invoices every other
partner its share (``core/invoicing.py``). After a grant is closed its shares are what
was spent, so a partner invoiced for more than its share of the spending is owed a credit
note for the difference, and one invoiced for less still owes the rest.
:func:`invoicing_differences` is that difference per (grant, owner, partner); it is the
same comparison the invoice planner makes (the invoicing branch's ``plan_documents``), kept
here as a small function so that closing does not depend on the planner's details.

**The settlement.** Each partner's position is what it is owed less what it owes, over
every open invoice, credit note and difference above; the positions add up to zero.
:func:`settle` turns them into transfers: the partner that owes most pays the partner
that is owed most, as much as the smaller of the two, until everyone is at zero. Each
transfer brings at least one partner to zero and the last brings two, so there are never
more transfers than partners with a position, less one. Ties go to the partner listed
first in ``cluster.toml``, so the result never depends on chance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")

Key = tuple[str, str, str]
"""(grant id, issuer id, recipient id)."""


def wanted_invoicing(shares: Mapping[str, Mapping[str, Decimal]], owners: Mapping[str, str | None]) -> dict[Key, Decimal]:
    """Per (grant, owner, partner), the partner's share of each grant whose owner and split are known."""
    wanted: dict[Key, Decimal] = {}
    for grant, split in shares.items():
        owner = owners.get(grant)
        if owner is None or "unattributed" in split:
            continue
        for holder, amount in split.items():
            if holder != owner and amount > 0:
                wanted[(grant, owner, holder)] = amount
    return wanted


def invoicing_differences(wanted: Mapping[Key, Decimal], invoiced: Mapping[Key, Decimal],
                          grants: Iterable[str] | None = None) -> dict[Key, Decimal]:
    """Per key, what is still to be invoiced (positive) or credited (negative): ``wanted - invoiced``.

    Only the ``grants`` named are considered (all when ``None``); a key invoiced but no longer
    wanted is credited in full.
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


@dataclass(frozen=True)
class Payment:
    """One transfer of a settlement: ``payer`` pays ``payee`` ``amount``."""

    payer: str
    payee: str
    amount: Decimal


def settle(positions: Mapping[str, Decimal], order: Iterable[str] = ()) -> tuple[Payment, ...]:
    """The transfers that bring every position to zero (positive: the partner is owed money).

    Raises ``ValueError`` when the positions do not add up to zero: then money would be
    created or lost.
    """
    if sum(positions.values(), ZERO) != 0:
        raise ValueError("positions do not add up to zero")
    rank = {pid: index for index, pid in enumerate(order)}
    last = len(rank)

    def key(pid: str) -> tuple[int, str]:
        return rank.get(pid, last), pid

    owed = {pid: amount for pid, amount in positions.items() if amount > 0}
    owing = {pid: -amount for pid, amount in positions.items() if amount < 0}
    transfers: list[Payment] = []
    while owed and owing:
        payee = min(owed, key=lambda p: (-owed[p], key(p)))
        payer = min(owing, key=lambda p: (-owing[p], key(p)))
        amount = min(owed[payee], owing[payer])
        transfers.append(Payment(payer, payee, amount))
        for book, pid in ((owed, payee), (owing, payer)):
            book[pid] -= amount
            if not book[pid]:
                del book[pid]
    return tuple(transfers)
