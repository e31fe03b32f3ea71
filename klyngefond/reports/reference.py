"""Checking the figures printed in the source documents against the journal. Pure.

Printed tables round each cell on its own and are typed by hand, so their cells need not
agree with an exact split, nor add up to their printed totals. Each disagreement becomes a
:class:`Discrepancy` that says which cell, by how much and of which kind, instead of
being hidden. A figure is checked against the journal as it stood on its document's date
(``as_of``), so later decisions do not make it look wrong; a figure for a year or period
is checked against that period's funds before anything was carried on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from klyngefond.core.records import Allocation, Cluster, Grant, ReferenceFigure, YearSpan
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal import query
from klyngefond.journal.model import Journal

ZERO = Decimal("0.00")

DiscrepancyKind = Literal["differs", "not_in_ledger", "parts_do_not_add_up", "received_vs_announced"]


@dataclass(frozen=True)
class Discrepancy:
    """A printed figure that disagrees with the journal (or with the figures printed beside it).

    ``computed`` is the journal's exact figure (``None`` when the journal cannot say); for
    ``parts_do_not_add_up`` it is the sum of the printed parts.
    """

    kind: DiscrepancyKind
    figure: ReferenceFigure
    computed: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.computed is None else self.figure.amount - self.computed


class _AsOf:
    """The journal's answers on one date, computed once for every figure of that date."""

    def __init__(self, journal: Journal, as_of: dt.date | None) -> None:
        self.journal = journal
        self.as_of = as_of
        transactions = journal.until(as_of)
        self.allocations: list[Allocation] = [t.record for t in transactions if t.kind == "allocation"]  # type: ignore[misc]
        self.grants: dict[str, Grant] = {t.grant: t.record for t in transactions if t.kind == "grant"}  # type: ignore[misc]
        self.shares = query.grant_shares(journal, as_of=as_of)
        self.amounts = {g: sum(s.values(), ZERO) for g, s in self.shares.items()}
        self.decided = query.decided_grants(journal, as_of=as_of)
        self._funds: dict[YearSpan | None, dict[str, query.FundsLine]] = {}
        # Indexes made once, so that each figure costs what it looks at, not the whole ledger.
        self._by_period: dict[YearSpan, list[str]] = defaultdict(list)
        for gid in self.decided:
            self._by_period[journal.grants[gid].period].append(gid)
        self._by_partner: dict[str, list[Allocation]] = defaultdict(list)
        for allocation in self.allocations:
            self._by_partner[allocation.partner].append(allocation)

    def funds(self, span: YearSpan | None) -> dict[str, query.FundsLine]:
        if span not in self._funds:
            self._funds[span] = query.funds(self.journal, as_of=self.as_of, span=span)
        return self._funds[span]

    def allocation_sum(self, figure: ReferenceFigure, measure: str) -> Decimal | None:
        candidates = self.allocations if figure.partner is None else self._by_partner.get(figure.partner, [])
        values = [
            a.amount if measure == "allocated" else getattr(a, measure)
            for a in candidates
            if figure.year is None or a.year.within(figure.year)
        ]
        known = [v for v in values if v is not None]
        return sum(known, ZERO) if known else None

    def grants_in(self, figure: ReferenceFigure) -> list[str]:
        if figure.grant is not None:
            return [figure.grant]
        if figure.year is None:
            return self.decided
        return [g for period, grants in self._by_period.items() if period.overlaps(figure.year) for g in grants]

    def computed(self, figure: ReferenceFigure) -> Decimal | None:
        measure = figure.measure
        if measure in ("received", "allocated", "announced"):
            return self.allocation_sum(figure, measure)
        if measure == "granted":
            return sum((self.amounts.get(g, ZERO) for g in self.grants_in(figure)), ZERO)
        if measure == "applied":
            applied = [self.grants[g].applied for g in self.grants_in(figure) if g in self.grants]
            return None if not applied or any(a is None for a in applied) else sum(applied, ZERO)  # type: ignore[arg-type]
        if measure == "share":
            shares = self.shares.get(figure.grant or "")
            if shares is None or figure.partner is None or "unattributed" in shares:
                return None
            return shares.get(figure.partner, ZERO)
        lines = self.funds(figure.year)
        if figure.partner is not None:
            line = lines.get(figure.partner)
            if line is None:
                return None
            lines = {figure.partner: line}
        if measure == "disbursed":
            return sum((line.committed for line in lines.values()), ZERO)
        # Remaining, as the minutes mean it: what the period's funds leave before any of it is carried on.
        return sum((line.closing + line.carried_out for line in lines.values()), ZERO)


def check_figures(figures: tuple[ReferenceFigure, ...], journal: Journal) -> list[Discrepancy]:
    """Every printed figure that disagrees with the journal on its own date, then the printed sums."""
    found: list[Discrepancy] = []
    answers: dict[dt.date | None, _AsOf] = {}
    for figure in figures:
        at = answers.get(figure.as_of)
        if at is None:  # once per date (setdefault would build it for every figure)
            at = answers[figure.as_of] = _AsOf(journal, figure.as_of)
        computed = at.computed(figure)
        if computed is None and figure.measure == "received":
            announced = at.allocation_sum(figure, "announced")
            if announced is not None and announced != figure.amount:
                found.append(Discrepancy("received_vs_announced", figure, announced))
                continue
        if computed is None:
            found.append(Discrepancy("not_in_ledger", figure, None))
        elif computed != figure.amount:
            found.append(Discrepancy("differs", figure, computed))
    found.extend(_printed_sums(figures))
    return found


def _printed_sums(figures: tuple[ReferenceFigure, ...]) -> list[Discrepancy]:
    """Printed totals that differ from the sum of the printed parts beside them."""
    parts: dict[tuple[str, str | None, str | None], list[ReferenceFigure]] = defaultdict(list)
    totals: dict[tuple[str, str | None, str | None], ReferenceFigure] = {}
    for figure in figures:
        year = str(figure.year) if figure.year else None
        if figure.measure == "share" and figure.partner is not None:
            parts[("share", figure.grant, year)].append(figure)
        elif figure.measure == "granted" and figure.grant is not None:
            totals[("share", figure.grant, year)] = figure
        elif figure.measure in ("disbursed", "remaining", "received", "allocated"):
            key = (figure.measure, None, year)
            if figure.partner is not None:
                parts[key].append(figure)
            else:
                totals[key] = figure
    found = []
    for key, total in totals.items():
        if key in parts:
            printed_sum = sum((f.amount for f in parts[key]), ZERO)
            if printed_sum != total.amount:
                found.append(Discrepancy("parts_do_not_add_up", total, printed_sum))
    return found


def figure_period(figure: ReferenceFigure, journal: Journal) -> YearSpan | None:
    """The budget years a figure is about: its ``year``, else its grant's period."""
    if figure.year is not None:
        return figure.year
    if figure.grant is not None and figure.grant in journal.grants:
        return journal.grants[figure.grant].period
    return None


# --------------------------------------------------------------------------- wording

ROUNDING = Decimal("0.05")


def is_rounding(found: Discrepancy) -> bool:
    """A cell that differs by a few øre from an exact split: the table rounded it on its own."""
    return (found.kind == "differs" and found.figure.measure in ("share", "disbursed", "remaining")
            and abs(found.difference or ZERO) <= ROUNDING)


def is_whole_krone_rounding(found: Discrepancy) -> bool:
    """A printed total of whole kroner a krone off the exact sum: its cells may have been rounded on their own."""
    return (found.kind == "differs" and found.figure.measure in ("announced", "received", "allocated")
            and abs(found.difference or ZERO) <= Decimal("1.00"))


def figure_words(figure: ReferenceFigure, cluster: Cluster, grant_names: dict[str, str]) -> Message:
    """What the figure is, e.g. «andel «Kom Trygt Hjem» (Vejen Kommune) 2022-2023»."""
    what = Message(f"words.measure_{figure.measure}")
    if figure.grant is not None:
        what = Message("check.what_grant", what=what, grant=Verbatim(grant_names.get(figure.grant, figure.grant)))
    if figure.partner is not None:
        what = Message("check.what_partner", what=what, partner=Verbatim(cluster.holder_name(figure.partner)))
    if figure.year is not None:
        what = Message("check.what_year", what=what, year=str(figure.year))
    return what


def wording(found: Discrepancy, cluster: Cluster, grant_names: dict[str, str]) -> tuple[Message, Message]:
    """The sentence saying what the source printed and what the journal gives, and what to do about it.

    One wording for ``status``, ``check`` and the meeting pack.
    """
    figure = found.figure
    what = figure_words(figure, cluster, grant_names)
    if found.kind == "parts_do_not_add_up" and figure.measure == "granted" and figure.grant is not None:
        what = Message("status.shares_of", grant=Verbatim(grant_names.get(figure.grant, figure.grant)))
    params: dict[str, object] = {"source": Verbatim(figure.source), "what": what, "printed": figure.amount}
    if found.kind == "not_in_ledger":
        return Message("status.check_not_in_ledger", **params), Message("check.hint_not_in_ledger")
    params |= {"computed": found.computed, "difference": found.difference}
    if found.kind == "parts_do_not_add_up":
        return Message("status.check_parts", **params), Message("check.hint_parts")
    if found.kind == "received_vs_announced":
        return Message("status.check_received_vs_announced", **params), Message("check.hint_received")
    if is_rounding(found):
        return Message("status.check_differs_rounding", **params), Message("check.hint_rounding")
    if is_whole_krone_rounding(found):
        return Message("status.check_differs", **params), Message("check.hint_rounding_krone")
    return Message("status.check_differs", **params), Message("check.hint_differs")
