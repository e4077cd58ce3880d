"""``factionmap train``: rebuild the word clusters; retrain the entity tagger and relation model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

console = Console()
train_app = typer.Typer(no_args_is_help=True, help="Train the learned refinements.")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the given app."""
    app.add_typer(train_app, name="train")


def _shipped_dir() -> Path:
    import factionmap.models

    return Path(factionmap.models.__file__).parent


@train_app.command("re3d")
def re3d(
    directory: Annotated[Path, typer.Argument(help="re3d folder: <source>/documents.json, ...")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the weights (default: factionmap/models)."),
    ] = None,
) -> None:
    """Train on every source folder in DIR and write the weights (deterministic given the data)."""
    from factionmap.evaluate.re3d import parse_corpus, train_models
    from factionmap.evaluate.re3d_data import Re3dFormatError, read_corpus
    from factionmap.nlp import load_pipeline

    target = out or _shipped_dir()
    try:
        sources = read_corpus(directory)
    except Re3dFormatError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(code=2) from exc
    parsed = parse_corpus(load_pipeline(), sources)
    train_models(sources, parsed, target)
    for path in sorted(target.iterdir()):
        if path.suffix in (".crfsuite", ".joblib"):
            console.print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")


@train_app.command("clusters")
def clusters(
    paths: Annotated[
        list[Path], typer.Argument(help="News files or folders (JSONL, CSV, text, ...).")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the table (default: factionmap/models)."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Largest file to read, uncompressed.")
    ] = 1024 * 1024 * 1024,
) -> None:
    """Cluster the words of unlabelled news for the entity tagger (deterministic given the data).

    Retrain the tagger afterwards (``factionmap train re3d``): its weights name these clusters.
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from factionmap.extract.learned.clusters import CLUSTERS_FILE, build_word_clusters
    from factionmap.nlp import load_pipeline
    from factionmap.records import ReadError, ReadWarning
    from factionmap.sources import read_paths

    tokenizer = load_pipeline().tokenizer
    documents: list[list[str]] = []
    failed = 0
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()) as bar:
        task = bar.add_task("tokenising", total=None)
        for item in read_paths(paths, max_bytes=max_bytes):
            if isinstance(item, ReadError):
                failed += 1
                console.print(f"[red]error:[/] {escape(str(item))}", emoji=False)
                continue
            if isinstance(item, ReadWarning):
                continue  # the text is still worth clustering
            documents.append([t.lower_ for t in tokenizer(item.text) if not t.is_space])
            bar.advance(task)
    if not documents:
        console.print("[red]error:[/] no articles read")
        raise typer.Exit(code=2)
    console.print(f"clustering the words of {len(documents)} articles ({failed} failed)")
    try:
        table = build_word_clusters(documents)
    except ValueError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(code=2) from exc
    target = (out or _shipped_dir()) / CLUSTERS_FILE
    table.save(target)
    size = target.stat().st_size / 1024
    console.print(f"wrote {target}: {len(table.table)} words ({size:.0f} KiB)")
