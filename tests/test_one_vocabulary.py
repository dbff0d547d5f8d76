"""One skill index serves every feature: the same skill has the same supply everywhere."""

from __future__ import annotations

import csv
import io

from conftest import EXAMPLES, write
from typer.testing import CliRunner

import gigmatch
from gigmatch.cli.app import app
from gigmatch.insights.forecast import forecast, supply_frame
from gigmatch.present.report import skill_demand
from gigmatch.read.config import Config, config_from_dict

runner = CliRunner()
PROJECTS, PEOPLE, HISTORY = (
    str(EXAMPLES / f) for f in ("projects.csv", "people.csv", "history.csv")
)


def test_skills_report_and_forecast_count_the_same_people():
    result = runner.invoke(app, ["skills", PROJECTS, PEOPLE, "-f", "csv"])
    assert result.exit_code == 0, result.output
    skills = {row["skill"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    projects = gigmatch.read_input(PROJECTS, "projects")
    people = gigmatch.read_input(PEOPLE, "people")
    history = gigmatch.read_input(HISTORY, "history")
    report = skill_demand(projects, people, Config()).set_index("skill")
    outlook = forecast(history, Config(), people=people, skills=["Python"], as_of="2026-11-20")
    ahead = supply_frame(outlook).set_index("skill")
    assert int(skills["Python"]["people"]) == report.loc["Python", "people"] == 13
    assert ahead.loc["Python", "people"] == 13


def test_forecast_skill_honours_user_aliases(tmp_path):
    history = write(
        tmp_path,
        "history.csv",
        "person_id,project_id,date,skills\n"
        + "".join(f"F{i},P{i},2026-0{1 + i % 6}-10,Quantum Widgets\n" for i in range(12)),
    )
    config = config_from_dict({"aliases": {"Quantum Widgets": ["qw"]}})
    result = forecast(gigmatch.read_input(history, "history"), config, skills=["qw"])
    assert result.demand.names == ["Quantum Widgets"]
