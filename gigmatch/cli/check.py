"""`gigmatch check`: every problem in the input files, found in one run."""

from __future__ import annotations

from typing import Annotated

import typer

from gigmatch.cli.options import (
    BomOpt,
    ConfigOpt,
    FormatOpt,
    HistoryOpt,
    IgnoreOpt,
    MapOpt,
    NoConfigOpt,
    OutputOpt,
    PeopleArg,
    ProjectsArg,
    QuietOpt,
    SheetOpt,
    SkipRowsOpt,
)
from gigmatch.cli.session import Reading, Session, command
from gigmatch.errors import ExitCode


@command
def check(
    session: Session,
    projects: ProjectsArg,
    people: PeopleArg,
    history: HistoryOpt = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 6) on warnings too, not only errors.")
    ] = False,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    map_: MapOpt = None,
    ignore: IgnoreOpt = None,
    sheet: SheetOpt = None,
    skip_rows: SkipRowsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Find every problem in the input files before it costs a bad assignment.

    Lists each problem with its file, row (header = row 1), column, severity, a short code
    and how to fix it: unreadable or out-of-range values, duplicate ids, people or projects
    entered twice, rates far from the pool's, history naming unknown people, required skills
    nobody has. Exits 0 when there are no errors, 6 when there are (or warnings, with
    --strict); a file that cannot be opened at all exits 3.

    Example: gigmatch check examples/projects.csv examples/people.csv -H examples/history.csv
    """
    from gigmatch.api import check as run
    from gigmatch.insights.check import problems_frame
    from gigmatch.present.views.check import problems_view

    if [projects, people, history].count("-") > 1:
        raise typer.BadParameter("only one input can be read from stdin (-)")
    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    session.remember(projects, people, history)
    with session.progress("checking") as progress:
        report = run(projects, people, history, cfg, progress=progress)
    frame = problems_frame(report.problems)
    session.emit(frame, fmt, output, bom=bom, table=lambda: problems_view(report))
    session.note(report.summary() + (" (--strict: warnings fail)" if strict else ""))
    if report.failed(strict):
        raise typer.Exit(int(ExitCode.CHECK_FAILED))
