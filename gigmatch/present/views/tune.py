"""`tune` at a terminal: the weights and the held-out AUC per fold."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gigmatch.insights.tune import TuneResult


def tune_view(result: TuneResult):
    """Weights (default vs tuned) and the AUC of each fold."""
    from rich.console import Group
    from rich.table import Table

    weights = Table(title="Weights", title_justify="left")
    for column in ("component", "default", "tuned", "learnt"):
        weights.add_column(column, justify="left" if column == "component" else "right")
    for row in result.weights_frame().itertuples(index=False):
        learnt = "yes" if row.learnt else "no (kept)"
        weights.add_row(row.component, f"{row.default:.3f}", f"{row.tuned:.3f}", learnt)
    folds = Table(
        title="Held-out AUC (chance a good outcome outscores a poor one)", title_justify="left"
    )
    for column in ("fold", "pairs", "good", "default", "tuned"):
        folds.add_column(column, justify="right")
    for row in result.folds_with_mean().itertuples(index=False):
        folds.add_row(
            str(row.fold), str(row.pairs), str(row.good), f"{row.auc_default:.3f}",
            f"{row.auc_tuned:.3f}", style="bold" if row.fold == "mean" else None,
        )  # fmt: skip
    return Group(weights, folds)


def tune_summary(result: TuneResult, good: float) -> str:
    auc_default, auc_tuned = (round(a, 3) for a in result.mean_auc)
    text = (
        f"{result.pairs} rated pairs ({result.good} good, rating >= {good:g}); "
        f"{result.training.rebuilt} past projects rebuilt from history rows; mean AUC over "
        f"{folds_used(result)}: default {auc_default:.3f}, tuned {auc_tuned:.3f}"
    )
    skills = result.weights()["skills"]
    if result.learnable[0] and skills < result.defaults[0] / 2:
        text += (
            f"\nnote: skills fell to {skills:g}: people in the history were picked for their "
            "skills, so it says little about skills; consider --hold skills"
        )
    return text


def folds_used(result: TuneResult) -> str:
    """`5 folds`, or `3 of 5 folds (2 skipped: …)` when some held-out folds have no AUC."""
    total, skipped = len(result.folds), result.skipped_folds
    if not skipped:
        return f"{total} folds"
    return (
        f"{total - skipped} of {total} folds ({skipped} skipped: only good or only poor "
        "outcomes held out, so no AUC)"
    )
