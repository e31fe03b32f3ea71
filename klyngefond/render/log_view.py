"""The log for people (one table in date order, then notes) and for scripts (``--json``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.i18n import Message, Verbatim, date, t
from klyngefond.render.document import Bullets, make_document
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column
from klyngefond.render.table import render_text as table_text
from klyngefond.reports.log import Log, LogEntry


def who(entry: LogEntry, lang: str) -> str:
    decision = entry.decision
    if decision is None:
        return t("log.not_stated", lang)
    words = t(f"words.level_{decision.level}", lang)
    if decision.date != entry.date:
        words += " " + date(decision.date, lang)
    return f"{words} — {decision.body}" if decision.body else words


def event(entry: LogEntry, log: Log, lang: str) -> str:
    """What happened, in words: the kind, and what it concerned, why and whether it was later annulled."""
    if entry.kind == "transfer":
        words = t("log.transfer_to", lang, to_grant=Verbatim(log.grant_name(entry.to_grant) or ""), to_after=entry.to_after)
    elif entry.kind == "carryover":
        words = t("log.carryover", lang, from_period=entry.from_period, to_period=entry.to_period)
    elif entry.kind == "annulment":
        if entry.annuls_kind is not None and entry.annuls_date is not None:
            words = t("log.annulment", lang, what=Message(f"log.of_{entry.annuls_kind}"), date=entry.annuls_date)
        else:  # pragma: no cover - an annulment always reverses a record in the journal
            words = t("log.annulment_of", lang, record=Verbatim(entry.annuls or ""))
    else:
        words = t(f"log.event_{entry.kind}", lang)
    if entry.reason:
        words += ": " + entry.reason
    if entry.override:
        words += " " + t("log.override", lang, reason=Verbatim(entry.override))
    if entry.annulled:
        words += " " + t("log.annulled_mark", lang, date=entry.annulled_on)
    return words


def concerns(entry: LogEntry, log: Log, lang: str) -> str:
    if entry.grant is not None:
        return log.grant_name(entry.grant) or ""
    if entry.kind == "carryover":
        return log.ledger.cluster.holder_name(entry.partner) if entry.partner else t("log.every_partner", lang)
    if entry.kind in ("closeout", "reopening"):
        return t("log.every_partner", lang)
    return ""


def day(entry: LogEntry, lang: str) -> str:
    return date(entry.date, lang) + ("" if entry.date_stated else "*")


def log_table(log: Log, lang: str) -> Table:
    columns = (Column(t("log.col_date", lang)), Column(t("log.col_decided_by", lang)), Column(t("log.col_event", lang)),
               Column(t("log.col_concerns", lang)), amount_column(t("log.col_amount", lang)),
               amount_column(t("log.col_after", lang)))
    rows = tuple((day(e, lang), who(e, lang), event(e, log, lang), concerns(e, log, lang), e.amount, e.after) for e in log.entries)
    title = t("log.title", lang, cluster=Verbatim(log.ledger.cluster.name))
    if log.as_of is not None:
        title += " " + t("status.as_of", lang, date=log.as_of)
    return Table(columns, rows, title=title, caption=t("status.amounts_in", lang), key="log")


def notes(log: Log, lang: str) -> list[str]:
    lines = []
    if not log.entries:
        lines.append(t("log.empty", lang))
    if any(not e.date_stated for e in log.entries):
        lines.append(t("log.undated", lang))
    if log.not_applied:
        lines.append(t("log.not_applied", lang, count=log.not_applied, cluster=Verbatim(log.ledger.cluster.id)))
    return lines


def render_text(log: Log, lang: str, width: int | None) -> str:
    blocks = [table_text(log_table(log, lang), lang, width)]
    lines = notes(log, lang)
    if lines:
        blocks.append(bullets(t("status.notes_title", lang), lines, width))
    return "\n\n".join(blocks) + "\n"


def _relative(path: Path | None, folder: Path) -> str | None:
    if path is None:
        return None
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def _money(value: Any) -> str | None:
    return None if value is None else json_amount(value)


def log_json(log: Log, lang: str) -> dict[str, Any]:
    """The stable machine form; amounts as strings with two decimals, dates as ISO dates.

    ``kind`` is grant, top-up, reduction, withdrawal, transfer, carryover, closing,
    closeout, reopening or annulment;
    ``date_stated`` is false when the source gives no date and the journal counts the
    record from the first day of its period. An annulled record has ``annulled: true``
    and names the annulment; an annulment names the record it ``annuls`` and its kind.
    ``file`` is relative to the cluster's folder.
    """
    return {
        "cluster": {"id": log.ledger.cluster.id, "name": log.ledger.cluster.name},
        "as_of": log.as_of.isoformat() if log.as_of else None,
        "entries": [
            {
                "date": e.date.isoformat(),
                "date_stated": e.date_stated,
                "kind": e.kind,
                "ref": e.ref,
                "file": _relative(e.file, log.ledger.folder),
                "decision": None if e.decision is None else {
                    "level": e.decision.level, "date": e.decision.date.isoformat(), "body": e.decision.body,
                    "reference": e.decision.reference},
                "event": event(e, log, lang),
                "grant": e.grant,
                "grant_name": log.grant_name(e.grant),
                "to_grant": e.to_grant,
                "amount": _money(e.amount),
                "after": _money(e.after),
                "to_after": _money(e.to_after),
                "from_period": e.from_period,
                "to_period": e.to_period,
                "partner": e.partner,
                "reason": e.reason,
                "override": e.override,
                "source": e.source,
                "annuls": e.annuls,
                "annuls_kind": e.annuls_kind,
                "annulled": e.annulled,
                "annulled_by": e.annulled_by,
                "annulled_on": e.annulled_on.isoformat() if e.annulled_on else None,
                "annulled_reason": e.annulled_reason,
            }
            for e in log.entries
        ],
        "not_applied": log.not_applied,
        "notes": notes(log, lang),
    }



def log_document(log: Log, lang: str, made: Any) -> Any:
    """The log as a document (``--format md|csv|xlsx``): the table, then the notes."""
    table = log_table(log, lang)
    title = table.title or ""
    table = replace(table, title=None)  # the document's title says it
    lines = notes(log, lang)
    blocks: tuple[Any, ...] = (table, Bullets(t("status.notes_title", lang), tuple(lines))) if lines else (table,)
    return make_document("log", title, t("report.made", lang, date=made), log.ledger.cluster.name, lang,
                         log.as_of or made, made, blocks)
