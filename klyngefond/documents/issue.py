"""From the ledger's issued invoices to documents on disk: checks, PDF, OIOUBL, progress bar.

Imported only by commands that issue or write documents; it brings in stdnum, and
(inside :func:`write_documents`) lxml and fpdf2. Every word a person reads comes from the
message catalogue (``invoices.*``); the e-invoice itself is always in Danish, the PDF in
the language of the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Invoice, Partner
from klyngefond.documents.model import DocumentError, InvoiceDocument, Party, PaymentDetails, PaymentError
from klyngefond.i18n import Message, Verbatim, t


def partner_key(ledger: Ledger, partner_id: str, field: str) -> str:
    """``partners[3] (vejen).ean``: the key to fill in, as the loader's messages name keys."""
    index = next(i for i, p in enumerate(ledger.cluster.partners, start=1) if p.id == partner_id)
    return f"partners[{index}] ({partner_id}).{field}"


def party_problems(ledger: Ledger, issuers: Iterable[str], recipients: Iterable[str]) -> list[Message]:
    """What stops documents between these partners, one message each naming the file and key.

    Every party needs a CVR number, an EAN number and an address (OIOUBL addresses both
    parties by EAN); an issuer also needs payment details (and a BIC with an IBAN). Invalid
    numbers are named too.
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
        try:
            details = payment_details(partner)
        except PaymentError as exc:
            problems.append(Message("invoices.party_invalid", partner=name, id=pid, problem=exc.message,
                                    key=Verbatim(partner_key(ledger, pid, "payment")), file=cluster_file))
            continue
        if details is not None and details.bank_account is None and details.iban and not details.bic:
            problems.append(Message("invoices.party_missing", partner=name, id=pid, what=Message("invoices.party_lacks_bic"),
                                    key=Verbatim(partner_key(ledger, pid, "payment.bic")), file=cluster_file,
                                    example=Message("invoices.example_bic")))
    return problems


def party(partner: Partner) -> Party:
    return Party(id=partner.id, name=partner.name, cvr=partner.cvr, ean=partner.ean, address=partner.address)


def payment_details(partner: Partner) -> PaymentDetails | None:
    payment = partner.payment
    if payment is None:
        return None
    return PaymentDetails(payment.bank_reg, payment.bank_account, payment.iban, payment.note, payment.bic)


def document_for(ledger: Ledger, invoice: Invoice, lang: str = "da") -> InvoiceDocument:
    """The document of an issued invoice, with the parties' details as the cluster file has them now.

    ``lang`` is the language of the document's own text (the description); the e-invoice
    is built from the Danish document.
    """
    cluster = ledger.cluster
    issuer = cluster.partner(invoice.issuer)
    recipient = cluster.partner(invoice.recipient)
    grant = ledger.grant(invoice.grant)
    assert issuer is not None and recipient is not None and grant is not None  # checked by the loader
    credited = ledger.invoice(invoice.credits) if invoice.credits else None
    decision = grant.decision
    return InvoiceDocument(
        kind=invoice.kind,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        issuer=party(issuer),
        recipient=party(recipient),
        cluster_name=cluster.name,
        grant_id=grant.id,
        grant_name=grant.name,
        decision_level=decision.level if decision else None,
        decision_date=decision.date if decision else None,
        amount=invoice.amount,
        payment=payment_details(issuer),
        credited_invoice=invoice.credits,
        credited_invoice_date=credited.issue_date if credited else None,
        description=_description(invoice, recipient.name, lang),
    )


def _description(invoice: Invoice, recipient: str, lang: str) -> str:
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
    """A generated XML failed the UBL schema or the OIOUBL rules; it was not written.

    ``problems`` are the validators' own (English) diagnostics.
    """

    def __init__(self, number: str, problems: Sequence[str]) -> None:
        super().__init__(f"{number}: " + "; ".join(problems))
        self.number = number
        self.problems = tuple(problems)


def write_documents(
    ledger: Ledger,
    invoices: Sequence[Invoice],
    out_dir: Path,
    *,
    force: bool = False,
    lang: str = "da",
    progress: bool = True,
    xsd_dir: Path | None = None,
) -> DocumentRun:
    """Write ``<number>.pdf`` and ``<number>.xml`` for each invoice into ``out_dir``.

    Every XML is checked against the UBL 2.1 schema (when the schema is found) and the
    OIOUBL rules before it is written; a failing document raises :class:`InvalidDocument`.
    A file that already exists with the same bytes is left as it is; with different bytes
    it is left untouched and reported (``exists``) unless ``force`` replaces it.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from klyngefond.documents.oioubl import build_oioubl, check_oioubl_rules, default_xsd_dir, validate_ubl
    from klyngefond.documents.pdf import render_pdf

    xsd = xsd_dir or default_xsd_dir()
    schema_checked = (xsd / "maindoc").is_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[WrittenFile] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, disable=not progress, transient=True) as bar:
        task = bar.add_task(t("invoices.progress_documents", lang), total=len(invoices))
        for invoice in invoices:
            xml = build_oioubl(document_for(ledger, invoice, "da"))
            problems = check_oioubl_rules(xml) + (validate_ubl(xml, xsd) if schema_checked else [])
            if problems:
                raise InvalidDocument(invoice.number, problems)
            files.append(_write(out_dir / f"{invoice.number}.xml", xml, force))
            files.append(_write(out_dir / f"{invoice.number}.pdf", render_pdf(document_for(ledger, invoice, lang), lang), force))
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
