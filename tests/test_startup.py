"""Start-up stays light: `gigmatch --help` and `--version` never load the numeric stack.

Each case runs in a fresh interpreter (the test process has imported everything already) and
lists the modules loaded by then. Timing is left to benchmarks/bench_match.py; this guards
the cause of slow start-up: a module-level import of pandas, numpy, scipy, OR-Tools…
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gigmatch import __version__

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
