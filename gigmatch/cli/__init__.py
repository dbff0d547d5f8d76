"""The `gigmatch` command line: the app and one module per command group.

`main` lives here, not in `app.py`, so that the console script's first import is this small
module: Ctrl-C while typer, rich and the commands are still being imported exits 130 quietly
too, like Ctrl-C at any later moment.
"""

from __future__ import annotations

import os
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
    _one_blas_thread()
    _pause_collector()
    try:
        from gigmatch.cli.app import main as run
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    try:
        run()
    finally:
        _finished()


def _one_blas_thread() -> None:
    """One OpenBLAS thread per calling thread (numpy's and scipy's wheels bundle OpenBLAS),
    unless the user chose a number: set here, before numpy is imported, as OpenBLAS reads it
    only then.

    By default OpenBLAS starts a thread per core, and its idle threads spin waiting for work.
    The scorer already gives each core a block of projects, so BLAS threads can only compete
    with the blocks for the same cores. When the numpy pass still called BLAS, a 1,000 x
    10,000 `match` took 0.25 s more wall time with them; now that it does not, they still
    cost about 7% of its CPU (same wall time). The output is byte-identical either way."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


_start_up = {"paused": False}


def _pause_collector() -> None:
    """Pause the cyclic garbage collector for the run's start-up, until `start_up_done`.

    Start-up is imports: typer, the command, and for a command that works on data, pandas and
    numpy (see `cli.session.end_start_up`), some 100,000 objects that live as long as the
    process. It makes no garbage, yet the collector, counting allocations, passed over those
    objects again and again while they were made: 30 of the 50 ms it took in a 1,000 x 10,000
    `match`. Only the process's own entry point does this; tests and library callers keep
    their collector as it is."""
    import gc

    if gc.isenabled():
        gc.disable()
        _start_up["paused"] = True


def start_up_done() -> None:
    """Start-up is over, the command's work begins: freeze what start-up made out of the
    collector's reach (it all lives to the end) and let the collector run again, so garbage
    from the work is collected as usual. A no-op unless `_pause_collector` paused it."""
    if _start_up["paused"]:
        import gc

        _start_up["paused"] = False
        gc.freeze()
        gc.enable()


def _finished() -> None:
    """Ready the process to end: the command has finished (its output written and closed,
    its exit code chosen). Only the process's own entry point does this; `cli.app.main`,
    which tests call in-process, leaves the signal and the collector alone.

    Ctrl-C is ignored from here on: Python's shutdown, which frees a large run's memory,
    restores the default SIGINT action, so a Ctrl-C landing there would kill the process by
    the signal instead of ending it with the documented code.

    Every object alive now is frozen out of the cyclic collector's reach: at shutdown Python
    runs full collections over everything the run imported (pandas, numpy, scipy: some
    70,000 tracked objects), which took 0.25 s of a 1,000 x 10,000 `match`, for nothing, as
    the process is about to end. Modules are still torn down, streams flushed and atexit
    handlers run as usual; only garbage cycles still alive now are left to the exit."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
