"""The invoices report: each grant split into invoices, what is issued, paid, outstanding and overdue.

Pure: a ledger (and the date to judge "overdue" by) in, an immutable report out. The split
starts from ``reports.status.grant_lines``, so a grant's current amount and shares (after
recorded top-ups, reductions and withdrawals) decide what should have been invoiced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from klyngefond.core.invoicing import (
    GrantSplit,
    InvoiceState,
    PartnerBalance,
    PayerTotal,
    PlannedDocument,
    invoice_states,
    partner_balances,
    payer_totals,
    plan_documents,
    split_grant,
)
from klyngefond.core.ledger import Ledger
from klyngefond.reports.status import grant_lines


@dataclass(frozen=True)
class Blocker:
    """Why a grant cannot be invoiced: the file and key to fill in."""

    grant: str
    grant_name: str
    file: str
    key: str
    reason: str  # "no_owner" or "no_split"


@dataclass(frozen=True)
class InvoicesReport:
    cluster_id: str
    cluster_name: str
    grant_filter: str | None
    today: dt.date
    splits: tuple[GrantSplit, ...]
    payer_totals: tuple[PayerTotal, ...]
    states: tuple[InvoiceState, ...]
    balances: tuple[PartnerBalance, ...]
    pending: tuple[PlannedDocument, ...]
    blockers: tuple[Blocker, ...]
    partner_names: dict[str, str] = field(default_factory=dict)
    partner_labels: dict[str, str] = field(default_factory=dict)


def grant_splits(ledger: Ledger, grant_id: str | None = None) -> tuple[GrantSplit, ...]:
    """Every grant (or the one named) split into invoices, from its current amount and shares."""
    return tuple(
        split_grant(line.grant, line.granted, line.shares)
        for line in grant_lines(ledger)
        if grant_id is None or line.grant.id == grant_id
    )


def blockers(ledger: Ledger, splits: tuple[GrantSplit, ...]) -> tuple[Blocker, ...]:
    """The grants that cannot be invoiced yet, and the key to fill in for each."""
    found = []
    for split in splits:
        file = str(ledger.grant_files.get(split.grant.id, f"grants/{split.grant.id}.toml"))
        if split.shares is None:
            found.append(Blocker(split.grant.id, split.grant.name, file, "financing", "no_split"))
        elif split.owner is None and split.granted > 0:
            found.append(Blocker(split.grant.id, split.grant.name, file, "owner", "no_owner"))
    return tuple(found)


def pending_documents(ledger: Ledger, grant_id: str | None = None) -> tuple[PlannedDocument, ...]:
    """What ``--issue`` would create now: the difference between the split and what is issued."""
    return plan_documents(grant_splits(ledger, grant_id), ledger.invoices)


def build_invoices(ledger: Ledger, today: dt.date, grant_id: str | None = None) -> InvoicesReport:
    cluster = ledger.cluster
    splits = grant_splits(ledger, grant_id)
    order = [p.id for p in cluster.partners]
    invoices = tuple(i for i in ledger.invoices if grant_id is None or i.grant == grant_id)
    numbers = {i.number for i in invoices}
    states = invoice_states(invoices, (p for p in ledger.payments if p.invoice in numbers))
    return InvoicesReport(
        cluster_id=cluster.id,
        cluster_name=cluster.name,
        grant_filter=grant_id,
        today=today,
        splits=splits,
        payer_totals=payer_totals(splits, order),
        states=states,
        balances=partner_balances(states, order, today),
        pending=plan_documents(splits, ledger.invoices),
        blockers=blockers(ledger, splits),
        partner_names={p.id: p.name for p in cluster.partners},
        partner_labels={p.id: p.label for p in cluster.partners},
    )


def invoice_balances(ledger: Ledger, today: dt.date | None = None) -> tuple[PartnerBalance, ...]:
    """Per partner: invoiced, paid, outstanding and overdue (for ``status``); empty if nothing is issued.

    ``today`` defaults to the current date. Render with ``render.invoices_view.balances_json``
    and ``balances_table``.
    """
    states = invoice_states(ledger.invoices, ledger.payments)
    return partner_balances(states, [p.id for p in ledger.cluster.partners], today or dt.date.today())
