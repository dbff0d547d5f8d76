"""Rich renderables for people at a terminal; pure functions returning tables.

Every text that came from an input file goes through `for_terminal` (control characters out,
markup escaped), so a name like `[blink]Bob` is shown as written and never interpreted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gigmatch.present.safe import for_terminal, printable

if TYPE_CHECKING:
    import pandas as pd

BAR_WIDTH = 10


def score_bar(score: float, width: int = BAR_WIDTH) -> Text:
    """A score 0-100 as a bar and its value: `███████░░░ 71.5`."""
    filled = max(0, min(width, round(score / 100 * width)))
    style = "green" if score >= 75 else "yellow" if score >= 50 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {score:5.1f}")


def match_table(rows: pd.DataFrame, title: str) -> Table:
    """One project's candidates: rank, score bar, and who they are and why they fit."""
    table = Table(title=title, title_justify="left", show_lines=True, expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Score", no_wrap=True)
    table.add_column("Candidate, skills and score components", overflow="fold", ratio=1)
    for row in rows.itertuples(index=False):
        table.add_row(str(row.rank), score_bar(float(row.score)), candidate_cell(row))
    return table


def candidate_cell(row) -> Text:
    """Name and id, matched and missing skills, then the components in one dim line."""
    cell = Text.assemble(
        (printable(str(row.person_name)), "bold"), f" ({printable(str(row.person_id))})"
    )
    if row.matched_skills:
        cell.append("\n✓ ", style="green").append(printable(row.matched_skills))
    if row.missing_skills:
        cell.append("\n✗ missing: ", style="red").append(printable(row.missing_skills), style="red")
    parts = [f"{label} {getattr(row, column):.2f}" for label, column in _COMPONENTS]
    return cell.append("\n" + " · ".join(parts), style="dim")


_COMPONENTS = (
    ("skills", "skill_score"),
    ("rating", "rating_score"),
    ("on-time", "reliability_score"),
    ("rate", "rate_score"),
    ("hours", "availability_score"),
    ("tz", "timezone_score"),
)


def match_view(frame: pd.DataFrame, projects: pd.DataFrame) -> Group:
    """A section per project, in the projects file's order; projects with no candidate say so."""
    parts: list[RenderableType] = []
    groups = dict(tuple(frame.groupby("project_id", sort=False))) if len(frame) else {}
    for project in projects.itertuples(index=False):
        heading = f"[bold]{for_terminal(project.id)}[/bold] · {for_terminal(project.title)}"
        rows = groups.get(project.id)
        if rows is None:
            parts.append(Text.from_markup(heading + "  [red]no candidate[/red]\n"))
            continue
        parts.append(match_table(rows, heading))
    return Group(*parts)


def plan_view(staffing) -> Group:
    """The plan per project, the open places with their reasons, and the totals."""
    plan = Table(title="Staffing plan", title_justify="left")
    plan.add_column("Project")
    plan.add_column("Person")
    plan.add_column("Score", no_wrap=True)
    flagged = bool(staffing.assignments["pinned"].any() or staffing.assignments["kept"].any())
    if flagged:
        plan.add_column("", style="dim")
    for row in staffing.assignments.itertuples(index=False):
        flags = " ".join(f for f, on in (("pinned", row.pinned), ("kept", row.kept)) if on)
        cells: list[RenderableType] = [
            f"{for_terminal(row.project_id)} {for_terminal(row.project_title)}",
            f"{for_terminal(row.person_name)} [dim]({for_terminal(row.person_id)})[/dim]",
            score_bar(float(row.score)),
        ]
        plan.add_row(*cells, *([flags] if flagged else []))
    parts: list = [plan]
    if len(staffing.unfilled):
        open_table = Table(title="Open places", title_justify="left")
        for name in ("Project", "Open", "Eligible", "Why"):
            open_table.add_column(name, justify="right" if name in ("Open", "Eligible") else "left")
        for row in staffing.unfilled.itertuples(index=False):
            open_table.add_row(
                f"{for_terminal(row.project_id)} {for_terminal(row.project_title)}",
                f"{row.open}/{row.team_size}",
                str(row.eligible),
                row.reason,
            )
        parts.append(open_table)
    s = staffing.summary
    proof = "proven optimal" if s["status"] == "optimal" else f"gap {s['gap']:.2%} to the bound"
    parts.append(
        Text(
            f"Total score {s['total_score']:g} · {s['filled']}/{s['places']} places filled "
            f"({s['share_filled']:.0%}) · {s['people_free']} people free · {proof}"
        )
    )
    return Group(*parts)
