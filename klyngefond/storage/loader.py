"""Reading a cluster folder into a ledger, collecting every problem instead of stopping at the first.

A cluster folder holds::

    cluster.toml          the hand-edited cluster file (partners, allocations)
    grants/*.toml         one file per grant
    reference.toml        optional: figures printed in the source documents, to check against
    changes/*.toml        later changes to grants (top-ups, reductions, withdrawals, transfers)
    carryovers/*.toml     decisions to carry unspent funds into a later year
    invoices/*.toml       issued invoices and credit notes (written by the tool)
    payments/*.toml       payments received for invoices (written by the tool)

Files whose names start with a dot (including the temporary files of an interrupted
write) are ignored. ``load_ledger`` returns the ledger (or ``None`` when nothing usable
could be read) together with a list of problems, each naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import replace
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from klyngefond.core.ledger import Ledger
from klyngefond.core.records import CarryOver, Change, Cluster, Grant, Invoice, Payment, ReferenceFigure
from klyngefond.storage import schema
from klyngefond.storage.problems import Problem

CLUSTER_FILE = "cluster.toml"
GRANTS_DIR = "grants"
CHANGES_DIR = "changes"
CARRYOVERS_DIR = "carryovers"
REFERENCE_FILE = "reference.toml"
INVOICES_DIR = "invoices"
PAYMENTS_DIR = "payments"


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: Path, key: str | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(file, key, message, hint))


def read_toml(path: Path, problems: _Collector) -> dict[str, Any] | None:
    """Parse one TOML file; a syntax error becomes a problem with its line and column."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        problems.add(path, None, f"TOML syntax error: {exc}", "fix the line shown; strings need quotes")
    except UnicodeDecodeError:
        problems.add(path, None, "the file is not UTF-8 text", "save it as UTF-8")
    except OSError as exc:
        problems.add(path, None, f"cannot be read: {exc.strerror}")
    return None


def validate(model: type[BaseModel], data: dict[str, Any], path: Path, problems: _Collector, prefix: str = "") -> Any:
    """Validate ``data`` as ``model`` and return its record; each error becomes a problem naming its key."""
    try:
        return schema.to_record(model.model_validate(data))
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            key = _key_path(prefix, error["loc"], data)
            problems.add(path, key or None, _message(error))
        return None


def _key_path(prefix: str, loc: tuple[Any, ...], data: Any) -> str:
    """``partners[3] (vejen).cvr`` style key path, 1-based like the blocks a person counts."""
    parts: list[str] = [prefix] if prefix else []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item + 1}]"
            if isinstance(node, list) and item < len(node):
                node = node[item]
                if isinstance(node, dict) and isinstance(node.get("id") or node.get("partner"), str):
                    label += f" ({node.get('id') or node.get('partner')})"
            parts[-1:] = [(parts[-1] if parts else "") + label]
        else:
            if item in FINANCING_TAGS:  # pydantic names the union member; the person wrote no such key
                continue
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts)


FINANCING_TAGS = {"solidarity", "fixed-plus-pro-rata", "participants", "explicit", "unknown"}


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known key (a typo?)"
    if kind == "string_pattern_mismatch":
        return "must be an id of lowercase letters a-z, digits and '-' (e.g. \"region-syddanmark\")"
    if kind == "union_tag_invalid":
        return "model must be one of: solidarity, fixed-plus-pro-rata, participants, explicit, unknown"
    if kind == "union_tag_not_found":
        return "needs model = \"solidarity\" (or fixed-plus-pro-rata, participants, explicit, unknown)"
    message = str(error["msg"])
    return re.sub(r"^(Value error|Assertion failed), ", "", message)


def data_files(folder: Path) -> list[Path]:
    """The TOML files in ``folder`` a person or the tool wrote, skipping dot-files and temporaries."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".toml" and not p.name.startswith(".") and p.is_file())


def load_ledger(folder: Path) -> tuple[Ledger | None, list[Problem]]:
    """Read and check a cluster folder. The ledger is ``None`` only if the cluster file is unusable."""
    problems = _Collector()
    cluster_path = folder / CLUSTER_FILE
    if not cluster_path.is_file():
        problems.add(
            cluster_path,
            None,
            "the cluster folder has no cluster file",
            f"create {CLUSTER_FILE} (see docs/data-format.md), or remove the folder",
        )
        return None, problems.problems
    raw = read_toml(cluster_path, problems)
    cluster = validate(schema.Cluster, raw, cluster_path, problems) if raw is not None else None
    if cluster is not None:
        _check_cluster(cluster, raw, cluster_path, problems)
    # Grants are read even when the cluster file is broken, so that one run reports everything.
    grants, grant_files = _load_grants(folder / GRANTS_DIR, cluster, problems)
    if cluster is None:
        return None, problems.problems
    references = _load_references(folder / REFERENCE_FILE, cluster, grants, problems)
    ledger = Ledger(folder, cluster, tuple(grants), tuple(references), grant_files)
    changes, change_files = _load_changes(folder / CHANGES_DIR, cluster, grants, problems)
    carryovers, carryover_files = _load_carryovers(folder / CARRYOVERS_DIR, cluster, problems)
    ledger = replace(ledger, changes=tuple(changes), change_files=change_files,
                     carryovers=tuple(carryovers), carryover_files=carryover_files)
    invoices = _load_invoices(folder / INVOICES_DIR, cluster, grant_files, problems)
    payments = _load_payments(folder / PAYMENTS_DIR, invoices, problems)
    ledger = replace(ledger, invoices=tuple(invoices), payments=tuple(payments))
    return ledger, problems.problems


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in ids:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def _check_cluster(cluster: Cluster, raw: dict[str, Any], path: Path, problems: _Collector) -> None:
    partner_list = [p.id for p in cluster.partners]
    group_list = [g.id for g in cluster.groups]
    for dup in _duplicates(partner_list):
        problems.add(path, f"partners ({dup})", f"the partner id {dup!r} is used twice", "give every partner its own id")
    for dup in _duplicates(group_list):
        problems.add(path, f"groups ({dup})", f"the group id {dup!r} is used twice", "give every group its own id")
    for clash in sorted(set(partner_list) & set(group_list)):
        problems.add(path, f"groups ({clash})", f"the group id {clash!r} is also a partner id", "rename the group")
    partner_ids = {p.id for p in cluster.partners}
    for index, group in enumerate(cluster.groups, start=1):
        for member in group.members:
            if member not in partner_ids:
                problems.add(path, f"groups[{index}] ({group.id}).members", f"unknown partner {member!r}", _known_hint(cluster))
    holders = set(cluster.holder_ids())
    seen: set[tuple[str, int, int]] = set()
    for index, allocation in enumerate(cluster.allocations, start=1):
        key = f"allocations[{index}] ({allocation.partner})"
        if allocation.partner not in holders:
            problems.add(path, f"{key}.partner", f"unknown partner {allocation.partner!r}", _known_hint(cluster))
        marker = (allocation.partner, allocation.year.first, allocation.year.last)
        if marker in seen:
            problems.add(path, key, f"a second allocation for {allocation.partner!r} in {allocation.year}",
                         "merge the two entries into one")
        seen.add(marker)
        partner = cluster.partner(allocation.partner)
        if partner is not None and partner.kind == "almen praksis":
            problems.add(path, key, f"{partner.name} is general practice, which receives no cluster funds")


def _known_hint(cluster: Cluster) -> str:
    return "known partners: " + ", ".join(cluster.holder_ids())


def _read_records(folder: Path, model: type[BaseModel], what: str, problems: _Collector) -> tuple[list[Any], dict[str, Path]]:
    """The valid records of one folder (one record per file), each id once, with the file it came from."""
    records: list[Any] = []
    files: dict[str, Path] = {}
    for path in data_files(folder):
        raw = read_toml(path, problems)
        record = validate(model, raw, path, problems) if raw is not None else None
        if record is None:
            continue
        if record.id in files:
            problems.add(path, "id", f"the {what} id {record.id!r} is also used by {files[record.id].name}",
                         f"give every {what} its own id")
            continue
        records.append(record)
        files[record.id] = path
    return records, files


def _load_grants(folder: Path, cluster: Cluster | None, problems: _Collector) -> tuple[list[Grant], dict[str, Path]]:
    from klyngefond.core.cofinancing import FinancingError, shares_for

    grants, files = _read_records(folder, schema.Grant, "grant", problems)
    for grant in grants:
        path = files[grant.id]
        if cluster is None:
            continue
        if grant.owner is not None and cluster.partner(grant.owner) is None:
            problems.add(path, "owner", f"unknown partner {grant.owner!r}", _known_hint(cluster))
            continue
        try:
            shares_for(grant.financing, grant.granted, cluster)
        except FinancingError as exc:
            problems.add(path, exc.key, exc.message, exc.hint)
    return grants, files


def _load_references(
    path: Path, cluster: Cluster, grants: list[Grant], problems: _Collector
) -> list[ReferenceFigure]:
    if not path.is_file():
        return []
    raw = read_toml(path, problems)
    if raw is None:
        return []
    unknown_keys = set(raw) - {"figure", "as_of"}
    for key in sorted(unknown_keys):
        problems.add(path, key, "is not a known key (a typo?)", "reference figures are written as [[figure]] tables")
    as_of = raw.get("as_of")
    if as_of is not None and (not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime)):
        problems.add(path, "as_of", "must be the source document's date, written 2024-03-01 (no quotes)")
        as_of = None
    figures: list[ReferenceFigure] = []
    grant_ids = {g.id for g in grants}
    holders = set(cluster.holder_ids())
    for index, entry in enumerate(raw.get("figure", []), start=1):
        if as_of is not None and isinstance(entry, dict) and "as_of" not in entry:
            entry = {**entry, "as_of": as_of}  # the file's date applies to every figure in it
        figure = validate(schema.ReferenceFigure, entry, path, problems, prefix=f"figure[{index}]")
        if figure is None:
            continue
        if figure.partner is not None and figure.partner not in holders:
            problems.add(path, f"figure[{index}].partner", f"unknown partner {figure.partner!r}", _known_hint(cluster))
            continue
        if figure.grant is not None and figure.grant not in grant_ids:
            problems.add(path, f"figure[{index}].grant", f"unknown grant {figure.grant!r}")
            continue
        figures.append(figure)
    return figures


def _load_invoices(folder: Path, cluster: Cluster, grant_files: dict[str, Path], problems: _Collector) -> list[Invoice]:
    """Issued invoices and credit notes, in number order; each must name known partners, grant and invoice."""
    invoices: list[Invoice] = []
    for path in data_files(folder):
        raw = read_toml(path, problems)
        if raw is None:
            continue
        invoice = validate(schema.Invoice, raw, path, problems)
        if invoice is None:
            continue
        if invoice.number != path.stem:
            problems.add(path, "number", f"the number {invoice.number!r} differs from the file name {path.name!r}",
                         "an invoice file is named after its number; rename neither by hand")
            continue
        bad = [(key, pid) for key, pid in (("issuer", invoice.issuer), ("recipient", invoice.recipient))
               if cluster.partner(pid) is None]
        for key, pid in bad:
            problems.add(path, key, f"unknown partner {pid!r}", _known_hint(cluster))
        if invoice.grant not in grant_files:
            problems.add(path, "grant", f"unknown grant {invoice.grant!r}",
                         "an invoiced grant's file must stay in grants/; record a withdrawal instead of deleting it")
            continue
        if not bad:
            invoices.append(invoice)
    numbers = {i.number: i for i in invoices}
    checked: list[Invoice] = []
    for invoice in invoices:
        if invoice.credits is not None:
            credited = numbers.get(invoice.credits)
            path = folder / f"{invoice.number}.toml"
            if credited is None or credited.is_credit_note:
                problems.add(path, "credits", f"{invoice.credits!r} is not an issued invoice in this cluster")
                continue
            if (credited.issuer, credited.recipient, credited.grant) != (invoice.issuer, invoice.recipient, invoice.grant):
                problems.add(path, "credits", f"the credited invoice {credited.number} is for another issuer, "
                                              "recipient or grant")
                continue
        checked.append(invoice)
    return checked


def _load_payments(folder: Path, invoices: list[Invoice], problems: _Collector) -> list[Payment]:
    """Payments received, in file order; each must name an issued invoice and not overpay it."""
    numbers = {i.number: i for i in invoices}
    paid: dict[str, object] = {}
    payments: list[Payment] = []
    for path in data_files(folder):
        raw = read_toml(path, problems)
        if raw is None:
            continue
        payment = validate(schema.Payment, raw, path, problems)
        if payment is None:
            continue
        invoice = numbers.get(payment.invoice)
        if invoice is None or invoice.is_credit_note:
            problems.add(path, "invoice", f"{payment.invoice!r} is not an issued invoice in this cluster")
            continue
        total = paid.get(invoice.number, 0) + payment.amount  # type: ignore[operator]
        if total > invoice.amount:
            problems.add(path, "amount", f"the payments of {invoice.number} add up to {total}, "
                                         f"more than its amount {invoice.amount}")
            continue
        paid[invoice.number] = total
        payments.append(payment)
    return payments


def _load_changes(
    folder: Path, cluster: Cluster, grants: list[Grant], problems: _Collector
) -> tuple[list[Change], dict[str, Path]]:
    """Changes to grants; each must apply to the grant as it stands on its date (see ``core.changes``)."""
    from klyngefond.core.changes import apply_changes
    from klyngefond.core.cofinancing import FinancingError, shares_for

    changes, files = _read_records(folder, schema.Change, "change", problems)
    states, issues = apply_changes(tuple(grants), tuple(changes))
    bad = {issue.change.id for issue in issues}
    for issue in issues:
        problems.add(files[issue.change.id], issue.key, issue.message, issue.hint)
    for state in states.values():
        if not state.steps:
            continue
        try:
            shares_for(state.grant.financing, state.amount, cluster, original=state.grant.granted)
        except FinancingError as exc:
            last = state.steps[-1].change
            problems.add(files[last.id], "amount",
                         f"after this change {state.grant.id!r} stands at {state.amount}, which its financing cannot split: "
                         f"{exc.message}", exc.hint)
    kept = [c for c in changes if c.id not in bad]
    return kept, {c.id: files[c.id] for c in kept}


def _load_carryovers(folder: Path, cluster: Cluster, problems: _Collector) -> tuple[list[CarryOver], dict[str, Path]]:
    """Decisions to carry unspent funds into a later year."""
    carryovers, files = _read_records(folder, schema.CarryOver, "carry-over", problems)
    holders = set(cluster.holder_ids())
    for carryover in carryovers:
        if carryover.partner is not None and carryover.partner not in holders:
            problems.add(files[carryover.id], "partner", f"unknown partner {carryover.partner!r}", _known_hint(cluster))
    carryovers = [c for c in carryovers if c.partner is None or c.partner in holders]
    files = {c.id: files[c.id] for c in carryovers}
    return carryovers, files
