"""How much a new decision can draw from a partner's funds in a period, on a date. Pure.

A decision dated ``D`` that draws ``x`` on period ``P`` lowers the partner's balance in ``P``
by ``x`` on ``D`` and on every later day. So ``x`` is affordable when the lowest balance
from ``D`` on is at least ``x``; later commitments already recorded count, not only what is
left on ``D``. A carry-over of the whole remainder out of ``P`` on a later day ``c`` takes
the decision's effect with it: from ``c`` on it is the receiving period that is ``x``
lower, so the rule continues there.

For a grant whose split is unknown, the same rule applies to the period's total over all
holders (the money is committed, but not known from whom).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from klyngefond.core.records import CarryOver, YearSpan
from klyngefond.journal.model import FUNDS, UNATTRIBUTED, Journal

ZERO = Decimal("0.00")


def available(journal: Journal, period: YearSpan, on: dt.date, holder: str | None) -> Decimal:
    """The most ``holder`` (or, with ``None``, the period's holders together) can commit on ``on``."""
    cut: tuple[dt.date, YearSpan] | None = None
    for txn in journal.transactions:
        if txn.kind != "carryover" or txn.date <= on:
            continue
        record: CarryOver = txn.record  # type: ignore[assignment]
        if record.amount is None and (holder is None or record.partner in (None, holder)) and _carries_from(record, journal, period):
            cut = (txn.date, txn.period)  # type: ignore[assignment]
            break
    transactions = [t for t in journal.transactions if cut is None or t.date < cut[0]]

    def apply(index: int, running: Decimal) -> Decimal:
        for posting in transactions[index].postings:
            account = posting.account
            if account[0] == FUNDS and account[2] == period and (holder is None or account[1] == holder):
                running += posting.amount
        return running

    running = ZERO
    index = 0
    while index < len(transactions) and transactions[index].date <= on:
        running = apply(index, running)
        index += 1
    lowest = running  # at the end of the decision's day
    while index < len(transactions):
        day = transactions[index].date
        while index < len(transactions) and transactions[index].date == day:
            running = apply(index, running)
            index += 1
        lowest = min(lowest, running)
    if cut is not None:
        lowest = min(lowest, available(journal, cut[1], cut[0], holder))
    return lowest


def _carries_from(record: CarryOver, journal: Journal, period: YearSpan) -> bool:
    """A whole-remainder carry-over names ``period`` even when nothing was left to move."""
    target = journal.period_of(record.to_year)
    return period != target and period.overlaps(record.from_year)


def capacities(journal: Journal, period: YearSpan, on: dt.date, holders: tuple[str, ...]) -> dict[str, Decimal]:
    """:func:`available` for each holder; ``unattributed`` is judged on the period's total."""
    return {h: available(journal, period, on, None if h == UNATTRIBUTED else h) for h in holders}
