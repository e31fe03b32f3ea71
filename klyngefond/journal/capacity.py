"""How much a new decision can draw from each partner's funds in a period, on a date. Pure.

A decision dated ``D`` that draws ``x`` on period ``P`` lowers the partner's balance in ``P``
by ``x`` from ``D`` on — and, through the records that follow, possibly elsewhere: a later
carry-over of the whole remainder moves ``x`` less into the next period, and an annulment
of that carry-over moves it back. Every such effect is linear in ``x``, so the journal
itself can say where it lands: it is built once more with a probe of one øre per partner
on ``(P, D)``, and every (period, day) whose balance the probe moves is a place where the
decision's money would be missing. When nothing dated ``D`` or later moves money by balances
(a carry-over or closeout, or an annulment of one), the probe can only move ``P``'s own
balance from ``D`` on, and the same answer is read from the journal as it is, without
building it again (``_without_probe``; a test compares the two). What a partner can commit is the lowest of its
balances at those places — exactly what the invariant "never below zero at the end of any
day" checks after recording, so a proposal and the recording agree.

For a grant whose split is unknown, the same rule applies to the period's total over all
holders (the money is committed, but not known from whom).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from decimal import Decimal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Decision, ExplicitAmounts, Grant, UnknownSplit, YearSpan
from klyngefond.journal.build import build_journal, moves_by_balance_from
from klyngefond.journal.model import FUNDS, UNATTRIBUTED, Journal

ZERO = Decimal("0.00")
PROBE = Decimal("0.01")
PROBE_ID = "kapacitetsproeve"

Series = dict[tuple[str, YearSpan], list[tuple[dt.date, Decimal]]]


def _daily_balances(journal: Journal, *, total: bool) -> Series:
    """Per (holder, period) — or per period's total, keyed by ``(UNATTRIBUTED, period)`` — the
    balance at the end of every day a posting touched it."""
    running: dict[tuple[str, YearSpan], Decimal] = defaultdict(lambda: ZERO)
    series: Series = defaultdict(list)
    for txn in journal.transactions:
        for posting in txn.postings:
            if posting.account[0] != FUNDS:
                continue
            key = (UNATTRIBUTED if total else posting.account[1], posting.account[2])
            running[key] += posting.amount  # type: ignore[index]
            points = series[key]  # type: ignore[index]
            if points and points[-1][0] == txn.date:
                points[-1] = (txn.date, running[key])  # type: ignore[index]
            else:
                points.append((txn.date, running[key]))  # type: ignore[index]
    return series


def _at(points: list[tuple[dt.date, Decimal]], day: dt.date) -> Decimal:
    """The balance at the end of ``day`` (the last point on or before it)."""
    index = bisect_right(points, day, key=lambda point: point[0])
    return points[index - 1][1] if index else ZERO


def _lowest_where_moved(base: list[tuple[dt.date, Decimal]], probed: list[tuple[dt.date, Decimal]], on: dt.date) -> Decimal | None:
    """The lowest base balance on the days (from ``on``) where the probe changed it; None if it never did.

    One walk over both series in date order: between two points neither balance changes.
    """
    days = sorted({d for d, _ in base if d > on} | {d for d, _ in probed if d > on})
    lowest: Decimal | None = None
    i = bisect_right(base, on, key=lambda point: point[0])
    j = bisect_right(probed, on, key=lambda point: point[0])
    before = base[i - 1][1] if i else ZERO
    after = probed[j - 1][1] if j else ZERO
    if before != after:
        lowest = before
    for day in days:
        while i < len(base) and base[i][0] <= day:
            before = base[i][1]
            i += 1
        while j < len(probed) and probed[j][0] <= day:
            after = probed[j][1]
            j += 1
        if before != after:
            lowest = before if lowest is None else min(lowest, before)
    return lowest


def capacities(ledger: Ledger, journal: Journal, period: YearSpan, on: dt.date, holders: tuple[str, ...]) -> dict[str, Decimal]:
    """What each holder can commit on ``on`` from ``period``; ``unattributed`` is judged on the period's total."""
    if not moves_by_balance_from(journal, on):
        return _without_probe(journal, period, on, holders)
    return _probed(ledger, journal, period, on, holders)


def _without_probe(journal: Journal, period: YearSpan, on: dt.date, holders: tuple[str, ...]) -> dict[str, Decimal]:
    """The probe's answer, without building the journal again, when nothing from ``on`` on moves
    money by balances (no carry-over or closeout, nor an annulment of one): then the probe moves
    exactly the balance of ``(holder, period)`` at the end of ``on`` and of every later day the
    account changes, and the capacity is the lowest of those balances."""
    result: dict[str, Decimal] = {}
    for total, chosen in ((False, tuple(h for h in holders if h != UNATTRIBUTED)), (True, (UNATTRIBUTED,) if UNATTRIBUTED in holders else ())):
        if not chosen:
            continue
        series = _daily_balances(journal, total=total)
        for holder in chosen:
            points = series.get((holder, period), [])
            lowest = _at(points, on)
            for day, balance in points[bisect_right(points, on, key=lambda point: point[0]):]:
                lowest = min(lowest, balance)
            result[holder] = lowest
    return result


def _probed(ledger: Ledger, journal: Journal, period: YearSpan, on: dt.date, holders: tuple[str, ...]) -> dict[str, Decimal]:
    """Capacities found by building the journal again with a probe of one øre per holder on ``(period, on)``."""
    result: dict[str, Decimal] = {}
    partners = tuple(h for h in holders if h != UNATTRIBUTED)
    decision = Decision("politisk", on)
    if partners:
        probe = Grant(id=PROBE_ID, name=PROBE_ID, granted=PROBE * len(partners), year=YearSpan.of(period.first),
                      financing=ExplicitAmounts(amounts={h: PROBE for h in partners}), decision=decision)
        result |= _compare(journal, build_journal(ledger.with_records(grants=(probe,))), partners, on, total=False)
    if UNATTRIBUTED in holders:
        probe = Grant(id=PROBE_ID, name=PROBE_ID, granted=PROBE, year=YearSpan.of(period.first), financing=UnknownSplit(),
                      decision=decision)
        result |= _compare(journal, build_journal(ledger.with_records(grants=(probe,))), (UNATTRIBUTED,), on, total=True)
    return result


def _compare(journal: Journal, probed: Journal, holders: tuple[str, ...], on: dt.date, *, total: bool) -> dict[str, Decimal]:
    base_series = _daily_balances(journal, total=total)
    probe_series = _daily_balances(probed, total=total)
    result = {}
    for holder in holders:
        lowest: Decimal | None = None
        for key, probed_points in probe_series.items():
            if key[0] != holder:
                continue
            found = _lowest_where_moved(base_series.get(key, []), probed_points, on)
            if found is not None:
                lowest = found if lowest is None else min(lowest, found)
        result[holder] = lowest if lowest is not None else ZERO
    return result


def available(ledger: Ledger, journal: Journal, period: YearSpan, on: dt.date, holder: str | None) -> Decimal:
    """What one holder (or, with ``None``, the period's holders together) can commit on ``on``."""
    key = UNATTRIBUTED if holder is None else holder
    return capacities(ledger, journal, period, on, (key,))[key]
