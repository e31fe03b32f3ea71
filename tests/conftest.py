"""Shared test set-up: every test gets its own ledger cache, and the shipped data is at hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_DATA = REPO / "data"


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the ledger cache out of the user's home and fresh for each test."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("KLYNGEFOND_CACHE_DIR", str(cache))
    monkeypatch.delenv("KLYNGEFOND_DATA", raising=False)
    monkeypatch.delenv("KLYNGEFOND_LANG", raising=False)
    monkeypatch.delenv("KLYNGEFOND_NO_CACHE", raising=False)
    return cache


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder."""
    target = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA, target)
    return target
