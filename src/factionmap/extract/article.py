"""``extract_article``: one article run through the extraction pipeline, as plain records.

The components of ``pipeline.cfg`` do the work inside spaCy's pipeline; this module turns
what they assigned into an ``ArticleExtraction`` and runs many articles, in one process or
several (each worker parses *and* extracts, so only small records cross processes).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

import factionmap.extract.components  # noqa: F401 - registers the factories and Doc fields
from factionmap.kb import KnowledgeBase, default_kb
from factionmap.nlp.pipeline import pipe_articles
from factionmap.records import Article, ArticleExtraction, Sentence


def _sentences(doc: Doc, article: Article) -> list[Sentence]:
    out = []
    for sent in doc.sents:
        text = article.text[sent.start_char : sent.end_char]
        if text.strip():
            out.append(Sentence(sent.start_char, sent.end_char, text))
    return out


def _outside_boilerplate(article: Article, start: int, end: int) -> bool:
    return not any(start < e and s < end for s, e in article.boilerplate)


def _complete(doc: Doc, article: Article, kb: KnowledgeBase | None) -> Doc:
    """Run the extraction components a Doc has not been through (a Doc parsed by a bare
    spaCy pipeline, or with another knowledge base)."""
    from factionmap.extract.pipeline import load_extractor

    doc.user_data["fm_article"] = article
    custom_kb = kb is not None and kb is not default_kb()
    if custom_kb:
        doc.user_data["fm_kb"] = kb
    if doc._.fm_events is not None and not custom_kb:
        return doc
    nlp = load_extractor()
    for name, proc in nlp.pipeline:
        if name.startswith("fm_") and (name not in ("fm_kb", "fm_lexicon")
                                       or not doc.spans.get(name.replace("fm_lexicon", "fm_lex"))):
            doc = proc(doc)
    return doc


def extract_article(
    doc: Doc, article: Article, kb: KnowledgeBase | None = None
) -> ArticleExtraction:
    """Sentences, mentions, relations and events of one article."""
    doc = _complete(doc, article, kb)
    relations = list(doc._.fm_relations or [])
    events = list(doc._.fm_events or [])
    mentions = list(doc._.fm_mentions or [])
    if article.boilerplate:
        relations = [r for r in relations
                     if _outside_boilerplate(article, r.subject.start, r.object.end)]
        events = [e for e in events
                  if _outside_boilerplate(article, e.trigger.start, e.trigger.end)]
    return ArticleExtraction(
        article=article,
        sentences=_sentences(doc, article),
        mentions=mentions,
        relations=relations,
        events=events,
    )


def extract_articles(
    articles: Iterable[Article],
    nlp: Language | None = None,
    kb: KnowledgeBase | None = None,
    *,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[ArticleExtraction]:
    """Run the pipeline over articles in batches and extract each, in input order."""
    if nlp is None:
        from factionmap.extract.pipeline import load_extractor

        nlp = load_extractor()
    if n_process <= 1:
        for article, doc in pipe_articles(nlp, articles, batch_size=batch_size):
            yield extract_article(doc, article, kb)
        return
    yield from _extract_in_workers(articles, nlp, kb, n_process, batch_size)


# The worker's pipeline and KB: set in the parent before forking (copy-on-write), or by the
# pool initializer where processes are spawned.
_WORKER: dict[str, object] = {}


def _init_worker(nlp: Language, kb: KnowledgeBase | None) -> None:
    _WORKER["nlp"], _WORKER["kb"] = nlp, kb


def _extract_batch(batch: list[Article]) -> list[ArticleExtraction]:
    nlp, kb = _WORKER["nlp"], _WORKER["kb"]
    return [extract_article(doc, article, kb)  # type: ignore[arg-type]
            for article, doc in pipe_articles(nlp, batch)]  # type: ignore[arg-type]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _extract_in_workers(
    articles: Iterable[Article],
    nlp: Language,
    kb: KnowledgeBase | None,
    n_process: int,
    batch_size: int,
) -> Iterator[ArticleExtraction]:
    if "fork" in multiprocessing.get_all_start_methods():
        _init_worker(nlp, kb)  # inherited by the forked workers
        pool = multiprocessing.get_context("fork").Pool(n_process)
    else:
        pool = multiprocessing.get_context("spawn").Pool(
            n_process, initializer=_init_worker, initargs=(nlp, kb)
        )
    with pool:
        for results in pool.imap(_extract_batch, _batches(articles, batch_size)):
            yield from results
