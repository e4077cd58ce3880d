"""Extraction on Ray and in worker processes: the store is the one a single process builds,
and a worker that dies mid-batch loses nothing."""

from __future__ import annotations

import functools
import os
import sys

import pytest

from factionmap.ingest import ingest_paths
from factionmap.store.db import open_store
from test_store_helpers import store_rows, write_corpus

ray = pytest.importorskip("ray")

N_ARTICLES = 10


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    # the extractors below live in this test module, which Ray's workers cannot import
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield
    ray.shutdown()


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "news"
    write_corpus(folder, range(N_ARTICLES))
    return folder


def _ingest(url, corpus, **options):
    store = open_store(url)
    try:
        summary = ingest_paths([corpus], store, progress=False, batch=3, chunk=2, **options)
        return summary, store_rows(store)
    finally:
        store.close()


def test_ray_builds_the_store_a_single_process_builds(nlp, local_ray, corpus, db_url, db_factory):
    alone, expected = _ingest(db_url, corpus, n_process=1)
    assert (alone.ingested, alone.failed) == (N_ARTICLES, 0), alone.errors
    on_ray, got = _ingest(db_factory(), corpus, ray_address="local")
    assert (on_ray.ingested, on_ray.failed) == (N_ARTICLES, 0), on_ray.errors
    assert expected["actors"] and expected["happenings"] and expected["aliases"]
    assert got == expected  # documents, actors, aliases and merge reasons, facts, reports


def test_worker_processes_build_the_same_store(nlp, corpus, db_url, db_factory):
    _, expected = _ingest(db_url, corpus, n_process=1)
    forked, got = _ingest(db_factory(), corpus, n_process=2)
    assert forked.ingested == N_ARTICLES and got == expected


def _dies_once(articles, model, marker):
    """Kill the worker process the first time it gets article 4's batch."""
    from factionmap.parallel import extract_batch

    if any("number 4 " in a.text for a in articles) and not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return extract_batch(articles, model)


def _always_dies(articles, model):
    from factionmap.parallel import extract_batch

    if any("number 4 " in a.text for a in articles):
        os._exit(1)
    return extract_batch(articles, model)


def test_a_worker_lost_mid_batch_is_retried(nlp, local_ray, corpus, tmp_path, db_url,
                                           db_factory):
    marker = tmp_path / "died"
    _, expected = _ingest(db_url, corpus, n_process=1)
    dies_once = functools.partial(_dies_once, marker=str(marker))
    summary, got = _ingest(db_factory(), corpus, ray_address="local", extractor=dies_once)
    assert (summary.ingested, summary.failed) == (N_ARTICLES, 0), summary.errors
    assert marker.exists()  # a worker did die
    assert got == expected


def test_a_batch_whose_worker_always_dies_is_reported(nlp, local_ray, corpus, db_url):
    summary, got = _ingest(db_url, corpus, ray_address="local", extractor=_always_dies)
    # article 4 and the one sharing its batch of two are reported, the rest are stored
    assert (summary.ingested, summary.failed) == (N_ARTICLES - 2, 2)
    assert all("worker lost" in e for e in summary.errors), summary.errors
    assert len(got["documents"]) == N_ARTICLES - 2
