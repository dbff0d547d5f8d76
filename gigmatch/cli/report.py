"""`gigmatch report`: one self-contained HTML report for a project manager."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigmatch.cli.forecast import By, ByOpt
from gigmatch.cli.options import (
    INPUT_PANEL,
    AsOfOpt,
    ConfigOpt,
    HistoryOpt,
    HorizonOpt,
    IgnoreOpt,
    MapOpt,
    NoConfigOpt,
    PeopleArg,
    ProjectsArg,
    QuietOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
    parse_day,
)
from gigmatch.cli.session import Reading, Session, command


@command
def report(
    session: Session,
    projects: ProjectsArg,
    people: PeopleArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE.html",
            help="The HTML file to write (default or -: stdout, so `> report.html` works).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    history: HistoryOpt = None,
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            metavar="PLAN.csv",
            help="Staffing plan from `gigmatch assign` to show.",
            rich_help_panel=INPUT_PANEL,
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="Candidates per project in the scores.")
    ] = 5,
    by: ByOpt = By.month,
    horizon: HorizonOpt = 3,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    map_: MapOpt = None,
    ignore: IgnoreOpt = None,
    sheet: SheetOpt = None,
    skip_rows: SkipRowsOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Write one self-contained HTML report for a project manager.

    The pool at a glance, skill demand against supply, score distributions, the staffing plan
    and its unfilled places, rates against budgets and, with --history, the demand forecast.
    The file opens offline: no CDN, charts are inline SVG, every input text is escaped.
    The header gives the day it describes: --as-of, else today.

    Example: gigmatch report projects.csv people.csv --history history.csv -o report.html
    """
    from datetime import date

    from gigmatch.api import report as run
    from gigmatch.errors import UsageError

    if (output is None or str(output) == "-") and session.is_terminal:
        raise UsageError("the report is an HTML page: give -o FILE.html or redirect stdout")
    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    with session.progress("report") as progress:
        made = run(
            session.read(projects, "projects", cfg, skip_invalid=skip_invalid),
            session.read(people, "people", cfg, skip_invalid=skip_invalid),
            cfg,
            history=session.read(history, "history", cfg, skip_invalid=skip_invalid),
            plan=session.read(plan, "plan", cfg),
            top=top,
            horizon=horizon,
            by=by.value,
            as_of=parse_day(as_of) or date.today(),
            progress=progress,
        )
    if output is None:
        session.write_stdout(made.html.encode("utf-8"))
    else:
        session.write_file(output, made.html.encode("utf-8"))
    for line in made.notes:
        session.note(line)
    if output is not None and str(output) != "-":
        session.say(f"wrote {output}")
