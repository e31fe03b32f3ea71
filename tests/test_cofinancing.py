"""Co-financing models on a Basis: who pays what share of a grant."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.cofinancing import (
    Basis,
    FinancingError,
    basis_for,
    explicit_amounts,
    fixed_plus_pro_rata,
    participants_only,
    scaled_explicit,
    shares_for,
    solidarity,
)
from klyngefond.core.money import from_ore
from klyngefond.core.records import (
    Allocation,
    Cluster,
    ExplicitAmounts,
    FixedPlusProRata,
    Grant,
    Group,
    ParticipantsOnly,
    Partner,
    Solidarity,
    UnknownSplit,
    YearSpan,
)
from klyngefond.i18n import LANGS, Message, text
from klyngefond.storage.validate import build

DATA = Path(__file__).resolve().parents[1] / "data"


def make_cluster(allocations: dict[str, int], populations: dict[str, int] | None = None) -> Cluster:
    partners = tuple(
        Partner(id=pid, name=pid.title(), kind="region" if pid.startswith("region") else "kommune",
                population=(populations or {}).get(pid))
        for pid in allocations
    ) + (Partner(id="plo", name="PLO", kind="almen praksis"),)
    return Cluster(
        id="test", name="Test", region="Region Test", partners=partners,
        allocations=tuple(Allocation(partner=pid, year=YearSpan(2023, 2023), received=Decimal(a))
                          for pid, a in allocations.items() if a),
    )


def make_basis(allocations: dict[str, int], populations: dict[str, int] | None = None) -> Basis:
    cluster = make_cluster(allocations, populations)
    return basis_for(cluster, cluster.allocations, None)


def worded(message: Message | None) -> dict[str, str]:
    return {lang: text(message, lang) for lang in LANGS}


SYDVEST = {"esbjerg": 1572656, "fanoe": 46678, "vejen": 580196, "billund": 362738, "varde": 676468, "region-syddanmark": 3308814}


# --------------------------------------------------------------------------- the basis


def test_basis_counts_each_partners_allocations_up_to_the_year() -> None:
    cluster = make_cluster({"a": 100, "b": 300})
    allocations = (
        Allocation(partner="a", year=YearSpan(2022, 2023), received=Decimal("100.00")),
        Allocation(partner="a", year=YearSpan.of(2024), received=Decimal("50.00")),
        Allocation(partner="b", year=YearSpan.of(2023), announced=Decimal("300.00"), received=Decimal("299.00")),
        Allocation(partner="b", year=YearSpan.of(2025), announced=Decimal("1.00")),
    )
    assert basis_for(cluster, allocations, 2023).allocations == {"a": Decimal("100.00"), "b": Decimal("299.00")}
    assert basis_for(cluster, allocations, 2024).allocations == {"a": Decimal("150.00"), "b": Decimal("299.00")}
    assert basis_for(cluster, allocations, None).allocations == {"a": Decimal("150.00"), "b": Decimal("300.00")}
    assert basis_for(cluster, allocations, 2021).allocations == {}


def test_basis_leaves_out_group_allocations() -> None:
    base = make_cluster({"a": 100, "b": 300})
    cluster = Cluster(id=base.id, name=base.name, region=base.region, partners=base.partners,
                      groups=(Group(id="kommunerne", name="Kommunerne", members=("a", "b")),))
    allocations = (*base.allocations, Allocation(partner="kommunerne", year=YearSpan.of(2023), received=Decimal("1000.00")))
    assert basis_for(cluster, allocations, None).allocations == {"a": Decimal("100.00"), "b": Decimal("300.00")}


def test_next_years_money_does_not_change_an_earlier_split() -> None:
    cluster = make_cluster({"a": 100, "b": 300})
    later = (*cluster.allocations, Allocation(partner="a", year=YearSpan.of(2024), received=Decimal("10000.00")))
    grant_2023 = shares_for(Solidarity(), Decimal("100.00"), basis_for(cluster, later, 2023))
    assert grant_2023 == {"a": Decimal("25.00"), "b": Decimal("75.00")}


# --------------------------------------------------------------------------- the models


def test_solidarity_by_allocation_leaves_out_general_practice_and_adds_up() -> None:
    shares = solidarity(Decimal("1000000.00"), make_basis(SYDVEST))
    assert "plo" not in shares
    assert list(shares) == list(SYDVEST)
    assert sum(shares.values()) == Decimal("1000000.00")
    assert shares["fanoe"] == Decimal("7129.08")  # 1.000.000 × 46.678 / 6.547.550 = 7.129,0788…


def test_solidarity_equal_and_population_weights() -> None:
    basis = make_basis({"a": 100, "b": 300}, populations={"a": 1000, "b": 3000})
    assert solidarity(Decimal("100.00"), basis, "equal") == {"a": Decimal("50.00"), "b": Decimal("50.00")}
    assert solidarity(Decimal("100.00"), basis, "population") == {"a": Decimal("25.00"), "b": Decimal("75.00")}


def test_population_weights_without_population_name_the_partners() -> None:
    with pytest.raises(FinancingError) as info:
        solidarity(Decimal("100.00"), make_basis({"a": 100, "b": 300}), "population")
    assert info.value.message == Message("financing.no_population", partners=["a", "b"])
    assert info.value.key == "financing.weights"
    assert info.value.hint == Message("financing.hint_population")
    words = worded(info.value.message)
    assert "population of a and b" in words["en"]
    assert "indbyggertallet for a og b" in words["da"]


def test_allocation_weights_without_funds_name_the_partners() -> None:
    basis = make_basis({"a": 100, "b": 0})
    with pytest.raises(FinancingError) as info:
        solidarity(Decimal("100.00"), basis)
    assert info.value.message == Message("financing.no_allocation", partners=["b"])
    assert info.value.hint == Message("financing.hint_allocation")
    assert solidarity(Decimal("100.00"), basis, "equal") == {"a": Decimal("50.00"), "b": Decimal("50.00")}


def test_fixed_part_plus_pro_rata_reproduces_kom_trygt_hjem() -> None:
    basis = make_basis(SYDVEST)
    shares = fixed_plus_pro_rata(Decimal("1874400.00"), basis, {"region-syddanmark": Decimal("581400.00")})
    assert shares["region-syddanmark"] == Decimal("581400.00")
    assert shares["esbjerg"] == Decimal("627851.18")
    assert shares["varde"] == Decimal("270066.20")
    assert shares["vejen"] == Decimal("231631.54")  # the minutes print ,55: that cell was rounded on its own
    assert sum(shares.values()) == Decimal("1874400.00")
    assert list(shares) == list(SYDVEST)  # in the order of the cluster file


def test_fixed_parts_larger_than_the_grant_are_refused() -> None:
    with pytest.raises(FinancingError) as info:
        fixed_plus_pro_rata(Decimal("100.00"), make_basis(SYDVEST), {"esbjerg": Decimal("100.01")})
    assert info.value.key == "financing.fixed"
    assert info.value.message == Message("financing.fixed_exceeds", fixed=Decimal("100.01"), amount=Decimal("100.00"))
    words = worded(info.value.message)
    assert "exceed" in words["en"] and "100.01" in words["en"] and "100.00" in words["en"]
    assert "større end" in words["da"] and "100,01" in words["da"]


def test_fixed_parts_that_cover_the_grant_leave_nothing_for_the_rest() -> None:
    shares = fixed_plus_pro_rata(Decimal("100.00"), make_basis({"a": 1, "b": 1}), {"a": Decimal("100.00")})
    assert shares == {"a": Decimal("100.00"), "b": Decimal("0.00")}
    with pytest.raises(FinancingError) as info:
        fixed_plus_pro_rata(Decimal("100.00"), make_basis({"a": 1, "b": 1}), {"a": Decimal("60.00")}, rest_among=())
    assert info.value.message.key == "financing.nobody_for_rest"
    assert info.value.key == "financing.rest_among"


def test_participants_only_pay_nothing_for_others() -> None:
    shares = participants_only(Decimal("1000.00"), make_basis({"a": 1, "b": 3, "c": 4}), ["b", "a"])
    assert shares == {"a": Decimal("250.00"), "b": Decimal("750.00")}
    assert list(shares) == ["a", "b"]  # the cluster's order, which breaks ties, not the order given


def test_participants_only_needs_participants() -> None:
    with pytest.raises(FinancingError) as info:
        participants_only(Decimal("1000.00"), make_basis({"a": 1}), [])
    assert info.value.message.key == "financing.no_participants"
    assert info.value.key == "financing.participants"


@pytest.mark.parametrize(
    ("call", "key"),
    [
        (lambda b: participants_only(Decimal("1000.00"), b, ["zz"]), "financing.participants"),
        (lambda b: fixed_plus_pro_rata(Decimal("1000.00"), b, {"zz": Decimal("1.00")}), "financing.fixed"),
        (lambda b: fixed_plus_pro_rata(Decimal("1000.00"), b, {"a": Decimal("1.00")}, ["zz"]), "financing.rest_among"),
        (lambda b: explicit_amounts(Decimal("1.00"), b, {"zz": Decimal("1.00")}), "financing.amounts"),
    ],
)
def test_unknown_partner_names_the_key_and_the_known_ids(call, key: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FinancingError) as info:
        call(make_basis({"a": 1}))
    assert info.value.key == key
    assert info.value.message == Message("financing.unknown_partner", partners=["zz"])
    assert info.value.hint == Message("financing.hint_known_partners", partners=["a"])
    assert all("zz" in sentence for sentence in worded(info.value.message).values())
    assert all("a" in sentence for sentence in worded(info.value.hint).values())


def test_explicit_amounts_must_add_up_to_the_grant() -> None:
    basis = make_basis({"a": 1, "b": 1})
    with pytest.raises(FinancingError) as info:
        explicit_amounts(Decimal("100.00"), basis, {"a": Decimal("50.00"), "b": Decimal("50.01")})
    assert info.value.key == "financing.amounts"
    assert info.value.message.key == "financing.explicit_sum"
    assert info.value.message.values["difference"] == Decimal("0.01")
    words = worded(info.value.message)
    assert "difference DKK +0.01" in words["en"]
    assert "forskel +0,01 kr." in words["da"]
    assert explicit_amounts(Decimal("100.01"), basis, {"a": Decimal("50.00"), "b": Decimal("50.01")})["b"] == Decimal("50.01")


def test_explicit_amounts_scale_when_the_grant_changes() -> None:
    basis = make_basis({"a": 1, "b": 1})
    shares = scaled_explicit(Decimal("50.00"), basis, {"a": Decimal("25.00"), "b": Decimal("75.00")})
    assert shares == {"a": Decimal("12.50"), "b": Decimal("37.50")}
    financing = ExplicitAmounts(amounts={"a": Decimal("25.00"), "b": Decimal("75.00")})
    assert shares_for(financing, Decimal("50.00"), basis, original=Decimal("100.00")) == shares
    with pytest.raises(FinancingError):
        shares_for(financing, Decimal("50.00"), basis)  # without a change, they must add up


def test_shares_for_picks_the_model_and_knows_when_the_split_is_unknown() -> None:
    basis = make_basis({"a": 1, "b": 3})
    amount = Decimal("100.00")
    assert shares_for(Solidarity(), amount, basis) == solidarity(amount, basis)
    assert shares_for(ParticipantsOnly(participants=("b",)), amount, basis) == {"b": amount}
    assert shares_for(FixedPlusProRata(fixed={"a": Decimal("10.00")}), amount, basis) == {"a": Decimal("10.00"), "b": Decimal("90.00")}
    assert shares_for(UnknownSplit(), amount, basis) is None
    assert shares_for(Solidarity(), Decimal("0.00"), basis) == {}


def test_the_shipped_sydvestjylland_grants_reproduce_the_minutes() -> None:
    cluster, problems = build(Cluster, tomllib.loads((DATA / "sydvestjylland" / "cluster.toml").read_text(encoding="utf-8")))
    assert problems == [] and cluster is not None
    printed = {  # seeds/004 item 4, via DOMAIN.md
        "kom-trygt-hjem": {"esbjerg": "627851.18", "fanoe": "18635.25", "vejen": "231631.55", "billund": "144815.83",
                           "varde": "270066.20", "region-syddanmark": "581400.00"},
        "akutomraadet": {"esbjerg": "27437.00", "fanoe": "21712.00", "vejen": "194186.00", "billund": "122709.00",
                         "varde": "223706.00", "region-syddanmark": "1354693.00"},
    }
    for grant_id, expected in printed.items():
        grant, problems = build(Grant, tomllib.loads((DATA / "sydvestjylland" / "grants" / f"{grant_id}.toml").read_text(encoding="utf-8")))
        assert problems == [] and grant is not None
        basis = basis_for(cluster, cluster.allocations, grant.year.last)
        shares = shares_for(grant.financing, grant.granted, basis)
        assert shares is not None and sum(shares.values()) == grant.granted
        differences = {pid: shares[pid] - Decimal(amount) for pid, amount in expected.items() if shares[pid] != Decimal(amount)}
        # The one known slip: the minutes rounded Vejen's cell on its own.
        assert differences == ({"vejen": Decimal("-0.01")} if grant_id == "kom-trygt-hjem" else {})


# --------------------------------------------------------------------------- properties

allocation_maps = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "region-x"]), st.integers(min_value=1, max_value=10**8), min_size=2
)


@given(allocations=allocation_maps, amount_ore=st.integers(min_value=1, max_value=10**11),
       weights=st.sampled_from(["allocation", "equal", "population"]))
def test_every_model_adds_up_to_the_amount(allocations: dict[str, int], amount_ore: int, weights: str) -> None:
    basis = make_basis(allocations, populations={pid: a % 100_000 + 1 for pid, a in allocations.items()})
    amount = from_ore(amount_ore)
    ids = list(allocations)
    fixed_part = from_ore(amount_ore // 3)
    results = [
        solidarity(amount, basis, weights),  # type: ignore[arg-type]
        participants_only(amount, basis, ids[:-1], weights),  # type: ignore[arg-type]
        fixed_plus_pro_rata(amount, basis, {ids[0]: fixed_part}, weights=weights),  # type: ignore[arg-type]
        shares_for(Solidarity(weights=weights), amount, basis),  # type: ignore[arg-type]
        scaled_explicit(amount, basis, {pid: Decimal(a) for pid, a in allocations.items()}),
    ]
    for shares in results:
        assert shares is not None
        assert sum(shares.values()) == amount
        assert all(share >= 0 for share in shares.values())
        assert "plo" not in shares
        assert list(shares) == [pid for pid in ids if pid in shares]  # always in the cluster's order
