"""The ingest orchestrator: sources -> extraction (here, in worker processes, or on Ray) ->
one writer that resolves and stores the results in input order.

A bad file or row becomes one error line naming it and the reason; the batch goes on.
Lines are printed as they happen (a crash or a kill loses none of them), as plain text:
console markup or emoji codes in a file name are shown, not interpreted. Each article is
written inside its own savepoint of a batch transaction, so a failure rolls back that
article only. Articles already in the store are skipped before parsing (re-ingesting
changes nothing), and one that another process stores meanwhile is counted as a duplicate.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
from rich.text import Text

from factionmap.config import DEFAULT_MODEL
from factionmap.parallel import BATCH_SIZE
from factionmap.records import Article, ReadError, ReadWarning, exception_line, one_line

if TYPE_CHECKING:
    from factionmap.kb import KnowledgeBase
    from factionmap.parallel import Extracted, Extractor
    from factionmap.store.db import Store
    from factionmap.store.ingest import Written


@dataclass
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    corrections_replayed: int = 0
    correction_failures: list[str] = field(default_factory=list)
    console: Console | None = None  # where error and warning lines go as they happen

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(one_line(message))
        self._say("error: ", "red", self.errors[-1])

    def warn(self, message: str) -> None:
        self.warnings.append(one_line(message))
        self._say("warning: ", "yellow", self.warnings[-1])

    def _say(self, label: str, style: str, message: str) -> None:
        if self.console is not None:
            # a Text is printed as it is: no markup, no emoji codes, no highlighting
            self.console.print(Text.assemble((label, style), message), soft_wrap=True)

    def line(self) -> str:
        warned = f", {len(self.warnings)} warnings" if self.warnings else ""
        return (
            f"{self.ingested} ingested, {self.duplicates} duplicates skipped, "
            f"{self.failed} failed{warned}"
        )

    def count(self, written: Written) -> None:
        """Add what the writer did with one article."""
        article = written.extraction.article
        if written.error is not None:
            self.fail(f"{_where(article)}: could not store: {exception_line(written.error)}")
        elif written.outcome == "duplicate":
            self.duplicates += 1
        else:
            self.ingested += 1
            self.document_ids.append(article.id)


def default_processes() -> int:
    """Extraction processes when none are asked for: one per core."""
    return max(1, os.cpu_count() or 1)


def _where(article: Article) -> str:
    path = article.path or article.id
    return f"{path}:{article.row}" if article.row is not None else path


def _new_articles(
    items: Iterable[Article | ReadError | ReadWarning],
    store: Store,
    summary: IngestSummary,
    progress: Progress,
    task: TaskID,
) -> Iterator[Article]:
    """Articles not yet stored; read errors, warnings and duplicates are counted on the way."""
    from factionmap.store.ingest import has_document

    seen: set[str] = set()
    with store.session() as session:
        for item in items:
            if isinstance(item, ReadError):
                summary.fail(str(item))
                progress.advance(task)
                continue
            if isinstance(item, ReadWarning):
                summary.warn(str(item))
                continue
            if item.id in seen or has_document(session, item.id):
                summary.duplicates += 1
                progress.advance(task)
                continue
            seen.add(item.id)
            yield item
            session.rollback()  # end the read transaction: see what others commit meanwhile


def _progress(enabled: bool, console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not enabled,
        transient=False,
    )


def ingest_paths(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    **options: Any,
) -> IngestSummary:
    """Read, extract, resolve and store every article under ``paths`` (``ingest_articles``)."""
    from factionmap.sources import read_paths

    return ingest_articles(read_paths([os.fspath(p) for p in paths]), store, **options)


def ingest_articles(
    items: Iterable[Article | ReadError | ReadWarning],
    store: Store,
    *,
    model: str = DEFAULT_MODEL,
    n_process: int = 1,
    progress: bool = True,
    kb: KnowledgeBase | None = None,
    ray_address: str | None = None,
    batch: int = 32,
    chunk: int = BATCH_SIZE,
    extractor: Extractor | None = None,
    console: Console | None = None,
) -> IngestSummary:
    """Extract, resolve and store articles (read errors among them are counted as failures).

    Extraction runs in this process (``n_process`` 1), in ``n_process`` forked workers, or
    as Ray tasks (``ray_address``: "local", "auto" or a head node's address); the writer
    is the same for all three. ``chunk`` articles go to a worker at a time; ``batch`` are
    written per transaction. Error and warning lines go to ``console`` (default: stderr) as
    they happen, and are also kept in the summary.
    """
    # imported here: sibling stages are heavy (spaCy) and the CLI should start fast
    from factionmap.kb import default_kb
    from factionmap.parallel import extract_local, extract_ray, start_ray
    from factionmap.store.actors import ActorResolver
    from factionmap.store.ingest import BatchWriter

    kb = kb or default_kb()
    writer = BatchWriter(store, ActorResolver(kb), batch=batch)
    console = console or Console(stderr=True)
    summary = IngestSummary(console=console)
    with _progress(progress, console) as bar:
        task = bar.add_task("ingesting", total=None)
        articles = _new_articles(items, store, summary, bar, task)
        extracted: Iterator[Extracted]
        if ray_address:
            start_ray(ray_address, num_cpus=n_process)
            extracted = extract_ray(articles, model=model, batch_size=chunk, extractor=extractor)
        else:
            extracted = extract_local(articles, model=model, n_process=n_process,
                                      batch_size=chunk)
        for item in extracted:
            for warning in item.warnings:
                summary.warn(f"{_where(item.article)}: {warning}")
            if item.extraction is None:
                summary.fail(f"{_where(item.article)}: {item.error}")
                bar.advance(task)
                written = []
            else:
                written = writer.add(item.extraction)
            _advance(bar, task, summary, written)
        _advance(bar, task, summary, writer.flush())
    if summary.ingested:
        replay_trail(store, summary)
    return summary


def _advance(bar: Progress, task: TaskID, summary: IngestSummary, written: list[Written]) -> None:
    for w in written:
        summary.count(w)
        bar.advance(task)
    bar.update(task, description=f"ingesting ({summary.line()})")


def replay_trail(store: Store, summary: IngestSummary) -> None:
    """Re-apply the analysts' corrections so merges, splits, rejections and aliases
    also hold for the rows just written (one transaction)."""
    from factionmap.analysis.corrections import replay_corrections

    with store.session() as session:
        report = replay_corrections(session)
    summary.corrections_replayed = report.applied
    summary.correction_failures = [f"correction {cid}: {why}" for cid, why in report.failed]
