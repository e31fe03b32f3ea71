"""Rules a single record must satisfy beyond the shape of its fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from klyngefond.core.records import (
    Allocation,
    Annulment,
    CarryOver,
    Change,
    Decision,
    ExplicitAmounts,
    FixedPlusProRata,
    Grant,
    Invoice,
    Partner,
    Payment,
    Refund,
    Solidarity,
    UnknownSplit,
    YearSpan,
    Closeout,
    Reopening,
    Spending,
)
from klyngefond.core.rules import RULES, violations
from klyngefond.i18n import LANGS, Message, text

D = Decimal
DECISION = Decision(level="politisk", date=dt.date(2024, 3, 1))


def keys(record: object) -> list[tuple[str | None, str]]:
    return [(key, message.key) for key, message, _ in violations(record)]


def grant(**changes: object) -> Grant:
    fields: dict[str, object] = dict(id="kom-trygt-hjem", name="Kom Trygt Hjem", granted=D("1874400.00"),
                                     financing=Solidarity(), year=YearSpan(2022, 2023))
    fields.update(changes)
    return Grant(**fields)  # type: ignore[arg-type]


def change(kind: str, **changes: object) -> Change:
    fields: dict[str, object] = dict(id="c", kind=kind, grant="a", decision=DECISION, amount=D("100.00"))
    fields.update(changes)
    return Change(**fields)  # type: ignore[arg-type]


def invoice(**changes: object) -> Invoice:
    fields: dict[str, object] = dict(number="rs-2024-1", kind="invoice", issuer="region-syddanmark", recipient="esbjerg",
                                     grant="kom-trygt-hjem", amount=D("627851.18"), issue_date=dt.date(2024, 3, 1),
                                     due_date=dt.date(2024, 3, 31))
    fields.update(changes)
    return Invoice(**fields)  # type: ignore[arg-type]


def test_every_record_with_rules_has_them_registered() -> None:
    assert set(RULES) == {Allocation, Grant, Change, CarryOver, Invoice, Payment, Refund, Annulment, Spending, Closeout, Reopening}
    assert violations(Partner(id="a", name="A", kind="kommune")) == []  # no rules: nothing to break


def test_every_rule_message_and_hint_is_in_the_catalogue() -> None:
    broken = [
        Allocation(partner="a", year=YearSpan.of(2023)),
        grant(year=None, granted=D("0.00"), financing=FixedPlusProRata(fixed={})),
        grant(financing=ExplicitAmounts(amounts={"a": D("0.00")}), decision=Decision(level="politisk", date=dt.date(2030, 1, 1))),
        change("withdrawal"), change("top-up", amount=None), change("transfer"), change("transfer", to_grant="a"),
        change("reduction", to_grant="b"),
        CarryOver(id="c", from_year=YearSpan.of(2023), to_year=2023, amount=D("0.00")),
        CarryOver(id="c", from_year=YearSpan.of(2023), to_year=2024, amount=D("1.00")),
        invoice(amount=D("0.00"), due_date=dt.date(2024, 2, 1), kind="credit_note", recipient="region-syddanmark"),
        invoice(credits="rs-2024-0"),
        Payment(id="p", invoice="i", date=dt.date(2024, 3, 1), amount=D("0.00")),
        Annulment(id="a", record="grants/a", date=dt.date(2024, 3, 1), reason=" "),
    ]
    seen = 0
    for record in broken:
        found = violations(record)
        assert found, record
        for _, message, hint in found:
            seen += 1
            for lang in LANGS:
                assert text(message, lang)
                assert hint is None or text(hint, lang)
    assert seen >= 20


def test_a_valid_record_of_each_kind_breaks_no_rule() -> None:
    valid = [
        Allocation(partner="esbjerg", year=YearSpan(2022, 2023), received=D("1572656.00")),
        Allocation(partner="esbjerg", year=YearSpan.of(2024), announced=D("1.00")),
        grant(), grant(year=None, decision=DECISION), grant(decision=Decision(level="politisk", date=dt.date(2024, 12, 31))),
        grant(financing=UnknownSplit()), grant(financing=FixedPlusProRata(fixed={"region": D("0.01")})),
        change("top-up"), change("reduction"), change("withdrawal", amount=None), change("transfer", to_grant="b"),
        CarryOver(id="c", from_year=YearSpan(2022, 2023), to_year=2024),
        CarryOver(id="c", from_year=YearSpan.of(2023), to_year=2024, partner="esbjerg", amount=D("0.01")),
        invoice(), invoice(due_date=dt.date(2024, 3, 1)), invoice(kind="credit_note", credits="rs-2024-0"),
        Payment(id="p", invoice="i", date=dt.date(2024, 3, 1), amount=D("0.01")),
        Refund(id="r", invoice="i", date=dt.date(2024, 3, 1), amount=D("0.01")),
        Annulment(id="a", record="grants/a", date=dt.date(2024, 3, 1), reason="fejlregistrering"),
    ]
    for record in valid:
        assert violations(record) == [], record


def test_an_allocation_needs_an_amount() -> None:
    [(key, message, hint)] = violations(Allocation(partner="a", year=YearSpan.of(2023)))
    assert (key, message, hint) == (None, Message("rules.allocation_no_amount"), Message("rules.hint_allocation_amount"))
    assert "announced" in text(hint, "en") and "received" in text(hint, "da")


def test_a_grant_needs_a_year_or_a_decision() -> None:
    [(key, message, hint)] = violations(grant(year=None))
    assert (key, message.key, hint) == ("year", "rules.grant_no_period", Message("rules.hint_grant_period"))
    # The hint shows TOML with braces; they must survive formatting.
    assert "decision = { level" in text(hint, "en") and "decision = { level" in text(hint, "da")


def test_a_grant_is_above_zero() -> None:
    assert keys(grant(granted=D("0.00"))) == [("granted", "rules.amount_above_zero")]
    assert keys(grant(granted=D("0.01"))) == []


def test_negotiated_amounts_are_each_above_zero() -> None:
    financing = ExplicitAmounts(amounts={"esbjerg": D("27437.00"), "fanoe": D("0.00")})
    assert keys(grant(financing=financing)) == [("financing.amounts.fanoe", "rules.amount_above_zero")]


def test_the_fixed_part_model_needs_a_fixed_part() -> None:
    assert keys(grant(financing=FixedPlusProRata(fixed={}))) == [("financing.fixed", "rules.fixed_empty")]


def test_a_decision_long_after_the_grants_year_is_questioned() -> None:
    late = Decision(level="politisk", date=dt.date(2025, 1, 1))
    assert keys(grant(year=YearSpan(2022, 2023), decision=late)) == [("year", "rules.grant_year_long_before")]
    [(_, message, _)] = violations(grant(year=YearSpan(2022, 2023), decision=late))
    assert "2022-2023" in text(message, "en") and "2025-01-01" in text(message, "en")
    assert "2022-2023" in text(message, "da") and "01-01-2025" in text(message, "da")
    # A decision in the year after is normal (funds of one year decided early the next).
    assert keys(grant(year=YearSpan.of(2023), decision=Decision(level="politisk", date=dt.date(2024, 12, 31)))) == []


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (change("withdrawal"), [("amount", "rules.withdrawal_amount")]),
        (change("top-up", amount=None), [("amount", "rules.change_needs_amount")]),
        (change("reduction", amount=D("0.00")), [("amount", "rules.change_needs_amount")]),
        (change("transfer", amount=None, to_grant="b"), [("amount", "rules.change_needs_amount")]),
        (change("transfer"), [("to_grant", "rules.transfer_needs_target")]),
        (change("transfer", to_grant="a"), [("to_grant", "rules.transfer_to_itself")]),
        (change("top-up", to_grant="b"), [("to_grant", "rules.only_transfer_target")]),
        (change("withdrawal", amount=None, to_grant="b"), [("to_grant", "rules.only_transfer_target")]),
    ],
)
def test_change_rules(record: Change, expected: list[tuple[str, str]]) -> None:
    assert keys(record) == expected


def test_a_change_without_amount_names_its_kind_in_both_languages() -> None:
    [(_, message, _)] = violations(change("top-up", amount=None))
    assert "top-up" in text(message, "en") and "tillægsbevilling" in text(message, "da")


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (CarryOver(id="c", from_year=YearSpan(2022, 2023), to_year=2023), [("to_year", "rules.carry_backwards")]),
        (CarryOver(id="c", from_year=YearSpan.of(2023), to_year=2022), [("to_year", "rules.carry_backwards")]),
        (CarryOver(id="c", from_year=YearSpan.of(2023), to_year=2024, partner="a", amount=D("0.00")),
         [("amount", "rules.carry_amount_zero")]),
        (CarryOver(id="c", from_year=YearSpan.of(2023), to_year=2024, amount=D("5.00")),
         [("partner", "rules.carry_amount_needs_partner")]),
    ],
)
def test_carryover_rules(record: CarryOver, expected: list[tuple[str, str]]) -> None:
    assert keys(record) == expected


def test_carry_backwards_names_both_years() -> None:
    [(_, message, _)] = violations(CarryOver(id="c", from_year=YearSpan(2022, 2023), to_year=2023))
    for lang in LANGS:
        assert "2023" in text(message, lang) and "2022-2023" in text(message, lang)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (invoice(amount=D("0.00")), [("amount", "rules.invoice_amount")]),
        (invoice(due_date=dt.date(2024, 2, 29)), [("due_date", "rules.due_before_issue")]),
        (invoice(kind="credit_note"), [("credits", "rules.credit_needs_invoice")]),
        (invoice(credits="rs-2024-0"), [("credits", "rules.only_credit_credits")]),
        (invoice(recipient="region-syddanmark"), [("recipient", "rules.issuer_is_recipient")]),
    ],
)
def test_invoice_rules(record: Invoice, expected: list[tuple[str, str]]) -> None:
    assert keys(record) == expected


def test_due_before_issue_names_both_dates() -> None:
    [(_, message, _)] = violations(invoice(due_date=dt.date(2024, 2, 29)))
    assert "2024-02-29" in text(message, "en") and "2024-03-01" in text(message, "en")
    assert "29-02-2024" in text(message, "da") and "01-03-2024" in text(message, "da")


@pytest.mark.parametrize("cls", [Payment, Refund])
def test_money_movements_are_above_zero(cls: type) -> None:
    assert keys(cls(id="p", invoice="i", date=dt.date(2024, 3, 1), amount=D("0.00"))) == [("amount", "rules.amount_above_zero")]


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_an_annulment_needs_a_reason(reason: str) -> None:
    record = Annulment(id="a", record="grants/a", date=dt.date(2024, 3, 1), reason=reason)
    assert keys(record) == [("reason", "rules.annul_needs_reason")]


def test_several_broken_rules_are_all_reported() -> None:
    found = keys(grant(year=None, granted=D("0.00"), financing=FixedPlusProRata(fixed={})))
    assert found == [("year", "rules.grant_no_period"), ("granted", "rules.amount_above_zero"),
                     ("financing.fixed", "rules.fixed_empty")]
