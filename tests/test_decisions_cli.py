"""Recording decisions from the command line, as a secretary types them: the journal's rules
are enforced, the same decision is refused twice, and mistakes are annulled, not edited.

The first tests are the symptoms of issue 8, each of which the previous main got wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

README_GRANT = ["allocate", "Sydvestjylland", "--name", "Den sidste tid i eget hjem", "--amount", "850.000", "--owner", "Esbjerg",
                "--record", "--date", "2024-11-11", "--level", "politisk"]


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*.toml")}


def test_symptom_1_a_grant_drawing_on_an_empty_year_is_refused_and_nothing_is_written(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (data_copy / "sydvestjylland" / "carryovers" / "ubrugte-midler-2022-2023-til-2024.toml").unlink()
    before = files(data_copy)
    result = cli(*README_GRANT, "--data", str(data_copy))
    assert result.code == 1
    assert "Der er ingen klyngemidler i 2024" in result.out
    assert "afvist" in result.err
    assert files(data_copy) == before


def test_symptom_1_with_the_carry_over_the_grant_records_and_2024_stays_above_zero(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(*README_GRANT, "--data", str(data_copy))
    assert result.code == 0, result.err
    assert "✓ Alle parter har råd til deres andel." in result.out
    year = json.loads(cli("status", "Sydvestjylland", "--year", "2024", "--json", "--data", str(data_copy)).out)
    remaining = {p["id"]: p["remaining"] for p in year["partners"]}
    assert remaining["fanoe"] == "271.03"
    assert all(not value.startswith("-") for value in remaining.values())
    assert year["totals"]["remaining"] == "1878707.00"


def test_symptom_2_a_top_up_of_a_grant_with_unknown_split_is_checked_against_the_total(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = files(data_copy)
    result = cli("topup", "Slagelse Klyngen", "VIP Borgere", "1.000.000", "--record", "--date", "2023-12-01", "--level",
                 "politisk", "--data", str(data_copy))
    assert result.code == 1
    assert "Parterne mangler tilsammen 969.740,00 kr. i 2023" in result.out
    assert files(data_copy) == before
    status = json.loads(cli("status", "Slagelse Klyngen", "--json", "--data", str(data_copy)).out)
    assert status["totals"]["remaining"] == "30260.00"


def test_symptom_3_a_carry_over_cannot_move_more_than_remains(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(*README_GRANT, "--data", str(data_copy)).code == 0
    before = files(data_copy)
    result = cli("carryover", "Sydvestjylland", "--from", "2024", "--to", "2025", "--partner", "fanoe", "--amount", "10.000",
                 "--record", "--date", "2024-12-01", "--level", "politisk", "--data", str(data_copy))
    assert result.code == 1
    assert "Fanø Kommune mangler 9.728,97 kr. i 2024" in result.err
    assert files(data_copy) == before


def test_symptom_4_the_same_decision_twice_is_refused_naming_the_file(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(*README_GRANT, "--data", str(data_copy)).code == 0
    before = files(data_copy)
    again = cli(*README_GRANT, "--data", str(data_copy))
    assert again.code == 1
    assert "det samme er allerede registreret i" in again.err
    assert "grants/den-sidste-tid-i-eget-hjem.toml" in again.err
    assert files(data_copy) == before
    topup = ["topup", "Sydvestjylland", "Den sidste tid", "10.000", "--record", "--date", "2024-11-20", "--level", "politisk",
             "--data", str(data_copy)]
    assert cli(*topup).code == 0
    second = cli(*topup)
    assert second.code == 1 and "changes/2024-11-20-tillaeg-den-sidste-tid-i-eget-hjem.toml" in second.err


def test_symptom_4_a_mistake_is_annulled_and_recorded_again(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli(*README_GRANT, "--data", str(data_copy)).code == 0
    dry = cli("annul", "Sydvestjylland", "den-sidste-tid-i-eget-hjem", "--reason", "Forkert beløb", "--date", "2024-11-12",
              "--data", str(data_copy))
    assert dry.code == 0 and "intet er gemt" in dry.out
    done = cli("annul", "Sydvestjylland", "grants/den-sidste-tid-i-eget-hjem", "--reason", "Forkert beløb", "--date",
               "2024-11-12", "--record", "--data", str(data_copy))
    assert done.code == 0, done.err
    annulment = data_copy / "sydvestjylland" / "annulments" / "2024-11-12-annullering-den-sidste-tid-i-eget-hjem.toml"
    assert 'reason = "Forkert beløb"' in annulment.read_text(encoding="utf-8")
    assert (data_copy / "sydvestjylland" / "grants" / "den-sidste-tid-i-eget-hjem.toml").exists()  # kept, not deleted
    corrected = [*README_GRANT]
    corrected[corrected.index("850.000")] = "800.000"
    corrected[corrected.index("2024-11-11")] = "2024-11-12"
    assert cli(*corrected, "--data", str(data_copy)).code == 0
    status = json.loads(cli("status", "Sydvestjylland", "--year", "2024", "--json", "--data", str(data_copy)).out)
    assert status["totals"]["disbursed"] == "800000.00"
    before_fix = json.loads(cli("status", "Sydvestjylland", "--year", "2024", "--as-of", "2024-11-11", "--json", "--data",
                                str(data_copy)).out)
    assert before_fix["totals"]["disbursed"] == "850000.00"


def test_symptom_7_a_period_is_accepted_and_the_year_view_keeps_its_checks_and_notes(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("status", "Nykøbing Falster", "--year", "2022-2023")
    assert result.code == 0, result.err
    assert "status på klyngemidler 2022-2023" in result.out
    assert "001 punkt 5: udmeldt 2023 er trykt som 2.059.347,00 kr." in result.out
    assert "overført videre fra 2022+2023 til 2024" in result.out
    single = json.loads(cli("status", "Sydvestjylland", "--year", "2023", "--json").out)
    assert single["period"] == "2022-2023"
    assert len(single["discrepancies"]) == 6
    assert any("visningen af 2023 viser hele perioden" in n for n in single["notes"])


def test_symptom_8_holbaek_agrees_with_the_source_and_notes_conditions_and_focus_areas_are_shown(cli) -> None:  # type: ignore[no-untyped-def]
    holbaek = json.loads(cli("status", "Holbæk", "--json").out)
    assert holbaek["totals"]["remaining"] == "0.00"
    assert holbaek["totals"]["unsplit"] == "2580835.00"
    slagelse = cli("status", "Slagelse Klyngen")
    assert "Betingelser" in slagelse.out and "akutplan" in slagelse.out
    data = json.loads(cli("status", "Slagelse Klyngen", "--json").out)
    grant = next(g for g in data["grants"] if g["id"] == "72-timers-behandlingsansvar")
    assert grant["condition"] and grant["notes"]
    syd = json.loads(cli("status", "Sydvestjylland", "--json").out)
    assert [a["name"] for a in syd["focus_areas"]][:2] == ["Kom Trygt Hjem", "Akutområdet"]
    assert syd["focus_areas"][0]["grants"] == ["Kom Trygt Hjem"]
    year_2024 = json.loads(cli("status", "Sydvestjylland", "--year", "2024", "--json").out)
    assert year_2024["totals"]["opening"] == "2728707.00"


def test_an_override_records_despite_a_shortfall_and_keeps_the_reason(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("allocate", "Sydvestjylland", "--name", "Stor indsats", "--amount", "1.000.000", "--owner", "Esbjerg",
                 "--record", "--date", "2024-11-11", "--level", "politisk", "--override", "Fanø betaler sin andel senere",
                 "--data", str(data_copy))
    assert result.code == 0, result.err
    text = (data_copy / "sydvestjylland" / "grants" / "stor-indsats.toml").read_text(encoding="utf-8")
    assert 'override = "Fanø betaler sin andel senere"' in text
    assert "Registreret alligevel med begrundelsen" in result.out
    check = cli("status", "Sydvestjylland", "--year", "2024", "--data", str(data_copy))
    assert "Fanø Kommune har udmøntet 798,33 kr. mere, end parten har." in check.out


def test_a_future_date_needs_an_override(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    args = ["carryover", "Sydvestjylland", "--from", "2024", "--to", "2031", "--record", "--date", "2031-01-01", "--level",
            "politisk", "--data", str(data_copy)]
    result = cli(*args)
    assert result.code == 1 and "ligger i fremtiden" in result.err
    assert cli(*args, "--override", "besluttet på forhånd").code == 0


@pytest.mark.parametrize("kind,args,expect", [
    ("topup", ["Kom Trygt Hjem", "100.000"], "tillægsbevilling til Kom Trygt Hjem"),
    ("reduce", ["akutomraadet", "50.000"], "nedsættelse af Akutområdet"),
    ("withdraw", ["akutomraadet"], "tilbagetrækning af Akutområdet"),
    ("transfer", ["akutomraadet", "Kom Trygt Hjem", "25.000"], "omplacering fra Akutområdet"),
])
def test_changes_show_their_effect_and_record_one_new_file(cli, data_copy: Path, kind: str, args: list[str], expect: str) -> None:  # type: ignore[no-untyped-def]
    dry = cli(kind, "Sydvestjylland", *args, "--date", "2024-06-01", "--year", "2022-2023", "--data", str(data_copy))
    assert dry.code == 0, dry.err
    assert expect in dry.out and "intet er gemt" in dry.out
    before = files(data_copy)
    done = cli(kind, "Sydvestjylland", *args, "--date", "2024-06-01", "--year", "2022-2023", "--record", "--level", "politisk",
               "--data", str(data_copy), "--override", "test")
    assert done.code == 0, done.err
    assert len(files(data_copy) - before) == 1
    assert cli("status", "Sydvestjylland", "--data", str(data_copy)).code == 0


def test_english_output_and_messages_carry_no_danish(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(*README_GRANT, "--lang", "en", "--data", str(data_copy))
    assert result.code == 0
    assert "Every partner can afford its share." in result.out
    assert "DKK 204,161.50" not in result.out  # tables carry plain numbers
    assert "204,161.50" in result.out
    again = cli(*README_GRANT, "--lang", "en", "--data", str(data_copy))
    assert "the same is already recorded" in again.err
    for danish in ("allerede", "afvist", "beslutning"):
        assert danish not in again.err.lower()


@pytest.mark.parametrize("args,message", [
    (["allocate", "Sydvestjylland", "--name", "X", "--amount", "-5", "--owner", "esbjerg"], "er negativt"),
    (["allocate", "Sydvestjylland", "--name", "X", "--amount", "1,005", "--owner", "esbjerg"], "mere end to decimaler"),
    (["allocate", "Sydvestjylland", "--name", "X", "--amount", "１２３", "--owner", "esbjerg"], "er ikke et beløb"),
    (["allocate", "Sydvestjylland", "--name", "X", "--amount", "99999999999999999999", "--owner", "esbjerg"], "større end"),
    (["allocate", "Sydvestjylland", "--name", "X", "--amount", "100", "--owner", "nobody"], "ukendt part"),
    (["allocate", "Sydvestjylland", "--name", "../x", "--amount", "100", "--owner", "esbjerg"], "ligner en sti"),
    (["allocate", "Sydvestjylland", "--name", "X", "--amount", "100", "--owner", "esbjerg", "--record"], "kræver --date og --level"),
    (["allocate", "Sydvestjylland", "--name", "X", "--amount", "100", "--owner", "esbjerg", "--date", "9999-12-31"], "uden for årene"),
    (["topup", "Sydvestjylland", "ukendt", "100"], "ukendt bevilling"),
    (["topup", "Sydvestjylland", "akutomraadet", "-100"], "er negativt"),
    (["carryover", "Sydvestjylland", "--from", "2024", "--to", "2023"], "skal ligge efter"),
    (["annul", "Sydvestjylland", "grants/findes-ikke", "--reason", "x"], "ingen registrering"),
    (["status", "Atlantis"], "ukendt klynge"),
    (["status", "Sydvestjylland", "--year", "tyve"], "er ikke et år"),
    (["status", "Sydvestjylland", "--frobnicate"], "ukendt tilvalg"),
])
def test_usage_errors_exit_2_with_a_danish_message_and_no_traceback(cli, data_copy: Path, args: list[str], message: str) -> None:  # type: ignore[no-untyped-def]
    before = files(data_copy)
    result = cli(*args, "--data", str(data_copy))
    assert result.code == 2, (result.code, result.err)
    assert message in result.err
    assert "Traceback" not in result.err and "intern fejl" not in result.err
    assert files(data_copy) == before


def test_the_shipped_data_is_never_written(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no ./data here, so the shipped examples are found
    result = cli(*README_GRANT)
    assert result.code == 1
    assert "eksempeldata" in result.err and "klyngefond init" in result.err
