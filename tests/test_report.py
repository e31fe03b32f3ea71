"""`klyngefond report`: the meeting pack in Markdown, Excel, PDF and HTML, each reopened and compared with `status --json`.

Sydvestjylland's funds table must reproduce item 4 of seed 004 cell by cell (Vejen's øre
differ, and the pack says why, as `status` does); Næstved/Slagelse's applications give
3.525.000 / 3.200.000 / -325.000; the fixture cluster's invoices, payments and an open
credit note reach the pack as `status --json` has them. Hostile text (``<script>``, ``=cmd``,
Typst markup, ``|`` and line breaks) is shown as text in every format.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import REPO
from report_readers import amount, html_tables, markdown_tables, pdf_text, squeezed, unescape, xlsx_amount, xlsx_tables

FORMATS = ("md", "xlsx", "pdf", "html")
PARTNERS = ("esbjerg", "fanoe", "vejen", "billund", "varde", "region-syddanmark")
LABELS = ("Esbjerg", "Fanø", "Vejen", "Billund", "Varde", "Region Syddanmark")
KTH, AKUT = "Kom Trygt Hjem", "Akutområdet, Den mobile akutmodtagelse"
EMPTY_AREAS = ("Muskel- og skeletområdet (ingen klyngemidler)", "Børn og unge, mental trivsel (ingen klyngemidler)",
               "Nærhospitaler (sat på pause)")

# Seed 004, item 4, as printed (partners in the table's order, then "I alt").
SEED_004 = {
    KTH: ("627.851,18", "18.635,25", "231.631,55", "144.815,83", "270.066,20", "581.400,00", "1.874.400,00"),
    AKUT: ("27.437,00", "21.712,00", "194.186,00", "122.709,00", "223.706,00", "1.354.693,00", "1.944.443,00"),
    "Udmøntet i alt": ("655.288,18", "40.347,25", "425.817,55", "267.524,83", "493.772,20", "1.936.093,00", "3.818.843,00"),
    "Resterende midler": ("917.367,82", "6.330,75", "154.378,45", "95.213,17", "182.695,80", "1.372.721,00", "2.728.707,00"),
}
# The cells where the printed table rounded on its own: (row, column index) -> the exact figure.
VEJEN = {(KTH, 2): Decimal("231631.54"), ("Udmøntet i alt", 2): Decimal("425817.54"),
         ("Resterende midler", 2): Decimal("154378.46")}
AMOUNT = re.compile(r"(?<!\S)(?:-?\d{1,3}(?:\.\d{3})*,\d{2} kr\.|–)(?!\S)")


def danish(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def ok(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0, result.text
    return result


def status_json(cli, cluster: str, *args: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return json.loads(ok(cli, "status", cluster, "--json", *args).out)


def make(cli, cluster: str, fmt: str, folder: Path, *args: str) -> Path:  # type: ignore[no-untyped-def]
    target = folder / f"{cluster.replace('/', '-')}.{fmt}"
    result = ok(cli, "report", cluster, "--format", fmt, "--output", str(target), *args)
    assert str(target) in result.err  # "Skrev …" on stderr, nothing on stdout
    assert result.out == ""
    return target


# --------------------------------------------------------------------------- reading a table back, per format


def rows_of(fmt: str, path: Path, title: str) -> dict[str, list[Decimal | None]]:
    """The table titled ``title``: its first cell -> the amounts of its amount cells (``None`` for "–")."""
    if fmt == "pdf":
        return _pdf_rows(path, title)
    if fmt == "xlsx":
        return {str(row[0]): [None if c == "–" else xlsx_amount(c) for c in row[1:] if c == "–" or isinstance(c, (int, float))]
                for row in xlsx_tables(path)[title][1:]}
    if fmt == "md":
        table = markdown_tables(path.read_text("utf-8"))[title]
    else:
        table = html_tables(path.read_text("utf-8")).tables[title]
    return {row[0]: [None if c == "–" else amount(c) for c in row[1:] if c == "–" or amount(c) is not None] for row in table[1:]}


def _pdf_rows(path: Path, title: str) -> dict[str, list[Decimal | None]]:
    """Rows from the PDF's text: a label may wrap over lines before the line with its amounts (then it keeps
    the text cells before the amounts, e.g. the year). The table ends at its total row ("I alt", "Resterende
    midler") or, without one, at the first line without amounts."""
    text = "\n".join(pdf_text(path))
    lines = text[text.index(title):].splitlines()[2:]  # past the title and the header
    out: dict[str, list[Decimal | None]] = {}
    pending: list[str] = []
    for line in lines:
        found = AMOUNT.findall(line)
        if not found:
            pending.append(line)  # a wrapped label, or the text after the table
            if len(pending) > 3:
                break
            continue
        label = " ".join([*pending, line[: line.index(found[0])]]).strip()
        pending = []
        out[label] = [None if f == "–" else danish(f[:-4]) for f in found]
        if label.startswith(("I alt", "Resterende midler")):
            break
    return out


# --------------------------------------------------------------------------- Sydvestjylland: seed 004, item 4


@pytest.fixture(scope="module")
def sydvest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The pack for the minutes' day, once per format (made in a subprocess: a module-scoped fixture has no `cli`)."""
    folder = tmp_path_factory.mktemp("sydvest")
    env = {**os.environ, "KLYNGEFOND_CACHE_DIR": str(folder / "cache")}
    env.pop("KLYNGEFOND_DATA", None)
    env.pop("KLYNGEFOND_LANG", None)
    paths = {}
    for fmt in FORMATS:
        target = folder / f"sydvestjylland.{fmt}"
        done = subprocess.run([sys.executable, "-m", "klyngefond", "report", "Sydvestjylland", "--as-of", "2024-03-01",
                               "--since", "2023-12-01", "--format", fmt, "--output", str(target)],
                              capture_output=True, text=True, env=env, cwd=folder, timeout=120)
        assert done.returncode == 0, done.stderr
        paths[fmt] = target
    return paths


@pytest.mark.parametrize("fmt", FORMATS)
def test_funds_table_reproduces_seed_004_item_4_cell_by_cell(fmt: str, sydvest: dict[str, Path]) -> None:
    rows = rows_of(fmt, sydvest[fmt], "Udmøntede klyngemidler")
    assert list(rows) == [KTH, AKUT, *EMPTY_AREAS, "Udmøntet i alt", "Resterende midler"]
    for label, printed in SEED_004.items():
        assert len(rows[label]) == 7, (label, rows[label])
        for index, (cell, seed) in enumerate(zip(rows[label], printed)):
            expected = VEJEN.get((label, index), danish(seed))
            assert cell == expected, (fmt, label, LABELS[index] if index < 6 else "I alt", cell, seed)
            if (label, index) in VEJEN:
                assert abs(danish(seed) - cell) == Decimal("0.01")  # the printed table rounded this cell on its own
    for area in EMPTY_AREAS:
        assert rows[area] == [None] * 7  # a focus area without a grant: "–" in every column


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_funds_figure_is_the_one_status_json_gives(cli, fmt: str, sydvest: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    status = status_json(cli, "Sydvestjylland", "--as-of", "2024-03-01")
    shares = {g["name"]: g["shares"] for g in status["grants"]}
    partners = {p["id"]: p for p in status["partners"]}
    funds = rows_of(fmt, sydvest[fmt], "Udmøntede klyngemidler")
    for grant in (KTH, AKUT):
        assert funds[grant][:6] == [Decimal(shares[grant][p]) for p in PARTNERS]
        assert funds[grant][6] == Decimal(next(g["granted"] for g in status["grants"] if g["name"] == grant))
    assert funds["Udmøntet i alt"] == [Decimal(partners[p]["disbursed"]) for p in PARTNERS] + [Decimal(status["totals"]["disbursed"])]
    assert funds["Resterende midler"] == [Decimal(partners[p]["remaining"]) for p in PARTNERS] + [Decimal(status["totals"]["remaining"])]
    by_partner = rows_of(fmt, sydvest[fmt], "Klyngemidler pr. part")
    for p in PARTNERS:
        name = partners[p]["name"]
        assert by_partner[name] == [Decimal(partners[p][k]) for k in ("allocated", "disbursed", "remaining")]
    assert by_partner["I alt"] == [Decimal(status["totals"][k]) for k in ("allocated", "disbursed", "remaining")]


def _document_text(fmt: str, path: Path) -> str:
    if fmt == "pdf":
        return "\n".join(pdf_text(path))
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        return "\n".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c)
    if fmt == "md":
        return unescape(path.read_text("utf-8"))
    return "".join(html_tables(path.read_text("utf-8")).text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_vejens_ore_is_explained_and_no_tool_instructions_are_given(fmt: str, sydvest: dict[str, Path]) -> None:
    words = squeezed(_document_text(fmt, sydvest[fmt]))
    for printed, computed in (("231.631,55", "231.631,54"), ("425.817,55", "425.817,54"), ("154.378,45", "154.378,46")):
        assert squeezed(f"er trykt som {printed} kr.; regnskabet giver {computed} kr. (forskel") in words
    assert squeezed("Tabellen har afrundet hver celle for sig") in words
    text = _document_text(fmt, sydvest[fmt])
    assert not re.search(r"klyngefond (status|log|check|report|invoices|allocate|annul|pay)\b", text)
    assert not re.search(r"(?<![\w-])--[a-z]", text), "an option name in the document"
    assert "Udfyld" not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_what_happened_since_a_date_comes_from_the_journal(fmt: str, sydvest: dict[str, Path]) -> None:
    text = squeezed(_document_text(fmt, sydvest[fmt]))
    assert squeezed("Sket siden 01-12-2023") in text
    assert squeezed("Overførsel 2022-2023 → 2024") in text and squeezed("2.728.707,00") in text
    # The two grants count from 01-01-2022 (their date is not stated), before --since: not listed as happening.
    assert squeezed("01-01-2022*") not in text


def test_pdf_is_pdfa_2b_with_embedded_fonts_page_numbers_and_footer(sydvest: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(sydvest["pdf"])
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part(?:>|=\")2", xmp) and re.search(r"pdfaid:conformance(?:>|=\")B", xmp)
    assert root.get("/OutputIntents")
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            fonts.append(font["/BaseFont"])
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    assert any("LibertinusSerif" in str(f) for f in fonts)
    pages = pdf_text(sydvest["pdf"])
    for number, text in enumerate(pages, start=1):
        assert f"Side {number} af {len(pages)}" in text
        assert "pr. 01-03-2024" in text and "Sundhedsklynge Sydvestjylland" in text
    everything = "\n".join(pages)
    assert "æ" in everything and "ø" in everything and "å" in everything and "–" in everything and "—" in everything


def test_the_same_pack_on_the_same_day_gives_the_same_pdf_bytes() -> None:
    from klyngefond.cli.context import open_cluster
    from klyngefond.render import doc_pdf
    from klyngefond.render.pack_view import pack_document
    from klyngefond.reports.meeting import build_pack
    from klyngefond.reports.view import View

    opened = open_cluster("Sydvestjylland", None)
    made = [doc_pdf.render(pack_document(build_pack(opened.ledger, opened.journal, View(), None, dt.date(2024, 3, 2)), "da"))
            for _ in range(2)]
    assert made[0] == made[1] and made[0].startswith(b"%PDF-")


def test_excel_has_danish_number_formats_frozen_headers_and_formulas_with_values(sydvest: dict[str, Path]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(sydvest["xlsx"])
    values = openpyxl.load_workbook(sydvest["xlsx"], data_only=True)
    assert all(len(sheet.title) <= 31 for sheet in book.worksheets)
    funds = book["Udmøntede klyngemidler"]
    assert funds.freeze_panes == "A3"
    assert [c.value for c in funds[2]] == ["Udmøntede klyngemidler", *LABELS, "I alt"]
    kth = funds[3]
    assert kth[0].value == KTH and isinstance(kth[1].value, float) and kth[1].value == 627851.18
    for cell in kth[1:7]:
        assert cell.data_type == "n" and cell.number_format == "#,##0.00"  # shown 627.851,18 in a Danish Excel
    assert kth[7].value == "=SUM(B3:G3)" and values["Udmøntede klyngemidler"]["H3"].value == 1874400
    total_row = next(row for row in funds.iter_rows() if row[0].value == "Udmøntet i alt")
    assert total_row[1].value.startswith("=SUM(B3:B") and total_row[1].number_format == "#,##0.00"
    cached = values["Udmøntede klyngemidler"].cell(row=total_row[1].row, column=2).value
    assert cached == 655288.18
    remaining = next(row for row in funds.iter_rows() if row[0].value == "Resterende midler")
    assert remaining[1].value == 917367.82  # not a sum of the rows above: a value, not a formula
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)):
                    assert cell.number_format == "#,##0.00", (sheet.title, cell.coordinate)


def test_html_is_one_self_contained_file_with_a_chart(sydvest: dict[str, Path]) -> None:
    text = sydvest["html"].read_text("utf-8")
    dom = html_tables(text)
    assert not [a for tag, a in dom.tags for k in ("src", "href") if a.get(k)], "the page loads nothing"
    assert "default-src 'none'" in text and 'name="viewport"' in text and "@media print" in text
    rects = [a for tag, a in dom.tags if tag == "rect"]
    assert len(rects) == 3 + 6 * 3  # the legend, then received / committed / remaining per partner
    assert "<script" not in text.lower()


# --------------------------------------------------------------------------- Næstved/Slagelse: applied against granted


@pytest.mark.parametrize("fmt", FORMATS)
def test_applications_of_naestved_slagelse(cli, fmt: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make(cli, "Næstved/Slagelse", fmt, tmp_path)
    applied = json.loads(ok(cli, "applications", "Næstved/Slagelse", "--json").out)
    rows = rows_of(fmt, path, "Ansøgt og tildelt")
    for grant in applied["grants"]:
        cells = rows[grant["name"]] if fmt != "pdf" else next(v for k, v in rows.items() if squeezed(k).startswith(squeezed(grant["name"])))
        assert cells == [Decimal(grant["applied"]), Decimal(grant["granted"]), Decimal(grant["difference"])]
    assert rows["I alt"] == [Decimal("3525000.00"), Decimal("3200000.00"), Decimal("-325000.00")]
    assert applied["totals"] == {"applied": "3525000.00", "granted": "3200000.00", "difference": "-325000.00",
                                 "current": "3200000.00", "grants": 5}


# --------------------------------------------------------------------------- the fixture cluster: invoices


def record_change(data: Path, change_id: str, body: str, date: str) -> None:
    folder = data / "vesterhavet" / "changes"
    folder.mkdir(exist_ok=True)
    (folder / f"{change_id}.toml").write_text(
        f'id = "{change_id}"\n{body}\ndecision = {{ level = "politisk", date = {date} }}\n', "utf-8")


@pytest.fixture
def invoiced(cli, fixture_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """Invoices issued 15-01-2024, two payments, then a reduction that credits a paid invoice (money goes back)."""
    monkeypatch.chdir(tmp_path)
    data = str(fixture_copy)
    ok(cli, "invoices", "Vesterhavet", "--data", data, "--issue", "--date", "2024-01-15")
    ok(cli, "pay", "HAV-2024-0003", "--data", data, "--date", "2024-02-01")
    ok(cli, "pay", "KLI-2024-0001", "--data", data, "--date", "2024-02-10", "--amount", "40.000")
    record_change(fixture_copy, "faelles-nedsat", 'kind = "reduction"\ngrant = "faelles-sundhedsteam"\namount = 300000',
                  "2024-03-01")
    ok(cli, "invoices", "Vesterhavet", "--data", data, "--issue", "--date", "2024-03-05")
    return fixture_copy


@pytest.mark.parametrize("fmt", FORMATS)
def test_invoicing_per_partner_and_open_credit_notes_agree_with_status_json(cli, fmt: str, invoiced: Path,  # type: ignore[no-untyped-def]
                                                                          tmp_path: Path) -> None:
    args = ("--data", str(invoiced), "--as-of", "2024-03-10")
    path = make(cli, "Vesterhavet", fmt, tmp_path, *args, "--since", "2024-02-01")
    status = status_json(cli, "Vesterhavet", *args)
    names = {p["id"]: p["name"] for p in status["partners"]}
    labels = names  # a document has room for the partners' full names
    rows = rows_of(fmt, path, "Fakturering pr. part")
    fields = ("invoiced", "paid", "outstanding", "overdue", "to_be_refunded")
    for balance in status["invoices"]:
        assert rows[labels[balance["partner"]]] == [Decimal(balance[f]) for f in fields], balance["partner"]
    assert rows["I alt"] == [sum((Decimal(b[f]) for b in status["invoices"]), Decimal(0)) for f in fields]
    assert any(Decimal(b["overdue"]) for b in status["invoices"])
    # Region Vest paid HAV-2024-0003 in full before half of it was credited: 150.000,00 goes back.
    credits = rows_of(fmt, path, "Åbne kreditnotaer")
    assert list(credits.values()) == [[Decimal("150000.00"), Decimal("150000.00")]]
    text = squeezed(_document_text(fmt, path))
    for words in ("HAV-2024-0006", "Betaling af faktura HAV-2024-0003", "Nedsættelse",
                  f"Kreditnota HAV-2024-0006 på faktura HAV-2024-0003: {names['havby']} → {names['region-vest']}"):
        assert squeezed(words) in text, words
    assert squeezed("Faktura HAV-2024-0001") not in text  # issued 15-01-2024, before --since


# --------------------------------------------------------------------------- hostile text


HOSTILE = "<script>alert(1)</script> =cmd|'/C calc'!A0 #set text(red) $x$ *fed* | rør"


@pytest.fixture
def hostile(fixture_copy: Path) -> Path:
    grant = fixture_copy / "vesterhavet" / "grants" / "akutteam.toml"
    text = grant.read_text("utf-8").replace('name = "Mobilt akutteam"', f"name = {json.dumps(HOSTILE)}")
    text = text.replace("[financing]", 'notes = ["første linje\\n=HYPERLINK(\\"http://x\\") | #let a = 1"]\n\n[financing]')
    grant.write_text(text, "utf-8")
    return fixture_copy


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_is_shown_as_text_in_every_format(cli, fmt: str, hostile: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make(cli, "Vesterhavet", fmt, tmp_path, "--data", str(hostile))
    if fmt == "md":
        text = path.read_text("utf-8")
        assert "<script>" not in text and "\\<script\\>" in text
        tables = markdown_tables(text)
        funds = tables["Udmøntede klyngemidler"]
        assert all(len(row) == len(funds[0]) for row in funds), "a | in a name broke the table"
        assert any(row[0] == HOSTILE for row in funds)
        assert unescape("første linje =HYPERLINK(\"http://x\") \\| #let a = 1") in unescape(text)
    elif fmt == "html":
        dom = html_tables(path.read_text("utf-8"))
        assert not [tag for tag, _ in dom.tags if tag in ("script", "a", "img", "iframe")]
        funds = dom.tables["Udmøntede klyngemidler"]
        assert any(row[0] == HOSTILE for row in funds) and all(len(row) == len(funds[0]) for row in funds)
        assert any("første linje =HYPERLINK" in item for item in dom.items)
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value == HOSTILE]
        assert cells and all(c.data_type == "s" for c in cells)
        note = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
                if isinstance(c.value, str) and "=HYPERLINK" in c.value]
        assert note and all(c.data_type == "s" for c in note)
        assert not [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=") and "SUM(" not in c.value]
    else:
        text = squeezed("\n".join(pdf_text(path)))
        assert squeezed(HOSTILE) in text  # the markup was typeset as text, not run
        assert squeezed('første linje =HYPERLINK("http://x") | #let a = 1') in text


def test_characters_the_pdf_fonts_lack_are_replaced_not_fatal(cli, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    grant = fixture_copy / "vesterhavet" / "grants" / "akutteam.toml"
    grant.write_text(grant.read_text("utf-8").replace('name = "Mobilt akutteam"', 'name = "Akutteam 漢字 😀 ✓"'), "utf-8")
    path = make(cli, "Vesterhavet", "pdf", tmp_path, "--data", str(fixture_copy))
    assert "Akutteam" in "\n".join(pdf_text(path))


# --------------------------------------------------------------------------- the command line


def test_default_file_name_is_danish_in_the_current_folder_and_never_overwritten(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    first = ok(cli, "report", "Sydvestjylland", "--as-of", "2024-03-01", "--format", "md")
    target = tmp_path / "sydvestjylland-moedemappe-2024-03-01.md"
    assert target.is_file() and "Skrev sydvestjylland-moedemappe-2024-03-01.md" in first.err
    target.write_text("mine", "utf-8")
    again = cli("report", "Sydvestjylland", "--as-of", "2024-03-01", "--format", "md")
    assert again.code == 1 and "findes allerede" in again.err and "--force" in again.err
    assert target.read_text("utf-8") == "mine"
    ok(cli, "report", "Sydvestjylland", "--as-of", "2024-03-01", "--format", "md", "--force")
    assert target.read_text("utf-8").startswith("# Sundhedsklynge Sydvestjylland")
    ok(cli, "report", "Sydvestjylland", "--as-of", "2024-03-01", "--format", "html", "--lang", "en")
    english = (tmp_path / "sydvestjylland-meeting-pack-2024-03-01.html").read_text("utf-8")
    assert "Committed cluster funds" in english and "DKK 627,851.18" in english and 'lang="en"' in english


def test_format_from_the_output_name_and_usage_errors(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok(cli, "report", "Sydvestjylland", "--output", str(tmp_path / "pakke.pdf"))
    assert (tmp_path / "pakke.pdf").read_bytes().startswith(b"%PDF-")
    missing = cli("report", "Sydvestjylland", "--output", str(tmp_path / "pakke.txt"))
    assert missing.code == 2 and "--format" in missing.err
    unknown = cli("report", "Sydvestjylland", "--format", "docx")
    assert unknown.code == 2 and "docx" in unknown.err
    assert cli("report", "Sydvestjylland", "--format", "md", "--since", "igår").code == 2
    markdown = ok(cli, "report", "Sydvestjylland", "--format", "markdown", "--output", "-")
    assert markdown.out.startswith("# Sundhedsklynge Sydvestjylland: klyngemidler")


def test_a_year_view_shows_what_was_carried_on(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make(cli, "Sydvestjylland", "md", tmp_path, "--year", "2022-2023")
    rows = rows_of("md", path, "Udmøntede klyngemidler")
    assert rows["Overført videre"][-1] == Decimal("2728707.00") and rows["Resterende midler"][-1] == Decimal("0.00")
    status = status_json(cli, "Sydvestjylland", "--year", "2022-2023")
    assert rows["Overført videre"][:6] == [Decimal(p["carried_out"]) for p in status["partners"]]


def test_status_and_exports_do_not_import_the_document_libraries() -> None:
    """What a run imports is what it needs: `status` (plain, JSON, Markdown), `clusters` and `check` never load
    Typst, xlsxwriter, openpyxl, pypdf, fpdf, lxml, python-stdnum, rich or pydantic (rich draws only
    `invoices --issue`'s progress bar on a terminal; status draws its own tables, on a terminal or not);
    `report --format md` no Typst; and a run imports no command module but its own."""
    heavy = ("typst", "xlsxwriter", "openpyxl", "pypdf", "fpdf", "lxml", "stdnum", "rich", "pydantic")
    probe = ("import sys, runpy\nsys.argv = ['klyngefond'] + sys.argv[1:]\n"
             "try:\n    runpy.run_module('klyngefond', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(' '.join(sorted(sys.modules)), file=sys.stderr)")
    for args, forbidden, command in (
            (["status", "Sydvestjylland"], heavy, "status"),
            (["status", "Sydvestjylland", "--json"], heavy, "status"),
            (["status", "Sydvestjylland", "--format", "md"], heavy, "status"),
            (["clusters"], heavy, "clusters"),
            (["invoices", "Sydvestjylland"], heavy, "invoices"),
            (["check", "Sydvestjylland"], heavy, "check"),
            (["report", "Sydvestjylland", "--format", "md", "--output", "-"], ("typst", "xlsxwriter"), "report")):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=REPO, timeout=120,
                              env={**os.environ, "KLYNGEFOND_CACHE_DIR": str(REPO / ".pytest_cache" / "probe-cache")})
        modules = set(done.stderr.split())
        loaded = {m.split(".")[0] for m in modules}
        assert "klyngefond" in loaded, done.stderr
        assert not loaded & set(forbidden), (args, loaded & set(forbidden))
        commands = {m for m in modules if m.startswith("klyngefond.cli.commands.")}
        assert commands == {f"klyngefond.cli.commands.{command}"}, (args, commands)
