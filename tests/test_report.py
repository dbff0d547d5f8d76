"""`gigmatch report`: one offline HTML file, escaped, deterministic, and drawn in a real browser."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLES, PEOPLE, PROJECTS, write
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.present import charts

runner = CliRunner()
EXAMPLE_ARGS = [str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv")]
HISTORY_ARGS = ["--history", str(EXAMPLES / "history.csv")]
EVIL_NAME = "<script>alert(1)</script>"
EVIL_TITLE = '<img src=x onerror="alert(2)">'


def make_report(tmp_path: Path, *args: str, name: str = "report.html") -> str:
    out = tmp_path / name
    result = runner.invoke(app, ["report", *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text("utf-8")


@pytest.fixture
def evil_inputs(tmp_path: Path) -> list[str]:
    """The conftest fixtures with markup in a person's name and a project's title."""
    projects = PROJECTS.replace("Shop front", f'"{EVIL_TITLE.replace(chr(34), chr(34) * 2)}"')
    people = PEOPLE.replace("Ann Lee", EVIL_NAME)
    return [
        str(write(tmp_path, "projects.csv", projects)),
        str(write(tmp_path, "people.csv", people)),
    ]


def test_report_has_every_section_and_its_charts(tmp_path):
    html = make_report(tmp_path, *EXAMPLE_ARGS, *HISTORY_ARGS)
    for heading in (
        "The pool at a glance",
        "Skill demand vs supply",
        "Score distributions",
        "Staffing plan",
        "Rates against budgets",
        "Demand forecast",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert html.count('<svg class="chart"') == 6 + 6  # six overview charts, six skill forecasts
    for svg in html.split('<svg class="chart"')[1:]:  # every chart opens with its title
        assert svg.split(">", 1)[1].lstrip().startswith("<title>")
    assert "P-108" in html and "budget below every fitting candidate" in html


def test_report_without_history_has_no_forecast(tmp_path):
    html = make_report(tmp_path, *EXAMPLE_ARGS)
    assert "Demand forecast" not in html
    assert html.count('<svg class="chart"') == 6


@pytest.mark.parametrize(
    ("history", "reason"),
    [
        ("person_id,project_id,date,rating,skills\nF1,H1,2026-03-14,5,Python\n",
         "covers no complete period"),
        ("person_id,project_id,date,rating\nF1,H1,2026-01-14,5\nF3,H2,2026-03-14,4\n",
         "lists no skills"),
    ],
)  # fmt: skip
def test_history_that_cannot_be_forecast_leaves_the_forecast_out(
    tmp_path, projects_csv, people_csv, history, reason
):
    past = write(tmp_path, "past-work.csv", history)
    out = tmp_path / "r.html"
    args = [str(projects_csv), str(people_csv), "--history", str(past), "-o", str(out)]
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    assert f"no demand forecast: past-work.csv: the history {reason}" in result.stderr
    html = out.read_text("utf-8")
    section = html.split("<h2>Demand forecast</h2>")[1].split("</section>")[0]
    assert f"no demand forecast: past-work.csv: the history {reason}" in section
    assert "<svg" not in section
    assert "<h2>Rates against budgets</h2>" in html


def test_report_loads_nothing_from_outside(tmp_path):
    html = make_report(tmp_path, *EXAMPLE_ARGS, *HISTORY_ARGS)
    links = re.findall(r"(?:src|href)\s*=|@import|url\(|https?://[^\s\"']+", html)
    assert links == ["http://www.w3.org/2000/svg"] * html.count('<svg class="chart"')
    assert "default-src 'none'" in html


def test_report_is_the_same_bytes_every_run(tmp_path):
    first = make_report(tmp_path, *EXAMPLE_ARGS, *HISTORY_ARGS, name="a.html")
    second = make_report(tmp_path, *EXAMPLE_ARGS, *HISTORY_ARGS, name="b.html")
    assert first == second
    dated = make_report(tmp_path, *EXAMPLE_ARGS, "--as-of", "2026-11-13", name="c.html")
    assert "as of 2026-11-13" in dated


def test_report_escapes_every_input_text(tmp_path, evil_inputs):
    html = make_report(tmp_path, *evil_inputs)
    assert EVIL_NAME not in html and EVIL_TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    assert html.count("<script") == 1  # the report's own


PLAN = """\
project_id,project_title,person_id,person_name,score
P1,Shop front,F1,Ann Lee,90
P2,Data pipeline,F3,Cy Diaz,80
P3,Brand refresh,F4,Di Eze,70
"""


def test_report_shows_the_plan_and_its_unfilled_places(tmp_path, projects_csv, people_csv):
    plan = write(tmp_path, "plan.csv", PLAN)
    html = make_report(tmp_path, str(projects_csv), str(people_csv), "--plan", str(plan))
    assert "The staffing plan given with --plan" in html
    assert "Unfilled places: 1" in html  # P2 needs two people and has one
    assert "plan given, not solved here" in html
    unfilled = html.split("Unfilled places")[1]
    assert "Data pipeline" in unfilled and "Shop front" not in unfilled


def test_report_without_a_plan_shows_the_optimal_plan_with_assigns_headline(tmp_path):
    """Issue 14: the report computes the plan itself (nobody on two projects beyond their
    capacity) and its headline is the sentence `assign` prints, weak fills included."""
    import html as html_lib

    projects, people = EXAMPLES / "projects.csv", EXAMPLES / "people.csv"
    page = make_report(tmp_path, str(projects), str(people))
    assert "No plan given: this is the optimal plan" in page
    result = runner.invoke(app, ["assign", str(projects), str(people), "-f", "csv"])
    assert result.exit_code == 0, result.output
    sentence = result.stderr.strip().splitlines()[-1]
    assert "weak" in sentence and "places filled" in sentence
    assert f"<h3 class='headline'>{html_lib.escape(sentence)}</h3>" in page
    section = page.split("<h2>Staffing plan</h2>")[1].split("</section>")[0]
    plan = list(csv.DictReader(io.StringIO(result.stdout)))
    for row in plan:
        assert html_lib.escape(row["person_name"]) in section
    assert "weak: why" in section and "missing skills" in section
    assert "<section id='staffing-plan'>" in page  # linkable: report.html#staffing-plan


def test_a_file_that_is_not_a_plan_is_a_data_error(tmp_path, projects_csv, people_csv):
    bad = write(tmp_path, "plan.csv", "a,b\n1,2\n")
    out = tmp_path / "r.html"
    args = [str(projects_csv), str(people_csv), "--plan", str(bad), "-o", str(out)]
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 3
    assert "plan.csv:1:project_id: error: no 'project_id' column" in result.stderr
    assert "blank" not in result.stderr  # one line for the missing column, not one per row
    assert not out.exists()


def test_report_goes_to_stdout_without_an_output_file(projects_csv, people_csv):
    """`gigmatch report … > report.html` works, and so does `-o -`; it is dated today."""
    from datetime import date

    for extra in ([], ["-o", "-"]):
        result = runner.invoke(app, ["report", str(projects_csv), str(people_csv), *extra])
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("<!DOCTYPE html>") and "wrote" not in result.stderr
        assert f"as of {date.today().isoformat()}" in result.stdout


def test_chart_helpers_escape_and_scale():
    svg = charts.bars("Rates <b>", ["a&b"], [3.0], "x (units)", "y (units)")
    assert "<title>Rates &lt;b&gt;</title>" in svg and "a&amp;b: 3" in svg
    assert charts.nice_max(31) == 40.0 and charts.ticks(40.0, 4) == [0, 10, 20, 30, 40]


# ---- in a real browser ----------------------------------------------------------------------

BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1366,900",
]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("chromium not installed: apt-get install chromium (Debian)")
    return path


def browse(browser: str, page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [browser, *BROWSER_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def body_attributes(dom: str) -> dict[str, str]:
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    return dict(re.findall(r'(data-[\w-]+)="([^"]*)"', body.group(1)))


def test_report_renders_in_chromium(tmp_path):
    browser = chromium()
    page = tmp_path / "report.html"
    page.write_text(make_report(tmp_path, *EXAMPLE_ARGS, *HISTORY_ARGS), "utf-8")
    dom = browse(browser, page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    seen = body_attributes(dom.stdout)
    assert seen["data-errors"] == "0", seen.get("data-error-text")
    assert seen["data-charts"] == "12"
    assert seen["data-charts-drawn"] == "12"
    shot = tmp_path / "report.png"
    taken = browse(browser, page, tmp_path / "profile", f"--screenshot={shot}")
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_markup_in_the_data_never_runs_in_chromium(tmp_path, evil_inputs):
    browser = chromium()
    page = tmp_path / "evil.html"
    page.write_text(make_report(tmp_path, *evil_inputs, name="evil.html"), "utf-8")
    dom = browse(browser, page, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    seen = body_attributes(dom.stdout)
    assert seen["data-errors"] == "0", seen.get("data-error-text")
    assert dom.stdout.count("<script") == 1 and "<img" not in dom.stdout
    assert EVIL_NAME.replace("<", "&lt;").replace(">", "&gt;") in dom.stdout
