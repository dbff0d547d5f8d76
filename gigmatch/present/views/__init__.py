"""Rich renderables for people at a terminal: one module per command, pure functions.

Every text that came from an input file goes through `for_terminal` or `printable` (control
characters out, markup escaped), so a name like `[blink]Bob` is shown as written and never
interpreted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.measure import Measurement
    from rich.table import Table

BAR_WIDTH = 10


def score_bar(score: float, width: int = BAR_WIDTH) -> Text:
    """A score 0-100 as a bar and its value: `███████░░░ 71.5`."""
    filled = max(0, min(width, round(score / 100 * width)))
    style = "green" if score >= 75 else "yellow" if score >= 50 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {score:5.1f}")


class FitWidth:
    """A table that fits the console: secondary columns are dropped, in the order given, until
    every column can show its longest word (or, for `no_wrap` columns, its longest cell), so a
    key column is never cut to `P-1…` nor a word broken in two.

    Built around a finished `Table`, so a view only names what may go (`FitWidth(table,
    ["Past", "Median"])`); nothing is dropped on a console wide enough.
    """

    def __init__(self, table: Table, optional: list[str]) -> None:
        self.table = table
        self.optional = optional

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        for header in self.optional:
            if needed_width(console, options, table) <= options.max_width:
                break
            table.columns = [c for c in table.columns if str(c.header) != header]
        yield table

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.table)


def needed_width(console: Console, options: ConsoleOptions, table: Table) -> int:
    """The width a table needs to show every cell whole: its longest word in a wrapping
    column, its longest cell in a `no_wrap` column (rich's own measure clamps to the console,
    so it cannot tell)."""
    from rich.measure import Measurement

    wide = options.update_width(10_000)
    _, right, _, left = table.padding
    total = (2 if table.box and table.show_edge else 0) + max(0, len(table.columns) - 1)
    for column in table.columns:
        sizes = [Measurement.get(console, wide, c) for c in [column.header, *column.cells]]
        need = max((s.maximum if column.no_wrap else s.minimum) for s in sizes)
        need = max(need, column.min_width or 0)
        need = min(need, column.max_width) if column.max_width else need
        total += need + left + right
    return total
