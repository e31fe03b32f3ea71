"""The invoices report: each grant split into invoices, what is issued, paid, open and overdue, and what is left to issue.

Pure: ledger and journal in, an immutable report out. Every figure is a query over the
journal (``journal/query.py``) as it stood at the end of ``as_of``: the grants' shares
(``grant_shares``), what is invoiced (``invoiced_net``), each invoice's balance
(``invoice_balances``) and each partner's (``partner_invoicing``). The split into
invoices and the plan of what to issue are pure functions of those (``core/invoicing.py``).
Renderers (``render/invoices_view.py``) word the report; they never compute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from klyngefond.core.invoicing import (
    GrantSplit,
    PayerTotal,
    PlannedDocument,
    payer_totals,
    plan_documents,
    split_grant,
    wanted_amounts,
)
from klyngefond.core.ledger import Ledger, ref
from klyngefond.core.records import Cluster, Invoice
from klyngefond.journal import query
from klyngefond.journal.model import COMMITTED, SPENT, UNATTRIBUTED, Journal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Blocker:
    """Why a grant cannot be invoiced yet: ``reason`` is ``no_owner`` or ``no_split``; ``file`` is the grant's file."""

    grant: str
    grant_name: str
    reason: str
    file: Path | None


@dataclass(frozen=True)
class InvoicesReport:
    """The invoicing of a cluster (or of one grant) as it stood at the end of ``as_of``.

    ``on`` is the day "overdue" is judged on (``as_of``, or today). ``documents`` are the
    issued invoices and credit notes in date order; ``balances`` each invoice's balance;
    ``partners`` each partner's, in the cluster file's order.
    """

    cluster: Cluster
    as_of: dt.date | None
    on: dt.date
    grant_filter: str | None
    splits: tuple[GrantSplit, ...]
    payers: tuple[PayerTotal, ...]
    documents: tuple[Invoice, ...]
    balances: dict[str, query.InvoiceBalance]
    partners: tuple[query.PartnerInvoicing, ...]
    pending: tuple[PlannedDocument, ...]
    blockers: tuple[Blocker, ...]

    def partner_name(self, pid: str | None) -> str:
        partner = self.cluster.partner(pid)
        return partner.name if partner else (pid or "")

    def partner_label(self, pid: str | None) -> str:
        partner = self.cluster.partner(pid)
        return partner.label if partner else (pid or "")


def grant_splits(ledger: Ledger, journal: Journal, *, as_of: dt.date | None = None,
                 grant: str | None = None) -> tuple[GrantSplit, ...]:
    """Every grant decided by ``as_of`` (or the one named) split into invoices, from its shares on that day."""
    shares = query.grant_shares(journal, as_of=as_of)
    amounts = query.grant_amounts(journal, as_of=as_of)
    splits = []
    for gid in query.decided_grants(journal, as_of=as_of):
        if grant is not None and gid != grant:
            continue
        record = ledger.grant(gid)
        if record is None:  # pragma: no cover - the journal only holds the ledger's grants
            continue
        split = {holder: amount for holder, amount in shares.get(gid, {}).items() if amount}
        unknown = UNATTRIBUTED in split or (not split and record.financing.model == "unknown")
        splits.append(split_grant(record, amounts.get(gid, ZERO), None if unknown else split))
    return tuple(splits)


def blockers(ledger: Ledger, splits: tuple[GrantSplit, ...]) -> tuple[Blocker, ...]:
    """The grants with money to invoice that cannot be invoiced yet, and why."""
    found = []
    for split in splits:
        path = ledger.origins.get(ref("grants", split.grant.id))
        if split.shares is None and split.granted > 0:
            found.append(Blocker(split.grant.id, split.grant.name, "no_split", path))
        elif split.owner is None and split.granted > 0:
            found.append(Blocker(split.grant.id, split.grant.name, "no_owner", path))
    return tuple(found)


def pending_documents(journal: Journal, splits: tuple[GrantSplit, ...], *, as_of: dt.date | None = None,
                      grant: str | None = None) -> tuple[PlannedDocument, ...]:
    """What issuing on ``as_of`` would create: the difference between the splits and what is invoiced by then.

    Grants that can be invoiced are in scope, and so is every grant (of ``grant``, if
    named) that has invoices but is no longer decided by then (annulled): it is credited.
    """
    invoiced = query.invoiced_net(journal, as_of=as_of)
    decided = {split.grant.id for split in splits}
    scope = {split.grant.id for split in splits if split.can_invoice}
    scope |= {key[0] for key in invoiced if key[0] not in decided and (grant is None or key[0] == grant)}
    creditable = [(b.invoice, b.net) for b in query.invoice_balances(journal, as_of=as_of, grant=grant).values()]
    planned = plan_documents(wanted_amounts(splits), scope, invoiced, creditable)
    return tuple(replace(doc, cause=credit_cause(journal, doc.grant, doc.recipient, as_of=as_of)) if doc.kind == "credit_note"
                 else doc for doc in planned)


def credit_cause(journal: Journal, grant: str, recipient: str, *, as_of: dt.date | None = None) -> str | None:
    """The record that lowered ``recipient``'s share of ``grant`` most recently by ``as_of``: a
    reduction, withdrawal or transfer (``changes/<id>``), the closing of the grant
    (``closings/<id>``), or an annulment (``annulments/<id>``, of the grant or of a top-up).
    ``None`` when the share went down otherwise (a changed split)."""
    for txn in reversed(journal.until(as_of)):
        if txn.kind not in ("change", "closing", "annulment"):
            continue
        if any(p.amount < 0 and p.account[0] in (COMMITTED, SPENT) and p.account[1:] == (grant, recipient) for p in txn.postings):
            return txn.ref
    return None


def build_invoices(ledger: Ledger, journal: Journal, *, as_of: dt.date | None = None, on: dt.date,
                   grant: str | None = None) -> InvoicesReport:
    """The invoicing of ``ledger`` at the end of ``as_of`` (everything recorded when ``None``); overdue judged on ``on``."""
    cluster = ledger.cluster
    splits = grant_splits(ledger, journal, as_of=as_of, grant=grant)
    balances = query.invoice_balances(journal, as_of=as_of, grant=grant)
    credit_notes = [c for c in query.credit_notes(journal, as_of=as_of) if grant is None or c.grant == grant]
    documents = sorted([b.invoice for b in balances.values()] + credit_notes, key=lambda i: (i.issue_date, i.number))
    per_partner = query.partner_invoicing(journal, as_of=as_of, on=on, grant=grant)
    return InvoicesReport(
        cluster=cluster,
        as_of=as_of,
        on=on,
        grant_filter=grant,
        splits=splits,
        payers=payer_totals(splits, [p.id for p in cluster.partners]),
        documents=tuple(documents),
        balances=balances,
        partners=tuple(per_partner[p.id] for p in cluster.partners if p.id in per_partner),
        pending=pending_documents(journal, splits, as_of=as_of, grant=grant),
        blockers=blockers(ledger, splits),
    )
