"""Hostile input, hostile paths: the README's promises hold for every command.

Each case of the hostile corpus (`hostile_corpus.py`) runs in-process through CliRunner and must
give the promised exit code, no traceback, output that parses back, and inputs byte-identical
afterwards. Signals, pipes and devices need a real process: a handful of subprocess tests.
The whole battery (every command against every case) is `python benchmarks/hostile.py`.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import typer
from hostile_corpus import (
    BASE,
    EMOJI,
    HOSTILE_TEXTS,
    MARKUP,
    POO,
    Case,
    config_cases,
    data_cases,
    flag_cases,
    hostile_text_cases,
    injection_cases,
    output_path_cases,
    parse_output,
    snapshot,
    write_agency,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigmatch.cli import session
from gigmatch.cli.app import app
from gigmatch.present.safe import WORD_JOINER

runner = CliRunner()


@pytest.fixture(autouse=True)
def built_once(monkeypatch) -> None:
    """Typer rebuilds the Click command from the signatures on every invoke (most of the time
    of a small run); this module's hundred runs share one build."""
    import typer.testing

    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: COMMAND)


COMMAND = typer.main.get_command(app)


def run_case(case: Case, folder: Path, monkeypatch) -> object:
    """Run one case in `folder`; assert the promises; return stdout parsed back."""
    paths = write_agency(folder)
    if case.setup:
        case.setup(folder)
    monkeypatch.chdir(folder)
    before = snapshot(folder)
    result = runner.invoke(app, case.argv(paths))
    shown = f"{case.name}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    assert result.exit_code == case.exit_code, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.stderr, shown
    assert case.stderr_has in result.stderr, shown
    after = snapshot(folder)
    for name, data in before.items():
        if name not in case.writes:
            assert after.get(name) == data, f"{case.name} changed {name}"
    assert set(after) - set(before) <= set(case.writes), f"{case.name} wrote {set(after)}"
    return parse_output(case.parse, result.stdout) if result.exit_code == 0 else None


def suite_cases() -> list[Case]:
    """The corpus less its slow repeats (`benchmarks/hostile.py` runs them all): every command
    with hostile text and onto a device; a FIFO and the refused inputs on a few; every bad
    config on `match` and one on every command; every bad value and flag."""
    refused = {
        "match-o-config",
        "match-o-history",
        "assign-o-previous",
        "report-o-input",
        "skills-aliases-onto-config",
        "tune-write-onto-people",
        "match-o-fifo",
        "init-o-fifo",
        "match-o-folder",
        "match-o-stdout-dash",
        "report-o-stdout-dash",
        "explain-o-stdout-dash",
    }
    paths = [c for c in output_path_cases() if c.name.endswith("-o-devnull") or c.name in refused]
    configs = config_cases(("match",))
    configs += [
        c
        for c in config_cases()
        if c.name.endswith("-nan-weight") and not c.name.startswith("match")
    ]
    return [*hostile_text_cases(), *paths, *configs, *data_cases(), *flag_cases(),
            *injection_cases()]  # fmt: skip


CASES = suite_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case: Case, tmp_path: Path, monkeypatch) -> None:
    parsed = run_case(case, tmp_path, monkeypatch)
    if case.parse == "csv" and case.exit_code == 0:
        assert isinstance(parsed, list)


def test_hostile_text_comes_back_as_written(tmp_path: Path, monkeypatch) -> None:
    """Data passes through match unchanged but for the formula guard and control characters."""
    rows = run_case(hostile_text_cases()[0], tmp_path, monkeypatch)
    names = {r["person_name"] for r in rows}  # type: ignore[attr-defined]
    assert MARKUP in names and f"Bo {EMOJI}" in names
    titles = {r["project_title"] for r in rows}  # type: ignore[attr-defined]
    assert f"{MARKUP} shop {EMOJI}" in titles


def test_aliases_with_control_characters_load_as_config(tmp_path: Path, monkeypatch) -> None:
    case = next(c for c in injection_cases() if c.name == "skills-write-aliases-del")
    run_case(case, tmp_path, monkeypatch)
    text = (tmp_path / "aliases.toml").read_text(encoding="utf-8")
    aliases = tomllib.loads(text)["aliases"]
    assert any("\x7f" in spelling for group in aliases.values() for spelling in group)
    again = runner.invoke(app, [*BASE["match"][:1], "projects.csv", "people.csv", "-c",
                                "aliases.toml"])  # fmt: skip
    assert again.exit_code == 0, again.stderr


# ---- every view, with hostile text, on a console that would expand emoji and markup ---------


def _bad_projects_named_emoji(folder: Path) -> None:
    """A projects file whose name is an emoji code, with a problem for check to show."""
    text = (folder / "projects.csv").read_text(encoding="utf-8")
    (folder / f"{EMOJI}.csv").write_text(text + f"P1,{MARKUP},{EMOJI},,lots,,,,\n", "utf-8")


TABLE_RUNS = {
    "match": [*BASE["match"], "-f", "table"],
    "assign": [*BASE["assign"], "-f", "table"],
    "check": ["check", f"{EMOJI}.csv", "{people}", "--history", "{history}", "-f", "table"],
    "skills": [*BASE["skills"], "-f", "table"],
    "explain": [*BASE["explain"], "-f", "table"],
    "explain-emoji-ids": ["explain", "{projects}", "{people}", EMOJI, MARKUP, "-H", "{history}",
                          "--as-of", "2026-01-01", "-f", "table"],
    "tune": [*BASE["tune"], "-f", "table"],  # no text from data: weights and folds only
    "forecast": [*BASE["forecast"], "-f", "table"],
    "price": [*BASE["price"], "-f", "table"],
}  # fmt: skip


@pytest.mark.parametrize("name", list(TABLE_RUNS))
def test_every_view_shows_hostile_text_as_written(name, tmp_path: Path, monkeypatch) -> None:
    """Views escape with one helper (`present.safe.for_terminal`): even on a console with emoji
    and markup on, no code is expanded, no link made, no escape sequence passed through."""
    from rich.console import Console

    def console(**options):  # the CLI's consoles, but with rich's defaults back on
        return Console(**{**options, "emoji": True, "width": 250, "color_system": None})

    monkeypatch.setattr(session, "Console", console)
    paths = write_agency(tmp_path)
    _bad_projects_named_emoji(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = [a.format(**{k: str(v) for k, v in paths.items()}) for a in TABLE_RUNS[name]]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 6), result.stderr  # check exits 6 on the data's problems
    out = result.stdout.replace(WORD_JOINER, "")
    assert POO not in out and "\x1b" not in out and "\u202e" not in out
    assert "\x1b]8;" not in result.stdout  # no hyperlink
    if name != "tune":
        assert EMOJI in out or MARKUP in out or "click me" in out, out


def test_for_terminal_escapes_every_hostile_text() -> None:
    from rich.console import Console

    from gigmatch.present.safe import for_terminal

    console = Console(width=200, color_system=None, emoji=True)
    for text in HOSTILE_TEXTS:
        with console.capture() as captured:
            console.print(for_terminal(text))
        shown = captured.get().replace(WORD_JOINER, "")
        assert POO not in shown and "\x1b" not in shown
        if text in (MARKUP, EMOJI):
            assert shown.strip() == text


# ---- the output-path policy, file by file ----------------------------------------------------


def test_symlink_is_written_through_and_stays_a_link(tmp_path: Path, monkeypatch) -> None:
    paths = write_agency(tmp_path)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    (tmp_path / "link.csv").symlink_to(target)
    result = runner.invoke(app, ["match", str(paths["projects"]), str(paths["people"]), "-o",
                                 "link.csv"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "link.csv").is_symlink()
    assert target.read_text().startswith("project_id,")


def test_symlink_to_an_input_is_refused(tmp_path: Path, monkeypatch) -> None:
    paths = write_agency(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "alias.csv").symlink_to(paths["people"])
    before = paths["people"].read_bytes()
    result = runner.invoke(app, [*BASE["match"][:1], str(paths["projects"]), "people.csv",
                                 "-o", "alias.csv"])  # fmt: skip
    assert result.exit_code == 2 and "input" in result.stderr
    assert paths["people"].read_bytes() == before


def test_replaced_file_keeps_its_mode(tmp_path: Path, monkeypatch) -> None:
    paths = write_agency(tmp_path)
    out = tmp_path / "private.csv"
    out.write_text("old\n")
    out.chmod(0o600)
    result = runner.invoke(app, ["match", str(paths["projects"]), str(paths["people"]), "-o",
                                 str(out)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("project_id,")


def test_implicit_config_is_protected(tmp_path: Path, monkeypatch) -> None:
    paths = write_agency(tmp_path)
    (tmp_path / "gigmatch.toml").write_text("[weights]\nskills = 0.6\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["match", str(paths["projects"]), str(paths["people"]), "-o",
                                 "gigmatch.toml"])  # fmt: skip
    assert result.exit_code == 2 and "input" in result.stderr
    assert (tmp_path / "gigmatch.toml").read_text() == "[weights]\nskills = 0.6\n"


def test_tune_may_update_the_config_it_read(tmp_path: Path, monkeypatch) -> None:
    """`tune --write` onto the config in use is its purpose, not a clobbered input."""
    write_agency(tmp_path)
    monkeypatch.chdir(tmp_path)
    args = [a.format(history="history.csv", people="people.csv") for a in BASE["tune"]]
    result = runner.invoke(app, [*args, "-c", "my.toml", "--write", "my.toml", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert "[weights]" in (tmp_path / "my.toml").read_text()


# ---- real file descriptors: devices and pipes, in-process through the entry point -------------


def run_main(monkeypatch, args: list[str], out_fd: int, err_fd: int) -> int:
    """`gigmatch ARGS` through `cli.app.main` with stdout and stderr on real descriptors."""
    from gigmatch.cli.app import main

    def stream(fd: int):
        return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), write_through=True)

    monkeypatch.setattr(sys, "argv", ["gigmatch", *args])
    monkeypatch.setattr(sys, "stdout", stream(out_fd))
    monkeypatch.setattr(sys, "stderr", stream(err_fd))
    with pytest.raises(SystemExit) as stopped:
        main()
    return int(stopped.value.code or 0)


def _match_args(folder: Path) -> list[str]:
    paths = write_agency(folder)
    return ["match", str(paths["projects"]), str(paths["people"]), "-f", "csv"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_stdout_exits_7(tmp_path: Path, monkeypatch) -> None:
    """`gigmatch match … > /dev/full`: exit 7 with a message, not a traceback."""
    full = os.open("/dev/full", os.O_WRONLY)
    errors = tmp_path / "stderr.txt"
    err_fd = os.open(errors, os.O_WRONLY | os.O_CREAT)
    try:
        code = run_main(monkeypatch, _match_args(tmp_path), full, err_fd)
    finally:
        os.close(full), os.close(err_fd)
    text = errors.read_text()
    assert code == 7, text
    assert "cannot write" in text and "Traceback" not in text


@pytest.mark.parametrize("command", ["match", "skills", "forecast", "price"])
def test_closed_pipe_exits_0_wherever_stderr_points(command, tmp_path, monkeypatch) -> None:
    """`gigmatch … 2>&1 | head -1`, made certain: the pipe is closed before the first write."""
    paths = write_agency(tmp_path)
    args = [a.format(**{k: str(v) for k, v in paths.items()}) for a in BASE[command]]
    read, write = os.pipe()
    os.close(read)
    try:
        assert run_main(monkeypatch, [*args, "-f", "csv"], write, write) == 0
    finally:
        os.close(write)


def test_stdout_device_is_written_as_stdout(tmp_path: Path, monkeypatch) -> None:
    """`-o /dev/stdout` (here the pipe stdout is): written to, never replaced."""
    read, write = os.pipe()
    err_fd = os.open(tmp_path / "stderr.txt", os.O_WRONLY | os.O_CREAT)
    args = [*_match_args(tmp_path), "-o", f"/dev/fd/{write}"]
    try:
        code = run_main(monkeypatch, args, write, err_fd)
    finally:
        os.close(write), os.close(err_fd)
    with os.fdopen(read, "rb") as pipe:
        assert pipe.read().startswith(b"project_id,")
    assert code == 0, (tmp_path / "stderr.txt").read_text()


def test_stdin_from_a_file_is_an_input(tmp_path: Path, monkeypatch) -> None:
    """`gigmatch match p.csv - -o people.csv < people.csv` must not replace people.csv."""
    from gigmatch.errors import UsageError
    from gigmatch.present.write import check_not_input

    people = write_agency(tmp_path)["people"]
    with people.open("rb") as handle:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(handle))
        with pytest.raises(UsageError, match="input"):
            check_not_input(people, ["-"])


def test_stdout_appending_to_an_input_is_refused(tmp_path: Path, monkeypatch) -> None:
    """`gigmatch match p.csv people.csv >> people.csv` must not append to people.csv."""
    people = write_agency(tmp_path)["people"]
    before = people.read_bytes()
    fd = os.open(people, os.O_WRONLY | os.O_APPEND)
    err_fd = os.open(tmp_path / "stderr.txt", os.O_WRONLY | os.O_CREAT)
    args = ["match", str(tmp_path / "projects.csv"), str(people), "-f", "csv"]
    try:
        code = run_main(monkeypatch, args, fd, err_fd)
    finally:
        os.close(fd), os.close(err_fd)
    assert code == 2, (tmp_path / "stderr.txt").read_text()
    assert people.read_bytes() == before


def test_devices_and_fifos_are_never_replaced(tmp_path: Path) -> None:
    from gigmatch.errors import OutputError
    from gigmatch.present.write import write_atomic

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for target in (fifo, Path(os.devnull)):
        with pytest.raises(OutputError, match="not a regular file"):
            write_atomic(target, b"data")
    assert stat.S_ISFIFO(fifo.stat().st_mode) and stat.S_ISCHR(os.stat(os.devnull).st_mode)


# ---- signals: a real process ---------------------------------------------------------------


def _wait_for_cpu(process: subprocess.Popen, seconds: float) -> None:
    """Wait until the process has used `seconds` of CPU (or ended), by /proc where there is
    one: a wall-clock sleep lands in interpreter start-up on a busy machine."""
    stat_file = Path(f"/proc/{process.pid}/stat")
    if not stat_file.exists():
        time.sleep(seconds)
        return
    tick = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        fields = stat_file.read_text().rsplit(")", 1)[1].split()
        if (int(fields[11]) + int(fields[12])) / tick >= seconds:
            return
        time.sleep(0.05)


def test_ctrl_c_exits_130_during_the_solve(tmp_path: Path) -> None:
    """SIGINT at any moment of `assign` (reading, scoring or CP-SAT's search) exits 130."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from synthetic import write_agency as synthetic_agency

    projects, people = synthetic_agency(tmp_path, 200, 2000)
    command = ["assign", str(projects), str(people), "-o", str(tmp_path / "plan.csv")]
    process = subprocess.Popen([sys.executable, "-m", "gigmatch", *command], stderr=subprocess.PIPE)
    _wait_for_cpu(process, 1.5)  # past start-up however loaded the machine: into the work
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (130, 0), err  # 0 only if it finished within 1.5 s
    assert b"Traceback" not in err
    if process.returncode == 130:
        assert not (tmp_path / "plan.csv").exists()


def test_solver_stops_at_once_on_ctrl_c() -> None:
    """The CP-SAT search itself is interruptible: it stops within a moment of Ctrl-C."""
    import threading

    import numpy as np
    from ortools.sat.python import cp_model

    from gigmatch.plan.solver import solve_interruptibly

    rng = np.random.default_rng(0)
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(3000)]
    for _ in range(200):
        picked = rng.choice(len(x), 60, replace=False)
        model.add(sum(int(rng.integers(1, 50)) * x[i] for i in picked) <= 300)
    model.maximize(sum(int(rng.integers(1, 100)) * v for v in x))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            solve_interruptibly(solver, model)
    finally:
        timer.cancel()  # never let a late SIGINT reach pytest itself
    assert time.monotonic() - started < 10


# ---- no input crashes a reader ---------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=3000))
def test_any_bytes_read_as_a_table_or_refused(data: bytes) -> None:
    """Whatever the bytes, the reader gives a table or an `InputError`, nothing else."""
    import tempfile

    from gigmatch.errors import InputError
    from gigmatch.read.schema import load

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "people.csv"
        path.write_bytes(data)
        try:
            load(path, "people")
        except InputError:
            pass


@settings(max_examples=200, deadline=None)
@given(cell=st.text(alphabet=st.sampled_from("[]-'\",;:|1aZ \n\\"), max_size=400))
def test_any_skill_cell_splits(cell: str) -> None:
    """Skill cells of brackets, quotes, signs and separators never raise and never recurse."""
    from gigmatch.read.skill_cells import MAX_NAME, split_skills

    items, problems = split_skills(cell)
    assert all(0 < len(item.name) <= MAX_NAME for item in items)
    assert all(isinstance(p, str) for p in problems)


@settings(max_examples=100, deadline=None)
@given(
    key=st.sampled_from(["weights.skills", "thresholds.fuzzy", "thresholds.default_level",
                         "thresholds.over_budget", "history.half_life_days"]),
    value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(),
                    st.booleans(), st.text(max_size=5)),
)  # fmt: skip
def test_any_config_number_is_used_or_refused(key: str, value: object) -> None:
    """A config value is either within its documented range or a `ConfigError`."""
    import math

    from gigmatch.errors import ConfigError
    from gigmatch.read.config import RANGES, config_from_dict

    section, name = key.split(".")
    try:
        config = config_from_dict({section: {name: value}})
    except ConfigError:
        return
    used = getattr(getattr(config, section), name)
    bounds = RANGES[key]
    assert math.isfinite(used) and bounds.low <= used <= bounds.high
