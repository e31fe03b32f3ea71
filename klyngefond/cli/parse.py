"""Reading what a person typed: languages, years, dates, amounts, levels, partners and grants.

Everything typed is checked here, before anything is computed or written; a mistake is a
usage error (exit 2) that says what was wrong and how to write it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from klyngefond.cli.errors import UsageProblem
from klyngefond.cli.language import current
from klyngefond.core.dates import DateError, parse_user_date
from klyngefond.core.ids import IdError, check_id, fold_variants, slugify
from klyngefond.core.ledger import Ledger
from klyngefond.core.money import AmountError, parse_user_amount
from klyngefond.core.records import YearSpan
from klyngefond.core.text import control_characters
from klyngefond.i18n import LANGS, Message, Verbatim

LEVELS = {
    "politisk": "politisk", "political": "politisk", "pol": "politisk",
    "fagligt strategisk": "fagligt strategisk", "fagligt-strategisk": "fagligt strategisk",
    "faglig strategisk": "fagligt strategisk", "fagligt": "fagligt strategisk",
    "professional-strategic": "fagligt strategisk", "strategic": "fagligt strategisk",
    "administrativ": "administrativ", "administrative": "administrativ", "adm": "administrativ",
}


def lang(value: str | None) -> str:
    """The run's language, after checking a ``--lang`` value (or ``KLYNGEFOND_LANG``) typed to a command.

    The language was chosen from the whole command line before parsing (``language.choose``),
    so ``klyngefond --lang en status …`` and ``klyngefond status … --lang en`` agree.
    """
    if value is not None and (value or "").strip().lower() not in LANGS:
        raise UsageProblem(Message("cli.unknown_lang", value=Verbatim(value)), Message("cli.hint_lang"))
    return current()


def date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_user_date(text)
    except DateError as exc:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=exc.message), *([exc.hint] if exc.hint else [])) from None


def amount(text: str, option: str, *, allow_zero: bool = False) -> Decimal:
    try:
        return parse_user_amount(text, allow_zero=allow_zero)
    except AmountError as exc:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=exc.message), *([exc.hint] if exc.hint else [])) from None


def year_span(text: str | None, option: str) -> YearSpan | None:
    if text is None:
        return None
    if not text.strip():
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("validate.empty")), Message("validate.hint_year"))
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text, re.ASCII)
    if not match:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("validate.not_a_year", value=text)),
                           Message("validate.hint_year"))
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if not 1990 <= first <= last <= 2100:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("validate.bad_period", first=first, last=last)),
                           Message("validate.hint_year"))
    return YearSpan(first, last)


def year(text: str | None, option: str) -> int | None:
    span = year_span(text, option)
    if span is None:
        return None
    if span.is_period:
        raise UsageProblem(Message("cli.option_one_year", option=option, value=str(span)))
    return span.first


def level(text: str, option: str = "--level") -> str:
    key = re.sub(r"\s+", " ", text.strip().lower().replace("_", " "))
    found = LEVELS.get(key) or LEVELS.get(key.replace(" ", "-"))
    if found is None:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("cli.not_a_level", value=Verbatim(text))),
                           Message("cli.hint_level"))
    return found


def text_value(value: str | None, option: str, *, multiline: bool = False) -> str | None:
    """Free text from the command line: no control characters, no empty text."""
    if value is None:
        return None
    bad = control_characters(value, multiline=multiline)
    if bad:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("validate.control_characters", characters=bad)),
                           Message("validate.hint_control"))
    if not value.strip():
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("validate.empty")))
    if len(value) > 2000:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("validate.too_long", limit=2000)))
    return value.strip()


def name(value: str, option: str) -> str:
    """A record's name: one line of text that does not look like a path."""
    cleaned = text_value(value, option)
    assert cleaned is not None
    if "/" in cleaned or "\\" in cleaned or cleaned.startswith(".") or ".." in cleaned:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("cli.name_like_path", value=Verbatim(cleaned))),
                           Message("cli.hint_name"))
    if len(cleaned) > 300:
        raise UsageProblem(Message("cli.option_problem", option=option, problem=Message("validate.too_long", limit=300)))
    return cleaned


def new_id(value: str, option: str = "--id") -> str:
    try:
        return check_id(value, option)
    except IdError as exc:
        raise UsageProblem(exc.message, *([exc.hint] if exc.hint else [])) from None


def slug(value: str, option: str) -> str:
    try:
        return slugify(value)
    except IdError as exc:
        raise UsageProblem(exc.message, *([exc.hint] if exc.hint else [])) from None


def partner(ledger: Ledger, text: str, option: str, *, fund_holder: bool = True) -> str:
    """A partner id from its id or (forgivingly) its name; a usage error lists the known ones."""
    cluster = ledger.cluster
    wanted = text.strip()
    found = cluster.partner(wanted)
    if found is None:
        keys = fold_variants(wanted)
        matches = [p for p in cluster.partners
                   if keys & set().union(*(fold_variants(n) for n in (p.id.replace("-", " "), p.name, p.short_name or "")))]
        if len(matches) == 1:
            found = matches[0]
    known = [p.id for p in cluster.partners if p.holds_funds or not fund_holder]
    if found is None:
        raise UsageProblem(Message("cli.unknown_partner", option=option, value=Verbatim(text), cluster=Verbatim(cluster.name)),
                           Message("cli.hint_use_one_of", choices=known))
    if fund_holder and not found.holds_funds:
        raise UsageProblem(Message("cli.partner_no_funds", option=option, name=Verbatim(found.name)))
    return found.id


def holder(ledger: Ledger, text: str, option: str) -> str:
    """A partner or a group that holds funds."""
    group = ledger.cluster.group(text.strip())
    if group is not None:
        return group.id
    return partner(ledger, text, option)


def partner_list(ledger: Ledger, values: list[str] | None, option: str) -> tuple[str, ...]:
    items = [item for value in values or [] for item in value.split(",") if item.strip()]
    return tuple(dict.fromkeys(partner(ledger, item, option) for item in items))


def partner_amounts(ledger: Ledger, values: list[str] | None, option: str) -> dict[str, Decimal]:
    """``PARTNER=AMOUNT`` pairs (a repeatable option)."""
    result: dict[str, Decimal] = {}
    for value in values or []:
        if "=" not in value:
            raise UsageProblem(Message("cli.pair_expected", option=option, value=Verbatim(value)))
        who, _, how_much = value.partition("=")
        pid = partner(ledger, who, option)
        if pid in result:
            raise UsageProblem(Message("cli.given_twice", option=option, partner=pid))
        result[pid] = amount(how_much, f"{option} {who.strip()}")
    return result


def grant(ledger: Ledger, text: str, option: str = "GRANT") -> str:
    """A grant id from its id or (forgivingly) its name or the unique beginning of it."""
    wanted = text.strip()
    if ledger.grant(wanted) is not None:
        return wanted
    keys = fold_variants(wanted)
    names = {g.id: fold_variants(g.name) | fold_variants(g.id.replace("-", " ")) for g in ledger.grants}
    matches = [g for g in ledger.grants if keys & names[g.id]]
    if not matches:
        matches = [g for g in ledger.grants if any(n.startswith(k) for k in keys if k for n in names[g.id])]
    if len(matches) == 1:
        return matches[0].id
    if len(matches) > 1:
        raise UsageProblem(Message("cli.ambiguous_grant", value=Verbatim(text), grants=[g.id for g in matches]),
                           Message("cli.hint_grant_id"))
    raise UsageProblem(Message("cli.unknown_grant", value=Verbatim(text), cluster=Verbatim(ledger.cluster.name)),
                       Message("cli.hint_known_grants", grants=[g.id for g in ledger.grants] or ["–"]))
