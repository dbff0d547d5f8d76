"""Rate ranges from fitting candidates and similar past work, flags, and `gigmatch price`."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from conftest import EXAMPLES, write
from typer.testing import CliRunner

from gigmatch.cli.app import app
from gigmatch.insights.price import BELOW_ALL, NO_CANDIDATE, PRICE_COLUMNS, PriceSettings, price
from gigmatch.read.config import Config
from gigmatch.score.ranking import read

runner = CliRunner()

PROJECTS = """\
id,title,skills,budget
A,Ok budget,Python,50
B,Tight budget,Python,20
C,Low budget,Python,5
D,Nobody,COBOL,90
"""

# Ten Python people asking 10, 20, ... 100 an hour, and one SQL-only person.
PEOPLE = "id,name,skills,rate\n" + "".join(
    f"F{i},P{i},Python,{10 * i}\n" for i in range(1, 11)
) + "S1,Sql Only,SQL,5\n"  # fmt: skip


@pytest.fixture
def frames(tmp_path):
    projects = read(write(tmp_path, "projects.csv", PROJECTS), "projects")
    people = read(write(tmp_path, "people.csv", PEOPLE), "people")
    return projects, people


def test_ranges_are_the_quartiles_of_fitting_candidates(frames):
    table = price(*frames, Config()).set_index("project_id")
    a = table.loc["A"]
    assert a["candidates"] == 10
    assert (a["rate_min"], a["rate_low"], a["rate_median"], a["rate_high"]) == (
        10.0,
        32.5,
        55.0,
        77.5,
    )
    assert (a["suggested_low"], a["suggested_rate"], a["suggested_high"]) == (32.5, 55.0, 77.5)
    assert table["flag"].to_dict() == {"A": "ok", "B": "tight", "C": BELOW_ALL, "D": NO_CANDIDATE}


def test_top_keeps_only_the_best_candidates(frames):
    # Budget 50: the rate score prefers the cheaper people, so the top 4 ask 10-40.
    table = price(*frames, Config(), settings=PriceSettings(top=4)).set_index("project_id")
    assert table.loc["A", "candidates"] == 4
    assert table.loc["A", "rate_median"] == pytest.approx(25.0)


def test_min_skill_leaves_out_people_who_bring_too_little(tmp_path):
    projects = read(write(tmp_path, "p.csv", "id,skills,budget\nA,Python; SQL,50\n"), "projects")
    people = read(
        write(tmp_path, "f.csv", "id,skills,rate\nX,Python; SQL,40\nY,Python,20\n"), "people"
    )
    loose = price(projects, people, Config(), settings=PriceSettings(min_skill=0.4))
    strict = price(projects, people, Config(), settings=PriceSettings(min_skill=0.9))
    assert loose.loc[0, "candidates"] == 2 and loose.loc[0, "rate_min"] == 20
    assert strict.loc[0, "candidates"] == 1 and strict.loc[0, "rate_min"] == 40


HISTORY = """\
person_id,project_id,date,skills,rate
F1,H1,2025-01-01,Python,60
F2,H1,2025-01-01,python3,
F3,H2,2025-02-01,Python; Docker,80
F4,H3,2025-03-01,Python; Docker; AWS,
F5,H4,2025-04-01,Figma,1000
"""


def test_similar_past_projects_give_the_rates_paid(frames, tmp_path):
    history = read(write(tmp_path, "history.csv", HISTORY), "history")
    table = price(*frames, Config(), history).set_index("project_id")
    a = table.loc["A"]
    # Similar to {Python}: H1 (Jaccard 1) and H2 (1/2); H3 (1/3) and H4 (0) are not.
    assert a["history_jobs"] == 2
    # H1 paid 60 (its own rate) and 20 (F2's current rate); H2 paid 80.
    assert a["history_rates"] == 3 and a["history_rate_median"] == 60.0
    past_low, past_high = np.quantile([20.0, 60.0, 80.0], [0.25, 0.75])
    assert a["suggested_low"] == pytest.approx((32.5 + past_low) / 2)
    assert a["suggested_high"] == pytest.approx((77.5 + past_high) / 2)
    assert table.loc["D", "history_jobs"] == 0


def test_similarity_threshold_is_an_option(frames, tmp_path):
    history = read(write(tmp_path, "history.csv", HISTORY), "history")
    strict = price(*frames, Config(), history, PriceSettings(similarity=0.9))
    assert strict.loc[0, "history_jobs"] == 1


# ---- the command ----------------------------------------------------------------------------

ARGS = [str(EXAMPLES / "projects.csv"), str(EXAMPLES / "people.csv")]
HISTORY_ARGS = ["--history", str(EXAMPLES / "history.csv")]


def test_price_flags_the_examples_known_problems():
    result = runner.invoke(app, ["price", *ARGS, *HISTORY_ARGS, "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = {r["project_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert list(next(iter(rows.values()))) == PRICE_COLUMNS
    assert rows["P-108"]["flag"] == BELOW_ALL  # $35 for Kubernetes; the cheapest asks 45
    assert float(rows["P-108"]["rate_min"]) == 45.0
    # COBOL: nobody; only one Java developer fits, with PostgreSQL as related credit for SQL
    assert rows["P-109"]["candidates"] == "1" and rows["P-109"]["flag"] == "ok"
    assert rows["P-111"]["flag"] == "ok" and int(rows["P-111"]["history_jobs"]) > 10
    assert "22 projects priced" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "md", "tsv", "toml"])
def test_price_writes_every_format(fmt):
    result = runner.invoke(app, ["price", *ARGS, "-p", "P-108", "-f", fmt])
    assert result.exit_code == 0, result.output
    assert "P-108" in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)[0]["flag"] == BELOW_ALL


def test_price_unknown_project_is_a_usage_error():
    result = runner.invoke(app, ["price", *ARGS, "-p", "P-999"])
    assert result.exit_code == 2
    assert "P-999" in result.stderr
