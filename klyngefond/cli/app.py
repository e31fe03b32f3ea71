"""The `klyngefond` command: parses arguments and calls the core. Nothing is computed here."""

from __future__ import annotations

import typer

from klyngefond.cli import status as status_commands

app = typer.Typer(
    name="klyngefond",
    help="Ledger for the funds of Danish health clusters (sundhedsklynger).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("status")(status_commands.status)
app.command("clusters")(status_commands.clusters)


def main() -> None:
    app()
