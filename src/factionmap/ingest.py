"""The ingest orchestrator: sources -> nlp.pipe -> extract -> resolve -> store.

A bad file or row becomes one error line naming it and the reason; the batch goes on.
Lines are printed as they happen (a crash or a kill loses none of them), as plain text:
console markup or emoji codes in a file name are shown, not interpreted.
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
from rich.text import Text

from factionmap.config import DEFAULT_MODEL
from factionmap.records import Article, ArticleExtraction, ReadError, ReadWarning, one_line

if TYPE_CHECKING:
    from factionmap.kb import KnowledgeBase
    from factionmap.resolve.actors import ActorResolver
    from factionmap.store.db import Store


# One error line stays short: a database error's SQL and parameters are left out.
_MAX_REASON_CHARS = 300


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


def reason(exc: BaseException) -> str:
    """One short line for an exception: its type and first line, without the SQL and
    parameters a database error carries."""
    from sqlalchemy.exc import DBAPIError

    inner = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(inner).strip().splitlines()
    first = lines[0] if lines else ""
    if len(first) > _MAX_REASON_CHARS:
        first = first[:_MAX_REASON_CHARS] + "..."
    return f"{type(inner).__name__}: {first}" if first else type(inner).__name__


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
    """Articles not yet stored; read errors and duplicates are counted on the way."""
    from factionmap.store.ingest import has_document

    seen: set[str] = set()
    for item in items:
        if isinstance(item, ReadError):
            summary.fail(str(item))
            progress.advance(task)
            continue
        if isinstance(item, ReadWarning):
            summary.warn(str(item))
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
        summary.fail(f"{_where(extraction.article)}: could not store: {reason(exc)}")
        return
    if outcome == "duplicate":
        summary.duplicates += 1
    else:
        summary.ingested += 1
        summary.document_ids.append(extraction.article.id)


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
    *,
    model: str = DEFAULT_MODEL,
    n_process: int = 1,
    progress: bool = True,
    kb: KnowledgeBase | None = None,
    console: Console | None = None,
) -> IngestSummary:
    """Read, parse, extract, resolve and store every article under ``paths``.

    Error and warning lines go to ``console`` (default: stderr) as they happen, and are
    also kept in the summary.
    """
    # imported here: sibling stages are heavy (spaCy) and the CLI should start fast
    from factionmap.extract import extract_article
    from factionmap.kb import default_kb
    from factionmap.nlp import load_pipeline, pipe_articles
    from factionmap.nlp.components import FORCED_BREAKS, MAX_SENTENCE_TOKENS
    from factionmap.resolve.actors import ActorResolver
    from factionmap.sources import read_paths

    kb = kb or default_kb()
    resolver = ActorResolver(kb)
    console = console or Console(stderr=True)
    summary = IngestSummary(console=console)
    nlp = load_pipeline(model)
    with _progress(progress, console) as bar:
        task = bar.add_task("ingesting", total=None)
        articles = _new_articles(
            read_paths([os.fspath(p) for p in paths]), store, summary, bar, task
        )
        for article, doc in pipe_articles(nlp, articles, n_process=n_process):
            forced = doc.user_data.get(FORCED_BREAKS)
            if forced:
                summary.warn(
                    f"{_where(article)}: text without a sentence break for over "
                    f"{MAX_SENTENCE_TOKENS} words was split {forced} times before parsing"
                )
            try:
                extraction = extract_article(doc, article, kb)
            except Exception as exc:  # a bug on one article is reported, not fatal
                summary.fail(f"{_where(article)}: extraction failed: {reason(exc)}")
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
