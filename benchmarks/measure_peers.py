#!/usr/bin/env python3
"""Measure peer tools (hledger, ledger) on the journals written by gen_national_archive.py.

For each case the command is run N times, each as a new process under
``/usr/bin/time -f '%e %M'`` with its output discarded; reported are the median, min and
max wall time (taken with ``time.perf_counter`` around the process, finer than %e), the
median CPU time (user + system, of the tool and GNU time; less disturbed than wall time
on a shared machine) and the median peak resident memory (%M). Before timing, hledger's and ledger's balances at
depth 2 are compared with the archive's ``expected_balances.tsv``, so the figures are for
journals both tools read the same way.

    python measure_peers.py [--national out/national] [--singles out/single-500 out/single-1000 ...]
                            [--tiny tiny_sydvestjylland.journal] [--runs 10] [--national-runs 3]
                            [--json results.json]

Standard library only (Python 3.11); needs hledger, ledger and GNU time (/usr/bin/time).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
GNU_TIME = "/usr/bin/time"
TOOLS = ("hledger", "ledger")


def version(tool: str) -> str:
    done = subprocess.run([tool, "--version"], check=False, capture_output=True, text=True)
    return done.stdout.splitlines()[0].strip() if done.returncode == 0 and done.stdout else "not found"


def journal_facts(path: Path) -> str:
    transactions = postings = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line[:1].isdigit():
                transactions += 1
            elif line.startswith("    "):
                postings += 1
    return f"{path.stat().st_size / 1e6:.1f} MB, {transactions} transactions, {postings} postings"


def run_once(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds user+system, peak RSS in KB) of one run of ``command``.

    Wall time is taken around the process with perf_counter; CPU time is the growth of
    this process's RUSAGE_CHILDREN (every waited-for descendant: GNU time and the tool),
    in microseconds rather than %U/%S's hundredths; peak memory is GNU time's %M.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([GNU_TIME, "-f", "%e %M", "-o", report.name, *command],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb = int(report.read().split()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak_kb


def measure(command: list[str], runs: int, warmup: bool) -> dict:
    if warmup:
        run_once(command)
    samples = [run_once(command) for _ in range(runs)]
    walls = [w for w, _, _ in samples]
    return {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
            "cpu_s": statistics.median(c for _, c, _ in samples),
            "peak_mb": statistics.median(kb for _, _, kb in samples) / 1024, "runs": runs}


# --- the journals must agree with the archive before they are timed ---------------------------

def amount_ore(text: str) -> int:
    text = text.strip().removesuffix("DKK").strip()
    if text in ("", "0"):
        return 0
    negative = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((frac + "00")[:2])
    return -value if negative else value


def depth2(journal: Path, tool: str) -> dict[str, int]:
    if tool == "hledger":
        command = ["hledger", "-f", str(journal), "bal", "--depth", "2", "-N", "-O", "csv"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return {account: amount_ore(value) for account, value in list(csv.reader(io.StringIO(out)))[1:]}
    # ledger prints nothing for --flat with --depth; its tree mode with this format prints
    # full names of the parents (depth 1) and of the depth-2 accounts, so keep the latter.
    out = subprocess.run(["ledger", "-f", str(journal), "bal", "--depth", "2", "--no-total",
                          "--balance-format", "%(account)\t%(display_total)\n"],
                         capture_output=True, text=True, check=True).stdout
    return {a: amount_ore(v) for a, v in (line.split("\t") for line in out.splitlines() if line)
            if a.count(":") == 1}


def check_agreement(archive: Path) -> str:
    tsv = archive / "expected_balances.tsv"
    want: dict[str, int] = defaultdict(int)
    with open(tsv, encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            account, value = line.rstrip("\n").split("\t")
            want[":".join(account.split(":")[:2])] += int(value)
    want = {a: v for a, v in want.items() if v}
    journal = archive / "national.journal"
    for tool in TOOLS:
        got = {a: v for a, v in depth2(journal, tool).items() if v}
        if got != want:
            bad = sorted(a for a in set(got) | set(want) if got.get(a) != want.get(a))[:5]
            raise SystemExit(f"{tool} disagrees with {tsv} at depth 2: {bad}; fix the journal first")
    return f"hledger and ledger agree with {tsv.name} on all {len(want)} depth-2 balances"


def shown_time(value: float, seconds: bool) -> str:
    return f"{value:.2f} s" if seconds else f"{value * 1000:.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, default=HERE / "out" / "national")
    parser.add_argument("--cluster", default="klynge-07", help="cluster measured alone (default klynge-07)")
    parser.add_argument("--singles", type=Path, nargs="*",
                        default=[HERE / "out" / f"single-{n}" for n in (500, 1000, 2000, 4000)])
    parser.add_argument("--full-single", default="single-2000", help="single archive measured with every command")
    parser.add_argument("--tiny", type=Path, default=HERE / "tiny_sydvestjylland.journal")
    parser.add_argument("--runs", type=int, default=10, help="runs per case (default 10)")
    parser.add_argument("--national-runs", type=int, default=3, help="runs per national case (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    for tool in (*TOOLS, GNU_TIME):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed")
    print(f"{version('hledger')} | {version('ledger')} | hyperfine: {shutil.which('hyperfine') or 'not installed'}"
          f" | {os.cpu_count()} cores")

    # (label, journal, tool arguments after -f JOURNAL, runs)
    def commands(label: str, journal: Path, runs: int, full: bool, cluster: str | None = None) -> list:
        variants = [["bal"], ["bal", "--depth", "3"], ["bal", "funds"]] if full else [["bal"], ["bal", "funds"]]
        if cluster:  # one cluster's status, read from the national file
            variants.append(["bal", f"funds:{cluster}"])
        return [(label, journal, tool, a, runs) for tool in TOOLS for a in variants]

    cases = []
    if args.tiny.exists():
        cases += commands("tiny (Sydvestjylland)", args.tiny, args.runs, True)
    for single in args.singles:
        if (single / "national.journal").exists():
            print(f"{single.name}: {journal_facts(single / 'national.journal')}; {check_agreement(single)}")
            cases += commands(single.name, single / "national.journal", args.runs, single.name == args.full_single)
    cluster_journal = args.national / "journals" / f"{args.cluster}.journal"
    if cluster_journal.exists():
        print(f"{args.cluster} alone: {journal_facts(cluster_journal)}")
        cases += commands(f"{args.cluster} own journal", cluster_journal, args.runs, True)
    national = args.national / "national.journal"
    if national.exists():
        print(f"national: {journal_facts(national)}; {check_agreement(args.national)}")
        cases += commands("national", national, args.national_runs, True, cluster=args.cluster)

    results = []
    print(f"load average before timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{'journal':<24} {'command':<32} {'median':>9} {'min':>9} {'max':>9} {'CPU':>9} {'peak RSS':>9}  n")
    for label, journal, tool, tool_args, runs in cases:
        command = [tool, "-f", str(journal), *tool_args]
        big = label == "national"
        if big:  # one warm-up would take minutes; warm the file cache instead
            with open(journal, "rb") as handle:
                while handle.read(1 << 24):
                    pass
        r = measure(command, runs, warmup=not big)
        shown = f"{tool} {' '.join(tool_args)}"
        seconds = r["median_s"] >= 1
        cells = [shown_time(r[k], seconds) for k in ("median_s", "min_s", "max_s", "cpu_s")]
        print(f"{label:<24} {shown:<32} " + " ".join(f"{c:>9}" for c in cells) + f" {r['peak_mb']:>6.0f} MB  {runs}",
              flush=True)
        results.append({"journal": label, "path": str(journal), "command": shown, **r})
    print(f"load average after timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps({"hledger": version("hledger"), "ledger": version("ledger"),
                                         "results": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
