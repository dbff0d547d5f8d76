"""`gigmatch explain`: every component, skill, filter and history record behind one score."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, write
from typer.testing import CliRunner

import gigmatch
from gigmatch.api import explain
from gigmatch.cli.app import app
from gigmatch.errors import UsageError
from gigmatch.score.components import Filters

runner = CliRunner()
HISTORY = str(EXAMPLES / "history.csv")
AS_OF = "2026-11-20"


def run_json(*args: str) -> dict:
    result = runner.invoke(app, ["explain", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def match_row(projects, people, project, person, **options):
    ranked = gigmatch.match(projects, people, top=0, project_ids=[project], **options)
    return ranked.set_index("person_id").loc[person]


def test_components_weights_and_shares(projects_csv, people_csv):
    data = run_json(str(projects_csv), str(people_csv), "P1", "F1")
    parts = {c["component"]: c for c in data["components"]}
    assert list(parts) == ["skill", "rating", "reliability", "rate", "availability", "timezone"]
    assert parts["skill"]["weight"] == 0.45
    assert sum(c["points"] for c in parts.values()) == pytest.approx(data["score"], abs=1e-3)
    assert sum(c["share"] for c in parts.values()) == pytest.approx(1.0, abs=1e-3)
    for c in parts.values():
        assert c["points"] == pytest.approx(100 * c["weight"] * c["value"], abs=1e-3)
    row = match_row(projects_csv, people_csv, "P1", "F1")
    assert data["score"] == pytest.approx(row.score, abs=0.05)
    assert parts["rating"]["value"] == pytest.approx(row.rating_score, abs=5e-4)
    assert data["standing"]["rank"] == row["rank"] == 1
    assert data["excluded_by"] == []


def test_skills_say_how_they_matched_or_why_not(projects_csv, people_csv):
    skills = {
        s["wanted"]: s for s in run_json(str(projects_csv), str(people_csv), "P1", "F1")["skills"]
    }
    assert skills["React"]["offered"] == "ReactJS" and skills["React"]["how"] == "knowledge base"
    assert (skills["React"]["wanted_level"], skills["React"]["offered_level"]) == (4, 5)
    assert skills["PostgreSQL"]["how"] == "knowledge base"
    assert skills["Docker"]["kind"] == "nice_to_have" and skills["Docker"]["how"] == "exact"
    assert skills["React"]["weight"] == pytest.approx(4 / 7, abs=1e-4)  # level 4 vs default 3
    p2 = {
        s["wanted"]: s for s in run_json(str(projects_csv), str(people_csv), "P2", "F3")["skills"]
    }
    assert p2["Python"]["how"] == "typo 83" and p2["Python"]["offered"] == "Pyhton"
    assert p2["Python"]["similarity"] == 1  # a typo of Python is Python, in full
    p3 = {
        s["wanted"]: s for s in run_json(str(projects_csv), str(people_csv), "P3", "F4")["skills"]
    }
    assert p3["UX design"]["how"] == "missing"
    assert p3["UX design"]["reason"].startswith("closest is 'UI design'")
    mysql = {
        s["wanted"]: s for s in run_json(str(projects_csv), str(people_csv), "P2", "F5")["skills"]
    }
    assert mysql["SQL"]["how"] == "related" and mysql["SQL"]["relation"] == "narrower"
    assert mysql["SQL"]["via"] == "MySQL implies SQL" and mysql["SQL"]["source"] == "knowledge base"
    assert mysql["SQL"]["credit"] == pytest.approx(0.8)


def test_filtered_pair_is_still_explained(projects_csv, people_csv):
    """Bo Chen has React Native, not React: not a candidate for P1, yet explained."""
    data = run_json(str(projects_csv), str(people_csv), "P1", "F2")
    assert data["excluded_by"] == ["not a candidate: matches none of the required skills"]
    assert data["standing"]["rank"] is None
    assert data["standing"]["top_person_id"] == "F1"
    assert data["standing"]["gap"] == pytest.approx(
        data["standing"]["top_score"] - data["score"], abs=1e-3
    )
    budget = run_json(str(projects_csv), str(people_csv), "P2", "F5", "--max-over-budget", "10")
    assert budget["excluded_by"] == ["--max-over-budget 10: rate 90 is over 88 (budget 80)"]
    assert budget["standing"]["rank"] is None
    assert budget["standing"]["would_rank"] >= 1
    strict = run_json(
        str(projects_csv), str(people_csv), "P2", "F5", "--require-all", "--min-score", "99"
    )
    assert strict["excluded_by"] == [
        "--require-all: matches 1 of 2 required skills",
        f"--min-score 99: score {strict['score']:.1f} is below it",
    ]


def test_distance_to_the_top_candidate(projects_csv, people_csv):
    ranked = gigmatch.match(projects_csv, people_csv, top=0, project_ids=["P2"])
    last = ranked.iloc[-1]
    data = run_json(str(projects_csv), str(people_csv), "P2", last.person_id)
    s = data["standing"]
    assert (s["rank"], s["candidates"]) == (last["rank"], len(ranked))
    assert s["top_person_id"] == ranked.iloc[0].person_id
    assert s["gap"] == pytest.approx(ranked.iloc[0].score - last.score, abs=0.1)


def test_history_records_most_influential_first_and_adding_up():
    args = [str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv"), "P-114", "F-044"]
    data = run_json(*args, "--history", HISTORY, "--as-of", AS_OF)
    h = data["history"]
    assert h["as_of"] == AS_OF and h["records"] == 13
    points = [line["points"] for line in h["lines"]]
    assert [abs(p) for p in points] == sorted((abs(p) for p in points), reverse=True)
    top = h["lines"][0]  # his most recent UI design job: 3.5 and late
    assert (top["project_id"], top["rating"], top["on_time"]) == ("H-2026-136", 3.5, 0.0)
    assert top["matched_skills"] == ["UI Design"] and top["points"] < 0
    # pool mean + people.csv + every record = the rating and on-time points of the score
    parts = {c["component"]: c for c in data["components"]}
    base = 100 * (0.15 * h["pool_rating"] / 5 + 0.10 * h["pool_on_time"])
    total = base + h["people_csv_points"] + sum(points)
    assert total == pytest.approx(
        parts["rating"]["points"] + parts["reliability"]["points"], abs=0.01
    )
    row = match_row(
        EXAMPLES / "projects.csv",
        EXAMPLES / "people.csv",
        "P-114",
        "F-044",
        history=HISTORY,
        as_of=AS_OF,
    )
    assert data["score"] == pytest.approx(row.score, abs=0.05)
    assert data["standing"]["rank"] == row["rank"]


def test_repeat_client_record_is_marked():
    e = explain(
        EXAMPLES / "projects.csv",
        EXAMPLES / "people.csv",
        "P-111",
        "F-034",
        history=HISTORY,
        as_of=AS_OF,
    )
    assert e.history is not None
    same = [line for line in e.history.lines if line.same_client]
    assert len(same) == 20 and all(line.client == "Keel & Marsh LLP" for line in same)
    # 20 repeat jobs lift her rating_score above 1 before the cap; the parts add up to it
    rating = e.components[1]
    assert rating.component == "rating" and rating.value == 1.0 < e.history.uncapped_rating
    parts = 100 * 0.15 * e.history.uncapped_rating
    base = 100 * 0.15 * (e.history.pool_rating / 5) + 100 * 0.10 * e.history.pool_on_time
    records = sum(line.points for line in e.history.lines)
    reliability = e.components[2].points
    assert base + e.history.people_csv_points + records == pytest.approx(parts + reliability)


def test_without_history_there_is_no_history_part(projects_csv, people_csv):
    assert run_json(str(projects_csv), str(people_csv), "P1", "F1")["history"] is None


def test_unknown_ids_suggest_close_ones(projects_csv, people_csv):
    result = runner.invoke(app, ["explain", str(projects_csv), str(people_csv), "P1", "F11"])
    assert result.exit_code == 2
    assert "no person with id 'F11'; did you mean F1" in result.stderr
    with pytest.raises(UsageError, match="no project with id 'X9'"):
        explain(projects_csv, people_csv, "X9", "F1")


def test_formats(projects_csv, people_csv, tmp_path):
    args = ["explain", str(projects_csv), str(people_csv), "P2", "F3"]
    bad = runner.invoke(app, [*args, "-f", "csv"])
    assert bad.exit_code == 2 and "explain writes --format table or json" in bad.stderr
    piped = runner.invoke(app, args)  # not a terminal: JSON
    assert json.loads(piped.stdout)["person_id"] == "F3"
    table = runner.invoke(app, [*args, "-f", "table"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    for text in ("Score components", "Python", "Pyhton", "typo", "rank 1 of 2 candidates"):
        assert text in table.stdout
    out = tmp_path / "e.json"
    assert runner.invoke(app, [*args, "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text())["project_id"] == "P2"


@pytest.mark.parametrize("name", ["e.csv", "e.md", "e"])
def test_output_that_is_not_json_is_refused_unless_json_is_asked_of_a_plain_name(
    projects_csv, people_csv, tmp_path, name
):
    args = ["explain", str(projects_csv), str(people_csv), "P2", "F3", "-o", str(tmp_path / name)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert f"'{name}' is not a .json file: name it .json, or add --format json" in refused.stderr
    assert not (tmp_path / name).exists()
    asked = runner.invoke(app, [*args, "--format", "json"])
    if name == "e":  # no extension to disagree with
        assert asked.exit_code == 0, asked.output
        assert json.loads((tmp_path / name).read_text())["person_id"] == "F3"
    else:  # a .csv or .md name with --format json: the two must agree
        assert asked.exit_code == 2 and "--format json does not match" in asked.stderr
        assert not (tmp_path / name).exists()


def test_standing_words_for_a_pair_left_out(tmp_path):
    projects = write(tmp_path, "p.csv", "id,title,skills\nP,Go job,Go\nQ,Rust job,Rust\n")
    people = write(tmp_path, "f.csv", "id,name,skills\nA,Ann,\nB,Ben,Go\n")
    base = ["explain", str(projects), str(people), "-f", "table"]
    behind = runner.invoke(app, [*base, "P", "A"], env={"COLUMNS": "200"})
    assert behind.exit_code == 0, behind.output
    assert "not listed; by score it would rank 2 of 2" in behind.stdout
    alone = runner.invoke(app, [*base, "Q", "A"], env={"COLUMNS": "200"})
    assert alone.exit_code == 0, alone.output
    assert "not listed, and no one is listed for this project" in alone.stdout
    assert "of 0" not in alone.stdout


def test_library_filters_match_cli(projects_csv, people_csv):
    e = explain(projects_csv, people_csv, "P2", "F5", filters=Filters(max_over_budget=10))
    assert e.excluded_by and e.standing.rank is None
    assert e.to_dict()["standing"]["candidates"] == e.standing.candidates


def test_person_without_skills_is_explained(tmp_path):
    projects = write(tmp_path, "p.csv", "id,title,skills\nP,Go job,Go\n")
    people = write(tmp_path, "f.csv", "id,name,skills\nA,Ann,\nB,Ben,Go\n")
    data = run_json(str(projects), str(people), "P", "A")
    assert data["skills"][0]["reason"] == "the person lists no skills"
    assert data["standing"] == {
        "rank": None, "would_rank": 2, "candidates": 1, "top_person_id": "B",
        "top_person_name": "Ben", "top_score": data["standing"]["top_score"],
        "gap": data["standing"]["gap"],
    }  # fmt: skip


def test_table_shows_markup_from_files_as_written(tmp_path):
    projects = write(tmp_path, "p.csv", "id,title,skills,client\nP,Go job,Go,[red]Acme\n")
    people = write(tmp_path, "f.csv", "id,name,skills\nA,[blink]Ann,Go\n")
    history = write(
        tmp_path,
        "h.csv",
        "person_id,project_id,date,rating,client\nA,[b]H1,2026-01-01,5,[red]Acme\n",
    )
    args = ["explain", str(projects), str(people), "P", "A", "-H", str(history), "-f", "table"]
    result = runner.invoke(app, [*args, "--as-of", "2026-02-01"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for text in ("[blink]Ann", "[b]H1", "[red]Acme (same client)"):
        assert text in result.stdout
