"""Exit codes, the same for every command (docs/exit-codes.md): 0 done, 1 the data has a problem or
the action was refused (nothing written), 2 the command line is wrong (an unknown option, a bad
value, or a cluster, grant, partner, record or invoice name that matches nothing), 130 interrupted.

Add a command's cases to CASES; ``{data}`` is a writable copy of the shipped examples, ``{fixture}``
of the fictional cluster, ``{broken}`` a data folder whose Sydvestjylland cluster file cannot be read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from klyngefond.cli.main import available
from klyngefond.cli.registry import COMMANDS

SY = ["Sydvestjylland", "--data", "{data}"]
DECIDE = ["--date", "2024-06-01", "--level", "politisk"]

# command -> [(description, args, expected code)]
CASES: dict[str, list[tuple[str, list[str], int]]] = {
    "status": [
        ("done", ["status", *SY], 0),
        ("unknown option", ["status", *SY, "--bogus"], 2),
        ("bad --year", ["status", *SY, "--year", "20x4"], 2),
        ("bad --as-of", ["status", *SY, "--as-of", "31-02-2024"], 2),
        ("unknown cluster", ["status", "Atlantis", "--data", "{data}"], 2),
        ("unknown grant", ["status", *SY, "--grant", "nothing-like-it"], 2),
        ("missing --data folder", ["status", "Sydvestjylland", "--data", "{data}/nowhere"], 2),
        ("data problem", ["status", "Sydvestjylland", "--data", "{broken}"], 1),
    ],
    "allocate": [
        ("proposal", ["allocate", *SY, "--name", "Ny", "--amount", "10.000", "--owner", "esbjerg", "--date", "2024-06-01"], 0),
        ("recorded", ["allocate", *SY, "--name", "Ny", "--amount", "10.000", "--owner", "esbjerg", "--record", *DECIDE], 0),
        ("unknown option", ["allocate", *SY, "--name", "Ny", "--amount", "10", "--owner", "esbjerg", "--bogus"], 2),
        ("bad amount", ["allocate", *SY, "--name", "Ny", "--amount", "ti", "--owner", "esbjerg"], 2),
        ("bad --model", ["allocate", *SY, "--name", "Ny", "--amount", "10", "--owner", "esbjerg", "--model", "x"], 2),
        ("unknown partner", ["allocate", *SY, "--name", "Ny", "--amount", "10", "--owner", "aarhus"], 2),
        ("unknown cluster", ["allocate", "Atlantis", "--data", "{data}", "--name", "Ny", "--amount", "10", "--owner", "x"], 2),
        ("--record without --level", ["allocate", *SY, "--name", "Ny", "--amount", "10", "--owner", "esbjerg", "--record"], 2),
        ("refused: a partner is short", ["allocate", *SY, "--name", "Ny", "--amount", "9.000.000", "--owner", "esbjerg",
                                         "--record", *DECIDE], 1),
        ("data problem", ["allocate", "Sydvestjylland", "--data", "{broken}", "--name", "Ny", "--amount", "10", "--owner", "e"], 1),
    ],
    "topup": [
        ("proposal", ["topup", *SY, "Kom Trygt Hjem", "10.000", "--date", "2024-06-01"], 0),
        ("unknown grant", ["topup", *SY, "nothing-like-it", "10.000"], 2),
        ("negative amount", ["topup", *SY, "Kom Trygt Hjem", "-10"], 2),
        ("unknown option", ["topup", *SY, "Kom Trygt Hjem", "10", "--bogus"], 2),
        ("refused: too much", ["topup", *SY, "Kom Trygt Hjem", "9.000.000", "--record", *DECIDE], 1),
    ],
    "reduce": [
        ("recorded", ["reduce", *SY, "akutomraadet", "10.000", "--record", *DECIDE], 0),
        ("unknown grant", ["reduce", *SY, "nothing-like-it", "10.000"], 2),
        ("bad amount", ["reduce", *SY, "akutomraadet", "10,001"], 2),
    ],
    "withdraw": [
        ("proposal", ["withdraw", *SY, "akutomraadet", "--date", "2024-06-01"], 0),
        ("unknown grant", ["withdraw", *SY, "nothing-like-it"], 2),
        ("extra argument", ["withdraw", *SY, "akutomraadet", "10"], 2),
    ],
    "transfer": [
        ("proposal", ["transfer", *SY, "akutomraadet", "Kom Trygt Hjem", "1.000", "--date", "2024-06-01"], 0),
        ("unknown target grant", ["transfer", *SY, "akutomraadet", "nothing-like-it", "1.000"], 2),
        ("to itself", ["transfer", *SY, "akutomraadet", "akutomraadet", "1.000"], 2),
    ],
    "carryover": [
        ("proposal", ["carryover", *SY, "--from", "2024", "--to", "2025", "--date", "2024-12-31"], 0),
        ("backwards", ["carryover", *SY, "--from", "2024", "--to", "2023"], 2),
        ("unknown partner", ["carryover", *SY, "--from", "2024", "--to", "2025", "--partner", "aarhus"], 2),
        ("refused: more than remains", ["carryover", *SY, "--from", "2024", "--to", "2025", "--partner", "fanoe",
                                        "--amount", "100.000", "--record", "--date", "2024-12-31", "--level", "politisk"], 1),
    ],
    "annul": [
        ("proposal", ["annul", *SY, "grants/kom-trygt-hjem", "--reason", "Fejl", "--date", "2024-03-02"], 0),
        ("unknown record", ["annul", *SY, "grants/nothing-like-it", "--reason", "Fejl"], 2),
        ("no reason", ["annul", *SY, "grants/kom-trygt-hjem"], 2),
        ("recorded", ["annul", *SY, "grants/kom-trygt-hjem", "--reason", "Fejl", "--date", "2024-03-02", "--record"], 0),
    ],
    "receive": [
        ("proposal", ["receive", *SY, "esbjerg", "1.000", "--year", "2024", "--date", "2024-02-01"], 0),
        ("recorded", ["receive", *SY, "esbjerg", "1.000", "--year", "2024", "--date", "2024-02-01", "--record"], 0),
        ("unknown partner", ["receive", *SY, "aarhus", "1.000", "--year", "2024"], 2),
        ("bad amount", ["receive", *SY, "esbjerg", "1.000,001", "--year", "2024"], 2),
        ("missing --year", ["receive", *SY, "esbjerg", "1.000"], 2),
        ("refused: the same partner and year twice", ["receive", *SY, "esbjerg", "1.000", "--year", "2022-2023", "--record"], 1),
        ("refused: into the examples", ["receive", "Sydvestjylland", "--data", "{examples}", "esbjerg", "1.000", "--year", "2024",
                                        "--record"], 1),
    ],
    "init": [
        ("done", ["init", "Ny Klynge", "--data", "{data}", "--region", "Region Syddanmark", "--partner", "Esbjerg Kommune"], 0),
        ("missing --region and --partner", ["init", "Ny Klynge", "--data", "{data}"], 2),
        ("bad --partner", ["init", "Ny Klynge", "--data", "{data}", "--region", "R", "--partner", "x=Y:by"], 2),
        ("refused: exists", ["init", "Sydvestjylland", "--data", "{data}", "--region", "R", "--partner", "Esbjerg Kommune"], 1),
        ("refused: into the examples", ["init", "Ny", "--data", "{examples}", "--region", "R", "--partner", "Esbjerg Kommune"], 1),
    ],
    "examples": [
        ("done", ["examples", "{data}/../copy"], 0),
        ("refused: exists", ["examples", "{data}"], 1),
        ("missing folder argument", ["examples"], 2),
    ],
}

VH = ["Vesterhavet", "--data", "{fixture}"]
NUMBER = "vesterhavet-region-vest-0001"

CASES |= {
    "clusters": [
        ("done", ["clusters", "--data", "{data}"], 0),
        ("a broken cluster is listed, not fatal", ["clusters", "--data", "{broken}"], 0),
        ("missing --data folder", ["clusters", "--data", "{data}/nowhere"], 2),
    ],
    "check": [
        ("clean", ["check", *SY], 0),
        ("all clean", ["check", "--all", "--data", "{data}"], 0),
        ("data problem", ["check", "Sydvestjylland", "--data", "{broken}"], 1),
        ("unknown cluster", ["check", "Atlantis", "--data", "{data}"], 2),
    ],
    "log": [
        ("done", ["log", *SY], 0),
        ("bad --as-of", ["log", *SY, "--as-of", "i går"], 2),
        ("unknown cluster", ["log", "Atlantis", "--data", "{data}"], 2),
        ("data problem", ["log", "Sydvestjylland", "--data", "{broken}"], 1),
    ],
    "applications": [
        ("done", ["applications", "Slagelse Klyngen", "--data", "{data}"], 0),
        ("bad --year", ["applications", *SY, "--year", "x"], 2),
        ("data problem", ["applications", "Sydvestjylland", "--data", "{broken}"], 1),
    ],
    "export": [
        ("done", ["export", *SY, "--format", "hledger"], 0),
        ("bad --format", ["export", *SY, "--format", "gnucash"], 2),
        ("data problem", ["export", "Sydvestjylland", "--data", "{broken}", "--format", "hledger"], 1),
    ],
    "report": [
        ("done", ["report", *SY, "--format", "md", "--output", "{data}/pakke.md"], 0),
        ("bad --format", ["report", *SY, "--format", "docx"], 2),
        ("refused: the file exists", ["report", *SY, "--format", "md", "--output", "{data}/sydvestjylland/cluster.toml"], 1),
    ],
    "invoices": [
        ("done", ["invoices", *VH], 0),
        ("unknown grant", ["invoices", *VH, "--grant", "nothing-like-it"], 2),
        ("issued", ["invoices", *VH, "--issue", "--date", "2024-01-15", "--out", "{fixture}/../docs"], 0),
        ("refused: no owner to invoice for", ["invoices", *SY, "--issue", "--date", "2024-01-15"], 1),
    ],
    "pay": [
        ("unknown invoice", ["pay", "nothing-0001", "--date", "2024-02-01", "--data", "{fixture}"], 2),
        ("bad date", ["pay", NUMBER, "--date", "31-02-2024", "--data", "{fixture}"], 2),
        ("bad amount", ["pay", NUMBER, "--date", "2024-02-01", "--amount", "-5", "--data", "{fixture}"], 2),
    ],
    "refund": [
        ("unknown invoice", ["refund", "nothing-0001", "--date", "2024-02-01", "--data", "{fixture}"], 2),
        ("bad date", ["refund", NUMBER, "--date", "31-02-2024", "--data", "{fixture}"], 2),
    ],
    "spend": [
        ("recorded", ["spend", *VH, "akutteam", "10.000", "--date", "2024-02-01"], 0),
        ("unknown grant", ["spend", *VH, "nothing-like-it", "10.000", "--date", "2024-02-01"], 2),
        ("bad amount", ["spend", *VH, "akutteam", "ti", "--date", "2024-02-01"], 2),
        ("data problem", ["spend", "Sydvestjylland", "--data", "{broken}", "akutomraadet", "10", "--date", "2024-02-01"], 1),
    ],
    "close-grant": [
        ("proposal", ["close-grant", *VH, "akutteam", "--date", "2024-12-31"], 0),
        ("unknown grant", ["close-grant", *VH, "nothing-like-it", "--date", "2024-12-31"], 2),
        ("bad date", ["close-grant", *VH, "akutteam", "--date", "2024-13-01"], 2),
    ],
    "closeout": [
        ("proposal", ["closeout", *VH, "--date", "2024-12-31"], 0),
        ("bad date", ["closeout", *VH, "--date", "tomorrow"], 2),
        ("unknown cluster", ["closeout", "Atlantis", "--data", "{fixture}", "--date", "2024-12-31"], 2),
    ],
    "repair": [
        ("nothing to repair", ["repair", *VH], 0),
        ("unknown cluster", ["repair", "Atlantis", "--data", "{fixture}"], 2),
        ("data problem", ["repair", "Sydvestjylland", "--data", "{broken}"], 1),
    ],
    "reopen": [
        ("bad date", ["reopen", *VH, "--date", "x"], 2),
        ("unknown cluster", ["reopen", "Atlantis", "--data", "{fixture}", "--date", "2024-12-31"], 2),
    ],
}

ALWAYS = [("help", ["--help"], 0), ("unknown option", ["--bogus-option"], 2)]


def cases() -> list[tuple[str, str, list[str], int]]:
    found = []
    for name in COMMANDS:
        if not available(name):
            continue
        for description, args, code in ALWAYS:
            found.append((name, description, [name, *args], code))
        for description, args, code in CASES.get(name, []):
            found.append((name, description, args, code))
    return found


def test_every_available_command_has_cases() -> None:
    missing = [name for name in COMMANDS if available(name) and name not in CASES]
    assert not missing, f"add exit-code cases for {missing}"


@pytest.fixture
def folders(data_copy: Path, fixture_copy: Path, tmp_path: Path) -> dict[str, str]:
    from klyngefond.storage.locate import SHIPPED_DATA

    broken = tmp_path / "broken"
    shutil.copytree(data_copy / "sydvestjylland", broken / "sydvestjylland")
    (broken / "sydvestjylland" / "cluster.toml").write_text('id = "sydvestjylland"\nname = \n', encoding="utf-8")
    return {"data": str(data_copy), "fixture": str(fixture_copy), "broken": str(broken), "examples": str(SHIPPED_DATA)}


@pytest.mark.parametrize(("command", "description", "args", "code"), cases(), ids=[f"{c[0]}: {c[1]}" for c in cases()])
def test_exit_code(cli, folders, command, description, args, code) -> None:  # type: ignore[no-untyped-def]
    result = cli(*[arg.format(**folders) for arg in args])
    assert result.code == code, f"{command}: {description}: exit {result.code}, expected {code}\n{result.out}\n{result.err}"
    if code and command == "check" and code == 1:
        assert "fejl" in result.out  # check's findings are its output; exit 1 says there are errors among them
    elif code:
        assert result.err.startswith(("klyngefond: ", "Brug:")), result.err
    else:
        from test_readme import without_schema_warning

        assert "klyngefond: " not in "\n".join(without_schema_warning(result.err.splitlines()))
