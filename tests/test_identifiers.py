"""CVR, EAN (GLN) and IBAN validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from klyngefond.core.identifiers import IdentifierError, normalize_cvr, normalize_ean, normalize_iban

ESBJERG_CVR = "29189846"  # Esbjerg Kommune, a public example that passes the modulus-11 check
EAN_BASE = "579800000000"


def valid_ean(base: str = EAN_BASE) -> str:
    return base + ean.calc_check_digit(base)


def cvr_weighted_sum(number: str) -> int:
    # Written out here rather than taken from stdnum, so the test is an independent oracle.
    return sum(weight * int(digit) for weight, digit in zip((2, 7, 6, 5, 4, 3, 2, 1), number))


# ----------------------------------------------------------------------------- CVR


def test_real_cvr_is_accepted() -> None:
    assert normalize_cvr(ESBJERG_CVR) == ESBJERG_CVR


@pytest.mark.parametrize("written", ["DK29189846", "DK 29 18 98 46", " 29189846 ", "29.18.98.46", "dk29189846"])
def test_cvr_separators_and_vat_prefix_are_removed(written: str) -> None:
    assert normalize_cvr(written) == ESBJERG_CVR


def test_cvr_with_wrong_check_digit_names_the_check() -> None:
    with pytest.raises(IdentifierError, match=r"^CVR 29189847 fails the modulus-11 check$"):
        normalize_cvr("29189847")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2918984", "has 7 digits; a CVR number has 8"),
        ("291898460", "has 9 digits"),
        ("2918984X", "digits only"),
        ("", "digits only"),
        ("09189846", "starts with 0"),
    ],
)
def test_malformed_cvr_says_what_is_wrong(written: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        normalize_cvr(written)


def test_identifier_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        normalize_cvr("12345678")


@given(st.integers(min_value=10_000_000, max_value=99_999_999))
def test_cvr_accepted_exactly_when_weighted_sum_divides_by_11(number: int) -> None:
    text = str(number)
    if cvr_weighted_sum(text) % 11 == 0:
        assert normalize_cvr(text) == text
    else:
        with pytest.raises(IdentifierError, match="modulus-11"):
            normalize_cvr(text)


# ----------------------------------------------------------------------------- EAN


def test_valid_ean_is_accepted_and_compacted() -> None:
    number = valid_ean()
    assert number == "5798000000001"
    assert normalize_ean(number) == number
    assert normalize_ean(f"{number[:4]} {number[4:8]} {number[8:]}") == number


def test_ean_with_wrong_check_digit_says_which_digit_is_expected() -> None:
    with pytest.raises(IdentifierError, match=r"EAN 5798000000002 fails the GS1 check digit: .* should be 1, not 2"):
        normalize_ean("5798000000002")


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (EAN_BASE, "has 12 digits; an EAN location number has 13"),  # a valid UPC-A, but not a GLN
        ("96385074", "has 8 digits"),  # a valid EAN-8, which stdnum alone would accept
        ("579800000000A", "digits only"),
    ],
)
def test_malformed_ean_says_what_is_wrong(written: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        normalize_ean(written)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(min_value=1, max_value=9))
def test_every_wrong_last_digit_is_refused(base: str, offset: int) -> None:
    good = valid_ean(base)
    assert normalize_ean(good) == good
    wrong = base + str((int(good[-1]) + offset) % 10)
    with pytest.raises(IdentifierError, match="GS1 check digit"):
        normalize_ean(wrong)


# ----------------------------------------------------------------------------- IBAN


def test_iban_is_compacted() -> None:
    assert normalize_iban("DK50 0040 0440 1162 43") == "DK5000400440116243"


def test_iban_with_wrong_checksum_is_refused() -> None:
    with pytest.raises(IdentifierError, match=r"IBAN DK50 0040 0440 1162 44 is not valid"):
        normalize_iban("DK50 0040 0440 1162 44")
