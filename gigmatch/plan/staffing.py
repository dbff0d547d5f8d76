"""`assign`: the staffing plan with the best total score, and what it leaves open.

Ranking tells a manager who fits each project; this module decides who does what. It turns
scored candidate pairs (from `match`'s scorer, or from any CSV of scores) into the arrays the
solver wants, applies the manager's controls (pins, forbids, hard limits, last week's plan), and
describes the result (`describe_plan`): the teams with their weak points (`plan.fills`), the
places left open and why, the people left free and the alternates (`plan.places`), and the
summary (`plan.summary`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.errors import InfeasibleError, UsageError
from gigmatch.plan.fills import (
    FACT_COLUMNS,
    FillContext,
    explain_limits,
    failures,
    limits_active,
    pair_facts,
    with_fill_facts,
)
from gigmatch.plan.places import (
    PlanState,
    alternates_of,
    free_people,
    open_places,
    with_alternates_column,
)
from gigmatch.plan.rules import (
    Pair,
    index_of,
    mark,
    parse_pair,
    read_constraints,
    read_previous,
    read_scores,
    stand_ins,
)
from gigmatch.plan.solver import PinConflictError, solve
from gigmatch.plan.summary import Fairness, PlanSummary, percent_text, summary_sentence
from gigmatch.read.config import Config
from gigmatch.score.components import Filters
from gigmatch.steps import Progress, searching

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PLAN_COLUMNS",
    "Controls",
    "Fairness",
    "PlanSummary",
    "Staffing",
    "describe_given",
    "describe_plan",
    "parse_pair",
    "percent_text",
    "plan_staffing",
    "read_constraints",
    "read_previous",
    "read_scores",
    "staff",
    "summary_sentence",
]


PLAN_COLUMNS = ["project_id", "project_title", "person_id", "person_name", "score"]


@dataclass(frozen=True)
class Controls:
    """The manager's say over the plan: agreements, hard limits and how to search."""

    pins: list[Pair] = field(default_factory=list)  # already agreed: keep them
    forbids: list[Pair] = field(default_factory=list)  # never
    previous: list[Pair] = field(default_factory=list)  # last plan's pairs
    keep_bonus: float = 5.0  # score points added to last plan's pairs, so runs do not reshuffle
    min_score: float = 0.0
    require_all: bool = False  # only people with every required skill
    max_over_budget: float | None = None  # percent over the project's budget at most
    min_skill: float | None = None  # least skill_score; None = the config's [plan] min_skill
    fill_first: bool = False
    fair: bool = False  # raise the lowest project score first, then the total
    alternates: int = 0  # people listed per project who could step in
    time_limit: float = 30.0  # wall-clock seconds (and CP-SAT deterministic seconds)

    def filters(self, config: Config) -> Filters:
        """The hard limits as `match`'s filters, with the default minimum skill filled in."""
        min_skill = config.plan.min_skill if self.min_skill is None else self.min_skill
        return Filters(self.require_all, self.max_over_budget, self.min_score, min_skill)


@dataclass(frozen=True)
class Staffing:
    """A plan: who does what, what stays open and why, who is free, and how good it is."""

    assignments: pd.DataFrame
    unfilled: pd.DataFrame
    free_people: pd.DataFrame
    summary: PlanSummary
    alternates: pd.DataFrame | None = None  # with Controls.alternates: who could step in


def plan_staffing(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    edges: pd.DataFrame,
    controls: Controls,
    *,
    config: Config | None = None,
    model: Any = None,
) -> Staffing:
    """The best plan over candidate `edges` (project_id, person_id, score, components…).

    Pinned pairs must be among the edges (the caller scores them). With `model` (the skill
    model of the two tables) each fill carries its missing skills, related-skill credit and
    budget overrun, and weak fills are counted. Raises InfeasibleError when the pins cannot
    all be kept.
    """
    if controls.fair and controls.fill_first:
        raise UsageError("--fair and --fill-first are two different first goals: give one")
    config = config or Config()
    context = FillContext(config, model, controls.filters(config).min_skill)
    _check_rules(projects, people, edges, controls)
    edges = _eligible(edges, controls)
    problem = _Problem.build(projects, people, edges, controls)
    result = problem.solve(controls, controls.fair)
    fairness = None
    if controls.fair:
        best = result.best_total or result  # the solver's best-total plan, solved on the way
        among = result.fair_projects
        if among is None:  # no free pair at all
            among = np.zeros(len(problem.team), dtype=bool)
        fairness = Fairness(
            lowest=problem.lowest(result.chosen, edges, among),
            total=round(result.objective, 3),
            best_total_lowest=problem.lowest(best.chosen, edges, among),
            best_total=round(best.objective, 3),
            over=result.fair_over or "listed",
            search=result.fair or "done",
        )
    return describe_plan(
        projects, people, edges, result.chosen, context, controls,
        status=(result.status, result.method, result.bound, result.gap), fairness=fairness,
    )  # fmt: skip


@dataclass(frozen=True)
class _Problem:
    """The solver's arrays, with projects and people in id order so that the rows' order in
    the files cannot change the plan (ties and cut-short searches included)."""

    project: np.ndarray  # rank of each edge's project id
    person: np.ndarray
    objective: np.ndarray
    pinned: np.ndarray
    team: np.ndarray  # in id order
    capacity: np.ndarray
    project_hours: np.ndarray
    person_hours: np.ndarray
    edges: pd.DataFrame

    @classmethod
    def build(cls, projects, people, edges, controls: Controls) -> _Problem:
        proj = index_of(projects, edges["project_id"], "project", "scores")
        pers = index_of(people, edges["person_id"], "person", "scores")
        p_order, f_order = _id_order(projects["id"]), _id_order(people["id"])
        p_rank, f_rank = np.argsort(p_order), np.argsort(f_order)
        kept = mark(edges, controls.previous)
        return cls(
            project=p_rank[proj],
            person=f_rank[pers],
            objective=edges["score"].to_numpy(float) + controls.keep_bonus * kept,
            pinned=mark(edges, controls.pins),
            team=projects["team_size"].to_numpy(np.int64)[p_order],
            capacity=people["capacity"].to_numpy(np.int64)[f_order],
            project_hours=projects["hours"].to_numpy(float)[p_order],
            person_hours=people["hours"].to_numpy(float)[f_order],
            edges=edges,
        )

    def solve(self, controls: Controls, fair: bool):
        try:
            return solve(
                self.project,
                self.person,
                self.objective,
                team_size=self.team,
                capacity=self.capacity,
                project_hours=self.project_hours,
                person_hours=self.person_hours,
                pinned=self.pinned,
                fill_first=controls.fill_first,
                fair=fair,
                time_limit=controls.time_limit,
            )
        except PinConflictError as exc:
            raise _named_conflict(exc, self.edges) from None

    def lowest(self, chosen: np.ndarray, edges: pd.DataFrame, among: np.ndarray) -> float:
        """The lowest project score (score per place, open places 0) among `among`."""
        score = edges["score"].to_numpy(float)
        total = np.bincount(self.project[chosen], score[chosen], len(self.team))
        per_place = total[among] / np.maximum(self.team[among], 1)
        return round(float(per_place.min()), 3) if len(per_place) else 0.0


def _id_order(ids: pd.Series) -> np.ndarray:
    """Positions of the rows sorted by id (ids are unique within a file)."""
    return np.argsort(ids.astype(str).to_numpy(), kind="stable")


def describe_plan(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    edges: pd.DataFrame,
    chosen: np.ndarray,
    context: FillContext,
    controls: Controls | None = None,
    *,
    status: tuple[str, str, float | None, float | None] = ("given", "-", None, None),
    fairness: Fairness | None = None,
) -> Staffing:
    """A Staffing for the `chosen` rows of `edges`: teams with their honest flags, open places
    with reasons, free people, alternates and the summary. Also describes a plan made
    elsewhere (the report's `--plan`), with status "given"."""
    controls = controls or Controls()
    pinned, kept = mark(edges, controls.pins), mark(edges, controls.previous)
    picked = edges.iloc[chosen].assign(pinned=pinned[chosen], kept=kept[chosen])
    assignments = _assignments(with_fill_facts(picked, projects, people, context), projects, people)
    state = PlanState.of(projects, people, edges, chosen)
    unfilled = open_places(projects, state)
    free = free_people(people, state)
    alternates = alternates_of(edges, people, state, controls.alternates)
    if alternates is not None:
        assignments = with_alternates_column(assignments, alternates)
    weak = int((assignments["weak"] != "").sum()) if context.model is not None else 0
    summary = PlanSummary(
        total_score=round(float(assignments["score"].sum()), 3),
        places=int(projects["team_size"].sum()),
        filled=len(assignments),
        weak=weak,
        projects_unfilled=int(len(unfilled)),
        people_free=int(len(free)),
        status=status[0],
        method=status[1],
        bound=None if status[2] is None else round(status[2], 3),
        gap=None if status[3] is None else round(status[3], 6),
        weak_skill=context.config.plan.weak_skill if context.model is not None else None,
        fairness=fairness,
    )
    return Staffing(assignments, unfilled, free, summary, alternates)


def staff(
    projects: pd.DataFrame | None,
    people: pd.DataFrame | None,
    config: Config,
    controls: Controls,
    *,
    candidates: int = 50,
    history: pd.DataFrame | None = None,
    as_of: date | str | None = None,
    progress: Progress | None = None,
    scores: pd.DataFrame | None = None,
    history_source: str | None = None,
    model: Any = None,
) -> Staffing:
    """The plan for parsed tables: scored as `match` scores them (each project's best
    `candidates` among those passing the hard limits, and every pin), or from a `scores` table
    computed elsewhere, in which case the tables are optional and only supply titles, names,
    team sizes, capacities, hours and (both given) the skills behind the limits and flags.
    `model` is the skill model of the two tables when the caller built it already."""
    from gigmatch.score.ranking import candidate_edges, with_history
    from gigmatch.score.skill_model import build_skill_model

    described, adjust = None, None
    filters = controls.filters(config)
    if scores is not None:
        if projects is not None and people is not None:
            model = model or build_skill_model(projects, people, config)
        else:
            model = None
        stand_projects, stand_people = stand_ins(scores)
        projects = stand_projects if projects is None else projects
        people = stand_people if people is None else people
        edges = _scores_within_limits(scores, projects, people, config, model, controls)
    elif projects is None or people is None:
        raise UsageError("give projects and people, or scores")
    else:
        model, adjust = with_history(
            projects, people, config, history, as_of, history_source=history_source, model=model
        )
        described = adjust.summary.describe() if adjust is not None else None
        edges = candidate_edges(
            projects, people, config, model, adjust, candidates, controls.pins, filters, progress
        )
    searching(progress)  # scoring done; the solve takes no known time (total 0)
    staffing = plan_staffing(projects, people, edges, controls, config=config, model=model)
    exhausted = _exhausted(edges, staffing, candidates) if scores is None else []
    if scores is None and staffing.summary.status != "optimal":
        exhausted = []  # the search was cut short: longer lists are not the first remedy
    unfilled = staffing.unfilled
    if len(unfilled) and model is not None and limits_active(filters):
        unfilled = explain_limits(
            unfilled, projects, people, config, model, adjust, filters, candidates
        )
    summary = replace(staffing.summary, history=described, candidates_exhausted=tuple(exhausted))
    return replace(staffing, unfilled=unfilled, summary=summary)


def describe_given(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    plan: pd.DataFrame,
    *,
    model: Any = None,
) -> Staffing:
    """A plan made elsewhere (project_id, person_id rows, e.g. last week's `assign` CSV),
    scored and flagged exactly as `assign` flags its own, with status "given"."""
    import pandas as pd

    from gigmatch.score.ranking import score_pairs
    from gigmatch.score.skill_model import build_skill_model

    pairs = plan[["project_id", "person_id"]].astype(str).apply(lambda c: c.str.strip())
    pairs = pairs[(pairs["project_id"] != "") & (pairs["person_id"] != "")].drop_duplicates()
    model = model or build_skill_model(projects, people, config)
    proj = index_of(projects, pairs["project_id"], "project", "--plan")
    pers = index_of(people, pairs["person_id"], "person", "--plan")
    components, score = score_pairs(projects, people, config, model, None, proj, pers)
    edges = pd.DataFrame(
        {
            "project_id": pairs["project_id"].to_numpy(object),
            "person_id": pairs["person_id"].to_numpy(object),
            "score": np.round(score, 1),
            **{f"{c}_score": np.round(v, 3) for c, v in components.items()},
        }
    )
    context = FillContext(config, model, config.plan.min_skill)
    return describe_plan(projects, people, edges, np.arange(len(edges)), context)


def _exhausted(edges: pd.DataFrame, staffing: Staffing, candidates: int) -> list[str]:
    """Open projects whose whole candidate list was cut at `candidates` and is taken: a
    longer list might fill them, so the plan is optimal only over the lists it was given."""
    listed = edges["project_id"].value_counts()
    open_ids = staffing.unfilled["project_id"]
    return sorted(p for p in open_ids if listed.get(p, 0) >= candidates)


def _check_rules(projects, people, edges: pd.DataFrame, controls: Controls) -> None:
    """Every pin and forbid must name known ids (a mistyped conflict of interest must not
    pass unnoticed), and every pin a pair that may be assigned at all."""
    for pairs, option in ((controls.pins, "--pin"), (controls.forbids, "--forbid")):
        where = f"{option} (or --constraints)"
        index_of(projects, [p for p, _ in pairs], "project", where)
        index_of(people, [f for _, f in pairs], "person", where)
    pins = controls.pins
    if not pins:
        return
    # only the edges a pin names: a set of every edge costs seconds at 500,000 edges
    named = edges.loc[mark(edges, pins), ["project_id", "person_id"]]
    allowed = set(named.itertuples(index=False, name=None))
    for project, person in pins:
        if (project, person) not in allowed:
            raise UsageError(f"--pin {project}:{person}: this pair is not in the scores file")


def _eligible(edges: pd.DataFrame, controls: Controls) -> pd.DataFrame:
    """Drop forbidden pairs and pairs below --min-score (a pin is kept whatever its score)."""
    forbidden = mark(edges, controls.forbids)
    pins = mark(edges, controls.pins)
    clash = edges[forbidden & pins]
    if len(clash):
        pair = f"{clash.iloc[0]['project_id']}:{clash.iloc[0]['person_id']}"
        raise UsageError(f"{pair} is both pinned and forbidden: drop one of the two rules")
    keep = ~forbidden & ((edges["score"].to_numpy(float) >= controls.min_score) | pins)
    return edges[keep].reset_index(drop=True)


def _named_conflict(exc: PinConflictError, edges: pd.DataFrame) -> InfeasibleError:
    """The smallest sets of pins that cannot hold together, by id, and what to change."""
    pair = edges["project_id"].astype(str) + ":" + edges["person_id"].astype(str)
    lines = []
    for conflict in exc.conflicts:
        pins = ", ".join(pair.iloc[e] for e in conflict.edges)
        first = int(conflict.edges[0])
        if conflict.kind == "team":
            who = edges["project_id"].iloc[first]
            lines.append(
                f"project {who} has a team size of {conflict.limit:g} but {len(conflict.edges)} "
                f"pins ({pins}): drop one of them or raise its team_size to "
                f"{len(conflict.edges):g}"
            )
        elif conflict.kind == "capacity":
            who = edges["person_id"].iloc[first]
            lines.append(
                f"person {who} takes at most {conflict.limit:g} projects but is pinned to "
                f"{len(conflict.edges)} ({pins}): drop one of them or raise their capacity"
            )
        else:
            who = edges["person_id"].iloc[first]
            lines.append(
                f"person {who} has {conflict.limit:g} hours a week but these pins need "
                f"{conflict.need:g} ({pins}): drop one of them or raise their hours"
            )
    return InfeasibleError("the pins cannot all be kept: " + "; ".join(lines))


def _assignments(
    chosen: pd.DataFrame, projects: pd.DataFrame, people: pd.DataFrame
) -> pd.DataFrame:
    """Chosen pairs with titles and names, in the projects file's order, best first."""
    order = {v: i for i, v in enumerate(projects["id"])}
    titles = dict(zip(projects["id"], projects["title"], strict=True))
    names = dict(zip(people["id"], people["name"], strict=True))
    frame = chosen.assign(
        project_title=chosen["project_id"].map(titles),
        person_name=chosen["person_id"].map(names),
        _order=chosen["project_id"].map(order),
    ).sort_values(["_order", "score", "person_id"], ascending=[True, False, True], kind="stable")
    flags = [*FACT_COLUMNS, "pinned", "kept"]
    extra = [c for c in frame.columns if c not in PLAN_COLUMNS and c not in ("_order", *flags)]
    return frame[[*PLAN_COLUMNS, *extra, *flags]].reset_index(drop=True)


def _scores_within_limits(
    scores: pd.DataFrame, projects, people, config: Config, model: Any, controls: Controls
) -> pd.DataFrame:
    """A scores file's pairs that pass the hard limits (pins always stay); without the CSVs
    only --min-score can be checked (by `_eligible`)."""
    if model is None or not len(scores):
        return scores
    proj = index_of(projects, scores["project_id"], "project", "--scores")
    pers = index_of(people, scores["person_id"], "person", "--scores")
    facts = pair_facts(projects, people, config, model, proj, pers)
    fails = failures(facts, np.full(len(scores), np.inf), controls.filters(config))
    bad = np.logical_or.reduce(list(fails.values()))
    keep = ~bad | mark(scores, controls.pins)
    return scores[keep].assign(skill_score=np.round(facts.skill[keep], 3)).reset_index(drop=True)
