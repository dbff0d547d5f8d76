"""`gigmatch price`: a fair hourly rate range per project, and budgets that are too low."""

from __future__ import annotations

from typing import Annotated

import typer

from gigmatch.cli.options import (
    FILTER_PANEL,
    BomOpt,
    ConfigOpt,
    FormatOpt,
    HistoryOpt,
    IgnoreOpt,
    MapOpt,
    MinScoreOpt,
    NoConfigOpt,
    OutputOpt,
    PeopleArg,
    ProjectIdOpt,
    ProjectsArg,
    QuietOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
)
from gigmatch.cli.session import Reading, Session, command


@command
def price(
    session: Session,
    projects: ProjectsArg,
    people: PeopleArg,
    history: HistoryOpt = None,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            "-n",
            min=0,
            help="Fitting candidates per project (0 = all).",
            rich_help_panel=FILTER_PANEL,
        ),
    ] = 10,
    min_score: MinScoreOpt = 0.0,
    min_skill: Annotated[
        float,
        typer.Option(
            "--min-skill",
            min=0,
            max=1,
            help="Least skill_score (0-1) to count as fitting.",
            rich_help_panel=FILTER_PANEL,
        ),
    ] = 0.4,
    similarity: Annotated[
        float,
        typer.Option(
            "--similarity",
            min=0,
            max=1,
            help="Least skill Jaccard index of a similar past project.",
            rich_help_panel=FILTER_PANEL,
        ),
    ] = 0.5,
    project: ProjectIdOpt = None,
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
    """Suggest an hourly rate range for each project and flag budgets that are too low.

    The range comes from the rates of the people who fit the project (the best --top
    candidates with a skill_score of at least --min-skill: 25th, 50th and 75th percentile) and,
    with --history, from what similar past projects cost. Budgets below every fitting
    candidate, or below the 25th percentile ("tight"), are flagged.

    Example: gigmatch price examples/projects.csv examples/people.csv -H examples/history.csv
    """
    from gigmatch.api import price as run
    from gigmatch.present.views.price import price_view

    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    with session.progress("pricing") as progress:
        frame = run(
            session.read(projects, "projects", cfg, skip_invalid=skip_invalid),
            session.read(people, "people", cfg, skip_invalid=skip_invalid),
            cfg,
            history=session.read(history, "history", cfg, skip_invalid=skip_invalid),
            top=top,
            min_score=min_score,
            min_skill=min_skill,
            similarity=similarity,
            project_ids=project,
            progress=progress,
        )
    session.emit(frame, fmt, output, bom=bom, table=lambda: price_view(frame))
    flagged = int((frame["flag"] != "ok").sum())
    session.note(f"{len(frame)} projects priced, {flagged} flagged")
