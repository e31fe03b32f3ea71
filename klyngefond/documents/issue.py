"""From the ledger's issued invoices to documents on disk: checks, PDF, OIOUBL, progress bar.

Imported only by commands that issue or generate documents; it brings in stdnum, and
(inside :func:`write_documents`) lxml and fpdf2.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import Invoice, Partner
from klyngefond.documents.model import Address, DocumentError, InvoiceDocument, Party, PaymentDetails

DECISION_LEVELS = {
    "politisk": "politisk niveau",
    "fagligt strategisk": "fagligt strategisk niveau",
    "administrativ": "administrativt niveau",
}

_WHAT = {
    "ean": "no EAN number",
    "cvr": "no CVR number",
    "address": "no address",
    "payment": "no payment details (reg.nr. and kontonr., or IBAN), which its invoices must show",
}
_HOW = {
    "ean": 'ean = "<13 digits>", the EAN (GLN) number where it receives e-invoices',
    "cvr": 'cvr = "<8 digits>"',
    "address": 'address = { street = "…", postal_code = "…", city = "…" }',
    "payment": 'payment = { bank_reg = "<4 digits>", bank_account = "<up to 10 digits>" } or payment = { iban = "DK…" }',
}


def partner_key(ledger: Ledger, partner_id: str, field: str) -> str:
    """``partners[3] (vejen).ean``: the key to fill in, as the loader's messages name keys."""
    index = next(i for i, p in enumerate(ledger.cluster.partners, start=1) if p.id == partner_id)
    return f"partners[{index}] ({partner_id}).{field}"


def party_problems(ledger: Ledger, issuers: Iterable[str], recipients: Iterable[str]) -> list[str]:
    """What stops documents between these partners, one line each naming the file and key.

    Every party needs a CVR number, an EAN number and an address (OIOUBL addresses both
    parties by EAN); an issuer also needs payment details. Invalid numbers are named too.
    """
    cluster_file = ledger.folder / "cluster.toml"
    issuers = list(dict.fromkeys(issuers))
    needs: dict[str, list[str]] = {}
    for pid in [*issuers, *recipients]:
        needs.setdefault(pid, ["cvr", "ean", "address"])
    for pid in issuers:
        if "payment" not in needs[pid]:
            needs[pid].append("payment")
    lines: list[str] = []
    for pid, fields in needs.items():
        partner = ledger.cluster.partner(pid)
        assert partner is not None  # the loader checked every id
        for field in fields:
            if getattr(partner, field) is None:
                lines.append(f"{partner.name} ({pid}) has {_WHAT[field]}: fill in {partner_key(ledger, pid, field)} "
                             f"in {cluster_file}, e.g. {_HOW[field]}")
        try:
            party(partner)
            payment_details(partner)
        except DocumentError as exc:
            lines.append(f"{partner.name} ({pid}): {exc.args[0].split(': ', 1)[-1]}; correct "
                         f"{partner_key(ledger, pid, exc.field)} in {cluster_file}")
        except ValueError as exc:
            lines.append(f"{partner.name} ({pid}): {exc}; correct {partner_key(ledger, pid, 'payment')} in {cluster_file}")
    return lines


def party(partner: Partner) -> Party:
    address = partner.address
    return Party(
        id=partner.id,
        name=partner.name,
        cvr=partner.cvr,
        ean=partner.ean,
        address=Address(address.street, address.postal_code, address.city, address.country) if address else None,
    )


def payment_details(partner: Partner) -> PaymentDetails | None:
    payment = partner.payment
    if payment is None:
        return None
    return PaymentDetails(payment.bank_reg, payment.bank_account, payment.iban, payment.note)


def document_for(ledger: Ledger, invoice: Invoice) -> InvoiceDocument:
    """The document of an issued invoice, with the parties' details as the cluster file has them now."""
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
        decision_level=DECISION_LEVELS.get(decision.level, decision.level) if decision else None,
        decision_date=decision.date if decision else None,
        amount=invoice.amount,
        payment=payment_details(issuer),
        credited_invoice=invoice.credits,
        credited_invoice_date=credited.issue_date if credited else None,
        description=_description(invoice, recipient.name),
    )


def _description(invoice: Invoice, recipient: str) -> str:
    if invoice.is_credit_note:
        return f"Kreditering af {invoice.credits}: {recipient}s andel af bevillingen er nedsat."
    return f"{recipient}s andel af bevillingen efter klyngens fordeling."


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


class InvalidDocument(Exception):
    """A generated XML failed the UBL schema or the OIOUBL rules; it was not written."""

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
    label = "Dokumenter" if lang == "da" else "Documents"
    with Progress(*columns, disable=not progress, transient=True) as bar:
        task = bar.add_task(label, total=len(invoices))
        for invoice in invoices:
            doc = document_for(ledger, invoice)
            xml = build_oioubl(doc)
            problems = check_oioubl_rules(xml) + (validate_ubl(xml, xsd) if schema_checked else [])
            if problems:
                raise InvalidDocument(invoice.number, problems)
            files.append(_write(out_dir / f"{invoice.number}.xml", xml, force))
            files.append(_write(out_dir / f"{invoice.number}.pdf", render_pdf(doc, lang), force))
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
