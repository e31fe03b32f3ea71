"""What every command shares: the common options, opening a cluster, and clean error exits.

Exit codes: 0 success, 1 a problem with the data (or a refused action), 2 a usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from klyngefond.core.ledger import Ledger

DataOption = Annotated[
    Path | None,
    typer.Option("--data", envvar="KLYNGEFOND_DATA", help="Data folder (default: ./data, or the shipped data).",
                 show_default=False),
]
LangOption = Annotated[str, typer.Option("--lang", envvar="KLYNGEFOND_LANG", help="Language for people: da or en.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object for scripts instead of tables.")]

EXIT_DATA = 1
EXIT_USAGE = 2


def fail(message: str, *details: str, code: int = EXIT_DATA) -> NoReturn:
    """Print a clear error on stderr and exit; never a traceback."""
    print(f"klyngefond: {message}", file=sys.stderr)
    for line in details:
        print(f"  {line}", file=sys.stderr)
    raise typer.Exit(code)


def check_lang(lang: str) -> str:
    from klyngefond.render.i18n import LANGS

    if lang not in LANGS:
        fail(f"unknown language {lang!r}", "use --lang da (Danish) or --lang en (English)", code=EXIT_USAGE)
    return lang


def data_dir(explicit: Path | None) -> Path:
    from klyngefond.storage.locate import DataNotFound, find_data_dir

    try:
        return find_data_dir(explicit)
    except DataNotFound as exc:
        fail("no data folder found; looked in:", *[f"{origin}: {path}" for origin, path in exc.looked],
             "point to one with --data DIR or the KLYNGEFOND_DATA variable")


def cluster_folder(cluster: str, data: Path | None) -> Path:
    from klyngefond.storage.locate import UnknownCluster, resolve_cluster

    root = data_dir(data)
    try:
        return resolve_cluster(root, cluster)
    except UnknownCluster as exc:
        details = [f"known clusters in {root}:"] + [f"  {folder}  ({name})" for folder, name in exc.known]
        if exc.closest:
            details.insert(0, f"did you mean {exc.closest!r}?")
        fail(f"unknown cluster {cluster!r}", *details)


def open_ledger(cluster: str, data: Path | None) -> Ledger:
    """The validated ledger of the named cluster; every problem in its files ends the command."""
    from klyngefond.storage.cache import load_ledger_cached

    folder = cluster_folder(cluster, data)
    ledger, problems = load_ledger_cached(folder)
    if problems or ledger is None:
        count = len(problems)
        fail(f"{count} problem{'s' if count != 1 else ''} in the data of {folder.name}:", *[str(p) for p in problems])
    return ledger


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False)
