"""The journal: the shipped clusters' figures, years, dates, carry-overs, annulments and capacity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from klyngefond.core.records import Annulment, Change, Decision, Grant, Solidarity, YearSpan
from klyngefond.journal import query
from klyngefond.journal.build import build_journal, merge_spans
from klyngefond.journal.capacity import available
from klyngefond.journal.invariants import check_journal
from klyngefond.storage.loader import load_ledger

from conftest import FIXTURE_DATA, SHIPPED_DATA

D = Decimal
P2223 = YearSpan(2022, 2023)


def load(name: str, root: Path = SHIPPED_DATA):  # type: ignore[no-untyped-def]
    ledger, problems = load_ledger(root / name)
    assert ledger is not None and not [p for p in problems if p.is_error], problems
    return ledger, build_journal(ledger)


@pytest.mark.parametrize("name", ["sydvestjylland", "nykoebing-falster", "naestved-slagelse", "holbaek", "midt", "roskilde-koege"])
def test_every_transaction_adds_up_to_zero_and_the_shipped_data_keeps_the_rules(name: str) -> None:
    ledger, journal = load(name)
    for txn in journal.transactions:
        assert sum((p.amount for p in txn.postings), D("0")) == 0, txn.ref
    assert [p for p in check_journal(ledger, journal, dt.date(2026, 11, 30)) if p.is_error] == []


def test_sydvestjylland_reproduces_the_minutes_over_all_years() -> None:
    _, journal = load("sydvestjylland")
    lines = query.funds(journal)
    assert lines["esbjerg"].allocated == D("1572656.00")
    assert lines["esbjerg"].committed == D("655288.18")
    assert lines["esbjerg"].closing == D("917367.82")
    assert lines["fanoe"].closing == D("6330.75")
    assert lines["vejen"].closing == D("154378.46")  # the minutes print 154.378,45 (rounding slip)
    assert sum((line.closing for line in lines.values()), D("0")) == D("2728707.00")
    shares = query.grant_shares(journal)
    assert shares["kom-trygt-hjem"]["region-syddanmark"] == D("581400.00")
    assert sum(shares["kom-trygt-hjem"].values(), D("0")) == D("1874400.00")


def test_the_carry_over_moves_the_2022_2023_remainder_into_2024_on_1_january() -> None:
    _, journal = load("sydvestjylland")
    assert journal.periods == (P2223, YearSpan(2024, 2024))
    before = query.funds(journal, span=YearSpan(2024, 2024), as_of=dt.date(2023, 12, 31))
    assert before == {}
    in_2024 = query.funds(journal, span=YearSpan(2024, 2024))
    assert in_2024["fanoe"].opening == D("6330.75") and in_2024["fanoe"].closing == D("6330.75")
    old = query.funds(journal, span=P2223)
    assert old["fanoe"].carried_out == D("6330.75") and old["fanoe"].closing == 0
    # Over all years the carry-over nets out.
    assert query.funds(journal)["fanoe"].closing == D("6330.75")


def test_a_year_inside_a_merged_period_shows_the_whole_period() -> None:
    _, journal = load("sydvestjylland")
    assert journal.periods_in(YearSpan(2023, 2023)) == (P2223,)
    assert query.funds(journal, span=YearSpan(2023, 2023)) == query.funds(journal, span=P2223)


def test_nykoebing_years_and_the_period_2022_2023_agree() -> None:
    _, journal = load("nykoebing-falster")
    y2022 = query.funds(journal, span=YearSpan(2022, 2022))
    y2023 = query.funds(journal, span=YearSpan(2023, 2023))
    both = query.funds(journal, span=P2223)
    for holder in both:
        assert both[holder].allocated == y2022.get(holder, query.FundsLine(holder)).allocated + y2023[holder].allocated
        assert both[holder].closing == 0  # everything carried into 2024
    in_2024 = query.funds(journal, span=YearSpan(2024, 2024))
    total_carried = sum((line.opening for line in in_2024.values()), D("0"))
    assert total_carried == D("4117272.00") - D("802500.00")


def test_holbaek_has_committed_all_its_funds() -> None:
    _, journal = load("holbaek")
    lines = query.funds(journal)
    assert sum((line.closing for line in lines.values()), D("0")) == 0
    assert lines["unattributed"].committed == D("2580835.00")


def test_merge_spans() -> None:
    assert merge_spans([YearSpan(2023, 2023), YearSpan(2022, 2023), YearSpan(2025, 2025)]) == (P2223, YearSpan(2025, 2025))


def _grant(gid: str, amount: str, date: dt.date, year: int | None = None) -> Grant:
    return Grant(id=gid, name=gid, granted=D(amount), financing=Solidarity(), owner="havby",
                 year=YearSpan.of(year) if year else None, decision=Decision("politisk", date))


def test_a_backdated_decision_cannot_take_money_a_later_decision_counts_on() -> None:
    ledger, journal = load("vesterhavet", FIXTURE_DATA)
    period = YearSpan.of(2023)
    late = _grant("sent", "2000000", dt.date(2023, 11, 1))
    with_late = ledger.with_records(grants=(late,))
    journal_late = build_journal(with_late)
    # On 1 July the balance is still high, but what can be committed is what survives 1 November.
    on_july = available(with_late, journal_late, period, dt.date(2023, 7, 1), "havby")
    balance_july = query.balance(journal_late, "havby", period, dt.date(2023, 7, 1))
    assert on_july < balance_july
    assert on_july == query.balance(journal_late, "havby", period)


def test_annulling_a_grant_reverses_it_on_the_annulment_date_and_keeps_history() -> None:
    ledger, journal = load("vesterhavet", FIXTURE_DATA)
    annul = Annulment(id="a1", record="grants/palliation", date=dt.date(2024, 1, 10), reason="fejl")
    with_it = build_journal(ledger.with_records(annulments=(annul,)))
    assert "palliation" in query.grant_amounts(with_it, as_of=dt.date(2024, 1, 9))
    assert query.grant_amounts(with_it).get("palliation", D("0")) == 0
    assert with_it.grants["palliation"].annulled
    assert query.funds(with_it)["sandby"].closing > query.funds(journal)["sandby"].closing


def test_a_change_cannot_be_annulled_before_a_later_change() -> None:
    ledger, _ = load("vesterhavet", FIXTURE_DATA)
    decide = Decision("politisk", dt.date(2023, 8, 1))
    first = Change(id="c1", kind="top-up", grant="akutteam", decision=decide, amount=D("10000"))
    second = Change(id="c2", kind="reduction", grant="akutteam", decision=Decision("politisk", dt.date(2023, 9, 1)), amount=D("5000"))
    wrong = Annulment(id="a1", record="changes/c1", date=dt.date(2023, 10, 1), reason="fejl")
    journal = build_journal(ledger.with_records(changes=(first, second), annulments=(wrong,)))
    assert [p.message.key for p in journal.problems] == ["journal.annul_not_latest"]
    right = (Annulment(id="a1", record="changes/c2", date=dt.date(2023, 10, 1), reason="fejl"),
             Annulment(id="a2", record="changes/c1", date=dt.date(2023, 10, 2), reason="fejl"))
    journal = build_journal(ledger.with_records(changes=(first, second), annulments=right))
    assert journal.problems == ()
    assert query.grant_amounts(journal)["akutteam"] == D("500000.00")
    assert query.grant_amounts(journal, as_of=dt.date(2023, 9, 2))["akutteam"] == D("505000.00")


# --------------------------------------------------------------------------- recording without a second build


def _all_clusters():  # type: ignore[no-untyped-def]
    return [(name, SHIPPED_DATA) for name in ("sydvestjylland", "nykoebing-falster", "naestved-slagelse", "holbaek", "midt",
                                             "roskilde-koege")] + [("vesterhavet", FIXTURE_DATA)]


@pytest.mark.parametrize(("name", "root"), _all_clusters())
def test_a_record_added_to_the_journal_is_the_journal_built_again(name: str, root: Path) -> None:
    """journal.build.with_record gives exactly build_journal's journal (transactions, grants in
    the same order, periods, problems), whether it inserts one transaction or builds again."""
    from dataclasses import replace as changed

    from klyngefond.core.records import ExplicitAmounts, Invoice, UnknownSplit
    from klyngefond.journal.build import with_record

    ledger, journal = load(name, root)
    holders = ledger.cluster.fund_holders()
    for year in sorted({p.first for p in journal.periods} | {2021, 2030}):
        for month in (1, 6, 12):
            on = dt.date(year, month, 1)
            for financing in (Solidarity(), UnknownSplit(), ExplicitAmounts({holders[0]: D("10.00")})):
                grant = Grant(id=f"ny-{year}-{month}", name="Ny", granted=D("10.00"), financing=financing,
                              owner=holders[0], decision=Decision("politisk", on))
                bigger = ledger.with_records(grants=(grant,))
                assert_same(with_record(journal, bigger, "grants", grant), build_journal(bigger))
            invoice = Invoice(f"ny-{year}-{month}", "invoice", holders[0], holders[-1], (ledger.grants or (grant,))[0].id,
                              D("5.00"), on, on + dt.timedelta(days=30))
            if ledger.grants:
                bigger = ledger.with_records(invoices=(invoice,))
                assert_same(with_record(journal, bigger, "invoices", invoice), build_journal(bigger))
                credit = changed(invoice, number=f"kr-{year}-{month}", kind="credit_note",
                                 credits=ledger.invoices[0].number) if ledger.invoices else None
                if credit is not None:
                    bigger = ledger.with_records(invoices=(credit,))
                    assert_same(with_record(journal, bigger, "invoices", credit), build_journal(bigger))


def assert_same(got, want) -> None:  # type: ignore[no-untyped-def]
    assert got.periods == want.periods
    assert got.transactions == want.transactions
    assert list(got.grants.items()) == list(want.grants.items())
    assert got.problems == want.problems


@pytest.mark.parametrize(("name", "root"), _all_clusters())
def test_capacity_without_the_probe_is_the_probes_answer(name: str, root: Path) -> None:
    from klyngefond.journal.build import moves_by_balance_from
    from klyngefond.journal.capacity import _probed, _without_probe
    from klyngefond.journal.model import UNATTRIBUTED

    ledger, journal = load(name, root)
    holders = (*ledger.cluster.fund_holders(), UNATTRIBUTED)
    compared = 0
    for period in (*journal.periods, YearSpan(2031, 2031)):
        for year in range(2021, 2028):
            for month in (1, 3, 7, 12):
                on = dt.date(year, month, 1)
                if moves_by_balance_from(journal, on):
                    continue
                assert _without_probe(journal, period, on, holders) == _probed(ledger, journal, period, on, holders)
                compared += 1
    assert compared
