"""`gigmatch match`: ranked candidates per project."""

from __future__ import annotations

from typing import Annotated

import typer

from gigmatch.cli.options import (
    FILTER_PANEL,
    OUTPUT_PANEL,
    AsOfOpt,
    BomOpt,
    ConfigOpt,
    FormatOpt,
    HistoryOpt,
    IgnoreOpt,
    MapOpt,
    MaxOverBudgetOpt,
    MinScoreOpt,
    NoConfigOpt,
    OutputOpt,
    PeopleArg,
    ProjectIdOpt,
    ProjectsArg,
    QuietOpt,
    RequireAllOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
    plural,
)
from gigmatch.cli.session import Reading, Session, command


@command
def match(
    session: Session,
    projects: ProjectsArg,
    people: PeopleArg,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            "-n",
            min=0,
            help="Candidates per project; 0 lists all above --min-score.",
            rich_help_panel=FILTER_PANEL,
        ),
    ] = 5,
    min_score: MinScoreOpt = 0.0,
    project: ProjectIdOpt = None,
    require_all: RequireAllOpt = False,
    max_over_budget: MaxOverBudgetOpt = None,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            "-k",
            metavar="COLUMN",
            help="Pass this input column through to the output (repeatable).",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None,
    history: HistoryOpt = None,
    as_of: AsOfOpt = None,
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
    """Rank the best-fitting freelancers for each project.

    Scores every person against every project from skills (resolved by a knowledge base, with
    partial credit for related skills), rating, on-time record, rate against budget, hours and
    time zone, and lists the best per project with the reasons: which skill matched which
    spelling, which related skill earned partial credit, and what is missing. With --history,
    past ratings and deadlines (overall, per skill and per client) shape rating and on-time.

    Example: gigmatch match examples/projects.csv examples/people.csv --top 3
    """
    from gigmatch.api import rank
    from gigmatch.present.views.match import match_view

    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    ranking = rank(
        session.read(projects, "projects", cfg, skip_invalid=skip_invalid),
        session.read(people, "people", cfg, skip_invalid=skip_invalid),
        cfg,
        top=top,
        min_score=min_score,
        require_all=require_all,
        max_over_budget=max_over_budget,
        project_ids=project,
        keep=keep,
        history=session.read(history, "history", cfg, skip_invalid=skip_invalid),
        as_of=as_of,
    )
    if ranking.history:
        session.note(ranking.history)
    session.emit(
        ranking.frame,
        fmt,
        output,
        bom=bom,
        table=lambda: match_view(ranking.frame, ranking.projects),
    )
    empty = ranking.empty_projects
    session.note(
        f"{plural(len(ranking.projects), 'project')}, {ranking.people} people: "
        f"{plural(len(ranking.frame), 'candidate')} listed"
        + (f", {plural(empty, 'project')} with no candidate" if empty else "")
    )
