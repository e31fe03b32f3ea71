"""Problems as data: where something is wrong, what is wrong, what to do, and how bad it is.

The loader, the record rules and ``klyngefond check`` all return lists of :class:`Problem`;
nothing in the core raises on bad data. The renderer words the messages in the run's
language (``i18n``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from klyngefond.i18n import Message

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Problem:
    """``file`` and ``key`` locate the problem; ``message`` says what is wrong, ``hint`` what to do.

    ``severity``: an ``error`` stops every command that reads the cluster (and ``check``
    exits 1); a ``warning`` is shown but does not stop anything; ``info`` is a fact worth
    knowing, such as a slip in the source documents.
    """

    file: Path | None
    key: str | None
    message: Message
    hint: Message | None = None
    severity: Severity = "error"
    code: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]
