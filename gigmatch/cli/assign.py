"""`gigmatch assign`: the best staffing plan, written as files to act on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from gigmatch.cli.options import (
    FILTER_PANEL,
    INPUT_PANEL,
    AsOfOpt,
    BomOpt,
    ConfigOpt,
    FormatOpt,
    HistoryOpt,
    IgnoreOpt,
    MapOpt,
    MaxOverBudgetOpt,
    NoConfigOpt,
    OutputOpt,
    QuietOpt,
    RequireAllOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
)
from gigmatch.cli.session import Reading, Session, command

OptionalProjects = Annotated[
    str | None,
    typer.Argument(
        metavar="[PROJECTS]",
        help="Projects file (optional with --scores).",
        show_default=False,
    ),
]
OptionalPeople = Annotated[
    str | None,
    typer.Argument(
        metavar="[PEOPLE]",
        help="People (freelancers) file (optional with --scores).",
        show_default=False,
    ),
]


@command
def assign(
    session: Session,
    projects: OptionalProjects = None,
    people: OptionalPeople = None,
    scores: Annotated[
        str | None,
        typer.Option(
            "--scores",
            metavar="PAIRS.csv",
            help="Assign from project_id,person_id,score computed elsewhere; "
            "pairs not listed are not allowed.",
        ),
    ] = None,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score", help="Only pairs scoring at least this.", rich_help_panel=FILTER_PANEL
        ),
    ] = 0.0,
    min_skill: Annotated[
        float | None,
        typer.Option(
            "--min-skill",
            min=0,
            max=1,
            help="Nobody staffed with a skill_score below this (0-1). Default: the config's "
            "\\[plan] min_skill, 0.25.",
            show_default=False,
            rich_help_panel=FILTER_PANEL,
        ),
    ] = None,
    require_all: RequireAllOpt = False,
    max_over_budget: MaxOverBudgetOpt = None,
    candidates: Annotated[
        int,
        typer.Option(
            "--candidates", min=1, help="Best candidates per project the optimiser considers."
        ),
    ] = 50,
    pin: Annotated[
        list[str] | None, typer.Option("--pin", metavar="P:F", help="Keep this pair (repeatable).")
    ] = None,
    forbid: Annotated[
        list[str] | None,
        typer.Option("--forbid", metavar="P:F", help="Never this pair (repeatable)."),
    ] = None,
    constraints: Annotated[
        Path | None,
        typer.Option(
            "--constraints",
            metavar="RULES.csv",
            help="project_id,person_id,rule with rule pin or forbid: bulk --pin / --forbid.",
            rich_help_panel=INPUT_PANEL,
        ),
    ] = None,
    keep_previous: Annotated[
        Path | None,
        typer.Option(
            "--keep-previous",
            metavar="PLAN.csv",
            help="Last plan: its pairs get --keep-bonus, so runs do not reshuffle.",
        ),
    ] = None,
    keep_bonus: Annotated[
        float,
        typer.Option("--keep-bonus", min=0, help="Score points added to pairs of --keep-previous."),
    ] = 5.0,
    diff_previous: Annotated[
        bool,
        typer.Option(
            "--diff-previous", help="Say who joined, left or moved since --keep-previous."
        ),
    ] = False,
    fill_first: Annotated[
        bool,
        typer.Option(
            "--fill-first", help="Fill as many places as possible first, then maximise the score."
        ),
    ] = False,
    fair: Annotated[
        bool,
        typer.Option(
            "--fair", help="Raise the lowest project score first, then the total; shows both."
        ),
    ] = False,
    alternates: Annotated[
        int,
        typer.Option(
            "--alternates",
            min=0,
            metavar="N",
            help="List N people per project who could step in (within their capacity and hours).",
        ),
    ] = 0,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0.01,
            help="Seconds the solver may take, wall clock (presolve included) and CP-SAT's "
            "deterministic time; the summary says which stopped it.",
        ),
    ] = 30.0,
    history: HistoryOpt = None,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    map_: MapOpt = None,
    ignore: IgnoreOpt = None,
    sheet: SheetOpt = None,
    skip_rows: SkipRowsOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    bom: BomOpt = False,
    skip_invalid: SkipInvalidOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Compute the best staffing plan under team sizes, capacities, hours and hard limits.

    Maximises the total match score of the chosen (project, person) pairs, exactly (a
    min-cost flow, or CP-SAT when weekly hours bind): each project gets at most its team size,
    each person at most their capacity and their hours. Nobody is staffed below the minimum
    skill score; each fill shows its missing skills and budget overrun, and weak fills are
    counted. Lists the plan, the places left open and why, and the people left free.

    Example: gigmatch assign examples/projects.csv examples/people.csv --alternates 2 -o plan.csv
    """
    from gigmatch.api import assign as run
    from gigmatch.errors import UsageError
    from gigmatch.plan.staffing import read_constraints
    from gigmatch.present.plan_files import plan_bytes
    from gigmatch.present.views.plan import plan_view

    if scores is None and (projects is None or people is None):
        raise UsageError("give PROJECTS and PEOPLE, or --scores PAIRS.csv")
    if diff_previous and keep_previous is None:
        raise UsageError("--diff-previous compares with --keep-previous PLAN.csv: give it")
    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    with session.progress("planning") as progress:
        project_table = session.read(projects, "projects", cfg, skip_invalid=skip_invalid)
        people_table = session.read(people, "people", cfg, skip_invalid=skip_invalid)
        session.remember(scores, keep_previous, constraints)
        ruled = read_constraints(constraints) if constraints else ([], [])
        controls = _controls(pin, forbid, ruled, keep_previous, keep_bonus, min_score=min_score,
                             min_skill=min_skill, require_all=require_all,
                             max_over_budget=max_over_budget, fill_first=fill_first, fair=fair,
                             alternates=alternates, time_limit=time_limit)  # fmt: skip
        history_table = session.read(history, "history", cfg, skip_invalid=skip_invalid)
        staffing = run(
            project_table, people_table, cfg, scores=scores, history=history_table, as_of=as_of,
            candidates=candidates, controls=controls, progress=progress,
        )  # fmt: skip
    _notes(session, staffing, candidates)
    session.emit(
        staffing.assignments, fmt, output, bom=bom,
        table=lambda: plan_view(staffing),
        data=lambda chosen: plan_bytes(staffing, chosen, bom=bom),
    )  # fmt: skip
    _summarise(session, staffing, keep_previous if diff_previous else None)


def _controls(pin, forbid, ruled, keep_previous, keep_bonus, **limits: Any):
    """Pins and forbids from the command line and --constraints, as one set of rules."""
    from gigmatch.plan.staffing import Controls, parse_pair, read_previous

    return Controls(
        pins=[parse_pair(p, "--pin") for p in pin or []] + ruled[0],
        forbids=[parse_pair(p, "--forbid") for p in forbid or []] + ruled[1],
        previous=read_previous(keep_previous) if keep_previous else [],
        keep_bonus=keep_bonus,
        **limits,
    )


def _notes(session: Session, staffing: Any, candidates: int) -> None:
    s = staffing.summary
    if s.history:
        session.note(s.history)
    if s.candidates_exhausted:
        shown = ", ".join(s.candidates_exhausted[:10])
        session.note(f"every listed candidate of {shown} is taken: --candidates "
                     f"{2 * candidates} may fill them")  # fmt: skip


def _summarise(session: Session, staffing: Any, previous: Path | None) -> None:
    """The summary sentence (the report's headline too) and, with --diff-previous, the change."""
    from gigmatch.plan.diff import diff_plans, diff_sentence, read_plan
    from gigmatch.plan.staffing import summary_sentence

    session.note(summary_sentence(staffing.summary))
    if previous is not None:
        change = diff_plans(read_plan(previous), staffing.assignments)
        session.note(f"since {previous.name}: {diff_sentence(change.summary)}")
