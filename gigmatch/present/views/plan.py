"""`assign` at a terminal: the plan, its open places and the totals."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from gigmatch.present.safe import for_terminal
from gigmatch.present.views import score_bar


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
