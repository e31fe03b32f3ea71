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

from klyngefond.core.identifiers import IdentifierError, normalize_cvr, normalize_ean, normalize_iban
from klyngefond.core.money import ORE

DocumentKind = Literal["invoice", "credit_note"]
DOCUMENT_KINDS: tuple[str, ...] = ("invoice", "credit_note")

# Why each party field matters, shown when a document needs a field the party lacks.
_FIELD_REASONS = {
    "ean": "no EAN number (ean) — public bodies receive e-invoices at their EAN",
    "cvr": "no CVR number (cvr) — an invoice must name the legal entity by its CVR",
    "address": "no address (address) — an invoice must show the postal address of both parties",
}


class DocumentError(ValueError):
    """A party lacks (or has an invalid) field that a document needs.

    ``partner`` is the party's id and ``field`` the name of the missing field
    (``"ean"``, ``"cvr"`` or ``"address"``), so a caller can point at the line to fix.
    """

    def __init__(self, partner: str, field: str, reason: str) -> None:
        super().__init__(f"partner {partner!r}: {reason}")
        self.partner = partner
        self.field = field


@dataclass(frozen=True)
class Address:
    """A postal address as printed on an invoice."""

    street: str
    """Street name and house number, e.g. ``"Torvegade 74"``."""
    postal_code: str
    """Postal code, four digits in Denmark, e.g. ``"6700"``."""
    city: str
    """Post town, e.g. ``"Esbjerg"``."""
    country: str = "DK"
    """ISO 3166-1 alpha-2 country code."""


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
    """Postal address; required on every document."""

    def __post_init__(self) -> None:
        for field, normalize in (("cvr", normalize_cvr), ("ean", normalize_ean)):
            value = getattr(self, field)
            if value is None:
                continue
            try:
                object.__setattr__(self, field, normalize(value))
            except IdentifierError as exc:
                raise DocumentError(self.id, field, str(exc)) from exc

    def require(self, *fields: str) -> None:
        """Raise :class:`DocumentError` for the first of ``fields`` this party lacks."""
        for field in fields:
            if getattr(self, field) is None:
                raise DocumentError(self.id, field, _FIELD_REASONS[field])


@dataclass(frozen=True)
class PaymentDetails:
    """Where the amount is to be paid.

    On an invoice this is the issuer's account. Danish accounts are a reg.nr. (the bank
    branch, 4 digits) plus a kontonr. (up to 10 digits); an IBAN is the alternative.
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

    def __post_init__(self) -> None:
        if (self.bank_reg is None) != (self.bank_account is None):
            raise ValueError("payment details need both reg.nr. (bank_reg) and kontonr. (bank_account), or neither")
        if self.bank_reg is not None and not (self.bank_reg.isdigit() and len(self.bank_reg) == 4):
            raise ValueError(f"reg.nr. {self.bank_reg!r} must be 4 digits")
        if self.bank_account is not None and not (self.bank_account.isdigit() and 1 <= len(self.bank_account) <= 10):
            raise ValueError(f"kontonr. {self.bank_account!r} must be 1 to 10 digits")
        if self.iban is not None:
            object.__setattr__(self, "iban", normalize_iban(self.iban))

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
    """The level that decided the grant, e.g. ``"politisk niveau"``; None if not recorded."""
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

_DECISION_WORDS = {
    "da": ("besluttet", "af", "den"),
    "en": ("decided", "by", "on"),
}


def long_date(day: date, lang: str = "da") -> str:
    """A date as people write it: ``22. november 2026`` (da) or ``22 November 2026`` (en)."""
    from babel.dates import format_date  # babel's locale data is only needed when rendering

    return format_date(day, format="long", locale="da_DK" if lang == "da" else "en_GB")


def decision_text(doc: InvoiceDocument, lang: str = "da") -> str:
    """The decision a grant rests on, e.g. ``besluttet af politisk niveau den 14. marts 2023``.

    Empty when neither the deciding level nor the date is recorded.
    """
    verb, by, on = _DECISION_WORDS[lang]
    words = []
    if doc.decision_level:
        words += [by, doc.decision_level]
    if doc.decision_date:
        words += [on, long_date(doc.decision_date, lang)]
    return " ".join([verb, *words]) if words else ""
