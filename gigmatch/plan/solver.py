"""The staffing optimiser: the set of (project, person) pairs with the highest total score.

This is the only module that knows OR-Tools, so the solver can be tuned or replaced without
touching the rest. It takes plain numpy arrays (one entry per allowed pair, an "edge") and
returns the chosen edges; ids, pins by name and forbids are the caller's business (forbidden
pairs are simply not passed in).

The model. Choose edges so that project i gets at most ``team_size[i]`` people, person j takes at
most ``capacity[j]`` projects and, when hours are given, at most ``person_hours[j]`` hours a week
(each place on project i needs ``project_hours[i]``). Every pinned edge must be chosen. Maximise
the total score; with ``fill_first`` maximise the number of chosen pairs first and the score second.

How it is solved, exactly rather than greedily:

* Without binding hours this is a b-matching, solved as one min-cost flow (source -> project,
  capacity team size; project -> person, capacity 1 so nobody joins a project twice; person ->
  sink, capacity their project count). Arcs are added in one vectorised call. A zero-cost
  source -> sink bypass lets places stay empty; ``fill_first`` instead asks OR-Tools for the
  cheapest of the maximum flows, which is exactly "most places, then best score".
* Hours are a knapsack per person, which a flow cannot express. The flow optimum ignoring
  hours is a relaxation: when it happens to fit everyone's hours it is optimal, and no CP-SAT
  model is built. Only otherwise is a CP-SAT model solved, with hours rows just for the people
  whose heaviest candidate projects could exceed their hours, warm-started from the flow plan
  with the overloaded people's weakest pairs dropped.

Choices a caller should know:

* Duplicate (project, person) edges are rejected with ValueError: merging them would mean
  silently picking one of two scores.
* Only pairs with a positive score (at the resolution below) are chosen: a zero-score pair adds
  nothing, so leaving it out keeps plans minimal. With ``fill_first`` any pair may be chosen,
  since it fills a place. Pinned pairs are always chosen whatever their score.
* Scores are optimised as integers in thousandths (``SCORE_RESOLUTION``); two plans closer than
  that may be ranked either way. When the scores are so large that thousandths would overflow the
  solver's 64-bit arithmetic, the resolution is coarsened just enough (``_flow_cost_budget``,
  ``_cpsat_budget``).
  The reported objective is always the exact sum of the original scores of the chosen pairs.
* Hours are compared in hundredths, conservatively: a project's need is rounded up and a
  person's availability down, so a plan never overbooks anyone. Unknown (NaN) project hours count
  as 0; unknown (NaN) or infinite person hours are unlimited; infinite project hours are an error.
* Deterministic: edges are put in a canonical (project, person) order before solving, so the same
  set of edges gives the same plan byte for byte whatever order the caller lists them in, and a
  tie between equal plans is always broken the same way. (No tie-break term is added to the
  costs: one that ordered every plan would need weights far beyond 64 bits, and the canonical
  order already makes the choice stable.) CP-SAT runs one worker with a fixed seed.

Time limits. ``time_limit`` is given to CP-SAT twice: as its *deterministic* limit (its own count
of work done, the same on any machine) and as a *wall-clock* limit on what is left of
``time_limit`` since ``solve`` started (flow, model building and presolve included). The model
is built and solved in a worker thread and the caller waits only until the deadline: loading a
500,000-pair model takes CP-SAT seconds before it checks any limit, so a run still busy a moment
after the deadline is asked to stop and left to finish on its own (its result unread), and the
plan is the feasible start (the flow's plan repaired to fit hours, then refilled). Whichever
limit is reached first stops the search; only the first flow always runs to the end (about a
second at 500,000 pairs). The deterministic limit alone does not hold on the clock: CP-SAT
barely counts presolve (on a 500,000-pair model with binding hours presolve took 25 of 40 wall
seconds while the solve counted 1.4 deterministic seconds). ``Plan.status`` says which stopped
it: ``"feasible"`` (the deterministic limit: the same plan on any machine) or ``"wall-clock"``
(the plan depends on the machine's speed and load).

Bounds. A cut-short plan comes with the best *proven* upper bound: the smaller of CP-SAT's
proven objective bound and the flow optimum that ignores hours (a relaxation, always valid),
so the gap is never computed against the plan itself.
"""

from __future__ import annotations

import atexit
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from gigmatch.errors import GigmatchError, InfeasibleError

__all__ = [
    "HOURS_RESOLUTION",
    "SCORE_RESOLUTION",
    "PinConflict",
    "PinConflictError",
    "Plan",
    "solve",
]

SCORE_RESOLUTION = 1000  # scores are optimised in thousandths
HOURS_RESOLUTION = 100  # hours are compared in hundredths
SEED = 1  # CP-SAT random seed: any fixed value keeps runs identical
UNLIMITED = 2**62  # stands for "no hours limit", far above any sum of real hours
_CPSAT_BUDGET = 2**50  # largest |objective| given to CP-SAT: exact in a double, far from int64
_MAX_SHOWN = 5  # conflicts spelled out in an error message

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(frozen=True)
class Plan:
    """What the solver decided, and how sure it is.

    ``bound`` is the best proven upper bound on the total score (equal to ``objective`` when
    the plan is proven optimal, None when unknown); ``gap`` is
    ``(bound - objective) / max(|bound|, 1)``, 0.0 when optimal.
    """

    chosen: NDArray[np.intp]  # sorted indices into the edge arrays of the chosen pairs
    # "optimal"; "feasible" when the deterministic limit stopped the search (reproducible);
    # "wall-clock" when the wall-clock limit did (the plan may differ on another machine)
    status: str
    objective: float  # total score of the chosen pairs, from the original scores
    bound: float | None
    gap: float | None
    method: str  # "min-cost-flow" or "cp-sat"
    seconds: float = 0.0  # wall time of the whole solve (for benchmarks; never in a plan file)
    best_total: Plan | None = None  # with fair=True: the plan with the best total, compared
    # with fair=True: "done", "floor only" (the total was not raised within the limit) or
    # "none" (no fairer plan found within the limit: the plan is the best-total one)
    fair: str | None = None
    fair_over: str | None = None  # "listed" (projects with a candidate) or "staffed" (by best)
    fair_projects: Mask | None = None  # the projects whose lowest score --fair raised


@dataclass(frozen=True)
class PinConflict:
    """One smallest set of pinned edges that cannot hold together.

    ``kind`` is "team" (more pins on project ``index`` than its team size), "capacity" (a
    person pinned to more projects than they take) or "hours" (pins needing more hours than
    the person has); ``edges`` are indices into the caller's arrays, as few as make it fail.
    """

    kind: str
    index: int  # project (team) or person (capacity, hours) index
    limit: float  # team size, capacity or hours a week
    need: float  # what the smallest set needs of it
    edges: tuple[int, ...]


class PinConflictError(InfeasibleError):
    """Pinned pairs that no plan can keep: too many on one project or for one person."""

    def __init__(self, message: str, conflicts: list[PinConflict]) -> None:
        super().__init__(message)
        self.conflicts = conflicts
        self.edges = sorted({e for c in conflicts for e in c.edges})


@dataclass(frozen=True)
class _Free:
    """The pairs still to decide once pins have taken their places, in canonical order."""

    edge: NDArray[np.intp]  # index into the caller's edge arrays
    project: Ints
    person: Ints
    score: Floats
    hours: Ints  # hours each pair needs, in hundredths
    team: Ints  # places left per project
    capacity: Ints  # projects left per person
    free_hours: Ints  # hours left per person, in hundredths (UNLIMITED when unlimited)


def solve(
    project: ArrayLike,
    person: ArrayLike,
    score: ArrayLike,
    *,
    team_size: ArrayLike,
    capacity: ArrayLike,
    project_hours: ArrayLike | None = None,
    person_hours: ArrayLike | None = None,
    pinned: ArrayLike | None = None,
    fill_first: bool = False,
    fair: bool = False,
    time_limit: float = 30.0,
) -> Plan:
    """The best staffing plan over the given edges (see the module docstring for the model).

    ``project[e]`` and ``person[e]`` are 0-based indices into ``team_size`` and ``capacity``;
    ``pinned`` is a bool mask of edges that must be chosen. ``Plan.chosen`` indexes these same
    arrays, whatever order they came in. ``time_limit`` bounds the wall-clock time of the
    whole call and CP-SAT's deterministic time (see the module docstring); the flow path is
    fast and always optimal.
    With ``fair`` the plan first maximises the lowest project score (a project's pair scores
    summed and divided by its team size, over projects with any candidate), then the total
    keeping that lowest score; ``Plan.best_total`` is then the plan with the best total, for
    comparison. Raises ValueError on malformed arrays and PinConflictError (an
    InfeasibleError) when the pins alone break a limit.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit}")
    started = time.monotonic()
    team = _counts("team_size", team_size)
    cap = _counts("capacity", capacity)
    proj = _indices("project", project, len(team))
    pers = _indices("person", person, len(cap))
    scores = _scores(score, len(proj))
    pins = _pins(pinned, len(proj))
    need, have = _hours(project_hours, len(team), person_hours, len(cap))
    order = _canonical_order(proj, pers)
    free = _take_pins(order, proj, pers, scores, need, have, team, cap, pins)
    free = _drop_useless(free, fill_first)
    pinned_edges = np.flatnonzero(pins)
    limits = _Limits(time_limit, started + time_limit)
    if fair:  # the best-total plan is a start and a yardstick: a third of the time at most
        first = _Limits(time_limit / 3, started + time_limit / 3)
        plan = _optimise(free, pinned_edges, scores, fill_first, first)
        plan = _fair_plan(free, plan, _Fair(proj, pinned_edges, scores, team), limits)
    else:
        plan = _optimise(free, pinned_edges, scores, fill_first, limits)
    return replace(plan, seconds=time.monotonic() - started)


# --- validation ------------------------------------------------------------------------------


def _vector(name: str, values: ArrayLike) -> NDArray[Any]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    return array


def _integers(name: str, values: ArrayLike) -> Ints:
    """Whole numbers as int64; floats are accepted only when they are whole."""
    array = _vector(name, values)
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    if not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise ValueError(f"{name} must hold whole numbers")
    return array.astype(np.int64)


def _counts(name: str, values: ArrayLike) -> Ints:
    array = _integers(name, values)
    if np.any(array < 0):
        raise ValueError(f"{name} must not be negative (index {int(np.argmax(array < 0))})")
    return array


def _indices(name: str, values: ArrayLike, size: int) -> Ints:
    array = _integers(name, values)
    bad = (array < 0) | (array >= size)
    if np.any(bad):
        at = int(np.argmax(bad))
        raise ValueError(f"{name}[{at}] = {array[at]} is outside 0..{size - 1}")
    return array


def _scores(values: ArrayLike, size: int) -> Floats:
    array = _vector("score", values).astype(np.float64)
    if len(array) != size:
        raise ValueError(f"score has {len(array)} entries for {size} edges")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"score[{int(np.argmax(~np.isfinite(array)))}] is not a finite number")
    return array


def _pins(values: ArrayLike | None, size: int) -> Mask:
    if values is None:
        return np.zeros(size, dtype=bool)
    array = _vector("pinned", values)
    if array.dtype != np.bool_ or len(array) != size:
        raise ValueError(f"pinned must be a bool mask of {size} entries")
    return array


def _hours(
    project_hours: ArrayLike | None, n_projects: int, person_hours: ArrayLike | None, n_people: int
) -> tuple[Ints, Ints]:
    """Hours in hundredths: needs rounded up, availability rounded down (never overbook)."""
    need = _hour_values("project_hours", project_hours, n_projects)
    if np.any(np.isinf(need)):
        raise ValueError(f"project_hours[{int(np.argmax(np.isinf(need)))}] is infinite")
    have = _hour_values("person_hours", person_hours, n_people)
    slack = 1e-6  # absorbs float noise such as 0.1 + 0.2, far below a hundredth
    need_units = np.ceil(np.nan_to_num(need, nan=0.0) * HOURS_RESOLUTION - slack)
    have_units = np.floor(np.nan_to_num(have, nan=np.inf) * HOURS_RESOLUTION + slack)
    need_units = np.maximum(need_units, 0.0)
    have_units = np.where(np.isfinite(have_units), np.minimum(have_units, UNLIMITED), UNLIMITED)
    return need_units.astype(np.int64), have_units.astype(np.int64)


def _hour_values(name: str, values: ArrayLike | None, size: int) -> Floats:
    if values is None:
        return np.full(size, np.nan)
    array = _vector(name, values).astype(np.float64)
    if len(array) != size:
        raise ValueError(f"{name} has {len(array)} entries, expected {size}")
    if np.any(array < 0):
        raise ValueError(f"{name}[{int(np.argmax(array < 0))}] is negative")
    return array


def _canonical_order(project: Ints, person: Ints) -> NDArray[np.intp]:
    """Edges sorted by (project, person), so the caller's order cannot change the plan."""
    if len(project) != len(person):
        raise ValueError(f"project has {len(project)} entries but person has {len(person)}")
    order = np.lexsort((person, project))
    same = (np.diff(project[order]) == 0) & (np.diff(person[order]) == 0)
    if np.any(same):
        first, second = sorted(order[np.argmax(same) : np.argmax(same) + 2].tolist())
        raise ValueError(f"edges {first} and {second} repeat the same (project, person) pair")
    return order


# --- pins ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PinUse:
    """What the pins take: places per project, projects and hours (hundredths) per person."""

    places: Ints
    projects: Ints
    hours: Ints
    pair_hours: Ints  # hours (hundredths) each edge needs


def _take_pins(
    order: NDArray[np.intp],
    project: Ints,
    person: Ints,
    score: Floats,
    need: Ints,
    have: Ints,
    team: Ints,
    capacity: Ints,
    pins: Mask,
) -> _Free:
    """Let the pins use up places, capacity and hours; what is left is the free problem."""
    pair_hours = need[project]
    use = _PinUse(
        places=np.bincount(project[pins], minlength=len(team)),
        projects=np.bincount(person[pins], minlength=len(capacity)),
        hours=np.bincount(person[pins], pair_hours[pins], len(capacity)).astype(np.int64),
        pair_hours=pair_hours,
    )
    _check_pins(project, person, pins, use, team, capacity, have)
    keep = order[~pins[order]]
    return _Free(
        edge=keep,
        project=project[keep],
        person=person[keep],
        score=score[keep],
        hours=pair_hours[keep],
        team=team - use.places,
        capacity=capacity - use.projects,
        free_hours=np.where(have >= UNLIMITED, UNLIMITED, have - use.hours),
    )


def _check_pins(
    project: Ints, person: Ints, pins: Mask, use: _PinUse, team: Ints, capacity: Ints, have: Ints
) -> None:
    """Raise PinConflictError naming, for every project and person the pins overfill, the
    smallest set of pins that breaks the limit (so the fix is to drop one of them)."""
    full_projects = use.places > team
    full_people = (use.projects > capacity) | (use.hours > have)
    if not (np.any(full_projects) or np.any(full_people)):
        return
    pinned = np.flatnonzero(pins)
    conflicts = []
    for i in np.flatnonzero(full_projects).tolist():
        mine = pinned[project[pinned] == i]
        conflicts.append(PinConflict("team", i, float(team[i]), float(team[i] + 1),
                                     tuple(mine[: team[i] + 1].tolist())))  # fmt: skip
    for j in np.flatnonzero(full_people).tolist():
        mine = pinned[person[pinned] == j]
        if use.projects[j] > capacity[j]:
            conflicts.append(PinConflict("capacity", j, float(capacity[j]),
                                         float(capacity[j] + 1),
                                         tuple(mine[: capacity[j] + 1].tolist())))  # fmt: skip
            continue
        conflicts.append(_hours_conflict(j, mine, int(have[j]), use))
    message = "the pinned pairs cannot all be kept: " + "; ".join(
        _describe(c) for c in conflicts[:_MAX_SHOWN]
    )
    if len(conflicts) > _MAX_SHOWN:
        message += f"; and {len(conflicts) - _MAX_SHOWN} more"
    raise PinConflictError(message, conflicts)


def _hours_conflict(j: int, mine: NDArray[np.intp], have: int, use: _PinUse) -> PinConflict:
    """The fewest of person j's pins whose hours exceed theirs: the heaviest first."""
    hours = use.pair_hours[mine]
    order = np.lexsort((mine, -hours))
    total = np.cumsum(hours[order])
    count = int(np.searchsorted(total, have, side="right")) + 1
    chosen = np.sort(mine[order[:count]])
    needed = float(total[count - 1]) / HOURS_RESOLUTION
    return PinConflict("hours", j, have / HOURS_RESOLUTION, needed, tuple(chosen.tolist()))


def _describe(conflict: PinConflict) -> str:
    edges = ", ".join(map(str, conflict.edges))
    if conflict.kind == "team":
        return (f"project {conflict.index} has a team size of {conflict.limit:g} but pins "
                f"{edges}")  # fmt: skip
    if conflict.kind == "capacity":
        return f"person {conflict.index} takes at most {conflict.limit:g} projects: pins {edges}"
    return (f"person {conflict.index} has {conflict.limit:g} hours a week, pins {edges} need "
            f"{conflict.need:g}")  # fmt: skip


def _drop_useless(free: _Free, fill_first: bool) -> _Free:
    """Drop pairs no optimal plan uses: no place or hours left, or (unless filling) no score."""
    useful = (
        (free.team[free.project] > 0)
        & (free.capacity[free.person] > 0)
        & (free.hours <= free.free_hours[free.person])
    )
    if not fill_first:
        useful &= free.score > 0
    return _subset(free, useful)


def _subset(free: _Free, keep: Mask) -> _Free:
    return _Free(
        edge=free.edge[keep],
        project=free.project[keep],
        person=free.person[keep],
        score=free.score[keep],
        hours=free.hours[keep],
        team=free.team,
        capacity=free.capacity,
        free_hours=free.free_hours,
    )


# --- integer scores --------------------------------------------------------------------------


def _quantise(score: Floats, max_abs: int) -> tuple[Ints, float]:
    """Scores as integers in thousandths, or coarser if thousandths would exceed ``max_abs``."""
    largest = float(np.max(np.abs(score), initial=0.0))
    scale = float(SCORE_RESOLUTION)
    if largest * scale > max_abs - 1:
        scale = (max_abs - 1) / largest
    return np.rint(score * scale).astype(np.int64), scale


def _flow_cost_budget(n_nodes: int) -> int:
    """Largest |unit cost| safe for OR-Tools' cost scaling.

    It multiplies costs by (nodes + 1) and its node prices can drift a few times further than
    that, so the budget keeps 8 (nodes + 1)^2 |cost| within int64.
    """
    return max(2**62 // (8 * (n_nodes + 1) ** 2), 2)


def _most_pairs(free: _Free) -> int:
    """An upper bound on the number of free pairs any plan can choose."""
    places = int(np.minimum(free.team, np.bincount(free.project, minlength=len(free.team))).sum())
    takes = int(
        np.minimum(free.capacity, np.bincount(free.person, minlength=len(free.capacity))).sum()
    )
    return max(1, min(places, takes))


def _cpsat_budget(free: _Free, fill_first: bool) -> int:
    """Largest |score| that keeps CP-SAT's objective, fill-first weight included, within 2**50."""
    pairs = _most_pairs(free)
    return max(_CPSAT_BUDGET // (3 * pairs * pairs if fill_first else pairs), 2)


# --- solving ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Limits:
    """When to stop: CP-SAT's deterministic seconds, and a wall-clock deadline (monotonic)."""

    deterministic: float
    deadline: float

    def remaining(self) -> float:
        return self.deadline - time.monotonic()


def _optimise(
    free: _Free, pinned_edges: NDArray[np.intp], scores: Floats, fill_first: bool, limits: _Limits
) -> Plan:
    """The flow optimum when hours cannot spoil it, otherwise CP-SAT started from a repair."""
    if len(free.edge) == 0:
        return _plan(pinned_edges, scores, "optimal", None, "min-cost-flow")
    n_nodes = len(free.team) + len(free.capacity) + 2
    costs, _ = _quantise(free.score, _flow_cost_budget(n_nodes))
    chosen = _worth_keeping(_flow_plan(free, costs, fill_first), costs, fill_first)
    if _fits(free, chosen):
        edges = np.concatenate([pinned_edges, free.edge[chosen]])
        return _plan(edges, scores, "optimal", None, "min-cost-flow")
    relaxed = None if fill_first else _relaxation_bound(free, chosen, pinned_edges, scores)
    start = _repair(free, chosen)
    return _cpsat_plan(free, start, pinned_edges, scores, fill_first, limits, relaxed)


def _relaxation_bound(
    free: _Free, chosen: Mask, pinned_edges: NDArray[np.intp], scores: Floats
) -> float:
    """The flow optimum ignoring hours: an upper bound on any plan that respects them.

    The flow optimised scores rounded to the resolution, so half a unit per pair on each side
    (the flow's plan and any other) is added: the bound holds for the exact scores too.
    """
    _, scale = _quantise(free.score, _flow_cost_budget(len(free.team) + len(free.capacity) + 2))
    slack = _most_pairs(free) / scale
    return math.fsum(scores[pinned_edges].tolist()) + math.fsum(free.score[chosen].tolist()) + slack


def _worth_keeping(chosen: Mask, q: Ints, fill_first: bool) -> Mask:
    """Drop chosen pairs whose score rounds to zero: a tie the solver may break either way."""
    return chosen if fill_first else chosen & (q > 0)


def _flow_plan(free: _Free, q: Ints, fill_first: bool) -> Mask:
    """Solve the b-matching (no hours) as one min-cost flow; the chosen free pairs."""
    n_proj, n_people, n_edges = len(free.team), len(free.capacity), len(q)
    source, sink = n_proj + n_people, n_proj + n_people + 1
    team = np.minimum(free.team, np.bincount(free.project, minlength=n_proj))
    supply = int(team.sum())
    bypass = np.array([], dtype=np.int64) if fill_first else np.array([0], dtype=np.int64)
    people = n_proj + np.arange(n_people)
    tails = np.concatenate([np.full(n_proj, source), free.project, people, bypass + source])
    heads = np.concatenate(
        [np.arange(n_proj), people[free.person], np.full(n_people, sink), bypass + sink]
    )
    caps = np.concatenate([team, np.ones(n_edges, np.int64), free.capacity, bypass + supply])
    costs = np.concatenate(
        [np.zeros(n_proj, np.int64), -q, np.zeros(n_people + len(bypass), np.int64)]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    flow.set_nodes_supplies(
        np.array([source, sink], np.int32), np.array([supply, -supply], np.int64)
    )
    status = flow.solve_max_flow_with_min_cost() if fill_first else flow.solve()
    if status != flow.OPTIMAL:
        raise GigmatchError(f"internal error: the min-cost flow ended with status {status}")
    return np.asarray(flow.flows(np.arange(n_proj, n_proj + n_edges, dtype=np.int32))) > 0


def _fits(free: _Free, chosen: Mask) -> bool:
    load = np.bincount(free.person[chosen], free.hours[chosen], len(free.capacity))
    return bool(np.all(load <= free.free_hours))


def _repair(free: _Free, chosen: Mask) -> Mask:
    """A feasible start: each person keeps their best pairs while their hours last."""
    idx = np.flatnonzero(chosen)
    idx = idx[np.lexsort((idx, -free.score[idx], free.person[idx]))]
    owner = free.person[idx]
    used = np.cumsum(free.hours[idx])
    before = np.concatenate([[0], used])[np.searchsorted(owner, owner)]
    kept = np.zeros_like(chosen)
    kept[idx[used - before <= free.free_hours[owner]]] = True
    return kept


def _hours_can_bind(free: _Free) -> Mask:
    """People whose heaviest candidate projects, up to their capacity, exceed their hours."""
    order = np.lexsort((-free.hours, free.person))
    owner = free.person[order]
    rank = np.arange(len(order)) - np.searchsorted(owner, owner)
    top = rank < free.capacity[owner]
    load = np.bincount(owner[top], free.hours[order][top], len(free.capacity))
    return load > free.free_hours


# --- CP-SAT ----------------------------------------------------------------------------------


def _cpsat_plan(
    free: _Free,
    start: Mask,
    pinned_edges: NDArray[np.intp],
    scores: Floats,
    fill_first: bool,
    limits: _Limits,
    relaxed: float | None,
) -> Plan:
    """Solve with hours as knapsack rows; report the proven bound when a limit cuts it short."""
    q, scale = _quantise(free.score, _cpsat_budget(free, fill_first))
    start = _refill(free, start, limits) if not fill_first else start
    weight, floor = _fill_weight(free, q) if fill_first else (0, 0)
    outcome = _solve_until(lambda: _cpsat_model(free, q + weight, start), limits)
    found = outcome.solution is not None
    chosen = outcome.solution[: len(q)] > 0 if outcome.solution is not None else start
    chosen = _worth_keeping(chosen, q, fill_first)
    edges = np.concatenate([pinned_edges, free.edge[chosen]])
    if outcome.status == cp_model.OPTIMAL:
        return _plan(edges, scores, "optimal", None, "cp-sat")
    bound = None  # CP-SAT's bound means nothing before it has a solution (it reports 0)
    if found:
        bound = _score_bound(outcome.bound, int(chosen.sum()), weight, floor)
    pinned_score = math.fsum(scores[pinned_edges].tolist())
    total = None if bound is None else pinned_score + (bound + 0.5 * _most_pairs(free)) / scale
    total = min((b for b in (total, relaxed) if b is not None), default=None)
    return _plan(edges, scores, _stopped(outcome.by_clock), total, "cp-sat")


@dataclass(frozen=True)
class _Outcome:
    """What one CP-SAT run found, copied out of the solver in its own thread."""

    status: Any  # CP-SAT's status; UNKNOWN when it never ran or found nothing
    solution: NDArray[np.int64] | None  # variable values when it found a plan
    bound: float  # its proven objective bound (meaningful only with a solution)
    by_clock: bool  # the wall clock, not the deterministic limit or a proof, stopped it


GRACE = 0.2  # seconds past the deadline CP-SAT gets to notice it before it is abandoned


def _solve_until(build: Callable[[], cp_model.CpModel], limits: _Limits) -> _Outcome:
    """Build and solve a model in a worker thread, within the wall-clock deadline.

    CP-SAT's own wall-clock limit (what is left of the deadline) is checked in presolve too,
    but not between every step, and loading a large model takes seconds before any check. So
    the caller waits only until the deadline (plus `GRACE`), then asks CP-SAT to stop and,
    should it not return at once, goes on without it: the run is abandoned (its result is
    never read; the interpreter waits for it at exit, as a C++ search must end first) and the
    caller keeps its feasible start. Ctrl-C stops the search at once, as in
    `solve_interruptibly`.
    """
    solver = _cpsat_solver(limits.deterministic)
    box: dict[str, Any] = {}
    skipped = _Outcome(cp_model.UNKNOWN, None, math.nan, True)
    if limits.remaining() <= 0:
        return skipped
    done = threading.Event()

    def work() -> None:
        try:
            model = build()
            remaining = limits.remaining()
            if remaining <= 0:
                return
            solver.parameters.max_time_in_seconds = remaining
            box["outcome"] = _outcome(solver, solver.solve(model), limits)
        except Exception as exc:  # handed to the caller's thread, raised there
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="gigmatch-cp-sat", daemon=True).start()
    try:
        while not done.wait(0.05):
            if limits.remaining() < -GRACE:
                solver.stop_search()
                if not done.wait(GRACE):
                    atexit.register(_wait_out, done)  # abandoned: let it end before exit
                    return skipped
    except KeyboardInterrupt:
        solver.stop_search()
        _wait_out(done)
        raise
    if "error" in box:
        raise box["error"]
    outcome: _Outcome = box.get("outcome", skipped)
    return outcome


def _outcome(solver: cp_model.CpSolver, status: Any, limits: _Limits) -> _Outcome:
    """What the caller needs from a finished run, copied while the solver is still ours."""
    response = solver.response_proto
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    deterministic = response.deterministic_time >= 0.999 * limits.deterministic
    return _Outcome(
        status,
        np.asarray(response.solution, dtype=np.int64) if found else None,
        float(solver.best_objective_bound),
        status != cp_model.OPTIMAL and not deterministic,
    )


def _refill(free: _Free, start: Mask, limits: _Limits, rounds: int = 4) -> Mask:
    """Fill places the repair left open: a min-cost flow over what is left (places, projects
    and hours per person, pairs that still fit), repaired again, a few rounds while time lasts.

    A better start for CP-SAT, and the plan itself when the clock stops CP-SAT before it finds
    one: dropping an overloaded person's weakest pairs alone can leave a quarter of the places
    open that others could take.
    """
    chosen = start.copy()
    n_nodes = len(free.team) + len(free.capacity) + 2
    for _ in range(rounds):
        if limits.remaining() <= 0:
            break
        team = free.team - np.bincount(free.project[chosen], minlength=len(free.team))
        capacity = free.capacity - np.bincount(free.person[chosen], minlength=len(free.capacity))
        load = np.bincount(free.person[chosen], free.hours[chosen], len(free.capacity))
        hours = np.where(free.free_hours >= UNLIMITED, UNLIMITED, free.free_hours - load)
        open_ = ~chosen & (team[free.project] > 0) & (capacity[free.person] > 0)
        open_ &= free.hours <= hours[free.person]
        if not open_.any():
            break
        rest = replace(_subset(free, open_), team=team, capacity=capacity, free_hours=hours)
        costs, _ = _quantise(rest.score, _flow_cost_budget(n_nodes))
        added = _repair(rest, _worth_keeping(_flow_plan(rest, costs, False), costs, False))
        if not added.any():
            break
        chosen[np.flatnonzero(open_)[added]] = True
    return chosen


@dataclass(frozen=True)
class _Fair:
    """What the fair objective needs beyond the free pairs: every edge's project, the pins
    and the full team sizes (a project's score is per place, pinned places included)."""

    project: Ints
    pinned_edges: NDArray[np.intp]
    scores: Floats
    team: Ints


def _fair_plan(free: _Free, best: Plan, fair: _Fair, limits: _Limits) -> Plan:
    """Maximise the lowest project score, then the total with that lowest score kept.

    The lowest is taken over projects with any candidate. When some of them cannot all be
    staffed at once that lowest is 0 and would change nothing, so the floor is then raised over
    the projects the best-total plan staffs instead (it keeps them staffed and evens them out).
    Two CP-SAT solves, both started from `best` (which satisfies every constraint but the
    raised floor). Optimal only if both are proven; `Plan.fair` says how far the search got,
    and a plan that does not raise the lowest score after all gives way to `best`.
    """
    n = len(fair.team)
    listed = (fair.team > 0) & (
        (np.bincount(free.project, minlength=n) > 0)
        | (np.bincount(fair.project[fair.pinned_edges], minlength=n) > 0)
    )
    if len(free.edge) == 0:
        return replace(best, best_total=best, fair="done", fair_over="listed", fair_projects=listed)
    q, scale = _quantise(free.score, _cpsat_budget(free, False))
    pinned_q = np.rint(
        np.bincount(fair.project[fair.pinned_edges], fair.scores[fair.pinned_edges], n) * scale
    ).astype(np.int64)
    staffed = listed & (np.bincount(fair.project[best.chosen], minlength=n) > 0)
    start = np.isin(free.edge, best.chosen)
    for over, counted in (("listed", listed), ("staffed", staffed)):
        keep_best = replace(best, best_total=best, fair_over=over, fair_projects=counted)
        model, floor = _floor_model(free, q, start, counted, pinned_q, fair.team)
        first = _solve_until(lambda: model, limits)  # noqa: B023 (called at once)
        if first.solution is None:
            return replace(keep_best, status=_stopped(first.by_clock), fair="none")
        raised: NDArray[np.int64] = first.solution
        lowest = int(raised[floor])
        if lowest > 0 or not staffed.any():
            break
    proto = model.proto
    proto.variables[floor].domain.clear()
    proto.variables[floor].domain.extend([lowest, _CPSAT_BUDGET])
    _set_objective(proto, list(range(len(q))), q.tolist())
    proto.solution_hint.values.clear()
    proto.solution_hint.values.extend(raised.tolist())
    second = _solve_until(lambda: model, limits)
    solution = second.solution if second.solution is not None else raised
    chosen = _worth_keeping(solution[: len(q)] > 0, q, False)
    edges = np.concatenate([fair.pinned_edges, free.edge[chosen]])
    if _lowest(edges, fair, counted) <= _lowest(best.chosen, fair, counted) + 1e-9:
        return replace(keep_best, fair="no gain")  # e.g. cut short before the floor rose
    reached = "done" if second.solution is not None else "floor only"
    if first.status == cp_model.OPTIMAL and second.status == cp_model.OPTIMAL:
        plan = _plan(edges, fair.scores, "optimal", None, "cp-sat")
    else:
        bounds = [best.bound] if best.bound is not None else []  # no plan beats the best total
        if second.solution is not None and math.isfinite(second.bound):
            pinned_score = math.fsum(fair.scores[fair.pinned_edges].tolist())
            bounds.append(pinned_score + (second.bound + 0.5 * _most_pairs(free)) / scale)
        status = _stopped(first.by_clock or second.by_clock)
        plan = _plan(edges, fair.scores, status, min(bounds, default=None), "cp-sat")
    return replace(plan, best_total=best, fair=reached, fair_over=over, fair_projects=counted)


def _lowest(edges: NDArray[np.intp], fair: _Fair, counted: Mask) -> float:
    """The lowest score per place among the counted projects, for the chosen `edges`."""
    total = np.bincount(fair.project[edges], fair.scores[edges], len(fair.team))
    per_place = total[counted] / np.maximum(fair.team[counted], 1)
    return float(per_place.min()) if len(per_place) else 0.0


def _floor_model(
    free: _Free, q: Ints, start: Mask, counted: Mask, pinned_q: Ints, team: Ints
) -> tuple[cp_model.CpModel, int]:
    """The staffing model plus a variable `floor` that every counted project's score per place
    must reach (in quantised units), maximised; returns the model and floor's index."""
    model = _cpsat_model(free, q, start)
    proto = model.proto
    floor = len(q)
    cap = min([int(max(q.max(), 0))] + _pin_only_caps(free, counted, pinned_q, team))
    proto.variables.add().domain.extend([0, max(cap, 0)])
    for i, idx in _groups(free.project, len(team), counted):
        row = proto.constraints.add().linear
        row.vars.extend([*idx.tolist(), floor])
        row.coeffs.extend([*q[idx].tolist(), -int(team[i])])
        row.domain.extend([-int(pinned_q[i]), _CPSAT_BUDGET])
    _set_objective(proto, [floor], [1])
    proto.solution_hint.vars.append(floor)
    proto.solution_hint.values.append(0)
    return model, floor


def _pin_only_caps(free: _Free, counted: Mask, pinned_q: Ints, team: Ints) -> list[int]:
    """Projects with pins but no free pair: their score, fixed, caps the lowest score."""
    alone = counted & (np.bincount(free.project, minlength=len(team)) == 0)
    return [int(pinned_q[i] // team[i]) for i in np.flatnonzero(alone).tolist()]


def _stopped(by_clock: bool) -> str:
    return "wall-clock" if by_clock else "feasible"


def _set_objective(proto: Any, variables: list[int], coeffs: list[int]) -> None:
    """Maximise sum(coeffs * variables) (CP-SAT minimises: negated, scaled by -1)."""
    proto.objective.vars.clear()
    proto.objective.coeffs.clear()
    proto.objective.vars.extend(variables)
    proto.objective.coeffs.extend([-c for c in coeffs])
    proto.objective.scaling_factor = -1.0


def solve_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
    """`solver.solve(model)`, with Ctrl-C stopping it at once as a `KeyboardInterrupt`.

    CP-SAT's own SIGINT handling (`catch_sigint_signal`) would stop the search and return the
    plan so far as if nothing happened, then let the signal kill the process; and Python only
    runs its handler between bytecodes, never inside a long C++ call. So CP-SAT runs in a
    worker thread with its handler off while the main thread waits in short joins: Ctrl-C
    raises there, the search is stopped, and the interrupt goes on to the CLI (exit 130).
    """
    solver.parameters.catch_sigint_signal = False
    result: list[Any] = []
    done = threading.Event()  # not Thread.join: an interrupted join() can report a live thread dead

    def work() -> None:
        try:
            result.append(solver.solve(model))
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    try:
        while not done.wait(0.05):
            pass
    except KeyboardInterrupt:
        solver.stop_search()
        _wait_out(done)  # the C++ search must end before the interpreter does
        raise
    if not result:
        raise GigmatchError("the CP-SAT solver stopped without an answer")
    return result[0]


def _wait_out(done: Any) -> None:
    """Wait for the stopped search to return, even through a second Ctrl-C."""
    while True:
        try:
            if done.wait(0.05):
                return
        except KeyboardInterrupt:
            continue


def _cpsat_solver(limit: float) -> cp_model.CpSolver:
    """One worker, a fixed seed and a deterministic limit (plus the wall clock, see
    `_solve_until`).

    Linearization level 2 puts the capacity and hours rows in CP-SAT's LP: its bound is then
    near the optimum on staffing problems, which level 1 (the default) leaves percents away,
    and a single worker without it can spend minutes closing that gap.
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = limit
    solver.parameters.linearization_level = 2
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is ours: see `_solve_until`
    return solver


def _fill_weight(free: _Free, q: Ints) -> tuple[int, int]:
    """A per-pair bonus larger than any score difference, so more pairs always win.

    Returns the bonus and the most any plan's scores can pull its objective down.
    """
    pairs = _most_pairs(free)
    most, least = max(int(q.max()), 0), max(-int(q.min()), 0)
    return pairs * (most + least) + 1, pairs * least


def _score_bound(bound: float, count: int, weight: int, floor: int) -> float | None:
    """The bound on the (quantised) score part of CP-SAT's objective, if one is proven."""
    if not math.isfinite(bound):
        return None
    if weight == 0:
        return math.floor(bound + 1e-6)
    if bound >= weight * (count + 1) - floor:
        return None  # a plan with more pairs is not ruled out yet
    return math.floor(bound + 1e-6) - weight * count


def _cpsat_model(free: _Free, coef: Ints, hint: Mask) -> cp_model.CpModel:
    """One 0/1 variable per free pair, written straight into the model proto.

    Going through the proto rather than CpModel's expression objects keeps building a
    500,000-pair model to a few seconds: the per-pair work is list copies, not Python objects.
    Only rows that can bind are added (a project with fewer candidates than places needs none).
    """
    model = cp_model.CpModel()
    proto = model.proto
    for _ in range(len(coef)):
        proto.variables.add().domain.extend([0, 1])
    ones = np.ones(len(coef), np.int64)
    per_project = np.bincount(free.project, minlength=len(free.team))
    per_person = np.bincount(free.person, minlength=len(free.capacity))
    _add_rows(proto, free.project, ones, free.team, per_project > free.team)
    _add_rows(proto, free.person, ones, free.capacity, per_person > free.capacity)
    _add_rows(proto, free.person, free.hours, free.free_hours, _hours_can_bind(free))
    every = np.arange(len(coef)).tolist()
    proto.objective.vars.extend(every)  # CP-SAT minimises: maximise coef as -coef, scaled by -1
    proto.objective.coeffs.extend((-coef).tolist())
    proto.objective.scaling_factor = -1.0
    proto.solution_hint.vars.extend(every)
    proto.solution_hint.values.extend(hint.astype(np.int64).tolist())
    return model


def _add_rows(proto: Any, key: Ints, weight: Ints, limit: Ints, wanted: Mask) -> None:
    """One row ``sum(weight * x) <= limit[k]`` per wanted group k of ``key``."""
    for k, idx in _groups(key, len(limit), wanted):
        row = proto.constraints.add().linear
        row.vars.extend(idx.tolist())
        row.coeffs.extend(weight[idx].tolist())
        row.domain.extend([0, int(limit[k])])


def _groups(key: Ints, size: int, wanted: Mask) -> Iterator[tuple[int, Ints]]:
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(size + 1))
    for k in np.flatnonzero(wanted).tolist():
        if bounds[k + 1] > bounds[k]:
            yield k, order[bounds[k] : bounds[k + 1]]


def _plan(
    edges: NDArray[np.intp], scores: Floats, status: str, bound: float | None, method: str
) -> Plan:
    chosen = np.sort(edges).astype(np.intp)
    objective = math.fsum(scores[chosen].tolist())
    if status == "optimal":
        bound = objective
    if bound is None:
        return Plan(chosen, status, objective, None, None, method)
    bound = max(bound, objective)
    gap = (bound - objective) / max(abs(bound), 1.0)
    return Plan(chosen, status, objective, bound, gap, method)
