"""Tests of gigmatch.skills: the shipped knowledge base, resolution and typed relations."""

from __future__ import annotations

import ast
import csv
import doctest
import gzip
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gigmatch.skills import (
    Concept,
    Knowledge,
    KnowledgeError,
    Relation,
    RelationCredits,
    Resolution,
    Resolver,
    load_knowledge,
)
from gigmatch.skills import text as skill_text
from gigmatch.skills.knowledge import dump_knowledge
from gigmatch.skills.relations import ancestors
from gigmatch.skills.text import compact, key

REPO = Path(__file__).resolve().parent.parent
PAIRS = REPO / "tests" / "data" / "skill_pairs"
SOURCE = REPO.parent / "shared" / "data" / "skills"


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge()


@pytest.fixture()
def resolver(kb: Knowledge) -> Resolver:
    return Resolver(kb)


def key_of(r: Resolver, spelling: str) -> str:
    return r.resolve(spelling).key


# --- the knowledge base ---------------------------------------------------------------------


def test_knowledge_is_loaded_once_and_has_the_sources(kb: Knowledge) -> None:
    assert load_knowledge() is kb
    assert len(kb) > 10_000
    sources = {s for c in kb for s in c.sources}
    assert sources == {"curated", "esco", "linguist", "onet"}


def test_concept_records_carry_names_spellings_and_links(kb: Knowledge) -> None:
    tableau = kb.concept("tableau")
    assert tableau.name == "Tableau"
    assert "BI software" in tableau.groups
    assert "data-visualization" in tableau.broader
    django = kb.concept("django")
    assert "python" in django.broader
    power_bi = kb.concept(kb.find("Microsoft Power BI") or "")
    assert power_bi.name == "Power BI"
    assert "onet" in power_bi.sources and "curated" in power_bi.sources


def test_reviewed_overrides_hold(kb: Knowledge) -> None:
    # TensorFlow is not "Industrial control software"; Spark is no BI tool.
    assert kb.concept("tensorflow").category == "machine learning software"
    spark = kb.concept(kb.find("Apache Spark") or "")
    assert "BI software" not in spark.groups
    # ESCO files "SEM" under search engine optimisation; the review keeps SEM apart.
    assert kb.find("SEM") == "search-engine-marketing"
    assert kb.find("search engine optimisation") == "search-engine-optimization"


def test_reviewed_merges_of_onet_tools(kb: Knowledge) -> None:
    """O*NET tools that name a concept their spellings do not reach are merged into it
    (build_skill_kb.ONET_SAME), so each is one concept, not a look-alike of its own."""
    assert kb.find("Structure query language SQL") == kb.find("SQL")
    assert kb.find("Microsoft transact-structural query language T-SQL") == kb.find("T-SQL")
    eclipse = kb.find("Eclipse (integrated development environment software)")
    assert eclipse is not None and kb.find("Eclipse IDE") == eclipse
    assert kb.find("Jenkins CI") == kb.find("Jenkins") == "jenkins"
    assert kb.find("Pentaho Kettle") == kb.find("Pentaho Data Integration")


def test_a_false_singular_never_merges_two_products(kb: Knowledge) -> None:
    """The fold turns "Canvas" into "canva", but it is no plural: ESCO's Canvas (a learning
    platform) stays its own concept instead of being merged into Canva."""
    canvas, canva = kb.find("Canvas"), kb.find("Canva")
    assert canvas and canva and canvas != canva
    assert kb.concept(canvas).name == "Canvas"
    assert "learning-management-systems" in kb.concept(canvas).broader
    assert "learning-management-systems" not in kb.concept(canva).broader


def test_false_singular_rule() -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    import build_skill_kb

    english = {"canvas", "contracts", "contract", "systems", "system"}
    assert build_skill_kb.false_singular("canvas", english)
    assert not build_skill_kb.false_singular("smart contracts", english)
    assert not build_skill_kb.false_singular("database management systems", english)
    assert not build_skill_kb.false_singular("pandas", english)  # not an ordinary word here


def test_blocked_spellings_name_nothing(kb: Knowledge) -> None:
    for spelling in ["cv", "ps", "software", "Oracle", "Apache", "Word", "Access"]:
        assert kb.find(spelling) is None, spelling


def test_what_the_build_writes_ahead_is_what_the_resolver_would_work_out(kb: Knowledge) -> None:
    """Each concept's exact form and its walk up the implies links come from the build: they
    must be what the resolver would compute from the names and `broader` links."""
    for cid in kb.ids:
        assert kb.exact_forms[kb.row[cid]] == compact(key(kb.name(cid)))
        assert list(kb.ancestors(cid).items()) == list(ancestors([cid], kb.broader).items())
    assert list(kb.ancestors("django"))[0] == "python" and kb.ancestors("c") == {}
    assert any(len(kb.ancestors(cid)) > len(kb.broader(cid)) for cid in kb.ids)  # deeper walks


def test_notice_carries_the_required_attributions() -> None:
    notice = (REPO / "gigmatch" / "data" / "NOTICE-skill-kb.txt").read_text("utf-8")
    assert "This product uses the ESCO classification of the European Commission." in notice
    assert "O*NET Database by the U.S. Department of Labor" in notice
    assert "CC BY 4.0" in notice
    assert "LICENSE-linguist.txt" in notice


def test_skillkb_imports_nothing_else_from_gigmatch() -> None:
    kb_modules = ("knowledge.py", "relations.py", "resolve.py", "text.py")
    for path in (REPO / "gigmatch" / "skills" / name for name in kb_modules):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and "gigmatch" in node.module:
                assert node.module.removeprefix("gigmatch.skills.") in {
                    m.removesuffix(".py") for m in kb_modules
                }, (path.name, node.module)


def test_text_helpers_doctests() -> None:
    failures, tried = doctest.testmod(skill_text)
    assert tried > 10 and failures == 0


@pytest.mark.skipif(not (SOURCE / "esco").is_dir(), reason="public sources not present")
def test_build_is_deterministic_and_matches_the_shipped_file(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "scripts"))
    import build_skill_kb

    out = tmp_path / "skill_kb.txt"
    assert build_skill_kb.main([str(SOURCE), "--out", str(out)]) == 0
    shipped = REPO / "gigmatch" / "data" / "skill_kb.txt"
    assert out.read_bytes() == shipped.read_bytes()


def small_document() -> dict[str, object]:
    """Three concepts as the build script's `document` lays them out (rows by sorted id)."""
    return {
        "ids": ["django", "postgresql", "python"],
        "names": ["Django", "PostgreSQL", "Python"],
        "spellings": [[], ["Postgres", "psql"], ["Python 3 language"]],
        "categories": ["databases"],
        "category": [-1, 0, -1],
        "broader": [[2], [], []],
        "sources": [1, 9, 3],
        "popular": [1, 1, 1],
        "groups": {"web frameworks": [0], "databases": [1]},
        "forms": {
            "key": {"python": 2, "postgresql": 1, "postgres": 1, "django": 0, "py": -1},
            "compact": {"pythonlang": 2},
            "fold": {"language python": 2},
        },
        "vendors": ["oracle"],
        "fillers": ["software"],
        "blocked": ["py"],
        "english": ["language"],
    }


def test_the_file_format_round_trips_a_document(tmp_path: Path) -> None:
    path = tmp_path / "kb.txt"
    path.write_bytes(dump_knowledge(small_document()))
    kb = load_knowledge(path)
    assert kb is not load_knowledge() and len(kb) == 3
    assert kb.find("Postgres") == "postgresql" and kb.find("python lang") == "python"
    assert kb.fold_lookup("language python") == "python" and kb.find("py") is None
    assert kb.concept("postgresql") == Concept(
        id="postgresql",
        name="PostgreSQL",
        spellings=("PostgreSQL", "Postgres", "psql"),
        category="databases",
        broader=(),
        groups=("databases",),
        sources=("curated", "onet"),
        popular=True,
    )
    assert kb.broader("django") == ("python",) and kb.concept("django").spellings == ("Django",)
    assert kb.ancestors("django") == {"python": "django"} and kb.ancestors("python") == {}
    assert kb.exact_forms == ["django", "postgresql", "python"]
    assert kb.tokens == {"python", "postgresql", "postgres", "django", "py"}
    assert kb.fold_tokens == kb.tokens | {"language"}
    # popular keys of five characters or more, not blocked or ambiguous, sorted
    assert kb.typo_targets() == [
        ("django", "django"),
        ("postgres", "postgresql"),
        ("postgresql", "postgresql"),
        ("python", "python"),
    ]
    assert list(kb.groups) == ["databases", "web frameworks"]  # sorted, whatever the build order


def test_looser_forms_are_found_by_bisection_whatever_order_the_build_added_them(
    tmp_path: Path,
) -> None:
    doc = small_document()
    doc["forms"]["compact"] = {"pythonlang": 2, "djangofw": 0, "pg": 1, "zz": -1, "aa": 1}
    path = tmp_path / "kb.txt"
    path.write_bytes(dump_knowledge(doc))
    kb = load_knowledge(path)
    found = {c: kb.lookup_forms("no key", c, "no fold") for c in ["aa", "djangofw", "pg", "zz"]}
    assert found == {"aa": "postgresql", "djangofw": "django", "pg": "postgresql", "zz": ""}
    assert kb.lookup_forms("no key", "pythonlang") == "python"
    assert all(kb.lookup_forms("no key", c, "no fold") is None for c in ["", "a", "pf", "zzz"])
    assert kb.has_compact("pg") and not kb.has_compact("ph")


def test_dump_is_deterministic_and_refuses_items_that_would_break_lines() -> None:
    doc = small_document()
    assert dump_knowledge(doc) == dump_knowledge(small_document())
    doc["names"] = ["Django", "Postgre\nSQL", "Python"]
    with pytest.raises(ValueError, match="one-line"):
        dump_knowledge(doc)
    doc = small_document()
    doc["spellings"] = [[], ["Post\tgres"], []]
    with pytest.raises(ValueError, match="tab"):
        dump_knowledge(doc)


def test_an_unreadable_or_foreign_file_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(tmp_path / "missing.txt")
    old = tmp_path / "old.json"
    old.write_text('{"format":1,"ids":[]}\n', "utf-8")
    with pytest.raises(KnowledgeError, match="format 1"):
        load_knowledge(old)
    gz = tmp_path / "kb.json.gz"
    gz.write_bytes(gzip.compress(b'{"format":2}'))
    with pytest.raises(KnowledgeError, match="format None"):
        load_knowledge(gz)


def test_a_damaged_section_is_a_knowledge_error_when_first_read(tmp_path: Path) -> None:
    """Sections are decoded on first use: a cut-off file still opens, and the first read of a
    section that lost lines says which one is damaged (never a wrong answer)."""
    raw = dump_knowledge(small_document())
    path = tmp_path / "cut.txt"
    path.write_bytes(raw[: raw.rindex(b"\n", 0, -1)])  # the last spelling line lost
    kb = load_knowledge(path)
    assert kb.find("Postgres") == "postgresql"
    with pytest.raises(KnowledgeError, match="section 'spellings'"):
        kb.concept("python")


# --- resolution -----------------------------------------------------------------------------

SAME = [
    ("Tableau Software", "Tableau", "knowledge base"),
    ("Search Engine Optimization (SEO)", "Search Engine Optimization", "knowledge base"),
    ("SEO", "Search Engine Optimization", "knowledge base"),
    ("SQL Programming", "SQL", "knowledge base"),
    ("Node.js", "Node.js", "exact"),
    ("nodejs", "Node.js", "exact"),
    ("NodeJS", "Node.js", "exact"),
    ("Logos", "Logo Design", "knowledge base"),
    ("Microsoft Office 365", "Microsoft Office", "knowledge base"),
    ("QlikTech QlikView", "QlikView", "knowledge base"),
    ("Python Pandas", "pandas", "knowledge base"),
    ("Java Spring", "Spring Framework", "knowledge base"),
    ("Power BI Development", "Power BI", "knowledge base"),
    ("Hypertext markup language HTML", "HTML", "knowledge base"),
    ("Data Visualisation", "Data Visualization", "knowledge base"),
    ("Translation Japanese English", "Translation Japanese English", "unknown"),
]


@pytest.mark.parametrize(("spelling", "display", "how"), SAME)
def test_real_export_spellings_resolve(
    resolver: Resolver, spelling: str, display: str, how: str
) -> None:
    res = resolver.resolve(spelling)
    assert isinstance(res, Resolution)
    assert (res.display, res.how) == (display, how)


def test_word_order_and_plurals_share_an_unknown_key(resolver: Resolver) -> None:
    a = resolver.resolve("Translation Japanese English")
    b = resolver.resolve("Japanese English Translations")
    assert a.concept is None and a.key == b.key and a.key.startswith("~")


@pytest.mark.parametrize(
    ("typo", "display"),
    [("Pyhton", "Python"), ("Kubernets", "Kubernetes"), ("Wordpres", "WordPress")],
)
def test_typos_of_unknown_spellings_are_corrected(
    resolver: Resolver, typo: str, display: str
) -> None:
    res = resolver.resolve(typo)
    assert res.display == display
    assert res.how.startswith("typo ") and 50 <= int(res.how.split()[1]) <= 100


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Qualitative Research", "Quantitative Research"),
        ("Animation", "Aviation"),
        ("Transcription", "Transcreation"),
        ("Marketing", "Telemarketing"),
        ("Visualization", "Virtualization"),
        ("Cryptography", "Typography"),
        ("Java", "JavaScript"),
        ("Fiction", "Non-Fiction Writing"),
        ("Female Voice Over", "Male Voice Over"),
        ("Power BI Development", "SharePoint Development"),
        ("Network Administration", "Database Administration"),
        ("Niche Skill 1", "Niche Skill 2"),
    ],
)
def test_look_alikes_are_never_the_same_skill(resolver: Resolver, a: str, b: str) -> None:
    ka, kb_ = key_of(resolver, a), key_of(resolver, b)
    assert ka != kb_
    assert not resolver.same(ka, kb_) and not resolver.same(kb_, ka)


def test_real_words_are_not_typo_corrected(resolver: Resolver) -> None:
    assert resolver.resolve("Aviation").how == "unknown"
    assert resolver.resolve("Statics").how == "unknown"


def test_a_short_name_with_one_changed_letter_is_not_a_typo(resolver: Resolver) -> None:
    # "Redox" is a word (and an OS) of its own; a missing or swapped letter still is a typo.
    assert resolver.resolve("Redox").how == "unknown"
    assert resolver.resolve("Pythn").display == "Python"
    assert resolver.resolve("Pyhton").display == "Python"


def test_two_changed_letters_are_not_a_typo(resolver: Resolver) -> None:
    # Two substitutions make another word too easily; two missing letters are a typo.
    assert resolver.resolve("Kuburnetis").how == "unknown"
    assert resolver.resolve("Javscrpt").display == "JavaScript"


def test_known_spellings_are_never_corrected_onto_others(resolver: Resolver) -> None:
    for spelling in ["Ethereum", "Ethereal", "Typography", "Cryptography", "Telemarketing"]:
        assert not resolver.resolve(spelling).how.startswith("typo"), spelling


def test_versions_are_the_product_but_two_versions_are_related(resolver: Resolver) -> None:
    py3, py2, py = (resolver.resolve(s) for s in ["Python 3", "Python 2", "Python"])
    assert (py3.concept, py3.version, py3.how, py3.key) == ("python", "3", "version", "python@3")
    assert resolver.same(py.key, py3.key) and resolver.same(py3.key, py.key)
    assert not resolver.same(py3.key, py2.key)
    rel = resolver.relation(py3.key, py2.key)
    assert rel == Relation("version", "Python", 0.8)
    assert resolver.same(py3.key, key_of(resolver, "Python 3.11"))
    assert resolver.same(py3.key, key_of(resolver, "python3"))
    assert resolver.relation(key_of(resolver, "Magento 2"), key_of(resolver, "Magento 1"))


def test_names_ending_in_numbers_are_not_versions(resolver: Resolver) -> None:
    assert resolver.resolve("Web3").version is None
    assert resolver.resolve("Office 365").version is None
    assert resolver.resolve("Niche Skill 42").key != resolver.resolve("Niche Skill 43").key


def test_blank_and_odd_spellings_do_not_crash(resolver: Resolver) -> None:
    for spelling in ["", "   ", "()", "(SEO", "C++", "C#", ".NET", "?!", "42", "é"]:
        res = resolver.resolve(spelling)
        assert isinstance(res.key, str) and res.how in {"exact", "knowledge base", "unknown"}


def test_user_aliases_win_and_may_create_concepts(kb: Knowledge) -> None:
    r = Resolver(kb, aliases={"Power BI": ["pbi"], "Zorblax Studio": ["zorb"], "Tableau": ["tab"]})
    assert (r.resolve("pbi").concept, r.resolve("pbi").how) == ("power-bi", "alias")
    acme = r.resolve("zorb")
    assert acme.concept == r.resolve("Zorblax Studio").concept and acme.display == "Zorblax Studio"
    assert r.resolve("tab").display == "Tableau"


def test_resolution_does_not_depend_on_other_rows(kb: Knowledge) -> None:
    pool = [s for s, _, _ in SAME] + ["Pyhton", "Python 3", "Aviation", "SEO", "PSD to WordPress"]
    rng = random.Random(7)
    noise = [f"Skill {rng.randrange(10_000)} {w}" for w in range(3000) for w in ["x"]]
    alone = {s: Resolver(kb).resolve(s) for s in pool}
    big = pool + noise + ["Search Engine Optimization", "Python Programming", "Pyton"]
    rng.shuffle(big)
    together = dict(zip(big, Resolver(kb).resolve_many(big), strict=True))
    for s in pool:
        assert together[s] == alone[s], s


def test_relations_of_a_shared_unknown_key_do_not_depend_on_row_order(kb: Knowledge) -> None:
    spellings = ["Translation Japanese English", "english-japanese translations"]
    seen = []
    for order in (spellings, spellings[::-1]):
        r = Resolver(kb)
        keys = [res.key for res in r.resolve_many(order)]
        assert keys[0] == keys[1]
        seen.append((r.relation("translation", keys[0]), r.related_pairs(["translation"], keys)))
    assert seen[0] == seen[1]
    assert seen[0][0] is not None and seen[0][0].kind == "narrower"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([s for s, _, _ in SAME] + ["Pyhton", "Kubernets"]), max_size=12))
def test_resolve_many_equals_resolving_one_by_one(spellings: list[str]) -> None:
    kb = load_knowledge()
    many = Resolver(kb).resolve_many(spellings)
    assert many == [Resolver(kb).resolve(s) for s in spellings]


# --- relations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("required", "offered", "kind"),
    [
        ("Power BI", "Tableau", "substitute"),
        ("MySQL", "PostgreSQL", "substitute"),
        ("Python", "Django", "narrower"),
        ("JavaScript", "Next.js", "narrower"),
        ("WordPress", "PSD to WordPress", "narrower"),
        ("Data Visualization", "Tableau", "narrower"),
        ("Django", "Python", "broader"),
        ("Python 3", "Python 2", "version"),
    ],
)
def test_typed_relations(resolver: Resolver, required: str, offered: str, kind: str) -> None:
    rel = resolver.relation(key_of(resolver, required), key_of(resolver, offered))
    assert rel is not None and rel.kind == kind
    assert rel.credit == RelationCredits().of(kind)
    assert not resolver.same(key_of(resolver, required), key_of(resolver, offered))


def test_substitute_via_names_the_family(resolver: Resolver) -> None:
    rel = resolver.relation("power-bi", "tableau")
    assert rel == Relation("substitute", "BI software", 0.5)


def test_same_skill_and_unrelated_give_no_relation(resolver: Resolver) -> None:
    assert resolver.relation("python", "python") is None
    assert resolver.relation(key_of(resolver, "Python"), key_of(resolver, "Python 3")) is None
    assert resolver.relation("java", "javascript") is None
    assert resolver.relation(key_of(resolver, "Fiction"), key_of(resolver, "Non-Fiction")) is None


def test_credits_are_configurable_and_zero_turns_a_kind_off(resolver: Resolver) -> None:
    credits = RelationCredits(substitute=0.0, narrower=0.6)
    assert resolver.relation("power-bi", "tableau", credits) is None
    rel = resolver.relation("python", "django", credits)
    assert rel is not None and rel.credit == 0.6
    with pytest.raises(ValueError, match="substitute"):
        RelationCredits(substitute=1.5)


def test_user_relations(kb: Knowledge) -> None:
    r = Resolver(kb, relations=[("Figma", "Canva", "substitute"), ("Acme", "Python", "narrower")])
    assert r.relation("canva", "figma") == Relation("substitute", "your relations", 0.5)
    rel = r.relation("python", key_of(r, "Acme"))
    assert rel is not None and rel.kind == "narrower"
    with pytest.raises(ValueError, match="not one of"):
        Resolver(kb, relations=[("a", "b", "cousin")])


def test_related_pairs_equal_the_pairwise_relation(resolver: Resolver) -> None:
    required = ["Power BI", "Python", "Django", "Python 3", "WordPress", "SEO", "Logo Design"]
    offered = ["Tableau", "Django", "Python", "Python 2", "PSD to WordPress", "Local SEO",
               "Graphic Design", "Qlik Sense", "Cooking", "Python 3", "Tableau"]  # fmt: skip
    rk = [r.key for r in resolver.resolve_many(required)]
    ok = [r.key for r in resolver.resolve_many(offered)]
    got = resolver.related_pairs(rk, ok)
    expected = [
        (i, j, rel)
        for i, a in enumerate(rk)
        for j, b in enumerate(ok)
        if (rel := resolver.relation(a, b)) is not None
    ]
    assert got == expected
    assert any(rel.kind == "substitute" and j == 10 for _, j, rel in got)  # duplicates kept
    assert resolver.same_pairs(rk, ok) == [
        (i, j) for i, a in enumerate(rk) for j, b in enumerate(ok) if a != b and resolver.same(a, b)
    ]


# --- labelled sets --------------------------------------------------------------------------


def read_pairs() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(PAIRS.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def test_labelled_sets_are_well_formed() -> None:
    rows = read_pairs()
    assert len(rows) > 2000
    assert {r["label"] for r in rows} == {"same", "different", "related"}
    assert {r["split"] for r in rows} == {"dev", "test"}
    test_share = sum(r["split"] == "test" for r in rows) / len(rows)
    assert 0.2 < test_share < 0.4


def test_held_out_pairs_meet_the_targets(kb: Knowledge) -> None:
    rows = [r for r in read_pairs() if r["split"] == "test"]
    r = Resolver(kb)
    spellings = sorted({x for row in rows for x in (row["a"], row["b"])})
    keys = {s: res.key for s, res in zip(spellings, r.resolve_many(spellings), strict=True)}
    same = [row for row in rows if row["label"] == "same"]
    other = [row for row in rows if row["label"] != "same"]
    recall = sum(r.same(keys[x["a"]], keys[x["b"]]) for x in same) / len(same)
    merged = [x for x in other if r.same(keys[x["a"]], keys[x["b"]])]
    assert recall >= 0.95
    assert merged == []
