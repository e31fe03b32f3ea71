"""The overview of every cluster in a data folder: what each received, committed and has left. Pure.

Each row is three queries over the cluster's journal (the funds of every holder, summed
by ``query.funds``) and two counts; no status report is built. A cluster whose files have
errors is listed with the number of problems instead of figures, and two folders that
give their cluster the same id are named, since their invoice numbers would mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from klyngefond.core.ledger import Ledger
from klyngefond.core.money import json_amount
from klyngefond.core.problems import Problem
from klyngefond.journal import query
from klyngefond.journal.model import Journal


@dataclass(frozen=True)
class ClusterRow:
    """One cluster folder: its figures, or (``totals`` is ``None``) the problems that stop it being read."""

    folder: Path
    id: str
    name: str
    region: str | None = None
    partners: int = 0
    fund_holders: int = 0
    grants: int = 0
    totals: query.FundsLine | None = None
    errors: int = 0
    warnings: int = 0
    same_id: tuple[str, ...] = ()  # other folders whose cluster has this id

    @property
    def readable(self) -> bool:
        return self.totals is not None


def cluster_row(folder: Path, names: tuple[str, str], ledger: Ledger | None, journal: Journal | None,
                problems: list[Problem], same_id: tuple[str, ...] = ()) -> ClusterRow:
    """The row of one cluster folder; ``names`` (id, name) as read cheaply when the cluster file is broken."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = sum(1 for p in problems if p.severity == "warning")
    if ledger is None or journal is None or errors:
        return ClusterRow(folder, *names, errors=errors, warnings=warnings, same_id=same_id)
    cluster = ledger.cluster
    totals = query.FundsLine("total")
    for line in query.funds(journal).values():
        totals = totals + line
    return ClusterRow(folder, cluster.id, cluster.name, cluster.region, len(cluster.partners), len(cluster.fund_holders()),
                      len(query.decided_grants(journal)), totals, errors, warnings, same_id)


def row_data(row: ClusterRow) -> list[object]:
    """The row as plain data, to keep with the folder's state (``storage.cache.Summaries``); not ``same_id``,
    which depends on the other folders."""
    totals = None if row.totals is None else [json_amount(v) for v in (row.totals.opening, row.totals.allocated,
                                                                        row.totals.committed, row.totals.carried_out,
                                                                        row.totals.handed_over)]
    return [row.id, row.name, row.region, row.partners, row.fund_holders, row.grants, totals, row.errors, row.warnings]


def row_from(folder: Path, data: object, same_id: tuple[str, ...]) -> ClusterRow | None:
    """The row :func:`row_data` kept, or ``None`` if the data does not have its shape."""
    if not isinstance(data, list) or len(data) != 9:
        return None
    cluster_id, name, region, partners, holders, grants, totals, errors, warnings = data
    try:
        line = None if totals is None else query.FundsLine("total", *(Decimal(v) for v in totals))
    except (TypeError, ArithmeticError, ValueError):
        return None
    if not all(isinstance(v, int) for v in (partners, holders, grants, errors, warnings)) or \
            not all(isinstance(v, str) for v in (cluster_id, name)):
        return None
    return ClusterRow(folder, cluster_id, name, region, partners, holders, grants, line, errors, warnings, same_id)
