"""`explain`: everything behind one person's score for one project.

The pair is scored with the same functions `match` uses, whether or not it would be listed: a
filtered-out pair is still explained, with the filter that removed it. The result is plain data
(`Explanation.to_dict()` is what `--format json` prints); rendering is the CLI's business.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.errors import UsageError
from gigmatch.read.config import Config
from gigmatch.score.components import (
    COMPONENTS,
    WEIGHT_OF,
    Filters,
    pair_components,
    person_terms,
    project_terms,
    total_score,
)
from gigmatch.score.ranking import score_all, text_model, with_history
from gigmatch.score.skill_model import Explainer, SkillMatch, SkillModel, how_text
from gigmatch.skills.relations import Relation
from gigmatch.skills.text import key as skill_key

if TYPE_CHECKING:
    import pandas as pd

    from gigmatch.score.history import HistoryAdjust


@dataclass(frozen=True)
class Component:
    """One term of the score: its value (0-1), weight, points it adds, and share of the score."""

    component: str
    value: float
    weight: float
    points: float
    share: float


@dataclass(frozen=True)
class SkillLine:
    """A skill the project lists and how the person meets it, or why not."""

    kind: str  # required or nice_to_have
    wanted: str
    offered: str | None
    how: str  # exact, alias, knowledge base, typo NN, version, related, missing
    similarity: float  # 1 for the same skill, the relation's credit for a related one
    wanted_level: int
    offered_level: int
    credit: float
    weight: float  # share of its list (required or nice-to-have)
    reason: str  # for a missing skill: why it did not match
    relation: str = ""  # for a related skill: substitute, narrower, broader or version
    via: str = ""  # what links them: "BI software", "Django implies Python"
    source: str = ""  # where the relation comes from: knowledge base, or your relations

    def detail(self) -> str:
        """How it matched, worded as in `matched_skills` and `related_skills`."""
        rel = Relation(self.relation, self.via, self.similarity) if self.relation else None
        return how_text(self.how, self.offered, self.wanted_level, self.offered_level, rel)

    def describe(self) -> str:
        """`Power BI~Tableau (substitute: BI software, 0.5)` or `React<-ReactJS (…)`."""
        sign = "~" if self.relation else "<-"
        return f"{self.wanted}{sign}{self.offered} ({self.detail()})"


@dataclass(frozen=True)
class RecordLine:
    """A past assignment and how much it moved this pair's score (in score points)."""

    project_id: str
    date: str
    rating: float | None
    on_time: float | None
    skills: str
    client: str
    weight: float  # recency weight
    same_client: bool
    matched_skills: list[str]
    rating_points: float
    on_time_points: float
    points: float


@dataclass(frozen=True)
class HistoryPart:
    """How people.csv and the history records make up `rating_score` and `reliability_score`."""

    as_of: str
    records: int  # records of this person used
    pool_rating: float  # stars
    pool_on_time: float
    people_csv_points: float  # what people.csv's rating and on-time add, in score points
    uncapped_rating: float  # rating_score before it is capped at 1 (the parts add up to this)
    lines: list[RecordLine]


@dataclass(frozen=True)
class Standing:
    """Where the pair stands among the project's candidates (after the filters)."""

    rank: int | None  # None when a filter leaves the pair out
    would_rank: int  # its place by score even if left out
    candidates: int
    top_person_id: str | None
    top_person_name: str | None
    top_score: float | None
    gap: float | None  # top score minus this score


@dataclass(frozen=True)
class Explanation:
    project_id: str
    project_title: str
    person_id: str
    person_name: str
    score: float
    components: list[Component]
    skills: list[SkillLine]
    excluded_by: list[str]
    standing: Standing
    history: HistoryPart | None = None  # None without --history

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (numbers rounded for reading)."""
        return _rounded(asdict(self))


def _rounded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return None if np.isnan(value) else round(value, 4)
    return value


def explain_frames(
    projects: pd.DataFrame,
    people: pd.DataFrame,
    history: pd.DataFrame | None,
    project_id: str,
    person_id: str,
    config: Config,
    *,
    as_of: date | str | None = None,
    filters: Filters | None = None,
    history_source: str | None = None,
) -> Explanation:
    """`explain` on tables already parsed; `history_source` names the history in errors."""
    project = find(projects, project_id, "project")
    person = find(people, person_id, "person")
    model, adjust = with_history(
        projects, people, config, history, as_of, history_source=history_source
    )
    pair = Pair(projects, people, project, person, model, config, adjust)
    return explain_pair(pair, filters or Filters())


def find(frame: pd.DataFrame, wanted: str, noun: str) -> int:
    """The row of an id; an unknown id is a usage error naming the closest ids."""
    ids = [str(i) for i in frame["id"]]
    if wanted in ids:
        return ids.index(wanted)
    from rapidfuzz import process

    close = [m[0] for m in process.extract(wanted, ids, limit=3, score_cutoff=50)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise UsageError(f"no {noun} with id {wanted!r}{hint}")


@dataclass(frozen=True)
class Pair:
    """One (project, person) pair with what scoring it needs."""

    projects: pd.DataFrame
    people: pd.DataFrame
    project: int
    person: int
    model: SkillModel
    config: Config
    adjust: HistoryAdjust | None


def explain_pair(pair: Pair, filters: Filters) -> Explanation:
    """The explanation of a pair from parsed tables and the skill model."""
    values, matched = _components(pair)
    score = float(total_score(values, pair.config)[0])
    project_row, person_row = pair.projects.iloc[pair.project], pair.people.iloc[pair.person]
    return Explanation(
        project_id=str(project_row["id"]),
        project_title=str(project_row["title"]),
        person_id=str(person_row["id"]),
        person_name=str(person_row["name"]),
        score=score,
        components=component_lines(values, pair.config),
        skills=skill_lines(pair),
        excluded_by=exclusions(pair, filters, score, matched),
        standing=standing(pair, filters, score),
        history=history_part(pair) if pair.adjust is not None else None,
    )


def _components(pair: Pair) -> tuple[dict[str, np.ndarray], int]:
    terms, pterms = person_terms(pair.people, pair.config), project_terms(pair.projects)
    project, person = np.array([pair.project]), np.array([pair.person])
    values, matched = pair_components(pair.model, terms, pterms, project, person, pair.config)
    text = text_model(pair.projects, pair.people, pair.config)
    if text is not None:  # the same component `match` adds, from the same pool-fitted TF-IDF
        values["text"] = text.pairs(project, person)
    if pair.adjust is not None:
        values = pair.adjust(project, person, values)
    return values, int(round(matched[0]))


def component_lines(values: dict[str, np.ndarray], config: Config) -> list[Component]:
    """Each component with its weight, the points it adds (0-100 scale) and its share."""
    names = [c for c in (*COMPONENTS, "text") if c in values]
    weights = config.weights.normalised(text="text" in values)
    points = {c: 100.0 * weights[WEIGHT_OF[c]] * float(values[c][0]) for c in names}
    total = sum(points.values())
    return [
        Component(
            c,
            float(values[c][0]),
            weights[WEIGHT_OF[c]],
            points[c],
            points[c] / total if total else 0.0,
        )
        for c in names
    ]


def skill_lines(pair: Pair) -> list[SkillLine]:
    """Required then nice-to-have skills: the spelling that matched and how, or why none did."""
    explainer = Explainer(pair.model, pair.config)
    offered = [s for _, _, s, _ in explainer.offered.get(pair.person, [])]
    lines = []
    for kind, nice in (("required", False), ("nice_to_have", True)):
        found = explainer.matches(pair.project, pair.person, nice=nice)
        shares = _shares([m.wanted_level for m in found], pair.config.thresholds.default_level)
        lines += [
            _skill_line(kind, m, share, offered, pair)
            for m, share in zip(found, shares, strict=True)
        ]
    return lines


def _shares(levels: list[int], default: int) -> list[float]:
    """Each skill's weight in its list: its level (or the default), normalised."""
    raw = [float(level or default) for level in levels]
    total = sum(raw) or 1.0
    return [r / total for r in raw]


def _skill_line(kind: str, m: SkillMatch, share: float, offered: list[str], pair: Pair):
    reason = "" if m.offered else why_missing(m.wanted, offered, pair.model, pair.config)
    rel = m.relation
    source = "" if rel is None else relation_source(rel, m.wanted, m.offered or "", pair)
    return SkillLine(
        kind, m.wanted, m.offered, m.how, m.similarity, m.wanted_level, m.offered_level,
        m.credit, share, reason, rel.kind if rel else "", rel.via if rel else "", source,
    )  # fmt: skip


def relation_source(rel: Relation, wanted: str, offered: str, pair: Pair) -> str:
    """Where a relation comes from: your `[[relations.extra]]` (a pair of your skills, either
    way), or the shipped knowledge base (O*NET tool families, ESCO broader skills, the curated
    table; see NOTICE-skill-kb.txt)."""
    if rel.via == "your relations":
        return "your relations"
    index = pair.model.index

    def node(spelling: str) -> str:
        res = index.resolve(spelling)
        return res.concept or res.key

    ends = {node(wanted), node(offered)}
    for extra in pair.config.relations.extra:
        if {node(extra.skill), node(extra.of)} == ends:
            return "your relations"
    return "knowledge base"


@lru_cache(maxsize=8)
def _keys(spellings: tuple[str, ...]) -> list[str]:
    """The keys of one person's spellings, worked out once for all the skills they miss."""
    return [skill_key(o) for o in spellings]


def why_missing(wanted: str, offered: list[str], model: SkillModel, config: Config) -> str:
    """Why no skill of the person matched `wanted`, naming the closest spelling they have and
    what each of the two means, so a near miss that is really another skill says so."""
    from rapidfuzz import fuzz, process

    if not offered:
        return "the person lists no skills"
    # One bulk call per wanted skill (a person can list thousands): the best similarity, and
    # among spellings that tie on it the greatest, as max() over (similarity, spelling) picks.
    scores = process.cdist(
        [skill_key(wanted)], _keys(tuple(offered)), scorer=fuzz.ratio, dtype=np.float64
    )[0]
    similarity = float(scores.max())
    closest = max(offered[i] for i in np.flatnonzero(scores == similarity))
    if similarity < 50:
        return "no similar or related skill among the person's"
    index = model.index
    a, b = index.resolve(wanted), index.resolve(closest)
    near = f"closest is {closest!r} (similarity {similarity:.0f})"
    if a.concept and b.concept:
        return f"{near}: a different skill ({a.display} and {b.display} are two concepts)"
    if b.how == "unknown" and a.how != "unknown":
        return f"{near}: the knowledge base does not know {closest!r} as {a.display}"
    return f"{near}: another skill (no alias or knowledge-base entry makes them one)"


def exclusions(pair: Pair, filters: Filters, score: float, matched: int) -> list[str]:
    """The hard filters (and the candidate rule) that leave this pair out of `match`."""
    model, reasons = pair.model, []
    needed = int(model.n_required[pair.project])
    if needed and matched == 0:
        reasons.append("not a candidate: matches none of the required skills")
    if filters.require_all and matched < needed:
        reasons.append(f"--require-all: matches {matched} of {needed} required skills")
    if filters.max_over_budget is not None:
        rate = float(pair.people["rate"].iloc[pair.person])
        budget = float(pair.projects["budget"].iloc[pair.project])
        limit = budget * (1 + filters.max_over_budget / 100.0)
        if rate > limit:
            reasons.append(
                f"--max-over-budget {filters.max_over_budget:g}: rate {rate:g} is over "
                f"{limit:g} (budget {budget:g})"
            )
    if score < filters.min_score:
        reasons.append(f"--min-score {filters.min_score:g}: score {score:.1f} is below it")
    return reasons


def standing(pair: Pair, filters: Filters, score: float) -> Standing:
    """Rank among the listed candidates and the distance to the top one."""
    mask = np.zeros(len(pair.projects), dtype=bool)
    mask[pair.project] = True
    scored = score_all(
        pair.projects,
        pair.people,
        pair.config,
        filters=filters,
        top=0,
        project_mask=mask,
        adjust=pair.adjust,
        model=pair.model,
    )
    people, scores = scored.pairs.person, scored.pairs.score
    listed = np.flatnonzero(people == pair.person)
    rank = int(scored.rank[listed[0]]) if len(listed) else None
    order = person_terms(pair.people, pair.config).order
    ahead = (scores > score) | ((scores == score) & (order[people] < order[pair.person]))
    ahead &= people != pair.person
    if not len(people):
        return Standing(rank, 1, 0, None, None, None, None)
    top = people[0]
    return Standing(
        rank=rank,
        would_rank=int(ahead.sum()) + 1,
        candidates=len(people),
        top_person_id=str(pair.people["id"].iloc[top]),
        top_person_name=str(pair.people["name"].iloc[top]),
        top_score=float(scores[0]),
        gap=float(scores[0]) - score,
    )


def history_part(pair: Pair) -> HistoryPart:
    """The records that shaped the pair's rating and on-time scores, most influential first."""
    from gigmatch.score.history import pulls

    adjust = pair.adjust
    assert adjust is not None
    p = pulls(adjust, pair.project, pair.person)
    weights = pair.config.weights.normalised()
    to_points = 100.0 * np.array([weights["rating"], weights["reliability"]])
    frame, names = adjust.records.frame, pair.model.vocab.names
    lines = [
        _record_line(frame.iloc[int(i)], p, k, to_points, names) for k, i in enumerate(p.record)
    ]
    lines.sort(key=lambda line: (-abs(line.points), -line.weight, line.project_id))
    has = bool(adjust.scores.evidence.has_history[pair.person])
    return HistoryPart(
        as_of=adjust.summary.as_of,
        records=len(lines),
        pool_rating=5.0 * p.base[0],
        pool_on_time=p.base[1],
        people_csv_points=float(np.dot(p.direct, to_points)) if has else 0.0,
        uncapped_rating=p.base[0] + p.direct[0] + float(p.rating.sum()) if has else float("nan"),
        lines=lines,
    )


def _record_line(row, p, k: int, to_points: np.ndarray, names: list[str]) -> RecordLine:
    rating_points, on_time_points = (
        float(p.rating[k] * to_points[0]),
        float(p.on_time[k] * to_points[1]),
    )
    return RecordLine(
        project_id=str(row["project_id"]),
        date=str(np.datetime64(row["date"], "D")),
        rating=_number(row["rating"]),
        on_time=_number(row["on_time"]) if "on_time" in row else None,
        skills="; ".join(item.name for item in row["skills"]) if "skills" in row else "",
        client=str(row["client"]) if "client" in row else "",
        weight=float(p.weight[k]),
        same_client=bool(p.same_client[k]),
        matched_skills=[names[s] for s in p.skills[k]],
        rating_points=rating_points,
        on_time_points=on_time_points,
        points=rating_points + on_time_points,
    )


def _number(value: Any) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value
