"""`gigmatch forecast`: skill demand over time, its forecast, a back-test and the supply."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from gigmatch.cli.options import (
    AsOfOpt,
    BomOpt,
    ConfigOpt,
    FormatOpt,
    HistoryArg,
    HorizonOpt,
    IgnoreOpt,
    MapOpt,
    NoConfigOpt,
    OutputOpt,
    PeopleOpt,
    QuietOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
    parse_day,
)
from gigmatch.cli.session import Reading, Session, command


class By(StrEnum):
    month = "month"
    week = "week"


class Show(StrEnum):
    forecast = "forecast"
    backtest = "backtest"
    supply = "supply"


ByOpt = Annotated[By, typer.Option("--by", help="Count demand per month or per ISO week.")]


@command
def forecast(
    session: Session,
    history: HistoryArg,
    people: PeopleOpt = None,
    projects: Annotated[
        str | None,
        typer.Option(
            "--projects",
            metavar="PROJECTS.csv",
            help="Projects file; projects with a date column add demand.",
            show_default=False,
        ),
    ] = None,
    by: ByOpt = By.month,
    horizon: HorizonOpt = 3,
    skills: Annotated[
        int, typer.Option("--skills", min=0, help="Show the N most asked skills (0 = all).")
    ] = 10,
    skill: Annotated[
        list[str] | None,
        typer.Option(
            "--skill", "-s", metavar="NAME", help="Only this skill (repeatable; any spelling)."
        ),
    ] = None,
    level: Annotated[
        float, typer.Option("--level", min=1, max=99, help="Prediction interval, percent.")
    ] = 80.0,
    as_of: AsOfOpt = None,
    show: Annotated[
        Show,
        typer.Option("--show", help="Table to write in flat formats (json and xlsx hold all)."),
    ] = Show.forecast,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    map_: MapOpt = None,
    ignore: IgnoreOpt = None,
    sheet: SheetOpt = None,
    skip_rows: SkipRowsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Forecast demand per skill from past work, with a back-test and the supply beside it.

    Counts the places each skill filled per month (or week) in the history, forecasts the next
    periods with damped-trend exponential smoothing (a seasonal term once two years of data
    exist) and an interval, and back-tests the method on the last periods against "same as
    last period". With --people, says which skills will be short of hours and by how much.
    Without --as-of, the latest history date is taken as the day of the export.

    Example: gigmatch forecast examples/history.csv --people examples/people.csv --horizon 3
    """
    from gigmatch.api import forecast as run
    from gigmatch.errors import UsageError
    from gigmatch.present.views.forecast import forecast_notes, forecast_view
    from gigmatch.present.write import tables_bytes

    if show is Show.supply and people is None:
        raise UsageError("--show supply needs --people")
    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    outlook = run(
        session.read(history, "history", cfg, skip_invalid=skip_invalid),
        cfg,
        people=session.read(people, "people", cfg, skip_invalid=skip_invalid),
        projects=session.read(projects, "projects", cfg, skip_invalid=skip_invalid),
        by=by.value,
        horizon=horizon,
        top=skills,
        skills=skill or [],
        as_of=parse_day(as_of),
        level=level,
    )
    tables = outlook.tables
    session.emit(
        tables[show.value],
        fmt,
        output,
        bom=bom,
        table=lambda: forecast_view(outlook.result, tables),
        data=lambda chosen: tables_bytes(tables, chosen, show.value, bom=bom),
    )
    for line in forecast_notes(outlook.result, tables["backtest"], outlook.with_projects):
        session.note(line)
