"""`gigmatch check` (data hygiene) and `gigmatch skills` (the skill vocabulary)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from gigmatch.errors import ExitCode

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType
    from rich.table import Table

    from gigmatch.insights.check import CheckReport
    from gigmatch.skills.vocabulary import Suggestion

HistoryOptArg = Annotated[
    str | None,
    typer.Argument(help="History CSV of past assignments (optional).", show_default=False),
]


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.command()(skills)


@handles_errors
def check(
    projects: ProjectsArg,
    people: PeopleArg,
    history: HistoryOptArg = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 6) on warnings too, not only errors.")
    ] = False,
    config: ConfigOpt = None,
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

    Example: gigmatch check examples/projects.csv examples/people.csv examples/history.csv
    """
    from gigmatch.insights.check import check as run_check
    from gigmatch.insights.check import problems_frame

    check_stdin(projects, people, history)
    report = run_check(projects, people, history, load_config(config))
    frame = problems_frame(report.problems)
    emit(
        frame,
        fmt,
        output,
        bom=bom,
        inputs=[projects, people, history],
        table=lambda: problems_view(report),
    )
    note(report.summary() + (" (--strict: warnings fail)" if strict else ""), quiet)
    if report.failed(strict):
        raise typer.Exit(int(ExitCode.CHECK_FAILED))


def problems_view(report: CheckReport) -> RenderableType:
    """One table per file with problems, rows in order; errors red, warnings yellow."""
    from rich.console import Group
    from rich.text import Text

    if not report.problems:
        return Text("No problems found.", style="green")
    by_file: dict[str, list] = {}
    for problem in report.problems:
        by_file.setdefault(problem.file, []).append(problem)
    return Group(*(_file_table(name, problems) for name, problems in by_file.items()))


def _file_table(name: str, problems: list) -> Table:
    from rich.table import Table
    from rich.text import Text

    from gigmatch.present.safe import for_terminal, printable

    table = Table(title=for_terminal(name), title_justify="left", expand=False)
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Severity")
    table.add_column("Code", style="dim")
    table.add_column("Message", overflow="fold", ratio=1)
    for p in problems:
        style = "red" if p.severity == "error" else "yellow"
        table.add_row(
            "" if p.row is None else str(p.row),
            Text(printable(p.column or "")),
            Text(p.severity, style=style),
            p.code,
            Text(printable(p.message)),
        )
    return table


@handles_errors
def skills(
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
            help="Write the suggested aliases to FILE as an [aliases] table to review.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Let --write-aliases overwrite an existing file.")
    ] = False,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Show the skill vocabulary: spellings, demand, supply and the gap.

    Groups spellings the way `match` does (aliases, case, versions) and lists for each
    skill the projects and places that need it and the people (and hours) who have it,
    shortest-supplied first. Spellings that look like the same skill but are not unified
    are suggested on stderr; --write-aliases FILE saves them for review (load with --config).

    Example: gigmatch skills examples/projects.csv examples/people.csv --write-aliases aliases.toml
    """
    from gigmatch.skills.vocabulary import alias_suggestions, skill_report, skill_use

    check_stdin(projects, people)
    cfg = load_config(config)
    project_frame = read_input(projects, "projects", cfg, skip_invalid, quiet)
    people_frame = read_input(people, "people", cfg, skip_invalid, quiet)
    use = skill_use(project_frame, people_frame, cfg)
    report = skill_report(use, project_frame, people_frame)
    t = cfg.thresholds
    found = alias_suggestions(use, t.fuzzy if threshold is None else threshold, t.short_name)
    if write_aliases is not None:
        _write_aliases(write_aliases, found, force, [projects, people, cfg.source])
    emit(report, fmt, output, bom=bom, inputs=[projects, people], table=lambda: skills_view(report))
    _show_suggestions(found, write_aliases, quiet)
    unmet = int(((report["places"] > 0) & (report["people"] == 0)).sum())
    note(f"{len(report)} skills, {unmet} required by projects but offered by nobody", quiet)


def skills_view(report: pd.DataFrame) -> Table:
    """The vocabulary table; numbers right-aligned, unmet demand in red."""
    from rich.table import Table

    from gigmatch.present.safe import for_terminal

    table = Table(title="Skills, shortest-supplied first", title_justify="left")
    table.add_column("Skill", style="bold")
    table.add_column("Spellings", overflow="fold", ratio=1)
    for column in ("Projects", "Places", "Nice", "People", "Hours", "Gap", "Per place"):
        table.add_column(column, justify="right")
    for row in report.itertuples(index=False):
        short = row.places > 0 and row.people < row.places
        table.add_row(
            for_terminal(row.skill),
            for_terminal(row.spellings),
            *(str(v) for v in (row.projects, row.places, row.nice_to_have, row.people)),
            f"{row.hours:g}",
            f"[red]{row.gap}[/red]" if short else str(row.gap),
            "" if math.isnan(row.people_per_place) else f"{row.people_per_place:g}",
        )
    return table


def _write_aliases(path: Path, found: list[Suggestion], force: bool, inputs: list) -> None:
    """Write the alias file atomically; never over an input file or the config in use."""
    from gigmatch.present.write import write_atomic
    from gigmatch.skills.vocabulary import aliases_toml

    if path.exists() and not force:
        raise typer.BadParameter(f"{path} exists; use --force to overwrite it")
    if path.exists() and any(_same_file(path, source) for source in inputs):
        raise typer.BadParameter(
            f"{path} is an input or the config in use; gigmatch never edits them: write the "
            "aliases to a new file and merge them yourself"
        )
    write_atomic(path, aliases_toml(found).encode())


def _same_file(path: Path, source: str | None) -> bool:
    if source is None or str(source) == "-" or not Path(source).exists():
        return False
    return path.samefile(source)


def _show_suggestions(found: list[Suggestion], written: Path | None, quiet: bool) -> None:
    """The suggestions on stderr: data stays on stdout, advice beside it."""
    from gigmatch.present.safe import printable

    if quiet:
        return
    if not found:
        note("no spelling variants to unify", quiet)
    else:
        noun = "spelling looks" if len(found) == 1 else "spellings look"
        err.print(f"{len(found)} {noun} like another skill (suggested aliases):", markup=False)
        for s in found:
            line = f"  {s.variant} -> {s.canonical} ({s.similarity:g}% alike)"
            err.print(printable(line), markup=False, style="yellow")
    if written is not None:
        note(f"wrote {written}: review it, then use it with --config {written}", quiet)
    elif found:
        note("save them for review with --write-aliases FILE", quiet)
