"""The options and arguments shared by the commands: one definition, one meaning per flag.

Rules kept here so they hold everywhere: the file a command is about is an argument, every
supporting file is an option (`--history/-H`, `--people/-P`, `--projects`, `--plan`); a short
flag means the same in every command (`-H` is always `--history`); `--as-of` is always the day
the data describes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigmatch.present.formats import OutputFormat

INPUT_PANEL = "Inputs"
FILTER_PANEL = "Filters"
OUTPUT_PANEL = "Output"

ProjectsArg = Annotated[
    str,
    typer.Argument(
        metavar="PROJECTS",
        help="Projects file (CSV, TSV, .xlsx or .ods; - for stdin).",
        show_default=False,
    ),
]
PeopleArg = Annotated[
    str,
    typer.Argument(
        metavar="PEOPLE",
        help="People (freelancers) file (CSV, TSV, .xlsx or .ods; - for stdin).",
        show_default=False,
    ),
]
HistoryArg = Annotated[
    str,
    typer.Argument(
        metavar="HISTORY",
        help="History of past assignments (CSV, TSV, .xlsx or .ods; - for stdin).",
        show_default=False,
    ),
]
HistoryOpt = Annotated[
    str | None,
    typer.Option(
        "--history",
        "-H",
        metavar="HISTORY.csv",
        help="Past assignments: ratings and on-time records, per skill and per client.",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
PeopleOpt = Annotated[
    str | None,
    typer.Option(
        "--people",
        "-P",
        metavar="PEOPLE.csv",
        help="People (freelancers) file.",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
ProjectsOpt = Annotated[
    str | None,
    typer.Option(
        "--projects",
        metavar="PROJECTS.csv",
        help="Projects file.",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="The day the data describes: later history is ignored and periods count once "
        "ended by then. Default: today (give a date to make runs reproducible).",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE.toml",
        help="Config file (default: gigmatch.toml here or in a parent folder, else "
        "$GIGMATCH_CONFIG, else the user config folder; see `gigmatch config`).",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
NoConfigOpt = Annotated[
    bool,
    typer.Option(
        "--no-config", help="Use the defaults, not any gigmatch.toml.", rich_help_panel=INPUT_PANEL
    ),
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="'HEADER=FIELD'",
        help="Read this header as this field, whatever else matches (repeatable; "
        "'people:HEADER=FIELD' for one kind of file).",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore",
        metavar="HEADER",
        help="Leave this column out: it is read as no field (repeatable; 'people:HEADER' for "
        "one kind of file).",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="The sheet to read from .xlsx/.ods workbooks (default: the first; or book.xlsx#NAME).",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
SkipRowsOpt = Annotated[
    int | None,
    typer.Option(
        "--skip-rows",
        min=0,
        metavar="N",
        help="Rows above the header to skip (a title block); found by itself when the header "
        "row is unmistakable.",
        show_default=False,
        rich_help_panel=INPUT_PANEL,
    ),
]
SkipInvalidOpt = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Drop rows with bad values (with a warning) instead of failing.",
        rich_help_panel=INPUT_PANEL,
    ),
]
ProjectIdOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--project",
        "-p",
        metavar="ID",
        help="Only this project id (repeatable).",
        rich_help_panel=FILTER_PANEL,
    ),
]
MinScoreOpt = Annotated[
    float,
    typer.Option(
        "--min-score",
        min=0,
        max=100,
        help="Leave out candidates scoring below this (0-100).",
        rich_help_panel=FILTER_PANEL,
    ),
]
RequireAllOpt = Annotated[
    bool,
    typer.Option(
        "--require-all",
        help="Only people who have every required skill.",
        rich_help_panel=FILTER_PANEL,
    ),
]
MaxOverBudgetOpt = Annotated[
    float | None,
    typer.Option(
        "--max-over-budget",
        min=0,
        metavar="PCT",
        help="Leave out people whose rate is more than PCT% over budget.",
        rich_help_panel=FILTER_PANEL,
    ),
]
HorizonOpt = Annotated[int, typer.Option("--horizon", min=1, max=520, help="Periods to forecast.")]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: table on a terminal, else csv, or by --output's extension).",
        show_default=False,
        rich_help_panel=OUTPUT_PANEL,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file (atomically) instead of stdout.",
        dir_okay=False,
        show_default=False,
        rich_help_panel=OUTPUT_PANEL,
    ),
]
BomOpt = Annotated[
    bool,
    typer.Option(
        "--bom",
        help="Start CSV/TSV with a UTF-8 BOM (Excel on Windows).",
        rich_help_panel=OUTPUT_PANEL,
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet", "-q", help="Print nothing but data and errors.", rich_help_panel=OUTPUT_PANEL
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]


def parse_day(text: str | None, option: str = "--as-of"):
    """A date typed on the command line, or None; a bad one is a usage error naming the flag."""
    if text is None:
        return None
    from gigmatch.errors import UsageError
    from gigmatch.read.values import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{option} {text!r}: {exc}") from None


def plural(count: int, noun: str) -> str:
    """`1 project`, `2 projects`.

    >>> plural(1, "project"), plural(0, "person")
    ('1 project', '0 persons')
    """
    return f"{count} {noun}{'' if count == 1 else 's'}"
