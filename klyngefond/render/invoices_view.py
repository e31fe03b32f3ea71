"""The invoices report for people (text tables, Markdown for the agenda, CSV for a spreadsheet) and for scripts (``--json``).

Arranges the report into :class:`~klyngefond.render.table.Table` values and words them in
the run's language; it never computes a balance (sums in a totals row are of the rows shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from klyngefond.core.invoicing import GrantSplit, PlannedDocument
from klyngefond.core.money import json_amount
from klyngefond.core.records import Cluster, Invoice
from klyngefond.i18n import Message, Verbatim, date, t
from klyngefond.journal import query
from klyngefond.render.balances_view import BALANCE_FIELDS, balances_table
from klyngefond.render.problems import shown_path
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column, cell_text
from klyngefond.render.table import render_text as table_text
from klyngefond.render.tabular import csv_amount, csv_text, markdown_cell, markdown_table, markdown_text
from klyngefond.reports.invoices import Blocker, InvoicesReport

ZERO = Decimal("0.00")
EINVOICE_NAMES = {"oioubl": "OIOUBL", "peppol": "Peppol"}


def title(report: InvoicesReport, lang: str) -> str:
    words = t("invoices.title", lang, cluster=Verbatim(report.cluster.name))
    if report.as_of is not None:
        words += " " + t("invoices.as_of", lang, date=report.as_of)
    return words


def _payee(report: InvoicesReport, owner: str | None, lang: str) -> str:
    return report.partner_name(owner) if owner else t("invoices.owner_unknown", lang)


# --------------------------------------------------------------------------- tables


def grant_table(report: InvoicesReport, split: GrantSplit, lang: str) -> Table:
    """One grant: who pays its owner what, the owner's own share, and the grant as the total."""
    heading = t("invoices.grant_title", lang, grant=Verbatim(split.grant.name), granted=split.granted,
                owner=Verbatim(_payee(report, split.owner, lang)))
    columns = (Column(t("invoices.col_payer", lang)), Column(t("invoices.col_payee", lang)),
               amount_column(t("invoices.col_amount", lang)))
    payee = _payee(report, split.owner, lang)
    rows: list[tuple[Any, ...]] = [(report.partner_name(line.recipient), payee, line.amount) for line in split.lines]
    if split.owner is not None:
        rows.append((report.partner_name(split.owner), t("invoices.own_share", lang), split.owner_share))
    return Table(columns, tuple(rows), title=heading, totals=(t("invoices.granted", lang), "", split.granted),
                 caption=t("invoices.amounts_in", lang), key=f"grant:{split.grant.id}")


def grant_tables(report: InvoicesReport, lang: str) -> list[Table]:
    return [grant_table(report, split, lang) for split in report.splits if split.shares is not None and split.granted > 0]


def payers_table(report: InvoicesReport, lang: str) -> Table | None:
    """Per payer and payee, the total of the invoices over the grants shown."""
    if not report.payers:
        return None
    columns = (Column(t("invoices.col_payer", lang)), Column(t("invoices.col_payee", lang)),
               amount_column(t("invoices.col_amount", lang)))
    rows = tuple((report.partner_name(p.payer), _payee(report, p.payee, lang), p.amount) for p in report.payers)
    return Table(columns, rows, title=t("invoices.payers_title", lang),
                 totals=(t("invoices.total", lang), "", sum((p.amount for p in report.payers), ZERO)),
                 caption=t("invoices.amounts_in", lang), key="payers")


def state_words(balance: query.InvoiceBalance, on: Any, lang: str) -> str:
    return t(f"invoices.state_{balance.state(on)}", lang)


def documents_table(report: InvoicesReport, lang: str) -> Table | None:
    """One row per issued document with what is paid and open on the report's day."""
    if not report.documents:
        return None
    columns = (Column(t("invoices.col_number", lang)), Column(t("invoices.col_route", lang)),
               Column(t("invoices.col_date", lang)), Column(t("invoices.col_due", lang)),
               amount_column(t("invoices.col_amount", lang), signed=False), amount_column(t("invoices.col_paid", lang)),
               amount_column(t("invoices.col_open", lang)), Column(t("invoices.col_state", lang)))
    rows = []
    for invoice in report.documents:
        route = t("invoices.route", lang, issuer=Verbatim(report.partner_label(invoice.issuer)),
                  recipient=Verbatim(report.partner_label(invoice.recipient)))
        if invoice.is_credit_note:
            rows.append((invoice.number, route, date(invoice.issue_date, lang), "", -invoice.amount, None, None,
                         t("invoices.credits", lang, number=invoice.credits)))
            continue
        balance = report.balances[invoice.number]
        rows.append((invoice.number, route, date(invoice.issue_date, lang), date(invoice.due_date, lang) if invoice.due_date else "",
                     invoice.amount,
                     balance.paid - balance.refunded, balance.open, state_words(balance, report.on, lang)))
    return Table(columns, tuple(rows), title=t("invoices.documents_title", lang, date=report.on),
                 caption=t("invoices.amounts_in", lang), key="documents")


def issued_table(cluster: Cluster, invoices: Sequence[Invoice], lang: str, heading: str) -> Table:
    """The documents one ``--issue`` created; credit notes show negative, with the invoice they credit."""
    names = {p.id: p.label for p in cluster.partners}
    credits = any(invoice.is_credit_note for invoice in invoices)
    columns = [Column(t("invoices.col_number", lang)), Column(t("invoices.col_route", lang)), Column(t("invoices.col_grant", lang)),
               amount_column(t("invoices.col_amount", lang)), Column(t("invoices.col_due", lang))]
    if credits:
        columns.append(Column(t("invoices.col_credits", lang)))
    formats = any(invoice.issued_as is not None for invoice in invoices)
    if formats:
        columns.append(Column(t("invoices.col_einvoice", lang)))
    rows = []
    for invoice in invoices:
        route = t("invoices.route", lang, issuer=Verbatim(names.get(invoice.issuer, invoice.issuer)),
                  recipient=Verbatim(names.get(invoice.recipient, invoice.recipient)))
        # A credit note asks for no payment: it has no due date.
        due = date(invoice.due_date, lang) if invoice.due_date is not None and not invoice.is_credit_note else ""
        row: tuple[Any, ...] = (invoice.number, route, invoice.grant, -invoice.amount if invoice.is_credit_note else invoice.amount,
                                due)
        if credits:
            row += (invoice.credits or "",)
        if formats:
            row += (EINVOICE_NAMES[invoice.issued_as.einvoice_format] if invoice.issued_as is not None else "",)
        rows.append(row)
    return Table(tuple(columns), tuple(rows), title=heading, caption=t("invoices.amounts_in", lang), key="issued")


def tables(report: InvoicesReport, lang: str) -> list[Table]:
    found = grant_tables(report, lang)
    for table in (payers_table(report, lang), documents_table(report, lang),
                  balances_table(report.cluster, report.partners, report.on, lang)):
        if table is not None:
            found.append(table)
    return found


# --------------------------------------------------------------------------- notes


def note_lines(report: InvoicesReport, lang: str) -> list[str]:
    """The grants that cannot be invoiced, any split that does not add up, overdue invoices, and what is left to issue."""
    lines = [blocker_text(b, lang) for b in report.blockers]
    for split in report.splits:
        if not split.reconciles:
            lines.append(t("invoices.not_reconciled", lang, grant=Verbatim(split.grant.name),
                           sum=split.invoiced + split.owner_share, granted=split.granted))
    for partner in report.partners:
        if partner.overdue_invoices:
            lines.append(t("invoices.overdue_note", lang, partner=Verbatim(report.partner_name(partner.partner)),
                           amount=partner.overdue, date=report.on, invoices=list(partner.overdue_invoices)))
    if report.as_of is None:
        if report.pending:
            grant = f" --grant {report.grant_filter}" if report.grant_filter else ""
            lines.append(t("invoices.pending", lang, what=pending_words(report.pending, lang),
                           command=Verbatim(f"klyngefond invoices {report.cluster.id} --issue{grant}")))
        elif report.documents:
            lines.append(t("invoices.nothing_pending", lang))
    return lines


def blocker_text(blocker: Blocker, lang: str) -> str:
    return t(f"invoices.blocked_{blocker.reason}", lang, grant=Verbatim(blocker.grant_name),
             file=Verbatim(shown_path(blocker.file) or f"grants/{blocker.grant}.toml"))


def pending_words(pending: Sequence[PlannedDocument], lang: str) -> Message:
    parts = []
    for kind in ("invoice", "credit_note"):
        docs = [d for d in pending if d.kind == kind]
        if docs:
            parts.append(Message(f"invoices.pending_{kind}", count=len(docs), amount=sum((d.amount for d in docs), ZERO)))
    return Message("invoices.and", items=parts)


# --------------------------------------------------------------------------- text, Markdown, CSV


def render_text(report: InvoicesReport, lang: str, width: int | None) -> str:
    blocks = [title(report, lang)]
    blocks += [table_text(table, lang, width) for table in tables(report, lang)]
    notes = note_lines(report, lang)
    if notes:
        blocks.append(bullets(t("invoices.notes_title", lang), notes, width))
    if len(blocks) == 1:
        blocks.append(t("invoices.nothing_to_show", lang))
    return "\n\n".join(blocks) + "\n"


def table_markdown(table: Table, lang: str) -> str:
    """A table as a Markdown section: its title as a heading, the totals row in bold, the caption in italics."""
    header = [c.header for c in table.columns]
    rows = [[cell_text(cell, col, lang) for cell, col in zip(row, table.columns)] for row in table.rows]
    if table.totals:
        rows.append([cell_text(cell, col, lang) if cell not in (None, "") else ""
                     for cell, col in zip(table.totals, table.columns)])
    right = [index for index, column in enumerate(table.columns) if column.align == "right"]
    parts = [f"### {markdown_text(table.title)}\n"] if table.title else []
    parts.append(markdown_table(header, rows, right, bold_last=bool(table.totals)))
    if table.caption:
        parts.append(f"*{markdown_text(table.caption)}*\n")
    return "\n".join(parts)


def render_markdown(report: InvoicesReport, lang: str) -> str:
    """The report for an agenda: a section per table, then the notes."""
    parts = [f"## {markdown_text(title(report, lang))}\n"]
    parts += [table_markdown(table, lang) for table in tables(report, lang)]
    notes = note_lines(report, lang)
    if notes:
        parts.append("\n".join(f"- {markdown_cell(line)}" for line in notes) + "\n")
    return "\n".join(parts)


def split_rows(report: InvoicesReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """The split as one flat table: a row per invoice line and per owner's own share (no total rows)."""
    header = [t(f"invoices.csv_{key}", lang) for key in ("grant_id", "grant", "payer", "payee", "amount", "kind")]
    rows: list[list[str]] = []
    for split in report.splits:
        if split.shares is None:
            continue
        payee = _payee(report, split.owner, lang)
        for line in split.lines:
            rows.append([split.grant.id, split.grant.name, report.partner_name(line.recipient), payee,
                         csv_amount(line.amount, lang), t("invoices.csv_invoice_row", lang)])
        if split.owner is not None:
            rows.append([split.grant.id, split.grant.name, report.partner_name(split.owner), "",
                         csv_amount(split.owner_share, lang), t("invoices.own_share", lang)])
    return header, rows


def render_csv(report: InvoicesReport, lang: str) -> str:
    header, rows = split_rows(report, lang)
    return csv_text(header, rows, lang)


# --------------------------------------------------------------------------- JSON


def partner_json(b: query.PartnerInvoicing, cluster: Cluster) -> dict[str, Any]:
    """One partner's balance: the same keys as ``status --json``'s ``invoices`` block, plus ``name``."""
    return {"partner": b.partner, "name": cluster.holder_name(b.partner), "invoiced": json_amount(b.invoiced),
            "paid": json_amount(b.paid), "outstanding": json_amount(b.outstanding), "overdue": json_amount(b.overdue),
            "overdue_invoices": list(b.overdue_invoices), "to_be_refunded": json_amount(b.to_be_refunded),
            "receivable": json_amount(b.receivable), "to_refund": json_amount(b.to_refund)}


def document_json(invoice: Invoice, balance: query.InvoiceBalance | None = None, on: Any = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "number": invoice.number, "kind": invoice.kind, "issuer": invoice.issuer, "recipient": invoice.recipient,
        "grant": invoice.grant, "amount": json_amount(invoice.amount), "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat() if invoice.due_date is not None and not invoice.is_credit_note else None,
        "credits": invoice.credits, "cause": invoice.cause,
        "einvoice_format": invoice.issued_as.einvoice_format if invoice.issued_as is not None else None,
    }
    if balance is not None:
        found |= {"credited": json_amount(balance.credited), "paid": json_amount(balance.paid),
                  "refunded": json_amount(balance.refunded), "open": json_amount(balance.open), "state": balance.state(on)}
    return found


def planned_json(doc: PlannedDocument) -> dict[str, Any]:
    return {"kind": doc.kind, "grant": doc.grant, "issuer": doc.issuer, "recipient": doc.recipient,
            "amount": json_amount(doc.amount), "credits": doc.credits, "cause": doc.cause}


def invoices_json(report: InvoicesReport) -> dict[str, Any]:
    """The stable machine form: amounts as strings with two decimals and a ``.`` point, dates ISO 8601."""
    blocked = {b.grant: b for b in report.blockers}
    return {
        "cluster": {"id": report.cluster.id, "name": report.cluster.name},
        "currency": "DKK",
        "as_of": report.as_of.isoformat() if report.as_of else None,
        "judged_on": report.on.isoformat(),
        "grant": report.grant_filter,
        "grants": [
            {
                "id": split.grant.id,
                "name": split.grant.name,
                "granted": json_amount(split.granted),
                "model": split.grant.financing.model,
                "owner": split.owner,
                "owner_share": json_amount(split.owner_share) if split.shares is not None else None,
                "invoiced": json_amount(split.invoiced),
                "invoices": [{"issuer": split.owner, "recipient": line.recipient, "amount": json_amount(line.amount)}
                             for line in split.lines],
                "can_invoice": split.can_invoice,
                "blocked": None if split.grant.id not in blocked else {
                    "reason": blocked[split.grant.id].reason, "file": shown_path(blocked[split.grant.id].file)},
            }
            for split in report.splits
        ],
        "payers": [{"payer": p.payer, "payee": p.payee, "amount": json_amount(p.amount), "grants": list(p.grants)}
                   for p in report.payers],
        "issued": [document_json(i, report.balances.get(i.number) if not i.is_credit_note else None, report.on)
                   for i in report.documents],
        "partners": [partner_json(b, report.cluster) for b in report.partners],
        "totals": {field: json_amount(sum((getattr(b, field) for b in report.partners), ZERO)) for field in BALANCE_FIELDS},
        "pending": [planned_json(doc) for doc in report.pending],
    }
