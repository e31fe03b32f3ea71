"""The rules the journal must satisfy: a list of pure functions, each returning problems.

The same list runs when a decision is recorded (a new record that breaks a rule is refused
unless an override reason is given and stored with it) and in ``klyngefond check``.

* no partner, and no group of partners, is below zero in any budget period at the end of
  any day (a decision cannot draw money that is not there, nor take money a later
  decision already counts on);
* a period's holders together are not below zero (grants whose split is unknown are
  committed against the period's total);
* a payment never exceeds what is open on the invoice on its date, and a refund never
  exceeds what is owed back;
* records dated after today are flagged, unless their override says why;
* nothing is dated after the closeout that closed the books, unless a reopening names it.

A rule broken by a record that carries an ``override`` reason is reported as a warning
that quotes the reason, not as an error.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from klyngefond.core.ledger import Ledger
from klyngefond.core.problems import Problem
from klyngefond.core.records import YearSpan
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal.model import FUNDS, RECEIVABLE, UNATTRIBUTED, Journal, Transaction
from klyngefond.journal.query import closeout_in_force

ZERO = Decimal("0.00")

Invariant = Callable[[Ledger, Journal, dt.date], list[Problem]]

_AMOUNT_KEY = {"grant": "granted", "change": "amount", "carryover": "amount", "payment": "amount", "refund": "amount",
               "annulment": "record", "allocation": "received", "spending": "amount", "closing": "date", "closeout": "date"}


def _problem(ledger: Ledger, txn: Transaction, message: Message, hint: Message | None) -> Problem:
    override = getattr(txn.record, "override", None)
    path = ledger.origins.get(txn.ref)
    key = _AMOUNT_KEY.get(txn.kind)
    if override:
        return Problem(path, key, Message("invariants.overridden", problem=message, reason=Verbatim(override)), None,
                       "warning", code="override")
    return Problem(path, key, message, hint, "error", code="invariant")


def _days(journal: Journal) -> list[list[Transaction]]:
    days: list[list[Transaction]] = []
    for txn in journal.transactions:
        if days and days[-1][0].date == txn.date:
            days[-1].append(txn)
        else:
            days.append([txn])
    return days


def funds_never_negative(ledger: Ledger, journal: Journal, today: dt.date) -> list[Problem]:
    """No holder below zero in a period at the end of any day; one problem per holder and period."""
    balances: dict[tuple[str, YearSpan], Decimal] = defaultdict(lambda: ZERO)
    reported: set[tuple[str, YearSpan]] = set()
    problems = []
    cluster = ledger.cluster
    for day in _days(journal):
        touched: dict[tuple[str, YearSpan], Transaction] = {}
        for txn in day:
            for posting in txn.postings:
                if posting.account[0] != FUNDS or posting.account[1] == UNATTRIBUTED:
                    continue
                key = (posting.account[1], posting.account[2])
                balances[key] += posting.amount  # type: ignore[index]
                if posting.amount < 0:
                    touched[key] = txn  # type: ignore[index]
        for key, txn in touched.items():
            if balances[key] < 0 and key not in reported:
                reported.add(key)
                holder, period = key
                message = Message("invariants.below_zero", holder=Verbatim(cluster.holder_name(holder)), period=str(period),
                                  date=txn.date, missing=-balances[key], record=txn.ref)
                problems.append(_problem(ledger, txn, message, Message("invariants.hint_below_zero")))
    return problems


def period_total_never_negative(ledger: Ledger, journal: Journal, today: dt.date) -> list[Problem]:
    """The holders of a period together are not below zero once unattributed commitments count."""
    totals: dict[YearSpan, Decimal] = defaultdict(lambda: ZERO)
    reported: set[YearSpan] = set()
    problems = []
    for day in _days(journal):
        touched: dict[YearSpan, Transaction] = {}
        for txn in day:
            for posting in txn.postings:
                if posting.account[0] == FUNDS:
                    period = posting.account[2]
                    totals[period] += posting.amount  # type: ignore[index]
                    if posting.account[1] == UNATTRIBUTED and posting.amount < 0:
                        touched[period] = txn  # type: ignore[index]
        for period, txn in touched.items():
            if totals[period] < 0 and period not in reported:
                reported.add(period)
                message = Message("invariants.total_below_zero", period=str(period), date=txn.date, missing=-totals[period],
                                  record=txn.ref)
                problems.append(_problem(ledger, txn, message, Message("invariants.hint_total_below_zero")))
    return problems


def payments_within_open(ledger: Ledger, journal: Journal, today: dt.date) -> list[Problem]:
    """A payment never exceeds what is open on its invoice on its date; a refund what is owed back."""
    open_amount: dict[str, Decimal] = defaultdict(lambda: ZERO)
    problems = []
    for txn in journal.transactions:
        for posting in txn.postings:
            if posting.account[0] != RECEIVABLE:
                continue
            number = posting.account[2]
            before = open_amount[number]
            open_amount[number] += posting.amount
            if txn.kind == "payment" and -posting.amount > before:
                problems.append(_problem(ledger, txn, Message("invariants.overpaid", invoice=number, amount=-posting.amount,
                                                              open=before, date=txn.date), None))
            elif txn.kind == "refund" and posting.amount > -before:
                problems.append(_problem(ledger, txn, Message("invariants.over_refunded", invoice=number, amount=posting.amount,
                                                              owed=max(-before, ZERO), date=txn.date), None))
    return problems


def not_in_the_future(ledger: Ledger, journal: Journal, today: dt.date) -> list[Problem]:
    """Records dated after today need a reason: a future decision or payment is usually a typo."""
    problems = []
    for txn in journal.transactions:
        # A carry-over moves money on 1 January of its year, and a closeout may close the books at the
        # end of a year it was decided in advance of; it is their decision that must not lie ahead.
        decided = getattr(getattr(txn.record, "decision", None), "date", None) if txn.kind == "carryover" else (
            txn.date if txn.date_stated else None)
        if txn.kind == "closeout" and txn.record.decision is not None:  # type: ignore[attr-defined]
            decided = txn.record.decision.date  # type: ignore[attr-defined]
        if decided is None or decided <= today or getattr(txn.record, "override", None):
            continue
        problems.append(Problem(ledger.origins.get(txn.ref), None, Message("invariants.future", record=txn.ref, date=decided),
                                Message("invariants.hint_future"), "warning", code="future"))
    return problems


def nothing_after_closeout(ledger: Ledger, journal: Journal, today: dt.date) -> list[Problem]:
    """Closed books stay closed: no record is dated after the closeout in force (one no reopening names)."""
    closeout = closeout_in_force(journal)
    if closeout is None:
        return []
    return [_problem(ledger, txn, Message("closeout.dated_after", record=txn.ref, date=txn.date, closeout=closeout.ref,
                                          closed=closeout.date), Message("closeout.hint_reopen"))
            for txn in journal.transactions if txn.date > closeout.date and txn.kind not in ("reopening", "annulment")]


def journal_built(ledger: Ledger, journal: Journal, today: dt.date) -> list[Problem]:
    """Records the journal could not apply (a change to a withdrawn grant, an annulment out of order)."""
    return list(journal.problems)


INVARIANTS: tuple[Invariant, ...] = (
    journal_built,
    funds_never_negative,
    period_total_never_negative,
    payments_within_open,
    not_in_the_future,
    nothing_after_closeout,
)


def check_journal(ledger: Ledger, journal: Journal, today: dt.date) -> list[Problem]:
    """Every invariant's findings, in the order of the list above."""
    return [problem for invariant in INVARIANTS for problem in invariant(ledger, journal, today)]
