"""Skill cells as people type them: `Python:4; ReactJS`, `a | b`, `['SEO', 'Copywriting']`.

Reading a cell gives `SkillItem`s (a spelling and an optional level); what a spelling means
is the business of `gigmatch.skills`.
"""

from __future__ import annotations

import ast
import gc
import operator
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import repeat

import numpy as np

MIN_LEVEL, MAX_LEVEL = 1, 5

MAX_NAME = 100  # characters in one skill name; longer is a pasted paragraph, not a skill
# A scraper's list of quoted names, `['Copywriting', "SEO"]`: flat by construction, so reading it
# can never recurse (ast.literal_eval on `[---…1]` would).
_QUOTED = r"""(?:'[^'\\]*'|"[^"\\]*")"""
_FLAT_LIST = re.compile(rf"\[\s*(?:{_QUOTED}\s*(?:,\s*{_QUOTED}\s*)*,?\s*)?\]")
_LEVEL = re.compile(r"^(?P<name>.*?)\s*:\s*(?P<level>[^:]*\d[^:]*)$")


@dataclass(frozen=True)
class SkillItem:
    """One skill as written in a cell: the spelling, and the level (1-5) if one was given."""

    name: str
    level: int | None = None

    def __str__(self) -> str:
        """The item as a cell writes it: `Python:4`, or `SQL` with no level."""
        return self.name if self.level is None else f"{self.name}:{self.level}"


def skill_cell(items: Iterable[SkillItem]) -> str:
    """A parsed skill list written back as one cell, for output that passes a column through.

    >>> skill_cell([SkillItem("Python", 4), SkillItem("SQL")])
    'Python:4; SQL'
    """
    return "; ".join(map(str, items))


def split_skills(cell: str) -> tuple[list[SkillItem], list[str]]:
    """Split a skill cell into items, returning the problems found alongside.

    `;` separates skills; where a cell has none, `|` and then `,` do. Scraper-style lists such
    as `['Copywriting', 'SEO']` are read as lists. `Python:4` gives a level from 1 to 5.

    >>> split_skills("Python:4; ReactJS")[0]
    [SkillItem(name='Python', level=4), SkillItem(name='ReactJS', level=None)]
    >>> split_skills("['Copywriting', 'SEO']")[0]
    [SkillItem(name='Copywriting', level=None), SkillItem(name='SEO', level=None)]
    """
    items: list[SkillItem] = []
    problems: list[str] = []
    for part in _parts(cell):
        item, problem = _item(part)
        if problem:
            problems.append(problem)
        if item is not None:
            items.append(item)
    return items, problems


def split_cells(texts: Iterable[str]) -> tuple[list[list[SkillItem]], list[tuple[int, str]]]:
    """`split_skills` for a column of stripped cell texts ("" when blank): the item lists, and
    (position, problem) for the problems found, in order.

    >>> split_cells(["Python:4; SQL", "", "SQL:9"])
    ([[SkillItem(name='Python', level=4), SkillItem(name='SQL', level=None)], [], \
[SkillItem(name='SQL', level=None)]], [(2, "level '9' of 'SQL' is not a whole number from 1 to 5 \
(write SQL:4)")])
    """
    import pandas as pd

    cells = texts if isinstance(texts, np.ndarray) else np.fromiter(texts, dtype=object)
    codes, uniques = pd.factorize(cells.astype(object, copy=False))
    return split_coded(np.asarray(codes, dtype=np.intp), list(uniques))


def split_coded(
    codes: np.ndarray, texts: list[str]
) -> tuple[list[list[SkillItem]], list[tuple[int, str]]]:
    """`split_cells` of the column `texts[codes]`: each distinct text split once, then every
    cell given its own list (a copy, so no two rows share a list a caller might change).

    A people file repeats skill cells, and cells that differ still share most pieces, so the
    work is per distinct text and per distinct piece (`_split_distinct`). The garbage collector
    is paused meanwhile: the lists made here hold only strings and items, so they cannot form
    cycles, and a column of them would otherwise trigger a collection every 700 lists (half the
    time of a per-cell loop, measured)."""
    with paused_gc():
        lists, found = _split_distinct(texts)
        rows = _own_lists(lists, codes)
    if not found:
        return rows, []
    by_text: dict[int, list[str]] = {}
    for u, problem in found:
        by_text.setdefault(u, []).append(problem)
    flagged = np.zeros(len(texts), dtype=bool)
    flagged[list(by_text)] = True
    at = np.flatnonzero(flagged[codes])
    cells = zip(at.tolist(), codes[at].tolist(), strict=True)
    problems = [(row, problem) for row, u in cells for problem in by_text[u]]
    return rows, problems


def _own_lists(lists: list[list[SkillItem]], codes: np.ndarray) -> list[list[SkillItem]]:
    """`lists[codes]` with every cell its own list: a text's first cell takes the list made
    for it, only the cells that repeat an earlier text take a copy (copying every cell's list
    was 1.9 of 2.3 ms on 10,000 people that nearly all differ).

    >>> a, b = ["a"], ["b"]
    >>> rows = _own_lists([a, b], np.array([1, 0, 1]))
    >>> rows, rows[0] is b, rows[1] is a, rows[2] is b
    ([['b'], ['a'], ['b']], True, True, False)
    """
    rows = list(map(lists.__getitem__, codes.tolist()))
    again = np.ones(len(codes), dtype=bool)
    again[np.unique(codes, return_index=True)[1]] = False
    for i in np.flatnonzero(again).tolist():
        rows[i] = list(rows[i])
    return rows


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a loop that makes many acyclic containers."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_SEPARATORS = (";", "|", ",", "\n")  # the first one a cell holds separates its skills


_UNQUOTE = operator.methodcaller("strip", "'\"")
_LEVELS = {str(n): n for n in range(MIN_LEVEL, MAX_LEVEL + 1)}


def _split_distinct(texts: list[str]) -> tuple[list[list[SkillItem]], list[tuple[int, str]]]:
    """Item lists of stripped texts ("" when blank), and (position, problem) in order.

    The texts are grouped by the separator they use and each group is joined and split in
    one call (a text with k separators gives k + 1 pieces, so the pieces stay text by text);
    each distinct piece is read once (`_read_pieces`) and numpy takes the items back to the
    pieces and cuts them into the texts' lists, so Python does no step per text or piece.
    Scraper lists (`['a', 'b']`) are rare and take `split_skills`."""
    cells = np.empty(len(texts), dtype=object)
    groups, blank, listed = _by_separator(texts)
    order, owner, pieces = _pieces(texts, groups)
    found: list[tuple[int, str]] = []
    if pieces:
        codes, distinct = _factorize(pieces)
        items, problems = _read_pieces(distinct)
        keep = np.fromiter(map(operator.is_not, items, repeat(None)), bool, len(items))[codes]
        kept = items[codes[keep]].tolist()
        ends = np.cumsum(np.bincount(owner[keep], minlength=len(texts))[order])
        starts = np.concatenate(([0], ends[:-1]))
        cuts = map(slice, starts.tolist(), ends.tolist())
        cells[order] = np.fromiter(map(kept.__getitem__, cuts), dtype=object, count=len(order))
        if problems:
            flagged = np.zeros(len(items), dtype=bool)
            flagged[list(problems)] = True
            at = np.flatnonzero(flagged[codes]).tolist()
            found = [(int(owner[k]), problems[int(codes[k])]) for k in at]
    cells[blank] = np.fromiter(map(list, repeat((), len(blank))), dtype=object, count=len(blank))
    lists: list[list[SkillItem]] = cells.tolist()
    for i in listed:
        lists[i], messages = split_skills(texts[i])
        found += [(i, message) for message in messages]
    found.sort(key=operator.itemgetter(0))  # stable: each cell's problems stay in piece order
    return lists, found


def _pieces(
    texts: list[str], groups: list[tuple[str, list[int]]]
) -> tuple[list[int], np.ndarray, list[str]]:
    """The raw pieces of the grouped texts, group by group and text by text: the positions
    of the texts in that order, the text each piece came from, and the pieces."""
    order: list[int] = []
    owners: list[np.ndarray] = [np.empty(0, dtype=np.intp)]
    pieces: list[str] = []
    for separator, at in groups:
        if not at:
            continue
        chosen = list(map(texts.__getitem__, at))
        counts = np.fromiter(map(str.count, chosen, repeat(separator)), np.intp, len(at)) + 1
        order += at
        owners.append(np.repeat(np.asarray(at, dtype=np.intp), counts))
        pieces += separator.join(chosen).split(separator)
    return order, np.concatenate(owners), pieces


def _factorize(texts: list[str]) -> tuple[np.ndarray, list[str]]:
    """`(codes, distinct)` with `distinct[codes]` the texts, hashed in C."""
    import pandas as pd

    codes, distinct = pd.factorize(np.array(texts, dtype=object))
    return np.asarray(codes, dtype=np.intp), list(distinct)


def _read_pieces(parts: list[str]) -> tuple[np.ndarray, dict[int, str]]:
    """`_item` of each of many pieces: their items (None for a blank piece) and the problem
    message of each piece that has one, by position.

    The two shapes nearly every piece has, a name (`ReactJS`) and a name with a level from 1
    to 5 (`Python:4`), are read by C-level maps and one `SkillItem` each; any other piece
    (blank, too long, an odd level) is read by `_item` itself, which says what is wrong."""
    n = len(parts)
    items = np.full(n, None, dtype=object)
    names = list(map(" ".join, map(str.split, map(_UNQUOTE, map(str.strip, parts)))))
    sizes = np.fromiter(map(len, names), dtype=np.intp, count=n)
    colon = np.fromiter(map(operator.contains, names, repeat(":")), dtype=bool, count=n)
    fits = (sizes > 0) & (sizes <= MAX_NAME)
    done = fits & ~colon  # no level: the name is the item
    plain = np.flatnonzero(done)
    made = map(SkillItem, map(names.__getitem__, plain.tolist()))
    items[plain] = np.fromiter(made, dtype=object, count=len(plain))
    at, levels = _levelled(names, np.flatnonzero(fits & colon).tolist())
    made = map(SkillItem, map(operator.itemgetter(0), levels), map(operator.itemgetter(1), levels))
    items[at] = np.fromiter(made, dtype=object, count=len(at))
    done[at] = True
    problems: dict[int, str] = {}
    for i in np.flatnonzero(~done).tolist():
        items[i], problem = _item(parts[i])
        if problem:
            problems[i] = problem
    return items, problems


def _levelled(names: list[str], at: list[int]) -> tuple[list[int], list[tuple[str, int]]]:
    """Of the names at `at`, those of the form `Name:4` with a level from 1 to 5 (as `_item`
    reads them): their positions and (name, level).

    The names are `_read_pieces`' (whitespace runs made one space, none at the ends), so
    `_LEVEL` comes down to a split at the last `:` (a level holds none): the name before it
    and the level after it, both stripped, the name not empty. Splitting by a C-level map is
    three times as fast as matching the expression piece by piece (3.6 of 5.5 ms saved on
    10,000 people)."""
    cut = map(str.rpartition, map(names.__getitem__, at), repeat(":"))
    heads, _, tails = zip(*cut, strict=True) if at else ((), (), ())
    levels = map(_LEVELS.get, map(str.strip, tails))
    named = map(str.strip, heads)
    good = [
        (i, name, level)
        for i, name, level in zip(at, named, levels, strict=True)
        if level is not None and name
    ]
    return [i for i, _, _ in good], [(name, level) for _, name, level in good]


def _by_separator(texts: list[str]) -> tuple[list[tuple[str, list[int]]], list[int], list[int]]:
    """Positions of the texts by the separator each uses (a text with none is one piece, as
    splitting it at `;` gives), of the blank texts, and of the scraper lists."""
    n = len(texts)
    filled = np.fromiter(map(len, texts), dtype=np.intp, count=n) > 0
    opens = map(operator.methodcaller("startswith", "["), texts)
    listed = filled & np.fromiter(opens, dtype=bool, count=n)
    left = filled & ~listed
    masks = []
    for separator in _SEPARATORS:
        has = np.fromiter(map(operator.contains, texts, repeat(separator)), dtype=bool, count=n)
        masks.append(left & has)
        left &= ~has
    masks[0] |= left
    groups = [(sep, np.flatnonzero(m).tolist()) for sep, m in zip(_SEPARATORS, masks, strict=True)]
    return groups, np.flatnonzero(~filled).tolist(), np.flatnonzero(listed).tolist()


def _parts(cell: str) -> list[str]:
    """The raw pieces of a skill cell, by the first separator that the cell uses."""
    text = cell.strip()
    if text.startswith("[") and text.endswith("]"):
        if _FLAT_LIST.fullmatch(text):
            return [str(v) for v in ast.literal_eval(text)]
        text = text[1:-1]
    for separator in (";", "|", ",", "\n"):
        if separator in text:
            return text.split(separator)
    return [text]


@cache
def _item(part: str) -> tuple[SkillItem | None, str | None]:
    """Read one piece: `Name` or `Name:level`; blank pieces (from `a;;b`) are skipped.

    Cached: a pool of 100,000 people writes the same few thousand pieces over and over."""
    text = " ".join(part.strip().strip("'\"").split())
    if not text:
        return None, None
    if len(text) > MAX_NAME:
        return None, (
            f"a skill name of {len(text):,} characters ('{text[:20]}…'): names are at most "
            f"{MAX_NAME}; separate skills with ;"
        )
    match = _LEVEL.match(text)
    if not match or not match["name"]:
        return SkillItem(text), None
    name, level = match["name"].strip(), match["level"].strip()
    if level.isdigit() and MIN_LEVEL <= int(level) <= MAX_LEVEL:
        return SkillItem(name, int(level)), None
    problem = f"level '{level}' of '{name}' is not a whole number from 1 to 5 (write {name}:4)"
    return SkillItem(name), problem
