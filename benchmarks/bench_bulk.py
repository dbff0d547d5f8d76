"""Benchmark the bulk commands end to end: `assign` (weekly hours not binding), `report` and
`price` on a synthetic agency, with wall time and peak memory per command.

    python benchmarks/bench_bulk.py                       # 1,000 x 10,000 and 10,000 x 100,000
    python benchmarks/bench_bulk.py --size 1000x10000 --runs 3
    python benchmarks/bench_bulk.py --size 10000x100000 --commands price report

Each command runs as `python -m gigmatch ...` in its own process on files written by
`synthetic.write_agency(..., hours=False)` (projects ask no weekly hours, so `assign` is a
min-cost flow, as in issue 12's target). Figures printed per command: the median wall time
over `--runs`, the median CPU time (user + system: steadier than wall time when other work
shares the cores), the largest peak resident memory (ru_maxrss of the child), and the 1-minute
load average before the runs, since the machine may be shared. Issue 12's targets on a 2-core
machine at 10,000 x 100,000: assign <= 20 s; report and price <= 60 s and <= 2 GB each.
Not a timed test: run it by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_agency  # noqa: E402

COMMANDS = {
    "assign": ["assign", "{projects}", "{people}", "-o", "{out}/plan.csv"],
    "report": ["report", "{projects}", "{people}", "--as-of", "2026-01-01", "-o", "{out}/r.html"],
    "price": ["price", "{projects}", "{people}", "-o", "{out}/price.csv"],
}
DEFAULT_SIZES = ["1000x10000", "10000x100000"]


def size(text: str) -> tuple[int, int]:
    """'1000x10000' -> (1000, 10000)."""
    projects, _, people = text.lower().partition("x")
    return int(projects), int(people)


def run_once(argv: list[str]) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MiB, exit code, CPU seconds) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if process.stderr is not None:
        process.stderr.close()
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), cpu


def bench(folder: Path, n_projects: int, n_people: int, commands: list[str], runs: int) -> None:
    projects, people = write_agency(folder, n_projects, n_people, hours=False)
    print(f"{n_projects:,} projects x {n_people:,} people (weekly hours not binding), "
          f"{runs} run(s), median wall time, largest peak RSS")  # fmt: skip
    for name in commands:
        fields = {"projects": projects, "people": people, "out": folder}
        argv = [sys.executable, "-m", "gigmatch", *(a.format(**fields) for a in COMMANDS[name])]
        load = os.getloadavg()[0]
        results = [run_once(argv) for _ in range(runs)]
        wall = statistics.median(r[0] for r in results)
        peak = max(r[1] for r in results)
        cpu = statistics.median(r[3] for r in results)
        codes = sorted({r[2] for r in results})
        print(f"  {name:<7} {wall:8.2f} s wall  {cpu:8.2f} s CPU  peak {peak:7,.0f} MiB  "
              f"exit {codes}  (load {load:.1f} before)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", help="PROJECTSxPEOPLE (repeatable)")
    parser.add_argument("--commands", nargs="+", choices=list(COMMANDS), default=list(COMMANDS))
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    for text in args.size or DEFAULT_SIZES:
        n_projects, n_people = size(text)
        with tempfile.TemporaryDirectory() as folder:
            bench(Path(folder), n_projects, n_people, args.commands, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
