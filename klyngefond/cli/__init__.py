"""The command line.

Ctrl-C while Python is still importing the command (the first tenth of a second or so)
would otherwise end in a traceback from deep inside an import. When this package is
imported by the ``klyngefond`` program itself, an early Ctrl-C is therefore only noted;
:func:`klyngefond.cli.main.main` turns it into the same one line and exit code 130 as a
Ctrl-C at any later moment (:func:`take_interrupts`). (A Ctrl-C in the few hundredths of
a second while Python itself starts, before any of klyngefond runs, is Python's own.)
"""

from __future__ import annotations

import os.path
import signal
import sys

_early_interrupt = False


def _note_interrupt(signum: int, frame: object) -> None:
    global _early_interrupt
    _early_interrupt = True


def _is_the_program() -> bool:
    program = sys.argv[0] if sys.argv and sys.argv[0] else ""
    name = os.path.basename(program)
    return name.startswith("klyngefond") or (name == "__main__.py" and os.path.basename(os.path.dirname(program)) == "klyngefond")


if _is_the_program():
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _note_interrupt)
            # A Ctrl-C its parent held back while Python started is noted now, like any other.
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not the main thread
        pass


def take_interrupts() -> bool:
    """Let Ctrl-C raise ``KeyboardInterrupt`` from now on; True if one came while starting up."""
    global _early_interrupt
    try:
        if signal.getsignal(signal.SIGINT) is _note_interrupt:
            signal.signal(signal.SIGINT, signal.default_int_handler)
    except (ValueError, OSError):  # pragma: no cover - not the main thread
        pass
    early, _early_interrupt = _early_interrupt, False
    return early


def ignore_interrupts() -> None:
    """No more Ctrl-C: the program is saying goodbye (a second Ctrl-C must not print a traceback)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):  # pragma: no cover - not the main thread
        pass
