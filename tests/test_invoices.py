"""Issue 4: the split into invoices, issuing, credit notes, documents, payments and safe output.

The fixture cluster ``tests/fixtures/data/vesterhavet`` is fictional and has full partner
details (valid CVR and EAN check digits, addresses, accounts) and an owner for every grant,
one grant per co-financing model. The shipped Sydvestjylland data has no owners, CVRs or EANs.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing
import re
import shutil
import subprocess
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from klyngefond.cli.app import app
from klyngefond.core.invoicing import plan_documents, split_grant
from klyngefond.core.cofinancing import shares_for
from klyngefond.core.records import (
    Allocation,
    Cluster,
    ExplicitAmounts,
    FixedPlusProRata,
    Grant,
    Invoice,
    ParticipantsOnly,
    Partner,
    Solidarity,
    YearSpan,
)
from klyngefond.documents.oioubl import CAC, CBC, check_oioubl_rules, default_xsd_dir, validate_ubl
from klyngefond.render.tabular import csv_text, neutralise

from conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "data"
NS = {"cac": CAC, "cbc": CBC}
runner = CliRunner()

FIXTURE_SPLIT = {
    # (grant, recipient): amount the owner invoices
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


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "fakturaer"


def run(*args: str):
    return runner.invoke(app, list(args))


def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def invoices_json(data: Path, *args: str) -> dict:
    return json.loads(ok("invoices", "vesterhavet", "--data", str(data), "--json", *args).stdout)


def issue(data: Path, out: Path, *args: str):
    return ok("invoices", "vesterhavet", "--data", str(data), "--issue", "--date", "2024-01-15", "--out", str(out), *args)


def invoice_files(data: Path) -> dict[str, dict]:
    folder = data / "vesterhavet" / "invoices"
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.toml")) if not p.name.startswith(".")}


def set_granted(data: Path, grant: str, amount: str) -> None:
    path = data / "vesterhavet" / "grants" / f"{grant}.toml"
    text = re.sub(r"(?m)^granted = .*$", f'granted = "{amount}"', path.read_text("utf-8"))
    path.write_text(text, "utf-8")


# --------------------------------------------------------------------------- the split


def test_split_of_the_fixture_cluster_reconciles_with_every_grant(data: Path):
    report = invoices_json(data)
    lines = {(g["id"], i["recipient"]): i["amount"] for g in report["grants"] for i in g["invoices"]}
    assert lines == FIXTURE_SPLIT
    for grant in report["grants"]:
        assert grant["owner"] not in {i["recipient"] for i in grant["invoices"]}
        total = sum(Decimal(i["amount"]) for i in grant["invoices"]) + Decimal(grant["owner_share"])
        assert total == Decimal(grant["granted"]), grant["id"]
        assert all(i["issuer"] == grant["owner"] for i in grant["invoices"])
    payers = {(p["payer"], p["payee"]): p["amount"] for p in report["payers"]}
    assert payers[("havby", "region-vest")] == "171428.57"
    assert sum(Decimal(p["amount"]) for p in report["payers"]) == Decimal("1002336.85")
    assert len(report["pending"]) == 9 and report["issued"] == []


PARTNER_IDS = ["p1", "p2", "p3", "p4", "p5", "p6"]


@st.composite
def grant_cases(draw):
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
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=n, unique=True))
        financing = ParticipantsOnly(tuple(chosen))
    elif model == "fixed-plus-pro-rata":
        fixed_id = draw(st.sampled_from(ids))
        fixed = Decimal(draw(st.integers(0, int(granted * 100)))) / 100
        financing = FixedPlusProRata({fixed_id: fixed})
    else:
        cuts = sorted(draw(st.lists(st.integers(0, int(granted * 100)), min_size=n - 1, max_size=n - 1)))
        bounds = [0, *cuts, int(granted * 100)]
        financing = ExplicitAmounts({pid: Decimal(bounds[i + 1] - bounds[i]) / 100 for i, pid in enumerate(ids)})
    owner = draw(st.sampled_from(ids))
    return cluster, Grant(id="g", name="G", granted=granted, financing=financing, owner=owner)


@settings(max_examples=300, deadline=None)
@given(grant_cases())
def test_split_reconciles_for_every_cofinancing_model(case):
    cluster, grant = case
    shares = shares_for(grant.financing, grant.granted, cluster)
    split = split_grant(grant, grant.granted, shares)
    assert split.reconciles
    assert split.invoiced + split.owner_share == grant.granted
    assert grant.owner not in {line.recipient for line in split.lines}
    assert all(line.amount > 0 and line.amount == shares[line.recipient] for line in split.lines)
    # issuing the split from nothing gives exactly one invoice per line, and then nothing more
    planned = plan_documents([split], [])
    assert [(p.kind, p.recipient, p.amount) for p in planned] == [("invoice", l.recipient, l.amount) for l in split.lines]


# --------------------------------------------------------------------------- planning (pure)


def _grant(amount: str, owner: str = "a") -> Grant:
    return Grant(id="g", name="G", granted=Decimal(amount), financing=Solidarity(), owner=owner)


def _inv(number: str, amount: str, kind: str = "invoice", credits: str | None = None, issuer: str = "a",
         recipient: str = "b", day: int = 1) -> Invoice:
    return Invoice(number, kind, issuer, recipient, "g", Decimal(amount), dt.date(2024, 1, day), dt.date(2024, 2, day),
                   credits)


def test_plan_topup_gives_an_additional_invoice():
    split = split_grant(_grant("300.00"), Decimal("300.00"), {"a": Decimal("100.00"), "b": Decimal("200.00")})
    planned = plan_documents([split], [_inv("c-a-0001", "150.00")])
    assert [(p.kind, p.amount, p.credits) for p in planned] == [("invoice", Decimal("50.00"), None)]


def test_plan_withdrawal_credits_every_open_invoice_newest_first():
    split = split_grant(_grant("0.00"), Decimal("0.00"), {})
    issued = [_inv("c-a-0001", "150.00"), _inv("c-a-0002", "50.00", day=5), _inv("c-a-0003", "20.00", "credit_note", "c-a-0001", day=6)]
    planned = plan_documents([split], issued)
    assert [(p.kind, p.amount, p.credits) for p in planned] == [
        ("credit_note", Decimal("50.00"), "c-a-0002"),
        ("credit_note", Decimal("130.00"), "c-a-0001"),
    ]
    assert plan_documents([split], issued + [_inv("c-a-0004", "50.00", "credit_note", "c-a-0002"),
                                             _inv("c-a-0005", "130.00", "credit_note", "c-a-0001")]) == ()


def test_plan_new_owner_credits_the_old_owner_and_invoices_from_the_new():
    split = split_grant(_grant("300.00", owner="c"), Decimal("300.00"),
                        {"a": Decimal("100.00"), "b": Decimal("150.00"), "c": Decimal("50.00")})
    planned = plan_documents([split], [_inv("c-a-0001", "150.00")])
    assert {(p.kind, p.issuer, p.recipient, p.amount) for p in planned} == {
        ("invoice", "c", "a", Decimal("100.00")),
        ("invoice", "c", "b", Decimal("150.00")),
        ("credit_note", "a", "b", Decimal("150.00")),
    }


# --------------------------------------------------------------------------- issuing


def test_issue_numbers_records_and_is_idempotent(data: Path, out: Path):
    first = issue(data, out)
    assert "Udstedt 9" in first.stdout
    files = invoice_files(data)
    assert {(f["grant"], f["recipient"]): f["amount"] for f in files.values()} == FIXTURE_SPLIT
    assert set(files) == {
        "vesterhavet-havby-0001", "vesterhavet-havby-0002", "vesterhavet-havby-0003",
        "vesterhavet-klitby-0001", "vesterhavet-klitby-0002",
        "vesterhavet-region-vest-0001", "vesterhavet-region-vest-0002", "vesterhavet-region-vest-0003",
        "vesterhavet-sandby-0001",
    }
    some = files["vesterhavet-havby-0001"]
    assert (some["issue_date"], some["due_date"], some["kind"]) == (dt.date(2024, 1, 15), dt.date(2024, 2, 14), "invoice")

    second = issue(data, out)
    assert "Intet at udstede" in second.stdout
    assert invoice_files(data) == files
    report = invoices_json(data)
    assert report["pending"] == [] and len(report["issued"]) == 9


def test_issue_then_reduction_gives_credit_notes_and_topup_an_invoice(data: Path, out: Path):
    issue(data, out)
    set_granted(data, "faelles-sundhedsteam", "300000")  # halved
    result = issue(data, out, "--grant", "faelles-sundhedsteam")
    assert "krediterer 0001" in result.stdout
    files = invoice_files(data)
    credits = {n: f for n, f in files.items() if f["kind"] == "credit_note"}
    assert {(f["recipient"], f["amount"], f["credits"]) for f in credits.values()} == {
        ("klitby", "42857.15", "vesterhavet-havby-0001"),
        ("sandby", "21428.57", "vesterhavet-havby-0002"),
        ("region-vest", "150000.00", "vesterhavet-havby-0003"),
    }
    assert sorted(credits) == ["vesterhavet-havby-0004", "vesterhavet-havby-0005", "vesterhavet-havby-0006"]
    for number in credits:
        xml = (out / f"{number}.xml").read_bytes()
        root = etree.fromstring(xml)
        assert etree.QName(root).localname == "CreditNote"
        assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == credits[number]["credits"]

    set_granted(data, "faelles-sundhedsteam", "700000")  # topped up beyond the original
    issue(data, out)
    split = {(g["id"], i["recipient"]): Decimal(i["amount"]) for g in invoices_json(data)["grants"] for i in g["invoices"]}
    files = invoice_files(data)
    for recipient in ("klitby", "sandby", "region-vest"):
        net = sum((1 if f["kind"] == "invoice" else -1) * Decimal(f["amount"]) for f in files.values()
                  if f["grant"] == "faelles-sundhedsteam" and f["recipient"] == recipient)
        assert net == split[("faelles-sundhedsteam", recipient)]
    assert invoices_json(data)["pending"] == []


def test_withdrawal_credits_everything(data: Path, out: Path):
    issue(data, out)
    set_granted(data, "palliation", "0")
    issue(data, out)
    files = invoice_files(data)
    notes = [f for f in files.values() if f["kind"] == "credit_note"]
    assert [(n["recipient"], n["amount"], n["credits"]) for n in notes] == [("havby", "98765.42", "vesterhavet-sandby-0001")]


def _issue_in_process(data: str) -> list[str]:
    from klyngefond.core.invoicing import plan_documents as plan_docs
    from klyngefond.reports.invoices import grant_splits
    from klyngefond.storage.invoices import issue as issue_documents

    folder = Path(data) / "vesterhavet"
    _, issued = issue_documents(folder, lambda ledger: plan_docs(grant_splits(ledger), ledger.invoices),
                                dt.date(2024, 1, 15), dt.date(2024, 2, 14))
    return [i.number for i in issued]


def test_concurrent_issuing_neither_bills_twice_nor_reuses_a_number(data: Path):
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.map(_issue_in_process, [str(data)] * 4)
    numbers = [n for batch in results for n in batch]
    assert len(numbers) == len(set(numbers)) == 9
    assert sorted(len(batch) for batch in results) == [0, 0, 0, 9]
    files = invoice_files(data)
    assert {(f["grant"], f["recipient"]): f["amount"] for f in files.values()} == FIXTURE_SPLIT


def test_two_cli_processes_at_once(data: Path, tmp_path: Path):
    command = [sys.executable, "-m", "klyngefond", "invoices", "vesterhavet", "--data", str(data), "--issue",
               "--date", "2024-01-15"]
    procs = [subprocess.Popen(command + ["--out", str(tmp_path / f"out{i}")], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len(invoice_files(data)) == 9
    assert sum("Udstedt 9" in stdout for stdout, _ in outputs) == 1


# --------------------------------------------------------------------------- documents


def test_every_document_passes_the_ubl_schema_and_oioubl_rules(data: Path, out: Path):
    issue(data, out)
    set_granted(data, "akutteam", "400000")
    issue(data, out)
    xmls = sorted(out.glob("*.xml"))
    assert len(xmls) == 12 and len(list(out.glob("*.pdf"))) == 12
    for path in xmls:
        xml = path.read_bytes()
        assert validate_ubl(xml, default_xsd_dir()) == [], path.name
        assert check_oioubl_rules(xml) == [], path.name
        root = etree.fromstring(xml)
        number = path.stem
        record = invoice_files(data)[number]
        assert root.findtext("cbc:ID", namespaces=NS) == number
        assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == record["amount"]
        endpoint = root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS)
        assert endpoint.get("schemeID") == "GLN"
        recipient_ean = {"havby": "5790000000012", "klitby": "5790000000029", "sandby": "5790000000036",
                         "region-vest": "5790000000043"}[record["recipient"]]
        assert endpoint.text == recipient_ean


def test_pdf_text_has_the_facts_an_invoice_needs(data: Path, out: Path):
    issue(data, out)
    text = pypdf.PdfReader(io.BytesIO((out / "vesterhavet-havby-0003.pdf").read_bytes())).pages[0].extract_text()
    for expected in (
        "Faktura", "vesterhavet-havby-0003", "Havby Kommune", "Rådhustorvet 1", "6700 Havby", "CVR 12345607",
        "EAN 5790000000012", "Region Vest", "Regionsvej 4", "CVR 45678903", "EAN 5790000000043",
        "15. januar 2024", "14. februar 2024", "Fælles sundhedsteam", "politisk niveau den 14. marts 2023",
        "300.000,00 kr.", "uden for momsområdet", "Reg.nr. 1234", "Kontonr. 0001234567",
    ):
        assert expected in text, expected


def test_documents_are_not_overwritten_without_force(data: Path, out: Path):
    issue(data, out)
    again = ok("invoices", "vesterhavet", "--data", str(data), "--documents", "--out", str(out))
    assert "uændrede" in again.stdout
    target = out / "vesterhavet-havby-0001.pdf"
    target.write_bytes(b"edited by hand")
    refused = run("invoices", "vesterhavet", "--data", str(data), "--documents", "--out", str(out))
    assert refused.exit_code == 1
    assert "vesterhavet-havby-0001.pdf" in refused.stderr and "--force" in refused.stderr
    assert target.read_bytes() == b"edited by hand"
    ok("invoices", "vesterhavet", "--data", str(data), "--documents", "--out", str(out), "--force")
    assert target.read_bytes().startswith(b"%PDF")


def test_documents_show_a_progress_bar_on_a_terminal(data: Path, out: Path):
    from klyngefond.documents.issue import write_documents
    from klyngefond.storage.invoices import issue as issue_documents
    from klyngefond.reports.invoices import grant_splits

    folder = data / "vesterhavet"
    ledger, issued = issue_documents(folder, lambda lg: plan_documents(grant_splits(lg), lg.invoices),
                                     dt.date(2024, 1, 15), dt.date(2024, 2, 14))
    run_ = write_documents(ledger, issued, out, progress=True)
    assert run_.schema_checked and {f.outcome for f in run_.files} == {"written"}


# --------------------------------------------------------------------------- refusals


def test_missing_ean_names_partner_file_and_key_and_issues_nothing(data: Path, out: Path):
    cluster = data / "vesterhavet" / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('ean = "5790000000029"\n', ""), "utf-8")
    result = run("invoices", "vesterhavet", "--data", str(data), "--issue", "--out", str(out))
    assert result.exit_code == 1
    assert "Klitby Kommune (klitby) has no EAN number" in result.stderr
    assert "partners[2] (klitby).ean" in result.stderr and str(cluster) in result.stderr
    assert "Traceback" not in result.output
    assert invoice_files(data) == {}
    assert not out.exists()


def test_invalid_cvr_is_refused_with_the_key(data: Path, out: Path):
    cluster = data / "vesterhavet" / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('cvr = "34567808"', 'cvr = "34567809"'), "utf-8")
    result = run("invoices", "vesterhavet", "--data", str(data), "--issue", "--out", str(out))
    assert result.exit_code == 1
    assert "modulus-11" in result.stderr and "partners[3] (sandby).cvr" in result.stderr
    assert invoice_files(data) == {}


def test_missing_payment_details_of_the_issuer_are_refused(data: Path, out: Path):
    cluster = data / "vesterhavet" / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('payment = { iban = "DK5000400440116243" }\n', ""), "utf-8")
    result = run("invoices", "vesterhavet", "--data", str(data), "--issue", "--grant", "palliation", "--out", str(out))
    assert result.exit_code == 1
    assert "partners[3] (sandby).payment" in result.stderr
    # the recipient side does not need payment details: Sandby can still be invoiced by others
    ok("invoices", "vesterhavet", "--data", str(data), "--issue", "--grant", "akutteam", "--out", str(out))


def test_sydvestjylland_shows_the_split_but_refuses_to_issue_without_owners(data_copy: Path, tmp_path: Path):
    shown = ok("invoices", "Sydvestjylland", "--data", str(data_copy))
    assert "projektejer ikke oplyst" in shown.stdout
    assert "627.851,18" in shown.stdout and "655.288,18" in shown.stdout
    report = json.loads(ok("invoices", "Sydvestjylland", "--data", str(data_copy), "--json").stdout)
    totals = {p["payer"]: p["amount"] for p in report["payers"]}
    assert totals == {"esbjerg": "655288.18", "fanoe": "40347.25", "vejen": "425817.54", "billund": "267524.83",
                      "varde": "493772.20", "region-syddanmark": "1936093.00"}
    assert {g["blocked"]["key"] for g in report["grants"]} == {"owner"}
    result = run("invoices", "Sydvestjylland", "--data", str(data_copy), "--issue", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "kom-trygt-hjem.toml: owner is not filled in" in result.stderr
    assert "akutomraadet.toml: owner is not filled in" in result.stderr
    assert not (data_copy / "sydvestjylland" / "invoices").exists() or not list((data_copy / "sydvestjylland" / "invoices").glob("*.toml"))


def test_unknown_grant_is_a_usage_error(data: Path):
    result = run("invoices", "vesterhavet", "--data", str(data), "--grant", "nope")
    assert result.exit_code == 2 and "akutteam" in result.stderr


# --------------------------------------------------------------------------- payments


def test_payments_partial_full_overpaid_and_status(data: Path, out: Path):
    issue(data, out)
    number = "vesterhavet-havby-0003"  # 300.000,00 from Region Vest
    part = ok("pay", number, "--data", str(data), "--date", "2024-02-01", "--amount", "100.000,00")
    assert "200.000,00 kr." in part.stdout
    over = run("pay", number, "--data", str(data), "--date", "2024-02-02", "--amount", "200000.01")
    assert over.exit_code == 1 and "overpayment is refused" in over.stderr
    ok("pay", number, "--data", str(data), "--date", "2024-02-10")  # the rest
    done = run("pay", number, "--data", str(data), "--date", "2024-02-11", "--amount", "1")
    assert done.exit_code == 1 and "nothing left to pay" in done.stderr
    payments = sorted((data / "vesterhavet" / "payments").glob("*.toml"))
    assert [p.name for p in payments] == [f"{number}-1.toml", f"{number}-2.toml"]

    report = invoices_json(data, "--as-of", "2024-03-01")
    states = {i["number"]: i for i in report["issued"]}
    assert (states[number]["paid"], states[number]["open"], states[number]["state"]) == ("300000.00", "0.00", "paid")
    assert states["vesterhavet-havby-0001"]["state"] == "overdue"
    balances = {b["partner"]: b for b in report["balances"]}
    region = balances["region-vest"]
    assert (region["invoiced"], region["paid"], region["outstanding"]) == ("375000.00", "300000.00", "75000.00")
    assert region["overdue"] == "75000.00" and region["overdue_invoices"] == ["vesterhavet-klitby-0002"]
    assert balances["havby"]["receivable"] == "128571.43"

    before_due = invoices_json(data, "--as-of", "2024-02-01")
    assert all(b["overdue"] == "0.00" for b in before_due["balances"])


def test_pay_refuses_credit_notes_unknown_numbers_and_bad_input(data: Path, out: Path):
    issue(data, out)
    set_granted(data, "palliation", "0")
    issue(data, out)
    credit = run("pay", "vesterhavet-sandby-0002", "--data", str(data), "--date", "2024-02-01")
    assert credit.exit_code == 1 and "credit note" in credit.stderr
    credited = run("pay", "vesterhavet-sandby-0001", "--data", str(data), "--date", "2024-02-01")
    assert credited.exit_code == 1 and "nothing left to pay" in credited.stderr
    assert run("pay", "vesterhavet-havby-0999", "--data", str(data), "--date", "2024-02-01").exit_code == 1
    assert run("pay", "../../etc/passwd", "--data", str(data), "--date", "2024-02-01").exit_code == 2
    assert run("pay", "vesterhavet-havby-0001", "--data", str(data), "--date", "1. feb").exit_code == 2
    early = run("pay", "vesterhavet-havby-0001", "--data", str(data), "--date", "2023-12-01")
    assert early.exit_code == 1 and "before the invoice date" in early.stderr


def test_status_helper_reports_balances(data: Path, out: Path):
    from klyngefond.render.invoices_view import balances_json, balances_table
    from klyngefond.reports.invoices import invoice_balances
    from klyngefond.storage.cache import load_ledger_cached

    issue(data, out)
    ok("pay", "vesterhavet-havby-0001", "--data", str(data), "--date", "2024-02-01", "--amount", "1000")
    ledger, problems = load_ledger_cached(data / "vesterhavet")
    assert problems == []
    balances = invoice_balances(ledger, dt.date(2024, 3, 1))
    shown = {b["partner"]: b for b in balances_json(balances, {p.id: p.name for p in ledger.cluster.partners})}
    assert shown["klitby"]["paid"] == "1000.00" and shown["klitby"]["outstanding"] == "170428.58"
    from rich.console import Console

    console = Console(width=80, record=True)
    console.print(balances_table(balances, {p.id: p.label for p in ledger.cluster.partners}, "da", dt.date(2024, 3, 1)))
    text = console.export_text()
    assert "Klitby" in text and "170.428,58" in text and "Forfaldent" in text


# --------------------------------------------------------------------------- CSV, Markdown, safety


def test_csv_file_for_danish_excel(data: Path, tmp_path: Path):
    target = tmp_path / "split.csv"
    ok("invoices", "vesterhavet", "--data", str(data), "--format", "csv", "--output", str(target))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM so Excel reads UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Bevilling-id;Bevilling;Betaler;Betaler til;Beløb;Type"
    assert "akutteam;Mobilt akutteam;Havby Kommune;Region Vest;171428,57;faktura" in lines
    refused = run("invoices", "vesterhavet", "--data", str(data), "--format", "csv", "--output", str(target))
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert target.read_bytes() == raw
    ok("invoices", "vesterhavet", "--data", str(data), "--format", "csv", "--output", str(target), "--force")


def test_formula_cells_are_neutralised(data: Path):
    cluster = data / "vesterhavet" / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('name = "Klitby Kommune"', 'name = "=HYPERLINK(\\"x\\")"'), "utf-8")
    shown = ok("invoices", "vesterhavet", "--data", str(data), "--format", "csv").stdout
    assert "'=HYPERLINK" in shown and ";=HYPERLINK" not in shown
    for cell in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1"):
        assert neutralise(cell).startswith("'")
    assert neutralise("-12,50") == "-12,50" and neutralise("Havby") == "Havby"
    assert csv_text(["a"], [["=x"]], "en") == "a\r\n'=x\r\n"


def test_markdown_for_the_agenda(data: Path):
    text = ok("invoices", "vesterhavet", "--data", str(data), "--format", "markdown").stdout
    assert "### Mobilt akutteam" in text
    assert "| Havby Kommune | Region Vest | 171.428,57 |" in text
    assert "| **Bevilget** |  | **500.000,00** |" in text


def test_english_and_usage_errors(data: Path):
    text = ok("invoices", "vesterhavet", "--data", str(data), "--lang", "en").stdout
    assert "own share, not invoiced" in text and "171,428.57" in text
    assert run("invoices", "vesterhavet", "--data", str(data), "--output", "x.txt").exit_code == 2
    assert run("invoices", "vesterhavet", "--data", str(data), "--issue", "--date", "soon").exit_code == 2


def test_invoices_table_does_not_import_document_libraries(data: Path, tmp_path: Path):
    """A warm-cache `invoices` table never imports lxml, fpdf, pydantic or stdnum."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from klyngefond.cli.app import app\n"
        f"r = CliRunner().invoke(app, ['invoices', 'vesterhavet', '--data', {str(data)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = sorted(m for m in ('lxml', 'fpdf', 'pydantic', 'stdnum') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    env = {**__import__("os").environ}
    subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, env=env)  # warms the cache
    warm = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=env)
    assert warm.stdout.strip() == ""


def _record_change(data: Path, change_id: str, body: str) -> None:
    folder = data / "vesterhavet" / "changes"
    folder.mkdir(exist_ok=True)
    (folder / f"{change_id}.toml").write_text(f'id = "{change_id}"\n{body}\ndecision = {{ level = "politisk", date = 2024-03-01 }}\n', "utf-8")


def test_recorded_changes_drive_credit_notes_and_additional_invoices(data: Path, out: Path):
    """Top-ups and withdrawals recorded as changes/*.toml (issue 3) are what issuing follows."""
    issue(data, out)
    _record_change(data, "palliation-tilbagekaldt", 'kind = "withdrawal"\ngrant = "palliation"')
    _record_change(data, "forebyggelse-tillaeg", 'kind = "top-up"\ngrant = "forebyggelse"\namount = 45000')
    result = ok("invoices", "vesterhavet", "--data", str(data), "--issue", "--date", "2024-03-05", "--out", str(out),
                "--json")
    issued = json.loads(result.stdout)["issued"]
    assert {(i["kind"], i["grant"], i["recipient"], i["amount"], i["credits"]) for i in issued} == {
        ("credit_note", "palliation", "havby", "98765.42", "vesterhavet-sandby-0001"),
        ("invoice", "forebyggelse", "havby", "20000.00", None),
        ("invoice", "forebyggelse", "region-vest", "15000.00", None),
    }
    text = pypdf.PdfReader(io.BytesIO((out / "vesterhavet-sandby-0002.pdf").read_bytes())).pages[0].extract_text()
    assert "Kreditnota" in text and "vesterhavet-sandby-0001" in text and "98.765,42 kr." in text
    assert invoices_json(data)["pending"] == []


def test_status_command_shows_invoiced_paid_and_outstanding(data: Path, out: Path):
    plain = json.loads(ok("status", "vesterhavet", "--data", str(data), "--json").stdout)
    assert "invoices" not in plain  # nothing issued yet
    issue(data, out)
    ok("pay", "vesterhavet-havby-0001", "--data", str(data), "--date", "2024-02-01", "--amount", "1000")
    report = json.loads(ok("status", "vesterhavet", "--data", str(data), "--json").stdout)
    shown = {b["partner"]: b for b in report["invoices"]}
    assert shown["klitby"]["paid"] == "1000.00" and shown["klitby"]["outstanding"] == "170428.58"
    table = ok("status", "vesterhavet", "--data", str(data))
    assert "Forfaldent" in table.stdout and "170.428,58" in table.stdout
