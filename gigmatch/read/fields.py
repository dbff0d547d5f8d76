"""The field catalogue: what each column of each kind of input file means.

One list of `Field`s per kind of file (projects, people, history, staffing plans, scores),
with the header spellings that mean each field, its type and its valid range. The readers
map headers through it and the config checks `[columns]` against it; it imports nothing, so
both can use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_AMOUNT = 1_000_000  # the largest rate or budget per hour: beyond it a cell is a typo


@dataclass(frozen=True)
class Field:
    """One column: its name, the header spellings that mean it, its type and valid range."""

    name: str
    synonyms: tuple[str, ...]
    kind: str  # id, text, skills, number, int, share, rating, bool, date, timezone
    required: bool = False
    low: float | None = None
    high: float | None = None
    default: Any = None
    example: str = ""
    when_empty: str = "this row can never match on skills"  # for a required skill list


def _f(name: str, kind: str, *synonyms: str, **options: Any) -> Field:
    return Field(name, (name.replace("_", ""), *synonyms), kind, **options)


PROJECT_FIELDS = (
    _f("id", "id", "projectid", "project", "ref", "code", "projectcode", required=True),
    _f("title", "text", "name", "projectname", "projecttitle"),
    _f("description", "text", "projectdescription", "jobdescription", "details", "brief",
       "summary", example="Build a Power BI dashboard for sales"),
    _f("skills", "skills", "requiredskills", "skillsrequired", "skillset", "required",
       "stack", "techstack", "musthave", required=True, example="Python:4; React",
       when_empty="every person is a candidate, at full skill credit"),
    _f("nice_to_have", "skills", "nicetohaveskills", "niceskills", "optionalskills",
       "bonusskills", "preferredskills", "nice", example="Docker; AWS"),
    _f("budget", "number", "maxrate", "budgetrate", "hourlybudget", "budgethourly",
       "maxhourlyrate", "ratecap", "budgetperhour", low=0, high=MAX_AMOUNT, example="60 or $60"),
    _f("hours", "number", "hoursperweek", "weeklyhours", "hoursweek", "hrsweek", "hpw",
       low=0, high=168, example="20"),
    _f("team_size", "int", "team", "headcount", "seats", "places", "people", "size",
       low=1, high=10_000, default=1, example="2"),
    _f("timezone", "timezone", "tz", "zone", "timezoneutc", example="Europe/Berlin or UTC+1"),
    _f("client", "text", "customer", "account", "company"),
    _f("date", "date", "start", "startdate", "starts", "posted", "posteddate", "created",
       "opened", example="2025-03-01"),
)  # fmt: skip

PEOPLE_FIELDS = (
    _f("id", "id", "personid", "freelancerid", "memberid", "userid", required=True),
    _f("name", "text", "fullname", "freelancer", "freelancername", "person"),
    _f("skills", "skills", "skillset", "expertise", "competencies", "tags", "stack",
       required=True, example="Python:4; React"),
    _f("rate", "number", "hourlyrate", "rateperhour", "price", "hourly", "hourlyprice",
       low=0, high=MAX_AMOUNT, example="45 or $45.50"),
    _f("hours", "number", "availability", "availablehours", "hoursperweek", "weeklyhours",
       "hoursavailable", low=0, high=168, example="30"),
    _f("rating", "rating", "avgrating", "averagerating", "stars", "rating5",
       low=0, high=5, example="4.8 or 4.8/5"),
    _f("reviews", "int", "reviewcount", "numreviews", "ratingscount", "nreviews",
       "jobscompleted", "jobs", low=0, high=10_000_000, example="12"),
    _f("on_time", "share", "ontimerate", "ontimedelivery", "deliveryrate", "reliability",
       "ontimepct", "ontimepercent", low=0, high=1, example="0.92 or 92%"),
    _f("timezone", "timezone", "tz", "zone", "timezoneutc", "location",
       example="Europe/Berlin or UTC+1"),
    _f("capacity", "int", "maxprojects", "slots", "concurrentprojects", "projects",
       low=0, high=1000, default=1, example="2"),
    _f("email", "text", "emailaddress", "mail"),
    _f("headline", "text", "profiletitle", "tagline", "jobtitle", example="Power BI developer"),
    _f("bio", "text", "about", "overview", "profile", "profiledescription",
       example="Ten years of sales dashboards"),
)  # fmt: skip

HISTORY_FIELDS = (
    _f("person_id", "id", "person", "freelancer", "freelancerid", required=True),
    _f("project_id", "id", "project", "job", "jobid", required=True),
    _f("date", "date", "finished", "completed", "enddate", "finishedon", "completedon",
       required=True, example="2025-03-01"),
    _f("rating", "rating", "score", "stars", "clientrating", low=0, high=5, example="4.5"),
    _f("on_time", "bool", "ontimedelivery", "delivered", "late", example="yes or no"),
    _f("skills", "skills", "skillsused", "stack", "tags", example="Python; SQL"),
    _f("client", "text", "customer", "account", "company"),
    _f("hours", "number", "hoursworked", "totalhours", low=0, high=100_000, example="120"),
    _f("rate", "number", "hourlyrate", "ratepaid", "paidrate", low=0, high=MAX_AMOUNT,
       example="45 or $45"),
    _f("title", "text", "projecttitle", "projectname", "jobname"),
    _f("description", "text", "projectdescription", "jobdescription", "details", "brief",
       example="Built a Power BI dashboard for sales"),
)  # fmt: skip

# A staffing plan as `gigmatch assign` writes it (also last week's plan for --keep-previous).
PLAN_FIELDS = (
    _f("project_id", "id", "project", required=True),
    _f("person_id", "id", "person", "freelancerid", required=True),
    _f("score", "number", example="82.5"),
)  # fmt: skip

# Scores computed elsewhere (`assign --scores`): one row per allowed pair.
SCORE_FIELDS = (
    _f("project_id", "id", "project", required=True),
    _f("person_id", "id", "person", "freelancerid", required=True),
    _f("score", "number", required=True, example="82.5"),
)  # fmt: skip

SCHEMAS: dict[str, tuple[Field, ...]] = {
    "projects": PROJECT_FIELDS,
    "people": PEOPLE_FIELDS,
    "history": HISTORY_FIELDS,
    "plan": PLAN_FIELDS,
    "scores": SCORE_FIELDS,
}
