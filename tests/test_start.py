"""Getting started without hand-editing: init writes a commented cluster file, receive records a
year's state money, examples copies the examples out; the examples themselves are never written to,
also after a plain (non-editable) install."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

PARTNERS = ["--partner", "Esbjerg Kommune", "--partner", "Fanø Kommune", "--partner", "region-syddanmark=Region Syddanmark:region",
            "--partner", "plo=PLO:almen praksis"]


def toml_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*.toml")}


# --------------------------------------------------------------------------- init


def test_init_from_options_writes_a_commented_cluster_file_that_status_reads(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    result = cli("init", "Sundhedsklynge Vesterhavet", "--data", str(data), "--region", "Region Syddanmark", *PARTNERS)
    assert result.code == 0, result.err
    target = data / "vesterhavet" / "cluster.toml"
    assert "Oprettede" in result.out and "4 parter" in result.out
    assert f"klyngefond receive vesterhavet esbjerg BELØB --year ÅR --record --data {data}" in result.out
    content = target.read_text(encoding="utf-8")
    assert content.startswith("# Sundhedsklynge Vesterhavet — klyngefilen, som redigeres i hånden.")
    assert "# Til fakturering skal hver part også have cvr, ean og adresse" in content
    raw = tomllib.loads(content)
    assert raw["id"] == "vesterhavet" and raw["region"] == "Region Syddanmark"
    assert [(p["id"], p["kind"], p.get("short_name")) for p in raw["partners"]] == [
        ("esbjerg", "kommune", "Esbjerg"), ("fanoe", "kommune", "Fanø"), ("region-syddanmark", "region", None),
        ("plo", "almen praksis", None)]
    status = cli("status", "Vesterhavet", "--data", str(data), "--json")
    assert status.code == 0, status.err
    assert json.loads(status.out)["cluster"] == {"id": "vesterhavet", "name": "Sundhedsklynge Vesterhavet"}


def test_init_never_writes_over_an_existing_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    assert cli("init", "Vesterhavet", "--data", str(data), "--region", "Region Syddanmark", *PARTNERS).code == 0
    target = data / "vesterhavet" / "cluster.toml"
    before = target.read_bytes()
    again = cli("init", "Vesterhavet", "--data", str(data), "--region", "Region Nordjylland", "--partner", "Aalborg Kommune")
    assert again.code == 1
    assert "findes allerede og er ikke rørt" in again.err
    assert target.read_bytes() == before


def test_init_in_english_writes_english_comments(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("init", "Vesterhavet", "--data", str(tmp_path), "--region", "Region Syddanmark", *PARTNERS, "--lang", "en")
    assert result.code == 0 and "Created" in result.out
    assert "# Vesterhavet — the cluster file, edited by hand." in (tmp_path / "vesterhavet" / "cluster.toml").read_text()


@pytest.mark.parametrize(("args", "message"), [
    ([], "klyngefond init mangler --region og --partner"),
    (["--region", "Region Syddanmark"], "klyngefond init mangler --partner"),
    (["--region", "R", "--partner", "Aalborg"], "skriv, om det er en kommune, en region eller almen praksis"),
    (["--region", "R", "--partner", "aalborg=Aalborg:by"], "ukendt art «by»"),
    (["--region", "R", "--partner", "plo=PLO:almen praksis"], "mindst én part skal være en kommune eller en region"),
    (["--region", "R", "--partner", "Aalborg Kommune", "--partner", "aalborg=Aalborg:kommune"], "parten aalborg er angivet to gange"),
    (["--region", "R", "--partner", "Ål/borg=Aalborg:kommune"], "--partner"),
])
def test_init_without_a_terminal_says_what_is_missing_or_wrong(cli, tmp_path: Path, args, message) -> None:  # type: ignore[no-untyped-def]
    result = cli("init", "Vesterhavet", "--data", str(tmp_path), *args)
    assert result.code == 2
    assert message in result.err
    assert not (tmp_path / "vesterhavet").exists()


class Terminal(io.StringIO):
    """Answers typed at a terminal."""

    def isatty(self) -> bool:
        return True


def test_init_on_a_terminal_asks_in_danish(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = "Region Syddanmark\nAalborg\nEsbjerg Kommune\nplo=PLO:almen praksis\n\n"
    monkeypatch.setattr(sys, "stdin", Terminal(answers))
    result = cli("init", "Vesterhavet", "--data", str(tmp_path))
    assert result.code == 0, result.err
    assert "Region (fx Region Syddanmark): " in result.out
    assert "Part 1: " in result.out
    assert "skriv, om det er en kommune, en region eller almen praksis; prøv igen." in result.out
    raw = tomllib.loads((tmp_path / "vesterhavet" / "cluster.toml").read_text())
    assert [p["id"] for p in raw["partners"]] == ["esbjerg", "plo"]


def test_init_refuses_the_examples(cli) -> None:  # type: ignore[no-untyped-def]
    from klyngefond.storage.locate import SHIPPED_DATA

    result = cli("init", "Ny", "--data", str(SHIPPED_DATA), "--region", "R", "--partner", "Aalborg Kommune")
    assert result.code == 1 and "eksempeldata" in result.err
    assert not (SHIPPED_DATA / "ny").exists()


# --------------------------------------------------------------------------- receive


def test_receive_shows_the_effect_and_records_a_new_file_with_record(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    before = toml_files(fixture_copy)
    dry = cli("receive", "Vesterhavet", "havby", "1.000.000", "--announced", "1.000.500", "--year", "2024", "--date", "2024-02-01",
              "--data", str(fixture_copy))
    assert dry.code == 0, dry.err
    assert "forslag: klyngemidler til Havby Kommune for 2024" in dry.out
    assert "Udmeldt 1.000.500,00 kr., modtaget 1.000.000,00 kr. (forskel -500,00 kr.)" in dry.out
    assert toml_files(fixture_copy) == before
    done = cli("receive", "Vesterhavet", "Havby Kommune", "1.000.000", "--announced", "1.000.500", "--year", "2024",
               "--date", "2024-02-01", "--record", "--data", str(fixture_copy))
    assert done.code == 0, done.err
    assert toml_files(fixture_copy) - before == {"vesterhavet/allocations/2024-havby-modtaget.toml"}
    assert "Gemt i" in done.out
    status = json.loads(cli("status", "Vesterhavet", "--year", "2024", "--json", "--data", str(fixture_copy)).out)
    havby = next(p for p in status["partners"] if p["id"] == "havby")
    assert havby["allocated"] == "1000000.00"
    again = cli("receive", "Vesterhavet", "havby", "1.000.000", "--year", "2024", "--date", "2024-02-01", "--record",
                "--data", str(fixture_copy))
    assert again.code == 1
    assert "allocations/2024-havby-modtaget.toml" in again.err
    assert toml_files(fixture_copy) - before == {"vesterhavet/allocations/2024-havby-modtaget.toml"}


def test_receive_only_announced_and_in_english(cli, fixture_copy: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("receive", "Vesterhavet", "klitby", "--announced", "500.000", "--year", "2024", "--record", "--lang", "en",
                 "--data", str(fixture_copy))
    assert result.code == 0, result.err
    assert "Only announced" in result.out
    assert (fixture_copy / "vesterhavet" / "allocations" / "2024-klitby-announced.toml").exists()


@pytest.mark.parametrize(("args", "code", "message"), [
    (["havby", "--year", "2024"], 2, "angiv det modtagne beløb"),
    (["havby", "100"], 2, "tilvalget --year mangler"),
    (["nowhere", "100", "--year", "2024"], 2, "ukendt part «nowhere»"),
    (["plo", "100", "--year", "2024"], 2, "er almen praksis og har ingen klyngemidler"),
    (["havby", "-100", "--year", "2024"], 2, "ukendt tilvalg -1"),
    (["havby", "100,005", "--year", "2024"], 2, "mere end to decimaler"),
    (["havby", "100", "--year", "20x4"], 2, "er ikke et år"),
    (["havby", "100", "--year", "2024", "--date", "2099-01-01", "--record"], 1, "afvist"),
])
def test_receive_refusals(cli, fixture_copy: Path, args, code, message) -> None:  # type: ignore[no-untyped-def]
    before = toml_files(fixture_copy)
    result = cli("receive", "Vesterhavet", *args, "--data", str(fixture_copy))
    assert result.code == code, result.err
    assert message in result.err
    assert toml_files(fixture_copy) == before


# --------------------------------------------------------------------------- examples and the read-only examples


def test_examples_copies_every_example_once(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "mine"
    result = cli("examples", str(target))
    assert result.code == 0, result.err
    assert sorted(p.name for p in target.iterdir()) == ["holbaek", "midt", "naestved-slagelse", "nykoebing-falster",
                                                          "roskilde-koege", "sydvestjylland", "vesterhavet"]
    assert "vesterhavet — Testklynge Vesterhavet (fiktiv)" in result.out
    assert f"klyngefond status Vesterhavet --data {target}" in result.out
    assert (target / "vesterhavet" / "cluster.toml").read_bytes() == (REPO / "klyngefond" / "examples" / "fictional" /
                                                                     "vesterhavet" / "cluster.toml").read_bytes()
    recorded = cli("receive", "Vesterhavet", "havby", "1.000", "--year", "2024", "--date", "2024-02-01", "--record",
                   "--data", str(target))
    assert recorded.code == 0, recorded.err
    again = cli("examples", str(target))
    assert again.code == 1 and "findes allerede; intet er kopieret" in again.err


def test_recording_into_the_examples_is_refused_and_says_how_to_start(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no ./data here: the examples inside the package are read
    assert cli("status", "Sydvestjylland").code == 0
    result = cli("receive", "Sydvestjylland", "esbjerg", "1.000", "--year", "2024", "--date", "2024-02-01", "--record")
    assert result.code == 1
    for words in ("eksempeldata", "klyngefond init", "klyngefond examples", "--data", "KLYNGEFOND_DATA"):
        assert words in result.err
    english = cli("receive", "Sydvestjylland", "esbjerg", "1.000", "--year", "2024", "--record", "--lang", "en")
    assert english.code == 1 and "example data" in english.err and "klyngefond init" in english.err


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel, as ``pip install .`` builds it."""
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(out)],
                           capture_output=True, text=True)
    if built.returncode != 0:
        pytest.skip(f"pip could not build the wheel here (no build backend available): {built.stderr.strip()[-300:]}")
    return next(out.glob("klyngefond-*.whl"))


def test_a_wheel_install_has_the_examples_reads_them_and_refuses_to_write_them(wheel: Path, tmp_path: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n for n in names if n.startswith("klyngefond/examples/")}
    expected = {str(p.relative_to(REPO)) for p in (REPO / "klyngefond" / "examples").rglob("*.toml")}
    assert expected <= shipped
    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)  # what pip install puts in site-packages for a pure wheel
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed), "KLYNGEFOND_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KLYNGEFOND_DATA", None)
    env.pop("KLYNGEFOND_LANG", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "klyngefond", *args], cwd=elsewhere, env=env, capture_output=True, text=True)

    where = subprocess.run([sys.executable, "-c", "import klyngefond; print(klyngefond.__file__)"], cwd=elsewhere, env=env,
                           capture_output=True, text=True)
    assert where.stdout.strip().startswith(str(installed))
    status = run("status", "Sydvestjylland")
    assert status.returncode == 0, status.stderr
    assert "2.728.707,00" in status.stdout
    refused = run("allocate", "Sydvestjylland", "--name", "Ny", "--amount", "1.000", "--owner", "esbjerg", "--record",
                  "--date", "2024-11-11", "--level", "politisk")
    assert refused.returncode == 1
    assert "eksempeldata" in refused.stderr and "klyngefond init" in refused.stderr
    assert not list((installed / "klyngefond" / "examples").rglob("ny.toml"))
    copied = run("examples", "data")
    assert copied.returncode == 0, copied.stderr
    assert run("receive", "Vesterhavet", "havby", "1.000", "--year", "2024", "--date", "2024-02-01", "--record").returncode == 0
