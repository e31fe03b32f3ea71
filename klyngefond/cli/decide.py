"""What the commands that record decisions share: reading what a person typed (amounts,
dates, levels, partners, grants, names) and the locked write-then-verify sequence.

Everything typed is checked here, before anything is computed or written; a mistake is a
usage error (exit 2) that says what was wrong and how to write it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli.common import EXIT_USAGE, console, fail, print_json
from klyngefond.core.ledger import Ledger

DateOption = Annotated[str | None, typer.Option("--date", help="Date of the decision: 2024-03-01 (or 01-03-2024).",
                                                show_default=False)]
LevelOption = Annotated[str | None, typer.Option("--level", help="Who decided: politisk, fagligt strategisk or administrativ.",
                                                 show_default=False)]
BodyOption = Annotated[str | None, typer.Option("--body", help="The body that decided, e.g. \"Politisk niveau\".",
                                                show_default=False)]
ReferenceOption = Annotated[str | None, typer.Option("--reference", help="Minutes or case reference (punkt, sagsnr.).",
                                                     show_default=False)]
RecordOption = Annotated[bool, typer.Option("--record", help="Write the decision into the ledger (default: only show the effect).")]
OverrideOption = Annotated[str | None, typer.Option(
    "--override-shortfall", metavar="REASON",
    help="Record even though a partner cannot afford its share; REASON is written into the record.",
    show_default=False)]
YearOption = Annotated[int | None, typer.Option("--year", help="Budget year: test against that year's closing balances.",
                                                show_default=False)]

LEVELS = {
    "politisk": "politisk", "political": "politisk", "pol": "politisk",
    "fagligt strategisk": "fagligt strategisk", "fagligt-strategisk": "fagligt strategisk",
    "faglig strategisk": "fagligt strategisk", "fagligt": "fagligt strategisk",
    "professional-strategic": "fagligt strategisk", "strategic": "fagligt strategisk",
    "administrativ": "administrativ", "administrative": "administrativ", "adm": "administrativ",
}


def amount(text: str, option: str) -> Decimal:
    from klyngefond.core.money import AmountError, parse_user_amount

    try:
        return parse_user_amount(text)
    except AmountError as exc:
        fail(f"{option}: {exc.message}", exc.hint, code=EXIT_USAGE)


def date(text: str) -> dt.date:
    cleaned = text.strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    fail(f"--date: {text!r} is not a date", "write it as 2024-03-01 (year-month-day) or 01-03-2024", code=EXIT_USAGE)


def level(text: str) -> str:
    key = re.sub(r"\s+", " ", text.strip().lower().replace("_", " "))
    found = LEVELS.get(key) or LEVELS.get(key.replace(" ", "-"))
    if found is None:
        fail(f"--level: {text!r} is not a decision level", "use politisk, \"fagligt strategisk\" or administrativ",
             code=EXIT_USAGE)
    return found


def decision(date_text: str | None, level_text: str | None, body: str | None, reference: str | None,
             *, required: bool, command: str) -> Any:
    """The Decision typed with --date and --level (both needed to record)."""
    from klyngefond.core.records import Decision

    if date_text is None and level_text is None and not required:
        return None
    missing = [opt for opt, value in (("--date", date_text), ("--level", level_text)) if value is None]
    if missing:
        fail(f"{command} --record needs {' and '.join(missing)}: who decided, and when",
             "e.g. --date 2024-03-01 --level politisk", code=EXIT_USAGE)
    return Decision(level(level_text), date(date_text), body=body, reference=reference)  # type: ignore[arg-type]


def grant_name(text: str) -> str:
    """A grant's name: free text, but nothing that looks like a path."""
    name = text.strip()
    problem = None
    if not name:
        problem = "is empty"
    elif "/" in name or "\\" in name:
        problem = "contains a path separator ('/' or '\\')"
    elif name.startswith(".") or ".." in name:
        problem = "starts with a dot or contains '..'"
    elif any(ord(c) < 32 or ord(c) == 127 for c in name):
        problem = "contains control characters"
    if problem:
        fail(f"--name {text!r} {problem}; a grant's name may not look like a path",
             "write the initiative's name, e.g. --name \"Tidlig opsporing i eget hjem\"", code=EXIT_USAGE)
    return name


def new_id(text: str) -> str:
    from klyngefond.core.ids import IdError, check_id

    try:
        return check_id(text, "--id")
    except IdError as exc:
        fail(exc.message, *([exc.hint] if exc.hint else []), code=EXIT_USAGE)


def slug(name: str) -> str:
    from klyngefond.core.ids import IdError, slugify

    try:
        return slugify(name)
    except IdError as exc:
        fail(exc.message, exc.hint, code=EXIT_USAGE)


def partner(ledger: Ledger, text: str, option: str, *, fund_holder: bool = True) -> str:
    """A partner id from its id or (forgivingly) its name; a usage error lists the known ones."""
    from klyngefond.core.ids import fold_variants

    cluster = ledger.cluster
    wanted = text.strip()
    found = cluster.partner(wanted)
    if found is None:
        keys = fold_variants(wanted)
        matches = [p for p in cluster.partners
                   if keys & set().union(*(fold_variants(n) for n in (p.id.replace("-", " "), p.name, p.short_name or "")))]
        if len(matches) == 1:
            found = matches[0]
    if found is None:
        known = ", ".join(p.id for p in cluster.partners if p.kind != "almen praksis" or not fund_holder)
        fail(f"{option}: unknown partner {text!r} in {cluster.name}", f"use one of: {known}", code=EXIT_USAGE)
    if fund_holder and found.kind == "almen praksis":
        fail(f"{option}: {found.name} is general practice, which holds no cluster funds", code=EXIT_USAGE)
    return found.id


def partner_list(ledger: Ledger, values: list[str] | None, option: str) -> tuple[str, ...]:
    items = [item for value in values or [] for item in value.split(",") if item.strip()]
    ids = tuple(dict.fromkeys(partner(ledger, item, option) for item in items))
    return ids


def partner_amounts(ledger: Ledger, values: list[str] | None, option: str) -> dict[str, Decimal]:
    """``PARTNER=AMOUNT`` pairs (repeatable option)."""
    result: dict[str, Decimal] = {}
    for value in values or []:
        if "=" not in value:
            fail(f"{option} {value!r}: write PARTNER=AMOUNT, e.g. {option} region-syddanmark=581400", code=EXIT_USAGE)
        who, _, how_much = value.partition("=")
        pid = partner(ledger, who, option)
        if pid in result:
            fail(f"{option}: {pid} is given twice", code=EXIT_USAGE)
        result[pid] = amount(how_much, f"{option} {who.strip()}")
    return result


def grant(ledger: Ledger, text: str, what: str = "grant") -> str:
    """A grant id from its id or (forgivingly) its name."""
    from klyngefond.core.ids import fold_variants

    if ledger.grant(text.strip()) is not None:
        return text.strip()
    keys = fold_variants(text)
    names = {g.id: fold_variants(g.name) | fold_variants(g.id.replace("-", " ")) for g in ledger.grants}
    matches = [g for g in ledger.grants if keys & names[g.id]]
    if not matches:  # a unique beginning is enough: "72-timers", "kom trygt"
        matches = [g for g in ledger.grants if any(n.startswith(k) for k in keys for n in names[g.id])]
    if len(matches) == 1:
        return matches[0].id
    if len(matches) > 1:
        fail(f"{text!r} could mean several grants: {', '.join(g.id for g in matches)}", "give the grant's id",
             code=EXIT_USAGE)
    known = ", ".join(g.id for g in ledger.grants) or "(none)"
    fail(f"unknown {what} {text!r} in {ledger.cluster.name}", f"known grants: {known}")


@contextmanager
def writing(folder: Path) -> Iterator[Ledger]:
    """Hold the cluster's write lock and yield the ledger freshly read from disk."""
    from klyngefond.storage.decisions import cluster_lock
    from klyngefond.storage.loader import load_ledger

    with cluster_lock(folder):
        ledger, problems = load_ledger(folder)
        if problems or ledger is None:
            fail(f"{len(problems)} problem(s) in the data of {folder.name}; fix them before recording:",
                 *[str(p) for p in problems])
        yield ledger


def write(folder: Path, subdir: str, stem: str, taken: set[str], build: Callable[[str], dict[str, Any]],
          model: type, command: str) -> tuple[str, Path]:
    """Write a new record file, then re-load the ledger to confirm it is whole and valid."""
    from klyngefond.storage.decisions import RecordError, header, write_record
    from klyngefond.storage.loader import load_ledger

    try:
        record_id, path = write_record(folder, subdir, stem, taken, build, model, header(command))
    except RecordError as exc:
        fail(exc.message, *([exc.hint] if exc.hint else []))
    _, problems = load_ledger(folder)
    mine = [p for p in problems if Path(p.file) == path]
    if mine:
        fail(f"{path} was written, but the ledger does not accept it:", *[str(p) for p in mine],
             f"remove {path} and report this as a bug")
    return record_id, path


def shortfall_refusal(report: Any, override: str | None, lang: str) -> None:
    """Exit 1, naming every partner short, unless the person gave an override reason."""
    from klyngefond.render import i18n

    if not report.shortfalls or override:
        return
    lines = [f"{report.partner_names.get(s.partner, s.partner)} ({s.partner}) is short by {i18n.money(s.missing, lang)}"
             for s in report.shortfalls]
    fail("refused: a partner cannot afford its share; nothing was written", *lines,
         "lower the amount, choose another model, or record anyway with --override-shortfall \"<reason>\"")


def show_proposal(report: Any, lang: str, as_json: bool) -> None:
    """Print a proposal or recorded decision (allocate and the grant changes share one view)."""
    from klyngefond.render.allocate_view import proposal_json, render_proposal

    if as_json:
        print_json(proposal_json(report))
        return
    out = console()
    for block in render_proposal(report, lang):
        out.print(block)
