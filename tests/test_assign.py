"""`gigmatch assign`: plans from scores, controls, reasons, formats, and an external benchmark."""

from __future__ import annotations

import csv
import io
import itertools
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from conftest import EXAMPLES, write
from openpyxl import load_workbook
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.errors import ExitCode

runner = CliRunner()
ORLIB = Path(__file__).resolve().parent / "data" / "orlib" / "assign100.txt"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def pairs_csv(tmp_path: Path, scores: dict[tuple[str, str], float], name="pairs.csv") -> Path:
    lines = ["project_id,person_id,score"] + [f"{p},{f},{s}" for (p, f), s in scores.items()]
    return write(tmp_path, name, "\n".join(lines) + "\n")


# A strong freelancer tops both lists: greedy gives A to P1 (90) and leaves P2 with C (10).
CONTESTED = {("P1", "A"): 90, ("P1", "B"): 85, ("P2", "A"): 80, ("P2", "C"): 10}


def test_optimal_not_greedy(tmp_path):
    result = run("assign", "--scores", pairs_csv(tmp_path, CONTESTED))
    assert result.exit_code == 0, result.output
    plan = {(r["project_id"], r["person_id"]) for r in rows(result.stdout)}
    assert plan == {("P1", "B"), ("P2", "A")}  # 165 beats greedy's 100
    assert "total score 165" in result.stderr and "proven optimal" in result.stderr


def test_pins_forbids_and_previous(tmp_path):
    scores = pairs_csv(tmp_path, CONTESTED)
    pinned = rows(run("assign", "--scores", scores, "--pin", "P1:A").stdout)
    assert {(r["project_id"], r["person_id"]) for r in pinned} == {("P1", "A"), ("P2", "C")}
    assert pinned[0]["pinned"] == "True"
    forbidden = rows(run("assign", "--scores", scores, "--forbid", "P2:A").stdout)
    assert {(r["project_id"], r["person_id"]) for r in forbidden} == {("P1", "A"), ("P2", "C")}
    previous = write(tmp_path, "last.csv", "project_id,person_id\nP1,A\nP2,C\n")
    kept = run("assign", "--scores", scores, "--keep-previous", previous, "--keep-bonus", "60")
    assert {(r["project_id"], r["person_id"]) for r in rows(kept.stdout)} == {
        ("P1", "A"),
        ("P2", "C"),
    }
    assert all(r["kept"] == "True" for r in rows(kept.stdout))


def test_infeasible_pins_are_a_clear_error(tmp_path):
    result = run(
        "assign", "--scores", pairs_csv(tmp_path, CONTESTED), "--pin", "P1:A", "--pin", "P1:B"
    )
    assert result.exit_code == ExitCode.INFEASIBLE
    assert "the pins cannot all be kept" in result.stderr and "project P1 " in result.stderr
    bad = run("assign", "--scores", pairs_csv(tmp_path, CONTESTED), "--pin", "P1:Z")
    assert bad.exit_code == ExitCode.USAGE


def test_unfilled_places_say_why(tmp_path, projects_csv, people_csv):
    projects = write(
        tmp_path,
        "p.csv",
        "id,title,skills,team_size,hours\nP1,Web,React,1,10\nP2,Web too,React,1,40\n"
        "P3,Old,COBOL,1,10\n",
    )
    people = write(tmp_path, "f.csv", "id,name,skills,hours\nF1,Ann,React,20\n")
    result = run("assign", projects, people, "-f", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    reasons = {u["project_id"]: u["reason"] for u in plan["unfilled"]}
    assert reasons == {"P2": "everyone eligible is taken", "P3": "nobody eligible"}
    assert plan["summary"]["filled"] == 1 and plan["summary"]["places"] == 3
    assert plan["free_people"] == []


def test_team_sizes_capacities_and_hours_from_the_csvs(tmp_path):
    projects = write(
        tmp_path,
        "p.csv",
        "id,title,skills,team_size,hours\nP1,Big,Python,2,20\nP2,Small,Python,1,20\n",
    )
    people = write(
        tmp_path,
        "f.csv",
        "id,name,skills,capacity,hours\nA,Ann,Python,2,30\nB,Bo,Python,2,40\nC,Cy,Python,1,10\n",
    )
    plan = json.loads(run("assign", projects, people, "-f", "json").stdout)
    team = {}
    for a in plan["assignments"]:
        team.setdefault(a["person_id"], []).append(a["project_id"])
    assert len(plan["assignments"]) == 3
    assert "C" not in team  # 10 hours cannot cover a 20-hour project
    assert all(len(v) <= 1 for k, v in team.items() if k == "A")  # 30 hours: one project


def test_matches_brute_force_on_random_score_files(tmp_path):
    rng = np.random.default_rng(3)
    for trial in range(15):
        scores = {
            (f"P{p}", f"F{f}"): int(rng.integers(1, 100))
            for p, f in itertools.product(range(3), range(4))
            if rng.random() < 0.7
        }
        result = run(
            "assign", "--scores", pairs_csv(tmp_path, scores, f"s{trial}.csv"), "-f", "json"
        )
        assert result.exit_code == 0, result.output
        total = json.loads(result.stdout)["summary"]["total_score"]
        assert total == pytest.approx(_brute_force(scores))


def _brute_force(scores: dict[tuple[str, str], float]) -> float:
    """Best one-to-one total by trying every subset of pairs."""
    pairs = list(scores)
    best = 0.0
    for size in range(len(pairs) + 1):
        for subset in itertools.combinations(pairs, size):
            projects, people = [p for p, _ in subset], [f for _, f in subset]
            if len(set(projects)) == size and len(set(people)) == size:
                best = max(best, sum(scores[s] for s in subset))
    return best


def test_or_library_assign100_published_optimum(tmp_path):
    """Beasley's assign100 (OR-Library): minimum cost 305. Score = 101 - cost, so the best plan
    fills all 100 places for a total of 100 * 101 - 305."""
    numbers = [int(t) for t in ORLIB.read_text().split()]
    n, costs = numbers[0], np.array(numbers[1:]).reshape(numbers[0], numbers[0])
    lines = ["project_id,person_id,score"]
    lines += [f"R{i},C{j},{101 - costs[i, j]}" for i in range(n) for j in range(n)]
    result = run(
        "assign", "--scores", write(tmp_path, "a.csv", "\n".join(lines) + "\n"), "-f", "json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["summary"]
    assert summary["filled"] == 100
    assert summary["total_score"] == 100 * 101 - 305
    assert summary["status"] == "optimal"


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "toml", "xlsx", "md"])
def test_examples_plan_in_every_format(tmp_path, fmt):
    out = tmp_path / f"plan.{fmt}"
    args = ["assign", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-o", out]
    result = run(*args)
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        plan = rows(out.read_text())
        assert list(plan[0])[:5] == [
            "project_id",
            "project_title",
            "person_id",
            "person_name",
            "score",
        ]
        people = [r["person_id"] for r in plan]
    elif fmt == "json":
        people = [r["person_id"] for r in json.loads(out.read_text())["assignments"]]
    elif fmt == "jsonl":
        people = [json.loads(line)["person_id"] for line in out.read_text().splitlines()]
    elif fmt == "toml":
        doc = tomllib.loads(out.read_text())
        people = [m["person_id"] for p in doc["projects"].values() for m in p["team"]]
        assert doc["summary"]["status"] == "optimal"
    elif fmt == "xlsx":
        book = load_workbook(out)
        assert book.sheetnames == ["plan", "unfilled", "free_people", "summary"]
        people = [r[2] for r in book["plan"].iter_rows(min_row=2, values_only=True)]
    else:
        people = [line.split(" | ")[2] for line in out.read_text().splitlines()[2:]]
    assert len(people) >= 15
    assert out.read_bytes() == _again(tmp_path, args, fmt)


def _again(tmp_path: Path, args: list, fmt: str) -> bytes:
    second = tmp_path / f"again.{fmt}"
    assert run(*args[:-1], second).exit_code == 0
    return second.read_bytes()


def test_failed_run_leaves_existing_output(tmp_path):
    out = write(tmp_path, "plan.csv", "old plan\n")
    result = run(
        "assign",
        "--scores",
        pairs_csv(tmp_path, CONTESTED),
        "--pin",
        "P1:A",
        "--pin",
        "P1:B",
        "-o",
        out,
    )
    assert result.exit_code == ExitCode.INFEASIBLE
    assert out.read_text() == "old plan\n"


def test_scores_file_errors_are_located(tmp_path):
    bad = write(tmp_path, "s.csv", "project_id,person_id,score\nP1,A,lots\nP1,A,3\nP1,A,4\n")
    result = run("assign", "--scores", bad)
    assert result.exit_code == ExitCode.DATA
    assert f"{bad}:2:score: error:" in result.stderr
    assert f"{bad}:4:person_id: error: this pair is listed twice" in result.stderr


def test_library_assign_matches_the_cli(tmp_path):
    import gigmatch

    plan = gigmatch.assign(EXAMPLES / "projects.csv", EXAMPLES / "people.csv")
    cli = json.loads(
        run("assign", EXAMPLES / "projects.csv", EXAMPLES / "people.csv", "-f", "json").stdout
    )
    assert plan.summary.total_score == cli["summary"]["total_score"]
    assert plan.assignments["person_id"].tolist() == [a["person_id"] for a in cli["assignments"]]
    pinned = gigmatch.assign(
        EXAMPLES / "projects.csv",
        EXAMPLES / "people.csv",
        controls=gigmatch.Controls(pins=[("P-101", "F-009")]),
    )
    row = pinned.assignments.set_index("project_id").loc["P-101"]
    assert row["person_id"] == "F-009" and bool(row["pinned"])
    assert pinned.summary.total_score < plan.summary.total_score


def test_exhausted_candidate_lists_are_pointed_out(tmp_path):
    projects = write(tmp_path, "p.csv", "id,title,skills\nP1,Web,React\nP2,Web too,React\n")
    people = write(
        tmp_path, "f.csv", "id,name,skills,rating,reviews\nA,Ann,React,5,90\nB,Bo,React,3,90\n"
    )
    short = run("assign", projects, people, "--candidates", "1", "-f", "json")
    plan = json.loads(short.stdout)
    assert plan["summary"]["filled"] == 1 and len(plan["summary"]["candidates_exhausted"]) == 1
    assert "--candidates 2 may fill them" in short.stderr
    full = json.loads(run("assign", projects, people, "--candidates", "2", "-f", "json").stdout)
    assert full["summary"]["filled"] == 2 and full["summary"]["candidates_exhausted"] == []
