"""`gigmatch tune`: fit the score weights to past outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigmatch.cli.options import (
    AsOfOpt,
    ConfigOpt,
    FormatOpt,
    HistoryArg,
    IgnoreOpt,
    MapOpt,
    NoConfigOpt,
    OutputOpt,
    QuietOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
)
from gigmatch.cli.session import Reading, Session, command
from gigmatch.present.formats import OutputFormat


@command
def tune(
    session: Session,
    history: HistoryArg,
    people: Annotated[
        str,
        typer.Option(
            "--people", "-P", metavar="PEOPLE.csv", help="People file.", show_default=False
        ),
    ],
    projects: Annotated[
        str | None,
        typer.Option(
            "--projects",
            metavar="PROJECTS.csv",
            help="Projects file listing past projects (default: rebuilt from the history rows).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    good: Annotated[
        float, typer.Option("--good", min=0, max=5, help="Ratings from this up are good outcomes.")
    ] = 4.5,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 5,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Seed that deals projects into folds.")
    ] = 0,
    l2: Annotated[
        float, typer.Option("--l2", min=0, help="L2 penalty on the standardised coefficients.")
    ] = 1.0,
    hold: Annotated[
        list[str] | None,
        typer.Option(
            "--hold",
            metavar="WEIGHT",
            help="Keep this weight at its default (repeatable), e.g. skills.",
        ),
    ] = None,
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            metavar="FILE.toml",
            dir_okay=False,
            help="Write the tuned weights to this config, keeping its other sections.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Rewrite a config even if its comments are lost.")
    ] = False,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    map_: MapOpt = None,
    ignore: IgnoreOpt = None,
    sheet: SheetOpt = None,
    skip_rows: SkipRowsOpt = None,
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
    from gigmatch.api import tune as run
    from gigmatch.present.views.tune import tune_summary, tune_view

    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    with session.progress("tuning") as progress:
        result = run(
            session.read(history, "history", cfg, skip_invalid=skip_invalid),
            session.read(people, "people", cfg, skip_invalid=skip_invalid),
            cfg,
            projects=session.read(projects, "projects", cfg, skip_invalid=skip_invalid),
            as_of=as_of,
            good=good,
            folds=folds,
            seed=seed,
            l2=l2,
            hold=tuple(hold or ()),
            progress=progress,
        )
    session.emit(
        result.folds_with_mean(),
        fmt,
        output,
        table=lambda: tune_view(result),
        data=lambda chosen: _tune_bytes(result, chosen),
    )
    session.note(tune_summary(result, good))
    if write is not None:
        _write_weights(session, write, result, force)
        session.note(f"wrote [weights] to {write}")


def _tune_bytes(result, chosen: OutputFormat) -> bytes:
    """JSON: the whole report; TOML: the weights table; xlsx: two sheets; others: the folds."""
    from gigmatch.present.write import json_bytes, tables_bytes

    if chosen is OutputFormat.json:
        return json_bytes(result.to_dict())
    if chosen is OutputFormat.toml:
        import tomli_w

        return tomli_w.dumps({"weights": result.weights()}).encode()
    tables = {"folds": result.folds_with_mean(), "weights": result.weights_frame()}
    return tables_bytes(tables, chosen, "folds")


def _write_weights(session: Session, path: Path, result, force: bool) -> None:
    """The tuned weights into a config, its other sections kept; comments only with --force."""
    from gigmatch.errors import UsageError
    from gigmatch.insights.tune import existing_config, has_comments, weights_toml

    session.check_output(path, edits_config=True)
    existing = existing_config(path)
    if existing and has_comments(existing) and not force:
        raise UsageError(
            f"{path} has comments that rewriting it would lose; add --force, or --write a new file"
        )
    payload = weights_toml(result.weights(), existing).encode()
    session.write_file(path, payload, edits_config=True)
