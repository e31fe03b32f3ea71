"""Changes after the decision, each its own dated record: `topup`, `reduce`, `withdraw`,
`transfer`, and `carryover` (unspent funds into a later year).

Like `allocate`, each command shows the effect first and writes only with --record.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from klyngefond.cli import decide
from klyngefond.cli.common import (
    DataOption,
    JsonOption,
    LangOption,
    check_lang,
    cluster_folder,
    console,
    fail,
    open_ledger,
    print_json,
)
from klyngefond.core.ledger import Ledger

# "-1000" as AMOUNT would otherwise be taken for an unknown option; let the amount check
# say what is wrong with it instead.
NEGATIVE_AMOUNTS_REACH_THE_CHECK = {"ignore_unknown_options": True}

ClusterArg = Annotated[str, typer.Argument(help="The cluster, e.g. Sydvestjylland.")]
GrantArg = Annotated[str, typer.Argument(help="The grant: its id or name.")]
AmountArg = Annotated[str, typer.Argument(help="Amount: 100000, 100.000 or 100.000,50.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why (written into the record).", show_default=False)]
SourceOption = Annotated[str | None, typer.Option("--source", help="Where the decision is written (minutes, item).",
                                                  show_default=False)]
IdOption = Annotated[str | None, typer.Option("--id", help="Id (and file name) of the record; default from date, kind "
                                              "and grant.", show_default=False)]


def topup(
    cluster: ClusterArg, grant: GrantArg, amount: AmountArg,
    record: decide.RecordOption = False, date: decide.DateOption = None, level: decide.LevelOption = None,
    body: decide.BodyOption = None, reference: decide.ReferenceOption = None, reason: ReasonOption = None,
    override_shortfall: decide.OverrideOption = None, year: decide.YearOption = None, source: SourceOption = None,
    change_id: IdOption = None, data: DataOption = None, lang: LangOption = "da", as_json: JsonOption = False,
) -> None:
    """A supplementary grant (tillægsbevilling): the new total is split by the grant's model."""
    _change("top-up", cluster, grant, amount, None, record, date, level, body, reference, reason,
            override_shortfall, year, source, change_id, data, lang, as_json)


def reduce(
    cluster: ClusterArg, grant: GrantArg, amount: AmountArg,
    record: decide.RecordOption = False, date: decide.DateOption = None, level: decide.LevelOption = None,
    body: decide.BodyOption = None, reference: decide.ReferenceOption = None, reason: ReasonOption = None,
    override_shortfall: decide.OverrideOption = None, year: decide.YearOption = None, source: SourceOption = None,
    change_id: IdOption = None, data: DataOption = None, lang: LangOption = "da", as_json: JsonOption = False,
) -> None:
    """Reduce a grant by AMOUNT; the partners' shares of the new total are freed accordingly."""
    _change("reduction", cluster, grant, amount, None, record, date, level, body, reference, reason,
            override_shortfall, year, source, change_id, data, lang, as_json)


def withdraw(
    cluster: ClusterArg, grant: GrantArg,
    record: decide.RecordOption = False, date: decide.DateOption = None, level: decide.LevelOption = None,
    body: decide.BodyOption = None, reference: decide.ReferenceOption = None, reason: ReasonOption = None,
    year: decide.YearOption = None, source: SourceOption = None,
    change_id: IdOption = None, data: DataOption = None, lang: LangOption = "da", as_json: JsonOption = False,
) -> None:
    """Withdraw a grant: it goes to 0 and every partner's share is freed (e.g. a condition was met)."""
    _change("withdrawal", cluster, grant, None, None, record, date, level, body, reference, reason,
            None, year, source, change_id, data, lang, as_json)


def transfer(
    cluster: ClusterArg,
    source_grant: Annotated[str, typer.Argument(metavar="FROM", help="The grant the money leaves: id or name.")],
    target_grant: Annotated[str, typer.Argument(metavar="TO", help="The grant that receives it: id or name.")],
    amount: AmountArg,
    record: decide.RecordOption = False, date: decide.DateOption = None, level: decide.LevelOption = None,
    body: decide.BodyOption = None, reference: decide.ReferenceOption = None, reason: ReasonOption = None,
    override_shortfall: decide.OverrideOption = None, year: decide.YearOption = None, source: SourceOption = None,
    change_id: IdOption = None, data: DataOption = None, lang: LangOption = "da", as_json: JsonOption = False,
) -> None:
    """Move AMOUNT from one grant to another on the same date (one record, both grants re-split)."""
    _change("transfer", cluster, source_grant, amount, target_grant, record, date, level, body, reference, reason,
            override_shortfall, year, source, change_id, data, lang, as_json)


def _change(
    kind: str, cluster: str, grant_text: str, amount_text: str | None, target_text: str | None,
    record: bool, date: str | None, level: str | None, body: str | None, reference: str | None,
    reason: str | None, override: str | None, year: int | None, source: str | None, change_id: str | None,
    data: Any, lang: str, as_json: bool,
) -> None:
    from dataclasses import replace

    from klyngefond.core.cofinancing import FinancingError
    from klyngefond.reports.allocate import change_effect, new_change

    lang = check_lang(lang)
    amount = decide.amount(amount_text, "AMOUNT") if amount_text is not None else None
    command = {"top-up": "topup", "reduction": "reduce", "withdrawal": "withdraw", "transfer": "transfer"}[kind]
    decision = decide.decision(date, level, body, reference, required=record, command=command)
    chosen_id = decide.new_id(change_id) if change_id is not None else None

    def effect(ledger: Ledger) -> tuple[Any, Any]:
        grant_id = decide.grant(ledger, grant_text)
        target = decide.grant(ledger, target_text, "grant to move the money to") if target_text else None
        change = new_change(kind, grant_id, decision, amount, target, year)
        try:
            return change, change_effect(ledger, change, year)
        except FinancingError as exc:
            fail(f"{command} refused: {exc.message}", *([exc.hint] if exc.hint else []))

    if not record:
        _, report = effect(open_ledger(cluster, data))
        decide.show_proposal(report, lang, as_json)
        return

    from klyngefond.storage import schema
    from klyngefond.storage.decisions import decision_table
    from klyngefond.storage.loader import CHANGES_DIR

    folder = cluster_folder(cluster, data)
    with decide.writing(folder) as ledger:
        change, report = effect(ledger)
        if report.shortfalls and not override:
            decide.show_proposal(replace(report, refused=True), lang, as_json)
            decide.shortfall_refusal(report, override, lang)
        taken = {c.id for c in ledger.changes}
        if chosen_id is not None and (chosen_id in taken or (folder / CHANGES_DIR / f"{chosen_id}.toml").exists()):
            fail(f"--id {chosen_id!r} is already used by a change in {ledger.cluster.name}", "choose another id")

        def build(new_id: str) -> dict[str, Any]:
            return {
                "id": new_id,
                "kind": change.kind,
                "grant": change.grant,
                "to_grant": change.to_grant,
                "amount": change.amount,
                "year": year,
                "reason": reason,
                "override_shortfall": override.strip() if report.shortfalls and override else None,
                "source": source,
                "decision": decision_table(change.decision),
            }

        stem = chosen_id or f"{change.date.isoformat()}-{command}-{change.grant}"
        new_id, path = decide.write(folder, CHANGES_DIR, stem, taken, build, schema.Change, f"{command} --record")
    decide.show_proposal(replace(report, recorded=True, file=str(path)), lang, as_json)


def carryover(
    cluster: ClusterArg,
    from_year: Annotated[str, typer.Option("--from", help="The year (or period, 2022-2023) whose remainder moves.")],
    to_year: Annotated[int, typer.Option("--to", help="The year that receives it.")],
    partner: Annotated[str | None, typer.Option("--partner", help="Only this partner (default: every holder of funds).",
                                                show_default=False)] = None,
    amount: Annotated[str | None, typer.Option("--amount", help="Carry this amount (needs --partner; default: the whole "
                                               "remainder).", show_default=False)] = None,
    stated_amount: Annotated[str | None, typer.Option("--stated-amount", help="The total the minutes say was carried, "
                                                      "to check against.", show_default=False)] = None,
    record: decide.RecordOption = False, date: decide.DateOption = None, level: decide.LevelOption = None,
    body: decide.BodyOption = None, reference: decide.ReferenceOption = None, source: SourceOption = None,
    carry_id: IdOption = None, data: DataOption = None, lang: LangOption = "da", as_json: JsonOption = False,
) -> None:
    """Carry unspent funds into a later year (overførsel af restmidler)."""
    from dataclasses import replace

    from klyngefond.cli.common import EXIT_USAGE
    from klyngefond.core.records import CarryOver, YearSpan

    lang = check_lang(lang)
    span = _span(from_year)
    if to_year <= span.last:
        fail(f"--to {to_year} must come after --from {from_year}", code=EXIT_USAGE)
    carried_amount = decide.amount(amount, "--amount") if amount is not None else None
    stated = decide.amount(stated_amount, "--stated-amount") if stated_amount is not None else None
    if carried_amount is not None and partner is None:
        fail("--amount is carried for one partner: add --partner, or leave out --amount to carry every remainder",
             code=EXIT_USAGE)
    decision = decide.decision(date, level, body, reference, required=record, command="carryover")
    chosen_id = decide.new_id(carry_id) if carry_id is not None else None

    def effect(ledger: Ledger) -> tuple[Any, Any]:
        from klyngefond.reports.carryover import carryover_effect

        holder = decide.partner(ledger, partner, "--partner") if partner else None
        proposed = CarryOver(id="proposed", from_year=span, to_year=to_year, partner=holder, amount=carried_amount,
                             stated_amount=stated, decision=decision, source=source)
        return proposed, carryover_effect(ledger, proposed)

    if not record:
        _, report = effect(open_ledger(cluster, data))
        _show_carry(report, lang, as_json)
        return

    from klyngefond.storage import schema
    from klyngefond.storage.decisions import decision_table
    from klyngefond.storage.loader import CARRYOVERS_DIR

    folder = cluster_folder(cluster, data)
    with decide.writing(folder) as ledger:
        proposed, report = effect(ledger)
        taken = {c.id for c in ledger.carryovers}
        if chosen_id is not None and (chosen_id in taken or (folder / CARRYOVERS_DIR / f"{chosen_id}.toml").exists()):
            fail(f"--id {chosen_id!r} is already used by a carry-over in {ledger.cluster.name}", "choose another id")

        def build(new_id: str) -> dict[str, Any]:
            return {
                "id": new_id,
                "from_year": str(span),
                "to_year": to_year,
                "partner": proposed.partner,
                "amount": carried_amount,
                "stated_amount": stated,
                "source": source,
                "decision": decision_table(decision),
            }

        stem = chosen_id or f"{decision.date.isoformat()}-carryover-{span}-to-{to_year}" + (
            f"-{proposed.partner}" if proposed.partner else "")
        new_id, path = decide.write(folder, CARRYOVERS_DIR, stem, taken, build, schema.CarryOver, "carryover --record")
    _show_carry(replace(report, recorded=True, carryover_id=new_id, file=str(path)), lang, as_json)


def _span(text: str) -> Any:
    import re

    from klyngefond.cli.common import EXIT_USAGE
    from klyngefond.core.records import YearSpan

    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text)
    if not match or not (2000 <= int(match.group(1)) <= int(match.group(2) or match.group(1)) <= 2100):
        fail(f"--from {text!r} is not a year", "write 2023, or a period such as 2022-2023", code=EXIT_USAGE)
    return YearSpan(int(match.group(1)), int(match.group(2) or match.group(1)))


def _show_carry(report: Any, lang: str, as_json: bool) -> None:
    from klyngefond.render.carryover_view import carryover_json, render_carryover

    if as_json:
        print_json(carryover_json(report))
        return
    out = console()
    for block in render_carryover(report, lang):
        out.print(block)
