"""`status`, `applications` and `log` with `--format md|csv|xlsx` and `--output`: the rules of the invoice CSV.

``;`` and a decimal comma, a byte order mark in a file (not on the screen), no formula
injection, nothing replaced without ``--force``; every amount is the one ``--json`` gives.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from report_readers import markdown_tables, xlsx_amount, xlsx_tables

BOM = "\ufeff"


def ok(cli, *args: str):  # type: ignore[no-untyped-def]
    result = cli(*args)
    assert result.code == 0, result.text
    return result


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_status_csv_file_for_danish_excel(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "status.csv"
    result = ok(cli, "status", "Sydvestjylland", "--format", "csv", "--output", str(target))
    assert "Skrev" in result.err and result.out == ""
    raw = target.read_bytes().decode("utf-8")
    assert raw.startswith(BOM) and "\r\n" in raw
    rows = csv_rows(raw[1:])
    status = json.loads(ok(cli, "status", "Sydvestjylland", "--json").out)
    by_name: dict[str, list[str]] = {}
    for row in rows:
        if row:
            by_name.setdefault(row[0], row)  # the first table a name is in: partners, then the split
    for partner in status["partners"]:
        row = by_name[partner["name"]]
        assert row[1:] == [partner[k].replace(".", ",") for k in ("allocated", "disbursed", "remaining")]
    assert by_name["Kom Trygt Hjem"][1:] == ["627851,18", "18635,25", "231631,54", "144815,83", "270066,20", "581400,00",
                                             "1874400,00"]
    assert ["Part", "Klyngemidler", "Udmøntet", "Resterende"] in rows
    # On the screen: the same CSV, without the byte order mark.
    assert not ok(cli, "status", "Sydvestjylland", "--format", "csv").out.startswith(BOM)


def test_english_csv_uses_commas_and_a_decimal_point(cli) -> None:  # type: ignore[no-untyped-def]
    out = ok(cli, "applications", "Næstved/Slagelse", "--format", "csv", "--lang", "en").out
    rows = list(csv.reader(io.StringIO(out)))
    assert ["Total", "", "3525000.00", "3200000.00", "-325000.00"] in rows


def test_a_file_is_never_replaced_without_force(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "log.md"
    target.write_text("referat", "utf-8")
    refused = cli("log", "Sydvestjylland", "--format", "md", "--output", str(target))
    assert refused.code == 1 and "findes allerede" in refused.err and "--force" in refused.err
    assert target.read_text("utf-8") == "referat"
    ok(cli, "log", "Sydvestjylland", "--format", "md", "--output", str(target), "--force")
    tables = markdown_tables(target.read_text("utf-8"))
    rows = next(iter(tables.values()))
    assert rows[0] == ["Dato", "Besluttet af", "Hændelse", "Vedrører", "Beløb", "Bevilling herefter"]
    carry = next(row for row in rows if row[2].startswith("Overførsel 2022-2023"))
    log = json.loads(ok(cli, "log", "Sydvestjylland", "--json").out)
    assert carry[4] == "2.728.707,00 kr." and log["entries"][-1]["amount"] == "2728707.00"


def test_format_follows_the_output_name_and_json_and_format_do_not_mix(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ok(cli, "status", "Sydvestjylland", "--output", str(tmp_path / "status.xlsx"))
    assert (tmp_path / "status.xlsx").read_bytes().startswith(b"PK")
    ok(cli, "status", "Sydvestjylland", "--output", str(tmp_path / "status.txt"))
    assert "Sundhedsklynge Sydvestjylland — status på klyngemidler" in (tmp_path / "status.txt").read_text("utf-8")
    ok(cli, "status", "Sydvestjylland", "--json", "--output", str(tmp_path / "status.json"))
    assert json.loads((tmp_path / "status.json").read_text("utf-8"))["totals"]["remaining"] == "2728707.00"
    mixed = cli("status", "Sydvestjylland", "--json", "--format", "csv")
    assert mixed.code == 2 and "--json" in mixed.err
    assert cli("log", "Sydvestjylland", "--format", "pdf").code == 2  # the meeting pack's formats are report's


def test_status_xlsx_amounts_are_numbers_in_the_danish_format(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    target = tmp_path / "status.xlsx"
    ok(cli, "status", "Sydvestjylland", "--format", "xlsx", "--output", str(target))
    book = openpyxl.load_workbook(target)
    sheet = book["Klyngemidler pr. part"]
    assert sheet.freeze_panes == "A3" and sheet["A2"].value == "Part"
    assert sheet["B3"].value == 1572656 and sheet["B3"].number_format == "#,##0.00"
    assert sheet["B9"].value == "=SUM(B3:B8)"
    tables = xlsx_tables(target)
    split = tables["Udmøntede klyngemidler pr. bevilling"]
    kth = next(row for row in split if row[0] == "Kom Trygt Hjem")
    assert [xlsx_amount(v) for v in kth[1:]] == [Decimal(v) for v in (
        "627851.18", "18635.25", "231631.54", "144815.83", "270066.20", "581400.00", "1874400.00")]
    assert "Bemærkninger" in book.sheetnames


@pytest.fixture
def formula_names(fixture_copy: Path) -> Path:
    grant = fixture_copy / "vesterhavet" / "grants" / "akutteam.toml"
    grant.write_text(grant.read_text("utf-8").replace('name = "Mobilt akutteam"', "name = \"=cmd|' /C calc'!A0\""), "utf-8")
    return fixture_copy


def test_formula_like_text_cannot_run_in_csv_or_excel(cli, formula_names: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    out = ok(cli, "status", "Vesterhavet", "--data", str(formula_names), "--format", "csv").out
    cells = [cell for row in csv_rows(out) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not [c for c in cells if c.startswith("=")]
    target = tmp_path / "status.xlsx"
    ok(cli, "status", "Vesterhavet", "--data", str(formula_names), "--format", "xlsx", "--output", str(target))
    book = openpyxl.load_workbook(target)
    found = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value == "=cmd|' /C calc'!A0"]
    assert found and all(c.data_type == "s" and c.quotePrefix for c in found)
    md = ok(cli, "applications", "Vesterhavet", "--data", str(formula_names), "--format", "md").out
    assert "=cmd\\|' /C calc'!A0" in md
