#!/usr/bin/env python3
"""Generate a seeded synthetic *national archive* of health-cluster funds for benchmarks.

The archive is written twice, with the same amounts to the øre:

* in klyngefond's TOML data format, one folder per cluster under ``OUT/DATA/`` (see
  ``docs/data-format.md``): ``cluster.toml`` (partners and the first year's allocations),
  ``allocations/`` (every later year's money, as ``klyngefond receive`` writes it),
  ``grants/``, ``changes/``, ``invoices/`` (numbered ``<prefix>-<year>-<NNNN>`` per issuer
  and year, with the counters in ``<data>/.invoice-numbers.toml``, as ``invoices --issue`` does)
  and ``payments/`` (``<invoice>-betaling-<date>``, as ``pay`` names them);
* as a plain-text accounting journal that hledger (1.25) and ledger (3.3) both read the
  same way: ``OUT/national.journal`` (every cluster) and ``OUT/journals/<cluster>.journal``.

``OUT/expected_balances.tsv`` lists every account with a non-zero balance (in øre), as
computed here, and ``OUT/manifest.json`` the parameters, counts and timings.

Self-contained on purpose (Python 3.11 standard library only; it does not import
klyngefond) so that it can be run against any version of the core.

Usage::

    python gen_national_archive.py --out OUT                       # 21 clusters x 20 years (2006-2025) x 100 grants
    python gen_national_archive.py --out OUT --single-cluster 2000 # one cluster, 2000 grants
    python gen_national_archive.py --out OUT --seed 7 --invoice-fraction 0.25 --jobs 2

Journal accounts (every name starts with the cluster, so the national file is one journal):

* ``funds:<cluster>:<partner>:<year>``       a partner's cluster funds for a budget year
                                              (+ allocation, - its shares of that year's grants)
* ``state:<cluster>:<year>``                 counter-account of the allocations (-)
* ``committed:<cluster>:<grant>:<partner>``  a partner's share of a grant (+)
* ``receivable:<cluster>:<issuer>:<number>`` + invoice, - payment
* ``payable:<cluster>:<recipient>:<number>`` - invoice, + payment

How a grant is split (reproduced exactly, in integer øre): the weights are each partner's
total allocation received over all years up to and including the grant's year, for
``solidarity`` (all fund-holding partners) and ``participants`` (only those);
``fixed-plus-pro-rata`` gives the fixed parts first and splits the rest among all other
fund holders by the same weights; ``explicit`` takes the negotiated amounts, scaled in
their proportion (same split rule) once a change moves the total. Every split is by
largest remainder (see :func:`split_ore`).

Affordability: every partner's shares of a budget year's grants (after changes) are kept
at or below ``--cap`` (default 80 %) of what it received that year, checked exactly with
the split itself, so no ``funds:`` account ever goes below zero.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

# --- fixed vocabulary ---------------------------------------------------------------------

REGIONS: dict[str, list[tuple[str, str]]] = {  # region -> (postal code, city) of some towns
    "Region Hovedstaden": [("1550", "København V"), ("3400", "Hillerød"), ("2600", "Glostrup"),
                           ("2730", "Herlev"), ("3000", "Helsingør"), ("2800", "Kongens Lyngby")],
    "Region Sjælland": [("4000", "Roskilde"), ("4600", "Køge"), ("4700", "Næstved"),
                        ("4200", "Slagelse"), ("4300", "Holbæk"), ("4800", "Nykøbing F")],
    "Region Syddanmark": [("5000", "Odense C"), ("6700", "Esbjerg"), ("7100", "Vejle"),
                          ("6000", "Kolding"), ("6400", "Sønderborg"), ("5700", "Svendborg")],
    "Region Midtjylland": [("8000", "Aarhus C"), ("8900", "Randers C"), ("7400", "Herning"),
                           ("8700", "Horsens"), ("8800", "Viborg"), ("7500", "Holstebro")],
    "Region Nordjylland": [("9000", "Aalborg"), ("9800", "Hjørring"), ("9900", "Frederikshavn"),
                           ("7700", "Thisted"), ("9600", "Aars"), ("9500", "Hobro")],
}
# Which region each of the 21 clusters lies in (cluster 1 -> first entry, ...).
CLUSTER_REGIONS = (["Region Hovedstaden"] * 4 + ["Region Sjælland"] * 4 + ["Region Syddanmark"] * 5
                   + ["Region Midtjylland"] * 5 + ["Region Nordjylland"] * 3)
STREETS = ["Torvet", "Rådhuspladsen", "Jernbanegade", "Kongensgade", "Skolegade",
           "Søndergade", "Nørregade", "Vestergade", "Østergade", "Sundhedsvej"]
LEVELS = ("politisk", "fagligt strategisk", "administrativ")
MODELS = ("solidarity", "participants", "fixed-plus-pro-rata", "explicit")
MODEL_PERCENT = (40, 25, 20, 15)  # how often each model is drawn
CHANGE_KINDS = ("top-up", "reduction", "withdrawal", "transfer")
CHANGE_PERCENT = (35, 30, 15, 20)
TARGET_PERCENT = 75  # grants drawn per year, as % of the year's allocations (before shrinking)
KR = 100  # øre per krone
MIN_GRANT = 1_000 * KR


# --- exact money ----------------------------------------------------------------------------

def split_ore(total: int, weights: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Split ``total`` øre over ``weights`` (in tie-break order) by largest remainder.

    Each party's exact share is ``total * w / W``; it first gets that share rounded down to
    whole øre; the øre left over go one each to the largest remainders; equal remainders go
    to the larger weight, then to the party listed first. All arithmetic is on integers
    (every exact share has the same denominator ``W``, so remainders compare as integers),
    which is the same as doing it with ``fractions.Fraction``.
    """
    if not weights:
        raise ValueError("nobody to split among")
    if any(w < 0 for _, w in weights):
        raise ValueError("negative weight")
    weight_sum = sum(w for _, w in weights)
    if weight_sum == 0:
        raise ValueError("weights add up to zero")
    shares: dict[str, int] = {}
    ranked = []
    for index, (key, weight) in enumerate(weights):
        floor, remainder = divmod(total * weight, weight_sum)
        shares[key] = floor
        ranked.append((-remainder, -weight, index, key))
    ranked.sort()
    for _, _, _, key in ranked[: total - sum(shares.values())]:
        shares[key] += 1
    return shares


def kroner(ore: int) -> str:
    """Øre as a decimal string with two decimals: 12345 -> '123.45', -5 -> '-0.05'."""
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // KR}.{ore % KR:02d}"


def chance(rng: random.Random, fraction: Fraction) -> bool:
    """True with probability ``fraction`` (exact, no floats)."""
    return rng.randrange(fraction.denominator) < fraction.numerator


def pick(rng: random.Random, options: Sequence[str], percents: Sequence[int]) -> str:
    roll = rng.randrange(sum(percents))
    for option, percent in zip(options, percents):
        if roll < percent:
            return option
        roll -= percent
    raise AssertionError


def round_amount(rng: random.Random, ore: int) -> int:
    """Most grants are round numbers: 70 % whole thousands, 20 % whole kroner, 10 % to the øre."""
    roll = rng.randrange(10)
    if roll < 7 and ore >= 1_000 * KR:
        return ore // (1_000 * KR) * (1_000 * KR)
    if roll < 9:
        return ore // KR * KR
    return ore


# --- identifiers with check digits ----------------------------------------------------------

def make_cvr(rng: random.Random) -> str:
    """8 digits whose modulus-11 sum with weights 2,7,6,5,4,3,2,1 is divisible by 11."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        check = -sum(d * w for d, w in zip(digits, (2, 7, 6, 5, 4, 3, 2))) % 11
        if check < 10:
            return "".join(map(str, digits + [check]))


def make_ean(rng: random.Random) -> str:
    """13-digit GLN in the Danish public range 5798... with a GS1 check digit."""
    body = "5798" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str(-total % 10)


# --- TOML output (hand-written so inline tables look as in the docs; checked by tomllib) ----

def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value) if not isinstance(value, dt.date) else value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {value!r} to TOML")


def toml_key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else json.dumps(key, ensure_ascii=False)


def toml_table(pairs: dict[str, object]) -> str:
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in pairs.items() if v is not None)


def write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


# --- the model of one cluster ---------------------------------------------------------------

@dataclass
class Partner:
    id: str
    name: str
    kind: str
    cvr: str
    ean: str
    address: dict[str, str]
    payment: dict[str, str]

    @property
    def invoice_prefix(self) -> str:
        """Unique across the archive, so every issuer has its own numbers: kommune-03-07 -> K0307."""
        letter = {"kommune": "K", "region": "R"}.get(self.kind, "P")
        return letter + "".join(part for part in self.id.split("-")[1:])


@dataclass
class Grant:
    id: str
    name: str
    owner: str
    year: int
    granted: int  # øre, as decided
    applied: int | None
    level: str
    date: dt.date
    model: str
    participants: list[str] | None = None
    fixed: dict[str, int] | None = None
    amounts: dict[str, int] | None = None
    write_weights: bool = False
    total: int = 0  # current total after changes
    shares: dict[str, int] = field(default_factory=dict)  # current shares
    last_event: dt.date | None = None


@dataclass
class Params:
    seed: int
    first_year: int
    last_year: int
    cap: Fraction
    invoice_fraction: Fraction
    change_fraction: Fraction
    payment_fraction: Fraction
    partial_fraction: Fraction


class ClusterGenerator:
    """Draws one cluster's partners, allocations, grants, changes, invoices and payments,
    keeping exact track of every share, and writes the TOML files and the journal."""

    def __init__(self, index: int, grants_per_year: list[int], params: Params) -> None:
        self.index = index
        self.params = params
        self.rng = random.Random(f"klyngefond-bench/{params.seed}/{index}")
        self.years = list(range(params.first_year, params.last_year + 1))
        self.grants_per_year = dict(zip(self.years, grants_per_year))
        self.cid = f"klynge-{index:02d}"
        self.region = CLUSTER_REGIONS[(index - 1) % len(CLUSTER_REGIONS)]
        self.partners: list[Partner] = []
        self.holders: list[str] = []  # fund-holding partners, in cluster.toml order
        self.alloc: dict[tuple[str, int], int] = {}  # (partner, year) -> øre received
        self.cumulative: dict[int, dict[str, int]] = {}  # year -> partner -> received up to year
        self.used: dict[tuple[str, int], int] = {}  # (partner, year) -> current shares of that year's grants
        self.grants: list[Grant] = []
        self.grants_of_year: list[Grant] = []  # the year draw_changes works on
        self.changes: list[dict] = []
        self.invoices: list[dict] = []
        self.payments: list[dict] = []
        self.journal: list[tuple[dt.date, int, str]] = []
        self.shrunk = 0  # grants made smaller to stay affordable
        self.fallbacks = 0  # grants that fell back to the partners with room left
        self.change_count = 0
        self.sequence: dict[str, int] = {}  # "<prefix>-<year>" -> last invoice number used

    # -- partners and allocations --

    def _partner(self, pid: str, name: str, kind: str) -> Partner:
        rng = self.rng
        postal, city = rng.choice(REGIONS[self.region])
        return Partner(
            pid, name, kind, make_cvr(rng), make_ean(rng),
            {"street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}", "postal_code": postal, "city": city},
            {"bank_reg": f"{rng.randint(1000, 9999)}", "bank_account": f"{rng.randrange(10**10):010d}"},
        )

    def partner(self, pid: str) -> Partner:
        return next(p for p in self.partners if p.id == pid)

    def draw_partners(self) -> None:
        rng, i = self.rng, self.index
        size = rng.randint(5, 10)  # all partners, PLO included
        has_plo = rng.randrange(2) == 0
        n_kommuner = size - 1 - has_plo
        for k in range(1, n_kommuner + 1):
            self.partners.append(self._partner(f"kommune-{i:02d}-{k:02d}", f"Kommune {i:02d}-{k:02d}", "kommune"))
        self.partners.append(self._partner(f"region-{i:02d}", self.region, "region"))
        if has_plo:
            self.partners.append(self._partner(f"plo-{i:02d}", f"PLO {i:02d} (almen praksis)", "almen praksis"))
        self.holders = [p.id for p in self.partners if p.kind != "almen praksis"]

    def draw_allocations(self) -> None:
        rng = self.rng
        base = {pid: rng.randint(1_000_000, 8_000_000) * KR for pid in self.holders if not pid.startswith("region")}
        base[f"region-{self.index:02d}"] = sum(base.values()) * rng.randint(80, 120) // 100
        running = {pid: 0 for pid in self.holders}
        for n, year in enumerate(self.years):
            for pid in self.holders:
                # 3 % growth a year and +-3 % noise, whole kroner (recorded as TOML integers)
                amount = base[pid] * (100 + 3 * n) // 100 * rng.randint(97, 103) // 100 // KR * KR
                self.alloc[pid, year] = amount
                running[pid] += amount
                self.used[pid, year] = 0
                self.journal.append((dt.date(year, 1, 1), 0, self._txn(
                    dt.date(year, 1, 1), f"allocation {pid} {year}",
                    [(f"funds:{self.cid}:{pid}:{year}", amount), (f"state:{self.cid}:{year}", -amount)])))
            self.cumulative[year] = dict(running)

    # -- splits --

    def shares_for(self, g: Grant, total: int) -> dict[str, int]:
        """Each partner's share of grant ``g`` at ``total`` øre (the rule in the module doc)."""
        if total == 0:
            return {}
        weights = self.cumulative[g.year]
        if g.model == "solidarity":
            return split_ore(total, [(p, weights[p]) for p in self.holders])
        if g.model == "participants":
            return split_ore(total, [(p, weights[p]) for p in self.holders if p in g.participants])
        if g.model == "fixed-plus-pro-rata":
            rest = total - sum(g.fixed.values())
            if rest < 0:
                raise ValueError(f"{g.id}: fixed parts exceed the total")
            shares = {p: g.fixed.get(p, 0) for p in self.holders}
            others = split_ore(rest, [(p, weights[p]) for p in self.holders if p not in g.fixed])
            for p, share in others.items():
                shares[p] += share
            return shares
        if g.model == "explicit":
            if total == g.granted:
                return {p: g.amounts[p] for p in self.holders if p in g.amounts}
            return split_ore(total, [(p, g.amounts[p]) for p in self.holders if p in g.amounts])
        raise ValueError(g.model)

    def room(self, pid: str, year: int) -> int:
        """What partner ``pid`` may still commit of ``year``'s funds under the cap."""
        return self.alloc[pid, year] * self.params.cap.numerator // self.params.cap.denominator - self.used[pid, year]

    def fits(self, year: int, deltas: dict[str, int]) -> bool:
        return all(d <= self.room(p, year) for p, d in deltas.items())

    # -- grants --

    def _financing(self, g: Grant, amount: int, plan: dict) -> None:
        """Fill in ``g``'s financing parameters for ``amount`` from the drawn ``plan``."""
        g.granted = g.total = amount
        if g.model == "fixed-plus-pro-rata":
            g.fixed = {p: max(KR, amount * pct // 100 // KR * KR) for p, pct in plan["fixed"].items()}
        elif g.model == "explicit":
            unit = KR if amount % KR == 0 else 1  # negotiated in whole kroner when the grant is
            parts = split_ore(amount // unit, plan["weights"])
            g.amounts = {p: v * unit for p, v in parts.items()}

    def _plan(self, model: str, year: int) -> tuple[str, dict]:
        """Draw a model's parameters that do not depend on the amount, and an owner.

        Fixed parts and negotiated amounts are drawn around each partner's allocation
        share, so that no model loads one partner much more than solidarity would.
        """
        rng, holders = self.rng, self.holders
        weights = self.cumulative[year]
        weight_sum = sum(weights[p] for p in holders)
        region = f"region-{self.index:02d}"
        plan: dict = {}
        if model == "participants":
            plan["participants"] = sorted(rng.sample(holders, rng.randint(2, len(holders) - 1)), key=holders.index)
            owner = rng.choice(plan["participants"])
        elif model == "fixed-plus-pro-rata":
            fixed_ids = [region] if rng.randrange(10) < 7 else [region, rng.choice(holders[:-1])]
            plan["fixed"] = {p: max(5, 100 * weights[p] * rng.randint(60, 110) // (100 * weight_sum))
                             for p in fixed_ids}
            owner = rng.choice(fixed_ids)
        elif model == "explicit":
            ids = sorted(rng.sample(holders, rng.randint(2, len(holders))), key=holders.index)
            plan["weights"] = [(p, weights[p] // KR * rng.randint(50, 150)) for p in ids]
            owner = rng.choice(ids)
        else:
            owner = region if rng.randrange(10) < 3 else rng.choice(holders)
        return owner, plan

    def _shrink_to_fit(self, g: Grant, plan: dict) -> bool:
        """Make ``g`` (at ``g.granted``) smaller in 15 % steps until every share fits; False if
        it would have to go below MIN_GRANT."""
        amount = g.granted
        while amount >= MIN_GRANT:
            self._financing(g, amount, plan)
            if self.fits(g.year, self.shares_for(g, amount)):
                return True
            amount = round_amount(self.rng, amount * 85 // 100)
        return False

    def draw_grant(self, year: int, seq: int, amount: int) -> Grant:
        rng = self.rng
        model = pick(rng, MODELS, MODEL_PERCENT)
        owner, plan = self._plan(model, year)
        date = dt.date(year, 1, 10) + dt.timedelta(days=rng.randint(0, 320))
        g = Grant(id=f"g-{year}-{seq:04d}", name=f"Indsats {year}-{seq}", owner=owner, year=year,
                  granted=0, applied=None, level=rng.choice(LEVELS), date=date, model=model,
                  participants=plan.get("participants"), write_weights=rng.randrange(3) == 0)
        members = plan.get("participants") or [p for p, _ in plan.get("weights", [])]
        if members:  # a grant for some partners only is smaller in proportion to their weight
            weights = self.cumulative[year]
            amount = max(MIN_GRANT, round_amount(
                rng, amount * sum(weights[p] for p in members) // sum(weights[p] for p in self.holders)))
        g.granted = wanted = amount
        if not self._shrink_to_fit(g, plan):
            # Fallback: the partners with room left (at least 5 % of their year) share it pro rata.
            self.fallbacks += 1
            roomy = [p for p in self.holders if self.room(p, year) * 20 > self.alloc[p, year]]
            best = max(self.holders, key=lambda p: self.room(p, year))
            g.model, g.fixed, g.amounts = "participants", None, None
            g.participants = roomy or [best]
            g.owner = g.owner if g.owner in g.participants else rng.choice(g.participants)
            g.granted = wanted
            if not self._shrink_to_fit(g, {}):
                g.participants, g.owner = [best], best
                g.granted = self.room(best, year) * 9 // 10 // KR * KR
                if g.granted <= 0:
                    raise RuntimeError(f"{self.cid} {year}: no partner has room left; lower --grants-per-year")
                self._financing(g, g.granted, {})
        elif g.granted != wanted:
            self.shrunk += 1
        amount = g.granted
        shares = self.shares_for(g, amount)
        if rng.randrange(10) < 6:
            g.applied = amount * rng.randint(100, 130) // 100 // KR * KR
        g.shares = shares
        g.last_event = date
        for p, s in shares.items():
            self.used[p, year] += s
        postings = [(f"committed:{self.cid}:{g.id}:{p}", s) for p, s in shares.items() if s]
        postings += [(f"funds:{self.cid}:{p}:{year}", -s) for p, s in shares.items() if s]
        self.journal.append((date, 1, self._txn(date, f"grant {g.id} {g.name} ({g.model})", postings)))
        return g

    def draw_year(self, year: int) -> list[Grant]:
        """The year's grants: sizes drawn to add up to about TARGET_PERCENT of the allocations."""
        rng, count = self.rng, self.grants_per_year[year]
        budget = sum(self.alloc[p, year] for p in self.holders) * TARGET_PERCENT // 100
        sizes = [rng.randint(30, 170) for _ in range(count)]
        total_size = sum(sizes) or 1
        grants = []
        for seq, size in enumerate(sizes, start=1):
            amount = max(MIN_GRANT, round_amount(rng, budget * size // total_size))
            grants.append(self.draw_grant(year, seq, amount))
        return grants

    # -- changes --

    def _apply(self, year: int, new_totals: dict[str, int]) -> dict[str, dict[str, int]] | None:
        """New shares of the grants in ``new_totals`` if every partner can afford them, else None."""
        by_id = {g.id: g for g in self.grants_of_year}
        new_shares = {gid: self.shares_for(by_id[gid], total) for gid, total in new_totals.items()}
        delta: dict[str, int] = {}
        for gid, shares in new_shares.items():
            old = by_id[gid].shares
            for p in set(old) | set(shares):
                delta[p] = delta.get(p, 0) + shares.get(p, 0) - old.get(p, 0)
        return new_shares if self.fits(year, delta) else None

    def _reducible(self, g: Grant) -> int:
        """How much of ``g`` can be taken off and leave a valid grant of at least MIN_GRANT."""
        floor = sum(g.fixed.values()) if g.model == "fixed-plus-pro-rata" else 0
        return max(0, g.total - floor - MIN_GRANT)

    def draw_changes(self, year: int, grants: list[Grant]) -> None:
        """Changes to a few of the year's grants, each affordable, each decided after the grant."""
        rng, params = self.rng, self.params
        self.grants_of_year = grants
        count = (len(grants) * params.change_fraction.numerator * 2 + params.change_fraction.denominator) \
            // (2 * params.change_fraction.denominator)
        for g in rng.sample(grants, min(count, len(grants))):
            if g.total == 0:
                continue
            kind = pick(rng, CHANGE_KINDS, CHANGE_PERCENT)
            target = None
            if kind == "transfer":
                candidates = [t for t in grants if t is not g and t.total > 0]
                target = rng.choice(candidates) if candidates else None
                if target is None:
                    kind = "top-up"
            if kind in ("reduction", "transfer") and self._reducible(g) < KR:
                kind = "top-up"
            amount = None
            new_shares = None
            if kind == "withdrawal":
                new_shares = self._apply(year, {g.id: 0})
            else:
                if kind == "top-up":
                    amount = round_amount(rng, g.total * rng.randint(5, 30) // 100)
                else:
                    amount = round_amount(rng, self._reducible(g) * rng.randint(10, 60) // 100)
                for _ in range(6):  # halve until affordable
                    if amount < KR:
                        break
                    totals = ({g.id: g.total + amount} if kind == "top-up"
                              else {g.id: g.total - amount} if kind == "reduction"
                              else {g.id: g.total - amount, target.id: target.total + amount})
                    new_shares = self._apply(year, totals)
                    if new_shares is not None:
                        break
                    amount = amount // 2 // KR * KR
            if new_shares is None:
                continue
            involved = [g] + ([target] if target else [])
            date = max(x.last_event for x in involved) + dt.timedelta(days=rng.randint(1, 60))
            self.change_count += 1
            record = {"id": f"ch-{year}-{self.change_count:04d}", "kind": kind, "grant": g.id,
                      "amount": kroner(amount) if amount is not None else None,
                      "to_grant": target.id if target else None,
                      # The budget year the change uses or frees: the grant's own. Without it a change
                      # decided in the next January would draw on that year's money (the period rule).
                      "year": year,
                      "decision": {"level": rng.choice(LEVELS), "date": date}}
            self.changes.append(record)
            postings, funds = [], {}
            for x in involved:
                new = new_shares[x.id]
                for p in self.holders:
                    d = new.get(p, 0) - x.shares.get(p, 0)
                    if d:
                        postings.append((f"committed:{self.cid}:{x.id}:{p}", d))
                        funds[p] = funds.get(p, 0) + d
                        self.used[p, year] += d
                x.shares, x.total, x.last_event = new, sum(new.values()), date
            postings += [(f"funds:{self.cid}:{p}:{year}", -d) for p, d in funds.items() if d]
            what = f"{kind} {g.id}" + (f" -> {target.id}" if target else "")
            self.journal.append((date, 2, self._txn(date, what, postings)))

    # -- invoices and payments --

    def draw_invoices(self) -> None:
        rng, params = self.rng, self.params
        drafts = []
        for g in self.grants:
            if g.total == 0 or not chance(rng, params.invoice_fraction):
                continue
            issue = g.last_event + dt.timedelta(days=rng.randint(1, 60))
            for p in self.holders:
                if p != g.owner and g.shares.get(p, 0) > 0:
                    drafts.append((issue, g, p))
        drafts.sort(key=lambda d: d[0])  # numbers follow the issue dates (stable: grant, partner order)
        for issue, g, recipient in drafts:
            # As `invoices --issue` numbers them: <issuer's prefix>-<year>-<running number per prefix and year>.
            key = f"{self.partner(g.owner).invoice_prefix}-{issue.year}"
            self.sequence[key] = self.sequence.get(key, 0) + 1
            number = f"{key}-{self.sequence[key]:04d}"
            amount = g.shares[recipient]
            self.invoices.append({"number": number, "kind": "invoice", "issuer": g.owner, "recipient": recipient,
                                  "grant": g.id, "amount": amount, "issue_date": issue,
                                  "due_date": issue + dt.timedelta(days=30)})
            self.journal.append((issue, 3, self._txn(issue, f"invoice {number} {g.id} {g.owner} -> {recipient}", [
                (f"receivable:{self.cid}:{g.owner}:{number}", amount),
                (f"payable:{self.cid}:{recipient}:{number}", -amount)])))
            if not chance(rng, params.payment_fraction):
                continue
            if chance(rng, params.partial_fraction):
                parts = [max(1, amount * rng.randint(10, 90) // 100)]  # partly paid
            elif rng.randrange(20) == 0 and amount >= 2 * KR:
                first = amount * rng.randint(20, 80) // 100 // KR * KR or KR
                parts = [first, amount - first]  # paid in full, in two instalments
            else:
                parts = [amount]
            day = issue
            for k, part in enumerate(parts, start=1):
                day = day + dt.timedelta(days=rng.randint(5, 45))
                pay_id = f"{number.lower()}-betaling-{day.isoformat()}"  # as `pay` names it
                self.payments.append({"id": pay_id, "invoice": number, "date": day, "amount": part})
                self.journal.append((day, 4, self._txn(day, f"payment {pay_id}", [
                    (f"receivable:{self.cid}:{g.owner}:{number}", -part),
                    (f"payable:{self.cid}:{recipient}:{number}", part)])))

    # -- output --

    @staticmethod
    def _txn(date: dt.date, description: str, postings: list[tuple[str, int]]) -> str:
        assert sum(a for _, a in postings) == 0, description
        lines = [f"{date.isoformat()} {description}"]
        lines += [f"    {account}  {kroner(amount)} DKK" for account, amount in postings]
        return "\n".join(lines) + "\n\n"

    def expected_balances(self) -> dict[str, int]:
        """Every account's balance, from the cluster's state (not from the journal text)."""
        bal: dict[str, int] = {}

        def add(account: str, amount: int) -> None:
            bal[account] = bal.get(account, 0) + amount

        for (p, year), amount in self.alloc.items():
            add(f"funds:{self.cid}:{p}:{year}", amount)
            add(f"state:{self.cid}:{year}", -amount)
        for g in self.grants:
            for p, s in g.shares.items():
                add(f"committed:{self.cid}:{g.id}:{p}", s)
                add(f"funds:{self.cid}:{p}:{g.year}", -s)
        for inv in self.invoices:
            add(f"receivable:{self.cid}:{inv['issuer']}:{inv['number']}", inv["amount"])
            add(f"payable:{self.cid}:{inv['recipient']}:{inv['number']}", -inv["amount"])
        issuer = {inv["number"]: inv for inv in self.invoices}
        for pay in self.payments:
            inv = issuer[pay["invoice"]]
            add(f"receivable:{self.cid}:{inv['issuer']}:{inv['number']}", -pay["amount"])
            add(f"payable:{self.cid}:{inv['recipient']}:{inv['number']}", pay["amount"])
        return {a: v for a, v in bal.items() if v}

    def write(self, data_dir: Path, journal_dir: Path) -> dict:
        root = data_dir / self.cid
        for sub in ("allocations", "grants", "changes", "invoices", "payments"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        head = toml_table({"id": self.cid, "name": f"Benchmarkklynge {self.index:02d}", "region": self.region,
                           "default_financing": "solidarity"})
        parts = [f"# Synthetic benchmark cluster, generated by gen_national_archive.py (seed {self.params.seed}).\n",
                 head]
        for p in self.partners:
            parts.append("\n[[partners]]\n" + toml_table({"id": p.id, "name": p.name, "kind": p.kind, "cvr": p.cvr,
                                                          "ean": p.ean, "invoice_prefix": p.invoice_prefix,
                                                          "address": p.address,
                                                          "payment": p.payment}))
        # The first year's money is in the cluster file; every later year's was recorded with
        # `klyngefond receive`, one file per partner and year (allocations/<year>-<partner>-modtaget.toml).
        for p in self.holders:
            parts.append("\n[[allocations]]\n" + toml_table({"partner": p, "year": self.years[0],
                                                             "received": self.alloc[p, self.years[0]] // KR}))
        write_text(root / "cluster.toml", "".join(parts))
        for year in self.years[1:]:
            for p in self.holders:
                record_id = f"{year}-{p}-modtaget"
                write_text(root / "allocations" / f"{record_id}.toml",
                           toml_table({"partner": p, "year": year, "received": self.alloc[p, year] // KR,
                                       "date": dt.date(year, 1, 1), "id": record_id}))
        for g in self.grants:
            fin: dict[str, object] = {"model": g.model}
            if g.model == "participants":
                fin["participants"] = g.participants
            elif g.model == "fixed-plus-pro-rata":
                fin["fixed"] = {p: kroner(v) for p, v in g.fixed.items()}
            elif g.model == "explicit":
                fin["amounts"] = {p: kroner(v) for p, v in g.amounts.items()}
            if g.write_weights and g.model != "explicit":
                fin["weights"] = "allocation"
            text = toml_table({"id": g.id, "name": g.name, "owner": g.owner, "year": g.year,
                               "granted": kroner(g.granted),
                               "applied": kroner(g.applied) if g.applied is not None else None,
                               "decision": {"level": g.level, "date": g.date}})
            write_text(root / "grants" / f"{g.id}.toml", text + "\n[financing]\n" + toml_table(fin))
        for c in self.changes:
            write_text(root / "changes" / f"{c['id']}.toml", toml_table(c))
        for inv in self.invoices:
            write_text(root / "invoices" / f"{inv['number']}.toml", toml_table({**inv, "amount": kroner(inv["amount"])}))
        for pay in self.payments:
            write_text(root / "payments" / f"{pay['id']}.toml", toml_table({**pay, "amount": kroner(pay["amount"])}))
        self.journal.sort(key=lambda t: (t[0], t[1]))
        header = f"; Cluster {self.cid} ({self.region}), generated by gen_national_archive.py, seed {self.params.seed}\n\n"
        write_text(journal_dir / f"{self.cid}.journal", header + "".join(t for _, _, t in self.journal))
        return {"cluster": self.cid, "partners": len(self.partners), "grants": len(self.grants),
                "counters": dict(self.sequence),
                "owners": {p.invoice_prefix: f"cvr:{p.cvr}" for p in self.partners},
                "changes": len(self.changes), "invoices": len(self.invoices), "payments": len(self.payments),
                "transactions": len(self.journal), "shrunk": self.shrunk, "fallbacks": self.fallbacks,
                "models": {m: sum(g.model == m for g in self.grants) for m in MODELS},
                "change_kinds": {k: sum(c["kind"] == k for c in self.changes) for k in CHANGE_KINDS}}

    def run(self) -> None:
        self.draw_partners()
        self.draw_allocations()
        for year in self.years:
            grants = self.draw_year(year)
            self.grants.extend(grants)
            self.draw_changes(year, grants)
        self.draw_invoices()


def generate_cluster(job: tuple[int, list[int], Params, Path, Path]) -> tuple[dict, dict[str, int]]:
    """Worker: generate, write and summarise one cluster (runs in a child process with --jobs)."""
    index, per_year, params, data_dir, journal_dir = job
    gen = ClusterGenerator(index, per_year, params)
    gen.run()
    summary = gen.write(data_dir, journal_dir)
    return summary, gen.expected_balances()


def spread(total: int, buckets: int) -> list[int]:
    """``total`` split into ``buckets`` near-equal whole counts (earlier buckets get the extra)."""
    return [total // buckets + (i < total % buckets) for i in range(buckets)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clusters", type=int, default=21)
    # Twenty whole budget years in the past, so that no record is dated in the future (which
    # `klyngefond check` flags) and the same seed gives the same bytes whenever it is run.
    parser.add_argument("--years", default="2006-2025", help="budget years, FIRST-LAST (default 2006-2025)")
    parser.add_argument("--grants-per-year", type=int, default=100, help="per cluster (default 100)")
    parser.add_argument("--single-cluster", type=int, metavar="N",
                        help="write ONE cluster with N grants in all, spread evenly over the years")
    parser.add_argument("--invoice-fraction", type=Fraction, default=Fraction(1),
                        help="fraction of grants invoiced (each other partner with a share gets one invoice; default 1)")
    parser.add_argument("--change-fraction", type=Fraction, default=Fraction(3, 100),
                        help="fraction of grants with a change (default 0.03)")
    parser.add_argument("--payment-fraction", type=Fraction, default=Fraction(88, 100),
                        help="fraction of invoices with a payment (default 0.88)")
    parser.add_argument("--partial-fraction", type=Fraction, default=Fraction(10, 100),
                        help="fraction of paid invoices paid only in part (default 0.10)")
    parser.add_argument("--cap", type=Fraction, default=Fraction(80, 100),
                        help="most of a year's allocation a partner's grant shares may use (default 0.80)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    args = parser.parse_args(argv)

    first, _, last = args.years.partition("-")
    first_year, last_year = int(first), int(last or first)
    n_years = last_year - first_year + 1
    for name in ("invoice_fraction", "change_fraction", "payment_fraction", "partial_fraction", "cap"):
        if not 0 <= getattr(args, name) <= 1:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 1")
    params = Params(args.seed, first_year, last_year, args.cap, args.invoice_fraction, args.change_fraction,
                    args.payment_fraction, args.partial_fraction)
    if args.single_cluster is not None:
        plan = [(1, spread(args.single_cluster, n_years))]
    else:
        plan = [(i, [args.grants_per_year] * n_years) for i in range(1, args.clusters + 1)]

    started = time.perf_counter()
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    data_dir, journal_dir = out / "DATA", out / "journals"
    data_dir.mkdir(parents=True)
    journal_dir.mkdir()
    jobs = [(i, per_year, params, data_dir, journal_dir) for i, per_year in plan]
    if args.jobs > 1 and len(jobs) > 1:
        with multiprocessing.Pool(min(args.jobs, len(jobs))) as pool:
            results = pool.map(generate_cluster, jobs, chunksize=1)
    else:
        results = [generate_cluster(job) for job in jobs]

    # The data folder's invoice counters (<data>/.invoice-numbers.toml), as `invoices --issue`
    # keeps them: the last number per prefix and year, and the legal entity each prefix numbers for.
    counters = {k: v for summary, _ in results for k, v in summary.pop("counters").items()}
    owners = {k: v for summary, _ in results for k, v in summary.pop("owners").items()}
    write_text(data_dir / ".invoice-numbers.toml",
               "# klyngefond sequence counters: the last number handed out per key.\n[last]\n"
               + "".join(f'"{key}" = {last}\n' for key, last in sorted(counters.items()))
               + "\n[owners]\n" + "".join(f'"{prefix}" = "{owner}"\n' for prefix, owner in sorted(owners.items())))

    # The national journal: every cluster's journal, one after the other.
    with open(out / "national.journal", "w", encoding="utf-8", newline="\n") as national:
        national.write(f"; National benchmark archive, {len(results)} clusters, seed {args.seed}\n\n")
        for summary, _ in results:
            with open(journal_dir / f"{summary['cluster']}.journal", encoding="utf-8") as part:
                shutil.copyfileobj(part, national)
    with open(out / "expected_balances.tsv", "w", encoding="utf-8", newline="\n") as tsv:
        tsv.write("account\tore\n")
        for _, balances in results:
            tsv.writelines(f"{a}\t{v}\n" for a, v in balances.items())
    elapsed = time.perf_counter() - started

    clusters = [s for s, _ in results]
    totals = {k: sum(s[k] for s in clusters) for k in
              ("partners", "grants", "changes", "invoices", "payments", "transactions", "shrunk", "fallbacks")}
    totals["models"] = {m: sum(s["models"][m] for s in clusters) for m in MODELS}
    totals["change_kinds"] = {k: sum(s["change_kinds"][k] for s in clusters) for k in CHANGE_KINDS}
    manifest = {"argv": sys.argv[1:] if argv is None else argv, "seed": args.seed, "years": [first_year, last_year],
                "seconds": round(elapsed, 2), "totals": totals, "clusters": clusters}
    write_text(out / "manifest.json", json.dumps(manifest, indent=1, default=str) + "\n")
    print(f"wrote {out} in {elapsed:.1f} s: " + ", ".join(f"{k} {v}" for k, v in totals.items()
                                                          if not isinstance(v, dict)))
    print("  models: " + ", ".join(f"{k} {v}" for k, v in totals["models"].items())
          + "; changes: " + ", ".join(f"{k} {v}" for k, v in totals["change_kinds"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
