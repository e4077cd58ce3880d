"""Per-article extraction (pure: no database): the components of ``pipeline.cfg`` find
mentions, relations, events and their modality; ``extract_articles`` runs them."""

from factionmap.extract.article import extract_article, extract_articles
from factionmap.extract.serialize import extraction_to_dict

__all__ = ["extract_article", "extract_articles", "extraction_to_dict"]
