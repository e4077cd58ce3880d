"""The spaCy pipeline: built in one place, run in batches."""

from factionmap.nlp.pipeline import load_pipeline, masked_text, pipe_articles

__all__ = ["load_pipeline", "pipe_articles", "masked_text"]
