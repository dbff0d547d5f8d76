"""`gigmatch tune`: fitting the weights to past outcomes, on synthetic and example history."""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES, write
from typer.testing import CliRunner

from gigmatch.api import tune
from gigmatch.cli.app import app
from gigmatch.errors import InputError, UsageError
from gigmatch.insights.tune import (
    TrainingSet,
    auc,
    before_weights,
    fit_weights,
    fold_of,
    has_comments,
    past_projects,
    weights_toml,
)
from gigmatch.present.views.tune import tune_summary
from gigmatch.read.config import Config, load_config
from gigmatch.score.components import pair_components, person_terms, project_terms
from gigmatch.score.ranking import read
from gigmatch.score.skill_model import build_skill_model

runner = CliRunner()
AS_OF = date(2026, 6, 30)
SKILLS = ["Python", "React", "SQL", "Figma", "Go", "Docker"]
# The truth behind the synthetic outcomes: rate and time zone matter most, skills little
# (every candidate in a history was staffed for having the skills), and a hidden quality of
# each person, which their earlier ratings reveal.
TRUE = {"skill": 0.10, "quality": 0.30, "rate": 0.30, "availability": 0.05, "timezone": 0.25}
OBSERVED = ["skill", "rate", "availability", "timezone"]  # components the generator uses as is


def synthetic(seed: int = 1, n_people: int = 60, n_projects: int = 500):
    """(history, people, past projects) whose good outcomes follow TRUE."""
    rng = np.random.default_rng(seed)

    def skills(n):
        return [
            "; ".join(f"{s}:{rng.integers(2, 6)}" for s in rng.choice(SKILLS, n, replace=False))
        ]

    people = pd.DataFrame(
        {
            "id": [f"F{i:03d}" for i in range(n_people)],
            "name": [f"Person {i}" for i in range(n_people)],
            "skills": [skills(3)[0] for _ in range(n_people)],
            "rate": rng.integers(30, 121, n_people).astype(str),
            "hours": rng.integers(10, 41, n_people).astype(str),
            "timezone": [f"UTC{o:+d}" for o in rng.integers(-8, 10, n_people)],
        }
    )
    projects = pd.DataFrame(
        {
            "id": [f"H{i:04d}" for i in range(n_projects)],
            "skills": [skills(2)[0] for _ in range(n_projects)],
            "budget": rng.integers(40, 101, n_projects).astype(str),
            "hours": rng.integers(10, 41, n_projects).astype(str),
            "timezone": [f"UTC{o:+d}" for o in rng.integers(-8, 10, n_projects)],
        }
    )
    person = rng.integers(0, n_people, n_projects)
    quality = 1 / (1 + np.exp(-1.5 * rng.normal(size=n_people)))
    parsed_projects, parsed_people = read(projects, "projects"), read(people, "people")
    model = build_skill_model(parsed_projects, parsed_people, Config())
    x, _ = pair_components(
        model, person_terms(parsed_people, Config()), project_terms(parsed_projects),
        np.arange(n_projects), person, Config(),
    )  # fmt: skip
    u = sum(TRUE[c] * x[c] for c in OBSERVED) + TRUE["quality"] * quality[person]
    good = rng.random(n_projects) < 1 / (1 + np.exp(-12 * (u - np.median(u))))
    rating = np.where(
        good, rng.choice([4.5, 5.0], n_projects), rng.choice([3.0, 3.5, 4.0], n_projects)
    )
    late = rng.random(n_projects) > np.where(good, 0.9, 0.6)
    history = pd.DataFrame(
        {
            "person_id": people["id"].to_numpy()[person],
            "project_id": projects["id"],
            "date": [
                (AS_OF - timedelta(days=int(d))).isoformat()
                for d in rng.integers(1, 730, n_projects)
            ],
            "rating": rating.astype(str),
            "on_time": np.where(late, "no", "yes"),
            "skills": projects["skills"].str.replace(r":\d", "", regex=True),
        }
    )
    return history, people, projects


def shares(weights: dict[str, float]) -> np.ndarray:
    """The observed components' weights as shares of their sum."""
    keys = {
        "skill": "skills",
        "rate": "rate",
        "availability": "availability",
        "timezone": "timezone",
    }
    values = np.array([weights[keys[c]] for c in OBSERVED])
    return values / values.sum()


def test_tuned_weights_rank_held_out_outcomes_better_than_defaults():
    """Measured with seed 1: mean held-out AUC 0.664 with the default weights, 0.824 tuned
    (+0.16; from +0.13 to +0.16 with seeds 2-5). The test asks for +0.08 with seeds 1 and 2,
    and a gain on every fold."""
    for seed in (1, 2):
        history, people, projects = synthetic(seed)
        result = tune(history, people, projects=projects, as_of=AS_OF)
        default, tuned = result.mean_auc
        assert tuned - default >= 0.08, (seed, default, tuned)
        assert (result.folds.auc_tuned > result.folds.auc_default).all()
        assert result.learnable.all()  # every component varies in this history
        # among the components the generator used directly, the tuned weights are nearer the
        # truth than the defaults, and rate and time zone come out above skills and hours
        truth = shares({"skills": 0.10, "rate": 0.30, "availability": 0.05, "timezone": 0.25})
        tuned_shares, default_shares = shares(result.weights()), shares(asdict(Config().weights))
        assert np.abs(tuned_shares - truth).sum() < np.abs(default_shares - truth).sum() / 2
        w = result.weights()
        assert min(w["rate"], w["timezone"]) > max(w["skills"], w["availability"])
        assert sum(w.values()) == pytest.approx(1.0, abs=0.005)


def test_same_inputs_same_result():
    history, people, projects = synthetic(3, n_projects=200)
    a = tune(history, people, projects=projects, as_of=AS_OF, seed=7)
    b = tune(history, people, projects=projects, as_of=AS_OF, seed=7)
    pd.testing.assert_frame_equal(a.folds, b.folds)
    assert a.weights() == b.weights()


def test_hold_keeps_a_weight_at_its_default():
    history, people, projects = synthetic(1, n_projects=200)
    result = tune(history, people, projects=projects, as_of=AS_OF, hold=("skills", "timezone"))
    assert result.weights()["skills"] == 0.45 and result.weights()["timezone"] == 0.1
    assert not result.learnable[0] and not result.learnable[5]


def test_examples_tuned_beats_default():
    """On the example data: held-out AUC 0.747 default (0.749 before the knowledge base),
    about 0.82 tuned (5 folds)."""
    result = tune(EXAMPLES / "history.csv", EXAMPLES / "people.csv", as_of="2026-11-20")
    default, tuned = result.mean_auc
    assert round(default, 3) == 0.747 and tuned - default > 0.05
    assert result.pairs == 410  # 413 rows, 3 without a rating
    assert result.training.rebuilt == 358  # past projects rebuilt from the history rows
    # past projects carry no budget, hours or time zone: those weights cannot be learnt
    assert result.learnable.tolist() == [True, True, True, False, False, False]
    assert [result.weights()[k] for k in ("rate", "availability", "timezone")] == [0.1, 0.1, 0.1]


def test_auc_counts_ties_as_half():
    assert auc(np.array([3, 2, 1]), np.array([True, False, False])) == 1.0
    assert auc(np.array([1, 1, 1, 1]), np.array([True, False, True, False])) == 0.5
    assert auc(np.array([1, 2, 3, 4]), np.array([True, True, False, False])) == 0.0
    assert np.isnan(auc(np.array([1, 2]), np.array([True, True])))


def test_features_use_only_earlier_records():
    """No outcome leaks into its own features: record i sees records of the same person
    that finished strictly before it, weighted by recency at i's date."""
    person = np.array([0, 0, 0, 1, 0])
    day = np.array([10, 20, 20, 5, 375])
    w = before_weights(person, day, half_life=365).toarray()
    assert np.diag(w).tolist() == [0, 0, 0, 0, 0]
    assert w[1].tolist() == [1.0 * 0.5 ** (10 / 365), 0, 0, 0, 0]  # not its same-day twin
    assert w[2].tolist() == w[1].tolist()
    assert w[4, :3].tolist() == pytest.approx([0.5, 0.5 ** (355 / 365), 0.5 ** (355 / 365)])
    assert w[:, 3].sum() == 0 and w[3].sum() == 0  # another person's record never counts


def test_folds_keep_each_project_whole():
    groups = np.array(["a", "a", "b", "c", "c", "c", "d", "e"])
    fold = fold_of(groups, 3, seed=0)
    for g in set(groups):
        assert len(set(fold[groups == g])) == 1
    assert set(fold) == {0, 1, 2}
    assert fold_of(groups, 3, seed=0).tolist() == fold.tolist()


def test_more_folds_than_past_projects_is_refused():
    args = ["tune", str(EXAMPLES / "history.csv"), "--people", str(EXAMPLES / "people.csv")]
    result = runner.invoke(app, [*args, "--as-of", "2026-11-20", "--folds", "1000"])
    assert result.exit_code == 2
    assert (
        "--folds 1000 is more than the 355 past projects with rated rows (each fold holds "
        "whole projects); use --folds 355 or fewer"
    ) in result.stderr
    assert result.stdout == ""


def toy_set(pairs: list[tuple[str, bool]]) -> TrainingSet:
    """A training set of hand-made pairs (project id, good) with varied components."""
    rng = np.random.default_rng(0)
    good = np.array([g for _, g in pairs])
    x = rng.random((len(pairs), 6)) + good[:, None] * 0.3
    ids = np.array([p for p, _ in pairs], dtype=object)
    return TrainingSet(x, good, good * 5.0, ids, ids, 0, {})


def test_folds_without_both_outcomes_are_left_out_of_the_mean():
    mixed = [(f"M{i}", g) for i in range(4) for g in (True, False)]
    one_sided = [(f"G{i}", True) for i in range(3)]
    data = toy_set(mixed + one_sided)
    result = fit_weights(data, Config(), folds=7, seed=0)
    assert len(result.folds) == 7 and result.skipped_folds == 3
    defined = result.folds.dropna()
    assert len(defined) == 4
    assert result.mean_auc == (defined["auc_default"].mean(), defined["auc_tuned"].mean())
    assert not np.isnan(result.mean_auc).any()
    assert result.to_dict()["folds_skipped"] == 3
    summary = tune_summary(result, 4.5)
    assert "mean AUC over 4 of 7 folds (3 skipped: only good or only poor outcomes" in summary
    with pytest.raises(UsageError, match="use --folds 7 or fewer"):
        fit_weights(data, Config(), folds=8)
    with pytest.raises(InputError, match="at least 2 past projects; found 1"):
        fit_weights(toy_set([("A", True), ("A", False)]), Config(), folds=2)


def test_past_projects_come_from_projects_or_history():
    history = read(
        pd.DataFrame(
            {
                "person_id": ["A", "B", "A"],
                "project_id": ["X", "X", "Y"],
                "date": ["2026-01-01"] * 3,
                "rating": ["5", "4", "3"],
                "skills": ["Python; SQL", "python3; React", "Go"],
                "client": ["Acme", "Acme", "Globex"],
            }
        ),
        "history",
    )
    projects = read(pd.DataFrame({"id": ["Y"], "skills": ["Rust"], "budget": ["70"]}), "projects")
    past = past_projects(history, projects)
    assert past["id"].tolist() == ["X", "Y"]
    assert [s.name for s in past["skills"][0]] == ["Python", "SQL", "React"]
    assert past["client"].tolist() == ["Acme", ""]
    assert [s.name for s in past["skills"][1]] == ["Rust"] and past["budget"][1] == 70


def test_cli_json_and_write(tmp_path):
    history, people, projects = synthetic(1, n_projects=200)
    paths = [write(tmp_path, f"{n}.csv", f.to_csv(index=False)) for n, f in
             (("history", history), ("people", people), ("projects", projects))]  # fmt: skip
    config = write(
        tmp_path, "gigmatch.toml", '[thresholds]\nfuzzy = 85.0\n\n[aliases]\n"C#" = ["csharp"]\n'
    )
    args = ["tune", str(paths[0]), "--people", str(paths[1]), "--projects", str(paths[2])]
    args += ["--as-of", AS_OF.isoformat(), "--folds", "4"]
    result = runner.invoke(app, [*args, "-f", "json", "--write", str(config)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["folds"]) == 4 and data["pairs"] == 200
    assert data["mean_auc"]["tuned"] > data["mean_auc"]["default"]
    assert (
        "mean AUC over 4 folds" in result.stderr and f"wrote [weights] to {config}" in result.stderr
    )
    written = load_config(config)
    tuned = {row["component"]: row["tuned"] for row in data["weights"]}
    assert {k: getattr(written.weights, k) for k in tuned} == tuned
    assert written.thresholds.fuzzy == 85.0 and written.aliases == {"C#": ["csharp"]}  # kept
    toml = runner.invoke(app, [*args, "-f", "toml"])
    assert tomllib.loads(toml.stdout)["weights"] == tuned
    csv = runner.invoke(app, [*args, "-f", "csv"])
    assert csv.stdout.splitlines()[0] == "fold,pairs,good,auc_default,auc_tuned"
    assert csv.stdout.splitlines()[-1].startswith("mean,200,")


def test_write_refuses_to_drop_comments(tmp_path):
    history, people, projects = synthetic(1, n_projects=120)
    h = write(tmp_path, "h.csv", history.to_csv(index=False))
    f = write(tmp_path, "f.csv", people.to_csv(index=False))
    config = write(tmp_path, "gigmatch.toml", "# my notes\n[weights]\nskills = 0.5\n")
    args = ["tune", str(h), "--people", str(f), "--as-of", "2026-06-30", "--write", str(config)]
    refused = runner.invoke(app, [*args, "-f", "json"])
    assert refused.exit_code == 2 and "comments that rewriting it would lose" in refused.stderr
    assert config.read_text().startswith("# my notes")
    forced = runner.invoke(app, [*args, "-f", "json", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "# my notes" not in config.read_text()


def test_weights_toml_keeps_sections_and_validates():
    weights = {"skills": 0.3, "rating": 0.3, "reliability": 0.1, "rate": 0.1}
    weights |= {"availability": 0.1, "timezone": 0.1}
    text = weights_toml(weights, "[history]\nprior_jobs = 2.0\n")
    data = tomllib.loads(text)
    assert data["history"] == {"prior_jobs": 2.0} and data["weights"]["skills"] == 0.3
    assert has_comments("a = 1 # note") and not has_comments('"C#" = ["c sharp"]')
    assert has_comments("  # indented\n") and not has_comments("a = 'x#y'")


def test_bad_usage():
    history, people, _ = synthetic(1, n_projects=60)
    with pytest.raises(UsageError, match="--hold 'skill'"):
        tune(history, people, hold=("skill",), as_of=AS_OF)
    with pytest.raises(InputError, match="same side of --good"):
        tune(history, people, good=0.0, as_of=AS_OF)


TOPICS = [
    "payments ledger reconciliation",
    "mobile game animation",
    "clinical trial statistics",
    "solar energy forecasting",
]


def with_text(seed: int = 1, n_projects: int = 300, in_history: bool = False):
    """`synthetic` with free text that decides the outcome: each person's headline names one
    topic, each past project's description one topic, and a pair whose topics agree is rated
    well nine times in ten (else two in ten). With `in_history` the descriptions are written
    in the history rows (no projects file), as an export of past jobs would."""
    history, people, projects = synthetic(seed, n_projects=n_projects)
    rng = np.random.default_rng(seed + 100)
    people["headline"] = [f"{TOPICS[i % 4]} specialist" for i in range(len(people))]
    topic = rng.integers(0, 4, n_projects)
    description = [f"Help with {TOPICS[t]}" for t in topic]
    person_topic = history["person_id"].str[1:].astype(int).to_numpy() % 4
    good = rng.random(n_projects) < np.where(person_topic == topic, 0.9, 0.2)
    history["rating"] = np.where(good, "5", "3")
    if in_history:
        return history.assign(description=description), people, None
    return history, people, projects.assign(description=description)


def test_text_weight_is_fitted_when_the_history_has_text():
    """Text decides these outcomes: its tuned weight rises well above its default share
    (0.20 of 1.20) and the tuned weights rank held-out outcomes better."""
    history, people, projects = with_text(1)
    result = tune(history, people, projects=projects, as_of=AS_OF)
    assert result.names[-1] == "text" and result.learnable[-1]
    w = result.weights()
    assert set(w) == {"skills", "rating", "reliability", "rate", "availability", "timezone", "text"}
    assert result.defaults[-1] == pytest.approx(0.20 / 1.20)
    assert w["text"] > 0.3 and w["text"] == max(w.values())
    assert sum(w.values()) == pytest.approx(1.0, abs=0.005)
    default, tuned = result.mean_auc
    assert tuned - default > 0.1, (default, tuned)
    frame = result.weights_frame()
    assert frame["component"].tolist()[-1] == "text" and frame["learnt"].tolist()[-1]
    assert result.to_dict()["weights"][-1]["component"] == "text"
    # held at its default share, like any other weight
    held = tune(history, people, projects=projects, as_of=AS_OF, hold=("text",))
    assert held.weights()["text"] == round(0.20 / 1.20, 3) and not held.learnable[-1]


def test_descriptions_in_history_rows_are_text_for_rebuilt_projects():
    history, people, _ = with_text(2, in_history=True)
    result = tune(history, people, as_of=AS_OF)
    assert result.training.rebuilt == len(history)
    assert result.learnable[-1] and result.weights()["text"] > 0.3
    parsed = read(history.head(3), "history")
    past = past_projects(parsed, None)
    assert past["description"].tolist() == history["description"].head(3).tolist()


def test_no_text_anywhere_leaves_text_out_and_keeps_it_as_configured(tmp_path):
    history, people, projects = synthetic(1, n_projects=120)
    result = tune(history, people, projects=projects, as_of=AS_OF)
    assert "text" not in result.weights() and result.names[-1] == "timezone"
    config = write(tmp_path, "gigmatch.toml", "[weights]\ntext = 0.2\n")
    written = tomllib.loads(weights_toml(result.weights(), config.read_text()))
    assert written["weights"]["text"] == 0.2  # not fitted: kept as set


def test_cli_writes_the_fitted_text_weight(tmp_path):
    history, people, projects = with_text(3, n_projects=200)
    paths = [write(tmp_path, f"{n}.csv", f.to_csv(index=False)) for n, f in
             (("history", history), ("people", people), ("projects", projects))]  # fmt: skip
    config = tmp_path / "gigmatch.toml"
    args = ["tune", str(paths[0]), "--people", str(paths[1]), "--projects", str(paths[2])]
    result = runner.invoke(
        app, [*args, "--as-of", AS_OF.isoformat(), "-f", "json", "--write", str(config)]
    )
    assert result.exit_code == 0, result.output
    tuned = {row["component"]: row["tuned"] for row in json.loads(result.stdout)["weights"]}
    assert "text" in tuned and load_config(config).weights.text == tuned["text"]
