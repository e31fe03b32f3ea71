"""`klyngefond check`: every problem in a cluster's data (or in every cluster's) at once."""

from __future__ import annotations

from dataclasses import dataclass
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
from klyngefond.reports.check import (
    CheckReport,
    ClusterCheck,
    check_cluster,
    duplicate_ids,
    duplicate_invoices,
    with_findings,
)
from klyngefond.storage import locate
from klyngefond.storage.cache import summaries
from klyngefond.storage.codec import CodecError, decode_problem, encode_problem
from klyngefond.storage.leftovers import Counters
from klyngefond.storage.leftovers import findings as leftover_findings
from klyngefond.storage.loader import CLUSTER_FILE, REFERENCE_FILE, load_ledger
from klyngefond.storage.numbering import NumbersOnFile, invoice_numbers

app = typer.Typer()

OptionalCluster = Annotated[str | None, typer.Argument(help=h("cli.help_cluster"), show_default=False,
                                                       metavar=h("cli.metavar_cluster"))]


@app.command("check", help=h("check.help"), epilog=h("check.example"))
def check(
    cluster: OptionalCluster = None,
    every: Annotated[bool, typer.Option("--all", help=h("check.help_all"))] = False,
    out: Annotated[Path | None, typer.Option("--out", help=h("integrity.help_check_out"), show_default=False)] = None,
    data: DataOption = None,
    lang: LangOption = None,
    as_json: JsonOption = False,
) -> None:
    lang = parse.lang(lang)
    if cluster is None and not every:
        raise UsageProblem(Message("check.cluster_or_all"), Message("check.hint_cluster_or_all"))
    if cluster is not None and every:
        raise UsageProblem(Message("check.not_both"), Message("check.hint_cluster_or_all"))
    if every and out is not None:
        raise UsageProblem(Message("integrity.out_needs_cluster"))
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
    own = {folder: own_findings(folder) for folder in checked}
    # Found afresh each time, outside the cache: an invoice number that two clusters issued,
    # and what an interrupted command left outside the record files (invoices without
    # documents, stray temporary files, a counter behind the numbers on file).
    listed = {folder: invoice_numbers(folder) for folder in checked}
    invoices = {folder: _valid_invoices(folder, listed[folder], own[folder]) for folder in checked}
    numbers = duplicate_invoices(invoices.items())
    on_file = NumbersOnFile.read(root, known=listed)
    counters = Counters.read(root)  # one file for the whole data folder: read once, not per cluster
    report = CheckReport(tuple(
        ClusterCheck(folder, found.id, found.name, with_findings(
            [*duplicates.get(folder, []), *numbers.get(folder, []),
             *leftover_findings(folder, found.id if found.readable else None, invoices[folder], out, on_file, counters)],
            found.findings))
        for folder, found in own.items()))
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


@dataclass(frozen=True)
class OwnFindings:
    """What ``check_cluster`` finds in a folder's own files on one day; ``readable`` is false when
    the cluster file is unusable (then nothing is known of the cluster's invoices' documents)."""

    id: str
    name: str
    readable: bool
    findings: tuple[Problem, ...]


def own_findings(folder: Path) -> OwnFindings:
    """Read one cluster folder and check it; a cluster file that cannot be read is a finding.

    Kept in the cache with the folder's state, like ``clusters``' rows, and used again only
    for the same state and day. Anything that looks beyond the folder's record files (other
    folders, the documents) is added by the caller, afresh.
    """
    day = today()
    kept = summaries(folder, tuple(RECORD_FOLDERS), (CLUSTER_FILE, REFERENCE_FILE))
    found = _kept(kept.get("check", day.isoformat())) if kept is not None else None
    if found is None:
        found = _read_and_check(folder, day)
        if kept is not None:
            try:
                kept.put("check", day.isoformat(), [found.id, found.name, found.readable,
                                                    [encode_problem(p) for p in found.findings]])
                kept.save()
            except CodecError:  # a finding with a value the cache cannot write: nothing kept
                pass
    return found


def _read_and_check(folder: Path, day: Any) -> OwnFindings:
    """The findings of a folder read now (its ledger is gone when this returns)."""
    ledger, problems = load_ledger(folder)
    journal = build_journal(ledger) if ledger is not None else None
    findings = check_cluster(problems, ledger, journal, day)
    if ledger is not None:
        return OwnFindings(ledger.cluster.id, ledger.cluster.name, True, findings)
    names = locate.read_names(folder)
    return OwnFindings(names.id, names.name, False, findings)


def _kept(data: Any) -> OwnFindings | None:
    if not (isinstance(data, list) and len(data) == 4 and isinstance(data[0], str) and isinstance(data[1], str)
            and isinstance(data[2], bool) and isinstance(data[3], list)):
        return None
    try:
        return OwnFindings(data[0], data[1], data[2], tuple(decode_problem(p) for p in data[3]))
    except (CodecError, TypeError, ValueError, ArithmeticError, KeyError, IndexError):
        return None


def _valid_invoices(folder: Path, numbers: list[str], found: OwnFindings) -> list[str]:
    """The numbers of the folder's invoice files, less those its findings name as errors (not read as invoices)."""
    invoices = folder / "invoices"
    refused = {p.file.name[:-5] for p in found.findings
               if p.severity == "error" and p.file is not None and p.file.parent == invoices and p.file.name.endswith(".toml")}
    return [number for number in numbers if number not in refused] if refused else numbers
