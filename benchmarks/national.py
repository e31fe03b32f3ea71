#!/usr/bin/env python3
"""The national benchmark (issue 14): klyngefond beside hledger and ledger on the same amounts.

Generates, seeded, a national archive (21 clusters, 20 years, 42,000 grants, ~400,000 files)
and one cluster at 500, 1,000, 2,000 and 4,000 grants (``gen_national_archive.py``, which
also writes every archive as an hledger/ledger journal with the same amounts), then times
with public tools only — each run a new process, wall time around it, CPU time from the
children's rusage, peak memory from ``/usr/bin/time -f "%e %M"``; hyperfine's medians when
it is installed — and prints every workload with its median, peak memory, the peers'
medians measured in the same run, the ratio, and each target of the issue with "met" or
"missed". The README quotes its output.

    python benchmarks/national.py [--out DIR] [--runs 10] [--klyngefond PATH] [--quick]

``--out DIR`` keeps the archives (and reuses them when they were written with the same
seed and parameters); without it they go to a temporary folder that is removed.
``--quick`` runs fewer repetitions and skips the national peer runs (minutes each).
Standard library only; klyngefond is run as a command, never imported.

The cache is a fresh private folder (``KLYNGEFOND_CACHE_DIR``): "cold" runs start each
time from an empty one (the files themselves are in the OS page cache, as they are for the
peers, which have no cache), "warm" runs follow one run that filled it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
GNU_TIME = "/usr/bin/time"
SEED = 1
SIZES = (500, 1000, 2000, 4000)
TINY_JOURNAL = HERE / "tiny_sydvestjylland.journal"


# --------------------------------------------------------------------------- running and timing


@dataclass
class Measured:
    """Medians of repeated runs of one command."""

    label: str
    wall: float  # seconds, median
    cpu: float  # seconds (user + system), median
    peak_mb: float  # median of the peak resident memory
    runs: int
    walls: list[float] = field(default_factory=list)

    def shown(self) -> str:
        return seconds(self.wall)


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def run_once(command: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one run of ``command`` under GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([GNU_TIME, "-f", "%e %M", "-o", report.name, *command], env=env, cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        text = report.read().split()
    if done.returncode not in (0, 1):  # check exits 1 when it finds errors; anything else is a broken run
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, int(text[-1]) / 1024


def measure(label: str, command: list[str], runs: int, env: dict[str, str], *, before: Callable[[int], None] | None = None,
            warmup: bool = True, cwd: Path | None = None) -> Measured:
    """Median of ``runs`` runs; ``before(i)`` prepares run ``i`` (a fresh cache, an edited file, a new name)."""
    if warmup:
        if before is not None:
            before(-1)
        run_once(command, env, cwd)
    samples = []
    for i in range(runs):
        if before is not None:
            before(i)
        samples.append(run_once(command, env, cwd))
    walls = [s[0] for s in samples]
    wall = statistics.median(walls)
    if HYPERFINE and before is None and runs >= 3:
        wall = hyperfine_median(command, runs, env, cwd) or wall
    return Measured(label, wall, statistics.median(s[1] for s in samples), statistics.median(s[2] for s in samples), runs, walls)


HYPERFINE = shutil.which("hyperfine")


def hyperfine_median(command: list[str], runs: int, env: dict[str, str], cwd: Path | None) -> float | None:
    with tempfile.NamedTemporaryFile("r", suffix=".json") as export:
        done = subprocess.run([HYPERFINE, "--runs", str(runs), "--warmup", "1", "-N", "--export-json", export.name,
                               "--", subprocess.list2cmdline(command)], env=env, cwd=cwd, capture_output=True, text=True)
        if done.returncode != 0:
            return None
        return float(json.load(export)["results"][0]["median"])


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --------------------------------------------------------------------------- the archives


def archive(out: Path, name: str, args: list[str]) -> Path:
    """``out/name``, generated with ``args`` unless it is there already from the same arguments
    and the same generator (an archive in an older data format is generated again)."""
    import hashlib

    target = out / name
    wanted = ["--out", str(target), "--seed", str(SEED), *args]
    generator = hashlib.sha256((HERE / "gen_national_archive.py").read_bytes()).hexdigest()
    manifest = target / "manifest.json"
    stamp = target / "generator.sha256"
    if manifest.is_file() and stamp.is_file() and stamp.read_text("utf-8").strip() == generator:
        try:
            if json.loads(manifest.read_text("utf-8")).get("argv") == wanted:
                return target
        except ValueError:
            pass
    print(f"generating {name} …", flush=True)
    done = subprocess.run([sys.executable, str(HERE / "gen_national_archive.py"), *wanted], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    stamp.write_text(generator + "\n", "utf-8")
    return target


# --------------------------------------------------------------------------- report


@dataclass
class Row:
    workload: str
    ours: Measured | None
    hledger: Measured | None = None
    ledger: Measured | None = None
    target: str = ""
    verdict: str = ""
    note: str = ""


def ratio(ours: Measured | None, peer: Measured | None) -> str:
    if ours is None or peer is None or peer.wall <= 0:
        return "—"
    return f"{ours.wall / peer.wall:.2f}×"


def table(rows: list[Row]) -> str:
    head = ("workload", "klyngefond", "peak", "hledger", "ledger", "×hledger", "×ledger", "target", "")
    cells = [head]
    for r in rows:
        cells.append((r.workload, r.ours.shown() if r.ours else "—", f"{r.ours.peak_mb:.0f} MB" if r.ours else "—",
                      r.hledger.shown() if r.hledger else "—", r.ledger.shown() if r.ledger else "—",
                      ratio(r.ours, r.hledger), ratio(r.ours, r.ledger), r.target, r.verdict))
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(head))]
    lines = []
    for n, row in enumerate(cells):
        parts = [str(c).ljust(widths[i]) if i in (0, 7, 8) else str(c).rjust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


# --------------------------------------------------------------------------- the workloads


def main() -> int:  # noqa: C901 - one straight script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep (and reuse) the generated archives here")
    parser.add_argument("--runs", type=int, default=10, help="runs per small workload (default 10)")
    parser.add_argument("--national-runs", type=int, default=3, help="runs per warm national workload (default 3)")
    parser.add_argument("--klyngefond", default=str(Path(sys.executable).with_name("klyngefond")),
                        help="the klyngefond command to time (default: the one beside this Python)")
    parser.add_argument("--quick", action="store_true", help="fewer runs; no national peer runs")
    parser.add_argument("--no-national-hledger", action="store_true",
                        help="leave out hledger on the national journal (about two minutes and 6 GB)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    national_runs = 1 if args.quick else args.national_runs
    kf = args.klyngefond
    for tool in (GNU_TIME, kf):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed")
    peers = [tool for tool in ("hledger", "ledger") if shutil.which(tool)]

    work = Path(tempfile.mkdtemp(prefix="klyngefond-national-"))
    out = args.out or work / "archives"
    out.mkdir(parents=True, exist_ok=True)
    try:
        singles = {n: archive(out, f"single-{n}", ["--single-cluster", str(n)]) for n in SIZES}
        national = archive(out, "national", [])
        return run(kf, peers, runs, national_runs, singles, national, work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def versions(peers: list[str], kf: str) -> str:
    parts = [f"Python {platform.python_version()}", f"{os.cpu_count()} cores"]
    for tool in (kf, *peers):
        done = subprocess.run([tool, "--version"], capture_output=True, text=True)
        parts.append((done.stdout.strip().splitlines() or ["?"])[0])
    parts.append(f"hyperfine {'yes' if HYPERFINE else 'not installed'}")
    return ", ".join(parts)


def run(kf: str, peers: list[str], runs: int, national_runs: int, singles: dict[int, Path], national: Path, work: Path,
        args: argparse.Namespace) -> int:
    cache = work / "cache"
    env = {**os.environ, "KLYNGEFOND_CACHE_DIR": str(cache), "COLUMNS": "100", "KLYNGEFOND_LANG": "da"}
    env.pop("KLYNGEFOND_NO_CACHE", None)
    env.pop("KLYNGEFOND_DATA", None)
    counter = iter(range(10**9))

    def fresh_cache(_: int) -> None:
        env["KLYNGEFOND_CACHE_DIR"] = str(work / f"cold-{next(counter)}")

    def warm_cache(_: int) -> None:
        env["KLYNGEFOND_CACHE_DIR"] = str(cache)

    def peer(tool: str, journal: Path, *more: str, n: int = runs) -> Measured:
        return measure(f"{tool} {' '.join(more)}", [tool, "-f", str(journal), *more], n, env, warmup=n > 1)

    def peers_on(journal: Path, *more: str, n: int = runs) -> dict[str, Measured]:
        return {tool: peer(tool, journal, *more, n=n) for tool in peers}

    print(f"National benchmark of klyngefond, {time.strftime('%Y-%m-%d')}: {versions(peers, kf)}")
    print(f"archives: national {national_facts(national)}; single clusters of {', '.join(map(str, singles))} grants")
    print(f"load average before: {load()}")
    rows: list[Row] = []
    figures: dict[str, object] = {}

    # 1. The shipped data: status Sydvestjylland, cold and warm; start-up imports only the command run.
    status_tiny = [kf, "status", "Sydvestjylland"]
    cold = measure("status cold", status_tiny, runs, env, before=fresh_cache)
    warm_cache(0)
    warm = measure("status warm", status_tiny, runs, env, before=warm_cache)
    tiny = peers_on(TINY_JOURNAL, "bal") if TINY_JOURNAL.exists() else {}
    h = tiny.get("hledger")
    limit = 5 * h.wall if h else None
    rows.append(Row("status Sydvestjylland, cold", cold, h, tiny.get("ledger")))
    rows.append(Row("status Sydvestjylland, warm", warm, h, tiny.get("ledger"),
                    f"≤ 5× hledger ({seconds(limit)})" if limit else "≤ 5× hledger",
                    verdict(limit is not None and warm.wall <= limit)))
    imported = commands_imported(kf, env)
    rows.append(Row("status imports only its command", None, target="only cli.commands.status",
                    verdict=verdict(imported == ["klyngefond.cli.commands.status"]), note=", ".join(imported)))

    # 2. One 2,000-grant cluster: warm, after a one-file edit, --json.
    data2000 = work / "c2000"
    shutil.copytree(singles[2000] / "DATA", data2000)
    journal2000 = singles[2000] / "national.journal"
    status2000 = [kf, "status", "klynge-01", "--data", str(data2000)]
    warm_cache(0)
    s_warm = measure("status 2000 warm", status2000, runs, env)
    edited = data2000 / "klynge-01" / "grants" / "g-2010-0001.toml"
    original = edited.read_text("utf-8")

    def edit_one_file(i: int) -> None:  # a different name each time: the file changes, nothing else does
        warm_cache(i)
        edited.write_text(original.replace('name = "Indsats 2010-1"', f'name = "Indsats 2010-1 ({i + 2:02d})"'), "utf-8")

    s_edit = measure("status 2000 after edit", status2000, runs, env, before=edit_one_file)
    edited.write_text(original, "utf-8")
    s_json = measure("status 2000 --json", [*status2000, "--json"], runs, env)
    p2000 = peers_on(journal2000, "bal")
    h2000 = p2000.get("hledger")
    for label, m in (("status, 2,000-grant cluster, warm", s_warm), ("status, 2,000-grant cluster, one file edited", s_edit)):
        rows.append(Row(label, m, h2000, p2000.get("ledger"), "≤ hledger", verdict(h2000 is not None and m.wall <= h2000.wall)))
    rows.append(Row("status --json, 2,000-grant cluster", s_json, h2000, p2000.get("ledger")))

    # 3. allocate --record into the 2,000-grant cluster (a new grant each run).
    def name_for(i: int) -> str:
        return f"Benchmark indsats {i + 1:03d}"

    allocated: list[str] = []

    def next_grant(i: int) -> None:
        warm_cache(i)
        allocated.append(name_for(len(allocated)))
        allocate_cmd[allocate_cmd.index("--name") + 1] = allocated[-1]

    allocate_cmd = [kf, "allocate", "klynge-01", "--data", str(data2000), "--name", "", "--amount", "20000",
                    "--owner", "region-01", "--date", "2025-06-01", "--level", "politisk", "--record"]
    a = measure("allocate --record", allocate_cmd, runs, env, before=next_grant)
    rows.append(Row("allocate --record, 2,000-grant cluster", a, h2000, p2000.get("ledger"), "≤ 0.30 s",
                    verdict(a.wall <= 0.30)))

    # 4. invoices --issue: one grant's documents, then the documents of many grants, each from the same start.
    issued_dir = work / "issue"
    prepared = work / "c2000-prepared"
    shutil.copytree(data2000, prepared)
    grant_ids = sorted(p.stem for p in (prepared / "klynge-01" / "grants").glob("benchmark-indsats-*.toml"))

    def fresh_copy(_: int) -> None:
        warm_cache(0)
        shutil.rmtree(issued_dir, ignore_errors=True)
        shutil.copytree(prepared, issued_dir / "data")

    issue = [kf, "invoices", "klynge-01", "--data", str(issued_dir / "data"), "--issue", "--out", str(issued_dir / "docs")]
    fresh_copy(0)
    subprocess.run([kf, "status", "klynge-01", "--data", str(issued_dir / "data")], env=env, stdout=subprocess.DEVNULL)
    on_file = count_documents(prepared)
    one = measure("issue one grant", [*issue, "--grant", grant_ids[0]], max(3, runs // 2), env, before=fresh_copy)
    docs_one = count_documents(issued_dir / "data") - on_file
    many = measure("issue all grants", issue, max(3, runs // 2), env, before=fresh_copy)
    docs_many = count_documents(issued_dir / "data") - on_file
    per_doc = (many.wall - one.wall) / max(1, docs_many - docs_one)
    per_doc_m = Measured("per document", per_doc, (many.cpu - one.cpu) / max(1, docs_many - docs_one), many.peak_mb, many.runs)
    rows.append(Row(f"invoices --issue, first {docs_one} documents (one grant)", one))
    rows.append(Row(f"invoices --issue, per document after ({docs_many} in all)", per_doc_m, target="≤ 5 ms a document",
                    verdict=verdict(per_doc <= 0.005)))

    # 5. The national archive: clusters and check --all, warm and cold.
    data = national / "DATA"
    nat_journal = national / "national.journal"
    for command in ("clusters", "check"):
        cmd = [kf, command, "--data", str(data)] + (["--all"] if command == "check" else [])
        n_cold = measure(f"{command} cold", cmd, 1, env, before=fresh_cache, warmup=False)
        warm_cache(0)
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        n_warm = measure(f"{command} warm", cmd, national_runs, env, before=warm_cache, warmup=True)
        figures[f"{command}_cold"], figures[f"{command}_warm"] = n_cold.wall, n_warm.wall
        if command == "clusters":  # the peers once (minutes and gigabytes each), for both commands
            nat = {} if args.quick else {tool: peer(tool, nat_journal, "bal", "--depth", "2", n=1)
                                         for tool in peers if tool != "hledger" or not args.no_national_hledger}
        label = "clusters" if command == "clusters" else "check --all"
        l_nat = nat.get("ledger")
        rows.append(Row(f"{label}, national, warm", n_warm, nat.get("hledger"), l_nat, "≤ 0.50 s", verdict(n_warm.wall <= 0.5)))
        rows.append(Row(f"{label}, national, cold", n_cold, nat.get("hledger"), l_nat, "≤ ledger",
                        verdict(l_nat is not None and n_cold.wall <= l_nat.wall) if l_nat else "not measured"))

    # 6. Growth: one cluster at 500 … 4,000 grants, warm status and cold check, beside hledger.
    growth: list[tuple[int, Measured, Measured, Measured | None]] = []
    for n, folder in singles.items():
        warm_cache(0)
        s = measure(f"status {n}", [kf, "status", "klynge-01", "--data", str(folder / "DATA")], max(3, runs // 2), env)
        c = measure(f"check {n} cold", [kf, "check", "klynge-01", "--data", str(folder / "DATA")], max(3, runs // 2), env,
                    before=fresh_cache, warmup=False)
        g = peers_on(folder / "national.journal", "bal", n=max(3, runs // 2)).get("hledger")
        growth.append((n, s, c, g))
    peaks = [r.ours.peak_mb for r in rows if r.ours] + [m.peak_mb for _, s, c, _ in growth for m in (s, c)]
    worst = max(peaks)
    rows.append(Row("peak memory, every workload above", None, target="≤ 150 MiB", verdict=verdict(worst <= 150),
                    note=f"largest {worst:.0f} MB"))
    ratios = [(b[1].wall / a[1].wall, b[2].wall / a[2].wall) for a, b in zip(growth, growth[1:])]
    linear = all(r <= 2.6 for pair in ratios for r in pair)  # twice the records: at most a little over twice the time
    rows.append(Row("cost linear in the records (growth ×2 → time ×~2)", None, target="no quadratic piece",
                    verdict=verdict(linear), note="; ".join(f"{s:.2f}/{c:.2f}" for s, c in ratios)))

    print(f"load average after: {load()}\n")
    print(table(rows))
    notes = [f"  {r.workload}: {r.note}" for r in rows if r.note]
    if notes:
        print("\n".join(notes))
    print("\ngrowth (warm status, cold check, hledger bal on the same journal):")
    print(f"  {'grants':>6}  {'status':>9}  {'check cold':>10}  {'hledger':>9}  {'peak':>7}")
    for n, s, c, g in growth:
        print(f"  {n:>6}  {s.shown():>9}  {c.shown():>10}  {g.shown() if g else '—':>9}  {max(s.peak_mb, c.peak_mb):>5.0f} MB")
    for (n1, *_), (n2, s2, c2, g2), (rs, rc) in zip(growth, growth[1:], ratios):
        prev = dict((n, g) for n, _, _, g in growth)[n1]
        rg = f"{g2.wall / prev.wall:.2f}" if g2 and prev else "—"
        print(f"  {n1}→{n2}: status ×{rs:.2f}, check ×{rc:.2f}, hledger ×{rg}")
    print(f"\nload average at the end: {load()}")
    if args.json:
        args.json.write_text(json.dumps({"rows": [{"workload": r.workload, "ours": r.ours.__dict__ if r.ours else None,
                                                    "target": r.target, "verdict": r.verdict} for r in rows],
                                          "figures": figures}, indent=1, default=str) + "\n")
    return 0


def national_facts(national: Path) -> str:
    try:
        totals = json.loads((national / "manifest.json").read_text("utf-8"))["totals"]
    except (OSError, ValueError, KeyError):
        return "?"
    files = totals["grants"] + totals["changes"] + totals["invoices"] + totals["payments"]
    return (f"{totals['grants']:,} grants, {totals['invoices']:,} invoices, {totals['payments']:,} payments, "
            f"~{files // 1000:,},000 record files")


def count_documents(data: Path) -> int:
    return sum(1 for p in (data / "klynge-01" / "invoices").glob("*.toml"))


PROBE = """
import runpy, sys
sys.argv = ["klyngefond", "status", "Sydvestjylland"]
try:
    runpy.run_module("klyngefond", run_name="__main__")
except SystemExit:
    pass
with open(PATH, "w") as handle:
    handle.write("\\n".join(sorted(sys.modules)))
"""


def commands_imported(kf: str, env: dict[str, str]) -> list[str]:
    """The command modules (``klyngefond.cli.commands.*``) a run of ``status`` has imported when it ends."""
    python = Path(kf).with_name("python")
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as listing:
        subprocess.run([str(python if python.exists() else sys.executable), "-c",
                        PROBE.replace("PATH", repr(listing.name))], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        names = listing.read().split()
    return sorted(n for n in names if n.startswith("klyngefond.cli.commands."))


if __name__ == "__main__":
    sys.exit(main())
