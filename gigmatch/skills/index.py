"""The skill index of one run: every spelling in the inputs resolved to a skill, built once.

Every feature that counts or compares skills (match, skills, forecast, price, history, report)
asks this one index, so a skill means the same thing everywhere. Each distinct spelling is
resolved once by the knowledge-base `Resolver` (`skills/resolve.py`), from the spelling alone,
the shipped knowledge base and the user's `[aliases]`: never from the other rows, so a
spelling means the same alone and inside a large file. Spellings that resolve to the same key
are one skill; two keys of one product (`Python` and `Python 3`) are still the same skill for
matching, and typed relations (substitute, narrower, broader, version) give partial credit that
never counts as a match of the same skill.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from gigmatch.read.skill_cells import SkillItem, paused_gc
from gigmatch.skills.knowledge import load_knowledge
from gigmatch.skills.relations import KINDS, Relation, RelationCredits
from gigmatch.skills.resolve import UNKNOWN, Resolution, Resolver
from gigmatch.skills.text import clean, compact, fold, key

if TYPE_CHECKING:
    from scipy import sparse

    from gigmatch.read.config import Config

SkillColumn = Iterable[list[SkillItem]]
SAME = 0  # link kind of a same-skill link; related kinds are 1 + their index in KINDS
MAX_VERSIONS = 50  # distinct versions of one product kept apart in a run (see _cap_versions)


@dataclass(frozen=True)
class Vocabulary:
    """Every spelling in the data, grouped into skills by resolution key.

    `skill_of[key]` is the skill id of a resolution key; `keys[id]` its key; `names[id]` the
    name shown (the concept's name, with its version; for an unknown skill its most common
    spelling); `known[id]` whether the knowledge base or the user's aliases know it;
    `spellings[id]` the spellings seen in the data, sorted.
    """

    skill_of: dict[str, int]
    keys: list[str]
    names: list[str]
    known: np.ndarray
    spellings: list[list[str]]

    def __len__(self) -> int:
        return len(self.names)


@dataclass(frozen=True)
class Links:
    """Sparse skill-to-skill links between wanted and offered skill ids, one row per distinct
    pair, sorted: the same skill (kind SAME, value 1; a skill's link to itself is implicit) or a
    typed relation (kind 1 + KINDS.index, value its credit). `relations[(wanted, offered)]` is
    the relation of a related pair."""

    wanted: np.ndarray
    offered: np.ndarray
    value: np.ndarray
    kind: np.ndarray
    relations: RelationLookup


class RelationLookup(Mapping[tuple[int, int], Relation]):
    """(wanted, offered) -> Relation, read from sorted arrays rather than a dict: a vocabulary
    of many versions can have millions of related pairs, a few bytes each here."""

    def __init__(
        self, wanted: np.ndarray, offered: np.ndarray, which: np.ndarray, table: list[Relation]
    ) -> None:
        self._width = int(max(wanted.max(initial=0), offered.max(initial=0))) + 1
        self._code = wanted * self._width + offered  # sorted, as the links are
        self._which = which
        self._table = table

    def __getitem__(self, pair: tuple[int, int]) -> Relation:
        a, b = int(pair[0]), int(pair[1])
        if not (0 <= a < self._width and 0 <= b < self._width):
            raise KeyError(pair)
        code = a * self._width + b
        at = int(np.searchsorted(self._code, code))
        if at == len(self._code) or self._code[at] != code:
            raise KeyError(pair)
        return self._table[int(self._which[at])]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for code in self._code.tolist():
            yield divmod(code, self._width)

    def __len__(self) -> int:
        return len(self._code)


def relation_credits(config: Config) -> RelationCredits:
    """The `[relations]` credits of a config."""
    r = config.relations
    return RelationCredits(r.substitute, r.narrower, r.broader, r.version)


def make_resolver(config: Config) -> Resolver:
    """A resolver over the shipped knowledge base with the user's aliases and relations,
    sharing the resolutions of earlier resolvers of the same aliases and relations."""
    extra = tuple((e.skill, e.of, e.kind) for e in config.relations.extra)
    aliases = tuple(sorted((name, tuple(spelt)) for name, spelt in config.aliases.items()))
    return Resolver(
        load_knowledge(),
        config.aliases,
        extra,
        credits=relation_credits(config),
        typos=True,
        shared=_shared_resolutions(aliases, extra),
    )


@lru_cache(maxsize=4)
def _shared_resolutions(
    aliases: tuple[tuple[str, tuple[str, ...]], ...], relations: tuple[tuple[str, str, str], ...]
) -> dict[str, Resolution]:
    """The resolutions shared by the resolvers of one set of aliases and relations in this
    process: resolving the 9,614 spellings of 1,000 x 10,000 is about half of building the
    skill model, and a second build of the same process needs none of it again. A spelling's
    resolution reads nothing else (the relation credits only weigh links), so that is the key."""
    return {}


@dataclass(frozen=True)
class SkillIndex:
    """The vocabulary of a run with the resolver it was built with."""

    vocab: Vocabulary
    resolver: Resolver
    resolution: dict[str, Resolution]  # every spelling seen, as it resolved
    credits: RelationCredits
    fuzzy: float
    memo: dict[tuple[str, str], str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, config: Config, *columns: SkillColumn) -> SkillIndex:
        """Resolve every spelling of the given skill columns (lists of `SkillItem`s per row)."""
        items = list(chain.from_iterable(chain.from_iterable(columns)))
        codes, distinct = distinct_items(items)
        return cls.from_counts(config, count_spellings([(codes, [i.name for i in distinct])]))

    @classmethod
    def from_counts(cls, config: Config, counts: Mapping[str, int]) -> SkillIndex:
        """The index of spellings counted by `count_spellings` (for a caller that has already
        grouped its items, as the skill model has).

        The garbage collector is paused meanwhile (see `build_skill_model`)."""
        with paused_gc():
            resolver = make_resolver(config)
            fuzzy = config.thresholds.fuzzy
            spellings = sorted(counts)  # `_vocabulary` reads each key's spellings in order
            resolution = dict(zip(spellings, resolver.resolve_many(spellings), strict=True))
            for s in [s for s, r in resolution.items() if r.how[:4] == "typo"]:
                resolution[s] = _with_typo_floor(resolution[s], fuzzy)
            resolution = _cap_versions(resolution)
            vocab = _vocabulary(counts, resolution)
            return cls(vocab, resolver, resolution, relation_credits(config), fuzzy)

    def __len__(self) -> int:
        return len(self.vocab)

    @property
    def names(self) -> list[str]:
        return self.vocab.names

    def resolve(self, spelling: str) -> Resolution:
        """How a spelling resolves (one seen in the data, or any other)."""
        found = self.resolution.get(spelling)
        return found or _with_typo_floor(self.resolver.resolve(spelling), self.fuzzy)

    def id_of(self, spelling: str) -> int:
        """The skill id of a spelling; -1 if no row of the inputs names that skill.

        A spelling absent from the inputs still finds its skill through the knowledge base:
        history that says "ReactJS" counts for "React", and history that says "Python 3" counts
        for "Python" when no current file writes a version.
        """
        res = self.resolve(spelling)
        found = self.vocab.skill_of.get(res.key)
        if found is None and res.concept is not None:
            found = self.vocab.skill_of.get(res.concept)
        return -1 if found is None else found

    def ids(self, spellings: Sequence[str]) -> np.ndarray:
        """`id_of` for many spellings: the spellings of the inputs (all of them, when the
        skill model asks) in one pass in C, any other once per distinct spelling."""
        found = list(map(self._seen_ids.get, spellings))
        if None in found:
            other = {s: self.id_of(s) for s in spellings if s not in self._seen_ids}
            found = [other[s] if i is None else i for s, i in zip(spellings, found, strict=True)]
        return np.array(found, dtype=np.int64)

    @cached_property
    def _seen_ids(self) -> dict[str, int]:
        """`id_of` of every spelling of the inputs, read from the vocabulary in one pass: the
        skill of its own key (every key seen is a skill)."""
        skill_of = self.vocab.skill_of
        return {s: skill_of[r.key] for s, r in self.resolution.items()}

    def incidence(self, rows: Sequence[list[SkillItem]]) -> sparse.csr_matrix:
        """A rows x skills 0/1 matrix: who names which skill (twice in a row counts once;
        spellings the index does not know are left out). For the commands that count skills
        per row (skills, check, forecast, price, history), not for `match`, which builds the
        skill model's own matrices without scipy (`score/csr.py`): so scipy is imported here."""
        from scipy import sparse

        counts = np.array([len(items) for items in rows], dtype=np.int64)
        owner = np.repeat(np.arange(len(rows)), counts)
        skill = self.ids([item.name for items in rows for item in items])
        keep = skill >= 0
        matrix = sparse.csr_matrix(
            (np.ones(int(keep.sum())), (owner[keep], skill[keep])), shape=(len(rows), len(self))
        )
        matrix.data[:] = 1.0  # duplicates were summed on construction
        return matrix

    def links(self, wanted: np.ndarray, offered: np.ndarray, *, related: bool = True) -> Links:
        """Links from the distinct offered skills to the distinct wanted ones: same-skill
        links between two keys of one product, then (with `related`) typed relations. Work is
        per distinct key pair, never per person-project pair."""
        want = distinct_ids(wanted).astype(np.int64)
        have = distinct_ids(offered).astype(np.int64)
        wkeys = [self.vocab.keys[i] for i in want]
        hkeys = [self.vocab.keys[i] for i in have]
        same = np.array(self.resolver.same_pairs(wkeys, hkeys), dtype=np.int64).reshape(-1, 2)
        same_w, same_o = want[same[:, 0]], have[same[:, 1]]
        rel_w = rel_o = rel_which = np.empty(0, dtype=np.int64)
        table: list[Relation] = []
        if related:
            i, j, rel_which, table = self.resolver.related_arrays(wkeys, hkeys, self.credits)
            rel_w, rel_o = want[i], have[j]
            width = len(self) + 1
            keep = (rel_w != rel_o) & ~np.isin(rel_w * width + rel_o, same_w * width + same_o)
            rel_w, rel_o, rel_which = rel_w[keep], rel_o[keep], rel_which[keep]
        credit = np.array([r.credit for r in table], dtype=float)
        kind = np.array([1 + KINDS.index(r.kind) for r in table], dtype=np.int64)
        w_all = np.concatenate([same_w, rel_w])
        o_all = np.concatenate([same_o, rel_o])
        which = np.concatenate([np.full(len(same_w), -1, dtype=np.int64), rel_which])
        order = np.lexsort((o_all, w_all))
        w_all, o_all, which = w_all[order], o_all[order], which[order]
        is_rel = which >= 0
        return Links(
            w_all,
            o_all,
            np.where(is_rel, credit[np.maximum(which, 0)] if len(table) else 0.0, 1.0),
            np.where(is_rel, kind[np.maximum(which, 0)] if len(table) else 0, SAME),
            RelationLookup(w_all[is_rel], o_all[is_rel], which[is_rel], table),
        )

    def offers(self, rows: Sequence[list[SkillItem]], skills: np.ndarray) -> sparse.csr_matrix:
        """A rows x `skills` 0/1 matrix: who would meet each skill in `match` (the same skill,
        any version of it included; related skills do not meet it), whatever their level."""
        from scipy import sparse  # as in `incidence`

        named = self.incidence(rows)
        offered = np.unique(named.indices)
        same = self.links(skills, offered, related=False)
        column = {int(s): i for i, s in enumerate(skills)}
        want = np.concatenate([np.arange(len(skills)), [column[int(s)] for s in same.wanted]])
        have = np.concatenate([skills, same.offered]).astype(np.int64)
        relation = sparse.csr_matrix(
            (np.ones(len(want)), (have, want.astype(np.int64))), shape=(len(self), len(skills))
        )
        meets = (named @ relation).tocsr()
        meets.data[:] = 1.0
        return meets

    def by_product(self, matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        """A rows x skills 0/1 matrix folded to products (rows x products): `Python` and
        `Python 3` count as one, for comparing two rows' skills (likely duplicates)."""
        return self.concepts().fold(matrix)

    def concepts(self) -> Concepts:
        """The skills with versions folded into their product (`Python 3` and `Python 2` are
        `Python`), for counting demand per concept rather than per spelling or version.
        Computed once per index."""
        return self._concepts

    @cached_property
    def _concepts(self) -> Concepts:
        products = [_product(k) for k in self.vocab.keys]
        names = {}
        for k, product, name in zip(self.vocab.keys, products, self.vocab.names, strict=True):
            if k == product or product not in names:  # the unversioned skill names it
                names[product] = name if k == product else self.resolver.display(product)
        ordered = sorted(names, key=lambda p: (names[p].casefold(), names[p], p))
        position = {p: i for i, p in enumerate(ordered)}
        return Concepts(
            np.array([position[p] for p in products], dtype=np.int64),
            ordered,
            [names[p] for p in ordered],
        )

    def concept_of(self, name: str) -> str:
        """The product key a name resolves to (its version dropped), for finding a concept by
        any spelling or version of it."""
        return _product(self.resolve(name).key)

    def find(self, name: str) -> int:
        """The skill a user means by a name typed on the command line (-1 if none): the same
        rules as the data, user aliases included."""
        return self.id_of(name)

    def match_how(self, wanted: str, offered: str) -> str:
        """How an offered spelling meets a wanted one of the same skill, for `matched_skills`:
        exact, alias (yours), knowledge base, typo NN, or version (two keys of one product)."""
        found = self.memo.get((wanted, offered))
        if found is None:
            found = self.memo[(wanted, offered)] = self._match_how(wanted, offered)
        return found

    def _match_how(self, wanted: str, offered: str) -> str:
        a, b = self.resolve(wanted), self.resolve(offered)
        if a.key != b.key:
            return "version"
        if compact(key(wanted)) == compact(key(offered)):
            return "exact"
        for res in (b, a):
            if res.how.startswith("typo") or res.how in ("alias", "knowledge base"):
                return res.how
            if res.how == "version" and res.key == res.concept:  # versions read as the product
                return "version"
        return "exact"


def count_spellings(groups: Iterable[tuple[np.ndarray, Sequence[str]]]) -> dict[str, int]:
    """How often each spelling is written, from items grouped by `distinct_items`: (the code
    of each item, the spelling of each distinct item) per group. Counts are summed per
    distinct item, then per spelling by one hash factorisation, so no Python code runs per
    item or per distinct item. Blank spellings are left out."""
    import pandas as pd

    names: list[str] = []
    weights: list[np.ndarray] = []
    for codes, spelt in groups:
        names.extend(spelt)
        weights.append(np.bincount(codes, minlength=len(spelt)))
    if not names:
        return {}
    code, distinct = pd.factorize(np.array(names, dtype=object))
    total = np.bincount(code, weights=np.concatenate(weights), minlength=len(distinct))
    counts = dict(zip(distinct.tolist(), total.astype(np.int64).tolist(), strict=True))
    counts.pop("", None)
    return counts


def distinct_ids(ids: np.ndarray) -> np.ndarray:
    """`np.unique` of ids, by counting rather than sorting when they are small and not
    negative (58,000 offered entries at 1,000 x 10,000, half a million at 10,000 x 100,000:
    the sort took 3 ms of each skill-model build here)."""
    if len(ids) and 0 <= ids.min() and ids.max() < 4 * len(ids):
        return np.flatnonzero(np.bincount(ids)).astype(ids.dtype, copy=False)
    return np.unique(ids)


def distinct_items(items: Sequence[SkillItem]) -> tuple[np.ndarray, list[SkillItem]]:
    """(code of each item, the distinct item objects in order of first appearance).

    Items are grouped by object identity: the cell reader caches each piece it reads, so a
    column of 100,000 people holds a few thousand distinct objects, and the work per entry is
    done in C (`id`, a hash factorisation); only the distinct ones are visited in Python.
    Two equal items that are different objects get two codes, which changes nothing for a
    caller that reads values per code."""
    import pandas as pd

    if not items:
        return np.zeros(0, dtype=np.int64), []
    address = np.fromiter(map(id, items), dtype=np.uint64, count=len(items))
    codes = pd.factorize(address)[0].astype(np.int64, copy=False)
    top = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.concatenate([[True], top[1:] > top[:-1]]))
    return codes, [items[i] for i in first.tolist()]


def _product(k: str) -> str:
    """A resolution key without its version ("python@3" -> "python"); unknown keys as they are."""
    return k if k.startswith(UNKNOWN) else k.split("@", 1)[0]


@dataclass(frozen=True)
class Concepts:
    """Skills grouped by product: `of[skill id]` is the skill's concept, `keys[concept]` its
    product key, `names[concept]` the name shown (without a version). Concepts are in order
    of their names, so the grouping is the same whatever order the rows came in."""

    of: np.ndarray
    keys: list[str]
    names: list[str]

    def __len__(self) -> int:
        return len(self.keys)

    def fold(self, matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        """A rows x skills 0/1 matrix as rows x concepts (any version of a concept counts)."""
        from scipy import sparse  # as in `SkillIndex.incidence`

        fold_map = sparse.csr_matrix(
            (np.ones(len(self.of)), (np.arange(len(self.of)), self.of)),
            shape=(len(self.of), len(self)),
        )
        folded = (matrix @ fold_map).tocsr()
        folded.data[:] = 1.0
        return folded

    def find(self, product: str) -> int:
        """The concept of a product key, -1 if none."""
        return self.keys.index(product) if product in self.keys else -1


def _cap_versions(resolution: dict[str, Resolution]) -> dict[str, Resolution]:
    """Versions read as the product itself for a product written with more than
    `MAX_VERSIONS` distinct versions in one run (`Python 3.7.1` is then Python).

    Each version asked is a column of its own, and a related skill earns credit in every one
    of them, so 50,000 distinct versions would make the work grow with their square; real data
    writes a handful of versions per product. The rule reads only the set of spellings, never
    their order."""
    versions: dict[str, set[str]] = {}
    for res in resolution.values():
        if res.concept and res.version:
            versions.setdefault(res.concept, set()).add(res.version)
    crowded = {c for c, seen in versions.items() if len(seen) > MAX_VERSIONS}
    if not crowded:
        return resolution
    return {
        s: r._replace(key=r.concept, version=None) if r.concept in crowded and r.version else r
        for s, r in resolution.items()
    }


def _with_typo_floor(res: Resolution, fuzzy: float) -> Resolution:
    """A typo correction below the `fuzzy` threshold is not taken: the spelling stays its own."""
    if not res.how.startswith("typo") or int(res.how.split()[1]) >= fuzzy:
        return res
    k = key(clean(res.spelling))
    return Resolution(res.spelling, None, UNKNOWN + (fold(k) or k), clean(res.spelling), "unknown")


def _vocabulary(counts: Mapping[str, int], resolution: dict[str, Resolution]) -> Vocabulary:
    """Group spellings by resolution key; ids in order of the shown names, so the vocabulary
    and everything built on it is the same whatever order the rows came in.

    `resolution` holds the spellings in sorted order (`from_counts` makes it so), so each
    key's spellings come sorted. A skill's shown name is its concept's (with the version),
    the same in every resolution of its key, or for an unknown skill its most common
    spelling: both are known when a key is first met, but for the unknown skills written
    more than one way, settled after the loop (`_most_common`), so the loop makes no call."""
    spelt: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for spelling, res in resolution.items():  # each spelling once
        k = res.key
        same = spelt.get(k)
        if same is not None:
            same.append(spelling)
        elif k[:1] == UNKNOWN:
            spelt[k] = [spelling]
            shown[k] = spelling
        else:
            spelt[k] = [spelling]
            shown[k] = f"{res.display} {res.version}" if res.version else res.display
    for k, same in spelt.items():
        if len(same) > 1 and k[:1] == UNKNOWN:
            shown[k] = _most_common(same, counts)
    # Sorting (name folded, name, key) tuples is the order a key function would give, with
    # no Python call per key; keys are distinct, so no two tuples are equal.
    ordered = [k for _, _, k in sorted([(v.casefold(), v, k) for k, v in shown.items()])]
    return Vocabulary(
        skill_of={k: i for i, k in enumerate(ordered)},
        keys=ordered,
        names=[shown[k] for k in ordered],
        known=np.array([k[:1] != UNKNOWN for k in ordered], dtype=bool),
        spellings=[spelt[k] for k in ordered],
    )


def _most_common(spellings: list[str], counts: Mapping[str, int]) -> str:
    """The spelling written most often, the first in sort order among the most frequent."""
    return min(spellings, key=lambda s: (-counts[s], s))
