"""The state of one command run, passed in the Typer context instead of module globals.

A `Session` holds the output streams, whether stdout and stderr are terminals, `--quiet` and
`--debug`, and every file the command read. Because each read goes through the session, the
guard that keeps `-o` off the inputs sees all of them (config, history, plans, scores
included), and tests can hand in their own streams. HTTPie's `Environment` and csvkit's
`output_file` are the model.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar, overload

import typer

from gigmatch.errors import ExitCode, GigmatchError, InputError, Problem, UsageError
from gigmatch.present.formats import OutputFormat
from gigmatch.present.progress import DELAY

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from gigmatch.read.columns import ColumnRule
    from gigmatch.read.config import Config
    from gigmatch.read.schema import Table
    from gigmatch.steps import Progress

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Reading:
    """How this run reads its inputs: `--map`, `--ignore`, `--sheet`, `--skip-rows` and
    `--no-config`, as every command that reads data takes them."""

    maps: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    sheet: str | None = None
    skip_rows: int | None = None
    no_config: bool = False

    @classmethod
    def of(
        cls,
        maps: list[str] | None,
        ignore: list[str] | None,
        sheet: str | None,
        skip_rows: int | None,
        no_config: bool,
    ) -> Reading:
        """From the shared options (Typer gives None for a repeatable option not used)."""
        return cls(tuple(maps or ()), tuple(ignore or ()), sheet, skip_rows, no_config)


MAX_ERRORS, MAX_WARNINGS = 200, 50


@dataclass
class Session:
    """Streams, terminal, verbosity and the files read by one run of a command."""

    stdout: IO[bytes]
    is_terminal: bool
    stderr: Console | None = None  # None: the process's stderr, made on first use (`err`)
    debug: bool = False
    quiet: bool = False
    inputs: list[str] = field(default_factory=list)
    config_source: str | None = None
    misses: dict[ColumnRule, int] = field(default_factory=dict)  # rule -> files lacking it
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # file -> its headers
    stderr_terminal: bool = False  # progress bars only on a terminal
    progress_delay: float = DELAY  # seconds of work before a bar shows

    @classmethod
    def from_environment(cls, *, debug: bool = False) -> Session:
        """The process's own streams; messages never wrap, so logs stay greppable."""
        return cls(
            stdout=sys.stdout.buffer,
            is_terminal=sys.stdout.isatty(),
            debug=debug,
            stderr_terminal=_isatty(sys.stderr),
        )

    def err(self) -> Console:
        """The console for stderr, made when something is first said: a `--quiet` run that
        writes its results to a file says nothing, and then never imports rich's console."""
        if self.stderr is None:
            self.stderr = new_console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
        return self.stderr

    # ---- inputs --------------------------------------------------------------------------

    def config(
        self,
        path: Path | None,
        reading: Reading | None = None,
    ) -> Config:
        """The config in force (`--config`, else the one found, else defaults) with this run's
        reading options; named on stderr and remembered as an input so no output replaces it."""
        from gigmatch.read.config import Config, load_config

        reading = reading or Reading()
        if reading.no_config and path is not None:
            raise UsageError("--config and --no-config cannot go together")
        config = Config() if reading.no_config else load_config(path)
        if config.source:
            self.inputs.append(config.source)
            self.config_source = config.source
            self.say(f"using config {config.source} ({config.found})", style="dim")
        try:
            return config.for_run(
                maps=reading.maps,
                ignore=reading.ignore,
                sheet=reading.sheet,
                skip_rows=reading.skip_rows,
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from None

    @overload
    def read(
        self, source: str, kind: str, config: Config, *, skip_invalid: bool = False
    ) -> Table: ...

    @overload
    def read(
        self, source: str | None, kind: str, config: Config, *, skip_invalid: bool = False
    ) -> Table | None: ...

    def read(
        self, source: str | None, kind: str, config: Config, *, skip_invalid: bool = False
    ) -> Table | None:
        """Read an input (None when not given): its warnings shown, its path remembered."""
        from gigmatch.read.schema import read

        if source is None:
            return None
        if source == "-" and "-" in self.inputs:
            raise UsageError("only one input can be read from stdin (-)")
        self.inputs.append(source)
        table = read(source, kind, config, skip_invalid=skip_invalid)
        self.columns_read(table)
        self.warn(list(table.warnings))
        return table

    def columns_read(self, table: Table) -> None:
        """Say once per file which header was read as which field (where it was not the
        field's own name), and count the rules for every file that this one had no header for."""
        from gigmatch.present.safe import printable

        self.headers[table.source] = table.headers
        for rule in table.misses:
            self.misses[rule] = self.misses.get(rule, 0) + 1
        mapped = [n.message for n in table.notes if n.code == "column-mapped"]
        other = [n.message for n in table.notes if n.code != "column-mapped"]
        if mapped and not self.quiet:
            self.err().print(printable(f"{table.source}: {', '.join(mapped)}"), markup=False)
        for message in other:
            self.say(f"{table.source}: {message}")

    def unused_rules(self) -> None:
        """Warn about a rule for every file (`--map`, `[columns]`) whose header no file read
        had: a misspelt header must not be ignored without a word."""
        from gigmatch.read.columns import no_file_has

        for rule, files in self.misses.items():
            if files == len(self.headers):
                self.say(f"warning: {no_file_has(rule, self.headers)}", style="yellow")
        self.misses.clear()

    def remember(self, *paths: str | Path | None) -> None:
        """Inputs read outside `read` (a plan to keep, a scores file)."""
        self.inputs += [str(p) for p in paths if p is not None]

    # ---- outputs -------------------------------------------------------------------------

    def emit(
        self,
        frame: pd.DataFrame | None,
        fmt: OutputFormat | None,
        output: Path | None,
        *,
        bom: bool = False,
        table: Callable[[], Any] | None = None,
        data: Callable[[OutputFormat], bytes] | None = None,
        page: bool = False,
    ) -> OutputFormat:
        """A result: a rich view on a terminal, else the chosen format to stdout or a file.

        `table` builds the rich view; `data` serialises formats that hold more than one
        table (JSON, XLSX…); without it, `frame` is written in the chosen format. `page`
        lets a long view go through the pager."""
        from gigmatch.present.write import STDOUT, choose_format, to_bytes

        if output is not None and str(output) == STDOUT:  # `-o -`
            output = None
        if output is not None:
            self.check_output(output)  # an input named by -o: that is the message to give
        chosen = choose_format(fmt, output, self.is_terminal)
        if chosen is OutputFormat.table:
            self.print_view(table() if table else frame, page=page)
            return chosen
        if output is None and chosen is OutputFormat.xlsx and self.is_terminal:
            raise UsageError("xlsx is binary: give --output FILE.xlsx or redirect stdout")
        payload = data(chosen) if data else to_bytes(frame, chosen, bom=bom)
        if output is None:
            self.write_stdout(payload)
        else:
            self.write_file(output, payload)
        return chosen

    def print_view(self, renderable: Any, *, page: bool = False) -> None:
        """A rich view on stdout: emoji codes never expanded, a write error is exit 7.

        `page`: through the pager (`$PAGER`, else what Python's pydoc picks) when on a
        terminal and taller than the screen."""
        from gigmatch.errors import OutputError
        from gigmatch.present.write import check_stream_not_input, silence

        check_stream_not_input(self.stdout, self.inputs)
        console = new_console(highlight=False, emoji=False)
        try:
            if page and self.is_terminal and rendered_lines(renderable) > console.height:
                with console.pager(styles=True):
                    console.print(renderable)
            else:
                console.print(renderable)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            silence(sys.stdout)
            raise OutputError(f"<stdout>: cannot write: {exc.strerror or exc}") from None

    def write_stdout(self, payload: bytes) -> None:
        """Data on stdout, unless stdout is an input (`>> people.csv`); errors are exit 7."""
        from gigmatch.present.write import check_stream_not_input, write_stream

        check_stream_not_input(self.stdout, self.inputs)
        write_stream(self.stdout, payload)

    def write_file(self, path: Path, payload: bytes, *, edits_config: bool = False) -> None:
        """Write a file atomically, never over a file this run read; `edits_config` lets a
        command whose job is to edit the config (`tune --write`) replace the config."""
        from gigmatch.present.write import STDOUT, write_atomic

        if str(path) == STDOUT:  # `-o -`
            self.write_stdout(payload)
            return
        self.check_output(path, edits_config=edits_config)
        write_atomic(path, payload, stdout=self.stdout)

    def check_output(self, path: Path, *, edits_config: bool = False) -> None:
        """Refuse an output onto a file this run read (before reading or computing more)."""
        from gigmatch.present.write import check_not_input

        guarded = [i for i in self.inputs if not (edits_config and i == self.config_source)]
        check_not_input(path, guarded)

    # ---- progress ------------------------------------------------------------------------

    def progress(self, label: str) -> AbstractContextManager[Progress | None]:
        """A bar on stderr for the work inside the `with` block, as a `Progress` callback
        for the library; None (no bar) with --quiet, when stderr is not an interactive
        terminal (a pipe, a file, TERM=dumb), and for work shorter than `progress_delay`.
        Leave the block before writing results: the bar is erased on the way out."""
        from gigmatch.present.progress import progress_bar

        if not (self.stderr_terminal and not self.quiet and self.err().is_interactive):
            return nullcontext(None)
        return progress_bar(self.err(), label, enabled=True, delay=self.progress_delay)

    # ---- messages ------------------------------------------------------------------------

    def note(self, message: str) -> None:
        """A summary line on stderr, unless --quiet."""
        if not self.quiet:
            self.err().print(message, markup=False, style="dim")

    def warn(self, problems: list[Problem]) -> None:
        """Warnings on stderr, unless --quiet."""
        from gigmatch.present.safe import printable

        if self.quiet:
            return
        for problem in problems[:MAX_WARNINGS]:
            self.err().print(printable(str(problem)), markup=False, style="yellow")
        if len(problems) > MAX_WARNINGS:
            more = len(problems) - MAX_WARNINGS
            self.err().print(f"… and {more} more warnings (see `gigmatch check`)", markup=False)

    def say(self, message: str, style: str | None = None) -> None:
        """A line on stderr that --quiet silences (advice, files written)."""
        from gigmatch.present.safe import printable

        if not self.quiet:
            self.err().print(printable(message), markup=False, style=style)

    def error(self, exc: GigmatchError) -> None:
        """`gigmatch: error: …` and, for bad data, one located line per problem."""
        from gigmatch.present.safe import printable

        self.err().print(f"gigmatch: error: {printable(str(exc))}", markup=False)
        problems = exc.problems if isinstance(exc, InputError) else []
        for problem in problems[:MAX_ERRORS]:
            self.err().print(f"  {printable(str(problem))}", markup=False)
        if len(problems) > MAX_ERRORS:
            more = len(problems) - MAX_ERRORS
            self.err().print(f"  … and {more} more (see `gigmatch check`)", markup=False)


def new_console(**options: Any) -> Console:
    """A rich `Console`, rich imported on first use. It is this module's `Console`, looked up
    when called, so a test can hand in its own (`monkeypatch.setattr(session, "Console", ...)`)."""
    factory = globals().get("Console") or __getattr__("Console")
    return factory(**options)


def __getattr__(name: str) -> Any:
    """`Console`, rich's class, imported when first asked for (see `new_console`)."""
    if name != "Console":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console

    return Console


def rendered_lines(renderable: Any, width: int | None = None) -> int:
    """How many lines a view takes at the terminal's width (or `width`)."""
    console = new_console(width=width, highlight=False, emoji=False, color_system=None)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get().count("\n")


def _isatty(stream: Any) -> bool:
    """Whether a stream is a terminal (False for a closed or replaced stream)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def session_of(ctx: typer.Context) -> Session:
    """The session the app's callback put in the context (a fresh one if run alone)."""
    if not isinstance(ctx.obj, Session):
        ctx.obj = Session.from_environment()
    return ctx.obj


@overload
def command(func: F) -> F: ...


@overload
def command(*, stack: bool) -> Callable[[F], F]: ...


def command(func: F | None = None, *, stack: bool = True) -> Any:
    """Run a command with its session: `--quiet` applied, library errors turned into a
    message on stderr and the documented exit code.

    `stack`: the command works on data, so the data stack (pandas, numpy) is imported before
    its body runs, as the last step of the start-up (see `end_start_up`); `init`, which only
    writes a file, says `stack=False`.

    Also the one place for the other promises of the README: a number flag that is not finite
    is bad usage (exit 2), an output path that can never be written is refused before the work
    (exit 7), Ctrl-C exits 130 in any phase, and a closed pipe (`| head`, wherever stderr
    points) exits 0 without a word."""
    if func is None:
        return functools.partial(command, stack=stack)

    @functools.wraps(func)
    def wrapper(ctx: typer.Context, *args: Any, **kwargs: Any) -> Any:
        session = session_of(ctx)
        session.quiet = bool(kwargs.get("quiet", False))
        try:
            end_start_up(stack)
            check_flags(kwargs)
            check_outputs(kwargs)
            result = func(session, *args, **kwargs)
        except GigmatchError as exc:
            if session.debug:
                raise
            session.unused_rules()
            session.error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except typer.Exit:
            session.unused_rules()
            raise
        except KeyboardInterrupt:
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            quiet_streams()
            raise typer.Exit(int(ExitCode.OK)) from None
        session.unused_rules()
        return result

    _take_context(wrapper, func)
    return wrapper  # type: ignore[return-value]


def end_start_up(stack: bool) -> None:
    """Import the data stack (with `stack`), the last module a command needs before its body
    runs, then end the start-up: the collector, paused through it by the process's entry
    point, runs again (`gigmatch.cli.start_up_done`)."""
    from gigmatch.cli import start_up_done

    if stack:
        import pandas  # noqa: F401  (imported here for the reason above)
    start_up_done()


MAX_INT_FLAG = 2**31 - 1
OUTPUT_OPTIONS = ("output", "write", "write_aliases", "path")  # `path`: init's file


def check_flags(options: dict[str, Any]) -> None:
    """Every number flag must be finite and of a sane size: Click lets `nan` and `inf` through
    its ranges (`nan < 0` is false), and one of them would silently empty or skew a result; a
    30-digit `--top` would overflow numpy. (Ranges themselves are declared on each option.)"""
    import math

    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, float) and not math.isfinite(value):
            raise UsageError(f"{flag} must be a finite number, not {value}")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_FLAG:
            raise UsageError(f"{flag} must be at most {MAX_INT_FLAG:,}, not {value}")


def check_outputs(options: dict[str, Any]) -> None:
    """Output paths that can never be written (a device, a FIFO…) are refused before the work,
    and so is a new file whose extension says another format than `--format`."""
    from gigmatch.present.write import check_target, choose_format

    for name in OUTPUT_OPTIONS:
        if isinstance(options.get(name), Path):
            check_target(options[name])
    output, fmt = options.get("output"), options.get("fmt")
    if isinstance(output, Path) and isinstance(fmt, OutputFormat) and not output.exists():
        choose_format(fmt, output, False)  # an existing file may be an input: see `emit`


def quiet_streams() -> None:
    """After a closed pipe: send stdout and stderr to /dev/null, so nothing more fails."""
    from gigmatch.present.write import silence

    silence(sys.stdout)
    silence(sys.stderr)


def _take_context(wrapper: Callable[..., Any], func: Callable[..., Any]) -> None:
    """Show Typer the command's own options with a `ctx` in place of the session."""
    signature = inspect.signature(func, eval_str=True)
    context = inspect.Parameter(
        "ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context
    )
    parameters = [context, *list(signature.parameters.values())[1:]]
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    del wrapper.__wrapped__  # type: ignore[attr-defined]
