"""How sound each fill is: its skills (matched, missing, related), its budget overrun, whether
it is weak and why; and which hard limit keeps which candidate out.

Everything is computed on arrays of pairs at once; only the texts of the few chosen fills
(places, not pairs) are written one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from gigmatch.plan.rules import index_of
from gigmatch.read.config import Config
from gigmatch.score.components import Filters

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class FillContext:
    """What describes fills beyond their score: the skill model (None with a scores file and
    no CSVs), the config and the minimum skill applied."""

    config: Config
    model: Any = None  # SkillModel
    min_skill: float = 0.0


FACT_COLUMNS = [
    "matched_skills",
    "missing_skills",
    "related_credit",
    "over_budget_pct",
    "weak",
]


def with_fill_facts(
    picked: pd.DataFrame, projects: pd.DataFrame, people: pd.DataFrame, context: FillContext
) -> pd.DataFrame:
    """Each fill with its skill detail, budget overrun and, when weak, why.

    Columns: matched_skills, missing_skills, related_credit (share of the required skills'
    weight earned through a related spelling rather than the skill itself), over_budget_pct
    (rate above budget, 0 within it; blank when either is unknown) and weak (the reasons, ""
    when the fill is sound). Blank throughout when skills are unknown (scores file alone).
    """
    n = len(picked)
    blank: dict[str, Any] = {
        "skill_score": np.full(n, np.nan),
        "matched_skills": [""] * n,
        "missing_skills": [""] * n,
        "related_credit": np.full(n, np.nan),
        "over_budget_pct": np.full(n, np.nan),
        "weak": [""] * n,
    }
    if context.model is None or not n:
        missing = {k: v for k, v in blank.items() if k not in picked.columns}
        return picked.assign(**missing)
    proj = index_of(projects, picked["project_id"], "project", "plan")
    pers = index_of(people, picked["person_id"], "person", "plan")
    facts = pair_facts(projects, people, context.config, context.model, proj, pers)
    texts = _skill_texts(context, proj, pers)
    skill = (
        picked["skill_score"].to_numpy(float)
        if "skill_score" in picked.columns
        else np.round(facts.skill, 3)
    )
    over = facts.over_budget_pct
    weak_skill = context.config.plan.weak_skill
    reasons = [
        "; ".join(
            r
            for r in (
                f"skill {s:.2f} < {weak_skill:g}" if s < weak_skill else "",
                f"missing {m.replace('; ', ', ')}" if m else "",
                f"{round(o, 1):g}% over budget" if o > 0 else "",
            )
            if r
        )
        for s, m, o in zip(skill.tolist(), texts[1], np.nan_to_num(over).tolist(), strict=True)
    ]
    return picked.assign(
        skill_score=skill,
        matched_skills=texts[0],
        missing_skills=texts[1],
        related_credit=texts[2],
        over_budget_pct=np.round(over, 1),
        weak=reasons,
    )


@dataclass(frozen=True)
class PairFacts:
    """What the hard limits and the weak-fill flags look at, for arrays of pairs."""

    skill: np.ndarray  # skill_score, 0-1
    missing: np.ndarray  # required skills not offered at all
    over_budget_pct: np.ndarray  # percent above budget (0 within it), NaN when unknown


def pair_facts(projects, people, config: Config, model: Any, project, person) -> PairFacts:
    """Skill score, missing required skills and budget overrun of pairs, vectorised."""
    from gigmatch.score.components import pair_components, person_terms, project_terms

    components, matched = pair_components(
        model, person_terms(people, config), project_terms(projects), project, person, config
    )
    rate = people["rate"].to_numpy(float)[person]
    budget = projects["budget"].to_numpy(float)[project]
    with np.errstate(divide="ignore", invalid="ignore"):
        over = np.where(budget > 0, (rate / budget - 1.0) * 100.0, np.where(rate > 0, np.inf, 0))
    over = np.where(np.isnan(rate) | np.isnan(budget), np.nan, np.maximum(over, 0.0))
    missing = model.n_required[project] - np.rint(matched).astype(np.int64)
    return PairFacts(components["skill"], np.maximum(missing, 0), over)


SAME_SKILL = ("exact", "alias", "missing")  # how a match is named when it is the skill itself


def _related_share(found: list, weight: list[int]) -> float:
    """Share of the required skills' weight earned through another skill than the one asked
    (a fuzzy spelling today; any related skill the scorer credits, whatever it names it)."""
    if not weight:
        return 0.0
    related = sum(
        w * m.credit for w, m in zip(weight, found, strict=True) if m.how not in SAME_SKILL
    )
    return round(related / sum(weight), 3)


def _skill_texts(context: FillContext, proj: np.ndarray, pers: np.ndarray):
    """matched and missing skills as `match` writes them, and the related-skill credit.

    One Explainer lookup per fill (places, not pairs: a plan has few rows)."""
    from gigmatch.score.skill_model import Explainer

    explainer = Explainer(context.model, context.config)
    default = context.config.thresholds.default_level
    matched, missing, related = [], [], []
    for project, person in zip(proj.tolist(), pers.tolist(), strict=True):
        found = explainer.matches(project, person)
        matched.append("; ".join(m.describe() for m in found if m.offered))
        missing.append("; ".join(m.wanted for m in found if not m.offered))
        weight = [m.wanted_level or default for m in found]
        related.append(_related_share(found, weight))
    return matched, missing, related


def limits_active(filters: Filters) -> bool:
    return bool(
        filters.require_all
        or filters.max_over_budget is not None
        or filters.min_score > 0
        or filters.min_skill > 0
    )


def failures(facts: PairFacts, score: np.ndarray, filters: Filters) -> dict[str, np.ndarray]:
    """Per limit, which pairs fail it (a pair may fail several)."""
    fails = {
        f"skill below {filters.min_skill:g}": facts.skill < filters.min_skill - 1e-6,
        f"score below {filters.min_score:g}": score < filters.min_score,
    }
    if filters.require_all:
        fails["missing a required skill"] = facts.missing > 0
    if filters.max_over_budget is not None:
        fails[f"more than {filters.max_over_budget:g}% over budget"] = (
            np.nan_to_num(facts.over_budget_pct) > filters.max_over_budget
        )
    return fails


def explain_limits(
    unfilled: pd.DataFrame, projects, people, config: Config, model, adjust, filters, candidates
) -> pd.DataFrame:
    """Add to each open project's reason how many of its best candidates the hard limits
    excluded, and for which limit: one scoring pass over the open projects only."""
    from gigmatch.score.ranking import score_all

    mask = projects["id"].isin(set(unfilled["project_id"])).to_numpy()
    scored = score_all(
        projects, people, config, filters=Filters(), top=candidates, project_mask=mask,
        adjust=adjust, model=model,
    )  # fmt: skip
    pairs = scored.pairs
    facts = pair_facts(projects, people, config, model, pairs.project, pairs.person)
    fails = failures(facts, pairs.score, filters)
    n = len(projects)
    row_of = {v: i for i, v in enumerate(projects["id"])}
    rows = np.array([row_of[p] for p in unfilled["project_id"]], dtype=np.int64)
    any_fail = np.logical_or.reduce(list(fails.values()))
    excluded = np.bincount(pairs.project[any_fail], minlength=n)[rows]
    counts = {k: np.bincount(pairs.project[v], minlength=n)[rows] for k, v in fails.items()}
    notes = []
    for i in range(len(rows)):
        parts = [f"{int(c[i])} {k}" for k, c in counts.items() if c[i]]
        notes.append(f" (limits exclude {int(excluded[i])}: {', '.join(parts)})" if parts else "")
    return unfilled.assign(reason=unfilled["reason"] + notes)
