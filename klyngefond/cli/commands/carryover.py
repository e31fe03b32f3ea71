"""`klyngefond carryover`: carry unspent funds from one budget year or period into a later year."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, today, writing
from klyngefond.cli.decisions import decision
from klyngefond.cli.errors import UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DECIDING, READING, ClusterArgument, OptionGroup, with_options
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.cli.recording import record
from klyngefond.core.records import CarryOver
from klyngefond.i18n import Message, t, text
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.render.proposal_view import carry_json, render_carry
from klyngefond.reports.proposals import carryover_effect

app = typer.Typer()

CARRY_OPTIONS = OptionGroup({k: v for k, v in DECIDING.options.items() if k != "year"}) + READING


@app.command("carryover", help=h("carryover.help"), epilog=h("carryover.example"))
@with_options(CARRY_OPTIONS)
def carryover(
    cluster: ClusterArgument,
    from_year: Annotated[str, typer.Option("--from", help=h("carryover.help_from"), show_default=False, metavar=h("cli.metavar_year"))],
    to_year: Annotated[str, typer.Option("--to", help=h("carryover.help_to"), show_default=False, metavar=h("cli.metavar_year"))],
    partner: Annotated[str | None, typer.Option("--partner", help=h("carryover.help_partner"), show_default=False, metavar=h("cli.metavar_partner"))] = None,
    amount: Annotated[str | None, typer.Option("--amount", help=h("carryover.help_amount"), show_default=False, metavar=h("cli.metavar_amount"))] = None,
    stated: Annotated[str | None, typer.Option("--stated", help=h("carryover.help_stated"), show_default=False, metavar=h("cli.metavar_amount"))] = None,
    opts: Any = None,
) -> None:
    lang = parse.lang(opts.lang)
    source_span = parse.year_span(from_year, "--from")
    target = parse.year(to_year, "--to")
    assert source_span is not None and target is not None
    if target <= source_span.last:
        raise UsageProblem(Message("carryover.backwards", to_year=target, from_year=str(source_span)))
    value = parse.amount(amount, "--amount") if amount is not None else None
    stated_amount = parse.amount(stated, "--stated") if stated is not None else None
    if value is not None and partner is None:
        raise UsageProblem(Message("carryover.amount_needs_partner"))
    chosen = decision(opts.date, opts.level, opts.body, opts.reference, required=opts.record_it, command="carryover")
    override = parse.text_value(opts.override, "--override")
    source = parse.text_value(opts.source, "--source")
    notes = tuple(parse.text_value(n, "--note", multiline=True) for n in opts.note or ())
    if opts.reason:
        notes = (parse.text_value(opts.reason, "--reason", multiline=True), *notes)

    def make(opened: Opened, record_id: str = "forslag", why: str | None = None) -> CarryOver:
        holder = parse.holder(opened.ledger, partner, "--partner") if partner is not None else None
        return CarryOver(id=record_id, from_year=source_span, to_year=target, partner=holder, amount=value,  # type: ignore[arg-type]
                         stated_amount=stated_amount, decision=chosen, override=why, source=source, notes=notes)  # type: ignore[arg-type]

    if not opts.record_it:
        opened = open_cluster(cluster, opts.data)
        report = carryover_effect(opened.ledger, opened.journal, make(opened))
        _show(report, lang, opts.as_json, [])
        return
    with writing(cluster, opts.data) as opened:
        probe = make(opened)
        stem = "-".join([probe.date.isoformat(), t("words.file_carryover", lang), str(source_span), t("words.file_to", lang), str(target)]
                        + ([probe.partner] if probe.partner else []))
        outcome = record(opened, "carryovers", lambda cid, why: make(opened, cid, why), parse.slug(stem, "--from"),
                         command="carryover --record", lang=lang, today=today(), override=override)
        report = carryover_effect(opened.ledger, opened.journal, outcome.record)
    report = replace(report, recorded=True, file=shown_path(outcome.path))
    _show(report, lang, opts.as_json, [problem_words(p) for p in outcome.warnings])


def _show(report: Any, lang: str, as_json: bool, warnings: list[Message]) -> None:
    if as_json:
        emit_json(carry_json(report) | {"warnings": [text(w, lang) for w in warnings]})
    else:
        emit_text(lambda width: render_carry(report, lang, width, [text(w, lang) for w in warnings]))
