"""The message catalogue: every key the code uses exists, in both languages, with the same placeholders."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

import klyngefond.i18n.catalogue as catalogue_package
from klyngefond.i18n import LANGS, Message, has_message, text

PACKAGE = Path(__file__).resolve().parents[1] / "klyngefond"
USED = re.compile(r"""(?:Message|\bt|\bh|help_text|Refused|UsageProblem|usage|refused)\(\s*["']([a-z_]+\.[a-zA-Z0-9_.\- ]+)["']\s*[,)]""")


def all_messages() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for module in pkgutil.iter_modules(catalogue_package.__path__):
        messages = importlib.import_module(f"klyngefond.i18n.catalogue.{module.name}").MESSAGES
        for key in messages:
            assert key.split(".", 1)[0] == module.name, f"{key} belongs in {key.split('.', 1)[0]}.py, not {module.name}.py"
        found.update(messages)
    return found


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_both_languages_with_the_same_placeholders() -> None:
    messages = all_messages()
    assert len(messages) > 200
    for key, (da, en) in messages.items():
        assert da.strip() and en.strip(), f"{key}: a language is empty"
        assert placeholders(da) == placeholders(en), f"{key}: placeholders differ: {placeholders(da)} vs {placeholders(en)}"


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    missing = []
    for path in PACKAGE.rglob("*.py"):
        if "catalogue" in path.parts:
            continue
        for key in USED.findall(path.read_text(encoding="utf-8")):
            if not has_message(key):
                missing.append(f"{path.relative_to(PACKAGE)}: {key}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_can_be_worded(lang: str) -> None:
    """Each template formats with dummy values: no stray braces, no unknown format specs."""
    for key, pair in all_messages().items():
        params = {name: "x" for name in placeholders(pair[0])}
        for name in params:
            if re.search(r"\{" + re.escape(name) + r":[^}]*\|", pair[0]):
                params[name] = 2  # a plural field takes a number
            elif re.search(r"\{" + re.escape(name) + r":(signed|number)\}", pair[0]):
                params[name] = Decimal("1.50")
        assert text(Message(key, **params), lang)
