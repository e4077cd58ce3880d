"""Throughput of full extraction against bare spaCy ``nlp.pipe`` on the same texts, and of
end-to-end ingest against extraction alone.

    .venv/bin/python benchmarks/throughput.py [--limit 2000] [--processes 1 2] [--chunk 100]
                                              [--memory-articles 200] [--profile OUT]
                                              [--compare bare|ingest|both]

``--compare ingest`` times ``ingest_articles`` (extraction, resolution and writing into a
fresh SQLite store that grows chunk by chunk) against ``parallel.extract_local`` (the same
extraction in the same worker processes, results dropped), interleaved the same way.

Reads the first ``--limit`` articles of ../shared/data/news/allsides-sample.jsonl.gz.

Timing is interleaved: the articles are cut into chunks of ``--chunk`` and each chunk is run
bare and then extracted, or the other way round on every other chunk. A machine that speeds up
or slows down during the run (shared hosts do) then moves both sides alike, where timing one
side after the other would put the whole drift into the ratio. Each chunk's ratio is printed
as a spread, so the noise is visible next to the figure.

Peak memory is measured apart from the timing, since a high-water mark cannot be split between
interleaved sides: each side runs the first ``--memory-articles`` articles in a fresh Python
process (this script with ``--memory-side``), which loads the pipeline and KB as a real run
does and reports ``getrusage`` ``ru_maxrss`` of itself plus its worker processes.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import json
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language

from factionmap.extract.article import extract_articles
from factionmap.extract.pipeline import load_extractor, load_extractor_from
from factionmap.ingest import ingest_articles
from factionmap.kb import KnowledgeBase, default_kb
from factionmap.nlp import load_pipeline
from factionmap.nlp.pipeline import masked_text
from factionmap.parallel import extract_local
from factionmap.records import Article
from factionmap.store.db import Store, open_store

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


Side = Callable[[list[Article], int], None]


def run_bare(nlp: Language) -> Side:
    def side(articles: list[Article], n_process: int) -> None:
        texts = (masked_text(a) for a in articles)
        for _ in nlp.pipe(texts, batch_size=16, n_process=n_process):
            pass

    return side


def extractor(models: Path | None, encoder: str | None) -> Language:
    """The default pipeline, or one with models (and their encoder) from a folder."""
    return load_extractor_from(models, encoder=encoder) if models else load_extractor()


def run_extract(nlp: Language, kb: KnowledgeBase) -> Side:
    def side(articles: list[Article], n_process: int) -> None:
        for _ in extract_articles(articles, nlp, kb, n_process=n_process):
            pass

    return side


def timed(side: Side, articles: list[Article], n_process: int) -> float:
    start = time.perf_counter()
    side(articles, n_process)
    return time.perf_counter() - start


def interleaved(
    bare: Side, extract: Side, articles: list[Article], n_process: int, chunk: int
) -> tuple[float, float, list[float]]:
    """Total bare and extract seconds, and each chunk's ratio (bare time / extract time)."""
    bare_total = extract_total = 0.0
    ratios: list[float] = []
    for k, first in enumerate(range(0, len(articles), chunk)):
        part = articles[first : first + chunk]
        if k % 2 == 0:
            b = timed(bare, part, n_process)
            e = timed(extract, part, n_process)
        else:
            e = timed(extract, part, n_process)
            b = timed(bare, part, n_process)
        bare_total += b
        extract_total += e
        ratios.append(b / e)
    return bare_total, extract_total, ratios


def run_extract_only() -> Side:
    def side(articles: list[Article], n_process: int) -> None:
        for _ in extract_local(articles, n_process=n_process):
            pass

    return side


def run_ingest(store: Store) -> Side:
    def side(articles: list[Article], n_process: int) -> None:
        summary = ingest_articles(articles, store, n_process=n_process, progress=False)
        if summary.failed:
            raise RuntimeError(f"ingest failed: {summary.errors[:3]}")

    return side


def compare_ingest(articles: list[Article], processes: list[int], chunk: int) -> None:
    """End-to-end ingest against extraction alone, interleaved chunk by chunk."""
    for n in processes:
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
            ingest = run_ingest(store)
            extract_s, ingest_s, ratios = interleaved(
                run_extract_only(), ingest, articles, n, chunk)  # "bare" = extraction alone
            store.close()
        q1, median, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        print(
            f"n_process={n} extraction alone: {len(articles) / extract_s:6.2f} art/s; "
            f"ingest end to end: {len(articles) / ingest_s:6.2f} art/s; "
            f"ratio ingest/extraction throughput: {extract_s / ingest_s:.2f} (goal >= 0.85); "
            f"per chunk: median {median:.2f}, quartiles {q1:.2f}-{q3:.2f}, "
            f"range {min(ratios):.2f}-{max(ratios):.2f} over {len(ratios)} chunks"
        )


EXTRA: list[str] = []  # --models/--encoder, passed on to the memory runs


def peak_memory(side: str, articles: int, n_process: int) -> float:
    """Peak RSS (MiB) of one side run alone in a fresh process, workers included."""
    command = [sys.executable, __file__, "--memory-side", side, "--limit", str(articles),
               "--processes", str(n_process), *EXTRA]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--chunk", type=int, default=100, help="articles per interleaved chunk")
    parser.add_argument(
        "--memory-articles", type=int, default=200,
        help="articles each side runs in its own child for the peak-memory figure",
    )
    parser.add_argument(
        "--memory-side", choices=["bare", "extract"],
        help="internal: run this side alone and print its peak MiB",
    )
    parser.add_argument(
        "--profile", type=Path, help="cProfile the 1-process extraction; write top functions here"
    )
    parser.add_argument("--models", type=Path, help="extract with the models in this folder")
    parser.add_argument("--encoder", help="the encoder those models were trained with")
    parser.add_argument(
        "--compare", choices=["bare", "ingest", "both"], default="both",
        help="extraction against bare spaCy, ingest against extraction, or both",
    )
    args = parser.parse_args(argv)
    if not NEWS.is_file():
        print(f"{NEWS}: not found (benchmarks need ../shared)", file=sys.stderr)
        return 2
    articles = read_articles(NEWS, args.limit)
    if args.models:
        EXTRA.extend(["--models", str(args.models)])
    if args.encoder:
        EXTRA.extend(["--encoder", args.encoder])
    if args.memory_side:
        kb = default_kb()
        alone = run_bare(load_pipeline()) if args.memory_side == "bare" else run_extract(
            extractor(args.models, args.encoder), kb)
        alone(articles, args.processes[0])
        print(f"{peak_mib():.0f}")
        return 0
    words = sum(len(a.text.split()) for a in articles)
    print(
        f"{len(articles)} articles, {words} whitespace words; interleaved in chunks of "
        f"{args.chunk}; peak memory = ru_maxrss (self + workers) of each side run alone "
        f"on the first {args.memory_articles} articles"
    )
    kb = default_kb()
    bare, extract = run_bare(load_pipeline()), run_extract(extractor(args.models, args.encoder), kb)
    # warm-up: lazy model weights and caches are loaded before anything is timed
    bare(articles[:20], 1)
    extract(articles[:20], 1)
    if args.compare in ("ingest", "both"):
        compare_ingest(articles, args.processes, args.chunk)
        if args.compare == "ingest":
            return 0
    for n in args.processes:
        bare_s, extract_s, ratios = interleaved(bare, extract, articles, n, args.chunk)
        sides = (("bare", "bare nlp.pipe", bare_s), ("extract", "extract", extract_s))
        for side, name, seconds in sides:
            peak = peak_memory(side, args.memory_articles, n)
            print(
                f"n_process={n} {name:<13}: {len(articles) / seconds:7.1f} art/s "
                f"{words / seconds:9.0f} words/s  peak {peak:.0f} MiB"
            )
        q1, median, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        print(
            f"n_process={n} ratio extract/bare throughput: {bare_s / extract_s:.2f} "
            "(goal >= 0.5, and >= 2 articles/s per process); "
            f"per chunk: median {median:.2f}, quartiles {q1:.2f}-{q3:.2f}, "
            f"range {min(ratios):.2f}-{max(ratios):.2f} over {len(ratios)} chunks"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        extract(articles, 1)
        profiler.disable()
        with args.profile.open("w", encoding="utf-8") as fh:
            pstats.Stats(profiler, stream=fh).sort_stats("cumulative").print_stats(40)
        print(f"profile written to {args.profile}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
