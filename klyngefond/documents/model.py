"""What an invoice or credit note between cluster partners says, independent of its format.

The same :class:`InvoiceDocument` is rendered as an e-invoice for the recipient's inbox
(OIOUBL 2.1, ``oioubl.py``, or Peppol BIS Billing 3.0, ``peppol.py``) and as a PDF
(``pdf.py``) a person can read and file. The dataclasses are frozen so a document cannot
change between the renderings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from klyngefond.core.identifiers import IdentifierError, normalize_bic, normalize_cvr, normalize_ean, normalize_iban
from klyngefond.core.money import ORE
from klyngefond.core.records import Address
from klyngefond.i18n import Message, t, text

DocumentKind = Literal["invoice", "credit_note"]
DOCUMENT_KINDS: tuple[str, ...] = ("invoice", "credit_note")
EInvoiceFormat = Literal["oioubl", "peppol"]
EINVOICE_FORMATS: tuple[str, ...] = ("oioubl", "peppol")

__all__ = [
    "Address", "Cause", "Decided", "DocumentError", "InvoiceDocument", "Party", "PaymentDetails", "PaymentError",
    "Transfer", "decision_text", "long_date",
]


class DocumentError(ValueError):
    """A party lacks (or has an invalid) field that a document needs.

    ``partner`` is the party's id, ``field`` the name of the field at fault (``"ean"``,
    ``"cvr"``, ``"address"`` or ``"payment"``), so a caller can point at the line to fix, and
    ``reason`` says what is wrong (a catalogue message; ``str()`` gives it in English).
    """

    def __init__(self, partner: str, field: str, reason: Message) -> None:
        super().__init__(f"partner {partner!r}: {text(reason, 'en')}")
        self.partner = partner
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Party:
    """A cluster partner that issues or receives a document.

    ``cvr`` and ``ean`` are checked and normalised on construction (spaces and a ``DK``
    prefix removed), so a party never carries an identifier that would be refused later.
    """

    id: str
    """The partner's short id in the ledger, e.g. ``"vejen"``; used in error messages."""
    name: str
    """Legal name, e.g. ``"Vejen Kommune"``."""
    cvr: str | None
    """CVR number, 8 digits; the legal entity on the document."""
    ean: str | None
    """EAN (GLN) location number, 13 digits; where the party receives e-invoices."""
    address: Address | None
    """Postal address (``core.records.Address``); required on every document."""

    def __post_init__(self) -> None:
        for field, normalize in (("cvr", normalize_cvr), ("ean", normalize_ean)):
            value = getattr(self, field)
            if value is None:
                continue
            try:
                object.__setattr__(self, field, normalize(value))
            except IdentifierError as exc:
                raise DocumentError(self.id, field, exc.message) from exc

    def require(self, *fields: str) -> None:
        """Raise :class:`DocumentError` for the first of ``fields`` this party lacks."""
        for field in fields:
            if getattr(self, field) is None:
                raise DocumentError(self.id, field, Message(f"invoices.party_lacks_{field}"))


class PaymentError(ValueError):
    """Payment details that cannot be used; ``message`` says why and ``field`` names the key
    under ``payment`` to correct (``None`` for the table as a whole)."""

    def __init__(self, message: Message, field: str | None = None) -> None:
        super().__init__(text(message, "en"))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Transfer:
    """How the payer transfers the money, as the e-invoice says it.

    ``code`` is the UNCL 4461 payment means: ``"42"`` for a Danish reg.nr. (``branch``) and
    kontonr. (``account``), ``"31"`` for an IBAN (``account``) at the bank named by ``bic``.
    ``from_iban`` is true when the reg.nr./kontonr. were read off a Danish IBAN.
    """

    code: Literal["31", "42"]
    account: str
    branch: str | None = None
    bic: str | None = None
    from_iban: bool = False


@dataclass(frozen=True)
class PaymentDetails:
    """Where the amount is to be paid.

    On an invoice this is the issuer's account. Danish accounts are a reg.nr. (the bank
    branch, 4 digits) plus a kontonr. (up to 10 digits); an IBAN, with the bank's BIC, is
    the alternative. Invalid details raise :class:`PaymentError`.
    """

    bank_reg: str | None
    """Registreringsnummer: 4 digits naming the bank branch."""
    bank_account: str | None
    """Kontonummer: up to 10 digits."""
    iban: str | None
    """IBAN, used when no Danish reg.nr./kontonr. is given; stored without spaces."""
    note: str | None
    """Free text for the payer, e.g. ``"Anfør fakturanummer"``; printed on the PDF only,
    because OIOUBL limits a payment note to 20 characters (the invoice number goes there)."""
    bic: str | None = None
    """The bank's BIC (SWIFT code), which OIOUBL and Peppol require with an IBAN."""

    def __post_init__(self) -> None:
        if (self.bank_reg is None) != (self.bank_account is None):
            raise PaymentError(Message("invoices.payment_reg_and_account"), "bank_account" if self.bank_reg else "bank_reg")
        if self.bank_reg is not None and not (self.bank_reg.isascii() and self.bank_reg.isdigit() and len(self.bank_reg) == 4):
            raise PaymentError(Message("invoices.payment_bad_reg", value=self.bank_reg), "bank_reg")
        if self.bank_account is not None and not (self.bank_account.isascii() and self.bank_account.isdigit() and 1 <= len(self.bank_account) <= 10):
            raise PaymentError(Message("invoices.payment_bad_account", value=self.bank_account), "bank_account")
        for field, normalize in (("iban", normalize_iban), ("bic", normalize_bic)):
            value = getattr(self, field)
            if value is None:
                continue
            try:
                object.__setattr__(self, field, normalize(value))
            except IdentifierError as exc:
                raise PaymentError(exc.message, field) from exc

    @property
    def has_account(self) -> bool:
        """True when the details name an account money can be transferred to."""
        return self.bank_account is not None or self.iban is not None

    def transfer(self) -> Transfer | None:
        """How the payer transfers, or ``None`` without an account.

        A reg.nr./kontonr. is used as given. An IBAN with a BIC is sent as an IBAN. A Danish
        IBAN without a BIC is sent as the reg.nr./kontonr. it is made of: a Danish IBAN is
        ``DK`` + 2 check digits + the 4-digit reg.nr. (IBAN characters 5-8) + the kontonr. as
        10 digits, zero-padded on the left as Danish banks write it (characters 9-18). Any
        other IBAN without a BIC raises :class:`PaymentError` naming ``bic``.
        """
        if self.bank_reg is not None and self.bank_account is not None:
            return Transfer("42", self.bank_account, branch=self.bank_reg)
        if self.iban is None:
            return None
        if self.bic is not None:
            return Transfer("31", self.iban, bic=self.bic)
        if self.iban.startswith("DK") and len(self.iban) == 18:
            return Transfer("42", self.iban[8:], branch=self.iban[4:8], from_iban=True)
        raise PaymentError(Message("invoices.payment_needs_bic", iban=self.iban), "bic")


@dataclass(frozen=True)
class Decided:
    """A decision a document cites: which ``level`` decided, on which ``date``, in which
    ``body`` and under which case or minutes ``reference`` (each may be unrecorded)."""

    level: str | None = None
    date: date | None = None
    body: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Cause:
    """Why a credit note was issued: a ``reduction``, ``withdrawal``, ``transfer`` or ``closing``
    of the grant, or the ``annulment`` of a decision, decided as ``decision`` says; ``reason``
    is an annulment's stated reason."""

    kind: Literal["reduction", "withdrawal", "transfer", "closing", "annulment"]
    decision: Decided
    reason: str | None = None


@dataclass(frozen=True)
class InvoiceDocument:
    """One invoice or credit note from one cluster partner to another for (part of) a grant."""

    kind: DocumentKind
    """``"invoice"`` or ``"credit_note"``."""
    number: str
    """The issuer's document number, unique in the data folder, e.g. ``"ESB-2024-0007"``."""
    issue_date: date
    """Invoice date (fakturadato)."""
    due_date: date | None
    """Payment due date (forfaldsdato) of an invoice, not before ``issue_date``; a credit note
    asks for no payment and has none."""
    issuer: Party
    """The partner that sends the document: the grant's project owner."""
    recipient: Party
    """The partner that pays its share of the grant (or, on a credit note, is credited)."""
    cluster_name: str
    """The health cluster, e.g. ``"Sundhedsklynge Sydvestjylland"``."""
    grant_id: str
    """The grant's id in the ledger."""
    grant_name: str
    """The initiative the grant funds, e.g. ``"Kom Trygt Hjem"``."""
    decision: Decided | None
    """The decision the grant rests on (level worded as the ledger records it: ``"politisk"``,
    ``"fagligt strategisk"``, ``"administrativ"``); None if not recorded."""
    amount: Decimal
    """The amount in kroner, two decimals, positive on invoices and credit notes alike."""
    buyer_reference: str
    """The reference the recipient's finance office routes on (OIOUBL customer Contact/ID,
    Peppol BuyerReference): the partner's ``invoice_reference``, else the grant id."""
    currency: str = "DKK"
    """ISO 4217 currency; only DKK is supported."""
    payment: PaymentDetails | None = None
    """Where to pay (invoices only); None prints and sends no account."""
    credited_invoice: str | None = None
    """Credit notes: the number of the invoice being credited (required)."""
    credited_invoice_date: date | None = None
    """Credit notes: the issue date of that invoice, if known."""
    description: str = ""
    """Optional extra text for the recipient, shown on the document (the e-invoice's Note)."""
    grant_total: Decimal | None = None
    """The grant as it stood on the issue date."""
    share: Decimal | None = None
    """The recipient's share of it on that date."""
    invoiced_before: Decimal | None = None
    """What was invoiced for that share (less credit notes) before this document."""
    model: str | None = None
    """The financing model the share follows (``"solidarity"``, ``"fixed-plus-pro-rata"``, …)."""
    cause: Cause | None = None
    """Credit notes: the decision that caused it, when the ledger knows it."""
    set_off: Decimal | None = None
    """Credit notes: the part set off against the credited invoice's open amount."""
    refund: Decimal | None = None
    """Credit notes: the part the issuer pays back because the invoice was already paid."""
    einvoice_format: EInvoiceFormat = "oioubl"
    """The e-invoice format the recipient receives."""
    line_text: str | None = None
    """The e-invoice line's description as it was sent (Danish); None words it afresh."""

    def __post_init__(self) -> None:
        if self.kind not in DOCUMENT_KINDS:
            raise ValueError(f"document kind {self.kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
        if self.einvoice_format not in EINVOICE_FORMATS:
            raise ValueError(f"e-invoice format {self.einvoice_format!r} is not one of {', '.join(EINVOICE_FORMATS)}")
        if not self.number.strip():
            raise ValueError("a document needs a number")
        if not isinstance(self.amount, Decimal):
            # A float has already lost øre precision; refuse it rather than round.
            raise TypeError(f"amount must be a Decimal, not {type(self.amount).__name__}")
        if not self.amount.is_finite() or self.amount != self.amount.quantize(ORE):
            raise ValueError(f"amount {self.amount} must be kroner with at most two decimals (øre)")
        if self.amount <= 0:
            raise ValueError(f"amount {self.amount} must be above 0; credit notes also carry a positive amount")
        object.__setattr__(self, "amount", self.amount.quantize(ORE))
        if self.currency != "DKK":
            raise ValueError(f"currency {self.currency!r} is not supported; documents are in DKK")
        if self.kind == "invoice":
            if self.due_date is None:
                raise ValueError("an invoice needs a due date")
            if self.due_date < self.issue_date:
                raise ValueError(f"due date {self.due_date} is before issue date {self.issue_date}")
        else:
            if self.due_date is not None or self.payment is not None:
                raise ValueError("a credit note asks for no payment: it has no due date and no payment details")
            if not self.credited_invoice:
                raise ValueError("a credit note must name the invoice it credits (credited_invoice)")
        if not self.buyer_reference.strip():
            raise ValueError("a document needs the recipient's reference (buyer_reference)")
        if self.issuer.id == self.recipient.id:
            raise ValueError(f"partner {self.issuer.id!r} cannot invoice itself")

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    def require_parties(self, *fields: str) -> None:
        """Raise :class:`DocumentError` if the issuer or recipient lacks one of ``fields``."""
        self.issuer.require(*fields)
        self.recipient.require(*fields)

    def transfer(self) -> Transfer | None:
        """How the payer transfers (invoices with an account only); :class:`DocumentError` naming
        the issuer's ``payment`` when the details cannot be used."""
        if self.payment is None:
            return None
        try:
            return self.payment.transfer()
        except PaymentError as exc:
            raise DocumentError(self.issuer.id, f"payment.{exc.field}" if exc.field else "payment", exc.message) from exc


LANGUAGES = ("da", "en")


def long_date(day: date, lang: str = "da") -> str:
    """A date as people write it: ``22. november 2026`` (da) or ``22 November 2026`` (en)."""
    return t("invoices.long_date", lang, day=day.day, month=t(f"invoices.month_{day.month}", lang), year=day.year)


def decision_text(decision: Decided | None, lang: str = "da") -> str:
    """A decision as a phrase: ``besluttet på politisk niveau (Styregruppen) den 14. marts 2023, Sag 24/00123``.

    Empty when nothing about the decision is recorded.
    """
    if decision is None:
        return ""
    level = t(f"words.level_{decision.level}", lang) if decision.level else None
    when = long_date(decision.date, lang) if decision.date else None
    if level and decision.body:
        level = t("invoices.level_in_body", lang, level=level, body=decision.body)
    if level and when:
        words = t("invoices.decided_by_on", lang, level=level, date=when)
    elif level:
        words = t("invoices.decided_by", lang, level=level)
    elif when:
        words = t("invoices.decided_on", lang, date=when)
    elif decision.body:
        words = t("invoices.decided_in", lang, body=decision.body)
    else:
        words = ""
    if decision.reference:
        words = t("invoices.with_reference", lang, decision=words, reference=decision.reference) if words else decision.reference
    return words
