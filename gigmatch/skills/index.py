"""The skill index of one run: every spelling in the inputs grouped into skills, built once.

Every feature that counts or compares skills (match, skills, forecast, price, history, report)
asks this one index, so a skill means the same thing everywhere: the same grouping of
spellings (normalised key, then the built-in alias table with the user's `[aliases]`), the
same lookup of a name the user types, and the same rule for who *offers* a skill (the skill
itself or a fuzzy match, exactly as `match` scores it). Before this index existed each feature
built its own vocabulary, and they drifted apart (`forecast --skill` ignored user aliases;
`skills` and `report` counted different people for Python).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from gigmatch.read.skill_cells import SkillItem
from gigmatch.skills.spelling import (
    AliasTable,
    Vocabulary,
    alias_table,
    build_vocabulary,
    fuzzy_similarity,
    normalise,
)

if TYPE_CHECKING:
    from gigmatch.read.config import Config

SkillColumn = Iterable[list[SkillItem]]


@dataclass(frozen=True)
class SkillIndex:
    """The vocabulary of a run with the alias table and thresholds it was built under."""

    vocab: Vocabulary
    aliases: AliasTable
    fuzzy: float
    short_name: int

    @classmethod
    def build(cls, config: Config, *columns: SkillColumn) -> SkillIndex:
        """Group every spelling of the given skill columns (lists of `SkillItem`s per row)."""
        aliases = alias_table(config.aliases)
        spellings = (item.name for column in columns for items in column for item in items)
        t = config.thresholds
        return cls(build_vocabulary(spellings, aliases), aliases, t.fuzzy, t.short_name)

    def __len__(self) -> int:
        return len(self.vocab)

    @property
    def names(self) -> list[str]:
        return self.vocab.names

    def id_of(self, spelling: str) -> int:
        """The skill id of a spelling, through its key or the alias table; -1 if unknown.

        A spelling absent from the inputs still finds its skill by alias: history that says
        "ReactJS" counts for "React" even when no current file writes "ReactJS".
        """
        key = normalise(spelling)
        found = self.vocab.skill_of.get(key)
        if found is not None:
            return found
        canonical = self.aliases.canonical(key)
        return self._canonical_ids().get(canonical or "", -1)

    def _canonical_ids(self) -> dict[str, int]:
        return {self.vocab.names[i]: int(i) for i in np.flatnonzero(self.vocab.known)}

    def ids(self, spellings: Sequence[str]) -> np.ndarray:
        """`id_of` for many spellings (each distinct spelling is looked up once)."""
        table = {s: self.id_of(s) for s in set(spellings)}
        return np.array([table[s] for s in spellings], dtype=np.int64)

    def incidence(self, rows: Sequence[list[SkillItem]]) -> sparse.csr_matrix:
        """A rows x skills 0/1 matrix: who names which skill (twice in a row counts once;
        spellings the index does not know are left out)."""
        counts = np.array([len(items) for items in rows], dtype=np.int64)
        owner = np.repeat(np.arange(len(rows)), counts)
        skill = self.ids([item.name for items in rows for item in items])
        keep = skill >= 0
        matrix = sparse.csr_matrix(
            (np.ones(int(keep.sum())), (owner[keep], skill[keep])), shape=(len(rows), len(self))
        )
        matrix.data[:] = 1.0  # duplicates were summed on construction
        return matrix

    def offers(self, rows: Sequence[list[SkillItem]], skills: np.ndarray) -> sparse.csr_matrix:
        """A rows x `skills` 0/1 matrix: who would meet each skill in `match` (the skill
        itself or a fuzzy match of it), whatever their level."""
        named = self.incidence(rows)
        offered = np.unique(named.indices)
        similar = fuzzy_similarity(
            self.vocab, skills, offered, threshold=self.fuzzy, short_name=self.short_name
        )
        column = {int(s): i for i, s in enumerate(skills)}
        want = np.concatenate([np.arange(len(skills)), [column[int(s)] for s in similar.wanted]])
        have = np.concatenate([skills, similar.offered]).astype(np.int64)
        relation = sparse.csr_matrix(
            (np.ones(len(want)), (have, want.astype(np.int64))), shape=(len(self), len(skills))
        )
        meets = (named @ relation).tocsr()
        meets.data[:] = 1.0
        return meets

    def find(self, name: str) -> int:
        """The skill a user means by a name typed on the command line (-1 if none): the same
        rules as the data, user aliases included."""
        return self.id_of(name)
