#!/usr/bin/env python3
"""Check an archive written by gen_national_archive.py, independently of the generator.

Reads every TOML file back with ``tomllib`` and checks it against the data format
(ids match file stems, check digits, amounts in øre, explicit amounts add up, change
and invoice dates in order, payments no more than the invoice, ...). Then recomputes
every split from the files alone -- with ``fractions.Fraction``, straight from the rule
text, not with the generator's integer code -- applies the changes in date order, and
checks that no partner's funds for any budget year go below zero at any point.

The balances so computed must equal, account by account:

* ``expected_balances.tsv`` (what the generator computed from its own state), and, with
  ``--tools``,
* ``hledger -f national.journal bal`` and ``ledger -f national.journal bal``, and
  ``hledger bal funds`` must show no negative account.

    python validate_archive.py OUT [--tools] [--jobs 2]

Exit status 0 when everything holds, 1 with the problems listed otherwise.
Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import multiprocessing
import os
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

ID = re.compile(r"^[a-z0-9-]{1,80}$")
INVOICE_NUMBER = re.compile(r"^[A-Z][A-Z0-9]{1,7}-\d{4}-\d{4,}$")  # storage/numbering.number()
AMOUNT = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$")
KINDS = {"kommune", "region", "almen praksis"}
LEVELS = {"politisk", "fagligt strategisk", "administrativ"}
CHANGE_KINDS = {"top-up", "reduction", "withdrawal", "transfer"}
MAX_PROBLEMS = 50  # per cluster


def ore(value: object) -> int:
    """A TOML amount (integer kroner or a decimal string with at most 2 decimals) in øre."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"not an amount: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"negative amount {value}")
        return value * 100
    if not AMOUNT.match(value):
        raise ValueError(f"bad amount string {value!r}")
    whole, _, frac = value.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def cvr_ok(cvr: str) -> bool:
    return (len(cvr) == 8 and cvr.isdigit()
            and sum(int(d) * w for d, w in zip(cvr, (2, 7, 6, 5, 4, 3, 2, 1))) % 11 == 0)


def ean_ok(ean: str) -> bool:
    if len(ean) != 13 or not ean.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(ean[:12]))
    return (-total) % 10 == int(ean[12])


def split_fraction(total: int, weights: list[tuple[str, int]]) -> dict[str, int]:
    """Largest remainder, written from the rule text with Fractions (øre in, øre out)."""
    weight_sum = sum(Fraction(w) for _, w in weights)
    exact = {k: Fraction(total) * Fraction(w) / weight_sum for k, w in weights}
    shares = {k: x.numerator // x.denominator for k, x in exact.items()}
    order = [k for k, _ in weights]
    weight = dict(weights)
    ranked = sorted(order, key=lambda k: (-(exact[k] - shares[k]), -weight[k], order.index(k)))
    for k in ranked[: total - sum(shares.values())]:
        shares[k] += 1
    return shares


def check_cluster(folder: Path) -> tuple[str, list[str], dict[str, int], dict[str, int]]:
    """All checks of one cluster folder: (cluster id, problems, balances, counts)."""
    problems: list[str] = []

    def problem(where: Path | str, text: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(f"{where}: {text}")

    def load(path: Path) -> dict | None:
        try:
            with open(path, "rb") as handle:
                return tomllib.load(handle)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problem(path, f"does not parse: {exc}")
            return None

    def records(sub: str, key: str) -> list[tuple[Path, dict]]:
        out = []
        for path in sorted((folder / sub).glob("*.toml")) if (folder / sub).is_dir() else []:
            if path.name.startswith("."):
                continue
            data = load(path)
            if data is None:
                continue
            if data.get(key) != path.stem:
                problem(path, f"{key} {data.get(key)!r} is not the file stem")
            if not (INVOICE_NUMBER if key == "number" else ID).match(str(data.get(key, ""))):
                problem(path, f"bad id {data.get(key)!r}")
            out.append((path, data))
        return out

    counts = {"files": 0}
    cluster = load(folder / "cluster.toml")
    if cluster is None:
        return folder.name, problems, {}, counts
    cid = cluster.get("id")
    if cid != folder.name:
        problem(folder / "cluster.toml", f"id {cid!r} is not the folder name")
    partners = cluster.get("partners", [])
    order = [p["id"] for p in partners]
    holders = [p["id"] for p in partners if p.get("kind") != "almen praksis"]
    if not 5 <= len(partners) <= 10:
        problem(folder / "cluster.toml", f"{len(partners)} partners (want 5-10)")
    if sum(p.get("kind") == "region" for p in partners) != 1:
        problem(folder / "cluster.toml", "not exactly one region")
    for p in partners:
        where = f"{folder / 'cluster.toml'}: partner {p.get('id')}"
        if not ID.match(p.get("id", "")) or p.get("kind") not in KINDS or not p.get("name"):
            problem(where, "bad id, kind or name")
        if not cvr_ok(p.get("cvr", "")):
            problem(where, f"cvr {p.get('cvr')!r} fails modulus 11")
        if not ean_ok(p.get("ean", "")):
            problem(where, f"ean {p.get('ean')!r} fails the GS1 check digit")
        address, payment = p.get("address", {}), p.get("payment", {})
        if set(address) != {"street", "postal_code", "city"} or not address.get("postal_code", "").isdigit():
            problem(where, f"bad address {address}")
        if not (payment.get("bank_reg", "").isdigit() and len(payment["bank_reg"]) == 4
                and payment.get("bank_account", "").isdigit() and len(payment["bank_account"]) == 10):
            problem(where, f"bad payment {payment}")

    # Allocations: one per fund holder and year.
    alloc: dict[tuple[str, int], int] = {}
    for a in cluster.get("allocations", []) + [data for _, data in records("allocations", "id")]:
        key = (a.get("partner"), a.get("year"))
        if key[0] not in holders or not isinstance(key[1], int):
            problem(folder / "cluster.toml", f"allocation {key}: not a fund holder / year")
            continue
        if key in alloc:
            problem(folder / "cluster.toml", f"two allocations for {key}")
        alloc[key] = ore(a["received"])
    years = sorted({y for _, y in alloc})
    for p in holders:
        for y in years:
            if (p, y) not in alloc:
                problem(folder / "cluster.toml", f"no allocation for {p} {y}")
    cumulative = {y: {p: sum(alloc.get((p, x), 0) for x in years if x <= y) for p in holders} for y in years}

    # Grants.
    grants: dict[str, dict] = {}
    for path, g in records("grants", "id"):
        try:
            g["_granted"] = ore(g["granted"])
            if "applied" in g:
                ore(g["applied"])
            fin = g["financing"]
            model = fin["model"]
            if g.get("owner") not in order or g.get("year") not in cumulative:
                problem(path, "unknown owner or year")
            if g["decision"]["level"] not in LEVELS or not isinstance(g["decision"]["date"], dt.date):
                problem(path, "bad decision")
            if fin.get("weights", "allocation") != "allocation":
                problem(path, "weights other than allocation")
            if model == "explicit":
                g["_amounts"] = {p: ore(v) for p, v in fin["amounts"].items()}
                if sum(g["_amounts"].values()) != g["_granted"]:
                    problem(path, "explicit amounts do not add up to granted")
            elif model == "fixed-plus-pro-rata":
                g["_fixed"] = {p: ore(v) for p, v in fin["fixed"].items()}
                if sum(g["_fixed"].values()) > g["_granted"]:
                    problem(path, "fixed parts exceed granted")
            elif model == "participants":
                if not fin["participants"] or set(fin["participants"]) - set(holders):
                    problem(path, "participants empty or not fund holders")
            elif model != "solidarity":
                problem(path, f"unknown model {model}")
            for p in list(g.get("_amounts", {})) + list(g.get("_fixed", {})):
                if p not in holders:
                    problem(path, f"{p} is not a fund holder")
        except (KeyError, TypeError, ValueError) as exc:
            problem(path, f"{type(exc).__name__}: {exc}")
            continue
        grants[g["id"]] = g

    def shares_for(g: dict, total: int) -> dict[str, int]:
        if total == 0:
            return {}
        w = cumulative[g["year"]]
        fin = g["financing"]
        if fin["model"] == "solidarity":
            return split_fraction(total, [(p, w[p]) for p in holders])
        if fin["model"] == "participants":
            return split_fraction(total, [(p, w[p]) for p in holders if p in fin["participants"]])
        if fin["model"] == "fixed-plus-pro-rata":
            fixed = g["_fixed"]
            shares = {p: fixed.get(p, 0) for p in holders}
            for p, s in split_fraction(total - sum(fixed.values()),
                                       [(p, w[p]) for p in holders if p not in fixed]).items():
                shares[p] += s
            return shares
        amounts = g["_amounts"]
        if total == g["_granted"]:
            return dict(amounts)
        return split_fraction(total, [(p, amounts[p]) for p in holders if p in amounts])

    # Decisions in date order: grants, then the changes; funds checked after each one.
    used: dict[tuple[str, int], int] = defaultdict(int)
    state = {}  # grant id -> [total, shares, last event date]
    events = [(g["decision"]["date"], 0, gid, None) for gid, g in grants.items()]
    changes = records("changes", "id")
    for path, c in changes:
        events.append((c.get("decision", {}).get("date"), 1, c.get("id"), (path, c)))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    def commit(g: dict, new: dict[str, int], where: Path | str) -> None:
        old = state[g["id"]][1] if g["id"] in state else {}
        for p in set(old) | set(new):
            used[p, g["year"]] += new.get(p, 0) - old.get(p, 0)
            if used[p, g["year"]] > alloc[p, g["year"]]:
                problem(where, f"{p}'s funds for {g['year']} go below zero")

    for date, kind, ident, payload in events:
        if kind == 0:
            g = grants[ident]
            shares = shares_for(g, g["_granted"])
            commit(g, shares, f"grant {ident}")
            state[ident] = [g["_granted"], shares, date]
            continue
        path, c = payload
        try:
            g = grants[c["grant"]]
            total = state[g["id"]][0]
            if c["kind"] not in CHANGE_KINDS or c["decision"]["level"] not in LEVELS:
                problem(path, "bad kind or decision level")
            if (c["kind"] == "withdrawal") != ("amount" not in c) or ("to_grant" in c) != (c["kind"] == "transfer"):
                problem(path, "amount/to_grant do not fit the kind")
            amount = ore(c["amount"]) if "amount" in c else total
            targets = [(g, {"top-up": total + amount, "reduction": total - amount,
                            "withdrawal": 0, "transfer": total - amount}[c["kind"]])]
            if c["kind"] == "transfer":
                t = grants[c["to_grant"]]
                if t["year"] != g["year"]:
                    problem(path, "transfer between budget years")
                targets.append((t, state[t["id"]][0] + amount))
            for x, new_total in targets:
                if new_total < 0 or date <= state[x["id"]][2]:
                    problem(path, f"negative total or decision not after {x['id']}'s last event")
                new = shares_for(x, new_total)
                commit(x, new, path)
                state[x["id"]] = [new_total, new, date]
        except (KeyError, TypeError, ValueError) as exc:
            problem(path, f"{type(exc).__name__}: {exc}")

    # Invoices and payments.
    invoices = {}
    for path, inv in records("invoices", "number"):
        try:
            g, amount = grants[inv["grant"]], ore(inv["amount"])
            total, shares, last = state[g["id"]]
            if inv["kind"] != "invoice" or inv["issuer"] != g.get("owner") or inv["recipient"] == inv["issuer"]:
                problem(path, "kind, issuer (the grant's owner) or recipient wrong")
            if inv["recipient"] not in order:
                problem(path, "unknown recipient")
            if amount != shares.get(inv["recipient"]):
                problem(path, f"amount {amount} is not the recipient's share {shares.get(inv['recipient'])}")
            if inv["due_date"] != inv["issue_date"] + dt.timedelta(days=30) or inv["issue_date"] <= last:
                problem(path, "due date not issue + 30 days, or issued before the grant's last change")
            invoices[inv["number"]] = (inv, amount, 0)
        except (KeyError, TypeError, ValueError) as exc:
            problem(path, f"{type(exc).__name__}: {exc}")
    payments = records("payments", "id")
    for path, pay in payments:
        try:
            inv, amount, paid = invoices[pay["invoice"]]
            paid += ore(pay["amount"])
            if paid > amount or paid <= 0 or pay["date"] < inv["issue_date"]:
                problem(path, "paid more than the invoice, nothing, or before it was issued")
            invoices[pay["invoice"]] = (inv, amount, paid)
        except (KeyError, TypeError, ValueError) as exc:
            problem(path, f"{type(exc).__name__}: {exc}")

    # The balances the journal must show.
    bal: dict[str, int] = defaultdict(int)
    for (p, y), amount in alloc.items():
        bal[f"funds:{cid}:{p}:{y}"] += amount - used[p, y]
        bal[f"state:{cid}:{y}"] -= amount
    for gid, (_, shares, _) in state.items():
        for p, s in shares.items():
            bal[f"committed:{cid}:{gid}:{p}"] += s
    for number, (inv, amount, paid) in invoices.items():
        bal[f"receivable:{cid}:{inv['issuer']}:{number}"] += amount - paid
        bal[f"payable:{cid}:{inv['recipient']}:{number}"] -= amount - paid
    counts.update(grants=len(grants), changes=len(changes), invoices=len(invoices), payments=len(payments),
                  files=1 + len(grants) + len(changes) + len(invoices) + len(payments))
    models = defaultdict(int)
    for g in grants.values():
        models["model " + g["financing"]["model"]] += 1
    counts.update(models)
    return cid, problems, {a: v for a, v in bal.items() if v}, counts


def parse_tool_amount(text: str) -> int:
    text = text.strip().removesuffix("DKK").strip().replace(",", "")
    return 0 if text in ("", "0") else ore(text.lstrip("-")) * (-1 if text.startswith("-") else 1)


def hledger_balances(journal: Path, query: list[str]) -> dict[str, int]:
    out = subprocess.run(["hledger", "-f", str(journal), "bal", "-O", "csv", "-N", *query],
                         capture_output=True, text=True, check=True).stdout
    rows = list(csv.reader(io.StringIO(out)))[1:]
    return {account: parse_tool_amount(amount) for account, amount in rows}


def ledger_balances(journal: Path) -> dict[str, int]:
    out = subprocess.run(["ledger", "-f", str(journal), "bal", "--flat", "--no-total",
                          "--balance-format", "%(account)\t%(display_total)\n"],
                         capture_output=True, text=True, check=True).stdout
    return {account: parse_tool_amount(amount) for account, amount in
            (line.split("\t") for line in out.splitlines() if line)}


def compare(name: str, got: dict[str, int], want: dict[str, int]) -> list[str]:
    got = {a: v for a, v in got.items() if v}
    diffs = [f"{name}: {a}: {got.get(a)} != expected {want.get(a)}"
             for a in sorted(set(got) | set(want)) if got.get(a) != want.get(a)]
    return diffs[:20] + ([f"{name}: ... {len(diffs) - 20} more"] if len(diffs) > 20 else [])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--tools", action="store_true", help="also compare with hledger and ledger")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    folders = sorted(p for p in (args.archive / "DATA").iterdir() if p.is_dir())
    with multiprocessing.Pool(min(args.jobs, len(folders))) as pool:
        results = pool.map(check_cluster, folders, chunksize=1)
    problems, balances, counts = [], {}, defaultdict(int)
    for cid, cluster_problems, cluster_balances, cluster_counts in results:
        problems += cluster_problems
        balances.update(cluster_balances)
        for k, v in cluster_counts.items():
            counts[k] += v
    print(f"{len(folders)} clusters, " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))

    with open(args.archive / "expected_balances.tsv", encoding="utf-8") as tsv:
        generator = {a: int(v) for a, v in (line.rstrip("\n").split("\t") for line in list(tsv)[1:])}
    problems += compare("generator's expected_balances.tsv", generator, balances)
    print(f"balances recomputed from TOML: {len(balances)} non-zero accounts, "
          f"{'equal to' if generator == balances else 'DIFFERENT from'} the generator's")

    if args.tools:
        try:
            problems += check_with_tools(args.archive, results[0][0], balances)
        except subprocess.CalledProcessError as exc:
            problems.append(f"{' '.join(exc.cmd[:4])} failed: {exc.stderr.strip()[:300]}")

    for line in problems:
        print("PROBLEM", line)
    print("OK" if not problems else f"{len(problems)} problems")
    return 0 if not problems else 1


def check_with_tools(archive: Path, first: str, balances: dict[str, int]) -> list[str]:
    """hledger and ledger on the journals must show exactly ``balances``; no funds account negative."""
    journal = archive / "national.journal"
    problems = compare("hledger bal", hledger_balances(journal, []), balances)
    problems += compare("ledger bal", ledger_balances(journal), balances)
    negative = {a: v for a, v in hledger_balances(journal, ["funds"]).items() if v < 0}
    problems += [f"hledger bal funds: {a} is negative ({v})" for a, v in list(negative.items())[:20]]
    # One cluster's own journal must give that cluster's balances.
    own = {a: v for a, v in balances.items() if a.split(":")[1] == first}
    problems += compare(f"hledger on journals/{first}.journal",
                        hledger_balances(archive / "journals" / f"{first}.journal", []), own)
    print(f"hledger and ledger checked against the recomputed balances; negative funds accounts: {len(negative)}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
