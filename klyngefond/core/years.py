"""Balances per budget year: opening (carried in), the year's allocation, what was committed,
what was carried on, and the closing balance, for every holder of funds.

Pure. How the years are cut:

* Every dated item has a span: an allocation or grant its ``year`` (a grant without one
  the year of its decision), a change its ``year`` or else the year of its decision, a
  carry-over the year it carries into. Sources often state two years as one figure
  ("2022-2023"), so spans that overlap are merged into one *period*; the view of any year
  in it shows the whole period (and the report says so).
* A grant commits its original shares in its period; each later change commits (or frees)
  the difference it makes to the shares in the period of the change.
* Money does not move between years by itself. A carry-over decision moves it: each
  period inside ``from_year`` gives up its remainder (or the stated ``amount``, for one
  partner) to the period of ``to_year``. A remainder is carried whatever its sign, so the
  total carried is always the total that remained.
* Grants whose split between partners is unknown are committed to an *unattributed*
  row (holder ``None``), so totals stay right even where partners' figures cannot be.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from klyngefond.core.changes import GrantState
from klyngefond.core.cofinancing import shares_for
from klyngefond.core.records import CarryOver, Cluster, YearSpan

ZERO = Decimal("0.00")
Holder = str | None  # None: committed, but not attributable to a partner


@dataclass
class _Row:
    opening: Decimal = ZERO
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    carried_out: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.allocated - self.committed - self.carried_out


@dataclass(frozen=True)
class Balance:
    """One holder in one period. ``closing = opening + allocated - committed - carried_out``."""

    holder: Holder
    opening: Decimal
    allocated: Decimal
    committed: Decimal
    carried_out: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.allocated - self.committed - self.carried_out


@dataclass(frozen=True)
class Carried:
    """What one carry-over decision moved for one holder, from one period to another."""

    carryover: CarryOver
    holder: Holder
    amount: Decimal
    from_period: YearSpan
    to_period: YearSpan
    available: Decimal  # the holder's remainder in from_period before this carry-over


@dataclass(frozen=True)
class Period:
    span: YearSpan
    balances: tuple[Balance, ...]
    carried_in: tuple[Carried, ...] = ()
    carried_out: tuple[Carried, ...] = ()

    def balance(self, holder: Holder) -> Balance | None:
        return next((b for b in self.balances if b.holder == holder), None)


@dataclass(frozen=True)
class YearBook:
    """Every period in order, plus what could not be placed in any year."""

    periods: tuple[Period, ...]
    undated_grants: tuple[str, ...] = ()
    unplaced_carryovers: tuple[str, ...] = ()  # carry-overs whose from_year holds no funds at all
    carried: tuple[Carried, ...] = field(default_factory=tuple)

    def period_of(self, year: int) -> Period:
        """The period containing ``year``; an empty one-year period if nothing is recorded for it."""
        for period in self.periods:
            if period.span.contains(year):
                return period
        return Period(YearSpan(year, year), ())


def _merge(spans: Iterable[YearSpan]) -> list[YearSpan]:
    merged: list[YearSpan] = []
    for span in sorted(spans, key=lambda s: (s.first, s.last)):
        if merged and span.first <= merged[-1].last:
            last = merged[-1]
            merged[-1] = YearSpan(last.first, max(last.last, span.last))
        else:
            merged.append(span)
    return merged


def _year_of_change(step_change: object) -> YearSpan:
    change = step_change
    return change.year or YearSpan(change.date.year, change.date.year)  # type: ignore[attr-defined]


def grant_span(state: GrantState) -> YearSpan | None:
    grant = state.grant
    if grant.year is not None:
        return grant.year
    if grant.decision is not None:
        return YearSpan(grant.decision.date.year, grant.decision.date.year)
    return None


def build_yearbook(cluster: Cluster, states: Iterable[GrantState], carryovers: Iterable[CarryOver]) -> YearBook:
    """Balances for every period of a cluster, carry-overs applied in order."""
    states = tuple(states)
    carryovers = tuple(carryovers)
    # What is committed where: (span, holder, amount).
    commitments: list[tuple[YearSpan, Holder, Decimal]] = []
    undated: list[str] = []
    for state in states:
        span = grant_span(state)
        grant = state.grant
        if span is None:
            undated.append(grant.name)
            continue
        commitments.extend((span, holder, amount) for holder, amount in _shares(cluster, state, grant.granted).items())
        for step in state.steps:
            before = _shares(cluster, state, step.before)
            after = _shares(cluster, state, step.after)
            for holder in dict.fromkeys([*before, *after]):
                delta = after.get(holder, ZERO) - before.get(holder, ZERO)
                if delta:
                    commitments.append((_year_of_change(step.change), holder, delta))

    spans = [a.year for a in cluster.allocations] + [span for span, _, _ in commitments]
    spans += [YearSpan(c.to_year, c.to_year) for c in carryovers]
    periods = _merge(spans)
    rows: dict[YearSpan, dict[Holder, _Row]] = {p: {} for p in periods}

    def period_containing(year: int) -> YearSpan:
        return next(p for p in periods if p.contains(year))

    for allocation in cluster.allocations:
        row = rows[period_containing(allocation.year.first)].setdefault(allocation.partner, _Row())
        row.allocated += allocation.amount
    for span, holder, amount in commitments:
        row = rows[period_containing(span.first)].setdefault(holder, _Row())
        row.committed += amount

    carried: list[Carried] = []
    unplaced: list[str] = []
    ordered = sorted(carryovers, key=lambda c: (c.from_year.last, c.to_year, c.id))
    for period in periods:
        for carryover in ordered:
            sources = [p for p in periods if p.first <= carryover.from_year.last and p.last >= carryover.from_year.first]
            if period not in sources:
                continue
            if carryover.amount is not None and period != sources[-1]:
                continue  # a stated amount is taken once, from the latest period it names
            target = period_containing(carryover.to_year)
            if target == period:  # cannot happen for valid records: to_year lies after from_year
                continue
            holders = [carryover.partner] if carryover.partner is not None else list(rows[period])
            for holder in holders:
                row = rows[period].setdefault(holder, _Row())
                available = row.closing
                amount = carryover.amount if carryover.amount is not None else available
                if amount == 0 and carryover.amount is None:
                    continue
                row.carried_out += amount
                rows[target].setdefault(holder, _Row()).opening += amount
                carried.append(Carried(carryover, holder, amount, period, target, available))
    placed = {c.carryover.id for c in carried}
    for carryover in ordered:
        if carryover.id not in placed and not any(
            p.first <= carryover.from_year.last and p.last >= carryover.from_year.first for p in periods
        ):
            unplaced.append(carryover.id)

    order = _holder_order(cluster)
    built = []
    for span in periods:
        holders = sorted(rows[span], key=lambda h: order.get(h, len(order)))
        balances = tuple(
            Balance(h, r.opening, r.allocated, r.committed, r.carried_out)
            for h in holders
            for r in (rows[span][h],)
            if any((r.opening, r.allocated, r.committed, r.carried_out))
        )
        built.append(Period(
            span,
            balances,
            tuple(c for c in carried if c.to_period == span),
            tuple(c for c in carried if c.from_period == span),
        ))
    return YearBook(tuple(built), tuple(undated), tuple(unplaced), tuple(carried))


def _shares(cluster: Cluster, state: GrantState, amount: Decimal) -> dict[Holder, Decimal]:
    shares = shares_for(state.grant.financing, amount, cluster, original=state.grant.granted)
    if shares is None:
        return {None: amount} if amount else {}
    return dict(shares)


def _holder_order(cluster: Cluster) -> dict[Holder, int]:
    ids: list[Holder] = [*cluster.holder_ids(), None]
    return {h: i for i, h in enumerate(ids)}
