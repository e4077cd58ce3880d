"""The re3d protocol: run the extraction pipeline over re3d documents and score its entities
and relations.

Leave-one-source-out (the default): for each source folder, every model is trained with
``train.models.train_models`` on the other folders plus the other sources (our annotated news
when present, the public sets), into a temporary folder; the pipeline built from that folder
(``load_extractor_from``) extracts the held-out folder, and counts are pooled over folds.
Without LOSO a fixed models folder is scored (by default the shipped models, which
``factionmap train models`` trains on the default re3d folder: in-sample for its documents).

Gold spans are normalised to our span conventions before scoring (no leading article, no
trailing possessive, no title before a person's name: ``train.corpora.normalise_span``), the
same way re3d is normalised for training; relation ends with them. Predicted entities are
mentions of every form (names, unnamed agents, descriptions, pronouns: re3d marks all four);
predicted relations are those not negated. Events are not scored here, so the event
components are not run.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from factionmap.records import Article

if TYPE_CHECKING:
    from factionmap.train.models import Sources

SCORED_RELATIONS = frozenset(RELATION_MAP.values())
NOT_SCORED_HERE = ("fm_events", "fm_event_context")
GOLD_NOTE = ("gold spans normalised to our conventions (no leading article, no trailing "
             "possessive, no title before a person's name)")
Progress = Callable[[str, int, int | None], None]  # (stage, advance, total)


@dataclass(slots=True)
class FoldResult:
    name: str  # the held-out source, or "pooled" / "all"
    trained_on: list[str]
    documents: int
    entities_exact: Table
    entities_overlap: Table
    relations: Table
    actor_relations: Table
    left_out: list[str] = field(default_factory=list)  # components without a model
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "trained_on": self.trained_on,
            "documents": self.documents,
            "components_left_out": self.left_out,
            "seconds": round(self.seconds, 1),
            "entities_exact": table_to_dict(self.entities_exact),
            "entities_overlap": table_to_dict(self.entities_overlap),
            "relations": table_to_dict(self.relations),
            "actor_relations": table_to_dict(self.actor_relations),
        }


@dataclass(slots=True)
class Re3dReport:
    mode: str  # "loso" or "fixed"
    models: str  # what was scored
    folds: list[FoldResult] = field(default_factory=list)
    pooled: FoldResult | None = None
    in_sample_documents: int | None = None  # fixed models: documents the defaults train on

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "models": self.models,
            "gold": GOLD_NOTE,
            "predictions": "mentions of every form; relations not negated",
            "in_sample_documents": self.in_sample_documents,
            "folds": [f.to_dict() for f in self.folds],
            "pooled": self.pooled.to_dict() if self.pooled else None,
        }


def normalised_gold(sources: Sequence[Re3dSource]) -> tuple[list[LabelledSpan], list[SpanPair]]:
    """The gold entities and relations of ``sources`` with spans in our conventions."""
    from factionmap.train.corpora import normalise_span

    spans: list[LabelledSpan] = []
    pairs: list[SpanPair] = []
    texts = {d.id: d.text for s in sources for d in s.documents}

    def cut(doc_id: str, start: int, end: int, label: str | None) -> tuple[int, int]:
        s, e = normalise_span(texts[doc_id], start, end, label)
        return (s, e) if e > s else (start, end)

    for source in sources:
        label_at: dict[tuple[str, int, int], str] = {}
        for g in source.entities:
            label_at.setdefault((g.doc_id, g.start, g.end), g.label)
            spans.append(LabelledSpan(g.doc_id, *cut(g.doc_id, g.start, g.end, g.label),
                                      g.label))
        for r in source.relations:
            subj = cut(r.doc_id, r.subject_start, r.subject_end,
                       label_at.get((r.doc_id, r.subject_start, r.subject_end)))
            obj = cut(r.doc_id, r.object_start, r.object_end,
                      label_at.get((r.doc_id, r.object_start, r.object_end)))
            pairs.append(SpanPair(r.doc_id, r.type, *subj, *obj))
    return spans, pairs


def predict(nlp: Any, documents: Sequence[Any],
            progress: Callable[[int], None] | None = None
            ) -> tuple[list[LabelledSpan], list[SpanPair]]:
    from factionmap.evaluate.extraction import run_pipeline

    articles = [Article(id=d.id, text=d.text, title=d.title, source=d.source)
                for d in documents]
    spans: list[LabelledSpan] = []
    pairs: list[SpanPair] = []
    for x in run_pipeline(nlp, articles, batch_size=8, progress=progress):
        doc_id = x.article.id
        spans.extend(LabelledSpan(doc_id, m.start, m.end, m.label) for m in x.mentions)
        pairs.extend(SpanPair(doc_id, r.type, r.subject.start, r.subject.end,
                              r.object.start, r.object.end)
                     for r in x.relations if r.modality != "negated")
    return spans, pairs


def score_fold(name: str, trained_on: list[str], held_out: Sequence[Re3dSource],
               spans: list[LabelledSpan], pairs: list[SpanPair]) -> FoldResult:
    gold_spans, gold_pairs = normalised_gold(held_out)
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
        left_out=sorted({c for f in folds for c in f.left_out}),
        seconds=sum(f.seconds for f in folds),
    )


def _noop(stage: str, advance: int, total: int | None) -> None:
    return None


def _source_names(sources: Any) -> list[str]:
    names = []
    if sources.news is not None or sources.news_texts:
        names.append("our annotated news (train)")
    if sources.public is not None:
        names.append("public sets")
    return names


def in_sample(sources: Sequence[Re3dSource]) -> int | None:
    """How many of these documents ``factionmap train models`` reads by default."""
    from factionmap.train.models import Sources

    default = Sources.defaults().re3d
    if default is None or not default.is_dir():
        return None
    seen = {d.text for s in read_corpus(default) for d in s.documents}
    return sum(d.text in seen for s in sources for d in s.documents)


def evaluate_re3d(
    root: Path,
    *,
    loso: bool = True,
    models: Path | None = None,
    encoder: str = "spacy",
    training: Sources | None = None,
    on_fold: Callable[[FoldResult], None] | None = None,
    progress: Progress = _noop,
) -> Re3dReport:
    """Score the pipeline on the re3d folder ``root``; see the module docstring.

    ``training``: the sources besides ``root`` that each fold trains on (default: those of
    ``factionmap train models``); its re3d folder is replaced by ``root`` minus the fold.
    """
    from factionmap.evaluate.extraction import scoring_pipeline

    sources = read_corpus(root)
    if not loso:
        started = time.perf_counter()
        pipe = scoring_pipeline(models, encoder, drop=NOT_SCORED_HERE)
        docs = [d for s in sources for d in s.documents]
        progress("extracting", 0, len(docs))
        spans, pairs = predict(pipe.nlp, docs, lambda n: progress("extracting", n, None))
        report = Re3dReport(mode="fixed", models=pipe.describe(),
                            in_sample_documents=in_sample(sources))
        report.pooled = score_fold("all", [], sources, spans, pairs)
        report.pooled.left_out = pipe.left_out
        report.pooled.seconds = time.perf_counter() - started
        return report
    if len(sources) < 2:
        raise ValueError(f"{root}: leave-one-source-out needs at least two source folders")
    from factionmap.train.models import Sources, train_models

    report = Re3dReport(mode="loso", models="trained per fold by train_models")
    for held in sources:
        started = time.perf_counter()
        train = [s.name for s in sources if s is not held]
        fold_sources = replace(training or Sources.defaults(), re3d=root,
                               re3d_exclude=frozenset({held.name}))
        with tempfile.TemporaryDirectory(prefix="re3d-fold-") as tmp:
            folder = Path(tmp)

            def step(stage: str, advance: int, total: int | None, name: str = held.name) -> None:
                progress(f"{name}: {stage}", advance, total)

            train_models(fold_sources, folder, encoder, step)
            pipe = scoring_pipeline(folder, encoder, drop=NOT_SCORED_HERE)
            step("extracting", 0, len(held.documents))
            spans, pairs = predict(pipe.nlp, held.documents,
                                   lambda n: step("extracting", n, None))
        fold = score_fold(held.name, [f"re3d {n}" for n in train] + _source_names(fold_sources),
                          [held], spans, pairs)
        fold.left_out = pipe.left_out
        fold.seconds = time.perf_counter() - started
        report.folds.append(fold)
        if on_fold:
            on_fold(fold)
    report.pooled = pool(report.folds)
    return report


def micro_f1(table: Table) -> float:
    return table[MICRO].f1 if MICRO in table else 0.0
