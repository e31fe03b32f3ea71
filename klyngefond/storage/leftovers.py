"""What an interrupted multi-file operation can leave behind, found so that the next command completes it.

Every single file klyngefond writes appears whole or not at all (``storage/atomic.py``).
Some operations write several files, and a ``kill -9``, a power cut or a full disk can stop
them between two files:

* ``invoices --issue`` records each invoice (``invoices/<number>.toml``) and only then
  writes its documents (``<number>.pdf`` and ``<number>.xml`` in the documents folder,
  ``fakturaer/<cluster id>`` from where the command runs, or ``--out``). An invoice
  without its documents is found by :func:`missing_documents`; ``klyngefond repair`` and
  the next ``invoices --issue`` write them.
* Before an invoice is recorded its number is taken from the data folder's counter file
  ``.invoice-numbers.toml`` (``storage/numbering.py``); a stop in between leaves a gap in
  the numbers, never a number used twice. A counter that is *behind* the numbers on file
  (lowered by hand, or restored from an old copy) is found by :func:`counters_behind`, and
  issuing refuses until ``repair`` puts it right, without touching it.
* A write killed before its temporary file got its name leaves a stray
  ``.<name>.<random>.tmp``, which every reader ignores; :func:`stray_temporaries` finds
  them, and ``repair`` (or the next ``--issue``) removes those older than
  :data:`STRAY_AFTER` seconds (a younger one may belong to a command still running).

Every other command writes one file, so it either happened or it did not.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from klyngefond.core.ledger import Ledger
from klyngefond.core.problems import Problem
from klyngefond.core.records import RECORD_FOLDERS, Invoice
from klyngefond.i18n import Message, Verbatim
from klyngefond.storage.atomic import TMP_SUFFIX
from klyngefond.storage.numbering import (
    NumbersOnFile,
    counter_file,
    derive_prefix,
    split_number,
)
from klyngefond.storage.sequence import SequenceError, read_counters

DOCUMENTS_FOLDER = Path("fakturaer")
DOCUMENT_SUFFIXES = (".xml", ".pdf")  # as documents/issue.write_documents names them
STRAY_AFTER = 60.0



def documents_folder(ledger: Ledger, out: Path | None = None) -> Path:
    """Where the documents of ``ledger``'s invoices are: ``out``, or ``fakturaer/<cluster id>`` here."""
    return out if out is not None else DOCUMENTS_FOLDER / ledger.cluster.id


def document_paths(folder: Path, number: str) -> tuple[Path, ...]:
    return tuple(folder / f"{number}{suffix}" for suffix in DOCUMENT_SUFFIXES)


def missing_documents(ledger: Ledger, folder: Path) -> list[tuple[Invoice, tuple[Path, ...]]]:
    """Each issued invoice (and credit note) whose PDF or XML is not in ``folder``, with the missing paths."""
    missing = []
    for invoice in sorted(ledger.invoices, key=lambda i: (i.issue_date, i.number)):
        absent = tuple(path for path in document_paths(folder, invoice.number) if not path.is_file())
        if absent:
            missing.append((invoice, absent))
    return missing


@dataclass(frozen=True)
class Stray:
    path: Path
    age: float  # seconds since it was last written

    @property
    def old(self) -> bool:
        return self.age >= STRAY_AFTER


def stray_temporaries(folders: Iterable[Path], now: float | None = None) -> list[Stray]:
    """The temporary files (``.*.tmp``) in ``folders`` and their record folders, oldest first."""
    now = time.time() if now is None else now
    found: list[Stray] = []
    seen: set[Path] = set()
    for folder in folders:
        for directory in (folder, *(folder / name for name in RECORD_FOLDERS)):
            if directory in seen or directory.is_symlink():
                continue
            seen.add(directory)
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                if not (entry.name.startswith(".") and entry.name.endswith(TMP_SUFFIX)):
                    continue
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                found.append(Stray(Path(entry.path), max(0.0, now - info.st_mtime)))
    return sorted(found, key=lambda s: (-s.age, str(s.path)))


def remove_strays(strays: Iterable[Stray]) -> list[Path]:
    """Remove the old strays (younger ones may be a command at work); the paths removed."""
    removed = []
    for stray in strays:
        if not stray.old:
            continue
        try:
            os.unlink(stray.path)
        except FileNotFoundError:
            continue
        removed.append(stray.path)
    return removed


# --------------------------------------------------------------------------- invoice numbers


@dataclass(frozen=True)
class CounterBehind:
    counter_file: Path
    key: str  # the counter's key, the issuer's prefix and the year: "SAN-2024"
    last: int  # what the counter file says
    used: int  # the highest running number on an invoice file
    number: str  # the invoice that carries it


@dataclass(frozen=True)
class Counters:
    """The data folder's counter file, read once (``check`` reads it once for every cluster):
    each key's last number (``None`` when there is no file), or the error that made it unreadable."""

    path: Path
    last: dict[str, int] | None
    error: SequenceError | None = None

    @classmethod
    def read(cls, data_folder: Path) -> Counters:
        path = counter_file(data_folder)
        if not path.is_file():
            return cls(path, None)
        try:
            return cls(path, read_counters(path))
        except SequenceError as exc:
            return cls(path, None, exc)


def counters_behind(ledger: Ledger, folder: Path, issuers: Iterable[str] | None = None,
                    years: Iterable[int] | None = None, *, on_file: NumbersOnFile | None = None) -> list[CounterBehind]:
    """Counters in the data folder's ``.invoice-numbers.toml`` below a number already on an invoice file.

    Only the issuers named (default: every issuer of this cluster's invoices) and the
    years named (default: every year on file) are looked at. ``on_file`` is the data
    folder's invoice numbers when the caller has read them (read here when not given). A
    missing counter file is not behind (numbering skips every number on file); an
    unreadable one raises :class:`~klyngefond.storage.sequence.SequenceError`.
    """

    data = Path(folder).parent
    counters = Counters.read(data)
    if counters.error is not None:
        raise counters.error
    if counters.last is None:
        return []
    on_file = NumbersOnFile.read(data) if on_file is None else on_file
    wanted = dict.fromkeys(issuers) if issuers is not None else dict.fromkeys(i.issuer for i in ledger.invoices)
    prefixes = dict.fromkeys(derive_prefix(partner) for issuer in wanted if (partner := ledger.cluster.partner(issuer)) is not None)
    chosen = tuple(years) if years is not None else None
    keys = [(prefix, year) for prefix in prefixes
            for year in (chosen if chosen is not None else sorted(y for p, y in on_file.highest if p == prefix))]
    return _behind(keys, on_file, counters)


def _behind(keys: Iterable[tuple[str, int]], on_file: NumbersOnFile, counters: Counters) -> list[CounterBehind]:
    """The counters of ``keys`` (prefix and year) whose last number is below the highest on file:
    the one rule that issuing and ``repair`` (:func:`counters_behind`) and ``check`` (:func:`findings`) apply."""
    behind = []
    for prefix, year in keys:
        used, carrier = on_file.highest.get((prefix, year), (0, ""))
        key = f"{prefix}-{year}"
        last = (counters.last or {}).get(key, 0)
        if used and last < used:
            behind.append(CounterBehind(counters.path, key, last, used, carrier))
    return behind


# --------------------------------------------------------------------------- findings for check
# check works from the invoice files' names (an invoice file is named by its number), not from
# the ledger: it keeps each folder's own findings in the cache with the folder's state, and
# what an interrupted command left lies outside the record files, so it is looked at afresh.

def findings(folder: Path, cluster_id: str | None, invoices: list[str], out: Path | None = None,
             on_file: NumbersOnFile | None = None, counters: Counters | None = None) -> list[Problem]:
    """What an interrupted command left in this cluster, as ``check`` findings (see the module's description).

    ``invoices`` are the numbers of the cluster's valid invoice files; ``on_file`` the
    data folder's invoice numbers and ``counters`` its counter file (each read here when not
    given). ``cluster_id`` is ``None`` when the cluster file is unusable: then the documents
    folder is not known.
    """

    found: list[Problem] = []
    repair = Message("integrity.hint_repair", folder=Verbatim(folder.name))
    documents = out if out is not None else (DOCUMENTS_FOLDER / cluster_id if cluster_id is not None else None)
    folders = [folder] + ([documents] if documents is not None else [])
    for stray in stray_temporaries(folders):
        found.append(Problem(stray.path, None, Message("integrity.stray_temporary", seconds=int(stray.age)),
                             repair if stray.old else Message("integrity.hint_young_stray"), "warning", code="temporary"))
    if not invoices or documents is None:
        return found
    if not documents.is_dir():
        found.append(Problem(None, None, Message("integrity.no_documents_folder", folder=Verbatim(str(documents.absolute())),
                                                 count=len(invoices)),
                             Message("integrity.hint_no_documents_folder", folder=Verbatim(folder.name)), "warning",
                             code="documents"))
    else:
        for number in invoices:
            absent = [p for p in document_paths(documents, number) if not p.is_file()]
            if absent:
                found.append(Problem(folder / "invoices" / f"{number}.toml", None, Message("integrity.missing_documents", number=Verbatim(number),
                                                         files=[p.name for p in absent], folder=Verbatim(str(documents))),
                                     repair, "warning", code="documents"))
    counters = Counters.read(folder.parent) if counters is None else counters
    counter = counters.path
    if counters.error is not None:
        found.append(Problem(counters.error.path, None, Message("integrity.counter_unreadable"),
                             Message("invoices.hint_sequence"), "error", code="sequence"))
        return found
    if counters.last is None:
        return found
    keys = sorted({split[:2] for number in invoices if (split := split_number(number)) is not None})
    on_file = NumbersOnFile.read(folder.parent) if on_file is None else on_file
    for b in _behind(keys, on_file, counters):
        found.append(Problem(counter, f'last."{b.key}"',
                             Message("integrity.sequence_behind", path=Verbatim(str(counter)), issuer=b.key,
                                     last=b.last, number=Verbatim(b.number)),
                             Message("integrity.hint_sequence_behind", path=Verbatim(str(counter)), issuer=b.key,
                                     used=b.used, cluster=Verbatim(folder.name)), "error", code="sequence"))
    return found
