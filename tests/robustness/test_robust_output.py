"""Safe output everywhere: text from the data drives no terminal, adds no markup, runs no formula.

The corpus of hostile names below is what a person (or a file from elsewhere) can put in
a name that the validator accepts; control characters themselves are refused on input
(tests in ``test_robust_corpus.py``) and, if one ever slips through, shown as U+FFFD.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from lxml import etree

from robust_helpers import fresh_copy, run_program

from klyngefond.core.text import REPLACEMENT, control_characters, html_text, visible, xml_text
from klyngefond.render.tabular import csv_text, markdown_cell, markdown_table, markdown_text, neutralise

ESC, BEL = "\x1b", "\x07"
TERMINAL_ATTACKS = {
    "clipboard write (OSC 52, BEL)": f"{ESC}]52;c;cm0gLXJmIH4vKgo={BEL}Fanø",
    "clipboard write (OSC 52, ST)": f"{ESC}]52;p;ZWNobyBoaQ=={ESC}\\Varde",
    "window title (OSC 0)": f"{ESC}]0;pwned{BEL}Esbjerg",
    "window title (OSC 2)": f"{ESC}]2;pwned{ESC}\\Billund",
    "icon name (OSC 1)": f"{ESC}]1;x{BEL}Vejen",
    "clear screen": f"{ESC}[2J{ESC}[HTønder",
    "8-bit CSI clear": "\x9b2JHaderslev",
    "8-bit OSC title": "\x9d0;pwned\x9cAabenraa",
    "device status report": f"{ESC}[6nSønderborg",
    "hide cursor / alternate screen": f"{ESC}[?1049h{ESC}[?25lKolding",
    "backspace over an amount": "1.000.000\b\b\b\b\b\b\b\b\b9",
    "carriage return overprint": "100 kr.\r999 kr.",
    "right-to-left override": "faktura\u202efdp.exe",
    "noncharacter": "Palli\ufffeation",
    "lone surrogate (undecodable argv byte)": "Fan\udcf8",
}
MARKUP_NAMES = [
    "<script>alert('klynge')</script>",
    '<img src=x onerror="alert(1)">',
    "# Overskrift fra data",
    "## Endnu en",
    "| ny | række |",
    "x | y | z",
    "[klik her](javascript:alert(1))",
    "![billede](https://evil.invalid/pixel.png)",
    "<https://evil.invalid>",
    "`rm -rf /`",
    "```kodeblok",
    "- punkt",
    "+ punkt",
    "> citat",
    "1. liste",
    "**fed** og _kursiv_",
    "Fanø & Rømø &amp; co",
    "a\\|b",
    "=== understregning",
    "<!-- kommentar -->",
    "<iframe src=//evil.invalid>",
]
FORMULA_NAMES = ["=HYPERLINK(\"https://evil.invalid\";\"klik\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
                 "\tTAB", "\r=1"]


# --------------------------------------------------------------------------- terminal


def _no_terminal_control(text: str) -> None:
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\ud800-\udfff]", text), repr(text)


@pytest.mark.parametrize("value", TERMINAL_ATTACKS.values(), ids=TERMINAL_ATTACKS.keys())
def test_safe_print_shows_every_escape_instead_of_obeying_it(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from klyngefond.render.terminal import safe_print

    for encoding in ("utf-8", "ascii", "cp1252"):
        stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding, newline="")
        monkeypatch.setattr(sys, "stdout", stream)
        safe_print(f"Bevilling: {value}")
        stream.flush()
        shown = stream.buffer.getvalue().decode(encoding)  # type: ignore[attr-defined]
        _no_terminal_control(shown)
        assert shown.startswith("Bevilling: ")


@pytest.mark.parametrize("value", list(TERMINAL_ATTACKS.values()))
def test_the_helpers_refuse_and_replace_the_same_characters(value: str) -> None:
    assert control_characters(value, multiline=True)
    assert REPLACEMENT in visible(value)
    _no_terminal_control(visible(value, multiline=True))


def test_escapes_from_a_file_and_the_command_line_reach_a_pipe_as_text(tmp_path: Path) -> None:
    """Piped output (not a terminal) is neutralised too: a log or ``| less -R`` must not run them."""
    data = fresh_copy(tmp_path / "data")
    grant = data / "vesterhavet" / "grants" / "palliation.toml"
    # The id written in the file is echoed in the refusal (it differs from the file name).
    osc = TERMINAL_ATTACKS["clipboard write (OSC 52, BEL)"] + TERMINAL_ATTACKS["window title (OSC 0)"]
    escaped = osc.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
    grant.write_text(grant.read_text("utf-8").replace('id = "palliation"', f'id = "{escaped}"'), "utf-8")
    for args in (["status", "Vesterhavet"], ["check", "Vesterhavet"], ["invoices", "Vesterhavet"], ["check", "--all"],
                 ["status", osc], ["allocate", "Vesterhavet", "--name", osc, "--amount", "1000", "--owner", "havby"]):
        result = run_program(*args, "--data", str(data))
        assert result.returncode in (1, 2), result
        _no_terminal_control(result.stdout + result.stderr)
        assert "\ufffd" in result.stdout + result.stderr or "U+001B" in result.stdout + result.stderr


# --------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_markdown_text_adds_no_markup(name: str) -> None:
    for escaped in (markdown_text(name), markdown_cell(name)):
        assert "<" not in escaped and not re.search(r"(?<!\\)[\[\]`|*_]", escaped)
    # A paragraph's line cannot start a block (a table cell never starts a line).
    assert not re.match(r"\s*([#+>=-]|\d+[.)])", markdown_text(name)), markdown_text(name)
    table = markdown_table(["Navn", "Beløb"], [[name, "1,00"]], [1])
    assert table.count("\n") == 3  # header, rule, one row: no row added
    assert len(re.findall(r"(?<!\\)\|", table.splitlines()[2])) == 3  # the row keeps its two cells


def test_markdown_line_starts_are_escaped_in_every_line() -> None:
    text = markdown_text("første\n# overskrift\n- punkt\n12. liste\n+ plus\n> citat")
    assert text.splitlines() == ["første", "\\# overskrift", "\\- punkt", "12\\. liste", "\\+ plus", "&gt; citat"]


def test_hostile_names_in_the_data_reach_the_agenda_as_text(cli, tmp_path: Path) -> None:
    data = fresh_copy(tmp_path / "data")
    cluster = data / "vesterhavet" / "cluster.toml"
    names = {"havby": MARKUP_NAMES[0], "klitby": MARKUP_NAMES[1], "sandby": MARKUP_NAMES[6], "region-vest": MARKUP_NAMES[4]}
    text = cluster.read_text("utf-8")
    for pid, name in names.items():
        text = re.sub(rf'(id = "{pid}"\nname = )"[^"]*"', lambda m, n=name: m.group(1) + _toml(n), text)
    text = text.replace('name = "Testklynge Vesterhavet"', f"name = {_toml('# Klynge <b>fed</b>')}")
    cluster.write_text(text, "utf-8")
    for stem, name in zip(("akutteam", "faelles-sundhedsteam", "forebyggelse", "palliation"), MARKUP_NAMES[2:]):
        path = data / "vesterhavet" / "grants" / f"{stem}.toml"
        path.write_text(re.sub(r'^name = ".*"$', "name = " + _toml(name), path.read_text("utf-8"), flags=re.M), "utf-8")
    result = cli("invoices", "Vesterhavet", "--data", str(data), "--format", "markdown")
    assert result.code == 0, result.text
    out = result.out
    assert "<" not in out, [line for line in out.splitlines() if "<" in line]
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert all(line.startswith(("## ", "### ")) for line in headings)
    assert headings[0].startswith("## \\# Klynge &lt;b&gt;fed&lt;/b&gt;")
    for line in out.splitlines():
        if line.startswith("|"):
            # every row of a table has as many unescaped cell borders as its header
            assert len(re.findall(r"(?<!\\)\|", line)) in {3, 4, 5, 6, 7, 8}
        assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", line), line  # no link
        assert not re.search(r"(?<!\\)`", line), line
    csv = cli("invoices", "Vesterhavet", "--data", str(data), "--format", "csv").out
    assert "<script>" in csv  # CSV is data, not markup: the name is kept as it is (formulas are what CSV neutralises)


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --------------------------------------------------------------------------- CSV, HTML, XML


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_csv_cells_never_start_a_formula(name: str) -> None:
    cell = neutralise(name)
    assert cell.startswith("'")
    row = csv_text(["Navn"], [[name]], "da").splitlines()[1]
    assert row.lstrip('"').startswith("'")
    _no_terminal_control(cell.replace("\t", " ").replace("\n", " "))


@pytest.mark.parametrize("value", [*TERMINAL_ATTACKS.values(), *MARKUP_NAMES, "Fanø \U0010ffff \U0001fffe \ufdd0 ok"])
def test_xml_text_can_always_be_carried_by_an_xml_document(value: str) -> None:
    element = etree.Element("Name")
    element.text = xml_text(value)  # lxml raises ValueError for anything XML 1.0 cannot carry
    parsed = etree.fromstring(etree.tostring(element, encoding="UTF-8"))
    assert parsed.text == xml_text(value)
    _no_terminal_control(parsed.text or "")


@pytest.mark.parametrize("value", [*MARKUP_NAMES, *TERMINAL_ATTACKS.values()])
def test_html_text_adds_no_element_or_attribute(value: str) -> None:
    escaped = html_text(value)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped and "'" not in escaped
    assert re.sub(r"&(amp|lt|gt|quot|#x27);", "", escaped).count("&") == 0
    _no_terminal_control(escaped)
