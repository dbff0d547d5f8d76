"""Benchmark `gigmatch match` end to end against the I/O floor of the same files.

Runs the real command in a fresh process on synthetic agencies whose skills are drawn from the
skill knowledge base as real exports write them (`realistic.py`: a Zipf-like head of everyday
skills, a long tail, `ReactJS`, `Search Engine Optimization (SEO)`, `Tableau Software`,
versions, typos), and prints per size the wall time, the peak memory (max RSS of the child),
the I/O floor measured in the same run (a fresh Python process that reads both inputs with
pandas and writes them back as CSV) and the ratio of the two. Also times `gigmatch --help`
and `--version`. gigmatch's bytecode is written first, as `pip install` does.

    python benchmarks/bench_match.py                    # 1,000 x 10,000, top 5
    python benchmarks/bench_match.py --size large       # 10,000 x 100,000, top 10
    python benchmarks/bench_match.py --scale            # 1k x 10k, 3k x 30k, 10k x 100k, top 10
    python benchmarks/bench_match.py --scale 1k 3k --text --repeat 1
    python benchmarks/bench_match.py --projects 200 --people 2000 --top 5
    python benchmarks/bench_match.py --vocabulary aliases   # the older alias-table vocabulary

`--text` adds description, headline and bio columns so the text component is scored too.
Times are the best of `--repeat` runs, `match` and the floor in turn, memory the largest; the
machine's load shows in both, so compare figures from one run (the ratio) rather than across
runs.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realistic  # noqa: E402
import synthetic  # noqa: E402

SIZES = {"small": (1_000, 10_000, 5), "large": (10_000, 100_000, 10)}
SCALE = {"1k": (1_000, 10_000), "3k": (3_000, 30_000), "10k": (10_000, 100_000)}
SCALE_TOP = 10
# issue 12's targets: (projects, people) -> (max seconds, max peak MiB, max ratio to the floor)
TARGETS = {(1_000, 10_000): (None, None, 2.5), (10_000, 100_000): (15.0, 1024.0, None)}

FLOOR = """\
import sys
import pandas as pd
for source, target in zip(sys.argv[1::2], sys.argv[2::2]):
    pd.read_csv(source).to_csv(target, index=False)
"""


@dataclass(frozen=True)
class Measured:
    seconds: float  # best of the runs
    peak: float  # MiB, largest of the runs


def compile_package() -> None:
    """Write gigmatch's bytecode first, as `pip install` does for an installed package: an
    editable checkout run with PYTHONDONTWRITEBYTECODE=1 (as on the development machine) would
    otherwise compile every module again at each start and count that as the command's time.
    (pandas, the floor's only import, is installed with its bytecode.)"""
    spec = importlib.util.find_spec("gigmatch")
    if spec is not None and spec.submodule_search_locations:
        compileall.compile_dir(spec.submodule_search_locations[0], quiet=1)


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, _, usage = _wait(process)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        error = process.stderr.read().decode(errors="replace") if process.stderr else ""
        sys.exit(f"command failed ({process.returncode}): {' '.join(args)}\n{error}")
    return seconds, usage.ru_maxrss / 1024


def _wait(process: subprocess.Popen) -> tuple[int, int, resource.struct_rusage]:
    pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return pid, status, usage


def measure_pair(args: list[str], floor_args: list[str], repeat: int) -> tuple[Measured, ...]:
    """A command and its floor, each the best time and largest peak of `repeat` runs, the
    runs alternated (command, floor, command, ...): on a shared machine whose speed drifts
    over a minute, all runs of one then all of the other would put the drift into the ratio,
    in either direction."""
    runs = [(run(args), run(floor_args)) for _ in range(repeat)]
    return tuple(
        Measured(min(pair[i][0] for pair in runs), max(pair[i][1] for pair in runs)) for i in (0, 1)
    )


def write_files(folder: Path, n_projects: int, n_people: int, options) -> tuple[Path, Path, str]:
    """The agency's two files and a note on its vocabulary."""
    if options.vocabulary == "aliases":
        projects, people = synthetic.write_agency(folder, n_projects, n_people)
        return projects, people, "alias-table vocabulary"
    projects, people, spellings = realistic.write_agency(
        folder, n_projects, n_people, text=options.text
    )
    return projects, people, f"{spellings:,} distinct skill spellings"


def bench_size(n_projects: int, n_people: int, top: int, options) -> tuple[Measured, Measured]:
    """Generate one agency, time `match` and the floor on it, print one line."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        start = time.perf_counter()
        projects, people, vocabulary = write_files(folder, n_projects, n_people, options)
        print(f"{n_projects:,} projects x {n_people:,} people: generated in "
              f"{time.perf_counter() - start:.1f} s, {vocabulary}"
              + (", with text columns" if options.text else ""), flush=True)  # fmt: skip
        out = folder / "ranked.csv"
        command = [sys.executable, "-m", "gigmatch", "match", str(projects), str(people)]
        command += ["--top", str(top), "--quiet", "-o", str(out)]
        floor_command = [sys.executable, "-c", FLOOR, str(projects), str(folder / "p.csv")]
        floor_command += [str(people), str(folder / "f.csv")]
        match, floor = measure_pair(command, floor_command, options.repeat)
        rows = sum(1 for _ in out.open(encoding="utf-8")) - 1
    ratio = match.seconds / floor.seconds
    print(f"  match --top {top}: {match.seconds:.2f} s, peak {match.peak:,.0f} MiB, "
          f"{rows:,} rows | floor {floor.seconds:.2f} s, peak {floor.peak:,.0f} MiB | "
          f"ratio {ratio:.1f}x  (best of {options.repeat} each, runs alternated)",
          flush=True)  # fmt: skip
    verdict(n_projects, n_people, match, ratio)
    return match, floor


def verdict(n_projects: int, n_people: int, match: Measured, ratio: float) -> None:
    """Issue 12's targets for this size, when it has any."""
    seconds, peak, most = TARGETS.get((n_projects, n_people), (None, None, None))
    checks = []
    if seconds is not None:
        checks.append((f"<= {seconds:.0f} s", match.seconds <= seconds))
    if peak is not None:
        checks.append((f"peak <= {peak:,.0f} MiB", match.peak <= peak))
    if most is not None:
        checks.append((f"<= {most}x the floor", ratio <= most))
    for label, ok in checks:
        print(f"  target {label}: {'meets' if ok else 'MISSES'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--projects", type=int)
    parser.add_argument("--people", type=int)
    parser.add_argument("--top", type=int)
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    parser.add_argument(
        "--scale",
        nargs="*",
        choices=SCALE,
        help="the series 1k x 10k, 3k x 30k, 10k x 100k (top 10), or the sizes named",
    )
    parser.add_argument("--text", action="store_true", help="add description/headline/bio")
    parser.add_argument("--vocabulary", choices=("kb", "aliases"), default="kb")
    options = parser.parse_args()
    compile_package()
    if options.scale is not None:
        for label in options.scale or list(SCALE):
            n_projects, n_people = SCALE[label]
            bench_size(n_projects, n_people, options.top or SCALE_TOP, options)
    else:
        n_projects, n_people, top = SIZES[options.size]
        n_projects, n_people = options.projects or n_projects, options.people or n_people
        bench_size(n_projects, n_people, options.top if options.top is not None else top, options)
    for flag in ("--help", "--version"):
        times = sorted(run([sys.executable, "-m", "gigmatch", flag])[0] for _ in range(5))
        print(f"gigmatch {flag}: {times[0]:.3f} s best, {times[2]:.3f} s median of 5")


if __name__ == "__main__":
    main()
