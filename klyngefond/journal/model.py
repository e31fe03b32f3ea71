"""The journal's records: accounts, postings, transactions, and the journal itself.

Accounts are tuples, so that a query can select by prefix without parsing strings:

==================================  =========================================================
``("funds", holder, period)``        what a partner (or a group) has of its cluster funds for a
                                     budget year or period; the ``holder`` ``unattributed`` carries
                                     commitments whose split between partners is not known
``("state", period)``                the state money paid out for that period (the source)
``("committed", grant, holder)``     a partner's share of a grant, committed and not yet spent
``("spent", grant, holder)``         a partner's share of what the project owner has spent
``("receivable", issuer, number)``   what the recipient of invoice ``number`` still owes its issuer
``("payable", recipient, number)``   the same debt seen from the recipient (always the negative)
==================================  =========================================================

Every transaction's postings add up to zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from klyngefond.core.problems import Problem
from klyngefond.core.records import Cluster, YearSpan

FUNDS = "funds"
STATE = "state"
COMMITTED = "committed"
SPENT = "spent"
RECEIVABLE = "receivable"
PAYABLE = "payable"
HANDED_OVER = "handed-over"
UNATTRIBUTED = "unattributed"

Account = tuple[str, ...]

TransactionKind = Literal[
    "allocation", "carryover", "grant", "change", "annulment", "invoice", "credit_note", "payment", "refund",
    "spending", "closing", "closeout", "reopening",
]


@dataclass(frozen=True, slots=True)
class Posting:
    """An amount on an account. Positive adds to the account's balance."""

    account: Account
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Transaction:
    """What one record (or one annulment of a record) did to the accounts, on one date.

    ``ref`` names the record (``grants/kom-trygt-hjem``). ``date_stated`` is false when the
    record gives no date and the journal assumed the first day of its budget period.
    ``period`` is the budget period the transaction draws on or gives to; ``grant`` the
    grant it concerns. For an annulment, ``reverses`` is the annulled record's reference
    and ``reversed_kind`` its kind. ``after`` is a grant's amount once a grant decision or
    change applied (for the log).
    """

    date: dt.date
    kind: TransactionKind
    ref: str
    postings: tuple[Posting, ...]
    date_stated: bool = True
    period: YearSpan | None = None
    grant: str | None = None
    reverses: str | None = None
    reversed_kind: TransactionKind | None = None
    after: dict[str, Decimal] = field(default_factory=dict)
    record: object = None

    @property
    def effective_kind(self) -> TransactionKind:
        """The kind of money movement: an annulment counts as the kind it reverses."""
        return self.reversed_kind or self.kind if self.kind == "annulment" else self.kind


@dataclass(frozen=True, slots=True)
class GrantState:
    """A grant as the journal leaves it: its current amount, budget period and status."""

    id: str
    amount: Decimal
    period: YearSpan
    withdrawn: bool = False
    annulled: bool = False
    changes: int = 0
    closed: bool = False


@dataclass(frozen=True)
class Journal:
    """Every transaction of one cluster, in date order, and what the build found wrong.

    ``periods`` are the budget periods, in order: the years and periods the records name,
    with overlapping ones merged (a source that states 2022 and 2023 together makes one
    period ``2022-2023``). ``problems`` are records the journal could not apply.
    """

    cluster: Cluster
    periods: tuple[YearSpan, ...]
    transactions: tuple[Transaction, ...]
    grants: dict[str, GrantState]
    problems: tuple[Problem, ...] = ()

    def period_of(self, year: int) -> YearSpan:
        """The period containing ``year``; a one-year period when nothing is recorded for it."""
        for period in self.periods:
            if period.contains(year):
                return period
        return YearSpan(year, year)

    def periods_in(self, span: YearSpan) -> tuple[YearSpan, ...]:
        """The periods a view of ``span`` shows: every period that overlaps it."""
        return tuple(p for p in self.periods if p.overlaps(span))

    def until(self, as_of: dt.date | None) -> tuple[Transaction, ...]:
        """The transactions dated on or before ``as_of`` (all when ``None``)."""
        if as_of is None:
            return self.transactions
        return tuple(t for t in self.transactions if t.date <= as_of)
