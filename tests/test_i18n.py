"""Wording: numbers, money and dates in Danish and English, plurals, lists, and messages as data."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import klyngefond.i18n as i18n
from klyngefond.i18n import (
    DEFAULT_LANG,
    LANGS,
    Message,
    Verbatim,
    check_lang,
    date,
    has_message,
    join,
    lang_from_env,
    money,
    number,
    t,
    text,
)


@pytest.fixture
def catalogue(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A throw-away catalogue area ``testing`` for formatting tests."""

    def add(**messages: tuple[str, str]) -> None:
        monkeypatch.setitem(i18n._AREAS, "testing", {f"testing.{k}": v for k, v in messages.items()})

    return add


# --------------------------------------------------------------------------- numbers and money


@pytest.mark.parametrize(
    ("amount", "da", "en"),
    [
        ("1874400", "1.874.400,00", "1,874,400.00"),
        ("627851.18", "627.851,18", "627,851.18"),
        ("0", "0,00", "0.00"),
        ("0.5", "0,50", "0.50"),
        ("999.99", "999,99", "999.99"),
        ("1000", "1.000,00", "1,000.00"),
        ("1000000000000", "1.000.000.000.000,00", "1,000,000,000,000.00"),
        ("-325000", "-325.000,00", "-325,000.00"),
        ("-0.01", "-0,01", "-0.01"),
        ("-1000.5", "-1.000,50", "-1,000.50"),
        ("1E+3", "1.000,00", "1,000.00"),
    ],
)
def test_numbers_in_both_languages(amount: str, da: str, en: str) -> None:
    assert number(Decimal(amount), "da") == da
    assert number(Decimal(amount), "en") == en


def test_money_in_both_languages() -> None:
    assert money(Decimal("1874400.00"), "da") == "1.874.400,00 kr."
    assert money(Decimal("1874400.00"), "en") == "DKK 1,874,400.00"
    assert money(Decimal("-325000"), "da") == "-325.000,00 kr."
    assert money(Decimal("-325000"), "en") == "DKK -325,000.00"


def test_signed_shows_the_sign_of_positive_amounts_only() -> None:
    assert money(Decimal("0.01"), "da", signed=True) == "+0,01 kr."
    assert money(Decimal("0.01"), "en", signed=True) == "DKK +0.01"
    assert money(Decimal("-325000"), "da", signed=True) == "-325.000,00 kr."
    assert money(Decimal("0"), "en", signed=True) == "DKK 0.00"
    assert number(Decimal("1234.5"), "da", signed=True) == "+1.234,50"


def test_an_amount_that_rounds_to_zero_has_no_sign() -> None:
    assert number(Decimal("-0.001"), "da") == "0,00"
    assert number(Decimal("-0.00"), "en", signed=True) == "0.00"


@given(st.integers(min_value=-(10**16), max_value=10**16))
def test_danish_number_reads_back_exactly(ore: int) -> None:
    amount = Decimal(ore) / 100
    da, en = number(amount, "da"), number(amount, "en")
    assert Decimal(da.replace(".", "").replace(",", ".")) == amount
    assert Decimal(en.replace(",", "")) == amount
    assert da.translate(str.maketrans(".,", ",.")) == en


def test_dates_in_both_languages() -> None:
    assert date(dt.date(2024, 3, 1), "da") == "01-03-2024"
    assert date(dt.date(2024, 3, 1), "en") == "2024-03-01"


# --------------------------------------------------------------------------- messages


def test_values_are_worded_by_type(catalogue) -> None:  # type: ignore[no-untyped-def]
    catalogue(all=("{amount} · {difference:signed} · {rate:number} · {day} · {who} · {nothing} · {count}",
                   "{amount} · {difference:signed} · {rate:number} · {day} · {who} · {nothing} · {count}"))
    message = Message("testing.all", amount=Decimal("1874400"), difference=Decimal("-0.01"), rate=Decimal("12.5"),
                      day=dt.date(2024, 3, 1), who=Verbatim("Fanø Kommune"), nothing=None, count=3)
    assert text(message, "da") == "1.874.400,00 kr. · -0,01 kr. · 12,50 · 01-03-2024 · Fanø Kommune · – · 3"
    assert text(message, "en") == "DKK 1,874,400.00 · DKK -0.01 · 12.50 · 2024-03-01 · Fanø Kommune · – · 3"


def test_signed_and_number_specs_on_a_plain_number_are_ignored(catalogue) -> None:  # type: ignore[no-untyped-def]
    catalogue(spec=("{n:signed} {m:number}", "{n:signed} {m:number}"))
    assert t("testing.spec", "en", n=5, m=7) == "5 7"


@pytest.mark.parametrize(("count", "da", "en"), [(0, "0 bevillinger", "0 grants"), (1, "1 bevilling", "1 grant"),
                                                 (2, "2 bevillinger", "2 grants"), (21, "21 bevillinger", "21 grants")])
def test_plural_format_spec(catalogue, count: int, da: str, en: str) -> None:  # type: ignore[no-untyped-def]
    catalogue(grants=("{n:bevilling|bevillinger}", "{n:grant|grants}"))
    assert t("testing.grants", "da", n=count) == da
    assert t("testing.grants", "en", n=count) == en


def test_plural_in_a_real_message() -> None:
    assert t("cli.data_problems", "da", count=1, cluster="Holbæk") == "1 problem i data for Holbæk:"
    assert t("cli.data_problems", "en", count=2, cluster="Holbæk") == "2 problems in the data of Holbæk:"


def test_nested_messages_and_lists_are_worded_in_the_same_language() -> None:
    nested = Message("ids.invalid", what="id", value="Abc", problem=Message("ids.problem_uppercase"))
    assert text(nested, "en") == "id 'Abc' contains uppercase letters"
    assert text(nested, "da") == "id «Abc» indeholder store bogstaver"
    listed = Message("financing.unknown_partner", partners=["vejen", "billund", "varde"])
    assert text(listed, "da") == "ukendt part vejen, billund og varde"
    assert text(listed, "en") == "unknown partner vejen, billund and varde"
    mixed = Message("financing.unknown_partner", partners=(Message("words.kind_region"), Verbatim("PLO"), Decimal("5")))
    assert text(mixed, "da") == "ukendt part region, PLO og 5,00 kr."
    assert text(mixed, "en") == "unknown partner region, PLO and DKK 5.00"


@pytest.mark.parametrize(("items", "da", "en"), [([], "", ""), (["a"], "a", "a"), (["a", "b"], "a og b", "a and b"),
                                                 (["a", "b", "c"], "a, b og c", "a, b and c")])
def test_join(items: list[str], da: str, en: str) -> None:
    assert join(items, "da") == da
    assert join(items, "en") == en


def test_plain_text_none_and_verbatim_pass_through() -> None:
    for lang in LANGS:
        assert text(None, lang) == ""
        assert text("as typed", lang) == "as typed"
        assert text(Verbatim("Sundhedsklynge Sydvestjylland"), lang) == "Sundhedsklynge Sydvestjylland"


def test_an_unknown_key_is_a_key_error_that_names_it() -> None:
    assert not has_message("money.no_such_key") and not has_message("nosucharea.key") and not has_message("")
    assert has_message("money.negative")
    with pytest.raises(KeyError, match="money.no_such_key"):
        text(Message("money.no_such_key"), "da")
    with pytest.raises(KeyError, match="nosucharea.key"):
        text(Message("nosucharea.key"), "en")


def test_braces_in_values_are_not_formatted_again() -> None:
    assert t("money.negative", "en", value="{value}") == "{value} is negative"


# --------------------------------------------------------------------------- Message as data


def test_message_equality_and_hashing() -> None:
    a = Message("money.negative", value="-5")
    assert a == Message("money.negative", value="-5")
    assert hash(a) == hash(Message("money.negative", value="-5"))
    assert a != Message("money.negative", value="-6")
    assert a != Message("money.zero", value="-5")
    assert a != "money.negative"
    assert len({a, Message("money.negative", value="-5"), Message("money.zero", value="0")}) == 2
    assert {a: 1}[Message("money.negative", value="-5")] == 1
    nested = Message("ids.invalid", what="id", value="x", problem=Message("ids.problem_empty", limit=80))
    assert nested == Message("ids.invalid", what="id", value="x", problem=Message("ids.problem_empty", limit=80))
    assert hash(nested) == hash(Message("ids.invalid", what="id", value="x", problem=Message("ids.problem_empty", limit=80)))


def test_message_equality_does_not_depend_on_the_order_of_the_values() -> None:
    """The same sentence with the same facts is the same message, however the call spelled it."""
    one = Message("money.too_large", value="x", limit=Decimal("1"))
    other = Message("money.too_large", limit=Decimal("1"), value="x")
    assert one == other
    assert hash(one) == hash(other)


def test_message_is_immutable_and_shows_its_facts() -> None:
    message = Message("money.negative", value="-5")
    with pytest.raises(AttributeError):
        message.key = "money.zero"  # type: ignore[misc]
    assert message.values == {"value": "-5"}
    message.values["value"] = "changed"
    assert message.values == {"value": "-5"}
    assert repr(message) == "Message('money.negative', value='-5')"
    assert repr(Message("money.hint_toml")) == "Message('money.hint_toml')"


def test_message_survives_pickling() -> None:
    message = Message("ids.invalid", what="id", value="x", problem=Message("ids.problem_empty", limit=80))
    assert pickle.loads(pickle.dumps(message)) == message


def test_verbatim_equality() -> None:
    assert Verbatim("a") == Verbatim("a") and Verbatim("a") != Verbatim("b") and Verbatim("a") != "a"
    assert hash(Verbatim("a")) == hash(Verbatim("a"))


# --------------------------------------------------------------------------- language


def test_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert DEFAULT_LANG == "da" and LANGS == ("da", "en")
    assert check_lang(None) == "da" and check_lang(" EN ") == "en"
    with pytest.raises(ValueError):
        check_lang("de")
    assert lang_from_env() == "da"
    monkeypatch.setenv("KLYNGEFOND_LANG", "en")
    assert lang_from_env() == "en"
    monkeypatch.setenv("KLYNGEFOND_LANG", "klingon")
    assert lang_from_env() == "da"
