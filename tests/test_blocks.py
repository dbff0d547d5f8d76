"""The dense block engine against a plain all-pairs reference built from `pair_components`."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import EXAMPLES

from gigmatch.read.config import Config
from gigmatch.score.components import (
    Filters,
    pair_components,
    person_terms,
    project_terms,
    total_score,
)
from gigmatch.score.engine import Engine, best_cells, blocks, score_block
from gigmatch.score.ranking import read
from gigmatch.score.skill_model import build_skill_model


def reference(projects, people, config, filters: Filters, k: int):
    """Every pair scored one by one (no blocks, no float32), filtered and ranked by sorting."""
    model = build_skill_model(projects, people, config)
    terms, pterms = person_terms(people, config), project_terms(projects)
    project = np.repeat(np.arange(len(projects)), len(people))
    person = np.tile(np.arange(len(people)), len(projects))
    components, matched = pair_components(model, terms, pterms, project, person, config)
    score = total_score(components, config)
    keep = (matched > 0) | (model.n_required[project] == 0)  # some required skill met
    keep &= score >= filters.min_score
    if filters.require_all:
        keep &= matched >= model.n_required[project]
    if filters.max_over_budget is not None:
        limit = pterms.budget[project] * (1 + filters.max_over_budget / 100)
        keep &= ~(terms.rate[person] > limit)
    project, person, score = project[keep], person[keep], score[keep]
    order = np.lexsort((terms.order[person], -score, project))
    result = []
    for p in np.unique(project):
        chosen = order[project[order] == p]
        result += [(int(p), int(person[i]), round(float(score[i]), 6)) for i in chosen[: k or None]]
    return result


def engine_result(projects, people, config, filters: Filters, k: int, cells: int):
    model = build_skill_model(projects, people, config)
    engine = Engine.build(model, person_terms(people, config), project_terms(projects), config)
    out = []
    for block in blocks(np.arange(len(projects)), len(people), cells):
        pairs, _ = score_block(engine, block, filters, k)
        out += [
            (int(p), int(f), round(float(s), 6))
            for p, f, s in zip(pairs.project, pairs.person, pairs.score, strict=True)
        ]
    return out


@pytest.mark.parametrize("k", [0, 1, 3, 10])
@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(require_all=True), Filters(max_over_budget=10), Filters(min_score=75)],
)
def test_block_engine_equals_all_pairs_reference(k, filters):
    config = Config()
    projects = read(EXAMPLES / "projects.csv", "projects", config)
    people = read(EXAMPLES / "people.csv", "people", config)
    expected = reference(projects, people, config, filters, k)
    for cells in (60, 600, 10_000):  # one project per block, several, all at once
        assert engine_result(projects, people, config, filters, k, cells) == expected


def test_best_cells_keeps_ties_and_skips_excluded():
    score = np.array(
        [[5, 9, 9, 1, -1, 9, 0, 3] * 20, [-1] * 160, [2] + [-1] * 159], dtype=np.float32
    )
    rows, cols = best_cells(score, 2)
    assert sorted(cols[rows == 0] % 8) == [1] * 20 + [2] * 20 + [5] * 20  # all 60 tied 9s
    assert not (rows == 1).any()
    assert cols[rows == 2].tolist() == [0]
