"""The compiled kernel against the numpy block scorer and a plain all-pairs reference.

Random pools (same and related skills, levels, nice-to-have, free text, missing values) under
every filter, block size and k: both passes must give the very same pairs, scores and ranks, and
those must be what scoring every pair one by one in float64 gives.
"""

from __future__ import annotations

from threading import get_ident
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gigmatch.read.config import config_from_dict
from gigmatch.score.components import (
    Filters,
    pair_components,
    person_terms,
    project_terms,
    total_score,
)
from gigmatch.score.engine import Engine, KernelInputs, blocks, score_block
from gigmatch.score.ranking import read, score_all
from gigmatch.score.skill_model import build_skill_model
from gigmatch.score.text import build_text_model

pytest.importorskip("numba")

# same skills in several spellings, related ones (Tableau ~ Power BI, Django -> Python), others
SKILLS = ["Python", "python3", "Pyhton", "Django", "React", "ReactJS", "Tableau", "Power BI",
          "SQL", "PostgreSQL", "Go", "Rust", "Excel", "Figma"]  # fmt: skip
WORDS = ["dashboards", "api", "backend", "design", "data", "mobile", "payments", "analytics"]
ZONES = ["UTC+1", "GMT-5", "Asia/Kolkata", "", "UTC+8"]


def _skill_cell(draw, low: int, high: int) -> str:
    names = draw(st.lists(st.sampled_from(SKILLS), min_size=low, max_size=high))
    levels = [draw(st.sampled_from(["", ":1", ":3", ":5"])) for _ in names]
    return "; ".join(n + v for n, v in zip(names, levels, strict=True))


def _text(draw) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4)))


def _maybe(draw, values) -> str:
    return draw(st.sampled_from(["", *map(str, values)]))


@st.composite
def pools(draw):
    n_projects, n_people = draw(st.integers(1, 6)), draw(st.integers(1, 25))
    projects = pd.DataFrame(
        {
            "id": [f"J{i}" for i in range(n_projects)],
            "title": [f"job {i}" for i in range(n_projects)],
            "skills": [_skill_cell(draw, 0, 3) for _ in range(n_projects)],
            "nice_to_have": [_skill_cell(draw, 0, 2) for _ in range(n_projects)],
            "budget": [_maybe(draw, [0, 40, 60, 100]) for _ in range(n_projects)],
            "hours": [_maybe(draw, [10, 20, 40]) for _ in range(n_projects)],
            "timezone": [draw(st.sampled_from(ZONES)) for _ in range(n_projects)],
            "description": [_text(draw) for _ in range(n_projects)],
        }
    )
    people = pd.DataFrame(
        {
            "id": [f"P{draw(st.integers(0, 10**6))}-{i}" for i in range(n_people)],
            "name": [f"person {i}" for i in range(n_people)],
            "skills": [_skill_cell(draw, 0, 4) for _ in range(n_people)],
            "rate": [_maybe(draw, [30, 40, 55, 60, 90, 150]) for _ in range(n_people)],
            "hours": [_maybe(draw, [5, 10, 20, 40]) for _ in range(n_people)],
            "rating": [_maybe(draw, [3.5, 4.0, 4.8, 5]) for _ in range(n_people)],
            "reviews": [_maybe(draw, [0, 3, 40]) for _ in range(n_people)],
            "timezone": [draw(st.sampled_from(ZONES)) for _ in range(n_people)],
            "headline": [_text(draw) for _ in range(n_people)],
        }
    )
    return projects, people


filters_strategy = st.builds(
    Filters,
    require_all=st.booleans(),
    max_over_budget=st.one_of(st.none(), st.sampled_from([0.0, 10.0, 37.5])),
    min_score=st.sampled_from([0.0, 40.0, 55.0, 62.5, 70.0]),
    min_skill=st.sampled_from([0.0, 0.25, 0.5, 0.8]),
)
config_strategy = st.builds(
    lambda nice, text, step: config_from_dict(
        {"thresholds": {"nice_to_have": nice, "level_step": step}, "weights": {"text": text}}
    ),
    st.sampled_from([0.0, 0.2, 1.0]),
    st.sampled_from([0.0, 0.1]),
    st.sampled_from([0.2, 0.5]),
)


def _engine(projects, people, config) -> Engine:
    model = build_skill_model(projects, people, config)
    text = build_text_model(projects, people) if config.weights.text > 0 else None
    return Engine.build(model, person_terms(people, config), project_terms(projects), config, text)


def _run(engine: Engine, filters: Filters, k: int, cells: int, compiled: bool) -> list[tuple]:
    out = []
    for block in blocks(np.arange(len(engine.projects.budget)), engine.n_people, cells):
        pairs, rank = score_block(engine, block, filters, k, compiled=compiled)
        columns = [pairs.project, pairs.person, pairs.score, pairs.matched, rank]
        columns += [pairs.components[c] for c in sorted(pairs.components)]
        out += [tuple(row) for row in zip(*(c.tolist() for c in columns), strict=True)]
    return out


def _all_pairs(projects, people, config, filters: Filters, k: int) -> list[tuple]:
    """Every pair scored one by one in float64, filtered, sorted: (project, person, score)."""
    engine = _engine(projects, people, config)
    model = engine.model
    project = np.repeat(np.arange(len(projects)), len(people))
    person = np.tile(np.arange(len(people)), len(projects))
    components, matched = pair_components(
        model, engine.people, engine.projects, project, person, config
    )
    if engine.text is not None:
        components["text"] = engine.text.pairs(project, person)
    score = total_score(components, config)
    keep = ((matched > 0) | (model.n_required[project] == 0)) & (score >= filters.min_score)
    keep &= components["skill"] >= filters.min_skill - 1e-6 if filters.min_skill > 0 else True
    if filters.require_all:
        keep &= matched >= model.n_required[project]
    if filters.max_over_budget is not None:
        limit = engine.projects.budget[project] * (1 + filters.max_over_budget / 100)
        keep &= ~(engine.people.rate[person] > limit)
    project, person, score = project[keep], person[keep], score[keep]
    order = np.lexsort((engine.people.order[person], -score, project))
    out = []
    for p in np.unique(project):
        chosen = order[project[order] == p][: k or None]
        out += [(int(p), int(person[i]), float(score[i])) for i in chosen]
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pool=pools(),
    config=config_strategy,
    filters=filters_strategy,
    k=st.integers(0, 4),
    cells=st.sampled_from([1, 30, 10_000]),
    big=st.sampled_from([None, 0, 1, 3]),
    tile=st.sampled_from([1, 40, 250_000]),
)
def test_kernel_and_numpy_pass_agree_with_all_pairs(pool, config, filters, k, cells, big, tile):
    """`big`: the list length above which the kernel looks people up in bitsets (0: every
    list, so short and long lists, walked and pruned, all meet the reference). `tile`: the
    cells of one step of the numpy pass (1: a project per step, so a block's tiles meet)."""
    projects = read(pool[0], "projects", config)
    people = read(pool[1], "people", config)
    engine = _engine(projects, people, config)
    engine.__dict__["kernel_inputs"] = KernelInputs.of(engine, big=big)  # the cached property
    fast = _run(engine, filters, k, cells, compiled=True)
    with mock.patch("gigmatch.score.engine.TILE_CELLS", tile):
        assert fast == _run(engine, filters, k, cells, compiled=False)
    assert [row[:3] for row in fast] == _all_pairs(projects, people, config, filters, k)


def test_ties_at_the_cut_go_to_the_lower_person_id():
    """Twenty identical people for top 3: the kernel keeps every tie for the exact pass."""
    config = config_from_dict({})
    projects = read(
        pd.DataFrame({"id": ["J"], "title": ["t"], "skills": ["Python"]}), "projects", config
    )
    people = read(
        pd.DataFrame(
            {
                "id": [f"P{i:02d}" for i in range(20)][::-1],
                "name": ["n"] * 20,
                "skills": ["Python"] * 20,
            }
        ),  # fmt: skip
        "people",
        config,
    )
    engine = _engine(projects, people, config)
    pairs, rank = score_block(engine, np.arange(1), Filters(), 3, compiled=True)
    assert people["id"].to_numpy()[pairs.person].tolist() == ["P00", "P01", "P02"]
    assert rank.tolist() == [1, 2, 3]


def test_threads_and_blocks_do_not_change_the_result(monkeypatch):
    """score_all through the thread pool, one thread or two, kernel or numpy: same pairs, and
    progress reported in order from the calling thread."""
    from conftest import EXAMPLES

    config = config_from_dict({})
    projects = read(EXAMPLES / "projects.csv", "projects", config)
    people = read(EXAMPLES / "people.csv", "people", config)
    results = []
    for threads, kernel, cells in (("1", "numpy", 8_000_000), ("2", "compiled", 40)):
        monkeypatch.setenv("GIGMATCH_THREADS", threads)
        monkeypatch.setenv("GIGMATCH_KERNEL", kernel)
        monkeypatch.setattr("gigmatch.score.engine.CELLS_PER_BLOCK", cells)
        seen: list[tuple[int, int, int]] = []
        scored = score_all(
            projects, people, config, filters=Filters(), top=3,
            progress=lambda done, total, seen=seen: seen.append((done, total, get_ident())),
        )  # fmt: skip
        assert seen[-1][:2] == (len(projects), len(projects))
        assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
        assert {thread for _, _, thread in seen} == {get_ident()}
        results.append((scored.pairs.project.tolist(), scored.pairs.person.tolist(),
                        scored.pairs.score.tolist(), scored.rank.tolist()))  # fmt: skip
    assert results[0] == results[1]


def test_a_pool_with_a_head_skill_prunes_to_the_same_pairs():
    """Most of the pool holds one skill (a Zipf head, as in real exports): the kernel looks
    the long lists up in bitsets and walks them only while their bound can still reach the
    k-th best. It must keep exactly the pairs the numpy pass keeps, for every k and filter."""
    rng = np.random.default_rng(12)
    rare = [s for s in SKILLS if s not in ("Python", "python3", "Pyhton")]
    n_people, n_projects = 1500, 60

    def cell(head_share: float, extra: int) -> str:
        names = ["Python" + rng.choice(["", ":2", ":5"])] if rng.random() < head_share else []
        names += [str(s) + rng.choice(["", ":1", ":4"]) for s in rng.choice(rare, extra)]
        return "; ".join(names)

    projects = pd.DataFrame(
        {
            "id": [f"J{i}" for i in range(n_projects)],
            "title": ["t"] * n_projects,
            "skills": [cell(0.7, int(rng.integers(0, 3))) for _ in range(n_projects)],
            "nice_to_have": [cell(0.3, int(rng.integers(0, 2))) for _ in range(n_projects)],
            "budget": rng.choice(["", "40", "80"], n_projects),
            "hours": rng.choice(["", "10", "30"], n_projects),
            "timezone": rng.choice(ZONES, n_projects),
        }
    )
    people = pd.DataFrame(
        {
            "id": [f"P{i:05d}" for i in range(n_people)],
            "name": ["n"] * n_people,
            "skills": [cell(0.8, int(rng.integers(0, 3))) for _ in range(n_people)],
            "rate": rng.choice(["", "30", "60", "120"], n_people),
            "hours": rng.choice(["", "5", "20", "40"], n_people),
            "rating": rng.choice(["", "3.5", "4.2", "4.9"], n_people),
            "reviews": rng.choice(["", "2", "50"], n_people),
            "timezone": rng.choice(ZONES, n_people),
        }
    )
    cases = [(0.2, Filters(), (1, 5, 0)), (0.2, Filters(require_all=True, min_score=50.0,
             min_skill=0.3), (3,)), (1.0, Filters(), (2,))]  # fmt: skip
    for nice, filters, ks in cases:  # nice_to_have 1: required skills weigh nothing
        config = config_from_dict({"thresholds": {"nice_to_have": nice}})
        engine = _engine(read(projects, "projects", config), read(people, "people", config), config)
        for k in ks:
            for big in (None, 0, 40):
                engine.__dict__["kernel_inputs"] = KernelInputs.of(engine, big=big)
                fast = _run(engine, filters, k, 100_000, compiled=True)
                assert fast == _run(engine, filters, k, 100_000, compiled=False), (nice, k, big)


def test_required_skills_that_weigh_nothing_still_make_candidates():
    """With nice_to_have = 1 the required skill weighs nothing, yet its holders are the
    candidates: a long list left unwalked bounds them by the other terms, not by zero."""
    config = config_from_dict({"thresholds": {"nice_to_have": 1.0}})
    projects = read(
        pd.DataFrame({"id": ["J"], "title": ["t"], "skills": ["Python"], "nice_to_have": ["Rust"]}),
        "projects",
        config,
    )
    people = read(
        pd.DataFrame(
            {
                "id": [f"P{i:02d}" for i in range(30)],
                "name": ["n"] * 30,
                "skills": ["Python; Rust" if i == 7 else "Python" for i in range(30)],
                "rating": [str(3 + i % 3) for i in range(30)],
            }
        ),
        "people",
        config,
    )
    engine = _engine(projects, people, config)
    engine.__dict__["kernel_inputs"] = KernelInputs.of(engine, big=5)  # Python long, Rust short
    fast = _run(engine, Filters(), 3, 100_000, compiled=True)
    assert len(fast) == 3
    assert fast == _run(engine, Filters(), 3, 100_000, compiled=False)


@pytest.mark.parametrize(
    ("dense_cells", "terms"), [(0, 1), (0, 4_000_000), (500, 7), (64_000_000, 4_000_000)]
)
def test_numpy_pass_with_columns_past_the_dense_cap_meets_the_kernel(
    monkeypatch, dense_cells, terms
):
    """Columns the dense cap leaves out are scored as rare ones, however many hold them, their
    product terms made a few projects at a time (`terms`: one project at a time at 1); with
    more than 64 people (180: not a multiple of 8 words either) the candidate bitsets span
    several words. Every filter, both passes, the same pairs."""
    from conftest import EXAMPLES

    config = config_from_dict({})
    frame = pd.read_csv(EXAMPLES / "people.csv", dtype=str, keep_default_na=False)
    copies = [frame.assign(ID=frame["ID"] + f"-{i}") for i in range(3)]
    people = read(pd.concat(copies, ignore_index=True), "people", config)
    projects = read(EXAMPLES / "projects.csv", "projects", config)
    monkeypatch.setattr("gigmatch.score.engine.DENSE_CELLS", dense_cells)
    monkeypatch.setattr("gigmatch.score.engine.PRODUCT_TERMS", terms)
    for filters in (Filters(), Filters(True, None, 0.0), Filters(False, 10.0, 40.0)):
        engine = _engine(projects, people, config)
        assert len(engine.dense_inputs.dense) <= dense_cells // len(people)
        fast = _run(engine, filters, 3, 10_000, compiled=True)
        assert fast == _run(engine, filters, 3, 10_000, compiled=False)
        assert [row[:3] for row in fast] == _all_pairs(projects, people, config, filters, 3)
