from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.cofinancing import (
    FinancingError,
    explicit_amounts,
    fixed_plus_pro_rata,
    participants_only,
    scaled_explicit,
    shares_for,
    solidarity,
)
from klyngefond.core.money import from_ore
from klyngefond.core.records import Allocation, Cluster, Partner, Solidarity, YearSpan


def make_cluster(allocations: dict[str, int], populations: dict[str, int] | None = None) -> Cluster:
    partners = tuple(
        Partner(id=pid, name=pid.title(), kind="region" if pid.startswith("region") else "kommune",
                population=(populations or {}).get(pid))
        for pid in allocations
    ) + (Partner(id="plo", name="PLO", kind="almen praksis"),)
    return Cluster(
        id="test", name="Test", region="Region Test", partners=partners,
        allocations=tuple(Allocation(partner=pid, year=YearSpan(2023, 2023), received=Decimal(a)) for pid, a in allocations.items() if a),
    )


SYDVEST = {"esbjerg": 1572656, "fanoe": 46678, "vejen": 580196, "billund": 362738, "varde": 676468, "region-syddanmark": 3308814}


def test_solidarity_by_allocation_leaves_out_general_practice_and_adds_up():
    shares = solidarity(Decimal("1000000.00"), make_cluster(SYDVEST))
    assert "plo" not in shares
    assert sum(shares.values()) == Decimal("1000000.00")
    assert shares["fanoe"] == Decimal("7129.08")  # 1.000.000 × 46.678 / 6.547.550 = 7.129,0788…


def test_solidarity_equal_and_population_weights():
    cluster = make_cluster({"a": 100, "b": 300}, populations={"a": 1000, "b": 3000})
    assert solidarity(Decimal("100.00"), cluster, "equal") == {"a": Decimal("50.00"), "b": Decimal("50.00")}
    assert solidarity(Decimal("100.00"), cluster, "population") == {"a": Decimal("25.00"), "b": Decimal("75.00")}


def test_population_weights_without_population_name_the_partners():
    with pytest.raises(FinancingError, match="population of a, b"):
        solidarity(Decimal("100.00"), make_cluster({"a": 100, "b": 300}), "population")


def test_fixed_part_plus_pro_rata_reproduces_kom_trygt_hjem():
    cluster = make_cluster(SYDVEST)
    shares = fixed_plus_pro_rata(Decimal("1874400.00"), cluster, {"region-syddanmark": Decimal("581400.00")})
    assert shares["region-syddanmark"] == Decimal("581400.00")
    assert shares["esbjerg"] == Decimal("627851.18")
    assert shares["varde"] == Decimal("270066.20")
    assert sum(shares.values()) == Decimal("1874400.00")


def test_fixed_parts_larger_than_the_grant_are_refused():
    with pytest.raises(FinancingError, match="exceed"):
        fixed_plus_pro_rata(Decimal("100.00"), make_cluster(SYDVEST), {"esbjerg": Decimal("100.01")})


def test_participants_only_pay_nothing_for_others():
    shares = participants_only(Decimal("1000.00"), make_cluster({"a": 1, "b": 3, "c": 4}), ["a", "b"])
    assert shares == {"a": Decimal("250.00"), "b": Decimal("750.00")}


def test_unknown_partner_names_the_key_and_the_known_ids():
    with pytest.raises(FinancingError) as info:
        participants_only(Decimal("1000.00"), make_cluster({"a": 1}), ["zz"])
    assert info.value.key == "financing.participants"
    assert "a" in info.value.hint


def test_explicit_amounts_must_add_up_to_the_grant():
    cluster = make_cluster({"a": 1, "b": 1})
    with pytest.raises(FinancingError, match="difference 0.01"):
        explicit_amounts(Decimal("100.00"), cluster, {"a": Decimal("50.00"), "b": Decimal("50.01")})
    assert explicit_amounts(Decimal("100.01"), cluster, {"a": Decimal("50.00"), "b": Decimal("50.01")})["b"] == Decimal("50.01")


def test_explicit_amounts_scale_when_the_grant_changes():
    cluster = make_cluster({"a": 1, "b": 1})
    shares = scaled_explicit(Decimal("50.00"), cluster, {"a": Decimal("25.00"), "b": Decimal("75.00")})
    assert shares == {"a": Decimal("12.50"), "b": Decimal("37.50")}


allocation_maps = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "region-x"]), st.integers(min_value=1, max_value=10**8), min_size=2
)


@given(allocations=allocation_maps, amount_ore=st.integers(min_value=1, max_value=10**11),
       basis=st.sampled_from(["allocation", "equal"]))
def test_every_model_adds_up_to_the_amount(allocations, amount_ore, basis):
    cluster = make_cluster(allocations)
    amount = from_ore(amount_ore)
    ids = list(allocations)
    fixed_part = from_ore(amount_ore // 3)
    results = [
        solidarity(amount, cluster, basis),
        participants_only(amount, cluster, ids[:-1], basis),
        fixed_plus_pro_rata(amount, cluster, {ids[0]: fixed_part}, basis=basis),
        shares_for(Solidarity(weights=basis), amount, cluster),
    ]
    for shares in results:
        assert sum(shares.values()) == amount
        assert all(share >= 0 for share in shares.values())
