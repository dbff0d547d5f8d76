"""Scoring every person for a block of projects at once, and keeping the best of each.

In real pools a project that asks for JavaScript or Python matches most people on at least one
skill, so candidate pairs are dense. This module therefore scores a block of projects against
all people as a dense float32 array (projects x people), sized so memory stays bounded, with a
handful of fused numpy operations per cell, then keeps each project's best with a partition
(linear time) rather than a sort. Only the few pairs kept are scored again in float64 with
their components, for the output.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from gigmatch.read.config import Config
from gigmatch.score.components import (
    COMPONENTS,
    WEIGHT_OF,
    Adjust,
    Filters,
    Pairs,
    PersonTerms,
    ProjectTerms,
    components_of,
    pair_components,
    timezone_score,
    total_score,
)
from gigmatch.score.skill_model import SkillModel
from gigmatch.score.text import TextModel

CELLS_PER_BLOCK = 8_000_000  # float32 cells: about 32 MB per array at this size
POPULAR_SHARE = 1 / 200  # a column held by this share of people is multiplied densely
DENSE_CELLS = 64_000_000  # at most 256 MB of dense credit
SAMPLE_STRIDE = 16  # every 16th person gives the floor for the exact top-k
_EXCLUDED = np.float32(-1.0)  # below any real score (scores are 0-100)


@dataclass(frozen=True)
class CreditPart:
    """A people x columns credit matrix in the forms the dense pass uses."""

    credit: sparse.csc_matrix  # people x columns, float32
    dense: np.ndarray  # popular columns' credit as dense rows (popular columns x people)
    dense_row: np.ndarray  # row of each column in `dense`, -1 for a rare column

    @classmethod
    def of(cls, matrix: sparse.spmatrix) -> CreditPart:
        credit = sparse.csc_matrix(matrix, dtype=np.float32, copy=True)
        credit.eliminate_zeros()
        dense, dense_row = _popular_columns(credit)
        return cls(credit, dense, dense_row)


def _split_credit(model: SkillModel) -> tuple[CreditPart, CreditPart | None]:
    """The credit of same-skill matches and, apart, of related skills only. The cells are
    disjoint, so coverage is the sum of the two parts; the first alone says who is a
    candidate (related credit never counts as a match of the same skill)."""
    credit = model.credit
    if not model.related.any():
        return CreditPart.of(credit), None
    parts = []
    for keep in (~model.related, model.related):
        data = np.where(keep, credit.data, 0.0)
        indices, indptr = credit.indices.copy(), credit.indptr.copy()
        parts.append(sparse.csr_matrix((data, indices, indptr), shape=credit.shape))
    return CreditPart.of(parts[0]), CreditPart.of(parts[1])


@dataclass(frozen=True)
class Engine:
    """Per-person arrays prepared once, in the forms the dense pass uses."""

    model: SkillModel
    people: PersonTerms
    projects: ProjectTerms
    config: Config
    same: CreditPart  # credit of same-skill matches
    related: CreditPart | None  # credit of related skills (None when there is none)
    base: np.ndarray  # weighted rating + reliability per person (0-100 scale)
    rate: np.ndarray  # rate with unknown as 0 (never over budget)
    hours: np.ndarray  # hours with unknown as +inf (always available)
    zone_index: np.ndarray  # index of each person's UTC offset in `zones`
    zones: np.ndarray  # distinct offsets (NaN = unknown)
    weights: dict[str, float]
    text: TextModel | None = None  # free-text relevance, None when the pool wrote none

    @classmethod
    def build(
        cls,
        model: SkillModel,
        people: PersonTerms,
        projects: ProjectTerms,
        config: Config,
        text: TextModel | None = None,
    ):
        normalised = config.weights.normalised(text=text is not None)
        weights = {c: normalised[WEIGHT_OF[c]] for c in (*COMPONENTS, "text")}
        base = 100 * (
            weights["rating"] * people.rating + weights["reliability"] * people.reliability
        )
        zones, zone_index = np.unique(people.offset, return_inverse=True)  # NaN sorts last, once
        same, related = _split_credit(model)
        return cls(
            model=model,
            people=people,
            projects=projects,
            config=config,
            same=same,
            related=related,
            base=base.astype(np.float32),
            rate=np.nan_to_num(people.rate, nan=0.0).astype(np.float32),
            hours=np.where(np.isnan(people.hours), np.inf, people.hours).astype(np.float32),
            zone_index=zone_index.astype(np.intp),
            zones=zones,
            weights=weights,
            text=text,
        )

    @property
    def n_people(self) -> int:
        return len(self.base)


def _popular_columns(credit: sparse.csc_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Columns held by enough people that a dense product beats scattered adds.

    A BLAS product costs about as much per person as a scattered add costs per holder, times
    `POPULAR_SHARE`; the dense copy is capped at `DENSE_CELLS` cells, most popular first.
    """
    n_people, n_columns = credit.shape
    holders = np.diff(credit.indptr)
    by_popularity = np.argsort(-holders, kind="stable")
    limit = min(DENSE_CELLS // max(n_people, 1), n_columns)
    chosen = by_popularity[:limit]
    chosen = np.sort(chosen[holders[chosen] >= POPULAR_SHARE * n_people])
    dense_row = np.full(n_columns, -1, dtype=np.intp)
    dense_row[chosen] = np.arange(len(chosen))
    dense = np.ascontiguousarray(credit[:, chosen].toarray().T, dtype=np.float32)
    return dense, dense_row


def blocks(
    projects: np.ndarray, n_people: int, cells: int = CELLS_PER_BLOCK
) -> Iterator[np.ndarray]:
    """The projects in blocks whose dense projects x people array holds about `cells` cells."""
    size = max(1, cells // max(n_people, 1))
    for start in range(0, len(projects), size):
        yield projects[start : start + size]


def coverage(
    engine: Engine,
    part: CreditPart,
    block: np.ndarray,
    weights: sparse.csc_matrix,
    scale: np.ndarray | float = 1.0,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Weighted skill coverage (block x people) of the skills each project asks for.

    Popular skills (held by many people) go through one dense matrix product (BLAS); rare ones
    are added person by person, touching only the people who hold them. Each project's weights
    are multiplied by its `scale`; with `out`, the coverage is added to it.
    """
    rows, columns, values = _entries(weights, block)
    held = np.diff(part.credit.indptr)[columns] > 0  # a column nobody earns adds nothing
    rows, columns, values = rows[held], columns[held], values[held]
    values *= np.broadcast_to(np.asarray(scale, dtype=np.float32), (len(block),))[rows]
    fresh = out is None
    if out is None:
        out = np.zeros((len(block), engine.n_people), dtype=np.float32)
    dense_row = part.dense_row[columns]
    popular = dense_row >= 0
    if popular.any():
        used, slot = np.unique(dense_row[popular], return_inverse=True)
        mix = np.zeros((len(block), len(used)), dtype=np.float32)
        np.add.at(mix, (rows[popular], slot), values[popular])
        if fresh:
            np.matmul(mix, part.dense[used], out=out)
        else:
            out += mix @ part.dense[used]
    credit = part.credit
    for row, column, value in zip(rows[~popular], columns[~popular], values[~popular], strict=True):
        lo, hi = credit.indptr[column], credit.indptr[column + 1]
        out[row, credit.indices[lo:hi]] += np.float32(value) * credit.data[lo:hi]
    return out


def _entries(weights: sparse.csc_matrix, block: np.ndarray) -> tuple[np.ndarray, ...]:
    """(row in block, column, weight) of every skill the block's projects ask for."""
    sub = weights[:, block].tocoo()
    return sub.col.astype(np.intp), sub.row.astype(np.intp), sub.data.astype(np.float32)


def _matched(engine: Engine, block: np.ndarray) -> np.ndarray:
    """Required skills matched (block x people), the same skill only, for --require-all."""
    out = np.zeros((len(block), engine.n_people), dtype=np.int16)
    required, credit = engine.model.required, engine.same.credit
    for row, project in enumerate(block):
        for column in required.indices[required.indptr[project] : required.indptr[project + 1]]:
            out[row, credit.indices[credit.indptr[column] : credit.indptr[column + 1]]] += 1
    return out


def dense_scores(
    engine: Engine, block: np.ndarray, filters: Filters, adjust: Adjust | None = None
) -> np.ndarray:
    """Total scores (block x people), with non-candidates and filtered pairs set below 0."""
    w = engine.weights
    skill, candidate = _skill_term(engine, block)
    if filters.min_skill > 0:  # before `skill` becomes the score in place
        candidate &= skill >= np.float32(filters.min_skill) - np.float32(1e-6)
    if adjust is None:
        score = np.multiply(skill, np.float32(100 * w["skill"]), out=skill)
        score += engine.base[None, :]
        score += _rate_term(engine, block, 100 * w["rate"])
        score += _hours_term(engine, block, 100 * w["availability"])
        score += _zone_term(engine, block, 100 * w["timezone"])
        if engine.text is not None:
            text = engine.text.block(block)
            score += np.multiply(text, np.float32(100 * w["text"]), out=text)
    else:
        score = _adjusted(engine, block, skill, adjust)
    score[~(candidate & _passes(engine, block, score, filters))] = _EXCLUDED
    return score


def _skill_term(engine: Engine, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """skill_score (block x people) and who is a candidate at all (some required skill met
    by the same skill; everyone for a project that asks for none)."""
    model, b = engine.model, engine.config.thresholds.nice_to_have
    has_nice = model.has_nice[block]
    share = np.where(has_nice, 1 - b, 1.0)
    skill = coverage(engine, engine.same, block, model.required, scale=share)
    candidate = skill > 0
    if engine.related is not None:
        coverage(engine, engine.related, block, model.required, scale=share, out=skill)
    open_rows = model.n_required[block] == 0
    candidate[open_rows] = True
    skill[open_rows] = share[open_rows, None]
    if has_nice.any():
        for part in (engine.same, engine.related):
            if part is not None:
                coverage(engine, part, block, model.nice, scale=b, out=skill)
    return skill, candidate


def _adjusted(engine: Engine, block: np.ndarray, skill: np.ndarray, adjust: Adjust) -> np.ndarray:
    """Scores through the `adjust` hook, which needs every component of every pair."""
    n = engine.n_people
    project = np.repeat(block, n)
    person = np.tile(np.arange(n), len(block))
    components = components_of(
        skill.ravel().astype(np.float64), engine.people, engine.projects, project, person,
        engine.config,
    )  # fmt: skip
    if engine.text is not None:
        components["text"] = engine.text.block(block).ravel()
    return (
        total(engine, adjust(project, person, components)).reshape(skill.shape).astype(np.float32)
    )


def _passes(engine: Engine, block: np.ndarray, score: np.ndarray, filters: Filters) -> np.ndarray:
    """The hard filters, as a mask (block x people)."""
    keep = score >= filters.min_score
    if filters.require_all:
        keep &= _matched(engine, block) >= engine.model.n_required[block][:, None]
    if filters.max_over_budget is not None:
        limit = engine.projects.budget[block] * (1 + filters.max_over_budget / 100.0)
        keep &= ~(engine.rate[None, :] > np.nan_to_num(limit, nan=np.inf)[:, None])
    return keep


def _rate_term(engine: Engine, block: np.ndarray, weight: float) -> np.ndarray:
    """rate_score in fused form: clip(1 + 1/f - rate / (budget f), 0, 1), times its weight."""
    f = engine.config.thresholds.over_budget / 100.0
    budget = engine.projects.budget[block]
    slope = np.where(np.isnan(budget), 0.0, 1.0 / (np.maximum(budget, 1e-9) * f))
    term = np.multiply(slope.astype(np.float32)[:, None], engine.rate[None, :])
    np.subtract(np.float32(1 + 1 / f), term, out=term)
    np.clip(term, 0, 1, out=term)
    return np.multiply(term, np.float32(weight), out=term)


def _hours_term(engine: Engine, block: np.ndarray, weight: float) -> np.ndarray:
    """availability_score in fused form: min(1, available / needed), times its weight."""
    needed = engine.projects.hours[block]
    known = needed > 0
    inverse = np.where(known, 1.0 / np.where(known, needed, 1.0), 0.0).astype(np.float32)
    with np.errstate(invalid="ignore"):  # 0 x unknown (inf) hours, on rows set to 1 below
        term = np.multiply(inverse[:, None], engine.hours[None, :])
    np.minimum(term, 1, out=term)
    term[~known] = 1  # no hours given: any availability will do
    return np.multiply(term, np.float32(weight), out=term)


def _zone_term(engine: Engine, block: np.ndarray, weight: float) -> np.ndarray:
    """timezone_score looked up from a small (block x distinct zones) table."""
    table = timezone_score(
        engine.zones[None, :], engine.projects.offset[block][:, None], engine.config
    )
    table = (table * weight).astype(np.float32)
    return np.take(table, engine.zone_index, axis=1)


def best_cells(score: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, person) of each row's `k` best cells, ties at the cut all kept (0 = all).

    A full partition of every row is slow when scores repeat (and excluded cells all repeat),
    so a strided sample first gives a floor: the sample's k-th best is never above the row's.
    Only the few cells above that floor are then partitioned exactly.
    """
    n = score.shape[1]
    if k <= 0 or k >= n:
        rows, cols = np.nonzero(score >= 0)
        return rows, cols
    stride = max(1, min(SAMPLE_STRIDE, n // (4 * k)))
    sample = score[:, ::stride]
    floor = np.partition(sample, sample.shape[1] - k, axis=1)[:, -k]
    rows, cols = np.nonzero(score >= np.maximum(floor, 0)[:, None])
    values = score[rows, cols]
    kth = _kth_per_row(rows, values, score.shape[0], k)
    keep = values >= kth[rows]
    return rows[keep], cols[keep]


def _kth_per_row(rows: np.ndarray, values: np.ndarray, n_rows: int, k: int) -> np.ndarray:
    """The k-th largest value of each row of a ragged set (rows sorted), -inf where fewer."""
    counts = np.bincount(rows, minlength=n_rows)
    width = int(counts.max()) if len(counts) else 0
    if width < k:
        return np.full(n_rows, -np.inf, dtype=np.float32)
    position = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    compact = np.full((n_rows, width), -np.inf, dtype=np.float32)
    compact[rows, position] = values
    return np.partition(compact, width - k, axis=1)[:, width - k]


def total(engine: Engine, components: dict[str, np.ndarray]) -> np.ndarray:
    return total_score(components, engine.config)


def rank_block(
    engine: Engine, block: np.ndarray, filters: Filters, k: int, adjust: Adjust | None = None
) -> tuple[Pairs, np.ndarray]:
    """The best `k` candidates of each project in the block (all with 0), best first, ties by
    person id; returns them with their rank (1-based) within their project."""
    rows, person = best_cells(dense_scores(engine, block, filters, adjust), k)
    project = block[rows]
    components, matched = pair_components(
        engine.model, engine.people, engine.projects, project, person, engine.config
    )
    if engine.text is not None:
        components["text"] = engine.text.pairs(project, person)
    if adjust is not None:
        components = adjust(project, person, components)
    score = total(engine, components)
    order = np.lexsort((engine.people.order[person], -score, project))
    project, person, score = project[order], person[order], score[order]
    start = np.ones(len(order), dtype=bool)
    start[1:] = project[1:] != project[:-1]
    rank = (
        np.arange(len(order)) - np.maximum.accumulate(np.where(start, np.arange(len(order)), 0)) + 1
    )
    keep = rank <= k if k > 0 else np.ones(len(order), dtype=bool)
    matched = matched[order][keep]
    pairs = Pairs(project[keep], person[keep], {c: v[order][keep] for c, v in components.items()},
                  matched, score[keep])  # fmt: skip
    return pairs, rank[keep]
