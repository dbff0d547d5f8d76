"""What a staffing plan amounts to, typed, and the one sentence that says it.

`assign`, its terminal view and the HTML report all print `summary_sentence`, so the three can
never disagree; shares are rounded down, so a shortfall never reads 100%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Fairness:
    """The lowest project score and the total, for the fair plan and for the best total."""

    lowest: float  # lowest project score of the fair plan (score per place, open places 0)
    total: float
    best_total_lowest: float  # the same two figures for the plan with the best total
    best_total: float
    over: str = "listed"  # over projects with a candidate, or (when some of them cannot all be
    # staffed at once) over the projects the best-total plan staffs: "staffed"
    search: str = "done"  # "done"; "floor only" (total not raised in time); "none" (no fairer
    # plan found in time) or "no gain" (it would not raise the lowest): the best-total plan


@dataclass(frozen=True)
class PlanSummary:
    """The figures of a plan, typed; `summary_sentence` says them in words."""

    total_score: float
    places: int
    filled: int
    weak: int  # fills below weak_skill, missing a required skill, or over budget
    projects_unfilled: int
    people_free: int
    status: str  # optimal, feasible (deterministic limit), wall-clock, or given (not solved)
    method: str
    bound: float | None
    gap: float | None
    weak_skill: float | None = None  # None when skills are unknown (scores without the CSVs)
    history: str | None = None
    candidates_exhausted: tuple[str, ...] = ()
    fairness: Fairness | None = None

    @property
    def share_filled(self) -> float:
        """Filled places as a share, rounded *down* to 0.1%: a shortfall never reads 100%."""
        return share_floor(self.filled, self.places)

    def as_dict(self) -> dict[str, Any]:
        """The summary as plain values, for JSON, TOML and the XLSX summary sheet."""
        from dataclasses import asdict

        data = asdict(self)
        data["share_filled"] = self.share_filled
        data["candidates_exhausted"] = list(self.candidates_exhausted)
        return data


def share_floor(part: int, whole: int) -> float:
    """`part / whole` rounded down to a thousandth, so only a full count reads 100%.

    >>> share_floor(9949, 9971), share_floor(3, 3), share_floor(0, 0)
    (0.997, 1.0, 1.0)
    """
    if whole <= 0:
        return 1.0
    return math.floor(1000 * part / whole) / 1000


def percent_text(part: int, whole: int) -> str:
    """`99.7%`, never `100%` while a place is open.

    >>> percent_text(9949, 9971), percent_text(25, 25), percent_text(1, 3)
    ('99.7%', '100%', '33.3%')
    """
    share = share_floor(part, whole)
    return "100%" if share >= 1 else f"{share * 100:.1f}%"


def status_text(summary: PlanSummary) -> str:
    """How sure the plan is: proven optimal, or how far from the proven bound and why."""
    if summary.status == "given":
        return "plan given, not solved here"
    if summary.status == "optimal":
        return f"proven optimal ({summary.method})"
    within = (
        "no proven bound"
        if summary.gap is None or summary.bound is None
        else f"within {math.ceil(summary.gap * 10000) / 100:.2f}% of the proven bound "
        f"{summary.bound:,.1f}"
    )
    if summary.status == "wall-clock":
        return (
            f"stopped by the wall-clock --time-limit, {within} ({summary.method}); on another "
            "machine or load the plan may differ"
        )
    return f"stopped by the deterministic --time-limit, {within} ({summary.method})"


def summary_sentence(summary: PlanSummary) -> str:
    """The one sentence `assign`, its table view and the report all print about a plan."""
    weak = ""
    if summary.weak_skill is not None:
        weak = (
            f", {summary.weak} weak (skill below {summary.weak_skill:g}, a required skill "
            "missing or over budget)"
            if summary.weak
            else ", none weak"
        )
    people = "person" if summary.people_free == 1 else "people"
    text = (
        f"{summary.filled} of {summary.places} places filled "
        f"({percent_text(summary.filled, summary.places)}){weak}; total score "
        f"{summary.total_score:,.1f}, {status_text(summary)}; "
        f"{_plural(summary.projects_unfilled, 'project')} with open places, "
        f"{summary.people_free} {people} free"
    )
    if summary.fairness is not None:
        text += "; " + fairness_text(summary.fairness)
    return text


def fairness_text(f: Fairness) -> str:
    """What --fair did: both objectives for both plans, and how far the search got."""
    among = "" if f.over == "listed" else " among the projects the best-total plan staffs"
    if f.search in ("none", "no gain"):
        why = "within --time-limit" if f.search == "none" else "that raises the lowest score"
        return (
            f"--fair: no fairer plan found {why}, so this is the best-total plan; lowest project "
            f"score{among} {f.lowest:.1f}, total {f.total:,.1f}"
        )
    late = "" if f.search == "done" else " (the total was not raised within --time-limit)"
    return (
        f"--fair: lowest project score{among} {f.lowest:.1f} (best total: "
        f"{f.best_total_lowest:.1f}), total {f.total:,.1f} (best total: {f.best_total:,.1f}){late}"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
