"""Typed relations between two skills: substitute, narrower, broader, version.

Related credit is partial credit and never a match of the same skill: a person with Tableau
gets something for a Power BI requirement (substitute: BI software), a Django developer most of
the credit for a Python requirement (narrower: Django implies Python), a Python developer little
for a Django requirement (broader), a Python 2 developer much for Python 3 (version). Which
relation holds comes only from the knowledge base and the user's own relations, never from
co-occurrence in the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

KINDS = ("substitute", "narrower", "broader", "version")
# How far "implies" links are followed: Next.js -> React -> JavaScript is two steps.
MAX_DEPTH = 3
# A node of `ancestors`: a concept id, or a concept's row in the knowledge-base build.
Node = TypeVar("Node", str, int)


@dataclass(frozen=True)
class RelationCredits:
    """The share of a full match that each relation earns (0 turns a kind off)."""

    substitute: float = 0.5
    narrower: float = 0.8
    broader: float = 0.2
    version: float = 0.8

    def __post_init__(self) -> None:
        for kind in KINDS:
            value = getattr(self, kind)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"relation credit '{kind}' must be from 0 to 1, not {value}")

    def of(self, kind: str) -> float:
        """The credit of one kind."""
        return float(getattr(self, kind))


@dataclass(frozen=True)
class Relation:
    """How an offered skill relates to a required one.

    kind: "substitute" | "narrower" (the offered skill is narrower and implies the required
    one) | "broader" (the offered skill is broader) | "version" (same product, other version).
    via: what links them, for people ("BI software", "Django implies Python", "Python").
    credit: the share of a full match it earns, from RelationCredits.
    """

    kind: str
    via: str
    credit: float


def ancestors(
    nodes: Iterable[Node], parents: Callable[[Node], Iterable[Node]], depth: int = MAX_DEPTH
) -> dict[Node, Node]:
    """Every node reachable upward within `depth` steps, mapped to the start node it came from.

    Breadth first, in sorted order, so the recorded path is the same on every run."""
    found: dict[Node, Node] = {}
    frontier = [(n, n) for n in sorted(set(nodes))]
    for _ in range(depth):
        step: list[tuple[Node, Node]] = []
        for node, origin in frontier:
            for parent in sorted(parents(node)):
                if parent not in found:
                    found[parent] = origin
                    step.append((parent, origin))
        frontier = step
    return found


def substitute_via(a_groups: Iterable[str], b_groups: Iterable[str]) -> str | None:
    """The first family two concepts share, in name order, or None."""
    common = sorted(set(a_groups) & set(b_groups))
    return common[0] if common else None
