"""The cluster overview for people and for scripts."""

from __future__ import annotations

from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.i18n import Verbatim, t
from klyngefond.render.problems import shown_path
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column
from klyngefond.render.table import render_text as table_text
from klyngefond.reports.clusters import ClusterRow


def clusters_table(rows: list[ClusterRow], lang: str) -> Table:
    columns = (Column(t("clusters.col_cluster", lang)), Column(t("clusters.col_partners", lang), "right"), Column(t("clusters.col_grants", lang), "right"),
               amount_column(t("status.col_allocated", lang)), amount_column(t("status.col_committed", lang)),
               amount_column(t("status.col_remaining", lang)))
    cells = []
    for row in rows:
        if row.totals is None:
            cells.append((row.name, "", "", t("clusters.unreadable", lang, count=row.errors), "", ""))
        else:
            cells.append((row.name, str(row.partners), str(row.grants), row.totals.allocated,
                          row.totals.committed, row.totals.closing))
    return Table(columns, tuple(cells), title=t("clusters.title", lang), caption=t("status.amounts_in", lang), key="clusters")


def notes(rows: list[ClusterRow], lang: str) -> list[str]:
    lines = []
    for row in rows:
        if row.totals is None:
            lines.append(t("clusters.broken", lang, folder=shown_path(row.folder), count=row.errors,
                           cluster=Verbatim(row.folder.name)))
        if row.same_id:
            lines.append(t("clusters.same_id", lang, folder=row.folder.name, id=Verbatim(row.id), others=list(row.same_id)))
    if not rows:
        lines.append(t("clusters.none", lang))
    return lines


def render_text(rows: list[ClusterRow], lang: str, width: int | None) -> str:
    blocks = [table_text(clusters_table(rows, lang), lang, width)]
    lines = notes(rows, lang)
    if lines:
        blocks.append(bullets(t("status.notes_title", lang), lines, width))
    return "\n\n".join(blocks) + "\n"


def _money(line: Any, field: str) -> str | None:
    return None if line is None else json_amount(getattr(line, field))


def clusters_json(rows: list[ClusterRow], lang: str) -> dict[str, Any]:
    """The stable machine form: per cluster the same totals as ``status --json`` (``allocated``,
    ``disbursed``, ``remaining``), or ``null`` with ``errors`` > 0 when its data cannot be read."""
    return {
        "currency": "DKK",
        "clusters": [
            {
                "folder": row.folder.name,
                "id": row.id,
                "name": row.name,
                "region": row.region,
                "partners": row.partners if row.readable else None,
                "fund_holders": row.fund_holders if row.readable else None,
                "grants": row.grants if row.readable else None,
                "allocated": _money(row.totals, "allocated"),
                "disbursed": _money(row.totals, "committed"),
                "remaining": _money(row.totals, "closing"),
                "errors": row.errors,
                "warnings": row.warnings,
                "same_id": list(row.same_id),
            }
            for row in rows
        ],
        "notes": notes(rows, lang),
    }
