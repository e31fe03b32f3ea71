"""Can the partners afford a grant, and what is the most the cluster can grant? Pure.

Every co-financing model has the same shape: some partners pay ``fixed`` amounts, and
the rest of the grant is split by largest remainder over ``weights`` (solidarity and
participants-only have no fixed part; negotiated amounts are scaled in their proportion,
which at their own total gives exactly those amounts). :class:`SplitPlan` is that shape.

A partner is *short* when it pays a positive share that takes its remaining funds below
zero. :func:`max_affordable` finds, exactly, the largest amount in øre whose
largest-remainder split leaves nobody short. Rounding can make a partner's share drop by
an øre when the total grows (the Alabama paradox of largest remainder), so affordability
is not monotone in the øre; the search therefore uses a closed-form window and tests each
amount in it by actually splitting:

* ``B`` is the part split by weight (the amount less the fixed parts) and ``C_p`` what a
  partner can still pay of it (its remaining, at least 0, less its fixed part).
* If ``B * w_p / W <= C_p`` for every partner, each share, rounded, is at most ``C_p``:
  affordable. So ``low = min floor(C_p * W / w_p)`` is affordable.
* If ``B * w_p / W >= C_p + 1`` for some partner, its share is at least ``C_p + 1``: short.
  So nothing above ``high = min ceil((C_p + 1) * W / w_p) - 1`` is affordable.
* The answer is the largest affordable ``B`` in ``[low, high]``, found by testing downward
  from ``high``; the window is ``W / w_p`` øre wide for the tightest partner.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from klyngefond.core.cofinancing import Basis, FinancingError, Shares, weights_for
from klyngefond.core.money import from_ore, to_ore
from klyngefond.i18n import Message
from klyngefond.core.records import (
    ExplicitAmounts,
    Financing,
    FixedPlusProRata,
    ParticipantsOnly,
    Solidarity,
)

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SplitPlan:
    """``shares(A) = fixed + split(A - sum(fixed), weights)`` (weights in tie-break order)."""

    fixed: dict[str, Decimal]
    weights: dict[str, Fraction]

    @property
    def fixed_total(self) -> Decimal:
        return sum(self.fixed.values(), ZERO)

    def payers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.fixed, *(k for k, w in self.weights.items() if w > 0)]))


def plan_for(financing: Financing, basis: Basis) -> SplitPlan:
    """The split plan of a financing model (``UnknownSplit`` has none: FinancingError)."""
    match financing:
        case Solidarity(weights=weights):
            return SplitPlan({}, _fractions(weights_for(basis, weights, basis.cluster.fund_holders())))
        case ParticipantsOnly(participants=ids, weights=weights):
            return SplitPlan({}, _fractions(weights_for(basis, weights, basis.in_order(basis.known(ids, "financing.participants")))))
        case FixedPlusProRata(fixed=fixed, rest_among=rest, weights=weights):
            basis.known(fixed, "financing.fixed")
            if rest is None:
                rest = tuple(pid for pid in basis.cluster.fund_holders() if pid not in fixed)
            try:
                rest_weights = _fractions(weights_for(basis, weights, basis.in_order(basis.known(rest, "financing.rest_among"))))
            except FinancingError:
                # Nobody can be weighted for the rest: only the fixed parts can be granted.
                rest_weights = {}
            return SplitPlan(dict(fixed), rest_weights)
        case ExplicitAmounts(amounts=amounts):
            basis.known(amounts, "financing.amounts")
            return SplitPlan({}, _fractions({pid: amounts[pid] for pid in basis.in_order(amounts)}))
    raise FinancingError(Message("financing.unknown_split_affordability"))


def _fractions(weights: Mapping[str, object]) -> dict[str, Fraction]:
    return {key: Fraction(value) for key, value in weights.items()}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Shortfall:
    partner: str
    missing: Decimal


def shortfalls(cost: Mapping[str, Decimal], remaining: Mapping[str, Decimal]) -> list[Shortfall]:
    """Partners whose positive ``cost`` takes their ``remaining`` below zero, with what they miss."""
    found = []
    for pid, amount in cost.items():
        after = remaining.get(pid, ZERO) - amount
        if amount > 0 and after < 0:
            found.append(Shortfall(pid, -after))
    return found


def max_affordable(
    plan: SplitPlan,
    remaining: Mapping[str, Decimal],
    verify: Callable[[Decimal], Shares] | None = None,
) -> Decimal:
    """The largest amount whose split leaves no partner short; 0.00 if no amount is affordable.

    ``verify``, when given, is the real co-financing function; the result is checked with it.
    """
    capacity = {pid: to_ore(max(remaining.get(pid, ZERO), ZERO)) for pid in {*plan.fixed, *plan.weights}}
    for pid, fixed in plan.fixed.items():
        capacity[pid] -= to_ore(fixed)
        if capacity[pid] < 0:
            return ZERO  # a fixed part is already more than that partner has
    fixed_total = to_ore(plan.fixed_total)
    scale = _integer_weights(plan.weights)
    positive = {pid: w for pid, w in scale.items() if w > 0}
    if not positive:
        best = from_ore(fixed_total)
    else:
        total_weight = sum(scale.values())
        low = min(capacity[pid] * total_weight // w for pid, w in positive.items())
        high = min(-((-(capacity[pid] + 1) * total_weight) // w) - 1 for pid, w in positive.items())
        best_b = low
        for b in range(high, low, -1):
            if _fits(b, scale, total_weight, capacity):
                best_b = b
                break
        best = from_ore(fixed_total + best_b)
    if verify is not None and best > 0:
        shares = verify(best)
        if shortfalls(shares, remaining):  # pragma: no cover - a bug guard, property-tested
            raise AssertionError(f"max_affordable {best} does not verify")
    return best


def _integer_weights(weights: Mapping[str, Fraction]) -> dict[str, int]:
    """The weights scaled to integers with the same ratios and order."""
    denominator = 1
    for w in weights.values():
        denominator = denominator * w.denominator // math.gcd(denominator, w.denominator)
    return {pid: int(w * denominator) for pid, w in weights.items()}


def _fits(b: int, weights: Mapping[str, int], total_weight: int, capacity: Mapping[str, int]) -> bool:
    """Whether splitting ``b`` øre by largest remainder keeps every share within its capacity.

    The same rule as ``core.splitting.split_by_weights``, in integers: floors first, then the
    leftover øre to the largest remainders, ties to the larger weight, then the earlier party.
    """
    floors = {}
    remainders = {}
    for pid, w in weights.items():
        floors[pid], remainders[pid] = divmod(b * w, total_weight)
    leftover = b - sum(floors.values())
    order = list(weights)
    ranked = sorted(order, key=lambda pid: (-remainders[pid], -weights[pid], order.index(pid)))
    for pid in ranked[:leftover]:
        floors[pid] += 1
    return all(floors[pid] <= capacity[pid] for pid in weights if floors[pid] > 0)
