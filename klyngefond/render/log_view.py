"""The log and the applications view, for people and for scripts."""

from __future__ import annotations

from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.render import i18n
from klyngefond.reports.applications import Applications
from klyngefond.reports.log import Log, LogEntry


def _amount(value: Any) -> str | None:
    return None if value is None else json_amount(value)


def log_json(log: Log) -> dict[str, Any]:
    return {
        "cluster": log.cluster_id,
        "entries": [
            {
                "date": entry.date.isoformat() if entry.date else None,
                "kind": entry.kind,
                "id": entry.record_id,
                "level": entry.decision.level if entry.decision else None,
                "body": entry.decision.body if entry.decision else None,
                "reference": entry.decision.reference if entry.decision else None,
                "grant": entry.grant,
                "to_grant": entry.to_grant,
                "amount": _amount(entry.amount),
                "after": _amount(entry.after),
                "to_after": _amount(entry.to_after),
                "applied": _amount(entry.applied),
                "from_year": entry.from_year,
                "to_year": entry.to_year,
                "partner": entry.partner,
                "reason": entry.reason,
                "override_shortfall": entry.override,
                "file": entry.file,
            }
            for entry in log.entries
        ],
    }


def _event(entry: LogEntry, lang: str) -> str:
    events = i18n.EVENTS[lang]
    if entry.kind == "carry-over":
        text = events["carry-over"].format(from_year=entry.from_year, to_year=entry.to_year)
        return text + (f" ({entry.partner})" if entry.partner else "")
    if entry.kind == "transfer":
        return events["transfer"].format(to=entry.to_name or entry.to_grant)
    return events[entry.kind]


def _who(entry: LogEntry) -> str:
    decision = entry.decision
    if decision is None:
        return "–"
    return decision.level + (f" — {decision.body}" if decision.body else "")


def render_log(log: Log, lang: str = "da") -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = lambda key, **kw: i18n.label(key, lang, **kw)  # noqa: E731
    table = Table(title=t("log_title", cluster=log.cluster_name), title_justify="left", box=box.SIMPLE_HEAVY,
                  caption=t("amounts_in"), caption_justify="left")
    table.add_column(t("date"), no_wrap=True)
    table.add_column(t("decided_by"), ratio=2)
    table.add_column(t("event"), ratio=2)
    table.add_column(t("grant"), ratio=3)
    table.add_column(t("amount"), justify="right", no_wrap=True)
    table.add_column(t("now"), justify="right", no_wrap=True)
    for entry in log.entries:
        date = entry.date.strftime("%d-%m-%Y") if entry.date else t("undated")
        event = _event(entry, lang)
        if entry.reason:
            event += f": {entry.reason}"
        if entry.override:
            event += f" (!: {entry.override})"
        table.add_row(
            date, _who(entry), event, entry.grant_name or "–",
            i18n.number(entry.amount, lang) if entry.amount is not None else "–",
            i18n.number(entry.after, lang) if entry.after is not None else "",
        )
    if not log.entries:
        return [table, Text("–")]
    return [table]


def applications_json(report: Applications) -> dict[str, Any]:
    return {
        "cluster": report.cluster_id,
        "year": report.year,
        "grants": [
            {
                "id": line.grant_id, "name": line.name, "year": line.year,
                "applied": _amount(line.applied), "granted": json_amount(line.granted),
                "difference": _amount(line.difference), "current": json_amount(line.current),
            }
            for line in report.lines
        ],
        "totals": {
            "applied": json_amount(report.applied),
            "granted": json_amount(report.granted),
            "difference": json_amount(report.difference),
            "current": json_amount(report.current),
        },
        "without_applied": [line.grant_id for line in report.without_applied],
    }


def render_applications(report: Applications, lang: str = "da") -> list[Any]:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    t = lambda key, **kw: i18n.label(key, lang, **kw)  # noqa: E731
    num = lambda amount: "–" if amount is None else i18n.number(amount, lang)  # noqa: E731
    title = t("applications_title", cluster=report.cluster_name) + (f" {report.year}" if report.year else "")
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAVY, show_footer=True,
                  caption=t("amounts_in"), caption_justify="left")
    table.add_column(t("grant"), footer=t("total"), ratio=3)
    table.add_column(t("year"), no_wrap=True)
    for header, footer in ((t("applied"), report.applied), (t("granted"), report.granted),
                           (t("difference"), report.difference)):
        table.add_column(header, justify="right", no_wrap=True, footer=num(footer))
    if report.changed:
        table.add_column(t("now"), justify="right", no_wrap=True, footer=num(report.current))
    for line in report.lines:
        cells = [line.name, line.year or "–", num(line.applied), num(line.granted), num(line.difference)]
        if report.changed:
            cells.append(num(line.current))
        table.add_row(*cells)
    out: list[Any] = [table]
    missing = report.without_applied
    if missing:
        out.append(Text("• " + t("applied_missing", count=len(missing), names=", ".join(m.name for m in missing))))
    return out
