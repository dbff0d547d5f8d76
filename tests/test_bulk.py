"""Bulk commands without every pair: `price` and `report` aggregate per project from the top-k
lists or block by block, and must give what the old all-pairs computation gave."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gigmatch.insights.price import PriceSettings, fitting_stats, rate_summary
from gigmatch.present.report import ReportData, top_scores
from gigmatch.read.config import Config
from gigmatch.score import engine
from gigmatch.score.components import Filters
from gigmatch.score.ranking import read, score_all, scored_blocks, to_frame

SKILLS = ["Python", "python3", "SQL", "Postgres", "Java", "React:4", "Figma", "Docker:2", "Go"]


def all_pairs_stats(projects, people, config, s: PriceSettings) -> dict[str, np.ndarray]:
    """The computation `price` made before issue 12: every candidate pair rescored in float64
    (`top=0`), the skill limit applied to the pairs, the first `top` kept, pandas quantiles."""
    scored = score_all(projects, people, config, filters=Filters(min_score=s.min_score), top=0)
    pairs = scored.pairs
    keep = pairs.components["skill"] >= s.min_skill - 1e-9
    frame = pd.DataFrame({"project": pairs.project[keep], "person": pairs.person[keep]})
    if s.top > 0:
        frame = frame[frame.groupby("project").cumcount() < s.top]
    rates = people["rate"].to_numpy(float)[frame["person"].to_numpy()]
    frame = pd.DataFrame({"project": frame["project"].to_numpy(), "rate": rates}).dropna()
    return pandas_quantiles(frame, len(projects))


def pandas_quantiles(frame: pd.DataFrame, n: int) -> dict[str, np.ndarray]:
    groups = frame.groupby("project")["rate"]
    out = {"count": np.zeros(n, dtype=np.int64)}
    out["count"][groups.size().index.to_numpy(int)] = groups.size().to_numpy()
    for name, values in (
        ("min", groups.min()),
        ("low", groups.quantile(0.25)),
        ("median", groups.quantile(0.5)),
        ("high", groups.quantile(0.75)),
    ):
        column = np.full(n, np.nan)
        column[values.index.to_numpy(int)] = values.to_numpy(float)
        out[name] = column
    return out


def assert_same(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert set(got) == set(want)
    for name in want:
        np.testing.assert_array_equal(got[name], want[name], err_msg=name)


skill_cells = st.lists(st.sampled_from(SKILLS), min_size=0, max_size=4).map("; ".join)
rates = st.one_of(st.none(), st.integers(10, 150).map(float))


def frames(projects, people):
    p = pd.DataFrame(
        {
            "id": [f"P{i}" for i in range(len(projects))],
            "skills": [x[0] for x in projects],
            "budget": [x[1] for x in projects],
        }
    )
    f = pd.DataFrame(
        {
            "id": [f"F{i}" for i in range(len(people))],
            "skills": [x[0] for x in people],
            "rate": [x[1] for x in people],
            "rating": [x[2] for x in people],
        }
    )
    return read(p, "projects"), read(f, "people")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    projects=st.lists(st.tuples(skill_cells, rates), min_size=1, max_size=6),
    people=st.lists(
        st.tuples(skill_cells, rates, st.one_of(st.none(), st.sampled_from([3.5, 4.2, 5.0]))),
        min_size=1,
        max_size=12,
    ),
    top=st.sampled_from([0, 1, 3, 10]),
    min_skill=st.sampled_from([0.0, 0.4, 0.5, 0.9]),
    min_score=st.sampled_from([0.0, 40.0]),
    cells=st.sampled_from([1, 7, 10_000]),
)
def test_streamed_rate_figures_equal_the_all_pairs_computation(
    projects, people, top, min_skill, min_score, cells
):
    project_frame, people_frame = frames(projects, people)
    config = Config()
    s = PriceSettings(top=top, min_score=min_score, min_skill=min_skill)
    want = all_pairs_stats(project_frame, people_frame, config, s)
    original = engine.blocks
    with pytest.MonkeyPatch.context() as patch:  # any block size: 1 cell is 1 project a block
        patch.setattr(engine, "blocks", lambda p, n, c=0: original(p, n, cells))
        got = fitting_stats(project_frame, people_frame, config, s)
    assert_same(got, want)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.one_of(st.just(np.nan), st.floats(0, 1e8))),
        max_size=40,
    )
)
def test_rate_summary_equals_pandas_groupby_quantiles(rows):
    group = np.array([g for g, _ in rows], dtype=np.int64)
    value = np.array([v for _, v in rows], dtype=float)
    order = np.lexsort((value, group))
    got = rate_summary(group[order], value[order], 5)
    frame = pd.DataFrame({"project": group, "rate": value}).dropna()
    assert_same(got, pandas_quantiles(frame, 5))


def test_examples_price_figures_equal_the_all_pairs_computation():
    projects = read(EXAMPLES / "projects.csv", "projects")
    people = read(EXAMPLES / "people.csv", "people")
    for s in (PriceSettings(), PriceSettings(top=0), PriceSettings(top=3, min_skill=0.7)):
        want = all_pairs_stats(projects, people, Config(), s)
        assert_same(fitting_stats(projects, people, Config(), s), want)


def test_scored_blocks_cover_every_selected_project_once():
    projects = read(EXAMPLES / "projects.csv", "projects")
    people = read(EXAMPLES / "people.csv", "people")
    mask = np.arange(len(projects)) % 3 == 0
    seen, calls = [], []
    original = engine.blocks
    with pytest.MonkeyPatch.context() as patch:  # two projects a block
        patch.setattr(engine, "blocks", lambda p, n, c=0: original(p, n, 2 * len(people)))
        for block, score in scored_blocks(
            projects, people, Config(), filters=Filters(), project_mask=mask,
            progress=lambda done, total: calls.append((done, total)),
        ):  # fmt: skip
            assert score.shape == (len(block), len(people)) and score.dtype == np.float32
            seen += block.tolist()
    assert seen == np.flatnonzero(mask).tolist()
    n = int(mask.sum())
    assert calls == [(min(i, n), n) for i in range(2, n + 2, 2)]
    # the same candidates, filtered the same way, as the ranked lists
    ranked = score_all(projects, people, Config(), filters=Filters(), top=0, project_mask=mask)
    cells = set()
    for block, score in scored_blocks(
        projects, people, Config(), filters=Filters(), project_mask=mask
    ):
        rows, persons = np.nonzero(score >= 0)
        cells |= set(zip(block[rows].tolist(), persons.tolist(), strict=True))
    want = set(zip(ranked.pairs.project.tolist(), ranked.pairs.person.tolist(), strict=True))
    assert cells == want


def test_report_scores_are_matchs_scores_without_the_skill_texts():
    projects = read(EXAMPLES / "projects.csv", "projects")
    people = read(EXAMPLES / "people.csv", "people")
    data = ReportData(projects, people, Config())
    full = to_frame(score_all(projects, people, Config(), filters=Filters(), top=5), Config())
    pd.testing.assert_frame_equal(top_scores(data), full[["project_id", "rank", "score"]])


def test_a_pin_missing_from_the_scores_is_still_named(tmp_path):
    """`assign` checks pins against the edges a pin names only (no set of every edge): a
    pin of known ids that the scores file lacks is still a usage error naming it."""
    from conftest import write
    from typer.testing import CliRunner

    from gigmatch.cli.app import app
    from gigmatch.errors import ExitCode

    scores = write(tmp_path, "s.csv", "project_id,person_id,score\nP1,A,90\nP2,B,80\n")
    result = CliRunner().invoke(app, ["assign", "--scores", str(scores), "--pin", "P1:B"])
    assert result.exit_code == ExitCode.USAGE
    assert "--pin P1:B: this pair is not in the scores file" in result.stderr
    kept = CliRunner().invoke(
        app, ["assign", "--scores", str(scores), "--pin", "P2:B", "-f", "csv"]
    )
    assert kept.exit_code == 0, kept.output
    plan = list(csv.DictReader(io.StringIO(kept.stdout)))
    assert {(r["project_id"], r["person_id"], r["pinned"]) for r in plan} == {
        ("P1", "A", "False"),
        ("P2", "B", "True"),
    }
