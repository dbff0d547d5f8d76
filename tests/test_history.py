"""`--history`: recency-weighted ratings per person, per skill and per client."""

from __future__ import annotations

import functools
import io
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES, PEOPLE, PROJECTS, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import gigmatch
from gigmatch.cli.app import app
from gigmatch.read.config import Config, HistorySettings
from gigmatch.score.history import history_adjuster, recency
from gigmatch.score.ranking import read, with_history

AS_OF = "2026-06-30"
TODAY = date.fromisoformat(AS_OF)

# Six identical Python developers who differ only in their history, plus a pool that sets
# the means: people.csv ratings average 4.5; history records of the pool average about 4.3.
POOL_PEOPLE = """\
id,name,skills,rate,hours,rating,reviews,on_time
GOOD,Good,Python; UI design,50,40,,,
BAD,Bad,Python; UI design,50,40,,,
NOHIST,Nobody,Python; UI design,50,40,,,
MIX,Mixed,Python; UI design,50,40,,,
UNTAGGED,Untagged,Python; UI design,50,40,,,
AVG,Average,Python; UI design,50,40,,,
Q1,Pool one,Cobol,50,40,4.4,20,0.9
Q2,Pool two,Cobol,50,40,4.6,20,0.9
"""
POOL_PROJECTS = """\
id,title,skills,budget,hours,client
PY,Python work,Python,60,20,Acme
UI,Design work,UI design,60,20,Globex
BOTH,Both,Python; UI design,60,20,Initech
"""


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def rows(person: str, ratings, *, days_ago=30, on_time="yes", skills="", client="Other"):
    """History rows for one person, one per rating, finishing `days_ago` before AS_OF."""
    ages = days_ago if isinstance(days_ago, list) else [days_ago] * len(ratings)
    return [
        {
            "person_id": person,
            "project_id": f"H-{person}-{i}",
            "date": (TODAY - timedelta(days=age)).isoformat(),
            "rating": "" if r is None else str(r),
            "on_time": on_time,
            "skills": skills,
            "client": client,
        }
        for i, (r, age) in enumerate(zip(ratings, ages, strict=True))
    ]


def pool_history() -> list[dict]:
    """Background records that set the history's mean (about 4.3, mostly on time)."""
    return rows("Q1", [4.0, 4.5, 4.0, 4.5], skills="Cobol") + rows(
        "Q2", [4.5, 4.0, 4.5, 4.0], on_time="no", skills="Cobol"
    )


def history(*parts: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([r for part in (pool_history(), *parts) for r in part]).astype(str)


def ranked(hist, config=None, projects=POOL_PROJECTS, people=POOL_PEOPLE, **options):
    result = gigmatch.match(
        frame(projects), frame(people), config, top=0, history=hist, as_of=AS_OF, **options
    )
    return result.set_index(["project_id", "person_id"])


def test_recency_halves_per_half_life():
    assert recency(np.array([0, 365, 730, 1095]), 365).tolist() == [1.0, 0.5, 0.25, 0.125]
    assert recency(np.array([0, 5000]), 0).tolist() == [1.0, 1.0]  # 0 = no decay


def test_good_record_beats_bad_and_no_history_sits_between():
    hist = history(
        rows("GOOD", [5.0] * 5, skills="Python"),
        rows("BAD", [3.0] * 5, on_time="no", skills="Python"),
    )
    r = ranked(hist).loc["PY"]
    assert (
        r.loc["GOOD", "rating_score"]
        > r.loc["NOHIST", "rating_score"]
        > r.loc["BAD", "rating_score"]
    )
    assert (
        r.loc["GOOD", "reliability_score"]
        > r.loc["NOHIST", "reliability_score"]
        > r.loc["BAD", "reliability_score"]
    )
    assert r.loc["GOOD", "rank"] == 1
    assert r.loc["GOOD", "score"] - r.loc["BAD", "score"] > 2.0  # points, with default weights


def test_recent_beats_stale():
    """The same five 5.0s, one month old or three half-lives old."""
    hist = history(rows("GOOD", [5.0] * 5, days_ago=30), rows("BAD", [5.0] * 5, days_ago=3 * 365))
    r = ranked(hist).loc["PY"]
    recent, stale, none = (r.loc[p, "rating_score"] for p in ("GOOD", "BAD", "NOHIST"))
    assert recent > stale > none
    # a stale record counts as an eighth of a fresh one
    adjust = _adjuster(hist)
    w = adjust.scores.evidence.weight
    people = list(frame(POOL_PEOPLE)["id"])
    assert w[people.index("BAD")].data == pytest.approx([0.125] * 5, rel=1e-3)
    assert w[people.index("GOOD")].data == pytest.approx([0.5 ** (30 / 365)] * 5)


def test_many_good_reviews_beat_one_perfect_one():
    hist = history(rows("GOOD", [4.8] * 12), rows("BAD", [5.0]))
    r = ranked(hist).loc["PY"]
    assert (
        r.loc["GOOD", "rating_score"]
        > r.loc["BAD", "rating_score"]
        > r.loc["NOHIST", "rating_score"]
    )


def test_skill_specific_performance_matters():
    """Strong in Python work, weak in design work: rated by what the project needs."""
    strong_weak = rows("MIX", [5.0] * 6, skills="python3") + rows(
        "MIX", [3.0] * 6, skills="UI Design"
    )
    for i, row in enumerate(strong_weak):
        row["project_id"] = f"H-MIX-{i}"
    untagged = rows("UNTAGGED", [5.0] * 6) + rows("UNTAGGED", [3.0] * 6)
    for i, row in enumerate(untagged):
        row["project_id"] = f"H-UNTAGGED-{i}"
    r = ranked(history(strong_weak, untagged))
    mix_py, mix_ui = r.loc[("PY", "MIX"), "rating_score"], r.loc[("UI", "MIX"), "rating_score"]
    flat_py, flat_ui = (
        r.loc[("PY", "UNTAGGED"), "rating_score"],
        r.loc[("UI", "UNTAGGED"), "rating_score"],
    )
    assert flat_py == flat_ui  # no skill tags: one overall rating
    assert mix_py > flat_py > mix_ui
    assert mix_py - mix_ui > 0.1  # 0.5 star apart at least
    # a project needing both is rated in between, by the skills' weights
    both = r.loc[("BOTH", "MIX"), "rating_score"]
    assert mix_ui < both < mix_py


def test_history_skills_go_through_aliases():
    """ "ReactJS" work counts for a project asking for "React", though no file spells ReactJS."""
    people = "id,name,skills\nA,Ann,React\nB,Ben,React\n"
    projects = "id,title,skills\nR,React work,React\nG,Go work,Go\n"
    hist = pd.DataFrame(rows("A", [5.0] * 4, skills="ReactJS") + rows("B", [3.0] * 4, skills="Go"))
    adjust = _adjuster(hist.astype(str), projects, people)
    by_skill = adjust.scores.evidence.rating.by_skill
    names = _model(projects, people).vocab.names
    react = names.index("React")
    assert by_skill[0, react] == pytest.approx(
        0.0, abs=1e-12
    )  # all of A's work was React: skill rating = overall
    assert adjust.scores.projects.skills[react, 0] == 1.0
    assert adjust.records.skills[0, react] == 1.0


def test_repeat_client_bonus_is_per_recent_job():
    hist = history(rows("AVG", [None, None], client="  ACME "))  # unrated: only the client counts
    r = ranked(hist)
    w = 0.5 ** (30 / 365)
    plain = ranked(hist, Config(history=HistorySettings(repeat_client_bonus=0)))
    assert r.loc[("PY", "AVG"), "rating_score"] == pytest.approx(
        plain.loc[("PY", "AVG"), "rating_score"] + 0.05 * 2 * w, abs=1e-3
    )  # PY's client is Acme
    assert r.loc[("UI", "AVG"), "rating_score"] == plain.loc[("UI", "AVG"), "rating_score"]


def test_no_history_is_neutral():
    """Neutral, precisely: (1) a person with no record keeps exactly the components they get
    without --history, whatever history other people have; (2) a person whose records are
    exactly the history's mean, and with nothing in people.csv, gets exactly what a person
    with no data at all gets: the pool mean."""
    base = ranked(None)
    mean = 4.25  # of pool_history(), and of GOOD's and BAD's records together
    hist = history(
        rows("GOOD", [5.0] * 4),
        rows("BAD", [3.5] * 4, on_time="no"),
        rows("AVG", [mean] * 4, on_time=""),
    )
    with_hist = ranked(hist)
    columns = ["rating_score", "reliability_score", "score"]
    for project in ("PY", "UI", "BOTH"):
        assert (
            with_hist.loc[(project, "NOHIST"), columns].tolist()
            == base.loc[(project, "NOHIST"), columns].tolist()
        )
        assert with_hist.loc[(project, "AVG"), "rating_score"] == pytest.approx(
            with_hist.loc[(project, "NOHIST"), "rating_score"], abs=1e-12
        )
        assert with_hist.loc[(project, "AVG"), "rating_score"] == 0.9  # the pool mean, 4.5 / 5


def test_people_csv_and_history_combine_as_reviews():
    """A history rating is one more review (weight w) on top of people.csv's reviews."""
    people = POOL_PEOPLE.replace(
        "GOOD,Good,Python; UI design,50,40,,,", "GOOD,Good,Python; UI design,50,40,4.0,10,"
    )
    hist = history(rows("GOOD", [5.0] * 10, days_ago=0))
    adjust = _adjuster(hist, people=people)
    ev = adjust.scores.evidence
    pool = 4.5  # people.csv: 4.4 and 4.6 over 20 reviews each, plus 4.0 over 10
    pool = (4.4 * 20 + 4.6 * 20 + 4.0 * 10) / 50
    history_mean = (4.25 * 8 * 0.5 ** (30 / 365) + 5.0 * 10) / (8 * 0.5 ** (30 / 365) + 10)
    expected = (10 * pool + 10 * 4.0 + 10 * (5.0 - history_mean + pool)) / (10 + 10 + 10)
    assert ev.rating.value[0] == pytest.approx(expected)


def test_later_records_and_unknown_people_are_ignored():
    hist = history(
        rows("GOOD", [5.0] * 3), rows("GOOD", [1.0] * 3, days_ago=-10), rows("ZZZ", [1.0])
    )
    for i, row in enumerate(hist.itertuples()):
        hist.loc[row.Index, "project_id"] = f"H{i}"
    adjust = _adjuster(hist)
    assert (adjust.summary.later, adjust.summary.unknown_people, adjust.summary.used) == (3, 1, 11)
    assert "3 later records ignored" in adjust.summary.describe()
    kept = hist[~hist.person_id.eq("ZZZ") & (hist.date <= AS_OF)]
    pd.testing.assert_frame_equal(ranked(hist), ranked(kept.reset_index(drop=True)))


def test_pairwise_lookup_equals_dense(monkeypatch):
    """Look-ups too large for a dense block go pair by pair, with the same result."""
    hist = history(rows("MIX", [5.0] * 3, skills="Python", client="Acme"), rows("BAD", [2.0]))
    dense = ranked(hist)
    monkeypatch.setattr("gigmatch.score.history.DENSE_CELLS", 1)
    pd.testing.assert_frame_equal(ranked(hist), dense)


def test_as_of_defaults_to_today():
    hist = history(rows("GOOD", [5.0] * 3))
    a = gigmatch.match(frame(POOL_PROJECTS), frame(POOL_PEOPLE), top=0, history=hist)
    b = gigmatch.match(
        frame(POOL_PROJECTS), frame(POOL_PEOPLE), top=0, history=hist, as_of=date.today()
    )
    pd.testing.assert_frame_equal(a, b)


def test_examples_history_effects():
    """The example data's stories: Diego is strong in Django work and weak in UI design."""
    kwargs = {"history": EXAMPLES / "history.csv", "as_of": "2026-11-20", "top": 0}
    base = gigmatch.match(EXAMPLES / "projects.csv", EXAMPLES / "people.csv", top=0)
    hist = gigmatch.match(EXAMPLES / "projects.csv", EXAMPLES / "people.csv", **kwargs)
    b, h = (f.set_index(["project_id", "person_id"]) for f in (base, hist))
    assert h.loc[("P-114", "F-044"), "rating_score"] < b.loc[("P-114", "F-044"), "rating_score"]
    assert h.loc[("P-101", "F-044"), "rating_score"] > h.loc[("P-114", "F-044"), "rating_score"]
    # Tariq Aziz (F-033) has no history: untouched
    assert h.loc[("P-104", "F-033")].equals(b.loc[("P-104", "F-033")])


def test_cli_match_with_history(tmp_path):
    path = write(tmp_path, "history.csv", history(rows("F3", [5.0] * 4)).to_csv(index=False))
    projects = write(tmp_path, "projects.csv", PROJECTS)
    people = write(tmp_path, "people.csv", PEOPLE)
    runner = CliRunner()
    args = ["match", str(projects), str(people), "-f", "json", "--top", "0"]
    plain = runner.invoke(app, args)
    result = runner.invoke(app, [*args, "--history", str(path), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "history: 4 records of 1 people as of 2026-06-30" in result.stderr
    assert "8 records of people not in the people file ignored" in result.stderr
    import json

    before = {(r["project_id"], r["person_id"]): r for r in json.loads(plain.stdout)}
    after = {(r["project_id"], r["person_id"]): r for r in json.loads(result.stdout)}
    assert after[("P2", "F3")]["rating_score"] > before[("P2", "F3")]["rating_score"]
    assert after[("P2", "F5")] == before[("P2", "F5")]
    bad = runner.invoke(app, [*args, "--history", str(path), "--as-of", "someday"])
    assert bad.exit_code == 2 and "--as-of 'someday'" in bad.stderr


def test_history_of_no_known_person_is_a_data_error(tmp_path):
    """`check` calls it history-ids-mismatch: the history would be silently ignored."""
    hist = pd.DataFrame(rows("X-1", [5.0, 4.0]) + rows("X-2", [3.0])).astype(str)
    parsed = read(hist, "history")
    project_frame, people_frame = (
        read(frame(POOL_PROJECTS), "projects"),
        read(frame(POOL_PEOPLE), "people"),
    )
    with pytest.raises(gigmatch.errors.InputError) as caught:
        history_adjuster(
            parsed, project_frame, people_frame, _model(), Config(), AS_OF, source="past.csv"
        )
    message = str(caught.value)
    assert message.startswith("past.csv: no person_id matches an id in the people file")
    assert "none of its 3 records (e.g. 'X-1')" in message and "(e.g. 'GOOD')" in message
    assert "check that the history's person_id column and the people file's id column" in message
    path = write(tmp_path, "past.csv", hist.to_csv(index=False))
    args = [write(tmp_path, "projects.csv", PROJECTS), write(tmp_path, "people.csv", PEOPLE)]
    result = CliRunner().invoke(
        app, ["match", *map(str, args), "--history", str(path), "--as-of", AS_OF, "-f", "json"]
    )
    assert result.exit_code == 3
    assert "no person_id matches an id in the people file" in result.stderr
    assert result.stdout == ""
    explained = CliRunner().invoke(
        app, ["explain", *map(str, args), "P2", "F3", "-H", str(path), "--as-of", AS_OF]
    )
    assert explained.exit_code == 3
    assert f"{path}: no person_id matches an id in the people file" in explained.stderr


def test_partial_id_mismatch_is_still_only_a_note():
    hist = history(rows("GOOD", [5.0]), rows("X-1", [1.0]))
    assert _adjuster(hist).summary.unknown_people == 1
    empty = history().iloc[0:0]
    assert _adjuster(empty).summary.used == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["GOOD", "BAD", "MIX", "Q1"]),
            st.one_of(st.none(), st.floats(0, 5)),
            st.integers(-100, 2000),
            st.sampled_from(["yes", "no", ""]),
            st.sampled_from(["Python", "UI design; Python", "", "Cobol"]),
            st.sampled_from(["Acme", "Globex", ""]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_property_bounded_and_neutral(records):
    hist = pd.DataFrame(
        [
            {
                "person_id": p,
                "project_id": f"H{i}",
                "date": (TODAY - timedelta(days=age)).isoformat(),
                "rating": "" if r is None else f"{r:.2f}",
                "on_time": t,
                "skills": s,
                "client": c,
            }
            for i, (p, r, age, t, s, c) in enumerate(records)
        ]
    )
    base, result = _no_history(), ranked(hist)
    for column in ("rating_score", "reliability_score"):
        assert result[column].between(0, 1).all()
    untouched = ["NOHIST", "UNTAGGED", "AVG", "Q2"]  # people with no record here
    mine, theirs = (
        f[f.index.get_level_values("person_id").isin(untouched)].drop(columns="rank").sort_index()
        for f in (result, base)
    )
    pd.testing.assert_frame_equal(mine, theirs)


@functools.cache
def _no_history() -> pd.DataFrame:
    return ranked(None)


def _model(projects=POOL_PROJECTS, people=POOL_PEOPLE):
    model, _ = with_history(
        read(frame(projects), "projects"), read(frame(people), "people"), Config(), None
    )
    return model


def _adjuster(hist, projects=POOL_PROJECTS, people=POOL_PEOPLE):
    project_frame, people_frame = read(frame(projects), "projects"), read(frame(people), "people")
    model = _model(projects, people)
    return history_adjuster(
        read(hist, "history"), project_frame, people_frame, model, Config(), AS_OF
    )


def test_a_versioned_record_counts_for_the_unversioned_skill():
    """History uses the match rule: "Python 3" work meets a project asking "Python", even when
    some current row writes "Python 3" (so it is a skill id of its own)."""
    import pandas as pd

    from gigmatch.read.config import Config
    from gigmatch.read.skill_cells import SkillItem
    from gigmatch.score.history import _skill_matrix
    from gigmatch.skills.index import SkillIndex

    index = SkillIndex.build(Config(), [[SkillItem("Python")], [SkillItem("Python 3")]])
    frame = pd.DataFrame({"skills": [[SkillItem("Python 3")], [SkillItem("Django")]]})
    meets = _skill_matrix(frame, index).toarray()
    assert meets[0, index.id_of("Python")] == 1 and meets[0, index.id_of("Python 3")] == 1
    assert meets[1].sum() == 0  # Django is related to Python, not Python
