"""Applied against granted, for people (a table whose total compares like with like) and for scripts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.i18n import Verbatim, t
from klyngefond.render.document import Bullets, make_document
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column
from klyngefond.render.table import render_text as table_text
from klyngefond.reports.applications import Applications


def applications_table(report: Applications, lang: str) -> Table:
    columns = [Column(t("status.col_grant", lang)), Column(t("status.col_year", lang)),
               amount_column(t("applications.col_applied", lang)), amount_column(t("applications.col_granted", lang)),
               amount_column(t("applications.col_difference", lang), signed=True)]
    if report.changed:
        columns.append(amount_column(t("applications.col_now", lang)))
    rows = []
    for line in report.lines:
        cells: list[Any] = [line.grant.name, str(line.period), line.applied, line.granted, line.difference]
        if report.changed:
            cells.append(line.current)
        rows.append(tuple(cells))
    totals: list[Any] = [t("applications.total_compared", lang) if report.without_applied else t("status.total", lang), "",
                         report.applied, report.granted, report.difference]
    if report.changed:
        totals.append(report.current)
    title = t("applications.title", lang, cluster=Verbatim(report.cluster.name))
    if report.span is not None:
        title += f" {report.span}"
    if report.as_of is not None:
        title += " " + t("status.as_of", lang, date=report.as_of)
    return Table(tuple(columns), tuple(rows), title=title, totals=tuple(totals) if report.lines else None,
                 caption=t("status.amounts_in", lang), key="applications")


def notes(report: Applications, lang: str) -> list[str]:
    lines = []
    if not report.lines:
        lines.append(t("applications.none", lang))
    missing = report.without_applied
    if missing:
        lines.append(t("applications.without_applied", lang, count=len(missing),
                       names=[Verbatim(line.grant.name) for line in missing], granted_all=report.granted_all))
    if report.changed:
        lines.append(t("applications.now_note", lang))
    return lines


def render_text(report: Applications, lang: str, width: int | None) -> str:
    blocks = [table_text(applications_table(report, lang), lang, width)]
    lines = notes(report, lang)
    if lines:
        blocks.append(bullets(t("status.notes_title", lang), lines, width))
    return "\n\n".join(blocks) + "\n"


def _money(value: Any) -> str | None:
    return None if value is None else json_amount(value)


def applications_json(report: Applications, lang: str) -> dict[str, Any]:
    """The stable machine form.

    ``totals`` compares like with like: ``applied``, ``granted``, ``difference`` and
    ``current`` count only the grants with an applied amount. ``all`` gives ``granted``
    and ``current`` over every grant in the view; ``without_applied`` lists the grants the
    totals leave out.
    """
    return {
        "cluster": {"id": report.cluster.id, "name": report.cluster.name},
        "year": str(report.span) if report.span else None,
        "grants": [
            {"id": line.grant.id, "name": line.grant.name, "period": str(line.period),
             "applied": _money(line.applied), "granted": json_amount(line.granted),
             "difference": _money(line.difference), "current": json_amount(line.current)}
            for line in report.lines
        ],
        "totals": {"applied": json_amount(report.applied), "granted": json_amount(report.granted),
                   "difference": json_amount(report.difference), "current": json_amount(report.current),
                   "grants": len(report.compared)},
        "all": {"granted": json_amount(report.granted_all), "current": json_amount(report.current_all),
                "grants": len(report.lines)},
        "without_applied": [line.grant.id for line in report.without_applied],
        "notes": notes(report, lang),
    }


def applications_document(report: Applications, lang: str, made: Any) -> Any:
    """Applied against granted as a document (``--format md|csv|xlsx``): the table, then the notes."""
    table = applications_table(report, lang)
    title = table.title or ""
    table = replace(table, title=None)  # the document's title says it
    lines = notes(report, lang)
    blocks: tuple[Any, ...] = (table, Bullets(t("status.notes_title", lang), tuple(lines))) if lines else (table,)
    return make_document("applications", title, t("report.made", lang, date=made), report.cluster.name, lang, made,
                         made, blocks)
