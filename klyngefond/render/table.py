"""One table model for every view, and its plain-text layout for terminals and pipes.

A report is arranged into :class:`Table` values (headers already worded, cells still raw:
``Decimal`` amounts, ``str`` text, ``None`` for "–"), and each writer turns a table into its
format: text here, Markdown/CSV in ``render/tabular.py``, spreadsheets and documents in
``render/`` modules of their own. A writer never computes.

The text layout never hides an amount. An amount is never wrapped or cut; text columns
wrap at word boundaries down to a minimum width; and when the table is still wider than
the terminal, the columns are dealt out into several narrower tables that each repeat
the first (label) column. Output that is not a terminal has no width limit: nothing is
wrapped, so a pipe or a file gets whole lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from klyngefond.core.text import one_line
from klyngefond.i18n import number

Align = Literal["left", "right"]
Cell = Decimal | str | int | None


@dataclass(frozen=True)
class Column:
    """A column: its header, alignment, and whether its cells are amounts (never wrapped)."""

    header: str
    align: Align = "left"
    amount: bool = False
    signed: bool = False  # amounts shown with their sign (+0,01)
    short: str | None = None  # a shorter header for narrow layouts


def amount_column(header: str, short: str | None = None, *, signed: bool = False) -> Column:
    return Column(header, "right", True, signed, short)


@dataclass(frozen=True)
class Table:
    """Rows of cells under columns, an optional total row, a title and a caption."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str | None = None
    totals: tuple[Cell, ...] | None = None
    caption: str | None = None
    key: str = ""  # a stable name for the table (sheet names, JSON), e.g. "partners"
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Rows after the totals that are not sums of the rows above (e.g. "Resterende midler").
    summary: tuple[tuple[Cell, ...], ...] = ()
    # The last column is each row's sum of the amount columns before it (a spreadsheet may write it as a formula).
    row_totals: bool = False

    @property
    def footer(self) -> tuple[tuple[Cell, ...], ...]:
        """The totals row, if any, then the summary rows."""
        return ((self.totals,) if self.totals else ()) + self.summary


def cell_text(cell: Cell, column: Column, lang: str) -> str:
    """A cell as the text layouts show it: amounts in the language's format, data text made visible."""
    if cell is None:
        return "–"
    if isinstance(cell, Decimal):
        return number(cell, lang, signed=column.signed)
    return one_line(str(cell))


# --------------------------------------------------------------------------- text layout

PAD = 2
MIN_TEXT = 12


def render_text(table: Table, lang: str, width: int | None = None) -> str:
    """The table as text no wider than ``width`` (no limit when ``None``)."""
    headers = [c.header for c in table.columns]
    body = [[cell_text(cell, col, lang) for cell, col in zip(row, table.columns)] for row in table.rows]
    footer = [[cell_text(cell, col, lang) for cell, col in zip(row, table.columns)] for row in table.footer]
    chunks = _column_chunks(table, headers, body, footer, width)
    parts = []
    if table.title:
        parts.append(_wrap_plain(table.title, width))
    for index, columns in enumerate(chunks):
        if index:
            parts.append("")
        parts.append(_layout(table, columns, headers, body, footer, width))
    if table.caption:
        parts.append(_wrap_plain(table.caption, width))
    for note in table.notes:
        parts.append(_wrap_plain(note, width))
    return "\n".join(parts)


def _wrap_plain(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _natural(index: int, headers: list[str], body: list[list[str]], footer: list[list[str]]) -> int:
    cells = [headers[index]] + [row[index] for row in body] + [row[index] for row in footer]
    return max(len(c) for c in cells)


def _minimum(table: Table, index: int, headers: list[str], body: list[list[str]], footer: list[list[str]]) -> int:
    """The narrowest a column can be: amounts whole; text down to its longest word (or MIN_TEXT)."""
    column = table.columns[index]
    cells = [row[index] for row in body] + [row[index] for row in footer]
    if column.amount:
        longest_header_word = max((len(w) for w in headers[index].split()), default=0)
        return max([len(c) for c in cells] + [longest_header_word])
    words = [len(w) for c in [headers[index], *cells] for w in c.split()]
    return max(min(MIN_TEXT, _natural(index, headers, body, footer)), max(words, default=1) if max(words, default=1) <= 24 else 24)


def _fits(widths: Sequence[int], width: int | None) -> bool:
    return width is None or sum(widths) + PAD * (len(widths) + 1) <= width


def _column_chunks(table: Table, headers: list[str], body: list[list[str]], footer: list[list[str]],
                   width: int | None) -> list[list[int]]:
    """The column indexes of each table to draw: all at once, or dealt out with the label repeated."""
    count = len(table.columns)
    minimum = [_minimum(table, i, headers, body, footer) for i in range(count)]
    if _fits(minimum, width) or count <= 2:
        return [list(range(count))]
    chunks: list[list[int]] = []
    current = [0]
    for index in range(1, count):
        if _fits([minimum[i] for i in current + [index]], width) or len(current) == 1:
            current.append(index)
        else:
            chunks.append(current)
            current = [0, index]
    chunks.append(current)
    return chunks


def _layout(table: Table, columns: list[int], headers: list[str], body: list[list[str]], footer: list[list[str]],
            width: int | None) -> str:
    natural = {i: _natural(i, headers, body, footer) for i in columns}
    widths = dict(natural)
    if width is not None:
        minimum = {i: _minimum(table, i, headers, body, footer) for i in columns}
        # Shrink the widest text columns first, never below their minimum; amounts never shrink.
        while not _fits(list(widths.values()), width):
            shrinkable = [i for i in columns if not table.columns[i].amount and widths[i] > minimum[i]]
            if not shrinkable:
                # Amounts whose header is wider than the amount: let the header wrap.
                shrinkable = [i for i in columns if widths[i] > minimum[i]]
                if not shrinkable:
                    break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    lines = []
    rule = " " + "━" * (sum(widths.values()) + PAD * len(columns)) + " "
    lines += _row_lines(table, columns, headers, widths)
    lines.append(rule)
    for row in body:
        lines += _row_lines(table, columns, row, widths)
    if footer:
        lines.append(rule)
        for row in footer:
            lines += _row_lines(table, columns, row, widths)
    return "\n".join(line.rstrip() for line in lines)


def _row_lines(table: Table, columns: list[int], cells: list[str], widths: dict[int, int]) -> list[str]:
    wrapped = {}
    for i in columns:
        text = cells[i]
        if len(text) <= widths[i]:
            wrapped[i] = [text]
        else:
            wrapped[i] = textwrap.wrap(text, widths[i], break_long_words=True, break_on_hyphens=False) or [""]
    height = max(len(v) for v in wrapped.values())
    lines = []
    for line_no in range(height):
        parts = []
        for i in columns:
            text = wrapped[i][line_no] if line_no < len(wrapped[i]) else ""
            if table.columns[i].align == "right":
                parts.append(text.rjust(widths[i]))
            else:
                parts.append(text.ljust(widths[i]))
        lines.append(" " * PAD + (" " * PAD).join(parts))
    return lines
