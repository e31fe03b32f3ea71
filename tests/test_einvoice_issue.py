"""Issuing e-invoices from the command line: both formats, every payment kind, credit notes that
cite their cause, the recipient's reference, documents that never change, and short numbers
that are unique across the data folder.

Runs the fixture cluster ``tests/fixtures/data/vesterhavet`` (Sandby is paid by IBAN with a BIC,
the others by reg.nr./kontonr.) as a person types the commands.
"""

from __future__ import annotations

import io
import json
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from documents_factory import NS, schema_dir
from lxml import etree

from klyngefond.core.records import Partner
from klyngefond.documents.issue import check_einvoice
from klyngefond.storage.numbering import derive_prefix

CLUSTER = "vesterhavet"


@pytest.fixture
def data(fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return fixture_copy


def ok(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0, result.text
    return result


def issue(cli, data: Path, *args: str, date: str = "2024-01-15"):  # type: ignore[no-untyped-def]
    return ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", date, *args)


def edit_cluster(data: Path, old: str, new: str) -> None:
    path = data / CLUSTER / "cluster.toml"
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def record_change(data: Path, change_id: str, body: str, decision: str) -> None:
    folder = data / CLUSTER / "changes"
    folder.mkdir(exist_ok=True)
    (folder / f"{change_id}.toml").write_text(f'id = "{change_id}"\n{body}\ndecision = {decision}\n', "utf-8")


def records(data: Path, cluster: str = CLUSTER) -> dict[str, dict]:  # type: ignore[type-arg]
    folder = data / cluster / "invoices"
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.toml")) if not p.name.startswith(".")}


def documents(tmp_path: Path, out: str = "fakturaer") -> Path:
    return tmp_path / out / CLUSTER


def pdf_text(path: Path) -> str:
    return "".join("".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages).split())


def has(text: str, *expected: str) -> None:
    for words in expected:
        assert "".join(words.split()) in text, words


# --------------------------------------------------------------------------- the corpus: kind x payment x format, from the CLI


@pytest.mark.parametrize("fmt", ["oioubl", "peppol"])
def test_the_fixture_cluster_issues_both_kinds_for_every_payment_kind_in_each_format(cli, data: Path, tmp_path: Path,
                                                                                     fmt: str) -> None:  # type: ignore[no-untyped-def]
    """Havby and Klitby are paid by reg.nr./kontonr., Sandby by IBAN + BIC, and Region Vest by a
    Danish IBAN without a BIC (sent as reg.nr./kontonr.); every grant is then reduced and credited."""
    xsd = schema_dir()
    edit_cluster(data, 'payment = { bank_reg = "4567", bank_account = "0004567890" }', 'payment = { iban = "DK5000400440116243" }')
    issue(cli, data, "--einvoice-format", fmt)
    for grant in ("akutteam", "faelles-sundhedsteam", "forebyggelse", "palliation"):
        record_change(data, f"{grant}-nedsat", f'kind = "reduction"\ngrant = "{grant}"\namount = "50000.00"',
                      '{ level = "politisk", date = 2024-03-01, body = "Klyngestyregruppen", reference = "Sag 24/00123" }')
    issue(cli, data, "--einvoice-format", fmt, date="2024-03-05")
    issued = records(data)
    kinds = {(r["kind"], r["issuer"]) for r in issued.values()}
    assert {("invoice", p) for p in ("havby", "klitby", "sandby", "region-vest")} <= kinds
    assert {("credit_note", p) for p in ("havby", "klitby", "sandby", "region-vest")} <= kinds
    codes = set()
    for number, record in issued.items():
        xml = (documents(tmp_path) / f"{number}.xml").read_bytes()
        assert check_einvoice(xml, fmt, xsd) == [], number
        root = etree.fromstring(xml)
        assert etree.QName(root).localname == ("Invoice" if record["kind"] == "invoice" else "CreditNote")
        assert (root.find("cbc:CustomizationID", NS).text == "OIOUBL-2.1") == (fmt == "oioubl")
        assert record["issued_as"]["einvoice_format"] == fmt
        codes |= {code.text for code in root.iterfind(".//cbc:PaymentMeansCode", NS)}
        attached = pypdf.PdfReader(io.BytesIO((documents(tmp_path) / f"{number}.pdf").read_bytes())).attachments
        assert attached == {f"{number}.xml": [xml]}
    assert codes == {"31", "42"}


@pytest.mark.parametrize("fmt", ["oioubl", "peppol"])
def test_the_e_invoices_reconcile_with_the_split_exactly(cli, data: Path, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--einvoice-format", fmt)
    record_change(data, "akut-tillaeg", 'kind = "top-up"\ngrant = "akutteam"\namount = "100000.01"', '{ level = "politisk", date = 2024-02-01 }')
    record_change(data, "faelles-nedsat", 'kind = "reduction"\ngrant = "faelles-sundhedsteam"\namount = "33333.33"',
                  '{ level = "politisk", date = 2024-02-01 }')
    issue(cli, data, "--einvoice-format", fmt, date="2024-02-05")
    report = json.loads(ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--json").out)
    split = {(g["id"], i["recipient"]): Decimal(i["amount"]) for g in report["grants"] for i in g["invoices"]}
    billed: dict[tuple[str, str], Decimal] = {}
    for path in documents(tmp_path).glob("*.xml"):
        root = etree.fromstring(path.read_bytes())
        sign = 1 if etree.QName(root).localname == "Invoice" else -1
        grant = root.find(".//cac:SellersItemIdentification/cbc:ID", NS).text
        recipient = records(data)[path.stem]["recipient"]
        billed[(grant, recipient)] = billed.get((grant, recipient), Decimal("0.00")) + sign * Decimal(
            root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS).text)
    assert billed == split
    for grant in report["grants"]:
        assert sum(Decimal(i["amount"]) for i in grant["invoices"]) + Decimal(grant["owner_share"]) == Decimal(grant["granted"])


# --------------------------------------------------------------------------- issued documents never change


def test_a_partner_edit_after_issuing_changes_no_issued_document_only_the_next(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "akutteam")
    folder = documents(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    edit_cluster(data, 'address = { street = "Rådhustorvet 1", postal_code = "6700", city = "Havby" }',
                 'address = { street = "Nyt Rådhus, Torvet 9", postal_code = "6701", city = "Havby" }')
    edit_cluster(data, 'payment = { bank_reg = "4567", bank_account = "0004567890" }', 'payment = { bank_reg = "9999", bank_account = "1" }')
    edit_cluster(data, 'name = "Region Vest"', 'name = "Region Vest (ny)"')
    again = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents")
    assert "6 filer var allerede skrevet og er uændrede" in again.out
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # the next document carries the new details
    record_change(data, "akut-tillaeg", 'kind = "top-up"\ngrant = "akutteam"\namount = 70000', '{ level = "politisk", date = 2024-02-01 }')
    issue(cli, data, "--grant", "akutteam", date="2024-02-02")
    text = pdf_text(folder / "RVE-2024-0004.pdf")
    has(text, "Nyt Rådhus, Torvet 9", "6701 Havby", "Region Vest (ny)", "Reg.nr. 9999 · Kontonr. 1", "Faktureret før 171.428,57 kr.")
    assert "Rådhustorvet1" not in text
    has(pdf_text(folder / "RVE-2024-0001.pdf"), "Rådhustorvet 1", "6700 Havby", "Reg.nr. 4567")


def test_the_e_invoice_texts_are_sent_again_as_they_were_issued(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The Note and the line's description come from the invoice record, not from today's wording."""
    issue(cli, data, "--grant", "palliation")
    record = data / CLUSTER / "invoices" / "SAN-2024-0001.toml"
    issued = tomllib.loads(record.read_text("utf-8"))["issued_as"]
    assert issued["note"] == "Havby Kommunes andel af bevillingen efter klyngens fordeling."
    assert issued["line_text"].startswith("Testklynge Vesterhavet: bevilling palliation (Tidlig palliativ indsats), besluttet på")
    record.write_text(record.read_text("utf-8").replace(issued["note"], "Som sendt i 2024.")
                      .replace(issued["line_text"], "Linjen som sendt."), "utf-8")
    ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents", "--out", str(tmp_path / "again"))
    root = etree.fromstring((tmp_path / "again" / "SAN-2024-0001.xml").read_bytes())
    assert root.findtext("cbc:Note", namespaces=NS) == "Som sendt i 2024."
    assert root.findtext(".//cac:Item/cbc:Description", namespaces=NS) == "Linjen som sendt."


def test_documents_of_a_partner_that_lost_its_details_are_still_written_as_issued(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "palliation")
    before = (documents(tmp_path) / "SAN-2024-0001.xml").read_bytes()
    edit_cluster(data, 'ean = "5790000000036"\n', "")
    result = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents", "--out", str(tmp_path / "again"))
    assert "2 filer skrevet" in result.out
    assert (tmp_path / "again" / "SAN-2024-0001.xml").read_bytes() == before


def test_an_issued_document_keeps_its_format(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "palliation", "--einvoice-format", "peppol")
    result = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents", "--einvoice-format", "oioubl")
    assert "2 filer var allerede skrevet og er uændrede" in result.out
    root = etree.fromstring((documents(tmp_path) / "SAN-2024-0001.xml").read_bytes())
    assert root.find("cbc:BuyerReference", NS) is not None


def test_the_recipients_invoice_format_is_the_default(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    edit_cluster(data, 'short_name = "Havby"\n', 'short_name = "Havby"\ninvoice_format = "peppol"\n')
    issue(cli, data, "--grant", "akutteam")
    formats = {r["recipient"]: r["issued_as"]["einvoice_format"] for r in records(data).values()}
    assert formats == {"havby": "peppol", "klitby": "oioubl", "sandby": "oioubl"}
    shown = json.loads(ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--json").out)
    assert {i["number"]: i["einvoice_format"] for i in shown["issued"]}["RVE-2024-0001"] == "peppol"


def test_einvoice_format_usage_errors(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    bad = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--einvoice-format", "pdf")
    assert bad.code == 2 and "ukendt format «pdf»" in bad.err and "oioubl" in bad.err
    alone = cli("invoices", "Vesterhavet", "--data", str(data), "--einvoice-format", "peppol")
    assert alone.code == 2 and "--einvoice-format bruges kun sammen med --issue" in alone.err
    assert "--einvoice-format" in ok(cli, "invoices", "--help").out


# --------------------------------------------------------------------------- references and decisions


def test_the_recipients_reference_and_the_decision_are_on_every_document(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    edit_cluster(data, 'short_name = "Havby"\n', 'short_name = "Havby"\ninvoice_reference = "Økonomi, att. Bo Ek, ordre 4410"\n')
    grant = data / CLUSTER / "grants" / "akutteam.toml"
    grant.write_text(grant.read_text("utf-8").replace('decision = { level = "politisk", date = 2023-03-14 }',
                                                      'decision = { level = "politisk", date = 2023-03-14, body = "Klyngestyregruppen", '
                                                      'reference = "Sag 24/00123, punkt 7" }'), "utf-8")
    issue(cli, data, "--grant", "akutteam", "--einvoice-format", "oioubl")
    issue(cli, data, "--grant", "palliation", "--einvoice-format", "peppol")
    oioubl = etree.fromstring((documents(tmp_path) / "RVE-2024-0001.xml").read_bytes())
    assert oioubl.findtext("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID", namespaces=NS) == "Økonomi, att. Bo Ek, ordre 4410"
    assert "(Klyngestyregruppen) den 14. marts 2023, Sag 24/00123, punkt 7" in oioubl.findtext(".//cac:Item/cbc:Description",
                                                                                              namespaces=NS)
    peppol = etree.fromstring((documents(tmp_path) / "SAN-2024-0001.xml").read_bytes())
    assert peppol.findtext("cbc:BuyerReference", namespaces=NS) == "Økonomi, att. Bo Ek, ordre 4410"
    # a partner without one is routed on the grant id
    klitby = etree.fromstring((documents(tmp_path) / "RVE-2024-0002.xml").read_bytes())
    assert klitby.findtext("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID", namespaces=NS) == "akutteam"
    has(pdf_text(documents(tmp_path) / "RVE-2024-0001.pdf"), "Jeres reference Økonomi, att. Bo Ek, ordre 4410",
        "Besluttet på politisk niveau (Klyngestyregruppen) den 14. marts 2023, Sag 24/00123, punkt 7",
        "Bevilling i alt 500.000,00 kr.", "Jeres andel 171.428,57 kr. (fordelingsmodel: fast andel + forholdsmæssig rest)")


# --------------------------------------------------------------------------- credit notes


def test_a_credit_note_cites_its_cause_and_says_how_it_is_settled(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "akutteam")
    ok(cli, "pay", "RVE-2024-0001", "--data", str(data), "--date", "2024-02-01")  # Havby paid; Klitby paid part; Sandby nothing
    ok(cli, "pay", "rve-2024-0002", "--data", str(data), "--date", "2024-02-01", "--amount", "80000")
    record_change(data, "akut-nedsat", 'kind = "reduction"\ngrant = "akutteam"\namount = 100000',
                  '{ level = "politisk", date = 2024-03-01, body = "Klyngestyregruppen", reference = "Sag 24/00456, punkt 3" }')
    shown = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--issue", "--grant", "akutteam", "--date", "2024-03-05")
    assert "Forfaldsdato" in shown.out  # the column, empty for credit notes:
    assert "14-02-2024" not in shown.out and "04-04-2024" not in shown.out
    notes = {n: r for n, r in records(data).items() if r["kind"] == "credit_note"}
    assert {r["cause"] for r in notes.values()} == {"changes/akut-nedsat"}
    assert all("due_date" not in r for r in notes.values())
    by_recipient = {r["recipient"]: (n, r["issued_as"]) for n, r in notes.items()}
    number, havby = by_recipient["havby"]
    assert (havby.get("set_off"), havby["refund"]) == (None, "57142.86")  # all paid: refunded
    assert havby["cause"] == {"kind": "reduction", "level": "politisk", "date": havby["cause"]["date"],
                              "body": "Klyngestyregruppen", "reference": "Sag 24/00456, punkt 3"}
    assert (by_recipient["klitby"][1]["set_off"], by_recipient["klitby"][1]["refund"]) == ("5714.29", "22857.14")
    assert (by_recipient["sandby"][1]["set_off"], by_recipient["sandby"][1].get("refund")) == ("14285.71", None)
    has(pdf_text(documents(tmp_path) / f"{number}.pdf"),
        "Årsag Nedsættelse af bevillingen, besluttet på politisk niveau (Klyngestyregruppen) den 1. marts 2024, Sag 24/00456, punkt 3",
        "57.142,86 kr. er allerede betalt på faktura RVE-2024-0001 og tilbagebetales af Region Vest.")
    has(pdf_text(documents(tmp_path) / f"{by_recipient['klitby'][0]}.pdf"),
        "5.714,29 kr. modregnes i det udestående på faktura RVE-2024-0002.", "22.857,14 kr. er allerede betalt")
    report = json.loads(ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--json").out)
    credit = next(i for i in report["issued"] if i["number"] == number)
    assert credit["due_date"] is None and credit["cause"] == "changes/akut-nedsat"


def test_a_withdrawn_or_annulled_grant_is_credited_citing_that(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "palliation")
    folder = data / CLUSTER / "annulments"
    folder.mkdir()
    (folder / "palliation-fejl.toml").write_text('id = "palliation-fejl"\nrecord = "grants/palliation"\ndate = 2024-02-10\n'
                                                 'reason = "Bevillingen blev registreret ved en fejl"\n', "utf-8")
    issue(cli, data, "--grant", "palliation", date="2024-02-12")
    [note] = [r for r in records(data).values() if r["kind"] == "credit_note"]
    assert note["cause"] == "annulments/palliation-fejl"
    has(pdf_text(documents(tmp_path) / "SAN-2024-0002.pdf"),
        "Årsag Annullering af beslutningen, besluttet den 10. februar 2024: Bevillingen blev registreret ved en fejl")


def test_closing_a_grant_is_credited_citing_the_closing(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "akutteam")
    ok(cli, "spend", "Vesterhavet", "akutteam", "100.000", "--date", "2024-06-30", "--data", str(data))
    ok(cli, "close-grant", "Vesterhavet", "akutteam", "--date", "2024-09-30", "--record", "--data", str(data))
    [closing] = [p.stem for p in (data / CLUSTER / "closings").glob("*.toml")]
    issue(cli, data, "--grant", "akutteam", date="2024-10-01")
    notes = {n: r for n, r in records(data).items() if r["kind"] == "credit_note"}
    assert notes and {r["cause"] for r in notes.values()} == {f"closings/{closing}"}
    assert {r["issued_as"]["cause"]["kind"] for r in notes.values()} == {"closing"}
    number = sorted(notes)[0]
    has(pdf_text(documents(tmp_path) / f"{number}.pdf"), "Årsag Lukning af bevillingen (det ubrugte frigives)")


def test_only_an_invoices_issuer_needs_payment_details(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "palliation")
    edit_cluster(data, 'payment = { iban = "DK5000400440116243", bic = "NDEADKKK" }\n', "")
    record_change(data, "palliation-trukket", 'kind = "withdrawal"\ngrant = "palliation"', '{ level = "politisk", date = 2024-03-01 }')
    issue(cli, data, "--grant", "palliation", date="2024-03-05")
    assert [r["kind"] for r in records(data).values()] == ["invoice", "credit_note"]


# --------------------------------------------------------------------------- payment details


def test_a_danish_iban_without_bic_is_sent_as_reg_and_account(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    edit_cluster(data, 'payment = { iban = "DK5000400440116243", bic = "NDEADKKK" }', 'payment = { iban = "DK50 0040 0440 1162 43" }')
    issue(cli, data, "--grant", "palliation")
    means = etree.fromstring((documents(tmp_path) / "SAN-2024-0001.xml").read_bytes()).find("cac:PaymentMeans", NS)
    assert means.findtext("cbc:PaymentMeansCode", namespaces=NS) == "42"
    assert means.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "0440116243"
    assert means.findtext("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", namespaces=NS) == "0040"


def test_iban_payment_names_the_bank_by_its_bic(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "palliation")
    means = etree.fromstring((documents(tmp_path) / "SAN-2024-0001.xml").read_bytes()).find("cac:PaymentMeans", NS)
    assert means.findtext("cbc:PaymentMeansCode", namespaces=NS) == "31"
    assert means.findtext(".//cac:FinancialInstitution/cbc:ID", namespaces=NS) == "NDEADKKK"


@pytest.mark.parametrize(
    ("payment", "key", "words"),
    [
        ('payment = { iban = "DE89370400440532013000" }', "partners[3] (sandby).payment.bic", "uden bankens BIC"),
        ('payment = { iban = "DE89370400440532013000", bic = "NDEA" }', "partners[3] (sandby).payment.bic", "BIC NDEA er ikke gyldig"),
        ('payment = { iban = "DK5000400440116244" }', "partners[3] (sandby).payment.iban", "IBAN DK5000400440116244 er ikke gyldig"),
    ],
    ids=["foreign-iban-no-bic", "bad-bic", "bad-iban"],
)
def test_payment_details_no_e_invoice_can_carry_are_refused_naming_file_and_key(cli, data: Path, payment: str, key: str,
                                                                                words: str) -> None:  # type: ignore[no-untyped-def]
    edit_cluster(data, 'payment = { iban = "DK5000400440116243", bic = "NDEADKKK" }', payment)
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--grant", "palliation", "--date", "2024-01-15")
    assert result.code == 1 and words in result.err and key in result.err and "cluster.toml" in result.err
    assert "intet er udstedt" in result.err and records(data) == {}


# --------------------------------------------------------------------------- numbers


def partner(name: str, short: str | None = None, pid: str = "x", prefix: str | None = None) -> Partner:
    return Partner(id=pid, name=name, kind="kommune", short_name=short, invoice_prefix=prefix)


@pytest.mark.parametrize(
    ("who", "prefix"),
    [
        (partner("Esbjerg Kommune", "Esbjerg"), "ESB"),
        (partner("Fanø Kommune", "Fanø"), "FAN"),
        (partner("Næstved Kommune"), "NAE"),
        (partner("Region Syddanmark", "Region Syddanmark"), "RSY"),
        (partner("Region Sjælland"), "RSJ"),
        (partner("Region Vest", "Regionen", "region-vest"), "RVE"),
        (partner("Vejle Kommune", "Vejle", prefix="VJL"), "VJL"),
        (partner("Kommune", "Kommune", "k-2"), "K2"),
    ],
)
def test_the_issuer_code_of_a_number(who: Partner, prefix: str) -> None:
    assert derive_prefix(who) == prefix


def test_numbers_are_short_per_issuer_and_year(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    issue(cli, data, "--grant", "akutteam", date="2023-12-20")
    issue(cli, data, date="2024-01-15")
    numbers = set(records(data))
    assert {"RVE-2023-0001", "RVE-2023-0002", "RVE-2023-0003", "HAV-2024-0001", "KLI-2024-0001", "SAN-2024-0001"} <= numbers
    assert all(len(n) <= 20 for n in numbers)
    counters = tomllib.loads((data / ".invoice-numbers.toml").read_text("utf-8"))
    assert counters["last"]["RVE-2023"] == 3 and counters["owners"]["RVE"] == "cvr:45678903"


def test_a_body_in_two_clusters_never_sends_two_documents_with_one_number(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    other = data / "kyst"
    shutil.copytree(data / CLUSTER, other)
    text = (other / "cluster.toml").read_text("utf-8")
    (other / "cluster.toml").write_text(text.replace('id = "vesterhavet"', 'id = "kyst"').replace(
        'name = "Testklynge Vesterhavet"', 'name = "Testklynge Kyst"').replace('aliases = ["Vesterhavet"]', 'aliases = ["Kyst"]'), "utf-8")
    issue(cli, data)
    ok(cli, "invoices", "Kyst", "--data", str(data), "--issue", "--date", "2024-01-16")
    here, there = set(records(data)), set(records(data, "kyst"))
    assert len(here) == len(there) == 9 and not here & there
    assert "RVE-2024-0004" in there  # Region Vest's sequence continues in its other cluster
    ok(cli, "pay", "RVE-2024-0004", "--data", str(data), "--date", "2024-02-01")
    assert (other / "payments" / "rve-2024-0004-betaling-2024-02-01.toml").is_file()


def test_two_issuers_with_one_prefix_are_refused_until_one_gets_its_own(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    edit_cluster(data, 'short_name = "Klitby"', 'short_name = "Havbyen Nord"')  # derives HAV, like Havby
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-01-15")
    assert result.code == 1
    assert "fakturanumre, der begynder med HAV, bruges allerede af en anden udsteder (CVR 12345607, Havby Kommune, se" in result.err
    assert "partners[2] (klitby).invoice_prefix" in result.err
    edit_cluster(data, 'short_name = "Havbyen Nord"', 'short_name = "Havbyen Nord"\ninvoice_prefix = "KLB"')
    issue(cli, data, date="2024-01-16")
    assert {"KLB-2024-0001", "KLB-2024-0002"} <= set(records(data))


def test_a_bad_invoice_prefix_is_refused_by_the_loader(cli, data: Path) -> None:  # type: ignore[no-untyped-def]
    edit_cluster(data, 'short_name = "Klitby"', 'short_name = "Klitby"\ninvoice_prefix = "klb"')
    result = cli("invoices", "Vesterhavet", "--data", str(data))
    assert result.code != 0 and "invoice_prefix" in result.err and "2 til 8 store bogstaver" in result.err


def test_invoices_with_older_long_numbers_stay_valid(cli, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A file issued by an earlier version: long number, a due date on the credit note, no [issued_as]."""
    folder = data / CLUSTER / "invoices"
    folder.mkdir()
    (folder / "vesterhavet-sandby-0001.toml").write_text(
        'number = "vesterhavet-sandby-0001"\nkind = "invoice"\nissuer = "sandby"\nrecipient = "havby"\ngrant = "palliation"\n'
        'amount = "98765.42"\nissue_date = 2024-01-15\ndue_date = 2024-02-14\n', "utf-8")
    (folder / "vesterhavet-sandby-0002.toml").write_text(
        'number = "vesterhavet-sandby-0002"\nkind = "credit_note"\nissuer = "sandby"\nrecipient = "havby"\ngrant = "palliation"\n'
        'amount = "1000.00"\nissue_date = 2024-01-20\ndue_date = 2024-02-19\ncredits = "vesterhavet-sandby-0001"\n', "utf-8")
    ok(cli, "pay", "vesterhavet-sandby-0001", "--data", str(data), "--date", "2024-02-01", "--amount", "5000")
    result = ok(cli, "invoices", "Vesterhavet", "--data", str(data), "--documents")
    assert "4 filer skrevet" in result.out
    xsd = schema_dir()
    for number in ("vesterhavet-sandby-0001", "vesterhavet-sandby-0002"):
        assert check_einvoice((documents(tmp_path) / f"{number}.xml").read_bytes(), "oioubl", xsd) == []
    credit = etree.fromstring((documents(tmp_path) / "vesterhavet-sandby-0002.xml").read_bytes())
    assert credit.find("cac:PaymentMeans", NS) is None  # its recorded due date asks for nothing any more
    issue(cli, data, "--grant", "palliation", date="2024-01-25")
    assert "SAN-2024-0001" in records(data)
