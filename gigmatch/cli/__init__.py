"""The `gigmatch` command line: the app and one module per command group.

`main` lives here, not in `app.py`, so that the console script's first import is this small
module: Ctrl-C while typer, rich and the commands are still being imported exits 130 quietly
too, like Ctrl-C at any later moment.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # errors.ExitCode.INTERRUPTED, without importing anything yet


def main() -> None:
    """Console-script entry point (kept here so `gigmatch.cli:main` never moves)."""
    try:
        from gigmatch.cli.app import main as run
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    run()
