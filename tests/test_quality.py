"""The code base keeps its own standards: doctests pass, ruff is clean."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import shutil
import subprocess
from pathlib import Path

import pytest

import gigmatch

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(m.name for m in pkgutil.walk_packages(gigmatch.__path__, "gigmatch."))


@pytest.mark.parametrize("name", [m for m in MODULES if not m.endswith("__main__")])
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_ruff(command):
    result = subprocess.run(["ruff", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("mypy") is None, reason="mypy is not installed")
def test_mypy_on_the_library():
    result = subprocess.run(["mypy", "gigmatch"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
