"""Configuration: score weights, thresholds, user aliases and column names.

Defaults live here, in one place, so the README, `gigmatch init` and the scorer never disagree. A
`gigmatch.toml` overrides any of them; unknown keys are errors, because a misspelt weight that is
silently ignored would change every ranking without a word.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from gigmatch.errors import ConfigError, did_you_mean
from gigmatch.read.columns import IGNORE, KINDS, ColumnRule, check_field

CONFIG_NAME = "gigmatch.toml"
CONFIG_ENV = "GIGMATCH_CONFIG"


@dataclass(frozen=True)
class Weights:
    """How much each score component counts; normalised to sum 1 when scoring."""

    skills: float = 0.45
    rating: float = 0.15
    reliability: float = 0.10
    rate: float = 0.10
    availability: float = 0.10
    timezone: float = 0.10
    text: float = 0.20  # counts only where the pool wrote free text (see score/text.py)

    def normalised(self, text: bool = False) -> dict[str, float]:
        """The weights as shares of their total (all zero is refused when loading).

        `text` is left out (weight 0) unless the pool has free text on both sides, so a pool
        without descriptions or headlines scores exactly as it did before the text component.
        """
        values = {f.name: float(getattr(self, f.name)) for f in fields(self)}
        if not text:
            values["text"] = 0.0
        total = sum(values.values()) or 1.0
        return {name: value / total for name, value in values.items()}


@dataclass(frozen=True)
class Thresholds:
    """Tuning knobs of the scorer; each is documented in the README and `gigmatch init`."""

    fuzzy: float = 80.0  # least similarity (0-100) for a fuzzy skill match
    short_name: int = 3  # names this short match only exactly or by alias
    nice_to_have: float = 0.2  # share of skill_score given by nice-to-have skills
    level_step: float = 0.2  # credit lost per level a person is below the level asked
    default_level: int = 3  # level assumed where a person gives none
    prior_reviews: float = 10.0  # pseudo-reviews pulling ratings towards the pool mean
    over_budget: float = 50.0  # percent over budget at which rate_score reaches 0
    overlap_hours: float = 4.0  # shared working hours that earn a full timezone_score
    workday_start: float = 9.0  # local working day used for time-zone overlap
    workday_end: float = 17.0
    missing_timezone: float = 0.5  # timezone_score when a person's zone is unknown


@dataclass(frozen=True)
class HistorySettings:
    """How past work is weighed (see `--history`)."""

    half_life_days: float = 365.0  # a record this old counts half as much as today's
    prior_jobs: float = 3.0  # pseudo-jobs shrinking a person's per-skill record to their own
    repeat_client_bonus: float = 0.05  # added to rating_score per past job with the client (cap 1)


RELATION_KINDS = ("substitute", "narrower", "broader")


@dataclass(frozen=True)
class ExtraRelation:
    """One relation of your own: `skill` is a substitute of, narrower than (implies) or
    broader than `of`."""

    skill: str
    kind: str
    of: str


@dataclass(frozen=True)
class Relations:
    """Partial credit (0-1 of a full match) per kind of related skill, and your own relations."""

    substitute: float = 0.5  # another tool of the same family: Tableau for Power BI
    narrower: float = 0.8  # a skill that implies the one asked: Django for Python
    broader: float = 0.2  # a broader skill than the one asked: Python for Django
    version: float = 0.8  # another explicit version of the product: Python 2 for Python 3
    extra: tuple[ExtraRelation, ...] = ()


@dataclass(frozen=True)
class PlanSettings:
    """What `assign` accepts and what it flags (see "Honest plans" in the README)."""

    min_skill: float = 0.25  # nobody is staffed with a skill_score below this (--min-skill)
    weak_skill: float = 0.5  # a fill with a skill_score below this is counted as weak


@dataclass(frozen=True)
class Config:
    """Everything that changes how gigmatch scores; immutable so runs are reproducible."""

    weights: Weights = field(default_factory=Weights)
    thresholds: Thresholds = field(default_factory=Thresholds)
    history: HistorySettings = field(default_factory=HistorySettings)
    plan: PlanSettings = field(default_factory=PlanSettings)
    relations: Relations = field(default_factory=Relations)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    columns: tuple[ColumnRule, ...] = ()  # explicit header rules; a dict means [columns]
    source: str | None = None
    found: str = ""  # how the file was found: --config, ./gigmatch.toml, $GIGMATCH_CONFIG...
    settings: frozenset[str] = frozenset()  # "weights.skills"...: the keys the file sets
    sheet: str | None = None  # for this run: the sheet of a workbook (--sheet)
    skip_rows: int | None = None  # for this run: rows above the header (--skip-rows)

    def __post_init__(self) -> None:
        if isinstance(self.columns, Mapping):  # Config(columns={"Freelancer": "name"})
            rules = _columns(dict(self.columns), "Config")
            object.__setattr__(self, "columns", rules)

    def for_run(
        self,
        *,
        maps: Iterable[str] = (),
        ignore: Iterable[str] = (),
        sheet: str | None = None,
        skip_rows: int | None = None,
    ) -> Config:
        """This config with one run's reading options (`--map`, `--ignore`, `--sheet`,
        `--skip-rows`); rules given here beat the file's. Raises `ValueError` on a bad rule."""
        from gigmatch.read.columns import parse_ignore, parse_map

        rules = tuple(parse_map(m) for m in maps) + tuple(parse_ignore(i) for i in ignore)
        if skip_rows is not None and skip_rows < 0:
            raise ValueError(f"--skip-rows must be 0 or more, not {skip_rows}")
        return replace(self, columns=rules + self.columns, sheet=sheet, skip_rows=skip_rows)


@dataclass(frozen=True)
class Bounds:
    """The documented range of a setting (README "Configuration"); both ends included."""

    low: float
    high: float
    whole: bool = False  # a whole number (an int in TOML, or a float like 3.0)


_WEIGHT = Bounds(0, 100)
#: The range of every number in a config; a value outside it is refused, never clipped.
RANGES: dict[str, Bounds] = {
    **{f"weights.{f.name}": _WEIGHT for f in fields(Weights)},
    "thresholds.fuzzy": Bounds(0, 100),
    "thresholds.short_name": Bounds(0, 20, whole=True),
    "thresholds.nice_to_have": Bounds(0, 1),
    "thresholds.level_step": Bounds(0, 1),
    "thresholds.default_level": Bounds(1, 5, whole=True),
    "thresholds.prior_reviews": Bounds(0, 1000),
    "thresholds.over_budget": Bounds(1, 1000),
    "thresholds.overlap_hours": Bounds(0.25, 24),
    "thresholds.workday_start": Bounds(0, 24),
    "thresholds.workday_end": Bounds(0, 24),
    "thresholds.missing_timezone": Bounds(0, 1),
    "history.half_life_days": Bounds(1, 36500),
    "history.prior_jobs": Bounds(0, 1000),
    "history.repeat_client_bonus": Bounds(0, 1),
    "plan.min_skill": Bounds(0, 1),
    "plan.weak_skill": Bounds(0, 1),
    **{f"relations.{kind}": Bounds(0, 1) for kind in ("substitute", "narrower", "broader")},
    "relations.version": Bounds(0, 1),
}


def check_number(value: Any, bounds: Bounds) -> str | None:
    """Why `value` is not a usable setting (not a finite number within `bounds`), or None.

    The one rule for every number a user gives outside a data file: configs here, and the
    same checks for flags (`cli.common.check_flags`).

    >>> check_number(float("nan"), Bounds(0, 1)), check_number(10**400, Bounds(0, 100))
    ('must be a finite number, not nan', 'must be from 0 to 100, not a 401-digit number')
    >>> check_number(2.5, Bounds(0, 20, whole=True))
    'must be a whole number from 0 to 20, not 2.5'
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number, not {value!r}"
    wanted = ("a whole number " if bounds.whole else "") + f"from {bounds.low:g} to {bounds.high:g}"
    if isinstance(value, int) and abs(value) > 10**15:  # float() of 400 digits overflows
        return f"must be {wanted}, not a {len(str(abs(value)))}-digit number"
    if not math.isfinite(value):
        return f"must be a finite number, not {value}"
    if not bounds.low <= value <= bounds.high or (bounds.whole and not float(value).is_integer()):
        return f"must be {wanted}, not {value:g}"
    return None


def _numbers(section: str, table: Any, cls: type) -> Any:
    """Build a dataclass of numbers from a TOML table, refusing unknown keys and bad values."""
    if not isinstance(table, dict):
        raise ConfigError(f"[{section}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            hint = did_you_mean(key, list(known))
            raise ConfigError(
                f"unknown key '{key}' in [{section}] (known keys: {', '.join(known)}){hint}"
            )
        problem = check_number(value, RANGES[f"{section}.{key}"])
        if problem:
            raise ConfigError(f"[{section}] {key} {problem}")
        values[key] = int(value) if RANGES[f"{section}.{key}"].whole else float(value)
    return replace(cls(), **values)


def _aliases(table: Any) -> dict[str, list[str]]:
    """Read `[aliases]`: canonical = ["alias", ...] (a single string is accepted too)."""
    if not isinstance(table, dict):
        raise ConfigError("[aliases] must be a table of canonical = [aliases]")
    aliases: dict[str, list[str]] = {}
    for canonical, value in table.items():
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(a, str) for a in items):
            raise ConfigError(f"[aliases] {canonical!r} must be a list of strings")
        aliases[str(canonical)] = [a for a in items if a.strip()]
    return aliases


def _relations(table: Any) -> Relations:
    """Read `[relations]`: a credit per kind (0-1) and `[[relations.extra]]` tables of
    `skill`, `kind` (substitute, narrower or broader) and `of`."""
    if not isinstance(table, dict):
        raise ConfigError("[relations] must be a table")
    credits = {k: v for k, v in table.items() if k != "extra"}
    base = _numbers("relations", credits, Relations)
    extra = table.get("extra", [])
    if not isinstance(extra, list):
        raise ConfigError('[[relations.extra]] must be tables: skill = "…", kind = "…", of = "…"')
    found = []
    for n, item in enumerate(extra, start=1):
        where = f"[[relations.extra]] number {n}"
        if not isinstance(item, dict) or set(item) != {"skill", "kind", "of"}:
            raise ConfigError(f'{where} must have exactly skill = "…", kind = "…" and of = "…"')
        if not all(isinstance(v, str) and v.strip() for v in item.values()):
            raise ConfigError(f"{where}: skill, kind and of must be non-empty strings")
        if item["kind"] not in RELATION_KINDS:
            known = ", ".join(RELATION_KINDS)
            raise ConfigError(f"{where}: kind {item['kind']!r} is not one of {known}")
        found.append(ExtraRelation(item["skill"], item["kind"], item["of"]))
    return replace(base, extra=tuple(found))


def _columns(table: Any, origin: str) -> tuple[ColumnRule, ...]:
    """Read `[columns]`: "Header in your file" = "field" for every file, `ignore = [headers]`,
    and the same inside `[columns.people]`, `[columns.projects]` or `[columns.history]` for one
    kind of file. Fields are checked, so a misspelt one is an error, never silently ignored."""
    if not isinstance(table, dict):
        raise ConfigError('[columns] must map headers to field names, e.g. "Freelancer" = "name"')
    rules: list[ColumnRule] = []
    for key, value in table.items():
        if isinstance(value, dict) and key in KINDS:
            rules += _column_rules(value, key, f"{origin} [columns.{key}]")
        elif isinstance(value, dict):
            raise ConfigError(
                f"[columns.{key}]: unknown kind of file; per-file sections: "
                + ", ".join(f"[columns.{k}]" for k in KINDS)
            )
        else:
            rules += _column_rules({key: value}, None, f"{origin} [columns]")
    return tuple(rules)


def _column_rules(table: dict, kind: str | None, origin: str) -> list[ColumnRule]:
    section = origin.rpartition(" ")[2]
    rules: list[ColumnRule] = []
    for header, name in table.items():
        if header == "ignore" and isinstance(name, list):
            if not all(isinstance(h, str) and h.strip() for h in name):
                raise ConfigError(f"{section} ignore must be a list of headers")
            rules += [ColumnRule(h.strip(), IGNORE, kind, origin) for h in name]
            continue
        if not isinstance(name, str):
            raise ConfigError(
                f'{section} {header!r}: expected "Header" = "field" or ignore = ["Header"]'
            )
        try:
            check_field(name, kind, f"{section} {header!r} = {name!r}")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        rules.append(ColumnRule(str(header), name, kind, origin))
    return rules


_SECTIONS = ("weights", "thresholds", "history", "plan", "relations", "aliases", "columns")


def config_from_dict(data: dict[str, Any], source: str | None = None) -> Config:
    """Validate a parsed TOML document into a Config."""
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        hint = did_you_mean(unknown[0], _SECTIONS)
        raise ConfigError(f"unknown section [{unknown[0]}] (known: {', '.join(_SECTIONS)}){hint}")
    config = Config(
        weights=_numbers("weights", data.get("weights", {}), Weights),
        thresholds=_numbers("thresholds", data.get("thresholds", {}), Thresholds),
        history=_numbers("history", data.get("history", {}), HistorySettings),
        plan=_numbers("plan", data.get("plan", {}), PlanSettings),
        relations=_relations(data.get("relations", {})),
        aliases=_aliases(data.get("aliases", {})),
        columns=_columns(data.get("columns", {}), source or "config"),
        source=source,
        settings=_settings(data),
    )
    if sum(getattr(config.weights, f.name) for f in fields(Weights)) <= 0:
        raise ConfigError("[weights] are all zero: give at least one a positive weight")
    t = config.thresholds
    if not 0 <= t.fuzzy <= 100:
        raise ConfigError(f"[thresholds] fuzzy must be within 0-100, not {t.fuzzy}")
    if t.workday_end <= t.workday_start:
        raise ConfigError("[thresholds] workday_end must be after workday_start")
    return config


MAX_CONFIG_BYTES = 1024 * 1024  # a config is a page of settings, not a data file


def _settings(data: dict[str, Any]) -> frozenset[str]:
    """The keys a config file sets, as `section.key`, for `gigmatch config` to say so."""
    return frozenset(
        f"{section}.{key}"
        for section in ("weights", "thresholds", "history", "plan")
        if isinstance(data.get(section), dict)
        for key in data[section]
    )


def load_config(path: str | Path | None = None, found: str = "--config") -> Config:
    """Load `path`, or the config `find_config` finds, or the defaults.

    The file is read through `read.table.read_bytes`, with the size and NUL limits of every
    input; `Config.source` names it, so the CLI's session guards it from `--output` whether it
    was named or found.
    """
    if path is None:
        located = find_config()
        if located is None:
            return Config()
        path, found = located
    config = _load(Path(path))
    return replace(config, found=found)


def _load(path: Path) -> Config:
    text = read_config_text(path)
    if text is None:
        hint = "create one with `gigmatch init`"
        raise ConfigError(f"{path}: no such config file ({hint})")
    data = parse_toml(text, path)
    try:
        return config_from_dict(data, source=str(path))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def read_config_text(path: Path) -> str | None:
    """A config file's text (None if there is none), with the limits of every input."""
    from gigmatch.errors import InputError
    from gigmatch.read.table import read_bytes

    if not path.exists() and not path.is_symlink():
        return None
    try:
        data = read_bytes(path)
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than 1 MiB; is this a config file?")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read: not UTF-8 text ({exc.reason})") from None


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    """TOML to a dict; a syntax error, or nesting too deep for the parser, is a config error."""
    import tomllib  # only a run that finds a config file parses one

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: arrays or tables nested too deeply to read") from None


_HELP = {
    "weights": "How much each component counts in the 0-100 score (normalised to sum 1).",
    "weights.skills": "required skills covered, plus the nice-to-have bonus",
    "weights.rating": "average rating, pulled towards the pool mean when reviews are few",
    "weights.reliability": "share of jobs delivered on time, shrunk the same way",
    "weights.rate": "1 within the project's budget, falling as the rate exceeds it",
    "weights.availability": "hours per week available against hours the project needs",
    "weights.timezone": "working hours shared with the project's time zone",
    "weights.text": "text likeness (TF-IDF) relative to the best in the pool; needs description "
    "and headline/bio",
    "thresholds": "Knobs of the scorer.",
    "thresholds.fuzzy": "least similarity (0-100) for a typo fix to count (Pyhton = Python)",
    "thresholds.short_name": "unused since the knowledge base (kept so old files still load)",
    "thresholds.nice_to_have": "share of skill_score that nice-to-have skills give",
    "thresholds.level_step": "credit lost per level a person is below the level asked (1-5)",
    "thresholds.default_level": "level assumed where a person lists a skill without one",
    "thresholds.prior_reviews": "pseudo-reviews at the pool mean added to every rating",
    "thresholds.over_budget": "percent over budget at which rate_score reaches 0",
    "thresholds.overlap_hours": "shared working hours that earn a full timezone_score",
    "thresholds.workday_start": "start of the local working day (hour)",
    "thresholds.workday_end": "end of the local working day (hour)",
    "thresholds.missing_timezone": "timezone_score of a person whose time zone is unknown",
    "history": "How past work (--history) is weighed.",
    "history.half_life_days": "a record this many days old counts half as much as a new one",
    "history.prior_jobs": "pseudo-jobs shrinking a person's per-skill record to their own",
    "history.repeat_client_bonus": "rating_score bonus per past job with the same client",
    "plan": "What `assign` accepts and flags.",
    "plan.min_skill": "nobody is staffed with a skill_score below this (0-1; --min-skill)",
    "plan.weak_skill": "a fill with a skill_score below this is counted as weak (0-1)",
    "relations": (
        "Partial credit (0-1 of a full match) for a related skill; never a match of the same skill."
    ),
    "relations.substitute": "another tool of the same family (Tableau for a Power BI job)",
    "relations.narrower": "a skill that implies the one asked (Django for a Python job)",
    "relations.broader": "a broader skill than the one asked (Python for a Django job)",
    "relations.version": "another explicit version of the product (Python 2 for Python 3)",
    "relations.extra": (
        'Your own relations: [[relations.extra]] skill = "Looker", kind = "substitute", '
        'of = "Tableau" (kind: substitute, narrower = implies, broader).'
    ),
    "aliases": 'Your own skill aliases: canonical = ["spelling", ...], e.g. "React" = ["ReactJS"].',
    "columns": 'Headers of your files mapped to gigmatch fields, e.g. "Freelancer" = "name"; '
    'ignore = ["Header"] leaves a column out; [columns.people], [columns.projects] and '
    "[columns.history] apply to one kind of file.",
}


def find_config(
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
) -> tuple[Path, str] | None:
    """Where the config is, and how it was found, in the documented order: ./gigmatch.toml,
    then each parent folder up to the home folder (or the root, outside home), then the file
    `$GIGMATCH_CONFIG` names, then the user config folder. None: use the defaults.

    A cron job started in $HOME finds the project's config through `$GIGMATCH_CONFIG`, and a
    command run in a project's subfolder finds the project's own."""
    environ = os.environ if environ is None else environ
    here = (cwd or Path.cwd()).resolve()
    home = (home or Path.home()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate, "./gigmatch.toml" if folder == here else "a parent folder"
        if folder == home:
            break
    named = environ.get(CONFIG_ENV, "").strip()
    if named:
        if not Path(named).expanduser().is_file():
            raise ConfigError(f"${CONFIG_ENV} names {named}: no such config file")
        return Path(named).expanduser(), f"${CONFIG_ENV}"
    user = user_config_dir(environ, home) / CONFIG_NAME
    return (user, "the user config folder") if user.is_file() else None


def user_config_dir(environ: Mapping[str, str], home: Path) -> Path:
    """gigmatch's folder in the user config folder: platformdirs' answer when it is
    installed, else the XDG rule ($XDG_CONFIG_HOME, or ~/.config)."""
    try:
        import platformdirs
    except ImportError:
        base = environ.get("XDG_CONFIG_HOME", "").strip()
        return (Path(base) if base else home / ".config") / "gigmatch"
    return Path(platformdirs.user_config_dir("gigmatch", appauthor=False))


def config_rows(config: Config) -> list[tuple[str, str, str]]:
    """(setting, value, where it came from) for every setting in force, for `gigmatch config`."""
    origin = config.source or "default"
    rows = [("config file", config.source or "(none: defaults)", _origin(config.found))]
    for section, values in (
        ("weights", config.weights),
        ("thresholds", config.thresholds),
        ("history", config.history),
        ("plan", config.plan),
    ):
        for key, value in asdict(values).items():
            name = f"{section}.{key}"
            rows.append((name, f"{value:g}", origin if name in config.settings else "default"))
    for canonical, spellings in config.aliases.items():
        rows.append((f"aliases.{canonical}", ", ".join(spellings), origin))
    for rule in config.columns:
        scope = f"columns.{rule.kind}" if rule.kind else "columns"
        value = "(ignored)" if rule.field == IGNORE else rule.field
        rows.append((f"{scope}: {rule.header!r}", value, _origin(rule.origin)))
    for name, value in (("sheet", config.sheet), ("skip_rows", config.skip_rows)):
        if value is not None:
            rows.append((name, str(value), _origin(f"--{name.replace('_', '-')}")))
    return rows


def _origin(origin: str) -> str:
    """`command line (--map)`: a source column never starts with `-` (read as a formula)."""
    return f"command line ({origin})" if origin.startswith("--") else origin


def default_config_toml() -> str:
    """The commented default `gigmatch.toml` written by `gigmatch init`.

    tomli-w writes the values (so they are valid TOML by construction); the comments are put
    around them from the same help texts the README uses.
    """
    import tomli_w

    sections = {
        "weights": asdict(Weights()),
        "thresholds": asdict(Thresholds()),
        "history": asdict(HistorySettings()),
        "plan": asdict(PlanSettings()),
        "relations": {k: v for k, v in asdict(Relations()).items() if k != "extra"},
    }
    lines = ["# gigmatch configuration. Every value shown is the default.", ""]
    for section, values in sections.items():
        lines += [f"# {_HELP[section]}", f"[{section}]"]
        for key, value in values.items():
            bounds = RANGES[f"{section}.{key}"]
            span = ("whole number " if bounds.whole else "") + f"{bounds.low:g}-{bounds.high:g}"
            lines += [
                f"# {_HELP[f'{section}.{key}']} (range: {span})",
                tomli_w.dumps({key: value}).strip(),
            ]
        lines.append("")
    lines += [f"# {_HELP['relations.extra']}", "# [[relations.extra]]", '# skill = "Looker"']
    lines += ['# kind = "substitute"', '# of = "Tableau"', ""]
    for section in ("aliases", "columns"):
        lines += [f"# {_HELP[section]}", f"[{section}]", ""]
    return "\n".join(lines)
