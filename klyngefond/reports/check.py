"""``klyngefond check``: every finding about a cluster at once. Pure.

A cluster's findings come from three places, and only from them, so that ``check`` judges
by the same rules as everything else:

* the loader's problems (a file that cannot be read, a key that is wrong, a record that
  names a partner or grant that does not exist);
* the journal's invariants (``journal.invariants.check_journal``), the same list of
  rules a decision is checked against when it is recorded;
* the figures printed in the sources (``reference.toml``) that the journal does not
  reproduce. Those are the sources' own slips (a cell rounded on its own, a total that is
  not the sum of its parts): worth knowing, never an error in the data, so severity info.

Findings are ordered errors first, then warnings, then info; within a severity they keep
the order above. Two folders that give their cluster the same id are an error of both
(their invoice numbers and documents would mix), found by :func:`duplicate_ids`; so is an
invoice number that two clusters have issued (:func:`duplicate_invoices`). What an
interrupted command left half done is found by ``storage/leftovers.findings`` (it
reads the disk, so it is not here): invoices without documents and stray temporary files are
warnings (``klyngefond repair`` completes them), a counter file behind the invoice numbers
on file is an error (issuing refuses until it is put right).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from klyngefond.core.ledger import Ledger
from klyngefond.core.problems import SEVERITIES, Problem
from klyngefond.core.records import ReferenceFigure
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal.invariants import check_journal
from klyngefond.journal.model import Journal
from klyngefond.reports.reference import Discrepancy, check_figures, wording

REFERENCE_FILE = "reference.toml"
CLUSTER_FILE = "cluster.toml"

_RANK = {severity: index for index, severity in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class ClusterCheck:
    """The findings of one cluster folder; ``id`` and ``name`` as its cluster file gives them."""

    folder: Path
    id: str
    name: str
    findings: tuple[Problem, ...]

    def count(self, severity: str) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)


@dataclass(frozen=True)
class CheckReport:
    clusters: tuple[ClusterCheck, ...]

    def count(self, severity: str) -> int:
        return sum(cluster.count(severity) for cluster in self.clusters)

    @property
    def ok(self) -> bool:
        """No errors (warnings and info allowed)."""
        return self.count("error") == 0


def check_cluster(problems: Iterable[Problem], ledger: Ledger | None, journal: Journal | None,
                  today: dt.date) -> tuple[Problem, ...]:
    """Every finding about one cluster: the loader's ``problems``, the invariants, the sources' slips.

    ``ledger`` and ``journal`` are ``None`` when the cluster file itself is unusable; the
    loader's problems then say why.
    """
    findings = [replace(p, code=p.code or "file") for p in problems]
    if ledger is not None and journal is not None:
        findings += check_journal(ledger, journal, today)
        names = {g.id: g.name for g in ledger.grants}
        findings += [slip(found, ledger, names) for found in check_figures(ledger.references, journal)]
    return tuple(sorted(findings, key=lambda p: _RANK[p.severity]))


def with_findings(extra: Iterable[Problem], findings: tuple[Problem, ...]) -> tuple[Problem, ...]:
    """``check_cluster([*extra, *problems], …)`` from ``findings = check_cluster(problems, …)``: the
    same order (``extra`` first within each severity), so that findings kept for a folder can be
    combined with findings about other folders."""
    first = [replace(p, code=p.code or "file") for p in extra]
    return tuple(sorted([*first, *findings], key=lambda p: _RANK[p.severity]))


def duplicate_ids(clusters: Iterable[tuple[Path, str]]) -> dict[Path, list[Problem]]:
    """Per folder whose cluster id another folder uses too, the finding that says so."""
    by_id: dict[str, list[Path]] = defaultdict(list)
    for folder, cluster_id in clusters:
        by_id[cluster_id].append(folder)
    found: dict[Path, list[Problem]] = {}
    for cluster_id, folders in by_id.items():
        if len(folders) < 2:
            continue
        for folder in folders:
            others = [f.name for f in folders if f != folder]
            found[folder] = [Problem(folder / CLUSTER_FILE, "id", Message("check.duplicate_id", id=Verbatim(cluster_id),
                                                                          folders=others),
                                     Message("check.hint_duplicate_id"), "error", code="duplicate_cluster")]
    return found


# --------------------------------------------------------------------------- the sources' slips


def slip(found: Discrepancy, ledger: Ledger, grant_names: dict[str, str] | None = None) -> Problem:
    """A printed figure the journal does not reproduce, as an info finding on ``reference.toml``.

    ``grant_names`` (grant id -> name) is made once by the caller for all the figures.
    """
    names = grant_names if grant_names is not None else {g.id: g.name for g in ledger.grants}
    message, hint = wording(found, ledger.cluster, names)
    return Problem(ledger.folder / REFERENCE_FILE, figure_key(found.figure), message, hint, "info", code="reference")


def figure_key(figure: ReferenceFigure) -> str:
    """Where the figure is in ``reference.toml``: ``figure (share, kom-trygt-hjem, vejen)``."""
    parts = [figure.measure] + [str(v) for v in (figure.grant, figure.partner, figure.year) if v is not None]
    return f"figure ({', '.join(parts)})"


def duplicate_invoices(clusters: Iterable[tuple[Path, Iterable[str]]]) -> dict[Path, list[Problem]]:
    """Per folder, an error for each invoice number another cluster folder has issued too
    (``clusters``: each folder with the numbers of its invoice files)."""
    first: dict[str, int] = {}  # number -> the position of the first folder that has it
    folders_seen: list[Path] = []
    places: dict[str, list[Path]] = {}  # only the numbers found in more than one folder
    for position, (folder, numbers) in enumerate(clusters):
        folders_seen.append(folder)
        for number in numbers:
            seen = first.setdefault(number, position)  # ints: comparing paths 185,000 times is slow
            if seen != position:
                places.setdefault(number, [folders_seen[seen]]).append(folder)
    found: dict[Path, list[Problem]] = defaultdict(list)
    for number, folders in places.items():
        for folder in folders:
            others = [str(other) for other in folders if other != folder]
            found[folder].append(Problem(folder / "invoices" / f"{number}.toml", "number",
                                         Message("integrity.duplicate_invoice", number=Verbatim(number), folders=others),
                                         Message("integrity.hint_duplicate_invoice"), "error", code="duplicate_invoice"))
    return dict(found)

