"""A :class:`Document` as a PDF/A-2b file, typeset by Typst (``templates/document.typ``).

The document is turned into plain JSON, every value a finished string (amounts as
``627.851,18 kr.``), and handed to the template as one input (``typst_engine``). A table too
wide for a portrait page (the minutes' funds table has a column per partner) gets a
landscape page of its own. Long unbroken words get invisible break points (U+200B), since
Typst never breaks a word that is wider than its column; text extraction drops them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from klyngefond.i18n import money
from klyngefond.render.document import Bullets, Chart, Document, Paragraph, page_parts, shown, text_of
from klyngefond.render.table import Table
from klyngefond.render.typst_engine import compile_pdf

TEMPLATE = "document.typ"
PORTRAIT_WIDTH = 490.0  # points of text width on an A4 page with 18 mm margins
CHAR = 4.4  # points: the width of an average character at the table's size
PAD = 9.0  # points: a cell's inset on both sides
LONGEST_WRAPPED = 26  # a text column wraps; count at most this many characters of it
RUN = 20
SHORT_TEXT = 12  # a text column no longer than this is as wide as its content


def breakable(value: str, run: int = RUN) -> str:
    """``value`` with a zero-width space after every ``run`` characters of an unbroken word."""
    return re.sub(r"\S{%d,}" % (run + 1), lambda m: "\u200b".join(m[0][i:i + run] for i in range(0, len(m[0]), run)), value)


def is_wide(block: Table, cells: list[list[str]]) -> bool:
    """Whether the table's natural width exceeds a portrait page (amounts never wrap; text may)."""
    width = 0.0
    for index, column in enumerate(block.columns):
        lengths = [len(row[index]) for row in cells] + [min(len(w), LONGEST_WRAPPED) for w in column.header.split()]
        longest = max(lengths, default=0)
        width += PAD + CHAR * (longest if column.amount else min(longest, LONGEST_WRAPPED))
    return width > PORTRAIT_WIDTH


def widths(block: Table, cells: list[list[str]]) -> list[str]:
    """Per column ``auto`` (as wide as its content: amounts, and short text such as a year) or ``fr`` (takes the rest, wraps)."""
    out = []
    for index, column in enumerate(block.columns):
        longest = max([len(row[index]) for row in cells] + [len(column.header)], default=0)
        out.append("auto" if column.amount or longest <= SHORT_TEXT else "fr")
    if "fr" not in out:
        out[0] = "fr"
    return out


def table_payload(block: Table, lang: str) -> dict[str, Any]:
    rows = [[shown(v, c, lang) for v, c in zip(row, block.columns)] for row in block.rows]
    footer = [[shown(v, c, lang) if v != "" else "" for v, c in zip(row, block.columns)] for row in block.footer]
    wide = is_wide(block, rows + footer)

    def cells(row: list[str]) -> list[str]:
        return [value if column.amount else breakable(value) for value, column in zip(row, block.columns)]

    return {
        "kind": "table",
        "title": text_of(block.title) if block.title else None,
        "columns": [breakable(text_of(c.header)) for c in block.columns],
        "amounts": [c.amount for c in block.columns],
        "widths": widths(block, rows + footer),
        "rows": [cells(r) for r in rows],
        "footer": [cells(r) for r in footer],
        "caption": text_of(block.caption) if block.caption else None,
        "notes": [text_of(n) for n in block.notes],
        "wide": wide,
    }


def chart_payload(chart: Chart, lang: str) -> dict[str, Any]:
    return {
        "kind": "chart",
        "title": text_of(chart.title),
        "series": [text_of(s) for s in chart.series],
        "bars": [{"label": breakable(text_of(bar.label)), "values": [money(v, lang) for v in bar.values],
                  "fractions": [round(chart.fraction(v), 4) for v in bar.values]} for bar in chart.bars],
    }


def payload(document: Document) -> dict[str, Any]:
    lang = document.lang
    blocks: list[dict[str, Any]] = []
    for block in document.blocks:
        if isinstance(block, Table):
            blocks.append(table_payload(block, lang))
        elif isinstance(block, Chart):
            blocks.append(chart_payload(block, lang))
        elif isinstance(block, Bullets):
            blocks.append({"kind": "bullets", "heading": text_of(block.heading) if block.heading else None,
                           "lines": [breakable(text_of(line)) for line in block.lines]})
        elif isinstance(block, Paragraph):
            blocks.append({"kind": "paragraph", "heading": text_of(block.heading) if block.heading else None,
                           "text": breakable(text_of(block.text))})
    before, between, after = page_parts(document.labels.page)
    return {
        "title": text_of(document.title),
        "subtitle": text_of(document.subtitle),
        "cluster": text_of(document.cluster),
        "lang": lang,
        "labels": {"as_of": text_of(document.labels.as_of), "made": text_of(document.labels.made),
                   "page_before": before, "page_between": between, "page_after": after},
        "blocks": blocks,
    }


def timestamp(document: Document) -> dt.datetime:
    """Noon UTC on the day the document was made: the same data on the same day gives the same bytes."""
    try:
        day = dt.date.fromisoformat(document.made_on)
    except ValueError:
        day = dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc)


def render(document: Document) -> bytes:
    return compile_pdf(TEMPLATE, payload(document), timestamp=timestamp(document))
