"""Exact money: Danish kroner held as ``Decimal`` with exactly two decimals (øre).

Every amount in the ledger passes through :func:`parse_amount` (values from TOML files)
or :func:`parse_user_amount` (what a person types on the command line). Both refuse
anything that is not a whole number of øre, so arithmetic downstream never rounds.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

ORE = Decimal("0.01")
ZERO = Decimal("0.00")


class AmountError(ValueError):
    """An amount that cannot be read as kroner and øre. ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


TOML_HINT = 'write whole kroner as an integer (1874400) or kroner and øre as a string ("627851.18")'


def _check_two_decimals(value: Decimal, shown: str, hint: str) -> Decimal:
    if not value.is_finite():
        raise AmountError(f"{shown} is not a number", hint)
    if value != value.quantize(ORE):
        raise AmountError(f"{shown} has more than two decimals (øre)", hint)
    return value.quantize(ORE)


def parse_amount(value: object, *, allow_negative: bool = False) -> Decimal:
    """Read an amount from a TOML value: an integer, a decimal string, or an exactly-two-decimal float.

    A float is accepted only when its shortest decimal form has at most two decimals
    (``1874400.0`` or ``18635.25``); ``0.1 + 0.2`` style values are refused.
    """
    if isinstance(value, bool):
        raise AmountError(f"{value!r} is not an amount", TOML_HINT)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # repr gives the shortest string that round-trips, i.e. what the person typed.
        amount = _check_two_decimals(_decimal_or_error(repr(value)), repr(value), TOML_HINT)
    elif isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            raise AmountError(f"{value!r} is not an amount", TOML_HINT)
        amount = _check_two_decimals(_decimal_or_error(text), repr(value), TOML_HINT)
    elif isinstance(value, Decimal):
        amount = _check_two_decimals(value, str(value), TOML_HINT)
    else:
        raise AmountError(f"{value!r} is not an amount", TOML_HINT)
    if amount < 0 and not allow_negative:
        raise AmountError(f"{value!r} is negative", "amounts are written as positive numbers")
    return amount.quantize(ORE)


def _decimal_or_error(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex above
        raise AmountError(f"{text!r} is not an amount", TOML_HINT) from exc


USER_HINT = "write e.g. 1000000, 1.000.000, 1.000.000,50 or 1000000.50"

_DANISH = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+")
_PLAIN = re.compile(r"\d+(\.\d+)?")


def parse_user_amount(text: str) -> Decimal:
    """Read an amount typed by a person, in Danish or plain notation.

    ``1.000.000,50`` (Danish thousands dots and decimal comma), ``1 000 000``, ``1000000.50``
    and ``1000000`` are understood. A lone dot followed by exactly three digits (``1.000``)
    is read as a Danish thousands separator, as a Danish user means it. An optional
    trailing ``kr.`` is ignored. Zero, negative, and more than two decimals are refused.
    """
    raw = text
    cleaned = text.strip().lower()
    for suffix in ("kr.", "kr", "dkk"):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)].strip()
    cleaned = cleaned.replace("\u00a0", " ").replace(" ", "")
    if cleaned.startswith("-"):
        raise AmountError(f"{raw!r} is negative", "amounts are written as positive numbers")
    if _DANISH.fullmatch(cleaned):
        normal = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN.fullmatch(cleaned):
        normal = cleaned
    else:
        raise AmountError(f"{raw!r} is not an amount", USER_HINT)
    amount = _check_two_decimals(Decimal(normal), repr(raw), USER_HINT)
    if amount == 0:
        raise AmountError(f"{raw!r} is zero", "give an amount above 0 kr.")
    return amount


def to_ore(amount: Decimal) -> int:
    """Whole øre of an exact two-decimal amount."""
    return int((amount * 100).to_integral_exact())


def from_ore(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(ORE)


def json_amount(amount: Decimal) -> str:
    """The machine form: exactly two decimals and a ``.`` point, e.g. ``"1874400.00"``."""
    return f"{amount.quantize(ORE):f}"
