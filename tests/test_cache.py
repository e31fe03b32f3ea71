"""The validated-ledger cache: right answers after edits, and no heavy imports on a warm start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from klyngefond.storage.cache import load_ledger_cached

PROBE = """
import runpy, sys
sys.argv = ["klyngefond", "status", "Sydvestjylland", "--data", sys.argv[1]]
try:
    runpy.run_module("klyngefond", run_name="__main__")
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"pydantic", "lxml", "fpdf", "pypdf", "openpyxl", "stdnum"})
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


def heavy_modules(data: Path, cache: Path) -> list[str]:
    env = {**os.environ, "KLYNGEFOND_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(data)], capture_output=True, text=True, env=env)
    line = next(line for line in done.stderr.splitlines() if line.startswith("HEAVY:"))
    return [m for m in line[6:].split(",") if m]


def test_warm_status_imports_no_validation_pdf_or_xml_library(data_copy: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    assert "pydantic" in heavy_modules(data_copy, cache)  # the first run validates
    assert heavy_modules(data_copy, cache) == []  # later runs read the cache


def test_an_edit_invalidates_the_cache(data_copy: Path):
    folder = data_copy / "sydvestjylland"
    first, problems = load_ledger_cached(folder)
    assert not problems and first is not None
    again, _ = load_ledger_cached(folder)
    assert again == first
    cluster_file = folder / "cluster.toml"
    cluster_file.write_text(cluster_file.read_text(encoding="utf-8").replace("received = 46678", "received = 46679"),
                            encoding="utf-8")
    edited, problems = load_ledger_cached(folder)
    assert not problems
    fanoe = next(a for a in edited.cluster.allocations if a.partner == "fanoe")
    assert str(fanoe.received) == "46679.00"


def test_a_new_grant_file_invalidates_the_cache(data_copy: Path):
    folder = data_copy / "sydvestjylland"
    before, _ = load_ledger_cached(folder)
    (folder / "grants" / "ny.toml").write_text(
        'id = "ny"\nname = "Ny"\ngranted = 1000\n[financing]\nmodel = "solidarity"\n', encoding="utf-8")
    after, problems = load_ledger_cached(folder)
    assert not problems
    assert len(after.grants) == len(before.grants) + 1


def test_problems_are_not_hidden_by_the_cache(data_copy: Path):
    folder = data_copy / "sydvestjylland"
    load_ledger_cached(folder)
    (folder / "grants" / "broken.toml").write_text("id = 'broken\n", encoding="utf-8")
    _, problems = load_ledger_cached(folder)
    assert any("broken.toml" in str(p) for p in problems)
    _, problems_again = load_ledger_cached(folder)
    assert problems_again == problems
