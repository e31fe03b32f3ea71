"""Checking the figures printed in the source documents against the ledger's exact figures.

Printed tables round each cell on its own and are typed by hand, so their cells need not
agree with an exact split, nor add up to their printed totals. Each disagreement becomes a
``Discrepancy`` that says which cell, by how much, and of which kind, instead of being hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import ReferenceFigure

if TYPE_CHECKING:
    from klyngefond.reports.status import StatusReport

ZERO = Decimal("0.00")

DiscrepancyKind = Literal["differs", "not_in_ledger", "parts_do_not_add_up", "received_vs_announced"]


@dataclass(frozen=True)
class Discrepancy:
    """A printed figure that disagrees with the ledger (or with the figures printed beside it).

    ``computed`` is the ledger's exact figure (``None`` when the ledger cannot say); for
    ``parts_do_not_add_up`` it is the sum of the printed parts.
    """

    kind: DiscrepancyKind
    figure: ReferenceFigure
    computed: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.computed is None else self.figure.amount - self.computed


def check_references(ledger: Ledger, report: StatusReport) -> list[Discrepancy]:
    """Every printed figure that disagrees with the all-years ``report`` of the same ledger."""
    found: list[Discrepancy] = []
    for figure in ledger.references:
        computed = _computed(ledger, report, figure)
        if computed is None and figure.measure == "received":
            announced = _allocation_sum(ledger, figure, "announced")
            if announced is not None and announced != figure.amount:
                found.append(Discrepancy("received_vs_announced", figure, announced))
                continue
        if computed is None:
            found.append(Discrepancy("not_in_ledger", figure, None))
        elif computed != figure.amount:
            found.append(Discrepancy("differs", figure, computed))
    found.extend(_printed_sums(ledger.references))
    return found


def _computed(ledger: Ledger, report: StatusReport, figure: ReferenceFigure) -> Decimal | None:
    holders = {line.id: line for line in report.holders}
    grants = {line.grant.id: line for line in report.grants}
    measure, partner, grant = figure.measure, figure.partner, figure.grant

    if measure in ("received", "allocated", "announced"):
        return _allocation_sum(ledger, figure, measure)
    if measure in ("granted", "applied"):
        lines = [grants[grant]] if grant is not None else list(grants.values())
        if measure == "granted":
            return sum((line.granted for line in lines), ZERO)
        applied = [line.grant.applied for line in lines]
        return None if any(a is None for a in applied) else sum(applied, ZERO)  # type: ignore[arg-type]
    if measure == "share":
        shares = grants[grant].shares if grant is not None else None
        return None if shares is None or partner is None else shares.get(partner, ZERO)
    if partner is None:
        return report.totals.disbursed if measure == "disbursed" else report.totals.remaining
    line = holders.get(partner)
    if line is None or line.is_group:
        return None
    return line.disbursed if measure == "disbursed" else line.remaining


def _allocation_sum(ledger: Ledger, figure: ReferenceFigure, measure: str) -> Decimal | None:
    """The ledger's received, announced or allocated (received else announced) amount, if any."""
    allocations = [
        a for a in ledger.cluster.allocations
        if (figure.partner is None or a.partner == figure.partner)
        and (figure.year is None or (a.year.first >= figure.year.first and a.year.last <= figure.year.last))
    ]
    values = [a.amount if measure == "allocated" else getattr(a, measure) for a in allocations]
    known = [v for v in values if v is not None]
    return sum(known, ZERO) if known else None


def _printed_sums(figures: tuple[ReferenceFigure, ...]) -> list[Discrepancy]:
    """Printed totals that differ from the sum of the printed parts beside them."""
    parts: dict[tuple[str, str | None], list[ReferenceFigure]] = defaultdict(list)
    totals: dict[tuple[str, str | None], ReferenceFigure] = {}
    for figure in figures:
        if figure.year is not None:
            continue
        if figure.measure == "share" and figure.partner is not None:
            parts[("share", figure.grant)].append(figure)
        elif figure.measure == "granted" and figure.grant is not None:
            totals[("share", figure.grant)] = figure
        elif figure.measure in ("disbursed", "remaining", "received", "allocated"):
            key = (figure.measure, None)
            if figure.partner is not None:
                parts[key].append(figure)
            else:
                totals[key] = figure
    found = []
    for key, total in totals.items():
        if key in parts:
            printed_sum = sum((f.amount for f in parts[key]), ZERO)
            if printed_sum != total.amount:
                found.append(Discrepancy("parts_do_not_add_up", total, printed_sum))
    return found
