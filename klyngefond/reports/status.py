"""The status report: per partner what was allocated, what is committed to grants and what remains.

Pure: it takes a ledger and returns an immutable report. Renderers (terminal, JSON) turn
the report into text; they never compute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from klyngefond.core.cofinancing import Shares, fund_holders, shares_for
from klyngefond.core.records import Grant, YearSpan
from klyngefond.reports.notes import Note
from klyngefond.reports.reference import Discrepancy, check_references
from klyngefond.core.ledger import Ledger

if TYPE_CHECKING:  # imported where used: a plain `status` of unchanged grants needs neither
    from klyngefond.core.changes import GrantState
    from klyngefond.core.years import Carried, YearBook

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
    opening: Decimal = ZERO
    carried_out: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        """What is left: in a year view, the closing balance after carry-overs."""
        return self.opening + self.allocated - self.disbursed - self.carried_out


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
    opening: Decimal = ZERO
    carried_out: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.opening + self.allocated - self.disbursed - self.carried_out


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
    period: YearSpan | None = None
    unattributed: HolderLine | None = None  # year view: grants whose split is unknown, and what carries with them


def _in_view(span: YearSpan | None, year: int | None) -> bool:
    return year is None or (span is not None and span.contains(year))


def grant_lines(ledger: Ledger, year: int | None = None) -> tuple[GrantLine, ...]:
    """Each grant in the view as it stands now (after its recorded changes) with its split.

    A withdrawn grant has ``granted`` 0 and ``shares`` ``{}``; a top-up, reduction or
    transfer re-splits the new amount by the grant's financing model.
    """
    cluster = ledger.cluster
    if ledger.changes:
        current = {grant_id: state.amount for grant_id, state in grant_states(ledger).items()}
    else:
        current = {g.id: g.granted for g in ledger.grants}
    lines = []
    for grant in ledger.grants:
        if not _in_view(grant.year, year):
            continue
        amount = current[grant.id]
        lines.append(GrantLine(grant, amount, shares_for(grant.financing, amount, cluster, original=grant.granted)))
    return tuple(lines)


def grant_states(ledger: Ledger) -> dict[str, GrantState]:
    """Every grant's current state and history, by id (see ``core.changes``)."""
    from klyngefond.core.changes import apply_changes

    return apply_changes(ledger.grants, ledger.changes)[0]


def build_status(ledger: Ledger, year: int | None = None) -> StatusReport:
    """The status of a cluster's funds, for all years or for one year."""
    if year is not None:
        return build_year_status(ledger, year)
    cluster = ledger.cluster
    notes: list[Note] = []
    allocations = [a for a in cluster.allocations if _in_view(a.year, year)]
    lines = grant_lines(ledger, year)
    notes.extend(change_notes(ledger, lines))

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
    found, left_out = _check_as_printed(ledger, report)
    notes = report.notes + ((Note("checked_as_decided"),) if left_out else ())
    return replace(report, discrepancies=tuple(found), notes=notes)


def _check_as_printed(ledger: Ledger, report: StatusReport) -> tuple[list[Discrepancy], bool]:
    """Check each printed figure against the ledger as it stood when it was printed.

    A figure describes the grants as decided by its document's date (``as_of``): later
    grants and later changes are left out. A figure without a date is checked against every
    grant as decided, without later changes. Returns the discrepancies, and whether anything
    was left out.
    """
    if not ledger.references:
        return [], False
    if not ledger.changes and all(f.as_of is None or _all_decided_by(ledger, f.as_of) for f in ledger.references):
        return check_references(ledger, report), False
    found: list[Discrepancy] = []
    for as_of in dict.fromkeys(f.as_of for f in ledger.references):
        figures = tuple(f for f in ledger.references if f.as_of == as_of)
        named = {f.grant for f in figures if f.grant}
        grants = tuple(g for g in ledger.grants if as_of is None or g.id in named or g.decision is None
                       or g.decision.date <= as_of)
        changes = () if as_of is None else tuple(c for c in ledger.changes if c.date <= as_of and set(c.grants) <= {g.id for g in grants})
        then = replace(ledger, grants=grants, changes=changes, references=figures)
        found.extend(check_references(then, build_status(then)))
    return found, True


def _all_decided_by(ledger: Ledger, as_of: object) -> bool:
    return all(g.decision is None or g.decision.date <= as_of for g in ledger.grants)  # type: ignore[operator]


def _holder_name(ledger: Ledger, holder_id: str) -> str:
    holder = ledger.cluster.partner(holder_id) or ledger.cluster.group(holder_id)
    return holder.name if holder is not None else holder_id


def yearbook(ledger: Ledger) -> YearBook:
    """Balances per period for the ledger as it stands (see ``core.years``)."""
    from klyngefond.core.years import build_yearbook

    return build_yearbook(ledger.cluster, grant_states(ledger).values(), ledger.carryovers)


def build_year_status(ledger: Ledger, year: int) -> StatusReport:
    """One year: per holder the opening balance carried in, the year's allocation, what was
    committed in the year (grants and later changes), what was carried on, and the closing."""
    from klyngefond.core.years import grant_span

    cluster = ledger.cluster
    book = yearbook(ledger)
    period = book.period_of(year)
    notes: list[Note] = []
    if period.span.is_period:
        notes.append(Note("period_view", period=str(period.span), year=year))
    holders: list[HolderLine] = []
    unattributed: HolderLine | None = None
    for balance in period.balances:
        if balance.holder is None:
            unattributed = HolderLine("unattributed", "", "unattributed", balance.allocated, balance.committed,
                                      opening=balance.opening, carried_out=balance.carried_out)
            continue
        partner = cluster.partner(balance.holder)
        group = cluster.group(balance.holder)
        name = partner.name if partner else group.name if group else balance.holder
        kind = partner.kind if partner else "group"
        holders.append(HolderLine(balance.holder, name, kind, balance.allocated, balance.committed,
                                  is_group=partner is None, opening=balance.opening, carried_out=balance.carried_out))
    for allocation in cluster.allocations:
        if period.span.contains(allocation.year.first) and allocation.announced is not None \
                and allocation.received is not None and allocation.announced != allocation.received:
            notes.append(Note("announced_received", holder=_holder_name(ledger, allocation.partner),
                              year=str(allocation.year), announced=allocation.announced, received=allocation.received,
                              difference=allocation.received - allocation.announced))
    for carried in period.carried_in:
        notes.append(_carried_note("carried_in", ledger, carried))
    for carried in period.carried_out:
        notes.append(_carried_note("carried_out", ledger, carried))
        if carried.carryover.amount is not None and carried.amount > carried.available:
            notes.append(Note("carried_more_than_left", holder=_holder_name(ledger, carried.holder),
                              amount=carried.amount, available=carried.available))
    for carryover in ledger.carryovers:
        stated = carryover.stated_amount
        moved = [c for c in book.carried if c.carryover.id == carryover.id]
        if stated is not None and moved and period.span in {c.to_period for c in moved}:
            total = sum((c.amount for c in moved), ZERO)
            if total != stated:
                notes.append(Note("carried_differs", source=carryover.source or carryover.id, stated=stated,
                                  computed=total, difference=stated - total))
    notes.extend(Note("grant_without_year", grant=name) for name in book.undated_grants)
    for line in holders:
        if line.remaining < 0:
            notes.append(Note("overcommitted_year", holder=line.name, amount=-line.remaining))

    states = grant_states(ledger)
    lines = []
    for grant in ledger.grants:
        span = grant_span(states[grant.id])
        if span is not None and period.span.first <= span.first and span.last <= period.span.last:
            amount = states[grant.id].amount
            lines.append(GrantLine(grant, amount, shares_for(grant.financing, amount, cluster, original=grant.granted)))
    notes.extend(change_notes(ledger, lines))
    rows = holders + ([unattributed] if unattributed else [])
    totals = Totals(
        allocated=sum((r.allocated for r in rows), ZERO),
        disbursed=sum((r.disbursed for r in rows), ZERO),
        opening=sum((r.opening for r in rows), ZERO),
        carried_out=sum((r.carried_out for r in rows), ZERO),
    )
    return StatusReport(
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        year=year,
        holders=tuple(holders),
        grants=tuple(lines),
        totals=totals,
        unsplit=unattributed.disbursed if unattributed else ZERO,
        partner_names={p.id: p.name for p in cluster.partners},
        notes=tuple(notes),
        period=period.span,
        unattributed=unattributed,
    )


def _carried_note(code: str, ledger: Ledger, carried: Carried) -> Note:
    decision = carried.carryover.decision
    return Note(
        code,
        holder=_holder_name(ledger, carried.holder) if carried.holder is not None else "",
        amount=carried.amount,
        from_period=str(carried.from_period),
        to_period=str(carried.to_period),
        decided=f"{decision.level} {decision.date:%d-%m-%Y}" if decision else "",
        source=carried.carryover.source or "",
    )


def change_notes(ledger: Ledger, lines: Iterable[GrantLine]) -> list[Note]:
    """One note per grant changed since its decision: what was granted, what it is now."""
    if not ledger.changes:
        return []
    states = grant_states(ledger)
    notes = []
    for line in lines:
        state = states[line.grant.id]
        if not state.steps:
            continue
        last = state.steps[-1].change.date
        if state.withdrawn:
            notes.append(Note("grant_withdrawn", grant=line.grant.name, original=line.grant.granted, date=f"{last:%d-%m-%Y}"))
        else:
            notes.append(Note("grant_changed", grant=line.grant.name, original=line.grant.granted, amount=state.amount,
                              count=len(state.steps), date=f"{last:%d-%m-%Y}"))
    return notes
