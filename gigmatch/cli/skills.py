"""`gigmatch skills`: the skill vocabulary, and spellings that look like one skill."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigmatch.cli.options import (
    BomOpt,
    ConfigOpt,
    ForceOpt,
    FormatOpt,
    IgnoreOpt,
    MapOpt,
    NoConfigOpt,
    OutputOpt,
    PeopleArg,
    ProjectsArg,
    QuietOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
)
from gigmatch.cli.session import Reading, Session, command


@command
def skills(
    session: Session,
    projects: ProjectsArg,
    people: PeopleArg,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0,
            max=100,
            help="Least similarity (0-100) of a suggested alias (default: thresholds.fuzzy).",
            show_default=False,
        ),
    ] = None,
    write_aliases: Annotated[
        Path | None,
        typer.Option(
            "--write-aliases",
            metavar="FILE",
            dir_okay=False,
            help="Write the suggested aliases to FILE as an \\[aliases] table to review.",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
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
    """Show the skill vocabulary: spellings, demand, supply and the gap.

    Groups spellings the way `match` does (aliases, case, versions) and lists for each
    skill the projects and places that need it and the people (and hours) who would meet it,
    shortest-supplied first. Spellings that look like the same skill but are not unified
    are suggested on stderr; --write-aliases FILE saves them for review (load with --config).

    Example: gigmatch skills examples/projects.csv examples/people.csv --write-aliases aliases.toml
    """
    from gigmatch.api import skills as vocabulary
    from gigmatch.errors import UsageError
    from gigmatch.present.views.skills import skills_view, suggestion_lines
    from gigmatch.skills.vocabulary import aliases_toml

    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    report = vocabulary(
        session.read(projects, "projects", cfg, skip_invalid=skip_invalid),
        session.read(people, "people", cfg, skip_invalid=skip_invalid),
        cfg,
        threshold=threshold,
    )
    if write_aliases is not None:
        if write_aliases.exists() and not force:
            raise UsageError(f"{write_aliases} exists; use --force to overwrite it")
        session.write_file(write_aliases, aliases_toml(report.suggestions).encode())
    session.emit(report.frame, fmt, output, bom=bom, table=lambda: skills_view(report.frame))
    for line, style in suggestion_lines(report.suggestions, write_aliases):
        session.say(line, style)
    session.note(
        f"{len(report.frame)} skills, {report.unmet} required by projects but offered by nobody"
    )
