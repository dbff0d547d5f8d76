"""`assign` and `diff` at a terminal: the plan with its weak points, open places, alternates,
the summary sentence, and what changed since the last plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gigmatch.plan.diff import diff_sentence
from gigmatch.plan.summary import summary_sentence
from gigmatch.present.safe import for_terminal, printable
from gigmatch.present.views import score_bar

if TYPE_CHECKING:
    import pandas as pd


def plan_view(staffing) -> Group:
    """The plan per project with each fill's weak points, the open places with their reasons,
    the alternates when asked for, and the summary sentence `assign` prints."""
    plan = Table(title="Staffing plan", title_justify="left")
    plan.add_column("Project")
    plan.add_column("Person")
    plan.add_column("Score", no_wrap=True)
    plan.add_column("Weak: why", style="red")
    frame = staffing.assignments
    flagged = bool(frame["pinned"].any() or frame["kept"].any())
    if flagged:
        plan.add_column("", style="dim")
    for row in frame.itertuples(index=False):
        flags = " ".join(f for f, on in (("pinned", row.pinned), ("kept", row.kept)) if on)
        cells: list[RenderableType] = [
            f"{for_terminal(row.project_id)} {for_terminal(row.project_title)}",
            f"{for_terminal(row.person_name)} [dim]({for_terminal(row.person_id)})[/dim]",
            score_bar(float(row.score)),
            Text(printable(str(row.weak))),
        ]
        plan.add_row(*cells, *([flags] if flagged else []))
    parts: list = [plan]
    if len(staffing.unfilled):
        parts.append(_open_table(staffing.unfilled))
    if staffing.alternates is not None and len(staffing.alternates):
        parts.append(_alternates_table(staffing.alternates))
    parts.append(Text(summary_sentence(staffing.summary)))
    return Group(*parts)


def _open_table(unfilled: pd.DataFrame) -> Table:
    table = Table(title="Open places", title_justify="left")
    for name in ("Project", "Open", "Eligible", "Why"):
        table.add_column(name, justify="right" if name in ("Open", "Eligible") else "left")
    for row in unfilled.itertuples(index=False):
        table.add_row(
            f"{for_terminal(row.project_id)} {for_terminal(row.project_title)}",
            f"{row.open}/{row.team_size}",
            str(row.eligible),
            Text(printable(str(row.reason))),
        )
    return table


def _alternates_table(alternates: pd.DataFrame) -> Table:
    table = Table(title="Alternates: could step in as the plan stands", title_justify="left")
    for name in ("Project", "#", "Person", "Score"):
        table.add_column(name, justify="right" if name in ("#", "Score") else "left")
    for row in alternates.itertuples(index=False):
        table.add_row(
            Text(printable(str(row.project_id))),
            str(row.rank),
            Text(f"{printable(str(row.person_name))} ({printable(str(row.person_id))})"),
            f"{row.score:.1f}",
        )
    return table


def diff_view(change) -> Group:
    """Changes between two plans, joined first, then moved, then left; and the counts."""
    table = Table(title="Changes since the last plan", title_justify="left")
    for name in ("Change", "Person", "From", "To", "Score change"):
        table.add_column(name, justify="right" if name == "Score change" else "left")
    style = {"joined": "green", "left": "red", "moved": "yellow"}
    for row in change.changes.itertuples(index=False):
        table.add_row(
            Text(row.change, style=style.get(row.change, "")),
            Text(f"{printable(str(row.person_name))} ({printable(str(row.person_id))})"),
            Text(printable(str(row.from_project))),
            Text(printable(str(row.to_project))),
            f"{row.score_change:+.1f}",
        )
    return Group(table, Text(diff_sentence(change.summary)))
