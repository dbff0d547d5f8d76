"""`config` at a terminal: one row per setting, with where it came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table


def settings_view(frame: pd.DataFrame) -> Table:
    """Setting, value (right-aligned) and source; settings not at their default in bold."""
    from rich.table import Table
    from rich.text import Text

    from gigmatch.present.safe import printable

    table = Table(title="gigmatch settings", title_justify="left")
    table.add_column("Setting")
    table.add_column("Value", justify="right")
    table.add_column("Source", style="dim")
    for setting, value, source in frame.itertuples(index=False):
        style = "" if source == "default" else "bold"
        table.add_row(
            Text(printable(setting), style=style), Text(printable(value)), Text(printable(source))
        )
    return table
