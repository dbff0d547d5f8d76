"""The `gigmatch` command line: the app, its global options and the entry point.

Each command lives in a module of `gigmatch.cli`, a thin shell over the library: it parses
options, calls the library and renders. Errors from the library arrive as `GigmatchError`s and
leave as a message on stderr and a documented exit code (see `ExitCode`).
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from collections.abc import Callable, Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from gigmatch import __version__
from gigmatch.cli.session import Session, quiet_streams
from gigmatch.errors import ExitCode

EPILOG = (
    "Exit codes: 0 ok, 1 internal error, 2 bad usage, 3 bad input data, 4 bad config, "
    "5 infeasible plan, 6 check found problems, 7 cannot write output, 130 interrupted."
)


class _Deferred(type):
    """The type of a stand-in class: calling it or reading an attribute of it imports the
    module that defines the real class and hands the use on to it."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(cls.real(), attribute)

    def real(cls) -> Any:
        module = sys.modules.get(cls.__module__)
        if module is not None and getattr(module, "__stand_in__", False):
            del sys.modules[cls.__module__]  # never hand the stand-in back to itself
        return getattr(importlib.import_module(cls.__module__), cls.__name__)


def _stand_in(name: str) -> types.ModuleType:
    """A module whose every name is a `_Deferred` stand-in for the real module's class."""
    module = types.ModuleType(name)
    module.__stand_in__ = True  # type: ignore[attr-defined]
    module.__getattr__ = lambda attribute: _Deferred(  # type: ignore[method-assign]
        attribute, (), {"__module__": name, "__qualname__": attribute}
    )
    return module


UNUSED_BY_HELP = ("rich.markdown", "rich.traceback")


def import_help_renderer() -> None:
    """Import typer's help renderer (typer.rich_utils) without the modules it imports for
    what gigmatch's help never does: rich.markdown (with markdown-it, about 40 ms, an eighth
    of `gigmatch --help`) for the "markdown" markup mode, where gigmatch uses "rich", and
    rich.traceback (with pygments) for tracebacks, which help never prints.

    While it is imported, stand-ins answer for those modules, each name a class that imports
    the real one when first used (so a traceback still renders); then the stand-ins leave
    `sys.modules`, and any later import gets the real modules."""
    if "typer.rich_utils" in sys.modules:
        return
    stand_ins = {name: _stand_in(name) for name in UNUSED_BY_HELP if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        importlib.import_module("typer.rich_utils")
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


class LightHelp:
    """Help rendered by typer, its renderer imported by `import_help_renderer` (when typer
    renders with rich at all: not with TYPER_USE_RICH=0)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if typer.core.HAS_RICH and getattr(self, "rich_markup_mode", None) is not None:
            import_help_renderer()
        super().format_help(ctx, formatter)  # type: ignore[misc]


class Command(LightHelp, TyperCommand):
    """A command of the group (typer's, with the lighter help import)."""


class OneErrorStyle(LightHelp, TyperGroup):
    """The command group, with usage errors in the same `gigmatch: error: …` line as data
    errors (exit 2 kept) instead of a rich box, so scripts and people read one style, and
    its commands built on first use (`Commands`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = Commands()

    def list_commands(self, ctx: Any) -> list[str]:
        """The names alone (Typer's own lists them by going through every command)."""
        return list(self.commands.keys())

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Parse and run; with `standalone_mode` (the console script, `CliRunner`) every
        outcome ends in `sys.exit`, as Click's own main does."""
        kwargs["standalone_mode"] = False
        if not standalone_mode:
            return super().main(*args, **kwargs)
        try:
            code = super().main(*args, **kwargs)
        except typer.Abort:  # Ctrl-C while the options were read
            sys.exit(int(ExitCode.INTERRUPTED))
        except Exception as exc:
            if not _is_click_error(exc):
                raise
            sys.exit(usage_error(exc))
        sys.exit(code if isinstance(code, int) else 0)


def _is_click_error(exc: Exception) -> bool:
    """Click's errors (bad usage, a bad value, a missing file) carry a message and a code; the
    check is by shape, as Typer's own copy of Click differs between its versions."""
    return hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)


def usage_error(exc: Any) -> int:
    """Print a Click error as `gigmatch: error: …` and where to find help; its exit code."""
    from gigmatch.present.safe import printable

    message = printable(exc.format_message()).strip()
    if not message:  # `gigmatch` alone: the help was the message
        return int(exc.exit_code)
    typer.echo(f"gigmatch: error: {message}", err=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(f"gigmatch: see '{ctx.command_path} --help'", err=True)
    return int(exc.exit_code)


app = typer.Typer(
    name="gigmatch",
    cls=OneErrorStyle,
    help="Match freelancers to projects: ranked candidates, staffing plans, data checks.",
    epilog=EPILOG,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    add_completion=True,
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


# The commands, in the order `--help` lists them: each is the function of its own name in the
# module of that name, `gigmatch.cli.<name>`.
COMMANDS = (
    "match",
    "init",
    "assign",
    "diff",
    "check",
    "skills",
    "explain",
    "tune",
    "forecast",
    "price",
    "report",
    "config",
)


class Commands(MutableMapping[str, Any]):
    """The group's commands by name, each built when first looked up: its module imported and
    its signature turned into Click parameters.

    A run uses one command, and building all twelve (importing their modules, then Typer
    reading every signature) was 13 of the 97 ms a `match` run took to reach its command.
    Every name is listed from the start, so `--help`, completion and "did you mean" see them
    all; only looking one up builds it."""

    def __init__(self) -> None:
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            if name not in COMMANDS:
                raise KeyError(name)
            self.built[name] = _build(name)
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("gigmatch's commands are fixed")

    def names(self) -> list[str]:
        """Every command's name, in order, without building any."""
        return [*COMMANDS, *(n for n in self.built if n not in COMMANDS)]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())


def command_function(name: str) -> Callable[..., Any]:
    """The function behind a command (`gigmatch.cli.match.match` for `match`)."""
    return getattr(importlib.import_module(f"gigmatch.cli.{name}"), name)


def _build(name: str) -> Any:
    """The Click command for one of `COMMANDS`, as `app.command()` would have made it."""
    from typer.main import get_command_from_info
    from typer.models import CommandInfo

    function = command_function(name)
    info = CommandInfo(cls=Command, callback=function, help=reflowed(function.__doc__ or ""))
    return get_command_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


def reflowed(doc: str) -> str:
    """A docstring as help text: each paragraph one line, for the terminal to wrap at its own
    width (not at the source's 100 columns), and rich markup escaped, so `[aliases]` shows as
    written.

    >>> reflowed('''One line.
    ...
    ...     Text wrapped
    ...     in source [aliases].
    ... ''')
    'One line.\\n\\nText wrapped in source \\\\[aliases].'
    """
    import inspect

    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(escape_markup(" ".join(p.split("\n"))) for p in paragraphs)


_MARKUP_TAG = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")  # rich.markup.escape's own pattern


def escape_markup(text: str) -> str:
    """`rich.markup.escape`, without importing rich: every command's help is escaped at
    start-up, and a run that prints nothing to a terminal (`--quiet -o file`) need not load
    rich at all. A test holds it equal to rich's.

    >>> print(escape_markup("[aliases] and [bold]x[/bold], not [1]"))
    \\[aliases] and \\[bold]x\\[/bold], not [1]
    """
    text = _MARKUP_TAG.sub(lambda m: f"{m[1]}{m[1]}\\{m[2]}", text)
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


def main() -> None:
    """Console-script entry point: quiet on Ctrl-C and on a closed pipe (`| head`)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        quiet_streams()
        sys.exit(int(ExitCode.OK))
