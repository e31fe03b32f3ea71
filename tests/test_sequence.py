"""Persistent sequences: numbers are never handed out twice, even under concurrency."""

from __future__ import annotations

import errno
import multiprocessing
import os
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klyngefond.storage import sequence
from klyngefond.storage.atomic import WriteError
from klyngefond.storage.sequence import SequenceError, lock_file_for, next_number, peek


def test_first_number_is_one_and_numbers_increase(tmp_path: Path) -> None:
    counters = tmp_path / "counters.toml"
    assert peek(counters, "region-sjaelland") == 0
    assert [next_number(counters, "region-sjaelland") for _ in range(3)] == [1, 2, 3]
    assert peek(counters, "region-sjaelland") == 3


def test_keys_are_independent(tmp_path: Path) -> None:
    counters = tmp_path / "counters.toml"
    assert next_number(counters, "a") == 1
    assert next_number(counters, "a") == 2
    assert next_number(counters, "b") == 1
    assert (peek(counters, "a"), peek(counters, "b"), peek(counters, "c")) == (2, 1, 0)


def test_counter_file_is_readable_toml_and_lock_is_a_dot_file(tmp_path: Path) -> None:
    counters = tmp_path / "counters.toml"
    next_number(counters, "issuer")
    next_number(counters, "issuer")
    assert tomllib.loads(counters.read_text(encoding="utf-8")) == {"last": {"issuer": 2}}
    assert lock_file_for(counters).name.startswith(".")
    assert sorted(os.listdir(tmp_path)) == sorted(["counters.toml", lock_file_for(counters).name])


@pytest.mark.parametrize(
    "content",
    [b"not = [valid toml", b"[last]\nissuer = -1\n", b"[last]\nissuer = true\n",
     b'[last]\nissuer = "7"\n', b"last = 3\n", b"\xff\xfe"],
)
def test_corrupt_counter_file_is_refused_not_reset(tmp_path: Path, content: bytes) -> None:
    counters = tmp_path / "counters.toml"
    counters.write_bytes(content)
    with pytest.raises(SequenceError, match="repair it by hand"):
        next_number(counters, "issuer")
    assert counters.read_bytes() == content


def test_failed_write_hands_out_no_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The number is only returned once it is on disk; a failed write returns nothing."""
    counters = tmp_path / "counters.toml"
    assert next_number(counters, "issuer") == 1

    def failing_write(path: Path, data: bytes) -> Path:
        raise WriteError(path, "atomic.reason_disk_full", errno.ENOSPC)

    monkeypatch.setattr(sequence, "write_replace", failing_write)
    with pytest.raises(WriteError):
        next_number(counters, "issuer")
    monkeypatch.undo()
    assert peek(counters, "issuer") == 1
    assert next_number(counters, "issuer") == 2


@pytest.mark.parametrize("key", ["", None, "lone \ud800 surrogate"])
def test_bad_keys_are_refused(tmp_path: Path, key: object) -> None:
    with pytest.raises(SequenceError):
        next_number(tmp_path / "counters.toml", key)  # type: ignore[arg-type]


# Any text a person could type, including quotes, backslashes and control characters;
# surrogates are excluded because they cannot be written as UTF-8 at all.
_KEYS = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1)


@settings(max_examples=40, deadline=None)
@given(st.lists(_KEYS, min_size=1, max_size=4, unique=True))
def test_any_text_key_round_trips(keys: list[str]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        counters = Path(directory) / "counters.toml"
        for n, key in enumerate(keys, start=1):
            for _ in range(n):
                next_number(counters, key)
        assert {key: peek(counters, key) for key in keys} == {k: n for n, k in enumerate(keys, 1)}
        assert tomllib.loads(counters.read_text(encoding="utf-8"))["last"] == {
            k: n for n, k in enumerate(keys, 1)
        }


# --- concurrency ----------------------------------------------------------------

WORKERS = 4
CALLS = 40


def _draw_numbers(counter_file: str, barrier, results) -> None:
    barrier.wait(timeout=60)
    results.put([next_number(Path(counter_file), "issuer") for _ in range(CALLS)])


def test_concurrent_callers_get_distinct_contiguous_numbers(tmp_path: Path) -> None:
    counters = tmp_path / "counters.toml"
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    args = (str(counters), barrier, results)
    procs = [ctx.Process(target=_draw_numbers, args=args) for _ in range(WORKERS)]
    for proc in procs:
        proc.start()
    drawn = [results.get(timeout=60) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0

    every = [number for batch in drawn for number in batch]
    assert sorted(every) == list(range(1, WORKERS * CALLS + 1))
    # Each process sees its own numbers strictly increasing.
    assert all(batch == sorted(batch) for batch in drawn)
    assert peek(counters, "issuer") == WORKERS * CALLS
