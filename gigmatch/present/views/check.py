"""`check` at a terminal: one table per file with problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

    from gigmatch.insights.check import CheckReport


def problems_view(report: CheckReport) -> RenderableType:
    """One table per file with problems, rows in order; errors red, warnings yellow."""
    from rich.console import Group
    from rich.text import Text

    if not report.problems:
        return Text("No problems found.", style="green")
    by_file: dict[str, list] = {}
    for problem in report.problems:
        by_file.setdefault(problem.file, []).append(problem)
    return Group(*(_file_table(name, problems) for name, problems in by_file.items()))


def _file_table(name: str, problems: list) -> Table:
    from rich.table import Table
    from rich.text import Text

    from gigmatch.present.safe import for_terminal, printable

    table = Table(title=for_terminal(name), title_justify="left", expand=False)
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Severity")
    table.add_column("Code", style="dim")
    table.add_column("Message", overflow="fold", ratio=1)
    for p in problems:
        style = {"error": "red", "warning": "yellow"}.get(p.severity, "dim")
        table.add_row(
            "" if p.row is None else str(p.row),
            Text(printable(p.column or "")),
            Text(p.severity, style=style),
            p.code,
            Text(printable(p.message)),
        )
    return table
