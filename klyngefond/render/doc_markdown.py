"""A :class:`Document` as Markdown, to paste into an agenda or read on any Git host.

Data text is escaped so that it reads as it is written and never as markup: Markdown
punctuation gets a backslash (CommonMark lets any ASCII punctuation be escaped, so
``\\<script>`` is shown as ``<script>`` and never reaches a browser as a tag), ``|``
cannot end a table cell, and a line break cannot end a table row or a list item.
"""

from __future__ import annotations

import re

from klyngefond.render.document import Bullets, Chart, Document, Paragraph, shown, text_of
from klyngefond.render.table import Table

_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_START = re.compile(r"^(\s*)([-+=#]|\d+(?=[.)]))")


def escape(value: str) -> str:
    """Text that Markdown shows as written: one line, every markup character escaped."""
    return _MARKUP.sub(r"\\\1", text_of(value))


def escape_line(value: str) -> str:
    """Escaped text that also starts a line harmlessly (not a list item, heading or rule)."""
    escaped = escape(value)
    match = _LINE_START.match(escaped)
    if match is None:
        return escaped
    if match.group(2)[0].isdigit():  # "2024." would start a numbered list: escape the dot after the number
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return escaped[:match.start(2)] + "\\" + escaped[match.start(2):]


def table(block: Table, lang: str) -> str:
    header = [escape(c.header) for c in block.columns]
    align = ["---:" if c.align == "right" else "---" for c in block.columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    for row in block.rows:
        lines.append("| " + " | ".join(escape(shown(cell, col, lang)) for cell, col in zip(row, block.columns)) + " |")
    for row in block.footer:
        cells = [shown(cell, col, lang) if cell not in (None, "") else "" for cell, col in zip(row, block.columns)]
        lines.append("| " + " | ".join(f"**{escape(c)}**" if c else "" for c in cells) + " |")
    parts = [f"## {escape(block.title)}\n"] if block.title else []
    parts.append("\n".join(lines) + "\n")
    if block.caption:
        parts.append(f"*{escape(block.caption)}*\n")
    parts += [escape_line(note) + "\n" for note in block.notes]
    return "\n".join(parts)


def bullets(block: Bullets) -> str:
    parts = [f"## {escape(block.heading)}\n"] if block.heading else []
    parts.append("\n".join(f"- {escape(line)}" for line in block.lines) + "\n")
    return "\n".join(parts)


def render(document: Document) -> str:
    lang = document.lang
    parts = [f"# {escape(document.title)}\n", f"{escape_line(document.subtitle)}\n"]
    for block in document.blocks:
        if isinstance(block, Table):
            parts.append(table(block, lang))
        elif isinstance(block, Bullets):
            parts.append(bullets(block))
        elif isinstance(block, Paragraph):
            if block.heading:
                parts.append(f"## {escape(block.heading)}\n")
            parts.append(escape_line(block.text) + "\n")
        elif isinstance(block, Chart):
            continue  # the chart's figures are the partner table's; Markdown has no chart
    labels = document.labels
    parts.append("---\n")
    parts.append(escape_line(f"{document.cluster} · {labels.as_of} · {labels.made}") + "\n")
    return "\n".join(parts)
