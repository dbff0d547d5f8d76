"""The skill vocabulary report and alias suggestions, and their round trip through a config."""

from __future__ import annotations

import io
import tomllib

import numpy as np
import pandas as pd
import pytest
from conftest import PEOPLE, PROJECTS, write

import gigmatch
from gigmatch.read.config import Config, config_from_dict, load_config
from gigmatch.skills.vocabulary import (
    REPORT_COLUMNS,
    alias_suggestions,
    aliases_toml,
    skill_report,
    skill_use,
    suggestions_frame,
)


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def tables(projects: str = PROJECTS, people: str = PEOPLE):
    read = gigmatch.read_input
    return read(frame(projects), "projects"), read(frame(people), "people")


def report_for(config: Config | None = None) -> pd.DataFrame:
    projects, people = tables()
    return skill_report(skill_use(projects, people, config), projects, people)


def test_report_columns_and_shortest_supplied_first():
    report = report_for()
    assert list(report.columns) == REPORT_COLUMNS
    assert report["skill"].tolist()[:6] == [
        "UX Design",  # 1 place, nobody
        "SQL",  # 2 places (team of 2), 1 person: 0.5 per place
        "Figma",
        "PostgreSQL",
        "Python",  # 2 places, 2 people: python3 (alias) and Pyhton (a typo match counts)
        "React",
    ]
    assert report["people_per_place"].iloc[6:].isna().all()  # skills no project requires


def test_report_counts_demand_and_supply():
    report = report_for().set_index("skill")
    python = report.loc["Python"]
    assert python["spellings"] == "Pyhton; Python"  # a typo is Python; python3 is Python 3...
    # ...but people are counted as `match` sees them: python3 (F5) meets Python (any version)
    assert (python["projects"], python["places"], python["people"]) == (1, 2, 2)
    assert (python["hours"], python["gap"], python["people_per_place"]) == (80.0, 0, 1.0)
    react = report.loc["React"]
    assert react["spellings"] == "React; ReactJS" and react["hours"] == 30.0
    docker = report.loc["Docker"]
    assert (docker["projects"], docker["nice_to_have"], docker["people"]) == (0, 1, 1)
    assert report.loc["UX Design", "gap"] == 1 and report.loc["UX Design", "people"] == 0


def test_a_skill_listed_twice_by_one_person_counts_once():
    people = PEOPLE.replace("python3; MySQL", "python3; Python 3; MySQL")
    projects, people_frame = tables(people=people)
    report = skill_report(skill_use(projects, people_frame), projects, people_frame)
    assert report.set_index("skill").loc["Python", "people"] == 2  # F5 once, and F3 (Pyhton)


def test_a_typo_is_suggested_as_an_alias():
    projects, people = tables()
    found = alias_suggestions(skill_use(projects, people))
    assert [(s.variant, s.canonical, s.similarity, s.spellings) for s in found] == [
        ("Pyhton", "Python", 83.0, ("Pyhton",))
    ]
    assert suggestions_frame(found).to_dict("records") == [
        {"variant": "Pyhton", "canonical": "Python", "similarity": 83.0, "spellings": "Pyhton"}
    ]


def test_look_alikes_are_never_suggested():
    people = (
        "id,name,skills\n"
        "F1,A,Java; JavaScript; UX design; UI design; C; C#; C++; React; React Native\n"
        "F2,B,Angular 12; Angular 14; Vue 2; Go; Django\n"
    )
    projects, people_frame = tables(people=people)
    assert alias_suggestions(skill_use(projects, people_frame)) == []


def test_a_chain_of_variants_ends_at_the_known_skill():
    people = "id,name,skills\nF1,A,Kubernetes\nF2,B,Kubernets\nF3,C,Kubernet\nF4,D,Kubernet\n"
    projects, people_frame = tables(people=people)
    found = alias_suggestions(skill_use(projects, people_frame))
    assert {(s.variant, s.canonical) for s in found} == {
        ("Kubernets", "Kubernetes"),
        ("Kubernet", "Kubernetes"),
    }


@pytest.mark.parametrize("uses", [(1, 1), (1, 3), (3, 1)])
def test_two_unknown_look_alikes_are_never_merged_by_which_is_more_used(uses):
    """Resolution is local: an unknown spelling never becomes another because the other is
    more common in the file (it used to: the more used spelling won)."""
    skills = ["Zorblat"] * uses[0] + ["Zorblatt"] * uses[1]
    people = "id,name,skills\n" + "".join(f"F{i},P{i},{s}\n" for i, s in enumerate(skills))
    projects, people_frame = tables(people=people)
    assert alias_suggestions(skill_use(projects, people_frame)) == []


def test_threshold_controls_suggestions():
    projects, people = tables()
    use = skill_use(projects, people)
    assert alias_suggestions(use, threshold=84) == []
    assert [s.variant for s in alias_suggestions(use, threshold=83)] == ["Pyhton"]


def test_alias_file_round_trips_and_unifies_the_variant(tmp_path):
    projects, people = tables()
    text = aliases_toml(alias_suggestions(skill_use(projects, people)))
    assert tomllib.loads(text) == {"aliases": {"Python": ["Pyhton"]}}
    assert "#   Pyhton -> Python (83% alike)" in text
    config = load_config(write(tmp_path, "aliases.toml", text))
    assert config.aliases == {"Python": ["Pyhton"]}
    report = report_for(config).set_index("skill")
    assert report.loc["Python", "spellings"] == "Pyhton; Python"
    assert report.loc["Python", "people"] == 2 and "Pyhton" not in report.index
    assert alias_suggestions(skill_use(projects, people, config)) == []


def test_alias_file_with_nothing_to_suggest_is_still_a_valid_config():
    text = aliases_toml([])
    assert config_from_dict(tomllib.loads(text)).aliases == {}


def test_empty_tables_give_an_empty_report():
    projects, people = tables(projects="id,title,skills\n", people="id,name,skills\n")
    report = skill_report(skill_use(projects, people), projects, people)
    assert list(report.columns) == REPORT_COLUMNS and len(report) == 0
    assert alias_suggestions(skill_use(projects, people)) == []


def test_incidence_is_zero_one_and_shaped_rows_by_skills():
    projects, people = tables()
    use = skill_use(projects, people)
    assert use.offered.shape == (5, len(use.vocab)) and use.required.shape[0] == 3
    assert set(np.unique(use.offered.data)) == {1.0}
