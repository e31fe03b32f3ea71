"""Proposals and changes: what each partner pays, what it has left before and after, who is
short, and the most the cluster can afford. Pure: ledger in, immutable report out.

The remaining funds a proposal is tested against are, without a year, each partner's
remaining over all years (allocation less everything committed, as ``status`` shows it);
with a year, the closing balance of that year (after carry-overs, as ``status --year``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from klyngefond.core.affordability import Shortfall, max_affordable, plan_for, shortfalls
from klyngefond.core.changes import apply_changes
from klyngefond.core.cofinancing import FinancingError, Shares, fund_holders, shares_for
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Change, Decision, Financing, Grant, UnknownSplit, YearSpan
from klyngefond.reports.notes import Note
from klyngefond.reports.status import build_status, grant_states

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ShareLine:
    """One partner: what it pays (``share``; for a change, the change in its share) and its
    remaining funds before and after."""

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
    year: int | None
    lines: tuple[ShareLine, ...]
    shortfalls: tuple[Shortfall, ...]
    max_affordable: Decimal | None
    partner_names: dict[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    grant_id: str | None = None
    to_grant: str | None = None
    to_name: str | None = None
    recorded: bool = False
    file: str | None = None
    refused: bool = False  # --record was asked for, but a partner is short and no override was given


def remaining_funds(ledger: Ledger, year: int | None = None) -> dict[str, Decimal]:
    """Each fund-holding partner's remaining funds: over all years, or at the close of ``year``."""
    report = build_status(ledger, year)
    remaining = {line.id: line.remaining for line in report.holders if not line.is_group}
    return {pid: remaining.get(pid, ZERO) for pid in fund_holders(ledger.cluster)}


def propose(
    ledger: Ledger,
    *,
    name: str,
    amount: Decimal,
    financing: Financing,
    owner: str | None,
    year: int | None = None,
) -> Proposal:
    """What a new grant of ``amount`` under ``financing`` would cost each partner.

    Raises ``FinancingError`` when the model cannot be applied (e.g. an unknown partner).
    """
    cluster = ledger.cluster
    shares = shares_for(financing, amount, cluster)
    if shares is None:
        raise FinancingError("a proposal needs a co-financing model that says who pays", key="model")
    remaining = remaining_funds(ledger, year)
    plan = plan_for(financing, cluster)
    best = max_affordable(plan, remaining, verify=lambda a: shares_for(financing, a, cluster, original=amount) or {})
    notes = []
    if owner is not None and shares.get(owner, ZERO) == 0:
        notes.append(Note("owner_not_paying", owner=_name(ledger, owner)))
    return Proposal(
        kind="grant",
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        name=name,
        amount=amount,
        model=financing.model,
        owner=owner,
        owner_name=_name(ledger, owner) if owner else None,
        year=year,
        lines=_lines(ledger, shares, remaining),
        shortfalls=tuple(shortfalls(shares, remaining)),
        max_affordable=best,
        partner_names=_names(ledger),
        notes=tuple(notes),
    )


def change_effect(ledger: Ledger, change: Change, year: int | None = None) -> Proposal:
    """What a change to a grant would do to every partner (the change in each share)."""
    cluster = ledger.cluster
    before = grant_states(ledger)
    after, issues = apply_changes(ledger.grants, ledger.changes + (change,))
    if issues:
        issue = issues[-1]
        raise FinancingError(issue.message, key=issue.key or "grant", hint=issue.hint)
    cost: dict[str, Decimal] = {}
    for grant_id in change.grants:
        grant = ledger.grant(grant_id)
        old = _shares(grant, before[grant_id].amount, ledger)  # type: ignore[arg-type]
        new = _shares(grant, after[grant_id].amount, ledger)  # type: ignore[arg-type]
        for pid in dict.fromkeys([*old, *new]):
            cost[pid] = cost.get(pid, ZERO) + new.get(pid, ZERO) - old.get(pid, ZERO)
    remaining = remaining_funds(ledger, year)
    grant = ledger.grant(change.grant)
    best = None
    if change.kind == "top-up" and not isinstance(grant.financing, UnknownSplit):  # type: ignore[union-attr]
        current = before[change.grant].amount
        current_shares = _shares(grant, current, ledger)  # type: ignore[arg-type]
        room = {pid: remaining.get(pid, ZERO) + current_shares.get(pid, ZERO) for pid in remaining}
        plan = plan_for(grant.financing, cluster)  # type: ignore[union-attr]
        total = max_affordable(plan, room)
        best = max(total - current, ZERO)
    target = ledger.grant(change.to_grant) if change.to_grant else None
    amount = change.amount if change.amount is not None else before[change.grant].amount
    notes = []
    if isinstance(grant.financing, UnknownSplit) or (target is not None and isinstance(target.financing, UnknownSplit)):  # type: ignore[union-attr]
        notes.append(Note("change_unsplit"))
    return Proposal(
        kind=change.kind,
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        name=grant.name,  # type: ignore[union-attr]
        amount=amount,
        model=grant.financing.model,  # type: ignore[union-attr]
        owner=grant.owner,  # type: ignore[union-attr]
        owner_name=_name(ledger, grant.owner) if grant.owner else None,  # type: ignore[union-attr]
        year=year,
        lines=_lines(ledger, {pid: v for pid, v in cost.items() if pid is not None}, remaining),
        shortfalls=tuple(shortfalls({pid: v for pid, v in cost.items() if pid is not None}, remaining)),
        max_affordable=best,
        partner_names=_names(ledger),
        notes=tuple(notes),
        grant_id=change.grant,
        to_grant=change.to_grant,
        to_name=target.name if target else None,
    )


def _shares(grant: Grant, amount: Decimal, ledger: Ledger) -> dict[str | None, Decimal]:
    shares = shares_for(grant.financing, amount, ledger.cluster, original=grant.granted)
    if shares is None:
        return {}  # the split is unknown: no partner's figure can change
    return dict(shares)


def _lines(ledger: Ledger, shares: Shares, remaining: dict[str, Decimal]) -> tuple[ShareLine, ...]:
    return tuple(
        ShareLine(pid, _name(ledger, pid), shares.get(pid, ZERO), remaining.get(pid, ZERO))
        for pid in fund_holders(ledger.cluster)
    )


def _name(ledger: Ledger, pid: str) -> str:
    partner = ledger.cluster.partner(pid)
    return partner.name if partner else pid


def _names(ledger: Ledger) -> dict[str, str]:
    return {p.id: p.name for p in ledger.cluster.partners}


def new_change(
    kind: str,
    grant: str,
    decision: Decision | None,
    amount: Decimal | None = None,
    to_grant: str | None = None,
    year: int | None = None,
) -> Change:
    """A change record for a proposal (undated proposals are tested as of today)."""
    decision = decision or Decision("politisk", dt.date.today())
    return Change(
        id="proposed",
        kind=kind,  # type: ignore[arg-type]
        grant=grant,
        decision=decision,
        amount=amount,
        to_grant=to_grant,
        year=YearSpan(year, year) if year is not None else None,
    )
