"""Recording a decision: the same rules as ``check``, enforced before anything is written.

Under the cluster's lock the new record is added to the ledger read afresh, the journal
is built with it (``journal.build.with_record``: one transaction inserted where nothing
after it could post differently, else built again from the records) and every invariant
is run over the whole journal (``journal/invariants.py``). A problem the
new record brings (a partner below zero, an overpayment, a date in the future) refuses it,
naming the problem, unless ``--override REASON`` is given, in which case the reason is
stored in the record and the problem is shown as a warning. The same decision recorded
twice is refused, naming the file that already holds it. Books a closeout closed refuse
every record but a reopening. Then the record is written as one new file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from klyngefond.cli.context import Opened, refuse_if_closed
from klyngefond.cli.errors import Refused
from klyngefond.core.duplicates import already_recorded
from klyngefond.core.ledger import ref
from klyngefond.core.problems import Problem
from klyngefond.i18n import Message, Verbatim
from klyngefond.journal.build import with_record
from klyngefond.journal.invariants import check_journal
from klyngefond.journal.model import Journal
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.storage.records import TargetExistsError, free_id, header, write_record

REFUSING = {"invariant", "future", "journal"}


@dataclass(frozen=True)
class Outcome:
    """What recording did: the record as written, its file, and the warnings it carries."""

    record: Any
    path: Path
    journal: Journal
    warnings: tuple[Problem, ...] = ()


def new_problems(opened: Opened, candidate: Any, folder_name: str, today: dt.date) -> tuple[Journal, list[Problem]]:
    """The journal with ``candidate`` added, and the problems it brings that were not there before."""
    return new_problems_for(opened, (candidate,), folder_name, today)


def new_problems_for(opened: Opened, candidates: tuple[Any, ...], folder_name: str,
                     today: dt.date) -> tuple[Journal, list[Problem]]:
    """The journal with all ``candidates`` added, and the problems they bring that were not there
    before: one run of the rules for the whole batch (``invoices --issue`` checks all it issues at once)."""
    origins = dict(opened.ledger.origins)
    ledger, journal = opened.ledger, opened.journal
    new_files = set()
    for candidate in candidates:
        record_id = candidate.number if folder_name == "invoices" else candidate.id
        new_file = origins[ref(folder_name, record_id)] = opened.folder / folder_name / f"{record_id}.toml"
        new_files.add(new_file)
        ledger = ledger.with_records(**{folder_name: (candidate,)})
        journal = with_record(journal, ledger, folder_name, candidate)
    ledger = replace(ledger, origins=origins)
    before = {(p.code, p.message) for p in check_journal(opened.ledger, opened.journal, today)}
    after = check_journal(ledger, journal, today)
    # The new records have no file yet: a problem one brings is about "this decision", not a path.
    return journal, [replace(p, file=None) if p.file in new_files else p for p in after if (p.code, p.message) not in before]


def refuse_duplicate(opened: Opened, candidate: Any) -> None:
    """Refuse a decision that is already recorded, naming the file that holds it."""
    duplicate = already_recorded(candidate, opened.ledger)
    if duplicate is not None:
        where = opened.ledger.origins.get(duplicate) or opened.folder / duplicate
        raise Refused(Message("recording.duplicate", file=Verbatim(shown_path(where))), Message("recording.hint_duplicate"))


def record(
    opened: Opened,
    folder_name: str,
    make: Callable[[str, str | None], Any],
    stem: str,
    *,
    command: str,
    lang: str,
    today: dt.date,
    override: str | None = None,
    explicit_id: bool = False,
    duplicate: tuple[str, str] = ("recording.duplicate", "recording.hint_duplicate"),
) -> Outcome:
    """Check and write the record ``make(id, override)`` builds; refuse with every new problem.

    Nothing is recorded in closed books but the reopening that opens them.
    """
    if folder_name != "reopenings":
        refuse_if_closed(opened)
    taken = {getattr(r, "id", None) for r in getattr(opened.ledger, folder_name)}
    record_id = stem if explicit_id else free_id(opened.folder, folder_name, stem, taken)  # type: ignore[arg-type]
    if explicit_id and (record_id in taken or (opened.folder / folder_name / f"{record_id}.toml").exists()):
        raise Refused(Message("recording.id_taken", id=record_id, folder=folder_name))
    candidate = make(record_id, None)
    found = already_recorded(candidate, opened.ledger)
    if found is not None and not override:
        where = opened.ledger.origins.get(found) or opened.folder / found
        raise Refused(Message(duplicate[0], file=Verbatim(shown_path(where))), Message(duplicate[1]))
    journal, problems = new_problems(opened, candidate, folder_name, today)
    refusing = [p for p in problems if p.code in REFUSING]
    if refusing:
        if not override:
            raise Refused(Message("recording.refused"), *[problem_words(p) for p in refusing], Message("recording.hint_override"))
        candidate = make(record_id, override)
        journal, problems = new_problems(opened, candidate, folder_name, today)
    elif found is not None:
        candidate = make(record_id, override)
    try:
        path = write_record(opened.folder, folder_name, candidate, header(command, lang))
    except TargetExistsError:
        raise Refused(Message("recording.raced", id=record_id), Message("recording.hint_raced")) from None
    return Outcome(candidate, path, journal, tuple(p for p in problems if not p.is_error or p.code == "override"))
