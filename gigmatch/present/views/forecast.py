"""`forecast` at a terminal: demand per skill, the next periods, back-test and supply."""

from __future__ import annotations

from typing import Any


def forecast_view(result, tables: dict[str, Any]):
    """Per skill: recent history, the next periods, the band's peak, back-test and supply."""
    from rich.table import Table

    from gigmatch.present.safe import for_terminal
    from gigmatch.present.views import FitWidth

    d, p = result.demand, result.prediction
    table = Table(title=f"Demand per {d.by} (places)", title_justify="left")
    table.add_column("Skill", overflow="fold", min_width=10)
    table.add_column(f"Last {min(6, len(d.periods))}", no_wrap=True)
    table.add_column(f"Next {len(p.periods)}", no_wrap=True)
    table.add_column(f"{result.level:g}% band", justify="right", no_wrap=True)
    table.add_column("MAE/naive", justify="right", no_wrap=True)
    supply = tables.get("supply")
    if supply is not None:
        for name in ("People", "Free h/wk", "Need h/wk", "Status"):
            table.add_column(name, justify="right")
    back = tables["backtest"].set_index("skill") if len(tables["backtest"]) else None
    for i, name in enumerate(d.names):
        row = [
            for_terminal(name),
            " ".join(f"{v:g}" for v in d.places[-6:, i]),
            " ".join(f"{v:.1f}" for v in p.point[:6, i]),
            f"{p.low[:, i].min():.1f}–{p.high[:, i].max():.1f}",
            ""
            if back is None
            else f"{back.loc[name, 'mae']:.2f}/{back.loc[name, 'naive_mae']:.2f}",
        ]
        if supply is not None:
            s = supply.iloc[i]
            row += [str(s["people"]), f"{s['supply_hours']:g}", f"{s['demand_hours']:g}",
                    str(s["status"])]  # fmt: skip
        table.add_row(*row)
    return FitWidth(table, ["Free h/wk", "Need h/wk", "MAE/naive", "People"])


def versus_naive(row: Any) -> str:
    """How a back-test row compares with the naive forecast, in words. When the naive forecast
    made no error the improvement is undefined (NaN): say so rather than print "nan%"."""
    better = row["improvement"]
    if better != better:  # NaN
        return "both exact" if row["mae"] == 0 else "the naive forecast was exact"
    return f"{abs(better):.0f}% {'better' if better >= 0 else 'worse'}"


def forecast_notes(result, backtest, with_projects: bool) -> list[str]:
    """The method and the back-test in a few lines for stderr."""
    d, p = result.demand, result.prediction
    season = "with a seasonal term" if p.seasonal else "no seasonal term (under 2 seasons)"
    lines = [
        f"{len(d.names)} skills, {len(d.periods)} {d.by}s ({d.labels[0]}..{d.labels[-1]}), "
        f"damped-trend smoothing, {season}, {result.level:g}% interval"
    ]
    if d.dropped:
        lines.append(f"left out {', '.join(d.dropped)}: incomplete on the as-of date")
    if d.earlier:
        lines.append(
            f"left out {d.earlier:g} places before {d.labels[0]}: demand is read from the "
            f"last {len(d.periods)} {d.by}s at most"
        )
    if with_projects and result.undated_projects:
        n = result.undated_projects
        verb = "projects have" if n != 1 else "project has"
        lines.append(f"{n} {verb} no date and add no demand")
    if len(backtest):
        row = backtest.iloc[-1]
        lines.append(
            f"back-test on {row['periods']}: MAE {row['mae']:.2f} places/{d.by} vs "
            f"{row['naive_mae']:.2f} for 'same as last {d.by}' ({versus_naive(row)})"
        )
    else:
        lines.append("back-test skipped: too few periods to hold any out")
    return lines
