"""Writing issued invoices and payments: numbered, never twice, never overwritten.

Layout in a cluster folder::

    invoices/<number>.toml      one issued invoice or credit note
    invoices/.sequence.toml     the last number used per issuer (storage.sequence)
    invoices/.lock              held while issuing or recording a payment
    payments/<number>-<n>.toml  the n-th payment of invoice <number>

Issuing reads the ledger again *while holding the lock*, plans the difference to what is
already issued, numbers the new documents and writes them, all before releasing the lock.
Two runs at the same time therefore run one after the other, and the second finds nothing
left to issue: nobody is billed twice and no number is used twice. A crash mid-way leaves
the documents written so far; the next run issues the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from klyngefond.core.invoicing import PlannedDocument, invoice_number, invoice_states
from klyngefond.core.ledger import Ledger
from klyngefond.core.money import json_amount
from klyngefond.core.records import Invoice, Payment
from klyngefond.storage.atomic import TargetExistsError, locked, write_new
from klyngefond.storage.problems import Problem
from klyngefond.storage.sequence import next_number

# The same names as storage.loader uses; not imported from there, which would load pydantic.
INVOICES_DIR = "invoices"
PAYMENTS_DIR = "payments"
SEQUENCE_FILE = ".sequence.toml"
LOCK_FILE = ".lock"


class LedgerProblems(Exception):
    """The ledger has problems, so nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problems in the data")
        self.problems = tuple(problems)


class Refused(Exception):
    """The action was refused; ``details`` say why and what to do. Nothing was written."""

    def __init__(self, message: str, *details: str) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


def invoices_dir(folder: Path) -> Path:
    return folder / INVOICES_DIR


def payments_dir(folder: Path) -> Path:
    return folder / PAYMENTS_DIR


def _lock_path(folder: Path) -> Path:
    directory = invoices_dir(folder)
    directory.mkdir(exist_ok=True)
    return directory / LOCK_FILE


def _fresh_ledger(folder: Path) -> Ledger:
    # The cache keys on every file's name, size, mtime and inode, so a document another
    # process wrote a moment ago always means a fresh read.
    from klyngefond.storage.cache import load_ledger_cached

    ledger, problems = load_ledger_cached(folder)
    if problems or ledger is None:
        raise LedgerProblems(problems)
    return ledger


def issue(
    folder: Path,
    plan: Callable[[Ledger], Sequence[PlannedDocument]],
    issue_date: dt.date,
    due_date: dt.date,
) -> tuple[Ledger, tuple[Invoice, ...]]:
    """Issue what ``plan`` asks for, given the ledger as it is under the lock.

    ``plan`` may raise :class:`Refused` (e.g. a partner lacks an EAN), in which case nothing
    is written. Returns the ledger with the new documents added, and the new documents.
    """
    with locked(_lock_path(folder)):
        ledger = _fresh_ledger(folder)
        planned = plan(ledger)
        issued: list[Invoice] = []
        for doc in planned:
            sequence = next_number(invoices_dir(folder) / SEQUENCE_FILE, doc.issuer)
            invoice = Invoice(
                number=invoice_number(ledger.cluster.id, doc.issuer, sequence),
                kind=doc.kind,
                issuer=doc.issuer,
                recipient=doc.recipient,
                grant=doc.grant,
                amount=doc.amount,
                issue_date=issue_date,
                due_date=due_date,
                credits=doc.credits,
            )
            # write_new: a number is never reused, and an existing file is never replaced.
            write_new(invoices_dir(folder) / f"{invoice.number}.toml", invoice_toml(invoice))
            issued.append(invoice)
    return replace(ledger, invoices=ledger.invoices + tuple(issued)), tuple(issued)


def record_payment(folder: Path, number: str, date: dt.date, amount: Decimal | None, note: str | None = None) -> tuple[Payment, Path, Decimal]:
    """Record a payment of invoice ``number``; the whole open amount when ``amount`` is None.

    Refuses a credit note, an invoice with nothing open, and an amount above what is open.
    Returns the payment, its file, and what is still open afterwards.
    """
    with locked(_lock_path(folder)):
        ledger = _fresh_ledger(folder)
        invoice = ledger.invoice(number)
        if invoice is None:
            raise Refused(f"there is no invoice {number!r} in {ledger.cluster.name}",
                          "the numbers are listed by: klyngefond invoices " + ledger.cluster.id)
        if invoice.is_credit_note:
            raise Refused(f"{number} is a credit note; payments are recorded against invoices",
                          f"record the payment of the credited invoice {invoice.credits} instead")
        state = next(s for s in invoice_states(ledger.invoices, ledger.payments) if s.invoice.number == number)
        if state.open <= 0:
            raise Refused(f"{number} has nothing left to pay (amount {_kr(invoice.amount)}, "
                          f"credited {_kr(state.credited)}, paid {_kr(state.paid)})")
        if amount is None:
            amount = state.open
        if amount > state.open:
            raise Refused(
                f"{_kr(amount)} is more than the {_kr(state.open)} left to pay on {number}; overpayment is refused",
                f"amount {_kr(invoice.amount)}, credited {_kr(state.credited)}, paid so far {_kr(state.paid)}",
            )
        if date < invoice.issue_date:
            raise Refused(f"the payment date {date.isoformat()} is before the invoice date {invoice.issue_date.isoformat()}",
                          "give the date the money arrived with --date YYYY-MM-DD")
        payment = Payment(invoice=number, date=date, amount=amount, note=note)
        directory = payments_dir(folder)
        directory.mkdir(exist_ok=True)
        count = sum(1 for p in ledger.payments if p.invoice == number)
        while True:
            count += 1
            path = directory / f"{number}-{count}.toml"
            try:
                write_new(path, payment_toml(payment))
                break
            except TargetExistsError:
                continue  # a file left by hand or by an interrupted run: take the next name
    return payment, path, state.open - amount


def _kr(amount: Decimal) -> str:
    return f"{json_amount(amount)} kr."


# --------------------------------------------------------------------------- TOML


def invoice_toml(invoice: Invoice) -> bytes:
    import tomli_w

    data: dict[str, object] = {
        "number": invoice.number,
        "kind": invoice.kind,
        "issuer": invoice.issuer,
        "recipient": invoice.recipient,
        "grant": invoice.grant,
        "amount": json_amount(invoice.amount),
        "issue_date": invoice.issue_date,
        "due_date": invoice.due_date,
    }
    if invoice.credits is not None:
        data["credits"] = invoice.credits
    if invoice.note is not None:
        data["note"] = invoice.note
    what = "credit note" if invoice.is_credit_note else "invoice"
    header = (
        f"# An issued {what}, written by `klyngefond invoices --issue`.\n"
        "# Do not edit or delete it: it records what was sent. Correct an amount by changing\n"
        "# the grant and issuing again, which sends a credit note or an additional invoice.\n"
    )
    return (header + tomli_w.dumps(data)).encode("utf-8")


def payment_toml(payment: Payment) -> bytes:
    import tomli_w

    data: dict[str, object] = {"invoice": payment.invoice, "date": payment.date, "amount": json_amount(payment.amount)}
    if payment.note:
        data["note"] = payment.note
    header = "# A payment received, written by `klyngefond pay`.\n"
    return (header + tomli_w.dumps(data)).encode("utf-8")
