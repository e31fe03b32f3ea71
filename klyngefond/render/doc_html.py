"""A :class:`Document` as one self-contained HTML file: inline CSS, an inline SVG chart, no network.

It reads on a phone (tables scroll sideways inside their own box, the chart scales to the
screen) and prints on A4 with the cluster, the day and "Side X af Y" at the foot of each
page. A Content-Security-Policy forbids every request, so the file can be mailed and opened
anywhere. Everything from the data is escaped (``html.escape`` in markup, hex escapes in
the CSS strings of the printed footer): a name such as ``<script>`` shows as text.
"""

from __future__ import annotations

import textwrap
from html import escape

from klyngefond.i18n import money
from klyngefond.render.document import Bullets, Chart, Document, Paragraph, page_parts, shown, text_of
from klyngefond.render.table import Table

CSS = """
:root { --ink:#1a202c; --muted:#4a5568; --rule:#cbd5e0; --zebra:#f4f6f8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: var(--ink);
       margin: 0 auto; padding: 1rem; max-width: 72rem; line-height: 1.4; font-variant-numeric: tabular-nums; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.8rem 0 .5rem; break-after: avoid; }
.sub { color: var(--muted); margin: 0 0 1rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: .3rem .45rem; vertical-align: top; text-align: left; overflow-wrap: break-word; }
th:not(.n), td:not(.n) { min-width: 9em; }
thead th { border-bottom: 1.5px solid var(--ink); }
td.n, th.n { text-align: right; white-space: nowrap; overflow-wrap: normal; }
tbody tr:nth-child(even) { background: var(--zebra); }
tfoot td { font-weight: 700; }
table.wide { font-size: .8rem; }
table.wide th, table.wide td { padding: .3rem .35rem; }
table.wide td:first-child, table.wide th:first-child { min-width: 12em; }
tfoot tr:first-child td { border-top: 1px solid var(--ink); }
.note { color: var(--muted); font-size: .85rem; margin: .35rem 0; }
figure { margin: 0; max-width: 48rem; }
svg { max-width: 100%; height: auto; }
ul { padding-left: 1.2rem; }
li { margin: .2rem 0; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; border-top: 1px solid var(--rule); padding-top: .5rem; }
@media (max-width: 40rem) {
  body { padding: .5rem; }
  table { font-size: .8rem; }
  th, td { padding: .25rem .3rem; }
  th:not(.n), td:not(.n) { min-width: 7em; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  .scroll { overflow: visible; }
  thead { display: table-header-group; }
  tr, figure, li { break-inside: avoid; }
  footer { display: none; }
}
"""

PAGE_CSS = """
@page {
  size: A4; margin: 16mm 14mm 20mm 14mm;
  @bottom-left { content: %(cluster)s; font-size: 8pt; font-family: system-ui, sans-serif; }
  @bottom-center { content: %(as_of)s; font-size: 8pt; font-family: system-ui, sans-serif; }
  @bottom-right { content: %(before)s counter(page) %(between)s counter(pages) %(after)s; font-size: 8pt;
                  font-family: system-ui, sans-serif; }
}
"""

COLORS = ("#2b6cb0", "#9aabbd", "#d69e2e")
WIDE = 6  # a table with this many amount columns gets a smaller type (the minutes' funds table: one per partner)


def css_string(value: str) -> str:
    """``value`` as a quoted CSS string in which nothing can end the string, the rule or the ``<style>`` element."""
    out = []
    for char in text_of(value):
        if char.isalnum() or char in " .,-–—·()":
            out.append(char)
        else:
            out.append(f"\\{ord(char):06X} ")  # six hex digits and a space: the escape ends there
    return '"' + "".join(out) + '"'


def table(block: Table, lang: str) -> str:
    kinds = [' class="n"' if c.amount else "" for c in block.columns]
    head = "".join(f'<th{k} scope="col">{escape(text_of(c.header))}</th>' for k, c in zip(kinds, block.columns))
    body = "".join("<tr>" + "".join(f"<td{k}>{escape(shown(v, c, lang))}</td>" for k, c, v in zip(kinds, block.columns, row))
                   + "</tr>" for row in block.rows)
    foot = "".join("<tr>" + "".join(f"<td{k}>{escape(shown(v, c, lang)) if v != '' else ''}</td>"
                                    for k, c, v in zip(kinds, block.columns, row)) + "</tr>" for row in block.footer)
    parts = [f"<section data-table=\"{escape(block.key)}\">"]
    if block.title:
        parts.append(f"<h2>{escape(text_of(block.title))}</h2>")
    wide = ' class="wide"' if sum(1 for c in block.columns if c.amount) >= WIDE else ""
    parts.append(f'<div class="scroll"><table{wide}><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
                 + (f"<tfoot>{foot}</tfoot>" if foot else "") + "</table></div>")
    for line in ((block.caption,) if block.caption else ()) + block.notes:
        parts.append(f'<p class="note">{escape(text_of(line))}</p>')
    parts.append("</section>")
    return "".join(parts)


def chart_svg(chart: Chart, lang: str, width: int = 520) -> str:
    """Grouped horizontal bars, one group per partner: each bar's length is its value over the largest value."""
    bar_h, label_w = 15, 0
    span = width - label_w - 130
    wrap = max(20, int(width / 7.4))
    lines_of = [textwrap.wrap(text_of(bar.label), wrap) or [""] for bar in chart.bars]
    height = 34 + sum(18 + 13 * (len(lines) - 1) + bar_h * len(chart.series) + 14 for lines in lines_of)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" role="img" '
             f'aria-label="{escape(text_of(chart.title))}" font-family="system-ui, sans-serif" font-size="12">']
    x = 0
    for index, name in enumerate(chart.series):
        parts.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{COLORS[index % 3]}"/>'
                     f'<text x="{x + 14}" y="13">{escape(text_of(name))}</text>')
        x += 14 + 7 * len(name) + 26
    y = 34
    for bar, lines in zip(chart.bars, lines_of):
        spans = "".join(f'<tspan x="0" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>' for i, line in enumerate(lines))
        parts.append(f'<text y="{y + 11}" font-weight="bold">{spans}</text>')
        y += 16 + 13 * (len(lines) - 1)
        for index, (name, value) in enumerate(zip(chart.series, bar.values)):
            length = chart.fraction(value) * span
            words = money(value, lang)
            parts.append(f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h - 3}" fill="{COLORS[index % 3]}">'
                         f'<title>{escape(text_of(name))}: {escape(words)}</title></rect>'
                         f'<text x="{label_w + length + 4:.1f}" y="{y + bar_h - 4}">{escape(words)}</text>')
            y += bar_h
        y += 16
    parts.append("</svg>")
    return "".join(parts)


def render(document: Document) -> str:
    lang = document.lang
    labels = document.labels
    before, between, after = page_parts(labels.page)
    page = PAGE_CSS % {"cluster": css_string(document.cluster), "as_of": css_string(labels.as_of),
                       "before": css_string(before), "between": css_string(between), "after": css_string(after)}
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="generator" content="klyngefond">',
        f"<title>{escape(text_of(document.title))}</title>",
        f"<style>{CSS}{page}</style></head><body>",
        f"<header><h1>{escape(text_of(document.title))}</h1><p class=\"sub\">{escape(text_of(document.subtitle))}</p></header>",
        "<main>",
    ]
    for block in document.blocks:
        if isinstance(block, Table):
            parts.append(table(block, lang))
        elif isinstance(block, Chart):
            parts.append(f'<section data-chart="partners"><h2>{escape(text_of(block.title))}</h2>'
                         f"<figure>{chart_svg(block, lang)}</figure></section>")
        elif isinstance(block, Bullets):
            heading = f"<h2>{escape(text_of(block.heading))}</h2>" if block.heading else ""
            items = "".join(f"<li>{escape(text_of(line))}</li>" for line in block.lines)
            parts.append(f'<section data-list="{escape(block.key)}">{heading}<ul>{items}</ul></section>')
        elif isinstance(block, Paragraph):
            heading = f"<h2>{escape(text_of(block.heading))}</h2>" if block.heading else ""
            parts.append(f"<section>{heading}<p>{escape(text_of(block.text))}</p></section>")
    parts.append("</main>")
    parts.append(f"<footer>{escape(text_of(document.cluster))} · {escape(text_of(labels.as_of))} · "
                 f"{escape(text_of(labels.made))}</footer>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
