"""`klyngefond spend` and `close-grant`: spending the project owner reports, and closing a grant.

``spend`` records a reported fact (as ``pay`` does): one new file in ``spending/``, checked
against the journal's rules; a mistake is corrected with ``annul``. ``close-grant`` is a
decision: it shows what closing frees for each partner first, and records with ``--record``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, today, writing
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import (
    BodyOption,
    ClusterArgument,
    DataOption,
    JsonOption,
    LangOption,
    LevelOption,
    OverrideOption,
    RecordOption,
    ReferenceOption,
)
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.cli.recording import new_problems, record
from klyngefond.core.records import Decision, GrantClosing, Spending
from klyngefond.i18n import Message, Verbatim, t
from klyngefond.journal import query
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.render.spending_view import effect_json, render_effect
from klyngefond.reports.spending import GrantEffect, grant_effect, warnings_for

app = typer.Typer()

GrantArgument = Annotated[str, typer.Argument(help=h("proposals.help_grant"), show_default=False, metavar=h("proposals.metavar_grant"))]
NoteText = Annotated[str | None, typer.Option("--note", help=h("spending.help_note"), show_default=False)]
# A negative amount typed as an argument must reach the amount check, not the option parser.
NEGATIVE_AMOUNTS = {"ignore_unknown_options": True}


def period(text: str | None) -> tuple[dt.date | None, dt.date | None]:
    """``--period 2026-01-01..2026-06-30``: the first and last day the spending covers."""
    if text is None:
        return None, None
    start, sep, end = text.partition("..")
    if not sep or not start.strip() or not end.strip():
        raise UsageProblem(Message("cli.option_problem", option="--period", problem=Message("spending.not_a_period", value=text)),
                           Message("spending.hint_period"))
    first, last = parse.date(start, "--period"), parse.date(end, "--period")
    assert first is not None and last is not None
    if last < first:
        raise UsageProblem(Message("cli.option_problem", option="--period",
                                   problem=Message("spending.period_backwards", start=first, end=last)))
    return first, last


def refuse_unapplied(opened: Opened, candidate: Any, folder: str) -> None:
    """A record the journal cannot apply (a closed or withdrawn grant) is refused, override or not:
    written, it would be a file the journal leaves out."""
    _, problems = new_problems(opened, candidate, folder, today())
    unapplied = [p for p in problems if p.code == "journal"]
    if unapplied:
        raise Refused(Message("recording.refused"), *[problem_words(p) for p in unapplied])


def show(effect: GrantEffect, lang: str, as_json: bool, *, dry_run_key: str | None = None) -> None:
    if as_json:
        emit_json(effect_json(effect, lang))
    else:
        emit_text(lambda width: render_effect(effect, lang, width, dry_run_key=dry_run_key))


@app.command("spend", help=h("spending.help_spend"), epilog=h("spending.example_spend"), context_settings=NEGATIVE_AMOUNTS)
def spend(
    cluster: ClusterArgument,
    grant: GrantArgument,
    amount: Annotated[str, typer.Argument(help=h("spending.help_amount"), show_default=False, metavar=h("proposals.metavar_amount"))],
    date: Annotated[str, typer.Option("--date", help=h("spending.help_date"), show_default=False, metavar=h("cli.metavar_date"))],
    covers: Annotated[str | None, typer.Option("--period", help=h("spending.help_period"), show_default=False,
                                               metavar=h("spending.metavar_period"))] = None,
    note: NoteText = None,
    override: OverrideOption = None,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    metavar = t("proposals.metavar_amount", lang)
    value = parse.amount(amount, metavar)
    on = parse.date(date, "--date")
    assert on is not None
    first, last = period(covers)
    note = parse.text_value(note, "--note", multiline=True)
    override = parse.text_value(override, "--override")
    with writing(cluster, data) as opened:
        grant_id = parse.grant(opened.ledger, grant, "GRANT")
        closed = query.grant_spending(opened.journal).get(grant_id)
        if closed is not None and closed.closed:
            where = opened.ledger.origins.get(closed.closed) or opened.folder / f"{closed.closed}.toml"
            raise Refused(Message("spending.already_closed", grant=Verbatim(opened.ledger.grant(grant_id).name),  # type: ignore[union-attr]
                                  date=closed.closed_on, file=Verbatim(shown_path(where))), Message("spending.hint_annul_closing"))

        def make(record_id: str, why: str | None) -> Spending:
            return Spending(record_id, grant_id, value, on, first, last, note, why)  # type: ignore[arg-type]

        refuse_unapplied(opened, make("forbrug", None), "spending")
        stem = parse.slug(f"{on.isoformat()}-{t('spending.file_spending', lang)}-{grant_id}", "GRANT")
        outcome = record(opened, "spending", make, stem, command="spend", lang=lang, today=today(), override=override)
    effect = grant_effect(opened.ledger, outcome.journal, outcome.record)
    effect = replace(effect, recorded=True, file=shown_path(outcome.path),
                     warnings=warnings_for(effect) + tuple(problem_words(p) for p in outcome.warnings))
    show(effect, lang, as_json)


@app.command("close-grant", help=h("spending.help_close"), epilog=h("spending.example_close"))
def close_grant(
    cluster: ClusterArgument,
    grant: GrantArgument,
    date: Annotated[str | None, typer.Option("--date", help=h("spending.help_close_date"), show_default=False,
                                             metavar=h("cli.metavar_date"))] = None,
    year: Annotated[str | None, typer.Option("--year", help=h("spending.help_close_year"), show_default=False,
                                             metavar=h("cli.metavar_year"))] = None,
    record_it: RecordOption = False,
    level: LevelOption = None,
    body: BodyOption = None,
    reference: ReferenceOption = None,
    note: NoteText = None,
    override: OverrideOption = None,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    if date is None:
        raise UsageProblem(Message("spending.close_needs_date"), Message("proposals.hint_record_needs"))
    on = parse.date(date, "--date")
    assert on is not None
    span = parse.year_span(year, "--year")
    chosen = None
    if level is not None:
        chosen = Decision(parse.level(level), on, body=parse.text_value(body, "--body"),  # type: ignore[arg-type]
                          reference=parse.text_value(reference, "--reference"))
    note = parse.text_value(note, "--note", multiline=True)
    override = parse.text_value(override, "--override")

    def make(opened: Opened, record_id: str = "lukning", why: str | None = None) -> GrantClosing:
        return GrantClosing(record_id, parse.grant(opened.ledger, grant, "GRANT"), on, span, chosen, note, why)

    def effect_of(opened: Opened, candidate: GrantClosing) -> GrantEffect:
        journal, problems = new_problems(opened, candidate, "closings", today())
        unapplied = [p for p in problems if p.code == "journal"]
        if unapplied:
            raise Refused(Message("spending.cannot_close"), *[problem_words(p) for p in unapplied])
        return grant_effect(opened.ledger, journal, candidate)

    if not record_it:
        opened = open_cluster(cluster, data)
        show(effect_of(opened, make(opened)), lang, as_json, dry_run_key="spending.dry_run_close")
        return
    with writing(cluster, data) as opened:
        probe = make(opened)
        effect_of(opened, probe)
        stem = parse.slug(f"{on.isoformat()}-{t('spending.file_closing', lang)}-{probe.grant}", "GRANT")
        outcome = record(opened, "closings", lambda cid, why: make(opened, cid, why), stem, command="close-grant --record",
                         lang=lang, today=today(), override=override)
    effect = grant_effect(opened.ledger, outcome.journal, outcome.record)
    show(replace(effect, recorded=True, file=shown_path(outcome.path), warnings=tuple(problem_words(p) for p in outcome.warnings)),
         lang, as_json)
