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
  order already makes the choice stable.) CP-SAT runs one worker with a fixed seed and stops on
  a *deterministic* time limit, its own count of work done, never on the wall clock, so a busy
  machine cannot change the plan. Its "seconds" are meant to track wall seconds, but CP-SAT's
  presolve is barely counted: on the 500,000-pair benchmark with binding hours, presolve took
  25 of 40 wall seconds while the whole solve counted 1.4 deterministic seconds.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from gigmatch.errors import GigmatchError, InfeasibleError

__all__ = ["HOURS_RESOLUTION", "SCORE_RESOLUTION", "PinConflictError", "Plan", "solve"]

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
    status: str  # "optimal", or "feasible" when the time limit stopped the search
    objective: float  # total score of the chosen pairs, from the original scores
    bound: float | None
    gap: float | None
    method: str  # "min-cost-flow" or "cp-sat"


class PinConflictError(InfeasibleError):
    """Pinned pairs that no plan can keep: too many on one project or for one person."""

    def __init__(
        self, message: str, edges: list[int], projects: list[int], people: list[int]
    ) -> None:
        super().__init__(message)
        self.edges = edges  # indices of the offending pinned edges, as passed in
        self.projects = projects  # project indices with more pins than places
        self.people = people  # person indices pinned beyond their capacity or hours


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
    time_limit: float = 30.0,
) -> Plan:
    """The best staffing plan over the given edges (see the module docstring for the model).

    ``project[e]`` and ``person[e]`` are 0-based indices into ``team_size`` and ``capacity``;
    ``pinned`` is a bool mask of edges that must be chosen. ``Plan.chosen`` indexes these same
    arrays, whatever order they came in. ``time_limit`` is CP-SAT's
    deterministic time limit; the flow path has none (it is fast and always optimal).
    Raises ValueError on malformed arrays and PinConflictError (an InfeasibleError) when the pins
    alone break a limit.
    """
    if not time_limit > 0:
        raise ValueError(f"time_limit must be positive, got {time_limit}")
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
    return _optimise(free, pinned_edges, scores, fill_first, time_limit)


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
    """Raise PinConflictError naming every project and person the pins overfill."""
    full_projects = use.places > team
    full_people = (use.projects > capacity) | (use.hours > have)
    if not (np.any(full_projects) or np.any(full_people)):
        return
    projects = np.flatnonzero(full_projects).tolist()
    people = np.flatnonzero(full_people).tolist()
    reasons = [
        f"project {i} has {use.places[i]} pinned people but a team size of {team[i]}"
        for i in projects
    ] + [_person_reason(j, use, capacity, have) for j in people]
    if len(reasons) > _MAX_SHOWN:
        reasons = [*reasons[:_MAX_SHOWN], f"and {len(reasons) - _MAX_SHOWN} more"]
    offending = pins & (full_projects[project] | full_people[person])
    edges = np.flatnonzero(offending).tolist()
    message = f"the pinned pairs cannot all be kept: {'; '.join(reasons)}"
    raise PinConflictError(message, edges, projects, people)


def _person_reason(j: int, use: _PinUse, capacity: Ints, have: Ints) -> str:
    if use.projects[j] > capacity[j]:
        return f"person {j} is pinned to {use.projects[j]} projects but takes at most {capacity[j]}"
    needed, available = use.hours[j] / HOURS_RESOLUTION, have[j] / HOURS_RESOLUTION
    return f"person {j} is pinned to {needed:g} hours a week but has {available:g}"


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


def _optimise(
    free: _Free, pinned_edges: NDArray[np.intp], scores: Floats, fill_first: bool, limit: float
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
    return _cpsat_plan(free, _repair(free, chosen), pinned_edges, scores, fill_first, limit)


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
    limit: float,
) -> Plan:
    """Solve with hours as knapsack rows; report the proven bound when the limit cuts it short."""
    q, scale = _quantise(free.score, _cpsat_budget(free, fill_first))
    weight, floor = _fill_weight(free, q) if fill_first else (0, 0)
    model = _cpsat_model(free, q + weight, start)
    solver = _cpsat_solver(limit)
    status = solve_interruptibly(solver, model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    chosen = np.asarray(solver.response_proto.solution)[: len(q)] > 0 if found else start
    chosen = _worth_keeping(chosen, q, fill_first)
    edges = np.concatenate([pinned_edges, free.edge[chosen]])
    if status == cp_model.OPTIMAL:
        return _plan(edges, scores, "optimal", None, "cp-sat")
    bound = _score_bound(solver.best_objective_bound, int(chosen.sum()), weight, floor)
    pinned_score = math.fsum(scores[pinned_edges].tolist())
    total = None if bound is None else pinned_score + bound / scale
    return _plan(edges, scores, "feasible", total, "cp-sat")


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
    """One worker, a fixed seed and a deterministic limit: the same plan on any machine load.

    Linearization level 2 puts the capacity and hours rows in CP-SAT's LP: its bound is then
    near the optimum on staffing problems, which level 1 (the default) leaves percents away,
    and a single worker without it can spend minutes closing that gap.
    """
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_deterministic_time = limit
    solver.parameters.linearization_level = 2
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
