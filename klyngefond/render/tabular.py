"""Tables as CSV and Markdown text, safe to open in a spreadsheet or paste into an agenda.

CSV is written the way Danish Excel reads it: ``;`` between cells (Danish Excel expects
``;`` because ``,`` is the decimal mark), amounts with a decimal comma and no thousands
dots, so they arrive as numbers. English output uses ``,`` and a decimal point.

A cell a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-`` or ``@``,
or with a tab or carriage return, which some spreadsheets strip before looking) is prefixed
with ``'``, the spreadsheet convention for "this is text" (OWASP "CSV injection"). Plain
numbers such as ``-12,50`` are left alone: they cannot run, and stay numbers.
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
    """``cell`` made safe for a spreadsheet: formula-like text gets a leading ``'``."""
    if cell.startswith(FORMULA_START) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


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


def markdown_cell(text: str) -> str:
    """Text that cannot break a Markdown table row: ``|`` escaped, line breaks as spaces."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text.replace("\\", "\\\\").replace("|", "\\|")).strip()


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A GitHub-flavoured Markdown table; columns whose index is in ``right`` are right-aligned."""
    align = ["---:" if index in right else "---" for index in range(len(header))]
    lines = ["| " + " | ".join(markdown_cell(h) for h in header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
