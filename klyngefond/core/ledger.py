"""The ledger of one cluster: every record read from its folder, immutable."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from klyngefond.core.records import CarryOver, Change, Cluster, Grant, Invoice, Payment, ReferenceFigure


@dataclass(frozen=True)
class Ledger:
    """Everything recorded for one cluster.

    ``folder`` is where the records came from; ``grant_files`` maps a grant id to its file,
    so that a message about a grant can name the file to edit.
    """

    folder: Path
    cluster: Cluster
    grants: tuple[Grant, ...] = ()
    references: tuple[ReferenceFigure, ...] = ()
    grant_files: dict[str, Path] = field(default_factory=dict)
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    changes: tuple[Change, ...] = ()
    change_files: dict[str, Path] = field(default_factory=dict)
    carryovers: tuple[CarryOver, ...] = ()
    carryover_files: dict[str, Path] = field(default_factory=dict)

    def grant(self, grant_id: str) -> Grant | None:
        return next((g for g in self.grants if g.id == grant_id), None)

    def invoice(self, number: str) -> Invoice | None:
        return next((i for i in self.invoices if i.number == number), None)
