"""The robustness corpus: malformed data files and command lines, each refused the same way.

For every case: the exit code is 1 (the data, or a refusal) or 2 (the command line); there
is no Python traceback and no "intern fejl"/"internal error"; the message names the file
and the key (for a file) or the option (for a command line); and nothing on disk changed,
not even under a writing command. ``len(FILE_CASES) + len(COMMAND_CASES)`` is the corpus size.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from robust_helpers import assert_clean_failure, fingerprint, fresh_copy

from klyngefond.cli.main import main

G = """name = "Ny indsats"
owner = "region-vest"
year = 2023
granted = 1000
decision = { level = "politisk", date = 2023-05-02 }

[financing]
model = "solidarity"
"""


def grant(old: str, new: str) -> str:
    assert old in G, old
    return G.replace(old, new, 1)


C = (Path(__file__).resolve().parents[2] / "klyngefond" / "examples" / "fictional" / "vesterhavet" / "cluster.toml").read_text("utf-8")


def cluster(old: str, new: str) -> str:
    assert old in C, old
    return C.replace(old, new, 1)


CHANGE = 'kind = "top-up"\ngrant = "akutteam"\namount = 1000\ndecision = { level = "politisk", date = 2023-06-01 }\n'
CARRY = 'from_year = 2023\nto_year = 2024\n'
PAYMENT = 'invoice = "HAV-2024-0001"\ndate = 2024-02-01\namount = 100\n'
ANNUL = 'record = "grants/akutteam"\ndate = 2023-06-01\nreason = "fejl"\n'
INVOICE = ('kind = "invoice"\nissuer = "region-vest"\nrecipient = "havby"\ngrant = "akutteam"\namount = 10\n'
           'issue_date = 2024-01-15\ndue_date = 2024-02-14\n')

# (file, content (None: remove the file), the key named after the file, or None for the whole file, a fragment of the message)
FILE_CASES = [
    # amounts
    ("grants/ny.toml", grant("granted = 1000", "granted = 1e30"), "granted", "1.000.000.000.000,00"),
    ("grants/ny.toml", grant("granted = 1000", "granted = 1e1000"), "granted", "ikke et tal"),
    ("grants/ny.toml", grant("granted = 1000", "granted = nan"), "granted", "ikke et tal"),
    ("grants/ny.toml", grant("granted = 1000", "granted = -inf"), "granted", "ikke et tal"),
    ("grants/ny.toml", grant("granted = 1000", "granted = -5"), "granted", "negativ"),
    ("grants/ny.toml", grant("granted = 1000", 'granted = "12,50"'), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", 'granted = "１２３"'), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", 'granted = "١٢٣"'), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", 'granted = "१२३"'), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", "granted = 0.001"), "granted", "decimaler"),
    ("grants/ny.toml", grant("granted = 1000", "granted = 99999999999999999999999999999999"), "granted", "1.000.000.000.000,00"),
    ("grants/ny.toml", grant("granted = 1000", "granted = 1000000000000.01"), "granted", "1.000.000.000.000,00"),
    ("grants/ny.toml", grant("granted = 1000", 'granted = "1000000000000.01"'), "granted", "1.000.000.000.000,00"),
    ("grants/ny.toml", grant("granted = 1000", "granted = true"), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", "granted = [1, 2]"), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", "granted = { kr = 1 }"), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", 'granted = "1e5"'), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", 'granted = "0x10"'), "granted", "ikke et beløb"),
    ("grants/ny.toml", grant("granted = 1000", "granted = 1000\napplied = -1"), "applied", "negativ"),
    # dates and years
    ("grants/ny.toml", grant("date = 2023-05-02", "date = 9999-12-31"), "decision.date", "1990–2100"),
    ("grants/ny.toml", grant("date = 2023-05-02", "date = 1899-01-01"), "decision.date", "1990–2100"),
    ("grants/ny.toml", grant("date = 2023-05-02", "date = 2023-05-02T10:00:00"), "decision.date", "klokkeslæt"),
    ("grants/ny.toml", grant("date = 2023-05-02", 'date = "02-05-2023"'), "decision.date", "ikke en dato"),
    ("grants/ny.toml", grant("date = 2023-05-02", "date = 20230502"), "decision.date", "ikke en dato"),
    ("grants/ny.toml", grant("year = 2023", "year = 2023\nend_date = 2101-01-01"), "end_date", "1990–2100"),
    ("grants/ny.toml", grant("date = 2023-05-02", "date = 2024-02-30"), None, "TOML"),
    ("grants/ny.toml", grant("year = 2023", "year = 9999"), "year", "2100"),
    ("grants/ny.toml", grant("year = 2023", 'year = "2023-2022"'), "year", "2023"),
    ("grants/ny.toml", grant("year = 2023", 'year = "tyve"'), "year", "tyve"),
    ("grants/ny.toml", grant("year = 2023", "year = true"), "year", "True"),
    ("grants/ny.toml", grant("year = 2023", 'year = "２０２３"'), "year", "２０２３"),
    # names and text
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = ""'), "name", "tom"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "   "'), "name", "tom"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny\\u001b]0;titel\\u0007"'), "name", "U+001B"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "\\u001b]52;c;cm0gLXJm\\u0007Ny"'), "name", "U+001B"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny\\u009b2J"'), "name", "U+009B"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny\\u202eindsats"'), "name", "U+202E"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny\\uFFFEindsats"'), "name", "U+FFFE"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny\\nindsats"'), "name", "U+000A"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny\\u2028indsats"'), "name", "U+2028"),
    ("grants/ny.toml", grant('name = "Ny indsats"', f'name = "{"x" * 301}"'), "name", "300"),
    ("grants/ny.toml", grant('name = "Ny indsats"', "name = 5"), "name", "tekst i anførselstegn"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny"\nnotes = "en note"'), "notes", "liste"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny"\nnotes = [1]'), "notes[1]", "tekst i anførselstegn"),
    ("grants/ny.toml", grant('name = "Ny indsats"', 'name = "Ny"\ncondition = "a\\u0000b"'), "condition", "U+0000"),
    # ids, references, choices, keys
    ("grants/ny.toml", grant('owner = "region-vest"', 'owner = "ukendt"'), "owner", "ukendt part"),
    ("grants/ny.toml", grant('owner = "region-vest"', 'owner = "Region Vest"'), "owner", "Region Vest"),
    ("grants/ny.toml", grant('owner = "region-vest"', 'owner = "../../etc"'), "owner", "../../etc"),
    ("grants/ny.toml", grant('model = "solidarity"', 'model = "magi"'), "financing.model", "magi"),
    ("grants/ny.toml", grant('model = "solidarity"', 'fixed = 1'), "financing.model", "mangler"),
    ("grants/ny.toml", grant("[financing]\nmodel = \"solidarity\"\n", 'financing = "solidarity"\n'), "financing", "tabel"),
    ("grants/ny.toml", grant("granted = 1000", "grnated = 1000"), "grnated", "granted"),
    ("grants/ny.toml", grant("granted = 1000", "granted = 1000\nid = \"en-anden\""), "id", "ny.toml"),
    ("grants/ny.toml", grant('level = "politisk"', 'level = "kongeligt"'), "decision.level", "kongeligt"),
    ("grants/ny.toml", grant("decision = { level = \"politisk\", date = 2023-05-02 }",
                             "decision = { level = \"politisk\", date = 2023-05-02, hvem = 1 }"), "decision.hvem", "kendt nøgle"),
    ("grants/Ny Indsats.toml", G, "id", "Ny Indsats"),
    ("grants/bevægelse.toml", G, "id", "bevægelse"),
    # whole files
    ("grants/ny.toml", b"\xff\xfe\x00n\x00a", None, "UTF-8"),
    ("grants/ny.toml", 'name = "Ny', None, "TOML"),
    ("grants/ny.toml", "granted = " + "[" * 5000 + "]" * 5000, None, "for dybt"),
    ("grants/ny.toml", "# fyld\n" * 200_000, None, "1000000"),
    ("grants/ny.toml", "", "name", "mangler"),
    ("grants/ny.toml", b'name = "a\x00b"', None, "TOML"),
    ("grants/ny.toml", "granted = 2\n" + G, None, "TOML"),
    ("grants/ny.toml", G + "[financing]\nmodel = \"solidarity\"\n", None, "TOML"),
    ("grants/ny.toml", "\ufeff" + G.replace("granted = 1000", "granted = 1e30"), "granted", "1.000.000.000.000,00"),
    ("grants/ny.toml", "[[x]]\n" * 3, "x", "kendt nøgle"),
    # the cluster file
    ("cluster.toml", cluster('id = "klitby"', 'id = "havby"'), "partners (havby)", "to gange"),
    ("cluster.toml", cluster('cvr = "12345607"', 'cvr = "12a45607"'), "partners[1] (havby).cvr", "12a45607"),
    ("cluster.toml", cluster("received = 1000000", "received = 1e30"), "allocations[1] (havby).received", "1.000.000.000.000,00"),
    ("cluster.toml", cluster('partner = "havby"', 'partner = "nowhere"'), "allocations[1] (nowhere).partner", "ukendt part"),
    ("cluster.toml", cluster('name = "Testklynge Vesterhavet"', 'name = "Klynge\\u001b[2J"'), "name", "U+001B"),
    ("cluster.toml", cluster("year = 2023", "year = 2200"), "allocations[1] (havby).year", "2200"),
    ("cluster.toml", cluster('id = "vesterhavet"', 'id = "Vesterhavet Klynge"'), "id", "Vesterhavet Klynge"),
    ("cluster.toml", cluster('kind = "kommune"', 'kind = "by"'), "partners[1] (havby).kind", "by"),
    ("cluster.toml", C + "\n[[groups]]\nid = \"g\"\nname = \"G\"\nmembers = [\"ingen\"]\n", "groups[1] (g).members", "ukendt part"),
    ("cluster.toml", C.replace('id = "vesterhavet"', 'id = "vesterhavet'), None, "TOML"),
    ("cluster.toml", None, None, "ingen cluster.toml"),
    # the other record folders
    ("changes/c.toml", CHANGE.replace('grant = "akutteam"', 'grant = "findes-ikke"'), "grant", "ukendt bevilling"),
    ("changes/c.toml", CHANGE.replace('"top-up"', '"gave"'), "kind", "gave"),
    ("changes/c.toml", CHANGE.replace("amount = 1000", "amount = 1e30"), "amount", "1.000.000.000.000,00"),
    ("changes/c.toml", CHANGE.replace("2023-06-01", "9999-12-31"), "decision.date", "1990–2100"),
    ("carryovers/k.toml", CARRY.replace("to_year = 2024", "to_year = 9999"), "to_year", "9999"),
    ("carryovers/k.toml", CARRY + 'partner = "ukendt"\n', "partner", "ukendt part"),
    ("carryovers/k.toml", CARRY + "amount = -1\n", "amount", "negativ"),
    ("invoices/vesterhavet-havby-0099.toml", INVOICE.replace('grant = "akutteam"', 'grant = "findes-ikke"'), "grant", "ukendt bevilling"),
    ("invoices/vesterhavet-havby-0099.toml", INVOICE.replace('"invoice"', '"gave"'), "kind", "gave"),
    ("invoices/vesterhavet-havby-0099.toml", INVOICE.replace("amount = 10", "amount = 1e30"), "amount", "1.000.000.000.000,00"),
    ("invoices/vesterhavet-havby-0099.toml", INVOICE + 'number = "andet"\n', "number", "andet"),
    ("payments/p.toml", PAYMENT.replace("0001", "0999"), "invoice", "HAV-2024-0999"),
    ("payments/p.toml", PAYMENT.replace("amount = 100", "amount = -1"), "amount", "negativ"),
    ("payments/p.toml", PAYMENT.replace("2024-02-01", "3000-01-01"), "date", "1990–2100"),
    ("refunds/r.toml", PAYMENT.replace("amount = 100", 'amount = "١٠٠"'), "amount", "ikke et beløb"),
    ("annulments/a.toml", ANNUL.replace("grants/akutteam", "grants/../../etc/passwd"), "record", "grants/../../etc/passwd"),
    ("annulments/a.toml", ANNUL.replace("grants/akutteam", "grants/findes-ikke"), "record", "grants/findes-ikke"),
    ("annulments/a.toml", ANNUL.replace('"fejl"', '"fejl\\u001b[2J"'), "reason", "U+001B"),
    ("allocations/a.toml", 'partner = "havby"\nyear = 1800\nreceived = 10\n', "year", "1800"),
    ("allocations/a.toml", 'partner = "havby"\nyear = 2024\n', None, "udmeldt"),
    ("reference.toml", "figure = 5\n", "figure", "liste"),
    ("reference.toml", '[[figure]]\nmeasure = "x"\nvalue = 1e30\n', "figure[1]", ""),
]

ISSUED = "HAV-2024-0001"
RECORD_GRANT = ["allocate", "Vesterhavet", "--name", "Ny indsats", "--owner", "region-vest", "--date", "2023-05-02",
                "--level", "politisk", "--record"]


def allocate(**change: str) -> list[str]:
    args = ["allocate", "Vesterhavet", "--name", "Ny indsats", "--amount", "1000", "--owner", "region-vest",
            "--date", "2023-05-02", "--level", "politisk", "--record"]
    for option, value in change.items():
        flag = "--" + option.replace("_", "-")
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    return args


# (command line, exit code, the option (or argument) named, a fragment of the message)
COMMAND_CASES = [
    # amounts typed
    (allocate(amount="123456789012345678901234567890123"), 2, "--amount", "1.000.000.000.000,00"),
    (allocate(amount="1e30"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="１２３"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="١٢٣"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="۱۲۳"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="-5"), 2, "--amount", "negativ"),
    (allocate(amount="0"), 2, "--amount", "0"),
    (allocate(amount="NaN"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="inf"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="1_000"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="1.2.3"), 2, "--amount", "ikke et beløb"),
    (allocate(amount="12,345"), 2, "--amount", "decimaler"),
    (allocate(amount=""), 2, "--amount", "ikke et beløb"),
    (allocate(amount="1000000000000,01"), 2, "--amount", "1.000.000.000.000,00"),
    (allocate(model="fixed-plus-pro-rata", fixed="region-vest=99999999999999999999999999999999"), 2, "--fixed region-vest",
     "1.000.000.000.000,00"),
    (allocate(model="fixed-plus-pro-rata", fixed="region-vest"), 2, "--fixed", "region-vest"),
    (allocate(model="explicit", share="havby=١٠٠"), 2, "--share havby", "ikke et beløb"),
    (["transfer", "Vesterhavet", "akutteam", "palliation", "99999999999999999999999999999999", "--date", "2023-06-01",
      "--level", "politisk", "--record"], 2, "BELØB", "1.000.000.000.000,00"),
    (["topup", "Vesterhavet", "akutteam", "１０００", "--date", "2023-06-01", "--level", "politisk", "--record"], 2, "BELØB",
     "ikke et beløb"),
    (["pay", ISSUED, "--date", "2024-02-01", "--amount", "99999999999999999999999999999999"], 2, "--amount", "1.000.000.000.000,00"),
    (["pay", ISSUED, "--date", "2024-02-01", "--amount", "٥٠"], 2, "--amount", "ikke et beløb"),
    (["refund", ISSUED, "--date", "2024-02-01", "--amount", "1e3"], 2, "--amount", "ikke et beløb"),
    # dates and years typed
    (allocate(date="9999-12-31"), 2, "--date", "1990–2100"),
    (allocate(date="1899-01-01"), 2, "--date", "1990–2100"),
    (allocate(date="2024-02-30"), 2, "--date", "ikke en dato"),
    (allocate(date="31-12-99"), 2, "--date", "ikke en dato"),
    (allocate(date="i morgen"), 2, "--date", "ikke en dato"),
    (allocate(date="２０２４-０１-０１"), 2, "--date", "ikke en dato"),
    (allocate(year="1800"), 2, "--year", "1800"),
    (allocate(year="2023-2022"), 2, "--year", "2023"),
    (allocate(year="٢٠٢٣"), 2, "--year", "٢٠٢٣"),
    (["pay", ISSUED, "--date", "9999-12-31"], 2, "--date", "1990–2100"),
    (["invoices", "Vesterhavet", "--issue", "--date", "9999-12-31"], 2, "--date", "1990–2100"),
    (["invoices", "Vesterhavet", "--issue", "--due-days", "٣٠"], 2, "٣٠", ""),
    (["invoices", "Vesterhavet", "--issue", "--due-days", "99999999999999999999"], 2, "99999999999999999999", ""),
    (["carryover", "Vesterhavet", "--from", "2023", "--to", "9999", "--date", "2024-01-05", "--level", "politisk", "--record"], 2,
     "--to", "9999"),
    (["status", "Vesterhavet", "--as-of", "0000-01-01"], 2, "--as-of", "ikke en dato"),
    # text typed
    (allocate(name="Ny\x1b]0;titel\x07"), 2, "--name", "U+001B"),
    (allocate(name="\x1b]52;c;cm0gLXJm\x07Ny"), 2, "--name", "U+001B"),
    (allocate(name="Ny\u202eindsats"), 2, "--name", "U+202E"),
    (allocate(name="Ny\ufffeindsats"), 2, "--name", "U+FFFE"),
    (allocate(name="Ny\udcffindsats"), 2, "--name", "U+DCFF"),
    (allocate(name="Ny\nindsats"), 2, "--name", "U+000A"),
    (allocate(name=""), 2, "--name", "tom"),
    (allocate(name="../../etc/passwd"), 2, "--name", "../../etc/passwd"),
    (allocate(name="x" * 301), 2, "--name", "300"),
    (allocate(reference="sag\x1b[2J"), 2, "--reference", "U+001B"),
    (allocate(note="\x9b2J"), 2, "--note", "U+009B"),
    (["pay", ISSUED, "--date", "2024-02-01", "--note", "\x1b[2J"], 2, "--note", "U+001B"),
    (allocate(id="../x"), 2, "--id", "../x"),
    (allocate(id="Ny Indsats"), 2, "--id", "Ny Indsats"),
    # names that match nothing, choices that do not exist
    (allocate(owner="ukendt"), 2, "--owner", "ukendt"),
    (allocate(owner="plo"), 2, "--owner", "PLO"),
    (allocate(level="kongeligt"), 2, "--level", "kongeligt"),
    (allocate(model="magi"), 2, "--model", "magi"),
    (["status", "Atlantis"], 2, "Atlantis", "Vesterhavet"),
    (["status", "\x1b]0;titel\x07"], 2, "titel", ""),
    (["pay", "../../etc/passwd", "--date", "2024-02-01"], 2, "../../etc/passwd", ""),
    (["pay", "vesterhavet-havby-9999", "--date", "2024-02-01"], 2, "vesterhavet-havby-9999", ""),
    (["annul", "Vesterhavet", "grants/../../x", "--reason", "fejl", "--date", "2023-06-01", "--record"], 2, "grants/../../x", ""),
    (["invoices", "Vesterhavet", "--format", "xml"], 2, "xml", ""),
    (["status", "Vesterhavet", "--lang", "xx"], 2, "xx", ""),
    (["status", "Vesterhavet", "--ingen-sådan"], 2, "--ingen-sådan", ""),
]


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture cluster with its invoices issued (once for the module)."""
    work = tmp_path_factory.mktemp("issued")
    data = fresh_copy(work / "data")
    cwd = Path.cwd()
    os.chdir(work)
    try:
        main(["invoices", "Vesterhavet", "--issue", "--date", "2024-01-15", "--data", str(data)])
    except SystemExit as exc:
        assert not exc.code, exc
    finally:
        os.chdir(cwd)
    return data


def _ids(cases: list, named: int) -> list[str]:  # type: ignore[type-arg]
    """``007-grants/ny.toml-granted`` or ``042-allocate--amount``: where, and what is wrong."""
    out = []
    for index, case in enumerate(cases):
        where = case[0] if isinstance(case[0], str) else case[0][0]
        out.append(f"{index:03d}-{where}-{case[named]}".encode("ascii", "backslashreplace").decode())
    return out


def test_the_corpus_has_at_least_a_hundred_cases() -> None:
    assert len(FILE_CASES) + len(COMMAND_CASES) >= 100


@pytest.mark.parametrize(("file", "content", "key", "fragment"), FILE_CASES, ids=_ids(FILE_CASES, 2))
def test_a_malformed_data_file(cli, issued: Path, tmp_path: Path, file: str, content: str | bytes | None, key: str | None,
                               fragment: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(issued, data)
    path = data / "vesterhavet" / file
    path.parent.mkdir(exist_ok=True)
    if content is None:
        path.unlink()
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = fingerprint(data)
    shown = f"vesterhavet/{file}"
    for args in (["status", "Vesterhavet"], RECORD_GRANT[:2] + ["--amount", "1000"] + RECORD_GRANT[2:]):
        result = cli(*args, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert shown in result.text, result.text
        if key is not None:
            assert f"{shown}: {key}" in result.text, result.text
        assert fragment in result.text, result.text
    assert fingerprint(data) == before


@pytest.mark.parametrize(("args", "code", "named", "fragment"), COMMAND_CASES, ids=_ids(COMMAND_CASES, 2))
def test_a_malformed_command_line(cli, issued: Path, tmp_path: Path, args: list[str], code: int, named: str,
                                  fragment: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(issued, data)
    before = fingerprint(data)
    result = cli(*args, "--data", str(data))
    assert_clean_failure(result.text, result.code, code)
    from klyngefond.core.text import visible

    assert visible(named) in result.text or named in result.text, result.text
    assert fragment in result.text, result.text
    assert fingerprint(data) == before
