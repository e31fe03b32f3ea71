"""Rules a single record must satisfy beyond the shape of its fields. Pure.

Each rule takes a record and returns ``(key, message, hint)`` for every violation; the
validator (``storage/validate.py``) runs the rules of a record type after its fields have
been read, and the recording commands build records through the same path, so a record
the tool writes obeys the same rules as one a person typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

from klyngefond.core.records import (
    Allocation,
    Annulment,
    CarryOver,
    Change,
    Closeout,
    ExplicitAmounts,
    FixedPlusProRata,
    Grant,
    Invoice,
    Payment,
    Refund,
    Reopening,
    Spending,
)
from klyngefond.i18n import Message

Violation = tuple[str | None, Message, Message | None]
Rule = Callable[[object], Iterator[Violation]]
ZERO = Decimal("0.00")


def allocation_rules(record: Allocation) -> Iterator[Violation]:
    if record.announced is None and record.received is None:
        yield None, Message("rules.allocation_no_amount"), Message("rules.hint_allocation_amount")


def grant_rules(record: Grant) -> Iterator[Violation]:
    if record.year is None and record.decision is None:
        yield "year", Message("rules.grant_no_period"), Message("rules.hint_grant_period")
    if record.granted <= 0:
        yield "granted", Message("rules.amount_above_zero"), None
    financing = record.financing
    if isinstance(financing, ExplicitAmounts):
        for pid, amount in financing.amounts.items():
            if amount <= 0:
                yield f"financing.amounts.{pid}", Message("rules.amount_above_zero"), None
    if isinstance(financing, FixedPlusProRata) and not financing.fixed:
        yield "financing.fixed", Message("rules.fixed_empty"), None
    if record.year is not None and record.decision is not None and record.decision.date.year > record.year.last + 1:
        yield "year", Message("rules.grant_year_long_before", year=str(record.year), date=record.decision.date), None


def change_rules(record: Change) -> Iterator[Violation]:
    if record.kind == "withdrawal":
        if record.amount is not None:
            yield "amount", Message("rules.withdrawal_amount"), None
    elif record.amount is None or record.amount <= 0:
        yield "amount", Message("rules.change_needs_amount", kind=Message(f"words.change_{record.kind}")), None
    if record.kind == "transfer":
        if record.to_grant is None:
            yield "to_grant", Message("rules.transfer_needs_target"), None
        elif record.to_grant == record.grant:
            yield "to_grant", Message("rules.transfer_to_itself"), None
    elif record.to_grant is not None:
        yield "to_grant", Message("rules.only_transfer_target"), None


def carryover_rules(record: CarryOver) -> Iterator[Violation]:
    if record.to_year <= record.from_year.last:
        yield "to_year", Message("rules.carry_backwards", to_year=record.to_year, from_year=str(record.from_year)), None
    if record.amount is not None and record.amount <= 0:
        yield "amount", Message("rules.carry_amount_zero"), None
    if record.amount is not None and record.partner is None:
        yield "partner", Message("rules.carry_amount_needs_partner"), None


def invoice_rules(record: Invoice) -> Iterator[Violation]:
    if record.amount <= 0:
        yield "amount", Message("rules.invoice_amount"), None
    if record.kind == "invoice" and record.due_date is None:
        yield "due_date", Message("rules.invoice_needs_due_date"), None
    if record.due_date is not None and record.due_date < record.issue_date:
        yield "due_date", Message("rules.due_before_issue", due=record.due_date, issued=record.issue_date), None
    if record.kind == "credit_note" and record.credits is None:
        yield "credits", Message("rules.credit_needs_invoice"), None
    if record.kind == "invoice" and record.credits is not None:
        yield "credits", Message("rules.only_credit_credits"), None
    if record.issuer == record.recipient:
        yield "recipient", Message("rules.issuer_is_recipient"), None


def money_movement_rules(record: Payment | Refund) -> Iterator[Violation]:
    if record.amount <= 0:
        yield "amount", Message("rules.amount_above_zero"), None


def annulment_rules(record: Annulment) -> Iterator[Violation]:
    if not record.reason.strip():
        yield "reason", Message("rules.annul_needs_reason"), None


def spending_rules(record: Spending) -> Iterator[Violation]:
    if record.amount <= 0:
        yield "amount", Message("rules.amount_above_zero"), None
    if (record.period_from is None) != (record.period_to is None):
        missing = "period_to" if record.period_to is None else "period_from"
        yield missing, Message("spending.period_half"), Message("spending.hint_period")
    elif record.period_from is not None and record.period_to is not None and record.period_to < record.period_from:
        yield "period_to", Message("spending.period_backwards", start=record.period_from, end=record.period_to), None


def closeout_rules(record: Closeout) -> Iterator[Violation]:
    for index, transfer in enumerate(record.settlement, start=1):
        if transfer.amount <= 0:
            yield f"settlement[{index}].amount", Message("rules.amount_above_zero"), None
        if transfer.payer == transfer.payee:
            yield f"settlement[{index}].payee", Message("closeout.transfer_to_itself"), None


def reopening_rules(record: Reopening) -> Iterator[Violation]:
    if not record.reason.strip():
        yield "reason", Message("rules.annul_needs_reason"), None


RULES: dict[type, tuple[Rule, ...]] = {
    Allocation: (allocation_rules,),  # type: ignore[dict-item]
    Grant: (grant_rules,),  # type: ignore[dict-item]
    Change: (change_rules,),  # type: ignore[dict-item]
    CarryOver: (carryover_rules,),  # type: ignore[dict-item]
    Invoice: (invoice_rules,),  # type: ignore[dict-item]
    Payment: (money_movement_rules,),  # type: ignore[dict-item]
    Refund: (money_movement_rules,),  # type: ignore[dict-item]
    Annulment: (annulment_rules,),  # type: ignore[dict-item]
    Spending: (spending_rules,),  # type: ignore[dict-item]
    Closeout: (closeout_rules,),  # type: ignore[dict-item]
    Reopening: (reopening_rules,),  # type: ignore[dict-item]
}


def violations(record: object) -> list[Violation]:
    """Every rule of the record's type that it breaks."""
    return [v for rule in RULES.get(type(record), ()) for v in rule(record)]
