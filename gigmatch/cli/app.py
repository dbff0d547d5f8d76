"""The `gigmatch` command line: the app, its global options and the entry point.

Each command lives in a module of `gigmatch.cli`, a thin shell over the library: it parses
options, calls the library and renders. Errors from the library arrive as `GigmatchError`s and
leave as a message on stderr and a documented exit code (see `ExitCode`).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gigmatch import __version__
from gigmatch.cli.session import Session, quiet_streams
from gigmatch.errors import ExitCode

EPILOG = (
    "Exit codes: 0 ok, 1 internal error, 2 bad usage, 3 bad input data, 4 bad config, "
    "5 infeasible plan, 6 check found problems, 7 cannot write output, 130 interrupted."
)

app = typer.Typer(
    name="gigmatch",
    help="Match freelancers to projects: ranked candidates, staffing plans, data checks.",
    epilog=EPILOG,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gigmatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
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
    if not isinstance(ctx.obj, Session):
        ctx.obj = Session.from_environment(debug=debug)
    else:
        ctx.obj.debug = ctx.obj.debug or debug


def _register(typer_app: typer.Typer) -> None:
    """One module per command, in the order `--help` lists them."""
    from gigmatch.cli import (
        assign,
        check,
        config,
        diff,
        explain,
        forecast,
        init,
        match,
        price,
        report,
        skills,
        tune,
    )

    for command in (
        match.match,
        init.init,
        assign.assign,
        diff.diff,
        check.check,
        skills.skills,
        explain.explain,
        tune.tune,
        forecast.forecast,
        price.price,
        report.report,
        config.config,
    ):
        typer_app.command()(command)


_register(app)


def main() -> None:
    """Console-script entry point: quiet on Ctrl-C and on a closed pipe (`| head`)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        quiet_streams()
        sys.exit(int(ExitCode.OK))
