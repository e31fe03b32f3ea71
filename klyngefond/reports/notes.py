"""Notes attached to a report: a code and its facts, worded by the renderer in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Note:
    """``code`` names the template (see ``render.i18n``); ``params`` fill it in."""

    code: str
    params: tuple[tuple[str, Any], ...]

    def __init__(self, code: str, **params: Any) -> None:
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", tuple(params.items()))

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)
