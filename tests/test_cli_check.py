"""`gigmatch check` and `gigmatch skills` through Typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from conftest import EXAMPLES, write
from typer.testing import CliRunner

import gigmatch
from gigmatch.cli.app import app
from gigmatch.errors import ExitCode
from gigmatch.insights.check import PROBLEM_COLUMNS
from gigmatch.read.config import load_config
from gigmatch.skills.vocabulary import REPORT_COLUMNS

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data" / "hygiene"
PLANTED = [DATA / "projects.csv", DATA / "people.csv", "-H", DATA / "history.csv"]
CLEAN = [DATA / "clean_projects.csv", DATA / "clean_people.csv", "-H", DATA / "clean_history.csv"]
EXAMPLE_FILES = [EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-H", EXAMPLES / "history.csv"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ---- check --------------------------------------------------------------------------------


def test_check_reports_every_planted_problem_as_csv_and_exits_6():
    result = run("check", *PLANTED, "-f", "csv")
    assert result.exit_code == ExitCode.CHECK_FAILED == 6, result.output
    found = rows(result.stdout)
    assert list(found[0]) == PROBLEM_COLUMNS
    assert len(found) == 23
    assert {"file": str(DATA / "people.csv"), "row": "4", "column": "rate",
            "severity": "error", "code": "bad-value"}.items() <= found[6].items()  # fmt: skip
    assert "9 errors, 14 warnings in 3 files" in result.stderr


def test_check_json_matches_csv():
    as_csv = rows(run("check", *PLANTED, "-f", "csv").stdout)
    as_json = json.loads(run("check", *PLANTED, "-f", "json").stdout)
    assert len(as_json) == len(as_csv) == 23
    for j, c in zip(as_json, as_csv, strict=True):
        for key, value in j.items():
            shown = "" if value is None else str(value)
            # csv defuses cells a spreadsheet would run as formulas: "-5 is out of range"
            assert c[key] in (shown, "'" + shown), (key, c[key], shown)
    assert as_json[0]["row"] == 3 and isinstance(as_json[0]["row"], int)


def test_check_file_level_problems_have_a_blank_row():
    result = run("check", DATA / "projects.csv", DATA / "people.csv",
                 "-H", DATA / "history_mismatch.csv", "-f", "json")  # fmt: skip
    mismatch = [r for r in json.loads(result.stdout) if r["code"] == "history-ids-mismatch"]
    assert [(r["row"], r["severity"]) for r in mismatch] == [(None, "error")]


def test_clean_data_exits_0_even_with_strict():
    result = run("check", *CLEAN, "--strict", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == ",".join(PROBLEM_COLUMNS) + "\n"
    assert "no problems in 3 files" in result.stderr


def test_examples_exit_0_with_warnings_and_6_with_strict():
    result = run("check", *EXAMPLE_FILES, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert [(r["row"], r["code"]) for r in rows(result.stdout)] == [
        ("10", "unmet-skill"),
        ("53", "likely-duplicate-person"),
    ]
    assert "0 errors, 2 warnings in 2 files" in result.stderr
    strict = run("check", *EXAMPLE_FILES, "--strict", "-f", "csv")
    assert strict.exit_code == ExitCode.CHECK_FAILED
    assert strict.stdout == result.stdout


def test_check_history_is_optional():
    result = run("check", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert len(rows(result.stdout)) == 2


def test_check_ragged_file_is_reported_not_a_crash():
    result = run("check", DATA / "projects.csv", DATA / "people_ragged.csv", "-f", "csv")
    assert result.exit_code == ExitCode.CHECK_FAILED
    ragged = [(r["row"], r["column"]) for r in rows(result.stdout) if r["code"] == "ragged-row"]
    assert ragged == [("3", ""), ("5", "")]


def test_check_reads_stdin_and_reports_it_as_stdin():
    ragged = (DATA / "people_ragged.csv").read_text()
    result = runner.invoke(
        app, ["check", str(DATA / "clean_projects.csv"), "-", "-f", "csv"], input=ragged
    )
    assert result.exit_code == ExitCode.CHECK_FAILED
    assert [(r["file"], r["row"], r["code"]) for r in rows(result.stdout)] == [
        ("<stdin>", "3", "ragged-row")
    ]


def test_check_missing_file_exits_3(tmp_path):
    result = run("check", DATA / "clean_projects.csv", tmp_path / "nobody.csv")
    assert result.exit_code == ExitCode.DATA == 3
    assert "nobody.csv: no such file" in result.stderr


def test_check_table_groups_by_file():
    result = run("check", *PLANTED, "-f", "table")
    assert result.exit_code == ExitCode.CHECK_FAILED
    out = result.stdout
    assert out.index("projects.csv") < out.index("people.csv") < out.index("history.csv")
    assert "likely-duplicate-person" in out and "bad-timezone" in out


def test_check_writes_output_file_and_quiet_silences_stderr(tmp_path):
    target = tmp_path / "problems.json"
    result = run("check", *PLANTED, "-o", target, "-q")
    assert result.exit_code == ExitCode.CHECK_FAILED
    assert result.stdout == "" and result.stderr == ""
    assert len(json.loads(target.read_text())) == 23


def test_check_uses_config_columns(tmp_path):
    people = write(tmp_path, "people.csv", "id,name,Talents\nF1,Ann,Python\nF2,Bo,\n")
    config = write(tmp_path, "g.toml", '[columns]\n"Talents" = "skills"\n')
    result = run("check", DATA / "clean_projects.csv", people, "-c", config, "-f", "csv")
    found = [(r["row"], r["column"], r["code"]) for r in rows(result.stdout)]
    assert ("3", "Talents", "empty") in found
    assert not any(code == "missing-column" for _, _, code in found)


# ---- skills -------------------------------------------------------------------------------


def test_skills_lists_the_vocabulary_shortest_supplied_first():
    result = run("skills", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-f", "csv")
    assert result.exit_code == 0, result.output
    report = rows(result.stdout)
    assert list(report[0]) == REPORT_COLUMNS
    assert report[0]["skill"] == "COBOL" and report[0]["people"] == "0"
    react = next(r for r in report if r["skill"] == "React")
    assert react["spellings"] == "React; React.js; ReactJS; react"
    assert "Kubernets -> Kubernetes (95% alike)" in result.stderr
    assert "1 required by projects but offered by nobody" in result.stderr


def test_skills_write_aliases_refuses_to_overwrite_without_force(tmp_path):
    target = write(tmp_path, "aliases.toml", "# mine\n")
    args = ["skills", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-f", "csv"]
    refused = run(*args, "--write-aliases", target)
    assert refused.exit_code == ExitCode.USAGE and "use --force" in refused.stderr
    assert target.read_text() == "# mine\n"
    assert run(*args, "--write-aliases", target, "--force").exit_code == 0
    assert "Kubernetes" in tomllib.loads(target.read_text())["aliases"]


def test_skills_never_writes_over_the_config_in_use(tmp_path):
    config = write(tmp_path, "gigmatch.toml", "[aliases]\n")
    result = run("skills", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-c", config,
                 "--write-aliases", config, "--force")  # fmt: skip
    assert result.exit_code == ExitCode.USAGE and "never edits" in result.stderr
    assert config.read_text() == "[aliases]\n"


def test_written_aliases_unify_the_variants_in_match(tmp_path):
    """Round trip: suggest, write, load with --config, and `match` now reads Kubernets as
    Kubernetes (an alias, full credit) instead of a 95% fuzzy match."""
    target = tmp_path / "aliases.toml"
    result = run("skills", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-f", "csv",
                 "--write-aliases", target)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert tomllib.loads(target.read_text())["aliases"] == {
        "JavaScript": ["Javscript"],
        "Kubernetes": ["Kubernets"],
        "Python": ["Pyhton"],
    }
    before = _aditya_on_p108(None)
    after = _aditya_on_p108(load_config(target))
    assert "k8s<-Kubernets (typo 95" in before["matched_skills"]
    assert "k8s<-Kubernets (alias" in after["matched_skills"]
    assert after["skill_score"] == before["skill_score"]  # a typo already counts in full

    again = run("skills", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-c", target,
                "-f", "csv")  # fmt: skip
    kubernetes = next(r for r in rows(again.stdout) if r["skill"] == "Kubernetes")
    assert kubernetes["spellings"] == "Kubernetes; Kubernets; k8s"
    assert "no spelling variants to unify" in again.stderr


def _aditya_on_p108(config) -> dict:
    ranked = gigmatch.match(
        EXAMPLES / "projects.csv", EXAMPLES / "people.csv", config, top=0, project_ids=["P-108"]
    )
    return ranked[ranked.person_id == "F-057"].iloc[0].to_dict()


def test_skills_table_on_a_terminal():
    result = run("skills", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-f", "table")
    assert result.exit_code == 0
    assert "shortest-supplied first" in result.stdout and "COBOL" in result.stdout


@pytest.mark.parametrize("command", ["check", "skills"])
def test_help_has_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout
