"""Pick the graded jobs and build each one's candidate pool for a human grader.

Pool per job = gigmatch's top 10 + the TF-IDF baseline's top 10 + 5 random people who share a
word with the job's title or skills (so the pool is not only what the two systems like).
Candidates are listed in person-id order, so the grader cannot tell which system proposed whom.

Usage::

    python benchmarks/realdata/pool.py [--data /work/realdata] [--jobs 40]

Writes ``DATA/pool.csv`` (job_id, person_id) and ``DATA/grading_sheet.txt``.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from evaluate import read_csv, run_baseline, run_gigmatch  # noqa: E402
from tfidf_baseline import words  # noqa: E402

STOP = {"and", "or", "the", "for", "a", "to", "of", "in", "with", "needed", "expert", "data"}


def pick_jobs(projects: list[dict[str, str]], n: int, seed: int) -> list[dict[str, str]]:
    """A fixed random sample of jobs that list at least two skills."""
    eligible = [p for p in projects if len(p["required_skills"].split(";")) >= 2]
    return sorted(random.Random(seed).sample(eligible, n), key=lambda p: p["project_id"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/work/realdata"))
    ap.add_argument("--jobs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=11)
    a = ap.parse_args()
    projects = read_csv(a.data / "projects.csv")
    people = read_csv(a.data / "people.csv")
    jobs = pick_jobs(projects, a.jobs, a.seed)
    gm = run_gigmatch(a.data / "projects.csv", a.data / "people.csv", top=10)
    tf = run_baseline(a.data / "projects.csv", a.data / "people.csv", top=10)
    by_id = {p["person_id"]: p for p in people}
    rng = random.Random(a.seed)
    pool_rows, sheet = [], []
    for job in jobs:
        jid = job["project_id"]
        keys = set(words(job["title"] + " " + job["required_skills"])) - STOP
        sharing = [
            p["person_id"] for p in people if keys & set(words(p["headline"] + " " + p["skills"]))
        ]
        extra = rng.sample(sharing, min(5, len(sharing)))
        pool = sorted(set(gm.get(jid, [])) | set(tf.get(jid, [])) | set(extra))
        pool_rows += [(jid, pid) for pid in pool]
        sheet.append(f"=== {jid} | {job['title']} | budget {job['budget'] or '-'}")
        sheet.append(f"skills: {job['required_skills']}")
        sheet.append(f"desc: {job['description'][:400]}")
        for pid in pool:
            p = by_id[pid]
            sheet.append(f"  {pid} ${p['rate'] or '?'} | {p['headline']} | {p['skills']}")
    with (a.data / "pool.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["job_id", "person_id"])
        w.writerows(pool_rows)
    (a.data / "grading_sheet.txt").write_text("\n".join(sheet) + "\n", encoding="utf-8")
    print(f"{len(jobs)} jobs, {len(pool_rows)} (job, person) pairs to grade")


if __name__ == "__main__":
    main()
