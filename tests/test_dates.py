"""Dates people type: ISO and Danish forms, bounds 1990–2100, and refusals that say how to write them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klyngefond.core.dates import EARLIEST, LATEST, DateError, check_bounds, parse_user_date, year_end, year_start
from klyngefond.i18n import LANGS, Message, text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024-3-1", dt.date(2024, 3, 1)),
        ("  2024-03-01 ", dt.date(2024, 3, 1)),
        ("01-03-2024", dt.date(2024, 3, 1)),  # as the minutes write dates
        ("1.3.2024", dt.date(2024, 3, 1)),
        ("01.03.2024", dt.date(2024, 3, 1)),
        ("1/3/2024", dt.date(2024, 3, 1)),
        ("29-02-2024", dt.date(2024, 2, 29)),
        ("31.12.2100", dt.date(2100, 12, 31)),
        ("1990-01-01", dt.date(1990, 1, 1)),
    ],
)
def test_iso_and_danish_forms(typed: str, expected: dt.date) -> None:
    assert parse_user_date(typed) == expected


def test_danish_forms_are_day_first() -> None:
    assert parse_user_date("03-01-2024") == dt.date(2024, 1, 3)
    assert parse_user_date("12.11.2023") == dt.date(2023, 11, 12)


@pytest.mark.parametrize(
    "typed",
    ["", "i går", "2024-02-30", "29-02-2023", "2024-13-01", "32.01.2024", "1.3.24", "24-03-01", "2024/03/01",
     "2024-03-01T10:00", "2024-03-01 10:00", "20240301", "2024-W10-1", "１.３.２０２４", "٢٠٢٤-٠٣-٠١", "2024-03-0١",
     "0000-01-01", "-2024-03-01", "2024-03"],
)
def test_what_is_not_a_date_is_refused_with_a_hint(typed: str) -> None:
    with pytest.raises(DateError) as info:
        parse_user_date(typed)
    assert info.value.message == Message("dates.not_a_date", value=typed)
    assert info.value.hint == Message("dates.hint")
    assert "is not a date" in text(info.value.message, "en")
    assert "er ikke en dato" in text(info.value.message, "da")
    assert all(typed in text(info.value.message, lang) for lang in LANGS)
    assert all("2024-03-01" in text(info.value.hint, lang) for lang in LANGS)


@pytest.mark.parametrize("typed", ["31-12-1989", "1989-12-31", "2101-01-01", "01.01.9999", "0001-01-01"])
def test_dates_outside_1990_to_2100_are_refused(typed: str) -> None:
    with pytest.raises(DateError) as info:
        parse_user_date(typed)
    message = info.value.message
    assert message.key == "dates.out_of_bounds"
    assert (message.values["first"], message.values["last"]) == (1990, 2100)
    assert info.value.hint == Message("dates.hint")
    for lang in LANGS:
        worded = text(message, lang)
        assert "1990" in worded and "2100" in worded and message.values["value"] in worded


def test_the_bounds() -> None:
    assert (EARLIEST, LATEST) == (dt.date(1990, 1, 1), dt.date(2100, 12, 31))
    assert check_bounds(EARLIEST) == EARLIEST and check_bounds(LATEST) == LATEST
    with pytest.raises(DateError):
        check_bounds(EARLIEST - dt.timedelta(days=1))
    with pytest.raises(DateError):
        check_bounds(LATEST + dt.timedelta(days=1))


def test_a_date_with_a_time_of_day_is_refused() -> None:
    with pytest.raises(DateError) as info:
        check_bounds(dt.datetime(2024, 3, 1, 10, 0))
    assert info.value.message.key == "dates.has_time"
    assert info.value.hint == Message("dates.hint_toml")
    assert "time of day" in text(info.value.message, "en") and "klokkeslæt" in text(info.value.message, "da")


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_year_start_and_end() -> None:
    assert (year_start(2024), year_end(2024)) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


@given(st.dates(min_value=EARLIEST, max_value=LATEST))
def test_every_date_in_bounds_reads_back_in_every_form(day: dt.date) -> None:
    assert parse_user_date(day.isoformat()) == day
    assert parse_user_date(day.strftime("%d-%m-%Y")) == day  # the Danish form i18n.date writes
    assert parse_user_date(f"{day.day}.{day.month}.{day.year}") == day


@given(st.text())
def test_only_date_error_on_any_text(typed: str) -> None:
    try:
        day = parse_user_date(typed)
    except DateError as exc:
        assert exc.message.key in ("dates.not_a_date", "dates.out_of_bounds")
        return
    assert EARLIEST <= day <= LATEST
