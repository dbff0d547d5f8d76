"""The manager's rules and the files that carry them: pins and forbids (`P:F` on the command
line, or a constraints CSV), last week's plan, scores computed elsewhere; and the id lookups
that turn them into rows of the projects and people tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.errors import InputError, Problem, UsageError
from gigmatch.read.table import header_key, read_table
from gigmatch.read.values import parse_column, parse_number

if TYPE_CHECKING:
    import pandas as pd


Pair = tuple[str, str]


def parse_pair(text: str, option: str) -> Pair:
    """`P-101:F-007` as given to --pin or --forbid.

    >>> parse_pair("P-101:F-007", "--pin")
    ('P-101', 'F-007')
    """
    project, sep, person = text.partition(":")
    if not sep or not project.strip() or not person.strip():
        raise UsageError(f"{option} {text!r}: write PROJECT_ID:PERSON_ID, e.g. P-101:F-007")
    return project.strip(), person.strip()


def _columns(source: str | Path, wanted: dict[str, tuple[str, ...]]) -> tuple[Any, dict]:
    """A raw table and which header holds each wanted field (missing ones are an error)."""
    raw = read_table(source)
    found = {}
    for name, keys in wanted.items():
        header = next((h for h in raw.frame.columns if header_key(h) in keys), None)
        if header is None:
            seen = ", ".join(map(repr, raw.frame.columns))
            raise InputError(f"{raw.source}: no '{name}' column (headers found: {seen})")
        found[name] = header
    return raw, found


_ID_KEYS = {
    "project_id": ("projectid", "project"),
    "person_id": ("personid", "person", "freelancerid"),
}


def read_previous(source: str | Path) -> list[Pair]:
    """The (project, person) pairs of an earlier plan, e.g. last week's `assign` CSV."""
    raw, cols = _columns(source, _ID_KEYS)
    frame = raw.frame
    return list(
        zip(
            frame[cols["project_id"]].str.strip(), frame[cols["person_id"]].str.strip(), strict=True
        )
    )


def read_constraints(source: str | Path) -> tuple[list[Pair], list[Pair]]:
    """(pins, forbids) from a CSV of `project_id, person_id, rule` (rule `pin` or `forbid`):
    bulk agreements and conflicts of interest, checked exactly as --pin and --forbid are."""
    raw, cols = _columns(source, {**_ID_KEYS, "rule": ("rule",)})
    frame = raw.frame
    rule = frame[cols["rule"]].str.strip().str.casefold()
    bad = ~rule.isin(["pin", "forbid"])
    blank = (frame[cols["project_id"]].str.strip() == "") | (
        frame[cols["person_id"]].str.strip() == ""
    )
    problems = [
        Problem(raw.source, int(row), cols["rule"], "error", "bad-value",
                f"rule {value!r}: write pin or forbid")
        for row, value in zip(frame.index[bad.to_numpy()], frame[cols["rule"]][bad], strict=True)
    ] + [
        Problem(raw.source, int(row), cols["project_id"], "error", "missing",
                "give both a project_id and a person_id")
        for row in frame.index[blank.to_numpy()]
    ]  # fmt: skip
    if problems:
        raise InputError(f"{raw.source}: {len(problems)} problems in the constraints",
                         sorted(problems))  # fmt: skip
    pairs = list(
        zip(
            frame[cols["project_id"]].str.strip(), frame[cols["person_id"]].str.strip(), strict=True
        )
    )
    pins = [p for p, r in zip(pairs, rule, strict=True) if r == "pin"]
    forbids = [p for p, r in zip(pairs, rule, strict=True) if r == "forbid"]
    return pins, forbids


MAX_SCORE = 1_000_000  # |score| in --scores: any scale people use, far from float overflow


def read_scores(source: str | Path) -> pd.DataFrame:
    """A CSV of `project_id, person_id, score` computed elsewhere; every bad row is reported."""
    import pandas as pd

    raw, cols = _columns(source, {**_ID_KEYS, "score": ("score",)})
    frame = raw.frame
    scores, bad = parse_column(frame[cols["score"]].to_numpy(object), parse_number)
    problems = [
        Problem(raw.source, int(frame.index[i]), cols["score"], "error", "bad-value", m)
        for i, m in bad.items()
    ]
    problems += [
        Problem(raw.source, int(row), cols["score"], "error", "missing", "the score is blank")
        for row in frame.index[np.isnan(scores)]
        if not any(p.row == row for p in problems)
    ]
    with np.errstate(invalid="ignore"):
        huge = np.flatnonzero(np.abs(scores) > MAX_SCORE)
    problems += [
        Problem(raw.source, int(frame.index[i]), cols["score"], "error", "out-of-range",
                f"{scores[i]:g} is out of range: a score must be within ±{MAX_SCORE:,}")
        for i in huge
    ]  # fmt: skip
    table = pd.DataFrame(
        {
            "project_id": frame[cols["project_id"]].str.strip().to_numpy(object),
            "person_id": frame[cols["person_id"]].str.strip().to_numpy(object),
            "score": scores,
        }
    )
    duplicated = table.duplicated(["project_id", "person_id"]).to_numpy()
    problems += [
        Problem(
            raw.source,
            int(row),
            cols["person_id"],
            "error",
            "duplicate-pair",
            "this pair is listed twice; keep one score",
        )
        for row in frame.index[duplicated]
    ]
    if problems:
        raise InputError(f"{raw.source}: {len(problems)} problems in the scores", sorted(problems))
    return table


def stand_ins(edges: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Projects and people known only by id (for `--scores` without the CSVs): team sizes
    and capacities 1, no hours, no titles or names."""
    import pandas as pd

    projects = pd.DataFrame({"id": sorted(set(edges["project_id"]))})
    people = pd.DataFrame({"id": sorted(set(edges["person_id"]))})
    for frame, name in ((projects, "title"), (people, "name")):
        frame[name] = ""
        frame["hours"] = np.nan
    projects["team_size"], people["capacity"] = 1, 1
    return projects, people


def index_of(frame: pd.DataFrame, ids: Any, what: str, option: str) -> np.ndarray:
    """Positions of ids in a table (one hash join); an unknown id is a usage error naming the
    option."""
    import pandas as pd

    wanted = np.asarray(list(ids) if not hasattr(ids, "__array__") else ids, dtype=object)
    position = pd.Index(frame["id"].to_numpy(object)).get_indexer(wanted)
    if np.any(position < 0):
        unknown = sorted({str(i) for i in wanted[position < 0]})
        raise UsageError(f"{option}: no {what} with id {', '.join(map(repr, unknown[:5]))}")
    return position.astype(np.int64)


def mark(edges: pd.DataFrame, pairs: list[Pair]) -> np.ndarray:
    """Which edges are among `pairs`, by one vectorised lookup."""
    import pandas as pd

    if not pairs or not len(edges):
        return np.zeros(len(edges), dtype=bool)
    index = pd.MultiIndex.from_arrays([edges["project_id"], edges["person_id"]])
    return np.asarray(index.isin(list(set(pairs))), dtype=bool)
