"""Recording is safe: simultaneous runs both land, a killed run leaves the whole file or nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from klyngefond.storage.loader import load_ledger

from conftest import REPO

BASE = ["allocate", "sydvestjylland", "--owner", "vejen", "--record", "--date", "2024-05-01", "--level", "politisk"]


def command(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "klyngefond", *BASE, "--data", str(data), *args]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}


def new_grant_files(data: Path) -> list[Path]:
    return sorted(p for p in (data / "sydvestjylland" / "grants").iterdir()
                  if p.name not in ("akutomraadet.toml", "kom-trygt-hjem.toml"))


def assert_ledger_whole(data: Path) -> None:
    ledger, problems = load_ledger(data / "sydvestjylland")
    assert problems == [] and ledger is not None
    for path in new_grant_files(data):
        if path.name.startswith("."):
            continue  # an interrupted write's temporary file: the loader skips it
        assert path.suffix == ".toml"
        document = tomllib.loads(path.read_text("utf-8"))  # complete, or it would not parse
        assert document["granted"] == "1000.00" and ledger.grant(document["id"]) is not None


def test_two_runs_started_at_the_same_moment_both_land_with_distinct_ids(data_copy: Path):
    start_at = time.time() + 1.0
    # Each process sleeps until the same instant, then runs the command: a real race.
    wrapper = ("import sys, time; time.sleep(max(0, float(sys.argv[1]) - time.time())); "
               "sys.argv = ['klyngefond'] + sys.argv[2:]; from klyngefond.cli.app import main; main()")
    procs = [
        subprocess.Popen([sys.executable, "-c", wrapper, str(start_at), *BASE, "--data", str(data_copy),
                          "--name", "Samtidig indsats", "--amount", "1000", "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
        for _ in range(4)
    ]
    results = [(p.wait(timeout=60), p.stdout.read(), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _, _ in results), results
    ids = [json.loads(out)["id"] for _, out, _ in results]
    assert len(set(ids)) == 4
    assert set(ids) == {"samtidig-indsats", "samtidig-indsats-2", "samtidig-indsats-3", "samtidig-indsats-4"}
    assert_ledger_whole(data_copy)
    ledger, _ = load_ledger(data_copy / "sydvestjylland")
    assert len(ledger.grants) == 6
    status = subprocess.run([sys.executable, "-m", "klyngefond", "status", "sydvestjylland", "--data", str(data_copy),
                             "--json"], capture_output=True, text=True, env=env())
    assert status.returncode == 0
    assert json.loads(status.stdout)["totals"]["disbursed"] == "3822843.00"


def test_simultaneous_runs_are_checked_against_each_other(data_copy: Path):
    """Each fits alone, both together would leave Fanø short: exactly one is recorded."""
    start_at = time.time() + 1.0
    wrapper = ("import sys, time; time.sleep(max(0, float(sys.argv[1]) - time.time())); "
               "sys.argv = ['klyngefond'] + sys.argv[2:]; from klyngefond.cli.app import main; main()")
    procs = [
        subprocess.Popen([sys.executable, "-c", wrapper, str(start_at), *BASE, "--data", str(data_copy),
                          "--name", f"Halv million {i}", "--amount", "500000", "--model", "solidarity"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
        for i in range(2)
    ]
    codes = sorted(p.wait(timeout=60) for p in procs)
    assert codes == [0, 1]
    assert len(new_grant_files(data_copy)) == 1
    ledger, problems = load_ledger(data_copy / "sydvestjylland")
    assert problems == [] and len(ledger.grants) == 3


# Where the write is cut: each hook runs the real step (or not) and then kills the process
# with SIGKILL, which no cleanup code can intercept.
KILL_POINTS = {
    "half-written": """
import os, signal
real_fdopen = os.fdopen
class Half:
    def __init__(self, handle): self.handle = handle
    def __enter__(self): return self
    def __exit__(self, *exc): return False
    def write(self, data):
        self.handle.write(data[: len(data) // 2]); self.handle.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    def __getattr__(self, name): return getattr(self.handle, name)
os.fdopen = lambda fd, *a, **k: Half(real_fdopen(fd, *a, **k))
""",
    "before-fsync": """
import os, signal
os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
""",
    "before-link": """
import os, signal
os.link = lambda src, dst, **k: os.kill(os.getpid(), signal.SIGKILL)
""",
    "after-link": """
import os, signal
real_link = os.link
def link(src, dst, **k):
    real_link(src, dst, **k)
    os.kill(os.getpid(), signal.SIGKILL)
os.link = link
""",
    "before-directory-fsync": """
import os, signal, stat
real_fsync = os.fsync
def fsync(fd):
    if stat.S_ISDIR(os.fstat(fd).st_mode):
        os.kill(os.getpid(), signal.SIGKILL)
    real_fsync(fd)
os.fsync = fsync
""",
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_run_killed_while_writing_leaves_the_whole_file_or_nothing(point: str, data_copy: Path):
    script = KILL_POINTS[point] + (
        "\nimport sys\nsys.argv = ['klyngefond'] + sys.argv[1:]\n"
        "from klyngefond.cli.app import main\nmain()\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *BASE, "--data", str(data_copy),
                             "--name", "Afbrudt", "--amount", "1000"],
                            capture_output=True, text=True, env=env(), timeout=60)
    assert result.returncode == -signal.SIGKILL, result.stderr
    visible = [p for p in new_grant_files(data_copy) if not p.name.startswith(".")]
    if point in ("after-link", "before-directory-fsync"):
        assert [p.name for p in visible] == ["afbrudt.toml"]  # complete and named
    else:
        assert visible == []  # nothing under a real name
    assert_ledger_whole(data_copy)
    # A later run is not disturbed by what the killed one left behind.
    again = subprocess.run(command(data_copy, "--name", "Afbrudt", "--amount", "1000"),
                           capture_output=True, text=True, env=env(), timeout=60)
    assert again.returncode == 0, again.stderr
    assert_ledger_whole(data_copy)


def test_runs_killed_at_random_moments_never_leave_a_broken_ledger(data_copy: Path):
    for delay in (0.05, 0.15, 0.25, 0.35, 0.45, 0.6, 0.8):
        proc = subprocess.Popen(command(data_copy, "--name", "Tilfældigt afbrudt", "--amount", "1000"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert_ledger_whole(data_copy)
