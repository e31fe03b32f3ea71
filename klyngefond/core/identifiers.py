"""Danish identifiers that public bodies invoice each other by: CVR, EAN (GLN) and IBAN.

A CVR number names the legal entity (8 digits, modulus-11 check). An EAN number, formally a
GS1 Global Location Number, names the place a public body receives electronic invoices
(13 digits, GS1 check digit). Both are checked with python-stdnum, imported inside the
functions so that commands which never touch an identifier do not pay for the import.
"""

from __future__ import annotations

import re

from klyngefond.i18n import Message, text

_SEPARATORS = re.compile(r"[\s.\-/]")


class IdentifierError(ValueError):
    """An identifier that is not a valid CVR, EAN or IBAN number; ``message`` says what is wrong
    (a catalogue message; ``str()`` gives the English wording, for logs and e-invoice diagnostics)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message

    def __str__(self) -> str:
        return text(self.message, "en")


def normalize_cvr(value: str) -> str:
    """Return the 8-digit CVR number in ``value`` or raise :class:`IdentifierError`.

    Spaces, dots, dashes and a leading ``DK`` (as in a VAT number, ``DK 29189846``) are
    accepted and removed.
    """
    from stdnum.dk import cvr

    shown = value.strip()
    compact = cvr.compact(shown)
    if not (compact.isascii() and compact.isdigit()):  # isdigit() alone takes "²"
        raise IdentifierError(Message("invoices.cvr_not_digits", value=shown))
    if len(compact) != 8:
        raise IdentifierError(Message("invoices.cvr_length", value=shown, count=len(compact)))
    if compact[0] == "0":
        raise IdentifierError(Message("invoices.cvr_leading_zero", value=compact))
    if not cvr.is_valid(compact):
        raise IdentifierError(Message("invoices.cvr_check", value=compact))
    return compact


def normalize_ean(value: str) -> str:
    """Return the 13-digit EAN (GLN) location number in ``value`` or raise :class:`IdentifierError`.

    stdnum's EAN module also accepts 8-, 12- and 14-digit codes; a location number that
    receives invoices is always 13 digits, so the length is checked here first.
    """
    from stdnum import ean

    shown = value.strip()
    compact = _SEPARATORS.sub("", shown)
    if not (compact.isascii() and compact.isdigit()):
        raise IdentifierError(Message("invoices.ean_not_digits", value=shown))
    if len(compact) != 13:
        raise IdentifierError(Message("invoices.ean_length", value=shown, count=len(compact)))
    expected = ean.calc_check_digit(compact[:-1])
    if compact[-1] != expected:
        raise IdentifierError(Message("invoices.ean_check", value=compact, expected=expected, found=compact[-1]))
    return compact


def normalize_iban(value: str) -> str:
    """Return the IBAN in ``value`` without spaces, upper-cased, or raise :class:`IdentifierError`."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    shown = value.strip()
    try:
        return iban.validate(shown)
    except ValidationError as exc:
        raise IdentifierError(Message("invoices.iban_invalid", value=shown)) from exc


def normalize_bic(value: str) -> str:
    """Return the BIC (SWIFT code) in ``value`` without spaces, upper-cased, or raise :class:`IdentifierError`."""
    from stdnum import bic
    from stdnum.exceptions import ValidationError

    shown = value.strip()
    try:
        return bic.validate(shown)
    except ValidationError as exc:
        raise IdentifierError(Message("invoices.bic_invalid", value=shown)) from exc
