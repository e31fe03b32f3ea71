"""What a carry-over decision would move: per holder, the remainder and the amount carried. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import CarryOver
from klyngefond.reports.status import yearbook

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CarryLine:
    holder: str | None  # None: grants whose split between partners is unknown
    name: str
    from_period: str
    available: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CarryReport:
    cluster_id: str
    cluster_name: str
    carryover: CarryOver
    lines: tuple[CarryLine, ...]
    recorded: bool = False
    carryover_id: str | None = None
    file: str | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def carryover_effect(ledger: Ledger, carryover: CarryOver) -> CarryReport:
    """The ledger's year balances with ``carryover`` added: what it moves, holder by holder."""
    with_it = replace(ledger, carryovers=ledger.carryovers + (carryover,))
    book = yearbook(with_it)
    lines = []
    for carried in book.carried:
        if carried.carryover is not carryover:
            continue
        holder = carried.holder
        partner = ledger.cluster.partner(holder) if holder else None
        group = ledger.cluster.group(holder) if holder else None
        name = partner.name if partner else group.name if group else ""
        lines.append(CarryLine(holder, name, str(carried.from_period), carried.available, carried.amount))
    return CarryReport(ledger.cluster.id, ledger.cluster.name, carryover, tuple(lines))
