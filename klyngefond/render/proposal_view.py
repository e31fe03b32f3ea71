"""Proposals and recorded decisions (allocate, top-up, reduce, withdraw, transfer, carry-over) for people and scripts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.core.text import Name
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column, paragraph, render_text
from klyngefond.reports.proposals import CarryReport, Proposal

ZERO = Decimal("0.00")


def _title(proposal: Proposal, lang: str) -> str:
    cluster = Verbatim(proposal.cluster_name)
    name = Verbatim(proposal.name)
    if proposal.kind == "grant":
        key = "proposals.title_recorded" if proposal.recorded else "proposals.title_proposal"
        return t(key, lang, cluster=cluster, name=name)
    what = Message(f"proposals.kind_{proposal.kind}", name=name, to=Verbatim(proposal.to_name or ""))
    key = "proposals.title_change_recorded" if proposal.recorded else "proposals.title_change"
    return t(key, lang, cluster=cluster, what=what)


def proposal_table(proposal: Proposal, lang: str) -> Table:
    share_header = t("proposals.col_share" if proposal.kind == "grant" else "proposals.col_change", lang)
    columns = (Column(t("status.col_partner", lang)), amount_column(share_header, signed=proposal.kind != "grant"),
               amount_column(t("proposals.col_before", lang), t("proposals.col_before_short", lang)),
               amount_column(t("proposals.col_after", lang), t("proposals.col_after_short", lang)))
    rows = tuple((line.name, line.share, line.before, line.after) for line in proposal.lines)
    if proposal.unattributed:
        # A change to a grant whose split is unknown: the period's funds as a whole pay (see the note).
        rows += ((Name(t("status.unattributed_row", lang), t("status.unattributed_short", lang)), proposal.unattributed,
                  None, None),)
    totals = (t("status.total", lang), sum((line.share for line in proposal.lines), proposal.unattributed),
              sum((line.before for line in proposal.lines), ZERO), sum((line.after for line in proposal.lines), ZERO))
    return Table(columns, rows, title=_title(proposal, lang), totals=totals, caption=t("status.amounts_in", lang), key="proposal")


def summary(proposal: Proposal, lang: str) -> str:
    owner = Verbatim(proposal.owner_name) if proposal.owner_name else Message("status.not_stated")
    return t("proposals.summary", lang, amount=proposal.amount, model=Message(f"words.model_{proposal.model}"), owner=owner,
             period=str(proposal.period), date=proposal.date)


def render_proposal(proposal: Proposal, lang: str, width: int | None, *, refused: bool = False) -> str:
    lines = [paragraph(summary(proposal, lang), width), render_text(proposal_table(proposal, lang), lang, width)]
    verdict: list[str] = []
    if proposal.shortfalls:
        names = {line.partner: line.name for line in proposal.lines}
        verdict += ["✗ " + t("proposals.short", lang, partner=Verbatim(names.get(s.partner, s.partner)), missing=s.missing)
                    for s in proposal.shortfalls]
    if proposal.unattributed > proposal.unattributed_before:
        verdict.append("✗ " + t("proposals.total_short", lang, period=str(proposal.period),
                                 missing=proposal.unattributed - proposal.unattributed_before))
    if not verdict and proposal.kind in ("grant", "top-up", "transfer"):
        verdict.append("✓ " + t("proposals.all_can_afford", lang))
    if proposal.max_affordable is not None:
        key = "proposals.max_affordable" if proposal.kind == "grant" else "proposals.max_topup"
        verdict.append(t(key, lang, amount=proposal.max_affordable, period=str(proposal.period)))
    lines.append("\n".join(paragraph(line, width) for line in verdict))
    if proposal.notes:
        lines.append(bullets(t("status.notes_title", lang), [text(n, lang) for n in proposal.notes], width))
    if proposal.warnings:
        lines.append(bullets(t("proposals.warnings_title", lang), [text(n, lang) for n in proposal.warnings], width))
    if proposal.recorded:
        lines.append(paragraph(t("proposals.saved", lang, file=Verbatim(proposal.file or "")), width))
    elif refused:
        lines.append(paragraph(t("proposals.refused", lang), width))
    else:
        lines.append(paragraph(t("proposals.dry_run", lang), width))
    return "\n\n".join(line for line in lines if line) + "\n"


def proposal_json(proposal: Proposal, lang: str, *, refused: bool = False) -> dict[str, Any]:
    return {
        "cluster": proposal.cluster_id,
        "kind": proposal.kind,
        "name": proposal.name,
        "grant": proposal.grant_id,
        "to_grant": proposal.to_grant,
        "amount": json_amount(proposal.amount),
        "model": proposal.model,
        "owner": proposal.owner,
        "period": str(proposal.period),
        "date": proposal.date.isoformat(),
        "shares": [{"partner": line.partner, "name": line.name, "share": json_amount(line.share),
                    "remaining_before": json_amount(line.before), "remaining_after": json_amount(line.after)}
                   for line in proposal.lines],
        "shortfalls": [{"partner": s.partner, "missing": json_amount(s.missing)} for s in proposal.shortfalls],
        "unattributed": json_amount(proposal.unattributed),
        "max_affordable": None if proposal.max_affordable is None else json_amount(proposal.max_affordable),
        "notes": [text(n, lang) for n in proposal.notes],
        "warnings": [text(n, lang) for n in proposal.warnings],
        "recorded": proposal.recorded,
        "refused": refused,
        "file": proposal.file,
    }


def carry_table(report: CarryReport, lang: str) -> Table:
    columns = (Column(t("status.col_partner", lang)), Column(t("proposals.col_from", lang)),
               amount_column(t("proposals.col_left", lang)), amount_column(t("proposals.col_carried", lang)))
    rows = tuple((line.name or t("status.unattributed_row", lang), line.from_period, line.available, line.amount)
                 for line in report.lines)
    totals = (t("status.total", lang), "", sum((line.available for line in report.lines), ZERO), report.total)
    key = "proposals.carry_title_recorded" if report.recorded else "proposals.carry_title"
    title = t(key, lang, cluster=Verbatim(report.cluster_name), from_year=str(report.from_year), to_period=str(report.to_period),
              date=report.date)
    return Table(columns, rows, title=title, totals=totals, caption=t("status.amounts_in", lang), key="carryover")


def render_carry(report: CarryReport, lang: str, width: int | None, warnings: list[str] = []) -> str:  # noqa: B006
    parts = [render_text(carry_table(report, lang), lang, width)]
    if report.stated is not None and report.stated != report.total:
        parts.append(paragraph(t("proposals.carry_stated_differs", lang, stated=report.stated, computed=report.total,
                                 difference=report.stated - report.total), width))
    if warnings:
        parts.append(bullets(t("proposals.warnings_title", lang), warnings, width))
    parts.append(paragraph(t("proposals.saved", lang, file=Verbatim(report.file or "")) if report.recorded
                           else t("proposals.dry_run_carry", lang), width))
    return "\n\n".join(parts) + "\n"


def carry_json(report: CarryReport) -> dict[str, Any]:
    return {
        "cluster": report.cluster_id,
        "from_year": str(report.from_year),
        "to_period": str(report.to_period),
        "date": report.date.isoformat(),
        "lines": [{"holder": line.holder, "name": line.name, "from_period": line.from_period,
                   "available": json_amount(line.available), "amount": json_amount(line.amount)} for line in report.lines],
        "total": json_amount(report.total),
        "stated": None if report.stated is None else json_amount(report.stated),
        "recorded": report.recorded,
        "file": report.file,
    }
