"""Every failure outside klyngefond's control becomes a message that names the path and says what to do.

Full disk, read-only folder, permissions, broken and looping links, linked record folders,
absurdly nested TOML, a terminal that is not UTF-8. Where the real thing needs privileges
(a tiny tmpfs, chmod for a non-root user) it is tried and skipped when not possible; the
same failure is always also simulated, by making the system call fail with its errno.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from robust_helpers import assert_clean_failure, fingerprint, fresh_copy, run_program

RECORD = ("allocate", "Vesterhavet", "--name", "Ny indsats", "--amount", "1000", "--owner", "region-vest",
          "--date", "2023-05-01", "--level", "politisk", "--record", "--year", "2023")
ISSUE = ("invoices", "Vesterhavet", "--issue", "--date", "2024-01-15")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return fresh_copy(tmp_path / "data")


def temporaries(folder: Path) -> list[Path]:
    return [Path(root) / name for root, _, files in os.walk(folder) for name in files if name.endswith(".tmp")]


# --------------------------------------------------------------------------- full disk


def test_disk_full_while_recording_names_the_file_and_leaves_nothing(cli, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint(data)

    def full(fd: int, chunk: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    result = cli(*RECORD, "--data", str(data))
    monkeypatch.undo()
    assert_clean_failure(result.text, result.code, 1)
    assert "grants/ny-indsats.toml: disken er fuld" in result.err and "frigør plads" in result.err
    assert fingerprint(data) == before and temporaries(data) == []


def test_disk_full_in_the_middle_of_issuing_is_completed_by_the_next_run(cli, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    calls = {"n": 0}

    def fills_up(fd: int, chunk: bytes) -> int:
        calls["n"] += 1
        if calls["n"] > 7:  # some counters and invoices get written, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, chunk)

    monkeypatch.setattr(os, "write", fills_up)
    first = cli(*ISSUE, "--data", str(data))
    monkeypatch.setattr(os, "write", real_write)  # not undo(): that would also undo the chdir into the test's folder
    assert_clean_failure(first.text, first.code, 1)
    assert "disken er fuld" in first.err and "kør kommandoen igen" in first.err
    assert temporaries(data) == []
    half = sorted(p.stem for p in (data / "vesterhavet" / "invoices").glob("[!.]*.toml"))
    assert 0 < len(half) < 9
    second = cli(*ISSUE, "--data", str(data))
    assert second.code == 0, second.text
    numbers = sorted(p.stem for p in (data / "vesterhavet" / "invoices").glob("[!.]*.toml"))
    assert len(numbers) == 9 and set(half) <= set(numbers)  # nothing issued twice: the split is met exactly once
    report = json.loads(cli("check", "Vesterhavet", "--data", str(data), "--json").out)
    assert report["errors"] == 0 and report["warnings"] == 0, report


def test_a_real_full_filesystem(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the simulated full disk above covers the code")
    try:
        data = fresh_copy(mount / "data")
        monkeypatch.chdir(mount)
        filler = mount / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 512)
        except OSError:
            pass
        finally:
            os.close(fd)
        before = fingerprint(data)
        result = cli(*RECORD, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert "disken er fuld" in result.err and "ny-indsats.toml" in result.err
        assert fingerprint(data) == before and temporaries(data) == []
        filler.unlink()
        assert cli(*RECORD, "--data", str(data)).code == 0
    finally:
        monkeypatch.chdir(tmp_path)
        subprocess.run(["umount", str(mount)], capture_output=True)


# --------------------------------------------------------------------------- read-only folder, permissions


def test_a_read_only_cluster_folder_refuses_at_the_lock_and_reading_still_works(cli, data: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith(".klyngefond.lock") or (flags & os.O_CREAT and str(data) in str(path)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    before = fingerprint(data)
    monkeypatch.setattr(os, "open", read_only)
    for args in (RECORD, ISSUE, ("repair", "Vesterhavet")):
        result = cli(*args, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert "kan ikke tage klyngens skrivelås" in result.err and ".klyngefond.lock" in result.err
        assert "skrivebeskyttet" in result.err and "status, check" in result.err
    assert cli("status", "Vesterhavet", "--data", str(data)).code == 0
    monkeypatch.undo()
    assert fingerprint(data) == before


def test_a_real_read_only_mount(cli, tmp_path: Path) -> None:
    source = fresh_copy(tmp_path / "data")
    mount = tmp_path / "ro"
    mount.mkdir()
    made = subprocess.run(["mount", "--bind", "-o", "ro", str(source), str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot bind-mount read-only here (needs root)")
    try:
        (mount / "probe").touch()
    except OSError:
        pass
    else:  # pragma: no cover - an old mount(8) that ignores ro on a bind
        subprocess.run(["umount", str(mount)], capture_output=True)
        pytest.skip("the bind mount is not read-only")
    try:
        result = cli(*RECORD, "--data", str(mount))
        assert_clean_failure(result.text, result.code, 1)
        assert "skrivebeskyttet" in result.err and ".klyngefond.lock" in result.err
        assert cli("status", "Vesterhavet", "--data", str(mount)).code == 0
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_an_unreadable_file_and_folder_are_named(cli, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grant = data / "vesterhavet" / "grants" / "akutteam.toml"
    real_read, real_open = Path.read_bytes, os.open

    def unreadable(self: Path) -> bytes:
        if self == grant:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_read(self)

    def unopenable(path, *args, **kwargs):  # type: ignore[no-untyped-def]  # the cache opens files itself
        if Path(path) == grant:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    monkeypatch.setattr(os, "open", unopenable)
    result = cli("status", "Vesterhavet", "--data", str(data))
    assert_clean_failure(result.text, result.code, 1)
    assert "grants/akutteam.toml: filen kan ikke læses (ingen adgang)" in result.err and "chmod u+r" in result.err
    monkeypatch.setattr(Path, "read_bytes", real_read)  # not undo(): that would undo the test's own folder and cache too
    monkeypatch.setattr(os, "open", real_open)
    real_scandir = os.scandir

    def unlistable(path):  # type: ignore[no-untyped-def]
        if Path(path) == data / "vesterhavet" / "changes":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    (data / "vesterhavet" / "changes").mkdir()
    monkeypatch.setattr(os, "scandir", unlistable)
    result = cli("check", "Vesterhavet", "--data", str(data))
    assert_clean_failure(result.text, result.code, 1)
    assert "vesterhavet/changes: mappen kan ikke læses (ingen adgang)" in result.out


def test_an_unreadable_data_folder_is_named_not_taken_for_an_empty_one(cli, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_iterdir = Path.iterdir

    def unlistable(self: Path):  # type: ignore[no-untyped-def]
        if self == data:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", unlistable)
    for args in (("status", "Vesterhavet"), ("check", "--all"), ("clusters",)):
        result = cli(*args, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert "klyngefond: data: ingen adgang (tilladelse nægtet)" in result.err and "chmod" in result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes regardless of permissions")
def test_real_permissions(cli, data: Path) -> None:  # pragma: no cover - CI runs as a normal user
    grants = data / "vesterhavet" / "grants"
    os.chmod(grants / "akutteam.toml", 0)
    try:
        result = cli("status", "Vesterhavet", "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert "akutteam.toml: filen kan ikke læses" in result.err
    finally:
        os.chmod(grants / "akutteam.toml", 0o644)
    os.chmod(grants, 0o555)
    try:
        result = cli(*RECORD, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert "ny-indsats.toml" in result.err and "chmod" in result.err
    finally:
        os.chmod(grants, 0o755)
    (data / "vesterhavet" / ".klyngefond.lock").unlink(missing_ok=True)  # so that the lock must be created
    os.chmod(data / "vesterhavet", 0o555)
    try:
        result = cli(*RECORD, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert ".klyngefond.lock" in result.err
    finally:
        os.chmod(data / "vesterhavet", 0o755)


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize("kind", ["dangling", "loop", "folder"])
def test_bad_links_and_non_files_in_grants_are_named(cli, data: Path, kind: str) -> None:
    grants = data / "vesterhavet" / "grants"
    link = grants / "ny.toml"
    if kind == "dangling":
        link.symlink_to("findes-ikke.toml")
    elif kind == "loop":
        link.symlink_to("ny.toml")
    else:
        link.mkdir()
    for command in ("status", "check"):
        result = cli(command, "Vesterhavet", "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        expected = {"dangling": "til en fil, der ikke findes", "loop": "peger i ring", "folder": "ikke en almindelig fil"}[kind]
        assert "grants/ny.toml" in result.text and expected in result.text


@pytest.mark.parametrize("folder", ["grants", "invoices", "payments"])
def test_a_record_folder_that_is_a_link_is_never_written_through(cli, data: Path, tmp_path: Path, folder: str) -> None:
    cluster = data / "vesterhavet"
    if folder == "payments":
        assert cli(*ISSUE, "--data", str(data)).code == 0
    elsewhere = tmp_path / "elsewhere" / folder
    elsewhere.parent.mkdir()
    if (cluster / folder).exists():
        (cluster / folder).rename(elsewhere)
    else:
        elsewhere.mkdir()
    (cluster / folder).symlink_to(elsewhere)
    outside = fingerprint(elsewhere.parent)
    inside = fingerprint(data)
    command = {"grants": RECORD, "invoices": ISSUE,
               "payments": ("pay", "HAV-2024-0001", "--date", "2024-02-01")}[folder]
    result = cli(*command, "--data", str(data))
    assert_clean_failure(result.text, result.code, 1)
    assert f"vesterhavet/{folder} er en symbolsk lænke til" in result.err and "erstat lænken med selve mappen" in result.err
    assert fingerprint(elsewhere.parent) == outside and fingerprint(data) == inside
    report = json.loads(cli("check", "Vesterhavet", "--data", str(data), "--json").out)
    [warning] = [f for c in report["clusters"] for f in c["findings"] if f["file"] == folder]
    assert warning["severity"] == "warning" and "symbolsk lænke" in warning["message"]


def test_a_lock_file_that_is_a_link_is_not_followed(cli, data: Path, tmp_path: Path) -> None:
    target = tmp_path / "somewhere-else"
    target.write_text("do not touch", "utf-8")
    (data / "vesterhavet" / ".klyngefond.lock").symlink_to(target)
    result = cli(*RECORD, "--data", str(data))
    assert_clean_failure(result.text, result.code, 1)
    assert ".klyngefond.lock" in result.err and "peger i ring eller ud af klyngemappen" in result.err
    assert target.read_text("utf-8") == "do not touch"


# --------------------------------------------------------------------------- odd files


def test_toml_nested_five_thousand_deep(cli, data: Path) -> None:
    deep = data / "vesterhavet" / "grants" / "dyb.toml"
    deep.write_text("granted = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    before = fingerprint(data)
    for args in (("status", "Vesterhavet"), ("check", "Vesterhavet"), RECORD):
        result = cli(*args, "--data", str(data))
        assert_clean_failure(result.text, result.code, 1)
        assert "grants/dyb.toml" in result.text and "indlejret for dybt" in result.text
    assert fingerprint(data) == before


def test_a_record_file_that_is_a_pipe_is_not_opened(cli, data: Path) -> None:
    fifo = data / "vesterhavet" / "grants" / "pipe.toml"
    os.mkfifo(fifo)
    result = cli("status", "Vesterhavet", "--data", str(data))  # reading a pipe would wait forever
    assert_clean_failure(result.text, result.code, 1)
    assert "grants/pipe.toml" in result.err and "ikke en almindelig fil" in result.err


# --------------------------------------------------------------------------- a terminal that is not UTF-8


@pytest.mark.slow
def test_a_terminal_that_is_not_utf8_gets_question_marks_never_a_crash(tmp_path: Path) -> None:
    data = fresh_copy(tmp_path / "data")
    ascii_env = {"PYTHONIOENCODING": "ascii"}
    for args, code in ((["status", "Vesterhavet"], 0), (["invoices", "Vesterhavet", "--format", "markdown"], 0),
                       (["invoices", "Vesterhavet", "--format", "csv"], 0), (["status", "--help"], 0), (["--help"], 0),
                       (["check", "Vesterhavet"], 0), (["status", "Fanø"], 2),
                       (["allocate", "Vesterhavet", "--name", "Sundhedsfællesskab", "--amount", "1.000", "--owner", "havby"], 0)):
        result = run_program(*args, *([] if "--help" in args else ["--data", str(data)]), env=ascii_env)
        assert result.returncode == code, result
        for word in ("Traceback", "intern fejl", "UnicodeEncodeError"):
            assert word not in result.stdout + result.stderr
        if "--help" not in args:  # click writes its help as UTF-8 when the stream claims ASCII
            assert result.stdout.isascii() and result.stderr.isascii()
    utf8 = json.loads(run_program("status", "Vesterhavet", "--json", "--data", str(data)).stdout)
    ascii_json = run_program("status", "Vesterhavet", "--json", "--data", str(data), env=ascii_env)
    assert ascii_json.returncode == 0 and ascii_json.stdout.isascii()
    assert json.loads(ascii_json.stdout) == utf8  # \u escapes: the same data, nothing replaced
