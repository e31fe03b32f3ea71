"""`klyngefond export`: the journal as an hledger or beancount file."""

from __future__ import annotations

from typing import Annotated

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import open_cluster
from klyngefond.cli.errors import UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import ClusterArgument, DataOption, ForceOption, LangOption, OutputOption
from klyngefond.cli.output import write_file
from klyngefond.i18n import Message, Verbatim, t
from klyngefond.render import export_view
from klyngefond.render.terminal import safe_print

app = typer.Typer()


@app.command("export", help=h("export.help"), epilog=h("export.example"))
def export(
    cluster: ClusterArgument,
    fmt: Annotated[str, typer.Option("--format", help=h("export.help_format"), show_default=False)],
    output: OutputOption = None,
    force: ForceOption = False,
    data: DataOption = None,
    lang: LangOption = None,
) -> None:
    lang = parse.lang(lang)
    chosen = fmt.strip().lower()
    if chosen not in export_view.FORMATS:
        raise UsageProblem(Message("export.unknown_format", value=Verbatim(fmt)), Message("export.hint_format"))
    opened = open_cluster(cluster, data)
    content = export_view.export(opened.journal, chosen, lang)
    if output is None:
        typer.echo(content, nl=False)
        return
    write_file(output, content.encode("utf-8"), force=force)
    safe_print(t("cli.wrote", lang, path=str(output)), err=True)
