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
    try:
        run()
    finally:
        _finished()


def _finished() -> None:
    """Ignore Ctrl-C from here on: the command has finished (its output written, its exit
    code chosen), and Python's shutdown, which frees a large run's memory, restores the
    default SIGINT action, so a Ctrl-C landing there would kill the process by the signal
    instead of ending it with the documented code. Only the process's own entry point does
    this; `cli.app.main`, which tests call in-process, leaves the signal alone."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
