"""`klyngefond log`: every decision and change in date order, with who decided."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from klyngefond.cli.app import app

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def ok(*args: object) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_shipped_log_of_nykoebing_falster():
    entries = ok("log", "Nykøbing Falster")["entries"]
    assert [(e["date"], e["kind"], e["level"]) for e in entries] == [
        ("2023-05-25", "grant", "politisk"),
        ("2023-09-08", "carry-over", "fagligt strategisk"),
    ]
    assert entries[0]["body"] == "Den politiske klynge" and entries[0]["amount"] == "802500.00"
    assert entries[1]["amount"] == "3314772.00" and (entries[1]["from_year"], entries[1]["to_year"]) == ("2022-2023", 2024)


def test_every_decision_and_change_in_date_order_with_who_decided(data_copy: Path):
    data = ["--data", data_copy]
    ok("allocate", "Sydvestjylland", "--name", "Tidlig opsporing", "--amount", "200000", "--owner", "varde", *data,
       "--record", "--date", "2024-03-01", "--level", "politisk", "--body", "Politisk niveau")
    ok("topup", "Sydvestjylland", "tidlig-opsporing", "50000", *data, "--record", "--date", "2024-09-01",
       "--level", "fagligt strategisk", "--reason", "Udvidet til Fanø")
    ok("transfer", "Sydvestjylland", "akutomraadet", "tidlig-opsporing", "25000", *data, "--record",
       "--date", "2024-06-01", "--level", "politisk")
    ok("withdraw", "Sydvestjylland", "kom-trygt-hjem", *data, "--record", "--date", "2024-12-01", "--level", "politisk")
    ok("carryover", "Sydvestjylland", "--from", "2022-2023", "--to", "2024", *data, "--record",
       "--date", "2023-11-20", "--level", "politisk")
    entries = ok("log", "Sydvestjylland", *data)["entries"]
    dated = [(e["date"], e["kind"], e["grant"], e["amount"], e["after"], e["level"]) for e in entries if e["date"]]
    assert dated == [
        ("2023-11-20", "carry-over", None, "2728707.00", None, "politisk"),
        ("2024-03-01", "grant", "tidlig-opsporing", "200000.00", "200000.00", "politisk"),
        ("2024-06-01", "transfer", "akutomraadet", "25000.00", "1919443.00", "politisk"),
        ("2024-09-01", "top-up", "tidlig-opsporing", "50000.00", "275000.00", "fagligt strategisk"),
        ("2024-12-01", "withdrawal", "kom-trygt-hjem", "1874400.00", "0.00", "politisk"),
    ]
    transfer = next(e for e in entries if e["kind"] == "transfer")
    assert (transfer["to_grant"], transfer["to_after"]) == ("tidlig-opsporing", "225000.00")
    undated = [e["grant"] for e in entries if e["date"] is None]
    assert undated == ["akutomraadet", "kom-trygt-hjem"]  # the minutes give no decision dates: listed last
    assert all(e["file"] for e in entries)
    table = run("log", "Sydvestjylland", *data)
    for text in ("Dato", "Besluttet af", "01-03-2024", "politisk — Politisk niveau", "Tillægsbevilling: Udvidet til Fanø",
                 "Overført til Tidlig opsporing", "Tilbagetrukket", "uden dato", "Overførsel 2022-2023 → 2024"):
        assert text in table.stdout, text
    english = run("log", "Sydvestjylland", *data, "--lang", "en")
    assert "Supplementary grant" in english.stdout and "Decided by" in english.stdout


def test_an_override_is_visible_in_the_log(data_copy: Path):
    ok("allocate", "Sydvestjylland", "--name", "For stor", "--amount", "1000000", "--owner", "esbjerg",
       "--data", data_copy, "--record", "--date", "2024-03-01", "--level", "politisk",
       "--override-shortfall", "Fanø dækker selv")
    entry = next(e for e in ok("log", "Sydvestjylland", "--data", data_copy)["entries"] if e["grant"] == "for-stor")
    assert entry["override_shortfall"] == "Fanø dækker selv"
