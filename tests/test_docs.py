"""``docs/data-format.md`` is kept true: its examples are real files, and every key is documented.

* Every ```toml block names its file on its first comment line (``# grants/akutteam.toml``).
  The blocks are written, in the order of the document, into a small cluster folder (the
  first is the document's own ``cluster.toml``; ``.invoice-numbers.toml`` goes into the data
  folder), and the folder is loaded with ``storage.loader.load_ledger`` and checked with the
  journal's rules: no problem from the loader, no error from the journal.
* Every key of every record (``core/records.py``, read from the dataclasses, so a new field
  without documentation fails) appears in the section of the file it is written in, and
  every folder of ``RECORD_FOLDERS`` has its section and an example.
* A key the record requires is never called optional in an example's comment, and an
  optional key that has a comment says so (``optional``, or when it applies: ``only``,
  ``not for``).
* The example output of ``klyngefond check`` is the real output on the broken cluster built here.

(sqlite-utils tests its documentation the same way.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from pathlib import Path
from typing import Any, Union

import pytest

from klyngefond.core import records as R
from klyngefond.storage.validate import _hints

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "data-format.md"
COUNTER_FILE = ".invoice-numbers.toml"
REFERENCE_FILE = "reference.toml"
CLUSTER_FILE = "cluster.toml"
# Checked with a fixed "today", after every example's date, so that no date counts as in the future.
TODAY = dt.date(2030, 1, 1)

# Records nested in several others are documented once, in the section named here.
SHARED = {R.Decision: "grants/", R.Address: "cluster.toml", R.PaymentAccount: "cluster.toml"}


# --------------------------------------------------------------------------- reading the document


@dataclasses.dataclass
class Block:
    line: int  # of the opening fence, 1-based
    language: str
    body: str
    section: str  # the heading of the section it is in

    @property
    def file(self) -> str | None:
        """The file the block's first comment line names, if it names one."""
        for text in self.body.splitlines():
            if text.startswith("#"):
                words = text[1:].split()
                return words[0] if words and words[0].endswith(".toml") else None
        return None


def text() -> str:
    return DOC.read_text(encoding="utf-8")


def blocks(language: str | None = None) -> list[Block]:
    found = []
    lines = text().splitlines()
    section = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("## "):
            section = line[3:]
        fence = re.match(r"^```(\w*)\s*$", line)
        if fence:
            end = index + 1
            while not lines[end].startswith("```"):
                end += 1
            if language is None or fence.group(1) == language:
                found.append(Block(index + 1, fence.group(1), "\n".join(lines[index + 1:end]) + "\n", section))
            index = end
        index += 1
    return found


def sections() -> dict[str, str]:
    """The document's ``##`` sections by heading, each with its text."""
    parts = re.split(r"^## (.*)$", text(), flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def section_for(name: str) -> str:
    """The text of the section whose heading names ``name`` (``grants/`` or ``cluster.toml``) in backticks."""
    found = [body for heading, body in sections().items() if re.search(r"`" + re.escape(name), heading)]
    assert found, f"docs/data-format.md has no section for {name} (a heading like ## `{name}…`)"
    return found[0]


# --------------------------------------------------------------------------- the examples as a cluster


def write_examples(tmp_path: Path) -> tuple[Path, Path]:
    """The data folder and the cluster folder built from the document's examples, in its order."""
    data = tmp_path / "data"
    cluster = data / "vesterhavet"
    cluster.mkdir(parents=True)
    written: set[str] = set()
    for block in blocks("toml"):
        name = block.file
        assert name is not None, f"docs/data-format.md:{block.line}: a toml block must name its file on its first comment line"
        assert name not in written, f"docs/data-format.md:{block.line}: {name} is shown twice"
        if not written:
            assert name == CLUSTER_FILE, f"docs/data-format.md:{block.line}: the first example must be {CLUSTER_FILE}"
        written.add(name)
        target = data / name if name == COUNTER_FILE else cluster / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.body, encoding="utf-8")
    return data, cluster


def test_every_toml_block_names_its_file() -> None:
    unnamed = [block.line for block in blocks("toml") if block.file is None]
    assert not unnamed, f"toml blocks without their file named on the first comment line, at lines {unnamed}"


def test_the_examples_load_and_keep_the_rules(tmp_path: Path) -> None:
    from klyngefond.journal.build import build_journal
    from klyngefond.journal.invariants import check_journal
    from klyngefond.storage.leftovers import counters_behind
    from klyngefond.storage.loader import load_ledger

    data, cluster = write_examples(tmp_path)
    ledger, problems = load_ledger(cluster)
    assert ledger is not None
    assert not problems, "\n".join(f"{p.file}: {p.key}: {p.message.key} {p.message.params}" for p in problems)
    journal = build_journal(ledger)
    errors = [p for p in check_journal(ledger, journal, TODAY) if p.severity == "error"]
    assert not errors, "\n".join(f"{p.file}: {p.key}: {p.message.key} {p.message.params}" for p in errors)
    assert counters_behind(ledger, cluster) == []
    # Every record in the document made it into the ledger (none was dropped as naming something unknown).
    shown = [b.file for b in blocks("toml") if b.file and "/" in b.file]
    assert len(ledger.origins) == len(shown)


def test_every_record_folder_has_a_section_and_an_example() -> None:
    shown = {b.file.split("/", 1)[0] for b in blocks("toml") if b.file and "/" in b.file}
    for folder in R.RECORD_FOLDERS:
        section_for(f"{folder}/")
        assert folder in shown, f"docs/data-format.md shows no example of {folder}/"
    for name in (CLUSTER_FILE, REFERENCE_FILE, COUNTER_FILE):
        section_for(name)
        assert name in {b.file for b in blocks("toml")}, f"docs/data-format.md shows no example of {name}"
    tree = next(b for b in blocks("") if "cluster.toml" in b.body)
    for name in [*R.RECORD_FOLDERS, CLUSTER_FILE, REFERENCE_FILE, COUNTER_FILE]:
        assert re.search(rf"^\s+{re.escape(name)}/?\s", tree.body, re.M), f"the folder tree does not list {name}"


# --------------------------------------------------------------------------- every key


def _strip(annotation: Any) -> Any:
    """The type inside ``X | None``, ``tuple[X, ...]`` and ``dict[K, X]``, with ``Annotated`` markers left on."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    if origin in (tuple, dict):
        return _strip(typing.get_args(annotation)[-1 if origin is dict else 0])
    return annotation


def nested(cls: type) -> list[type]:
    """The records a record's fields hold (a union's members too; a year or period is a value, not a table)."""
    found = []
    for annotation in _hints(cls).values():
        inner = _strip(annotation)
        options = typing.get_args(inner) if typing.get_origin(inner) in (Union, types.UnionType) else (inner,)
        found += [option for option in options if dataclasses.is_dataclass(option) and option is not R.YearSpan]
    return found


def documented_in(section: str, cls: type) -> list[tuple[type, str]]:
    """``cls`` and every record it nests (but the shared ones), each with the keys it has."""
    out, todo, seen = [], [cls], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        out.append((current, section))
        todo += [n for n in nested(current) if n not in SHARED]
    return out


def mentioned(key: str, section: str) -> bool:
    """``key`` in backticks in the prose, or as a word in a toml block of the section."""
    if f"`{key}`" in section or f"`{key} " in section:
        return True
    code = "\n".join(re.findall(r"```toml\n(.*?)```", section, flags=re.S))
    return re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", code) is not None


def cases() -> list[tuple[str, type, str]]:
    found: list[tuple[str, type, str]] = []
    homes = {CLUSTER_FILE: R.Cluster, REFERENCE_FILE: R.ReferenceFigure}
    homes |= {f"{folder}/": cls for folder, cls in R.RECORD_FOLDERS.items()}
    for home, cls in homes.items():
        for record, _ in documented_in(home, cls):
            found += [(home, record, f.name) for f in dataclasses.fields(record)]
    for record, home in SHARED.items():
        found += [(home, record, f.name) for f in dataclasses.fields(record)]
    return found


@pytest.mark.parametrize(("home", "record", "key"), cases(), ids=[f"{h}{r.__name__}.{k}" for h, r, k in cases()])
def test_every_key_is_documented(home: str, record: type, key: str) -> None:
    assert mentioned(key, section_for(home)), (
        f"{record.__name__}.{key} is not documented in the section of {home} in docs/data-format.md "
        f"(show it in the example, or name it in backticks)")


# --------------------------------------------------------------------------- required and optional


def root_of(file: str) -> type | None:
    if file == CLUSTER_FILE:
        return R.Cluster
    if file == REFERENCE_FILE:
        return R.ReferenceFigure
    return R.RECORD_FOLDERS.get(file.split("/", 1)[0])


def field_of(root: type, path: list[str]) -> tuple[type, dataclasses.Field[Any]] | None:
    """The record and field a dotted key path names from ``root``; None inside a union (the financing)."""
    current: Any = root
    for index, name in enumerate(path):
        if not dataclasses.is_dataclass(current):
            return None
        match = [f for f in dataclasses.fields(current) if f.name == name]
        if not match:
            return None
        if index == len(path) - 1:
            return current, match[0]
        current = _strip(_hints(current)[name])
    return None


def required(record: type, f: dataclasses.Field[Any], file: str) -> bool:
    if record in R.RECORD_FOLDERS.values() and f.name in ("id", "number") and "/" in file:
        return False  # the loader takes it from the file name
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def comment_of(line: str) -> str | None:
    """The comment after a TOML line's value (a ``#`` outside quotes), if it has one."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            quoted = not quoted
        elif char == "#" and not quoted:
            return line[index + 1:].strip()
    return None


def commented_keys() -> list[tuple[str, int, list[str], str]]:
    """(file, line, key path, comment) of every key or table line with a comment in the record examples."""
    found = []
    for block in blocks("toml"):
        file = block.file
        if file is None or file == COUNTER_FILE:
            continue
        table: list[str] = []
        for offset, line in enumerate(block.body.splitlines(), start=1):
            header = re.match(r"^\[\[?([\w.]+)\]\]?", line)
            key = re.match(r"^([\w-]+)\s*=", line)
            if header:
                table = [] if header.group(1) == "figure" else header.group(1).split(".")
                path = table
            elif key:
                path = [*table, key.group(1)]
            else:
                continue
            comment = comment_of(line)
            if comment and path:
                found.append((file, block.line + offset, path, comment))
    return found


def test_required_and_optional_keys_are_marked_so() -> None:
    wrong = []
    for file, line, path, comment in commented_keys():
        root = root_of(file)
        named = field_of(root, path) if root is not None else None
        if named is None:
            continue
        record, f = named
        says_optional = comment.startswith("optional")
        applies = says_optional or "only" in comment or "not for" in comment
        if required(record, f, file) and says_optional:
            wrong.append(f"line {line}: {'.'.join(path)} is required, but its comment calls it optional")
        if not required(record, f, file) and not applies:
            wrong.append(f"line {line}: {'.'.join(path)} is optional, but its comment does not say so")
    assert not wrong, "\n".join(wrong)


# --------------------------------------------------------------------------- the problems example

BROKEN = {
    "allocations/2024-klitby-modtaget.toml": 'partner = "klitby"\nyear = 2024\nreceived = "550000.005"\n',
    "grants/akutteam.toml": ('name = "Mobilt akutteam"\ngrantd = 400000\nyear = 2023\n\n[financing]\n'
                             'model = "solidarity"\n'),
    "grants/forebyggelse.toml": 'name = "Forebyggelse\ngranted = 225000\n',
    "grants/palliation.toml": ('name = "Tidlig palliativ indsats"\ngranted = "123456.78"\nyear = 2023\n'
                               'financing = { model = "participants", participants = ["havby", "sandby"] }\n'),
}


def test_the_check_example_is_the_real_output(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from test_readme import examples, matches, normalised

    shown = [e for e in examples(DOC) if e.commands and e.commands[0].args[:2] == ["klyngefond", "check"]]
    assert len(shown) == 1, "docs/data-format.md should show one `klyngefond check` example"
    example = shown[0]
    cluster_file = next(b for b in blocks("toml") if b.file == CLUSTER_FILE)
    folder = tmp_path / "work"
    (folder / "data" / "vesterhavet").mkdir(parents=True)
    (folder / "data" / "vesterhavet" / CLUSTER_FILE).write_text(cluster_file.body, encoding="utf-8")
    for name, content in BROKEN.items():
        path = folder / "data" / "vesterhavet" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    monkeypatch.chdir(folder)
    for command in example.commands:
        result = cli(*command.args[1:], env={"COLUMNS": "80"})
        assert result.code == 1
        actual = normalised(result.out + result.err, folder)
        assert matches(command.expected, actual), (
            "the output of `klyngefond check` in docs/data-format.md has changed\n--- in the document\n"
            + "\n".join(command.expected) + "\n--- now\n" + "\n".join(actual))
