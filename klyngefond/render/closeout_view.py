"""The closing statement for people (tables and notes, in the terminal or as Markdown) and for scripts (JSON).

Every writer takes the one model :func:`reports.closeout.closing_statement` returns and words
it; none computes. The tables are built once (:func:`statement_tables`) and laid out as text
(``render/table.py``) or Markdown (``render/tabular.py``); a PDF writer, when the document
engine is chosen, takes the same tables (or :func:`partner_tables` for one partner's page).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column, cell_text, render_text
from klyngefond.render.tabular import markdown_table
from klyngefond.reports.closeout import ClosingStatement, PartnerStatement

ZERO = Decimal("0.00")


def title(statement: ClosingStatement, lang: str) -> str:
    key = "closeout.title_recorded" if statement.recorded else "closeout.title"
    return t(key, lang, cluster=Verbatim(statement.cluster.name), date=statement.date)


def _name(row: PartnerStatement, lang: str) -> str:
    return row.name or t("status.unattributed_row", lang)


def money_table(statement: ClosingStatement, lang: str, rows: tuple[PartnerStatement, ...] | None = None) -> Table:
    """Per partner: received, still committed, spent, freed by closed grants, handed over, remaining."""
    rows = statement.partners if rows is None else rows
    columns = (Column(t("status.col_partner", lang)), amount_column(t("closeout.col_received", lang)),
               amount_column(t("closeout.col_committed", lang)), amount_column(t("spending.col_spent", lang)),
               amount_column(t("spending.col_freed_total", lang)), amount_column(t("closeout.col_handed_over", lang)),
               amount_column(t("status.col_remaining", lang)))
    body = tuple((r.label or _name(r, lang), r.received, r.committed, r.spent, r.freed, r.handed_over, r.remaining) for r in rows)
    totals = None
    if len(rows) > 1:
        s = statement.totals
        totals = (t("status.total", lang), s.received, s.committed, s.spent, s.freed, s.handed_over, s.remaining)
    return Table(columns, body, title=t("closeout.money_title", lang), totals=totals, caption=t("status.amounts_in", lang),
                 key="money")


def invoice_table(statement: ClosingStatement, lang: str, rows: tuple[PartnerStatement, ...] | None = None) -> Table | None:
    """Per partner: invoiced, paid, outstanding, to be refunded; what is still to invoice or credit; its position."""
    rows = tuple(r for r in (statement.partners if rows is None else rows) if r.kind != "unattributed")
    if not any(any((r.invoiced, r.paid, r.outstanding, r.to_be_refunded, r.receivable, r.to_refund, r.to_invoice, r.position))
               for r in rows):
        return None
    columns = (Column(t("status.col_partner", lang)), amount_column(t("invoices.col_invoiced", lang)),
               amount_column(t("invoices.col_paid", lang)), amount_column(t("invoices.col_outstanding", lang)),
               amount_column(t("invoices.col_to_be_refunded", lang)), amount_column(t("closeout.col_to_invoice", lang), signed=True),
               amount_column(t("closeout.col_position", lang), signed=True))
    body = tuple((r.label or _name(r, lang), r.invoiced, r.paid, r.outstanding, r.to_be_refunded, r.to_invoice, r.position)
                 for r in rows)
    totals = None
    if len(rows) > 1:
        s = statement.totals
        totals = (t("status.total", lang), s.invoiced, s.paid, s.outstanding, s.to_be_refunded, s.to_invoice, s.position)
    return Table(columns, body, title=t("closeout.invoices_title", lang), totals=totals, caption=t("closeout.position_caption", lang),
                 key="invoices")


def settlement_table(statement: ClosingStatement, lang: str, holder: str | None = None) -> Table | None:
    transfers = [p for p in statement.transfers if holder is None or holder in (p.payer, p.payee)]
    if not transfers:
        return None
    columns = (Column(t("closeout.col_payer", lang)), Column(t("closeout.col_payee", lang)), amount_column(t("closeout.col_amount", lang)))
    body = tuple((statement.name(p.payer), statement.name(p.payee), p.amount) for p in transfers)
    totals = (t("status.total", lang), "", sum((p.amount for p in transfers), ZERO)) if len(transfers) > 1 else None
    return Table(columns, body, title=t("closeout.settlement_title", lang), totals=totals,
                 caption=t("closeout.settlement_caption", lang, count=len(statement.transfers),
                           partners=sum(1 for r in statement.partners if r.position)), key="settlement")


def pending_table(statement: ClosingStatement, lang: str, holder: str | None = None) -> Table | None:
    documents = [d for d in statement.pending if holder is None or holder in (d.issuer, d.recipient)]
    if not documents:
        return None
    columns = (Column(t("status.col_grant", lang)), Column(t("closeout.col_issuer", lang)), Column(t("closeout.col_recipient", lang)),
               Column(t("closeout.col_document", lang)), amount_column(t("closeout.col_amount", lang)))
    body = tuple((d.grant_name, statement.name(d.issuer), statement.name(d.recipient),
                  t("closeout.doc_invoice" if d.amount > 0 else "closeout.doc_credit_note", lang), abs(d.amount)) for d in documents)
    return Table(columns, body, title=t("closeout.pending_title", lang), caption=t("status.amounts_in", lang), key="pending")


def handover_table(statement: ClosingStatement, lang: str, holder: str | None = None) -> Table | None:
    lines = [h for h in statement.handover if holder is None or h.holder == holder]
    if not lines:
        return None
    columns = (Column(t("status.col_partner", lang)), Column(t("closeout.col_successor", lang)), amount_column(t("closeout.col_amount", lang)))
    body = tuple((h.name, h.successor, h.amount) for h in lines)
    totals = (t("status.total", lang), "", sum((h.amount for h in lines), ZERO)) if len(lines) > 1 else None
    return Table(columns, body, title=t("closeout.handover_title", lang), totals=totals, caption=t("status.amounts_in", lang),
                 key="handover")


def statement_tables(statement: ClosingStatement, lang: str) -> list[Table]:
    tables = [money_table(statement, lang), invoice_table(statement, lang), pending_table(statement, lang),
              settlement_table(statement, lang), handover_table(statement, lang)]
    return [table for table in tables if table is not None]


def partner_tables(statement: ClosingStatement, holder: str, lang: str) -> list[Table]:
    """One partner's part of the statement: what its finance office files (the seam for a PDF per partner)."""
    rows = tuple(r for r in statement.partners if r.holder == holder)
    tables = [money_table(statement, lang, rows), invoice_table(statement, lang, rows), pending_table(statement, lang, holder),
              settlement_table(statement, lang, holder), handover_table(statement, lang, holder)]
    return [table for table in tables if table is not None]


def note_lines(statement: ClosingStatement, lang: str) -> list[str]:
    return [text(note, lang) for note in statement.notes]


def verdict(statement: ClosingStatement, lang: str) -> str:
    if statement.recorded:
        return t("closeout.recorded", lang, file=Verbatim(statement.file or statement.closeout or ""))
    return t("closeout.dry_run", lang)


def render_statement(statement: ClosingStatement, lang: str, width: int | None, extra: list[str] | None = None) -> str:
    blocks = [title(statement, lang)]
    blocks += [render_text(table, lang, width) for table in statement_tables(statement, lang)]
    notes = note_lines(statement, lang)
    if notes:
        blocks.append(bullets(t("status.notes_title", lang), notes, width))
    blocks += extra or []
    blocks.append(verdict(statement, lang))
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- Markdown


def markdown_of(table: Table, lang: str, level: str = "##") -> str:
    header = [c.header for c in table.columns]
    right = [i for i, c in enumerate(table.columns) if c.align == "right"]
    rows = [[cell_text(cell, col, lang) for cell, col in zip(row, table.columns)] for row in table.rows]
    if table.totals:
        rows.append(["" if cell in ("", None) else f"**{cell_text(cell, col, lang)}**" for cell, col in zip(table.totals, table.columns)])
    parts = [f"{level} {table.title}", "", markdown_table(header, rows, right).rstrip("\n")]
    if table.caption:
        parts += ["", f"_{table.caption}_"]
    parts += ["", *table.notes] if table.notes else []
    return "\n".join(parts)


def statement_markdown(statement: ClosingStatement, lang: str) -> str:
    """The closing statement and the settlement as one Markdown document (for an agenda or the minutes)."""
    blocks = [f"# {title(statement, lang)}"]
    blocks += [markdown_of(table, lang) for table in statement_tables(statement, lang)]
    notes = note_lines(statement, lang)
    if notes:
        blocks.append(f"## {t('status.notes_title', lang)}\n\n" + "\n".join(f"- {line}" for line in notes))
    blocks.append(f"_{verdict(statement, lang)}_")
    return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- JSON


def statement_json(statement: ClosingStatement, lang: str, successor_files: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The stable machine form; amounts as strings with two decimals and a ``.`` point.

    ``partners[]``: ``received = committed + spent + handed_over + remaining``; ``position`` is
    what the partner is owed (positive) or owes (negative); ``settlement[]`` are the transfers
    that bring every position to zero.
    """
    def money(row: PartnerStatement) -> dict[str, Any]:
        return {name: json_amount(getattr(row, name)) for name in (
            "received", "committed", "spent", "freed", "handed_over", "remaining", "invoiced", "paid", "outstanding",
            "to_be_refunded", "receivable", "to_refund", "to_invoice", "position")}

    return {
        "cluster": {"id": statement.cluster.id, "name": statement.cluster.name},
        "currency": "DKK",
        "date": statement.date.isoformat(),
        "recorded": statement.recorded,
        "closeout": statement.closeout,
        "file": statement.file,
        "partners": [{"id": r.holder, "name": r.name, "kind": r.kind, "successor": r.successor, **money(r)}
                     for r in statement.partners],
        "totals": money(statement.totals),
        "pending_documents": [{"grant": d.grant, "issuer": d.issuer, "recipient": d.recipient,
                               "kind": "invoice" if d.amount > 0 else "credit_note", "amount": json_amount(abs(d.amount))}
                              for d in statement.pending],
        "settlement": [{"payer": p.payer, "payee": p.payee, "amount": json_amount(p.amount)} for p in statement.transfers],
        "handover": [{"holder": h.holder, "successor": h.successor, "successor_id": h.successor_id, "amount": json_amount(h.amount)}
                     for h in statement.handover],
        "successor_files": successor_files,
        "notes": note_lines(statement, lang),
    }


def words(messages: list[Message], lang: str) -> list[str]:
    return [text(m, lang) for m in messages]


def partner_documents(statement: ClosingStatement, lang: str, made: Any) -> list[tuple[str, Any]]:
    """One document per partner with money or invoices at the close: ``(partner id, Document)``, for its finance office to file."""
    from klyngefond.render.document import Bullets, Paragraph, make_document

    found = []
    for row in statement.partners:
        if row.kind == "unattributed":
            continue
        heading = t("closeout.partner_document_title", lang, partner=Verbatim(row.name), cluster=Verbatim(statement.cluster.name))
        said = t("report.closing_recorded" if statement.recorded else "report.closing_proposal", lang, date=statement.date)
        blocks: list[Any] = [Paragraph(said)]
        blocks += partner_tables(statement, row.holder, lang)
        notes = note_lines(statement, lang)
        if notes:
            blocks.append(Bullets(t("status.notes_title", lang), tuple(notes), key="closing"))
        document = make_document("closing", heading, title(statement, lang), statement.cluster.name, lang, statement.date, made,
                                 tuple(blocks))
        found.append((row.holder, document))
    return found
