"""Reading input files: bytes to text, text to a table, headers to fields.

This module knows about files, encodings, delimiters and header spellings; what the columns
mean and which values are valid is `schema.py`'s business. Inputs are only ever read.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gigmatch.errors import InputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from gigmatch.read.sheets import Sheet

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
    header_row: int = 1  # the row of the header as a spreadsheet shows it (after a title block)
    sheet: str | None = None  # the sheet read, for a workbook
    sheets: tuple[str, ...] = ()  # every sheet of that workbook


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
    nul_ok = False
    while chunk := handle.read(_CHUNK):
        if not chunks:
            if not binary_ok:
                _refuse_workbook(chunk, name)
            # NUL bytes belong only to a workbook or to UTF-16/32 text, both told by their start
            nul_ok = binary_ok and chunk.startswith(_BINARY_STARTS)
        if not nul_ok and b"\x00" in chunk:
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


_BINARY_STARTS = (
    b"PK\x03\x04",  # xlsx, xlsm, ods (zip)
    b"\xd0\xcf\x11\xe0",  # old xls
    b"\xff\xfe",  # UTF-16 LE and UTF-32 LE byte-order marks
    b"\xfe\xff",  # UTF-16 BE
    b"\x00\x00\xfe\xff",  # UTF-32 BE
)


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
    first = first_lines(text, 1)[0] if text else ""
    try:
        header = next(csv.reader([first]), [""])
    except csv.Error:
        header = [first]
    line = ",".join(header) if len(header) > 1 else first
    counts = {d: line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def read_table(
    source: str | Path,
    *,
    sheet: str | None = None,
    skip_rows: int | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
) -> RawTable:
    """Read a delimited file or a workbook sheet into text cells, keeping spreadsheet rows.

    `sheet` picks a workbook's sheet (also written `book.xlsx#Sheet`). When the first row is
    not the header (by `is_header`), `skip_rows` rows are skipped, or without it the title
    block above the first row that unmistakably is the header.
    """
    from gigmatch.read.sheets import ODS_SUFFIXES, is_workbook, read_sheet, split_sheet

    text_source, named_sheet = split_sheet(str(source))
    name = "<stdin>" if text_source == STDIN else str(source)
    data = read_bytes(text_source, binary_ok=True)
    if is_workbook(Path(text_source), data[:4]):
        ods = text_source.lower().endswith(ODS_SUFFIXES)
        book = read_sheet(data, named_sheet or sheet, name, ods=ods)
        return rows_table(book.rows, name, skip_rows, is_header, sheet=book)
    decoded = decode_unicode(data, name)
    if decoded is None:
        _refuse_binary(data, name)
        decoded = decode(data)
    text, encoding = decoded
    if _blank(text):
        raise InputError(f"{name}: the file is empty (expected a header row and data rows)")
    skip = header_line(text, skip_rows, is_header)
    return _text_table(_after_lines(text, skip), name, encoding, skip)


def _text_table(text: str, name: str, encoding: str, skip: int = 0) -> RawTable:
    """Parse delimited text whose first line is the header; `skip` lines came before it."""
    import pandas as pd

    if _blank(text):
        raise InputError(f"{name}: no header row after the {skip} rows skipped")
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
        raise InputError(_parser_message(name, str(exc), skip)) from None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the first cells as an index when the first data row is too long
        want, saw = len(frame.columns), len(frame.columns) + frame.index.nlevels
        detail = f"Expected {want} fields in line 2, saw {saw}"
        raise InputError(_parser_message(name, detail, skip))
    _refuse_repeated_headers(text, delimiter, name)
    frame.index = frame.index + 2 + skip
    frame.columns = [str(c).strip() for c in frame.columns]
    blank = _blank_rows(frame)
    kept = frame[~blank] if blank.any() else frame
    return RawTable(kept, name, encoding, delimiter, header_row=skip + 1)


def _blank(text: str) -> bool:
    """`not text.strip()`, without copying a large text to find out."""
    return not text or text.isspace()


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is "" (blank lines; `skip_blank_lines=False` keeps their row
    numbers right). Only rows whose first cell is blank are compared cell by cell."""
    import numpy as np

    blank = np.ones(len(frame), dtype=bool)
    if not len(frame.columns):
        return blank
    blank = (frame.iloc[:, 0] == "").to_numpy(dtype=bool, na_value=False, copy=True)
    maybe = np.flatnonzero(blank)
    if len(maybe) and len(frame.columns) > 1:
        blank[maybe] = (frame.iloc[maybe, 1:] == "").all(axis=1).to_numpy()
    return blank


def _refuse_repeated_headers(text: str, delimiter: str, name: str) -> None:
    """Two columns with the same header: pandas would rename one and its data would be lost."""
    try:
        header = next(csv.reader(_lines(text), delimiter=delimiter), [])
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


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` as `io.StringIO(text)` gives them (cut after each "\\n"), made
    only as far as they are read: the header of a large file is one short line."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def first_lines(text: str, count: int) -> list[str]:
    """`text.splitlines()[:count]`, splitting only the start of a large text.

    >>> first_lines("a\\r\\nb\\nc", 2), first_lines("a", 5)
    (['a', 'b'], ['a'])
    """
    size = 4096
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > count:  # the last line of the prefix may be cut short; it is not used
            return lines[:count]
        size *= 4
    return text.splitlines()[:count]


def _refuse_binary(data: bytes, name: str) -> None:
    """A file that is neither a workbook nor text with a BOM: a workbook under another name,
    or any NUL byte (which no CSV text holds), gets a message that says what it is."""
    _refuse_workbook(data, name)
    if b"\x00" in data:
        raise InputError(
            f"{name}: this looks like a binary file, not CSV text (it holds NUL bytes)"
        )


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


def _parser_message(name: str, detail: str, skip: int = 0) -> str:
    """Turn pandas' tokenizer complaint into a located, fixable message (`skip` title rows
    were cut off above the text pandas saw)."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
    if found:
        want, line, saw = found.groups()
        line = str(int(line) + skip)
        if want == "0":
            return f"{name}:1: the header row is empty: the first row must name the columns"
        if want == "1":
            return (
                f"{name}:{line}: the row has {saw} cells but the first row has one; if rows "
                "above the header hold a title, skip them with --skip-rows N"
            )
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


# ---- Unicode text with a byte-order mark, title blocks, workbook rows -------------------------

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
HEADER_SEARCH = 20  # rows looked at for a header below a title block


def decode_unicode(data: bytes, name: str) -> tuple[str, str] | None:
    """UTF-16 or UTF-32 text by its byte-order mark (Excel's "Unicode Text" is UTF-16), or
    None for anything else.

    >>> decode_unicode("id;skills".encode("utf-16"), "x.txt")
    ('id;skills', 'utf-16-le')
    """
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: starts like {encoding.upper()} text but byte {exc.start + len(mark)}"
                    " is not; save it again as UTF-8"
                ) from None
    return None


def header_line(
    text: str, skip_rows: int | None, is_header: Callable[[list[str]], bool] | None
) -> int:
    """How many lines come before the header: `skip_rows` when given; else 0, unless the first
    line is not a header and one of the next lines unmistakably is (a title block)."""
    lines = first_lines(text, max(HEADER_SEARCH, (skip_rows or 0) + 1))
    return header_index([_cells(line) for line in lines], is_header, skip_rows)


def header_index(
    rows: list[list[str]],
    is_header: Callable[[list[str]], bool] | None,
    skip_rows: int | None = None,
) -> int:
    """Rows above the header: 0 when the first row is the header (so `--skip-rows` leaves a
    run's other, plain files alone), else `skip_rows`, else the first row that is
    unmistakably the header."""
    if not rows or (is_header is not None and is_header(rows[0])):
        return 0
    if skip_rows is not None:
        return skip_rows
    if is_header is None:
        return 0
    return next((i for i, row in enumerate(rows[:HEADER_SEARCH]) if i and is_header(row)), 0)


def _cells(line: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=detect_delimiter(line)), [])
    except csv.Error:
        return [line]


def _after_lines(text: str, skip: int) -> str:
    return "".join(text.splitlines(keepends=True)[skip:]) if skip else text


def rows_table(
    rows: list[list[str]],
    name: str,
    skip_rows: int | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
    *,
    sheet: Sheet | None = None,
) -> RawTable:
    """A table from rows of text cells (a workbook sheet), read like a delimited file: the
    header row found the same way, repeated headers refused, blank rows and columns dropped."""
    import pandas as pd

    skip = header_index(rows, is_header, skip_rows)
    if not any(any(c.strip() for c in row) for row in rows[skip:]):
        raise InputError(f"{name}: the sheet is empty (expected a header row and data rows)")
    width = max(len(r) for r in rows[skip:])
    grid = [r + [""] * (width - len(r)) for r in rows[skip:]]
    header = [c.strip() for c in grid[0]]
    keep = [i for i in range(width) if header[i] or any(r[i].strip() for r in grid[1:])]
    columns = [header[i] or f"Unnamed: {i}" for i in keep]
    _refuse_repeated_headers(",".join(_quoted(c) for c in columns), ",", name)
    frame = pd.DataFrame([[r[i] for i in keep] for r in grid[1:]], columns=columns, dtype=object)
    frame.index = pd.RangeIndex(skip + 2, skip + 2 + len(frame))
    blank = (frame.map(str.strip) == "").all(axis=1) if keep else frame.index == frame.index
    return RawTable(
        frame[~blank],
        name,
        "xlsx",
        "",
        header_row=skip + 1,
        sheet=None if sheet is None else sheet.name,
        sheets=() if sheet is None else sheet.names,
    )


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'
