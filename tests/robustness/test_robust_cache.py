"""No cache can lie or run code: every answer comes from the data files as they are now.

klyngefond keeps no cache today (the pickle cache of the first versions was removed): every
command reads the cluster's files afresh, and writing commands do so under the cluster's
lock. These tests hold that in place for the day a cache comes back (issue 14): a forged
cache in every place the old one lived changes nothing and runs nothing, no file outside
the data folder is even opened, and an edit that keeps a file's size, modification time
and inode is seen at once, by ``status`` and by ``invoices --issue``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tomllib
from pathlib import Path

import pytest

from robust_helpers import REPO, fresh_copy

ISSUE = ("invoices", "Vesterhavet", "--issue", "--date", "2024-01-15")


class _Forged:
    """Unpickling this creates ``marker``: proof that a cache file was loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return fresh_copy(tmp_path / "data")


def _cache_dirs(tmp_path: Path) -> list[Path]:
    return [tmp_path / "home" / ".cache" / "klyngefond", tmp_path / "xdg" / "klyngefond", Path(os.environ["KLYNGEFOND_CACHE_DIR"])]


def _forge(tmp_path: Path, folder: Path, marker: Path) -> None:
    """A poisoned cache wherever the old cache lived, under the name it used and others."""
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:24]
    payload = pickle.dumps(_Forged(marker))
    for directory in _cache_dirs(tmp_path):
        directory.mkdir(parents=True, exist_ok=True)
        for name in (f"ledger-{digest}.pickle", "ledger.pickle", "cache.pkl", f"{digest}.pickle", "vesterhavet.pickle"):
            (directory / name).write_bytes(payload)


def test_a_forged_cache_changes_nothing_and_runs_nothing(cli, data: Path, tmp_path: Path) -> None:
    clean = cli("status", "Vesterhavet", "--data", str(data))
    marker = tmp_path / "code-ran"
    _forge(tmp_path, data / "vesterhavet", marker)
    for _ in range(2):
        forged = cli("status", "Vesterhavet", "--data", str(data))
        assert (forged.code, forged.out) == (clean.code, clean.out)
    assert cli(*ISSUE, "--data", str(data)).code == 0
    amounts = {tomllib.loads(p.read_text("utf-8"))["amount"] for p in (data / "vesterhavet" / "invoices").glob("[!.]*.toml")}
    assert "98765.42" in amounts and max(map(float, amounts)) < 400000  # the files' split, not a forged one
    assert not marker.exists()


_OPENED: list[str] | None = None


def _record_opens(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if _OPENED is not None and event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, Path)):
        _OPENED.append(os.fsdecode(args[0]))


def test_no_file_outside_the_data_folder_is_read(cli, data: Path, tmp_path: Path) -> None:
    """Apart from Python and klyngefond's own code, a run opens only the data folder, its own private cache
    folder (``docs/cache.md``) and the documents it writes."""
    global _OPENED
    sys.addaudithook(_record_opens)  # hooks cannot be removed; this one records only while _OPENED is a list
    allowed = [data, tmp_path / "fakturaer", Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
               REPO / "klyngefond", Path("/dev"), Path("/proc"), Path("/sys"), Path(os.environ["KLYNGEFOND_CACHE_DIR"])]
    allowed = [p.resolve() for p in allowed] + allowed
    for args in (("status", "Vesterhavet"), ("check", "Vesterhavet"), ("invoices", "Vesterhavet"), ISSUE,
                 ("pay", "HAV-2024-0001", "--date", "2024-02-01"), ("repair", "Vesterhavet")):
        _OPENED = []
        try:
            result = cli(*args, "--data", str(data))
        finally:
            opened, _OPENED = _OPENED, None
        assert result.code == 0, result.text
        assert any(name.endswith("cluster.toml") for name in opened), "the hook saw nothing"
        outside = []
        for name in opened:
            path = Path(name) if os.path.isabs(name) else tmp_path / name
            if not any(path == root or root in path.parents for root in allowed) and path != tmp_path:
                outside.append(name)
        assert outside == [], f"{args[0]} opened {outside}"


def test_an_edit_that_keeps_size_mtime_and_inode_is_seen_at_once(cli, data: Path) -> None:
    grant = data / "vesterhavet" / "grants" / "palliation.toml"
    before = cli("status", "Vesterhavet", "--data", str(data))
    assert "123.456,78" in before.out
    info = os.stat(grant)
    raw = grant.read_bytes()
    edited = raw.replace(b'granted = "123456.78"', b'granted = "100000.00"')
    assert len(edited) == len(raw)
    with open(grant, "r+b") as handle:  # in place: the same inode
        handle.write(edited)
    os.utime(grant, ns=(info.st_atime_ns, info.st_mtime_ns))  # as `touch -r`, `cp -p` or an editor that restores times
    now = os.stat(grant)
    assert (now.st_size, now.st_mtime_ns, now.st_ino) == (info.st_size, info.st_mtime_ns, info.st_ino)
    after = cli("status", "Vesterhavet", "--data", str(data))
    assert after.code == 0 and "100.000,00" in after.out and "123.456,78" not in after.out
    assert cli(*ISSUE, "--data", str(data)).code == 0
    invoices = [tomllib.loads(p.read_text("utf-8")) for p in (data / "vesterhavet" / "invoices").glob("[!.]*.toml")]
    [palliation] = [i for i in invoices if i["grant"] == "palliation"]
    assert palliation["amount"] == "80000.00"  # havby's share of 100.000,00, not of 123.456,78 (98.765,42)
