"""`klyngefond topup`, `reduce`, `withdraw` and `transfer`: dated changes to a grant after its decision.

Each shows its effect on every partner first; with ``--record`` it becomes one new file in
``changes/`` (the grant's own file is never edited), checked against the journal's rules.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, today, writing
from klyngefond.cli.decisions import decision, show_proposal
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DECIDING, READING, ClusterArgument, with_options
from klyngefond.cli.recording import record, refuse_duplicate
from klyngefond.core.cofinancing import FinancingError
from klyngefond.core.records import Change, Decision
from klyngefond.i18n import Message, t
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.reports.proposals import change_effect

app = typer.Typer()

GrantArgument = Annotated[str, typer.Argument(help=h("proposals.help_grant"), show_default=False, metavar=h("proposals.metavar_grant"))]
AmountArgument = Annotated[str, typer.Argument(help=h("proposals.help_change_amount"), show_default=False,
                                               metavar=h("proposals.metavar_amount"))]
# A negative amount typed as an argument must reach the amount check, not the option parser.
NEGATIVE_AMOUNTS = {"ignore_unknown_options": True}


def _run(kind: str, cluster: str, grant: str, to_grant: str | None, amount: str | None, opts: Any) -> None:
    lang = parse.lang(opts.lang)
    value: Decimal | None = parse.amount(amount, t("proposals.metavar_amount", lang)) if amount is not None else None
    span = parse.year_span(opts.year, "--year")
    chosen = decision(opts.date, opts.level, opts.body, opts.reference, required=opts.record_it, command=kind)
    override = parse.text_value(opts.override, "--override")
    reason = parse.text_value(opts.reason, "--reason", multiline=True)
    source = parse.text_value(opts.source, "--source")
    notes = tuple(parse.text_value(n, "--note", multiline=True) for n in opts.note or ())

    def change_for(opened: Opened, change_id: str = "forslag", why: str | None = None) -> Change:
        grant_id = parse.grant(opened.ledger, grant, "GRANT")
        target = parse.grant(opened.ledger, to_grant, "TO_GRANT") if to_grant is not None else None
        if target is not None and target == grant_id:
            raise UsageProblem(Message("rules.transfer_to_itself"))
        the_decision = chosen or Decision("politisk", parse.date(opts.date, "--date") or today())
        return Change(id=change_id, kind=kind, grant=grant_id, decision=the_decision, amount=value, to_grant=target,  # type: ignore[arg-type]
                      year=span, reason=reason, override=why, source=source, notes=notes)  # type: ignore[arg-type]

    def effect(opened: Opened) -> Any:
        try:
            return change_effect(opened.ledger, opened.journal, change_for(opened))
        except FinancingError as exc:
            raise Refused(Message("proposals.change_cannot_apply", problem=exc.message), *([exc.hint] if exc.hint else [])) from None

    if not opts.record_it:
        show_proposal(effect(open_cluster(cluster, opts.data)), lang, opts.as_json)
        return
    with writing(cluster, opts.data) as opened:
        if not override:
            refuse_duplicate(opened, change_for(opened))
        proposal = effect(opened)
        if not proposal.affordable and not override:
            show_proposal(proposal, lang, opts.as_json, refused=True)
            raise Refused(Message("proposals.refused_short"), Message("recording.hint_override"))
        probe = change_for(opened)
        stem = parse.slug(f"{probe.date.isoformat()}-{t('words.file_' + kind, lang)}-{probe.grant}", "GRANT")
        outcome = record(opened, "changes", lambda cid, why: change_for(opened, cid, why), stem, command=f"{kind} --record",
                         lang=lang, today=today(), override=override)
    proposal = replace(proposal, recorded=True, file=shown_path(outcome.path),
                       warnings=tuple(problem_words(p) for p in outcome.warnings))
    show_proposal(proposal, lang, opts.as_json)


CHANGE_OPTIONS = DECIDING + READING


@app.command("topup", help=h("proposals.help_topup"), epilog=h("proposals.example_topup"), context_settings=NEGATIVE_AMOUNTS)
@with_options(CHANGE_OPTIONS)
def topup(cluster: ClusterArgument, grant: GrantArgument, amount: AmountArgument, opts: Any) -> None:
    _run("top-up", cluster, grant, None, amount, opts)


@app.command("reduce", help=h("proposals.help_reduce"), epilog=h("proposals.example_reduce"), context_settings=NEGATIVE_AMOUNTS)
@with_options(CHANGE_OPTIONS)
def reduce(cluster: ClusterArgument, grant: GrantArgument, amount: AmountArgument, opts: Any) -> None:
    _run("reduction", cluster, grant, None, amount, opts)


@app.command("withdraw", help=h("proposals.help_withdraw"), epilog=h("proposals.example_withdraw"))
@with_options(CHANGE_OPTIONS)
def withdraw(cluster: ClusterArgument, grant: GrantArgument, opts: Any) -> None:
    _run("withdrawal", cluster, grant, None, None, opts)


@app.command("transfer", help=h("proposals.help_transfer"), epilog=h("proposals.example_transfer"), context_settings=NEGATIVE_AMOUNTS)
@with_options(CHANGE_OPTIONS)
def transfer(cluster: ClusterArgument, grant: GrantArgument,
             to_grant: Annotated[str, typer.Argument(help=h("proposals.help_to_grant"), show_default=False,
                                                     metavar=h("proposals.metavar_to_grant"))],
             amount: AmountArgument, opts: Any) -> None:
    _run("transfer", cluster, grant, to_grant, amount, opts)
