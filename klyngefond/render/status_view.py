"""The status report for people (a rich table) and for scripts (the ``--json`` contract)."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.reports.reference import Discrepancy
from klyngefond.reports.status import StatusReport
from klyngefond.render import i18n

# Up to this many grants get a column each in the partner table, like the minutes' table;
# with more, the table would not fit a terminal and the grants get a table of their own.
MAX_GRANT_COLUMNS = 3


def status_json(report: StatusReport, lang: str = "da") -> dict[str, Any]:
    """The stable machine form. Amounts are strings with two decimals and a ``.`` point.

    A year view adds per partner ``opening`` (carried in from earlier years), ``carried_out``
    and ``closing`` (= ``remaining``), the ``period`` the year belongs to, and the
    ``unattributed`` row for grants whose split between partners is unknown.
    """
    payload = _status_json(report, lang)
    if report.year is None:
        return payload
    for entry, line in zip(payload["partners"], report.holders):
        entry.update(_year_amounts(line))
    payload["period"] = str(report.period) if report.period else str(report.year)
    payload["unattributed"] = _year_amounts(report.unattributed) | {
        "allocated": json_amount(report.unattributed.allocated),
        "disbursed": json_amount(report.unattributed.disbursed),
    } if report.unattributed else None
    payload["totals"].update({
        "opening": json_amount(report.totals.opening),
        "carried_out": json_amount(report.totals.carried_out),
        "closing": json_amount(report.totals.remaining),
    })
    return payload


def _year_amounts(line: Any) -> dict[str, str]:
    return {
        "opening": json_amount(line.opening),
        "carried_out": json_amount(line.carried_out),
        "closing": json_amount(line.remaining),
    }


def _status_json(report: StatusReport, lang: str) -> dict[str, Any]:
    return {
        "cluster": {"id": report.cluster_id, "name": report.cluster_name},
        "currency": "DKK",
        "year": report.year,
        "partners": [
            {
                "id": line.id,
                "name": line.name,
                "kind": line.kind,
                "allocated": json_amount(line.allocated),
                "disbursed": json_amount(line.disbursed),
                "remaining": json_amount(line.remaining),
            }
            for line in report.holders
        ],
        "grants": [
            {
                "id": line.grant.id,
                "name": line.grant.name,
                "owner": line.grant.owner,
                "year": str(line.grant.year) if line.grant.year else None,
                "applied": json_amount(line.grant.applied) if line.grant.applied is not None else None,
                "granted": json_amount(line.granted),
                "model": line.grant.financing.model,
                "shares": None if line.shares is None else {pid: json_amount(v) for pid, v in line.shares.items()},
            }
            for line in report.grants
        ],
        "totals": {
            "allocated": json_amount(report.totals.allocated),
            "disbursed": json_amount(report.totals.disbursed),
            "remaining": json_amount(report.totals.remaining),
            "unsplit": json_amount(report.unsplit),
        },
        "notes": note_lines(report, lang),
        "discrepancies": [discrepancy_json(d) for d in report.discrepancies],
    }


def discrepancy_json(found: Discrepancy) -> dict[str, Any]:
    figure = found.figure
    return {
        "kind": found.kind,
        "measure": figure.measure,
        "partner": figure.partner,
        "grant": figure.grant,
        "year": str(figure.year) if figure.year else None,
        "source": figure.source,
        "printed": json_amount(figure.amount),
        "computed": None if found.computed is None else json_amount(found.computed),
        "difference": None if found.difference is None else json_amount(found.difference),
    }


def note_lines(report: StatusReport, lang: str) -> list[str]:
    """Every note and discrepancy as a sentence in ``lang``."""
    lines = [i18n.note_text(note.code, lang, _worded(note.code, note.values, lang)) for note in report.notes]
    lines.extend(discrepancy_text(report, found, lang) for found in report.discrepancies)
    return lines


def _worded(code: str, values: dict[str, Any], lang: str) -> dict[str, Any]:
    """Fill in the words a note's facts leave to the language (the unattributed row, who decided)."""
    if code in ("carried_in", "carried_out", "carried_more_than_left"):
        values = dict(values)
        if not values.get("holder"):
            values["holder"] = i18n.label("unattributed_row", lang)
        if "decided" in values:
            values["decided"] = f" ({values['decided']})" if values["decided"] else ""
    return values


def discrepancy_text(report: StatusReport, found: Discrepancy, lang: str) -> str:
    figure = found.figure
    values: dict[str, Any] = {
        "source": figure.source,
        "what": _describe(report, found, lang),
        "printed": figure.amount,
        "computed": found.computed,
        "difference": found.difference,
        "why": "",
        "extra": f" {figure.note}" if figure.note else "",
    }
    if found.kind == "differs" and found.difference is not None and abs(found.difference) <= Decimal("0.05"):
        values["why"] = i18n.NOTES[lang]["why_rounding"]
    return i18n.note_text(found.kind, lang, values)


def _describe(report: StatusReport, found: Discrepancy, lang: str) -> str:
    figure = found.figure
    names = {line.id: line.name for line in report.holders}
    grants = {line.grant.id: line.grant.name for line in report.grants}
    measure = figure.measure
    if found.kind == "parts_do_not_add_up" and measure == "granted":
        measure = "share"
    parts = [i18n.MEASURES[lang][measure]]
    if figure.grant:
        parts.append(f"«{grants.get(figure.grant, figure.grant)}»")
    if figure.partner:
        parts.append(f"({names.get(figure.partner, figure.partner)})")
    if figure.year:
        parts.append(str(figure.year))
    return " ".join(parts)


def render_status(report: StatusReport, lang: str = "da", width: int = 100) -> list[Any]:
    """The rich renderables of the status report, in the order they are printed.

    ``width`` is the terminal's: the split of the grants is cut into as many tables as it
    takes for the amounts never to wrap.
    """
    from rich.text import Text

    out: list[Any] = [_balance_table(report, lang) if report.year is None else _year_table(report, lang)]
    split_grants = [line for line in report.grants if line.shares is not None]
    per_table = max(1, (width - NAME_WIDTH) // AMOUNT_WIDTH)
    for start in range(0, len(split_grants), per_table):
        out.append(_split_table(report, split_grants[start:start + per_table], lang))
    if report.grants:
        out.append(_grant_table(report, lang))
    notes = note_lines(report, lang)
    if notes:
        out.append(Text(i18n.label("notes_title", lang), style="bold"))
        out.extend(Text(f"• {line}") for line in notes)
    return out


NAME_WIDTH = 22
AMOUNT_WIDTH = 16


def _table(title: str, lang: str, footer: bool = True) -> Any:
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAVY, show_footer=footer,
                 caption=i18n.label("amounts_in", lang), caption_justify="left")


def _amount_column(table: Any, header: str, footer: str = "") -> None:
    table.add_column(header, justify="right", footer=footer, no_wrap=True, min_width=12)


def _balance_table(report: StatusReport, lang: str) -> Any:
    from rich.text import Text

    t = lambda key, **kw: i18n.label(key, lang, **kw)  # noqa: E731
    num = lambda amount: i18n.number(amount, lang)  # noqa: E731
    title_key = "status_title_year" if report.year is not None else "status_title"
    table = _table(t(title_key, cluster=report.cluster_name, year=report.year), lang)
    table.add_column(t("partner"), footer=t("total"))
    _amount_column(table, t("allocated"), num(report.totals.allocated))
    _amount_column(table, t("disbursed"), num(report.totals.disbursed))
    _amount_column(table, t("remaining"), num(report.totals.remaining))
    for holder in report.holders:
        name = holder.name + (f" ({t('group')})" if holder.is_group else "")
        remaining = Text(num(holder.remaining), style="red" if holder.remaining < 0 else "")
        table.add_row(name, num(holder.allocated), num(holder.disbursed), remaining)
    if report.unsplit:
        table.add_row(Text(t("unsplit_row"), style="italic"), "", num(report.unsplit), "")
    return table


def _split_table(report: StatusReport, lines: list[Any], lang: str) -> Any:
    """Partners as rows, grants as columns: the minutes' table of disbursed funds."""
    table = _table(i18n.label("split_title", lang), lang)
    table.add_column(i18n.label("partner", lang), footer=i18n.label("total", lang))
    for line in lines:
        # Wrapped by hand: amounts never wrap, so a long grant name must not widen its column.
        _amount_column(table, textwrap.fill(line.grant.name, AMOUNT_WIDTH - 2), i18n.number(line.granted, lang))
    for holder in report.holders:
        if holder.is_group:
            continue
        cells = [i18n.number(line.shares[holder.id], lang) if holder.id in line.shares else "–" for line in lines]
        table.add_row(holder.name, *cells)
    return table


def _grant_table(report: StatusReport, lang: str) -> Any:
    """One row per grant; the owner and decision columns only when some grant records them."""
    t = lambda key: i18n.label(key, lang)  # noqa: E731
    names = report.partner_names
    grants = [line.grant for line in report.grants]
    columns: list[tuple[str, Any]] = [
        ("grant", lambda g: g.name),
        ("year", lambda g: str(g.year) if g.year else "–"),
        ("model", lambda g: i18n.MODEL_NAMES[lang][g.financing.model]),
    ]
    if any(g.owner for g in grants):
        columns.append(("owner", lambda g: names.get(g.owner, g.owner) if g.owner else "–"))
    if any(g.decision for g in grants):
        columns.append(("decision", lambda g: f"{g.decision.level} {g.decision.date:%d-%m-%Y}" if g.decision else "–"))
    table = _table(t("grants_title"), lang, footer=False)
    for key, _ in columns:
        table.add_column(t(key), no_wrap=key == "year")
    _amount_column(table, t("granted"))
    for line in report.grants:
        table.add_row(*[cell(line.grant) for _, cell in columns], i18n.number(line.granted, lang))
    return table


def _year_table(report: StatusReport, lang: str) -> Any:
    """A year: opening (carried in), the year's allocation, committed, carried on, closing."""
    from rich.text import Text

    t = lambda key, **kw: i18n.label(key, lang, **kw)  # noqa: E731
    num = lambda amount: i18n.number(amount, lang)  # noqa: E731
    shown = str(report.period) if report.period is not None else str(report.year)
    table = _table(t("status_title_year", cluster=report.cluster_name, year=shown), lang)
    rows = list(report.holders) + ([report.unattributed] if report.unattributed else [])
    with_carry = any(r.carried_out for r in rows)
    table.add_column(t("partner"), footer=t("total"), min_width=12)

    def amount_column(header: str, footer: str) -> None:  # as narrow as the figures, so names keep room
        table.add_column(header, justify="right", footer=footer, no_wrap=True)

    amount_column(t("opening"), num(report.totals.opening))
    amount_column(t("allocated"), num(report.totals.allocated))
    amount_column(t("committed"), num(report.totals.disbursed))
    if with_carry:
        amount_column(t("carried_out"), num(report.totals.carried_out))
    amount_column(t("closing"), num(report.totals.remaining))
    for row in rows:
        if row.kind == "unattributed":
            name: Any = Text(t("unattributed_row"), style="italic")
        else:
            name = row.name + (f" ({t('group')})" if row.is_group else "")
        cells = [num(row.opening), num(row.allocated), num(row.disbursed)]
        if with_carry:
            cells.append(num(row.carried_out))
        cells.append(Text(num(row.remaining), style="red" if row.remaining < 0 else ""))
        table.add_row(name, *cells)
    return table
