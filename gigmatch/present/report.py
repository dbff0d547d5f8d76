"""One self-contained HTML report: the pool, demand and supply, scores, the plan, rates, forecast.

The file has no external resource at all (no CDN, no web font, no image file): CSS is inline
and charts are inline SVG drawn by `gigmatch.charts`. A Content-Security-Policy forbids any load
and allows only the page's own small script, by its hash. Every text from an input file is
escaped with `html.escape`. Nothing in the page depends on the clock: the same inputs give the
same bytes (a date appears only when the caller passes `as_of`).

The script only measures the page for tests and for the curious: it writes on `<body>` how many
charts there are (`data-charts`), how many were drawn with a size and marks (`data-charts-drawn`)
and how many script errors or policy violations happened (`data-errors`).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.errors import InputError
from gigmatch.present import charts
from gigmatch.present.views.forecast import versus_naive
from gigmatch.steps import Progress, part, reached

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.read.config import Config

TOP_SKILLS = 15
FORECAST_SKILLS = 6
BACKTEST_SKILLS = 10  # `gigmatch forecast --skills` default: one back-test for both
CHART_PERIODS = 12  # history periods drawn before the forecast

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #1d1d1f; background: #f6f7f9; line-height: 1.4; }
header { background: #1f3b63; color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; opacity: 0.85; font-size: 13px; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 40px; }
section { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.08);
  padding: 16px 20px; margin: 16px 0; }
h2 { margin: 0 0 10px; font-size: 18px; color: #1f3b63; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 12px; }
.card { background: #eef2f8; border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card b { display: block; font-size: 22px; }
.card span { font-size: 12px; color: #4a5563; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
svg.chart { display: block; width: 100%; height: auto; background: #fff; }
.grid > svg.chart { flex: 1 1 520px; width: 0; min-width: 300px; }
.grid > div { flex: 0 1 400px; min-width: 260px; }
table { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left;
  vertical-align: top; }
th { background: #f1f3f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.flag { color: #a4262c; font-weight: 600; }
.note { color: #4a5563; font-size: 13px; }
"""

SCRIPT = """(function () {
  var errors = [];
  function report() {
    document.body.setAttribute("data-errors", String(errors.length));
    document.body.setAttribute("data-error-text", errors.join(" | "));
  }
  window.addEventListener("error", function (e) { errors.push(String(e.message)); report(); });
  document.addEventListener("securitypolicyviolation", function (e) {
    errors.push("blocked by policy: " + e.violatedDirective); report();
  });
  var original = console.error;
  console.error = function () {
    errors.push(Array.prototype.join.call(arguments, " ")); report();
    return original.apply(console, arguments);
  };
  function count() {
    var all = document.querySelectorAll("svg.chart"), drawn = 0;
    for (var i = 0; i < all.length; i++) {
      var box = all[i].getBoundingClientRect();
      var marks = all[i].querySelectorAll("rect, circle, path, polyline, polygon");
      var sized = 0;
      for (var j = 0; j < marks.length; j++) {
        var b = marks[j].getBBox();
        if (b.width > 0 || b.height > 0) sized++;
      }
      if (box.width > 0 && box.height > 0 && sized > 0) drawn++;
    }
    document.body.setAttribute("data-charts", String(all.length));
    document.body.setAttribute("data-charts-drawn", String(drawn));
    report();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", count);
  } else {
    count();
  }
})();"""


@dataclass(frozen=True)
class ReportData:
    """The inputs of a report, already parsed; `sources` names the files in the header."""

    projects: pd.DataFrame
    people: pd.DataFrame
    config: Config
    history: pd.DataFrame | None = None
    plan: pd.DataFrame | None = None
    sources: dict[str, str] = field(default_factory=dict)
    as_of: str | None = None
    top: int = 5
    horizon: int = 3
    by: str = "month"


@dataclass(frozen=True)
class Rendered:
    """The report's HTML and the notes the caller should show (e.g. why there is no forecast)."""

    html: str
    notes: list[str] = field(default_factory=list)


def render(data: ReportData) -> str:
    """The whole report as one HTML document (a string)."""
    return compose(data).html


def compose(data: ReportData, progress: Progress | None = None) -> Rendered:
    """The report and its notes: a history that cannot be forecast leaves the forecast out
    (saying why in the page) rather than failing the whole report.

    `progress` follows the phases as equal shares: scores, rates, plan, the page (and, with a
    history, the forecast); inside a phase that scores, block by block."""
    from gigmatch.insights.price import price
    from gigmatch.score.skill_model import build_skill_model

    parts = 4 if data.history is None else 5
    # one skill model for the scores, the rates and the plan (it is the costly shared part)
    model = build_skill_model(data.projects, data.people, data.config)
    top = top_scores(data, model, part(progress, 0, parts))
    prices = price(
        data.projects, data.people, data.config, data.history, model=model,
        progress=part(progress, 1, parts),
    )  # fmt: skip
    plan = plan_for_report(data, model, part(progress, 2, parts))
    reached(progress, 3, parts)
    sections = [
        glance(data.projects, data.people),
        demand_supply(data.projects, data.people, data.config),
        scores(top, data.projects),
        staffing(plan, data.plan is not None),
        rates(prices),
    ]
    notes = []
    if data.history is not None:
        reached(progress, 4, parts)
        section, why = forecast_or_reason(data)
        sections.append(section)
        notes += [why] if why else []
    reached(progress, parts, parts)
    return Rendered(page(data, sections), notes)


def page(data: ReportData, sections: Sequence[str]) -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'"
    )
    files = " · ".join(f"{escape(kind)}: {escape(name)}" for kind, name in data.sources.items())
    when = f" · as of {escape(data.as_of)}" if data.as_of else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>gigmatch report</title>",
            f"<style>{CSS}</style></head><body>",
            f"<header><h1>Staffing report</h1><p>{files}{when}</p></header>",
            "<main>",
            *sections,
            "</main>",
            f"<script>{SCRIPT}</script>",
            "</body></html>",
            "",
        ]
    )


def _section(title: str, *parts: str) -> str:
    """A section with an id made of its title (`#staffing-plan`), so it can be linked to."""
    anchor = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())
    return "\n".join([f"<section id='{anchor}'><h2>{escape(title)}</h2>", *parts, "</section>"])


def _cards(items: Sequence[tuple[str, str]]) -> str:
    cells = "".join(
        f"<div class='card'><b>{escape(v)}</b><span>{escape(k)}</span></div>" for k, v in items
    )
    return f"<div class='cards'>{cells}</div>"


def table(frame: pd.DataFrame, columns: dict[str, str], flag: str | None = None) -> str:
    """An HTML table of `frame`'s `columns` (name -> heading); numbers right-aligned."""
    head = "".join(f"<th>{escape(h)}</th>" for h in columns.values())
    rows = []
    for record in frame[list(columns)].itertuples(index=False):
        cells = []
        for name, value in zip(columns, record, strict=True):
            numeric = isinstance(value, int | float | np.integer | np.floating)
            text = charts.fmt(float(value)) if numeric else escape(str(value))
            css = (
                " class='num'"
                if numeric
                else (" class='flag'" if name == flag and value not in ("", "ok") else "")
            )
            cells.append(f"<td{css}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _median(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    return float(np.median(values)) if len(values) else float("nan")


# ---- sections ---------------------------------------------------------------------------------


def glance(projects: pd.DataFrame, people: pd.DataFrame) -> str:
    """Counts, medians, and the spread of ratings and rates in the pool."""
    rate = people["rate"].to_numpy(float)
    rating = people["rating"].to_numpy(float)
    cards = _cards(
        [
            ("open projects", charts.fmt(len(projects))),
            ("places to staff", charts.fmt(float(projects["team_size"].sum()))),
            ("people in the pool", charts.fmt(len(people))),
            ("places they can take", charts.fmt(float(people["capacity"].sum()))),
            ("median rate, $/h", charts.fmt(_median(rate))),
            ("median hours/week", charts.fmt(_median(people["hours"].to_numpy(float)))),
            ("median rating (0–5)", charts.fmt(_median(rating))),
        ]
    )
    rating_bins = [(0, 3.5, "< 3.5"), (3.5, 4.0, "3.5–4"), (4.0, 4.5, "4–4.5"),
                   (4.5, 4.8, "4.5–4.8"), (4.8, 5.01, "4.8–5")]  # fmt: skip
    rating_counts = [float(((rating >= lo) & (rating < hi)).sum()) for lo, hi, _ in rating_bins]
    labels = [b[2] for b in rating_bins] + ["unrated"]
    rating_chart = charts.bars(
        "Ratings in the pool", labels, [*rating_counts, float(np.isnan(rating).sum())],
        "average client rating (stars, 0–5)", "people",
    )  # fmt: skip
    rate_chart = _rate_histogram(rate)
    return _section("The pool at a glance", cards,
                    f"<div class='grid'>{rating_chart}{rate_chart}</div>")  # fmt: skip


def _rate_histogram(rate: np.ndarray) -> str:
    known = rate[np.isfinite(rate)]
    edges, width = rate_bins(known)
    counts, _ = np.histogram(known, bins=edges)
    labels = [f"{int(edges[i])}–{int(edges[i + 1])}" for i in range(len(counts))]
    above = int((known > edges[-1]).sum())
    if above:
        labels.append(f"> {int(edges[-1])}")
        counts = np.append(counts, above)
    return charts.bars(
        "Hourly rates asked", labels, counts.astype(float).tolist(),
        f"hourly rate ($/h, bins of {width:g})", "people", color=charts.PALETTE[2],
    )  # fmt: skip


MAX_RATE_BINS = 40


def rate_bins(known: np.ndarray) -> tuple[np.ndarray, float]:
    """Bin edges and width for the rate histogram: bins of 10 up to the highest rate, wider
    ones (20, 50, 100, ...) when that would take more than `MAX_RATE_BINS` bars, so the chart
    follows the number of people, not the size of a rate. Rates over ten times the median stay
    out of the range (one bar "> top" counts them): one typo must not flatten the rest.

    >>> rate_bins(np.array([45.0, 60.0, 95.0]))[0].tolist()
    [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
    >>> edges, width = rate_bins(np.array([40.0, 60.0, 80.0, 1_000_000.0]))
    >>> width, len(edges) - 1, float(edges[-1])
    (10.0, 8, 80.0)
    >>> edges, width = rate_bins(np.array([400.0, 900.0, 2000.0]))
    >>> width, len(edges) - 1, float(edges[-1])
    (50.0, 40, 2000.0)
    """
    if not len(known):
        return np.arange(0.0, 20.0, 10.0), 10.0
    median = float(np.median(known))
    inside = known[known <= 10 * median] if median > 0 else known
    high = float(inside.max()) if len(inside) else float(known.max())
    width = 10.0
    while high / width > MAX_RATE_BINS:
        width *= 2.5 if str(int(width)).startswith("2") else 2.0
    top = max(float(np.ceil(high / width) * width), width)
    return np.arange(0.0, top + width, width), width


def skill_demand(projects: pd.DataFrame, people: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Per skill of the open projects: places asked (team size per required skill) and the
    people who offer it (the same skill, any version, as in `match`), most asked first. As in
    `forecast`, a version is its skill: "Python" and "Python 3" are one row."""
    import pandas as pd

    from gigmatch.insights.forecast import skill_index, supply

    vocab = skill_index([projects["skills"], people["skills"]], config)
    concepts = vocab.concepts()
    team = projects["team_size"].to_numpy(float)
    asked: dict[int, float] = {}
    written: dict[int, Counter[str]] = {}
    for items, size in zip(projects["skills"], team, strict=True):
        cids = concepts.of[vocab.ids([i.name for i in items])] if items else []
        for cid in set(cids):
            asked[int(cid)] = asked.get(int(cid), 0.0) + size
        for item, cid in zip(items, cids, strict=True):
            written.setdefault(int(cid), Counter())[item.name] += 1
    names = concepts.names
    ids = np.array(sorted(asked, key=lambda s: (-asked[s], names[s].casefold())), np.int64)
    count, hours = supply(people, vocab, ids) if len(ids) else (np.empty(0), np.empty(0))
    return pd.DataFrame(
        {
            "skill": [own_spelling(written[int(s)]) for s in ids],
            "places": [asked[int(s)] for s in ids],
            "people": np.asarray(count, dtype=float),
            "hours": np.asarray(hours, dtype=float),
        }
    )


def own_spelling(spellings: Counter[str]) -> str:
    """The manager's own name for a skill: the spelling the projects file uses most (ties: the
    alphabetically first), not the canonical form the matcher groups it under.

    >>> own_spelling(Counter({"AWS": 3, "Amazon Web Services": 1}))
    'AWS'
    """
    return min(spellings, key=lambda name: (-spellings[name], name))


def demand_supply(projects: pd.DataFrame, people: pd.DataFrame, config: Config) -> str:
    frame = skill_demand(projects, people, config)
    shown = frame.head(TOP_SKILLS)
    chart = charts.grouped_hbars(
        f"Open demand vs supply: the {len(shown)} most asked skills",
        list(shown["skill"]),
        {"places asked": list(shown["places"]), "people with the skill": list(shown["people"])},
        "count (places asked by open projects; people offering the skill)",
    )
    short = frame[frame["people"] < frame["places"]]
    if len(short):
        short = short.assign(short_by=short["places"] - short["people"])
        note = "<p class='note'>Skills with fewer people than places asked:</p>" + table(
            short, {"skill": "skill", "places": "places asked", "people": "people",
                    "short_by": "short by"})  # fmt: skip
    else:
        note = "<p class='note'>Every skill asked has at least as many people as places.</p>"
    return _section("Skill demand vs supply", f"<div class='grid'>{chart}<div>{note}</div></div>")


def top_scores(data: ReportData, model=None, progress: Progress | None = None) -> pd.DataFrame:
    """project_id, rank and score (as `match` rounds it) of each project's best `data.top`
    candidates: the figures the charts draw, without the skill texts `match` writes for
    each pair (the report shows none of them)."""
    import pandas as pd

    from gigmatch.score.components import Filters
    from gigmatch.score.ranking import score_all

    scored = score_all(
        data.projects, data.people, data.config, filters=Filters(), top=data.top, model=model,
        progress=progress,
    )  # fmt: skip
    return pd.DataFrame(
        {
            "project_id": data.projects["id"].to_numpy(object)[scored.pairs.project],
            "rank": scored.rank.astype(np.int64),
            "score": np.round(scored.pairs.score, 1),
        }
    )


def scores(scored: pd.DataFrame, projects: pd.DataFrame) -> str:
    """Histogram of the top candidates' scores, and each project's best score."""
    values = scored["score"].to_numpy(float)
    counts, edges = np.histogram(values, bins=np.arange(0, 110, 10))
    labels = [f"{int(edges[i])}–{int(edges[i + 1])}" for i in range(len(counts))]
    k = int(scored["rank"].max()) if len(scored) else 0
    histogram = charts.bars(
        f"Scores of the top {k} candidates per project", labels, counts.astype(float).tolist(),
        "match score (0–100)", "candidates",
    )  # fmt: skip
    best = scored[scored["rank"] == 1].set_index("project_id")["score"]
    ids = list(projects["id"])
    best_chart = charts.bars(
        "Best candidate's score per project", ids, [float(best.get(i, 0.0)) for i in ids],
        "project", "score (0–100)", color=charts.PALETTE[4],
    )  # fmt: skip
    return _section("Score distributions", f"<div class='grid'>{histogram}{best_chart}</div>")


def read_plan(source: str) -> pd.DataFrame:
    """A staffing plan CSV as `gigmatch assign` writes it: one row per filled place.

    Read with the same header rule as every input (`project`, `Project ID`, `project_id`)."""
    from gigmatch.read.schema import read

    return read(source, "plan").frame


def plan_for_report(data: ReportData, model=None, progress: Progress | None = None):
    """The plan the report shows: the one given with --plan, flagged as `assign` flags its
    own, or else the optimal plan `gigmatch assign` makes with the same files and config.
    `model`: the skill model of the two tables, when the caller built it already."""
    from gigmatch.plan.staffing import Controls, describe_given, staff

    if data.plan is not None:
        return describe_given(data.projects, data.people, data.config, data.plan, model=model)
    return staff(
        data.projects, data.people, data.config, Controls(), model=model, progress=progress
    )


PLAN_TABLE = {
    "project_id": "project",
    "project_title": "title",
    "person_id": "person",
    "person_name": "name",
    "score": "score",
    "skill_score": "skill score",
    "missing_skills": "missing skills",
    "over_budget_pct": "% over budget",
    "weak": "weak: why",
}


def staffing(plan, given: bool) -> str:
    """The plan with each fill's weak points, its open places and why, under the same
    one-sentence summary `gigmatch assign` prints."""
    from gigmatch.plan.staffing import summary_sentence

    intro = (
        "The staffing plan given with --plan, scored and checked as <code>gigmatch assign</code>"
        " checks its own."
        if given
        else "No plan given: this is the optimal plan <code>gigmatch assign</code> makes from"
        " the same files (pass <code>--plan plan.csv</code> to show another)."
    )
    headline = f"<h3 class='headline'>{escape(summary_sentence(plan.summary))}</h3>"
    rows = plan.assignments.assign(over_budget_pct=plan.assignments["over_budget_pct"].fillna(0))
    unfilled = plan.unfilled
    gaps = (
        f"<h3>Unfilled places: {charts.fmt(float(unfilled['open'].sum()))}</h3>"
        + table(unfilled, {"project_id": "project", "project_title": "title",
                           "team_size": "places", "filled": "filled", "open": "unfilled",
                           "reason": "why"})
        if len(unfilled)
        else "<h3>Every place is filled.</h3>"
    )  # fmt: skip
    return _section(
        "Staffing plan", headline, f"<p class='note'>{intro}</p>",
        table(rows, PLAN_TABLE, flag="weak"), gaps,
    )  # fmt: skip


def rates(prices: pd.DataFrame) -> str:
    chart = charts.ranges(
        "Rates of fitting candidates against each budget",
        list(prices["project_id"]),
        prices["rate_low"].tolist(),
        prices["rate_median"].tolist(),
        prices["rate_high"].tolist(),
        prices["budget"].tolist(),
        "hourly rate ($/h)",
        ("25th–75th percentile", "median", "budget"),
    )
    flagged = prices[~prices["flag"].isin(["ok"])]
    note = table(flagged, {"project_id": "project", "budget": "budget $/h",
                           "rate_min": "cheapest $/h", "rate_median": "median $/h",
                           "flag": "flag"}, flag="flag") if len(flagged) else (
        "<p class='note'>Every budget reaches the fitting candidates.</p>")  # fmt: skip
    return _section("Rates against budgets", f"<div class='grid'>{chart}<div>{note}</div></div>")


def forecast_or_reason(data: ReportData) -> tuple[str, str | None]:
    """The forecast section, or, when the history cannot be forecast (one row, no skills, no
    complete period), a section saying why and the same reason for a note."""
    try:
        return forecast_section(data), None
    except InputError as exc:
        name = data.sources.get("history", "the history file")
        why = f"no demand forecast: {name}: {exc}"
        return _section("Demand forecast", f"<p class='note'>{escape(why)}</p>"), why


def forecast_section(data: ReportData) -> str:
    """Small multiples of the most asked skills with their forecast, and the back-test."""
    from gigmatch.insights.forecast import backtest_frame, forecast, period_label

    # the skills `gigmatch forecast` shows by default, so the back-test is the same numbers;
    # charts for the most asked of them
    result = forecast(data.history, data.config, people=data.people, by=data.by,
                      horizon=data.horizon, top=BACKTEST_SKILLS)  # fmt: skip
    d, p = result.demand, result.prediction
    shown = slice(-CHART_PERIODS, None)  # the last periods, so the forecast is not squeezed
    labels = d.labels[shown] + [period_label(int(x), d.by) for x in p.periods]
    unit = f"places per {d.by}"
    multiples = [
        charts.line_band(
            name,
            labels,
            d.places[shown, i].tolist(),
            p.point[:, i].tolist(),
            p.low[:, i].tolist(),
            p.high[:, i].tolist(),
            unit,
            d.by,
        )  # fmt: skip
        for i, name in enumerate(d.names[:FORECAST_SKILLS])
    ]
    back = backtest_frame(result)
    summary = _backtest_note(back, result.level, p.seasonal, d.by)
    columns = {"skill": "skill", "actual": "actual places", "mae": "MAE", "naive_mae":
               "naive MAE", "improvement": "better than naive, %"}  # fmt: skip
    return _section("Demand forecast", summary, f"<div class='grid'>{''.join(multiples)}</div>",
                    table(back, columns) if len(back) else "")  # fmt: skip


def _backtest_note(back: pd.DataFrame, level: float, seasonal: bool, by: str) -> str:
    season = "with a shared seasonal term" if seasonal else "without a seasonal term"
    text = (f"Damped-trend exponential smoothing {season}; the band is the {charts.fmt(level)}% "
            f"prediction interval. Solid: history; dashed: forecast.")  # fmt: skip
    if len(back):
        row: Any = back.iloc[-1]
        text += (f" Back-test on {row['periods']}: mean absolute error "
                 f"{charts.fmt(row['mae'])} places per {by} against "
                 f"{charts.fmt(row['naive_mae'])} for “same as last {by}” "
                 f"({versus_naive(row)}).")  # fmt: skip
    return f"<p class='note'>{escape(text)}</p>"
