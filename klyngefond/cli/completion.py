"""Shell completion: ``--show-completion SHELL`` prints the script, ``--install-completion SHELL`` installs it.

The script calls ``klyngefond`` back with ``_KLYNGEFOND_COMPLETE=complete_<shell>``; typer's
completion classes answer from the command table (``registry.py``) without importing
every command, and cluster names are completed from the data folder's cluster folders.
"""

from __future__ import annotations

from typing import Any

import typer
from typer._completion_classes import completion_init
from typer._completion_shared import get_completion_script
from typer._completion_shared import install as typer_install

from klyngefond.cli.errors import UsageProblem
from klyngefond.cli.language import current
from klyngefond.i18n import Message, t
from klyngefond.storage import locate

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
COMPLETE_VAR = "_KLYNGEFOND_COMPLETE"


def _shell(value: str) -> str:
    shell = value.strip().lower()
    if shell not in SHELLS:
        raise UsageProblem(Message("cli.unknown_shell", value=value), Message("cli.hint_use_one_of", choices=list(SHELLS)))
    return shell


def script(shell: str) -> str:
    """The completion script for ``shell``."""
    completion_init()
    return get_completion_script(prog_name="klyngefond", complete_var=COMPLETE_VAR, shell=_shell(shell))


def show(ctx: Any, param: Any, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    print(script(value))
    raise typer.Exit(0)


def install(ctx: Any, param: Any, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    completion_init()
    shell, path = typer_install(shell=_shell(value), prog_name="klyngefond", complete_var=COMPLETE_VAR)
    print(t("cli.completion_installed", current(), shell=shell, path=str(path)))
    raise typer.Exit(0)


def prepare() -> None:
    """Register typer's completion classes (only when the shell asks for completions)."""
    completion_init()


def clusters(incomplete: str) -> list[str]:
    """Cluster folder names in the data folder that start with what was typed."""
    try:
        root = locate.find_data_dir(None)
    except locate.DataNotFound:
        return []
    return [folder.name for folder in locate.cluster_folders(root) if folder.name.startswith(incomplete.lower())]
