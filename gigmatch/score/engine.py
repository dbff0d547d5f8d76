"""Scoring every person for a block of projects at once, and keeping the best of each.

In real pools a project that asks for JavaScript or Python matches most people on at least one
skill, so candidate pairs are dense. This module therefore scores a block of projects against
all people as a dense float32 array (projects x people), sized so memory stays bounded, with a
handful of fused numpy operations per cell, then keeps each project's best with a partition
(linear time) rather than a sort. Only the few pairs kept are scored again in float64 with
their components, for the output.

Above `COMPILED_CELLS` pairs a compiled kernel (`score/kernel.py`, numba) takes the dense
pass's place: it walks the holders of each project's skills instead of every cell. Both only
choose which pairs go on to the exact float64 pass (`score_block`), keeping every pair within
`MARGIN` of a cut, so rounding in float32 (or in another summation order) never changes a
result: they give the same bytes, which a property test checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

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
    canonical,
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
MARGIN = 1e-3  # score points: far above float32 rounding of a 0-100 sum, far below 0.05 shown
SKILL_MARGIN = 1e-5  # the same for skill_score (0-1) against --min-skill
SKILL_TOLERANCE = 1e-6  # a skill_score this close under --min-skill still passes
COMPILED_CELLS = 30_000_000  # pairs above which the compiled kernel repays importing numba
BIG_LIST_SHARE = 1 / 100  # a skill list held by this share of the pool is also a bitset
BIG_LIST_MIN = 64  # ...and by at least this many people


@dataclass(frozen=True)
class CreditPart:
    """A people x columns credit matrix in the forms the dense pass uses."""

    credit: sparse.csc_matrix  # people x columns, float32: who holds each column

    @classmethod
    def of(cls, matrix: sparse.spmatrix) -> CreditPart:
        credit = sparse.csc_matrix(matrix, dtype=np.float32, copy=True)
        credit.eliminate_zeros()
        return cls(credit)

    @cached_property
    def _popular(self) -> tuple[np.ndarray, np.ndarray]:
        """Built on first use: the compiled kernel never needs it (up to 256 MB)."""
        return _popular_columns(self.credit)

    @property
    def dense(self) -> np.ndarray:
        """Popular columns' credit as dense rows (popular columns x people)."""
        return self._popular[0]

    @property
    def dense_row(self) -> np.ndarray:
        """Row of each column in `dense`, -1 for a rare column."""
        return self._popular[1]


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
        return cls(
            model=model,
            people=people,
            projects=projects,
            config=config,
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

    @cached_property
    def _parts(self) -> tuple[CreditPart, CreditPart | None]:
        """Built on first use: the compiled kernel reads the credit lists instead (two float32
        copies of the credit and 150 MB of temporaries at 100,000 people)."""
        return _split_credit(self.model)

    @property
    def same(self) -> CreditPart:
        """Credit of same-skill matches."""
        return self._parts[0]

    @property
    def related(self) -> CreditPart | None:
        """Credit of related skills (None when there is none)."""
        return self._parts[1]

    def prepare(self, *, compiled: bool) -> None:
        """Build now the lazy parts the chosen pass reads, so that threads share one copy."""
        if compiled:
            _ = self.kernel_inputs
        else:
            for part in (self.same, self.related):
                if part is not None:
                    _ = part.dense

    @cached_property
    def kernel_inputs(self) -> KernelInputs:
        """The arrays the compiled kernel reads, built on first use."""
        return KernelInputs.of(self)


@dataclass(frozen=True)
class KernelInputs:
    """Engine arrays in the plain forms and dtypes `kernel.score_projects` takes, in its
    argument order: skills, people, text, weights."""

    skills: tuple
    people: tuple
    text: tuple
    weights: tuple

    @classmethod
    def of(cls, engine: Engine, big: int | None = None) -> KernelInputs:
        """`big`: the length above which a list is also a bitset (`big_list_size` if None)."""
        model, people, w = engine.model, engine.people, engine.weights
        b = engine.config.thresholds.nice_to_have
        n = engine.n_people
        skills = (
            *_csc_arrays(model.required, model.required.shape[1], np.float64),
            *_csc_arrays(model.nice, model.nice.shape[1], np.float64),
            *_skill_lists(engine, big_list_size(n) if big is None else big),
            np.where(model.has_nice, 1 - b, 1.0).astype(np.float64),
            float(b),
            model.n_required.astype(np.int64),
        )
        base = 100 * (w["rating"] * people.rating + w["reliability"] * people.reliability)
        # one row per person, so that scoring someone reads one cache line, not four
        person = (
            np.stack([base, people.rate, people.hours, engine.zone_index], axis=1).astype(
                np.float64
            ),
        )
        text = engine.text
        if text is None:
            n = len(engine.projects.budget)
            texts = (
                False, *_csc_arrays(None, n, np.float64), *_csc_arrays(None, 0, np.float64),
                np.zeros(len(base), bool), np.zeros(n, bool), np.zeros(n, np.float64),
            )  # fmt: skip
        else:
            rows = sparse.csr_matrix(text.projects)
            texts = (
                True, rows.indptr.astype(np.int64), rows.indices.astype(np.int32),
                rows.data.astype(np.float64),
                *_csc_arrays(text.people, 0, np.float64),  # who wrote each word
                text.person_has.astype(bool), text.project_has.astype(bool),
                text.neutral.astype(np.float64),
            )  # fmt: skip
        weights = tuple(
            100.0 * w[c] for c in ("skill", "rate", "availability", "timezone", "text")
        ) + (engine.config.thresholds.over_budget / 100.0,)
        return cls(skills, person, texts, weights)


def _csc_arrays(matrix: sparse.spmatrix | None, n_columns: int, dtype) -> tuple[np.ndarray, ...]:
    """(indptr, indices, data) of a CSC matrix with fixed dtypes (one compiled signature);
    empty columns for None. Arrays already of those dtypes are used as they are, not copied."""
    if matrix is None:
        return np.zeros(n_columns + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, dtype)
    # sorted, distinct row indices: the kernel finds a holder's credit by its rank in a column
    matrix = canonical(sparse.csc_matrix(matrix))
    return (
        np.asarray(matrix.indptr, np.int64),
        np.asarray(matrix.indices, np.int32),
        np.asarray(matrix.data, dtype),
    )


def big_list_size(n_people: int) -> int:
    """Lists longer than this are also kept as bitsets (see `kernel`): about 1% of the pool,
    where walking a list costs more than looking up its few members that matter."""
    return max(BIG_LIST_MIN, int(n_people * BIG_LIST_SHARE))


def _skill_lists(engine: Engine, big: int) -> tuple[np.ndarray, ...]:
    """The holders of each column's same skill (list 2c) and related skills (list 2c + 1),
    sorted, with their credit (float32), each list's best credit, and the bitsets of the lists
    longer than `big` (`list_big`: row in `bits`, -1 for a short list).

    Built in one pass over the model's credit (CSR, people in order, so every list comes out
    sorted); a credit matrix that is not canonical goes through the split parts instead."""
    from gigmatch.score.kernel import build_bitsets, build_lists

    model = engine.model
    credit = model.credit
    if sparse.isspmatrix_csr(credit) and credit.has_canonical_format:
        ptr, who, val = build_lists(
            credit.indptr, credit.indices, credit.data, np.asarray(model.related, bool),
            credit.shape[1],
        )  # fmt: skip
    else:
        ptr, who, val = _lists_of_parts(engine)
    lengths = np.diff(ptr)
    best = np.zeros(len(lengths), np.float64)
    full = lengths > 0
    best[full] = np.maximum.reduceat(val, ptr[:-1][full]) if len(val) else 0.0
    is_big = lengths > big
    list_big = np.where(is_big, np.cumsum(is_big) - 1, -1).astype(np.int64)
    bitrank = build_bitsets(ptr, who, np.flatnonzero(is_big).astype(np.int64), engine.n_people)
    return ptr, who, val, best, list_big, bitrank


def _lists_of_parts(engine: Engine) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_skill_lists`'s (ptr, who, val) from the canonical same and related parts."""
    same = engine.same.credit
    related = None if engine.related is None else engine.related.credit
    s_ptr, s_who, s_val = _csc_arrays(same, same.shape[1], np.float32)
    r_ptr, r_who, r_val = _csc_arrays(related, same.shape[1], np.float32)
    s_len, r_len = np.diff(s_ptr), np.diff(r_ptr)
    lengths = np.stack([s_len, r_len], axis=1).ravel()
    ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    who = np.empty(int(ptr[-1]), np.int32)
    val = np.empty(int(ptr[-1]), np.float32)
    for start, l_ptr, l_len, l_who, l_val in ((ptr[0:-1:2], s_ptr, s_len, s_who, s_val),
                                              (ptr[1::2], r_ptr, r_len, r_who, r_val)):  # fmt: skip
        at = np.repeat(start - l_ptr[:-1], l_len) + np.arange(len(l_who))
        who[at], val[at] = l_who, l_val
    return ptr, who, val


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


def blocks(projects: np.ndarray, n_people: int, cells: int | None = None) -> Iterator[np.ndarray]:
    """The projects in blocks whose dense projects x people array holds about `cells` cells
    (default `CELLS_PER_BLOCK`)."""
    size = max(1, (cells or CELLS_PER_BLOCK) // max(n_people, 1))
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
) -> tuple[np.ndarray, np.ndarray | None]:
    """Total scores (block x people) with non-candidates and filtered pairs set below 0, and
    which of the rest surely pass `min_score` and `min_skill` (None: all of them).

    Float32 rounds, so a pair within `MARGIN` of either bound is kept without being sure: the
    exact pass (`score_block`) decides it, and `best_cells` never lets it set the cut.
    """
    w = engine.weights
    skill, candidate = _skill_term(engine, block)
    sure = None
    if filters.min_skill > 0:  # before `skill` becomes the score in place
        low = np.float32(filters.min_skill - SKILL_TOLERANCE)
        candidate &= skill >= low - np.float32(SKILL_MARGIN)
        sure = skill >= low + np.float32(SKILL_MARGIN)
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
    candidate &= _passes(engine, block, score, filters)
    if filters.min_score > 0:
        clear = score >= np.float32(filters.min_score + MARGIN)
        sure = clear if sure is None else np.logical_and(sure, clear, out=sure)
    score[~candidate] = _EXCLUDED
    return score, sure


def _skill_term(engine: Engine, block: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """skill_score (block x people) and who is a candidate at all (some required skill met
    by the same skill; everyone for a project that asks for none)."""
    model, b = engine.model, engine.config.thresholds.nice_to_have
    has_nice = model.has_nice[block]
    share = np.where(has_nice, 1 - b, 1.0)
    skill = coverage(engine, engine.same, block, model.required, scale=share)
    # with nice_to_have = 1 required skills weigh nothing, yet they still make a candidate
    candidate = skill > 0 if (share > 0).all() else _matched(engine, block) > 0
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
    """The hard filters, as a mask (block x people); `min_score` loosely (see `MARGIN`), the
    budget on the float64 rates, exactly as `_exact_pass` applies it."""
    keep = score >= np.float32(filters.min_score - MARGIN)
    if filters.require_all:
        keep &= _matched(engine, block) >= engine.model.n_required[block][:, None]
    limit = _rate_limit(engine, filters)
    if limit is not None:
        keep &= ~(engine.people.rate[None, :] > limit[block][:, None])  # NaN: no evidence, kept
    return keep


def _rate_limit(engine: Engine, filters: Filters) -> np.ndarray | None:
    """The highest rate each project takes under `--max-over-budget` (None without that
    filter; NaN where the budget is unknown, which keeps everyone): one rule for the dense
    pass, the compiled kernel and the exact pass."""
    if filters.max_over_budget is None:
        return None
    return engine.projects.budget * (1 + filters.max_over_budget / 100.0)


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


def best_cells(
    score: np.ndarray, k: int, sure: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(row, person) of the cells that may be among each row's `k` best (0 = all): every cell
    not excluded (>= 0) within `2 * MARGIN` of the row's k-th best sure cell, so ties at the
    cut are all kept and float32 rounding never drops a pair the exact pass would rank.

    `sure` marks the cells that surely pass the filters (None: all); the others are kept near
    the cut but never set it. A full partition of every row is slow when scores repeat (and
    excluded cells all repeat), so a strided sample first gives a floor: the sample's k-th
    best is never above the row's. Only the few cells above that floor are then partitioned
    exactly. Rows are negated so that partitions put the k best at the front, where the
    partition stops early, not at the end.
    """
    n = score.shape[1]
    if k <= 0 or k >= n:
        rows, people = np.nonzero(score >= 0)
        return rows, people
    ranked = score if sure is None else np.where(sure, score, _EXCLUDED)
    stride = max(1, min(SAMPLE_STRIDE, n // (4 * k)))
    sample = np.negative(ranked[:, ::stride])
    sample.partition(k - 1, axis=1)
    floor = np.maximum(-sample[:, k - 1] - np.float32(2 * MARGIN), 0)
    rows, cols = np.nonzero(score >= floor[:, None])
    values = score[rows, cols]
    ranks = values if sure is None else np.where(sure[rows, cols], values, np.float32(-np.inf))
    kth = _kth_per_row(rows, ranks, score.shape[0], k)
    keep = values >= kth[rows] - np.float32(2 * MARGIN)
    return rows[keep], cols[keep]


def _kth_per_row(rows: np.ndarray, values: np.ndarray, n_rows: int, k: int) -> np.ndarray:
    """The k-th largest value of each row of a ragged set (rows sorted), -inf where fewer."""
    counts = np.bincount(rows, minlength=n_rows)
    width = int(counts.max()) if len(counts) else 0
    if width < k:
        return np.full(n_rows, -np.inf, dtype=np.float32)
    position = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
    compact = np.full((n_rows, width), np.inf, dtype=np.float32)
    compact[rows, position] = -values
    compact.partition(k - 1, axis=1)
    return -compact[:, k - 1]


def total(engine: Engine, components: dict[str, np.ndarray]) -> np.ndarray:
    return total_score(components, engine.config)


def use_compiled(cells: int) -> bool:
    """Whether to score `cells` pairs with the compiled kernel: above `COMPILED_CELLS`, where
    it repays importing numba, and only if numba imports. `GIGMATCH_KERNEL=numpy` or
    `=compiled` overrides the size rule (benchmarks, tests)."""
    choice = os.environ.get("GIGMATCH_KERNEL", "auto")
    if choice == "numpy" or (choice != "compiled" and cells < COMPILED_CELLS):
        return False
    return _kernel_imports()


@cache
def _kernel_imports() -> bool:
    try:
        import gigmatch.score.kernel  # noqa: F401
    except Exception:  # numba missing, or not for this numpy or platform: numpy does it all
        return False
    return True


def score_block(
    engine: Engine,
    block: np.ndarray,
    filters: Filters,
    k: int,
    adjust: Adjust | None = None,
    *,
    compiled: bool | None = None,
) -> tuple[Pairs, np.ndarray]:
    """The best `k` candidates of each project in `block` (all with 0), best first, ties by
    person id; returns them with their rank (1-based) within their project.

    The unit of work of a distributed run: `engine` (`Engine.build`, once per pair of
    tables) is read-only and shared, blocks are independent, and the blocks' results
    concatenated in order are `score_all`'s, whatever the block size. A first pass chooses
    the pairs that may rank, the compiled kernel (`compiled=True`) or the numpy reference
    (`False`; None chooses by size, see `use_compiled`); the kernel does not run the `adjust`
    hook, so with one the reference is used. Then those pairs are scored exactly in float64,
    filtered and ranked: both passes give the same result.
    """
    if compiled is None:
        compiled = use_compiled(len(block) * engine.n_people)
    if compiled and adjust is None:
        rows, person = _kernel_cells(engine, block, filters, k)
    else:
        score, sure = dense_scores(engine, block, filters, adjust)
        rows, person = best_cells(score, k, sure)
        del score, sure  # a block-sized array each: gone before the exact pass
    return _ranked(engine, block[rows], person, filters, k, adjust)


def settled_scores(engine: Engine, block: np.ndarray, filters: Filters) -> np.ndarray:
    """`dense_scores` of a block with every pair too close to `min_score` or `min_skill` for
    float32 decided exactly (float64), as `score_block` decides it: for callers that reduce
    *all* candidates of a block (`price --top 0`) and so never reach the exact pass."""
    score, sure = dense_scores(engine, block, filters)
    if sure is None:
        return score
    rows, person = np.nonzero((score >= 0) & ~sure)
    if len(rows) == 0:
        return score
    *_, passes = _exact(engine, block[rows], person, filters, None)
    score[rows[~passes], person[~passes]] = _EXCLUDED
    return score


def _ranked(
    engine: Engine,
    project: np.ndarray,
    person: np.ndarray,
    filters: Filters,
    k: int,
    adjust: Adjust | None,
) -> tuple[Pairs, np.ndarray]:
    """Exact components, scores and filters of the chosen pairs, and the best `k` of each
    project, best first, ties by person id."""
    components, matched, score, passes = _exact(engine, project, person, filters, adjust)
    order = np.lexsort((engine.people.order[person], -score, project))
    order = order[passes[order]]
    project = project[order]
    start = np.ones(len(order), dtype=bool)
    start[1:] = project[1:] != project[:-1]
    rank = (
        np.arange(len(order)) - np.maximum.accumulate(np.where(start, np.arange(len(order)), 0)) + 1
    )
    keep = rank <= k if k > 0 else np.ones(len(order), dtype=bool)
    chosen = order[keep]
    pairs = Pairs(project[keep], person[chosen], {c: v[chosen] for c, v in components.items()},
                  matched[chosen], score[chosen])  # fmt: skip
    return pairs, rank[keep]


def _exact(
    engine: Engine,
    project: np.ndarray,
    person: np.ndarray,
    filters: Filters,
    adjust: Adjust | None,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """(components, required skills matched, score, passes) of given pairs in float64: the
    last word on each pair, whichever pass chose it."""
    components, matched = pair_components(
        engine.model, engine.people, engine.projects, project, person, engine.config
    )
    if engine.text is not None:
        components["text"] = engine.text.pairs(project, person)
    skill = components["skill"]
    if adjust is not None:
        components = adjust(project, person, components)
    score = total(engine, components)
    passes = _exact_pass(engine, project, person, matched, skill, score, filters)
    return components, matched, score, passes


def _exact_pass(
    engine: Engine,
    project: np.ndarray,
    person: np.ndarray,
    matched: np.ndarray,
    skill: np.ndarray,
    score: np.ndarray,
    filters: Filters,
) -> np.ndarray:
    """The candidate rule and hard filters on exact values: the last word on each pair."""
    n_required = engine.model.n_required[project]
    keep = (matched > 0) | (n_required == 0)
    keep &= score >= filters.min_score
    if filters.min_skill > 0:
        keep &= skill >= filters.min_skill - SKILL_TOLERANCE
    if filters.require_all:
        keep &= matched >= n_required
    limit = _rate_limit(engine, filters)
    if limit is not None:
        keep &= ~(engine.people.rate[person] > limit[project])
    return keep


def _kernel_cells(
    engine: Engine, block: np.ndarray, filters: Filters, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The compiled kernel's choice of pairs, as (row in block, person)."""
    from gigmatch.score.kernel import score_projects

    inputs = engine.kernel_inputs
    projects, f = engine.projects, filters
    zone_table = timezone_score(engine.zones[None, :], projects.offset[block][:, None],
                                engine.config)  # fmt: skip
    limit = _rate_limit(engine, f)
    if limit is None:
        limit = np.full(len(projects.budget), np.inf)
    return score_projects(  # type: ignore[call-arg]  # a numba dispatcher: typed at compile
        np.asarray(block, dtype=np.int64), *inputs.skills, *inputs.people,
        projects.budget, projects.hours, limit, np.ascontiguousarray(zone_table, np.float64),
        *inputs.text, *inputs.weights,
        bool(f.require_all),
        f.min_score if f.min_score > 0 else -np.inf,
        f.min_skill - SKILL_TOLERANCE if f.min_skill > 0 else -np.inf,
        MARGIN, SKILL_MARGIN, int(max(k, 0)),
    )  # fmt: skip
