"""plan_for gives each model's split plan; max_affordable is exact: splitting it leaves nobody short, one øre more does (property-tested)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import pytest

from klyngefond.core.affordability import SplitPlan, Shortfall, _fits, _integer_weights, max_affordable, plan_for, shortfalls
from klyngefond.core.cofinancing import FinancingError, basis_for, shares_for
from klyngefond.core.money import from_ore, to_ore
from klyngefond.core.records import (
    Allocation,
    Cluster,
    ExplicitAmounts,
    FixedPlusProRata,
    ParticipantsOnly,
    Partner,
    Solidarity,
    UnknownSplit,
    YearSpan,
)
from klyngefond.core.splitting import split_by_weights
from klyngefond.i18n import text

ORE = Decimal("0.01")
weights_st = st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=7)
remaining_st = st.integers(min_value=-50_000, max_value=3_000_000)  # øre


def plan_and_remaining(weights: list[int], remaining: list[int], fixed: list[int] | None = None) -> tuple[SplitPlan, dict[str, Decimal]]:
    ids = [f"p{i}" for i in range(len(weights))]
    plan = SplitPlan({ids[i]: from_ore(f) for i, f in enumerate(fixed or []) if f}, {pid: Fraction(w) for pid, w in zip(ids, weights)})
    rest = {pid: from_ore(r) for pid, r in zip(ids, remaining)}
    return plan, rest


def shares_of(plan: SplitPlan, amount: Decimal) -> dict[str, Decimal]:
    rest = amount - plan.fixed_total
    shares = dict(split_by_weights(rest, plan.weights)) if rest > 0 else {pid: Decimal("0.00") for pid in plan.weights}
    for pid, fixed in plan.fixed.items():
        shares[pid] = shares.get(pid, Decimal("0.00")) + fixed
    return shares


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_max_affordable_is_the_largest_amount_without_shortfall(data: st.DataObject) -> None:
    weights = data.draw(weights_st)
    remaining = data.draw(st.lists(remaining_st, min_size=len(weights), max_size=len(weights)))
    plan, rest = plan_and_remaining(weights, remaining)
    best = max_affordable(plan, rest, verify=lambda a: shares_of(plan, a))
    if best > 0:
        assert shortfalls(shares_of(plan, best), rest) == []
    assert shortfalls(shares_of(plan, best + ORE), rest) != []
    # Nothing in the window above it is affordable either (the Alabama paradox cannot hide one).
    for step in range(2, 40):
        assert shortfalls(shares_of(plan, best + ORE * step), rest) != []


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fixed_parts_count_first(data: st.DataObject) -> None:
    weights = data.draw(st.lists(st.integers(min_value=1, max_value=1_000_000), min_size=2, max_size=5))
    remaining = data.draw(st.lists(st.integers(min_value=0, max_value=2_000_000), min_size=len(weights), max_size=len(weights)))
    fixed_ore = data.draw(st.integers(min_value=0, max_value=1_000_000))
    ids = [f"p{i}" for i in range(len(weights))]
    plan = SplitPlan({"fixed": from_ore(fixed_ore)}, {pid: Fraction(w) for pid, w in zip(ids, weights)})
    rest = {pid: from_ore(r) for pid, r in zip(ids, remaining)}
    rest["fixed"] = from_ore(data.draw(st.integers(min_value=0, max_value=2_000_000)))
    best = max_affordable(plan, rest)
    if rest["fixed"] < plan.fixed["fixed"]:
        assert best == 0
        return
    assert best >= plan.fixed_total
    assert shortfalls(shares_of(plan, best), rest) == []
    assert shortfalls(shares_of(plan, best + ORE), rest) != []


@settings(max_examples=300, deadline=None)
@given(weights_st, st.integers(min_value=0, max_value=10**10))
def test_the_integer_split_used_in_the_search_is_the_real_split(weights: list[int], total_ore: int) -> None:
    """``_fits`` must decide exactly as ``split_by_weights`` rounds, ties and all."""
    ids = [f"p{i}" for i in range(len(weights))]
    fractions = {pid: Fraction(w) for pid, w in zip(ids, weights)}
    scaled = _integer_weights(fractions)
    real = split_by_weights(from_ore(total_ore), fractions)
    capacity = {pid: to_ore(share) for pid, share in real.items()}
    assert _fits(total_ore, scaled, sum(scaled.values()), capacity)
    for pid in ids:
        if capacity[pid] > 0:
            tighter = dict(capacity, **{pid: capacity[pid] - 1})
            assert not _fits(total_ore, scaled, sum(scaled.values()), tighter)


def test_equal_weights_and_ties() -> None:
    plan = SplitPlan({}, {"a": Fraction(1), "b": Fraction(1), "c": Fraction(1)})
    best = max_affordable(plan, {"a": Decimal("1.00"), "b": Decimal("1.00"), "c": Decimal("1.00")})
    assert best == Decimal("3.00")
    best = max_affordable(plan, {"a": Decimal("1.00"), "b": Decimal("1.00"), "c": Decimal("0.99")})
    # 2.99 splits 1.00/1.00/0.99 (ties go to the earlier partner); 3.00 would need 1.00 from c
    assert best == Decimal("2.99")


def test_a_partner_already_below_zero_blocks_every_positive_share() -> None:
    plan = SplitPlan({}, {"a": Fraction(1), "b": Fraction(1_000_000)})
    best = max_affordable(plan, {"a": Decimal("-5.00"), "b": Decimal("1000000.00")})
    shares = split_by_weights(best, plan.weights)
    assert shares["a"] == 0
    assert split_by_weights(best + ORE, plan.weights)["a"] > 0 or shortfalls(split_by_weights(best + ORE, plan.weights), {"a": Decimal("-5.00"), "b": Decimal("1000000.00")})


def test_shortfalls_name_only_partners_that_pay_and_go_below_zero() -> None:
    cost = {"a": Decimal("10.00"), "b": Decimal("0.00"), "c": Decimal("5.00")}
    remaining = {"a": Decimal("4.00"), "b": Decimal("-3.00"), "c": Decimal("5.00")}
    assert shortfalls(cost, remaining) == [Shortfall("a", Decimal("6.00"))]
    assert shortfalls({"d": Decimal("1.00")}, {}) == [Shortfall("d", Decimal("1.00"))]


# --------------------------------------------------------------------------- plan_for on a Basis


def make_basis(allocations: dict[str, int], populations: dict[str, int] | None = None):  # type: ignore[no-untyped-def]
    partners = tuple(Partner(id=pid, name=pid, kind="kommune", population=(populations or {}).get(pid)) for pid in allocations)
    cluster = Cluster(id="t", name="T", region="R", partners=(*partners, Partner(id="plo", name="PLO", kind="almen praksis")),
                      allocations=tuple(Allocation(partner=pid, year=YearSpan.of(2023), received=Decimal(a)) for pid, a in allocations.items()))
    return basis_for(cluster, cluster.allocations, None)


def nonzero(shares: dict[str, Decimal] | None) -> dict[str, Decimal]:
    return {pid: share for pid, share in (shares or {}).items() if share}


def test_plan_for_each_model() -> None:
    basis = make_basis({"a": 100, "b": 300, "c": 600}, populations={"a": 1, "b": 1, "c": 2})
    assert plan_for(Solidarity(), basis) == SplitPlan({}, {"a": Fraction(100), "b": Fraction(300), "c": Fraction(600)})
    assert plan_for(Solidarity(weights="population"), basis).weights == {"a": 1, "b": 1, "c": 2}
    assert plan_for(ParticipantsOnly(participants=("c", "a"), weights="equal"), basis) == SplitPlan({}, {"a": Fraction(1), "c": Fraction(1)})
    plan = plan_for(FixedPlusProRata(fixed={"c": Decimal("50.00")}), basis)
    assert plan == SplitPlan({"c": Decimal("50.00")}, {"a": Fraction(100), "b": Fraction(300)})
    assert plan.fixed_total == Decimal("50.00") and plan.payers() == ("c", "a", "b")
    plan = plan_for(ExplicitAmounts(amounts={"b": Decimal("30.00"), "a": Decimal("10.00")}), basis)
    assert plan == SplitPlan({}, {"a": Fraction(10), "b": Fraction(30)})


def test_an_unknown_split_has_no_plan() -> None:
    with pytest.raises(FinancingError) as info:
        plan_for(UnknownSplit(), make_basis({"a": 1}))
    assert info.value.message.key == "financing.unknown_split_affordability"
    assert "affordability" in text(info.value.message, "en") and "råd til" in text(info.value.message, "da")


financings = st.sampled_from(["solidarity", "participants", "fixed", "fixed-rest", "explicit"])


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_plan_splits_exactly_as_the_model(data: st.DataObject) -> None:
    """max_affordable searches the plan; the plan must be the model, øre for øre."""
    allocations = data.draw(st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 10**7), min_size=2))
    ids = list(allocations)
    basis = make_basis(allocations)
    kind = data.draw(financings)
    weights = data.draw(st.sampled_from(["allocation", "equal"]))
    amount = from_ore(data.draw(st.integers(0, 10**11)))
    original = None
    if kind == "solidarity":
        financing = Solidarity(weights=weights)
    elif kind == "participants":
        financing = ParticipantsOnly(participants=tuple(ids[1:]), weights=weights)
    elif kind.startswith("fixed"):
        fixed = from_ore(data.draw(st.integers(0, to_ore(amount))))
        financing = FixedPlusProRata(fixed={ids[-1]: fixed}, rest_among=tuple(ids[:-1]) if kind == "fixed-rest" else None, weights=weights)
    else:
        amounts = {pid: from_ore(data.draw(st.integers(1, 10**9))) for pid in ids}
        financing = ExplicitAmounts(amounts=amounts)
        original = sum(amounts.values())
    plan = plan_for(financing, basis)
    assert nonzero(shares_of(plan, amount)) == nonzero(shares_for(financing, amount, basis, original=original))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_max_affordable_through_the_real_model(data: st.DataObject) -> None:
    allocations = data.draw(st.dictionaries(st.sampled_from("abcdef"), st.integers(1, 10**7), min_size=2))
    basis = make_basis(allocations)
    remaining = {pid: from_ore(data.draw(st.integers(-10_000, 10**8))) for pid in allocations}
    ids = list(allocations)
    financing = data.draw(st.sampled_from([
        Solidarity(), ParticipantsOnly(participants=tuple(ids[:1])), FixedPlusProRata(fixed={ids[0]: Decimal("100.00")}),
    ]))
    plan = plan_for(financing, basis)
    best = max_affordable(plan, remaining, verify=lambda a: shares_for(financing, a, basis) or {})
    if best > 0:
        assert shortfalls(shares_for(financing, best, basis) or {}, remaining) == []
    if best + ORE < plan.fixed_total:  # the model refuses less than its fixed parts: a fixed payer cannot pay
        assert best == 0 and any(remaining[pid] < part for pid, part in plan.fixed.items())
    else:
        assert shortfalls(shares_for(financing, best + ORE, basis) or {}, remaining) != []
