"""Property tests for closing the books: the settlement leaves every partner at zero with at most
partners − 1 transfers, and closing, handing over and settling never create or lose an øre."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from test_journal_properties import PARTNERS, SETTINGS
from test_spending_properties import ledgers_with_spending, money_is_kept

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Closeout, Invoice, Payment
from klyngefond.core.settlement import settle
from klyngefond.journal import query
from klyngefond.journal.build import build_journal
from klyngefond.reports.closeout import closing_statement

D = Decimal
ZERO = D("0.00")
ore = st.integers(min_value=-5_000_000_00, max_value=5_000_000_00).map(lambda n: D(n) / 100)


@st.composite
def balanced_positions(draw):  # type: ignore[no-untyped-def]
    names = draw(st.lists(st.sampled_from([f"p{i}" for i in range(8)]), min_size=1, max_size=8, unique=True))
    values = [draw(ore) for _ in names[:-1]]
    values.append(-sum(values, ZERO))
    return dict(zip(names, values))


@SETTINGS
@given(balanced_positions())
def test_the_settlement_leaves_every_partner_at_zero_with_at_most_partners_less_one_transfers(positions: dict) -> None:  # type: ignore[type-arg]
    transfers = settle(positions, sorted(positions))
    left = dict(positions)
    for transfer in transfers:
        assert transfer.amount > 0 and transfer.amount == transfer.amount.quantize(D("0.01"))
        assert transfer.payer != transfer.payee
        left[transfer.payer] += transfer.amount
        left[transfer.payee] -= transfer.amount
    assert all(value == 0 for value in left.values())
    assert len(transfers) <= max(len([v for v in positions.values() if v]) - 1, 0) <= len(positions) - 1
    assert settle(positions, sorted(positions)) == transfers  # never depends on chance


def test_the_issues_example_is_one_transfer() -> None:
    # Havby owes the region 300.000,00 and the region owes Havby 171.428,57.
    positions = {"havby": D("-300000.00") + D("171428.57"), "region": D("300000.00") - D("171428.57")}
    assert [(t.payer, t.payee, t.amount) for t in settle(positions, ["havby", "region"])] == [("havby", "region", D("128571.43"))]


def test_positions_that_do_not_add_up_are_refused() -> None:
    import pytest

    with pytest.raises(ValueError):
        settle({"a": D("1.00"), "b": D("-0.99")})


@st.composite
def ledgers_with_invoices_and_a_closeout(draw):  # type: ignore[no-untyped-def]
    ledger: Ledger = draw(ledgers_with_spending())
    journal = build_journal(ledger)
    shares = query.grant_shares(journal)
    invoices, payments = [], []
    for grant in ledger.grants:
        if not draw(st.booleans()):
            continue
        for holder, amount in shares.get(grant.id, {}).items():
            if holder in (grant.owner, "unattributed") or amount <= 0:
                continue
            number = f"{grant.id}-{holder}"
            day = grant.decision.date + dt.timedelta(days=10)  # type: ignore[union-attr]
            invoices.append(Invoice(number, "invoice", grant.owner, holder, grant.id, amount, day, day))  # type: ignore[arg-type]
            paid = draw(st.sampled_from([ZERO, amount, (amount / 2).quantize(D("0.01"))]))
            if paid > 0:
                payments.append(Payment(f"{number}-b", number, day + dt.timedelta(days=5), paid))
    successor = draw(st.sampled_from([None, "Sundhedsråd Test"]))
    named = {pid: "Region Test" for pid in PARTNERS if pid == "r" and draw(st.booleans())}
    closeout = Closeout("slut", dt.date(2027, 12, 31), successor=successor, successors=named)
    return ledger.with_records(invoices=tuple(invoices), payments=tuple(payments), closeouts=(closeout,)), closeout


@SETTINGS
@given(ledgers_with_invoices_and_a_closeout())
def test_closing_the_books_keeps_every_ore_and_squares_up(case) -> None:  # type: ignore[no-untyped-def]
    ledger, closeout = case
    journal = build_journal(ledger)
    money_is_kept(journal)
    statement = closing_statement(ledger, journal, closeout.date, closeout)
    for row in statement.partners:
        assert row.received == row.committed + row.spent + row.handed_over + row.remaining
        if row.successor is not None and row.kind != "unattributed":
            assert row.remaining <= 0  # everything positive was handed over
    assert statement.totals.received == sum((r.received for r in statement.partners), ZERO)
    handed = sum((h.amount for h in statement.handover), ZERO)
    assert handed == statement.totals.handed_over
    assert sum((r.position for r in statement.partners), ZERO) == 0
    left = {r.holder: r.position for r in statement.partners}
    for transfer in statement.transfers:
        left[transfer.payer] += transfer.amount
        left[transfer.payee] -= transfer.amount
    assert all(value == 0 for value in left.values())
    assert len(statement.transfers) <= len(PARTNERS) - 1
    # Squared up, every partner has paid each owner exactly its share of what the grants now are.
    # Worked out here from the shares alone, not by the product's planner: the owner bills every
    # other partner with a share its share.
    shares = query.grant_shares(journal, as_of=closeout.date)
    owners = {g.id: g.owner for g in ledger.grants}
    wanted = {(g, owners[g], h): v for g, split in shares.items() if owners.get(g) and "unattributed" not in split
              for h, v in split.items() if v > 0 and h != owners[g]}
    expected: dict[str, Decimal] = {}
    for (_, issuer, recipient), amount in wanted.items():
        expected[issuer] = expected.get(issuer, ZERO) + amount
        expected[recipient] = expected.get(recipient, ZERO) - amount
    invoices = {i.number: i for i in ledger.invoices}
    for payment in ledger.payments:
        invoice = invoices[payment.invoice]
        expected[invoice.issuer] = expected.get(invoice.issuer, ZERO) - payment.amount
        expected[invoice.recipient] = expected.get(invoice.recipient, ZERO) + payment.amount
    assert {h: v for h, v in expected.items() if v} == {r.holder: r.position for r in statement.partners if r.position}
