"""The journal as a plain-text accounting file for hledger (and ledger) or beancount. Pure.

One transaction per journal transaction, on its date, described in the run's language,
with the record's reference as a tag (hledger ``ref:grants/x``) or metadata (beancount
``ref: "grants/x"``). Nothing is computed here: every posting is the journal's own, so
``hledger balance`` on the file gives the balances every report gives.

The accounts, mapped from the journal's tuples (``journal/model.py``):

=================================  ===================================  ==========================================
journal                            hledger                              beancount
=================================  ===================================  ==========================================
``("funds", holder, period)``      ``funds:<holder>:<period>``          ``Assets:Funds:<Holder>:<period>``
``("state", period)``              ``state:<period>``                   ``Income:State:<period>``
``("committed", grant, holder)``   ``committed:<grant>:<holder>``       ``Expenses:Committed:<Grant>:<Holder>``
``("spent", grant, holder)``       ``spent:<grant>:<holder>``           ``Expenses:Spent:<Grant>:<Holder>``
``("receivable", issuer, no.)``    ``receivable:<issuer>:<no.>``        ``Assets:Receivable:<Issuer>:<No.>``
``("payable", recipient, no.)``    ``payable:<recipient>:<no.>``        ``Liabilities:Payable:<Recipient>:<No.>``
=================================  ===================================  ==========================================

Ids are lowercase ``a-z``, ``0-9`` and ``-``; beancount wants every part of an account name
to start with a capital letter or a digit, so its parts are the ids with the first letter
capitalised (``region-syddanmark`` → ``Region-syddanmark``), which keeps the mapping one to
one. ``unattributed`` is the holder of grants whose split between partners is not stated.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from klyngefond.core.money import json_amount
from klyngefond.core.text import one_line
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.journal.model import Account, Journal, Transaction

CURRENCY = "DKK"
FORMATS = ("hledger", "beancount")

BEANCOUNT_ROOTS = {
    "funds": ("Assets", "Funds"),
    "state": ("Income", "State"),
    "committed": ("Expenses", "Committed"),
    "spent": ("Expenses", "Spent"),
    "receivable": ("Assets", "Receivable"),
    "payable": ("Liabilities", "Payable"),
}


def _parts(account: Account) -> list[str]:
    return [str(part) for part in account]


def hledger_account(account: Account) -> str:
    """``funds:esbjerg:2022-2023``."""
    return ":".join(_parts(account))


def beancount_account(account: Account) -> str:
    """``Assets:Funds:Esbjerg:2022-2023``."""
    head, *rest = _parts(account)
    roots = BEANCOUNT_ROOTS.get(head, ("Equity", _capital(head)))
    return ":".join([*roots, *(_capital(part) for part in rest)])


def _capital(part: str) -> str:
    return part[:1].upper() + part[1:]


def amount(value: Decimal) -> str:
    return f"{json_amount(value)} {CURRENCY}"


# --------------------------------------------------------------------------- descriptions


def grant_names(journal: Journal) -> dict[str, str]:
    return {txn.grant: txn.record.name for txn in journal.transactions  # type: ignore[attr-defined, misc]
            if txn.kind == "grant" and txn.grant is not None}


def describe(txn: Transaction, journal: Journal, names: dict[str, str]) -> Message:
    """What the transaction is, for a person: the record's kind and name."""
    record: Any = txn.record
    cluster = journal.cluster

    def grant(grant_id: str | None) -> Verbatim:
        return Verbatim(names.get(grant_id or "", grant_id or ""))

    if txn.kind == "allocation":
        return Message("export.allocation", holder=Verbatim(cluster.holder_name(record.partner)), period=str(txn.period))
    if txn.kind == "grant":
        return Message("export.grant", grant=Verbatim(record.name))
    if txn.kind == "change":
        if record.kind == "transfer":
            return Message("export.transfer", grant=grant(record.grant), to_grant=grant(record.to_grant))
        return Message("export.change", event=Message(f"log.event_{record.kind}"), grant=grant(record.grant))
    if txn.kind == "carryover":
        return Message("export.carryover", from_period=str(record.from_year), to_period=str(txn.period))
    if txn.kind == "annulment":
        return Message("export.annulment", record=Verbatim(txn.reverses or record.record), reason=Verbatim(record.reason))
    if txn.kind == "invoice":
        return Message("export.invoice", number=Verbatim(record.number), grant=grant(record.grant))
    if txn.kind == "credit_note":
        return Message("export.credit_note", number=Verbatim(record.number), credits=Verbatim(record.credits or ""),
                       grant=grant(record.grant))
    if txn.kind in ("payment", "refund"):
        return Message(f"export.{txn.kind}", invoice=Verbatim(record.invoice))
    return Message("export.other", kind=txn.kind)


def _tags(txn: Transaction) -> list[tuple[str, str]]:
    tags = [("ref", txn.ref), ("kind", txn.kind)]
    if txn.reverses:
        tags.append(("reverses", txn.reverses))
    if not txn.date_stated:
        tags.append(("date-stated", "no"))
    return tags


def _accounts(journal: Journal) -> dict[Account, dt.date]:
    """Every account the journal posts to, with the date of its first posting, in order of first use."""
    first: dict[Account, dt.date] = {}
    for txn in journal.transactions:
        for posting in txn.postings:
            first.setdefault(posting.account, txn.date)
    return first


def _header(journal: Journal, lang: str, comment: str) -> list[str]:
    lines = [t("export.header", lang, cluster=Verbatim(journal.cluster.name), id=journal.cluster.id)]
    lines += t("export.accounts", lang).split("\n")
    return [f"{comment} {one_line(line) if line.strip() else ''}".rstrip() for line in lines]


# --------------------------------------------------------------------------- hledger


def _hledger_text(value: str) -> str:
    """A description or tag value hledger reads back whole: one line, no comment or tag separators."""
    return one_line(value).replace(";", ",")


def hledger(journal: Journal, lang: str) -> str:
    """The journal as an hledger journal (ledger reads it too)."""
    names = grant_names(journal)
    out = _header(journal, lang, ";")
    out += ["", f"commodity 1000.00 {CURRENCY}", ""]
    out += [f"account {hledger_account(account)}" for account in sorted(_accounts(journal), key=hledger_account)]
    for txn in journal.transactions:
        description = _hledger_text(text(describe(txn, journal, names), lang))
        tags = ", ".join(f"{key}:{_hledger_text(value).replace(',', ' ')}" for key, value in _tags(txn))
        out += ["", f"{txn.date.isoformat()} * {description}  ; {tags}"]
        out += [f"    {hledger_account(p.account)}  {amount(p.amount)}" for p in txn.postings]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- beancount


def _quoted(value: str) -> str:
    return '"' + one_line(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def beancount(journal: Journal, lang: str) -> str:
    """The journal as a beancount file, with an ``open`` directive for every account."""
    names = grant_names(journal)
    out = _header(journal, lang, ";")
    out += ["", f"option \"title\" {_quoted(journal.cluster.name)}", f'option "operating_currency" "{CURRENCY}"', ""]
    accounts = _accounts(journal)
    first_day = min(accounts.values(), default=None)
    if first_day is not None:
        out.append(f"{first_day.isoformat()} commodity {CURRENCY}")
    for account, opened in sorted(accounts.items(), key=lambda item: (item[1], beancount_account(item[0]))):
        out.append(f"{opened.isoformat()} open {beancount_account(account)} {CURRENCY}")
    for txn in journal.transactions:
        description = text(describe(txn, journal, names), lang)
        out += ["", f"{txn.date.isoformat()} * {_quoted(description)}"]
        out += [f"  {key}: {_quoted(value)}" for key, value in _tags(txn)]
        out += [f"  {beancount_account(p.account)}  {amount(p.amount)}" for p in txn.postings]
    return "\n".join(out) + "\n"


def export(journal: Journal, fmt: str, lang: str) -> str:
    return hledger(journal, lang) if fmt == "hledger" else beancount(journal, lang)
