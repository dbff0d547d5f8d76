"""Writers: every format parsed back, spreadsheet safety, determinism, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from gigmatch.errors import OutputError, UsageError
from gigmatch.present.safe import defuse, for_terminal, printable
from gigmatch.present.write import (
    OutputFormat,
    _safe_frame,
    choose_format,
    to_bytes,
    write_atomic,
)

FRAME = pd.DataFrame(
    {
        "person_id": ["F1", "F2", "F3"],
        "person_name": ['=HYPERLINK("http://evil")', "José\x1b[31m", "@SUM(A1)"],
        "score": [91.5, 80.0, -5.0],
        "note": ["+1 555", "-dash", "plain | pipe"],
    }
)


def test_csv_is_parsed_back_with_formulas_defused():
    rows = list(csv.DictReader(io.StringIO(to_bytes(FRAME, OutputFormat.csv).decode())))
    assert [r["person_id"] for r in rows] == ["F1", "F2", "F3"]
    assert rows[0]["person_name"] == '\'=HYPERLINK("http://evil")'
    assert rows[1]["person_name"] == "José[31m"  # the escape character is gone
    assert rows[2]["person_name"] == "'@SUM(A1)"
    assert [r["note"] for r in rows] == ["'+1 555", "'-dash", "plain | pipe"]
    assert [float(r["score"]) for r in rows] == [91.5, 80.0, -5.0]  # numbers stay numbers


def test_tsv_and_bom():
    data = to_bytes(FRAME, OutputFormat.tsv, bom=True)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter="\t"))
    assert rows[2]["note"] == "plain | pipe"


def test_json_and_jsonl_keep_values_and_nulls():
    frame = FRAME.assign(extra=[1.5, float("nan"), None])
    parsed = json.loads(to_bytes(frame, OutputFormat.json))
    assert parsed[0]["score"] == 91.5 and parsed[1]["extra"] is None
    lines = to_bytes(frame, OutputFormat.jsonl).decode().splitlines()
    assert [json.loads(line)["person_id"] for line in lines] == ["F1", "F2", "F3"]


def test_xlsx_keeps_text_as_text_without_apostrophes(tmp_path):
    """In XLSX a string cell is never a formula: the text is kept as written, typed `s`."""
    path = tmp_path / "out.xlsx"
    path.write_bytes(to_bytes(FRAME, OutputFormat.xlsx))
    sheet = load_workbook(path).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["person_id", "person_name", "score", "note"]
    assert values[1][1] == '=HYPERLINK("http://evil")' and sheet["B2"].data_type == "s"
    assert values[2][1] == "José[31m"  # control characters still removed
    assert [row[3] for row in values[1:]] == ["+1 555", "-dash", "plain | pipe"]
    assert all(sheet.cell(r, 4).data_type == "s" for r in (2, 3, 4))
    assert values[3][2] == -5.0 and isinstance(values[1][2], float)


@pytest.mark.parametrize("fmt", [f for f in OutputFormat if f is not OutputFormat.table])
def test_same_table_same_bytes(fmt):
    assert to_bytes(FRAME, fmt) == to_bytes(FRAME.copy(), fmt)


def test_markdown_escapes_pipes():
    text = to_bytes(FRAME, OutputFormat.md).decode()
    assert "plain \\| pipe" in text
    assert text.splitlines()[1].startswith("|---|---|---:|")


def test_toml_rows():
    rows = tomllib.loads(to_bytes(FRAME, OutputFormat.toml).decode())["rows"]
    assert rows[0]["score"] == 91.5


def test_choose_format():
    assert choose_format(None, None, True) is OutputFormat.table
    assert choose_format(None, None, False) is OutputFormat.csv
    assert choose_format(None, Path("x.XLSX"), True) is OutputFormat.xlsx
    assert choose_format(OutputFormat.json, Path("x.data"), True) is OutputFormat.json
    assert choose_format(OutputFormat.tsv, Path("x.tab"), True) is OutputFormat.tsv
    with pytest.raises(UsageError, match=r"--format json does not match .*x.csv.*\.json"):
        choose_format(OutputFormat.json, Path("x.csv"), True)
    with pytest.raises(UsageError, match="extension"):
        choose_format(None, Path("x.pdf"), False)
    with pytest.raises(UsageError, match="terminals"):
        choose_format(OutputFormat.table, Path("x.csv"), False)


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_failed_write_keeps_the_old_file(tmp_path):
    with pytest.raises(OutputError):
        write_atomic(tmp_path / "missing-folder" / "out.csv", b"new")


def test_terminal_text_is_escaped():
    assert for_terminal("[bold red]x[/]") == "\\[bold red]x\\[/]"
    assert printable("a\x1b]0;title\x07b") == "a]0;titleb"
    assert defuse(-3) == -3


def test_atomic_write_gives_the_usual_file_mode(tmp_path):
    import os

    target = tmp_path / "out.csv"
    write_atomic(target, b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_whole_numbers_beside_blanks_stay_whole():
    frame = pd.DataFrame({"row": pd.Series([None, 53], dtype=object), "file": ["a", "b"]})
    rows = list(csv.DictReader(io.StringIO(to_bytes(frame, OutputFormat.csv).decode())))
    assert [r["row"] for r in rows] == ["", "53"]


def test_markdown_shows_markup_as_written():
    frame = pd.DataFrame({"name": ["*bold* <b>x</b> [link](y) #1"]})
    cell = to_bytes(frame, OutputFormat.md).decode().splitlines()[2]
    assert cell == "| \\*bold\\* \\<b\\>x\\</b\\> \\[link\\](y) \\#1 |"


# ---- CSV and TSV are put together column by column: the same bytes as pandas on the safe table

_CHARS = list("ab é,;\"'\r\n\t=+-@ \x1b\x00\x7f\u202e\u200b\xa0\U0001f4a5")
_TEXT = st.text(alphabet=st.sampled_from(_CHARS), max_size=6)
_FLOAT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-05, 1e16, 77.1, 0.1 + 0.2]),
    st.floats(-1000, 1000).map(lambda x: round(x, 3)),
)


def _column(kind: str, n: int) -> st.SearchStrategy:
    """n cells of one column type the writer meets (or leaves to pandas: dates)."""
    cells = {
        "text": st.one_of(_TEXT, st.none(), st.just(float("nan"))),
        "str": st.one_of(_TEXT, st.none()),
        "mixed": st.one_of(
            _TEXT, st.none(), st.integers(-5, 5), _FLOAT, st.lists(_TEXT, max_size=2)
        ),
        "float": _FLOAT,
        "float32": st.floats(width=32),
        "int": st.integers(-(2**63), 2**63 - 1),
        "bool": st.booleans(),
        "Int64": st.one_of(st.integers(-(2**40), 2**40), st.none()),
        "date": st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)),
    }[kind]
    dtypes = {"text": object, "mixed": object, "float32": "float32", "date": "datetime64[ns]"}
    return st.lists(cells, min_size=n, max_size=n).map(
        lambda values: pd.Series(values, dtype=dtypes.get(kind, kind), name=kind)
    )


_KINDS = ["text", "str", "mixed", "float", "float32", "int", "bool", "Int64", "date"]


@st.composite
def _frames(draw) -> pd.DataFrame:
    n = draw(st.integers(0, 8))
    kinds = draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=5))
    names = draw(st.lists(_TEXT, min_size=len(kinds), max_size=len(kinds), unique=True))
    columns = [draw(_column(kind, n)) for kind in kinds]
    return pd.DataFrame(dict(zip(names, columns, strict=True)))


@settings(max_examples=300, deadline=None)
@given(frame=_frames(), fmt=st.sampled_from([OutputFormat.csv, OutputFormat.tsv]))
def test_delimited_bytes_are_pandas_bytes_of_the_defused_table(frame, fmt):
    """The writer formats each distinct value once and joins fields itself; what it writes is
    byte for byte what pandas writes for the defused table (the writer's former path)."""
    sep = "," if fmt is OutputFormat.csv else "\t"
    expected = _safe_frame(frame).to_csv(index=False, sep=sep, lineterminator="\n")
    assert to_bytes(frame, fmt).decode() == expected


def test_delimited_fields_are_defused_and_quoted():
    frame = pd.DataFrame(
        {"a": ["=1+1", 'say "hi", then', "x\ny", None], "b": [1.5, -0.0, float("nan"), 2.0]}
    )
    assert to_bytes(frame, OutputFormat.csv).decode() == (
        'a,b\n\'=1+1,1.5\n"say ""hi"", then",-0.0\n"x\ny",\n,2.0\n'
    )
