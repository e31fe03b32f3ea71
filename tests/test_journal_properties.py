"""Property tests: for random sequences of records, every view agrees with the journal,
``--as-of`` is the journal of what was dated by then, and what recording accepts never
breaks a rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from klyngefond.cli.context import Opened
from klyngefond.cli.recording import new_problems
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import (
    Allocation,
    Annulment,
    CarryOver,
    Change,
    Cluster,
    Decision,
    ExplicitAmounts,
    FixedPlusProRata,
    Grant,
    Partner,
    ParticipantsOnly,
    Solidarity,
    YearSpan,
)
from klyngefond.journal import query
from klyngefond.journal.build import build_journal
from klyngefond.journal.invariants import check_journal
from klyngefond.reports.proposals import propose_grant
from klyngefond.reports.status import build_status
from klyngefond.reports.view import View

D = Decimal
TODAY = dt.date(2030, 1, 1)
PARTNERS = ("a", "b", "c", "r")
CLUSTER = Cluster(id="test", name="Test", region="Region Test", partners=tuple(
    Partner(id=pid, name=f"Part {pid}", kind="region" if pid == "r" else "kommune") for pid in PARTNERS))
YEARS = (2022, 2023, 2024, 2025)

amounts = st.integers(min_value=1, max_value=300_000_00).map(lambda ore: (D(ore) / 100).quantize(D("0.01")))
dates = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2025, 12, 31))


@st.composite
def financing(draw):  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(["solidarity", "participants", "fixed", "explicit"]))
    if kind == "solidarity":
        return Solidarity(weights=draw(st.sampled_from(["allocation", "equal"])))
    if kind == "participants":
        chosen = draw(st.lists(st.sampled_from(PARTNERS), min_size=1, max_size=4, unique=True))
        return ParticipantsOnly(participants=tuple(chosen), weights="equal")
    if kind == "fixed":
        return FixedPlusProRata(fixed={"r": D("100.00")}, weights="equal")
    return None  # explicit: amounts chosen with the grant


@st.composite
def ledgers(draw):  # type: ignore[no-untyped-def]
    allocations = []
    for pid in PARTNERS:
        for year in draw(st.lists(st.sampled_from(YEARS), min_size=3, max_size=4, unique=True)):
            allocations.append(Allocation(partner=pid, year=YearSpan.of(year), received=draw(amounts) * 10,
                                          date=draw(st.none() | st.just(dt.date(year, 3, 1)))))
    grants = []
    for index in range(draw(st.integers(0, 6))):
        model = draw(financing())
        amount = draw(amounts)
        if model is None:
            parts = draw(st.lists(st.sampled_from(PARTNERS), min_size=1, max_size=3, unique=True))
            base = (amount / len(parts)).quantize(D("0.01"))
            split = {pid: base for pid in parts}
            split[parts[0]] += amount - base * len(parts)
            assume(all(v > 0 for v in split.values()))
            model = ExplicitAmounts(amounts=split)
        elif isinstance(model, Solidarity) and model.weights == "allocation":
            model = Solidarity(weights="equal")  # allocation weights need every partner's funds up to the year
        if isinstance(model, FixedPlusProRata):
            amount = max(amount, D("100.00"))
        year = draw(st.none() | st.sampled_from(YEARS))
        date = draw(st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)) if year else dates)
        grants.append(Grant(id=f"g{index}", name=f"Bevilling {index}", granted=amount, financing=model, owner="a",
                            year=YearSpan.of(year) if year else None, decision=Decision("politisk", date)))
    changes = []
    for index in range(draw(st.integers(0, 4))):
        if not grants:
            break
        grant = draw(st.sampled_from(grants))
        kind = draw(st.sampled_from(["top-up", "reduction", "withdrawal", "transfer"]))
        target = draw(st.sampled_from(grants)) if kind == "transfer" else None
        if target is not None and target.id == grant.id:
            continue
        # Mostly after the decisions it changes (a change before them is a problem the journal reports).
        after = max([grant.decision.date] + ([target.decision.date] if target else [])) + dt.timedelta(days=draw(st.integers(0, 400)))
        day = draw(st.sampled_from([after, after, after, draw(dates)]))
        changes.append(Change(id=f"c{index}", kind=kind, grant=grant.id, to_grant=target.id if target else None,
                              amount=None if kind == "withdrawal" else (draw(amounts) / 10).quantize(D("0.01")),
                              decision=Decision("politisk", min(day, dt.date(2026, 12, 31)))))
    carryovers = []
    for index in range(draw(st.integers(0, 2))):
        first = draw(st.sampled_from(YEARS[:-1]))
        whole = draw(st.booleans())
        carryovers.append(CarryOver(id=f"o{index}", from_year=YearSpan.of(first), to_year=first + 1,
                                    partner=None if whole else draw(st.sampled_from(PARTNERS)),
                                    amount=None if whole else max((draw(amounts) / 100).quantize(D("0.01")), D("0.01"))))
    records = [("grants", g.id) for g in grants] + [("changes", c.id) for c in changes] + [("carryovers", c.id) for c in carryovers]
    annulments = []
    if records and draw(st.booleans()):
        folder, rid = draw(st.sampled_from(records))
        annulments.append(Annulment(id="x0", record=f"{folder}/{rid}", date=draw(dates), reason="fejl"))
    origins = {f"{folder}/{rid}": Path(f"/tmp/{folder}/{rid}.toml") for folder, rid in records}
    return Ledger(folder=Path("/tmp/test"), cluster=CLUSTER, allocations=tuple(allocations), grants=tuple(grants),
                  changes=tuple(changes), carryovers=tuple(carryovers), annulments=tuple(annulments), origins=origins)


def dated_by(ledger: Ledger, day: dt.date) -> Ledger:
    """The records that had happened by the end of ``day`` (by the journal's own dating rules)."""
    journal = build_journal(ledger)
    happened = {t.ref for t in journal.transactions if t.date <= day}
    from dataclasses import replace

    return replace(
        ledger,
        allocations=tuple(a for a in ledger.allocations if (a.date or dt.date(a.year.first, 1, 1)) <= day),
        grants=tuple(g for g in ledger.grants if g.decision is None or g.decision.date <= day),
        changes=tuple(c for c in ledger.changes if c.date <= day),
        carryovers=tuple(c for c in ledger.carryovers if f"carryovers/{c.id}" in happened or c.date <= day),
        annulments=tuple(a for a in ledger.annulments if a.date <= day),
    )


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@SETTINGS
@given(ledgers())
def test_every_transaction_adds_up_to_zero(ledger: Ledger) -> None:
    for txn in build_journal(ledger).transactions:
        assert sum((p.amount for p in txn.postings), D("0")) == 0


@SETTINGS
@given(ledgers(), dates)
def test_as_of_is_the_journal_of_what_had_happened_by_then(ledger: Ledger, day: dt.date) -> None:
    journal = build_journal(ledger)
    assert query.funds(journal, as_of=day) == query.funds(build_journal(dated_by(ledger, day)))
    assert query.grant_shares(journal, as_of=day) == query.grant_shares(build_journal(dated_by(ledger, day)))


@SETTINGS
@given(ledgers(), st.none() | dates)
def test_the_periods_add_up_to_all_years_and_status_agrees_with_the_journal(ledger: Ledger, day: dt.date | None) -> None:
    journal = build_journal(ledger)
    everything = query.funds(journal, as_of=day)
    for holder, line in everything.items():
        by_period = [query.funds(journal, as_of=day, span=p).get(holder) for p in journal.periods]
        assert sum((x.closing for x in by_period if x), D("0")) == line.closing
        assert line.closing == line.allocated - line.committed
    report = build_status(ledger, journal, View(as_of=day))
    assert {row.id: row.funds.closing for row in report.holders} == {h: l.closing for h, l in everything.items() if any(
        (l.allocated, l.committed))}
    assert report.totals.closing == sum((row.funds.closing for row in report.holders), D("0"))
    shares = query.grant_shares(journal, as_of=day)
    for line in report.grants:
        assert line.amount == sum(shares.get(line.grant.id, {}).values(), D("0"))


def admitted(ledger: Ledger, candidate: Grant) -> bool:
    """What recording decides: the candidate brings no new error."""
    journal = build_journal(ledger)
    opened = Opened(Path("/tmp/test"), ledger, journal)
    _, problems = new_problems(opened, candidate, "grants", TODAY)
    return not any(p.is_error for p in problems)


@SETTINGS
@given(ledgers(), amounts, dates, st.none() | st.sampled_from(YEARS))
def test_a_proposal_without_shortfall_records_and_one_with_a_shortfall_is_refused(
        ledger: Ledger, amount: Decimal, day: dt.date, year: int | None) -> None:
    journal = build_journal(ledger)
    assume(not [p for p in check_journal(ledger, journal, TODAY) if p.is_error])
    span = YearSpan.of(year) if year else None
    proposal = propose_grant(ledger, journal, name="Ny", amount=amount, financing=Solidarity(weights="equal"), owner="a",
                             year=span, date=day)
    candidate = Grant(id="ny", name="Ny", granted=amount, financing=Solidarity(weights="equal"), owner="a", year=span,
                      decision=Decision("politisk", day))
    assert admitted(ledger, candidate) == proposal.affordable
    if proposal.max_affordable and proposal.max_affordable > 0:
        best = Grant(id="ny", name="Ny", granted=proposal.max_affordable, financing=Solidarity(weights="equal"), owner="a",
                     year=span, decision=Decision("politisk", day))
        assert admitted(ledger, best)


@SETTINGS
@given(ledgers(), st.lists(st.tuples(amounts, dates, st.none() | st.sampled_from(YEARS)), max_size=6))
def test_what_recording_accepts_never_breaks_a_rule(ledger: Ledger, proposals: list) -> None:  # type: ignore[type-arg]
    journal = build_journal(ledger)
    assume(not [p for p in check_journal(ledger, journal, TODAY) if p.is_error])
    for index, (amount, day, year) in enumerate(proposals):
        candidate = Grant(id=f"ny{index}", name=f"Ny {index}", granted=amount, financing=Solidarity(weights="equal"),
                          owner="a", year=YearSpan.of(year) if year else None, decision=Decision("politisk", day))
        if admitted(ledger, candidate):
            ledger = ledger.with_records(grants=(candidate,))
            assert not [p for p in check_journal(ledger, build_journal(ledger), TODAY) if p.is_error]
