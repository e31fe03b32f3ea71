"""Ids: slugify, check_id (the path-safety gate) and forgiving name folding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.ids import MAX_ID_LENGTH, IdError, check_id, fold, fold_variants, slugify
from klyngefond.i18n import LANGS, Message, text

RULE_EN = "lowercase letters a-z, digits 0-9 and '-'"
RULE_DA = "små bogstaver a-z, cifrene 0-9 og «-»"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Lægebesøg på uvisiterede væresteder", "laegebesoeg-paa-uvisiterede-vaeresteder"),
        ("Kom Trygt Hjem", "kom-trygt-hjem"),
        ("ÆRØ Å", "aeroe-aa"),
        ("Café Ørestad – fase 2!", "cafe-oerestad-fase-2"),
        ("  --Sundhedsklynge   Sjælland--  ", "sundhedsklynge-sjaelland"),
        ("Straße", "strasse"),
    ],
)
def test_slugify_danish_names(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["", "   ", "!!!", "—", "日本"])
def test_slugify_refuses_names_without_letters(name: str) -> None:
    with pytest.raises(IdError) as info:
        slugify(name)
    assert info.value.message == Message("ids.no_letters", text=name)
    assert info.value.hint == Message("ids.hint_give_id")
    assert "no letters or digits" in text(info.value.message, "en")
    assert "ingen bogstaver eller cifre" in text(info.value.message, "da")
    assert all("--id" in text(info.value.hint, lang) for lang in LANGS)


def test_slugify_caps_length_without_trailing_hyphen() -> None:
    slug = slugify("a" * 79 + " b" * 10)
    assert len(slug) <= MAX_ID_LENGTH == 80
    assert not slug.endswith("-")
    assert check_id(slug) == slug


@given(st.text())
def test_slugify_output_is_always_a_valid_id(name: str) -> None:
    try:
        slug = slugify(name)
    except IdError:
        return
    assert check_id(slug) == slug
    assert "/" not in slug and "\\" not in slug and ".." not in slug


@given(st.text(alphabet="abcæøåÆØÅ -/\\.", min_size=1))
def test_slugify_never_leaks_separators(name: str) -> None:
    try:
        slug = slugify(name)
    except IdError:
        return
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith("-") and not slug.endswith("-")


UNSAFE = ["../x", "/etc/passwd", "a/b", ".hidden", "a\\b", "", "..", "a..b", "a\x00b",
          "a b", "a\tb", "Abc", "-abc", "ø", "x" * 81, "abc\n"]


@pytest.mark.parametrize("value", UNSAFE)
def test_check_id_rejects_unsafe_values(value: str) -> None:
    with pytest.raises(IdError) as info:
        check_id(value, "grant id")
    message, hint = info.value.message, info.value.hint
    assert message.key == "ids.invalid"
    assert message.values["what"] == "grant id"
    assert text(message, "en").startswith("grant id ")
    assert text(message, "da").startswith("grant id ")
    # Beyond that it is wrong, the person learns how to write it: the rule, or an id that works.
    assert hint is not None
    if hint.key == "ids.rule":
        assert RULE_EN in text(hint, "en") and RULE_DA in text(hint, "da")
    else:
        assert hint.key == "ids.hint_try"
        suggestion = hint.values["suggestion"]
        assert check_id(suggestion) == suggestion
        assert all(suggestion in text(hint, lang) for lang in LANGS)


@pytest.mark.parametrize(
    ("value", "problem", "en", "da"),
    [
        ("../x", "separator", "path separator", "skråstreg"),
        ("a\\b", "separator", "path separator", "skråstreg"),
        (".hidden", "dot_start", "starts with a dot", "begynder med et punktum"),
        ("a..b", "dots", "'..'", "«..»"),
        ("", "empty", "is empty", "er tomt"),
        ("a b", "whitespace", "whitespace", "mellemrum"),
        ("Abc", "uppercase", "uppercase", "store bogstaver"),
        ("a\x00b", "nul", "NUL", "NUL"),
        ("x" * 81, "too_long", "longer than 80", "længere end 80"),
        ("-abc", "dash_start", "starts with '-'", "begynder med «-»"),
        ("blå", "characters", "'å'", "'å'"),
    ],
)
def test_check_id_says_what_is_wrong(value: str, problem: str, en: str, da: str) -> None:
    with pytest.raises(IdError) as info:
        check_id(value)
    assert info.value.message.values["problem"].key == f"ids.problem_{problem}"
    assert en in text(info.value.message, "en")
    assert da in text(info.value.message, "da")


def test_check_id_suggests_fix_only_for_cosmetic_mistakes() -> None:
    with pytest.raises(IdError) as cosmetic:
        check_id("Kom Trygt Hjem")
    assert cosmetic.value.hint == Message("ids.hint_try", suggestion="kom-trygt-hjem")
    assert "kom-trygt-hjem" in text(cosmetic.value.hint, "en")
    assert "kom-trygt-hjem" in text(cosmetic.value.hint, "da")
    for path_like in ("../etc", "a/b", "a\\b", ".hidden", "a\x00b"):
        with pytest.raises(IdError) as traversal:
            check_id(path_like)
        assert traversal.value.hint == Message("ids.rule")


def test_check_id_refuses_what_is_not_text() -> None:
    with pytest.raises(IdError) as info:
        check_id(42, "partner")  # type: ignore[arg-type]
    assert info.value.message.key == "ids.not_text"
    assert info.value.hint == Message("ids.rule")
    assert "42" in text(info.value.message, "en") and "ikke tekst" in text(info.value.message, "da")


def test_control_characters_in_a_refused_id_are_escaped_in_the_message() -> None:
    with pytest.raises(IdError) as info:
        check_id("a\x1b]0;pwned\x07b")
    for lang in LANGS:
        worded = text(info.value.message, lang)
        assert "\x1b" not in worded and "\x07" not in worded


def test_id_error_is_a_value_error() -> None:
    assert issubclass(IdError, ValueError)


@pytest.mark.parametrize("value", ["a", "0", "kom-trygt-hjem", "2024-q1", "a-", "x" * 80])
def test_check_id_accepts_valid_ids(value: str) -> None:
    assert check_id(value) == value


@given(st.text())
def test_check_id_accepts_only_the_id_alphabet(value: str) -> None:
    try:
        check_id(value)
    except IdError as exc:
        assert exc.message.key == "ids.invalid"
        assert all(text(exc.message, lang) for lang in LANGS)
        return
    assert 1 <= len(value) <= 80
    assert set(value) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert value[0] != "-"


def test_fold_examples() -> None:
    assert fold("Nykøbing Falster") == "nykoebing falster"
    assert fold("nykobing-falster") == "nykobing falster"
    assert fold("NYKØBING F.") == "nykoebing f"
    assert fold("  Region   Sjælland ") == "region sjaelland"
    assert fold("Café") == fold("CAFE") == "cafe"


def test_fold_variants_match_what_people_type() -> None:
    official = fold_variants("Nykøbing Falster")
    assert official == {"nykoebing falster", "nykobing falster"}
    assert fold_variants("nykobing-falster") & official
    assert fold_variants("NYKOEBING FALSTER") & official
    assert fold_variants("Nyköbing Falster") & official
    assert fold_variants("Ålborg") & fold_variants("Aalborg")
    assert fold_variants("Ålborg") & fold_variants("alborg")
    assert not fold_variants("Næstved") & fold_variants("Nakskov")


def test_fold_variants_are_bounded_and_contain_fold() -> None:
    name = "æøå " * 30
    variants = fold_variants(name)
    assert fold(name) in variants
    assert len(variants) == 8


@given(st.text())
def test_fold_is_idempotent_and_in_variants(name: str) -> None:
    folded = fold(name)
    assert fold(folded) == folded
    assert folded in fold_variants(name)
    assert folded == folded.strip()
    assert "  " not in folded
