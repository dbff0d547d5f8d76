"""Skill cells as people type them: `Python:4; ReactJS`, `a | b`, `['SEO', 'Copywriting']`.

Reading a cell gives `SkillItem`s (a spelling and an optional level); what a spelling means
is the business of `gigmatch.skills`.
"""

from __future__ import annotations

import ast
import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

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

    The same rules, with the common cell (no scraper list) split inline: a column of 100,000
    people is one pass here, each piece read once by the cached `_item`. The garbage collector
    is paused meanwhile: the lists made here hold only strings and items, so they cannot form
    cycles, and a column of them would otherwise trigger a collection every 700 lists (half
    the time of this loop, measured)."""
    with paused_gc():
        return _split_cells(texts)


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


def _split_cells(texts: Iterable[str]) -> tuple[list[list[SkillItem]], list[tuple[int, str]]]:
    lists: list[list[SkillItem]] = []
    problems: list[tuple[int, str]] = []
    for i, text in enumerate(texts):
        if not text:
            lists.append([])
            continue
        if text[0] == "[":
            items, found = split_skills(text)
            lists.append(items)
            problems += [(i, p) for p in found]
            continue
        if ";" in text:
            parts = text.split(";")
        elif "|" in text:
            parts = text.split("|")
        elif "," in text:
            parts = text.split(",")
        elif "\n" in text:
            parts = text.split("\n")
        else:
            parts = [text]
        items = []
        for part in parts:
            item, problem = _item(part)
            if problem:
                problems.append((i, problem))
            if item is not None:
                items.append(item)
        lists.append(items)
    return lists, problems


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
