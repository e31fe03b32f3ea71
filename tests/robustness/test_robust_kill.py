"""``kill -9`` at random moments of ``invoices --issue``, ``allocate --record`` and ``pay``, then check, repair, reload.

A SIGKILL cannot be caught: whatever the command had not finished stays unfinished. After
each kill the ledger must still load (no half-written or unparseable file: every write is
atomic), ``check`` may report only what ``repair`` completes (invoices without documents,
stray temporary files), ``repair`` must leave nothing to report, and issuing again must
bring the invoicing to exactly the split: no number twice, no invoice twice.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from robust_helpers import fresh_copy, program

from klyngefond.core.problems import errors
from klyngefond.storage.loader import load_ledger

pytestmark = pytest.mark.slow

ISSUE = ["invoices", "Vesterhavet", "--issue", "--date", "2024-01-15"]
RECORD = ["allocate", "Vesterhavet", "--name", "Ny indsats", "--amount", "1000", "--owner", "region-vest", "--date", "2023-05-01",
          "--level", "politisk", "--record", "--year", "2023"]
PAY = ["pay", "HAV-2024-0001", "--date", "2024-02-01"]
SPLIT_TOTAL = Decimal("1002336.85")  # what the fixture's grants call for, over all invoices (tests/test_invoices.py)
ROUNDS = 12


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("KLYNGEFOND_")} | {"PYTHONIOENCODING": "utf-8"}


def _kill_at_random(args: list[str], data: Path, work: Path, delay: float) -> int:
    process = subprocess.Popen([*program(), *args, "--data", str(data)], cwd=work, env=_environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    return process.wait(timeout=60)


def _runtime(args: list[str], work: Path) -> float:
    data = fresh_copy(work / "timing" / "data")
    start = time.monotonic()
    subprocess.run([*program(), *args, "--data", str(data)], cwd=work / "timing", env=_environment(), capture_output=True,
                   timeout=60, check=True)
    return time.monotonic() - start


def _age_strays(folder: Path) -> None:
    """Let a minute pass for the temporary files the kill left (repair leaves younger ones alone)."""
    for root, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".tmp"):
                past = time.time() - 120
                os.utime(Path(root) / name, (past, past))


def _after_the_kill(cli, data: Path, work: Path) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The checks after every kill: loads, check reports only what repair completes, repair leaves nothing."""
    ledger, problems = load_ledger(data / "vesterhavet")
    assert ledger is not None and errors(problems) == [], problems  # no unparseable or half-written file
    before = json.loads(cli("check", "Vesterhavet", "--data", str(data), "--json").out)
    codes = Counter(f["code"] for c in before["clusters"] for f in c["findings"])
    assert before["errors"] == 0, before
    assert set(codes) <= {"documents", "temporary"}, codes
    _age_strays(data)
    _age_strays(work / "fakturaer")
    repaired = cli("repair", "Vesterhavet", "--data", str(data))
    assert repaired.code == 0, repaired.text
    after = json.loads(cli("check", "Vesterhavet", "--data", str(data), "--json").out)
    assert after["errors"] == 0 and after["warnings"] == 0, after
    assert cli("status", "Vesterhavet", "--data", str(data)).code == 0
    return dict(codes)


def _invoices(data: Path) -> list[dict]:  # type: ignore[type-arg]
    folder = data / "vesterhavet" / "invoices"
    return [tomllib.loads(p.read_text("utf-8")) for p in sorted(folder.glob("[!.]*.toml"))] if folder.is_dir() else []


def test_kill_issuing_at_random_points(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random("kill-issue")
    runtime = _runtime(ISSUE, tmp_path)
    seen: Counter[str] = Counter()
    for attempt in range(ROUNDS):
        work = tmp_path / f"run-{attempt}"
        data = fresh_copy(work / "data")
        monkeypatch.chdir(work)
        _kill_at_random(ISSUE, data, work, rng.uniform(0.05, runtime * 1.1))
        half = len(_invoices(data))
        seen.update(_after_the_kill(cli, data, work))
        # Every invoice on file has both documents now; issuing again completes the rest, once.
        again = cli(*ISSUE, "--data", str(data))
        assert again.code == 0, again.text
        invoices = _invoices(data)
        numbers = [i["number"] for i in invoices]
        assert len(numbers) == len(set(numbers)) == 9 and half <= 9
        assert Counter((i["grant"], i["recipient"]) for i in invoices).most_common(1)[0][1] == 1  # no invoice twice
        assert sum(Decimal(i["amount"]) for i in invoices) == SPLIT_TOTAL
        assert all((work / "fakturaer" / "vesterhavet" / f"{n}{s}").is_file() for n in numbers for s in (".pdf", ".xml"))
    # Not a promise, but worth knowing when the timings drift: did any kill land between records and documents?
    print("findings after the kills:", dict(seen))


def test_kill_recording_at_random_points(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random("kill-record")
    runtime = _runtime(RECORD, tmp_path)
    for attempt in range(ROUNDS):
        work = tmp_path / f"run-{attempt}"
        data = fresh_copy(work / "data")
        monkeypatch.chdir(work)
        _kill_at_random(RECORD, data, work, rng.uniform(0.05, runtime * 1.1))
        _after_the_kill(cli, data, work)
        grants = sorted(p.name for p in (data / "vesterhavet" / "grants").glob("[!.]*.toml"))
        assert grants.count("ny-indsats.toml") <= 1 and not any(g.startswith("ny-indsats-") for g in grants)
        again = cli(*RECORD, "--data", str(data))
        # Recorded by the killed run (the same decision twice is refused, naming its file) or recorded now.
        assert again.code in (0, 1), again.text
        assert again.code == 0 or "grants/ny-indsats.toml" in again.err
        assert (data / "vesterhavet" / "grants" / "ny-indsats.toml").is_file()


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("issued")
    data = fresh_copy(work / "data")
    subprocess.run([*program(), *ISSUE, "--data", str(data)], cwd=work, env=_environment(), capture_output=True, check=True,
                   timeout=120)
    return work


def test_kill_paying_at_random_points(cli, issued: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    rng = random.Random("kill-pay")
    for attempt in range(ROUNDS):
        work = tmp_path / f"run-{attempt}"
        shutil.copytree(issued, work)
        data = work / "data"
        monkeypatch.chdir(work)
        if attempt == 0:
            start = time.monotonic()
            subprocess.run([*program(), *PAY, "--data", str(data)], cwd=work, env=_environment(), capture_output=True, timeout=60)
            runtime = time.monotonic() - start
            shutil.rmtree(data / "vesterhavet" / "payments")
        _kill_at_random(PAY, data, work, rng.uniform(0.05, runtime * 1.1))
        _after_the_kill(cli, data, work)
        payments = list((data / "vesterhavet" / "payments").glob("[!.]*.toml")) if (data / "vesterhavet" / "payments").is_dir() else []
        assert len(payments) <= 1
        again = cli(*PAY, "--data", str(data))
        assert again.code == 0 or (again.code == 1 and "betaling-2024-02-01.toml" in again.err), again.text
        payments = list((data / "vesterhavet" / "payments").glob("[!.]*.toml"))
        assert len(payments) == 1  # paid once, whether by the killed run or now
