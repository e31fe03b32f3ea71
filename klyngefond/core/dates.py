"""Dates people type and dates in files: one reading, one set of bounds.

Dates are accepted from 1990 to 2100 (:data:`EARLIEST`, :data:`LATEST`): the clusters date
from 2022, and a year like 9999 is a typo that would otherwise reach the arithmetic.
Typed dates may be written ``2024-03-01`` or the Danish way ``01-03-2024``, ``1.3.2024``,
``1/3/2024``; only ASCII digits are read.
"""

from __future__ import annotations

import datetime as dt
import re

from klyngefond.i18n import Message

EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


class DateError(ValueError):
    """A date that cannot be read or lies outside the bounds."""

    def __init__(self, message: Message, hint: Message | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.hint = hint


HINT = Message("dates.hint")


def check_bounds(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        raise DateError(Message("dates.has_time", value=value.isoformat()), Message("dates.hint_toml"))
    if not EARLIEST <= value <= LATEST:
        raise DateError(Message("dates.out_of_bounds", value=value.isoformat(), first=EARLIEST.year, last=LATEST.year), HINT)
    return value


def parse_user_date(text: str) -> dt.date:
    """A date typed by a person: ISO (2024-03-01) or Danish day-first (01-03-2024, 1.3.2024)."""
    cleaned = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned, re.ASCII)
    danish = re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", cleaned, re.ASCII)
    try:
        if iso:
            year, month, day = (int(g) for g in iso.groups())
        elif danish:
            day, month, year = (int(g) for g in danish.groups())
        else:
            raise ValueError
        value = dt.date(year, month, day)
    except ValueError:
        raise DateError(Message("dates.not_a_date", value=text), HINT) from None
    return check_bounds(value)


def year_start(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)
