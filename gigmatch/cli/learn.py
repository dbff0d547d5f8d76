"""`gigmatch explain` and `gigmatch tune`: learning from past work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from gigmatch.cli.common import (
    AsOfOpt,
    ConfigOpt,
    FormatOpt,
    HistoryOpt,
    OutputOpt,
    PeopleArg,
    ProjectsArg,
    QuietOpt,
    SkipInvalidOpt,
    check_stdin,
    emit,
    handles_errors,
    load_config,
    note,
    read_history,
    read_input,
    stdout_is_terminal,
)
from gigmatch.present.write import OutputFormat

if TYPE_CHECKING:
    from gigmatch.insights.explain import Explanation
    from gigmatch.insights.tune import TuneResult


def register(app: typer.Typer) -> None:
    app.command()(explain)
    app.command()(tune)


@handles_errors
def explain(
    projects: ProjectsArg,
    people: PeopleArg,
    project_id: Annotated[str, typer.Argument(help="The project's id.", show_default=False)],
    person_id: Annotated[str, typer.Argument(help="The person's id.", show_default=False)],
    history: HistoryOpt = None,
    as_of: AsOfOpt = None,
    require_all: Annotated[
        bool, typer.Option("--require-all", help="Apply match's --require-all filter.")
    ] = False,
    max_over_budget: Annotated[
        float | None,
        typer.Option("--max-over-budget", min=0, metavar="PCT", help="Apply this budget filter."),
    ] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0, max=100, help="Apply this score filter.")
    ] = 0.0,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Show everything behind one person's score for one project.

    Every component with its weight and share of the score; every skill with the spelling
    that matched and how, or why it is missing; the history records that moved the rating,
    most influential first; any filter that leaves the pair out of `match`; and how far the
    person is from the project's top candidate. A table on a terminal, JSON otherwise.

    Example: gigmatch explain examples/projects.csv examples/people.csv P-114 F-044
    --history examples/history.csv --as-of 2026-11-20
    """
    from gigmatch.insights.explain import explain_frames
    from gigmatch.score.components import Filters

    check_stdin(projects, people, history)
    chosen = _json_or_table(fmt, output)
    cfg = load_config(config)
    project_frame = read_input(projects, "projects", cfg, skip_invalid, quiet)
    people_frame = read_input(people, "people", cfg, skip_invalid, quiet)
    history_frame = read_history(history, cfg, skip_invalid, quiet)
    if history_frame is not None:
        history_frame.attrs["source"] = history  # named in history errors
    filters = Filters(require_all, max_over_budget, min_score)
    result = explain_frames(
        project_frame, people_frame, history_frame, project_id, person_id, cfg,
        as_of=as_of, filters=filters,
    )  # fmt: skip
    emit(
        None,
        chosen,
        output,
        inputs=[projects, people, history],
        table=lambda: explain_view(result),
        data=lambda _: _json(result.to_dict()),
    )


def _json_or_table(fmt: OutputFormat | None, output: Path | None) -> OutputFormat:
    """explain's output is nested: a table for people, JSON for everything else."""
    from gigmatch.errors import UsageError

    if fmt is None and output is not None and output.suffix.lower() != ".json":
        raise UsageError(
            f"explain writes only JSON to a file, and '{output.name}' is not a .json file: "
            "name it .json, or add --format json"
        )
    if fmt is None:
        return OutputFormat.table if output is None and stdout_is_terminal() else OutputFormat.json
    if fmt not in (OutputFormat.table, OutputFormat.json):
        raise UsageError(f"explain writes --format table or json, not {fmt.value}")
    return fmt


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


@handles_errors
def tune(
    history: Annotated[
        str, typer.Argument(help="History CSV of finished assignments.", show_default=False)
    ],
    people: Annotated[str, typer.Option("--people", "-P", help="People CSV.", show_default=False)],
    projects: Annotated[
        str | None,
        typer.Option(
            "--projects",
            help="Projects CSV listing past projects (default: rebuilt from the history rows).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    good: Annotated[
        float, typer.Option("--good", min=0, max=5, help="Ratings from this up are good outcomes.")
    ] = 4.5,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed that deals projects into folds.")] = 0,
    l2: Annotated[
        float, typer.Option("--l2", min=0, help="L2 penalty on the standardised coefficients.")
    ] = 1.0,
    hold: Annotated[
        list[str] | None,
        typer.Option("--hold", help="Keep this weight at its default (repeatable), e.g. skills."),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            metavar="FILE.toml",
            dir_okay=False,
            help="Write the tuned \\[weights] to this config, keeping its other sections.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rewrite a config even if its comments are lost.")
    ] = False,
    config: ConfigOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Fit the score weights to past outcomes and show if they rank them better.

    Each rated history row is a (person, past project) pair, good when rated at least --good.
    A non-negative, L2-regularised logistic regression on the six score components gives the
    tuned weights; k-fold cross-validation (by past project) prints the AUC of the default
    and the tuned weights on every held-out fold. Nothing is written without --write.

    Example: gigmatch tune examples/history.csv --people examples/people.csv --as-of 2026-11-20
    """
    from gigmatch.insights.tune import fit_weights, training_set

    check_stdin(history, people, projects)
    cfg = load_config(config)
    history_frame = read_input(history, "history", cfg, skip_invalid, quiet)
    people_frame = read_input(people, "people", cfg, skip_invalid, quiet)
    project_frame = (
        None if projects is None else read_input(projects, "projects", cfg, skip_invalid, quiet)
    )
    data = training_set(history_frame, people_frame, project_frame, cfg, as_of, good)
    result = fit_weights(data, cfg, folds=folds, seed=seed, l2=l2, hold=tuple(hold or ()))
    emit(
        _folds_with_mean(result),
        fmt,
        output,
        inputs=[history, people, projects],
        table=lambda: tune_view(result),
        data=lambda chosen: _tune_bytes(result, chosen),
    )
    note(_tune_summary(result, good), quiet)
    if write is not None:
        _write_weights(write, result, force, [history, people, projects])
        note(f"wrote [weights] to {write}", quiet)


def _folds_with_mean(result: TuneResult):
    import pandas as pd

    folds = result.folds
    auc_default, auc_tuned = result.mean_auc
    mean = {
        "fold": "mean",
        "pairs": int(folds["pairs"].sum()),
        "good": int(folds["good"].sum()),
        "auc_default": round(auc_default, 3),
        "auc_tuned": round(auc_tuned, 3),
    }
    return pd.concat([folds.astype({"fold": object}), pd.DataFrame([mean])], ignore_index=True)


def _tune_bytes(result: TuneResult, chosen: OutputFormat) -> bytes:
    """JSON: the whole report; TOML: the [weights] table; xlsx: two sheets; others: the folds."""
    from gigmatch.present.write import to_bytes, xlsx_bytes

    if chosen is OutputFormat.json:
        return _json(result.to_dict())
    if chosen is OutputFormat.toml:
        import tomli_w

        return tomli_w.dumps({"weights": result.weights()}).encode()
    if chosen is OutputFormat.xlsx:
        return xlsx_bytes({"folds": _folds_with_mean(result), "weights": result.weights_frame()})
    return to_bytes(_folds_with_mean(result), chosen)


def _tune_summary(result: TuneResult, good: float) -> str:
    auc_default, auc_tuned = (round(a, 3) for a in result.mean_auc)
    text = (
        f"{result.pairs} rated pairs ({result.good} good, rating >= {good:g}); "
        f"{result.training.rebuilt} past projects rebuilt from history rows; mean AUC over "
        f"{_folds_used(result)}: default {auc_default:.3f}, tuned {auc_tuned:.3f}"
    )
    skills = result.weights()["skills"]
    if result.learnable[0] and skills < result.defaults[0] / 2:
        text += (
            f"\nnote: skills fell to {skills:g}: people in the history were picked for their "
            "skills, so it says little about skills; consider --hold skills"
        )
    return text


def _folds_used(result: TuneResult) -> str:
    """`5 folds`, or `3 of 5 folds (2 skipped: …)` when some held-out folds have no AUC."""
    total, skipped = len(result.folds), result.skipped_folds
    if not skipped:
        return f"{total} folds"
    return (
        f"{total - skipped} of {total} folds ({skipped} skipped: only good or only poor "
        "outcomes held out, so no AUC)"
    )


def _write_weights(path: Path, result: TuneResult, force: bool, inputs: list) -> None:
    from gigmatch.errors import UsageError
    from gigmatch.insights.tune import has_comments, weights_toml
    from gigmatch.present.write import check_not_input, write_atomic

    check_not_input(path, inputs)
    existing = path.read_text(encoding="utf-8-sig") if path.exists() else None
    if existing and has_comments(existing) and not force:
        raise UsageError(
            f"{path} has comments that rewriting it would lose; add --force, or --write a new file"
        )
    write_atomic(path, weights_toml(result.weights(), existing).encode())


# ---- rendering ---------------------------------------------------------------------------------


def explain_view(e: Explanation):
    """The explanation as a heading and a few tables."""
    from rich.console import Group
    from rich.text import Text

    from gigmatch.present.safe import printable
    from gigmatch.present.views import score_bar

    head = Text.assemble(
        (printable(f"{e.project_id} · {e.project_title}"), "bold"),
        " ← ",
        (printable(f"{e.person_name} ({e.person_id})"), "bold"),
        "  ",
        score_bar(e.score),
    )
    parts: list[Any] = [head, _standing_text(e), _components_table(e), _skills_table(e)]
    if e.history is not None:
        parts.append(_history_table(e))
    return Group(*parts)


def _standing_text(e: Explanation):
    from rich.text import Text

    from gigmatch.present.safe import printable

    s = e.standing
    text = Text()
    for reason in e.excluded_by:
        text.append(f"✗ left out: {reason}\n", style="red")
    text.append(*_standing_words(s))
    if s.top_person_id is not None and s.gap:
        top = printable(f"{s.top_person_name} ({s.top_person_id})")
        text.append(f"; {s.gap:.1f} points behind the top candidate, {top}, {s.top_score:.1f}")
    return text


def _standing_words(s) -> tuple[str, str | None]:
    """The rank among the listed candidates; for a pair left out, where its score would put it
    among them (it is not one of them, so it is counted on top)."""
    if s.rank is not None:
        return f"rank {s.rank} of {s.candidates} candidates", "green"
    if not s.candidates:
        return "not listed, and no one is listed for this project", None
    return f"not listed; by score it would rank {s.would_rank} of {s.candidates + 1}", None


def _components_table(e: Explanation):
    from rich.table import Table

    table = Table(title="Score components", title_justify="left")
    for column in ("component", "value", "weight", "points", "share"):
        table.add_column(column, justify="left" if column == "component" else "right")
    for c in e.components:
        table.add_row(
            c.component, f"{c.value:.3f}", f"{c.weight:.2f}", f"{c.points:.1f}", f"{c.share:.0%}"
        )
    table.add_row("score", "", "", f"{e.score:.1f}", "100%", style="bold")
    return table


def _skills_table(e: Explanation):
    from rich.table import Table

    from gigmatch.present.safe import for_terminal

    table = Table(title="Skills", title_justify="left")
    for column in ("skill", "weight", "matched by", "how", "credit"):
        table.add_column(column, justify="right" if column in ("weight", "credit") else "left")
    for s in e.skills:
        label = s.wanted + (" (nice to have)" if s.kind != "required" else "")
        how = s.detail()
        matched = s.offered if s.offered else f"✗ {s.reason}"
        style = None if s.offered else "red"
        table.add_row(
            for_terminal(label), f"{s.weight:.0%}", for_terminal(matched), how, f"{s.credit:.2f}",
            style=style,
        )  # fmt: skip
    return table


def _history_table(e: Explanation):
    from rich.table import Table

    from gigmatch.present.safe import for_terminal

    h = e.history
    assert h is not None
    title = (
        f"History as of {h.as_of}: {h.records} records; pool mean {h.pool_rating:.2f}★, "
        f"{h.pool_on_time:.0%} on time; people.csv adds {h.people_csv_points:+.2f} points"
    )
    if h.uncapped_rating > 1:
        title += f"; rating_score {h.uncapped_rating:.3f} capped at 1"
    table = Table(title=title, title_justify="left")
    for column in ("points", "date", "project", "rating", "on time", "weight", "skills", "client"):
        table.add_column(
            column, justify="right" if column in ("points", "rating", "weight") else "left"
        )
    for r in h.lines[:20]:
        on_time = "" if r.on_time is None else ("yes" if r.on_time else "no")
        client = for_terminal(r.client) + (" (same client)" if r.same_client else "")
        skills = for_terminal(r.skills) + (
            f" → {for_terminal(', '.join(r.matched_skills))}" if r.matched_skills else ""
        )
        table.add_row(
            f"{r.points:+.2f}", r.date, for_terminal(r.project_id),
            "" if r.rating is None else f"{r.rating:g}", on_time, f"{r.weight:.2f}", skills, client,
        )  # fmt: skip
    if len(h.lines) > 20:
        table.caption = f"… and {len(h.lines) - 20} less influential records (see --format json)"
    return table


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
    for row in _folds_with_mean(result).itertuples(index=False):
        folds.add_row(
            str(row.fold), str(row.pairs), str(row.good), f"{row.auc_default:.3f}",
            f"{row.auc_tuned:.3f}", style="bold" if row.fold == "mean" else None,
        )  # fmt: skip
    return Group(weights, folds)
