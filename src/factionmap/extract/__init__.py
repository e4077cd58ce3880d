"""Per-article extraction (pure: no database): mentions, links, relations, events, modality."""

from factionmap.extract.article import extract_article, extract_articles
from factionmap.extract.coref import link_mentions
from factionmap.extract.mentions import find_mentions
from factionmap.extract.modality import modality_for
from factionmap.extract.relations import find_relations
from factionmap.extract.serialize import extraction_to_dict

__all__ = [
    "extract_article",
    "extract_articles",
    "extraction_to_dict",
    "find_mentions",
    "find_relations",
    "link_mentions",
    "modality_for",
]
