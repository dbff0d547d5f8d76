"""Free text as evidence: TF-IDF cosine between a project's text and a person's, relative to the
project's best match in the pool.

A project's title, description and skill names are one document; a person's headline, bio and
skill names another. Both sides are weighted by one TF-IDF fitted on the pool (sublinear tf,
smoothed idf, L2-normalised rows), so words every row uses count little and a rare word two
texts share counts a lot. The vocabulary is sorted and the idf counts documents, so the result
does not depend on row order. Offline and deterministic: no model, no network.

A raw cosine between a long job post and a short headline rarely passes 0.4, so on its own it
would use a sliver of the 0-1 scale every other component uses, and its weight would mean far
less than it says. `text_score` is therefore the cosine divided by the project's best cosine
over the people who wrote text: 1 for the pool's closest profile, 0.5 for one half as close.
That is the same idea as the other components (1 = the best this pool offers on this count);
on held-out real Upwork jobs it is what made the text evidence count (benchmarks/realdata).

Skill names alone are already scored by `skill`; the text component only counts where a side
wrote free text (description, headline or bio). Where one side wrote none the pair gets the
neutral value (the project's mean over people who wrote some, as a missing rating gets the pool
mean), and a pool where no project or no person wrote any has no text component at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
STOP_WORDS = frozenset(
    """a an and are as at be by for from has have i in is it its of on or our that the this to
    we will with you your my me us who what can all any more most not no so do does""".split()
)
PROJECT_TEXT = ("title", "description")
PERSON_TEXT = ("headline", "bio")
BEST_CELLS = 4_000_000  # project x people cells per product when finding each project's best
FREE_PROJECT = ("description",)
FREE_PERSON = ("headline", "bio")


def tokens(text: str) -> list[str]:
    """Lower-case words and tool names (C++, C#), stop words dropped.

    >>> tokens("The C++ and Power-BI developer")
    ['c++', 'power', 'bi', 'developer']
    """
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


@dataclass(frozen=True)
class TextModel:
    """L2-normalised TF-IDF rows of both sides, and who wrote free text."""

    projects: sparse.csr_matrix  # projects x terms
    people: sparse.csr_matrix  # people x terms
    project_has: np.ndarray  # bool: the project wrote a description
    person_has: np.ndarray  # bool: the person wrote a headline or bio
    neutral: np.ndarray  # per project: the value a pair gets when a side has no text
    projects32: sparse.csr_matrix  # `projects` in float32, for the block product
    people_t: sparse.csc_matrix  # `people` transposed (terms x people), float32

    def block(self, rows: np.ndarray) -> np.ndarray:
        """text_score (rows x people) as one sparse product, neutral where a side has none."""
        cos = (self.projects32[rows] @ self.people_t).toarray()  # float32, like the dense pass
        neutral = self.neutral[rows].astype(np.float32)
        cos[:, ~self.person_has] = neutral[:, None]
        cos[~self.project_has[rows], :] = neutral[~self.project_has[rows], None]
        return np.clip(cos, 0.0, 1.0, out=cos)

    def pairs(self, project: np.ndarray, person: np.ndarray) -> np.ndarray:
        """text_score of pairs, the same values as `block` gives."""
        if not len(project):
            return np.zeros(0)
        cos = self.projects[project].multiply(self.people[person]).sum(axis=1)
        cos = np.asarray(cos, dtype=float).ravel()
        known = self.project_has[project] & self.person_has[person]
        return np.clip(np.where(known, cos, self.neutral[project]), 0.0, 1.0)


def _documents(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[str]:
    parts = [frame[c].fillna("").astype(str) for c in columns if c in frame.columns]
    if "skills" in frame.columns:
        names = [" ".join(item.name for item in items or ()) for items in frame["skills"]]
        parts.append(np.asarray(names, dtype=object))
    if not parts:
        return [""] * len(frame)
    return [" ".join(str(p) for p in row) for row in zip(*parts, strict=True)]


def _wrote(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Which rows wrote something other than blanks in any of `columns`. Only cells not
    empty are stripped: a pool without free text (read with those columns empty) is told
    apart in a comparison per column, not a string operation per cell."""
    has = np.zeros(len(frame), dtype=bool)
    for column in columns:
        if column in frame.columns:
            text = frame[column].fillna("")
            wrote = text.ne("").to_numpy().copy()  # to_numpy may give a read-only view
            if wrote.any():
                wrote[wrote] = text[wrote].astype(str).str.strip().ne("").to_numpy()
            has |= wrote
    return has


def _tfidf(documents: list[list[str]]) -> sparse.csr_matrix:
    """Sublinear tf x smoothed idf, rows L2-normalised; columns in sorted word order."""
    from scipy import sparse  # as in `build_text_model`

    vocabulary = sorted({w for doc in documents for w in doc})
    index = {w: i for i, w in enumerate(vocabulary)}
    rows = np.repeat(np.arange(len(documents)), [len(d) for d in documents])
    cols = np.fromiter((index[w] for d in documents for w in d), dtype=np.int64, count=len(rows))
    counts = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(documents), len(vocabulary))
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(vocabulary))
    idf = np.log((1 + len(documents)) / (1 + df)) + 1.0
    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    return sparse.csr_matrix(sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ counts)


def best_cosine(projects: sparse.csr_matrix, people: sparse.csr_matrix) -> np.ndarray:
    """Each project's highest cosine with any of `people` (0 where it shares no word).

    The same float32 product as `TextModel.block`, made dense a block of projects at a time
    (a dense row max is several times faster than a sparse one, and memory stays bounded);
    the maximum does not depend on the order of the people.
    """
    from scipy import sparse  # as in `build_text_model`

    best = np.zeros(projects.shape[0])
    if not people.shape[0]:
        return best
    step = max(1, BEST_CELLS // people.shape[0])
    rows = projects.astype(np.float32)
    people_t = sparse.csc_matrix(people.T, dtype=np.float32)
    for start in range(0, projects.shape[0], step):
        block = (rows[start : start + step] @ people_t).toarray()
        best[start : start + step] = block.max(axis=1)
    return best


def build_text_model(projects: pd.DataFrame, people: pd.DataFrame) -> TextModel | None:
    """The pool's TF-IDF, or None when no project or no person wrote free text.

    scipy is imported here, not with the module: a pool without free text (the usual
    `match`) never needs it, and importing it costs 0.1 s (see `score/csr.py`)."""
    project_has, person_has = _wrote(projects, FREE_PROJECT), _wrote(people, FREE_PERSON)
    if not project_has.any() or not person_has.any():
        return None
    from scipy import sparse

    docs = [tokens(t) for t in _documents(projects, PROJECT_TEXT)]
    docs += [tokens(t) for t in _documents(people, PERSON_TEXT)]
    matrix = _tfidf(docs)
    p, q = matrix[: len(projects)], matrix[len(projects) :]
    best = best_cosine(sparse.csr_matrix(p), sparse.csr_matrix(q[person_has]))
    p = sparse.diags(1.0 / np.where(best > 0, best, 1.0)) @ p  # text_score: cosine / best
    mean_person = np.asarray(q[person_has].sum(axis=0)).ravel() / person_has.sum()
    neutral = np.asarray(p @ mean_person).ravel()
    neutral[~project_has] = float(neutral[project_has].mean())
    p, q = sparse.csr_matrix(p), sparse.csr_matrix(q)
    p32, q32 = p.astype(np.float32), q.astype(np.float32)
    return TextModel(p, q, project_has, person_has, neutral, p32, q32.T.tocsc())
