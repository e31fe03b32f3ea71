"""Which commands exist and where each lives; only the command being run is imported.

Each entry names the module under ``klyngefond.cli.commands`` that defines the command
(a one-command ``typer.Typer`` called ``app``) and the catalogue key of its one-line
summary, which ``klyngefond --help`` lists without importing any command.
"""

from __future__ import annotations

# name -> (module, summary key); in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "cli.summary_init"),
    "examples": ("examples", "cli.summary_examples"),
    "status": ("status", "cli.summary_status"),
    "clusters": ("clusters", "cli.summary_clusters"),
    "check": ("check", "cli.summary_check"),
    "receive": ("receive", "cli.summary_receive"),
    "repair": ("repair", "integrity.summary_repair"),
    "allocate": ("allocate", "cli.summary_allocate"),
    "topup": ("changes", "cli.summary_topup"),
    "reduce": ("changes", "cli.summary_reduce"),
    "withdraw": ("changes", "cli.summary_withdraw"),
    "transfer": ("changes", "cli.summary_transfer"),
    "carryover": ("carryover", "cli.summary_carryover"),
    "annul": ("annul", "cli.summary_annul"),
    "spend": ("spending", "spending.summary_spend"),
    "close-grant": ("spending", "spending.summary_close"),
    "closeout": ("closeout", "closeout.summary_closeout"),
    "reopen": ("closeout", "closeout.summary_reopen"),
    "invoices": ("invoices", "cli.summary_invoices"),
    "pay": ("payments", "cli.summary_pay"),
    "refund": ("payments", "cli.summary_refund"),
    "log": ("log", "cli.summary_log"),
    "applications": ("applications", "cli.summary_applications"),
    "export": ("export", "cli.summary_export"),
    "report": ("report", "cli.summary_report"),
}
