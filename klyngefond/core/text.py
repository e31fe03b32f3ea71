"""Text from the data files, made safe before it reaches a person's screen or a document.

Names, notes and references are typed by people, but a file can also carry what no person
types: terminal escape sequences (which can clear the screen, set the window title or write
the clipboard), other control characters, or bidirectional overrides that make text read
differently from what it is. Such characters are refused when a record is read or
recorded (:func:`control_characters`), and every renderer passes data text through
:func:`visible` as well, so that nothing slips through from an older file.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (but not tab and newline, which notes may use), DEL, and the
# Unicode bidirectional embedding/override/isolate controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_UNSAFE_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")
REPLACEMENT = "\ufffd"


def control_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The unsafe characters in ``value``, written as ``U+001B``; empty when it is safe."""
    pattern = _UNSAFE if multiline else _UNSAFE_ONE_LINE
    return [f"U+{ord(c):04X}" for c in dict.fromkeys(pattern.findall(value))]


def visible(value: str, *, multiline: bool = False) -> str:
    """``value`` with every control or override character replaced by U+FFFD."""
    pattern = _UNSAFE if multiline else _UNSAFE_ONE_LINE
    return pattern.sub(REPLACEMENT, value)


def one_line(value: str) -> str:
    """Visible text on one line: line breaks become spaces."""
    return visible(re.sub(r"\s*[\r\n]+\s*", " ", value))


def normalized(value: str) -> str:
    """NFC form, so that the same name typed two ways compares equal."""
    return unicodedata.normalize("NFC", value)


class Name(str):
    """A name with a shorter form for narrow tables (``Partner.label``).

    It *is* the full name wherever a ``str`` is used (JSON, comparisons, CSV); only the
    text layout of a table reads ``short`` when the full name does not fit.
    """

    short: str

    def __new__(cls, full: str, short: str | None = None) -> Name:
        name = super().__new__(cls, full)
        name.short = short or full
        return name

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (Name, (str(self), self.short))
