"""Turn SkillSpan's real, MIT-licensed job posts into a gigmatch projects file.

SkillSpan (Zhang et al., NAACL 2022; repository kris927b/SkillSpan, MIT licence, checked at
2ccf3de5b5af7a5409b8dd814fb1315dd6e0ae1b) holds 263 de-identified English job posts, one
sentence per JSON line, with expert-tagged skill and knowledge spans. The knowledge spans are
what a client lists as required skills (`Python`, `AWS`, `amazon-web-services`, `node.js`), in
the spellings real posts use, so they are the real job posts the Upwork exports cannot be.

Data fetched from a repository may enter this workplace only through `shared/`, never through a
developer's commit: so this script writes outside the repository (default
/work/realdata/skillspan) until SkillSpan's `data/json/` is placed under `shared/data`, after
which `tests/data/real` can take a sample with the attribution below.

Attribution: Mike Zhang, Kristian Nørgaard Jensen, Sif Dam Sonniks and Barbara Plank,
"SkillSpan: Hard and Soft Skill Extraction from English Job Postings", NAACL 2022.
Copyright (c) 2023 Mike Zhang, MIT License.

Usage::

    python benchmarks/realdata/skillspan.py SKILLSPAN [--commit REV] [--out DIR]

SKILLSPAN is a checkout (with data/json/) or a bare git directory (read at --commit, HEAD by
default). Writes DIR/projects.csv (id, title, skills, text) and DIR/skill_spellings.csv
(spelling, posts: how many posts list it), deterministically.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SPLITS = ("train", "dev", "test")
TEXT_SENTENCES = 8  # enough of a post to read what it is about, short enough to skim


@dataclass(frozen=True)
class Post:
    """One job post: where it comes from, its sentences, its knowledge spans in order."""

    id: str
    sentences: tuple[str, ...]
    skills: tuple[str, ...]


def spans(tokens: list[str], tags: list[str]) -> list[str]:
    """The B/I runs of a BIO tag list, as text.

    >>> spans(["Use", "Spring", "Boot", "and", "AWS"], ["O", "B", "I", "O", "B"])
    ['Spring Boot', 'AWS']
    """
    found: list[str] = []
    current: list[str] = []
    for token, tag in zip(tokens, tags, strict=True):
        if tag.startswith("B") or (tag.startswith("I") and not current):
            if current:
                found.append(" ".join(current))
            current = [token]
        elif tag.startswith("I"):
            current.append(token)
        elif current:
            found.append(" ".join(current))
            current = []
    if current:
        found.append(" ".join(current))
    return found


def _lines(source: Path, split: str, commit: str) -> Iterator[str]:
    checkout = source / "data" / "json" / f"{split}.json"
    if checkout.is_file():
        yield from checkout.read_text(encoding="utf-8").splitlines()
        return
    shown = subprocess.run(
        ["git", "-C", str(source), "show", f"{commit}:data/json/{split}.json"],
        capture_output=True,
        check=True,
    )
    yield from shown.stdout.decode("utf-8").splitlines()


def read_posts(source: Path, commit: str = "HEAD") -> list[Post]:
    """Group the sentence lines into posts (idx restarts per split, so the id names both)."""
    sentences: dict[str, list[str]] = {}
    skills: dict[str, list[str]] = {}
    for split in SPLITS:
        for line in _lines(source, split, commit):
            if not line.strip():
                continue
            row = json.loads(line)
            key = f"SS-{split}-{row['source']}-{row['idx']}"
            sentences.setdefault(key, []).append(" ".join(row["tokens"]))
            skills.setdefault(key, []).extend(spans(row["tokens"], row["tags_knowledge"]))
    return [Post(k, tuple(sentences[k]), _distinct(skills[k])) for k in sorted(sentences)]


def _distinct(items: Iterable[str]) -> tuple[str, ...]:
    """First spelling of each skill, case-insensitively, in gigmatch's list syntax.

    `;` separates skills and `name:level` gives a level, so a span's `;` becomes `,` and its
    colons a space (real spans include `AWS:`, `UI/UX: UIKit` and `1:1’s`, one-on-ones, which
    gigmatch would read as skill `1` at level `1’s` and reject the file).
    """
    seen: dict[str, str] = {}
    for item in items:
        clean = " ".join(item.replace(";", ",").replace(":", " ").split())
        if clean:
            seen.setdefault(clean.casefold(), clean)
    return tuple(seen.values())


def write_csv(path: Path, header: list[str], rows: Iterable[list[object]]) -> None:
    """Write atomically with LF endings."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("skillspan", type=Path, help="SkillSpan checkout or bare git dir")
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--out", type=Path, default=Path("/work/realdata/skillspan"))
    args = parser.parse_args(argv)
    posts = [p for p in read_posts(args.skillspan, args.commit) if p.skills]
    args.out.mkdir(parents=True, exist_ok=True)
    write_csv(
        args.out / "projects.csv",
        ["id", "title", "skills", "text"],
        (
            [p.id, p.sentences[0], "; ".join(p.skills), " ".join(p.sentences[:TEXT_SENTENCES])]
            for p in posts
        ),
    )
    counts = Counter(s for p in posts for s in p.skills)
    write_csv(
        args.out / "skill_spellings.csv",
        ["spelling", "posts"],
        sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
    )
    print(f"{len(posts)} posts with skills, {len(counts)} spellings -> {args.out}")


if __name__ == "__main__":
    main()
