"""Data hygiene: every planted problem is found at its row, and clean data gives none."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import EXAMPLES, write
from hypothesis import given, settings
from hypothesis import strategies as st

from gigmatch.errors import InputError, Problem
from gigmatch.insights.check import (
    CODES,
    PROBLEM_COLUMNS,
    blocking_pairs,
    check,
    first_matches,
    jaccard,
    name_key,
    name_pairs,
    problems_frame,
    similarity,
    sort_problems,
)
from gigmatch.read.config import Config
from gigmatch.read.schema import load

DATA = Path(__file__).resolve().parent / "data" / "hygiene"

# (file, row, column, code) of every problem planted in tests/data/hygiene/{projects,people,
# history}.csv; nothing else may be reported.
PLANTED = {
    ("projects.csv", 3, "team_size", "bad-value"),  # `zero` as a team size
    ("projects.csv", 4, "skills", "unmet-skill"),  # COBOL and Fortran: nobody has them
    ("projects.csv", 5, "title", "likely-duplicate-project"),  # `Shop-front` for ACME again
    ("projects.csv", 6, "budget", "suspicious-budget"),  # 5000 against a median of 67.5
    ("projects.csv", 7, "team_size", "team-too-large"),  # 40 places, 15 people
    ("projects.csv", 8, "hours", "out-of-range"),  # 200 hours a week
    ("people.csv", 4, "rate", "bad-value"),  # `abc` as a rate (row 4: row 3 spans two lines)
    ("people.csv", 5, "id", "duplicate-id"),  # F3 twice
    ("people.csv", 6, "hours", "out-of-range"),  # -5 hours
    ("people.csv", 6, "rating", "out-of-range"),  # rating 7 of 5
    ("people.csv", 7, "skills", "empty"),  # no skills
    ("people.csv", 8, "timezone", "bad-timezone"),  # Mars/Olympus
    ("people.csv", 9, "rate", "suspicious-rate"),  # 900 against a median of 60
    ("people.csv", 11, "name", "likely-duplicate-person"),  # Jon Smith ~ John Smith
    ("people.csv", 12, "hours", "no-hours"),  # 0 hours, capacity 1
    ("people.csv", 13, "email", "likely-duplicate-person"),  # KIM@ = kim@
    ("people.csv", 14, "hours", "suspicious-hours"),  # 120 hours a week
    ("people.csv", 15, "skills", "bad-level"),  # Go:9
    ("history.csv", 3, "person_id", "unknown-person"),  # F99
    ("history.csv", 4, "person_id", "unknown-person"),  # f1 (did you mean F1?)
    ("history.csv", 5, "project_id", "unknown-project"),  # H-4, no skills, no client
    ("history.csv", 6, "project_id", "duplicate-history"),  # row 2 again
    ("history.csv", 7, "rating", "out-of-range"),  # rating 9
}


@pytest.fixture(scope="module")
def planted():
    return check(DATA / "projects.csv", DATA / "people.csv", DATA / "history.csv")


def located(report) -> set[tuple[str, int | None, str | None, str]]:
    return {(Path(p.file).name, p.row, p.column, p.code) for p in report.problems}


@pytest.mark.parametrize("where", sorted(PLANTED), ids=lambda w: f"{w[0]}:{w[1]}:{w[3]}")
def test_each_planted_problem_is_reported_at_its_row(planted, where):
    assert where in located(planted)


def test_nothing_but_the_planted_problems_is_reported(planted):
    assert located(planted) == PLANTED
    assert len(planted.problems) == len(PLANTED)


def test_severities_follow_the_documented_codes(planted):
    for problem in planted.problems:
        assert problem.severity == CODES[problem.code][0], problem
    assert (len(planted.errors), len(planted.warnings)) == (9, 14)
    assert planted.summary() == "9 errors, 14 warnings in 3 files"
    assert planted.failed() and planted.failed(strict=True)


def test_messages_say_what_to_do(planted):
    by_place = {(Path(p.file).name, p.row, p.code): p.message for p in planted.problems}
    assert "F9 'John Smith' (row 10)" in by_place[("people.csv", 11, "likely-duplicate-person")]
    assert "same email" in by_place[("people.csv", 13, "likely-duplicate-person")]
    assert "15x the pool's median (60)" in by_place[("people.csv", 9, "suspicious-rate")]
    assert "COBOL, Fortran" in by_place[("projects.csv", 4, "unmet-skill")]
    assert "did you mean 'F1'?" in by_place[("history.csv", 4, "unknown-person")]
    assert "did you mean" not in by_place[("history.csv", 3, "unknown-person")]
    assert "as row 2" in by_place[("history.csv", 6, "duplicate-history")]
    assert "P1 'Shop front' (row 2)" in by_place[("projects.csv", 5, "likely-duplicate-project")]


def test_messy_values_that_read_unambiguously_are_read():
    people = load(DATA / "people.csv", "people").frame.set_index("id")
    ann, bo = people.loc["F1"], people.loc["F2"]
    assert (ann["rate"], ann["on_time"]) == (100.0, 0.84)  # USD 100, 84%
    assert (bo["rate"], bo["rating"]) == (40.0, 5.0)  # $40, "5.0\n"
    assert [s.name for s in bo["skills"]] == ["Copywriting", "SEO"]  # ['Copywriting', 'SEO']


def test_clean_data_has_no_problems():
    report = check(
        DATA / "clean_projects.csv", DATA / "clean_people.csv", DATA / "clean_history.csv"
    )
    assert report.problems == ()
    assert not report.failed(strict=True)
    assert report.summary() == "no problems in 3 files"


def test_examples_have_no_errors_and_the_two_known_warnings():
    report = check(EXAMPLES / "projects.csv", EXAMPLES / "people.csv", EXAMPLES / "history.csv")
    assert report.errors == []
    assert located(report) == {
        ("projects.csv", 10, "skills", "unmet-skill"),  # P-109 needs COBOL
        ("people.csv", 53, "Email", "likely-duplicate-person"),  # F-052 Jon Smith = F-014
    }
    duplicate = next(p for p in report.problems if p.code == "likely-duplicate-person")
    assert "F-014 'John Smith' (row 15)" in duplicate.message


def test_ragged_rows_are_all_reported_and_the_other_files_still_checked():
    report = check(DATA / "projects.csv", DATA / "people_ragged.csv", DATA / "history.csv")
    ragged = [p for p in report.problems if p.code == "ragged-row"]
    assert [(p.row, p.severity) for p in ragged] == [(3, "error"), (5, "error")]
    assert "5 cells but the header has 4" in ragged[0].message
    assert ("projects.csv", 3, "team_size", "bad-value") in located(report)
    assert ("history.csv", 7, "rating", "out-of-range") in located(report)
    assert not any(p.code == "unknown-person" for p in report.problems)  # people unreadable


def test_first_data_row_too_long_is_a_ragged_row_not_a_crash(tmp_path):
    people = write(tmp_path, "people.csv", "id,name,skills\nF1,Ann,Python,extra\nF2,Bo,SQL\n")
    report = check(DATA / "clean_projects.csv", people)
    assert [(p.row, p.code) for p in report.problems] == [(2, "ragged-row")]


def test_history_with_foreign_ids_is_one_error():
    report = check(DATA / "projects.csv", DATA / "people.csv", DATA / "history_mismatch.csv")
    history = [p for p in report.problems if p.file.endswith("history_mismatch.csv")]
    assert [(p.row, p.column, p.severity, p.code) for p in history] == [
        (None, "person_id", "error", "history-ids-mismatch")
    ]
    assert "'Ann Lee'" in history[0].message and "'F1'" in history[0].message


def test_missing_required_column_is_reported_on_the_header_row_and_alone():
    """No echo of the gap: no "empty" skills per row, no "nobody has React" for projects."""
    report = check(DATA / "clean_projects.csv", DATA / "people_no_skills.csv")
    assert [(p.row, p.column, p.severity, p.code) for p in report.problems] == [
        (1, "skills", "error", "missing-column")
    ]


def test_a_file_that_does_not_exist_raises(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        check(DATA / "clean_projects.csv", tmp_path / "nobody.csv")


def test_an_empty_file_is_reported_not_raised(tmp_path):
    empty = write(tmp_path, "people.csv", "")
    report = check(DATA / "clean_projects.csv", empty)
    assert [(p.file, p.row, p.code) for p in report.problems] == [(str(empty), None, "unreadable")]


def test_dataframes_are_checked_like_files():
    people = pd.read_csv(DATA / "people.csv", dtype=str, keep_default_na=False)
    projects = pd.read_csv(DATA / "clean_projects.csv", dtype=str, keep_default_na=False)
    report = check(projects, people)
    found = {(p.file, p.row, p.code) for p in report.problems}
    assert ("<people frame>", 4, "bad-value") in found
    assert ("<people frame>", 11, "likely-duplicate-person") in found


def test_same_input_same_report(planted):
    again = check(DATA / "projects.csv", DATA / "people.csv", DATA / "history.csv")
    assert again == planted


def test_problems_sort_by_file_given_then_row_column_code():
    problems = [
        Problem("b.csv", 2, "x", "error", "bad-value", "m"),
        Problem("a.csv", 3, "y", "warning", "empty", "m"),
        Problem("b.csv", None, "x", "error", "history-ids-mismatch", "m"),
        Problem("b.csv", 2, "a", "warning", "empty", "m"),
        Problem("a.csv", 3, "y", "error", "bad-level", "m"),
    ]
    ordered = sort_problems(problems, ["b.csv", "a.csv"])
    assert [(p.file, p.row, p.column, p.code) for p in ordered] == [
        ("b.csv", None, "x", "history-ids-mismatch"),
        ("b.csv", 2, "a", "empty"),
        ("b.csv", 2, "x", "bad-value"),
        ("a.csv", 3, "y", "bad-level"),
        ("a.csv", 3, "y", "empty"),
    ]


def test_problems_frame_has_the_documented_columns(planted):
    frame = problems_frame(planted.problems)
    assert list(frame.columns) == PROBLEM_COLUMNS == [
        "file", "row", "column", "severity", "code", "message"
    ]  # fmt: skip
    assert len(frame) == len(PLANTED)
    assert list(problems_frame([]).columns) == PROBLEM_COLUMNS


# ---- the pieces of the duplicate search -------------------------------------------------------


def test_name_key_ignores_case_accents_and_punctuation():
    assert name_key("Siobhán O'Brien") == name_key("siobhan o brien") == "siobhan o brien"
    assert name_key("  Zoë   Clarke ") == "zoe clarke"


def test_similarity_keeps_typos_and_word_order_but_not_other_numbers():
    texts = np.array(["jon smith", "john smith", "smith john", "project 1", "project 14", ""])
    pairs = np.array([[0, 1], [1, 2], [3, 4], [5, 5]])
    scores = similarity(texts, pairs, cutoff=80)
    assert scores[0] == pytest.approx(94.7, abs=0.1)
    assert scores[1] == 100.0
    assert scores[2] == 0.0 and scores[3] == 0.0


def test_jaccard_of_skill_rows():
    from scipy import sparse

    rows = sparse.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]]))
    assert jaccard(rows, np.array([[0, 1], [0, 2], [2, 3]])).tolist() == [2 / 3, 0.0, 1.0]


def test_each_duplicate_is_reported_once_against_the_first_entry():
    pairs = np.array([[0, 3], [1, 3], [2, 5], [0, 5], [4, 6]])
    keep = np.array([True, True, True, True, False])
    assert pairs[first_matches(pairs, keep)].tolist() == [[0, 3], [0, 5]]


def test_reversed_order_finds_an_early_typo_behind_many_names():
    """`Jmes Smith` sorts after every `Ja…`-`Jm…` Smith; reversed, it sits by `James Smith`."""
    fillers = [f"J{c}{d}o Smith" for c in "abcdefghijkl" for d in "aeiou"]
    keys = np.array([name_key(n) for n in ["James Smith", *fillers, "Jmes Smith"]])
    found = {tuple(p) for p in name_pairs(keys, window=3).tolist()}
    assert (0, len(keys) - 1) in found
    assert len(found) <= 4 * 3 * len(keys)  # linear in the number of rows


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["", "a", "b", "c"]), min_size=0, max_size=40),
    st.integers(min_value=1, max_value=6),
)
def test_blocking_pairs_stay_in_blocks_and_cover_small_blocks(keys, window):
    keys_arr = np.array(keys, dtype=object)
    order = np.array([f"{i * 7919 % 97:03d}" for i in range(len(keys))], dtype=object)
    pairs = {tuple(p) for p in blocking_pairs(keys_arr, order, window).tolist()}
    assert all(i < j and keys[i] == keys[j] != "" for i, j in pairs)
    assert len(pairs) <= len(keys) * window
    for key in {"a", "b", "c"}:
        members = [i for i, k in enumerate(keys) if k == key]
        if len(members) <= window + 1:
            expected = {(i, j) for i in members for j in members if i < j}
            assert expected <= pairs


def test_rates_far_below_the_median_are_suspicious_too():
    people = pd.DataFrame(
        {
            "id": [f"F{i}" for i in range(6)],
            "name": ["Ann", "Bo", "Cy", "Di", "Ed", "Flo"],
            "skills": ["Python", "SQL", "Go", "Rust", "Java", "Excel"],
            "rate": ["60", "55", "65", "58", "62", "5"],
        }
    )
    report = check(pd.read_csv(DATA / "clean_projects.csv", dtype=str), people, config=Config())
    rates = [(p.row, p.code) for p in report.problems if p.column == "rate"]
    assert rates == [(7, "suspicious-rate")]
    assert "under a tenth" in next(p.message for p in report.problems if p.column == "rate")
