"""Spelling forms shared by the knowledge-base build script and the resolver.

The build script and the resolver must compute exactly the same forms, or a spelling that the
build indexed would not be found at run time; so both import this module and nothing else
normalises. Three forms, from strict to loose:

- `key`: case, Unicode compatibility forms, spacing and separators (`-`, `_`, `/`) ignored;
  the symbols that tell skills apart (`C`, `C++`, `C#`, `.NET`, `Node.js`) kept.
- `compact`: the key without spaces and dots, so "Node.js", "node js" and "nodejs" meet.
- `fold`: the key's words singularised, British spellings turned American, small words dropped
  and the words sorted, so "Logos", "Search Engine Optimisation" and "Translation Japanese
  English" meet their other spellings.

Each looser form is only ever looked up in an index built with the same function, where the
build marks a form that two concepts share as ambiguous, so loosening never merges two concepts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015/]+")
_EDGE_PUNCT = " ,;:!?\"'`*|"
_COMPACT_DROP = re.compile(r"[\s.'’`\-]+")
_WORDS = re.compile(r"[a-z0-9+#]+")
# A trailing version: "python 3", "python3", "angular 12", "vue 3.x", "java 8+", "c++17", "v2".
# Three digits or more are names, not versions: "office 365", "fusion 360".
_VERSION = re.compile(r"(?P<base>.*?[^\d.\s])\s?v?(?P<version>\d{1,2}(?:\.(?:\d{1,3}|x))*)\+?")
_PARENS = re.compile(r"(?P<outside>[^()]*?)\s*\((?P<inside>[^()]*)\)\s*(?P<after>[^()]*)")

NEGATING_PREFIXES = frozenset({"non", "anti"})
SMALL_WORDS = frozenset({"a", "an", "and", "&", "of", "the", "to", "in", "for", "on", "with", "by"})
# British -> American spellings, word by word, so both spellings fold together.
_AMERICAN = (
    ("isation", "ization"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ise", "ize"),
    ("yse", "yze"),
    ("ysing", "yzing"),
    ("our", "or"),
    ("elling", "eling"),
    ("elled", "eled"),
    ("tre", "ter"),
)
_BRITISH_ENDINGS = tuple(british for british, _ in _AMERICAN)
# Words whose British ending is not a spelling variant (the fold must leave them alone).
_NOT_BRITISH = frozenset(
    {
        "enterprise",
        "exercise",
        "expertise",
        "franchise",
        "merchandise",
        "premise",
        "promise",
        "precise",
        "concise",
        "advertise",
        "advertising",
        "compromise",
        "noise",
        "wise",
        "rise",
        "raise",
        "praise",
        "cruise",
        "guise",
        "paradise",
        "otherwise",
        "surprise",
        "devise",
        "revise",
        "supervise",
        "televise",
        "improvise",
        "chastise",
        "despise",
        "disguise",
        "analyse",
        "hour",
        "four",
        "tour",
        "your",
        "pour",
        "our",
        "flour",
        "sour",
        "contour",
        "detour",
        "centre",
        "metre",
        "theatre",
        "litre",
    }
)


@lru_cache(maxsize=200_000)
def clean(text: str) -> str:
    """The spelling as a person meant it: NFKC, outer quotes and spaces gone, spaces collapsed.

    >>> clean("  'Power   BI' ")
    'Power BI'
    """
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.strip().strip(_EDGE_PUNCT).split())


@lru_cache(maxsize=200_000)
def key(text: str) -> str:
    """The strict comparison key of a spelling.

    >>> [key(s) for s in ["Machine_Learning", "C++", "C#", "Node.JS", "UI/UX", "Search & SEO"]]
    ['machine learning', 'c++', 'c#', 'node.js', 'ui ux', 'search and seo']
    """
    text = clean(text).casefold()
    text = text.replace("&", " and ")
    text = _SEPARATORS.sub(" ", text)
    return " ".join(text.split()).strip(_EDGE_PUNCT).rstrip(".").strip()


@lru_cache(maxsize=200_000)
def compact(k: str) -> str:
    """A key without spaces, dots and apostrophes; a leading dot is kept (".net").

    >>> compact("node.js"), compact("node js"), compact(".net"), compact("asp.net")
    ('nodejs', 'nodejs', '.net', 'aspnet')
    """
    body = _COMPACT_DROP.sub("", k)
    return "." + body.lstrip(".") if k.startswith(".") else body


def singular(word: str) -> str:
    """A cheap English singular: enough to fold plurals of skill words, never a dictionary.

    Every rule is for a word ending in "s": any other word is returned by the first test. So
    cheap that it is not memoised (`fold`, its caller, is): in a cold run nearly every word is
    new, and a cache's miss cost more than the rules.

    >>> [singular(w) for w in ["logos", "technologies", "classes", "analytics", "ios", "sass"]]
    ['logo', 'technology', 'class', 'analytic', 'ios', 'sass']
    """
    if len(word) <= 3 or word[-1] != "s" or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ys")):
        return word
    return word[:-1]


def american(word: str) -> str:
    """The American spelling of a British word ending, when it is one.

    A word with none of the endings is returned by one test (not memoised, as `singular`).

    >>> [american(w) for w in ["optimisation", "colour", "modelling", "enterprise", "analyse"]]
    ['optimization', 'color', 'modeling', 'enterprise', 'analyze']
    """
    if not word.endswith(_BRITISH_ENDINGS):
        return word
    if word == "analyse":
        return "analyze"
    if word in _NOT_BRITISH or len(word) < 5:
        return word
    for british, us in _AMERICAN:
        if word.endswith(british):
            return word[: -len(british)] + us
    return word


def words(k: str) -> list[str]:
    """The words of a key, symbols that matter kept (`c++`, `c#`)."""
    return _WORDS.findall(k)


@lru_cache(maxsize=200_000)
def fold(k: str) -> str:
    """The loosest form: singular, American, small words dropped, words sorted; a negating
    prefix stays glued to its word, so "non-fiction" never contains "fiction".

    >>> fold("logos"), fold("search engine optimisation"), fold("translation japanese english")
    ('logo', 'engine optimization search', 'english japanese translation')
    >>> fold("c++"), fold("c#"), fold("c"), fold("non fiction writing")
    ('c++', 'c#', 'c', 'nonfiction writing')
    """
    kept: list[str] = []
    glue = ""
    for w in words(k):
        if w in NEGATING_PREFIXES:
            glue += w
        elif w not in SMALL_WORDS:
            kept.append(american(singular(glue + w)))
            glue = ""
    if glue:
        kept.append(glue)
    return " ".join(sorted(kept)) if kept else k


def split_version(k: str) -> tuple[str, str] | None:
    """(base, version) when a key ends in a version, else None; "3.x" and "8+" become "3", "8".

    >>> split_version("python 3"), split_version("python3"), split_version("vue 3.x")
    (('python', '3'), ('python', '3'), ('vue', '3'))
    >>> split_version("office 365"), split_version("3"), split_version("c++17")
    (None, None, ('c++', '17'))
    """
    match = _VERSION.fullmatch(k)
    if not match or len(match["base"].strip()) < 1 or not re.search(r"[a-z+#]", match["base"]):
        return None
    version = match["version"].removesuffix(".x")
    while version.endswith(".0") and version.count(".") > 0:
        version = version[:-2]
    return match["base"].strip(), version


def versions_compatible(a: str, b: str) -> bool:
    """Whether two versions can name the same release line: "3" and "3.9" can, "2" and "3" not.

    >>> versions_compatible("3", "3.9"), versions_compatible("2", "3")
    (True, False)
    >>> versions_compatible("1", "10")
    False
    """
    pa, pb = a.split("."), b.split(".")
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n]


def split_parens(text: str) -> tuple[str, str] | None:
    """(outside, inside) of one bracketed part: "Search Engine Optimization (SEO)".

    >>> split_parens("Search Engine Optimization (SEO)")
    ('Search Engine Optimization', 'SEO')
    >>> split_parens("Python") is None
    True
    """
    match = _PARENS.fullmatch(clean(text))
    if not match:
        return None
    outside = " ".join(f"{match['outside']} {match['after']}".split())
    return outside, match["inside"].strip()


def trailing_acronym(text: str) -> tuple[str, str] | None:
    """(name, acronym) when the last word is an upper-case acronym of the words before it.

    O*NET writes tools this way ("Structured query language SQL"), and some exports copy it.
    The initials of the last words before it (small words skipped) must appear in the acronym
    in order, and the acronym's letters in those words: HTML for "Hypertext markup language".

    >>> trailing_acronym("Structured query language SQL")
    ('Structured query language', 'SQL')
    >>> trailing_acronym("Microsoft SQL Server Analysis Services SSAS")
    ('Microsoft SQL Server Analysis Services', 'SSAS')
    >>> trailing_acronym("Hypertext markup language HTML")
    ('Hypertext markup language', 'HTML')
    >>> trailing_acronym("Amazon Elastic Compute Cloud EC2")
    ('Amazon Elastic Compute Cloud', 'EC2')
    >>> trailing_acronym("Adobe Photoshop CC") is None
    True
    """
    parts = clean(text).split()
    if len(parts) < 3:
        return None
    last = parts[-1]
    letters = sum(ch.isalpha() for ch in last)
    if not (2 <= len(last) <= 6 and last.isalnum() and last.isupper() and letters >= 2):
        return None
    # A digit repeats the letter before it: EC2 is Elastic Compute Cloud, S3 Simple Storage
    # Service.
    acronym = re.sub(r"([a-z])([2-4])", lambda m: m[1] * int(m[2]), last.casefold())
    acronym = "".join(ch for ch in acronym if ch.isalpha())
    significant = [p.casefold() for p in parts[:-1] if p.casefold() not in SMALL_WORDS]
    for n in range(1, len(significant) + 1):
        tail = significant[-n:]
        initials = "".join(w[0] for w in tail)
        if (
            initials[0] == acronym[0]
            and _subsequence(initials, acronym)
            and _subsequence(acronym, "".join(tail))
        ):
            return " ".join(parts[:-1]), last
    return None


def _subsequence(small: str, big: str) -> bool:
    """Whether the letters of `small` appear in `big` in order.

    >>> _subsequence("hml", "html"), _subsequence("cc", "photoshop")
    (True, False)
    """
    it = iter(big)
    return all(ch in it for ch in small)
