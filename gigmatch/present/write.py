"""Serialising result tables: one enum of formats and one writer for all of them.

Every format is produced as bytes first and then written atomically, so a failed run never
leaves a half-written file, and the same table always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from gigmatch.errors import OutputError, UsageError
from gigmatch.present.formats import OutputFormat
from gigmatch.present.safe import all_safe, defuse, printable
from gigmatch.records import plain_value, records

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


_BY_SUFFIX = {
    ".csv": OutputFormat.csv,
    ".tsv": OutputFormat.tsv,
    ".tab": OutputFormat.tsv,
    ".json": OutputFormat.json,
    ".jsonl": OutputFormat.jsonl,
    ".ndjson": OutputFormat.jsonl,
    ".xlsx": OutputFormat.xlsx,
    ".md": OutputFormat.md,
    ".toml": OutputFormat.toml,
}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # zip entry times, so an xlsx is the same bytes every run
_MARKDOWN = re.compile(r"[\\`*_\[\]<>|#]")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def choose_format(fmt: OutputFormat | None, output: Path | None, is_terminal: bool) -> OutputFormat:
    """The format asked for, else the output file's extension, else table/csv by terminal."""
    if fmt is not None:
        if fmt is OutputFormat.table and output is not None:
            raise UsageError("--format table is for terminals; write a file as csv, xlsx, json…")
        implied = None if output is None else _BY_SUFFIX.get(output.suffix.lower())
        if implied is not None and implied is not fmt:
            raise UsageError(
                f"--format {fmt.value} does not match the extension of '{output}' "
                f"({implied.value}): drop --format, or name the file …{_suffix_of(fmt)}"
            )
        return fmt
    if output is not None:
        try:
            return _BY_SUFFIX[output.suffix.lower()]
        except KeyError:
            known = ", ".join(sorted(_BY_SUFFIX))
            raise UsageError(
                f"cannot tell the format of '{output}' from its extension ({known}); add --format"
            ) from None
    return OutputFormat.table if is_terminal else OutputFormat.csv


def _suffix_of(fmt: OutputFormat) -> str:
    """The usual extension of a format (`.csv` for csv)."""
    return next(suffix for suffix, known in _BY_SUFFIX.items() if known is fmt)


def to_bytes(frame: pd.DataFrame, fmt: OutputFormat, *, bom: bool = False) -> bytes:
    """Serialise a table; text cells are defused for CSV and TSV, typed as text in XLSX."""
    if fmt in (OutputFormat.csv, OutputFormat.tsv):
        return _delimited(frame, "," if fmt is OutputFormat.csv else "\t", bom)
    if fmt is OutputFormat.json:
        return json_bytes(records(frame))
    if fmt is OutputFormat.jsonl:
        lines = (json.dumps(r, ensure_ascii=False) for r in records(frame))
        return "".join(line + "\n" for line in lines).encode()
    if fmt is OutputFormat.xlsx:
        return xlsx_bytes({"results": frame})
    if fmt is OutputFormat.md:
        return markdown(frame).encode()
    if fmt is OutputFormat.toml:
        import tomli_w

        return tomli_w.dumps({"rows": [_no_none(r) for r in records(frame)]}).encode()
    raise UsageError(f"--format {fmt.value} cannot be written to a file or pipe")


def json_bytes(data: Any) -> bytes:
    """Nested data as indented UTF-8 JSON with a final newline (every JSON output)."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def tables_bytes(
    tables: dict[str, pd.DataFrame], fmt: OutputFormat, main: str, *, bom: bool = False
) -> bytes:
    """A result of several tables: JSON holds one key per table, XLSX one sheet per table,
    and the flat formats the `main` table."""
    if fmt is OutputFormat.json:
        return json_bytes({name: records(frame) for name, frame in tables.items()})
    if fmt is OutputFormat.xlsx:
        return xlsx_bytes(tables)
    return to_bytes(tables[main], fmt, bom=bom)


def _no_none(row: dict[str, Any]) -> dict[str, Any]:
    """TOML has no null: a missing value is left out of its table."""
    return {k: v for k, v in row.items() if v is not None}


def _safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns defused cell by cell; kept as objects, so a column mixing whole numbers
    and blanks is not turned into floats (row 53 must not become 53.0)."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or str(safe[column].dtype).startswith("str"):
            cells = _defused(safe[column].to_list())
            safe[column] = pd.Series(cells, index=safe.index, dtype=object)
    return safe


def _defused(cells: list[Any]) -> list[Any]:
    """`defuse` of each cell, worked out once per distinct text (ids and skill lists repeat
    on every row of a ranking)."""
    done: dict[str, Any] = {}
    out = []
    for value in cells:
        if type(value) is str:
            safe = done.get(value)
            if safe is None:
                safe = done[value] = defuse(value)
            out.append(safe)
        else:
            out.append(defuse(value))
    return out


def _delimited(frame: pd.DataFrame, sep: str, bom: bool) -> bytes:
    """CSV or TSV: the bytes pandas' `to_csv` writes for the defused table, put together
    column by column (see `_fields`); pandas writes the tables whose types that path does
    not know, and those with one column (csv quotes a lone empty field)."""
    columns = _fields_by_column(frame, sep) if len(frame.columns) > 1 else None
    if columns is None:
        text = _safe_frame(frame).to_csv(index=False, sep=sep, lineterminator="\n")
    else:
        text = _csv_row(list(frame.columns), sep) + _csv_body(columns, sep)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


class _Fields(NamedTuple):
    """A column's finished CSV fields: `values[codes]`, or `values` itself when `codes` is
    None (formatting works on the distinct values of a column that repeats them)."""

    codes: np.ndarray | None
    values: np.ndarray


def _fields_by_column(frame: pd.DataFrame, sep: str) -> list[_Fields] | None:
    """Every column's CSV fields, or None if a column is of a type `_fields` does not know
    (or the header is not plain text)."""
    names = frame.columns
    if not names.is_unique or not all(type(name) is str for name in names):
        return None
    columns = []
    for name in names:
        fields = _fields(frame[name], sep)
        if fields is None:
            return None
        columns.append(fields)
    return columns


def _fields(column: pd.Series, sep: str) -> _Fields | None:
    """One column's CSV fields as pandas' `to_csv` writes them after `_safe_frame`: numbers
    as numpy prints them (floats) or as Python does (whole numbers, booleans), missing values
    empty, text defused and quoted by the csv module. Each distinct value is formatted once
    (a ranking repeats ids, names, scores and skill lists on many rows). None for a type
    left to pandas (dates, categories, nullable floats...)."""
    import numpy as np
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, np.dtype) and (
        dtype.kind in "iub" or (dtype.kind == "f" and dtype.itemsize in (2, 4, 8))
    ):
        return _Fields(*_numbers(column.to_numpy()))
    if isinstance(column.array, pd.arrays.IntegerArray | pd.arrays.BooleanArray):
        codes, shown = _numbers(column.to_numpy(dtype.numpy_dtype, na_value=0))
        codes = np.where(column.isna().to_numpy(), len(shown), codes)
        return _Fields(codes, np.append(shown, np.array([""], dtype=object)))
    if (isinstance(dtype, np.dtype) and dtype.kind == "O") or isinstance(dtype, pd.StringDtype):
        return _text_fields(column.to_numpy(dtype=object), sep)
    return None


def _numbers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct fields) of a numpy number column: a float as `astype(str)` prints it
    (what pandas writes: 77.1, 1.0, 1e-05), NaN empty; a whole number or boolean as `str`
    prints it. Floats are told apart by their bits, so -0.0 stays -0.0."""
    import numpy as np
    import pandas as pd

    floats = values.dtype.kind == "f"
    codes, distinct = pd.factorize(values.view(f"u{values.itemsize}") if floats else values)
    if floats:
        distinct = distinct.view(values.dtype)
    shown = distinct.astype(str).astype(object)
    if floats:
        shown[np.isnan(distinct)] = ""
    return codes, shown


def _text_fields(values: np.ndarray, sep: str) -> _Fields:
    """Fields of a text column: missing values empty, text defused (only in the columns that
    need it, and there each distinct text once) and quoted as the csv module quotes it."""
    import numpy as np
    import pandas as pd

    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # no missing value
        missing, texts = None, values
    else:
        missing = pd.isna(values)
        texts = values[~missing]
        if pd.api.types.infer_dtype(texts, skipna=False) not in ("string", "empty"):
            return _Fields(None, _object_fields(values, missing, sep))
    codes, listed = None, texts.tolist()
    joined = "".join(listed)
    quoting = any(c in joined for c in _quoted_by(sep))  # (defusing only takes characters)
    if quoting:  # worked out per distinct text
        codes, texts = pd.factorize(texts)
        listed = texts.tolist()
    if not all_safe(listed):
        if codes is None:
            codes, texts = pd.factorize(texts)
        texts = np.array([defuse(text) for text in texts.tolist()], dtype=object)
    if quoting:
        texts = _quote(texts, sep)
    if missing is not None:
        codes = np.arange(len(texts)) if codes is None else codes
        every = np.full(len(values), len(texts), dtype=codes.dtype)
        every[~missing] = codes
        codes, texts = every, np.append(texts, np.array([""], dtype=object))
    return _Fields(codes, texts)


def _object_fields(values: np.ndarray, missing: np.ndarray, sep: str) -> np.ndarray:
    """Fields of a column mixing text with other objects (lists, numbers...), cell by cell:
    only an odd `--keep` column takes this path."""
    import numpy as np

    fields = [
        "" if empty else _csv_field(defuse(value), sep)
        for value, empty in zip(values.tolist(), missing.tolist(), strict=True)
    ]
    return np.array(fields, dtype=object)


def _quote(texts: np.ndarray, sep: str) -> np.ndarray:
    """Text fields as the csv module writes them: in double quotes, their own doubled, when
    they hold one of the characters that `_quoted_by` found; else as they are.

    >>> import numpy as np
    >>> _quote(np.array(['say "hi", then go', "plain"], dtype=object), ",").tolist()
    ['"say ""hi"", then go"', 'plain']
    """
    import numpy as np

    listed = texts.tolist()
    held = np.zeros(len(listed), dtype=bool)
    for c in _quoted_by(sep):  # `in` finds one character fast; a regular expression does not
        held |= np.array([c in text for text in listed], dtype=bool)
    at = np.flatnonzero(held)
    quoted = texts.copy()
    quoted[at] = np.array(
        ['"' + text.replace('"', '""') + '"' for text in texts[at].tolist()], dtype=object
    )
    return quoted


@cache
def _quoted_by(sep: str) -> str:
    """The characters that make the csv module quote a field, asked of the module itself
    (whether a lone carriage return does depends on the Python version)."""
    return "".join(c for c in sep + '"\r\n' if _csv_field(f"a{c}b", sep) != f"a{c}b")


def _csv_field(value: Any, sep: str) -> str:
    """One field as the csv module writes it (quoted if it must be)."""
    return _csv_row([value, ""], sep)[: -len(sep) - 1]


def _csv_row(values: list[Any], sep: str) -> str:
    """One row, as pandas' `to_csv` writes it (the header, fields to quote)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _csv_body(columns: list[_Fields], sep: str, chunk: int = 65536) -> str:
    """The rows of finished fields: a column formatted per distinct value gets its separator
    (or the line's end) there, the others are followed by one of their own; then one join per
    `chunk` rows (the table of pieces costs a pointer per piece: chunks keep it small).

    >>> import numpy as np
    >>> texts = _Fields(None, np.array(["a", "b", "c"], dtype=object))
    >>> numbers = _Fields(np.array([0, 1, 0]), np.array(["1.5", "2.0"], dtype=object))
    >>> _csv_body([texts, numbers], ",", chunk=2)
    'a,1.5\\nb,2.0\\nc,1.5\\n'
    """
    import numpy as np

    pieces: list[_Fields | str] = []
    for i, (codes, values) in enumerate(columns):
        end = "\n" if i == len(columns) - 1 else sep
        if codes is None:
            pieces += [_Fields(None, values), end]
        else:
            pieces.append(_Fields(codes, values + end))
    first = columns[0]
    rows = len(first.values if first.codes is None else first.codes)
    parts = []
    for start in range(0, rows, chunk):
        stop = min(start + chunk, rows)
        table = np.empty((stop - start, len(pieces)), dtype=object)
        for i, piece in enumerate(pieces):
            if isinstance(piece, str):
                table[:, i] = piece
            elif piece.codes is None:
                table[:, i] = piece.values[start:stop]
            else:
                table[:, i] = piece.values[piece.codes[start:stop]]
        parts.append("".join(table.ravel().tolist()))
    return "".join(parts)


def markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; Markdown and HTML in cells are escaped, so data
    shows as written."""

    def cell(value: Any) -> str:
        value = plain_value(value)
        text = "" if value is None else printable(str(value))
        return _MARKDOWN.sub(r"\\\g<0>", text).replace("\n", "<br>")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if frame[c].dtype.kind in "if" else "---" for c in frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([head, rule + "|", *body]) + "\n"


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook, one sheet per table: a bold frozen header, an autofilter, fitted
    widths, numbers stored as numbers and text as text.

    Text cells are written with the string type, so a cell is never a formula whatever it
    starts with; that is why XLSX needs no apostrophe (CSV and TSV have no types and keep it).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row_number, row in enumerate(records(frame), start=2):
            for column, value in enumerate(row.values(), start=1):
                _set_cell(sheet.cell(row_number, column), value)
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = sheet.dimensions
        for i, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width + 2, 60)
    _fix_properties(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def xlsx_value(value: Any) -> Any:
    """A plain value as an XLSX cell holds it: numbers, booleans and None as they are, a list
    as its items joined by commas, anything else as printable text.

    >>> xlsx_value(2083.8), xlsx_value(["React", "Go"]), xlsx_value([]), xlsx_value("=1+1")
    (2083.8, 'React, Go', '', '=1+1')
    """
    value = plain_value(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(printable(str(v)) for v in value)
    return printable(str(value))


def _set_cell(cell: Any, value: Any) -> None:
    """Store a value; text always with the string type (openpyxl would make `=…` a formula)."""
    value = xlsx_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _fix_properties(book) -> None:
    from datetime import datetime

    when = datetime(*FIXED_TIME)
    book.properties.created = when
    book.properties.modified = when
    book.properties.creator = "gigmatch"


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times, so the same workbook is the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = _MODIFIED.sub(rb"\g<1>2020-01-01T00:00:00Z\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


STDOUT = "-"


def write_stream(stream: IO[bytes], data: bytes) -> None:
    """Bytes to an output stream (stdout); a full disk or a dead terminal is exit 7, not a
    traceback. A closed pipe (`| head`) raises `BrokenPipeError` on, for the CLI to end quietly.
    """
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        silence(stream)
        raise OutputError(f"<stdout>: cannot write: {exc.strerror or exc}") from None


def silence(stream: IO[Any]) -> None:
    """Point a broken stream's descriptor at /dev/null, so the interpreter's last flush of it is
    quiet (after a full disk or a closed pipe)."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # an in-memory stream (tests): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def write_atomic(path: Path, data: bytes, *, stdout: IO[bytes] | None = None) -> None:
    """Write a file so that readers see the old version or the new one, never a torn one.

    The output-path policy, for every file gigmatch writes (`Session.write_file` adds the
    guard that keeps it off the run's inputs):

    - only a regular file is ever replaced: a device, FIFO or socket is refused (exit 7), except
      the one standard output points at, which is written to as a stream (`-o /dev/stdout`
      works, and `-o /dev/null` never turns the device into a regular file);
    - a symlink is followed: its target is replaced and the link stays a link;
    - a replaced file keeps its permission bits (a 0600 file stays 0600).
    """
    import sys

    path = Path(path)
    target = _follow_link(path)
    status = _status(target)
    if status is not None and (_is_stdout(status) or not stat.S_ISREG(status.st_mode)):
        check_target(path)  # raises, unless this is stdout
        write_stream(stdout or sys.stdout.buffer, data)
        return
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    _replace(target, data, mode, shown=path)


def check_target(path: Path | str | None) -> None:
    """Refuse an output path that is not a regular file (nor stdout) before any work is done.

    `write_atomic` applies the same rule when it writes; checking first saves a long run that
    could never be written.
    """
    if path is None or str(path) == STDOUT:
        return
    status = _status(_follow_link(Path(path)))
    if status is None or stat.S_ISREG(status.st_mode) or _is_stdout(status):
        return
    raise OutputError(
        f"{path}: is {_kind(status.st_mode)}, not a regular file; gigmatch only replaces "
        "regular files (write to stdout with `-o -` and redirect it instead)"
    )


def _follow_link(path: Path) -> Path:
    """The file a symlink (or chain of them) points at; the path itself otherwise.

    A link to something that is not a regular file (`/dev/stdout` on a pipe is a link to
    `pipe:[…]`) is kept as it is: it is looked at through the link, never replaced.
    """
    if not path.is_symlink():
        return path
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return path
    except FileNotFoundError:
        pass  # a dangling link: its target is created
    except OSError as exc:
        raise OutputError(f"{path}: cannot follow the symlink: {exc.strerror or exc}") from None
    return Path(os.path.realpath(path))


def _status(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _is_stdout(status: os.stat_result) -> bool:
    import sys

    try:
        out = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    return _same(out, status)


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino, a.st_rdev) == (b.st_dev, b.st_ino, b.st_rdev)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _replace(target: Path, data: bytes, mode: int, *, shown: Path) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)  # mkstemp makes 0600: give the replaced file's mode, or the usual
        os.replace(temp, target)
    except BaseException as exc:  # Ctrl-C too: never leave a temp file behind
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{shown}: cannot write: {exc.strerror or exc}") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def input_behind(status: os.stat_result, inputs: Sequence[str | Path | None]) -> str | None:
    """Which input (if any) is the file `status` describes: compared by device and inode, as
    `os.path.samefile` does, so symlinks and other spellings of a path are seen through.
    `-` (standard input) counts when it is redirected from a file (`< people.csv`)."""
    import sys

    for source in inputs:
        if source is None:
            continue
        try:
            if str(source) == STDOUT:
                other = os.fstat(sys.stdin.fileno())
                if not stat.S_ISREG(other.st_mode):
                    continue
            else:
                other = os.stat(source)
        except (AttributeError, OSError, ValueError):
            continue
        if _same(status, other):
            return str(source)
    return None


def check_not_input(output: Path, inputs: Sequence[str | Path | None]) -> None:
    """Refuse to write over an input file: inputs are never modified."""
    if str(output) == STDOUT:
        return
    try:
        status = Path(output).stat()
    except OSError:
        return
    source = input_behind(status, inputs)
    if source is not None:
        raise UsageError(
            f"{output} is an input of this run ({source}: a data file or the config) and "
            "gigmatch never edits its inputs: write to another file"
        )


def check_stream_not_input(stream: IO[bytes], inputs: Sequence[str | Path | None]) -> None:
    """`gigmatch match p.csv people.csv >> people.csv` would append to an input: refused."""
    try:
        status = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return  # an in-memory stream
    if not stat.S_ISREG(status.st_mode):
        return
    source = input_behind(status, inputs)
    if source is not None:
        raise UsageError(
            f"stdout is an input of this run ({source}); gigmatch never edits its inputs"
        )
