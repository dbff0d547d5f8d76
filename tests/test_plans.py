"""Staffing plans a manager can trust (issue 14): weak fills, hard limits, row order, alternates,
fairness, constraints files, infeasibility that says what to change, and week-to-week diffs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES, write
from openpyxl import load_workbook
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.errors import ExitCode
from gigmatch.plan.summary import percent_text
from gigmatch.present.write import records

runner = CliRunner()
EXAMPLE_FILES = (EXAMPLES / "projects.csv", EXAMPLES / "people.csv")


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def plan_json(*args) -> dict:
    result = run("assign", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- honest plans ------------------------------------------------------------------------------


def test_weak_fills_are_flagged_and_counted_on_the_examples():
    plan = plan_json(*EXAMPLE_FILES, "--min-skill", "0")
    by_project = {a["project_id"]: a for a in plan["assignments"]}
    cobol = by_project["P-109"]  # COBOL and Java, staffed with SQL and Tableau
    assert cobol["skill_score"] < 0.5 and "COBOL" in cobol["missing_skills"]
    assert "missing COBOL" in cobol["weak"] and "skill 0.24 < 0.5" in cobol["weak"]
    k8s = by_project["P-108"]  # USD 105 against a $35 budget
    assert k8s["over_budget_pct"] == pytest.approx(200.0) and "200% over budget" in k8s["weak"]
    weak = sum(1 for a in plan["assignments"] if a["weak"])
    assert plan["summary"]["weak"] == weak >= 2
    assert plan["summary"]["weak_skill"] == 0.5


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xlsx", "toml", "md"])
def test_the_flags_are_columns_in_every_format(tmp_path, fmt):
    out = tmp_path / f"plan.{fmt}"
    result = run("assign", *EXAMPLE_FILES, "-o", out, "--alternates", "1")
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        sheets = load_workbook(out).sheetnames
        header = [c.value for c in next(load_workbook(out)["plan"].iter_rows(max_row=1))]
        assert "alternates" in sheets
    elif fmt == "json":
        header = list(json.loads(out.read_text())["assignments"][0])
    elif fmt == "toml":
        text = out.read_text()
        header = [k for k in ("missing_skills", "over_budget_pct", "weak") if f"{k} =" in text]
        header += ["related_credit", "alternates"]  # TOML leaves blanks out; checked above
    else:
        header = out.read_text().splitlines()[0].replace("\\_", "_")  # md escapes _
    for column in ("missing_skills", "related_credit", "over_budget_pct", "weak", "alternates"):
        assert column in header, (fmt, column)


def test_a_shortfall_never_reads_100_percent():
    assert percent_text(9949, 9971) == "99.7%"
    assert percent_text(9970, 9971) == "99.9%"
    assert percent_text(9971, 9971) == "100%"
    result = run("assign", *EXAMPLE_FILES)
    assert "23 of 25 places filled (92.0%)" in result.stderr


# --- hard limits -------------------------------------------------------------------------------


def test_the_default_minimum_skill_leaves_a_place_open_with_the_reason():
    plan = plan_json(*EXAMPLE_FILES)
    assert all(a["skill_score"] >= 0.25 for a in plan["assignments"])
    cobol = next(u for u in plan["unfilled"] if u["project_id"] == "P-109")
    assert cobol["eligible"] == 0 and "skill below 0.25" in cobol["reason"]


def test_min_skill_comes_from_the_config(tmp_path):
    config = write(tmp_path, "gigmatch.toml", "[plan]\nmin_skill = 0.7\n")
    plan = plan_json(*EXAMPLE_FILES, "--config", config)
    assert plan["assignments"] and all(a["skill_score"] >= 0.7 for a in plan["assignments"])
    bad = write(tmp_path, "bad.toml", "[plan]\nmin_skill = 7\n")
    result = run("assign", *EXAMPLE_FILES, "--config", bad)
    assert result.exit_code == ExitCode.CONFIG and "min_skill must be from 0 to 1" in result.stderr


def test_require_all_and_max_over_budget_are_respected():
    plan = plan_json(*EXAMPLE_FILES, "--require-all", "--max-over-budget", "20")
    assert plan["assignments"]
    for fill in plan["assignments"]:
        assert fill["missing_skills"] == ""
        assert fill["over_budget_pct"] is None or fill["over_budget_pct"] <= 20
    reasons = " ".join(u["reason"] for u in plan["unfilled"])
    assert "missing a required skill" in reasons and "more than 20% over budget" in reasons


def test_a_pin_is_kept_whatever_the_limits_say():
    plan = plan_json(*EXAMPLE_FILES, "--require-all", "--pin", "P-109:F-023")
    fill = next(a for a in plan["assignments"] if a["project_id"] == "P-109")
    assert fill["person_id"] == "F-023" and fill["pinned"] and "missing" in fill["weak"]


# --- row order ---------------------------------------------------------------------------------


def agency(seed: int, n_projects: int = 40, n_people: int = 90) -> tuple[str, str]:
    """A small agency whose weekly hours bind (so CP-SAT decides), as CSV text."""
    rng = np.random.default_rng(seed)
    skills = ["Python", "SQL", "React", "Django", "AWS", "Figma", "Go", "Rust"]
    pick = lambda k: "; ".join(rng.choice(skills, size=k, replace=False))  # noqa: E731
    projects = ["id,title,skills,budget,hours,team_size"] + [
        f"P{i:03d},Project {i},{pick(2)},{rng.integers(40, 120)},{rng.integers(2, 7) * 5},"
        f"{rng.integers(1, 4)}"
        for i in range(n_projects)
    ]
    people = ["id,name,skills,rate,hours,capacity,rating"] + [
        f"F{i:03d},Person {i},{pick(3)},{rng.integers(30, 130)},{rng.integers(2, 7) * 5},"
        f"{rng.integers(1, 4)},{rng.choice([4.0, 4.5, 5.0])}"
        for i in range(n_people)
    ]
    return "\n".join(projects) + "\n", "\n".join(people) + "\n"


def shuffled(text: str, rng: np.random.Generator) -> str:
    header, *body = text.strip().split("\n")
    return "\n".join([header, *(body[i] for i in rng.permutation(len(body)))]) + "\n"


def test_the_same_plan_for_any_row_order_when_hours_bind(tmp_path):
    projects, people = agency(3)
    rng = np.random.default_rng(0)
    outputs = set()
    for k in range(4):
        p = write(tmp_path, f"p{k}.csv", projects if k == 0 else shuffled(projects, rng))
        f = write(tmp_path, f"f{k}.csv", people if k == 0 else shuffled(people, rng))
        plan = plan_json(p, f, "--min-skill", "0")
        assert plan["summary"]["method"] == "cp-sat"  # hours bind
        pairs = sorted((a["project_id"], a["person_id"], a["score"]) for a in plan["assignments"])
        outputs.add((json.dumps(pairs), plan["summary"]["total_score"]))
    assert len(outputs) == 1


# --- alternates, fairness, constraints ---------------------------------------------------------


def test_alternates_never_exceed_capacity_or_hours(tmp_path):
    projects, people = agency(5)
    p, f = write(tmp_path, "p.csv", projects), write(tmp_path, "f.csv", people)
    plan = plan_json(p, f, "--alternates", "3", "--min-skill", "0")
    assert plan["alternates"]
    capacity = {r["id"]: int(r["capacity"]) for r in rows(people)}
    hours = {r["id"]: float(r["hours"]) for r in rows(people)}
    need = {r["id"]: float(r["hours"]) for r in rows(projects)}
    load: dict[str, list[str]] = {}
    for a in plan["assignments"]:
        load.setdefault(a["person_id"], []).append(a["project_id"])
    per_project: dict[str, int] = {}
    for alt in plan["alternates"]:
        person, project = alt["person_id"], alt["project_id"]
        mine = load.get(person, [])
        assert project not in mine
        assert len(mine) + 1 <= capacity[person]
        assert sum(need[j] for j in mine) + need[project] <= hours[person] + 1e-9
        per_project[project] = per_project.get(project, 0) + 1
    assert max(per_project.values()) <= 3


FAIR = {("P1", "A"): 100, ("P1", "B"): 50, ("P2", "A"): 45, ("P2", "B"): 5}


def pairs_csv(tmp_path: Path, scores: dict, name: str = "pairs.csv") -> Path:
    lines = ["project_id,person_id,score"] + [f"{p},{f},{s}" for (p, f), s in scores.items()]
    return write(tmp_path, name, "\n".join(lines) + "\n")


def test_fair_raises_the_lowest_project_score_and_says_so(tmp_path):
    scores = pairs_csv(tmp_path, FAIR)
    best = plan_json("--scores", scores)
    assert {(a["project_id"], a["person_id"]) for a in best["assignments"]} == {
        ("P1", "A"),
        ("P2", "B"),
    }
    result = run("assign", "--scores", scores, "--fair", "-f", "json")
    assert result.exit_code == 0, result.output
    fair = json.loads(result.stdout)
    assert {(a["project_id"], a["person_id"]) for a in fair["assignments"]} == {
        ("P1", "B"),
        ("P2", "A"),
    }
    assert fair["summary"]["fairness"] == {
        "lowest": 45.0,
        "total": 95.0,
        "best_total_lowest": 5.0,
        "best_total": 105.0,
        "over": "listed",
        "search": "done",
    }
    assert "--fair: lowest project score 45.0 (best total: 5.0)" in result.stderr
    assert "total 95.0 (best total: 105.0)" in result.stderr


def test_a_constraints_file_equals_the_same_pins_and_forbids(tmp_path):
    rules = write(
        tmp_path,
        "rules.csv",
        "project_id,person_id,rule\nP-101,F-010,pin\nP-102,F-005,forbid\nP-111,F-034,Forbid\n",
    )
    by_file = run("assign", *EXAMPLE_FILES, "--constraints", rules, "-f", "csv")
    by_flags = run(
        "assign", *EXAMPLE_FILES, "--pin", "P-101:F-010", "--forbid", "P-102:F-005",
        "--forbid", "P-111:F-034", "-f", "csv",
    )  # fmt: skip
    assert by_file.exit_code == by_flags.exit_code == 0, by_file.output + by_flags.output
    assert by_file.stdout == by_flags.stdout
    plan = {(r["project_id"], r["person_id"]) for r in rows(by_file.stdout)}
    assert ("P-101", "F-010") in plan and ("P-102", "F-005") not in plan


def test_a_bad_rule_is_located(tmp_path):
    rules = write(tmp_path, "rules.csv", "project_id,person_id,rule\nP-101,F-010,maybe\n")
    result = run("assign", *EXAMPLE_FILES, "--constraints", rules)
    assert result.exit_code == ExitCode.DATA
    assert "rules.csv:2:rule" in result.stderr  # file, row (header = 1), column
    assert "write pin or forbid" in result.stderr


def test_conflicting_pins_name_the_smallest_set_and_the_fix(tmp_path):
    scores = pairs_csv(tmp_path, {("P1", "A"): 9, ("P1", "B"): 8, ("P1", "C"): 7, ("P2", "A"): 1})
    result = run(
        "assign", "--scores", scores, "--pin", "P1:A", "--pin", "P1:B", "--pin", "P1:C",
        "--pin", "P2:A",
    )  # fmt: skip
    assert result.exit_code == ExitCode.INFEASIBLE
    assert "project P1 has a team size of 1 but 2 pins (P1:A, P1:B)" in result.stderr
    assert "drop one of them or raise its team_size to 2" in result.stderr
    assert "person A takes at most 1 projects but is pinned to 2 (P1:A, P2:A)" in result.stderr


# --- week to week ------------------------------------------------------------------------------


OLD_PLAN = """\
project_id,project_title,person_id,person_name,score
P1,Shop,A,Ann,90
P2,Data,B,Bo,80
P3,Brand,C,Cy,70
P3,Brand,D,Di,60
"""
NEW_PLAN = """\
project_id,project_title,person_id,person_name,score
P1,Shop,A,Ann,90
P3,Brand,B,Bo,75
P3,Brand,E,Ed,65
P4,Site,D,Di,50
"""


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_diff_of_two_plans(tmp_path, fmt):
    old, new = write(tmp_path, "old.csv", OLD_PLAN), write(tmp_path, "new.csv", NEW_PLAN)
    result = run("diff", old, new, "-f", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        document = json.loads(result.stdout)
        changes, summary = document["changes"], document["summary"]
        assert summary == {
            **{"joined": 1, "left": 1, "moved": 2, "unchanged": 1},
            **{"old_total": 300.0, "new_total": 280.0, "score_change": -20.0},
        }
    else:
        changes = rows(result.stdout)
    seen = [(c["change"], c["person_id"], c["from_project"], c["to_project"]) for c in changes]
    assert seen == [
        ("joined", "E", "", "P3"),
        ("moved", "B", "P2", "P3"),
        ("moved", "D", "P3", "P4"),
        ("left", "C", "P3", ""),
    ]
    assert "1 joined, 1 left, 2 moved, 1 unchanged" in result.stderr
    assert "300.0 -> 280.0 (-20.0)" in result.stderr


def test_diff_previous_summarises_the_change_since_last_week(tmp_path):
    last = tmp_path / "last.csv"
    assert run("assign", *EXAMPLE_FILES, "-o", last).exit_code == 0
    result = run(
        "assign", *EXAMPLE_FILES, "--forbid", "P-101:F-001", "--keep-previous", last,
        "--diff-previous", "-f", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "since last.csv: 1 joined, 1 left, 0 moved" in result.stderr
    lonely = run("assign", *EXAMPLE_FILES, "--diff-previous")
    assert lonely.exit_code == ExitCode.USAGE and "--keep-previous" in lonely.output


def test_the_library_twin_of_diff_is_the_command(tmp_path):
    import gigmatch

    old, new = write(tmp_path, "old.csv", OLD_PLAN), write(tmp_path, "new.csv", NEW_PLAN)
    change = gigmatch.diff(old, new)
    cli = json.loads(run("diff", old, new, "-f", "json").stdout)
    assert records(change.changes) == cli["changes"]
    assert change.summary.score_change == cli["summary"]["score_change"] == -20.0


def test_diff_cannot_write_over_a_plan_it_reads(tmp_path):
    old, new = write(tmp_path, "old.csv", OLD_PLAN), write(tmp_path, "new.csv", NEW_PLAN)
    result = run("diff", old, new, "-o", new)
    assert result.exit_code != 0
    assert new.read_text() == NEW_PLAN


def test_related_credit_is_the_share_earned_through_another_spelling(projects_csv, people_csv):
    plan = plan_json(projects_csv, people_csv, "--pin", "P2:F3", "--pin", "P2:F5")
    fills = {a["person_id"]: a for a in plan["assignments"] if a["project_id"] == "P2"}
    cy, ed = fills["F3"], fills["F5"]  # Cy wrote "Pyhton"; Ed wrote "python3"
    assert "fuzzy" in cy["matched_skills"] and 0 < cy["related_credit"] <= 0.5
    assert ed["related_credit"] == 0.0  # python3 is Python itself (an alias)


def test_fair_and_fill_first_are_not_combined(tmp_path):
    result = run("assign", "--scores", pairs_csv(tmp_path, FAIR), "--fair", "--fill-first")
    assert result.exit_code == ExitCode.USAGE and "--fair and --fill-first" in result.stderr


def test_fair_evens_out_the_staffed_projects_when_one_cannot_be_staffed(tmp_path):
    # P3's only candidate is A, who is worth more elsewhere: the lowest over every project with
    # a candidate would stay 0 whatever --fair does, so it evens out the staffed ones instead.
    scores = {**FAIR, ("P3", "A"): 1}
    result = run("assign", "--scores", pairs_csv(tmp_path, scores), "--fair", "-f", "json")
    assert result.exit_code == 0, result.output
    fair = json.loads(result.stdout)
    assert fair["summary"]["fairness"]["over"] == "staffed"
    assert fair["summary"]["fairness"]["lowest"] == 45.0
    assert "among the projects the best-total plan staffs 45.0" in result.stderr


def test_a_mistyped_forbid_is_an_error_not_ignored(tmp_path):
    rules = write(tmp_path, "rules.csv", "project_id,person_id,rule\nP-101,F-9999,forbid\n")
    result = run("assign", *EXAMPLE_FILES, "--constraints", rules)
    assert result.exit_code == ExitCode.USAGE
    assert "--forbid (or --constraints): no person with id 'F-9999'" in result.stderr


def test_gigmatch_config_lists_the_plan_settings_and_their_source(tmp_path):
    config = write(tmp_path, "gigmatch.toml", "[plan]\nmin_skill = 0.4\n")
    result = run("config", "--config", config, "-f", "csv")
    assert result.exit_code == 0, result.output
    settings = {r["setting"]: r for r in rows(result.stdout)}
    assert settings["plan.min_skill"]["value"] == "0.4"
    assert settings["plan.min_skill"]["source"] == str(config)
    assert (settings["plan.weak_skill"]["value"], settings["plan.weak_skill"]["source"]) == (
        "0.5",
        "default",
    )
