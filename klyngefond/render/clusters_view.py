"""The cluster overview for people and for scripts."""

from __future__ import annotations

from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.reports.clusters import ClusterRow
from klyngefond.render import i18n


def clusters_json(rows: list[ClusterRow]) -> dict[str, Any]:
    return {
        "currency": "DKK",
        "clusters": [
            {
                "folder": row.folder.name,
                "id": row.report.cluster_id if row.report else None,
                "name": row.report.cluster_name if row.report else None,
                "region": row.region,
                "partners": row.partner_count,
                "grants": len(row.report.grants) if row.report else None,
                "allocated": json_amount(row.report.totals.allocated) if row.report else None,
                "disbursed": json_amount(row.report.totals.disbursed) if row.report else None,
                "remaining": json_amount(row.report.totals.remaining) if row.report else None,
                "problems": [str(p) for p in row.problems],
            }
            for row in rows
        ],
    }


def render_clusters(rows: list[ClusterRow], lang: str) -> Any:
    from rich import box
    from rich.table import Table

    t = lambda key: i18n.label(key, lang)  # noqa: E731
    table = Table(title=t("clusters_title"), box=box.SIMPLE_HEAVY, caption=t("amounts_in"), caption_justify="right")
    table.add_column(t("cluster"))
    for key in ("allocated", "disbursed", "remaining"):
        table.add_column(t(key), justify="right", no_wrap=True)
    for row in rows:
        if row.report is None:
            first = str(row.problems[0]) if row.problems else ""
            table.add_row(f"{row.folder.name}: [red]{len(row.problems)} ⚠[/red] {first}", "", "", "")
            continue
        totals = row.report.totals
        detail = i18n.label("cluster_detail", lang, folder=row.folder.name, region=row.region,
                            partners=row.partner_count, grants=len(row.report.grants))
        table.add_row(f"{row.report.cluster_name}\n[dim]{detail}[/dim]", i18n.number(totals.allocated, lang),
                      i18n.number(totals.disbursed, lang), i18n.number(totals.remaining, lang))
    return table
