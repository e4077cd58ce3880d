"""Our spaCy components, added after the statistical pipeline."""

from __future__ import annotations

from spacy.language import Language


def add_components(nlp: Language) -> None:
    """Hook for factionmap components (KB entity ruler etc.)."""
    return None
