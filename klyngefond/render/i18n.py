"""Words and number formats for people: Danish by default, English on request.

Amounts are formatted by babel from CLDR locale data (``1.874.400,00 kr.`` in Danish,
``DKK 1,874,400.00`` in English), not by hand. Labels and note templates live here, one
table per language, so that a translation is a change in one place.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

LANGS = ("da", "en")

_LOCALE = {"da": "da_DK", "en": "en"}


def number(amount: Decimal, lang: str, *, signed: bool = False) -> str:
    """An amount with grouping and two decimals: ``1.874.400,00`` (da) or ``1,874,400.00`` (en)."""
    from babel.numbers import format_decimal

    pattern = "+#,##0.00;-#,##0.00" if signed and amount != 0 else "#,##0.00;-#,##0.00"
    return format_decimal(amount, format=pattern, locale=_LOCALE[lang])


def money(amount: Decimal, lang: str, *, signed: bool = False) -> str:
    """An amount with its currency: ``1.874.400,00 kr.`` (da) or ``DKK 1,874,400.00`` (en)."""
    shown = number(amount, lang, signed=signed)
    return f"{shown} kr." if lang == "da" else f"DKK {shown}"


def signed_money(amount: Decimal, lang: str) -> str:
    """A difference, always with its sign: ``+0,01 kr.``."""
    return money(amount, lang, signed=True)


LABELS: dict[str, dict[str, str]] = {
    "da": {
        "status_title": "{cluster} — status på klyngemidler",
        "status_title_year": "{cluster} — status på klyngemidler {year}",
        "partner": "Part",
        "allocated": "Klyngemidler",
        "disbursed": "Udmøntet",
        "remaining": "Resterende",
        "total": "I alt",
        "unsplit_row": "Bevilget, fordeling ukendt",
        "grants_title": "Bevillinger",
        "split_title": "Udmøntede klyngemidler pr. bevilling",
        "grant": "Bevilling",
        "owner": "Projektejer",
        "model": "Finansiering",
        "granted": "Tildelt",
        "applied": "Ansøgt",
        "year": "År",
        "decision": "Beslutning",
        "unknown": "ikke oplyst",
        "notes_title": "Bemærkninger",
        "checks_title": "Kontrol af tal i kilderne",
        "summary": "Modtaget {allocated} · udmøntet {disbursed} · resterende {remaining}",
        "amounts_in": "Beløb i kr.",
        "clusters_title": "Sundhedsklynger",
        "cluster": "Klynge",
        "region": "Region",
        "partners": "Parter",
        "grants": "Bevillinger",
        "cluster_detail": "{folder} · {region} · {partners} parter · {grants} bevillinger",
        "group": "gruppe",
    },
    "en": {
        "status_title": "{cluster} — status of cluster funds",
        "status_title_year": "{cluster} — status of cluster funds {year}",
        "partner": "Partner",
        "allocated": "Allocated",
        "disbursed": "Disbursed",
        "remaining": "Remaining",
        "total": "Total",
        "unsplit_row": "Granted, split unknown",
        "grants_title": "Grants",
        "split_title": "Disbursed funds by grant",
        "grant": "Grant",
        "owner": "Owner",
        "model": "Financing",
        "granted": "Granted",
        "applied": "Applied",
        "year": "Year",
        "decision": "Decision",
        "unknown": "not stated",
        "notes_title": "Notes",
        "checks_title": "Checks of figures in the sources",
        "summary": "Received {allocated} · disbursed {disbursed} · remaining {remaining}",
        "amounts_in": "Amounts in DKK",
        "clusters_title": "Health clusters",
        "cluster": "Cluster",
        "region": "Region",
        "partners": "Partners",
        "grants": "Grants",
        "cluster_detail": "{folder} · {region} · {partners} partners · {grants} grants",
        "group": "group",
    },
}

MODEL_NAMES = {
    "da": {
        "solidarity": "solidarisk",
        "fixed-plus-pro-rata": "fast andel + forholdsmæssig rest",
        "participants": "kun deltagere",
        "explicit": "aftalte beløb",
        "unknown": "fordeling ikke oplyst",
    },
    "en": {
        "solidarity": "solidarity",
        "fixed-plus-pro-rata": "fixed part + pro rata",
        "participants": "participants only",
        "explicit": "negotiated amounts",
        "unknown": "split not stated",
    },
}

MEASURES = {
    "da": {
        "received": "modtaget", "announced": "udmeldt", "allocated": "klyngemidler", "granted": "tildelt",
        "applied": "ansøgt", "share": "andel", "disbursed": "udmøntet", "remaining": "resterende",
    },
    "en": {
        "received": "received", "announced": "announced", "allocated": "allocated", "granted": "granted",
        "applied": "applied", "share": "share", "disbursed": "disbursed", "remaining": "remaining",
    },
}

NOTES: dict[str, dict[str, str]] = {
    "da": {
        "unsplit_grant": "{grant}: {amount} er bevilget, men kilden oplyser ikke fordelingen på parter; beløbet indgår kun i totalen.",
        "announced_received": "{holder} {year}: udmeldt {announced}, modtaget {received} (forskel {difference}).",
        "period_allocation": "{holder}: midlerne er kun oplyst samlet for {period} og kan ikke deles op på år; de vises i {year}.",
        "grant_without_year": "{grant} har intet år og er ikke med i årsvisningen.",
        "overcommitted": "{holder} har udmøntet {amount} mere, end parten har modtaget.",
        "differs": "{source}: {what} er trykt som {printed}; regnskabet giver {computed} (forskel {difference}).{why}",
        "received_vs_announced": "{source}: {what} er oplyst som {printed}, men de udmeldte beløb i regnskabet giver {computed} (forskel {difference}); modtagne beløb pr. part er ikke oplyst.{extra}",
        "why_rounding": " Tabellen har afrundet hver celle for sig; klyngefond fordeler, så andelene giver beløbet på øret.",
        "not_in_ledger": "{source}: {what} er trykt som {printed}; regnskabet har ikke tal til at efterregne det.{extra}",
        "parts_do_not_add_up": "{source}: de trykte dele af {what} giver tilsammen {computed}, men totalen er trykt som {printed} (forskel {difference}).",
    },
    "en": {
        "unsplit_grant": "{grant}: {amount} is granted, but the source does not state the split between partners; it counts in the total only.",
        "announced_received": "{holder} {year}: announced {announced}, received {received} (difference {difference}).",
        "period_allocation": "{holder}: the funds are only stated together for {period} and cannot be split by year; they are shown in {year}.",
        "grant_without_year": "{grant} has no year and is left out of the year view.",
        "overcommitted": "{holder} has disbursed {amount} more than it received.",
        "differs": "{source}: {what} is printed as {printed}; the ledger gives {computed} (difference {difference}).{why}",
        "received_vs_announced": "{source}: {what} is stated as {printed}, but the announced amounts in the ledger add up to {computed} (difference {difference}); amounts received per partner are not stated.{extra}",
        "why_rounding": " The table rounded each cell on its own; klyngefond splits so that the shares add up to the amount to the øre.",
        "not_in_ledger": "{source}: {what} is printed as {printed}; the ledger has no figures to recompute it.{extra}",
        "parts_do_not_add_up": "{source}: the printed parts of {what} add up to {computed}, but the total is printed as {printed} (difference {difference}).",
    },
}


def label(key: str, lang: str, **values: Any) -> str:
    return LABELS[lang][key].format(**values)


def note_text(code: str, lang: str, values: dict[str, Any]) -> str:
    """A note's sentence, with amounts formatted for ``lang``."""
    shown = {
        key: (signed_money(value, lang) if key == "difference" else money(value, lang)) if isinstance(value, Decimal) else value
        for key, value in values.items()
    }
    return NOTES[lang][code].format(**shown)
