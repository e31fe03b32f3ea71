"""`klyngefond log`: every decision, change, carry-over and annulment in date order."""

from __future__ import annotations

from typing import Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster, today
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import EXPORT, EXPORT_FORMATS, READING, AsOfOption, ClusterArgument, OptionGroup, with_options
from klyngefond.cli.output import deliver, export_format
from klyngefond.render import log_view
from klyngefond.reports.log import build_log

app = typer.Typer()


@app.command("log", help=h("log.help"), epilog=h("log.example"))
@with_options(OptionGroup({"as_of": (AsOfOption, None)}) + READING + EXPORT)
def log(cluster: ClusterArgument, opts: Any = None) -> None:
    lang = parse.lang(opts.lang)
    fmt = export_format(opts, EXPORT_FORMATS)
    on = parse.date(opts.as_of, "--as-of")
    opened = open_cluster(cluster, opts.data)
    report = build_log(opened.ledger, opened.journal, on)
    deliver(fmt, output=opts.output, force=opts.force, lang=lang,
            document=lambda: log_view.log_document(report, lang, today()),
            text=lambda width: log_view.render_text(report, lang, width),
            json_payload=lambda: log_view.log_json(report, lang))
