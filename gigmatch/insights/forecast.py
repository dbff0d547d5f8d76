"""Skill demand over time, its forecast, an honest back-test, and supply beside it.

Demand is counted in *places*: every history row (one person on one past project) is one place
of demand for each distinct skill it used, in the period it finished. Spellings are grouped into
skills exactly as `match` groups them (resolved by the knowledge base), so `ReactJS` and
`React` are one skill; demand is then counted per concept, a version folded into its product
(`SkillIndex.concepts`), so "Python" and "Python 3" are one series, named "Python".

The forecast is exponential smoothing, written out in numpy so it is small, deterministic and
explainable:

* **Season.** Where the history holds at least two full seasons (24 months or 104 weeks), one
  multiplicative seasonal index per calendar month (or ISO week) is estimated on *total* demand
  (all skills together) as the mean ratio of each period to a straight line fitted through the
  total. Single skills have too few places per period to show a season of their own; the
  agency's calendar (a December dip) is shared by all of them ("combined seasonal indices").
  With less history there is no seasonal term.
* **Level and trend.** Each skill's deseasonalised series gets its own level and additive damped
  trend (Holt's method, ETS(A,Ad,N)). The smoothing parameters (alpha, beta, phi) are chosen per
  skill from a fixed grid by the least in-sample one-step squared error, so the same data always
  gives the same forecast.
* **Interval.** The one-step residual standard deviation sigma grows with the horizon h as in the
  ETS(A,Ad,N) state-space model: var(h) = sigma^2 (1 + sum_{j<h} c_j^2) with
  c_j = alpha + alpha beta (phi + ... + phi^j); the band is the forecast +- z sigma_h (80% by
  default), scaled by the seasonal index and cut at zero.

The back-test holds out the last K periods (K = the horizon), fits on the rest and reports the
mean absolute error (MAE, in places per period) beside that of the naive forecast "same as the
last period".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from gigmatch.errors import InputError, UsageError
from gigmatch.read.skill_cells import SkillItem
from gigmatch.skills.index import SkillIndex

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.read.config import Config

SEASON = {"month": 12, "week": 52}
WEEKS_PER_PERIOD = {"month": 365.25 / 12 / 7, "week": 1.0}
ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)
BETAS = (0.0, 0.05, 0.1, 0.2)  # share of alpha: beta = alpha * b (error-correction form)
PHIS = (0.8, 0.9, 0.98, 1.0)
GRID = np.array(list(itertools.product(ALPHAS, BETAS, PHIS)))  # (alpha, beta share, phi)
# Demand is read from the last ten years at most, whatever span the dates cover: older work says
# little about next month, and a date typed as 1900 or 9999 must not make the work (periods x
# skills) follow the calendar. Older rows are left out with a note.
MAX_PERIODS = {"month": 120, "week": 522}


# ---- demand per skill and period ----------------------------------------------------------


def skill_index(columns: Iterable[Iterable[list[SkillItem]]], config: Config) -> SkillIndex:
    """One index over every skill column given, so demand and supply share skill ids (and
    concepts: demand is counted per concept, see `SkillIndex.concepts`)."""
    return SkillIndex.build(config, *columns)


def period_of(dates: np.ndarray, by: str) -> np.ndarray:
    """Integer period numbers: months since 1970-01, or Monday-based weeks since 1969-12-29.

    >>> period_of(np.array(["2025-03-31", "2025-04-01"], "datetime64[D]"), "month").tolist()
    [662, 663]
    """
    if by == "month":
        return dates.astype("datetime64[M]").astype(np.int64)
    return (dates.astype("datetime64[D]").astype(np.int64) + 3) // 7


def period_start(period: np.ndarray | int, by: str) -> np.ndarray:
    """The first day of each period number."""
    period = np.asarray(period, dtype=np.int64)
    if by == "month":
        return period.astype("datetime64[M]").astype("datetime64[D]")
    return (period * 7 - 3).astype("datetime64[D]")


def period_label(period: int, by: str) -> str:
    """`2025-03` for a month, `2025-W14` (ISO week) for a week.

    >>> period_label(662, "month"), period_label(2883, "week")
    ('2025-03', '2025-W14')
    """
    start = period_start(period, by)
    if by == "month":
        return str(start.astype("datetime64[M]"))
    year, week, _ = start.item().isocalendar()
    return f"{year}-W{week:02d}"


def season_position(periods: np.ndarray, by: str) -> np.ndarray:
    """Calendar position of each period in its season: month 0-11, ISO week 0-51 (53 -> 51)."""
    if by == "month":
        return periods % 12
    weeks = np.array([period_start(p, by).item().isocalendar()[1] for p in periods], np.int64)
    return np.minimum(weeks, 52) - 1


@dataclass(frozen=True)
class Events:
    """Dated places of demand: when, which concept, how many places, hours billed (NaN unknown)."""

    day: np.ndarray  # datetime64[D]
    skill: np.ndarray  # concept ids (`SkillIndex.concepts`): any version of a skill is the skill
    places: np.ndarray
    hours: np.ndarray


def history_events(history: pd.DataFrame, vocabulary: SkillIndex) -> Events:
    """One place per distinct skill of every history row, dated by the row's `date`."""
    return _events(
        list(history["skills"]),
        history["date"].to_numpy("datetime64[D]"),
        np.ones(len(history)),
        history["hours"].to_numpy(float),
        vocabulary,
    )


def project_events(projects: pd.DataFrame, vocabulary: SkillIndex) -> tuple[Events, int]:
    """Places asked by dated projects (team_size per required skill) and how many had no date.

    Undated projects are open work of today; they are not history and are left out.
    """
    days = projects["date"].to_numpy("datetime64[D]")
    dated = ~np.isnat(days)
    skills = [s for s, keep in zip(projects["skills"], dated, strict=True) if keep]
    team = projects["team_size"].to_numpy(float)[dated]
    hours = np.full(int(dated.sum()), np.nan)
    return _events(skills, days[dated], team, hours, vocabulary), int((~dated).sum())


def _events(
    lists: list[list[SkillItem]],
    days: np.ndarray,
    places: np.ndarray,
    hours: np.ndarray,
    vocabulary: SkillIndex,
) -> Events:
    owner = np.repeat(np.arange(len(lists)), [len(items) for items in lists])
    skill = vocabulary.ids([i.name for items in lists for i in items])
    owner, skill = owner[skill >= 0], vocabulary.concepts().of[skill[skill >= 0]]
    pairs = np.unique(np.stack([owner, skill]), axis=1) if len(skill) else np.empty((2, 0), int)
    owner, skill = pairs[0].astype(np.int64), pairs[1].astype(np.int64)
    return Events(days[owner], skill, places[owner], hours[owner])


def _join(parts: Sequence[Events]) -> Events:
    return Events(
        np.concatenate([p.day for p in parts]).astype("datetime64[D]"),
        np.concatenate([p.skill for p in parts]).astype(np.int64),
        np.concatenate([p.places for p in parts]).astype(float),
        np.concatenate([p.hours for p in parts]).astype(float),
    )


@dataclass(frozen=True)
class Demand:
    """Places of demand per period (rows, oldest first) and concept (columns, most asked
    first): "Python" and "Python 3" are one column."""

    by: str
    periods: np.ndarray  # period numbers
    skill_ids: np.ndarray  # concept ids of the columns (`SkillIndex.concepts`)
    names: list[str]
    places: np.ndarray  # periods x skills
    total: np.ndarray  # places per period over every skill, selected or not (for the season)
    hours_per_place: np.ndarray  # mean hours billed per place of each skill (NaN unknown)
    dropped: list[str]  # labels of periods left out as incomplete
    earlier: float = 0.0  # places left out as older than the last MAX_PERIODS periods

    @property
    def labels(self) -> list[str]:
        return [period_label(int(p), self.by) for p in self.periods]


def demand(
    events: Events, vocabulary: SkillIndex, by: str = "month", as_of: np.datetime64 | None = None
) -> Demand:
    """Count places per period and skill, up to the last period complete on `as_of`.

    `as_of` (default: the latest date in the data) is the day the data was exported. The period
    containing it counts only if it ends that day; a part-period would look like a slump.
    """
    if by not in SEASON:
        raise UsageError(f"--by must be month or week, not {by!r}")
    if not len(events.day):
        raise InputError("the history lists no skills: add a 'skills' column to count demand")
    known = ~np.isnat(events.day)
    if not known.any():
        raise InputError("the history has no dated rows: nothing to count demand from")
    last_day = as_of.astype("datetime64[D]") if as_of is not None else events.day[known].max()
    known &= events.day <= last_day
    period = period_of(events.day[known], by)
    first, last = int(period.min()), int(period_of(np.array([last_day]), by)[0])
    dropped = []
    if period_start(last + 1, by) - np.timedelta64(1, "D") > last_day:
        dropped.append(period_label(last, by))
        last -= 1
    if last < first:
        raise InputError("the history covers no complete period: try --by week or --as-of")
    first = max(first, last - MAX_PERIODS[by] + 1)
    periods = np.arange(first, last + 1)
    return _count(events, known, period, vocabulary, by, periods, dropped)


def _count(events, known, period, vocabulary, by, periods, dropped) -> Demand:
    """Places per period and concept, for the concepts that have any: the work follows the rows
    and the periods kept, never the size of the whole vocabulary."""
    skill, places = events.skill[known], events.places[known]
    names = vocabulary.concepts().names
    inside = (period >= periods[0]) & (period <= periods[-1])
    earlier = float(places[period < periods[0]].sum())
    present, local = np.unique(skill[inside], return_inverse=True)
    flat = (period[inside] - periods[0]) * len(present) + local
    counts = np.bincount(flat, places[inside], minlength=len(periods) * len(present))
    counts = counts.reshape(len(periods), len(present))
    hours = events.hours[known]
    has_hours = ~np.isnan(hours)
    n_skills = len(names)
    billed = np.bincount(skill[has_hours], hours[has_hours], minlength=n_skills)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_place = billed / np.bincount(skill[has_hours], minlength=n_skills)
    total = counts.sum(axis=0)
    order = sorted(range(len(present)), key=lambda c: (-total[c], names[present[c]].casefold()))
    columns = np.array([c for c in order if total[c] > 0], dtype=np.int64)
    used = present[columns].astype(np.int64)
    return Demand(
        by,
        periods,
        used,
        [names[s] for s in used],
        counts[:, columns],
        counts.sum(axis=1),
        per_place[used],
        dropped,
        earlier,
    )


def select(
    demand: Demand, top: int, names: Sequence[str] = (), vocabulary: SkillIndex | None = None
):
    """The skills named (in the order given) or else the `top` most asked (0 = all)."""
    if names:
        wanted = [_find_skill(name, demand, vocabulary) for name in names]
        columns = list(dict.fromkeys(wanted))
    else:
        columns = list(range(len(demand.names) if top <= 0 else min(top, len(demand.names))))
    index = np.array(columns, dtype=np.int64)
    return Demand(
        demand.by,
        demand.periods,
        demand.skill_ids[index],
        [demand.names[i] for i in columns],
        demand.places[:, index],
        demand.total,
        demand.hours_per_place[index],
        demand.dropped,
        demand.earlier,
    )


def _find_skill(name: str, demand: Demand, vocabulary: SkillIndex | None) -> int:
    """The column of a skill named by the user, through the same rules as the data (the
    user's aliases included)."""
    sid = vocabulary.concepts().find(vocabulary.concept_of(name)) if vocabulary else -1
    for column, skill_id in enumerate(demand.skill_ids):
        if sid == skill_id:
            return column
    known = ", ".join(demand.names[:15])
    raise UsageError(f"no demand for skill {name!r} in the history (most asked: {known})")


# ---- exponential smoothing ----------------------------------------------------------------


def seasonal_indices(total: np.ndarray, position: np.ndarray, season: int) -> np.ndarray:
    """Multiplicative index per season position from total demand; ones without 2 seasons.

    Each period's ratio to a least-squares line through the total is averaged per calendar
    position and the indices are scaled to average 1.
    """
    n = len(total)
    if n < 2 * season or total.sum() <= 0:
        return np.ones(season)
    slope, intercept = np.polyfit(np.arange(n), total, 1)
    trend = intercept + slope * np.arange(n)
    ratio = np.where(trend > 0, total / np.where(trend > 0, trend, 1.0), np.nan)
    ok = ~np.isnan(ratio)
    sums = np.bincount(position[ok], ratio[ok], minlength=season)
    counts = np.bincount(position[ok], minlength=season)
    index = np.where(counts > 0, sums / np.maximum(counts, 1), 1.0)
    index = np.clip(index, 0.05, None)
    return index / index.mean()


@dataclass(frozen=True)
class Smoothed:
    """The chosen damped-trend model of each skill (arrays over skills)."""

    alpha: np.ndarray
    beta: np.ndarray  # error-correction form: alpha times the grid's share
    phi: np.ndarray
    level: np.ndarray  # state after the last period
    trend: np.ndarray
    sigma: np.ndarray  # one-step residual standard deviation (deseasonalised)


def smooth(series: np.ndarray) -> Smoothed:
    """Fit Holt's damped trend to each column of `series` (periods x skills) by grid search.

    Every grid point runs on every skill at once: the loop is over periods only.
    """
    n, skills = series.shape
    alpha, beta, phi = (GRID[:, i, None] * np.ones(skills) for i in range(3))
    beta = alpha * beta
    level, trend = _initial_state(series)
    level, trend = np.tile(level, (len(GRID), 1)), np.tile(trend, (len(GRID), 1))
    sse = np.zeros((len(GRID), skills))
    for t in range(n):
        error = series[t] - (level + phi * trend)
        level, trend = level + phi * trend + alpha * error, phi * trend + beta * error
        sse += error**2
    best = np.argmin(sse, axis=0)  # first (smallest) grid point wins ties
    pick = (best, np.arange(skills))
    sigma = np.sqrt(sse[pick] / max(n - 2, 1))
    return Smoothed(alpha[pick], beta[pick], phi[pick], level[pick], trend[pick], sigma)


def _initial_state(series: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Level and slope from a straight line through the first few periods, set one step back
    so the first one-step forecast is the line's value at the first period."""
    k = min(len(series), 6)
    if k < 2:
        return series[0].astype(float), np.zeros(series.shape[1])
    slope, intercept = np.polyfit(np.arange(k), series[:k], 1)
    return intercept - slope, slope


def project(model: Smoothed, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Point forecasts and their standard deviations for 1..horizon steps (horizon x skills)."""
    steps = np.arange(1, horizon + 1)[:, None]
    damped = np.cumsum(model.phi[None, :] ** steps, axis=0)
    point = model.level + damped * model.trend
    variance = np.ones((horizon, len(model.alpha)))
    for h in range(1, horizon):
        c = model.alpha + model.beta * damped[h - 1]
        variance[h:] += c**2
    return point, model.sigma * np.sqrt(variance)


@dataclass(frozen=True)
class Prediction:
    """Forecast places for the next periods (horizon x skills) with an interval."""

    periods: np.ndarray
    point: np.ndarray
    low: np.ndarray
    high: np.ndarray
    seasonal: bool
    model: Smoothed


def predict(
    series: np.ndarray,
    periods: np.ndarray,
    by: str,
    horizon: int,
    level: float = 80.0,
    total: np.ndarray | None = None,
) -> Prediction:
    """Forecast the next `horizon` periods of every column of `series` (periods x skills).

    The season is estimated on `total` (default: the sum of the columns).
    """
    from statistics import NormalDist

    season = SEASON[by]
    total = series.sum(axis=1) if total is None else total
    index = seasonal_indices(total, season_position(periods, by), season)
    ahead = np.arange(periods[-1] + 1, periods[-1] + 1 + horizon)
    past_s = index[season_position(periods, by)][:, None]
    next_s = index[season_position(ahead, by)][:, None]
    model = smooth(series / past_s)
    point, spread = project(model, horizon)
    z = NormalDist().inv_cdf(0.5 + level / 200.0)
    centre = np.maximum(point * next_s, 0.0)
    low = np.maximum((point - z * spread) * next_s, 0.0)
    high = np.maximum((point + z * spread) * next_s, 0.0)
    return Prediction(ahead, centre, low, high, bool(np.abs(index - 1.0).max() > 1e-6), model)


# ---- back-test ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backtest:
    """Errors of the method and of "same as last period" on the held-out last periods."""

    periods: np.ndarray
    actual: np.ndarray  # held-out x skills
    forecast: np.ndarray
    naive: np.ndarray

    @property
    def mae(self) -> np.ndarray:
        return np.abs(self.forecast - self.actual).mean(axis=0)

    @property
    def naive_mae(self) -> np.ndarray:
        return np.abs(self.naive - self.actual).mean(axis=0)


def backtest(demand: Demand, holdout: int) -> Backtest | None:
    """Fit on all but the last `holdout` periods and forecast them; None if too short.

    At least four periods must remain to fit on.
    """
    n = len(demand.periods)
    holdout = max(1, holdout)
    if n - holdout < 4:
        return None
    train, test = demand.places[:-holdout], demand.places[-holdout:]
    periods = demand.periods[:-holdout]
    prediction = predict(train, periods, demand.by, holdout, total=demand.total[:-holdout])
    naive = np.repeat(train[-1:], holdout, axis=0)
    return Backtest(demand.periods[-holdout:], test, prediction.point, naive)


# ---- supply beside demand -----------------------------------------------------------------


def supply(
    people: pd.DataFrame, vocabulary: SkillIndex, skill_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """People offering each concept of `skill_ids` (the same skill as in `match`, any version of
    it) and the hours per week they have available together (unknown hours: the pool's median)."""
    concept = vocabulary.concepts().of
    members = np.flatnonzero(np.isin(concept, skill_ids))
    column = {int(c): i for i, c in enumerate(skill_ids)}
    meets = vocabulary.offers(list(people["skills"]), members)  # people x member skills
    to_column = sparse.csr_matrix(
        (
            np.ones(len(members)),
            (np.arange(len(members)), [column[int(concept[m])] for m in members]),
        ),
        shape=(len(members), len(skill_ids)),
    )
    has = (meets @ to_column).tocsr()
    has.data[:] = 1.0
    hours = people["hours"].to_numpy(float)
    median = np.nanmedian(hours) if np.isfinite(hours).any() else 0.0
    hours = np.where(np.isnan(hours), median, hours)
    return np.asarray(has.sum(axis=0)).ravel(), np.asarray(has.T @ hours).ravel()


# ---- the whole analysis and its tables ------------------------------------------------------

FORECAST_COLUMNS = ["skill", "period", "kind", "demand", "low", "high"]
BACKTEST_COLUMNS = ["skill", "periods", "actual", "mae", "naive_mae", "improvement"]
SUPPLY_COLUMNS = [
    "skill",
    "people",
    "supply_hours",
    "forecast_peak",
    "forecast_high",
    "hours_per_place",
    "demand_hours",
    "demand_hours_high",
    "short_hours",
    "status",
]
ALL = "(all skills)"


@dataclass(frozen=True)
class Forecast:
    """Everything `gigmatch forecast` shows: the series, the forecast, the back-test, supply."""

    demand: Demand
    prediction: Prediction
    backtest: Backtest | None
    level: float
    undated_projects: int = 0
    people: np.ndarray | None = None  # people offering each skill (with `people`)
    supply_hours: np.ndarray | None = None  # their hours per week together


def forecast(
    history: pd.DataFrame,
    config: Config,
    *,
    projects: pd.DataFrame | None = None,
    people: pd.DataFrame | None = None,
    by: str = "month",
    horizon: int = 3,
    top: int = 10,
    skills: Sequence[str] = (),
    as_of: date | str | None = None,
    level: float = 80.0,
) -> Forecast:
    """Demand per skill from parsed history (and dated projects), forecast `horizon` periods.

    Example::

        from gigmatch.read.config import Config
        from gigmatch.score.ranking import read
        from gigmatch.insights.forecast import forecast, forecast_frame
        result = forecast(read("examples/history.csv", "history"), Config(), horizon=3)
        forecast_frame(result).tail()
    """
    if horizon < 1:
        raise UsageError("--horizon must be at least 1")
    columns = [history["skills"]]
    columns += [projects["skills"]] if projects is not None else []
    columns += [people["skills"]] if people is not None else []
    vocabulary = skill_index(columns, config)
    parts, undated = [history_events(history, vocabulary)], 0
    if projects is not None:
        dated, undated = project_events(projects, vocabulary)
        parts.append(dated)
    day = None if as_of is None else np.datetime64(str(as_of)).astype("datetime64[D]")
    series = select(demand(_join(parts), vocabulary, by, day), top, skills, vocabulary)
    prediction = predict(series.places, series.periods, by, horizon, level, series.total)
    result = Forecast(series, prediction, backtest(series, horizon), level, undated)
    if people is None:
        return result
    count, hours = supply(people, vocabulary, series.skill_ids)
    return Forecast(series, prediction, result.backtest, level, undated, count, hours)


def forecast_frame(result: Forecast) -> pd.DataFrame:
    """History rows then forecast rows for each skill: skill, period, kind, demand, low, high."""
    import pandas as pd

    d, p = result.demand, result.prediction
    n, h, k = len(d.periods), len(p.periods), len(d.names)
    ahead = [period_label(int(x), d.by) for x in p.periods]
    frame = pd.DataFrame(
        {
            "skill": np.repeat(np.array(d.names, dtype=object), n + h),
            "period": np.tile(np.array(d.labels + ahead, dtype=object), k),
            "kind": np.tile(np.array(["history"] * n + ["forecast"] * h, dtype=object), k),
            "demand": np.vstack([d.places, np.round(p.point, 2)]).T.ravel(),
            "low": np.vstack([np.full((n, k), np.nan), np.round(p.low, 2)]).T.ravel(),
            "high": np.vstack([np.full((n, k), np.nan), np.round(p.high, 2)]).T.ravel(),
        }
    )
    return frame[FORECAST_COLUMNS]


def backtest_frame(result: Forecast) -> pd.DataFrame:
    """MAE of the method and of the naive forecast per skill, then over all skills."""
    import pandas as pd

    b, d = result.backtest, result.demand
    if b is None:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    span = f"{period_label(int(b.periods[0]), d.by)}..{period_label(int(b.periods[-1]), d.by)}"
    mae = np.append(b.mae, b.mae.mean())
    naive = np.append(b.naive_mae, b.naive_mae.mean())
    with np.errstate(invalid="ignore", divide="ignore"):
        improvement = np.where(naive > 0, 100.0 * (1.0 - mae / naive), np.nan)
    return pd.DataFrame(
        {
            "skill": [*d.names, ALL],
            "periods": span,
            "actual": np.append(b.actual.sum(axis=0), b.actual.sum()),
            "mae": np.round(mae, 3),
            "naive_mae": np.round(naive, 3),
            "improvement": np.round(improvement, 1),
        }
    )[BACKTEST_COLUMNS]


def supply_frame(result: Forecast) -> pd.DataFrame:
    """Supply per skill beside the busiest forecast period, in hours per week.

    Forecast places are turned into hours with the skill's mean hours billed per place and
    spread over the period's weeks; a skill is `short` when even the point forecast needs more
    hours than its people have, `at risk` when only the interval's upper end does.
    """
    import pandas as pd

    if result.people is None or result.supply_hours is None:
        return pd.DataFrame(columns=SUPPLY_COLUMNS)
    d, p = result.demand, result.prediction
    weeks = WEEKS_PER_PERIOD[d.by]
    peak, high = p.point.max(axis=0), p.high.max(axis=0)
    demand_hours = peak * d.hours_per_place / weeks
    demand_high = high * d.hours_per_place / weeks
    short = np.maximum(demand_hours - result.supply_hours, 0.0)
    short_high = np.nan_to_num(demand_high - result.supply_hours, nan=0.0) > 0
    status = np.where(short > 0, "short", np.where(short_high, "at risk", "ok"))
    frame = pd.DataFrame(
        {
            "skill": d.names,
            "people": result.people.astype(np.int64),
            "supply_hours": np.round(result.supply_hours, 1),
            "forecast_peak": np.round(peak, 2),
            "forecast_high": np.round(high, 2),
            "hours_per_place": np.round(d.hours_per_place, 1),
            "demand_hours": np.round(demand_hours, 1),
            "demand_hours_high": np.round(demand_high, 1),
            "short_hours": np.round(short, 1),
            "status": status.astype(object),
        }
    )
    return frame[SUPPLY_COLUMNS]
