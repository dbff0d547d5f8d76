"""The shipped skill knowledge base: concepts, their spellings, categories and links.

Built offline by scripts/build_skill_kb.py from ESCO, O*NET, GitHub Linguist and the curated
alias table (attributions in gigmatch/data/NOTICE-skill-kb.txt), and read here once per process.
Every index the resolver needs is precomputed in the file, so loading is one gzip + one JSON
parse + a pass that builds small frozen records; nothing is normalised at load time.
"""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from gigmatch.skills.text import compact, fold, key

FORMAT = 1
FORM_KINDS = ("key", "compact", "fold")
_SOURCE_BITS = (("curated", 1), ("linguist", 2), ("esco", 4), ("onet", 8))


class KnowledgeError(Exception):
    """The knowledge-base file is missing, unreadable or of another format version."""


@dataclass(frozen=True)
class Concept:
    """One skill or tool: a stable id, the name shown, the spellings that name it, its links.

    `broader` lists the concepts it implies (Django -> Python); `groups` the substitute families
    it belongs to ("BI software"); `category` a descriptive label (an O*NET commodity title or a
    reviewed one); `popular` marks concepts a misspelling may be corrected onto.
    """

    id: str
    name: str
    spellings: tuple[str, ...]
    category: str | None
    broader: tuple[str, ...]
    groups: tuple[str, ...]
    sources: tuple[str, ...]
    popular: bool


class Knowledge:
    """The concepts and the form indexes (key, compact, fold -> concept row, -1 = ambiguous).

    Concepts are kept as columns and turned into `Concept` records on demand, which keeps
    loading fast; ids, names and links are plain lookups."""

    def __init__(self, doc: dict[str, Any]) -> None:
        if doc.get("format") != FORMAT:
            raise KnowledgeError(f"skill knowledge base format {doc.get('format')} != {FORMAT}")
        self.ids: list[str] = doc["ids"]
        self.names: list[str] = doc["names"]
        self._spellings: list[list[str]] = doc["spellings"]
        self._categories: list[str] = doc["categories"]
        self._category: list[int] = doc["category"]
        self._broader: list[list[int]] = doc["broader"]
        self._sources: list[int] = doc["sources"]
        self._popular: list[int] = doc["popular"]
        self.row: dict[str, int] = {cid: r for r, cid in enumerate(self.ids)}
        self.groups: dict[str, tuple[str, ...]] = {
            g: tuple(self.ids[r] for r in rows) for g, rows in doc["groups"].items()
        }
        member_of: dict[str, list[str]] = defaultdict(list)
        for name in sorted(self.groups):
            for cid in self.groups[name]:
                member_of[cid].append(name)
        self._member_of = {cid: tuple(g) for cid, g in member_of.items()}
        self._forms: dict[str, dict[str, int]] = doc["forms"]
        self._compact = self._forms["compact"]
        self._fold = self._forms["fold"]
        self.vendors: tuple[str, ...] = tuple(sorted(doc["vendors"], key=len, reverse=True))
        self.vendor_set: frozenset[str] = frozenset(self.vendors)
        self.fillers: frozenset[str] = frozenset(doc["fillers"])
        self.blocked: frozenset[str] = frozenset(doc["blocked"])
        self.english: frozenset[str] = frozenset(doc["english"])
        self._cache: dict[str, Concept] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Concept]:
        return (self.concept(cid) for cid in self.ids)

    def __contains__(self, cid: object) -> bool:
        return cid in self.row

    def concept(self, cid: str) -> Concept:
        """The concept with this id (KeyError when there is none)."""
        found = self._cache.get(cid)
        if found is None:
            r = self.row[cid]
            cat = self._category[r]
            found = Concept(
                id=cid,
                name=self.names[r],
                spellings=(self.names[r], *self._spellings[r]),
                category=self._categories[cat] if cat >= 0 else None,
                broader=self.broader(cid),
                groups=self.groups_of(cid),
                sources=tuple(n for n, bit in _SOURCE_BITS if self._sources[r] & bit),
                popular=bool(self._popular[r]),
            )
            self._cache[cid] = found
        return found

    def name(self, cid: str) -> str:
        """The display name of a concept."""
        return self.names[self.row[cid]]

    def broader(self, cid: str) -> tuple[str, ...]:
        """The concepts a concept directly implies."""
        return tuple(self.ids[r] for r in self._broader[self.row[cid]])

    def groups_of(self, cid: str) -> tuple[str, ...]:
        """The substitute families a concept belongs to."""
        return self._member_of.get(cid, ())

    def is_popular(self, cid: str) -> bool:
        """Whether a misspelling may be corrected onto this concept."""
        return bool(self._popular[self.row[cid]])

    def is_tool(self, cid: str) -> bool:
        """Whether O*NET or Linguist knows the concept (a product or language, not a practice)."""
        return bool(self._sources[self.row[cid]] & 10)

    def lookup(self, k: str) -> tuple[str | None, str | None]:
        """(concept id, form kind that matched) for a key; ("", kind) when ambiguous.

        Strict forms first: a key that names a concept exactly is never re-read loosely. The
        file leaves out looser entries that agree with the key index, hence the fallback."""
        if k in self.blocked:
            return None, None
        keys = self._forms["key"]
        for kind, form in (("key", k), ("compact", compact(k)), ("fold", fold(k))):
            r = self._forms[kind].get(form) if kind != "key" else None
            if r is None:
                r = keys.get(form)
            if r is not None:
                return (self.ids[r] if r >= 0 else ""), kind
        return None, None

    @property
    def key_index(self) -> dict[str, int]:
        """key form -> concept row (-1 = ambiguous): the strictest index, read as it is."""
        return self._forms["key"]

    def lookup_forms(self, k: str, c: str, f: str | None = None) -> str | None:
        """`lookup` for a key whose compact form (and perhaps fold form) is already known: the
        concept id, "" when ambiguous, None when unknown. The resolver's hot path: the fold form
        is computed here only when the strict forms found nothing."""
        if k in self.blocked:
            return None
        keys = self._forms["key"]
        r = keys.get(k)
        if r is None:
            r = self._compact.get(c)
            if r is None:
                r = keys.get(c)
                if r is None:
                    if f is None:
                        f = fold(k)
                    r = self._fold.get(f)
                    if r is None:
                        r = keys.get(f)
                        if r is None:
                            return None
        return self.ids[r] if r >= 0 else ""

    def find(self, spelling: str) -> str | None:
        """The concept a spelling names exactly (no typo, vendor or version handling), or None."""
        cid, _ = self.lookup(key(spelling))
        return cid or None

    def typo_targets(self) -> list[tuple[str, str]]:
        """(key, concept id) of the spellings a misspelling may be corrected onto: popular
        concepts only, five characters or more, never ambiguous or blocked."""
        out = []
        for form, r in self._forms["key"].items():
            if r >= 0 and self._popular[r] and len(form) >= 5 and form not in self.blocked:
                out.append((form, self.ids[r]))
        return sorted(out)

    @cached_property
    def tokens(self) -> frozenset[str]:
        """Every word of every indexed key: words the knowledge base itself knows."""
        return frozenset(" ".join(self._forms["key"]).split())  # one split in C, not per key

    @cached_property
    def fold_tokens(self) -> frozenset[str]:
        """Every word of every fold form (and key): a fold form can only match if all its
        words are here, which lets the resolver skip most lookups of word runs."""
        return frozenset(" ".join([*self._forms["fold"], *self._forms["key"]]).split())

    def fold_lookup(self, f: str) -> str | None:
        """The concept a fold form names: its id, "" when ambiguous, None when unknown."""
        r = self._fold.get(f)
        if r is None:
            r = self._forms["key"].get(f)
            if r is None:
                return None
        return self.ids[r] if r >= 0 else ""

    def has_compact(self, c: str) -> bool:
        """Whether a compact form is indexed (in the compact or the key index)."""
        return c in self._compact or c in self._forms["key"]


def default_path() -> Path:
    """The shipped file inside the installed package."""
    return Path(str(resources.files("gigmatch").joinpath("data/skill_kb.json.gz")))


@cache
def load_knowledge(path: str | Path | None = None) -> Knowledge:
    """The knowledge base, read once per process (cached per path)."""
    target = Path(path) if path is not None else default_path()
    try:
        doc = json.loads(gzip.decompress(target.read_bytes()))
    except (OSError, ValueError) as exc:
        raise KnowledgeError(f"cannot read the skill knowledge base {target}: {exc}") from exc
    return Knowledge(doc)
