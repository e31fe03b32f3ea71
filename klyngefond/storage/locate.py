"""Finding the data folder and the cluster a person named.

The data folder is, in order: ``--data DIR``, the ``KLYNGEFOND_DATA`` variable, ``./data``
in the current folder, and the example data inside the package (``klyngefond/examples/data``,
installed with every wheel; ``data/`` at the top of the repository points to it). So a fresh
clone and a plain ``pip install`` both work without any option, and the examples are never
written to: :func:`is_shipped` is true for everything under ``klyngefond/examples``.
Cluster names are matched forgivingly: case, Danish letters typed as ``o``/``oe``, hyphens,
and words like "Sundhedsklynge" do not matter.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from klyngefond.core.ids import fold_variants

ENV_VAR = "KLYNGEFOND_DATA"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SHIPPED_DATA = EXAMPLES / "data"  # the clusters of the meeting papers
FICTIONAL_DATA = EXAMPLES / "fictional"  # a made-up cluster with full partner details (invoicing)
GENERIC_WORDS = {"sundhedsklynge", "sundhedsklyngen", "klynge", "klyngen", "sundhedsklynger"}


class DataNotFound(Exception):
    """No data folder was found; ``looked`` lists where, in order."""

    def __init__(self, looked: list[tuple[str, Path]]) -> None:
        super().__init__("no klyngefond data folder found")
        self.looked = looked


class DuplicateCluster(Exception):
    """Two cluster folders carry the same cluster id; their invoice numbers and documents would mix."""

    def __init__(self, cluster_id: str, folders: list[Path]) -> None:
        super().__init__(cluster_id)
        self.cluster_id = cluster_id
        self.folders = folders


class UnknownCluster(Exception):
    """A cluster name that matches no folder; carries the known clusters and the closest match."""

    def __init__(self, query: str, known: list[tuple[str, str]], closest: str | None) -> None:
        super().__init__(f"unknown cluster {query!r}")
        self.query = query
        self.known = known
        self.closest = closest


def find_data_dir(explicit: Path | None = None) -> Path:
    """The data folder to use, or DataNotFound saying where it looked."""
    looked: list[tuple[str, Path]] = []
    if explicit is not None:
        looked.append(("--data", explicit))
        if explicit.is_dir():
            return explicit
        raise DataNotFound(looked)
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        looked.append((ENV_VAR, path))
        if path.is_dir():
            return path
        raise DataNotFound(looked)
    for origin, path in (("./data", Path.cwd() / "data"), ("examples", SHIPPED_DATA)):
        looked.append((origin, path))
        if _has_clusters(path):
            return path
    raise DataNotFound(looked)


def is_shipped(path: Path) -> bool:
    """Whether ``path`` is (in) the example data shipped with klyngefond, which is never written to."""
    try:
        return path.resolve().is_relative_to(EXAMPLES.resolve())
    except (OSError, RuntimeError):
        return False


def _has_clusters(path: Path) -> bool:
    return path.is_dir() and any(child.is_dir() and not child.name.startswith(".") for child in path.iterdir())


def cluster_folders(data_dir: Path) -> list[Path]:
    """Every cluster folder in the data folder, sorted by name."""
    try:
        return sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    except (FileNotFoundError, NotADirectoryError):
        return []
    # Any other OSError (an unreadable data folder) reaches the person with the path, not as "no clusters".


@dataclass(frozen=True)
class ClusterName:
    folder: Path
    id: str
    name: str
    aliases: tuple[str, ...]


def read_names(folder: Path) -> ClusterName:
    """The names a cluster goes by, read cheaply from its cluster file (no validation)."""
    try:
        with (folder / "cluster.toml").open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        raw = {}
    name = raw.get("name") if isinstance(raw.get("name"), str) else folder.name
    aliases = tuple(a for a in raw.get("aliases", ()) if isinstance(a, str)) if isinstance(raw.get("aliases"), list) else ()
    cluster_id = raw.get("id") if isinstance(raw.get("id"), str) else folder.name
    return ClusterName(folder, cluster_id, name, aliases)


def match_keys(text: str) -> set[str]:
    """The folded spellings of a name, with and without the generic words around it."""
    keys: set[str] = set()
    for variant in fold_variants(text):
        words = variant.split()
        keys.add(" ".join(words))
        keys.add(" ".join(w for w in words if w not in GENERIC_WORDS))
    keys.discard("")
    return keys


def resolve_cluster(data_dir: Path, query: str) -> Path:
    """The folder of the cluster ``query`` names; UnknownCluster with the closest match, or
    DuplicateCluster when another folder carries the same cluster id."""
    folder = _resolve(data_dir, query)
    duplicates = same_id(data_dir, folder)
    if duplicates:
        raise DuplicateCluster(read_names(folder).id, [folder, *duplicates])
    return folder


def same_id(data_dir: Path, folder: Path) -> list[Path]:
    """Other cluster folders whose cluster file has the same id as ``folder``'s."""
    wanted = read_names(folder).id
    return [other for other in cluster_folders(data_dir) if other != folder and read_names(other).id == wanted]


def _resolve(data_dir: Path, query: str) -> Path:
    folders = cluster_folders(data_dir)
    wanted = match_keys(query)
    # The folder name usually matches; reading every cluster file is the fallback.
    for folder in folders:
        if wanted & match_keys(folder.name):
            return folder
    names = [read_names(folder) for folder in folders]
    for entry in names:
        if wanted & set().union(*(match_keys(n) for n in (entry.id, entry.name, *entry.aliases))):
            return entry.folder
    # Last, a name given by only some of its words ("roskilde" for Roskilde/Køge), if unambiguous.
    partial = [entry for entry in names if any(_words_within(wanted, entry, n) for n in (entry.folder.name, entry.name, *entry.aliases))]
    if len(partial) == 1:
        return partial[0].folder
    candidates = {key: entry for entry in names for n in (entry.folder.name, entry.name, *entry.aliases) for key in match_keys(n)}
    close = difflib.get_close_matches(max(wanted, key=len, default=query), list(candidates), n=1, cutoff=0.5)
    closest = candidates[close[0]].name if close else None
    raise UnknownCluster(query, [(entry.folder.name, entry.name) for entry in names], closest)


def _words_within(wanted: set[str], entry: ClusterName, name: str) -> bool:
    """True when every word of some spelling of the query is a word of ``name``."""
    name_words = [set(key.split()) for key in match_keys(name)]
    return any(query.split() and set(query.split()) <= words for query in wanted for words in name_words)
