"""Spending and closing grants from the command line, on a copy of the fictional fixture cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from klyngefond.core.records import Invoice

D = "--data"


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*.toml")}


def has_row(text: str, *cells: str) -> bool:
    """A line of a table holds these cells, in this order, separated by spaces only."""
    import re

    pattern = r"\s+".join(re.escape(cell) for cell in cells)
    return any(re.search(r"^\s*" + pattern + r"\s*$", line) for line in text.splitlines())


def test_spend_records_one_file_split_by_the_grants_shares(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = files(fixture_copy)
    result = cli("spend", "Vesterhavet", "akutteam", "125.000", "--date", "2026-06-30", "--period", "2026-01-01..2026-06-30",
                 "--note", "Opfølgningsskema 1", D, str(fixture_copy))
    assert result.code == 0, result.err
    assert files(fixture_copy) - before == {"vesterhavet/spending/2026-06-30-forbrug-akutteam.toml"}
    assert has_row(result.out, "Havby Kommune", "171.428,57", "42.857,14", "42.857,14", "128.571,43")
    assert "Forbrug for perioden 01-01-2026–30-06-2026." in result.out
    assert "forbrugt 125.000,00 kr. (25,0 %)" in result.out
    text = (fixture_copy / "vesterhavet" / "spending" / "2026-06-30-forbrug-akutteam.toml").read_text(encoding="utf-8")
    assert 'amount = "125000.00"' in text and "period_from = 2026-01-01" in text and "Opfølgningsskema 1" in text
    status = json.loads(cli("status", "Vesterhavet", "--json", D, str(fixture_copy)).out)
    grant = next(g for g in status["grants"] if g["id"] == "akutteam")
    assert (grant["spent"], grant["unspent"], grant["share_spent"], grant["closed"]) == ("125000.00", "375000.00", "0.2500", None)
    table = cli("status", "Vesterhavet", D, str(fixture_copy)).out
    assert "Forbrug pr. bevilling" in table
    assert has_row(table, "Mobilt akutteam", "500.000,00", "125.000,00", "375.000,00", "0,00", "25,0 %")


def test_the_same_spending_twice_is_refused_and_a_mistake_is_annulled(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    args = ["spend", "Vesterhavet", "palliation", "10.000", "--date", "2026-03-01", D, str(fixture_copy)]
    assert cli(*args).code == 0
    before = files(fixture_copy)
    again = cli(*args)
    assert again.code == 1 and "spending/2026-03-01-forbrug-palliation.toml" in again.err
    assert files(fixture_copy) == before
    annul = cli("annul", "Vesterhavet", "spending/2026-03-01-forbrug-palliation", "--reason", "Forkert beløb", "--date",
                "2026-03-02", "--record", D, str(fixture_copy))
    assert annul.code == 0, annul.err
    status = json.loads(cli("status", "Vesterhavet", "--json", D, str(fixture_copy)).out)
    assert next(g for g in status["grants"] if g["id"] == "palliation")["spent"] == "0.00"
    assert cli(*args).code == 0  # recorded again after the annulment


def test_overspending_is_recorded_with_a_warning_and_shown_in_status(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("spend", "Vesterhavet", "forebyggelse", "230.000", "--date", "2026-03-01", D, str(fixture_copy))
    assert result.code == 0, result.err
    assert "forbruget overstiger bevillingen med 5.000,00 kr." in result.out
    status = cli("status", "Vesterhavet", D, str(fixture_copy)).out
    assert "Forebyggelse på tværs: der er forbrugt 230.000,00 kr. af 225.000,00 kr.; forbruget overstiger bevillingen med 5.000,00 kr." in status
    refused = cli("close-grant", "Vesterhavet", "forebyggelse", "--date", "2026-04-01", D, str(fixture_copy))
    assert refused.code == 1 and "en overskredet bevilling kan ikke lukkes" in refused.err


def test_an_end_date_passed_with_money_unspent_is_noted(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    grant = fixture_copy / "vesterhavet" / "grants" / "palliation.toml"
    grant.write_text(grant.read_text(encoding="utf-8").replace('granted = "123456.78"', 'granted = "123456.78"\nend_date = 2025-12-31'),
                     encoding="utf-8")
    assert cli("spend", "Vesterhavet", "palliation", "23.456,78", "--date", "2025-12-31", D, str(fixture_copy)).code == 0
    status = cli("status", "Vesterhavet", D, str(fixture_copy)).out
    assert "Tidlig palliativ indsats: slutdatoen 31-12-2025 er passeret, og 100.000,00 kr. er ikke forbrugt." in status
    earlier = cli("status", "Vesterhavet", "--as-of", "2025-12-31", D, str(fixture_copy)).out
    assert "slutdatoen" not in earlier


def test_close_grant_shows_first_then_frees_the_unspent_part_and_refuses_more_spending(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("spend", "Vesterhavet", "palliation", "23.456,78", "--date", "2026-06-30", D, str(fixture_copy)).code == 0
    before = files(fixture_copy)
    dry = cli("close-grant", "Vesterhavet", "palliation", "--date", "2026-09-30", D, str(fixture_copy))
    assert dry.code == 0, dry.err
    assert "forslag: luk Tidlig palliativ indsats pr. 30-09-2026" in dry.out
    assert has_row(dry.out, "Havby Kommune", "98.765,42", "80.000,00", "18.765,42", "0,00")
    assert "Lukningen frigiver 100.000,00 kr. til parternes midler i 2023." in dry.out
    assert "intet er gemt" in dry.out and files(fixture_copy) == before
    status_before = json.loads(cli("status", "Vesterhavet", "--json", D, str(fixture_copy)).out)
    done = cli("close-grant", "Vesterhavet", "palliation", "--date", "2026-09-30", "--record", "--json", D, str(fixture_copy))
    assert done.code == 0, done.err
    report = json.loads(done.out)
    assert report["amount"] == "100000.00" and report["freed_to_period"] == "2023" and report["recorded"]
    assert files(fixture_copy) - before == {"vesterhavet/closings/2026-09-30-lukning-palliation.toml"}
    status = json.loads(cli("status", "Vesterhavet", "--json", D, str(fixture_copy)).out)
    remaining = {p["id"]: p["remaining"] for p in status["partners"]}
    old = {p["id"]: p["remaining"] for p in status_before["partners"]}
    assert float(remaining["havby"]) - float(old["havby"]) == pytest.approx(80000.00)
    assert float(remaining["sandby"]) - float(old["sandby"]) == pytest.approx(20000.00)
    grant = next(g for g in status["grants"] if g["id"] == "palliation")
    assert (grant["granted"], grant["freed"], grant["closed"]) == ("23456.78", "100000.00", "2026-09-30")
    more = cli("spend", "Vesterhavet", "palliation", "1.000", "--date", "2026-10-01", D, str(fixture_copy))
    assert more.code == 1 and "blev lukket 30-09-2026" in more.err
    twice = cli("close-grant", "Vesterhavet", "palliation", "--date", "2026-10-01", D, str(fixture_copy))
    assert twice.code == 1 and "er lukket" in twice.err
    topup = cli("topup", "Vesterhavet", "palliation", "1.000", "--date", "2026-10-01", "--level", "politisk", "--record",
                D, str(fixture_copy))
    assert topup.code == 1


def write_invoice(folder: Path, invoice: Invoice) -> None:
    from klyngefond.storage.records import write_record

    write_record(folder, "invoices", invoice, "# test\n")


def test_after_closing_the_invoicing_credits_exactly_invoiced_less_the_spent_share(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    from decimal import Decimal

    cluster = fixture_copy / "vesterhavet"
    # Havby (the owner of Fælles sundhedsteam) has invoiced the three others their shares.
    for number, recipient, amount in (("0001", "klitby", "85714.29"), ("0002", "sandby", "42857.14"), ("0003", "region-vest", "300000.00")):
        write_invoice(cluster, Invoice(f"vesterhavet-havby-{number}", "invoice", "havby", recipient, "faelles-sundhedsteam",
                                       Decimal(amount), dt.date(2023, 4, 1), dt.date(2023, 5, 1)))
    assert cli("spend", "Vesterhavet", "faelles-sundhedsteam", "420.000", "--date", "2026-06-30", D, str(fixture_copy)).code == 0
    result = cli("close-grant", "Vesterhavet", "faelles-sundhedsteam", "--date", "2026-09-30", "--json", D, str(fixture_copy))
    assert result.code == 0, result.err
    lines = {line["recipient"]: line for line in json.loads(result.out)["invoicing"]}
    # The spent shares: 420.000 split like the grant (30 % less than 600.000 for everyone).
    assert {k: v["share"] for k, v in lines.items()} == {"klitby": "60000.00", "sandby": "30000.00", "region-vest": "210000.00"}
    assert {k: v["difference"] for k, v in lines.items()} == {"klitby": "-25714.29", "sandby": "-12857.14", "region-vest": "-90000.00"}
    text = cli("close-grant", "Vesterhavet", "faelles-sundhedsteam", "--date", "2026-09-30", D, str(fixture_copy)).out
    assert "Fakturering efter lukning" in text and "-90.000,00" in text


def test_spend_usage_errors_exit_2(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    for args, words in ((["akutteam", "-5", "--date", "2026-01-01"], "er negativt"),
                        (["akutteam", "5", "--date", "2026-01-01", "--period", "2026-01-01"], "er ikke en periode"),
                        (["akutteam", "5", "--date", "2026-01-01", "--period", "2026-06-30..2026-01-01"], "før den begynder"),
                        (["ukendt", "5", "--date", "2026-01-01"], "ukendt bevilling")):
        result = cli("spend", "Vesterhavet", *args, D, str(fixture_copy))
        assert result.code == 2, (args, result.err)
        assert words in result.err


def test_english(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("spend", "Vesterhavet", "akutteam", "125000", "--date", "2026-06-30", "--lang", "en", D, str(fixture_copy))
    assert result.code == 0, result.err
    assert "spending on Mobilt akutteam recorded on 2026-06-30" in result.out
    assert "spent DKK 125,000.00 (25.0%)" in result.out
    dry = cli("close-grant", "Vesterhavet", "akutteam", "--date", "2026-09-30", "--lang", "en", D, str(fixture_copy))
    assert "Closing frees DKK 375,000.00 to the partners' funds in 2023." in dry.out
    for danish in ("Forbrug", "forbrugt", "Frigives", "gemt"):
        assert danish not in result.out + dry.out
