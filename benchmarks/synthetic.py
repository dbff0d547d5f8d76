"""Synthetic agencies of any size, with a realistic, messy skill vocabulary.

Used by the benchmarks (never by the tests' assertions on figures). Skills are drawn with a
Zipf-like popularity from the built-in alias table, written in the ways real exports write them:
aliases, case and spacing variants, version suffixes, the odd typo, plus a long tail of niche
skills nobody has heard of.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from gigmatch.skills.spelling import builtin_aliases

ZONES = ["Europe/Berlin", "UTC+1", "GMT-5", "America/New_York", "Asia/Kolkata", "UTC+8", "", "EST"]


def spellings(rng: np.random.Generator, n_tail: int = 2_000) -> tuple[list[list[str]], np.ndarray]:
    """Skill groups (each a list of ways to write it) and their popularity weights."""
    groups = []
    for canonical, aliases in sorted(builtin_aliases().items()):
        variants = [canonical, canonical.lower(), canonical.upper(), *aliases]
        if len(canonical) > 5:
            i = int(rng.integers(1, len(canonical) - 2))
            variants.append(canonical[:i] + canonical[i + 1] + canonical[i] + canonical[i + 2 :])
        groups.append(variants)
    groups += [[f"Niche Skill {i}", f"niche skill {i}"] for i in range(n_tail)]
    weights = 1.0 / np.arange(1, len(groups) + 1) ** 0.9
    order = rng.permutation(len(groups))
    return [groups[i] for i in order], weights / weights.sum()


def _cells(rng, groups, weights, n_rows: int, low: int, high: int, levels: bool) -> list[str]:
    counts = rng.integers(low, high + 1, size=n_rows)
    picks = rng.choice(len(groups), size=int(counts.sum()), p=weights)
    forms = rng.random(len(picks))
    level = rng.integers(1, 6, size=len(picks))
    cells, start = [], 0
    for count in counts:
        items = []
        for k in range(start, start + count):
            variants = groups[picks[k]]
            name = variants[0] if forms[k] < 0.6 else variants[int(forms[k] * 97) % len(variants)]
            items.append(f"{name}:{level[k]}" if levels and forms[k] < 0.2 else name)
        cells.append("; ".join(items))
        start += count
    return cells


def write_agency(
    folder: Path, n_projects: int, n_people: int, seed: int = 7, *, hours: bool = True
) -> tuple[Path, Path]:
    """Write projects.csv and people.csv of the given sizes; returns their paths.

    With `hours=False` the projects' hours column is blank (no weekly hours asked), so weekly
    hours never bind in `assign` and the plan is a min-cost flow; the random draws, and so
    every other cell, stay the same."""
    rng = np.random.default_rng(seed)
    groups, weights = spellings(rng)
    folder.mkdir(parents=True, exist_ok=True)
    projects, people = folder / "projects.csv", folder / "people.csv"
    with projects.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "title", "skills", "nice_to_have", "budget", "hours", "team_size",
                      "timezone"])  # fmt: skip
        required = _cells(rng, groups, weights, n_projects, 2, 6, True)
        nice = _cells(rng, groups, weights, n_projects, 0, 3, False)
        for i in range(n_projects):
            out.writerow([f"P{i:06d}", f"Project {i}", required[i], nice[i],
                          f"${rng.integers(30, 150)}", _hours(int(rng.integers(5, 41)), hours),
                          int(rng.integers(1, 4)), ZONES[i % len(ZONES)]])  # fmt: skip
    with people.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "skills", "rate", "hours", "rating", "reviews", "on_time",
                      "timezone", "capacity"])  # fmt: skip
        offered = _cells(rng, groups, weights, n_people, 3, 10, True)
        for i in range(n_people):
            out.writerow([f"F{i:07d}", f"Person {i}", offered[i], f"{rng.integers(20, 160)}",
                          int(rng.integers(5, 41)), f"{rng.uniform(3.0, 5.0):.1f}",
                          int(rng.integers(0, 200)), f"{int(rng.integers(60, 101))}%",
                          ZONES[(i * 7) % len(ZONES)], int(rng.integers(1, 4))])  # fmt: skip
    return projects, people


def _hours(value: int, keep: bool) -> int | str:
    return value if keep else ""
