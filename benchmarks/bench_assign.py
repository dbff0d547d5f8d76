"""Benchmark `gigmatch assign`: the solver on large synthetic instances and OR-Library, and the
whole command on a synthetic agency.

    python benchmarks/bench_assign.py            # solver: 10,000 projects x 100,000 people, top 50
    python benchmarks/bench_assign.py --hours --projects 1000 --people 10000 --top 30
    python benchmarks/bench_assign.py --orlib ../shared/data/assignment
    python benchmarks/bench_assign.py --command --projects 1000 --people 10000   # end to end
    python benchmarks/bench_assign.py --command --projects 3000 --people 30000 --time-limit 5
        # the whole command with hours binding and a wall-clock time limit (issue 14)

The synthetic instance: each project has `--top` distinct candidates (its "top N" list), scores
with one decimal in 20-100, team sizes and capacities 1-3; with `--hours`, projects need 5-40
hours a week per place and people have 10-60, which makes CP-SAT do the work. Figures printed:
build time, solve time (end to end through `solve`, validation included), peak resident memory
(ru_maxrss, the whole process) and the plan's summary. With `--command`, the synthetic agency's
weekly hours bind (projects need 5-40 hours a place, people have 5-40), so CP-SAT runs; the
figures are the command's wall time, the `--time-limit` given, peak memory and `assign`'s own
summary sentence (which says whether the limit stopped the search). Not a timed test: run it by
hand.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

from gigmatch.plan.solver import Plan, solve

ORLIB = {  # instance -> published minimum total cost (OR-Library assignopt.txt)
    "assign800.txt": 1552,
    "assignp800.txt": 2239,
    "assignp5000.txt": 48533,
}


def distinct_candidates(rng: np.random.Generator, projects: int, people: int, top: int):
    """`top` distinct people per project, drawn uniformly; redraws repeats until none are left."""
    if top > people:
        raise SystemExit("--top cannot exceed --people")
    pick = np.sort(rng.integers(0, people, size=(projects, top)), axis=1)
    while True:
        repeat = np.zeros_like(pick, dtype=bool)
        repeat[:, 1:] = pick[:, 1:] == pick[:, :-1]
        if not repeat.any():
            return pick
        pick[repeat] = rng.integers(0, people, size=int(repeat.sum()))
        pick.sort(axis=1)


def synthetic(args: argparse.Namespace) -> dict:
    rng = np.random.default_rng(args.seed)
    pick = distinct_candidates(rng, args.projects, args.people, args.top)
    problem = {
        "project": np.repeat(np.arange(args.projects), args.top),
        "person": pick.ravel(),
        "score": np.round(rng.uniform(20.0, 100.0, size=pick.size), 1),
        "team_size": rng.integers(1, 4, size=args.projects),
        "capacity": rng.integers(1, 4, size=args.people),
    }
    if args.hours:
        problem["project_hours"] = rng.integers(1, 9, size=args.projects) * 5.0
        problem["person_hours"] = rng.integers(2, 13, size=args.people) * 5.0
    return problem


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_solve(problem: dict, **options) -> tuple[Plan, float]:
    started = time.perf_counter()
    plan = solve(**problem, **options)
    return plan, time.perf_counter() - started


def describe(plan: Plan) -> str:
    bound = "-" if plan.bound is None else f"{plan.bound:.1f}"
    gap = "-" if plan.gap is None else f"{plan.gap:.2%}"
    return (
        f"{len(plan.chosen)} pairs, score {plan.objective:.1f}, {plan.status} "
        f"(bound {bound}, gap {gap}) by {plan.method}"
    )


def run_synthetic(args: argparse.Namespace) -> None:
    before = peak_mib()
    started = time.perf_counter()
    problem = synthetic(args)
    built = time.perf_counter() - started
    edges = len(problem["project"])
    print(f"instance: {args.projects} projects x {args.people} people, {edges} edges")
    print(f"build: {built:.2f} s, peak memory {peak_mib():.0f} MiB (start {before:.0f} MiB)")
    plan, took = timed_solve(problem, fill_first=args.fill_first, time_limit=args.time_limit)
    print(f"solve: {took:.2f} s, peak memory {peak_mib():.0f} MiB")
    print(f"plan: {describe(plan)}")


def read_orlib(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(row, column, cost, n) from a dense (n, then n*n costs) or sparse (n, then i j c) file."""
    tokens = np.array(path.read_text().split(), dtype=np.int64)
    n, rest = int(tokens[0]), tokens[1:]
    if len(rest) == n * n:
        row, col = np.divmod(np.arange(n * n), n)
        return row, col, rest, n
    triples = rest.reshape(-1, 3)
    return triples[:, 0] - 1, triples[:, 1] - 1, triples[:, 2], n


def run_orlib(folder: Path) -> bool:
    """Solve each instance as 'fill every place, then least cost' and check the optimum."""
    ok = True
    for name, optimum in ORLIB.items():
        row, col, cost, n = read_orlib(folder / name)
        ones = np.ones(n, dtype=np.int64)
        problem = {"project": row, "person": col, "score": -cost.astype(float)}
        plan, took = timed_solve(problem, team_size=ones, capacity=ones, fill_first=True)
        total = int(round(-plan.objective))
        good = total == optimum and len(plan.chosen) == n
        ok &= good
        print(
            f"{name}: n={n}, {len(row)} edges, {took:.2f} s, cost {total} "
            f"(published {optimum}) {'OK' if good else 'MISMATCH'}, peak {peak_mib():.0f} MiB"
        )
    return ok


def run_command(args: argparse.Namespace) -> None:
    """`gigmatch assign` in a subprocess on a synthetic agency: read, score, solve, write."""
    import os
    import subprocess
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from synthetic import write_agency

    with tempfile.TemporaryDirectory() as folder:
        projects, people = write_agency(Path(folder), args.projects, args.people, seed=args.seed)
        out = Path(folder) / "plan.json"
        command = [sys.executable, "-m", "gigmatch", "assign", str(projects), str(people)]
        command += [
            "--candidates",
            str(args.top),
            "-o",
            str(out),
            "--time-limit",
            str(args.time_limit),
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        summary = process.stderr.read().strip().splitlines()[-1] if process.stderr else ""
        print(f"gigmatch assign {args.projects:,} x {args.people:,}, --candidates {args.top}, "
              f"hours binding, --time-limit {args.time_limit:g}: {seconds:.2f} s wall, peak RSS "
              f"{usage.ru_maxrss / 1024:,.0f} MiB, exit "
              f"{os.waitstatus_to_exitcode(status)}")  # fmt: skip
        print(f"  {summary}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=50, help="candidates per project")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hours", action="store_true", help="add hours (solved with CP-SAT)")
    parser.add_argument("--fill-first", action="store_true")
    parser.add_argument(
        "--time-limit", type=float, default=30.0, help="wall-clock + deterministic s"
    )
    parser.add_argument("--orlib", type=Path, help="folder with the OR-Library assign files")
    parser.add_argument("--command", action="store_true", help="time the whole CLI command")
    args = parser.parse_args(argv)
    if args.orlib:
        return 0 if run_orlib(args.orlib) else 1
    if args.command:
        run_command(args)
        return 0
    run_synthetic(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
