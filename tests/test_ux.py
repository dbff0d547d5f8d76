"""Everyday use (issue 15): typed spreadsheets, formats that agree with file names, `match
--person`, the compact view, and views that fit 80 and 120 columns."""

from __future__ import annotations

import csv
import importlib
import io
import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, write
from openpyxl import load_workbook
from rich.console import Console
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.errors import ExitCode
from gigmatch.score.ranking import MATCH_COLUMNS

runner = CliRunner()
PROJECTS, PEOPLE = EXAMPLES / "projects.csv", EXAMPLES / "people.csv"
NUMERIC = {"rank", "score", *(c for c in MATCH_COLUMNS if c.endswith("_score"))}


def run(*args: object, **kwargs):
    return runner.invoke(app, [str(a) for a in args], **kwargs)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def sheets(path: Path):
    return load_workbook(path).worksheets


# ---- spreadsheets ---------------------------------------------------------------------------


def assert_typed(sheet) -> None:
    """No cell holds a number as text; every table sheet has a frozen header and a filter."""
    assert sheet.freeze_panes == "A2", sheet.title
    assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert not _looks_numeric(cell.value), (sheet.title, cell.coordinate, cell.value)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return text in ("[]", "True", "False", "None")
    return True


def test_match_xlsx_has_numbers_filters_and_a_row_per_empty_project(tmp_path):
    out = tmp_path / "ranked.xlsx"
    result = run("match", PROJECTS, PEOPLE, "--min-score", "70", "-o", out)
    assert result.exit_code == 0, result.output
    (sheet,) = sheets(out)
    assert_typed(sheet)
    header = [c.value for c in sheet[1]]
    body = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    for row in body:
        for column in NUMERIC & set(header):
            assert row[column] is None or isinstance(row[column], int | float)
    blank = [r for r in body if r["person_id"] is None]
    assert blank, "projects with no candidate scoring 70 get a row"
    assert "with no candidate" in result.stderr
    listed = {r["project_id"] for r in body}
    assert len(listed) == 22  # every project of the examples is in the file
    no_empty = tmp_path / "only.xlsx"
    args = ("--min-score", "70", "--no-include-empty", "-o", no_empty)
    assert run("match", PROJECTS, PEOPLE, *args).exit_code == 0
    (sheet,) = sheets(no_empty)
    assert all(r[3] is not None for r in sheet.iter_rows(min_row=2, values_only=True))


def test_include_empty_in_csv_keeps_whole_number_ranks(tmp_path):
    out = tmp_path / "ranked.csv"
    assert run("match", PROJECTS, PEOPLE, "--min-score", "70", "-o", out).exit_code == 0
    parsed = rows(out.read_text())
    assert {r["rank"] for r in parsed} <= {"", "1", "2", "3", "4", "5"}
    empty = [r for r in parsed if not r["person_id"]]
    assert empty and all(r["rank"] == "" and r["score"] == "" for r in empty)
    piped = run("match", PROJECTS, PEOPLE, "--min-score", "70")  # stdout: off unless asked
    assert all(r["person_id"] for r in rows(piped.stdout))
    asked = run("match", PROJECTS, PEOPLE, "--min-score", "70", "--include-empty", "-f", "json")
    assert any(r["person_id"] is None for r in json.loads(asked.stdout))


def test_assign_xlsx_every_sheet_is_typed(tmp_path):
    out = tmp_path / "plan.xlsx"
    result = run("assign", PROJECTS, PEOPLE, "-o", out)
    assert result.exit_code == 0, result.output
    book = sheets(out)
    for sheet in book:
        assert_typed(sheet)
    summary = {r[0]: r[1] for r in book[-1].iter_rows(min_row=2, values_only=True)}
    assert isinstance(summary["total_score"], float) and isinstance(summary["places"], int)


def test_xlsx_text_that_looks_like_a_formula_is_text(tmp_path):
    people = write(
        tmp_path, "people.csv", "id,name,skills,rate\nF1,=1+1,React,50\nF2,-Bob-,Go,40\n"
    )
    projects = write(tmp_path, "projects.csv", "id,title,skills,budget\nP1,+44 20 7946,React,60\n")
    out = tmp_path / "ranked.xlsx"
    assert run("match", projects, people, "-o", out).exit_code == 0
    (sheet,) = sheets(out)
    values = [c.value for c in sheet[2]]
    assert "=1+1" in values and "+44 20 7946" in values
    assert all(not str(v).startswith("'") for v in values if v is not None)
    csv_out = tmp_path / "ranked.csv"
    assert run("match", projects, people, "-o", csv_out).exit_code == 0
    assert "'=1+1" in csv_out.read_text()  # CSV has no types: the apostrophe stays


# ---- formats and file names ------------------------------------------------------------------


def test_format_and_extension_must_agree(tmp_path):
    out = tmp_path / "out.json"
    result = run("match", PROJECTS, PEOPLE, "-o", out, "-f", "csv")
    assert result.exit_code == ExitCode.USAGE
    assert "gigmatch: error: --format csv does not match" in result.stderr
    assert not out.exists()
    assert run("match", PROJECTS, PEOPLE, "-o", out, "-f", "json").exit_code == 0


def test_dash_is_stdout(tmp_path):
    result = run("match", PROJECTS, PEOPLE, "-o", "-", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["project_id"] == "P-101"


# ---- match --person --------------------------------------------------------------------------


def test_person_lists_their_best_projects_with_the_same_scores():
    both = run("match", PROJECTS, PEOPLE, "--person", "F-009", "--person", "F-001", "-n", "3")
    assert both.exit_code == 0, both.output
    parsed = rows(both.stdout)
    assert list(parsed[0]) == MATCH_COLUMNS
    assert [r["person_id"] for r in parsed] == ["F-009"] * 3 + ["F-001"] * 3
    assert [r["rank"] for r in parsed[:3]] == ["1", "2", "3"]
    scores = [float(r["score"]) for r in parsed[:3]]
    assert scores == sorted(scores, reverse=True)
    every = rows(run("match", PROJECTS, PEOPLE, "-n", "0").stdout)
    same = {(r["project_id"], r["person_id"]): r["score"] for r in every}
    assert all(same[(r["project_id"], r["person_id"])] == r["score"] for r in parsed)
    best = max((r for r in every if r["person_id"] == "F-009"), key=lambda r: float(r["score"]))
    assert parsed[0]["project_id"] == best["project_id"]


def test_unknown_person_suggests_an_id():
    result = run("match", PROJECTS, PEOPLE, "--person", "F-0001")
    assert result.exit_code == ExitCode.USAGE
    assert "no person with id 'F-0001'" in result.stderr and "did you mean 'F-001'" in result.stderr


# ---- terminal views ---------------------------------------------------------------------------


def render(renderable, width: int) -> str:
    console = Console(width=width, color_system=None, emoji=False, highlight=False)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


@pytest.mark.parametrize("width", [80, 120])
def test_compact_view_fits_and_keeps_every_key_column(width):
    from gigmatch.api import rank
    from gigmatch.present.views.compact import compact_view
    from gigmatch.read.schema import read

    people = read(PEOPLE, "people", None)
    ranking = rank(PROJECTS, people, top=3)
    text = render(compact_view(ranking.frame, ranking.projects, people.frame), width)
    assert max(len(line) for line in text.splitlines()) <= width
    first = next(line for line in text.splitlines() if line.startswith("1 "))
    assert "88.7" in first and "Marta Kowalczyk" in first and "95 / 90" in first
    assert len(text.splitlines()) < 22 * 6  # one line a candidate, two a project


def test_view_option_and_default_by_screen_height():
    args = ("match", PROJECTS, PEOPLE, "-f", "table", "--no-pager")
    compact = run(*args, "--view", "compact", env={"COLUMNS": "80", "LINES": "40"})
    assert compact.exit_code == 0, compact.output
    assert "Rate / budget" in compact.stdout and "✗ missing" not in compact.stdout
    full = run(*args, "--view", "full", env={"COLUMNS": "80", "LINES": "40"})
    assert "✗ missing" in full.stdout
    auto = run(*args, env={"COLUMNS": "80", "LINES": "40"})
    assert "Rate / budget" in auto.stdout  # the cards would not fit 40 lines
    one = run(*args, "-p", "P-101", "-n", "1", env={"COLUMNS": "80", "LINES": "40"})
    assert "Rate / budget" not in one.stdout  # one card fits: the full view


# ---- the command line itself --------------------------------------------------------------------

COMMANDS = ["match", "init", "assign", "check", "skills", "explain", "tune", "forecast", "price",
            "report"]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_plain_metavars_and_reflows(command):
    wide = run(command, "--help", env={"COLUMNS": "160"})
    assert wide.exit_code == 0, wide.output
    assert "<bool>" not in wide.stdout and "<str>" not in wide.stdout
    usage = next(ln for ln in wide.stdout.splitlines() if "Usage:" in ln)
    assert "{" not in usage and "<" not in usage  # PROJECTS, not {PROJECTS}
    module = importlib.import_module(f"gigmatch.cli.{command}")
    paragraph = " ".join(getattr(module, command).__doc__.split("\n\n")[1].split())
    shown = next(ln.strip() for ln in wide.stdout.splitlines() if paragraph[:30] in ln)
    assert len(shown) >= min(len(paragraph), 150), "a paragraph reflows to the terminal's width"
    narrow = run(command, "--help", env={"COLUMNS": "80"})
    assert max(len(ln) for ln in narrow.stdout.splitlines()) <= 80


def test_help_shows_brackets_literally_and_completion_is_on():
    assert "[aliases] table" in run("skills", "--help", env={"COLUMNS": "160"}).stdout
    assert "--install-completion" in run("--help").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("match", "--top", "abc", "a", "b"), "Invalid value for '--top' / '-n': 'abc'"),
        (("mach",), "No such command 'mach'. Did you mean 'match'?"),
        (("match", "a"), "Missing argument 'PEOPLE'"),
        (("match", "--tpo", "3", "a", "b"), "No such option: --tpo"),
    ],
)
def test_usage_errors_are_one_line_like_data_errors(args, message):
    result = run(*args)
    assert result.exit_code == ExitCode.USAGE
    first = result.stderr.splitlines()[0]
    assert first.startswith("gigmatch: error: ") and message in first
    assert "╭" not in result.stderr and "Traceback" not in result.stderr


def test_did_you_mean_for_config_keys_and_kept_columns(tmp_path):
    config = write(tmp_path, "gigmatch.toml", "[weights]\nskils = 2\n")
    bad_key = run("match", PROJECTS, PEOPLE, "-c", config)
    assert bad_key.exit_code == ExitCode.CONFIG
    assert "unknown key 'skils' in [weights]" in bad_key.stderr
    assert "did you mean 'skills'?" in bad_key.stderr
    bad_column = run("match", PROJECTS, PEOPLE, "--keep", "emial")
    assert bad_column.exit_code == ExitCode.USAGE
    assert "no column 'emial' in either input file; did you mean 'email'?" in bad_column.stderr


# ---- README ------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_blocks_run_from_the_repo_root(monkeypatch, capsys):
    """The library snippets (```python blocks) run as a reader would paste them, in order,
    from a clone; ```py blocks are sketches that name the reader's own files."""
    import re

    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert len(blocks) >= 2
    namespace: dict[str, object] = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert "project_id" in capsys.readouterr().out  # the first snippet prints a table


def test_example_outputs_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    for name in ("ranked.*", "plan.*", "report.html", "gigmatch.toml"):
        assert f"/{name}" in ignored


# ---- every view at 80 and 120 columns ----------------------------------------------------------

E = EXAMPLES
AS_OF = ("--as-of", "2026-11-20")
VIEWS = {
    # command line, text every width must show whole (ids, key headers)
    "match full": (("match", PROJECTS, PEOPLE, "--view", "full", "-n", "2"), ["P-101", "F-001"]),
    "match compact": (("match", PROJECTS, PEOPLE, "--view", "compact"), ["F-001", "95 / 90"]),
    "match person": (("match", PROJECTS, PEOPLE, "--person", "F-001"), ["P-102", "95 / 110"]),
    "price": (
        ("price", PROJECTS, PEOPLE, "-H", E / "history.csv"),
        ["Project", "Budget", "Suggested", "Flag", "P-101", "P-122"],
    ),
    "forecast": (
        ("forecast", E / "history.csv", "--people", PEOPLE, *AS_OF),
        ["Skill", "Next 3", "80% band", "Python"],
    ),
    "check": (("check", PROJECTS, PEOPLE, "-H", E / "history.csv"), ["Row", "Message"]),
    "tune": (("tune", E / "history.csv", "--people", PEOPLE, *AS_OF), ["availability"]),
    "assign": (("assign", PROJECTS, PEOPLE), ["P-101", "F-001"]),
    "skills": (("skills", PROJECTS, PEOPLE), ["Skill", "Spellings", "Python", "People"]),
    "explain": (
        ("explain", PROJECTS, PEOPLE, "P-114", "F-044", "-H", E / "history.csv", *AS_OF),
        ["P-114", "F-044", "project", "2026-"],
    ),
}


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", list(VIEWS))
def test_every_view_fits_the_terminal_and_keeps_its_key_columns(name, width):
    args, keys = VIEWS[name]
    result = run(*args, "-f", "table", "--no-pager" if name.startswith("match") else "-q",
                 env={"COLUMNS": str(width), "LINES": "50"})  # fmt: skip
    assert result.exit_code in (0, ExitCode.CHECK_FAILED), result.output
    lines = result.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= width
    for key in keys:
        assert key in result.stdout, f"{name} at {width}: {key!r} cut or missing"


# ---- report -----------------------------------------------------------------------------------


def test_report_charts_are_responsive_with_whole_counts_and_labelled_forecasts():
    import re

    args = ("report", PROJECTS, PEOPLE, "-H", E / "history.csv", *AS_OF)
    result = run(*args)
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert "as of 2026-11-20" in html
    svgs = re.findall(r"<svg class=\"chart\"[^>]*>", html)
    assert svgs and all('width="100%"' in s for s in svgs)
    for chart in re.findall(r"<svg class=\"chart\".*?</svg>", html, re.S):
        if "places per month" in chart or "people" in chart:  # count axes
            ticks = re.findall(r'text-anchor="end" fill="#555">([^<]+)</text>', chart)
            assert all("." not in t for t in ticks), ticks
    for period in ("2026-11", "2026-12", "2027-01"):  # every forecast period is labelled
        assert f">{period}</text>" in html
    forecast = run("forecast", E / "history.csv", "--people", PEOPLE, *AS_OF, "-f", "csv")
    line = next(ln for ln in forecast.stderr.splitlines() if ln.startswith("back-test"))
    mae, naive, better = re.search(r"MAE ([\d.]+) .* vs ([\d.]+) .*\((\d+)% better", line).groups()
    note = re.search(r"Back-test on [^<]*", html)[0]
    assert f"error {float(mae):g} " in note and f"against {float(naive):g} " in note
    assert f"({better}% better)" in note


def test_report_names_skills_as_the_projects_file_does():
    html = run("report", PROJECTS, PEOPLE, *AS_OF).stdout
    assert ">AWS</text>" in html and ">Amazon Web Services</text>" not in html
    assert "AWS" in PROJECTS.read_text()
