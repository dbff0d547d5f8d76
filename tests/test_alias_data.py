"""Invariants of the built-in skill alias table, gigmatch/data/aliases.toml.

The table is hand-edited data: one careless line can silently merge two skills (say, Java into
JavaScript) and every ranking built on it is wrong without any error. These tests pin the rules
the file's header states. Collisions are checked under three keys: a mild one (case and
spacing), gigmatch's own `normalise`, and a deliberately aggressive one (also drops punctuation,
accents and any trailing digits), so that the table stays collision-free even if the matcher's
normalisation grows stricter.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from importlib import resources

import pytest

from gigmatch.skills.spelling import normalise

DATA = resources.files("gigmatch") / "data"


@cache
def table() -> dict[str, list[str]]:
    """The parsed [aliases] table: canonical name -> aliases."""
    return tomllib.loads(DATA.joinpath("aliases.toml").read_text(encoding="utf-8"))["aliases"]


def mild_key(spelling: str) -> str:
    """Case and spacing only: 'React  JS' and 'react-js' are the same spelling."""
    return re.sub(r"[\s_-]+", " ", spelling.casefold()).strip()


def loose_key(spelling: str) -> str:
    """Stricter than any matcher should be: no accents, punctuation, spaces or trailing version.

    Keeps '+' and '#' so that C, C++ and C# stay three keys, as the matcher keeps them.
    """
    decomposed = unicodedata.normalize("NFKD", spelling.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    compact = re.sub(r"[^a-z0-9+#]", "", plain)
    return re.sub(r"(?<=[a-z+#])\d+\+?$", "", compact)


KEYS: list[Callable[[str], str]] = [mild_key, normalise, loose_key]


@cache
def canonical_by_mild_key() -> dict[str, str]:
    """Every spelling in the table (canonical names and aliases) -> its canonical name."""
    return {
        mild_key(spelling): canonical
        for canonical, aliases in table().items()
        for spelling in (canonical, *aliases)
    }


def group_of(spelling: str) -> str | None:
    """The canonical skill a spelling resolves to, case-insensitively, or None."""
    return canonical_by_mild_key().get(mild_key(spelling))


def all_aliases() -> list[str]:
    return [alias for aliases in table().values() for alias in aliases]


def test_file_has_one_aliases_table_of_string_lists() -> None:
    document = tomllib.loads(DATA.joinpath("aliases.toml").read_text(encoding="utf-8"))
    assert list(document) == ["aliases"]
    for canonical, aliases in table().items():
        assert isinstance(canonical, str)
        assert isinstance(aliases, list), canonical
        assert all(isinstance(alias, str) for alias in aliases), canonical
    assert len(table()) >= 200
    assert len(all_aliases()) >= 400


def test_names_and_aliases_are_clean_non_empty_strings() -> None:
    for spelling in [*table(), *all_aliases()]:
        assert spelling, "empty name or alias"
        assert spelling == spelling.strip(), repr(spelling)
        assert "  " not in spelling, repr(spelling)
        assert spelling.isprintable(), repr(spelling)


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.__name__)
def test_no_alias_appears_under_two_canonical_names(key: Callable[[str], str]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for canonical, aliases in table().items():
        for alias in aliases:
            owners[key(alias)].add(canonical)
    shared = {spelling: sorted(names) for spelling, names in owners.items() if len(names) > 1}
    assert shared == {}


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.__name__)
def test_no_alias_equals_another_canonical_name(key: Callable[[str], str]) -> None:
    canonical_keys: dict[str, set[str]] = defaultdict(set)
    for canonical in table():
        canonical_keys[key(canonical)].add(canonical)
    clashes = [
        (alias, canonical, sorted(canonical_keys[key(alias)] - {canonical}))
        for canonical, aliases in table().items()
        for alias in aliases
        if canonical_keys[key(alias)] - {canonical}
    ]
    assert clashes == []


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.__name__)
def test_canonical_names_stay_distinct(key: Callable[[str], str]) -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for canonical in table():
        owners[key(canonical)].append(canonical)
    assert {k: names for k, names in owners.items() if len(names) > 1} == {}


def test_no_spelling_contains_a_skill_list_separator() -> None:
    """A cell is split on `;`, `|` and `,` before lookup, so such a spelling could never match."""
    assert [s for s in [*table(), *all_aliases()] if any(sep in s for sep in ";|,\n")] == []


def test_no_alias_repeats_its_own_group() -> None:
    """A repeated spelling is dead weight and hides which entry a reviewer should edit."""
    repeated = [
        canonical
        for canonical, aliases in table().items()
        if len({mild_key(s) for s in (canonical, *aliases)}) != 1 + len(aliases)
    ]
    assert repeated == []


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("JS", "JavaScript"),
        ("golang", "Go"),
        ("K8s", "Kubernetes"),
        ("ML", "Machine Learning"),
        ("AWS", "Amazon Web Services"),
        ("ReactJS", "React"),
        ("postgres", "PostgreSQL"),
        ("SEO", "Search Engine Optimization"),
        ("UX", "UX Design"),
        ("csharp", "C#"),
        ("cpp", "C++"),
        ("py", "Python"),
        ("TS", "TypeScript"),
        ("nodejs", "Node.js"),
        ("node", "Node.js"),
        ("sklearn", "scikit-learn"),
        ("RoR", "Ruby on Rails"),
        ("PPC", "Pay-Per-Click"),
        ("scss", "Sass"),
        ("dotnet", ".NET"),
        ("AI", "Artificial Intelligence"),
        ("illustrator", "Adobe Illustrator"),
        ("CV writing", "Resume Writing"),
    ],
)
def test_key_alias_resolves_to_its_skill(alias: str, canonical: str) -> None:
    resolved = group_of(alias)
    assert resolved is not None, alias
    assert resolved.casefold() == canonical.casefold()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Java", "JavaScript"),
        ("C", "C++"),
        ("C", "C#"),
        ("C++", "C#"),
        ("C#", "F#"),
        ("R", "Ruby"),
        ("Go", "Django"),
        ("Django", "Jinja"),
        ("UX Design", "UI Design"),
        ("UX Design", "UI/UX Design"),
        ("React", "React Native"),
        ("Angular", "AngularJS"),
        ("SQL", "MySQL"),
        ("SQL", "PostgreSQL"),
        ("SQL", "SQL Server"),
        ("MySQL", "PostgreSQL"),
        ("JavaScript", "Node.js"),
        ("Spring", "Spring Boot"),
        (".NET", "ASP.NET"),
        ("Docker", "Docker Compose"),
        ("Apache Spark", "PySpark"),
        ("TensorFlow", "Terraform"),
        ("ai", "Adobe Illustrator"),
        ("Computer Vision", "CV writing"),
        ("Machine Learning", "Deep Learning"),
        ("SEO", "SEM"),
        ("Microsoft Azure", "Azure DevOps"),
        ("Scrum", "Scrum Master"),
        ("Project Management", "Product Management"),
        ("Social Media Marketing", "Social Media Management"),
        ("Microsoft Excel", "Excellent communication"),
    ],
)
def test_look_alikes_are_different_skills(first: str, second: str) -> None:
    assert group_of(first) is not None, first
    assert group_of(first) != group_of(second)


@pytest.mark.parametrize(
    "spelling",
    ["sql", "cv", "tf", "ps", "rn", "pm", "pr", "gtm", "es", "ea", "oracle", "apache", "apex"],
)
def test_ambiguous_spelling_is_nobodys_alias(spelling: str) -> None:
    assert spelling not in {mild_key(alias) for alias in all_aliases()}


def documented_short_aliases(header: str) -> set[str]:
    """The comma-separated list under 'Short aliases' in the file's comment header."""
    block = header.split("# Short aliases", 1)[1].split("# Short spellings", 1)[0]
    listed = [line.removeprefix("#").strip() for line in block.splitlines()[2:]]
    return {token.strip() for line in listed for token in line.split(",") if token.strip()}


def test_header_lists_exactly_the_short_aliases_kept() -> None:
    text = DATA.joinpath("aliases.toml").read_text(encoding="utf-8")
    short = {alias.casefold() for alias in all_aliases() if len(alias) <= 3}
    assert documented_short_aliases(text) == short


def test_linguist_attribution_and_licence_ship_with_the_table() -> None:
    header = DATA.joinpath("aliases.toml").read_text(encoding="utf-8")
    header = header.split("\n[aliases]\n", 1)[0]
    assert "GitHub Linguist" in header
    assert "Copyright (c) 2017 GitHub, Inc." in header
    assert "LICENSE-linguist.txt" in header
    licence = DATA.joinpath("LICENSE-linguist.txt").read_text(encoding="utf-8")
    assert "Copyright (c) 2017 GitHub, Inc." in licence
    assert "Permission is hereby granted, free of charge" in licence
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in licence
