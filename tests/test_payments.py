"""`klyngefond pay` and `klyngefond refund`: judged on their own date, through the journal's rules, never twice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from klyngefond.core.records import Payment, Refund
from klyngefond.journal.build import build_journal
from klyngefond.journal.invariants import check_journal
from klyngefond.storage.loader import load_ledger

NUMBER = "HAV-2024-0001"  # Havby invoices Klitby 85.714,29 for Fælles sundhedsteam


@pytest.fixture
def data(fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> Path:  # type: ignore[no-untyped-def]
    """The fixture cluster with its nine invoices issued on 15-01-2024 (due 14-02-2024)."""
    monkeypatch.chdir(tmp_path)
    result = cli("invoices", "Vesterhavet", "--data", str(fixture_copy), "--issue", "--date", "2024-01-15")
    assert result.code == 0, result.text
    return fixture_copy


def ok(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0, result.text
    return result


def files(data: Path, folder: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted((data / "vesterhavet" / folder).glob("*.toml"))}


def partners(cli, data: Path, *args: str) -> dict[str, dict]:  # type: ignore[no-untyped-def, type-arg]
    report = json.loads(ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--json", *args).out)
    return {p["partner"]: p for p in report["partners"]}


def state(cli, data: Path, number: str, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    report = json.loads(ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--json", *args).out)
    return next(i for i in report["issued"] if i["number"] == number)


def reduce_faelles(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    """Fælles sundhedsteam halved on 01-03-2024 and the credit notes issued on 05-03-2024."""
    folder = data / "vesterhavet" / "changes"
    folder.mkdir(exist_ok=True)
    (folder / "faelles-nedsat.toml").write_text('id = "faelles-nedsat"\nkind = "reduction"\ngrant = "faelles-sundhedsteam"\n'
                                                'amount = 300000\ndecision = { level = "politisk", date = 2024-03-01 }\n', "utf-8")
    ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-03-05")


# --------------------------------------------------------------------------- paying


def test_partial_payments_then_the_rest_and_overpayment_refused(cli, data: Path) -> None:
    number = "HAV-2024-0003"  # 300.000,00 from Region Vest
    part = ok(cli, "pay", number, "--data", str(data), "--date", "2024-02-01", "--amount", "100.000,00")
    assert "Betaling af 100.000,00 kr. registreret på HAV-2024-0003 (01-02-2024)" in part.out
    assert "udestående pr. 01-02-2024: 200.000,00 kr." in part.out
    assert "Gemt i " in part.out and "payments/hav-2024-0003-betaling-2024-02-01.toml" in part.out
    over = cli("pay", number, "--data", str(data), "--date", "2024-02-02", "--amount", "200000.01")
    assert over.code == 1
    assert "betalingen af 200.000,01 kr. på HAV-2024-0003 (02-02-2024) er mere end de 200.000,00 kr., der var åbne" in over.err
    ok(cli, "pay", number, "--data", str(data), "--date", "2024-02-10")  # the rest
    done = cli("pay", number, "--data", str(data), "--date", "2024-02-11")
    assert done.code == 1 and "havde intet udestående pr. 11-02-2024" in done.err
    assert {f["amount"] for f in files(data, "payments").values()} == {"100000.00", "200000.00"}
    assert state(cli, data, number)["state"] == "paid"
    region = partners(cli, data, "--as-of", "2024-03-01")["region-vest"]
    assert (region["invoiced"], region["paid"], region["outstanding"]) == ("375000.00", "300000.00", "75000.00")
    assert region["overdue"] == "75000.00" and region["overdue_invoices"] == ["KLI-2024-0002"]


def test_pay_without_amount_pays_what_was_open_on_the_payments_date(cli, data: Path) -> None:
    """Symptom 5: after a credit note dated 05-03-2024, paying on 10-02-2024 pays what was open on 10 February."""
    reduce_faelles(cli, data)
    assert state(cli, data, NUMBER)["open"] == "42857.14"  # today, after the credit note
    paid = ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-10")
    assert "Betaling af 85.714,29 kr." in paid.out and "udestående pr. 10-02-2024: 0,00 kr." in paid.out
    assert "har betaleren nu 42.857,15 kr. til gode" in paid.out
    assert [f["amount"] for f in files(data, "payments").values()] == ["85714.29"]
    klitby = partners(cli, data)["klitby"]
    assert klitby["to_be_refunded"] == "42857.15" and state(cli, data, NUMBER)["state"] == "refund"
    before = partners(cli, data, "--as-of", "2024-02-29")["klitby"]
    assert before["to_be_refunded"] == "0.00" and before["paid"] == "85714.29"


def test_refund_after_a_credit_note_on_a_paid_invoice_settles_to_zero(cli, data: Path) -> None:
    """Symptom 6: a credit note on a paid invoice leaves money owed back; the refund settles it."""
    ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-10")
    reduce_faelles(cli, data)
    nothing_to_pay = cli("pay", NUMBER, "--data", str(data), "--date", "2024-03-10")
    assert nothing_to_pay.code == 1 and "klyngefond refund HAV-2024-0001" in nothing_to_pay.err
    early = cli("refund", NUMBER, "--data", str(data), "--date", "2024-03-01")
    assert early.code == 1 and "der var intet at betale tilbage" in early.err
    too_much = cli("refund", NUMBER, "--data", str(data), "--date", "2024-03-20", "--amount", "50000")
    assert too_much.code == 1 and "er mere end de 42.857,15 kr., der skulle betales tilbage" in too_much.err
    refunded = ok(cli, "refund", NUMBER, "--data", str(data), "--date", "2024-03-20")
    assert "Tilbagebetaling af 42.857,15 kr. til Klitby Kommune registreret på HAV-2024-0001 (20-03-2024)" in refunded.out
    assert "til gode pr. 20-03-2024: 0,00 kr." in refunded.out
    assert [(f["invoice"], f["amount"]) for f in files(data, "refunds").values()] == [(NUMBER, "42857.15")]
    klitby = partners(cli, data, "--grant", "faelles-sundhedsteam")["klitby"]
    assert (klitby["invoiced"], klitby["paid"], klitby["outstanding"], klitby["to_be_refunded"]) == (
        "42857.14", "42857.14", "0.00", "0.00")
    assert state(cli, data, NUMBER)["state"] == "settled"
    table = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--grant", "faelles-sundhedsteam").out
    assert "afregnet" in table and "Til gode" in table
    english = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--grant", "faelles-sundhedsteam", "--lang", "en").out
    assert "settled" in english
    assert cli("refund", NUMBER, "--data", str(data), "--date", "2024-03-21").code == 1


def test_the_same_payment_twice_is_refused_naming_the_file(cli, data: Path) -> None:
    ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-01", "--amount", "10000")
    again = cli("pay", NUMBER, "--data", str(data), "--date", "2024-02-01", "--amount", "10.000")
    assert again.code == 1
    assert "det samme er allerede registreret i" in again.err
    assert "payments/hav-2024-0001-betaling-2024-02-01.toml" in again.err
    ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-05")  # the rest
    whole_again = cli("pay", NUMBER, "--data", str(data), "--date", "2024-02-05")
    assert whole_again.code == 1 and "hav-2024-0001-betaling-2024-02-05.toml" in whole_again.err
    # a second, different payment on the same day is another record
    assert len(files(data, "payments")) == 2


def test_the_same_refund_twice_is_refused_naming_the_file(cli, data: Path) -> None:
    ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-10")
    reduce_faelles(cli, data)
    ok(cli, "refund", NUMBER, "--data", str(data), "--date", "2024-03-20", "--amount", "20000")
    again = cli("refund", NUMBER, "--data", str(data), "--date", "2024-03-20", "--amount", "20000")
    assert again.code == 1 and "refunds/hav-2024-0001-tilbagebetaling-2024-03-20.toml" in again.err
    ok(cli, "refund", NUMBER, "--data", str(data), "--date", "2024-03-20", "--amount", "22857.15")
    assert sorted(f["amount"] for f in files(data, "refunds").values()) == ["20000.00", "22857.15"]


def test_future_payment_needs_an_override_which_is_stored(cli, data: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    refused = cli("pay", NUMBER, "--data", str(data), "--date", future, "--amount", "1000")
    assert refused.code == 1 and "ligger i fremtiden" in refused.err and "--override" in refused.err
    assert not (data / "vesterhavet" / "payments").exists() or files(data, "payments") == {}
    ok(cli, "pay", NUMBER, "--data", str(data), "--date", future, "--amount", "1000", "--override", "Aftalt betaling, bogført på forhånd")
    [saved] = files(data, "payments").values()
    assert saved["override"] == "Aftalt betaling, bogført på forhånd" and saved["date"] == dt.date.fromisoformat(future)
    assert cli("refund", NUMBER, "--data", str(data), "--date", future).code == 1


def test_backdated_payment_that_leaves_a_later_one_too_large_is_refused(cli, data: Path) -> None:
    ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-10", "--amount", "80000")
    result = cli("pay", NUMBER, "--data", str(data), "--date", "2024-02-01", "--amount", "10000")
    assert result.code == 1 and "er mere end de" in result.err
    assert len(files(data, "payments")) == 1


def test_refusals_and_usage_errors(cli, data: Path) -> None:
    reduce_faelles(cli, data)
    credit = cli("pay", "HAV-2024-0004", "--data", str(data), "--date", "2024-03-10")
    assert credit.code == 1 and "er en kreditnota" in credit.err and "HAV-2024-0001" in credit.err
    early = cli("pay", NUMBER, "--data", str(data), "--date", "2023-12-01")
    assert early.code == 1 and "ligger før fakturadatoen" in early.err
    unknown = cli("pay", "HAV-2024-0010", "--data", str(data), "--date", "2024-02-01")
    assert unknown.code == 2 and "ingen udstedt faktura «HAV-2024-0010»" in unknown.err and "mente du" in unknown.err
    assert cli("pay", "../../etc/passwd", "--data", str(data), "--date", "2024-02-01").code == 2
    assert cli("pay", NUMBER, "--data", str(data), "--date", "1. feb").code == 2
    assert cli("pay", NUMBER, "--data", str(data), "--date", "2024-02-01", "--amount", "-5").code == 2
    missing = cli("pay", NUMBER, "--data", str(data))
    assert missing.code == 2 and "--date mangler" in missing.err
    assert not (data / "vesterhavet" / "payments").exists()


def test_english_and_json(cli, data: Path) -> None:
    english = ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-01", "--amount", "10000.50", "--lang", "en")
    assert "Payment of DKK 10,000.50 recorded on HAV-2024-0001 (2024-02-01); open as of 2024-02-01: DKK 75,713.79" in english.out
    assert "Saved in" in english.out and "kr." not in english.out
    payload = json.loads(ok(cli, "pay", NUMBER, "--data", str(data), "--date", "2024-02-03", "--json", "--note", "Rest").out)
    assert payload["amount"] == "75713.79" and payload["open_on_date"] == "0.00" and payload["open"] == "0.00"
    assert payload["cluster"] == "vesterhavet" and payload["invoice"] == NUMBER and payload["state"] == "paid"
    assert files(data, "payments")[f"{NUMBER.lower()}-betaling-2024-02-03"]["note"] == "Rest"
    unknown = cli("pay", "nope-0001", "--data", str(data), "--date", "2024-02-01", "--lang", "en")
    assert unknown.code == 2 and "no issued invoice 'nope-0001'" in unknown.err


def test_payment_goes_to_the_cluster_that_issued_the_invoice(cli, data: Path) -> None:
    other = data / "kyst"
    shutil.copytree(data / "vesterhavet", other, ignore=shutil.ignore_patterns("invoices", "payments", ".*"))
    cluster = other / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('id = "vesterhavet"', 'id = "kyst"')
                       .replace('name = "Testklynge Vesterhavet"', 'name = "Testklynge Kyst"')
                       .replace('aliases = ["Vesterhavet"]', 'aliases = ["Kyst"]'), "utf-8")
    ok(cli, "invoices", "Kyst", "--data", str(data), "--issue", "--date", "2024-01-20", "--grant", "palliation")
    # Sandby Kommune (one CVR) issues in both clusters from one sequence: its Kyst invoice is not SAN-2024-0001 again.
    [number] = [p.stem for p in (other / "invoices").glob("*.toml") if not p.name.startswith(".")]
    assert number == "SAN-2024-0002" and (data / "vesterhavet" / "invoices" / "SAN-2024-0001.toml").is_file()
    ok(cli, "pay", number.lower(), "--data", str(data), "--date", "2024-02-01")
    assert [p.name for p in (other / "payments").glob("*.toml")] == ["san-2024-0002-betaling-2024-02-01.toml"]
    assert not (data / "vesterhavet" / "payments").exists()


# --------------------------------------------------------------------------- the same rule in check


def test_the_rule_is_the_journals_so_check_finds_a_hand_written_overpayment(data: Path) -> None:
    folder = data / "vesterhavet"
    (folder / "payments").mkdir()
    (folder / "payments" / "too-much.toml").write_text(f'invoice = "{NUMBER}"\ndate = 2024-02-01\namount = "90000.00"\n', "utf-8")
    (folder / "refunds").mkdir()
    (folder / "refunds" / "nothing-owed.toml").write_text('invoice = "HAV-2024-0002"\ndate = 2024-02-02\namount = 1\n', "utf-8")
    ledger, problems = load_ledger(folder)
    assert ledger is not None and not [p for p in problems if p.is_error]
    found = check_journal(ledger, build_journal(ledger), dt.date(2026, 1, 1))
    keys = {(p.message.key, p.file.name if p.file else None) for p in found}
    assert ("invariants.overpaid", "too-much.toml") in keys
    assert ("invariants.over_refunded", "nothing-owed.toml") in keys
    assert isinstance(ledger.payments[0], Payment) and isinstance(ledger.refunds[0], Refund)
    assert ledger.payments[0].amount == Decimal("90000.00")
