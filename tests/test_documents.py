"""Invoice documents: the model's checks, the OIOUBL and Peppol XML, the PDF, and the documents of issued invoices.

Tests that validate against the UBL 2.1 schema need it at ``../shared/ubl-2.1/xsd`` beside
the repository (or ``KLYNGEFOND_UBL_XSD_DIR``): they are skipped, saying why, where it is
absent, and fail in CI (``CI`` set), where it must be present.
"""

from __future__ import annotations

import dataclasses
import io
import json
import tomllib
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from documents_factory import (
    DANISH_ACCOUNT,
    DANISH_IBAN,
    ESBJERG,
    ESBJERG_EAN,
    FORMATS,
    IBAN_WITH_BIC,
    KINDS,
    NS,
    PAYMENTS,
    VEJEN,
    VEJEN_EAN,
    VEJEN_NAME,
    make_doc,
    schema_dir,
    text_at,
)
from lxml import etree

from klyngefond.documents.issue import build_einvoice, check_einvoice
from klyngefond.documents.model import Decided, DocumentError, PaymentDetails, PaymentError, Transfer, decision_text, long_date
from klyngefond.documents.oioubl import build_oioubl, validate_ubl
from klyngefond.documents.pdf import danish_amount, render_pdf
from klyngefond.documents.peppol import build_peppol


@pytest.fixture
def xsd_dir() -> Path:
    return schema_dir()


def parse(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without whitespace: a wrapped name is found whole again."""
    return "".join(text.split())


def assert_printed(text: str, *expected: str) -> None:
    """Each of ``expected`` is in the PDF's text, wherever the lines wrap."""
    flat = squeezed(text)
    for words in expected:
        assert squeezed(words) in flat, words


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


def test_a_credit_note_names_its_invoice_and_asks_for_no_payment() -> None:
    with pytest.raises(ValueError, match="credited_invoice"):
        make_doc("credit_note", credited_invoice=None)
    with pytest.raises(ValueError, match="asks for no payment"):
        make_doc("credit_note", due_date=date(2023, 10, 5))
    with pytest.raises(ValueError, match="asks for no payment"):
        dataclasses.replace(make_doc("credit_note"), payment=DANISH_ACCOUNT)


def test_an_invoice_needs_a_due_date_not_before_its_issue_date_and_a_reference() -> None:
    with pytest.raises(ValueError, match="before issue date"):
        make_doc(due_date=date(2023, 4, 30))
    with pytest.raises(ValueError, match="needs a due date"):
        make_doc(due_date=None)
    with pytest.raises(ValueError, match="buyer_reference"):
        make_doc(buyer_reference=" ")


def test_party_with_invalid_cvr_is_refused_naming_partner_and_field() -> None:
    with pytest.raises(DocumentError, match=r"partner 'vejen': CVR 29189642 fails the modulus-11 check") as caught:
        dataclasses.replace(VEJEN, cvr="29189642")
    assert (caught.value.partner, caught.value.field) == ("vejen", "cvr")
    assert caught.value.reason.key == "invoices.cvr_check"


def test_party_identifiers_are_normalised() -> None:
    party = dataclasses.replace(VEJEN, cvr="DK 29 18 96 41", ean=f"{VEJEN_EAN[:4]} {VEJEN_EAN[4:]}")
    assert (party.cvr, party.ean) == ("29189641", VEJEN_EAN)


def test_payment_details_are_checked_and_name_the_key() -> None:
    with pytest.raises(PaymentError, match="both reg. no.") as caught:
        PaymentDetails(bank_reg="1234", bank_account=None, iban=None, note=None)
    assert caught.value.message.key == "invoices.payment_reg_and_account"
    with pytest.raises(PaymentError, match="4 digits") as caught:
        PaymentDetails(bank_reg="12345", bank_account="1", iban=None, note=None)
    assert caught.value.field == "bank_reg"
    for digits in ("12\u00b24", "\u0661\u0662\u0663\u0664"):  # digits to str.isdigit(), not to a bank
        with pytest.raises(PaymentError, match="4 digits") as caught:
            PaymentDetails(bank_reg=digits, bank_account="1", iban=None, note=None)
    with pytest.raises(PaymentError) as caught:
        PaymentDetails(bank_reg="1234", bank_account="000\u00b2", iban=None, note=None)
    assert caught.value.field == "bank_account"
    with pytest.raises(PaymentError, match="IBAN DK50 0040 is not valid") as caught:
        PaymentDetails(bank_reg=None, bank_account=None, iban="DK50 0040", note=None)
    assert caught.value.field == "iban"
    with pytest.raises(PaymentError, match="BIC NDEA is not valid") as caught:
        PaymentDetails(bank_reg=None, bank_account=None, iban="DK5000400440116243", note=None, bic="NDEA")
    assert caught.value.field == "bic"


def test_how_the_payer_transfers() -> None:
    assert DANISH_ACCOUNT.transfer() == Transfer("42", "0001234567", branch="1234")
    assert IBAN_WITH_BIC.transfer() == Transfer("31", "DK5000400440116243", bic="NDEADKKK")
    # A Danish IBAN without a BIC is its reg.nr. (characters 5-8) and kontonr. (the 10 digits after it).
    assert DANISH_IBAN.transfer() == Transfer("42", "0440116243", branch="0040", from_iban=True)
    foreign = PaymentDetails(bank_reg=None, bank_account=None, iban="DE89370400440532013000", note=None)
    with pytest.raises(PaymentError, match="not Danish and has no BIC") as caught:
        foreign.transfer()
    assert caught.value.field == "bic"
    with pytest.raises(DocumentError) as refused:
        build_oioubl(make_doc(payment=foreign))
    assert (refused.value.partner, refused.value.field) == ("esbjerg", "payment.bic")


# ----------------------------------------------------------------------------- DocumentError


@pytest.mark.parametrize("build", [build_oioubl, build_peppol], ids=FORMATS)
def test_missing_recipient_ean_names_partner_and_field(build) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentError) as caught:
        build(make_doc(recipient=dataclasses.replace(VEJEN, ean=None)))
    assert (caught.value.partner, caught.value.field) == ("vejen", "ean")
    assert str(caught.value) == "partner 'vejen': has no EAN number, where public bodies receive e-invoices"


@pytest.mark.parametrize("render", [build_oioubl, build_peppol, render_pdf], ids=["oioubl", "peppol", "pdf"])
def test_missing_address_names_partner_and_field(render) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentError, match=r"^partner 'esbjerg': has no address") as caught:
        render(make_doc(issuer=dataclasses.replace(ESBJERG, address=None)))
    assert (caught.value.partner, caught.value.field) == ("esbjerg", "address")


def test_missing_cvr_names_partner_and_field() -> None:
    with pytest.raises(DocumentError, match="has no CVR number") as caught:
        build_oioubl(make_doc(recipient=dataclasses.replace(VEJEN, cvr=None)))
    assert (caught.value.partner, caught.value.field) == ("vejen", "cvr")


def test_pdf_does_not_need_an_ean() -> None:
    assert render_pdf(make_doc(recipient=dataclasses.replace(VEJEN, ean=None))).startswith(b"%PDF")


# ----------------------------------------------------------------------------- the e-invoices: every kind x payment x format


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("payment", PAYMENTS.values(), ids=PAYMENTS.keys())
@pytest.mark.parametrize("kind", KINDS)
def test_every_document_is_valid_ubl_and_passes_the_rules(kind: str, payment: PaymentDetails, fmt: str, xsd_dir: Path) -> None:
    doc = make_doc(kind, payment, einvoice_format=fmt)
    xml = build_einvoice(doc)
    assert check_einvoice(xml, fmt, xsd_dir) == []


@pytest.mark.parametrize("kind", KINDS)
def test_oioubl_carries_the_document(kind: str) -> None:
    doc = make_doc(kind)
    root = parse(build_oioubl(doc))
    root_name = "Invoice" if kind == "invoice" else "CreditNote"
    assert etree.QName(root).localname == root_name
    assert text_at(root, "cbc:UBLVersionID") == "2.1"
    assert text_at(root, "cbc:CustomizationID") == "OIOUBL-2.1"
    profile = root.find("cbc:ProfileID", NS)
    assert (profile.text, profile.get("schemeAgencyID"), profile.get("schemeID")) == (
        "Procurement-BilSim-1.0", "320", "urn:oioubl:id:profileid-1.6")
    assert text_at(root, "cbc:ID") == doc.number
    assert text_at(root, "cbc:DocumentCurrencyCode") == "DKK"
    customer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    endpoint = customer.find("cbc:EndpointID", NS)
    assert (endpoint.text, endpoint.get("schemeID")) == (VEJEN_EAN, "GLN")
    assert text_at(customer, "cac:PartyName/cbc:Name") == VEJEN_NAME
    assert text_at(customer, "cac:PostalAddress/cbc:StreetName") == "Rådhuspassagen 3"
    # The recipient's finance office routes on its own reference.
    assert text_at(customer, "cac:Contact/cbc:ID") == "Vejen Økonomi, att. 4410"
    supplier_company = root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", NS)
    assert (supplier_company.text, supplier_company.get("schemeID")) == ("DK29189846", "DK:CVR")
    assert text_at(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == str(doc.amount)
    assert text_at(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == "0.00"  # OIOUBL: the tax total
    assert text_at(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID") == "ZeroRated"
    description = text_at(root, f"cac:{root_name}Line/cac:Item/cbc:Description")
    if kind == "invoice":
        assert "besluttet på politisk niveau (Klyngestyregruppen) den 14. marts 2023, Sag 24/00123, punkt 7" in description
    else:
        assert "kreditering af faktura ESB-2023-0004" in description
        assert "nedsættelse af bevillingen, besluttet på politisk niveau (Klyngestyregruppen) den 1. september 2023" in description


@pytest.mark.parametrize("kind", KINDS)
def test_peppol_carries_the_document(kind: str) -> None:
    doc = make_doc(kind, einvoice_format="peppol")
    root = parse(build_peppol(doc))
    assert text_at(root, "cbc:CustomizationID") == "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    assert text_at(root, "cbc:ProfileID") == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
    for absent in ("cbc:UBLVersionID", "cbc:UUID", "cbc:CopyIndicator", "cac:AccountingCustomerParty/cac:Party/cac:Contact"):
        assert root.find(absent, NS) is None, absent
    assert text_at(root, "cbc:BuyerReference") == "Vejen Økonomi, att. 4410"
    customer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert (customer.find("cbc:EndpointID", NS).text, customer.find("cbc:EndpointID", NS).get("schemeID")) == (VEJEN_EAN, "0088")
    company = customer.find("cac:PartyLegalEntity/cbc:CompanyID", NS)
    assert (company.text, company.get("schemeID")) == ("29189641", "0184")
    assert text_at(customer, "cac:PostalAddress/cbc:StreetName") == "Rådhuspassagen 3"
    category = root.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)
    assert (text_at(category, "cbc:ID"), text_at(category, "cbc:TaxExemptionReasonCode")) == ("O", "VATEX-EU-O")
    assert category.find("cbc:Percent", NS) is None
    amount = str(doc.amount)
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        assert text_at(root, f"cac:LegalMonetaryTotal/cbc:{name}") == amount  # EN 16931: TaxExclusive is the net total
    if kind == "invoice":
        assert (text_at(root, "cbc:InvoiceTypeCode"), text_at(root, "cbc:DueDate")) == ("380", "2023-05-31")
    else:
        assert text_at(root, "cbc:CreditNoteTypeCode") == "381"
        assert text_at(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == "ESB-2023-0004"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_credit_note_carries_no_payment_request(fmt: str) -> None:
    xml = build_einvoice(make_doc("credit_note", einvoice_format=fmt))
    root = parse(xml)
    for absent in ("cac:PaymentMeans", "cac:PaymentTerms", "cbc:DueDate", ".//cbc:PaymentDueDate", ".//cac:PayeeFinancialAccount"):
        assert root.find(absent, NS) is None, absent
    assert b"1234" not in xml and b"Betales senest" not in xml


@pytest.mark.parametrize(
    ("payment", "code", "channel", "account", "branch", "bic"),
    [
        (DANISH_ACCOUNT, "42", "DK:BANK", "0001234567", "1234", None),
        (IBAN_WITH_BIC, "31", "IBAN", "DK5000400440116243", None, "NDEADKKK"),
        (DANISH_IBAN, "42", "DK:BANK", "0440116243", "0040", None),
    ],
    ids=PAYMENTS.keys(),
)
def test_oioubl_payment_means(payment, code, channel, account, branch, bic) -> None:  # type: ignore[no-untyped-def]
    means = parse(build_oioubl(make_doc(payment=payment))).find("cac:PaymentMeans", NS)
    assert text_at(means, "cbc:PaymentMeansCode") == code
    assert text_at(means, "cbc:PaymentChannelCode") == channel
    assert text_at(means, "cbc:PaymentDueDate") == "2023-05-31"
    assert text_at(means, "cac:PayeeFinancialAccount/cbc:ID") == account
    assert text_at(means, "cac:PayeeFinancialAccount/cbc:PaymentNote") == "ESB-2023-0004"  # the number, for the payer
    assert text_at(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == branch
    assert text_at(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID") == bic


@pytest.mark.parametrize(
    ("payment", "code", "account", "branch"),
    [(DANISH_ACCOUNT, "42", "0001234567", "1234"), (IBAN_WITH_BIC, "31", "DK5000400440116243", "NDEADKKK"),
     (DANISH_IBAN, "42", "0440116243", "0040")],
    ids=PAYMENTS.keys(),
)
def test_peppol_payment_means(payment, code, account, branch) -> None:  # type: ignore[no-untyped-def]
    means = parse(build_peppol(make_doc(payment=payment, einvoice_format="peppol"))).find("cac:PaymentMeans", NS)
    assert text_at(means, "cbc:PaymentMeansCode") == code
    assert text_at(means, "cbc:PaymentID") == "ESB-2023-0004"
    assert text_at(means, "cac:PayeeFinancialAccount/cbc:ID") == account
    assert text_at(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID") == branch  # the BIC, for an IBAN


def test_an_older_long_number_is_sent_without_a_payment_note(xsd_dir: Path) -> None:
    xml = build_oioubl(make_doc(number="sydvestjylland-esbjerg-0007"))
    assert parse(xml).find(".//cbc:PaymentNote", NS) is None
    assert check_einvoice(xml, "oioubl", xsd_dir) == []


def test_xml_is_reproducible() -> None:
    assert build_oioubl(make_doc()) == build_oioubl(make_doc())
    other = parse(build_oioubl(make_doc(number="ESB-2023-0005")))
    assert text_at(other, "cbc:UUID") != text_at(parse(build_oioubl(make_doc())), "cbc:UUID")


def test_xsd_catches_elements_out_of_order(xsd_dir: Path) -> None:
    root = parse(build_oioubl(make_doc()))
    issue_date = root.find("cbc:IssueDate", NS)
    root.remove(issue_date)
    root.insert(0, issue_date)  # before UBLVersionID: not where the XSD sequence allows it
    errors = validate_ubl(etree.tostring(root), xsd_dir)
    assert errors and "IssueDate" in errors[0]


# ----------------------------------------------------------------------------- PDF


def test_danish_amount_format() -> None:
    assert danish_amount(Decimal("1874400.00")) == "1.874.400,00 kr."
    assert danish_amount(Decimal("18635.25")) == "18.635,25 kr."


def test_danish_invoice_pdf_has_what_a_person_files() -> None:
    text = pdf_text(render_pdf(make_doc()))
    assert_printed(
        text,
        "Faktura", "Fakturanummer ESB-2023-0004", "231.631,55 kr.", VEJEN_NAME, "Rådhuspassagen 3", "6600 Vejen",
        "Esbjerg Kommune, Sundhed & Omsorg", "CVR 29189846", "CVR 29189641", f"EAN {ESBJERG_EAN}", f"EAN {VEJEN_EAN}",
        "Fakturadato 1. maj 2023", "Forfaldsdato 31. maj 2023", "Jeres reference Vejen Økonomi, att. 4410",
        "Sundhedsklynge Sydvestjylland", "Kom Trygt Hjem – udskrivning af ældre",
        "Besluttet på politisk niveau (Klyngestyregruppen) den 14. marts 2023, Sag 24/00123, punkt 7",
        "Bevilling i alt 1.874.400,00 kr.", "Jeres andel 231.631,55 kr. (fordelingsmodel: fast andel + forholdsmæssig rest)",
        "Beløbet er uden for momsområdet (bevilling mellem offentlige myndigheder)",
        "Reg.nr. 1234 · Kontonr. 0001234567", "Betales senest 31. maj 2023", "Anfør fakturanummer ESB-2023-0004 ved betaling.",
        "Anfør fakturanummer", "Side 1 af 1",
    )
    assert "Kreditnota" not in text and "Faktureret før" not in text


def test_a_danish_iban_without_bic_is_printed_as_the_account_it_is_paid_to() -> None:
    text = pdf_text(render_pdf(make_doc(payment=DANISH_IBAN)))
    assert "Reg.nr. 0040 · Kontonr. 0440116243" in text and "(IBAN DK5000400440116243)" in text
    assert "IBAN DK5000400440116243 · BIC NDEADKKK" in pdf_text(render_pdf(make_doc(payment=IBAN_WITH_BIC)))


def test_credit_note_pdf_reads_as_a_credit_note() -> None:
    text = pdf_text(render_pdf(make_doc("credit_note")))
    assert_printed(
        text,
        "Kreditnota", "Kreditnotanummer ESB-2023-0011", "Krediterer faktura ESB-2023-0004 af 1. maj 2023",
        "Årsag Nedsættelse af bevillingen, besluttet på politisk niveau (Klyngestyregruppen) den 1. september 2023, "
        "Sag 24/00456, punkt 3",
        "Jeres andel 181.631,55 kr.", "Faktureret før 231.631,55 kr.",
        "Afregning", "20.000,00 kr. modregnes i det udestående på faktura ESB-2023-0004.",
        "30.000,00 kr. er allerede betalt på faktura ESB-2023-0004 og tilbagebetales af Esbjerg Kommune, Sundhed & Omsorg.",
        "Kreditnotaen er ikke en betalingsanmodning.",
    )
    for absent in ("Betales senest", "Forfaldsdato", "Reg.nr.", "Kontonr.", "IBAN", "Faktura\n"):
        assert absent not in text, absent


def test_credit_note_without_a_recorded_cause_says_the_split_changed() -> None:
    text = pdf_text(render_pdf(make_doc("credit_note", cause=None)))
    assert "Årsag Ændret fordeling af bevillingen mellem parterne" in text


def test_english_pdf() -> None:
    text = pdf_text(render_pdf(make_doc("credit_note"), lang="en"))
    assert_printed(text, "Credit note", "Credits invoice ESB-2023-0004 of 1 May 2023", "Your reference", "Settlement",
                   "Decided by the political level (Klyngestyregruppen) on 14 March 2023",
                   "This credit note is not a request for payment.", "50.000,00 kr.", "Page 1 of 1")
    for danish in ("Faktura", "Forfaldsdato", "Beløbet", "Betaling", "besluttet", "marts", "Kreditnota"):
        assert danish not in text, danish


def test_pdf_without_recorded_decision_or_account_says_so() -> None:
    text = pdf_text(render_pdf(make_doc(decision=None, payment=None)))
    assert "Beslutning ikke registreret" in text
    assert "Ingen kontooplysninger angivet." in text


def test_pdf_is_pdf_a_3b_with_the_e_invoice_attached_reproducible_and_dated_by_its_issue_date() -> None:
    doc = make_doc()
    xml = build_oioubl(doc)
    data = render_pdf(doc, "da", xml)
    assert data == render_pdf(make_doc(), "da", build_oioubl(make_doc()))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.attachments == {"ESB-2023-0004.xml": [xml]}
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in raw and "<pdfaid:conformance>B</pdfaid:conformance>" in raw
    assert reader.metadata.title == "Faktura ESB-2023-0004"
    assert reader.metadata.author == "Esbjerg Kommune, Sundhed & Omsorg"
    assert reader.metadata.creation_date == datetime(2023, 5, 1, tzinfo=timezone.utc)


def test_every_font_is_embedded() -> None:
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(make_doc())))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                fonts.append((str(descendant.get_object()["/BaseFont"]),
                              any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))))
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all("Libertinus" in name for name, _ in fonts), fonts


def test_pdf_is_a4() -> None:
    page = pypdf.PdfReader(io.BytesIO(render_pdf(make_doc()))).pages[0]
    width_mm, height_mm = (float(v) / 72 * 25.4 for v in (page.mediabox.width, page.mediabox.height))
    assert (round(width_mm), round(height_mm)) == (210, 297)


def test_pdf_prints_every_danish_and_typographic_letter_and_wraps_long_names_without_cutting() -> None:
    long_name = ("Region Sjælland – Koncern Økonomi, Afdeling for Tværsektorielt Samarbejde og Sundhedsklyngernes "
                 "Fællesadministration «Øst» — „Næstved–Slagelse–Ringsted“ ½ € § ÆØÅ æøå é ü ł Łódź")
    unbroken = "Sundhedsklyngeadministrationsfællesskabetsøkonomifunktionsafdelingen"
    grant = "Et meget langt bevillingsnavn " * 8 + "der aldrig skæres af"
    doc = make_doc(recipient=dataclasses.replace(VEJEN, name=f"{long_name} {unbroken}"), grant_name=grant.strip())
    text = pdf_text(render_pdf(doc))
    assert squeezed(long_name) in squeezed(text) and unbroken in squeezed(text)
    assert squeezed(grant) in squeezed(text)
    assert "\ufffd" not in text and "\u200b" not in text


def test_a_name_with_typst_markup_is_printed_as_written() -> None:
    name = "#set page(fill: red) *fed* $x$ <label> _x_ \\ \" @ref = HYPERLINK()"
    text = pdf_text(render_pdf(make_doc(recipient=dataclasses.replace(VEJEN, name=name))))
    assert squeezed(name) in squeezed(text)


def test_pdf_refuses_unknown_language() -> None:
    with pytest.raises(ValueError, match="language 'de'"):
        render_pdf(make_doc(), lang="de")


# ----------------------------------------------------------------------------- words


def test_long_dates_and_decisions_in_both_languages() -> None:
    assert long_date(date(2023, 3, 14), "da") == "14. marts 2023"
    assert long_date(date(2024, 5, 1), "en") == "1 May 2024"
    assert decision_text(Decided("politisk", date(2023, 3, 14)), "da") == "besluttet på politisk niveau den 14. marts 2023"
    assert decision_text(Decided("fagligt strategisk"), "en") == "decided by the professional-strategic level"
    assert decision_text(Decided(date=date(2023, 3, 14)), "da") == "besluttet den 14. marts 2023"
    assert decision_text(Decided(body="Styregruppen", reference="Sag 1"), "da") == "besluttet i Styregruppen, Sag 1"
    assert decision_text(Decided(reference="Sag 1"), "da") == "Sag 1"
    assert decision_text(None, "da") == decision_text(Decided(), "da") == ""


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
    for path in xmls:
        xml = path.read_bytes()
        assert check_einvoice(xml, "oioubl", xsd) == [], path.name
        root = etree.fromstring(xml)
        record = tomllib.loads((fixture_copy / "vesterhavet" / "invoices" / f"{path.stem}.toml").read_text("utf-8"))
        assert root.findtext("cbc:ID", namespaces=NS) == path.stem
        assert len(path.stem) <= 20
        assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == record["amount"]
        assert root.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", NS).text == eans[record["recipient"]]


def test_invoice_pdf_of_an_issued_invoice(issued: Path) -> None:
    text = pdf_text((issued / "HAV-2024-0003.pdf").read_bytes())
    for expected in (
        "Faktura", "HAV-2024-0003", "Havby Kommune", "Rådhustorvet 1", "6700 Havby", "CVR 12345607",
        "EAN 5790000000012", "Region Vest", "Regionsvej 4", "CVR 45678903", "EAN 5790000000043",
        "15. januar 2024", "14. februar 2024", "Fælles sundhedsteam", "politisk niveau den 14. marts 2023",
        "300.000,00 kr.", "uden for momsområdet", "Reg.nr. 1234", "Kontonr. 0001234567",
        "Region Vests andel af bevillingen efter klyngens fordeling.", "Bevilling i alt 600.000,00 kr.",
        "Jeres andel 300.000,00 kr. (fordelingsmodel: solidarisk)", "Jeres reference faelles-sundhedsteam",
    ):
        assert expected in text, expected


def test_credit_note_of_an_issued_invoice(issued: Path) -> None:
    root = etree.fromstring((issued / "RVE-2024-0004.xml").read_bytes())
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == "RVE-2024-0001"
    assert root.findtext("cbc:Note", namespaces=NS) == "Kreditering af RVE-2024-0001: Havby Kommunes andel af bevillingen er nedsat."
    assert root.find("cac:PaymentMeans", NS) is None
    text = pdf_text((issued / "RVE-2024-0004.pdf").read_bytes())
    assert "Kreditnota" in text and "Krediterer faktura RVE-2024-0001 af 15. januar 2024" in text
    assert "Årsag Nedsættelse af bevillingen, besluttet på politisk niveau den 1. marts 2024" in text
    assert "57.142,86 kr. modregnes i det udestående på faktura RVE-2024-0001." in text  # nothing was paid
    assert "Betales senest" not in text and "Forfaldsdato" not in text


def test_english_pdfs_keep_a_danish_e_invoice(cli, issued: Path, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "english"
    result = cli("invoices", "Vesterhavet", "--data", str(fixture_copy), "--documents", "--out", str(out), "--lang", "en")
    assert result.code == 0, result.text
    assert "24 files written in" in result.out
    text = pdf_text((out / "RVE-2024-0004.pdf").read_bytes())
    assert "Credit note" in text and "Credit of RVE-2024-0001: Havby Kommune's share" in text
    assert (out / "RVE-2024-0004.xml").read_bytes() == (issued / "RVE-2024-0004.xml").read_bytes()


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
