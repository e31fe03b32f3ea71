"""`klyngefond log`: every decision, change, carry-over and annulment in date order, from the journal."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from recorded_changes import record_history

from klyngefond.journal.build import build_journal
from klyngefond.reports.log import build_log
from klyngefond.storage.loader import load_ledger

ENTRY_KEYS = {"date", "date_stated", "kind", "ref", "file", "decision", "event", "grant", "grant_name", "to_grant", "amount",
              "after", "to_after", "from_period", "to_period", "partner", "reason", "override", "source", "annuls", "annuls_kind",
              "annulled", "annulled_by", "annulled_on", "annulled_reason"}


def entries(cli, *args: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = cli("log", *args, "--json")
    assert result.code == 0, result.text
    report = json.loads(result.out)
    assert set(report) == {"cluster", "as_of", "entries", "not_applied", "notes"}
    for entry in report["entries"]:
        assert set(entry) == ENTRY_KEYS
    return report["entries"]  # type: ignore[no-any-return]


def test_nykoebing_falster_grant_and_carryover_with_who_decided(cli) -> None:  # type: ignore[no-untyped-def]
    found = entries(cli, "Nykøbing Falster")
    assert [(e["date"], e["kind"], e["decision"]["level"], e["amount"], e["after"]) for e in found] == [
        ("2023-05-25", "grant", "politisk", "802500.00", "802500.00"),
        ("2024-01-01", "carryover", "fagligt strategisk", "3314772.00", None),
    ]
    carry = found[1]
    assert (carry["from_period"], carry["to_period"], carry["decision"]["date"]) == ("2022-2023", "2024", "2023-09-08")
    assert found[0]["decision"]["body"] == "Den politiske klynge"
    table = cli("log", "Nykøbing Falster")
    for words in ("Dato", "Besluttet af", "25-05-2023", "politisk niveau — Den politiske klynge", "Overførsel 2022-2023 → 2024",
                  "fagligt strategisk niveau 08-09-2023", "3.314.772,00", "alle parter"):
        assert words in table.out, words


def test_undated_grants_are_marked_and_explained(cli) -> None:  # type: ignore[no-untyped-def]
    found = entries(cli, "Sydvestjylland")
    assert [(e["date"], e["date_stated"], e["grant"]) for e in found] == [
        ("2022-01-01", False, "akutomraadet"), ("2022-01-01", False, "kom-trygt-hjem"), ("2024-01-01", False, None)]
    assert all(e["decision"] is None for e in found)
    assert found[-1]["kind"] == "carryover"  # seed 004: the 2022-2023 remainder carried into 2024, meeting date not stated
    table = cli("log", "Sydvestjylland")
    assert "01-01-2022*" in table.out and "ikke oplyst" in table.out and "beslutningens dato" in table.out


def test_every_decision_change_and_annulment_in_date_order(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    record_history(fixture_copy / "vesterhavet")
    found = entries(cli, "vesterhavet", "--data", str(fixture_copy))
    assert [(e["date"], e["kind"], e["grant"], e["amount"], e["after"]) for e in found] == [
        ("2023-03-14", "grant", "akutteam", "500000.00", "500000.00"),
        ("2023-03-14", "grant", "faelles-sundhedsteam", "600000.00", "600000.00"),
        ("2023-05-02", "grant", "palliation", "123456.78", "123456.78"),
        ("2023-06-20", "grant", "forebyggelse", "225000.00", "225000.00"),
        ("2023-09-01", "top-up", "faelles-sundhedsteam", "50000.00", "650000.00"),
        ("2023-10-01", "reduction", "forebyggelse", "25000.00", "200000.00"),
        ("2023-11-01", "transfer", "akutteam", "10000.50", "489999.50"),
        ("2023-11-15", "grant", "vaerktoej", "30000.00", "30000.00"),
        ("2023-12-01", "annulment", "forebyggelse", "25000.00", "225000.00"),
        ("2023-12-10", "withdrawal", "vaerktoej", "30000.00", "0.00"),
        ("2024-01-01", "carryover", None, "2001543.22", None),
    ]
    transfer = next(e for e in found if e["kind"] == "transfer")
    assert (transfer["to_grant"], transfer["to_after"]) == ("palliation", "133457.28")
    top_up = next(e for e in found if e["kind"] == "top-up")
    assert (top_up["reason"], top_up["decision"]["body"], top_up["file"]) == (
        "Udvidet til Sandby", "Politisk niveau", "changes/2023-09-01-sundhedsteam-tillaeg.toml")


def test_an_annulment_shows_its_reason_and_the_annulled_record_stays_listed(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    record_history(fixture_copy / "vesterhavet")
    data = ("--data", str(fixture_copy))
    found = entries(cli, "vesterhavet", *data)
    reduction = next(e for e in found if e["ref"] == "changes/2023-10-01-forebyggelse-nedsat")
    annulment = next(e for e in found if e["kind"] == "annulment")
    assert (reduction["annulled"], reduction["annulled_by"], reduction["annulled_on"]) == (
        True, "annulments/2023-12-01-nedsaettelse-fejl", "2023-12-01")
    assert reduction["annulled_reason"] == "Nedsættelsen var registreret på den forkerte bevilling"
    assert (annulment["annuls"], annulment["annuls_kind"], annulment["reason"]) == (
        reduction["ref"], "reduction", reduction["annulled_reason"])
    assert not any(e["annulled"] for e in found if e is not reduction)
    table = cli("log", "vesterhavet", *data)
    assert "Nedsættelse [ANNULLERET 01-12-2023]" in table.out
    assert "Annullering af nedsættelse fra 01-10-2023: Nedsættelsen var registreret på den forkerte bevilling" in table.out
    english = cli("log", "vesterhavet", *data, "--lang", "en")
    for words in ("Decided by", "Reduction [ANNULLED on 2023-12-01]", "Annulment of the reduction of 2023-10-01",
                  "Top-up: Udvidet til Sandby",
                  "Transfer to Tidlig palliativ indsats (after: DKK 133,457.28)", "Withdrawal", "Carry-over 2023 → 2024"):
        assert words in english.out, words
    assert "Besluttet" not in english.out


def test_as_of_shows_the_log_as_it_stood_that_day(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    record_history(fixture_copy / "vesterhavet")
    found = entries(cli, "vesterhavet", "--data", str(fixture_copy), "--as-of", "2023-11-30")
    assert [e["kind"] for e in found][-3:] == ["reduction", "transfer", "grant"]
    assert not any(e["annulled"] for e in found)
    assert cli("log", "vesterhavet", "--data", str(fixture_copy), "--as-of", "30-11-2023").out.startswith(
        "Testklynge Vesterhavet — beslutninger og ændringer pr. 30-11-2023")
    assert cli("log", "vesterhavet", "--data", str(fixture_copy), "--as-of", "yesterday").code == 2


def test_a_cluster_without_decisions(cli) -> None:  # type: ignore[no-untyped-def]
    assert entries(cli, "Roskilde/Køge") == []
    assert "Der er ikke registreret nogen beslutninger." in cli("log", "Roskilde/Køge").out
    holbaek = entries(cli, "Holbæk")  # seed 001: all funds committed, grants not stated
    assert [(e["grant"], e["amount"], e["date_stated"]) for e in holbaek] == [("disponerede-midler-2023", "2580835.00", False)]


def test_log_amounts_come_from_the_journal(fixture_copy: Path) -> None:
    ledger, _ = load_ledger(record_history(fixture_copy / "vesterhavet"))
    journal = build_journal(ledger)  # type: ignore[arg-type]
    log = build_log(ledger, journal)  # type: ignore[arg-type]
    by_ref = {t.ref: t for t in journal.transactions}
    for entry in log.entries:
        txn = by_ref[entry.ref]
        if entry.grant is not None and entry.kind != "carryover":
            assert entry.after == txn.after[entry.grant]
    carry = log.entries[-1]
    assert carry.amount == sum((p.amount for p in by_ref[carry.ref].postings if p.amount > 0), Decimal(0))
    assert build_log(ledger, journal, dt.date(2023, 3, 13)).entries == ()  # type: ignore[arg-type]


def test_closing_a_grant_the_books_and_reopening_are_logged_and_can_be_annulled(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    data = ("--data", str(fixture_copy))

    def run(*args: str) -> None:
        result = cli(*args, *data)
        assert result.code == 0, result.text

    run("spend", "Vesterhavet", "akutteam", "100.000", "--date", "2024-06-30")
    run("close-grant", "Vesterhavet", "akutteam", "--date", "2024-09-30", "--record", "--level", "politisk")
    run("annul", "Vesterhavet", "closings/2024-09-30-lukning-akutteam", "--reason", "Lukket for tidligt", "--date", "2024-10-02",
        "--record")
    run("annul", "Vesterhavet", "spending/2024-06-30-forbrug-akutteam", "--reason", "Forkert beløb", "--date", "2024-10-03",
        "--record")
    run("closeout", "Vesterhavet", "--date", "2026-10-31", "--record", "--level", "politisk", "--decided", "2026-10-31")
    run("reopen", "Vesterhavet", "--date", "2026-11-01", "--reason", "Sen afrapportering", "--record")
    found = entries(cli, "Vesterhavet", *data)
    later = [(e["date"], e["kind"], e["amount"], e["annuls_kind"]) for e in found if e["date"] >= "2024"]
    assert later == [
        ("2024-09-30", "closing", "400000.00", None),  # the unspent 400.000 freed back to the partners
        ("2024-10-02", "annulment", "400000.00", "closing"),
        ("2024-10-03", "annulment", "100000.00", "spending"),
        ("2026-10-31", "closeout", None, None),
        ("2026-11-01", "reopening", None, None),
    ]
    assert found[-5]["annulled_by"] == "annulments/2024-10-02-annullering-2024-09-30-lukning-akutteam"
    assert found[-1]["reason"] == "Sen afrapportering"
    table = cli("log", "Vesterhavet", *data).out
    for words in ("Bevilling lukket [ANNULLERET 02-10-2024]", "Annullering af lukning fra 30-09-2024: Lukket for tidligt",
                  "Annullering af forbrug fra 30-06-2024: Forkert beløb", "Regnskabsafslutning", "Genåbning af regnskabet: Sen"):
        assert words in table, words
    english = cli("log", "Vesterhavet", *data, "--lang", "en").out
    assert "Annulment of the closing of 2024-09-30" in english and "Books reopened" in english
    # The meeting pack's "since" list words them as the log does, with the spending beside them.
    pack = json.loads(cli("report", "Vesterhavet", *data, "--since", "2024-01-01", "--json").out)
    assert [(h["kind"], h["ref"].split("/")[0]) for h in pack["happened"]] == [
        ("spending", "spending"), ("closing", "closings"), ("annulment", "annulments"), ("annulment", "annulments"),
        ("closeout", "closeouts"), ("reopening", "reopenings")]
    assert pack["happened"][0]["amount"] == "100000.00" and pack["happened"][0]["event"] == "Forbrug afrapporteret"
