"""Applications: applied vs granted vs difference, per grant and in total."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from klyngefond.cli.app import app

runner = CliRunner()

SLAGELSE_2023 = {
    # seed 000, "Indsatser og økonomisk tildeling": applied -> granted
    "72-timers-behandlingsansvar": ("500000.00", "500000.00", "0.00"),
    "medicinudlevering-til-3-dage": ("300000.00", "300000.00", "0.00"),
    "faelles-faglig-kvalitetsorganisation": ("950000.00", "750000.00", "-200000.00"),
    "vip-borgere": ("925000.00", "900000.00", "-25000.00"),
    "tidlig-og-koordineret-palliativ-indsats": ("850000.00", "750000.00", "-100000.00"),
}


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def ok(*args: object) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_slagelse_2023_applied_granted_difference_from_the_shipped_data():
    report = ok("applications", "Slagelse Klyngen", "--year", "2023")
    assert {g["id"]: (g["applied"], g["granted"], g["difference"]) for g in report["grants"]} == SLAGELSE_2023
    totals = report["totals"]
    assert (totals["applied"], totals["granted"], totals["difference"]) == ("3525000.00", "3200000.00", "-325000.00")
    assert report["without_applied"] == []


def test_the_table_in_danish_and_english():
    danish = run("applications", "Næstved/Slagelse")
    for text in ("Ansøgt", "Tildelt", "Difference", "3.525.000,00", "3.200.000,00", "-325.000,00", "VIP Borgere"):
        assert text in danish.stdout, text
    english = run("applications", "naestved-slagelse", "--lang", "en")
    for text in ("Applied", "Granted", "3,525,000.00", "-325,000.00"):
        assert text in english.stdout, text


def test_same_figures_from_a_fixture_cluster(tmp_path: Path):
    """The seed's figures in a cluster of their own, independent of the shipped data's other content."""
    root = tmp_path / "data" / "slagelse"
    (root / "grants").mkdir(parents=True)
    (root / "cluster.toml").write_text(
        'id = "slagelse"\nname = "Slagelse Klyngen"\nregion = "Region Sjælland"\n'
        '[[partners]]\nid = "region-sjaelland"\nname = "Region Sjælland"\nkind = "region"\n', "utf-8")
    for grant_id, (applied, granted, _) in SLAGELSE_2023.items():
        (root / "grants" / f"{grant_id}.toml").write_text(
            f'id = "{grant_id}"\nname = "{grant_id}"\nyear = 2023\napplied = "{applied}"\ngranted = "{granted}"\n'
            '[financing]\nmodel = "unknown"\n', "utf-8")
    totals = ok("applications", "slagelse", "--data", tmp_path / "data")["totals"]
    assert (totals["applied"], totals["granted"], totals["difference"]) == ("3525000.00", "3200000.00", "-325000.00")


def test_later_changes_show_as_now_but_do_not_change_the_decision(data_copy: Path):
    ok("withdraw", "Slagelse Klyngen", "72-timers", "--data", data_copy, "--record", "--date", "2023-11-01",
       "--level", "politisk")
    report = ok("applications", "Slagelse Klyngen", "--data", data_copy)
    assert report["totals"]["granted"] == "3200000.00" and report["totals"]["difference"] == "-325000.00"
    assert report["totals"]["current"] == "2700000.00"
    assert {g["id"]: g["current"] for g in report["grants"]}["72-timers-behandlingsansvar"] == "0.00"
    assert "Nu" in run("applications", "Slagelse Klyngen", "--data", data_copy).stdout


def test_grants_without_an_applied_amount_are_named(data_copy: Path):
    report = ok("applications", "Sydvestjylland")
    assert report["without_applied"] == ["akutomraadet", "kom-trygt-hjem"]
    assert report["totals"]["applied"] == "0.00" and report["totals"]["granted"] == "3818843.00"
    table = run("applications", "Sydvestjylland")
    assert "uden ansøgt beløb" in table.stdout


def test_year_filter(data_copy: Path):
    assert ok("applications", "Slagelse Klyngen", "--year", "2022")["grants"] == []
    shutil.rmtree(data_copy / "naestved-slagelse" / "grants")
    assert ok("applications", "Slagelse Klyngen", "--data", data_copy)["totals"]["granted"] == "0.00"
