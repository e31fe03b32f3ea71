"""Fuzzing the readers: random TOML documents and random bytes into every record folder, random text into the parsers.

The loader must never raise: whatever a file holds becomes problems, each naming its file,
each wordable in both languages. The amount and date parsers either return a value inside
the bounds (whole øre, at most 10^12 kr.; 1990-2100) read from ASCII digits only, or refuse
with their own error; nothing else.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robust_helpers import FIXTURE_DATA

from klyngefond.core.dates import EARLIEST, LATEST, DateError, parse_user_date
from klyngefond.core.money import MAX_AMOUNT, AmountError, parse_amount, parse_user_amount
from klyngefond.core.records import RECORD_FOLDERS
from klyngefond.i18n import text
from klyngefond.render.problems import problem_words
from klyngefond.storage.loader import load_ledger

pytestmark = pytest.mark.slow

FIELDS = sorted({f for cls in RECORD_FOLDERS.values() for f in cls.__dataclass_fields__} |
                {"model", "fixed", "participants", "weights", "level", "date", "body", "shares", "rest_among"})
NASTY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30) | st.sampled_from(
    ["", " ", "\x1b]0;x\x07", "\u202e", "\ufffe", "region-vest", "havby", "akutteam", "HAV-2024-0001", "grants/akutteam",
     "1.000,00", "１２３", "١٢٣", "politisk", "solidarity", "fixed-plus-pro-rata", "participants", "explicit", "invoice",
     "credit_note", "top-up", "2023", "2022-2023", "9999", "../x"])
SCALARS = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.booleans()
    | NASTY_TEXT
    | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
    | st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))
    | st.times()
)
KEYS = st.sampled_from(FIELDS) | st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå_-.", min_size=1, max_size=12)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5), max_leaves=20)
DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=10)
FILE_NAMES = st.sampled_from(["ny", "akutteam", "HAV-2024-0001", "Ny", "bevægelse", "a" * 90, "x-1", "-x"])


def _load_with(folder: str, name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(FIXTURE_DATA, data)
        cluster = data / "vesterhavet"
        target = cluster / f"{folder}.toml" if folder in ("cluster", "reference") else cluster / folder / f"{name}.toml"
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(content)
        ledger, problems = load_ledger(cluster)  # must not raise
        for problem in problems:
            assert problem.file is not None, problem
            for lang in ("da", "en"):
                assert text(problem_words(problem), lang)
        if folder == "cluster" and ledger is None:
            assert problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folder=st.sampled_from([*RECORD_FOLDERS, "cluster", "reference"]), name=FILE_NAMES, document=DOCUMENTS)
def test_random_toml_documents_never_crash_the_loader(folder: str, name: str, document: dict) -> None:  # type: ignore[type-arg]
    try:
        content = tomli_w.dumps(document).encode("utf-8")
    except (TypeError, ValueError):  # a value TOML cannot hold (tomli_w refuses); not a file anyone can write
        return
    _load_with(folder, name, content)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(folder=st.sampled_from([*RECORD_FOLDERS, "cluster", "reference"]), content=st.binary(max_size=400) | st.builds(
    lambda a, b: a + b, st.sampled_from([b'name = "', b"granted = ", b"[financing]\n", b"\xef\xbb\xbf", b"a = [" * 40]),
    st.binary(max_size=100)))
def test_random_bytes_never_crash_the_loader(folder: str, content: bytes) -> None:
    _load_with(folder, "ny", content)


# --------------------------------------------------------------------------- amounts and dates typed


AMOUNT_CHARS = "0123456789.,  -+ekr" + "\u00a0１２３٠١٢٣۴५๖e𝟓½²"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=AMOUNT_CHARS, max_size=45) | st.from_regex(r"\A\d{1,40}([.,]\d{1,5})?( kr\.?)?\Z"))
def test_typed_amounts_are_read_within_bounds_from_ascii_digits_or_refused(value: str) -> None:
    try:
        amount = parse_user_amount(value)
    except AmountError as error:
        assert error.message.key.startswith("money.")
        return
    assert isinstance(amount, Decimal) and amount == amount.quantize(Decimal("0.01"))
    assert Decimal("0") < amount <= MAX_AMOUNT
    assert all(c.isascii() for c in value if c.isdigit()), value


@settings(max_examples=300, deadline=None)
@given(SCALARS | st.decimals(allow_nan=True, allow_infinity=True) | st.lists(st.integers(), max_size=2))
def test_amounts_in_files_are_read_within_bounds_or_refused(value: object) -> None:
    try:
        amount = parse_amount(value, allow_negative=True)
    except AmountError as error:
        assert error.message.key.startswith("money.")
        return
    assert abs(amount) <= MAX_AMOUNT and amount == amount.quantize(Decimal("0.01"))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789-./ ٠١٢٣١２T:", max_size=14) | st.dates(min_value=dt.date(1, 1, 1)).map(
    lambda d: d.strftime(str(d.year).zfill(4) + "-%m-%d")) | st.dates().map(lambda d: f"{d.day}.{d.month}.{d.year}"))
def test_typed_dates_are_within_1990_and_2100_or_refused(value: str) -> None:
    try:
        day = parse_user_date(value)
    except DateError as error:
        assert error.message.key.startswith("dates.")
        return
    assert EARLIEST <= day <= LATEST
    assert value.strip().isascii()
