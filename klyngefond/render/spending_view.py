"""Spending and closing a grant, for people (a table per partner) and for scripts (``--json``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.i18n import Verbatim, t, text
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column, percent, render_text
from klyngefond.reports.spending import GrantEffect

ZERO = Decimal("0.00")


def _title(effect: GrantEffect, lang: str) -> str:
    key = f"spending.title_{effect.kind}" + ("_recorded" if effect.recorded else "")
    return t(key, lang, cluster=Verbatim(effect.cluster_name), grant=Verbatim(effect.grant.name), date=effect.date)


def effect_table(effect: GrantEffect, lang: str) -> Table:
    moved = t("spending.col_this_spending" if effect.kind == "spending" else "spending.col_freed", lang)
    columns = (Column(t("status.col_partner", lang)), amount_column(t("spending.col_share", lang)), amount_column(moved),
               amount_column(t("spending.col_spent", lang)), amount_column(t("spending.col_unspent", lang)))
    rows = tuple((line.name or t("status.unattributed_row", lang), line.share, line.moved, line.spent, line.unspent)
                 for line in effect.lines)
    totals = (t("status.total", lang), *[sum((row[i] for row in rows), ZERO) for i in range(1, 5)])  # type: ignore[misc]
    return Table(columns, rows, title=_title(effect, lang), totals=totals, caption=t("status.amounts_in", lang), key="grant")


def summary(effect: GrantEffect, lang: str) -> str:
    totals = effect.totals
    words = t("spending.summary", lang, granted=totals.granted, spent=totals.spent, share=percent(totals.share_spent, lang),
              unspent=totals.unspent)
    if effect.covers is not None:
        words = t("spending.covers", lang, start=effect.covers[0], end=effect.covers[1]) + " " + words
    if effect.kind == "closing":
        words += "\n" + t("spending.freed_to", lang, amount=effect.amount, period=str(effect.period))
    return words


def invoicing_table(effect: GrantEffect, lang: str) -> Table | None:
    """What the grant's owner invoiced each partner, against its share of the spending."""
    if not effect.invoicing:
        return None
    columns = (Column(t("status.col_partner", lang)), amount_column(t("spending.col_invoiced", lang)),
               amount_column(t("spending.col_spent_share", lang)), amount_column(t("spending.col_difference", lang), signed=True))
    rows = tuple((line.name, line.invoiced, line.share, line.difference) for line in effect.invoicing)
    totals = (t("status.total", lang), *[sum((row[i] for row in rows), ZERO) for i in range(1, 4)])  # type: ignore[misc]
    return Table(columns, rows, title=t("spending.invoicing_title", lang), totals=totals, caption=t("status.amounts_in", lang),
                 key="invoicing", notes=(t("spending.invoicing_note", lang),))


def render_effect(effect: GrantEffect, lang: str, width: int | None, *, dry_run_key: str | None = None) -> str:
    parts = [render_text(effect_table(effect, lang), lang, width), summary(effect, lang)]
    invoicing = invoicing_table(effect, lang)
    if invoicing is not None:
        parts.append(render_text(invoicing, lang, width))
    if effect.note:
        parts.append(t("spending.note", lang, note=Verbatim(effect.note)))
    if effect.warnings:
        parts.append(bullets(t("proposals.warnings_title", lang), [text(w, lang) for w in effect.warnings], width))
    if effect.recorded:
        parts.append(t("proposals.saved", lang, file=Verbatim(effect.file or "")))
    elif dry_run_key:
        parts.append(t(dry_run_key, lang))
    return "\n\n".join(parts) + "\n"


def effect_json(effect: GrantEffect, lang: str) -> dict[str, Any]:
    totals = effect.totals
    return {
        "cluster": effect.cluster_id,
        "kind": effect.kind,
        "grant": {"id": effect.grant.id, "name": effect.grant.name, "owner": effect.grant.owner},
        "date": effect.date.isoformat(),
        "amount": json_amount(effect.amount),
        "period": None if effect.covers is None else {"from": effect.covers[0].isoformat(), "to": effect.covers[1].isoformat()},
        "freed_to_period": str(effect.period) if effect.period else None,
        "note": effect.note,
        "partners": [{"id": line.holder, "name": line.name, "share": json_amount(line.share),
                      ("spent_now" if effect.kind == "spending" else "freed"): json_amount(line.moved),
                      "spent": json_amount(line.spent), "unspent": json_amount(line.unspent)} for line in effect.lines],
        "totals": {"granted": json_amount(totals.granted), "spent": json_amount(totals.spent),
                   "unspent": json_amount(totals.unspent), "freed": json_amount(totals.freed),
                   "share_spent": None if totals.share_spent is None else f"{totals.share_spent:.4f}"},
        "invoicing": [{"recipient": line.recipient, "invoiced": json_amount(line.invoiced), "share": json_amount(line.share),
                       "difference": json_amount(line.difference)} for line in effect.invoicing],
        "recorded": effect.recorded,
        "file": effect.file,
        "warnings": [text(w, lang) for w in effect.warnings],
    }
