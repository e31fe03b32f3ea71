"""The immutable records of a cluster's ledger.

Plain frozen dataclasses: the core computes new results from them and never changes them.
They are built only by the loader (``storage.loader``), which validates the TOML files
against ``storage.schema`` first, so every record here is already known to be well-formed.
Field names are the TOML keys; ``docs/data-format.md`` shows each in a commented example.
Amounts are ``Decimal`` with exactly two decimals (øre).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Union

PartnerKind = Literal["kommune", "region", "almen praksis"]
WeightBasis = Literal["allocation", "population", "equal"]
DecisionLevel = Literal["politisk", "fagligt strategisk", "administrativ"]
Measure = Literal["received", "announced", "allocated", "granted", "applied", "share", "disbursed", "remaining"]


@dataclass(frozen=True)
class YearSpan:
    """A budget year (``first == last``), or a period the source reports only as one figure."""

    first: int
    last: int

    def contains(self, year: int) -> bool:
        return self.first <= year <= self.last

    @property
    def is_period(self) -> bool:
        return self.first != self.last

    def __str__(self) -> str:
        return str(self.first) if not self.is_period else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class Address:
    """A postal address, as invoices need it."""

    street: str
    postal_code: str
    city: str
    country: str = "DK"


@dataclass(frozen=True)
class PaymentAccount:
    """Where a partner wants to be paid when it invoices others (reg.nr. + kontonr., or IBAN)."""

    bank_reg: str | None = None
    bank_account: str | None = None
    iban: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Partner:
    """A member of the cluster.

    ``kind`` is kommune, region or almen praksis; general practice (PLO) is a member but
    holds no cluster funds. ``cvr`` (8 digits), ``ean`` (13-digit GLN where it receives
    e-invoices), ``kommunekode`` (3 digits), ``population``, ``address`` and ``payment``
    are optional: only invoicing and population weights need them.
    """

    id: str
    name: str
    kind: PartnerKind
    short_name: str | None = None
    cvr: str | None = None
    ean: str | None = None
    kommunekode: str | None = None
    population: int | None = None
    address: Address | None = None
    payment: PaymentAccount | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        """The short name for narrow tables."""
        return self.short_name or self.name


@dataclass(frozen=True)
class Group:
    """Partners the source reports only together (e.g. "the municipalities" in a ministry table).

    An allocation to a group cannot be attributed to its members; ``members`` may be empty
    when the source does not say who they are.
    """

    id: str
    name: str
    members: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Allocation:
    """State money for one partner (or group) for a year or period.

    ``announced`` is what was announced (*udmeldt*), ``received`` what actually arrived
    (*modtaget*); at least one is known. ``source`` names the document it comes from.
    """

    partner: str
    year: YearSpan
    announced: Decimal | None = None
    received: Decimal | None = None
    source: str | None = None
    note: str | None = None

    @property
    def amount(self) -> Decimal:
        """What balances count: the amount received where known, else the amount announced."""
        return self.received if self.received is not None else self.announced  # type: ignore[return-value]


@dataclass(frozen=True)
class FocusArea:
    """A focus area the political level chose; ``status`` says e.g. funded or paused."""

    name: str
    status: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Solidarity:
    """Every fund-holding partner pays a share of every grant, taking part or not."""

    model: Literal["solidarity"] = "solidarity"
    weights: WeightBasis = "allocation"


@dataclass(frozen=True)
class FixedPlusProRata:
    """``fixed`` amounts for some partners; the rest shared pro rata among ``rest_among``
    (default: every other fund-holding partner)."""

    fixed: dict[str, Decimal]
    rest_among: tuple[str, ...] | None = None
    weights: WeightBasis = "allocation"
    model: Literal["fixed-plus-pro-rata"] = "fixed-plus-pro-rata"


@dataclass(frozen=True)
class ParticipantsOnly:
    """Only the ``participants`` pay, pro rata on the given basis."""

    participants: tuple[str, ...]
    weights: WeightBasis = "allocation"
    model: Literal["participants"] = "participants"


@dataclass(frozen=True)
class ExplicitAmounts:
    """Each partner's amount was negotiated individually; together they make the grant."""

    amounts: dict[str, Decimal]
    model: Literal["explicit"] = "explicit"


@dataclass(frozen=True)
class UnknownSplit:
    """The source states the grant but not how it is shared; the ledger says so instead of guessing."""

    model: Literal["unknown"] = "unknown"


Financing = Union[Solidarity, FixedPlusProRata, ParticipantsOnly, ExplicitAmounts, UnknownSplit]
FINANCING_MODELS = ("solidarity", "fixed-plus-pro-rata", "participants", "explicit", "unknown")


@dataclass(frozen=True)
class Decision:
    """Who decided (``level``: politisk, fagligt strategisk or administrativ) and on which ``date``."""

    level: DecisionLevel
    date: dt.date
    body: str | None = None
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Grant:
    """An initiative granted funds (*bevilling*); one file per grant.

    ``applied`` is the amount applied for (*ansøgt*), ``granted`` what the political level
    granted (*tildelt*). ``owner`` (*projektejer*) keeps the accounts and invoices the other
    contributors. ``condition`` records a conditional grant; ``override_shortfall`` the
    reason given when a grant was recorded although a partner could not afford its share.
    """

    id: str
    name: str
    granted: Decimal
    financing: Financing
    owner: str | None = None
    focus_area: str | None = None
    year: YearSpan | None = None
    applied: Decimal | None = None
    decision: Decision | None = None
    condition: str | None = None
    override_shortfall: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cluster:
    """The hand-edited cluster file: who the partners are and what they received.

    ``aliases`` are other names people use for the cluster; ``default_financing`` is the
    co-financing model the cluster adopted, used when a proposal names none.
    """

    id: str
    name: str
    region: str
    partners: tuple[Partner, ...]
    aliases: tuple[str, ...] = ()
    default_financing: str = "solidarity"
    groups: tuple[Group, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    focus_areas: tuple[FocusArea, ...] = ()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def partner(self, partner_id: str) -> Partner | None:
        return next((p for p in self.partners if p.id == partner_id), None)

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def holder_ids(self) -> tuple[str, ...]:
        """Every id an allocation may name: the partners, then the groups."""
        return tuple(p.id for p in self.partners) + tuple(g.id for g in self.groups)


@dataclass(frozen=True)
class ReferenceFigure:
    """A figure printed in a source document, which the tool recomputes and compares.

    ``measure`` says what the figure is (e.g. a partner's ``share`` of a ``grant``, or the
    cluster's total ``remaining``); ``source`` names the document and item. ``as_of`` is the
    document's date: the figure is checked against the grants decided by then, so later
    grants and changes do not make it look wrong.
    """

    measure: Measure
    amount: Decimal
    source: str
    partner: str | None = None
    grant: str | None = None
    year: YearSpan | None = None
    note: str | None = None
    as_of: dt.date | None = None


InvoiceKind = Literal["invoice", "credit_note"]


@dataclass(frozen=True)
class Invoice:
    """An issued invoice or credit note (*kreditnota*); one file per document, written by the tool.

    ``number`` is unique in the cluster and never reused (it names the file). ``issuer`` is
    the grant's project owner, ``recipient`` the partner that pays its share. ``amount`` is
    positive for both kinds; a credit note names the invoice it ``credits``.
    """

    number: str
    kind: InvoiceKind
    issuer: str
    recipient: str
    grant: str
    amount: Decimal
    issue_date: dt.date
    due_date: dt.date
    credits: str | None = None
    note: str | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"


@dataclass(frozen=True)
class Payment:
    """A payment received for an invoice (partial payments are separate records)."""

    invoice: str
    date: dt.date
    amount: Decimal
    note: str | None = None


ChangeKind = Literal["top-up", "reduction", "withdrawal", "transfer"]
CHANGE_KINDS = ("top-up", "reduction", "withdrawal", "transfer")


@dataclass(frozen=True)
class Change:
    """A dated change to a grant after its decision; one file per change in ``changes/``.

    ``kind`` is ``top-up`` (*tillægsbevilling*), ``reduction``, ``withdrawal`` (the grant
    goes to 0 and its money is freed) or ``transfer`` (``amount`` moves from ``grant`` to
    ``to_grant`` on the same date). ``amount`` is absent only for a withdrawal. The grant's
    original file is never rewritten: its current state is the grant plus its changes in
    date order. ``year`` is the budget year whose funds the change uses or frees
    (default: the year of the decision).
    """

    id: str
    kind: ChangeKind
    grant: str
    decision: Decision
    amount: Decimal | None = None
    to_grant: str | None = None
    year: YearSpan | None = None
    reason: str | None = None
    override_shortfall: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def date(self) -> dt.date:
        return self.decision.date

    @property
    def grants(self) -> tuple[str, ...]:
        """Every grant the change touches (two for a transfer)."""
        return (self.grant, self.to_grant) if self.to_grant else (self.grant,)


@dataclass(frozen=True)
class CarryOver:
    """A decision to move unspent funds into a later year (*overførsel*); one file in ``carryovers/``.

    ``from_year`` may be a period (every year in it gives up its remainder); ``to_year`` is
    the year that receives. ``partner`` omitted means every holder of funds; ``amount``
    omitted means the whole remainder. ``stated_amount`` is the total the source says was
    carried, which the year view checks against its own figure.
    """

    id: str
    from_year: YearSpan
    to_year: int
    partner: str | None = None
    amount: Decimal | None = None
    stated_amount: Decimal | None = None
    decision: Decision | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def date(self) -> dt.date | None:
        return self.decision.date if self.decision else None


RECORD_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        YearSpan, Address, PaymentAccount, Partner, Group, Allocation, FocusArea, Solidarity,
        FixedPlusProRata, ParticipantsOnly, ExplicitAmounts, UnknownSplit, Decision, Grant,
        Cluster, ReferenceFigure, Invoice, Payment, Change, CarryOver,
    )
}
