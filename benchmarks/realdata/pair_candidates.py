"""List candidate skill-spelling pairs from the real exports, for a person to label.

Two sources of candidates, both between a spelling seen in the job posts and one seen in the
profiles: pairs that differ only by filler words, case, punctuation or a trailing "(ACRONYM)"
(mostly the same skill), and pairs with a high string-similarity ratio (many of them different
skills: Qualitative/Quantitative Research). Labels are never computed: the printed list is the
starting point of a hand-labelled ``skill_pairs.csv`` (a, b, label = same | different).

Usage::

    python benchmarks/realdata/pair_candidates.py [--raw /work/realdata/raw] [--min-ratio 82]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

FILLER = {"software", "programming", "development", "developer", "framework", "microsoft"}


def vocabularies(raw: Path) -> tuple[set[str], set[str]]:
    """Skill spellings of the job posts (both job exports) and of the profiles."""
    jobs: set[str] = set()
    for post in json.loads((raw / "upwork_jobs_2023_raufh10.json").read_text(encoding="utf-8")):
        jobs.update(post["skills"])
    with (raw / "upwork_jobs_2025_kadiroruc.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):  # "+3" marks skills the listing page cut off
            jobs.update(s for s in (rec["Skills"] or "").split(", ") if s and s[0] != "+")
    people: set[str] = set()
    for name in ("upwork_profiles_2018_basics500.csv", "upwork_profiles_2018_basics1.csv"):
        with (raw / name).open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                if rec["skills"]:
                    people.update(ast.literal_eval(rec["skills"]))
    return jobs, people


def key(spelling: str) -> str:
    """Lower case, no "(...)", no punctuation, no filler words."""
    words = re.sub(r"[^a-z0-9+#]+", " ", re.sub(r"\(.*?\)", "", spelling.lower())).split()
    return " ".join(w for w in words if w not in FILLER)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=Path("/work/realdata/raw"))
    ap.add_argument("--min-ratio", type=float, default=82)
    a = ap.parse_args()
    jobs, people = vocabularies(a.raw)
    by_key = defaultdict(set)
    for s in people:
        by_key[key(s)].add(s)
    print("# same key after dropping filler, case, punctuation and (ACRONYM)")
    for j in sorted(jobs):
        for p in sorted(by_key.get(key(j), set()) - {j}):
            print(f"{j}|{p}")
    print(f"# string similarity >= {a.min_ratio:g}")
    jl, pl = sorted(jobs), sorted(people)
    ratio = cdist([s.lower() for s in jl], [s.lower() for s in pl], scorer=fuzz.ratio, workers=2)
    for i, k in zip(*np.nonzero((ratio >= a.min_ratio) & (ratio < 100)), strict=True):
        print(f"{jl[i]}|{pl[k]}|{ratio[i, k]:.0f}")


if __name__ == "__main__":
    main()
