"""A proposal or change for people (a rich table and a few sentences) and for scripts (``--json``)."""

from __future__ import annotations

from typing import Any

from klyngefond.core.money import ZERO, json_amount
from klyngefond.render import i18n
from klyngefond.reports.allocate import Proposal


def proposal_json(report: Proposal) -> dict[str, Any]:
    """The ``allocate --json`` contract; changes add ``kind``, ``grant`` and ``to_grant``."""
    payload: dict[str, Any] = {
        "cluster": report.cluster_id,
        "name": report.name,
        "amount": json_amount(report.amount),
        "model": report.model,
        "owner": report.owner,
        "shares": [
            {
                "partner": line.partner,
                "name": line.name,
                "share": json_amount(line.share),
                "remaining_before": json_amount(line.before),
                "remaining_after": json_amount(line.after),
            }
            for line in report.lines
        ],
        "shortfalls": [{"partner": s.partner, "missing": json_amount(s.missing)} for s in report.shortfalls],
        "max_affordable": None if report.max_affordable is None else json_amount(report.max_affordable),
        "recorded": report.recorded,
        "year": report.year,
        "id": report.grant_id if report.recorded or report.kind != "grant" else None,
        "file": report.file,
    }
    if report.kind != "grant":
        payload.update({"kind": report.kind, "grant": report.grant_id, "to_grant": report.to_grant})
    return payload


def render_proposal(report: Proposal, lang: str = "da") -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = lambda key, **kw: i18n.label(key, lang, **kw)  # noqa: E731
    num = lambda amount: i18n.number(amount, lang)  # noqa: E731
    if report.kind == "grant":
        title = t("recorded_title" if report.recorded else "proposal_title", cluster=report.cluster_name, name=report.name)
        share_header = t("share")
    else:
        what = i18n.EVENTS[lang][report.kind].format(to=report.to_name or "", source="")
        title = t("change_title", cluster=report.cluster_name, what=f"{what}: {report.name}")
        share_header = t("change_share")
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAVY, show_footer=True,
                  caption=t("amounts_in"), caption_justify="left")
    def total(values: Any) -> str:
        return num(sum(values, ZERO))

    table.add_column(t("partner"), footer=t("total"))
    for header, footer in ((share_header, total(line.share for line in report.lines)),
                           (t("before"), total(line.before for line in report.lines)),
                           (t("after"), total(line.after for line in report.lines))):
        table.add_column(header, justify="right", footer=footer, no_wrap=True, min_width=12)
    for line in report.lines:
        after = Text(num(line.after), style="red bold" if line.after < 0 and line.share > 0 else "")
        table.add_row(line.name, num(line.share), num(line.before), after)

    model = i18n.MODEL_NAMES[lang].get(report.model, report.model)
    year = f" · {t('year').lower()} {report.year}" if report.year is not None else ""
    out: list[Any] = [
        Text(t("proposal_summary", amount=i18n.money(report.amount, lang), model=model,
               owner=report.owner_name or "–", year=year)),
        table,
    ]
    if report.shortfalls:
        for shortfall in report.shortfalls:
            name = report.partner_names.get(shortfall.partner, shortfall.partner)
            out.append(Text("✗ " + t("shortfall_line", partner=name, missing=i18n.money(shortfall.missing, lang)),
                            style="red bold"))
    else:
        out.append(Text("✓ " + t("all_can_afford"), style="green"))
    if report.max_affordable is not None:
        key = "max_topup" if report.kind == "top-up" else "max_affordable"
        out.append(Text(t(key, amount=i18n.money(report.max_affordable, lang))))
    for note in report.notes:
        out.append(Text("• " + i18n.note_text(note.code, lang, note.values)))
    if report.recorded:
        out.append(Text(t("recorded", file=report.file), style="bold"))
    elif report.refused:
        out.append(Text(t("refused"), style="red"))
    else:
        out.append(Text(t("dry_run"), style="italic"))
    return out
