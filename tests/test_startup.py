"""Start-up stays light: `gigmatch --help` and `--version` never load the numeric stack.

Each case runs in a fresh interpreter (the test process has imported everything already) and
lists the modules loaded by then. Timing is left to benchmarks/bench_match.py; this guards
the cause of slow start-up: a module-level import of pandas, numpy, scipy, OR-Tools…
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigmatch import __version__
from gigmatch.cli.app import COMMANDS, app, command_function, escape_markup

HEAVY = {"numpy", "pandas", "scipy", "ortools", "numba", "pydantic", "rapidfuzz", "openpyxl"}

RUN = """\
import json, runpy, sys
out, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["gigmatch", *args]
try:
    runpy.run_module("gigmatch", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
with open(out, "w") as handle:
    json.dump(sorted(sys.modules), handle)
"""

IMPORT = """\
import json, sys
import {module}
with open(sys.argv[1], "w") as handle:
    json.dump(sorted(sys.modules), handle)
"""


def loaded(tmp_path: Path, code: str, *args: str) -> tuple[set[str], str]:
    """Top-level packages loaded by `code` in a fresh interpreter, and what it printed."""
    listing = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", code, str(listing), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules = json.loads(listing.read_text())
    return {m.split(".")[0] for m in modules}, done.stdout


@pytest.mark.parametrize("module", ["gigmatch", "gigmatch.cli.app"])
def test_importing_the_cli_loads_nothing_heavy(tmp_path, module):
    packages, _ = loaded(tmp_path, IMPORT.format(module=module))
    assert not packages & HEAVY, sorted(packages & HEAVY)


@pytest.mark.parametrize(
    "args", [["--help"], ["match", "--help"], ["assign", "--help"], ["report", "--help"]]
)
def test_help_loads_nothing_heavy(tmp_path, args):
    packages, printed = loaded(tmp_path, RUN, json.dumps(args))
    assert "Usage" in printed
    assert not packages & HEAVY, sorted(packages & HEAVY)


def test_version_is_answered_before_typer_and_rich(tmp_path):
    packages, printed = loaded(tmp_path, RUN, json.dumps(["--version"]))
    assert printed == f"gigmatch {__version__}\n"
    assert not packages & (HEAVY | {"typer", "rich"})


def test_help_renders_without_markdown_and_traceback_modules(tmp_path):
    """typer's help renderer imports rich.markdown and rich.traceback for what gigmatch's
    help never shows; `import_help_renderer` keeps them (and markdown-it, pygments) out."""
    modules, _ = loaded(tmp_path, RUN, json.dumps(["--help"]))
    assert not modules & {"markdown_it", "pygments", "mdurl"}
    listing = tmp_path / "modules.json"
    names = set(json.loads(listing.read_text()))
    assert "typer.rich_utils" in names
    assert not names & {"rich.markdown", "rich.traceback", "rich.syntax"}


PROCESS = """\
import gc, json, os, runpy, sys
sys.argv = ["gigmatch", "--help"]
try:
    runpy.run_module("gigmatch", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print(json.dumps([os.environ.get("OPENBLAS_NUM_THREADS"), gc.get_freeze_count() > 0]))
"""


@pytest.mark.parametrize(("chosen", "expected"), [(None, "1"), ("3", "3")])
def test_the_entry_point_sets_one_blas_thread_and_freezes_the_collector(chosen, expected):
    """The console script asks for one OpenBLAS thread (a user's own setting wins) and, the
    command done, freezes the collector so that shutdown does not scan every object."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if chosen is not None:
        env["OPENBLAS_NUM_THREADS"] = chosen
    done = subprocess.run(
        [sys.executable, "-c", PROCESS], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1]) == [expected, True]


SAME_HELP = """\
import runpy, sys
{preload}
sys.argv = ["gigmatch", *sys.argv[1:]]
try:
    runpy.run_module("gigmatch", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
import rich.markdown, rich.traceback, typer.rich_utils
assert typer.rich_utils.Markdown("*a*").markup == "*a*"  # the real class, imported on use
try:
    raise ValueError("boom")
except ValueError as exc:
    shown = typer.rich_utils.Traceback.from_exception(type(exc), exc, exc.__traceback__)
assert isinstance(shown, rich.traceback.Traceback)
assert rich.markdown.Markdown.__module__ == "rich.markdown"
"""


@pytest.mark.parametrize("args", [["--help"], ["match", "--help"]])
def test_help_is_the_same_with_the_stand_ins(args):
    """The same help text as typer renders with the real modules loaded first (no stand-in
    then), and afterwards the real modules, and typer's names for them, work as usual."""
    texts = [
        subprocess.run(
            [sys.executable, "-c", SAME_HELP.format(preload=preload), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            env={**os.environ, "COLUMNS": "100"},
        ).stdout
        for preload in ("", "import rich.markdown, rich.traceback")
    ]
    assert "Usage" in texts[0]
    assert texts[0] == texts[1]


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_a_quiet_run_to_a_file_loads_no_rich(tmp_path):
    """`--quiet -o file` prints nothing to a terminal: the stderr console is made on first
    use and the help texts are escaped without rich, so rich is never imported."""
    out = tmp_path / "ranked.csv"
    args = ["match", str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv")]
    packages, _ = loaded(tmp_path, RUN, json.dumps([*args, "--quiet", "-o", str(out)]))
    assert "rich" not in packages
    assert out.read_text("utf-8").startswith("project_id,")


@given(st.text(alphabet="[]\\/#@abZ1 =", max_size=30))
def test_help_escaping_is_richs(text):
    from rich.markup import escape

    assert escape_markup(text) == escape(text)


def test_every_commands_help_escapes_as_rich_would():
    from rich.markup import escape

    group = typer.main.get_command(app)
    for name in COMMANDS:
        doc = command_function(name).__doc__ or ""
        assert group.get_command(None, name).help == "\n\n".join(
            escape(" ".join(p.split("\n"))) for p in inspect.cleandoc(doc).split("\n\n")
        )


def test_a_run_imports_only_its_own_command_module(tmp_path):
    """Commands are built on first use: `match` neither imports nor builds the other eleven,
    while `--help` (above) still lists every one of them."""
    out = tmp_path / "ranked.csv"
    args = ["match", str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv")]
    loaded(tmp_path, RUN, json.dumps([*args, "--quiet", "-o", str(out)]))
    names = set(json.loads((tmp_path / "modules.json").read_text()))
    commands = {n for n in names if n.startswith("gigmatch.cli.")} - {"gigmatch.cli.app"}
    assert commands == {"gigmatch.cli.match", "gigmatch.cli.options", "gigmatch.cli.session"}


def test_help_lists_every_command_in_order():
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    listed = re.findall(r"^│ (\w+) ", result.stdout, re.MULTILINE)
    assert listed == list(COMMANDS)
    assert len(COMMANDS) == 12


COLLECTOR = """\
import gc, json, sys
from gigmatch.cli import session

seen = {}
from_environment, config = session.Session.from_environment, session.Session.config

def started(*args, **kwargs):  # the app's callback, during start-up
    seen["start-up"] = gc.isenabled()
    return from_environment(*args, **kwargs)

def body(self, *args, **kwargs):  # the first thing `match` does
    seen["work"] = [gc.isenabled(), gc.get_freeze_count() > 0, "pandas" in sys.modules]
    return config(self, *args, **kwargs)

session.Session.from_environment, session.Session.config = staticmethod(started), body
sys.argv = ["gigmatch", *json.loads(sys.argv[1])]
from gigmatch.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(seen))
"""


def test_the_collector_is_paused_for_start_up_only(tmp_path):
    """The entry point pauses the collector while the run imports its modules (pandas
    included) and lets it run, start-up frozen out of its reach, once the command's body
    starts: the work's own garbage is collected as usual."""
    args = ["match", str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv")]
    done = subprocess.run(
        [sys.executable, "-c", COLLECTOR, json.dumps([*args, "-o", str(tmp_path / "out.csv")])],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.splitlines()[-1]) == {
        "start-up": False,
        "work": [True, True, True],
    }


def test_in_process_runs_leave_the_collector_alone(tmp_path):
    import gc

    frozen = gc.get_freeze_count()
    args = ["match", str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv")]
    result = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_a_match_without_free_text_loads_no_scipy(tmp_path):
    """The skill model and the numpy pass work on `score/csr.py`'s matrices: a pool without
    free text is matched, and its ranking written, without importing scipy (0.1 s of a
    one-second run)."""
    out = tmp_path / "ranked.csv"
    args = ["match", str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv")]
    packages, _ = loaded(tmp_path, RUN, json.dumps([*args, "--quiet", "-o", str(out)]))
    assert "scipy" not in packages
    assert "numpy" in packages  # it did score
    rows = out.read_text("utf-8").splitlines()
    assert rows[0].startswith("project_id,") and len(rows) > 1
