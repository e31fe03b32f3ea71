"""Documents for the tests: two fictional Danish public bodies, every payment kind, both kinds and formats.

Imported by the document tests (``from documents_factory import …``); not a test module.
"""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from stdnum import ean

from klyngefond.core.records import Address
from klyngefond.documents.model import Cause, Decided, InvoiceDocument, Party, PaymentDetails
from klyngefond.documents.ubl import CAC, CBC, default_xsd_dir

NS = {"cac": CAC, "cbc": CBC}

ESBJERG_EAN = "579800000000" + ean.calc_check_digit("579800000000")
VEJEN_EAN = "579800000001" + ean.calc_check_digit("579800000001")
VEJEN_NAME = "Vejen Kommune – Økonomi og Løn"

ESBJERG = Party(id="esbjerg", name="Esbjerg Kommune, Sundhed & Omsorg", cvr="29189846", ean=ESBJERG_EAN,
                address=Address("Torvegade 74", "6700", "Esbjerg"))
VEJEN = Party(id="vejen", name=VEJEN_NAME, cvr="29189641",  # passes the modulus-11 check; a test value
              ean=VEJEN_EAN, address=Address("Rådhuspassagen 3", "6600", "Vejen"))

DANISH_ACCOUNT = PaymentDetails(bank_reg="1234", bank_account="0001234567", iban=None, note="Anfør fakturanummer")
IBAN_WITH_BIC = PaymentDetails(bank_reg=None, bank_account=None, iban="DK50 0040 0440 1162 43", note=None, bic="NDEADKKK")
DANISH_IBAN = PaymentDetails(bank_reg=None, bank_account=None, iban="DK5000400440116243", note=None)
PAYMENTS = {"reg-konto": DANISH_ACCOUNT, "iban-bic": IBAN_WITH_BIC, "danish-iban": DANISH_IBAN}
KINDS = ("invoice", "credit_note")
FORMATS = ("oioubl", "peppol")
DECISION = Decided("politisk", date(2023, 3, 14), "Klyngestyregruppen", "Sag 24/00123, punkt 7")
REDUCTION = Cause("reduction", Decided("politisk", date(2023, 9, 1), "Klyngestyregruppen", "Sag 24/00456, punkt 3"))


def make_doc(kind: str = "invoice", payment: PaymentDetails | None = DANISH_ACCOUNT, **changes: object) -> InvoiceDocument:
    """A grant share from Esbjerg (owner) to Vejen; a credit note carries no payment details."""
    credit = kind == "credit_note"
    fields: dict[str, object] = dict(
        kind=kind,
        number="ESB-2023-0011" if credit else "ESB-2023-0004",
        issue_date=date(2023, 9, 5) if credit else date(2023, 5, 1),
        due_date=None if credit else date(2023, 5, 31),
        issuer=ESBJERG,
        recipient=VEJEN,
        cluster_name="Sundhedsklynge Sydvestjylland",
        grant_id="kom-trygt-hjem",
        grant_name="Kom Trygt Hjem – udskrivning af ældre",
        decision=DECISION,
        amount=Decimal("50000.00") if credit else Decimal("231631.55"),
        buyer_reference="Vejen Økonomi, att. 4410",
        payment=None if credit else payment,
        credited_invoice="ESB-2023-0004" if credit else None,
        credited_invoice_date=date(2023, 5, 1) if credit else None,
        description="Vejens andel efter fordelingsnøglen",
        grant_total=Decimal("1874400.00"),
        share=Decimal("181631.55") if credit else Decimal("231631.55"),
        invoiced_before=Decimal("231631.55") if credit else Decimal("0.00"),
        model="fixed-plus-pro-rata",
        cause=REDUCTION if credit else None,
        set_off=Decimal("20000.00") if credit else None,
        refund=Decimal("30000.00") if credit else None,
    )
    fields.update(changes)
    return InvoiceDocument(**fields)  # type: ignore[arg-type]


def schema_dir() -> Path:
    """The UBL 2.1 schema folder; the test is skipped (saying why) when it is absent, and fails in CI."""
    directory = default_xsd_dir()
    schema = directory / "maindoc" / "UBL-Invoice-2.1.xsd"
    if not schema.is_file():
        message = (f"UBL 2.1 XSD not found at {schema} (it lives in ../shared/ubl-2.1 beside the repository; "
                   "or set KLYNGEFOND_UBL_XSD_DIR)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return directory


def text_at(root: etree._Element, path: str) -> str | None:
    found = root.find(path, NS)
    return None if found is None else found.text
