"""Splitting an amount into øre-exact shares: the largest-remainder method.

Every co-financing model ends here. The rule, which the README documents for users:

1. Each party's exact share is ``total × weight / sum(weights)``, computed with fractions.
2. Each party first gets its exact share rounded *down* to whole øre.
3. The øre left over (fewer than the number of parties) go one each to the parties with
   the largest remainders.
4. Ties between equal remainders go to the larger weight, then to the party listed first
   (the order of the partners in the cluster file), so the result never depends on chance.

Hence the shares always add up to the total exactly, and each share is less than one øre
away from its exact value.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from klyngefond.core.money import from_ore, to_ore


class SplitError(ValueError):
    """A split that cannot be made; ``args[0]`` is the reason: ``nobody``, ``negative_weight`` or ``zero_weights``."""


Weight = int | Fraction | Decimal


def split_by_weights(total: Decimal, weights: Mapping[str, Weight]) -> dict[str, Decimal]:
    """Split ``total`` over the keys of ``weights`` (in their given order) by largest remainder."""
    if not weights:
        raise SplitError("nobody")
    scaled = _common_integers(weights)
    if any(w < 0 for w in scaled.values()):
        raise SplitError("negative_weight")
    weight_sum = sum(scaled.values())
    if weight_sum == 0:
        raise SplitError("zero_weights")

    # Every exact share ``total × w / W`` has the denominator ``W`` once the weights are whole
    # numbers on one scale, so floors and remainders are integer divisions, and comparing the
    # remainders as integers is comparing the fractions (the scale cancels out).
    total_ore = to_ore(total)
    floors: dict[str, int] = {}
    ranked = []
    for index, (key, weight) in enumerate(scaled.items()):
        floor, remainder = divmod(total_ore * weight, weight_sum)
        floors[key] = floor
        ranked.append((-remainder, -weight, index, key))
    leftover = total_ore - sum(floors.values())
    ranked.sort()
    for _, _, _, key in ranked[:leftover]:
        floors[key] += 1
    return {key: from_ore(floor) for key, floor in floors.items()}


def _common_integers(weights: Mapping[str, Weight]) -> dict[str, int]:
    """The weights as whole numbers in the same proportion (one common scale for all of them)."""
    ratios = {key: (w, 1) if type(w) is int else w.as_integer_ratio() for key, w in weights.items()}
    scale = 1
    for _, denominator in ratios.values():
        if denominator != 1:
            scale = math.lcm(scale, denominator)
    return {key: numerator * (scale // denominator) for key, (numerator, denominator) in ratios.items()}


def exact_share(total: Decimal, weight: Weight, weight_sum: Weight) -> Fraction:
    """The unrounded share in kroner, for checks and for explaining a rounding."""
    return Fraction(total) * Fraction(weight) / Fraction(weight_sum)
