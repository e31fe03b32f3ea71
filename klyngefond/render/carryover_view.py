"""A carry-over for people and for scripts."""

from __future__ import annotations

from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.render import i18n
from klyngefond.reports.carryover import CarryReport


def carryover_json(report: CarryReport) -> dict[str, Any]:
    carry = report.carryover
    return {
        "cluster": report.cluster_id,
        "from_year": str(carry.from_year),
        "to_year": carry.to_year,
        "partner": carry.partner,
        "carried": [
            {"partner": line.holder, "name": line.name, "from_period": line.from_period,
             "remaining": json_amount(line.available), "carried": json_amount(line.amount)}
            for line in report.lines
        ],
        "total": json_amount(report.total),
        "stated_amount": json_amount(carry.stated_amount) if carry.stated_amount is not None else None,
        "recorded": report.recorded,
        "id": report.carryover_id,
        "file": report.file,
    }


def render_carryover(report: CarryReport, lang: str = "da") -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = lambda key, **kw: i18n.label(key, lang, **kw)  # noqa: E731
    num = lambda amount: i18n.number(amount, lang)  # noqa: E731
    carry = report.carryover
    what = i18n.EVENTS[lang]["carry-over"].format(from_year=carry.from_year, to_year=carry.to_year)
    table = Table(title=t("change_title", cluster=report.cluster_name, what=what), title_justify="left",
                  box=box.SIMPLE_HEAVY, show_footer=True, caption=t("amounts_in"), caption_justify="left")
    table.add_column(t("partner"), footer=t("total"))
    table.add_column(t("year"))
    table.add_column(t("remaining"), justify="right", no_wrap=True,
                     footer=num(sum((line.available for line in report.lines), report.total * 0)))
    table.add_column(t("carried_out"), justify="right", no_wrap=True, footer=num(report.total))
    for line in report.lines:
        name = line.name or t("unattributed_row")
        table.add_row(name, line.from_period, num(line.available), num(line.amount))
    out: list[Any] = [table]
    if carry.stated_amount is not None and carry.stated_amount != report.total:
        out.append(Text("• " + i18n.note_text("carried_differs", lang, {
            "source": carry.source or "", "stated": carry.stated_amount, "computed": report.total,
            "difference": carry.stated_amount - report.total})))
    if report.recorded:
        out.append(Text(t("recorded", file=report.file), style="bold"))
    else:
        out.append(Text(t("dry_run"), style="italic"))
    return out
