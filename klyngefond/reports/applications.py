"""Applications: applied (ansøgt) against granted (tildelt), per grant and in total. Pure.

The total compares like with like: the applied and granted totals and their difference
count only the grants for which both amounts are known, so a grant whose applied amount
the source does not state can never look like money granted beyond what was applied for.
Every grant's amount as decided and as it stands now come from the journal; the applied
amount is the grant record's own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Cluster, Grant, YearSpan
from klyngefond.journal import query
from klyngefond.journal.model import Journal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ApplicationLine:
    grant: Grant
    period: YearSpan
    applied: Decimal | None
    granted: Decimal  # as decided
    current: Decimal  # after later changes

    @property
    def difference(self) -> Decimal | None:
        """Granted less applied: negative when less was granted than applied for."""
        return None if self.applied is None else self.granted - self.applied

    @property
    def changed(self) -> bool:
        return self.current != self.granted


@dataclass(frozen=True)
class Applications:
    cluster: Cluster
    span: YearSpan | None
    lines: tuple[ApplicationLine, ...]
    as_of: dt.date | None = None

    @property
    def compared(self) -> tuple[ApplicationLine, ...]:
        """The grants with both an applied and a granted amount: the only ones the totals compare."""
        return tuple(line for line in self.lines if line.applied is not None)

    @property
    def without_applied(self) -> tuple[ApplicationLine, ...]:
        return tuple(line for line in self.lines if line.applied is None)

    @property
    def applied(self) -> Decimal:
        return sum((line.applied for line in self.compared), ZERO)  # type: ignore[misc]

    @property
    def granted(self) -> Decimal:
        """Granted, over the compared grants."""
        return sum((line.granted for line in self.compared), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.granted - self.applied

    @property
    def granted_all(self) -> Decimal:
        """Granted, over every grant in the view."""
        return sum((line.granted for line in self.lines), ZERO)

    @property
    def current(self) -> Decimal:
        """The compared grants' amounts as they stand now."""
        return sum((line.current for line in self.compared), ZERO)

    @property
    def current_all(self) -> Decimal:
        return sum((line.current for line in self.lines), ZERO)

    @property
    def changed(self) -> bool:
        return any(line.changed for line in self.lines)


def build_applications(ledger: Ledger, journal: Journal, span: YearSpan | None = None,
                       as_of: dt.date | None = None) -> Applications:
    """Every grant decided (and not annulled) that draws on a period overlapping ``span``."""
    decided = {t.grant: t.after[t.grant] for t in journal.until(as_of) if t.kind == "grant" and t.grant in t.after}
    current = query.grant_amounts(journal, as_of=as_of)
    lines = []
    for grant_id in query.decided_grants(journal, as_of=as_of, span=span):
        grant = ledger.grant(grant_id)
        if grant is None:  # pragma: no cover - the journal's grants come from the ledger
            continue
        lines.append(ApplicationLine(grant, journal.grants[grant_id].period, grant.applied, decided[grant_id],
                                     current.get(grant_id, ZERO)))
    return Applications(ledger.cluster, span, tuple(lines), as_of)
