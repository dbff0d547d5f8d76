"""Tests for gigmatch.read.timezones: reading time zones and working-hour overlap."""

from __future__ import annotations

import doctest
from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gigmatch.read import timezones
from gigmatch.read.timezones import (
    ABBREVIATIONS,
    REFERENCE_DATE,
    overlap_hours,
    parse_offsets,
    parse_utc_offset,
)


def test_doctests_pass() -> None:
    result = doctest.testmod(timezones)
    assert result.attempted >= 4
    assert result.failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UTC", 0.0),
        ("GMT", 0.0),
        ("Z", 0.0),
        ("utc", 0.0),
        ("UTC+5:30", 5.5),
        ("UTC+05:30", 5.5),
        ("GMT-3", -3.0),
        ("UTC -8", -8.0),
        ("UTC+0", 0.0),
        ("+02:00", 2.0),
        ("-0500", -5.0),
        ("+2", 2.0),
        ("+5.75", 5.75),
        ("-3:30", -3.5),
        ("5.5", 5.5),
        ("UTC-12", -12.0),
        ("UTC+14", 14.0),
        (" UTC+1 \n", 1.0),
    ],
)
def test_offsets(text: str, expected: float) -> None:
    assert parse_utc_offset(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Berlin", 1.0),
        ("america/new_york", -5.0),
        ("AMERICA/LOS_ANGELES", -8.0),
        ("Asia/Kolkata", 5.5),
        ("Australia/Sydney", 11.0),  # January is summer in Sydney
        ("Etc/GMT+5", -5.0),  # IANA's inverted POSIX sign, read as IANA means it
    ],
)
def test_iana_names_on_the_reference_date(text: str, expected: float) -> None:
    assert parse_utc_offset(text) == expected


def test_iana_names_on_another_date() -> None:
    assert REFERENCE_DATE == date(2026, 1, 15)
    assert parse_utc_offset("Europe/Berlin", date(2026, 7, 1)) == 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berlin", 1.0),
        ("New York", -5.0),
        ("new_york", -5.0),
        ("Sao Paulo", -3.0),
        ("São Paulo", -3.0),
        ("Kolkata", 5.5),
        ("Tokyo", 9.0),
        ("Bangalore", 5.5),
        ("San Francisco", -8.0),
    ],
)
def test_city_alone(text: str, expected: float) -> None:
    assert parse_utc_offset(text) == expected


def test_city_naming_zones_with_different_offsets_is_rejected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zones = {"springfield": ("America/Chicago", "America/New_York")}
    monkeypatch.setattr(timezones, "_city_zones", lambda: zones)
    with pytest.raises(ValueError, match=r"several time zones.*use the full IANA name"):
        parse_utc_offset("Springfield")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("EST", -5), ("EDT", -4), ("CST", -6), ("CDT", -5), ("MST", -7), ("MDT", -6), ("PST", -8),
     ("PDT", -7), ("AKST", -9), ("HST", -10), ("BST", 1), ("CET", 1), ("CEST", 2), ("EET", 2),
     ("EEST", 3), ("WET", 0), ("WEST", 1), ("MSK", 3), ("IST", 5.5), ("PKT", 5), ("ICT", 7),
     ("WIB", 7), ("SGT", 8), ("HKT", 8), ("JST", 9), ("KST", 9), ("AEST", 10), ("AEDT", 11),
     ("ACST", 9.5), ("AWST", 8), ("NZST", 12), ("NZDT", 13), ("BRT", -3), ("ART", -3),
     ("SAST", 2), ("WAT", 1), ("EAT", 3), ("GST", 4), ("pst", -8)],
)  # fmt: skip
def test_abbreviations(text: str, expected: float) -> None:
    assert parse_utc_offset(text) == expected


def test_abbreviations_are_in_range() -> None:
    assert all(-12 <= offset <= 14 for offset in ABBREVIATIONS.values())


@pytest.mark.parametrize("text", ["Mars/Base", "Atlantis", "UTC+", "", "+5:75", "Berlin Germany"])
def test_unknown_raises_with_advice(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_utc_offset(text)
    assert str(info.value) == (
        f"unknown time zone {text!r}; use an IANA name like Europe/Berlin or an offset like UTC+2"
    )


@pytest.mark.parametrize("text", ["UTC+15", "UTC-13", "-1300", "20"])
def test_offsets_outside_range_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"outside -12\.\.\+14"):
        parse_utc_offset(text)


def test_parse_offsets_column() -> None:
    cells = ["UTC+2", None, "", "Mars/Base", "PST", -5, 5.5, 20, "n/a", "UTC+2"]
    offsets, errors = parse_offsets(cells)
    np.testing.assert_array_equal(
        offsets, [2.0, np.nan, np.nan, np.nan, -8.0, -5.0, 5.5, np.nan, np.nan, 2.0]
    )
    assert set(errors) == {3, 7}
    assert errors[3].startswith("unknown time zone 'Mars/Base'")
    assert "outside -12..+14" in errors[7]


def test_parse_offsets_numeric_array() -> None:
    offsets, errors = parse_offsets(np.array([1.0, np.nan, 15.0]))
    np.testing.assert_array_equal(offsets, [1.0, np.nan, np.nan])
    assert list(errors) == [2]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (0.0, 0.0, 8.0),
        (0.0, 2.0, 6.0),
        (0.0, 8.0, 0.0),
        (0.0, 12.0, 0.0),
        (5.5, 0.0, 2.5),
        (13.0, -10.0, 7.0),  # 23 hours apart one way is 1 hour the other
        (14.0, -12.0, 6.0),  # 26 hours apart is 2 hours
    ],
)
def test_overlap_pairs(a: float, b: float, expected: float) -> None:
    assert overlap_hours(np.array(a), np.array(b)) == pytest.approx(expected)
    assert overlap_hours(np.array(b), np.array(a)) == pytest.approx(expected)


def test_overlap_broadcasts_and_propagates_nan() -> None:
    a = np.array([[0.0], [np.nan], [-5.0]])
    b = np.array([[0.0, 1.0, 9.0]])
    result = overlap_hours(a, b)
    assert result.shape == (3, 3)
    np.testing.assert_allclose(result, [[8, 7, 0], [np.nan] * 3, [3, 2, 0]])


def test_overlap_other_working_days() -> None:
    assert overlap_hours(np.array(0.0), np.array(12.0), start=6, end=22) == pytest.approx(8.0)
    assert overlap_hours(np.array(0.0), np.array(3.0), start=22, end=6) == pytest.approx(5.0)
    assert overlap_hours(np.array(0.0), np.array(7.0), start=0, end=24) == pytest.approx(24.0)


offsets = st.floats(min_value=-12, max_value=14, allow_nan=False)


@given(offsets, offsets, st.floats(0, 24), st.floats(0, 24))
def test_overlap_bounds_and_symmetry(a: float, b: float, start: float, length: float) -> None:
    end = start + length
    ab = overlap_hours(np.array(a), np.array(b), start, end)
    ba = overlap_hours(np.array(b), np.array(a), start, end)
    assert ab == ba
    assert -1e-9 <= ab <= length + 1e-9
    assert overlap_hours(np.array(a), np.array(a), start, end) == pytest.approx(
        length % 24 or length
    )


def test_packaged_zone_names_are_available_zones_under_the_same_keys():
    """The short cut past `available_timezones()` finds only zones the full walk finds."""
    from gigmatch.read.timezones import _packaged_zone_names, _zone_names

    packaged, available = _packaged_zone_names(), _zone_names()
    assert packaged, "the tzdata package lists its zones"
    assert {key: available.get(key) for key in packaged} == packaged
