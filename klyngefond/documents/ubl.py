"""What the two e-invoice formats share: UBL 2.1 elements, the XSD check and the rule checker.

OIOUBL 2.1 (``oioubl.py``) and Peppol BIS Billing 3.0 (``peppol.py``) are both UBL 2.1
``Invoice`` and ``CreditNote`` documents. Elements must be appended in the order of the UBL
2.1 XSD sequences (the schema refuses any other order), so each builder writes its children
in schema order. :func:`validate_ubl` checks a document against the UBL 2.1 XSD;
:class:`Rule` is one business rule of a format, named by its official id, and
:func:`check_rules` runs a format's rules over a document.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from klyngefond.core.money import json_amount

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS = {"cbc": CBC, "cac": CAC}

VAT_EXEMPTION_REASON = "Bevilling mellem offentlige myndigheder – uden for momsområdet"
"""Why no VAT is charged, in the e-invoice's language (Danish): grants between public
authorities acting as such are outside the scope of VAT."""


@dataclass(frozen=True)
class Kind:
    """What differs between an Invoice and a CreditNote; everything else is shared."""

    name: str
    root: str
    namespace: str
    line: str
    quantity: str
    xsd_file: str


KINDS = {
    "invoice": Kind("invoice", "Invoice", INVOICE_NS, "InvoiceLine", "InvoicedQuantity", "UBL-Invoice-2.1.xsd"),
    "credit_note": Kind("credit_note", "CreditNote", CREDIT_NOTE_NS, "CreditNoteLine", "CreditedQuantity",
                        "UBL-CreditNote-2.1.xsd"),
}
KIND_BY_ROOT = {f"{{{k.namespace}}}{k.root}": name for name, k in KINDS.items()}


# --------------------------------------------------------------------------- building


def new_root(kind: Kind) -> etree._Element:
    return etree.Element(f"{{{kind.namespace}}}{kind.root}", nsmap={None: kind.namespace, "cac": CAC, "cbc": CBC})


def cbc(parent: etree._Element, name: str, text: str, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
    element.text = text
    return element


def cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def amount(parent: etree._Element, name: str, value: Decimal, currency: str = "DKK") -> etree._Element:
    return cbc(parent, name, json_amount(value), currencyID=currency)


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


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
    kind = KIND_BY_ROOT.get(root.tag)
    if kind is None:
        return [f"root element {root.tag} is neither a UBL Invoice nor a UBL CreditNote"]
    schema = _schema(str(Path(xsd_dir).resolve()), kind)
    if schema.validate(root):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]


@functools.lru_cache(maxsize=8)
def _schema(xsd_dir: str, kind: str) -> etree.XMLSchema:
    # Parsing the UBL schema set takes about a second; do it once per directory and kind.
    path = Path(xsd_dir) / "maindoc" / KINDS[kind].xsd_file
    if not path.is_file():
        raise FileNotFoundError(f"UBL 2.1 schema not found at {path}")
    return etree.XMLSchema(etree.parse(str(path)))


# --------------------------------------------------------------------------- rules


class Doc:
    """A parsed document as the rules read it: the root, its kind, and small finders."""

    def __init__(self, root: etree._Element, kind: str) -> None:
        self.root = root
        self.kind = kind
        self.k = KINDS[kind]

    @property
    def is_invoice(self) -> bool:
        return self.kind == "invoice"

    def find(self, path: str, at: etree._Element | None = None) -> etree._Element | None:
        return (self.root if at is None else at).find(path, NS)

    def findall(self, path: str, at: etree._Element | None = None) -> list[etree._Element]:
        return (self.root if at is None else at).findall(path, NS)

    def text(self, path: str, at: etree._Element | None = None) -> str | None:
        """The stripped text at ``path``, or ``None`` when the element is absent or empty."""
        found = self.find(path, at)
        if found is None or found.text is None or not found.text.strip():
            return None
        return found.text.strip()

    def lines(self) -> list[etree._Element]:
        return self.findall(f"cac:{self.k.line}")

    def parties(self) -> Iterator[tuple[str, etree._Element]]:
        """``(role, Party element)`` for the supplier and the customer that have one."""
        for role in ("AccountingSupplierParty", "AccountingCustomerParty"):
            party = self.find(f"cac:{role}/cac:Party")
            if party is not None:
                yield role, party


Check = Callable[[Doc], Iterable[str]]


@dataclass(frozen=True)
class Rule:
    """One business rule of a format: its official ``id`` (several ids when the official rule
    set states the same requirement more than once), what it ``requires`` (for the docs),
    the document kinds it applies to, and the check, which yields a message per violation."""

    id: str
    requires: str
    check: Check
    kinds: tuple[str, ...] = ("invoice", "credit_note")


INVOICE_ONLY = ("invoice",)  # Rule.kinds of a rule for invoices only
CREDIT_NOTE_ONLY = ("credit_note",)


def check_rules(xml: bytes, rules: Iterable[Rule], format_name: str, root_rule: str) -> list[str]:
    """Every violation of ``rules`` in ``xml`` as ``"[RULE-ID] message"``; empty when it passes.

    Input that is no UBL Invoice or CreditNote at all is reported under ``root_rule``.
    """
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        return [f"[{root_rule}] not well-formed XML: {exc}"]
    kind = KIND_BY_ROOT.get(root.tag)
    if kind is None:
        return [f"[{root_rule}] root element {root.tag} is neither a {format_name} Invoice nor a {format_name} CreditNote"]
    doc = Doc(root, kind)
    problems: list[str] = []
    for rule in rules:
        if kind in rule.kinds:
            problems.extend(f"[{rule.id}] {message}" for message in rule.check(doc))
    return problems


def is_iso_date(text: str) -> bool:
    """``YYYY-MM-DD`` and a real date (``date.fromisoformat`` also accepts ``20261122``)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


class AmountProblem(ValueError):
    """An amount a rule needs is missing or not a number."""


def decimal_at(doc: Doc, path: str, at: etree._Element | None = None, default: Decimal | None = None) -> Decimal:
    """The amount at ``path``; ``default`` if absent, or :class:`AmountProblem` without one."""
    text = doc.text(path, at)
    name = path.split(":")[-1]
    if text is None:
        if default is not None:
            return default
        raise AmountProblem(f"{name} is missing")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise AmountProblem(f"{name} {text!r} is not an amount") from None
    if not value.is_finite():
        raise AmountProblem(f"{name} {text!r} is not an amount")
    return value


def decimals(text: str) -> int:
    """How many digits ``text`` has after its decimal point."""
    return len(text.partition(".")[2])


def amount_elements(doc: Doc) -> Iterator[etree._Element]:
    """Every element that carries a ``currencyID`` (every amount)."""
    for element in doc.root.iter():
        if isinstance(element.tag, str) and element.get("currencyID") is not None:
            yield element


def local(element: etree._Element) -> str:
    return etree.QName(element).localname
