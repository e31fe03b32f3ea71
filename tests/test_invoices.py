"""`klyngefond invoices`: the split into invoices, balances as of a day, issuing, credit notes and documents.

The fixture cluster ``klyngefond/examples/fictional/vesterhavet`` is fictional, with full partner
details (valid CVR and EAN check digits, addresses, accounts) and an owner for every grant,
one grant per co-financing model. Everything below runs the command line as a person types it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO

from klyngefond.core.cofinancing import basis_for, shares_for
from klyngefond.core.invoicing import PlannedDocument, plan_documents, split_grant, wanted_amounts
from klyngefond.core.ledger import Ledger
from klyngefond.core.records import (
    Allocation,
    Change,
    Cluster,
    Decision,
    ExplicitAmounts,
    FixedPlusProRata,
    Grant,
    Invoice,
    ParticipantsOnly,
    Partner,
    Solidarity,
    YearSpan,
)
from klyngefond.journal import query
from klyngefond.journal.build import build_journal
from klyngefond.reports.invoices import grant_splits, pending_documents

FIXTURE_SPLIT = {
    # (grant, recipient): what the owner invoices
    ("akutteam", "havby"): "171428.57",
    ("akutteam", "klitby"): "85714.29",
    ("akutteam", "sandby"): "42857.14",
    ("faelles-sundhedsteam", "klitby"): "85714.29",
    ("faelles-sundhedsteam", "sandby"): "42857.14",
    ("faelles-sundhedsteam", "region-vest"): "300000.00",
    ("forebyggelse", "havby"): "100000.00",
    ("forebyggelse", "region-vest"): "75000.00",
    ("palliation", "havby"): "98765.42",
}
ALL_NUMBERS = {
    "HAV-2024-0001", "HAV-2024-0002", "HAV-2024-0003",
    "KLI-2024-0001", "KLI-2024-0002",
    "RVE-2024-0001", "RVE-2024-0002", "RVE-2024-0003",
    "SAN-2024-0001",
}


@pytest.fixture
def data(fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the fixture data; the documents go to ``tmp_path/fakturaer`` (the default, relative to here)."""
    monkeypatch.chdir(tmp_path)
    return fixture_copy


def ok(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0, result.text
    return result


def invoices_json(cli, data: Path, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return json.loads(ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--json", *args).out)


def issue(cli, data: Path, *args: str, date: str = "2024-01-15"):  # type: ignore[no-untyped-def]
    return ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", date, *args)


def invoice_files(data: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    folder = data / "vesterhavet" / "invoices"
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.toml")) if not p.name.startswith(".")}


def record_change(data: Path, change_id: str, body: str, date: str) -> None:
    """A change to a grant, as `reduce`/`topup`/`withdraw` record it (one new file in changes/)."""
    folder = data / "vesterhavet" / "changes"
    folder.mkdir(exist_ok=True)
    (folder / f"{change_id}.toml").write_text(
        f'id = "{change_id}"\n{body}\ndecision = {{ level = "politisk", date = {date} }}\n', "utf-8")


def net_invoiced(files: dict[str, dict], grant: str, recipient: str) -> Decimal:  # type: ignore[type-arg]
    return sum(((1 if f["kind"] == "invoice" else -1) * Decimal(f["amount"]) for f in files.values()
                if f["grant"] == grant and f["recipient"] == recipient), Decimal("0.00"))


# --------------------------------------------------------------------------- the split


def test_split_of_the_fixture_cluster_adds_up_to_every_grant(cli, data: Path) -> None:
    report = invoices_json(cli, data)
    lines = {(g["id"], i["recipient"]): i["amount"] for g in report["grants"] for i in g["invoices"]}
    assert lines == FIXTURE_SPLIT
    for grant in report["grants"]:
        assert grant["owner"] not in {i["recipient"] for i in grant["invoices"]}
        assert sum(Decimal(i["amount"]) for i in grant["invoices"]) + Decimal(grant["owner_share"]) == Decimal(grant["granted"])
        assert all(i["issuer"] == grant["owner"] for i in grant["invoices"])
    payers = {(p["payer"], p["payee"]): p["amount"] for p in report["payers"]}
    assert payers[("havby", "region-vest")] == "171428.57"
    assert sum(Decimal(p["amount"]) for p in report["payers"]) == Decimal("1002336.85")
    assert len(report["pending"]) == 9 and report["issued"] == [] and report["partners"] == []


def test_table_in_danish(cli, data: Path) -> None:
    out = ok(cli, "invoices", "Vesterhavet", "--data", str(data)).out
    assert "Testklynge Vesterhavet — fakturering af bevillinger" in out
    assert "Mobilt akutteam · tildelt 500.000,00 kr. · projektejer: Region Vest" in out
    assert "egen andel, faktureres ikke" in out and "171.428,57" in out
    assert "Hvem betaler hvem" in out and "1.002.336,85" in out
    assert "Ikke udstedt endnu: 9 fakturaer (1.002.336,85 kr.). Udsted med: klyngefond invoices vesterhavet --issue" in out
    for english in ("Invoice", "owner", "Total", "Amount"):
        assert english not in out


def test_table_in_english(cli, data: Path) -> None:
    issue(cli, data)
    out = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--lang", "en", "--as-of", "2024-03-01").out
    assert "Testklynge Vesterhavet — invoicing of grants as of 2024-03-01" in out
    assert "Mobilt akutteam · granted DKK 500,000.00 · owner: Region Vest" in out
    assert "own share, not invoiced" in out and "171,428.57" in out
    assert "Invoices by partner as of 2024-03-01" in out and "To be refunded" in out and "overdue" in out
    for danish in ("Faktura", "Udestående", "Til gode", "kr.", "forfalden", "egen andel"):
        assert danish not in out


def test_json_amounts_are_strings_with_two_decimals(cli, data: Path) -> None:
    issue(cli, data)
    report = invoices_json(cli, data, "--as-of", "2024-02-01")
    assert report["as_of"] == "2024-02-01" and report["judged_on"] == "2024-02-01"
    first = next(i for i in report["issued"] if i["number"] == "RVE-2024-0001")
    assert first == {"number": "RVE-2024-0001", "kind": "invoice", "issuer": "region-vest", "recipient": "havby",
                     "grant": "akutteam", "amount": "171428.57", "issue_date": "2024-01-15", "due_date": "2024-02-14",
                     "credits": None, "cause": None, "einvoice_format": "oioubl", "credited": "0.00", "paid": "0.00",
                     "refunded": "0.00", "open": "171428.57", "state": "open"}
    havby = next(p for p in report["partners"] if p["partner"] == "havby")
    assert havby["invoiced"] == "370193.99" and havby["receivable"] == "428571.43"
    assert report["totals"]["invoiced"] == "1002336.85"


def test_grant_filter_and_usage_errors(cli, data: Path) -> None:
    report = invoices_json(cli, data, "--grant", "Tidlig palliativ")  # the start of a grant's name
    assert [g["id"] for g in report["grants"]] == ["palliation"]
    unknown = cli("invoices", "Vesterhavet", "--data", str(data), "--grant", "nope")
    assert unknown.code == 2 and "ukendt bevilling «nope»" in unknown.err and "akutteam" in unknown.err
    assert cli("invoices", "Atlantis", "--data", str(data)).code == 2
    bad_format = cli("invoices", "Vesterhavet", "--data", str(data), "--format", "xlsx")
    assert bad_format.code == 2 and "ukendt format «xlsx»" in bad_format.err
    assert cli("invoices", "Vesterhavet", "--data", str(data), "--date", "2024-01-15").code == 2
    assert "bruges kun sammen med --issue" in cli("invoices", "Vesterhavet", "--data", str(data), "--out", "x").err
    assert cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--as-of", "2024-01-01").code == 2
    assert cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--due-days", "-3").code == 2
    assert cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "soon").code == 2
    assert invoice_files(data) == {}


# --------------------------------------------------------------------------- as of a day


def test_as_of_counts_only_what_was_dated_by_then(cli, data: Path) -> None:
    """Symptom 5: an invoice issued 15-01-2024 and a payment made later do not count on 01-12-2023."""
    issue(cli, data, "--grant", "akutteam", date="2023-11-01")
    issue(cli, data)
    ok(cli, "pay", "RVE-2023-0001", "--data", str(data), "--date", "2023-11-20", "--amount", "1000")
    ok(cli, "pay", "HAV-2024-0003", "--data", str(data), "--date", "2024-02-01")

    before = invoices_json(cli, data, "--as-of", "2023-12-01")
    assert {i["number"] for i in before["issued"]} == {"RVE-2023-0001", "RVE-2023-0002",
                                                       "RVE-2023-0003"}
    partners = {p["partner"]: p for p in before["partners"]}
    assert partners["havby"]["invoiced"] == "171428.57" and partners["havby"]["paid"] == "1000.00"
    assert partners["region-vest"]["invoiced"] == "0.00" and partners["region-vest"]["paid"] == "0.00"
    assert partners["havby"]["overdue"] == "0.00"  # due 01-12-2023: not overdue on that day
    assert before["totals"]["invoiced"] == "300000.00"

    later = invoices_json(cli, data, "--as-of", "2023-12-02")
    assert {p["partner"]: p for p in later["partners"]}["havby"]["overdue"] == "170428.57"

    after = invoices_json(cli, data, "--as-of", "2024-02-01")
    partners = {p["partner"]: p for p in after["partners"]}
    assert partners["region-vest"]["paid"] == "300000.00" and partners["region-vest"]["outstanding"] == "75000.00"
    assert after["totals"]["invoiced"] == "1002336.85"

    text = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--as-of", "01-12-2023").out
    assert "pr. 01-12-2023" in text and "HAV-2024-0003" not in text and "15-01-2024" not in text


def test_totals_equal_status_json_for_the_same_day(cli, data: Path) -> None:
    issue(cli, data)
    ok(cli, "pay", "KLI-2024-0001", "--data", str(data), "--date", "2024-02-01", "--amount", "40.000")
    ok(cli, "pay", "HAV-2024-0002", "--data", str(data), "--date", "2024-02-20")
    for day in ("2024-01-31", "2024-02-15", "2024-03-01"):
        mine = invoices_json(cli, data, "--as-of", day)
        status = json.loads(ok(cli, "status", "Vesterhavet", "--data", str(data), "--json", "--as-of", day).out)
        theirs = {b["partner"]: b for b in status["invoices"]}
        for field in ("invoiced", "paid", "outstanding", "overdue", "to_be_refunded"):
            assert mine["totals"][field] == str(sum(Decimal(b[field]) for b in theirs.values())), (day, field)
        for row in mine["partners"]:
            assert {k: v for k, v in row.items() if k != "name"} == theirs[row["partner"]], (day, row["partner"])


# --------------------------------------------------------------------------- issuing


def test_issue_numbers_records_writes_documents_and_is_idempotent(cli, data: Path, tmp_path: Path) -> None:
    first = issue(cli, data)
    assert "Udstedt 9 dokumenter med fakturadato 15-01-2024:" in first.out
    assert "18 filer skrevet i fakturaer/vesterhavet" in first.out
    files = invoice_files(data)
    assert set(files) == ALL_NUMBERS
    assert {(f["grant"], f["recipient"]): f["amount"] for f in files.values()} == FIXTURE_SPLIT
    some = files["HAV-2024-0001"]
    assert (some["issue_date"], some["due_date"], some["kind"], some["issuer"]) == (dt.date(2024, 1, 15), dt.date(2024, 2, 14),
                                                                                   "invoice", "havby")
    header = (data / "vesterhavet" / "invoices" / "HAV-2024-0001.toml").read_text("utf-8")
    assert header.startswith("# Udstedt af `klyngefond invoices --issue`") and "Ret eller slet den ikke" in header
    documents = tmp_path / "fakturaer" / "vesterhavet"
    assert len(list(documents.glob("*.pdf"))) == 9 and len(list(documents.glob("*.xml"))) == 9

    second = issue(cli, data, date="2024-01-20")
    assert "Intet at udstede: alle fakturaer efter fordelingen er udstedt." in second.out
    assert invoice_files(data) == files
    report = invoices_json(cli, data)
    assert report["pending"] == [] and len(report["issued"]) == 9
    assert "Alle fakturaer efter fordelingen er udstedt." in ok(cli, "invoices", "Vesterhavet", "--data", str(data)).out


def test_issue_json_and_due_days(cli, data: Path, tmp_path: Path) -> None:
    result = issue(cli, data, "--grant", "palliation", "--due-days", "14", "--out", str(tmp_path / "docs"), "--json")
    payload = json.loads(result.out)
    assert [(i["number"], i["amount"], i["due_date"]) for i in payload["issued"]] == [
        ("SAN-2024-0001", "98765.42", "2024-01-29")]
    assert {Path(f["path"]).name for f in payload["documents"]["files"]} == {"SAN-2024-0001.pdf",
                                                                            "SAN-2024-0001.xml"}


def test_reduction_credits_newest_first_and_top_up_invoices_the_difference(cli, data: Path, tmp_path: Path) -> None:
    issue(cli, data)
    record_change(data, "faelles-nedsat", 'kind = "reduction"\ngrant = "faelles-sundhedsteam"\namount = 300000', "2024-03-01")
    result = issue(cli, data, "--grant", "faelles-sundhedsteam", date="2024-03-05")
    assert "Udstedt 3 dokumenter" in result.out and "-150.000,00" in result.out and "Krediterer" in result.out
    files = invoice_files(data)
    credits = {n: f for n, f in files.items() if f["kind"] == "credit_note"}
    assert {(f["recipient"], f["amount"], f["credits"]) for f in credits.values()} == {
        ("klitby", "42857.15", "HAV-2024-0001"),
        ("sandby", "21428.57", "HAV-2024-0002"),
        ("region-vest", "150000.00", "HAV-2024-0003"),
    }
    assert sorted(credits) == ["HAV-2024-0004", "HAV-2024-0005", "HAV-2024-0006"]
    assert (tmp_path / "fakturaer" / "vesterhavet" / "HAV-2024-0004.xml").is_file()

    record_change(data, "faelles-tillaeg", 'kind = "top-up"\ngrant = "faelles-sundhedsteam"\namount = 400000', "2024-04-01")
    issue(cli, data, date="2024-04-02")
    files = invoice_files(data)
    split = {(g["id"], i["recipient"]): Decimal(i["amount"]) for g in invoices_json(cli, data)["grants"] for i in g["invoices"]}
    for recipient in ("klitby", "sandby", "region-vest"):
        assert net_invoiced(files, "faelles-sundhedsteam", recipient) == split[("faelles-sundhedsteam", recipient)]
    assert invoices_json(cli, data)["pending"] == []


def test_withdrawal_credits_everything(cli, data: Path) -> None:
    issue(cli, data)
    record_change(data, "palliation-trukket", 'kind = "withdrawal"\ngrant = "palliation"', "2024-03-01")
    issue(cli, data, date="2024-03-05")
    notes = [f for f in invoice_files(data).values() if f["kind"] == "credit_note"]
    assert [(n["recipient"], n["amount"], n["credits"]) for n in notes] == [("havby", "98765.42", "SAN-2024-0001")]


def test_a_document_the_rules_refuse_is_named_and_nothing_is_issued(cli, data: Path) -> None:
    """All documents of one issuing are checked together; when the rules refuse, the refused
    one is named and none is written (a credit note dated before a payment of the whole
    invoice would make that payment more than was open)."""
    issue(cli, data)
    payments = data / "vesterhavet" / "payments"
    payments.mkdir()
    (payments / "betalt.toml").write_text('invoice = "SAN-2024-0001"\ndate = 2024-03-10\namount = "98765.42"\n', "utf-8")
    record_change(data, "palliation-trukket", 'kind = "withdrawal"\ngrant = "palliation"', "2024-03-01")
    before = invoice_files(data)
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-03-05")
    assert result.code == 1, result.text
    assert "bryder regnskabets regler og er ikke udstedt" in result.err and "SAN-2024-" in result.err
    assert invoice_files(data) == before


def test_issuing_before_a_change_uses_the_split_of_that_day(cli, data: Path) -> None:
    record_change(data, "akut-tillaeg", 'kind = "top-up"\ngrant = "akutteam"\namount = 100000', "2024-02-01")
    issue(cli, data, "--grant", "akutteam", date="2024-01-15")
    assert net_invoiced(invoice_files(data), "akutteam", "havby") == Decimal("171428.57")
    issue(cli, data, "--grant", "akutteam", date="2024-02-01")
    assert net_invoiced(invoice_files(data), "akutteam", "havby") == Decimal("228571.43")


def test_numbers_are_never_reused(cli, data: Path) -> None:
    issue(cli, data)
    invoices = data / "vesterhavet" / "invoices"
    # A number whose file went missing is not handed out again: the counter remembers it.
    (invoices / "SAN-2024-0001.toml").unlink()
    issue(cli, data, date="2024-01-16")
    assert "SAN-2024-0002" in invoice_files(data) and "SAN-2024-0001" not in invoice_files(data)
    # A lost counter file does not bring used numbers back either: numbers on files are skipped.
    (data / ".invoice-numbers.toml").unlink()
    record_change(data, "palliation-trukket", 'kind = "withdrawal"\ngrant = "palliation"', "2024-03-01")
    issue(cli, data, date="2024-03-05")
    assert invoice_files(data)["SAN-2024-0003"]["credits"] == "SAN-2024-0002"  # not 0001 again


def test_broken_counter_file_refuses_and_issues_nothing(cli, data: Path) -> None:
    (data / ".invoice-numbers.toml").write_text('[last]\n"HAV-2024" = -1\n', "utf-8")
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-01-15")
    assert result.code == 1 and "tællerfilen" in result.err and "slet den ikke" in result.err
    assert invoice_files(data) == {}


def test_issue_dates_in_the_future_or_before_the_latest_invoice_are_refused(cli, data: Path) -> None:
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", future)
    assert result.code == 1 and "ligger i fremtiden" in result.err
    issue(cli, data, "--grant", "akutteam", date="2024-01-15")
    earlier = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-01-10")
    assert earlier.code == 1 and "før den senest udstedte faktura" in earlier.err
    assert len(invoice_files(data)) == 3


def test_missing_owner_blocks_issuing_and_names_the_file(cli, data_copy: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    shown = ok(cli, "invoices", "Sydvestjylland", "--data", str(data_copy))
    assert "projektejer ikke oplyst" in shown.out and "627.851,18" in shown.out
    assert "Udfyld owner i" in shown.out and "kom-trygt-hjem.toml" in shown.out
    report = json.loads(ok(cli, "invoices", "Sydvestjylland", "--data", str(data_copy), "--json").out)
    totals = {p["payer"]: p["amount"] for p in report["payers"]}
    assert totals["esbjerg"] == "655288.18" and totals["region-syddanmark"] == "1936093.00"
    assert {g["blocked"]["reason"] for g in report["grants"]} == {"no_owner"}
    result = cli("invoices", "Sydvestjylland", "--data", str(data_copy), "--issue", "--date", "2024-03-01")
    assert result.code == 1
    assert "der kan ikke udstedes fakturaer for 2 bevillinger i Sundhedsklynge Sydvestjylland" in result.err
    assert "akutomraadet.toml" in result.err and "kom-trygt-hjem.toml" in result.err
    assert not list((data_copy / "sydvestjylland").glob("invoices/*.toml"))


def test_missing_ean_names_partner_file_and_key_and_issues_nothing(cli, data: Path, tmp_path: Path) -> None:
    cluster = data / "vesterhavet" / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('ean = "5790000000029"\n', ""), "utf-8")
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-01-15")
    assert result.code == 1
    assert "Klitby Kommune (klitby) har intet EAN-nummer" in result.err
    assert "partners[2] (klitby).ean" in result.err and "cluster.toml" in result.err
    assert "Traceback" not in result.text
    assert invoice_files(data) == {} and not (tmp_path / "fakturaer").exists()


def test_invalid_cvr_and_iban_without_bic_are_refused(cli, data: Path) -> None:
    cluster = data / "vesterhavet" / "cluster.toml"
    original = cluster.read_text("utf-8")
    cluster.write_text(original.replace('cvr = "34567808"', 'cvr = "34567809"'), "utf-8")
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-01-15", "--lang", "en")
    assert result.code == 1 and "fails the modulus-11 check" in result.err and "partners[3] (sandby).cvr" in result.err
    # A foreign IBAN without the bank's BIC can go on no e-invoice (a Danish one is sent as reg.nr./kontonr.).
    cluster.write_text(original.replace('iban = "DK5000400440116243", bic = "NDEADKKK"', 'iban = "DE89370400440532013000"'), "utf-8")
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--grant", "palliation", "--date", "2024-01-15")
    assert result.code == 1 and "uden bankens BIC" in result.err and "partners[3] (sandby).payment.bic" in result.err
    # the recipient side needs no account: Sandby can still be invoiced by others
    issue(cli, data, "--grant", "akutteam")
    assert len(invoice_files(data)) == 3


def test_two_processes_issuing_at_once_neither_bill_twice_nor_reuse_a_number(data: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "klyngefond", "invoices", "Vesterhavet", "--data", str(data), "--issue",
               "--date", "2024-01-15"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen(command + ["--out", str(tmp_path / f"out{i}")], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for i in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    assert set(invoice_files(data)) == ALL_NUMBERS
    assert sum("Udstedt 9 dokumenter" in out for out, _ in outputs) == 1
    assert sum("Intet at udstede" in out for out, _ in outputs) == 2


# --------------------------------------------------------------------------- documents and output files


def test_documents_are_written_again_and_never_overwritten_without_force(cli, data: Path, tmp_path: Path) -> None:
    issue(cli, data)
    again = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents")
    assert "18 filer var allerede skrevet og er uændrede" in again.out
    pdf = tmp_path / "fakturaer" / "vesterhavet" / "HAV-2024-0001.pdf"
    pdf.write_bytes(b"changed by hand")
    refused = cli("invoices", "Vesterhavet", "--data", str(data), "--documents")
    assert refused.code == 1 and "1 fil findes allerede med andet indhold" in refused.err and "HAV-2024-0001.pdf" in refused.err
    assert pdf.read_bytes() == b"changed by hand"
    replaced = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents", "--force")
    assert "1 fil erstattet (--force)" in replaced.out and pdf.read_bytes().startswith(b"%PDF")
    # English PDFs are other documents: --force replaces the nine Danish ones, the e-invoices stay the same
    english = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents", "--force", "--lang", "en")
    assert "9 files were already written and unchanged" in english.out and "9 files replaced (--force)" in english.out


def test_documents_need_something_issued(cli, data: Path) -> None:
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--documents")
    assert result.code == 1 and "der er ikke udstedt fakturaer" in result.err and "--issue" in result.err


def test_markdown_for_the_agenda(cli, data: Path) -> None:
    text = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--format", "markdown").out
    assert text.startswith("## Testklynge Vesterhavet — fakturering af bevillinger")
    assert "### Mobilt akutteam · tildelt 500.000,00 kr. · projektejer: Region Vest" in text
    assert "| Havby Kommune | Region Vest | 171.428,57 |" in text
    assert "| **Tildelt** |  | **500.000,00** |" in text
    assert "- Ikke udstedt endnu: 9 fakturaer" in text


def test_csv_file_for_danish_excel_and_output_never_overwritten(cli, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "fordeling.csv"
    written = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--format", "csv", "--output", str(target))
    assert "Skrev" in written.err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so that Excel reads UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Bevilling-id;Bevilling;Betaler;Betaler til;Beløb;Type"
    assert "akutteam;Mobilt akutteam;Havby Kommune;Region Vest;171428,57;faktura" in lines
    refused = cli("invoices", "Vesterhavet", "--data", str(data), "--format", "csv", "--output", str(target))
    assert refused.code == 1 and "--force" in refused.err and target.read_bytes() == raw
    ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--format", "csv", "--output", str(target), "--force", "--lang", "en")
    assert target.read_bytes().decode("utf-8-sig").splitlines()[0] == "Grant id,Grant,Payer,Pays to,Amount,Type"
    table = tmp_path / "fakturering.txt"
    ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--output", str(table))
    assert "Hvem betaler hvem" in table.read_text("utf-8")


def test_formula_like_names_are_neutralised_in_csv(cli, data: Path) -> None:
    cluster = data / "vesterhavet" / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('name = "Klitby Kommune"', 'name = "=HYPERLINK(\\"x\\")"'), "utf-8")
    shown = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--format", "csv").out
    assert "'=HYPERLINK" in shown and ";=HYPERLINK" not in shown


# --------------------------------------------------------------------------- pure functions


def _grant(amount: str, owner: str = "a") -> Grant:
    return Grant(id="g", name="G", granted=Decimal(amount), financing=Solidarity(), owner=owner)


def _inv(number: str, amount: str, issuer: str = "a", recipient: str = "b", day: int = 1) -> Invoice:
    return Invoice(number, "invoice", issuer, recipient, "g", Decimal(amount), dt.date(2024, 1, day), dt.date(2024, 2, day))


def test_split_leaves_out_the_owner_and_zero_shares() -> None:
    split = split_grant(_grant("300.00"), Decimal("300.00"), {"a": Decimal("100.00"), "b": Decimal("200.00"), "c": Decimal("0.00")})
    assert [(line.recipient, line.amount) for line in split.lines] == [("b", Decimal("200.00"))]
    assert split.owner_share == Decimal("100.00") and split.reconciles and split.can_invoice
    unknown = split_grant(_grant("300.00"), Decimal("300.00"), None)
    assert unknown.lines == () and not unknown.can_invoice and unknown.reconciles


def test_plan_top_up_gives_an_additional_invoice() -> None:
    split = split_grant(_grant("300.00"), Decimal("300.00"), {"a": Decimal("100.00"), "b": Decimal("200.00")})
    planned = plan_documents(wanted_amounts([split]), {"g"}, {("g", "a", "b"): Decimal("150.00")},
                             [(_inv("c-a-0001", "150.00"), Decimal("150.00"))])
    assert planned == (PlannedDocument("invoice", "g", "a", "b", Decimal("50.00")),)


def test_plan_withdrawal_credits_what_each_invoice_still_bills_newest_first() -> None:
    split = split_grant(_grant("0.00"), Decimal("0.00"), {})
    creditable = [(_inv("c-a-0001", "150.00"), Decimal("130.00")), (_inv("c-a-0002", "50.00", day=5), Decimal("50.00"))]
    planned = plan_documents(wanted_amounts([split]), {"g"}, {("g", "a", "b"): Decimal("180.00")}, creditable)
    assert [(p.kind, p.amount, p.credits) for p in planned] == [
        ("credit_note", Decimal("50.00"), "c-a-0002"),
        ("credit_note", Decimal("130.00"), "c-a-0001"),
    ]
    assert plan_documents(wanted_amounts([split]), {"g"}, {("g", "a", "b"): Decimal("0.00")}, creditable) == ()


def test_plan_new_owner_credits_the_old_owner_and_invoices_from_the_new() -> None:
    split = split_grant(_grant("300.00", owner="c"), Decimal("300.00"),
                        {"a": Decimal("100.00"), "b": Decimal("150.00"), "c": Decimal("50.00")})
    planned = plan_documents(wanted_amounts([split]), {"g"}, {("g", "a", "b"): Decimal("150.00")},
                             [(_inv("c-a-0001", "150.00"), Decimal("150.00"))])
    assert {(p.kind, p.issuer, p.recipient, p.amount) for p in planned} == {
        ("invoice", "c", "a", Decimal("100.00")),
        ("invoice", "c", "b", Decimal("150.00")),
        ("credit_note", "a", "b", Decimal("150.00")),
    }


def test_plan_leaves_grants_out_of_scope_alone() -> None:
    assert plan_documents({}, set(), {("g", "a", "b"): Decimal("150.00")}, [(_inv("c-a-0001", "150.00"), Decimal("150.00"))]) == ()


# --------------------------------------------------------------------------- properties

PARTNER_IDS = ["p1", "p2", "p3", "p4", "p5", "p6"]


@st.composite
def grant_cases(draw):  # type: ignore[no-untyped-def]
    n = draw(st.integers(2, 6))
    ids = PARTNER_IDS[:n]
    allocations = draw(st.lists(st.integers(1, 10_000_000), min_size=n, max_size=n))
    cluster = Cluster(
        id="c", name="C", region="R",
        partners=tuple(Partner(pid, pid.upper(), "kommune") for pid in ids),
        allocations=tuple(Allocation(pid, YearSpan(2023, 2023), received=Decimal(a)) for pid, a in zip(ids, allocations)),
    )
    granted = Decimal(draw(st.integers(1, 500_000_000))) / 100
    model = draw(st.sampled_from(["solidarity", "participants", "fixed-plus-pro-rata", "explicit"]))
    if model == "solidarity":
        financing = Solidarity(weights=draw(st.sampled_from(["allocation", "equal"])))
    elif model == "participants":
        financing = ParticipantsOnly(tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n, unique=True))))
    elif model == "fixed-plus-pro-rata":
        fixed = Decimal(draw(st.integers(0, int(granted * 100)))) / 100
        financing = FixedPlusProRata({draw(st.sampled_from(ids)): fixed})
    else:
        cuts = sorted(draw(st.lists(st.integers(0, int(granted * 100)), min_size=n - 1, max_size=n - 1)))
        bounds = [0, *cuts, int(granted * 100)]
        financing = ExplicitAmounts({pid: Decimal(bounds[i + 1] - bounds[i]) / 100 for i, pid in enumerate(ids)})
    owner = draw(st.sampled_from(ids))
    grant = Grant(id="g", name="G", granted=granted, financing=financing, owner=owner, year=YearSpan(2023, 2023),
                  decision=Decision("politisk", dt.date(2023, 3, 1)))
    return cluster, grant


@settings(max_examples=200, deadline=None)
@given(grant_cases())
def test_invoiced_shares_and_the_owners_share_add_up_to_the_grant(case) -> None:  # type: ignore[no-untyped-def]
    cluster, grant = case
    shares = shares_for(grant.financing, grant.granted, basis_for(cluster, cluster.allocations, 2023))
    split = split_grant(grant, grant.granted, shares)
    assert split.invoiced + split.owner_share == grant.granted
    assert grant.owner not in {line.recipient for line in split.lines}
    assert all(line.amount > 0 and line.amount == shares[line.recipient] for line in split.lines)  # type: ignore[index]


def _issue_in_memory(ledger: Ledger, on: dt.date, count: list[int]) -> Ledger:
    """What ``--issue`` does, without files: plan on the journal, number, add the records."""
    journal = build_journal(ledger)
    planned = pending_documents(journal, grant_splits(ledger, journal, as_of=on), as_of=on)
    new = []
    for doc in planned:
        count[0] += 1
        new.append(Invoice(f"c-{doc.issuer}-{count[0]:04d}", doc.kind, doc.issuer, doc.recipient, doc.grant, doc.amount, on,
                           on + dt.timedelta(days=30), doc.credits))
    return ledger.with_records(invoices=tuple(new))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grant_cases(), st.lists(st.tuples(st.sampled_from(["top-up", "reduction", "withdrawal"]), st.integers(1, 100_000_000)),
                               min_size=1, max_size=5))
def test_issuing_after_top_ups_and_reductions_leaves_invoiced_equal_to_the_split(case, steps) -> None:  # type: ignore[no-untyped-def]
    cluster, grant = case
    ledger = Ledger(Path("."), cluster, grants=(grant,))
    count = [0]
    day = dt.date(2023, 4, 1)
    ledger = _issue_in_memory(ledger, day, count)
    amount = grant.granted
    for index, (kind, cents) in enumerate(steps):
        day += dt.timedelta(days=10)
        value = Decimal(cents) / 100
        if kind == "reduction":
            value = min(value, amount)
            if value == 0:
                continue
        change = Change(f"c{index}", kind, "g", Decision("politisk", day), None if kind == "withdrawal" else value,
                        year=YearSpan(2023, 2023))
        ledger = ledger.with_records(changes=(change,))
        amount = Decimal("0.00") if kind == "withdrawal" else (amount + value if kind == "top-up" else amount - value)
        day += dt.timedelta(days=1)
        ledger = _issue_in_memory(ledger, day, count)
        journal = build_journal(ledger)
        splits = grant_splits(ledger, journal)
        wanted = wanted_amounts(splits)
        invoiced = {key: value for key, value in query.invoiced_net(journal).items() if value}
        assert invoiced == {key: value for key, value in wanted.items() if value}
        assert pending_documents(journal, splits) == ()
        if kind == "withdrawal":
            break
