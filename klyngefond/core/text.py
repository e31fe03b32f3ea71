"""Text from the data files, made safe before it reaches a person's screen or a document.

Names, notes and references are typed by people, but a file can also carry what no person
types: terminal escape sequences (which can clear the screen, set the window title or write
the clipboard), other control characters, or bidirectional overrides that make text read
differently from what it is. Such characters are refused when a record is read or
recorded (:func:`control_characters`), and every renderer passes data text through
:func:`visible` as well, so that nothing slips through from an older file.

Refused and replaced alike are also the characters no document can carry: lone surrogates
(what Python makes of bytes on the command line that are not UTF-8) and the Unicode
noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, …), which XML 1.0 forbids. Documents and
pages get their own helpers: :func:`xml_text` (text XML 1.0 can carry) and
:func:`html_text` (escaped for HTML).
"""

from __future__ import annotations

import html
import re
import unicodedata

# Lone surrogates and the 66 Unicode noncharacters: no UTF-8 file or XML document can hold them.
_NOT_TEXT = "\ud800-\udfff\ufdd0-\ufdef" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                                  for plane in range(17))
# C0 and C1 controls (but not tab and newline, which notes may use), DEL, the Unicode
# bidirectional embedding/override/isolate controls, and what is not text at all.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c{_NOT_TEXT}]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029{_NOT_TEXT}]")
# What XML 1.0 does not allow at all (its Char production), after visible() has run.
_NOT_XML = re.compile(f"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[{_NOT_TEXT}]")
REPLACEMENT = "\ufffd"


def control_characters(value: str, *, multiline: bool = False) -> list[str]:
    """The unsafe characters in ``value``, written as ``U+001B``; empty when it is safe."""
    pattern = _UNSAFE if multiline else _UNSAFE_ONE_LINE
    return [f"U+{ord(c):04X}" for c in dict.fromkeys(pattern.findall(value))]


def visible(value: str, *, multiline: bool = False) -> str:
    """``value`` with every control or override character replaced by U+FFFD."""
    pattern = _UNSAFE if multiline else _UNSAFE_ONE_LINE
    return pattern.sub(REPLACEMENT, value)


def xml_text(value: str, *, multiline: bool = False) -> str:
    """``value`` as text an XML 1.0 document can carry, for e-invoices and any XML built from data.

    Controls, overrides and noncharacters become U+FFFD (as :func:`visible`), so the
    document shows that something was there; XML's own ``<``, ``&`` are left to the XML
    library, which escapes them.
    """
    return _NOT_XML.sub(REPLACEMENT, visible(value, multiline=multiline))


def html_text(value: str, *, multiline: bool = False) -> str:
    """``value`` escaped for HTML (``<`` ``>`` ``&`` and quotes), controls made visible: a name cannot add markup."""
    return html.escape(xml_text(value, multiline=multiline), quote=True)


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
