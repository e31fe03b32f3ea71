from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.money import from_ore
from klyngefond.core.splitting import SplitError, split_by_weights

weights_strategy = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=4), st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12
).filter(lambda w: sum(w.values()) > 0)


@given(total_ore=st.integers(min_value=0, max_value=10**12), weights=weights_strategy)
def test_shares_add_up_to_the_total_and_stay_within_one_ore(total_ore, weights):
    total = from_ore(total_ore)
    shares = split_by_weights(total, weights)
    assert sum(shares.values()) == total
    assert list(shares) == list(weights)
    weight_sum = sum(weights.values())
    for key, share in shares.items():
        exact = Fraction(total) * weights[key] / weight_sum
        assert abs(Fraction(share) - exact) < Fraction(1, 100)
        assert share == share.quantize(Decimal("0.01"))


@given(total_ore=st.integers(min_value=0, max_value=10**10), weights=weights_strategy)
def test_split_is_deterministic(total_ore, weights):
    total = from_ore(total_ore)
    assert split_by_weights(total, weights) == split_by_weights(total, dict(weights))


def test_ties_go_to_the_partner_listed_first():
    shares = split_by_weights(Decimal("0.02"), {"a": 1, "b": 1, "c": 1})
    assert shares == {"a": Decimal("0.01"), "b": Decimal("0.01"), "c": Decimal("0.00")}


def test_kom_trygt_hjem_rest_split_matches_the_minutes_except_vejen():
    allocations = {"esbjerg": 1572656, "fanoe": 46678, "vejen": 580196, "billund": 362738, "varde": 676468}
    shares = split_by_weights(Decimal("1293000.00"), allocations)
    assert shares == {
        "esbjerg": Decimal("627851.18"),
        "fanoe": Decimal("18635.25"),
        "vejen": Decimal("231631.54"),  # the minutes print ,55: rounded on its own
        "billund": Decimal("144815.83"),
        "varde": Decimal("270066.20"),
    }


@pytest.mark.parametrize("weights", [{}, {"a": 0, "b": 0}, {"a": -1, "b": 2}])
def test_impossible_splits_are_refused(weights):
    with pytest.raises(SplitError):
        split_by_weights(Decimal("10.00"), weights)
