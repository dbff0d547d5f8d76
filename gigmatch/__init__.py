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
    "match": "gigmatch.ranking",
    "read": "gigmatch.ranking",
    "assign": "gigmatch.plan",
    "Controls": "gigmatch.plan",
    "check": "gigmatch.hygiene",
    "explain": "gigmatch.explain",
    "tune": "gigmatch.tune",
    "forecast": "gigmatch.forecast",
    "price": "gigmatch.pricing",
    "Config": "gigmatch.config",
    "load_config": "gigmatch.config",
    "GigmatchError": "gigmatch.errors",
    "InputError": "gigmatch.errors",
    "ConfigError": "gigmatch.errors",
    "InfeasibleError": "gigmatch.errors",
    "Problem": "gigmatch.errors",
    "ExitCode": "gigmatch.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'gigmatch' has no attribute {name!r}")
