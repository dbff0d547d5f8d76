"""Writers: every format parsed back, spreadsheet safety, determinism, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from gigmatch.errors import OutputError, UsageError
from gigmatch.present.safe import defuse, for_terminal, printable
from gigmatch.present.write import OutputFormat, choose_format, to_bytes, write_atomic

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
