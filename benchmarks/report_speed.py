#!/usr/bin/env python3
"""Benchmark: wall time of `klyngefond report Sydvestjylland --format pdf` (and the other formats), whole process.

Each run is a new process (interpreter start, imports, reading the cluster, the document,
writing the file), timed from spawn to exit, after one warm-up run that fills the ledger
cache and the OS file cache (the 80 MB Typst library included). Target: the PDF in under
one second on a 2-core machine. Also printed: the same for `status` (the baseline every
report pays), and, inside one process, how long the Typst compile of the pack takes.

This prints figures; it is not a test (timings depend on the machine and its load).

    python benchmarks/report_speed.py [--runs 15] [--cluster Sydvestjylland]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.0
FORMATS = ("pdf", "html", "xlsx", "md")


def timed_run(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def in_process(cluster: str) -> tuple[float, float, int]:
    """(seconds to build the pack's document, seconds to typeset it, pages) inside this process, best of five."""
    from klyngefond.cli.context import open_cluster, today
    from klyngefond.render import doc_pdf
    from klyngefond.render.pack_view import pack_document
    from klyngefond.reports.meeting import build_pack
    from klyngefond.reports.view import View

    build, typeset, pdf = [], [], b""
    for _ in range(5):
        start = time.perf_counter()
        opened = open_cluster(cluster, None)
        document = pack_document(build_pack(opened.ledger, opened.journal, View(), None, today()), "da")
        middle = time.perf_counter()
        pdf = doc_pdf.render(document)
        build.append(middle - start)
        typeset.append(time.perf_counter() - middle)
    return min(build), min(typeset), len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--cluster", default="Sydvestjylland")
    args = parser.parse_args()

    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="klyngefond-report-bench-"))
    env = {**os.environ, "KLYNGEFOND_CACHE_DIR": str(work / "cache")}
    env.pop("KLYNGEFOND_LANG", None)
    results: dict[str, list[float]] = {}
    try:
        cases = {"status (baseline)": [python, "-m", "klyngefond", "status", args.cluster]}
        for fmt in FORMATS:
            cases[f"report --format {fmt}"] = [python, "-m", "klyngefond", "report", args.cluster, "--format", fmt,
                                               "--output", str(work / f"pack.{fmt}"), "--force"]
        for label, command in cases.items():
            timed_run(command, env, work)  # warm-up: the cache and the OS file cache
            results[label] = [timed_run(command, env, work) for _ in range(args.runs)]
        size = (work / "pack.pdf").stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"klyngefond report {args.cluster}   python {sys.version.split()[0]}   cores {os.cpu_count()}   "
          f"load {os.getloadavg()[0]:.2f}")
    for label, values in results.items():
        print(f"{label:<24} median {statistics.median(values) * 1000:6.0f} ms   min {min(values) * 1000:6.0f}   "
              f"max {max(values) * 1000:6.0f}   (n={len(values)})")
    build, typeset, pages = in_process(args.cluster)
    print(f"in one process: the document {build * 1000:.0f} ms, the Typst PDF/A-2b {typeset * 1000:.0f} ms "
          f"({pages} pages, {size // 1024} KiB)")
    median = statistics.median(results["report --format pdf"])
    print(f"target {TARGET_S:.1f} s for the PDF (median, whole process): {'meets' if median < TARGET_S else 'MISSES'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
