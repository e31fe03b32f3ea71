"""`klyngefond applications`: applied against granted, per grant and in total."""

from __future__ import annotations

from typing import Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster, today
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import EXPORT, EXPORT_FORMATS, READING, VIEW, ClusterArgument, with_options
from klyngefond.cli.output import deliver, export_format
from klyngefond.render import applications_view
from klyngefond.reports.applications import build_applications

app = typer.Typer()


@app.command("applications", help=h("applications.help"), epilog=h("applications.example"))
@with_options(VIEW + READING + EXPORT)
def applications(cluster: ClusterArgument, opts: Any = None) -> None:
    lang = parse.lang(opts.lang)
    fmt = export_format(opts, EXPORT_FORMATS)
    span = parse.year_span(opts.year, "--year")
    opened = open_cluster(cluster, opts.data)
    report = build_applications(opened.ledger, opened.journal, span, parse.date(opts.as_of, "--as-of"))
    deliver(fmt, output=opts.output, force=opts.force, lang=lang,
            document=lambda: applications_view.applications_document(report, lang, today()),
            text=lambda width: applications_view.render_text(report, lang, width),
            json_payload=lambda: applications_view.applications_json(report, lang))
