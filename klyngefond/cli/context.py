"""Opening a cluster for a command: the data folder, the cluster a person named, the ledger and its journal.

Reading commands get the ledger and journal as the files are now. Writing commands go
through :func:`writing`, which holds the cluster's lock, reads every file afresh and
yields the ledger and journal that the new record is checked against; nothing a writing
command decides comes from data not verified against the files' bytes read under the lock
(a cached record is reused only for bytes that hash to what it was made from).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from klyngefond.cli.errors import CommandError, Refused, UsageProblem
from klyngefond.core.ledger import Ledger
from klyngefond.core.problems import Problem, errors
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal.build import build_journal
from klyngefond.journal.model import Journal
from klyngefond.journal.query import closeout_in_force
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.storage import locate
from klyngefond.storage.loader import load_ledger


@dataclass(frozen=True)
class Opened:
    folder: Path
    ledger: Ledger
    journal: Journal
    warnings: tuple[Problem, ...] = ()


def data_root(data: Path | None, *, writing: bool = False) -> Path:
    try:
        root = locate.find_data_dir(data)
    except locate.DataNotFound as exc:
        if data is not None or os.environ.get(locate.ENV_VAR):
            # A folder named on the command line (or in KLYNGEFOND_DATA, which fills --data) that is not there.
            raise UsageProblem(Message("cli.data_missing", path=str(exc.looked[-1][1])), Message("cli.hint_data_missing")) from None
        raise CommandError(Message("cli.no_data"), *[Message("cli.looked_in", origin=Message("cli.origin_examples") if o == "examples" else o, path=str(p))
                                                     for o, p in exc.looked],
                           Message("cli.hint_no_data")) from None
    if writing and locate.is_shipped(root):
        raise Refused(Message("cli.shipped_data_read_only", path=str(root)), Message("cli.hint_shipped_data"),
                      Message("cli.hint_data_folder"))
    return root


def cluster_folder(name: str, data: Path | None, *, writing: bool = False) -> Path:
    root = data_root(data, writing=writing)
    try:
        return locate.resolve_cluster(root, name)
    except locate.UnknownCluster as exc:
        details: list[object] = []
        if exc.closest:
            details.append(Message("cli.did_you_mean_cluster", name=Verbatim(exc.closest)))
        details.append(Message("cli.known_clusters", root=str(root)))
        details += [Verbatim(f"  {folder} — {cluster_name}") for folder, cluster_name in exc.known]
        raise UsageProblem(Message("cli.unknown_cluster", name=Verbatim(name)), *details) from None  # type: ignore[arg-type]
    except locate.DuplicateCluster as exc:
        raise Refused(Message("cli.duplicate_cluster", id=exc.cluster_id, folders=[str(f) for f in exc.folders]),
                      Message("cli.hint_duplicate_cluster")) from None


def load(folder: Path, *, verify: str = "stat") -> tuple[Ledger, Journal, list[Problem]]:
    """The ledger and journal of a cluster folder; a file problem ends the command with every problem listed.

    ``verify="content"`` (writing commands): a cached record is used only for a file whose
    bytes, read now, hash to what the record was made from (``storage/cache.py``).
    """
    ledger, problems = load_ledger(folder, verify=verify)
    bad = errors(problems)
    if bad or ledger is None:
        raise data_problems(folder, bad or problems)
    return ledger, build_journal(ledger), [p for p in problems if not p.is_error]


def open_cluster(name: str, data: Path | None, *, verify: str = "stat") -> Opened:
    folder = cluster_folder(name, data)
    ledger, journal, warnings = load(folder, verify=verify)
    return Opened(folder, ledger, journal, tuple(warnings))


def data_problems(folder: Path, problems: list[Problem]) -> CommandError:
    return CommandError(Message("cli.data_problems", count=len(problems), cluster=folder.name),
                        *[problem_words(p) for p in problems])


def known_folder(folder: Path, data: Path | None) -> Path:
    """A cluster folder already found (by an invoice number, say), refused like a named one if its id is not its own."""
    root = data_root(data, writing=True)
    duplicates = locate.same_id(root, folder)
    if duplicates:
        raise Refused(Message("cli.duplicate_cluster", id=locate.read_names(folder).id, folders=[str(f) for f in [folder, *duplicates]]),
                      Message("cli.hint_duplicate_cluster"))
    return folder


@contextmanager
def writing(name: str, data: Path | None, *, closed_books_ok: bool = False, folder: Path | None = None) -> Iterator[Opened]:
    """Hold the cluster's write lock and yield the cluster freshly read from disk.

    Closed books (a closeout in force) refuse every writer, unless ``closed_books_ok``
    (reopening them, or completing the handover of the closeout that closed them).
    ``folder`` names the cluster's folder directly (``pay`` finds it by the invoice number),
    so that the record goes to exactly that folder, never to one whose name merely matches.
    """
    # Only writing commands need the lock (and the atomic writing it brings): not every reader.
    from klyngefond.storage.records import cluster_lock

    folder = known_folder(folder, data) if folder is not None else cluster_folder(name, data, writing=True)
    with cluster_lock(folder):
        ledger, journal, warnings = load(folder, verify="content")
        opened = Opened(folder, ledger, journal, tuple(warnings))
        if not closed_books_ok:
            refuse_if_closed(opened)
        yield opened


def refuse_if_closed(opened: Opened) -> None:
    """Refuse to record anything in books a closeout closed, naming it and how to reopen."""
    closeout = closeout_in_force(opened.journal)
    if closeout is None:
        return
    where = opened.ledger.origins.get(closeout.ref) or opened.folder / f"{closeout.ref}.toml"
    raise Refused(Message("closeout.books_closed", cluster=Verbatim(opened.ledger.cluster.name), date=closeout.date,
                          file=Verbatim(shown_path(where))),
                  Message("closeout.hint_reopen_command", cluster=opened.ledger.cluster.id))


def today() -> dt.date:
    return dt.date.today()
