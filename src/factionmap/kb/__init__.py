"""Actor knowledge base: canonical actors, aliases, memberships and leaders."""

from factionmap.kb.agents import GenericAgent
from factionmap.kb.base import CodeTenure, KbActor, KbDataError, KnowledgeBase, Tenure, default_kb
from factionmap.kb.names import name_key

__all__ = [
    "CodeTenure",
    "GenericAgent",
    "KbActor",
    "KbDataError",
    "KnowledgeBase",
    "Tenure",
    "default_kb",
    "name_key",
]
