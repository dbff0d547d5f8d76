"""The whole hostile battery: every case of `tests/hostile_corpus.py` against every command.

    python benchmarks/hostile.py               # in-process runs (CliRunner), a minute or so
    python benchmarks/hostile.py --processes   # plus real processes: /dev/full, closed pipes
                                               # and Ctrl-C at several moments, per command

Each run must give the exit code the README promises, no traceback, output that parses back
and inputs byte-identical afterwards. Prints one line per broken promise and a summary by
kind; exits 1 if any promise broke. `tests/test_reliability.py` runs a fast selection.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from hostile_corpus import (  # noqa: E402
    BASE,
    COMMANDS,
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


def in_process(case: Case, folder: Path) -> str | None:
    """Run one case through CliRunner; the broken promise, or None."""
    from typer.testing import CliRunner

    from gigmatch.cli.app import app

    paths = write_agency(folder)
    if case.setup:
        case.setup(folder)
    before = snapshot(folder)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(app, case.argv(paths))
    finally:
        os.chdir(cwd)
    if "Traceback" in result.stderr or (
        result.exception is not None and not isinstance(result.exception, SystemExit)
    ):
        return f"traceback: {result.exception!r}"
    if result.exit_code != case.exit_code:
        return f"exit {result.exit_code}, promised {case.exit_code}: {result.stderr[-200:]!r}"
    if case.stderr_has not in result.stderr:
        return f"message lacks {case.stderr_has!r}: {result.stderr[-200:]!r}"
    after = snapshot(folder)
    changed = [n for n, data in before.items() if n not in case.writes and after.get(n) != data]
    if changed:
        return f"changed inputs {changed}"
    if result.exit_code == 0 and case.parse:
        try:
            parse_output(case.parse, result.stdout)
        except ValueError as exc:
            return f"output does not parse: {exc}"
    return None


def process_runs(folder: Path) -> list[tuple[str, str | None]]:
    """Real processes per command: stdout on /dev/full (exit 7), stdout and stderr on a closed
    pipe (exit 0), and SIGINT at 0.3, 1 and 2 seconds (exit 130, or 0 if already done)."""
    paths = write_agency(folder)
    outcomes = []
    for command in COMMANDS:
        if command == "init":
            args = ["init", str(folder / "x.toml"), "--force"]
        else:
            args = [a.format(**{k: str(v) for k, v in paths.items()}) for a in BASE[command]]
            args += ["-o", "-"] if command == "report" else []
        gigmatch = [sys.executable, "-m", "gigmatch", *args]
        if command not in ("init",):
            with open("/dev/full", "wb") as full:
                done = subprocess.run(gigmatch, stdout=full, stderr=subprocess.PIPE, timeout=120)
            ok = done.returncode == 7 and b"Traceback" not in done.stderr
            outcomes.append((f"{command}-dev-full", None if ok else f"exit {done.returncode}"))
            read, write = os.pipe()
            os.close(read)
            done = subprocess.run(gigmatch, stdout=write, stderr=write, timeout=120)
            os.close(write)
            ok = done.returncode == 0
            outcomes.append((f"{command}-closed-pipe", None if ok else f"exit {done.returncode}"))
        for delay in (0.3, 1.0, 2.0):
            process = subprocess.Popen(gigmatch, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(delay)
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=120)
            # -2: killed by SIGINT before Python's own handler was installed (interpreter
            # start-up); the shell shows it as 130 too, and nothing was printed or written.
            quiet_kill = process.returncode == -2 and not err
            ok = (process.returncode in (130, 0) or quiet_kill) and b"Traceback" not in err
            outcomes.append(
                (f"{command}-sigint-{delay}s", None if ok else f"exit {process.returncode}")
            )
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", action="store_true", help="also run real processes")
    args = parser.parse_args()
    cases = [
        *hostile_text_cases(),
        *output_path_cases(),
        *config_cases(),
        *data_cases(big=True),
        *flag_cases(),
        *injection_cases(),
    ]
    started = time.perf_counter()
    broken: Counter[str] = Counter()
    runs = 0
    for case in cases:
        with tempfile.TemporaryDirectory() as folder:
            problem = in_process(case, Path(folder))
        runs += 1
        if problem:
            broken[case.name.split("-")[0]] += 1
            print(f"BROKEN {case.name}: {problem}")
    if args.processes:
        with tempfile.TemporaryDirectory() as folder:
            for name, problem in process_runs(Path(folder)):
                runs += 1
                if problem:
                    broken[name.split("-")[0]] += 1
                    print(f"BROKEN {name}: {problem}")
    elapsed = time.perf_counter() - started
    print(f"{runs} runs in {elapsed:.1f} s, {sum(broken.values())} broke a promise")
    for kind, count in sorted(broken.items()):
        print(f"  {kind}: {count}")
    sys.exit(1 if broken else 0)


if __name__ == "__main__":
    main()
