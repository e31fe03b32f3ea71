"""`klyngefond status`: per partner what was received, committed and what remains; per grant its split."""

from __future__ import annotations

from typing import Annotated

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster, today
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import AsOfOption, ClusterArgument, DataOption, JsonOption, LangOption, YearOption
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.render import status_view
from klyngefond.reports.status import build_status
from klyngefond.reports.view import View

app = typer.Typer()


@app.command("status", help=h("cli.help_status"), epilog=h("cli.example_status"))
def status(
    cluster: ClusterArgument,
    year: YearOption = None,
    as_of: AsOfOption = None,
    grant: Annotated[str | None, typer.Option("--grant", help=h("cli.help_status_grant"), show_default=False, metavar=h("cli.metavar_grant"))] = None,
    all_grants: Annotated[bool, typer.Option("--all-grants", help=h("cli.help_all_grants"))] = False,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    view = View(parse.year_span(year, "--year"), parse.date(as_of, "--as-of"))
    opened = open_cluster(cluster, data)
    report = build_status(opened.ledger, opened.journal, view, today())
    if grant is not None:
        chosen = parse.grant(opened.ledger, grant, "--grant")
        report = status_view.only_grant(report, chosen)
        all_grants = True
    if as_json:
        emit_json(status_view.status_json(report, lang))
        return
    emit_text(lambda width: status_view.render_text(report, lang, width, all_grants=all_grants))
