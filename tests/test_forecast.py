"""Demand per skill, the damped-trend forecast, its back-test, supply, and `gigmatch forecast`."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from conftest import EXAMPLES, write
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.insights import forecast as fc
from gigmatch.read.config import Config
from gigmatch.score.ranking import read

runner = CliRunner()


def months(n: int, start: str = "2023-01-01") -> np.ndarray:
    first = fc.period_of(np.array([start], "datetime64[D]"), "month")[0]
    return np.arange(first, first + n)


# ---- the forecast on synthetic series with known answers -----------------------------------


def test_a_straight_line_is_continued_exactly():
    series = (5.0 + 2.0 * np.arange(24))[:, None]
    result = fc.predict(series, months(24), "month", 3)
    assert result.point[:, 0] == pytest.approx([53.0, 55.0, 57.0], abs=1e-6)
    assert result.high[:, 0] - result.low[:, 0] == pytest.approx([0, 0, 0], abs=1e-6)
    assert not result.seasonal  # a straight line has no season


def test_a_constant_series_forecasts_the_constant_with_no_spread():
    series = np.full((15, 2), [7.0, 0.0])
    result = fc.predict(series, months(15), "month", 4)
    assert result.point == pytest.approx(np.full((4, 2), [7.0, 0.0]))
    assert result.low == pytest.approx(result.high)


SEASON = np.array([1.0, 1.0, 1.1, 1.1, 1.0, 1.0, 1.2, 1.2, 1.0, 1.0, 1.1, 0.4])  # December dip
SEASON = SEASON / SEASON.mean()


def seasonal(n: int) -> np.ndarray:
    """A trend times a yearly pattern, with a December dip; months from January 2023."""
    t = np.arange(n)
    return ((20.0 + 0.5 * t) * SEASON[t % 12])[:, None]


def test_a_seasonal_series_is_forecast_close_to_the_truth():
    truth = seasonal(48)
    result = fc.predict(truth[:36], months(36), "month", 12)
    assert result.seasonal
    error = np.abs(result.point[:, 0] - truth[36:, 0]) / truth[36:, 0]
    assert error.max() < 0.05
    december = 11
    assert result.point[december, 0] < 0.5 * result.point[december - 1, 0]


def test_the_interval_grows_with_the_horizon():
    rng = np.random.default_rng(7)
    series = (10 + 0.3 * np.arange(20) + rng.normal(0, 1.5, 20))[:, None]
    result = fc.predict(series, months(20), "month", 6)  # under two years: no season
    width = result.high[:, 0] - result.low[:, 0]
    assert np.all(np.diff(width) >= -1e-9)
    assert result.low[0, 0] < result.point[0, 0] < result.high[0, 0]


def test_the_method_beats_the_naive_forecast_on_trend_and_season():
    truth = seasonal(36)
    demand = fc.Demand(
        "month", months(36), np.array([0]), ["X"], truth, truth[:, 0], np.array([1.0]), []
    )
    back = fc.backtest(demand, 6)
    assert back is not None
    assert back.mae[0] < 0.25 * back.naive_mae[0]


def test_seasonal_indices_need_two_full_seasons():
    total = seasonal(23)[:, 0]
    assert fc.seasonal_indices(total, months(23) % 12, 12) == pytest.approx(np.ones(12))
    index = fc.seasonal_indices(seasonal(24)[:, 0], months(24) % 12, 12)
    assert index.mean() == pytest.approx(1.0)
    assert index[11] == pytest.approx(SEASON[11], rel=0.1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=2, max_size=40), st.integers(1, 6))
def test_forecasts_are_ordered_and_never_negative(values, horizon):
    series = np.array(values, dtype=float)[:, None]
    result = fc.predict(series, months(len(values)), "month", horizon)
    assert np.all(result.low >= 0)
    assert np.all(result.low <= result.point + 1e-9)
    assert np.all(result.point <= result.high + 1e-9)


# ---- counting demand ------------------------------------------------------------------------

HISTORY = """\
person_id,project_id,date,skills,hours
F1,H1,2025-01-10,ReactJS; Python; react,10
F2,H2,2025-01-20,React,30
F1,H3,2025-02-05,Python,20
F3,H4,2025-03-31,React.js,40
F2,H5,2025-04-02,React,
"""


@pytest.fixture
def history(tmp_path):
    return read(write(tmp_path, "history.csv", HISTORY), "history")


def test_spellings_are_one_skill_and_a_row_counts_a_skill_once(history):
    vocab = fc.skill_index([history["skills"]], Config())
    demand = fc.demand(fc.history_events(history, vocab), vocab)
    assert demand.names == ["React", "Python"]
    assert demand.labels == ["2025-01", "2025-02", "2025-03"]
    assert demand.places.tolist() == [[2, 1], [0, 1], [1, 0]]
    assert demand.dropped == ["2025-04"]  # the data ends on the 2nd: April is not over
    assert demand.hours_per_place.tolist() == pytest.approx([80 / 3, 15.0])


def test_as_of_keeps_a_period_that_has_ended(history):
    vocab = fc.skill_index([history["skills"]], Config())
    events = fc.history_events(history, vocab)
    demand = fc.demand(events, vocab, as_of=np.datetime64("2025-04-30"))
    assert demand.labels[-1] == "2025-04" and demand.dropped == []
    assert fc.demand(events, vocab, by="week").by == "week"


def test_dated_projects_add_places_and_undated_ones_are_counted(tmp_path, history):
    projects = read(
        write(
            tmp_path,
            "projects.csv",
            "id,skills,team_size,Start Date\nP1,React,2,2025-02-10\nP2,Python,1,\n",
        ),
        "projects",
    )
    vocab = fc.skill_index([history["skills"], projects["skills"]], Config())
    events, undated = fc.project_events(projects, vocab)
    assert undated == 1
    demand = fc.demand(fc._join([fc.history_events(history, vocab), events]), vocab)
    assert demand.places[1].tolist() == [2, 1]  # February: two React places, one Python


def test_supply_counts_people_by_skill_alias_and_fuzzy_spelling(tmp_path, history):
    people = read(
        write(
            tmp_path,
            "people.csv",
            "id,skills,hours\nA,ReactJS,30\nB,Pyhton; React,10\nC,Figma,40\nD,python3,\n",
        ),
        "people",
    )
    vocab = fc.skill_index([history["skills"], people["skills"]], Config())
    demand = fc.demand(fc.history_events(history, vocab), vocab)
    count, hours = fc.supply(people, vocab, demand.skill_ids)
    assert count.tolist() == [2, 2]  # React: A, B; Python: B (typo), D (version suffix)
    assert hours.tolist() == [40.0, 40.0]  # D's unknown hours: the pool median, 30


VERSIONED = """\
person_id,project_id,date,skills,hours
F1,H1,2025-01-10,Python 3; Django,10
F2,H2,2025-01-20,Python,30
F1,H3,2025-02-05,Python 2.7; python3,20
F3,H4,2025-02-28,Django 4,40
"""


def test_a_version_is_counted_as_its_concept(tmp_path):
    """Python, Python 3 and Python 2.7 are one series named Python; a row naming two versions
    counts one place; Django 4 is Django."""
    history = read(write(tmp_path, "history.csv", VERSIONED), "history")
    vocab = fc.skill_index([history["skills"]], Config())
    assert {vocab.names[vocab.id_of(s)] for s in ("Python", "Python 3", "Python 2.7")} == {
        "Python",
        "Python 3",
        "Python 2.7",
    }  # three skills for matching (two versions are related, not the same) ...
    demand = fc.demand(fc.history_events(history, vocab), vocab)
    assert demand.names == ["Python", "Django"]  # ... one concept for demand
    assert demand.places.tolist() == [[2, 1], [1, 1]]
    assert demand.hours_per_place.tolist() == pytest.approx([20.0, 25.0])
    shuffled = read(
        write(
            tmp_path,
            "h2.csv",
            "\n".join([VERSIONED.splitlines()[0], *reversed(VERSIONED.splitlines()[1:])]) + "\n",
        ),
        "history",
    )
    vocab2 = fc.skill_index([shuffled["skills"]], Config())
    again = fc.demand(fc.history_events(shuffled, vocab2), vocab2)
    assert again.names == demand.names and again.places.tolist() == demand.places.tolist()


def test_only_a_versioned_spelling_still_names_the_concept(tmp_path):
    history = read(
        write(
            tmp_path,
            "h.csv",
            "person_id,project_id,date,skills\n"
            "F1,H1,2025-01-10,Python 3\nF2,H2,2025-01-31,Magento 2\n",
        ),
        "history",
    )
    vocab = fc.skill_index([history["skills"]], Config())
    demand = fc.demand(fc.history_events(history, vocab), vocab)
    assert sorted(demand.names) == ["Magento", "Python"]


def test_supply_and_skill_filter_work_per_concept(tmp_path):
    history = read(write(tmp_path, "history.csv", VERSIONED), "history")
    people = read(
        write(tmp_path, "people.csv", "id,skills,hours\nA,Python 2,10\nB,python,20\nC,Django,5\n"),
        "people",
    )
    result = fc.forecast(history, Config(), people=people, horizon=1, skills=["Python 3.11"])
    assert result.demand.names == ["Python"]
    assert result.people.tolist() == [2]  # A (Python 2) and B: any version offers the concept
    assert result.supply_hours.tolist() == [30.0]


def test_forecast_cli_counts_python_and_python_3_as_one_skill(tmp_path):
    path = write(tmp_path, "history.csv", VERSIONED)
    result = runner.invoke(app, ["forecast", str(path), "--horizon", "1", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted({row["skill"] for row in rows}) == ["Django", "Python"]


def test_a_skill_with_too_few_hours_is_short(tmp_path):
    rows = ["person_id,project_id,date,skills,hours"]
    rows += [f"F1,H{m}{i},2025-{m:02d}-10,COBOL,100" for m in range(1, 13) for i in range(4)]
    history = read(write(tmp_path, "h.csv", "\n".join(rows) + "\n"), "history")
    people = read(write(tmp_path, "p.csv", "id,skills,hours\nA,COBOL,10\n"), "people")
    result = fc.forecast(history, Config(), people=people, horizon=2)
    supply = fc.supply_frame(result).iloc[0]
    weekly = 4 * 100 / fc.WEEKS_PER_PERIOD["month"]
    assert supply["demand_hours"] == pytest.approx(weekly, abs=0.1)
    assert supply["short_hours"] == pytest.approx(weekly - 10, abs=0.1)
    assert supply["status"] == "short"


# ---- the command ----------------------------------------------------------------------------

H, PEOPLE, PROJECTS = (str(EXAMPLES / n) for n in ("history.csv", "people.csv", "projects.csv"))


def test_forecast_csv_lists_history_then_forecast_per_skill():
    result = runner.invoke(app, ["forecast", H, "--horizon", "3", "--skills", "4"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == fc.FORECAST_COLUMNS
    assert len({r["skill"] for r in rows}) == 4
    react = [r for r in rows if r["skill"] == "React"]
    assert [r["kind"] for r in react].count("forecast") == 3
    assert react[-1]["period"] == "2027-01"
    assert "left out 2026-11" in result.stderr
    assert "back-test on 2026-08..2026-10" in result.stderr


def test_forecast_backtest_on_the_examples_beats_the_naive_baseline():
    result = runner.invoke(app, ["forecast", H, "--show", "backtest", "-f", "csv"])
    assert result.exit_code == 0, result.output
    overall = list(csv.DictReader(io.StringIO(result.stdout)))[-1]
    assert overall["skill"] == fc.ALL
    assert float(overall["mae"]) < float(overall["naive_mae"])


def test_forecast_json_holds_every_table_and_the_supply():
    result = runner.invoke(
        app, ["forecast", H, "--people", PEOPLE, "--projects", PROJECTS, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"forecast", "backtest", "supply"}
    python = next(r for r in data["supply"] if r["skill"] == "Python")
    assert python["people"] >= 10 and python["status"] in {"ok", "at risk", "short"}
    assert "22 projects have no date" in result.stderr


def test_forecast_skill_filter_takes_any_spelling():
    result = runner.invoke(app, ["forecast", H, "--skill", "reactjs", "--skill", "LLM"])
    assert result.exit_code == 0, result.output
    skills = {r["skill"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert skills == {"React", "Large Language Models"}  # LLM is the alias table's name


def test_forecast_errors_are_usage_errors():
    unknown = runner.invoke(app, ["forecast", H, "--skill", "Underwater basket weaving"])
    assert unknown.exit_code == 2 and "no demand for skill" in unknown.stderr
    supply = runner.invoke(app, ["forecast", H, "--show", "supply"])
    assert supply.exit_code == 2 and "--people" in supply.output


def test_a_history_without_skills_is_a_data_error(tmp_path):
    path = write(tmp_path, "h.csv", "person_id,project_id,date\nF1,H1,2025-01-01\n")
    result = runner.invoke(app, ["forecast", str(path)])
    assert result.exit_code == 3
    assert "lists no skills" in result.stderr


def test_forecast_writes_an_xlsx_with_a_sheet_per_table(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "forecast.xlsx"
    result = runner.invoke(app, ["forecast", H, "--people", PEOPLE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames == ["forecast", "backtest", "supply"]


def test_forecast_by_week():
    result = runner.invoke(app, ["forecast", H, "--by", "week", "--skills", "2", "--horizon", "4"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[-1]["period"].startswith("2026-W") and rows[-1]["kind"] == "forecast"


def test_a_backtest_against_an_exact_naive_forecast_prints_no_nan(tmp_path):
    """Demand that never changes makes the naive forecast exact: its error is 0 and the
    improvement undefined, which the note says in words instead of "nan%"."""
    rows = ["person_id,project_id,date,skills"]
    rows += [f"F1,H{m}{i},2025-{m:02d}-10,COBOL" for m in range(1, 13) for i in range(3)]
    path = write(tmp_path, "history.csv", "\n".join(rows) + "\n")
    result = runner.invoke(app, ["forecast", str(path), "--as-of", "2026-01-01"])
    assert result.exit_code == 0, result.output
    note = next(line for line in result.stderr.splitlines() if "back-test on" in line)
    assert "nan" not in note
    assert note.endswith("(both exact)") or note.endswith("(the naive forecast was exact)")
