"""The `klyngefond` command: parses arguments and calls the core. Nothing is computed here."""

from __future__ import annotations

import typer

from klyngefond.cli import allocate as allocate_commands
from klyngefond.cli import changes as change_commands
from klyngefond.cli import invoices as invoice_commands
from klyngefond.cli import log as log_commands
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
app.command("invoices")(invoice_commands.invoices)
app.command("pay")(invoice_commands.pay)
app.command("allocate")(allocate_commands.allocate)
app.command("topup", context_settings=change_commands.NEGATIVE_AMOUNTS_REACH_THE_CHECK)(change_commands.topup)
app.command("reduce", context_settings=change_commands.NEGATIVE_AMOUNTS_REACH_THE_CHECK)(change_commands.reduce)
app.command("withdraw")(change_commands.withdraw)
app.command("transfer", context_settings=change_commands.NEGATIVE_AMOUNTS_REACH_THE_CHECK)(change_commands.transfer)
app.command("carryover")(change_commands.carryover)
app.command("log")(log_commands.log)
app.command("applications")(log_commands.applications)


def main() -> None:
    """Run the command; an unexpected failure is reported in one line, never as a traceback."""
    import os
    import sys

    try:
        app()
    except KeyboardInterrupt:
        print("klyngefond: interrupted; nothing was half-written (writes are atomic)", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: every known error is handled where it arises
        if os.environ.get("KLYNGEFOND_DEBUG"):
            raise
        print(f"klyngefond: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("  this is a bug in klyngefond; run again with KLYNGEFOND_DEBUG=1 for the details and report it",
              file=sys.stderr)
        sys.exit(1)
