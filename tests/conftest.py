"""Shared test set-up: the command line run in-process as a user types it, and copies of the data."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "klyngefond" / "examples"
SHIPPED_DATA = EXAMPLES / "data"  # the clusters of the meeting papers; ./data in the repository points here
FIXTURE_DATA = EXAMPLES / "fictional"  # the fictional cluster vesterhavet, with full partner details


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No setting of the person running the tests leaks in, and nothing a test writes lands in the repository:
    every test runs in its own empty folder (documents default to ./fakturaer, packs to ./)."""
    for name in ("KLYNGEFOND_DATA", "KLYNGEFOND_LANG", "KLYNGEFOND_DEBUG", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KLYNGEFOND_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))  # beside tmp_path, which tests expect to find empty


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """``cli("status", "Sydvestjylland")``: run klyngefond as typed, return exit code, stdout, stderr."""
    from klyngefond.cli.main import main

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder."""
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, target)
    return target


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the fictional fixture cluster(s) with full partner details."""
    target = tmp_path / "fixture-data"
    shutil.copytree(FIXTURE_DATA, target)
    return target
