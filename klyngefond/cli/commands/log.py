"""`klyngefond log`: every decision, change, carry-over and annulment in date order."""

from __future__ import annotations

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import AsOfOption, ClusterArgument, DataOption, JsonOption, LangOption
from klyngefond.cli.output import emit_json, emit_text

app = typer.Typer()


@app.command("log", help=h("log.help"), epilog=h("log.example"))
def log(
    cluster: ClusterArgument,
    as_of: AsOfOption = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    from klyngefond.render import log_view
    from klyngefond.reports.log import build_log

    lang = parse.lang(lang)
    on = parse.date(as_of, "--as-of")
    opened = open_cluster(cluster, data)
    report = build_log(opened.ledger, opened.journal, on)
    if as_json:
        emit_json(log_view.log_json(report, lang))
        return
    emit_text(lambda width: log_view.render_text(report, lang, width))
