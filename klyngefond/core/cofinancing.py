"""Co-financing models: who pays what share of a grant.

Each model is a pure function from an amount and the cluster's facts to an ordered mapping
``partner id -> share`` whose values add up to the amount to the øre (see ``splitting``).
``shares_for`` picks the function a grant's ``financing`` record names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from klyngefond.core.records import (
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

Shares = dict[str, Decimal]


class FinancingError(ValueError):
    """A grant's financing cannot be applied. ``key`` is the TOML key at fault, when known."""

    def __init__(self, message: str, key: str = "financing", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.hint = hint


def allocation_totals(cluster: Cluster) -> dict[str, Decimal]:
    """Each partner's total allocation over all years (received where known, else announced).

    Group allocations are left out: a group's amount cannot be attributed to its members.
    """
    totals: dict[str, Decimal] = {}
    for allocation in cluster.allocations:
        if cluster.partner(allocation.partner) is not None:
            totals[allocation.partner] = totals.get(allocation.partner, Decimal("0.00")) + allocation.amount
    return totals


def fund_holders(cluster: Cluster) -> tuple[str, ...]:
    """Partners that hold cluster money (in file order): general practice receives none."""
    return tuple(p.id for p in cluster.partners if p.kind != "almen praksis")


def weights_for(cluster: Cluster, basis: WeightBasis, partner_ids: Iterable[str]) -> dict[str, Decimal | int]:
    """The weights of ``partner_ids`` on the given basis, or a FinancingError naming what is missing."""
    ids = tuple(partner_ids)
    if basis == "equal":
        return {pid: 1 for pid in ids}
    if basis == "population":
        missing = [pid for pid in ids if cluster.partner(pid).population is None]  # type: ignore[union-attr]
        if missing:
            raise FinancingError(
                f"population weights need the population of {', '.join(missing)}",
                key="financing.weights",
                hint="add population = <inhabitants> to those partners in cluster.toml, or use weights = \"allocation\"",
            )
        return {pid: cluster.partner(pid).population for pid in ids}  # type: ignore[union-attr,misc]
    totals = allocation_totals(cluster)
    missing = [pid for pid in ids if totals.get(pid, Decimal(0)) == 0]
    if missing:
        raise FinancingError(
            f"allocation weights need each partner's own allocation; none is recorded for {', '.join(missing)}",
            key="financing.weights",
            hint="record [[allocations]] per partner in cluster.toml, or use weights = \"equal\" or \"population\"",
        )
    return {pid: totals[pid] for pid in ids}


def solidarity(amount: Decimal, cluster: Cluster, basis: WeightBasis = "allocation") -> Shares:
    """Every fund-holding partner pays, weighted by allocation (default), population or equally."""
    return _split(amount, weights_for(cluster, basis, fund_holders(cluster)))


def participants_only(
    amount: Decimal, cluster: Cluster, participants: Iterable[str], basis: WeightBasis = "allocation"
) -> Shares:
    """Only the partners taking part pay, pro rata on the given basis."""
    ids = _known(cluster, participants, "financing.participants")
    if not ids:
        raise FinancingError("no participants are listed", key="financing.participants")
    return _split(amount, weights_for(cluster, basis, ids))


def fixed_plus_pro_rata(
    amount: Decimal,
    cluster: Cluster,
    fixed: Mapping[str, Decimal],
    rest_among: Iterable[str] | None = None,
    basis: WeightBasis = "allocation",
) -> Shares:
    """Fixed amounts for some partners; the rest shared pro rata among the others (Kom Trygt Hjem)."""
    _known(cluster, fixed, "financing.fixed")
    fixed_total = sum(fixed.values(), Decimal("0.00"))
    if fixed_total > amount:
        raise FinancingError(
            f"the fixed parts ({fixed_total}) exceed the grant ({amount})", key="financing.fixed"
        )
    if rest_among is None:
        rest_ids = tuple(pid for pid in fund_holders(cluster) if pid not in fixed)
    else:
        rest_ids = _known(cluster, rest_among, "financing.rest_among")
    rest = amount - fixed_total
    shares: Shares = {pid: Decimal("0.00") for pid in cluster_order(cluster, [*fixed, *rest_ids])}
    shares.update(fixed)
    if rest > 0:
        if not rest_ids:
            raise FinancingError("nobody is left to share the rest", key="financing.rest_among")
        for pid, share in _split(rest, weights_for(cluster, basis, rest_ids)).items():
            shares[pid] += share
    return shares


def explicit_amounts(amount: Decimal, cluster: Cluster, amounts: Mapping[str, Decimal]) -> Shares:
    """Negotiated amounts, which must add up to the grant exactly."""
    _known(cluster, amounts, "financing.amounts")
    total = sum(amounts.values(), Decimal("0.00"))
    if total != amount:
        raise FinancingError(
            f"the explicit amounts add up to {total}, but the grant is {amount} (difference {total - amount})",
            key="financing.amounts",
            hint="correct the amounts so that they add up to the granted amount",
        )
    return {pid: amounts[pid] for pid in cluster_order(cluster, amounts)}


def scaled_explicit(amount: Decimal, cluster: Cluster, amounts: Mapping[str, Decimal]) -> Shares:
    """Negotiated amounts applied to a changed total: the change is shared in their proportion."""
    _known(cluster, amounts, "financing.amounts")
    base = sum(amounts.values(), Decimal("0.00"))
    if base == amount:
        return explicit_amounts(amount, cluster, amounts)
    return _split(amount, {pid: amounts[pid] for pid in cluster_order(cluster, amounts)})


def shares_for(financing: Financing, amount: Decimal, cluster: Cluster, *, original: Decimal | None = None) -> Shares | None:
    """Apply a grant's financing record to ``amount``; ``None`` when the source gives no split.

    ``original`` is the amount first granted: when a later change moves the total away from
    it, negotiated amounts are scaled rather than refused.
    """
    if amount == 0:
        return {}
    match financing:
        case Solidarity(weights=basis):
            return solidarity(amount, cluster, basis)
        case ParticipantsOnly(participants=ids, weights=basis):
            return participants_only(amount, cluster, ids, basis)
        case FixedPlusProRata(fixed=fixed, rest_among=rest, weights=basis):
            return fixed_plus_pro_rata(amount, cluster, fixed, rest, basis)
        case ExplicitAmounts(amounts=amounts):
            if original is not None and original != amount:
                return scaled_explicit(amount, cluster, amounts)
            return explicit_amounts(amount, cluster, amounts)
        case UnknownSplit():
            return None
    raise FinancingError(f"unknown financing model {financing!r}")  # pragma: no cover


def cluster_order(cluster: Cluster, ids: Iterable[str]) -> list[str]:
    """``ids`` in the order the partners are listed in the cluster file (the tie-break order)."""
    wanted = set(ids)
    return [p.id for p in cluster.partners if p.id in wanted]


def _known(cluster: Cluster, ids: Iterable[str], key: str) -> tuple[str, ...]:
    ids = tuple(ids)
    unknown = [pid for pid in ids if cluster.partner(pid) is None]
    if unknown:
        known = ", ".join(p.id for p in cluster.partners)
        raise FinancingError(
            f"unknown partner {', '.join(repr(u) for u in unknown)}",
            key=key,
            hint=f"use one of the partner ids in cluster.toml: {known}",
        )
    return ids


def _split(amount: Decimal, weights: Mapping[str, Decimal | int]) -> Shares:
    try:
        return split_by_weights(amount, weights)
    except SplitError as exc:
        raise FinancingError(str(exc), key="financing.weights") from exc
