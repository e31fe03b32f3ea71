"""A problem found in the data files: where it is, what is wrong, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """``file`` and ``key`` locate the problem; ``hint`` says how to fix it."""

    file: Path
    key: str | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}" + (f": {self.key}" if self.key else "")
        return f"{where}: {self.message}" + (f" ({self.hint})" if self.hint else "")
