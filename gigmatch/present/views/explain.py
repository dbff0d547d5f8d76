"""`explain` at a terminal: the score, its components, skills and history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gigmatch.insights.explain import Explanation


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
    from gigmatch.present.views import FitWidth

    table = Table(title="Skills", title_justify="left")
    for column in ("skill", "weight", "matched by", "how", "credit"):
        table.add_column(column, justify="right" if column in ("weight", "credit") else "left")
    for s in e.skills:
        label = s.wanted + (" (nice to have)" if s.kind != "required" else "")
        how = s.detail() + (f"; from {s.source}" if s.relation else "")
        matched = s.offered if s.offered else f"✗ {s.reason}"
        if s.relation:
            matched = f"≈ {s.offered} (related, not the same skill)"
        style = "red" if not s.offered else ("yellow" if s.relation else None)
        table.add_row(
            for_terminal(label), f"{s.weight:.0%}", for_terminal(matched), for_terminal(how),
            f"{s.credit:.2f}", style=style,
        )  # fmt: skip
    return FitWidth(table, ["weight"])


def _history_table(e: Explanation):
    from rich.table import Table

    from gigmatch.present.safe import for_terminal
    from gigmatch.present.views import FitWidth

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
            column,
            justify="right" if column in ("points", "rating", "weight") else "left",
            no_wrap=column in ("date", "project"),
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
    return FitWidth(table, ["client", "weight", "on time", "skills"])
