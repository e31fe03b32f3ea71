"""`klyngefond status` and `klyngefond clusters`: what was received, committed and what remains."""

from __future__ import annotations

from typing import Annotated

import typer

from klyngefond.cli.common import DataOption, JsonOption, LangOption, check_lang, console, open_ledger, print_json


def status(
    cluster: Annotated[str, typer.Argument(help="The cluster, e.g. Sydvestjylland (case and Danish letters do not matter).")],
    year: Annotated[int | None, typer.Option("--year", help="Only this budget year.")] = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    """Per partner: allocation, what is disbursed to grants, and what remains; per grant its split."""
    from klyngefond.reports.status import build_status
    from klyngefond.render.status_view import render_status, status_json

    lang = check_lang(lang)
    ledger = open_ledger(cluster, data)
    report = build_status(ledger, year)
    # Invoice balances only once something is issued, so a plain status loads no invoicing code.
    balances = _invoice_balances(ledger) if ledger.invoices else ()
    if as_json:
        payload = status_json(report, lang)
        if balances:
            from klyngefond.render.invoices_view import balances_json

            payload["invoices"] = balances_json(balances, {p.id: p.name for p in ledger.cluster.partners})
        print_json(payload)
        return
    out = console()
    for block in render_status(report, lang, width=out.width):
        out.print(block)
    if balances:
        from klyngefond.render.invoices_view import balances_table

        out.print(balances_table(balances, {p.id: p.label for p in ledger.cluster.partners}, lang))


def _invoice_balances(ledger):  # type: ignore[no-untyped-def]
    from klyngefond.reports.invoices import invoice_balances

    return invoice_balances(ledger)


def clusters(data: DataOption = None, lang: LangOption = "da", as_json: JsonOption = False) -> None:
    """List the clusters in the data folder with their totals."""
    from klyngefond.cli.common import data_dir
    from klyngefond.reports.clusters import overview
    from klyngefond.render.clusters_view import clusters_json, render_clusters

    lang = check_lang(lang)
    rows = overview(data_dir(data))
    if as_json:
        print_json(clusters_json(rows))
        return
    console().print(render_clusters(rows, lang))
