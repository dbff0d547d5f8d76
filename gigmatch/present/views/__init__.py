"""Rich renderables for people at a terminal: one module per command, pure functions.

Every text that came from an input file goes through `for_terminal` or `printable` (control
characters out, markup escaped), so a name like `[blink]Bob` is shown as written and never
interpreted.
"""

from __future__ import annotations

from rich.text import Text

BAR_WIDTH = 10


def score_bar(score: float, width: int = BAR_WIDTH) -> Text:
    """A score 0-100 as a bar and its value: `███████░░░ 71.5`."""
    filled = max(0, min(width, round(score / 100 * width)))
    style = "green" if score >= 75 else "yellow" if score >= 50 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {score:5.1f}")
