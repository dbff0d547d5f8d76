"""Skills: spellings resolved to concepts of a shipped knowledge base, typed relations between
them, the skill index of a run and the vocabulary report.

The knowledge-base modules (`knowledge`, `text`, `resolve`, `relations`) import nothing else
from gigmatch, so they can be tested and benchmarked alone. Typical use::

    from gigmatch.skills import Resolver, load_knowledge
    r = Resolver(load_knowledge(), aliases={"Power BI": ["pbi"]})
    r.resolve("Tableau Software").display          # 'Tableau'
    r.relation("power-bi", "tableau")              # Relation('substitute', 'BI software', 0.5)
"""

from gigmatch.skills.knowledge import Concept, Knowledge, KnowledgeError, load_knowledge
from gigmatch.skills.relations import Relation, RelationCredits
from gigmatch.skills.resolve import Resolution, Resolver

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
