"""`klyngefond report`: the meeting pack as Markdown, Excel, PDF or HTML, to attach to the agenda.

The document libraries (Typst for the PDF, xlsxwriter for Excel) are imported only when
that format is written, so no other command pays for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster, today
from klyngefond.cli.errors import UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DOCUMENT_FORMATS, READING, VIEW, ClusterArgument, output_options, with_options
from klyngefond.cli.output import choose_format, deliver
from klyngefond.i18n import Message, t
from klyngefond.render.pack_view import pack_document, pack_json
from klyngefond.reports.meeting import build_pack
from klyngefond.reports.view import View

app = typer.Typer(add_completion=False)

SinceOption = Annotated[str | None, typer.Option("--since", help=h("report.help_since"), show_default=False,
                                                 metavar=h("cli.metavar_date"))]
REPORT_OPTIONS = READING + VIEW + \
    output_options(DOCUMENT_FORMATS, None, format_help="report.help_format", output_help="report.help_output")


@app.command("report", help=h("report.help"), epilog=h("report.example"))
@with_options(REPORT_OPTIONS)
def report(cluster: ClusterArgument, since: SinceOption = None,
           closing: Annotated[str | None, typer.Option("--closing", help=h("report.help_closing"), show_default=False,
                                                       metavar=h("cli.metavar_date"))] = None,
           opts: Any = None) -> None:
    lang = parse.lang(opts.lang)
    fmt = choose_format(opts.output_format, DOCUMENT_FORMATS, opts.output)
    if opts.as_json:
        if opts.output_format is not None:
            raise UsageProblem(Message("report.json_and_format", format=fmt))
        fmt = "json"
    if fmt is None:
        raise UsageProblem(Message("report.needs_format", choices=list(DOCUMENT_FORMATS)))
    view = View(parse.year_span(opts.year, "--year"), parse.date(opts.as_of, "--as-of"))
    from_day = parse.date(since, "--since")
    opened = open_cluster(cluster, opts.data)
    pack = build_pack(opened.ledger, opened.journal, view, from_day, today(), parse.date(closing, "--closing"))
    if fmt == "json":  # like every --json: to the screen unless --output names a file
        output = opts.output
    else:
        output = opts.output if opts.output is not None else default_name(opened.ledger.cluster.id, pack.on, fmt, lang)
    deliver(fmt, output=output, force=opts.force, lang=lang, document=lambda: pack_document(pack, lang),
            json_payload=lambda: pack_json(pack, lang))


def default_name(cluster_id: str, on: Any, fmt: str, lang: str) -> Path:
    """``sydvestjylland-moedemappe-2024-03-01.pdf`` (``…-meeting-pack-…`` in English), in the current folder."""
    return Path(f"{cluster_id}-{t('report.file_stem', lang)}-{on.isoformat()}.{fmt}")
