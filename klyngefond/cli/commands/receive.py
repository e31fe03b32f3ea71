"""`klyngefond receive`: the state's money for a partner and a year, as one new record in ``allocations/``.

A new year's funds do not need the cluster file edited: each amount received (and the
amount announced, when known) is recorded as its own file, checked against the journal's
rules like every recorded decision; the same partner and year recorded twice is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Annotated

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, today, writing
from klyngefond.cli.errors import UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import ClusterArgument, DataOption, JsonOption, LangOption, OverrideOption, RecordOption, SourceOption
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.cli.recording import record
from klyngefond.core.money import json_amount
from klyngefond.core.records import Allocation, YearSpan
from klyngefond.core.text import Name
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.journal import query
from klyngefond.journal.build import build_journal
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column, paragraph, render_text

app = typer.Typer()


@dataclass(frozen=True)
class Receipt:
    cluster_id: str
    cluster_name: str
    holder: str
    name: str
    allocation: Allocation
    period: YearSpan
    before: Decimal
    after: Decimal
    recorded: bool = False
    file: str | None = None


@app.command("receive", help=h("receive.help"), epilog=h("receive.example"))
def receive(
    cluster: ClusterArgument,
    partner: Annotated[str, typer.Argument(help=h("receive.help_partner"), show_default=False, metavar=h("cli.metavar_partner"))],
    amount: Annotated[str | None, typer.Argument(help=h("receive.help_amount"), show_default=False,
                                                 metavar=h("cli.metavar_amount"))] = None,
    year: Annotated[str, typer.Option("--year", help=h("receive.help_year"), show_default=False, metavar=h("cli.metavar_year"))] = ...,  # type: ignore[assignment]
    announced: Annotated[str | None, typer.Option("--announced", help=h("receive.help_announced"), show_default=False,
                                                  metavar=h("cli.metavar_amount"))] = None,
    date: Annotated[str | None, typer.Option("--date", help=h("receive.help_date"), show_default=False,
                                             metavar=h("cli.metavar_date"))] = None,
    record_it: RecordOption = False,
    source: SourceOption = None,
    note: Annotated[str | None, typer.Option("--note", help=h("receive.help_note"), show_default=False,
                                             metavar=h("cli.metavar_text"))] = None,
    override: OverrideOption = None,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    received = parse.amount(amount, h("cli.metavar_amount")) if amount is not None else None
    announced_amount = parse.amount(announced, "--announced") if announced is not None else None
    if received is None and announced_amount is None:
        raise UsageProblem(Message("receive.needs_amount"), Message("cli.hint_help", command="klyngefond receive"))
    span = parse.year_span(year, "--year")
    assert span is not None
    on = parse.date(date, "--date") or (today() if received is not None else None)
    texts = {"source": parse.text_value(source, "--source"), "note": parse.text_value(note, "--note", multiline=True)}
    override = parse.text_value(override, "--override")

    def make(opened: Opened, record_id: str | None = None) -> Allocation:
        holder = parse.holder(opened.ledger, partner, h("cli.metavar_partner"))
        return Allocation(partner=holder, year=span, announced=announced_amount, received=received, date=on, id=record_id,
                          **texts)  # type: ignore[arg-type]

    if not record_it:
        opened = open_cluster(cluster, data)
        _show(_effect(opened, make(opened, "forslag")), lang, as_json, [])
        return
    with writing(cluster, data) as opened:
        probe = make(opened)
        word = t("words.file_received" if received is not None else "words.file_announced", lang)
        stem = parse.slug(f"{span}-{probe.partner}-{word}", h("cli.metavar_partner"))
        outcome = record(opened, "allocations", lambda rid, why: make(opened, rid), stem, command="receive --record",
                         lang=lang, today=today(), override=override,
                         duplicate=("receive.duplicate", "receive.hint_duplicate"))
        receipt = _effect(opened, outcome.record)
    _show(replace(receipt, recorded=True, file=shown_path(outcome.path)), lang, as_json,
          [problem_words(p) for p in outcome.warnings])


def _effect(opened: Opened, allocation: Allocation) -> Receipt:
    """What the allocation adds: the holder's remaining funds in its period before and after."""
    ledger = opened.ledger
    with_it = build_journal(ledger.with_records(allocations=(allocation,)))
    period = with_it.period_of(allocation.year.first)
    cluster = ledger.cluster
    holder = allocation.partner
    return Receipt(cluster.id, cluster.name, holder, Name(cluster.holder_name(holder), cluster.holder_label(holder)), allocation,
                   period, query.balance(opened.journal, holder, period), query.balance(with_it, holder, period))


def _show(receipt: Receipt, lang: str, as_json: bool, warnings: list[Message]) -> None:
    allocation = receipt.allocation
    if as_json:
        emit_json({"cluster": receipt.cluster_id, "partner": receipt.holder, "name": str(receipt.name),
                   "year": str(allocation.year), "period": str(receipt.period),
                   "received": None if allocation.received is None else json_amount(allocation.received),
                   "announced": None if allocation.announced is None else json_amount(allocation.announced),
                   "date": allocation.date.isoformat() if allocation.date else None,
                   "remaining_before": json_amount(receipt.before), "remaining_after": json_amount(receipt.after),
                   "recorded": receipt.recorded, "file": receipt.file, "warnings": [text(w, lang) for w in warnings]})
        return

    def render(width: int | None) -> str:
        key = "receive.title_recorded" if receipt.recorded else "receive.title"
        title = t(key, lang, cluster=Verbatim(receipt.cluster_name), partner=Verbatim(str(receipt.name)), year=str(allocation.year))
        columns = (Column(t("status.col_partner", lang)), amount_column(t("receive.col_announced", lang)),
                   amount_column(t("receive.col_received", lang)),
                   amount_column(t("receive.col_before", lang), t("receive.col_before_short", lang)),
                   amount_column(t("receive.col_after", lang), t("receive.col_after_short", lang)))
        row = (receipt.name, allocation.announced, allocation.received, receipt.before, receipt.after)
        parts = [render_text(Table(columns, (row,), title=title, caption=t("status.amounts_in", lang)), lang, width)]
        facts = []
        if allocation.received is not None and allocation.date is not None:
            facts.append(t("receive.on", lang, date=allocation.date))
        if allocation.received is None:
            facts.append(t("receive.only_announced", lang))
        elif allocation.announced is not None and allocation.announced != allocation.received:
            facts.append(t("receive.differs", lang, received=allocation.received, announced=allocation.announced,
                           difference=allocation.received - allocation.announced))
        if facts:
            parts.append(paragraph("\n".join(facts), width))
        if warnings:
            parts.append(bullets(t("proposals.warnings_title", lang), [text(w, lang) for w in warnings], width))
        done = t("proposals.saved", lang, file=Verbatim(receipt.file or "")) if receipt.recorded else t("receive.dry_run", lang)
        parts.append(paragraph(done, width))
        return "\n\n".join(parts) + "\n"

    emit_text(render)

