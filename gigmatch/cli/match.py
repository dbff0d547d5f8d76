"""`gigmatch match`: ranked candidates per project."""

from __future__ import annotations

from enum import StrEnum
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


class View(StrEnum):
    """How `match` shows candidates at a terminal."""

    compact = "compact"
    full = "full"


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
    person: Annotated[
        list[str] | None,
        typer.Option(
            "--person",
            metavar="ID",
            help="Turn it round: the best projects for this person (repeatable).",
            rich_help_panel=FILTER_PANEL,
        ),
    ] = None,
    include_empty: Annotated[
        bool | None,
        typer.Option(
            "--include-empty/--no-include-empty",
            help="A row for each project with no candidate. Default: on when writing a file.",
            show_default=False,
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None,
    view: Annotated[
        View | None,
        typer.Option(
            "--view",
            help="At a terminal: compact (a line per candidate) or full (a card with the "
            "reasons). Default: compact when the cards would not fit on the screen.",
            show_default=False,
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = None,
    pager: Annotated[
        bool,
        typer.Option(
            "--pager/--no-pager",
            help="Page output taller than the terminal (with $PAGER).",
            rich_help_panel=OUTPUT_PANEL,
        ),
    ] = True,
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

    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    to_file = output is not None and str(output) != "-"
    with session.progress("scoring") as progress:
        projects_table = session.read(projects, "projects", cfg, skip_invalid=skip_invalid)
        people_table = session.read(people, "people", cfg, skip_invalid=skip_invalid)
        ranking = rank(
            projects_table,
            people_table,
            cfg,
            top=top,
            min_score=min_score,
            require_all=require_all,
            max_over_budget=max_over_budget,
            project_ids=project,
            keep=keep,
            history=session.read(history, "history", cfg, skip_invalid=skip_invalid),
            as_of=as_of,
            person_ids=person,
            include_empty=to_file if include_empty is None else include_empty,
            progress=progress,
        )
    if ranking.history:
        session.note(ranking.history)
    session.emit(
        ranking.frame,
        fmt,
        output,
        bom=bom,
        table=lambda: terminal_view(ranking, people_table.frame, view, by_person=bool(person)),
        page=pager,
    )
    empty = ranking.empty_projects
    if person:
        asked = len(set(person))
        session.note(
            f"{asked} {'person' if asked == 1 else 'people'}: {ranking.candidates} projects listed"
        )
        return
    session.note(
        f"{plural(len(ranking.projects), 'project')}, {ranking.people} people: "
        f"{plural(ranking.candidates, 'candidate')} listed"
        + (f", {plural(empty, 'project')} with no candidate" if empty else "")
    )


def terminal_view(ranking, people, view: View | None, *, by_person: bool = False):
    """The compact lines or the full cards; without --view, cards when they fit the screen."""
    from rich.console import Console

    from gigmatch.cli.session import rendered_lines
    from gigmatch.present.views.compact import compact_view
    from gigmatch.present.views.match import match_view

    compact = compact_view(ranking.frame, ranking.projects, people, by_person=by_person)
    if view is View.compact or by_person:
        return compact
    full = match_view(ranking.frame.dropna(subset=["person_id"]), ranking.projects)
    if view is View.full or rendered_lines(full) <= Console().height:
        return full
    return compact
