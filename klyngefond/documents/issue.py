"""From the ledger's issued invoices to documents on disk: checks, what an invoice was issued
with, e-invoice (OIOUBL or Peppol) and PDF, progress bar.

Imported only by commands that issue or write documents; it brings in stdnum, and (inside
:func:`write_documents`) lxml and typst. Every word a person reads comes from the message
catalogue (``invoices.*``); the e-invoice itself is always in Danish, the PDF in the language
of the run.

An invoice issued by this version carries what its documents say (``Invoice.issued_as``,
made by :func:`issued_as` when it is issued): the parties, the payment details, the grant,
the decision and, on a credit note, its cause and settlement. Its documents are rendered
from that alone, so writing them again gives the same bytes, whatever changed in the cluster
file since. Invoices issued before have no such record; theirs are rendered from the cluster
file as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Decision, Invoice, IssuedAs, IssuedCause, IssuedParty, Partner
from klyngefond.documents.model import (
    Cause,
    Decided,
    DocumentError,
    InvoiceDocument,
    Party,
    PaymentDetails,
    PaymentError,
)
from klyngefond.i18n import Message, Verbatim, t
from klyngefond.journal.model import Journal

ZERO = Decimal("0.00")
DEFAULT_FORMAT = "oioubl"


def partner_key(ledger: Ledger, partner_id: str, field: str) -> str:
    """``partners[3] (vejen).ean``: the key to fill in, as the loader's messages name keys."""
    index = next(i for i, p in enumerate(ledger.cluster.partners, start=1) if p.id == partner_id)
    return f"partners[{index}] ({partner_id}).{field}"


def party_problems(ledger: Ledger, issuers: Iterable[str], recipients: Iterable[str]) -> list[Message]:
    """What stops documents between these partners, one message each naming the file and key.

    Every party needs a CVR number, an EAN number and an address (the e-invoice addresses
    both parties by EAN); an issuer also needs payment details that an e-invoice can carry:
    a reg.nr./kontonr., or an IBAN with the bank's BIC (a Danish IBAN without a BIC is sent
    as the reg.nr./kontonr. it contains). Invalid numbers are named too.
    """
    from klyngefond.render.problems import shown_path

    cluster_file = Verbatim(shown_path(ledger.folder / "cluster.toml"))
    issuers = list(dict.fromkeys(issuers))
    needs: dict[str, list[str]] = {}
    for pid in [*issuers, *recipients]:
        needs.setdefault(pid, ["cvr", "ean", "address"])
    for pid in issuers:
        if "payment" not in needs[pid]:
            needs[pid].append("payment")
    problems: list[Message] = []
    for pid, fields in needs.items():
        partner = ledger.cluster.partner(pid)
        assert partner is not None  # the loader checked every id
        name = Verbatim(partner.name)
        for field in fields:
            if getattr(partner, field) is None:
                problems.append(Message("invoices.party_missing", partner=name, id=pid, what=Message(f"invoices.party_lacks_{field}"),
                                        key=Verbatim(partner_key(ledger, pid, field)), file=cluster_file,
                                        example=Message(f"invoices.example_{field}")))
        try:
            party(partner)
        except DocumentError as exc:
            problems.append(Message("invoices.party_invalid", partner=name, id=pid, problem=exc.reason,
                                    key=Verbatim(partner_key(ledger, pid, exc.field)), file=cluster_file))
        if "payment" not in fields:
            continue  # a recipient's own account is not on the documents it receives
        problem = payment_problem(ledger, partner, cluster_file)
        if problem is not None:
            problems.append(problem)
    return problems


def payment_problem(ledger: Ledger, partner: Partner, cluster_file: Verbatim) -> Message | None:
    """Why ``partner``'s payment details cannot go on an e-invoice, naming the key; ``None`` if they can."""
    name = Verbatim(partner.name)
    try:
        details = payment_details(partner)
        if details is not None:
            details.transfer()
    except PaymentError as exc:
        key = Verbatim(partner_key(ledger, partner.id, f"payment.{exc.field}" if exc.field else "payment"))
        if exc.field == "bic" and partner.payment is not None and partner.payment.bic is None:
            return Message("invoices.party_missing", partner=name, id=partner.id, what=Message("invoices.party_lacks_bic"),
                           key=key, file=cluster_file, example=Message("invoices.example_bic"))
        return Message("invoices.party_invalid", partner=name, id=partner.id, problem=exc.message, key=key, file=cluster_file)
    return None


def party(partner: Partner) -> Party:
    return Party(id=partner.id, name=partner.name, cvr=partner.cvr, ean=partner.ean, address=partner.address)


def payment_details(partner: Partner) -> PaymentDetails | None:
    payment = partner.payment
    if payment is None:
        return None
    return PaymentDetails(payment.bank_reg, payment.bank_account, payment.iban, payment.note, payment.bic)


def einvoice_format(partner: Partner | None, chosen: str | None = None) -> str:
    """The e-invoice format of a document to ``partner``: ``chosen`` (the command's option), else
    the partner's ``invoice_format``, else OIOUBL."""
    return chosen or (partner.invoice_format if partner is not None else None) or DEFAULT_FORMAT


# --------------------------------------------------------------------------- what an invoice is issued with


def issued_as(ledger: Ledger, journal: Journal, *, kind: str, grant_id: str, issuer_id: str, recipient_id: str,
              amount: Decimal, credits: str | None, cause: str | None, on: dt.date, chosen_format: str | None) -> IssuedAs:
    """What a document about to be issued on ``on`` says, from the cluster file and the journal as they stand.

    ``journal`` must hold every document issued before this one (also those of the same run),
    so that what was invoiced before and, on a credit note, what is still open on the
    credited invoice are right.
    """
    from klyngefond.journal import query

    cluster = ledger.cluster
    issuer, recipient, grant = cluster.partner(issuer_id), cluster.partner(recipient_id), ledger.grant(grant_id)
    assert issuer is not None and recipient is not None and grant is not None  # checked by the loader
    shares = query.grant_shares(journal, as_of=on).get(grant_id, {})
    invoiced = query.invoiced_net(journal, as_of=on).get((grant_id, issuer_id, recipient_id), ZERO)
    set_off = refund = None
    credited_date = None
    if credits is not None:
        balance = query.invoice_balances(journal, as_of=on, grant=grant_id).get(credits)
        credited = ledger.invoice(credits)
        credited_date = credited.issue_date if credited is not None else None
        open_before = max(balance.open, ZERO) if balance is not None else amount
        set_off = min(amount, open_before)
        refund = amount - set_off
    return IssuedAs(
        einvoice_format=einvoice_format(recipient, chosen_format),  # type: ignore[arg-type]
        cluster=cluster.name,
        grant_name=grant.name,
        grant_total=sum(shares.values(), ZERO),
        share=shares.get(recipient_id, ZERO),
        invoiced_before=invoiced,
        model=grant.financing.model,
        issuer=_issued_party(issuer),
        recipient=_issued_party(recipient),
        buyer_reference=recipient.invoice_reference or grant.id,
        decision=grant.decision,
        payment=issuer.payment if kind == "invoice" else None,
        credited_issue_date=credited_date,
        cause=_issued_cause(ledger, cause),
        set_off=set_off or None,
        refund=refund or None,
    )


def _issued_party(partner: Partner) -> IssuedParty:
    return IssuedParty(name=partner.name, cvr=partner.cvr, ean=partner.ean, address=partner.address)


def _issued_cause(ledger: Ledger, cause: str | None) -> IssuedCause | None:
    """The decision behind ``cause`` (``changes/<id>``, ``closings/<id>`` or ``annulments/<id>``),
    as a credit note cites it."""
    if cause is None:
        return None
    folder, _, record_id = cause.partition("/")
    if folder == "closings":
        closing = next((c for c in ledger.closings if c.id == record_id), None)
        if closing is None:
            return None
        if closing.decision is None:
            return IssuedCause("closing", date=closing.date)
        d = closing.decision
        return IssuedCause("closing", d.level, d.date, d.body, d.reference)
    if folder == "changes":
        change = next((c for c in ledger.changes if c.id == record_id), None)
        if change is None or change.kind == "top-up":
            return None
        d = change.decision
        return IssuedCause(change.kind, d.level, d.date, d.body, d.reference)  # type: ignore[arg-type]
    annulment = next((a for a in ledger.annulments if a.id == record_id), None)
    if folder != "annulments" or annulment is None:
        return None
    d = annulment.decision  # type: ignore[assignment]
    if d is None:
        return IssuedCause("annulment", date=annulment.date, reason=annulment.reason)
    return IssuedCause("annulment", d.level, d.date, d.body, d.reference, annulment.reason)


# --------------------------------------------------------------------------- the document of an issued invoice


def document_for(ledger: Ledger, invoice: Invoice, lang: str = "da", chosen_format: str | None = None) -> InvoiceDocument:
    """The document of an issued invoice: from what it was issued with (``issued_as``) when it
    has that, else from the cluster file as it is now (invoices issued by earlier versions).

    ``lang`` is the language of the document's own text (the description); the e-invoice is
    built from the Danish document. ``chosen_format`` applies to the older invoices only: an
    invoice issued in one format stays in it.
    """
    if invoice.issued_as is not None:
        return _from_issued(invoice, invoice.issued_as, lang)
    cluster = ledger.cluster
    issuer = cluster.partner(invoice.issuer)
    recipient = cluster.partner(invoice.recipient)
    grant = ledger.grant(invoice.grant)
    assert issuer is not None and recipient is not None and grant is not None  # checked by the loader
    credited = ledger.invoice(invoice.credits) if invoice.credits else None
    credit = invoice.is_credit_note
    return InvoiceDocument(
        kind=invoice.kind,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=None if credit else invoice.due_date,
        issuer=party(issuer),
        recipient=party(recipient),
        cluster_name=cluster.name,
        grant_id=grant.id,
        grant_name=grant.name,
        decision=_decided(grant.decision),
        amount=invoice.amount,
        buyer_reference=recipient.invoice_reference or grant.id,
        payment=None if credit else payment_details(issuer),
        credited_invoice=invoice.credits,
        credited_invoice_date=credited.issue_date if credited else None,
        description=description(invoice, recipient.name, lang),
        model=grant.financing.model,
        einvoice_format=einvoice_format(recipient, chosen_format),  # type: ignore[arg-type]
    )


def _from_issued(invoice: Invoice, issued: IssuedAs, lang: str) -> InvoiceDocument:
    payment = issued.payment
    cause = issued.cause
    return InvoiceDocument(
        kind=invoice.kind,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=None if invoice.is_credit_note else invoice.due_date,
        issuer=_party_of(invoice.issuer, issued.issuer),
        recipient=_party_of(invoice.recipient, issued.recipient),
        cluster_name=issued.cluster,
        grant_id=invoice.grant,
        grant_name=issued.grant_name,
        decision=_decided(issued.decision),
        amount=invoice.amount,
        buyer_reference=issued.buyer_reference,
        payment=None if payment is None else PaymentDetails(payment.bank_reg, payment.bank_account, payment.iban, payment.note,
                                                            payment.bic),
        credited_invoice=invoice.credits,
        credited_invoice_date=issued.credited_issue_date,
        description=issued.note if lang == "da" and issued.note else description(invoice, issued.recipient.name, lang),
        grant_total=issued.grant_total,
        share=issued.share,
        invoiced_before=issued.invoiced_before,
        model=issued.model,
        cause=None if cause is None else Cause(cause.kind, Decided(cause.level, cause.date, cause.body, cause.reference),
                                               cause.reason),
        set_off=issued.set_off,
        refund=issued.refund,
        einvoice_format=issued.einvoice_format,
        line_text=issued.line_text,
    )


def with_texts(invoice: Invoice) -> Invoice:
    """``invoice`` with the e-invoice's own texts (its Note and line description, in Danish)
    added to what it is issued with, so that they are sent again word for word."""
    from dataclasses import replace

    from klyngefond.documents.words import line_description

    assert invoice.issued_as is not None
    doc = _from_issued(invoice, invoice.issued_as, "da")
    texts = replace(invoice.issued_as, note=doc.description, line_text=line_description(doc, "da"))
    return replace(invoice, issued_as=texts)


def _party_of(partner_id: str, issued: IssuedParty) -> Party:
    return Party(id=partner_id, name=issued.name, cvr=issued.cvr, ean=issued.ean, address=issued.address)


def _decided(decision: Decision | None) -> Decided | None:
    if decision is None:
        return None
    return Decided(decision.level, decision.date, decision.body, decision.reference)


def description(invoice: Invoice, recipient: str, lang: str) -> str:
    if invoice.is_credit_note:
        return t("invoices.doc_credit_description", lang, invoice=invoice.credits, recipient=Verbatim(recipient))
    return t("invoices.doc_description", lang, recipient=Verbatim(recipient))


# --------------------------------------------------------------------------- writing

Outcome = Literal["written", "replaced", "unchanged", "exists"]


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    outcome: Outcome


@dataclass(frozen=True)
class DocumentRun:
    files: tuple[WrittenFile, ...]
    schema_checked: bool

    @property
    def refused(self) -> tuple[WrittenFile, ...]:
        return tuple(f for f in self.files if f.outcome == "exists")

    def count(self, outcome: Outcome) -> int:
        return sum(1 for f in self.files if f.outcome == outcome)


class InvalidDocument(Exception):
    """A generated XML failed the UBL schema or the format's rules, or the PDF could not be set;
    it was not written. ``problems`` are the validators' own (English) diagnostics, each
    starting with the rule's official id."""

    def __init__(self, number: str, problems: Sequence[str]) -> None:
        super().__init__(f"{number}: " + "; ".join(problems))
        self.number = number
        self.problems = tuple(problems)


def build_einvoice(doc: InvoiceDocument) -> bytes:
    """The e-invoice of ``doc`` in its format (OIOUBL 2.1 or Peppol BIS Billing 3.0)."""
    if doc.einvoice_format == "peppol":
        from klyngefond.documents.peppol import build_peppol

        return build_peppol(doc)
    from klyngefond.documents.oioubl import build_oioubl

    return build_oioubl(doc)


def check_einvoice(xml: bytes, format_name: str, xsd_dir: Path | None) -> list[str]:
    """Every reason a receiver would reject ``xml``: the format's rules, and the UBL 2.1 schema
    when ``xsd_dir`` is given."""
    from klyngefond.documents.ubl import validate_ubl

    if format_name == "peppol":
        from klyngefond.documents.peppol import check_peppol_rules as check
    else:
        from klyngefond.documents.oioubl import check_oioubl_rules as check
    return check(xml) + (validate_ubl(xml, xsd_dir) if xsd_dir is not None else [])


def write_documents(
    ledger: Ledger,
    invoices: Sequence[Invoice],
    out_dir: Path,
    *,
    force: bool = False,
    lang: str = "da",
    progress: bool = True,
    xsd_dir: Path | None = None,
    chosen_format: str | None = None,
) -> DocumentRun:
    """Write ``<number>.pdf`` and ``<number>.xml`` for each invoice into ``out_dir``.

    Every XML is checked against the UBL 2.1 schema (when the schema is found) and its
    format's rules before anything is written; a failing document raises
    :class:`InvalidDocument`. The PDF carries the XML as an attachment. A file that already
    exists with the same bytes is left as it is; with different bytes it is left untouched
    and reported (``exists``) unless ``force`` replaces it.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from klyngefond.documents.pdf import PdfError, render_pdf
    from klyngefond.documents.ubl import default_xsd_dir

    xsd = xsd_dir or default_xsd_dir()
    schema_checked = (xsd / "maindoc").is_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[WrittenFile] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, disable=not progress, transient=True) as bar:
        task = bar.add_task(t("invoices.progress_documents", lang), total=len(invoices))
        for invoice in invoices:
            danish = document_for(ledger, invoice, "da", chosen_format)
            xml = build_einvoice(danish)
            problems = check_einvoice(xml, danish.einvoice_format, xsd if schema_checked else None)
            if problems:
                raise InvalidDocument(invoice.number, problems)
            shown = danish if lang == "da" else document_for(ledger, invoice, lang, chosen_format)
            try:
                pdf = render_pdf(shown, lang, xml)
            except PdfError as exc:
                raise InvalidDocument(invoice.number, [exc.detail]) from None
            files.append(_write(out_dir / f"{invoice.number}.xml", xml, force))
            files.append(_write(out_dir / f"{invoice.number}.pdf", pdf, force))
            bar.advance(task)
    return DocumentRun(tuple(files), schema_checked)


def _write(path: Path, data: bytes, force: bool) -> WrittenFile:
    from klyngefond.storage.atomic import TargetExistsError, write_new, write_replace

    try:
        write_new(path, data)
        return WrittenFile(path, "written")
    except TargetExistsError:
        if path.read_bytes() == data:
            return WrittenFile(path, "unchanged")
        if not force:
            return WrittenFile(path, "exists")
        write_replace(path, data)
        return WrittenFile(path, "replaced")
