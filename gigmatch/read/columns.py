"""Which header of a file holds which field: explicit rules first, then names, then synonyms.

Exports name their columns as their tools chose ("Availability (hrs/week)", a total `hours`
beside a weekly one), so a guess that goes wrong silently changes every score. The rules here
make every choice visible: an explicit mapping (`--map`, `[columns.people]`, `[columns]`)
always wins; then a header that is the field's own name; then a known synonym; then a synonym
followed by a note in brackets. Every choice that was not an exact name is reported as a note,
every header that looks like a field but was not used is a warning, and a mapping that names a
header the file does not have is a warning that lists the headers it does have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from gigmatch.errors import Problem
from gigmatch.read.fields import SCHEMAS, Field
from gigmatch.read.table import header_key

IGNORE = ""  # the field of a rule that ignores a header
KINDS = ("projects", "people", "history")  # the kinds of file a user maps
NOTE, WARNING = "note", "warning"

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LOOKALIKE = 4  # shortest synonym that makes a longer header look like its field


@dataclass(frozen=True)
class ColumnRule:
    """One explicit choice: the header (as the file writes it) read as `field`, or ignored.

    `kind` limits the rule to one kind of file (None: every file); `origin` says where the rule
    was given (`--map`, `--ignore`, or a config path and section) for messages and `gigmatch
    config`."""

    header: str
    field: str  # a field name, or IGNORE
    kind: str | None = None
    origin: str = "--map"

    def describe(self) -> str:
        """`'Hours' = hours`, as messages quote it."""
        target = "(ignored)" if self.field == IGNORE else self.field
        return f"{self.header!r} = {target}"


def parse_map(text: str, origin: str = "--map") -> ColumnRule:
    """A `--map` value: `Header=field`, or `kind:Header=field` for one kind of file.

    The last `=` splits, so a header may itself contain one.

    >>> parse_map("Availability (hrs/week)=hours")
    ColumnRule(header='Availability (hrs/week)', field='hours', kind=None, origin='--map')
    >>> parse_map("people:Hours=hours").kind
    'people'
    """
    header, sep, name = text.rpartition("=")
    kind, header = _kind_prefix(header)
    if not sep or not header.strip() or not name.strip():
        raise ValueError(f"{text!r}: expected 'Header=field', e.g. 'Availability (hrs/week)=hours'")
    name = name.strip()
    check_field(name, kind, f"{origin} {text!r}")
    return ColumnRule(header.strip(), name, kind, origin)


def parse_ignore(text: str, origin: str = "--ignore") -> ColumnRule:
    """An `--ignore` value: a header, or `kind:Header` for one kind of file."""
    kind, header = _kind_prefix(text)
    if not header.strip():
        raise ValueError(f"{origin} needs a header, e.g. {origin} Hours")
    return ColumnRule(header.strip(), IGNORE, kind, origin)


def _kind_prefix(text: str) -> tuple[str | None, str]:
    """`people:Hours` -> ("people", "Hours"); a colon that names no kind stays in the header."""
    head, sep, rest = text.partition(":")
    if sep and head.strip() in KINDS:
        return head.strip(), rest
    return None, text


def check_field(name: str, kind: str | None, where: str) -> None:
    """Refuse a field that no file (or not the file `kind`) has, listing the known ones."""
    kinds = [kind] if kind else list(KINDS)
    known = sorted({f.name for k in kinds for f in SCHEMAS[k]})
    if name not in known:
        scope = f"{kind} " if kind else ""
        raise ValueError(
            f"{where}: unknown field '{name}'; {scope}fields: {', '.join(known)} "
            "(to leave a column out, ignore it instead)"
        )


@dataclass(frozen=True)
class Resolution:
    """How a file's headers were read: field -> header, and what to tell the user about it."""

    columns: dict[str, str]
    ignored: tuple[str, ...]
    problems: list[Problem]  # warnings and notes, located at the header row
    misses: tuple[ColumnRule, ...] = ()  # rules for every file naming no header of this one
    how: dict[str, str] = field(default_factory=dict)  # field -> exact | synonym | loose | rule


def rules_for(rules: Sequence[ColumnRule], kind: str) -> list[ColumnRule]:
    """The rules that apply to a kind of file, strongest first: the command line, then the
    file's own config section, then `[columns]` for every file (stable within each)."""

    def rank(rule: ColumnRule) -> int:
        command_line = rule.origin.startswith("--")
        return (0 if command_line else 2) + (0 if rule.kind == kind else 1)

    schema = {f.name for f in SCHEMAS[kind]}
    applying = [
        r for r in rules if r.kind in (None, kind) and (r.field == IGNORE or r.field in schema)
    ]
    return sorted(applying, key=rank)


def resolve(
    headers: Sequence[str], kind: str, rules: Sequence[ColumnRule] = (), source: str = ""
) -> Resolution:
    """Decide which header holds each field of `kind`, and say so where it was not obvious."""
    schema = SCHEMAS[kind]
    problems: list[Problem] = []
    columns: dict[str, str] = {}
    how: dict[str, str] = {}
    decided: dict[str, ColumnRule] = {}
    for rule in rules_for(rules, kind):
        header = find_header(headers, rule.header)
        if header is None:
            if rule.kind is not None:
                problems.append(missing_header(rule, headers, source))
            continue
        if header in decided:
            continue  # a stronger rule already said what this header is
        decided[header] = rule
        if rule.field == IGNORE:
            continue
        if rule.field in columns:
            problems.append(_overridden(rule, columns[rule.field], decided, source))
            continue
        columns[rule.field], how[rule.field] = header, "rule"
    free = [h for h in headers if h not in decided and h.strip()]
    taken, found = _automatic(free, schema, columns, how, source)
    problems += found
    ignored = tuple(h for h, r in decided.items() if r.field == IGNORE)
    unused = [h for h in free if h not in taken]
    problems += _lookalikes(unused, schema, columns, how, source)
    order = {h: i for i, h in enumerate(headers)} | {"": -1}
    problems += sorted(_notes(columns, how, decided, source), key=lambda p: order[p.column or ""])
    misses = [r for r in rules if r.kind is None and find_header(headers, r.header) is None]
    return Resolution(columns, ignored, problems, tuple(misses), how)


def find_header(headers: Sequence[str], wanted: str) -> str | None:
    """The header a rule names: as written, else compared like every header (case, spaces and
    punctuation aside)."""
    if wanted in headers:
        return wanted
    key = header_key(wanted)
    return next((h for h in headers if header_key(h) == key), None)


def missing_header(rule: ColumnRule, headers: Iterable[str], source: str) -> Problem:
    """A rule that names a header the file lacks: say which headers it has."""
    seen = ", ".join(repr(h) for h in headers if h.strip()) or "none"
    return Problem(
        source, 1, rule.header, WARNING, "unknown-header",
        f"{rule.origin} {rule.describe()}: no such header (headers found: {seen})",
    )  # fmt: skip


def no_file_has(rule: ColumnRule, headers: Mapping[str, Sequence[str]]) -> str:
    """The message for a rule for every file whose header none of the files read has."""
    seen = "; ".join(
        f"{source}: " + ", ".join(repr(h) for h in found[:12]) + (" …" if len(found) > 12 else "")
        for source, found in headers.items()
    )
    return f"{rule.origin} {rule.describe()}: no file has this header (headers found: {seen})"


def _overridden(
    rule: ColumnRule, used: str, decided: dict[str, ColumnRule], source: str
) -> Problem:
    stronger = decided[used]
    return Problem(
        source, 1, rule.header, WARNING, "duplicate-column",
        f"{rule.origin} {rule.describe()} is overridden by {stronger.origin} "
        f"{stronger.describe()}; '{rule.header}' is not used",
    )  # fmt: skip


def loose_key(header: str) -> str:
    """A header without its notes in brackets, compared like every header.

    >>> loose_key("Availability (hrs/week)"), loose_key("Skills [comma separated]")
    ('availability', 'skills')
    """
    return header_key(_BRACKETS.sub(" ", header))


def _automatic(
    free: list[str],
    schema: tuple[Field, ...],
    columns: dict[str, str],
    how: dict[str, str],
    source: str,
) -> tuple[set[str], list[Problem]]:
    """Fields no rule decided: the field's own name, else a synonym, else a synonym with a
    note in brackets; within a tier the first header in file order. A second header that
    means a field already found is reported, never used. Returns the headers dealt with."""
    problems: list[Problem] = []
    taken: set[str] = set()
    keys = {h: header_key(h) for h in free}
    loose = {h: loose_key(h) for h in free}
    for tier, key_of in (("exact", keys), ("synonym", keys), ("loose", loose)):
        for header in free:
            if header in taken:
                continue
            fld = _match(key_of[header], schema, tier)
            if fld is None:
                continue
            if fld.name in columns:
                if tier != "loose" and how.get(fld.name) != "rule":
                    taken.add(header)
                    problems.append(_duplicate(header, fld.name, columns[fld.name], source))
                continue
            columns[fld.name], how[fld.name] = header, tier
            taken.add(header)
    return taken, problems


def _match(key: str, schema: tuple[Field, ...], tier: str) -> Field | None:
    if not key:
        return None
    if tier == "exact":
        return next((f for f in schema if f.synonyms[0] == key), None)
    return next((f for f in schema if key in f.synonyms), None)


def _duplicate(header: str, name: str, used: str, source: str) -> Problem:
    return Problem(
        source, 1, header, WARNING, "duplicate-column",
        f"'{header}' and '{used}' both read as {name}; using '{used}' "
        f"(to use '{header}' instead: --map '{header}={name}', or --ignore '{used}')",
    )  # fmt: skip


def looks_like(header: str, schema: tuple[Field, ...]) -> Field | None:
    """The field a header seems to mean though it matched no name: a synonym of four letters
    or more at its start or end ("Total hours" looks like hours)."""
    key, loose = header_key(header), loose_key(header)
    for fld in schema:
        for synonym in fld.synonyms:
            if len(synonym) < _LOOKALIKE:
                continue
            if loose == synonym or key.startswith(synonym) or key.endswith(synonym):
                return fld
    return None


def _lookalikes(
    free: list[str],
    schema: tuple[Field, ...],
    columns: dict[str, str],
    how: dict[str, str],
    source: str,
) -> list[Problem]:
    """Unused headers that look like a field: a warning each, unless a rule chose the field
    (the user has already said which column it is)."""
    problems = []
    for header in free:
        fld = looks_like(header, schema)
        if fld is None or how.get(fld.name) == "rule":
            continue
        used = columns.get(fld.name)
        where = f"{fld.name} is read from '{used}'" if used else f"no column is read as {fld.name}"
        problems.append(
            Problem(
                source, 1, header, WARNING, "unused-column",
                f"'{header}' looks like {fld.name} but is not used ({where}); to use it: "
                f"--map '{header}={fld.name}'; to silence this: --ignore '{header}'",
            )
        )  # fmt: skip
    return problems


def _notes(
    columns: dict[str, str], how: dict[str, str], decided: dict[str, ColumnRule], source: str
) -> list[Problem]:
    """One note per field read from a header that is not its exact name."""
    notes = []
    for name, header in columns.items():
        if how[name] == "exact":
            continue
        origin = f" ({decided[header].origin})" if how[name] == "rule" else ""
        notes.append(
            Problem(source, 1, header, NOTE, "column-mapped", f"{name} ← '{header}'{origin}")
        )
    return notes


def header_test(kind: str, rules: Sequence[ColumnRule] = ()) -> HeaderTest:
    """A test that a row of cells is unmistakably the header of a `kind` file."""
    return HeaderTest(kind, tuple(rules_for(rules, kind)))


@dataclass(frozen=True)
class HeaderTest:
    """A row is the header when it names every required field (by rule, name or synonym):
    data rows and title lines never do, so a title block above it can be skipped safely."""

    kind: str
    rules: tuple[ColumnRule, ...]

    def __call__(self, cells: Sequence[str]) -> bool:
        headers = [c.strip() for c in cells if c and c.strip()]
        if len(headers) < 2:
            return False
        found = resolve(headers, self.kind, self.rules).columns
        return all(f.name in found for f in SCHEMAS[self.kind] if f.required)
