"""`match` at a terminal: a section per project, a card per candidate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gigmatch.present.safe import for_terminal, printable
from gigmatch.present.views import score_bar

if TYPE_CHECKING:
    import pandas as pd


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
    """Name and id, matched, related and missing skills, then the components in one dim line."""
    cell = Text.assemble(
        (printable(str(row.person_name)), "bold"), f" ({printable(str(row.person_id))})"
    )
    if row.matched_skills:
        cell.append("\n✓ ", style="green").append(printable(row.matched_skills))
    related = getattr(row, "related_skills", "")
    if related:
        cell.append("\n≈ related: ", style="yellow").append(printable(related))
    if row.missing_skills:
        cell.append("\n✗ missing: ", style="red").append(printable(row.missing_skills), style="red")
    shown = [*_COMPONENTS, ("text", "text_score")] if hasattr(row, "text_score") else _COMPONENTS
    parts = [f"{label} {getattr(row, column):.2f}" for label, column in shown]
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
