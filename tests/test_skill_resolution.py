"""Matching through the knowledge base: same skill, typed related credit, and order-freedom.

Each test states one kind of issue 11 through `gigmatch.match` / `explain`, the way a user
meets it: what `matched_skills`, `related_skills` and `missing_skills` say, who is a candidate,
and that a pair's verdict is the same alone and inside a large file.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import gigmatch
from gigmatch.cli.app import app
from gigmatch.errors import ConfigError
from gigmatch.read.config import config_from_dict

runner = CliRunner()


def pair(required: str, held: str, config=None, **kw) -> dict | None:
    """The match row of one project needing `required` and one person holding `held`."""
    ranked = gigmatch.match(
        pd.DataFrame({"id": ["J1"], "title": ["job"], "skills": [required]}),
        pd.DataFrame({"id": ["P1"], "name": ["pat"], "skills": [held]}),
        config,
        **kw,
    )
    return ranked.iloc[0].to_dict() if len(ranked) else None


@pytest.mark.parametrize(
    ("required", "held", "how"),
    [
        ("Tableau", "Tableau Software", "knowledge base"),
        ("SEO", "Search Engine Optimization (SEO)", "knowledge base"),
        ("Search Engine Optimization (SEO)", "SEO", "knowledge base"),
        ("Python", "Python 3", "version"),
        ("Python 3", "python3", "exact"),
        ("Python", "Pyhton", "typo 83"),
        ("Node.js", "nodejs", "exact"),
    ],
)
def test_same_skill_spellings_match_in_full(required, held, how):
    row = pair(required, held)
    assert row is not None
    assert row["matched_skills"] == f"{required}<-{held} ({how})"
    assert row["related_skills"] == "" and row["missing_skills"] == ""
    assert row["skill_score"] == 1.0


@pytest.mark.parametrize(
    ("required", "held"),
    [
        ("Quantitative Research", "Qualitative Research"),
        ("Animation", "Aviation"),
        ("Java", "JavaScript"),
        ("Transcription", "Transcreation"),
        ("Marketing", "Telemarketing"),
    ],
)
def test_look_alikes_are_never_the_same_skill(required, held):
    assert pair(required, held) is None  # not a candidate: no same-skill match


def test_substitute_gives_partial_credit_and_says_so():
    row = pair("Power BI; SQL", "Tableau; SQL")
    assert row["matched_skills"] == "SQL<-SQL (exact)"
    assert row["related_skills"] == "Power BI~Tableau (substitute: BI software, 0.5)"
    assert row["missing_skills"] == ""
    assert row["skill_score"] == pytest.approx(0.75)  # (1 + 0.5) / 2


def test_narrower_skill_implies_the_broader_one():
    row = pair("Python; Docker", "Django; Docker")
    assert row["related_skills"] == "Python~Django (narrower: Django implies Python, 0.8)"
    broader = pair("Django; Docker", "Python; Docker")
    assert broader["related_skills"] == "Django~Python (broader: Django implies Python, 0.2)"


def test_two_explicit_versions_are_related_not_the_same():
    row = pair("Python 3; SQL", "Python 2; SQL")
    assert row["matched_skills"] == "SQL<-SQL (exact)"
    assert row["related_skills"] == "Python 3~Python 2 (version: Python, 0.8)"


def test_related_credit_alone_is_not_a_candidate_nor_passes_require_all():
    assert pair("Power BI", "Tableau") is None
    assert pair("Power BI; SQL", "Tableau; SQL", require_all=True) is None
    assert pair("Power BI; SQL", "Power BI; SQL", require_all=True) is not None


def test_same_skill_wins_over_related_credit():
    row = pair("Python:5; SQL", "Python:1; Django:5; SQL")
    assert row["matched_skills"].startswith("Python<-Python (exact, level 1/5)")
    assert row["related_skills"] == ""


def test_relation_credits_and_your_own_relations_come_from_the_config():
    off = config_from_dict({"relations": {"substitute": 0.0}})
    row = pair("Power BI; SQL", "Tableau; SQL", off)
    assert row["related_skills"] == "" and row["missing_skills"] == "Power BI"
    mine = config_from_dict(
        {"relations": {"extra": [{"skill": "Zorblat", "kind": "substitute", "of": "Quux"}]}}
    )
    row = pair("Quux; SQL", "Zorblat; SQL", mine)
    assert row["related_skills"] == "Quux~Zorblat (substitute: your relations, 0.5)"


@pytest.mark.parametrize(
    "table",
    [
        {"substitute": 1.5},
        {"extra": [{"skill": "A", "kind": "cousin", "of": "B"}]},
        {"extra": [{"skill": "A", "of": "B"}]},
        {"typo": 0.3},
    ],
)
def test_bad_relations_are_config_errors(table):
    with pytest.raises(ConfigError):
        config_from_dict({"relations": table})


def test_explain_shows_the_relation_and_its_source(tmp_path):
    projects = tmp_path / "projects.csv"
    people = tmp_path / "people.csv"
    projects.write_text("id,title,skills\nJ1,Dashboards,Power BI; SQL\n", encoding="utf-8")
    people.write_text("id,name,skills\nP1,Pat,Tableau Software; SQL\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(projects), str(people), "J1", "P1", "-f", "json"])
    assert result.exit_code == 0, result.output
    lines = {s["wanted"]: s for s in json.loads(result.stdout)["skills"]}
    power_bi = lines["Power BI"]
    assert (power_bi["how"], power_bi["relation"], power_bi["via"]) == (
        "related",
        "substitute",
        "BI software",
    )
    assert power_bi["source"] == "knowledge base" and power_bi["offered"] == "Tableau Software"
    table = runner.invoke(
        app,
        ["explain", str(projects), str(people), "J1", "P1", "-f", "table"],
        env={"COLUMNS": "200"},
    )
    assert "substitute: BI software, 0.5; from knowledge base" in table.stdout


def _filler(n: int) -> list[str]:
    """Spellings that crowd a file: long forms, look-alikes, versions, unknown words."""
    base = [
        "Search Engine Optimization (SEO)", "Search Engine Optimisation", "Tableau Software",
        "Python 2", "Python 3.11", "Qualitative Research", "Power BI Development",
        "SharePoint Development", "Telemarketing", "Aviation", "Typography",
    ]  # fmt: skip
    return base + [f"Niche Skill {i}" for i in range(n)]


@pytest.mark.parametrize(
    ("required", "held"),
    [
        ("SEO", "Search Engine Optimization (SEO)"),
        ("Tableau", "Tableau Software"),
        ("Power BI", "SharePoint Development"),
        ("Quantitative Research", "Qualitative Research"),
        ("Python 3", "Python 2"),
        ("Niche Skill 17", "Niche Skill 18"),
    ],
)
def test_a_pair_gets_the_same_verdict_alone_and_inside_a_large_file(required, held):
    alone = pair(f"{required}; Docker", f"{held}; Docker")
    filler = _filler(300)
    projects = pd.DataFrame(
        {
            "id": ["J0", *(f"J{i + 1}" for i in range(len(filler)))],
            "skills": [f"{required}; Docker", *filler],
        }
    )
    people = pd.DataFrame(
        {
            "id": ["P0", *(f"P{i + 1}" for i in range(len(filler)))],
            "skills": [f"{held}; Docker", *reversed(filler)],
        }
    )
    crowd = gigmatch.match(projects, people, top=0, project_ids=["J0"])
    inside = crowd[crowd.person_id == "P0"].iloc[0]
    for column in ("matched_skills", "related_skills", "missing_skills", "skill_score"):
        assert inside[column] == alone[column], column


def test_explain_names_your_relations_as_the_source(tmp_path):
    projects = tmp_path / "projects.csv"
    people = tmp_path / "people.csv"
    config = tmp_path / "gigmatch.toml"
    projects.write_text("id,title,skills\nJ1,Job,Quux; SQL\n", encoding="utf-8")
    people.write_text("id,name,skills\nP1,Pat,Zorblat; SQL\n", encoding="utf-8")
    config.write_text(
        '[[relations.extra]]\nskill = "Zorblat"\nkind = "narrower"\nof = "Quux"\n', encoding="utf-8"
    )
    args = ["explain", str(projects), str(people), "J1", "P1", "-f", "json", "-c", str(config)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    quux = {s["wanted"]: s for s in json.loads(result.stdout)["skills"]}["Quux"]
    assert (quux["relation"], quux["source"]) == ("narrower", "your relations")
    assert quux["via"] == "Zorblat implies Quux" and quux["credit"] == pytest.approx(0.8)
