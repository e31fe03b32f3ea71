"""`klyngefond check`: every problem in a cluster's data (or in every cluster's) at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import cluster_folder, data_root, today
from klyngefond.cli.errors import EXIT_DATA, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DataOption, JsonOption, LangOption
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.i18n import Message
from klyngefond.journal.build import build_journal
from klyngefond.render.check_view import check_json, render_text
from klyngefond.reports.check import CheckReport, ClusterCheck, check_cluster, duplicate_ids
from klyngefond.storage import locate
from klyngefond.storage.loader import load_ledger

app = typer.Typer()

OptionalCluster = Annotated[str | None, typer.Argument(help=h("cli.help_cluster"), show_default=False,
                                                       metavar=h("cli.metavar_cluster"))]


@app.command("check", help=h("check.help"), epilog=h("check.example"))
def check(
    cluster: OptionalCluster = None,
    every: Annotated[bool, typer.Option("--all", help=h("check.help_all"))] = False,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    if cluster is None and not every:
        raise UsageProblem(Message("check.cluster_or_all"), Message("check.hint_cluster_or_all"))
    if cluster is not None and every:
        raise UsageProblem(Message("check.not_both"), Message("check.hint_cluster_or_all"))
    root = data_root(data)
    if every:
        folders = locate.cluster_folders(root)
        if not folders:
            raise UsageProblem(Message("check.no_clusters", root=str(root)))
    else:
        folders = [_named_folder(root, cluster, data)]  # type: ignore[arg-type]
        folders += locate.same_id(root, folders[0])
    duplicates = duplicate_ids((folder, locate.read_names(folder).id) for folder in folders)
    checked = folders if every else folders[:1]  # a named cluster's namesakes appear only in its duplicate finding
    report = CheckReport(tuple(check_folder(folder, duplicates.get(folder, [])) for folder in checked))
    if as_json:

        emit_json(check_json(report, root, lang))
    else:

        emit_text(lambda width: render_text(report, lang, width))
    if not report.ok:
        raise typer.Exit(EXIT_DATA)


def _named_folder(root: Path, name: str, data: Path | None) -> Path:
    """The folder of the named cluster; a duplicate id is a finding here, not a refusal."""
    try:
        return locate.resolve_cluster(root, name)
    except locate.DuplicateCluster as exc:
        return exc.folders[0]
    except locate.UnknownCluster:
        return cluster_folder(name, data)  # raises the usage error every command gives


def check_folder(folder: Path, extra: list) -> ClusterCheck:  # type: ignore[type-arg]
    """Read one cluster folder and check it; a cluster file that cannot be read is a finding."""
    ledger, problems = load_ledger(folder)
    journal = build_journal(ledger) if ledger is not None else None
    findings = check_cluster([*extra, *problems], ledger, journal, today())
    if ledger is not None:
        return ClusterCheck(folder, ledger.cluster.id, ledger.cluster.name, findings)
    names = locate.read_names(folder)
    return ClusterCheck(folder, names.id, names.name, findings)
