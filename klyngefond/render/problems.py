"""A problem as a person reads it: the file (relative to where they stand), the key, what is wrong, what to do."""

from __future__ import annotations

import os
from pathlib import Path

from klyngefond.core.problems import Problem
from klyngefond.i18n import Message, Verbatim


def shown_path(path: Path | None) -> str:
    """``data/sydvestjylland/grants/x.toml`` when under the current folder, else the full path."""
    if path is None:
        return ""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path)


def problem_words(problem: Problem) -> Message:
    where = shown_path(problem.file)
    if problem.key and where:
        # A key is shown with its file; a record that is not written yet has neither.
        where = f"{where}: {problem.key}"
    if not where:
        return Message("cli.problem_here_with_hint", message=problem.message, hint=problem.hint) if problem.hint is not None \
            else problem.message
    if problem.hint is not None:
        return Message("cli.problem_with_hint", where=Verbatim(where), message=problem.message, hint=problem.hint)
    return Message("cli.problem", where=Verbatim(where), message=problem.message)
