"""`klyngefond applications`: applied against granted, with a total that compares like with like."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from recorded_changes import record_history

from klyngefond.core.records import YearSpan
from klyngefond.journal.build import build_journal
from klyngefond.reports.applications import build_applications
from klyngefond.storage.loader import load_ledger

SLAGELSE_2023 = {
    # seed 000, "Indsatser og økonomisk tildeling": applied -> granted
    "72-timers-behandlingsansvar": ("500000.00", "500000.00", "0.00"),
    "medicinudlevering-til-3-dage": ("300000.00", "300000.00", "0.00"),
    "faelles-faglig-kvalitetsorganisation": ("950000.00", "750000.00", "-200000.00"),
    "vip-borgere": ("925000.00", "900000.00", "-25000.00"),
    "tidlig-og-koordineret-palliativ-indsats": ("850000.00", "750000.00", "-100000.00"),
}


def report(cli, *args: str) -> dict:  # type: ignore[no-untyped-def]
    result = cli("applications", *args, "--json")
    assert result.code == 0, result.text
    found = json.loads(result.out)
    assert set(found) == {"cluster", "year", "grants", "totals", "all", "without_applied", "notes"}
    return found  # type: ignore[no-any-return]


def test_slagelse_2023_applied_granted_difference_from_the_shipped_data(cli) -> None:  # type: ignore[no-untyped-def]
    found = report(cli, "Slagelse Klyngen", "--year", "2023")
    assert {g["id"]: (g["applied"], g["granted"], g["difference"]) for g in found["grants"]} == SLAGELSE_2023
    totals = found["totals"]
    assert (totals["applied"], totals["granted"], totals["difference"], totals["grants"]) == (
        "3525000.00", "3200000.00", "-325000.00", 5)
    assert found["without_applied"] == [] and found["all"]["granted"] == "3200000.00"


def test_the_table_in_danish_and_english(cli) -> None:  # type: ignore[no-untyped-def]
    danish = cli("applications", "Næstved/Slagelse")
    assert danish.code == 0
    for words in ("ansøgt og tildelt", "Ansøgt", "Tildelt", "Forskel", "3.525.000,00", "3.200.000,00", "-325.000,00",
                  "-200.000,00", "VIP Borgere", "I alt"):
        assert words in danish.out, words
    english = cli("applications", "naestved-slagelse", "--lang", "en")
    for words in ("applied and granted", "Applied", "Granted", "3,525,000.00", "-325,000.00", "Total"):
        assert words in english.out, words
    assert "Ansøgt" not in english.out


def test_a_grant_without_an_applied_amount_stays_out_of_the_total(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    """Symptom: the old total added every granted amount but only the known applied ones, so
    3.525.000 applied stood against 3.230.000 granted with a difference of -325.000."""
    (data_copy / "naestved-slagelse" / "grants" / "ekstra.toml").write_text(
        'id = "ekstra"\nname = "Ekstra indsats"\nyear = 2023\ngranted = 30000\n'
        'decision = { level = "politisk", date = 2023-04-18 }\n[financing]\nmodel = "unknown"\n', "utf-8")
    found = report(cli, "Slagelse Klyngen", "--data", str(data_copy))
    totals = found["totals"]
    assert (totals["applied"], totals["granted"], totals["difference"]) == ("3525000.00", "3200000.00", "-325000.00")
    assert Decimal(totals["granted"]) - Decimal(totals["applied"]) == Decimal(totals["difference"])
    assert (found["all"]["granted"], found["all"]["grants"]) == ("3230000.00", 6)
    assert found["without_applied"] == ["ekstra"]
    ekstra = next(g for g in found["grants"] if g["id"] == "ekstra")
    assert (ekstra["applied"], ekstra["difference"]) == (None, None)
    table = cli("applications", "Slagelse Klyngen", "--data", str(data_copy))
    assert "I alt, bevillinger med ansøgt beløb" in table.out
    assert "1 bevilling uden ansøgt beløb indgår ikke i totalen: Ekstra indsats." in table.out
    assert "Tildelt i alt for alle bevillinger: 3.230.000,00 kr." in table.out


def test_a_cluster_whose_grants_state_no_applied_amount(cli) -> None:  # type: ignore[no-untyped-def]
    found = report(cli, "Sydvestjylland")
    assert found["without_applied"] == ["akutomraadet", "kom-trygt-hjem"]
    assert (found["totals"]["applied"], found["totals"]["granted"], found["totals"]["difference"]) == ("0.00", "0.00", "0.00")
    assert found["all"]["granted"] == "3818843.00"
    assert "2 bevillinger uden ansøgt beløb" in cli("applications", "Sydvestjylland").out


def test_later_changes_show_as_now_but_do_not_change_the_decision(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    record_history(fixture_copy / "vesterhavet")
    found = report(cli, "vesterhavet", "--data", str(fixture_copy))
    now = {g["id"]: (g["granted"], g["current"]) for g in found["grants"]}
    assert now["vaerktoej"] == ("30000.00", "0.00")  # withdrawn
    assert now["faelles-sundhedsteam"] == ("600000.00", "650000.00")  # topped up
    assert now["forebyggelse"] == ("225000.00", "225000.00")  # reduced, and the reduction annulled
    assert now["akutteam"] == ("500000.00", "489999.50") and now["palliation"] == ("123456.78", "133457.28")
    totals = found["totals"]
    assert (totals["applied"], totals["granted"], totals["difference"], totals["current"]) == (
        "40000.00", "30000.00", "-10000.00", "0.00")
    table = cli("applications", "vesterhavet", "--data", str(fixture_copy))
    assert "Nu" in table.out and "«Nu» er bevillingens beløb efter senere ændringer" in table.out


def test_an_annulled_grant_is_not_an_application(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    cluster = fixture_copy / "vesterhavet"
    (cluster / "annulments").mkdir()
    (cluster / "annulments" / "a.toml").write_text('id = "a"\nrecord = "grants/palliation"\ndate = 2023-06-01\n'
                                                   'reason = "Registreret to gange"\n', "utf-8")
    ids = [g["id"] for g in report(cli, "vesterhavet", "--data", str(fixture_copy))["grants"]]
    assert "palliation" not in ids and len(ids) == 3


def test_year_filter(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    empty = report(cli, "Slagelse Klyngen", "--year", "2022")
    assert empty["grants"] == [] and empty["year"] == "2022"
    assert "Der er ingen bevillinger i visningen." in cli("applications", "Slagelse Klyngen", "--year", "2022").out
    assert cli("applications", "Slagelse Klyngen", "--year", "toogtyve").code == 2


def test_pure_totals_compare_like_with_like(fixture_copy: Path) -> None:
    ledger, _ = load_ledger(record_history(fixture_copy / "vesterhavet"))
    journal = build_journal(ledger)  # type: ignore[arg-type]
    report = build_applications(ledger, journal, YearSpan.of(2023))  # type: ignore[arg-type]
    assert [line.grant.id for line in report.compared] == ["vaerktoej"]
    assert report.difference == report.granted - report.applied == Decimal("-10000.00")
    assert report.granted_all == sum((line.granted for line in report.lines), Decimal(0))
