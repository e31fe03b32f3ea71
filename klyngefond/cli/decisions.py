"""What the commands that record decisions share: the decision typed with --date and --level, and showing a proposal."""

from __future__ import annotations

from typing import Any

from klyngefond.cli import parse
from klyngefond.cli.errors import UsageProblem
from klyngefond.cli.output import emit_json, emit_text
from klyngefond.core.records import Decision
from klyngefond.i18n import Message
from klyngefond.render.proposal_view import proposal_json, render_proposal


def decision(date_text: str | None, level_text: str | None, body: str | None, reference: str | None,
             *, required: bool, command: str) -> Decision | None:
    """The decision typed with --date and --level (both needed to record)."""
    if not required:
        return None
    missing = [opt for opt, value in (("--date", date_text), ("--level", level_text)) if value is None]
    if missing:
        raise UsageProblem(Message("proposals.record_needs", command=command, options=missing), Message("proposals.hint_record_needs"))
    return Decision(parse.level(level_text), parse.date(date_text, "--date"),  # type: ignore[arg-type]
                    body=parse.text_value(body, "--body"), reference=parse.text_value(reference, "--reference"))


def show_proposal(proposal: Any, lang: str, as_json: bool, *, refused: bool = False) -> None:
    if as_json:
        emit_json(proposal_json(proposal, lang, refused=refused))
    else:
        emit_text(lambda width: render_proposal(proposal, lang, width, refused=refused))
