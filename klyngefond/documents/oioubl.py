"""OIOUBL 2.1 e-invoices and credit notes, the form Danish public bodies receive through NemHandel.

:func:`build_oioubl` turns an :class:`InvoiceDocument` into an ``Invoice`` or ``CreditNote``
that passes the official OIOUBL schematron (1.17.x) with no error and no warning, and
:func:`check_oioubl_rules` checks a document against the OIOUBL rules that apply to the
documents klyngefond issues, each named by its official id (``F-LIB113``, ``F-INV046``, …),
so that a document a receiver would reject is never written. :data:`OIOUBL_RULES` lists them.

What the format needs from a grant share between two public bodies: the grant is outside the
scope of VAT, declared as tax category ``ZeroRated`` with 0.00 tax (OIOUBL reads
``TaxExclusiveAmount`` as the tax total, so it is 0.00 too); the recipient's routing reference
is ``AccountingCustomerParty/Party/Contact/ID``; payment to a reg.nr./kontonr. is code 42 on
channel ``DK:BANK``, to an IBAN code 31 on channel ``IBAN`` with the bank's BIC under
``FinancialInstitution``; a credit note asks for no payment and carries no ``PaymentMeans``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal

from lxml import etree

from klyngefond.core.identifiers import IdentifierError, normalize_cvr, normalize_ean
from klyngefond.core.money import ZERO, json_amount
from klyngefond.documents.model import InvoiceDocument, Party
from klyngefond.documents.ubl import (
    CAC,
    CBC,
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
    default_xsd_dir,
    is_iso_date,
    local,
    new_root,
    serialise,
    validate_ubl,
)
from klyngefond.documents.words import line_description

__all__ = ["CAC", "CBC", "OIOUBL_RULES", "build_oioubl", "check_oioubl_rules", "default_xsd_dir", "validate_ubl"]

UBL_VERSION = "2.1"
CUSTOMIZATION_ID = "OIOUBL-2.1"
PROFILE_ID = "Procurement-BilSim-1.0"  # simple billing: invoice and credit note without an order
PROFILE_SCHEME = "urn:oioubl:id:profileid-1.6"
OIOUBL_AGENCY = "320"  # the Danish Agency for Digitisation's code-list agency id
GS1_AGENCY = "9"
ACCEPTED_UBL_VERSIONS = ("2.0", "2.1")
ACCEPTED_CUSTOMIZATIONS = ("OIOUBL-2.0", "OIOUBL-2.01", "OIOUBL-2.02", "OIOUBL-2.1")
PROFILE_SCHEMES = tuple(f"urn:oioubl:id:profileid-1.{n}" for n in range(1, 7))
# Profiles that mean "invoice and credit note, no order" (OIOUBL profile code list).
BILLING_PROFILES = ("Procurement-BilSim-1.0", "Procurement-BilAdv-1.0", "Procurement-BilAdvR-1.0")
INVOICE_TYPE_LISTS = ("urn:oioubl:codelist:invoicetypecode-1.1", "urn:oioubl:codelist:invoicetypecode-1.2")
INVOICE_TYPE_CODES = ("325", "380", "390", "393")
PAYMENT_MEANS_CODES = ("1", "10", "20", "31", "42", "48", "49", "50", "58", "59", "93", "97")
PAYMENT_CHANNEL_LIST = "urn:oioubl:codelist:paymentchannelcode-1.1"
ADDRESS_FORMAT_LIST = "urn:oioubl:codelist:addressformatcode-1.1"
ADDRESS_FORMATS = ("StructuredDK", "StructuredLax", "StructuredID", "StructuredRegion", "Unstructured")
ENDPOINT_SCHEMES = ("GLN", "DUNS", "DK:P", "DK:CVR", "DK:CPR", "DK:SE", "DK:VANS", "IBAN", "ISO 6523", "ZZZ")
COMPANY_SCHEMES = ("DK:CVR", "DK:CPR", "ZZZ")
TAX_CATEGORY_SCHEMES = tuple(f"urn:oioubl:id:taxcategoryid-1.{n}" for n in range(1, 5))
TAX_SCHEME_SCHEMES = ("urn:oioubl:id:taxschemeid-1.1", "urn:oioubl:id:taxschemeid-1.2", "urn:oioubl:id:taxschemeid-1.4",
                      "urn:oioubl:id:taxschemeid-1.5")

# Deterministic UUIDs: the same document always gets the same cbc:UUID, so a document
# written again is recognisably the same one.
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://klyngefond.invalid/oioubl")


# --------------------------------------------------------------------------- building


def build_oioubl(doc: InvoiceDocument) -> bytes:
    """Return ``doc`` as an OIOUBL 2.1 ``Invoice`` or ``CreditNote``, UTF-8 encoded.

    Raises :class:`~klyngefond.documents.model.DocumentError` if the issuer or the
    recipient lacks an EAN number, a CVR number or an address, or if the issuer's payment
    details cannot be sent (an IBAN that is not Danish and has no BIC).
    """
    doc.require_parties("ean", "cvr", "address")
    kind = KINDS[doc.kind]
    root = new_root(kind)
    _add_header(root, doc)
    if doc.is_credit_note:
        _add_billing_reference(root, doc)
    _add_party(cac(root, "AccountingSupplierParty"), doc.issuer)
    # The recipient's finance office routes an incoming e-invoice on its reference (Contact/ID).
    _add_party(cac(root, "AccountingCustomerParty"), doc.recipient, reference=doc.buyer_reference)
    if not doc.is_credit_note:
        _add_payment_means(root, doc)  # a credit note asks for no payment
    _add_tax_total(root, doc.amount)
    _add_monetary_total(root, doc.amount)
    _add_line(root, doc, kind)
    return serialise(root)


def document_uuid(issuer: str, kind: str, number: str) -> uuid.UUID:
    return uuid.uuid5(_UUID_NAMESPACE, f"{issuer}/{kind}/{number}")


def _add_header(root: etree._Element, doc: InvoiceDocument) -> None:
    cbc(root, "UBLVersionID", UBL_VERSION)
    cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    cbc(root, "ProfileID", PROFILE_ID, schemeAgencyID=OIOUBL_AGENCY, schemeID=PROFILE_SCHEME)
    cbc(root, "ID", doc.number)
    cbc(root, "CopyIndicator", "false")
    cbc(root, "UUID", str(document_uuid(doc.issuer.id, doc.kind, doc.number)))
    cbc(root, "IssueDate", doc.issue_date.isoformat())
    if not doc.is_credit_note:
        # 380: commercial invoice. OIOUBL 2.1 credit notes carry no type code (UBL 2.0 has none).
        cbc(root, "InvoiceTypeCode", "380", listAgencyID=OIOUBL_AGENCY, listID=INVOICE_TYPE_LISTS[1])
    if doc.description:
        cbc(root, "Note", doc.description)
    cbc(root, "DocumentCurrencyCode", doc.currency)


def _add_billing_reference(root: etree._Element, doc: InvoiceDocument) -> None:
    reference = cac(cac(root, "BillingReference"), "InvoiceDocumentReference")
    cbc(reference, "ID", doc.credited_invoice or "")
    if doc.credited_invoice_date is not None:
        cbc(reference, "IssueDate", doc.credited_invoice_date.isoformat())


def _add_party(holder: etree._Element, party: Party, reference: str | None = None) -> None:
    assert party.ean and party.cvr and party.address  # guaranteed by require_parties
    company_id = f"DK{party.cvr}"
    node = cac(holder, "Party")
    cbc(node, "EndpointID", party.ean, schemeAgencyID=GS1_AGENCY, schemeID="GLN")
    cbc(cac(node, "PartyIdentification"), "ID", company_id, schemeID="DK:CVR")
    cbc(cac(node, "PartyName"), "Name", party.name)
    address = cac(node, "PostalAddress")
    # StructuredLax: the street field holds street name and house number together.
    cbc(address, "AddressFormatCode", "StructuredLax", listAgencyID=OIOUBL_AGENCY, listID=ADDRESS_FORMAT_LIST)
    cbc(address, "StreetName", party.address.street)
    cbc(address, "CityName", party.address.city)
    cbc(address, "PostalZone", party.address.postal_code)
    cbc(cac(address, "Country"), "IdentificationCode", party.address.country)
    legal = cac(node, "PartyLegalEntity")
    cbc(legal, "RegistrationName", party.name)
    cbc(legal, "CompanyID", company_id, schemeID="DK:CVR")
    if reference:
        cbc(cac(node, "Contact"), "ID", reference)


def _add_payment_means(root: etree._Element, doc: InvoiceDocument) -> None:
    assert doc.due_date is not None  # every invoice has one (InvoiceDocument checks it)
    means = cac(root, "PaymentMeans")
    transfer = doc.transfer()
    if transfer is None:
        # Code 1, "not defined": OIOUBL still wants the due date in PaymentMeans.
        cbc(means, "PaymentMeansCode", "1")
        cbc(means, "PaymentDueDate", doc.due_date.isoformat())
        return
    cbc(means, "PaymentMeansCode", transfer.code)
    cbc(means, "PaymentDueDate", doc.due_date.isoformat())
    channel = "IBAN" if transfer.code == "31" else "DK:BANK"
    cbc(means, "PaymentChannelCode", channel, listAgencyID=OIOUBL_AGENCY, listID=PAYMENT_CHANNEL_LIST)
    account = cac(means, "PayeeFinancialAccount")
    cbc(account, "ID", transfer.account)
    if len(doc.number) <= 20:
        # The payer's remittance text: the invoice number (OIOUBL allows 20 characters; older,
        # longer numbers are left out rather than cut).
        cbc(account, "PaymentNote", doc.number)
    branch = cac(account, "FinancialInstitutionBranch")
    if transfer.code == "42":
        cbc(branch, "ID", transfer.branch or "")
    else:
        # The bank of an IBAN is named by its BIC under FinancialInstitution (F-LIB113); the
        # branch's own ID is for a reg.nr. only (F-LIB108).
        cbc(cac(branch, "FinancialInstitution"), "ID", transfer.bic or "")


def _add_tax_total(parent: etree._Element, taxable: Decimal) -> None:
    """A zero TaxTotal: grants between public bodies are outside the scope of VAT.

    ZeroRated (code list taxcategoryid-1.1) is how OIOUBL 2.1 declares it: the code ``O`` of
    list 1.4 is accepted only by schematron 1.17 and later, so receivers still on 1.16 would
    reject it.
    """
    total = cac(parent, "TaxTotal")
    amount(total, "TaxAmount", ZERO)
    subtotal = cac(total, "TaxSubtotal")
    amount(subtotal, "TaxableAmount", taxable)
    amount(subtotal, "TaxAmount", ZERO)
    category = cac(subtotal, "TaxCategory")
    cbc(category, "ID", "ZeroRated", schemeAgencyID=OIOUBL_AGENCY, schemeID=TAX_CATEGORY_SCHEMES[0])
    cbc(category, "Percent", "0")
    cbc(category, "TaxExemptionReason", VAT_EXEMPTION_REASON)
    scheme = cac(category, "TaxScheme")
    cbc(scheme, "ID", "63", schemeAgencyID=OIOUBL_AGENCY, schemeID=TAX_SCHEME_SCHEMES[0])
    cbc(scheme, "Name", "Moms")


def _add_monetary_total(root: etree._Element, value: Decimal) -> None:
    totals = cac(root, "LegalMonetaryTotal")
    amount(totals, "LineExtensionAmount", value)
    # OIOUBL reads TaxExclusiveAmount as the total of taxes (not the net amount as in plain
    # UBL and Peppol); with no VAT that is 0.00 (F-INV127).
    amount(totals, "TaxExclusiveAmount", ZERO)
    amount(totals, "TaxInclusiveAmount", value)
    amount(totals, "PayableAmount", value)


def _add_line(root: etree._Element, doc: InvoiceDocument, kind: Kind) -> None:
    line = cac(root, kind.line)
    cbc(line, "ID", "1")
    cbc(line, kind.quantity, "1", unitCode="EA")
    amount(line, "LineExtensionAmount", doc.amount)
    _add_tax_total(line, doc.amount)
    item = cac(line, "Item")
    cbc(item, "Description", line_description(doc, "da"))
    cbc(item, "Name", doc.grant_name)
    cbc(cac(item, "SellersItemIdentification"), "ID", doc.grant_id)
    price = cac(line, "Price")
    amount(price, "PriceAmount", doc.amount)
    cbc(price, "BaseQuantity", "1", unitCode="EA")


# --------------------------------------------------------------------------- rules


def check_oioubl_rules(xml: bytes) -> list[str]:
    """Check ``xml`` against :data:`OIOUBL_RULES`; return the violations as ``"[id] message"`` (empty if none)."""
    return check_rules(xml, OIOUBL_RULES, "OIOUBL", root_rule="F-INV001/F-CRN001")


def _ubl_version(doc: Doc) -> Iterator[str]:
    version = doc.text("cbc:UBLVersionID")
    if version not in ACCEPTED_UBL_VERSIONS:
        yield f"UBLVersionID is {version!r}; OIOUBL accepts {' or '.join(ACCEPTED_UBL_VERSIONS)}"


def _customization(doc: Doc) -> Iterator[str]:
    customization = doc.text("cbc:CustomizationID")
    if customization not in ACCEPTED_CUSTOMIZATIONS:
        yield f"CustomizationID is {customization!r}; OIOUBL accepts {', '.join(ACCEPTED_CUSTOMIZATIONS)}"


def _profile_scheme(doc: Doc) -> Iterator[str]:
    profile = doc.find("cbc:ProfileID")
    if profile is not None and profile.get("schemeID") not in PROFILE_SCHEMES:
        yield f"ProfileID schemeID is {profile.get('schemeID')!r}; expected {PROFILE_SCHEME!r}"


def _profile_agency(doc: Doc) -> Iterator[str]:
    profile = doc.find("cbc:ProfileID")
    if profile is not None and profile.get("schemeAgencyID") != OIOUBL_AGENCY:
        yield f"ProfileID schemeAgencyID is {profile.get('schemeAgencyID')!r}; OIOUBL requires {OIOUBL_AGENCY!r}"


def _profile(doc: Doc) -> Iterator[str]:
    profile = doc.text("cbc:ProfileID")
    if profile is None:
        yield "ProfileID is missing"
    elif profile not in BILLING_PROFILES:
        yield f"ProfileID {profile!r} is not a billing profile without an order ({', '.join(BILLING_PROFILES)})"


def _document_id(doc: Doc) -> Iterator[str]:
    if doc.text("cbc:ID") is None:
        yield "ID (the document number) is missing"


def _issue_date(doc: Doc) -> Iterator[str]:
    issued = doc.text("cbc:IssueDate")
    if issued is None:
        yield "IssueDate is missing"
    elif not is_iso_date(issued):
        yield f"IssueDate {issued!r} is not a valid date (YYYY-MM-DD)"


def _uuid(doc: Doc) -> Iterator[str]:
    value = doc.text("cbc:UUID")
    if value is None:
        yield "UUID is missing (OIOUBL lists it as mandatory)"
    elif len(value) != 36:
        yield f"UUID {value!r} is not 36 characters"


def _type_code_list(doc: Doc) -> Iterator[str]:
    code = doc.find("cbc:InvoiceTypeCode")
    if code is None:
        return
    if code.get("listID") not in INVOICE_TYPE_LISTS:
        yield f"InvoiceTypeCode listID is {code.get('listID')!r}; expected {INVOICE_TYPE_LISTS[1]!r}"
    if code.get("listAgencyID") != OIOUBL_AGENCY:
        yield f"InvoiceTypeCode listAgencyID is {code.get('listAgencyID')!r}; expected {OIOUBL_AGENCY!r}"


def _type_code(doc: Doc) -> Iterator[str]:
    code = doc.text("cbc:InvoiceTypeCode")
    if code is None:
        yield "InvoiceTypeCode is missing"
    elif code not in INVOICE_TYPE_CODES:
        yield f"InvoiceTypeCode {code!r} is not one of {', '.join(INVOICE_TYPE_CODES)}"


def _notes(doc: Doc) -> Iterator[str]:
    notes = doc.findall("cbc:Note")
    languages = [note.get("languageID") for note in notes]
    if len(notes) > 1 and (None in languages or len(set(languages)) != len(languages)):
        yield f"{len(notes)} Note elements without a distinct languageID each"


def _currency(doc: Doc) -> Iterator[str]:
    currency = doc.text("cbc:DocumentCurrencyCode")
    if currency is None:
        yield "DocumentCurrencyCode is missing"
    elif currency != "DKK" and (len(currency) != 3 or not currency.isalpha() or not currency.isupper()):
        yield f"DocumentCurrencyCode {currency!r} is not an ISO 4217 code"


def _amount_currencies(doc: Doc) -> Iterator[str]:
    currency = doc.text("cbc:DocumentCurrencyCode")
    for element in amount_elements(doc):
        found = element.get("currencyID")
        if found != currency:
            yield f"{local(element)} has currencyID {found!r} but DocumentCurrencyCode is {currency!r}"


def _accounting_cost(doc: Doc) -> Iterator[str]:
    if doc.find("cbc:AccountingCost") is not None and doc.find("cbc:AccountingCostCode") is not None:
        yield "AccountingCost and AccountingCostCode are both given"


def _order_reference(doc: Doc) -> Iterator[str]:
    for reference in doc.findall("cac:OrderReference"):
        if doc.text("cbc:ID", reference) is None:
            yield "OrderReference has no ID"


def _one_party(doc: Doc) -> Iterator[str]:
    for role in ("AccountingSupplierParty", "AccountingCustomerParty"):
        count = len(doc.findall(f"cac:{role}/cac:Party"))
        if count != 1:
            yield f"{role} has {count} Party elements; exactly one is required"


def _endpoint(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        if doc.text("cbc:EndpointID", party) is None:
            yield f"{role} has no EndpointID"


def _endpoint_scheme(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        endpoint = doc.find("cbc:EndpointID", party)
        if endpoint is not None and endpoint.get("schemeID") not in ENDPOINT_SCHEMES:
            yield f"{role} EndpointID schemeID {endpoint.get('schemeID')!r} is not an OIOUBL endpoint scheme"


def _endpoint_value(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        endpoint = doc.find("cbc:EndpointID", party)
        if endpoint is None or not (endpoint.text or "").strip():
            continue
        value, scheme = endpoint.text.strip(), endpoint.get("schemeID")
        if scheme == "GLN" and len(value) != 13:
            yield f"{role} EndpointID {value!r} (GLN) is not 13 characters"
        elif scheme == "DK:CVR" and not (value.startswith("DK") and len(value) == 10):
            yield f"{role} EndpointID {value!r} (DK:CVR) is not DK followed by 8 characters"


def _endpoint_check_digit(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        endpoint = doc.find("cbc:EndpointID", party)
        if endpoint is not None and endpoint.get("schemeID") == "GLN" and len((endpoint.text or "").strip()) == 13:
            try:
                normalize_ean(endpoint.text or "")
            except IdentifierError as exc:
                yield f"{role} EndpointID: {exc}"


def _customer_is_gln(doc: Doc) -> Iterator[str]:
    endpoint = doc.find("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")
    if endpoint is not None and endpoint.get("schemeID") != "GLN":
        yield f"AccountingCustomerParty EndpointID schemeID is {endpoint.get('schemeID')!r}; a public customer is addressed by 'GLN'"


def _party_identification(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        for identification in doc.findall("cac:PartyIdentification/cbc:ID", party):
            value, scheme = (identification.text or "").strip(), identification.get("schemeID")
            if scheme not in ENDPOINT_SCHEMES:
                yield f"{role} PartyIdentification/ID schemeID {scheme!r} is not an OIOUBL scheme"
            elif scheme == "DK:CVR" and not (value.startswith("DK") and len(value) == 10):
                yield f"{role} PartyIdentification/ID {value!r} (DK:CVR) is not DK followed by 8 characters"
            elif scheme == "GLN" and len(value) != 13:
                yield f"{role} PartyIdentification/ID {value!r} (GLN) is not 13 characters"


def _party_name(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        if doc.text("cac:PartyIdentification/cbc:ID", party) is None and doc.text("cac:PartyName/cbc:Name", party) is None:
            yield f"{role} has neither PartyName/Name nor PartyIdentification/ID"


def _address_format(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        address = doc.find("cac:PostalAddress", party)
        if address is None:
            continue
        code = doc.find("cbc:AddressFormatCode", address)
        if code is None or not (code.text or "").strip():
            yield f"{role} PostalAddress has no AddressFormatCode"
            continue
        if code.get("listID") != ADDRESS_FORMAT_LIST or code.get("listAgencyID") != OIOUBL_AGENCY:
            yield f"{role} AddressFormatCode needs listID {ADDRESS_FORMAT_LIST!r} and listAgencyID {OIOUBL_AGENCY!r}"
        if code.text.strip() not in ADDRESS_FORMATS:
            yield f"{role} AddressFormatCode {code.text.strip()!r} is not one of {', '.join(ADDRESS_FORMATS)}"


def _structured_address(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        address = doc.find("cac:PostalAddress", party)
        if address is None:
            continue
        code = doc.text("cbc:AddressFormatCode", address)
        if code not in ("StructuredDK", "StructuredLax"):
            continue
        if doc.find("cac:AddressLine", address) is not None:
            yield f"{role} {code} address has an AddressLine"
        if code == "StructuredDK":
            has_postbox = doc.text("cbc:Postbox", address) is not None
            if doc.text("cbc:StreetName", address) is None and not has_postbox:
                yield f"{role} StructuredDK address has no StreetName"
            if doc.text("cbc:PostalZone", address) is None:
                yield f"{role} StructuredDK address has no PostalZone"
            if doc.text("cbc:BuildingNumber", address) is None and not has_postbox:
                yield f"{role} StructuredDK address has no BuildingNumber"


def _country(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        address = doc.find("cac:PostalAddress", party)
        if address is None:
            continue
        country = doc.text("cac:Country/cbc:IdentificationCode", address)
        if country is None:
            yield f"{role} PostalAddress has no Country/IdentificationCode"
        elif len(country) != 2 or not country.isalpha() or not country.isupper():
            yield f"{role} Country/IdentificationCode {country!r} is not an ISO 3166 code"


def _legal_entity(doc: Doc) -> Iterator[str]:
    supplier = doc.findall("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity")
    if len(supplier) != 1:
        yield f"AccountingSupplierParty has {len(supplier)} PartyLegalEntity elements; exactly one is required"
    customer = doc.findall("cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity")
    if len(customer) > 1:
        yield f"AccountingCustomerParty has {len(customer)} PartyLegalEntity elements; at most one is allowed"


def _company_id(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        for company in doc.findall("cac:PartyLegalEntity/cbc:CompanyID", party):
            value, scheme = (company.text or "").strip(), company.get("schemeID")
            if not value:
                yield f"{role} CompanyID is empty"
            elif scheme not in COMPANY_SCHEMES:
                yield f"{role} CompanyID schemeID is {scheme!r}; expected 'DK:CVR'"
            elif scheme == "DK:CVR" and not (value.startswith("DK") and len(value) == 10):
                yield f"{role} CompanyID {value!r} (DK:CVR) is not DK followed by 8 characters"


def _company_check(doc: Doc) -> Iterator[str]:
    company = doc.find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
    if company is None or not (company.text or "").strip():
        yield "AccountingSupplierParty has no PartyLegalEntity/CompanyID (CVR)"
        return
    for role, party in doc.parties():
        for found in doc.findall("cac:PartyLegalEntity/cbc:CompanyID", party):
            if found.get("schemeID") == "DK:CVR" and (found.text or "").strip():
                try:
                    normalize_cvr(found.text or "")
                except IdentifierError as exc:
                    yield f"{'supplier' if role == 'AccountingSupplierParty' else 'customer'} CompanyID: {exc}"


def _customer_contact(doc: Doc) -> Iterator[str]:
    contacts = doc.findall("cac:AccountingCustomerParty/cac:Party/cac:Contact")
    if len(contacts) != 1:
        yield f"AccountingCustomerParty has {len(contacts)} Contact elements; exactly one is required"
    elif doc.text("cbc:ID", contacts[0]) is None:
        yield "AccountingCustomerParty has no Contact/ID (the customer's reference)"


def _contact_filled(doc: Doc) -> Iterator[str]:
    for role, party in doc.parties():
        for contact in doc.findall("cac:Contact", party):
            if not any((child.text or "").strip() for child in contact):
                yield f"{role} Contact has no filled field"


def _no_payment_on_credit_note(doc: Doc) -> Iterator[str]:
    if doc.find("cac:PaymentMeans") is not None or doc.find("cac:PaymentTerms") is not None:
        yield "a CreditNote asks for no payment: it carries no PaymentMeans, PaymentTerms or due date"


def _one_payment_means(doc: Doc) -> Iterator[str]:
    means = doc.findall("cac:PaymentMeans")
    if len(means) > 1 and any(doc.text("cbc:ID", m) is None for m in means):
        yield f"{len(means)} PaymentMeans without an ID each; klyngefond sends one"


def _payment_means_code(doc: Doc) -> Iterator[str]:
    for means in doc.findall("cac:PaymentMeans"):
        code = doc.text("cbc:PaymentMeansCode", means)
        if code not in PAYMENT_MEANS_CODES:
            yield f"PaymentMeansCode {code!r} is not one of {', '.join(PAYMENT_MEANS_CODES)}"


def _due_date(doc: Doc) -> Iterator[str]:
    issued = doc.text("cbc:IssueDate")
    for means in doc.findall("cac:PaymentMeans"):
        due = doc.text("cbc:PaymentDueDate", means)
        if due is None:
            yield "PaymentMeans has no PaymentDueDate"
        elif not is_iso_date(due):
            yield f"PaymentDueDate {due!r} is not a valid date (YYYY-MM-DD)"
        elif issued is not None and is_iso_date(issued) and due < issued:
            yield f"PaymentDueDate {due} is before IssueDate {issued}"


def _means(doc: Doc, code: str) -> Iterator[etree._Element]:
    for means in doc.findall("cac:PaymentMeans"):
        if doc.text("cbc:PaymentMeansCode", means) == code:
            yield means


def _channel(doc: Doc, code: str, expected: tuple[str, ...]) -> Iterator[str]:
    for means in _means(doc, code):
        channel = doc.find("cbc:PaymentChannelCode", means)
        if channel is None or (channel.text or "").strip() not in expected:
            found = None if channel is None else (channel.text or "").strip()
            yield f"PaymentMeansCode {code} needs PaymentChannelCode {' or '.join(expected)}, not {found!r}"
        elif channel.get("listID") != PAYMENT_CHANNEL_LIST:
            yield f"PaymentChannelCode listID is {channel.get('listID')!r}; expected {PAYMENT_CHANNEL_LIST!r}"


def _bank_channel(doc: Doc) -> Iterator[str]:
    return _channel(doc, "42", ("DK:BANK",))


def _bank_account(doc: Doc) -> Iterator[str]:
    for means in _means(doc, "42"):
        account = doc.text("cac:PayeeFinancialAccount/cbc:ID", means)
        if account is None:
            yield "PaymentMeansCode 42 needs PayeeFinancialAccount/ID (kontonr.)"
        elif len(account) > 10:
            yield f"kontonr. {account!r} in PayeeFinancialAccount/ID is longer than 10 characters"


def _bank_reg(doc: Doc) -> Iterator[str]:
    for means in _means(doc, "42"):
        reg = doc.text("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", means)
        if reg is None:
            yield "PaymentMeansCode 42 needs FinancialInstitutionBranch/ID (reg.nr.)"
        elif len(reg) > 4 or not reg.isdigit():
            yield f"reg.nr. {reg!r} in FinancialInstitutionBranch/ID is not at most 4 digits"


def _payment_note(doc: Doc, code: str) -> Iterator[str]:
    for means in _means(doc, code):
        for path in ("cac:PayeeFinancialAccount/cbc:PaymentNote", "cac:PayerFinancialAccount/cbc:PaymentNote"):
            note = doc.text(path, means)
            if note is not None and len(note) > 20:
                yield f"PaymentMeansCode {code}: PaymentNote {note!r} is longer than 20 characters"


def _bank_payment_note(doc: Doc) -> Iterator[str]:
    return _payment_note(doc, "42")


def _iban_channel(doc: Doc) -> Iterator[str]:
    return _channel(doc, "31", ("IBAN", "ZZZ"))


def _iban_account(doc: Doc) -> Iterator[str]:
    for means in _means(doc, "31"):
        iban = doc.text("cac:PayeeFinancialAccount/cbc:ID", means)
        if iban is None:
            yield "PaymentMeansCode 31 needs PayeeFinancialAccount/ID (the IBAN)"
        elif len(iban) > 34:
            yield f"IBAN {iban!r} in PayeeFinancialAccount/ID is longer than 34 characters"


def _iban_bic(doc: Doc) -> Iterator[str]:
    for means in _means(doc, "31"):
        if doc.text("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cbc:ID", means) is None:
            yield ("PaymentMeansCode 31 (IBAN) needs the bank's BIC in "
                   "PayeeFinancialAccount/FinancialInstitutionBranch/FinancialInstitution/ID")


def _iban_no_branch(doc: Doc) -> Iterator[str]:
    for means in _means(doc, "31"):
        if doc.find("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", means) is not None:
            yield "PaymentMeansCode 31 (IBAN) must not have FinancialInstitutionBranch/ID (a reg.nr.); the BIC goes under FinancialInstitution"


def _iban_payment_note(doc: Doc) -> Iterator[str]:
    return _payment_note(doc, "31")


def _no_instruction(doc: Doc) -> Iterator[str]:
    for means in doc.findall("cac:PaymentMeans"):
        if doc.text("cbc:PaymentMeansCode", means) in ("31", "42"):
            if doc.find("cbc:InstructionNote", means) is not None:
                yield "PaymentMeansCode 31/42 must not have InstructionNote"
            if doc.find("cac:CreditAccount", means) is not None and doc.text("cbc:PaymentMeansCode", means) == "42":
                yield "PaymentMeansCode 42 must not have CreditAccount"


def _no_bank_address(doc: Doc) -> Iterator[str]:
    for means in doc.findall("cac:PaymentMeans"):
        if doc.find("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cac:FinancialInstitution/cac:Address", means) is not None:
            yield "FinancialInstitution must not have an Address"
        if doc.find("cac:PayeeFinancialAccount/cac:Country", means) is not None:
            yield "PayeeFinancialAccount must not have a Country"


def _one_period(doc: Doc) -> Iterator[str]:
    periods = doc.findall("cac:InvoicePeriod")
    if len(periods) > 1:
        yield f"{len(periods)} InvoicePeriod elements; at most one is allowed"


def _tax_schemes_once(doc: Doc) -> Iterator[str]:
    for holder in [doc.root, *doc.lines()]:
        seen: list[str | None] = []
        for total in doc.findall("cac:TaxTotal", holder):
            schemes = [doc.text("cac:TaxCategory/cac:TaxScheme/cbc:ID", s) for s in doc.findall("cac:TaxSubtotal", total)]
            if len(set(schemes)) > 1:
                yield f"one TaxTotal has subtotals of different tax schemes {schemes}"
            pairs = [(doc.text("cac:TaxCategory/cbc:ID", s), doc.text("cac:TaxCategory/cac:TaxScheme/cbc:ID", s))
                     for s in doc.findall("cac:TaxSubtotal", total)]
            if len(set(pairs)) != len(pairs):
                yield "one TaxTotal has two subtotals of the same tax category"
            seen += list(dict.fromkeys(schemes))
        if len(set(seen)) != len(seen):
            yield f"two TaxTotal elements use the same tax scheme {seen}"


def _tax_total(doc: Doc) -> Iterator[str]:
    totals = doc.findall("cac:TaxTotal")
    if not totals:
        yield "TaxTotal is missing"
        return
    for where, holder in [("document", doc.root)] + [(f"line {doc.text('cbc:ID', line)}", line) for line in doc.lines()]:
        schemes = [doc.text("cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID", total) for total in doc.findall("cac:TaxTotal", holder)]
        if schemes.count("63") + schemes.count("VAT") != 1:
            yield f"{where}: exactly one TaxTotal with TaxScheme 63 (Moms) is required"


def _subtotals(doc: Doc) -> Iterator[etree._Element]:
    for holder in [doc.root, *doc.lines()]:
        yield from doc.findall("cac:TaxTotal/cac:TaxSubtotal", holder)


def _tax_sum(doc: Doc) -> Iterator[str]:
    for holder in [doc.root, *doc.lines()]:
        for total in doc.findall("cac:TaxTotal", holder):
            try:
                stated = decimal_at(doc, "cbc:TaxAmount", total)
                parts = sum((decimal_at(doc, "cbc:TaxAmount", s) for s in doc.findall("cac:TaxSubtotal", total)), ZERO)
            except AmountProblem as exc:
                yield f"TaxTotal: {exc}"
                continue
            if stated != parts:
                yield f"TaxTotal/TaxAmount {json_amount(stated)} differs from its subtotals {json_amount(parts)}"
            text = doc.text("cbc:TaxAmount", total) or ""
            if decimals(text) != 2:
                yield f"TaxTotal/TaxAmount {text!r} does not have exactly 2 decimals"


def _subtotal_amounts(doc: Doc) -> Iterator[str]:
    for subtotal in _subtotals(doc):
        for name in ("TaxableAmount", "TaxAmount"):
            text = doc.text(f"cbc:{name}", subtotal)
            if text is None:
                yield f"TaxSubtotal has no {name}"
            elif decimals(text) != 2:
                yield f"TaxSubtotal/{name} {text!r} does not have exactly 2 decimals"


def _no_subtotal_percent(doc: Doc) -> Iterator[str]:
    for subtotal in _subtotals(doc):
        if doc.find("cbc:Percent", subtotal) is not None:
            yield "TaxSubtotal has a Percent of its own; it belongs in TaxCategory"


def _tax_category(doc: Doc) -> Iterator[str]:
    for subtotal in _subtotals(doc):
        category = doc.find("cac:TaxCategory/cbc:ID", subtotal)
        if category is None or not (category.text or "").strip():
            yield "TaxCategory has no ID"
        elif category.get("schemeID") not in TAX_CATEGORY_SCHEMES or category.get("schemeAgencyID") != OIOUBL_AGENCY:
            yield f"TaxCategory/ID schemeID {category.get('schemeID')!r} is not an OIOUBL tax category list of agency 320"
        elif category.get("schemeID") == TAX_CATEGORY_SCHEMES[0] and category.text.strip() not in (
                "ZeroRated", "StandardRated", "ReverseCharge"):
            yield f"TaxCategory/ID {category.text.strip()!r} is not in {TAX_CATEGORY_SCHEMES[0]}"


def _zero_rated(doc: Doc) -> Iterator[str]:
    for subtotal in (s for line in doc.lines() for s in doc.findall("cac:TaxTotal/cac:TaxSubtotal", line)):
        if doc.text("cac:TaxCategory/cbc:ID", subtotal) != "ZeroRated":
            continue
        try:
            tax = decimal_at(doc, "cbc:TaxAmount", subtotal)
        except AmountProblem:
            continue  # reported by the subtotal rule
        percent = doc.text("cac:TaxCategory/cbc:Percent", subtotal)
        if tax != 0:
            yield f"ZeroRated TaxSubtotal has TaxAmount {json_amount(tax)}, not 0.00"
        if percent is not None and Decimal(percent) != 0:
            yield f"ZeroRated TaxCategory has Percent {percent}, not 0"


def _taxable_matches_lines(doc: Doc) -> Iterator[str]:
    try:
        header = {doc.text("cac:TaxCategory/cbc:ID", s): decimal_at(doc, "cbc:TaxableAmount", s)
                  for s in doc.findall("cac:TaxTotal/cac:TaxSubtotal")}
        lines: dict[str | None, Decimal] = {}
        for line in doc.lines():
            for s in doc.findall("cac:TaxTotal/cac:TaxSubtotal", line):
                category = doc.text("cac:TaxCategory/cbc:ID", s)
                lines[category] = lines.get(category, ZERO) + decimal_at(doc, "cbc:TaxableAmount", s)
    except AmountProblem:
        return  # reported by the subtotal rule
    if set(header) != set(lines):
        yield f"tax categories differ between the document {sorted(map(str, header))} and the lines {sorted(map(str, lines))}"
        return
    for category, taxable in header.items():
        if abs(taxable - lines[category]) > 1:
            yield f"TaxableAmount {json_amount(taxable)} of {category} differs from the lines' {json_amount(lines[category])}"


def _tax_scheme(doc: Doc) -> Iterator[str]:
    for subtotal in _subtotals(doc):
        scheme = doc.find("cac:TaxCategory/cac:TaxScheme/cbc:ID", subtotal)
        name = doc.text("cac:TaxCategory/cac:TaxScheme/cbc:Name", subtotal)
        if scheme is None or not (scheme.text or "").strip() or name is None:
            yield "TaxScheme needs ID and Name"
        elif scheme.get("schemeID") not in TAX_SCHEME_SCHEMES:
            yield f"TaxScheme/ID schemeID {scheme.get('schemeID')!r} is not an OIOUBL tax scheme list"
        elif (scheme.text.strip() == "63") != (name == "Moms"):
            yield f"TaxScheme ID {scheme.text.strip()!r} and Name {name!r} do not match (63 is Moms)"


def _totals(doc: Doc) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal] | str:
    totals = doc.find("cac:LegalMonetaryTotal")
    if totals is None:
        return "LegalMonetaryTotal is missing"
    try:
        lines = sum((decimal_at(doc, "cbc:LineExtensionAmount", line) for line in doc.lines()), ZERO)
        tax = sum((decimal_at(doc, "cbc:TaxAmount", s) for s in doc.findall("cac:TaxTotal/cac:TaxSubtotal")), ZERO)
        adjustments = (
            decimal_at(doc, "cbc:ChargeTotalAmount", totals, ZERO) - decimal_at(doc, "cbc:AllowanceTotalAmount", totals, ZERO)
            + decimal_at(doc, "cbc:PayableRoundingAmount", totals, ZERO)
        )
        prepaid = decimal_at(doc, "cbc:PrepaidAmount", totals, ZERO)
        line_total = decimal_at(doc, "cbc:LineExtensionAmount", totals)
        payable = decimal_at(doc, "cbc:PayableAmount", totals)
    except AmountProblem as exc:
        return f"LegalMonetaryTotal: {exc}"
    return lines, tax, adjustments, prepaid, line_total, payable


def _line_total(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if isinstance(found, str):
        yield found
        return
    lines, _, _, _, line_total, _ = found
    if abs(line_total - lines) > Decimal("0.0055"):
        yield f"LegalMonetaryTotal/LineExtensionAmount {json_amount(line_total)} differs from the sum of the lines {json_amount(lines)}"


def _tax_exclusive(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if isinstance(found, str):
        return
    tax = found[1]
    try:
        stated = decimal_at(doc, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", None, ZERO)
    except AmountProblem as exc:
        yield str(exc)
        return
    if stated != tax:
        yield f"TaxExclusiveAmount {json_amount(stated)} must be the tax total {json_amount(tax)} in OIOUBL"


def _tax_inclusive(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if isinstance(found, str):
        return
    _, tax, adjustments, _, line_total, _ = found
    try:
        stated = decimal_at(doc, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", None, ZERO)
    except AmountProblem as exc:
        yield str(exc)
        return
    if abs(stated - (line_total + tax + adjustments)) > 1:
        yield f"TaxInclusiveAmount {json_amount(stated)} differs from lines plus tax {json_amount(line_total + tax + adjustments)}"


def _payable(doc: Doc) -> Iterator[str]:
    found = _totals(doc)
    if isinstance(found, str):
        return
    _, tax, adjustments, prepaid, line_total, payable = found
    expected = line_total + tax + adjustments - prepaid
    if payable != expected:
        yield f"PayableAmount {json_amount(payable)} differs from the lines plus tax {json_amount(expected)}"
    text = doc.text("cac:LegalMonetaryTotal/cbc:PayableAmount") or ""
    if decimals(text) != 2:
        yield f"PayableAmount {text!r} does not have exactly 2 decimals"


def _line_ids(doc: Doc) -> Iterator[str]:
    lines = doc.lines()
    if not lines:
        yield f"the document has no {doc.k.line}"
    ids = [doc.text("cbc:ID", line) for line in lines]
    if None in ids:
        yield f"a {doc.k.line} has no ID"
    elif len(set(ids)) != len(ids):
        yield f"{doc.k.line} IDs are not unique: {ids}"


def _quantity(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        quantity = doc.find(f"cbc:{doc.k.quantity}", line)
        if quantity is None or not (quantity.text or "").strip():
            yield f"{doc.k.line} has no {doc.k.quantity}"
        elif len(quantity.get("unitCode") or "") < 2:
            yield f"{doc.k.quantity} unitCode {quantity.get('unitCode')!r} is not a unit of measure code (klyngefond sends EA)"


def _line_amount(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        text = doc.text("cbc:LineExtensionAmount", line)
        if text is None:
            yield f"{doc.k.line} has no LineExtensionAmount"
        elif decimals(text) < 2:
            yield f"{doc.k.line} LineExtensionAmount {text!r} has fewer than 2 decimals"


def _line_price(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        prices = doc.findall("cac:Price", line)
        if len(prices) != 1:
            yield f"{doc.k.line} has {len(prices)} Price elements; exactly one is required"
            continue
        try:
            price = decimal_at(doc, "cbc:PriceAmount", prices[0])
            base = decimal_at(doc, "cbc:BaseQuantity", prices[0], Decimal(1))
            quantity = decimal_at(doc, f"cbc:{doc.k.quantity}", line)
            value = decimal_at(doc, "cbc:LineExtensionAmount", line)
        except AmountProblem as exc:
            yield f"{doc.k.line}: {exc}"
            continue
        if base == 0 or abs(value - price / base * quantity) > 1:
            yield f"{doc.k.line} LineExtensionAmount {json_amount(value)} is not PriceAmount / BaseQuantity × quantity"


def _line_tax(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        if doc.find("cac:TaxTotal", line) is None:
            yield f"{doc.k.line} has no TaxTotal"


def _item_name(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        if doc.text("cac:Item/cbc:Name", line) is None:
            yield f"{doc.k.line} has no Item/Name"


def _item_description(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        descriptions = doc.findall("cac:Item/cbc:Description", line)
        languages = [d.get("languageID") for d in descriptions]
        if len(descriptions) > 1 and (None in languages or len(set(languages)) != len(languages)):
            yield f"{doc.k.line} has {len(descriptions)} Item/Description elements without a distinct languageID each"


def _no_line_terms(doc: Doc) -> Iterator[str]:
    for line in doc.lines():
        for name in ("PaymentTerms", "DeliveryTerms"):
            if doc.find(f"cac:{name}", line) is not None:
                yield f"{doc.k.line} must not have {name}"


def _credited_invoice(doc: Doc) -> Iterator[str]:
    if doc.text("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") is None:
        yield "a CreditNote must reference the invoice it credits (BillingReference/InvoiceDocumentReference/ID)"


def _referenced_uuid(doc: Doc) -> Iterator[str]:
    for reference in doc.findall("cac:BillingReference/cac:InvoiceDocumentReference"):
        value = doc.text("cbc:UUID", reference)
        if value is not None and len(value) != 36:
            yield f"InvoiceDocumentReference/UUID {value!r} is not 36 characters"


OIOUBL_RULES: tuple[Rule, ...] = (
    Rule("F-LIB001", "UBLVersionID 2.0 or 2.1", _ubl_version),
    Rule("F-LIB002", "CustomizationID OIOUBL-2.0, -2.01, -2.02 or -2.1", _customization),
    Rule("W-LIB003", "ProfileID schemeID urn:oioubl:id:profileid-1.1 … -1.6", _profile_scheme),
    Rule("W-LIB203", "ProfileID schemeAgencyID 320", _profile_agency),
    Rule("F-LIB351", "ProfileID a billing profile without an order (Procurement-BilSim-1.0)", _profile),
    Rule("F-INV009/F-CRN006", "a document ID", _document_id),
    Rule("KF-ISSUE-DATE", "IssueDate present, a real date as YYYY-MM-DD (the UBL schema checks only the form)", _issue_date),
    Rule("F-LIB006", "UUID of 36 characters", _uuid),
    Rule("W-INV010/W-INV005", "InvoiceTypeCode listID invoicetypecode-1.1/-1.2 and listAgencyID 320", _type_code_list, INVOICE_ONLY),
    Rule("F-INV337", "InvoiceTypeCode 325, 380, 390 or 393", _type_code, INVOICE_ONLY),
    Rule("W-LIB011/W-LIB012", "several Note elements only with distinct languageID", _notes),
    Rule("F-INV007/F-CRN004", "DocumentCurrencyCode, an ISO 4217 code", _currency),
    Rule("F-INV012/F-CRN007", "every currencyID equals DocumentCurrencyCode", _amount_currencies),
    Rule("F-LIB021", "not both AccountingCost and AccountingCostCode", _accounting_cost),
    Rule("F-INV024", "an OrderReference has an ID", _order_reference),
    Rule("F-INV030/F-INV043", "exactly one Party for supplier and customer", _one_party),
    Rule("F-INV031/F-INV044", "an EndpointID for supplier and customer", _endpoint),
    Rule("F-LIB179", "EndpointID schemeID from the OIOUBL list (GLN, DK:CVR, …)", _endpoint_scheme),
    Rule("F-LIB181/F-LIB180", "EndpointID GLN of 13 characters, DK:CVR as DK + 8", _endpoint_value),
    Rule("KF-GLN", "EndpointID GLN with a valid GS1 check digit (no OIOUBL rule checks it)", _endpoint_check_digit),
    Rule("KF-GLN-CUSTOMER", "the public customer addressed by its EAN (GLN)", _customer_is_gln),
    Rule("F-LIB183/F-LIB184/F-LIB185", "PartyIdentification/ID with an OIOUBL scheme and a valid form", _party_identification),
    Rule("F-LIB022", "PartyName/Name when no PartyIdentification/ID", _party_name),
    Rule("F-LIB025/F-LIB026/F-LIB207/F-LIB027", "AddressFormatCode from the OIOUBL list, with listID and agency", _address_format),
    Rule("F-LIB032/F-LIB033/F-LIB034/F-LIB035/F-LIB036",
         "StructuredDK/StructuredLax: no AddressLine; StructuredDK also street and building number (or postbox) and postal zone",
         _structured_address),
    Rule("F-LIB213/F-LIB301", "Country/IdentificationCode, an ISO 3166 code", _country),
    Rule("F-INV034/F-INV045", "one PartyLegalEntity for the supplier, at most one for the customer", _legal_entity),
    Rule("F-LIB187/F-LIB189/F-LIB190", "CompanyID filled, schemeID DK:CVR (DK + 8)", _company_id),
    Rule("KF-CVR", "the supplier's CompanyID present; every CVR passes modulus 11 (no OIOUBL rule checks it)", _company_check),
    Rule("F-INV046/F-INV051/F-CRN042/F-CRN047", "one customer Contact with an ID: the recipient's reference", _customer_contact),
    Rule("F-LIB235", "a Contact has at least one filled field", _contact_filled),
    Rule("KF-CRN-PAYMENT", "a credit note asks for no payment: no PaymentMeans, PaymentTerms or due date", _no_payment_on_credit_note,
         CREDIT_NOTE_ONLY),
    Rule("W-LIB241", "one PaymentMeans (several need an ID each)", _one_payment_means, INVOICE_ONLY),
    Rule("F-LIB100", "PaymentMeansCode 1, 10, 20, 31, 42, 48, 49, 50, 58, 59, 93 or 97", _payment_means_code, INVOICE_ONLY),
    Rule("KF-DUE", "PaymentDueDate present, a date, not before IssueDate (no OIOUBL rule checks the order)", _due_date, INVOICE_ONLY),
    Rule("F-LIB123/F-LIB128", "code 42: PaymentChannelCode DK:BANK with listID paymentchannelcode-1.1", _bank_channel, INVOICE_ONLY),
    Rule("F-LIB125/F-LIB126/F-LIB131", "code 42: PayeeFinancialAccount/ID (kontonr.) of at most 10 characters", _bank_account,
         INVOICE_ONLY),
    Rule("F-LIB127/F-LIB132/F-LIB311", "code 42: FinancialInstitutionBranch/ID (reg.nr.), at most 4 digits", _bank_reg, INVOICE_ONLY),
    Rule("F-LIB133/F-LIB129", "code 42: PaymentNote at most 20 characters", _bank_payment_note, INVOICE_ONLY),
    Rule("F-LIB106/F-LIB109", "code 31: PaymentChannelCode IBAN with listID paymentchannelcode-1.1", _iban_channel, INVOICE_ONLY),
    Rule("F-LIB107/F-LIB114/F-LIB115", "code 31: PayeeFinancialAccount/ID (IBAN) of 1-34 characters", _iban_account, INVOICE_ONLY),
    Rule("F-LIB113", "code 31: the bank's BIC in FinancialInstitutionBranch/FinancialInstitution/ID", _iban_bic, INVOICE_ONLY),
    Rule("F-LIB108", "code 31: no FinancialInstitutionBranch/ID", _iban_no_branch, INVOICE_ONLY),
    Rule("F-LIB111/F-LIB110", "code 31: PaymentNote at most 20 characters", _iban_payment_note, INVOICE_ONLY),
    Rule("F-LIB119/F-LIB122/F-LIB103", "codes 31/42: no InstructionNote; code 42: no CreditAccount", _no_instruction, INVOICE_ONLY),
    Rule("F-LIB243/F-LIB244", "no FinancialInstitution/Address and no PayeeFinancialAccount/Country", _no_bank_address, INVOICE_ONLY),
    Rule("F-INV004/F-CRN159", "at most one InvoicePeriod", _one_period),
    Rule("F-LIB314/F-LIB315/F-LIB316", "one tax scheme per TaxTotal, each category once, no scheme in two TaxTotals",
         _tax_schemes_once),
    Rule("F-INV008/F-CRN005/F-LIB306", "exactly one TaxTotal (TaxScheme 63) on the document and on each line", _tax_total),
    Rule("F-LIB385/F-LIB250", "TaxTotal/TaxAmount the sum of its subtotals, 2 decimals", _tax_sum),
    Rule("F-LIB259/F-LIB261/F-LIB263", "TaxSubtotal with TaxableAmount and TaxAmount of 2 decimals", _subtotal_amounts),
    Rule("F-LIB254", "no Percent directly in TaxSubtotal", _no_subtotal_percent),
    Rule("F-LIB074/F-LIB075/W-LIB229/F-LIB309", "TaxCategory/ID from an OIOUBL tax category list, agency 320", _tax_category),
    Rule("F-LIB400", "a line's ZeroRated tax: TaxAmount 0 and Percent absent or 0", _zero_rated),
    Rule("F-LIB402/F-LIB404", "the document's tax categories and taxable amounts match the lines'", _taxable_matches_lines),
    Rule("F-LIB065/F-LIB066/F-LIB070/F-LIB198/F-LIB199", "TaxScheme ID and Name from the list; 63 is Moms", _tax_scheme),
    Rule("F-INV126/F-CRN072", "LineExtensionAmount the sum of the lines", _line_total),
    Rule("F-INV127/F-CRN073", "TaxExclusiveAmount the tax total (0.00)", _tax_exclusive),
    Rule("F-INV128/F-CRN074", "TaxInclusiveAmount = lines + tax + charges - allowances", _tax_inclusive),
    Rule("F-INV133/F-CRN079", "PayableAmount = lines + tax + charges - allowances - prepaid, 2 decimals", _payable),
    Rule("F-INV140/W-INV237/F-CRN084", "at least one line; each with a unique ID", _line_ids),
    Rule("F-INV137/F-CRN196/W-LIB008", "each line's quantity with a unit of measure code (EA)", _quantity),
    Rule("F-INV149/F-CRN207", "each line's LineExtensionAmount with at least 2 decimals", _line_amount),
    Rule("F-INV139/F-INV340/F-CRN083", "one Price per line; line amount = PriceAmount / BaseQuantity × quantity", _line_price),
    Rule("F-INV138/F-CRN081", "a TaxTotal on each line", _line_tax),
    Rule("F-INV163/F-CRN110", "an Item/Name on each line", _item_name),
    Rule("W-LIB222/W-LIB223", "several Item/Description only with distinct languageID", _item_description),
    Rule("F-INV135/F-INV136", "no PaymentTerms or DeliveryTerms on a line", _no_line_terms),
    Rule("KF-CRN-REFERENCE", "a credit note names the invoice it credits (BillingReference)", _credited_invoice, CREDIT_NOTE_ONLY),
    Rule("F-LIB173", "a referenced invoice's UUID, if given, of 36 characters", _referenced_uuid, CREDIT_NOTE_ONLY),
)
"""The OIOUBL 2.1 rules (schematron 1.17.x) that apply to klyngefond's documents, by official
id; ``KF-…`` are klyngefond's own checks of what no official rule checks (RULES.md §3)."""
