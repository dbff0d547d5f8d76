"""The skill vocabulary as matching sees it: demand, supply and the gap, plus alias suggestions.

Spellings are grouped exactly as `match` groups them (each resolved by the knowledge base and
the user's `[aliases]`), so the report shows what the scorer will treat as one skill, which
concept each skill is and how each spelling resolved. Spellings read as typos of a known skill
are listed for review: `--write-aliases` pins them as aliases (or shows what to override).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from gigmatch.read.config import Config
from gigmatch.read.skill_cells import SkillItem
from gigmatch.skills.index import SkillIndex, Vocabulary

if TYPE_CHECKING:
    import pandas as pd

REPORT_COLUMNS = [
    "skill",
    "concept",
    "spellings",
    "resolved",
    "projects",
    "places",
    "nice_to_have",
    "people",
    "hours",
    "gap",
    "people_per_place",
]


@dataclass(frozen=True)
class SkillUse:
    """Which rows use which skill: 0/1 sparse matrices (rows x skills) over one vocabulary."""

    index: SkillIndex
    vocab: Vocabulary
    required: sparse.csr_matrix  # projects x skills
    nice: sparse.csr_matrix  # projects x skills
    offered: sparse.csr_matrix  # people x skills: who lists each skill
    meets: sparse.csr_matrix  # people x skills: who would meet it in `match` (same skill)

    def uses(self) -> np.ndarray:
        """How many rows (projects or people) name each skill: how established a spelling is."""
        counts = [_column_counts(m) for m in (self.required, self.nice, self.offered)]
        return np.sum(counts, axis=0)


def skill_lists(frame: pd.DataFrame | None, column: str) -> list[list[SkillItem]]:
    """The parsed skill lists of a column, or none when the table is absent."""
    if frame is None or column not in frame.columns:
        return []
    return [items if isinstance(items, list) else [] for items in frame[column]]


def skill_use(
    projects: pd.DataFrame | None, people: pd.DataFrame | None, config: Config | None = None
) -> SkillUse:
    """Build the vocabulary of both tables and the incidence of every skill in every row."""
    config = config or Config()
    lists = [
        skill_lists(projects, "skills"),
        skill_lists(projects, "nice_to_have"),
        skill_lists(people, "skills"),
    ]
    index = SkillIndex.build(config, *lists)
    required, nice = index.incidence(lists[0]), index.incidence(lists[1])
    offered = index.incidence(lists[2])
    meets = index.offers(lists[2], np.arange(len(index), dtype=np.int64))
    return SkillUse(index, index.vocab, required, nice, offered, meets)


def _column_counts(matrix: sparse.csr_matrix) -> np.ndarray:
    return np.asarray(matrix.sum(axis=0)).ravel().astype(np.int64)


def skill_report(use: SkillUse, projects: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """One row per skill: spellings, demand, supply and the gap, shortest-supplied first.

    `places` sums the team sizes of the projects requiring the skill; `people` counts who would
    meet it in `match` (the same skill, any version of it, as `report` and `forecast` count
    supply; a related skill does not count) and `hours` their weekly hours; `gap` is places -
    people (positive: not enough people even if each took one place). Rows are sorted by people
    per place, fewest first (skills no project requires come last), then by gap, largest first,
    then by name.
    """
    import pandas as pd

    team = np.nan_to_num(projects["team_size"].to_numpy(float), nan=1.0)
    hours = np.nan_to_num(people["hours"].to_numpy(float), nan=0.0)
    places = np.rint(use.required.T @ team).astype(np.int64)
    supply = _column_counts(use.meets)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_place = np.where(places > 0, supply / np.maximum(places, 1), np.nan)
    frame = pd.DataFrame(
        {
            "skill": use.vocab.names,
            "concept": [_concept(k) for k in use.vocab.keys],
            "spellings": ["; ".join(s) for s in use.vocab.spellings],
            "resolved": [
                "; ".join(f"{s}: {use.index.resolve(s).how}" for s in spelt)
                for spelt in use.vocab.spellings
            ],
            "projects": _column_counts(use.required),
            "places": places,
            "nice_to_have": _column_counts(use.nice),
            "people": supply,
            "hours": np.round(use.meets.T @ hours, 1),
            "gap": places - supply,
            "people_per_place": np.round(per_place, 2),
        }
    )
    by_name = np.arange(len(use.vocab))  # ids are in alphabetical order of the names
    order = np.lexsort((by_name, -frame["gap"].to_numpy(), np.nan_to_num(per_place, nan=np.inf)))
    return frame.iloc[order].reset_index(drop=True)


def _concept(key: str) -> str:
    """The knowledge-base concept id of a skill key ("python@3" -> "python"), "" if unknown."""
    return "" if key.startswith("~") else key


@dataclass(frozen=True)
class Suggestion:
    """A spelling read as a typo of a known skill: `variant` -> `canonical`, `similarity`
    0-100 (what `match` already does; listed so that you can pin or override it)."""

    canonical: str
    variant: str
    similarity: float
    spellings: tuple[str, ...]  # the variant as written in the data


def alias_suggestions(use: SkillUse, threshold: float = 80.0) -> list[Suggestion]:
    """Spellings the resolver read as typos of a known skill, at least `threshold` alike.

    Typos are corrected from the spelling alone (one or two letters from one popular concept,
    never a real word), so the list is the same whatever the other rows are. Written as an
    `[aliases]` file they are pinned; to refuse one, give the spelling an alias of its own.
    """
    found = []
    for sid, spellings in enumerate(use.vocab.spellings):
        for spelling in spellings:
            how = use.index.resolve(spelling).how
            if how.startswith("typo ") and float(how.split()[1]) >= threshold:
                score = float(how.split()[1])
                found.append(Suggestion(use.vocab.names[sid], spelling, score, (spelling,)))
    return sorted(found, key=lambda s: (s.canonical.casefold(), s.variant.casefold(), s.variant))


def suggestions_frame(suggestions: list[Suggestion]) -> pd.DataFrame:
    """Suggestions as a table: variant, canonical, similarity, spellings."""
    import pandas as pd

    return pd.DataFrame(
        {
            "variant": [s.variant for s in suggestions],
            "canonical": [s.canonical for s in suggestions],
            "similarity": [s.similarity for s in suggestions],
            "spellings": ["; ".join(s.spellings) for s in suggestions],
        }
    )


def _comment(text: str) -> str:
    """Text for a TOML comment, which may hold no control character (DEL, ESC) and no newline.

    >>> _comment("Py\\x7fthon\\nSQL")
    'Python SQL'
    """
    return " ".join(_CONTROL_CHARS.sub("", text).split())


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def aliases_toml(suggestions: list[Suggestion]) -> str:
    """An `[aliases]` table for review: canonical = [variant spellings], one comment per line.

    Loaded with `--config`, it makes `match` treat each variant as its canonical skill.
    """
    import tomli_w

    groups: dict[str, list[str]] = {}
    for s in suggestions:
        groups.setdefault(s.canonical, []).extend(s.spellings)
    header = [
        "# Skill aliases suggested by `gigmatch skills`: spellings read as typos of a skill.",
        "# Review them, delete the wrong ones, then pass this file with --config",
        "# (or copy the [aliases] entries into your gigmatch.toml).",
        *(
            f"#   {_comment(s.variant)} -> {_comment(s.canonical)} ({s.similarity:g}% alike)"
            for s in suggestions
        ),
        "",
    ]
    body = tomli_w.dumps({"aliases": {k: sorted(set(v)) for k, v in sorted(groups.items())}})
    return "\n".join(header) + body
