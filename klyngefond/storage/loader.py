"""Reading a cluster folder into a ledger, collecting every problem instead of stopping at the first.

A cluster folder holds::

    cluster.toml          the hand-edited cluster file (partners, groups, allocations)
    reference.toml        optional: figures printed in the source documents, to check against
    allocations/*.toml    state money received, one record per file (``klyngefond receive``)
    grants/*.toml         one file per grant
    changes/*.toml        later changes to grants (top-ups, reductions, withdrawals, transfers)
    carryovers/*.toml     decisions to carry unspent funds into a later year
    invoices/*.toml       issued invoices and credit notes (written by the tool)
    payments/*.toml       payments received (written by the tool)
    refunds/*.toml        money paid back on credited invoices (written by the tool)
    annulments/*.toml     corrections: records reversed, with the reason
    spending/*.toml       spending the project owner reports on a grant
    closings/*.toml       grants closed, their unspent part freed
    closeouts/*.toml      the decision that closes the cluster's books (handover, settlement)
    reopenings/*.toml     decisions to reopen books a closeout closed

Files whose names start with a dot (including the temporary files of an interrupted
write) are ignored. A record's id is its file name; an ``id`` written in the file must
agree with it. :func:`load_ledger` returns the ledger (``None`` only when the cluster file
is unusable) and every problem, each naming the file and the key.
"""

from __future__ import annotations

import errno
import os
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from klyngefond.core.cofinancing import Bases, FinancingError, shares_for
from klyngefond.core.ledger import Ledger, ref
from klyngefond.core.problems import Problem
from klyngefond.core.records import (
    RECORD_FOLDERS,
    Allocation,
    Cluster,
    Invoice,
    ReferenceFigure,
)
from klyngefond.i18n import Message
from klyngefond.storage.cache import FolderIndex, folder_index
from klyngefond.storage.validate import build

CLUSTER_FILE = "cluster.toml"
REFERENCE_FILE = "reference.toml"
MAX_FILE_BYTES = 1_000_000


class _Problems(list):  # type: ignore[type-arg]
    def add(self, file: Path | None, key: str | None, message: Message, hint: Message | None = None,
            severity: str = "error") -> None:
        self.append(Problem(file, key, message, hint, severity))  # type: ignore[arg-type]


def read_toml(path: Path, problems: _Problems) -> dict[str, Any] | None:
    """Parse one TOML file; every way it can fail becomes one problem naming the file."""
    try:
        if path.is_symlink() and not path.exists():
            _bad_link(path, problems)
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(path, None, Message("loader.too_large", limit=MAX_FILE_BYTES), None)
            return None
        data = path.read_bytes()
    except PermissionError:
        problems.add(path, None, Message("loader.unreadable"), Message("loader.hint_permissions"))
        return None
    except OSError as exc:
        problems.add(path, None, Message("loader.os_error", reason=exc.strerror or str(exc)), None)
        return None
    return parse_toml(data, path, problems)


def parse_toml(data: bytes, path: Path, problems: _Problems) -> dict[str, Any] | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        problems.add(path, None, Message("loader.not_utf8"), Message("loader.hint_utf8"))
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.add(path, None, Message("loader.toml_syntax", detail=str(exc)), Message("loader.hint_syntax"))
    except RecursionError:
        problems.add(path, None, Message("loader.too_deep"), Message("loader.hint_too_deep"))
    return None


def data_files(folder: Path, problems: _Problems | None = None) -> list[Path]:
    """The TOML files in ``folder`` a person or the tool wrote, skipping dot-files and temporaries.

    Broken symbolic links are reported, not silently skipped.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        if problems is not None:
            problems.add(folder, None, Message("loader.not_a_folder"), None)
        return []
    except PermissionError:
        if problems is not None:
            problems.add(folder, None, Message("loader.unreadable_folder"), Message("loader.hint_permissions"))
        return []
    except OSError as exc:
        if problems is not None:
            problems.add(folder, None, Message("loader.os_error", reason=exc.strerror or str(exc)), None)
        return []
    files = []
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith(".toml"):
            continue
        path = Path(entry.path)
        try:
            is_file = entry.is_file()
        except OSError:
            is_file = False
        if is_file:
            files.append(path)
        elif problems is not None:
            _bad_link(path, problems)  # a link to nowhere, or a folder or pipe named like a record: never read
    return files


def _bad_link(path: Path, problems: _Problems) -> None:
    """A ``.toml`` name that is not a file: a link to nothing, a link in a loop, or a folder, pipe or device."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.add(path, None, Message("loader.link_loop"), Message("loader.hint_broken_link"))
        else:
            problems.add(path, None, Message("loader.broken_link"), Message("loader.hint_broken_link"))
        return
    problems.add(path, None, Message("loader.not_a_file"), Message("loader.hint_not_a_file"))


def load_ledger(folder: Path, *, verify: str = "stat") -> tuple[Ledger | None, list[Problem]]:
    """Read and check a cluster folder. The ledger is ``None`` only if the cluster file is unusable.

    Files that validated cleanly before may come from the cache (``storage/cache.py``):
    ``verify="stat"`` trusts a file's unchanged identity (reading commands), ``"content"``
    only the hash of its bytes read now (writing commands).
    """
    problems = _Problems()
    index = folder_index(folder, verify)
    cluster_path = folder / CLUSTER_FILE
    cluster: Cluster | None = None
    if not cluster_path.is_file():
        problems.add(cluster_path, None, Message("loader.no_cluster_file"), Message("loader.hint_cluster_file"))
    else:
        cluster = _read_record(cluster_path, CLUSTER_FILE, Cluster, problems, index,
                               lambda raw: _validated(Cluster, raw, cluster_path, problems))
        if cluster is not None:
            _check_cluster(cluster, cluster_path, problems)
    # Every folder is read even when the cluster file is broken, so that one run reports everything.
    records: dict[str, list[Any]] = {}
    origins: dict[str, Path] = {}
    for name, cls in RECORD_FOLDERS.items():
        if (folder / name).is_symlink():
            problems.add(folder / name, None, Message("loader.linked_folder", target=_link_target(folder / name)),
                         Message("loader.hint_linked_folder"), severity="warning")
        records[name] = _read_folder(folder / name, name, cls, problems, origins, index)
    if index is not None:
        index.save()
    if cluster is None:
        return None, list(problems)
    references = _load_references(folder / REFERENCE_FILE, cluster, problems)
    ledger = Ledger(
        folder=folder,
        cluster=cluster,
        allocations=tuple(records["allocations"]),
        grants=tuple(records["grants"]),
        changes=tuple(records["changes"]),
        carryovers=tuple(records["carryovers"]),
        invoices=tuple(records["invoices"]),
        payments=tuple(records["payments"]),
        refunds=tuple(records["refunds"]),
        annulments=tuple(records["annulments"]),
        spending=tuple(records["spending"]),
        closings=tuple(records["closings"]),
        closeouts=tuple(records["closeouts"]),
        reopenings=tuple(records["reopenings"]),
        references=tuple(references),
        origins=origins,
    )
    checked = _check_references_between(ledger, problems)
    return checked, list(problems)


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:  # pragma: no cover - it was a link a moment ago
        return "?"


def _validated(cls: type, raw: dict[str, Any], path: Path, problems: _Problems, defaults: dict[str, Any] | None = None,
               prefix: str = "") -> Any:
    record, issues = build(cls, raw, prefix, defaults=defaults)
    for key, message, hint in issues:
        problems.add(path, key, message, hint)
    return record


def _read_record(path: Path, rel: str, cls: type, problems: _Problems, index: FolderIndex | None,
                 validate: Callable[[dict[str, Any]], Any]) -> Any:
    """The record one file (``rel`` inside the cluster folder) holds: from the cache when the
    file is unchanged, else parsed and ``validate``d (and then remembered, if it validated cleanly)."""
    found = index.read(path, cls, rel) if index is not None else None
    if found is not None and found.record is not None:
        return found.record
    raw = parse_toml(found.data, path, problems) if found is not None and found.data is not None else read_toml(path, problems)
    if raw is None:
        return None
    record = validate(raw)
    if record is not None and found is not None:
        index.remember(path, found, record)  # type: ignore[union-attr]
    return record


def _read_folder(folder: Path, name: str, cls: type, problems: _Problems, origins: dict[str, Path],
                 index: FolderIndex | None = None) -> list[Any]:
    """The valid records of one folder (one record per file), each id once."""
    found: list[Any] = []
    id_key = "number" if cls is Invoice else "id"

    def validate(path: Path, raw: dict[str, Any]) -> Any:
        stem = path.stem
        written = raw.get(id_key)
        if written is not None and written != stem:
            problems.add(path, id_key, Message("loader.id_differs", value=str(written)[:80], file=path.name),
                         Message("loader.hint_id_differs"))
            return None
        return _validated(cls, raw, path, problems, defaults={id_key: stem})

    for path in data_files(folder, problems):
        record = _read_record(path, f"{name}/{path.name}", cls, problems, index,
                              lambda raw: validate(path, raw))  # noqa: B023 - called at once
        if record is None:
            continue
        stem = path.stem
        reference = ref(name, stem)
        if reference in origins:  # pragma: no cover - file names are unique within a folder
            continue
        origins[reference] = path
        found.append(record)
    return found


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def _known_partners(cluster: Cluster) -> Message:
    return Message("loader.hint_known_holders", holders=list(cluster.holder_ids()))


def _check_cluster(cluster: Cluster, path: Path, problems: _Problems) -> None:
    partner_ids = [p.id for p in cluster.partners]
    group_ids = [g.id for g in cluster.groups]
    for dup in _duplicates(partner_ids):
        problems.add(path, f"partners ({dup})", Message("loader.partner_twice", id=dup), Message("loader.hint_own_id"))
    for dup in _duplicates(group_ids):
        problems.add(path, f"groups ({dup})", Message("loader.group_twice", id=dup), Message("loader.hint_own_id"))
    for clash in sorted(set(partner_ids) & set(group_ids)):
        problems.add(path, f"groups ({clash})", Message("loader.group_is_partner", id=clash), None)
    for index, group in enumerate(cluster.groups, start=1):
        for member in group.members:
            if member not in partner_ids:
                problems.add(path, f"groups[{index}] ({group.id}).members", Message("loader.unknown_partner", id=member),
                             _known_partners(cluster))
    for index, allocation in enumerate(cluster.allocations, start=1):
        _check_allocation(cluster, allocation, path, f"allocations[{index}] ({allocation.partner})", problems)


def _check_allocation(cluster: Cluster, allocation: Allocation, path: Path, key: str, problems: _Problems) -> bool:
    partner = cluster.partner(allocation.partner)
    if partner is None and cluster.group(allocation.partner) is None:
        problems.add(path, f"{key}.partner" if key else "partner", Message("loader.unknown_partner", id=allocation.partner),
                     _known_partners(cluster))
        return False
    if partner is not None and not partner.holds_funds:
        problems.add(path, key or "partner", Message("loader.general_practice_funds", name=partner.name), None)
        return False
    return True


def _load_references(path: Path, cluster: Cluster, problems: _Problems) -> list[ReferenceFigure]:
    if not path.is_file():
        return []
    raw = read_toml(path, problems)
    if raw is None:
        return []
    for key in sorted(set(raw) - {"figure", "as_of", "year"}):
        problems.add(path, key, Message("validate.unknown_key"), Message("loader.hint_reference_keys"))
    defaults = {key: raw[key] for key in ("as_of", "year") if key in raw}
    figures: list[ReferenceFigure] = []
    entries = raw.get("figure", [])
    if not isinstance(entries, list):
        problems.add(path, "figure", Message("validate.not_a_list"), Message("loader.hint_reference_keys"))
        return []
    holders = set(cluster.holder_ids())
    for index, entry in enumerate(entries, start=1):
        figure = _validated(ReferenceFigure, entry, path, problems, defaults=defaults, prefix=f"figure[{index}]")
        if figure is None:
            continue
        if figure.partner is not None and figure.partner not in holders:
            problems.add(path, f"figure[{index}].partner", Message("loader.unknown_partner", id=figure.partner),
                         _known_partners(cluster))
            continue
        figures.append(figure)
    return figures


def _check_references_between(ledger: Ledger, problems: _Problems) -> Ledger:
    """Drop (and report) records that name partners, grants, invoices or records that do not exist."""
    cluster = ledger.cluster
    here = ledger.origins

    def where(folder: str, record_id: str) -> Path | None:
        return here.get(ref(folder, record_id))

    allocations = tuple(a for a in ledger.allocations
                        if _check_allocation(cluster, a, where("allocations", a.id or ""), "", problems))  # type: ignore[arg-type]
    grant_ids = {g.id for g in ledger.grants}
    bases = Bases(cluster, ledger.all_allocations())
    grants = []
    for grant in ledger.grants:
        path = where("grants", grant.id)
        if grant.owner is not None and (cluster.partner(grant.owner) is None or not cluster.partner(grant.owner).holds_funds):  # type: ignore[union-attr]
            problems.add(path, "owner", Message("loader.unknown_partner", id=grant.owner), _known_partners(cluster))
            continue
        span = grant.year.last if grant.year else grant.decision.date.year  # type: ignore[union-attr]
        try:
            shares_for(grant.financing, grant.granted, bases(span))
        except FinancingError as exc:
            problems.add(path, exc.key, exc.message, exc.hint)
            continue
        grants.append(grant)
    for figure in ledger.references:
        if figure.grant is not None and figure.grant not in grant_ids:
            problems.add(ledger.folder / REFERENCE_FILE, "figure.grant", Message("loader.unknown_grant", id=figure.grant), None)
    good_grants = {g.id for g in grants}
    changes = []
    for change in ledger.changes:
        path = where("changes", change.id)
        missing = [g for g in change.grants if g not in good_grants]
        if missing:
            key = "grant" if change.grant in missing else "to_grant"
            problems.add(path, key, Message("loader.unknown_grant", id=missing[0]),
                         Message("loader.hint_known_grants", grants=sorted(good_grants)))
            continue
        changes.append(change)
    carryovers = []
    for carryover in ledger.carryovers:
        if carryover.partner is not None and carryover.partner not in cluster.holder_ids():
            problems.add(where("carryovers", carryover.id), "partner", Message("loader.unknown_partner", id=carryover.partner),
                         _known_partners(cluster))
            continue
        carryovers.append(carryover)
    invoices = _checked_invoices(ledger, good_grants, problems)
    numbers = {i.number: i for i in invoices}
    payments = []
    for payment in ledger.payments:
        if payment.invoice not in numbers or numbers[payment.invoice].is_credit_note:
            problems.add(where("payments", payment.id), "invoice", Message("loader.unknown_invoice", id=payment.invoice), None)
            continue
        payments.append(payment)
    refunds = []
    for refund in ledger.refunds:
        if refund.invoice not in numbers or numbers[refund.invoice].is_credit_note:
            problems.add(where("refunds", refund.id), "invoice", Message("loader.unknown_invoice", id=refund.invoice), None)
            continue
        refunds.append(refund)
    spending = []
    for item in ledger.spending:
        if item.grant not in good_grants:
            problems.add(where("spending", item.id), "grant", Message("loader.unknown_grant", id=item.grant),
                         Message("loader.hint_known_grants", grants=sorted(good_grants)))
            continue
        spending.append(item)
    closings = []
    for closing in ledger.closings:
        if closing.grant not in good_grants:
            problems.add(where("closings", closing.id), "grant", Message("loader.unknown_grant", id=closing.grant),
                         Message("loader.hint_known_grants", grants=sorted(good_grants)))
            continue
        closings.append(closing)
    closeouts = []
    for closeout in ledger.closeouts:
        bad = [(f"successors.{h}", h) for h in closeout.successors if h not in cluster.holder_ids()]
        bad += [(f"settlement[{i}].{side}", pid) for i, transfer in enumerate(closeout.settlement, start=1)
                for side, pid in (("payer", transfer.payer), ("payee", transfer.payee)) if cluster.partner(pid) is None]
        if bad:
            problems.add(where("closeouts", closeout.id), bad[0][0], Message("loader.unknown_partner", id=bad[0][1]),
                         _known_partners(cluster))
            continue
        closeouts.append(closeout)
    closeout_ids = {c.id for c in closeouts}
    reopenings = []
    for reopening in ledger.reopenings:
        if reopening.closeout not in closeout_ids:
            problems.add(where("reopenings", reopening.id), "closeout", Message("closeout.unknown_closeout", id=reopening.closeout),
                         None)
            continue
        reopenings.append(reopening)
    annulments = []
    annulled: dict[str, str] = {}
    for annulment in sorted(ledger.annulments, key=lambda a: (a.date, a.id)):
        path = where("annulments", annulment.id)
        if annulment.record not in here:
            problems.add(path, "record", Message("loader.unknown_record", record=annulment.record),
                         Message("loader.hint_record_ref"))
            continue
        folder_name = annulment.record.split("/", 1)[0]
        if folder_name == "reopenings":
            problems.add(path, "record", Message("loader.cannot_annul", record=annulment.record),
                         Message("closeout.hint_cannot_annul_reopening"))
            continue
        if folder_name in ("invoices", "annulments"):
            problems.add(path, "record", Message("loader.cannot_annul", record=annulment.record),
                         Message(f"loader.hint_cannot_annul_{folder_name}"))
            continue
        if annulment.record in annulled:
            problems.add(path, "record", Message("loader.annulled_twice", record=annulment.record, other=annulled[annulment.record]),
                         None)
            continue
        annulled[annulment.record] = annulment.id
        annulments.append(annulment)
    return replace(ledger, allocations=allocations, grants=tuple(grants), changes=tuple(changes),
                   carryovers=tuple(carryovers), invoices=tuple(invoices), payments=tuple(payments),
                   refunds=tuple(refunds), annulments=tuple(annulments), spending=tuple(spending), closings=tuple(closings),
                   closeouts=tuple(closeouts), reopenings=tuple(reopenings))


def _checked_invoices(ledger: Ledger, grants: set[str], problems: _Problems) -> list[Invoice]:
    cluster = ledger.cluster
    invoices = []
    for invoice in ledger.invoices:
        path = ledger.origins.get(ref("invoices", invoice.number))
        bad = [(key, pid) for key, pid in (("issuer", invoice.issuer), ("recipient", invoice.recipient))
               if cluster.partner(pid) is None]
        for key, pid in bad:
            problems.add(path, key, Message("loader.unknown_partner", id=pid), _known_partners(cluster))
        if invoice.grant not in grants:
            problems.add(path, "grant", Message("loader.unknown_grant", id=invoice.grant), Message("loader.hint_invoiced_grant"))
            continue
        if not bad:
            invoices.append(invoice)
    numbers = {i.number: i for i in invoices}
    checked = []
    for invoice in invoices:
        if invoice.credits is not None:
            path = ledger.origins.get(ref("invoices", invoice.number))
            credited = numbers.get(invoice.credits)
            if credited is None or credited.is_credit_note:
                problems.add(path, "credits", Message("loader.unknown_invoice", id=invoice.credits), None)
                continue
            if (credited.issuer, credited.recipient, credited.grant) != (invoice.issuer, invoice.recipient, invoice.grant):
                problems.add(path, "credits", Message("loader.credit_mismatch", number=credited.number), None)
                continue
        checked.append(invoice)
    return checked
