"""The re3d protocol: run extraction over re3d documents and score entities and relations.

Learned parts are scored leave-one-source-out: for each source folder, models are trained on
the other folders (in-process, into a temporary folder), extraction runs with them on the
held-out folder, and counts are pooled over folds. Without LOSO the shipped weights are used,
which were trained on every folder given to ``factionmap train re3d`` (in-sample if that is
this data).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from factionmap.evaluate.re3d_data import RELATION_MAP, Re3dSource, read_corpus
from factionmap.evaluate.scoring import (
    ACTOR_RELATIONS,
    MICRO,
    LabelledSpan,
    SpanPair,
    Table,
    merge_tables,
    score_relations,
    score_spans_exact,
    score_spans_overlap,
    table_to_dict,
)
from factionmap.extract.learned import (
    NO_MODELS,
    LearnedModels,
    load_models,
    refine_mentions,
    shipped_models,
    using_models,
)
from factionmap.extract.learned import (
    score_relations as learned_relations,
)
from factionmap.extract.learned.entities import ENTITY_MODEL_FILE, TaggedSpan, train_entity_tagger
from factionmap.extract.learned.relations import GoldPair, PairMention, train_relation_model
from factionmap.extract.mentions import NER_LABELS
from factionmap.kb import KnowledgeBase, default_kb
from factionmap.nlp import load_pipeline
from factionmap.nlp.pipeline import pipe_articles
from factionmap.records import Article, ArticleExtraction, Mention

SCORED_RELATIONS = frozenset(RELATION_MAP.values())
ParsedCorpus = dict[str, tuple[Article, Doc]]  # re3d document id -> (article, parsed doc)


@dataclass(slots=True)
class FoldResult:
    name: str  # the held-out source, or "pooled" / "all"
    trained_on: list[str]
    documents: int
    entities_exact: Table
    entities_overlap: Table
    relations: Table
    actor_relations: Table

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "trained_on": self.trained_on,
            "documents": self.documents,
            "entities_exact": table_to_dict(self.entities_exact),
            "entities_overlap": table_to_dict(self.entities_overlap),
            "relations": table_to_dict(self.relations),
            "actor_relations": table_to_dict(self.actor_relations),
        }


@dataclass(slots=True)
class Re3dReport:
    mode: str  # "loso", "shipped" or "rules-only"
    folds: list[FoldResult] = field(default_factory=list)
    pooled: FoldResult | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "folds": [f.to_dict() for f in self.folds],
            "pooled": self.pooled.to_dict() if self.pooled else None,
        }


def parse_corpus(nlp: Language, sources: Sequence[Re3dSource]) -> ParsedCorpus:
    articles = [
        Article(id=d.id, text=d.text, title=d.title, source=d.source)
        for s in sources
        for d in s.documents
    ]
    return {article.id: (article, doc) for article, doc in pipe_articles(nlp, articles)}


def train_models(
    sources: Sequence[Re3dSource], parsed: ParsedCorpus, out_dir: Path
) -> LearnedModels:
    """Train the entity tagger and relation model on ``sources`` and write both to ``out_dir``."""
    ent_examples = []
    rel_groups: list[list[tuple[Doc, list[PairMention], list[GoldPair]]]] = []
    for source in sources:
        rel_examples: list[tuple[Doc, list[PairMention], list[GoldPair]]] = []
        rel_groups.append(rel_examples)
        ents_by_doc: dict[str, list[TaggedSpan]] = {}
        for e in source.entities:
            ents_by_doc.setdefault(e.doc_id, []).append(TaggedSpan(e.start, e.end, e.label))
        rels_by_doc: dict[str, list[GoldPair]] = {}
        for r in source.relations:
            rels_by_doc.setdefault(r.doc_id, []).append(
                GoldPair(r.type, (r.subject_start, r.subject_end), (r.object_start, r.object_end))
            )
        for d in source.documents:
            doc = parsed[d.id][1]
            spans = ents_by_doc.get(d.id, [])
            rule = [
                TaggedSpan(m.start, m.end, m.label) for m in rule_mentions(doc, parsed[d.id][0])
            ]
            ent_examples.append((doc, spans, rule))
            mentions = [PairMention(s.start, s.end, s.label) for s in spans]
            rel_examples.append((doc, mentions, rels_by_doc.get(d.id, [])))
    train_entity_tagger(ent_examples, out_dir / ENTITY_MODEL_FILE)
    all_rel = [ex for group in rel_groups for ex in group]
    train_relation_model(all_rel, rel_groups).save(out_dir / "re3d_relations.joblib")
    return load_models(out_dir)


# The bare-spaCy baseline maps entity labels as extraction does, but leaves out bare numbers:
# extraction keeps a CARDINAL/PERCENT only with a counted noun, a rule the baseline lacks.
_SPACY_LABELS = {k: v for k, v in NER_LABELS.items() if k not in ("PERCENT", "CARDINAL")}


def rule_mentions(doc: Doc, article: Article, kb: KnowledgeBase | None = None) -> list[Mention]:
    """The rule-based mentions the tagger sees as features (spaCy NER if extract is absent)."""
    try:
        from factionmap.extract.mentions import find_mentions
    except ImportError:
        return _spacy_mentions(doc)
    return find_mentions(doc, article, kb or default_kb())


def _spacy_mentions(doc: Doc) -> list[Mention]:
    return [
        Mention(e.start_char, e.end_char, e.text, _SPACY_LABELS[e.label_])  # type: ignore[arg-type]
        for e in doc.ents
        if e.label_ in _SPACY_LABELS
    ]


def _fallback_extract(doc: Doc, article: Article, kb: KnowledgeBase) -> ArticleExtraction:
    """spaCy NER plus the learned hooks, used when the rule-based extractor is not installed."""
    mentions = refine_mentions(doc, _spacy_mentions(doc))
    return ArticleExtraction(
        article, mentions=mentions, relations=learned_relations(doc, mentions, [])
    )


def extractor() -> Callable[[Doc, Article, KnowledgeBase], ArticleExtraction]:
    try:
        from factionmap.extract.article import extract_article
    except ImportError:
        return _fallback_extract
    return extract_article


def predict(
    parsed: ParsedCorpus, doc_ids: Sequence[str], models: LearnedModels, kb: KnowledgeBase
) -> tuple[list[LabelledSpan], list[SpanPair]]:
    extract = extractor()
    spans: list[LabelledSpan] = []
    pairs: list[SpanPair] = []
    with using_models(models):
        for doc_id in doc_ids:
            article, doc = parsed[doc_id]
            result = extract(doc, article, kb)
            spans.extend(LabelledSpan(doc_id, m.start, m.end, m.label) for m in result.mentions)
            pairs.extend(
                SpanPair(
                    doc_id, r.type, r.subject.start, r.subject.end, r.object.start, r.object.end
                )
                for r in result.relations
            )
    return spans, pairs


def score_fold(
    name: str,
    trained_on: list[str],
    held_out: Sequence[Re3dSource],
    spans: list[LabelledSpan],
    pairs: list[SpanPair],
) -> FoldResult:
    gold_spans = [
        LabelledSpan(e.doc_id, e.start, e.end, e.label) for s in held_out for e in s.entities
    ]
    gold_pairs = [
        SpanPair(r.doc_id, r.type, r.subject_start, r.subject_end, r.object_start, r.object_end)
        for s in held_out
        for r in s.relations
    ]
    return FoldResult(
        name=name,
        trained_on=trained_on,
        documents=sum(len(s.documents) for s in held_out),
        entities_exact=score_spans_exact(gold_spans, spans),
        entities_overlap=score_spans_overlap(gold_spans, spans),
        relations=score_relations(gold_pairs, pairs, SCORED_RELATIONS),
        actor_relations=score_relations(gold_pairs, pairs, ACTOR_RELATIONS),
    )


def pool(folds: Sequence[FoldResult]) -> FoldResult:
    return FoldResult(
        name="pooled",
        trained_on=[],
        documents=sum(f.documents for f in folds),
        entities_exact=merge_tables(f.entities_exact for f in folds),
        entities_overlap=merge_tables(f.entities_overlap for f in folds),
        relations=merge_tables(f.relations for f in folds),
        actor_relations=merge_tables(f.actor_relations for f in folds),
    )


def evaluate_re3d(
    root: Path,
    *,
    loso: bool = True,
    learned: bool = True,
    nlp: Language | None = None,
    kb: KnowledgeBase | None = None,
    on_fold: Callable[[FoldResult], None] | None = None,
) -> Re3dReport:
    """Score extraction on the re3d folder ``root``; see the module docstring for the protocol."""
    sources = read_corpus(root)
    nlp = nlp or load_pipeline()
    kb = kb or default_kb()
    parsed = parse_corpus(nlp, sources)
    if not learned or not loso:
        report = Re3dReport(mode="shipped" if learned else "rules-only")
        models = shipped_models() if learned else NO_MODELS
        ids = [d.id for s in sources for d in s.documents]
        spans, pairs = predict(parsed, ids, models, kb)
        report.pooled = score_fold("all", [], sources, spans, pairs)
        return report
    if len(sources) < 2:
        raise ValueError(f"{root}: leave-one-source-out needs at least two source folders")
    report = Re3dReport(mode="loso")
    for held in sources:
        train = [s for s in sources if s is not held]
        with tempfile.TemporaryDirectory(prefix="re3d-fold-") as tmp:
            models = train_models(train, parsed, Path(tmp))
            spans, pairs = predict(parsed, [d.id for d in held.documents], models, kb)
        fold = score_fold(held.name, [s.name for s in train], [held], spans, pairs)
        report.folds.append(fold)
        if on_fold:
            on_fold(fold)
    report.pooled = pool(report.folds)
    return report


def micro_f1(table: Table) -> float:
    return table[MICRO].f1 if MICRO in table else 0.0
