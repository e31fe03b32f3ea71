"""Proposals: what a new grant or a change would cost each partner, who would be short,
and the most the cluster can afford. Pure: ledger and journal in, immutable report out.

A decision draws on one budget period (``--year``, else the year of its date: see
``journal/build.py``), and what a partner can pay is what that period leaves it from the
decision's date on (``journal/capacity.py``): later commitments already recorded count.
Recording runs the journal's invariants on the result, so a proposal that shows no
shortfall records, and one that shows a shortfall is refused (the property tests check
that the two agree).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from klyngefond.core.affordability import Shortfall, max_affordable, plan_for, shortfalls
from klyngefond.core.cofinancing import FinancingError, Shares, basis_for, shares_for
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Change, Financing, UnknownSplit, YearSpan
from klyngefond.core.text import Name
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal import query
from klyngefond.journal.build import build_journal
from klyngefond.journal.capacity import available, capacities
from klyngefond.journal.model import FUNDS, UNATTRIBUTED, Journal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ShareLine:
    """One partner: what it pays (for a change: the change in its share) and what it can
    still commit in the period before and after."""

    partner: str
    name: str
    share: Decimal
    before: Decimal

    @property
    def after(self) -> Decimal:
        return self.before - self.share


@dataclass(frozen=True)
class Proposal:
    """A proposed grant (``kind == "grant"``) or change to one, and its effect on every partner."""

    kind: str
    cluster_id: str
    cluster_name: str
    name: str
    amount: Decimal
    model: str
    owner: str | None
    owner_name: str | None
    period: YearSpan
    date: dt.date
    lines: tuple[ShareLine, ...]
    shortfalls: tuple[Shortfall, ...]
    max_affordable: Decimal | None
    notes: tuple[Message, ...] = ()
    grant_id: str | None = None
    to_grant: str | None = None
    to_name: str | None = None
    unattributed: Decimal = ZERO  # a change to a grant whose split is unknown: the period's total pays
    unattributed_before: Decimal = ZERO
    recorded: bool = False
    file: str | None = None
    warnings: tuple[Message, ...] = field(default_factory=tuple)

    @property
    def affordable(self) -> bool:
        return not self.shortfalls and self.unattributed <= self.unattributed_before


def decision_period(journal: Journal, year: YearSpan | None, date: dt.date) -> YearSpan:
    """The budget period a decision dated ``date`` draws on: its ``year``, else the date's year."""
    return journal.period_of(year.first if year is not None else date.year)


def _names(ledger: Ledger) -> dict[str, str]:
    return {p.id: Name(p.name, p.label) for p in ledger.cluster.partners}


def _holder(cluster: Any, holder: str) -> str:
    """A partner's or group's name (with its short form); "" for the unattributed row."""
    return Name(cluster.holder_name(holder), cluster.holder_label(holder)) if holder != UNATTRIBUTED else ""


def _period_notes(journal: Journal, period: YearSpan, before: dict[str, Decimal]) -> list[Message]:
    notes = []
    if period not in journal.periods:
        notes.append(Message("proposals.empty_period", period=str(period)))
    elif not any(v > 0 for v in before.values()):
        notes.append(Message("proposals.no_funds_left", period=str(period)))
    return notes


def propose_grant(
    ledger: Ledger,
    journal: Journal,
    *,
    name: str,
    amount: Decimal,
    financing: Financing,
    owner: str | None,
    year: YearSpan | None,
    date: dt.date,
) -> Proposal:
    """What a new grant of ``amount`` under ``financing`` would cost each partner.

    Raises ``FinancingError`` when the model cannot be applied (e.g. an unknown partner).
    """
    cluster = ledger.cluster
    period = decision_period(journal, year, date)
    basis = basis_for(cluster, ledger.all_allocations(), year.last if year else date.year)
    shares = shares_for(financing, amount, basis)
    if shares is None:
        raise FinancingError(Message("proposals.needs_model"), key="model")
    before = capacities(ledger, journal, period, date, cluster.fund_holders())
    plan = plan_for(financing, basis)
    best = max_affordable(plan, before, verify=lambda a: shares_for(financing, a, basis, original=amount) or {})
    notes = _period_notes(journal, period, before)
    if owner is not None and shares.get(owner, ZERO) == 0:
        notes.append(Message("proposals.owner_not_paying", owner=Verbatim(cluster.holder_name(owner))))
    names = _names(ledger)
    return Proposal(
        kind="grant", cluster_id=cluster.id, cluster_name=cluster.name, name=name, amount=amount, model=financing.model,
        owner=owner, owner_name=names.get(owner or ""), period=period, date=date,
        lines=tuple(ShareLine(pid, names[pid], shares.get(pid, ZERO), before.get(pid, ZERO)) for pid in cluster.fund_holders()),
        shortfalls=tuple(shortfalls(shares, before)), max_affordable=best, notes=tuple(notes),
    )


def change_effect(ledger: Ledger, journal: Journal, change: Change) -> Proposal:
    """What a change to a grant would do to every partner: the change in each share."""
    cluster = ledger.cluster
    with_it = build_journal(ledger.with_records(changes=(change,)))
    problems = [p for p in with_it.problems if p not in journal.problems]
    if problems:
        raise FinancingError(problems[0].message, key=problems[0].key or "grant", hint=problems[0].hint)
    old = query.grant_shares(journal)
    new = query.grant_shares(with_it)
    cost: dict[str, Decimal] = {}
    for gid in change.grants:
        for holder in dict.fromkeys([*old.get(gid, {}), *new.get(gid, {})]):
            cost[holder] = cost.get(holder, ZERO) + new.get(gid, {}).get(holder, ZERO) - old.get(gid, {}).get(holder, ZERO)
    period = with_it.period_of((change.year.first if change.year else change.date.year))
    holders = cluster.fund_holders()
    before = capacities(ledger, journal, period, change.date, holders)
    unattributed = cost.pop(UNATTRIBUTED, ZERO)
    grant = ledger.grant(change.grant)
    assert grant is not None  # change_effect is called with a known grant
    best = None
    if change.kind == "top-up" and not isinstance(grant.financing, UnknownSplit):
        current = journal.grants[grant.id].amount
        current_shares = old.get(grant.id, {})
        room = {pid: before.get(pid, ZERO) + current_shares.get(pid, ZERO) for pid in holders}
        basis = basis_for(cluster, ledger.all_allocations(), journal.grants[grant.id].period.last)
        total = max_affordable(plan_for(grant.financing, basis), room)
        best = max(total - current, ZERO)
    target = ledger.grant(change.to_grant) if change.to_grant else None
    amount = change.amount if change.amount is not None else journal.grants[grant.id].amount
    notes = _period_notes(journal, period, before) if any(v > 0 for v in cost.values()) else []
    total_before = available(ledger, journal, period, change.date, None) if unattributed else ZERO
    if unattributed:
        notes.append(Message("proposals.change_unsplit", period=str(period), available=total_before))
    names = _names(ledger)
    return Proposal(
        kind=change.kind, cluster_id=cluster.id, cluster_name=cluster.name, name=grant.name, amount=amount,
        model=grant.financing.model, owner=grant.owner, owner_name=names.get(grant.owner or ""), period=period,
        date=change.date,
        lines=tuple(ShareLine(pid, names[pid], cost.get(pid, ZERO), before.get(pid, ZERO)) for pid in holders),
        shortfalls=tuple(shortfalls({k: v for k, v in cost.items() if k in names}, before)), max_affordable=best,
        notes=tuple(notes), grant_id=grant.id, to_grant=change.to_grant, to_name=target.name if target else None,
        unattributed=unattributed, unattributed_before=total_before,
    )


@dataclass(frozen=True)
class CarryLine:
    holder: str
    name: str
    from_period: str
    available: Decimal  # what the holder had left in the period on the day of the carry-over
    amount: Decimal


@dataclass(frozen=True)
class CarryReport:
    cluster_id: str
    cluster_name: str
    from_year: YearSpan
    to_period: YearSpan
    date: dt.date
    lines: tuple[CarryLine, ...]
    stated: Decimal | None = None
    recorded: bool = False
    file: str | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def carryover_effect(ledger: Ledger, journal: Journal, carryover: object) -> CarryReport:
    """What a carry-over would move, holder by holder, and what each had left to move."""
    with_it = build_journal(ledger.with_records(carryovers=(carryover,)))
    cluster = ledger.cluster
    txn = next((t for t in with_it.transactions if t.kind == "carryover" and t.record is carryover), None)
    lines = []
    if txn is not None:
        for posting in txn.postings:
            if posting.account[0] == FUNDS and posting.amount < 0:
                holder, period = posting.account[1], posting.account[2]
                left = query.balance(journal, holder, period, txn.date)  # type: ignore[arg-type]
                lines.append(CarryLine(holder, _holder(cluster, holder), str(period), left, -posting.amount))
    return CarryReport(cluster.id, cluster.name, carryover.from_year, with_it.period_of(carryover.to_year),  # type: ignore[attr-defined]
                       carryover.date, tuple(lines), getattr(carryover, "stated_amount", None))  # type: ignore[attr-defined]


def split_of(financing: Financing, amount: Decimal, ledger: Ledger, year: int) -> Shares | None:
    return shares_for(financing, amount, basis_for(ledger.cluster, ledger.all_allocations(), year))


@dataclass(frozen=True)
class AnnulLine:
    holder: str
    name: str
    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class AnnulReport:
    """What annulling a record does to each holder's remaining funds (all years)."""

    cluster_id: str
    cluster_name: str
    record: str
    kind: str
    date: dt.date
    reason: str
    lines: tuple[AnnulLine, ...]
    recorded: bool = False
    file: str | None = None


class CannotAnnul(ValueError):
    def __init__(self, message: Message, hint: Message | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.hint = hint


def annulment_effect(ledger: Ledger, journal: Journal, annulment: object) -> AnnulReport:
    """The journal with the annulment added: each holder's remaining funds before and after."""
    with_it = build_journal(ledger.with_records(annulments=(annulment,)))
    new = [p for p in with_it.problems if p not in journal.problems]
    if new:
        raise CannotAnnul(new[0].message, new[0].hint)
    before = query.funds(journal)
    after = query.funds(with_it)
    cluster = ledger.cluster
    lines = []
    for holder in dict.fromkeys([*before, *after]):
        old = before.get(holder, query.FundsLine(holder)).closing
        now = after.get(holder, query.FundsLine(holder)).closing
        if old != now:
            lines.append(AnnulLine(holder, _holder(cluster, holder), old, now))
    target = next((t for t in journal.transactions if t.ref == annulment.record and t.kind != "annulment"), None)  # type: ignore[attr-defined]
    return AnnulReport(cluster.id, cluster.name, annulment.record, target.kind if target else "", annulment.date,  # type: ignore[attr-defined]
                       annulment.reason, tuple(lines))  # type: ignore[attr-defined]
