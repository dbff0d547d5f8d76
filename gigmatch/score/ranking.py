"""`match`: ranked candidates for every project, as a DataFrame.

This is the library entry point the CLI calls; it ties the readers, the skill model and the
scorer together and turns the best pairs into readable rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from gigmatch.read.config import Config
from gigmatch.read.schema import read as read_table
from gigmatch.score.components import (
    COMPONENTS,
    Adjust,
    Filters,
    Pairs,
    person_terms,
    project_terms,
)
from gigmatch.score.skill_model import Explainer, SkillModel, build_skill_model

Progress = Callable[[int, int], None]  # (units done, units in all), called as work advances

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.score.history import HistoryAdjust
    from gigmatch.score.text import TextModel

MATCH_COLUMNS = [
    "project_id",
    "project_title",
    "rank",
    "person_id",
    "person_name",
    "score",
    *(f"{c}_score" for c in COMPONENTS),
    "matched_skills",
    "related_skills",
    "missing_skills",
]


def read(source, kind: str, config: Config | None = None, *, skip_invalid: bool = False):
    """A parsed frame from a path, `-`, a DataFrame or a `Table`; raises InputError on bad data."""
    return read_table(source, kind, config, skip_invalid=skip_invalid).frame


@dataclass(frozen=True)
class Scored:
    """The scored candidates with what is needed to describe them."""

    pairs: Pairs
    rank: np.ndarray
    model: SkillModel
    projects: pd.DataFrame
    people: pd.DataFrame


def score_all(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    *,
    filters: Filters,
    top: int,
    project_mask: np.ndarray | None = None,
    adjust: Adjust | None = None,
    model: SkillModel | None = None,
    progress: Progress | None = None,
) -> Scored:
    """Score candidates chunk by chunk, keeping the best `top` per project (all with 0).

    `model` is the skill model of the two tables when the caller built it already (the
    `--history` hook needs it before scoring, see `with_history`). `progress`, when given, is
    called after each block with (projects scored, projects to score), so a terminal can show
    a bar without this layer knowing about terminals.
    """
    from gigmatch.score.engine import Engine, blocks, rank_block

    model = model or build_skill_model(projects, people, config)
    text = text_model(projects, people, config)
    engine = Engine.build(
        model, person_terms(people, config), project_terms(projects), config, text
    )
    selected = np.arange(len(projects)) if project_mask is None else np.flatnonzero(project_mask)
    ranked, done = [], 0
    for block in blocks(selected, len(people)):
        ranked.append(rank_block(engine, block, filters, top, adjust))
        done += len(block)
        if progress is not None:
            progress(done, len(selected))
    return Scored(
        _concat([r[0] for r in ranked], text is not None),
        np.concatenate([r[1] for r in ranked]) if ranked else np.empty(0, int),
        model,
        projects,
        people,
    )


def text_model(projects: pd.DataFrame, people: pd.DataFrame, config: Config) -> TextModel | None:
    """The pool's free-text model when the text weight counts, else None: one rule for every
    scorer (`score_all`, `score_pairs`), so a pair scores the same in match, match --person,
    assign (pins included), explain and a plan described by `report --plan`."""
    from gigmatch.score.text import build_text_model

    return build_text_model(projects, people) if config.weights.text > 0 else None


def scored_blocks(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    *,
    filters: Filters,
    model: SkillModel | None = None,
    project_mask: np.ndarray | None = None,
    progress: Progress | None = None,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(project rows, scores block x people) for every block of projects, in order.

    The scores are the dense pass's float32 totals, with every pair that is not a candidate or
    fails `filters` below 0. This is the block scorer for aggregates over *all* candidates
    (`price --top 0`): a caller reduces each block and lets it go, so memory stays at one
    block whatever the size of the pool, and no pair is ever rescored in float64.
    `progress` is called as in `score_all`, after each block is yielded.
    """
    from gigmatch.score.engine import Engine, blocks, dense_scores

    model = model or build_skill_model(projects, people, config)
    text = text_model(projects, people, config)
    engine = Engine.build(
        model, person_terms(people, config), project_terms(projects), config, text
    )
    selected = np.arange(len(projects)) if project_mask is None else np.flatnonzero(project_mask)
    done = 0
    for block in blocks(selected, len(people)):
        yield block, dense_scores(engine, block, filters)
        done += len(block)
        if progress is not None:
            progress(done, len(selected))


def _concat(parts: list[Pairs], text: bool = False) -> Pairs:
    names = (*COMPONENTS, "text") if text else COMPONENTS
    if not parts:
        empty = np.empty(0, dtype=np.int64)
        return Pairs(empty, empty, {c: np.empty(0) for c in names}, np.empty(0), np.empty(0))
    return Pairs(
        np.concatenate([p.project for p in parts]),
        np.concatenate([p.person for p in parts]),
        {c: np.concatenate([p.components[c] for p in parts]) for c in names},
        np.concatenate([p.matched for p in parts]),
        np.concatenate([p.score for p in parts]),
    )


def to_frame(scored: Scored, config: Config, keep: list[str] | None = None) -> pd.DataFrame:
    """The rows `gigmatch match` prints, in the documented column order."""
    import pandas as pd

    pairs, projects, people = scored.pairs, scored.projects, scored.people
    explainer = Explainer(scored.model, config)
    matched, related, missing = _skill_texts(explainer, pairs)
    frame = pd.DataFrame(
        {
            "project_id": projects["id"].to_numpy(object)[pairs.project],
            "project_title": projects["title"].to_numpy(object)[pairs.project],
            "rank": scored.rank.astype(np.int64),
            "person_id": people["id"].to_numpy(object)[pairs.person],
            "person_name": people["name"].to_numpy(object)[pairs.person],
            "score": np.round(pairs.score, 1),
            **{f"{c}_score": np.round(pairs.components[c], 3) for c in COMPONENTS},
            "matched_skills": matched,
            "related_skills": related,
            "missing_skills": missing,
        }
    )
    if "text" in pairs.components:  # only when the pool wrote free text on both sides
        frame.insert(frame.columns.get_loc("matched_skills"), "text_score",
                     np.round(pairs.components["text"], 3))  # fmt: skip
    return _with_kept(frame, pairs, projects, people, keep or [])


def _skill_texts(explainer: Explainer, pairs: Pairs) -> tuple[list[str], list[str], list[str]]:
    """matched_skills (same skill), related_skills (partial credit), missing_skills (neither)."""
    matched, related, missing = [], [], []
    for project, person in zip(pairs.project.tolist(), pairs.person.tolist(), strict=True):
        found = explainer.matches(project, person)
        matched.append("; ".join(m.describe() for m in found if m.is_same))
        related.append("; ".join(m.describe() for m in found if m.relation is not None))
        missing.append("; ".join(m.wanted for m in found if not m.offered))
    return matched, related, missing


def _with_kept(frame, pairs: Pairs, projects, people, keep: list[str]):
    """Pass extra input columns through (`--keep COL`), from people first, then projects;
    a name matches a column as headers do (case, spaces and punctuation aside)."""
    for column in keep:
        for table, index in ((people, pairs.person), (projects, pairs.project)):
            found = find_column(table, column)
            if found is not None and column not in frame.columns:
                frame[column] = table[found].to_numpy(object)[index]
                break
    return frame


def find_column(table: pd.DataFrame, name: str) -> str | None:
    """The column of a parsed table that `name` means, or None.

    >>> import pandas as pd
    >>> find_column(pd.DataFrame(columns=["email", "Agency Name"]), "Email"), find_column(
    ...     pd.DataFrame(columns=["email", "Agency Name"]), "agency_name")
    ('email', 'Agency Name')
    """
    from gigmatch.read.table import header_key

    key = header_key(name)
    return next((c for c in table.columns if header_key(str(c)) == key), None)


def with_history(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    history: pd.DataFrame | None,
    as_of: date | str | None = None,
    *,
    history_source: str | None = None,
    model: SkillModel | None = None,
) -> tuple[SkillModel, HistoryAdjust | None]:
    """The skill model and, when there is a history table, the hook that scores past work.

    Pass both to `score_all(..., adjust=adjust, model=model)`; `match`, `assign` and
    `explain` all do so, so that they score history the same way. A `model` built already
    for the same tables (the report's) is used as it is.
    """
    from gigmatch.score.history import history_adjuster

    model = model or build_skill_model(projects, people, config)
    if history is None:
        return model, None
    return model, history_adjuster(
        history, projects, people, model, config, as_of, source=history_source
    )


def check_keep(keep: list[str], projects: pd.DataFrame, people: pd.DataFrame) -> None:
    """`--keep` names a column of either table, or it is a usage error (not silently empty)."""
    from gigmatch.errors import UsageError

    missing = [
        c for c in keep if find_column(projects, c) is None and find_column(people, c) is None
    ]
    if missing:
        from gigmatch.errors import did_you_mean

        columns = [
            str(c) for c in [*projects.columns, *people.columns] if not str(c).startswith("_")
        ]
        hint = did_you_mean(missing[0], columns)
        raise UsageError(f"no column {', '.join(map(repr, missing))} in either input file{hint}")


def select_projects(projects: pd.DataFrame, ids: list[str] | None) -> np.ndarray | None:
    """A mask of the projects named by `--project` (None = all); unknown ids are an error."""
    if not ids:
        return None
    from gigmatch.errors import UsageError

    known = set(projects["id"])
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UsageError(f"no project with id {', '.join(map(repr, unknown))} in the projects file")
    return projects["id"].isin(ids).to_numpy()


def score_pairs(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    model: SkillModel,
    adjust: Adjust | None,
    project: np.ndarray,
    person: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Components and scores of given pairs, candidates or not (for pins, for example), with
    the text component wherever `score_all` has it (the same pool, so the same values)."""
    from gigmatch.score.components import pair_components, total_score

    terms, pterms = person_terms(people, config), project_terms(projects)
    components, _ = pair_components(model, terms, pterms, project, person, config)
    text = text_model(projects, people, config)
    if text is not None:
        components["text"] = text.pairs(project, person)
    if adjust is not None:
        components = adjust(project, person, components)
    return components, total_score(components, config)


def candidate_edges(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    model: SkillModel,
    adjust: Adjust | None,
    candidates: int,
    pins: list[tuple[str, str]] | None = None,
    filters: Filters | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """The best `candidates` people of each project that pass `filters` as (project_id,
    person_id, score, components) rows for the optimiser, plus any pinned pair that is not
    among them (a pin is an agreement: it is kept whatever the filters say). `progress` is
    told of each block scored, as in `score_all`."""
    import pandas as pd

    scored = score_all(
        projects, people, config, filters=filters or Filters(), top=candidates, adjust=adjust,
        model=model, progress=progress,
    )  # fmt: skip
    project, person = scored.pairs.project, scored.pairs.person
    components, score = scored.pairs.components, scored.pairs.score
    extra = _missing_pins(projects, people, pins or [], project, person)
    if len(extra[0]):
        more, more_score = score_pairs(projects, people, config, model, adjust, *extra)
        project, person = np.concatenate([project, extra[0]]), np.concatenate([person, extra[1]])
        components = {c: np.concatenate([components[c], more[c]]) for c in components}
        score = np.concatenate([score, more_score])
    return pd.DataFrame(
        {
            "project_id": projects["id"].to_numpy(object)[project],
            "person_id": people["id"].to_numpy(object)[person],
            "score": np.round(score, 1),
            **{f"{c}_score": np.round(values, 3) for c, values in components.items()},
        }
    )


def _missing_pins(projects, people, pins, project, person) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs of pins with known ids that the candidate lists (`project`, `person`) do
    not hold; no work at all without pins (the lists can hold 500,000 pairs)."""
    if not pins:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    have = set(zip(project.tolist(), person.tolist(), strict=True))
    project_at = {v: i for i, v in enumerate(projects["id"])}
    person_at = {v: i for i, v in enumerate(people["id"])}
    pairs = sorted(
        {
            (project_at[p], person_at[f])
            for p, f in pins
            if p in project_at and f in person_at and (project_at[p], person_at[f]) not in have
        }
    )
    return np.array([p for p, _ in pairs], dtype=np.int64), np.array(
        [f for _, f in pairs], dtype=np.int64
    )
