"""`klyngefond allocate`: proposals, affordability, recording, and every kind of typo, end to end."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klyngefond.cli.app import app
from klyngefond.storage.loader import load_ledger

runner = CliRunner()

NEW = ["--name", "Tidlig opsporing", "--owner", "esbjerg"]
DECIDED = ["--date", "2024-05-01", "--level", "politisk"]


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


def proposal(*args: str) -> dict:
    result = run("allocate", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def grant_files(data: Path, cluster: str = "sydvestjylland") -> list[str]:
    return sorted(p.name for p in (data / cluster / "grants").iterdir())


# --- the reference scenario ---------------------------------------------------------------

def test_reference_scenario_fanoe_is_short_and_max_affordable_is_about_888018():
    """Sydvestjylland after its two grants, 1.000.000 kr. under the solidarity model."""
    report = proposal("Sydvestjylland", *NEW, "--amount", "1000000", "--model", "solidarity")
    assert set(report) >= {"cluster", "name", "amount", "model", "owner", "shares", "shortfalls",
                           "max_affordable", "recorded"}
    assert (report["cluster"], report["amount"], report["model"], report["owner"], report["recorded"]) == (
        "sydvestjylland", "1000000.00", "solidarity", "esbjerg", False)
    shares = {s["partner"]: s for s in report["shares"]}
    assert sum(Decimal(s["share"]) for s in shares.values()) == Decimal("1000000.00")
    fanoe = shares["fanoe"]
    assert fanoe["remaining_before"] == "6330.75"
    assert Decimal(fanoe["share"]) == Decimal("7129.08")  # 1.000.000 × 46.678 / 6.547.550
    assert fanoe["remaining_after"] == "-798.33"
    assert report["shortfalls"] == [{"partner": "fanoe", "missing": "798.33"}]
    assert abs(Decimal(report["shortfalls"][0]["missing"]) - 798) < 1
    assert abs(Decimal(report["max_affordable"]) - 888018) < 1
    assert report["max_affordable"] == "888018.87"
    for s in shares.values():
        assert Decimal(s["remaining_after"]) == Decimal(s["remaining_before"]) - Decimal(s["share"])


def test_max_affordable_is_exact_in_the_oere():
    best = Decimal(proposal("Sydvestjylland", *NEW, "--amount", "1000000")["max_affordable"])
    at_best = proposal("Sydvestjylland", *NEW, "--amount", str(best))
    assert at_best["shortfalls"] == []
    above = proposal("Sydvestjylland", *NEW, "--amount", str(best + Decimal("0.01")))
    assert [s["partner"] for s in above["shortfalls"]] == ["fanoe"]


def test_the_default_model_is_the_clusters():
    assert proposal("Sydvestjylland", *NEW, "--amount", "100000")["model"] == "solidarity"


def test_danish_table_shows_shares_shortfall_and_max():
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1.000.000")
    assert result.exit_code == 0
    for text in ("Andel", "Resterende før", "Resterende efter", "Fanø Kommune", "7.129,08", "-798,33",
                 "mangler 798,33 kr.", "888.018,87 kr.", "intet er gemt"):
        assert text in result.stdout, text
    english = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000000", "--lang", "en")
    for text in ("Share", "Remaining before", "is short by DKK 798.33", "DKK 888,018.87", "nothing was saved"):
        assert text in english.stdout, text


@pytest.mark.parametrize("owner", ["esbjerg", "Esbjerg", "Esbjerg Kommune", "ESBJERG KOMMUNE"])
def test_owner_by_id_or_name(owner):
    assert proposal("Sydvestjylland", "--name", "X", "--amount", "1000", "--owner", owner)["owner"] == "esbjerg"


def test_owner_by_danish_name_spelled_without_oe():
    assert proposal("Sydvestjylland", "--name", "X", "--amount", "1000", "--owner", "Fano")["owner"] == "fanoe"


# --- other models ---------------------------------------------------------------------------

def test_participants_model_only_participants_pay():
    report = proposal("Sydvestjylland", "--name", "X", "--amount", "10000", "--owner", "vejen",
                      "--model", "participants", "--participants", "vejen,varde")
    paying = {s["partner"]: s["share"] for s in report["shares"] if s["share"] != "0.00"}
    assert set(paying) == {"vejen", "varde"}
    assert sum(Decimal(v) for v in paying.values()) == Decimal("10000.00")


def test_participants_must_include_the_owner():
    result = run("allocate", "Sydvestjylland", "--name", "X", "--amount", "10000", "--owner", "esbjerg",
                 "--model", "participants", "--participants", "vejen")
    assert result.exit_code == 2
    assert "not among the participants" in result.stderr


def test_fixed_plus_pro_rata_reproduces_kom_trygt_hjem_on_a_fresh_ledger(tmp_path: Path):
    """The Kom Trygt Hjem split from the minutes, proposed as a new grant."""
    report = proposal("Sydvestjylland", "--name", "KTH igen", "--amount", "1874400", "--owner", "region-syddanmark",
                      "--model", "fixed-plus-pro-rata", "--fixed", "region-syddanmark=581.400",
                      "--rest-among", "esbjerg,fanoe,vejen,billund,varde")
    shares = {s["partner"]: s["share"] for s in report["shares"]}
    assert shares["region-syddanmark"] == "581400.00"
    assert shares["esbjerg"] == "627851.18"
    assert sum(Decimal(v) for v in shares.values()) == Decimal("1874400.00")
    # The municipalities have spent most of their funds already; the region's fixed part fits.
    short = {s["partner"] for s in report["shortfalls"]}
    assert "fanoe" in short and "region-syddanmark" not in short
    best = Decimal(report["max_affordable"])
    assert proposal("Sydvestjylland", "--name", "KTH igen", "--amount", str(best), "--owner", "region-syddanmark",
                    "--model", "fixed-plus-pro-rata", "--fixed", "region-syddanmark=581400")["shortfalls"] == []


def test_explicit_amounts_must_add_up():
    args = ["Sydvestjylland", "--name", "X", "--amount", "3000", "--owner", "vejen", "--model", "explicit",
            "--share", "vejen=1000", "--share", "varde=1500"]
    result = run("allocate", *args)
    assert result.exit_code == 2
    assert "add up to 2500.00" in result.stderr
    ok = proposal(*args[:-1], "varde=2000")
    assert {s["partner"]: s["share"] for s in ok["shares"] if s["share"] != "0.00"} == {"vejen": "1000.00", "varde": "2000.00"}


@pytest.mark.parametrize("extra, message", [
    (["--model", "lottery"], "unknown model"),
    (["--weights", "size"], "unknown basis"),
    (["--model", "solidarity", "--fixed", "vejen=10"], "does not apply"),
    (["--model", "participants"], "needs --participants"),
    (["--model", "explicit"], "--share"),
    (["--owner", "plo"], "general practice"),
    (["--owner", "aarhus"], "unknown partner"),
])
def test_model_parameter_mistakes_are_usage_errors(extra, message):
    args = ["Sydvestjylland", "--name", "X", "--amount", "1000", "--owner", "vejen"]
    result = run("allocate", *args, *extra)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


# --- amounts typed by people ----------------------------------------------------------------

@pytest.mark.parametrize("typed, meant", [
    ("1.000.000,50", "1000000.50"),
    ("1.000.000", "1000000.00"),
    ("1000000", "1000000.00"),
    ("1000000.50", "1000000.50"),
    ("250.000 kr.", "250000.00"),
    ("1 000 000", "1000000.00"),
])
def test_danish_and_plain_amounts_are_understood(typed, meant):
    assert proposal("Sydvestjylland", *NEW, "--amount", typed)["amount"] == meant


@pytest.mark.parametrize("typed, message", [
    ("-1000", "negative"),
    ("0", "zero"),
    ("0,00", "zero"),
    ("tusind", "not an amount"),
    ("1000,505", "more than two decimals"),
    ("10.5.3", "not an amount"),
    ("", "not an amount"),
])
def test_amount_typos_are_caught(typed, message, data_copy: Path):
    before = grant_files(data_copy)
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", typed, "--data", data_copy, "--record", *DECIDED)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert grant_files(data_copy) == before


def test_applied_amount_typos_are_caught_too():
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000", "--applied", "-5")
    assert result.exit_code == 2 and "--applied" in result.stderr


# --- recording -------------------------------------------------------------------------------

def test_record_writes_one_new_file_that_status_then_counts(data_copy: Path):
    before = grant_files(data_copy)
    result = run("allocate", "Sydvestjylland", "--name", "Tidlig opsporing", "--amount", "800.000", "--owner", "Esbjerg",
                 "--applied", "900000", "--data", data_copy, "--record", *DECIDED, "--body", "Politisk niveau", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["recorded"] is True and report["id"] == "tidlig-opsporing"
    assert grant_files(data_copy) == sorted(before + ["tidlig-opsporing.toml"])
    written = tomllib.loads((data_copy / "sydvestjylland" / "grants" / "tidlig-opsporing.toml").read_text("utf-8"))
    assert written["granted"] == "800000.00" and written["applied"] == "900000.00"
    assert written["decision"] == {"level": "politisk", "date": __import__("datetime").date(2024, 5, 1),
                                   "body": "Politisk niveau"}
    assert written["financing"] == {"model": "solidarity", "weights": "allocation"}
    assert "override_shortfall" not in written
    status = json.loads(run("status", "Sydvestjylland", "--data", data_copy, "--json").stdout)
    assert status["totals"]["disbursed"] == "4618843.00"
    assert status["totals"]["remaining"] == "1928707.00"
    shares = {s["partner"]: s["share"] for s in report["shares"]}
    rows = {p["id"]: p for p in status["partners"]}
    assert Decimal(rows["fanoe"]["remaining"]) == Decimal("6330.75") - Decimal(shares["fanoe"])


def test_record_refuses_a_shortfall_with_exit_1_and_writes_nothing(data_copy: Path):
    before = grant_files(data_copy)
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000000", "--data", data_copy, "--record", *DECIDED)
    assert result.exit_code == 1
    assert "refused" in result.stderr and "Fanø Kommune (fanoe) is short by 798,33 kr." in result.stderr
    assert "--override-shortfall" in result.stderr
    assert grant_files(data_copy) == before


def test_override_records_the_reason_in_the_grant(data_copy: Path):
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000000", "--data", data_copy, "--record", *DECIDED,
                 "--override-shortfall", "Fanø betaler resten af egne midler", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["recorded"] and report["shortfalls"] == [{"partner": "fanoe", "missing": "798.33"}]
    written = tomllib.loads(Path(report["file"]).read_text("utf-8"))
    assert written["override_shortfall"] == "Fanø betaler resten af egne midler"
    ledger, problems = load_ledger(data_copy / "sydvestjylland")
    assert problems == [] and ledger.grant("tidlig-opsporing").override_shortfall


def test_record_needs_date_and_level(data_copy: Path):
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000", "--data", data_copy, "--record")
    assert result.exit_code == 2 and "--date and --level" in result.stderr
    for bad, message in ((["--date", "1. maj", "--level", "politisk"], "not a date"),
                         (["--date", "2024-05-01", "--level", "borgmester"], "not a decision level")):
        result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000", "--data", data_copy, "--record", *bad)
        assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize("level, stored", [("politisk", "politisk"), ("fagligt strategisk", "fagligt strategisk"),
                                           ("fagligt-strategisk", "fagligt strategisk"), ("Administrativ", "administrativ")])
def test_decision_levels(level, stored, data_copy: Path):
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000", "--data", data_copy, "--record",
                 "--date", "01-05-2024", "--level", level, "--json")
    assert result.exit_code == 0, result.output
    written = tomllib.loads(Path(json.loads(result.stdout)["file"]).read_text("utf-8"))
    assert written["decision"]["level"] == stored
    assert str(written["decision"]["date"]) == "2024-05-01"


def test_the_same_name_twice_gets_two_ids(data_copy: Path):
    for _ in range(2):
        assert run("allocate", "Sydvestjylland", *NEW, "--amount", "1000", "--data", data_copy, "--record",
                   *DECIDED).exit_code == 0
    assert {"tidlig-opsporing.toml", "tidlig-opsporing-2.toml"} <= set(grant_files(data_copy))
    ledger, problems = load_ledger(data_copy / "sydvestjylland")
    assert problems == [] and len(ledger.grants) == 4


def test_explicit_id_is_checked_and_must_be_free(data_copy: Path):
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000", "--data", data_copy, "--record", *DECIDED,
                 "--id", "kom-trygt-hjem")
    assert result.exit_code == 1 and "already used" in result.stderr


# --- names and ids that would escape the folder ---------------------------------------------

@pytest.mark.parametrize("grant_id", ["../evil", "..", "/etc/passwd", "a/b", "a\\b", ".hidden", "Store Bogstaver", "x" * 81])
def test_ids_that_would_escape_or_hide_are_rejected(grant_id, data_copy: Path):
    before = sorted(str(p) for p in data_copy.rglob("*"))
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000", "--data", data_copy, "--record", *DECIDED,
                 "--id", grant_id)
    assert result.exit_code == 2, result.output
    assert "--id" in result.stderr and "Traceback" not in result.output
    assert sorted(str(p) for p in data_copy.rglob("*")) == before


@pytest.mark.parametrize("name", ["../../etc/passwd", "/tmp/x", "Akut/Præhospital", "a\\b", "..", ".skjult", "x\ny"])
def test_names_that_look_like_paths_are_rejected(name, data_copy: Path):
    before = sorted(str(p) for p in data_copy.rglob("*"))
    result = run("allocate", "Sydvestjylland", "--name", name, "--owner", "vejen", "--amount", "1000",
                 "--data", data_copy, "--record", *DECIDED)
    assert result.exit_code == 2, result.output
    assert "--name" in result.stderr
    assert sorted(str(p) for p in data_copy.rglob("*")) == before


@pytest.mark.parametrize("name, expected_id", [
    ("Lægebesøg på uvisiterede væresteder", "laegebesoeg-paa-uvisiterede-vaeresteder"),
    ("Ældre på Fanø — Årets indsats", "aeldre-paa-fanoe-aarets-indsats"),
    ("Børn og unge, mental trivsel", "boern-og-unge-mental-trivsel"),
])
def test_danish_names_give_readable_ids(name, expected_id, data_copy: Path):
    result = run("allocate", "Sydvestjylland", "--name", name, "--owner", "vejen", "--amount", "1000",
                 "--data", data_copy, "--record", *DECIDED, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == expected_id
    written = tomllib.loads((data_copy / "sydvestjylland" / "grants" / f"{expected_id}.toml").read_text("utf-8"))
    assert written["name"] == name
    status = run("status", "Sydvestjylland", "--data", data_copy)
    assert status.exit_code == 0


def test_a_name_without_letters_needs_an_id(data_copy: Path):
    result = run("allocate", "Sydvestjylland", "--name", "!!!", "--owner", "vejen", "--amount", "1000",
                 "--data", data_copy, "--record", *DECIDED)
    assert result.exit_code == 2 and "--id" in result.stderr


def test_year_tests_against_that_years_closing_balances(data_copy: Path):
    """Nykøbing Falster's partners hold no own allocation; the solidarity model says what is missing."""
    result = run("allocate", "Nykøbing Falster", "--name", "X", "--amount", "1000", "--owner", "guldborgsund")
    assert result.exit_code == 2
    assert "allocation weights need each partner's own allocation" in result.stderr
    by_year = proposal("Sydvestjylland", *NEW, "--amount", "1000", "--year", "2023")
    assert by_year["year"] == 2023
    assert {s["partner"]: s["remaining_before"] for s in by_year["shares"]}["fanoe"] == "6330.75"
    empty_year = proposal("Sydvestjylland", *NEW, "--amount", "1000", "--year", "2025")
    assert {s["partner"] for s in empty_year["shortfalls"]} == {s["partner"] for s in empty_year["shares"]}
    assert empty_year["max_affordable"] == "0.00"


def test_refused_table_says_refused_not_proposal(data_copy: Path):
    result = run("allocate", "Sydvestjylland", *NEW, "--amount", "1000000", "--data", data_copy, "--record", *DECIDED)
    assert result.exit_code == 1
    assert "Afvist: intet er gemt" in result.stdout and "Dette er et forslag" not in result.stdout


def test_printed_figures_are_checked_as_of_their_date(data_copy: Path):
    """The minutes of 1 March 2024 do not know a grant decided later; one decided before should be in them."""
    later = run("allocate", "Sydvestjylland", *NEW, "--amount", "800000", "--data", data_copy, "--record", *DECIDED)
    assert later.exit_code == 0
    report = json.loads(run("status", "Sydvestjylland", "--data", data_copy, "--json").stdout)
    assert {(d["measure"], d["partner"]) for d in report["discrepancies"] if d["kind"] == "differs"} == {
        ("share", "vejen"), ("disbursed", "vejen"), ("remaining", "vejen")}
    assert any("kildens dato" in n for n in report["notes"])
    earlier = run("allocate", "Sydvestjylland", "--name", "Glemt", "--owner", "vejen", "--amount", "1000",
                  "--data", data_copy, "--record", "--date", "2023-06-01", "--level", "politisk")
    assert earlier.exit_code == 0
    report = json.loads(run("status", "Sydvestjylland", "--data", data_copy, "--json").stdout)
    totals = [d for d in report["discrepancies"] if d["kind"] == "differs" and d["partner"] is None]
    assert {d["measure"]: d["difference"] for d in totals} == {"disbursed": "-1000.00", "remaining": "1000.00"}


def test_a_bad_as_of_in_reference_toml_is_a_problem(data_copy: Path):
    path = data_copy / "sydvestjylland" / "reference.toml"
    path.write_text(path.read_text("utf-8").replace("as_of = 2024-03-01", 'as_of = "marts"'), "utf-8")
    result = run("status", "Sydvestjylland", "--data", data_copy)
    assert result.exit_code == 1 and "reference.toml: as_of" in result.stderr
