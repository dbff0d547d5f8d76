"""The library twin of every command, with one convention for all of them.

Inputs are paths (or `-` for stdin), DataFrames with the documented columns, or `Table`s
already read; `config` is a `Config`, the path of a gigmatch.toml, or None for the defaults;
results are typed values. The CLI reads its files through the same `read` (so it can show
their warnings and guard them from `-o`), calls these functions and only renders what they
return: a command and its twin cannot drift apart.

    import gigmatch
    ranked = gigmatch.match("examples/projects.csv", "examples/people.csv", top=3)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from gigmatch.read.config import Config, load_config
from gigmatch.read.schema import Table, read

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.insights.check import CheckReport
    from gigmatch.insights.explain import Explanation
    from gigmatch.insights.forecast import Forecast
    from gigmatch.insights.tune import TuneResult
    from gigmatch.plan.diff import PlanDiff
    from gigmatch.plan.staffing import Controls, Staffing
    from gigmatch.score.components import Filters
    from gigmatch.skills.vocabulary import Suggestion
    from gigmatch.steps import Progress

Source: TypeAlias = "str | Path | pd.DataFrame | Table"
ConfigLike: TypeAlias = "Config | str | Path | None"

__all__ = [
    "Forecasted",
    "Ranking",
    "Report",
    "SkillsReport",
    "assign",
    "check",
    "diff",
    "explain",
    "forecast",
    "match",
    "price",
    "rank",
    "report",
    "settings",
    "skills",
    "tune",
]


def configured(config: ConfigLike) -> Config:
    """A `Config` from a `Config`, a path to a gigmatch.toml, or None (the defaults)."""
    if isinstance(config, Config):
        return config
    return Config() if config is None else load_config(config)


def _optional(source: Source | None, kind: str, config: Config) -> Table | None:
    return None if source is None else read(source, kind, config)


# ---- match -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """Ranked candidates and what a summary of them needs."""

    frame: pd.DataFrame  # one row per (project, person), best first, MATCH_COLUMNS + kept
    projects: pd.DataFrame  # the projects ranked (all, or those asked for)
    people: int  # size of the pool
    history: str | None = None  # one line on the past work used, with `history`

    @property
    def empty_projects(self) -> int:
        """Projects ranked that have no candidate at all."""
        listed = self.frame.dropna(subset=["person_id"])["project_id"].nunique()
        return len(self.projects) - listed

    @property
    def candidates(self) -> int:
        """Rows that name a candidate (not the blank rows of `include_empty`)."""
        return int(self.frame["person_id"].notna().sum())


def rank(
    projects: Source,
    people: Source,
    config: ConfigLike = None,
    *,
    top: int = 5,
    min_score: float = 0.0,
    require_all: bool = False,
    max_over_budget: float | None = None,
    project_ids: Sequence[str] | None = None,
    keep: Sequence[str] | None = None,
    history: Source | None = None,
    as_of: date | str | None = None,
    person_ids: Sequence[str] | None = None,
    include_empty: bool = False,
    progress: Progress | None = None,
) -> Ranking:
    """`gigmatch match` as a value: the ranked rows and what the summary line says.

    With `person_ids`, the other direction: the best `top` projects for each of those people
    (same columns; `rank` is the project's place for that person). `include_empty` adds one
    row, blank but for the project, for each project with no candidate, so a spreadsheet
    shows it too. `progress(done, total)` is called after each block of projects scored.
    """
    from gigmatch.score.components import Filters
    from gigmatch.score.for_people import best_for_people, select_people, with_empty_projects
    from gigmatch.score.ranking import (
        check_keep,
        score_all,
        select_projects,
        to_frame,
        with_history,
    )

    cfg = configured(config)
    project_table, people_table = read(projects, "projects", cfg), read(people, "people", cfg)
    history_table = _optional(history, "history", cfg)
    project_frame, people_frame = project_table.frame, people_table.frame
    check_keep(list(keep or []), project_frame, people_frame)
    mask = select_projects(project_frame, list(project_ids or []))
    filters = Filters(require_all, max_over_budget, min_score)
    model, adjust = with_history(
        project_frame,
        people_frame,
        cfg,
        None if history_table is None else history_table.frame,
        as_of,
        history_source=None if history_table is None else history_table.source,
    )
    chosen = select_people(people_frame, list(person_ids or []))
    scored = score_all(
        project_frame,
        people_frame,
        cfg,
        filters=filters,
        top=0 if chosen is not None else top,
        project_mask=mask,
        adjust=adjust,
        model=model,
        progress=progress,
    )
    if chosen is not None:
        scored = best_for_people(scored, chosen, top)
    frame = to_frame(scored, cfg, list(keep or []))
    ranked_projects = project_frame if mask is None else project_frame[mask]
    if include_empty and chosen is None:
        frame = with_empty_projects(frame, ranked_projects)
    return Ranking(
        frame,
        ranked_projects,
        len(people_frame),
        None if adjust is None else adjust.summary.describe(),
    )


def match(
    projects: Source,
    people: Source,
    config: ConfigLike = None,
    *,
    top: int = 5,
    min_score: float = 0.0,
    require_all: bool = False,
    max_over_budget: float | None = None,
    project_ids: Sequence[str] | None = None,
    keep: Sequence[str] | None = None,
    history: Source | None = None,
    as_of: date | str | None = None,
    person_ids: Sequence[str] | None = None,
    include_empty: bool = False,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Ranked candidates per project: one row per (project, person), best first.

    `person_ids` turns it round (the best projects for those people); `include_empty` keeps
    a blank row for each project with no candidate.

    `history` (past assignments) adjusts ratings and on-time records as of `as_of` (default
    today: give a date for results that do not change from day to day). An unknown `keep`
    column or project id is a `UsageError`; bad data an `InputError`. `progress` (see
    `gigmatch.steps`) is told of each block of projects scored.

    Example::

        import gigmatch
        ranked = gigmatch.match("examples/projects.csv", "examples/people.csv", top=3)
    """
    return rank(
        projects,
        people,
        config,
        top=top,
        min_score=min_score,
        require_all=require_all,
        max_over_budget=max_over_budget,
        project_ids=project_ids,
        keep=keep,
        history=history,
        as_of=as_of,
        person_ids=person_ids,
        include_empty=include_empty,
        progress=progress,
    ).frame


# ---- assign ----------------------------------------------------------------------------------


def assign(
    projects: Source | None = None,
    people: Source | None = None,
    config: ConfigLike = None,
    *,
    scores: Source | None = None,
    history: Source | None = None,
    as_of: date | str | None = None,
    candidates: int = 50,
    controls: Controls | None = None,
    progress: Progress | None = None,
) -> Staffing:
    """The best staffing plan, as `gigmatch assign` makes it. `progress` is told of each
    block of projects scored, then (a total of 0) that the solver is searching.

    Example::

        import gigmatch
        plan = gigmatch.assign("examples/projects.csv", "examples/people.csv")
        plan.assignments, plan.unfilled
    """
    import pandas as pd

    from gigmatch.plan.staffing import Controls, read_scores, staff

    cfg = configured(config)
    project_table, people_table = (
        _optional(projects, "projects", cfg),
        _optional(people, "people", cfg),
    )
    history_table = _optional(history, "history", cfg)
    pairs = scores.frame if isinstance(scores, Table) else scores
    if isinstance(pairs, pd.DataFrame):
        pairs = pairs[["project_id", "person_id", "score"]].astype({"score": float})
    elif pairs is not None:
        pairs = read_scores(pairs)
    return staff(
        _frame(project_table),
        _frame(people_table),
        cfg,
        controls or Controls(),
        candidates=candidates,
        history=_frame(history_table),
        as_of=as_of,
        scores=pairs,
        history_source=None if history_table is None else history_table.source,
        progress=progress,
    )


def diff(old_plan: str | Path | pd.DataFrame, new_plan: str | Path | pd.DataFrame) -> PlanDiff:
    """Who joined, left or moved between two plans, and the score change, as `gigmatch diff`
    says it. Plans are files `assign` wrote (CSV, TSV, JSON) or frames with project_id and
    person_id (person_name and score when known).

    Example::

        change = gigmatch.diff("last-week.csv", "plan.csv")
        change.changes, change.summary.score_change
    """
    import pandas as pd

    from gigmatch.plan.diff import diff_plans, read_plan

    old = old_plan if isinstance(old_plan, pd.DataFrame) else read_plan(old_plan)
    new = new_plan if isinstance(new_plan, pd.DataFrame) else read_plan(new_plan)
    return diff_plans(old, new)


# ---- check and skills ------------------------------------------------------------------------


def check(
    projects: Source,
    people: Source,
    history: Source | None = None,
    config: ConfigLike = None,
    *,
    progress: Progress | None = None,
) -> CheckReport:
    """Every problem in the input files, found in one run; problems are reported, not raised.
    `progress` is told as each file is read and each group of cross-row checks ends.

    Example::

        report = gigmatch.check("examples/projects.csv", "examples/people.csv")
        report.summary()
    """
    from gigmatch.insights.check import check as run

    def raw(source: Source | None) -> str | Path | pd.DataFrame | None:
        return source.frame if isinstance(source, Table) else source

    return run(raw(projects), raw(people), raw(history), configured(config), progress=progress)


@dataclass(frozen=True)
class SkillsReport:
    """The skill vocabulary (one row per skill) and the spellings suggested as aliases."""

    frame: pd.DataFrame
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def unmet(self) -> int:
        """Skills some project requires and nobody offers."""
        return int(((self.frame["places"] > 0) & (self.frame["people"] == 0)).sum())


def skills(
    projects: Source,
    people: Source,
    config: ConfigLike = None,
    *,
    threshold: float | None = None,
) -> SkillsReport:
    """`gigmatch skills`: spellings, demand, supply and gap per skill, and alias suggestions.

    Example::

        report = gigmatch.skills("examples/projects.csv", "examples/people.csv")
        report.frame.head(), [s.variant for s in report.suggestions]
    """
    from gigmatch.skills.vocabulary import alias_suggestions, skill_report, skill_use

    cfg = configured(config)
    project_frame, people_frame = (
        read(projects, "projects", cfg).frame,
        read(people, "people", cfg).frame,
    )
    use = skill_use(project_frame, people_frame, cfg)
    t = cfg.thresholds
    found = alias_suggestions(use, t.fuzzy if threshold is None else threshold)
    return SkillsReport(skill_report(use, project_frame, people_frame), found)


# ---- explain and tune ------------------------------------------------------------------------


def explain(
    projects: Source,
    people: Source,
    project_id: str,
    person_id: str,
    config: ConfigLike = None,
    *,
    history: Source | None = None,
    as_of: date | str | None = None,
    filters: Filters | None = None,
) -> Explanation:
    """Everything behind one person's score for one project, as `match` computes it.

    Example::

        e = gigmatch.explain("examples/projects.csv", "examples/people.csv", "P-101", "F-009")
        e.to_dict()["components"]
    """
    from gigmatch.insights.explain import explain_frames

    cfg = configured(config)
    history_table = _optional(history, "history", cfg)
    return explain_frames(
        read(projects, "projects", cfg).frame,
        read(people, "people", cfg).frame,
        None if history_table is None else history_table.frame,
        project_id,
        person_id,
        cfg,
        as_of=as_of,
        filters=filters,
        history_source=None if history_table is None else history_table.source,
    )


def tune(
    history: Source,
    people: Source,
    config: ConfigLike = None,
    *,
    projects: Source | None = None,
    as_of: date | str | None = None,
    good: float = 4.5,
    folds: int = 5,
    seed: int = 0,
    l2: float = 1.0,
    hold: Sequence[str] = (),
    progress: Progress | None = None,
) -> TuneResult:
    """Fit the score weights to past outcomes and cross-validate them against the defaults.
    `progress` counts the cross-validation folds and the final fit (`folds + 1` steps).

    Example::

        result = gigmatch.tune("examples/history.csv", "examples/people.csv", as_of="2026-11-20")
        result.mean_auc, result.weights()
    """
    from gigmatch.insights.tune import fit_weights, training_set

    cfg = configured(config)
    project_table = _optional(projects, "projects", cfg)
    data = training_set(
        read(history, "history", cfg).frame,
        read(people, "people", cfg).frame,
        None if project_table is None else project_table.frame,
        cfg,
        as_of,
        good,
    )
    return fit_weights(
        data, cfg, folds=folds, seed=seed, l2=l2, hold=tuple(hold), progress=progress
    )


# ---- forecast, price and report --------------------------------------------------------------


@dataclass(frozen=True)
class Forecasted:
    """A forecast and its tables: `forecast`, `backtest` and, with people, `supply`."""

    result: Forecast
    tables: dict[str, pd.DataFrame]
    with_projects: bool = False


def forecast(
    history: Source,
    config: ConfigLike = None,
    *,
    people: Source | None = None,
    projects: Source | None = None,
    by: str = "month",
    horizon: int = 3,
    top: int = 10,
    skills: Sequence[str] = (),
    as_of: date | str | None = None,
    level: float = 80.0,
) -> Forecasted:
    """Demand per skill from past work (and dated projects), its forecast and back-test.

    Example::

        outlook = gigmatch.forecast("examples/history.csv", people="examples/people.csv")
        outlook.tables["forecast"].tail()
    """
    from gigmatch.insights import forecast as fc

    cfg = configured(config)
    pool, open_ = _optional(people, "people", cfg), _optional(projects, "projects", cfg)
    result = fc.forecast(
        read(history, "history", cfg).frame,
        cfg,
        projects=None if open_ is None else open_.frame,
        people=None if pool is None else pool.frame,
        by=by,
        horizon=horizon,
        top=top,
        skills=list(skills),
        as_of=as_of,
        level=level,
    )
    tables = {"forecast": fc.forecast_frame(result), "backtest": fc.backtest_frame(result)}
    if pool is not None:
        tables["supply"] = fc.supply_frame(result)
    return Forecasted(result, tables, open_ is not None)


def price(
    projects: Source,
    people: Source,
    config: ConfigLike = None,
    *,
    history: Source | None = None,
    top: int = 10,
    min_score: float = 0.0,
    min_skill: float = 0.4,
    similarity: float = 0.5,
    project_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """A rate range per project from fitting candidates and similar past projects, flagged.
    `progress` is told of each block of projects scored.

    Example::

        gigmatch.price("examples/projects.csv", "examples/people.csv",
                       history="examples/history.csv")
    """
    from gigmatch.insights.price import PriceSettings
    from gigmatch.insights.price import price as suggest
    from gigmatch.score.ranking import select_projects

    cfg = configured(config)
    project_frame = read(projects, "projects", cfg).frame
    mask = select_projects(project_frame, list(project_ids or []))
    if mask is not None:
        project_frame = project_frame[mask].reset_index(drop=True)
    past = _optional(history, "history", cfg)
    settings = PriceSettings(top, min_score, min_skill, similarity)
    return suggest(
        project_frame,
        read(people, "people", cfg).frame,
        cfg,
        None if past is None else past.frame,
        settings,
        progress=progress,
    )


@dataclass(frozen=True)
class Report:
    """A self-contained HTML report and the notes on what it could not show."""

    html: str
    notes: list[str] = field(default_factory=list)


def report(
    projects: Source,
    people: Source,
    config: ConfigLike = None,
    *,
    history: Source | None = None,
    plan: Source | None = None,
    top: int = 5,
    horizon: int = 3,
    by: str = "month",
    as_of: date | str | None = None,
    progress: Progress | None = None,
) -> Report:
    """One offline HTML report: the pool, demand and supply, scores, plan, rates, forecast.
    `progress` follows its phases (scores, rates, plan, page, forecast) as equal shares.

    Example::

        html = gigmatch.report("examples/projects.csv", "examples/people.csv").html
    """
    from gigmatch.present.report import ReportData, compose

    cfg = configured(config)
    project_table, people_table = read(projects, "projects", cfg), read(people, "people", cfg)
    history_table, plan_table = _optional(history, "history", cfg), _optional(plan, "plan", cfg)
    tables = {"projects": project_table, "people": people_table}
    tables.update({k: t for k, t in (("history", history_table), ("plan", plan_table)) if t})
    data = ReportData(
        projects=project_table.frame,
        people=people_table.frame,
        config=cfg,
        history=_frame(history_table),
        plan=_frame(plan_table),
        sources={k: _shown(t.source) for k, t in tables.items()},
        as_of=None if as_of is None else str(as_of),
        top=top,
        horizon=horizon,
        by=by,
    )
    rendered = compose(data, progress)
    return Report(rendered.html, list(rendered.notes))


# ---- config ----------------------------------------------------------------------------------

SETTING_COLUMNS = ["setting", "value", "source"]


def settings(config: ConfigLike = None) -> pd.DataFrame:
    """`gigmatch config` as a value: every setting in force, its value and where it came from
    (`default`, the config file and section, or the command-line option)."""
    import pandas as pd

    from gigmatch.read.config import config_rows

    return pd.DataFrame(config_rows(configured(config)), columns=SETTING_COLUMNS, dtype=object)


def _frame(table: Table | None) -> pd.DataFrame | None:
    return None if table is None else table.frame


def _shown(source: str) -> str:
    """A file as the report's header names it: its base name, or stdin."""
    return "stdin" if source in ("-", "<stdin>") else Path(source).name
