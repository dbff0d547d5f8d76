"""Scoring every person for a block of projects at once, and keeping the best of each.

In real pools a project that asks for JavaScript or Python matches most people on at least one
skill, so candidate pairs are dense. This module therefore scores a block of projects against
all people as a dense float32 array (projects x people), sized so memory stays bounded, with a
handful of fused numpy operations per cell, a tile of `TILE_CELLS` at a time so that each
operation works in the processor's cache, then keeps each project's best with a partition
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
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

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
from gigmatch.score.csr import Csr, chunks, spans
from gigmatch.score.skill_model import SkillModel

if TYPE_CHECKING:
    from gigmatch.score.text import TextModel  # imported only when a pool wrote free text

CELLS_PER_BLOCK = 8_000_000  # float32 cells: about 32 MB per array at this size
TILE_CELLS = 250_000  # float32 cells of one step of the numpy pass: 1 MB, held in cache
POPULAR_SHARE = 1 / 200  # a column held by this share of people is multiplied densely
DENSE_CELLS = 64_000_000  # at most 256 MB of dense credit
PRODUCT_TERMS = 4_000_000  # rare-column product terms made at once: about 160 MB
SAMPLE_STRIDE = 16  # every 16th person gives the floor for the exact top-k
_EXCLUDED = np.float32(-1.0)  # below any real score (scores are 0-100)
MARGIN = 1e-3  # score points: far above float32 rounding of a 0-100 sum, far below 0.05 shown
SKILL_MARGIN = 1e-5  # the same for skill_score (0-1) against --min-skill
SKILL_TOLERANCE = 1e-6  # a skill_score this close under --min-skill still passes
COMPILED_CELLS = 30_000_000  # pairs above which the compiled kernel repays importing numba
BIG_LIST_SHARE = 1 / 100  # a skill list held by this share of the pool is also a bitset
BIG_LIST_MIN = 64  # ...and by at least this many people


@dataclass(frozen=True)
class Engine:
    """Per-person arrays prepared once, in the forms the dense pass uses."""

    model: SkillModel
    people: PersonTerms
    projects: ProjectTerms
    config: Config
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
        zones, zone_index = np.unique(people.offset, return_inverse=True)  # NaN sorts last, once
        return cls(
            model=model,
            people=people,
            projects=projects,
            config=config,
            zone_index=zone_index.astype(np.intp),
            zones=zones,
            weights=weights,
            text=text,
        )

    @property
    def n_people(self) -> int:
        return len(self.people.rating)

    def prepare(self, *, compiled: bool) -> None:
        """Build now the lazy parts the chosen pass reads, so that threads share one copy."""
        if compiled:
            _ = self.kernel_inputs
        else:
            _ = self.dense_inputs

    @cached_property
    def dense_inputs(self) -> DenseInputs:
        """The arrays the numpy pass reads, built on first use: the compiled kernel never
        needs them (up to 256 MB of dense credit)."""
        return DenseInputs.of(self)

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
            *_arrays(model.required, np.float64),
            *_arrays(model.nice, np.float64),
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
                False, *_no_lists(n), *_no_lists(0),
                np.zeros(len(base), bool), np.zeros(n, bool), np.zeros(n, np.float64),
            )  # fmt: skip
        else:
            texts = (
                True, *_arrays(_canonical(text.projects.tocsr()), np.float64),
                *_arrays(_canonical(text.people.tocsc()), np.float64),  # who wrote each word
                text.person_has.astype(bool), text.project_has.astype(bool),
                text.neutral.astype(np.float64),
            )  # fmt: skip
        weights = tuple(
            100.0 * w[c] for c in ("skill", "rate", "availability", "timezone", "text")
        ) + (engine.config.thresholds.over_budget / 100.0,)
        return cls(skills, person, texts, weights)


def _arrays(matrix, dtype) -> tuple[np.ndarray, ...]:
    """(indptr, indices, data) of a canonical compressed matrix (a `Csr`, or scipy's for the
    text model) with fixed dtypes: one compiled signature. Sorted, distinct indices: the
    kernel finds a holder's credit by its rank in a list. Arrays already of those dtypes are
    used as they are, not copied."""
    return (
        np.asarray(matrix.indptr, np.int64),
        np.asarray(matrix.indices, np.int32),
        np.asarray(matrix.data, dtype),
    )


def _canonical(matrix):
    """A scipy matrix with sorted indices and no duplicates (a copy only when needed)."""
    if matrix.has_canonical_format:
        return matrix
    matrix = matrix.copy()
    matrix.sum_duplicates()
    return matrix


def _no_lists(n: int) -> tuple[np.ndarray, ...]:
    """`_arrays` of `n` empty lists."""
    return np.zeros(n + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float64)


def big_list_size(n_people: int) -> int:
    """Lists longer than this are also kept as bitsets (see `kernel`): about 1% of the pool,
    where walking a list costs more than looking up its few members that matter."""
    return max(BIG_LIST_MIN, int(n_people * BIG_LIST_SHARE))


def _skill_lists(engine: Engine, big: int) -> tuple[np.ndarray, ...]:
    """The holders of each column's same skill (list 2c) and related skills (list 2c + 1),
    sorted, with their credit (float32), each list's best credit, and the bitsets of the lists
    longer than `big` (`list_big`: row in `bits`, -1 for a short list).

    Built in one pass over the model's credit (canonical CSR, people in order, so every list
    comes out sorted)."""
    from gigmatch.score.kernel import build_bitsets, build_lists

    model = engine.model
    credit = model.credit
    ptr, who, val = build_lists(
        credit.indptr, credit.indices, credit.data, np.asarray(model.related, bool),
        credit.shape[1],
    )  # fmt: skip
    lengths = np.diff(ptr)
    best = np.zeros(len(lengths), np.float64)
    full = lengths > 0
    best[full] = np.maximum.reduceat(val, ptr[:-1][full]) if len(val) else 0.0
    is_big = lengths > big
    list_big = np.where(is_big, np.cumsum(is_big) - 1, -1).astype(np.int64)
    bitrank = build_bitsets(ptr, who, np.flatnonzero(is_big).astype(np.int64), engine.n_people)
    return ptr, who, val, best, list_big, bitrank


@dataclass(frozen=True)
class DenseInputs:
    """What the numpy pass reads, built once per engine, with people in time-zone order.

    People are held in the order of their time zone (`order`: the person at each position),
    so that a project's time-zone term is a run of one value per zone (`np.repeat`), about
    ten times cheaper than looking up each person's zone; positions become people again only
    for the pairs chosen.

    A project's skill_score is one weighted sum of credit: its required skills weigh their
    share (less the nice-to-have part) and its nice-to-have skills `nice_to_have`, and a
    person's credit for a column is the same whether it comes from the same skill or a
    related one. So one product of each project's *mix* of weights with the credit gives
    the whole skill_score: popular columns (held by many people) as a sparse mix times dense
    credit rows, rare ones as a sparse product per block (a few holders each).
    Who is a candidate (the same skill of some, or with --require-all every, required
    column) is read from bitsets of each column's same-skill holders: an OR or AND of a few
    short rows.
    """

    order: np.ndarray  # the person at each position
    position: np.ndarray  # the position of each person
    zone_runs: np.ndarray  # positions per distinct zone, in `Engine.zones` order
    zone_term: np.ndarray  # timezone_score x its weight, projects x distinct zones, float32
    base: np.ndarray  # weighted rating + reliability (0-100 scale), float32
    rate: np.ndarray  # rate with unknown as 0 (never over budget), float32
    hours: np.ndarray  # hours with unknown as +inf (always available), float32
    given_rate: np.ndarray  # rate as given (NaN unknown), for --max-over-budget
    text: TextModel | None  # the engine's, people in position order
    popular: Csr  # projects x popular columns: each project's mix, float32
    dense: np.ndarray  # popular columns x positions: their credit, float32
    rare_mix: Csr  # projects x rare columns: each project's mix, float32
    rare_credit: Csr  # rare columns x positions: their credit, float32
    open_share: np.ndarray  # skill_score of everyone for a project that requires nothing
    holds: np.ndarray  # columns x words: bit p set where position p holds the same skill

    @classmethod
    def of(cls, engine: Engine) -> DenseInputs:
        people, w = engine.people, engine.weights
        order = np.argsort(engine.zone_index, kind="stable")
        position = np.empty_like(order)
        position[order] = np.arange(len(order))
        base = 100 * (w["rating"] * people.rating + w["reliability"] * people.reliability)
        hours = np.where(np.isnan(people.hours), np.inf, people.hours)
        zone = timezone_score(engine.zones[None, :], engine.projects.offset[:, None], engine.config)
        return cls(
            order=order,
            position=position,
            zone_runs=np.bincount(engine.zone_index, minlength=len(engine.zones)),
            zone_term=(100 * w["timezone"] * zone).astype(np.float32),
            base=base[order].astype(np.float32),
            rate=np.nan_to_num(people.rate[order], nan=0.0).astype(np.float32),
            hours=hours[order].astype(np.float32),
            given_rate=people.rate[order],
            text=None if engine.text is None else _text_in_order(engine.text, order),
            **_skill_arrays(engine, order)._asdict(),
        )


def _text_in_order(text: TextModel, order: np.ndarray) -> TextModel:
    """The text model with its people in `order`."""
    return replace(text, people=text.people[order], people_t=text.people_t[:, order],
                   person_has=text.person_has[order])  # fmt: skip


class _SkillArrays(NamedTuple):
    """`DenseInputs`' skill fields (see there)."""

    popular: Csr
    dense: np.ndarray
    rare_mix: Csr
    rare_credit: Csr
    open_share: np.ndarray
    holds: np.ndarray


def _skill_arrays(engine: Engine, order: np.ndarray) -> _SkillArrays:
    """`DenseInputs`' skill fields, people at their positions (`order`)."""
    model, b = engine.model, engine.config.thresholds.nice_to_have
    share = np.where(model.has_nice, 1 - b, 1.0)
    mix = model.required.scaled(share).plus(model.nice.scaled(b)).astype(np.float32)
    n_people, n_columns = model.credit.shape
    entries = _by_column(model.credit, order)
    entry = entries.data
    credit = Csr(entries.indptr, entries.indices, model.credit.data[entry].astype(np.float32),
                 entries.shape)  # fmt: skip
    popular = _popular_columns(np.diff(credit.indptr), n_people)
    rare = np.setdiff1d(np.arange(n_columns), popular)
    same = ~np.asarray(model.related, bool)[entry]
    return _SkillArrays(
        popular=mix.columns(popular),
        dense=_dense_rows(credit.rows(popular)),
        rare_mix=mix.columns(rare),
        rare_credit=credit.rows(rare),
        open_share=np.where(model.n_required == 0, share, 0.0).astype(np.float32),
        holds=_same_holders(
            entries.row_of_values()[same], entries.indices[same], n_columns, n_people
        ),
    )


def _by_column(credit: Csr, order: np.ndarray) -> Csr:
    """The stored entries of a people x columns matrix as columns x positions (the person
    at each position is `order`'s), positions sorted within each column, each value the
    index of the entry in `credit.data`: one transpose of the entries' numbers puts every
    array that goes with them (credit, related) in that order by one gather."""
    numbers = Csr(credit.indptr, credit.indices, np.arange(credit.nnz), credit.shape)
    return numbers.rows(order).transposed()


def _dense_rows(rows: Csr) -> np.ndarray:
    """A (small) sparse matrix as a dense array, filled in memory order: row by row."""
    dense = np.zeros(rows.shape, dtype=rows.data.dtype)
    dense[rows.row_of_values(), rows.indices] = rows.data
    return dense


def _popular_columns(holders: np.ndarray, n_people: int) -> np.ndarray:
    """Columns held by enough people (`holders` of each) that a dense row beats scattered
    adds, in order.

    A dense row costs about as much per person as a scattered add costs per holder, times
    `POPULAR_SHARE`; the dense copy is capped at `DENSE_CELLS` cells, most popular first.
    """
    by_popularity = np.argsort(-holders, kind="stable")
    limit = min(DENSE_CELLS // max(n_people, 1), len(holders))
    chosen = by_popularity[:limit]
    return np.sort(chosen[holders[chosen] >= POPULAR_SHARE * n_people])


def _same_holders(
    column: np.ndarray, position: np.ndarray, n_columns: int, n_people: int
) -> np.ndarray:
    """Bitsets (columns x 64-bit words) of who holds each column's same skill, as the candidate
    rule counts it (a stored credit not `related`), position p at bit p % 8 of byte p // 8
    (the little bit order of `np.unpackbits`), then two rows for padding: none and everyone.

    The holders come column by column, sorted within each (`_by_column`): the bits that
    share a byte are next to each other and are OR-ed by one `reduceat`."""
    words = (n_people + 63) // 64
    holds = np.zeros((n_columns + 2, 8 * words), dtype=np.uint8)
    holds[-1] = 0xFF
    position = position.astype(np.int64)
    byte = column.astype(np.int64) * (8 * words) + (position >> 3)
    if len(byte):
        first = np.flatnonzero(np.concatenate([[True], byte[1:] != byte[:-1]]))
        bits = np.left_shift(1, position & 7).astype(np.uint8)
        holds.ravel()[byte[first]] = np.bitwise_or.reduceat(bits, first)
    return holds.view(np.uint64)


def blocks(projects: np.ndarray, n_people: int, cells: int | None = None) -> Iterator[np.ndarray]:
    """The projects in blocks whose dense projects x people array holds about `cells` cells
    (default `CELLS_PER_BLOCK`)."""
    size = max(1, (cells or CELLS_PER_BLOCK) // max(n_people, 1))
    for start in range(0, len(projects), size):
        yield projects[start : start + size]


def skill_scores(engine: Engine, block: np.ndarray) -> np.ndarray:
    """skill_score (block x positions, float32) of everyone for each project in `block`."""
    inputs = engine.dense_inputs
    skill = inputs.popular.rows(block).dot_dense(inputs.dense)
    _add_rare(skill, inputs.rare_mix.rows(block), inputs.rare_credit)
    open_rows = np.flatnonzero(inputs.open_share[block])
    if len(open_rows):
        skill[open_rows] += inputs.open_share[block[open_rows], None]
    return skill


def _add_rare(skill: np.ndarray, mix: Csr, credit: Csr) -> None:
    """Add the rare columns' part of the product `mix @ credit` to `skill`, in place.

    Per block, not once for all projects, and its terms (one per project's rare column and
    holder, about 40 bytes each while they are added) made for at most `PRODUCT_TERMS` at a
    time: columns past the dense cap count as rare however many people hold them."""
    holders = np.diff(credit.indptr)[mix.indices]
    per_row = np.bincount(mix.row_of_values(), weights=holders, minlength=mix.shape[0])
    for lo, hi in chunks(per_row.astype(np.int64), PRODUCT_TERMS):
        row, column, value = mix.rows(np.arange(lo, hi)).product_terms(credit)
        np.add.at(skill, (row + lo, column), value)  # a cell may repeat


def candidate_words(engine: Engine, block: np.ndarray, every: bool = False) -> np.ndarray:
    """Who is a candidate (block x 64-bit words of bits, as `DenseInputs.holds`): holds the
    same skill of some required column of the project (with `every`, of every one); everyone,
    for a project that requires nothing.

    Each project's required columns, padded to the longest list (padding holds nobody for
    "some", everyone for "every"), pick rows of bitsets, combined one slot at a time so only
    a block's worth of words is alive whatever the longest list."""
    required, holds = engine.model.required, engine.dense_inputs.holds
    counts = np.diff(required.indptr)[block]
    pad = len(holds) - (1 if every else 2)
    asked = np.full((len(block), max(int(counts.max(initial=0)), 1)), pad, dtype=np.intp)
    rows = np.repeat(np.arange(len(block)), counts)
    slots = spans(np.zeros(len(block), dtype=np.intp), counts)
    asked[rows, slots] = required.indices[spans(required.indptr[block], counts)]
    combine = np.bitwise_and if every else np.bitwise_or
    words = holds[asked[:, 0]]
    for slot in range(1, asked.shape[1]):
        combine(words, holds[asked[:, slot]], out=words)
    words[counts == 0] = holds[-1]  # requires nothing: everyone is a candidate
    return words


def _outsiders(words: np.ndarray, n_people: int) -> np.ndarray:
    """Who is *not* a candidate (rows x positions, bool), from `candidate_words`."""
    bits = np.invert(words).view(np.uint8)
    return np.unpackbits(bits, axis=1, count=n_people, bitorder="little").view(bool)


def dense_scores(
    engine: Engine, block: np.ndarray, filters: Filters, adjust: Adjust | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Total scores (block x people at their positions, `DenseInputs.order`) with
    non-candidates and filtered pairs set below 0, and which of the rest surely pass
    `min_score` and `min_skill` (None: all of them).

    Float32 rounds, so a pair within `MARGIN` of either bound is kept without being sure: the
    exact pass (`score_block`) decides it, and `best_cells` never lets it set the cut.
    """
    skill = skill_scores(engine, block)
    words = candidate_words(engine, block, every=filters.require_all)
    score, out, sure = _tile_scores(engine, block, skill, words, filters, adjust)
    _exclude(score, out)
    return score, sure


def _tile_scores(
    engine: Engine,
    block: np.ndarray,
    skill: np.ndarray,
    words: np.ndarray,
    filters: Filters,
    adjust: Adjust | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(scores, outside, sure): `dense_scores`' scores before the pairs `outside` (not a
    candidate, or filtered) are set below 0, from the block's `skill_scores` (made the
    score in place) and `candidate_words`."""
    out = _outsiders(words, engine.n_people)
    sure = None
    if filters.min_skill > 0:  # before `skill` becomes the score in place
        low = np.float32(filters.min_skill - SKILL_TOLERANCE)
        out |= ~(skill >= low - np.float32(SKILL_MARGIN))
        sure = skill >= low + np.float32(SKILL_MARGIN)
    if adjust is None:
        score = _weighted_sum(engine, block, skill)
    else:
        score = _adjusted(engine, block, skill, adjust)
    if filters.min_score > 0 or adjust is not None:  # else no term is below 0
        out |= ~(score >= np.float32(filters.min_score - MARGIN))
    limit = _rate_limit(engine, filters)
    if limit is not None:  # NaN: no evidence, kept
        out |= engine.dense_inputs.given_rate[None, :] > limit[block][:, None]
    if filters.min_score > 0:
        clear = score >= np.float32(filters.min_score + MARGIN)
        sure = clear if sure is None else np.logical_and(sure, clear, out=sure)
    return score, out, sure


def _exclude(score: np.ndarray, out: np.ndarray) -> None:
    """Set the `out` cells of `score` to `_EXCLUDED` (-1), in place, by arithmetic:
    score x keep + (keep - 1) is the score itself where kept and exactly -1 elsewhere. The
    masked assignment branches on every cell and costs 15 to 30 times as much on a tile."""
    keep = np.logical_not(out, out=out).view(np.uint8).astype(np.float32)
    score *= keep
    keep -= 1
    score += keep


def _weighted_sum(engine: Engine, block: np.ndarray, skill: np.ndarray) -> np.ndarray:
    """The total score (block x positions) in place of `skill`: each term added as it is
    made, through one scratch array, so few block-sized arrays are alive at once."""
    w, inputs = engine.weights, engine.dense_inputs
    score = np.multiply(skill, np.float32(100 * w["skill"]), out=skill)
    score += inputs.base[None, :]
    term = np.empty_like(score)
    score += _rate_term(engine, block, 100 * w["rate"], term)
    score += _hours_term(engine, block, 100 * w["availability"], term)
    score += np.repeat(inputs.zone_term[block], inputs.zone_runs, axis=1)  # zone order
    if inputs.text is not None:
        text = inputs.text.block(block)
        score += np.multiply(text, np.float32(100 * w["text"]), out=text)
    return score


def _adjusted(engine: Engine, block: np.ndarray, skill: np.ndarray, adjust: Adjust) -> np.ndarray:
    """Scores through the `adjust` hook, which needs every component of every pair."""
    inputs = engine.dense_inputs
    project = np.repeat(block, engine.n_people)
    person = np.tile(inputs.order, len(block))
    components = components_of(
        skill.ravel().astype(np.float64), engine.people, engine.projects, project, person,
        engine.config,
    )  # fmt: skip
    if inputs.text is not None:
        components["text"] = inputs.text.block(block).ravel()
    return (
        total(engine, adjust(project, person, components)).reshape(skill.shape).astype(np.float32)
    )


def _rate_limit(engine: Engine, filters: Filters) -> np.ndarray | None:
    """The highest rate each project takes under `--max-over-budget` (None without that
    filter; NaN where the budget is unknown, which keeps everyone): one rule for the dense
    pass, the compiled kernel and the exact pass."""
    if filters.max_over_budget is None:
        return None
    return engine.projects.budget * (1 + filters.max_over_budget / 100.0)


def _rate_term(engine: Engine, block: np.ndarray, weight: float, out: np.ndarray) -> np.ndarray:
    """rate_score times its weight, in fused form: clip(w (1 + 1/f) - w rate / (budget f), 0, w)."""
    f = engine.config.thresholds.over_budget / 100.0
    budget = engine.projects.budget[block]
    slope = np.where(np.isnan(budget), 0.0, weight / (np.maximum(budget, 1e-9) * f))
    rate = engine.dense_inputs.rate
    term = np.multiply(slope.astype(np.float32)[:, None], rate[None, :], out=out)
    np.subtract(np.float32(weight * (1 + 1 / f)), term, out=term)
    return np.clip(term, 0, np.float32(weight), out=term)


def _hours_term(engine: Engine, block: np.ndarray, weight: float, out: np.ndarray) -> np.ndarray:
    """availability_score times its weight, in fused form: min(w, w available / needed)."""
    needed = engine.projects.hours[block]
    known = needed > 0
    scale = np.where(known, weight / np.where(known, needed, 1.0), 0.0).astype(np.float32)
    with np.errstate(invalid="ignore"):  # 0 x unknown (inf) hours, on rows set to w below
        term = np.multiply(scale[:, None], engine.dense_inputs.hours[None, :], out=out)
    np.minimum(term, np.float32(weight), out=term)
    term[~known] = np.float32(weight)  # no hours given: any availability will do
    return term


def best_cells(
    score: np.ndarray, k: int, sure: np.ndarray | None = None, outside: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(row, person) of the cells that may be among each row's `k` best (0 = all): every cell
    not excluded (>= 0, and not `outside` when given) within `2 * MARGIN` of the row's k-th
    best sure cell, so ties at the cut are all kept and float32 rounding never drops a pair
    the exact pass would rank. (`outside` spares setting excluded cells below 0 first: a few
    passes over bytes instead of four over floats.)

    `sure` marks the cells that surely pass the filters (None: all); the others are kept near
    the cut but never set it. A full partition of every row is slow when scores repeat (and
    excluded cells all repeat), so a strided sample first gives a floor: the sample's k-th
    best is never above the row's. Only the few cells above that floor are then partitioned
    exactly. Rows are negated so that partitions put the k best at the front, where the
    partition stops early, not at the end.
    """
    n = score.shape[1]
    if k <= 0 or k >= n:
        return _where(_inside(score >= 0, outside))
    stride = max(1, min(SAMPLE_STRIDE, n // (4 * k)))
    sample = np.negative(score[:, ::stride])
    unsure = None if sure is None else ~sure[:, ::stride]
    if outside is not None:
        unsure = outside[:, ::stride] if unsure is None else unsure | outside[:, ::stride]
    if unsure is not None:
        sample[unsure] = -_EXCLUDED
    sample.partition(k - 1, axis=1)
    floor = np.maximum(-sample[:, k - 1] - np.float32(2 * MARGIN), 0)
    rows, cols = _where(_inside(score >= floor[:, None], outside))
    values = score[rows, cols]
    ranks = values if sure is None else np.where(sure[rows, cols], values, np.float32(-np.inf))
    kth = _kth_per_row(rows, ranks, score.shape[0], k)
    keep = values >= kth[rows] - np.float32(2 * MARGIN)
    return rows[keep], cols[keep]


def _inside(mask: np.ndarray, outside: np.ndarray | None) -> np.ndarray:
    """`mask` without the cells `outside` (None: none), in place."""
    if outside is None:
        return mask
    mask &= ~outside
    return mask


def _where(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the true cells of a 2-D mask, as `np.nonzero` gives them, through
    `np.flatnonzero`: about 8 times faster on a tile (numpy 2.4's 2-D nonzero is slow).

    >>> [a.tolist() for a in _where(np.array([[False, True], [True, True]]))]
    [[0, 1, 1], [1, 0, 1]]
    """
    return np.divmod(np.flatnonzero(mask), mask.shape[1])


def _kth_per_row(rows: np.ndarray, values: np.ndarray, n_rows: int, k: int) -> np.ndarray:
    """The k-th largest value of each row of a ragged set (rows sorted), -inf where fewer."""
    counts = np.bincount(rows, minlength=n_rows)
    width = int(counts.max()) if len(counts) else 0
    if width < k:
        return np.full(n_rows, -np.inf, dtype=np.float32)
    position = spans(np.zeros(n_rows, dtype=np.int64), counts)  # each value's place in its row
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
        rows, person = _dense_cells(engine, block, filters, k, adjust)
    return _ranked(engine, block[rows], person, filters, k, adjust)


def _dense_cells(
    engine: Engine, block: np.ndarray, filters: Filters, k: int, adjust: Adjust | None
) -> tuple[np.ndarray, np.ndarray]:
    """The numpy pass's choice of pairs, as (row in block, person), a tile of `TILE_CELLS`
    at a time: each step of the pass reads and writes whole tiles, which then stay in the
    processor's cache instead of going out to memory and back between steps."""
    skill = skill_scores(engine, block)  # one product per block: its overhead is paid once
    words = candidate_words(engine, block, every=filters.require_all)
    size = max(1, TILE_CELLS // max(engine.n_people, 1))
    rows, positions = [], []
    for start in range(0, len(block), size):
        tile = slice(start, start + size)
        score, out, sure = _tile_scores(
            engine, block[tile], skill[tile], words[tile], filters, adjust
        )
        tile_rows, tile_positions = best_cells(score, k, sure, out)
        rows.append(tile_rows + start)
        positions.append(tile_positions)
    return np.concatenate(rows), engine.dense_inputs.order[np.concatenate(positions)]


def settled_scores(engine: Engine, block: np.ndarray, filters: Filters) -> np.ndarray:
    """`dense_scores` of a block with every pair too close to `min_score` or `min_skill` for
    float32 decided exactly (float64), as `score_block` decides it: for callers that reduce
    *all* candidates of a block (`price --top 0`) and so never reach the exact pass."""
    score, sure = dense_scores(engine, block, filters)
    order = engine.dense_inputs.order
    if sure is not None:
        rows, at = _where((score >= 0) & ~sure)
        if len(rows):
            *_, passes = _exact(engine, block[rows], order[at], filters, None)
            score[rows[~passes], at[~passes]] = _EXCLUDED
    return np.take(score, engine.dense_inputs.position, axis=1)  # people in their own order


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
