"""Benchmark `gigmatch match` end to end: reading, scoring, ranking and writing.

Runs the real command in a subprocess on synthetic agencies and prints wall time and peak memory
(max RSS of the child). Also times `gigmatch --help` and `--version`.

    python benchmarks/bench_match.py                    # 1,000 x 10,000, top 5
    python benchmarks/bench_match.py --size large       # 10,000 x 100,000, top 10
    python benchmarks/bench_match.py --projects 200 --people 2000 --top 5
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_agency  # noqa: E402

SIZES = {"small": (1_000, 10_000, 5), "large": (10_000, 100_000, 10)}
TARGETS = {"small": 5.0, "large": 60.0}


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, _, usage = _wait(process)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"command failed ({process.returncode}): {' '.join(args)}")
    return seconds, usage.ru_maxrss / 1024


def _wait(process: subprocess.Popen) -> tuple[int, int, resource.struct_rusage]:
    pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return pid, status, usage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--projects", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--top", type=int)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    n_projects, n_people, top = SIZES[args.size]
    n_projects, n_people = args.projects or n_projects, args.people or n_people
    top = args.top if args.top is not None else top
    gigmatch = [sys.executable, "-m", "gigmatch"]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        projects, people = write_agency(Path(folder), n_projects, n_people)
        print(f"generated {n_projects:,} projects x {n_people:,} people "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        out = Path(folder) / "ranked.csv"
        command = [*gigmatch, "match", str(projects), str(people), "--top", str(top)]
        command += ["-o", str(out)]
        runs = [run(command) for _ in range(args.repeat)]
        seconds, peak = min(r[0] for r in runs), max(r[1] for r in runs)
        rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
        print(f"match --top {top}: {seconds:.2f} s wall (best of {args.repeat}), "
              f"peak RSS {peak:,.0f} MiB, {rows:,} rows written")  # fmt: skip
        if args.size in TARGETS and not (args.projects or args.people):
            verdict = "meets" if seconds < TARGETS[args.size] else "MISSES"
            print(f"target < {TARGETS[args.size]:.0f} s: {verdict}")
    for flag in ("--help", "--version"):
        best = min(run([sys.executable, "-m", "gigmatch", flag])[0] for _ in range(5))
        print(f"gigmatch {flag}: {best:.3f} s (best of 5)")


if __name__ == "__main__":
    main()
