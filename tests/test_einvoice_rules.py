"""The OIOUBL and Peppol rules the tool checks: each one refuses a document that breaks it.

Every rule in ``OIOUBL_RULES`` and ``PEPPOL_RULES`` has a case here: a valid document with
one change, and the tool's check names the rule by its official id. A test below makes sure
no rule is left without a case. While writing them, each changed document was also run
through the official validators (OIOUBL schematron 1.17.2, CEN 1.3.16 + Peppol 3.0.21): every
case of an official id is rejected there (fatal) or warned about (the ``W-…``, ``UBL-CR-…``
and ``UBL-DT-…`` ids; ``BR-CO-25`` is fatal in Peppol 3.0.19, dropped in 3.0.21). The ``KF-…``
rules are the tool's own checks of what no official rule checks (a GS1 or modulus-11 check
digit, a due date before the issue date, a credit note without its invoice or with a payment
request); the official validators let those pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from documents_factory import DANISH_ACCOUNT, IBAN_WITH_BIC, NS, make_doc
from lxml import etree

from klyngefond.documents.oioubl import OIOUBL_RULES, build_oioubl, check_oioubl_rules
from klyngefond.documents.peppol import PEPPOL_RULES, build_peppol, check_peppol_rules

Mutation = Callable[[etree._Element], None]


def q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def first(root: etree._Element, path: str) -> etree._Element:
    found = root.find(path, NS)
    assert found is not None, path
    return found


def text(path: str, value: str) -> Mutation:
    def apply(root: etree._Element) -> None:
        first(root, path).text = value
    return apply


def attr(path: str, name: str, value: str | None) -> Mutation:
    def apply(root: etree._Element) -> None:
        element = first(root, path)
        if value is None:
            del element.attrib[name]
        else:
            element.set(name, value)
    return apply


def drop(path: str) -> Mutation:
    def apply(root: etree._Element) -> None:
        element = first(root, path)
        element.getparent().remove(element)
    return apply


def add(parent: str, tag: str, value: str | None = None, index: int | None = None, **attributes: str) -> Mutation:
    """A new element under ``parent`` (``"."`` for the root), at ``index`` or last."""
    def apply(root: etree._Element) -> None:
        holder = root if parent == "." else first(root, parent)
        element = etree.Element(q(tag), attributes)
        element.text = value
        if index is None:
            holder.append(element)
        else:
            holder.insert(index, element)
    return apply


def copy(path: str) -> Mutation:
    """A second copy of the element at ``path``, right after it."""
    def apply(root: etree._Element) -> None:
        element = first(root, path)
        element.addnext(etree.fromstring(etree.tostring(element)))
    return apply


def both(*mutations: Mutation) -> Mutation:
    def apply(root: etree._Element) -> None:
        for mutation in mutations:
            mutation(root)
    return apply


@dataclass(frozen=True)
class Case:
    rule: str
    mutation: Mutation
    base: str = "invoice"  # invoice (reg.nr./kontonr.), iban (IBAN + BIC) or credit_note


CUSTOMER = "cac:AccountingCustomerParty/cac:Party"
SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
MEANS = "cac:PaymentMeans"
ACCOUNT = "cac:PaymentMeans/cac:PayeeFinancialAccount"
TOTALS = "cac:LegalMonetaryTotal"
SUBTOTAL = "cac:TaxTotal/cac:TaxSubtotal"
LINE = "cac:InvoiceLine"

OIOUBL_CASES = [
    Case("F-LIB001", text("cbc:UBLVersionID", "2.2")),
    Case("F-LIB002", text("cbc:CustomizationID", "urn:cen.eu:en16931:2017")),
    Case("W-LIB003", attr("cbc:ProfileID", "schemeID", "urn:oioubl:id:profileid-9.9")),
    Case("W-LIB203", attr("cbc:ProfileID", "schemeAgencyID", "9")),
    Case("F-LIB351", text("cbc:ProfileID", "Procurement-BilSim-9.9")),
    Case("F-INV009/F-CRN006", text("cbc:ID", " ")),
    Case("KF-ISSUE-DATE", text("cbc:IssueDate", "2023-02-30")),
    Case("F-LIB006", text("cbc:UUID", "3f1c2a7e")),
    Case("W-INV010/W-INV005", attr("cbc:InvoiceTypeCode", "listID", "urn:oioubl:codelist:invoicetypecode-9.9")),
    Case("F-INV337", text("cbc:InvoiceTypeCode", "381")),
    Case("W-LIB011/W-LIB012", copy("cbc:Note")),
    Case("F-INV007/F-CRN004", text("cbc:DocumentCurrencyCode", "kroner")),
    Case("F-INV012/F-CRN007", attr(f"{TOTALS}/cbc:PayableAmount", "currencyID", "EUR")),
    Case("F-LIB021", both(add(".", "cbc:AccountingCost", "x", index=10), add(".", "cbc:AccountingCostCode", "y", index=10))),
    Case("F-INV024", add(".", "cac:OrderReference", index=11)),
    Case("F-INV030/F-INV043", copy(CUSTOMER)),
    Case("F-INV031/F-INV044", text(f"{CUSTOMER}/cbc:EndpointID", "")),
    Case("F-LIB179", attr(f"{CUSTOMER}/cbc:EndpointID", "schemeID", "EAN")),
    Case("F-LIB181/F-LIB180", text(f"{SUPPLIER}/cbc:EndpointID", "579800000000")),
    Case("KF-GLN", text(f"{CUSTOMER}/cbc:EndpointID", "5798000000010")),
    Case("KF-GLN-CUSTOMER", both(attr(f"{CUSTOMER}/cbc:EndpointID", "schemeID", "DK:CVR"),
                                 text(f"{CUSTOMER}/cbc:EndpointID", "DK29189641"))),
    Case("F-LIB183/F-LIB184/F-LIB185", text(f"{CUSTOMER}/cac:PartyIdentification/cbc:ID", "DK2918964")),
    Case("F-LIB022", both(drop(f"{SUPPLIER}/cac:PartyName"), drop(f"{SUPPLIER}/cac:PartyIdentification"))),
    Case("F-LIB025/F-LIB026/F-LIB207/F-LIB027", attr(f"{SUPPLIER}/cac:PostalAddress/cbc:AddressFormatCode", "listID", "x")),
    Case("F-LIB032/F-LIB033/F-LIB034/F-LIB035/F-LIB036",
         both(add(f"{CUSTOMER}/cac:PostalAddress", "cac:AddressLine", index=5),
              add(f"{CUSTOMER}/cac:PostalAddress/cac:AddressLine", "cbc:Line", "Bygning B"))),
    Case("F-LIB213/F-LIB301", text(f"{CUSTOMER}/cac:PostalAddress/cac:Country/cbc:IdentificationCode", "Danmark")),
    Case("F-INV034/F-INV045", drop(f"{SUPPLIER}/cac:PartyLegalEntity")),
    Case("F-LIB187/F-LIB189/F-LIB190", attr(f"{CUSTOMER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "VAT")),
    Case("KF-CVR", text(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", "DK29189847")),
    Case("F-INV046/F-INV051/F-CRN042/F-CRN047", drop(f"{CUSTOMER}/cac:Contact")),
    Case("F-LIB235", add(SUPPLIER, "cac:Contact")),
    Case("KF-CRN-PAYMENT", add(".", "cac:PaymentMeans", index=14), "credit_note"),
    Case("W-LIB241", copy(MEANS)),
    Case("F-LIB100", text(f"{MEANS}/cbc:PaymentMeansCode", "30")),
    Case("KF-DUE", text(f"{MEANS}/cbc:PaymentDueDate", "2023-04-30")),
    Case("F-LIB123/F-LIB128", text(f"{MEANS}/cbc:PaymentChannelCode", "IBAN")),
    Case("F-LIB125/F-LIB126/F-LIB131", text(f"{ACCOUNT}/cbc:ID", "00012345678")),
    Case("F-LIB127/F-LIB132/F-LIB311", text(f"{ACCOUNT}/cac:FinancialInstitutionBranch/cbc:ID", "12345")),
    Case("F-LIB133/F-LIB129", text(f"{ACCOUNT}/cbc:PaymentNote", "Faktura ESB-2023-0004 fra Esbjerg")),
    Case("F-LIB106/F-LIB109", text(f"{MEANS}/cbc:PaymentChannelCode", "DK:BANK"), "iban"),
    Case("F-LIB107/F-LIB114/F-LIB115", text(f"{ACCOUNT}/cbc:ID", "DK50004004401162430000000000000000000"), "iban"),
    Case("F-LIB113", drop(f"{ACCOUNT}/cac:FinancialInstitutionBranch/cac:FinancialInstitution"), "iban"),
    Case("F-LIB108", add(f"{ACCOUNT}/cac:FinancialInstitutionBranch", "cbc:ID", "NDEADKKK", index=0), "iban"),
    Case("F-LIB111/F-LIB110", text(f"{ACCOUNT}/cbc:PaymentNote", "Faktura ESB-2023-0004 fra Esbjerg"), "iban"),
    Case("F-LIB119/F-LIB122/F-LIB103", add(MEANS, "cbc:InstructionNote", "Husk nummeret", index=3)),
    Case("F-LIB243/F-LIB244", both(add(ACCOUNT, "cac:Country"), add(f"{ACCOUNT}/cac:Country", "cbc:IdentificationCode", "DK"))),
    Case("F-INV004/F-CRN159", both(add(".", "cac:InvoicePeriod", index=12), add("cac:InvoicePeriod", "cbc:StartDate", "2023-01-01"),
                                   copy("cac:InvoicePeriod"))),
    Case("F-LIB314/F-LIB315/F-LIB316", copy(SUBTOTAL)),
    Case("F-INV008/F-CRN005/F-LIB306", drop("cac:TaxTotal")),
    Case("F-LIB385/F-LIB250", text("cac:TaxTotal/cbc:TaxAmount", "0.0")),
    Case("F-LIB259/F-LIB261/F-LIB263", text(f"{SUBTOTAL}/cbc:TaxAmount", "0")),
    Case("F-LIB254", add(SUBTOTAL, "cbc:Percent", "0", index=2)),
    Case("F-LIB074/F-LIB075/W-LIB229/F-LIB309", attr(f"{SUBTOTAL}/cac:TaxCategory/cbc:ID", "schemeID", "urn:oioubl:id:x")),
    Case("F-LIB400", text(f"{LINE}/{SUBTOTAL}/cac:TaxCategory/cbc:Percent", "25")),
    Case("F-LIB402/F-LIB404", text(f"{SUBTOTAL}/cbc:TaxableAmount", "1000.00")),
    Case("F-LIB065/F-LIB066/F-LIB070/F-LIB198/F-LIB199", text(f"{SUBTOTAL}/cac:TaxCategory/cac:TaxScheme/cbc:Name", "VAT")),
    Case("F-INV126/F-CRN072", text(f"{TOTALS}/cbc:LineExtensionAmount", "231632.55")),
    Case("F-INV127/F-CRN073", text(f"{TOTALS}/cbc:TaxExclusiveAmount", "231631.55")),
    Case("F-INV128/F-CRN074", text(f"{TOTALS}/cbc:TaxInclusiveAmount", "5.00")),
    Case("F-INV133/F-CRN079", text(f"{TOTALS}/cbc:PayableAmount", "231631.56")),
    Case("F-INV140/W-INV237/F-CRN084", text(f"{LINE}/cbc:ID", "")),
    Case("F-INV137/F-CRN196/W-LIB008", attr(f"{LINE}/cbc:InvoicedQuantity", "unitCode", "X")),
    Case("F-INV149/F-CRN207", text(f"{LINE}/cbc:LineExtensionAmount", "231631.5")),
    Case("F-INV139/F-INV340/F-CRN083", text(f"{LINE}/cac:Price/cbc:PriceAmount", "1.00")),
    Case("F-INV138/F-CRN081", drop(f"{LINE}/cac:TaxTotal")),
    Case("F-INV163/F-CRN110", text(f"{LINE}/cac:Item/cbc:Name", "")),
    Case("W-LIB222/W-LIB223", copy(f"{LINE}/cac:Item/cbc:Description")),
    Case("F-INV135/F-INV136", add(LINE, "cac:PaymentTerms", index=3)),
    Case("KF-CRN-REFERENCE", drop("cac:BillingReference"), "credit_note"),
    Case("F-LIB173", add("cac:BillingReference/cac:InvoiceDocumentReference", "cbc:UUID", "3f1c2a7e", index=1), "credit_note"),
]

P_CUSTOMER = CUSTOMER
P_MEANS = "cac:PaymentMeans"

PEPPOL_CASES = [
    Case("BR-01/PEPPOL-EN16931-R004", text("cbc:CustomizationID", "OIOUBL-2.1")),
    Case("PEPPOL-EN16931-R001/PEPPOL-EN16931-R007", text("cbc:ProfileID", "Procurement-BilSim-1.0")),
    Case("BR-02", text("cbc:ID", " ")),
    Case("BR-03/PEPPOL-EN16931-F001", text("cbc:IssueDate", "2023-13-01")),
    Case("BR-04/BR-CL-01/PEPPOL-EN16931-P0100/PEPPOL-EN16931-P0101", text("cbc:CreditNoteTypeCode", "380"), "credit_note"),
    Case("UBL-SR-45/KF-DUE", text("cbc:DueDate", "2023-04-30")),
    Case("BR-CO-25", drop("cbc:DueDate")),
    Case("PEPPOL-EN16931-R002", copy("cbc:Note")),
    Case("BR-05/BR-CL-04/PEPPOL-EN16931-R051", attr(f"{TOTALS}/cbc:PayableAmount", "currencyID", "EUR")),
    Case("PEPPOL-EN16931-R003", drop("cbc:BuyerReference")),
    Case("BR-62/BR-63/PEPPOL-EN16931-R020/PEPPOL-EN16931-R010", attr(f"{P_CUSTOMER}/cbc:EndpointID", "schemeID", None)),
    Case("BR-CL-25/PEPPOL-EN16931-CL008", attr(f"{P_CUSTOMER}/cbc:EndpointID", "schemeID", "0007")),
    Case("PEPPOL-COMMON-R040", text(f"{P_CUSTOMER}/cbc:EndpointID", "5798000000010")),
    Case("PEPPOL-COMMON-R042", both(attr(f"{P_CUSTOMER}/cbc:EndpointID", "schemeID", "0184"),
                                    text(f"{P_CUSTOMER}/cbc:EndpointID", "DK2918964"))),
    Case("DK-R-013/BR-CL-10/UBL-SR-16", attr(f"{P_CUSTOMER}/cac:PartyIdentification/cbc:ID", "schemeID", None)),
    Case("UBL-SR-09/UBL-SR-15", copy(f"{P_CUSTOMER}/cac:PartyName")),
    Case("BR-08/BR-09/BR-10/BR-11", drop(f"{P_CUSTOMER}/cac:PostalAddress/cac:Country")),
    Case("UBL-CR-149/UBL-CR-155/UBL-CR-212/UBL-CR-218", add(f"{SUPPLIER}/cac:PostalAddress", "cbc:BuildingNumber", "74", index=1)),
    Case("BR-06/BR-07", drop(f"{P_CUSTOMER}/cac:PartyLegalEntity/cbc:RegistrationName")),
    Case("DK-R-002/DK-R-014/BR-CO-26", attr(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "0088")),
    Case("DK-R-017", attr(f"{P_CUSTOMER}/cac:PartyLegalEntity/cbc:CompanyID", "schemeID", "0088")),
    Case("BR-O-02", add(SUPPLIER, "cac:PartyTaxScheme", index=5)),
    Case("UBL-CR-253/UBL-CR-189", both(add(P_CUSTOMER, "cac:Contact"), add(f"{P_CUSTOMER}/cac:Contact", "cbc:ID", "4410"))),
    Case("UBL-CR-002/UBL-CR-004/UBL-CR-005/UBL-CR-010/UBL-DT-08…28", attr("cbc:InvoiceTypeCode", "listAgencyID", "320")),
    Case("PEPPOL-EN16931-R008", add(".", "cbc:AccountingCost", "", index=7)),
    Case("KF-CRN-PAYMENT", add(".", "cac:PaymentMeans", index=12), "credit_note"),
    Case("BR-49/BR-CL-16/DK-R-005/UBL-SR-47", text(f"{P_MEANS}/cbc:PaymentMeansCode", "30")),
    Case("DK-R-006/BR-50", drop(f"{P_MEANS}/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch"), "iban"),
    Case("UBL-SR-44", copy(f"{P_MEANS}/cbc:PaymentID")),
    Case("DK-R-016", text(f"{TOTALS}/cbc:PayableAmount", "-50000.00"), "credit_note"),
    Case("BR-55/UBL-SR-06/UBL-SR-07/KF-CRN-REFERENCE", drop("cac:BillingReference"), "credit_note"),
    Case("UBL-SR-39/PEPPOL-EN16931-R080/UBL-SR-01/UBL-SR-05",
         both(add(".", "cac:PaymentTerms", index=14), add("cac:PaymentTerms", "cbc:Note", "30 dage"), copy("cac:PaymentTerms/cbc:Note"))),
    Case("UBL-CR-024", add("cac:BillingReference/cac:InvoiceDocumentReference", "cbc:UUID", "3f1c2a7e-5b0d-5c8e-9a41-6d2f0b7c9e10",
                           index=1), "credit_note"),
    Case("PEPPOL-EN16931-R130", add(f"{LINE}/cac:Price", "cbc:BaseQuantity", "1", unitCode="EA")),
    Case("BR-CO-11/BR-CO-12", add(TOTALS, "cbc:AllowanceTotalAmount", "10.00", index=3)),
    Case("BR-CO-18/PEPPOL-EN16931-R053", copy("cac:TaxTotal")),
    Case("BR-CO-14", text("cac:TaxTotal/cbc:TaxAmount", "1.00")),
    Case("BR-45/BR-46/BR-47/BR-CL-17/BR-O-01/BR-O-11/BR-O-12", text(f"{SUBTOTAL}/cac:TaxCategory/cbc:ID", "S")),
    Case("BR-O-08", text(f"{SUBTOTAL}/cbc:TaxableAmount", "1000.00")),
    Case("BR-O-09", text(f"{SUBTOTAL}/cbc:TaxAmount", "1.00")),
    Case("BR-O-10/BR-CL-22/PEPPOL-EN16931-P0105/UBL-SR-32",
         both(drop(f"{SUBTOTAL}/cac:TaxCategory/cbc:TaxExemptionReasonCode"), drop(f"{SUBTOTAL}/cac:TaxCategory/cbc:TaxExemptionReason"))),
    Case("BR-O-05/UBL-SR-48", add(f"{LINE}/cac:Item/cac:ClassifiedTaxCategory", "cbc:Percent", "0", index=1)),
    Case("BR-12/BR-13/BR-14/BR-15", drop(f"{TOTALS}/cbc:TaxInclusiveAmount")),
    Case("BR-CO-10", text(f"{TOTALS}/cbc:LineExtensionAmount", "231632.55")),
    Case("BR-CO-13", text(f"{TOTALS}/cbc:TaxExclusiveAmount", "0.00")),
    Case("BR-CO-15", text(f"{TOTALS}/cbc:TaxInclusiveAmount", "231632.55")),
    Case("BR-CO-16", text(f"{TOTALS}/cbc:PayableAmount", "231632.55")),
    Case("BR-DEC-09…BR-DEC-23/UBL-DT-01", text(f"{LINE}/cbc:LineExtensionAmount", "231631.550")),
    Case("BR-16/BR-21/BR-22/BR-23/BR-24/BR-CL-23", attr(f"{LINE}/cbc:InvoicedQuantity", "unitCode", None)),
    Case("BR-26/BR-27/PEPPOL-EN16931-R120/PEPPOL-EN16931-R121", text(f"{LINE}/cac:Price/cbc:PriceAmount", "-1.00")),
    Case("BR-25/UBL-SR-50", copy(f"{LINE}/cac:Item/cbc:Description")),
]


def base_xml(fmt: str, base: str) -> bytes:
    build = build_oioubl if fmt == "oioubl" else build_peppol
    if base == "credit_note":
        return build(make_doc("credit_note", einvoice_format=fmt))
    return build(make_doc(payment=IBAN_WITH_BIC if base == "iban" else DANISH_ACCOUNT, einvoice_format=fmt))


def mutated(fmt: str, case: Case) -> bytes:
    root = etree.fromstring(base_xml(fmt, case.base))
    case.mutation(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


CHECKS = {"oioubl": check_oioubl_rules, "peppol": check_peppol_rules}


@pytest.mark.parametrize("fmt", ["oioubl", "peppol"])
@pytest.mark.parametrize("base", ["invoice", "iban", "credit_note"])
def test_the_bases_pass(fmt: str, base: str) -> None:
    assert CHECKS[fmt](base_xml(fmt, base)) == []


@pytest.mark.parametrize("case", OIOUBL_CASES, ids=[c.rule for c in OIOUBL_CASES])
def test_oioubl_rule_refuses_what_breaks_it(case: Case) -> None:
    problems = check_oioubl_rules(mutated("oioubl", case))
    assert any(p.startswith(f"[{case.rule}] ") for p in problems), problems


@pytest.mark.parametrize("case", PEPPOL_CASES, ids=[c.rule for c in PEPPOL_CASES])
def test_peppol_rule_refuses_what_breaks_it(case: Case) -> None:
    problems = check_peppol_rules(mutated("peppol", case))
    assert any(p.startswith(f"[{case.rule}] ") for p in problems), problems


@pytest.mark.parametrize(("rules", "cases"), [(OIOUBL_RULES, OIOUBL_CASES), (PEPPOL_RULES, PEPPOL_CASES)], ids=["oioubl", "peppol"])
def test_every_rule_has_a_case_and_a_unique_id(rules, cases) -> None:  # type: ignore[no-untyped-def]
    ids = [rule.id for rule in rules]
    assert len(ids) == len(set(ids))
    assert set(ids) == {case.rule for case in cases}


def test_what_is_no_e_invoice_is_refused_under_the_root_rule() -> None:
    assert check_oioubl_rules(b"<Invoice")[0].startswith("[F-INV001/F-CRN001] not well-formed XML")
    assert "neither" in check_oioubl_rules(b"<Order/>")[0]
    assert check_peppol_rules(b"<Order/>")[0].startswith("[UBL-XSD] root element Order")


def test_a_rule_names_itself_and_says_what_is_wrong() -> None:
    """The message a person sees when a document would be rejected: the official id first, then the fault."""
    root = etree.fromstring(base_xml("oioubl", "iban"))
    drop(f"{ACCOUNT}/cac:FinancialInstitutionBranch/cac:FinancialInstitution")(root)
    assert check_oioubl_rules(etree.tostring(root)) == [
        "[F-LIB113] PaymentMeansCode 31 (IBAN) needs the bank's BIC in "
        "PayeeFinancialAccount/FinancialInstitutionBranch/FinancialInstitution/ID"]
