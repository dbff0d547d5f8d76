"""gigmatch: match freelancers to projects.

The library behind the `gigmatch` command. The names below are imported lazily, so that
`import gigmatch` (and `gigmatch --version`) stays instant:

    import gigmatch
    ranked = gigmatch.match("examples/projects.csv", "examples/people.csv", top=3)
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "match": "gigmatch.api",
    "rank": "gigmatch.api",
    "assign": "gigmatch.api",
    "diff": "gigmatch.api",
    "check": "gigmatch.api",
    "vocabulary": "gigmatch.api:skills",
    "explain": "gigmatch.api",
    "tune": "gigmatch.api",
    "forecast": "gigmatch.api",
    "price": "gigmatch.api",
    "report": "gigmatch.api",
    "settings": "gigmatch.api",
    "find_config": "gigmatch.read.config",
    "read_input": "gigmatch.score.ranking:read",
    "Table": "gigmatch.read.schema",
    "Controls": "gigmatch.plan.staffing",
    "Config": "gigmatch.read.config",
    "load_config": "gigmatch.read.config",
    "GigmatchError": "gigmatch.errors",
    "InputError": "gigmatch.errors",
    "UsageError": "gigmatch.errors",
    "ConfigError": "gigmatch.errors",
    "InfeasibleError": "gigmatch.errors",
    "Problem": "gigmatch.errors",
    "ExitCode": "gigmatch.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        module, _, attribute = _EXPORTS[name].partition(":")
        return getattr(importlib.import_module(module), attribute or name)
    raise AttributeError(f"module 'gigmatch' has no attribute {name!r}")
