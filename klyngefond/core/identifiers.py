"""Danish identifiers that public bodies invoice each other by: CVR, EAN (GLN) and IBAN.

A CVR number names the legal entity (8 digits, modulus-11 check). An EAN number, formally a
GS1 Global Location Number, names the place a public body receives electronic invoices
(13 digits, GS1 check digit). Both are checked with python-stdnum, imported inside the
functions so that commands which never touch an identifier do not pay for the import.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-/]")


class IdentifierError(ValueError):
    """An identifier that is not a valid CVR or EAN number; the message says what is wrong."""


def normalize_cvr(value: str) -> str:
    """Return the 8-digit CVR number in ``value`` or raise :class:`IdentifierError`.

    Spaces, dots, dashes and a leading ``DK`` (as in a VAT number, ``DK 29189846``) are
    accepted and removed.
    """
    from stdnum.dk import cvr

    shown = value.strip()
    compact = cvr.compact(shown)
    if not compact.isdigit():
        raise IdentifierError(f"CVR {shown!r} must consist of digits only")
    if len(compact) != 8:
        raise IdentifierError(f"CVR {shown} has {len(compact)} digits; a CVR number has 8")
    if compact[0] == "0":
        raise IdentifierError(f"CVR {compact} starts with 0; CVR numbers never do")
    if not cvr.is_valid(compact):
        raise IdentifierError(f"CVR {compact} fails the modulus-11 check")
    return compact


def normalize_ean(value: str) -> str:
    """Return the 13-digit EAN (GLN) location number in ``value`` or raise :class:`IdentifierError`.

    stdnum's EAN module also accepts 8-, 12- and 14-digit codes; a location number that
    receives invoices is always 13 digits, so the length is checked here first.
    """
    from stdnum import ean

    shown = value.strip()
    compact = _SEPARATORS.sub("", shown)
    if not compact.isdigit():
        raise IdentifierError(f"EAN {shown!r} must consist of digits only")
    if len(compact) != 13:
        raise IdentifierError(f"EAN {shown} has {len(compact)} digits; an EAN location number has 13")
    expected = ean.calc_check_digit(compact[:-1])
    if compact[-1] != expected:
        raise IdentifierError(
            f"EAN {compact} fails the GS1 check digit: the last digit should be {expected}, not {compact[-1]}"
        )
    return compact


def normalize_iban(value: str) -> str:
    """Return the IBAN in ``value`` without spaces, upper-cased, or raise :class:`IdentifierError`."""
    from stdnum import iban
    from stdnum.exceptions import ValidationError

    shown = value.strip()
    try:
        return iban.validate(shown)
    except ValidationError as exc:
        raise IdentifierError(f"IBAN {shown} is not valid: {exc.message.rstrip('.').lower()}") from exc
