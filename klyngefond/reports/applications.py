"""Applications: applied (ansøgt) vs granted (tildelt) vs difference, per grant and in total. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from klyngefond.core.ledger import Ledger
from klyngefond.reports.status import grant_states

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ApplicationLine:
    grant_id: str
    name: str
    year: str | None
    applied: Decimal | None
    granted: Decimal  # as decided
    current: Decimal  # after later changes

    @property
    def difference(self) -> Decimal | None:
        """Granted less applied: negative when less was granted than applied for."""
        return None if self.applied is None else self.granted - self.applied


@dataclass(frozen=True)
class Applications:
    cluster_id: str
    cluster_name: str
    year: int | None
    lines: tuple[ApplicationLine, ...]

    @property
    def applied(self) -> Decimal:
        return sum((line.applied for line in self.lines if line.applied is not None), ZERO)

    @property
    def granted(self) -> Decimal:
        return sum((line.granted for line in self.lines), ZERO)

    @property
    def current(self) -> Decimal:
        return sum((line.current for line in self.lines), ZERO)

    @property
    def difference(self) -> Decimal:
        """Over the grants whose applied amount is known."""
        return sum((line.difference for line in self.lines if line.difference is not None), ZERO)

    @property
    def without_applied(self) -> tuple[ApplicationLine, ...]:
        return tuple(line for line in self.lines if line.applied is None)

    @property
    def changed(self) -> bool:
        return any(line.current != line.granted for line in self.lines)


def build_applications(ledger: Ledger, year: int | None = None) -> Applications:
    states = grant_states(ledger)
    lines = tuple(
        ApplicationLine(g.id, g.name, str(g.year) if g.year else None, g.applied, g.granted, states[g.id].amount)
        for g in ledger.grants
        if year is None or (g.year is not None and g.year.contains(year))
    )
    return Applications(ledger.cluster.id, ledger.cluster.name, year, lines)
