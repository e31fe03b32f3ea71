"""Ids: slugify, check_id (the path-safety gate) and forgiving name folding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.ids import IdError, check_id, fold, fold_variants, slugify


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
    with pytest.raises(IdError):
        slugify(name)


def test_slugify_caps_length_without_trailing_hyphen() -> None:
    slug = slugify("a" * 79 + " b" * 10)
    assert len(slug) <= 80
    assert not slug.endswith("-")
    assert check_id(slug) == slug


@given(st.text())
def test_slugify_output_is_always_a_valid_id(text: str) -> None:
    try:
        slug = slugify(text)
    except IdError:
        return
    assert check_id(slug) == slug
    assert "/" not in slug and "\\" not in slug and ".." not in slug


@given(st.text(alphabet="abcæøåÆØÅ -/\\.", min_size=1))
def test_slugify_never_leaks_separators(text: str) -> None:
    try:
        slug = slugify(text)
    except IdError:
        return
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert not slug.startswith("-") and not slug.endswith("-")


@pytest.mark.parametrize(
    "value",
    ["../x", "/etc/passwd", "a/b", ".hidden", "a\\b", "", "..", "a..b", "a\x00b",
     "a b", "a\tb", "Abc", "-abc", "ø", "x" * 81, "abc\n"],
)
def test_check_id_rejects_unsafe_values(value: str) -> None:
    with pytest.raises(IdError) as info:
        check_id(value, "grant id")
    message = str(info.value)
    assert message.startswith("grant id ")
    # The message must say what an id may contain, not just that it is wrong.
    assert "lowercase letters a-z, digits 0-9 and '-'" in message


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("../x", "path separator"),
        ("a\\b", "path separator"),
        (".hidden", "starts with a dot"),
        ("a..b", "'..'"),
        ("", "is empty"),
        ("a b", "whitespace"),
        ("Abc", "uppercase"),
        ("a\x00b", "NUL"),
        ("x" * 81, "longer than 80"),
        ("blå", "'å'"),
    ],
)
def test_check_id_says_what_is_wrong(value: str, problem: str) -> None:
    with pytest.raises(IdError) as info:
        check_id(value)
    assert problem in str(info.value)


def test_check_id_suggests_fix_only_for_cosmetic_mistakes() -> None:
    with pytest.raises(IdError) as cosmetic:
        check_id("Kom Trygt Hjem")
    assert "kom-trygt-hjem" in cosmetic.value.hint
    with pytest.raises(IdError) as traversal:
        check_id("../etc")
    assert traversal.value.hint == ""


def test_id_error_is_a_value_error() -> None:
    assert issubclass(IdError, ValueError)


@pytest.mark.parametrize("value", ["a", "0", "kom-trygt-hjem", "2024-q1", "a-", "x" * 80])
def test_check_id_accepts_valid_ids(value: str) -> None:
    assert check_id(value) == value


@given(st.text())
def test_check_id_accepts_only_the_id_alphabet(value: str) -> None:
    try:
        check_id(value)
    except IdError:
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
    text = "æøå " * 30
    variants = fold_variants(text)
    assert fold(text) in variants
    assert len(variants) == 8


@given(st.text())
def test_fold_is_idempotent_and_in_variants(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded in fold_variants(text)
    assert folded == folded.strip()
    assert "  " not in folded
