"""`gigmatch match` and `gigmatch init`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from gigmatch.cli.common import (
    AsOfOpt,
    BomOpt,
    ConfigOpt,
    FormatOpt,
    HistoryOpt,
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
    plural,
    read_history,
    read_input,
)


def register(app: typer.Typer) -> None:
    app.command()(match)
    app.command()(init)


@handles_errors
def match(
    projects: ProjectsArg,
    people: PeopleArg,
    top: Annotated[
        int,
        typer.Option(
            "--top", "-n", min=0, help="Candidates per project; 0 lists all above --min-score."
        ),
    ] = 5,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score", min=0, max=100, help="Leave out candidates scoring below this (0-100)."
        ),
    ] = 0.0,
    project: Annotated[
        list[str] | None, typer.Option("--project", "-p", help="Only this project id (repeatable).")
    ] = None,
    require_all: Annotated[
        bool, typer.Option("--require-all", help="Only people who have every required skill.")
    ] = False,
    max_over_budget: Annotated[
        float | None,
        typer.Option(
            "--max-over-budget",
            min=0,
            metavar="PCT",
            help="Leave out people whose rate is more than PCT% over budget.",
        ),
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep", "-k", help="Pass this input column through to the output (repeatable)."
        ),
    ] = None,
    history: HistoryOpt = None,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Rank the best-fitting freelancers for each project.

    Scores every person against every project from skills (fuzzy, alias-aware), rating,
    on-time record, rate against budget, hours and time zone, and lists the best per project
    with the reasons: which skill matched which spelling, and what is missing. With --history,
    past ratings and deadlines (overall, per skill and per client) shape rating and on-time.

    Example: gigmatch match examples/projects.csv examples/people.csv --top 3
    """
    from gigmatch.present.views import match_view
    from gigmatch.score.components import Filters
    from gigmatch.score.ranking import score_all, select_projects, to_frame, with_history

    check_stdin(projects, people, history)
    cfg = load_config(config)
    project_frame = read_input(projects, "projects", cfg, skip_invalid, quiet)
    people_frame = read_input(people, "people", cfg, skip_invalid, quiet)
    history_frame = read_history(history, cfg, skip_invalid, quiet)
    _check_keep(keep or [], project_frame, people_frame)
    mask = select_projects(project_frame, project)
    filters = Filters(require_all, max_over_budget, min_score)
    model, adjust = with_history(project_frame, people_frame, cfg, history_frame, as_of)
    if adjust is not None:
        note(adjust.summary.describe(), quiet)
    scored = score_all(project_frame, people_frame, cfg, filters, top, mask, adjust, model)
    frame = to_frame(scored, cfg, keep)
    shown = project_frame if mask is None else project_frame[mask]
    emit(
        frame,
        fmt,
        output,
        bom=bom,
        inputs=[projects, people],
        table=lambda: match_view(frame, shown),
    )
    empty = len(shown) - frame["project_id"].nunique()
    note(
        f"{plural(len(shown), 'project')}, {len(people_frame)} people: "
        f"{plural(len(frame), 'candidate')} listed"
        + (f", {plural(empty, 'project')} with no candidate" if empty else ""),
        quiet,
    )


def _check_keep(keep: list[str], projects: Any, people: Any) -> None:
    from gigmatch.score.ranking import find_column

    missing = [
        c for c in keep if find_column(projects, c) is None and find_column(people, c) is None
    ]
    if missing:
        raise typer.BadParameter(f"no column {', '.join(map(repr, missing))} in either input file")


@handles_errors
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the config.", dir_okay=False)] = Path(
        "gigmatch.toml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented gigmatch.toml with every default, ready to edit.

    The file lists every weight and threshold with what it does. gigmatch reads
    ./gigmatch.toml by itself; elsewhere pass --config PATH.

    Example: gigmatch init && gigmatch match projects.csv people.csv
    """
    from gigmatch.config import default_config_toml
    from gigmatch.present.write import write_atomic

    if path.exists() and not force:
        raise typer.BadParameter(f"{path} exists; use --force to overwrite it")
    write_atomic(path, default_config_toml().encode())
    err.print(f"wrote {path}", markup=False)
