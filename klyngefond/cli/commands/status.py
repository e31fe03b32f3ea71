"""`klyngefond status`: per partner what was received, committed and what remains; per grant its split."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster, today
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import EXPORT, EXPORT_FORMATS, READING, VIEW, ClusterArgument, with_options
from klyngefond.cli.output import deliver, export_format
from klyngefond.render import status_view
from klyngefond.reports.status import build_status
from klyngefond.reports.view import View

app = typer.Typer()


@app.command("status", help=h("cli.help_status"), epilog=h("cli.example_status"))
@with_options(VIEW + READING + EXPORT)
def status(
    cluster: ClusterArgument,
    grant: Annotated[str | None, typer.Option("--grant", help=h("cli.help_status_grant"), show_default=False,
                                              metavar=h("cli.metavar_grant"))] = None,
    all_grants: Annotated[bool, typer.Option("--all-grants", help=h("cli.help_all_grants"))] = False,
    opts: Any = None,
) -> None:
    lang = parse.lang(opts.lang)
    fmt = export_format(opts, EXPORT_FORMATS)
    view = View(parse.year_span(opts.year, "--year"), parse.date(opts.as_of, "--as-of"))
    opened = open_cluster(cluster, opts.data)
    report = build_status(opened.ledger, opened.journal, view, today())
    if grant is not None:
        chosen = parse.grant(opened.ledger, grant, "--grant")
        report = status_view.only_grant(report, chosen)
        all_grants = True
    deliver(fmt, output=opts.output, force=opts.force, lang=lang,
            document=lambda: status_view.status_document(report, lang, today()),
            text=lambda width: status_view.render_text(report, lang, width, all_grants=all_grants),
            json_payload=lambda: status_view.status_json(report, lang))
