"""The `gigmatch` command line: parse options, call the library, render the result.

Heavy libraries (pandas, numpy, rapidfuzz) are imported inside the commands that need them, so
`gigmatch --help` and `--version` answer at once. Errors from the library arrive as
`GigmatchError`s and leave here as a message on stderr and a documented exit code.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from gigmatch import __version__
from gigmatch.errors import ExitCode, GigmatchError, InputError, Problem
from gigmatch.output import OutputFormat

app = typer.Typer(
    name="gigmatch",
    help="Match freelancers to projects: ranked candidates, staffing plans, data checks.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    add_completion=False,
)
_state = {"debug": False}
F = TypeVar("F", bound=Callable[..., Any])

# ---- options shared by the commands ---------------------------------------------------------

ProjectsArg = Annotated[
    str, typer.Argument(help="Projects CSV (or - for stdin).", show_default=False)
]
PeopleArg = Annotated[
    str, typer.Argument(help="People (freelancers) CSV (or - for stdin).", show_default=False)
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: table on a terminal, else csv, or by --output's extension]",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of stdout.",
        dir_okay=False,
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file [default: ./gigmatch.toml if present].",
        show_default=False,
    ),
]
BomOpt = Annotated[
    bool, typer.Option("--bom", help="Start CSV/TSV with a UTF-8 BOM (Excel on Windows).")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but data and errors.")]
SkipInvalidOpt = Annotated[
    bool,
    typer.Option(
        "--skip-invalid", help="Drop rows with bad values (with a warning) instead of failing."
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gigmatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", envvar="GIGMATCH_DEBUG", help="Show tracebacks for errors.")
    ] = False,
) -> None:
    """Match freelancers to projects: ranked candidates, staffing plans, data checks.

    Exit codes: 0 ok, 1 internal error, 2 bad usage, 3 bad input data, 4 bad config,
    5 infeasible plan, 6 check found problems, 7 cannot write output, 130 interrupted.
    """
    _state["debug"] = debug


# ---- error handling and output ----------------------------------------------------------------

err = Console(stderr=True, highlight=False)


def handles_errors(func: F) -> F:
    """Turn library errors into a message on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GigmatchError as exc:
            if _state["debug"]:
                raise
            report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None

    return wrapper  # type: ignore[return-value]


def report_error(exc: GigmatchError) -> None:
    """`gigmatch: error: …` and, for bad data, one located line per problem."""
    from gigmatch.safe import printable

    err.print(f"gigmatch: error: {printable(str(exc))}", markup=False)
    problems = exc.problems if isinstance(exc, InputError) else []
    for problem in problems[:200]:
        err.print(f"  {printable(str(problem))}", markup=False)
    if len(problems) > 200:
        err.print(f"  … and {len(problems) - 200} more (see `gigmatch check`)", markup=False)


def warn(problems: list[Problem], quiet: bool) -> None:
    """Warnings on stderr, unless --quiet."""
    from gigmatch.safe import printable

    if quiet:
        return
    for problem in problems[:50]:
        err.print(printable(str(problem)), markup=False, style="yellow")
    if len(problems) > 50:
        err.print(f"… and {len(problems) - 50} more warnings (see `gigmatch check`)", markup=False)


def note(message: str, quiet: bool) -> None:
    """A summary line on stderr, unless --quiet."""
    if not quiet:
        err.print(message, markup=False, style="dim")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def emit(
    frame: Any,
    fmt: OutputFormat | None,
    output: Path | None,
    *,
    bom: bool = False,
    table: Callable[[], Any] | None = None,
    inputs: list[str | None] | None = None,
    data: Callable[[OutputFormat], bytes] | None = None,
) -> OutputFormat:
    """Write a result: a rich table on a terminal, else the chosen format to stdout or a file."""
    from gigmatch.output import check_not_input, choose_format, to_bytes, write_atomic

    chosen = choose_format(fmt, output, stdout_is_terminal())
    if chosen is OutputFormat.table:
        Console(highlight=False).print(table() if table else frame)
        return chosen
    payload = data(chosen) if data else to_bytes(frame, chosen, bom=bom)
    if output is None:
        if chosen is OutputFormat.xlsx and stdout_is_terminal():
            raise typer.BadParameter("xlsx is binary: give --output FILE.xlsx or redirect stdout")
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        check_not_input(output, inputs or [])
        write_atomic(output, payload)
    return chosen


def load_config(path: Path | None):
    from gigmatch.config import load_config as load

    return load(path)


def read_input(source: str, kind: str, config, skip_invalid: bool, quiet: bool):
    """Parse a file, show its warnings, and fail with every error at once."""
    from gigmatch.schema import accept, load

    frame, warnings = accept(load(source, kind, config), skip_invalid=skip_invalid)
    warn(warnings, quiet)
    return frame


def check_stdin(*sources: str | None) -> None:
    if sum(1 for s in sources if s == "-") > 1:
        raise typer.BadParameter("only one input can be read from stdin (-)")


# ---- commands ---------------------------------------------------------------------------------


@app.command()
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
    with the reasons: which skill matched which spelling, and what is missing.

    Example: gigmatch match examples/projects.csv examples/people.csv --top 3
    """
    from gigmatch.ranking import score_all, select_projects, to_frame
    from gigmatch.render import match_view
    from gigmatch.scoring import Filters

    check_stdin(projects, people)
    cfg = load_config(config)
    project_frame = read_input(projects, "projects", cfg, skip_invalid, quiet)
    people_frame = read_input(people, "people", cfg, skip_invalid, quiet)
    _check_keep(keep or [], project_frame, people_frame)
    mask = select_projects(project_frame, project)
    filters = Filters(require_all, max_over_budget, min_score)
    scored = score_all(project_frame, people_frame, cfg, filters, top, mask)
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
        f"{len(shown)} projects, {len(people_frame)} people: {len(frame)} candidates listed"
        + (f", {empty} projects with no candidate" if empty else ""),
        quiet,
    )


def _check_keep(keep: list[str], projects: Any, people: Any) -> None:
    missing = [c for c in keep if c not in projects.columns and c not in people.columns]
    if missing:
        raise typer.BadParameter(f"no column {', '.join(map(repr, missing))} in either input file")


@app.command()
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
    from gigmatch.output import write_atomic

    if path.exists() and not force:
        raise typer.BadParameter(f"{path} exists; use --force to overwrite it")
    write_atomic(path, default_config_toml().encode())
    err.print(f"wrote {path}", markup=False)


def main() -> None:
    """Console-script entry point: quiet on Ctrl-C and on a closed pipe (`| head`)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(int(ExitCode.OK))
