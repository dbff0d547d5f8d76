"""Past work (`--history`): what finished assignments say about each person.

Every history row is a finished assignment. It counts as evidence with a *recency weight*
`w = 0.5 ** (age_days / half_life_days)` on the reference date (`--as-of`, default today):
a record one half-life old counts half as much as one finished today; records dated after the
reference date are ignored, so a run `--as-of` a past date sees only what was known then.

How history combines with people.csv (the rules `rating_score` and `reliability_score` follow):

- **Overall.** A history rating is one more review of weight `w`, added to the `reviews` that
  people.csv's `rating` averages, and the sum is shrunk towards the pool mean by
  `[thresholds] prior_reviews` pseudo-reviews, exactly as without history:
  `(prior * pool + reviews * rating + sum(w * r')) / (prior + reviews + sum(w))`. The same for
  `on_time` (people.csv's share over its reviews, plus each record's 1/0 with weight `w`).
- **Read relative to the history's own mean.** `r' = r - history_mean + pool_mean`: a record
  counts by how much better or worse it is than the typical record, so an agency that rates
  harder than the marketplace behind people.csv does not pull everyone with history below
  everyone without. This assumes the two sources are independent evidence: if people.csv's
  rating is computed from the same jobs as the history file, those jobs count twice (blank
  `rating`/`reviews` in people.csv, or leave out `--history`, to avoid it).
- **Per skill.** For a project, each required skill `s` adds how far the person's records
  whose `skills` include `s` (matched by spelling and alias, as in scoring) are from all their
  records, that deviation shrunk by `[history] prior_jobs` pseudo-jobs at zero; the deviations
  are averaged over the project's required skills, weighted as in `skill_score`. A skill with no
  record, or a person whose records all used the skill, adds nothing, so the same evidence is
  not counted twice; someone strong in Python work and weak in design work is rated above
  their overall rating for Python projects and below it for design ones.
- **Repeat clients.** `rating_score` gains `[history] repeat_client_bonus` per past job (times
  its recency weight) for the project's `client`, compared case-insensitively; clipped to 1.
- **No history is neutral.** A person with no record on or before the reference date keeps
  exactly the components they get without `--history`; a person whose history is exactly the
  history's average is pulled towards the pool mean, which is where the no-history person sits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from gigmatch.skills.index import SkillIndex

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.read.config import Config
    from gigmatch.score.skill_model import SkillModel

DENSE_CELLS = 8_000_000  # pair look-ups go through a dense rows x projects block up to this size
EPOCH = np.datetime64("1970-01-01", "D")


def day_number(value: date | str | None) -> int:
    """Days since 1970-01-01 of a reference date; None is today (so runs are reproducible only
    with an explicit date).

    >>> day_number("2026-01-01"), day_number(date(1970, 1, 2))
    (20454, 1)
    """
    if value is None:
        value = date.today()
    if isinstance(value, str):
        from gigmatch.errors import UsageError
        from gigmatch.read.values import parse_date

        try:
            value = parse_date(value)
        except ValueError as exc:
            raise UsageError(f"--as-of {value!r}: {exc}") from None
    if isinstance(value, datetime):
        value = value.date()
    return (value - date(1970, 1, 1)).days


def recency(age_days: np.ndarray, half_life: float) -> np.ndarray:
    """Weight of records `age_days` old; a half-life of 0 means no decay.

    >>> recency(np.array([0, 365, 730]), 365).tolist()
    [1.0, 0.5, 0.25]
    """
    if half_life <= 0:
        return np.ones(len(age_days))
    return 0.5 ** (np.asarray(age_days, dtype=float) / half_life)


def client_key(name: object) -> str:
    """Clients compare case- and space-insensitively; blank is unknown.

    >>> client_key("  Keel &  Marsh LLP "), client_key(None)
    ('keel & marsh llp', '')
    """
    if not isinstance(name, str):
        return ""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Records:
    """History rows of people in the pool, as arrays (one entry per row of `frame`)."""

    frame: pd.DataFrame  # the rows kept, for explanations
    person: np.ndarray  # index into the people table
    day: np.ndarray  # finishing date, days since 1970-01-01
    rating: np.ndarray  # 0-5, NaN where the client gave none
    on_time: np.ndarray  # 1 on time, 0 late, NaN unknown
    skills: sparse.csr_matrix  # records x vocabulary skills: 1 where the work used the skill
    client: np.ndarray  # index into `clients`, -1 where unknown
    clients: dict[str, int]  # client key -> index
    unknown_people: int  # rows left out: person not in the people table


def records(history: pd.DataFrame, people: pd.DataFrame, vocabulary: SkillIndex) -> Records:
    """The history rows of known people, typed for scoring; rows of unknown people are left out."""
    index = {pid: i for i, pid in enumerate(people["id"])}
    person = np.array([index.get(p, -1) for p in history["person_id"]], dtype=np.int64)
    frame = history[person >= 0].reset_index(drop=True)
    keys = [client_key(c) for c in frame["client"]] if "client" in frame else [""] * len(frame)
    clients = {k: i for i, k in enumerate(sorted({k for k in keys if k}))}
    return Records(
        frame=frame,
        person=person[person >= 0],
        day=(frame["date"].to_numpy("datetime64[D]") - EPOCH).astype(np.int64),
        rating=frame["rating"].to_numpy(float),
        on_time=_column(frame, "on_time"),
        skills=_skill_matrix(frame, vocabulary),
        client=np.array([clients.get(k, -1) for k in keys], dtype=np.int64),
        clients=clients,
        unknown_people=int((person < 0).sum()),
    )


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return frame[name].to_numpy(float)


def _skill_matrix(frame: pd.DataFrame, vocabulary: SkillIndex) -> sparse.csr_matrix:
    """Records x skills: which skills each record's work meets, by the rule of `match` (the
    same skill, any version of it: "Python 3" work counts for a project asking "Python"); a
    spelling absent from the current files still counts through the knowledge base ("ReactJS"
    work for a project asking "React")."""
    lists = list(frame["skills"]) if "skills" in frame else [[]] * len(frame)
    return vocabulary.offers(lists, np.arange(len(vocabulary), dtype=np.int64))


@dataclass(frozen=True)
class Prior:
    """Where evidence is shrunk to, and the history means records are read relative to."""

    rating: float  # pool mean rating (0-5)
    on_time: float  # pool mean on-time share
    history_rating: float  # recency-weighted mean of the history's ratings
    history_on_time: float


@dataclass(frozen=True)
class Direct:
    """Evidence from people.csv per evidence row: value and how many reviews it rests on."""

    rating: np.ndarray
    rating_n: np.ndarray
    on_time: np.ndarray
    on_time_n: np.ndarray

    @classmethod
    def none(cls, n: int) -> Direct:
        zeros = np.zeros(n)
        return cls(np.full(n, np.nan), zeros, np.full(n, np.nan), zeros)


def direct_evidence(people: pd.DataFrame, config: Config) -> tuple[Direct, float, float]:
    """people.csv's rating and on-time with their review counts, and the pool means, as
    `scoring.person_terms` reads them (a rating without a count rests on `prior_reviews`)."""
    prior = config.thresholds.prior_reviews
    reviews = people["reviews"].to_numpy(float)
    reviews = np.where(np.isnan(reviews), prior, reviews)
    rating, on_time = people["rating"].to_numpy(float), people["on_time"].to_numpy(float)
    rating_n = np.where(np.isnan(rating), 0.0, reviews)
    on_time_n = np.where(np.isnan(on_time), 0.0, reviews)
    direct = Direct(rating, rating_n, on_time, on_time_n)
    return direct, _pool_mean(rating, rating_n, 2.5), _pool_mean(on_time, on_time_n, 0.5)


def _pool_mean(values: np.ndarray, counts: np.ndarray, neutral: float) -> float:
    """The review-weighted mean; the plain mean without counts; `neutral` without values
    (the value the scorer gives everyone then)."""
    known = ~np.isnan(values)
    if counts.sum() > 0:
        return float(np.sum(values[known] * counts[known]) / counts[known].sum())
    return float(values[known].mean()) if known.any() else neutral


def history_means(rec: Records, weight: np.ndarray) -> tuple[float, float]:
    """Weighted means of the history's ratings and on-time records (NaN when none)."""
    return _weighted_mean(rec.rating, weight), _weighted_mean(rec.on_time, weight)


def _weighted_mean(values: np.ndarray, weight: np.ndarray) -> float:
    known = ~np.isnan(values) & (weight > 0)
    if not known.any():
        return float("nan")
    return float(np.sum(values[known] * weight[known]) / weight[known].sum())


@dataclass(frozen=True)
class Measure:
    """One measure (rating or on-time) per evidence row: the combined value and, per skill,
    how far the row's records using the skill are from all its records (shrunk)."""

    value: np.ndarray  # combined, per row
    by_skill: sparse.csr_matrix  # rows x skills: the skill's shrunk deviation
    centre: float  # history mean records are read relative to
    prior: float  # pool mean evidence is shrunk to
    reviews: float  # pseudo-reviews at `prior` (thresholds.prior_reviews)
    jobs: float  # pseudo-jobs at the overall value, per skill (history.prior_jobs)


@dataclass(frozen=True)
class Evidence:
    """What history says about each evidence row (a person on the reference date for `match`;
    a person just before one past assignment for `tune`)."""

    weight: sparse.csr_matrix  # rows x records: the recency weight of each record used
    rating: Measure
    on_time: Measure
    client_jobs: sparse.csr_matrix  # rows x clients: recency-weighted past jobs
    has_history: np.ndarray  # rows with at least one record used
    direct: Direct


def evidence(
    weight: sparse.csr_matrix, rec: Records, direct: Direct, prior: Prior, config: Config
) -> Evidence:
    """Combine people.csv and the weighted records into ratings per row, per skill and client."""
    reviews, jobs = config.thresholds.prior_reviews, config.history.prior_jobs
    rating = _measure(
        weight, rec, rec.rating, (direct.rating, direct.rating_n), prior.history_rating,
        prior.rating, reviews, jobs,
    )  # fmt: skip
    on_time = _measure(
        weight, rec, rec.on_time, (direct.on_time, direct.on_time_n), prior.history_on_time,
        prior.on_time, reviews, jobs,
    )  # fmt: skip
    known = rec.client >= 0
    client = sparse.csr_matrix(
        (np.ones(int(known.sum())), (np.flatnonzero(known), rec.client[known])),
        shape=(len(rec.client), len(rec.clients)),
    )
    return Evidence(
        weight=weight,
        rating=rating,
        on_time=on_time,
        client_jobs=(weight @ client).tocsr(),
        has_history=np.diff(weight.indptr) > 0,
        direct=direct,
    )


def _measure(
    weight: sparse.csr_matrix,
    rec: Records,
    values: np.ndarray,
    direct: tuple[np.ndarray, np.ndarray],
    centre: float,
    prior_mean: float,
    prior: float,
    jobs: float,
) -> Measure:
    """The combined value per row, and per skill how far the row's records using the skill
    are from all the row's records, shrunk by `jobs` pseudo-jobs (so a person whose records
    all used one skill has no skill-specific deviation: the evidence is not counted twice)."""
    known = ~np.isnan(values)
    centre = centre if np.isfinite(centre) else prior_mean
    excess = np.where(known, values - centre, 0.0)  # r' - pool mean, in the module's terms
    used = weight.multiply(known[None, :].astype(float)).tocsr()
    value, n = direct
    csv = np.where(n > 0, n * (np.nan_to_num(value) - prior_mean), 0.0)
    total = np.asarray(used.sum(axis=1)).ravel()
    summed = used @ excess
    shift = (csv + summed) / (prior + n + total)
    mean = np.divide(summed, total, out=np.zeros_like(summed), where=total > 0)
    by_skill = _by_skill(used, excess, rec.skills, mean, jobs)
    return Measure(prior_mean + shift, by_skill, centre, prior_mean, prior, jobs)


def _by_skill(used, excess, skills, mean, jobs: float) -> sparse.csr_matrix:
    """Rows x skills: sum w * (e - mean of the row) / (jobs + sum w), over the records of the
    row that used the skill."""
    coo = used.tocoo()
    per_record = np.diff(skills.indptr)[coo.col]
    left = np.repeat(np.arange(coo.nnz), per_record)
    offset = np.arange(per_record.sum()) - np.repeat(np.cumsum(per_record) - per_record, per_record)
    skill = skills.indices[np.repeat(skills.indptr[coo.col], per_record) + offset]
    row, w = coo.row[left], coo.data[left]
    n_skills = skills.shape[1]
    keys, inverse = np.unique(row.astype(np.int64) * n_skills + skill, return_inverse=True)
    total = np.bincount(inverse, weights=w, minlength=len(keys))
    excess_sum = np.bincount(inverse, weights=w * excess[coo.col[left]], minlength=len(keys))
    rows = keys // n_skills
    data = (excess_sum - total * mean[rows]) / (jobs + total)
    return sparse.csr_matrix((data, (rows, keys % n_skills)), shape=(used.shape[0], n_skills))


def pair_lookup(
    by_row: sparse.csr_matrix,
    by_project: sparse.csc_matrix,
    row: np.ndarray,
    projects: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """(by_row @ by_project)[row, project] for many pairs at once; `projects` is
    `np.unique(project, return_inverse=True)`, shared by the look-ups of one call.

    Pairs usually cover a block of projects for many rows (as `match` scores them), so the
    product is formed densely for the projects involved when that fits in `DENSE_CELLS`, and
    pair by pair otherwise.
    """
    used, local = projects
    if by_row.nnz == 0 or not len(row):
        return np.zeros(len(row))
    if by_row.shape[0] * len(used) <= DENSE_CELLS:
        block = (by_row @ by_project[:, used]).toarray()
        return block[row, local]
    product = by_row[row].multiply(by_project[:, used[local]].T.tocsr())
    return np.asarray(product.sum(axis=1), dtype=float).ravel()


@dataclass(frozen=True)
class ProjectSide:
    """What a project brings to the history terms: its required skills and its client."""

    skills: sparse.csc_matrix  # vocabulary skills x projects, weights summing to 1
    client: sparse.csc_matrix  # clients x projects, 1 for the project's client

    @classmethod
    def build(cls, model: SkillModel, projects: pd.DataFrame, clients: dict[str, int]):
        n_cols = len(model.column_skill)
        to_skill = sparse.csr_matrix(
            (np.ones(n_cols), (model.column_skill, np.arange(n_cols))),
            shape=(len(model.vocab), n_cols),
        )
        keys = [client_key(c) for c in projects["client"]] if "client" in projects else []
        code = np.array([clients.get(k, -1) for k in keys], dtype=np.int64)
        known = np.flatnonzero(code >= 0) if len(code) else np.empty(0, np.int64)
        client = sparse.csc_matrix(
            (np.ones(len(known)), (code[known], known)), shape=(len(clients), len(projects))
        )
        return cls((to_skill @ model.required.scipy().T).tocsc(), client)


@dataclass(frozen=True)
class HistoryScores:
    """History's `rating_score` and `reliability_score` for (evidence row, project) pairs."""

    evidence: Evidence
    projects: ProjectSide
    bonus: float

    def pair(self, row: np.ndarray, project: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rating_score, reliability_score) of pairs, both 0-1."""
        ev, side = self.evidence, self.projects
        projects = np.unique(project, return_inverse=True)
        rating = ev.rating.value[row] + pair_lookup(ev.rating.by_skill, side.skills, row, projects)
        jobs = pair_lookup(ev.client_jobs, side.client, row, projects)
        on_time = ev.on_time.value[row] + pair_lookup(
            ev.on_time.by_skill, side.skills, row, projects
        )
        rating_score = np.clip(rating / 5.0 + self.bonus * jobs, 0.0, 1.0)
        return rating_score, np.clip(on_time, 0.0, 1.0)


@dataclass(frozen=True)
class Summary:
    """What was read from the history file, for a note on stderr."""

    as_of: str
    used: int  # records on or before the reference date, of known people
    later: int  # records after the reference date (ignored)
    unknown_people: int  # records of people not in the people file (ignored)
    people: int  # people with at least one record used

    def describe(self) -> str:
        text = f"history: {self.used} records of {self.people} people as of {self.as_of}"
        if self.later:
            text += f", {self.later} later records ignored"
        if self.unknown_people:
            text += f", {self.unknown_people} records of people not in the people file ignored"
        return text


@dataclass(frozen=True)
class HistoryAdjust:
    """The scoring hook (`scoring.Adjust`) that brings history into `rating_score` and
    `reliability_score`; people with no history keep the scorer's values exactly."""

    scores: HistoryScores
    records: Records
    summary: Summary

    def __call__(
        self, project: np.ndarray, person: np.ndarray, components: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        rating, reliability = self.scores.pair(person, project)
        has = self.scores.evidence.has_history[person]
        out = dict(components)
        out["rating"] = np.where(has, rating, components["rating"])
        out["reliability"] = np.where(has, reliability, components["reliability"])
        return out


def history_adjuster(
    history: pd.DataFrame,
    projects: pd.DataFrame,
    people: pd.DataFrame,
    model: SkillModel,
    config: Config,
    as_of: date | str | None = None,
    source: str | None = None,
) -> HistoryAdjust:
    """The `adjust` hook for `score_all` from a parsed history table.

    `model` must be the skill model the scores are computed with (its vocabulary maps the
    history's skill tags and its weights say which skills each project needs). `source` names
    the file in errors.
    """
    rec = records(history, people, model.index)
    check_ids_match(history, people, rec, source)
    today = day_number(as_of)
    age = today - rec.day
    w = np.where(age >= 0, recency(age, config.history.half_life_days), 0.0)
    keep = np.flatnonzero(age >= 0)
    weight = sparse.csr_matrix((w[keep], (rec.person[keep], keep)), shape=(len(people), len(w)))
    direct, rating_mean, on_time_mean = direct_evidence(people, config)
    prior = Prior(rating_mean, on_time_mean, *history_means(rec, w))
    ev = evidence(weight, rec, direct, prior, config)
    side = ProjectSide.build(model, projects, rec.clients)
    summary = Summary(
        as_of=str(EPOCH + np.timedelta64(today, "D")),
        used=len(keep),
        later=int((age < 0).sum()),
        unknown_people=rec.unknown_people,
        people=int(ev.has_history.sum()),
    )
    return HistoryAdjust(HistoryScores(ev, side, config.history.repeat_client_bonus), rec, summary)


def check_ids_match(
    history: pd.DataFrame, people: pd.DataFrame, rec: Records, source: str | None
) -> None:
    """A history none of whose person ids is in the people file would be silently ignored:
    almost always the two files use different ids (as `check` reports), so it is an error."""
    if not len(history) or rec.unknown_people < len(history):
        return
    from gigmatch.errors import InputError

    name = source if source and source != "-" else "the history file"
    example = f" (e.g. '{people['id'].iloc[0]}')" if len(people) else ""
    raise InputError(
        f"{name}: no person_id matches an id in the people file: none of its "
        f"{len(history)} records (e.g. '{history['person_id'].iloc[0]}') names a person of "
        f"the people file{example}; check that the history's person_id column and the people "
        "file's id column hold the same ids"
    )


@dataclass(frozen=True)
class Pulls:
    """How each record moved one pair's rating and on-time scores (0-1 units, before clipping).

    `base` + `direct` + the records' pulls add up to the unclipped score: `base` is the pool
    mean, `direct` what people.csv's rating/on-time adds, and a record's pull its share of the
    rest (the repeat-client bonus included).
    """

    record: np.ndarray  # index into Records
    weight: np.ndarray
    rating: np.ndarray
    on_time: np.ndarray
    same_client: np.ndarray
    skills: list[list[int]]  # the project's required skills each record used
    base: tuple[float, float]
    direct: tuple[float, float]


def pulls(adjust: HistoryAdjust, project: int, person: int) -> Pulls:
    """Each record's exact share in one pair's history terms.

    In stars, with `e` a record's rating less the history mean, `w` its weight, `q_s` the
    project's skill weights, `W_s` the weight of the person's records using skill `s`, `T` of
    all of them, `D` the overall denominator and `b = sum_s q_s W_s / (k + W_s)`, the pair's
    rating is `m + (csv + sum w e) / D + sum_s q_s * sum_(records using s) w (e - mean e)
    / (k + W_s)`, which is linear in each `e`: a record's pull is
    `w e (1 / D - b / T + sum_(skills it used) q_s / (k + W_s))`.
    """
    scores, rec = adjust.scores, adjust.records
    ev = scores.evidence
    row = ev.weight.getrow(person)
    index, w = row.indices, row.data
    q = scores.projects.skills[:, project].toarray().ravel()
    used = rec.skills[index]
    direct = ev.direct
    rating, r_direct = _pull(
        ev.rating, rec.rating[index], w, used, q, direct.rating[person], direct.rating_n[person]
    )
    on_time, o_direct = _pull(
        ev.on_time, rec.on_time[index], w, used, q, direct.on_time[person], direct.on_time_n[person]
    )
    client = scores.projects.client[:, project].toarray().ravel()
    code = rec.client[index]
    same = np.zeros(len(index), dtype=bool)  # no client column, or all blank: no client known
    same[code >= 0] = client[code[code >= 0]] > 0
    wanted = set(np.flatnonzero(q).tolist())
    return Pulls(
        record=index,
        weight=w,
        rating=rating / 5.0 + scores.bonus * w * same,
        on_time=on_time,
        same_client=same,
        skills=[sorted(wanted.intersection(used[i].indices.tolist())) for i in range(len(index))],
        base=(ev.rating.prior / 5.0, ev.on_time.prior),
        direct=(r_direct / 5.0, o_direct),
    )


def _pull(m: Measure, values, w, used, q, direct_value: float, direct_n: float):
    """(pull of each record, pull of people.csv) on one measure, in its own units."""
    known = ~np.isnan(values)
    a_w = np.where(known, w, 0.0)
    excess = np.where(known, values - m.centre, 0.0)
    by_skill = np.asarray(used.T @ a_w).ravel()
    total = a_w.sum()
    spread = np.sum(q * by_skill / (m.jobs + by_skill)) / total if total > 0 else 0.0
    denominator = m.reviews + direct_n + total
    factor = 1.0 / denominator - spread + used @ (q / (m.jobs + by_skill))
    csv = direct_n * (direct_value - m.prior) if direct_n > 0 else 0.0
    return a_w * excess * factor, csv / denominator
