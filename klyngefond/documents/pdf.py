"""Invoice and credit-note PDFs that a person can read, approve and file.

The PDF carries the same facts as the e-invoice: both parties with address, CVR and EAN, the
number and dates, the recipient's reference, the cluster, the grant and the decision it rests
on (level, body, date, case reference), the grant total, the recipient's share and the
financing model, the amount and the VAT statement; an invoice says where and by when to pay,
a credit note the decision that caused it and how it is settled (and asks for no payment).

It is set with Typst (the ``typst`` wheel) from ``templates/invoice.typ`` as PDF/A-3b, with
the e-invoice XML attached, in Libertinus Serif (bundled in the wheel and embedded in the
PDF; system fonts are ignored, so every machine gives the same bytes). The data go to the
template as one JSON string, never into Typst source. The creation date is the issue date,
so the same document always gives the same bytes.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timezone
from decimal import Decimal
from typing import Any

from klyngefond.core.records import Address
from klyngefond.documents.model import LANGUAGES, DocumentError, InvoiceDocument, Party, decision_text, long_date
from klyngefond.documents.words import cause_text, credited_text, settlement_text, share_text
from klyngefond.i18n import has_message, money, t

_LONG_WORD = re.compile(r"\S{25,}")
_VERBATIM_KEYS = ("lang", "region", "meta", "attachment")  # metadata and file names: never broken
ZERO_WIDTH_SPACE = "\u200b"


class PdfError(ValueError):
    """Typst could not set the document; ``detail`` is its diagnostic (English)."""

    def __init__(self, number: str, detail: str) -> None:
        super().__init__(f"{number}: {detail}")
        self.number = number
        self.detail = detail


def danish_amount(amount: Decimal) -> str:
    """``Decimal("1874400")`` → ``"1.874.400,00 kr."``."""
    return money(amount, "da")


def label(key: str, lang: str, kind: str | None = None) -> str:
    """The PDF label ``key`` in ``lang``, or its invoice/credit-note variant when there is one."""
    if kind is not None and has_message(f"invoices.pdf_{key}_{kind}"):
        return t(f"invoices.pdf_{key}_{kind}", lang)
    return t(f"invoices.pdf_{key}", lang)


def render_pdf(doc: InvoiceDocument, lang: str = "da", xml: bytes | None = None) -> bytes:
    """Render ``doc`` as an A4 PDF/A-3b in Danish (``lang="da"``) or English (``"en"``), with
    ``xml`` (the e-invoice) attached when given.

    The words are the catalogue's (``invoices.pdf_*``). Amounts are written the Danish way
    in both languages (``1.874.400,00 kr.``), so the two renderings of one document show the
    same figure. Raises :class:`~klyngefond.documents.model.DocumentError` if the issuer or
    the recipient lacks a CVR number or an address, and :class:`PdfError` if Typst cannot
    set it.
    """
    from klyngefond.render.typst_engine import RenderError, compile_pdf

    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    doc.require_parties("cvr", "address")
    data = _breakable(pdf_data(doc, lang))
    inputs = {"xml": xml.decode("utf-8")} if xml is not None else {}
    try:
        return compile_pdf("invoice.typ", data, standard="a-3b", inputs=inputs, package="klyngefond.documents",
                           timestamp=datetime.combine(doc.issue_date, time(0, 0), tzinfo=timezone.utc))
    except RenderError as exc:
        raise PdfError(doc.number, exc.reason) from None


def pdf_data(doc: InvoiceDocument, lang: str) -> dict[str, Any]:
    """Everything the template prints, as strings in ``lang``."""
    kind = doc.kind
    data: dict[str, Any] = {
        "lang": lang,
        "region": "DK" if lang == "da" else "GB",
        "title": label(kind, lang),
        "number_label": label("number", lang, kind),
        "number": doc.number,
        "meta": {"title": f"{label(kind, lang)} {doc.number}", "author": doc.issuer.name,
                 "keywords": [doc.cluster_name, doc.grant_id]},
        "from_label": label("from", lang),
        "to_label": label("to", lang),
        "seller": _party(doc.issuer),
        "buyer": _party(doc.recipient),
        "facts": _facts(doc, lang),
        "lines_header": [label("description", lang), label("amount", lang)],
        "lines": [[_line_text(doc), danish_amount(doc.amount)]],
        "total_label": label("total", lang),
        "total": danish_amount(doc.amount),
        "vat": label("vat", lang),
        "sections": _sections(doc, lang),
        "footer": " · ".join(part for part in (doc.issuer.name, f"CVR {doc.issuer.cvr}",
                                               f"EAN {doc.issuer.ean}" if doc.issuer.ean else "") if part),
        "page_word": label("page", lang),
        "of_word": label("page_of", lang),
        "attachment": {
            "name": f"{doc.number}.xml",
            "description": t(f"invoices.pdf_attachment_{doc.einvoice_format}_{kind}", lang),
        },
    }
    return data


def _party(party: Party) -> dict[str, Any]:
    lines = _address_lines(party.address) if party.address else []
    lines.append(f"CVR {party.cvr}")
    if party.ean:
        lines.append(f"EAN {party.ean}")
    return {"name": party.name, "lines": lines}


def _address_lines(address: Address) -> list[str]:
    lines = [address.street, f"{address.postal_code} {address.city}"]
    if address.country != "DK":
        lines.append(address.country)
    return lines


def _facts(doc: InvoiceDocument, lang: str) -> list[list[str]]:
    kind = doc.kind
    rows = [[label("issue_date", lang, kind), long_date(doc.issue_date, lang)]]
    if doc.due_date is not None:
        rows.append([label("due_date", lang), long_date(doc.due_date, lang)])
    if doc.is_credit_note:
        rows.append([label("credits", lang), credited_text(doc, lang)])
    rows += [
        [label("reference", lang), doc.buyer_reference],
        [label("cluster", lang), doc.cluster_name],
        [label("grant", lang), f"{doc.grant_name} ({doc.grant_id})"],
        [label("decision", lang), _capital(decision_text(doc.decision, lang)) or label("not_recorded", lang)],
    ]
    if doc.is_credit_note:
        rows.append([label("cause", lang), _capital(cause_text(doc.cause, lang) or t("invoices.cause_split", lang))])
    if doc.grant_total is not None:
        rows.append([label("grant_total", lang), danish_amount(doc.grant_total)])
    if doc.share is not None:
        rows.append([label("share", lang), share_text(doc, lang)])
    if doc.invoiced_before:
        rows.append([label("invoiced_before", lang), danish_amount(doc.invoiced_before)])
    return rows


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _line_text(doc: InvoiceDocument) -> str:
    lines = [f"{doc.grant_name} ({doc.grant_id})"]
    if doc.description:
        lines.append(doc.description)
    return "\n".join(lines)


def _sections(doc: InvoiceDocument, lang: str) -> list[dict[str, Any]]:
    if doc.is_credit_note:
        words = settlement_text(doc, lang) or t("invoices.settle_unknown", lang, invoice=doc.credited_invoice or "")
        return [{"title": label("settlement", lang), "lines": [words, t("invoices.pdf_no_payment", lang)]}]
    lines = []
    try:
        transfer = doc.transfer()
    except DocumentError:
        transfer = None  # the e-invoice refuses these details; the PDF is never written without it
    if transfer is not None and transfer.code == "42":
        lines.append(f"{label('reg', lang)} {transfer.branch} · {label('account', lang)} {transfer.account}")
        if transfer.from_iban and doc.payment is not None:
            lines.append(f"(IBAN {doc.payment.iban})")
    elif transfer is not None:
        lines.append(f"IBAN {transfer.account} · BIC {transfer.bic}")
    else:
        lines.append(label("no_account", lang))
    assert doc.due_date is not None
    lines.append(f"{label('pay_by', lang)} {long_date(doc.due_date, lang)}")
    lines.append(t("invoices.pdf_state_number", lang, number=doc.number))
    if doc.payment is not None and doc.payment.note:
        lines.append(doc.payment.note)
    return [{"title": label("payment", lang), "lines": lines}]


def _breakable(value: Any) -> Any:
    """Every string with a zero-width space in each run of 25 or more non-space characters.

    Typst never breaks a word wider than its column (it would run over the amount column and
    off the page); the zero-width space is a break opportunity that is invisible and absent
    from the PDF's extracted text. Ordinary words are untouched.
    """
    if isinstance(value, str):
        return _LONG_WORD.sub(lambda m: ZERO_WIDTH_SPACE.join(m[0][i:i + 20] for i in range(0, len(m[0]), 20)), value)
    if isinstance(value, list):
        return [_breakable(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in _VERBATIM_KEYS else _breakable(v)) for k, v in value.items()}
    return value


__all__ = ["PdfError", "danish_amount", "label", "pdf_data", "render_pdf"]
