"""Co-financing models: who pays what share of a grant.

Each model is a pure function from an amount and a :class:`Basis` (the partners, in file
order, with their allocations, populations) to an ordered mapping ``partner id -> share``
whose values add up to the amount to the øre (see ``splitting``). :func:`shares_for`
picks the function a grant's ``financing`` record names.

Allocation weights are each partner's funds *up to the grant's budget period*
(:func:`basis_for`), so that next year's money does not change the split of a grant
decided before it, and a split once invoiced never moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from klyngefond.core.records import (
    Allocation,
    Cluster,
    ExplicitAmounts,
    Financing,
    FixedPlusProRata,
    ParticipantsOnly,
    Solidarity,
    UnknownSplit,
    WeightBasis,
)
from klyngefond.core.splitting import SplitError, split_by_weights
from klyngefond.i18n import Message

ZERO = Decimal("0.00")
Shares = dict[str, Decimal]


class FinancingError(ValueError):
    """A grant's financing cannot be applied. ``key`` is the TOML key at fault."""

    def __init__(self, message: Message, key: str = "financing", hint: Message | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.key = key
        self.hint = hint


@dataclass(frozen=True)
class Basis:
    """What a split is computed from: the cluster's partners (their order breaks ties) and
    each partner's allocation up to the grant's budget period."""

    cluster: Cluster
    allocations: dict[str, Decimal] = field(default_factory=dict)

    def known(self, ids: Iterable[str], key: str) -> tuple[str, ...]:
        ids = tuple(ids)
        unknown = [pid for pid in ids if self.cluster.partner(pid) is None]
        if unknown:
            raise FinancingError(Message("financing.unknown_partner", partners=unknown), key=key,
                                 hint=Message("financing.hint_known_partners", partners=list(self.cluster.fund_holders())))
        return ids

    def in_order(self, ids: Iterable[str]) -> list[str]:
        """``ids`` in the order the partners are listed in the cluster file (the tie-break order)."""
        wanted = set(ids)
        return [p.id for p in self.cluster.partners if p.id in wanted]


def basis_for(cluster: Cluster, allocations: Iterable[Allocation], up_to_year: int | None) -> Basis:
    """The split basis for a grant drawing on funds up to ``up_to_year`` (all years when None).

    Group allocations are left out: a group's amount cannot be attributed to its members.
    """
    totals: dict[str, Decimal] = {}
    for allocation in allocations:
        if cluster.partner(allocation.partner) is None:
            continue
        if up_to_year is not None and allocation.year.first > up_to_year:
            continue
        totals[allocation.partner] = totals.get(allocation.partner, ZERO) + allocation.amount
    return Basis(cluster, totals)


class Bases:
    """:func:`basis_for` over one cluster's allocations, computed once per budget year asked
    (a ledger's grants ask for a handful of years, thousands of times)."""

    def __init__(self, cluster: Cluster, allocations: Iterable[Allocation]) -> None:
        self.cluster = cluster
        self.allocations = tuple(allocations)
        self._by_year: dict[int | None, Basis] = {}

    def __call__(self, up_to_year: int | None) -> Basis:
        basis = self._by_year.get(up_to_year)
        if basis is None:
            basis = self._by_year[up_to_year] = basis_for(self.cluster, self.allocations, up_to_year)
        return basis


def weights_for(basis: Basis, weights: WeightBasis, partner_ids: Iterable[str]) -> dict[str, Decimal | int]:
    """The weights of ``partner_ids`` on the given basis, or a FinancingError naming what is missing."""
    ids = tuple(partner_ids)
    cluster = basis.cluster
    if weights == "equal":
        return {pid: 1 for pid in ids}
    if weights == "population":
        missing = [pid for pid in ids if cluster.partner(pid).population is None]  # type: ignore[union-attr]
        if missing:
            raise FinancingError(Message("financing.no_population", partners=missing), key="financing.weights",
                                 hint=Message("financing.hint_population"))
        return {pid: cluster.partner(pid).population for pid in ids}  # type: ignore[union-attr,misc]
    missing = [pid for pid in ids if basis.allocations.get(pid, ZERO) == 0]
    if missing:
        raise FinancingError(Message("financing.no_allocation", partners=missing), key="financing.weights",
                             hint=Message("financing.hint_allocation"))
    return {pid: basis.allocations[pid] for pid in ids}


def solidarity(amount: Decimal, basis: Basis, weights: WeightBasis = "allocation") -> Shares:
    """Every fund-holding partner pays, weighted by allocation (default), population or equally."""
    return _split(amount, weights_for(basis, weights, basis.cluster.fund_holders()))


def participants_only(amount: Decimal, basis: Basis, participants: Iterable[str], weights: WeightBasis = "allocation") -> Shares:
    """Only the partners taking part pay, pro rata on the given basis."""
    ids = basis.known(participants, "financing.participants")
    if not ids:
        raise FinancingError(Message("financing.no_participants"), key="financing.participants")
    return _split(amount, weights_for(basis, weights, basis.in_order(ids)))


def fixed_plus_pro_rata(
    amount: Decimal,
    basis: Basis,
    fixed: Mapping[str, Decimal],
    rest_among: Iterable[str] | None = None,
    weights: WeightBasis = "allocation",
) -> Shares:
    """Fixed amounts for some partners; the rest shared pro rata among the others (Kom Trygt Hjem)."""
    basis.known(fixed, "financing.fixed")
    fixed_total = sum(fixed.values(), ZERO)
    if fixed_total > amount:
        raise FinancingError(Message("financing.fixed_exceeds", fixed=fixed_total, amount=amount), key="financing.fixed")
    if rest_among is None:
        rest_ids = tuple(pid for pid in basis.cluster.fund_holders() if pid not in fixed)
    else:
        rest_ids = basis.known(rest_among, "financing.rest_among")
    rest = amount - fixed_total
    shares: Shares = {pid: ZERO for pid in basis.in_order([*fixed, *rest_ids])}
    shares.update(fixed)
    if rest > 0:
        if not rest_ids:
            raise FinancingError(Message("financing.nobody_for_rest"), key="financing.rest_among")
        for pid, share in _split(rest, weights_for(basis, weights, basis.in_order(rest_ids))).items():
            shares[pid] += share
    return shares


def explicit_amounts(amount: Decimal, basis: Basis, amounts: Mapping[str, Decimal]) -> Shares:
    """Negotiated amounts, which must add up to the grant exactly."""
    basis.known(amounts, "financing.amounts")
    given = sum(amounts.values(), ZERO)
    if given != amount:
        raise FinancingError(Message("financing.explicit_sum", given=given, amount=amount, difference=given - amount),
                             key="financing.amounts", hint=Message("financing.hint_explicit_sum"))
    return {pid: amounts[pid] for pid in basis.in_order(amounts)}


def scaled_explicit(amount: Decimal, basis: Basis, amounts: Mapping[str, Decimal]) -> Shares:
    """Negotiated amounts applied to a changed total: the change is shared in their proportion."""
    basis.known(amounts, "financing.amounts")
    if sum(amounts.values(), ZERO) == amount:
        return explicit_amounts(amount, basis, amounts)
    return _split(amount, {pid: amounts[pid] for pid in basis.in_order(amounts)})


def shares_for(financing: Financing, amount: Decimal, basis: Basis, *, original: Decimal | None = None) -> Shares | None:
    """Apply a grant's financing record to ``amount``; ``None`` when the source gives no split.

    ``original`` is the amount first granted: when a later change moves the total away from
    it, negotiated amounts are scaled rather than refused.
    """
    if amount == 0:
        return {}
    match financing:
        case Solidarity(weights=weights):
            return solidarity(amount, basis, weights)
        case ParticipantsOnly(participants=ids, weights=weights):
            return participants_only(amount, basis, ids, weights)
        case FixedPlusProRata(fixed=fixed, rest_among=rest, weights=weights):
            return fixed_plus_pro_rata(amount, basis, fixed, rest, weights)
        case ExplicitAmounts(amounts=amounts):
            if original is not None and original != amount:
                return scaled_explicit(amount, basis, amounts)
            return explicit_amounts(amount, basis, amounts)
        case UnknownSplit():
            return None
    raise FinancingError(Message("financing.unknown_model", model=str(financing)))  # pragma: no cover


def _split(amount: Decimal, weights: Mapping[str, Decimal | int]) -> Shares:
    try:
        return split_by_weights(amount, weights)
    except SplitError as exc:
        raise FinancingError(Message(f"financing.split_{exc.args[0]}"), key="financing.weights") from exc
