"""What a report looks at: which budget years, as of which day.

Every report takes the same two choices: ``--year`` (a year or a period such as
``2022-2023``; none means all years) and ``--as-of`` (the ledger as it stood at the end of
that day; none means everything recorded). A year that lies inside a merged period shows
the whole period, and the report says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klyngefond.core.records import YearSpan
from klyngefond.journal.model import Journal


@dataclass(frozen=True)
class View:
    """``span``: the years asked for (``None``: all); ``as_of``: the last day counted (``None``: all)."""

    span: YearSpan | None = None
    as_of: dt.date | None = None

    def periods(self, journal: Journal) -> tuple[YearSpan, ...]:
        """The budget periods the view shows."""
        return journal.periods if self.span is None else journal.periods_in(self.span)

    def shown_span(self, journal: Journal) -> YearSpan | None:
        """The years actually shown: the asked span widened to whole periods."""
        if self.span is None:
            return None
        periods = self.periods(journal)
        if not periods:
            return self.span
        return YearSpan(min(self.span.first, periods[0].first), max(self.span.last, periods[-1].last))

    def widened(self, journal: Journal) -> bool:
        shown = self.shown_span(journal)
        return shown is not None and shown != self.span

    def includes(self, period: YearSpan | None, journal: Journal) -> bool:
        shown = self.shown_span(journal)
        return shown is None or (period is not None and period.overlaps(shown))
