"""Cut the real, openly licensed samples in tests/data/real/ from the project's public data.

Usage::

    python tests/data/real/make_samples.py /work/shared/data [--out tests/data/real]

The argument is the folder described in shared/data/README.md (its `skills/` subfolder holds
O*NET, ESCO and GitHub Linguist). The script is deterministic: the same source files give the
same samples, byte for byte, so `git diff` after a rerun shows only what the sources changed.

Why these sources and not real job posts: the real Upwork exports the project measures on carry
no licence (benchmarks/realdata/README.md), so none of their rows may be committed. O*NET
(CC BY 4.0), ESCO (CC BY 4.0) and Linguist (MIT) are real, published, redistributable, and
their spellings are what people type: O*NET lists the tools each occupation uses as employers
name them ("Structured query language SQL", "Microsoft Power BI"), ESCO and Linguist list the
other names of a skill ("Postgres", "golang"). See README.md beside this file.

Three files are written:

- `projects.csv`: one project per O*NET occupation, its skills the occupation's tools that
  O*NET marks *In Demand* in job postings (at most 12, in name order);
- `people.csv`: one profile per O*NET occupation, its skills the occupation's *Hot
  Technology* tools (In Demand ones first, then by name, at most 20);
- `skill_pairs.csv`: spelling pairs hand-picked below, each spelling checked to occur verbatim
  in the named source, with a `same` label (yes: a client asking for `a` accepts `b`).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ONET = Path("skills/onet/Technology Skills.txt")
ESCO = Path("skills/esco/skills_en.csv")
LINGUIST = Path("skills/languages.yml")

# Occupations a freelance marketplace staffs (O*NET-SOC codes). The file names no titles.
PROJECT_CODES = (
    "13-1161.00 13-1161.01 13-2011.00 15-1211.00 15-1211.01 15-1212.00 15-1221.00 15-1231.00 "
    "15-1232.00 15-1241.00 15-1241.01 15-1242.00 15-1243.00 15-1243.01 15-1244.00 15-1251.00 "
    "15-1252.00 15-1253.00 15-1254.00 15-1255.00 15-1255.01 15-1299.01 15-1299.02 15-1299.03 "
    "15-1299.04 15-1299.05 15-1299.06 15-1299.07 15-1299.08 15-1299.09 15-2031.00 15-2041.00 "
    "15-2051.00 27-1024.00 27-3042.00 27-3043.00 27-3091.00 27-4032.00 43-9021.00"
).split()
# Profiles: the same occupations and a few outside the freelance trades (managers, registered
# nurses, sales representatives, electricians), whose tools mostly share only office software.
PEOPLE_CODES = (
    *PROJECT_CODES,
    "11-2021.00",
    "11-3021.00",
    "29-1141.00",
    "41-3091.00",
    "47-2111.00",
)
PROJECT_SKILLS, PERSON_SKILLS = 12, 20

# (a, source of a, b, source of b, same?, why). Sources: onet, esco (a preferred or alternative
# label), linguist (a language name or alias). "yes": a client asking for a accepts b.
PAIRS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("SQL", "esco", "Structured query language SQL", "onet", "yes", "acronym spelled out"),
    (
        "Structured query language SQL",
        "onet",
        "Structure query language SQL",
        "onet",
        "yes",
        "O*NET itself spells it both ways",
    ),
    (
        "Transact-SQL",
        "onet",
        "Microsoft transact-structural query language T-SQL",
        "onet",
        "yes",
        "vendor and acronym added",
    ),
    ("HTML", "linguist", "Hypertext markup language HTML", "onet", "yes", "acronym spelled out"),
    ("JavaScript", "esco", "Javascript", "esco", "yes", "case"),
    ("JavaScript", "esco", "Java script", "esco", "yes", "space"),
    ("Python (computer programming)", "esco", "Python", "onet", "yes", "qualifier in brackets"),
    ("Java (computer programming)", "esco", "Java", "esco", "yes", "qualifier in brackets"),
    ("Ruby (computer programming)", "esco", "Ruby", "linguist", "yes", "qualifier in brackets"),
    ("Swift (computer programming)", "esco", "Swift", "esco", "yes", "qualifier in brackets"),
    (
        "Eclipse (integrated development environment software)",
        "esco",
        "Eclipse IDE",
        "esco",
        "yes",
        "qualifier in brackets",
    ),
    (
        "Jenkins (tools for software configuration management)",
        "esco",
        "Jenkins CI",
        "esco",
        "yes",
        "qualifier in brackets",
    ),
    ("PostgreSQL", "onet", "Postgres", "esco", "yes", "short name"),
    ("Go", "linguist", "golang", "linguist", "yes", "alias"),
    ("C++", "linguist", "cpp", "linguist", "yes", "alias"),
    ("C#", "linguist", "csharp", "linguist", "yes", "alias"),
    ("C#", "esco", "C Sharp", "esco", "yes", "spelled out"),
    ("Objective-C", "linguist", "objc", "linguist", "yes", "alias"),
    ("Objective-C", "esco", "Obj-C", "esco", "yes", "abbreviation"),
    ("TypeScript", "linguist", "ts", "linguist", "yes", "alias"),
    ("F#", "linguist", "fsharp", "linguist", "yes", "alias"),
    ("Visual Basic .NET", "linguist", "vb.net", "linguist", "yes", "alias"),
    ("Microsoft Visual C++", "esco", "MSVC", "esco", "yes", "abbreviation"),
    ("SQL Server Integration Services", "esco", "SSIS", "esco", "yes", "acronym"),
    (
        "SQL Server Integration Services",
        "esco",
        "Microsoft SQL Server Integration Services SSIS",
        "onet",
        "yes",
        "vendor and acronym added",
    ),
    ("LDAP", "esco", "Lightweight Directory Access Protocol", "esco", "yes", "acronym"),
    ("Perl", "esco", "Practical Extraction and Report Language", "esco", "yes", "acronym"),
    ("Angular", "esco", "Google Angular", "onet", "yes", "vendor added"),
    ("Java", "esco", "JavaScript", "onet", "no", "different languages"),
    ("SQL", "esco", "NoSQL", "onet", "no", "opposites"),
    ("MySQL", "onet", "PostgreSQL", "onet", "no", "different databases"),
    ("C++", "linguist", "C#", "linguist", "no", "different languages"),
    ("C", "linguist", "C++", "linguist", "no", "different languages"),
    ("Objective-C", "linguist", "Objective-C++", "linguist", "no", "different languages"),
    ("React", "onet", "React Native", "onet", "no", "web library vs mobile framework"),
    ("Node.js", "onet", "NodeBox", "onet", "no", "unrelated products"),
    ("Vue.js", "onet", "e-on software Vue", "onet", "no", "unrelated products"),
    ("Go", "onet", "Worldspan Go!", "onet", "no", "unrelated products"),
    (
        "Python",
        "onet",
        "Python Experimental Economics Toolkit PEET",
        "onet",
        "no",
        "a tool written in Python is not Python",
    ),
    ("Microsoft Excel", "onet", "ExcelTrans Translator", "onet", "no", "unrelated products"),
    ("Microsoft Power BI", "onet", "Microsoft PowerPoint", "onet", "no", "different products"),
    ("Git", "onet", "GitHub", "onet", "no", "a tool vs a hosting service"),
    (
        "Microsoft SQL Server",
        "onet",
        "Microsoft SQL Server Reporting Services SSRS",
        "onet",
        "no",
        "a product vs its reporting add-on",
    ),
)


def read_onet(root: Path) -> dict[str, list[dict[str, str]]]:
    """O*NET tool rows per occupation code."""
    by_code: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (root / ONET).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            by_code[row["O*NET-SOC Code"]].append(row)
    return by_code


def esco_labels(root: Path) -> set[str]:
    """Every ESCO preferred and alternative label (alternatives are one per line in a cell)."""
    labels: set[str] = set()
    with (root / ESCO).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            labels.add(row["preferredLabel"].strip())
            labels.update(line.strip() for line in row["altLabels"].splitlines() if line.strip())
    return labels


def linguist_names(root: Path) -> set[str]:
    """Language names and aliases, read from languages.yml without a YAML dependency.

    Top-level keys start a line with no indent; aliases are the `- item` lines under an
    `aliases:` key, which is all this script needs from the file.
    """
    names: set[str] = set()
    in_aliases = False
    for line in (root / LINGUIST).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if not line[0].isspace():
            names.add(line.rstrip(":").strip("\"'"))
            in_aliases = False
        elif line.strip() == "aliases:":
            in_aliases = True
        elif in_aliases and line.lstrip().startswith("- "):
            names.add(line.lstrip()[2:].strip().strip("\"'"))
        else:
            in_aliases = False
    return names


def _tools(rows: Iterable[dict[str, str]], flag: str) -> list[str]:
    return sorted({r["Example"] for r in rows if r[flag] == "Y"})


def _categories(rows: Iterable[dict[str, str]]) -> str:
    return "; ".join(sorted({r["Commodity Title"] for r in rows if r["Hot Technology"] == "Y"}))


def projects(by_code: dict[str, list[dict[str, str]]]) -> list[list[str]]:
    """Rows of projects.csv: id, title, skills, tool_categories."""
    out = []
    for code in PROJECT_CODES:
        rows = by_code[code]
        skills = _tools(rows, "In Demand")[:PROJECT_SKILLS]
        title = f"Work of O*NET-SOC occupation {code}"
        out.append([f"ONET-{code}", title, "; ".join(skills), _categories(rows)])
    return out


def people(by_code: dict[str, list[dict[str, str]]]) -> list[list[str]]:
    """Rows of people.csv: id, name, skills, tool_categories."""
    out = []
    for code in PEOPLE_CODES:
        rows = by_code[code]
        demand = set(_tools(rows, "In Demand"))
        hot = sorted(_tools(rows, "Hot Technology"), key=lambda t: (t not in demand, t))
        out.append(
            [f"P-{code}", f"Profile of {code}", "; ".join(hot[:PERSON_SKILLS]), _categories(rows)]
        )
    return out


def pairs(root: Path, by_code: dict[str, list[dict[str, str]]]) -> list[list[str]]:
    """Rows of skill_pairs.csv; fails if a spelling is not verbatim in its source."""
    known = {
        "onet": {r["Example"] for rows in by_code.values() for r in rows},
        "esco": esco_labels(root),
        "linguist": linguist_names(root),
    }
    missing = [
        (s, src)
        for a, sa, b, sb, *_ in PAIRS
        for s, src in ((a, sa), (b, sb))
        if s not in known[src]
    ]
    if missing:
        sys.exit(f"make_samples: spellings not found in their source: {missing}")
    return [[f"PAIR{i:02d}", *pair] for i, pair in enumerate(PAIRS, start=1)]


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Write a CSV with LF endings, atomically (a rerun never leaves a half-written sample)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    tmp.replace(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder (has skills/)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    by_code = read_onet(args.data)
    if absent := [c for c in PEOPLE_CODES if c not in by_code]:
        sys.exit(f"make_samples: occupations not in O*NET file: {absent}")
    write(
        args.out / "projects.csv", ["id", "title", "skills", "tool_categories"], projects(by_code)
    )
    write(args.out / "people.csv", ["id", "name", "skills", "tool_categories"], people(by_code))
    header = ["id", "a", "a_source", "b", "b_source", "same", "why"]
    write(args.out / "skill_pairs.csv", header, pairs(args.data, by_code))
    print(f"wrote projects.csv, people.csv, skill_pairs.csv to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
