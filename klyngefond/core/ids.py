"""Ids and name matching (pure functions, no I/O).

Ids name files on disk (``grants/kom-trygt-hjem.toml``), so :func:`check_id` is the
gate that keeps user input from ever becoming a path outside the ledger. :func:`slugify`
turns Danish names into such ids. :func:`fold` and :func:`fold_variants` give
forgiving keys for matching what people type against names in the ledger.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from klyngefond.core.text import control_characters, visible
from klyngefond.i18n import Message

MAX_ID_LENGTH = 80

ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,%d}" % (MAX_ID_LENGTH - 1)
_ID_RE = re.compile(ID_PATTERN, re.ASCII)

# NFKD does not decompose these letters, so it would drop them; spell them out the
# way Danes do when writing without æ, ø, å.
_DANISH_TRANSLIT = {
    "æ": "ae", "Æ": "Ae", "ø": "oe", "Ø": "Oe", "å": "aa", "Å": "Aa",
    "ß": "ss", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i",
}
_TRANSLIT_TABLE = str.maketrans(_DANISH_TRANSLIT)

# Ways people write æ, ø, å without a Danish keyboard: the proper two-letter form
# first (that is what fold() uses), then the bare vowel.
_FOLD_CHOICES = {"æ": ("ae", "a"), "ø": ("oe", "o"), "å": ("aa", "a")}


class IdError(ValueError):
    """An unusable id. ``hint`` suggests a fix when one is known."""

    def __init__(self, message: Message, hint: Message | None = None) -> None:
        super().__init__(message.key)
        self.message = message
        self.hint = hint


def slugify(text: str) -> str:
    """A readable ASCII id from a (Danish) name.

    ``"Lægebesøg på uvisiterede væresteder"`` -> ``"laegebesoeg-paa-uvisiterede-vaeresteder"``.
    Raises :class:`IdError` if nothing usable remains (e.g. only punctuation).
    """
    ascii_text = _strip_accents(text.translate(_TRANSLIT_TABLE))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    slug = slug[:MAX_ID_LENGTH].rstrip("-")
    if not slug:
        raise IdError(Message("ids.no_letters", text=text[:80]), Message("ids.hint_give_id"))
    return slug


def check_id(value: str, what: str = "id") -> str:
    """Return ``value`` if it is a valid id, else raise :class:`IdError` saying why.

    Valid ids match ``[a-z0-9][a-z0-9-]{0,79}``, which rules out path separators,
    ``..``, dot-files, absolute paths, NUL, whitespace and uppercase.
    """
    if not isinstance(value, str):
        raise IdError(Message("ids.not_text", what=what, value=repr(value)[:40]), Message("ids.rule"))
    if _ID_RE.fullmatch(value):
        return value
    shown = visible(value[:MAX_ID_LENGTH + 10])
    return _raise(what, shown, value)


def _raise(what: str, shown: str, value: str) -> str:
    hint = _id_hint(value)
    raise IdError(Message("ids.invalid", what=what, value=shown, problem=_id_problem(value)),
                  Message("ids.hint_try", suggestion=hint) if hint else Message("ids.rule"))


def _id_problem(value: str) -> Message:
    """The most helpful single reason why ``value`` is not an id."""
    checks = [
        (not value, "empty"),
        ("\0" in value, "nul"),
        (bool(control_characters(value)), "control"),
        ("/" in value or "\\" in value, "separator"),
        (".." in value, "dots"),
        (value.startswith("."), "dot_start"),
        (any(c.isspace() for c in value), "whitespace"),
        (any(c.isupper() for c in value), "uppercase"),
        (value.startswith("-"), "dash_start"),
        (len(value) > MAX_ID_LENGTH, "too_long"),
    ]
    for failed, problem in checks:
        if failed:
            return Message(f"ids.problem_{problem}", limit=MAX_ID_LENGTH)
    bad = sorted({c for c in value if not re.fullmatch(r"[a-z0-9-]", c, re.ASCII)})
    return Message("ids.problem_characters", characters=" ".join(repr(c) for c in bad)[:80])


def _id_hint(value: str) -> str:
    """A suggested id for cosmetic mistakes (case, spaces, æøå), else ""."""
    # Input that looks like a path is more likely a mistake or an attack than a name;
    # suggesting a "fixed" id for it would only hide that.
    if any(mark in value for mark in ("/", "\\", "\0")) or value.startswith(".") or control_characters(value):
        return ""
    try:
        return slugify(value)
    except IdError:
        return ""


def fold(text: str) -> str:
    """A case- and accent-insensitive matching key.

    æ/ø/å become ae/oe/aa, other accents are dropped, and every run of characters that
    are not letters or digits becomes one space: ``"NYKØBING F."`` -> ``"nykoebing f"``.
    """
    return _fold_with(text, {letter: choices[0] for letter, choices in _FOLD_CHOICES.items()})


def fold_variants(text: str) -> set[str]:
    """Every plausible ASCII spelling of ``text``, folded.

    People without a Danish keyboard write ø as "oe" or "o" (and æ as "ae"/"a", å as
    "aa"/"a"), so ``fold_variants("Nykøbing")`` is ``{"nykoebing", "nykobing"}``; two
    names match if their variant sets intersect. Each letter is spelled the same way
    throughout one variant, since a person types consistently; that also caps the set
    at 8 variants.
    """
    lowered = text.casefold()
    present = [letter for letter in _FOLD_CHOICES if letter in lowered]
    variants = set()
    for picks in itertools.product(*(_FOLD_CHOICES[letter] for letter in present)):
        variants.add(_fold_with(lowered, dict(zip(present, picks))))
    return variants


def _fold_with(text: str, spelling: dict[str, str]) -> str:
    """Fold ``text`` spelling æ/ø/å as given by ``spelling``."""
    lowered = text.casefold().translate(str.maketrans(spelling)).translate(_TRANSLIT_TABLE)
    # casefold again: NFKD can expose uppercase (e.g. "ℌ" -> "H").
    stripped = _strip_accents(lowered).casefold()
    return re.sub(r"[\W_]+", " ", stripped).strip()


def _strip_accents(text: str) -> str:
    """Drop combining marks after compatibility decomposition (é -> e, ﬁ -> fi)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
