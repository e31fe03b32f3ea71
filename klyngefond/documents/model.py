"""What an invoice or credit note between cluster partners says, independent of its format.

The same :class:`InvoiceDocument` is rendered as an OIOUBL e-invoice (``oioubl.py``) for the
recipient's NemHandel inbox and as a PDF (``pdf.py``) a person can read and file. The
dataclasses are frozen so a document cannot change between the two renderings.
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

__all__ = ["Address", "DocumentError", "InvoiceDocument", "Party", "PaymentDetails", "decision_text", "long_date"]


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
    """Payment details that cannot be used; ``message`` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(text(message, "en"))
        self.message = message


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
    because OIOUBL limits a payment note to 20 characters."""
    bic: str | None = None
    """The bank's BIC (SWIFT code), which OIOUBL requires with an IBAN."""

    def __post_init__(self) -> None:
        if (self.bank_reg is None) != (self.bank_account is None):
            raise PaymentError(Message("invoices.payment_reg_and_account"))
        if self.bank_reg is not None and not (self.bank_reg.isdigit() and len(self.bank_reg) == 4):
            raise PaymentError(Message("invoices.payment_bad_reg", value=self.bank_reg))
        if self.bank_account is not None and not (self.bank_account.isdigit() and 1 <= len(self.bank_account) <= 10):
            raise PaymentError(Message("invoices.payment_bad_account", value=self.bank_account))
        try:
            if self.iban is not None:
                object.__setattr__(self, "iban", normalize_iban(self.iban))
            if self.bic is not None:
                object.__setattr__(self, "bic", normalize_bic(self.bic))
        except IdentifierError as exc:
            raise PaymentError(exc.message) from exc

    @property
    def has_account(self) -> bool:
        """True when the details name an account money can be transferred to."""
        return self.bank_account is not None or self.iban is not None


@dataclass(frozen=True)
class InvoiceDocument:
    """One invoice or credit note from one cluster partner to another for (part of) a grant."""

    kind: DocumentKind
    """``"invoice"`` or ``"credit_note"``."""
    number: str
    """The issuer's document number, unique per issuer, e.g. ``"KTH-2023-004"``."""
    issue_date: date
    """Invoice date (fakturadato)."""
    due_date: date
    """Payment due date (forfaldsdato); not before ``issue_date``."""
    issuer: Party
    """The partner that sends the document: the grant's project owner."""
    recipient: Party
    """The partner that pays its share of the grant (or, on a credit note, is credited)."""
    cluster_name: str
    """The health cluster, e.g. ``"Sundhedsklynge Sydvestjylland"``."""
    grant_id: str
    """The grant's id in the ledger; also the recipient's reference in the e-invoice."""
    grant_name: str
    """The initiative the grant funds, e.g. ``"Kom Trygt Hjem"``."""
    decision_level: str | None
    """The level that decided the grant as the ledger records it (``"politisk"``, ``"fagligt
    strategisk"``, ``"administrativ"``), worded in the document's language; None if not recorded."""
    decision_date: date | None
    """The date of that decision; None if not recorded."""
    amount: Decimal
    """The amount in kroner, two decimals, positive on invoices and credit notes alike."""
    currency: str = "DKK"
    """ISO 4217 currency; only DKK is supported."""
    payment: PaymentDetails | None = None
    """Where to pay; None prints and sends no account."""
    credited_invoice: str | None = None
    """Credit notes: the number of the invoice being credited (required)."""
    credited_invoice_date: date | None = None
    """Credit notes: the issue date of that invoice, if known."""
    description: str = ""
    """Optional extra text for the recipient, shown on the document."""

    def __post_init__(self) -> None:
        if self.kind not in DOCUMENT_KINDS:
            raise ValueError(f"document kind {self.kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
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
        if self.due_date < self.issue_date:
            raise ValueError(f"due date {self.due_date} is before issue date {self.issue_date}")
        if self.kind == "credit_note" and not self.credited_invoice:
            raise ValueError("a credit note must name the invoice it credits (credited_invoice)")
        if self.issuer.id == self.recipient.id:
            raise ValueError(f"partner {self.issuer.id!r} cannot invoice itself")

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    def require_parties(self, *fields: str) -> None:
        """Raise :class:`DocumentError` if the issuer or recipient lacks one of ``fields``."""
        self.issuer.require(*fields)
        self.recipient.require(*fields)


LANGUAGES = ("da", "en")


def long_date(day: date, lang: str = "da") -> str:
    """A date as people write it: ``22. november 2026`` (da) or ``22 November 2026`` (en)."""
    return t("invoices.long_date", lang, day=day.day, month=t(f"invoices.month_{day.month}", lang), year=day.year)


def decision_text(doc: InvoiceDocument, lang: str = "da") -> str:
    """The decision a grant rests on, e.g. ``besluttet af politisk niveau den 14. marts 2023``.

    Empty when neither the deciding level nor the date is recorded.
    """
    level = t(f"words.level_{doc.decision_level}", lang) if doc.decision_level else None
    when = long_date(doc.decision_date, lang) if doc.decision_date else None
    if level and when:
        return t("invoices.decided_by_on", lang, level=level, date=when)
    if level:
        return t("invoices.decided_by", lang, level=level)
    if when:
        return t("invoices.decided_on", lang, date=when)
    return ""
