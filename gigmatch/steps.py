"""How far a long piece of library work has got, told to whoever is watching.

A `Progress` is a plain callback, `progress(done, total)`: `done` units of `total` are finished.
`total` 0 says the work goes on but its size is not known (a solver searching), so a watcher
can show a spinner instead of a bar. The library calls it from the loops that take time
(scoring blocks, cross-validation folds, the phases of `check` and `report`) and never knows
about terminals: the CLI turns the calls into a rich bar on stderr (`gigmatch.present.progress`);
by default the callback is None and nothing is called.
"""

from __future__ import annotations

from collections.abc import Callable

# (units done, units in all; 0 = size unknown)
Progress = Callable[[int, int], None]

UNITS = 1000  # units per phase in `part`: fine enough for a bar, whole numbers for the watcher


def tell(progress: Progress | None, done: int, total: int) -> None:
    """Call `progress` when there is one (the loops stay one line per report).

    >>> seen = []
    >>> tell(lambda d, t: seen.append((d, t)), 2, 5); tell(None, 3, 5); seen
    [(2, 5)]
    """
    if progress is not None:
        progress(done, total)


def searching(progress: Progress | None) -> None:
    """Say that the work goes on with no known size (a solver's search)."""
    tell(progress, 0, 0)


def part(progress: Progress | None, index: int, parts: int) -> Progress | None:
    """The callback for phase `index` (from 0) of `parts` equal phases: the phase's own
    (done, total) become a share of the whole, so a bar moves on through every phase instead
    of refilling. Work of unknown size inside the phase (total 0) keeps the bar where it is.

    >>> seen = []
    >>> planning = part(lambda d, t: seen.append((d, t)), 1, 4)
    >>> planning(1, 2); planning(2, 2); planning(0, 0); seen
    [(1500, 4000), (2000, 4000), (2000, 4000)]
    >>> part(None, 0, 3) is None
    True
    """
    if progress is None:
        return None
    start, whole = index * UNITS, max(parts, 1) * UNITS
    share = 0

    def report(done: int, total: int) -> None:
        nonlocal share
        if total > 0:
            share = UNITS * min(max(done, 0), total) // total
        progress(start + share, whole)

    return report


def reached(progress: Progress | None, index: int, parts: int) -> None:
    """Phase `index` of `parts` begins (so the phases before it are done)."""
    tell(progress, index * UNITS, max(parts, 1) * UNITS)


def counter(progress: Progress | None, total: int) -> Callable[[], None]:
    """A function to call as each of `total` steps ends; it tells `progress` how many have.

    >>> seen = []
    >>> step = counter(lambda d, t: seen.append((d, t)), 2)
    >>> step(); step(); seen
    [(1, 2), (2, 2)]
    """
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        tell(progress, min(done, total), total)

    return step
