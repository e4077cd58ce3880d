"""Extraction in parallel: worker processes on this machine, or Ray tasks on a cluster.

Both run ``extract_batch`` (parse with ``nlp.pipe``, extract each article; the pipeline and
KB are loaded once per worker process and kept) and yield the results in input order, so the
one writer (``store.ingest.BatchWriter``) stores them as a single process would: the store
is the same whichever way the articles were extracted.

Ray: each batch is one task. A worker that dies mid-batch (killed, out of memory, node lost)
has its task run again by Ray (``RAY_TASK_RETRIES``); a batch that still fails is reported
article by article, never dropped silently.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from factionmap.config import DEFAULT_MODEL
from factionmap.records import Article, ArticleExtraction, exception_line

RAY_TASK_RETRIES = 3
BATCH_SIZE = 16


@dataclass(frozen=True, slots=True)
class Extracted:
    """One article's extraction, or why it failed, and what was done to its text on the way
    (the writer's process prints these warnings)."""

    article: Article
    extraction: ArticleExtraction | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()


def extract_batch(articles: list[Article], model: str = DEFAULT_MODEL) -> list[Extracted]:
    """Run the pipeline over a batch in this process; a failing article fails alone."""
    from factionmap.extract.pipeline import load_extractor
    from factionmap.kb import default_kb
    from factionmap.nlp import pipe_articles

    nlp, kb = load_extractor(model), default_kb()  # both cached: loaded once per process
    try:
        parsed = list(pipe_articles(nlp, articles))
    except Exception:  # one text broke the batch: parse each alone to find it
        out: list[Extracted] = []
        for article in articles:
            try:
                [(_, doc)] = list(pipe_articles(nlp, [article]))
            except Exception as exc:
                out.append(Extracted(article, error=f"parsing failed: {exception_line(exc)}"))
            else:
                out.append(_extract_one(article, doc, kb))
        return out
    return [_extract_one(article, doc, kb) for article, doc in parsed]


def _extract_one(article: Article, doc: Any, kb: Any) -> Extracted:
    from factionmap.extract import extract_article
    from factionmap.nlp.components import FORCED_BREAKS, MAX_SENTENCE_TOKENS

    forced = doc.user_data.get(FORCED_BREAKS)
    warnings = (f"text without a sentence break for over {MAX_SENTENCE_TOKENS} words was "
                f"split {forced} times before parsing",) if forced else ()
    try:
        return Extracted(article, extract_article(doc, article, kb), warnings=warnings)
    except Exception as exc:  # a bug on one article is reported, not fatal
        return Extracted(article, error=f"extraction failed: {exception_line(exc)}",
                         warnings=warnings)


def batches(articles: Iterable[Article], size: int = BATCH_SIZE) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


Extractor = Callable[[list[Article], str], list[Extracted]]


# ---- this machine ---------------------------------------------------------------------


def extract_local(
    articles: Iterable[Article], *, model: str = DEFAULT_MODEL, n_process: int = 1,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Extracted]:
    """Extract in this process (``n_process`` 1) or in a pool of forked worker processes."""
    if n_process <= 1:
        for batch in batches(articles, batch_size):
            yield from extract_batch(batch, model)
        return
    from factionmap.extract.pipeline import load_extractor
    from factionmap.kb import default_kb

    load_extractor(model)  # loaded before forking: the workers share it copy-on-write
    default_kb()
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(n_process) as pool:
        jobs = ((batch, model) for batch in batches(articles, batch_size))
        for results in pool.imap(_extract_job, jobs):
            yield from results


def _extract_job(job: tuple[list[Article], str]) -> list[Extracted]:
    return extract_batch(*job)


# ---- Ray ------------------------------------------------------------------------------


def start_ray(address: str, *, num_cpus: int | None = None) -> None:
    """Connect to the Ray cluster at ``address`` ("local": start one on this machine with
    ``num_cpus`` workers; "auto": the cluster this machine belongs to; else a head node's
    address such as ray://head:10001)."""
    import ray

    if ray.is_initialized():
        return
    if address == "local":
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
    else:
        ray.init(address=address, log_to_driver=False)


def extract_ray(
    articles: Iterable[Article], *, model: str = DEFAULT_MODEL, batch_size: int = BATCH_SIZE,
    in_flight: int | None = None, extractor: Extractor | None = None,
) -> Iterator[Extracted]:
    """Extract as Ray tasks (one per batch), yielding results in input order.

    At most ``in_flight`` batches are queued at once (default: twice the cluster's CPUs), so
    a long input streams instead of being read into memory. ``extractor`` replaces
    ``extract_batch`` (tests use it to kill a worker).
    """
    import ray

    task = ray.remote(max_retries=RAY_TASK_RETRIES)(_run_extractor)
    run = extractor or extract_batch
    window = in_flight or max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
    queued: deque[tuple[list[Article], Any]] = deque()
    for batch in batches(articles, batch_size):
        queued.append((batch, task.remote(run, batch, model)))
        if len(queued) >= window:
            yield from _collect(*queued.popleft())
    while queued:
        yield from _collect(*queued.popleft())


def _run_extractor(run: Extractor, batch: list[Article], model: str) -> list[Extracted]:
    return run(batch, model)


def _collect(batch: list[Article], ref: Any) -> list[Extracted]:
    import ray

    try:
        return list(ray.get(ref))
    except Exception as exc:  # retries spent (worker lost again and again) or task error
        reason = f"worker lost after {RAY_TASK_RETRIES} retries: {exception_line(exc)}"
        return [Extracted(article, error=reason) for article in batch]
