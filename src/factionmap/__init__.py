"""factionmap: news articles in, an evidence-backed map of armed factions out."""

__version__ = "0.1.0"
