"""Small spelling helpers kept beside the knowledge base: a version-blind key, the curated
alias table's data, and the level factor.

Matching itself resolves spellings through the knowledge base (`skills/resolve.py`) and the
run's `SkillIndex` (`skills/index.py`); nothing here merges two spellings by likeness.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

import numpy as np

_SEPARATORS = re.compile(r"[\s_\-–—/]+")
# A version suffix: "Python 3", "python3", "Angular 12", "Vue 3.x", "Java 8+", "C++17". Longer
# numbers are names, not versions: "Office 365", "Fusion 360", "SQL Server 2019".
_VERSION = re.compile(r"(?P<base>.*?)(?P<space>\s?)v?\d{1,2}(?:\.(?:\d+|x))*\+?$")


@cache
def normalise(name: str) -> str:
    """The comparison key of a skill spelling.

    Case, accents' composed forms, spacing, `-`/`_`/`/` separators and version suffixes are
    ignored; the symbols that tell skills apart (`C`, `C++`, `C#`, `.NET`, `Node.js`) are kept.

    >>> [normalise(s) for s in ["Python 3", "python3", "  Machine_Learning ", "C++", "C#", "C"]]
    ['python', 'python', 'machine learning', 'c++', 'c#', 'c']
    >>> normalise("Vue 3.x"), normalise("Web3"), normalise("S3"), normalise("Office 365")
    ('vue', 'web3', 's3', 'office 365')
    """
    key = _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()
    return _strip_version(key)


def _strip_version(key: str) -> str:
    """Drop a trailing version unless what remains would be too short to mean the same."""
    match = _VERSION.fullmatch(key)
    if not match:
        return key
    base = match["base"].rstrip()
    long_enough = len(base) >= 4 or (match["space"] and len(base) >= 2)
    return base if long_enough and base[-1:].isalpha() else key


@cache
def builtin_aliases() -> dict[str, list[str]]:
    """The curated alias table shipped in gigmatch/data/aliases.toml (one source of the
    knowledge base, see scripts/build_skill_kb.py; the synthetic benchmark writes its skills)."""
    import tomllib  # a match run never reads the table: the knowledge base holds it

    text = resources.files("gigmatch").joinpath("data/aliases.toml").read_text("utf-8")
    return {str(k): list(v) for k, v in tomllib.loads(text).get("aliases", {}).items()}


def level_factor(wanted: np.ndarray, offered: np.ndarray, step: float) -> np.ndarray:
    """Credit kept when a person's level is below the level a project asks for.

    Levels are 1-5, 0 meaning "not asked". Each level short costs `step`, down to a floor of
    `step` (a match at any level is worth something).

    >>> level_factor(np.array([0, 4, 4, 5]), np.array([1, 4, 2, 1]), 0.2).round(2).tolist()
    [1.0, 1.0, 0.6, 0.2]
    """
    short = np.where(wanted > 0, np.maximum(wanted - offered, 0), 0)
    return np.clip(1.0 - step * short, step, 1.0)
