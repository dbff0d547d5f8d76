"""Work bounded by the data (issue 12): chunked and indexed paths give the results of the
plain ones, and a long calendar span or a huge value cannot make the work follow it.

`benchmarks/bench_memory.py` measures the memory on full-size hostile inputs; these tests pin
the behaviour on small ones."""

from __future__ import annotations

import csv
import io
import json
import random
import re

import numpy as np
import pytest
from conftest import EXAMPLES, write
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.insights import forecast as fc
from gigmatch.insights import tune
from gigmatch.present.report import MAX_RATE_BINS, rate_bins
from gigmatch.read.config import Config
from gigmatch.score.csr import Csr, chunks
from gigmatch.score.ranking import read
from gigmatch.skills import resolve
from gigmatch.skills.index import SkillIndex
from gigmatch.skills.knowledge import load_knowledge
from gigmatch.skills.resolve import Resolver

runner = CliRunner()

SPELLINGS = ["Pyhton", "Javscript", "Djnago", "Reactt", "Postgress", "Kubernets", "Tablaeu",
             "Pythn 3", "Figmaa", "Photoshp", "Xqzvbt", "Lorem Ipsumx", "Wordpres", "Dockerr",
             "Typescipt", "Angluar", "Pyhton", "Javascirpt", "Exel", "Nodejs"]  # fmt: skip


def test_typo_correction_is_the_same_in_chunks_of_one_and_three(monkeypatch):
    kb = load_knowledge()
    whole = Resolver(kb).resolve_many(SPELLINGS)
    assert any(r.how.startswith("typo") for r in whole)  # the step under test ran
    for size in (1, 3):
        monkeypatch.setattr(resolve, "TYPO_CHUNK", size)
        assert Resolver(kb).resolve_many(SPELLINGS) == whole


def _many_versions(seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    products = ["Python", "Django", "React", "Vue", "Java", "JavaScript", "Tableau", "Power BI"]

    def spelling() -> str:
        name = rng.choice(products)
        parts = [str(rng.randint(1, 3)) for _ in range(rng.randint(0, 3))]
        return f"{name} {'.'.join(parts)}".strip()

    return [spelling() for _ in range(40)], [spelling() for _ in range(60)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_version_index_pairs_keys_as_testing_every_pair_does(seed):
    resolver = Resolver(load_knowledge())
    required, offered = _many_versions(seed)
    rk = [r.key for r in resolver.resolve_many(required)]
    ok = [r.key for r in resolver.resolve_many(offered)]
    assert resolver.same_pairs(rk, ok) == [
        (i, j) for i, a in enumerate(rk) for j, b in enumerate(ok) if a != b and resolver.same(a, b)
    ]
    got = resolver.related_pairs(rk, ok)
    assert got == [
        (i, j, rel)
        for i, a in enumerate(rk)
        for j, b in enumerate(ok)
        if (rel := resolver.relation(a, b)) is not None
    ]
    assert {rel.kind for _, _, rel in got} >= {"version", "substitute"}


def test_links_keep_every_relation_for_the_explanation():
    required, offered = _many_versions(4)
    items = [[read_item(s)] for s in required + offered]
    index = SkillIndex.build(Config(), items)
    want = index.ids(required)
    have = index.ids(offered)
    links = index.links(want, have)
    resolver = index.resolver
    for w, o, kind in zip(links.wanted, links.offered, links.kind, strict=True):
        rel = resolver.relation(index.vocab.keys[w], index.vocab.keys[o])
        if kind == 0:
            assert resolver.same(index.vocab.keys[w], index.vocab.keys[o])
        else:
            assert links.relations[(int(w), int(o))] == rel
    assert len(links.relations) == int((links.kind != 0).sum())
    with pytest.raises(KeyError):
        links.relations[(10**6, 0)]


def read_item(spelling: str):
    from gigmatch.read.skill_cells import SkillItem

    return SkillItem(spelling, None)


# ---- tune --------------------------------------------------------------------------------------


def _one_person_history(tmp_path, n: int):
    rng = random.Random(9)
    skills = ["Python", "React", "Django", "SQL", "Figma"]
    rows = ["person_id,project_id,date,rating,on_time,skills,client"]
    for i in range(n):
        day = f"20{10 + i // 200:02d}-{1 + i // 17 % 12:02d}-{1 + i % 28:02d}"
        rating, on_time = rng.choice([3, 4, 4.5, 5]), rng.choice(["yes", "no"])
        rows.append(
            f"F-001,H-{i},{day},{rating},{on_time},{'; '.join(rng.sample(skills, 2))},C{i % 4}"
        )
    for i in range(30):
        rows.append(f"F-00{2 + i % 5},G-{i},2015-0{1 + i % 9}-11,{4 + i % 2 / 2},yes,Python,C1")
    return write(tmp_path, "history.csv", "\n".join(rows) + "\n")


def test_tune_in_small_blocks_gives_the_training_set_of_one_pass(tmp_path, monkeypatch):
    history = read(_one_person_history(tmp_path, 300), "history")
    people = read(EXAMPLES / "people.csv", "people")
    whole = tune.training_set(history, people, None, Config(), "2030-01-01")
    monkeypatch.setattr(tune, "PAIRS_PER_BLOCK", 7)
    rated = np.arange(len(history))
    person = np.zeros(len(history), dtype=np.int64)
    assert len(tune.row_blocks(person, np.arange(len(history)), rated)) > 10
    blocked = tune.training_set(history, people, None, Config(), "2030-01-01")
    assert np.array_equal(blocked.x, whole.x)
    assert np.array_equal(blocked.good, whole.good)


def test_before_weights_of_some_rows_are_those_rows_of_the_whole_matrix():
    rng = np.random.default_rng(0)
    person = rng.integers(0, 4, 200)
    day = rng.integers(0, 50, 200)
    whole = tune.before_weights(person, day, 30).toarray()
    rows = np.array([5, 0, 199, 77, 77])
    assert np.array_equal(tune.before_weights(person, day, 30, rows).toarray(), whole[rows])
    blocks = tune.row_blocks(person, day, np.arange(200))
    assert np.concatenate(blocks).tolist() == list(range(200))


def test_tune_the_examples_keeps_the_figures_of_one_pass():
    """The blocks change how the terms are computed, not what they are: these are the
    figures the one-pass code (before issue 12) printed for the examples."""
    args = ["tune", str(EXAMPLES / "history.csv"), "-P", str(EXAMPLES / "people.csv")]
    result = runner.invoke(app, [*args, "--as-of", "2026-01-01", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {w["component"]: w["tuned"] for w in data["weights"]} == {
        "skills": 0.036, "rating": 0.522, "reliability": 0.142,
        "rate": 0.1, "availability": 0.1, "timezone": 0.1,
    }  # fmt: skip
    assert data["mean_auc"] == {"default": 0.7654, "tuned": 0.7694}
    assert data["folds"][0]["auc_tuned"] == 0.7344


# ---- forecast ----------------------------------------------------------------------------------


def test_forecast_reads_the_last_ten_years_of_a_long_history(tmp_path):
    rows = ["person_id,project_id,date,skills"]
    rows += [f"F1,H{y},{y}-03-10,Python" for y in range(1900, 2100, 5)]
    rows += [f"F1,K{m},2099-{m:02d}-15,React" for m in range(1, 13)]
    history = read(write(tmp_path, "history.csv", "\n".join(rows) + "\n"), "history")
    vocab = fc.skill_index([history["skills"]], Config())
    events = fc.history_events(history, vocab)
    by_week = fc.demand(events, vocab, by="week", as_of=np.datetime64("2099-12-31"))
    assert len(by_week.periods) == fc.MAX_PERIODS["week"]
    by_month = fc.demand(events, vocab, as_of=np.datetime64("2099-12-31"))
    assert by_month.labels[0] == "2090-01" and by_month.labels[-1] == "2099-12"
    assert by_month.earlier == 38  # the five-yearly Python rows from 1900 to 2085
    assert by_month.names == ["React", "Python"]
    assert by_month.places.sum() == 12 + 2  # 2090 and 2095 are inside the window


def test_forecast_cli_says_what_the_window_left_out(tmp_path):
    rows = ["person_id,project_id,date,skills"]
    rows += [f"F1,H{i},{1900 + i}-0{1 + i % 9}-10,Python; SQL" for i in range(0, 199)]
    path = write(tmp_path, "history.csv", "\n".join(rows) + "\n")
    result = runner.invoke(app, ["forecast", str(path), "--by", "week", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert re.search(r"left out \d+ places before 2088-W02: demand is read from the last 522 "
                     r"weeks at most", " ".join(result.stderr.split()))  # fmt: skip
    history = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["kind"] == "history"]
    assert len({r["period"] for r in history}) == fc.MAX_PERIODS["week"]


# ---- report ------------------------------------------------------------------------------------


def test_rate_histogram_bars_follow_the_people_not_the_largest_rate():
    edges, width = rate_bins(np.array([35.0, 60.0, 80.0, 1_000_000.0]))
    assert width == 10 and edges[-1] == 80  # the typo stays out of the range
    edges, width = rate_bins(np.array([100.0, 400.0, 900.0, 5_000.0, 20_000.0]))
    assert len(edges) - 1 <= MAX_RATE_BINS and width == 200 and edges[-1] == 5_000
    plain, _ = rate_bins(np.array([45.0, 95.0]))
    assert plain.tolist() == list(np.arange(0.0, 110.0, 10.0))


def test_report_with_a_rate_of_a_million_stays_small(tmp_path):
    people = (EXAMPLES / "people.csv").read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([people[1]]))
    cells[3] = "1000000"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    people[1] = out.getvalue().rstrip("\n")
    path = write(tmp_path, "people.csv", "\n".join(people) + "\n")
    target = tmp_path / "report.html"
    args = ["report", str(EXAMPLES / "projects.csv"), str(path), "-o", str(target), "-q"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "bins of 10)" in html  # the other 59 rates keep their bins of 10
    assert re.search(r"<title>&gt; \d+: 1</title>", html)  # one bar counts the million
    assert len(html) < 500_000


# ---- versions, pair products and near misses --------------------------------------------------


def test_a_product_with_more_than_fifty_versions_is_read_as_the_product():
    from gigmatch.skills.index import MAX_VERSIONS

    many = [f"Python 3.{i}.1" for i in range(MAX_VERSIONS + 1)]
    index = SkillIndex.build(Config(), [[read_item(s)] for s in [*many, "Python", "Java 8"]])
    assert len({index.id_of(s) for s in [*many, "Python"]}) == 1
    assert index.id_of("Java 8") != index.id_of("Java 11")  # a product with few keeps them
    assert index.match_how("Python", "Python 3.7.1") == "version"
    few = SkillIndex.build(Config(), [[read_item(s)] for s in many[:5]])
    assert len({few.id_of(s) for s in many[:5]}) == 5


def as_csr(matrix) -> Csr:
    """A scipy matrix as the scorer's canonical `Csr` (rows x columns)."""
    from scipy import sparse

    matrix = sparse.csr_matrix(matrix)
    matrix.sort_indices()
    return Csr(matrix.indptr, matrix.indices, matrix.data, matrix.shape)


def test_pair_products_walk_the_projects_entries_with_the_sparse_result():
    from scipy import sparse

    from gigmatch.score.components import _row_dot

    rng = np.random.default_rng(3)
    rows = sparse.random(40, 30, density=0.3, format="csr", random_state=4)
    columns = sparse.random(30, 25, density=0.2, format="csc", random_state=5)
    person, project = rng.integers(0, 40, 500), rng.integers(0, 25, 500)
    expected = np.asarray(rows[person].multiply(columns[:, project].T.tocsr()).sum(axis=1))
    got = _row_dot(as_csr(rows), as_csr(columns.T), project, person)
    assert np.array_equal(got, expected.ravel())


@pytest.mark.parametrize("most", [1, 7, 50])
def test_pair_products_in_small_chunks_are_the_same_to_the_bit(monkeypatch, most):
    """Chunks bound the lookups held at once (a project asking for thousands of skills against
    every person); a pair is never split, so every sum is the same."""
    from scipy import sparse

    from gigmatch.score import components

    rng = np.random.default_rng(8)
    rows = as_csr(sparse.random(40, 30, density=0.3, format="csr", random_state=9))
    columns = as_csr(sparse.random(30, 25, density=0.3, format="csc", random_state=10).T)
    person, project = rng.integers(0, 40, 300), rng.integers(0, 25, 300)
    whole = components._row_dot(rows, columns, project, person)
    counts = np.diff(columns.indptr)[project]
    runs = chunks(counts, most)
    assert runs[0][0] == 0 and runs[-1][1] == len(project)
    assert all(a[1] == b[0] for a, b in zip(runs, runs[1:], strict=False))
    assert all(counts[lo:hi].sum() <= most or hi - lo == 1 for lo, hi in runs)
    monkeypatch.setattr(components, "LOOKUPS", most)
    assert np.array_equal(components._row_dot(rows, columns, project, person), whole)


def test_the_closest_spelling_of_a_near_miss_is_picked_as_before(tmp_path):
    from rapidfuzz import fuzz

    from gigmatch.skills.text import key

    offered = ["Zorblax Toolin", "Zorblaxx Tool", "Zorbex", "Tooling Zorb", "Zorblax Toolim"]
    projects = write(tmp_path, "projects.csv", "id,title,skills\nP1,App,Zorblax Tooling\n")
    people = write(tmp_path, "people.csv", f"id,name,skills\nF1,Ann,{'; '.join(offered)}\n")
    similarity, closest = max(
        (fuzz.ratio(key("Zorblax Tooling"), key(o)), o) for o in reversed(offered)
    )  # the rule before the bulk call
    result = runner.invoke(app, ["explain", str(projects), str(people), "P1", "F1", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert f"closest is {closest!r} (similarity {similarity:.0f})" in result.stdout
