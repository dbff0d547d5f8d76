"""Skill intelligence: a shipped knowledge base of skills, local resolution of spellings to
concepts, and typed relations between concepts (substitute, narrower, broader, version).

Self-contained: nothing here imports other gigmatch modules, so the scoring engine can build on
it. Typical use::

    from gigmatch.skillkb import Resolver, load_knowledge
    r = Resolver(load_knowledge(), aliases={"Power BI": ["pbi"]})
    r.resolve("Tableau Software").display          # 'Tableau'
    r.relation("power-bi", "tableau")              # Relation('substitute', 'BI software', 0.5)
"""

from gigmatch.skillkb.knowledge import Concept, Knowledge, KnowledgeError, load_knowledge
from gigmatch.skillkb.relations import Relation, RelationCredits
from gigmatch.skillkb.resolve import Resolution, Resolver

__all__ = [
    "Concept",
    "Knowledge",
    "KnowledgeError",
    "Relation",
    "RelationCredits",
    "Resolution",
    "Resolver",
    "load_knowledge",
]
