"""Reading the meeting pack back, one reader per format, into the same shape: ``{table title: rows of cell text}``.

Each reader opens the file the way a person's tool would (a Markdown table parsed by its
pipes, the workbook with openpyxl, the PDF's text with pypdf, the HTML's DOM with the
standard library's parser), so the tests compare what a reader gets, not what we meant.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

Tables = dict[str, list[list[str]]]


def amount(text: str) -> Decimal | None:
    """``627.851,18 kr.`` / ``-325.000,00 kr.`` / ``DKK 627,851.18`` as a Decimal; ``None`` for "–" or text."""
    cleaned = text.replace("\xa0", " ").replace("*", "").strip()
    if cleaned.startswith("DKK "):
        cleaned = cleaned[4:].replace(",", "")
    else:
        if not cleaned.endswith(" kr."):
            return None
        cleaned = cleaned[:-4].replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except ArithmeticError:
        return None


# --------------------------------------------------------------------------- Markdown


def _cells(line: str) -> list[str]:
    """The cells of a GFM table row: split on ``|`` not escaped, then undo the escapes."""
    inner = line.strip()[1:-1]
    cells, current, escaped = [], [], False
    for char in inner:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    return [c[2:-2] if c.startswith("**") and c.endswith("**") and len(c) > 3 else c for c in cells]


def markdown_tables(text: str) -> Tables:
    tables: Tables = {}
    heading = ""
    rows: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            heading = unescape(line[3:])
        if line.startswith("|"):
            if rows is None:
                rows = tables.setdefault(heading, [])
            if re.fullmatch(r"\|(-+:?\|)+", line.strip()):
                continue
            rows.append(_cells(line))
        else:
            rows = None
    return tables


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


# --------------------------------------------------------------------------- HTML (a file, or Chromium's DOM)


class DomTables(HTMLParser):
    """Tables by their section's ``data-table`` key (and heading); list items; every tag seen; text outside tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: Tables = {}
        self.keys: dict[str, str] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.items: list[str] = []
        self._key = ""
        self._heading: list[str] | None = None
        self._title = ""
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._item: list[str] | None = None
        self.text: list[str] = []  # what a reader sees: not the style sheet
        self._style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in ("style", "title"):
            self._style = True
        elif tag == "section":
            self._key = a.get("data-table") or ""
            self._title = ""
        elif tag == "h2":
            self._heading = []
        elif tag == "table":
            self._rows = self.tables.setdefault(self._title, [])
            if self._key:
                self.keys[self._key] = self._title
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "li":
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title"):
            self._style = False
        elif tag == "h2" and self._heading is not None:
            self._title = "".join(self._heading).strip()
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None and self._rows is not None:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._rows = None
        elif tag == "li" and self._item is not None:
            self.items.append("".join(self._item).strip())
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._style:
            return
        self.text.append(data)
        for part in (self._cell, self._heading, self._item):
            if part is not None:
                part.append(data)


def html_tables(text: str) -> DomTables:
    parser = DomTables()
    parser.feed(text)
    parser.close()
    return parser


# --------------------------------------------------------------------------- Excel


def xlsx_tables(path: Path) -> dict[str, list[list[object]]]:
    """Each sheet's title cell (A1) -> its rows from the header on, as stored (formulas as their cached values)."""
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True)
    tables: dict[str, list[list[object]]] = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows(min_row=2, values_only=True):
            if all(v is None for v in row):
                break  # the table ends; its caption and notes follow
            rows.append(list(row))
        tables[str(sheet["A1"].value)] = rows
    return tables


def xlsx_amount(value: object) -> Decimal:
    """A number read back from a workbook as the exact amount it was written as."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- PDF


def pdf_text(path: Path) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def squeezed(text: str) -> str:
    """Text without any whitespace: wrapped cells come back in pieces, so compare without it."""
    return "".join(text.replace("\u200b", "").split())
