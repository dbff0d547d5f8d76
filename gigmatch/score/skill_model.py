"""Skill coverage: how much of each project's required skills each person brings.

The work is arranged so that nothing loops over person-project pairs. A sparse *credit* matrix
(people x wanted-skill-at-level) holds the best credit each person earns for each skill a
project may ask for; a sparse *weight* matrix (projects x wanted-skill-at-level) holds how much
each skill counts in each project. Their product is the coverage of every pair at once.

A credit comes from the same skill (full credit times a level factor) or, where the person has
no match of the same skill, from a related one (the relation's credit times the level factor).
Each stored credit remembers which it was (`related`), so the engine counts only same-skill
matches for the candidate rule and `--require-all`, and the explanation reads it back.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from gigmatch.read.skill_cells import MAX_LEVEL, SkillItem, paused_gc
from gigmatch.score.csr import Csr
from gigmatch.skills.index import (
    SAME,
    Links,
    SkillIndex,
    Vocabulary,
    count_spellings,
    distinct_ids,
    distinct_items,
)
from gigmatch.skills.relations import Relation
from gigmatch.skills.spelling import level_factor

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.read.config import Config


@dataclass(frozen=True)
class Entries:
    """Skill items flattened to arrays: owner row, skill id, level (0 = none), spelling."""

    owner: np.ndarray
    skill: np.ndarray
    level: np.ndarray
    spelling: list[str]


@dataclass(frozen=True)
class SkillModel:
    """Everything scoring needs to know about skills, built once per pair of files."""

    index: SkillIndex
    vocab: Vocabulary
    links: Links
    credit: Csr  # people x columns
    winner: np.ndarray  # per stored credit: the index of the offered entry that earned it
    match_value: np.ndarray  # per stored credit: 1 for the same skill, else the relation's credit
    related: np.ndarray  # per stored credit: True when it comes from a related skill
    required: Csr  # projects x columns, weights summing to 1 per project
    nice: Csr  # projects x columns
    n_required: np.ndarray  # required skills per project
    has_nice: np.ndarray  # project lists nice-to-have skills
    column_skill: np.ndarray  # skill id of each column
    column_level: np.ndarray  # level asked by each column (0 = none)
    wanted: Entries
    nice_items: Entries
    offered: Entries
    wanted_column: np.ndarray  # credit column of each wanted entry
    nice_column: np.ndarray  # credit column of each nice-to-have entry


@dataclass(frozen=True)
class _Read:
    """One skill column flattened: the row of each item, each item's code and the distinct
    item objects (`distinct_items`), made once and shared by the index and the entries."""

    owner: np.ndarray
    codes: np.ndarray
    distinct: list[SkillItem]
    names: list[str]  # the spelling of each distinct item

    @classmethod
    def of(cls, lists: list[list[SkillItem]]) -> _Read:
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        codes, distinct = distinct_items(list(chain.from_iterable(lists)))
        names = [item.name for item in distinct]
        return cls(np.repeat(np.arange(len(lists)), counts), codes, distinct, names)


def _entries(read: _Read, index: SkillIndex) -> Entries:
    """The items of a column with their skill ids, one entry per (owner, skill) keeping the
    highest level: listing Python and python3 must not count Python twice. Each distinct
    item is read once, and spellings are looked up only for the entries kept."""
    names = read.names
    skill = index.ids(names)[read.codes]
    level = np.array([item.level or 0 for item in read.distinct], dtype=np.int64)[read.codes]
    order = _order_by(read.owner, skill, -level)
    owner, by_skill = read.owner[order], skill[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (owner[1:] != owner[:-1]) | (by_skill[1:] != by_skill[:-1])
    keep = order[first]
    spelling = np.array(names, dtype=object)[read.codes[keep]].tolist() if len(keep) else []
    return Entries(read.owner[keep], skill[keep], level[keep], spelling)


def _order_by(*keys: np.ndarray) -> np.ndarray:
    """`np.lexsort` of integer keys, most significant first, as one stable sort of a single
    integer key (one pass instead of one per key); the same order, ties included."""
    if not len(keys[0]):
        return np.zeros(0, dtype=np.int64)
    lows = [int(k.min()) for k in keys]
    spans = [int(k.max()) - low + 1 for k, low in zip(keys, lows, strict=True)]
    if math.prod(spans) >= 2**62:
        return np.lexsort(keys[::-1])
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for k, low, span in zip(keys, lows, spans, strict=True):
        combined *= span
        combined += k - low
    return np.argsort(combined, kind="stable")


def build_skill_model(projects: pd.DataFrame, people: pd.DataFrame, config: Config) -> SkillModel:
    """Skill index, links between skills, credit and weight matrices for two parsed tables.

    The cyclic garbage collector is paused meanwhile: the model makes tens of thousands of
    small acyclic records while the parsed tables hold millions of objects, and each full
    collection walks all of them (1.1 s of 6 s at 10,000 x 100,000, measured)."""
    with paused_gc():
        return _build(projects, people, config)


def _build(projects: pd.DataFrame, people: pd.DataFrame, config: Config) -> SkillModel:
    t = config.thresholds
    columns = [projects["skills"], projects["nice_to_have"], people["skills"]]
    read = [_Read.of(list(rows)) for rows in columns]
    index = SkillIndex.from_counts(config, count_spellings((r.codes, r.names) for r in read))
    wanted, nice, offered = (_entries(r, index) for r in read)
    links = index.links(np.concatenate([wanted.skill, nice.skill]), offered.skill)
    col_skill, col_level, col_of = _columns(wanted, nice)
    n_projects, n_people = len(projects), len(people)
    credit, winner, match_value, related = _credit(
        offered, links, col_skill, col_level, n_people, config
    )
    return SkillModel(
        index=index,
        vocab=index.vocab,
        links=links,
        credit=credit,
        winner=winner,
        match_value=match_value,
        related=related,
        required=_weights(wanted, col_of, len(col_skill), n_projects, t.default_level),
        nice=_weights(nice, col_of, len(col_skill), n_projects, t.default_level),
        n_required=np.bincount(wanted.owner, minlength=n_projects),
        has_nice=np.bincount(nice.owner, minlength=n_projects) > 0,
        column_skill=col_skill,
        column_level=col_level,
        wanted=wanted,
        nice_items=nice,
        offered=offered,
        wanted_column=_column_of(wanted, col_of),
        nice_column=_column_of(nice, col_of),
    )


@dataclass(frozen=True)
class _ColumnCodes:
    """The credit columns as sorted codes, skill x span + (level - low), for finding the
    column of many entries with one search."""

    codes: np.ndarray
    span: int
    low: int

    def of(self, entries: Entries) -> np.ndarray:
        """The credit column of each entry: its (skill, level)."""
        found = entries.skill * self.span + (entries.level - self.low)
        return np.searchsorted(self.codes, found).astype(np.int64)


def _columns(*lists: Entries) -> tuple[np.ndarray, np.ndarray, _ColumnCodes]:
    """The distinct (skill, level) pairs projects ask for, in (skill, level) order: the
    columns of the credit matrix."""
    skill = np.concatenate([e.skill for e in lists]).astype(np.int64)
    level = np.concatenate([e.level for e in lists]).astype(np.int64)
    low = int(level.min()) if len(level) else 0
    span = int(level.max()) - low + 1 if len(level) else 1
    codes = np.unique(skill * span + (level - low))
    return codes // span, codes % span + low, _ColumnCodes(codes, span, low)


def _column_of(entries: Entries, col_of: _ColumnCodes) -> np.ndarray:
    """The credit column of each entry: its (skill, level)."""
    return col_of.of(entries)


def _weights(
    entries: Entries, col_of: _ColumnCodes, n_cols: int, n_projects: int, default: int
) -> Csr:
    """Projects x columns: a skill weighs its level (or the default); each project sums to 1."""
    cols = _column_of(entries, col_of)
    weight = np.where(entries.level > 0, entries.level, default).astype(float)
    total = np.bincount(entries.owner, weights=weight, minlength=n_projects)
    data = weight / np.where(total[entries.owner] > 0, total[entries.owner], 1.0)
    return Csr.from_cells(entries.owner, cols, data, (n_projects, n_cols))


def _reach(
    links: Links, offered_skills: np.ndarray, col_skill: np.ndarray
) -> tuple[np.ndarray, ...]:
    """(offered skill, column, value, related) for every credit column an offered skill
    reaches: itself at 1, plus its links. Small (one row per distinct skill and column), and
    sorted by (offered skill, column), so each offered entry's rows come in column order and
    the sort of all joined rows in `_credit` only merges a person's few runs."""
    own = distinct_ids(offered_skills)
    offer = np.concatenate([own, links.offered])
    want = np.concatenate([own, links.wanted])
    value = np.concatenate([np.ones(len(own)), links.value])
    related = np.concatenate([np.zeros(len(own), dtype=bool), links.kind != SAME])
    col_order = np.argsort(col_skill, kind="stable")
    r, c = _expand(want, col_skill[col_order])
    offer, column = offer[r], col_order[c]
    order = np.lexsort((column, offer))
    r = r[order]
    return offer[order], column[order].astype(np.int32), value[r], related[r]


def _join(keys: np.ndarray, table_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each `keys[i]` (an id), every row of the sorted `table_keys` equal to it:
    (how many rows each key joins, the joined table rows in key order). The left side of
    the join is `np.repeat(np.arange(len(keys)), counts)`, made only where it is needed."""
    if keys.min() >= 0:
        # Keys are ids: the bounds of every id at once, then read per key.
        bounds = np.searchsorted(table_keys, np.arange(max(keys.max(), table_keys[-1]) + 2))
        start, counts = bounds[keys], bounds[keys + 1] - bounds[keys]
    else:
        start = np.searchsorted(table_keys, keys, side="left")
        counts = np.searchsorted(table_keys, keys, side="right") - start
    total = int(counts.sum())
    dtype = np.int32 if max(len(keys), len(table_keys), total) < 2**31 else np.int64
    first = np.cumsum(counts) - counts
    return counts, np.arange(total, dtype=dtype) + np.repeat((start - first).astype(dtype), counts)


def _expand(keys: np.ndarray, table_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Join rows on a key: for each `keys[i]`, every row of the sorted `table_keys` equal to it.
    Returns (index into keys, index into table) of the joined rows."""
    if len(keys) and len(table_keys) and keys.min() >= 0:
        # Keys are ids: the bounds of every id at once, then read per key (no search per key).
        bounds = np.searchsorted(table_keys, np.arange(max(keys.max(), table_keys[-1]) + 2))
        start, stop = bounds[keys], bounds[keys + 1]
    else:
        start = np.searchsorted(table_keys, keys, side="left")
        stop = np.searchsorted(table_keys, keys, side="right")
    counts = stop - start
    total = int(counts.sum())
    # 32-bit positions when they fit: the joined arrays are the largest of the skill model
    # (6 million rows at 10,000 x 100,000), and half the width is half the memory traffic.
    small = max(len(keys), len(table_keys), total) < 2**31
    dtype = np.int32 if small else np.int64
    left = np.repeat(np.arange(len(keys), dtype=dtype), counts)
    first = (np.cumsum(counts) - counts).astype(dtype)
    offsets = np.arange(total, dtype=dtype) - np.repeat(first, counts)
    return left, np.repeat(start.astype(dtype), counts) + offsets


def _credit(
    offered: Entries,
    links: Links,
    col_skill: np.ndarray,
    col_level: np.ndarray,
    n_people: int,
    config: Config,
) -> tuple[Csr, np.ndarray, np.ndarray, np.ndarray]:
    """People x columns: the best credit (link value x level factor) per person and column,
    a same-skill match before any related one, with the offered entry that earned it, its
    value and whether it is related, so explaining a score is a lookup rather than a second
    implementation of this rule.

    The links are first joined to the columns they reach (a small table per distinct offered
    skill, `_reach`), then each offered entry to that table. The joined rows (6.5 million at
    10,000 x 100,000) are handled as a cell number and a row of the small table: one sort
    puts them in (person, column) order, and credit, value and the rest are read from the
    small table only for the rows kept, so few arrays of that length are ever made (making
    and filling them is most of the cost)."""
    t = config.thresholds
    shape = (n_people, len(col_skill))
    reach_offer, reach_column, reach_value, reach_related = _reach(links, offered.skill, col_skill)
    levels = MAX_LEVEL + 1
    factor = level_factor(np.arange(levels)[:, None], np.arange(levels)[None, :], t.level_step)
    # The credit of every reach row at every level a person may have.
    reach_credit = reach_value[:, None] * factor[col_level[reach_column]]
    level = np.where(offered.level > 0, offered.level, t.default_level).astype(np.int8)
    if not len(offered.skill) or not len(reach_offer):
        empty = np.zeros(0, dtype=np.int64)
        return _best_of(empty, empty, np.zeros(0), empty, np.zeros(0), np.zeros(0, bool), shape)
    counts, row = _join(offered.skill, reach_offer)
    entry = np.repeat(np.arange(len(counts), dtype=row.dtype), counts)
    # Cells as 32-bit numbers when they fit (they do at 100,000 x 7,000 columns): half the
    # bytes to sort and move.
    width = max(shape[1], 1)
    small = shape[0] * width < 2**31
    cell = np.repeat(offered.owner.astype(np.int32 if small else np.int64) * width, counts)
    cell += reach_column[row]

    def rank(at: np.ndarray) -> tuple[np.ndarray, ...]:
        """The tie keys of some joined rows, least significant first: credit (larger first),
        then related. The entry listed first wins what is still tied without a key of its
        own: rows come entry by entry, and the sort keeps their order."""
        r = row[at]
        return -reach_credit[r, level[entry[at]]], reach_related[r]

    keep, kept_cells = _best_cells(cell, rank)
    row, entry = row[keep], entry[keep]
    del cell, keep
    matrix = Csr.from_sorted_cells(
        reach_credit[row, level[entry]], reach_column[row], kept_cells, shape
    )
    return matrix, entry.astype(np.int64), reach_value[row], reach_related[row]


def _best_cells(
    cell: np.ndarray, rank: Callable[[np.ndarray], tuple[np.ndarray, ...]]
) -> tuple[np.ndarray, np.ndarray]:
    """The row to keep for each distinct cell (row x width + column), in cell order, and the
    kept cells. Where a cell repeats, `rank(rows)` gives the tie keys of those rows, least
    significant first as `np.lexsort` takes them, and the row first by those keys (then by
    position) is kept.

    One stable sort of the cells, then only the few cells that repeat are ordered by the tie
    keys: the pick is the one a full stable sort by (cell, *reversed keys) gives."""
    order = np.argsort(cell, kind="stable")
    cell = cell[order]
    repeats = np.flatnonzero(cell[1:] == cell[:-1])
    if len(repeats):
        mark = np.zeros(len(cell), dtype=bool)
        mark[repeats] = True
        mark[repeats + 1] = True
        at = np.flatnonzero(mark)
        sub = order[at]
        order[at] = sub[np.lexsort((*rank(sub), cell[at]))]
    first = np.ones(len(cell), dtype=bool)
    first[1:] = cell[1:] != cell[:-1]
    return order[first], cell[first]


def _best_of(
    rows: np.ndarray,
    cols: np.ndarray,
    data: np.ndarray,
    entry: np.ndarray,
    value: np.ndarray,
    related: np.ndarray,
    shape: tuple[int, int],
) -> tuple[Csr, np.ndarray, np.ndarray, np.ndarray]:
    """`_best_cells` on plain arrays: a matrix keeping, where (row, col) repeats
    (scipy would sum), a same-skill credit before a related one, then the largest, then the
    lowest entry, whatever the row order; with which entry gave it, its value and relation."""
    cell = rows.astype(np.int64) * max(shape[1], 1) + cols
    keep, cells = _best_cells(cell, lambda at: (entry[at], -data[at], related[at]))
    matrix = Csr.from_sorted_cells(data[keep], cols[keep], cells, shape)
    return matrix, entry[keep], value[keep], related[keep]


@dataclass(frozen=True)
class SkillMatch:
    """How one wanted skill was met by a person, for `matched_skills`, `related_skills` and
    `explain`: the same skill (how: exact, alias, knowledge base, typo NN, version), a related
    skill (how: related, with its relation), or missing."""

    wanted: str
    offered: str | None
    how: str
    similarity: float  # 1 for the same skill, the relation's credit for a related one
    wanted_level: int
    offered_level: int
    credit: float
    relation: Relation | None = None

    @property
    def is_same(self) -> bool:
        """A match of the same skill (what the candidate rule and --require-all count)."""
        return self.offered is not None and self.relation is None

    def detail(self) -> str:
        """How it matched, as `matched_skills`, `related_skills` and `explain` show it."""
        return how_text(
            self.how, self.offered, self.wanted_level, self.offered_level, self.relation
        )

    def describe(self) -> str:
        """`React<-ReactJS (knowledge base)`, `Python<-Pyhton (typo 83)`, with levels
        `Python<-Python (exact, level 2/4)`; a related skill `Power BI~Tableau (substitute:
        BI software, 0.5)`."""
        return describe_match(
            self.wanted, self.offered, self.how, self.wanted_level, self.offered_level,
            self.relation,
        )  # fmt: skip


def describe_match(
    wanted: str,
    offered: str | None,
    how: str,
    wanted_level: int,
    offered_level: int,
    relation: Relation | None = None,
) -> str:
    """`SkillMatch.describe` from the parts of a match, for `match`, which writes one per
    distinct description of its rows without building the matches.

    >>> describe_match("Python", "Python", "exact", 4, 2)
    'Python<-Python (exact, level 2/4)'
    """
    sign = "~" if relation is not None else "<-"
    detail = how_text(how, offered, wanted_level, offered_level, relation)
    return f"{wanted}{sign}{offered} ({detail})"


def how_text(
    how: str,
    offered: str | None,
    wanted_level: int,
    offered_level: int,
    relation: Relation | None = None,
) -> str:
    """`knowledge base`, `typo 83`, `substitute: BI software, 0.5`, or with a level short of
    the one asked `exact, level 2/4`.

    >>> how_text("typo 83", "Pyhton", 0, 3), how_text("exact", "Python", 4, 2)
    ('typo 83', 'exact, level 2/4')
    >>> how_text("related", "Tableau", 0, 3, Relation("substitute", "BI software", 0.5))
    'substitute: BI software, 0.5'
    """
    text = how if relation is None else f"{relation.kind}: {relation.via}, {relation.credit:g}"
    if offered and wanted_level and offered_level < wanted_level:
        text += f", level {offered_level}/{wanted_level}"
    return text


class Explainer:
    """Per-pair detail of skill matches, read from the model; used only for rows shown."""

    def __init__(self, model: SkillModel, config: Config) -> None:
        self.model = model
        self.default_level = config.thresholds.default_level
        self._relations: dict[tuple[int, int], Relation] = {}  # shared by many matches

    @cached_property
    def wanted(self) -> dict[int, list[tuple[int, int, str, int]]]:
        """Each project's wanted skills (built on first use: `match` locates its rows' skills
        in bulk and never needs them)."""
        return _by_owner(self.model.wanted, self.model.wanted_column)

    @cached_property
    def nice(self) -> dict[int, list[tuple[int, int, str, int]]]:
        """Each project's nice-to-have skills (built on first use)."""
        return _by_owner(self.model.nice_items, self.model.nice_column)

    @cached_property
    def offered(self) -> dict[int, list[tuple[int, int, str, int]]]:
        """Each person's own entries (only `explain` needs them: built on first use)."""
        model = self.model
        return _by_owner(model.offered, np.zeros(len(model.offered.skill), np.int64))

    def matches(self, project: int, person: int, *, nice: bool = False) -> list[SkillMatch]:
        """The best match (same skill, else related, else a miss) for each skill asked."""
        items = (self.nice if nice else self.wanted).get(project, [])
        return [
            self._lookup(person, column, level, spelling) for _, level, spelling, column in items
        ]

    def _lookup(self, person: int, column: int, level: int, spelling: str) -> SkillMatch:
        """The credit the scorer stored for (person, column), and the entry that earned it."""
        model = self.model
        indptr, indices = model.credit.indptr, model.credit.indices
        lo, hi = int(indptr[person]), int(indptr[person + 1])
        # The array method, not np.searchsorted: no Python-level dispatch per lookup (this
        # runs once per distinct description of the rows shown, 30,000 times at 10k x 100k).
        at = lo + int(indices[lo:hi].searchsorted(column))
        if at == hi or indices[at] != column:
            return SkillMatch(spelling, None, "missing", 0.0, level, 0, 0.0)
        return self.stored_match(at, column, level, spelling)

    def stored_match(self, at: int, column: int, level: int, spelling: str) -> SkillMatch:
        """The match of the credit stored at position `at` of the credit matrix's values, for
        wanted `column`, `level` and `spelling`."""
        model = self.model
        return SkillMatch(*self._parts(
            spelling, level, int(model.column_skill[column]), int(model.winner[at]),
            float(model.match_value[at]), float(model.credit.data[at]), bool(model.related[at]),
        ))  # fmt: skip

    def stored_descriptions(
        self, at: np.ndarray, column: np.ndarray, level: list[int], spelling: list[str]
    ) -> list[str]:
        """`stored_match(...).describe()` for many credits at once, without building the
        matches: `match` locates all its rows' credits and writes each distinct description
        here, reading the model's arrays once."""
        model = self.model
        parts = map(
            self._parts,
            spelling,
            level,
            model.column_skill[column].tolist(),
            model.winner[at].tolist(),
            model.match_value[at].tolist(),
            model.credit.data[at].tolist(),
            model.related[at].tolist(),
        )
        return [
            describe_match(wanted, offered, how, wanted_level, offered_level, relation)
            for wanted, offered, how, _, wanted_level, offered_level, _, relation in parts
        ]

    def _parts(
        self,
        spelling: str,
        level: int,
        wanted_skill: int,
        entry: int,
        value: float,
        credit: float,
        related: bool,
    ) -> tuple[str, str, str, float, int, int, float, Relation | None]:
        """The fields of `SkillMatch` for one stored credit earned by offered `entry`: its
        spelling, the level it gives, and how it meets the skill asked (the one rule of both
        `stored_match` and `stored_descriptions`)."""
        model = self.model
        offered = model.offered.spelling[entry]
        have = int(model.offered.level[entry]) or self.default_level
        if not related:
            how = model.index.match_how(spelling, offered)
            return spelling, offered, how, value, level, have, credit, None
        pair = (wanted_skill, int(model.offered.skill[entry]))
        relation = self._relations.get(pair)
        if relation is None:  # many matches share a relation: each is looked up once
            relation = self._relations[pair] = model.links.relations[pair]
        return spelling, offered, "related", value, level, have, credit, relation


def _by_owner(entries: Entries, column: np.ndarray) -> dict[int, list[tuple[int, int, str, int]]]:
    """Entries grouped by owner, in their original order, with their credit column."""
    grouped: dict[int, list[tuple[int, int, str, int]]] = {}
    for owner, skill, level, spelling, col in zip(
        entries.owner.tolist(),
        entries.skill.tolist(),
        entries.level.tolist(),
        entries.spelling,
        column.tolist(),
        strict=True,
    ):
        grouped.setdefault(owner, []).append((skill, level, spelling, col))
    return grouped
