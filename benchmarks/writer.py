"""The store side alone: how long the one writer takes per article, and whether that grows
with the store.

    .venv/bin/python benchmarks/writer.py [--limit 400] [--step 100] [--db URL]

Extracts the first ``--limit`` articles of ../shared/data/news/allsides-sample.jsonl.gz
once (two processes, not timed), then writes them through ``BatchWriter`` (the path every
ingest uses) into a fresh store, SQLite in a temporary folder unless ``--db`` names an empty
one, and prints the time per article for each ``--step`` articles in turn: a writer whose
cost rises with the store shows it as rising steps. Compare with extraction's time per
article from ``throughput.py`` to see what share of ingest the store side is.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from throughput import NEWS, read_articles

from factionmap.kb import default_kb
from factionmap.parallel import extract_local
from factionmap.store.actors import ActorResolver
from factionmap.store.db import open_store
from factionmap.store.ingest import BatchWriter


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=400)
    parser.add_argument("--step", type=int, default=100)
    parser.add_argument("--db", help="an empty store to write into (default: a new SQLite file)")
    args = parser.parse_args()

    articles = read_articles(NEWS, args.limit)
    extracted = [e.extraction for e in extract_local(articles, n_process=2)]
    done = [e for e in extracted if e is not None]
    print(f"{len(done)} of {len(articles)} articles extracted (not timed)")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(args.db or f"sqlite:///{Path(tmp) / 'writer.db'}")
        writer = BatchWriter(store, ActorResolver(default_kb()))
        steps: list[float] = []
        for start in range(0, len(done), args.step):
            began = time.perf_counter()
            for extraction in done[start:start + args.step]:
                writer.add(extraction)
            writer.flush()
            steps.append((time.perf_counter() - began) / len(done[start:start + args.step]))
        store.close()
    per_step = ", ".join(f"{s * 1000:.0f}" for s in steps)
    total = sum(steps) / len(steps)
    print(f"writer: {total * 1000:.0f} ms/article on average; per {args.step} articles in "
          f"turn: {per_step} ms/article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
