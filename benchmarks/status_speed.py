#!/usr/bin/env python3
"""Benchmark: median cold wall time of `klyngefond status Sydvestjylland`.

Each run is a new process (a cold start of the interpreter and every import), timed from
spawn to exit, output discarded. Two cases are measured:

* warm cache: the validated ledger is in the cache, as it is for every run after the
  data last changed (the common case before a meeting);
* cold cache: the cache is emptied before each run, so the run validates the TOML files
  with pydantic, as the first run after an edit does.

Also reported: which heavy modules (PDF, spreadsheet, XML, pydantic) the warm-cache run
imports. Target: median warm-cache run at or under 150 ms on a 2-core machine.

    python benchmarks/status_speed.py [--runs 30] [--cluster Sydvestjylland]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 150.0
HEAVY = ("fpdf", "typst", "lxml", "openpyxl", "pypdf", "pydantic", "stdnum", "xml.etree")


def timed_run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1000


def heavy_imports(python: str, cluster: str, env: dict[str, str]) -> list[str]:
    probe = (
        "import sys, runpy; sys.argv=['klyngefond','status',%r];\n"
        "try:\n    runpy.run_module('klyngefond', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in %r or m in %r)), file=sys.stderr)"
    ) % (cluster, tuple(h.split(".")[0] for h in HEAVY if "." not in h), HEAVY)
    done = subprocess.run([python, "-c", probe], env=env, capture_output=True, text=True)
    return sorted({m.split(".")[0] if not m.startswith("xml") else m for m in done.stderr.split()})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cluster", default="Sydvestjylland")
    args = parser.parse_args()

    python = sys.executable
    command = [python, "-m", "klyngefond", "status", args.cluster]
    cache = Path(tempfile.mkdtemp(prefix="klyngefond-bench-"))
    env = {**os.environ, "KLYNGEFOND_CACHE_DIR": str(cache), "COLUMNS": "100"}
    try:
        timed_run(command, env)  # fills the cache (and the OS file cache) before measuring
        warm = [timed_run(command, env) for _ in range(args.runs)]
        cold = []
        for _ in range(max(5, args.runs // 3)):
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed_run(command, env))
        timed_run(command, env)
        heavy = heavy_imports(python, args.cluster, env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    def line(label: str, values: list[float]) -> str:
        return (f"{label:<28} median {statistics.median(values):6.1f} ms   min {min(values):6.1f}   "
                f"max {max(values):6.1f}   (n={len(values)})")

    print(f"klyngefond status {args.cluster}   python {sys.version.split()[0]}   cores {os.cpu_count()}")
    print(line("warm cache (usual run)", warm))
    print(line("cold cache (after an edit)", cold))
    baseline = [timed_run([python, "-c", "pass"], env) for _ in range(10)]
    print(line("bare interpreter start", baseline))
    print(f"heavy modules imported by status: {', '.join(heavy) if heavy else 'none'}")
    verdict = "meets" if statistics.median(warm) <= TARGET_MS else "MISSES"
    print(f"target {TARGET_MS:.0f} ms (warm cache): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
