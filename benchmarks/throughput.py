"""Throughput of full extraction against bare spaCy ``nlp.pipe`` on the same texts.

    .venv/bin/python benchmarks/throughput.py [--limit 2000] [--processes 1 2] [--profile OUT]

Reads the first ``--limit`` articles of ../shared/data/news/allsides-sample.jsonl.gz. Peak memory
is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (this process; worker processes are added from
RUSAGE_CHILDREN when n_process > 1), measured as a high-water mark, so each figure is the peak so
far in this run.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import json
import pstats
import resource
import sys
import time
from pathlib import Path

from factionmap.extract.article import extract_articles
from factionmap.kb import default_kb
from factionmap.nlp import load_pipeline
from factionmap.nlp.pipeline import masked_text
from factionmap.records import Article

NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "allsides-sample.jsonl.gz"


def read_articles(path: Path, limit: int) -> list[Article]:
    out: list[Article] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for row, line in enumerate(fh, start=1):
            if len(out) >= limit:
                break
            obj = json.loads(line)
            text = obj.get("text") or ""
            if not text.strip():
                continue
            out.append(
                Article(
                    id=hashlib.sha1(text.encode()).hexdigest(),
                    text=text,
                    title=obj.get("title"),
                    path=str(path),
                    row=row,
                )
            )
    return out


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024  # ru_maxrss is KiB on Linux


def time_bare(articles: list[Article], n_process: int) -> float:
    nlp = load_pipeline()
    start = time.perf_counter()
    for _ in nlp.pipe((masked_text(a) for a in articles), batch_size=16, n_process=n_process):
        pass
    return time.perf_counter() - start


def time_extract(articles: list[Article], n_process: int) -> float:
    nlp, kb = load_pipeline(), default_kb()
    start = time.perf_counter()
    for _ in extract_articles(articles, nlp, kb, n_process=n_process):
        pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--profile", type=Path, help="cProfile the 1-process extraction; write top functions here"
    )
    args = parser.parse_args(argv)
    if not NEWS.is_file():
        print(f"{NEWS}: not found (benchmarks need ../shared)", file=sys.stderr)
        return 2
    articles = read_articles(NEWS, args.limit)
    words = sum(len(a.text.split()) for a in articles)
    print(
        f"{len(articles)} articles, {words} whitespace words; "
        "peak memory = getrusage ru_maxrss (self + children)"
    )
    time_bare(articles[:20], 1)  # warm-up: model load, KB load and lazy weights are not timed
    time_extract(articles[:20], 1)
    for n in args.processes:
        bare = time_bare(articles, n)
        print(
            f"n_process={n} bare nlp.pipe : {len(articles) / bare:7.1f} art/s "
            f"{words / bare:9.0f} words/s "
            f"peak {peak_mib():.0f} MiB"
        )
        ext = time_extract(articles, n)
        print(
            f"n_process={n} extract      : {len(articles) / ext:7.1f} art/s "
            f"{words / ext:9.0f} words/s "
            f"peak {peak_mib():.0f} MiB"
        )
        print(f"n_process={n} ratio extract/bare throughput: {bare / ext:.2f} (goal >= 0.80)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        time_extract(articles, 1)
        profiler.disable()
        with args.profile.open("w", encoding="utf-8") as fh:
            pstats.Stats(profiler, stream=fh).sort_stats("cumulative").print_stats(40)
        print(f"profile written to {args.profile}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
