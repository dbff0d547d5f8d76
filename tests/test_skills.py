"""Skill lists, normalisation, aliases and look-alike guards."""

from __future__ import annotations

import numpy as np
import pytest

from gigmatch.read.config import Config, Thresholds
from gigmatch.read.skill_cells import SkillItem, split_skills
from gigmatch.skills.index import SkillIndex
from gigmatch.skills.spelling import normalise


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


def _index(*spellings: str, config: Config | None = None) -> SkillIndex:
    return SkillIndex.build(config or Config(), [[SkillItem(s)] for s in spellings])


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
def test_builtin_aliases_resolve_through_the_knowledge_base(alias, canonical):
    index = _index(alias, canonical)
    assert index.id_of(alias) == index.id_of(canonical)
    assert index.names[index.id_of(alias)] == canonical


def test_user_aliases_extend_and_override_the_knowledge_base():
    config = Config(aliases={"Reactish": ["react"], "Frobnicate": ["frob"]})
    index = _index("react", "Reactish", "frob", "Frobnicate", "ReactJS", config=config)
    assert index.id_of("react") == index.id_of("Reactish")
    assert index.id_of("frob") == index.id_of("Frobnicate")
    assert index.resolve("frob").how == "alias"


def _same(wanted: str, offered: str, config: Config | None = None) -> bool:
    """Whether `offered` meets `wanted` as the same skill, as the scorer sees it."""
    index = _index(wanted, offered, config=config)
    w, o = index.id_of(wanted), index.id_of(offered)
    if w == o:
        return True
    same = index.links(np.array([w]), np.array([o]), related=False)
    return bool(len(same.wanted))


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
        ("Canva", "Canvas"),  # the fold singularises Canvas; the build refuses that merge
        ("Redux", "Redox"),  # five letters: one changed letter is not a typo
        ("Editing", "Auditing"),
        ("Python 2", "Python 3"),
    ],
)
def test_look_alikes_are_never_the_same_skill(wanted, offered):
    assert not _same(wanted, offered)
    assert not _same(offered, wanted)


@pytest.mark.parametrize(
    ("wanted", "offered"),
    [
        ("Python", "Pyhton"),
        ("Kubernetes", "Kubernets"),
        ("JavaScript", "Javscript"),
        ("PostgreSQL", "Postgre SQL"),
        ("Machine Learning", "Machine Lerning"),
        ("Python", "Python 3"),
    ],
)
def test_typos_and_versions_are_the_same_skill(wanted, offered):
    assert _same(wanted, offered)


def test_typo_threshold_is_respected():
    assert _index("Pyhton").resolve("Pyhton").how == "typo 83"
    assert not _same("Python", "Pyhton", Config(thresholds=Thresholds(fuzzy=90)))


def test_vocabulary_groups_spellings_and_is_order_independent():
    spellings = ["ReactJS", "react", "React.js", "Pyhton", "Python 3", "python"]
    a = _index(*spellings)
    b = _index(*reversed(spellings))
    assert a.names == b.names and a.vocab.keys == b.vocab.keys
    assert a.id_of("ReactJS") == a.id_of("react") == a.id_of("React.js")
    assert a.names[a.id_of("react")] == "React"
    assert a.id_of("Pyhton") == a.id_of("python")  # a typo of Python is Python
    assert a.names[a.id_of("Python 3")] == "Python 3"  # the same skill, one version of it


def test_concepts_fold_versions_into_their_product_in_any_row_order():
    spellings = ["Python 3", "Magento 2", "python", "Python 2.7", "Frobnication", "Magento 1"]
    for order in (spellings, list(reversed(spellings))):
        index = _index(*order)
        concepts = index.concepts()
        assert concepts.names == ["Frobnication", "Magento", "Python"]  # no version shown
        python = {int(concepts.of[index.id_of(s)]) for s in ("python", "Python 3", "Python 2.7")}
        assert python == {concepts.names.index("Python")}
        assert concepts.find(index.concept_of("Python 3.11")) == concepts.names.index("Python")
        assert concepts.find(index.concept_of("Django")) == -1
        assert index.concepts() is concepts  # computed once


def test_unknown_skill_is_named_by_its_most_common_spelling():
    index = _index("Frobnication", "frobnication", "Frobnication")
    assert index.names == ["Frobnication"]
    assert len(index.vocab.known) == 1 and not index.vocab.known[0]


def test_a_second_index_in_one_process_shows_its_own_spellings():
    """Resolvers of one config share resolutions within a process; what an index shows (an
    unknown skill in a relation's reason) still comes from its own spellings alone."""
    for written in ("psd to wordpress", "PSD to WordPress", "psd to wordpress"):
        index = _index(written, "WordPress")
        links = index.links(np.arange(len(index)), np.arange(len(index)))
        relation = links.relations[(index.id_of("WordPress"), index.id_of(written))]
        assert relation.via == f"{written} implies WordPress"
        assert index.resolve(written).spelling == written


def test_the_shared_resolutions_stay_bounded(monkeypatch):
    """The store a process keeps between runs is emptied rather than grown past its bound,
    and what a run resolves is the same either way."""
    import gigmatch.skills.resolve as resolve
    from gigmatch.skills.index import make_resolver

    monkeypatch.setattr(resolve, "MAX_SHARED", 3)
    config = Config(aliases={"Widget Crafting": ["widgetry"]})  # a store of its own
    first = make_resolver(config).resolve_many(["Pyhton", "widgetry", "React JS", "Python 3"])
    again = make_resolver(config).resolve_many(["Pyhton", "widgetry", "React JS", "Python 3"])
    assert first == again
    assert [r.key for r in again] == ["python", "user:widget crafting", "react", "python@3"]
    shared = make_resolver(config)._shared
    assert shared is not None and len(shared) == 4  # a run that adds nothing keeps the store
    make_resolver(config).resolve_many(["Pyhton", "Django"])
    assert list(shared) == ["Django"]  # one more would pass the bound: emptied, then added
