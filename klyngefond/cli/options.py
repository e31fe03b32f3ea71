"""The options every command shares, defined once.

They are ``Annotated`` aliases, so a command lists ``data: DataOption = None`` and typer
does the rest; help texts are worded in the run's language when the command is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klyngefond.cli.language import help_text as h

ClusterArgument = Annotated[str, typer.Argument(help=h("cli.help_cluster"), show_default=False, metavar=h("cli.metavar_cluster"))]
DataOption = Annotated[Path | None, typer.Option("--data", envvar="KLYNGEFOND_DATA", help=h("cli.help_data"), show_default=False)]
LangOption = Annotated[str, typer.Option("--lang", envvar="KLYNGEFOND_LANG", help=h("cli.help_lang"))]
JsonOption = Annotated[bool, typer.Option("--json", help=h("cli.help_json"))]
AsOfOption = Annotated[str | None, typer.Option("--as-of", help=h("cli.help_as_of"), show_default=False, metavar=h("cli.metavar_date"))]
YearOption = Annotated[str | None, typer.Option("--year", help=h("cli.help_year"), show_default=False, metavar=h("cli.metavar_year"))]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help=h("cli.help_output"), show_default=False)]
ForceOption = Annotated[bool, typer.Option("--force", help=h("cli.help_force"))]
RecordOption = Annotated[bool, typer.Option("--record", help=h("cli.help_record"))]
DateOption = Annotated[str | None, typer.Option("--date", help=h("cli.help_date"), show_default=False, metavar=h("cli.metavar_date"))]
LevelOption = Annotated[str | None, typer.Option("--level", help=h("cli.help_level"), show_default=False)]
BodyOption = Annotated[str | None, typer.Option("--body", help=h("cli.help_body"), show_default=False)]
ReferenceOption = Annotated[str | None, typer.Option("--reference", help=h("cli.help_reference"), show_default=False)]
OverrideOption = Annotated[str | None, typer.Option("--override", metavar=h("cli.metavar_reason"), help=h("cli.help_override"),
                                                    show_default=False)]
NoteOption = Annotated[list[str] | None, typer.Option("--note", help=h("cli.help_note"), show_default=False)]
SourceOption = Annotated[str | None, typer.Option("--source", help=h("cli.help_source"), show_default=False)]
