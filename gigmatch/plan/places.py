"""Where a plan leaves everyone: the open places and why, the people still free, and who could
step in (alternates); each in one vectorised pass over the candidate pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gigmatch.plan.rules import index_of

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class PlanState:
    """Where the plan leaves everyone, as arrays in the files' row order."""

    edge_project: np.ndarray  # project row of each edge
    edge_person: np.ndarray
    chosen: np.ndarray  # bool per edge
    score: np.ndarray
    filled: np.ndarray  # per project
    team: np.ndarray
    need: np.ndarray  # hours per place (0 unknown)
    assigned: np.ndarray  # per person
    capacity: np.ndarray
    hours_left: np.ndarray  # per person (inf unknown)

    @classmethod
    def of(cls, projects, people, edges, chosen) -> PlanState:
        proj = index_of(projects, edges["project_id"], "project", "plan")
        pers = index_of(people, edges["person_id"], "person", "plan")
        mask = np.zeros(len(edges), dtype=bool)
        mask[np.asarray(chosen, dtype=np.intp)] = True
        need = np.nan_to_num(projects["hours"].to_numpy(float), nan=0.0)
        have = np.nan_to_num(people["hours"].to_numpy(float), nan=np.inf)
        used = np.bincount(pers[mask], need[proj[mask]], len(people))
        return cls(
            edge_project=proj,
            edge_person=pers,
            chosen=mask,
            score=edges["score"].to_numpy(float),
            filled=np.bincount(proj[mask], minlength=len(projects)),
            team=projects["team_size"].to_numpy(np.int64),
            need=need,
            assigned=np.bincount(pers[mask], minlength=len(people)),
            capacity=people["capacity"].to_numpy(np.int64),
            hours_left=have - used,
        )

    def could_step_in(self) -> np.ndarray:
        """Per edge not chosen: its person has a project and the hours left to take it."""
        p, f = self.edge_project, self.edge_person
        return (
            ~self.chosen
            & (self.assigned[f] < self.capacity[f])
            & (self.hours_left[f] + 1e-9 >= self.need[p])
        )


UNFILLED_COLUMNS = ["project_id", "project_title", "team_size", "filled", "open", "eligible",
                    "reason"]  # fmt: skip


def open_places(projects: pd.DataFrame, state: PlanState) -> pd.DataFrame:
    """Projects with open places, and why, in one vectorised pass over the edges.

    Nobody eligible; fewer eligible people than places; everyone eligible taken (or short of
    hours); or the rest of the eligible score more elsewhere.
    """
    import pandas as pd

    n = len(projects)
    p, f = state.edge_project, state.edge_person
    others = ~state.chosen
    full = others & (state.assigned[f] >= state.capacity[f])
    short = others & ~full & (state.hours_left[f] + 1e-9 < state.need[p])
    eligible = np.bincount(p, minlength=n)
    n_others = np.bincount(p[others], minlength=n)
    n_full = np.bincount(p[full], minlength=n)
    n_short = np.bincount(p[short], minlength=n)
    reason = np.select(
        [
            eligible == 0,
            n_others == 0,
            n_full == n_others,
            n_full + n_short == n_others,
        ],
        [
            "nobody eligible",
            "fewer eligible people than places",
            "everyone eligible is taken",
            "everyone eligible is taken or short of hours",
        ],
        "the rest of the eligible score more elsewhere",
    )
    open_ = state.team - state.filled
    rows = np.flatnonzero(open_ > 0)
    return pd.DataFrame(
        {
            "project_id": projects["id"].to_numpy(object)[rows],
            "project_title": projects["title"].to_numpy(object)[rows],
            "team_size": state.team[rows],
            "filled": state.filled[rows],
            "open": open_[rows],
            "eligible": eligible[rows],
            "reason": reason[rows].astype(object),
        },
        columns=UNFILLED_COLUMNS,
    )


def free_people(people: pd.DataFrame, state: PlanState) -> pd.DataFrame:
    """People who could take more work, with the projects and hours they have left."""
    import pandas as pd

    rows = np.flatnonzero(state.assigned < state.capacity)
    hours = state.hours_left[rows]
    return pd.DataFrame(
        {
            "person_id": people["id"].to_numpy(object)[rows],
            "person_name": people["name"].to_numpy(object)[rows],
            "capacity": state.capacity[rows],
            "assigned": state.assigned[rows],
            "hours_free": [None if np.isinf(h) else round(float(h), 2) for h in hours],
        },
        columns=["person_id", "person_name", "capacity", "assigned", "hours_free"],
    )


ALTERNATE_COLUMNS = ["project_id", "rank", "person_id", "person_name", "score"]


def alternates_of(
    edges: pd.DataFrame, people: pd.DataFrame, state: PlanState, count: int
) -> pd.DataFrame | None:
    """Per project, the `count` best people not on it who could step in as the plan stands:
    each has a project and the hours left for it, so nobody is listed beyond their capacity."""
    import pandas as pd

    if count <= 0:
        return None
    ok = np.flatnonzero(state.could_step_in())
    person_ids = edges["person_id"].to_numpy(object)
    order = ok[np.lexsort((person_ids[ok].astype(str), -state.score[ok], state.edge_project[ok]))]
    group = state.edge_project[order]
    start = np.searchsorted(group, group)
    rank = np.arange(len(order)) - start + 1
    order, rank = order[rank <= count], rank[rank <= count]
    return (
        pd.DataFrame(
            {
                "project_id": edges["project_id"].to_numpy(object)[order],
                "rank": rank.astype(np.int64),
                "person_id": person_ids[order],
                "person_name": people["name"].to_numpy(object)[state.edge_person[order]],
                "score": state.score[order],
            },
            columns=ALTERNATE_COLUMNS,
        )
        .sort_values(["project_id", "rank"], kind="stable")
        .reset_index(drop=True)
    )


def with_alternates_column(assignments: pd.DataFrame, alternates: pd.DataFrame) -> pd.DataFrame:
    """The alternates of each row's project in one CSV-friendly cell: `F-009 (71.5); …`."""
    item = alternates["person_id"] + " (" + alternates["score"].map("{:g}".format) + ")"
    text = alternates.assign(item=item).groupby("project_id", sort=False)["item"].agg("; ".join)
    return assignments.assign(alternates=assignments["project_id"].map(text).fillna(""))
