"""The meeting pack (*mødemappe*): everything a cluster meeting needs about the funds, in one report. Pure.

It gathers the reports that already exist, over one view (``--year`` / ``--as-of``): the
status (partners, grants and their splits, notes, the sources' slips, invoicing), the
applications (applied against granted), and, with ``since``, what happened from that day
on, read from the journal's dated transactions: money received, decisions, changes,
carry-overs, grant closings, closeouts and annulments (worded as the log words them),
spending, invoices, credit notes, payments and refunds. Every figure is a query over the journal; nothing is computed here
that a report does not already compute, so the pack always agrees with ``status``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Invoice
from klyngefond.journal import query
from klyngefond.journal.model import FUNDS, Journal
from klyngefond.reports.applications import Applications, build_applications
from klyngefond.reports.log import LOGGED, Log, LogEntry, build_log
from klyngefond.reports.status import StatusReport, build_status
from klyngefond.reports.view import View

ZERO = Decimal("0.00")

# What the pack lists as "what happened": the log's decisions, plus money in, spending and invoicing.
LISTED = ("allocation", *LOGGED, "spending", "invoice", "credit_note", "payment", "refund")


@dataclass(frozen=True)
class Happening:
    """One dated transaction in the "since" list.

    ``kind`` is the transaction's kind and ``ref`` its record (``grants/<id>``, ``invoices/<number>``…);
    decisions and corrections carry the log's ``entry`` (so they are worded as
    ``klyngefond log`` words them). ``amount`` is what it moved: the allocation received,
    the log's amount, or the document's or payment's.
    """

    date: dt.date
    date_stated: bool
    kind: str
    ref: str
    amount: Decimal | None
    record: object
    entry: LogEntry | None = None


@dataclass(frozen=True)
class OpenCredit:
    """A credit note on an invoice that was paid before it was credited: the issuer owes money back."""

    note: Invoice
    invoice: Invoice
    to_refund: Decimal


@dataclass(frozen=True)
class MeetingPack:
    """The pack for one view. ``on`` is the day the figures stand on (``as_of``, or the day it is made)."""

    ledger: Ledger
    view: View
    status: StatusReport
    applications: Applications
    log: Log
    since: dt.date | None
    happenings: tuple[Happening, ...]
    open_credits: tuple[OpenCredit, ...]
    on: dt.date
    made: dt.date
    closing: object = None  # the closing statement (reports/closeout.ClosingStatement), when there is one to show


def build_pack(ledger: Ledger, journal: Journal, view: View, since: dt.date | None, today: dt.date,
               closing: dt.date | None = None) -> MeetingPack:
    """The meeting pack of ``view``; with ``since``, what happened from that day (inclusive) to the view's day.

    The closing statement and the settlement are part of it when the books are closed (a
    closeout in force on the view's day), or, as a proposal for the meeting that decides the
    closeout, when ``closing`` names the day to close on.
    """
    from klyngefond.reports.closeout import closing_statement

    status = build_status(ledger, journal, view, today)
    applications = build_applications(ledger, journal, view.span, view.as_of)
    log = build_log(ledger, journal, view.as_of)
    happenings = _happenings(journal, log, view.as_of, since) if since is not None else ()
    statement = None
    closed = query.closeout_in_force(journal)
    if closed is not None and (view.as_of is None or closed.date <= view.as_of):
        statement = closing_statement(ledger, journal, closed.date, closed.record)  # type: ignore[arg-type]
    elif closing is not None:
        statement = closing_statement(ledger, journal, closing)
    return MeetingPack(ledger, view, status, applications, log, since, happenings, open_credits(journal, view.as_of),
                       view.as_of or today, today, statement)


def _happenings(journal: Journal, log: Log, as_of: dt.date | None, since: dt.date) -> tuple[Happening, ...]:
    entries = iter(log.entries)  # the log lists the LOGGED transactions in the journal's order
    found = []
    for txn in journal.until(as_of):
        entry = next(entries) if txn.kind in LOGGED else None
        if txn.date < since or txn.kind not in LISTED:
            continue
        record = txn.record
        if entry is not None:
            amount = entry.amount
        elif txn.kind == "allocation":
            amount = sum((p.amount for p in txn.postings if p.account[0] == FUNDS), ZERO)
        else:
            amount = getattr(record, "amount", None)
        found.append(Happening(txn.date, txn.date_stated, txn.kind, txn.ref, amount, record, entry))
    return tuple(found)


def open_credits(journal: Journal, as_of: dt.date | None) -> tuple[OpenCredit, ...]:
    """Credit notes whose invoice was paid more than it now comes to, so that money goes back (until refunded)."""
    balances = query.invoice_balances(journal, as_of=as_of)
    found = []
    for note in query.credit_notes(journal, as_of=as_of):
        balance = balances.get(note.credits or "")
        if balance is not None and balance.open < 0:
            found.append(OpenCredit(note, balance.invoice, -balance.open))
    return tuple(found)
