"""Exact money: reading amounts from files and from people, øre arithmetic, and the bounds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.money import (
    MAX_AMOUNT,
    AmountError,
    from_ore,
    json_amount,
    parse_amount,
    parse_user_amount,
    to_ore,
    total,
)
from klyngefond.i18n import LANGS, Message, money, number, text


def worded(message: Message | None) -> dict[str, str]:
    return {lang: text(message, lang) for lang in LANGS}


# --------------------------------------------------------------------------- TOML values


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1874400, "1874400.00"), ("627851.18", "627851.18"), (18635.25, "18635.25"), (1874400.0, "1874400.00"),
     ("0", "0.00"), (Decimal("12.5"), "12.50"), (" 12.50 ", "12.50")],
)
def test_toml_amounts_in_every_accepted_form(value: object, expected: str) -> None:
    assert json_amount(parse_amount(value)) == expected


@pytest.mark.parametrize(
    ("value", "key"),
    [("627851.185", "money.too_many_decimals"), (0.125, "money.too_many_decimals"), ("12,50", "money.not_an_amount"),
     ("abc", "money.not_an_amount"), (True, "money.not_an_amount"), (None, "money.not_an_amount"),
     ([1], "money.not_an_amount"), (float("nan"), "money.not_a_number"), (float("inf"), "money.not_a_number"),
     (Decimal("NaN"), "money.not_a_number"), ("1e5", "money.not_an_amount"), ("", "money.not_an_amount")],
)
def test_toml_amounts_that_are_refused_say_how_to_write_them(value: object, key: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert info.value.message.key == key
    assert info.value.hint == Message("money.hint_toml")
    assert all(worded(info.value.hint).values())


@pytest.mark.parametrize("value", [-5, "-5", Decimal("-0.01"), -12.5])
def test_negative_toml_amount_is_refused(value: object) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert info.value.message.key == "money.negative"
    assert info.value.hint == Message("money.hint_positive")
    words = worded(info.value.message)
    assert "negative" in words["en"] and "negativt" in words["da"]
    assert all("-" in sentence for sentence in words.values())


def test_negative_toml_amount_is_read_where_allowed() -> None:
    assert parse_amount("-627851.18", allow_negative=True) == Decimal("-627851.18")
    assert parse_amount(-5, allow_negative=True) == Decimal("-5.00")


def test_float_that_is_not_exactly_two_decimals_is_refused() -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(0.1 + 0.2)
    assert info.value.message.key == "money.too_many_decimals"
    words = worded(info.value.message)
    assert "0.30000000000000004" in words["en"] and "more than two decimals" in words["en"]
    assert "0.30000000000000004" in words["da"] and "mere end to decimaler" in words["da"]


# --------------------------------------------------------------------------- what people type


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1000000", "1000000.00"),
        ("1.000.000", "1000000.00"),
        ("1.000.000,50", "1000000.50"),
        ("1000000,5", "1000000.50"),
        ("1000000.50", "1000000.50"),
        ("1 000 000", "1000000.00"),
        ("1\u00a0000\u00a0000", "1000000.00"),
        ("250.000 kr.", "250000.00"),
        ("250000 kr", "250000.00"),
        ("250000 DKK", "250000.00"),
        ("1.000", "1000.00"),
        ("  42  ", "42.00"),
    ],
)
def test_user_amounts_in_danish_and_plain_notation(typed: str, expected: str) -> None:
    assert json_amount(parse_user_amount(typed)) == expected


@pytest.mark.parametrize(
    ("typed", "key", "en", "da"),
    [
        ("-5", "money.negative", "negative", "negativt"),
        ("0", "money.zero", "zero", "nul"),
        ("0,00", "money.zero", "zero", "nul"),
        ("12,345", "money.too_many_decimals", "more than two", "mere end to"),
        ("tusind", "money.not_an_amount", "not an amount", "ikke et beløb"),
        ("1.00.0", "money.not_an_amount", "not an amount", "ikke et beløb"),
        ("", "money.not_an_amount", "not an amount", "ikke et beløb"),
    ],
)
def test_user_amount_typos_are_caught(typed: str, key: str, en: str, da: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_user_amount(typed)
    assert info.value.message.key == key
    words = worded(info.value.message)
    assert en in words["en"] and da in words["da"]
    assert all(typed in sentence for sentence in words.values())
    assert info.value.hint is not None and all(worded(info.value.hint).values())


def test_zero_is_read_where_allowed() -> None:
    assert parse_user_amount("0", allow_zero=True) == Decimal("0.00")


# --------------------------------------------------------------------------- bounds and digits


def test_the_limit_is_ten_to_the_twelfth_kroner() -> None:
    assert MAX_AMOUNT == Decimal(10) ** 12
    assert parse_amount(10**12) == MAX_AMOUNT
    assert parse_amount("1000000000000.00") == MAX_AMOUNT
    assert parse_user_amount("1.000.000.000.000") == MAX_AMOUNT


@pytest.mark.parametrize(
    "value",
    [10**12 + 1, -(10**12) - 1, 10**400, "1000000000000.01", "9999999999999999", 1e300, 1e13,
     Decimal("1E+30"), Decimal("1000000000000.01")],
)
def test_toml_amounts_above_the_limit_are_refused(value: object) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(value, allow_negative=True)
    assert info.value.message.key == "money.too_large"
    assert info.value.message.values["limit"] == MAX_AMOUNT
    words = worded(info.value.message)
    assert "1,000,000,000,000.00" in words["en"] and "larger than" in words["en"]
    assert "1.000.000.000.000,00" in words["da"] and "større end" in words["da"]


@pytest.mark.parametrize("typed", ["1000000000000,01", "1.000.000.000.000,01", "1000000000001", "9" * 39, "9" * 60])
def test_typed_amounts_above_the_limit_are_refused(typed: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_user_amount(typed)
    assert info.value.message.key == "money.too_large"
    words = worded(info.value.message)
    assert all(typed[:30] in sentence for sentence in words.values())


# Fullwidth, Arabic-Indic, Extended Arabic-Indic and Devanagari digits are all \d in Unicode
# regular expressions and all read by Decimal(); none of them is a digit a file or a person
# should use for money.
FOREIGN_DIGITS = ["１２３", "١٢٣", "۱۲۳", "१२३", "1２3", "12.5０", "１.０００.０００"]


def test_python_alone_would_read_foreign_digits() -> None:
    assert Decimal("１２３") == Decimal("١٢٣") == 123  # why the parsers must refuse them themselves


@pytest.mark.parametrize("value", FOREIGN_DIGITS)
def test_only_ascii_digits_in_toml_amounts(value: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert info.value.message.key == "money.not_an_amount"


@pytest.mark.parametrize("value", FOREIGN_DIGITS)
def test_only_ascii_digits_in_typed_amounts(value: str) -> None:
    with pytest.raises(AmountError) as info:
        parse_user_amount(value)
    assert info.value.message.key == "money.not_an_amount"
    assert all(value in sentence for sentence in worded(info.value.message).values())


# --------------------------------------------------------------------------- never another exception

anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary() | st.decimals()
    | st.fractions() | st.dates() | st.complex_numbers(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=5,
)
amount_like_text = st.text(alphabet="0123456789.,- \u00a0krDK١٢３e+", max_size=30)


@given(anything | amount_like_text)
def test_parse_amount_raises_only_amount_error(value: object) -> None:
    for allow_negative in (False, True):
        try:
            amount = parse_amount(value, allow_negative=allow_negative)
        except AmountError as exc:
            assert isinstance(exc.message, Message) and all(worded(exc.message).values())
            continue
        assert amount == amount.quantize(Decimal("0.01")) and abs(amount) <= MAX_AMOUNT
        assert allow_negative or amount >= 0


@given(st.text() | amount_like_text)
def test_parse_user_amount_raises_only_amount_error(typed: str) -> None:
    try:
        amount = parse_user_amount(typed)
    except AmountError as exc:
        assert isinstance(exc.message, Message) and all(worded(exc.message).values())
        return
    assert 0 < amount <= MAX_AMOUNT
    assert amount == amount.quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- øre and sums


@given(st.integers(min_value=0, max_value=10**14))
def test_ore_round_trip(ore: int) -> None:
    assert to_ore(from_ore(ore)) == ore
    assert parse_amount(json_amount(from_ore(ore))) == from_ore(ore)


def test_total_is_exact_and_zero_when_empty() -> None:
    assert total([]) == Decimal("0.00")
    assert json_amount(total([])) == "0.00"
    assert total([Decimal("0.10")] * 3) == Decimal("0.30")


def test_danish_and_english_formatting() -> None:
    assert money(Decimal("1874400.00"), "da") == "1.874.400,00 kr."
    assert number(Decimal("-0.01"), "da") == "-0,01"
    assert money(Decimal("1874400.00"), "en") == "DKK 1,874,400.00"
