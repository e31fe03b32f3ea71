"""The records of a cluster's ledger: one definition each.

Every record is a frozen dataclass; its fields are the TOML keys of its file (see
``docs/data-format.md``), and its annotations are all the validator needs
(``storage/validate.py`` reads them): the markers below say what a string or a number
must look like. Nothing here imports a library or touches a file, and no record is ever
changed after it is built: the core computes new results from them.

Amounts are ``Decimal`` with exactly two decimals (øre), never negative in a record; the
sign of money lives in the journal's postings (``journal/``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from typing import Annotated, Literal, Union

# --- what a field must look like (read by storage/validate.py) ---------------------------
Id = Annotated[str, "id"]  # a-z, 0-9 and '-', at most 80 characters: it names files
Name = Annotated[str, "name"]  # one line of text, not empty, no control characters
Text = Annotated[str, "text"]  # free text; line breaks allowed, no other control characters
Amount = Annotated[Decimal, "amount"]  # kroner with at most two decimals, 0 to 10^12
Date = Annotated[dt.date, "date"]  # a TOML date (2024-03-01), 1990 to 2100
Year = Annotated[int, "year"]  # 1990 to 2100
Digits = Annotated[str, "digits"]  # a string of ASCII digits (CVR, EAN, kommunekode, account numbers)
InvoiceNumber = Annotated[str, "invoice_number"]  # like an id, capitals allowed: ESB-2024-0007 (it names a file)
InvoicePrefix = Annotated[str, "invoice_prefix"]  # 2-8 capitals and digits, a capital first: ESB

PartnerKind = Literal["kommune", "region", "almen praksis"]
WeightBasis = Literal["allocation", "population", "equal"]
DecisionLevel = Literal["politisk", "fagligt strategisk", "administrativ"]
Measure = Literal["received", "announced", "allocated", "granted", "applied", "share", "disbursed", "remaining"]
InvoiceFormat = Literal["oioubl", "peppol"]


@dataclass(frozen=True, slots=True)
class YearSpan:
    """A budget year (``first == last``) or a period the source reports only as one figure.

    Written ``2023`` or ``"2022-2023"`` in a file.
    """

    first: int
    last: int

    def contains(self, year: int) -> bool:
        return self.first <= year <= self.last

    def overlaps(self, other: YearSpan) -> bool:
        return self.first <= other.last and other.first <= self.last

    def within(self, other: YearSpan) -> bool:
        return other.first <= self.first and self.last <= other.last

    @property
    def is_period(self) -> bool:
        return self.first != self.last

    def __str__(self) -> str:
        return str(self.first) if not self.is_period else f"{self.first}-{self.last}"

    @classmethod
    def of(cls, year: int) -> YearSpan:
        return cls(year, year)


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address, as invoices need it."""

    street: Name
    postal_code: Name
    city: Name
    country: Annotated[str, "country"] = "DK"


@dataclass(frozen=True, slots=True)
class PaymentAccount:
    """Where a partner wants to be paid when it invoices others.

    Either ``bank_reg`` (4 digits) and ``bank_account`` (up to 10 digits), or ``iban``
    (with ``bic``, the bank's SWIFT code, which OIOUBL requires for IBAN payment).
    """

    bank_reg: Digits | None = None
    bank_account: Digits | None = None
    iban: Name | None = None
    bic: Name | None = None
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Partner:
    """A member of the cluster.

    ``kind`` is kommune, region or almen praksis; general practice (PLO) is a member but
    holds no cluster funds. ``cvr`` (8 digits), ``ean`` (13-digit GLN where it receives
    e-invoices), ``kommunekode`` (3 digits), ``population``, ``address``, ``payment``,
    ``invoice_reference`` (the reference its finance office wants on invoices it receives:
    OIOUBL customer Contact/ID, Peppol BuyerReference), ``invoice_format`` (the e-invoice
    format it receives, ``oioubl`` or ``peppol``) and ``invoice_prefix`` (the start of the
    numbers of the invoices it issues, e.g. ``ESB``) are optional: only invoicing and
    population weights need them.
    """

    id: Id
    name: Name
    kind: PartnerKind
    short_name: Name | None = None
    cvr: Digits | None = None
    ean: Digits | None = None
    kommunekode: Digits | None = None
    population: int | None = None
    address: Address | None = None
    payment: PaymentAccount | None = None
    invoice_reference: Name | None = None
    invoice_format: InvoiceFormat | None = None
    invoice_prefix: InvoicePrefix | None = None
    note: Text | None = None

    @property
    def label(self) -> str:
        """The short name, for narrow tables."""
        return self.short_name or self.name

    @property
    def holds_funds(self) -> bool:
        return self.kind != "almen praksis"


@dataclass(frozen=True, slots=True)
class Group:
    """Partners a source reports only together (e.g. "the municipalities" in a ministry table).

    An allocation to a group cannot be attributed to its members; ``members`` may be empty
    when the source does not say who they are.
    """

    id: Id
    name: Name
    members: tuple[Id, ...] = ()
    short_name: Name | None = None
    note: Text | None = None

    @property
    def label(self) -> str:
        """The short name, for narrow tables."""
        return self.short_name or self.name


@dataclass(frozen=True, slots=True)
class Allocation:
    """State money (*klyngemidler*) for one partner or group, for a year or period.

    ``announced`` is what was announced (*udmeldt*), ``received`` what actually arrived
    (*modtaget*); at least one is known, and balances count ``received`` where it is.
    ``date`` is when it arrived, if known (else the first day of ``year``). Written in
    ``cluster.toml`` as ``[[allocations]]``, or one per file in ``allocations/`` (with ``id``).
    """

    partner: Id
    year: YearSpan
    announced: Amount | None = None
    received: Amount | None = None
    date: Date | None = None
    id: Id | None = None
    source: Name | None = None
    note: Text | None = None
    override: Text | None = None

    @property
    def amount(self) -> Decimal:
        """What balances count: the amount received where known, else the amount announced."""
        return self.received if self.received is not None else self.announced  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class FocusArea:
    """A focus area the political level chose; ``status`` says e.g. funded or paused."""

    name: Name
    status: Name | None = None
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Solidarity:
    """Every fund-holding partner pays a share of every grant, taking part or not."""

    model: Literal["solidarity"] = "solidarity"
    weights: WeightBasis = "allocation"


@dataclass(frozen=True, slots=True)
class FixedPlusProRata:
    """``fixed`` amounts for some partners; the rest shared pro rata among ``rest_among``
    (default: every other fund-holding partner)."""

    fixed: dict[Id, Amount]
    model: Literal["fixed-plus-pro-rata"] = "fixed-plus-pro-rata"
    rest_among: tuple[Id, ...] | None = None
    weights: WeightBasis = "allocation"


@dataclass(frozen=True, slots=True)
class ParticipantsOnly:
    """Only the ``participants`` pay, pro rata on the given basis."""

    participants: tuple[Id, ...]
    model: Literal["participants"] = "participants"
    weights: WeightBasis = "allocation"


@dataclass(frozen=True, slots=True)
class ExplicitAmounts:
    """Each partner's amount was negotiated individually; together they make the grant."""

    amounts: dict[Id, Amount]
    model: Literal["explicit"] = "explicit"


@dataclass(frozen=True, slots=True)
class UnknownSplit:
    """The source states the grant but not how it is shared; the ledger says so instead of guessing."""

    model: Literal["unknown"] = "unknown"


Financing = Union[Solidarity, FixedPlusProRata, ParticipantsOnly, ExplicitAmounts, UnknownSplit]
FINANCING_MODELS = ("solidarity", "fixed-plus-pro-rata", "participants", "explicit", "unknown")


@dataclass(frozen=True, slots=True)
class Decision:
    """Who decided (``level``: politisk, fagligt strategisk or administrativ), on which ``date``,
    in which ``body`` and under which case or minutes ``reference``."""

    level: DecisionLevel
    date: Date
    body: Name | None = None
    reference: Name | None = None
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    """An initiative granted funds (*bevilling*); one file per grant in ``grants/``.

    ``applied`` is the amount applied for (*ansøgt*), ``granted`` what the political level
    granted (*tildelt*). ``owner`` (*projektejer*) keeps the accounts and invoices the other
    contributors. ``year`` is the budget year or period whose funds it draws on (default:
    the year of the decision); one of ``year`` and ``decision`` is required. ``condition``
    records a conditional grant, ``end_date`` when the initiative should be finished, and
    ``override`` the reason given when it was recorded although a rule refused it.
    """

    id: Id
    name: Name
    granted: Amount
    financing: Financing
    owner: Id | None = None
    focus_area: Name | None = None
    year: YearSpan | None = None
    applied: Amount | None = None
    decision: Decision | None = None
    condition: Text | None = None
    end_date: Date | None = None
    override: Text | None = None
    source: Name | None = None
    notes: tuple[Text, ...] = ()

    @property
    def date(self) -> dt.date | None:
        return self.decision.date if self.decision else None


@dataclass(frozen=True)
class Cluster:
    """The hand-edited cluster file: who the partners are and what they received.

    ``aliases`` are other names people use for the cluster; ``default_financing`` is the
    co-financing model the cluster adopted, used when a proposal names none.
    """

    id: Id
    name: Name
    region: Name
    partners: tuple[Partner, ...]
    aliases: tuple[Name, ...] = ()
    default_financing: Literal["solidarity", "fixed-plus-pro-rata", "participants", "explicit"] = "solidarity"
    groups: tuple[Group, ...] = ()
    allocations: tuple[Allocation, ...] = ()
    focus_areas: tuple[FocusArea, ...] = ()
    sources: tuple[Name, ...] = ()
    notes: tuple[Text, ...] = ()

    def partner(self, partner_id: str | None) -> Partner | None:
        return self._partners_by_id.get(partner_id)  # type: ignore[arg-type]

    def group(self, group_id: str | None) -> Group | None:
        return self._groups_by_id.get(group_id)  # type: ignore[arg-type]

    def holder_ids(self) -> tuple[str, ...]:
        """Every id an allocation may name: the fund-holding partners, then the groups."""
        return self._holder_ids

    def fund_holders(self) -> tuple[str, ...]:
        """Partners that hold cluster money (in file order): general practice receives none."""
        return self._fund_holders

    # Lookups asked once per record and per split: computed once per cluster (the first
    # partner or group with an id wins, as the linear search did; the loader reports repeats).
    @cached_property
    def _partners_by_id(self) -> dict[str, Partner]:
        found: dict[str, Partner] = {}
        for p in self.partners:
            found.setdefault(p.id, p)
        return found

    @cached_property
    def _groups_by_id(self) -> dict[str, Group]:
        found: dict[str, Group] = {}
        for g in self.groups:
            found.setdefault(g.id, g)
        return found

    @cached_property
    def _fund_holders(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.partners if p.holds_funds)

    @cached_property
    def _holder_ids(self) -> tuple[str, ...]:
        return self._fund_holders + tuple(g.id for g in self.groups)

    def holder_name(self, holder_id: str | None) -> str:
        holder = self.partner(holder_id) or self.group(holder_id)
        return holder.name if holder is not None else (holder_id or "")

    def holder_label(self, holder_id: str | None) -> str:
        """The short name of a partner or group, for narrow tables."""
        holder = self.partner(holder_id) or self.group(holder_id)
        return holder.label if holder is not None else (holder_id or "")


@dataclass(frozen=True, slots=True)
class ReferenceFigure:
    """A figure printed in a source document, which the tool recomputes and compares.

    ``measure`` says what the figure is (e.g. a partner's ``share`` of a ``grant``, or the
    cluster's total ``remaining``); ``source`` names the document and item. ``as_of`` is the
    document's date: the figure is checked against the ledger as it stood that day.
    ``year`` is the budget year or period the figure belongs to.
    """

    measure: Measure
    amount: Amount
    source: Name
    partner: Id | None = None
    grant: Id | None = None
    year: YearSpan | None = None
    note: Text | None = None
    as_of: Date | None = None


InvoiceKind = Literal["invoice", "credit_note"]
CauseKind = Literal["reduction", "withdrawal", "transfer", "closing", "annulment"]
SettlementKind = Literal["set-off", "refund"]


@dataclass(frozen=True)
class IssuedParty:
    """A party as an issued document named it."""

    name: Name
    cvr: Digits | None = None
    ean: Digits | None = None
    address: Address | None = None


@dataclass(frozen=True)
class IssuedCause:
    """The decision a credit note follows from, as the credit note cited it: a ``kind`` of
    change (or the annulment of a decision), who decided it and when, and an annulment's reason."""

    kind: CauseKind
    level: DecisionLevel | None = None
    date: Date | None = None
    body: Name | None = None
    reference: Name | None = None
    reason: Text | None = None


@dataclass(frozen=True)
class IssuedAs:
    """What an issued invoice or credit note said, stored with it (``[issued_as]``) so that
    writing its documents again gives the same documents, whatever changed in the cluster
    file since: a changed partner detail applies to the next document only.

    ``grant_total`` is the grant and ``share`` the recipient's share of it as they stood on
    the issue date, under the financing ``model``; ``invoiced_before`` what was invoiced
    for that share (less credit notes) before this document. A credit note records the
    decision that caused it (``cause``) and how it is settled: ``set_off`` against the
    credited invoice's open amount, ``refund`` of what was already paid. ``note`` and
    ``line_text`` are the e-invoice's own texts (its Note and the line's description, in
    Danish), as sent.
    """

    einvoice_format: InvoiceFormat
    cluster: Name
    grant_name: Name
    grant_total: Amount
    share: Amount
    invoiced_before: Amount
    model: Name
    issuer: IssuedParty
    recipient: IssuedParty
    buyer_reference: Name
    decision: Decision | None = None
    payment: PaymentAccount | None = None
    credited_issue_date: Date | None = None
    cause: IssuedCause | None = None
    set_off: Amount | None = None
    refund: Amount | None = None
    note: Text | None = None
    line_text: Text | None = None


@dataclass(frozen=True, slots=True)
class Invoice:
    """An issued invoice or credit note (*kreditnota*); one file per document in ``invoices/``.

    ``number`` is unique across the data folder and never reused (it names the file).
    ``issuer`` is the grant's project owner, ``recipient`` the partner that pays its share.
    ``amount`` is positive for both kinds; an invoice has a ``due_date``, a credit note
    none (it asks for no payment), names the invoice it ``credits`` and the record that
    caused it (``cause``, e.g. ``changes/akut-nedsat``), when one did. ``issued_as`` keeps
    what the documents said (absent on invoices issued before it was kept).
    """

    number: InvoiceNumber
    kind: InvoiceKind
    issuer: Id
    recipient: Id
    grant: Id
    amount: Amount
    issue_date: Date
    due_date: Date | None = None
    credits: InvoiceNumber | None = None
    note: Text | None = None
    cause: Annotated[str, "record"] | None = None
    issued_as: IssuedAs | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def id(self) -> str:
        return self.number


@dataclass(frozen=True, slots=True)
class Payment:
    """Money received for an invoice; partial payments are separate records in ``payments/``."""

    id: Id
    invoice: InvoiceNumber
    date: Date
    amount: Amount
    note: Text | None = None
    override: Text | None = None


@dataclass(frozen=True, slots=True)
class Refund:
    """Money paid back to a partner on a credited invoice it had already paid (``refunds/``)."""

    id: Id
    invoice: InvoiceNumber
    date: Date
    amount: Amount
    note: Text | None = None
    override: Text | None = None


ChangeKind = Literal["top-up", "reduction", "withdrawal", "transfer"]
CHANGE_KINDS = ("top-up", "reduction", "withdrawal", "transfer")


@dataclass(frozen=True, slots=True)
class Change:
    """A dated change to a grant after its decision; one file per change in ``changes/``.

    ``kind`` is ``top-up`` (*tillægsbevilling*), ``reduction``, ``withdrawal`` (the grant
    goes to 0 and its money is freed) or ``transfer`` (``amount`` moves from ``grant`` to
    ``to_grant`` on the same date). ``amount`` is absent only for a withdrawal. ``year`` is
    the budget year whose funds the change uses or frees (default: the decision's year).
    """

    id: Id
    kind: ChangeKind
    grant: Id
    decision: Decision
    amount: Amount | None = None
    to_grant: Id | None = None
    year: YearSpan | None = None
    reason: Text | None = None
    override: Text | None = None
    source: Name | None = None
    notes: tuple[Text, ...] = ()

    @property
    def date(self) -> dt.date:
        return self.decision.date

    @property
    def grants(self) -> tuple[str, ...]:
        """Every grant the change touches (two for a transfer)."""
        return (self.grant, self.to_grant) if self.to_grant else (self.grant,)


@dataclass(frozen=True, slots=True)
class CarryOver:
    """A decision to move unspent funds into a later year (*overførsel*); one file in ``carryovers/``.

    ``from_year`` may be a period (every year in it gives up its remainder); ``to_year`` is
    the year that receives. ``partner`` omitted means every holder of funds; ``amount``
    omitted means the whole remainder. ``stated_amount`` is the total the source says was
    carried, which the year view checks against the journal's own figure. The money moves
    on the first day of ``to_year`` (or on the decision's date, if that is later).
    """

    id: Id
    from_year: YearSpan
    to_year: Year
    partner: Id | None = None
    amount: Amount | None = None
    stated_amount: Amount | None = None
    decision: Decision | None = None
    override: Text | None = None
    source: Name | None = None
    notes: tuple[Text, ...] = ()

    @property
    def date(self) -> dt.date:
        """The day the money moves."""
        start = dt.date(self.to_year, 1, 1)
        if self.decision is not None and self.decision.date > start:
            return self.decision.date
        return start


@dataclass(frozen=True, slots=True)
class Annulment:
    """A correction: the named ``record`` (``grants/<id>``, ``changes/<id>``, …) is reversed
    on ``date`` for the stated ``reason``; one file in ``annulments/``. The annulled file is
    kept, and the log shows both."""

    id: Id
    record: Annotated[str, "record"]
    date: Date
    reason: Text
    decision: Decision | None = None


@dataclass(frozen=True, slots=True)
class Spending:
    """Money the project owner reports as spent on a grant (*afrapportering*); one file in ``spending/``.

    ``date`` is the day it was reported; ``period_from`` and ``period_to`` (both or neither)
    the period the spending covers. The journal splits the grant's total spending by the
    grant's own shares, so each partner's part of it is known to the øre.
    """

    id: Id
    grant: Id
    amount: Amount
    date: Date
    period_from: Date | None = None
    period_to: Date | None = None
    note: Text | None = None
    override: Text | None = None


@dataclass(frozen=True, slots=True)
class GrantClosing:
    """A grant closed on ``date``: what is not spent is freed back to the partners in the grant's
    own shares (one file in ``closings/``). The freed money returns to the budget period the
    grant draws on, unless ``year`` names another (as for a change)."""

    id: Id
    grant: Id
    date: Date
    year: YearSpan | None = None
    decision: Decision | None = None
    note: Text | None = None
    override: Text | None = None


@dataclass(frozen=True, slots=True)
class Transfer:
    """One payment of a settlement: ``payer`` pays ``payee`` ``amount`` to square up."""

    payer: Id
    payee: Id
    amount: Amount


@dataclass(frozen=True, slots=True)
class Closeout:
    """The decision that closes a cluster's books (*regnskabsafslutning*); one file in ``closeouts/``.

    On ``date`` every holder with a successor hands over what it has left: ``successor``
    names the successor of every holder, ``successors`` (holder id -> name) of the holders
    that hand over to another. ``settlement`` records the transfers that square up the open
    invoices and credit notes between the partners, as decided. While a closeout is in force
    (no reopening names it), nothing more can be recorded.
    """

    id: Id
    date: Date
    decision: Decision | None = None
    successor: Name | None = None
    successors: dict[Id, Name] = field(default_factory=dict)
    settlement: tuple[Transfer, ...] = ()
    note: Text | None = None
    override: Text | None = None


@dataclass(frozen=True, slots=True)
class Reopening:
    """A decision to reopen books a closeout closed (one file in ``reopenings/``), with the reason."""

    id: Id
    closeout: Id
    date: Date
    reason: Text
    decision: Decision | None = None
    override: Text | None = None


# The folders of a cluster that hold one record per file, and the record each holds.
RECORD_FOLDERS: dict[str, type] = {
    "allocations": Allocation,
    "grants": Grant,
    "changes": Change,
    "carryovers": CarryOver,
    "invoices": Invoice,
    "payments": Payment,
    "refunds": Refund,
    "annulments": Annulment,
    "spending": Spending,
    "closings": GrantClosing,
    "closeouts": Closeout,
    "reopenings": Reopening,
}
