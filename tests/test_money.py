from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.money import AmountError, from_ore, json_amount, parse_amount, parse_user_amount, to_ore
from klyngefond.render.i18n import money, number


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1874400, "1874400.00"), ("627851.18", "627851.18"), (18635.25, "18635.25"), (1874400.0, "1874400.00"), ("0", "0.00")],
)
def test_toml_amounts_in_every_accepted_form(value, expected):
    assert json_amount(parse_amount(value)) == expected


@pytest.mark.parametrize("value", ["627851.185", 0.125, "12,50", "abc", True, None, [1], float("nan"), "1e5"])
def test_toml_amounts_that_are_refused_say_how_to_write_them(value):
    with pytest.raises(AmountError) as info:
        parse_amount(value)
    assert info.value.hint


def test_negative_toml_amount_is_refused():
    with pytest.raises(AmountError, match="negative"):
        parse_amount(-5)


def test_float_that_is_not_exactly_two_decimals_is_refused():
    with pytest.raises(AmountError, match="more than two decimals"):
        parse_amount(0.1 + 0.2)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1000000", "1000000.00"),
        ("1.000.000", "1000000.00"),
        ("1.000.000,50", "1000000.50"),
        ("1000000,5", "1000000.50"),
        ("1000000.50", "1000000.50"),
        ("1 000 000", "1000000.00"),
        ("250.000 kr.", "250000.00"),
        ("1.000", "1000.00"),
    ],
)
def test_user_amounts_in_danish_and_plain_notation(typed, expected):
    assert json_amount(parse_user_amount(typed)) == expected


@pytest.mark.parametrize(("typed", "why"), [("-5", "negative"), ("0", "zero"), ("0,00", "zero"), ("12,345", "more than two"),
                                            ("tusind", "not an amount"), ("1.00.0", "not an amount"), ("", "not an amount")])
def test_user_amount_typos_are_caught(typed, why):
    with pytest.raises(AmountError, match=why):
        parse_user_amount(typed)


@given(st.integers(min_value=0, max_value=10**13))
def test_ore_round_trip(ore):
    assert to_ore(from_ore(ore)) == ore
    assert parse_amount(json_amount(from_ore(ore))) == from_ore(ore)


def test_danish_and_english_formatting_through_babel():
    assert money(Decimal("1874400.00"), "da") == "1.874.400,00 kr."
    assert number(Decimal("-0.01"), "da") == "-0,01"
    assert money(Decimal("1874400.00"), "en") == "DKK 1,874,400.00"
