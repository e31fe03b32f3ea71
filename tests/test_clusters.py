"""`klyngefond clusters`: every cluster's received, committed and remaining from its journal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from recorded_changes import record_history

ROW_KEYS = {"folder", "id", "name", "region", "partners", "fund_holders", "grants", "allocated", "disbursed", "remaining",
            "errors", "warnings", "same_id"}


def overview(cli, *args: str) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    result = cli("clusters", *args, "--json")
    assert result.code == 0, result.text
    found = json.loads(result.out)
    assert set(found) == {"currency", "clusters", "notes"}
    for row in found["clusters"]:
        assert set(row) == ROW_KEYS
    return {row["folder"]: row for row in found["clusters"]}


def test_every_shipped_cluster_with_the_totals_status_gives(cli) -> None:  # type: ignore[no-untyped-def]
    rows = overview(cli)
    assert list(rows) == ["holbaek", "midt", "naestved-slagelse", "nykoebing-falster", "roskilde-koege", "sydvestjylland"]
    sydvest = rows["sydvestjylland"]
    assert (sydvest["allocated"], sydvest["disbursed"], sydvest["remaining"]) == ("6547550.00", "3818843.00", "2728707.00")
    assert (sydvest["partners"], sydvest["fund_holders"], sydvest["grants"]) == (7, 6, 2)
    slagelse = rows["naestved-slagelse"]
    assert (slagelse["disbursed"], slagelse["remaining"], slagelse["grants"]) == ("3200000.00", "30260.00", 5)
    for folder, row in rows.items():
        totals = json.loads(cli("status", folder, "--json").out)["totals"]
        assert (row["allocated"], row["disbursed"], row["remaining"]) == (
            totals["allocated"], totals["disbursed"], totals["remaining"]), folder


def test_the_table_in_danish_and_english(cli) -> None:  # type: ignore[no-untyped-def]
    danish = cli("clusters")
    for words in ("Klynger", "Klynge", "Parter", "Bevillinger", "Klyngemidler", "Udmøntet", "Resterende",
                  "Sundhedsklynge Sydvestjylland", "6.547.550,00", "2.728.707,00", "Beløb i kr."):
        assert words in danish.out, words
    english = cli("clusters", "--lang", "en")
    for words in ("Clusters", "Partners", "Grants", "Allocated", "Committed", "Remaining", "6,547,550.00"):
        assert words in english.out, words


def test_changes_count_in_the_totals(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    record_history(fixture_copy / "vesterhavet")
    row = overview(cli, "--data", str(fixture_copy))["vesterhavet"]
    status = json.loads(cli("status", "vesterhavet", "--data", str(fixture_copy), "--json").out)["totals"]
    assert (row["allocated"], row["disbursed"], row["remaining"]) == (status["allocated"], status["disbursed"], status["remaining"])
    assert row["grants"] == 5


def test_a_broken_cluster_is_listed_with_its_problem_count_and_the_others_still_shown(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (data_copy / "holbaek" / "cluster.toml").write_text('id = "holbaek"\nname = [\n', "utf-8")
    (data_copy / "sydvestjylland" / "grants" / "x.toml").write_text("id = \n", "utf-8")
    (data_copy / "sydvestjylland" / "grants" / "y.toml").write_text("granted = -1\n", "utf-8")
    rows = overview(cli, "--data", str(data_copy))
    assert (rows["holbaek"]["errors"], rows["holbaek"]["allocated"], rows["holbaek"]["partners"]) == (1, None, None)
    assert rows["sydvestjylland"]["errors"] >= 2 and rows["sydvestjylland"]["remaining"] is None
    assert rows["midt"]["remaining"] == "281966.00"
    table = cli("clusters", "--data", str(data_copy))
    assert table.code == 0
    assert "1 problem" in table.out and "se klyngefond check holbaek" in table.out


def test_two_folders_with_the_same_cluster_id_are_mentioned(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(data_copy / "midt", data_copy / "midt-kopi")
    rows = overview(cli, "--data", str(data_copy))
    assert rows["midt"]["same_id"] == ["midt-kopi"] and rows["midt-kopi"]["same_id"] == ["midt"]
    assert rows["holbaek"]["same_id"] == []
    table = cli("clusters", "--data", str(data_copy))
    assert "Mappen midt har klynge-id'et «midt» ligesom midt-kopi" in table.out


def test_an_empty_data_folder(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    result = cli("clusters", "--data", str(tmp_path / "empty"))
    assert result.code == 0 and "Der er ingen klynger i datamappen." in result.out
