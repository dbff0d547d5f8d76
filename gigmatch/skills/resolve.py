"""Spelling -> concept: local, order-free resolution of skill spellings.

A spelling resolves from the spelling alone, the knowledge base and the user's aliases, never
from the other rows of a file, so a pair's result is the same alone and inside a large file.
Steps, first hit wins:

1. the user's aliases, then the knowledge base, by key, compact and fold form (case, spacing,
   punctuation, plurals, British spellings, word order);
2. a trailing version ("Python 3"): the product, with the version kept aside;
3. what exports add around a name: "(SEO)", a trailing acronym, filler words at the end
   ("SQL Programming", "Tableau Software"), an edition ("Excel 2016", "Photoshop CC"), a
   vendor in front ("QlikTech QlikView");
4. a spelling made of two known concepts where one implies the other ("Python Pandas" is
   pandas);
5. in `resolve_many`, a typo of a known concept ("Pyhton"): only for a spelling that names no
   concept and has a word that is not an ordinary English word, and only onto a popular concept
   at edit distance 1 (from eight letters, also two missing or extra letters; up to five letters
   not one changed letter: "Redox" is not "Redux"), never when two concepts are equally close.

What stays unknown keeps a key of its own ("~" + its fold form), and remembers the known
concepts written inside it ("PSD to WordPress" implies WordPress) for related credit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import combinations
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from gigmatch.skills.knowledge import Knowledge
from gigmatch.skills.relations import (
    KINDS,
    MAX_DEPTH,
    Relation,
    RelationCredits,
    substitute_via,
)
from gigmatch.skills.text import (
    clean,
    compact,
    fold,
    key,
    split_parens,
    split_version,
    trailing_acronym,
    versions_compatible,
    words,
)

# A trailing edition that names no other skill: a year ("Excel 2016"), Adobe's CC and CS6.
_EDITION = re.compile(r"(?:19|20)\d\d|(?i:cc|cs\d?)")
# A text of plain ASCII words (letters, digits, ".", "+", "#") between single spaces, not ending
# in ".": nothing in it is a separator, an edge mark or a Unicode form, so it is `clean` as it
# is and its `key` is the text lower-cased (tests/test_prescoring.py checks both).
_PLAIN_TEXT = re.compile(r"[A-Za-z0-9.+#]+(?: [A-Za-z0-9.+#]+)*(?<!\.)")
# The last character of any key `split_version` can split (a digit, "3.x", "8+").
_VERSION_ENDS = frozenset("0123456789x+")
UNKNOWN = "~"
USER = "user:"
# Rows compared at once in the typo step: bounds memory to chunk x bucket int32 cells.
TYPO_CHUNK = 2048
# Spellings this short (as keys) are not typos by one changed letter, see `Resolver._best`.
SHORT_TYPO = 5
# Most words looked up together inside an unknown spelling (concept names are short).
MAX_PART_WORDS = 4
# Most resolutions one shared store holds: about 200 bytes each, so about 40 MB per store
# (10,000 x 100,000 writes 35,000 distinct spellings); `index.make_resolver` keeps at most
# four stores, one per set of aliases and relations, so at most about 160 MB between runs.
MAX_SHARED = 200_000


class Resolution(NamedTuple):
    """What one spelling means.

    concept: the concept id, or None when unknown. key: what matching compares (the concept id,
    with "@version" when a version was written; "~" + a normalised spelling when unknown).
    display: the concept's name, or the cleaned spelling. how: "exact" | "alias" |
    "knowledge base" | "typo NN" | "version" | "unknown". version: "3" for "Python 3".
    implies: concepts an unknown spelling names inside it ("PSD to WordPress" -> WordPress).

    A named tuple rather than a frozen dataclass: one is made per distinct spelling of a run
    (9,614 at 1,000 x 10,000), and a frozen dataclass's `__init__` (one `object.__setattr__`
    per field) cost four times as much, about 15 ms of each skill-model build.
    """

    spelling: str
    concept: str | None
    key: str
    display: str
    how: str
    version: str | None = None
    implies: tuple[str, ...] = ()


class _Hit(NamedTuple):
    """A form index's answer for one key (a named tuple for the reason `Resolution` is)."""

    concept: str
    how: str
    version: str | None = None


_AMBIGUOUS = _Hit("", "ambiguous")
_UNSEEN = _Hit("", "unseen")  # not looked up yet (a memo's default)


class Resolver:
    """Resolves spellings against a knowledge base plus the user's aliases and relations.

    aliases: {canonical: [spellings]} (the user wins over the knowledge base). relations:
    (a, b, kind) triples: "substitute" (either way), "narrower" (a implies b), "broader" (b
    implies a). Results are cached by spelling; one resolver serves a whole run.

    shared: a store of resolutions that outlives the resolver, for resolvers of the same
    aliases and relations (`index.make_resolver` keeps one per process). A spelling's
    resolution depends on nothing else, so a second run in one process (a library caller, a
    notebook) reads it back instead of resolving again; what a run's keys show
    (`_by_key`) is still made from that run's spellings alone.
    """

    def __init__(
        self,
        kb: Knowledge,
        aliases: Mapping[str, Iterable[str]] | None = None,
        relations: Iterable[tuple[str, str, str]] | None = None,
        *,
        credits: RelationCredits | None = None,
        typos: bool = True,
        shared: dict[str, Resolution] | None = None,
    ) -> None:
        self.kb = kb
        self._shared = shared
        self.credits = credits or RelationCredits()
        self.typos = typos
        self._user_forms: dict[str, dict[str, str]] = {"key": {}, "compact": {}, "fold": {}}
        self._user_names: dict[str, str] = {}
        self._user_broader: dict[str, set[str]] = defaultdict(set)
        self._user_subs: dict[str, set[str]] = defaultdict(set)
        self._cache: dict[str, Resolution] = {}
        self._by_key: dict[str, Resolution] = {}
        self._up: dict[str, dict[str, str]] = {}
        self._relations: dict[tuple[str, str, RelationCredits], Relation | None] = {}
        self._node_relations: dict[RelationCredits, dict[tuple[str, str], Relation | None]] = {}
        self._targets: dict[str, tuple[list[str], list[str]]] | None = None
        self._matches: dict[str, _Hit | None] = {}
        self._exact: dict[str, str] = {}
        self._add_aliases(aliases or {})
        self._add_relations(relations or ())

    # --- user configuration ------------------------------------------------------------------

    def _add_aliases(self, aliases: Mapping[str, Iterable[str]]) -> None:
        """User aliases, in name order so that conflicts resolve the same way every run."""
        for canonical in sorted(aliases, key=lambda c: (key(c), c)):
            hit = self._local_hit(canonical, key(canonical))
            if hit is not None and hit is not _AMBIGUOUS:
                cid = hit.concept
            else:
                cid = USER + (key(canonical) or canonical)
                self._user_names[cid] = clean(canonical)
            for spelling in (canonical, *sorted(aliases[canonical])):
                k = key(spelling)
                if not k:
                    continue
                for kind, form in (("key", k), ("compact", compact(k)), ("fold", fold(k))):
                    self._user_forms[kind][form] = cid
        self._cache.clear()
        self._matches.clear()
        self._exact.clear()

    def _add_relations(self, relations: Iterable[tuple[str, str, str]]) -> None:
        """User relations between two spellings (resolved without typo correction)."""
        for a, b, kind in relations:
            if kind not in ("substitute", "narrower", "broader"):
                raise ValueError(
                    f"relation kind '{kind}' between '{a}' and '{b}' is not one of "
                    "substitute, narrower, broader"
                )
            na, nb = self._node(self._resolve_local(a)[0]), self._node(self._resolve_local(b)[0])
            if kind == "substitute":
                self._user_subs[na].add(nb)
                self._user_subs[nb].add(na)
            elif kind == "narrower":
                self._user_broader[na].add(nb)
            else:
                self._user_broader[nb].add(na)

    # --- resolution --------------------------------------------------------------------------

    def resolve(self, spelling: str) -> Resolution:
        """What one spelling means (see the module docstring for the steps)."""
        return self.resolve_many([spelling])[0]

    def resolve_many(self, spellings: Sequence[str]) -> list[Resolution]:
        """Resolve many spellings at once: each distinct spelling once, typos in bulk."""
        cache = self._cache
        pending: dict[str, Resolution] = {}
        # Spellings that clean to one text (" Python", "Python ") resolve alike, since every
        # step reads only the cleaned text: the work is done once per text. (Not once per key:
        # case can matter, "(SEO)" is an acronym where "(seo)" may not be.)
        # Each text's key is made here, once, for every step that reads it.
        same_text: dict[str, list[str]] = {}
        keys: dict[str, str] = {}
        shared = self._shared if self._shared is not None else {}
        for spelling in dict.fromkeys(spellings):
            if spelling not in cache:
                earlier = shared.get(spelling)
                if earlier is not None:
                    self._store(spelling, earlier)
                    continue
                text, k = _text_and_key(spelling)
                group = same_text.get(text)
                if group is None:
                    same_text[text] = [spelling]
                    keys[text] = k
                else:
                    group.append(spelling)
        plain = self._plain_names() is not None
        rest = self._resolve_plain(same_text, keys) if plain else same_text
        for text, group in rest.items():
            res, typo_ok = self._resolve_text(group[0], text, keys[text])
            if typo_ok and self.typos:
                pending[text] = res
            else:
                self._store_group(group, res)
        if pending:
            fixes = self._correct_typos({text: keys[text] for text in pending})
            for text, res in pending.items():
                fix = fixes.get(text)
                if fix is not None:
                    cid, score = fix
                    res = Resolution(res.spelling, cid, cid, self.display(cid), f"typo {score}")
                self._store_group(same_text[text], res)
        if self._shared is not None:
            self._share(same_text)
        return [cache[s] for s in spellings]

    def _share(self, same_text: dict[str, list[str]]) -> None:
        """Put this call's new resolutions in the shared store (emptied first when it would
        grow past `MAX_SHARED`, so a long-lived process stays bounded)."""
        shared, cache = self._shared, self._cache
        assert shared is not None
        new = sum(map(len, same_text.values()))
        if new and len(shared) + new > MAX_SHARED:
            shared.clear()
        for group in same_text.values():
            for spelling in group:
                shared[spelling] = cache[spelling]

    def _resolve_plain(
        self, same_text: dict[str, list[str]], keys: dict[str, str]
    ) -> dict[str, list[str]]:
        """Step 1 for the common spelling, a concept's own key with no version, in one loop:
        a dict lookup gives the answer `_resolve_local` gives it (its first step finds the
        same concept and no later step runs), without the layers that serve every other
        spelling (three of four spellings at 10,000 x 100,000 take this path). Returns the
        texts left for the full path."""
        kb = self.kb
        plain, blocked, ids, names = kb.key_index, kb.blocked, kb.ids, kb.names
        exact_forms, cache, by_key = kb.exact_forms, self._cache, self._by_key
        rest: dict[str, list[str]] = {}
        for text, group in same_text.items():
            k = keys[text]
            r = None if k[-1:] in _VERSION_ENDS or k in blocked else plain.get(k)
            if r is None or r < 0:
                rest[text] = group
                continue
            cid, name = ids[r], names[r]
            # written as the concept's name, or as its compact form: exact
            how = "exact" if text == name or compact(k) == exact_forms[r] else "knowledge base"
            spelling = group[0]
            res = Resolution(spelling, cid, cid, name, how)
            if len(group) > 1:
                self._store_group(group, res)
                continue
            cache[spelling] = res  # `_store`, inline: this loop runs once per spelling
            held = by_key.get(cid)
            if held is None or (spelling.casefold(), spelling) < (
                held.spelling.casefold(),
                held.spelling,
            ):
                by_key[cid] = res
        return rest

    def _plain_names(self) -> dict[str, int] | None:
        """The knowledge base's key index when no user alias can take precedence over it,
        else None: then every spelling takes the full path."""
        if self._user_names or self._user_forms["key"]:
            return None
        return self.kb.key_index

    def _store_group(self, group: list[str], res: Resolution) -> None:
        """Store the resolution of a group's first spelling for every spelling of the group."""
        self._store(group[0], res)
        for spelling in group[1:]:
            self._store(spelling, res._replace(spelling=spelling))

    def _store(self, spelling: str, res: Resolution) -> None:
        """Cache a resolution; per key keep the first spelling in sort order, so what a key
        shows (in a relation's `via`) never depends on the order rows came in."""
        self._cache[spelling] = res
        held = self._by_key.get(res.key)
        if held is None or (res.spelling.casefold(), res.spelling) < (
            held.spelling.casefold(),
            held.spelling,
        ):
            self._by_key[res.key] = res

    def _resolve_local(self, spelling: str) -> tuple[Resolution, bool]:
        """Resolution without typo correction, and whether a typo correction may be tried."""
        return self._resolve_text(spelling, *_text_and_key(spelling))

    def _resolve_text(self, spelling: str, text: str, k: str) -> tuple[Resolution, bool]:
        """`_resolve_local` of a spelling whose cleaned text and key are known."""
        if k[-1:] not in _VERSION_ENDS:
            # Most spellings name a concept as they are: one memoised lookup, no variants. (A
            # key can only end in a version if it ends in a digit, "x" or "+".)
            hit = self._match(k)
            if hit is not None and hit is not _AMBIGUOUS:
                return self._known(spelling, hit), False
            # The spelling's own step of `_local_hit` would find this same hit again (without
            # a version at the end, `_versioned` is `_match`): give it, go on to the variants.
            hit = self._local_hit(text, k, hit)
        else:
            hit = self._local_hit(text, k)
        if hit is not None and hit is not _AMBIGUOUS:
            return self._known(spelling, hit), False
        implies: tuple[str, ...] = ()
        if hit is None:
            compound = self._compound(k)
            if isinstance(compound, _Hit):
                return self._known(spelling, compound), False
            implies = compound
        unknown = Resolution(
            spelling, None, UNKNOWN + (fold(k) or k), text, "unknown", None, implies
        )
        return unknown, hit is None and not implies and self._typo_candidate(k)

    def _known(self, spelling: str, hit: _Hit) -> Resolution:
        k = hit.concept + (f"@{hit.version}" if hit.version else "")
        how = "version" if hit.version else hit.how
        return Resolution(spelling, hit.concept, k, self.display(hit.concept), how, hit.version)

    def _local_hit(self, text: str, k: str, own: _Hit | None = _UNSEEN) -> _Hit | None:
        """The first hit of the spelling itself (its text and key; `own` when the caller has
        it already), then of its variants; _AMBIGUOUS if the spelling itself names two
        concepts."""
        hit = self._versioned(k) if own is _UNSEEN else own
        if hit is not None:
            return hit
        for variant, variant_key, vendor_stripped in self._variants(text, k):
            found = self._versioned(variant_key)
            if found is None or found is _AMBIGUOUS:
                continue
            if vendor_stripped and not self._vendor_ok(variant, found.concept):
                continue
            return found if found.version else found._replace(how="knowledge base")
        return None

    def _match(self, k: str) -> _Hit | None:
        """A key against the user's aliases, then the knowledge base (all three forms)."""
        hit = self._matches.get(k, _UNSEEN)
        if hit is _UNSEEN:
            hit = self._matches[k] = self._match_uncached(k)
        return hit

    def _match_uncached(self, k: str) -> _Hit | None:
        """`_match` without the memo. The fold form, the costliest, is computed only when the
        key and compact forms found nothing."""
        if not k:
            return None
        c = compact(k)
        if self._user_names or self._user_forms["key"]:
            user = self._user_forms
            cid = user["key"].get(k)
            if cid is None:
                cid = user["compact"].get(c)
                if cid is None:
                    cid = user["fold"].get(fold(k))
            if cid is not None:
                return _Hit(cid, "exact" if c == self._exact_form(cid) else "alias")
        found = self.kb.lookup_forms(k, c)
        if found is None:
            return None
        if found == "":
            return _AMBIGUOUS
        return _Hit(found, "exact" if c == self._exact_form(found) else "knowledge base")

    def _exact_form(self, cid: str) -> str:
        """The compact form of a concept's display name (what counts as an exact spelling):
        the knowledge base's, written by its build, or one of a user concept's own."""
        r = self.kb.row.get(cid)
        if r is not None:
            return self.kb.exact_forms[r]
        found = self._exact.get(cid)
        if found is None:
            found = self._exact[cid] = compact(key(self.display(cid)))
        return found

    def _versioned(self, k: str) -> _Hit | None:
        """A spelling's key, or its product when it ends in a version of a known concept."""
        full = self._match(k)
        parts = split_version(k)
        if parts is None or full is _AMBIGUOUS:
            return full
        base = self._match(parts[0])
        if base is None or base is _AMBIGUOUS:
            return full
        if full is None or full.concept == base.concept:
            return _Hit(base.concept, "version", parts[1])
        return full

    def _variants(self, text: str, k: str) -> list[tuple[str, str, bool]]:
        """What exports add around a name (a text and its key), taken off one layer at a time
        (breadth first): each variant with its key and whether a vendor was taken off."""
        seen = {k}
        out: list[tuple[str, str, bool]] = []
        frontier = [(text, k, False)]
        for _ in range(3):
            step: list[tuple[str, str, bool]] = []
            for current, current_key, vendor in frontier:
                for nxt, by_vendor in self._peel(current, current_key):
                    nxt_key = key(nxt)
                    if nxt_key and nxt_key not in seen:
                        seen.add(nxt_key)
                        step.append((nxt, nxt_key, vendor or by_vendor))
            out.extend(step)
            frontier = step
        return out

    def _peel(self, text: str, k: str) -> list[tuple[str, bool]]:
        """One layer off a text (of key `k`): brackets, trailing acronym, trailing fillers,
        leading vendor."""
        out: list[tuple[str, bool]] = []
        parens = split_parens(text)
        if parens:
            outside, inside = parens
            if outside:
                out.append((outside, False))
            if inside and " " not in inside and len(inside) <= 10:
                out.append((inside, False))
        acronym = trailing_acronym(text)
        if acronym:
            out.extend([(acronym[0], False), (acronym[1], False)])
        parts = text.split()
        if len(parts) > 1 and (key(parts[-1]) in self.kb.fillers or _EDITION.fullmatch(parts[-1])):
            out.append((" ".join(parts[:-1]), False))
        head = k.split()
        for n in (3, 2, 1):
            if len(head) > n and " ".join(head[:n]) in self.kb.vendor_set:
                out.append((" ".join(head[n:]), True))
                break
        return out

    def _vendor_ok(self, remainder: str, cid: str) -> bool:
        """A vendor-less remainder counts when it names a product, not an ordinary word:
        "Microsoft Teams" must not become a skill called "teams"."""
        if cid.startswith(USER) or self.kb.is_tool(cid):
            return True
        return any(w not in self.kb.english for w in words(key(remainder)) if not w.isdigit())

    def _compound(self, k: str) -> _Hit | tuple[str, ...]:
        """Known concepts written inside an unknown spelling, or the one it names.

        Works on the spelling's fold words (sorted, singular, small words dropped), looking up
        every group of up to four of them in the fold index, largest groups first: the answer
        depends on the key alone, so every spelling that shares an unknown key shares its
        links, whatever order the rows came in. "Python Pandas" names pandas (pandas implies
        Python and nothing else is left); "PSD to WordPress" only implies WordPress;
        "Non-Fiction Writing" never implies Fiction (the fold keeps "nonfiction" whole)."""
        ws = fold(k).split()
        n = len(ws)
        if n < 2:
            return ()
        user_folds = self._user_forms["fold"]
        # A word that is in no fold form cannot be part of one: leave it out of the groups.
        known = self.kb.fold_tokens
        usable = [i for i, w in enumerate(ws) if w in known or user_folds]
        largest = min(n - 1, len(usable), MAX_PART_WORDS if len(usable) <= 8 else 2)
        parts: list[str] = []
        covered: set[int] = set()
        for size in range(largest, 0, -1):
            for combo in combinations(usable, size):
                if covered.intersection(combo):
                    continue
                form = " ".join(ws[i] for i in combo)
                cid = user_folds.get(form) or self.kb.fold_lookup(form)
                if not cid or (size == 1 and not self._part_ok(cid)):
                    continue
                parts.append(cid)
                covered.update(combo)
        found = sorted(set(parts))
        rest = [w for i, w in enumerate(ws) if i not in covered]
        if found and all(w in self.kb.fillers for w in rest):
            for p in found:
                up = self._ancestors(p)
                if all(q == p or q in up for q in found):
                    return _Hit(p, "knowledge base")
        return tuple(found)

    def _part_ok(self, cid: str) -> bool:
        """A one-word part must be a popular concept: "Theme" or "Clerk" imply nothing."""
        return cid.startswith(USER) or self.kb.is_popular(cid)

    # --- typos -------------------------------------------------------------------------------

    def _typo_candidate(self, k: str) -> bool:
        """Only a spelling with a word that is neither English nor known may be a typo."""
        if len(compact(k)) < 5:
            return False
        for w in words(k):
            if len(w) >= 4 and w.isalpha() and w not in self.kb.english:
                if w not in self.kb.tokens:
                    return True
        return False

    def _typo_targets(self) -> dict[str, tuple[list[str], list[str]]]:
        """Popular concepts' keys, bucketed by first letter (typos rarely hit the first): the
        knowledge base's buckets, with the user's alias keys after them in key order."""
        if self._targets is None:
            user = sorted((k, cid) for k, cid in self._user_forms["key"].items() if len(k) >= 5)
            buckets = self.kb.typo_buckets
            if user:
                buckets = {letter: (ks[:], cs[:]) for letter, (ks, cs) in buckets.items()}
                for k, cid in user:
                    ks, cs = buckets.setdefault(k[0], ([], []))
                    ks.append(k)
                    cs.append(cid)
            self._targets = buckets
        return self._targets

    def _correct_typos(self, queries: Mapping[str, str]) -> dict[str, tuple[str, int]]:
        """text -> (concept, similarity 0-100) for the texts (`queries`: text -> key) that are a
        typo of exactly one popular concept. Chunked rapidfuzz cdist, so memory stays bounded.

        A query is compared only with the targets of its first letter whose length is within
        the edits it may have (`_allowed`): an edit distance is at least the difference of
        lengths, so the targets left out could never be its fix, and the targets kept stay in
        their order, so ties are broken alike. Most queries are of a length few targets share:
        this is a third of the comparisons (about 6 ms of 9 at 1,000 x 10,000)."""
        buckets = self._typo_targets()
        by_letter: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(dict)
        for text, q in queries.items():
            by_letter[q[0]].setdefault(len(q), []).append((text, q))
        out: dict[str, tuple[str, int]] = {}
        for letter in sorted(by_letter):
            if letter not in buckets:
                continue
            target_keys, target_ids = buckets[letter]
            lengths = np.fromiter(map(len, target_keys), dtype=np.int64, count=len(target_keys))
            for size, queue in sorted(by_letter[letter].items()):
                near = np.flatnonzero(np.abs(lengths - size) <= _allowed(size)).tolist()
                if near:
                    keys = [target_keys[i] for i in near]
                    ids = [target_ids[i] for i in near]
                    out.update(self._typo_fixes(queue, keys, ids))
        return out

    def _typo_fixes(
        self, queue: list[tuple[str, str]], target_keys: list[str], target_ids: list[str]
    ) -> Iterator[tuple[str, tuple[str, int]]]:
        """(text, fix) for the (text, key) pairs of `queue` that have one, compared in
        chunks of `TYPO_CHUNK`; a row with no target within two edits has none (`_best`)."""
        for start in range(0, len(queue), TYPO_CHUNK):
            chunk = queue[start : start + TYPO_CHUNK]
            dist = process.cdist(
                [q for _, q in chunk],
                target_keys,
                scorer=OSA.distance,
                score_cutoff=2,
                dtype=np.int32,
            )
            for row in np.flatnonzero(dist.min(axis=1) <= 2).tolist():
                text, q = chunk[row]
                fix = self._best(dist[row], q, target_keys, target_ids)
                if fix is not None:
                    yield text, fix

    @staticmethod
    def _best(
        row: np.ndarray, q: str, target_keys: list[str], target_ids: list[str]
    ) -> tuple[str, int] | None:
        best = int(row.min())
        if best > _allowed(len(q)):
            return None
        hits = np.flatnonzero(row == best)
        concepts = {target_ids[i] for i in hits}
        if len(concepts) != 1:
            return None
        target = target_keys[hits[0]]
        # Two edits only as missing or extra letters ("Javscrpt"): two changed letters make
        # another word too easily ("Ethereum" is not "Ethereal").
        if best == 2 and Indel.distance(q, target) > 2:
            return None
        # In a short name one changed letter makes another word too easily ("Redox" is not
        # "Redux", "Scale" is not "Scala"): there only a missing, extra or swapped letter counts.
        if best == 1 and len(q) <= SHORT_TYPO and _one_changed_letter(q, target):
            return None
        return target_ids[hits[0]], round(fuzz.ratio(q, target))

    # --- relations ---------------------------------------------------------------------------

    def display(self, node: str) -> str:
        """The name shown for a concept id, a user concept or a key seen by this resolver."""
        base = node.split("@", 1)[0] if "@" in node and not node.startswith(UNKNOWN) else node
        r = self.kb.row.get(base)
        if r is not None:
            return self.kb.names[r]
        if base in self._user_names:
            return self._user_names[base]
        seen = self._by_key.get(node)
        return seen.display if seen else node

    def _info(self, k: str) -> Resolution | None:
        """The resolution behind a key (seen by this resolver, or a plain concept id)."""
        seen = self._by_key.get(k)
        if seen is not None:
            return seen
        cid, _, version = k.partition("@")
        if cid in self.kb.row or cid in self._user_names:
            return Resolution(k, cid, k, self.display(cid), "exact", version or None)
        return None

    @staticmethod
    def _node(res: Resolution) -> str:
        return res.concept or res.key

    def _parents(self, node: str) -> list[str]:
        """What a node directly implies, sorted: its broader concepts and the user's, or for an
        unknown key the concepts written inside it."""
        user = self._user_broader.get(node)
        if node in self.kb.row:
            up = self.kb.broader(node)
            if not user and len(up) < 2:  # most concepts: no set to build, nothing to sort
                return list(up)
            return sorted({*up, *(user or ())})
        out = set(user or ())
        if node.startswith(UNKNOWN):
            seen = self._by_key.get(node)
            if seen is not None:
                out.update(seen.implies)
        return sorted(out)

    def _ancestors(self, node: str) -> dict[str, str]:
        """`relations.ancestors([node], self._parents)`, memoised per node, in one loop: the
        same breadth-first walk (parents come sorted), every node found mapped to `node`.

        A concept's walk reads only the knowledge base when the user added no relations: it
        is then the one the knowledge base's build wrote (`Knowledge.ancestors`)."""
        if not self._user_broader and node in self.kb.row:
            return self.kb.ancestors(node)
        found = self._up.get(node)
        if found is None:
            found = {}
            frontier = [node]
            for _ in range(MAX_DEPTH):
                step: list[str] = []
                for current in frontier:
                    for parent in self._parents(current):
                        if parent not in found:
                            found[parent] = node
                            step.append(parent)
                if not step:
                    break
                frontier = step
            # published only once complete: a resolver in another thread never reads a walk
            # half done (a race only repeats the walk)
            self._up[node] = found
        return found

    def _groups(self, node: str) -> tuple[str, ...]:
        return self.kb.groups_of(node)  # () for any node that is not a concept

    def same(self, required_key: str, offered_key: str) -> bool:
        """Whether two keys are the same skill: equal, or one product where at most one side
        names a version, or both name compatible versions ("Python 3" and "Python 3.11")."""
        if required_key == offered_key:
            return True
        a, b = self._info(required_key), self._info(offered_key)
        if a is None or b is None or self._node(a) != self._node(b):
            return False
        return not (a.version and b.version and not versions_compatible(a.version, b.version))

    def relation(
        self, required_key: str, offered_key: str, credits: RelationCredits | None = None
    ) -> Relation | None:
        """How an offered skill relates to a required one; None when unrelated or the same
        skill (use `same` for that: related credit is never a match of the same skill)."""
        credits = credits or self.credits
        memo = (required_key, offered_key, credits)
        if memo not in self._relations:
            self._relations[memo] = self._relation(required_key, offered_key, credits)
        return self._relations[memo]

    def _relation(self, rk: str, ok: str, credits: RelationCredits) -> Relation | None:
        if rk == ok:
            return None
        a, b = self._info(rk), self._info(ok)
        if a is None or b is None:
            return None
        na, nb = self._node(a), self._node(b)
        if na != nb:
            return self._node_relation(na, nb, credits)
        found: tuple[str, str] | None = None
        if a.version and b.version and not versions_compatible(a.version, b.version):
            found = ("version", self.display(na))
        if found is None or credits.of(found[0]) <= 0:
            return None
        return Relation(found[0], found[1], credits.of(found[0]))

    def _node_relation(self, na: str, nb: str, credits: RelationCredits) -> Relation | None:
        """The relation of two different products: it never depends on the versions written,
        so it is worked out once per pair of products."""
        return self._node_relation_in(self._node_memo(credits), na, nb, credits)

    def _node_memo(self, credits: RelationCredits) -> dict[tuple[str, str], Relation | None]:
        """The memo of `_node_relation` for one set of credits (one look-up of the credits per
        batch, not per pair: hashing them runs Python code)."""
        memo = self._node_relations.get(credits)
        if memo is None:
            memo = self._node_relations[credits] = {}
        return memo

    def _node_relation_in(
        self,
        memo: dict[tuple[str, str], Relation | None],
        na: str,
        nb: str,
        credits: RelationCredits,
    ) -> Relation | None:
        if (na, nb) in memo:
            return memo[(na, nb)]
        found: tuple[str, str] | None = None
        if na in self._ancestors(nb):
            found = ("narrower", f"{self.display(nb)} implies {self.display(na)}")
        elif nb in self._ancestors(na):
            found = ("broader", f"{self.display(na)} implies {self.display(nb)}")
        elif nb in self._user_subs.get(na, ()):
            found = ("substitute", "your relations")
        else:
            family = substitute_via(self._groups(na), self._groups(nb))
            if family:
                found = ("substitute", family)
        rel = None
        if found is not None and credits.of(found[0]) > 0:
            rel = Relation(found[0], found[1], credits.of(found[0]))
        memo[(na, nb)] = rel
        return rel

    def related_pairs(
        self,
        required_keys: Sequence[str],
        offered_keys: Sequence[str],
        credits: RelationCredits | None = None,
    ) -> list[tuple[int, int, Relation]]:
        """(i, j, relation) for every related pair of a required and an offered key, sorted
        (`related_arrays` as a list, for small inputs and tests)."""
        i, j, which, table = self.related_arrays(required_keys, offered_keys, credits)
        rows = zip(i.tolist(), j.tolist(), which.tolist(), strict=True)
        return [(a, b, table[c]) for a, b, c in rows]

    def related_arrays(
        self,
        required_keys: Sequence[str],
        offered_keys: Sequence[str],
        credits: RelationCredits | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Relation]]:
        """Every related pair of a required and an offered key as arrays (i, j, index into the
        returned list of distinct relations), sorted by (i, j).

        Work is per distinct product (a key's concept, or the key itself when unknown) and per
        pair of products, and only for candidate pairs found through inverted indexes (implied
        concepts, shared families), never all R x O pairs. Versions of one product are paired
        through a version index, `_Versions`, and pairs are kept in arrays, so a vocabulary of
        many versions costs a few bytes per related pair, not a Python object."""
        credits = credits or self.credits
        seen = self._by_key  # `_info` of a key seen, without a call per key
        req_pos = _positions(required_keys)
        off_pos = _positions(offered_keys)
        offers = self._by_product(off_pos)
        related = _ProductIndex(offers, self._ancestors, self._groups)
        memo = self._node_memo(credits)
        version_credit = credits.of("version")
        per_product: dict[str, list[tuple[str, Relation]]] = {}
        versions: dict[str, _Versions] = {}  # for the products asked for with a version
        table: dict[Relation, int] = {}
        parts_i: list[np.ndarray] = []
        parts_j: list[np.ndarray] = []
        parts_r: list[np.ndarray] = []
        for rk, rows in req_pos.items():
            info = seen.get(rk) or self._info(rk)
            if info is None:
                continue
            node = info.concept or info.key
            found = per_product.get(node)
            if found is None:
                found = per_product[node] = [
                    (other, rel)
                    for other in related.candidates(node, self._user_subs.get(node, ()))
                    if (rel := self._node_relation_in(memo, node, other, credits)) is not None
                ]
            js: list[int] = []
            rs: list[int] = []
            for other, rel in found:
                code = table.setdefault(rel, len(table))
                for ok, _ in offers[other]:
                    js.extend(off_pos[ok])
                    rs.extend([code] * len(off_pos[ok]))
            if info.version and node in offers and version_credit > 0:
                rel = Relation("version", self.display(node), version_credit)
                code = table.setdefault(rel, len(table))
                index = versions.get(node)
                if index is None:
                    index = versions[node] = _Versions.of(offers[node])
                for ok in index.incompatible(info.version):
                    js.extend(off_pos[ok])
                    rs.extend([code] * len(off_pos[ok]))
            if js:
                j_of, r_of = np.array(js, dtype=np.int64), np.array(rs, dtype=np.int64)
                for i in rows:
                    parts_i.append(np.full(len(js), i, dtype=np.int64))
                    parts_j.append(j_of)
                    parts_r.append(r_of)
        if not parts_i:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty.copy(), empty.copy(), []
        i_all, j_all = np.concatenate(parts_i), np.concatenate(parts_j)
        r_all = np.concatenate(parts_r)
        order = np.lexsort((j_all, i_all))
        return i_all[order], j_all[order], r_all[order], list(table)

    def _by_product(self, keys: Iterable[str]) -> dict[str, list[tuple[str, str | None]]]:
        """The keys this resolver knows, by product (concept, or the key itself when
        unknown), each with the version it names. A product's version index (`_Versions`)
        is made only where a version is asked for: most products are written one way."""
        out: dict[str, list[tuple[str, str | None]]] = {}
        seen = self._by_key  # `_info` of a key seen, without a call per key
        for k in keys:
            info = seen.get(k) or self._info(k)
            if info is None:
                continue
            node = info.concept or info.key
            written = out.get(node)
            if written is None:
                out[node] = [(k, info.version)]
            else:
                written.append((k, info.version))
        return out

    def same_pairs(
        self, required_keys: Sequence[str], offered_keys: Sequence[str]
    ) -> list[tuple[int, int]]:
        """(i, j) where two different keys are still the same skill ("python" and
        "python@3"): equal keys are left to the caller's exact join. Candidates come from a
        version index per product, so the work follows the pairs found, never R x O."""
        held: dict[str, list[tuple[int, str | None]]] = {}
        seen = self._by_key  # `_info` of a key seen, without a call per key
        for j, k in enumerate(offered_keys):
            info = seen.get(k) or self._info(k)
            if info is not None:
                node = info.concept or info.key
                written = held.get(node)
                if written is None:
                    held[node] = [(j, info.version)]
                else:
                    written.append((j, info.version))
        # A version index only for the products asked for that are held more than one way:
        # most products are written one way, and their only pair is an equal key.
        versions: dict[str, _Versions] = {}
        out: list[tuple[int, int]] = []
        for i, rk in enumerate(required_keys):
            info = seen.get(rk) or self._info(rk)
            if info is None:
                continue
            node = info.concept or info.key
            forms = held.get(node)
            if forms is None or (
                len(forms) == 1 and not forms[0][1] and offered_keys[forms[0][0]] == rk
            ):
                continue
            index = versions.get(node)
            if index is None:
                index = versions[node] = _Versions()
                for j, version in forms:
                    index.add(j, version)
            found = index.compatible(info.version) if info.version else index.every()
            out.extend((i, j) for j in sorted(found) if offered_keys[j] != rk)
        return out


def _positions(keys: Sequence[str]) -> dict[str, list[int]]:
    """Each distinct key with the positions it holds, in order of first appearance."""
    out: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        found = out.get(k)
        if found is None:
            out[k] = [i]
        else:
            found.append(i)
    return out


class _ProductIndex:
    """Inverted indexes over the offered products, to find the candidates of a relation:
    which offered products imply a product (narrower), and which share a family with it."""

    def __init__(
        self,
        offers: Mapping[str, object],
        ancestors: Callable[[str], Mapping[str, str]],
        groups: Callable[[str], Sequence[str]],
    ) -> None:
        self.offers = offers
        self.ancestors = ancestors
        self.by_up: dict[str, list[str]] = defaultdict(list)
        self.by_group: dict[str, list[str]] = defaultdict(list)
        self.groups = groups
        for node in offers:
            for up in ancestors(node):
                self.by_up[up].append(node)
            for group in groups(node):
                self.by_group[group].append(node)

    def candidates(self, node: str, substitutes: Iterable[str]) -> list[str]:
        """The offered products that may relate to `node` (itself left out), sorted: those
        that imply it, those it implies, those of its families, the user's substitutes."""
        found = set(self.by_up.get(node, ()))
        offers = self.offers
        found.update(up for up in self.ancestors(node) if up in offers)
        for group in self.groups(node):
            found.update(self.by_group.get(group, ()))
        found.update(other for other in substitutes if other in offers)
        found.discard(node)
        return sorted(found)


def _text_and_key(spelling: str) -> tuple[str, str]:
    """A spelling's cleaned text and its key. Plain text is clean as it is, and its key is the
    text lower-cased (see `_PLAIN_TEXT`): `clean` and `key` are skipped for most spellings
    (their Unicode normalisation is most of their cost).

    >>> _text_and_key("Node.JS"), _text_and_key(" Power-BI "), _text_and_key("UI/UX")
    (('Node.JS', 'node.js'), ('Power-BI', 'power bi'), ('UI/UX', 'ui ux'))
    """
    if _PLAIN_TEXT.fullmatch(spelling):
        return spelling, spelling.lower()
    text = clean(spelling)
    return text, key(text)


def _allowed(length: int) -> int:
    """The most edits a typo of a key this long may have: one, two from eight letters."""
    return 1 if length <= 7 else 2


def _one_changed_letter(a: str, b: str) -> bool:
    """Whether two strings differ by one substituted letter only.

    >>> _one_changed_letter("redox", "redux"), _one_changed_letter("pyhton", "python")
    (True, False)
    """
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


class _Versions:
    """The offered keys of one product, by version, for finding compatible versions (one is a
    prefix of the other, `versions_compatible`) by look-ups rather than by testing every pair.

    >>> v = _Versions()
    >>> for k, version in [("a", None), ("b", "3"), ("c", "3.9"), ("d", "2"), ("e", "3.9.1")]:
    ...     v.add(k, version)
    >>> sorted(v.compatible("3.9")), sorted(v.incompatible("3.9")), sorted(v.every())
    (['a', 'b', 'c', 'e'], ['d'], ['a', 'b', 'c', 'd', 'e'])
    """

    @classmethod
    def of(cls, written: Iterable[tuple[object, str | None]]) -> _Versions:
        """The index of (item, version) pairs."""
        index = cls()
        for item, version in written:
            index.add(item, version)
        return index

    def __init__(self) -> None:
        self.plain: list = []  # keys without a version
        self.exact: dict[tuple[str, ...], list] = defaultdict(list)
        self.longer: dict[tuple[str, ...], list] = defaultdict(list)  # by each proper prefix

    def add(self, item: object, version: str | None) -> None:
        if not version:
            self.plain.append(item)
            return
        parts = tuple(version.split("."))
        self.exact[parts].append(item)
        for n in range(1, len(parts)):
            self.longer[parts[:n]].append(item)

    def every(self) -> list:
        return self.plain + [k for items in self.exact.values() for k in items]

    def compatible(self, version: str) -> list:
        """Keys without a version, of a version `version` starts with, or that start with it."""
        parts = tuple(version.split("."))
        out = list(self.plain)
        for n in range(1, len(parts) + 1):
            out.extend(self.exact.get(parts[:n], ()))
        out.extend(self.longer.get(parts, ()))
        return out

    def incompatible(self, version: str) -> list:
        """Keys with a version that cannot name the same release line as `version`."""
        same = set(self.compatible(version))
        return [k for items in self.exact.values() for k in items if k not in same]


__all__ = ["KINDS", "Resolution", "Resolver"]
