"""The status report: per partner what was received, committed and what remains; per grant its split.

Pure: journal in, immutable report out; every figure is a query over the journal
(``journal/query.py``). The same report serves all years, one year or period
(``--year``), and any day (``--as-of``), with the notes and the source checks that belong
to that view. Renderers (``render/status_view.py``) word it; they never compute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Cluster, FocusArea, Grant, YearSpan
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal import query
from klyngefond.journal.model import UNATTRIBUTED, Journal
from klyngefond.reports.reference import Discrepancy, check_figures, figure_period
from klyngefond.reports.view import View

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class HolderLine:
    """One row of the partner table: a partner, a group the source reports only together, or
    ``unattributed`` (grants whose split between partners is not stated)."""

    id: str
    name: str
    label: str
    kind: str
    funds: query.FundsLine

    @property
    def is_group(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True)
class GrantLine:
    """A grant in the view: its amount and split as they stand on the view's day."""

    grant: Grant
    amount: Decimal
    shares: dict[str, Decimal] | None  # None: the source does not state the split
    period: YearSpan
    changes: int = 0
    withdrawn: bool = False
    date_stated: bool = True
    spending: query.GrantSpending | None = None  # spent, unspent and freed, as the journal stands on the view's day


@dataclass(frozen=True)
class FocusAreaLine:
    area: FocusArea
    grants: tuple[str, ...]


@dataclass(frozen=True)
class StatusReport:
    cluster: Cluster
    view: View
    shown_span: YearSpan | None
    periods: tuple[YearSpan, ...]
    holders: tuple[HolderLine, ...]
    totals: query.FundsLine
    grants: tuple[GrantLine, ...]
    notes: tuple[Message, ...] = ()
    conditions: tuple[Message, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    focus_areas: tuple[FocusAreaLine, ...] = ()
    invoicing: tuple[query.PartnerInvoicing, ...] = ()
    cluster_notes: tuple[str, ...] = field(default_factory=tuple)
    grant_names: dict[str, str] = field(default_factory=dict)
    judged_on: dt.date | None = None  # the day overdue invoices are judged on

    @property
    def unsplit(self) -> Decimal:
        return sum((g.amount for g in self.grants if g.shares is None), ZERO)

    @property
    def has_spending(self) -> bool:
        """Whether spending or a closing is recorded for a grant in view (then the spending table is shown)."""
        return any(g.spending is not None and (g.spending.spent or g.spending.freed) for g in self.grants)


def holder_lines(cluster: Cluster, lines: dict[str, query.FundsLine]) -> tuple[HolderLine, ...]:
    """The rows in the cluster file's order: partners, then groups, then ``unattributed``."""
    rows = []
    for partner in cluster.partners:
        if partner.id in lines:
            rows.append(HolderLine(partner.id, partner.name, partner.label, partner.kind, lines[partner.id]))
    for group in cluster.groups:
        if group.id in lines:
            rows.append(HolderLine(group.id, group.name, group.label, "group", lines[group.id]))
    if UNATTRIBUTED in lines:
        rows.append(HolderLine(UNATTRIBUTED, "", "", UNATTRIBUTED, lines[UNATTRIBUTED]))
    return tuple(rows)


def build_status(ledger: Ledger, journal: Journal, view: View = View(), today: dt.date | None = None) -> StatusReport:
    """The status of a cluster's funds in ``view``."""
    cluster = ledger.cluster
    shown = view.shown_span(journal)
    lines = query.funds(journal, as_of=view.as_of, span=shown)
    holders = holder_lines(cluster, {h: line for h, line in lines.items() if any(
        (line.opening, line.allocated, line.committed, line.carried_out))})
    totals = query.FundsLine("total")
    for row in holders:
        totals = totals + row.funds

    shares = query.grant_shares(journal, as_of=view.as_of)
    decided = query.decided_grants(journal, as_of=view.as_of, span=shown)
    states = journal.grants
    dated = {t.grant: t.date_stated for t in journal.transactions if t.kind == "grant"}
    changes = _changes_until(journal, view.as_of)
    progress = query.grant_spending(journal, as_of=view.as_of)
    withdrawn = _withdrawn(journal, view.as_of)
    grant_lines = []
    for gid in decided:
        grant = ledger.grant(gid)
        split = {h: v for h, v in shares.get(gid, {}).items() if v}
        amount = sum(split.values(), ZERO)
        known = None if UNATTRIBUTED in split or (not split and _unknown_model(grant)) else split
        grant_lines.append(GrantLine(grant, amount, known, states[gid].period, changes.get(gid, 0),  # type: ignore[arg-type]
                                     gid in withdrawn, dated.get(gid, True), progress.get(gid)))

    notes = _notes(ledger, journal, view, shown, holders, grant_lines)
    notes += _spending_notes(grant_lines, view.as_of or today or dt.date.today())
    conditions = tuple(Message("status.condition", grant=Verbatim(g.grant.name), condition=Verbatim(g.grant.condition))
                       for g in grant_lines if g.grant.condition)
    discrepancies = tuple(d for d in check_figures(ledger.references, journal) if _figure_in_view(d, journal, view))
    areas = tuple(FocusAreaLine(area, tuple(g.grant.name for g in grant_lines if g.grant.focus_area == area.name))
                  for area in cluster.focus_areas)
    invoicing: tuple[query.PartnerInvoicing, ...] = ()
    judged_on = view.as_of or today or dt.date.today()
    if ledger.invoices:
        balances = query.partner_invoicing(journal, as_of=view.as_of, on=judged_on)
        invoicing = tuple(balances[p.id] for p in cluster.partners if p.id in balances)
    return StatusReport(cluster, view, shown, view.periods(journal), holders, totals, tuple(grant_lines), tuple(notes),
                        conditions, discrepancies, areas, invoicing, cluster.notes, {g.id: g.name for g in ledger.grants},
                        judged_on)


def _unknown_model(grant: Grant | None) -> bool:
    return grant is not None and grant.financing.model == "unknown"


def _changes_until(journal: Journal, as_of: dt.date | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for txn in journal.until(as_of):
        if txn.kind == "change" or (txn.kind == "annulment" and txn.reversed_kind == "change"):
            step = -1 if txn.kind == "annulment" else 1
            for gid in txn.after:
                counts[gid] = counts.get(gid, 0) + step
    return counts


def _withdrawn(journal: Journal, as_of: dt.date | None) -> set[str]:
    """The grants withdrawn by ``as_of`` (a withdrawal whose annulment brought money back no longer counts)."""
    withdrawn: set[str] = set()
    for txn in journal.until(as_of):
        if txn.grant is None:
            continue
        if txn.kind == "change" and getattr(txn.record, "kind", None) == "withdrawal":
            withdrawn.add(txn.grant)
        elif txn.kind == "annulment" and txn.reversed_kind == "change" and txn.after.get(txn.grant, ZERO) != ZERO:
            withdrawn.discard(txn.grant)
    return withdrawn


def _figure_in_view(found: Discrepancy, journal: Journal, view: View) -> bool:
    figure = found.figure
    if view.as_of is not None and figure.as_of is not None and figure.as_of > view.as_of:
        return False
    if view.span is None:
        return True
    return view.includes(figure_period(figure, journal), journal) and figure_period(figure, journal) is not None


def _notes(ledger: Ledger, journal: Journal, view: View, shown: YearSpan | None, holders: tuple[HolderLine, ...],
           grants: list[GrantLine]) -> list[Message]:
    cluster = ledger.cluster
    notes: list[Message] = []
    if view.widened(journal):
        notes.append(Message("status.period_view", asked=str(view.span), shown=str(shown)))
    for txn in journal.until(view.as_of):
        if txn.kind != "allocation" or not view.includes(txn.period, journal):
            continue
        allocation = txn.record
        if allocation.announced is not None and allocation.received is not None and allocation.announced != allocation.received:  # type: ignore[attr-defined]
            notes.append(Message("status.announced_received", holder=Verbatim(cluster.holder_name(allocation.partner)),  # type: ignore[attr-defined]
                                 year=str(allocation.year), announced=allocation.announced,  # type: ignore[attr-defined]
                                 received=allocation.received, difference=allocation.received - allocation.announced))  # type: ignore[attr-defined]
    for line in grants:
        name = Verbatim(line.grant.name)
        if line.shares is None:
            notes.append(Message("status.unsplit_grant", grant=name, amount=line.amount))
        if not line.date_stated:
            notes.append(Message("status.undated_grant", grant=name, period=str(line.period)))
        if line.withdrawn:
            notes.append(Message("status.grant_withdrawn", grant=name, original=line.grant.granted))
        elif line.changes:
            notes.append(Message("status.grant_changed", grant=name, original=line.grant.granted, amount=line.amount,
                                 count=line.changes))
    if shown is not None:
        notes.extend(_carry_notes(ledger, journal, view, shown))
    for row in holders:
        if row.kind != UNATTRIBUTED and row.funds.closing < 0:
            notes.append(Message("status.overcommitted", holder=Verbatim(row.name), amount=-row.funds.closing))
    return notes


def _spending_notes(grants: list[GrantLine], judged_on: dt.date) -> list[Message]:
    """Per grant: spending beyond the grant, an end date passed with money unspent, a closing."""
    notes = []
    for line in grants:
        state = line.spending
        if state is None:
            continue
        name = Verbatim(line.grant.name)
        if state.closed:
            notes.append(Message("spending.note_closed", grant=name, date=state.closed_on, spent=state.spent, freed=state.freed))
            continue
        if state.overspent:
            notes.append(Message("spending.note_overspent", grant=name, spent=state.spent, granted=state.granted,
                                 over=state.overspent))
        end = line.grant.end_date
        if end is not None and end < judged_on and state.unspent > 0:
            notes.append(Message("spending.note_ended_unspent", grant=name, end=end, unspent=state.unspent))
    return notes


def _carry_notes(ledger: Ledger, journal: Journal, view: View, shown: YearSpan) -> list[Message]:
    """Per carry-over into or out of the view: how much, from where to where, decided by whom."""
    notes = []
    for txn in journal.until(view.as_of):
        if txn.kind != "carryover":
            continue
        carryover = txn.record
        into = txn.period.overlaps(shown)  # type: ignore[union-attr]
        moved: dict[str, Decimal] = {}
        sources: set[YearSpan] = set()
        for posting in txn.postings:
            source = posting.account[2]
            if source == txn.period:
                continue
            if source.overlaps(shown) == into:  # type: ignore[attr-defined]
                continue  # inside the view, or entirely outside it
            moved[posting.account[1]] = moved.get(posting.account[1], ZERO) - posting.amount
            sources.add(source)  # type: ignore[arg-type]
        if not moved:
            continue
        total = sum(moved.values(), ZERO)
        decision = carryover.decision  # type: ignore[attr-defined]
        decided = Message("status.decided_by", level=Message(f"words.level_{decision.level}"), date=decision.date) if decision else \
            Message("status.decided_unknown")
        from_text = "+".join(str(s) for s in sorted(sources, key=lambda s: s.first))
        notes.append(Message("status.carried_in" if into else "status.carried_out", amount=total, from_period=from_text,
                             to_period=str(txn.period), date=txn.date, decided=decided,
                             source=Verbatim(carryover.source or txn.ref)))  # type: ignore[attr-defined]
        stated = carryover.stated_amount  # type: ignore[attr-defined]
        carried = sum((p.amount for p in txn.postings if p.account[2] == txn.period), ZERO)
        if stated is not None and stated != carried:
            notes.append(Message("status.carried_differs", source=Verbatim(carryover.source or txn.ref), stated=stated,  # type: ignore[attr-defined]
                                 computed=carried, difference=stated - carried))
    return notes
