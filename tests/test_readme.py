"""The README's examples are run and their output compared, so the README cannot drift.

The convention (the README's last section sums it up for writers):

* An example is a fenced code block whose lines start with ``$ klyngefond``; each such line is a
  command (a line ending in ``\\`` continues on the next), and the lines after it, up to the next
  ``$`` line, are its output (standard output, then standard error).
* The line before the block is a marker: ``<!-- readme-test: data=shipped -->``, with
  ``key=value`` pairs separated by commas:

  - ``data=shipped`` (the default) runs in a fresh folder whose ``./data`` is a copy of the
    examples of the meeting papers; ``data=fixture`` a copy of the fictional Testklynge
    Vesterhavet; ``data=examples`` both (as ``klyngefond examples ./data`` gives);
    ``data=none`` no ``./data`` at all (the examples inside the package are read, read-only);
  - ``session=NAME``: blocks with the same session share one folder, in README order, so a
    walkthrough can record in one block and show the status in the next;
  - ``setup="klyngefond …; klyngefond …"``: commands run first, their output not compared;
  - ``columns=80`` (the default) lays tables out for a terminal that wide; ``columns=none`` as
    for a pipe (nothing wrapped);
  - ``skip="reason"`` does not run the block; the test reports it as skipped, with the reason.

* The output is compared after taking away trailing spaces and trailing empty lines and
  writing the folder the example ran in as ``.`` (and the examples inside the package as
  ``<klyngefond>/examples``); a line that is only ``…`` stands for any
  number of lines. A block that names a command this installation does not have is reported
  as skipped with that reason. An example without a marker fails: nothing is skipped silently.

``python tests/test_readme.py README.md`` writes the current output into every block that has
a marker and no ``…`` line (review the diff before committing it).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md"]
EXAMPLES = REPO / "klyngefond" / "examples"
DATA = {"shipped": [EXAMPLES / "data"], "fixture": [EXAMPLES / "fictional"],
        "examples": [EXAMPLES / "data", EXAMPLES / "fictional"], "none": []}
MARKER = re.compile(r"<!--\s*readme-test:(?P<options>.*?)-->")
FENCE = re.compile(r"^(```+|~~~+)(\w*)\s*$")
ANY_LINES = ("…", "...")


@dataclass
class Command:
    args: list[str]
    expected: list[str] = field(default_factory=list)


@dataclass
class Example:
    document: Path
    line: int  # of the opening fence, 1-based
    options: dict[str, str] | None
    commands: list[Command]
    body: tuple[int, int]  # the lines between the fences, 0-based, end exclusive

    @property
    def name(self) -> str:
        first = " ".join(self.commands[0].args[:3]) if self.commands else "?"
        return f"{self.document.name}:{self.line} {first}"


def parse_options(text: str) -> dict[str, str]:
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace = ","
    lexer.whitespace_split = True
    options = {}
    for item in lexer:
        key, _, value = item.strip().partition("=")
        options[key.strip()] = value.strip()
    return options


def fenced_blocks(lines: list[str]) -> Iterator[tuple[int, int, list[str]]]:
    """Each fenced block of ``lines``: the index of its opening fence, of its closing fence, and the lines between."""
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if not fence:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not lines[end].startswith(fence.group(1)):
            end += 1
        yield index, end, lines[index + 1:end]
        index = end + 1


def examples(document: Path) -> list[Example]:
    """Every fenced block of ``document`` that has ``$ klyngefond`` (or any ``$``) command lines."""
    lines = document.read_text(encoding="utf-8").splitlines()
    found = []
    for index, end, body in fenced_blocks(lines):
        if any(line.startswith("$ ") for line in body):
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            marker = MARKER.search(lines[before]) if before >= 0 else None
            found.append(Example(document, index + 1, parse_options(marker.group("options")) if marker else None,
                                 commands(body), (index + 1, end)))
    return found


def commands(body: list[str]) -> list[Command]:
    result: list[Command] = []
    pending = ""
    for line in body:
        if pending or line.startswith("$ "):
            text = pending + (line[2:] if not pending else " " + line.strip())
            if text.endswith("\\"):
                pending = text[:-1].rstrip()
                continue
            pending = ""
            result.append(Command(shlex.split(text, comments=True)))
        elif result:
            result[-1].expected.append(line)
    return result


def without_schema_warning(lines: list[str]) -> list[str]:
    """Without the note that the UBL 2.1 schema was not found: a clone without ``../shared`` prints it
    after writing e-invoices, and the README shows the output of a machine that has the schema."""
    from klyngefond.i18n import LANGS, t

    notes = {"klyngefond: " + t("invoices.no_schema", lang) for lang in LANGS}
    return [line for line in lines if line.rstrip() not in notes]


def normalised(text: str, folder: Path) -> list[str]:
    from klyngefond.storage.locate import EXAMPLES as INSTALLED

    text = text.replace(str(folder) + os.sep, "").replace(str(folder), ".").replace(str(INSTALLED), "<klyngefond>/examples")
    lines = without_schema_warning([line.rstrip() for line in text.splitlines()])
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual``, a line ``…`` standing for any number of lines."""
    expected = [line.rstrip() for line in expected]
    while expected and not expected[-1]:
        expected.pop()
    pattern = "".join("(?:.*\n)*?" if line.strip() in ANY_LINES else re.escape(line) + "\n" for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


ALL = [example for document in DOCUMENTS if document.exists() for example in examples(document)]
SESSIONS: dict[str, Path] = {}


def test_the_documents_have_examples() -> None:
    assert len([e for e in ALL if e.document.name == "README.md"]) >= 12


def prepare(example: Example, tmp_path: Path) -> Path:
    options = example.options or {}
    session = options.get("session")
    if session and session in SESSIONS:
        return SESSIONS[session]
    folder = tmp_path / "work"
    folder.mkdir()
    kind = options.get("data", "shipped")
    if kind not in DATA:
        pytest.fail(f"{example.name}: unknown data={kind!r}; use one of {sorted(DATA)}")
    for source in DATA[kind]:
        shutil.copytree(source, folder / "data", dirs_exist_ok=True)
    if session:
        SESSIONS[session] = folder
    return folder


def run(cli, args: list[str], columns: str | None):  # type: ignore[no-untyped-def]
    if not args or args[0] != "klyngefond":
        pytest.fail(f"only klyngefond commands can be run: {' '.join(args)}")
    env = {"COLUMNS": columns} if columns else {}
    return cli(*args[1:], env=env)


def missing_commands(example: Example) -> list[str]:
    from klyngefond.cli.main import available
    from klyngefond.cli.registry import COMMANDS

    wanted = [c.args[1] for c in example.commands if len(c.args) > 1 and c.args[0] == "klyngefond" and c.args[1] in COMMANDS]
    return sorted({name for name in wanted if not available(name)})


@pytest.mark.parametrize("example", ALL, ids=[e.name for e in ALL])
def test_readme_example(cli, example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    if example.options is None:
        pytest.fail(f"{example.name}: an example needs a marker on the line before it, e.g. "
                    "<!-- readme-test: data=shipped --> or <!-- readme-test: skip=\"why\" -->")
    if "skip" in example.options:
        pytest.skip(f"{example.name}: {example.options['skip']}")
    missing = missing_commands(example)
    if missing:
        pytest.skip(f"{example.name}: {', '.join(missing)} is not part of this installation")
    folder = prepare(example, tmp_path)
    monkeypatch.chdir(folder)
    columns = example.options.get("columns", "80")
    columns = None if columns == "none" else columns
    for setup in filter(None, (part.strip() for part in example.options.get("setup", "").split(";"))):
        result = run(cli, shlex.split(setup), columns)
        assert result.code in (0, 1), f"setup {setup!r} failed:\n{result.err}"
    for command in example.commands:
        result = run(cli, command.args, columns)
        actual = normalised(result.out + result.err, folder)
        assert matches(command.expected, actual), (
            f"{example.name}: the output of `{' '.join(command.args)}` has changed\n--- in the document\n"
            + "\n".join(command.expected) + "\n--- now\n" + "\n".join(actual))


# --------------------------------------------------------------------------- the command lines without output


def plain_commands(document: Path) -> list[tuple[int, list[str]]]:
    """The ``klyngefond …`` lines of the blocks that list commands without their output (no ``$``),
    such as the list of report formats: each must run as written."""
    found = []
    for index, _, body in fenced_blocks(document.read_text(encoding="utf-8").splitlines()):
        if not any(line.startswith("$ ") for line in body):
            for offset, line in enumerate(body):
                if line.startswith("klyngefond "):
                    found.append((index + 2 + offset, shlex.split(line, comments=True)))
    return found


PLAIN = [(document, line, words) for document in DOCUMENTS for line, words in plain_commands(document)]


def test_the_plain_command_lines_are_found() -> None:
    assert len(PLAIN) >= 9  # the corrections and the meeting pack's formats


@pytest.mark.parametrize(("document", "line", "words"), PLAIN, ids=[f"{d.name}:{n} {' '.join(w[1:3])}" for d, n, w in PLAIN])
def test_a_plain_command_line_runs(cli, document: Path, line: int, words: list[str], tmp_path: Path,  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = cli(*words[1:])
    assert result.code == 0, f"{document.name}:{line} `{' '.join(words)}` failed:\n{result.text}"


# --------------------------------------------------------------------------- writing the current output back


def update(document: Path) -> None:  # pragma: no cover - a writer's tool
    """Write the current output into every block of ``document`` that has a marker and no ``…`` line."""
    import tempfile

    from klyngefond.cli.main import main

    lines = document.read_text(encoding="utf-8").splitlines()
    sessions: dict[str, Path] = {}
    for name in ("KLYNGEFOND_DATA", "KLYNGEFOND_LANG", "KLYNGEFOND_DEBUG"):
        os.environ.pop(name, None)
    os.environ["KLYNGEFOND_CACHE_DIR"] = tempfile.mkdtemp()
    replacements = []
    for example in examples(document):
        options = example.options
        if options is None or "skip" in options or missing_commands(example):
            continue
        if any(_elided(command.expected) is None for command in example.commands):
            print(f"{example.name}: has … lines inside its output, left as it is", file=sys.stderr)
            continue
        session = options.get("session")
        folder = sessions.get(session) if session else None
        if folder is None:
            folder = Path(tempfile.mkdtemp()) / "work"
            folder.mkdir()
            for source in DATA[options.get("data", "shipped")]:
                shutil.copytree(source, folder / "data", dirs_exist_ok=True)
            if session:
                sessions[session] = folder
        columns = options.get("columns", "80")
        body = []
        for command_lines, command in zip(_command_lines(lines, example), example.commands):
            output = _capture(main, folder, command.args[1:], None if columns == "none" else columns,
                              setup=options.get("setup") if command is example.commands[0] else None)
            actual = normalised(output, folder)
            anchor = _elided(command.expected)
            if anchor:  # the document shows the output up to `anchor`, then "…": keep it so
                actual = actual[:actual.index(anchor) + 1] + ["…"] if anchor in actual else actual
            body += command_lines + actual
        replacements.append((example.body, body))
    for (start, end), body in reversed(replacements):
        lines[start:end] = body
    document.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _elided(expected: list[str]) -> str | None:
    """"" when the output is shown whole; the line before a closing "…"; ``None`` for a "…" elsewhere."""
    lines = [line.rstrip() for line in expected]
    while lines and not lines[-1]:
        lines.pop()
    marks = [i for i, line in enumerate(lines) if line.strip() in ANY_LINES]
    if not marks:
        return ""
    if marks == [len(lines) - 1] and len(lines) > 1:
        return lines[-2]
    return None


def _command_lines(lines: list[str], example: Example) -> list[list[str]]:
    result: list[list[str]] = []
    start, end = example.body
    current: list[str] | None = None
    for line in lines[start:end]:
        if line.startswith("$ "):
            current = [line]
            result.append(current)
        elif current is not None and current[-1].endswith("\\"):
            current.append(line)
    return result


def _capture(main, folder: Path, args: list[str], columns: str | None, setup: str | None) -> str:  # type: ignore[no-untyped-def]  # pragma: no cover
    import contextlib
    import io

    previous = Path.cwd()
    os.chdir(folder)
    if columns:
        os.environ["COLUMNS"] = columns
    else:
        os.environ.pop("COLUMNS", None)
    try:
        for step in filter(None, (part.strip() for part in (setup or "").split(";"))):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                    contextlib.suppress(SystemExit):
                main(shlex.split(step)[1:])
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), contextlib.suppress(SystemExit):
            main(args)
        return out.getvalue() + err.getvalue()
    finally:
        os.chdir(previous)


if __name__ == "__main__":  # pragma: no cover
    for name in sys.argv[1:] or [str(DOCUMENTS[0])]:
        update(Path(name))


# --------------------------------------------------------------------------- the harness itself


def test_the_harness_reads_commands_markers_and_elisions(tmp_path: Path) -> None:
    document = tmp_path / "doc.md"
    document.write_text("\n".join([
        "<!-- readme-test: data=fixture, session=a, setup=\"klyngefond x; klyngefond y\" -->",
        "```console",
        "$ klyngefond status Vesterhavet \\",
        "    --year 2023   # a comment",
        "line one",
        "…",
        "$ klyngefond clusters",
        "```",
        "",
        "```",
        "$ klyngefond status Sydvestjylland",
        "```",
    ]), encoding="utf-8")
    first, second = examples(document)
    assert first.options == {"data": "fixture", "session": "a", "setup": "klyngefond x; klyngefond y"}
    assert [c.args for c in first.commands] == [["klyngefond", "status", "Vesterhavet", "--year", "2023"], ["klyngefond", "clusters"]]
    assert first.commands[0].expected == ["line one", "…"]
    assert second.options is None  # no marker: the test of this block fails
    assert matches(["a", "…", "z"], ["a", "b", "c", "z"]) and matches(["a", "…"], ["a"])
    assert not matches(["a", "z"], ["a", "b", "z"]) and not matches(["a"], ["a", "b"])
    assert normalised("x  \n\n", tmp_path) == ["x"]
