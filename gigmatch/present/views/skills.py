"""`skills` at a terminal: the vocabulary, shortest-supplied first."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.present.views import FitWidth


def skills_view(report: pd.DataFrame) -> FitWidth:
    """The vocabulary table: each skill with its knowledge-base concept and its spellings with how
    each resolved; numbers right-aligned, unmet demand in red."""
    from rich.table import Table

    from gigmatch.present.safe import for_terminal
    from gigmatch.present.views import FitWidth

    table = Table(title="Skills, shortest-supplied first", title_justify="left")
    table.add_column("Skill", style="bold")
    table.add_column("Spellings, how each resolved", overflow="fold", ratio=1)
    for column in ("Projects", "Places", "Nice", "People", "Hours", "Gap", "Per place"):
        table.add_column(column, justify="right")
    for row in report.itertuples(index=False):
        short = row.places > 0 and row.people < row.places
        concept = getattr(row, "concept", "")
        skill = (
            f"{row.skill}\n({concept})" if concept else f"{row.skill}\n(not in the knowledge base)"
        )
        table.add_row(
            for_terminal(skill),
            for_terminal(getattr(row, "resolved", row.spellings)),
            *(str(v) for v in (row.projects, row.places, row.nice_to_have, row.people)),
            f"{row.hours:g}",
            f"[red]{row.gap}[/red]" if short else str(row.gap),
            "" if math.isnan(row.people_per_place) else f"{row.people_per_place:g}",
        )
    return FitWidth(table, ["Per place", "Nice", "Hours", "Projects"])


def suggestion_lines(found: list, written: object | None) -> list[tuple[str, str | None]]:
    """The alias suggestions as (line, style) for stderr: data stays on stdout, advice beside."""
    from gigmatch.present.safe import printable

    if not found:
        lines: list[tuple[str, str | None]] = [("no spelling variants to unify", "dim")]
    else:
        noun = "spelling reads" if len(found) == 1 else "spellings read"
        lines = [(f"{len(found)} {noun} as a typo of another skill (suggested aliases):", None)]
        lines += [
            (printable(f"  {s.variant} -> {s.canonical} ({s.similarity:g}% alike)"), "yellow")
            for s in found
        ]
    if written is not None:
        lines.append((f"wrote {written}: review it, then use it with --config {written}", "dim"))
    elif found:
        lines.append(("save them for review with --write-aliases FILE", "dim"))
    return lines
