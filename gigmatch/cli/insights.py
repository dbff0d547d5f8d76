"""`gigmatch forecast`, `gigmatch price` and `gigmatch report`: demand, rates, the story."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from gigmatch.cli.common import (
    BomOpt,
    ConfigOpt,
    FormatOpt,
    OutputOpt,
    PeopleArg,
    ProjectsArg,
    QuietOpt,
    SkipInvalidOpt,
    check_stdin,
    emit,
    err,
    handles_errors,
    load_config,
    note,
    read_input,
)


class By(StrEnum):
    month = "month"
    week = "week"


class Show(StrEnum):
    forecast = "forecast"
    backtest = "backtest"
    supply = "supply"


def register(app: typer.Typer) -> None:
    app.command()(forecast)
    app.command()(price)
    app.command()(report)


HistoryArg = Annotated[
    str,
    typer.Argument(help="History CSV of past assignments (or - for stdin).", show_default=False),
]
HorizonOpt = Annotated[
    int, typer.Option("--horizon", "-H", min=1, max=520, help="Periods to forecast.")
]
ByOpt = Annotated[By, typer.Option("--by", help="Count demand per month or per ISO week.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Day the data was exported (default: the latest history date); a period counts "
        "only once it has ended by then.",
        show_default=False,
    ),
]


@handles_errors
def forecast(
    history: HistoryArg,
    people: Annotated[
        str | None,
        typer.Option("--people", help="People CSV: supply per skill beside the forecast."),
    ] = None,
    projects: Annotated[
        str | None,
        typer.Option("--projects", help="Projects CSV; projects with a date column add demand."),
    ] = None,
    by: ByOpt = By.month,
    horizon: HorizonOpt = 3,
    skills: Annotated[
        int, typer.Option("--skills", min=0, help="Show the N most asked skills (0 = all).")
    ] = 10,
    skill: Annotated[
        list[str] | None,
        typer.Option("--skill", "-s", help="Only this skill (repeatable; any spelling)."),
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

    Example: gigmatch forecast examples/history.csv --people examples/people.csv --horizon 3
    """
    from gigmatch.insights import forecast as fc

    check_stdin(history, people, projects)
    cfg = load_config(config)
    hist = read_input(history, "history", cfg, skip_invalid, quiet)
    pool = read_input(people, "people", cfg, skip_invalid, quiet) if people else None
    open_ = read_input(projects, "projects", cfg, skip_invalid, quiet) if projects else None
    if show is Show.supply and pool is None:
        raise typer.BadParameter("--show supply needs --people")
    result = fc.forecast(
        hist, cfg, projects=open_, people=pool, by=by.value, horizon=horizon, top=skills,
        skills=skill or [], as_of=_date(as_of), level=level,
    )  # fmt: skip
    tables = {"forecast": fc.forecast_frame(result), "backtest": fc.backtest_frame(result)}
    if pool is not None:
        tables["supply"] = fc.supply_frame(result)
    emit(
        tables[show.value], fmt, output, bom=bom, inputs=[history, people, projects],
        table=lambda: forecast_view(result, tables), data=lambda f: _sections(tables, f, show),
    )  # fmt: skip
    for line in forecast_notes(result, tables["backtest"], open_ is not None):
        note(line, quiet)


def _date(text: str | None):
    if text is None:
        return None
    from gigmatch.read.values import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise typer.BadParameter(f"--as-of: {exc}") from None


def _sections(tables: dict[str, Any], fmt, show: Show) -> bytes:
    """JSON: one key per table; xlsx: one sheet per table; other formats: the --show table."""
    from gigmatch.present.write import OutputFormat, records, to_bytes, xlsx_bytes

    if fmt is OutputFormat.json:
        data = {name: records(frame) for name, frame in tables.items()}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
    if fmt is OutputFormat.xlsx:
        return xlsx_bytes(tables)
    return to_bytes(tables[show.value], fmt)


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
    if with_projects and result.undated_projects:
        n = result.undated_projects
        verb = "projects have" if n != 1 else "project has"
        lines.append(f"{n} {verb} no date and add no demand")
    if len(backtest):
        row = backtest.iloc[-1]
        better = row["improvement"]
        verdict = f"{abs(better):.0f}% {'better' if better >= 0 else 'worse'}"
        lines.append(
            f"back-test on {row['periods']}: MAE {row['mae']:.2f} places/{d.by} vs "
            f"{row['naive_mae']:.2f} for 'same as last {d.by}' ({verdict})"
        )
    else:
        lines.append("back-test skipped: too few periods to hold any out")
    return lines


def forecast_view(result, tables: dict[str, Any]):
    """Per skill: recent history, the next periods, the band's peak, back-test and supply."""
    from rich.table import Table

    from gigmatch.present.safe import for_terminal

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
    return table


@handles_errors
def price(
    projects: ProjectsArg,
    people: PeopleArg,
    history: Annotated[
        str | None,
        typer.Option("--history", help="History CSV: rates paid on similar past projects."),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-n", min=0, help="Fitting candidates per project (0 = all).")
    ] = 10,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0, max=100, help="Least match score (0-100).")
    ] = 0.0,
    min_skill: Annotated[
        float,
        typer.Option(
            "--min-skill", min=0, max=1, help="Least skill_score (0-1) to count as fitting."
        ),
    ] = 0.4,
    similarity: Annotated[
        float,
        typer.Option(
            "--similarity",
            min=0,
            max=1,
            help="Least skill Jaccard index of a similar past project.",
        ),
    ] = 0.5,
    project: Annotated[
        list[str] | None, typer.Option("--project", "-p", help="Only this project id (repeatable).")
    ] = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Suggest an hourly rate range for each project and flag budgets that are too low.

    The range comes from the rates of the people who fit the project (the best --top
    candidates with a skill_score of at least --min-skill: 25th, 50th and 75th percentile) and,
    with --history, from what similar past projects cost. Budgets below every fitting
    candidate, or below the 25th percentile ("tight"), are flagged.

    Example: gigmatch price examples/projects.csv examples/people.csv --history examples/history.csv
    """
    from gigmatch.insights.price import PriceSettings
    from gigmatch.insights.price import price as suggest
    from gigmatch.score.ranking import select_projects

    check_stdin(projects, people, history)
    cfg = load_config(config)
    project_frame = read_input(projects, "projects", cfg, skip_invalid, quiet)
    people_frame = read_input(people, "people", cfg, skip_invalid, quiet)
    past = read_input(history, "history", cfg, skip_invalid, quiet) if history else None
    mask = select_projects(project_frame, project)
    if mask is not None:
        project_frame = project_frame[mask].reset_index(drop=True)
    settings = PriceSettings(top, min_score, min_skill, similarity)
    frame = suggest(project_frame, people_frame, cfg, past, settings)
    emit(frame, fmt, output, bom=bom, inputs=[projects, people, history],
         table=lambda: price_view(frame))  # fmt: skip
    flagged = int((frame["flag"] != "ok").sum())
    note(f"{len(frame)} projects priced, {flagged} flagged", quiet)


def price_view(frame):
    """One line per project: budget, candidates' range, history, suggestion, flag."""
    from rich.table import Table

    from gigmatch.present.safe import for_terminal

    table = Table(title="Hourly rates ($/h)", title_justify="left")
    table.add_column("Project", no_wrap=True)
    table.add_column("Title", max_width=28, no_wrap=True, overflow="ellipsis")
    for name in ("Budget", "Fit", "p25–p75", "Median", "Past", "Suggested"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Flag", overflow="fold")
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
    return table


def _span(low: float, high: float) -> str:
    return "–" if low != low else f"{_money(low)}–{_money(high)}"


def _money(value: float) -> str:
    return "–" if value != value else f"{value:g}"


@handles_errors
def report(
    projects: ProjectsArg,
    people: PeopleArg,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The HTML file to write.", dir_okay=False),
    ],
    history: Annotated[
        str | None, typer.Option("--history", help="History CSV: adds the demand forecast.")
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="Staffing plan CSV from `gigmatch assign` to show."),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="Candidates per project in the scores.")
    ] = 5,
    by: ByOpt = By.month,
    horizon: HorizonOpt = 3,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="DATE", help="Date printed in the header (none if unset)."),
    ] = None,
    config: ConfigOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Write one self-contained HTML report for a project manager.

    The pool at a glance, skill demand against supply, score distributions, the staffing plan
    and its unfilled places, rates against budgets and, with --history, the demand forecast.
    The file opens offline: no CDN, charts are inline SVG, every input text is escaped.

    Example: gigmatch report projects.csv people.csv --history history.csv -o report.html
    """
    from gigmatch.present.report import ReportData, compose, read_plan
    from gigmatch.present.write import check_not_input, write_atomic

    check_stdin(projects, people, history, plan)
    cfg = load_config(config)
    data = ReportData(
        projects=read_input(projects, "projects", cfg, skip_invalid, quiet),
        people=read_input(people, "people", cfg, skip_invalid, quiet),
        config=cfg,
        history=read_input(history, "history", cfg, skip_invalid, quiet) if history else None,
        plan=read_plan(plan) if plan else None,
        sources=_sources(projects=projects, people=people, history=history, plan=plan),
        as_of=str(_date(as_of)) if as_of else None,
        top=top, horizon=horizon, by=by.value,
    )  # fmt: skip
    check_not_input(output, [projects, people, history, plan])
    rendered = compose(data)
    write_atomic(output, rendered.html.encode("utf-8"))
    for line in rendered.notes:
        note(line, quiet)
    if not quiet:
        err.print(f"wrote {output}", markup=False)


def _sources(**files: str | None) -> dict[str, str]:
    return {kind: ("stdin" if name == "-" else Path(name).name) for kind, name in files.items()
            if name}  # fmt: skip
