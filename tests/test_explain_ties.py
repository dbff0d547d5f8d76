"""The explanation is read from the score, not recomputed: Σ share × credit is skill_score,
related credit (substitute, narrower, broader, version) included."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import EXAMPLES
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gigmatch
from gigmatch.read.config import Config
from gigmatch.score.components import pair_components, person_terms, project_terms
from gigmatch.score.skill_model import Explainer, build_skill_model

SPELLINGS = (
    "Python python3 Pyhton Django React ReactJS Java JavaScript SQL MySQL Tableau Figma C C++"
)
SPELLINGS_LIST = [
    *SPELLINGS.split(),
    *("Power BI", "UX Design", "UI Design", "Postgre SQL", "Python 2", "Python 3"),
    *("Tableau Software", "Flask", "PostgreSQL", "Kotlin"),
]


def explained_skill(model, explainer: Explainer, config: Config, project: int, person: int):
    """skill_score rebuilt from the explanation alone: each line's share times its credit."""

    def part(nice: bool) -> float:
        found = explainer.matches(project, person, nice=nice)
        weights = [float(m.wanted_level or config.thresholds.default_level) for m in found]
        total = sum(weights) or 1.0
        return sum(w / total * m.credit for w, m in zip(weights, found, strict=True))

    coverage = part(False) if model.n_required[project] else 1.0
    if not model.has_nice[project]:
        return coverage
    b = config.thresholds.nice_to_have
    return (1 - b) * coverage + b * part(True)


def assert_explanation_is_score(projects: pd.DataFrame, people: pd.DataFrame):
    config = Config()
    model = build_skill_model(projects, people, config)
    explainer = Explainer(model, config)
    project, person = (a.ravel() for a in np.indices((len(projects), len(people))))
    components, _ = pair_components(
        model, person_terms(people, config), project_terms(projects), project, person, config
    )
    rebuilt = [
        explained_skill(model, explainer, config, int(p), int(f))
        for p, f in zip(project, person, strict=True)
    ]
    np.testing.assert_allclose(rebuilt, components["skill"], atol=1e-9)
    return model


def test_examples_every_pair():
    projects = gigmatch.read_input(EXAMPLES / "projects.csv", "projects")
    people = gigmatch.read_input(EXAMPLES / "people.csv", "people")
    model = assert_explanation_is_score(projects, people)
    assert model.related.any() and not model.related.all()  # both kinds of credit are tied


def test_related_credit_is_explained_as_scored():
    projects = gigmatch.read_input(
        pd.DataFrame({"id": ["J1", "J2"], "skills": ["Power BI:4; Python 3", "Python; Django"]}),
        "projects",
    )
    people = gigmatch.read_input(
        pd.DataFrame({"id": ["P1", "P2"], "skills": ["Tableau:2; Python 2", "Django:5; Flask"]}),
        "people",
    )
    model = assert_explanation_is_score(projects, people)
    explainer = Explainer(model, Config())
    kinds = {m.relation.kind for m in explainer.matches(0, 0) if m.relation is not None}
    assert kinds == {"substitute", "version"}
    (narrower,) = [m for m in explainer.matches(1, 1) if m.relation is not None]
    assert narrower.relation.kind == "narrower" and narrower.wanted == "Python"


skill_cell = st.lists(
    st.tuples(st.sampled_from(SPELLINGS_LIST), st.sampled_from(["", ":1", ":3", ":5"])),
    max_size=4,
).map(lambda items: "; ".join(name + level for name, level in items))


@settings(max_examples=40, deadline=None)
@given(
    wanted=st.lists(st.tuples(skill_cell, skill_cell), min_size=1, max_size=4),
    offered=st.lists(skill_cell, min_size=1, max_size=5),
)
def test_random_pools(wanted, offered):
    projects = pd.DataFrame(
        {
            "id": [f"P{i}" for i in range(len(wanted))],
            "title": "t",
            "required_skills": [w for w, _ in wanted],
            "nice_to_have": [n for _, n in wanted],
        }
    )
    people = pd.DataFrame(
        {"id": [f"F{i}" for i in range(len(offered))], "name": "n", "skills": offered}
    )
    try:
        projects = gigmatch.read_input(projects, "projects")
        people = gigmatch.read_input(people, "people")
    except gigmatch.InputError:
        assume(False)
    assert_explanation_is_score(projects, people)


def pair_texts(explainer: Explainer, project: int, person: int) -> tuple[str, str, str]:
    """matched, related and missing skills of one pair, from its per-pair explanation."""
    found = explainer.matches(project, person)
    return (
        "; ".join(m.describe() for m in found if m.offered and m.relation is None),
        "; ".join(m.describe() for m in found if m.relation is not None),
        "; ".join(m.wanted for m in found if not m.offered),
    )


@settings(max_examples=30, deadline=None)
@given(
    wanted=st.lists(skill_cell, min_size=1, max_size=5),
    offered=st.lists(skill_cell, min_size=1, max_size=6),
)
def test_match_skill_texts_are_the_pairs_explanations(wanted, offered):
    """`match` describes all its rows' skills at once (each distinct description once, joined
    by numpy); every row reads as that pair's own explanation does."""
    raw_projects = pd.DataFrame(
        {"id": [f"P{i}" for i in range(len(wanted))], "title": "t", "required_skills": wanted}
    )
    raw_people = pd.DataFrame(
        {"id": [f"F{i}" for i in range(len(offered))], "name": "n", "skills": offered}
    )
    try:
        projects = gigmatch.read_input(raw_projects, "projects")
        people = gigmatch.read_input(raw_people, "people")
    except gigmatch.InputError:
        assume(False)
    frame = gigmatch.match(raw_projects, raw_people, top=0)
    assume(len(frame))
    explainer = Explainer(build_skill_model(projects, people, Config()), Config())
    project_at = {v: i for i, v in enumerate(projects["id"])}
    person_at = {v: i for i, v in enumerate(people["id"])}
    for row in frame.itertuples():
        expected = pair_texts(explainer, project_at[row.project_id], person_at[row.person_id])
        assert (row.matched_skills, row.related_skills, row.missing_skills) == expected


@settings(max_examples=60, deadline=None)
@given(
    dense=st.lists(
        st.lists(st.sampled_from([0.0, 0.0, 0.5, 1.0]), min_size=4, max_size=4),
        min_size=1,
        max_size=6,
    ),  # fmt: skip
    asked=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=30),
)
def test_stored_positions_finds_each_stored_value(dense, asked):
    """`stored_positions` (a binary search per row, all rows in step) finds a stored value
    where there is one."""
    from scipy import sparse

    from gigmatch.score.components import stored_positions

    matrix = sparse.csr_matrix(np.array(dense))
    asked = [(r, c) for r, c in asked if r < len(dense)]
    row = np.array([r for r, _ in asked], dtype=np.int64)
    column = np.array([c for _, c in asked], dtype=np.int64)
    at = stored_positions(matrix, row, column)
    for (r, c), where in zip(asked, at.tolist(), strict=True):
        if dense[r][c]:
            assert matrix.indices[where] == c and matrix.indptr[r] <= where < matrix.indptr[r + 1]
        else:
            assert where == -1
