"""Spending and closing grants in the journal, on the fictional fixture cluster: the postings,
what cannot apply, and corrections by annulment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Annulment, Change, Closeout, Decision, GrantClosing, Reopening, Spending
from klyngefond.journal import query
from klyngefond.journal.build import build_journal
from klyngefond.journal.invariants import check_journal
from klyngefond.storage.loader import load_ledger

D = Decimal
FIXTURE = Path(__file__).resolve().parents[1] / "klyngefond" / "examples" / "fictional" / "vesterhavet"


@pytest.fixture(scope="module")
def vesterhavet() -> Ledger:
    ledger, problems = load_ledger(FIXTURE)
    assert ledger is not None and not problems
    return ledger


def spend(grant: str, amount: str, day: str, sid: str = "s") -> Spending:
    return Spending(sid, grant, D(amount), dt.date.fromisoformat(day))


def test_spending_moves_each_partners_part_from_committed_to_spent(vesterhavet: Ledger) -> None:
    journal = build_journal(vesterhavet.with_records(spending=(spend("akutteam", "100000.00", "2024-01-10"),)))
    assert not journal.problems
    txn = journal.transactions[-1]
    assert txn.kind == "spending" and txn.grant == "akutteam"
    spent = {p.account[2]: p.amount for p in txn.postings if p.account[0] == "spent"}
    # Akutteam: the region pays a fixed 200.000 of 500.000; the municipalities share the rest by allocation.
    assert spent == {"havby": D("34285.71"), "klitby": D("17142.86"), "sandby": D("8571.43"), "region-vest": D("40000.00")}
    state = query.grant_spending(journal)["akutteam"]
    assert (state.granted, state.spent, state.unspent, state.freed) == (D("500000.00"), D("100000.00"), D("400000.00"), 0)
    assert state.share_spent == D("0.2")
    # Spending does not change the grant's split, nor what partners have left.
    assert query.grant_shares(journal) == query.grant_shares(build_journal(vesterhavet))
    assert query.funds(journal) == query.funds(build_journal(vesterhavet))


def test_closing_frees_the_unspent_part_into_the_grants_own_period(vesterhavet: Ledger) -> None:
    ledger = vesterhavet.with_records(spending=(spend("palliation", "23456.78", "2024-05-01"),),
                                      closings=(GrantClosing("luk", "palliation", dt.date(2024, 12, 31)),))
    journal = build_journal(ledger)
    assert not journal.problems
    closing = journal.transactions[-1]
    freed = {p.account[1]: p.amount for p in closing.postings if p.account[0] == "funds"}
    assert freed == {"havby": D("80000.00"), "sandby": D("20000.00")}
    assert {p.account[2] for p in closing.postings if p.account[0] == "funds"} == {closing.period}
    assert str(closing.period) == "2023"
    assert query.grant_shares(journal)["palliation"] == {"havby": D("18765.42"), "sandby": D("4691.36")}
    assert journal.grants["palliation"].closed


@pytest.mark.parametrize("records,message", [
    ({"spending": (spend("akutteam", "10.00", "2023-01-01"),)}, "spending.before_grant"),
    ({"spending": (spend("akutteam", "10.00", "2024-01-01"),),
      "closings": (GrantClosing("luk", "akutteam", dt.date(2023, 12, 31)),)},
     "spending.grant_closed"),
    ({"spending": (spend("akutteam", "600000.00", "2024-01-01"),), "closings": (GrantClosing("luk", "akutteam", dt.date(2024, 6, 1)),)},
     "spending.close_overspent"),
    ({"spending": (spend("akutteam", "300000.00", "2024-01-01"),),
      "changes": (Change("r", "reduction", "akutteam", Decision("politisk", dt.date(2024, 2, 1)), amount=D("250000.00")),)},
     "spending.below_spent"),
    ({"spending": (spend("akutteam", "1.00", "2024-01-01"),),
      "changes": (Change("w", "withdrawal", "akutteam", Decision("politisk", dt.date(2024, 2, 1))),)}, "spending.below_spent"),
    ({"closings": (GrantClosing("luk", "akutteam", dt.date(2024, 1, 1)),),
      "changes": (Change("t", "top-up", "akutteam", Decision("politisk", dt.date(2024, 2, 1)), amount=D("1.00")),)},
     "spending.grant_closed"),
])
def test_what_cannot_apply_is_a_problem_and_left_out(vesterhavet: Ledger, records: dict, message: str) -> None:  # type: ignore[type-arg]
    journal = build_journal(vesterhavet.with_records(**records))
    assert [p.message.key for p in journal.problems] == [message]


def test_overspending_is_kept_and_shown(vesterhavet: Ledger) -> None:
    journal = build_journal(vesterhavet.with_records(spending=(spend("forebyggelse", "230000.00", "2024-01-01"),)))
    assert not journal.problems
    state = query.grant_spending(journal)["forebyggelse"]
    assert state.overspent == D("5000.00") and state.unspent == D("-5000.00")


def test_a_top_up_after_spending_splits_the_spending_again(vesterhavet: Ledger) -> None:
    base = vesterhavet.with_records(spending=(spend("forebyggelse", "100000.00", "2024-01-01"),))
    topped = base.with_records(changes=(Change("t", "top-up", "forebyggelse", Decision("politisk", dt.date(2024, 2, 1)),
                                               amount=D("75000.00")),))
    journal = build_journal(topped)
    assert not journal.problems
    shares = query.grant_shares(journal)["forebyggelse"]
    assert shares == {"havby": D("133333.33"), "klitby": D("66666.67"), "region-vest": D("100000.00")}
    spent: dict[str, Decimal] = {}
    for txn in journal.transactions:
        for posting in txn.postings:
            if posting.account[0] == "spent":
                spent[posting.account[2]] = spent.get(posting.account[2], 0) + posting.amount
    assert spent == {"havby": D("44444.45"), "klitby": D("22222.22"), "region-vest": D("33333.33")}  # ties go to the larger share
    # Annulling the top-up restores both the split and the split of the spending.
    undone = build_journal(topped.with_records(annulments=(Annulment("x", "changes/t", dt.date(2024, 3, 1), "fejl"),)))
    assert not undone.problems
    assert query.grant_shares(undone) == query.grant_shares(build_journal(base))
    assert query.holder_totals(undone) == query.holder_totals(build_journal(base))


def test_corrections_are_annulments_in_order(vesterhavet: Ledger) -> None:
    ledger = vesterhavet.with_records(spending=(spend("akutteam", "1000.00", "2024-01-01"),),
                                      closings=(GrantClosing("luk", "akutteam", dt.date(2024, 6, 1)),))
    wrong = build_journal(ledger.with_records(annulments=(Annulment("x", "spending/s", dt.date(2024, 7, 1), "fejl"),)))
    assert [p.message.key for p in wrong.problems] == ["spending.annul_closed"]
    grant = build_journal(vesterhavet.with_records(spending=(spend("akutteam", "1000.00", "2024-01-01"),),
                                                   annulments=(Annulment("x", "grants/akutteam", dt.date(2024, 7, 1), "fejl"),)))
    assert [p.message.key for p in grant.problems] == ["spending.annul_grant_with_spending"]
    reopened = ledger.with_records(annulments=(Annulment("x", "closings/luk", dt.date(2024, 7, 1), "fejl"),
                                               Annulment("y", "spending/s", dt.date(2024, 7, 2), "fejl")))
    journal = build_journal(reopened)
    assert not journal.problems
    assert query.holder_totals(journal)["havby"].spent == 0
    assert query.funds(journal) == query.funds(build_journal(vesterhavet))
    assert not journal.grants["akutteam"].closed


def test_closed_books_take_nothing_dated_after_them_until_reopened(vesterhavet: Ledger) -> None:
    closed = vesterhavet.with_records(closeouts=(Closeout("slut", dt.date(2026, 10, 31), successor="Sundhedsråd Vest"),),
                                      spending=(spend("akutteam", "10.00", "2026-11-15"),))
    journal = build_journal(closed)
    assert not journal.problems
    today = dt.date(2030, 1, 1)
    found = [p.message.key for p in check_journal(closed, journal, today) if p.is_error]
    assert found == ["closeout.dated_after"]
    assert query.closeout_in_force(journal).ref == "closeouts/slut"  # type: ignore[union-attr]
    everything = query.holder_totals(journal)
    assert all(line.remaining == 0 for line in everything.values())  # every partner handed over all it had left
    reopened = closed.with_records(reopenings=(Reopening("igen", "slut", dt.date(2026, 11, 10), "sen afrapportering"),))
    journal = build_journal(reopened)
    assert query.closeout_in_force(journal) is None
    assert not [p for p in check_journal(reopened, journal, today) if p.is_error]
    # A closeout still in force cannot be annulled, nor can a second closeout close closed books.
    stuck = build_journal(closed.with_records(annulments=(Annulment("x", "closeouts/slut", dt.date(2026, 11, 1), "fejl"),)))
    assert [p.message.key for p in stuck.problems] == ["closeout.annul_in_force"]
    twice = build_journal(closed.with_records(closeouts=(Closeout("slut2", dt.date(2026, 11, 30)),)))
    assert [p.message.key for p in twice.problems] == ["closeout.already_closed"]
    undone = build_journal(reopened.with_records(annulments=(Annulment("x", "closeouts/slut", dt.date(2026, 11, 11), "fejl"),)))
    assert not undone.problems
    assert query.handed_over(undone) == {}


def test_the_same_closeout_twice_is_one_decision_unless_reopened(vesterhavet: Ledger) -> None:
    from klyngefond.core.duplicates import already_recorded

    closed = vesterhavet.with_records(closeouts=(Closeout("slut", dt.date(2026, 10, 31)),))
    assert already_recorded(Closeout("igen", dt.date(2026, 10, 31)), closed) == "closeouts/slut"
    reopened = closed.with_records(reopenings=(Reopening("op", "slut", dt.date(2026, 11, 1), "fejl"),))
    assert already_recorded(Closeout("igen", dt.date(2026, 10, 31)), reopened) is None
    assert already_recorded(spend("akutteam", "1.00", "2026-01-01", "ny"),
                            vesterhavet.with_records(spending=(spend("akutteam", "1.00", "2026-01-01"),))) == "spending/s"


def test_closing_can_free_into_another_year_as_a_change_can(vesterhavet: Ledger) -> None:
    from klyngefond.core.records import YearSpan

    journal = build_journal(vesterhavet.with_records(closings=(GrantClosing("luk", "palliation", dt.date(2026, 1, 5),
                                                                            year=YearSpan.of(2026)),)))
    assert not journal.problems and YearSpan.of(2026) in journal.periods
    assert query.funds(journal, span=YearSpan.of(2026))["havby"].closing == D("98765.42")
