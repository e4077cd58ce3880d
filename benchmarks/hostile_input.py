"""Hostile-input benchmark: what a pathological article costs next to an ordinary one.

    .venv/bin/python benchmarks/hostile_input.py [--chars 990000]

Each case is one `factionmap ingest -j 1` of one file into a new SQLite store, in a child
process (one article: extraction in the ingest process itself, no worker pool to start); wall
time and the child's peak memory are printed side by side:

- `prose`: ordinary sentences, 20,000 characters (the length the reader keeps of a run);
- `run`: one line of `--chars` characters with no sentence break (the reader cuts it inside
  the run at 20,000 characters, and parsing splits what is left every 400 words);
- `run-1k`: the same line at 1,000,000 characters minus one, just under the article limit.

Goal: a run costs about what prose of the kept length costs (ratio near 1), whatever its
length, instead of growing without bound. The sentences are our own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHRASE = "fighters of the northern brigade moved along the river road toward the old bridge and "
SENTENCE = "Fighters of the northern brigade moved along the river road toward the old bridge. "


def _text(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def _ingest(folder: Path, name: str, text: str) -> tuple[float, float]:
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    db = folder / f"{name}.db"
    exe = Path(sys.executable).with_name("factionmap")
    start = time.perf_counter()
    child = subprocess.Popen(
        [str(exe), "--db", f"sqlite:///{db}", "ingest", "-j", "1", "--no-progress", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"ingest of {name} failed with status {child.returncode}")
    return seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=990_000)
    args = parser.parse_args()
    cases = [("prose", _text(SENTENCE, 20_000)), ("run", _text(PHRASE, args.chars)),
             ("run-1k", _text(PHRASE, 999_999))]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results = {name: _ingest(folder, name, text) for name, text in cases}
    base = results["prose"][0]
    print(f"{'case':8} {'chars':>9} {'seconds':>8} {'x prose':>8} {'peak MB':>8}")
    for (name, text), (seconds, peak) in zip(cases, results.values(), strict=True):
        print(f"{name:8} {len(text):9,} {seconds:8.1f} {seconds / base:8.2f} {peak:8.0f}")


if __name__ == "__main__":
    main()
