"""`assign`: the staffing plan with the best total score, and what it leaves open.

Ranking tells a manager who fits each project; this module decides who does what. It turns
scored candidate pairs (from `match`'s scorer, or from any CSV of scores) into the arrays the
solver wants, applies the manager's controls (pins, forbids, last week's plan), and describes
the result: the teams, the places left open and why, and the people left free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.errors import InfeasibleError, InputError, Problem, UsageError
from gigmatch.plan.solver import PinConflictError, solve
from gigmatch.read.config import Config
from gigmatch.read.table import header_key, read_table
from gigmatch.read.values import parse_column, parse_number

if TYPE_CHECKING:
    import pandas as pd

PLAN_COLUMNS = ["project_id", "project_title", "person_id", "person_name", "score"]
Pair = tuple[str, str]


@dataclass(frozen=True)
class Controls:
    """The manager's say over the plan."""

    pins: list[Pair] = field(default_factory=list)  # already agreed: keep them
    forbids: list[Pair] = field(default_factory=list)  # never
    previous: list[Pair] = field(default_factory=list)  # last plan's pairs
    keep_bonus: float = 5.0  # score points added to last plan's pairs, so runs do not reshuffle
    min_score: float = 0.0
    fill_first: bool = False
    time_limit: float = 30.0


@dataclass(frozen=True)
class Staffing:
    """A plan: who does what, what stays open and why, who is free, and how good it is."""

    assignments: pd.DataFrame
    unfilled: pd.DataFrame
    free_people: pd.DataFrame
    summary: dict[str, Any]


def parse_pair(text: str, option: str) -> Pair:
    """`P-101:F-007` as given to --pin or --forbid.

    >>> parse_pair("P-101:F-007", "--pin")
    ('P-101', 'F-007')
    """
    project, sep, person = text.partition(":")
    if not sep or not project.strip() or not person.strip():
        raise UsageError(f"{option} {text!r}: write PROJECT_ID:PERSON_ID, e.g. P-101:F-007")
    return project.strip(), person.strip()


def _columns(source: str | Path, wanted: dict[str, tuple[str, ...]]) -> tuple[Any, dict]:
    """A raw table and which header holds each wanted field (missing ones are an error)."""
    raw = read_table(source)
    found = {}
    for name, keys in wanted.items():
        header = next((h for h in raw.frame.columns if header_key(h) in keys), None)
        if header is None:
            seen = ", ".join(map(repr, raw.frame.columns))
            raise InputError(f"{raw.source}: no '{name}' column (headers found: {seen})")
        found[name] = header
    return raw, found


_ID_KEYS = {
    "project_id": ("projectid", "project"),
    "person_id": ("personid", "person", "freelancerid"),
}


def read_previous(source: str | Path) -> list[Pair]:
    """The (project, person) pairs of an earlier plan, e.g. last week's `assign` CSV."""
    raw, cols = _columns(source, _ID_KEYS)
    frame = raw.frame
    return list(
        zip(
            frame[cols["project_id"]].str.strip(), frame[cols["person_id"]].str.strip(), strict=True
        )
    )


MAX_SCORE = 1_000_000  # |score| in --scores: any scale people use, far from float overflow


def read_scores(source: str | Path) -> pd.DataFrame:
    """A CSV of `project_id, person_id, score` computed elsewhere; every bad row is reported."""
    import pandas as pd

    raw, cols = _columns(source, {**_ID_KEYS, "score": ("score",)})
    frame = raw.frame
    scores, bad = parse_column(frame[cols["score"]].to_numpy(object), parse_number)
    problems = [
        Problem(raw.source, int(frame.index[i]), cols["score"], "error", "bad-value", m)
        for i, m in bad.items()
    ]
    problems += [
        Problem(raw.source, int(row), cols["score"], "error", "missing", "the score is blank")
        for row in frame.index[np.isnan(scores)]
        if not any(p.row == row for p in problems)
    ]
    with np.errstate(invalid="ignore"):
        huge = np.flatnonzero(np.abs(scores) > MAX_SCORE)
    problems += [
        Problem(raw.source, int(frame.index[i]), cols["score"], "error", "out-of-range",
                f"{scores[i]:g} is out of range: a score must be within ±{MAX_SCORE:,}")
        for i in huge
    ]  # fmt: skip
    table = pd.DataFrame(
        {
            "project_id": frame[cols["project_id"]].str.strip().to_numpy(object),
            "person_id": frame[cols["person_id"]].str.strip().to_numpy(object),
            "score": scores,
        }
    )
    duplicated = table.duplicated(["project_id", "person_id"]).to_numpy()
    problems += [
        Problem(
            raw.source,
            int(row),
            cols["person_id"],
            "error",
            "duplicate-pair",
            "this pair is listed twice; keep one score",
        )
        for row in frame.index[duplicated]
    ]
    if problems:
        raise InputError(f"{raw.source}: {len(problems)} problems in the scores", sorted(problems))
    return table


def stand_ins(edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Projects and people known only by id (for `--scores` without the CSVs): team sizes
    and capacities 1, no hours, no titles or names."""
    import pandas as pd

    projects = pd.DataFrame({"id": sorted(set(edges["project_id"]))})
    people = pd.DataFrame({"id": sorted(set(edges["person_id"]))})
    for frame, name in ((projects, "title"), (people, "name")):
        frame[name] = ""
        frame["hours"] = np.nan
    projects["team_size"], people["capacity"] = 1, 1
    return projects, people


def _index(frame: pd.DataFrame, ids: Any, what: str, option: str) -> np.ndarray:
    """Positions of ids in a table; an unknown id is a usage error naming the option."""
    position = {v: i for i, v in enumerate(frame["id"])}
    unknown = sorted({i for i in ids if i not in position})
    if unknown:
        raise UsageError(f"{option}: no {what} with id {', '.join(map(repr, unknown[:5]))}")
    return np.array([position[i] for i in ids], dtype=np.int64)


def plan_staffing(
    projects: pd.DataFrame, people: pd.DataFrame, edges: pd.DataFrame, controls: Controls
) -> Staffing:
    """The best plan over candidate `edges` (project_id, person_id, score, components…).

    Pinned pairs must be among the edges (the caller scores them). Raises InfeasibleError when
    the pins cannot all be kept.
    """
    _check_pins(projects, people, edges, controls.pins)
    edges = _eligible(edges, controls)
    proj = _index(projects, edges["project_id"], "project", "scores")
    pers = _index(people, edges["person_id"], "person", "scores")
    pinned, kept = _mark(edges, controls.pins), _mark(edges, controls.previous)
    objective = edges["score"].to_numpy(float) + controls.keep_bonus * kept
    try:
        result = solve(
            proj,
            pers,
            objective,
            team_size=projects["team_size"].to_numpy(np.int64),
            capacity=people["capacity"].to_numpy(np.int64),
            project_hours=projects["hours"].to_numpy(float),
            person_hours=people["hours"].to_numpy(float),
            pinned=pinned,
            fill_first=controls.fill_first,
            time_limit=controls.time_limit,
        )
    except PinConflictError as exc:
        raise _named_conflict(exc, edges, projects, people) from None
    chosen = edges.iloc[result.chosen].assign(
        pinned=pinned[result.chosen], kept=kept[result.chosen]
    )
    assignments = _assignments(chosen, projects, people)
    busy = _busy(people, projects, assignments)
    unfilled = _unfilled(projects, edges, assignments, busy)
    free = _free(people, busy)
    places = int(projects["team_size"].sum())
    summary = {
        "total_score": round(float(assignments["score"].sum()), 3),
        "places": places,
        "filled": len(assignments),
        "share_filled": round(len(assignments) / places, 4) if places else 1.0,
        "projects_unfilled": int(len(unfilled)),
        "people_free": int(len(free)),
        "status": result.status,
        "method": result.method,
        "gap": None if result.gap is None else round(result.gap, 6),
        "bound": None if result.bound is None else round(result.bound, 3),
    }
    return Staffing(assignments, unfilled, free, summary)


def staff(
    projects: pd.DataFrame | None,
    people: pd.DataFrame | None,
    config: Config,
    controls: Controls,
    *,
    candidates: int = 50,
    history: pd.DataFrame | None = None,
    as_of: date | str | None = None,
    scores: pd.DataFrame | None = None,
    history_source: str | None = None,
) -> Staffing:
    """The plan for parsed tables: scored as `match` scores them (each project's best
    `candidates`, and every pin), or from a `scores` table computed elsewhere, in which case
    the tables are optional and only supply titles, names, team sizes, capacities and hours."""
    from gigmatch.score.ranking import candidate_edges, with_history

    described = None
    if scores is not None:
        edges = scores
        stand_projects, stand_people = stand_ins(edges)
        projects = stand_projects if projects is None else projects
        people = stand_people if people is None else people
    elif projects is None or people is None:
        raise UsageError("give projects and people, or scores")
    else:
        model, adjust = with_history(
            projects, people, config, history, as_of, history_source=history_source
        )
        described = adjust.summary.describe() if adjust is not None else None
        edges = candidate_edges(projects, people, config, model, adjust, candidates, controls.pins)
    staffing = plan_staffing(projects, people, edges, controls)
    staffing.summary["history"] = described
    staffing.summary["candidates_exhausted"] = (
        _exhausted(edges, staffing, candidates) if scores is None else []
    )
    return staffing


def _exhausted(edges: pd.DataFrame, staffing: Staffing, candidates: int) -> list[str]:
    """Open projects whose whole candidate list was cut at `candidates` and is taken: a
    longer list might fill them, so the plan is optimal only over the lists it was given."""
    listed = edges["project_id"].value_counts()
    open_ids = staffing.unfilled["project_id"]
    return sorted(p for p in open_ids if listed.get(p, 0) >= candidates)


def assign(
    projects: str | Path | pd.DataFrame | None = None,
    people: str | Path | pd.DataFrame | None = None,
    config: Config | None = None,
    *,
    scores: str | Path | pd.DataFrame | None = None,
    history: str | Path | pd.DataFrame | None = None,
    as_of: date | str | None = None,
    candidates: int = 50,
    controls: Controls | None = None,
) -> Staffing:
    """The best staffing plan, from paths (or `-`) or DataFrames, as `gigmatch assign` makes it.

    Example::

        import gigmatch
        plan = gigmatch.assign("examples/projects.csv", "examples/people.csv")
        plan.assignments, plan.unfilled, plan.summary["total_score"]
    """
    import pandas as pd

    from gigmatch.score.ranking import read

    config = config or Config()
    tables = [
        None if source is None else read(source, kind, config)
        for source, kind in ((projects, "projects"), (people, "people"), (history, "history"))
    ]
    if isinstance(scores, str | Path):
        scores = read_scores(scores)
    elif isinstance(scores, pd.DataFrame):
        scores = scores[["project_id", "person_id", "score"]].astype({"score": float})
    project_frame, people_frame, history_frame = tables
    return staff(
        project_frame,
        people_frame,
        config,
        controls or Controls(),
        candidates=candidates,
        history=history_frame,
        as_of=as_of,
        scores=scores,
    )


def _check_pins(projects, people, edges: pd.DataFrame, pins: list[Pair]) -> None:
    """Every pin must name known ids and a pair that may be assigned at all."""
    _index(projects, [p for p, _ in pins], "project", "--pin")
    _index(people, [f for _, f in pins], "person", "--pin")
    allowed = set(zip(edges["project_id"], edges["person_id"], strict=True))
    for project, person in pins:
        if (project, person) not in allowed:
            raise UsageError(f"--pin {project}:{person}: this pair is not in the scores file")


def _eligible(edges: pd.DataFrame, controls: Controls) -> pd.DataFrame:
    """Drop forbidden pairs and pairs below --min-score (a pin is kept whatever its score)."""
    forbidden = _mark(edges, controls.forbids)
    pins = _mark(edges, controls.pins)
    clash = edges[forbidden & pins]
    if len(clash):
        pair = f"{clash.iloc[0]['project_id']}:{clash.iloc[0]['person_id']}"
        raise UsageError(f"{pair} is both pinned and forbidden")
    keep = ~forbidden & ((edges["score"].to_numpy(float) >= controls.min_score) | pins)
    return edges[keep].reset_index(drop=True)


def _mark(edges: pd.DataFrame, pairs: list[Pair]) -> np.ndarray:
    wanted = set(pairs)
    return np.array(
        [p in wanted for p in zip(edges["project_id"], edges["person_id"], strict=True)], dtype=bool
    )


def _named_conflict(exc: PinConflictError, edges, projects, people) -> InfeasibleError:
    """The solver's message with its indices turned back into the ids of the files."""
    import re

    ids = {"project": list(projects["id"]), "person": list(people["id"])}
    reason = re.sub(
        r"\b(project|person) (\d+)\b",
        lambda m: f"{m[1]} {ids[m[1]][int(m[2])]}",
        str(exc).split(": ", 1)[-1],
    )
    pairs = ", ".join(
        f"{edges['project_id'].iloc[e]}:{edges['person_id'].iloc[e]}" for e in exc.edges[:5]
    )
    return InfeasibleError(f"the pins cannot all be kept ({pairs}): {reason}")


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
    extra = [
        c for c in frame.columns if c not in PLAN_COLUMNS and c not in ("_order", "pinned", "kept")
    ]
    return frame[[*PLAN_COLUMNS, *extra, "pinned", "kept"]].reset_index(drop=True)


def _unfilled(projects, edges, assignments, busy: dict) -> pd.DataFrame:
    """Projects with open places, and why: nobody eligible, or everyone eligible is taken."""
    import pandas as pd

    filled = assignments["project_id"].value_counts()
    rows = []
    for project in projects.itertuples(index=False):
        count = int(filled.get(project.id, 0))
        if count >= project.team_size:
            continue
        eligible = set(edges.loc[edges["project_id"] == project.id, "person_id"])
        rows.append(
            {
                "project_id": project.id,
                "project_title": project.title,
                "team_size": int(project.team_size),
                "filled": count,
                "open": int(project.team_size) - count,
                "eligible": len(eligible),
                "reason": _why_open(project, eligible, assignments, busy),
            }
        )
    columns = ["project_id", "project_title", "team_size", "filled", "open", "eligible", "reason"]
    return pd.DataFrame(rows, columns=columns)


def _why_open(project, eligible: set, assignments: pd.DataFrame, busy: dict) -> str:
    here = set(assignments.loc[assignments["project_id"] == project.id, "person_id"])
    others = eligible - here
    if not eligible:
        return "nobody eligible"
    if not others:
        return "fewer eligible people than places"
    full = [p for p in others if busy[p][0] <= 0]
    if len(full) == len(others):
        return "everyone eligible is taken"
    short = [
        p
        for p in others
        if busy[p][0] > 0 and busy[p][1] < (project.hours if project.hours == project.hours else 0)
    ]
    if len(full) + len(short) == len(others):
        return "everyone eligible is taken or short of hours"
    return "the rest of the eligible score more elsewhere"


def _busy(people: pd.DataFrame, projects: pd.DataFrame, assignments: pd.DataFrame) -> dict:
    """Per person: (projects they could still take, hours a week still free)."""
    hours = dict(zip(projects["id"], np.nan_to_num(projects["hours"].to_numpy(float)), strict=True))
    taken = assignments.groupby("person_id")["project_id"].agg(list).to_dict()
    result = {}
    for person in people.itertuples(index=False):
        mine = taken.get(person.id, [])
        available = person.hours if person.hours == person.hours else np.inf
        result[person.id] = (
            int(person.capacity) - len(mine),
            available - sum(hours[p] for p in mine),
        )
    return result


def _free(people: pd.DataFrame, busy: dict) -> pd.DataFrame:
    """People who could take more work, with the projects and hours they have left."""
    import pandas as pd

    rows = [
        {
            "person_id": person.id,
            "person_name": person.name,
            "capacity": int(person.capacity),
            "assigned": int(person.capacity) - busy[person.id][0],
            "hours_free": None
            if np.isinf(busy[person.id][1])
            else round(float(busy[person.id][1]), 2),
        }
        for person in people.itertuples(index=False)
        if busy[person.id][0] > 0
    ]
    return pd.DataFrame(
        rows, columns=["person_id", "person_name", "capacity", "assigned", "hours_free"]
    )
