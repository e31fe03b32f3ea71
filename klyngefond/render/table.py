"""One table model for every view, and its plain-text layout for terminals and pipes.

A report is arranged into :class:`Table` values (headers already worded, cells still raw:
``Decimal`` amounts, ``str`` text, ``None`` for "–"), and each writer turns a table into its
format: text here, Markdown/CSV in ``render/tabular.py``, spreadsheets and documents in
``render/`` modules of their own. A writer never computes.

The text layout never hides an amount: an amount is never wrapped or cut. When the table is
wider than the terminal it changes layout instead, trying in turn:

1. the table as it is, nothing wrapped;
2. a table of figures marked as such (``transposed_label``) turned, rows as columns, when
   that fits whole (a grant-by-partner split with many partners and few grants);
3. the short forms: short partner names (a :class:`~klyngefond.core.text.Name` cell or
   column header carries one, ``Partner.label``), then also short column headers
   (``Column.short``), as the table is or turned;
4. text columns wrapped at word boundaries (amount headers may wrap between words);
5. the columns dealt out into several narrower tables that each repeat the first (label)
   column, when each of them still holds at least two columns of figures;
6. one block per row: the row's label as a heading, then one line per column.

Output that is not a terminal (``width=None``) has no width limit: nothing is wrapped, so
a pipe or a file gets whole lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from klyngefond.core.text import Name, one_line
from klyngefond.i18n import number, t

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
    # A table of figures that may be shown turned (rows as columns) when that fits better: the
    # header of the label column then, and whether the last column is a total (it becomes the
    # totals row).
    transposed_label: str | None = None
    total_column: bool = False
    # Rows after the totals that are not sums of the rows above (e.g. "Resterende midler").
    summary: tuple[tuple[Cell, ...], ...] = ()
    # The last column is each row's sum of the amount columns before it (a spreadsheet may write it as a formula).
    row_totals: bool = False

    @property
    def footer(self) -> tuple[tuple[Cell, ...], ...]:
        """The totals row, if any, then the summary rows."""
        return ((self.totals,) if self.totals else ()) + self.summary


def transposed(table: Table) -> Table:
    """The table turned: each column of figures becomes a row, each row a column."""
    assert table.transposed_label is not None
    values = list(range(1, len(table.columns)))
    ends_in_total = table.total_column and len(values) > 1
    row_columns = [amount_column(_label(row[0])) for row in table.rows]
    total_header = [amount_column(_label(row[0])) for row in table.footer]
    rows = []
    for j in values:
        head = table.columns[j]
        label = Name(str(head.header), head.short or getattr(head.header, "short", None)) if head.short else head.header
        rows.append((label, *[row[j] for row in table.rows], *[row[j] for row in table.footer]))
    totals = tuple(rows.pop()) if ends_in_total else None
    return Table((Column(table.transposed_label), *row_columns, *total_header), tuple(rows), title=table.title, totals=totals,
                 caption=table.caption, key=table.key, notes=table.notes)


def _label(cell: Cell) -> str:
    return cell if isinstance(cell, str) else ("–" if cell is None else str(cell))


def cell_text(cell: Cell, column: Column, lang: str, *, short: bool = False) -> str:
    """A cell as the text layouts show it: amounts in the language's format, data text made visible.

    ``short``: a name's short form (``Partner.label``) where the cell carries one.
    """
    if cell is None:
        return "–"
    if isinstance(cell, Decimal):
        return number(cell, lang, signed=column.signed)
    if short and isinstance(cell, Name):
        return one_line(cell.short)
    return one_line(str(cell))


def header_text(column: Column, *, short: bool = False) -> str:
    if short:
        if column.short:
            return one_line(column.short)
        if isinstance(column.header, Name):
            return one_line(column.header.short)
    return one_line(str(column.header))


# --------------------------------------------------------------------------- text layout

PAD = 2
MIN_TEXT = 12
RULE = "━"


@dataclass(frozen=True)
class _Cells:
    """A table's text: headers, rows and the footer (totals, then summary rows), in the full or the short forms."""

    headers: list[str]
    body: list[list[str]]
    footer: list[list[str]]

    @property
    def totals(self) -> list[str] | None:
        return self.footer[0] if self.footer else None


def _cells(table: Table, lang: str, short: bool, *, headers: bool | None = None) -> _Cells:
    """``short``: names in their short forms; ``headers``: headers too (default: as ``short``)."""
    headers = short if headers is None else headers
    return _Cells([header_text(c, short=headers) for c in table.columns],
                  [[cell_text(cell, col, lang, short=short) for cell, col in zip(row, table.columns)] for row in table.rows],
                  [[cell_text(cell, col, lang, short=short) for cell, col in zip(row, table.columns)] for row in table.footer])


def render_text(table: Table, lang: str, width: int | None = None) -> str:
    """The table as text no wider than ``width`` (no limit when ``None``), every amount whole."""
    parts = []
    if table.title:
        parts.append(_wrap_plain(table.title, width))
    parts.append(_body(table, lang, width))
    if table.caption:
        parts.append(_wrap_plain(table.caption, width))
    for note in table.notes:
        parts.append(_wrap_plain(note, width))
    return "\n".join(parts)


def _body(table: Table, lang: str, width: int | None) -> str:
    """The first layout that fits: as it is, turned, short forms, wrapped text, dealt-out columns, blocks."""
    every = list(range(len(table.columns)))
    full = _cells(table, lang, short=False)
    if width is None or _fits([_natural(i, full) for i in every], width):
        return _layout(table, every, full, None)
    turned = transposed(table) if table.transposed_label is not None and table.rows else None
    shapes = [table] + ([turned] if turned is not None else [])
    for short, headers, widths in ((False, False, _natural), (True, False, _natural), (True, True, _natural), (True, True, None)):
        for shape in shapes:
            cells = _cells(shape, lang, short=short, headers=headers)
            columns = list(range(len(shape.columns)))
            sizes = [widths(i, cells) if widths else _minimum(shape, i, cells) for i in columns]
            if _fits(sizes, width) or len(columns) <= 1:
                return _layout(shape, columns, cells, width)
    short = _cells(table, lang, short=True)
    minimum = [_minimum(table, i, short) for i in every]
    chunks = _column_chunks(table, minimum, width)
    if len(chunks) > 1 and all(len(chunk) >= 3 for chunk in chunks[:-1]) and \
            all(_fits([minimum[i] for i in chunk], width) for chunk in chunks):
        return "\n\n".join(_layout(table, chunk, short, width) for chunk in chunks)
    return ("\n" if table.title else "") + _blocks(table, lang, width)


def paragraph(text: str, width: int | None) -> str:
    """Text wrapped at word boundaries to ``width`` (not at all when ``None``); amounts stay whole.

    Each line of ``text`` is wrapped on its own; an amount never breaks, as it has no spaces.
    """
    if width is None:
        return text
    return "\n".join(_wrap_plain(line, width) for line in text.split("\n"))


def _wrap_plain(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _natural(index: int, cells: _Cells) -> int:
    column = [cells.headers[index]] + [row[index] for row in cells.body] + [row[index] for row in cells.footer]
    return max(len(c) for c in column)


def _minimum(table: Table, index: int, cells: _Cells) -> int:
    """The narrowest a column can be: amounts whole; text down to its longest word (or MIN_TEXT)."""
    column = table.columns[index]
    values = [row[index] for row in cells.body] + [row[index] for row in cells.footer]
    if column.amount:
        longest_header_word = max((len(w) for w in cells.headers[index].split()), default=0)
        return max([len(c) for c in values] + [longest_header_word])
    words = [len(w) for c in [cells.headers[index], *values] for w in c.split()]
    longest = max(words, default=1)
    return max(min(MIN_TEXT, _natural(index, cells)), min(longest, 24))


def _fits(widths: Sequence[int], width: int | None) -> bool:
    return width is None or sum(widths) + PAD * (len(widths) + 1) <= width


def _column_chunks(table: Table, minimum: list[int], width: int) -> list[list[int]]:
    """The column indexes of each table to draw, dealt out with the label column repeated.

    Amount columns are dealt first, so that a row's figures stay beside its name and text
    columns (years, owners, decisions) go to the later tables.
    """
    chunks: list[list[int]] = []
    current = [0]
    order = [i for i in range(1, len(minimum)) if table.columns[i].amount] + \
        [i for i in range(1, len(minimum)) if not table.columns[i].amount]
    for index in order:
        if _fits([minimum[i] for i in current + [index]], width) or len(current) == 1:
            current.append(index)
        else:
            chunks.append(current)
            current = [0, index]
    chunks.append(current)
    return chunks


def _layout(table: Table, columns: list[int], cells: _Cells, width: int | None) -> str:
    widths = {i: _natural(i, cells) for i in columns}
    if width is not None:
        minimum = {i: _minimum(table, i, cells) for i in columns}
        # First let headers wider than their amounts wrap (one line of the table), then shrink the
        # widest text columns, never below their minimum; an amount itself never shrinks.
        while not _fits(list(widths.values()), width):
            shrinkable = [i for i in columns if table.columns[i].amount and widths[i] > minimum[i]]
            if not shrinkable:
                shrinkable = [i for i in columns if widths[i] > minimum[i]]
                if not shrinkable:
                    break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    lines = []
    rule = " " + RULE * (sum(widths.values()) + PAD * len(columns)) + " "
    lines += _row_lines(table, columns, cells.headers, widths)
    lines.append(rule)
    for row in cells.body:
        lines += _row_lines(table, columns, row, widths)
    if cells.footer and any(row[i] for row in cells.footer for i in columns[1:]):
        lines.append(rule)
        for row in cells.footer:
            lines += _row_lines(table, columns, row, widths)
    return "\n".join(line.rstrip() for line in lines)


def _row_lines(table: Table, columns: list[int], cells: list[str], widths: dict[int, int]) -> list[str]:
    wrapped = {}
    for i in columns:
        text = cells[i]
        if len(text) <= widths[i]:
            wrapped[i] = [text]
        else:
            wrapped[i] = textwrap.wrap(text, widths[i], break_long_words=not table.columns[i].amount,
                                       break_on_hyphens=False) or [""]
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


def _blocks(table: Table, lang: str, width: int) -> str:
    """One block per row: the label (full name) as a heading, then ``header  value`` lines."""
    full = _cells(table, lang, short=False)
    short = _cells(table, lang, short=True)
    values = [row[i] for row in full.body + full.footer for i in range(1, len(table.columns)) if table.columns[i].amount]
    value_width = max((len(v) for v in values), default=0)
    headers = full.headers
    if max((len(h) for h in headers[1:]), default=0) + value_width + 3 * PAD > width:
        headers = short.headers
    room = width - value_width - 3 * PAD  # what a header may take beside its value
    header_width = max(1, min(max((len(h) for h in headers[1:]), default=1), room))
    text_width = max(MIN_TEXT, width - header_width - 3 * PAD)
    indent = " " * PAD

    def block(label: str, cells: list[str]) -> list[str]:
        lines = textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [label]
        for i in range(1, len(table.columns)):
            column, value = table.columns[i], cells[i]
            if not column.amount and value in ("", "–") and label in [row[0] for row in full.footer]:
                continue  # the totals and summary rows have no text in their text columns
            head = textwrap.wrap(headers[i], header_width, break_long_words=False) or [""]
            if column.amount:
                shown = [value.rjust(value_width)]
            else:
                shown = textwrap.wrap(value, text_width, break_long_words=True, break_on_hyphens=False) or [value]
            if header_width + value_width + 3 * PAD > width and column.amount:
                lines += [indent + h for h in head] + [indent * 2 + value]  # too narrow even for one: value below
                continue
            for n in range(max(len(head), len(shown))):
                left = head[n] if n < len(head) else ""
                right = shown[n] if n < len(shown) else ""
                lines.append((indent + left.ljust(header_width) + indent + right).rstrip())
        return lines

    out: list[str] = []
    for row in full.body:
        if out:
            out.append("")
        out += block(row[0], row)
    if full.footer:
        out.append(RULE * min(width, max(len(line) for line in out) if out else width))
        for row in full.footer:
            out += block(row[0], row)
    return "\n".join(out)


def percent(fraction: Decimal | None, lang: str) -> str:
    """``20,0 %`` (da) or ``20.0%`` (en); ``–`` when there is nothing to divide by."""
    if fraction is None:
        return "–"
    shown = f"{(fraction * 100).quantize(Decimal('0.1')):f}"
    return t("spending.percent", lang, value=shown.replace(".", ",") if lang == "da" else shown)
