"""The package reads as the pipeline: every import points down it, never up.

read → skills → score → plan | insights → present → api → cli. A module may import its own
package and the packages before it; `plan` and `insights` are siblings that do not import each
other. Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gigmatch"
LAYERS = {
    "errors": 0,
    "records": 0,
    "steps": 0,
    "read": 1,
    "skills": 2,
    "score": 3,
    "plan": 4,
    "insights": 4,
    "present": 5,
    "api": 6,
    "cli": 7,
}


def unit_of(module: str) -> str | None:
    """`gigmatch.score.ranking` -> `score`; the package itself (`gigmatch`) -> None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "gigmatch" else None


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every `import gigmatch…` and `from gigmatch… import` in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gigmatch"):
            names = [f"{node.module}.{a.name}" for a in node.names]
            found += [
                (node.lineno, n if unit_of(node.module) is None else node.module) for n in names
            ]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("gigmatch")]
    return found


def modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py") or p.parent != PACKAGE
    )


def test_every_module_belongs_to_a_layer():
    for path in modules():
        unit = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert unit in LAYERS, f"{path.relative_to(PACKAGE)} is in no layer of the pipeline"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_pipeline(path: Path):
    here = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    bad = []
    for line, module in imports(path):
        there = unit_of(module)
        if there is None or there == here or there not in LAYERS:
            continue
        if LAYERS[there] >= LAYERS[here]:
            bad.append(f"line {line}: {module} ({there}) from {here}")
    assert not bad, "imports pointing up or across the pipeline:\n" + "\n".join(bad)
