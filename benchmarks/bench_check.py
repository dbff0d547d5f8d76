"""Benchmark `gigmatch check` on a large pool with planted duplicates.

Writes a synthetic agency (projects from `synthetic.write_agency`, people with realistic names
and emails), plants near-duplicate people (a typo in the first name, same skills, new email)
and same-email duplicates (email in another case, different name), runs the real command in a
subprocess and prints wall time, peak memory and how many planted duplicates were found.

    python benchmarks/bench_check.py                    # 1,000 projects, 100,000 people
    python benchmarks/bench_check.py --people 20000 --planted 100

Also times `gigmatch skills` (vocabulary and alias suggestions) on the same files.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import ZONES, _cells, spellings, write_agency  # noqa: E402

FIRST = """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew
Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua
Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah Timothy Stephanie Ronald Rebecca
Jason Sharon Edward Laura Jeffrey Cynthia Ryan Amy Jacob Kathleen Gary Angela Nicholas Shirley
Eric Brenda Jonathan Emma Stephen Anna Larry Pamela Justin Nicole Scott Samantha Brandon Katherine
Benjamin Christine Samuel Helen Gregory Debra Alexander Rachel Patrick Carolyn Frank Janet Raymond
Maria Jack Catherine Dennis Heather Jerry Diane Tyler Olivia Aaron Julie Jose Joyce Adam Victoria
Nathan Ruth Henry Virginia Zachary Lauren Douglas Kelly Peter Christina Kyle Joan Noah Evelyn
Ethan Judith Jeremy Andrea Walter Hannah Christian Megan Keith Cheryl Roger Jacqueline Terry
Martha Austin Madison Sean Teresa Gerald Gloria Carl Sara Harold Janice Dylan Ann Arthur Kathryn
Lawrence Abigail Jordan Sophia Jesse Frances Bryan Jean Billy Alice Bruce Judy Gabriel Isabella
Joe Julia Logan Grace Alan Amber Juan Denise Albert Danielle Willie Marilyn Elijah Beverly Wayne
Charlotte Randy Natalie Vincent Theresa Mason Diana Roy Brittany Ralph Doris Bobby Kayla Russell
Alexis Bradley Lori Philip Marie Eugene""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans
Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez
Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks
Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers
Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson
Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds
Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens
Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells
Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon
Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd
Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens
Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen
Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley
Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras
Willis Carpenter Lawrence Sandoval""".split()


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command; exit 6 (problems found) is a success."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 6):
        sys.exit(f"command failed ({code}): {' '.join(args)}\n{process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def _wordy(skill: str) -> str:
    """`Niche Skill 597` -> `Niche Qzvhtkre`: a trailing number reads as a version, so every
    niche skill of `synthetic` normalises to one key; a made-up word per number keeps them apart
    (and, unlike `Niche Skill abc`, not mutually alike)."""
    head, _, number = skill.rpartition(" ")
    if not head.lower().startswith("niche") or not number.isdigit():
        return skill
    letters = np.random.default_rng(int(number)).choice(list("abcdefghijklmnopqrstuvwxyz"), 8)
    word = "".join(letters)
    return f"{head.split()[0]} {word.capitalize() if head[0].isupper() else word}"


def write_people(path: Path, n: int, planted: int, seed: int = 11) -> int:
    """People with real-looking names; the last `2 * planted` rows are planted duplicates."""
    rng = np.random.default_rng(seed)
    groups, weights = spellings(rng)
    groups = [[_wordy(v) for v in variants] for variants in groups]
    base = n - 2 * planted
    first = rng.choice(FIRST, base)
    last = rng.choice(LAST, base)
    skills = _cells(rng, groups, weights, base, 3, 8, True)
    rows = [
        [f"F{i:07d}", f"{first[i]} {last[i]}", skills[i], int(rng.integers(20, 160)),
         int(rng.integers(5, 41)), ZONES[i % len(ZONES)], f"{first[i]}.{last[i]}{i}@example.com"]
        for i in range(base)
    ]  # fmt: skip
    for k, source in enumerate(rng.choice(base, 2 * planted, replace=False)):
        copy = list(rows[source])
        copy[0] = f"F{base + k:07d}"
        if k < planted:  # a typo in the first name, a new email
            name = str(first[source])
            cut = int(rng.integers(1, len(name)))
            copy[1] = f"{name[:cut]}{name[cut + 1 :]} {last[source]}"
            copy[6] = f"{name.lower()}{k}@mail.example"
        else:  # the same email in another case, a different name and skills
            copy[1], copy[2] = (
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                skills[int(rng.integers(base))],
            )
            copy[6] = copy[6].upper()
        rows.append(copy)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "skills", "rate", "hours", "timezone", "email"])
        out.writerows(rows)
    return 2 * planted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1_000)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--planted", type=int, default=500, help="duplicates of each kind")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        projects, _ = write_agency(Path(folder), args.projects, 10)
        people = Path(folder) / "people.csv"
        planted = write_people(people, args.people, args.planted)
        took = time.perf_counter() - start
        print(f"generated {args.projects:,} projects x {args.people:,} people "
              f"({planted:,} planted duplicates) in {took:.1f} s")  # fmt: skip
        out = Path(folder) / "problems.csv"
        command = [sys.executable, "-m", "gigmatch", "check", str(projects), str(people)]
        runs = [run([*command, "-o", str(out)]) for _ in range(args.repeat)]
        seconds, peak = min(r[0] for r in runs), max(r[1] for r in runs)
        with out.open(encoding="utf-8") as handle:
            found = [r for r in csv.DictReader(handle) if r["code"] == "likely-duplicate-person"]
        rows = {int(r["row"]) for r in found}
        first_planted = args.people - planted + 2  # spreadsheet row of the first planted one
        hit = sum(1 for r in rows if r >= first_planted)
        print(f"check: {seconds:.2f} s wall (best of {args.repeat}), peak RSS {peak:,.0f} MiB")
        print(
            f"likely-duplicate-person: {len(found):,} reported, {hit:,} of {planted:,} "
            f"planted found ({hit / max(planted, 1):.1%}), "
            f"{len(found) - hit:,} among the generated rows"
        )
        skills = [sys.executable, "-m", "gigmatch", "skills", str(projects), str(people)]
        seconds = min(run([*skills, "-o", str(Path(folder) / "skills.csv")])[0] for _ in runs)
        print(f"skills: {seconds:.2f} s wall (best of {args.repeat})")


if __name__ == "__main__":
    main()
