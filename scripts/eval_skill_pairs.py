"""Measure skill resolution on the labelled pairs in tests/data/skill_pairs/.

Usage: python scripts/eval_skill_pairs.py [--split test|dev|all] [--show-errors]

Prints, per file and overall:
- same-skill recall: share of `same` pairs that resolve to the same skill;
- different-skill merge rate: share of `different` and `related` pairs wrongly resolved to the
  same skill (the target is almost none);
- related recall: share of `related` pairs given related credit (and not merged);
- related credit on different pairs: share of `different` pairs given related credit.

Every spelling is resolved once by one resolver over the whole set (resolution is local, so
this gives the same answers as resolving each pair alone; the tests check that).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gigmatch.skills import Resolver, load_knowledge  # noqa: E402

PAIRS = REPO / "tests" / "data" / "skill_pairs"


def read_pairs(split: str) -> dict[str, list[dict[str, str]]]:
    """Pairs by file name, of one split ("all" for both)."""
    out: dict[str, list[dict[str, str]]] = {}
    for path in sorted(PAIRS.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if split == "all" or r["split"] == split]
        out[path.stem] = rows
    return out


def judge(resolver: Resolver, rows: list[dict[str, str]]) -> list[tuple[dict[str, str], str]]:
    """Each pair with the verdict: "same", "related" or "none"."""
    spellings = [s for r in rows for s in (r["a"], r["b"])]
    resolved = dict(zip(spellings, resolver.resolve_many(spellings), strict=True))
    out = []
    for r in rows:
        ka, kb = resolved[r["a"]].key, resolved[r["b"]].key
        if resolver.same(ka, kb):
            verdict = "same"
        elif resolver.relation(ka, kb) is not None:
            verdict = "related"
        else:
            verdict = "none"
        out.append((r, verdict))
    return out


def rate(hits: int, total: int) -> str:
    """'k/n (p%)', or '-' for an empty set."""
    return f"{hits}/{total} ({100 * hits / total:.1f}%)" if total else "-"


def report(name: str, judged: list[tuple[dict[str, str], str]]) -> str:
    """One line of figures."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for row, verdict in judged:
        by_label[row["label"]].append(verdict)
    same = by_label["same"]
    diff = by_label["different"] + by_label["related"]
    related = by_label["related"]
    return (
        f"{name:14} same-skill recall {rate(same.count('same'), len(same)):>20}   "
        f"different-skill merge rate {rate(diff.count('same'), len(diff)):>16}   "
        f"related recall {rate(related.count('related'), len(related)):>14}   "
        f"related credit on different {rate(by_label['different'].count('related'), len(by_label['different'])):>14}"  # noqa: E501
    )


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    resolver = Resolver(load_knowledge())
    sets = read_pairs(args.split)
    everything: list[tuple[dict[str, str], str]] = []
    print(f"split: {args.split}")
    for name, rows in sets.items():
        judged = judge(resolver, rows)
        everything.extend(judged)
        print(report(name, judged))
    print(report("all", everything))
    if args.show_errors:
        for row, verdict in everything:
            wrong = (row["label"] == "same") != (verdict == "same") or (
                row["label"] == "related" and verdict != "related"
            )
            if wrong:
                ra, rb = resolver.resolve(row["a"]), resolver.resolve(row["b"])
                print(
                    f"  {row['label']:9} got {verdict:7} {row['a']!r} -> {ra.key} ({ra.how})"
                    f"  |  {row['b']!r} -> {rb.key} ({rb.how})"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
