"""The one exception family gigmatch raises, the problems it reports, and the exit codes.

The library raises; only the CLI turns an exception into a message and an exit code, so the
library stays usable from a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes: a contract with shell scripts (see README "Scripting")."""

    OK = 0
    FAILURE = 1  # an unexpected internal error (a bug: please report it)
    USAGE = 2  # bad flags or arguments
    DATA = 3  # an input file is missing, unreadable or holds bad values
    CONFIG = 4  # the configuration file is wrong
    INFEASIBLE = 5  # no staffing plan satisfies the pins and limits
    CHECK_FAILED = 6  # `gigmatch check` found errors (or warnings with --strict)
    OUTPUT = 7  # an output file could not be written
    INTERRUPTED = 130  # Ctrl-C


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as a spreadsheet shows it (header = row 1)."""

    file: str
    row: int | None
    column: str | None
    severity: str  # "error" or "warning"
    code: str
    message: str

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.row, self.column) if p not in (None, ""))
        return f"{where}: {self.severity}: {self.message}"


class GigmatchError(Exception):
    """Base of every error gigmatch raises on purpose."""

    exit_code: ExitCode = ExitCode.FAILURE


class InputError(GigmatchError):
    """An input file is missing, unreadable, or holds values that cannot be used."""

    exit_code = ExitCode.DATA

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = problems or []


class ConfigError(GigmatchError):
    """The configuration file or a configuration value is wrong."""

    exit_code = ExitCode.CONFIG


class InfeasibleError(GigmatchError):
    """The pins, forbids and limits leave no valid staffing plan."""

    exit_code = ExitCode.INFEASIBLE


class OutputError(GigmatchError):
    """An output file could not be written."""

    exit_code = ExitCode.OUTPUT


class UsageError(GigmatchError):
    """Options that cannot go together, or an option value the parser could not catch."""

    exit_code = ExitCode.USAGE


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """`; did you mean 'skills'?` when one of `choices` is close to `word` (a misspelt key,
    column, id or command), else nothing: the tail of an error message.

    >>> did_you_mean("skils", ["skills", "rating"])
    "; did you mean 'skills'?"
    >>> did_you_mean("emial", ["email", "name"]), did_you_mean("zzz", ["skills"])
    ("; did you mean 'email'?", '')
    """
    import difflib

    close = difflib.get_close_matches(word, sorted(map(str, choices)), n=1, cutoff=0.6)
    if not close:  # case slips (`Email`) are not close for difflib
        lowered = {str(c).lower(): str(c) for c in choices}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f"; did you mean {close[0]!r}?" if close else ""
