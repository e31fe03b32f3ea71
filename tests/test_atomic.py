"""Atomic writes: no overwrites, no partial files, no lost races."""

from __future__ import annotations

import errno
import fcntl
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from klyngefond.i18n import LANGS, has_message, t, text
from klyngefond.storage.atomic import (
    TargetExistsError,
    WriteError,
    is_temp_name,
    locked,
    write_new,
    write_new_unique,
    write_replace,
)

ROOT = Path(__file__).resolve().parents[1]


def _leftovers(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if is_temp_name(name))


# --- single-process behaviour -------------------------------------------------------


def test_write_new_creates_file_with_exact_content(tmp_path: Path) -> None:
    target = tmp_path / "grant.toml"
    assert write_new(target, b"id = \"kom-trygt-hjem\"\n") == target
    assert target.read_bytes() == b"id = \"kom-trygt-hjem\"\n"
    assert _leftovers(tmp_path) == []


def test_write_new_refuses_existing_file_and_leaves_it_untouched(tmp_path: Path) -> None:
    target = tmp_path / "grant.toml"
    target.write_bytes(b"edited by a person\n")
    before = target.stat()
    with pytest.raises(TargetExistsError) as info:
        write_new(target, b"new content\n")
    assert target.read_bytes() == b"edited by a person\n"
    assert target.stat().st_ino == before.st_ino
    assert isinstance(info.value, FileExistsError)
    assert isinstance(info.value, WriteError)
    assert info.value.path == target
    assert info.value.reason == "atomic.reason_exists"
    assert info.value.errno == errno.EEXIST
    assert "already exists" in t(info.value.reason, "en")
    assert "findes allerede" in t(info.value.reason, "da")
    assert _leftovers(tmp_path) == []


def test_the_command_line_says_how_to_replace_an_existing_output(tmp_path: Path) -> None:
    """The atomic layer names the reason; the command that writes --output adds the --force hint."""
    from klyngefond.cli.errors import Refused
    from klyngefond.cli.output import write_file

    target = tmp_path / "faktura.pdf"
    target.write_bytes(b"issued\n")
    with pytest.raises(Refused) as info:
        write_file(target, b"again\n", force=False)
    assert target.read_bytes() == b"issued\n"
    worded = {lang: [text(info.value.message, lang), *(text(d, lang) for d in info.value.details)] for lang in LANGS}
    assert "already exists" in worded["en"][0] and str(target) in worded["en"][0]
    assert "findes allerede" in worded["da"][0] and str(target) in worded["da"][0]
    assert all("--force" in " ".join(lines) for lines in worded.values())
    write_file(target, b"again\n", force=True)
    assert target.read_bytes() == b"again\n"


def test_write_new_into_missing_directory_says_so(tmp_path: Path) -> None:
    with pytest.raises(WriteError) as info:
        write_new(tmp_path / "nope" / "x.toml", b"x")
    assert info.value.reason == "atomic.reason_no_folder"
    assert info.value.errno == errno.ENOENT
    assert info.value.path == tmp_path / "nope" / "x.toml"
    assert "does not exist" in t(info.value.reason, "en")
    assert "findes ikke" in t(info.value.reason, "da")
    assert not isinstance(info.value, TargetExistsError)


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EACCES, "atomic.reason_permission"), (errno.EPERM, "atomic.reason_permission"),
     (errno.EROFS, "atomic.reason_read_only"), (errno.ENOSPC, "atomic.reason_disk_full"),
     (errno.EDQUOT, "atomic.reason_disk_full"), (errno.ELOOP, "atomic.reason_link_loop"),
     (errno.EIO, "atomic.reason_other")],
)
def test_refused_writes_name_the_reason_from_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    """Whatever the operating system says, the person reads why in their language."""
    real_open = os.open

    def refusing_open(path, flags, *args):  # type: ignore[no-untyped-def]
        if str(path).endswith(".tmp"):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    target = tmp_path / "grant.toml"
    for write in (write_new, write_replace):
        with pytest.raises(WriteError) as info:
            write(target, b"x")
        assert (info.value.path, info.value.reason, info.value.errno) == (target, reason, code)
        assert isinstance(info.value, OSError)
        assert not isinstance(info.value, TargetExistsError)
        assert has_message(info.value.reason)
        assert all(t(info.value.reason, lang) for lang in LANGS)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EXDEV, errno.EPERM, errno.EMLINK])
def test_a_filesystem_without_hard_links_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """link() refused (EPERM on e.g. FAT or some network shares) names the missing hard links."""

    def no_links(src, dst):  # type: ignore[no-untyped-def]
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", no_links)
    with pytest.raises(WriteError) as info:
        write_new(tmp_path / "x.toml", b"x")
    assert info.value.reason == "atomic.reason_no_hardlinks"
    assert "hard links" in t(info.value.reason, "en") and "hårde lænker" in t(info.value.reason, "da")
    assert _leftovers(tmp_path) == [] and os.listdir(tmp_path) == []


def test_a_failing_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(fd):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(WriteError) as info:
        write_new(tmp_path / "x.toml", b"x")
    assert info.value.reason == "atomic.reason_disk_full"
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


def test_every_reason_the_module_can_give_is_in_the_catalogue() -> None:
    from klyngefond.storage import atomic

    reasons = set(atomic._REASONS.values()) | {
        "atomic.reason_exists", "atomic.reason_no_folder", "atomic.reason_no_hardlinks",
        "atomic.reason_no_free_name", "atomic.reason_other",
    }
    for reason in reasons:
        assert has_message(reason), reason


def test_write_error_reads_as_path_and_reason() -> None:
    error = WriteError(Path("/data/x.toml"), "atomic.reason_permission", errno.EACCES)
    assert (error.path, error.reason, error.errno, error.filename) == (
        Path("/data/x.toml"), "atomic.reason_permission", errno.EACCES, "/data/x.toml")
    assert str(error) == "/data/x.toml: atomic.reason_permission"


def test_write_new_respects_umask_like_a_normal_file(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_new(tmp_path / "x.toml", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "x.toml").stat().st_mode & 0o777 == 0o644


def test_write_replace_replaces_and_creates(tmp_path: Path) -> None:
    target = tmp_path / "state.toml"
    write_replace(target, b"one\n")
    assert target.read_bytes() == b"one\n"
    write_replace(target, b"two\n")
    assert target.read_bytes() == b"two\n"
    assert os.listdir(tmp_path) == ["state.toml"]


def test_write_new_unique_picks_next_free_name(tmp_path: Path) -> None:
    (tmp_path / "faktura.toml").write_text("taken")
    (tmp_path / "faktura-2.toml").write_text("taken")
    seen: list[str] = []

    def render(stem: str) -> bytes:
        seen.append(stem)
        return f'id = "{stem}"\n'.encode()

    stem, path = write_new_unique(tmp_path, "faktura", ".toml", render)
    assert (stem, path) == ("faktura-3", tmp_path / "faktura-3.toml")
    assert path.read_text() == 'id = "faktura-3"\n'
    assert seen == ["faktura-3"]
    assert (tmp_path / "faktura.toml").read_text() == "taken"


def test_write_new_unique_moves_on_when_a_name_is_taken_mid_write(tmp_path: Path) -> None:
    """Another process claiming the name after our pre-check must not be overwritten."""

    def render(stem: str) -> bytes:
        if stem == "note":
            (tmp_path / "note.md").write_text("the other process won")
        return stem.encode()

    stem, path = write_new_unique(tmp_path, "note", ".md", render)
    assert stem == "note-2"
    assert path.read_bytes() == b"note-2"
    assert (tmp_path / "note.md").read_text() == "the other process won"
    assert _leftovers(tmp_path) == []


def test_write_new_unique_gives_up_after_a_bounded_number_of_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from klyngefond.storage import atomic

    monkeypatch.setattr(atomic, "MAX_UNIQUE_ATTEMPTS", 3)
    for name in ("n.md", "n-2.md", "n-3.md"):
        (tmp_path / name).write_text("taken")
    with pytest.raises(WriteError) as info:
        write_new_unique(tmp_path, "n", ".md", lambda s: b"x")
    assert info.value.reason == "atomic.reason_no_free_name"
    assert sorted(os.listdir(tmp_path)) == ["n-2.md", "n-3.md", "n.md"]


@pytest.mark.parametrize("stem", ["../escape", "a/b", ".hidden"])
def test_write_new_unique_refuses_non_plain_names(tmp_path: Path, stem: str) -> None:
    with pytest.raises(ValueError):
        write_new_unique(tmp_path, stem, ".toml", lambda s: b"x")
    assert os.listdir(tmp_path) == []


def test_locked_excludes_other_lockers(tmp_path: Path) -> None:
    lock = tmp_path / ".ledger.lock"
    with locked(lock):
        assert lock.exists()
        # A separate open file description conflicts just like another process would.
        fd = os.open(lock, os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released after the with block
    finally:
        os.close(fd)


def test_is_temp_name() -> None:
    assert is_temp_name(".grant.toml.1a2b3c.tmp")
    assert not is_temp_name("grant.toml")
    assert not is_temp_name("grant.tmp")


# --- concurrency: N processes race for the same name ------------------------------

RACERS = 8
PADDING = 50_000


def _render_document(stem: str) -> bytes:
    return f'id = "{stem}"\npadding = "{"x" * PADDING}"\n'.encode()


def _race_for_name(directory: str, barrier, results) -> None:
    barrier.wait(timeout=60)
    stem, path = write_new_unique(Path(directory), "faktura", ".toml", _render_document)
    results.put((stem, str(path)))


def test_concurrent_write_new_unique_gives_distinct_complete_files(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(RACERS)
    results = ctx.Queue()
    args = (str(tmp_path), barrier, results)
    procs = [ctx.Process(target=_race_for_name, args=args) for _ in range(RACERS)]
    for proc in procs:
        proc.start()
    landed = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0

    stems = sorted(stem for stem, _ in landed)
    expected = ["faktura"] + [f"faktura-{n}" for n in range(2, RACERS + 1)]
    assert stems == sorted(expected)
    assert sorted(os.listdir(tmp_path)) == sorted(f"{s}.toml" for s in expected)
    for stem, path in landed:
        document = tomllib.loads(Path(path).read_text())
        assert Path(path).name == f"{stem}.toml"
        assert document["id"] == stem
        assert len(document["padding"]) == PADDING


# --- crash safety: SIGKILL at random moments ---------------------------------------

KILL_SIZE = 4 * 1024 * 1024
KILL_ROUNDS = 10

_WRITER = r"""
import random, sys
from pathlib import Path
from klyngefond.storage.atomic import write_new
target, size = Path(sys.argv[1]), int(sys.argv[2])
data = random.Random(7).randbytes(size)
print("ready", flush=True)
while True:
    write_new(target, data)
    target.unlink()
"""


def test_sigkill_leaves_complete_file_or_nothing(tmp_path: Path) -> None:
    expected = random.Random(7).randbytes(KILL_SIZE)
    # The child must import this checkout's klyngefond, installed or not.
    search_path = filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(search_path))
    rng = random.Random()
    deadline = time.monotonic() + 8
    outcomes = []
    for round_no in range(KILL_ROUNDS):
        if time.monotonic() > deadline:
            break
        directory = tmp_path / f"round-{round_no}"
        directory.mkdir()
        target = directory / "ledger.bin"
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target), str(KILL_SIZE)],
            stdout=subprocess.PIPE, env=env,
        )
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.3))
        # The writer loops forever; if it has exited, it failed and the kill proves nothing.
        assert proc.poll() is None, "writer died before it was killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL

        names = os.listdir(directory)
        assert all(name == "ledger.bin" or is_temp_name(name) for name in names), names
        if target.exists():
            assert target.read_bytes() == expected
        outcomes.append(target.exists())
    assert len(outcomes) >= 3
