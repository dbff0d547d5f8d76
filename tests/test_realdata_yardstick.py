"""The real-data yardstick (benchmarks/realdata) measures what it says, on tiny named files.

The real exports stay outside the repository; these tests check the measuring code itself:
NDCG by hand, the TF-IDF baseline's ranking, the skill-pair probe end to end through the CLI,
and the converter's parsing of the scrapers' formats.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent / "benchmarks" / "realdata"
sys.path.insert(0, str(HERE))
evaluate = importlib.import_module("evaluate")
convert = importlib.import_module("convert")


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_ndcg_is_one_for_the_ideal_order_and_lower_otherwise():
    grades = {"J1": {"a": 3, "b": 1, "c": 0}}
    assert evaluate.ndcg_at(5, {"J1": ["a", "b", "c"]}, grades) == (1.0, 0)
    score, unjudged = evaluate.ndcg_at(5, {"J1": ["c", "x", "a"]}, grades)
    ideal = 7 + 1 / math.log2(3)
    assert score == pytest.approx((7 / math.log2(4)) / ideal)
    assert unjudged == 1  # "x" was never graded and counts 0


def test_halves_split_the_graded_jobs_by_job_number_parity():
    grades = {"J003": {"a": 3}, "J008": {"b": 2}, "J017": {"c": 1}}
    parts = evaluate.halves(grades)
    assert sorted(parts["dev"]) == ["J003", "J017"]
    assert sorted(parts["test"]) == ["J008"]
    assert parts["all"] == grades


def test_committed_grades_are_ids_and_grades_only_each_pair_once():
    rows = evaluate.read_csv(HERE / "grades.csv")
    assert rows and set(rows[0]) == {"job_id", "person_id", "grade"}
    pairs = [(r["job_id"], r["person_id"]) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert {r["grade"] for r in rows} <= {"0", "1", "2", "3"}


def test_tfidf_baseline_ranks_the_profile_sharing_rare_words_first(tmp_path):
    projects = _csv(
        tmp_path / "p.csv",
        ["project_id", "title", "required_skills"],
        [["J1", "Tableau dashboard", "Tableau; Data Visualization"]],
    )
    people = _csv(
        tmp_path / "q.csv",
        ["person_id", "headline", "skills"],
        [
            ["P1", "Writer", "Copywriting; Blog Writing"],
            ["P2", "Tableau consultant", "Tableau Software; SQL"],
            ["P3", "Data entry", "Data Entry; Microsoft Excel"],
        ],
    )
    ranked = evaluate.run_baseline(projects, people, top=3)
    assert ranked["J1"][0] == "P2"
    assert ranked["J1"][-1] == "P1"


def test_pair_probe_reads_only_the_diagonal_through_the_cli():
    pairs = [
        {"a": "Python", "b": "Python", "label": "same"},
        {"a": "Adobe Photoshop", "b": "Bookkeeping", "label": "different"},
        {"a": "Bookkeeping", "b": "Bookkeeping", "label": "same"},
    ]
    # Person 2 (Bookkeeping) matches project 2 (Bookkeeping) off the diagonal; it must not count.
    assert evaluate.pair_matches(pairs, evaluate.gigmatch_command()) == [True, False, True]


def test_converter_reads_the_scrapers_formats(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    posts = [
        {
            "title": "BI job",
            "description": "Build  a\ndashboard",
            "max_hourly_rate": 40.0,
            "skills": ["Tableau", "Data; Analysis"],
        },
        {
            "title": "BI job",
            "description": "Build a\ndashboard",
            "max_hourly_rate": None,
            "skills": ["Tableau"],
        },  # the same post scraped twice
    ]
    (raw / convert.JOBS_FILE).write_text(json.dumps(posts), encoding="utf-8")
    header = ["", "earned", "headline", "hours", "jobs", "rate", "skills"]
    rows = [
        ["0", "$1k+", "BI  analyst", "10", "1", "$1,050.50", "['Tableau Software', 'SQL']"],
        ["1", "$2k+", "BI analyst", "12", "1", "$1,050.50", "['Tableau Software', 'SQL']"],
        ["2", "", "No skills", "", "", "", ""],
    ]
    _csv(raw / convert.PROFILE_FILES[0], header, rows)
    _csv(raw / convert.PROFILE_FILES[1], header, rows[:1])
    jobs, people = convert.convert_jobs(raw), convert.convert_people(raw)
    assert jobs == [
        {
            "project_id": "J001",
            "title": "BI job",
            "required_skills": "Tableau; Data, Analysis",
            "budget": "40",
            "description": "Build a dashboard",
        }
    ]
    assert [(p["person_id"], p["skills"], p["rate"]) for p in people] == [
        ("P0001", "Tableau Software; SQL", "1050.5")
    ]


def test_evaluate_exits_2_and_names_what_is_missing(tmp_path):
    done = subprocess.run(
        [sys.executable, str(HERE / "evaluate.py"), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "projects.csv" in done.stderr and "skill_pairs.csv" in done.stderr


def test_skillspan_posts_become_projects_with_their_knowledge_spans(tmp_path):
    skillspan = importlib.import_module("skillspan")
    folder = tmp_path / "data" / "json"
    folder.mkdir(parents=True)
    lines = {
        "train": [
            (1, "tech", ["Senior", "Java", "Developer"], ["O", "B", "O"]),
            (1, "tech", ["Use", "Spring", "Boot", ";", "AWS:", "and", "java"], list("OBIOBOB")),
            (2, "house", ["Lead", "1:1’s", "weekly"], ["O", "B", "O"]),
        ],
        "dev": [(1, "tech", ["No", "skills", "here"], ["O", "O", "O"])],
        "test": [],
    }
    for split, rows in lines.items():
        text = "".join(
            json.dumps({"idx": i, "source": s, "tokens": t, "tags_knowledge": g}) + "\n"
            for i, s, t, g in rows
        )
        (folder / f"{split}.json").write_text(text, encoding="utf-8")
    posts = skillspan.read_posts(tmp_path)
    by_id = {post.id: post for post in posts}
    assert by_id["SS-train-tech-1"].skills == ("Java", "Spring Boot", "AWS")  # java: same skill
    assert by_id["SS-train-tech-1"].sentences[0] == "Senior Java Developer"
    assert by_id["SS-train-house-2"].skills == ("1 1’s",)  # no colon left to read as a level
    assert by_id["SS-dev-tech-1"].skills == ()
    out = tmp_path / "out"
    skillspan.main([str(tmp_path), "--out", str(out)])
    with (out / "projects.csv").open(encoding="utf-8", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert [row["id"] for row in written] == ["SS-train-house-2", "SS-train-tech-1"]
    result = subprocess.run(
        [sys.executable, "-m", "gigmatch", "match", str(out / "projects.csv"), "-", "-f", "csv"],
        input="id,skills\nP1,Spring Boot; Python\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [row["project_id"] for row in csv.DictReader(io.StringIO(result.stdout))] == [
        "SS-train-tech-1"
    ]
