"""Scale-out: AllSides articles into PostgreSQL via Ray with 1 and 2 workers.

    .venv/bin/python benchmarks/scale.py [--articles 10000] [--workers 1 2] [--url URL]
                                         [--requests 200]

Reads the first ``--articles`` articles of ../shared/data/news/allsides-sample.jsonl.gz. For
each worker count a fresh database is filled by ``ingest_articles`` with extraction as Ray
tasks on a local Ray of that many CPUs (the writer runs in this process). Without ``--url`` a
throwaway PostgreSQL server is started (tests/pgserver.py, fsync on). Prints articles/s,
the scaling efficiency (rate with w workers / (w x rate with 1)), store bytes per article
(database size after minus before), and p50/p95 of the actor, dyad-timeline and network
endpoints on the last store (in-process client, sequential requests).
Goal: 2 workers >= 1.8x one worker.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from throughput import NEWS, read_articles  # noqa: E402

from factionmap.ingest import ingest_articles  # noqa: E402
from factionmap.store.db import Store, open_store  # noqa: E402
from factionmap.store.models import ActorMonth, ActorPartner  # noqa: E402
from factionmap.web.app import create_app  # noqa: E402
from pgserver import TempPostgres, find_bindir  # noqa: E402


def create_database(server_url: str, name: str) -> str:
    """A new empty database on the server of ``server_url``; its URL."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def database_bytes(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def run(url: str, articles: list, workers: int) -> tuple[float, int, Store]:
    """Ingest on a local Ray of ``workers`` CPUs; returns seconds, bytes added, the store."""
    import ray

    store = open_store(url)
    empty = database_bytes(store)
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    try:
        start = time.perf_counter()
        summary = ingest_articles(articles, store, ray_address="local", n_process=workers,
                                  progress=False)
        seconds = time.perf_counter() - start
    finally:
        ray.shutdown()
    if summary.failed:
        print(f"  {summary.failed} failed, e.g. {summary.errors[:2]}")
    return seconds, database_bytes(store) - empty, store


def latencies(store: Store, n_requests: int) -> dict[str, list[float]]:
    """Milliseconds per request of the three endpoints, over the busiest actors and pairs."""
    with store.session() as session:
        busy = [a for a, in session.execute(
            select(ActorMonth.actor_id).group_by(ActorMonth.actor_id)
            .order_by(func.sum(ActorMonth.n_events).desc()).limit(20))]
        pairs = [(a, p) for a, p in session.execute(
            select(ActorPartner.actor_id, ActorPartner.partner_id)
            .order_by(ActorPartner.n_events.desc()).limit(20))]
    client = TestClient(create_app(engine=store.engine, token="bench"),
                        base_url="http://127.0.0.1")  # a Host the allow-list accepts
    plan = {
        "actor": [f"/api/actors/{a}" for a in busy],
        "dyad timeline": [f"/api/dyads/{a}/{b}/timeline" for a, b in pairs],
        "network": ["/api/network", "/api/network?start=2016-01-01&end=2016-12-31"],
    }
    out: dict[str, list[float]] = {}
    for name, urls in plan.items():
        times = []
        for k in range(n_requests):
            url = urls[k % len(urls)] if urls else "/api/network"
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
        out[name] = times
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--url", help="a PostgreSQL server to use (a new database per run is "
                                      "created on it: needs CREATEDB); default: a throwaway one")
    parser.add_argument("--requests", type=int, default=200, help="per endpoint")
    args = parser.parse_args(argv)
    if not NEWS.is_file():
        print(f"{NEWS}: not found (benchmarks need ../shared)", file=sys.stderr)
        return 2
    articles = read_articles(NEWS, args.articles)
    server = None
    if args.url is None:
        bindir = find_bindir()
        if bindir is None:
            print("no PostgreSQL server binaries (apt-get install postgresql)", file=sys.stderr)
            return 2
        server = TempPostgres(bindir, durable=True).start()
    try:
        rates: dict[int, float] = {}
        store = None
        for w in args.workers:
            name = f"scale_{w}_{int(time.time())}"
            url = (server.create_database(name) if server is not None
                   else create_database(args.url, name))
            if store is not None:
                store.close()
            seconds, added, store = run(url, articles, w)
            rates[w] = len(articles) / seconds
            print(f"workers={w}: {len(articles)} articles in {seconds:.0f} s = "
                  f"{rates[w]:.2f} art/s; store {added / len(articles) / 1024:.1f} KiB/article")
        for w, rate in rates.items():
            if w != 1 and 1 in rates:
                print(f"workers={w}: {rate / rates[1]:.2f}x one worker, scaling efficiency "
                      f"{rate / (w * rates[1]):.0%} (goal: 2 workers >= 1.8x)")
        if store is not None:
            for endpoint, times in latencies(store, args.requests).items():
                q = statistics.quantiles(times, n=100)
                print(f"{endpoint:<14} p50 {statistics.median(times):6.1f} ms  "
                      f"p95 {q[94]:6.1f} ms  ({len(times)} requests, {len(articles)} articles)")
            store.close()
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
