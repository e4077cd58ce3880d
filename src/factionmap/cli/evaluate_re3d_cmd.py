"""``factionmap evaluate re3d DIR``: score entities and relations on a re3d folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table as RichTable

from factionmap.evaluate.scoring import MICRO, Table

console = Console()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the given app."""
    app.command("re3d")(re3d)


def re3d(
    directory: Annotated[Path, typer.Argument(help="re3d folder: <source>/documents.json, ...")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write every figure (per fold, pooled) here.")
    ] = None,
    loso: Annotated[
        bool,
        typer.Option(
            "--loso/--no-loso",
            help="Train every model leaving each source folder out (default: the other "
            "folders, our annotated news, the public sets), or score fixed models "
            "(--no-loso: in-sample for the documents they were trained on).",
        ),
    ] = True,
    models: Annotated[
        Path | None,
        typer.Option("--models", help="With --no-loso: score the models of this folder "
                     "(default: the shipped models)."),
    ] = None,
    encoder: Annotated[
        str, typer.Option("--encoder", help="Token vectors: spacy (default) or minilm.")
    ] = "spacy",
) -> None:
    """Score extraction on re3d: typed entity spans (exact, overlap) and relations.

    The gold spans are normalised to our conventions first (no leading article, no trailing
    possessive, no title before a person's name), as re3d is for training.
    """
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from factionmap.evaluate.re3d import GOLD_NOTE, FoldResult, evaluate_re3d
    from factionmap.evaluate.re3d_data import Re3dFormatError

    if encoder not in ("spacy", "minilm"):
        console.print(f"[red]error:[/] --encoder must be spacy or minilm, not {encoder!r}")
        raise typer.Exit(code=2)
    if models is not None and loso:
        console.print("[red]error:[/] --models scores fixed models: use it with --no-loso")
        raise typer.Exit(code=2)

    def show_fold(fold: FoldResult) -> None:
        console.print(
            f"[bold]{escape(fold.name)}[/] ({fold.documents} docs, "
            f"trained on {escape(', '.join(fold.trained_on) or '-')}; {fold.seconds:.0f} s): "
            f"entities exact F1 {_f1(fold.entities_exact):.3f}, "
            f"overlap F1 {_f1(fold.entities_overlap):.3f}; "
            f"relations F1 {_f1(fold.relations):.3f}, "
            f"actor relations F1 {_f1(fold.actor_relations):.3f}"
        )

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def step(stage: str, advance: int, total: int | None) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(escape(stage), total=total)
            bar.advance(tasks[stage], advance)  # type: ignore[arg-type]

        try:
            report = evaluate_re3d(directory, loso=loso, models=models, encoder=encoder,
                                   on_fold=show_fold, progress=step)
        except (Re3dFormatError, ValueError, FileNotFoundError) as exc:
            console.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(code=2) from exc
    pooled = report.pooled
    assert pooled is not None
    if report.mode == "loso":
        title = "pooled over leave-one-source-out folds"
    else:
        title = "fixed models"
        console.print(f"scored: {escape(report.models)}")
        if report.in_sample_documents is not None:
            console.print(
                f"in-sample: {report.in_sample_documents} of {pooled.documents} documents are "
                "in the re3d folder `factionmap train models` trains on by default"
            )
    if pooled.left_out:
        console.print(f"components left out (no model): {', '.join(pooled.left_out)}")
    console.print(f"gold: {GOLD_NOTE}")
    console.print(
        _entity_table(pooled.entities_exact, pooled.entities_overlap, f"Entities, {title}")
    )
    console.print(_prf_table(pooled.relations, f"Relations (all scored types), {title}"))
    console.print(_prf_table(pooled.actor_relations, f"Actor relations, {title}"))
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
        console.print(f"wrote {escape(str(json_out))}")


def _f1(table: Table) -> float:
    return table[MICRO].f1 if MICRO in table else 0.0


def _rows(table: Table) -> list[str]:
    return [k for k in sorted(table) if k != MICRO] + ([MICRO] if MICRO in table else [])


def _entity_table(exact: Table, overlap: Table, title: str) -> RichTable:
    out = RichTable(title=title)
    for col in (
        "type",
        "gold",
        "pred",
        "P exact",
        "R exact",
        "F1 exact",
        "P overlap",
        "R overlap",
        "F1 overlap",
    ):
        out.add_column(col, justify="left" if col == "type" else "right")
    for label in _rows(exact):
        e = exact[label]
        o = overlap.get(label)
        out.add_row(
            label,
            str(e.tp + e.fn),
            str(e.tp + e.fp),
            f"{e.precision:.3f}",
            f"{e.recall:.3f}",
            f"{e.f1:.3f}",
            f"{o.precision:.3f}" if o else "-",
            f"{o.recall:.3f}" if o else "-",
            f"{o.f1:.3f}" if o else "-",
            style="bold" if label == MICRO else None,
        )
    return out


def _prf_table(table: Table, title: str) -> RichTable:
    out = RichTable(title=title)
    for col in ("type", "gold", "pred", "tp", "P", "R", "F1"):
        out.add_column(col, justify="left" if col == "type" else "right")
    for label in _rows(table):
        p = table[label]
        out.add_row(
            label,
            str(p.tp + p.fn),
            str(p.tp + p.fp),
            str(p.tp),
            f"{p.precision:.3f}",
            f"{p.recall:.3f}",
            f"{p.f1:.3f}",
            style="bold" if label == MICRO else None,
        )
    return out
