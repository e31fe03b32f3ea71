"""The status report: per partner what was allocated, what is committed to grants and what remains.

Pure: it takes a ledger and returns an immutable report. Renderers (terminal, JSON) turn
the report into text; they never compute.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from klyngefond.core.cofinancing import Shares, fund_holders, shares_for
from klyngefond.core.records import Grant, YearSpan
from klyngefond.reports.notes import Note
from klyngefond.reports.reference import Discrepancy, check_references
from klyngefond.core.ledger import Ledger

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class HolderLine:
    """One row of the partner table: a partner, or a group the source reports only together."""

    id: str
    name: str
    kind: str
    allocated: Decimal
    disbursed: Decimal
    is_group: bool = False

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.disbursed


@dataclass(frozen=True)
class GrantLine:
    """One grant and its split; ``shares`` is ``None`` when the source gives no split."""

    grant: Grant
    granted: Decimal
    shares: Shares | None


@dataclass(frozen=True)
class Totals:
    allocated: Decimal
    disbursed: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.disbursed


@dataclass(frozen=True)
class StatusReport:
    cluster_id: str
    cluster_name: str
    year: int | None
    holders: tuple[HolderLine, ...]
    grants: tuple[GrantLine, ...]
    totals: Totals
    unsplit: Decimal
    partner_names: dict[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = field(default_factory=tuple)


def _in_view(span: YearSpan | None, year: int | None) -> bool:
    return year is None or (span is not None and span.contains(year))


def grant_lines(ledger: Ledger, year: int | None = None) -> tuple[GrantLine, ...]:
    """Each grant in the view with its split into partner shares."""
    cluster = ledger.cluster
    return tuple(
        GrantLine(grant, grant.granted, shares_for(grant.financing, grant.granted, cluster))
        for grant in ledger.grants
        if _in_view(grant.year, year)
    )


def build_status(ledger: Ledger, year: int | None = None) -> StatusReport:
    """The status of a cluster's funds, for all years or for one year."""
    cluster = ledger.cluster
    notes: list[Note] = []
    allocations = [a for a in cluster.allocations if _in_view(a.year, year)]
    lines = grant_lines(ledger, year)

    disbursed: dict[str, Decimal] = {}
    unsplit = ZERO
    for line in lines:
        if line.shares is None:
            unsplit += line.granted
            notes.append(Note("unsplit_grant", grant=line.grant.name, amount=line.granted))
            continue
        for pid, share in line.shares.items():
            disbursed[pid] = disbursed.get(pid, ZERO) + share

    allocated: dict[str, Decimal] = {}
    for allocation in allocations:
        allocated[allocation.partner] = allocated.get(allocation.partner, ZERO) + allocation.amount
        if allocation.announced is not None and allocation.received is not None and allocation.announced != allocation.received:
            notes.append(Note("announced_received", holder=_holder_name(ledger, allocation.partner),
                              year=str(allocation.year), announced=allocation.announced, received=allocation.received,
                              difference=allocation.received - allocation.announced))
        if year is not None and allocation.year.is_period:
            notes.append(Note("period_allocation", holder=_holder_name(ledger, allocation.partner),
                              period=str(allocation.year), year=year))
    if year is not None:
        notes.extend(Note("grant_without_year", grant=g.name) for g in ledger.grants if g.year is None)

    holders: list[HolderLine] = []
    for pid in fund_holders(cluster):
        if pid in allocated or pid in disbursed:
            partner = cluster.partner(pid)
            holders.append(HolderLine(pid, partner.name, partner.kind, allocated.get(pid, ZERO), disbursed.get(pid, ZERO)))  # type: ignore[union-attr]
    for group in cluster.groups:
        if group.id in allocated:
            holders.append(HolderLine(group.id, group.name, "group", allocated[group.id], ZERO, is_group=True))
    for line in holders:
        if line.remaining < 0:
            notes.append(Note("overcommitted", holder=line.name, amount=-line.remaining))

    totals = Totals(sum(allocated.values(), ZERO), sum((line.granted for line in lines), ZERO))
    report = StatusReport(
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        year=year,
        holders=tuple(holders),
        grants=lines,
        totals=totals,
        unsplit=unsplit,
        partner_names={p.id: p.name for p in cluster.partners},
        notes=tuple(notes),
    )
    if year is not None:
        return report
    return replace(report, discrepancies=tuple(check_references(ledger, report)))


def _holder_name(ledger: Ledger, holder_id: str) -> str:
    holder = ledger.cluster.partner(holder_id) or ledger.cluster.group(holder_id)
    return holder.name if holder is not None else holder_id
