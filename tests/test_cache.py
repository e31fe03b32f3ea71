"""The cache of parsed records (storage/cache.py): never a stale answer, never code, never someone else's file.

Each test loads a cluster once (which fills the cache), changes something behind the
cache's back, and loads again: the answer must be what the files say now.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest

from klyngefond.core.records import RECORD_FOLDERS, Cluster
from klyngefond.storage import cache
from klyngefond.storage.codec import CodecError, decoder, encode
from klyngefond.storage.loader import load_ledger

from conftest import EXAMPLES

GRANT = """id = "g"
name = "Indsats"
granted = "100000.00"
year = 2024
owner = "a"

[financing]
model = "solidarity"
"""


@pytest.fixture
def cluster(tmp_path: Path) -> Path:
    folder = tmp_path / "data" / "testklynge"
    (folder / "grants").mkdir(parents=True)
    (folder / "cluster.toml").write_text(
        'id = "testklynge"\nname = "Testklynge"\nregion = "Region Test"\n\n'
        '[[partners]]\nid = "a"\nname = "A Kommune"\nkind = "kommune"\n\n'
        '[[partners]]\nid = "r"\nname = "Region Test"\nkind = "region"\n\n'
        '[[allocations]]\npartner = "a"\nyear = 2024\nreceived = 500000\n\n'
        '[[allocations]]\npartner = "r"\nyear = 2024\nreceived = 500000\n', encoding="utf-8")
    (folder / "grants" / "g.toml").write_text(GRANT, encoding="utf-8")
    return folder


def granted(folder: Path, verify: str = "stat") -> Decimal:
    ledger, problems = load_ledger(folder, verify=verify)
    assert ledger is not None, problems
    return ledger.grant("g").granted  # type: ignore[union-attr]


def index(folder: Path) -> cache.FolderIndex:
    found = cache.folder_index(folder)
    assert found is not None
    return found


def edit_in_place(path: Path, old: str, new: str) -> None:
    """Change the bytes of ``path`` without changing its size, inode or modification time."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    with open(path, "r+b") as handle:  # the same inode: no rename
        handle.write(text.replace(old, new).encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)


# --------------------------------------------------------------------------- the round trip


def test_every_example_record_round_trips() -> None:
    """decode(encode(record)) is the record, for every record of every example cluster."""
    count = 0
    for folder in sorted(p for root in ("data", "fictional") for p in (EXAMPLES / root).iterdir() if p.is_dir()):
        ledger, _ = load_ledger(folder, verify="content")
        assert ledger is not None
        for record in (ledger.cluster, *(r for name in RECORD_FOLDERS for r in getattr(ledger, name))):
            assert decoder(type(record))(json.loads(json.dumps(encode(record)))) == record
            count += 1
    assert count > 20


def test_a_cached_load_is_the_same_ledger(cluster: Path) -> None:
    first, _ = load_ledger(cluster)
    again = index(cluster)
    assert len(again.entries) == 2  # the cluster file and the grant
    second, _ = load_ledger(cluster)
    assert second == first
    shutil.copytree(EXAMPLES / "data", cluster.parent / "examples")
    for folder in sorted((cluster.parent / "examples").iterdir()):
        fresh, fresh_problems = load_ledger(folder)
        cached, cached_problems = load_ledger(folder)
        assert cached == fresh and cached_problems == fresh_problems


def test_data_that_does_not_fit_the_record_is_refused() -> None:
    with pytest.raises(CodecError):
        decoder(Cluster)(["too", "few"])
    with pytest.raises(CodecError):
        decoder(RECORD_FOLDERS["grants"])([1] * len(RECORD_FOLDERS["grants"].__dataclass_fields__))


# --------------------------------------------------------------------------- no stale answer


def test_an_edit_that_keeps_size_mtime_and_inode_is_seen(cluster: Path) -> None:
    """The `cp -p` / `touch -r` case: the change time moves, and the identity no longer matches."""
    assert granted(cluster) == Decimal("100000.00")
    time.sleep(0.05)  # past the file system's clock tick, so that only the change time can tell
    edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"200000.00"')
    assert granted(cluster) == Decimal("200000.00")


def test_an_edit_in_the_same_tick_is_seen_even_if_every_time_stamp_stays(cluster: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the file system cannot tell (same size, same time stamps, same inode, even the same
    change time), a file read less than RACY_NS ago is hashed again instead of trusted."""
    assert granted(cluster) == Decimal("100000.00")
    monkeypatch.setattr(cache, "identity", lambda st: (0, 0, 0, 0, 0))  # a file system whose stamps never move
    edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"300000.00"')
    assert granted(cluster) == Decimal("300000.00")


def test_an_old_entry_is_trusted_only_for_an_unchanged_identity(cluster: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the read is old enough, an unchanged identity is trusted (that is the speed-up),
    and a changed one is not."""
    monkeypatch.setattr(cache, "RACY_NS", 0)
    assert granted(cluster) == Decimal("100000.00")
    again = index(cluster)
    assert again.read(cluster / "grants" / "g.toml", RECORD_FOLDERS["grants"], "grants/g.toml").record is not None
    time.sleep(0.05)
    edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"400000.00"')
    assert granted(cluster) == Decimal("400000.00")


def test_writing_commands_trust_only_the_bytes(cluster: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """verify="content" reuses a record only when the bytes read now hash to what it was made from."""
    monkeypatch.setattr(cache, "RACY_NS", -10**20)  # every identity trusted, however recent
    monkeypatch.setattr(cache, "identity", lambda st: (0, 0, 0, 0, 0))  # and every identity the same
    assert granted(cluster) == Decimal("100000.00")
    edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"500000.00"')
    assert granted(cluster) == Decimal("100000.00")  # a reader fooled on purpose, to show what content checks
    assert granted(cluster, verify="content") == Decimal("500000.00")


def test_a_file_with_problems_is_not_cached_and_is_reported_every_time(cluster: Path) -> None:
    (cluster / "grants" / "bad.toml").write_text('id = "bad"\nname = "X"\ngranted = "1.005"\n', encoding="utf-8")
    for _ in range(2):
        _, problems = load_ledger(cluster)
        assert any(p.file == cluster / "grants" / "bad.toml" for p in problems)
    assert "grants/bad.toml" not in index(cluster).entries


def test_a_removed_file_leaves_the_index(cluster: Path) -> None:
    load_ledger(cluster)
    (cluster / "grants" / "g.toml").unlink()
    ledger, _ = load_ledger(cluster)
    assert ledger is not None and ledger.grants == ()
    assert "grants/g.toml" not in index(cluster).entries


# --------------------------------------------------------------------------- nothing believed that we did not write


def _index_file(cluster: Path) -> Path:
    found = index(cluster)
    return found.cache.root / found.name


def test_a_forged_entry_changes_nothing(cluster: Path) -> None:
    """An index edited by hand (or planted) fails its HMAC and is ignored as a whole."""
    assert granted(cluster) == Decimal("100000.00")
    path = _index_file(cluster)
    tag, _, body = path.read_bytes().partition(b"\n")
    forged = body.replace(b"100000.00", b"999999.99")
    assert forged != body
    path.write_bytes(tag + b"\n" + forged)
    assert granted(cluster) == Decimal("100000.00")
    # Signed with another key (someone who does not have ours): ignored too.
    import hashlib
    import hmac

    path.write_bytes(hmac.new(b"k" * 32, forged, hashlib.sha256).hexdigest().encode() + b"\n" + forged)
    assert granted(cluster) == Decimal("100000.00")


def test_an_index_is_json_and_never_executed(cluster: Path) -> None:
    load_ledger(cluster)
    _, _, body = _index_file(cluster).read_bytes().partition(b"\n")
    document = json.loads(body)
    assert json.loads(document["files"]["grants/g.toml"][3])[0] == "g"
    source = Path(cache.__file__).read_text(encoding="utf-8") + Path(cache.__file__).with_name("codec.py").read_text(encoding="utf-8")
    assert not re.search(r"import pickle|from pickle|pickle\.|marshal|Unpickler", source)  # old pickles are only deleted


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o705])
def test_a_cache_folder_of_ours_others_can_only_read_is_closed_to_them_and_used(cluster: Path, mode: int) -> None:
    # klyngefond 0.1's pickle cache left ~/.cache/klyngefond at the umask's 0755, with its pickles
    root = cache.cache_root()
    assert root is not None
    root.mkdir(parents=True)
    os.chmod(root, mode)
    old = root / "ledger-025ac9cf2389a86d81d8d7ee.pickle"
    old.write_bytes(b"not read")
    load_ledger(cluster)
    assert root.stat().st_mode & 0o777 == 0o700 and not old.exists()
    assert cache.store() is not None and cache.folder_index(cluster) is not None
    edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"600000.00"')
    assert granted(cluster) == Decimal("600000.00")


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o720, 0o702])
def test_a_cache_folder_others_can_write_is_not_used(cluster: Path, mode: int) -> None:
    root = cache.cache_root()
    assert root is not None
    load_ledger(cluster)
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    os.chmod(root, mode)
    try:
        assert cache.store() is None and cache.folder_index(cluster) is None
        edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"600000.00"')
        assert granted(cluster) == Decimal("600000.00")
        assert {p.name: p.read_bytes() for p in root.iterdir()} == before  # nothing written either
    finally:
        os.chmod(root, 0o700)


def test_a_cache_folder_of_another_user_is_not_used(cluster: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_ledger(cluster)
    real = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: real + 1)  # the folder (and its files) are now someone else's
    assert cache.store() is None
    assert granted(cluster) == Decimal("100000.00")


def test_cache_files_of_another_user_or_open_to_others_are_not_read(cluster: Path) -> None:
    load_ledger(cluster)
    path = _index_file(cluster)
    os.chmod(path, 0o666)
    assert index(cluster).entries == {}
    os.chmod(path, 0o600)
    assert index(cluster).entries != {}
    link = path.with_name("elsewhere.json")
    path.rename(link)
    path.symlink_to(link)  # a symbolic link is not followed
    assert index(cluster).entries == {}


def test_the_cache_can_be_turned_off_and_moved(cluster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    moved = tmp_path / "elsewhere" / "cache"
    monkeypatch.setenv("KLYNGEFOND_CACHE_DIR", str(moved))
    load_ledger(cluster)
    assert (moved / "key").is_file() and len(list(moved.glob("*.json"))) == 1
    assert moved.stat().st_mode & 0o777 == 0o700 and (moved / "key").stat().st_mode & 0o777 == 0o600
    off = tmp_path / "off"
    monkeypatch.setenv("KLYNGEFOND_CACHE_DIR", str(off))
    monkeypatch.setenv("KLYNGEFOND_NO_CACHE", "1")
    assert cache.store() is None
    assert granted(cluster) == Decimal("100000.00")
    assert not off.exists()


def test_status_after_an_edit_that_keeps_every_time_stamp(cli, cluster: Path) -> None:  # type: ignore[no-untyped-def]
    """The campaign's case (issue 9): `status` must not show the old amount."""
    data = str(cluster.parent)
    assert "100.000,00" in cli("status", "testklynge", "--data", data).out
    edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"250000.00"')
    shown = cli("status", "testklynge", "--data", data).out
    assert "250.000,00" in shown and "100.000,00" not in shown


# --------------------------------------------------------------------------- one result per folder (clusters)


def test_clusters_rows_are_kept_and_follow_every_change(cli, cluster: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    data = str(cluster.parent)
    first = cli("clusters", "--data", data, "--json").out
    root = cache.cache_root()
    assert root is not None and len(list(root.glob("*" + cache.SUMMARY_SUFFIX))) == 1
    assert cli("clusters", "--data", data, "--json").out == first
    # Kept rows are used only for a folder state older than RACY_NS; pretend that time has passed.
    monkeypatch.setattr(cache, "RACY_NS", 0)
    time.sleep(0.05)
    assert cli("clusters", "--data", data, "--json").out == first
    edit_in_place(cluster / "grants" / "g.toml", '"100000.00"', '"700000.00"')
    changed = json.loads(cli("clusters", "--data", data, "--json").out)
    assert json.dumps(changed).count("700000.00") == 1
    time.sleep(0.05)
    (cluster / "grants" / "h.toml").write_text(GRANT.replace('"g"', '"h"'), encoding="utf-8")
    assert json.loads(cli("clusters", "--data", data, "--json").out) != changed


def test_a_kept_row_is_not_used_for_a_folder_state_too_recent_to_trust(cluster: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago could change again within their time stamps' tick: their row is
    recomputed until the state is older than RACY_NS, then used."""
    from klyngefond.cli.commands.clusters import overview

    overview(cluster.parent)
    kept = cache.summaries(cluster, tuple(RECORD_FOLDERS), ("cluster.toml", "reference.toml"))
    assert kept is not None and kept.get("clusters") is None
    monkeypatch.setattr(cache, "RACY_NS", 0)
    time.sleep(0.05)
    overview(cluster.parent)
    kept = cache.summaries(cluster, tuple(RECORD_FOLDERS), ("cluster.toml", "reference.toml"))
    assert kept is not None and kept.get("clusters") is not None


def test_check_findings_are_kept_per_day_and_follow_every_change(cli, cluster: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    data = str(cluster.parent)
    fresh = cli("check", "--all", "--data", data, "--json").out
    monkeypatch.setattr(cache, "RACY_NS", 0)
    time.sleep(0.05)
    assert cli("check", "--all", "--data", data, "--json").out == fresh  # written down
    kept = cache.summaries(cluster, tuple(RECORD_FOLDERS), ("cluster.toml", "reference.toml"))
    assert kept is not None and kept.get("check", dt.date.today().isoformat()) is not None
    assert cli("check", "--all", "--data", data, "--json").out == fresh  # and used: the same findings
    assert kept.get("check", "1999-01-01") is None  # judged on another day (what lies in the future differs)
    edit_in_place(cluster / "grants" / "g.toml", "year = 2024", "year = 2025")  # a year with no money in it
    after = cli("check", "--all", "--data", data, "--json", "--lang", "en").out
    assert after != fresh and "2025" in after and '"errors": 0' not in after


def test_check_of_every_example_is_the_same_with_and_without_the_cache(cli, data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cache, "RACY_NS", 0)
    without = cli("check", "--all", "--data", str(data_copy), "--json", env={"KLYNGEFOND_NO_CACHE": "1"}).out
    monkeypatch.delenv("KLYNGEFOND_NO_CACHE")
    first = cli("check", "--all", "--data", str(data_copy), "--json").out
    time.sleep(0.05)
    second = cli("check", "--all", "--data", str(data_copy), "--json").out
    assert without == first == second


def test_a_cache_folder_reached_through_a_link_is_used(cluster: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ~/.cache on another disk, linked: the folder the link names is what is checked
    real = tmp_path / "real-cache"
    real.mkdir(mode=0o700)
    (tmp_path / "linked").symlink_to(real)
    monkeypatch.setenv("KLYNGEFOND_CACHE_DIR", str(tmp_path / "linked"))
    load_ledger(cluster)
    assert cache.store() is not None and len(list(real.glob("*.json"))) == 1
