"""Learned refinements of rule-based extraction (trained on re3d; weights in factionmap/models).

Hooks called by ``extract.article.extract_article``; without weights they pass input through.
"""

from __future__ import annotations

from spacy.tokens import Doc

from factionmap.extract.learned.entities import TaggedSpan, merge_mentions
from factionmap.extract.learned.models import (
    NO_MODELS,
    LearnedModels,
    active_models,
    load_models,
    shipped_models,
    using_models,
)
from factionmap.extract.learned.relations import merge_relations
from factionmap.records import Mention, Relation

__all__ = [
    "NO_MODELS",
    "LearnedModels",
    "active_models",
    "load_models",
    "refine_mentions",
    "score_relations",
    "shipped_models",
    "using_models",
]


def refine_mentions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Add, drop or re-label mention spans with the learned tagger, when its weights exist."""
    tagger = active_models().entities
    if tagger is None:
        return mentions
    rule = [TaggedSpan(m.start, m.end, m.label) for m in mentions]
    return merge_mentions(doc, mentions, tagger.tag(doc, rule))


def score_relations(doc: Doc, mentions: list[Mention], relations: list[Relation]) -> list[Relation]:
    """Score dependency-path candidates with the learned relation model, when its weights exist."""
    model = active_models().relations
    if model is None:
        return relations
    return merge_relations(relations, model.predict(doc, mentions))
