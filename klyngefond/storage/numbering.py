"""Invoice numbers: short, speakable, per issuer and year, unique across the data folder.

A number is ``<prefix>-<year>-<running number>``, e.g. ``ESB-2024-0007``: at most 20
characters, so it fits OIOUBL's payment note (the payer's remittance text) whole.

* The prefix names the issuer: the partner's ``invoice_prefix`` if set, else derived from its
  short name or name (:func:`derive_prefix`: ``Esbjerg`` → ``ESB``, ``Region Syddanmark`` →
  ``RSY``).
* The running number counts per prefix and year **across the whole data folder**, not per
  cluster: a region that is a member of four clusters has one sequence, so it never sends
  two documents with the same number. The counters live in ``<data>/.invoice-numbers.toml``.
* A prefix belongs to one legal entity (its CVR number; the ``[owners]`` table of the same
  file). When another issuer would get the same prefix (``Vejen`` and ``Vejle`` both derive
  ``VEJ``), numbering refuses and asks for an ``invoice_prefix`` for one of them.
* Numbers are never reused: the counter is written before a number is used, and a number
  already on a file in any cluster's ``invoices/`` is skipped even if the counter is lost.

Numbers issued by earlier versions (``vesterhavet-havby-0003``) stay valid as they are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from klyngefond.core.records import Partner

COUNTER_FILE = ".invoice-numbers.toml"
MAX_LENGTH = 20  # OIOUBL PaymentNote (F-LIB111/F-LIB133)
GENERIC_WORDS = {"kommune", "kommunes", "region", "regionen", "regions", "sundhedsklynge", "sundhedsklyngen", "klynge",
                 "almen", "praksis"}
REGION_WORDS = {"region", "regionen", "regions"}
_FOLD = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "é": "e", "è": "e"}


class PrefixTaken(Exception):
    """``prefix`` already numbers the documents of another issuer (``holder``)."""

    def __init__(self, prefix: str, holder: str, counter_file: Path) -> None:
        super().__init__(f"{prefix} is used by {holder}")
        self.prefix = prefix
        self.holder = holder
        self.counter_file = counter_file


def derive_prefix(partner: Partner) -> str:
    """The issuer code of ``partner``'s invoice numbers: its ``invoice_prefix``, else three capitals
    from its short name, name or id, leaving out words like Kommune and Region.

    ``Esbjerg`` → ``ESB``, ``Fanø`` → ``FAN``; a region gets ``R`` and two letters of its name:
    ``Region Syddanmark`` → ``RSY``, ``Region Sjælland`` → ``RSJ``.
    """
    if partner.invoice_prefix:
        return partner.invoice_prefix
    for source in (partner.short_name, partner.name, partner.id.replace("-", " ")):
        words = [_fold(word) for word in re.split(r"[\W_]+", source or "") if word]
        words = [w for w in words if w]
        rest = [w for w in words if w.lower() not in GENERIC_WORDS]
        if not rest:
            continue
        first = "".join(rest).upper()  # the first word, continued by the next when it is short
        prefix = "R" + first[:2] if any(w.lower() in REGION_WORDS for w in words) else first[:3]
        if not prefix[0].isalpha():
            prefix = "K" + prefix[:2]
        if len(prefix) >= 2:
            return prefix
    return "KF"


def _fold(word: str) -> str:
    folded = "".join(_FOLD.get(ch, ch) for ch in word.lower())
    return re.sub(r"[^a-z0-9]", "", folded)


def number(prefix: str, year: int, sequence: int) -> str:
    """``ESB-2024-0007``."""
    return f"{prefix}-{year}-{sequence:04d}"


def owner_of(partner: Partner, cluster_id: str) -> str:
    """Who a prefix belongs to: the legal entity (CVR) when known, else the partner in its cluster."""
    return f"cvr:{partner.cvr.strip()}" if partner.cvr else f"partner:{cluster_id}/{partner.id}"


def counter_file(data_folder: Path) -> Path:
    return Path(data_folder) / COUNTER_FILE


def split_number(text: str) -> tuple[str, int, int] | None:
    """(prefix, year, running number) of an invoice number in :func:`number`'s form
    (``RVE-2024-0012``), else ``None``. ASCII digits only: ``str.isdigit()`` also takes
    ``²``, which ``int()`` refuses, and a file name is anyone's text. (By hand, not a regular
    expression: ``check`` splits every invoice number of the data folder.)"""
    parts = text.rsplit("-", 2)
    if len(parts) == 3 and len(parts[1]) == 4 and len(parts[2]) >= 4 and parts[0] and "-" not in parts[0] \
            and (parts[1] + parts[2]).isascii() and parts[1].isdigit() and parts[2].isdigit():
        return parts[0], int(parts[1]), int(parts[2])
    return None


@dataclass
class NumbersOnFile:
    """The invoice numbers on file in a data folder, read in one pass over every cluster's
    ``invoices/``: ``numbers`` all of them, ``highest`` per prefix and year the highest running
    number and the number that carries it. One issuing reads it once (under the cluster's
    lock) and adds each number it hands out, instead of searching the folders per document."""

    numbers: set[str] = field(default_factory=set)
    highest: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, data_folder: Path, known: dict[Path, list[str]] | None = None) -> NumbersOnFile:
        """The numbers of every cluster folder in ``data_folder``; ``known`` gives the numbers of
        folders already listed (:func:`invoice_numbers`), which are not listed again."""
        found = cls()
        known = known or {}
        try:
            clusters = [Path(entry.path) for entry in os.scandir(data_folder) if not entry.name.startswith(".")]
        except OSError:
            return found
        for cluster in clusters:
            numbers = known.get(cluster)
            for number in numbers if numbers is not None else invoice_numbers(cluster):
                found.add(number)
        return found

    def add(self, number: str) -> None:
        self.numbers.add(number)
        split = split_number(number)
        if split is not None:
            prefix, year, running = split
            if running > self.highest.get((prefix, year), (0, ""))[0]:
                self.highest[(prefix, year)] = (running, number)

    def floor(self, prefix: str, year: int) -> int:
        return self.highest.get((prefix, year), (0, ""))[0]


def invoice_numbers(cluster_folder: Path) -> list[str]:
    """The numbers of a cluster folder's invoice files (an invoice file is named by its number), sorted."""
    try:
        entries = os.scandir(os.path.join(cluster_folder, "invoices"))
    except OSError:
        return []
    with entries:
        return sorted(entry.name[:-5] for entry in entries if entry.name.endswith(".toml") and not entry.name.startswith("."))


def used_numbers(data_folder: Path, prefix: str, year: int) -> list[int]:
    """The running numbers of ``prefix`` and ``year`` already on an invoice file in any cluster."""
    pattern = re.compile(re.escape(f"{prefix}-{year}-") + r"(\d{4,})")
    found = []
    for path in Path(data_folder).glob(f"*/invoices/{prefix}-{year}-*.toml"):
        match = pattern.fullmatch(path.stem)
        if match:
            found.append(int(match.group(1)))
    return found


def next_invoice_number(data_folder: Path, cluster_id: str, partner: Partner, year: int,
                        taken: Callable[[str], bool] = lambda number: False, on_file: NumbersOnFile | None = None) -> str:
    """The next number of ``partner``'s documents dated in ``year``, recorded as used before it is returned.

    ``taken`` says whether a number is already in use in a way the files do not show (e.g.
    an invoice of the run being issued). ``on_file`` is the data folder's numbers as read
    once for a whole issuing (the number returned is added to it); without it the folders
    are searched. Raises :class:`PrefixTaken` when the prefix belongs to another issuer, and
    ``storage.sequence.SequenceError`` when the counter file is unusable.
    """
    from klyngefond.storage.sequence import SequenceClaimed, next_number

    prefix = derive_prefix(partner)
    counters = counter_file(data_folder)
    floor = on_file.floor(prefix, year) if on_file is not None else max(used_numbers(data_folder, prefix, year), default=0)
    for _ in range(10_000):
        try:
            sequence = next_number(counters, f"{prefix}-{year}", at_least=floor + 1, claim=(prefix, owner_of(partner, cluster_id)))
        except SequenceClaimed as exc:
            raise PrefixTaken(prefix, exc.holder, counters) from None
        candidate = number(prefix, year, sequence)
        if len(candidate) > MAX_LENGTH:  # pragma: no cover - a prefix of 8 and a millionth document
            raise ValueError(f"invoice number {candidate} is longer than {MAX_LENGTH} characters")
        if taken(candidate):
            continue
        if on_file is not None:
            if candidate not in on_file.numbers:
                on_file.add(candidate)
                return candidate
        elif not any(Path(data_folder).glob(f"*/invoices/{candidate}.toml")):
            return candidate
    raise ValueError(f"no free invoice number for {prefix}-{year}")  # pragma: no cover
