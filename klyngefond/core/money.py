"""Exact money: Danish kroner held as ``Decimal`` with exactly two decimals (øre).

Every amount in the ledger passes through :func:`parse_amount` (values from TOML files)
or :func:`parse_user_amount` (what a person types). Both refuse anything that is not a
whole number of øre, so arithmetic downstream never rounds, and anything above
:data:`MAX_AMOUNT` (10^12 kr., far above any cluster's funds), so that a typo or a
hostile file cannot push the arithmetic out of its exact range. Only ASCII digits count
as digits: ``١٢٣`` or fullwidth ``１２３`` are refused rather than read silently.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from klyngefond.i18n import Message

ORE = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("1000000000000.00")  # 10^12 kr.


class AmountError(ValueError):
    """An amount that cannot be read as kroner and øre. ``message`` says why, ``hint`` how to write it."""

    def __init__(self, message: Message, hint: Message | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.hint = hint


TOML_HINT = Message("money.hint_toml")
USER_HINT = Message("money.hint_user")


def _checked(value: Decimal, shown: str, hint: Message) -> Decimal:
    if not value.is_finite():
        raise AmountError(Message("money.not_a_number", value=shown), hint)
    if abs(value) > MAX_AMOUNT:
        raise AmountError(Message("money.too_large", value=shown, limit=MAX_AMOUNT), hint)
    if value != value.quantize(ORE):
        raise AmountError(Message("money.too_many_decimals", value=shown), hint)
    return value.quantize(ORE)


def parse_amount(value: object, *, allow_negative: bool = False) -> Decimal:
    """Read an amount from a TOML value: an integer, a decimal string, or an exactly-two-decimal float.

    A float is accepted only when its shortest decimal form has at most two decimals
    (``1874400.0`` or ``18635.25``); ``0.1 + 0.2`` style values are refused.
    """
    if isinstance(value, bool):
        raise AmountError(Message("money.not_an_amount", value=repr(value)), TOML_HINT)
    if isinstance(value, int):
        if abs(value) > MAX_AMOUNT:
            raise AmountError(Message("money.too_large", value=str(value), limit=MAX_AMOUNT), TOML_HINT)
        amount = Decimal(value).quantize(ORE)
    elif isinstance(value, float):
        # repr gives the shortest string that round-trips, i.e. what the person typed.
        amount = _checked(_decimal(repr(value)), repr(value), TOML_HINT)
    elif isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"-?\d{1,16}(\.\d{1,16})?", text, re.ASCII):
            raise AmountError(Message("money.not_an_amount", value=repr(value)), TOML_HINT)
        amount = _checked(_decimal(text), repr(value), TOML_HINT)
    elif isinstance(value, Decimal):
        amount = _checked(value, str(value), TOML_HINT)
    else:
        raise AmountError(Message("money.not_an_amount", value=repr(value)[:40]), TOML_HINT)
    if amount < 0 and not allow_negative:
        raise AmountError(Message("money.negative", value=repr(value)), Message("money.hint_positive"))
    return amount + ZERO  # "-0" is 0.00, not -0.00


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise AmountError(Message("money.not_an_amount", value=repr(text)), TOML_HINT) from exc


# Danish grouping (1.000.000,50), plain (1000000.50) — ASCII digits only.
_DANISH = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+", re.ASCII)
_PLAIN = re.compile(r"\d+(\.\d+)?", re.ASCII)


def parse_user_amount(text: str, *, allow_zero: bool = False) -> Decimal:
    """Read an amount typed by a person, in Danish or plain notation.

    ``1.000.000,50`` (Danish thousands dots and decimal comma), ``1 000 000``, ``1000000.50``
    and ``1000000`` are understood. A lone dot followed by exactly three digits (``1.000``)
    is read as a Danish thousands separator, as a Danish user means it. An optional
    trailing ``kr.`` is ignored. Negative amounts and more than two decimals are refused.
    """
    raw = text
    cleaned = text.strip().lower()
    for suffix in ("kr.", "kr", "dkk"):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)].strip()
    cleaned = cleaned.replace("\u00a0", " ").replace(" ", "")
    if cleaned.startswith("-"):
        raise AmountError(Message("money.negative", value=raw), Message("money.hint_positive"))
    if len(cleaned) > 40:
        raise AmountError(Message("money.too_large", value=raw[:40] + "…", limit=MAX_AMOUNT), USER_HINT)
    if _DANISH.fullmatch(cleaned):
        normal = cleaned.replace(".", "").replace(",", ".")
    elif _PLAIN.fullmatch(cleaned):
        normal = cleaned
    else:
        raise AmountError(Message("money.not_an_amount", value=raw), USER_HINT)
    amount = _checked(Decimal(normal), raw, USER_HINT)
    if amount == 0 and not allow_zero:
        raise AmountError(Message("money.zero", value=raw), Message("money.hint_above_zero"))
    return amount


def to_ore(amount: Decimal) -> int:
    """Whole øre of an exact two-decimal amount."""
    return int((amount * 100).to_integral_exact())


def from_ore(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(ORE)


def json_amount(amount: Decimal) -> str:
    """The machine form: exactly two decimals and a ``.`` point, e.g. ``"1874400.00"`` (never ``-0.00``)."""
    return f"{amount.quantize(ORE) + ZERO:f}"


def total(amounts: object) -> Decimal:
    """The exact sum of an iterable of amounts (``0.00`` when empty)."""
    return sum(amounts, ZERO)  # type: ignore[call-overload, no-any-return]
