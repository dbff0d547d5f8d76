"""Progress you can see: library callbacks, and a bar on stderr only at a terminal.

The library tells a `Progress` callback how far it has got; the CLI draws a rich bar on stderr
when stderr is an interactive terminal, --quiet is off and the work lasts long enough. The
terminal is faked with a rich Console forced to be one, and the one-second wait is set to 0.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

import pytest
from conftest import EXAMPLES
from rich.console import Console
from typer.testing import CliRunner

import gigmatch
from gigmatch.cli.app import app
from gigmatch.cli.session import Session
from gigmatch.present.progress import progress_bar
from gigmatch.read.config import Config
from gigmatch.score.components import Filters
from gigmatch.score.ranking import read, score_all
from gigmatch.steps import UNITS, part

PROJECTS, PEOPLE, HISTORY = (
    str(EXAMPLES / f) for f in ("projects.csv", "people.csv", "history.csv")
)
AS_OF = "2026-11-20"
BAR = "━"  # rich's bar character

runner = CliRunner()


class Calls(list):
    """A Progress callback that remembers every (done, total) it was told."""

    def __call__(self, done: int, total: int) -> None:
        self.append((done, total))


def assert_moves_forward(calls: Calls) -> None:
    """Known totals only grow `done`, never past the total, and end full."""
    known = [(d, t) for d, t in calls if t > 0]
    assert known, calls
    assert all(0 <= d <= t for d, t in known)
    fractions = [d / t for d, t in known]
    assert fractions == sorted(fractions)
    assert known[-1][0] == known[-1][1]


# ---- the library: callbacks where the loops live ---------------------------------------------


def test_score_all_reports_every_block():
    projects, people = read(PROJECTS, "projects"), read(PEOPLE, "people")
    calls = Calls()
    score_all(projects, people, Config(), filters=Filters(), top=3, progress=calls)
    assert calls[-1] == (len(projects), len(projects))
    assert_moves_forward(calls)


def test_match_twin_reports_and_gives_the_same_rows():
    calls = Calls()
    with_progress = gigmatch.match(PROJECTS, PEOPLE, top=3, progress=calls)
    assert calls and calls[-1][0] == calls[-1][1]
    assert with_progress.equals(gigmatch.match(PROJECTS, PEOPLE, top=3))


def test_assign_scores_then_says_the_solver_is_searching():
    calls = Calls()
    plan = gigmatch.assign(PROJECTS, PEOPLE, progress=calls)
    scoring = [c for c in calls if c[1] > 0]
    assert scoring[-1][0] == scoring[-1][1]  # every project scored first
    assert calls[-1] == (0, 0)  # then a search of no known length
    assert plan.assignments.equals(gigmatch.assign(PROJECTS, PEOPLE).assignments)


def test_check_counts_files_and_checks():
    calls = Calls()
    report = gigmatch.check(PROJECTS, PEOPLE, HISTORY, progress=calls)
    assert_moves_forward(calls)
    assert report.problems == gigmatch.check(PROJECTS, PEOPLE, HISTORY).problems


def test_tune_counts_folds_and_the_final_fit():
    calls = Calls()
    result = gigmatch.tune(HISTORY, PEOPLE, as_of=AS_OF, folds=3, progress=calls)
    assert [c for c in calls if c[1] > 0][-1] == (4, 4)  # 3 folds + the final fit
    assert sorted({d for d, _ in calls}) == [0, 1, 2, 3, 4]
    assert result.weights() == gigmatch.tune(HISTORY, PEOPLE, as_of=AS_OF, folds=3).weights()


def test_report_moves_through_its_phases():
    calls = Calls()
    made = gigmatch.report(PROJECTS, PEOPLE, history=HISTORY, as_of=AS_OF, progress=calls)
    assert_moves_forward(calls)
    assert calls[-1] == (5 * UNITS, 5 * UNITS)  # scores, rates, plan, page, forecast
    assert made.html == gigmatch.report(PROJECTS, PEOPLE, history=HISTORY, as_of=AS_OF).html


def test_part_maps_a_phase_into_its_share():
    calls = Calls()
    second = part(calls, 1, 2)
    second(3, 4)
    second(0, 0)  # work of unknown size: the bar stays where it is
    assert calls == [(UNITS + 3 * UNITS // 4, 2 * UNITS)] * 2


# ---- the terminal side ---------------------------------------------------------------------


def fake_terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, force_interactive=True, width=100), buffer


def test_bar_drawn_at_a_terminal_and_erased():
    console, buffer = fake_terminal()
    with progress_bar(console, "scoring", enabled=True, delay=0) as progress:
        assert progress is not None
        progress(1, 4)
        progress(4, 4)
        progress(0, 0)  # the solver: a pulse
    drawn = buffer.getvalue()
    assert "scoring" in drawn and BAR in drawn
    assert "\x1b[2K" in drawn  # transient: the line is erased when the work ends


def test_no_bar_when_not_enabled():
    console, buffer = fake_terminal()
    with progress_bar(console, "scoring", enabled=False, delay=0) as progress:
        assert progress is None
    assert buffer.getvalue() == ""


def test_no_bar_for_quick_work():
    console, buffer = fake_terminal()
    with progress_bar(console, "scoring", enabled=True, delay=30) as progress:
        assert progress is not None
        progress(1, 1)
    time.sleep(0.05)
    assert buffer.getvalue() == ""


def test_bar_shows_once_the_delay_has_passed():
    console, buffer = fake_terminal()
    with progress_bar(console, "scoring", enabled=True, delay=0.05) as progress:
        assert progress is not None
        progress(1, 2)
        deadline = time.monotonic() + 10  # the timer thread draws it; a loaded machine is slow
        while "scoring" not in buffer.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert "scoring" in buffer.getvalue()


def test_ctrl_c_leaves_no_bar_behind():
    console, buffer = fake_terminal()
    with pytest.raises(KeyboardInterrupt):
        with progress_bar(console, "scoring", enabled=True, delay=0) as progress:
            assert progress is not None
            progress(1, 2)
            raise KeyboardInterrupt
    assert buffer.getvalue().rstrip().endswith("\x1b[2K")  # erased on the way out
    with progress_bar(console, "again", enabled=True, delay=0):  # the console is free again
        pass


def test_session_knows_a_pipe_is_not_a_terminal():
    assert Session.from_environment().stderr_terminal is False  # pytest captures stderr


@pytest.mark.parametrize("terminal", [True, False])
def test_session_sees_a_real_terminal_on_stderr(terminal):
    """stdout piped in both cases: the bar follows stderr, not stdout."""
    pty = pytest.importorskip("pty")
    probe = (
        "from gigmatch.cli.session import Session\n"
        "print(Session.from_environment().stderr_terminal)"
    )
    leader, follower = pty.openpty() if terminal else (None, subprocess.PIPE)
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe], stdout=subprocess.PIPE, stderr=follower, timeout=60
        )
    finally:
        if terminal:
            os.close(leader)
            os.close(follower)
    assert done.stdout.decode().strip() == str(terminal)


# ---- the commands -----------------------------------------------------------------------------

COMMANDS = {
    "match": (["match", PROJECTS, PEOPLE, "--top", "3"], "scoring"),
    "assign": (["assign", PROJECTS, PEOPLE], "planning"),
    "check": (["check", PROJECTS, PEOPLE, "-H", HISTORY], "checking"),
    "tune": (["tune", HISTORY, "--people", PEOPLE, "--as-of", AS_OF, "--folds", "3"], "tuning"),
    "report": (["report", PROJECTS, PEOPLE, "--history", HISTORY, "--as-of", AS_OF], "report"),
    "price": (["price", PROJECTS, PEOPLE, "--history", HISTORY], "pricing"),
}


def run(args: list[str], *, terminal: bool) -> tuple[int, bytes, str]:
    """Run a command with stdout piped and stderr a fake terminal (or a pipe), the bar's
    one-second wait set to 0; (exit code, stdout bytes, stderr text)."""
    console, buffer = fake_terminal() if terminal else (None, io.StringIO())
    console = console or Console(file=buffer, width=100)
    stdout = io.BytesIO()
    session = Session(
        stdout=stdout, stderr=console, is_terminal=False, stderr_terminal=terminal,
        progress_delay=0,
    )  # fmt: skip
    result = runner.invoke(app, args, obj=session)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, stdout.getvalue(), buffer.getvalue()


@pytest.mark.parametrize("name", COMMANDS)
def test_bar_on_a_terminal_same_bytes_on_stdout(name):
    args, label = COMMANDS[name]
    code, out, err = run(args, terminal=True)
    plain_code, plain_out, plain_err = run(args, terminal=False)
    assert code == plain_code and code in (0, 6), err
    assert out and out == plain_out
    assert label in err and BAR in err
    assert BAR not in plain_err and "\x1b" not in plain_err


@pytest.mark.parametrize("name", COMMANDS)
def test_quiet_means_no_bar(name):
    args, label = COMMANDS[name]
    code, out, err = run([*args, "--quiet"], terminal=True)
    assert code in (0, 6)
    assert BAR not in err and label not in err


def test_bar_erased_before_an_error_message():
    code, out, err = run(["match", PROJECTS, "no-such-people.csv"], terminal=True)
    assert code == 3 and out == b""
    assert "no-such-people.csv" in err
    assert err.rindex("\x1b[2K") < err.index("gigmatch: error")  # the bar went first
