"""A staffing plan in the formats that carry more than one table: JSON, TOML and XLSX."""

from __future__ import annotations

import json
from typing import Any

from gigmatch.plan.staffing import Staffing
from gigmatch.present.write import records, xlsx_bytes


def plan_json(staffing: Staffing) -> bytes:
    """`{"summary", "assignments", "unfilled", "free_people"}`, for scripts."""
    document = {
        "summary": staffing.summary,
        "assignments": records(staffing.assignments),
        "unfilled": records(staffing.unfilled),
        "free_people": records(staffing.free_people),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


def plan_toml(staffing: Staffing) -> bytes:
    """A `[summary]` table and one `[projects."ID"]` table per staffed or open project, with
    its team as an array of tables (TOML has no null: missing values are left out)."""
    import tomli_w

    projects: dict[str, dict[str, Any]] = {}
    for row in records(staffing.assignments):
        entry = projects.setdefault(row["project_id"], {"title": row["project_title"], "team": []})
        member = {k: v for k, v in row.items() if k not in ("project_id", "project_title")}
        entry["team"].append(_no_none(member))
    for row in records(staffing.unfilled):
        entry = projects.setdefault(row["project_id"], {"title": row["project_title"], "team": []})
        entry.update(open_places=row["open"], reason=row["reason"])
    document = {"summary": _no_none(staffing.summary), "projects": projects}
    return tomli_w.dumps(document).encode()


def plan_xlsx(staffing: Staffing) -> bytes:
    """A workbook with sheets plan, unfilled, free_people and summary."""
    import pandas as pd

    summary = pd.DataFrame(
        {"measure": list(staffing.summary), "value": list(staffing.summary.values())}
    )
    summary["value"] = summary["value"].astype(object)  # numbers stay numbers in the sheet
    return xlsx_bytes(
        {
            "plan": staffing.assignments,
            "unfilled": staffing.unfilled,
            "free_people": staffing.free_people,
            "summary": summary,
        }
    )


def _no_none(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}
