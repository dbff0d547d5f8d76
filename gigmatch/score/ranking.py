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
    stored_positions,
)
from gigmatch.score.csr import spans
from gigmatch.score.skill_model import Explainer, SkillModel, build_skill_model
from gigmatch.steps import Progress, tell

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.score.engine import Engine
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
    """Score candidates block by block, keeping the best `top` per project (all with 0).

    `model` is the skill model of the two tables when the caller built it already (the
    `--history` hook needs it before scoring, see `with_history`). `progress`, when given, is
    called after each block with (projects scored, projects to score), so a terminal can show
    a bar without this layer knowing about terminals. Blocks run on a thread pool (the scoring
    releases the GIL) but are collected, and reported to `progress` from the calling thread,
    in order: the result does not depend on the number of threads (`GIGMATCH_THREADS`).
    """
    from gigmatch.score.engine import CELLS_PER_BLOCK, blocks, score_block, use_compiled

    engine, selected = _engine(projects, people, config, model, project_mask)
    model, text = engine.model, engine.text
    compiled = adjust is None and use_compiled(len(selected) * len(people))
    engine.prepare(compiled=compiled)  # shared lazy parts built once, before the threads
    threads = _threads()
    # a few blocks per thread keep all busy to the end; both passes work a tile at a time
    # within a block, so smaller blocks cost nothing but one exact pass each
    cells = min(CELLS_PER_BLOCK, max(1, len(selected) * len(people) // (4 * threads)))
    work = list(blocks(selected, len(people), cells))

    def one(block: np.ndarray) -> tuple[Pairs, np.ndarray]:
        return score_block(engine, block, filters, top, adjust, compiled=compiled)

    ranked, done = [], 0
    for result, block in zip(_in_order(one, work, threads), work, strict=True):
        ranked.append(result)
        done += len(block)
        tell(progress, done, len(selected))
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
    block whatever the size of the pool; only pairs within float32 rounding of a filter's
    limit are scored again, in float64, so the candidates are exactly `score_all`'s.
    `progress` is called as in `score_all`, after each block is yielded.
    """
    from gigmatch.score.engine import blocks, settled_scores

    engine, selected = _engine(projects, people, config, model, project_mask)
    done = 0
    for block in blocks(selected, len(people)):
        yield block, settled_scores(engine, block, filters)
        done += len(block)
        tell(progress, done, len(selected))


def _engine(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    config: Config,
    model: SkillModel | None,
    project_mask: np.ndarray | None,
) -> tuple[Engine, np.ndarray]:
    """The prepared `Engine` of two tables (the skill model built unless given) and the
    project rows to score: what `score_all` and `scored_blocks` both start from."""
    from gigmatch.score.engine import Engine

    model = model or build_skill_model(projects, people, config)
    text = text_model(projects, people, config)
    engine = Engine.build(
        model, person_terms(people, config), project_terms(projects), config, text
    )
    selected = np.arange(len(projects)) if project_mask is None else np.flatnonzero(project_mask)
    return engine, selected


def _threads() -> int:
    """Worker threads: `GIGMATCH_THREADS`, else the processors this process may use."""
    import os

    configured = os.environ.get("GIGMATCH_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _in_order(work: Callable, items: list, threads: int) -> Iterator:
    """work(item) for each item, on `threads` threads when there are several items, yielded
    in the items' order as they complete."""
    threads = min(threads, len(items))
    if threads <= 1:
        yield from map(work, items)
        return
    from concurrent.futures import Future, ThreadPoolExecutor

    pool = ThreadPoolExecutor(threads, thread_name_prefix="gigmatch-score")
    try:
        ahead = 2 * threads  # queued blocks cost nothing: only `threads` run at once
        futures: list[Future | None] = [pool.submit(work, item) for item in items[:ahead]]
        for i in range(len(items)):
            future = futures[i]
            assert future is not None  # dropped only below, once its result is taken
            result = future.result()
            if i + ahead < len(items):
                futures.append(pool.submit(work, items[i + ahead]))
            futures[i] = None  # the caller keeps the result; drop the future's reference
            yield result
    finally:  # an error or Ctrl-C: queued blocks are dropped, running ones finish
        pool.shutdown(wait=True, cancel_futures=True)


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


def _skill_texts(explainer: Explainer, pairs: Pairs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """matched_skills (same skill), related_skills (partial credit), missing_skills (neither).

    Each skill a project asks for is looked up for every output pair at once; a description
    is written once per distinct (wanted spelling and level, how it was met, offered spelling
    and level), through the same `Explainer` rule that `explain` uses, and the descriptions
    are joined per pair by numpy (no Python loop over pairs).
    """
    _, pair, code, kind, texts = _item_descriptions(explainer, pairs)
    later = ["; " + text for text in texts]  # a description after the first of its cell
    matched, related, missing = (
        _joined(texts, later, code[kind == k], pair[kind == k], len(pairs.project))
        for k in range(3)
    )
    return matched, related, missing


def _joined(
    first: list[str], later: list[str], code: np.ndarray, group: np.ndarray, groups: int
) -> np.ndarray:
    """For each of `groups` groups, the texts of its items (`code`, `group` ascending) put
    together in order: `first[code]` for a group's first item, `later[code]` for the others;
    "" for a group without items. `np.add.reduceat` adds up each group's strings in C.

    >>> _joined(["a", "bc"], [", a", ", bc"], np.array([1, 0, 0]), np.array([0, 0, 2]), 4)
    array(['bc, a', '', 'a', ''], dtype=object)
    """
    starts = np.ones(len(group), dtype=bool)
    starts[1:] = group[1:] != group[:-1]
    pieces = np.array([*first, *later], dtype=object)[code + len(first) * ~starts]
    cells = np.full(groups, "", dtype=object)
    if len(pieces):
        cells[group[starts]] = np.add.reduceat(pieces, np.flatnonzero(starts))
    return cells


def _item_descriptions(
    explainer: Explainer, pairs: Pairs
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """(wanted item, pair, description code, kind: 0 matched, 1 related, 2 missing) for every
    skill each pair's project asks for, in the project's order, pairs in order, and the
    distinct descriptions the codes point into."""
    model = explainer.model
    wanted = model.wanted
    start = np.searchsorted(wanted.owner, pairs.project, side="left")
    counts = np.searchsorted(wanted.owner, pairs.project, side="right") - start
    pair = np.repeat(np.arange(len(pairs.project)), counts)
    item = spans(start, counts)
    person, column = pairs.person[pair], model.wanted_column[item]
    at = stored_positions(model.credit, person, column)
    found = at >= 0
    stored = np.maximum(at, 0) if len(model.winner) else np.zeros(len(at), np.int64)
    entry = np.where(found, model.winner[stored] if len(model.winner) else 0, 0)
    kind = np.where(found, np.where(model.related[stored] if len(model.winner) else 0, 1, 0), 2)
    offered_id = np.full(len(item), -1, dtype=np.int64)
    offered_id[found] = _spelling_ids(model.offered.spelling, entry[found])
    have = np.where(found, model.offered.level[entry] if found.any() else 0, -1)
    # the two spellings fix both skills, and so the relation: these say all a text says
    key = _combined([_spelling_ids(wanted.spelling)[item], wanted.level[item], kind, offered_id,
                     have])  # fmt: skip
    _, first, inverse = np.unique(key, axis=0 if key.ndim > 1 else None, return_index=True,
                                  return_inverse=True)  # fmt: skip
    asked, where = item[first], at[first]
    texts = np.array([wanted.spelling[i] for i in asked.tolist()], dtype=object)  # if missing
    met = np.flatnonzero(where >= 0)
    texts[met] = explainer.stored_descriptions(  # a stored credit has an offered spelling
        where[met], column[first][met], wanted.level[asked][met].tolist(), texts[met].tolist()
    )
    return item, pair, inverse.ravel(), kind, texts.tolist()


def _combined(columns: list[np.ndarray]) -> np.ndarray:
    """One int64 per row of small integer columns, equal where the rows are (a 2-D array of
    the columns if they would not fit in one number)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    span = 1
    for values in columns:
        low = int(values.min()) if len(values) else 0
        size = (int(values.max()) if len(values) else 0) - low + 1
        span *= size
        if span >= 2**62:
            return np.stack(columns, axis=1)
        key = key * size + (values - low)
    return key


def _spelling_ids(spellings: list[str], rows: np.ndarray | None = None) -> np.ndarray:
    """A small integer per distinct spelling (of `spellings[rows]`, or all), so spellings
    compare as numbers; each row's spelling is read once, however often it is asked for."""
    import pandas as pd

    if rows is None:
        rows = np.arange(len(spellings))
    rows, distinct = pd.factorize(rows)
    chosen = [spellings[i] for i in distinct.tolist()]
    if not chosen:
        return np.zeros(len(rows), dtype=np.int64)
    return pd.factorize(np.array(chosen, dtype=object))[0].astype(np.int64)[rows]


def _with_kept(frame, pairs: Pairs, projects, people, keep: list[str]):
    """Pass extra input columns through (`--keep COL`), from people first, then projects;
    a name matches a column as headers do (case, spaces and punctuation aside)."""
    for column in keep:
        for table, index in ((people, pairs.person), (projects, pairs.project)):
            found = find_column(table, column)
            if found is not None and column not in frame.columns:
                frame[column] = _as_cells(table[found].to_numpy(object))[index]
                break
    return frame


def _as_cells(values: np.ndarray) -> np.ndarray:
    """A column as output cells: a skills column's parsed lists written back as text, once per
    input row (a list is no value for a spreadsheet or JSON)."""
    if not any(isinstance(v, list) for v in values):
        return values
    from gigmatch.read.skill_cells import skill_cell

    return np.array([skill_cell(v) if isinstance(v, list) else v for v in values], dtype=object)


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
    model = model or build_skill_model(projects, people, config)
    if history is None:
        return model, None
    from gigmatch.score.history import history_adjuster  # only a run with history needs it

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
