"""`price` at a terminal: one line per project with its rate ranges and flag."""

from __future__ import annotations


def price_view(frame):
    """One line per project: budget, candidates' range, history, suggestion, flag."""
    from rich.table import Table

    from gigmatch.present.safe import for_terminal
    from gigmatch.present.views import FitWidth

    table = Table(title="Hourly rates ($/h)", title_justify="left")
    table.add_column("Project", no_wrap=True)
    table.add_column("Title", max_width=28, overflow="fold")
    for name in ("Budget", "Fit", "p25–p75", "Median", "Past", "Suggested"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Flag", overflow="fold", min_width=6)
    for row in frame.itertuples(index=False):
        flag = for_terminal(row.flag)
        table.add_row(
            for_terminal(row.project_id),
            for_terminal(row.project_title),
            _money(row.budget),
            str(row.candidates),
            _span(row.rate_low, row.rate_high),
            _money(row.rate_median),
            f"{_money(row.history_rate_median)} ({row.history_jobs})",
            _span(row.suggested_low, row.suggested_high),
            flag if row.flag == "ok" else f"[bold red]{flag}[/]",
        )
    return FitWidth(table, ["Past", "Median", "p25–p75", "Fit", "Title"])  # key: id, money, flag


def _span(low: float, high: float) -> str:
    return "–" if low != low else f"{_money(low)}–{_money(high)}"


def _money(value: float) -> str:
    return "–" if value != value else f"{value:g}"
