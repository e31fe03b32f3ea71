"""Tables never hide an amount: every table of every command, laid out at 40, 60, 80 and 120
columns, shows every amount of the same command's --json output whole, in the Danish format.

To check a new command's tables, add its command line to TABLE_COMMANDS (and, if its JSON has
amounts that the text deliberately does not show, their keys to NOT_IN_TEXT with the reason).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from klyngefond.i18n import number

WIDTHS = (40, 60, 80, 120)

SHIPPED_CLUSTERS = ("holbaek", "midt", "naestved-slagelse", "nykoebing-falster", "roskilde-koege", "sydvestjylland")

# (data, command line). data: "shipped" (a copy of klyngefond/examples/data) or "fixture" (examples/fictional).
TABLE_COMMANDS: list[tuple[str, tuple[str, ...]]] = [
    *[("shipped", ("status", cluster)) for cluster in SHIPPED_CLUSTERS],
    *[("shipped", ("status", cluster, "--year", year)) for cluster, years in {
        "holbaek": ("2023",), "midt": ("2022", "2023"), "naestved-slagelse": ("2023",),
        "nykoebing-falster": ("2022", "2023", "2024", "2022-2023"), "roskilde-koege": ("2023",),
        "sydvestjylland": ("2022-2023", "2024")}.items() for year in years],
    *[("shipped", ("status", cluster, "--as-of", day)) for cluster, day in {
        "nykoebing-falster": "2023-06-30", "sydvestjylland": "2023-12-31", "naestved-slagelse": "2023-05-01"}.items()],
    ("shipped", ("status", "Slagelse Klyngen", "--grant", "VIP Borgere")),
    ("fixture", ("status", "Vesterhavet")),
    ("fixture", ("status", "Vesterhavet", "--year", "2023")),
    ("shipped", ("allocate", "Sydvestjylland", "--name", "Den sidste tid i eget hjem", "--amount", "850.000",
                 "--owner", "Esbjerg", "--date", "2024-11-11")),
    ("shipped", ("allocate", "Sydvestjylland", "--name", "Den sidste tid i eget hjem", "--amount", "1.000.000",
                 "--owner", "Esbjerg", "--date", "2024-11-11")),
    ("shipped", ("allocate", "Sydvestjylland", "--name", "Fælles", "--amount", "300.000", "--owner", "vejen",
                 "--model", "deltagere", "--participants", "vejen,varde", "--date", "2024-11-11")),
    ("shipped", ("allocate", "Nykøbing Falster", "--name", "Ny indsats", "--amount", "100.000", "--owner",
                 "guldborgsund", "--weights", "ligeligt", "--date", "2024-02-01")),
    ("fixture", ("allocate", "Vesterhavet", "--name", "Ny indsats", "--amount", "250.000", "--owner", "havby",
                 "--year", "2023", "--date", "2023-10-01")),
    ("shipped", ("topup", "Sydvestjylland", "Kom Trygt Hjem", "100.000", "--date", "2024-06-01")),
    ("shipped", ("reduce", "Sydvestjylland", "akutomraadet", "50.000", "--date", "2024-06-01")),
    ("shipped", ("withdraw", "Slagelse Klyngen", "72-timers", "--date", "2023-11-01")),
    ("shipped", ("transfer", "Sydvestjylland", "akutomraadet", "Kom Trygt Hjem", "25.000", "--date", "2024-06-01")),
    ("shipped", ("carryover", "Nykøbing Falster", "--from", "2024", "--to", "2025", "--date", "2024-12-31")),
    ("shipped", ("carryover", "Sydvestjylland", "--from", "2024", "--to", "2025", "--partner", "fanoe",
                 "--amount", "1.000", "--date", "2024-12-31")),
    ("fixture", ("receive", "Vesterhavet", "havby", "1.000.000", "--announced", "1.000.500", "--year", "2024",
                 "--date", "2024-02-01")),
    ("shipped", ("receive", "Sydvestjylland", "esbjerg", "250.000", "--year", "2024", "--date", "2024-02-01")),
    ("shipped", ("annul", "Sydvestjylland", "grants/kom-trygt-hjem", "--reason", "Forkert beløb", "--date", "2024-03-02")),
    ("shipped", ("annul", "Slagelse Klyngen", "grants/vip-borgere", "--reason", "Fejl", "--date", "2023-12-01")),
]

# JSON keys whose amounts the text does not show, and why.
NOT_IN_TEXT = {
    "applied": "the applied amount is in the grant file and in `applications`, not in the status tables",
    "originally_granted": "shown only when a change made it differ from the grant, as a note",
    "receivable": "the invoicing table shows outstanding and overdue; receivable/to_refund are their parts",
    "to_refund": "see receivable",
}
# JSON keys whose amount is shown only when it is not zero (a row or a sentence that is left out otherwise).
SHOWN_WHEN_NOT_ZERO = {"unsplit", "unattributed", "spent", "freed", "overspent", "unspent"}  # the spending table appears once there is spending


def amounts(payload: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, amount) of a --json payload: strings with exactly two decimals and a '.' point."""
    if isinstance(payload, dict):
        for k, v in payload.items():
            yield from amounts(v, k)
    elif isinstance(payload, list):
        for v in payload:
            yield from amounts(v, key)
    elif isinstance(payload, str) and re.fullmatch(r"-?\d+\.\d{2}", payload):
        yield key, payload


def shown_whole(amount: str, text: str) -> bool:
    """``amount`` (a JSON amount) appears in ``text`` in the Danish format, as a whole number."""
    danish = number(Decimal(amount), "da")
    if danish.startswith("-"):
        pattern = re.escape(danish)
    else:
        pattern = r"(?<![\d.,])[+]?" + re.escape(danish)
    return re.search(pattern + r"(?![\d]|[.,]\d)", text) is not None


@pytest.fixture
def copies(data_copy: Path, fixture_copy: Path) -> dict[str, Path]:
    return {"shipped": data_copy, "fixture": fixture_copy}


def test_the_amount_matcher() -> None:
    assert shown_whole("713206.32", "  Esbjerg   713.206,32  ")
    assert not shown_whole("713206.32", "  Esbjerg   713.20")
    assert not shown_whole("1868707.00", "1.868.70")
    assert not shown_whole("13206.32", "713.206,32")
    assert shown_whole("0.01", "(forskel +0,01 kr.)")
    assert shown_whole("-798.33", "-798,33")
    assert not shown_whole("-798.33", "798,33")


@pytest.mark.parametrize(("data", "args"), TABLE_COMMANDS, ids=[" ".join(a) for _, a in TABLE_COMMANDS])
def test_every_amount_of_the_json_is_whole_in_the_text_at_every_width(cli, copies, data, args) -> None:  # type: ignore[no-untyped-def]
    folder = str(copies[data])
    as_json = cli(*args, "--json", "--data", folder)
    assert as_json.code in (0, 1), as_json.err
    payload = json.loads(as_json.out)
    wanted = [(key, value) for key, value in amounts(payload)
              if key not in NOT_IN_TEXT and not (key in SHOWN_WHEN_NOT_ZERO and Decimal(value) == 0)]
    assert wanted, "the command's JSON has no amounts"
    for width in WIDTHS:
        result = cli(*args, "--data", folder, env={"COLUMNS": str(width)})
        assert result.code == as_json.code, result.err
        missing = [f"{key}={value}" for key, value in wanted if not shown_whole(value, result.out)]
        assert not missing, f"at {width} columns these amounts are not shown whole: {missing}\n{result.out}"
        too_wide = [line for line in result.out.splitlines() if len(line) > width]
        assert not too_wide, f"lines wider than {width} columns:\n" + "\n".join(too_wide)


def test_output_that_is_not_a_terminal_is_not_wrapped(cli) -> None:  # type: ignore[no-untyped-def]
    piped = cli("status", "Sydvestjylland")  # captured: not a terminal, no COLUMNS
    notes = [line for line in piped.out.splitlines() if line.startswith("• ")]
    assert notes and any(len(line) > 120 for line in notes)
    following = piped.out.splitlines()
    for index, line in enumerate(following[:-1]):
        if line.startswith("• "):
            assert not following[index + 1].startswith("  "), "a note continues on the next line"


def test_the_narrow_layouts() -> None:
    """Short names and headers first, then dealt-out columns, then one block per row."""
    from klyngefond.core.text import Name
    from klyngefond.render.table import Column, Table, amount_column, render_text

    rows = tuple((Name(f"{n} Kommune", n), Decimal("1572656.00"), Decimal("655288.18"), Decimal("917367.82"))
                 for n in ("Esbjerg", "Fanø"))
    table = Table((Column("Part"), amount_column("Klyngemidler"), amount_column("Til rådighed efter", "Efter"),
                   amount_column("Resterende")), rows, totals=("I alt", Decimal(1), Decimal(2), Decimal(3)))
    wide = render_text(table, "da", 120)
    assert "Esbjerg Kommune" in wide and "Til rådighed efter" in wide
    narrow = render_text(table, "da", 56)
    assert "Esbjerg Kommune" not in narrow and "  Esbjerg  " in narrow and "Efter" in narrow
    dealt = render_text(table, "da", 40)
    assert dealt.count("  Part") == 2 and "Klyngemidler" in dealt and "Resterende" in dealt
    blocks = render_text(table, "da", 32)
    assert blocks.splitlines()[0] == "Esbjerg Kommune"
    assert "  Klyngemidler" in blocks and "1.572.656,00" in blocks
    assert all(len(line) <= 32 for line in blocks.splitlines())
    piped = render_text(table, "da", None)
    assert "Esbjerg Kommune" in piped and "Til rådighed efter" in piped


@pytest.mark.parametrize("columns", ["\u00b2\u00b2", "\u0661\u0660\u0660", "abc", "-5"])
def test_a_columns_value_that_is_not_a_width_is_ignored(cli, columns: str) -> None:
    result = cli("status", "Sydvestjylland", env={"COLUMNS": columns})
    assert result.code == 0, result.text
    assert "1.874.400,00" in result.out
