"""Every word a person reads, in Danish (default) or English: messages as data, numbers, dates.

The core never builds a sentence. It returns a :class:`Message`, a catalogue key with the
facts to fill in (a catalogue key such as ``invariants.below_zero`` with ``holder``, ``missing``, …),
and the renderer words it with :func:`text` in the language of the run. The catalogue is in
``klyngefond/i18n/catalogue/``: one module per area (``status``, ``allocate``, …), each a
dict of ``key -> (Danish, English)``, so a translation cannot go missing without a failing
test (``tests/test_catalogue.py``), and only the areas a command needs are imported.

Values are formatted by type, the same way everywhere:

* ``Decimal`` amounts: ``1.874.400,00 kr.`` (da) or ``DKK 1,874,400.00`` (en); a field
  written ``{difference:signed}`` always shows its sign;
* dates: ``01-03-2024`` (da, as the minutes write them) or ``2024-03-01`` (en);
* a nested :class:`Message` is worded in the same language; a list or tuple is joined;
* ``{count:bevilling|bevillinger}`` gives ``1 bevilling`` / ``2 bevillinger``;
* a list is joined ``a, b og c``; ``{choices:or}`` joins it ``a, b eller c``.

Numbers are formatted by hand, not by a locale library: grouping with ``.`` and a decimal
comma is two lines of exact string work on a ``Decimal``, where babel cost 13 ms of every
start and a locale table.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import string
from decimal import Decimal
from typing import Any

LANGS = ("da", "en")
DEFAULT_LANG = "da"
ENV_LANG = "KLYNGEFOND_LANG"
ORE = Decimal("0.01")


class Message:
    """A sentence to be worded later: a catalogue ``key`` and the ``params`` to fill in.

    Immutable and comparable, so the core can return messages as data and tests can
    compare them without choosing a language.
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        # Lists become tuples, so that a message (and a problem holding one) can be hashed and compared.
        object.__setattr__(self, "params", tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())))

    def __setattr__(self, name: str, value: Any) -> None:  # pragma: no cover - immutability guard
        raise AttributeError("Message is immutable")

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, self.params))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.params)
        return f"Message({self.key!r}{', ' if inner else ''}{inner})"

    def __reduce__(self) -> Any:
        return (_rebuild, (self.key, self.params))


def _rebuild(key: str, params: tuple[tuple[str, Any], ...]) -> Message:
    return Message(key, **dict(params))


class Verbatim:
    """Text that is shown as it is, in every language (a name, a file path, an id)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verbatim) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Verbatim({self.value!r})"


Words = Message | Verbatim | str


# --------------------------------------------------------------------------- language


def check_lang(lang: str | None) -> str:
    """``lang`` if it is one we speak; ``ValueError`` otherwise."""
    value = (lang or DEFAULT_LANG).strip().lower()
    if value not in LANGS:
        raise ValueError(value)
    return value


def lang_from_env() -> str:
    """The language of the run before the command line is parsed (for help texts)."""
    value = os.environ.get(ENV_LANG, DEFAULT_LANG).strip().lower()
    return value if value in LANGS else DEFAULT_LANG


# --------------------------------------------------------------------------- catalogue

_AREAS: dict[str, dict[str, tuple[str, str]]] = {}


def area_messages(area: str) -> dict[str, tuple[str, str]]:
    """The messages of one area (``status``, ``allocate``, …), imported on first use."""
    found = _AREAS.get(area)
    if found is None:
        module = importlib.import_module(f"klyngefond.i18n.catalogue.{area}")
        found = _AREAS[area] = module.MESSAGES
    return found


def template(key: str, lang: str) -> str:
    area, _, _ = key.partition(".")
    try:
        pair = area_messages(area)[key]
    except (ModuleNotFoundError, KeyError):
        raise KeyError(f"no message {key!r} in the catalogue") from None
    return pair[0] if lang == "da" else pair[1]


def has_message(key: str) -> bool:
    try:
        template(key, DEFAULT_LANG)
    except KeyError:
        return False
    return True


# --------------------------------------------------------------------------- wording


def text(words: Words | None, lang: str) -> str:
    """A message (or plain text) worded in ``lang``."""
    if words is None:
        return ""
    if isinstance(words, Verbatim):
        return words.value
    if isinstance(words, str):
        return words
    return _FORMATTER.vformat(template(words.key, lang), (), _Values(words.values, lang))


def t(key: str, lang: str, /, **params: Any) -> str:
    """Shorthand: ``text(Message(key, **params), lang)``."""
    return text(Message(key, **params), lang)


class _Values(dict):  # type: ignore[type-arg]
    def __init__(self, values: dict[str, Any], lang: str) -> None:
        super().__init__(values)
        self.lang = lang


class _Formatter(string.Formatter):
    """``str.format`` that words each value by its type in the run's language."""

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self._lang = kwargs.lang
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self._lang
        if "|" in format_spec:
            singular, _, plural = format_spec.partition("|")
            count = int(value)
            return f"{count} {singular if count == 1 else plural}"
        if isinstance(value, Decimal):
            if format_spec == "number":
                return number(value, lang)
            return money(value, lang, signed=format_spec == "signed")
        if isinstance(value, dt.date):
            return date(value, lang)
        if isinstance(value, (Message, Verbatim)):
            return text(value, lang)
        if isinstance(value, (list, tuple)):
            return join([text(v, lang) if isinstance(v, (Message, Verbatim)) else self.format_field(v, "") for v in value], lang,
                        alternatives=format_spec == "or")
        if value is None:
            return "–"
        if format_spec in ("signed", "number", "or"):
            format_spec = ""
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def join(items: list[str], lang: str, *, alternatives: bool = False) -> str:
    """``a, b og c`` (da) or ``a, b and c`` (en); with ``alternatives`` (``{field:or}``) ``a, b eller c``."""
    if len(items) <= 1:
        return "".join(items)
    if alternatives:
        last = " eller " if lang == "da" else " or "
    else:
        last = " og " if lang == "da" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


# --------------------------------------------------------------------------- numbers and dates


def number(amount: Decimal, lang: str, *, signed: bool = False) -> str:
    """``1.874.400,00`` (da) or ``1,874,400.00`` (en); ``signed`` adds ``+`` to positive values."""
    value = amount.quantize(ORE)
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    whole, _, ore = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.append(whole[-3:])
        whole = whole[:-3]
    groups.append(whole)
    thousands, decimal_mark = (".", ",") if lang == "da" else (",", ".")
    return sign + thousands.join(reversed(groups)) + decimal_mark + (ore or "00")


def money(amount: Decimal, lang: str, *, signed: bool = False) -> str:
    """``1.874.400,00 kr.`` (da) or ``DKK 1,874,400.00`` (en)."""
    shown = number(amount, lang, signed=signed)
    return f"{shown} kr." if lang == "da" else f"DKK {shown}"


def date(value: dt.date, lang: str) -> str:
    """``01-03-2024`` (da, as Danish minutes write dates) or ``2024-03-01`` (en)."""
    return value.strftime("%d-%m-%Y") if lang == "da" else value.isoformat()
