"""Pieces that once grew quadratically, run at a size that would time out if they came back.

Each test does at national scale what used to cost a pass over everything per item:
planning credit notes (every key scanned all invoices), checking printed reference
figures (every figure looked at every grant, every slip rebuilt the grant names), status's
withdrawn grants (a pass over the journal per grant), capacity's lowest balance (a scan
from the start per day). The limits are generous (seconds for what takes a few hundred
milliseconds); a quadratic piece at these sizes takes minutes.
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

from klyngefond.core.invoicing import plan_documents
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import (
    Allocation,
    Cluster,
    Decision,
    Grant,
    Invoice,
    Partner,
    ReferenceFigure,
    Solidarity,
    YearSpan,
)
from klyngefond.journal.build import build_journal
from klyngefond.journal.capacity import _lowest_where_moved
from klyngefond.reports.check import check_cluster
from klyngefond.reports.status import build_status

LIMIT = 5.0  # seconds; each case takes well under one on the 2-core CI machine


def timed(what):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = what()
    return result, time.perf_counter() - start


def big_ledger(grants: int, years: int = 20) -> Ledger:
    partners = tuple(Partner(f"p{i}", f"Partner {i}", "kommune") for i in range(6)) + (Partner("r", "Region", "region"),)
    allocations = tuple(Allocation(p.id, YearSpan.of(2006 + y), received=Decimal("100000000.00"))
                        for y in range(years) for p in partners)
    cluster = Cluster(id="stor", name="Stor klynge", region="Region", partners=partners, allocations=allocations)
    records = tuple(Grant(id=f"g{n:05d}", name=f"Indsats {n}", granted=Decimal("1000.00") + n, financing=Solidarity(),
                          owner="r", year=YearSpan.of(2006 + n % years),
                          decision=Decision("politisk", dt.date(2006 + n % years, 3, 1)))
                    for n in range(grants))
    figures = tuple(ReferenceFigure("granted", Decimal("1.00"), "referat", year=YearSpan.of(2006 + n % years))
                    for n in range(grants))
    return Ledger(folder=Path("/nowhere"), cluster=cluster, grants=records, references=figures)


def test_planning_credit_notes_for_20000_invoices() -> None:
    invoices = [Invoice(f"k-r-{n:05d}", "invoice", "r", f"p{n % 5}", f"g{n // 4:05d}", Decimal("100.00"),
                        dt.date(2024, 1, 1), dt.date(2024, 2, 1)) for n in range(20_000)]
    invoiced = {}
    for invoice in invoices:
        key = (invoice.grant, invoice.issuer, invoice.recipient)
        invoiced[key] = invoiced.get(key, Decimal("0.00")) + invoice.amount
    wanted = {key: Decimal("40.00") for key in invoiced}  # every key is to be credited in part
    planned, seconds = timed(lambda: plan_documents(wanted, {k[0] for k in wanted}, invoiced,
                                                    [(i, i.amount) for i in invoices]))
    assert len(planned) == len(wanted) and all(d.kind == "credit_note" for d in planned)
    assert seconds < LIMIT, f"planning took {seconds:.1f} s"


def test_reference_figures_and_status_of_4000_grants() -> None:
    ledger = big_ledger(4000)
    journal = build_journal(ledger)
    findings, seconds = timed(lambda: check_cluster([], ledger, journal, dt.date(2026, 1, 1)))
    assert sum(1 for f in findings if f.code == "reference") == 4000
    assert seconds < LIMIT, f"checking 4,000 printed figures took {seconds:.1f} s"
    report, seconds = timed(lambda: build_status(ledger, journal, today=dt.date(2026, 1, 1)))
    assert len(report.grants) == 4000
    assert seconds < LIMIT, f"the status of 4,000 grants took {seconds:.1f} s"


def test_lowest_balance_over_50000_days() -> None:
    start = dt.date(1990, 1, 1)
    base = [(start + dt.timedelta(days=n), Decimal(n % 1000)) for n in range(50_000)]
    probed = [(day, value - Decimal("0.01")) for day, value in base]
    lowest, seconds = timed(lambda: _lowest_where_moved(base, probed, start))
    assert lowest == Decimal(0)
    assert seconds < LIMIT, f"capacity took {seconds:.1f} s"
