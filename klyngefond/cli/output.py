"""Writing a command's result: text laid out for the terminal, JSON for scripts, or a file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from klyngefond.render import terminal


def emit_json(payload: Any) -> None:
    """JSON on stdout: UTF-8 text, or ``\\u00e6`` escapes when the terminal cannot show ``æ`` (same data either way)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    sys.stdout.write(json.dumps(payload, ensure_ascii=not encoding.startswith("utf"), indent=2) + "\n")


def emit_text(render: Callable[[int | None], str]) -> None:
    """Print what ``render(width)`` gives for the terminal's width (no limit for a pipe)."""
    text = render(terminal.width())
    terminal.safe_print(text.rstrip("\n"))


def write_file(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` atomically; an existing file is replaced only with ``--force``."""
    from klyngefond.cli.errors import Refused
    from klyngefond.i18n import Message
    from klyngefond.storage.atomic import TargetExistsError, WriteError, write_new, write_replace

    try:
        if force:
            write_replace(path, data)
        else:
            write_new(path, data)
    except TargetExistsError:
        raise Refused(Message("cli.output_exists", path=str(path)), Message("cli.hint_output_exists")) from None
    except WriteError as exc:
        raise Refused(Message("cli.cannot_write", path=str(path), reason=Message(exc.reason))) from None
