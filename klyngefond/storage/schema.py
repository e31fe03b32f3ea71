"""What the TOML files must look like: pydantic models that validate them.

One model per record in ``core.records``, with the same names and fields, adding what a
file needs checked: types, id patterns, amounts in øre, unknown keys (usually typos).
``to_record`` turns a validated model into the plain immutable record the core works on;
keeping pydantic out of the core keeps it out of the start-up of a cached ``status``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from klyngefond.core.money import AmountError, parse_amount
from klyngefond.core.records import RECORD_TYPES, DecisionLevel, Measure, PartnerKind, WeightBasis

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"


def _amount(value: object) -> Decimal:
    try:
        return parse_amount(value)
    except AmountError as exc:
        # pydantic turns ValueError into a located validation error; keep the hint with it.
        raise ValueError(f"{exc.message}; {exc.hint}" if exc.hint else exc.message) from None


Amount = Annotated[Decimal, BeforeValidator(_amount)]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
# One note may be written as a plain string instead of a list of one.
Notes = Annotated[tuple[str, ...], BeforeValidator(lambda value: (value,) if isinstance(value, str) else value)]


class Record(BaseModel):
    """Base of every record: immutable, and unknown keys are errors (they are usually typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class YearSpan(BaseModel):
    """A budget year, or a period of years the source reports only as one figure (``"2022-2023"``)."""

    model_config = ConfigDict(frozen=True)
    first: int
    last: int

    @model_validator(mode="before")
    @classmethod
    def _from_toml(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("a year is written 2023 or as a period \"2022-2023\"")
        if isinstance(value, int):
            return {"first": value, "last": value}
        if isinstance(value, str):
            match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", value)
            if not match:
                raise ValueError(f"{value!r} is not a year; write 2023 or \"2022-2023\"")
            first = int(match.group(1))
            return {"first": first, "last": int(match.group(2) or first)}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> YearSpan:
        if not (2000 <= self.first <= self.last <= 2100):
            raise ValueError(f"the period {self.first}-{self.last} is not a sensible range of years")
        return self



class Address(Record):
    street: str
    postal_code: str
    city: str
    country: str = "DK"


class PaymentAccount(Record):
    """Where a partner wants to be paid when it invoices others."""

    bank_reg: str | None = None
    bank_account: str | None = None
    iban: str | None = None
    note: str | None = None




class Partner(Record):
    """A member of the cluster. General practice (PLO) is a member but receives no funds."""

    id: Id
    name: str
    kind: PartnerKind
    short_name: str | None = None
    cvr: str | None = None
    ean: str | None = None
    kommunekode: str | None = None
    population: int | None = Field(default=None, ge=0)
    address: Address | None = None
    payment: PaymentAccount | None = None
    note: str | None = None

    @field_validator("cvr")
    @classmethod
    def _cvr_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{8}", value):
            raise ValueError("a CVR number is 8 digits, written as a string: cvr = \"29189846\"")
        return value

    @field_validator("ean")
    @classmethod
    def _ean_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{13}", value):
            raise ValueError("an EAN/GLN location number is 13 digits, written as a string")
        return value

    @field_validator("kommunekode")
    @classmethod
    def _kommunekode_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{3}", value):
            raise ValueError("a kommunekode is three digits, written as a string: kommunekode = \"561\"")
        return value



class Group(Record):
    """Partners the source reports only together (e.g. "the municipalities" in a ministry table)."""

    id: Id
    name: str
    members: tuple[Id, ...] = ()
    note: str | None = None


class Allocation(Record):
    """State money for one partner (or group) for a year or period.

    ``announced`` is what was announced (*udmeldt*), ``received`` what actually arrived
    (*modtaget*). Balances use ``received`` where it is known, else ``announced``.
    """

    partner: Id
    year: YearSpan
    announced: Amount | None = None
    received: Amount | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _some_amount(self) -> Allocation:
        if self.announced is None and self.received is None:
            raise ValueError("give the amount announced (announced = ...) or received (received = ...), or both")
        return self



class FocusArea(Record):
    name: str
    status: str | None = None
    note: str | None = None




class Solidarity(Record):
    """Every fund-holding partner pays a share of every grant, taking part or not."""

    model: Literal["solidarity"]
    weights: WeightBasis = "allocation"


class FixedPlusProRata(Record):
    """Some partners pay fixed amounts; the rest is shared pro rata among the others."""

    model: Literal["fixed-plus-pro-rata"]
    fixed: dict[str, Amount]
    rest_among: tuple[Id, ...] | None = None
    weights: WeightBasis = "allocation"


class ParticipantsOnly(Record):
    """Only the partners taking part pay, pro rata."""

    model: Literal["participants"]
    participants: tuple[Id, ...]
    weights: WeightBasis = "allocation"


class ExplicitAmounts(Record):
    """Each partner's amount was negotiated individually; they must add up to the grant."""

    model: Literal["explicit"]
    amounts: dict[str, Amount]


class UnknownSplit(Record):
    """The source states the grant but not how it is shared; the ledger says so instead of guessing."""

    model: Literal["unknown"]


Financing = Annotated[
    Union[Solidarity, FixedPlusProRata, ParticipantsOnly, ExplicitAmounts, UnknownSplit],
    Field(discriminator="model"),
]




class Decision(Record):
    """Who decided, and when."""

    level: DecisionLevel
    date: dt.date
    body: str | None = None
    reference: str | None = None
    note: str | None = None


class Grant(Record):
    """An initiative granted funds (*bevilling*), one file per grant."""

    id: Id
    name: str
    owner: Id | None = None
    focus_area: str | None = None
    year: YearSpan | None = None
    applied: Amount | None = None
    granted: Amount
    decision: Decision | None = None
    financing: Financing
    condition: str | None = None
    override_shortfall: str | None = None
    source: str | None = None
    notes: Notes = ()


class Cluster(Record):
    """The hand-edited cluster file: who the partners are and what they received."""

    id: Id
    name: str
    region: str
    aliases: tuple[str, ...] = ()
    default_financing: Literal["solidarity", "fixed-plus-pro-rata", "participants", "explicit"] = "solidarity"
    partners: tuple[Partner, ...]
    groups: tuple[Group, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    focus_areas: tuple[FocusArea, ...] = ()
    sources: tuple[str, ...] = ()
    notes: Notes = ()





class ReferenceFigure(Record):
    """A figure printed in a source document, which the tool recomputes and compares."""

    measure: Measure
    amount: Amount
    partner: Id | None = None
    grant: Id | None = None
    year: YearSpan | None = None
    source: str
    note: str | None = None
    as_of: dt.date | None = None


class Invoice(Record):
    """An issued invoice or credit note, written by ``klyngefond invoices --issue``."""

    number: Id
    kind: Literal["invoice", "credit_note"]
    issuer: Id
    recipient: Id
    grant: Id
    amount: Amount
    issue_date: dt.date
    due_date: dt.date
    credits: Id | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Invoice:
        if self.amount <= 0:
            raise ValueError("amount must be above 0 (a credit note also carries a positive amount)")
        if self.due_date < self.issue_date:
            raise ValueError(f"due_date {self.due_date} is before issue_date {self.issue_date}")
        if self.kind == "credit_note" and self.credits is None:
            raise ValueError("a credit note must name the invoice it credits: credits = \"<invoice number>\"")
        if self.kind == "invoice" and self.credits is not None:
            raise ValueError("only a credit note credits an invoice; remove credits")
        if self.issuer == self.recipient:
            raise ValueError("issuer and recipient are the same partner")
        return self


class Payment(Record):
    """A payment received for an invoice, written by ``klyngefond pay``."""

    invoice: Id
    date: dt.date
    amount: Amount
    note: str | None = None

    @field_validator("amount")
    @classmethod
    def _positive(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("a payment must be above 0 kr.")
        return value


class Change(Record):
    """A dated change to a grant (top-up, reduction, withdrawal, transfer), one file in ``changes/``."""

    id: Id
    kind: Literal["top-up", "reduction", "withdrawal", "transfer"]
    grant: Id
    amount: Amount | None = None
    to_grant: Id | None = None
    year: YearSpan | None = None
    decision: Decision
    reason: str | None = None
    override_shortfall: str | None = None
    source: str | None = None
    notes: Notes = ()

    @model_validator(mode="after")
    def _consistent(self) -> Change:
        if self.kind == "withdrawal":
            if self.amount is not None:
                raise ValueError("a withdrawal frees the whole grant; remove amount (use kind = \"reduction\" for part of it)")
        elif self.amount is None or self.amount <= 0:
            raise ValueError(f"a {self.kind} needs an amount above 0: amount = \"100000.00\"")
        if self.kind == "transfer":
            if self.to_grant is None:
                raise ValueError("a transfer needs the grant that receives the money: to_grant = \"<grant id>\"")
            if self.to_grant == self.grant:
                raise ValueError("a transfer must move money to another grant")
        elif self.to_grant is not None:
            raise ValueError(f"only a transfer has to_grant; remove it from this {self.kind}")
        return self


class CarryOver(Record):
    """A decision to move unspent funds into a later year, one file in ``carryovers/``."""

    id: Id
    from_year: YearSpan
    to_year: int = Field(ge=2000, le=2100)
    partner: Id | None = None
    amount: Amount | None = None
    stated_amount: Amount | None = None
    decision: Decision | None = None
    source: str | None = None
    notes: Notes = ()

    @model_validator(mode="after")
    def _consistent(self) -> CarryOver:
        if self.to_year <= self.from_year.last:
            raise ValueError(f"to_year {self.to_year} must come after from_year {self.from_year.first}"
                             + (f"-{self.from_year.last}" if self.from_year.last != self.from_year.first else ""))
        if self.amount is not None and self.amount <= 0:
            raise ValueError("amount must be above 0, or left out to carry the whole remainder")
        if self.amount is not None and self.partner is None:
            raise ValueError("an amount is carried for one partner: add partner = \"<id>\", or leave out amount "
                             "to carry every partner's remainder")
        return self


def to_record(value: Any) -> Any:
    """The ``core.records`` record of a validated model (recursively), by matching class name."""
    if isinstance(value, BaseModel):
        record_type = RECORD_TYPES[type(value).__name__]
        return record_type(**{name: to_record(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, tuple):
        return tuple(to_record(item) for item in value)
    if isinstance(value, dict):
        return {key: to_record(item) for key, item in value.items()}
    return value
