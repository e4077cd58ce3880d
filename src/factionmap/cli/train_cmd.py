"""``factionmap train re3d DIR``: retrain the learned entity tagger and relation model."""

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
