"""Serve benchmark: a synthetic store of >= 1M events and >= 50k actors, the app on
loopback in a subprocess, concurrent requests from a second process; p50/p95 per endpoint.

    .venv/bin/python benchmarks/serve.py [--db /tmp/fm_bench.db] [--events 1000000]
        [--actors 50000] [--requests 150] [--concurrency 4] [--max-seconds 120] [--workers 1]

Goals: p95 < 100 ms for the actor page and the dyad timeline, < 300 ms for a
network window of 500 nodes. The store is reused when it already has the sizes asked for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

KINDS = ["armed_group", "person", "state", "party", "government_body", "other"]
TYPES = [("ASSAULT", "190", -10.0, 4), ("THREATEN", "138", -7.0, 3), ("CONSULT", "040", 1.0, 1),
         ("AID", "070", 7.0, 2), ("ACCUSE", "111", -2.0, 3), ("COOPERATE", "050", 3.5, 2)]
REL_TYPES = ["allied_with", "supports", "opposes", "fighting_against", "member_of", "leads"]
START = dt.date(2015, 1, 1)
DAYS = 3650


def _actor_pick(rng: random.Random, n_actors: int) -> int:
    # Skewed: a few hubs take part in many events, most actors in a few.
    return 1 + min(n_actors - 1, int(n_actors * rng.random() ** 3))


def build_store(path: Path, n_events: int, n_actors: int, seed: int = 7) -> None:
    from sqlalchemy import create_engine

    from factionmap.store.models import Base

    if path.exists():
        con = sqlite3.connect(path)
        try:
            have = con.execute("select count(*) from events").fetchone()[0]
            actors = con.execute("select count(*) from actors").fetchone()[0]
        except sqlite3.Error:
            have = actors = -1
        con.close()
        if have >= n_events and actors >= n_actors:
            print(f"reusing {path}: {have} events, {actors} actors")
            _ensure_summaries(path)
            return
        path.unlink()
    t0 = time.perf_counter()
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    now = dt.datetime(2025, 1, 1).isoformat(sep=" ")
    con.executemany(
        "insert into actors (id, name, kind, country, created_at) values (?,?,?,?,?)",
        ((i, f"Actor {i}", KINDS[i % len(KINDS)], "IRQ" if i % 3 else "SYR", now)
         for i in range(1, n_actors + 1)),
    )
    con.executemany(
        "insert into aliases (actor_id, name, key, origin) values (?,?,?,?)",
        ((i, f"Actor {i}", f"actor {i}", "kb") for i in range(1, n_actors + 1)),
    )
    n_docs = max(1, n_events // 1000)
    con.executemany(
        "insert into documents (id, title, published, date_inferred, text, ingested_at) "
        "values (?,?,?,?,?,?)",
        ((f"doc{i}", f"Synthetic report {i}", (START + dt.timedelta(days=i % DAYS)).isoformat(),
          0, "Synthetic sentence about two actors.", now) for i in range(n_docs)),
    )
    sentence = "Synthetic sentence about two actors."

    def events():
        for i in range(1, n_events + 1):
            etype, cameo, gold, quad = TYPES[rng.randrange(len(TYPES))]
            src = _actor_pick(rng, n_actors)
            tgt = _actor_pick(rng, n_actors)
            if tgt == src:
                tgt = src % n_actors + 1
            day = (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat()
            yield (i, f"doc{i % n_docs}", etype, cameo, gold, quad, src, tgt, 0, 9, "Synthetic",
                   day, "reported", 0, len(sentence), sentence, "asserted", 0.5, day, 0, now)

    con.executemany(
        "insert into events (id, document_id, type, cameo, goldstein, quad_class, "
        "source_actor_id, target_actor_id, trigger_start, trigger_end, trigger_text, date, "
        "date_precision, evidence_start, evidence_end, sentence_text, modality, confidence, "
        "reported_at, is_former, ingested_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        events(),
    )
    con.execute(
        "insert into event_actors (event_id, side, actor_id, start, end, text) "
        "select id, 'source', source_actor_id, 0, 5, 'Actor' from events"
    )
    con.execute(
        "insert into event_actors (event_id, side, actor_id, start, end, text) "
        "select id, 'target', target_actor_id, 0, 5, 'Actor' from events"
    )
    con.executemany(
        "insert into relations (document_id, type, subject_actor_id, object_actor_id, "
        "subject_start, subject_end, subject_text, object_start, object_end, object_text, "
        "evidence_start, evidence_end, sentence_text, modality, confidence, reported_at, "
        "is_former, ingested_at) values (?,?,?,?,0,5,'Actor',6,11,'Actor',0,36,?,"
        "'asserted',0.5,?,0,?)",
        ((f"doc{i % n_docs}", REL_TYPES[i % len(REL_TYPES)], _actor_pick(rng, n_actors),
          _actor_pick(rng, n_actors), sentence,
          (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat(), now)
         for i in range(n_actors)),
    )
    con.commit()
    con.close()
    _ensure_summaries(path)
    print(f"built {path}: {n_events} events, {n_actors} actors "
          f"in {time.perf_counter() - t0:.0f} s")


def _ensure_summaries(path: Path) -> None:
    """Summary tables and indexes as the ingester and migrations would keep them, computed
    in bulk (rebuild_summaries); a store built before a summary table existed gets it here."""
    from sqlalchemy import create_engine, func, inspect, select
    from sqlalchemy.orm import Session

    from factionmap.store.models import Base, DyadDay, DyadMonth
    from factionmap.store.summaries import rebuild_summaries

    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)  # adds only missing tables (stores built before them)
    have = {ix["name"] for t in inspect(engine).get_table_names()
            for ix in inspect(engine).get_indexes(t)}
    for table in Base.metadata.sorted_tables:  # and indexes added to existing tables
        for index in table.indexes:
            if index.name not in have:
                index.create(engine)
    with Session(engine) as session:
        filled = all(session.scalar(select(func.count()).select_from(m))
                     for m in (DyadMonth, DyadDay))
        if filled:
            engine.dispose()
            return
        t0 = time.perf_counter()
        rebuild_summaries(session)
        session.commit()
        print(f"summaries rebuilt in {time.perf_counter() - t0:.0f} s")
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def bench_app():
    """App factory for uvicorn worker processes (each opens its own engine)."""
    import os

    from sqlalchemy import create_engine

    from factionmap.web.app import create_app

    engine = create_engine(f"sqlite:///{os.environ['FM_BENCH_DB']}",
                           connect_args={"check_same_thread": False}, pool_size=8)
    return create_app(engine=engine, token="")


def serve(db: str, port: int, workers: int) -> None:
    """Entry point of the server subprocess."""
    import os

    import uvicorn

    os.environ["FM_BENCH_DB"] = db
    if workers > 1:  # one process per core, as deployed behind a single port
        sys.path.insert(0, str(Path(__file__).parent))
        uvicorn.run("serve:bench_app", factory=True, workers=workers, host="127.0.0.1",
                    port=port, log_level="warning")
    else:
        uvicorn.run(bench_app(), host="127.0.0.1", port=port, log_level="warning")


def client(base: str, plan: dict[str, list[str]], concurrency: int, max_seconds: float) -> dict:
    """Entry point of the load process: run each endpoint's URLs, return latencies (ms)."""
    import httpx

    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=30) as http:
        for name, urls in plan.items():
            deadline = time.monotonic() + max_seconds

            def hit(url: str, _deadline: float = deadline) -> float | None:
                if time.monotonic() > _deadline:
                    return None
                t = time.perf_counter()
                r = http.get(url)
                r.raise_for_status()
                return (time.perf_counter() - t) * 1000

            http.get(urls[0])  # warm up connections and caches of the process
            with ThreadPoolExecutor(concurrency) as pool:
                out[name] = [x for x in pool.map(hit, urls) if x is not None]
    return out


def _plan(db: Path, n_requests: int, seed: int = 11) -> dict[str, list[str]]:
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    n_actors = con.execute("select max(id) from actors").fetchone()[0]
    max_event = con.execute("select max(id) from events").fetchone()[0]
    dyads = []
    for _ in range(n_requests):
        row = con.execute("select source_actor_id, target_actor_id from events where id = ?",
                          (rng.randrange(1, max_event + 1),)).fetchone()
        dyads.append(row)
    con.close()
    actors = [_actor_pick(rng, n_actors) for _ in range(n_requests)]
    windows = []
    for _ in range(max(10, n_requests // 5)):
        start = START + dt.timedelta(days=rng.randrange(DAYS - 120))
        end = start + dt.timedelta(days=90)
        windows.append(f"/api/network?start={start}&end={end}&max_nodes=500")
    return {
        "actor": [f"/api/actors/{a}" for a in actors],
        "dyad": [f"/api/dyads/{a}/{b}/timeline" for a, b in dyads],
        "network": windows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="/tmp/fm_bench.db")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "W"), help=argparse.SUPPRESS)
    parser.add_argument("--client", nargs=4, metavar=("BASE", "PLAN", "C", "T"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]), int(args.serve[2]))
        return
    if args.client:
        base, plan_file, conc, secs = args.client
        plan = json.loads(Path(plan_file).read_text())
        print(json.dumps(client(base, plan, int(conc), float(secs))))
        return

    db = Path(args.db)
    build_store(db, args.events, args.actors)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(db), str(port),
                               str(args.workers)])
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/api/corrections", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("server did not start") from None
                time.sleep(0.3)
        plan_file = db.with_suffix(".plan.json")
        plan_file.write_text(json.dumps(_plan(db, args.requests)))
        load = subprocess.run(
            [sys.executable, __file__, "--client", base, str(plan_file),
             str(args.concurrency), str(args.max_seconds)],
            capture_output=True, text=True, check=True,
        )
        results = json.loads(load.stdout.strip().splitlines()[-1])
    finally:
        server.terminate()
        server.wait(timeout=20)
    goals = {"actor": 100, "dyad": 100, "network": 300}
    print(f"{'endpoint':10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'goal p95':>9}")
    for name, lat in results.items():
        lat.sort()
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        print(f"{name:10} {len(lat):5d} {statistics.median(lat):8.1f} {p95:8.1f} "
              f"{goals[name]:>7} {'ok' if p95 < goals[name] else 'MISSED'}")


if __name__ == "__main__":
    main()
