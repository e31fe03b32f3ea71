"""Tables as CSV and Markdown text, safe to open in a spreadsheet or paste into an agenda.

CSV is written the way Danish Excel reads it: ``;`` between cells (Danish Excel expects
``;`` because ``,`` is the decimal mark), amounts with a decimal comma and no thousands
dots, so they arrive as numbers. English output uses ``,`` and a decimal point.

A cell a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-`` or ``@``,
or with a tab or carriage return, which some spreadsheets strip before looking) is prefixed
with ``'``, the spreadsheet convention for "this is text" (OWASP "CSV injection"). Plain
numbers such as ``-12,50`` are left alone: they cannot run, and stay numbers.

Markdown is pasted into agenda systems that render it, often with HTML allowed, so text
from the data is escaped (:func:`markdown_text`): ``<``, ``>``, ``&`` become entities (no
``<script>``, no ``<img onerror=…>``), and the characters that make links, code, emphasis
and table cells (`` ` ``, ``[``, ``]``, ``*``, ``_``, ``|``, ``\\``) and, at the start of
a line, headings, lists and quotes (``#``, ``-``, ``+``, ``>``, ``1.``) are escaped with a
backslash. A name therefore cannot add a heading, a row, a link or a script.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from decimal import Decimal

from klyngefond.core.money import json_amount

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+([.,]\d+)?")

CSV_DELIMITER = {"da": ";", "en": ","}


def neutralise(cell: str) -> str:
    """``cell`` made safe for a spreadsheet: formula-like text gets a leading ``'``, control characters become U+FFFD."""
    from klyngefond.core.text import visible

    if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
        cell = "'" + cell
    return visible(cell, multiline=True)


def csv_amount(amount: Decimal, lang: str) -> str:
    """``1874400,00`` (da) or ``1874400.00`` (en): a number a spreadsheet reads as a number."""
    text = json_amount(amount)
    return text.replace(".", ",") if lang == "da" else text


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]], lang: str) -> str:
    """The table as CSV text (``\\r\\n`` line ends, as RFC 4180 and Excel have them), every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER[lang], quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]|])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*\d*)([#+\-=.)])", re.MULTILINE)


def markdown_text(text: str, *, line_starts: bool = True) -> str:
    """Text from the data as literal Markdown: no markup, HTML, link, code, heading, list or table break.

    Line breaks are kept and, unless ``line_starts`` is false (a table cell, which never
    starts a line), each line's start is escaped; control characters are made visible.
    """
    import html

    from klyngefond.core.text import xml_text

    escaped = _MARKDOWN_INLINE.sub(r"\\\1", html.escape(xml_text(text, multiline=True), quote=False).replace("\t", " "))
    if not line_starts:
        return escaped
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    lead, mark = match.group(1), match.group(2)
    if lead.strip() and mark not in ".)":  # "12-" or "3#" start no block
        return match.group(0)
    if not lead.strip() and mark in ".)":
        return match.group(0)
    return f"{lead}\\{mark}"


def markdown_cell(text: str) -> str:
    """Text that cannot break a Markdown table row: escaped as :func:`markdown_text`, line breaks as spaces."""
    return markdown_text(re.sub(r"\s*[\r\n\u2028\u2029]+\s*", " ", text).strip(), line_starts=False)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = (),
                   bold_last: bool = False) -> str:
    """A GitHub-flavoured Markdown table; columns whose index is in ``right`` are right-aligned.

    Every cell is escaped (:func:`markdown_cell`); ``bold_last`` sets the last row (a totals
    row) in bold around the escaped text.
    """
    align = ["---:" if index in right else "---" for index in range(len(header))]
    lines = ["| " + " | ".join(markdown_cell(h) for h in header) + " |", "|" + "|".join(align) + "|"]
    for number, row in enumerate(rows, start=1):
        bold = bold_last and number == len(rows)
        cells = [markdown_cell(cell) for cell in row]
        lines.append("| " + " | ".join(f"**{cell}**" if bold and cell else cell for cell in cells) + " |")
    return "\n".join(lines) + "\n"
