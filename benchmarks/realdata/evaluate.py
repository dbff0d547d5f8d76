"""Measure gigmatch on held-out real data: ranking quality and skill resolution, end to end.

Drives the ``gigmatch`` CLI as a subprocess, so it keeps working whatever the package's inner
structure. Prints one table with three figures for gigmatch and the TF-IDF baseline:

* **NDCG@5** of ``gigmatch match PROJECTS PEOPLE -f csv --top 10`` on the graded jobs (grades
  0-3, gain 2^g - 1, a candidate nobody graded counts 0 and is reported as unjudged).
* **same-skill recall**: the share of labelled same-skill spelling pairs (a, b) for which the
  project requiring ``a`` lists person ``b`` with ``a<-b`` in ``matched_skills``.
* **different-skill merge rate**: the same, for pairs labelled as different skills (lower is
  better). Partial credit in other columns (a future ``related_skills``) is not a match.

Both pair figures come from one run: project i requires only spelling a_i, person i has only
spelling b_i, and only the (project i, person i) cell is read. The baseline's pair figures are
"the two spellings share a word" - what a bag-of-words matcher would merge.

``--alone`` also matches every pair in a file of its own and counts the pairs whose result
changes: a spelling's meaning must not depend on the other rows.

Usage::

    python benchmarks/realdata/evaluate.py [--data /work/realdata] [--gigmatch CMD] [--alone]

NDCG is also given for two halves of the graded jobs: *dev* (odd job number) and *test* (even).
Changes to the ranking are chosen on dev only; test says whether they hold on jobs not looked at.

Reads DATA/projects.csv, DATA/people.csv (from convert.py), DATA/skill_pairs.csv and the grades:
``--grades``, else the committed benchmarks/realdata/grades.csv (only ids and grades, no source
text; it holds every grade made, including the pooled second round); exits 2 when one is missing.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import math
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent
Ranking = dict[str, list[str]]


def read_csv(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def gigmatch_command(given: str | None = None) -> list[str]:
    """The CLI to drive: --gigmatch, else this interpreter's package, else ``gigmatch`` on PATH."""
    if given:
        return shlex.split(given)
    if importlib.util.find_spec("gigmatch") is not None:
        return [sys.executable, "-m", "gigmatch"]
    found = shutil.which("gigmatch")
    if not found:
        sys.exit("evaluate: no gigmatch on PATH and none importable; pass --gigmatch CMD")
    return [found]


def _run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode != 0:
        sys.exit(f"evaluate: {shlex.join(cmd)} exited {done.returncode}:\n{done.stderr}")
    return done.stdout


def match_rows(projects: Path, people: Path, top: int, cli: list[str]) -> list[dict[str, str]]:
    """``gigmatch match`` output rows, parsed from its CSV."""
    out = _run([*cli, "match", str(projects), str(people), "-f", "csv", "--top", str(top), "-q"])
    return list(csv.DictReader(io.StringIO(out)))


def run_gigmatch(
    projects: Path, people: Path, top: int = 10, cli: list[str] | None = None
) -> Ranking:
    ranked: Ranking = defaultdict(list)
    rows = match_rows(projects, people, top, cli or gigmatch_command())
    for row in sorted(rows, key=lambda r: (r["project_id"], int(r["rank"]))):
        ranked[row["project_id"]].append(row["person_id"])
    return ranked


def run_baseline(projects: Path, people: Path, top: int = 10) -> Ranking:
    script = HERE / "tfidf_baseline.py"
    out = _run([sys.executable, str(script), str(projects), str(people), "--top", str(top)])
    ranked: Ranking = defaultdict(list)
    for row in csv.DictReader(io.StringIO(out)):
        ranked[row["project_id"]].append(row["person_id"])
    return ranked


def ndcg_at(k: int, ranked: Ranking, grades: dict[str, dict[str, int]]) -> tuple[float, int]:
    """Mean NDCG@k over the graded jobs, and how many top-k slots nobody graded."""
    scores, unjudged = [], 0
    for job, graded in grades.items():
        top = ranked.get(job, [])[:k]
        unjudged += sum(p not in graded for p in top)
        dcg = sum((2 ** graded.get(p, 0) - 1) / math.log2(i + 2) for i, p in enumerate(top))
        best = sorted(graded.values(), reverse=True)[:k]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(best))
        scores.append(dcg / idcg if idcg else 0.0)
    return sum(scores) / len(scores), unjudged


def is_dev(job: str) -> bool:
    """The dev half of the graded jobs: odd job numbers (J003, J017...); even ones are test."""
    return int(job.lstrip("J")) % 2 == 1


def halves(grades: dict[str, dict[str, int]]) -> dict[str, dict[str, dict[str, int]]]:
    """The grades of all jobs, of the dev half and of the test half."""
    return {
        "all": grades,
        "dev": {j: g for j, g in grades.items() if is_dev(j)},
        "test": {j: g for j, g in grades.items() if not is_dev(j)},
    }


def pair_matches(pairs: list[dict[str, str]], cli: list[str]) -> list[bool]:
    """For each pair, does project i (requiring a_i) match person i (having b_i) as one skill?"""
    if not pairs:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        projects, people = Path(tmp) / "pairs_projects.csv", Path(tmp) / "pairs_people.csv"
        with projects.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["project_id", "title", "required_skills"])
            w.writerows([f"Q{i:04d}", p["a"], p["a"] + ";"] for i, p in enumerate(pairs))
        with people.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["person_id", "name", "skills"])
            w.writerows([f"R{i:04d}", p["b"], p["b"] + ";"] for i, p in enumerate(pairs))
        rows = match_rows(projects, people, 0, cli)
    matched = {
        (r["project_id"], r["person_id"]): r["matched_skills"]
        for r in rows
        if r["project_id"][1:] == r["person_id"][1:]
    }
    return [bool(matched.get((f"Q{i:04d}", f"R{i:04d}"), "").strip()) for i in range(len(pairs))]


def changed_alone(pairs: list[dict[str, str]], together: list[bool], cli: list[str]) -> list[int]:
    """Indexes of pairs whose result differs when the pair is matched in a file of its own.

    A spelling's meaning must not depend on the other rows (issue 11); one run per pair.
    """
    return [i for i, p in enumerate(pairs) if pair_matches([p], cli) != [together[i]]]


def shares_word(a: str, b: str) -> bool:
    from tfidf_baseline import words

    return bool(set(words(a)) & set(words(b)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/work/realdata"))
    ap.add_argument("--gigmatch", help="command to run gigmatch (default: python -m gigmatch)")
    ap.add_argument(
        "--grades", type=Path, default=HERE / "grades.csv", help="job_id,person_id,grade CSV"
    )
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument(
        "--alone", action="store_true", help="also match each pair alone (slow: one run per pair)"
    )
    a = ap.parse_args()
    grades_file = a.grades
    needed = [a.data / "projects.csv", a.data / "people.csv", grades_file]
    needed.append(a.data / "skill_pairs.csv")
    if missing := [str(p) for p in needed if not p.exists()]:
        print(f"evaluate: missing {', '.join(missing)} (see README.md)", file=sys.stderr)
        sys.exit(2)
    sys.path.insert(0, str(HERE))
    cli = gigmatch_command(a.gigmatch)
    grades: dict[str, dict[str, int]] = defaultdict(dict)
    for row in read_csv(grades_file):
        grades[row["job_id"]][row["person_id"]] = int(row["grade"])
    projects, people = a.data / "projects.csv", a.data / "people.csv"
    gm_ranked = run_gigmatch(projects, people, 10, cli)
    tf_ranked = run_baseline(projects, people, 10)
    pairs = read_csv(a.data / "skill_pairs.csv")
    same = [p["label"] == "same" for p in pairs]
    gm_hits = pair_matches(pairs, cli)
    tf_hits = [shares_word(p["a"], p["b"]) for p in pairs]

    def rate(hits: list[bool], want: bool) -> str:
        chosen = [h for h, s in zip(hits, same, strict=True) if s == want]
        return f"{sum(chosen) / len(chosen):.3f} ({sum(chosen)}/{len(chosen)})"

    table = [("metric", "gigmatch", "tfidf baseline")]
    for name, part in halves(grades).items():
        gm_ndcg, gm_unjudged = ndcg_at(a.k, gm_ranked, part)
        tf_ndcg, tf_unjudged = ndcg_at(a.k, tf_ranked, part)
        label = f"NDCG@{a.k}, {name} ({len(part)} graded jobs)"
        table.append((label, f"{gm_ndcg:.3f}", f"{tf_ndcg:.3f}"))
        table.append((f"  unjudged in top {a.k}", str(gm_unjudged), str(tf_unjudged)))
    table += [
        ("same-skill recall", rate(gm_hits, True), rate(tf_hits, True)),
        ("different-skill merge rate", rate(gm_hits, False), rate(tf_hits, False)),
    ]
    if a.alone:
        changed = changed_alone(pairs, gm_hits, cli)
        table.append(("pairs changed when alone", f"{len(changed)}/{len(pairs)}", "0"))
        for i in changed:
            print(f"changes alone: {pairs[i]['a']} / {pairs[i]['b']}", file=sys.stderr)
    widths = [max(len(r[c]) for r in table) for c in range(3)]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
