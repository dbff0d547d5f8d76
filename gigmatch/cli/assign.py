"""`gigmatch assign`: the best staffing plan, written as files to act on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from gigmatch.cli.options import (
    AsOfOpt,
    BomOpt,
    ConfigOpt,
    FormatOpt,
    HistoryOpt,
    IgnoreOpt,
    MapOpt,
    NoConfigOpt,
    OutputOpt,
    QuietOpt,
    SheetOpt,
    SkipInvalidOpt,
    SkipRowsOpt,
    plural,
)
from gigmatch.cli.session import Reading, Session, command
from gigmatch.present.write import OutputFormat

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
        float, typer.Option("--min-score", help="Only pairs scoring at least this.")
    ] = 0.0,
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
    fill_first: Annotated[
        bool,
        typer.Option(
            "--fill-first", help="Fill as many places as possible first, then maximise the score."
        ),
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0.01,
            help="Solver time limit when hours bind (CP-SAT deterministic seconds).",
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
    """Compute the best staffing plan under team sizes, capacities and hours.

    Maximises the total match score of the chosen (project, person) pairs, exactly (a
    min-cost flow, or CP-SAT when weekly hours bind): each project gets at most its team size,
    each person at most their capacity and their hours. Lists the plan, the places left open
    and why, and the people left free.

    Example: gigmatch assign examples/projects.csv examples/people.csv -o plan.csv
    """
    from gigmatch.errors import UsageError
    from gigmatch.plan.staffing import Controls, parse_pair, read_previous, read_scores, staff
    from gigmatch.present.views.plan import plan_view

    if scores is None and (projects is None or people is None):
        raise UsageError("give PROJECTS and PEOPLE, or --scores PAIRS.csv")
    cfg = session.config(config, Reading.of(map_, ignore, sheet, skip_rows, no_config))
    project_table = session.read(projects, "projects", cfg, skip_invalid=skip_invalid)
    people_table = session.read(people, "people", cfg, skip_invalid=skip_invalid)
    session.remember(scores, keep_previous)
    controls = Controls(
        pins=[parse_pair(p, "--pin") for p in pin or []],
        forbids=[parse_pair(p, "--forbid") for p in forbid or []],
        previous=read_previous(keep_previous) if keep_previous else [],
        keep_bonus=keep_bonus,
        min_score=min_score,
        fill_first=fill_first,
        time_limit=time_limit,
    )
    history_table = session.read(history, "history", cfg, skip_invalid=skip_invalid)
    scores_frame = read_scores(scores) if scores is not None else None
    staffing = staff(
        None if project_table is None else project_table.frame,
        None if people_table is None else people_table.frame,
        cfg, controls, candidates=candidates,
        history=None if history_table is None else history_table.frame,
        as_of=as_of, scores=scores_frame,
        history_source=None if history_table is None else history_table.source,
    )  # fmt: skip
    if staffing.summary.get("history"):
        session.note(staffing.summary["history"])
    if staffing.summary["candidates_exhausted"]:
        shown = ", ".join(staffing.summary["candidates_exhausted"][:10])
        session.note(f"every listed candidate of {shown} is taken: --candidates "
                     f"{2 * candidates} may fill them")  # fmt: skip
    session.emit(
        staffing.assignments,
        fmt,
        output,
        bom=bom,
        table=lambda: plan_view(staffing),
        data=lambda chosen: _plan_bytes(staffing, chosen, bom),
    )
    _summarise(session, staffing)


def _plan_bytes(staffing, fmt: OutputFormat, bom: bool) -> bytes:
    from gigmatch.present.plan_files import plan_json, plan_toml, plan_xlsx
    from gigmatch.present.write import to_bytes

    if fmt is OutputFormat.json:
        return plan_json(staffing)
    if fmt is OutputFormat.toml:
        return plan_toml(staffing)
    if fmt is OutputFormat.xlsx:
        return plan_xlsx(staffing)
    return to_bytes(staffing.assignments, fmt, bom=bom)


def _summarise(session: Session, staffing: Any) -> None:
    s = staffing.summary
    proof = (
        "proven optimal" if s["status"] == "optimal" else f"not proven optimal (gap {s['gap']:.2%})"
    )
    free = f"{s['people_free']} {'person' if s['people_free'] == 1 else 'people'} free"
    session.note(
        f"{s['filled']} of {s['places']} places filled ({s['share_filled']:.0%}), total score "
        f"{s['total_score']:g}, {proof} ({s['method']}); "
        f"{plural(s['projects_unfilled'], 'project')} with open places, {free}"
    )
