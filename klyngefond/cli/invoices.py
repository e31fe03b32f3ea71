"""`klyngefond invoices` and `klyngefond pay`: the split into invoices, issuing, documents, payments."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli.common import (
    EXIT_USAGE,
    DataOption,
    JsonOption,
    LangOption,
    check_lang,
    console,
    fail,
    open_ledger,
    print_json,
)


class Format(str, Enum):
    table = "table"
    markdown = "markdown"
    csv = "csv"


DEFAULT_OUT = Path("fakturaer")


def parse_date(text: str, option: str) -> dt.date:
    """A date written 2024-03-01 or the Danish way 1-3-2024 / 01.03.2024."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        match = re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    fail(f"{option} {text!r} is not a date", "write it as 2024-03-01 (or 01-03-2024)", code=EXIT_USAGE)


def invoices(
    cluster: Annotated[str, typer.Argument(help="The cluster, e.g. Sydvestjylland.")],
    grant: Annotated[str | None, typer.Option("--grant", help="Only this grant (its id).")] = None,
    output_format: Annotated[Format, typer.Option("--format", help="table, markdown or csv (for the agenda).")] = Format.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the Markdown, CSV or JSON to this file.")] = None,
    issue: Annotated[bool, typer.Option("--issue", help="Issue numbered invoices and credit notes for what is not yet invoiced.")] = False,
    documents: Annotated[bool, typer.Option("--documents", help="Write PDF and OIOUBL XML for every issued invoice.")] = False,
    date: Annotated[str | None, typer.Option("--date", help="Invoice date when issuing (default: today).")] = None,
    due_days: Annotated[int, typer.Option("--due-days", min=0, max=365, help="Days until payment is due.")] = 30,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the documents (default: ./fakturaer/<cluster>).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing output files.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge what is overdue on this date (default: today).")] = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    """Per grant, the invoices its owner sends (one per other partner); issue them, write documents, see payments."""
    lang = check_lang(lang)
    if output is not None and output_format is Format.table and not as_json:
        fail("--output writes Markdown, CSV or JSON", "add --format markdown, --format csv or --json", code=EXIT_USAGE)
    if (date is not None or out is not None) and not (issue or documents):
        fail("--date and --out are used with --issue or --documents", code=EXIT_USAGE)
    today = dt.date.today()
    ledger = open_ledger(cluster, data)
    if grant is not None and ledger.grant(grant) is None:
        known = ", ".join(g.id for g in ledger.grants) or "none"
        fail(f"{ledger.cluster.name} has no grant {grant!r}", f"grant ids: {known}", code=EXIT_USAGE)
    docs_dir = out if out is not None else DEFAULT_OUT / ledger.cluster.id

    if issue:
        issue_date = parse_date(date, "--date") if date else today
        _issue(ledger, grant, issue_date, due_days, docs_dir, force, lang, as_json)
        return
    elif documents:
        _documents(ledger, grant, docs_dir, force, lang, as_json)
        return

    from klyngefond.reports.invoices import build_invoices

    report = build_invoices(ledger, parse_date(as_of, "--as-of") if as_of else today, grant)
    if as_json:
        from klyngefond.render.invoices_view import invoices_json

        _emit(_json_text(invoices_json(report)), output, force, bom=False)
    elif output_format is Format.csv:
        from klyngefond.render.invoices_view import invoices_csv

        # A file gets a UTF-8 byte order mark: without it Excel on Windows reads the file as
        # Windows-1252 and garbles æ, ø, å. The terminal (and pipes) get none.
        _emit(invoices_csv(report, lang), output, force, bom=True)
    elif output_format is Format.markdown:
        from klyngefond.render.invoices_view import invoices_markdown

        _emit(invoices_markdown(report, lang), output, force, bom=False)
    else:
        from klyngefond.render.invoices_view import render_invoices

        terminal = console()
        for block in render_invoices(report, lang):
            terminal.print(block)


def _json_text(payload: Any) -> str:
    import json

    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _emit(text: str, output: Path | None, force: bool, *, bom: bool) -> None:
    import sys

    if output is None:
        sys.stdout.write(text)
        return
    from klyngefond.storage.atomic import TargetExistsError, WriteError, write_new, write_replace

    data = ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")
    try:
        if force:
            write_replace(output, data)
        else:
            write_new(output, data)
    except TargetExistsError:
        fail(f"{output} already exists and was left untouched", "pass --force to replace it, or choose another --output")
    except WriteError as exc:
        fail(str(exc))
    print(f"klyngefond: wrote {output}", file=sys.stderr)


def _issue(ledger: Any, grant: str | None, issue_date: dt.date, due_days: int, docs_dir: Path, force: bool,
           lang: str, as_json: bool) -> Any:
    from klyngefond.core.invoicing import plan_documents
    from klyngefond.documents.issue import party_problems
    from klyngefond.reports.invoices import blockers, grant_splits
    from klyngefond.storage.invoices import LedgerProblems, Refused, issue
    from klyngefond.storage.sequence import SequenceError

    splits = grant_splits(ledger, grant)
    blocked = blockers(ledger, splits)
    if blocked:
        from klyngefond.render.invoices_view import shown_path

        known = ", ".join(p.id for p in ledger.cluster.partners if p.kind != "almen praksis")
        lines = []
        for b in blocked:
            if b.reason == "no_owner":
                lines.append(f"{shown_path(b.file)}: owner is not filled in for {b.grant_name!r}; write owner = \"<partner id>\" "
                             f"(the project owner, one of: {known})")
            else:
                lines.append(f"{shown_path(b.file)}: financing: the split of {b.grant_name!r} is not stated; give the model and shares")
        if grant is None and len(blocked) < len(splits):
            lines.append("nothing was issued; to issue the other grants one at a time, use --grant ID")
        fail(f"cannot issue invoices for {len(blocked)} grant{'s' if len(blocked) != 1 else ''} in {ledger.cluster.name}:",
             *lines)

    def plan(fresh: Any) -> Any:
        planned = plan_documents(grant_splits(fresh, grant), fresh.invoices)
        problems = party_problems(fresh, [d.issuer for d in planned], [d.recipient for d in planned])
        if problems:
            raise Refused("cannot issue: partner details are missing or invalid (nothing was issued):", *problems)
        return planned

    due_date = issue_date + dt.timedelta(days=due_days)
    try:
        ledger, issued = issue(ledger.folder, plan, issue_date, due_date)
    except Refused as exc:
        fail(exc.message, *exc.details)
    except LedgerProblems as exc:
        fail(f"{len(exc.problems)} problems in the data:", *[str(p) for p in exc.problems])
    except SequenceError as exc:
        fail(exc.message)
    except OSError as exc:
        fail(str(exc))

    run = _write(ledger, issued, docs_dir, force, lang) if issued else None
    if as_json:
        from klyngefond.core.money import json_amount

        print_json({
            "issued": [{"number": i.number, "kind": i.kind, "issuer": i.issuer, "recipient": i.recipient,
                        "grant": i.grant, "amount": json_amount(i.amount), "issue_date": i.issue_date.isoformat(),
                        "due_date": i.due_date.isoformat(), "credits": i.credits} for i in issued],
            "documents": _documents_json(run),
        })
    else:
        _print_issued(issued, ledger, lang)
        if run is not None:
            _print_run(run, docs_dir, lang)
    if run is not None and run.refused:
        raise typer.Exit(1)
    return ledger


def _write(ledger: Any, invoices: Any, docs_dir: Path, force: bool, lang: str) -> Any:
    from klyngefond.documents.issue import InvalidDocument, write_documents
    from klyngefond.documents.model import DocumentError

    try:
        return write_documents(ledger, invoices, docs_dir, force=force, lang=lang, progress=console().is_terminal)
    except InvalidDocument as exc:
        fail(f"the e-invoice {exc.number} failed validation and was not written:", *exc.problems,
             f"the invoices are recorded; after a fix, write the documents with: klyngefond invoices {ledger.cluster.id} --documents")
    except DocumentError as exc:
        from klyngefond.documents.issue import partner_key

        fail(f"{exc}", f"fill in {partner_key(ledger, exc.partner, exc.field)} in {ledger.folder / 'cluster.toml'}",
             f"then write the documents with: klyngefond invoices {ledger.cluster.id} --documents")
    except OSError as exc:
        fail(str(exc))


def _documents(ledger: Any, grant: str | None, docs_dir: Path, force: bool, lang: str, as_json: bool) -> None:
    from klyngefond.documents.issue import party_problems

    invoices = [i for i in ledger.invoices if grant is None or i.grant == grant]
    if not invoices:
        fail(f"no invoices have been issued in {ledger.cluster.name}" + (f" for {grant}" if grant else ""),
             f"issue them first: klyngefond invoices {ledger.cluster.id} --issue")
    problems = party_problems(ledger, [i.issuer for i in invoices], [i.recipient for i in invoices])
    if problems:
        fail("cannot write the documents: partner details are missing or invalid:", *problems)
    run = _write(ledger, invoices, docs_dir, force, lang)
    if as_json:
        print_json({"documents": _documents_json(run)})
    else:
        _print_run(run, docs_dir, lang)
    if run.refused:
        raise typer.Exit(1)


def _documents_json(run: Any) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"schema_checked": run.schema_checked,
            "files": [{"path": str(f.path), "outcome": f.outcome} for f in run.files]}


_TEXT = {
    "da": {
        "none": "Intet at udstede: alle fakturaer efter fordelingen er udstedt.",
        "issued": "Udstedt {n} dokument(er):",
        "written": "{n} fil(er) skrevet i {dir}",
        "unchanged": "{n} fil(er) var allerede skrevet og er uændrede",
        "replaced": "{n} fil(er) erstattet (--force)",
        "exists": "{path} findes allerede med andet indhold og er ikke rørt (brug --force for at erstatte den)",
        "no_schema": "UBL-skemaet blev ikke fundet, så XML er kun tjekket mod OIOUBL-reglerne "
                     "(sæt KLYNGEFOND_UBL_XSD_DIR til mappen med UBL 2.1 xsd)",
    },
    "en": {
        "none": "Nothing to issue: every invoice the split calls for has been issued.",
        "issued": "Issued {n} document(s):",
        "written": "{n} file(s) written in {dir}",
        "unchanged": "{n} file(s) were already written and are unchanged",
        "replaced": "{n} file(s) replaced (--force)",
        "exists": "{path} already exists with other content and was left untouched (use --force to replace it)",
        "no_schema": "the UBL schema was not found, so the XML was only checked against the OIOUBL rules "
                     "(set KLYNGEFOND_UBL_XSD_DIR to the UBL 2.1 xsd folder)",
    },
}


def _print_issued(issued: Any, ledger: Any, lang: str) -> None:
    from klyngefond.core.invoicing import invoice_states
    from klyngefond.render.invoices_view import issued_table

    text = _TEXT[lang]
    out = console()
    if not issued:
        out.print(text["none"])
        return
    states = invoice_states(issued, ())
    labels = {p.id: p.label for p in ledger.cluster.partners}
    out.print(issued_table(states, labels, issued[0].issue_date, lang, title=text["issued"].format(n=len(issued))))


def _print_run(run: Any, docs_dir: Path, lang: str) -> None:
    import sys

    text = _TEXT[lang]
    out = console()
    counts = {kind: sum(1 for f in run.files if f.outcome == kind) for kind in ("written", "unchanged", "replaced")}
    if counts["written"]:
        out.print(text["written"].format(n=counts["written"], dir=docs_dir))
    for kind in ("unchanged", "replaced"):
        if counts[kind]:
            out.print(text[kind].format(n=counts[kind]))
    for refused in run.refused:
        print("klyngefond: " + text["exists"].format(path=refused.path), file=sys.stderr)
    if not run.schema_checked:
        print("klyngefond: " + text["no_schema"], file=sys.stderr)


def pay(
    invoice: Annotated[str, typer.Argument(help="The invoice number, e.g. sydvestjylland-esbjerg-0001.")],
    date: Annotated[str, typer.Option("--date", help="The date the money arrived, e.g. 2024-04-15.")],
    amount: Annotated[str | None, typer.Option("--amount", help="The amount paid (default: all that is open).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note kept with the payment.")] = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    """Record a payment of an issued invoice; partial payments are allowed, overpayment is refused."""
    from klyngefond.cli.common import data_dir
    from klyngefond.core.ids import IdError, check_id
    from klyngefond.core.money import AmountError, json_amount, parse_user_amount
    from klyngefond.render import i18n
    from klyngefond.storage.invoices import INVOICES_DIR, LedgerProblems, Refused, record_payment
    from klyngefond.storage.locate import cluster_folders

    lang = check_lang(lang)
    number = invoice.strip().lower()
    try:
        check_id(number, "invoice number")
    except IdError as exc:
        fail(exc.message, *([exc.hint] if exc.hint else []), code=EXIT_USAGE)
    paid_on = parse_date(date, "--date")
    value = None
    if amount is not None:
        try:
            value = parse_user_amount(amount)
        except AmountError as exc:
            fail(f"--amount: {exc.message}", exc.hint, code=EXIT_USAGE)
    root = data_dir(data)
    folders = [f for f in cluster_folders(root) if (f / INVOICES_DIR / f"{number}.toml").is_file()]
    if not folders:
        fail(f"no issued invoice {number!r} in {root}", "the numbers are listed by: klyngefond invoices CLUSTER")
    try:
        payment, path, left = record_payment(folders[0], number, paid_on, value, note)
    except Refused as exc:
        fail(exc.message, *exc.details)
    except LedgerProblems as exc:
        fail(f"{len(exc.problems)} problems in the data:", *[str(p) for p in exc.problems])
    except OSError as exc:
        fail(str(exc))
    if as_json:
        print_json({"invoice": number, "date": paid_on.isoformat(), "amount": json_amount(payment.amount),
                    "open": json_amount(left), "file": str(path)})
        return
    from klyngefond.render.invoices_view import shown_path

    if lang == "da":
        console().print(f"Betaling af {i18n.money(payment.amount, lang)} registreret på {number} ({paid_on:%d-%m-%Y}); "
                        f"åbent herefter {i18n.money(left, lang)}\nGemt i {shown_path(str(path))}")
    else:
        console().print(f"Payment of {i18n.money(payment.amount, lang)} recorded against {number} ({paid_on.isoformat()}); "
                        f"open now {i18n.money(left, lang)}\nSaved in {shown_path(str(path))}")
