"""A staffing plan in every format: the tables of JSON, TOML and XLSX, the rows of the rest."""

from __future__ import annotations

import json
from typing import Any

from gigmatch.plan.staffing import Staffing
from gigmatch.present.write import OutputFormat, records, to_bytes, xlsx_bytes


def plan_bytes(staffing: Staffing, fmt: OutputFormat, *, bom: bool = False) -> bytes:
    """The plan as `fmt`: several tables where the format holds them, else the assignments
    (with their honest flags, and the alternates as a column)."""
    if fmt is OutputFormat.json:
        return plan_json(staffing)
    if fmt is OutputFormat.toml:
        return plan_toml(staffing)
    if fmt is OutputFormat.xlsx:
        return plan_xlsx(staffing)
    return to_bytes(staffing.assignments, fmt, bom=bom)


def plan_json(staffing: Staffing) -> bytes:
    """`{"summary", "assignments", "unfilled", "free_people"}`, for scripts."""
    document = {
        "summary": staffing.summary.as_dict(),
        "assignments": records(staffing.assignments),
        "unfilled": records(staffing.unfilled),
        "free_people": records(staffing.free_people),
    }
    if staffing.alternates is not None:
        document["alternates"] = records(staffing.alternates)
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
    if staffing.alternates is not None:
        for row in records(staffing.alternates):
            entry = projects.setdefault(row["project_id"], {"title": "", "team": []})
            entry.setdefault("alternates", []).append(
                _no_none({k: v for k, v in row.items() if k != "project_id"})
            )
    document = {"summary": _no_none(_flat(staffing.summary.as_dict())), "projects": projects}
    return tomli_w.dumps(document).encode()


def plan_xlsx(staffing: Staffing) -> bytes:
    """A workbook with sheets plan, unfilled, free_people and summary."""
    import pandas as pd

    values = _flat(staffing.summary.as_dict())
    summary = pd.DataFrame({"measure": list(values), "value": list(values.values())})
    summary["value"] = summary["value"].astype(object)  # numbers stay numbers in the sheet
    sheets = {
        "plan": staffing.assignments,
        "unfilled": staffing.unfilled,
        "free_people": staffing.free_people,
    }
    if staffing.alternates is not None:
        sheets["alternates"] = staffing.alternates
    return xlsx_bytes({**sheets, "summary": summary})


def _flat(summary: dict[str, Any]) -> dict[str, Any]:
    """Nested parts (the fairness figures) as `fairness_lowest`… so one level holds them all."""
    flat: dict[str, Any] = {}
    for key, value in summary.items():
        if isinstance(value, dict):
            flat.update({f"{key}_{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def _no_none(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None}


def diff_json(change) -> bytes:
    """A plan diff as `{"summary": {...}, "changes": [...]}`, for a cron job's mail."""
    from dataclasses import asdict

    summary = asdict(change.summary) | {"score_change": change.summary.score_change}
    document = {"summary": summary, "changes": records(change.changes)}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
