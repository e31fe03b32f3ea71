"""`klyngefond allocate`: split a proposed grant, test what each partner can afford, record the decision."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, today, writing
from klyngefond.cli.decisions import decision, show_proposal
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import (
    BodyOption,
    ClusterArgument,
    DataOption,
    DateOption,
    JsonOption,
    LangOption,
    LevelOption,
    NoteOption,
    OverrideOption,
    RecordOption,
    ReferenceOption,
    SourceOption,
    YearOption,
)
from klyngefond.cli.recording import record, refuse_duplicate
from klyngefond.core.cofinancing import FinancingError
from klyngefond.core.records import ExplicitAmounts, FixedPlusProRata, Grant, ParticipantsOnly, Solidarity
from klyngefond.i18n import Message, Verbatim
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.reports.proposals import propose_grant

app = typer.Typer()

# What may be typed for --model and --weights: the Danish words and the ids of the data format.
MODELS = {"solidarisk": "solidarity", "fast-andel": "fixed-plus-pro-rata", "deltagere": "participants", "aftalt": "explicit",
          "solidarity": "solidarity", "fixed-plus-pro-rata": "fixed-plus-pro-rata", "participants": "participants",
          "explicit": "explicit"}
WEIGHTS = {"klyngemidler": "allocation", "indbyggertal": "population", "ligeligt": "equal",
           "allocation": "allocation", "population": "population", "equal": "equal"}


@app.command("allocate", help=h("proposals.help_allocate"), epilog=h("proposals.example_allocate"))
def allocate(
    cluster: ClusterArgument,
    name: Annotated[str, typer.Option("--name", help=h("proposals.help_name"), show_default=False, metavar=h("cli.metavar_name"))],
    amount: Annotated[str, typer.Option("--amount", help=h("proposals.help_amount"), show_default=False, metavar=h("cli.metavar_amount"))],
    owner: Annotated[str, typer.Option("--owner", help=h("proposals.help_owner"), show_default=False, metavar=h("cli.metavar_partner"))],
    model: Annotated[str | None, typer.Option("--model", help=h("proposals.help_model"), show_default=False, metavar=h("cli.metavar_model"))] = None,
    weights: Annotated[str | None, typer.Option("--weights", help=h("proposals.help_weights"), show_default=False, metavar=h("cli.metavar_weights"))] = None,
    participants: Annotated[list[str] | None, typer.Option("--participants", help=h("proposals.help_participants"), metavar=h("cli.metavar_partners"),
                                                           show_default=False)] = None,
    fixed: Annotated[list[str] | None, typer.Option("--fixed", metavar=h("cli.metavar_partner_amount"), help=h("proposals.help_fixed"),
                                                    show_default=False)] = None,
    rest_among: Annotated[list[str] | None, typer.Option("--rest-among", help=h("proposals.help_rest_among"), metavar=h("cli.metavar_partners"),
                                                         show_default=False)] = None,
    share: Annotated[list[str] | None, typer.Option("--share", metavar=h("cli.metavar_partner_amount"), help=h("proposals.help_share"),
                                                    show_default=False)] = None,
    applied: Annotated[str | None, typer.Option("--applied", help=h("proposals.help_applied"), show_default=False, metavar=h("cli.metavar_amount"))] = None,
    year: YearOption = None,
    record_it: RecordOption = False,
    date: DateOption = None,
    level: LevelOption = None,
    body: BodyOption = None,
    reference: ReferenceOption = None,
    override: OverrideOption = None,
    grant_id: Annotated[str | None, typer.Option("--id", help=h("proposals.help_id"), show_default=False, metavar=h("cli.metavar_id"))] = None,
    focus_area: Annotated[str | None, typer.Option("--focus-area", help=h("proposals.help_focus_area"), show_default=False)] = None,
    condition: Annotated[str | None, typer.Option("--condition", help=h("proposals.help_condition"), show_default=False)] = None,
    end_date: Annotated[str | None, typer.Option("--end-date", help=h("proposals.help_end_date"), show_default=False, metavar=h("cli.metavar_date"))] = None,
    source: SourceOption = None,
    note: NoteOption = None,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    name = parse.name(name, "--name")
    total = parse.amount(amount, "--amount")
    applied_amount = parse.amount(applied, "--applied") if applied is not None else None
    model = _choice(model, MODELS, "proposals.unknown_model", lang)
    weights = _choice(weights, WEIGHTS, "proposals.unknown_weights", lang) or "allocation"
    span = parse.year_span(year, "--year")
    chosen = decision(date, level, body, reference, required=record_it, command="allocate")
    on = chosen.date if chosen else (parse.date(date, "--date") or today())
    chosen_id = parse.new_id(grant_id) if grant_id is not None else None
    override = parse.text_value(override, "--override")
    texts = {"condition": parse.text_value(condition, "--condition", multiline=True),
             "source": parse.text_value(source, "--source"),
             "focus_area": parse.text_value(focus_area, "--focus-area"),
             "notes": tuple(parse.text_value(n, "--note", multiline=True) for n in note or ())}
    finish = parse.date(end_date, "--end-date")

    def proposal_for(opened: Opened) -> tuple[str, Any, Any]:
        owner_id = parse.partner(opened.ledger, owner, "--owner")
        financing = _financing(opened, model, weights, participants, fixed, rest_among, share, owner_id)
        try:
            proposal = propose_grant(opened.ledger, opened.journal, name=name, amount=total, financing=financing,
                                     owner=owner_id, year=span, date=on)
        except FinancingError as exc:
            raise UsageProblem(Message("proposals.cannot_split", name=Verbatim(name), problem=exc.message),
                               *([exc.hint] if exc.hint else [])) from None
        return owner_id, financing, proposal

    if not record_it:
        _, _, proposal = proposal_for(open_cluster(cluster, data))
        show_proposal(proposal, lang, as_json)
        return

    with writing(cluster, data) as opened:
        owner_id, financing, proposal = proposal_for(opened)
        if not override:
            refuse_duplicate(opened, Grant(id="forslag", name=name, granted=total, financing=financing, year=span, decision=chosen))
        if not proposal.affordable and not override:
            show_proposal(proposal, lang, as_json, refused=True)
            raise Refused(Message("proposals.refused_short"), Message("recording.hint_override"))

        def make(record_id: str, reason: str | None) -> Grant:
            return Grant(id=record_id, name=name, granted=total, financing=financing, owner=owner_id,
                         focus_area=texts["focus_area"], year=span, applied=applied_amount, decision=chosen,
                         condition=texts["condition"], end_date=finish, override=reason, source=texts["source"],
                         notes=texts["notes"])  # type: ignore[arg-type]

        outcome = record(opened, "grants", make, chosen_id or parse.slug(name, "--name"), command="allocate --record",
                         lang=lang, today=today(), override=override, explicit_id=chosen_id is not None)
    proposal = replace(proposal, recorded=True, grant_id=outcome.record.id, file=shown_path(outcome.path),
                       warnings=tuple(problem_words(p) for p in outcome.warnings))
    show_proposal(proposal, lang, as_json)


def _choice(value: str | None, names: dict[str, str], key: str, lang: str) -> str | None:
    """The data format's id for a --model or --weights value typed in Danish or English."""
    if value is None:
        return None
    found = names.get(value.strip().lower())
    if found is None:
        shown = list(names)[:len(names) // 2] if lang == "da" else list(names)[len(names) // 2:]
        raise UsageProblem(Message(key, value=Verbatim(value)), Message("cli.hint_use_one_of", choices=shown))
    return found


def _financing(opened: Opened, model: str | None, weights: str, participants: list[str] | None, fixed: list[str] | None,
               rest_among: list[str] | None, share: list[str] | None, owner_id: str) -> Any:
    """The financing record the options describe; options that do not fit the model are usage errors."""
    ledger = opened.ledger
    chosen = model or ledger.cluster.default_financing
    given = {"--participants": participants, "--fixed": fixed, "--rest-among": rest_among, "--share": share}
    allowed = {"solidarity": set(), "participants": {"--participants"}, "fixed-plus-pro-rata": {"--fixed", "--rest-among"},
               "explicit": {"--share"}}[chosen]
    stray = [option for option, value in given.items() if value and option not in allowed]
    if stray:
        raise UsageProblem(Message("proposals.option_not_for_model", options=stray, model=Message(f"words.model_{chosen}")))
    basis: Any = weights
    if chosen == "solidarity":
        return Solidarity(weights=basis)
    if chosen == "participants":
        ids = parse.partner_list(ledger, participants, "--participants")
        if not ids:
            raise UsageProblem(Message("proposals.needs_participants"))
        if owner_id not in ids:
            raise UsageProblem(Message("proposals.owner_not_participant", owner=owner_id),
                               Message("proposals.hint_add_owner", participants=",".join((owner_id, *ids))))
        return ParticipantsOnly(participants=ids, weights=basis)
    if chosen == "fixed-plus-pro-rata":
        parts = parse.partner_amounts(ledger, fixed, "--fixed")
        if not parts:
            raise UsageProblem(Message("proposals.needs_fixed"))
        rest = parse.partner_list(ledger, rest_among, "--rest-among") or None
        return FixedPlusProRata(fixed=parts, rest_among=rest, weights=basis)
    amounts = parse.partner_amounts(ledger, share, "--share")
    if not amounts:
        raise UsageProblem(Message("proposals.needs_shares"))
    return ExplicitAmounts(amounts=amounts)
