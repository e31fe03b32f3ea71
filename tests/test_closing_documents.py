"""The closing statement as documents: in the meeting pack (every format) and as one PDF per partner."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pypdf

from klyngefond.i18n import number


def _statement(cli, data: Path) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--json", "--data", str(data))
    assert result.code == 0, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def test_one_pdf_per_partner_carries_that_partners_figures(cli, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("invoices", "Vesterhavet", "--issue", "--date", "2024-01-15", "--out", str(tmp_path / "f"),
               "--data", str(fixture_copy)).code == 0
    statement = _statement(cli, fixture_copy)
    folder = tmp_path / "pdf"
    result = cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--format", "pdf", "--output", str(folder),
                 "--data", str(fixture_copy))
    assert result.code == 0, result.err
    assert "4 PDF'er skrevet i" in result.out
    for row in statement["partners"]:
        path = folder / f"vesterhavet-{row['id']}-afslutning-2026-12-31.pdf"
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        assert row["name"] in text
        for key in ("received", "remaining", "invoiced", "outstanding"):
            assert number(Decimal(row[key]), "da") in text, (row["id"], key)
        others = [r["name"] for r in statement["partners"] if r["id"] != row["id"]]
        assert not any(f"{name}: regnskabsafslutning" in text for name in others)
    again = cli("closeout", "Vesterhavet", "--date", "2026-12-31", "--format", "pdf", "--output", str(folder),
                "--data", str(fixture_copy))
    assert again.code == 1 and "findes allerede" in again.err  # never overwritten without --force


def test_the_meeting_pack_carries_the_closing_statement_and_settlement(cli, fixture_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("invoices", "Vesterhavet", "--issue", "--date", "2024-01-15", "--out", str(tmp_path / "f"),
               "--data", str(fixture_copy)).code == 0
    assert cli("pay", "HAV-2024-0003", "--date", "2024-02-10", "--data", str(fixture_copy)).code == 0
    statement = _statement(cli, fixture_copy)
    without = tmp_path / "uden.md"
    assert cli("report", "Vesterhavet", "--format", "md", "--output", str(without), "--data", str(fixture_copy)).code == 0
    assert "regnskabsafslutning" not in without.read_text("utf-8")
    pack = tmp_path / "pakke.md"
    result = cli("report", "Vesterhavet", "--format", "md", "--output", str(pack), "--closing", "2026-12-31",
                 "--data", str(fixture_copy))
    assert result.code == 0, result.err
    text = pack.read_text("utf-8")
    assert "Forslag til regnskabsafslutning pr. 31-12-2026, endnu ikke besluttet" in text
    assert "--record" not in text  # no tool instructions in a document
    for transfer in statement["settlement"]:
        assert number(Decimal(transfer["amount"]), "da") in text
    for row in statement["partners"]:
        assert number(Decimal(row["received"]), "da") in text
