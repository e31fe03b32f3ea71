"""max_affordable is exact: splitting it leaves nobody short, one øre more does (property-tested)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from klyngefond.core.affordability import SplitPlan, _fits, _integer_weights, max_affordable, shortfalls
from klyngefond.core.money import from_ore, to_ore
from klyngefond.core.splitting import split_by_weights

ORE = Decimal("0.01")
weights_st = st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=7)
remaining_st = st.integers(min_value=-50_000, max_value=3_000_000)  # øre


def plan_and_remaining(weights: list[int], remaining: list[int], fixed: list[int] | None = None):
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
def test_max_affordable_is_the_largest_amount_without_shortfall(data):
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
def test_fixed_parts_count_first(data):
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
def test_the_integer_split_used_in_the_search_is_the_real_split(weights, total_ore):
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


def test_equal_weights_and_ties():
    plan = SplitPlan({}, {"a": Fraction(1), "b": Fraction(1), "c": Fraction(1)})
    best = max_affordable(plan, {"a": Decimal("1.00"), "b": Decimal("1.00"), "c": Decimal("1.00")})
    assert best == Decimal("3.00")
    best = max_affordable(plan, {"a": Decimal("1.00"), "b": Decimal("1.00"), "c": Decimal("0.99")})
    # 2.99 splits 1.00/1.00/0.99 (ties go to the earlier partner); 3.00 would need 1.00 from c
    assert best == Decimal("2.99")


def test_a_partner_already_below_zero_blocks_every_positive_share():
    plan = SplitPlan({}, {"a": Fraction(1), "b": Fraction(1_000_000)})
    best = max_affordable(plan, {"a": Decimal("-5.00"), "b": Decimal("1000000.00")})
    shares = split_by_weights(best, plan.weights)
    assert shares["a"] == 0
    assert split_by_weights(best + ORE, plan.weights)["a"] > 0 or shortfalls(split_by_weights(best + ORE, plan.weights), {"a": Decimal("-5.00"), "b": Decimal("1000000.00")})
