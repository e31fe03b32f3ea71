"""`klyngefond annul`: reverse a record that was a mistake, keeping it and the reason in the history.

The annulled file is never edited or deleted; an annulment is a new record in
``annulments/`` that reverses its postings on the annulment's date. ``klyngefond log``
shows both. To correct a decision: annul it, then record it again.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from klyngefond.cli import parse
from klyngefond.cli.context import Opened, open_cluster, today, writing
from klyngefond.cli.decisions import decision
from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.cli.language import help_text as h
from klyngefond.cli.options import DECIDING, READING, ClusterArgument, OptionGroup, with_options
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.cli.recording import record
from klyngefond.core.ledger import Ledger
from klyngefond.core.money import json_amount
from klyngefond.core.records import RECORD_FOLDERS, Annulment
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.render.status_view import bullets
from klyngefond.render.table import Column, Table, amount_column, paragraph, render_text
from klyngefond.reports.proposals import AnnulReport, CannotAnnul, annulment_effect

app = typer.Typer()

ANNUL_OPTIONS = OptionGroup({k: v for k, v in DECIDING.options.items() if k not in ("year", "source")}) + READING


def find_record(ledger: Ledger, text_value: str) -> str:
    """The reference of the record a person named: ``grants/x``, a file path, or an id found in one folder."""
    wanted = text_value.strip()
    candidates = []
    as_path = Path(wanted)
    if as_path.suffix == ".toml":
        wanted = f"{as_path.parent.name}/{as_path.stem}"
    if "/" in wanted:
        candidates = [wanted] if wanted in ledger.origins else []
    else:
        candidates = [f"{folder}/{wanted}" for folder in RECORD_FOLDERS if f"{folder}/{wanted}" in ledger.origins]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise UsageProblem(Message("annul.ambiguous", value=Verbatim(text_value), records=candidates), Message("annul.hint_folder"))
    raise UsageProblem(Message("annul.unknown_record", value=Verbatim(text_value), cluster=Verbatim(ledger.cluster.name)),
                       Message("annul.hint_log", cluster=ledger.cluster.id))


@app.command("annul", help=h("annul.help"), epilog=h("annul.example"))
@with_options(ANNUL_OPTIONS)
def annul(
    cluster: ClusterArgument,
    record_name: Annotated[str, typer.Argument(help=h("annul.help_record"), show_default=False, metavar=h("annul.metavar_record"))],
    opts: Any = None,
) -> None:
    lang = parse.lang(opts.lang)
    reason = parse.text_value(opts.reason, "--reason", multiline=True)
    if reason is None:
        raise UsageProblem(Message("annul.needs_reason"), Message("annul.hint_reason"))
    chosen = decision(opts.date, opts.level, opts.body, opts.reference, required=False, command="annul")
    on = parse.date(opts.date, "--date") or today()
    if opts.level is not None:
        chosen = decision(opts.date or on.isoformat(), opts.level, opts.body, opts.reference, required=True, command="annul")
    if opts.record_it and opts.date is None:
        raise UsageProblem(Message("proposals.record_needs", command="annul", options=["--date"]), Message("proposals.hint_record_needs"))
    override = parse.text_value(opts.override, "--override")
    notes = tuple(parse.text_value(n, "--note", multiline=True) for n in opts.note or ())
    del notes  # annulments carry their reason; notes are not part of the record

    def make(opened: Opened, record_id: str = "forslag", why: str | None = None) -> Annulment:
        return Annulment(id=record_id, record=find_record(opened.ledger, record_name), date=on, reason=reason, decision=chosen)  # type: ignore[arg-type]

    def effect(opened: Opened, annulment: Annulment) -> AnnulReport:
        try:
            return annulment_effect(opened.ledger, opened.journal, annulment)
        except CannotAnnul as exc:
            raise Refused(Message("annul.cannot", record=annulment.record, problem=exc.message), *([exc.hint] if exc.hint else [])) from None

    if not opts.record_it:
        opened = open_cluster(cluster, opts.data)
        _show(effect(opened, make(opened)), lang, opts.as_json, [])
        return
    with writing(cluster, opts.data) as opened:
        probe = make(opened)
        report = effect(opened, probe)
        stem = parse.slug(f"{on.isoformat()}-{t('words.file_annulment', lang)}-{probe.record.split('/', 1)[1]}", "RECORD")
        outcome = record(opened, "annulments", lambda cid, why: make(opened, cid, why), stem, command="annul --record",
                         lang=lang, today=today(), override=override)
    _show(replace(report, recorded=True, file=shown_path(outcome.path)), lang, opts.as_json,
          [problem_words(p) for p in outcome.warnings])


def _show(report: AnnulReport, lang: str, as_json: bool, warnings: list[Message]) -> None:
    if as_json:
        emit_json({"cluster": report.cluster_id, "record": report.record, "kind": report.kind, "date": report.date.isoformat(),
                   "reason": report.reason, "recorded": report.recorded, "file": report.file,
                   "lines": [{"holder": line.holder, "name": line.name, "remaining_before": json_amount(line.before),
                              "remaining_after": json_amount(line.after)} for line in report.lines],
                   "warnings": [text(w, lang) for w in warnings]})
        return

    def render(width: int | None) -> str:
        title = t("annul.title_recorded" if report.recorded else "annul.title", lang, cluster=Verbatim(report.cluster_name),
                  record=report.record, date=report.date)
        columns = (Column(t("status.col_partner", lang)), amount_column(t("annul.col_before", lang)), amount_column(t("annul.col_after", lang)))
        rows = tuple((line.name or t("status.unattributed_row", lang), line.before, line.after) for line in report.lines)
        parts = [paragraph(t("annul.reason", lang, reason=Verbatim(report.reason)), width)]
        if rows:
            parts.append(render_text(Table(columns, rows, title=title, caption=t("status.amounts_in", lang)), lang, width))
        else:
            parts.append(paragraph(title + "\n" + t("annul.no_funds_change", lang), width))
        if warnings:
            parts.append(bullets(t("proposals.warnings_title", lang), [text(w, lang) for w in warnings], width))
        parts.append(paragraph(t("proposals.saved", lang, file=Verbatim(report.file or "")) if report.recorded
                               else t("annul.dry_run", lang), width))
        return "\n\n".join(parts) + "\n"

    emit_text(render)
