"""`klyngefond pay` and `klyngefond refund`: money received for an invoice, and money paid back on a credited one.

The invoice is found by its number across the data folder, and the record goes to the
folder of the cluster that issued it. What is open (or owed back) is judged ON THE DATE
of the payment or refund, as the journal stood at the end of that day, not today; without
``--amount`` that is the amount recorded. The record goes through ``recording.record``,
so the journal's rules (no payment above what is open on its date, no refund above what
is owed back, no date in the future without ``--override``) are the same as in ``check``,
and the same payment recorded twice is refused, naming the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, data_root, today, writing
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DataOption, JsonOption, LangOption, OverrideOption
from klyngefond.cli.output import emit_json
from klyngefond.cli.recording import record
from klyngefond.core.money import json_amount
from klyngefond.core.records import Invoice, Payment, Refund
from klyngefond.i18n import Message, Verbatim, t
from klyngefond.journal import query
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.render.terminal import safe_print
from klyngefond.storage.locate import cluster_folders

app = typer.Typer(add_completion=False)

InvoiceArgument = Annotated[str, typer.Argument(help=h("payments.help_invoice"), metavar=h("payments.metavar_invoice"),
                                                show_default=False)]
AmountOption = Annotated[str | None, typer.Option("--amount", help=h("payments.help_amount"), show_default=False)]
NoteOption = Annotated[str | None, typer.Option("--note", help=h("payments.help_note"), show_default=False)]


@app.command("pay", help=h("payments.help_pay"), epilog=h("payments.example_pay"))
def pay(
    invoice: InvoiceArgument,
    date: Annotated[str, typer.Option("--date", help=h("payments.help_pay_date"), metavar=h("cli.metavar_date"),
                                      show_default=False)],
    amount: AmountOption = None,
    note: NoteOption = None,
    override: OverrideOption = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    _money_moves("payment", invoice, date, amount, note, override, data, lang, as_json)


@app.command("refund", help=h("payments.help_refund"), epilog=h("payments.example_refund"))
def refund(
    invoice: InvoiceArgument,
    date: Annotated[str, typer.Option("--date", help=h("payments.help_refund_date"), metavar=h("cli.metavar_date"),
                                      show_default=False)],
    amount: AmountOption = None,
    note: NoteOption = None,
    override: OverrideOption = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    _money_moves("refund", invoice, date, amount, note, override, data, lang, as_json)


def _money_moves(kind: str, invoice: str, date: str, amount: str | None, note: str | None, override: str | None,
                 data: Path | None, lang: str, as_json: bool) -> None:
    lang = parse.lang(lang)
    typed = parse.new_id(invoice.strip().lower(), h("payments.metavar_invoice"))
    on = parse.date(date, "--date")
    assert on is not None
    wanted = parse.amount(amount, "--amount") if amount is not None else None
    note = parse.text_value(note, "--note")
    override = parse.text_value(override, "--override")
    folder, number = invoice_folder(typed, data, shown=invoice.strip())
    with writing(folder.name, data, folder=folder) as opened:
        issued = opened.ledger.invoice(number)
        if issued is None:  # pragma: no cover - the file is there, and a bad file stops the loader
            raise UsageProblem(Message("payments.unknown_invoice", number=number, root=str(folder.parent)))
        if issued.is_credit_note:
            raise Refused(Message("payments.credit_note", number=number, credits=issued.credits),
                          Message(f"payments.hint_credit_note_{kind}", credits=issued.credits))
        if on < issued.issue_date:
            raise Refused(Message(f"payments.before_issue_{kind}", date=on, number=number, issued=issued.issue_date),
                          Message("payments.hint_date"))
        balance = query.invoice_balances(opened.journal, as_of=on)[number]
        available = balance.open if kind == "payment" else -balance.open
        if wanted is None:
            if available <= 0:
                _refuse_nothing(opened, kind, issued, on, balance)
            wanted = available
        value = wanted

        def make(record_id: str, reason: str | None) -> Any:
            if kind == "payment":
                return Payment(record_id, number, on, value, note, reason)
            return Refund(record_id, number, on, value, note, reason)

        stem = f"{number.lower()}-{t('words.file_' + kind, lang)}-{on.isoformat()}"
        outcome = record(opened, f"{kind}s", make, stem, command=kind if kind == "refund" else "pay",
                         lang=lang, today=today(), override=override)
    on_date = query.invoice_balances(outcome.journal, as_of=on)[number]
    now = query.invoice_balances(outcome.journal)[number]
    _report(kind, opened, issued, outcome, on, on_date, now, lang, as_json)


def invoice_folder(number: str, data: Path | None, shown: str | None = None) -> tuple[Path, str]:
    """The folder of the cluster that issued invoice ``number`` and the number as issued (numbers
    are found whatever their case: ``esb-2024-0007`` finds ``ESB-2024-0007``); a usage error
    (with the closest numbers) when none did."""
    root = data_root(data, writing=True)
    folders = cluster_folders(root)
    wanted = number.lower()
    found = [(f, p.stem) for f in folders if (f / "invoices").is_dir() for p in (f / "invoices").glob("*.toml")
             if p.stem.lower() == wanted and not p.name.startswith(".")]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        raise Refused(Message("payments.invoice_in_several", number=found[0][1], folders=[str(f) for f, _ in found]))
    known = sorted(p.stem for f in folders if (f / "invoices").is_dir() for p in (f / "invoices").glob("*.toml")
                   if not p.name.startswith("."))
    details: list[Any] = []
    by_lower = {k.lower(): k for k in known}
    close = [by_lower[c] for c in difflib.get_close_matches(wanted, list(by_lower), n=3, cutoff=0.6)]
    if close:
        details.append(Message("payments.did_you_mean", numbers=close))
    details.append(Message("payments.hint_numbers"))
    raise UsageProblem(Message("payments.unknown_invoice", number=shown or number, root=str(root)), *details)


def _refuse_nothing(opened: Opened, kind: str, issued: Invoice, on: dt.date, balance: Any) -> None:
    """Nothing is open (or owed back) on ``on``: the same record made twice names its file; otherwise say what the invoice holds."""
    folder = f"{kind}s"
    annulled = {a.record for a in opened.ledger.annulments}
    same_day = [r for r in getattr(opened.ledger, folder) if r.invoice == issued.number and r.date == on
                and f"{folder}/{r.id}" not in annulled]
    if same_day:
        where = opened.ledger.origins.get(f"{folder}/{same_day[-1].id}")
        raise Refused(Message("recording.duplicate", file=Verbatim(shown_path(where))), Message(f"payments.hint_duplicate_{kind}"))
    details: list[Any] = [Message("payments.invoice_state", amount=issued.amount, credited=balance.credited, paid=balance.paid,
                                  refunded=balance.refunded, open=balance.open)]
    if kind == "payment" and balance.open < 0:
        details.append(Message("payments.hint_refund", owed=-balance.open, number=issued.number))
    raise Refused(Message(f"payments.nothing_{kind}", number=issued.number, date=on), *details)


def _report(kind: str, opened: Opened, issued: Invoice, outcome: Any, on: dt.date, on_date: Any, now: Any, lang: str,
            as_json: bool) -> None:
    saved = outcome.record
    if as_json:
        emit_json({
            "kind": kind, "id": saved.id, "invoice": issued.number, "cluster": opened.ledger.cluster.id,
            "issuer": issued.issuer, "recipient": issued.recipient, "date": on.isoformat(), "amount": json_amount(saved.amount),
            "open_on_date": json_amount(on_date.open), "open": json_amount(now.open), "state": now.state(max(on, today())),
            "file": str(outcome.path),
        })
    else:
        recipient = Verbatim(opened.ledger.cluster.holder_name(issued.recipient))
        left: Decimal = on_date.open if kind == "payment" else -on_date.open
        safe_print(t(f"payments.recorded_{kind}", lang, amount=saved.amount, number=issued.number, date=on, partner=recipient,
                     left=left))
        if now.open != on_date.open:
            safe_print(t("payments.now_open", lang, open=now.open) if now.open >= 0 else
                       t("payments.now_owed_back", lang, owed=-now.open, number=issued.number))
        safe_print(t("payments.saved_in", lang, path=Verbatim(shown_path(outcome.path))))
    for warning in outcome.warnings:
        safe_print("klyngefond: " + t("payments.warning", lang, problem=problem_words(warning)), err=True)
