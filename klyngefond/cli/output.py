"""Writing a command's result: text laid out for the terminal, JSON for scripts, or a document file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from klyngefond.cli.errors import Refused, UsageProblem
from klyngefond.i18n import Message, Verbatim, t
from klyngefond.render import terminal
from klyngefond.render.terminal import safe_print


def emit_json(payload: Any) -> None:
    """JSON on stdout: UTF-8 text, or ``\\u00e6`` escapes when the terminal cannot show ``æ`` (same data either way)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    sys.stdout.write(json.dumps(payload, ensure_ascii=not encoding.startswith("utf"), indent=2) + "\n")


def emit_text(render: Callable[[int | None], str]) -> None:
    """Print what ``render(width)`` gives for the terminal's width (no limit for a pipe)."""
    text = render(terminal.width())
    terminal.safe_print(text.rstrip("\n"))


def write_file(path: Path, data: bytes, *, force: bool) -> None:
    """Write ``data`` to ``path`` atomically; an existing file is replaced only with ``--force``."""
    # Only a run that writes a file needs atomic writing (and what it imports): not every reader.
    from klyngefond.storage.atomic import TargetExistsError, WriteError, write_new, write_replace

    try:
        if force:
            write_replace(path, data)
        else:
            write_new(path, data)
    except TargetExistsError:
        raise Refused(Message("cli.output_exists", path=str(path)), Message("cli.hint_output_exists")) from None
    except WriteError as exc:
        raise Refused(Message("cli.cannot_write", path=str(path), reason=Message(exc.reason))) from None


# --------------------------------------------------------------------------- --format / --output / --force

ALIASES = {"markdown": "md", "excel": "xlsx", "htm": "html", "text": "table", "txt": "table"}
BINARY = ("xlsx", "pdf")


def choose_format(value: str | None, formats: tuple[str, ...], output: Path | None) -> str | None:
    """The format asked for (``markdown`` is ``md``), or the one ``output``'s extension names; ``None`` if neither says."""
    if value is None:
        if output is None or str(output) == "-":
            return None
        suffix = output.suffix.lower().lstrip(".")
        suffix = ALIASES.get(suffix, suffix)
        return suffix if suffix in formats and suffix != "table" else None
    cleaned = value.strip().lower()
    cleaned = ALIASES.get(cleaned, cleaned)
    if cleaned not in formats:
        raise UsageProblem(Message("cli.unknown_format", value=Verbatim(value), choices=list(formats)))
    return cleaned


def render_document(document: Any, fmt: str) -> str | bytes:
    """``document`` in ``fmt``; the writer (and its library) is imported only now."""
    if fmt == "md":
        from klyngefond.render import doc_markdown as writer
    elif fmt == "csv":
        from klyngefond.render import doc_csv as writer  # type: ignore[no-redef]
    elif fmt == "xlsx":
        from klyngefond.render import doc_xlsx as writer  # type: ignore[no-redef]
    elif fmt == "html":
        from klyngefond.render import doc_html as writer  # type: ignore[no-redef]
    elif fmt == "pdf":
        from klyngefond.render import doc_pdf as writer  # type: ignore[no-redef]
    else:  # pragma: no cover - choose_format allows only the formats above
        raise ValueError(fmt)
    from klyngefond.render.typst_engine import RenderError

    try:
        return writer.render(document)  # type: ignore[no-any-return]
    except RenderError as exc:  # pragma: no cover - a template bug: say so instead of a traceback
        raise Refused(Message("report.cannot_render", format=fmt, reason=Verbatim(exc.reason))) from None


def export_format(opts: Any, formats: tuple[str, ...]) -> str:
    """The format of a report's output: ``json`` with ``--json``, else ``--format`` or ``--output``'s extension, else ``table``."""
    fmt = choose_format(opts.output_format, formats, opts.output)
    if opts.as_json:
        if opts.output_format is not None and fmt != "table":
            raise UsageProblem(Message("report.json_and_format", format=fmt))
        return "json"
    return fmt or "table"


def deliver(fmt: str, *, output: Path | None, force: bool, lang: str, document: Callable[[], Any],
            text: Callable[[int | None], str] | None = None, json_payload: Callable[[], Any] | None = None) -> None:
    """Write a report in ``fmt``: to the screen (``output`` ``None`` or ``-``) or to a new file.

    The rules are the same for every command: ``table`` is the terminal's layout (a file gets
    it without a width limit); a file is never replaced without ``--force``; a CSV file starts
    with a UTF-8 byte order mark (without it Excel on Windows reads æ, ø, å wrongly; the
    screen and pipes get none); xlsx and pdf are never written to a terminal.
    """
    to_screen = output is None or str(output) == "-"
    if fmt == "json":
        assert json_payload is not None
        if to_screen:
            emit_json(json_payload())
            return
        data: str | bytes = json.dumps(json_payload(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "table":
        assert text is not None
        if to_screen:
            emit_text(text)
            return
        data = text(None)
    else:
        data = render_document(document(), fmt)
    if to_screen:
        if isinstance(data, bytes):
            if _is_terminal():
                raise UsageProblem(Message("report.binary_to_terminal", format=fmt), Message("report.hint_binary_to_terminal"))
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
        return
    assert output is not None
    if isinstance(data, str):
        data = ("\ufeff" if fmt == "csv" else "").encode("utf-8") + data.encode("utf-8")
    write_file(output, data, force=force)
    safe_print(t("cli.wrote", lang, path=str(output)), err=True)


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
