"""A private cache of what each data file says, that can neither lie nor run code (``docs/cache.md``).

Reading a cluster means parsing and validating one TOML file per record: thousands of
files for a cluster with years of grants, invoices and payments. The cache keeps, per
cluster folder, an *index*: for every file that validated cleanly, the record it holds (as
plain JSON data, ``storage/codec.py``) with the file's identity when it was read — size,
modification and change time in nanoseconds, inode and device — and a hash of its bytes.
A later run reuses a record only when:

* **the file is the same.** Readers compare the identity (``os.stat``); an edit changes
  the change time even when size, modification time and inode are kept (``cp -p``,
  ``touch -r``, an editor that restores times). An identity recorded within
  :data:`RACY_NS` of the moment the file was read is not trusted (an edit in the same
  clock tick can keep every time stamp, as git knows from its "racy" index entries): the
  file is read and its hash compared instead. Writing commands never rely on the
  identity at all: they read every file and reuse a record only when the hash of the
  bytes read now is the hash the record was made from (``verify="content"``).
* **the index is ours.** The cache folder must be a directory owned by the user and
  closed to everyone else (mode 0700); otherwise the cache is not used at all. Every
  index carries a tag (keyed BLAKE2b, a MAC) made with a random key kept in the same
  folder (0600), and is read only if the tag matches, so an entry forged or damaged by
  hand is ignored, not believed. Indexes are JSON, never pickle: nothing in them is executed.
* **the code is the same.** Every index names the klyngefond version and the modules
  that decide what a file's record is (:data:`CODE_FILES`); other code ignores it.

Files with problems are never cached: they are read and reported on every run. The
cache is a speed-up only: removing the folder, ``KLYNGEFOND_NO_CACHE=1`` (no cache) or
``KLYNGEFOND_CACHE_DIR=DIR`` (another folder) changes no answer. Every failure to read
or write it silently falls back to reading the files.
"""

from __future__ import annotations

import json
import os
from array import array
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from klyngefond import __version__
from klyngefond.storage.codec import CodecError, decoder, encode

try:  # BLAKE2 and a constant-time comparison without loading OpenSSL (hashlib's and hmac's imports cost ms on every run)
    from _blake2 import blake2b
    from _operator import _compare_digest as compare_digest
except ImportError:  # pragma: no cover - CPython always builds both
    from hashlib import blake2b
    from hmac import compare_digest

ENV_DIR = "KLYNGEFOND_CACHE_DIR"
ENV_OFF = "KLYNGEFOND_NO_CACHE"
FORMAT = 1
# Time stamps closer than this to the moment a file was read are not trusted to show a
# later edit (coarse file-system clocks: a kernel tick, 2 s on FAT; a little clock skew).
RACY_NS = 2_000_000_000
KEY_FILE = "key"
TAG_BYTES = 32
MAX_FILE_BYTES = 1_000_000  # the loader's limit: larger files are the loader's to report

Identity = tuple[int, int, int, int, int]  # size, mtime_ns, ctime_ns, inode, device


def identity(st: os.stat_result) -> Identity:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def digest(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def disabled() -> bool:
    return os.environ.get(ENV_OFF, "").strip() not in ("", "0")


def cache_root() -> Path | None:
    """The cache folder to use, or ``None`` when the cache is off."""
    if disabled():
        return None
    chosen = os.environ.get(ENV_DIR, "").strip()
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "klyngefond"


def _private_folder(path: Path) -> bool:
    """Whether ``path`` is (or could be made) a folder that only this user can read or write.

    A folder of this user's that others may read but not write is closed to them (``0700``):
    klyngefond 0.1's pickle cache made its folder with the umask's mode (often ``0755``), and
    left as it is the cache would stay off for good after an upgrade. The pickles are
    removed on the way; they are never read. A folder others could write to (anything in it
    may be theirs) or of another user is never used.
    """
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(path, 0o700)
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and st.st_mode & 0o077 and not st.st_mode & 0o022:
            os.chmod(path, 0o700)
            for old in path.glob("ledger-*.pickle"):
                old.unlink(missing_ok=True)
            st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o077


def _open_private(path: Path) -> bytes | None:
    """The bytes of a cache file if it is a regular file of ours that nobody else can write."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
            return None
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_private(folder: Path, name: str, chunks: Iterable[bytes], key: bytes) -> None:
    """Replace ``folder/name`` atomically (a new 0600 file renamed over it) with the tag of the
    body, a newline and the body, which is written as ``chunks`` come (never whole in memory)."""
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except FileExistsError:  # left by a process of ours that was killed: ours to remove
        try:
            os.unlink(temporary)
            fd = os.open(temporary, flags, 0o600)
        except OSError:
            return
    except OSError:
        return
    try:
        tag = blake2b(key=key, digest_size=TAG_BYTES)
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"0" * (2 * TAG_BYTES) + b"\n")
            for chunk in chunks:
                tag.update(chunk)
                handle.write(chunk)
            handle.seek(0)
            handle.write(tag.hexdigest().encode("ascii"))
        os.replace(temporary, folder / name)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


class Store:
    """The cache folder, checked once: its key, and the code the indexes must be written by."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.key = self._key()
        self.code = _code_version()

    def _key(self) -> bytes:
        path = self.root / KEY_FILE
        key = _open_private(path)
        if key is not None and len(key) == 32:
            return key
        fresh = os.urandom(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            # A key of the wrong size or mode (or another process's, just written): start afresh.
            try:
                os.unlink(path)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except OSError:
                raise OSError("cache key unusable") from None
        with os.fdopen(fd, "wb") as handle:
            handle.write(fresh)
        return fresh

    def sign(self, body: bytes) -> str:
        """The body's tag: keyed BLAKE2b (a MAC by design), with this cache's secret key."""
        return blake2b(body, key=self.key, digest_size=TAG_BYTES).hexdigest()

    def index_name(self, folder: Path) -> str:
        return blake2b(str(folder.resolve()).encode("utf-8", "surrogateescape"), digest_size=20).hexdigest() + ".json"

    def read(self, name: str) -> dict[str, Any] | None:
        """A signed JSON document of this cache, or ``None`` if it is missing, not ours or not intact."""
        raw = _open_private(self.root / name)
        if raw is None:
            return None
        tag, _, body = raw.partition(b"\n")
        if not compare_digest(tag, self.sign(body).encode("ascii")):
            return None
        try:
            document = json.loads(body)
        except ValueError:
            return None
        if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("code") != self.code:
            return None
        return document

    def write(self, name: str, document: dict[str, Any], *, table: str | None = None) -> None:
        """Write a signed JSON document; its ``table`` (a large dict of small entries) is encoded
        entry by entry, so that the whole text is never in memory at once."""
        head = {**document, "format": FORMAT, "code": self.code}
        rows = head.pop(table, {}) if table is not None else {}
        _write_private(self.root, name, _chunks(head, table, rows), self.key)


def _chunks(head: dict[str, Any], table: str | None, rows: dict[str, Any], per_chunk: int = 2000) -> Iterator[bytes]:
    """``head`` with ``table: rows`` in it, as JSON text in pieces."""
    def dumps(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    text = dumps(head)
    if table is None:
        yield text.encode("utf-8")
        return
    yield (text[:-1] + ("," if len(head) else "") + dumps(table) + ":{").encode("utf-8")
    batch: list[str] = []
    for n, (key, value) in enumerate(rows.items()):
        batch.append(("," if n else "") + dumps(key) + ":" + dumps(value))
        if len(batch) >= per_chunk:
            yield "".join(batch).encode("utf-8")
            batch = []
    batch.append("}}")
    yield "".join(batch).encode("utf-8")


_STORES: dict[Path, Store | None] = {}


def store() -> Store | None:
    """The cache of this run (``None`` when it is off or its folder is not private).

    Chosen from the environment and checked each time it is asked (a stat); the key is
    read once per process.
    """
    root = cache_root()
    if root is None or not _private_folder(root):
        return None
    if _STORES.get(root) is None:
        try:
            _STORES[root] = Store(root)
        except OSError:
            return None
    return _STORES[root]


def reset() -> None:
    """Forget the cache folders checked in this process."""
    _STORES.clear()


_CODE: list[str] = []


# The modules whose code decides what a file's record is: the record definitions, the
# validator and the rules it runs, the readers of amounts, dates, text and ids, the loader,
# and this cache with its codec. An index written by other code is not used.
CODE_FILES = ("core/records.py", "core/rules.py", "core/money.py", "core/dates.py", "core/text.py", "core/ids.py",
              "storage/validate.py", "storage/loader.py", "storage/codec.py", "storage/cache.py")


def _code_version() -> str:
    """The version and the modules of :data:`CODE_FILES` (name, size, modification time)."""
    if not _CODE:
        _CODE.append(code_key(CODE_FILES))
    return _CODE[0]


def code_key(files: tuple[str, ...]) -> str:
    """A key for the package's version and the given module files (path inside the package, size, mtime)."""
    package = Path(__file__).resolve().parents[1]
    parts = [__version__]
    for name in files:
        try:
            st = os.stat(package / name)
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{name}:-")
    return blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


# --------------------------------------------------------------------------- one cluster folder


class Read:
    """One data file as the index found it: the record it holds (a cache hit), or the bytes
    read now with what is needed to remember the record made from them."""

    __slots__ = ("record", "data", "ident", "seen", "hash", "rel")

    def __init__(self, record: Any = None, data: bytes | None = None, ident: Identity | None = None,
                 seen: int = 0, hash: str | None = None, rel: str = "") -> None:
        self.record = record
        self.data = data
        self.ident = ident
        self.seen = seen
        self.hash = hash
        self.rel = rel


class FolderIndex:
    """The cached records of one cluster folder's files, keyed by their path inside it.

    ``verify`` is ``"stat"`` for reading commands (identity, and the hash when the identity
    is too recent to trust) or ``"content"`` for writing commands (always the hash of the
    bytes read now).
    """

    def __init__(self, cache: Store, folder: Path, verify: str = "stat") -> None:
        self.cache = cache
        self.folder = folder
        self.verify = verify
        self.name = cache.index_name(folder)
        document = cache.read(self.name)
        entries = document.get("files") if document is not None and document.get("folder") == str(folder.resolve()) else None
        self.entries: dict[str, list[Any]] = entries if isinstance(entries, dict) else {}
        self.extra: dict[str, Any] = {k: v for k, v in (document or {}).items()
                                      if k not in ("files", "folder", "format", "code")} if entries is not None else {}
        self.kept: dict[str, list[Any]] = {}
        self.changed = entries is None
        self.hits = 0

    def read(self, path: Path, cls: type, rel: str | None = None) -> Read | None:
        """The file's cached record, or its bytes read now; ``None`` when it cannot be read
        here (the loader's own reading then says why). ``rel`` is the path inside the folder."""
        rel = rel if rel is not None else os.path.relpath(path, self.folder)
        seen = time.time_ns()
        entry = self.entries.get(rel)
        if not (type(entry) is list and len(entry) == 4 and type(entry[0]) is list and type(entry[1]) is int
                and type(entry[3]) is str):
            entry = None
        if entry is not None and self.verify == "stat":
            try:
                st = os.stat(path)
            except OSError:
                return None
            if identity(st) == tuple(entry[0]) and max(st.st_mtime_ns, st.st_ctime_ns) < entry[1] - RACY_NS:
                record = self._decode(entry, cls)
                if record is not None:
                    self.kept[rel] = entry
                    self.hits += 1
                    return Read(record)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
                return None
            data = _read_all(fd)
        except OSError:
            return None
        finally:
            os.close(fd)
        ident = identity(st)
        hashed = digest(data)
        if entry is not None and entry[2] == hashed:
            record = self._decode(entry, cls)
            if record is not None:
                was_racy = max(ident[1], ident[2]) >= entry[1] - RACY_NS
                if list(ident) != entry[0] or was_racy:
                    # A new identity, or one that can be trusted from now on: worth writing down.
                    entry = [list(ident), seen, hashed, entry[3]]
                    self.changed = True
                self.kept[rel] = entry
                self.hits += 1
                return Read(record)
        return Read(None, data, ident, seen, hashed, rel)

    def remember(self, path: Path, found: Read, record: Any) -> None:
        """Keep the record made from the bytes ``found`` holds (a file that validated cleanly)."""
        if found.data is None or found.ident is None:
            return
        try:
            # The record's plain data as JSON text: one string per file in memory, not a tree of lists.
            payload = json.dumps(encode(record), separators=(",", ":"), ensure_ascii=False)
        except (TypeError, ValueError):  # pragma: no cover - every record type has a codec
            return
        self.kept[found.rel] = [list(found.ident), found.seen, found.hash, payload]
        self.changed = True

    def save(self, extra: dict[str, Any] | None = None) -> None:
        """Write the index back if anything in it changed (files gone are dropped)."""
        if extra:
            self.extra.update(extra)
            self.changed = True
        if set(self.kept) != set(self.entries):
            self.changed = True
        if not self.changed:
            return
        self.cache.write(self.name, {**self.extra, "folder": str(self.folder.resolve()), "files": self.kept}, table="files")
        self.entries = dict(self.kept)
        self.changed = False

    def _decode(self, entry: list[Any], cls: type) -> Any:
        try:
            return _decoders(cls)(json.loads(entry[3]))
        except (CodecError, IndexError, TypeError, ValueError):
            return None


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


_DECODERS: dict[type, Callable[[Any], Any]] = {}


def _decoders(cls: type) -> Callable[[Any], Any]:
    found = _DECODERS.get(cls)
    if found is None:
        found = _DECODERS[cls] = decoder(cls)
    return found


def folder_index(folder: Path, verify: str = "stat") -> FolderIndex | None:
    """The index of one cluster folder, or ``None`` when the cache is off."""
    cache = store()
    if cache is None:
        return None
    try:
        return FolderIndex(cache, folder, verify)
    except OSError:
        return None


# --------------------------------------------------------------------------- one result per cluster folder

# A folder's state: every file the loader reads (the cluster and reference files, every
# *.toml in the record folders that is not a dot-file), each by its identity, and how each
# record folder is (missing, a folder, or not readable).
SUMMARY_SUFFIX = ".summary.json"


class FolderState:
    """What a cluster folder holds now, as identities: equal states mean the same files."""

    __slots__ = ("fingerprint", "newest", "seen")

    def __init__(self, fingerprint: str, newest: int, seen: int) -> None:
        self.fingerprint = fingerprint
        self.newest = newest
        self.seen = seen


def folder_state(folder: Path, record_folders: tuple[str, ...], files: tuple[str, ...]) -> FolderState:
    """The identities of ``files`` and of every ``*.toml`` file (not a dot-file) in ``record_folders``.

    Files are taken in the order the folder lists them: the same files listed in another
    order only make the state differ (a result computed again), never the same.
    """
    seen = time.time_ns()
    names: list[str] = []
    numbers = array("Q")  # mode, size, inode, device of each file (unsigned)
    times = array("q")  # its mtime_ns and ctime_ns (signed: a time stamp may lie before 1970)
    base = os.fspath(folder)
    for rel in files:
        try:
            st = os.stat(os.path.join(base, rel))
            names.append(rel)
            numbers.extend((st.st_mode, st.st_size, st.st_ino, st.st_dev))
            times.extend((st.st_mtime_ns, st.st_ctime_ns))
        except OSError as exc:
            names.append(f"{rel}!{exc.errno}")
    for name in record_folders:
        try:
            listing = os.scandir(os.path.join(base, name))
        except OSError as exc:
            names.append(f"{name}/!{exc.errno}")
            continue
        names.append(f"{name}/")
        with listing:
            for entry in listing:
                entry_name = entry.name
                if entry_name.startswith(".") or not entry_name.endswith(".toml"):
                    continue
                try:
                    st = entry.stat()  # follows a symbolic link, as reading the file does
                except OSError as exc:
                    names.append(f"{entry_name}!{exc.errno}")
                    continue
                names.append(entry_name)
                numbers.extend((st.st_mode, st.st_size, st.st_ino, st.st_dev))
                times.extend((st.st_mtime_ns, st.st_ctime_ns))
    newest = max(times, default=0)
    hasher = blake2b("\0".join(names).encode("utf-8", "surrogateescape"), digest_size=20)
    hasher.update(numbers.tobytes())
    hasher.update(times.tobytes())
    return FolderState(hasher.hexdigest(), newest, seen)


_WIDE: list[str] = []


def _package_key() -> str:
    """A key for every module of the package: a result made from a whole ledger depends on most of them."""
    if not _WIDE:
        package = Path(__file__).resolve().parents[1]
        files = []
        for folder, dirs, names in os.walk(package):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
            files += [os.path.relpath(os.path.join(folder, n), package) for n in sorted(names) if n.endswith(".py")]
        _WIDE.append(code_key(tuple(files)))
    return _WIDE[0]


class Summaries:
    """Results computed from a whole cluster folder (``clusters``' row, ``check``'s findings),
    kept beside its index and used only while the folder's state is the same and not too
    recent to trust (as for single files). Reading commands only."""

    def __init__(self, cache: Store, folder: Path, state: FolderState) -> None:
        self.cache = cache
        self.folder = folder
        self.state = state
        self.name = cache.index_name(folder)[: -len(".json")] + SUMMARY_SUFFIX
        document = cache.read(self.name)
        usable = (document is not None and document.get("folder") == str(folder.resolve())
                  and document.get("package") == _package_key() and document.get("state") == state.fingerprint
                  and isinstance(document.get("seen"), int) and state.newest < document["seen"] - RACY_NS)
        self.results: dict[str, Any] = document.get("results", {}) if usable else {}  # type: ignore[union-attr]
        if not isinstance(self.results, dict):
            self.results = {}
        self.changed = False

    def get(self, kind: str, context: str = "") -> Any:
        """The result of ``kind`` (for ``context``, e.g. the day a check was judged on), or ``None``."""
        found = self.results.get(kind)
        if isinstance(found, list) and len(found) == 2 and found[0] == context:
            return found[1]
        return None

    def put(self, kind: str, context: str, payload: Any) -> None:
        self.results[kind] = [context, payload]
        self.changed = True

    def save(self) -> None:
        if self.changed:
            self.cache.write(self.name, {"folder": str(self.folder.resolve()), "package": _package_key(),
                                         "state": self.state.fingerprint, "seen": self.state.seen,
                                         "results": self.results})
            self.changed = False


def summaries(folder: Path, record_folders: tuple[str, ...], files: tuple[str, ...]) -> Summaries | None:
    """The kept results of one cluster folder as it is now, or ``None`` when the cache is off."""
    cache = store()
    if cache is None:
        return None
    return Summaries(cache, folder, folder_state(folder, record_folders, files))
