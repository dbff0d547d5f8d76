"""A fair hourly rate for each project: what fitting people charge and what similar work cost.

Two sources of evidence, each documented so a project manager can defend the figure:

* **Fitting candidates.** The best `top` candidates of `match` whose skill score is at least
  `min_skill` (they bring most of what the project asks) and whose score is at least
  `min_score`. Their asked rates give the range: 25th percentile, median, 75th percentile
  (linear interpolation, as numpy and spreadsheets compute them).
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


def fitting_rates(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    settings: PriceSettings,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """(project, rate) of each fitting candidate with a known rate, best candidates first;
    `progress` is told of each block of projects scored."""
    import pandas as pd

    from gigmatch.score.ranking import score_all

    scored = score_all(
        projects, people, config, filters=Filters(min_score=settings.min_score), top=0,
        progress=progress,
    )  # fmt: skip
    pairs = scored.pairs
    keep = pairs.components["skill"] >= settings.min_skill - 1e-9
    frame = pd.DataFrame({"project": pairs.project[keep], "person": pairs.person[keep]})
    if settings.top > 0:
        frame = frame[frame.groupby("project").cumcount() < settings.top]
    rates = people["rate"].to_numpy(float)[frame["person"].to_numpy()]
    return pd.DataFrame({"project": frame["project"].to_numpy(), "rate": rates}).dropna()


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
) -> pd.DataFrame:
    """One row per project with its rate ranges and flag; columns as in `PRICE_COLUMNS`.
    `progress` follows the scoring of every candidate, block by block.

    Example::

        from gigmatch.read.config import Config
        from gigmatch.score.ranking import read
        from gigmatch.insights.price import price
        price(read("examples/projects.csv", "projects"), read("examples/people.csv", "people"),
              Config())
    """
    settings = settings or PriceSettings()
    n = len(projects)
    stats = _quantiles(fitting_rates(projects, people, config, settings, progress), n)
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


def _quantiles(frame: pd.DataFrame, n: int) -> dict[str, np.ndarray]:
    """Count, min and quartiles of `rate` per project index 0..n-1 (NaN where none)."""
    groups = frame.groupby("project")["rate"]
    out = {"count": np.zeros(n, dtype=np.int64)}
    out["count"][groups.size().index.to_numpy(int)] = groups.size().to_numpy()
    for name, values in (
        ("min", groups.min()),
        ("low", groups.quantile(0.25)),
        ("median", groups.quantile(0.5)),
        ("high", groups.quantile(0.75)),
    ):
        column = np.full(n, np.nan)
        column[values.index.to_numpy(int)] = values.to_numpy(float)
        out[name] = column
    return out


def _table(projects, stats, past, n: int) -> pd.DataFrame:
    import pandas as pd

    budget = projects["budget"].to_numpy(float)
    jobs = np.zeros(n, np.int64)
    paid = {k: np.full(n, np.nan) for k in ("low", "median", "high")}
    paid["count"] = np.zeros(n, np.int64)
    if past is not None and len(past):
        jobs[:] = past.groupby("project")["past"].nunique().reindex(range(n), fill_value=0)
        paid = _quantiles(past.dropna(subset=["rate"]), n)
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
