"""Options, error handling and output shared by every command.

Heavy libraries (pandas, numpy, rapidfuzz) are imported inside the functions that need them, so
`gigmatch --help` and `--version` answer at once.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from gigmatch.errors import ExitCode, GigmatchError, InputError, Problem
from gigmatch.present.write import OutputFormat

F = TypeVar("F", bound=Callable[..., Any])
state = {"debug": False}

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
        help="Output format (default: table on a terminal, else csv, or by --output's extension).",
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
        help="Config file (default: ./gigmatch.toml if present).",
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


HistoryOpt = Annotated[
    str | None,
    typer.Option(
        "--history",
        "-H",
        metavar="HISTORY.csv",
        help="Past assignments: rating and on-time per person, per skill and per client.",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Reference date for --history; later records are ignored. Default: today (give "
        "a date to make runs reproducible).",
        show_default=False,
    ),
]


def read_history(source: str | None, config: Any, skip_invalid: bool, quiet: bool):
    """The parsed history file, or None without --history."""
    return None if source is None else read_input(source, "history", config, skip_invalid, quiet)


# ---- error handling and output ----------------------------------------------------------------

err = Console(stderr=True, highlight=False, soft_wrap=True)  # messages never wrap: logs grep


def handles_errors(func: F) -> F:
    """Turn library errors into a message on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except GigmatchError as exc:
            if state["debug"]:
                raise
            report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None

    return wrapper  # type: ignore[return-value]


def report_error(exc: GigmatchError) -> None:
    """`gigmatch: error: …` and, for bad data, one located line per problem."""
    from gigmatch.present.safe import printable

    err.print(f"gigmatch: error: {printable(str(exc))}", markup=False)
    problems = exc.problems if isinstance(exc, InputError) else []
    for problem in problems[:200]:
        err.print(f"  {printable(str(problem))}", markup=False)
    if len(problems) > 200:
        err.print(f"  … and {len(problems) - 200} more (see `gigmatch check`)", markup=False)


def warn(problems: list[Problem], quiet: bool) -> None:
    """Warnings on stderr, unless --quiet."""
    from gigmatch.present.safe import printable

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
    inputs: list[str | Path | None] | None = None,
    data: Callable[[OutputFormat], bytes] | None = None,
) -> OutputFormat:
    """Write a result: a rich table on a terminal, else the chosen format to stdout or a file."""
    from gigmatch.present.write import check_not_input, choose_format, to_bytes, write_atomic

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
    from gigmatch.read.schema import accept, load

    frame, warnings = accept(load(source, kind, config), skip_invalid=skip_invalid)
    warn(warnings, quiet)
    return frame


def check_stdin(*sources: str | None) -> None:
    if sum(1 for s in sources if s == "-") > 1:
        raise typer.BadParameter("only one input can be read from stdin (-)")


def plural(count: int, noun: str) -> str:
    """`1 project`, `2 projects`.

    >>> plural(1, "project"), plural(0, "person")
    ('1 project', '0 persons')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"
