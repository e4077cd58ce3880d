"""Run an extractor over gold articles and score it; folds by outlet for cross-validation."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from factionmap.evaluate.newsgold.loader import GoldArticle
from factionmap.evaluate.newsgold.scoring import (
    PredEntity,
    PredEvent,
    Prediction,
    PredRelation,
    Scores,
    score,
)
from factionmap.records import ArticleExtraction

CV_FOLDS = 5
CV_SEED = 20261207

# Extracts each article; yields one extraction per article, in order.
Extractor = Callable[[Sequence[GoldArticle]], Iterator[ArticleExtraction]]
# Trains on some gold articles and returns the extractor to test with.
Trainer = Callable[[Sequence[GoldArticle]], Extractor]


def outlet_fold(outlet: str, folds: int = CV_FOLDS, seed: int = CV_SEED) -> int:
    h = hashlib.sha256(f"{seed}:{outlet}".encode()).digest()
    return int.from_bytes(h[:8], "big") % folds


def as_prediction(extraction: ArticleExtraction, article_id: str) -> Prediction:
    def off(span) -> tuple[int, int]:  # type: ignore[no-untyped-def]
        return span.start, span.end

    return Prediction(
        article=article_id,
        entities=[PredEntity(m.start, m.end, m.label) for m in extraction.mentions
                  if m.form == "name"],
        relations=[PredRelation(r.type, off(r.subject), off(r.object), r.modality,
                                r.confidence) for r in extraction.relations],
        events=[PredEvent(off(e.trigger), e.type, tuple(off(s) for s in e.sources),
                          tuple(off(t) for t in e.targets), e.modality)
                for e in extraction.events],
    )


def pipeline_extractor(n_process: int = 1,
                       progress: Callable[[int], None] | None = None,
                       models: Path | None = None, encoder: str | None = None) -> Extractor:
    """The pipeline (shipped models, or those in ``models``), run on the articles as the
    JSONL reader would build them."""

    def run(articles: Sequence[GoldArticle]) -> Iterator[ArticleExtraction]:
        from factionmap.extract.article import extract_articles
        from factionmap.extract.pipeline import load_extractor, load_extractor_from
        from factionmap.sources.article import Origin, make_article, parse_date

        nlp = load_extractor_from(models, encoder=encoder) if models is not None \
            else load_extractor()
        origin = Origin(path="allsides-sample.jsonl.gz", today=dt.date.today())
        built = [make_article(a.text, origin, title=a.row.title or None,
                              date=parse_date(a.row.date), source=a.row.source,
                              url=a.row.url) for a in articles]
        for i, extraction in enumerate(extract_articles(built, nlp, n_process=n_process)):
            if progress:
                progress(i + 1)
            yield extraction

    return run


def evaluate(articles: Sequence[GoldArticle], extractor: Extractor) -> Scores:
    predictions = {
        a.gold.article: as_prediction(x, a.gold.article)
        for a, x in zip(articles, extractor(articles), strict=True)
    }
    return score(articles, predictions)


def cross_validate(articles: Sequence[GoldArticle], trainer: Trainer | None,
                   extractor: Extractor, folds: int = CV_FOLDS) -> tuple[Scores, list[Scores]]:
    """Folds by outlet; with a trainer, each fold is scored by a model trained on the others
    (without one, the same extractor scores every fold: nothing was fit to these articles)."""
    per_fold, predictions = [], {}
    for k in range(folds):
        test = [a for a in articles if outlet_fold(a.gold.outlet, folds) == k]
        train = [a for a in articles if outlet_fold(a.gold.outlet, folds) != k]
        run = trainer(train) if trainer else extractor
        fold_pred = {a.gold.article: as_prediction(x, a.gold.article)
                     for a, x in zip(test, run(test), strict=True)}
        per_fold.append(score(test, fold_pred))
        predictions.update(fold_pred)
    return score(articles, predictions), per_fold


def learned_trainer(encoder: str = "spacy") -> Trainer:
    """Trains every model on the given articles (plus re3d and the public sets) and returns
    the pipeline that uses them: cross-validation of what ``factionmap train models`` does."""

    def train(articles: Sequence[GoldArticle]) -> Extractor:
        import tempfile

        from factionmap.train.corpora import from_gold
        from factionmap.train.models import Sources, train_models

        folder = Path(tempfile.mkdtemp(prefix="factionmap-cv-"))
        sources = Sources.defaults()
        sources.news_texts = from_gold(articles)
        train_models(sources, folder, encoder)
        return pipeline_extractor(models=folder, encoder=encoder)

    return train
