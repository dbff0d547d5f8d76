"""Peak memory of every command on hostile inputs a user can make by accident (issue 12).

Each case writes its input files (all under 50 MB), runs the real `gigmatch` command in a
subprocess and prints its wall time, peak resident memory (the child's own rusage, from
`os.wait4`) and whether it stayed under the 2 GB limit. A run whose memory passes the guard
(3 GB by default) is killed and fails, so a regression cannot take the machine down.

    python benchmarks/bench_memory.py                 # every case
    python benchmarks/bench_memory.py --case tune     # cases whose name contains "tune"
    python benchmarks/bench_memory.py --keep /tmp/h   # keep the generated files there

The exit status is 1 when any case failed (over the limit, killed, or an exit code other than
the ones the case allows), 0 otherwise. Figures, not a timed test.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LIMIT_MB = 2048
KNOWN = [
    "Python",
    "React",
    "JavaScript",
    "Django",
    "PostgreSQL",
    "TypeScript",
    "Docker",
    "Kubernetes",
    "Java",
    "Tableau",
    "Figma",
    "Photoshop",
    "Excel",
    "Node.js",
    "Vue",
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Case:
    """One hostile input and the commands run on it (argv after `gigmatch`, with file names
    relative to the case's folder); `ok` are the exit codes that count as handled."""

    name: str
    what: str
    write: Callable[[Path], None]
    commands: list[list[str]]
    ok: tuple[int, ...] = (0,)


def _rows(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


def _word(rng: random.Random, low: int = 5, high: int = 10) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(low, high)))


def hostile_spelling(rng: random.Random, i: int) -> str:
    """One of four kinds of spelling nobody cleaned: an unknown word or two, a typo of a known
    skill, a known product with a long version, a known skill with words around it."""
    kind = i % 4
    name = rng.choice(KNOWN)
    if kind == 0:
        return " ".join(_word(rng).capitalize() for _ in range(rng.randint(1, 2)))
    if kind == 1:
        at = rng.randrange(len(name))
        return name[:at] + rng.choice(LETTERS) + name[at + 1 :] + _word(rng, 0, 3)
    if kind == 2:
        return f"{name} {i % 97}.{i // 97 % 89}.{i // 8633}"
    return f"{name} {_word(rng)} {i}"


def distinct(make: Callable[[random.Random, int], str], n: int, seed: int = 12) -> list[str]:
    rng, out, i = random.Random(seed), {}, 0
    while len(out) < n:
        out.setdefault(make(rng, i), None)
        i += 1
    return list(out)


def write_spellings(folder: Path, make=hostile_spelling, n: int = 50_000) -> None:
    """10,000 people with 5 spellings each and 1,000 projects with 3: 50,000 distinct in all."""
    words = distinct(make, n)
    people = [[f"F-{i}", f"Person {i}", "; ".join(words[(i * 5 + j) % n] for j in range(5)),
               50 + i % 50, 40, 4.5, 10, "UTC"] for i in range(n // 5)]  # fmt: skip
    _rows(folder / "people.csv", ["id", "name", "skills", "rate", "hours", "rating", "reviews",
                                  "timezone"], people)  # fmt: skip
    projects = [[f"P-{i}", f"Project {i}", "; ".join(words[(i * 53 + j * 7) % n] for j in range(3)),
                 80, 20, 1, "UTC"] for i in range(n // 50)]  # fmt: skip
    _rows(folder / "projects.csv", ["id", "title", "skills", "budget", "hours", "team_size",
                                    "timezone"], projects)  # fmt: skip


def write_versions(folder: Path) -> None:
    """50,000 distinct versions of 15 products ("Python 3.12.4471")."""

    def version(rng: random.Random, i: int) -> str:
        return f"{KNOWN[i % len(KNOWN)]} {i % 7}.{i // 7 % 50}.{i // 350}"

    write_spellings(folder, version)


def _small_agency(folder: Path, n_people: int = 50, n_projects: int = 20) -> None:
    rng = random.Random(3)
    people = [[f"F-{i}", f"Person {i}", "; ".join(rng.sample(KNOWN, 4)), 40 + i, 30, 4.6, 12,
               "UTC", 2] for i in range(n_people)]  # fmt: skip
    _rows(folder / "people.csv", ["id", "name", "skills", "rate", "hours", "rating", "reviews",
                                  "timezone", "capacity"], people)  # fmt: skip
    projects = [[f"P-{i}", f"Project {i}", "; ".join(rng.sample(KNOWN, 3)), 90, 20, 1, "UTC",
                 f"Client {i % 5}"] for i in range(n_projects)]  # fmt: skip
    _rows(folder / "projects.csv", ["id", "title", "skills", "budget", "hours", "team_size",
                                    "timezone", "client"], projects)  # fmt: skip


def write_one_person_history(folder: Path, n: int = 10_000) -> None:
    """10,000 rated history rows of one person (plus 40 rows of others), one a day."""
    _small_agency(folder)
    rng = random.Random(5)
    rows = []
    for i in range(n):
        day = f"{1995 + i // 360:04d}-{1 + i // 30 % 12:02d}-{1 + i % 28:02d}"
        rows.append(["F-1", f"H-{i}", day, rng.choice([3.5, 4.0, 4.5, 5.0]),
                     rng.choice(["yes", "no"]), "; ".join(rng.sample(KNOWN, 2)),
                     f"Client {i % 7}", 20])  # fmt: skip
    for i in range(40):
        rows.append([f"F-{2 + i}", f"G-{i}", f"2020-{1 + i % 12:02d}-10", 4.0 + i % 2 / 2, "yes",
                     "; ".join(rng.sample(KNOWN, 2)), f"Client {i % 7}", 20])  # fmt: skip
    _rows(folder / "history.csv", ["person_id", "project_id", "date", "rating", "on_time",
                                   "skills", "client", "hours"], rows)  # fmt: skip


def write_long_span(folder: Path) -> None:
    """A history whose dates run from 1900 to 2199, the widest span the readers accept (the
    years 1 and 9999 are refused when read, exit 3): 15,600 weeks of calendar, 10,000 skills."""
    _small_agency(folder)
    rng = random.Random(6)
    days = ["1900-01-01", "2199-12-31"]
    days += [f"{rng.randint(1901, 2198)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
             for _ in range(20_000)]  # fmt: skip
    words = distinct(hostile_spelling, 10_000)
    rows = [[f"F-{i % 50}", f"H-{i}", d, rng.choice([4.0, 5.0]), "yes",
             "; ".join(rng.sample(words, 3)), "C", 10] for i, d in enumerate(days)]  # fmt: skip
    _rows(folder / "history.csv", ["person_id", "project_id", "date", "rating", "on_time",
                                   "skills", "client", "hours"], rows)  # fmt: skip


def write_huge_values(folder: Path) -> None:
    """The largest values the readers accept, on one row each: a rate and a budget of
    1,000,000 an hour, 168 hours a week. (A rate of 1e8 is refused when read: exit 3.)"""
    _small_agency(folder)
    for name, changes in (
        ("people.csv", {3: "1000000", 4: "168"}),
        ("projects.csv", {3: "1000000", 4: "168"}),
    ):
        lines = (folder / name).read_text().splitlines()
        cells = lines[1].split(",")
        for at, value in changes.items():
            cells[at] = value
        lines[1] = ",".join(cells)
        (folder / name).write_text("\n".join(lines) + "\n")


def write_wide_cells(folder: Path) -> None:
    """A project requiring 10,000 skills and a person offering 10,000 in one cell, in a pool of
    2,000 people; plus 990 extra columns on every row (a header over 1,000 is refused)."""
    words = distinct(hostile_spelling, 20_000)
    extra = [f"x{i}" for i in range(990)]
    people = [[f"F-{i}", f"Person {i}", "; ".join(KNOWN[i % 15 : i % 15 + 3]), 60, 40, "UTC",
               *["1"] * len(extra)] for i in range(2_000)]  # fmt: skip
    people[0][2] = "; ".join(words[:10_000])
    _rows(folder / "people.csv", ["id", "name", "skills", "rate", "hours", "timezone", *extra],
          people)  # fmt: skip
    projects = [[f"P-{i}", f"Project {i}", "; ".join(KNOWN[i % 12 : i % 12 + 3]), 80, 20]
                for i in range(200)]  # fmt: skip
    projects[0][2] = "; ".join(words[10_000:])
    _rows(folder / "projects.csv", ["id", "title", "skills", "budget", "hours"], projects)


def write_long_text(folder: Path) -> None:
    """2,000 people with a 10 KB bio each and 200 projects with a 20 KB description (25 MB)."""
    rng = random.Random(8)
    vocab = [_word(rng, 3, 9) for _ in range(50_000)] + [k.lower() for k in KNOWN]

    def text(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n))

    people = [[f"F-{i}", f"Person {i}", "; ".join(rng.sample(KNOWN, 3)), 60, 40, text(1_500)]
              for i in range(2_000)]  # fmt: skip
    _rows(folder / "people.csv", ["id", "name", "skills", "rate", "hours", "bio"], people)
    projects = [[f"P-{i}", f"Project {i}", "; ".join(rng.sample(KNOWN, 3)), 80, 20, text(3_000)]
                for i in range(200)]  # fmt: skip
    _rows(folder / "projects.csv", ["id", "title", "skills", "budget", "hours", "description"],
          projects)  # fmt: skip


PAIR = ["projects.csv", "people.csv"]
CASES = [
    Case("spellings", "50,000 distinct skill spellings", write_spellings,
         [["match", *PAIR, "-o", "out.csv"], ["check", *PAIR], ["skills", *PAIR],
          ["price", *PAIR], ["report", *PAIR, "-o", "report.html"],
          ["assign", *PAIR, "-o", "plan.csv"]], (0, 6)),
    Case("versions", "50,000 distinct versions of 15 products", write_versions,
         [["match", *PAIR, "-o", "out.csv"], ["check", *PAIR], ["skills", *PAIR]], (0, 6)),
    Case("tune-one-person", "10,000 history rows of one person", write_one_person_history,
         [["tune", "history.csv", "-P", "people.csv", "--as-of", "2030-01-01"],
          ["match", *PAIR, "--history", "history.csv", "--as-of", "2030-01-01", "-o", "h.csv"]]),
    Case("forecast-span", "history dated from 1900 to 2199", write_long_span,
         [["forecast", "history.csv", "--by", "week"], ["forecast", "history.csv"],
          ["tune", "history.csv", "-P", "people.csv", "--as-of", "2030-01-01"]]),
    Case("huge-values", "a rate and a budget of 1e6, 168 hours", write_huge_values,
         [["report", *PAIR, "-o", "report.html"], ["price", *PAIR], ["check", *PAIR],
          ["assign", *PAIR, "-o", "plan.csv"]], (0, 3, 6)),
    Case("wide-cells", "10,000 skills in one cell, 1,000 columns", write_wide_cells,
         [["match", *PAIR, "-o", "out.csv"], ["check", *PAIR], ["skills", *PAIR],
          ["explain", *PAIR, "P-0", "F-0"], ["report", *PAIR, "-o", "report.html"]], (0, 6)),
    Case("long-text", "25 MB of bios and descriptions", write_long_text,
         [["match", *PAIR, "-o", "out.csv"], ["explain", *PAIR, "P-0", "F-0"]]),
]  # fmt: skip


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run(argv: list[str], folder: Path, guard_mb: float, timeout: float) -> tuple[int, float, float]:
    """(exit status, wall seconds, peak RSS in MB) of one command; killed above `guard_mb`."""
    exe = Path(sys.executable).with_name("gigmatch")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "gigmatch"]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*command, *argv], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.05):
            if _rss_mb(proc.pid) > guard_mb or time.perf_counter() - start > timeout:
                proc.kill()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    stop.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode not in (0,):
        print("   ", err.decode(errors="replace").strip()[-300:], file=sys.stderr)
    return proc.returncode, wall, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", default="", help="run only cases whose name contains this")
    parser.add_argument("--keep", type=Path, help="write the inputs into this folder")
    parser.add_argument("--guard", type=float, default=3072, help="kill a run above this (MB)")
    parser.add_argument("--timeout", type=float, default=600, help="kill a run after (s)")
    args = parser.parse_args()
    failed = 0
    print(f"{'case':<16} {'command':<10} {'input MB':>8} {'exit':>5} {'wall s':>8} "
          f"{'peak MB':>8}  verdict")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            if args.case not in case.name:
                continue
            folder = (args.keep or Path(tmp)) / case.name
            folder.mkdir(parents=True, exist_ok=True)
            case.write(folder)
            size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 2**20
            assert size < 50, f"{case.name}: input is {size:.1f} MB"
            for argv in case.commands:
                code, wall, peak = run(argv, folder, args.guard, args.timeout)
                ok = code in case.ok and peak < LIMIT_MB
                failed += not ok
                verdict = "pass" if ok else ("FAIL killed" if code < 0 else "FAIL")
                print(f"{case.name:<16} {argv[0]:<10} {size:8.1f} {code:5d} {wall:8.1f} "
                      f"{peak:8.0f}  {verdict}", flush=True)  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
