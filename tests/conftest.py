"""Shared fixtures: small named data sets written as real files."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

PROJECTS = """\
id,title,skills,nice_to_have,budget,hours,team_size,timezone,client
P1,Shop front,React:4; PostgreSQL,Docker,$60,20,1,Europe/Berlin,Acme
P2,Data pipeline,Python; SQL,,USD 80,30,2,UTC-5,Globex
P3,Brand refresh,UX design; Figma,,50,10,1,,Initech
"""

PEOPLE = """\
id,name,skills,rate,hours,rating,reviews,on_time,timezone,capacity,email
F1,Ann Lee,ReactJS:5; Postgres; Docker,55,30,4.8,150,95%,Europe/Paris,1,ann@example.com
F2,Bo Chen,React Native; Java,40,40,5.0,1,1.0,Asia/Shanghai,1,bo@example.com
F3,Cy Diaz,Pyhton; SQL; JavaScript,70,40,4.5,20,0.9,America/New_York,2,cy@example.com
F4,Di Eze,UI design; Figma; Excel,45,10,,,,,1,di@example.com
F5,Ed Fox,python3; MySQL,90,40,4.9,80,98%,UTC-5,1,ed@example.com
"""


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def projects_csv(tmp_path: Path) -> Path:
    return write(tmp_path, "projects.csv", PROJECTS)


@pytest.fixture
def people_csv(tmp_path: Path) -> Path:
    return write(tmp_path, "people.csv", PEOPLE)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory, monkeypatch):
    """Config discovery looks beyond the folder a test runs in ($GIGMATCH_CONFIG, the user
    config folder): point both away from the machine's own settings."""
    monkeypatch.delenv("GIGMATCH_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
