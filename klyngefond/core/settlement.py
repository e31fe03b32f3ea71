"""Squaring up between partners: the fewest transfers that settle their positions. Pure.

Each partner's position is what it is owed less what it owes, over every open invoice,
credit note and what invoicing still calls for (``core/invoicing.invoicing_differences``);
the positions add up to zero. :func:`settle` turns them into transfers: the partner that
owes most pays the partner that is owed most, as much as the smaller of the two, until
everyone is at zero. Each transfer brings at least one partner to zero and the last
brings two, so there are never more transfers than partners with a position, less one.
Ties go to the partner listed first in ``cluster.toml``, so the result never depends on
chance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")

Key = tuple[str, str, str]
"""(grant id, issuer id, recipient id)."""


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
