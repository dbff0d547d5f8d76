"""`gigmatch diff`: who joined, left or moved between two staffing plans."""

from __future__ import annotations

from typing import Annotated

import typer

from gigmatch.cli.options import FormatOpt, OutputOpt, QuietOpt
from gigmatch.cli.session import Session, command


@command
def diff(
    session: Session,
    old_plan: Annotated[
        str, typer.Argument(help="Last plan (CSV, TSV or JSON from `gigmatch assign`).")
    ],
    new_plan: Annotated[str, typer.Argument(help="This plan, in any of the same forms.")],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Compare two staffing plans: who joined, left or moved, and the score change.

    A person on a project in both plans is unchanged; one who left a project and joined
    another has moved. The changes go to stdout (a table, or CSV/JSON for a cron mail) and the
    counts with the total score change to stderr.

    Example: gigmatch diff last-week.csv plan.csv -f json
    """
    from gigmatch.api import diff as run
    from gigmatch.plan.diff import diff_sentence
    from gigmatch.present.plan_files import diff_json
    from gigmatch.present.views.plan import diff_view
    from gigmatch.present.write import OutputFormat, to_bytes

    session.remember(old_plan, new_plan)
    change = run(old_plan, new_plan)
    session.emit(
        change.changes,
        fmt,
        output,
        table=lambda: diff_view(change),
        data=lambda chosen: (
            diff_json(change) if chosen is OutputFormat.json else to_bytes(change.changes, chosen)
        ),
    )
    session.note(diff_sentence(change.summary))
