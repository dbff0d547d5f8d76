"""Spreadsheet workbooks (.xlsx, .xlsm, and .ods where a reader is installed) as rows of text.

A sheet's cells are typed (numbers, dates, text); they become the text a CSV export of the same
cells would hold, so the readers after this one see one kind of table and a workbook gives the
same result as its CSV. Whole numbers stay whole (`7`, never `7.0`), a number formatted with
leading zeros keeps them (`007`), and dates become ISO dates.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from gigmatch.errors import InputError

XLSX_SUFFIXES = (".xlsx", ".xlsm")
ODS_SUFFIXES = (".ods",)
WORKBOOK_SUFFIXES = XLSX_SUFFIXES + ODS_SUFFIXES


@dataclass(frozen=True)
class Sheet:
    """The text of one sheet, row 1 first, and which sheet of which ones it was."""

    rows: list[list[str]]
    name: str
    names: tuple[str, ...]


def split_sheet(source: str) -> tuple[str, str | None]:
    """`book.xlsx#People` -> ("book.xlsx", "People"); other names are left alone.

    >>> split_sheet("book.xlsx#People"), split_sheet("people.csv")
    (('book.xlsx', 'People'), ('people.csv', None))
    """
    path, sep, sheet = source.rpartition("#")
    if sep and path.lower().endswith(WORKBOOK_SUFFIXES) and not Path(source).exists():
        return path, sheet
    return source, None


def is_workbook(path: Path, head: bytes) -> bool:
    """A workbook by its name, or a zip file (what .xlsx is) whatever its name."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES or head.startswith(b"PK\x03\x04")


def read_sheet(data: bytes, sheet: str | None, name: str, *, ods: bool = False) -> Sheet:
    """The sheet asked for (default: the first) of a workbook's bytes, as text cells.

    The bytes were read once, by the same reader (and limits) as every input."""
    if ods:
        return _read_ods(data, sheet, name)
    return _read_xlsx(data, sheet, name)


def _read_xlsx(data: bytes, sheet: str | None, name: str) -> Sheet:
    """openpyxl in read-only mode: rows stream from the bytes, values as last calculated."""
    import io

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    handle = io.BytesIO(data)  # a file object: openpyxl then ignores the file's extension
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        handle.close()
        raise InputError(
            f"{name}: a zip file that cannot be read as an .xlsx workbook ({exc}); open it in "
            "a spreadsheet and save it again as .xlsx or CSV (UTF-8)"
        ) from None
    try:
        names = tuple(book.sheetnames)
        chosen = _choose(names, sheet, name)
        worksheet = book[chosen]
        worksheet.reset_dimensions()  # some writers record a wrong size; read what is there
        rows = [
            [cell_text(c.value, getattr(c, "number_format", None)) for c in row]
            for row in worksheet.iter_rows()
        ]
    finally:
        book.close()
        handle.close()
    return Sheet(rows, chosen, names)


def _read_ods(data: bytes, sheet: str | None, name: str) -> Sheet:
    """OpenDocument sheets through python-calamine, when it is installed (`gigmatch[ods]`)."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise InputError(
            f"{name}: reading .ods needs python-calamine (pip install 'gigmatch[ods]'); "
            "or save the sheet as .xlsx or CSV"
        ) from None
    try:
        import io

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = tuple(book.sheet_names)
        chosen = _choose(names, sheet, name)
        values = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputError(f"{name}: cannot be read as an .ods workbook ({exc})") from None
    return Sheet([[cell_text(v) for v in row] for row in values], chosen, names)


def _choose(names: tuple[str, ...], sheet: str | None, name: str) -> str:
    if not names:
        raise InputError(f"{name}: the workbook has no sheets")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    folded = [n for n in names if n.casefold() == sheet.casefold()]
    if len(folded) == 1:
        return folded[0]
    shown = ", ".join(repr(n) for n in names)
    raise InputError(f"{name}: no sheet named {sheet!r} (sheets: {shown}); pick one with --sheet")


def cell_text(value: object, number_format: str | None = None) -> str:
    """A typed cell as the text a CSV export would hold.

    >>> [cell_text(v) for v in (7, 7.0, 45.5, None, True, date(2025, 3, 1))]
    ['7', '7', '45.5', '', 'TRUE', '2025-03-01']
    >>> cell_text(7, "000"), cell_text(datetime(2025, 3, 1, 9, 30))
    ('007', '2025-03-01 09:30:00')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, int):
        return _zero_padded(value, number_format)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _zero_padded(value: int, number_format: str | None) -> str:
    """An id typed as a number but shown with leading zeros (format `000`) keeps them."""
    text = str(value)
    if value >= 0 and number_format and set(number_format) == {"0"}:
        return text.zfill(len(number_format))
    return text
