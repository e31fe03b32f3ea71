"""`klyngefond invoices`: the split of each grant into invoices, who pays whom, balances; issuing and documents.

Reading is a query over the journal as of a day (``--as-of``). ``--issue`` holds the
cluster's lock, reads every file afresh, plans the difference between what the split calls
for and what is invoiced, and writes each new invoice or credit note as a new record file
with a number that is never reused (``storage/numbering.py``) and what its documents say
(``documents/issue.issued_as``); issuing again issues nothing. The PDF and the e-invoice
(OIOUBL 2.1 or Peppol BIS Billing 3.0: ``--einvoice-format``, else the recipient's
``invoice_format``) are written afterwards (``--documents`` writes them again, the same).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, today, writing
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import AsOfOption, ClusterArgument, DataOption, ForceOption, JsonOption, LangOption, OutputOption
from klyngefond.cli.output import emit_json, emit_text, write_file
from klyngefond.cli.recording import REFUSING, new_problems, new_problems_for
from klyngefond.core.ledger import Ledger, ref
from klyngefond.core.problems import Problem
from klyngefond.core.records import Invoice
from klyngefond.core.text import control_characters
from klyngefond.i18n import Message, Verbatim, t
from klyngefond.journal.build import with_record
from klyngefond.render import invoices_view
from klyngefond.render.invoices_view import blocker_text, document_json, issued_table
from klyngefond.render.problems import problem_words
from klyngefond.render.table import render_text
from klyngefond.render.terminal import safe_print
from klyngefond.reports.invoices import blockers, build_invoices, grant_splits, pending_documents
from klyngefond.storage.atomic import WriteError
from klyngefond.storage.leftovers import counters_behind, missing_documents, remove_strays, stray_temporaries
from klyngefond.storage.numbering import NumbersOnFile, PrefixTaken, next_invoice_number
from klyngefond.storage.records import TargetExistsError, refuse_linked, write_record
from klyngefond.storage.sequence import SequenceError

app = typer.Typer(add_completion=False)

FORMATS = ("table", "markdown", "csv")
EINVOICE_FORMATS = ("oioubl", "peppol")
DEFAULT_DUE_DAYS = 30
DOCUMENTS_FOLDER = Path("fakturaer")  # the same as storage/leftovers.DOCUMENTS_FOLDER


@app.command("invoices", help=h("invoices.help_invoices"), epilog=h("invoices.example_invoices"))
def invoices(
    cluster: ClusterArgument,
    grant: Annotated[str | None, typer.Option("--grant", help=h("invoices.help_grant"), show_default=False)] = None,
    as_of: AsOfOption = None,
    output_format: Annotated[str, typer.Option("--format", help=h("invoices.help_format"), metavar="table|markdown|csv")] = "table",
    output: OutputOption = None,
    force: ForceOption = False,
    issue: Annotated[bool, typer.Option("--issue", help=h("invoices.help_issue"))] = False,
    documents: Annotated[bool, typer.Option("--documents", help=h("invoices.help_documents"))] = False,
    date: Annotated[str | None, typer.Option("--date", help=h("invoices.help_date"), metavar=h("cli.metavar_date"),
                                             show_default=False)] = None,
    due_days: Annotated[str | None, typer.Option("--due-days", help=h("invoices.help_due_days"), metavar="N",
                                                 show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help=h("invoices.help_out"), show_default=False)] = None,
    einvoice_format: Annotated[str | None, typer.Option("--einvoice-format", help=h("invoices.help_einvoice_format"),
                                                        metavar="oioubl|peppol", show_default=False)] = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    fmt = output_format.strip().lower()
    if fmt not in FORMATS:
        raise UsageProblem(Message("invoices.unknown_format", value=Verbatim(output_format), choices=list(FORMATS)))
    if issue or documents:
        for option, given in (("--as-of", as_of), ("--output", output), ("--format", None if fmt == "table" else fmt)):
            if given is not None:
                raise UsageProblem(Message("invoices.option_not_with_issue", option=option), Message("invoices.hint_issue_options"))
    else:
        for option, given in (("--date", date), ("--due-days", due_days), ("--out", out), ("--einvoice-format", einvoice_format)):
            if given is not None:
                raise UsageProblem(Message("invoices.option_needs_issue", option=option))
    chosen = _einvoice_format(einvoice_format)
    if issue:
        issue_documents(cluster, data, grant, parse.date(date, "--date") or today(), _due_days(due_days), out, force, lang, as_json,
                        chosen)
    elif documents:
        rewrite_documents(cluster, data, grant, out, force, lang, as_json, chosen)
    else:
        show(cluster, data, grant, parse.date(as_of, "--as-of"), fmt, output, force, lang, as_json)


def _due_days(value: str | None) -> int:
    if value is None:
        return DEFAULT_DUE_DAYS
    cleaned = value.strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or int(cleaned) > 365:
        raise UsageProblem(Message("invoices.bad_due_days", value=Verbatim(value)))
    return int(cleaned)


def _einvoice_format(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().lower()
    if cleaned not in EINVOICE_FORMATS:
        raise UsageProblem(Message("invoices.unknown_einvoice_format", value=Verbatim(value), choices=list(EINVOICE_FORMATS)))
    return cleaned


def _grant(ledger: Ledger, grant: str | None) -> str | None:
    return parse.grant(ledger, grant, "--grant") if grant is not None else None


# --------------------------------------------------------------------------- showing


def show(cluster: str, data: Path | None, grant: str | None, as_of: dt.date | None, fmt: str, output: Path | None,
         force: bool, lang: str, as_json: bool) -> None:

    opened = open_cluster(cluster, data)
    report = build_invoices(opened.ledger, opened.journal, as_of=as_of, on=as_of or today(),
                            grant=_grant(opened.ledger, grant))
    if as_json:
        payload = invoices_view.invoices_json(report)
        if output is None:
            emit_json(payload)
            return
        rendered, bom = json.dumps(payload, ensure_ascii=False, indent=2) + "\n", False
    elif fmt == "csv":
        # A file gets a UTF-8 byte order mark: without it Excel on Windows reads the file as
        # Windows-1252 and garbles æ, ø, å. The terminal (and pipes) get none.
        rendered, bom = invoices_view.render_csv(report, lang), True
    elif fmt == "markdown":
        rendered, bom = invoices_view.render_markdown(report, lang), False
    elif output is None:
        emit_text(lambda width: invoices_view.render_text(report, lang, width))
        return
    else:
        rendered, bom = invoices_view.render_text(report, lang, None), False
    if output is None:
        sys.stdout.write(rendered)
        return
    write_file(output, ("\ufeff" if bom else "").encode("utf-8") + rendered.encode("utf-8"), force=force)
    _say(t("cli.wrote", lang, path=str(output)), err=True)


def _say(words: str, *, err: bool = False) -> None:

    safe_print(words, err=err)


# --------------------------------------------------------------------------- issuing


def issue_documents(cluster: str, data: Path | None, grant: str | None, issue_date: dt.date, due_days: int,
                    out: Path | None, force: bool, lang: str, as_json: bool, chosen_format: str | None = None) -> None:
    """Issue, under the cluster's lock, what the split calls for beyond what is invoiced; then write the documents."""
    due_date = issue_date + dt.timedelta(days=due_days)
    issued: list[Invoice] = []
    with writing(cluster, data) as opened:
        ledger = opened.ledger
        chosen = _grant(ledger, grant)
        if issue_date > today():
            raise Refused(Message("invoices.date_in_future", date=issue_date), Message("invoices.hint_issue_date"))
        latest = max(ledger.invoices, key=lambda i: (i.issue_date, i.number), default=None)
        if latest is not None and issue_date < latest.issue_date:
            raise Refused(Message("invoices.date_before_latest", date=issue_date, latest=latest.issue_date, number=latest.number),
                          Message("invoices.hint_issue_date"))
        splits = grant_splits(ledger, opened.journal, as_of=issue_date, grant=chosen)
        blocked = blockers(ledger, splits)
        if blocked:
            details: list[Any] = [Verbatim(blocker_text(b, lang)) for b in blocked]
            if chosen is None and len(blocked) < len(splits):
                details.append(Message("invoices.hint_issue_one_grant"))
            raise Refused(Message("invoices.cannot_issue", count=len(blocked), cluster=Verbatim(ledger.cluster.name)), *details)
        planned = pending_documents(opened.journal, splits, as_of=issue_date, grant=chosen)
        # The data folder's invoice numbers, read once for the counter check and every number taken.
        on_file = NumbersOnFile.read(opened.folder.parent) if planned else None
        if planned:
            from klyngefond.documents.issue import party_problems

            # An invoice's issuer needs payment details; a credit note asks for no payment.
            problems = party_problems(ledger, [d.issuer for d in planned if d.kind == "invoice"],
                                      [d.recipient for d in planned] + [d.issuer for d in planned if d.kind == "credit_note"])
            if problems:
                raise Refused(Message("invoices.party_problems"), *problems)
            # Everything that could stop the documents is checked before the first number is taken.
            _refuse_unsafe_text(ledger, planned)
            _refuse_counters_behind(opened, [d.issuer for d in planned], issue_date.year, on_file)
        # What an earlier, interrupted run left: invoices without documents, stray temporary files.
        earlier, elsewhere = _unfinished(opened, out)
        if planned:
            # Made before the first number is taken: a run stopped between recording and
            # writing then leaves a documents folder, which the next run completes.
            _make_documents_folder(_folder(opened.ledger, out))
        # The rules are run once over everything to be issued (no rule depends on the numbers,
        # which are not taken yet); only if they refuse is each document checked on its own, to
        # name the one refused. Then each gets its number and is written.
        batch_passes = _passes_together(opened, planned, issue_date, due_date)
        for doc in planned:
            invoice = _new_invoice(opened, doc, issue_date, due_date, chosen_format, on_file)
            opened = _record_invoice(opened, invoice, lang, checked=batch_passes)
            issued.append(invoice)
    ledger = opened.ledger
    to_write = [*earlier, *issued]
    if as_json:
        run = _write_documents(ledger, to_write, _folder(ledger, out), force, lang, chosen_format) if to_write else None
        emit_json({"issued": [document_json(i) for i in issued], "completed": [i.number for i in earlier],
                   "earlier_elsewhere": elsewhere, "documents": _run_json(run, _folder(ledger, out))})
    else:
        _print_issued(ledger, issued, issue_date, lang)
        if earlier:
            _say(t("integrity.completing_documents", lang, count=len(earlier), folder=str(_folder(ledger, out))))
        if elsewhere:
            _say(t("integrity.documents_elsewhere", lang, count=elsewhere, folder=str(_folder(ledger, out)),
                   cluster=Verbatim(ledger.cluster.id)))
        run = _write_documents(ledger, to_write, _folder(ledger, out), force, lang, chosen_format) if to_write else None
        if run is not None:
            _print_run(run, _folder(ledger, out), lang)
    if run is not None:
        _refuse_left_files(run)


def _new_invoice(opened: Opened, doc: Any, issue_date: dt.date, due_date: dt.date, chosen_format: str | None,
                 on_file: NumbersOnFile | None = None) -> Invoice:
    """The record of planned document ``doc``: its number, and what its documents say (as the
    cluster file and the journal, with the documents recorded so far, stand now)."""
    from klyngefond.documents.issue import issued_as, with_texts

    snapshot = issued_as(opened.ledger, opened.journal, kind=doc.kind, grant_id=doc.grant, issuer_id=doc.issuer,
                         recipient_id=doc.recipient, amount=doc.amount, credits=doc.credits, cause=doc.cause, on=issue_date,
                         chosen_format=chosen_format)
    credit = doc.kind == "credit_note"
    return with_texts(Invoice(_next_number(opened, doc.issuer, issue_date.year, on_file), doc.kind, doc.issuer, doc.recipient, doc.grant,
                              doc.amount, issue_date, None if credit else due_date, doc.credits, cause=doc.cause, issued_as=snapshot))


def _next_number(opened: Opened, issuer: str, year: int, on_file: NumbersOnFile | None = None) -> str:
    """The issuer's next short number for ``year``, unique across the data folder (``storage/numbering.py``)."""
    partner = opened.ledger.cluster.partner(issuer)
    assert partner is not None  # the loader checked every id
    try:
        return next_invoice_number(opened.folder.parent, opened.ledger.cluster.id, partner, year,
                                   taken=lambda number: opened.ledger.invoice(number) is not None, on_file=on_file)
    except SequenceError as exc:
        raise Refused(Message("invoices.sequence_broken", path=str(exc.path)), Message("invoices.hint_sequence")) from None
    except PrefixTaken as exc:
        from klyngefond.documents.issue import partner_key

        kind, _, value = exc.holder.partition(":")
        holder = f"CVR {value}" if kind == "cvr" else value
        namesake = next((p for p in opened.ledger.cluster.partners if p.cvr and f"cvr:{p.cvr.strip()}" == exc.holder), None)
        if namesake is not None:
            holder += f", {namesake.name}"
        raise Refused(Message("invoices.prefix_taken", prefix=exc.prefix, partner=Verbatim(partner.name), holder=Verbatim(holder),
                              file=str(exc.counter_file)),
                      Message("invoices.hint_prefix", key=Verbatim(partner_key(opened.ledger, issuer, "invoice_prefix")))) from None


def _unfinished(opened: Opened, out: Path | None) -> tuple[list[Invoice], int]:
    """Invoices issued earlier whose documents are missing from the documents folder, to be
    written now; old stray temporary files are removed on the way.

    Only in a documents folder that exists: where there is none (``--issue`` run from another
    folder than usual, or with another ``--out``), the earlier documents are elsewhere, not
    missing, and are not all written again; their count is returned instead (``check`` and
    ``repair`` look at them the same way).
    """
    folder = _folder(opened.ledger, out)
    remove_strays(stray_temporaries([opened.folder, folder]))
    if not folder.is_dir():
        return [], len(opened.ledger.invoices)
    return [invoice for invoice, _ in missing_documents(opened.ledger, folder)], 0


def _make_documents_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from klyngefond.cli.faults import os_error_words

        message, _ = os_error_words(exc)  # its hints are about the data folder
        raise Refused(message, Message("invoices.hint_documents_folder", folder=str(folder))) from None


def _refuse_counters_behind(opened: Opened, issuers: list[str], year: int, on_file: NumbersOnFile | None) -> None:
    """A counter lowered by hand (or restored from an old copy) stops issuing, and is left as it is.

    Numbering would skip every number on file anyway, so no number could be used twice; but
    a counter behind the files says that something was restored or edited, which a person
    should look at (``check`` reports it, ``repair`` raises it).
    """
    refuse_linked(opened.folder, "invoices")
    try:
        behind = counters_behind(opened.ledger, opened.folder, issuers, [year], on_file=on_file)
    except SequenceError as exc:
        raise Refused(Message("invoices.sequence_broken", path=str(exc.path)), Message("invoices.hint_sequence")) from None
    if behind:
        first = behind[0]
        raise Refused(Message("integrity.sequence_behind", path=str(first.counter_file), issuer=first.key, last=first.last,
                              number=first.number),
                      Message("integrity.nothing_issued"),
                      *[Message("integrity.hint_sequence_behind", path=str(b.counter_file), issuer=b.key, used=b.used,
                                cluster=Verbatim(opened.folder.name)) for b in behind])


def _refuse_unsafe_text(ledger: Ledger, planned: Any) -> None:
    """Refuse, before anything is recorded, text the documents could not carry (named by file and key).

    The loader refuses such text in every file; this is the same rule once more at the
    last moment, because a recorded invoice whose documents cannot be made is a half-done issue.
    """
    from klyngefond.documents.issue import partner_key

    cluster_file = ledger.folder / "cluster.toml"
    found: list[Problem] = []
    _unsafe_fields(ledger.cluster.name, cluster_file, "name", found)
    for pid in dict.fromkeys([d.issuer for d in planned] + [d.recipient for d in planned]):
        partner = ledger.cluster.partner(pid)
        if partner is not None:
            _unsafe_fields(partner, cluster_file, partner_key(ledger, pid, "")[:-1], found)
    for gid in dict.fromkeys(d.grant for d in planned):
        grant = ledger.grant(gid)
        if grant is not None:
            _unsafe_fields(grant, ledger.origins.get(ref("grants", gid), ledger.folder / "grants" / f"{gid}.toml"), "", found)
    if found:
        raise Refused(Message("integrity.unsafe_text"), *[problem_words(p) for p in found])


def _unsafe_fields(value: Any, path: Path, key: str, found: list[Any]) -> None:
    """Every text in ``value`` (a record, recursively) with a character no document can carry."""

    if isinstance(value, str):
        bad = control_characters(value, multiline=True)
        if bad:
            found.append(Problem(path, key or None, Message("validate.control_characters", characters=bad),
                                 Message("validate.hint_control")))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _unsafe_fields(getattr(value, field.name), path, f"{key}.{field.name}" if key else field.name, found)
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value, start=1):
            _unsafe_fields(item, path, f"{key}[{index}]", found)




def _passes_together(opened: Opened, planned: Any, issue_date: dt.date, due_date: dt.date) -> bool:
    """Whether the rules accept every planned document together (checked with stand-in numbers)."""
    # "~" is not allowed in an id, so a stand-in number is never the number of an invoice on file.
    stand_ins = tuple(Invoice(f"~{n}", doc.kind, doc.issuer, doc.recipient, doc.grant, doc.amount, issue_date,
                              None if doc.kind == "credit_note" else due_date, doc.credits, cause=doc.cause)
                      for n, doc in enumerate(planned, start=1))
    _, problems = new_problems_for(opened, stand_ins, "invoices", today())
    return not any(p.code in REFUSING for p in problems)


def _record_invoice(opened: Opened, invoice: Invoice, lang: str, *, checked: bool = False) -> Opened:
    """Check ``invoice`` against the journal's rules (unless the whole issuing was ``checked``
    together), write it as a new file, and return the cluster with it added."""
    if checked:
        journal = with_record(opened.journal, opened.ledger.with_records(invoices=(invoice,)), "invoices", invoice)
    else:
        journal, problems = new_problems(opened, invoice, "invoices", today())
        refusing = [p for p in problems if p.code in REFUSING]
        if refusing:
            raise Refused(Message("invoices.refused_by_rules", number=invoice.number), *[problem_words(p) for p in refusing])
    try:
        path = write_record(opened.folder, "invoices", invoice, file_header(invoice, lang))
    except TargetExistsError:
        raise Refused(Message("recording.raced", id=invoice.number), Message("recording.hint_raced")) from None
    ledger = opened.ledger.with_records(invoices=(invoice,))
    ledger = replace(ledger, origins={**ledger.origins, ref("invoices", invoice.number): path})
    return Opened(opened.folder, ledger, journal, opened.warnings)


def file_header(invoice: Invoice, lang: str) -> str:
    """The comment at the top of an invoice file: who wrote it, when, and how to correct it (never by editing)."""
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    words = t("invoices.file_header", lang, kind=Message(f"invoices.kind_{invoice.kind}"), stamp=stamp)
    return "".join(f"# {line}\n" for line in words.splitlines()) + "\n"


def _print_issued(ledger: Ledger, issued: list[Invoice], issue_date: dt.date, lang: str) -> None:
    if not issued:
        _say(t("invoices.nothing_to_issue", lang))
        return

    heading = t("invoices.issued_title", lang, count=len(issued), date=issue_date)
    emit_text(lambda width: render_text(issued_table(ledger.cluster, issued, lang, heading), lang, width))


# --------------------------------------------------------------------------- documents


def _folder(ledger: Ledger, out: Path | None) -> Path:
    return out if out is not None else DOCUMENTS_FOLDER / ledger.cluster.id


def rewrite_documents(cluster: str, data: Path | None, grant: str | None, out: Path | None, force: bool, lang: str,
                      as_json: bool, chosen_format: str | None = None) -> None:
    """Write the PDF and e-invoice of everything issued (or of one grant) again: as they were issued
    (``issued_as``); invoices issued before that was kept, from the cluster file as it is."""
    from klyngefond.documents.issue import party_problems

    # Documents are written from what the invoice files say now: no record taken on trust.
    opened = open_cluster(cluster, data, verify="content")
    ledger = opened.ledger
    chosen = _grant(ledger, grant)
    issued = [i for i in ledger.invoices if chosen is None or i.grant == chosen]
    if not issued:
        raise Refused(Message("invoices.none_issued", cluster=Verbatim(ledger.cluster.name)),
                      Message("invoices.hint_issue_first", command=Verbatim(f"klyngefond invoices {ledger.cluster.id} --issue")))
    older = [i for i in issued if i.issued_as is None]
    problems = party_problems(ledger, [i.issuer for i in older if not i.is_credit_note], [i.recipient for i in older]
                              + [i.issuer for i in older if i.is_credit_note])
    if problems:
        raise Refused(Message("invoices.party_problems_documents"), *problems)
    folder = _folder(ledger, out)
    run = _write_documents(ledger, issued, folder, force, lang, chosen_format)
    if as_json:
        emit_json({"documents": _run_json(run, folder)})
    else:
        _print_run(run, folder, lang)
    _refuse_left_files(run)


def _write_documents(ledger: Ledger, issued: list[Invoice], folder: Path, force: bool, lang: str,
                     chosen_format: str | None = None) -> Any:
    from klyngefond.documents.issue import InvalidDocument, partner_key, write_documents
    from klyngefond.documents.model import DocumentError, PaymentError

    again = Message("invoices.hint_write_again", command=Verbatim(f"klyngefond invoices {ledger.cluster.id} --documents"))
    try:
        return write_documents(ledger, issued, folder, force=force, lang=lang, progress=_is_terminal(), chosen_format=chosen_format)
    except InvalidDocument as exc:
        raise Refused(Message("invoices.document_invalid", number=exc.number), *[Verbatim(p) for p in exc.problems], again) from None
    except DocumentError as exc:
        key = partner_key(ledger, exc.partner, exc.field) if ledger.cluster.partner(exc.partner) else exc.field
        raise Refused(Message("invoices.document_party", partner=exc.partner, problem=exc.reason, key=Verbatim(key)),
                      again) from None
    except PaymentError as exc:  # pragma: no cover - party_problems found it before issuing
        raise Refused(exc.message, again) from None
    except WriteError as exc:
        from klyngefond.cli.faults import hint_for

        raise Refused(Message("cli.cannot_write", path=str(exc.path), reason=Message(exc.reason)), hint_for(exc.reason), again) from None
    except OSError as exc:
        from klyngefond.cli.faults import os_error_words

        message, hints = os_error_words(exc)
        raise Refused(message, *hints, again) from None
    except (ValueError, UnicodeError) as exc:
        # Text a document cannot carry that slipped past every check: the invoices stay recorded, the
        # documents are written once the data is put right.
        raise Refused(Message("integrity.documents_failed", folder=str(folder), kind=type(exc).__name__),
                      Message("integrity.hint_documents_failed", cluster=Verbatim(ledger.cluster.id))) from None


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _run_json(run: Any, folder: Path) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"folder": str(folder), "schema_checked": run.schema_checked,
            "files": [{"path": str(f.path), "outcome": f.outcome} for f in run.files]}


def _print_run(run: Any, folder: Path, lang: str) -> None:
    for outcome in ("written", "unchanged", "replaced"):
        count = run.count(outcome)
        if count:
            _say(t(f"invoices.files_{outcome}", lang, count=count, folder=str(folder)))
    if not run.schema_checked:
        _say("klyngefond: " + t("invoices.no_schema", lang), err=True)


def _refuse_left_files(run: Any) -> None:
    """Files that exist with other content were left untouched: say which, and end with exit 1."""
    if run.refused:
        raise Refused(Message("invoices.files_left", count=len(run.refused)),
                      *[Message("invoices.file_exists", path=str(f.path)) for f in run.refused],
                      Message("invoices.hint_force"))
