"""The meeting pack arranged as a :class:`Document`: the tables of ``status`` and ``applications``, the funds
table in the minutes' layout, what happened since a date, invoicing and the notes.

Every table comes from the builders the terminal uses (``status_view``, ``applications_view``,
``log_view``); this module only adds the tables the pack has of its own (the minutes' funds
table, the "since" list, the open credit notes) and chooses the order and the headings.
The pack is for the agenda, so it holds no tool instructions: the few notes that tell a
person which command to run are worded without it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from klyngefond.i18n import Message, Verbatim, date, t, text
from klyngefond.journal.model import UNATTRIBUTED
from klyngefond.render import applications_view, log_view, status_view
from klyngefond.render.document import Bar, Block, Bullets, Chart, Document, Paragraph, make_document
from klyngefond.render.table import Column, Table, amount_column
from klyngefond.reports.meeting import Happening, MeetingPack
from klyngefond.reports.status import GrantLine, StatusReport

ZERO = Decimal("0.00")

# Notes whose terminal wording points to a command; the pack words them without it.
DOCUMENT_WORDING = {
    "status.grant_withdrawn": "report.grant_withdrawn",
    "status.grant_changed": "report.grant_changed",
}

SHEETS = ("partners", "funds", "split", "grants", "applications", "since", "invoicing", "credits", "log", "notes")


def sheet_names(lang: str) -> dict[str, str]:
    return {key: t(f"report.sheet_{key}", lang) for key in SHEETS}


# --------------------------------------------------------------------------- the funds table


def _ordered_grants(report: StatusReport) -> list[GrantLine]:
    """The grants in the order of their focus areas (as the minutes list them), the rest after, each in date order."""
    order = {area.area.name: index for index, area in enumerate(report.focus_areas)}
    return sorted(report.grants, key=lambda g: order.get(g.grant.focus_area or "", len(order)))


def funds_table(report: StatusReport, lang: str) -> Table:
    """Grants (and focus areas without a grant, as "–") as rows, holders as columns, and an "I alt" column;
    then "Udmøntet i alt" and "Resterende midler" (with what was carried in or on, in a year view)."""
    holders = list(report.holders)
    columns = [Column(t("report.col_funds", lang))] + \
        [amount_column(status_view.holder_name(row, lang, short=True)) for row in holders] + \
        [amount_column(t("status.total", lang))]
    rows: list[tuple[Any, ...]] = []
    for line in _ordered_grants(report):
        if line.shares is None:  # the split is not stated: the amount stands in the unattributed column
            cells = [line.amount if row.id == UNATTRIBUTED else None for row in holders]
        else:
            cells = [line.shares.get(row.id, ZERO) for row in holders]
        rows.append((line.grant.name, *cells, line.amount))
    for area in report.focus_areas:
        if not area.grants:
            label = t("report.focus_row", lang, area=Verbatim(area.area.name), status=Verbatim(area.area.status)) \
                if area.area.status else area.area.name
            rows.append((label, *[None for _ in holders], None))

    def summary(key: str, field: str) -> tuple[Any, ...]:
        values = [getattr(row.funds, field) for row in holders]
        return (t(key, lang), *values, getattr(report.totals, field))

    totals = summary("report.committed_total", "committed")
    extra = []
    if any(row.funds.opening for row in holders):
        extra.append(summary("report.carried_in", "opening"))
    if any(row.funds.carried_out for row in holders):
        extra.append(summary("report.carried_out", "carried_out"))
    extra.append(summary("report.remaining", "closing"))
    unstated = any(line.shares is None for line in report.grants)
    empty_areas = any(not a.grants for a in report.focus_areas)
    caption = t("report.funds_caption_both", lang) if unstated and empty_areas else \
        t("report.funds_caption_unstated", lang) if unstated else t("report.funds_caption", lang) if empty_areas else None
    return Table(tuple(columns), tuple(rows), title=t("report.funds_title", lang), totals=totals, caption=caption,
                 key="funds", summary=tuple(extra), row_totals=True)


def chart(report: StatusReport, lang: str) -> Chart | None:
    """Per partner (and group) what it received (with what was carried in), committed and has left."""
    bars = tuple(Bar(status_view.holder_name(row, lang), (row.funds.allocated + row.funds.opening, row.funds.committed,
                                                           row.funds.closing))
                 for row in report.holders if row.kind != UNATTRIBUTED)
    if not bars:
        return None
    series = tuple(t(f"report.series_{k}", lang) for k in ("received", "committed", "remaining"))
    return Chart(t("report.chart_title", lang), series, bars)


# --------------------------------------------------------------------------- grants and applications


def grant_details(report: StatusReport, lang: str) -> Bullets | None:
    lines = []
    for line in _ordered_grants(report):
        grant = line.grant
        if grant.condition:
            lines.append(t("report.grant_condition", lang, grant=Verbatim(grant.name), condition=Verbatim(grant.condition)))
        lines += [t("report.grant_note", lang, grant=Verbatim(grant.name), note=Verbatim(note)) for note in grant.notes]
    return Bullets(t("report.grant_details_title", lang), tuple(lines), key="grants") if lines else None


def applications_blocks(pack: MeetingPack, lang: str) -> list[Block]:
    report = pack.applications
    if not report.lines:
        return []
    if not report.compared:
        return [Paragraph(t("report.applications_none_applied", lang), heading=t("report.sheet_applications", lang))]
    table = replace(applications_view.applications_table(report, lang), title=t("report.sheet_applications", lang), caption=None)
    notes = []
    missing = report.without_applied
    if missing:
        notes.append(t("applications.without_applied", lang, count=len(missing),
                       names=[Verbatim(line.grant.name) for line in missing], granted_all=report.granted_all))
    if report.changed:
        notes.append(t("report.applications_now_note", lang))
    blocks: list[Block] = [table]
    if notes:
        blocks.append(Bullets(None, tuple(notes), key="applications"))
    return blocks


# --------------------------------------------------------------------------- what happened since


def _route(pack: MeetingPack, issuer: str, recipient: str, lang: str) -> str:
    cluster = pack.ledger.cluster
    return t("invoices.route", lang, issuer=Verbatim(cluster.holder_name(issuer)), recipient=Verbatim(cluster.holder_name(recipient)))


def happening_row(pack: MeetingPack, happening: Happening, lang: str) -> tuple[Any, ...]:
    entry = happening.entry
    when = date(happening.date, lang) + ("" if happening.date_stated else "*")
    if entry is not None:
        return (when, log_view.event(entry, pack.log, lang), log_view.concerns(entry, pack.log, lang),
                log_view.who(entry, lang), happening.amount)
    record: Any = happening.record
    cluster = pack.ledger.cluster
    if happening.kind == "allocation":
        return (when, t("report.event_allocation", lang), f"{cluster.holder_name(record.partner)} {record.year}", "",
                happening.amount)
    names = pack.status.grant_names
    if happening.kind == "spending":
        return (when, t("report.event_spending", lang) + (f": {record.note}" if record.note else ""),
                names.get(record.grant, record.grant), "", happening.amount)
    if happening.kind in ("invoice", "credit_note"):
        route = _route(pack, record.issuer, record.recipient, lang)
        words = t(f"report.event_{happening.kind}", lang, number=Verbatim(record.number), credits=Verbatim(record.credits or ""),
                  route=Verbatim(route))
        amount = -record.amount if happening.kind == "credit_note" else record.amount
        return (when, words, names.get(record.grant, record.grant), "", amount)
    # a payment (recipient pays issuer) or a refund (issuer pays back)
    invoice = _invoice(pack, record.invoice)
    issuer, recipient = (invoice.issuer, invoice.recipient) if invoice is not None else ("", "")
    route = _route(pack, recipient, issuer, lang) if happening.kind == "payment" else _route(pack, issuer, recipient, lang)
    words = t(f"report.event_{happening.kind}", lang, number=Verbatim(record.invoice), route=Verbatim(route))
    grant = names.get(invoice.grant, invoice.grant) if invoice is not None else ""
    return (when, words, grant, "", happening.amount)


def _invoice(pack: MeetingPack, number: str) -> Any:
    return next((i for i in pack.ledger.invoices if i.number == number), None)


def since_blocks(pack: MeetingPack, lang: str) -> list[Block]:
    if pack.since is None:
        return []
    heading = t("report.since_title", lang, date=pack.since)
    if not pack.happenings:
        return [Paragraph(t("report.since_none", lang, date=pack.since, until=pack.on), heading=heading)]
    columns = (Column(t("report.col_date", lang)), Column(t("report.col_event", lang)), Column(t("report.col_concerns", lang)),
               Column(t("report.col_decided_by", lang)), amount_column(t("report.col_amount", lang)))
    rows = tuple(happening_row(pack, h, lang) for h in pack.happenings)
    notes = (t("report.undated", lang),) if any(not h.date_stated for h in pack.happenings) else ()
    return [Table(columns, rows, title=heading, key="since", notes=notes)]


# --------------------------------------------------------------------------- invoicing


def invoicing_blocks(pack: MeetingPack, lang: str) -> list[Block]:
    report = pack.status
    table = status_view.invoicing_table(report, lang)
    if table is None:
        return [Paragraph(t("report.invoicing_none", lang), heading=t("report.invoicing_title", lang))]
    blocks: list[Block] = [replace(table, title=t("report.sheet_invoicing", lang), caption=None)]
    overdue = [t("report.overdue_note", lang, partner=Verbatim(report.cluster.holder_name(b.partner)), amount=b.overdue,
                 date=pack.on, invoices=list(b.overdue_invoices))
               for b in report.invoicing if b.overdue_invoices]
    if overdue:
        blocks.append(Bullets(None, tuple(overdue), key="invoicing"))
    if pack.open_credits:
        columns = (Column(t("report.col_credit_note", lang)), Column(t("report.col_date", lang)), Column(t("report.col_route", lang)),
                   Column(t("report.col_grant", lang)), Column(t("report.col_credits", lang)),
                   amount_column(t("report.col_credited", lang)), amount_column(t("report.col_to_refund", lang)))
        rows = tuple((c.note.number, date(c.note.issue_date, lang),
                      _route(pack, c.note.issuer, c.note.recipient, lang),
                      report.grant_names.get(c.note.grant, c.note.grant), c.invoice.number, c.note.amount, c.to_refund)
                     for c in pack.open_credits)
        blocks.append(Table(columns, rows, title=t("report.credits_title", lang), caption=t("report.credits_caption", lang),
                            key="credits"))
    return blocks


# --------------------------------------------------------------------------- closing the books


def closing_blocks(pack: MeetingPack, lang: str) -> list[Block]:
    """The closing statement and the settlement, as ``klyngefond closeout`` shows them."""
    from klyngefond.render.closeout_view import note_lines as closing_notes
    from klyngefond.render.closeout_view import statement_tables, title

    statement = pack.closing
    if statement is None:
        return []
    said = t("report.closing_recorded" if statement.recorded else "report.closing_proposal", lang,  # type: ignore[attr-defined]
             date=statement.date)  # type: ignore[attr-defined]
    blocks: list[Block] = [Paragraph(said, heading=title(statement, lang))]  # type: ignore[arg-type]
    blocks += statement_tables(statement, lang)  # type: ignore[arg-type]
    notes = closing_notes(statement, lang)  # type: ignore[arg-type]
    if notes:
        blocks.append(Bullets(t("status.notes_title", lang), tuple(notes), key="closing"))
    return blocks


# --------------------------------------------------------------------------- notes


def document_note(message: Message) -> Message:
    """A status note worded for a document (no "see klyngefond log")."""
    key = DOCUMENT_WORDING.get(message.key)
    return message if key is None else Message(key, **message.values)


def note_lines(pack: MeetingPack, lang: str) -> list[str]:
    report = pack.status
    lines = [text(document_note(note), lang) for note in report.notes]
    lines += [status_view.discrepancy_text(found, report, lang) for found in report.discrepancies]
    if pack.log.not_applied:
        lines.append(t("report.not_applied", lang, count=pack.log.not_applied))
    return lines


def notes_blocks(pack: MeetingPack, lang: str) -> list[Block]:
    report = pack.status
    sections = [
        (t("status.focus_title", lang), [status_view._focus_line(area, lang) for area in report.focus_areas], "focus"),
        (t("status.cluster_notes_title", lang), list(report.cluster_notes), "cluster"),
        (t("status.notes_title", lang), note_lines(pack, lang), "notes"),
    ]
    return [Bullets(heading, tuple(lines), key=key) for heading, lines, key in sections if lines]


# --------------------------------------------------------------------------- the document


def pack_document(pack: MeetingPack, lang: str) -> Document:
    report = pack.status
    cluster = report.cluster
    blocks: list[Block] = []
    partners = status_view.partner_table(report, lang)
    blocks.append(replace(partners, title=t("report.partners_title", lang), caption=None))
    figure = chart(report, lang)
    if figure is not None:
        blocks.append(figure)
    if report.grants or report.focus_areas:
        blocks.append(funds_table(report, lang))
    grants = status_view.grants_table(replace(report, grants=tuple(_ordered_grants(report))), lang, limit=None, references=True)
    if grants is not None:
        blocks.append(replace(grants, caption=None))
        details = grant_details(report, lang)
        if details is not None:
            blocks.append(details)
    blocks += applications_blocks(pack, lang)
    blocks += since_blocks(pack, lang)
    blocks += invoicing_blocks(pack, lang)
    blocks += closing_blocks(pack, lang)
    blocks += notes_blocks(pack, lang)
    shown = report.shown_span
    subtitle = t("report.subtitle_period", lang, period=str(shown), date=pack.on) if shown is not None else \
        t("report.subtitle", lang, date=pack.on)
    document = make_document("meeting-pack", t("report.title", lang, cluster=Verbatim(cluster.name)), subtitle, cluster.name,
                               lang, pack.on, pack.made, tuple(blocks))
    return replace(document, sheet_names=sheet_names(lang))


# --------------------------------------------------------------------------- the machine form


def pack_json(pack: MeetingPack, lang: str) -> dict[str, Any]:
    """The stable machine form of the pack: the reports it is made of, in their own ``--json`` forms.

    ``status`` is ``klyngefond status --json`` and ``applications`` is ``klyngefond
    applications --json`` for the same view; ``since`` lists what happened from that day
    (``null`` without ``--since``): ``date``, ``date_stated``, ``kind`` (allocation, grant,
    top-up, …, invoice, credit_note, payment, refund), ``ref`` (the record), ``event`` and
    ``concerns`` as the pack words them, and ``amount`` (a credit note negative);
    ``open_credit_notes`` are the credit notes whose invoice was paid and money goes back;
    ``closing`` is ``klyngefond closeout --json``'s statement when the pack shows one.
    """
    from klyngefond.core.money import json_amount
    from klyngefond.render.closeout_view import statement_json

    def happening(h: Happening) -> dict[str, Any]:
        _when, event, concerns, _who, amount = happening_row(pack, h, lang)
        return {"date": h.date.isoformat(), "date_stated": h.date_stated, "kind": h.kind, "ref": h.ref,
                "event": event, "concerns": concerns or None,
                "amount": None if amount is None else json_amount(amount)}

    cluster = pack.ledger.cluster
    return {
        "cluster": {"id": cluster.id, "name": cluster.name},
        "currency": "DKK",
        "year": str(pack.view.span) if pack.view.span else None,
        "as_of": pack.view.as_of.isoformat() if pack.view.as_of else None,
        "on": pack.on.isoformat(),
        "made": pack.made.isoformat(),
        "since": None if pack.since is None else pack.since.isoformat(),
        "status": status_view.status_json(pack.status, lang),
        "applications": applications_view.applications_json(pack.applications, lang),
        "happened": None if pack.since is None else [happening(h) for h in pack.happenings],
        "open_credit_notes": [{"number": c.note.number, "date": c.note.issue_date.isoformat(), "issuer": c.note.issuer,
                               "recipient": c.note.recipient, "grant": c.note.grant, "credits": c.invoice.number,
                               "credited": json_amount(c.note.amount), "to_refund": json_amount(c.to_refund)}
                              for c in pack.open_credits],
        "closing": None if pack.closing is None else statement_json(pack.closing, lang),  # type: ignore[arg-type]
    }
