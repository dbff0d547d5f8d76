"""Time zones as people write them, and how many working hours two people share.

A people file says "UTC+5:30", "Europe/Berlin", "Berlin", "PST" or "-0500"; everything becomes
hours east of UTC. IANA zones are read on a fixed :data:`REFERENCE_DATE` so the same file always
gives the same offsets (daylight saving time is deliberately ignored: a staffing plan should not
change between January and July). Abbreviations are fixed offsets too, so "EDT" is -4 all year.

On machines without system time zone data, :mod:`zoneinfo` needs the ``tzdata`` package.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo
from collections.abc import Sequence
from datetime import UTC, date, datetime

import numpy as np

from gigmatch.read.values import parse_column

__all__ = [
    "ABBREVIATIONS",
    "REFERENCE_DATE",
    "overlap_hours",
    "parse_offsets",
    "parse_utc_offset",
]

#: The day on which IANA zones are read, so results never depend on today's date.
REFERENCE_DATE = date(2026, 1, 15)

MIN_OFFSET, MAX_OFFSET = -12.0, 14.0

#: Common abbreviations, read as fixed offsets. Where one is ambiguous the most common reading in
#: freelance data wins: CST is US Central, IST is India, GST is Gulf.
ABBREVIATIONS: dict[str, float] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0,
    "ET": -5, "EST": -5, "EDT": -4, "CT": -6, "CST": -6, "CDT": -5,
    "MT": -7, "MST": -7, "MDT": -6, "PT": -8, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10, "NST": -3.5, "NDT": -2.5,
    "BRT": -3, "ART": -3, "CLT": -4,
    "BST": 1, "CET": 1, "MEZ": 1, "WAT": 1, "WEST": 1, "CEST": 2, "MESZ": 2,
    "EET": 2, "SAST": 2, "CAT": 2, "EEST": 3, "MSK": 3, "EAT": 3, "TRT": 3,
    "GST": 4, "PKT": 5, "IST": 5.5, "NPT": 5.75, "BDT": 6,
    "ICT": 7, "WIB": 7, "SGT": 8, "HKT": 8, "PHT": 8, "AWST": 8,
    "JST": 9, "KST": 9, "ACST": 9.5, "AEST": 10, "ACDT": 10.5, "AEDT": 11,
    "NZST": 12, "NZDT": 13,
}  # fmt: skip

#: Big cities people name that are not IANA zone names themselves.
_CITY_ALIASES = {
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "boston": "America/New_York", "washington": "America/New_York",
    "miami": "America/New_York", "atlanta": "America/New_York",
    "philadelphia": "America/New_York", "austin": "America/Chicago",
    "dallas": "America/Chicago", "houston": "America/Chicago", "montreal": "America/Toronto",
    "rio de janeiro": "America/Sao_Paulo", "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin", "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome", "geneva": "Europe/Zurich", "krakow": "Europe/Warsaw",
    "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata", "mumbai": "Asia/Kolkata",
    "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "beijing": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai", "osaka": "Asia/Tokyo", "tel aviv": "Asia/Jerusalem",
    "abu dhabi": "Asia/Dubai", "cape town": "Africa/Johannesburg",
}  # fmt: skip

# "GMT+5" means five hours east, as people write it (not the inverted POSIX "Etc/GMT+5").
_OFFSET = re.compile(
    r"(?:(?:utc|gmt|ut)\s*)?(?P<sign>[-+\u2212])?\s*"
    r"(?P<hours>\d{1,2}(?:\.\d+)?)(?::?(?P<minutes>\d\d))?",
    re.ASCII,
)
_UNKNOWN = "unknown time zone {!r}; use an IANA name like Europe/Berlin or an offset like UTC+2"


def _fold(name: str) -> str:
    """Lower-case, accents removed, underscores and runs of spaces as one space."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.replace("_", " ").casefold().split())


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its casefolded spelling."""
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


@functools.cache
def _packaged_zone_names() -> dict[str, str]:
    """The zone names the tzdata package lists, keyed like `_zone_names`.

    One small file, where `zoneinfo.available_timezones()` also walks the system's zone folder
    and opens every file in it (a fifth of a second): a name found here needs no walk. Each
    of them is among the available zones, which start from this very list."""
    from importlib import resources

    try:
        text = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ImportError, OSError):
        return {}
    return {name.casefold(): name for name in text.split() if name != "posixrules"}


@functools.cache
def _city_zones() -> dict[str, tuple[str, ...]]:
    """IANA zones keyed by their folded last component ("new york" -> America/New_York)."""
    cities: dict[str, list[str]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        cities.setdefault(_fold(name.rsplit("/", 1)[-1]), []).append(name)
    for city, name in _CITY_ALIASES.items():
        cities.setdefault(city, [name])
    return {city: tuple(names) for city, names in cities.items()}


def _zone_offset(name: str, on: date) -> float:
    """Hours east of UTC of IANA zone ``name`` at noon UTC on ``on``."""
    moment = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    delta = moment.astimezone(zoneinfo.ZoneInfo(name)).utcoffset()
    assert delta is not None  # a ZoneInfo always knows its offset
    return delta.total_seconds() / 3600


def _numeric_offset(text: str) -> float | None:
    """Read "UTC+5:30", "GMT-3", "+02:00", "-0500", "+2" or a bare "5.5"; None if not like that."""
    match = _OFFSET.fullmatch(text)
    if match is None or (match["minutes"] and "." in match["hours"]):
        return None
    minutes = int(match["minutes"] or 0)
    if minutes >= 60:
        return None
    hours = float(match["hours"]) + minutes / 60
    return -hours if match["sign"] in ("-", "\u2212") else hours


def _city_offset(text: str, on: date) -> float | None:
    """The offset of a city named alone, if every zone with that name agrees on it."""
    zones = _city_zones().get(_fold(text))
    if not zones:
        return None
    offsets = sorted({_zone_offset(zone, on) for zone in zones})
    if len(offsets) > 1:
        raise ValueError(
            f"{text!r} names several time zones ({', '.join(zones)}); use the full IANA name"
        )
    return offsets[0]


def _lookup(text: str, on: date) -> float | None:
    """Try each accepted form in turn: offset, abbreviation, IANA name, city."""
    offset = _numeric_offset(text.casefold())
    if offset is None:
        offset = ABBREVIATIONS.get(text.upper())
    folded = text.casefold()
    if offset is None and (zone := _packaged_zone_names().get(folded) or _zone_names().get(folded)):
        offset = _zone_offset(zone, on)
    if offset is None:
        offset = _city_offset(text, on)
    return None if offset is None else float(offset)


@functools.lru_cache(maxsize=4096)
def parse_utc_offset(text: str, on: date = REFERENCE_DATE) -> float:
    """Hours east of UTC for a time zone written any common way.

    IANA names and cities are read on ``on`` (default :data:`REFERENCE_DATE`, so DST is ignored).

    >>> parse_utc_offset("UTC+5:30"), parse_utc_offset("-0500"), parse_utc_offset("PST")
    (5.5, -5.0, -8.0)
    >>> parse_utc_offset("america/new_york"), parse_utc_offset("Sao Paulo")
    (-5.0, -3.0)
    """
    body = " ".join(text.split())
    offset = _lookup(body, on) if body else None
    if offset is None:
        raise ValueError(_UNKNOWN.format(body))
    if not MIN_OFFSET <= offset <= MAX_OFFSET:
        raise ValueError(f"UTC offset {offset:+g} in {body!r} is outside -12..+14 hours")
    return offset


def _offset_rule(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cells that are already numbers are hours; they only need the range check."""
    return values, np.isfinite(values) & (values >= MIN_OFFSET) & (values <= MAX_OFFSET)


def parse_offsets(values: Sequence[object] | np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
    """Parse a column of time zones: hours east of UTC (NaN for blanks) and {position: message}.

    >>> parse_offsets(["UTC+2", "", "Mars/Base"])[0]
    array([ 2., nan, nan])
    """
    return parse_column(values, parse_utc_offset, numeric=_offset_rule)


def overlap_hours(
    a: np.ndarray, b: np.ndarray, start: float = 9.0, end: float = 17.0
) -> np.ndarray:
    """Hours that people at UTC offsets ``a`` and ``b`` both work, each from start to end local.

    Broadcasts like numpy arithmetic (``a[:, None]`` against ``b[None, :]`` gives a matrix); NaN
    where either offset is NaN. The day is a circle: UTC+13 and UTC-10 are 23 hours apart one
    way but 1 hour the other, and a long day can overlap on both sides. An ``end`` before
    ``start`` is a shift across midnight (22 to 6 is 8 hours); more than 24 hours is the whole day.

    >>> overlap_hours(np.array([0.0, 13.0]), np.array([2.0, -10.0]))
    array([6., 7.])
    """
    span = end - start if end >= start else end - start + 24
    length = min(max(span, 0.0), 24.0)
    # In place where possible: the inputs are often (projects, 1) against (1, people).
    distance = np.asarray(np.abs(np.subtract(a, b, dtype=float)))
    np.remainder(distance, 24, out=distance)
    near = np.maximum(length - distance, 0)  # overlap on the short way round
    np.subtract(distance, 24 - length, out=distance)
    np.maximum(distance, 0, out=distance)  # overlap on the long way round (long days only)
    near += distance
    return near
