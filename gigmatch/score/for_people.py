"""`match` turned round: the best projects for given people, and blank rows for empty projects.

Scores stay those of the whole pool (ratings are shrunk towards the pool, so a person scored
alone would score differently): all pairs are scored once, then only the people asked for are
kept and ranked per person.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from gigmatch.score.components import Pairs

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.score.ranking import Scored


def select_people(people: pd.DataFrame, ids: list[str]) -> np.ndarray | None:
    """Row numbers of the people named by `--person`, in the order given (None = not asked);
    an unknown id is a usage error with the closest ids."""
    if not ids:
        return None
    from gigmatch.errors import UsageError, did_you_mean

    position = {str(pid): i for i, pid in enumerate(people["id"])}
    unknown = [i for i in ids if i not in position]
    if unknown:
        hint = did_you_mean(unknown[0], list(position))
        raise UsageError(
            f"no person with id {', '.join(map(repr, unknown))} in the people file{hint}"
        )
    return np.array(list(dict.fromkeys(position[i] for i in ids)), dtype=np.int64)


def best_for_people(scored: Scored, people: np.ndarray, top: int) -> Scored:
    """Keep the pairs of `people` only, best `top` projects per person (0 = all), in the order
    the people were asked for; ties broken by the projects file's order."""
    pairs = scored.pairs
    order_of = np.full(len(scored.people), -1, dtype=np.int64)
    order_of[people] = np.arange(len(people))
    kept = np.flatnonzero(order_of[pairs.person] >= 0)
    # person asked first, best score first, then the projects file's order
    kept = kept[np.lexsort((pairs.project[kept], -pairs.score[kept], order_of[pairs.person[kept]]))]
    owner = order_of[pairs.person[kept]]
    starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    rank = np.arange(len(kept)) - np.repeat(starts, np.diff(np.r_[starts, len(kept)]))
    rank = rank + 1
    if top:
        kept, rank = kept[rank <= top], rank[rank <= top]
    chosen = Pairs(
        pairs.project[kept],
        pairs.person[kept],
        {name: values[kept] for name, values in pairs.components.items()},
        pairs.matched[kept],
        pairs.score[kept],
    )
    return replace(scored, pairs=chosen, rank=rank)


def with_empty_projects(frame: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Add one row per project without a candidate (its id and title, the rest blank), placed
    in the projects file's order, so a spreadsheet lists every project."""
    import pandas as pd

    listed = set(frame["project_id"].to_numpy(object).tolist())  # not per cell through pandas
    empty = projects[~projects["id"].isin(listed)]
    if empty.empty:
        return frame
    blank = pd.DataFrame(
        {
            "project_id": empty["id"].to_numpy(object),
            "project_title": empty["title"].to_numpy(object),
        }
    )
    for column in ("matched_skills", "missing_skills"):
        if column in frame.columns:
            blank[column] = ""
    combined = pd.concat([frame.astype({"rank": "Int64"}), blank], ignore_index=True)
    combined["rank"] = combined["rank"].astype("Int64")
    position = {pid: i for i, pid in enumerate(projects["id"])}
    key = combined["project_id"].map(position)
    return combined.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)
