"""OIOUBL 2.1 e-invoices and credit notes, the form Danish public bodies receive through NemHandel.

:func:`build_oioubl` turns an :class:`InvoiceDocument` into an ``Invoice`` or ``CreditNote``.
Elements are appended in the order of the UBL 2.1 XSD sequences (the schema refuses any
other order), so each builder below writes its children in schema order.
:func:`validate_ubl` checks a document against the UBL 2.1 XSD and
:func:`check_oioubl_rules` against the OIOUBL schematron rules this module can express.
"""

from __future__ import annotations

import functools
import os
import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from klyngefond.core.identifiers import IdentifierError, normalize_cvr, normalize_ean
from klyngefond.core.money import ZERO, json_amount
from klyngefond.documents.model import InvoiceDocument, Party, decision_text

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

UBL_VERSION = "2.1"
CUSTOMIZATION_ID = "OIOUBL-2.1"
PROFILE_ID = "Procurement-BilSim-1.0"
OIOUBL_AGENCY = "320"  # the Danish Agency for Digitisation's code-list agency id
GS1_AGENCY = "9"
ACCEPTED_UBL_VERSIONS = ("2.0", "2.1")
ACCEPTED_CUSTOMIZATIONS = ("OIOUBL-2.0", "OIOUBL-2.01", "OIOUBL-2.02", "OIOUBL-2.1")

VAT_EXEMPTION_REASON = "Bevilling mellem offentlige myndigheder – uden for momsområdet"

# Deterministic UUIDs: the same document always gets the same cbc:UUID, so a resent
# document is recognisably the same one.
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://klyngefond.invalid/oioubl")


@dataclass(frozen=True)
class _Kind:
    """What differs between an Invoice and a CreditNote; everything else is shared."""

    root: str
    namespace: str
    line: str
    quantity: str
    xsd_file: str
    has_type_code: bool


_KINDS = {
    "invoice": _Kind("Invoice", INVOICE_NS, "InvoiceLine", "InvoicedQuantity", "UBL-Invoice-2.1.xsd", True),
    # OIOUBL 2.1 credit notes carry no type code (UBL 2.1's CreditNoteTypeCode is optional).
    "credit_note": _Kind(
        "CreditNote", CREDIT_NOTE_NS, "CreditNoteLine", "CreditedQuantity", "UBL-CreditNote-2.1.xsd", False
    ),
}
_KIND_BY_ROOT = {f"{{{k.namespace}}}{k.root}": name for name, k in _KINDS.items()}

_NS = {"cbc": CBC, "cac": CAC}


# --------------------------------------------------------------------------- building


def build_oioubl(doc: InvoiceDocument) -> bytes:
    """Return ``doc`` as an OIOUBL 2.1 ``Invoice`` or ``CreditNote``, UTF-8 encoded.

    Raises :class:`~klyngefond.documents.model.DocumentError` if the issuer or the
    recipient lacks an EAN number, a CVR number or an address.
    """
    doc.require_parties("ean", "cvr", "address")
    kind = _KINDS[doc.kind]
    root = etree.Element(f"{{{kind.namespace}}}{kind.root}", nsmap={None: kind.namespace, "cac": CAC, "cbc": CBC})
    _add_header(root, doc, kind)
    if doc.is_credit_note:
        _add_billing_reference(root, doc)
    _add_party(_cac(root, "AccountingSupplierParty"), doc.issuer)
    # The recipient's finance staff route an incoming e-invoice on a reference (Contact/ID);
    # the grant id is the reference both partners know.
    _add_party(_cac(root, "AccountingCustomerParty"), doc.recipient, reference=doc.grant_id)
    _add_payment_means(root, doc)
    _add_tax_total(root, doc.amount)
    _add_monetary_total(root, doc.amount)
    _add_line(root, doc, kind)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _cbc(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
    element.text = text
    return element


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _amount(parent: etree._Element, name: str, amount: Decimal) -> etree._Element:
    return _cbc(parent, name, json_amount(amount), currencyID="DKK")


def _add_header(root: etree._Element, doc: InvoiceDocument, kind: _Kind) -> None:
    _cbc(root, "UBLVersionID", UBL_VERSION)
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID, schemeAgencyID=OIOUBL_AGENCY, schemeID="urn:oioubl:id:profileid-1.6")
    _cbc(root, "ID", doc.number)
    _cbc(root, "CopyIndicator", "false")
    _cbc(root, "UUID", str(_document_uuid(doc)))
    _cbc(root, "IssueDate", doc.issue_date.isoformat())
    if kind.has_type_code:
        _cbc(
            root,
            "InvoiceTypeCode",
            "380",  # commercial invoice
            listAgencyID=OIOUBL_AGENCY,
            listID="urn:oioubl:codelist:invoicetypecode-1.2",
        )
    if doc.description:
        _cbc(root, "Note", doc.description)
    _cbc(root, "DocumentCurrencyCode", doc.currency)


def _document_uuid(doc: InvoiceDocument) -> uuid.UUID:
    return uuid.uuid5(_UUID_NAMESPACE, f"{doc.issuer.id}/{doc.kind}/{doc.number}")


def _add_billing_reference(root: etree._Element, doc: InvoiceDocument) -> None:
    reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
    _cbc(reference, "ID", doc.credited_invoice or "")
    if doc.credited_invoice_date is not None:
        _cbc(reference, "IssueDate", doc.credited_invoice_date.isoformat())


def _add_party(holder: etree._Element, party: Party, reference: str | None = None) -> None:
    assert party.ean and party.cvr and party.address  # guaranteed by require_parties
    company_id = f"DK{party.cvr}"
    node = _cac(holder, "Party")
    _cbc(node, "EndpointID", party.ean, schemeAgencyID=GS1_AGENCY, schemeID="GLN")
    _cbc(_cac(node, "PartyIdentification"), "ID", company_id, schemeID="DK:CVR")
    _cbc(_cac(node, "PartyName"), "Name", party.name)
    address = _cac(node, "PostalAddress")
    # StructuredLax: the street field holds street name and house number together.
    _cbc(
        address,
        "AddressFormatCode",
        "StructuredLax",
        listAgencyID=OIOUBL_AGENCY,
        listID="urn:oioubl:codelist:addressformatcode-1.1",
    )
    _cbc(address, "StreetName", party.address.street)
    _cbc(address, "CityName", party.address.city)
    _cbc(address, "PostalZone", party.address.postal_code)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.address.country)
    legal = _cac(node, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    _cbc(legal, "CompanyID", company_id, schemeID="DK:CVR")
    if reference:
        _cbc(_cac(node, "Contact"), "ID", reference)


def _add_payment_means(root: etree._Element, doc: InvoiceDocument) -> None:
    means = _cac(root, "PaymentMeans")
    payment = doc.payment
    if payment is None or not payment.has_account:
        # Code 1, "not defined": OIOUBL still wants the due date in PaymentMeans.
        _cbc(means, "PaymentMeansCode", "1")
        _cbc(means, "PaymentDueDate", doc.due_date.isoformat())
        return
    bic = None
    if payment.bank_account is not None:
        # OIOUBL: a Danish reg.nr./kontonr. is code 42 on channel DK:BANK; code 31 is
        # reserved for IBAN (with a BIC) in the OIOUBL payment-means rules.
        code, channel, account, branch = "42", "DK:BANK", payment.bank_account, payment.bank_reg
    else:
        code, channel, account, branch = "31", "IBAN", payment.iban or "", None
        bic = payment.bic
    _cbc(means, "PaymentMeansCode", code)
    _cbc(means, "PaymentDueDate", doc.due_date.isoformat())
    _cbc(
        means,
        "PaymentChannelCode",
        channel,
        listAgencyID=OIOUBL_AGENCY,
        listID="urn:oioubl:codelist:paymentchannelcode-1.1",
    )
    financial_account = _cac(means, "PayeeFinancialAccount")
    _cbc(financial_account, "ID", account)
    if branch is not None:
        _cbc(_cac(financial_account, "FinancialInstitutionBranch"), "ID", branch)
    elif bic is not None:
        # The bank of an IBAN is named by its BIC (SWIFT code), as OIOUBL requires for code 31.
        _cbc(_cac(_cac(financial_account, "FinancialInstitutionBranch"), "FinancialInstitution"), "ID", bic)


def _add_tax_total(parent: etree._Element, taxable: Decimal) -> None:
    """A zero TaxTotal: grants between public bodies are outside the scope of VAT.

    OIOUBL 2.1 has no "outside scope" tax category; ZeroRated with an exemption
    reason is how a zero-VAT amount is declared.
    """
    total = _cac(parent, "TaxTotal")
    _amount(total, "TaxAmount", ZERO)
    subtotal = _cac(total, "TaxSubtotal")
    _amount(subtotal, "TaxableAmount", taxable)
    _amount(subtotal, "TaxAmount", ZERO)
    category = _cac(subtotal, "TaxCategory")
    _cbc(category, "ID", "ZeroRated", schemeAgencyID=OIOUBL_AGENCY, schemeID="urn:oioubl:id:taxcategoryid-1.1")
    _cbc(category, "Percent", "0")
    _cbc(category, "TaxExemptionReason", VAT_EXEMPTION_REASON)
    scheme = _cac(category, "TaxScheme")
    _cbc(scheme, "ID", "63", schemeAgencyID=OIOUBL_AGENCY, schemeID="urn:oioubl:id:taxschemeid-1.1")
    _cbc(scheme, "Name", "Moms")


def _add_monetary_total(root: etree._Element, amount: Decimal) -> None:
    totals = _cac(root, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", amount)
    # OIOUBL reads TaxExclusiveAmount as the total of taxes (not the net amount as in
    # plain UBL); with no VAT that is 0.00.
    _amount(totals, "TaxExclusiveAmount", ZERO)
    _amount(totals, "TaxInclusiveAmount", amount)
    _amount(totals, "PayableAmount", amount)


def _add_line(root: etree._Element, doc: InvoiceDocument, kind: _Kind) -> None:
    line = _cac(root, kind.line)
    _cbc(line, "ID", "1")
    _cbc(line, kind.quantity, "1", unitCode="EA")
    _amount(line, "LineExtensionAmount", doc.amount)
    _add_tax_total(line, doc.amount)
    item = _cac(line, "Item")
    _cbc(item, "Description", _line_description(doc))
    _cbc(item, "Name", doc.grant_name)
    _cbc(_cac(item, "SellersItemIdentification"), "ID", doc.grant_id)
    _amount(_cac(line, "Price"), "PriceAmount", doc.amount)


def _line_description(doc: InvoiceDocument) -> str:
    # Danish, like the rest of the e-invoice: a Danish public body's finance staff read it.
    text = f"{doc.cluster_name}: bevilling {doc.grant_id} ({doc.grant_name})"
    decision = decision_text(doc, "da")
    return f"{text}, {decision}" if decision else text


# --------------------------------------------------------------------------- XSD validation


def default_xsd_dir() -> Path:
    """Where the UBL 2.1 XSDs are: ``$KLYNGEFOND_UBL_XSD_DIR``, else ``<repo>/../shared/ubl-2.1/xsd``.

    The directory must hold ``maindoc/`` and ``common/`` as distributed by OASIS.
    """
    override = os.environ.get("KLYNGEFOND_UBL_XSD_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared" / "ubl-2.1" / "xsd"


def validate_ubl(xml: bytes, xsd_dir: Path) -> list[str]:
    """Validate ``xml`` against the UBL 2.1 XSD for its root element; return the errors (empty if valid).

    Raises ``FileNotFoundError`` if ``xsd_dir`` lacks the schema, so a missing schema is
    never mistaken for a valid document.
    """
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    kind = _KIND_BY_ROOT.get(root.tag)
    if kind is None:
        return [f"root element {root.tag} is neither a UBL Invoice nor a UBL CreditNote"]
    schema = _schema(str(Path(xsd_dir).resolve()), kind)
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@functools.lru_cache(maxsize=8)
def _schema(xsd_dir: str, kind: str) -> etree.XMLSchema:
    # Parsing the UBL schema set takes about a second; do it once per directory and kind.
    path = Path(xsd_dir) / "maindoc" / _KINDS[kind].xsd_file
    if not path.is_file():
        raise FileNotFoundError(f"UBL 2.1 schema not found at {path}")
    return etree.XMLSchema(etree.parse(str(path)))


# --------------------------------------------------------------------------- OIOUBL rules


def check_oioubl_rules(xml: bytes) -> list[str]:
    """Check ``xml`` against the OIOUBL rules expressible here; return the violations (empty if none).

    Covered: UBLVersionID, CustomizationID, ProfileID and its agency, document ID and
    IssueDate, endpoint EANs (the customer's must be a GLN), the supplier's CVR, the
    customer reference, totals, currencies, and a credit note's invoice reference.
    """
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    kind = _KIND_BY_ROOT.get(root.tag)
    if kind is None:
        return [f"root element {root.tag} is neither an OIOUBL Invoice nor an OIOUBL CreditNote"]
    problems: list[str] = []
    for rule in _RULES:
        problems.extend(rule(root, kind))
    return problems


def _text(root: etree._Element, path: str) -> str | None:
    found = root.find(path, _NS)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def _rule_versions(root: etree._Element, kind: str) -> list[str]:
    problems = []
    version = _text(root, "cbc:UBLVersionID")
    if version not in ACCEPTED_UBL_VERSIONS:
        problems.append(f"UBLVersionID is {version!r}; OIOUBL accepts {' or '.join(ACCEPTED_UBL_VERSIONS)}")
    customization = _text(root, "cbc:CustomizationID")
    if customization not in ACCEPTED_CUSTOMIZATIONS:
        problems.append(
            f"CustomizationID is {customization!r}; OIOUBL accepts {', '.join(ACCEPTED_CUSTOMIZATIONS)}"
        )
    profile = root.find("cbc:ProfileID", _NS)
    if profile is None or not (profile.text or "").strip():
        problems.append("ProfileID is missing")
    elif profile.get("schemeAgencyID") != OIOUBL_AGENCY:
        problems.append(
            f"ProfileID schemeAgencyID is {profile.get('schemeAgencyID')!r}; OIOUBL requires {OIOUBL_AGENCY!r}"
        )
    return problems


def _rule_id_and_date(root: etree._Element, kind: str) -> list[str]:
    problems = []
    if _text(root, "cbc:ID") is None:
        problems.append("ID (the document number) is missing")
    issued = _text(root, "cbc:IssueDate")
    if issued is None:
        problems.append("IssueDate is missing")
    elif not _is_iso_date(issued):
        problems.append(f"IssueDate {issued!r} is not a valid date (YYYY-MM-DD)")
    return problems


def _is_iso_date(text: str) -> bool:
    # date.fromisoformat also accepts forms like 20261122; XML dates are YYYY-MM-DD only.
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _rule_endpoints(root: etree._Element, kind: str) -> list[str]:
    problems = []
    for role in ("AccountingSupplierParty", "AccountingCustomerParty"):
        endpoint = root.find(f"cac:{role}/cac:Party/cbc:EndpointID", _NS)
        if endpoint is None or not (endpoint.text or "").strip():
            problems.append(f"{role} has no EndpointID")
            continue
        scheme = endpoint.get("schemeID")
        if role == "AccountingCustomerParty" and scheme != "GLN":
            # Public bodies receive e-invoices at their EAN (GLN) number.
            problems.append(f"{role} EndpointID schemeID is {scheme!r}; a public customer is addressed by 'GLN'")
        if scheme == "GLN":
            try:
                normalize_ean(endpoint.text or "")
            except IdentifierError as exc:
                problems.append(f"{role} EndpointID: {exc}")
    return problems


def _rule_supplier_cvr(root: etree._Element, kind: str) -> list[str]:
    company = root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", _NS)
    if company is None or not (company.text or "").strip():
        return ["AccountingSupplierParty has no PartyLegalEntity/CompanyID (CVR)"]
    if company.get("schemeID") != "DK:CVR":
        return [f"supplier CompanyID schemeID is {company.get('schemeID')!r}; expected 'DK:CVR'"]
    try:
        normalize_cvr(company.text or "")
    except IdentifierError as exc:
        return [f"supplier CompanyID: {exc}"]
    return []


def _rule_customer_reference(root: etree._Element, kind: str) -> list[str]:
    if _text(root, "cac:AccountingCustomerParty/cac:Party/cac:Contact/cbc:ID") is None:
        return ["AccountingCustomerParty has no Contact/ID (the customer's reference)"]
    return []


def _rule_currencies(root: etree._Element, kind: str) -> list[str]:
    currency = _text(root, "cbc:DocumentCurrencyCode")
    if currency is None:
        return ["DocumentCurrencyCode is missing"]
    problems = []
    for element in root.iter():
        found = element.get("currencyID")
        if found is not None and found != currency:
            name = etree.QName(element).localname
            problems.append(f"{name} has currencyID {found!r} but DocumentCurrencyCode is {currency!r}")
    return problems


def _rule_totals(root: etree._Element, kind: str) -> list[str]:
    line_tag = _KINDS[kind].line
    try:
        lines = [_decimal(line, "cbc:LineExtensionAmount") for line in root.findall(f"cac:{line_tag}", _NS)]
        tax = sum((_decimal(total, "cbc:TaxAmount") for total in root.findall("cac:TaxTotal", _NS)), ZERO)
        totals = root.find("cac:LegalMonetaryTotal", _NS)
        if totals is None:
            return ["LegalMonetaryTotal is missing"]
        line_total = _decimal(totals, "cbc:LineExtensionAmount")
        payable = _decimal(totals, "cbc:PayableAmount")
        adjustments = (
            -_decimal(totals, "cbc:AllowanceTotalAmount", ZERO)
            + _decimal(totals, "cbc:ChargeTotalAmount", ZERO)
            - _decimal(totals, "cbc:PrepaidAmount", ZERO)
            + _decimal(totals, "cbc:PayableRoundingAmount", ZERO)
        )
    except _AmountMissing as exc:
        return [str(exc)]
    problems = []
    line_sum = sum(lines, ZERO)
    if line_total != line_sum:
        problems.append(
            f"LegalMonetaryTotal/LineExtensionAmount {json_amount(line_total)} "
            f"differs from the sum of the lines {json_amount(line_sum)}"
        )
    expected = line_sum + tax + adjustments
    if payable != expected:
        problems.append(
            f"PayableAmount {json_amount(payable)} differs from the lines plus tax {json_amount(expected)}"
        )
    return problems


class _AmountMissing(ValueError):
    pass


def _decimal(parent: etree._Element, path: str, default: Decimal | None = None) -> Decimal:
    """The amount at ``path``; ``default`` if it is absent, or :class:`_AmountMissing` without one."""
    text = _text(parent, path)
    if text is None:
        if default is not None:
            return default
        raise _AmountMissing(f"{etree.QName(parent).localname}/{path.split(':')[-1]} is missing")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise _AmountMissing(f"{path.split(':')[-1]} {text!r} is not an amount") from None
    if not value.is_finite():
        raise _AmountMissing(f"{path.split(':')[-1]} {text!r} is not an amount")
    return value


def _rule_credit_reference(root: etree._Element, kind: str) -> list[str]:
    if kind != "credit_note":
        return []
    if _text(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") is None:
        return ["a CreditNote must reference the invoice it credits (BillingReference/InvoiceDocumentReference/ID)"]
    return []


_RULES = (
    _rule_versions,
    _rule_id_and_date,
    _rule_endpoints,
    _rule_supplier_cvr,
    _rule_customer_reference,
    _rule_currencies,
    _rule_totals,
    _rule_credit_reference,
)
