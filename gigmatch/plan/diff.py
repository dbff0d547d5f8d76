"""Week to week: what changed between two staffing plans (`gigmatch diff`, `--diff-previous`).

A manager re-runs `assign` every week and mails the team what changed, not the whole plan. The
change is read per person: a project they are on in both plans is unchanged; one they left and
one they joined are a *move* (paired in id order when they left or joined several); what is
left over is a plain *left* or *joined*. Scores come from the plans themselves, so the score
change is the one the two runs reported.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gigmatch.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

DIFF_COLUMNS = [
    "change",
    "person_id",
    "person_name",
    "from_project",
    "to_project",
    "old_score",
    "new_score",
    "score_change",
]
_ORDER = {"joined": 0, "moved": 1, "left": 2}


@dataclass(frozen=True)
class DiffSummary:
    """Counts of each change and the plans' totals."""

    joined: int
    left: int
    moved: int
    unchanged: int
    old_total: float
    new_total: float

    @property
    def score_change(self) -> float:
        return round(self.new_total - self.old_total, 3)


@dataclass(frozen=True)
class PlanDiff:
    """One row per change (`DIFF_COLUMNS`) and the summary."""

    changes: pd.DataFrame
    summary: DiffSummary


def diff_sentence(summary: DiffSummary) -> str:
    """`2 joined, 1 left, 1 moved, 20 unchanged; total score 1,900.0 -> 1,912.5 (+12.5)`."""
    return (
        f"{summary.joined} joined, {summary.left} left, {summary.moved} moved, "
        f"{summary.unchanged} unchanged; total score {summary.old_total:,.1f} -> "
        f"{summary.new_total:,.1f} ({summary.score_change:+,.1f})"
    )


def read_plan(source: str | Path) -> pd.DataFrame:
    """A plan as `assign` writes it (CSV, TSV or JSON): project_id, person_id, and the
    person_name and score when the file has them. One row per filled place."""
    import pandas as pd

    if str(source).lower().endswith(".json"):
        frame = _json_plan(Path(source))
        missing = [c for c in ("project_id", "person_id") if c not in frame.columns]
        if missing:
            raise InputError(
                f"{source}: not a staffing plan: no field {', '.join(missing)} "
                "(write one with `gigmatch assign … -f json`)"
            )
    else:
        from gigmatch.read.schema import read

        frame = read(source, "plan").frame  # the header rule of every input
    plan = pd.DataFrame(
        {
            "project_id": frame["project_id"].astype(str).str.strip(),
            "person_id": frame["person_id"].astype(str).str.strip(),
            "person_name": frame["person_name"].astype(str) if "person_name" in frame else "",
            "score": pd.to_numeric(frame["score"], errors="coerce") if "score" in frame else 0.0,
        }
    )
    plan = plan[(plan["person_id"] != "") & (plan["project_id"] != "")]
    return plan.drop_duplicates(["project_id", "person_id"]).reset_index(drop=True)


def _json_plan(path: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a JSON plan: {exc}") from None
    rows = document.get("assignments") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise InputError(
            f"{path}: no 'assignments' list (write one with `gigmatch assign -f json`)"
        )
    return pd.DataFrame(rows)


def diff_plans(old: pd.DataFrame, new: pd.DataFrame) -> PlanDiff:
    """Who joined, left or moved between two plans (frames as `read_plan` returns)."""
    import pandas as pd

    old_pairs = _pairs(old)
    new_pairs = _pairs(new)
    names = {**_names(old), **_names(new)}
    rows = []
    for person in sorted({p for _, p in old_pairs} | {p for _, p in new_pairs}):
        was = sorted(j for j, p in old_pairs if p == person and (j, p) not in new_pairs)
        now = sorted(j for j, p in new_pairs if p == person and (j, p) not in old_pairs)
        for source, target in zip(was, now, strict=False):
            rows.append(_row("moved", person, names, source, target, old_pairs, new_pairs))
        for source in was[len(now) :]:
            rows.append(_row("left", person, names, source, "", old_pairs, new_pairs))
        for target in now[len(was) :]:
            rows.append(_row("joined", person, names, "", target, old_pairs, new_pairs))
    changes = pd.DataFrame(rows, columns=DIFF_COLUMNS)
    if len(changes):
        changes = changes.sort_values(
            ["change", "to_project", "from_project", "person_id"],
            key=lambda c: c.map(_ORDER) if c.name == "change" else c,
            kind="stable",
        ).reset_index(drop=True)
    counts = changes["change"].value_counts()
    summary = DiffSummary(
        joined=int(counts.get("joined", 0)),
        left=int(counts.get("left", 0)),
        moved=int(counts.get("moved", 0)),
        unchanged=len(set(old_pairs) & set(new_pairs)),
        old_total=round(math.fsum(old_pairs.values()), 3),
        new_total=round(math.fsum(new_pairs.values()), 3),
    )
    return PlanDiff(changes, summary)


def _pairs(plan: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(project, person) -> score (0 when the plan has no score)."""
    scores = plan["score"].astype(float).fillna(0.0) if "score" in plan else [0.0] * len(plan)
    return {
        (str(j), str(p)): float(s)
        for j, p, s in zip(plan["project_id"], plan["person_id"], scores, strict=True)
    }


def _names(plan: pd.DataFrame) -> dict[str, str]:
    if "person_name" not in plan:
        return {}
    return {str(p): str(n) for p, n in zip(plan["person_id"], plan["person_name"], strict=True)}


def _row(change, person, names, source, target, old_pairs, new_pairs) -> dict:
    old_score = old_pairs[(source, person)] if source else None
    new_score = new_pairs[(target, person)] if target else None
    delta = (new_score or 0.0) - (old_score or 0.0)
    return {
        "change": change,
        "person_id": person,
        "person_name": names.get(person, ""),
        "from_project": source,
        "to_project": target,
        "old_score": old_score,
        "new_score": new_score,
        "score_change": round(delta, 3),
    }
