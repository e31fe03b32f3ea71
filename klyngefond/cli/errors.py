"""The errors a command ends with: a message, what to do, and the exit code.

Exit codes are the same for every command (``docs/exit-codes.md``):

* ``0`` done;
* ``1`` the data has a problem, or the action was refused (nothing was written);
* ``2`` the command line is wrong: an unknown option, a bad value, or a cluster, grant,
  partner or invoice name that matches nothing;
* ``130`` interrupted (Ctrl-C); nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Sequence

from klyngefond.i18n import Message, Words

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """Ends a command: ``message`` on the first line, each of ``details`` indented below it."""

    code = EXIT_DATA

    def __init__(self, message: Words, *details: Words, code: int | None = None) -> None:
        super().__init__(getattr(message, "key", message))
        self.message = message
        self.details: Sequence[Words] = details
        if code is not None:
            self.code = code


class UsageProblem(CommandError):
    """The command line is wrong (exit 2)."""

    code = EXIT_USAGE


class Refused(CommandError):
    """The data or the ledger's rules refuse what was asked (exit 1); nothing was written."""

    code = EXIT_DATA


def usage(key: str, *details: Words, **params: object) -> UsageProblem:
    return UsageProblem(Message(key, **params), *details)


def refused(key: str, *details: Words, **params: object) -> Refused:
    return Refused(Message(key, **params), *details)
