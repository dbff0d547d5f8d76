"""A hostile corpus: data, configs, flags and paths that try to break gigmatch's promises.

Shared by `tests/test_reliability.py` (a fast selection) and `benchmarks/hostile.py` (the whole
battery). Each `Case` is one command line run in a folder holding the files of `write_agency`;
it says which exit code the README promises and which files the run may change.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Text that would be an instruction somewhere: rich markup, a rich link, emoji codes, terminal
# escapes, a spreadsheet formula, a bidi override, DEL.
MARKUP = "[bold red]Mallory[/]"
LINK = "[link=file:///etc/passwd]click me[/link]"
EMOJI = ":pile_of_poo:"
ESCAPE = "\x1b[31mred\x1b[0m"
FORMULA = '=HYPERLINK("http://evil.example","x")'
HOSTILE_TEXTS = (MARKUP, LINK, EMOJI, ESCAPE, FORMULA, "Ren\u202eeve", "DEL\x7fchar")
POO = "\N{PILE OF POO}"

COMMANDS = (
    "match",
    "init",
    "assign",
    "check",
    "skills",
    "explain",
    "tune",
    "forecast",
    "price",
    "report",
)


def _csv(rows: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def projects_rows() -> list[list[object]]:
    head = ["id", "title", "skills", "nice_to_have", "budget", "hours", "team_size", "timezone",
            "client"]  # fmt: skip
    return [
        head,
        ["P1", f"{MARKUP} shop {EMOJI}", f"React:4; {LINK}; Python", "Docker", 60, 20, 1,
         "Europe/Berlin", f"{EMOJI} Corp"],
        ["P2", f"{ESCAPE} pipeline", "Python; SQL", FORMULA, 80, 30, 2, "UTC-5", "Globex"],
        [EMOJI, "Emoji id", f"{EMOJI}; Figma", "", 50, 10, 1, "", MARKUP],
        ["P4", "Plain", "Pyth\x7fon; SQL", "", 70, 10, 1, "UTC+1", "Acme"],
    ]  # fmt: skip


def people_rows() -> list[list[object]]:
    head = ["id", "name", "skills", "rate", "hours", "rating", "reviews", "on_time", "timezone",
            "capacity", "email"]  # fmt: skip
    return [
        head,
        ["F1", MARKUP, f"ReactJS:5; {LINK}; Python", 55, 30, 4.8, 150, "95%", "Europe/Paris", 1,
         "a@example.com"],
        ["F2", f"Bo {EMOJI}", f"{EMOJI}; Figma; React", 40, 40, 5.0, 1, 1.0, "Asia/Shanghai", 1,
         "b@example.com"],
        ["F3", ESCAPE, "Python; SQL; Pyth\x7fon", 70, 40, 4.5, 20, 0.9, "America/New_York", 2,
         FORMULA],
        [MARKUP, "Ren\u202eeve", "Figma; SQL", 45, 10, 4.0, 3, "80%", "", 1, "d@example.com"],
        ["F5", "DEL\x7fchar", "python3; MySQL; Docker", 90, 40, 4.9, 80, "98%", "UTC-5", 1,
         "e@example.com"],
    ]  # fmt: skip


def history_rows(with_client: bool = True) -> list[list[object]]:
    """Three years of monthly records with good and poor ratings (enough for tune and forecast)."""
    people = ["F1", "F2", "F3", MARKUP, "F5"]
    skills = [f"React; {LINK}", f"{EMOJI}; Figma", "Python; SQL", "Figma", "Docker; MySQL"]
    clients = [f"{EMOJI} Corp", "Globex", MARKUP, "Acme", ""]
    head = ["person_id", "project_id", "date", "rating", "on_time", "skills", "client", "hours"]
    rows: list[list[object]] = []
    for n in range(36):
        year, month = 2023 + n // 12, n % 12 + 1
        for k in range(2):
            i = (n + k * 2) % 5
            rating = [5.0, 3.0, 4.5, 2.5, 4.8][(n + k) % 5]
            rows.append([people[i], f"H-{n}-{k}", f"{year}-{month:02d}-{10 + k}", rating,
                         "yes" if rating > 3 else "no", skills[i], clients[i], 40])  # fmt: skip
    if not with_client:
        head = head[:6] + head[7:]
        rows = [r[:6] + r[7:] for r in rows]
    return [head, *rows]


def write_agency(folder: Path) -> dict[str, Path]:
    """The hostile agency: projects, people, history and a config, as real files."""
    files = {
        "projects": ("projects.csv", _csv(projects_rows())),
        "people": ("people.csv", _csv(people_rows())),
        "history": ("history.csv", _csv(history_rows())),
        "config": ("my.toml", "[weights]\nskills = 0.5\n"),
    }
    paths = {}
    for kind, (name, text) in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths[kind] = path
    plan = folder / "plan.csv"
    plan.write_text("project_id,person_id,score\nP1,F1,80\nP2,F3,70\n", encoding="utf-8")
    paths["plan"] = plan
    return paths


# ---- the runs ---------------------------------------------------------------------------------

#: A command's usual arguments, with {projects}, {people}, {history}, {plan} filled in per folder.
BASE = {
    "match": ["match", "{projects}", "{people}"],
    "init": ["init", "new.toml"],
    "assign": ["assign", "{projects}", "{people}"],
    "check": ["check", "{projects}", "{people}", "--history", "{history}"],
    "skills": ["skills", "{projects}", "{people}"],
    "explain": ["explain", "{projects}", "{people}", "P1", "F1", "--history", "{history}",
                "--as-of", "2026-01-01"],
    "tune": ["tune", "{history}", "--people", "{people}", "--folds", "2", "--as-of", "2026-01-01"],
    "forecast": ["forecast", "{history}", "--people", "{people}", "--as-of", "2026-01-01"],
    "price": ["price", "{projects}", "{people}", "--history", "{history}"],
    "report": ["report", "{projects}", "{people}", "--plan", "{plan}"],
}  # fmt: skip

#: The format each command is parsed back in when it writes data to stdout.
PARSE_AS = {"explain": "json", "tune": "json", "forecast": "json"}

#: The input file each command reads that `-o` must never replace.
AN_INPUT = {
    "match": "{people}",
    "assign": "{projects}",
    "check": "{history}",
    "skills": "{people}",
    "explain": "{history}",
    "tune": "{people}",
    "forecast": "{history}",
    "price": "{history}",
    "report": "{plan}",
}


@dataclass(frozen=True)
class Case:
    """One run: its arguments, the exit code promised, and what the run may write."""

    name: str
    args: list[str]
    exit_code: int
    writes: tuple[str, ...] = ()  # file names the run may create or change
    parse: str | None = None  # "csv" or "json": stdout parsed back when the run succeeds
    stderr_has: str = ""  # a piece of the promised message
    setup: Callable[[Path], None] | None = field(default=None, compare=False)

    def argv(self, paths: dict[str, Path]) -> list[str]:
        return [a.format(**{k: str(v) for k, v in paths.items()}) for a in self.args]


def _with_output(command: str, target: str) -> list[str]:
    """The command writing to `target` (in a format it can write, whatever the name)."""
    if command == "init":
        return ["init", target, "--force"]
    fmt = [] if command == "report" else ["-f", PARSE_AS.get(command, "csv")]
    return [*BASE[command], *fmt, "-o", target]


def hostile_text_cases() -> list[Case]:
    """Every command on the hostile agency: it works, and says what the data says."""
    cases = []
    for command in COMMANDS:
        if command == "init":
            continue
        if command == "report":
            args, writes = [*BASE["report"], "-o", "report.html"], ("report.html",)
        else:
            fmt = PARSE_AS.get(command, "csv")
            args, writes = [*BASE[command], "-f", fmt], ()
        cases.append(Case(f"{command}-hostile-text", args, 0, writes, PARSE_AS.get(command, "csv")))
    return cases


def output_path_cases() -> list[Case]:
    """`-o` onto an input, a FIFO, a folder, a device: refused, and nothing is replaced."""
    cases = []
    for command in COMMANDS:
        if command in AN_INPUT:
            cases.append(
                Case(f"{command}-o-input", _with_output(command, AN_INPUT[command]), 2,
                     stderr_has="input")
            )  # fmt: skip
        cases.append(
            Case(f"{command}-o-fifo", _with_output(command, "fifo"), 7,
                 stderr_has="FIFO", setup=lambda d: os.mkfifo(d / "fifo"))
        )  # fmt: skip
        cases.append(
            Case(f"{command}-o-devnull", _with_output(command, os.devnull), 7,
                 stderr_has="character device")
        )  # fmt: skip
    cases += [
        Case("match-o-config", ["match", "{projects}", "{people}", "-c", "{config}", "-o",
                                "{config}"], 2, stderr_has="input"),
        Case("match-o-history", ["match", "{projects}", "{people}", "-H", "{history}", "-o",
                                 "{history}"], 2, stderr_has="input"),
        Case("assign-o-previous", ["assign", "{projects}", "{people}", "--keep-previous",
                                   "{plan}", "-o", "{plan}"], 2, stderr_has="input"),
        Case("skills-aliases-onto-config", ["skills", "{projects}", "{people}", "-c",
             "{config}", "--write-aliases", "{config}", "--force"], 2, stderr_has="input"),
        Case("tune-write-onto-people", [*BASE["tune"], "--write", "{people}"], 2,
             stderr_has="input"),
        Case("match-o-folder", [*BASE["match"], "-f", "csv", "-o", "folder"], 2,
             stderr_has="directory", setup=lambda d: (d / "folder").mkdir()),
        Case("match-o-stdout-dash", [*BASE["match"], "-o", "-"], 0, parse="csv"),
        Case("report-o-stdout-dash", [*BASE["report"], "-o", "-"], 0),
        Case("explain-o-stdout-dash", [*BASE["explain"], "-o", "-"], 0, parse="json"),
    ]  # fmt: skip
    return cases


CONFIGS = {
    "nan-weight": ("[weights]\nskills = nan\n", "finite"),
    "inf-weight": ("[weights]\nskills = inf\n", "finite"),
    "huge-weight": ("[weights]\nskills = " + "9" * 400 + "\n", "digit"),
    "workday-nan": ("[thresholds]\nworkday_start = nan\n", "finite"),
    "half-life-nan": ("[history]\nhalf_life_days = nan\n", "finite"),
    "missing-timezone-7": ("[thresholds]\nmissing_timezone = 7\n", "from 0 to 1"),
    "nice-to-have-3": ("[thresholds]\nnice_to_have = 3\n", "from 0 to 1"),
    "level-step-5": ("[thresholds]\nlevel_step = 5\n", "from 0 to 1"),
    "short-name-2.5": ("[thresholds]\nshort_name = 2.5\n", "whole number"),
    "default-level-0": ("[thresholds]\ndefault_level = 0\n", "from 1 to 5"),
    "over-budget-0": ("[thresholds]\nover_budget = 0\n", "from 1 to 1000"),
    "nested-10000": ("x = " + "[" * 10_000 + "]" * 10_000 + "\n", "nested"),
    "nul": ("[weights]\nskills = 0.4\n\x00", "NUL"),
}


def config_cases(commands: tuple[str, ...] = COMMANDS) -> list[Case]:
    """Bad configs: exit 4 with the key and its range, for every command that reads one."""
    cases = []
    for name, (text, message) in CONFIGS.items():
        for command in commands:
            if command == "init":
                continue

            def setup(folder: Path, text: str = text) -> None:
                (folder / "bad.toml").write_bytes(text.encode())

            cases.append(
                Case(f"{command}-config-{name}", [*BASE[command], "-c", "bad.toml"]
                     + (["-o", "r.html"] if command == "report" else []), 4,
                     stderr_has=message, setup=setup)
            )  # fmt: skip
    return cases


def _replace_cell(kind: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """A setup that rewrites one cell of one of the agency's files."""

    def setup(folder: Path) -> None:
        path = folder / f"{kind}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[row][rows[0].index(column)] = value
        path.write_text(_csv(rows), encoding="utf-8")

    return setup


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).write_bytes(data)

    return setup


BIG = "9" * 400


def data_cases(big: bool = True) -> list[Case]:
    """Bad numbers, dates and sizes in data files: exit 3 with a located message."""
    ten_mb = 10 * 1024 * 1024 if big else 200_000
    wide = ",".join(f"c{i}" for i in range(1_000_000 if big else 5_000))
    cases = [
        Case("rate-400-digits", BASE["match"], 3, stderr_has="too large",
             setup=_replace_cell("people", 1, "rate", BIG)),
        Case("budget-400-digits", BASE["match"], 3, stderr_has="too large",
             setup=_replace_cell("projects", 1, "budget", BIG)),
        Case("rate-1e39", BASE["match"], 3, stderr_has="out of range",
             setup=_replace_cell("people", 1, "rate", "1e39")),
        Case("reviews-400-digits", BASE["match"], 3, stderr_has="people.csv:2",
             setup=_replace_cell("people", 1, "reviews", BIG)),
        Case("history-9999", [*BASE["match"], "-H", "{history}"], 3, stderr_has="1900 to 2199",
             setup=_replace_cell("history", 1, "date", "9999-12-31")),
        Case("forecast-9999", BASE["forecast"], 3, stderr_has="1900 to 2199",
             setup=_replace_cell("history", 1, "date", "9999-12-31")),
        Case("as-of-9999", [*BASE["match"], "-H", "{history}", "--as-of", "9999-12-31"], 2,
             stderr_has="1900 to 2199"),
        Case("unary-minus-list", BASE["match"], 3, stderr_has="skill name",
             setup=_replace_cell("people", 1, "skills", "[" + "-" * 20_000 + "1]")),
        Case("skill-10mb", BASE["match"], 3, stderr_has="skill name",
             setup=_replace_cell("people", 1, "skills", "x" * ten_mb)),
        Case("million-columns", ["match", "wide.csv", "{people}"], 3,
             stderr_has="more than 1000 columns", setup=_write("wide.csv", (wide + "\n").encode())),
        Case("nul-after-64k", ["match", "{projects}", "nul.csv"], 3, stderr_has="NUL",
             setup=_write("nul.csv", b"id,skills\n" + b"F1,Python\n" * 8000 + b"F2,\x00x\n")),
        Case("dev-zero-input", ["match", "{projects}", "/dev/zero"], 3, stderr_has="NUL"),
        Case("dev-zero-config", [*BASE["match"], "-c", "/dev/zero"], 4, stderr_has="NUL"),
        Case("dev-zero-history", [*BASE["forecast"][:1], "/dev/zero"], 3, stderr_has="NUL"),
        Case("scores-1e308", ["assign", "--scores", "s.csv"], 3, stderr_has="out of range",
             setup=_write("s.csv", b"project_id,person_id,score\nP1,F1,1e308\n")),
        Case("scores-400-digits", ["assign", "--scores", "s.csv"], 3, stderr_has="too large",
             setup=_write("s.csv", f"project_id,person_id,score\nP1,F1,{BIG}\n".encode())),
        Case("explain-no-client", [*BASE["explain"][:-4], "--history", "h.csv", "-f", "json"], 0,
             parse="json", setup=_write("h.csv", _csv(history_rows(False)).encode())),
        Case("explain-blank-client", [*BASE["explain"][:-4], "--history", "h.csv", "-f",
             "json"], 0, parse="json",
             setup=_write("h.csv", _csv([r[:6] + [""] + r[7:] for r in history_rows()]).encode())),
    ]  # fmt: skip
    return cases


def flag_cases() -> list[Case]:
    """Flags that are not finite or not in range: exit 2, naming the flag."""
    return [
        Case("max-over-budget-inf", [*BASE["match"], "--max-over-budget", "inf"], 2,
             stderr_has="--max-over-budget"),
        Case("explain-max-over-budget-nan", [*BASE["explain"], "--max-over-budget", "nan"], 2,
             stderr_has="--max-over-budget"),
        Case("assign-min-score-nan", [*BASE["assign"], "--min-score", "nan"], 2,
             stderr_has="--min-score"),
        Case("assign-time-limit-inf", [*BASE["assign"], "--time-limit", "inf"], 2,
             stderr_has="--time-limit"),
        Case("price-min-skill-nan", [*BASE["price"], "--min-skill", "nan"], 2,
             stderr_has="--min-skill"),
        Case("forecast-level-nan", [*BASE["forecast"], "--level", "nan"], 2,
             stderr_has="--level"),
        Case("tune-seed-negative", [*BASE["tune"], "--seed", "-1"], 2, stderr_has="--seed"),
        Case("tune-l2-inf", [*BASE["tune"], "--l2", "inf"], 2, stderr_has="--l2"),
        Case("match-top-huge", [*BASE["match"], "--top", "9" * 30], 2, stderr_has="--top"),
    ]  # fmt: skip


def injection_cases() -> list[Case]:
    """Hostile text in messages: shown as written (checked by the caller on stderr)."""
    return [
        Case("explain-unknown-emoji-id", ["explain", "{projects}", "{people}", EMOJI + "x",
                                          "F1"], 2, stderr_has=EMOJI),
        Case("explain-unknown-markup-id", ["explain", "{projects}", "{people}", "P1",
                                           "[bold]nobody[/bold]"], 2,
             stderr_has="[bold]nobody[/bold]"),
        Case("check-file-name", ["check", f"{EMOJI}.csv", "{people}", "-f", "csv"], 0,
             parse="csv", setup=lambda d: (d / f"{EMOJI}.csv").write_text(
                 _csv(projects_rows()), encoding="utf-8")),
        Case("skills-write-aliases-del", [*BASE["skills"], "--write-aliases", "aliases.toml"], 0,
             writes=("aliases.toml",), parse="csv"),
    ]  # fmt: skip


def parse_output(kind: str | None, text: str) -> object:
    """Stdout read back: a list of CSV rows, or a JSON document."""
    if kind == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    if kind == "json":
        return json.loads(text)
    return None


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file of a folder and its bytes, to compare before and after a run."""
    return {
        p.name: p.read_bytes()
        for p in folder.iterdir()
        if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
    }
