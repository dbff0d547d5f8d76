"""The library twin of each command gives what the command prints, from paths alone."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import EXAMPLES, write
from typer.testing import CliRunner

import gigmatch
from gigmatch.cli.app import app
from gigmatch.errors import ExitCode, UsageError
from gigmatch.present.write import records

runner = CliRunner()
PROJECTS, PEOPLE, HISTORY = (
    str(EXAMPLES / f) for f in ("projects.csv", "people.csv", "history.csv")
)
AS_OF = "2026-11-20"


def cli_json(*args: str):
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_match():
    frame = gigmatch.match(PROJECTS, PEOPLE, top=3, history=HISTORY, as_of=AS_OF)
    cli = cli_json("match", PROJECTS, PEOPLE, "-n", "3", "-H", HISTORY, "--as-of", AS_OF)
    assert records(frame) == cli


def test_match_rejects_an_unknown_kept_column_like_the_cli():
    with pytest.raises(UsageError, match="no column 'nope'"):
        gigmatch.match(PROJECTS, PEOPLE, keep=["nope"])
    result = runner.invoke(app, ["match", PROJECTS, PEOPLE, "--keep", "nope"])
    assert result.exit_code == ExitCode.USAGE and "no column 'nope'" in result.stderr


def test_a_kept_skills_column_is_written_as_its_cells():
    """`--keep skills` passes the column through as text, in every format (JSON used to fail
    on the parsed lists, and CSV to show their repr)."""
    with open(PEOPLE, encoding="utf-8") as file:
        people = {r["ID"]: r["Skills"] for r in csv.DictReader(file)}
    result = runner.invoke(app, ["match", PROJECTS, PEOPLE, "--keep", "skills", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    for row in rows:
        cell = people[row["person_id"]]  # "a; b", "a, b" or "['a', 'b']"
        written = [s.strip() for s in re.split(r"[;,\[\]'\"]", cell) if s.strip()]
        assert row["skills"].split("; ") == written  # the cell's items, "; " between them
    text = runner.invoke(app, ["match", PROJECTS, PEOPLE, "--keep", "skills", "-f", "csv"])
    assert "SkillItem" not in text.stdout
    assert [r["skills"] for r in csv.DictReader(io.StringIO(text.stdout))] == [
        r["skills"] for r in rows
    ]


def test_a_parsed_frame_passed_back_is_not_parsed_again():
    projects = gigmatch.read_input(PROJECTS, "projects")
    people = gigmatch.read_input(PEOPLE, "people")
    again = gigmatch.match(projects, people)
    assert again.equals(gigmatch.match(PROJECTS, PEOPLE))
    assert not again["matched_skills"].str.contains("SkillItem").any()
    cheap = people[people["rate"] < people["rate"].median()]  # a slice is still parsed
    assert set(gigmatch.match(projects, cheap)["person_id"]) <= set(cheap["id"])


def test_assign():
    plan = gigmatch.assign(PROJECTS, PEOPLE)
    cli = cli_json("assign", PROJECTS, PEOPLE)
    assert records(plan.assignments) == cli["assignments"]


def test_check():
    report = gigmatch.check(PROJECTS, PEOPLE, HISTORY)
    cli = cli_json("check", PROJECTS, PEOPLE, "-H", HISTORY)
    assert [p.code for p in report.problems] == [row["code"] for row in cli]


def test_vocabulary_is_the_skills_command():
    report = gigmatch.vocabulary(PROJECTS, PEOPLE)
    assert records(report.frame) == cli_json("skills", PROJECTS, PEOPLE)
    assert [s.variant for s in report.suggestions] == ["Javscript", "Kubernets", "Pyhton"]


def test_explain():
    e = gigmatch.explain(PROJECTS, PEOPLE, "P-114", "F-044", history=HISTORY, as_of=AS_OF)
    cli = cli_json("explain", PROJECTS, PEOPLE, "P-114", "F-044", "-H", HISTORY, "--as-of", AS_OF)
    assert e.to_dict() == cli


def test_tune():
    result = gigmatch.tune(HISTORY, PEOPLE, as_of=AS_OF)
    assert result.to_dict() == cli_json("tune", HISTORY, "--people", PEOPLE, "--as-of", AS_OF)


def test_forecast_accepts_paths():
    outlook = gigmatch.forecast(HISTORY, people=PEOPLE, as_of=AS_OF)
    cli = cli_json("forecast", HISTORY, "--people", PEOPLE, "--as-of", AS_OF)
    assert {name: records(frame) for name, frame in outlook.tables.items()} == cli


def test_price_accepts_paths():
    frame = gigmatch.price(PROJECTS, PEOPLE, history=HISTORY)
    assert records(frame) == cli_json("price", PROJECTS, PEOPLE, "-H", HISTORY)


def test_report(tmp_path):
    html = gigmatch.report(PROJECTS, PEOPLE, history=HISTORY, as_of=AS_OF).html
    out = tmp_path / "r.html"
    args = ["report", PROJECTS, PEOPLE, "-H", HISTORY, "--as-of", AS_OF, "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == html


def test_config_may_be_a_path(tmp_path):
    config = write(tmp_path, "g.toml", "[weights]\nskills = 1\nrating = 0\nreliability = 0\n"
                   "rate = 0\navailability = 0\ntimezone = 0\n")  # fmt: skip
    only_skills = gigmatch.match(PROJECTS, PEOPLE, config, top=1)
    assert (only_skills["score"] == (100 * only_skills["skill_score"]).round(1)).all()


# ---- every input a command reads is protected from -o -----------------------------------------

CONFIG_TEXT = "[weights]\nskills = 0.5\n"


def _inputs(tmp_path):
    copies = {}
    for name in ("projects.csv", "people.csv", "history.csv"):
        copies[name] = write(tmp_path, name, (EXAMPLES / name).read_text(encoding="utf-8"))
    copies["gigmatch.toml"] = write(tmp_path, "gigmatch.toml", CONFIG_TEXT)
    return copies


COMMANDS = {
    "match": lambda f: ["match", f["projects.csv"], f["people.csv"], "-H", f["history.csv"]],
    "assign": lambda f: ["assign", f["projects.csv"], f["people.csv"], "-H", f["history.csv"]],
    "check": lambda f: ["check", f["projects.csv"], f["people.csv"], "-H", f["history.csv"]],
    "skills": lambda f: ["skills", f["projects.csv"], f["people.csv"]],
    "explain": lambda f: [
        "explain",
        f["projects.csv"],
        f["people.csv"],
        "P-101",
        "F-009",
        "-H",
        f["history.csv"],
    ],  # fmt: skip
    "tune": lambda f: ["tune", f["history.csv"], "--people", f["people.csv"]],
    "forecast": lambda f: ["forecast", f["history.csv"], "--people", f["people.csv"]],
    "price": lambda f: ["price", f["projects.csv"], f["people.csv"], "-H", f["history.csv"]],
}


READS = {
    command: [name for name in ("projects.csv", "people.csv", "history.csv")
              if name in {str(a) for a in make({n: n for n in ("projects.csv", "people.csv",
                                                                "history.csv")})}]
    + ["gigmatch.toml"]
    for command, make in COMMANDS.items()
}  # fmt: skip


@pytest.mark.parametrize(("command", "target"), [(c, t) for c in sorted(READS) for t in READS[c]])
def test_no_input_can_be_the_output(tmp_path, command, target):
    files = _inputs(tmp_path)
    args = [str(a) for a in COMMANDS[command](files)]
    before = {name: path.read_bytes() for name, path in files.items()}
    config = ["-c", str(files["gigmatch.toml"])]
    result = runner.invoke(app, [*args, *config, "-o", str(files[target]), "-f", "json"])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "never edits its inputs" in result.stderr
    assert {name: path.read_bytes() for name, path in files.items()} == before


def test_report_cannot_write_over_its_plan(tmp_path):
    files = _inputs(tmp_path)
    plan = write(tmp_path, "plan.csv", "project_id,person_id\nP-101,F-009\n")
    args = ["report", str(files["projects.csv"]), str(files["people.csv"]), "--plan", str(plan)]
    result = runner.invoke(app, [*args, "-o", str(plan)])
    assert (
        result.exit_code == ExitCode.USAGE
        and plan.read_text() == "project_id,person_id\nP-101,F-009\n"
    )


def test_the_implicit_config_is_protected(tmp_path, monkeypatch):
    files = _inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = ["match", "projects.csv", "people.csv", "-o", "gigmatch.toml", "-f", "toml"]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert files["gigmatch.toml"].read_text() == CONFIG_TEXT


def test_match_csv_parses(tmp_path):
    result = runner.invoke(app, ["match", PROJECTS, PEOPLE, "-f", "csv", "-n", "1"])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 22
