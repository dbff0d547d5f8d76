"""Scoring components and the `match` library API."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES, PEOPLE, PROJECTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gigmatch
from gigmatch.errors import InputError, UsageError
from gigmatch.read.config import Config, Weights
from gigmatch.score.components import person_terms, shrunk_mean, timezone_score
from gigmatch.score.ranking import MATCH_COLUMNS


def frame(text: str) -> pd.DataFrame:
    import io

    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_many_good_reviews_beat_one_perfect_one():
    """In the example pool (mean 4.53), 148 reviews at 4.8 beat a single 5.0."""
    people = gigmatch.read_input(EXAMPLES / "people.csv", "people")
    terms = person_terms(people, Config())
    ids = list(people["id"])
    emily, isabella, tariq = ids.index("F-034"), ids.index("F-046"), ids.index("F-033")
    assert (people["rating"][isabella], people["reviews"][isabella]) == (5.0, 1)
    assert (people["rating"][emily], people["reviews"][emily]) == (4.8, 148)
    assert terms.rating[emily] > terms.rating[isabella] > terms.rating[tariq]


def test_missing_rating_is_the_pool_mean():
    ratings = np.array([4.0, 5.0, np.nan])
    result = shrunk_mean(ratings, np.array([10.0, 10.0, 0.0]), prior=10)
    assert result[2] == pytest.approx(4.5)
    assert result[0] == pytest.approx(4.25) and result[1] == pytest.approx(4.75)


def test_timezone_score_overlap_and_neutral_unknowns():
    config = Config()
    person = np.array([1.0, -5.0, np.nan, 9.0])
    project = np.array([1.0, 1.0, 1.0, np.nan])
    assert timezone_score(person, project, config).tolist() == [1.0, 0.5, 0.5, 1.0]


def test_match_ranks_by_skills_and_explains():
    ranked = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=5)
    assert list(ranked.columns) == MATCH_COLUMNS
    p1 = ranked[ranked.project_id == "P1"]
    assert p1.person_id.tolist()[0] == "F1"
    top = p1.iloc[0]
    assert "React:4" not in top.matched_skills
    assert "React<-ReactJS (knowledge base)" in top.matched_skills
    assert "PostgreSQL<-Postgres (knowledge base)" in top.matched_skills
    assert top.missing_skills == ""
    # Bo Chen offers React Native and Java: not React, so not a candidate at all
    assert "F2" not in p1.person_id.tolist()
    p2 = ranked[ranked.project_id == "P2"].set_index("person_id")
    assert "Python<-Pyhton (typo 83" in p2.loc["F3", "matched_skills"]
    assert p2.loc["F5", "matched_skills"].startswith("Python<-python3 (version)")
    assert p2.loc["F5", "missing_skills"] == ""  # MySQL is not SQL, but implies it:
    assert p2.loc["F5", "related_skills"] == "SQL~MySQL (narrower: MySQL implies SQL, 0.8)"
    p3 = ranked[ranked.project_id == "P3"].set_index("person_id")
    assert p3.loc["F4", "missing_skills"] == "UX design"  # UI design is not UX design


def test_scores_and_components_are_bounded_and_sorted():
    ranked = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=0)
    assert ranked.score.between(0, 100).all()
    for column in [c for c in MATCH_COLUMNS if c.endswith("_score")]:
        assert ranked[column].between(0, 1).all(), column
    for _, rows in ranked.groupby("project_id"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
        assert rows.score.is_monotonic_decreasing


def test_score_is_the_weighted_sum_of_components():
    ranked = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=0)
    w = Weights().normalised()
    parts = ["skill", "rating", "reliability", "rate", "availability", "timezone"]
    keys = ["skills", "rating", "reliability", "rate", "availability", "timezone"]
    total = sum(w[k] * ranked[f"{p}_score"] for p, k in zip(parts, keys, strict=True))
    assert np.allclose(ranked.score, 100 * total, atol=0.06)


def test_hard_filters():
    base = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=0)
    strict = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=0, require_all=True)
    assert (strict.missing_skills == "").all() and len(strict) < len(base)
    cheap = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=0, max_over_budget=10)
    assert "F5" not in cheap[cheap.project_id == "P2"].person_id.tolist()  # 90 vs budget 80
    assert "F5" in base[base.project_id == "P2"].person_id.tolist()
    high = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=0, min_score=80)
    assert (high.score >= 80).all() and len(high) < len(base)
    one = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=1, project_ids=["P2"])
    assert one.project_id.tolist() == ["P2"] and one["rank"].tolist() == [1]
    with pytest.raises(UsageError, match="P9"):
        gigmatch.match(frame(PROJECTS), frame(PEOPLE), project_ids=["P9"])


def test_same_output_whatever_the_row_order():
    people = frame(PEOPLE)
    a = gigmatch.match(frame(PROJECTS), people, top=0)
    b = gigmatch.match(frame(PROJECTS), people.iloc[::-1].reset_index(drop=True), top=0)
    pd.testing.assert_frame_equal(a, b)


def test_ties_break_by_person_id():
    people = frame(
        "id,name,skills\nB,Twin B,Go\nA,Twin A,Go\nC,Twin C,Go\n"
    )  # identical people: same score
    ranked = gigmatch.match(frame("id,title,skills\nP,Go job,Go\n"), people, top=0)
    assert ranked.person_id.tolist() == ["A", "B", "C"]
    assert ranked.score.nunique() == 1


def test_project_without_required_skills_takes_everyone():
    ranked = gigmatch.match(frame("id,title,skills\nP,Anything,\n"), frame(PEOPLE), top=0)
    assert sorted(ranked.person_id) == ["F1", "F2", "F3", "F4", "F5"]
    assert (ranked.skill_score == 1.0).all()


def test_keep_passes_columns_through():
    people = frame(PEOPLE).assign(Agency="North")
    ranked = gigmatch.match(frame(PROJECTS), people, keep=["Agency", "client"])
    assert (ranked.Agency == "North").all()
    assert set(ranked.client) == {"Acme", "Globex", "Initech"}


def test_bad_data_raises_input_error():
    bad = frame(PEOPLE.replace("55,30,4.8", "lots,30,4.8"))
    with pytest.raises(InputError) as info:
        gigmatch.match(frame(PROJECTS), bad)
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "rate")]


def test_examples_run_cleanly():
    ranked = gigmatch.match(EXAMPLES / "projects.csv", EXAMPLES / "people.csv", top=3)
    assert ranked.project_id.nunique() >= 18
    assert ranked.score.between(0, 100).all()


skill_names = st.sampled_from(
    [
        "Python",
        "python3",
        "Pyhton",
        "React",
        "ReactJS",
        "Java",
        "JavaScript",
        "C",
        "C#",
        "SQL",
        "Go",
    ]
)
skill_cells = st.lists(skill_names, min_size=0, max_size=4).map("; ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    projects=st.lists(skill_cells, min_size=1, max_size=4),
    people=st.lists(
        st.tuples(
            skill_cells,
            st.one_of(st.none(), st.floats(0, 300)),
            st.one_of(st.none(), st.floats(0, 5)),
            st.one_of(st.none(), st.integers(0, 500)),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_property_scores_in_range_and_deterministic(projects, people):
    p = pd.DataFrame({"id": [f"P{i}" for i in range(len(projects))], "skills": projects})
    f = pd.DataFrame(
        {
            "id": [f"F{i}" for i in range(len(people))],
            "skills": [x[0] for x in people],
            "rate": [x[1] for x in people],
            "rating": [x[2] for x in people],
            "reviews": [x[3] for x in people],
        }
    )
    first = gigmatch.match(p, f, top=0)
    assert first.score.between(0, 100).all()
    pd.testing.assert_frame_equal(first, gigmatch.match(p, f, top=0))
