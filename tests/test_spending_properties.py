"""Property tests for spending and closing grants: no øre is created or lost, a grant spent in
full has spent exactly its shares, and closing a grant frees exactly what is unspent."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st
from test_journal_properties import CLUSTER, PARTNERS, SETTINGS, ledgers

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import (
    Allocation,
    Change,
    Decision,
    FixedPlusProRata,
    Grant,
    GrantClosing,
    ParticipantsOnly,
    Solidarity,
    Spending,
    UnknownSplit,
    YearSpan,
)
from klyngefond.core.splitting import split_by_weights
from klyngefond.journal import query
from klyngefond.journal.build import build_journal
from klyngefond.journal.model import FUNDS, Journal

D = Decimal
ZERO = D("0.00")
ore = st.integers(min_value=1, max_value=50_000_00).map(lambda n: (D(n) / 100).quantize(D("0.01")))


def money_is_kept(journal: Journal) -> None:
    """At the end of every day: what every holder received is committed, spent, handed over or remaining."""
    for day in sorted({t.date for t in journal.transactions}):
        totals = query.holder_totals(journal, as_of=day)
        received = sum((t.received for t in totals.values()), ZERO)
        accounted = sum((t.committed + t.spent + t.handed_over + t.remaining for t in totals.values()), ZERO)
        assert received == accounted
        for line in totals.values():
            assert line.received == line.committed + line.spent + line.handed_over + line.remaining


@st.composite
def ledgers_with_spending(draw):  # type: ignore[no-untyped-def]
    ledger: Ledger = draw(ledgers())
    spending = []
    closings = []
    for grant in ledger.grants:
        start = grant.decision.date  # type: ignore[union-attr]
        for index in range(draw(st.integers(0, 3))):
            day = start + dt.timedelta(days=draw(st.integers(0, 700)))
            spending.append(Spending(f"{grant.id}-s{index}", grant.id, draw(ore), day))
        if draw(st.booleans()):
            closings.append(GrantClosing(f"{grant.id}-luk", grant.id, start + dt.timedelta(days=draw(st.integers(0, 900)))))
    return ledger.with_records(spending=tuple(spending), closings=tuple(closings))


@SETTINGS
@given(ledgers_with_spending())
def test_spending_and_closing_never_create_or_lose_an_ore(ledger: Ledger) -> None:
    journal = build_journal(ledger)
    for txn in journal.transactions:
        assert sum((p.amount for p in txn.postings), D("0")) == 0
    money_is_kept(journal)
    for gid, state in query.grant_spending(journal).items():
        assert state.granted == state.spent + state.unspent + state.freed
        if state.closed:
            assert state.unspent == 0


@SETTINGS
@given(ledgers_with_spending())
def test_spending_per_partner_is_the_total_split_by_the_grants_shares(ledger: Ledger) -> None:
    journal = build_journal(ledger)
    shares = query.grant_shares(journal)
    spent: dict[str, dict[str, Decimal]] = {}
    for txn in journal.transactions:
        for posting in txn.postings:
            if posting.account[0] == "spent":
                book = spent.setdefault(posting.account[1], {})
                book[posting.account[2]] = book.get(posting.account[2], ZERO) + posting.amount
    states = query.grant_spending(journal)
    for gid, book in spent.items():
        state = states[gid]
        if state.closed or not state.spent:
            continue
        weights = {h: v for h, v in shares[gid].items() if v > 0}
        expected = split_by_weights(state.spent, weights)
        assert {h: v for h, v in book.items() if v} == {h: v for h, v in expected.items() if v}
        if state.spent <= state.granted:
            assert all(book.get(h, ZERO) <= shares[gid][h] for h in shares[gid])  # nobody's spending passes its share


GRANT_CLUSTER_YEAR = 2024


def one_grant(financing, amount: Decimal) -> Ledger:  # type: ignore[no-untyped-def]
    allocations = tuple(Allocation(partner=pid, year=YearSpan.of(GRANT_CLUSTER_YEAR), received=D("1000000.00") * (i + 1))
                        for i, pid in enumerate(PARTNERS))
    grant = Grant(id="g", name="G", granted=amount, financing=financing, owner="a",
                  decision=Decision("politisk", dt.date(GRANT_CLUSTER_YEAR, 2, 1)))
    return Ledger(folder=Path("/tmp/test"), cluster=CLUSTER, allocations=allocations, grants=(grant,))


financings = st.sampled_from([Solidarity(), Solidarity(weights="equal"), ParticipantsOnly(participants=("a", "c")),
                              FixedPlusProRata(fixed={"r": D("100.00")}), UnknownSplit()])


@SETTINGS
@given(financings, st.integers(min_value=100_00, max_value=2_000_000_00), st.lists(st.integers(1, 10_000), max_size=6),
       st.integers(0, 100), st.booleans())
def test_closing_a_grant_frees_exactly_what_is_unspent(financing, granted_ore: int, parts: list[int], percent: int,
                                                       top_up: bool) -> None:  # type: ignore[no-untyped-def]
    amount = D(granted_ore) / 100
    ledger = one_grant(financing, amount)
    # Random spending adding up to at most the grant.
    budget = (amount * percent / 100).quantize(D("0.01"))
    weights_total = sum(parts) or 1
    pieces = [(budget * p / weights_total).quantize(D("0.01"), rounding=ROUND_DOWN) for p in parts]  # never beyond the budget
    pieces = [p for p in pieces if p > 0]
    spending = tuple(Spending(f"s{i}", "g", piece, dt.date(GRANT_CLUSTER_YEAR, 3, 1) + dt.timedelta(days=i))
                     for i, piece in enumerate(pieces))
    changes = (Change(id="t", kind="top-up", grant="g", amount=D("1000.00"),
                      decision=Decision("politisk", dt.date(GRANT_CLUSTER_YEAR, 3, 2))),) if top_up else ()
    ledger = ledger.with_records(spending=spending, changes=changes)
    before = build_journal(ledger)
    assert not before.problems
    shares = query.grant_shares(before)["g"]
    spent_total = sum(pieces, ZERO)
    state = query.grant_spending(before)["g"]
    assert state.spent == spent_total and state.granted == amount + (D("1000.00") if top_up else ZERO)
    funds_before = query.funds(before)

    closed = ledger.with_records(closings=(GrantClosing("luk", "g", dt.date(GRANT_CLUSTER_YEAR, 12, 31)),))
    after = build_journal(closed)
    assert not after.problems
    final = query.grant_spending(after)["g"]
    assert final.freed == state.granted - spent_total  # exactly the unspent part
    assert final.unspent == 0 and final.spent == spent_total
    spent_shares = {h: v for h, v in query.grant_shares(after)["g"].items() if v}
    assert sum(spent_shares.values(), ZERO) == spent_total  # after closing, the split is what was spent
    funds_after = query.funds(after)
    for holder, share in shares.items():
        freed = funds_after[holder].closing - funds_before[holder].closing
        assert freed == share - spent_shares.get(holder, ZERO)  # each partner gets back its unspent share
        assert freed >= 0
    period = YearSpan.of(GRANT_CLUSTER_YEAR)
    freed_postings = [p for t in after.transactions if t.kind == "closing" for p in t.postings if p.account[0] == FUNDS]
    assert all(p.account[2] == period for p in freed_postings)  # back to the grant's own period
    money_is_kept(after)


@SETTINGS
@given(financings, st.integers(min_value=100_00, max_value=2_000_000_00), st.integers(1, 5))
def test_a_grant_spent_in_full_has_spent_exactly_its_shares(financing, granted_ore: int, pieces: int) -> None:  # type: ignore[no-untyped-def]
    amount = D(granted_ore) / 100
    part = (amount / pieces).quantize(D("0.01"))
    amounts = [part] * (pieces - 1) + [amount - part * (pieces - 1)]
    assume(all(a > 0 for a in amounts))
    ledger = one_grant(financing, amount).with_records(spending=tuple(
        Spending(f"s{i}", "g", a, dt.date(GRANT_CLUSTER_YEAR, 4, 1 + i)) for i, a in enumerate(amounts)))
    journal = build_journal(ledger)
    state = query.grant_spending(journal)["g"]
    assert state.spent == amount and state.unspent == 0
    balances: dict[str, Decimal] = {}
    for txn in journal.transactions:
        for posting in txn.postings:
            if posting.account[0] == "committed":
                balances[posting.account[2]] = balances.get(posting.account[2], ZERO) + posting.amount
    assert all(v == 0 for v in balances.values())  # nothing left committed on any partner
