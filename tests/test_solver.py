"""The staffing optimiser against brute force, SciPy (assignment, MILP) and OR-Library optima."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp
from scipy.sparse import csr_array, vstack

from gigmatch.errors import InfeasibleError
from gigmatch.plan.solver import PinConflictError, Plan, _score_bound, solve

ORLIB = Path(__file__).resolve().parent / "data" / "orlib"


@dataclass(frozen=True)
class Instance:
    """A staffing problem as the solver takes it, with helpers to check a plan against it."""

    project: np.ndarray
    person: np.ndarray
    score: np.ndarray
    team_size: np.ndarray
    capacity: np.ndarray
    project_hours: np.ndarray | None = None
    person_hours: np.ndarray | None = None
    pinned: np.ndarray | None = None
    fill_first: bool = False

    def solve(self, **options) -> Plan:
        return solve(**(vars(self) | options))

    def pairs(self, plan: Plan) -> set[tuple[int, int]]:
        return set(
            zip(self.project[plan.chosen].tolist(), self.person[plan.chosen].tolist(), strict=True)
        )

    def pair_hours(self) -> np.ndarray:
        if self.project_hours is None:
            return np.zeros(len(self.project))
        return np.nan_to_num(np.asarray(self.project_hours, float)[self.project], nan=0.0)

    def available(self) -> np.ndarray:
        if self.person_hours is None:
            return np.full(len(self.capacity), np.inf)
        return np.nan_to_num(np.asarray(self.person_hours, float), nan=np.inf)

    def feasible(self, masks: np.ndarray) -> np.ndarray:
        """Which rows of a (plans x edges) bool matrix respect every limit and pin."""
        by_project = np.eye(len(self.team_size))[self.project]
        by_person = np.eye(len(self.capacity))[self.person]
        ok = (masks @ by_project <= self.team_size).all(axis=1)
        ok &= (masks @ by_person <= self.capacity).all(axis=1)
        ok &= (masks @ (by_person * self.pair_hours()[:, None]) <= self.available() + 1e-9).all(1)
        if self.pinned is not None:
            ok &= masks[:, self.pinned].all(axis=1)
        return ok


def chosen_mask(instance: Instance, plan: Plan) -> np.ndarray:
    mask = np.zeros(len(instance.project), dtype=bool)
    mask[plan.chosen] = True
    return mask


def assert_valid(instance: Instance, plan: Plan) -> None:
    """The plan keeps every limit and pin, and reports its own score honestly."""
    assert np.all(np.diff(plan.chosen) > 0)
    assert instance.feasible(chosen_mask(instance, plan)[None, :])[0]
    assert plan.objective == pytest.approx(math.fsum(instance.score[plan.chosen]), abs=1e-9)
    if plan.bound is not None:
        assert plan.bound >= plan.objective - 1e-9
        assert plan.gap is not None and plan.gap >= 0


def brute_force(instance: Instance) -> tuple[int, float] | None:
    """(pairs, score) of the best plan by enumerating every subset; None when none is valid."""
    n = len(instance.project)
    masks = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)
    ok = instance.feasible(masks)
    if not ok.any():
        return None
    counts, totals = masks[ok].sum(axis=1), masks[ok] @ instance.score
    if instance.fill_first:
        most = counts.max()
        return int(most), float(totals[counts == most].max())
    best = int(np.argmax(totals))
    return int(counts[best]), float(totals[best])


def column(draw, values: st.SearchStrategy, size: int) -> np.ndarray:
    return np.array(draw(st.lists(values, min_size=size, max_size=size)))


@st.composite
def small_instances(draw, tight: bool = False) -> Instance:
    """Up to 10 edges (1,024 plans to enumerate); ``tight`` makes hours bind, so CP-SAT runs."""
    n_projects, n_people = (
        draw(st.integers(3 if tight else 1, 4)),
        draw(st.integers(2 if tight else 1, 4)),
    )
    every = [(i, j) for i in range(n_projects) for j in range(n_people)]
    size = st.lists(st.sampled_from(every), unique=True, min_size=6 if tight else 0, max_size=10)
    pairs = np.array(draw(size), dtype=np.int64).reshape(-1, 2)
    n = len(pairs)
    with_hours = tight or draw(st.booleans())
    pins = draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=min(n, 1 if tight else 2)))
    need = st.sampled_from([5, 10, 12.5, 20] if tight else [np.nan, 0, 5, 10, 12.5, 20])
    have = st.sampled_from([10, 15, 22.5] if tight else [np.nan, 0, 10, 15, 22.5, 30])
    return Instance(
        project=pairs[:, 0],
        person=pairs[:, 1],
        score=column(draw, st.integers(-6 if not tight else 1, 40).map(lambda v: v / 2), n).astype(
            float
        ),
        team_size=column(draw, st.integers(1 if tight else 0, 3), n_projects),
        capacity=column(draw, st.integers(2 if tight else 0, 3), n_people),
        project_hours=column(draw, need, n_projects) if with_hours else None,
        person_hours=column(draw, have, n_people) if with_hours else None,
        pinned=np.isin(np.arange(n), list(pins)),
        fill_first=draw(st.booleans()),
    )


def random_instance(
    seed: int, n_projects: int, n_people: int, edges: int, hours: bool = True
) -> Instance:
    """A seeded instance with distinct pairs, one-decimal scores and (optionally) tight hours."""
    rng = np.random.default_rng(seed)
    flat = rng.choice(n_projects * n_people, size=edges, replace=False)
    project, person = np.divmod(flat, n_people)
    return Instance(
        project=project,
        person=person,
        score=np.round(rng.uniform(1, 100, size=edges), 1),
        team_size=rng.integers(1, 4, size=n_projects),
        capacity=rng.integers(1, 4, size=n_people),
        project_hours=rng.integers(1, 9, size=n_projects) * 5.0 if hours else None,
        person_hours=rng.integers(2, 9, size=n_people) * 5.0 if hours else None,
    )


def milp_optimum(instance: Instance) -> float:
    """The best total score by SciPy's HiGHS MILP: an oracle independent of OR-Tools."""
    n = len(instance.project)
    columns = np.arange(n)
    by_project = csr_array(
        (np.ones(n), (instance.project, columns)), shape=(len(instance.team_size), n)
    )
    by_person = csr_array(
        (np.ones(n), (instance.person, columns)), shape=(len(instance.capacity), n)
    )
    hours = csr_array((instance.pair_hours(), (instance.person, columns)), shape=by_person.shape)
    rows = vstack([by_project, by_person, hours])
    limits = np.concatenate([instance.team_size, instance.capacity, instance.available()])
    result = milp(
        -instance.score,
        constraints=LinearConstraint(rows, -np.inf, limits),
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return -result.fun


# --- optimality -------------------------------------------------------------------------------


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_matches_brute_force(instance: Instance):
    check_against_brute_force(instance)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances(tight=True))
def test_matches_brute_force_when_hours_bind(instance: Instance):
    check_against_brute_force(instance)


def check_against_brute_force(instance: Instance) -> None:
    best = brute_force(instance)
    if best is None:
        with pytest.raises(InfeasibleError):
            instance.solve()
        return
    plan = instance.solve()
    assert_valid(instance, plan)
    assert plan.status == "optimal" and plan.gap == 0.0
    assert plan.objective == pytest.approx(best[1], abs=1e-9)
    if instance.fill_first:
        assert len(plan.chosen) == best[0]


@pytest.mark.parametrize("shape", [(30, 30), (20, 35), (35, 20)])
def test_one_to_one_matches_linear_sum_assignment(shape: tuple[int, int]):
    rng = np.random.default_rng(sum(shape))
    scores = np.round(rng.uniform(0.5, 100, size=shape), 3)
    project, person = (a.ravel() for a in np.indices(shape))
    plan = solve(
        project,
        person,
        scores.ravel(),
        team_size=np.ones(shape[0], int),
        capacity=np.ones(shape[1], int),
    )
    rows, cols = linear_sum_assignment(scores, maximize=True)
    assert plan.objective == pytest.approx(scores[rows, cols].sum(), abs=1e-6)
    assert len(plan.chosen) == min(shape)
    assert (plan.status, plan.method) == ("optimal", "min-cost-flow")


def test_fill_first_with_costs_matches_linear_sum_assignment():
    """Negative scores are costs: fill_first fills every place, then finds the least cost."""
    rng = np.random.default_rng(7)
    costs = rng.integers(1, 100, size=(25, 40)).astype(float)
    project, person = (a.ravel() for a in np.indices(costs.shape))
    plan = solve(
        project,
        person,
        -costs.ravel(),
        team_size=np.ones(25, int),
        capacity=np.ones(40, int),
        fill_first=True,
    )
    rows, cols = linear_sum_assignment(costs)
    assert len(plan.chosen) == 25
    assert -plan.objective == costs[rows, cols].sum()


def test_without_fill_first_negative_pairs_stay_out():
    plan = solve([0, 0], [0, 1], [-3.0, 2.0], team_size=[2], capacity=[1, 1])
    assert plan.chosen.tolist() == [1] and plan.objective == 2.0


def test_zero_score_pairs_are_chosen_only_to_fill_places():
    args = ([0, 1], [0, 0], [0.0, 5.0])
    assert solve(*args, team_size=[1, 1], capacity=[2]).chosen.tolist() == [1]
    assert solve(*args, team_size=[1, 1], capacity=[2], fill_first=True).chosen.tolist() == [0, 1]


def test_a_score_below_the_resolution_counts_as_zero():
    args = ([0, 1], [0, 0], [4e-4, 2.0])
    assert solve(*args, team_size=[1, 1], capacity=[2]).chosen.tolist() == [1]
    assert solve(*args, team_size=[1, 1], capacity=[2], fill_first=True).chosen.tolist() == [0, 1]


def test_fill_first_prefers_more_places_over_more_score():
    # Person 0 is worth 10 on project 0 and 1 on project 1; person 1 only fits project 0 (1).
    instance = Instance(
        project=np.array([0, 1, 0]),
        person=np.array([0, 0, 1]),
        score=np.array([10.0, 1.0, 1.0]),
        team_size=np.array([1, 1]),
        capacity=np.array([1, 1]),
    )
    best = instance.solve()
    assert instance.pairs(best) == {(0, 0)} and best.objective == 10.0
    filled = instance.solve(fill_first=True)
    assert instance.pairs(filled) == {(1, 0), (0, 1)} and filled.objective == 2.0


def test_a_project_never_takes_the_same_person_twice():
    # Capacity 3 and team size 3 must not let one person fill all three places on one project.
    plan = solve([0], [0], [50.0], team_size=[3], capacity=[3])
    assert plan.chosen.tolist() == [0] and plan.objective == 50.0


@pytest.mark.parametrize("seed", range(6))
def test_binding_hours_match_an_independent_milp(seed: int):
    instance = random_instance(seed, n_projects=12, n_people=15, edges=80)
    plan = instance.solve()
    assert_valid(instance, plan)
    assert plan.status == "optimal"
    assert plan.objective == pytest.approx(milp_optimum(instance), abs=1e-6)


def test_hours_decide_the_method():
    loose = random_instance(3, n_projects=12, n_people=15, edges=80, hours=False)
    assert loose.solve().method == "min-cost-flow"
    generous = replace(loose, project_hours=np.full(12, 5.0), person_hours=np.full(15, 40.0))
    assert generous.solve().method == "min-cost-flow"
    tight = replace(loose, project_hours=np.full(12, 20.0), person_hours=np.full(15, 30.0))
    plan = tight.solve()
    assert plan.method == "cp-sat"
    assert_valid(tight, plan)
    # 20-hour places and 30 hours each: nobody can take two, so capacity is effectively one.
    one_each = replace(loose, capacity=np.ones(15, int))
    assert plan.objective == pytest.approx(one_each.solve().objective, abs=1e-9)


def test_unknown_hours():
    # NaN project hours count as 0; NaN person hours are unlimited.
    plan = solve(
        [0, 1, 2],
        [0, 0, 0],
        [3.0, 2.0, 1.0],
        team_size=[1, 1, 1],
        capacity=[3],
        project_hours=[np.nan, 30.0, 30.0],
        person_hours=[40.0],
    )
    assert plan.chosen.tolist() == [0, 1]
    unlimited = solve(
        [0, 1],
        [0, 0],
        [3.0, 2.0],
        team_size=[1, 1],
        capacity=[2],
        project_hours=[30.0, 30.0],
        person_hours=[np.nan],
    )
    assert unlimited.chosen.tolist() == [0, 1]


def test_fractional_hours_are_rounded_to_hundredths_without_overbooking():
    # 0.1 + 0.2 fits 0.3 (float noise is not an overbooking) ...
    fits = solve(
        [0, 1],
        [0, 0],
        [1.0, 1.0],
        team_size=[1, 1],
        capacity=[2],
        project_hours=[0.1, 0.2],
        person_hours=[0.3],
    )
    assert len(fits.chosen) == 2
    # ... but a need of 10.004 hours is rounded up, so it does not fit 10 hours.
    over = solve(
        [0], [0], [1.0], team_size=[1], capacity=[1], project_hours=[10.004], person_hours=[10.0]
    )
    assert len(over.chosen) == 0


# --- pins -------------------------------------------------------------------------------------


def test_pins_are_kept_even_when_a_better_plan_exists():
    instance = Instance(
        project=np.array([0, 0]),
        person=np.array([0, 1]),
        score=np.array([9.0, -1.0]),
        team_size=np.array([1]),
        capacity=np.array([1, 1]),
        pinned=np.array([False, True]),
    )
    plan = instance.solve()
    assert plan.chosen.tolist() == [1] and plan.objective == -1.0


def test_pins_use_up_capacity_and_hours():
    instance = Instance(
        project=np.array([0, 1, 2]),
        person=np.array([0, 0, 0]),
        score=np.array([1.0, 8.0, 9.0]),
        team_size=np.array([1, 1, 1]),
        capacity=np.array([2]),
        project_hours=np.array([20.0, 20.0, 25.0]),
        person_hours=np.array([40.0]),
        pinned=np.array([True, False, False]),
    )
    plan = instance.solve()
    assert plan.chosen.tolist() == [0, 1]  # 25 more hours would not fit beside the pinned 20


def test_too_many_pins_on_a_project():
    with pytest.raises(PinConflictError) as caught:
        solve(
            [0, 0, 1],
            [0, 1, 0],
            [1.0, 1.0, 1.0],
            team_size=[1, 1],
            capacity=[2, 2],
            pinned=np.array([True, True, False]),
        )
    error = caught.value
    assert isinstance(error, InfeasibleError)
    assert error.edges == [0, 1]
    assert [(c.kind, c.index, c.limit, c.edges) for c in error.conflicts] == [
        ("team", 0, 1.0, (0, 1))
    ]
    assert "project 0 has a team size of 1 but pins 0, 1" in str(error)


def test_the_conflict_named_is_the_smallest_set_of_pins():
    # Five pins on a project of 2: any 3 of them conflict; the 3 first in edge order are named.
    # Person 1 pinned to 8 + 8 + 30 hours with 35: the two heaviest (38 h) already fail.
    with pytest.raises(PinConflictError) as caught:
        solve(
            [0, 0, 0, 0, 0, 1, 2, 3],
            [0, 2, 3, 4, 5, 1, 1, 1],
            [1.0] * 8,
            team_size=[2, 1, 1, 1],
            capacity=[1, 3, 1, 1, 1, 1],
            project_hours=[0.0, 8.0, 8.0, 30.0],
            person_hours=[40.0, 35.0, 40.0, 40.0, 40.0, 40.0],
            pinned=np.ones(8, dtype=bool),
        )
    team, hours = caught.value.conflicts
    assert (team.kind, team.edges) == ("team", (0, 1, 2))
    assert (hours.kind, hours.index, hours.limit, hours.need) == ("hours", 1, 35.0, 38.0)
    assert hours.edges == (5, 7)


def test_pins_beyond_a_persons_capacity_or_hours():
    with pytest.raises(PinConflictError) as caught:
        solve(
            [0, 1, 2, 0],
            [0, 0, 1, 2],
            [1.0] * 4,
            team_size=[3, 3, 3],
            capacity=[1, 3, 3],
            project_hours=[10.0, 10.0, 30.5],
            person_hours=[40.0, 30.0, 40.0],
            pinned=np.array([True, True, True, False]),
        )
    error = caught.value
    assert error.edges == [0, 1, 2]
    assert [(c.kind, c.index) for c in error.conflicts] == [("capacity", 0), ("hours", 1)]
    assert "person 0 takes at most 1 projects: pins 0, 1" in str(error)
    assert "person 1 has 30 hours a week, pins 2 need 30.5" in str(error)


# --- determinism ------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", [False, True])
def test_same_input_same_plan(hours: bool):
    instance = random_instance(11, n_projects=15, n_people=20, edges=120, hours=hours)
    first, second = instance.solve(), instance.solve()
    assert first.chosen.tobytes() == second.chosen.tobytes()
    assert (first.status, first.objective, first.bound, first.gap, first.method) == (
        second.status,
        second.objective,
        second.bound,
        second.gap,
        second.method,
    )


@pytest.mark.parametrize("hours", [False, True])
def test_edge_order_does_not_change_the_pairs_even_with_ties(hours: bool):
    instance = random_instance(5, n_projects=15, n_people=20, edges=120, hours=hours)
    tied = replace(instance, score=np.round(instance.score / 25) * 25)  # many equal scores
    for case in (instance, tied):
        shuffle = np.random.default_rng(1).permutation(len(case.project))
        shuffled = replace(
            case,
            project=case.project[shuffle],
            person=case.person[shuffle],
            score=case.score[shuffle],
        )
        plan, other = case.solve(), shuffled.solve()
        assert case.pairs(plan) == shuffled.pairs(other)
        assert plan.objective == other.objective


# --- scale ------------------------------------------------------------------------------------


@pytest.mark.parametrize("magnitude", [1e9, 1e12, 1e15])
def test_large_scores_keep_their_order(magnitude: float):
    rng = np.random.default_rng(3)
    scores = magnitude * rng.uniform(0.5, 1.0, size=(12, 12))
    project, person = (a.ravel() for a in np.indices(scores.shape))
    plan = solve(
        project, person, scores.ravel(), team_size=np.ones(12, int), capacity=np.ones(12, int)
    )
    rows, cols = linear_sum_assignment(scores, maximize=True)
    assert plan.objective == pytest.approx(scores[rows, cols].sum(), rel=1e-9)


def test_large_scores_with_hours_and_fill_first():
    instance = random_instance(2, n_projects=12, n_people=15, edges=80)
    huge = replace(instance, score=instance.score * 1e13)
    plan = huge.solve()
    assert_valid(huge, plan)
    assert plan.objective == pytest.approx(milp_optimum(huge), rel=1e-9)
    filled = replace(huge, fill_first=True).solve()
    assert_valid(huge, filled)
    assert len(filled.chosen) >= len(plan.chosen)


# --- time limit and bounds ---------------------------------------------------------------------


def test_a_cut_short_search_still_returns_a_valid_plan():
    instance = random_instance(4, n_projects=60, n_people=80, edges=900)
    plan = instance.solve(time_limit=1e-9)
    assert plan.method == "cp-sat"
    assert plan.status == "wall-clock"  # a nanosecond is up before CP-SAT starts
    assert plan.bound is not None and plan.bound >= milp_optimum(instance) - 1e-6
    assert_valid(instance, plan)
    assert plan.objective > 0


def test_fill_first_bound_is_only_given_when_the_place_count_is_proven():
    # Bonus 100 per pair, scores can pull a plan down by at most 30: with 3 pairs found, a
    # bound of 369 rules out 4 pairs (min value 370) and leaves 369 - 300 = 69 for the score.
    assert _score_bound(369.0, count=3, weight=100, floor=30) == 69
    assert _score_bound(370.0, count=3, weight=100, floor=30) is None
    assert _score_bound(55.0, count=3, weight=0, floor=0) == 55
    assert _score_bound(math.inf, count=3, weight=0, floor=0) is None


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"project": [0, 0], "person": [1, 1]}, "repeat the same"),
        ({"project": [0, 2]}, "outside 0..1"),
        ({"score": [1.0, np.nan]}, "not a finite number"),
        ({"team_size": [1, -1]}, "must not be negative"),
        ({"capacity": [1.5, 1]}, "whole numbers"),
        ({"pinned": [1, 0]}, "bool mask"),
        ({"person_hours": [-1.0, 5.0]}, "negative"),
        ({"score": [1.0]}, "1 entries for 2 edges"),
        ({"project_hours": [np.inf, 1.0]}, "infinite"),
        ({"time_limit": 0.0}, "time_limit must be positive"),
    ],
)
def test_malformed_input_is_rejected(change: dict, message: str):
    args = {
        "project": [0, 1],
        "person": [0, 1],
        "score": [1.0, 2.0],
        "team_size": [1, 1],
        "capacity": [1, 1],
    }
    with pytest.raises(ValueError, match=message):
        solve(**(args | change))


def test_no_edges_gives_an_empty_optimal_plan():
    plan = solve([], [], [], team_size=[2], capacity=[1])
    assert (plan.chosen.tolist(), plan.status, plan.objective, plan.gap) == (
        [],
        "optimal",
        0.0,
        0.0,
    )


# --- OR-Library -------------------------------------------------------------------------------


def read_dense(path: Path) -> np.ndarray:
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    assert len(tokens) == 1 + n * n
    return tokens[1:].reshape(n, n)


@pytest.mark.parametrize("fill_first", [True, False])
def test_orlib_assign100_reaches_the_published_optimum(fill_first: bool):
    """Beasley's assign100: minimum total cost 305 (see tests/data/orlib/README.md)."""
    costs = read_dense(ORLIB / "assign100.txt")
    n = len(costs)
    project, person = (a.ravel() for a in np.indices(costs.shape))
    # Either "fill every place, then least cost" on negated costs, or a plain maximisation of
    # 101 - cost: every score is positive on a complete graph, so the best plan is a full one.
    score = -costs.ravel() if fill_first else 101 - costs.ravel()
    plan = solve(
        project,
        person,
        score.astype(float),
        team_size=np.ones(n, int),
        capacity=np.ones(n, int),
        fill_first=fill_first,
    )
    assert len(plan.chosen) == n
    total_cost = int(costs.ravel()[plan.chosen].sum())
    assert total_cost == 305
    assert plan.status == "optimal"


# --- wall-clock limit, true bounds, fairness (issue 14) ----------------------------------------


def test_the_wall_clock_limit_holds_on_a_model_that_takes_longer():
    # Proven optimal in about 9 s on the development machine; stopped at 1 s it must return
    # within a second of the limit, presolve included, with a valid plan and a true bound.
    instance = random_instance(1, n_projects=600, n_people=1500, edges=15000)
    started = time.perf_counter()
    plan = instance.solve(time_limit=1.0)
    took = time.perf_counter() - started
    assert took < 2.0, took
    assert plan.status in ("wall-clock", "feasible") and plan.method == "cp-sat"
    assert_valid(instance, plan)
    assert plan.bound is not None and plan.gap is not None and plan.gap > 0


@pytest.mark.parametrize("limit", [0.2, 0.6])
def test_the_reported_bound_and_gap_are_true(limit: float):
    """The bound is never below the optimum (SciPy's MILP) nor above the hours-free LP
    relaxation (SciPy's LP), so the gap is never understated, as "gap 0.00%" was.

    The instance takes CP-SAT about 1.7 s to prove optimal on the development machine."""
    instance = random_instance(1, n_projects=300, n_people=600, edges=6000)
    plan = instance.solve(time_limit=limit)
    optimum = milp_optimum(instance)
    assert_valid(instance, plan)
    if plan.status == "optimal":  # a much faster machine: then it must be the optimum
        assert plan.objective == pytest.approx(optimum) and plan.gap == 0
        return
    assert plan.objective < optimum
    assert optimum <= plan.bound + 1e-6
    assert plan.bound <= lp_without_hours(instance) + len(instance.team_size) * 3 / 1000 + 1e-6
    true_gap = (optimum - plan.objective) / optimum
    assert plan.gap >= true_gap - 1e-9


def lp_without_hours(instance: Instance) -> float:
    """The LP relaxation without the hours rows (integral: a b-matching), by SciPy."""
    free = replace(instance, project_hours=None, person_hours=None)
    n = len(free.project)
    columns = np.arange(n)
    rows = vstack(
        [
            csr_array((np.ones(n), (free.project, columns)), shape=(len(free.team_size), n)),
            csr_array((np.ones(n), (free.person, columns)), shape=(len(free.capacity), n)),
        ]
    )
    limits = np.concatenate([free.team_size, free.capacity])
    result = milp(
        -free.score,
        constraints=LinearConstraint(rows, -np.inf, limits),
        integrality=np.zeros(n),
        bounds=Bounds(0, 1),
    )
    assert result.success
    return -result.fun


def test_fair_raises_the_lowest_project_score_and_says_what_it_costs():
    # Best total: A on P1 (100) and B on P2 (5) = 105, lowest project 5. Fair: B on P1 (50)
    # and A on P2 (45) = 95, lowest 45.
    fair = solve(
        [0, 0, 1, 1],
        [0, 1, 0, 1],
        [100.0, 50.0, 45.0, 5.0],
        team_size=[1, 1],
        capacity=[1, 1],
        fair=True,
    )
    assert fair.status == "optimal" and fair.method == "cp-sat"
    assert fair.chosen.tolist() == [1, 2] and fair.objective == 95.0
    assert fair.best_total is not None and fair.best_total.objective == 105.0
    assert fair.best_total.chosen.tolist() == [0, 3]


@given(small_instances())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fair_plans_keep_every_limit(instance: Instance):
    instance = replace(instance, fill_first=False)
    assume(brute_force(instance) is not None)  # pins that cannot hold are tested above
    plan = instance.solve(fair=True)
    assert_valid(instance, plan)
    assert plan.best_total is not None
    assert plan.objective <= plan.best_total.objective + 1e-9
