"""The shipped skill knowledge base: concepts, their spellings, categories and links.

Built offline by scripts/build_skill_kb.py from ESCO, O*NET, GitHub Linguist and the curated
alias table (attributions in gigmatch/data/NOTICE-skill-kb.txt), and read here once per process.
Every index the resolver needs is precomputed in the file, nothing is normalised at load time.

The file is plain UTF-8 text in sections of one item per line (see `dump_knowledge`), each
read with one `split` when first needed: a run that resolves a handful of spellings never
builds the concept records or reads the spellings. The gzipped JSON it replaced was decoded
whole at every start (about 0.2 s of CPU) and the resolver's word sets were derived from the
keys (about 0.1 s more); now opening the file is a read, the largest index builds in a few
tens of milliseconds, and the word sets and typo targets come ready-made from the build.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from gigmatch.skills.relations import ancestors
from gigmatch.skills.text import compact, fold, key

FORMAT = 4
FILE_NAME = "skill_kb.txt"
FORM_KINDS = ("key", "compact", "fold")
_SOURCE_BITS = (("curated", 1), ("linguist", 2), ("esco", 4), ("onet", 8))
_TEXT, _INTS = "text", "ints"


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


class Sections:
    """The sections of a knowledge-base file, each decoded on first use.

    The file's first line is a JSON header: the format version and, per section, its kind
    (text or ints), where its lines start and end (byte offsets after the header line) and how
    many there are. Lines are "\\n"-terminated; a text line is one item, an ints line one
    decimal number."""

    def __init__(self, raw: bytes, source: str = "") -> None:
        self._source = source or "the skill knowledge base"
        end = raw.find(b"\n")
        try:
            header = json.loads(raw[:end]) if end > 0 else None
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            version = header.get("format") if isinstance(header, dict) else None
            raise KnowledgeError(f"{self._source}: format {version}, this gigmatch reads {FORMAT}")
        self._raw = raw
        self._base = end + 1
        self._table: dict[str, list[Any]] = header.get("sections") or {}

    def text(self, name: str) -> list[str]:
        """A text section, one string per line."""
        body, count = self._lines(name, _TEXT)
        try:
            items = body.decode("utf-8").split("\n") if count else []
        except UnicodeDecodeError as exc:
            raise self.damaged(name) from exc
        return self._checked(name, items, count)

    def ints(self, name: str) -> list[int]:
        """An ints section, one number per line."""
        body, count = self._lines(name, _INTS)
        try:
            items = list(map(int, body.split(b"\n"))) if count else []
        except ValueError as exc:
            raise self.damaged(name) from exc
        return self._checked(name, items, count)

    def int_array(self, name: str) -> np.ndarray:
        """An ints section as an array, parsed in C (a list of 40,000 ints takes 7 ms to
        parse, the array under 2)."""
        body, count = self._lines(name, _INTS)
        try:
            items = np.fromstring(body, dtype=np.int64, sep="\n")
        except ValueError as exc:
            raise self.damaged(name) from exc
        if len(items) != count:
            raise self.damaged(name)
        return items

    def _lines(self, name: str, kind: str) -> tuple[bytes, int]:
        try:
            found_kind, start, stop, count = self._table[name]
        except (KeyError, TypeError, ValueError) as exc:
            raise self.damaged(name) from exc
        if found_kind != kind:
            raise self.damaged(name)
        return self._raw[self._base + start : self._base + stop], count

    def _checked(self, name: str, items: list[Any], count: int) -> list[Any]:
        if len(items) != count:
            raise self.damaged(name)
        return items

    def damaged(self, name: str) -> KnowledgeError:
        """The error for a section that is not in the file or does not read as its header says."""
        return KnowledgeError(
            f"{self._source}: section '{name}' is missing or damaged; reinstall gigmatch or "
            "rebuild the file with scripts/build_skill_kb.py"
        )


class Knowledge:
    """The concepts and the form indexes (key, compact, fold -> concept row, -1 = ambiguous).

    Concepts are kept as columns and turned into `Concept` records on demand; every column and
    index is read from the file the first time something asks for it."""

    def __init__(self, sections: Sections) -> None:
        self._s = sections
        self._cache: dict[str, Concept] = {}
        # `ancestors` of the concepts asked for, shared by every resolver of the process.
        self._walks: dict[str, dict[str, str]] = {}

    # --- columns and indexes, each decoded on first use --------------------------------------

    @cached_property
    def ids(self) -> list[str]:
        """Concept ids, by row (sorted)."""
        return self._s.text("ids")

    @cached_property
    def names(self) -> list[str]:
        """Display names, by row."""
        return self._s.text("names")

    @cached_property
    def exact_forms(self) -> list[str]:
        """The compact form of each display name, by row: a spelling with this compact form is
        written exactly ("Node.js", "nodejs"), any other spelling of the concept is the
        knowledge base's reading of it. Written by the build: worked out at run time it took
        a `key` and a `compact` per concept a run names (2,500 at 1,000 x 10,000)."""
        forms = self._s.text("exact")
        if len(forms) != len(self.ids):
            raise self._s.damaged("exact")
        return forms

    @cached_property
    def row(self) -> dict[str, int]:
        """Concept id -> row."""
        return {cid: r for r, cid in enumerate(self.ids)}

    @cached_property
    def key_index(self) -> dict[str, int]:
        """key form -> concept row (-1 = ambiguous): the strictest index."""
        return self._index("key")

    @cached_property
    def _compact(self) -> SortedForms:
        """compact forms the key index does not already give the same row for."""
        return self._sorted_forms("compact")

    @cached_property
    def _fold(self) -> SortedForms:
        """fold forms the key index does not already give the same row for."""
        return self._sorted_forms("fold")

    def _sorted_forms(self, kind: str) -> SortedForms:
        """A looser form index from its sections: the forms in sorted order and a row each."""
        forms, rows = self._s.text(kind), self._s.int_array(kind + "_rows")
        if len(forms) != len(rows):
            raise self._s.damaged(kind)
        return SortedForms(forms, rows)

    def _index(self, kind: str) -> dict[str, int]:
        """A form index from its section: forms grouped by concept row (the ambiguous first)
        with a count per row, so no number is parsed per form."""
        forms, counts = self._s.text(kind), self._s.int_array(kind + "_counts")
        if len(forms) != counts.sum() or counts.min(initial=0) < 0:
            raise self._s.damaged(kind)
        # The row of every form repeated in C: a Python iterator of repeats took twice as long.
        rows = np.repeat(np.arange(-1, len(counts) - 1), counts).tolist()
        return dict(zip(forms, rows, strict=True))

    @cached_property
    def groups(self) -> dict[str, tuple[str, ...]]:
        """Substitute family -> its concepts, by family name."""
        ids = self.ids
        members = self._s.text("group_members")
        return {
            g: tuple(ids[int(r)] for r in line.split())
            for g, line in zip(self._s.text("groups"), members, strict=True)
        }

    @cached_property
    def _member_of(self) -> dict[str, tuple[str, ...]]:
        member_of: dict[str, list[str]] = defaultdict(list)
        for name in sorted(self.groups):
            for cid in self.groups[name]:
                member_of[cid].append(name)
        return {cid: tuple(g) for cid, g in member_of.items()}

    @cached_property
    def vendors(self) -> tuple[str, ...]:
        """Vendor names a spelling may start with, longest first."""
        return tuple(sorted(self._s.text("vendors"), key=len, reverse=True))

    @cached_property
    def vendor_set(self) -> frozenset[str]:
        """The vendor names, for membership tests."""
        return frozenset(self._s.text("vendors"))

    @cached_property
    def fillers(self) -> frozenset[str]:
        """Trailing words that add nothing ("software", "programming")."""
        return frozenset(self._s.text("fillers"))

    @cached_property
    def blocked(self) -> frozenset[str]:
        """Keys that never resolve (short words with several meanings)."""
        return frozenset(self._s.text("blocked"))

    @cached_property
    def english(self) -> frozenset[str]:
        """Ordinary English words (no typo is corrected in a spelling made only of them)."""
        return frozenset(self._s.text("english"))

    @cached_property
    def tokens(self) -> frozenset[str]:
        """Every word of every indexed key: words the knowledge base itself knows."""
        return frozenset(self._s.text("tokens"))

    @cached_property
    def fold_tokens(self) -> frozenset[str]:
        """Every word of every fold form (and key): a fold form can only match if all its
        words are here, which lets the resolver skip most lookups of word runs."""
        return self.tokens | frozenset(self._s.text("fold_words"))

    @cached_property
    def _popular(self) -> list[int]:
        return self._s.int_array("popular").tolist()

    @cached_property
    def _sources(self) -> list[int]:
        return self._s.int_array("sources").tolist()

    @cached_property
    def _broader(self) -> list[str]:
        return self._s.text("broader")

    # --- records and lookups -----------------------------------------------------------------

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

    @cached_property
    def _spellings(self) -> list[tuple[str, ...]]:
        return [tuple(line.split("\t")) if line else () for line in self._s.text("spellings")]

    @cached_property
    def _categories(self) -> list[str]:
        return self._s.text("categories")

    @cached_property
    def _category(self) -> list[int]:
        return self._s.ints("category")

    def name(self, cid: str) -> str:
        """The display name of a concept."""
        return self.names[self.row[cid]]

    def broader(self, cid: str) -> tuple[str, ...]:
        """The concepts a concept directly implies, sorted (KeyError when there is no such
        concept). Read from its line of the section: a run's walks up these links come ready
        made (`ancestors`), so only the walks from unknown spellings read a few of them."""
        line = self._broader[self.row[cid]]
        ids = self.ids
        return tuple(ids[int(r)] for r in line.split()) if line else ()

    def ancestors(self, cid: str) -> dict[str, str]:
        """Every concept a concept implies within `relations.MAX_DEPTH` steps up `broader`, in
        the order the breadth-first walk of `relations.ancestors` finds them, each mapped to
        `cid` (KeyError when there is no such concept).

        The build writes each concept's walk (section 'ancestors'): a run walks up from every
        skill it offers (5,880 at 1,000 x 10,000), which stepped through the links in Python
        from a dict of them built at every start. Kept once made, for every resolver of the
        process (a dict is put in only once complete, so another thread never reads one half
        made)."""
        found = self._walks.get(cid)
        if found is None:
            line = self._ancestor_lines[self.row[cid]]
            ids = self.ids
            found = {ids[int(r)]: cid for r in line.split()} if line else {}
            self._walks[cid] = found
        return found

    @cached_property
    def _ancestor_lines(self) -> list[str]:
        lines = self._s.text("ancestors")
        if len(lines) != len(self.ids):
            raise self._s.damaged("ancestors")
        return lines

    @cached_property
    def typo_buckets(self) -> dict[str, tuple[list[str], list[str]]]:
        """`typo_targets` bucketed by first letter, keys and ids apart, in their order: what
        the resolver compares a misspelling with (typos rarely hit the first letter). Made
        once per process instead of once per resolver. The file holds the targets sorted,
        so a letter's targets are one run of it, cut out by bisection (a loop over the 8,300
        targets took 4-8 ms of a cold skill model)."""
        keys, ids = self._s.text("typo_targets"), self._s.text("typo_ids")
        if len(keys) != len(ids):
            raise self._s.damaged("typo_ids")
        buckets: dict[str, tuple[list[str], list[str]]] = {}
        start = 0
        while start < len(keys):
            letter = keys[start][:1]
            stop = bisect_left(keys, chr(ord(letter) + 1), start) if letter else start + 1
            buckets[letter] = (keys[start:stop], ids[start:stop])
            start = stop
        return buckets

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
        keys = self.key_index
        for kind, form, index in (
            ("key", k, None),
            ("compact", compact(k), self._compact),
            ("fold", fold(k), self._fold),
        ):
            r = index.get(form) if index is not None else None
            if r is None:
                r = keys.get(form)
            if r is not None:
                return (self.ids[r] if r >= 0 else ""), kind
        return None, None

    def lookup_forms(self, k: str, c: str, f: str | None = None) -> str | None:
        """`lookup` for a key whose compact form (and perhaps fold form) is already known: the
        concept id, "" when ambiguous, None when unknown. The resolver's hot path: the fold form
        is computed here only when the strict forms found nothing."""
        if k in self.blocked:
            return None
        keys = self.key_index
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
        concepts only, five characters or more, never ambiguous or blocked; sorted. The build
        writes them, keys and ids, so this is two splits, not a pass over every key."""
        return list(zip(self._s.text("typo_targets"), self._s.text("typo_ids"), strict=True))

    def fold_lookup(self, f: str) -> str | None:
        """The concept a fold form names: its id, "" when ambiguous, None when unknown."""
        r = self._fold.get(f)
        if r is None:
            r = self.key_index.get(f)
            if r is None:
                return None
        return self.ids[r] if r >= 0 else ""

    def has_compact(self, c: str) -> bool:
        """Whether a compact form is indexed (in the compact or the key index)."""
        return c in self._compact or c in self.key_index


class SortedForms:
    """A form index kept as the file gives it, sorted forms and a concept row each (-1 =
    ambiguous), looked up by bisection.

    The looser indexes serve only the spellings the key index misses (one in five), a few
    thousand look-ups a run, and a dict of their 40,000 forms cost more to build (hashing
    and inserting every form: about 20 ms each, a tenth of a cold skill model) than all
    those look-ups cost by bisection."""

    def __init__(self, forms: list[str], rows: np.ndarray) -> None:
        self._forms = forms
        self._rows = rows

    def get(self, form: str) -> int | None:
        """The row of a form, None when the index does not hold it."""
        at = bisect_left(self._forms, form)
        if at < len(self._forms) and self._forms[at] == form:
            return int(self._rows[at])
        return None

    def __contains__(self, form: str) -> bool:
        return self.get(form) is not None

    def __len__(self) -> int:
        return len(self._forms)


# --- the file ---------------------------------------------------------------------------------


def dump_knowledge(doc: Mapping[str, Any]) -> bytes:
    """The shipped file's bytes for a knowledge-base document (scripts/build_skill_kb.py).

    `doc` holds columns by concept row: ids (sorted), names, spellings (lists), categories
    with a category row per concept (-1 = none), broader (row lists), sources (bit sets),
    popular (0/1), groups ({name: rows}), forms ({"key"|"compact"|"fold": {form: row}}, -1 =
    ambiguous; compact and fold entries that agree with the key index left out), vendors,
    fillers, blocked and english (word lists). The words, typo targets, exact forms and
    ancestors the resolver needs are derived here, once, instead of at every load. Forms and
    groups are written in a sorted order, so the indexes iterate alike whatever order the build
    added them in: the key index grouped by row, the compact and fold indexes in form order
    with a row each, read as they are (`SortedForms`)."""
    forms = doc["forms"]
    groups = dict(sorted(doc["groups"].items()))
    keys, popular, blocked = forms["key"], doc["popular"], set(doc["blocked"])
    n_rows = len(doc["ids"])
    tokens = frozenset(" ".join(keys).split())
    typo = sorted(
        (form, doc["ids"][r])
        for form, r in keys.items()
        if r >= 0 and popular[r] and len(form) >= 5 and form not in blocked
    )
    for spellings in doc["spellings"]:
        if any(not s or "\t" in s for s in spellings):
            raise ValueError(f"spellings {spellings!r}: an empty one, or one with a tab")
    sections: list[tuple[str, str, Sequence[Any]]] = [
        ("ids", _TEXT, doc["ids"]),
        ("names", _TEXT, doc["names"]),
        ("exact", _TEXT, [compact(key(name)) for name in doc["names"]]),
        *_form_sections("key", forms["key"], n_rows),
        *_sorted_sections("compact", forms["compact"]),
        *_sorted_sections("fold", forms["fold"]),
        ("tokens", _TEXT, sorted(tokens)),
        ("fold_words", _TEXT, sorted(frozenset(" ".join(forms["fold"]).split()) - tokens)),
        ("typo_targets", _TEXT, [form for form, _ in typo]),
        ("typo_ids", _TEXT, [cid for _, cid in typo]),
        ("blocked", _TEXT, doc["blocked"]),
        ("fillers", _TEXT, doc["fillers"]),
        ("vendors", _TEXT, doc["vendors"]),
        ("english", _TEXT, doc["english"]),
        ("popular", _INTS, popular),
        ("sources", _INTS, doc["sources"]),
        ("broader", _TEXT, [_numbers(rows) for rows in doc["broader"]]),
        ("ancestors", _TEXT, [_numbers(_walk_up(r, doc["broader"])) for r in range(n_rows)]),
        ("groups", _TEXT, list(groups)),
        ("group_members", _TEXT, [_numbers(rows) for rows in groups.values()]),
        ("categories", _TEXT, doc["categories"]),
        ("category", _INTS, doc["category"]),
        ("spellings", _TEXT, ["\t".join(s) for s in doc["spellings"]]),
    ]
    body = bytearray()
    table: dict[str, list[object]] = {}
    for name, kind, items in sections:
        lines = [_line(name, kind, item) for item in items]
        start = len(body)
        body += "\n".join(lines).encode("utf-8")
        table[name] = [kind, start, len(body), len(lines)]
        if lines:
            body += b"\n"
    header = json.dumps({"format": FORMAT, "sections": table}, separators=(",", ":"))
    return header.encode("ascii") + b"\n" + bytes(body)


def _form_sections(
    kind: str, index: Mapping[str, int], n_rows: int
) -> tuple[tuple[str, str, list[str]], tuple[str, str, list[int]]]:
    """A form index as its forms, sorted by (row, form) with the ambiguous (-1) first, and
    how many forms each row has (the ambiguous count first, then rows 0..n-1)."""
    pairs = sorted((r, form) for form, r in index.items())
    counts = [0] * (n_rows + 1)
    for r, _ in pairs:
        counts[r + 1] += 1
    return (kind, _TEXT, [form for _, form in pairs]), (f"{kind}_counts", _INTS, counts)


def _sorted_sections(
    kind: str, index: Mapping[str, int]
) -> tuple[tuple[str, str, list[str]], tuple[str, str, list[int]]]:
    """A looser form index as its forms in sorted order and the row of each (`SortedForms`)."""
    pairs = sorted(index.items())
    rows = [r for _, r in pairs]
    return (kind, _TEXT, [form for form, _ in pairs]), (f"{kind}_rows", _INTS, rows)


def _walk_up(row: int, broader: Sequence[Sequence[int]]) -> list[int]:
    """The rows a concept implies, as `Knowledge.ancestors` gives them: ids are sorted, so
    walking rows in number order is walking ids in name order."""
    return list(ancestors([row], lambda r: broader[r]))


def _numbers(rows: Sequence[int]) -> str:
    return " ".join(map(str, rows))


def _line(section: str, kind: str, item: object) -> str:
    """One item as its line: a number, or a text with no line break."""
    if kind == _INTS:
        if type(item) is not int:
            raise ValueError(f"section {section}: {item!r} is not an integer")
        return str(item)
    if not isinstance(item, str) or "\n" in item:
        raise ValueError(f"section {section}: {item!r} is no one-line text")
    return item


def default_path() -> Path:
    """The shipped file inside the installed package."""
    return Path(str(resources.files("gigmatch").joinpath("data", FILE_NAME)))


@cache
def load_knowledge(path: str | Path | None = None) -> Knowledge:
    """The knowledge base, read once per process (cached per path)."""
    target = Path(path) if path is not None else default_path()
    try:
        raw = target.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"cannot read the skill knowledge base {target}: {exc}") from exc
    return Knowledge(Sections(raw, f"skill knowledge base {target}"))
