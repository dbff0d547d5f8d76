"""`match --view compact`: one line per candidate, for lists longer than a screen.

A line holds what a manager scans for: the rank, a score bar, who it is, their rate against
the project's budget (in the units the files gave them), and how many required skills are
matched and missing. The full cards (`--view full`) keep the reasons.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gigmatch.present.safe import for_terminal, printable
from gigmatch.present.views import score_bar

if TYPE_CHECKING:
    import pandas as pd


def amount(value: object) -> str:
    """A rate or budget as the file gave it (no currency is invented), or `?` when unknown.

    >>> amount(105.0), amount(37.5), amount(float("nan")), amount(None)
    ('105', '37.5', '?', '?')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    number = float(value)  # type: ignore[arg-type]
    return f"{number:g}" if number != int(number) else f"{int(number)}"


def count_skills(cell: object) -> int:
    """How many skills a `matched_skills` / `missing_skills` cell lists.

    >>> count_skills("Django<-Django (exact); React<-ReactJS (alias)"), count_skills("")
    (2, 0)
    """
    text = "" if cell is None or (isinstance(cell, float) and math.isnan(cell)) else str(cell)
    return len([part for part in text.split(";") if part.strip()])


def rate_text(rate: object, budget: object) -> Text:
    """`105 / 35`, red when the rate is over the budget."""
    over = _number(rate) is not None and _number(budget) is not None
    over = over and float(rate) > float(budget)  # type: ignore[arg-type]
    return Text(f"{amount(rate)} / {amount(budget)}", style="red" if over else "")


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)  # type: ignore[arg-type]


def compact_table(
    rows: pd.DataFrame,
    title: str,
    rates: dict[str, float],
    budgets: dict[str, float],
    *,
    by_person: bool = False,
) -> Table:
    """One group's lines: rank, score, name and id, rate / budget, skills matched ✓, related ≈
    (partial credit from a related skill) and missing ✗."""
    table = Table(title=title, title_justify="left", box=None, pad_edge=False, expand=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("Score", no_wrap=True)
    table.add_column("Project" if by_person else "Name", overflow="fold", ratio=1, min_width=12)
    table.add_column("Rate / budget", justify="right", no_wrap=True)
    table.add_column("✓", justify="right", style="green", no_wrap=True)
    table.add_column("≈", justify="right", style="yellow", no_wrap=True)
    table.add_column("✗", justify="right", style="red", no_wrap=True)
    for row in rows.itertuples(index=False):
        name = Text.assemble(
            printable(str(row.person_name)), (f" ({printable(str(row.person_id))})", "dim")
        )
        if by_person:  # the line names the project
            name = Text.assemble(
                printable(str(row.project_title)), (f" ({printable(str(row.project_id))})", "dim")
            )
        table.add_row(
            str(row.rank),
            score_bar(float(row.score)),
            name,
            rate_text(rates.get(row.person_id), budgets.get(row.project_id)),
            str(count_skills(row.matched_skills)),
            str(count_skills(getattr(row, "related_skills", ""))),
            str(count_skills(row.missing_skills)),
        )
    return table


def compact_view(
    frame: pd.DataFrame,
    projects: pd.DataFrame,
    people: pd.DataFrame | None = None,
    *,
    by_person: bool = False,
) -> Group:
    """A block per project (or per person with `by_person`), one line per candidate; groups
    in the input file's order; a project with no candidate says so."""
    rates = _lookup(people, "rate")
    budgets = _lookup(projects, "budget")
    listed = frame.dropna(subset=["person_id"]) if len(frame) else frame
    parts: list[RenderableType] = []
    if by_person:
        for person_id, rows in listed.groupby("person_id", sort=False):
            name = rows["person_name"].iloc[0]
            heading = f"Person [bold]{for_terminal(person_id)}[/bold] · {for_terminal(name)}"
            parts.append(compact_table(rows, heading, rates, budgets, by_person=True))
        return Group(*parts)
    groups = dict(tuple(listed.groupby("project_id", sort=False))) if len(listed) else {}
    for project in projects.itertuples(index=False):
        heading = f"[bold]{for_terminal(project.id)}[/bold] · {for_terminal(project.title)}"
        rows = groups.get(project.id)
        if rows is None:
            parts.append(Text.from_markup(heading + "  [red]no candidate[/red]"))
            continue
        parts.append(compact_table(rows, heading, rates, budgets))
    return Group(*parts)


def _lookup(table: pd.DataFrame | None, column: str) -> dict[str, float]:
    if table is None or column not in table.columns:
        return {}
    return dict(zip(table["id"], table[column], strict=True))
