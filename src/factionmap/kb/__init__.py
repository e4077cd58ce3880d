"""Actor knowledge base: canonical actors, aliases, memberships and leaders."""

from factionmap.kb.base import KbActor, KnowledgeBase, Tenure, default_kb
from factionmap.kb.names import name_key

__all__ = ["KbActor", "KnowledgeBase", "Tenure", "default_kb", "name_key"]
