"""Shared by the robustness tests: what every failure must look like, and a fingerprint of a folder.

Every refusal in klyngefond is one message naming the file (and key) and what to do; never
a Python traceback, never "intern fejl"/"internal error". :func:`assert_clean_failure` is
that rule as an assertion; :func:`fingerprint` lets a test prove that a refused command
changed nothing on disk (names, bytes and modes of every file, temporaries included).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE_DATA = REPO / "klyngefond" / "examples" / "fictional"
FORBIDDEN = ("Traceback", "intern fejl", "internal error", "KeyboardInterrupt")


def assert_clean_failure(text: str, code: int, expected: int | tuple[int, ...] = (1, 2)) -> None:
    expected = (expected,) if isinstance(expected, int) else expected
    assert code in expected, f"exit {code}, expected {expected}:\n{text}"
    for word in FORBIDDEN:
        assert word not in text, f"{word!r} in:\n{text}"
    assert text.strip(), "a failure must say something"


LOCK_FILES = (".klyngefond.lock", "..sequence.toml.lock", "..invoice-numbers.toml.lock")


def fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """Every entry under ``folder`` (hidden ones too): its content hash (or link target) and mode.

    The empty lock files a writing command opens before it reads (``.klyngefond.lock``) are
    left out: taking the lock is the first thing a writer does, refusal or not, and they
    never hold data.
    """
    found: dict[str, tuple[str, int]] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            if name in LOCK_FILES and path.stat().st_size == 0:
                continue
            relative = path.relative_to(folder).as_posix()
            info = path.lstat()
            if path.is_symlink():
                found[relative] = ("-> " + os.readlink(path), info.st_mode)
            elif path.is_file():
                found[relative] = (hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mode)
            else:
                found[relative] = ("dir", info.st_mode)
    return found


def fresh_copy(target: Path) -> Path:
    """A writable copy of the fixture data folder (cluster ``vesterhavet``) at ``target``."""
    shutil.copytree(FIXTURE_DATA, target)
    return target


def program() -> list[str]:
    """The ``klyngefond`` program as a person runs it (a subprocess, with real signals and pipes)."""
    script = Path(sys.executable).with_name("klyngefond")
    return [str(script)] if script.exists() else [sys.executable, "-m", "klyngefond"]


def run_program(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                timeout: float = 60) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KLYNGEFOND_")}
    environment.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    return subprocess.run([*program(), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=timeout)
