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


# --- years, proposals, changes, the log and the applications view (issue 3) ---

LABELS["da"].update({
    "opening": "Primo",
    "committed": "Udmøntet",
    "carried_out": "Overført",
    "closing": "Ultimo",
    "unattributed_row": "Ikke fordelt på parter",
    "proposal_title": "{cluster} — forslag: {name}",
    "recorded_title": "{cluster} — bevilget: {name}",
    "change_title": "{cluster} — {what}",
    "share": "Andel",
    "change_share": "Ændring",
    "before": "Resterende før",
    "after": "Resterende efter",
    "missing": "Mangler",
    "proposal_summary": "{amount} · {model} · projektejer: {owner}{year}",
    "max_affordable": "Største beløb, klyngen har råd til med denne model og projektejer: {amount}",
    "max_affordable_none": "Klyngen har ikke råd til noget beløb med denne model: {why}",
    "all_can_afford": "Alle parter har råd til deres andel.",
    "shortfall_line": "{partner} mangler {missing}",
    "dry_run": "Dette er et forslag; intet er gemt. Gem beslutningen med --record --date ÅÅÅÅ-MM-DD --level politisk.",
    "recorded": "Gemt i {file}.",
    "override_recorded": "Gemt trods manglende midler; begrundelsen er skrevet i filen: {reason}",
    "log_title": "{cluster} — beslutninger og ændringer",
    "date": "Dato",
    "decided_by": "Besluttet af",
    "event": "Hændelse",
    "amount": "Beløb",
    "undated": "uden dato",
    "applications_title": "{cluster} — ansøgt og tildelt",
    "difference": "Difference",
    "now": "Nu",
    "applied_missing": "{count} bevilling(er) uden ansøgt beløb indgår ikke i ansøgt og difference: {names}.",
})
LABELS["en"].update({
    "opening": "Opening",
    "committed": "Committed",
    "carried_out": "Carried on",
    "closing": "Closing",
    "unattributed_row": "Not attributed to partners",
    "proposal_title": "{cluster} — proposal: {name}",
    "recorded_title": "{cluster} — granted: {name}",
    "change_title": "{cluster} — {what}",
    "share": "Share",
    "change_share": "Change",
    "before": "Remaining before",
    "after": "Remaining after",
    "missing": "Missing",
    "proposal_summary": "{amount} · {model} · owner: {owner}{year}",
    "max_affordable": "Largest amount the cluster can afford under this model and owner: {amount}",
    "max_affordable_none": "The cluster cannot afford any amount under this model: {why}",
    "all_can_afford": "Every partner can afford its share.",
    "shortfall_line": "{partner} is short by {missing}.",
    "dry_run": "This is a proposal; nothing was saved. Record the decision with --record --date YYYY-MM-DD --level politisk.",
    "recorded": "Saved in {file}.",
    "override_recorded": "Saved despite the shortfall; the reason is written in the file: {reason}",
    "log_title": "{cluster} — decisions and changes",
    "date": "Date",
    "decided_by": "Decided by",
    "event": "Event",
    "amount": "Amount",
    "undated": "undated",
    "applications_title": "{cluster} — applied and granted",
    "difference": "Difference",
    "now": "Now",
    "applied_missing": "{count} grant(s) without an applied amount are left out of applied and difference: {names}.",
})

EVENTS: dict[str, dict[str, str]] = {
    "da": {
        "grant": "Bevilling",
        "top-up": "Tillægsbevilling",
        "reduction": "Nedsættelse",
        "withdrawal": "Tilbagetrukket",
        "transfer": "Overført til {to}",
        "transfer-in": "Modtaget fra {source}",
        "carry-over": "Overførsel {from_year} → {to_year}",
    },
    "en": {
        "grant": "Grant",
        "top-up": "Supplementary grant",
        "reduction": "Reduction",
        "withdrawal": "Withdrawn",
        "transfer": "Moved to {to}",
        "transfer-in": "Received from {source}",
        "carry-over": "Carry-over {from_year} → {to_year}",
    },
}

NOTES["da"].update({
    "period_view": "Kilderne oplyser kun tallene samlet for {period}; visningen af {year} viser hele perioden.",
    "carried_in": "{holder}: {amount} overført fra {from_period} til {to_period}{decided}.",
    "carried_out": "{holder}: {amount} overført fra {from_period} til {to_period}{decided}.",
    "carried_more_than_left": "{holder}: der er overført {amount}, men kun {available} var tilbage.",
    "carried_differs": "{source}: kilden oplyser {stated} overført; regnskabet giver {computed} (forskel {difference}).",
    "overcommitted_year": "{holder} har ved periodens udgang disponeret {amount} mere end partens midler.",
    "owner_not_paying": "Projektejeren {owner} betaler ikke selv en andel efter denne model.",
})
NOTES["en"].update({
    "period_view": "The sources state the figures only together for {period}; the view of {year} shows the whole period.",
    "carried_in": "{holder}: {amount} carried from {from_period} to {to_period}{decided}.",
    "carried_out": "{holder}: {amount} carried from {from_period} to {to_period}{decided}.",
    "carried_more_than_left": "{holder}: {amount} was carried on, but only {available} was left.",
    "carried_differs": "{source}: the source states {stated} carried; the ledger gives {computed} (difference {difference}).",
    "overcommitted_year": "{holder} has committed {amount} more than its funds by the end of the period.",
    "owner_not_paying": "The owner {owner} pays no share itself under this model.",
})

LABELS["da"].update({"max_topup": "Største tillæg, parterne har råd til: {amount}"})
LABELS["en"].update({"max_topup": "Largest top-up the partners can afford: {amount}"})
NOTES["da"].update({"change_unsplit": "Fordelingen af bevillingen på parter er ikke oplyst, så ændringen kan ikke fordeles på parter; den indgår i totalen."})
NOTES["en"].update({"change_unsplit": "The grant's split between partners is not stated, so the change cannot be attributed to partners; it counts in the total."})
NOTES["da"].update({
    "grant_changed": "{grant}: bevilget {original}, nu {amount} efter {count} ændring(er), senest {date} (se klyngefond log).",
    "grant_withdrawn": "{grant}: bevilget {original}, tilbagetrukket {date}; midlerne er frigivet (se klyngefond log).",
})
NOTES["en"].update({
    "grant_changed": "{grant}: granted {original}, now {amount} after {count} change(s), the latest on {date} (see klyngefond log).",
    "grant_withdrawn": "{grant}: granted {original}, withdrawn on {date}; the funds are freed (see klyngefond log).",
})
NOTES["da"].update({"checked_as_decided": "Tallene i kilderne kontrolleres mod regnskabet, som det så ud på kildens dato; senere bevillinger og ændringer er ikke med i kontrollen."})
NOTES["en"].update({"checked_as_decided": "The figures in the sources are checked against the ledger as it stood on the source's date; later grants and changes are left out of the check."})
LABELS["da"].update({"refused": "Afvist: intet er gemt. Sænk beløbet, vælg en anden model, eller gem alligevel med --override-shortfall \"<begrundelse>\"."})
LABELS["en"].update({"refused": "Refused: nothing was saved. Lower the amount, choose another model, or record anyway with --override-shortfall \"<reason>\"."})
