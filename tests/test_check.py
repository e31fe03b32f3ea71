"""`klyngefond check`: every finding at once, from the same rules as recording, with a stable --json."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from klyngefond.core.problems import Problem
from klyngefond.i18n import Message
from klyngefond.journal.build import build_journal
from klyngefond.journal.invariants import check_journal
from klyngefond.reports.check import check_cluster, duplicate_ids
from klyngefond.reports.reference import check_figures
from klyngefond.storage.loader import load_ledger

FINDING_KEYS = {"severity", "code", "file", "key", "message", "hint"}


def as_json(result) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(result.out)


def findings(report: dict, folder: str) -> list[dict]:
    return next(c for c in report["clusters"] if c["folder"] == folder)["findings"]


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the shipped data


def test_the_shipped_data_passes_with_the_sources_slips_as_info(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--all", "--json")
    assert result.code == 0, result.text
    report = as_json(result)
    assert set(report) == {"data", "clusters", "errors", "warnings", "info"}
    assert (report["errors"], report["warnings"]) == (0, 0)
    assert report["info"] == sum(len(c["findings"]) for c in report["clusters"]) > 0
    assert {c["folder"] for c in report["clusters"]} == {
        "holbaek", "midt", "naestved-slagelse", "nykoebing-falster", "roskilde-koege", "sydvestjylland"}
    for cluster in report["clusters"]:
        assert {"id", "folder", "findings"} <= set(cluster)
        for finding in cluster["findings"]:
            assert set(finding) == FINDING_KEYS
            assert (finding["severity"], finding["code"], finding["file"]) == ("info", "reference", "reference.toml")
            assert finding["message"] and finding["hint"]


def test_sydvestjylland_slips_name_the_cell_and_the_rounding(cli) -> None:  # type: ignore[no-untyped-def]
    report = as_json(cli("check", "Sydvestjylland", "--json"))
    assert [c["id"] for c in report["clusters"]] == ["sydvestjylland"]
    found = findings(report, "sydvestjylland")
    assert len(found) == 6
    vejen = next(f for f in found if f["key"] == "figure (share, kom-trygt-hjem, vejen, 2022-2023)")
    assert "231.631,55 kr." in vejen["message"] and "231.631,54 kr." in vejen["message"] and "+0,01 kr." in vejen["message"]
    assert vejen["hint"].startswith("intet at rette")
    assert sum(1 for f in found if "de trykte dele" in f["message"]) == 3


def test_text_in_danish_and_english(cli) -> None:  # type: ignore[no-untyped-def]
    danish = cli("check", "Sydvestjylland")
    assert danish.code == 0
    for words in ("Sundhedsklynge Sydvestjylland", "[oplysning]", "reference.toml", "figure (share, kom-trygt-hjem, vejen, 2022-2023)",
                  "Kontrolleret 1 klynge: ingen fejl (0 fejl, 0 advarsler, 6 oplysninger)."):
        assert words in danish.out, words
    english = cli("check", "Sydvestjylland", "--lang", "en")
    for words in ("[info]", "is printed as DKK 231,631.55", "Checked 1 cluster: no errors (0 errors, 0 warnings, 6 info)."):
        assert words in english.out, words
    assert "oplysning" not in english.out and "[info]" not in danish.out


def test_a_cluster_without_findings_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "midt")
    assert result.code == 0 and "intet at bemærke" in result.out
    assert as_json(cli("check", "midt", "--json"))["clusters"][0]["findings"] == []


def test_usage_errors(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("check").code == 2
    both = cli("check", "Sydvestjylland", "--all")
    assert both.code == 2 and "ikke begge" in both.err
    unknown = cli("check", "Atlantis")
    assert unknown.code == 2 and "ukendt klynge" in unknown.err


# --------------------------------------------------------------------------- errors, all at once


def test_every_kind_of_finding_at_once_with_file_key_and_what_to_do(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    cluster = fixture_copy / "vesterhavet"
    # a file problem: a TOML syntax error
    write(cluster / "grants" / "broken.toml", 'id = "broken"\nname = \n')
    # an invariant: Sandby (250.000 kr. in 2023, 110.405,64 kr. of it committed) cannot pay 400.000 kr.
    write(cluster / "grants" / "for-stor.toml", 'id = "for-stor"\nname = "For stor"\nyear = 2023\ngranted = 400000\n'
          'decision = { level = "politisk", date = 2023-08-01 }\n[financing]\nmodel = "explicit"\namounts = { sandby = 400000 }\n')
    # a journal problem: a change to a withdrawn grant
    write(cluster / "changes" / "a-withdraw.toml", 'id = "a-withdraw"\nkind = "withdrawal"\ngrant = "akutteam"\n'
          'decision = { level = "politisk", date = 2023-09-01 }\n')
    write(cluster / "changes" / "b-topup.toml", 'id = "b-topup"\nkind = "top-up"\ngrant = "akutteam"\namount = 1000\n'
          'decision = { level = "politisk", date = 2023-10-01 }\n')
    # a warning: a decision dated in the future
    write(cluster / "allocations" / "senere.toml", 'partner = "havby"\nyear = 2099\nreceived = 1000\ndate = 2099-01-01\n')
    result = cli("check", "vesterhavet", "--data", str(fixture_copy), "--json")
    assert result.code == 1, result.text
    report = as_json(result)
    found = findings(report, "vesterhavet")
    by_code = {f["code"]: f for f in found}
    assert by_code["file"]["file"] == "grants/broken.toml" and "TOML" in by_code["file"]["message"]
    assert by_code["invariant"]["file"] == "grants/for-stor.toml" and by_code["invariant"]["key"] == "granted"
    assert "Sandby Kommune mangler 260.405,64 kr. i 2023 efter grants/for-stor" in by_code["invariant"]["message"]
    assert by_code["invariant"]["hint"]
    assert by_code["journal"]["file"] == "changes/b-topup.toml"
    assert by_code["future"]["severity"] == "warning" and by_code["future"]["file"] == "allocations/senere.toml"
    assert [f["severity"] for f in found] == sorted((f["severity"] for f in found), key=["error", "warning", "info"].index)
    assert (report["errors"], report["warnings"]) == (3, 1)
    text = cli("check", "vesterhavet", "--data", str(fixture_copy))
    assert text.code == 1
    assert "[fejl]" in text.out and "[advarsel]" in text.out and "Ret fejlene" in text.out
    assert "grants/for-stor.toml: granted: Sandby Kommune mangler" in text.out


def test_an_override_turns_the_error_into_a_warning_that_quotes_the_reason(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    write(fixture_copy / "vesterhavet" / "grants" / "for-stor.toml",
          'id = "for-stor"\nname = "For stor"\nyear = 2023\ngranted = 400000\noverride = "Sandby betaler af egne midler"\n'
          'decision = { level = "politisk", date = 2023-08-01 }\n[financing]\nmodel = "explicit"\namounts = { sandby = 400000 }\n')
    result = cli("check", "vesterhavet", "--data", str(fixture_copy), "--json")
    assert result.code == 0
    (finding,) = findings(as_json(result), "vesterhavet")
    assert (finding["severity"], finding["code"]) == ("warning", "override")
    assert "Sandby betaler af egne midler" in finding["message"]


def test_all_lists_a_broken_cluster_file_as_a_finding_and_checks_the_others(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (data_copy / "holbaek" / "cluster.toml").write_text('id = "holbaek"\nname = [\n', encoding="utf-8")
    result = cli("check", "--all", "--data", str(data_copy), "--json")
    assert result.code == 1
    report = as_json(result)
    (broken,) = findings(report, "holbaek")
    assert (broken["severity"], broken["file"], broken["code"]) == ("error", "cluster.toml", "file")
    assert len(report["clusters"]) == 6 and findings(report, "sydvestjylland")
    assert report["errors"] == 1


def test_two_folders_with_the_same_cluster_id_are_reported(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(data_copy / "midt", data_copy / "midt-kopi")
    report = as_json(cli("check", "--all", "--data", str(data_copy), "--json"))
    assert report["errors"] == 2
    for folder, other in (("midt", "midt-kopi"), ("midt-kopi", "midt")):
        (finding,) = findings(report, folder)
        assert (finding["code"], finding["file"], finding["key"]) == ("duplicate_cluster", "cluster.toml", "id")
        assert other in finding["message"]
    # naming one of them checks it and reports the clash instead of refusing to look
    one = cli("check", "midt", "--data", str(data_copy))
    assert one.code == 1 and "midt-kopi" in one.out


# --------------------------------------------------------------------------- the pure function


def test_check_is_the_loader_plus_the_recording_rules_plus_the_slips(fixture_copy: Path) -> None:
    cluster = fixture_copy / "vesterhavet"
    write(cluster / "grants" / "for-stor.toml", 'id = "for-stor"\nname = "For stor"\nyear = 2023\ngranted = 400000\n'
          'decision = { level = "politisk", date = 2023-08-01 }\n[financing]\nmodel = "explicit"\namounts = { sandby = 400000 }\n')
    write(cluster / "reference.toml", '[[figure]]\nmeasure = "granted"\ngrant = "akutteam"\namount = 500001\nsource = "test"\n')
    ledger, problems = load_ledger(cluster)
    assert ledger is not None
    journal = build_journal(ledger)
    today = dt.date(2024, 1, 1)
    found = check_cluster(problems, ledger, journal, today)
    rules = check_journal(ledger, journal, today)
    assert rules and all(rule in found for rule in rules)
    slips = [f for f in found if f.code == "reference"]
    assert len(slips) == len(check_figures(ledger.references, journal)) == 1
    assert slips[0].severity == "info" and slips[0].key == "figure (granted, akutteam)"


def test_check_of_an_unreadable_cluster_is_its_file_problems() -> None:
    problem = Problem(Path("x/cluster.toml"), None, Message("loader.no_cluster_file"))
    assert check_cluster([problem], None, None, dt.date(2024, 1, 1)) == (Problem(Path("x/cluster.toml"), None,
                                                                                  Message("loader.no_cluster_file"), code="file"),)


def test_duplicate_ids_pure() -> None:
    found = duplicate_ids([(Path("a"), "x"), (Path("b"), "y"), (Path("c"), "x")])
    assert set(found) == {Path("a"), Path("c")}
    assert found[Path("a")][0].message.values["folders"] == ("c",)
