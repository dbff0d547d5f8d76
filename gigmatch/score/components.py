"""The score of a person for a project, from six components in 0-1.

Person-only components (rating, reliability) are computed once per person; pair components
(skills, rate, availability, time zone) on arrays of pairs. `blocks` runs the same formulas in a
fused float32 form over every pair of a block of projects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gigmatch.read.timezones import overlap_hours
from gigmatch.score.csr import Csr, chunks, spans
from gigmatch.score.skill_model import SkillModel

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.read.config import Config

COMPONENTS = ("skill", "rating", "reliability", "rate", "availability", "timezone")
WEIGHT_OF = {  # component -> its key in [weights]
    "skill": "skills",
    "rating": "rating",
    "reliability": "reliability",
    "rate": "rate",
    "availability": "availability",
    "timezone": "timezone",
    "text": "text",  # optional: present only when the pool wrote free text (score/text.py)
}


def shrunk_mean(values: np.ndarray, counts: np.ndarray, prior: float) -> np.ndarray:
    """Bayesian average: each value pulled towards the pool mean by `prior` pseudo-counts.

    One 5.0 review must not beat 150 reviews averaging 4.8; a missing value is the pool mean,
    neither punished nor favoured.

    >>> shrunk_mean(np.array([5.0, 4.8, np.nan]), np.array([1.0, 150.0, 0.0]), 10).round(3).tolist()
    [4.819, 4.8, 4.801]
    """
    known = ~np.isnan(values)
    counts = np.where(known, counts, 0.0)
    if not known.any() or counts.sum() == 0:
        return np.where(known, values, np.nanmean(values) if known.any() else np.nan)
    mean = float(np.sum(values[known] * counts[known]) / counts[known].sum())
    return (prior * mean + counts * np.where(known, values, 0.0)) / (prior + counts)


@dataclass(frozen=True)
class PersonTerms:
    """Per-person inputs of the score, with missing values already made neutral."""

    rating: np.ndarray  # 0-1
    reliability: np.ndarray  # 0-1
    rate: np.ndarray  # hourly rate, NaN where unknown
    hours: np.ndarray  # hours per week, the pool median where unknown
    offset: np.ndarray  # UTC offset in hours, NaN where unknown
    order: np.ndarray  # rank of each person's id, for stable tie-breaking


def person_terms(people: pd.DataFrame, config: Config) -> PersonTerms:
    """Rating and on-time record shrunk towards the pool, hours imputed by the pool median.

    A rating without a review count is trusted as much as the prior (half-way).
    """
    prior = config.thresholds.prior_reviews
    reviews = people["reviews"].to_numpy(float)
    reviews = np.where(np.isnan(reviews), prior, reviews)
    rating = shrunk_mean(people["rating"].to_numpy(float), reviews, prior) / 5.0
    on_time = shrunk_mean(people["on_time"].to_numpy(float), reviews, prior)
    hours = people["hours"].to_numpy(float)
    median = np.nanmedian(hours) if np.isfinite(hours).any() else np.nan
    ids = people["id"].to_numpy(object)
    return PersonTerms(
        rating=np.nan_to_num(rating, nan=0.5),
        reliability=np.nan_to_num(on_time, nan=0.5),
        rate=people["rate"].to_numpy(float),
        hours=np.where(np.isnan(hours), median, hours),
        offset=people["timezone"].to_numpy(float),
        order=np.argsort(np.argsort(ids.astype(str), kind="stable"), kind="stable"),
    )


@dataclass(frozen=True)
class ProjectTerms:
    """Per-project inputs of the score."""

    budget: np.ndarray
    hours: np.ndarray
    offset: np.ndarray


def project_terms(projects: pd.DataFrame) -> ProjectTerms:
    return ProjectTerms(
        budget=projects["budget"].to_numpy(float),
        hours=projects["hours"].to_numpy(float),
        offset=projects["timezone"].to_numpy(float),
    )


def rate_score(rate: np.ndarray, budget: np.ndarray, over_budget: float) -> np.ndarray:
    """1 within budget, falling linearly to 0 at `over_budget` percent above it.

    Unknown budget or rate is no evidence of a misfit, so it scores 1.

    >>> rate_score(np.array([40, 55, 90, np.nan]), np.array([50, 50, 50, 50]), 50).round(3).tolist()
    [1.0, 0.8, 0.0, 1.0]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        over = np.where(budget > 0, rate / budget - 1.0, np.where(rate > 0, np.inf, 0.0))
        score = 1.0 - np.maximum(over, 0.0) / (over_budget / 100.0)
    return np.where(np.isnan(rate) | np.isnan(budget), 1.0, np.clip(score, 0.0, 1.0))


def availability_score(available: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Share of the project's weekly hours the person has free (1 when either is unknown).

    >>> availability_score(np.array([10.0, 40.0, np.nan]), np.array([20.0, 20.0, 20.0])).tolist()
    [0.5, 1.0, 1.0]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(available / needed, 0.0, 1.0)
    return np.where(np.isnan(available) | ~(needed > 0), 1.0, share)


def timezone_score(person: np.ndarray, project: np.ndarray, config: Config) -> np.ndarray:
    """Shared working hours against the overlap a project needs; unknown zones are neutral."""
    t = config.thresholds
    overlap = overlap_hours(person, project, t.workday_start, t.workday_end)
    score = np.clip(overlap / max(t.overlap_hours, 1e-9), 0.0, 1.0)
    score = np.where(np.isnan(person), t.missing_timezone, score)
    return np.where(np.isnan(project), 1.0, score)


Adjust = Callable[[np.ndarray, np.ndarray, dict[str, np.ndarray]], dict[str, np.ndarray]]
"""A hook that revises components of candidate pairs (project, person, components) before
they are weighted: how past work (`--history`) reaches the score without the scorer knowing
about history."""


@dataclass(frozen=True)
class Pairs:
    """Scored (project, person) pairs: their components and total score (0-100)."""

    project: np.ndarray
    person: np.ndarray
    components: dict[str, np.ndarray]
    matched: np.ndarray  # required skills matched
    score: np.ndarray


@dataclass(frozen=True)
class Filters:
    """Hard filters: a pair failing one is not a candidate at all."""

    require_all: bool = False
    max_over_budget: float | None = None  # percent
    min_score: float = 0.0
    min_skill: float = 0.0  # least skill_score (0-1), for `assign`


def _components(
    model: SkillModel,
    people: PersonTerms,
    projects: ProjectTerms,
    project: np.ndarray,
    person: np.ndarray,
    coverage: np.ndarray,
    nice: np.ndarray,
    config: Config,
) -> dict[str, np.ndarray]:
    """The six components of pairs whose skill coverage is known."""
    b = config.thresholds.nice_to_have
    skill = np.where(model.has_nice[project], (1 - b) * coverage + b * nice, coverage)
    return components_of(np.clip(skill, 0.0, 1.0), people, projects, project, person, config)


def components_of(
    skill: np.ndarray,
    people: PersonTerms,
    projects: ProjectTerms,
    project: np.ndarray,
    person: np.ndarray,
    config: Config,
) -> dict[str, np.ndarray]:
    """The six components of pairs, given their skill_score."""
    return {
        "skill": skill,
        "rating": people.rating[person],
        "reliability": people.reliability[person],
        "rate": rate_score(
            people.rate[person], projects.budget[project], config.thresholds.over_budget
        ),
        "availability": availability_score(people.hours[person], projects.hours[project]),
        "timezone": timezone_score(people.offset[person], projects.offset[project], config),
    }


def total_score(components: dict[str, np.ndarray], config: Config) -> np.ndarray:
    """The weighted sum of the components, 0-100 (rounded so that sums compare stably)."""
    weights = config.weights.normalised(text="text" in components)
    score = 100.0 * sum(weights[WEIGHT_OF[k]] * v for k, v in components.items())
    return np.round(score, 9)


def pair_components(
    model: SkillModel,
    people: PersonTerms,
    projects: ProjectTerms,
    project: np.ndarray,
    person: np.ndarray,
    config: Config,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Components and required skills matched of any pairs, candidates or not.

    The dense pass in `blocks` keeps only totals; the pairs it keeps, and the pairs `explain`
    and `tune` look at whatever they share, get their components here, computed one way.
    """
    coverage, matched = _required_dot(model, project, person)
    coverage = np.where(model.n_required[project] == 0, 1.0, coverage)
    nice = _row_dot(model.credit, model.nice, project, person)
    components = _components(model, people, projects, project, person, coverage, nice, config)
    return components, matched


# (pair, skill asked) lookups made at once: a project asking for thousands of skills, paired
# with every person, would otherwise build arrays of pairs x skills (1.1 GB in `explain` on
# a 7,171-skill project against 2,000 people)
LOOKUPS = 1 << 21


def _required_dot(model: SkillModel, project: np.ndarray, person: np.ndarray):
    """(coverage of the required skills, how many are met by the same skill), pair by pair.

    Both come from one look-up of each pair's required columns in the credit (canonical, so
    each stored credit has its one `related` flag): one not related is a same-skill match."""
    same = ~np.asarray(model.related, bool)
    return _row_dot_and_count(model.credit, model.required, project, person, same)


def _row_dot(rows: Csr, columns: Csr, project: np.ndarray, person: np.ndarray) -> np.ndarray:
    """rows[person] . columns[project], pair by pair (see `_row_dot_and_count`)."""
    return _row_dot_and_count(rows, columns, project, person, None)[0]


def _row_dot_and_count(
    rows: Csr, columns: Csr, project: np.ndarray, person: np.ndarray, counted: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """(rows[person] . columns[project], how many of the terms are stored values of `rows`
    flagged in `counted`), pair by pair; `counted` (one flag per stored value of `rows`, or
    None for no count) costs no second look-up.

    Walks each project's few entries and looks each up in the person's row, so the work is
    pairs x skills asked: copying the person's whole row for every pair (a person with credit
    in thousands of columns, paired with 10,000 past projects in `tune`) is never needed. The
    pairs go in chunks of at most `LOOKUPS` lookups (a pair is never split), so memory stays
    bounded. The stored terms are added in column order with `np.add.reduceat`, as scipy sums
    a row, so the result is the same to the last bit."""
    out, found = np.zeros(len(project)), np.zeros(len(project))
    if len(project):
        counts = np.diff(columns.indptr)[project]
        for lo, hi in chunks(counts, LOOKUPS):
            out[lo:hi], found[lo:hi] = _row_dot_part(
                rows, columns, project[lo:hi], person[lo:hi], counts[lo:hi], counted
            )
    return out, found


def _row_dot_part(rows, columns, project, person, counts, counted=None):
    """`_row_dot` for one chunk of pairs, `counts` the entries of each pair's project:
    (dot, how many terms are stored and `counted`; zeros without `counted`)."""
    pair = np.repeat(np.arange(len(project)), counts)
    entry = spans(columns.indptr[project], counts)
    at = stored_positions(rows, person[pair], columns.indices[entry])
    found = at >= 0
    tally = np.zeros(len(project))
    if counted is not None and len(counted):
        tally += np.bincount(pair[found & counted[np.maximum(at, 0)]], minlength=len(project))
    value = np.where(found, rows.data[np.maximum(at, 0)] if len(rows.data) else 0.0, 0.0)
    value = value * columns.data[entry]
    keep = value != 0  # what the sparse product stores, added as scipy adds a row's entries
    pair, value = pair[keep], value[keep]
    out = np.zeros(len(project))
    if len(value):
        starts = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
        out[pair[starts]] = np.add.reduceat(value, starts)
    return out, tally


def stored_positions(rows, row: np.ndarray, column: np.ndarray) -> np.ndarray:
    """Where each (row, column) is stored in canonical CSR `rows`, -1 where it is not.

    A binary search inside each row's sorted indices, all rows in step: the work is the pairs
    times log(row length), never the size of the matrix (it is called once per block, and
    once per output by `ranking.to_frame`)."""
    indices = rows.indices
    lo = rows.indptr[row].astype(np.int64)
    hi = rows.indptr[row + 1].astype(np.int64)
    end = hi.copy()
    last = max(len(indices) - 1, 0)
    while True:
        active = lo < hi
        if not active.any():
            break
        mid = (lo + hi) // 2
        right = active & (indices[np.minimum(mid, last)] < column) if len(indices) else active
        lo = np.where(right, mid + 1, lo)
        hi = np.where(active & ~right, mid, hi)
    if not len(indices):
        return np.full(len(row), -1, dtype=np.int64)
    found = (lo < end) & (indices[np.minimum(lo, last)] == column)
    return np.where(found, lo, -1)
