"""Convert the held-out real Upwork exports into gigmatch inputs.

The raw exports carry no licence, so they stay outside the repository (default
``/work/realdata``); this script is the only record of how the inputs were derived, so that
anyone with the same public files gets byte-identical ``projects.csv`` and ``people.csv``.

Sources (fetched from public GitHub repositories, see ``benchmarks/realdata/README.md``):

* jobs: raufh10/Upwork_Job_Data_Analysis @ 82ecd2be, ``output/job_data.json`` - 340 Upwork job
  posts (late 2023, data-analysis searches) with title, description, hourly range and the
  post's own skills list.
* people: davidmasse/freelancer-rates @ 5201c7a4, ``basics500.csv`` and ``basics1.csv`` - Upwork
  freelancer profiles (US, 2018) with headline, hourly rate, hours, jobs and skills list.
  The export has no rating column, so ``rating`` is left blank (gigmatch treats it as unknown).

Usage::

    python benchmarks/realdata/convert.py [--raw /work/realdata/raw] [--out /work/realdata]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
from pathlib import Path

JOBS_FILE = "upwork_jobs_2023_raufh10.json"
PROFILE_FILES = ("upwork_profiles_2018_basics500.csv", "upwork_profiles_2018_basics1.csv")


def _skill_list(cell: str) -> list[str]:
    """The scraper wrote skills as a Python list literal; ';' never occurs inside a skill."""
    if not cell or not cell.strip():
        return []
    items = ast.literal_eval(cell)
    return [s.strip().strip('"').replace(";", ",") for s in items if s and s.strip()]


def _money(cell: str) -> str:
    """'$1,234.50' -> '1234.5'; blank stays blank."""
    cell = (cell or "").replace("$", "").replace(",", "").strip()
    return f"{float(cell):g}" if cell else ""


def convert_jobs(raw: Path) -> list[dict[str, str]]:
    """One project per distinct (title, description); ids follow the export's order."""
    posts = json.loads((raw / JOBS_FILE).read_text(encoding="utf-8"))
    rows, seen = [], set()
    for post in posts:
        key = (" ".join(post["title"].split()), " ".join(post["description"].split()))
        if key in seen or not post["skills"]:
            continue
        seen.add(key)
        budget = post.get("max_hourly_rate")
        rows.append(
            {
                "project_id": f"J{len(rows) + 1:03d}",
                "title": key[0],
                "required_skills": "; ".join(s.replace(";", ",") for s in post["skills"]),
                "budget": f"{budget:g}" if budget else "",
                "description": key[1],
            }
        )
    return rows


def convert_people(raw: Path) -> list[dict[str, str]]:
    """One person per distinct (headline, skills): the two scrapes overlap, with drifting hours."""
    rows, seen = [], set()
    for name in PROFILE_FILES:
        with (raw / name).open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                skills = _skill_list(rec["skills"])
                headline = " ".join((rec["headline"] or "").split())
                key = (headline.lower(), tuple(skills))  # one person scraped twice
                if not skills or key in seen:
                    continue
                seen.add(key)
                pid = f"P{len(rows) + 1:04d}"
                rows.append(
                    {
                        "person_id": pid,
                        "name": pid,
                        "skills": "; ".join(skills),
                        "rate": _money(rec["rate"]),
                        "rating": "",
                        "headline": headline,
                    }
                )
    return rows


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    """Write atomically so a failed run never leaves half a file behind."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=Path("/work/realdata/raw"))
    parser.add_argument("--out", type=Path, default=Path("/work/realdata"))
    args = parser.parse_args()
    projects, people = convert_jobs(args.raw), convert_people(args.raw)
    _write(args.out / "projects.csv", projects)
    _write(args.out / "people.csv", people)
    print(f"{len(projects)} projects, {len(people)} people -> {args.out}")


if __name__ == "__main__":
    main()
