"""`klyngefond closeout` and `reopen`: closing a cluster's books, with the settlement and the handover, and reopening them.

``closeout`` shows the closing statement first (a dry run); ``--record`` stores the closing
decision, after which every recording command refuses until ``reopen`` records a
reopening. ``--successor`` names who takes over what each partner has left (``NAME`` for
everyone, ``PARTNER=NAME`` for one), and ``--successor-data DIR`` starts each successor's
ledger in ``DIR`` (``storage/successor.py``). Running the same command again after an
interruption completes a handover that was left half-written.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, refuse_if_closed, today, writing
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import (
    BodyOption,
    ClusterArgument,
    DataOption,
    ForceOption,
    JsonOption,
    LangOption,
    LevelOption,
    OutputOption,
    OverrideOption,
    RecordOption,
    ReferenceOption,
)
from klyngefond.cli.output import ALIASES, emit_json, emit_text, write_file
from klyngefond.cli.recording import new_problems, record
from klyngefond.core.ids import IdError
from klyngefond.core.records import Closeout, Decision, Reopening, Transfer
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.journal import query
from klyngefond.journal.build import successor_id
from klyngefond.journal.model import Journal, Transaction
from klyngefond.render.closeout_view import render_statement, statement_json, statement_markdown
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.render.status_view import bullets
from klyngefond.reports.closeout import ClosingStatement, closing_statement, with_closeout
from klyngefond.storage import locate
from klyngefond.storage.successor import problem, successor_files, write_missing

app = typer.Typer()

FORMATS = ("table", "md", "json", "pdf")


def successors(ledger: Any, values: list[str] | None) -> tuple[str | None, dict[str, str]]:
    """``--successor NAME`` (everyone) and ``--successor PARTNER=NAME`` (one partner or group)."""
    default: str | None = None
    named: dict[str, str] = {}
    for value in values or []:
        who, sep, name = value.partition("=")
        if not sep:
            if default is not None:
                raise UsageProblem(Message("closeout.successor_twice"), Message("closeout.hint_successor"))
            default = parse.name(value, "--successor")
            _successor_id(default)
            continue
        holder = parse.holder(ledger, who, "--successor")
        if holder in named:
            raise UsageProblem(Message("cli.given_twice", option="--successor", partner=holder))
        named[holder] = parse.name(name, "--successor")
        _successor_id(named[holder])
    return default, named


def _successor_id(name: str) -> str:
    try:
        return successor_id(name)
    except IdError:  # a name without letters or digits
        raise UsageProblem(Message("cli.option_problem", option="--successor", problem=Message("closeout.successor_no_letters",
                                                                                           name=Verbatim(name)))) from None


def closeout_txn(journal: Journal, record: Closeout) -> Transaction:
    return next(t for t in journal.transactions if t.kind == "closeout" and t.record is record)


def successor_report(opened: Opened, journal: Journal, txn: Transaction, root: Path, lang: str, *, write: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """The successor files of a closeout: written when ``write``, else only looked at. Lines for people, entries for JSON."""
    if write and locate.is_shipped(root):
        raise Refused(Message("cli.shipped_data_read_only", path=str(root)), Message("cli.hint_shipped_data"))
    files = successor_files(opened.ledger, journal, txn, root, lang)
    blocking = [f for f in files if f.blocking]
    if blocking:
        raise Refused(Message("closeout.successor_blocked"), *[problem(f) for f in blocking], Message("closeout.hint_successor_blocked"))
    written = {f.path for f in write_missing(files)} if write else set()
    entries = []
    lines = []
    for file in files:
        state = "written" if file.path in written else file.state
        entries.append({"successor": file.successor, "successor_id": file.successor_id, "path": str(file.path), "state": state})
        lines.append(t(f"closeout.file_{state}", lang, file=Verbatim(shown_path(file.path)), successor=Verbatim(file.successor)))
    missing = sum(1 for e in entries if e["state"] == "missing")
    summary = t("closeout.files_complete" if not missing else "closeout.files_missing", lang, count=missing)
    return [bullets(t("closeout.successor_files_title", lang, folder=Verbatim(shown_path(root))), lines, None), summary], entries


def emit(statement: ClosingStatement, lang: str, fmt: str, output: Path | None, force: bool, extra: list[str],
         files: list[dict[str, Any]] | None) -> None:
    if fmt == "pdf":
        write_partner_pdfs(statement, lang, output, force)
        return
    if fmt == "json":
        payload = statement_json(statement, lang, files)
        if output is not None:

            write_file(output, (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), force=force)
            emit_text(lambda width: t("closeout.written", lang, file=Verbatim(shown_path(output))))
        else:
            emit_json(payload)
        return
    if fmt == "md":
        document = statement_markdown(statement, lang)
        if output is not None:
            write_file(output, document.encode("utf-8"), force=force)
            emit_text(lambda width: t("closeout.written", lang, file=Verbatim(shown_path(output))))
        else:
            emit_text(lambda width: document)
        return
    if output is not None:
        write_file(output, render_statement(statement, lang, None, extra).encode("utf-8"), force=force)
        emit_text(lambda width: t("closeout.written", lang, file=Verbatim(shown_path(output))))
        return
    emit_text(lambda width: render_statement(statement, lang, width, extra))


def write_partner_pdfs(statement: ClosingStatement, lang: str, folder: Path | None, force: bool) -> None:
    """One PDF per partner (``<cluster>-<partner>-<afslutning>-<date>.pdf``) in ``folder``
    (default ``afslutning/<cluster>``), for each finance office to file."""
    from klyngefond.render.closeout_view import partner_documents
    from klyngefond.render.doc_pdf import render

    folder = folder if folder is not None else Path(t("closeout.pdf_folder", lang)) / statement.cluster.id
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for holder, document in partner_documents(statement, lang, today()):
        path = folder / f"{statement.cluster.id}-{holder}-{t('closeout.pdf_stem', lang)}-{statement.date.isoformat()}.pdf"
        write_file(path, render(document), force=force)
        written.append(path)
    emit_text(lambda width: t("closeout.pdfs_written", lang, count=len(written), folder=Verbatim(shown_path(folder))))


@app.command("closeout", help=h("closeout.help"), epilog=h("closeout.example"))
def closeout(
    cluster: ClusterArgument,
    date: Annotated[str | None, typer.Option("--date", help=h("closeout.help_date"), show_default=False,
                                             metavar=h("cli.metavar_date"))] = None,
    successor: Annotated[list[str] | None, typer.Option("--successor", help=h("closeout.help_successor"), show_default=False,
                                                        metavar=h("closeout.metavar_successor"))] = None,
    successor_data: Annotated[Path | None, typer.Option("--successor-data", help=h("closeout.help_successor_data"),
                                                        show_default=False, metavar=h("closeout.metavar_dir"))] = None,
    record_it: RecordOption = False,
    level: LevelOption = None,
    decided: Annotated[str | None, typer.Option("--decided", help=h("closeout.help_decided"), show_default=False,
                                                metavar=h("cli.metavar_date"))] = None,
    body: BodyOption = None,
    reference: ReferenceOption = None,
    note: Annotated[str | None, typer.Option("--note", help=h("closeout.help_note"), show_default=False)] = None,
    override: OverrideOption = None,
    fmt: Annotated[str, typer.Option("--format", help=h("closeout.help_format"))] = "table",
    output: OutputOption = None,
    force: ForceOption = False,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    fmt = "json" if as_json else ALIASES.get(fmt.strip().lower(), fmt.strip().lower())  # text, markdown: the other reports' aliases
    if fmt not in FORMATS:
        raise UsageProblem(Message("closeout.unknown_format", value=Verbatim(fmt)), Message("cli.hint_use_one_of", choices=list(FORMATS)))
    on = parse.date(date, "--date")
    decided_on = parse.date(decided, "--decided")
    if decided_on is not None and level is None:
        raise UsageProblem(Message("closeout.decided_needs_level"), Message("proposals.hint_record_needs"))
    chosen = None
    if level is not None:
        chosen = Decision(parse.level(level), decided_on or on or today(), body=parse.text_value(body, "--body"),  # type: ignore[arg-type]
                          reference=parse.text_value(reference, "--reference"))
    note = parse.text_value(note, "--note", multiline=True)
    override = parse.text_value(override, "--override")

    def make(opened: Opened, record_id: str = "regnskabsafslutning", why: str | None = None,
             settlement: tuple[Transfer, ...] = ()) -> Closeout:
        default, named = successors(opened.ledger, successor)
        return Closeout(record_id, on, chosen, default, named, settlement, note, why)  # type: ignore[arg-type]

    def proposed(opened: Opened) -> tuple[Closeout, Journal, ClosingStatement, Transaction]:
        """The closeout the options describe, with the settlement it decides; the journal and statement with it."""
        probe = make(opened)
        journal, problems = new_problems(opened, probe, "closeouts", today())
        unapplied = [p for p in problems if p.code == "journal"]
        if unapplied:
            raise Refused(Message("closeout.cannot_close"), *[problem_words(p) for p in unapplied])
        statement = closing_statement(opened.ledger, journal, on, probe)  # type: ignore[arg-type]
        settled = tuple(Transfer(p.payer, p.payee, p.amount) for p in statement.transfers)
        return make(opened, settlement=settled), journal, statement, closeout_txn(journal, probe)

    def recorded_statement(opened: Opened, txn: Transaction) -> ClosingStatement:
        where = opened.ledger.origins.get(txn.ref)
        return with_closeout(closing_statement(opened.ledger, opened.journal, txn.date, txn.record), txn.ref,  # type: ignore[arg-type]
                             shown_path(where) if where else None)

    if not record_it:
        opened = open_cluster(cluster, data)
        in_force = query.closeout_in_force(opened.journal)
        extra: list[str] = []
        files = None
        if in_force is not None:
            statement = recorded_statement(opened, in_force)
            if successor_data is not None:
                extra, files = successor_report(opened, opened.journal, in_force, successor_data, lang, write=False)
        else:
            if on is None:
                raise UsageProblem(Message("closeout.needs_date"), Message("closeout.hint_date"))
            _, journal, statement, txn = proposed(opened)
            if successor_data is not None:
                extra, files = successor_report(opened, journal, txn, successor_data, lang, write=False)
        emit(statement, lang, fmt, output, force, extra, files)
        return

    if on is None:
        raise UsageProblem(Message("closeout.needs_date"), Message("closeout.hint_date"))
    with writing(cluster, data, closed_books_ok=True) as opened:
        in_force = query.closeout_in_force(opened.journal)
        if in_force is not None:
            # Closed books allow one thing: completing the handover of the closeout that closed them.
            asked = make(opened)
            done: Closeout = in_force.record  # type: ignore[assignment]
            same = (asked.date, asked.successor, asked.successors) == (done.date, done.successor, done.successors)
            if successor_data is None or (successor and not same) or on != done.date:
                refuse_if_closed(opened)
            extra, files = successor_report(opened, opened.journal, in_force, successor_data, lang, write=True)  # type: ignore[arg-type]
            statement = recorded_statement(opened, in_force)
        else:
            if on > today() and chosen is None and not override:
                raise Refused(Message("closeout.future", date=on), Message("closeout.hint_future"))
            candidate, journal, _, txn = proposed(opened)
            if successor_data is not None:  # a successor file in the way refuses before anything is recorded
                successor_report(opened, journal, txn, successor_data, lang, write=False)
            stem = parse.slug(f"{on.isoformat()}-{t('closeout.file_closeout', lang)}", "--date")
            outcome = record(opened, "closeouts", lambda cid, why: replace(candidate, id=cid, override=why), stem,
                             command="closeout --record", lang=lang, today=today(), override=override)
            txn = closeout_txn(outcome.journal, outcome.record)
            statement = closing_statement(opened.ledger, outcome.journal, on, outcome.record)
            statement = with_closeout(statement, txn.ref, shown_path(outcome.path))
            extra, files = [], None
            if outcome.warnings:
                extra.append(bullets(t("proposals.warnings_title", lang), [text(problem_words(p), lang) for p in outcome.warnings], None))
            if successor_data is not None:
                more, files = successor_report(opened, outcome.journal, txn, successor_data, lang, write=True)
                extra += more
    emit(statement, lang, fmt, output, force, extra, files)


@app.command("reopen", help=h("closeout.help_reopen"), epilog=h("closeout.example_reopen"))
def reopen(
    cluster: ClusterArgument,
    date: Annotated[str | None, typer.Option("--date", help=h("closeout.help_reopen_date"), show_default=False,
                                             metavar=h("cli.metavar_date"))] = None,
    reason: Annotated[str | None, typer.Option("--reason", help=h("closeout.help_reason"), show_default=False)] = None,
    record_it: RecordOption = False,
    level: LevelOption = None,
    body: BodyOption = None,
    reference: ReferenceOption = None,
    override: OverrideOption = None,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    override = parse.text_value(override, "--override")
    why = parse.text_value(reason, "--reason", multiline=True)
    if why is None:
        raise UsageProblem(Message("closeout.reopen_needs_reason"), Message("closeout.hint_reopen_reason"))
    on = parse.date(date, "--date")
    if on is None:
        raise UsageProblem(Message("closeout.reopen_needs_date"), Message("closeout.hint_date"))
    chosen = Decision(parse.level(level), on, body=parse.text_value(body, "--body"),  # type: ignore[arg-type]
                      reference=parse.text_value(reference, "--reference")) if level is not None else None

    def closed_by(opened: Opened) -> Transaction:
        in_force = query.closeout_in_force(opened.journal)
        if in_force is None:
            raise Refused(Message("closeout.not_closed", cluster=Verbatim(opened.ledger.cluster.name)))
        return in_force

    def make(opened: Opened, record_id: str = "genaabning", because: str | None = None) -> Reopening:
        return Reopening(record_id, closed_by(opened).record.id, on, why, chosen, because)  # type: ignore[arg-type, attr-defined]

    file = None
    if not record_it:
        opened = open_cluster(cluster, data)
        in_force = closed_by(opened)
    else:
        with writing(cluster, data, closed_books_ok=True) as opened:
            in_force = closed_by(opened)
            stem = parse.slug(f"{on.isoformat()}-{t('closeout.file_reopening', lang)}", "--date")
            outcome = record(opened, "reopenings", lambda cid, w: make(opened, cid, w), stem, command="reopen --record",
                             lang=lang, today=today(), override=override)
            file = shown_path(outcome.path)
    where = opened.ledger.origins.get(in_force.ref)
    params = {"cluster": Verbatim(opened.ledger.cluster.name), "date": on, "closed": in_force.date,
              "closeout": Verbatim(shown_path(where) if where else in_force.ref), "reason": Verbatim(why)}
    if as_json:
        emit_json({"cluster": opened.ledger.cluster.id, "closeout": in_force.ref, "closed": in_force.date.isoformat(),
                   "date": on.isoformat(), "reason": why, "recorded": file is not None, "file": file})
        return
    lines = [t("closeout.reopen_recorded" if file else "closeout.reopen_proposal", lang, **params),
             t("closeout.reopen_handover", lang)]
    lines.append(t("proposals.saved", lang, file=Verbatim(file)) if file else t("closeout.reopen_dry_run", lang))
    emit_text(lambda width: "\n\n".join(lines))

