"""Invoice documents: the model's checks, the OIOUBL XML, the PDF, and the documents of issued invoices.

Tests that validate against the UBL 2.1 schema need it at ``../shared/ubl-2.1/xsd`` beside
the repository (or ``KLYNGEFOND_UBL_XSD_DIR``): they are skipped, saying why, where it is
absent, and fail in CI (``CI`` set), where it must be present.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from stdnum import ean

from klyngefond.core.records import Address
from klyngefond.documents.model import DocumentError, InvoiceDocument, Party, PaymentDetails, PaymentError, decision_text, long_date
from klyngefond.documents.oioubl import CAC, CBC, build_oioubl, check_oioubl_rules, default_xsd_dir, validate_ubl
from klyngefond.documents.pdf import danish_amount, render_pdf

NS = {"cac": CAC, "cbc": CBC}

ESBJERG_EAN = "579800000000" + ean.calc_check_digit("579800000000")
VEJEN_EAN = "579800000001" + ean.calc_check_digit("579800000001")
VEJEN_NAME = "Vejen Kommune – Økonomi og Løn"

ESBJERG = Party(id="esbjerg", name="Esbjerg Kommune, Sundhed & Omsorg", cvr="29189846", ean=ESBJERG_EAN,
                address=Address("Torvegade 74", "6700", "Esbjerg"))
VEJEN = Party(id="vejen", name=VEJEN_NAME, cvr="29189641",  # passes the modulus-11 check; a test value
              ean=VEJEN_EAN, address=Address("Rådhuspassagen 3", "6600", "Vejen"))

DANISH_ACCOUNT = PaymentDetails(bank_reg="1234", bank_account="0001234567", iban=None, note="Anfør fakturanummer")
IBAN_ONLY = PaymentDetails(bank_reg=None, bank_account=None, iban="DK50 0040 0440 1162 43", note=None, bic="NDEADKKK")
PAYMENTS = {"no-payment": None, "reg-konto": DANISH_ACCOUNT, "iban": IBAN_ONLY}


def make_doc(kind: str = "invoice", payment: PaymentDetails | None = DANISH_ACCOUNT, **changes: object) -> InvoiceDocument:
    credit = kind == "credit_note"
    fields: dict[str, object] = dict(
        kind=kind,
        number="KTH-2023-K01" if credit else "KTH-2023-004",
        issue_date=date(2023, 5, 1),
        due_date=date(2023, 5, 31),
        issuer=ESBJERG,
        recipient=VEJEN,
        cluster_name="Sundhedsklynge Sydvestjylland",
        grant_id="kom-trygt-hjem",
        grant_name="Kom Trygt Hjem – udskrivning af ældre",
        decision_level="politisk",
        decision_date=date(2023, 3, 14),
        amount=Decimal("1874400.00"),
        payment=payment,
        credited_invoice="KTH-2023-004" if credit else None,
        credited_invoice_date=date(2023, 5, 1) if credit else None,
        description="Vejens andel efter fordelingsnøglen",
    )
    fields.update(changes)
    return InvoiceDocument(**fields)  # type: ignore[arg-type]


def schema_dir() -> Path:
    """The UBL 2.1 schema folder; the test is skipped (saying why) when it is absent, and fails in CI."""
    directory = default_xsd_dir()
    schema = directory / "maindoc" / "UBL-Invoice-2.1.xsd"
    if not schema.is_file():
        message = f"UBL 2.1 XSD not found at {schema} (it lives in ../shared/ubl-2.1 beside the repository; or set KLYNGEFOND_UBL_XSD_DIR)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return directory


@pytest.fixture
def xsd_dir() -> Path:
    return schema_dir()


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def text_at(root: etree._Element, path: str) -> str | None:
    found = root.find(path, NS)
    return None if found is None else found.text


def mutate(xml: bytes, path: str, new_text: str) -> bytes:
    root = parse(xml)
    element = root.find(path, NS)
    assert element is not None, path
    element.text = new_text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# ----------------------------------------------------------------------------- model


def test_amount_is_held_with_exactly_two_decimals() -> None:
    assert str(make_doc(amount=Decimal("1874400")).amount) == "1874400.00"


@pytest.mark.parametrize(
    ("amount", "error", "message"),
    [
        (Decimal("0.00"), ValueError, "must be above 0"),
        (Decimal("-10.00"), ValueError, "must be above 0"),
        (Decimal("10.005"), ValueError, "at most two decimals"),
        (1874400.0, TypeError, "must be a Decimal"),
    ],
)
def test_bad_amounts_are_refused(amount: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        make_doc(amount=amount)


def test_credit_note_must_name_the_credited_invoice() -> None:
    with pytest.raises(ValueError, match="credited_invoice"):
        make_doc("credit_note", credited_invoice=None)


def test_due_date_before_issue_date_is_refused() -> None:
    with pytest.raises(ValueError, match="before issue date"):
        make_doc(due_date=date(2023, 4, 30))


def test_party_with_invalid_cvr_is_refused_naming_partner_and_field() -> None:
    with pytest.raises(DocumentError, match=r"partner 'vejen': CVR 29189642 fails the modulus-11 check") as caught:
        dataclasses.replace(VEJEN, cvr="29189642")
    assert (caught.value.partner, caught.value.field) == ("vejen", "cvr")
    assert caught.value.reason.key == "invoices.cvr_check"


def test_party_identifiers_are_normalised() -> None:
    party = dataclasses.replace(VEJEN, cvr="DK 29 18 96 41", ean=f"{VEJEN_EAN[:4]} {VEJEN_EAN[4:]}")
    assert (party.cvr, party.ean) == ("29189641", VEJEN_EAN)


def test_payment_details_need_reg_and_account_together() -> None:
    with pytest.raises(PaymentError, match="both reg. no.") as caught:
        PaymentDetails(bank_reg="1234", bank_account=None, iban=None, note=None)
    assert caught.value.message.key == "invoices.payment_reg_and_account"
    with pytest.raises(PaymentError, match="4 digits"):
        PaymentDetails(bank_reg="12345", bank_account="1", iban=None, note=None)
    with pytest.raises(PaymentError, match="IBAN DK50 0040 is not valid"):
        PaymentDetails(bank_reg=None, bank_account=None, iban="DK50 0040", note=None)
    with pytest.raises(PaymentError, match="BIC NDEA is not valid"):
        PaymentDetails(bank_reg=None, bank_account=None, iban="DK5000400440116243", note=None, bic="NDEA")


# ----------------------------------------------------------------------------- DocumentError


def test_missing_recipient_ean_names_partner_and_field() -> None:
    doc = make_doc(recipient=dataclasses.replace(VEJEN, ean=None))
    with pytest.raises(DocumentError) as caught:
        build_oioubl(doc)
    assert caught.value.partner == "vejen"
    assert caught.value.field == "ean"
    assert str(caught.value) == "partner 'vejen': has no EAN number, where public bodies receive e-invoices"
    assert caught.value.reason.key == "invoices.party_lacks_ean"


@pytest.mark.parametrize("render", [build_oioubl, render_pdf], ids=["oioubl", "pdf"])
def test_missing_address_names_partner_and_field(render) -> None:  # noqa: ANN001
    doc = make_doc(issuer=dataclasses.replace(ESBJERG, address=None))
    with pytest.raises(DocumentError, match=r"^partner 'esbjerg': has no address") as caught:
        render(doc)
    assert (caught.value.partner, caught.value.field) == ("esbjerg", "address")


def test_missing_cvr_names_partner_and_field() -> None:
    doc = make_doc(recipient=dataclasses.replace(VEJEN, cvr=None))
    with pytest.raises(DocumentError, match="has no CVR number") as caught:
        build_oioubl(doc)
    assert (caught.value.partner, caught.value.field) == ("vejen", "cvr")


def test_pdf_does_not_need_an_ean() -> None:
    doc = make_doc(recipient=dataclasses.replace(VEJEN, ean=None))
    assert render_pdf(doc).startswith(b"%PDF")


# ----------------------------------------------------------------------------- OIOUBL


@pytest.mark.parametrize("payment", PAYMENTS.values(), ids=PAYMENTS.keys())
@pytest.mark.parametrize("kind", ["invoice", "credit_note"])
def test_generated_xml_is_valid_ubl_and_passes_oioubl_rules(kind: str, payment: PaymentDetails | None, xsd_dir: Path) -> None:
    xml = build_oioubl(make_doc(kind, payment))
    assert validate_ubl(xml, xsd_dir) == []
    assert check_oioubl_rules(xml) == []


@pytest.mark.parametrize("kind", ["invoice", "credit_note"])
def test_xml_carries_the_document(kind: str) -> None:
    doc = make_doc(kind)
    root = parse(build_oioubl(doc))
    root_name = "Invoice" if kind == "invoice" else "CreditNote"
    assert etree.QName(root).localname == root_name
    assert text_at(root, "cbc:UBLVersionID") == "2.1"
    assert text_at(root, "cbc:CustomizationID") == "OIOUBL-2.1"
    profile = root.find("cbc:ProfileID", NS)
    assert (profile.text, profile.get("schemeAgencyID")) == ("Procurement-BilSim-1.0", "320")
    assert text_at(root, "cbc:ID") == doc.number
    assert text_at(root, "cbc:IssueDate") == "2023-05-01"
    assert text_at(root, "cbc:DocumentCurrencyCode") == "DKK"
    customer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    endpoint = customer.find("cbc:EndpointID", NS)
    assert (endpoint.text, endpoint.get("schemeID")) == (VEJEN_EAN, "GLN")
    assert text_at(customer, "cac:PartyName/cbc:Name") == VEJEN_NAME
    assert text_at(customer, "cac:PostalAddress/cbc:StreetName") == "Rådhuspassagen 3"
    assert text_at(customer, "cac:Contact/cbc:ID") == "kom-trygt-hjem"
    supplier_company = root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
    assert (supplier_company.text, supplier_company.get("schemeID")) == ("DK29189846", "DK:CVR")
    assert text_at(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == "1874400.00"
    assert text_at(root, "cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert text_at(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID") == "63"
    line = root.find(f"cac:{root_name}Line", NS)
    assert text_at(line, "cbc:LineExtensionAmount") == "1874400.00"
    description = text_at(line, "cac:Item/cbc:Description")
    assert "besluttet af politisk niveau den 14. marts 2023" in description


def test_invoice_has_type_code_and_credit_note_references_invoice() -> None:
    invoice = parse(build_oioubl(make_doc("invoice")))
    assert text_at(invoice, "cbc:InvoiceTypeCode") == "380"
    assert invoice.find("cac:BillingReference", NS) is None
    credit = parse(build_oioubl(make_doc("credit_note")))
    assert credit.find("cbc:InvoiceTypeCode", NS) is None
    assert text_at(credit, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "KTH-2023-004"
    assert text_at(credit, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate") == "2023-05-01"
    assert text_at(credit, "cac:CreditNoteLine/cbc:CreditedQuantity") == "1"


@pytest.mark.parametrize(
    ("payment", "code", "account", "branch"),
    [
        (DANISH_ACCOUNT, "42", "0001234567", "1234"),
        (IBAN_ONLY, "31", "DK5000400440116243", None),  # the BIC is checked below
        (None, "1", None, None),
    ],
)
def test_payment_means(payment: PaymentDetails | None, code: str, account: str | None, branch: str | None) -> None:
    means = parse(build_oioubl(make_doc(payment=payment))).find("cac:PaymentMeans", NS)
    assert text_at(means, "cbc:PaymentMeansCode") == code
    assert text_at(means, "cbc:PaymentDueDate") == "2023-05-31"
    assert text_at(means, "cac:PayeeFinancialAccount/cbc:ID") == account
    assert text_at(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == branch


def test_xml_is_reproducible() -> None:
    assert build_oioubl(make_doc()) == build_oioubl(make_doc())
    other = parse(build_oioubl(make_doc(number="KTH-2023-005")))
    assert text_at(other, "cbc:UUID") != text_at(parse(build_oioubl(make_doc())), "cbc:UUID")


def test_xsd_catches_elements_out_of_order(xsd_dir: Path) -> None:
    root = parse(build_oioubl(make_doc()))
    issue_date = root.find("cbc:IssueDate", NS)
    root.remove(issue_date)
    root.insert(0, issue_date)  # before UBLVersionID: not where the XSD sequence allows it
    errors = validate_ubl(etree.tostring(root), xsd_dir)
    assert errors and "IssueDate" in errors[0]


# ----------------------------------------------------------------------------- OIOUBL rules on broken documents


@pytest.mark.parametrize(
    ("path", "new_text", "message"),
    [
        ("cbc:CustomizationID", "urn:cen.eu:en16931:2017", "CustomizationID is 'urn:cen.eu:en16931:2017'"),
        ("cbc:UBLVersionID", "2.2", "UBLVersionID is '2.2'"),
        ("cbc:IssueDate", "2023-02-30", "IssueDate '2023-02-30' is not a valid date"),
        (
            "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
            VEJEN_EAN[:-1] + str((int(VEJEN_EAN[-1]) + 1) % 10),
            "AccountingCustomerParty EndpointID: EAN 57980000000",
        ),
        (
            "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
            "DK29189847",
            "supplier CompanyID: CVR 29189847 fails the modulus-11 check",
        ),
        (
            "cac:LegalMonetaryTotal/cbc:PayableAmount",
            "1874400.01",
            "PayableAmount 1874400.01 differs from the lines plus tax 1874400.00",
        ),
        ("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID", " ", "has no Contact/ID"),
    ],
    ids=["customization", "ubl-version", "issue-date", "ean-check-digit", "supplier-cvr", "payable", "reference"],
)
def test_rules_catch_a_broken_invoice(path: str, new_text: str, message: str) -> None:
    broken = mutate(build_oioubl(make_doc()), path, new_text)
    problems = check_oioubl_rules(broken)
    assert len(problems) == 1, problems
    assert message in problems[0]


def test_rules_catch_wrong_profile_agency_and_currency() -> None:
    root = parse(build_oioubl(make_doc()))
    root.find("cbc:ProfileID", NS).set("schemeAgencyID", "9")
    root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS).set("currencyID", "EUR")
    problems = check_oioubl_rules(etree.tostring(root))
    assert any("ProfileID schemeAgencyID is '9'" in p for p in problems)
    assert any("PayableAmount has currencyID 'EUR'" in p for p in problems)


def test_rules_catch_credit_note_without_invoice_reference() -> None:
    root = parse(build_oioubl(make_doc("credit_note")))
    root.remove(root.find("cac:BillingReference", NS))
    assert check_oioubl_rules(etree.tostring(root)) == [
        "a CreditNote must reference the invoice it credits (BillingReference/InvoiceDocumentReference/ID)"
    ]


def test_rules_report_unreadable_input_instead_of_raising() -> None:
    assert check_oioubl_rules(b"<Invoice")[0].startswith("not well-formed XML")
    assert "neither" in check_oioubl_rules(b"<Order/>")[0]


# ----------------------------------------------------------------------------- PDF


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_danish_amount_format() -> None:
    assert danish_amount(Decimal("1874400.00")) == "1.874.400,00 kr."
    assert danish_amount(Decimal("18635.25")) == "18.635,25 kr."


def test_danish_invoice_pdf_has_what_a_person_files() -> None:
    text = pdf_text(render_pdf(make_doc()))
    for expected in [
        "Faktura",
        "KTH-2023-004",
        "1.874.400,00 kr.",
        VEJEN_NAME,
        "Rådhuspassagen 3",
        "6600 Vejen",
        "Esbjerg Kommune, Sundhed & Omsorg",
        "CVR 29189846",
        "CVR 29189641",
        f"EAN {ESBJERG_EAN}",
        f"EAN {VEJEN_EAN}",
        "Fakturadato 1. maj 2023",
        "Forfaldsdato 31. maj 2023",
        "Sundhedsklynge Sydvestjylland",
        "Kom Trygt Hjem – udskrivning af ældre",
        "besluttet af politisk niveau den 14. marts 2023",
        "Beløbet er uden for momsområdet (bevilling mellem offentlige myndigheder)",
        "Reg.nr. 1234",
        "Kontonr. 0001234567",
        "Anfør fakturanummer",
    ]:
        assert expected in text, expected
    assert "Kreditnota" not in text


def test_credit_note_pdf_names_the_credited_invoice() -> None:
    text = pdf_text(render_pdf(make_doc("credit_note", IBAN_ONLY)))
    assert "Kreditnota" in text
    assert "Krediterer faktura KTH-2023-004 af 1. maj 2023" in text
    assert "IBAN DK5000400440116243" in text
    assert "Faktura\n" not in text


def test_english_pdf() -> None:
    text = pdf_text(render_pdf(make_doc("credit_note"), lang="en"))
    assert "Credit note" in text
    assert "Credits invoice KTH-2023-004 of 1 May 2023" in text
    assert "decided by the political level on 14 March 2023" in text
    assert "The amount is outside the scope of VAT (grant between public authorities)" in text
    assert "1.874.400,00 kr." in text
    assert "Beløbet" not in text


def test_pdf_without_recorded_decision_says_so() -> None:
    text = pdf_text(render_pdf(make_doc(decision_level=None, decision_date=None, payment=None)))
    assert "Beslutning ikke registreret" in text
    assert "Ingen kontooplysninger angivet." in text


def test_pdf_metadata_and_reproducibility() -> None:
    data = render_pdf(make_doc())
    assert data == render_pdf(make_doc())
    metadata = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert metadata.title == "Faktura KTH-2023-004"
    assert metadata.author == "Esbjerg Kommune, Sundhed & Omsorg"
    assert metadata.creation_date == datetime(2023, 5, 1, tzinfo=timezone.utc)


def test_pdf_is_a4() -> None:
    page = pypdf.PdfReader(io.BytesIO(render_pdf(make_doc()))).pages[0]
    width_mm, height_mm = (float(v) / 72 * 25.4 for v in (page.mediabox.width, page.mediabox.height))
    assert (round(width_mm), round(height_mm)) == (210, 297)


def test_pdf_replaces_letters_the_core_font_lacks_instead_of_failing() -> None:
    doc = make_doc(recipient=dataclasses.replace(VEJEN, name="Łódź Kommune"))
    assert "?ód? Kommune" in pdf_text(render_pdf(doc))


def test_pdf_refuses_unknown_language() -> None:
    with pytest.raises(ValueError, match="language 'de'"):
        render_pdf(make_doc(), lang="de")


def test_iban_payment_names_the_bank_by_its_bic() -> None:
    means = parse(build_oioubl(make_doc(payment=IBAN_ONLY))).find("cac:PaymentMeans", NS)
    assert text_at(means, "cbc:PaymentChannelCode") == "IBAN"
    assert text_at(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID") == "NDEADKKK"
    assert "IBAN DK5000400440116243   BIC NDEADKKK" in pdf_text(render_pdf(make_doc(payment=IBAN_ONLY)))


# ----------------------------------------------------------------------------- words


def test_long_dates_and_decisions_in_both_languages() -> None:
    assert long_date(date(2023, 3, 14), "da") == "14. marts 2023"
    assert long_date(date(2024, 5, 1), "en") == "1 May 2024"
    assert decision_text(make_doc(), "da") == "besluttet af politisk niveau den 14. marts 2023"
    assert decision_text(make_doc(decision_level="fagligt strategisk", decision_date=None), "en") == \
        "decided by the professional-strategic level"
    assert decision_text(make_doc(decision_level=None), "da") == "besluttet den 14. marts 2023"
    assert decision_text(make_doc(decision_level=None, decision_date=None), "da") == ""


def test_english_pdf_has_no_danish_words_of_ours() -> None:
    text = pdf_text(render_pdf(make_doc(description="Vejen's share"), lang="en"))
    for danish in ("Faktura", "Forfaldsdato", "Beløbet", "Betaling", "besluttet", "marts"):
        assert danish not in text, danish


# ----------------------------------------------------------------------------- the documents of issued invoices


@pytest.fixture
def issued(cli, fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """The fixture cluster issued on 15-01-2024, then Mobilt akutteam reduced and credited on 05-03-2024."""
    monkeypatch.chdir(tmp_path)
    data = fixture_copy
    assert cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-01-15").code == 0
    changes = data / "vesterhavet" / "changes"
    changes.mkdir()
    (changes / "akut-nedsat.toml").write_text('id = "akut-nedsat"\nkind = "reduction"\ngrant = "akutteam"\namount = 100000\n'
                                              'decision = { level = "politisk", date = 2024-03-01 }\n', "utf-8")
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--issue", "--date", "2024-03-05", "--json")
    assert result.code == 0, result.text
    assert [i["kind"] for i in json.loads(result.out)["issued"]] == ["credit_note"] * 3
    return tmp_path / "fakturaer" / "vesterhavet"


def test_every_issued_document_passes_the_ubl_schema_and_the_oioubl_rules(issued: Path, fixture_copy: Path) -> None:
    xsd = schema_dir()
    xmls = sorted(issued.glob("*.xml"))
    assert len(xmls) == 12 and len(list(issued.glob("*.pdf"))) == 12
    eans = {"havby": "5790000000012", "klitby": "5790000000029", "sandby": "5790000000036", "region-vest": "5790000000043"}
    import tomllib

    for path in xmls:
        xml = path.read_bytes()
        assert validate_ubl(xml, xsd) == [], path.name
        assert check_oioubl_rules(xml) == [], path.name
        root = etree.fromstring(xml)
        record = tomllib.loads((fixture_copy / "vesterhavet" / "invoices" / f"{path.stem}.toml").read_text("utf-8"))
        assert root.findtext("cbc:ID", namespaces=NS) == path.stem
        assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == record["amount"]
        assert root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS).text == eans[record["recipient"]]


def test_every_issued_document_passes_the_oioubl_rules(issued: Path) -> None:
    for path in sorted(issued.glob("*.xml")):
        assert check_oioubl_rules(path.read_bytes()) == [], path.name


def test_invoice_pdf_of_an_issued_invoice(issued: Path) -> None:
    text = pdf_text((issued / "vesterhavet-havby-0003.pdf").read_bytes())
    for expected in (
        "Faktura", "vesterhavet-havby-0003", "Havby Kommune", "Rådhustorvet 1", "6700 Havby", "CVR 12345607",
        "EAN 5790000000012", "Region Vest", "Regionsvej 4", "CVR 45678903", "EAN 5790000000043",
        "15. januar 2024", "14. februar 2024", "Fælles sundhedsteam", "politisk niveau den 14. marts 2023",
        "300.000,00 kr.", "uden for momsområdet", "Reg.nr. 1234", "Kontonr. 0001234567",
        "Region Vests andel af bevillingen efter klyngens fordeling.",
    ):
        assert expected in text, expected


def test_credit_note_of_an_issued_invoice(issued: Path) -> None:
    root = etree.fromstring((issued / "vesterhavet-region-vest-0004.xml").read_bytes())
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == "vesterhavet-region-vest-0001"
    assert root.findtext("cbc:Note", namespaces=NS) == "Kreditering af vesterhavet-region-vest-0001: Havby Kommunes andel af bevillingen er nedsat."
    text = pdf_text((issued / "vesterhavet-region-vest-0004.pdf").read_bytes())
    assert "Kreditnota" in text and "Krediterer faktura vesterhavet-region-vest-0001 af 15. januar 2024" in text


def test_english_pdfs_keep_a_danish_e_invoice(cli, issued: Path, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "english"
    result = cli("invoices", "Vesterhavet", "--data", str(fixture_copy), "--documents", "--out", str(out), "--lang", "en")
    assert result.code == 0, result.text
    assert "24 files written in" in result.out
    text = pdf_text((out / "vesterhavet-region-vest-0004.pdf").read_bytes())
    assert "Credit note" in text and "Credit of vesterhavet-region-vest-0001: Havby Kommune's share" in text
    assert (out / "vesterhavet-region-vest-0004.xml").read_bytes() == (issued / "vesterhavet-region-vest-0004.xml").read_bytes()


def test_party_problems_name_the_partner_the_key_and_the_file(fixture_copy: Path) -> None:
    from klyngefond.documents.issue import party_problems
    from klyngefond.i18n import text
    from klyngefond.storage.loader import load_ledger

    cluster = fixture_copy / "vesterhavet" / "cluster.toml"
    cluster.write_text(cluster.read_text("utf-8").replace('address = { street = "Klitvej 2", postal_code = "6720", city = "Klitby" }\n', "")
                       .replace('ean = "5790000000043"', 'ean = "5790000000044"'), "utf-8")
    ledger, problems = load_ledger(fixture_copy / "vesterhavet")
    assert ledger is not None and not problems
    found = [text(m, "da") for m in party_problems(ledger, ["region-vest"], ["klitby"])]
    assert len(found) == 2
    assert found[0].startswith("Region Vest (region-vest): EAN 5790000000044 har forkert kontrolciffer")
    assert "ret partners[4] (region-vest).ean i" in found[0] and "cluster.toml" in found[0]
    assert found[1].startswith("Klitby Kommune (klitby) har ingen adresse") and "partners[2] (klitby).address" in found[1]
    assert [text(m, "en") for m in party_problems(ledger, ["havby"], ["sandby"])] == []
