"""The check's findings for people (one line per finding, grouped by cluster) and for scripts (``--json``)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from klyngefond.core.problems import Problem
from klyngefond.i18n import Message, Verbatim, t, text
from klyngefond.render.problems import problem_words, shown_path
from klyngefond.render.status_view import bullets
from klyngefond.reports.check import CheckReport, ClusterCheck


def counts(report: CheckReport | ClusterCheck) -> Message:
    return Message("check.counts", errors=report.count("error"), warnings=report.count("warning"), info=report.count("info"))


def finding_words(finding: Problem) -> Message:
    return Message("check.finding", severity=Message(f"check.severity_{finding.severity}"), problem=problem_words(finding))


def render_text(report: CheckReport, lang: str, width: int | None) -> str:
    blocks = []
    for cluster in report.clusters:
        heading = t("check.heading", lang, name=Verbatim(cluster.name), folder=shown_path(cluster.folder),
                    counts=counts(cluster) if cluster.findings else Message("check.nothing"))
        lines = [text(finding_words(finding), lang) for finding in cluster.findings]
        if width is not None and len(heading) > width:
            heading = "\n".join(textwrap.wrap(heading, width, break_long_words=False, break_on_hyphens=False))
        blocks.append(bullets(heading, lines, width) if lines else heading)
    key = "check.summary_ok" if report.ok else "check.summary_errors"
    blocks.append(t(key, lang, clusters=len(report.clusters), counts=counts(report)))
    return "\n\n".join(blocks) + "\n"


def _relative(path: Path | None, folder: Path) -> str | None:
    if path is None:
        return None
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


def finding_json(finding: Problem, folder: Path, lang: str) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "code": finding.code,
        "file": _relative(finding.file, folder),
        "key": finding.key,
        "message": text(finding.message, lang),
        "hint": text(finding.hint, lang) if finding.hint is not None else None,
    }


def check_json(report: CheckReport, data_root: Path, lang: str) -> dict[str, Any]:
    """The stable machine form.

    ``clusters[].folder`` is the cluster's folder within the data folder (``data``);
    each finding's ``file`` is relative to that folder (``grants/x.toml``), ``null`` when
    the finding concerns no file. ``severity`` is error, warning or info; ``code`` says
    where it comes from: ``file`` (reading the files), ``journal``, ``invariant``,
    ``override`` and ``future`` (the ledger's rules), ``reference`` (the sources' printed
    figures), ``duplicate_cluster``, ``duplicate_invoice`` (a number another cluster issued
    too), or what an interrupted command left: ``documents`` (an invoice without its PDF or
    XML; ``file`` is ``null`` when the documents folder itself is missing), ``temporary`` (a
    stray ``.*.tmp``) and ``sequence`` (a counter file behind the numbers, or unreadable).
    """
    return {
        "data": str(data_root),
        "clusters": [
            {
                "id": cluster.id,
                "name": cluster.name,
                "folder": _relative(cluster.folder, data_root),
                "errors": cluster.count("error"),
                "warnings": cluster.count("warning"),
                "info": cluster.count("info"),
                "findings": [finding_json(f, cluster.folder, lang) for f in cluster.findings],
            }
            for cluster in report.clusters
        ],
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "info": report.count("info"),
    }
