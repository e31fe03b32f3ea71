"""A document for people: a title and a run of blocks (tables, lists, paragraphs, a chart), worded and ready.

The meeting pack (``klyngefond report``) and the file exports of ``status``, ``applications``
and ``log`` are each arranged once into a :class:`Document`, from the same :class:`Table`
builders the terminal uses, and every format is a writer of that one model:
``doc_markdown``, ``doc_csv``, ``doc_xlsx``, ``doc_html`` and ``doc_pdf`` (Typst). A writer
never computes and never rearranges: it lays out what the document holds, and makes the
data's text harmless in its own format.

Cells stay raw (``Decimal`` amounts, ``str`` text, ``None`` for "–") until a writer formats
them: a spreadsheet wants numbers, a page wants ``627.851,18 kr.``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from klyngefond.core.text import one_line
from klyngefond.i18n import Verbatim, money, t
from klyngefond.render.table import Cell, Column, Table


@dataclass(frozen=True)
class Bullets:
    """A list of sentences under a heading (notes, conditions, focus areas)."""

    heading: str | None
    lines: tuple[str, ...]
    key: str = "notes"


@dataclass(frozen=True)
class Paragraph:
    text: str
    heading: str | None = None


@dataclass(frozen=True)
class Bar:
    """One group of bars in a chart: a label and one value per series."""

    label: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class Chart:
    """Grouped horizontal bars: per label (a partner) one bar per series (received, committed, remaining)."""

    title: str
    series: tuple[str, ...]
    bars: tuple[Bar, ...]

    @property
    def top(self) -> Decimal:
        """The largest value: the full length of a bar."""
        return max((v for bar in self.bars for v in bar.values), default=Decimal(0))

    def fraction(self, value: Decimal) -> float:
        """How much of the full length ``value`` fills (0 for nothing or less than nothing)."""
        top = self.top
        if top <= 0 or value <= 0:
            return 0.0
        return float(value / top)


Block = Table | Bullets | Paragraph | Chart


@dataclass(frozen=True)
class Labels:
    """The document's own words, in its language: the footer and the name of the notes sheet."""

    page: str  # "Side {page} af {pages}"
    as_of: str  # "pr. 01-03-2024"
    made: str  # "Dannet 02-04-2024"
    notes_sheet: str = "Notes"


@dataclass(frozen=True)
class Document:
    """What a person reads: ``title``, ``subtitle`` (cluster and view), the blocks, and the footer's facts.

    ``cluster`` is the cluster's name; ``as_of`` the worded day the figures stand on and
    ``made`` the worded day the document was made. ``key`` names the document (``status``,
    ``meeting-pack``); ``made_on`` is the ISO date used to make the output reproducible.
    """

    title: str
    subtitle: str
    cluster: str
    lang: str
    labels: Labels
    blocks: tuple[Block, ...]
    key: str = "document"
    made_on: str = ""
    sheet_names: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))


# --------------------------------------------------------------------------- text every writer shares


def text_of(value: str) -> str:
    """Data text for one line of a document: control characters made visible, line breaks as spaces."""
    return one_line(value)


def shown(cell: Cell, column: Column, lang: str) -> str:
    """A cell as a page shows it: ``627.851,18 kr.`` (``DKK 627,851.18``), ``–`` for nothing, text on one line."""
    if cell is None:
        return "–"
    if isinstance(cell, Decimal):
        return money(cell, lang, signed=column.signed)
    return text_of(str(cell))


def page_parts(template: str) -> tuple[str, str, str]:
    """``"Side {page} af {pages}"`` as the words before, between and after the two numbers."""
    before, _, rest = template.partition("{page}")
    between, _, after = rest.partition("{pages}")
    return before, between, after


def make_document(key: str, title: str, subtitle: str, cluster: str, lang: str, on: object, made: object,
                    blocks: tuple[Block, ...]) -> Document:
    """A document with the footer words of ``lang``: the meeting pack, or a report exported with ``--format``."""
    labels = Labels(page=t("report.page", lang, page=Verbatim("{page}"), pages=Verbatim("{pages}")),
                    as_of=t("report.as_of", lang, date=on), made=t("report.made", lang, date=made),
                    notes_sheet=t("report.sheet_notes", lang))
    sheets = {k: t(f"report.sheet_{k}", lang) for k in ("partners", "split", "grants", "invoicing", "applications", "log")}
    return Document(title=title, subtitle=subtitle, cluster=cluster, lang=lang, labels=labels, blocks=blocks, key=key,
                    made_on=getattr(made, "isoformat", lambda: "")(), sheet_names=sheets)
