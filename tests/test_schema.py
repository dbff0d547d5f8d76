"""Reading files: encodings, delimiters, header variants, messy values and the error report."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import PEOPLE, write

from gigmatch.errors import InputError
from gigmatch.read.config import Config
from gigmatch.read.schema import ROW, accept, from_frame, load
from gigmatch.read.table import read_table


def test_messy_values_are_read_as_a_person_would(tmp_path):
    text = (
        "Freelancer ID;Full Name;Skill Set;Hourly Rate ($);Availability;Avg Rating;Reviews;"
        "On-Time %;TZ;Capacity\n"
        "F1;Zoë;\"['Copywriting', 'SEO']\";$1,200.50;40;4.8/5;12;85%;UTC+5:30;2\n"
        'F2;Björn;Python:4, SQL;USD 40;;"5.0\n";;0.9;Europe/Berlin;\n'
    )
    parsed = load(write(tmp_path, "p.csv", text), "people")
    assert [p for p in parsed.problems if p.severity != "note"] == []
    assert "skills ← 'Skill Set'" in {p.message for p in parsed.notes}
    frame = parsed.frame
    assert list(frame["id"]) == ["F1", "F2"]
    assert list(frame["name"]) == ["Zoë", "Björn"]
    assert [i.name for i in frame["skills"][0]] == ["Copywriting", "SEO"]
    assert [(i.name, i.level) for i in frame["skills"][1]] == [("Python", 4), ("SQL", None)]
    assert frame["rate"].tolist() == [1200.5, 40.0]
    assert frame["rating"].tolist() == [4.8, 5.0]
    assert frame["on_time"].tolist() == [0.85, 0.9]
    assert frame["timezone"].tolist() == [5.5, 1.0]
    assert frame["capacity"].tolist() == [2, 1]  # blank capacity defaults to 1
    assert math.isnan(frame["hours"][1]) and math.isnan(frame["reviews"][1])
    assert frame[ROW].tolist() == [2, 3]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_encodings(tmp_path, encoding):
    path = write(tmp_path, "p.csv", "id,name,skills\nF1,José Müller,Café design\n", encoding)
    frame = load(path, "people").frame
    assert frame["name"][0] == "José Müller"
    assert frame["skills"][0][0].name == "Café design"


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_delimiters_detected_from_the_header(tmp_path, sep):
    text = (
        sep.join(["id", "name", "skills"]) + "\n" + sep.join(["F1", "Ann", '"Python, SQL"']) + "\n"
    )
    frame = load(write(tmp_path, "p.csv", text), "people").frame
    assert [i.name for i in frame["skills"][0]] == ["Python", "SQL"]


def test_stdin_is_read_for_dash(monkeypatch):
    import io
    import sys

    data = io.BytesIO(b"id,name,skills\nF1,Ann,Go\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(data))
    raw = read_table("-")
    assert raw.source == "<stdin>" and raw.frame["skills"].tolist() == ["Go"]


def test_every_problem_is_reported_at_once_with_row_and_column(tmp_path):
    text = (
        "id,name,skills,rate,rating,capacity,timezone\n"
        "F1,Ann,Python,abc,4.5,1,UTC\n"
        "F1,Bob,Go,40,7,zero,Mars/Base\n"
        "\n"
        ",Cy,,40,4,1,\n"
    )
    parsed = load(write(tmp_path, "people.csv", text), "people")
    found = {(p.row, p.column, p.code) for p in parsed.problems}
    assert found == {
        (2, "rate", "bad-value"),
        (3, "id", "duplicate-id"),
        (3, "rating", "out-of-range"),
        (3, "capacity", "bad-value"),
        (3, "timezone", "bad-timezone"),
        (5, "id", "blank-id"),
        (5, "skills", "empty"),
    }
    with pytest.raises(InputError) as info:
        accept(parsed)
    assert len(info.value.problems) == 6  # the empty skill list is only a warning
    message = str(next(p for p in info.value.problems if p.code == "bad-value" and p.row == 2))
    assert message.startswith(f"{tmp_path / 'people.csv'}:2:rate: error:")
    assert "'abc'" in message


def test_skip_invalid_keeps_good_rows_and_warns(tmp_path):
    text = "id,name,skills,rate\nF1,Ann,Python,abc\nF2,Bob,Go,40\n"
    frame, warnings = accept(load(write(tmp_path, "p.csv", text), "people"), skip_invalid=True)
    assert frame["id"].tolist() == ["F2"]
    assert [(w.row, w.severity) for w in warnings] == [(2, "warning")]
    assert "row skipped" in warnings[0].message


def test_missing_column_names_headers_found_and_the_fix(tmp_path):
    parsed = load(write(tmp_path, "p.csv", "id,Freelancer,Talents\nF1,Ann,Go\n"), "people")
    problem = parsed.errors[0]
    assert (problem.row, problem.code) == (1, "missing-column")
    assert "'Talents'" in problem.message and "[columns]" in problem.message


def test_config_columns_map_any_header(tmp_path):
    path = write(tmp_path, "p.csv", "Ref,Freelancer,Talents\nF1,Ann,Go\n")
    config = Config(columns={"Ref": "id", "Freelancer": "name", "Talents": "skills"})
    parsed = load(path, "people", config)
    assert [p.message for p in parsed.problems] == [
        "id ← 'Ref' (Config [columns])",
        "name ← 'Freelancer' (Config [columns])",
        "skills ← 'Talents' (Config [columns])",
    ]
    assert parsed.frame["name"][0] == "Ann"


def test_ragged_row_is_a_located_error(tmp_path):
    with pytest.raises(InputError, match=r"p.csv:3: the row has 4 cells but the header has 3"):
        load(write(tmp_path, "p.csv", "id,name,skills\nF1,Ann,Go\nF2,Bob,Go,extra\n"), "people")


def test_missing_and_empty_files_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.csv", "people")
    with pytest.raises(InputError, match="empty"):
        load(write(tmp_path, "e.csv", "\n\n"), "people")


def test_extra_columns_are_kept(tmp_path):
    frame = load(
        write(tmp_path, "p.csv", "id,name,skills,Agency\nF1,Ann,Go,North\n"), "people"
    ).frame
    assert frame["Agency"].tolist() == ["North"]


def test_dataframe_input_is_parsed_like_a_file(tmp_path):
    from_file = load(write(tmp_path, "p.csv", PEOPLE), "people").frame
    from_df = from_frame(pd.read_csv(write(tmp_path, "q.csv", PEOPLE)), "people").frame
    assert from_df["rate"].tolist() == from_file["rate"].tolist()
    assert from_df["on_time"].tolist() == pytest.approx(from_file["on_time"].tolist(), nan_ok=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + bytes(200), "cannot be read as an .xlsx workbook"),
        (bytes(range(256)) * 4, "binary file, not CSV"),
        (b'id,name\r\nF1,"unclosed\r\n', "cannot be read as CSV"),
        (b"\r\x1b[0m\xff\xfe;;\r\r", "header row is empty"),
    ],
)
def test_junk_files_are_clear_errors(tmp_path, data, message):
    path = tmp_path / "junk.csv"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        accept(load(path, "people"))
    text = str(info.value) + " ".join(str(p) for p in info.value.problems)
    assert message in text


def test_repeated_header_is_an_error_not_lost_data(tmp_path):
    path = write(tmp_path, "p.csv", "id,name,skills,skills\nF1,Ann,Python,React\n")
    with pytest.raises(
        InputError, match=r"p.csv:1: the header 'skills' appears twice \(columns 3 and 4\)"
    ):
        load(path, "people")


def test_skip_invalid_keeps_a_good_row_whose_id_twin_was_skipped(tmp_path):
    text = "id,name,skills,rate\nF1,Ann,Python,abc\nF1,Ann,Python,40\nF2,Bo,Go,x\nF2,Bo,Go,y\n"
    frame, warnings = accept(load(write(tmp_path, "p.csv", text), "people"), skip_invalid=True)
    assert frame["id"].tolist() == ["F1"] and frame["rate"].tolist() == [40.0]
    assert sorted({w.row for w in warnings}) == [2, 4, 5]
