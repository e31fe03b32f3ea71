"""Largest-remainder splitting: shares add up to the øre, stay within one øre, and never depend on chance."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.money import from_ore
from klyngefond.core.splitting import SplitError, exact_share, split_by_weights

weights_strategy = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=4), st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12
).filter(lambda w: sum(w.values()) > 0)


@given(total_ore=st.integers(min_value=0, max_value=10**14), weights=weights_strategy)
def test_shares_add_up_to_the_total_and_stay_within_one_ore(total_ore: int, weights: dict[str, int]) -> None:
    total = from_ore(total_ore)
    shares = split_by_weights(total, weights)
    assert sum(shares.values()) == total
    assert list(shares) == list(weights)
    weight_sum = sum(weights.values())
    for key, share in shares.items():
        exact = Fraction(total) * weights[key] / weight_sum
        assert abs(Fraction(share) - exact) < Fraction(1, 100)
        assert exact_share(total, weights[key], weight_sum) == exact
        assert share == share.quantize(Decimal("0.01"))
        assert share >= 0


@given(total_ore=st.integers(min_value=0, max_value=10**10), weights=weights_strategy)
def test_split_is_deterministic(total_ore: int, weights: dict[str, int]) -> None:
    total = from_ore(total_ore)
    assert split_by_weights(total, weights) == split_by_weights(total, dict(weights))


@given(total_ore=st.integers(min_value=0, max_value=10**10), weights=weights_strategy, scale=st.integers(1, 1000))
def test_only_the_ratio_of_the_weights_counts(total_ore: int, weights: dict[str, int], scale: int) -> None:
    total = from_ore(total_ore)
    scaled = {key: Fraction(w * scale, 7) for key, w in weights.items()}
    assert split_by_weights(total, weights) == split_by_weights(total, scaled)


def test_ties_go_to_the_partner_listed_first() -> None:
    shares = split_by_weights(Decimal("0.02"), {"a": 1, "b": 1, "c": 1})
    assert shares == {"a": Decimal("0.01"), "b": Decimal("0.01"), "c": Decimal("0.00")}
    shares = split_by_weights(Decimal("0.02"), {"c": 1, "b": 1, "a": 1})
    assert shares == {"c": Decimal("0.01"), "b": Decimal("0.01"), "a": Decimal("0.00")}


def test_equal_remainders_go_to_the_larger_weight_then_the_earlier_party() -> None:
    # 0.03 over 1:2:1:2 is exactly 0.5, 1, 0.5, 1 øre: one øre is left, a and c tie at 1/2
    # with equal weights, and a is listed first.
    assert split_by_weights(Decimal("0.03"), {"a": 1, "b": 2, "c": 1, "d": 2}) == {
        "a": Decimal("0.01"), "b": Decimal("0.01"), "c": Decimal("0.00"), "d": Decimal("0.01")}
    # 0.03 over 1:3:1:1 is exactly 0.5, 1.5, 0.5, 0.5 øre: two øre are left and every remainder
    # is 1/2, so the larger weight (a) gets one although it is listed second, then b (first).
    assert split_by_weights(Decimal("0.03"), {"b": 1, "a": 3, "c": 1, "d": 1}) == {
        "b": Decimal("0.01"), "a": Decimal("0.02"), "c": Decimal("0.00"), "d": Decimal("0.00")}


def test_kom_trygt_hjem_rest_split_matches_the_minutes_except_vejen() -> None:
    allocations = {"esbjerg": 1572656, "fanoe": 46678, "vejen": 580196, "billund": 362738, "varde": 676468}
    shares = split_by_weights(Decimal("1293000.00"), allocations)
    assert shares == {
        "esbjerg": Decimal("627851.18"),
        "fanoe": Decimal("18635.25"),
        "vejen": Decimal("231631.54"),  # the minutes print ,55: rounded on its own
        "billund": Decimal("144815.83"),
        "varde": Decimal("270066.20"),
    }
    # The minutes' ,55 is the exact share rounded half up on its own: 231.631,5449…
    exact = exact_share(Decimal("1293000.00"), 580196, sum(allocations.values()))
    assert Fraction("231631.545") <= exact < Fraction("231631.55")


@pytest.mark.parametrize(
    ("weights", "reason"),
    [({}, "nobody"), ({"a": 0, "b": 0}, "zero_weights"), ({"a": -1, "b": 2}, "negative_weight")],
)
def test_impossible_splits_are_refused(weights: dict[str, int], reason: str) -> None:
    with pytest.raises(SplitError) as info:
        split_by_weights(Decimal("10.00"), weights)
    assert info.value.args[0] == reason


def test_every_split_reason_has_a_catalogue_message() -> None:
    from klyngefond.i18n import has_message

    for reason in ("nobody", "negative_weight", "zero_weights"):
        assert has_message(f"financing.split_{reason}")
