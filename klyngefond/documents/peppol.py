"""Peppol BIS Billing 3.0 invoices and credit notes (EN 16931), the other format Danish public
receivers accept.

:func:`build_peppol` turns an :class:`InvoiceDocument` into a UBL 2.1 ``Invoice`` or
``CreditNote`` that passes the CEN EN 16931 and Peppol BIS 3.0 rules (with their Danish
``DK-R`` rules) with no error and no warning; :func:`check_peppol_rules` checks a document
against the rules that apply to klyngefond's documents, each named by its official id
(``BR-O-10``, ``PEPPOL-EN16931-R003``, ``DK-R-006``, …). :data:`PEPPOL_RULES` lists them.

Where it differs from OIOUBL: a grant outside the scope of VAT is tax category ``O`` with
exemption reason code ``VATEX-EU-O`` and no percentage, ``TaxExclusiveAmount`` is the net
amount, the recipient's reference is ``BuyerReference`` (not a customer Contact), endpoints
are ``0088`` (EAN/GLN) or ``0184`` (CVR), the BIC of an IBAN goes in
``FinancialInstitutionBranch/ID``, the due date is ``cbc:DueDate``, and no OIOUBL-style
``schemeAgencyID``/``listID`` attributes, UUID or CopyIndicator are sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from lxml import etree

from klyngefond.core.identifiers import IdentifierError, normalize_ean
from klyngefond.core.money import ZERO, json_amount
from klyngefond.documents.model import InvoiceDocument, Party
from klyngefond.documents.ubl import (
    CREDIT_NOTE_ONLY,
    INVOICE_ONLY,
    KINDS,
    VAT_EXEMPTION_REASON,
    AmountProblem,
    Doc,
    Kind,
    Rule,
    amount,
    amount_elements,
    cac,
    cbc,
    check_rules,
    decimal_at,
    decimals,
    is_iso_date,
    local,
    new_root,
    serialise,
)
from klyngefond.documents.words import line_description

__all__ = ["PEPPOL_RULES", "build_peppol", "check_peppol_rules"]

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
GLN_SCHEME = "0088"
CVR_SCHEME = "0184"
ENDPOINT_SCHEMES = (GLN_SCHEME, CVR_SCHEME)
INVOICE_TYPE_CODES = ("71", "80", "82", "84", "102", "218", "219", "331", "380", "382", "383", "386", "388", "393", "395",
                      "553", "575", "623", "780", "817", "870", "875", "876", "877")
CREDIT_NOTE_TYPE_CODES = ("81", "83", "381", "396", "532")
DANISH_PAYMENT_MEANS = ("1", "10", "31", "42", "48", "49", "50", "58", "59", "93", "97")
NOT_SUBJECT_TO_VAT = "O"
EXEMPTION_CODE = "VATEX-EU-O"
UNIT_CODE = "C62"  # UN/ECE Recommendation 20: one (unit)
# Elements and attributes EN 16931 does not use in UBL: each draws a warning (UBL-CR-…, UBL-DT-…).
NOT_IN_EN16931 = {
    "UBLVersionID": "UBL-CR-002", "ProfileExecutionID": "UBL-CR-003", "CopyIndicator": "UBL-CR-004", "UUID": "UBL-CR-005",
    "IssueTime": "UBL-CR-006", "AccountingCostCode": "UBL-CR-010", "LineCountNumeric": "UBL-CR-011",
}
NOT_IN_EN16931_ATTRIBUTES = {
    "schemeName": "UBL-DT-08", "schemeAgencyName": "UBL-DT-09", "listAgencyName": "UBL-DT-16", "listName": "UBL-DT-17",
    "name": "UBL-DT-18", "languageID": "UBL-DT-19", "schemeAgencyID": "UBL-DT-27", "listAgencyID": "UBL-DT-28",
    "listID": "UBL-DT-28",
}


# --------------------------------------------------------------------------- building


def build_peppol(doc: InvoiceDocument) -> bytes:
    """Return ``doc`` as a Peppol BIS Billing 3.0 ``Invoice`` or ``CreditNote``, UTF-8 encoded.

    Raises :class:`~klyngefond.documents.model.DocumentError` if the issuer or the
    recipient lacks an EAN number, a CVR number or an address, or if the issuer's payment
    details cannot be sent (an IBAN that is not Danish and has no BIC).
    """
    doc.require_parties("ean", "cvr", "address")
    kind = KINDS[doc.kind]
    root = new_root(kind)
    cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    cbc(root, "ProfileID", PROFILE_ID)
    cbc(root, "ID", doc.number)
    cbc(root, "IssueDate", doc.issue_date.isoformat())
    if doc.is_credit_note:
        cbc(root, "CreditNoteTypeCode", "381")  # credit note; it has no due date (nothing is asked of the buyer)
    else:
        assert doc.due_date is not None
        cbc(root, "DueDate", doc.due_date.isoformat())
        cbc(root, "InvoiceTypeCode", "380")  # commercial invoice
    if doc.description:
        cbc(root, "Note", doc.description)
    cbc(root, "DocumentCurrencyCode", doc.currency)
    # The recipient's routing reference (BT-10); Danish receivers route on it.
    cbc(root, "BuyerReference", doc.buyer_reference)
    if doc.is_credit_note:
        reference = cac(cac(root, "BillingReference"), "InvoiceDocumentReference")
        cbc(reference, "ID", doc.credited_invoice or "")
        if doc.credited_invoice_date is not None:
            cbc(reference, "IssueDate", doc.credited_invoice_date.isoformat())
    _add_party(cac(root, "AccountingSupplierParty"), doc.issuer)
    _add_party(cac(root, "AccountingCustomerParty"), doc.recipient)
    if not doc.is_credit_note:
        _add_payment_means(root, doc)
    _add_tax_total(root, doc.amount)
    totals = cac(root, "LegalMonetaryTotal")
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        # EN 16931: TaxExclusiveAmount is the net total (BR-CO-13), not OIOUBL's tax total.
        amount(totals, name, doc.amount)
    _add_line(root, doc, kind)
    return serialise(root)


def endpoint(party: Party) -> tuple[str, str]:
    """``(schemeID, value)``: public bodies receive e-invoices at their EAN (GLN, scheme 0088);
    a party without one is addressed by its CVR number (scheme 0184)."""
    if party.ean:
        return GLN_SCHEME, party.ean
    assert party.cvr
    return CVR_SCHEME, party.cvr


def _add_party(holder: etree._Element, party: Party) -> None:
    assert party.cvr and party.address
    node = cac(holder, "Party")
    scheme, value = endpoint(party)
    cbc(node, "EndpointID", value, schemeID=scheme)
    cbc(cac(node, "PartyIdentification"), "ID", party.cvr, schemeID=CVR_SCHEME)
    cbc(cac(node, "PartyName"), "Name", party.name)
    address = cac(node, "PostalAddress")
    cbc(address, "StreetName", party.address.street)
    cbc(address, "CityName", party.address.city)
    cbc(address, "PostalZone", party.address.postal_code)
    cbc(cac(address, "Country"), "IdentificationCode", party.address.country)
    # No PartyTaxScheme: with tax category O no VAT identifier may be given (BR-O-02).
    legal = cac(node, "PartyLegalEntity")
    cbc(legal, "RegistrationName", party.name)
    cbc(legal, "CompanyID", party.cvr, schemeID=CVR_SCHEME)


def _add_payment_means(root: etree._Element, doc: InvoiceDocument) -> None:
    transfer = doc.transfer()
    if transfer is None:
        return  # PaymentMeans is optional in BIS 3.0; the due date is in cbc:DueDate
    means = cac(root, "PaymentMeans")
    cbc(means, "PaymentMeansCode", transfer.code)
    cbc(means, "PaymentID", doc.number)  # remittance information (BT-83)
    account = cac(means, "PayeeFinancialAccount")
    cbc(account, "ID", transfer.account)
    if transfer.code == "31":
        cbc(account, "Name", doc.issuer.name)
    # DK-R-006: the reg.nr. for code 42, the BIC for code 31, both in FinancialInstitutionBranch/ID.
    cbc(cac(account, "FinancialInstitutionBranch"), "ID", (transfer.branch if transfer.code == "42" else transfer.bic) or "")


def _add_tax_total(root: etree._Element, taxable: Decimal) -> None:
    total = cac(root, "TaxTotal")
    amount(total, "TaxAmount", ZERO)
    subtotal = cac(total, "TaxSubtotal")
    amount(subtotal, "TaxableAmount", taxable)
    amount(subtotal, "TaxAmount", ZERO)
    category = cac(subtotal, "TaxCategory")
    cbc(category, "ID", NOT_SUBJECT_TO_VAT)  # no Percent with category O (BR-O-05 on lines)
    cbc(category, "TaxExemptionReasonCode", EXEMPTION_CODE)
    cbc(category, "TaxExemptionReason", VAT_EXEMPTION_REASON)
    cbc(cac(category, "TaxScheme"), "ID", "VAT")


def _add_line(root: etree._Element, doc: InvoiceDocument, kind: Kind) -> None:
    line = cac(root, kind.line)
    cbc(line, "ID", "1")
    cbc(line, kind.quantity, "1", unitCode=UNIT_CODE)
    amount(line, "LineExtensionAmount", doc.amount)
    item = cac(line, "Item")
    cbc(item, "Description", line_description(doc, "da"))
    cbc(item, "Name", doc.grant_name)
    cbc(cac(item, "SellersItemIdentification"), "ID", doc.grant_id)
    category = cac(item, "ClassifiedTaxCategory")
    cbc(category, "ID", NOT_SUBJECT_TO_VAT)
    cbc(cac(category, "TaxScheme"), "ID", "VAT")
    amount(cac(line, "Price"), "PriceAmount", doc.amount)


# --------------------------------------------------------------------------- rules


def check_peppol_rules(xml: bytes) -> list[str]:
    """Check ``xml`` against :data:`PEPPOL_RULES`; return the violations as ``"[id] message"`` (empty if none)."""
    return check_rules(xml, PEPPOL_RULES, "Peppol", root_rule="UBL-XSD")


def _customization(doc: Doc) -> Iterator[str]:
    value = doc.text("cbc:CustomizationID")
    if value != CUSTOMIZATION_ID:
        yield f"CustomizationID is {value!r}; Peppol BIS Billing 3.0 is {CUSTOMIZATION_ID!r}"


def _profile(doc: Doc) -> Iterator[str]:
    value = doc.text("cbc:ProfileID")
    if value != PROFILE_ID:
        yield f"ProfileID is {value!r}; the billing process is {PROFILE_ID!r}"


def _document_id(doc: Doc) -> Iterator[str]:
    if doc.text("cbc:ID") is None:
        yield "ID (the document number) is missing"


def _issue_date(doc: Doc) -> Iterator[str]:
    issued = doc.text("cbc:IssueDate")
    if issued is None:
        yield "IssueDate is missing"
    elif not is_iso_date(issued):
        yield f"IssueDate {issued!r} is not a valid date (YYYY-MM-DD)"


def _type_code(doc: Doc) -> Iterator[str]:
    name, allowed = ("InvoiceTypeCode", INVOICE_TYPE_CODES) if doc.is_invoice else ("CreditNoteTypeCode", CREDIT_NOTE_TYPE_CODES)
    code = doc.text(f"cbc:{name}")
    if code is None:
        yield f"{name} is missing"
    elif code not in allowed:
        yield f"{name} {code!r} is not one the profile allows ({', '.join(allowed)})"


def _due_date(doc: Doc) -> Iterator[str]:
    dates = doc.findall("cbc:DueDate")
    if len(dates) > 1:
        yield f"{len(dates)} DueDate elements; at most one is allowed"
    issued, due = doc.text("cbc:IssueDate"), doc.text("cbc:DueDate")
    if due is not None and (not is_iso_date(due) or (issued is not None and is_iso_date(issued) and due < issued)):
        yield f"DueDate {due!r} is not a date on or after IssueDate {issued}"


def _payment_terms(doc: Doc) -> Iterator[str]:
    try:
        payable = decimal_at(doc, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    except AmountProblem:
        return
    if payable > 0 and doc.find("cbc:DueDate") is None and doc.text("cac:PaymentTerms/cbc:Note") is None:
        yield "an Invoice with an amount due needs DueDate or PaymentTerms/Note"


def _one_note(doc: Doc) -> Iterator[str]:
    notes = doc.findall("cbc:Note")
    if len(notes) > 1:
        yield f"{len(notes)} Note elements; at most one is allowed"


def _currency(doc: Doc) -> Iterator[str]:
    currency = doc.text("cbc:DocumentCurrencyCode")
    if currency is None:
        yield "DocumentCurrencyCode is missing"
        return
    for element in amount_elements(doc):
        if element.get("currencyID") != currency:
            yield f"{local(element)} has currencyID {element.get('currencyID')!r} but DocumentCurrencyCode is {currency!r}"


def _buyer_reference(doc: Doc) -> Iterator[str]:
    if doc.text("cbc:BuyerReference") is None and doc.text("cac:OrderReference/cbc:ID") is None:
        yield "BuyerReference (the recipient's reference) or OrderReference/ID is required"


def _endpoints(doc: Doc) -> Iterator[str]:
    for role in ("AccountingSupplierParty", "AccountingCustomerParty"):
        endpoint_id = doc.find(f"cac:{role}/cac:Party/cbc:EndpointID")
        if endpoint_id is None or not (endpoint_id.text or "").strip():
            yield f"{role} has no EndpointID"
        elif endpoint_id.get("schemeID") is None:
            yield f"{role} EndpointID has no schemeID"


def _endpoint_scheme(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        endpoint_id = doc.find("cbc:EndpointID", party)
        if endpoint_id is not None and endpoint_id.get("schemeID") is not None and endpoint_id.get("schemeID") not in ENDPOINT_SCHEMES:
            yield f"{role} EndpointID schemeID {endpoint_id.get('schemeID')!r}: klyngefond addresses Danish bodies by 0088 (EAN) or 0184 (CVR)"


def _gln(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        endpoint_id = doc.find("cbc:EndpointID", party)
        if endpoint_id is not None and endpoint_id.get("schemeID") == GLN_SCHEME:
            value = (endpoint_id.text or "").strip()
            try:
                valid = value.isdigit() and normalize_ean(value) == value
            except IdentifierError:
                valid = False
            if not valid:
                yield f"{role} EndpointID {value!r} is not a GLN with a valid GS1 check digit"


def _cvr_endpoint(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        endpoint_id = doc.find("cbc:EndpointID", party)
        if endpoint_id is not None and endpoint_id.get("schemeID") == CVR_SCHEME:
            value = (endpoint_id.text or "").strip()
            digits = value[2:] if value.startswith("DK") else value
            if not (len(digits) == 8 and digits.isdigit()):
                yield f"{role} EndpointID {value!r} (0184) is not 8 digits (optionally after DK)"


def _party_identification(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        for identification in doc.findall("cac:PartyIdentification/cbc:ID", party):
            if identification.get("schemeID") is None:
                yield f"{role} PartyIdentification/ID has no schemeID"
    if len(doc.findall("cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification")) > 1:
        yield "AccountingCustomerParty has more than one PartyIdentification"


def _party_name(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        if len(doc.findall("cac:PartyName", party)) > 1:
            yield f"{role} has more than one PartyName"


def _address(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        address = doc.find("cac:PostalAddress", party)
        if address is None:
            yield f"{role} has no PostalAddress"
        elif doc.text("cac:Country/cbc:IdentificationCode", address) is None:
            yield f"{role} PostalAddress has no Country/IdentificationCode"


def _address_elements(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        address = doc.find("cac:PostalAddress", party)
        if address is None:
            continue
        for name in ("AddressFormatCode", "BuildingNumber"):
            if doc.find(f"cbc:{name}", address) is not None:
                yield f"{role} PostalAddress has {name}, which EN 16931 does not use (street and number go in StreetName)"


def _registration_name(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        if doc.text("cac:PartyLegalEntity/cbc:RegistrationName", party) is None:
            yield f"{role} has no PartyLegalEntity/RegistrationName"


def _supplier_company(doc: Doc) -> Iterator[str]:
    company = doc.find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
    if company is None or not (company.text or "").strip():
        yield "a Danish supplier needs PartyLegalEntity/CompanyID (CVR)"
    elif company.get("schemeID") != CVR_SCHEME:
        yield f"the supplier's CompanyID schemeID is {company.get('schemeID')!r}; a Danish CVR is {CVR_SCHEME!r}"


def _customer_company(doc: Doc) -> Iterator[str]:
    company = doc.find("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
    if company is not None and company.get("schemeID") != CVR_SCHEME:
        yield f"the customer's CompanyID schemeID is {company.get('schemeID')!r}; a Danish CVR is {CVR_SCHEME!r}"


def _no_vat_identifier(doc: Doc) -> Iterator[str]:
    if doc.find(".//cac:PartyTaxScheme") is not None:
        yield "with tax category O no party may carry a VAT identifier (PartyTaxScheme)"


def _no_customer_contact_id(doc: Doc) -> Iterator[str]:
    if doc.find("cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID") is not None:
        yield "the customer's Contact/ID is not used in EN 16931: the reference goes in BuyerReference"
    if doc.find("cac:AccountingSupplierParty/cac:Party/cac:Contact/cbc:ID") is not None:
        yield "the supplier's Contact/ID is not used in EN 16931"


def _no_oioubl_elements(doc: Doc) -> Iterator[str]:
    for child in doc.root:
        if isinstance(child.tag, str) and local(child) in NOT_IN_EN16931:
            yield f"{NOT_IN_EN16931[local(child)]}: {local(child)} is not used in EN 16931"
    for element in doc.root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in element.attrib:
            if attribute in NOT_IN_EN16931_ATTRIBUTES:
                yield f"{NOT_IN_EN16931_ATTRIBUTES[attribute]}: {local(element)} has attribute {attribute}, which EN 16931 does not use"


def _no_empty_elements(doc: Doc) -> Iterator[str]:
    for element in doc.root.iter():
        if isinstance(element.tag, str) and len(element) == 0 and not (element.text or "").strip():
            yield f"{local(element)} is empty"


def _no_payment_on_credit_note(doc: Doc) -> Iterator[str]:
    if doc.find("cac:PaymentMeans") is not None or doc.find("cac:PaymentTerms") is not None:
        yield "a CreditNote asks for no payment: it carries no PaymentMeans or PaymentTerms"


def _payment_means_code(doc: Doc) -> Iterator[str]:
    codes = [doc.text("cbc:PaymentMeansCode", means) for means in doc.findall("cac:PaymentMeans")]
    for code in codes:
        if code not in DANISH_PAYMENT_MEANS:
            yield f"PaymentMeansCode {code!r}: a Danish supplier uses {', '.join(DANISH_PAYMENT_MEANS)}"
    if len(set(codes)) > 1:
        yield "several PaymentMeans with different codes"


def _bank_details(doc: Doc) -> Iterator[str]:
    for means in doc.findall("cac:PaymentMeans"):
        code = doc.text("cbc:PaymentMeansCode", means)
        if code not in ("31", "42"):
            continue
        if doc.text("cac:PayeeFinancialAccount/cbc:ID", means) is None:
            yield f"PaymentMeansCode {code} needs PayeeFinancialAccount/ID (the account)"
        if doc.text("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", means) is None:
            what = "the reg.nr." if code == "42" else "the bank's BIC"
            yield f"PaymentMeansCode {code} needs FinancialInstitutionBranch/ID ({what})"


def _payment_id(doc: Doc) -> Iterator[str]:
    for means in doc.findall("cac:PaymentMeans"):
        if len(doc.findall("cbc:PaymentID", means)) > 1:
            yield "PaymentMeans has more than one PaymentID"


def _credit_note_positive(doc: Doc) -> Iterator[str]:
    try:
        payable = decimal_at(doc, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    except AmountProblem:
        return
    if payable < 0:
        yield f"a Danish supplier's CreditNote cannot have a negative PayableAmount ({json_amount(payable)})"


def _billing_reference(doc: Doc) -> Iterator[str]:
    references = doc.findall("cac:BillingReference")
    if len(references) != 1 or doc.text("cac:InvoiceDocumentReference/cbc:ID", references[0]) is None:
        yield "a CreditNote names the invoice it credits in one BillingReference/InvoiceDocumentReference/ID"


def _at_most_once(doc: Doc) -> Iterator[str]:
    for path, what in (("cac:ProjectReference/cbc:ID", "ProjectReference"), ("cac:ContractDocumentReference/cbc:ID",
                       "ContractDocumentReference"), ("cac:PaymentTerms/cbc:Note", "PaymentTerms/Note")):
        count = len(doc.findall(path))
        if count > 1:
            yield f"{count} {what} elements; at most one is allowed"


def _no_billing_uuid(doc: Doc) -> Iterator[str]:
    if doc.find("cac:BillingReference/cac:InvoiceDocumentReference/cbc:UUID") is not None:
        yield "BillingReference/InvoiceDocumentReference/UUID is not used in EN 16931"


def _base_quantity_unit(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        base = doc.find("cac:Price/cbc:BaseQuantity", line)
        quantity = doc.find(f"cbc:{doc.k.quantity}", line)
        if base is not None and base.get("unitCode") is not None and quantity is not None and \
                base.get("unitCode") != quantity.get("unitCode"):
            yield f"BaseQuantity unitCode {base.get('unitCode')!r} differs from the {doc.k.quantity}'s {quantity.get('unitCode')!r}"


def _allowance_totals(doc: Doc) -> Iterator[str]:
    for name, indicator in (("AllowanceTotalAmount", "false"), ("ChargeTotalAmount", "true")):
        stated = doc.text(f"cac:LegalMonetaryTotal/cbc:{name}")
        charges = [c for c in doc.findall("cac:AllowanceCharge") if doc.text("cbc:ChargeIndicator", c) == indicator]
        try:
            total = sum((decimal_at(doc, "cbc:Amount", c) for c in charges), ZERO)
            if (stated is None and charges) or (stated is not None and Decimal(stated) != total):
                yield f"{name} {stated!r} does not match the document's allowances/charges ({json_amount(total)})"
        except (AmountProblem, ArithmeticError):
            yield f"{name} {stated!r} is not an amount"


def _tax_total(doc: Doc) -> Iterator[str]:
    totals = doc.findall("cac:TaxTotal")
    with_subtotals = [total for total in totals if doc.find("cac:TaxSubtotal", total) is not None]
    if len(with_subtotals) != 1:
        yield f"{len(with_subtotals)} TaxTotal elements with TaxSubtotal; exactly one is required"
    for line in doc.lines():
        if doc.find("cac:TaxTotal", line) is not None:
            yield f"{doc.k.line} has a TaxTotal, which EN 16931 does not use"


def _tax_sum(doc: Doc) -> Iterator[str]:
    for total in doc.findall("cac:TaxTotal"):
        try:
            stated = decimal_at(doc, "cbc:TaxAmount", total)
            parts = sum((decimal_at(doc, "cbc:TaxAmount", s) for s in doc.findall("cac:TaxSubtotal", total)), ZERO)
        except AmountProblem as exc:
            yield f"TaxTotal: {exc}"
            continue
        if stated != parts:
            yield f"TaxTotal/TaxAmount {json_amount(stated)} differs from its subtotals {json_amount(parts)}"


def _categories(doc: Doc) -> Iterator[str]:
    subtotals = doc.findall("cac:TaxTotal/cac:TaxSubtotal")
    for subtotal in subtotals:
        for name in ("TaxableAmount", "TaxAmount"):
            if doc.text(f"cbc:{name}", subtotal) is None:
                yield f"TaxSubtotal has no {name}"
        if doc.text("cac:TaxCategory/cac:TaxScheme/cbc:ID", subtotal) != "VAT":
            yield "TaxCategory needs TaxScheme/ID VAT"
    categories = [doc.text("cac:TaxCategory/cbc:ID", s) for s in subtotals]
    categories += [doc.text("cac:Item/cac:ClassifiedTaxCategory/cbc:ID", line) for line in doc.lines()]
    if any(category != NOT_SUBJECT_TO_VAT for category in categories):
        yield f"a grant outside the scope of VAT uses category O only, found {categories}"
    if [doc.text("cac:TaxCategory/cbc:ID", s) for s in subtotals].count(NOT_SUBJECT_TO_VAT) != 1:
        yield "exactly one VAT breakdown of category O is required"


def _o_amounts(doc: Doc) -> Iterator[str]:
    try:
        lines = sum((decimal_at(doc, "cbc:LineExtensionAmount", line) for line in doc.lines()), ZERO)
        for subtotal in doc.findall("cac:TaxTotal/cac:TaxSubtotal"):
            if doc.text("cac:TaxCategory/cbc:ID", subtotal) != NOT_SUBJECT_TO_VAT:
                continue
            taxable = decimal_at(doc, "cbc:TaxableAmount", subtotal)
            if taxable != lines:
                yield f"category O TaxableAmount {json_amount(taxable)} differs from the sum of the lines {json_amount(lines)}"
    except AmountProblem as exc:
        yield str(exc)


def _o_tax_zero(doc: Doc) -> Iterator[str]:
    for subtotal in doc.findall("cac:TaxTotal/cac:TaxSubtotal"):
        if doc.text("cac:TaxCategory/cbc:ID", subtotal) == NOT_SUBJECT_TO_VAT:
            try:
                tax = decimal_at(doc, "cbc:TaxAmount", subtotal)
            except AmountProblem:
                continue
            if tax != 0:
                yield f"category O TaxAmount is {json_amount(tax)}, not 0.00"


def _exemption(doc: Doc) -> Iterator[str]:
    for category in doc.findall("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory"):
        if doc.text("cbc:ID", category) != NOT_SUBJECT_TO_VAT:
            continue
        code = doc.text("cbc:TaxExemptionReasonCode", category)
        if code is None and doc.text("cbc:TaxExemptionReason", category) is None:
            yield "category O needs an exemption reason code (VATEX-EU-O) or text"
        elif code is not None and code != EXEMPTION_CODE:
            yield f"exemption reason code {code!r} does not go with category O; use {EXEMPTION_CODE}"
        if len(doc.findall("cbc:TaxExemptionReason", category)) > 1:
            yield "more than one TaxExemptionReason"


def _o_no_percent(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        categories = doc.findall("cac:Item/cac:ClassifiedTaxCategory", line)
        if len(categories) != 1:
            yield f"{doc.k.line} needs exactly one Item/ClassifiedTaxCategory"
        for category in categories:
            if doc.text("cbc:ID", category) == NOT_SUBJECT_TO_VAT and doc.find("cbc:Percent", category) is not None:
                yield f"{doc.k.line} category O must not have a Percent"


def _totals_present(doc: Doc) -> Iterator[str]:
    for name in ("LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount"):
        if doc.text(f"cac:LegalMonetaryTotal/cbc:{name}") is None:
            yield f"LegalMonetaryTotal/{name} is missing"


def _totals(doc: Doc) -> dict[str, Decimal] | None:
    totals = doc.find("cac:LegalMonetaryTotal")
    if totals is None:
        return None
    try:
        found = {name: decimal_at(doc, f"cbc:{name}", totals, ZERO) for name in (
            "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "PayableAmount", "AllowanceTotalAmount",
            "ChargeTotalAmount", "PrepaidAmount", "PayableRoundingAmount")}
        found["lines"] = sum((decimal_at(doc, "cbc:LineExtensionAmount", line) for line in doc.lines()), ZERO)
        found["tax"] = sum((decimal_at(doc, "cbc:TaxAmount", total) for total in doc.findall("cac:TaxTotal")), ZERO)
    except AmountProblem:
        return None
    return found


def _line_sum(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if found is not None and found["LineExtensionAmount"] != found["lines"]:
        yield f"LineExtensionAmount {json_amount(found['LineExtensionAmount'])} differs from the sum of the lines {json_amount(found['lines'])}"


def _net_total(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if found is None:
        return
    net = found["LineExtensionAmount"] - found["AllowanceTotalAmount"] + found["ChargeTotalAmount"]
    if found["TaxExclusiveAmount"] != net:
        yield f"TaxExclusiveAmount {json_amount(found['TaxExclusiveAmount'])} must be the net total {json_amount(net)}"


def _gross_total(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if found is not None and found["TaxInclusiveAmount"] != found["TaxExclusiveAmount"] + found["tax"]:
        yield f"TaxInclusiveAmount {json_amount(found['TaxInclusiveAmount'])} differs from net total plus tax"


def _payable(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if found is None:
        return
    expected = found["TaxInclusiveAmount"] - found["PrepaidAmount"] + found["PayableRoundingAmount"]
    if found["PayableAmount"] != expected:
        yield f"PayableAmount {json_amount(found['PayableAmount'])} differs from {json_amount(expected)}"


def _two_decimals(doc: Doc) -> Iterator[str]:
    for element in amount_elements(doc):
        if local(element) in ("PriceAmount", "BaseAmount"):
            continue  # a price may have more decimals
        if decimals((element.text or "").strip()) > 2:
            yield f"{local(element)} {element.text!r} has more than 2 decimals"


def _lines(doc: Doc) -> Iterator[str]:
    lines = doc.lines()
    if not lines:
        yield f"the document has no {doc.k.line}"
    for line in lines:
        if doc.text("cbc:ID", line) is None:
            yield f"a {doc.k.line} has no ID"
        quantity = doc.find(f"cbc:{doc.k.quantity}", line)
        if quantity is None or not (quantity.text or "").strip() or quantity.get("unitCode") is None:
            yield f"{doc.k.line} needs {doc.k.quantity} with a unitCode"
        elif quantity.get("unitCode") not in (UNIT_CODE, "EA"):
            yield f"{doc.k.quantity} unitCode {quantity.get('unitCode')!r}: klyngefond uses {UNIT_CODE}"
        if doc.text("cbc:LineExtensionAmount", line) is None:
            yield f"{doc.k.line} has no LineExtensionAmount"


def _line_price(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        try:
            price = decimal_at(doc, "cac:Price/cbc:PriceAmount", line)
            base = decimal_at(doc, "cac:Price/cbc:BaseQuantity", line, Decimal(1))
            quantity = decimal_at(doc, f"cbc:{doc.k.quantity}", line)
            value = decimal_at(doc, "cbc:LineExtensionAmount", line)
        except AmountProblem as exc:
            yield f"{doc.k.line}: {exc}"
            continue
        if price < 0:
            yield f"{doc.k.line} PriceAmount {json_amount(price)} is negative"
        if base <= 0 or abs(value - quantity * price / base) > Decimal("0.02"):
            yield f"{doc.k.line} LineExtensionAmount {json_amount(value)} is not quantity × PriceAmount / BaseQuantity"


def _item(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        if doc.text("cac:Item/cbc:Name", line) is None:
            yield f"{doc.k.line} has no Item/Name"
        if len(doc.findall("cac:Item/cbc:Description", line)) > 1:
            yield f"{doc.k.line} has more than one Item/Description"


PEPPOL_RULES: tuple[Rule, ...] = (
    Rule("BR-01/PEPPOL-EN16931-R004", "CustomizationID of Peppol BIS Billing 3.0", _customization),
    Rule("PEPPOL-EN16931-R001/PEPPOL-EN16931-R007", "ProfileID urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", _profile),
    Rule("BR-02", "a document ID", _document_id),
    Rule("BR-03/PEPPOL-EN16931-F001", "IssueDate as YYYY-MM-DD", _issue_date),
    Rule("BR-04/BR-CL-01/PEPPOL-EN16931-P0100/PEPPOL-EN16931-P0101", "type code 380 (invoice) or 381 (credit note)", _type_code),
    Rule("UBL-SR-45/KF-DUE", "at most one DueDate, not before IssueDate", _due_date, INVOICE_ONLY),
    Rule("BR-CO-25", "an invoice with an amount due has DueDate or PaymentTerms/Note", _payment_terms, INVOICE_ONLY),
    Rule("PEPPOL-EN16931-R002", "at most one Note", _one_note),
    Rule("BR-05/BR-CL-04/PEPPOL-EN16931-R051", "DocumentCurrencyCode; every currencyID equals it", _currency),
    Rule("PEPPOL-EN16931-R003", "BuyerReference (the recipient's reference) or OrderReference", _buyer_reference),
    Rule("BR-62/BR-63/PEPPOL-EN16931-R020/PEPPOL-EN16931-R010", "seller and buyer EndpointID with a schemeID", _endpoints),
    Rule("BR-CL-25/PEPPOL-EN16931-CL008", "EndpointID scheme 0088 (EAN/GLN) or 0184 (CVR)", _endpoint_scheme),
    Rule("PEPPOL-COMMON-R040", "0088: a GLN with a valid GS1 check digit", _gln),
    Rule("PEPPOL-COMMON-R042", "0184: 8 digits (optionally after DK)", _cvr_endpoint),
    Rule("DK-R-013/BR-CL-10/UBL-SR-16", "PartyIdentification/ID with a schemeID; at most one for the buyer", _party_identification),
    Rule("UBL-SR-09/UBL-SR-15", "at most one PartyName", _party_name),
    Rule("BR-08/BR-09/BR-10/BR-11", "seller and buyer PostalAddress with a country code", _address),
    Rule("UBL-CR-149/UBL-CR-155/UBL-CR-212/UBL-CR-218", "no AddressFormatCode or BuildingNumber", _address_elements),
    Rule("BR-06/BR-07", "seller and buyer RegistrationName", _registration_name),
    Rule("DK-R-002/DK-R-014/BR-CO-26", "the Danish supplier's CompanyID with schemeID 0184", _supplier_company),
    Rule("DK-R-017", "the Danish customer's CompanyID, if given, with schemeID 0184", _customer_company),
    Rule("BR-O-02", "no VAT identifier (PartyTaxScheme) with category O", _no_vat_identifier),
    Rule("UBL-CR-253/UBL-CR-189", "no Contact/ID: the reference is BuyerReference", _no_customer_contact_id),
    Rule("UBL-CR-002/UBL-CR-004/UBL-CR-005/UBL-CR-010/UBL-DT-08…28",
         "no UBLVersionID, CopyIndicator, UUID, AccountingCostCode; no schemeAgencyID, listID, listAgencyID attributes",
         _no_oioubl_elements),
    Rule("PEPPOL-EN16931-R008", "no empty elements", _no_empty_elements),
    Rule("KF-CRN-PAYMENT", "a credit note asks for no payment: no PaymentMeans or PaymentTerms", _no_payment_on_credit_note,
         CREDIT_NOTE_ONLY),
    Rule("BR-49/BR-CL-16/DK-R-005/UBL-SR-47", "PaymentMeansCode 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 or 97; one code",
         _payment_means_code, INVOICE_ONLY),
    Rule("DK-R-006/BR-50", "codes 31 and 42: PayeeFinancialAccount/ID and FinancialInstitutionBranch/ID (reg.nr. or BIC)",
         _bank_details, INVOICE_ONLY),
    Rule("UBL-SR-44", "one PaymentID per PaymentMeans", _payment_id, INVOICE_ONLY),
    Rule("DK-R-016", "a credit note's PayableAmount not negative", _credit_note_positive, CREDIT_NOTE_ONLY),
    Rule("BR-55/UBL-SR-06/UBL-SR-07/KF-CRN-REFERENCE", "a credit note names the invoice it credits (BillingReference)",
         _billing_reference, CREDIT_NOTE_ONLY),
    Rule("UBL-SR-39/PEPPOL-EN16931-R080/UBL-SR-01/UBL-SR-05", "at most one ProjectReference, ContractDocumentReference, PaymentTerms",
         _at_most_once),
    Rule("UBL-CR-024", "no UUID in the credited invoice's reference", _no_billing_uuid, CREDIT_NOTE_ONLY),
    Rule("PEPPOL-EN16931-R130", "a price's BaseQuantity in the unit of the quantity", _base_quantity_unit),
    Rule("BR-CO-11/BR-CO-12", "allowance and charge totals only as the sums of the document's allowances and charges",
         _allowance_totals),
    Rule("BR-CO-18/PEPPOL-EN16931-R053", "exactly one TaxTotal with TaxSubtotal; none on lines", _tax_total),
    Rule("BR-CO-14", "TaxTotal/TaxAmount the sum of its subtotals", _tax_sum),
    Rule("BR-45/BR-46/BR-47/BR-CL-17/BR-O-01/BR-O-11/BR-O-12", "one VAT breakdown of category O (scheme VAT), no other category",
         _categories),
    Rule("BR-O-08", "category O TaxableAmount the sum of the lines", _o_amounts),
    Rule("BR-O-09", "category O TaxAmount 0", _o_tax_zero),
    Rule("BR-O-10/BR-CL-22/PEPPOL-EN16931-P0105/UBL-SR-32", "category O with exemption reason code VATEX-EU-O or text; one text",
         _exemption),
    Rule("BR-O-05/UBL-SR-48", "each line one ClassifiedTaxCategory; O without Percent", _o_no_percent),
    Rule("BR-12/BR-13/BR-14/BR-15", "the four totals present", _totals_present),
    Rule("BR-CO-10", "LineExtensionAmount the sum of the lines", _line_sum),
    Rule("BR-CO-13", "TaxExclusiveAmount the net total (lines - allowances + charges)", _net_total),
    Rule("BR-CO-15", "TaxInclusiveAmount = TaxExclusiveAmount + tax", _gross_total),
    Rule("BR-CO-16", "PayableAmount = TaxInclusiveAmount - prepaid + rounding", _payable),
    Rule("BR-DEC-09…BR-DEC-23/UBL-DT-01", "amounts with at most 2 decimals", _two_decimals),
    Rule("BR-16/BR-21/BR-22/BR-23/BR-24/BR-CL-23", "at least one line, each with ID, quantity with unit code and net amount", _lines),
    Rule("BR-26/BR-27/PEPPOL-EN16931-R120/PEPPOL-EN16931-R121", "a price not below 0; line amount = quantity × price / base",
         _line_price),
    Rule("BR-25/UBL-SR-50", "each line's Item/Name; at most one Item/Description", _item),
)
"""The EN 16931 (CEN 1.3.x) and Peppol BIS Billing 3.0 rules (with the Danish DK-R rules) that
apply to klyngefond's documents, by official id; ``KF-…`` are klyngefond's own checks."""
