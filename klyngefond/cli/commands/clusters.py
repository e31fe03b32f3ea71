"""`klyngefond clusters`: every cluster in the data folder, with what it received, committed and has left."""

from __future__ import annotations

from pathlib import Path

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import data_root
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DataOption, JsonOption, LangOption
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.core.problems import errors
from klyngefond.core.records import RECORD_FOLDERS
from klyngefond.journal.build import build_journal
from klyngefond.render import clusters_view
from klyngefond.reports.clusters import ClusterRow, cluster_row, row_data, row_from
from klyngefond.storage import locate
from klyngefond.storage.cache import Summaries, summaries
from klyngefond.storage.loader import CLUSTER_FILE, REFERENCE_FILE, load_ledger

app = typer.Typer()


@app.command("clusters", help=h("clusters.help"), epilog=h("clusters.example"))
def clusters(
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    rows = overview(data_root(data))
    if as_json:
        emit_json(clusters_view.clusters_json(rows, lang))
        return
    emit_text(lambda width: clusters_view.render_text(rows, lang, width))


def overview(root: Path) -> list[ClusterRow]:
    """One row per cluster folder; a folder whose files cannot be read is a row with its problem count.

    A folder's row (and the names its cluster file gives) is kept in the cache with the
    folder's state, the identity of every file the loader reads (``storage.cache.Summaries``),
    and used again only while that state is the same; otherwise the folder is loaded.
    """
    folders = locate.cluster_folders(root)
    kept = {folder: summaries(folder, tuple(RECORD_FOLDERS), (CLUSTER_FILE, REFERENCE_FILE)) for folder in folders}
    names = {folder: _names(folder, kept[folder]) for folder in folders}
    rows = []
    for folder in folders:
        same = tuple(other.name for other in folders if other != folder and names[other].id == names[folder].id)
        summary = kept[folder]
        row = row_from(folder, summary.get("clusters"), same) if summary is not None else None
        if row is None:
            row = _read_row(folder, names[folder], same)
            if summary is not None:
                summary.put("clusters", "", row_data(row))
        if summary is not None:
            summary.save()
        rows.append(row)
    return rows


def _read_row(folder: Path, names: locate.ClusterName, same: tuple[str, ...]) -> ClusterRow:
    """The row of a folder read now (its ledger and journal are gone when this returns: one folder in memory at a time)."""
    ledger, problems = load_ledger(folder)
    journal = build_journal(ledger) if ledger is not None and not errors(problems) else None
    return cluster_row(folder, (names.id, names.name), ledger, journal, problems, same)


def _names(folder: Path, summary: Summaries | None) -> locate.ClusterName:
    """The names the folder's cluster file gives (kept with the folder's state, like its row)."""
    found = summary.get("names") if summary is not None else None
    if isinstance(found, list) and len(found) == 3 and all(isinstance(v, str) for v in found[:2]) \
            and isinstance(found[2], list) and all(isinstance(v, str) for v in found[2]):
        return locate.ClusterName(folder, found[0], found[1], tuple(found[2]))
    names = locate.read_names(folder)
    if summary is not None:
        summary.put("names", "", [names.id, names.name, list(names.aliases)])
    return names
