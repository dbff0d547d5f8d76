"""Tests for gigmatch.read.values: cell parsers and the column helpers."""

from __future__ import annotations

import doctest
import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gigmatch.read import values
from gigmatch.read.values import (
    is_blank,
    parse_bool,
    parse_column,
    parse_date,
    parse_date_column,
    parse_int,
    parse_number,
    parse_rating,
    parse_share,
)


def test_doctests_pass() -> None:
    result = doctest.testmod(values)
    assert result.attempted > 10
    assert result.failed == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,200.50", 1200.5),
        ("USD 40", 40.0),
        ("40 USD", 40.0),
        ("usd40", 40.0),
        ("€40", 40.0),
        ("40 €", 40.0),
        ("£35/hr", 35.0),
        ("$40/hour", 40.0),
        ("40 per hour", 40.0),
        ("40.5", 40.5),
        ("1 200", 1200.0),
        ("1\u00a0200,50", 1200.5),
        ("1'200", 1200.0),
        ("1.200,50", 1200.5),
        ("1.200.000", 1_200_000.0),
        ("1,200,000.25", 1_200_000.25),
        ("1.200", 1.2),  # a lone "." is a decimal point: "1.200" is not unambiguously 1200
        ("1,5", 1.5),
        ("0,500", 0.5),
        ("1,500", 1500.0),
        ("-5", -5.0),
        ("-$5", -5.0),
        ("$-5", -5.0),
        ("\u22125", -5.0),
        ("5.0\n", 5.0),
        ("  45  ", 45.0),
        (".5", 0.5),
        ("$5k", 5000.0),
        ("1e3", 1000.0),
    ],
)
def test_parse_number_reads_what_people_write(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["abc", "", "1-2", "zero", "$", "1,200,50", "1.2.3", "inf", "nan", "$$5", "USD 40 EUR", "-$-5",
     "40/day", "12 345 67"],
)  # fmt: skip
def test_parse_number_rejects_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a number \(expected e\.g\. 45 or \$45\.50\)"):
        parse_number(text)


def test_parse_number_message_quotes_the_stripped_cell() -> None:
    with pytest.raises(ValueError) as info:
        parse_number(" abc\n")
    assert str(info.value) == "'abc' is not a number (expected e.g. 45 or $45.50)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("85%", 0.85),
        ("85 %", 0.85),
        ("0.85", 0.85),
        ("85", 0.85),
        ("1", 1.0),
        ("0", 0.0),
        ("100%", 1.0),
        ("100", 1.0),
        ("150%", 1.5),
        ("-0.2", -0.2),
        ("150", 150.0),
    ],
)
def test_parse_share(text: str, expected: float) -> None:
    assert parse_share(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "%", "85%%", "$85", "1-2"])
def test_parse_share_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="is not a share"):
        parse_share(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.8", 4.8),
        ("4.8/5", 4.8),
        ("4.8 / 5", 4.8),
        ("96/100", 4.8),
        ("4.8 stars", 4.8),
        ("4.8/5 stars", 4.8),
        ("9.6/10", 4.8),
        ("4.8 out of 5", 4.8),
        ("96%", 4.8),
        ("★★★★☆", 4.0),
        ("★★★", 3.0),
        ("7", 7.0),
    ],
)
def test_parse_rating(text: str, expected: float) -> None:
    assert parse_rating(text) == pytest.approx(expected)


def test_parse_rating_on_another_scale() -> None:
    assert parse_rating("4/5", scale=10) == pytest.approx(8.0)
    assert parse_rating("8", scale=10) == pytest.approx(8.0)


@pytest.mark.parametrize("text", ["great", "4/0", "a/b", "4/5/6", "★x"])
def test_parse_rating_rejects_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="is not a rating"):
        parse_rating(text)


@pytest.mark.parametrize(("text", "expected"), [("3", 3), ("3.0", 3), (" 2 ", 2), ("-1", -1)])
def test_parse_int(text: str, expected: int) -> None:
    result = parse_int(text)
    assert result == expected
    assert isinstance(result, int)


@pytest.mark.parametrize("text", ["2.5", "zero", "three", "1e400", ""])
def test_parse_int_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a whole number"):
        parse_int(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("t", True), ("1", True), ("On time", True),
     ("on-time", True), ("no", False), ("n", False), ("False", False), ("F", False),
     ("0", False), ("late", False), (" Late\n", False)],
)  # fmt: skip
def test_parse_bool(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", ["maybe", "2", "yess"])
def test_parse_bool_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not yes or no"):
        parse_bool(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01", date(2025, 3, 1)),
        ("2025/03/01", date(2025, 3, 1)),
        ("2025-3-1", date(2025, 3, 1)),
        ("2025-03-01T10:00:00", date(2025, 3, 1)),
        ("2025-03-01T10:00:00Z", date(2025, 3, 1)),
        ("2025-03-01 10:00:00+01:00", date(2025, 3, 1)),
        ("01.03.2025", date(2025, 3, 1)),
        ("3/14/2025", date(2025, 3, 14)),
        ("14/3/2025", date(2025, 3, 14)),
        ("03/03/2025", date(2025, 3, 3)),
        ("March 2025", date(2025, 3, 1)),
        ("Mar 1, 2025", date(2025, 3, 1)),
        ("March 1st, 2025", date(2025, 3, 1)),
        ("1 March 2025", date(2025, 3, 1)),
        ("Sept 3 2025", date(2025, 9, 3)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_parse_date_ambiguous_slash_asks_for_iso() -> None:
    with pytest.raises(ValueError, match=r"ambiguous.*YYYY-MM-DD"):
        parse_date("03/04/2025")


@pytest.mark.parametrize(
    "text", ["2025-02-30", "13/13/2025", "Smarch 2025", "yesterday", "25/3/25"]
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text)


@pytest.mark.parametrize(
    "value", [None, float("nan"), np.nan, np.float32("nan"), "", "  ", "\n", "n/a", "N/A", "na",
              "-", "None", "NULL", "—", pd.NA, pd.NaT, np.datetime64("NaT")],
)  # fmt: skip
def test_is_blank_true(value: object) -> None:
    assert is_blank(value) is True


@pytest.mark.parametrize("value", ["0", 0, 0.0, False, "no", "x", date(2025, 1, 1)])
def test_is_blank_false(value: object) -> None:
    assert is_blank(value) is False


def test_parse_column_strings_blanks_and_errors() -> None:
    cells = ["$45.50", None, "", " n/a ", "abc", "45", float("nan"), "1-2", "$45.50"]
    array, errors = parse_column(cells, parse_number)
    np.testing.assert_array_equal(
        array, [45.5, np.nan, np.nan, np.nan, np.nan, 45.0, np.nan, np.nan, 45.5]
    )
    assert errors == {
        4: "'abc' is not a number (expected e.g. 45 or $45.50)",
        7: "'1-2' is not a number (expected e.g. 45 or $45.50)",
    }


def test_parse_column_numeric_cells_follow_the_parser_rules() -> None:
    shares, share_errors = parse_column([85, 0.9, "70%", True], parse_share)
    np.testing.assert_allclose(shares, [0.85, 0.9, 0.7, 1.0])
    assert share_errors == {}
    counts, count_errors = parse_column([3, 2.5, "4", np.int64(7)], parse_int)
    np.testing.assert_array_equal(counts, [3.0, np.nan, 4.0, 7.0])
    assert count_errors == {1: "'2.5' is not a whole number (expected e.g. 3)"}


def test_parse_column_numeric_array_fast_path() -> None:
    array, errors = parse_column(np.array([85.0, np.nan, 0.5, np.inf]), parse_share)
    np.testing.assert_allclose(array, [0.85, np.nan, 0.5, np.nan])
    assert errors == {3: "'inf' is not a share (expected e.g. 85% or 0.85)"}


def test_parse_column_pandas_series() -> None:
    floats, _ = parse_column(pd.Series([3.0, None, 4.0]), parse_int)
    np.testing.assert_array_equal(floats, [3.0, np.nan, 4.0])
    nullable, errors = parse_column(pd.Series([3, None, 4], dtype="Int64"), parse_int)
    np.testing.assert_array_equal(nullable, [3.0, np.nan, 4.0])
    assert errors == {}
    mixed, errors = parse_column(pd.Series(["4.8/5", 4.5, None], dtype=object), parse_rating)
    np.testing.assert_allclose(mixed, [4.8, 4.5, np.nan])


def test_parse_column_bools_and_custom_parser() -> None:
    flags, errors = parse_column(["yes", "late", 1, "maybe"], parse_bool)  # type: ignore[arg-type]
    np.testing.assert_array_equal(flags, [1.0, 0.0, 1.0, np.nan])
    assert list(errors) == [3]
    tens, _ = parse_column(["4/5", 8], lambda text: parse_rating(text, scale=10))
    np.testing.assert_allclose(tens, [8.0, 8.0])


def test_parse_column_parses_each_distinct_string_once() -> None:
    seen: list[str] = []

    def counting(text: str) -> float:
        seen.append(text)
        return parse_number(text)

    array, _ = parse_column(["$1", "$2", "$1", "$1", "$2"], counting)
    np.testing.assert_array_equal(array, [1.0, 2.0, 1.0, 1.0, 2.0])
    assert seen == ["$1", "$2"]


def test_parse_date_column() -> None:
    cells = ["2025-03-01", None, date(2025, 1, 2), datetime(2025, 1, 3, 8),
             pd.Timestamp("2025-01-04"), np.datetime64("2025-01-05"), "03/04/2025", "n/a",
             pd.NaT]  # fmt: skip
    array, errors = parse_date_column(cells)
    assert array.dtype == np.dtype("datetime64[D]")
    expected = ["2025-03-01", "NaT", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05",
                "NaT", "NaT", "NaT"]  # fmt: skip
    np.testing.assert_array_equal(array, np.array(expected, dtype="datetime64[D]"))
    assert list(errors) == [6]
    assert "ambiguous" in errors[6]


@given(st.lists(st.text(), max_size=30))
def test_parse_column_never_raises_on_text(cells: list[str]) -> None:
    for parser in (parse_number, parse_share, parse_rating, parse_int, parse_bool):
        array, errors = parse_column(cells, parser)
        assert array.shape == (len(cells),)
        assert array.dtype == np.float64
        assert all(math.isnan(array[i]) for i in errors)
        assert all(isinstance(message, str) and message for message in errors.values())
    dates, date_errors = parse_date_column(cells)
    assert dates.shape == (len(cells),)
    assert all(np.isnat(dates[i]) for i in date_errors)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_parse_number_reads_english_money_formatting(amount: float) -> None:
    assert parse_number(f"${amount:,.2f}") == pytest.approx(amount)
    assert parse_number(f"{amount:.2f} USD") == pytest.approx(amount)


def _cell_by_cell(cells: list[str], parser) -> tuple[list[float], dict[int, str]]:
    """What `parse_column` must give: the parser on every non-blank cell, one at a time."""
    out, errors = [], {}
    for i, cell in enumerate(cells):
        if values.is_blank(cell):
            out.append(math.nan)
            continue
        try:
            out.append(float(parser(cell)))
        except ValueError as exc:
            out.append(math.nan)
            errors[i] = str(exc)
    return out, errors


_NUMBERISH = st.one_of(
    st.from_regex(r"-?\d{1,4}(\.\d{1,3})?", fullmatch=True),
    st.from_regex(r"\d{400}", fullmatch=True),
    st.sampled_from(["0", "00", "007", "1.0", "85", "100", "101", "4.8", "1,200", "$45", "85%",
                     " 7 ", "n/a", "", "-", "1e3", "1_000", "٣", "+5", "5.", ".5", "2.5"]),
    st.text(alphabet="0123456789.,-$% ", max_size=6),
)  # fmt: skip


@given(st.lists(_NUMBERISH, max_size=25))
def test_parse_column_of_text_is_the_parser_cell_by_cell(cells: list[str]) -> None:
    """The column path (each distinct text once, plain numbers read all at once) gives the
    parser's own value and message for every cell, to the bit."""
    for parser in (parse_number, parse_share, parse_rating, parse_int, parse_bool):
        array, errors = parse_column(np.array(cells, dtype=object), parser)
        expected, expected_errors = _cell_by_cell(cells, parser)
        assert array.view(np.int64).tolist() == np.array(expected).view(np.int64).tolist()
        assert errors == expected_errors
