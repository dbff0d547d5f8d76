"""The `gigmatch` command line: the app and one module per command group.

`main` lives here, not in `app.py`, so that the console script's first import is this small
module: Ctrl-C while typer, rich and the commands are still being imported exits 130 quietly
too, like Ctrl-C at any later moment.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # errors.ExitCode.INTERRUPTED, without importing anything yet


def main() -> None:
    """Console-script entry point (kept here so `gigmatch.cli:main` never moves).

    `gigmatch --version` alone is answered here, before typer and rich are imported: scripts
    call it to check the install, and it should cost no more than starting Python."""
    if sys.argv[1:] == ["--version"]:
        from gigmatch import __version__

        try:
            sys.stdout.write(f"gigmatch {__version__}\n")
            sys.stdout.flush()
        except BrokenPipeError:
            pass
        return
    try:
        from gigmatch.cli.app import main as run
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    run()
