"""Synthetic agencies whose skills look like real exports: drawn from the skill knowledge base.

`synthetic.py` draws from the small curated alias table; real files name far more skills and
write them the way job boards and CRMs export them. Here the vocabulary is every concept of the
shipped knowledge base (gigmatch/data/skill_kb.txt, read with the package's own loader),
with a Zipf-like popularity: the curated, popular concepts (React, Python, SEO…) form the head
in a seeded random order, the ESCO and O*NET concepts the long tail. Each pick is written as an
export would write it:

* the display name, or one of the knowledge base's own spellings (`react.js`, `py3`);
* export forms: a `JS` suffix (`ReactJS`), the acronym in brackets (`Search Engine Optimization
  (SEO)`), a vendor word (`Tableau Software`), a version (`Python 3`, `Angular 2.1`);
* case variants, the odd adjacent-letter typo, a level suffix (`:4`) on some;
* a few in-house names nobody has heard of.

With `text=True` projects get a `description` and people a `headline` and a `bio` made of the
same skill names and common words, so that the text component of the score is exercised.
Deterministic for a seed. Used by the benchmarks, never by the tests' assertions on figures.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gigmatch.skills.knowledge import load_knowledge

ZONES = ["Europe/Berlin", "UTC+1", "GMT-5", "America/New_York", "Asia/Kolkata", "UTC+8", "", "EST"]
ZIPF = 1.2  # popularity exponent: a head of everyday skills, a long tail of rare ones
IN_HOUSE = 300  # names only one agency uses ("Acme Deploy 3")
VERSIONS = ["2", "3", "4", "5", "8", "11", "2.7", "3.11", "4.2", "2019", "2021", "CC"]
_ACRONYM = re.compile(r"^[a-z]{2,5}$")
_SEPARATORS = re.compile(r"[:;|,\[\]\n]")  # a skill cell's separators and the level mark

WORDS = """build maintain migrate design launch scale refactor automate integrate audit optimise
support improve deliver prototype our new existing client internal customer platform website
app dashboard pipeline store portal backend frontend system product service workflow reporting
analytics campaign brand api mobile data team project quickly remote senior junior experienced
reliable long-term part-time help expert specialist""".split()
ROLES = ["developer", "engineer", "consultant", "designer", "analyst", "specialist", "expert"]


@dataclass(frozen=True)
class Vocabulary:
    """The ways to write each concept, in popularity order, and the pick weights."""

    forms: list[list[str]]  # per concept: display name first, then other spellings
    names: list[str]  # per concept: the display name (for free text)
    weights: np.ndarray

    def __len__(self) -> int:
        return len(self.forms)


def vocabulary(rng: np.random.Generator) -> Vocabulary:
    """Every knowledge-base concept and its export spellings, head first, plus in-house names."""
    kb = load_knowledge()
    tiers: list[list] = [[], [], []]  # curated everyday skills, other popular ones, the rest
    for concept in kb:
        if _SEPARATORS.search(concept.name) or len(concept.name) > 80:
            continue  # "HASH Animation:Master" would read as a level; a cell cannot hold it
        tiers[0 if "curated" in concept.sources else 1 if concept.popular else 2].append(concept)
    ordered = [tier[i] for tier in tiers for i in rng.permutation(len(tier))]
    head = tiers[0]
    forms = [_export_forms(c.name, c.spellings, c.sources) for c in ordered]
    names = [c.name for c in ordered]
    for i in range(IN_HOUSE):  # spread through the tail, as real one-offs are
        at = int(rng.integers(len(head), len(forms)))
        name = f"Acme {WORDS[i % len(WORDS)].title()} {i}"
        forms.insert(at, [name, name.lower()])
        names.insert(at, name)
    weights = 1.0 / np.arange(1, len(forms) + 1) ** ZIPF
    return Vocabulary(forms, names, weights / weights.sum())


def _export_forms(name: str, spellings: tuple[str, ...], sources: tuple[str, ...]) -> list[str]:
    """The display name, the knowledge base's spellings, and the forms exports add: a vendor
    word on products (O*NET software), a version on products and languages (Linguist)."""
    product = "onet" in sources and "linguist" not in sources
    tool = product or "linguist" in sources
    forms = [name, *(s for s in spellings if s != name and not _SEPARATORS.search(s))]
    compact = re.sub(r"[^a-z0-9]", "", name.lower())
    lowered = [s.lower() for s in spellings]
    if any(re.sub(r"[^a-z0-9]", "", s) == compact + "js" for s in lowered):
        forms.append(f"{name}JS")  # ReactJS, VueJS
    acronyms = [s for s in lowered if _ACRONYM.match(s) and s not in name.lower().split()]
    if acronyms and " " in name:
        forms.append(f"{name} ({acronyms[0].upper()})")  # Search Engine Optimization (SEO)
    if product and " " not in name and len(name) > 3:
        forms.append(f"{name} Software")  # Tableau Software
    if tool and len(name.split()) <= 2:
        forms.append(f"{name} {VERSIONS[len(name) % len(VERSIONS)]}")  # Python 3
    return forms


def _spell(rng_value: float, forms: list[str]) -> str:
    """One way of writing a concept: mostly its name, then its other forms, case, a typo."""
    name = forms[0]
    if rng_value < 0.55 or len(forms) == 1:
        return name
    if rng_value < 0.85:
        return forms[1 + int(rng_value * 1013) % (len(forms) - 1)]
    if rng_value < 0.93:
        return name.lower()
    if rng_value < 0.96:
        return name.upper() if len(name) <= 12 else name.title()
    if len(name) > 5:  # swap two adjacent letters
        i = 1 + int(rng_value * 7919) % (len(name) - 3)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name


def _picks(rng, vocab: Vocabulary, n_rows: int, low: int, high: int) -> list[np.ndarray]:
    counts = rng.integers(low, high + 1, size=n_rows)
    flat = rng.choice(len(vocab), size=int(counts.sum()), p=vocab.weights)
    return np.split(flat, np.cumsum(counts)[:-1])


def _cells(rng, vocab: Vocabulary, picks: list[np.ndarray], levels: bool) -> list[str]:
    forms = rng.random(sum(len(p) for p in picks))
    level = rng.integers(1, 6, size=len(forms))
    cells, k = [], 0
    for row in picks:
        items = []
        for concept in row.tolist():
            text = _spell(float(forms[k]), vocab.forms[concept])
            items.append(f"{text}:{level[k]}" if levels and forms[k] < 0.2 else text)
            k += 1
        cells.append("; ".join(items))
    return cells


def _sentence(rng, names: list[str], length: int) -> str:
    words = [WORDS[i] for i in rng.integers(0, len(WORDS), size=length)]
    for name in names:
        words.insert(int(rng.integers(0, len(words) + 1)), name)
    return " ".join(words).capitalize() + "."


def write_agency(
    folder: Path, n_projects: int, n_people: int, *, text: bool = False, seed: int = 7
) -> tuple[Path, Path, int]:
    """Write projects.csv and people.csv; returns their paths and the distinct skill spellings."""
    rng = np.random.default_rng(seed)
    vocab = vocabulary(rng)
    folder.mkdir(parents=True, exist_ok=True)
    projects, people = folder / "projects.csv", folder / "people.csv"
    required_picks = _picks(rng, vocab, n_projects, 2, 6)
    required = _cells(rng, vocab, required_picks, True)
    nice = _cells(rng, vocab, _picks(rng, vocab, n_projects, 0, 3), False)
    offered_picks = _picks(rng, vocab, n_people, 3, 10)
    offered = _cells(rng, vocab, offered_picks, True)
    spellings = {s.split(":")[0].strip() for cell in (*required, *nice, *offered)
                 for s in cell.split(";") if s.strip()}  # fmt: skip
    with projects.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "title", "skills", "nice_to_have", "budget", "hours", "team_size",
                      "timezone", *(["description"] if text else [])])  # fmt: skip
        for i in range(n_projects):
            row = [f"P{i:06d}", f"Project {i}", required[i], nice[i],
                   f"${rng.integers(30, 150)}", int(rng.integers(5, 41)),
                   int(rng.integers(1, 4)), ZONES[i % len(ZONES)]]  # fmt: skip
            if text:
                named = [vocab.names[c] for c in required_picks[i][:3].tolist()]
                row.append(_sentence(rng, named, int(rng.integers(12, 40))))
            out.writerow(row)
    with people.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "skills", "rate", "hours", "rating", "reviews", "on_time",
                      "timezone", "capacity", *(["headline", "bio"] if text else [])])  # fmt: skip
        for i in range(n_people):
            row = [f"F{i:07d}", f"Person {i}", offered[i], f"{rng.integers(20, 160)}",
                   int(rng.integers(5, 41)), f"{rng.uniform(3.0, 5.0):.1f}",
                   int(rng.integers(0, 200)), f"{int(rng.integers(60, 101))}%",
                   ZONES[(i * 7) % len(ZONES)], int(rng.integers(1, 4))]  # fmt: skip
            if text:
                named = [vocab.names[c] for c in offered_picks[i][:4].tolist()]
                role = ROLES[i % len(ROLES)]
                row.append(f"{named[0]} {role}" + "".join(f" | {n}" for n in named[1:3]))
                row.append(_sentence(rng, named, int(rng.integers(10, 30))))
            out.writerow(row)
    return projects, people, len(spellings)
