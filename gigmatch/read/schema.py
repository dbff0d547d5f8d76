"""What the columns of projects, people and history files mean, and which values are valid.

Each kind of file is a list of `Field`s. Parsing never stops at the first bad cell: it returns
the typed frame together with every problem found, located by file, row and column, so a user
fixes their file in one pass. Whether problems are fatal is the caller's decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.errors import InputError, Problem
from gigmatch.read import timezones, values
from gigmatch.read.columns import ColumnRule, header_test, resolve
from gigmatch.read.fields import SCHEMAS, Field
from gigmatch.read.skill_cells import split_coded
from gigmatch.read.table import RawTable, read_table

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.read.config import Config

ROW = "_row"  # the spreadsheet row of each record, kept beside the data for messages


_PARSERS: dict[str, Callable[[str], float]] = {
    "number": values.parse_number,
    "int": values.parse_int,
    "share": values.parse_share,
    "rating": values.parse_rating,
    "bool": values.parse_bool,
}


@dataclass(frozen=True)
class Parsed:
    """A typed table (one row per record, `_row` its spreadsheet row) and its problems."""

    frame: pd.DataFrame
    problems: list[Problem]
    source: str
    columns: dict[str, str]  # field -> header as written in the file
    misses: tuple[ColumnRule, ...] = ()  # rules for every file that name no header of this one
    headers: tuple[str, ...] = ()  # the headers as the file writes them

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def notes(self) -> list[Problem]:
        """Which header was read as which field where it was not the field's own name."""
        return [p for p in self.problems if p.severity == "note"]


def parse_table(raw: RawTable, kind: str, config: Config | None = None) -> Parsed:
    """Type every column of a raw table, collecting all problems instead of stopping."""
    import pandas as pd

    schema = SCHEMAS[kind]
    rules = config.columns if config else ()
    resolution = resolve(list(raw.frame.columns), kind, rules, raw.source)
    columns, problems = resolution.columns, list(resolution.problems)
    problems += _missing_columns(schema, columns, raw) + _sheet_note(raw)
    rows = raw.frame.index.to_numpy()
    out: dict[str, Any] = {ROW: rows}
    for fld in schema:
        header = columns.get(fld.name)
        cells = raw.frame[header].to_numpy(object) if header else np.full(len(rows), "", object)
        column, found = _parse_field(fld, cells)
        out[fld.name] = column
        if header is None and fld.required:
            continue  # one missing-column problem says it, not one per row
        wrong = wrong_column(fld, header, cells, column, found, raw.source)
        if wrong is not None:
            problems.append(wrong)  # one line for the column, not one per row
            continue
        problems += [
            _problem(raw.source, int(rows[i]), header or fld.name, c, m) for i, c, m in found
        ]
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(rows)))
    for extra in raw.frame.columns:
        if extra not in columns.values() and extra not in frame.columns:
            frame[extra] = raw.frame[extra].to_numpy(object)
    headers = tuple(str(h) for h in raw.frame.columns)
    return Parsed(frame, problems, raw.source, columns, resolution.misses, headers)


def _sheet_note(raw: RawTable) -> list[Problem]:
    """Say which sheet was read when the workbook has several."""
    if len(raw.sheets) < 2:
        return []
    others = ", ".join(repr(s) for s in raw.sheets if s != raw.sheet)
    message = f"sheet '{raw.sheet}' (also in the workbook: {others}; pick one with --sheet)"
    return [Problem(raw.source, None, None, "note", "sheet", message)]


_MEANING = {"hours": "hours per week", "rating": "a rating out of 5", "on_time": "a share"}
MOSTLY = 0.5  # a column with more than this share of its values bad is the wrong one
MOSTLY_MIN = 5  # ... and at least this many: a few bad rows are reported row by row


def wrong_column(
    fld: Field, header: str | None, cells: np.ndarray, column: Any, found: Found, source: str
) -> Problem | None:
    """One problem for a column whose values are mostly out of range or unreadable: it holds
    something else (total hours in an `hours` column, notes in a `rate` column), and thousands
    of row lines would hide that."""
    out = [i for i, code, _ in found if code == "out-of-range"]
    unread = [i for i, code, _ in found if code == "bad-value"]
    if header is None or fld.kind not in _PARSERS or len(out) + len(unread) < MOSTLY_MIN:
        return None
    filled = sum(not values.is_blank(c) for c in cells)
    bad = len(out) + len(unread)
    if bad <= MOSTLY * filled:
        return None
    shown = np.asarray(column, dtype=float)[out]
    if unread:
        example = str(cells[unread[0]]).strip()[:30]
        side = f"not a number, e.g. {example!r}" if not out else "unreadable or out of range"
    elif fld.high is not None and bool(np.all(shown > fld.high)):
        side = f"above {fld.high:g}, up to {shown.max():,.10g}"
    else:
        side = "out of range"
    meaning = _MEANING.get(fld.name, f"the {fld.name} gigmatch expects")
    message = (
        f"column '{header}' ({bad:,} of {filled:,} rows {side}) is not {meaning}; "
        f"if it means something else: --ignore '{header}', or --map 'HEADER={fld.name}' "
        "for the column that is"
    )
    return Problem(source, 1, header, "error", "wrong-column", message)


def _missing_columns(schema: tuple[Field, ...], columns: dict[str, str], raw: RawTable) -> list:
    """A problem for every required field no header maps to, naming the headers seen."""
    seen = ", ".join(repr(c) for c in raw.frame.columns) or "none"
    return [
        Problem(
            raw.source, 1, f.name, "error", "missing-column",
            f"no '{f.name}' column (headers found: {seen}); rename a column to '{f.name}', "
            f"give --map 'Your header={f.name}', or map it in gigmatch.toml: "
            f'[columns] "Your header" = "{f.name}"' + _title_hint(raw),
        )
        for f in schema
        if f.required and f.name not in columns
    ]  # fmt: skip


def _title_hint(raw: RawTable) -> str:
    """A first row that is not the header may be a title block: say how to skip it."""
    if raw.header_row != 1 or len(raw.frame.columns) > 2:
        return ""
    return "; if rows above the header hold a title, skip them with --skip-rows N"


def _problem(source: str, row: int, column: str, code: str, message: str) -> Problem:
    return Problem(source, row, column, "warning" if code == "empty" else "error", code, message)


Found = list[tuple[int, str, str]]  # (position, code, message)


def _parse_field(fld: Field, cells: np.ndarray) -> tuple[np.ndarray | list, Found]:
    """Parse one column by its kind; returns the values and (position, code, message)s."""
    if fld.kind == "id":
        return _ids(fld, cells)
    if fld.kind == "text":
        return _texts(cells), []
    if fld.kind == "skills":
        return _skills(fld, cells)
    if fld.kind == "timezone":
        offsets, bad = timezones.parse_offsets(cells)
        found = [(i, "bad-timezone", m) for i, m in bad.items()]
        return offsets, found
    if fld.kind == "date":
        dates, bad = values.parse_date_column(cells)
        return dates, [(i, "bad-value", m) for i, m in bad.items()]
    parsed, bad = values.parse_column(cells, _PARSERS[fld.kind])
    found = [(i, "bad-value", _with_example(m, fld.example)) for i, m in bad.items()]
    found += _out_of_range(fld, parsed)
    if fld.default is not None:
        parsed = np.where(np.isnan(parsed), fld.default, parsed)
    return parsed, found


def _with_example(message: str, example: str) -> str:
    """The parser's message, with the field's example unless it already gives one."""
    return f"{message} (e.g. {example})" if example and "e.g." not in message else message


def _text(cell: object) -> str:
    return "" if values.is_blank(cell) else str(cell).strip()


_LONGEST_MARKER = max(len(m) for m in values.MISSING_MARKERS)


def _texts(cells: np.ndarray) -> np.ndarray:
    """`_text` of every cell of a column, as an object array."""
    codes, texts = _distinct_texts(cells)
    return np.array(texts, dtype=object)[codes] if len(texts) else np.full(len(codes), "", object)


def _distinct_texts(cells: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """`_text` of each distinct cell, and which of them each cell is (`texts[codes]`).

    A column read from a file is all strings: each distinct one is stripped once, without a
    Python step per cell, and only the short ones can be a missing-value marker (casefolding
    never shortens a string, so a longer text is never one)."""
    coded = values.distinct(cells)
    if coded is None:
        return np.arange(len(cells)), [_text(c) for c in cells]
    codes, uniques = coded
    texts = list(map(str.strip, uniques))
    lengths = np.fromiter(map(len, texts), dtype=np.intp, count=len(texts))
    markers = values.MISSING_MARKERS
    for u in np.flatnonzero(lengths <= _LONGEST_MARKER).tolist():
        if texts[u].casefold() in markers:
            texts[u] = ""
    return codes, texts


def _ids(fld: Field, cells: np.ndarray) -> tuple[np.ndarray, Found]:
    """Ids must be present and, for a table's own `id`, unique (the first one wins)."""
    import pandas as pd

    ids = _texts(cells)
    blank = ids == ""
    found: Found = [
        (int(i), "blank-id", f"the {fld.name} is blank; every row needs one")
        for i in np.flatnonzero(blank)
    ]
    if fld.name == "id":
        again = pd.Series(ids, dtype=object).duplicated(keep="first").to_numpy() & ~blank
        used = "is already used on an earlier row; ids must be unique"
        repeats = np.flatnonzero(again).tolist()
        found += [(i, "duplicate-id", f"id '{ids[i]}' {used}") for i in repeats]
    return ids, found


def _skills(fld: Field, cells: np.ndarray) -> tuple[list, Found]:
    """Skill lists; an empty list where a skill list is required is only a warning."""
    codes, texts = _distinct_texts(cells)
    lists, problems = split_coded(codes, texts)
    found: Found = []
    for i, problem in problems:
        found.append((i, "bad-level" if problem.startswith("level") else "bad-skill", problem))
    if fld.required:
        empty = f"no {fld.name} listed: {fld.when_empty}"
        sizes = np.fromiter(map(len, lists), dtype=np.intp, count=len(lists))
        found += [(i, "empty", empty) for i in np.flatnonzero(sizes == 0).tolist()]
        found.sort(key=itemgetter(0))  # stable: a row's problems before its "empty"
    return lists, found


def _out_of_range(fld: Field, parsed: np.ndarray) -> Found:
    """Values that were read but lie outside the field's range."""
    low = -np.inf if fld.low is None else fld.low
    high = np.inf if fld.high is None else fld.high
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero((parsed < low) | (parsed > high))
    shown = (lambda v: f"{v:.0%}") if fld.kind == "share" else _amount
    bounds = (
        f"from {shown(low)} to {shown(fld.high)}" if fld.high is not None else f"at least {low:g}"
    )
    return [
        (int(i), "out-of-range", f"{shown(parsed[i])} is out of range: {fld.name} must be {bounds}")
        for i in bad
    ]


# Keys of `DataFrame.attrs` on a parsed frame: its kind and its source. pandas carries attrs
# through copies and row selections, so a parsed frame passed back in is not parsed again.
PARSED, PARSED_FROM = "gigmatch.kind", "gigmatch.source"


@dataclass(frozen=True)
class Table:
    """A parsed input that can be used: its typed frame, the file it came from (named in later
    messages), and the warnings its reading raised."""

    frame: pd.DataFrame
    source: str
    warnings: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()  # which header was read as which field, which sheet
    misses: tuple[ColumnRule, ...] = ()  # rules for every file this one has no header for
    headers: tuple[str, ...] = ()  # the headers as the file writes them


def _amount(value: float) -> str:
    """A bound or a value in a message: `1,000,000` rather than `1e+06`.

    >>> _amount(1e6), _amount(4.5), _amount(1e39)
    ('1,000,000', '4.5', '1e+39')
    """
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:g}"


def read(
    source: str | Path | pd.DataFrame | Table,
    kind: str,
    config: Config | None = None,
    *,
    skip_invalid: bool = False,
) -> Table:
    """A parsed table from a path, `-`, a DataFrame or a `Table` (returned as it is).

    Raises `InputError` with every problem at once; with `skip_invalid`, bad rows are dropped
    and reported among the warnings instead.
    """
    import pandas as pd

    if isinstance(source, Table):
        return source
    if isinstance(source, pd.DataFrame) and source.attrs.get(PARSED) == kind:
        # a frame this function returned (or a slice of it): typed already; parsing it again
        # would read its lists of skills back as text
        return Table(source, source.attrs.get(PARSED_FROM, f"<{kind} frame>"))
    parsed = (
        from_frame(source, kind, config)
        if isinstance(source, pd.DataFrame)
        else load(source, kind, config)
    )
    frame, warnings = accept(parsed, skip_invalid=skip_invalid)
    frame.attrs[PARSED], frame.attrs[PARSED_FROM] = kind, parsed.source
    return Table(
        frame,
        parsed.source,
        tuple(warnings),
        tuple(parsed.notes),
        parsed.misses,
        parsed.headers,
    )


def load(source: str | Path, kind: str, config: Config | None = None) -> Parsed:
    """Read and type a projects, people or history file (or workbook sheet), keeping all
    problems; the config's column rules, sheet and skipped rows apply."""
    rules = config.columns if config else ()
    raw = read_table(
        source,
        sheet=config.sheet if config else None,
        skip_rows=config.skip_rows if config else None,
        is_header=header_test(kind, rules),
    )
    return parse_table(raw, kind, config)


def accept(parsed: Parsed, *, skip_invalid: bool = False) -> tuple[pd.DataFrame, list[Problem]]:
    """The usable rows and the warnings to show; errors raise unless `skip_invalid`.

    With `skip_invalid`, rows with errors are dropped and their errors become warnings, so a
    cron job keeps running on the good rows while the log says what was left out.
    """
    errors = parsed.errors
    warnings = [p for p in parsed.problems if p.severity == "warning"]
    if not errors:
        return parsed.frame, warnings
    bad_rows = {p.row for p in errors}
    if not skip_invalid or 1 in bad_rows:
        noun = "problem" if len(errors) == 1 else "problems"
        headers = [p for p in warnings if p.row == 1]  # what may explain the errors
        raise InputError(
            f"{parsed.source}: {len(errors)} {noun} in the data", sorted(errors) + headers
        )
    bad_rows = _bad_rows(parsed.frame, errors)
    keep = ~parsed.frame[ROW].isin(bad_rows).to_numpy()
    dropped = [
        Problem(p.file, p.row, p.column, "warning", p.code, f"row skipped: {p.message}")
        for p in sorted(errors)
        if p.row in bad_rows
    ]
    return parsed.frame[keep].reset_index(drop=True), warnings + dropped


def _bad_rows(frame: pd.DataFrame, errors: list[Problem]) -> set[int | None]:
    """Rows to skip: those with errors, except a repeated id whose first use was itself
    skipped for another error (the later row is then the only good one with that id)."""
    bad = {p.row for p in errors if p.code != "duplicate-id"}
    ids = frame.loc[~frame[ROW].isin(bad)].drop_duplicates("id")
    first_good = set(ids[ROW])
    return bad | {p.row for p in errors if p.code == "duplicate-id" and p.row not in first_good}


def from_frame(
    data: pd.DataFrame, kind: str, config: Config | None = None, name: str = ""
) -> Parsed:
    """Type a DataFrame a user built in Python, exactly as if it had been read from a file."""
    import pandas as pd

    frame = data.astype(object).where(pd.notna(data), "").astype(str)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return parse_table(RawTable(frame, name or f"<{kind} frame>", "utf-8", ","), kind, config)
