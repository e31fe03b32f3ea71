"""The one document engine for PDFs: Typst (the ``typst`` wheel), PDF/A, data as one JSON input.

A template is a ``.typ`` file in a package's ``templates/`` folder (package data: the meeting
pack's in ``klyngefond/render``, the invoice's in ``klyngefond/documents``). Its data
arrives as ONE JSON string in ``sys.inputs.data``; the template reads it with
``json(bytes(sys.inputs.data))`` and places the values as strings, which Typst never parses
as markup. Data is never put into Typst source: a name with ``#``, ``*`` or ``$`` would
otherwise run as code. Other inputs (an invoice's OIOUBL XML, to attach under PDF/A-3) go
in ``inputs``, as strings too.

* Fonts: only those bundled with the compiler (Libertinus Serif, New Computer Modern,
  DejaVu Sans Mono); system fonts are ignored, so the same data gives the same bytes on
  every machine (with the same ``timestamp``), and no font scan costs start-up time.
* PDF/A: Typst checks the standard while it writes and refuses what breaks it. A character
  none of the bundled fonts can show (an emoji, Chinese) is such a breach; it is replaced
  by U+FFFD (�) and the document is made again, rather than failing the whole document.
* The compiler is made once per process and reused, so a batch (fifty invoices) costs a
  few milliseconds a document. The template's bytes are passed to every ``compile`` (the
  wheel otherwise forgets in-memory sources after the first).

``import typst`` happens on the first document, so commands that make no PDF never load it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

STANDARD = "a-2b"
REPLACEMENT = "\ufffd"
_UNDISPLAYABLE = re.compile(r"the text `\"(.+?)\"` could not be displayed")
MAX_ATTEMPTS = 8


class RenderError(Exception):
    """Typst refused the document; ``reason`` says why (a bug in a template, in practice)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@lru_cache(maxsize=None)
def template(name: str, package: str = "klyngefond.render") -> bytes:
    """The bytes of ``<package>/templates/<name>`` (package data)."""
    return (resources.files(package) / "templates" / name).read_bytes()


@lru_cache(maxsize=1)
def _compiler() -> Any:
    import typst

    return typst.Compiler(ignore_system_fonts=True)


def compile_pdf(name: str, data: Any, *, standard: str | None = STANDARD, inputs: dict[str, str] | None = None,
                timestamp: dt.datetime | None = None, package: str = "klyngefond.render") -> bytes:
    """The PDF of template ``name`` over ``data`` (anything ``json.dumps`` takes), to ``standard`` (``a-2b``, ``a-3b``, …)."""
    import typst

    source = template(name, package)
    for _ in range(MAX_ATTEMPTS):
        sys_inputs = {"data": json.dumps(data, ensure_ascii=False), **(inputs or {})}
        try:
            pdf = _compiler().compile(input=source, format="pdf", sys_inputs=sys_inputs,
                                      pdf_standards=[standard] if standard else [], timestamp=timestamp)
        except typst.TypstError as exc:
            missing = set("".join(_UNDISPLAYABLE.findall(exc.message)))
            if not missing:
                raise RenderError(exc.message) from None
            data = _replaced(data, missing)
            continue
        return pdf  # type: ignore[no-any-return]
    raise RenderError("characters the bundled fonts cannot show")  # pragma: no cover - each attempt replaces more


def _replaced(value: Any, missing: set[str]) -> Any:
    """``value`` with every character in ``missing``, and every one outside the Basic Multilingual Plane's
    alphabets (emoji, CJK, …; the bundled fonts have none of them), replaced by U+FFFD."""
    if isinstance(value, str):
        return "".join(REPLACEMENT if c in missing or ord(c) >= 0x2E80 else c for c in value)
    if isinstance(value, list):
        return [_replaced(v, missing) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, missing) for k, v in value.items()}
    return value
