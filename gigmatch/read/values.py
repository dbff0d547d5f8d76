"""Read cell values the way people type them into spreadsheets.

Exports from real tools carry currency signs, thousands separators, percentages, "4.8/5" ratings and
dates in several orders. Each parser here takes one non-blank cell, reads what a person would read
*unambiguously*, and raises ``ValueError`` with a short message for the rest, so the readers in
``io.py`` can report the file, row and column. Range checks are the caller's job: parsers return
out-of-range values unchanged so the caller can say where they are.

The column helpers (:func:`parse_column`, :func:`parse_date_column`) parse each distinct string
once and take a vectorised path for columns that are already numeric: exports repeat values a lot.
This module imports only the standard library and numpy, to keep ``import gigmatch`` cheap.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np

__all__ = [
    "MISSING_MARKERS",
    "is_blank",
    "parse_bool",
    "parse_column",
    "parse_date",
    "parse_date_column",
    "parse_int",
    "parse_number",
    "parse_rating",
    "parse_share",
]

#: Cell texts (after strip and casefold) that mean "no value" rather than a bad value.
MISSING_MARKERS = frozenset(
    {"", "n/a", "na", "#n/a", "nan", "-", "--", "—", "–", "none", "null", "nil"}
)

#: Vectorised handling of cells that are already numbers: (values) -> (converted values, ok mask).
NumericRule = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]

_SIGN = r"[-+\u2212]"
_BODY = r"(?:\d[\d.,' \u00a0\u202f]*\d|\d|[.,]\d+)"
_PLAIN = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", re.ASCII)
_CORE = re.compile(rf"(?P<sign>{_SIGN})?\s*(?P<body>{_BODY})", re.ASCII)
_CURRENCY = (
    r"(?:us\$|a\$|c\$|nz\$|\$|€|£|¥|₹|usd|eur|gbp|chf|cad|aud|nzd|inr|jpy|sek|nok|dkk|pln|brl)"
)
_MONEY = re.compile(
    rf"(?P<sign1>{_SIGN})?\s*(?P<cur1>{_CURRENCY})?\s*(?P<sign2>{_SIGN})?\s*(?P<body>{_BODY})"
    rf"\s*(?P<k>k)?\s*(?P<cur2>{_CURRENCY})?\s*(?:(?:/|\bper\b|\ban?\b)\s*(?:h|hr|hrs|hour)\.?)?",
    re.ASCII,
)
# The common shapes ("45", "$1,200.50", " -45.5 ") in one match, before the general rules.
_QUICK_MONEY = re.compile(
    r"\s*(?P<sign>-)?\$?(?P<int>[1-9]\d{0,2}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*", re.ASCII
)
_GROUPED = re.compile(r"\d{1,3}([ ',.])\d{3}(?:\1\d{3})*", re.ASCII)
_EUROPEAN_THOUSANDS_COMMA = re.compile(r"[1-9]\d{0,2},\d{3}", re.ASCII)


def _shown(text: str) -> str:
    """The cell as quoted in a message: stripped, and cut short so a message stays one line."""
    text = text.strip()
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _decimal_separator(body: str) -> str:
    """Which of "." and "," is the decimal point in ``body`` ("" when it has none).

    Both present: the last one is the decimal point ("1.200,50", "1,200.50"). One kind repeated:
    thousands ("1.200.000"). A single "," followed by three digits after 1-3 leading digits is
    English thousands ("1,500"); any other single "," is a European decimal ("1,5"). A single "."
    is always a decimal point, so "1.200" reads as 1.2, the way Python and English readers do.
    """
    has_dot, has_comma = "." in body, "," in body
    if has_dot and has_comma:
        return "." if body.rfind(".") > body.rfind(",") else ","
    sep = "." if has_dot else "," if has_comma else ""
    if not sep or body.count(sep) > 1:
        return ""
    if sep == "," and _EUROPEAN_THOUSANDS_COMMA.fullmatch(body):
        return ""
    return sep


def _body_to_float(body: str) -> float:
    """Turn the digits-and-separators part of a number into a float, checking digit groups."""
    if body.isdigit():
        return float(body)
    body = body.replace("\u00a0", " ").replace("\u202f", " ")
    dec = _decimal_separator(body)
    whole, frac = body.rsplit(dec, 1) if dec else (body, "")
    if dec and not frac.isdigit():
        raise ValueError(body)
    if whole and not whole.isdigit() and not _GROUPED.fullmatch(whole):
        raise ValueError(body)
    digits = re.sub(r"[ ',.]", "", whole) or "0"
    return float(f"{digits}.{frac}" if frac else digits)


def _signed(sign: str | None, value: float) -> float:
    return -value if sign in ("-", "\u2212") else value


def _plain_number(text: str) -> float:
    """A number with optional sign and separators but no currency or unit; ValueError otherwise."""
    text = text.strip()
    if _PLAIN.fullmatch(text):
        value = float(text)
    else:
        match = _CORE.fullmatch(text)
        if match is None:
            raise ValueError(text)
        value = _signed(match["sign"], _body_to_float(match["body"]))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _money(match: re.Match[str]) -> float:
    """The amount a :data:`_MONEY` match spells; ValueError if signs or currencies repeat."""
    if (match["sign1"] and match["sign2"]) or (match["cur1"] and match["cur2"]):
        raise ValueError("not an amount")
    value = _body_to_float(match["body"]) * (1000.0 if match["k"] else 1.0)
    return _signed(match["sign1"] or match["sign2"], value)


def parse_number(text: str) -> float:
    """Read an amount such as a rate or a budget, with currency, separators and "/hr".

    >>> parse_number("$1,200.50")
    1200.5
    >>> parse_number("1.200,50 €")
    1200.5
    >>> parse_number("£35/hr")
    35.0
    >>> parse_number("1,5")
    1.5
    >>> parse_number("$5k")
    5000.0
    """
    if quick := _QUICK_MONEY.fullmatch(text):
        value = float(quick["int"].replace(",", "") + (quick["frac"] or ""))
        value = -value if quick["sign"] else value
    else:
        match = _MONEY.fullmatch(text.strip().casefold())
        try:
            value = _money(match) if match else _plain_number(text)  # the latter for "1e3"
        except ValueError:
            raise ValueError(
                f"{_shown(text)} is not a number (expected e.g. 45 or $45.50)"
            ) from None
    if not math.isfinite(value):  # 400 digits read as a float are inf
        raise ValueError(f"{_shown(text)} is too large to be a number here")
    return value


def parse_share(text: str) -> float:
    """Read a share in 0..1 such as an on-time record: "85%", "0.85" and "85" all give 0.85.

    A bare number above 1 and up to 100 is taken as a percentage. Values outside 0..1 are
    returned as read, so the caller can report the range with its row and column.

    >>> parse_share("85%")
    0.85
    >>> parse_share("85")
    0.85
    >>> parse_share("1")
    1.0
    """
    body = text.strip()
    percent = body.endswith("%")
    try:
        value = _plain_number(body.removesuffix("%"))
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a share (expected e.g. 85% or 0.85)") from None
    return value / 100 if percent or 1 < value <= 100 else value


_STAR_FULL = "★⭐"
_STAR_EMPTY = "☆✩"
_OUT_OF = re.compile(r"\s*(?:/|\bout of\b|\bof\b)\s*")


def _stars(text: str, scale: float) -> float:
    """Score a row of star glyphs: filled stars out of all stars shown (or out of ``scale``)."""
    full = sum(text.count(c) for c in _STAR_FULL)
    total = len(text) if any(c in text for c in _STAR_EMPTY) else scale
    return full / total * scale


def _rating_fraction(text: str, scale: float) -> float:
    """Read "4.8", "4.8/5", "96/100", "9.6 out of 10" or "96%" onto the 0..scale scale."""
    if text.endswith("%"):
        return _plain_number(text[:-1]) / 100 * scale
    parts = _OUT_OF.split(text)
    if len(parts) == 1:
        return _plain_number(text)
    if len(parts) != 2:
        raise ValueError(text)
    denominator = _plain_number(parts[1])
    if denominator <= 0:
        raise ValueError(text)
    return _plain_number(parts[0]) / denominator * scale


def parse_rating(text: str, scale: float = 5.0) -> float:
    """Read a rating onto the 0..``scale`` scale, whatever scale the export used.

    Out-of-range values ("7" on a 5 scale) are returned as read for the caller to flag.

    >>> parse_rating("96/100")
    4.8
    >>> parse_rating("4.8 stars")
    4.8
    >>> parse_rating("★★★★☆")
    4.0
    """
    body = re.sub(r"\bstars?\b", " ", text.strip().casefold()).strip()
    try:
        if body and all(c in _STAR_FULL + _STAR_EMPTY for c in body):
            return _stars(body, scale)
        return _rating_fraction(body, scale)
    except ValueError:
        raise ValueError(
            f"{_shown(text)} is not a rating (expected e.g. 4.8, 4.8/5 or 96/100)"
        ) from None


def parse_int(text: str) -> int:
    """Read a whole number: "3", "3.0" and " 2 " are fine, "2.5" and "three" are not.

    >>> parse_int("3.0")
    3
    """
    try:
        value = _plain_number(text)
    except ValueError:
        value = math.nan
    if not value.is_integer():
        raise ValueError(f"{_shown(text)} is not a whole number (expected e.g. 3)")
    return int(value)


_TRUE = frozenset({"yes", "y", "true", "t", "1", "on time", "on-time", "ontime", "ok"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "late", "not on time"})


def parse_bool(text: str) -> bool:
    """Read yes/no, true/false, 1/0, t/f or "on time"/"late" (any case).

    >>> parse_bool("On-time")
    True
    """
    key = " ".join(text.split()).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"{_shown(text)} is not yes or no (expected e.g. yes, no, true, false, 1, 0)")


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[t ][\d:.]+(?:z|[-+]\d\d:?\d\d)?)?"  # matched against casefolded text
_ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}", re.ASCII)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)
_SLASHED = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", re.ASCII)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_FIRST = re.compile(rf"([a-z]+)\.?(?:\s+{_DAY})?,?\s+(\d{{4}})", re.ASCII)
_DAY_FIRST = re.compile(rf"{_DAY}\s+([a-z]+)\.?,?\s+(\d{{4}})", re.ASCII)


class _AmbiguousDate(ValueError):
    """A slashed date whose day and month could be either way round."""


def _slashed_date(first: int, second: int, year: int, text: str) -> date:
    """Resolve "a/b/yyyy": day first if a cannot be a month, month first if b cannot be one."""
    if first > 12 or first == second:
        return date(year, second, first)
    if second > 12:
        return date(year, first, second)
    raise _AmbiguousDate(
        f"{_shown(text)} is ambiguous (day/month or month/day?); "
        "use ISO YYYY-MM-DD, e.g. 2025-03-01"
    )


def _named_month_date(text: str) -> date | None:
    """Read "March 2025", "Mar 1, 2025" and "1 March 2025"; None if the text is not like these."""
    match = _MONTH_FIRST.fullmatch(text)
    if match and match[1] in _MONTHS:
        return date(int(match[3]), _MONTHS[match[1]], int(match[2] or 1))
    match = _DAY_FIRST.fullmatch(text)
    if match and match[2] in _MONTHS:
        return date(int(match[3]), _MONTHS[match[2]], int(match[1]))
    return None


#: Dates outside these years are typos (9999-12-31 is a "no end" marker, not a finish date).
MIN_YEAR, MAX_YEAR = 1900, 2199


def _read_date(text: str) -> date | None:
    """The date ``text`` spells, or None when it is in no accepted form."""
    if match := _ISO.fullmatch(text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DOTTED.fullmatch(text):
        return date(int(match[3]), int(match[2]), int(match[1]))
    if match := _SLASHED.fullmatch(text):
        return _slashed_date(int(match[1]), int(match[2]), int(match[3]), text)
    return _named_month_date(text)


def parse_date(text: str) -> date:
    """Read a date: ISO first, then dotted (day first), slashed, and month names in English.

    Slashed dates are read only when the order is certain ("3/14/2025", "14/3/2025"); "03/04/2025"
    raises, asking for ISO. A month and year alone ("March 2025") means the first of that month.

    >>> parse_date("01.03.2025")
    datetime.date(2025, 3, 1)
    >>> parse_date("Mar 1, 2025")
    datetime.date(2025, 3, 1)
    """
    body = " ".join(text.split()).casefold()
    try:
        found = _read_date(body)
    except _AmbiguousDate:
        raise
    except ValueError:  # a month 13 or a 31 February
        found = None
    if found is None:
        raise ValueError(f"{_shown(text)} is not a date (expected YYYY-MM-DD, e.g. 2025-03-01)")
    if not MIN_YEAR <= found.year <= MAX_YEAR:
        raise ValueError(f"{_shown(text)} is not a date from {MIN_YEAR} to {MAX_YEAR}")
    return found


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, NaT, pandas NA, whitespace, or a marker like "n/a".

    >>> is_blank(" N/A "), is_blank(float("nan")), is_blank("0")
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in MISSING_MARKERS
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return type(value).__name__ in ("NAType", "NaTType")


def _identity(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return values, np.isfinite(values)


def _share_rule(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    percent = (values > 1) & (values <= 100)
    return np.where(percent, values / 100, values), np.isfinite(values)


def _whole_rule(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    finite = np.isfinite(values)
    return values, finite & (values == np.floor(np.where(finite, values, 0)))


def _bool_rule(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return values, (values == 0) | (values == 1)


_NUMERIC_RULES: dict[Callable[..., Any], NumericRule] = {
    parse_number: _identity,
    parse_rating: _identity,
    parse_share: _share_rule,
    parse_int: _whole_rule,
    parse_bool: _bool_rule,
}


def _as_text(value: object) -> str:
    """A non-string cell as text for a parser; floats use repr so they round-trip exactly."""
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return str(value)


def _error_of(parser: Callable[[str], object], text: str) -> str:
    """The message ``parser`` gives for ``text`` (which is known to be rejected)."""
    try:
        parser(text)
    except ValueError as exc:
        return str(exc)
    return f"{_shown(text)} is not accepted"


def _numeric_array(values: Sequence[object] | np.ndarray) -> np.ndarray | None:
    """``values`` as a float array when it is already a plain numpy-typed numeric column."""
    dtype = getattr(values, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        return np.asarray(values, dtype=float)
    return None


def _apply_rule(
    numbers: np.ndarray, rule: NumericRule, parser: Callable[[str], object]
) -> tuple[np.ndarray, dict[int, str]]:
    """Convert already-numeric cells with ``rule``; NaN stays blank, others failing are errors."""
    blank = np.isnan(numbers)
    converted, ok = rule(np.where(blank, 0.0, numbers))
    bad = np.flatnonzero(~ok & ~blank)
    errors = {int(i): _error_of(parser, _as_text(numbers[i])) for i in bad}
    return np.where(ok & ~blank, converted, np.nan).astype(float), errors


_UNSEEN = object()
_NUMBER = object()


def _parse_text(text: str, parser: Callable[[str], Any]) -> Any:
    """One distinct cell text parsed: the parser's value, None for blank, or its ValueError."""
    if text.strip().casefold() in MISSING_MARKERS:
        return None
    try:
        return parser(text)
    except ValueError as exc:
        return exc


def _parse_cached(text: str, parser: Callable[[str], Any], cache: dict[str, Any]) -> Any:
    """:func:`_parse_text`, once per distinct text."""
    result = cache.get(text, _UNSEEN)
    if result is _UNSEEN:
        result = cache[text] = _parse_text(text, parser)
    return result


def _non_text(value: object, numeric: bool) -> object:
    """Classify a cell that is not a str: None (blank), _NUMBER (for the numeric rule), or text."""
    if is_blank(value):
        return None
    if numeric and isinstance(value, int | float | np.number | np.bool_):
        return _NUMBER
    return _as_text(value)


def _parse_objects(
    values: Sequence[object] | np.ndarray, parser: Callable[[str], Any], rule: NumericRule | None
) -> tuple[np.ndarray, dict[int, str]]:
    """The general path of :func:`parse_column`: mixed objects, strings parsed once each.

    This loop runs once per cell, so it is kept flat: the common case (a str already seen)
    costs one type check and one dict lookup.
    """
    out = [math.nan] * len(values)
    errors: dict[int, str] = {}
    cache: dict[str, Any] = {}
    numeric_at: list[int] = []
    for i, value in enumerate(values):
        if type(value) is not str:
            value = _non_text(value, rule is not None)
            if value is _NUMBER:
                numeric_at.append(i)
            if value is None or value is _NUMBER:
                continue
        result = _parse_cached(value, parser, cache)  # type: ignore[arg-type]
        if isinstance(result, ValueError):
            errors[i] = str(result)
        elif result is not None:
            out[i] = result
    array = np.array(out, dtype=float)
    if numeric_at and rule is not None:
        _merge_numbers(array, errors, [(i, values[i]) for i in numeric_at], rule, parser)
    return array, dict(sorted(errors.items()))


def _merge_numbers(
    array: np.ndarray,
    errors: dict[int, str],
    cells: list[tuple[int, Any]],
    rule: NumericRule,
    parser: Callable[[str], Any],
) -> None:
    """Convert the numeric cells of a mixed column with ``rule`` and write them in place."""
    positions = np.array([i for i, _ in cells])
    converted, numeric_errors = _apply_rule(np.array([float(v) for _, v in cells]), rule, parser)
    array[positions] = converted
    errors.update({int(positions[i]): message for i, message in numeric_errors.items()})


def distinct(values: Sequence[object] | np.ndarray) -> tuple[np.ndarray, list[str]] | None:
    """``(codes, uniques)`` of a column whose every cell is a ``str`` (``uniques[codes]`` is the
    column, uniques in order of first use), or None for any other column.

    Readers work once per distinct cell text: exports repeat values a lot, and hashing a
    column in C costs far less than one Python step per cell. Only all-``str`` columns (every
    column read from a file) qualify, because factorising mixed objects would merge ``1``,
    ``1.0`` and ``True``, which parsers tell apart as text.

    >>> codes, uniques = distinct(["b", "a", "b"])
    >>> codes.tolist(), uniques
    ([0, 1, 0], ['b', 'a'])
    """
    import pandas as pd

    array = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    if array.dtype != object or array.ndim != 1:
        return None
    if len(array) and pd.api.types.infer_dtype(array, skipna=False) != "string":
        return None
    codes, uniques = pd.factorize(array)
    return np.asarray(codes, dtype=np.intp), list(uniques)


# Text already in Python's float syntax and unsigned: each parser reads it as float(text)
# (then its own rule: a share of 85 is 0.85), so these are read for a whole column at once.
_PLAIN_TEXT = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_PLAIN_TEXT_RULES: dict[Callable[..., Any], NumericRule] = {
    parse_number: _identity,
    parse_rating: _identity,
    parse_share: _share_rule,
    parse_int: _whole_rule,
}  # not parse_bool: it reads "1" but refuses "1.0", which the numeric rule accepts


def _plain_values(uniques: list[str], parser: Callable[..., Any]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct texts read without calling the parser: (positions read, their values).

    Only texts such as "45" or "4.8" whose value the parser's rule accepts; the rest, with
    currency, separators or a value the rule refuses, go through the parser (for its message)."""
    rule = _PLAIN_TEXT_RULES.get(parser)
    if rule is None or not uniques:
        return np.empty(0, dtype=np.intp), np.empty(0)
    plain = np.fromiter(
        map(operator.truth, map(_PLAIN_TEXT.fullmatch, uniques)), dtype=bool, count=len(uniques)
    )
    at = np.flatnonzero(plain)
    numbers = np.fromiter(map(float, map(uniques.__getitem__, at.tolist())), float, len(at))
    converted, ok = rule(numbers)
    return at[ok], np.asarray(converted, dtype=float)[ok]


def _parse_distinct(
    codes: np.ndarray, uniques: list[str], parser: Callable[[str], Any]
) -> tuple[np.ndarray, dict[int, str]]:
    """The path of :func:`parse_column` for a column of strings: each distinct text parsed
    once (plain numbers all at once), the results taken back to the cells by code."""
    parsed = np.full(len(uniques), np.nan)
    done = np.zeros(len(uniques), dtype=bool)
    at, numbers = _plain_values(uniques, parser)
    parsed[at] = numbers
    done[at] = True
    messages: dict[int, str] = {}
    for u in np.flatnonzero(~done).tolist():
        result = _parse_text(uniques[u], parser)
        if isinstance(result, ValueError):
            messages[u] = str(result)
        elif result is not None:
            parsed[u] = result
    if not messages:
        return parsed[codes], {}
    failed = np.zeros(len(uniques), dtype=bool)
    failed[list(messages)] = True
    rows = np.flatnonzero(failed[codes])
    errors = {r: messages[c] for r, c in zip(rows.tolist(), codes[rows].tolist(), strict=True)}
    return parsed[codes], errors


def parse_column(
    values: Sequence[object] | np.ndarray,
    parser: Callable[[str], float],
    *,
    numeric: NumericRule | None = None,
) -> tuple[np.ndarray, dict[int, str]]:
    """Parse a whole column: a float array (NaN for blanks and rejects) and {position: message}.

    Positions count from 0 in ``values``. Each distinct string is parsed once. Cells that are
    already numbers skip the text parser and go through a vectorised ``numeric`` rule
    (values -> (converted, ok mask)); the parsers of this module have one built in, so a bare
    85 in an on-time column still becomes 0.85. Other parsers without a rule see numbers as text.

    >>> parse_column(["$45.50", "", "abc", 3], parse_number)
    (array([45.5,  nan,  nan,  3. ]), {2: "'abc' is not a number (expected e.g. 45 or $45.50)"})
    """
    rule = numeric if numeric is not None else _NUMERIC_RULES.get(parser)
    numbers = _numeric_array(values) if rule is not None else None
    if numbers is not None and rule is not None:
        return _apply_rule(numbers, rule, parser)
    coded = distinct(values)
    if coded is not None:
        return _parse_distinct(*coded, parser)
    return _parse_objects(values, parser, rule)


_NAT = np.iinfo(np.int64).min
_EPOCH = date(1970, 1, 1).toordinal()


def _date_of(value: object, cache: dict[str, Any]) -> Any:
    """One cell as a date, None for blank, or the ValueError explaining the reject."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, np.datetime64):
        value = value.astype("datetime64[D]").item()
    if isinstance(value, date):
        if MIN_YEAR <= value.year <= MAX_YEAR:
            return value
        return ValueError(f"{value} is not a date from {MIN_YEAR} to {MAX_YEAR}")
    return _parse_cached(str(value), parse_date, cache)


def parse_date_column(values: Sequence[object] | np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
    """Parse a column of dates: a ``datetime64[D]`` array (NaT for blanks and rejects) and errors.

    >>> parse_date_column(["2025-03-01", None])[0]
    array(['2025-03-01',        'NaT'], dtype='datetime64[D]')
    """
    days = [_NAT] * len(values)
    errors: dict[int, str] = {}
    cache: dict[str, Any] = {}
    for i, value in enumerate(values):
        result = _date_of(value, cache)
        if isinstance(result, ValueError):
            errors[i] = str(result)
        elif result is not None:
            days[i] = result.toordinal() - _EPOCH
    return np.array(days, dtype=np.int64).view("datetime64[D]"), errors
