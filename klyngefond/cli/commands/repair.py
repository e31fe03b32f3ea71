"""`klyngefond repair`: complete what an interrupted command left half done.

Under the cluster's lock: removes stray temporary files older than a minute (a younger one
may belong to a command still writing), writes the PDF and XML of every issued invoice
whose documents are missing from the documents folder, and raises a counter file that is
behind the invoice numbers on file to the highest of them. Nothing a person wrote is
changed, and running it twice does nothing the second time. ``klyngefond check`` lists
the same things as findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import writing
from klyngefond.cli.errors import Refused
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import ClusterArgument, DataOption, JsonOption, LangOption
from klyngefond.cli.output import emit_json
from klyngefond.i18n import Message, t

app = typer.Typer(add_completion=False)


@app.command("repair", help=h("integrity.help_repair"), epilog=h("integrity.example_repair"))
def repair(
    cluster: ClusterArgument,
    out: Annotated[Path | None, typer.Option("--out", help=h("integrity.help_out"), show_default=False)] = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    from klyngefond.cli.commands.invoices import _print_run, _refuse_left_files, _run_json, _say, _write_documents
    from klyngefond.documents.issue import party_problems
    from klyngefond.storage.leftovers import counters_behind, documents_folder, missing_documents, remove_strays, stray_temporaries
    from klyngefond.storage.sequence import SequenceError, raise_to

    lang = parse.lang(lang)
    with writing(cluster, data) as opened:
        ledger = opened.ledger
        folder = documents_folder(ledger, out)
        strays = stray_temporaries([opened.folder, folder])
        removed = remove_strays(strays)
        young = [s.path for s in strays if not s.old]
        try:
            behind = counters_behind(ledger, opened.folder)
        except SequenceError as exc:
            raise Refused(Message("invoices.sequence_broken", path=str(exc.path)), Message("invoices.hint_sequence")) from None
        raised = [(b, raise_to(b.counter_file, b.key, b.used)) for b in behind]
        missing = [invoice for invoice, _ in missing_documents(ledger, folder)]
    if missing:
        problems = party_problems(ledger, [i.issuer for i in missing], [i.recipient for i in missing])
        if problems:
            raise Refused(Message("invoices.party_problems_documents"), *problems)
    run = _write_documents(ledger, missing, folder, False, lang) if missing else None
    if as_json:
        emit_json({
            "removed": [str(p) for p in removed],
            "left": [str(p) for p in young],
            "counters": [{"file": str(b.counter_file), "key": b.key, "from": before, "to": b.used} for b, before in raised],
            "completed": [i.number for i in missing],
            "documents": _run_json(run, folder),
        })
    else:
        for path in removed:
            _say(t("integrity.removed_stray", lang, path=str(path)))
        for path in young:
            _say(t("integrity.left_stray", lang, path=str(path)))
        for b, before in raised:
            _say(t("integrity.raised_counter", lang, path=str(b.counter_file), issuer=b.key, before=before, after=b.used))
        if missing:
            _say(t("integrity.completing_documents", lang, count=len(missing), folder=str(folder)))
        if run is not None:
            _print_run(run, folder, lang)
        if not (removed or young or raised or missing):
            _say(t("integrity.nothing_to_repair", lang, cluster=ledger.cluster.name, folder=str(folder)))
    if run is not None:
        _refuse_left_files(run)


