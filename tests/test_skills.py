"""Skill lists, normalisation, aliases and look-alike guards."""

from __future__ import annotations

import numpy as np
import pytest

from gigmatch.read.skill_cells import SkillItem, split_skills
from gigmatch.skills.spelling import alias_table, build_vocabulary, fuzzy_similarity, normalise


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Python; SQL", ["Python", "SQL"]),
        ("Python, SQL", ["Python", "SQL"]),
        ("Python | SQL", ["Python", "SQL"]),
        ("['Copywriting', 'SEO']", ["Copywriting", "SEO"]),
        ('["Copywriting", "SEO"]', ["Copywriting", "SEO"]),
        ("Python;;  ; SQL;", ["Python", "SQL"]),
        ("C#; C++; .NET", ["C#", "C++", ".NET"]),
        ("Node.js, Vue.js", ["Node.js", "Vue.js"]),
        ("", []),
    ],
)
def test_split_skills_reads_every_separator_style(cell, names):
    items, problems = split_skills(cell)
    assert [i.name for i in items] == names
    assert problems == []


def test_split_skills_reads_levels_and_reports_bad_ones():
    items, problems = split_skills("Python:4; React : 5; Go:9; SQL:high")
    assert items == [
        SkillItem("Python", 4),
        SkillItem("React", 5),
        SkillItem("Go", None),
        SkillItem("SQL:high", None),
    ]
    assert len(problems) == 1 and "'9' of 'Go'" in problems[0]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Python 3", "python"),
        ("python3", "Python"),
        ("Machine_Learning", "machine learning"),
        ("Machine-Learning", "MACHINE LEARNING"),
        ("Angular 12", "angular"),
        ("Vue 3.x", "vue"),
        ("  React  ", "react"),
    ],
)
def test_normalise_ignores_case_spacing_separators_versions(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("C", "C++"), ("C", "C#"), ("C++", "C#"), (".NET", "NET"), ("Web3", "Web"), ("S3", "S")],
)
def test_normalise_keeps_symbols_and_meaningful_digits(a, b):
    assert normalise(a) != normalise(b)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("js", "JavaScript"),
        ("golang", "Go"),
        ("k8s", "Kubernetes"),
        ("ML", "Machine Learning"),
        ("AWS", "Amazon Web Services"),
        ("ReactJS", "React"),
        ("React.js", "React"),
        ("Postgres", "PostgreSQL"),
        ("SEO", "Search Engine Optimization"),
    ],
)
def test_builtin_aliases(alias, canonical):
    assert alias_table().canonical(normalise(alias)) == canonical


def test_user_aliases_extend_and_override_the_builtin_table():
    table = alias_table({"Reactish": ["react"], "Frobnicate": ["frob"]})
    assert table.canonical("react") == "Reactish"
    assert table.canonical("frob") == "Frobnicate"
    assert table.canonical("reactjs") == "React"  # untouched built-in alias


def _similar(wanted: str, offered: str, threshold: float = 80) -> float:
    """Similarity of two spellings as the scorer sees it (1 for the same skill)."""
    vocab = build_vocabulary([wanted, offered], alias_table())
    w, o = vocab.id_of(wanted), vocab.id_of(offered)
    if w == o:
        return 1.0
    sim = fuzzy_similarity(vocab, np.array([w]), np.array([o]), threshold=threshold)
    return float(sim.value[0]) if len(sim.value) else 0.0


@pytest.mark.parametrize(
    ("wanted", "offered"),
    [
        ("Java", "JavaScript"),
        ("C", "C++"),
        ("C", "C#"),
        ("C++", "C#"),
        ("R", "Ruby"),
        ("Go", "Django"),
        ("UX design", "UI design"),
        ("Excel", "Excellent communication"),
        ("React", "React Native"),
        ("SQL", "MySQL"),
        ("Java", "Javascript"),
        ("Rust", "Trust"),
        ("Figma", "Sigma"),
        ("Docker", "Locker"),
        ("Perl", "Pearl"),
        ("Scala", "Scale"),
        ("Canva", "Canvas"),
        ("Redux", "Redox"),
        ("Editing", "Auditing"),
    ],
)
def test_look_alikes_stay_apart(wanted, offered):
    assert _similar(wanted, offered) == 0.0
    assert _similar(offered, wanted) == 0.0


@pytest.mark.parametrize(
    ("wanted", "offered"),
    [
        ("Python", "Pyhton"),
        ("Kubernetes", "Kubernets"),
        ("JavaScript", "Javscript"),
        ("PostgreSQL", "Postgre SQL"),
        ("Machine Learning", "Machine Lerning"),
    ],
)
def test_typos_match_fuzzily_below_exact(wanted, offered):
    similarity = _similar(wanted, offered)
    assert 0.8 <= similarity < 1.0


def test_fuzzy_threshold_is_respected():
    assert _similar("Python", "Pyhton", threshold=90) == 0.0


def test_vocabulary_groups_spellings_and_is_order_independent():
    spellings = ["ReactJS", "react", "React.js", "Pyhton", "Python 3", "python"]
    a = build_vocabulary(spellings, alias_table())
    b = build_vocabulary(list(reversed(spellings)), alias_table())
    assert a.names == b.names
    assert a.id_of("ReactJS") == a.id_of("react") == a.id_of("React.js")
    assert a.names[a.id_of("react")] == "React"
    assert a.id_of("Python 3") == a.id_of("python")
    assert a.id_of("Pyhton") != a.id_of("python")


def test_unknown_skill_is_named_by_its_most_common_spelling():
    vocab = build_vocabulary(["Frobnication", "frobnication", "Frobnication"], alias_table())
    assert vocab.names == ["Frobnication"]
    assert len(vocab.known) == 1 and not vocab.known[0]
