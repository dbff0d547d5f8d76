"""Free text as evidence: the TF-IDF `text` component (description vs headline + bio)."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pandas as pd
from conftest import EXAMPLES
from scipy import sparse

import gigmatch
from gigmatch.read.config import Config, Weights
from gigmatch.score import text as text_module
from gigmatch.score.text import best_cosine, build_text_model, tokens


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


PROJECTS = """id,title,description,skills
P1,Sales reporting,Build Power BI dashboards for the sales team,SQL
P2,Site,Shopify storefront theme work,SQL
"""
PEOPLE = """id,name,headline,bio,skills,rating
A,Ann,Power BI dashboards developer,,SQL,4.5
B,Bob,Mobile game artist,,SQL,4.5
C,Cid,Shopify theme developer,,SQL,4.5
"""


def test_a_headline_that_says_what_the_description_asks_ranks_higher():
    """Ann and Bob are equal but for their headline; P1 asks for Power BI dashboards."""
    out = gigmatch.match(frame(PROJECTS), frame(PEOPLE), top=0)
    p1 = out[out["project_id"] == "P1"]
    assert list(p1["person_id"])[0] == "A"
    scores = dict(zip(p1["person_id"], p1["score"], strict=True))
    assert scores["A"] > scores["B"]
    text = dict(zip(p1["person_id"], p1["text_score"], strict=True))
    assert text["A"] > 0.3 > text["B"]  # Bob shares only the skill name SQL
    p2 = out[out["project_id"] == "P2"]
    assert list(p2["person_id"])[0] == "C"


def test_no_text_on_either_side_leaves_the_output_byte_identical():
    """The examples have no description or headline: the csv is the one without `text`."""
    run = [sys.executable, "-m", "gigmatch", "match", str(EXAMPLES / "projects.csv"),
           str(EXAMPLES / "people.csv"), "-f", "csv"]  # fmt: skip
    with_text = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "text_score" not in with_text.splitlines()[0]
    off = gigmatch.match(EXAMPLES / "projects.csv", EXAMPLES / "people.csv", Config())
    zero = gigmatch.match(
        EXAMPLES / "projects.csv", EXAMPLES / "people.csv", Config(weights=Weights(text=0.0))
    )
    pd.testing.assert_frame_equal(off, zero)


def test_a_person_without_text_is_neutral_not_punished():
    """Dan wrote nothing: he gets the project's mean over people who wrote something."""
    people = frame(PEOPLE + "D,Dan,,,SQL,4.5\n")
    model = build_text_model(
        gigmatch.read_input(frame(PROJECTS), "projects"),
        gigmatch.read_input(people, "people"),
    )
    assert model is not None
    values = model.block(pd.Series([0, 1]).to_numpy())
    assert values[0, 3] == np.float32(model.neutral[0])
    assert values[0, 1] < values[0, 3] < values[0, 0]


def test_no_headline_anywhere_means_no_text_component():
    people = frame(PEOPLE.replace("Power BI dashboards developer", "").replace(
        "Mobile game artist", "").replace("Shopify theme developer", ""))  # fmt: skip
    assert build_text_model(
        gigmatch.read_input(frame(PROJECTS), "projects"), gigmatch.read_input(people, "people")
    ) is None  # fmt: skip
    out = gigmatch.match(frame(PROJECTS), people, top=0)
    assert "text_score" not in out.columns


def test_row_order_does_not_change_the_result():
    projects, people = frame(PROJECTS), frame(PEOPLE + "D,Dan,,Power BI and Shopify,SQL,4\n")
    a = gigmatch.match(projects, people, top=0)
    b = gigmatch.match(projects.iloc[::-1], people.iloc[::-1], top=0)
    key = ["project_id", "rank", "person_id"]
    pd.testing.assert_frame_equal(
        a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True)
    )


def test_tokens_keep_tool_names_and_drop_stop_words():
    assert tokens("The C# and C++ developer, Node.js") == ["c#", "c++", "developer", "node", "js"]


def test_explain_has_its_own_text_line_and_agrees_with_match():
    projects, people = frame(PROJECTS), frame(PEOPLE)
    out = gigmatch.match(projects, people, top=0)
    row = out[(out["project_id"] == "P1") & (out["person_id"] == "A")].iloc[0]
    e = gigmatch.explain(projects, people, "P1", "A")
    lines = {c.component: c for c in e.components}
    assert round(lines["text"].value, 3) == row["text_score"]
    assert round(e.score, 1) == row["score"]
    assert e.standing.rank == 1


def _scores(frame: pd.DataFrame, column: str = "score") -> dict[tuple[str, str], float]:
    return {
        (p, f): v
        for p, f, v in zip(frame["project_id"], frame["person_id"], frame[column], strict=True)
    }


def test_a_pair_scores_the_same_in_match_match_person_and_assign():
    """The text component is part of every scorer: match, match --person, assign (its own
    candidates and a pin outside them) and a plan described from elsewhere agree pair by pair."""
    from gigmatch.plan.staffing import describe_given

    projects, people = frame(PROJECTS), frame(PEOPLE)
    by_match = gigmatch.match(projects, people, top=0)
    match_score, match_text = _scores(by_match), _scores(by_match, "text_score")
    assert match_text[("P1", "A")] > match_text[("P1", "B")]  # the text counts here
    by_person = gigmatch.match(projects, people, top=0, person_ids=["C", "B", "A"])
    assert _scores(by_person) == match_score
    assert _scores(by_person, "text_score") == match_text

    plan = gigmatch.assign(projects, people)
    assert len(plan.assignments) == 2
    for pair, score in _scores(plan.assignments).items():
        assert score == match_score[pair]
    assert _scores(plan.assignments, "text_score") == {
        pair: match_text[pair] for pair in _scores(plan.assignments)
    }
    # Bob is nobody's best candidate: with one candidate per project his pin is scored apart.
    pinned = gigmatch.assign(
        projects, people, candidates=1, controls=gigmatch.Controls(pins=[("P1", "B")])
    )
    assert _scores(pinned.assignments)[("P1", "B")] == match_score[("P1", "B")]
    assert _scores(pinned.assignments, "text_score")[("P1", "B")] == match_text[("P1", "B")]

    parsed_projects = gigmatch.read_input(projects, "projects")
    parsed_people = gigmatch.read_input(people, "people")
    plan_given = pd.DataFrame({"project_id": ["P2"], "person_id": ["A"]})
    given = describe_given(parsed_projects, parsed_people, Config(), plan_given)
    assert _scores(given.assignments) == {("P2", "A"): match_score[("P2", "A")]}


def test_assign_cli_lists_the_text_score_like_match(tmp_path):
    from typer.testing import CliRunner

    from gigmatch.cli.app import app

    (tmp_path / "projects.csv").write_text(PROJECTS, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    args = [str(tmp_path / "projects.csv"), str(tmp_path / "people.csv"), "-f", "csv"]
    runner = CliRunner()
    matched = runner.invoke(app, ["match", *args, "--top", "0"])
    assigned = runner.invoke(app, ["assign", *args])
    assert matched.exit_code == 0, matched.output
    assert assigned.exit_code == 0, assigned.output
    by_match = _scores(pd.read_csv(io.StringIO(matched.stdout)))
    plan = pd.read_csv(io.StringIO(assigned.stdout))
    assert "text_score" in plan.columns
    assert len(plan) == 2
    for pair, score in _scores(plan).items():
        assert score == by_match[pair]


def test_text_score_is_relative_to_the_projects_best_match_in_the_pool():
    """The closest profile scores 1 and the others keep their ratio of cosines: a raw cosine
    between a post and a headline seldom passes 0.4, so it would barely count otherwise."""
    projects = gigmatch.read_input(frame(PROJECTS), "projects")
    people = gigmatch.read_input(frame(PEOPLE), "people")
    model = build_text_model(projects, people)
    assert model is not None
    values = model.block(np.array([0, 1]))
    assert values.argmax(axis=1).tolist() == [0, 2]  # Ann for P1, Cid for P2
    assert np.allclose(values.max(axis=1), 1.0, atol=1e-6)
    cosine = (model.projects[0] @ model.people.T).toarray().ravel()  # P1 against each person
    assert np.isclose(cosine.max(), 1.0)  # the project's row was scaled by its best cosine
    assert np.isclose(values[0, 1] / values[0, 2], cosine[1] / cosine[2], rtol=1e-5)
    pairs = model.pairs(np.array([0, 0, 0]), np.array([0, 1, 2]))
    assert np.allclose(pairs, values[0], atol=1e-6)


def test_best_cosine_is_the_same_in_blocks_of_any_size(monkeypatch):
    rng = np.random.default_rng(11)
    projects = sparse.csr_matrix(rng.random((7, 12)) * (rng.random((7, 12)) < 0.3))
    people = sparse.csr_matrix(rng.random((9, 12)) * (rng.random((9, 12)) < 0.3))
    whole = (projects @ people.T).toarray().max(axis=1)
    found = []
    for cells in (1, 9, 20, 10_000):
        monkeypatch.setattr(text_module, "BEST_CELLS", cells)
        found.append(best_cosine(projects, people))
        assert np.array_equal(found[-1], found[0])  # blocks change nothing, not even a bit
    assert np.allclose(found[0], whole, rtol=1e-6)  # float32, as the dense pass computes it
    assert best_cosine(projects, people[:0]).tolist() == [0.0] * 7
