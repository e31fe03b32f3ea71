"""The status report for people (tables and notes) and for scripts (the ``--json`` contract)."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from decimal import Decimal
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.core.text import Name, one_line
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.journal.model import UNATTRIBUTED
from klyngefond.journal.query import GrantSpending
from klyngefond.render.balances_view import balances_table
from klyngefond.render.document import Bullets, make_document
from klyngefond.render.table import Column, Table, amount_column, percent
from klyngefond.render.table import render_text as table_text
from klyngefond.reports.reference import Discrepancy, wording
from klyngefond.reports.status import HolderLine, StatusReport

ZERO = Decimal("0.00")
DEFAULT_GRANT_ROWS = 25


def title(report: StatusReport, lang: str) -> str:
    words = t("status.title", lang, cluster=Verbatim(report.cluster.name))
    if report.shown_span is not None:
        words += " " + str(report.shown_span)
    if report.view.as_of is not None:
        words += " " + t("status.as_of", lang, date=report.view.as_of)
    return words


def holder_name(row: HolderLine, lang: str, *, short: bool = False) -> str:
    """The row's name, carrying its short form for narrow tables."""
    if row.kind == UNATTRIBUTED:
        return Name(t("status.unattributed_row", lang), t("status.unattributed_short", lang))
    return row.label if short else Name(row.name, row.label)


def partner_table(report: StatusReport, lang: str) -> Table:
    """Per holder: received, committed, remaining (a year view adds what was carried in and on)."""
    year_view = report.shown_span is not None
    columns = [Column(t("status.col_partner", lang))]
    if year_view:
        columns.append(amount_column(t("status.col_opening", lang)))
    columns += [amount_column(t("status.col_allocated", lang)), amount_column(t("status.col_committed", lang))]
    if year_view:
        columns.append(amount_column(t("status.col_carried_out", lang)))
    handed = bool(report.totals.handed_over)
    if handed:
        columns.append(amount_column(t("closeout.col_handed_over", lang)))
    columns.append(amount_column(t("status.col_remaining", lang)))

    def cells(name: str, line: Any) -> tuple[Any, ...]:
        values = [name]
        if year_view:
            values.append(line.opening)
        values += [line.allocated, line.committed]
        if year_view:
            values.append(line.carried_out)
        if handed:
            values.append(line.handed_over)
        values.append(line.closing)
        return tuple(values)

    rows = tuple(cells(holder_name(row, lang), row.funds) for row in report.holders)
    totals = cells(t("status.total", lang), report.totals)
    return Table(tuple(columns), rows, title=title(report, lang), totals=totals, caption=t("status.amounts_in", lang),
                 key="partners")


def split_table(report: StatusReport, lang: str, *, limit: int | None = DEFAULT_GRANT_ROWS) -> Table | None:
    """Grants as rows and partners as columns, as the minutes print it, with the totals row."""
    grants = [g for g in report.grants if g.shares is not None]
    if not grants:
        return None
    holders = [row for row in report.holders if row.kind not in ("group", UNATTRIBUTED)]
    shown = grants if limit is None or len(grants) <= limit else grants[-limit:]
    columns = [Column(t("status.col_grant", lang))] + [amount_column(Name(row.name, row.label)) for row in holders] + \
        [amount_column(t("status.total", lang))]
    rows = []
    for line in shown:
        shares = line.shares or {}
        rows.append((line.grant.name, *[shares.get(row.id, ZERO) for row in holders], line.amount))
    totals = (t("status.split_total", lang),
              *[sum(((g.shares or {}).get(row.id, ZERO) for g in grants), ZERO) for row in holders],
              sum((g.amount for g in grants), ZERO))
    notes: tuple[str, ...] = ()
    if len(shown) < len(grants):
        notes = (t("status.more_grants", lang, shown=len(shown), count=len(grants), cluster=Verbatim(report.cluster.id)),)
    return Table(tuple(columns), tuple(rows), title=t("status.split_title", lang), totals=totals,
                 caption=t("status.amounts_in", lang), key="split", notes=notes,
                 transposed_label=t("status.col_partner", lang), total_column=True)


def grants_table(report: StatusReport, lang: str, *, limit: int | None = DEFAULT_GRANT_ROWS, references: bool = False) -> Table | None:
    """Each grant: its years, owner, decision (with its reference when ``references``), model and amount."""
    if not report.grants:
        return None
    grants = list(report.grants)
    shown = grants if limit is None or len(grants) <= limit else grants[-limit:]
    columns = (Column(t("status.col_grant", lang)), Column(t("status.col_year", lang)), Column(t("status.col_owner", lang)),
               Column(t("status.col_decision", lang)), Column(t("status.col_model", lang)),
               amount_column(t("status.col_granted", lang)))
    names = {p.id: Name(p.name, p.label) for p in report.cluster.partners}
    rows = []
    for line in shown:
        grant = line.grant
        decision = grant.decision
        decided = text(Message("status.decision_short", level=Message(f"words.level_{decision.level}"), date=decision.date), lang) \
            if decision else t("status.not_stated", lang)
        if decision and references and decision.reference:
            decided += ", " + decision.reference
        rows.append((grant.name, str(line.period if grant.year is None else grant.year),
                     names.get(grant.owner or "", t("status.not_stated", lang)), decided,
                     t(f"words.model_{grant.financing.model}", lang), line.amount))
    totals = (t("status.total", lang), "", "", "", "", sum((g.amount for g in grants), ZERO))
    return Table(columns, tuple(rows), title=t("status.grants_title", lang), totals=totals,
                 caption=t("status.amounts_in", lang), key="grants")


def spending_table(report: StatusReport, lang: str, *, limit: int | None = DEFAULT_GRANT_ROWS) -> Table | None:
    """Per grant: granted, spent, unspent, freed by closing, and the share spent (once spending is recorded)."""
    if not report.has_spending:
        return None
    grants = list(report.grants)
    shown = grants if limit is None or len(grants) <= limit else grants[-limit:]
    columns = (Column(t("status.col_grant", lang)), amount_column(t("spending.col_granted", lang)),
               amount_column(t("spending.col_spent", lang)), amount_column(t("spending.col_unspent", lang)),
               amount_column(t("spending.col_freed_total", lang)), Column(t("spending.col_share_spent", lang), "right"))
    states = [(line, line.spending or GrantSpending(line.grant.id)) for line in grants]
    rows = []
    for line, state in states:
        if line not in shown:
            continue
        name = line.grant.name + (f" ({t('spending.closed_mark', lang)})" if state.closed else "")
        rows.append((name, state.granted, state.spent, state.unspent, state.freed, percent(state.share_spent, lang)))
    granted = sum((s.granted for _, s in states), ZERO)
    spent = sum((s.spent for _, s in states), ZERO)
    totals = (t("status.total", lang), granted, spent, sum((s.unspent for _, s in states), ZERO),
              sum((s.freed for _, s in states), ZERO), percent(spent / granted if granted else None, lang))
    return Table(columns, tuple(rows), title=t("spending.table_title", lang), totals=totals, caption=t("status.amounts_in", lang),
                 key="spending")


def invoicing_table(report: StatusReport, lang: str) -> Table | None:
    """Per partner: invoiced, paid, outstanding, overdue and to be refunded (the table ``invoices`` shows)."""
    if not report.invoicing:
        return None
    return balances_table(report.cluster, report.invoicing, report.view.as_of or report.judged_on, lang)


def note_lines(report: StatusReport, lang: str) -> list[str]:
    """Every note, then every discrepancy, as a sentence in ``lang``."""
    return [text(note, lang) for note in report.notes] + [discrepancy_text(d, report, lang) for d in report.discrepancies]


def discrepancy_text(found: Discrepancy, report: StatusReport, lang: str) -> str:
    return text(wording(found, report.cluster, report.grant_names)[0], lang)


def render_text(report: StatusReport, lang: str, width: int | None, *, all_grants: bool = False) -> str:
    limit = None if all_grants else DEFAULT_GRANT_ROWS
    blocks = [table_text(partner_table(report, lang), lang, width)]
    for table in (split_table(report, lang, limit=limit), grants_table(report, lang, limit=limit),
                  spending_table(report, lang, limit=limit), invoicing_table(report, lang)):
        if table is not None:
            blocks.append(table_text(table, lang, width))
    sections = [
        (t("status.conditions_title", lang), [text(c, lang) for c in report.conditions]),
        (t("status.focus_title", lang), [_focus_line(area, lang) for area in report.focus_areas]),
        (t("status.cluster_notes_title", lang), list(report.cluster_notes)),
        (t("status.notes_title", lang), note_lines(report, lang)),
    ]
    for heading, lines in sections:
        if lines:
            blocks.append(bullets(heading, lines, width))
    return "\n\n".join(blocks) + "\n"


def _focus_line(area: Any, lang: str) -> str:
    words = area.area.name
    if area.area.status:
        words += f" ({area.area.status})"
    words += ": " + (", ".join(area.grants) if area.grants else t("status.no_grants", lang))
    if area.area.note:
        words += f" — {area.area.note}"
    return words


def bullets(heading: str, lines: list[str], width: int | None) -> str:
    out = [heading]
    for line in lines:
        line = one_line(line)
        if width is None:
            out.append(f"• {line}")
        else:
            out.append(textwrap.fill(line, width, initial_indent="• ", subsequent_indent="  ", break_long_words=False,
                                     break_on_hyphens=False))
    return "\n".join(out)


# --------------------------------------------------------------------------- JSON


def _money(value: Decimal | None) -> str | None:
    return None if value is None else json_amount(value)


def status_json(report: StatusReport, lang: str) -> dict[str, Any]:
    """The stable machine form (amounts as strings with two decimals and a ``.`` point).

    ``partners[]`` has ``allocated``, ``disbursed`` (committed to grants) and ``remaining``;
    a year view adds ``opening`` (carried in), ``carried_out`` and ``closing`` (= remaining).
    Grants whose split is unknown count in ``totals.unsplit`` and in the ``unattributed`` row.
    """
    year_view = report.shown_span is not None

    def amounts(line: Any) -> dict[str, str]:
        values = {"allocated": json_amount(line.allocated), "disbursed": json_amount(line.committed),
                  "remaining": json_amount(line.closing)}
        if line.handed_over:
            values["handed_over"] = json_amount(line.handed_over)
        if year_view:
            values |= {"opening": json_amount(line.opening), "carried_out": json_amount(line.carried_out),
                       "closing": json_amount(line.closing)}
        return values

    partners = [{"id": row.id, "name": row.name, "kind": row.kind, **amounts(row.funds)}
                for row in report.holders if row.kind != UNATTRIBUTED]
    unattributed = next((row for row in report.holders if row.kind == UNATTRIBUTED), None)
    return {
        "cluster": {"id": report.cluster.id, "name": report.cluster.name},
        "currency": "DKK",
        "year": str(report.view.span) if report.view.span else None,
        "period": str(report.shown_span) if report.shown_span else None,
        "as_of": report.view.as_of.isoformat() if report.view.as_of else None,
        "partners": partners,
        "unattributed": amounts(unattributed.funds) if unattributed else None,
        "grants": [
            {
                "id": line.grant.id,
                "name": line.grant.name,
                "owner": line.grant.owner,
                "year": str(line.grant.year) if line.grant.year else None,
                "period": str(line.period),
                "focus_area": line.grant.focus_area,
                "decision": None if line.grant.decision is None else {
                    "level": line.grant.decision.level, "date": line.grant.decision.date.isoformat(),
                    "body": line.grant.decision.body, "reference": line.grant.decision.reference},
                "applied": _money(line.grant.applied),
                "granted": json_amount(line.amount),
                "originally_granted": json_amount(line.grant.granted),
                "withdrawn": line.withdrawn,
                "model": line.grant.financing.model,
                "condition": line.grant.condition,
                "notes": list(line.grant.notes),
                "shares": None if line.shares is None else {pid: json_amount(v) for pid, v in line.shares.items()},
                **spending_json(line.spending),
            }
            for line in report.grants
        ],
        "totals": {**amounts(report.totals), "unsplit": json_amount(report.unsplit)},
        "focus_areas": [{"name": a.area.name, "status": a.area.status, "note": a.area.note, "grants": list(a.grants)}
                        for a in report.focus_areas],
        "cluster_notes": list(report.cluster_notes),
        "conditions": [text(c, lang) for c in report.conditions],
        "notes": note_lines(report, lang),
        "discrepancies": [discrepancy_json(d) for d in report.discrepancies],
        "invoices": None if not report.invoicing else [
            {"partner": b.partner, "invoiced": json_amount(b.invoiced), "paid": json_amount(b.paid),
             "outstanding": json_amount(b.outstanding), "overdue": json_amount(b.overdue),
             "overdue_invoices": list(b.overdue_invoices), "to_be_refunded": json_amount(b.to_be_refunded),
             "receivable": json_amount(b.receivable), "to_refund": json_amount(b.to_refund)}
            for b in report.invoicing],
    }


def spending_json(state: Any) -> dict[str, Any]:
    """A grant's spending in ``status --json``: ``granted_before_closing`` = ``spent + unspent + freed``."""
    state = state or GrantSpending("")
    return {"spent": json_amount(state.spent), "unspent": json_amount(state.unspent), "freed": json_amount(state.freed),
            "granted_before_closing": json_amount(state.granted),
            "share_spent": None if state.share_spent is None else f"{state.share_spent:.4f}",
            "overspent": json_amount(state.overspent),
            "closed": state.closed_on.isoformat() if state.closed_on else None}


def discrepancy_json(found: Discrepancy) -> dict[str, Any]:
    figure = found.figure
    return {
        "kind": found.kind,
        "measure": figure.measure,
        "partner": figure.partner,
        "grant": figure.grant,
        "year": str(figure.year) if figure.year else None,
        "as_of": figure.as_of.isoformat() if figure.as_of else None,
        "source": figure.source,
        "printed": json_amount(figure.amount),
        "computed": _money(found.computed),
        "difference": _money(found.difference),
    }


def only_grant(report: StatusReport, grant_id: str) -> StatusReport:
    """The report narrowed to one grant's lines (``status CLUSTER --grant ID``)."""
    return replace(report, grants=tuple(g for g in report.grants if g.grant.id == grant_id))


# --------------------------------------------------------------------------- file exports (--format md|csv|xlsx)


def status_document(report: StatusReport, lang: str, made: Any) -> Any:
    """The status as a document: every table (all grants) and every note, as the terminal shows them."""
    blocks: list[Any] = [replace(partner_table(report, lang), title=None)]  # the document's title says it
    for table in (split_table(report, lang, limit=None), grants_table(report, lang, limit=None), invoicing_table(report, lang)):
        if table is not None:
            blocks.append(table)
    sections = [
        (t("status.conditions_title", lang), [text(c, lang) for c in report.conditions], "conditions"),
        (t("status.focus_title", lang), [_focus_line(area, lang) for area in report.focus_areas], "focus"),
        (t("status.cluster_notes_title", lang), list(report.cluster_notes), "cluster"),
        (t("status.notes_title", lang), note_lines(report, lang), "notes"),
    ]
    blocks += [Bullets(heading, tuple(lines), key=key) for heading, lines, key in sections if lines]
    on = report.view.as_of or made
    return make_document("status", title(report, lang), t("report.made", lang, date=made), report.cluster.name, lang, on, made,
                         tuple(blocks))
