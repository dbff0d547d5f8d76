"""Real exports read without editing them: workbooks, UTF-16 text, title rows, headers mapped
by explicit rules that always win, and a config that is found and named (issue 13)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.errors import ConfigError, ExitCode, InputError
from gigmatch.read.columns import find_header, parse_map, resolve
from gigmatch.read.config import Config, config_from_dict, find_config, load_config
from gigmatch.read.fields import SCHEMAS
from gigmatch.read.schema import read
from gigmatch.read.sheets import cell_text
from tests.conftest import PEOPLE, PROJECTS, write

runner = CliRunner()


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


# ---- workbooks ----------------------------------------------------------------------------------


def typed(cell: str) -> object:
    """A CSV cell as a spreadsheet would type it: numbers as numbers, the rest as text."""
    try:
        number = float(cell)
    except ValueError:
        return cell or None
    return int(number) if number.is_integer() and "." not in cell else number


def workbook(path: Path, sheets: dict[str, str]) -> Path:
    """An .xlsx with one sheet per CSV text, cells typed as a user's spreadsheet types them."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, text in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows_of(text):
            sheet.append([typed(c) for c in row])
    book.save(path)
    return path


def test_a_workbook_gives_the_same_bytes_as_its_csv(tmp_path):
    csv_args = [write(tmp_path, "projects.csv", PROJECTS), write(tmp_path, "people.csv", PEOPLE)]
    book = workbook(tmp_path / "data.xlsx", {"Projects": PROJECTS, "People": PEOPLE})
    from_csv = invoke("match", *csv_args, "-f", "csv", "-n", "3")
    from_xlsx = invoke("match", book, f"{book}#People", "-f", "csv", "-n", "3")
    assert from_csv.exit_code == 0, from_csv.output
    assert from_xlsx.exit_code == 0, from_xlsx.output
    assert from_xlsx.stdout_bytes == from_csv.stdout_bytes
    assert {r[0] for r in rows_of(from_xlsx.stdout)[1:]} == {"P1", "P2", "P3"}


def test_the_first_sheet_is_read_unless_another_is_named(tmp_path):
    book = workbook(tmp_path / "data.xlsx", {"People": PEOPLE, "Projects": PROJECTS})
    assert list(read(book, "people").frame["id"]) == ["F1", "F2", "F3", "F4", "F5"]
    chosen = read(book, "projects", Config().for_run(sheet="Projects")).frame
    assert list(chosen["id"]) == ["P1", "P2", "P3"]
    with pytest.raises(InputError, match=r"no sheet named 'Nope' \(sheets: 'People', 'Projects'\)"):
        read(f"{book}#Nope", "people")


def test_a_workbook_can_come_from_stdin(tmp_path):
    book = workbook(tmp_path / "data.xlsx", {"Projects": PROJECTS, "People": PEOPLE})
    args = ["skills", "-", f"{book}#People", "--sheet", "Projects", "-f", "csv"]
    result = runner.invoke(app, args, input=book.read_bytes())
    assert result.exit_code == 0, result.output
    expected = invoke("skills", write(tmp_path, "p.csv", PROJECTS), f"{book}#People", "-f", "csv")
    assert result.stdout == expected.stdout


def test_typed_cells_keep_ids_numbers_and_dates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "project_id", "date", "rating", "on_time", "hours"])
    sheet.append(["007", 42, datetime(2025, 3, 1), 4.5, True, 120.0])
    sheet.append([8, 43.0, date(2025, 4, 2), 4, False, 12.5])
    sheet["A3"].number_format = "000"
    book.save(tmp_path / "history.xlsx")
    frame = read(tmp_path / "history.xlsx", "history").frame
    assert list(frame["person_id"]) == ["007", "008"]
    assert list(frame["project_id"]) == ["42", "43"]  # never 42.0
    assert [str(d)[:10] for d in frame["date"]] == ["2025-03-01", "2025-04-02"]
    assert list(frame["rating"]) == [4.5, 4.0] and list(frame["hours"]) == [120.0, 12.5]
    assert list(frame["on_time"]) == [1.0, 0.0]
    assert list(frame["_row"]) == [2, 3]


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def ods_cell(value: object) -> str:
    if isinstance(value, int | float):
        kind = f'office:value-type="float" office:value="{value}"'
    else:
        kind = 'office:value-type="string"'
    return f"<table:table-cell {kind}><text:p>{escape(str(value))}</text:p></table:table-cell>"


def ods_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes one, reduced to what readers need."""
    tables = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            "<table:table-row>" + "".join(ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        f'office:version="1.2"><office:body><office:spreadsheet>{tables}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", manifest)
        book.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_sheet_is_read_like_its_csv(tmp_path):
    pytest.importorskip("python_calamine")
    cells = [[typed(c) for c in row] for row in rows_of(PEOPLE)]
    cells[1][0] = "007"
    book = ods_book(tmp_path / "people.ods", {"Notes": [["x"]], "People": cells})
    frame = read(f"{book}#People", "people").frame
    expected = read(write(tmp_path, "people.csv", PEOPLE.replace("F1,", "007,")), "people").frame
    assert frame.drop(columns="skills").equals(expected.drop(columns="skills"))
    assert frame["id"].tolist()[:2] == ["007", "F2"]


def test_a_damaged_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    result = invoke("match", write(tmp_path, "p.csv", PROJECTS), path)
    assert result.exit_code == ExitCode.DATA
    assert "cannot be read as an .xlsx workbook" in result.stderr


# ---- text encodings and title rows --------------------------------------------------------------


def test_excel_unicode_text_is_read(tmp_path):
    tab_separated = PEOPLE.replace(",", "\t")
    path = tmp_path / "people.txt"
    path.write_bytes(tab_separated.encode("utf-16"))  # with its BOM, as Excel writes it
    utf8 = read(write(tmp_path, "people.csv", PEOPLE), "people").frame
    utf16 = read(path, "people").frame
    assert utf16.drop(columns="skills").equals(utf8.drop(columns="skills"))
    assert utf16["skills"].tolist() == utf8["skills"].tolist()
    path.write_bytes(PEOPLE.encode("utf-32"))
    assert list(read(path, "people").frame["id"]) == list(utf8["id"])


TITLED = "Freelancers — export of 1 March 2025\n\n" + PEOPLE


def test_a_title_block_above_an_unmistakable_header_is_skipped(tmp_path):
    frame = read(write(tmp_path, "people.csv", TITLED), "people").frame
    assert list(frame["id"]) == ["F1", "F2", "F3", "F4", "F5"]
    assert list(frame["_row"]) == [4, 5, 6, 7, 8]  # rows as the sheet shows them
    book = workbook(tmp_path / "people.xlsx", {"People": TITLED})
    assert list(read(book, "people").frame["_row"]) == [4, 5, 6, 7, 8]


def test_skip_rows_reads_a_header_that_is_not_unmistakable(tmp_path):
    text = "Team list\n" + PEOPLE.replace("id,name,skills", "Code,name,Talents", 1)
    path = write(tmp_path, "people.csv", text)
    with pytest.raises(InputError):
        read(path, "people")
    args = ["--skip-rows", "1", "--map", "Code=id", "--map", "Talents=skills"]
    result = invoke("skills", write(tmp_path, "projects.csv", PROJECTS), path, "-f", "csv", *args)
    assert result.exit_code == 0, result.output
    assert "id ← 'Code' (--map), skills ← 'Talents' (--map)" in result.stderr


# ---- column mapping -----------------------------------------------------------------------------

GOOGLE = """\
Freelancer ID,Full Name,Skills (comma separated),Hours,Availability (hrs/week),Hourly Rate ($)
F1,Ann Lee,"React, PostgreSQL, Docker",1200,30,55
F2,Bo Chen,"Python, SQL",80,10,40
"""


def test_google_sheets_headers_are_read_and_said(tmp_path):
    people = write(tmp_path, "people.csv", GOOGLE.replace("Hours,", "Notes,"))
    projects = write(tmp_path, "projects.csv", PROJECTS)
    result = invoke("match", projects, people, "-f", "csv")
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if line.startswith(str(people))]
    assert said == [
        f"{people}: id ← 'Freelancer ID', name ← 'Full Name', "
        "skills ← 'Skills (comma separated)', hours ← 'Availability (hrs/week)', "
        "rate ← 'Hourly Rate ($)'"
    ]
    assert str(projects) not in result.stderr  # exact names: nothing to say
    frame = read(people, "people").frame
    assert list(frame["hours"]) == [30, 10] and list(frame["rate"]) == [55, 40]


def test_a_colliding_hours_column_is_warned_about(tmp_path):
    people = write(tmp_path, "people.csv", GOOGLE)
    result = invoke("check", write(tmp_path, "projects.csv", PROJECTS), people, "-f", "csv")
    found = {(r["column"], r["code"]) for r in csv.DictReader(io.StringIO(result.stdout))}
    assert ("Availability (hrs/week)", "unused-column") in found
    assert ("Skills (comma separated)", "column-mapped") in found


@pytest.mark.parametrize(
    "flags",
    [["--ignore", "Hours"], ["--map", "Availability (hrs/week)=hours"]],
    ids=["ignore", "map"],
)
def test_the_collision_is_resolved_by_one_flag(tmp_path, flags):
    people = write(tmp_path, "people.csv", GOOGLE)
    result = invoke("match", write(tmp_path, "projects.csv", PROJECTS), people, "-f", "csv", *flags)
    assert result.exit_code == 0, result.output
    assert "hours ← 'Availability (hrs/week)'" in result.stderr
    assert "warning" not in result.stderr
    option = {"--map": "maps", "--ignore": "ignore"}[flags[0]]
    config = Config().for_run(**{option: [flags[1]]})
    assert list(read(people, "people", config).frame["hours"]) == [30, 10]


def test_an_explicit_mapping_beats_a_synonym_in_any_order():
    import pandas as pd

    frame = pd.DataFrame(
        {"id": ["F1"], "skills": ["Go"], "Availability": ["40"], "Weekly hours": ["12"]}
    )
    assert read(frame, "people").frame["hours"].tolist() == [40]  # first synonym
    config = Config(columns={"Weekly hours": "hours"})
    assert read(frame, "people", config).frame["hours"].tolist() == [12]


def test_mappings_per_kind_of_file(tmp_path):
    config = write(
        tmp_path,
        "gigmatch.toml",
        '[columns.people]\n"Amount" = "rate"\n"Nope" = "name"\n'
        '[columns.projects]\n"Amount" = "budget"\n',
    )
    cfg = load_config(config)
    people = write(tmp_path, "people.csv", "id,skills,Amount\nF1,Go,50\n")
    projects = write(tmp_path, "projects.csv", "id,skills,Amount\nP1,Go,70\n")
    assert read(people, "people", cfg).frame["rate"].tolist() == [50]
    assert read(projects, "projects", cfg).frame["budget"].tolist() == [70]
    warned = [str(w) for w in read(people, "people", cfg).warnings]
    assert warned == [
        f"{people}:1:Nope: warning: {config} [columns.people] 'Nope' = name: no such header "
        "(headers found: 'id', 'skills', 'Amount')"
    ]


def test_a_mapping_naming_no_header_of_any_file_warns_once(tmp_path):
    args = [write(tmp_path, "projects.csv", PROJECTS), write(tmp_path, "people.csv", PEOPLE)]
    result = invoke("match", *args, "-f", "csv", "--map", "Availabilty=hours")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("--map 'Availabilty' = hours: no file has this header") == 1
    assert "people.csv: 'id', 'name', 'skills', 'rate', 'hours'" in result.stderr


def test_unknown_fields_are_refused_with_the_known_ones(tmp_path):
    args = [write(tmp_path, "projects.csv", PROJECTS), write(tmp_path, "people.csv", PEOPLE)]
    result = invoke("match", *args, "--map", "hours=hours_total")
    assert result.exit_code == ExitCode.USAGE
    assert "unknown field 'hours_total'" in result.stderr and "ignore it instead" in result.stderr
    with pytest.raises(ConfigError, match="unknown field 'hours_total'"):
        config_from_dict({"columns": {"hours": "hours_total"}})
    ignore = config_from_dict({"columns": {"people": {"ignore": ["hours"]}}})
    assert [r.describe() for r in ignore.columns] == ["'hours' = (ignored)"]


# ---- the real export: a total in an `hours` column ----------------------------------------------


def upwork_like(tmp_path: Path, rows: int = 40) -> Path:
    """A profile export whose `hours` is total hours worked (316, 4,376, 9,845...)."""
    rng = np.random.default_rng(7)
    totals = rng.integers(20, 9845, rows)
    totals[:3] = [9845, 12, 100]
    lines = ["id,name,skills,hourly_rate,hours"]
    lines += [f'U{i},Person {i},Python; SQL,${40 + i},"{t:,}"' for i, t in enumerate(totals)]
    return write(tmp_path, "upwork.csv", "\n".join(lines) + "\n")


def test_a_total_hours_column_stops_with_one_line(tmp_path):
    people = upwork_like(tmp_path)
    with pytest.raises(InputError) as caught:
        read(people, "people")
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    rows = csv.DictReader(io.StringIO(people.read_text()))
    high = sum(1 for r in rows if float(r["hours"].replace(",", "")) > 168)
    assert problem.code == "wrong-column" and problem.column == "hours"
    assert f"({high} of 40 rows above 168, up to 9,845) is not hours per week" in problem.message
    assert "--ignore 'hours'" in problem.message
    result = invoke("match", write(tmp_path, "projects.csv", PROJECTS), people)
    assert result.exit_code == ExitCode.DATA
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("  ") and ": error:" in line]) == 1


def test_a_column_of_notes_is_one_problem_too(tmp_path):
    lines = ["id,skills,rate"] + [f"F{i},Go,ask me" for i in range(8)] + ["F9,Go,45"]
    with pytest.raises(InputError) as caught:
        read(write(tmp_path, "people.csv", "\n".join(lines) + "\n"), "people")
    (problem,) = caught.value.problems
    assert problem.code == "wrong-column"
    assert "column 'rate' (8 of 9 rows not a number, e.g. 'ask me') is not" in problem.message


def test_a_total_hours_column_runs_with_one_flag(tmp_path):
    args = [write(tmp_path, "projects.csv", PROJECTS), upwork_like(tmp_path)]
    result = invoke("match", *args, "-f", "csv", "--ignore", "hours")
    assert result.exit_code == 0, result.output
    assert "40 people" in result.stderr
    assert {r["person_id"] for r in csv.DictReader(io.StringIO(result.stdout))} >= {"U0", "U1"}


# ---- config discovery ---------------------------------------------------------------------------

WEIGHTS = "[weights]\nskills = 0.9\n"


def test_config_is_found_from_a_subfolder_and_named(tmp_path, monkeypatch):
    config = write(tmp_path, "gigmatch.toml", WEIGHTS)
    (tmp_path / "data" / "march").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "data" / "march")
    assert find_config(home=tmp_path) == (config, "a parent folder")
    result = invoke("config", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert f"using config {config}" in result.stderr
    rows = {r["setting"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["weights.skills"]["value"] == "0.9"
    assert rows["weights.skills"]["source"] == str(config)
    assert rows["weights.rating"]["source"] == "default"
    quiet = invoke("config", "-f", "csv", "--quiet")
    assert quiet.stderr == ""
    defaults = invoke("config", "-f", "csv", "--no-config")
    assert "using config" not in defaults.stderr and "0.45" in defaults.stdout


def test_the_search_stops_at_home(tmp_path):
    write(tmp_path, "gigmatch.toml", WEIGHTS)
    (tmp_path / "home" / "project").mkdir(parents=True)
    assert find_config(tmp_path / "home" / "project", {}, home=tmp_path / "home") is None


def test_config_is_found_through_the_environment(tmp_path, monkeypatch):
    (tmp_path / "elsewhere").mkdir()
    config = write(tmp_path / "elsewhere", "g.toml", WEIGHTS)
    (tmp_path / "cron").mkdir()
    monkeypatch.chdir(tmp_path / "cron")
    monkeypatch.setenv("GIGMATCH_CONFIG", str(config))
    args = [write(tmp_path, "projects.csv", PROJECTS), write(tmp_path, "people.csv", PEOPLE)]
    result = invoke("match", *args, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert f"using config {config} ($GIGMATCH_CONFIG)" in result.stderr
    assert load_config().weights.skills == 0.9
    monkeypatch.setenv("GIGMATCH_CONFIG", str(tmp_path / "missing.toml"))
    assert invoke("match", *args).exit_code == ExitCode.CONFIG


def test_the_user_config_folder_comes_last(tmp_path):
    xdg = tmp_path / "xdg"
    (xdg / "gigmatch").mkdir(parents=True)
    write(xdg / "gigmatch", "gigmatch.toml", WEIGHTS)
    (tmp_path / "work").mkdir()
    found = find_config(tmp_path / "work", {"XDG_CONFIG_HOME": str(xdg)}, home=tmp_path)
    assert found == (xdg / "gigmatch" / "gigmatch.toml", "the user config folder")


def test_config_option_wins_and_cannot_go_with_no_config(tmp_path, monkeypatch):
    write(tmp_path, "gigmatch.toml", WEIGHTS)
    other = write(tmp_path, "other.toml", "[weights]\nskills = 0.2\n")
    monkeypatch.chdir(tmp_path)
    result = invoke("config", "-f", "csv", "-c", other)
    assert "weights.skills,0.2," in result.stdout
    assert invoke("config", "-c", other, "--no-config").exit_code == ExitCode.USAGE


def test_config_lists_command_line_rules_with_their_source():
    result = invoke(
        "config", "-f", "csv", "--no-config", "--map", "people:Avail=hours", "--ignore", "Hours"
    )
    assert result.exit_code == 0, result.output
    rows = {
        r["setting"]: (r["value"], r["source"]) for r in csv.DictReader(io.StringIO(result.stdout))
    }
    assert rows["columns.people: 'Avail'"] == ("hours", "command line (--map)")
    assert rows["columns: 'Hours'"] == ("(ignored)", "command line (--ignore)")
    assert rows["config file"] == ("(none: defaults)", "")


def test_check_lists_a_rule_no_file_has(tmp_path):
    args = [write(tmp_path, "projects.csv", PROJECTS), write(tmp_path, "people.csv", PEOPLE)]
    result = invoke("check", *args, "-f", "csv", "--ignore", "Hourz")
    found = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["code"] == "unknown-header"]
    assert [(r["file"], r["column"]) for r in found] == [("command line", "Hourz")]


def test_an_undetected_title_row_says_how_to_skip_it(tmp_path):
    text = "Team list\n" + PEOPLE.replace("id,name,skills", "Code,name,Talents", 1)
    people = write(tmp_path, "people.csv", text)
    with pytest.raises(InputError, match="skip them with --skip-rows N"):
        read(people, "people")
    result = invoke("check", write(tmp_path, "projects.csv", PROJECTS), people, "-f", "csv")
    found = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["file"] == str(people)]
    assert len(found) == 1 and "--skip-rows N" in found[0]["message"]


# ---- invariants ---------------------------------------------------------------------------------

SPELLINGS = [s for f in SCHEMAS["people"] for s in f.synonyms] + [
    "Availability (hrs/week)", "Skills (comma separated)", "Hours", "Total hours", "Notes", "",
]  # fmt: skip


@given(
    headers=st.lists(st.sampled_from(SPELLINGS) | st.text(max_size=12), max_size=12, unique=True),
    pick=st.integers(min_value=0, max_value=11),
    target=st.sampled_from([f.name for f in SCHEMAS["people"]]),
)
@settings(max_examples=200, deadline=None)
def test_an_explicit_rule_always_wins_and_no_header_is_read_twice(headers, pick, target):
    named = headers[pick] if pick < len(headers) else ""
    plain = named.strip() and not {":", "="} & set(named)  # no kind prefix, no second `=`
    rule = parse_map(f"{named}={target}") if plain else None
    resolved = resolve(headers, "people", [rule] if rule else [], "p.csv")
    used = list(resolved.columns.values())
    assert len(used) == len(set(used)) and set(used) <= set(headers)
    if rule is not None:
        assert resolved.columns[target] == find_header(headers, rule.header)


@given(st.integers(-(10**14), 10**14) | st.floats(allow_nan=False, allow_infinity=False))
def test_a_typed_number_reads_back_as_itself(value):
    assert float(cell_text(value)) == value
    if float(value).is_integer() and abs(value) < 1e15:
        assert "." not in cell_text(value) and "e" not in cell_text(value)
