"""The ledger of one cluster: every record read from its folder, immutable.

The loader (``storage/loader.py``) builds it; the journal (``journal/``) turns it into
dated postings. ``origins`` maps each record's reference (``grants/kom-trygt-hjem``) to the
file it came from, so every message can name the file to open.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from klyngefond.core.records import (
    Allocation,
    Annulment,
    CarryOver,
    Change,
    Closeout,
    Cluster,
    Grant,
    GrantClosing,
    Invoice,
    Payment,
    ReferenceFigure,
    Refund,
    Reopening,
    Spending,
)


def ref(folder: str, record_id: str) -> str:
    """The reference of a record: ``grants/kom-trygt-hjem``."""
    return f"{folder}/{record_id}"


@dataclass(frozen=True)
class Ledger:
    """Everything recorded for one cluster, in file order within each kind."""

    folder: Path
    cluster: Cluster
    allocations: tuple[Allocation, ...] = ()
    grants: tuple[Grant, ...] = ()
    changes: tuple[Change, ...] = ()
    carryovers: tuple[CarryOver, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    payments: tuple[Payment, ...] = ()
    refunds: tuple[Refund, ...] = ()
    annulments: tuple[Annulment, ...] = ()
    spending: tuple[Spending, ...] = ()
    closings: tuple[GrantClosing, ...] = ()
    closeouts: tuple[Closeout, ...] = ()
    reopenings: tuple[Reopening, ...] = ()
    references: tuple[ReferenceFigure, ...] = ()
    origins: dict[str, Path] = field(default_factory=dict, compare=False)

    def grant(self, grant_id: str | None) -> Grant | None:
        return self._index("grants").get(grant_id)  # type: ignore[return-value]

    def invoice(self, number: str | None) -> Invoice | None:
        return self._index("invoices").get(number)  # type: ignore[return-value]

    def _index(self, kind: str) -> dict[str | None, object]:
        cache = self.__dict__.setdefault("_indexes", {})
        if kind not in cache:
            cache[kind] = {getattr(r, "id"): r for r in getattr(self, kind)}
        return cache[kind]  # type: ignore[no-any-return]

    def origin(self, reference: str) -> Path | None:
        return self.origins.get(reference)

    def all_allocations(self) -> tuple[Allocation, ...]:
        """The allocations in ``cluster.toml`` and those recorded one per file."""
        return self.cluster.allocations + self.allocations

    def with_records(self, **records: tuple[object, ...]) -> Ledger:
        """A new ledger with records added (e.g. a proposed grant, to test it before writing)."""
        updates = {kind: getattr(self, kind) + tuple(items) for kind, items in records.items()}
        return replace(self, **updates)  # type: ignore[arg-type]
