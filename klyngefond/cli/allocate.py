"""`klyngefond allocate`: split a proposed grant, test affordability, and record the decision."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from klyngefond.cli import decide
from klyngefond.cli.common import (
    EXIT_USAGE,
    DataOption,
    JsonOption,
    LangOption,
    check_lang,
    cluster_folder,
    fail,
    open_ledger,
)
from klyngefond.core.ledger import Ledger

MODELS = ("solidarity", "fixed-plus-pro-rata", "participants", "explicit")
WEIGHTS = ("allocation", "population", "equal")


def allocate(
    cluster: Annotated[str, typer.Argument(help="The cluster, e.g. Sydvestjylland.")],
    name: Annotated[str, typer.Option("--name", help="The initiative's name (Danish letters welcome).")],
    amount: Annotated[str, typer.Option("--amount", help="Amount to grant: 1000000, 1.000.000 or 1.000.000,50.")],
    owner: Annotated[str, typer.Option("--owner", help="Project owner (projektejer): partner id or name.")],
    model: Annotated[str | None, typer.Option("--model", help="solidarity, fixed-plus-pro-rata, participants or explicit "
                                              "(default: the cluster's model).", show_default=False)] = None,
    weights: Annotated[str, typer.Option("--weights", help="Pro rata by allocation, population or equal.")] = "allocation",
    participants: Annotated[list[str] | None, typer.Option("--participants", help="participants model: who pays "
                                                           "(comma-separated or repeated).", show_default=False)] = None,
    fixed: Annotated[list[str] | None, typer.Option("--fixed", metavar="PARTNER=AMOUNT", help="fixed-plus-pro-rata: a "
                                                    "fixed part (repeat for several).", show_default=False)] = None,
    rest_among: Annotated[list[str] | None, typer.Option("--rest-among", help="fixed-plus-pro-rata: who shares the rest "
                                                         "(default: every other partner).", show_default=False)] = None,
    share: Annotated[list[str] | None, typer.Option("--share", metavar="PARTNER=AMOUNT", help="explicit: each partner's "
                                                    "negotiated amount (repeat).", show_default=False)] = None,
    applied: Annotated[str | None, typer.Option("--applied", help="The amount applied for (ansøgt).",
                                                show_default=False)] = None,
    year: decide.YearOption = None,
    record: decide.RecordOption = False,
    date: decide.DateOption = None,
    level: decide.LevelOption = None,
    body: decide.BodyOption = None,
    reference: decide.ReferenceOption = None,
    override_shortfall: decide.OverrideOption = None,
    grant_id: Annotated[str | None, typer.Option("--id", help="Id (and file name) for the grant; default: from the name.",
                                                 show_default=False)] = None,
    focus_area: Annotated[str | None, typer.Option("--focus-area", show_default=False)] = None,
    condition: Annotated[str | None, typer.Option("--condition", help="A condition attached to the grant.",
                                                  show_default=False)] = None,
    source: Annotated[str | None, typer.Option("--source", help="Where the decision is written (minutes, item).",
                                               show_default=False)] = None,
    note: Annotated[list[str] | None, typer.Option("--note", show_default=False)] = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    """Split a proposed grant between the partners and test whether each can afford its share.

    Shows each partner's share, its remaining funds before and after, every shortfall, and
    the largest amount the cluster can afford under the model. Nothing is written unless
    --record is given (with --date and --level); a grant a partner cannot afford is then
    refused unless --override-shortfall gives the reason, which is recorded with it.
    """
    from klyngefond.reports.allocate import propose

    lang = check_lang(lang)
    name = decide.grant_name(name)
    total = decide.amount(amount, "--amount")
    applied_amount = decide.amount(applied, "--applied") if applied is not None else None
    if model is not None and model not in MODELS:
        fail(f"--model: unknown model {model!r}", f"use one of: {', '.join(MODELS)}", code=EXIT_USAGE)
    if weights not in WEIGHTS:
        fail(f"--weights: unknown basis {weights!r}", f"use one of: {', '.join(WEIGHTS)}", code=EXIT_USAGE)
    decision = decide.decision(date, level, body, reference, required=record, command="allocate")
    chosen_id = decide.new_id(grant_id) if grant_id is not None else None
    if override_shortfall is not None and not override_shortfall.strip():
        fail("--override-shortfall needs the reason for recording despite the shortfall", code=EXIT_USAGE)

    def proposal_for(ledger: Ledger) -> Any:
        from klyngefond.core.cofinancing import FinancingError

        owner_id = decide.partner(ledger, owner, "--owner")
        financing = _financing(ledger, model, weights, participants, fixed, rest_among, share, owner_id)
        try:
            return owner_id, financing, propose(ledger, name=name, amount=total, financing=financing,
                                                owner=owner_id, year=year)
        except FinancingError as exc:
            fail(f"cannot split {name!r}: {exc.message}", *([exc.hint] if exc.hint else []), code=EXIT_USAGE)

    if not record:
        _, _, report = proposal_for(open_ledger(cluster, data))
        decide.show_proposal(report, lang, as_json)
        return

    from dataclasses import replace

    from klyngefond.storage import schema
    from klyngefond.storage.loader import GRANTS_DIR

    folder = cluster_folder(cluster, data)
    with decide.writing(folder) as ledger:
        owner_id, financing, report = proposal_for(ledger)
        if report.shortfalls and not override_shortfall:
            decide.show_proposal(replace(report, refused=True), lang, as_json)
            decide.shortfall_refusal(report, override_shortfall, lang)
        if chosen_id is not None and (ledger.grant(chosen_id) or (folder / GRANTS_DIR / f"{chosen_id}.toml").exists()):
            fail(f"--id {chosen_id!r} is already used by a grant in {ledger.cluster.name}", "choose another id")
        taken = {g.id for g in ledger.grants}

        def build(new_id: str) -> dict[str, Any]:
            from klyngefond.storage.decisions import decision_table, financing_table

            return {
                "id": new_id,
                "name": name,
                "owner": owner_id,
                "focus_area": focus_area,
                "year": year,
                "applied": applied_amount,
                "granted": total,
                "condition": condition,
                "override_shortfall": override_shortfall.strip() if report.shortfalls and override_shortfall else None,
                "source": source,
                "notes": list(note) if note else None,
                "decision": decision_table(decision),
                "financing": financing_table(financing),
            }

        stem = chosen_id or decide.slug(name)
        new_id, path = decide.write(folder, GRANTS_DIR, stem, taken, build, schema.Grant, "allocate --record")
    report = replace(report, recorded=True, grant_id=new_id, file=str(path))
    decide.show_proposal(report, lang, as_json)


def _financing(
    ledger: Ledger,
    model: str | None,
    weights: str,
    participants: list[str] | None,
    fixed: list[str] | None,
    rest_among: list[str] | None,
    share: list[str] | None,
    owner_id: str,
) -> Any:
    """The financing record the options describe; options that do not fit the model are usage errors."""
    from klyngefond.core.records import ExplicitAmounts, FixedPlusProRata, ParticipantsOnly, Solidarity

    chosen = model or ledger.cluster.default_financing
    given = {"--participants": participants, "--fixed": fixed, "--rest-among": rest_among, "--share": share}
    allowed = {
        "solidarity": set(),
        "participants": {"--participants"},
        "fixed-plus-pro-rata": {"--fixed", "--rest-among"},
        "explicit": {"--share"},
    }[chosen]
    stray = [option for option, value in given.items() if value and option not in allowed]
    if stray:
        fail(f"{', '.join(stray)} does not apply to the {chosen} model", code=EXIT_USAGE)
    basis: Any = weights
    if chosen == "solidarity":
        return Solidarity(weights=basis)
    if chosen == "participants":
        ids = decide.partner_list(ledger, participants, "--participants")
        if not ids:
            fail("the participants model needs --participants, e.g. --participants esbjerg,fanoe", code=EXIT_USAGE)
        if owner_id not in ids:
            fail(f"the owner {owner_id!r} is not among the participants", f"add it: --participants {','.join((owner_id, *ids))}",
                 code=EXIT_USAGE)
        return ParticipantsOnly(participants=ids, weights=basis)
    if chosen == "fixed-plus-pro-rata":
        parts = decide.partner_amounts(ledger, fixed, "--fixed")
        if not parts:
            fail("the fixed-plus-pro-rata model needs --fixed PARTNER=AMOUNT", code=EXIT_USAGE)
        rest = decide.partner_list(ledger, rest_among, "--rest-among") or None
        return FixedPlusProRata(fixed=parts, rest_among=rest, weights=basis)
    amounts = decide.partner_amounts(ledger, share, "--share")
    if not amounts:
        fail("the explicit model needs each partner's amount: --share PARTNER=AMOUNT (repeat)", code=EXIT_USAGE)
    return ExplicitAmounts(amounts=amounts)


