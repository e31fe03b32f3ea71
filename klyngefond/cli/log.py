"""`klyngefond log` (every decision and change, in date order) and `klyngefond applications`."""

from __future__ import annotations

from typing import Annotated

import typer

from klyngefond.cli.common import DataOption, JsonOption, LangOption, check_lang, console, open_ledger, print_json


def log(
    cluster: Annotated[str, typer.Argument(help="The cluster, e.g. Sydvestjylland.")],
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    """Every decision and change in date order, with who decided (undated ones last)."""
    from klyngefond.render.log_view import log_json, render_log
    from klyngefond.reports.log import build_log

    lang = check_lang(lang)
    report = build_log(open_ledger(cluster, data))
    if as_json:
        print_json(log_json(report))
        return
    out = console()
    for block in render_log(report, lang):
        out.print(block)


def applications(
    cluster: Annotated[str, typer.Argument(help="The cluster, e.g. Slagelse Klyngen.")],
    year: Annotated[int | None, typer.Option("--year", help="Only grants of this year.", show_default=False)] = None,
    data: DataOption = None,
    lang: LangOption = "da",
    as_json: JsonOption = False,
) -> None:
    """Applied (ansøgt) vs granted (tildelt) vs difference, per grant and in total."""
    from klyngefond.render.log_view import applications_json, render_applications
    from klyngefond.reports.applications import build_applications

    lang = check_lang(lang)
    report = build_applications(open_ledger(cluster, data), year)
    if as_json:
        print_json(applications_json(report))
        return
    out = console()
    for block in render_applications(report, lang):
        out.print(block)
