"""The fast paths before scoring give what the plain rules give.

Reading skill cells column by column, grouping entries by distinct item, the one-key sorts of
the skill model and the resolver's one-lookup path are shortcuts: each is checked here against
the straightforward computation it replaces, on random inputs.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from gigmatch.api import configured
from gigmatch.read.skill_cells import SkillItem, split_cells, split_skills
from gigmatch.score.skill_model import Entries, _best_of, _columns, _credit, _order_by
from gigmatch.skills.index import SAME, Links, RelationLookup, distinct_items, make_resolver
from gigmatch.skills.knowledge import load_knowledge
from gigmatch.skills.resolve import _PLAIN_TEXT
from gigmatch.skills.spelling import level_factor
from gigmatch.skills.text import clean, key

PIECES = ["Python", "python:4", " React ", "SEO:9", "", "['SEO', 'Copy']", "a|b", "x,y", "C#:2"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=5), max_size=20),
       st.sampled_from([";", "|", ",", "\n", "; "]))  # fmt: skip
def test_split_cells_is_split_skills_per_cell(rows, separator):
    texts = [separator.join(row).strip() for row in rows]
    lists, problems = split_cells(texts)
    expected = [split_skills(t) if t else ([], []) for t in texts]
    assert lists == [items for items, _ in expected]
    assert problems == [(i, p) for i, (_, found) in enumerate(expected) for p in found]


def test_distinct_items_codes_point_at_equal_items():
    shared = SkillItem("Python", 4)
    items = [shared, SkillItem("SEO"), shared, SkillItem("SEO"), SkillItem("Go", 2)]
    codes, distinct = distinct_items(items)
    assert [distinct[c] for c in codes] == items
    assert distinct[0] is shared and codes[2] == 0
    empty_codes, empty = distinct_items([])
    assert len(empty_codes) == 0 and empty == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(-1, 30), st.integers(-5, 0)),
                max_size=60))  # fmt: skip
def test_order_by_is_lexsort(rows):
    keys = [np.array([r[i] for r in rows], dtype=np.int64) for i in range(3)]
    expected = np.lexsort(keys[::-1]) if rows else np.zeros(0, dtype=np.int64)
    assert _order_by(*keys).tolist() == expected.tolist()


def _best_of_reference(rows, cols, data, entry, value, related, shape):
    """The five-key lexsort that `_best_of` replaces."""
    order = np.lexsort((entry, -data, related, cols, rows))
    rows, cols, data = rows[order], cols[order], data[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[first], minlength=shape[0]), out=indptr[1:])
    matrix = sparse.csr_matrix((data[first], cols[first], indptr), shape=shape)
    return matrix, entry[order][first], value[order][first], related[order][first]


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 300))
def test_best_of_picks_what_the_full_sort_picks(seed, n):
    rng = np.random.default_rng(seed)
    shape = (6, 5)
    rows = np.sort(rng.integers(0, shape[0], n))  # entries come grouped by person
    cols = rng.integers(0, shape[1], n)
    entry = rng.permutation(n)  # (entry, col) never repeats
    data = rng.choice([0.2, 0.5, 0.8, 1.0], n)  # ties in credit are common
    related = rng.random(n) < 0.5
    value = rng.random(n)
    got = _best_of(rows, cols, data, entry, value, related, shape)
    want = _best_of_reference(rows, cols, data, entry, value, related, shape)
    assert (got[0].scipy() != want[0]).nnz == 0
    assert got[0].indices.tolist() == want[0].indices.tolist()
    for a, b in zip(got[1:], want[1:], strict=True):
        assert a.tolist() == b.tolist()


def _credit_reference(offered, links, col_skill, col_level, n_people, config):
    """`_credit` the slow way: every offered entry against every column it reaches, one by one,
    keeping per cell the same skill before a related one, then the larger credit, then the
    entry listed first."""
    t = config.thresholds
    best: dict[tuple[int, int], tuple] = {}
    for e, (person, skill, level) in enumerate(
        zip(offered.owner.tolist(), offered.skill.tolist(), offered.level.tolist(), strict=True)
    ):
        have = level or t.default_level
        reach = [(skill, 1.0, False)] + [
            (w, v, k != SAME)
            for w, o, v, k in zip(links.wanted, links.offered, links.value, links.kind, strict=True)
            if o == skill
        ]
        for wanted, value, related in reach:
            for c in np.flatnonzero(col_skill == wanted).tolist():
                factor = level_factor(np.array([col_level[c]]), np.array([have]), t.level_step)
                credit = float(value * factor[0])
                rank = (related, -credit, e)
                if (person, c) not in best or rank < best[(person, c)][0]:
                    best[(person, c)] = (rank, credit, value)
    cells = sorted(best)
    matrix = sparse.csr_matrix(
        ([best[c][1] for c in cells], ([c[0] for c in cells], [c[1] for c in cells])),
        shape=(n_people, len(col_skill)),
    )
    winner = [best[c][0][2] for c in cells]
    return matrix, winner, [best[c][2] for c in cells], [best[c][0][0] for c in cells]


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000))
def test_credit_joins_as_entry_by_entry(seed):
    rng = np.random.default_rng(seed)
    n_people, n_skills = int(rng.integers(1, 6)), int(rng.integers(1, 7))
    rows = sorted({(int(p), int(s)) for p, s in rng.integers(0, [n_people, n_skills], (12, 2))})[
        : int(rng.integers(0, 13))
    ]
    offered = Entries(
        np.array([p for p, _ in rows], dtype=np.int64),
        np.array([s for _, s in rows], dtype=np.int64),
        rng.integers(0, 6, len(rows)).astype(np.int64),
        [f"s{s}" for _, s in rows],
    )
    asked = rng.integers(0, n_skills, 8)
    wanted = Entries(np.zeros(8, np.int64), asked, rng.integers(0, 6, 8), [""] * 8)
    col_skill, col_level, _ = _columns(wanted)
    pairs = sorted({(int(w), int(o)) for w, o in rng.integers(0, n_skills, (6, 2)) if w != o})
    kind = rng.integers(0, 5, len(pairs))
    value = np.where(kind == SAME, 1.0, rng.choice([0.2, 0.5, 0.8], len(pairs)))
    w_arr = np.array([w for w, _ in pairs], dtype=np.int64)
    o_arr = np.array([o for _, o in pairs], dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    links = Links(w_arr, o_arr, value, kind, RelationLookup(empty, empty, empty, []))
    config = configured(None)
    got = _credit(offered, links, col_skill, col_level, n_people, config)
    want = _credit_reference(offered, links, col_skill, col_level, n_people, config)
    assert got[0].shape == want[0].shape and (got[0].scipy() != want[0]).nnz == 0
    assert got[0].indices.tolist() == want[0].indices.tolist()
    assert got[0].data.tolist() == want[0].data.tolist()
    for a, b in zip(got[1:], want[1:], strict=True):
        assert a.tolist() == list(b)


def test_one_lookup_path_resolves_as_the_full_path():
    kb = load_knowledge()
    spellings = []
    for i, concept in enumerate(kb):
        if i % 37 == 0:
            spellings += [concept.name, concept.name.upper(), *concept.spellings[:3]]
    spellings += ["Python 3", "ReactJS", "Search Engine Optimization (SEO)", "Pyhton", "Acme X"]
    batch = make_resolver(configured(None)).resolve_many(spellings)
    one_by_one = make_resolver(configured(None))
    for spelling, res in zip(spellings, batch, strict=True):
        full, typo_ok = one_by_one._resolve_local(spelling)
        if not typo_ok:
            assert res == full, spelling


HOSTILE = ["Go:05", "Go: 3 ", "SQL:high", "'Python'", '"SEO"', "a  b", "x" * 120, ":3", "Name:",
           "Go:٣", "C++: advanced", "k8s:1:2", "  ", "Rust:5", "Rust:0", "[x", "R:2.5"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(PIECES + HOSTILE),
                                   st.text(alphabet=" :;|,'\"ab5٣x\n[]", max_size=12)),
                         max_size=6), max_size=25),
       st.sampled_from([";", "|", ",", "\n", "; "]))  # fmt: skip
def test_split_cells_is_split_skills_per_cell_on_odd_pieces(rows, separator):
    """Levels that are not 1-5, quotes, long names, blanks and repeated cells: the column path
    (pieces read once each, the common shapes all at once) says what split_skills says."""
    texts = [separator.join(row).strip() for row in rows]
    texts += texts[:3]  # repeated cells take the copy path
    lists, problems = split_cells(texts)
    expected = [split_skills(t) if t else ([], []) for t in texts]
    assert lists == [items for items, _ in expected]
    assert problems == [(i, p) for i, (_, found) in enumerate(expected) for p in found]
    assert len({id(items) for items in lists}) == len(lists)  # no two rows share a list


@settings(max_examples=500, deadline=None)
@given(st.from_regex(_PLAIN_TEXT, fullmatch=True))
def test_plain_text_is_clean_and_its_key_is_the_text_lower_cased(text):
    assert clean(text) == text
    assert key(text) == text.lower()


def test_plain_text_leaves_out_what_key_changes():
    for text in ["Node-JS", "UI/UX", "R&D", " Python", "Python ", "a  b", "Vue.", "Café", "'SQL'"]:
        assert not _PLAIN_TEXT.fullmatch(text), text
    for text in ["Python", "C++", "C#", ".NET", "Node.js", "Python 3.11", "Power BI"]:
        assert _PLAIN_TEXT.fullmatch(text) and key(text) == text.lower(), text
