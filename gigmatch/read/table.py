"""Reading input files: bytes to text, text to a table, headers to fields.

This module knows about files, encodings, delimiters and header spellings; what the columns
mean and which values are valid is `schema.py`'s business. Inputs are only ever read.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gigmatch.errors import InputError, Problem

if TYPE_CHECKING:
    import pandas as pd

STDIN = "-"
_DELIMITERS = (",", ";", "\t", "|")
MAX_INPUT_BYTES = 256 * 1024 * 1024  # a larger "CSV" is a mistake (or /dev/zero), not data
MAX_COLUMNS = 1000  # a header with more cells is not a projects, people or history file
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class RawTable:
    """A file read as text cells; the index of `frame` is the row as a spreadsheet shows it."""

    frame: pd.DataFrame
    source: str
    encoding: str
    delimiter: str


def read_bytes(source: str | Path, *, binary_ok: bool = False) -> bytes:
    """The file's bytes, or standard input's for `-`.

    Read in chunks and refused early: more than `MAX_INPUT_BYTES` (`/dev/zero` would never
    end), a spreadsheet workbook, or (unless `binary_ok`) a NUL byte anywhere, which no CSV or
    TOML text holds.
    """
    name = "<stdin>" if str(source) == STDIN else str(source)
    if str(source) == STDIN:
        return _read_limited(sys.stdin.buffer, name, binary_ok)
    path = Path(source)
    try:
        with path.open("rb") as handle:
            return _read_limited(handle, name, binary_ok)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a CSV file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _read_limited(handle, name: str, binary_ok: bool) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(_CHUNK):
        if not chunks:
            _refuse_workbook(chunk, name)
        if not binary_ok and b"\x00" in chunk:
            raise InputError(
                f"{name}: this looks like a binary file, not CSV text (it holds NUL bytes)"
            )
        size += len(chunk)
        if size > MAX_INPUT_BYTES:
            limit = MAX_INPUT_BYTES // (1024 * 1024)
            raise InputError(
                f"{name}: larger than {limit} MiB; gigmatch reads files up to that size"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252/Latin-1.

    Spreadsheet exports on Windows are often Windows-1252; Latin-1 decodes any byte, so it is
    the last resort rather than an error.

    >>> decode("José".encode("cp1252"))
    ('José', 'cp1252')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def detect_delimiter(text: str) -> str:
    """The delimiter used by the header line: the most frequent of `,` `;` tab `|`.

    Only the header is looked at, because skill cells are full of `;` and `,`; ties go to `,`.

    >>> detect_delimiter("id;name;skills\\n1;Ann;Python, SQL")
    ';'
    """
    first = text.splitlines()[0] if text else ""
    try:
        header = next(csv.reader([first]), [""])
    except csv.Error:
        header = [first]
    line = ",".join(header) if len(header) > 1 else first
    counts = {d: line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_table(source: str | Path) -> RawTable:
    """Read a delimited file into text cells, keeping spreadsheet row numbers."""
    import pandas as pd

    name = "<stdin>" if str(source) == STDIN else str(source)
    text, encoding = decode(read_bytes(source))
    if not text.strip():
        raise InputError(f"{name}: the file is empty (expected a header row and data rows)")
    delimiter = detect_delimiter(text)
    _refuse_wide_header(text, delimiter, name)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quotechar='"',
        )
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise InputError(_parser_message(name, str(exc))) from None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the first cells as an index when the first data row is too long
        want, saw = len(frame.columns), len(frame.columns) + frame.index.nlevels
        raise InputError(_parser_message(name, f"Expected {want} fields in line 2, saw {saw}"))
    _refuse_repeated_headers(text, delimiter, name)
    frame.index = frame.index + 2
    frame.columns = [str(c).strip() for c in frame.columns]
    blank = (frame == "").all(axis=1) if len(frame.columns) else frame.index == frame.index
    return RawTable(frame[~blank], name, encoding, delimiter)


def _refuse_repeated_headers(text: str, delimiter: str, name: str) -> None:
    """Two columns with the same header: pandas would rename one and its data would be lost."""
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error:
        return
    seen: dict[str, int] = {}
    for position, cell in enumerate(header, start=1):
        key = cell.strip()
        if key and key in seen:
            raise InputError(
                f"{name}:1: the header '{key}' appears twice (columns {seen[key]} and {position}); "
                "rename or merge one of them"
            )
        seen.setdefault(key, position)


def _refuse_workbook(data: bytes, name: str) -> None:
    """Spreadsheets get a message that says what to do, not a parse error."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name}: this is a spreadsheet workbook, not CSV; save it as CSV (UTF-8)")


def _refuse_wide_header(text: str, delimiter: str, name: str) -> None:
    """More than `MAX_COLUMNS` headers: refused at once rather than parsed for minutes."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if first.count(delimiter) >= MAX_COLUMNS:
        raise InputError(
            f"{name}:1: the header has more than {MAX_COLUMNS} columns; is this the right file "
            "(and the right delimiter)?"
        )


def _parser_message(name: str, detail: str) -> str:
    """Turn pandas' tokenizer complaint into a located, fixable message."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
    if found:
        want, line, saw = found.groups()
        if want == "0":
            return f"{name}:1: the header row is empty: the first row must name the columns"
        return (
            f"{name}:{line}: the row has {saw} cells but the header has {want}; "
            "put quotes around cells that contain the delimiter"
        )
    return f"{name}: cannot be read as CSV: {detail.strip()}"


def header_key(header: str) -> str:
    """Headers compared without case, spaces, punctuation or a currency tag.

    >>> [header_key(h) for h in ["Skill Set", "Hourly Rate ($)", "hourly_rate", "Rate (USD)"]]
    ['skillset', 'hourlyrate', 'hourlyrate', 'rate']
    """
    key = re.sub(r"[^0-9a-z]+", "", header.casefold())
    return re.sub(r"(usd|eur|gbp)$", "", key) or key


def map_headers(
    headers: list[str],
    synonyms: dict[str, tuple[str, ...]],
    user: dict[str, str],
    source: str,
) -> tuple[dict[str, str], list[Problem]]:
    """Which header of the file holds which field, by the user's `[columns]` then by synonym."""
    found: dict[str, str] = {}
    problems: list[Problem] = []
    user_keys = {header_key(h): f for h, f in user.items()}
    for header in headers:
        key = header_key(header)
        fld = user_keys.get(key) or next((f for f, s in synonyms.items() if key in s), None)
        if fld is None or fld not in synonyms:
            continue
        if fld in found:
            problems.append(
                Problem(
                    source, 1, header, "warning", "duplicate-column",
                    f"'{header}' and '{found[fld]}' both read as {fld}; using '{found[fld]}'",
                )
            )  # fmt: skip
            continue
        found[fld] = header
    return found, problems
