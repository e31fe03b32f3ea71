"""`klyngefond applications`: applied against granted, per grant and in total."""

from __future__ import annotations

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import ClusterArgument, DataOption, JsonOption, LangOption, YearOption
from klyngefond.cli.output import emit_json, emit_text

app = typer.Typer()


@app.command("applications", help=h("applications.help"), epilog=h("applications.example"))
def applications(
    cluster: ClusterArgument,
    year: YearOption = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    from klyngefond.render import applications_view
    from klyngefond.reports.applications import build_applications

    lang = parse.lang(lang)
    span = parse.year_span(year, "--year")
    opened = open_cluster(cluster, data)
    report = build_applications(opened.ledger, opened.journal, span)
    if as_json:
        emit_json(applications_view.applications_json(report, lang))
        return
    emit_text(lambda width: applications_view.render_text(report, lang, width))
