"""Invoice and credit-note PDFs that a person can read, approve and file.

The PDF carries the same facts as the OIOUBL document (``oioubl.py``): both parties with
address, CVR and EAN, the number and dates, the cluster, the grant and the decision it
rests on, the amount, the VAT statement and where to pay.

Text is set in the PDF core font Helvetica, which needs no font file and covers Danish
letters; the core fonts are declared WinAnsiEncoding, so text is encoded as cp1252.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from klyngefond.core.records import Address
from klyngefond.documents.model import LANGUAGES, InvoiceDocument, Party, decision_text, long_date
from klyngefond.i18n import has_message, money, t

PAGE_WIDTH = 210.0  # A4, mm
MARGIN = 20.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
LINE = 5.5  # line height for 10 pt text, mm
LABEL_WIDTH = 45.0
AMOUNT_WIDTH = 45.0
FONT = "Helvetica"


def danish_amount(amount: Decimal) -> str:
    """``Decimal("1874400")`` → ``"1.874.400,00 kr."``."""
    return money(amount, "da")


def render_pdf(doc: InvoiceDocument, lang: str = "da") -> bytes:
    """Render ``doc`` as an A4 PDF in Danish (``lang="da"``) or English (``"en"``).

    The words are the catalogue's (``invoices.pdf_*``). Amounts are written the Danish way
    in both languages (``1.874.400,00 kr.``), so the two renderings of one document show the
    same figure. The output is reproducible: the PDF creation date is the issue date, so
    the same document gives the same bytes. Raises
    :class:`~klyngefond.documents.model.DocumentError` if the issuer or the recipient lacks
    a CVR number or an address.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    doc.require_parties("cvr", "address")
    page = _Page(doc, lang)
    page.title()
    page.parties()
    page.facts()
    page.amount_table()
    page.vat_statement()
    page.payment()
    return bytes(page.pdf.output())


def label(key: str, lang: str, kind: str | None = None) -> str:
    """The PDF label ``key`` in ``lang``, or its invoice/credit-note variant when there is one."""
    if kind is not None and has_message(f"invoices.pdf_{key}_{kind}"):
        return t(f"invoices.pdf_{key}_{kind}", lang)
    return t(f"invoices.pdf_{key}", lang)


@dataclass
class _Page:
    """One document being laid out; each method writes one section, top to bottom."""

    doc: InvoiceDocument
    lang: str

    def __post_init__(self) -> None:
        self.pdf = _new_pdf(self.doc, self.lang)

    def label(self, key: str) -> str:
        """The label for ``key``, or its invoice/credit-note variant when there is one."""
        return label(key, self.lang, self.doc.kind)

    def write(self, text: str, width: float = 0, *, bold: bool = False, size: float = 10, align: str = "L") -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.multi_cell(width, LINE * size / 10, _printable(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def gap(self, height: float = LINE) -> None:
        self.pdf.ln(height)

    def title(self) -> None:
        self.write(self.label(self.doc.kind), bold=True, size=20)
        self.write(f"{self.label('number')} {self.doc.number}", size=11)
        self.gap()

    def parties(self) -> None:
        column = CONTENT_WIDTH / 2
        top = self.pdf.get_y()
        bottoms = []
        for index, (key, party) in enumerate((("from", self.doc.issuer), ("to", self.doc.recipient))):
            self.pdf.set_xy(MARGIN + index * column, top)
            self.pdf.set_font(FONT, "B", 9)
            self.pdf.multi_cell(column - 5, LINE, _printable(self.label(key).upper()), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.pdf.set_font(FONT, "B", 10)
            self.pdf.multi_cell(column - 5, LINE, _printable(party.name), new_x=XPos.LEFT, new_y=YPos.NEXT)
            self.pdf.set_font(FONT, "", 10)
            self.pdf.multi_cell(column - 5, LINE, _printable(_party_lines(party)), new_x=XPos.LEFT, new_y=YPos.NEXT)
            bottoms.append(self.pdf.get_y())
        self.pdf.set_xy(MARGIN, max(bottoms))
        self.gap()

    def facts(self) -> None:
        doc = self.doc
        rows = [
            (self.label("issue_date"), long_date(doc.issue_date, self.lang)),
            (self.label("due_date"), long_date(doc.due_date, self.lang)),
        ]
        if doc.is_credit_note:
            rows.append((self.label("credits"), self._credited_invoice()))
        rows += [
            (self.label("cluster"), doc.cluster_name),
            (self.label("grant"), f"{doc.grant_name} ({doc.grant_id})"),
            (self.label("decision"), decision_text(doc, self.lang) or self.label("not_recorded")),
        ]
        for name, value in rows:
            self.pdf.set_font(FONT, "B", 10)
            self.pdf.cell(LABEL_WIDTH, LINE, _printable(name))
            self.write(value, CONTENT_WIDTH - LABEL_WIDTH)
        self.gap()

    def _credited_invoice(self) -> str:
        text = self.doc.credited_invoice or ""
        if self.doc.credited_invoice_date is not None:
            text += f" {self.label('of_date')} {long_date(self.doc.credited_invoice_date, self.lang)}"
        return text

    def amount_table(self) -> None:
        pdf = self.pdf
        text_width = CONTENT_WIDTH - AMOUNT_WIDTH
        pdf.set_font(FONT, "B", 10)
        pdf.cell(text_width, LINE + 1, _printable(self.label("description")), border="B")
        pdf.cell(AMOUNT_WIDTH, LINE + 1, _printable(self.label("amount")), border="B", align="R",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        top = pdf.get_y()
        pdf.multi_cell(text_width, LINE, _printable(self._line_text()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = pdf.get_y()
        pdf.set_xy(MARGIN + text_width, top)
        pdf.cell(AMOUNT_WIDTH, LINE, danish_amount(self.doc.amount), align="R")
        pdf.set_xy(MARGIN, bottom)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(text_width, LINE + 2, _printable(self.label("total")), border="T")
        pdf.cell(AMOUNT_WIDTH, LINE + 2, danish_amount(self.doc.amount), border="T", align="R",
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.gap()

    def _line_text(self) -> str:
        lines = [f"{self.doc.grant_name} ({self.doc.grant_id})"]
        if self.doc.description:
            lines.append(self.doc.description)
        return "\n".join(lines)

    def vat_statement(self) -> None:
        self.write(self.label("vat"))
        self.gap()

    def payment(self) -> None:
        self.write(self.label("payment"), bold=True)
        payment = self.doc.payment
        lines = []
        if payment is not None and payment.bank_account is not None:
            lines.append(f"{self.label('reg')} {payment.bank_reg}   {self.label('account')} {payment.bank_account}")
        if payment is not None and payment.iban is not None:
            lines.append(f"IBAN {payment.iban}" + (f"   BIC {payment.bic}" if payment.bic else ""))
        if not lines:
            lines.append(self.label("no_account"))
        lines.append(f"{self.label('pay_by')} {long_date(self.doc.due_date, self.lang)}")
        if payment is not None and payment.note:
            lines.append(payment.note)
        self.write("\n".join(lines))


def _new_pdf(doc: InvoiceDocument, lang: str) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    # The core fonts are declared WinAnsiEncoding; cp1252 also covers – “ ” € that latin-1 lacks.
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    title = f"{label(doc.kind, lang)} {doc.number}"
    pdf.set_title(_printable(title))
    pdf.set_author(_printable(doc.issuer.name))
    pdf.set_subject(_printable(f"{doc.cluster_name}: {doc.grant_name}"))
    pdf.set_creator("klyngefond")
    pdf.set_lang(lang)
    # A fixed creation date (the issue date) makes the bytes, and the PDF /ID, reproducible.
    pdf.set_creation_date(datetime.combine(doc.issue_date, time(0, 0), tzinfo=timezone.utc))
    pdf.add_page()
    return pdf


def _party_lines(party: Party) -> str:
    lines = _address_lines(party.address) if party.address else []
    lines.append(f"CVR {party.cvr}")
    if party.ean:
        lines.append(f"EAN {party.ean}")
    return "\n".join(lines)


def _address_lines(address: Address) -> list[str]:
    lines = [address.street, f"{address.postal_code} {address.city}"]
    if address.country != "DK":
        lines.append(address.country)
    return lines


def _printable(text: str) -> str:
    # Characters outside cp1252 cannot be drawn in a core font; show "?" rather than fail
    # to produce the invoice. Danish, Nordic and German letters are all inside cp1252.
    return text.encode("cp1252", errors="replace").decode("cp1252")
