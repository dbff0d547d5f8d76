"""Skills: normalising spellings, aliases, the vocabulary and the similarity of skills.

Matching is done once per distinct spelling, never per person-project pair: every spelling in
the data is normalised to a key, keys are grouped into skills through the alias table, and the
fuzzy comparison runs over the (small) vocabulary of skills with rapidfuzz's `cdist`. Scoring
then only looks up the resulting sparse similarity table.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

_SEPARATORS = re.compile(r"[\s_\-–—/]+")
# A version suffix: "Python 3", "python3", "Angular 12", "Vue 3.x", "Java 8+", "C++17". Longer
# numbers are names, not versions: "Office 365", "Fusion 360", "SQL Server 2019".
_VERSION = re.compile(r"(?P<base>.*?)(?P<space>\s?)v?\d{1,2}(?:\.(?:\d+|x))*\+?$")


@cache
def normalise(name: str) -> str:
    """The comparison key of a skill spelling.

    Case, accents' composed forms, spacing, `-`/`_`/`/` separators and version suffixes are
    ignored; the symbols that tell skills apart (`C`, `C++`, `C#`, `.NET`, `Node.js`) are kept.

    >>> [normalise(s) for s in ["Python 3", "python3", "  Machine_Learning ", "C++", "C#", "C"]]
    ['python', 'python', 'machine learning', 'c++', 'c#', 'c']
    >>> normalise("Vue 3.x"), normalise("Web3"), normalise("S3"), normalise("Office 365")
    ('vue', 'web3', 's3', 'office 365')
    """
    key = _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    return _strip_version(key)


def _strip_version(key: str) -> str:
    """Drop a trailing version unless what remains would be too short to mean the same."""
    match = _VERSION.fullmatch(key)
    if not match:
        return key
    base = match["base"].rstrip()
    long_enough = len(base) >= 4 or (match["space"] and len(base) >= 2)
    return base if long_enough and base[-1:].isalpha() else key


class AliasTable:
    """Spelling keys mapped to canonical skill names: the built-in table plus the user's."""

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        self._canonical: dict[str, str] = {}
        for canonical, aliases in groups.items():
            for spelling in (canonical, *aliases):
                self._canonical[normalise(spelling)] = canonical

    def canonical(self, key: str) -> str | None:
        """The canonical name for a normalised key, or None for a spelling it does not know."""
        return self._canonical.get(key)

    def __len__(self) -> int:
        return len(self._canonical)


@cache
def builtin_aliases() -> dict[str, list[str]]:
    """The alias table shipped in gigmatch/data/aliases.toml."""
    text = resources.files("gigmatch").joinpath("data/aliases.toml").read_text("utf-8")
    return {str(k): list(v) for k, v in tomllib.loads(text).get("aliases", {}).items()}


def alias_table(user: Mapping[str, Iterable[str]] | None = None) -> AliasTable:
    """The built-in aliases overridden by the user's `[aliases]` (the user wins on conflicts)."""
    groups: dict[str, list[str]] = {k: list(v) for k, v in builtin_aliases().items()}
    for canonical, aliases in (user or {}).items():
        groups.setdefault(canonical, []).extend(aliases)
    user_keys = {normalise(a): c for c, aliases in (user or {}).items() for a in [c, *aliases]}
    for canonical in list(groups):
        groups[canonical] = [
            a for a in groups[canonical] if user_keys.get(normalise(a), canonical) == canonical
        ]
    return AliasTable(groups)


@dataclass(frozen=True)
class Vocabulary:
    """Every spelling in the data, grouped into skills.

    `skill_of[key]` is the skill id of a normalised spelling; `names[id]` the name shown for the
    skill (its canonical name, or its most common spelling); `known[id]` whether the alias table
    knows it; `keys[id]` all normalised spellings of that skill seen in the data.
    """

    skill_of: dict[str, int]
    names: list[str]
    known: np.ndarray
    keys: list[list[str]]
    spellings: list[list[str]]

    def __len__(self) -> int:
        return len(self.names)

    def id_of(self, spelling: str) -> int:
        """The skill id of a spelling as written (it must be part of the vocabulary)."""
        return self.skill_of[normalise(spelling)]


def build_vocabulary(spellings: Iterable[str], aliases: AliasTable) -> Vocabulary:
    """Group spellings into skills: by alias where the table knows them, else by key.

    Ids are assigned in sorted order of the skill names so the vocabulary, and everything
    built on it, is the same whatever order the rows came in.
    """
    counts = Counter(s for s in spellings if s)
    by_skill: dict[tuple[bool, str], Counter[str]] = {}
    for spelling, n in counts.items():
        key = normalise(spelling)
        canonical = aliases.canonical(key)
        group = (True, canonical) if canonical else (False, key)
        by_skill.setdefault(group, Counter())[spelling] += n
    groups = sorted(by_skill.items(), key=lambda g: (_display(g[0], g[1]).casefold(), g[0]))
    skill_of: dict[str, int] = {}
    names, known, keys, written = [], [], [], []
    for sid, ((is_known, _), spelt) in enumerate(groups):
        names.append(_display((is_known, _), spelt))
        known.append(is_known)
        sorted_spellings = sorted(spelt)
        written.append(sorted_spellings)
        skill_keys = sorted({normalise(s) for s in sorted_spellings})
        keys.append(skill_keys)
        skill_of.update(dict.fromkeys(skill_keys, sid))
    return Vocabulary(skill_of, names, np.array(known, dtype=bool), keys, written)


def _display(group: tuple[bool, str], spelt: Counter[str]) -> str:
    """A skill's shown name: canonical if known, else its most common spelling (ties sorted)."""
    is_known, name = group
    if is_known:
        return name
    return min(spelt.items(), key=lambda item: (-item[1], item[0]))[0]


@dataclass(frozen=True)
class Similarity:
    """Sparse skill-to-skill similarity (0-1): same skill 1, fuzzy matches their ratio / 100.

    Stored as parallel arrays of (wanted skill, offered skill, similarity) so scoring can join
    on them with numpy; identical skills are implicit and not listed.
    """

    wanted: np.ndarray
    offered: np.ndarray
    value: np.ndarray

    def lookup(self) -> dict[tuple[int, int], float]:
        """A dict view for the few places that explain single pairs."""
        return {
            (int(w), int(o)): float(v)
            for w, o, v in zip(self.wanted, self.offered, self.value, strict=True)
        }


def fuzzy_similarity(
    vocab: Vocabulary,
    wanted: np.ndarray,
    offered: np.ndarray,
    *,
    threshold: float = 80.0,
    short_name: int = 3,
) -> Similarity:
    """Fuzzy matches between the skills projects want and the skills people offer.

    Every spelling of a wanted skill is compared once with every spelling of an offered one
    (rapidfuzz `cdist`, `ratio` scorer, no default processor: it would make C, C# and C++ one).
    Guards keep look-alikes apart: two skills the alias table knows are never merged (Java vs
    JavaScript), short names match only exactly, and multi-word names must agree word by word
    (UX design vs UI design).
    """
    from rapidfuzz import fuzz, process

    left = [(sid, key) for sid in np.unique(wanted) for key in vocab.keys[sid]]
    right = [(sid, key) for sid in np.unique(offered) for key in vocab.keys[sid]]
    empty = Similarity(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
    if not left or not right:
        return empty
    scores = process.cdist(
        [k for _, k in left],
        [k for _, k in right],
        scorer=fuzz.ratio,
        dtype=np.uint8,
        score_cutoff=int(np.ceil(threshold)),
        workers=-1,
    )
    rows, cols = np.nonzero(scores)
    rows, cols = _cheap_guards(vocab, left, right, rows, cols, short_name)
    best: dict[tuple[int, int], float] = {}
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        (ws, wkey), (os_, okey) = left[i], right[j]
        if not _words_agree(wkey.split(), okey.split(), short_name, threshold):
            continue
        if not _plausible_typo(wkey, okey):
            continue
        value = scores[i, j] / 100.0
        best[(ws, os_)] = max(best.get((ws, os_), 0.0), value)
    if not best:
        return empty
    pairs = sorted(best)
    return Similarity(
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
        np.array([best[p] for p in pairs]),
    )


def _cheap_guards(
    vocab: Vocabulary, left: list, right: list, rows: np.ndarray, cols: np.ndarray, short: int
) -> tuple[np.ndarray, np.ndarray]:
    """The guards that need no word-by-word look, applied to all close pairs at once: not the
    same skill, not two skills the alias table knows (Java vs JavaScript), no short names
    (C, R, Go), and the same digits (Web2 vs Web3)."""

    def side(items: list) -> tuple[np.ndarray, np.ndarray]:
        ids = np.array([sid for sid, _ in items], dtype=np.int64)
        return ids, np.array([len(key) for _, key in items])

    (lid, llen), (rid, rlen) = side(left), side(right)
    _, digits = np.unique([_digits(key) for _, key in left + right], return_inverse=True)
    ldig, rdig = digits[: len(left)], digits[len(left) :]
    keep = lid[rows] != rid[cols]
    keep &= ~(vocab.known[lid[rows]] & vocab.known[rid[cols]])
    keep &= np.minimum(llen[rows], rlen[cols]) > short
    keep &= ldig[rows] == rdig[cols]
    return rows[keep], cols[keep]


def _digits(key: str) -> str:
    return "".join(ch for ch in key if ch.isdigit())


def _words_agree(a: list[str], b: list[str], short_name: int, threshold: float) -> bool:
    """Multi-word names with the same number of words must match word by word.

    >>> _words_agree(["ux", "design"], ["ui", "design"], 3, 80)
    False
    >>> _words_agree(["machine", "lerning"], ["machine", "learning"], 3, 80)
    True
    """
    if len(a) != len(b) or len(a) < 2:
        return True
    from rapidfuzz import fuzz

    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if min(len(x), len(y)) <= short_name or fuzz.ratio(x, y) < threshold:
            return False
    return True


SHORT_WORD = 8  # below this length, only a typo-shaped difference counts as the same skill
MIN_FUZZY = 5  # names shorter than this never match fuzzily


def _plausible_typo(a: str, b: str) -> bool:
    """Short names one letter apart are often two real words (Rust and Trust, Scala and
    Scale, Figma and Sigma), so below `SHORT_WORD` letters a fuzzy match must look like a
    typo: one swapped, missing or extra letter inside the word, same first and last letter.

    >>> [_plausible_typo("python", x) for x in ("pyhton", "pythn", "trust", "scale", "pythan")]
    [True, True, False, False, False]
    >>> _plausible_typo("kubernetes", "kubernets"), _plausible_typo("rust", "rusts")
    (True, False)
    """
    from rapidfuzz.distance import OSA, Indel

    if min(len(a), len(b)) >= SHORT_WORD:
        return True
    if min(len(a), len(b)) < MIN_FUZZY or a[0] != b[0] or a[-1] != b[-1]:
        return False
    if OSA.distance(a, b) != 1:
        return False
    return Indel.distance(a, b) == 1 or sorted(a) == sorted(b)  # not a substitution


def level_factor(wanted: np.ndarray, offered: np.ndarray, step: float) -> np.ndarray:
    """Credit kept when a person's level is below the level a project asks for.

    Levels are 1-5, 0 meaning "not asked". Each level short costs `step`, down to a floor of
    `step` (a match at any level is worth something).

    >>> level_factor(np.array([0, 4, 4, 5]), np.array([1, 4, 2, 1]), 0.2).round(2).tolist()
    [1.0, 1.0, 0.6, 0.2]
    """
    short = np.where(wanted > 0, np.maximum(wanted - offered, 0), 0)
    return np.clip(1.0 - step * short, step, 1.0)
