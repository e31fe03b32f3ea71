"""The overview of every cluster in a data folder, with totals (or why a cluster cannot be read)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klyngefond.reports.status import StatusReport, build_status
from klyngefond.storage.cache import load_ledger_cached
from klyngefond.storage.locate import cluster_folders
from klyngefond.storage.problems import Problem


@dataclass(frozen=True)
class ClusterRow:
    """One cluster: its folder and either its status or the problems that stop it loading."""

    folder: Path
    report: StatusReport | None
    region: str | None
    partner_count: int
    problems: tuple[Problem, ...]


def overview(data_dir: Path) -> list[ClusterRow]:
    rows = []
    for folder in cluster_folders(data_dir):
        ledger, problems = load_ledger_cached(folder)
        if ledger is None or problems:
            rows.append(ClusterRow(folder, None, None, 0, tuple(problems)))
            continue
        partners = sum(1 for p in ledger.cluster.partners)
        rows.append(ClusterRow(folder, build_status(ledger), ledger.cluster.region, partners, ()))
    return rows
