"""`gigmatch explain`: everything behind one person's score for one project."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigmatch.cli.options import (
    AsOfOpt,
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
    ProjectsArg,
    QuietOpt,
    RequireAllOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
)
from gigmatch.cli.session import Reading, Session, command
from gigmatch.present.formats import OutputFormat


@command
def explain(
    session: Session,
    projects: ProjectsArg,
    people: PeopleArg,
    project_id: Annotated[
        str, typer.Argument(metavar="PROJECT_ID", help="The project's id.", show_default=False)
    ],
    person_id: Annotated[
        str, typer.Argument(metavar="PERSON_ID", help="The person's id.", show_default=False)
    ],
    history: HistoryOpt = None,
    as_of: AsOfOpt = None,
    require_all: RequireAllOpt = False,
    max_over_budget: MaxOverBudgetOpt = None,
    min_score: MinScoreOpt = 0.0,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    map_: MapOpt = None,
    ignore: IgnoreOpt = None,
    sheet: SheetOpt = None,
    skip_rows: SkipRowsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Show everything behind one person's score for one project.

    Every component with its weight and share of the score; every skill with the spelling
    that matched and how, or why it is missing; the history records that moved the rating,
    most influential first; any filter that leaves the pair out of `match`; and how far the
    person is from the project's top candidate. A table on a terminal, JSON otherwise.

    Example: gigmatch explain examples/projects.csv examples/people.csv P-114 F-044
    --history examples/history.csv --as-of 2026-11-20
    """
    from gigmatch.api import explain as run
    from gigmatch.present.views.explain import explain_view
    from gigmatch.present.write import json_bytes
    from gigmatch.score.components import Filters

    chosen = _json_or_table(fmt, output, session.is_terminal)
    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    result = run(
        session.read(projects, "projects", cfg, skip_invalid=skip_invalid),
        session.read(people, "people", cfg, skip_invalid=skip_invalid),
        project_id,
        person_id,
        cfg,
        history=session.read(history, "history", cfg, skip_invalid=skip_invalid),
        as_of=as_of,
        filters=Filters(require_all, max_over_budget, min_score),
    )
    session.emit(
        None,
        chosen,
        output,
        table=lambda: explain_view(result),
        data=lambda _: json_bytes(result.to_dict()),
    )


def _json_or_table(fmt: OutputFormat | None, output: Path | None, terminal: bool) -> OutputFormat:
    """explain's output is nested: a table for people, JSON for everything else."""
    from gigmatch.errors import UsageError

    if output is not None and str(output) == "-":  # stdout
        output = None
    if fmt is None and output is not None and output.suffix.lower() != ".json":
        raise UsageError(
            f"explain writes only JSON to a file, and '{output.name}' is not a .json file: "
            "name it .json, or add --format json"
        )
    if fmt is None:
        return OutputFormat.table if output is None and terminal else OutputFormat.json
    if fmt not in (OutputFormat.table, OutputFormat.json):
        raise UsageError(f"explain writes --format table or json, not {fmt.value}")
    return fmt
