"""A :class:`Document` as an Excel workbook (xlsxwriter, write-only): one sheet per table, the notes on their own sheet.

* Amounts are real numbers with the number format ``#,##0.00``. The file always stores
  this (en-US) code and Excel or LibreOffice show it in the reader's locale: a Danish
  one shows ``1.874.400,00``. (``#.##0,00`` must not be stored: it shows ``1.874.400,00000``.)
* Row 1 holds the table's title, row 2 the header; both stay in view (frozen panes), and
  the header has a filter. Columns are as wide as their text, within limits.
* A total is a ``SUM`` formula only where a person expects one, a column's or a row's
  sum that the figures really add up to, and it carries its value, so that viewers which
  do not calculate show it too. Summary rows that are not sums ("Resterende midler") are values.
* Every text cell is written as a string, never as a formula; one that starts with ``=``,
  ``+``, ``-`` or ``@`` also gets Excel's quote prefix, so that editing it cannot make it run.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from klyngefond.render.document import Bullets, Document, Paragraph, text_of
from klyngefond.render.table import Cell, Table

MONEY = "#,##0.00"
RISKY = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT_WIDTH = 60
AMOUNT_WIDTH = 15
FORBIDDEN = "[]:*?/\\"


def sheet_name(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``, not starting or ending with ``'``, unique."""
    name = "".join("-" if c in FORBIDDEN else c for c in text_of(title)).strip().strip("'")[:31].rstrip() or "Ark"
    base, number = name, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
        number += 1
    used.add(name.lower())
    return name


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Writer:
    def __init__(self, document: Document) -> None:
        import xlsxwriter

        self.document = document
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False})
        made = _made(document)
        self.book.set_properties({"title": text_of(document.title), "subject": text_of(document.subtitle),
                                  "author": "klyngefond", "comments": f"{document.cluster} · {document.labels.as_of}",
                                  "created": made})
        add = self.book.add_format
        self.title = add({"bold": True, "font_size": 12})
        self.head = add({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.head_n = add({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top", "align": "right"})
        self.text = add({"text_wrap": True, "valign": "top"})
        self.text_q = add({"text_wrap": True, "valign": "top", "quote_prefix": True})
        self.dash = add({"valign": "top", "align": "right"})
        self.money = add({"num_format": MONEY, "valign": "top"})
        self.foot_text = add({"bold": True, "top": 1, "valign": "top", "text_wrap": True})
        self.foot_text_q = add({"bold": True, "top": 1, "valign": "top", "text_wrap": True, "quote_prefix": True})
        self.foot_money = add({"bold": True, "top": 1, "num_format": MONEY, "valign": "top"})
        self.foot_dash = add({"bold": True, "top": 1, "valign": "top", "align": "right"})
        self.note = add({"italic": True})
        self.used: set[str] = set()

    def string(self, sheet: Any, row: int, col: int, value: str, footer: bool = False) -> None:
        value = text_of(value)
        risky = value.startswith(RISKY)
        fmt = (self.foot_text_q if risky else self.foot_text) if footer else (self.text_q if risky else self.text)
        sheet.write_string(row, col, value, fmt)

    def cell(self, sheet: Any, row: int, col: int, value: Cell, footer: bool = False) -> None:
        if value is None:
            sheet.write_string(row, col, "–", self.foot_dash if footer else self.dash)
        elif isinstance(value, Decimal):
            sheet.write_number(row, col, value, self.foot_money if footer else self.money)
        elif value == "" and footer:
            sheet.write_blank(row, col, None, self.foot_text)
        else:
            self.string(sheet, row, col, str(value), footer)

    def name(self, block: Table) -> str:
        return sheet_name(self.document.sheet_names.get(block.key) or block.title or block.key, self.used)

    def table(self, block: Table) -> None:
        sheet = self.book.add_worksheet(self.name(block))
        columns = block.columns
        sheet.write_string(0, 0, text_of(block.title or self.document.title), self.title)
        for c, column in enumerate(columns):
            sheet.write_string(1, c, text_of(column.header), self.head_n if column.amount else self.head)
        first = 2  # the first data row (0-based)
        for r, row in enumerate(block.rows, start=first):
            for c, value in enumerate(row):
                if block.row_totals and c == len(row) - 1 and _adds_up(row):
                    self.row_sum(sheet, r, len(row), value, footer=False)  # type: ignore[arg-type]
                else:
                    self.cell(sheet, r, c, value)
        last = first + len(block.rows) - 1
        r = last + 1
        for index, row in enumerate(block.footer):
            is_total = block.totals is not None and index == 0
            for c, value in enumerate(row):
                column = columns[c]
                if is_total and column.amount and isinstance(value, Decimal) and block.rows and _column_adds_up(block, c, value):
                    letter = column_letter(c)
                    sheet.write_formula(r, c, f"=SUM({letter}{first + 1}:{letter}{last + 1})", self.foot_money, float(value))
                elif block.row_totals and c == len(row) - 1 and _adds_up(row):
                    self.row_sum(sheet, r, len(row), value, footer=True)  # type: ignore[arg-type]
                else:
                    self.cell(sheet, r, c, value, footer=True)
            r += 1
        for line in ((block.caption,) if block.caption else ()) + block.notes:
            r += 1
            sheet.write_string(r, 0, text_of(line), self.note)
        sheet.freeze_panes(2, 0)
        if block.rows:
            sheet.autofilter(1, 0, last, len(columns) - 1)
        for c, column in enumerate(columns):
            sheet.set_column(c, c, _width(block, c))

    def row_sum(self, sheet: Any, r: int, count: int, value: Decimal, *, footer: bool) -> None:
        """The row's total as ``=SUM(B3:G3)`` over the amount columns before it, with its value."""
        start, end = column_letter(1), column_letter(count - 2)
        sheet.write_formula(r, count - 1, f"=SUM({start}{r + 1}:{end}{r + 1})", self.foot_money if footer else self.money,
                            float(value))

    def notes(self, blocks: list[Bullets | Paragraph]) -> None:
        sheet = self.book.add_worksheet(sheet_name(self.document.labels.notes_sheet, self.used))
        sheet.write_string(0, 0, text_of(self.document.title), self.title)
        sheet.write_string(1, 0, text_of(self.document.subtitle), self.text)
        r = 3
        for block in blocks:
            if block.heading:
                sheet.write_string(r, 0, text_of(block.heading), self.head)
                r += 1
            for line in block.lines if isinstance(block, Bullets) else (block.text,):
                self.string(sheet, r, 0, line)
                r += 1
            r += 1
        sheet.set_column(0, 0, 120)

    def render(self) -> bytes:
        notes: list[Bullets | Paragraph] = []
        for block in self.document.blocks:
            if isinstance(block, Table):
                self.table(block)
            elif isinstance(block, (Bullets, Paragraph)):
                notes.append(block)
        if notes:
            self.notes(notes)
        self.book.close()
        return self.buffer.getvalue()


def _adds_up(row: tuple[Cell, ...]) -> bool:
    """The row's last cell is the sum of the amounts before it (and there are amounts to sum)."""
    last = row[-1]
    parts = [v for v in row[1:-1] if isinstance(v, Decimal)]
    return isinstance(last, Decimal) and bool(parts) and sum(parts, Decimal(0)) == last


def _column_adds_up(block: Table, c: int, total: Decimal) -> bool:
    values = [row[c] for row in block.rows]
    return all(v is None or isinstance(v, Decimal) for v in values) and \
        sum((v for v in values if isinstance(v, Decimal)), Decimal(0)) == total


def _width(block: Table, c: int) -> float:
    column = block.columns[c]
    if column.amount:
        return max(AMOUNT_WIDTH, min(30, max((len(w) for w in column.header.split()), default=0) + 2))
    texts = [text_of(str(row[c])) for row in (*block.rows, *block.footer) if row[c] is not None]
    longest = max([len(s) for s in texts] + [len(column.header)], default=8)
    return min(MAX_TEXT_WIDTH, max(8, longest + 2))


def _made(document: Document) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(document.made_on)
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0)


def render(document: Document) -> bytes:
    return _Writer(document).render()
