"""The ingest orchestrator: sources -> nlp.pipe -> extract -> resolve -> store.

A bad file or row becomes one error line naming it and the reason; the batch goes on.
Each article is stored in its own transaction, so a failure rolls back that article only.
Articles already in the store are skipped before parsing (re-ingesting changes nothing).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from factionmap.config import DEFAULT_MODEL
from factionmap.records import Article, ArticleExtraction, ReadError

if TYPE_CHECKING:
    from factionmap.kb import KnowledgeBase
    from factionmap.resolve.actors import ActorResolver
    from factionmap.store.db import Store


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    corrections_replayed: int = 0
    correction_failures: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)

    def line(self) -> str:
        return (
            f"{self.ingested} ingested, {self.duplicates} duplicates skipped, {self.failed} failed"
        )


def _where(article: Article) -> str:
    path = article.path or article.id
    return f"{path}:{article.row}" if article.row is not None else path


def _new_articles(
    items: Iterable[Article | ReadError],
    store: Store,
    summary: IngestSummary,
    progress: Progress,
    task: TaskID,
) -> Iterator[Article]:
    """Articles not yet stored; read errors and duplicates are counted on the way."""
    from factionmap.store.ingest import has_document

    seen: set[str] = set()
    for item in items:
        if isinstance(item, ReadError):
            summary.fail(str(item))
            progress.advance(task)
            continue
        with store.session() as session:
            duplicate = item.id in seen or has_document(session, item.id)
        if duplicate:
            summary.duplicates += 1
            progress.advance(task)
            continue
        seen.add(item.id)
        yield item


def store_extraction(
    store: Store, extraction: ArticleExtraction, resolver: ActorResolver, summary: IngestSummary
) -> None:
    """Write one extraction in its own transaction and count the outcome."""
    from factionmap.store.ingest import ingest_extraction

    try:
        with store.session() as session:
            outcome = ingest_extraction(session, extraction, resolver)
    except Exception as exc:  # one article's failure must not stop the batch
        resolver.forget()  # cached actor ids may belong to the rolled-back transaction
        summary.fail(f"{_where(extraction.article)}: could not store: {type(exc).__name__}: {exc}")
        return
    if outcome == "duplicate":
        summary.duplicates += 1
    else:
        summary.ingested += 1
        summary.document_ids.append(extraction.article.id)


def _progress(enabled: bool) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    model: str = DEFAULT_MODEL,
    n_process: int = 1,
    progress: bool = True,
    kb: KnowledgeBase | None = None,
) -> IngestSummary:
    """Read, parse, extract, resolve and store every article under ``paths``."""
    # imported here: sibling stages are heavy (spaCy) and the CLI should start fast
    from factionmap.extract import extract_article
    from factionmap.extract.pipeline import load_extractor
    from factionmap.kb import default_kb
    from factionmap.nlp import pipe_articles
    from factionmap.resolve.actors import ActorResolver
    from factionmap.sources import read_paths

    kb = kb or default_kb()
    resolver = ActorResolver(kb)
    summary = IngestSummary()
    nlp = load_extractor(model)
    with _progress(progress) as bar:
        task = bar.add_task("ingesting", total=None)
        articles = _new_articles(
            read_paths([os.fspath(p) for p in paths]), store, summary, bar, task
        )
        for article, doc in pipe_articles(nlp, articles, n_process=n_process):
            try:
                extraction = extract_article(doc, article, kb)
            except Exception as exc:  # a bug on one article is reported, not fatal
                summary.fail(f"{_where(article)}: extraction failed: {type(exc).__name__}: {exc}")
            else:
                store_extraction(store, extraction, resolver, summary)
            bar.advance(task)
            bar.update(task, description=f"ingesting ({summary.line()})")
    if summary.ingested:
        replay_trail(store, summary)
    return summary


def replay_trail(store: Store, summary: IngestSummary) -> None:
    """Re-apply the analysts' corrections so merges, splits, rejections and aliases
    also hold for the rows just written (one transaction)."""
    from factionmap.analysis.corrections import replay_corrections

    with store.session() as session:
        report = replay_corrections(session)
    summary.corrections_replayed = report.applied
    summary.correction_failures = [f"correction {cid}: {why}" for cid, why in report.failed]
