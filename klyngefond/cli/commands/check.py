"""`klyngefond check`: every problem in a cluster's data (or in every cluster's) at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import cluster_folder, data_root, today
from klyngefond.cli.errors import EXIT_DATA, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DataOption, JsonOption, LangOption
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.core.problems import Problem
from klyngefond.core.records import RECORD_FOLDERS
from klyngefond.i18n import Message
from klyngefond.journal.build import build_journal
from klyngefond.render.check_view import check_json, render_text
from klyngefond.reports.check import CheckReport, ClusterCheck, check_cluster, duplicate_ids, with_findings
from klyngefond.storage import locate
from klyngefond.storage.cache import summaries
from klyngefond.storage.codec import CodecError, decode_problem, encode_problem
from klyngefond.storage.loader import CLUSTER_FILE, REFERENCE_FILE, load_ledger

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
    """Read one cluster folder and check it; a cluster file that cannot be read is a finding.

    The findings about the folder's own files (what ``check_cluster`` finds for the day it is
    judged on) are kept in the cache with the folder's state, like ``clusters``' rows, and
    used again only for the same state and day; ``extra`` (findings about other folders) is
    always added afresh. Anything that looks beyond the record files must be added like ``extra``.
    """
    day = today()
    kept = summaries(folder, tuple(RECORD_FOLDERS), (CLUSTER_FILE, REFERENCE_FILE))
    found = _kept(kept.get("check", day.isoformat())) if kept is not None else None
    if found is None:
        found = _read_and_check(folder, day)
        if kept is not None:
            try:
                kept.put("check", day.isoformat(), [found[0], found[1], [encode_problem(p) for p in found[2]]])
                kept.save()
            except CodecError:  # a finding with a value the cache cannot write: nothing kept
                pass
    cluster_id, name, findings = found
    return ClusterCheck(folder, cluster_id, name, with_findings(extra, findings))


def _read_and_check(folder: Path, day: Any) -> tuple[str, str, tuple[Problem, ...]]:
    """(cluster id, name, findings) of a folder read now (its ledger is gone when this returns)."""
    ledger, problems = load_ledger(folder)
    journal = build_journal(ledger) if ledger is not None else None
    findings = check_cluster(problems, ledger, journal, day)
    if ledger is not None:
        return ledger.cluster.id, ledger.cluster.name, findings
    names = locate.read_names(folder)
    return names.id, names.name, findings


def _kept(data: Any) -> tuple[str, str, tuple[Problem, ...]] | None:
    if not (isinstance(data, list) and len(data) == 3 and isinstance(data[0], str) and isinstance(data[1], str)
            and isinstance(data[2], list)):
        return None
    try:
        return data[0], data[1], tuple(decode_problem(p) for p in data[2])
    except (CodecError, TypeError, ValueError, ArithmeticError, KeyError, IndexError):
        return None
