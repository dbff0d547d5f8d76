"""Data hygiene: every problem in a set of input files, found in one run.

The readers (`schema.load`) already report what is wrong with single cells and rows: missing
columns, duplicate or blank ids, unreadable and out-of-range values, bad levels and time zones,
empty skill lists. This module adds what only shows across rows and files: the same person or
project entered twice, rates far from the pool's, history that names nobody, skills nobody has.
A file that cannot be parsed at all is reported too, and the other files are still checked.

Errors are data that stops or silently breaks matching; warnings are things that look wrong
and deserve a look (see `CODES`). Near-duplicate search never compares all pairs: rows are
blocked by email and by name tokens, compared with their neighbours in name order inside each
block (sorted neighbourhood), and the candidate pairs are scored in bulk with rapidfuzz.
"""

from __future__ import annotations

import csv
import io as _io
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.errors import InputError, Problem
from gigmatch.read import table as io
from gigmatch.read.columns import ColumnRule, no_file_has
from gigmatch.read.config import Config
from gigmatch.read.schema import Parsed, from_frame, load
from gigmatch.read.sheets import is_workbook, split_sheet
from gigmatch.skills.vocabulary import SkillUse, skill_use
from gigmatch.steps import Progress, counter, part, reached

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

ERROR, WARNING, NOTE = "error", "warning", "note"

#: Every code `check` reports: (severity, what it means). The README lists the same table.
CODES: dict[str, tuple[str, str]] = {
    "unreadable": (ERROR, "the file cannot be read as a table (empty, or not CSV)"),
    "ragged-row": (ERROR, "a row has more cells than the header"),
    "missing-column": (ERROR, "a required column is missing"),
    "duplicate-column": (WARNING, "two headers mean the same field; the first is used"),
    "unused-column": (WARNING, "a header looks like a field but is not read as it"),
    "unknown-header": (WARNING, "a --map, --ignore or [columns] rule names no header of the file"),
    "wrong-column": (
        ERROR,
        "most of a column is unreadable or out of range: it means another thing",
    ),
    "column-mapped": (NOTE, "a field read from a header that is not its own name"),
    "sheet": (NOTE, "the sheet read from a workbook with several"),
    "blank-id": (ERROR, "a row has no id"),
    "duplicate-id": (ERROR, "an id is used on more than one row"),
    "bad-value": (ERROR, "a value cannot be read (`abc` as a rate)"),
    "out-of-range": (ERROR, "a value is outside its range (rating 7 of 5, negative hours)"),
    "bad-level": (ERROR, "a skill level is not a whole number from 1 to 5"),
    "bad-timezone": (ERROR, "a time zone gigmatch does not know"),
    "empty": (WARNING, "no skills listed: the row can never match on skills"),
    "likely-duplicate-person": (WARNING, "same email, or near-same name with the same skills"),
    "likely-duplicate-project": (WARNING, "same client, near-same title and skills"),
    "suspicious-rate": (WARNING, "a rate 10x above or below the pool's median"),
    "suspicious-budget": (WARNING, "a budget 10x above or below the projects' median"),
    "suspicious-hours": (WARNING, "more than 80 hours a week"),
    "no-hours": (WARNING, "0 hours a week but capacity for projects"),
    "team-too-large": (WARNING, "a team larger than the people who can take a project"),
    "unmet-skill": (WARNING, "a required skill nobody in the people file has"),
    "history-ids-mismatch": (ERROR, "no person id in the history is in the people file"),
    "unknown-person": (WARNING, "a history row names a person not in the people file"),
    "unknown-project": (WARNING, "a history row names an unknown project and says nothing else"),
    "duplicate-history": (WARNING, "the same person, project and date twice in the history"),
}

NAME_ALIKE = 88.0  # least name similarity (0-100) of a likely duplicate person
TITLE_ALIKE = 90.0  # least title similarity (0-100) of a likely duplicate project
SKILLS_ALIKE = 0.6  # least Jaccard index of the skill sets of a likely duplicate
WINDOW = 10  # neighbours compared in name order (and reversed) inside a block
OUTLIER = 10.0  # a rate this many times above (or below) the median is suspicious
MIN_POOL = 5  # rates needed before a median means anything
MAX_WEEK = 80.0  # weekly hours above this are suspicious


@dataclass(frozen=True)
class CheckReport:
    """The problems found, sorted by file (in the order given), row, column and code."""

    problems: tuple[Problem, ...]
    files: tuple[str, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == NOTE]

    def failed(self, strict: bool = False) -> bool:
        """Errors fail a check; with `strict`, warnings do too."""
        return bool(self.errors or (strict and self.warnings))

    def summary(self) -> str:
        """`3 errors, 2 warnings in 2 files`, or `no problems in 3 files` (notes counted apart:
        they say how a file was read, and are no problem)."""
        notes = f" ({_count(len(self.notes), 'note')})" if self.notes else ""
        if not (self.errors or self.warnings):
            return f"no problems in {_count(len(self.files), 'file')}{notes}"
        files = len({p.file for p in self.problems if p.severity != NOTE})
        counts = f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')}"
        return f"{counts} in {_count(files, 'file')}{notes}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def check(
    projects: Any,
    people: Any,
    history: Any = None,
    config: Config | None = None,
    *,
    progress: Progress | None = None,
) -> CheckReport:
    """Check a projects file, a people file and, optionally, a history file.

    Each may be a path, `-` (stdin) or a DataFrame. Problems in the data are reported, never
    raised; only a file that does not exist or cannot be opened raises `InputError`.
    `progress` is told as each file is read and each cross-row check ends.

    Example::

        report = check("projects.csv", "people.csv", "history.csv")
        for problem in report.problems: print(problem)
    """
    config = config or Config()
    inputs = {"projects": projects, "people": people, "history": history}
    parsed: dict[str, Parsed | None] = {}
    problems: list[Problem] = []
    misses: dict[ColumnRule, int] = {}
    given = [(kind, source) for kind, source in inputs.items() if source is not None]
    for phase, (kind, source) in enumerate(given):
        reached(progress, phase, len(given) + 1)
        parsed[kind], found = read_for_check(source, kind, config)
        problems += found
        for rule in getattr(parsed[kind], "misses", ()):
            misses[rule] = misses.get(rule, 0) + 1
    problems += cross_checks(parsed, config, part(progress, len(given), len(given) + 1))
    read_ok = sum(p is not None for p in parsed.values())
    headers = {p.source: p.headers for p in parsed.values() if p is not None}
    problems += [unused_rule(rule, headers) for rule, n in misses.items() if n == read_ok]
    files = tuple(_name(s, k) for k, s in inputs.items() if s is not None)
    return CheckReport(sort_problems(problems, files), files)


def unused_rule(rule: ColumnRule, headers: dict[str, tuple[str, ...]]) -> Problem:
    """A rule for every file (`--map`, `[columns]`) whose header none of the files has."""
    origin = "command line" if rule.origin.startswith("--") else rule.origin.split(" [")[0]
    message = no_file_has(rule, headers)
    return Problem(origin, None, rule.header, WARNING, "unknown-header", message)


def _name(source: Any, kind: str) -> str:
    if _is_frame(source):
        return f"<{kind} frame>"
    return "<stdin>" if str(source) == io.STDIN else str(source)


def _is_frame(source: Any) -> bool:
    return hasattr(source, "columns") and hasattr(source, "to_numpy")


def sort_problems(problems: list[Problem], files: Sequence[str]) -> tuple[Problem, ...]:
    """Files in the order given, then row (file-level first), column, code and message."""
    position = {name: i for i, name in enumerate(files)}

    def key(p: Problem) -> tuple:
        return (position.get(p.file, len(files)), p.file, p.row or 0, p.column or "", p.code)

    return tuple(sorted(set(problems), key=lambda p: (*key(p), p.message)))


# ---- reading: problems instead of exceptions --------------------------------------------------


def read_for_check(source: Any, kind: str, config: Config) -> tuple[Parsed | None, list[Problem]]:
    """Parse a file keeping every problem; a file that cannot be parsed becomes problems too.

    Returns no table (only problems) when the file cannot be used for the cross-row checks.
    """
    if _is_frame(source):
        return _usable(from_frame(source, kind, config))
    try:
        parsed = load(source, kind, config)
    except InputError as exc:
        if _cannot_open(source):
            raise
        return None, unreadable(source, str(exc))
    return _usable(parsed)


def _usable(parsed: Parsed) -> tuple[Parsed | None, list[Problem]]:
    """A table missing a required column is reported for that alone: its rows would echo the
    gap (every skill list "empty") and cross-file checks would blame the other files."""
    missing = {p.column for p in parsed.problems if p.code == "missing-column"}
    if not missing:
        return parsed, parsed.problems
    return None, [
        p for p in parsed.problems if p.code == "missing-column" or p.column not in missing
    ]


def _cannot_open(source: Any) -> bool:
    """A missing file, a folder, or one we may not read: nothing to check (exit 3, not 6)."""
    if str(source) == io.STDIN:
        return False
    path = Path(split_sheet(str(source))[0])
    return not path.is_file() or not os.access(path, os.R_OK)


_LOCATED = re.compile(r"^(?P<row>\d+): (?P<rest>.*)$", re.DOTALL)


def unreadable(source: Any, message: str) -> list[Problem]:
    """Problems for a file the reader gave up on: every ragged row, else the reader's message.

    Standard input cannot be read twice, so there only the reader's first ragged row is known.
    """
    name = _name(source, "")
    rows = [] if str(source) == io.STDIN else ragged_rows(Path(split_sheet(str(source))[0]))
    if rows and rows[0][2] > 1:  # a one-cell first row is a title: the reader's message says so
        return [
            Problem(name, row, None, ERROR, "ragged-row",
                    f"the row has {cells} cells but the header has {header}; put quotes around "
                    "cells that contain the delimiter (the rest of this file is checked once "
                    "every row reads)")
            for row, cells, header in rows
        ]  # fmt: skip
    text = message.removeprefix(f"{name}:").strip()
    located = _LOCATED.match(text)
    if not located:
        return [Problem(name, None, None, ERROR, "unreadable", text)]
    code = "ragged-row" if "cells but the header has" in text else "unreadable"
    return [Problem(name, int(located["row"]), None, ERROR, code, located["rest"])]


def ragged_rows(path: Path) -> list[tuple[int, int, int]]:
    """(row, cells, header cells) for every row longer than the header, rows as a sheet shows."""
    try:
        data = io.read_bytes(path)
        if is_workbook(path, data[:4]):
            return []  # a sheet is a grid: no row is longer than the header
        text, _ = io.decode_unicode(data, str(path)) or io.decode(data)
    except InputError:
        return []
    reader = csv.reader(_io.StringIO(text), delimiter=io.detect_delimiter(text))
    try:
        width = len(next(reader))
        return [(n, len(c), width) for n, c in enumerate(reader, start=2) if len(c) > width]
    except (csv.Error, StopIteration):
        return []


# ---- checks across rows and files -------------------------------------------------------------


def cross_checks(
    parsed: dict[str, Parsed | None], config: Config, progress: Progress | None = None
) -> list[Problem]:
    """The checks that need whole tables: duplicates, outliers, links between files, skills.
    `progress` is told as each group of checks ends (the vocabulary first)."""
    projects, people, history = (parsed.get(k) for k in ("projects", "people", "history"))
    both = projects is not None and people is not None
    tables = sum(t is not None for t in (projects, people, history))
    step = counter(progress, 1 + tables + int(both))  # the vocabulary, then each group
    use = skill_use(projects.frame if projects else None, people.frame if people else None, config)
    step()
    problems: list[Problem] = []
    if people is not None:
        problems += duplicate_people(people, use.index.by_product(use.offered))
        problems += outliers(people, "rate", "suspicious-rate", "rate", "the pool's")
        problems += too_many_hours(people) + no_hours(people)
        step()
    if projects is not None:
        problems += duplicate_projects(projects, use.index.by_product(use.required))
        problems += outliers(projects, "budget", "suspicious-budget", "budget", "the projects'")
        problems += too_many_hours(projects)
        step()
    if projects is not None and people is not None:
        problems += unmet_skills(projects, people, use, config) + teams(projects, people)
        step()
    if history is not None:
        problems += history_links(history, people, projects)
        step()
    return problems


def _column(parsed: Parsed, field: str) -> str:
    """The header as written in the file, for messages a user can find in their sheet."""
    return parsed.columns.get(field, field)


def _rows(parsed: Parsed) -> np.ndarray:
    return parsed.frame["_row"].to_numpy(np.int64)


def _texts(parsed: Parsed, field: str) -> np.ndarray:
    if field not in parsed.frame.columns:
        return np.full(len(parsed.frame), "", dtype=object)
    return parsed.frame[field].fillna("").astype(str).to_numpy(object)


def _numbers(parsed: Parsed, field: str) -> np.ndarray:
    if field not in parsed.frame.columns:
        return np.full(len(parsed.frame), np.nan)
    return parsed.frame[field].to_numpy(float)


# ---- likely duplicates ----------------------------------------------------------------------


_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_WORD = re.compile(r"[\W_]+")
_NOT_DIGIT = re.compile(r"\D+")


def name_key(text: str) -> str:
    """A name compared without case, accents, punctuation or extra spaces.

    >>> name_key("  José  Martínez-Ruiz "), name_key("O'Brien, Siobhán")
    ('jose martinez ruiz', 'o brien siobhan')
    """
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return _NOT_WORD.sub(" ", folded).strip()


def blocking_pairs(keys: np.ndarray, order: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Candidate pairs (i < j, shape n x 2) of rows that share a non-blank blocking key.

    Rows are sorted by key, then by `order` text; each row is paired with the next `window`
    rows of its block. Blocks of up to window + 1 rows are compared completely; bigger blocks
    by sorted neighbourhood, so the work is O(n * window), never O(n^2).
    """
    valid = np.flatnonzero(keys != "")
    if len(valid) < 2:
        return np.empty((0, 2), dtype=np.int64)
    key_code, order_code = (_codes(column[valid]) for column in (keys, order))
    sort = np.lexsort((valid, order_code, key_code))
    rows, codes = valid[sort], key_code[sort]
    parts = []
    for step in range(1, min(window, len(rows) - 1) + 1):
        same = codes[:-step] == codes[step:]
        parts.append(np.stack([rows[:-step][same], rows[step:][same]], axis=1))
    return np.sort(np.concatenate(parts), axis=1)


def _codes(texts: np.ndarray) -> np.ndarray:
    """Integer codes in sorted order of the texts (pandas hashes objects much faster)."""
    import pandas as pd

    return pd.factorize(texts, sort=True)[0]


def _unique_pairs(*parts: np.ndarray) -> np.ndarray:
    """The union of candidate pairs, each once, sorted (by a 1-d code: fast for millions)."""
    pairs = np.concatenate(parts)
    if not len(pairs):
        return pairs.reshape(0, 2)
    width = int(pairs.max()) + 1
    codes = np.sort(pairs[:, 0] * width + pairs[:, 1])
    codes = codes[np.concatenate([[True], codes[1:] != codes[:-1]])]
    return np.stack([codes // width, codes % width], axis=1)


def similarity(texts: np.ndarray, pairs: np.ndarray, cutoff: float = 0.0) -> np.ndarray:
    """Similarity (0-100) of the texts of each pair, in bulk rapidfuzz calls; 0 below `cutoff`.

    The better of plain and token-sorted ratio: a typo inside a word ("Ran Rivera") and words
    in another order ("Smith John") both still look alike. Texts with different numbers in
    them score 0: "Project 1" is not "Project 14".
    """
    from rapidfuzz import fuzz

    a, b = texts[pairs[:, 0]], texts[pairs[:, 1]]
    lengths = np.array([len(t) for t in texts])
    la, lb = lengths[pairs[:, 0]], lengths[pairs[:, 1]]
    # Both ratios are at most 200 * min / (la + lb): pairs that cannot reach `cutoff` are skipped.
    reachable = np.flatnonzero(200 * np.minimum(la, lb) >= cutoff * np.maximum(la + lb, 1))
    scores = np.zeros(len(pairs))
    scores[reachable] = _bulk(fuzz.ratio, a[reachable], b[reachable], cutoff)
    low = reachable[scores[reachable] < max(cutoff, 1)]
    scores[low] = np.maximum(scores[low], _bulk(fuzz.token_sort_ratio, a[low], b[low], cutoff))
    digits = np.array([_NOT_DIGIT.sub("", t) for t in texts], dtype=object)
    same = (digits[pairs[:, 0]] == digits[pairs[:, 1]]) & (a != "")
    return np.where(same, scores, 0.0)


def _bulk(scorer: Any, a: np.ndarray, b: np.ndarray, cutoff: float) -> np.ndarray:
    from rapidfuzz import process

    if not len(a):
        return np.empty(0)
    found = process.cpdist(a.tolist(), b.tolist(), scorer=scorer, score_cutoff=cutoff, workers=-1)
    return found.astype(float)


def jaccard(matrix: sparse.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """Jaccard index of the 0/1 rows of each pair; two empty rows count as alike (1.0)."""
    if not len(pairs):
        return np.empty(0)
    a, b = pairs[:, 0], pairs[:, 1]
    shared = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    size = np.asarray(matrix.sum(axis=1)).ravel()
    union = size[a] + size[b] - shared
    return np.where(union > 0, shared / np.maximum(union, 1), 1.0)


def first_matches(pairs: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Indices of kept pairs, one per later row: the pair with the earliest row it repeats.

    Each duplicate is reported once, on its own row, pointing at the first entry; the result
    is sorted by that later row.
    """
    kept = np.flatnonzero(keep)
    kept = kept[np.lexsort((pairs[kept, 0], pairs[kept, 1]))]
    later = pairs[kept, 1]
    first = np.ones(len(kept), dtype=bool)
    first[1:] = later[1:] != later[:-1]
    return kept[first]


def duplicate_people(people: Parsed, skills: sparse.csr_matrix) -> list[Problem]:
    """People entered twice: the same email, or a near-same name with near-same skills."""
    ids, names = _texts(people, "id"), _texts(people, "name")
    emails = np.array([e.strip().casefold() for e in _texts(people, "email")], dtype=object)
    keys = np.array([name_key(n) for n in names], dtype=object)
    pairs = _unique_pairs(blocking_pairs(emails, keys), name_pairs(keys))
    pairs = pairs[ids[pairs[:, 0]] != ids[pairs[:, 1]]]
    same_email = (emails[pairs[:, 0]] == emails[pairs[:, 1]]) & (emails[pairs[:, 0]] != "")
    names_alike = similarity(keys, pairs, NAME_ALIKE)
    close = names_alike >= NAME_ALIKE
    skills_alike = np.zeros(len(pairs))
    skills_alike[close] = jaccard(skills, pairs[close])
    keep = same_email | (close & (skills_alike >= SKILLS_ALIKE))
    rows = _rows(people)
    problems = []
    for k in first_matches(pairs, keep).tolist():
        i, j = pairs[k]
        column = "email" if same_email[k] else "name"
        message = _person_message(ids[i], names[i], int(rows[i]), bool(same_email[k]),
                                  names_alike[k], skills_alike[k])  # fmt: skip
        problems.append(
            Problem(people.source, int(rows[j]), _column(people, column), WARNING,
                    "likely-duplicate-person", message)
        )  # fmt: skip
    return problems


def name_pairs(keys: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Candidate pairs of near-same names (keys from `name_key`).

    Blocks: last name + first initial (a typo in the first name) and first name + last
    initial (a typo in the last name). Each block is scanned in name order and in reversed
    name order, because a typo early in a name moves it far away in the first but not in the
    second ("Jmes" sorts far from "James", "semj" next to "semaj").
    """
    first, last = _tokens(keys)
    backwards = np.array([k[::-1] for k in keys], dtype=object)
    blocks = (_join(last, _initial(first)), _join(first, _initial(last)))
    return _unique_pairs(
        *(blocking_pairs(block, order, window) for block in blocks for order in (keys, backwards))
    )


def _tokens(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    split = [k.split() for k in keys]
    first = np.array([t[0] if t else "" for t in split], dtype=object)
    last = np.array([t[-1] if t else "" for t in split], dtype=object)
    return first, last


def _initial(tokens: np.ndarray) -> np.ndarray:
    return np.array([t[:1] for t in tokens], dtype=object)


def _join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Blocking keys `a|b`; blank where `a` is blank (no key, no block)."""
    return np.array([f"{x}|{y}" if x else "" for x, y in zip(a, b, strict=True)], dtype=object)


def _person_message(
    other_id: str, other_name: str, row: int, same_email: bool, names: float, skills: float
) -> str:
    why = ["same email"] if same_email else []
    if names >= NAME_ALIKE:
        why += [f"names {names:.0f}% alike", f"skills {skills * 100:.0f}% alike"]
    reasons = ", ".join(why)
    return (
        f"probably the same person as {other_id} '{other_name}' (row {row}): {reasons}; "
        "merge the two rows under one id, or correct the email if they are two people"
    )


def duplicate_projects(projects: Parsed, skills: sparse.csr_matrix) -> list[Problem]:
    """Projects entered twice: the same client, a near-same title and near-same skills."""
    ids, titles = _texts(projects, "id"), _texts(projects, "title")
    clients = np.array([name_key(c) or "-" for c in _texts(projects, "client")], dtype=object)
    keys = np.array([name_key(t) for t in titles], dtype=object)
    pairs = blocking_pairs(clients, keys)
    pairs = pairs[ids[pairs[:, 0]] != ids[pairs[:, 1]]]
    alike = similarity(keys, pairs, TITLE_ALIKE)
    close = alike >= TITLE_ALIKE
    skills_alike = np.zeros(len(pairs))
    skills_alike[close] = jaccard(skills, pairs[close])
    keep = close & (skills_alike >= SKILLS_ALIKE)
    rows = _rows(projects)
    problems = []
    for k in first_matches(pairs, keep).tolist():
        i, j = pairs[k]
        problems.append(
            Problem(projects.source, int(rows[j]), _column(projects, "title"), WARNING,
                    "likely-duplicate-project",
                    f"probably the same project as {ids[i]} '{titles[i]}' (row {rows[i]}): same "
                    f"client, titles {alike[k]:.0f}% alike, skills {skills_alike[k] * 100:.0f}% "
                    "alike; delete one, or make the titles say how they differ")
        )  # fmt: skip
    return problems


# ---- suspicious numbers -----------------------------------------------------------------------


def outliers(parsed: Parsed, field: str, code: str, label: str, pool: str) -> list[Problem]:
    """Values 10x above or below the median of the column: a daily rate, cents, a typo."""
    values = _numbers(parsed, field)
    usable = values[np.isfinite(values) & (values > 0)]
    if len(usable) < MIN_POOL:
        return []
    median = float(np.median(usable))
    with np.errstate(invalid="ignore"):
        high = np.flatnonzero(values >= OUTLIER * median)
        low = np.flatnonzero((values >= 0) & (values <= median / OUTLIER))
    rows, column = _rows(parsed), _column(parsed, field)
    problems = [
        Problem(parsed.source, int(rows[i]), column, WARNING, code,
                f"{label} {values[i]:g} is {values[i] / median:.0f}x {pool} median "
                f"({median:g}): a daily or monthly figure, or a typo? Enter the hourly {label}")
        for i in high
    ]  # fmt: skip
    problems += [
        Problem(parsed.source, int(rows[i]), column, WARNING, code,
                f"{label} {values[i]:g} is under a tenth of {pool} median ({median:g}): a typo? "
                f"Enter the hourly {label}, or leave it blank if unknown")
        for i in low
    ]  # fmt: skip
    return problems


def too_many_hours(parsed: Parsed) -> list[Problem]:
    """Weekly hours no one works: probably hours per month or for the whole project."""
    hours = _numbers(parsed, "hours")
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero((hours > MAX_WEEK) & (hours <= 168))
    rows, column = _rows(parsed), _column(parsed, "hours")
    return [
        Problem(parsed.source, int(rows[i]), column, WARNING, "suspicious-hours",
                f"{hours[i]:g} hours a week is more than {MAX_WEEK:g}: hours per month or in "
                "total? Enter hours per week")
        for i in bad
    ]  # fmt: skip


def no_hours(people: Parsed) -> list[Problem]:
    """0 hours a week with room for projects: they can never be staffed."""
    hours, capacity = _numbers(people, "hours"), _numbers(people, "capacity")
    bad = np.flatnonzero((hours == 0) & (np.nan_to_num(capacity, nan=1.0) > 0))
    rows, column = _rows(people), _column(people, "hours")
    return [
        Problem(people.source, int(rows[i]), column, WARNING, "no-hours",
                "0 hours a week but capacity for projects: fill in their hours, or set capacity "
                "to 0 while they are away")
        for i in bad
    ]  # fmt: skip


def teams(projects: Parsed, people: Parsed) -> list[Problem]:
    """Teams larger than the number of people who can take a project at all."""
    capacity = np.nan_to_num(_numbers(people, "capacity"), nan=1.0)
    available = int(np.count_nonzero(capacity > 0))
    team = _numbers(projects, "team_size")
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(team > available)
    rows, column = _rows(projects), _column(projects, "team_size")
    return [
        Problem(projects.source, int(rows[i]), column, WARNING, "team-too-large",
                f"a team of {team[i]:g} but only {available} people in {people.source} can take "
                "a project: check the team size, or add people")
        for i in bad
    ]  # fmt: skip


# ---- skills nobody has ------------------------------------------------------------------------


def unmet_skills(projects: Parsed, people: Parsed, use: SkillUse, config: Config) -> list[Problem]:
    """Required skills that no person has: nobody would meet them in `match` (the same skill,
    any version of it; a related skill is partial credit, not the skill)."""
    wanted = np.flatnonzero(np.asarray(use.required.sum(axis=0)).ravel() > 0)
    met = np.asarray(use.meets.sum(axis=0)).ravel() > 0
    unmet = wanted[~met[wanted]]
    if not len(unmet):
        return []
    hits = use.required[:, unmet].tocoo()
    by_project: dict[int, list[str]] = {}
    for row, col in sorted(zip(hits.row.tolist(), hits.col.tolist(), strict=True)):
        by_project.setdefault(row, []).append(use.vocab.names[unmet[col]])
    rows, column = _rows(projects), _column(projects, "skills")
    return [
        Problem(projects.source, int(rows[p]), column, WARNING, "unmet-skill",
                f"nobody in {people.source} has {', '.join(names)}: recruit, drop the "
                "requirement, or add an alias if people write it another way")
        for p, names in sorted(by_project.items())
    ]  # fmt: skip


# ---- history ----------------------------------------------------------------------------------


def history_links(history: Parsed, people: Parsed | None, projects: Parsed | None) -> list[Problem]:
    """History rows that name unknown people or projects, and rows entered twice.

    An unknown person is a warning (people leave the bench; their records are just unused),
    unless *no* person id matches: then the files use different ids and the whole history is
    silently ignored, which is an error. History lists past projects, so a project id missing
    from the projects file is normal; it is reported only when the row has no skills and no
    client either, because then nothing says what the work was.
    """
    problems = duplicate_history(history)
    if people is not None:
        problems += unknown_people(history, people)
    if projects is not None:
        problems += unknown_projects(history, projects)
    return problems


def unknown_people(history: Parsed, people: Parsed) -> list[Problem]:
    """Person ids the people file does not have; all of them unknown is one error."""
    known = set(_texts(people, "id")) - {""}
    named = _texts(history, "person_id")
    unknown = np.array([p != "" and p not in known for p in named], dtype=bool)
    column = _column(history, "person_id")
    if len(known) and unknown.any() and unknown.sum() == np.count_nonzero(named != ""):
        example = next(iter(sorted(known)))
        return [
            Problem(history.source, None, column, ERROR, "history-ids-mismatch",
                    f"none of the person ids in {history.source} (e.g. '{named[unknown][0]}') "
                    f"is an id in {people.source} (e.g. '{example}'): the history would be "
                    f"ignored; use the ids of {people.source}")
        ]  # fmt: skip
    by_fold = {k.casefold().replace(" ", ""): k for k in sorted(known)}
    rows = _rows(history)
    return [
        Problem(history.source, int(rows[i]), column, WARNING, "unknown-person",
                f"person '{named[i]}' is not in {people.source}, so this record is unused"
                + _did_you_mean(by_fold.get(named[i].casefold().replace(" ", "")))
                + "; correct the id, or ignore this if they have left")
        for i in np.flatnonzero(unknown)
    ]  # fmt: skip


def _did_you_mean(candidate: str | None) -> str:
    return f" (did you mean '{candidate}'? ids must match exactly)" if candidate else ""


def unknown_projects(history: Parsed, projects: Parsed) -> list[Problem]:
    """Unknown project ids on rows that carry no skills and no client."""
    known = set(_texts(projects, "id"))
    named, clients = _texts(history, "project_id"), _texts(history, "client")
    skills = history.frame["skills"] if "skills" in history.frame.columns else [[]] * len(named)
    bare = [
        i
        for i, (project, client, listed) in enumerate(zip(named, clients, skills, strict=True))
        if project and project not in known and not client and not listed
    ]
    rows, column = _rows(history), _column(history, "project_id")
    return [
        Problem(history.source, int(rows[i]), column, WARNING, "unknown-project",
                f"project '{named[i]}' is not in {projects.source} and the row names no skills "
                "and no client: it counts only towards overall rating and on-time; add the "
                "skills the work used (and the client)")
        for i in bare
    ]  # fmt: skip


def duplicate_history(history: Parsed) -> list[Problem]:
    """The same person, project and date on two rows: the record would count twice."""
    if "date" not in history.frame.columns:
        return []
    dates = history.frame["date"].astype(str).to_numpy(object)
    keys = zip(_texts(history, "person_id"), _texts(history, "project_id"), dates, strict=True)
    first: dict[tuple[str, str, str], int] = {}
    repeated = [(i, first.setdefault(k, i)) for i, k in enumerate(keys)]
    rows, column = _rows(history), _column(history, "project_id")
    return [
        Problem(history.source, int(rows[i]), column, WARNING, "duplicate-history",
                f"same person, project and date as row {rows[j]}: entered twice? Delete one, "
                "or the record counts twice")
        for i, j in repeated
        if i != j
    ]  # fmt: skip


# ---- output -----------------------------------------------------------------------------------

PROBLEM_COLUMNS = ["file", "row", "column", "severity", "code", "message"]


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """The problems as a table with the documented columns (row and column may be blank)."""
    import pandas as pd

    data = {
        name: pd.Series([getattr(p, name) for p in problems], dtype=object)
        for name in PROBLEM_COLUMNS
    }
    return pd.DataFrame(data, columns=PROBLEM_COLUMNS)
