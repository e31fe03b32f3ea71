"""The sentences a document says about itself, in its language: the line's description, the
decision it rests on, and (credit notes) the decision that caused it and how it is settled.

Shared by the e-invoices (always Danish: a Danish public body's finance staff read them)
and the PDF (in the language of the run); the words are the catalogue's (``invoices.doc_*``).
"""

from __future__ import annotations

from klyngefond.documents.model import Cause, InvoiceDocument, decision_text, long_date
from klyngefond.i18n import money, t


def cause_text(cause: Cause | None, lang: str) -> str:
    """``nedsættelse af bevillingen, besluttet på politisk niveau den 1. marts 2024`` (empty without a cause)."""
    if cause is None:
        return ""
    what = t(f"invoices.cause_{cause.kind}", lang)
    decided = decision_text(cause.decision, lang)
    words = f"{what}, {decided}" if decided else what
    if cause.reason:
        words = t("invoices.cause_with_reason", lang, cause=words, reason=cause.reason)
    return words


def line_description(doc: InvoiceDocument, lang: str) -> str:
    """What the line is for: the cluster, the grant and the decision it rests on; on a credit
    note, the invoice it credits and the decision that caused it. The Danish text of an issued
    document is the one it was sent with."""
    if lang == "da" and doc.line_text:
        return doc.line_text
    decision = decision_text(doc.decision, lang) or t("invoices.pdf_decision_not_recorded", lang)
    if not doc.is_credit_note:
        return t("invoices.doc_line_invoice", lang, cluster=doc.cluster_name, grant=doc.grant_id, name=doc.grant_name,
                 decision=decision)
    cause = cause_text(doc.cause, lang) or t("invoices.cause_split", lang)
    return t("invoices.doc_line_credit_note", lang, cluster=doc.cluster_name, invoice=doc.credited_invoice or "",
             grant=doc.grant_id, name=doc.grant_name, cause=cause)


def share_text(doc: InvoiceDocument, lang: str) -> str:
    """``114.285,71 kr. (fordelingsmodel: fast andel + forholdsmæssig rest)``: the recipient's share."""
    if doc.share is None:
        return ""
    model = t(f"words.model_{doc.model}", lang) if doc.model else t("invoices.pdf_not_recorded", lang)
    return t("invoices.doc_share", lang, share=_kr(doc.share), model=model)


def settlement_text(doc: InvoiceDocument, lang: str) -> str:
    """How a credit note is settled: set off against the open amount of the invoice it credits,
    refunded because that invoice was paid, or both."""
    parts = []
    invoice = doc.credited_invoice or ""
    if doc.set_off:
        parts.append(t("invoices.settle_set_off", lang, amount=_kr(doc.set_off), invoice=invoice))
    if doc.refund:
        parts.append(t("invoices.settle_refund", lang, amount=_kr(doc.refund), invoice=invoice, issuer=doc.issuer.name))
    return " ".join(parts)


def credited_text(doc: InvoiceDocument, lang: str) -> str:
    """``KTH-2024-0004 af 1. maj 2024``."""
    text = doc.credited_invoice or ""
    if doc.credited_invoice_date is not None:
        text += " " + t("invoices.pdf_of_date", lang) + " " + long_date(doc.credited_invoice_date, lang)
    return text


def _kr(amount: object) -> str:
    # Amounts on documents are written the Danish way in both languages, so the two renderings
    # of one document show the same figure.
    return money(amount, "da")  # type: ignore[arg-type]
