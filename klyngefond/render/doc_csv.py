"""A :class:`Document` as CSV for a spreadsheet, by the rules of the invoice CSV (``render/tabular.py``).

``;`` between cells and a decimal comma in Danish (``,`` and a point in English), amounts
as plain numbers (``1874400,00``) so that they arrive as numbers, "–" as an empty cell,
and every text cell that a spreadsheet would run as a formula neutralised. Each table
comes with its title on a line of its own and a blank line after it; notes follow as one
cell a line. The byte order mark is added when the CSV is written to a file.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from klyngefond.render.document import Bullets, Document, Paragraph, text_of
from klyngefond.render.table import Cell, Table
from klyngefond.render.tabular import CSV_DELIMITER, csv_amount, neutralise


def cell(value: Cell, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return csv_amount(value, lang)
    return text_of(str(value))


def rows(document: Document) -> list[list[str]]:
    lang = document.lang
    out: list[list[str]] = [[text_of(document.title)], [text_of(document.subtitle)], []]
    for block in document.blocks:
        if isinstance(block, Table):
            if block.title:
                out.append([text_of(block.title)])
            out.append([text_of(c.header) for c in block.columns])
            out += [[cell(v, lang) for v in row] for row in block.rows]
            out += [[cell(v, lang) for v in row] for row in block.footer]
            out += [[text_of(line)] for line in ((block.caption,) if block.caption else ()) + block.notes]
            out.append([])
        elif isinstance(block, (Bullets, Paragraph)):
            if block.heading:
                out.append([text_of(block.heading)])
            lines = block.lines if isinstance(block, Bullets) else (block.text,)
            out += [[text_of(line)] for line in lines]
            out.append([])
    while out and not out[-1]:
        out.pop()
    return out


def render(document: Document) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER[document.lang], quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in rows(document):
        writer.writerow([neutralise(value) for value in row])
    return buffer.getvalue()
