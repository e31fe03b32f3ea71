"""Text from data files made safe for a screen: control characters, escapes and bidi overrides."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.text import REPLACEMENT, control_characters, normalized, one_line, visible

ESC = "\x1b"
# Things a file could carry that no person types: each changes what a terminal shows.
HOSTILE = {
    "clear screen (CSI)": f"Kom Trygt Hjem{ESC}[2J",
    "colour (SGR)": f"{ESC}[31mVejen{ESC}[0m",
    "window title (OSC, BEL)": f"{ESC}]0;owned\x07Esbjerg",
    "clipboard (OSC 52, ST)": f"{ESC}]52;c;cm0gLXJmIH4K{ESC}\\Fanø",
    "hyperlink (OSC 8)": f"{ESC}]8;;https://example.invalid{ESC}\\klik{ESC}]8;;{ESC}\\",
    "8-bit CSI": "Billund\x9b2J",
    "right-to-left override": "faktura\u202egpj.exe",
    "isolate": "Varde\u2066skjult\u2069",
    "right-to-left mark": "Region\u200fSyddanmark",
    "Arabic letter mark": "a\u061cb",
    "backspace": "1.000.000\x08\x08\x08",
    "carriage return": "100 kr.\r999 kr.",
    "NUL": "a\x00b",
    "DEL": "a\x7fb",
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_control_characters_are_found_and_made_visible(value: str) -> None:
    found = control_characters(value)
    assert found
    assert all(code.startswith("U+") and len(code) >= 6 for code in found)
    shown = visible(value)
    assert not control_characters(shown)
    assert REPLACEMENT in shown
    assert len(shown) == len(value)  # one replacement per character: nothing hidden, nothing removed
    assert ESC not in shown and "\x9b" not in shown and "\u202e" not in shown


def test_codes_are_named_once_each_in_order_of_appearance() -> None:
    assert control_characters(f"{ESC}[2J{ESC}[H\u202e") == ["U+001B", "U+202E"]
    assert control_characters("\x00\x07") == ["U+0000", "U+0007"]


def test_escape_sequences_are_neutralised_not_removed() -> None:
    assert visible(f"Vejen{ESC}[2J") == f"Vejen{REPLACEMENT}[2J"
    assert visible("faktura\u202egpj.exe") == f"faktura{REPLACEMENT}gpj.exe"


@pytest.mark.parametrize("value", ["Kom Trygt Hjem", "Lægebesøg på uvisiterede væresteder", "1.874.400,00 kr.",
                                   "Akutområdet – Den mobile akutmodtagelse", "שלום", "مرحبا", "日本", "😀", ""])
def test_ordinary_text_in_any_script_is_left_alone(value: str) -> None:
    assert control_characters(value) == []
    assert visible(value) == value


def test_line_breaks_and_tabs_only_in_multiline_text() -> None:
    note = "Første linje\n\tanden linje"
    assert control_characters(note, multiline=True) == []
    assert visible(note, multiline=True) == note
    assert control_characters(note) == ["U+000A", "U+0009"]
    assert visible(note) == f"Første linje{REPLACEMENT}{REPLACEMENT}anden linje"
    # A multi-line note still refuses escapes, carriage returns and the Unicode line separators' kin.
    assert control_characters(f"a\n{ESC}[2J", multiline=True) == ["U+001B"]
    assert control_characters("a\rb", multiline=True) == ["U+000D"]
    assert control_characters("a\u2028b") == ["U+2028"]


def test_one_line_joins_lines_and_stays_visible() -> None:
    assert one_line("Første linje\n   anden linje\r\ntredje") == "Første linje anden linje tredje"
    assert one_line(f"a\n{ESC}[2J") == f"a {REPLACEMENT}[2J"


def test_normalized_makes_two_spellings_of_one_name_equal() -> None:
    composed, decomposed = "Fanø", "Fano\u0338"  # not the same letter: ø has no decomposition
    assert normalized(composed) == composed
    assert normalized("Å") == normalized("A\u030a") == "\u00c5"
    assert normalized("Café") == normalized("Cafe\u0301")
    assert normalized(decomposed) != normalized(composed)


@given(st.text())
def test_visible_text_has_no_control_characters(value: str) -> None:
    for multiline in (False, True):
        shown = visible(value, multiline=multiline)
        assert control_characters(shown, multiline=multiline) == []
        assert len(shown) == len(value)
        assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in shown)
    assert "\n" not in one_line(value) and "\r" not in one_line(value)
    assert control_characters(one_line(value)) == []


@given(st.text())
def test_safe_text_is_unchanged(value: str) -> None:
    if not control_characters(value):
        assert visible(value) == value
