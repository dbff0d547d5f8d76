"""Serialising result tables: one enum of formats and one writer for all of them.

Every format is produced as bytes first and then written atomically, so a failed run never
leaves a half-written file, and the same table always gives the same bytes.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gigmatch.errors import OutputError, UsageError
from gigmatch.present.safe import defuse, printable

if TYPE_CHECKING:
    import pandas as pd


class OutputFormat(StrEnum):
    """The formats every command can write."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"
    md = "md"
    toml = "toml"


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


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values, NaN as None, ready for JSON or TOML."""
    rows = []
    for row in frame.to_dict(orient="records"):
        rows.append({str(k): _plain(v) for k, v in row.items()})
    return rows


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def to_bytes(frame: pd.DataFrame, fmt: OutputFormat, *, bom: bool = False) -> bytes:
    """Serialise a table; text cells are defused for spreadsheets (csv, tsv, xlsx)."""
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
            cells = [defuse(v) for v in safe[column]]
            safe[column] = pd.Series(cells, index=safe.index, dtype=object)
    return safe


def _delimited(frame: pd.DataFrame, sep: str, bom: bool) -> bytes:
    text = _safe_frame(frame).to_csv(index=False, sep=sep, lineterminator="\n")
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; Markdown and HTML in cells are escaped, so data
    shows as written."""

    def cell(value: Any) -> str:
        value = _plain(value)
        text = "" if value is None else printable(str(value))
        return _MARKDOWN.sub(r"\\\g<0>", text).replace("\n", "<br>")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if frame[c].dtype.kind in "if" else "---" for c in frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([head, rule + "|", *body]) + "\n"


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An Excel workbook, one sheet per table, with a bold frozen header and fitted widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=False)
    book.remove(book.active)
    for title, frame in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.append([str(c) for c in frame.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in records(_safe_frame(frame)):
            sheet.append(list(row.values()))
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(width + 2, 60)
    _fix_properties(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old version or the new one, never a torn one."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_not_input(output: Path, inputs: Sequence[str | Path | None]) -> None:
    """Refuse to write over an input file: inputs are never modified."""
    if not output.exists():
        return
    for source in inputs:
        if source is None or str(source) == "-":
            continue
        try:
            if Path(source).exists() and output.samefile(source):
                raise UsageError(
                    f"{output} is an input of this run (a data file or the config) and gigmatch "
                    "never edits its inputs: write to another file"
                )
        except OSError:
            continue
