"""`klyngefond status` and `clusters` end to end, as a user types them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klyngefond.cli.app import app

from conftest import REPO

runner = CliRunner()

MINUTES_TABLE = {
    # partner: (allocation, disbursed, remaining) exactly; Vejen differs from the printed ,55/,45 by one øre
    "esbjerg": ("1572656.00", "655288.18", "917367.82"),
    "fanoe": ("46678.00", "40347.25", "6330.75"),
    "vejen": ("580196.00", "425817.54", "154378.46"),
    "billund": ("362738.00", "267524.83", "95213.17"),
    "varde": ("676468.00", "493772.20", "182695.80"),
    "region-syddanmark": ("3308814.00", "1936093.00", "1372721.00"),
}


def run(*args: str):
    return runner.invoke(app, list(args))


def status_json(*args: str) -> dict:
    result = run("status", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_sydvestjylland_reproduces_the_minutes_to_the_ore():
    report = status_json("Sydvestjylland")
    assert report["totals"] == {"allocated": "6547550.00", "disbursed": "3818843.00", "remaining": "2728707.00", "unsplit": "0.00"}
    rows = {p["id"]: (p["allocated"], p["disbursed"], p["remaining"]) for p in report["partners"]}
    assert rows == MINUTES_TABLE
    grants = {g["id"]: g for g in report["grants"]}
    assert grants["kom-trygt-hjem"]["granted"] == "1874400.00"
    assert grants["kom-trygt-hjem"]["shares"]["region-syddanmark"] == "581400.00"
    assert grants["kom-trygt-hjem"]["shares"]["esbjerg"] == "627851.18"
    assert grants["akutomraadet"]["shares"]["esbjerg"] == "27437.00"
    assert sum(float(v) for v in grants["akutomraadet"]["shares"].values()) == pytest.approx(1944443.00)


def test_status_names_the_printed_cell_that_differs_and_by_how_much():
    report = status_json("Sydvestjylland")
    differs = [d for d in report["discrepancies"] if d["kind"] == "differs"]
    vejen_share = next(d for d in differs if d["measure"] == "share")
    assert (vejen_share["partner"], vejen_share["grant"]) == ("vejen", "kom-trygt-hjem")
    assert (vejen_share["printed"], vejen_share["computed"], vejen_share["difference"]) == ("231631.55", "231631.54", "0.01")
    assert {(d["measure"], d["partner"]) for d in differs} == {("share", "vejen"), ("disbursed", "vejen"), ("remaining", "vejen")}
    assert any("231.631,55 kr." in note and "231.631,54 kr." in note for note in report["notes"])
    sums = {d["measure"]: d["computed"] for d in report["discrepancies"] if d["kind"] == "parts_do_not_add_up"}
    assert sums["granted"] == "1874400.01"  # the printed Kom Trygt Hjem cells add up to one øre more than the grant


def test_status_table_is_danish_by_default_and_english_on_request():
    danish = run("status", "Sydvestjylland")
    assert danish.exit_code == 0
    for text in ("Klyngemidler", "Udmøntet", "Resterende", "6.547.550,00", "3.818.843,00", "2.728.707,00", "231.631,54"):
        assert text in danish.stdout
    english = run("status", "Sydvestjylland", "--lang", "en")
    for text in ("Allocated", "Disbursed", "Remaining", "6,547,550.00"):
        assert text in english.stdout


@pytest.mark.parametrize("name", ["Sydvestjylland", "sydvestjylland", "sundhedsklynge sydvestjylland", "SYDVESTJYLLAND"])
def test_cluster_names_are_matched_forgivingly(name):
    assert status_json(name)["cluster"]["id"] == "sydvestjylland"


@pytest.mark.parametrize("name", ["Nykøbing Falster", "nykobing-falster", "nykoebing falster", "Nykøbing F."])
def test_nykobing_falster_spellings(name):
    assert status_json(name)["cluster"]["id"] == "nykoebing-falster"


def test_unknown_cluster_lists_the_known_ones_and_the_closest():
    result = run("status", "Sydvestjyland")
    assert result.exit_code == 1
    assert "unknown cluster 'Sydvestjyland'" in result.stderr
    assert "did you mean 'Sundhedsklynge Sydvestjylland'" in result.stderr
    assert "nykoebing-falster" in result.stderr


def test_year_view_only_counts_that_year():
    report = status_json("nykoebing-falster", "--year", "2022")
    assert report["year"] == 2022
    assert report["totals"]["allocated"] == "2057926.00"
    assert report["totals"]["disbursed"] == "0.00"


def test_nykobing_falster_reports_the_ministry_table_and_stated_total_disagree():
    report = status_json("Nykøbing Falster")
    assert report["totals"]["unsplit"] == "802500.00"
    kinds = {(d["kind"], d["measure"]): d for d in report["discrepancies"]}
    assert kinds[("received_vs_announced", "received")]["difference"] == "-55964.00"
    assert kinds[("differs", "announced")]["difference"] == "1.00"  # 2.059.347 printed, parts give 2.059.346


def test_clusters_lists_every_cluster_with_totals():
    result = run("clusters", "--json")
    assert result.exit_code == 0
    clusters = {c["id"]: c for c in json.loads(result.stdout)["clusters"]}
    assert set(clusters) >= {"sydvestjylland", "nykoebing-falster", "naestved-slagelse", "holbaek", "roskilde-koege"}
    assert clusters["sydvestjylland"]["remaining"] == "2728707.00"
    table = run("clusters")
    assert "Sundhedsklynge Sydvestjylland" in table.stdout and "6.547.550,00" in table.stdout


def test_data_option_and_variable_point_elsewhere(data_copy: Path, monkeypatch: pytest.MonkeyPatch):
    (data_copy / "sydvestjylland").rename(data_copy / "kopi")
    assert status_json("kopi", "--data", str(data_copy))["cluster"]["id"] == "sydvestjylland"
    monkeypatch.setenv("KLYNGEFOND_DATA", str(data_copy))
    assert status_json("kopi")["cluster"]["id"] == "sydvestjylland"


def test_missing_data_folder_says_where_it_looked(tmp_path: Path):
    result = run("status", "Sydvestjylland", "--data", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "no data folder found" in result.stderr and str(tmp_path / "nowhere") in result.stderr


@pytest.mark.parametrize("args", [["status"], ["status", "Sydvestjylland", "--lang", "fr"], ["status", "Sydvestjylland", "--year", "x"]])
def test_usage_errors_exit_with_2(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_console_script_and_module_both_run_status():
    env = {**os.environ, "KLYNGEFOND_DATA": str(REPO / "data")}
    script = Path(sys.executable).with_name("klyngefond")
    for command in ([str(script)], [sys.executable, "-m", "klyngefond"]):
        done = subprocess.run([*command, "status", "Sydvestjylland", "--json"], capture_output=True, text=True, env=env, cwd="/")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["totals"]["remaining"] == "2728707.00"


def test_fresh_clone_layout_finds_shipped_data_from_another_folder(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "KLYNGEFOND_DATA"}
    done = subprocess.run([sys.executable, "-m", "klyngefond", "status", "Sydvestjylland"], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2.728.707,00" in done.stdout
