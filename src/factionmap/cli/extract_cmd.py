"""``factionmap extract FILE...``: per-article extraction to JSON lines, no store."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from factionmap.config import DEFAULT_MODEL
from factionmap.records import Article, ReadError, ReadWarning


def _articles(paths: list[Path], errors: list[ReadError], err: Console) -> Iterator[Article]:
    from factionmap.sources import read_paths

    for item in read_paths(paths):
        if isinstance(item, ReadError):
            errors.append(item)
            err.print(f"error: {item}", markup=False, emoji=False, highlight=False)
        elif isinstance(item, ReadWarning):
            err.print(f"warning: {item}", markup=False, emoji=False, highlight=False)
        else:
            yield item


def _run(files: list[Path], out: IO[str], model: str, quiet: bool, err: Console) -> int:
    from factionmap.extract import extract_articles, extraction_to_dict
    from factionmap.extract.pipeline import load_extractor
    from factionmap.kb import default_kb

    nlp = load_extractor(model)
    kb = default_kb()
    errors: list[ReadError] = []
    done = 0
    with Progress(
        SpinnerColumn(),
        TextColumn("extracting: {task.completed} articles"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("extract", total=None)
        for extraction in extract_articles(_articles(files, errors, err), nlp, kb):
            out.write(json.dumps(extraction_to_dict(extraction), ensure_ascii=False) + "\n")
            done += 1
            progress.update(task, completed=done)
    if not quiet:
        err.print(f"{done} articles extracted, {len(errors)} read errors", highlight=False)
    return 1 if errors else 0


def extract(
    files: Annotated[
        list[Path],
        typer.Argument(help="Article files or folders (txt, html, jsonl, csv, feeds).",
                       readable=False),
    ],
    fmt: Annotated[str, typer.Option("--format", help="Output format (only jsonl).")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    model: Annotated[
        str, typer.Option("--model", help="Installed spaCy pipeline package.")
    ] = DEFAULT_MODEL,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
) -> None:
    """Extract mentions, relations and events from articles; one JSON object per article."""
    err = Console(stderr=True)
    if fmt != "jsonl":
        err.print(f"error: unsupported --format {fmt!r} (only 'jsonl')", highlight=False)
        raise typer.Exit(2)
    if output is None:
        status = _run(files, sys.stdout, model, quiet, err)
        sys.stdout.flush()
        raise typer.Exit(status)
    # Write beside the target and rename at the end: a crash never leaves half a file behind.
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            status = _run(files, fh, model, quiet, err)
        os.replace(tmp, output)
    finally:
        if tmp.exists():
            tmp.unlink()
    raise typer.Exit(status)


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command to the given app."""
    app.command("extract")(extract)
