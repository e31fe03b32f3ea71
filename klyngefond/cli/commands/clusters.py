"""`klyngefond clusters`: every cluster in the data folder, with what it received, committed and has left."""

from __future__ import annotations

from pathlib import Path

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import data_root
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DataOption, JsonOption, LangOption
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.reports.clusters import ClusterRow

app = typer.Typer()


@app.command("clusters", help=h("clusters.help"), epilog=h("clusters.example"))
def clusters(
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    from klyngefond.render import clusters_view

    lang = parse.lang(lang)
    rows = overview(data_root(data))
    if as_json:
        emit_json(clusters_view.clusters_json(rows, lang))
        return
    emit_text(lambda width: clusters_view.render_text(rows, lang, width))


def overview(root: Path) -> list[ClusterRow]:
    """One row per cluster folder; a folder whose files cannot be read is a row with its problem count."""
    from klyngefond.core.problems import errors
    from klyngefond.journal.build import build_journal
    from klyngefond.reports.clusters import cluster_row
    from klyngefond.storage import locate
    from klyngefond.storage.loader import load_ledger

    folders = locate.cluster_folders(root)
    names = {folder: locate.read_names(folder) for folder in folders}
    rows = []
    for folder in folders:
        ledger, problems = load_ledger(folder)
        journal = build_journal(ledger) if ledger is not None and not errors(problems) else None
        same = tuple(other.name for other in folders if other != folder and names[other].id == names[folder].id)
        rows.append(cluster_row(folder, (names[folder].id, names[folder].name), ledger, journal, problems, same))
    return rows
