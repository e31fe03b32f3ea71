"""Writing to the terminal: the width to lay tables out for, and text any terminal can show.

Tables are laid out for the terminal's width only when the output *is* a terminal; a pipe
or a file gets unwrapped lines. Text goes out in the terminal's own encoding, with what it
cannot show replaced, so a terminal that is not UTF-8 gets ``?`` for an ``ø`` rather than
a crash.
"""

from __future__ import annotations

import os
import shutil
import sys

from klyngefond.core.text import visible


def width() -> int | None:
    """The terminal's width in columns, or ``None`` (no limit) when stdout is not a terminal.

    ``COLUMNS`` set explicitly wins, so tests and scripts can ask for a width.
    """
    explicit = os.environ.get("COLUMNS")
    if explicit and explicit.isascii() and explicit.isdigit() and int(explicit) >= 20:
        return int(explicit)
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return max(shutil.get_terminal_size((100, 24)).columns, 20)


def safe_print(text: str, *, err: bool = False) -> None:
    """Print ``text`` so that every terminal can show it and nothing in it can drive the terminal.

    klyngefond itself writes no control sequences, so every control character that reaches
    this point came from a data file (an escape sequence in a grant's name, say) and is made
    visible instead of being obeyed; characters the terminal's encoding lacks become ``?``.
    """
    stream = sys.stderr if err else sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    data = visible(text, multiline=True) + "\n"
    try:
        data.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        data = data.encode(encoding if _known(encoding) else "ascii", errors="replace").decode(encoding if _known(encoding) else "ascii")
    stream.write(data)
    stream.flush()


def _known(encoding: str) -> bool:
    try:
        "".encode(encoding)
    except LookupError:
        return False
    return True
