"""The invoices report for people (rich tables, Markdown, CSV) and for scripts (``--json``).

Also the per-partner balance (invoiced, paid, outstanding, overdue) that ``status`` can show:
:func:`balances_json` and :func:`balances_table`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from klyngefond.core.invoicing import GrantSplit, InvoiceState, PartnerBalance, PlannedDocument
from klyngefond.core.money import json_amount
from klyngefond.render import i18n
from klyngefond.render.tabular import csv_amount, csv_text, markdown_table
from klyngefond.reports.invoices import Blocker, InvoicesReport

ZERO = Decimal("0.00")

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "title": "{cluster} — fakturering af bevillinger",
        "grant_title": "{grant} · tildelt {granted} · projektejer: {owner}",
        "payer": "Betaler",
        "payee": "Betaler til",
        "amount": "Beløb",
        "own_share": "egen andel, faktureres ikke",
        "granted": "Bevilget",
        "owner_unknown": "projektejer ikke oplyst",
        "totals_title": "Pr. part: hvad betales til hvem",
        "grants": "Bevillinger",
        "issued_title": "Udstedte fakturaer og kreditnotaer",
        "number": "Nummer",
        "kind": "Type",
        "issuer": "Fra",
        "recipient": "Til",
        "grant": "Bevilling",
        "date": "Dato",
        "due": "Forfald",
        "paid": "Betalt",
        "open": "Åbent",
        "state": "Status",
        "balances_title": "Fakturaer pr. part (pr. {today})",
        "balances_title_plain": "Fakturaer pr. part",
        "route": "Fra → til",
        "credits": "krediterer {number}",
        "issued_now": "Udstedt nu",
        "partner": "Part",
        "invoiced": "Faktureret",
        "outstanding": "Udestående",
        "overdue": "Forfaldent",
        "receivable": "Til gode",
        "total": "I alt",
        "type": "Type",
        "invoice_row": "faktura",
        "grant_id": "Bevilling-id",
        "owner": "Projektejer",
        "note": "Bemærkning",
        "pending": "Ikke udstedt endnu: {what}. Udsted med: klyngefond invoices {cluster} --issue{grant}",
        "nothing_pending": "Alle fakturaer efter fordelingen er udstedt.",
        "no_owner": "{grant}: projektejer ikke oplyst — fordelingen vises, men der kan ikke udstedes fakturaer. "
                    "Udfyld owner i {file}.",
        "no_split": "{grant}: kilden oplyser ikke fordelingen på parter, så der er intet at fakturere. "
                    "Angiv financing i {file}.",
        "not_reconciled": "{grant}: fakturaerne og projektejerens andel giver {sum}, ikke {granted}.",
        "n_invoices": "{n} faktura|{n} fakturaer",
        "n_credit_notes": "{n} kreditnota|{n} kreditnotaer",
        "and": "og",
        "amounts_in": "Beløb i kr.",
    },
    "en": {
        "title": "{cluster} — invoicing of grants",
        "grant_title": "{grant} · granted {granted} · owner: {owner}",
        "payer": "Payer",
        "payee": "Pays to",
        "amount": "Amount",
        "own_share": "own share, not invoiced",
        "granted": "Granted",
        "owner_unknown": "owner not stated",
        "totals_title": "Per partner: who pays whom",
        "grants": "Grants",
        "issued_title": "Issued invoices and credit notes",
        "number": "Number",
        "kind": "Type",
        "issuer": "From",
        "recipient": "To",
        "grant": "Grant",
        "date": "Date",
        "due": "Due",
        "paid": "Paid",
        "open": "Open",
        "state": "State",
        "balances_title": "Invoices per partner (as of {today})",
        "balances_title_plain": "Invoices per partner",
        "route": "From → to",
        "credits": "credits {number}",
        "issued_now": "Issued now",
        "partner": "Partner",
        "invoiced": "Invoiced",
        "outstanding": "Outstanding",
        "overdue": "Overdue",
        "receivable": "Receivable",
        "total": "Total",
        "type": "Type",
        "invoice_row": "invoice",
        "grant_id": "Grant id",
        "owner": "Owner",
        "note": "Note",
        "pending": "Not issued yet: {what}. Issue with: klyngefond invoices {cluster} --issue{grant}",
        "nothing_pending": "Every invoice the split calls for has been issued.",
        "no_owner": "{grant}: the project owner is not stated — the split is shown, but no invoices can be issued. "
                    "Fill in owner in {file}.",
        "no_split": "{grant}: the source does not state the split between partners, so there is nothing to invoice. "
                    "Give financing in {file}.",
        "not_reconciled": "{grant}: the invoices and the owner's share add up to {sum}, not {granted}.",
        "n_invoices": "{n} invoice|{n} invoices",
        "n_credit_notes": "{n} credit note|{n} credit notes",
        "and": "and",
        "amounts_in": "Amounts in DKK",
    },
}

KINDS = {"da": {"invoice": "faktura", "credit_note": "kreditnota"}, "en": {"invoice": "invoice", "credit_note": "credit note"}}
STATES = {
    "da": {"open": "åben", "partly_paid": "delvis betalt", "paid": "betalt", "overdue": "forfalden",
           "credited": "krediteret", "refund": "tilbagebetales", "credit_note": "kreditnota"},
    "en": {"open": "open", "partly_paid": "partly paid", "paid": "paid", "overdue": "overdue",
           "credited": "credited", "refund": "to be refunded", "credit_note": "credit note"},
}


def label(key: str, lang: str, **values: Any) -> str:
    return LABELS[lang][key].format(**values)


def _plural(key: str, n: int, lang: str) -> str:
    one, many = LABELS[lang][key].split("|")
    return (one if n == 1 else many).format(n=n)


def _date(day: Any, lang: str) -> str:
    return day.strftime("%d-%m-%Y") if lang == "da" else day.isoformat()


# --------------------------------------------------------------------------- JSON


def invoices_json(report: InvoicesReport) -> dict[str, Any]:
    """The stable machine form. Amounts are strings with two decimals; dates are ISO 8601."""
    blocked = {b.grant: b for b in report.blockers}
    return {
        "cluster": {"id": report.cluster_id, "name": report.cluster_name},
        "currency": "DKK",
        "as_of": report.today.isoformat(),
        "grant": report.grant_filter,
        "grants": [_split_json(split, blocked.get(split.grant.id)) for split in report.splits],
        "payers": [
            {"payer": t.payer, "payee": t.payee, "amount": json_amount(t.amount), "grants": list(t.grants)}
            for t in report.payer_totals
        ],
        "issued": [_state_json(state, report) for state in report.states],
        "balances": balances_json(report.balances, report.partner_names),
        "pending": [_planned_json(doc) for doc in report.pending],
    }


def _split_json(split: GrantSplit, blocker: Blocker | None) -> dict[str, Any]:
    return {
        "id": split.grant.id,
        "name": split.grant.name,
        "granted": json_amount(split.granted),
        "model": split.grant.financing.model,
        "owner": split.owner,
        "owner_share": json_amount(split.owner_share) if split.shares is not None else None,
        "invoiced": json_amount(split.invoiced),
        "invoices": [
            {"issuer": split.owner, "recipient": line.recipient, "amount": json_amount(line.amount)}
            for line in split.lines
        ],
        "can_invoice": split.can_invoice,
        "blocked": None if blocker is None else {"reason": blocker.reason, "file": blocker.file, "key": blocker.key},
    }


def _state_json(state: InvoiceState, report: InvoicesReport) -> dict[str, Any]:
    invoice = state.invoice
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "issuer": invoice.issuer,
        "recipient": invoice.recipient,
        "grant": invoice.grant,
        "amount": json_amount(invoice.amount),
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "credits": invoice.credits,
        "credited": json_amount(state.credited),
        "paid": json_amount(state.paid),
        "open": json_amount(state.open),
        "state": state.state(report.today),
    }


def _planned_json(doc: PlannedDocument) -> dict[str, Any]:
    return {"kind": doc.kind, "grant": doc.grant, "issuer": doc.issuer, "recipient": doc.recipient,
            "amount": json_amount(doc.amount), "credits": doc.credits}


def balances_json(balances: Sequence[PartnerBalance], names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Per partner: ``{"partner", "name", "invoiced", "paid", "outstanding", "overdue", "overdue_invoices", "receivable"}``.

    ``invoiced`` is net of credit notes; ``outstanding`` = invoiced − paid (negative: a
    refund is due); ``overdue`` is the part of it past its due date; ``receivable`` is
    what the other partners still owe this partner on the invoices it issued.
    """
    names = names or {}
    return [
        {
            "partner": b.partner,
            "name": names.get(b.partner, b.partner),
            "invoiced": json_amount(b.invoiced),
            "paid": json_amount(b.paid),
            "outstanding": json_amount(b.outstanding),
            "overdue": json_amount(b.overdue),
            "overdue_invoices": list(b.overdue_invoices),
            "receivable": json_amount(b.receivable),
        }
        for b in balances
    ]


# --------------------------------------------------------------------------- rich


def _table(title: str, lang: str, footer: bool = True) -> Any:
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAVY, show_footer=footer,
                 caption=label("amounts_in", lang), caption_justify="left")


def _amount_column(table: Any, header: str, footer: str = "") -> None:
    table.add_column(header, justify="right", footer=footer, no_wrap=True, min_width=12)


def render_invoices(report: InvoicesReport, lang: str = "da") -> list[Any]:
    """The rich renderables of the invoices report, in the order they are printed."""
    from rich.text import Text

    out: list[Any] = [Text(label("title", lang, cluster=report.cluster_name), style="bold")]
    out.extend(_grant_table(split, report, lang) for split in report.splits if split.shares is not None)
    if report.payer_totals:
        out.append(_totals_table(report, lang))
    if report.states:
        out.append(_issued_table(report, lang))
    if report.balances:
        out.append(balances_table(report.balances, report.partner_labels, lang, report.today))
    notes = note_lines(report, lang)
    out.extend(Text(f"• {line}") for line in notes)
    return out


def _name(report: InvoicesReport, pid: str | None, lang: str) -> str:
    if pid is None:
        return label("owner_unknown", lang)
    return report.partner_names.get(pid, pid)


def _grant_table(split: GrantSplit, report: InvoicesReport, lang: str) -> Any:
    from rich.text import Text

    num = lambda amount: i18n.number(amount, lang)  # noqa: E731
    title = label("grant_title", lang, grant=split.grant.name, granted=i18n.money(split.granted, lang),
                  owner=_name(report, split.owner, lang))
    if split.owner is None:
        title = title.rsplit(" · ", 1)[0] + " · " + label("owner_unknown", lang)
    # The title goes above the table rather than in it: a table title wraps at the table's width.
    table = _table("", lang)
    table.add_column(label("payer", lang), footer=label("granted", lang))
    table.add_column(label("payee", lang))
    _amount_column(table, label("amount", lang), num(split.granted))
    payee = Text(_name(report, split.owner, lang), style="" if split.owner else "italic")
    for line in split.lines:
        table.add_row(report.partner_names.get(line.recipient, line.recipient), payee, num(line.amount))
    if split.owner is not None:
        table.add_row(report.partner_names.get(split.owner, split.owner), Text(label("own_share", lang), style="italic"),
                      num(split.owner_share))
    from rich.console import Group

    return Group(Text(title, style="bold"), table)


def _totals_table(report: InvoicesReport, lang: str) -> Any:
    """Per payer, what it pays to whom, with a total when it pays more than one partner.

    Which grants make up each amount is in the Markdown and JSON forms; in a terminal the
    grant names would wrap every row.
    """
    from rich.text import Text

    table = _table(label("totals_title", lang), lang, footer=False)
    table.add_column(label("payer", lang))
    table.add_column(label("payee", lang))
    _amount_column(table, label("amount", lang))
    totals = report.payer_totals
    for index, total in enumerate(totals):
        first = index == 0 or totals[index - 1].payer != total.payer
        last = index == len(totals) - 1 or totals[index + 1].payer != total.payer
        rows = [t for t in totals if t.payer == total.payer]
        table.add_row(
            report.partner_names.get(total.payer, total.payer) if first else "",
            _name(report, total.payee, lang),
            i18n.number(total.amount, lang),
        )
        if last and len(rows) > 1:
            table.add_row("", Text(label("total", lang), style="italic"),
                          Text(i18n.number(sum((t.amount for t in rows), ZERO), lang), style="bold"),
                          end_section=index < len(totals) - 1)
    return table


def _issued_table(report: InvoicesReport, lang: str) -> Any:
    return issued_table(report.states, report.partner_labels, report.today, lang)


def issued_table(states: Sequence[InvoiceState], labels: Mapping[str, str], today: Any, lang: str = "da",
                 title: str | None = None) -> Any:
    """One row per issued document, two lines high so that it fits an 80-column terminal."""
    from rich.text import Text

    table = _table(label("issued_title", lang) if title is None else title, lang, footer=False)
    widest = max((len(s.invoice.number) for s in states), default=10)
    table.add_column(label("number", lang) + "\n" + label("route", lang), no_wrap=True, min_width=widest)
    _amount_column(table, label("amount", lang))
    table.add_column(label("due", lang) + "\n" + label("state", lang), min_width=15)
    _amount_column(table, label("open", lang))
    for state in states:
        invoice = state.invoice
        code = state.state(today)
        credit = invoice.is_credit_note
        route = f"{labels.get(invoice.issuer, invoice.issuer)} → {labels.get(invoice.recipient, invoice.recipient)}"
        shown_state = STATES[lang][code]
        if credit and invoice.credits:
            shown_state = label("credits", lang, number=invoice.credits.rsplit("-", 1)[-1])
        first = Text(invoice.number + "\n")
        first.append(route, style="dim")
        second = Text(_date(invoice.due_date, lang) + "\n")
        second.append(shown_state, style="bold red" if code == "overdue" else "italic")
        table.add_row(
            first,
            i18n.number(-invoice.amount if credit else invoice.amount, lang),
            second,
            "" if credit else i18n.number(state.open, lang),
        )
    return table


def balances_table(
    balances: Sequence[PartnerBalance], names: Mapping[str, str], lang: str = "da", today: Any = None
) -> Any:
    """A rich table: per partner invoiced, paid, outstanding, overdue and receivable, with totals.

    ``names`` maps partner ids to what to show; short names keep the table within 80 columns.
    """
    from rich.text import Text

    num = lambda amount: i18n.number(amount, lang)  # noqa: E731
    title = label("balances_title", lang, today=_date(today, lang)) if today else label("balances_title_plain", lang)
    table = _table(title, lang)
    table.add_column(label("partner", lang), footer=label("total", lang), overflow="fold", min_width=8)
    columns = ("invoiced", "paid", "outstanding", "overdue", "receivable")
    for key in columns:
        total = num(sum((getattr(b, key) for b in balances), ZERO))
        table.add_column(label(key, lang), justify="right", footer=total, no_wrap=True)
    for b in balances:
        overdue = Text(num(b.overdue), style="bold red" if b.overdue > 0 else "")
        table.add_row(names.get(b.partner, b.partner), num(b.invoiced), num(b.paid), num(b.outstanding), overdue,
                      num(b.receivable))
    return table


def shown_path(path: str) -> str:
    """``path`` relative to the current folder when it lies inside it: shorter to read and to copy."""
    from pathlib import Path

    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def note_lines(report: InvoicesReport, lang: str) -> list[str]:
    """The blockers, any split that fails to reconcile, and what is left to issue."""
    lines = [label(b.reason, lang, grant=b.grant_name, file=shown_path(b.file)) for b in report.blockers]
    for split in report.splits:
        if not split.reconciles:
            lines.append(label("not_reconciled", lang, grant=split.grant.name,
                               sum=i18n.money(split.invoiced + split.owner_share, lang),
                               granted=i18n.money(split.granted, lang)))
    if report.pending:
        lines.append(label("pending", lang, what=_pending_text(report.pending, lang), cluster=report.cluster_id,
                           grant=f" --grant {report.grant_filter}" if report.grant_filter else ""))
    elif report.states:
        lines.append(label("nothing_pending", lang))
    return lines


def _pending_text(pending: Sequence[PlannedDocument], lang: str) -> str:
    parts = []
    for kind, key in (("invoice", "n_invoices"), ("credit_note", "n_credit_notes")):
        docs = [d for d in pending if d.kind == kind]
        if docs:
            parts.append(f"{_plural(key, len(docs), lang)} ({i18n.money(sum((d.amount for d in docs), ZERO), lang)})")
    return f" {label('and', lang)} ".join(parts)


# --------------------------------------------------------------------------- CSV and Markdown


def split_rows(report: InvoicesReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """The split as one flat table: a row per invoice and per owner's own share (no total rows)."""
    header = [label(k, lang) for k in ("grant_id", "grant", "payer", "payee", "amount", "type")]
    rows: list[list[str]] = []
    for split in report.splits:
        if split.shares is None:
            continue
        payee = _name(report, split.owner, lang)
        for line in split.lines:
            rows.append([split.grant.id, split.grant.name, report.partner_names.get(line.recipient, line.recipient),
                         payee, csv_amount(line.amount, lang), label("invoice_row", lang)])
        if split.owner is not None:
            rows.append([split.grant.id, split.grant.name, report.partner_names.get(split.owner, split.owner), "",
                         csv_amount(split.owner_share, lang), label("own_share", lang)])
    return header, rows


def invoices_csv(report: InvoicesReport, lang: str = "da") -> str:
    header, rows = split_rows(report, lang)
    return csv_text(header, rows, lang)


def invoices_markdown(report: InvoicesReport, lang: str = "da") -> str:
    """The split for an agenda: a table per grant, then who pays whom, then notes."""
    num = lambda amount: i18n.number(amount, lang)  # noqa: E731
    parts = [f"## {label('title', lang, cluster=report.cluster_name)}\n"]
    for split in report.splits:
        if split.shares is None:
            continue
        parts.append(f"### {split.grant.name}\n")
        owner = (f"{label('owner', lang)}: {_name(report, split.owner, lang)}" if split.owner
                 else label("owner_unknown", lang).capitalize())
        parts.append(f"{label('granted', lang)}: {i18n.money(split.granted, lang)} · {owner}\n")
        rows = [[report.partner_names.get(line.recipient, line.recipient), _name(report, split.owner, lang),
                 num(line.amount)] for line in split.lines]
        if split.owner is not None:
            rows.append([report.partner_names.get(split.owner, split.owner), f"*{label('own_share', lang)}*",
                         num(split.owner_share)])
        rows.append([f"**{label('granted', lang)}**", "", f"**{num(split.granted)}**"])
        parts.append(markdown_table([label("payer", lang), label("payee", lang), label("amount", lang)], rows, right=[2]))
    if report.payer_totals:
        parts.append(f"### {label('totals_title', lang)}\n")
        grant_names = {split.grant.id: split.grant.name for split in report.splits}
        rows = [[report.partner_names.get(t.payer, t.payer), _name(report, t.payee, lang), num(t.amount),
                 ", ".join(grant_names.get(g, g) for g in t.grants)] for t in report.payer_totals]
        parts.append(markdown_table([label(k, lang) for k in ("payer", "payee", "amount", "grants")], rows, right=[2]))
    if report.balances:
        parts.append(f"### {label('balances_title', lang, today=_date(report.today, lang))}\n")
        rows = [[report.partner_names.get(b.partner, b.partner), num(b.invoiced), num(b.paid), num(b.outstanding),
                 num(b.overdue), num(b.receivable)] for b in report.balances]
        header = [label(k, lang) for k in ("partner", "invoiced", "paid", "outstanding", "overdue", "receivable")]
        parts.append(markdown_table(header, rows, right=[1, 2, 3, 4, 5]))
    notes = note_lines(report, lang)
    if notes:
        parts.append("\n".join(f"- {line}" for line in notes) + "\n")
    parts.append(f"\n*{label('amounts_in', lang)}*\n")
    return "\n".join(parts)
