"""The progress bar on stderr: the terminal side of `gigmatch.steps.Progress`.

The library only calls `progress(done, total)`; this module decides whether anyone sees it.
A bar is drawn only when stderr is an interactive terminal and `--quiet` is off, and only once
the work has lasted `delay` seconds (a timer thread starts it), so quick runs and pipes never
see a flicker. It is transient: when the work ends, fails or is interrupted (Ctrl-C) the
bar is erased, and nothing of it is left in the scrollback or ever written to stdout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from gigmatch.steps import Progress

DELAY = 1.0  # seconds of work before a bar is worth drawing


@contextmanager
def progress_bar(
    console: Console, label: str, *, enabled: bool, delay: float = DELAY
) -> Iterator[Progress | None]:
    """A `Progress` callback drawing a bar on `console` (stderr), or None when not `enabled`.

    Pass the callback to a library function; leave the block when the work is done and
    before writing results, so the bar is gone first. With `delay` 0 the bar shows at once
    (tests use it).
    """
    if not enabled:
        yield None
        return
    bar = _DelayedBar(console, label, delay)
    bar.open()
    try:
        yield bar.update
    finally:
        bar.close()


class _DelayedBar:
    """A rich progress bar that appears only after `delay` seconds and disappears for good
    when closed, whichever comes first (the timer and the work race; a lock settles it)."""

    def __init__(self, console: Console, label: str, delay: float) -> None:
        from rich.markup import escape
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,  # erased when stopped: the terminal is left as it was
            redirect_stdout=False,  # stdout is data: never routed through the bar
            redirect_stderr=False,
            refresh_per_second=8,
        )
        self._label = escape(label)
        self._task = self._bar.add_task(self._label, total=None)  # a pulse until told a size
        self._known = False
        self._delay = delay
        self._lock = threading.Lock()
        self._state = "waiting"  # -> "shown" -> "closed", or "waiting" -> "closed"
        self._timer: threading.Timer | None = None

    def open(self) -> None:
        """Start the clock (or, with no delay, the bar)."""
        if self._delay <= 0:
            self._show()
            return
        self._timer = threading.Timer(self._delay, self._show)
        self._timer.daemon = True  # never keeps the process alive
        self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._state == "waiting":
                self._bar.start()
                self._state = "shown"

    def update(self, done: int, total: int) -> None:
        """The `Progress` callback: a bar for a known total, a pulse for total 0."""
        with self._lock:
            if self._state == "closed":
                return
            if total > 0:
                self._bar.update(self._task, completed=min(max(done, 0), total), total=total)
                self._known = True
            elif self._known:  # a phase of unknown size begins: back to a pulse
                self._bar.remove_task(self._task)
                self._task = self._bar.add_task(self._label, total=None)
                self._known = False

    def close(self) -> None:
        """Stop the timer and erase the bar (idempotent; also on errors and Ctrl-C)."""
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._state == "shown":
                self._bar.stop()
            self._state = "closed"
