"""A fair hourly rate for each project: what fitting people charge and what similar work cost.

Two sources of evidence, each documented so a project manager can defend the figure:

* **Fitting candidates.** The best `top` candidates of `match` whose skill score is at least
  `min_skill` (they bring most of what the project asks) and whose score is at least
  `min_score`: exactly the list `gigmatch match --min-skill S --min-score M --top N` prints
  (`top` 0: every such candidate). Their known asked rates give the range: 25th percentile,
  median, 75th percentile (linear interpolation, as numpy and spreadsheets compute them).
  Only these per-project figures are ever kept, never the pairs behind them, so pricing
  10,000 projects against 100,000 people stays within one scoring block of memory.
* **Similar past work** (with a history file). A past project is *similar* when the Jaccard
  index of its skills (the union of its rows' skills) and the open project's required skills is
  at least `similarity`, both read through the same skill vocabulary as `match`. Each of its
  rows contributes the rate paid: the history's `rate` column where it has one, else the
  current rate of the person who did the work.

The suggested range gives both sources equal say: each bound (25th percentile, median, 75th
percentile) is the mean of the candidates' and the similar projects' figure, or the one that
exists. Flags compare the budget with the candidates: below the cheapest one, or below their
25th percentile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gigmatch.score.components import Filters
from gigmatch.skills.index import SkillIndex
from gigmatch.steps import Progress

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.read.config import Config
    from gigmatch.score.skill_model import SkillModel

PRICE_COLUMNS = [
    "project_id",
    "project_title",
    "budget",
    "candidates",
    "rate_min",
    "rate_low",
    "rate_median",
    "rate_high",
    "history_jobs",
    "history_rates",
    "history_rate_median",
    "suggested_low",
    "suggested_rate",
    "suggested_high",
    "flag",
]
NO_CANDIDATE = "no fitting candidate"
BELOW_ALL = "budget below every fitting candidate"
TIGHT = "tight"


@dataclass(frozen=True)
class PriceSettings:
    """Who counts as a fitting candidate and which past projects count as similar."""

    top: int = 10
    min_score: float = 0.0
    min_skill: float = 0.4
    similarity: float = 0.5


def fitting_stats(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    settings: PriceSettings,
    *,
    model: SkillModel | None = None,
    progress: Progress | None = None,
) -> dict[str, np.ndarray]:
    """Count, min and quartiles of the fitting candidates' known rates, per project row.

    The fitting candidates of a project are the ones `gigmatch match --min-skill S
    --min-score M --top N` lists for it (the same scorer, filters and tie rule), so a manager
    can see exactly whose rates make the range. Only aggregates leave this function: with a
    `top` the pass keeps that many pairs per project; with `top=0` (all) each block of the
    dense pass is reduced to its per-project figures and dropped, so memory stays at one block
    however many candidates there are (10,000 x 100,000 is about 300 million of them).
    """
    from gigmatch.score.ranking import score_all, scored_blocks

    filters = Filters(min_score=settings.min_score, min_skill=settings.min_skill)
    rate = people["rate"].to_numpy(float)
    n = len(projects)
    if settings.top > 0:
        pairs = score_all(
            projects, people, config, filters=filters, top=settings.top, model=model,
            progress=progress,
        ).pairs  # fmt: skip
        order = np.lexsort((rate[pairs.person], pairs.project))
        return rate_summary(pairs.project[order], rate[pairs.person][order], n)
    by_rate = np.argsort(rate, kind="stable")  # NaN (unknown) last
    sorted_rate = rate[by_rate]
    out = _empty_summary(n)
    blocks = scored_blocks(
        projects, people, config, filters=filters, model=model, progress=progress
    )
    for block, score in blocks:
        rows, columns = np.nonzero(score[:, by_rate] >= 0)  # rates ascending within each row
        part = rate_summary(rows, sorted_rate[columns], len(block))
        for name, values in part.items():
            out[name][block] = values
    return out


QUARTILES = (("low", 0.25), ("median", 0.5), ("high", 0.75))


def _empty_summary(n: int) -> dict[str, np.ndarray]:
    out = {"count": np.zeros(n, dtype=np.int64)}
    out.update({name: np.full(n, np.nan) for name in ("min", "low", "median", "high")})
    return out


def rate_summary(group: np.ndarray, value: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Count, min and quartiles of `value` per group 0..n-1, from values already sorted by
    group and ascending within each; NaN values are left out (NaN figures where none).

    The quartiles interpolate linearly between the two nearest ranks, as pandas' and numpy's
    default `quantile` do, with the same arithmetic (`lo + (hi - lo) * fraction`).

    >>> s = rate_summary(np.array([0, 0, 0, 0, 2]), np.array([10.0, 20, 30, np.nan, 5]), 3)
    >>> s["count"].tolist(), s["min"].tolist(), s["low"].tolist(), s["median"].tolist()
    ([3, 0, 1], [10.0, nan, 5.0], [15.0, nan, 5.0], [20.0, nan, 5.0])
    """
    known = ~np.isnan(value)
    group, value = np.asarray(group)[known], value[known]
    out = _empty_summary(n)
    count = np.bincount(group, minlength=n)
    out["count"] = count.astype(np.int64)
    some = count > 0
    start = (np.cumsum(count) - count)[some]
    size = count[some]
    out["min"][some] = value[start]
    for name, q in QUARTILES:
        position = q * (size - 1)
        lower = np.floor(position).astype(np.int64)
        fraction = position - lower
        below = value[start + lower]
        above = value[start + np.minimum(lower + 1, size - 1)]
        out[name][some] = np.where(fraction == 0, below, below + (above - below) * fraction)
    return out


def jaccard_pairs(a, b, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row of a, row of b, Jaccard index) for every pair at or above `threshold`.

    Only pairs sharing a skill are ever formed (a sparse product), so this scales with the
    overlap, not with rows x rows.

    >>> from scipy import sparse
    >>> a = sparse.csr_matrix(np.array([[1, 1, 0], [0, 0, 1]], float))
    >>> b = sparse.csr_matrix(np.array([[1, 1, 1], [1, 1, 0]], float))
    >>> [x.tolist() for x in jaccard_pairs(a, b, 0.5)]
    [[0, 0], [0, 1], [0.6666666666666666, 1.0]]
    """
    inter = (a @ b.T).tocoo()
    size_a = np.asarray(a.sum(axis=1)).ravel()
    size_b = np.asarray(b.sum(axis=1)).ravel()
    union = size_a[inter.row] + size_b[inter.col] - inter.data
    index = inter.data / np.maximum(union, 1e-12)
    keep = index >= threshold - 1e-12
    order = np.lexsort((inter.col[keep], inter.row[keep]))
    return inter.row[keep][order], inter.col[keep][order], index[keep][order]


def history_rates(
    projects: pd.DataFrame,
    history: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    similarity: float,
) -> pd.DataFrame:
    """(project, past project, rate) for every row of every similar past project."""
    import pandas as pd

    past_ids, past_of_row = np.unique(history["project_id"].to_numpy(str), return_inverse=True)
    index = SkillIndex.build(config, projects["skills"], history["skills"])
    rows = index.by_product(index.incidence(list(history["skills"])))  # Python 3 is Python
    grouping = _grouping(past_of_row, len(past_ids))
    past = (grouping @ rows).tocsr()
    past.data[:] = 1.0
    wanted = index.by_product(index.incidence(list(projects["skills"])))
    project, similar, _ = jaccard_pairs(wanted, past, similarity)
    pairs = pd.DataFrame({"project": project, "past": similar})
    paid = pd.DataFrame({"past": past_of_row, "rate": paid_rates(history, people)})
    return pairs.merge(paid, on="past", how="inner", sort=False)


def _grouping(group: np.ndarray, n_groups: int):
    from scipy import sparse

    return sparse.csr_matrix(
        (np.ones(len(group)), (group, np.arange(len(group)))), shape=(n_groups, len(group))
    )


def paid_rates(history: pd.DataFrame, people: pd.DataFrame) -> np.ndarray:
    """The rate of each history row: its own rate column if any, else the person's rate."""
    by_person = dict(zip(people["id"], people["rate"].to_numpy(float), strict=True))
    current = np.array([by_person.get(p, np.nan) for p in history["person_id"]])
    own = history["rate"].to_numpy(float)
    return np.where(np.isnan(own), current, own)


def price(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    history: pd.DataFrame | None = None,
    settings: PriceSettings | None = None,
    *,
    progress: Progress | None = None,
    model: SkillModel | None = None,
) -> pd.DataFrame:
    """One row per project with its rate ranges and flag; columns as in `PRICE_COLUMNS`.
    `progress` follows the scoring of every candidate, block by block.

    `model` is the skill model of the two tables when the caller built it already (the
    report builds it once for every section).

    Example::

        from gigmatch.read.config import Config
        from gigmatch.score.ranking import read
        from gigmatch.insights.price import price
        price(read("examples/projects.csv", "projects"), read("examples/people.csv", "people"),
              Config())
    """
    settings = settings or PriceSettings()
    n = len(projects)
    stats = fitting_stats(projects, people, config, settings, model=model, progress=progress)
    past = None
    if history is not None:
        past = history_rates(projects, history, people, config, settings.similarity)
    return _table(projects, stats, past, n)


def blend(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The mean of two estimates where both exist, else whichever exists.

    >>> blend(np.array([50.0, np.nan, 40.0, np.nan]), np.array([60.0, 70.0, np.nan, np.nan]))
    array([55., 70., 40., nan])
    """
    return np.where(np.isnan(a), b, np.where(np.isnan(b), a, (a + b) / 2.0))


def _table(projects, stats, past, n: int) -> pd.DataFrame:
    import pandas as pd

    budget = projects["budget"].to_numpy(float)
    jobs = np.zeros(n, np.int64)
    paid = {k: np.full(n, np.nan) for k in ("low", "median", "high")}
    paid["count"] = np.zeros(n, np.int64)
    if past is not None and len(past):
        jobs[:] = past.groupby("project")["past"].nunique().reindex(range(n), fill_value=0)
        project, rate = past["project"].to_numpy(np.int64), past["rate"].to_numpy(float)
        order = np.lexsort((rate, project))
        paid = rate_summary(project[order], rate[order], n)
    frame = pd.DataFrame(
        {
            "project_id": projects["id"].to_numpy(object),
            "project_title": projects["title"].to_numpy(object),
            "budget": budget,
            "candidates": stats["count"],
            "rate_min": stats["min"],
            "rate_low": stats["low"],
            "rate_median": stats["median"],
            "rate_high": stats["high"],
            "history_jobs": jobs,
            "history_rates": paid["count"],
            "history_rate_median": paid["median"],
            "suggested_low": blend(stats["low"], paid["low"]),
            "suggested_rate": blend(stats["median"], paid["median"]),
            "suggested_high": blend(stats["high"], paid["high"]),
            "flag": flags(budget, stats["count"], stats["min"], stats["low"]),
        }
    )
    money = [c for c in PRICE_COLUMNS if c.startswith(("rate_", "suggested_", "history_rate_"))]
    frame[money] = frame[money].round(2)
    return frame[PRICE_COLUMNS]


def flags(
    budget: np.ndarray, count: np.ndarray, cheapest: np.ndarray, low: np.ndarray
) -> np.ndarray:
    """What a project manager should look at first.

    >>> flags(np.array([30.0, 50, 70, np.nan, 60]), np.array([3, 3, 3, 3, 0]),
    ...       np.array([40.0, 40, 40, 40, np.nan]), np.array([55.0, 55, 55, 55, np.nan])).tolist()
    ['budget below every fitting candidate', 'tight', 'ok', 'no budget', 'no fitting candidate']
    """
    with np.errstate(invalid="ignore"):
        return np.select(
            [count == 0, np.isnan(budget), budget < cheapest, budget < low],
            [NO_CANDIDATE, "no budget", BELOW_ALL, TIGHT],
            "ok",
        ).astype(object)
