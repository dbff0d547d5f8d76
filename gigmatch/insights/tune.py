"""`tune`: fit the score weights to past outcomes.

Each rated history row is a training pair (the person, the past project) with an outcome:
*good* when the rating is at least `good` (4.5 by default). Its six components are computed as
`match` would have computed them just before the work finished: skills, rate, hours and time
zone from the current people file and the past project; rating and on-time **only from the
history before that date** (people.csv's rating is today's and may contain the very rating
being predicted, so it is left out here). A logistic regression with non-negative coefficients
and an L2 penalty (on standardised components, so that a component with a narrow range is not
penalised for needing a large coefficient) is fitted with scipy; the coefficients, scaled
back, are the tuned weights. Components that do not vary in the history (for example `rate`
when past projects have no budget) cannot be learnt and keep their default share.

Cross-validation is k-fold by past project (all rows of a project fall in the same fold, folds
drawn with a fixed seed), and reports the AUC of default and tuned weights on each held-out
fold: the chance that a good outcome scores above a poor one.

Past projects are taken from `--projects` when listed there; otherwise they are rebuilt from
the history rows themselves: skills are every skill the rows of that project list, client,
title and description their most common ones, and budget, hours and time zone unknown (so
neutral).

Free text is a seventh component, as in `match`: where some past project has a description
(in `--projects` or in the history rows) and some person a headline or bio, each pair's
`text` is the TF-IDF relevance `match` computes, fitted on the past projects and people, and
the text weight is fitted and reported with the others. Without such text `text` is not a
training column at all and its weight stays as configured.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from gigmatch.errors import InputError, UsageError
from gigmatch.read.config import (
    Config,
    Weights,
    config_from_dict,
    parse_toml,
    read_config_text,
)
from gigmatch.records import records as plain_records
from gigmatch.score.components import (
    COMPONENTS,
    WEIGHT_OF,
    pair_components,
    person_terms,
    project_terms,
)
from gigmatch.score.history import (
    Direct,
    HistoryScores,
    Prior,
    ProjectSide,
    day_number,
    evidence,
    recency,
    records,
)
from gigmatch.score.ranking import text_model
from gigmatch.score.skill_model import build_skill_model
from gigmatch.skills.spelling import normalise
from gigmatch.steps import Progress, tell

if TYPE_CHECKING:
    import pandas as pd

PROJECT_COLUMNS = ("id", "title", "description", "skills", "nice_to_have", "budget", "hours",
                   "team_size", "timezone", "client")  # fmt: skip


def past_projects(history: pd.DataFrame, projects: pd.DataFrame | None) -> pd.DataFrame:
    """One project row per project id in the history: from `projects` when it lists the id,
    else rebuilt from the history rows (see the module docstring)."""
    import pandas as pd

    ids = list(dict.fromkeys(history["project_id"]))
    known = {} if projects is None else {p: i for i, p in enumerate(projects["id"])}
    rows = []
    for pid, group in history.groupby("project_id", sort=False):
        if pid in known:
            row = projects.iloc[known[pid]]  # type: ignore[union-attr]
            rows.append({c: row.get(c, "") for c in PROJECT_COLUMNS})
        else:
            rows.append(_rebuilt(pid, group))
    frame = pd.DataFrame(rows, columns=list(PROJECT_COLUMNS))
    order = {p: i for i, p in enumerate(ids)}
    frame = frame.iloc[np.argsort([order[p] for p in frame["id"]], kind="stable")]
    return frame.reset_index(drop=True)


def _rebuilt(pid: str, rows: pd.DataFrame) -> dict[str, Any]:
    """A past project from its history rows: their skills (each once), their usual client,
    title and description."""
    skills: dict[str, Any] = {}
    for items in rows["skills"] if "skills" in rows else []:
        for item in items:
            skills.setdefault(normalise(item.name), item)
    return {
        "id": pid, "title": _usual(rows, "title"), "description": _usual(rows, "description"),
        "skills": list(skills.values()), "nice_to_have": [], "budget": np.nan, "hours": np.nan,
        "team_size": 1, "timezone": np.nan, "client": _usual(rows, "client"),
    }  # fmt: skip


def _usual(rows: pd.DataFrame, column: str) -> str:
    """The most common non-empty value of a column (ties: the first in sort order), or ""."""
    values = [str(v) for v in rows[column] if isinstance(v, str) and v] if column in rows else []
    return min(set(values), key=lambda v: (-values.count(v), v)) if values else ""


# Most work held at once: `tune` works through the records in blocks of this many (record,
# earlier record) pairs, each counted with the skills the earlier record meets, so one person
# with 10,000 rows never needs a 10,000 x 10,000 matrix.
PAIRS_PER_BLOCK = 1_000_000


def before_weights(
    person: np.ndarray, day: np.ndarray, half_life: float, rows: np.ndarray | None = None
) -> sparse.csr_matrix:
    """`rows` (default all) x records: how much record j counts as evidence just before
    record `rows[k]` finished (same person, finished strictly earlier, weighted by recency at
    that date). Each row is computed alone, so a block of rows is the same as those rows of
    the whole matrix."""
    rows = np.arange(len(day)) if rows is None else np.asarray(rows, dtype=np.int64)
    order, start, size = _earlier(person, day, rows)
    left = np.repeat(np.arange(len(rows)), size)
    offset = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
    j = order[np.repeat(start, size) + offset]
    w = recency(day[rows][left] - day[j], half_life)
    return sparse.csr_matrix((w, (left, j)), shape=(len(rows), len(day)))


def _earlier(
    person: np.ndarray, day: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Records in (person, day) order, and for each of `rows` where its person's records start
    in that order and how many of them finished strictly before it."""
    order = np.lexsort((day, person))
    _, day_rank = np.unique(day, return_inverse=True)
    key = person.astype(np.int64) * (int(day_rank.max(initial=0)) + 1) + day_rank
    sorted_key = key[order]
    start = np.searchsorted(person[order], person[rows], side="left")
    return order, start, np.searchsorted(sorted_key, key[rows], side="left") - start


def row_blocks(
    person: np.ndarray, day: np.ndarray, rows: np.ndarray, cost: np.ndarray | None = None
) -> list[np.ndarray]:
    """`rows` cut into consecutive blocks holding at most `PAIRS_PER_BLOCK` units of work: a
    row costs the summed `cost` of its earlier records (default 1 each; `tune` counts the
    skills each record meets, as the per-skill evidence does). A row costlier than the bound
    is a block of its own."""
    order, start, size = _earlier(person, day, rows)
    unit = np.ones(len(day)) if cost is None else np.asarray(cost, dtype=float)
    running = np.concatenate([[0.0], np.cumsum(unit[order])])
    work = running[start + size] - running[start]
    blocks, begin, held = [], 0, 0.0
    for k, n in enumerate(work.tolist()):
        if k > begin and held + n > PAIRS_PER_BLOCK:
            blocks.append(rows[begin:k])
            begin, held = k, 0.0
        held += n
    blocks.append(rows[begin:])
    return [b for b in blocks if len(b)]


@dataclass(frozen=True)
class TrainingSet:
    """Pairs (person, past project) with their components and outcomes."""

    x: np.ndarray  # pairs x components, in `names` order
    good: np.ndarray  # bool
    rating: np.ndarray
    project_id: np.ndarray
    person_id: np.ndarray
    rebuilt: int  # past projects rebuilt from history rows
    left_out: dict[str, int]  # rows not used, by reason
    names: tuple[str, ...] = COMPONENTS  # the columns of x: COMPONENTS, then "text" with text

    def learnable(self, hold: tuple[str, ...] = ()) -> np.ndarray:
        """Components that vary across the pairs (the others cannot be fitted), less those held
        at their default weight."""
        varies = self.x.std(axis=0) > 1e-9 if len(self.x) else np.zeros(len(self.names), bool)
        return varies & ~np.isin([WEIGHT_OF[c] for c in self.names], list(hold))


def training_set(
    history: pd.DataFrame,
    people: pd.DataFrame,
    projects: pd.DataFrame | None,
    config: Config,
    as_of: date | str | None = None,
    good: float = 4.5,
) -> TrainingSet:
    """The training pairs of a parsed history, people and (optional) projects table."""
    cutoff = day_number(as_of)
    days = (history["date"].to_numpy("datetime64[D]") - np.datetime64("1970-01-01", "D")).astype(
        np.int64
    )
    later = days > cutoff
    history = history[~later].reset_index(drop=True)
    past = past_projects(history, projects)
    model = build_skill_model(past, people, config)
    rec = records(history, people, model.index)
    rated = np.flatnonzero(~np.isnan(rec.rating))
    if len(rated) < 2:
        raise InputError("tune needs rated history rows of people in the people file; found none")
    index = {p: i for i, p in enumerate(past["id"])}
    project_of = np.array([index[p] for p in rec.frame["project_id"]], dtype=np.int64)
    project, person = project_of[rated], rec.person[rated]
    values, _ = pair_components(
        model, person_terms(people, config), project_terms(past), project, person, config
    )
    values["rating"], values["reliability"] = _history_terms(
        rec, model, past, config, rated, project_of
    )
    text = text_model(past, people, config)
    if text is not None:  # the same relevance `match` computes, fitted on this pool
        values["text"] = text.pairs(project, person)
    names = (*COMPONENTS, "text") if text is not None else COMPONENTS
    return TrainingSet(
        x=np.column_stack([values[c] for c in names]),
        good=rec.rating[rated] >= good,
        rating=rec.rating[rated],
        project_id=rec.frame["project_id"].to_numpy(object)[rated],
        person_id=rec.frame["person_id"].to_numpy(object)[rated],
        rebuilt=len(past) - (0 if projects is None else int(past["id"].isin(projects["id"]).sum())),
        left_out={
            "after --as-of": int(later.sum()),
            "person not in the people file": rec.unknown_people,
            "no rating": len(rec.rating) - len(rated),
        },
        names=names,
    )


def _history_terms(
    rec, model, past: pd.DataFrame, config: Config, rated: np.ndarray, project: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rating and on-time terms of each rated record from the records before it, shrunk
    towards the history's own means (there is no people.csv evidence from before the work).

    Worked out in blocks of rows (`row_blocks`): every row's evidence depends only on its own
    earlier records, so the blocks give exactly the terms of one pass, in bounded memory.
    `project` is each record's row in `past`."""
    rating = float(np.nanmean(rec.rating)) if (~np.isnan(rec.rating)).any() else 2.5
    on_time = float(np.nanmean(rec.on_time)) if (~np.isnan(rec.on_time)).any() else 0.5
    prior = Prior(rating, on_time, rating, on_time)
    side = ProjectSide.build(model, past, rec.clients)
    out_rating, out_on_time = np.empty(len(rated)), np.empty(len(rated))
    cost = 1 + np.diff(rec.skills.indptr)  # a pair, and the skills its record meets
    for block in row_blocks(rec.person, rec.day, rated, cost):
        weight = before_weights(rec.person, rec.day, config.history.half_life_days, block)
        ev = evidence(weight, rec, Direct.none(len(block)), prior, config)
        scores = HistoryScores(ev, side, config.history.repeat_client_bonus)
        r, o = scores.pair(np.arange(len(block)), project[block])
        where = np.searchsorted(rated, block)  # blocks are runs of `rated`, which is sorted
        out_rating[where], out_on_time[where] = r, o
    return out_rating, out_on_time


def auc(score: np.ndarray, good: np.ndarray) -> float:
    """Area under the ROC curve: the chance a good outcome outscores a poor one (ties half).

    >>> auc(np.array([0.9, 0.8, 0.3, 0.1]), np.array([True, False, True, False]))
    0.75
    """
    from scipy.stats import rankdata

    n_good, n_poor = int(good.sum()), int((~good).sum())
    if not n_good or not n_poor:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[good].sum() - n_good * (n_good + 1) / 2) / (n_good * n_poor))


def fit(x: np.ndarray, good: np.ndarray, l2: float) -> np.ndarray:
    """Non-negative logistic-regression coefficients of the columns of `x` (raw scale).

    Columns are standardised for the penalty `l2/2 * |beta|^2`; the intercept is free.
    """
    from scipy.optimize import minimize

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = (x - mean) / scale
    sign = np.where(good, 1.0, -1.0)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        margin = sign * (theta[0] + z @ theta[1:])
        p = np.exp(-np.logaddexp(0.0, margin))  # sigmoid(-margin)
        value = np.logaddexp(0.0, -margin).sum() + 0.5 * l2 * theta[1:] @ theta[1:]
        grad_z = -sign * p
        grad = np.concatenate([[grad_z.sum()], z.T @ grad_z + l2 * theta[1:]])
        return float(value), grad

    bounds = [(None, None)] + [(0.0, None)] * x.shape[1]
    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x[1:] / scale


def default_weights(config: Config, names: tuple[str, ...] = COMPONENTS) -> np.ndarray:
    """The configured weights as shares of the components in `names` (with "text" among them,
    shares of all seven, as `match` weighs a pool with free text)."""
    normalised = config.weights.normalised(text="text" in names)
    return np.array([normalised[WEIGHT_OF[c]] for c in names])


def tuned_weights(beta: np.ndarray, learnable: np.ndarray, defaults: np.ndarray) -> np.ndarray:
    """Weights from the coefficients of the learnable components: these share what their
    defaults add up to, in proportion to their coefficients; the others keep their defaults.

    >>> beta, learnable = np.array([1.0, 3.0]), np.array([True, True, False])
    >>> tuned_weights(beta, learnable, np.array([0.5, 0.3, 0.2])).round(3).tolist()
    [0.2, 0.6, 0.2]
    """
    fitted = np.zeros(len(defaults))
    fitted[learnable] = beta
    if fitted.sum() <= 0:
        return defaults.copy()
    mass = defaults[learnable].sum()
    return np.where(learnable, mass * fitted / fitted.sum(), defaults)


def fold_of(groups: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Fold (0..k-1) of each row: whole groups (past projects) dealt out in a seeded order."""
    names, inverse = np.unique(groups.astype(str), return_inverse=True)
    dealt = np.empty(len(names), dtype=np.int64)
    dealt[np.random.default_rng(seed).permutation(len(names))] = np.arange(len(names)) % k
    return dealt[inverse]


@dataclass(frozen=True)
class TuneResult:
    """Tuned weights and how well default and tuned weights rank held-out outcomes."""

    defaults: np.ndarray  # shares, in `names` order
    tuned: np.ndarray
    learnable: np.ndarray
    folds: pd.DataFrame  # fold, pairs, good, auc_default, auc_tuned
    pairs: int
    good: int
    training: TrainingSet

    @property
    def names(self) -> tuple[str, ...]:
        """The components fitted: COMPONENTS, and "text" when the history had free text."""
        return self.training.names

    @property
    def mean_auc(self) -> tuple[float, float]:
        """(default, tuned) AUC averaged over the folds that hold both outcomes (NaN if none)."""
        used = self.folds[self.folds["auc_default"].notna()]
        if not len(used):
            return float("nan"), float("nan")
        return float(used["auc_default"].mean()), float(used["auc_tuned"].mean())

    @property
    def skipped_folds(self) -> int:
        """Held-out folds with only good or only poor outcomes: their AUC is undefined, so
        the mean leaves them out."""
        return int(self.folds["auc_default"].isna().sum())

    def weights(self, digits: int = 3) -> dict[str, float]:
        """The tuned `[weights]` table, rounded."""
        return {
            WEIGHT_OF[c]: round(float(w), digits)
            for c, w in zip(self.names, self.tuned, strict=True)
        }

    def weights_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            {
                "component": [WEIGHT_OF[c] for c in self.names],
                "default": np.round(self.defaults, 3),
                "tuned": np.round(self.tuned, 3),
                "learnt": self.learnable,
            }
        )

    def folds_with_mean(self) -> pd.DataFrame:
        """The folds table with a last row of totals and mean AUCs."""
        import pandas as pd

        auc_default, auc_tuned = self.mean_auc
        mean = {
            "fold": "mean",
            "pairs": int(self.folds["pairs"].sum()),
            "good": int(self.folds["good"].sum()),
            "auc_default": round(auc_default, 3),
            "auc_tuned": round(auc_tuned, 3),
        }
        folds = self.folds.astype({"fold": object})
        return pd.concat([folds, pd.DataFrame([mean])], ignore_index=True)

    def to_dict(self) -> dict[str, Any]:
        """The whole result as plain values (NaN as None), ready for JSON."""
        auc_default, auc_tuned = self.mean_auc
        return {
            "pairs": self.pairs,
            "good": self.good,
            "left_out": self.training.left_out,
            "past_projects_rebuilt": self.training.rebuilt,
            "weights": plain_records(self.weights_frame()),
            "folds": plain_records(self.folds),
            "mean_auc": {"default": _round(auc_default), "tuned": _round(auc_tuned)},
            "folds_skipped": self.skipped_folds,
        }


def _round(value: float) -> float | None:
    return None if np.isnan(value) else round(value, 4)


def cross_validate(
    data: TrainingSet,
    defaults: np.ndarray,
    learnable: np.ndarray,
    k: int,
    seed: int,
    l2: float,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """AUC of default and tuned weights on each held-out fold; `progress` is told as each
    fold ends, out of `k + 1` (the final fit on every pair is the last step)."""
    import pandas as pd

    fold = fold_of(data.project_id, k, seed)
    rows = []
    for f in range(k):
        tell(progress, f, k + 1)
        test = fold == f
        beta = fit(data.x[~test][:, learnable], data.good[~test], l2)
        tuned = tuned_weights(beta, learnable, defaults)
        rows.append(
            {
                "fold": f + 1,
                "pairs": int(test.sum()),
                "good": int(data.good[test].sum()),
                "auc_default": round(auc(data.x[test] @ defaults, data.good[test]), 4),
                "auc_tuned": round(auc(data.x[test] @ tuned, data.good[test]), 4),
            }
        )
    return pd.DataFrame(rows)


def fit_weights(
    data: TrainingSet,
    config: Config,
    *,
    folds: int = 5,
    seed: int = 0,
    l2: float = 1.0,
    hold: tuple[str, ...] = (),
    progress: Progress | None = None,
) -> TuneResult:
    """Cross-validate, then fit the weights on every pair (see `tune`); `progress` counts
    the folds and the final fit."""
    check_folds(folds, data.project_id)
    unknown = sorted(set(hold) - set(WEIGHT_OF.values()))
    if unknown:
        raise UsageError(f"--hold {unknown[0]!r}: not a weight ({', '.join(WEIGHT_OF.values())})")
    if data.good.all() or not data.good.any():
        raise InputError("every rated row is on the same side of --good: nothing to learn from")
    defaults, learnable = default_weights(config, data.names), data.learnable(hold)
    table = cross_validate(data, defaults, learnable, folds, seed, l2, progress)
    tell(progress, folds, folds + 1)
    tuned = tuned_weights(fit(data.x[:, learnable], data.good, l2), learnable, defaults)
    tell(progress, folds + 1, folds + 1)
    return TuneResult(defaults, tuned, learnable, table, len(data.good), int(data.good.sum()), data)


def check_folds(folds: int, project_id: np.ndarray) -> None:
    """Folds are dealt whole past projects: more folds than projects leaves folds empty and
    makes the mean AUC meaningless, so it is refused with the largest count that works."""
    if folds < 2:
        raise UsageError("--folds must be at least 2")
    projects = len(np.unique(project_id.astype(str)))
    if projects < 2:
        raise InputError(
            f"cross-validation needs rated rows of at least 2 past projects; found {projects}"
        )
    if folds > projects:
        raise UsageError(
            f"--folds {folds} is more than the {projects} past projects with rated rows (each "
            f"fold holds whole projects); use --folds {projects} or fewer"
        )


_COMMENT = re.compile(r"""^(?:[^"'#]|"(?:[^"\\]|\\.)*"|'[^']*')*#""")


def has_comments(text: str) -> bool:
    """Whether TOML text has a comment (a `#` outside quotes) that rewriting would lose.

    >>> has_comments('"C#" = ["csharp"]'), has_comments("skills = 0.4  # most")
    (False, True)
    """
    return any(_COMMENT.match(line) for line in text.splitlines())


def existing_config(path: Path) -> str | None:
    """The text of the config `--write` updates, or None for a new file."""
    return read_config_text(path)


def weights_toml(weights: dict[str, float], existing: str | None = None) -> str:
    """A config with `[weights]` replaced and every other section kept (comments are not)."""
    import tomli_w

    data = parse_toml(existing, "the config") if existing else {}
    kept = {**asdict(Weights()), **data.get("weights", {})}  # what was not fitted: kept as set
    data["weights"] = {f.name: weights.get(f.name, kept[f.name]) for f in fields(Weights)}
    config_from_dict(data)  # refuse to write a config gigmatch would not read
    header = "" if existing else "# [weights] fitted by `gigmatch tune`.\n"
    return header + tomli_w.dumps(data)
