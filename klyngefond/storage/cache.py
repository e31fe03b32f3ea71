"""A cache of validated ledgers, so that reading a cluster does not pay for validation twice.

Validating the TOML files needs pydantic, whose import and model set-up cost more than the
rest of a ``status`` run together. A ledger whose files have not changed since it was last
validated is read back from a pickle instead. The cache is keyed on the path, size,
modification time and inode of every file in the cluster folder, and on the record
definitions themselves; any change, or any trouble reading the cache, means a fresh load.
It lives in ``$KLYNGEFOND_CACHE_DIR`` or ``$XDG_CACHE_HOME/klyngefond`` (default
``~/.cache/klyngefond``); ``KLYNGEFOND_NO_CACHE=1`` turns it off. It never writes into
the data folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from klyngefond import __version__
from klyngefond.core.ledger import Ledger
from klyngefond.storage.problems import Problem

_RECORD_SOURCES = (
    "core/records.py", "core/ledger.py", "core/changes.py", "storage/problems.py", "storage/schema.py", "storage/loader.py",
)
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    explicit = os.environ.get("KLYNGEFOND_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "klyngefond"


def _signature(folder: Path) -> tuple:
    """What the cached ledger depends on: the data files and the code that reads them."""
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or not name.endswith(".toml"):
                continue
            stat = os.stat(os.path.join(root, name))
            files.append((os.path.relpath(os.path.join(root, name), folder), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    code = tuple((rel, os.stat(_PACKAGE / rel).st_mtime_ns) for rel in _RECORD_SOURCES)
    return (__version__, code, tuple(files))


def _cache_file(folder: Path) -> Path:
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"ledger-{digest}.pickle"


def load_ledger_cached(folder: Path) -> tuple[Ledger | None, list[Problem]]:
    """``storage.loader.load_ledger``, answered from the cache when nothing has changed."""
    if os.environ.get("KLYNGEFOND_NO_CACHE") or not folder.is_dir():
        return _load(folder)
    signature = _signature(folder)
    path = _cache_file(folder)
    try:
        with path.open("rb") as handle:
            cached_signature, ledger, problems = pickle.load(handle)
        if cached_signature == signature:
            return ledger, problems
    except Exception:  # a missing, stale or unreadable cache only means a fresh load
        pass
    ledger, problems = _load(folder)
    _store(path, (signature, ledger, problems))
    return ledger, problems


def _load(folder: Path) -> tuple[Ledger | None, list[Problem]]:
    from klyngefond.storage.loader import load_ledger

    return load_ledger(folder)


def _store(path: Path, payload: tuple) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".ledger-", suffix=".tmp", delete=False) as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass  # a cache that cannot be written is only slower, never wrong
