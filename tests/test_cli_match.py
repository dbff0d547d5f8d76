"""The `match` and `init` commands through Typer's CliRunner, plus help and README coverage."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from conftest import EXAMPLES, write
from openpyxl import load_workbook
from typer.testing import CliRunner

from gigmatch import __version__
from gigmatch.cli.app import COMMANDS, app
from gigmatch.errors import ExitCode
from gigmatch.score.ranking import MATCH_COLUMNS

runner = CliRunner()
README = Path(__file__).resolve().parent.parent / "README.md"


def run(*args: str, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"gigmatch {__version__}"


def test_match_csv_when_piped(projects_csv, people_csv):
    result = run("match", projects_csv, people_csv, "--top", "2")
    assert result.exit_code == 0, result.output
    parsed = rows(result.stdout)
    assert list(parsed[0]) == MATCH_COLUMNS
    assert parsed[0]["project_id"] == "P1" and parsed[0]["person_id"] == "F1"
    assert "3 projects, 5 people" in result.stderr


def test_quiet_leaves_only_data(projects_csv, people_csv):
    result = run("match", projects_csv, people_csv, "-q")
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "md", "xlsx"])
def test_every_format_to_a_file_parses_back(tmp_path, projects_csv, people_csv, fmt):
    out = tmp_path / f"ranked.{fmt}"
    result = run("match", projects_csv, people_csv, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    if fmt == "csv":
        ids = [r["person_id"] for r in rows(out.read_text())]
    elif fmt == "tsv":
        ids = [r["person_id"] for r in csv.DictReader(io.StringIO(out.read_text()), delimiter="\t")]
    elif fmt == "json":
        ids = [r["person_id"] for r in json.loads(out.read_text())]
    elif fmt == "jsonl":
        ids = [json.loads(line)["person_id"] for line in out.read_text().splitlines()]
    elif fmt == "md":
        ids = [line.split(" | ")[3] for line in out.read_text().splitlines()[2:]]
    else:
        sheet = load_workbook(out).active
        ids = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids == ["F1", "F3", "F5", "F4"]


def test_table_format_shows_sections(projects_csv, people_csv):
    result = run(
        "match", projects_csv, people_csv, "-f", "table", "--top", "1", env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    assert "P1 · Shop front" in result.stdout
    assert "Ann Lee (F1)" in result.stdout
    assert "React<-ReactJS (knowledge base" in result.stdout


def test_markup_and_escapes_in_data_are_not_interpreted(tmp_path, projects_csv):
    people = write(tmp_path, "evil.csv", "id,name,skills\nF1,[red]Mallory\x1b[2J[/red],React\n")
    result = run("match", projects_csv, people, "-f", "table")
    assert result.exit_code == 0, result.output
    assert "[red]Mallory[2J[/red]" in result.stdout
    assert "\x1b" not in result.stdout


def test_byte_identical_runs(tmp_path, projects_csv, people_csv):
    outputs = []
    for name in ("a.xlsx", "b.xlsx"):
        assert run("match", projects_csv, people_csv, "-o", tmp_path / name).exit_code == 0
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_bad_data_exit_code_and_located_messages(tmp_path, projects_csv):
    people = write(tmp_path, "people.csv", "id,name,skills,rate\nF1,Ann,Go,abc\nF1,Bo,Go,40\n")
    result = run("match", projects_csv, people)
    assert result.exit_code == ExitCode.DATA
    assert f"{people}:2:rate: error:" in result.stderr
    assert f"{people}:3:id: error: id 'F1' is already used" in result.stderr
    assert "Traceback" not in result.output
    skipped = run("match", projects_csv, people, "--skip-invalid")
    assert skipped.exit_code == 0
    assert "row skipped" in skipped.stderr


def test_missing_file_and_bad_flags(projects_csv, tmp_path):
    result = run("match", projects_csv, tmp_path / "nope.csv")
    assert result.exit_code == ExitCode.DATA and "no such file" in result.stderr
    assert run("match", projects_csv, projects_csv, "--top", "-1").exit_code == ExitCode.USAGE
    assert run("match", projects_csv, projects_csv, "-o", tmp_path / "x.pdf").exit_code == (
        ExitCode.USAGE
    )


def test_output_never_overwrites_an_input(projects_csv, people_csv):
    before = people_csv.read_bytes()
    result = run("match", projects_csv, people_csv, "-o", people_csv, "-f", "csv")
    assert result.exit_code == ExitCode.USAGE and "is an input of this run" in result.stderr
    assert people_csv.read_bytes() == before


def test_stdin_dash(projects_csv, people_csv):
    result = run("match", projects_csv, "-", input=people_csv.read_bytes())
    assert result.exit_code == 0, result.output
    assert rows(result.stdout)[0]["person_id"] == "F1"


def test_project_filter_and_keep(projects_csv, people_csv):
    result = run("match", projects_csv, people_csv, "-p", "P2", "-k", "email", "-k", "client")
    assert result.exit_code == 0, result.output
    parsed = rows(result.stdout)
    assert {r["project_id"] for r in parsed} == {"P2"}
    assert parsed[0]["email"] == "cy@example.com" and parsed[0]["client"] == "Globex"
    assert run("match", projects_csv, people_csv, "-k", "nope").exit_code == ExitCode.USAGE
    assert run("match", projects_csv, people_csv, "-p", "P9").exit_code == ExitCode.USAGE


def test_init_writes_a_config_that_loads_and_changes_scores(tmp_path, projects_csv, people_csv):
    path = tmp_path / "gigmatch.toml"
    assert run("init", path).exit_code == 0
    assert tomllib.loads(path.read_text())["weights"]["skills"] == 0.45
    assert run("init", path).exit_code == ExitCode.USAGE  # no overwrite without --force
    path.write_text(path.read_text().replace("skills = 0.45", "skills = 0.0"))
    plain = rows(run("match", projects_csv, people_csv).stdout)
    tuned = rows(run("match", projects_csv, people_csv, "--config", path).stdout)
    assert plain[0]["score"] != tuned[0]["score"]


def test_config_errors_are_reported(tmp_path, projects_csv, people_csv):
    bad = write(tmp_path, "bad.toml", "[weights]\nskils = 1\n")
    result = run("match", projects_csv, people_csv, "--config", bad)
    assert result.exit_code == ExitCode.CONFIG
    assert "unknown key 'skils' in [weights]" in result.stderr


def test_examples_quick_start():
    result = run("match", EXAMPLES / "projects.csv", EXAMPLES / "people.csv")
    assert result.exit_code == 0, result.output
    parsed = rows(result.stdout)
    assert len({r["project_id"] for r in parsed}) >= 20


def commands() -> list[str]:
    return sorted(COMMANDS)


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_an_example_and_a_readme_section(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert re.search(rf"^#+ .*gigmatch {command}\b", README.read_text(), re.MULTILINE), command


def test_columns_must_name_known_fields(tmp_path, projects_csv, people_csv):
    bad = write(tmp_path, "c.toml", '[columns]\n"Day Rate" = "rte"\n')
    result = run("match", projects_csv, people_csv, "--config", bad)
    assert result.exit_code == ExitCode.CONFIG
    assert "'rte': unknown field" in result.stderr


def test_keep_matches_headers_like_the_readers_do(projects_csv, people_csv):
    result = run("match", projects_csv, people_csv, "-p", "P2", "-k", "Email", "-k", "CLIENT")
    assert result.exit_code == 0, result.output
    parsed = rows(result.stdout)
    assert parsed[0]["Email"] == "cy@example.com" and parsed[0]["CLIENT"] == "Globex"
